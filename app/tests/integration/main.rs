//! Integration tests against a real database (SQLite by default, PostgreSQL when
//! `TEST_DATABASE_URL` is set). One test binary, not one per file: each binary links the
//! whole server stack, and six of them filled a CI machine's disk.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

mod access;
mod account_edit;
mod account_grade;
mod account_revisit;
mod admin;
mod admin_handover;
mod admin_users;
mod board;
mod contacts;
mod contract;
mod contract_amend;
mod forecast;
mod gate;
mod import;
mod market_capacity;
mod negotiation;
mod objection;
mod quote;
mod room;
mod skeleton;
mod today;
mod verify;
