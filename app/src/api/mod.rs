//! Server functions: a few lines each, calling the same services as the REST API.
pub mod account;
pub mod admin;
pub mod approval;
pub mod auth;
pub mod board;
pub mod contract;
pub mod deal;
pub mod forecast;
pub mod keyinfo;
pub mod market;
pub mod negotiation;
pub mod objection;
pub mod pipeline;
pub mod quote;
pub mod room;
