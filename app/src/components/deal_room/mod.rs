//! Panels of the deal room: components shown inside the deal page, not routes of their own.
pub mod activities;
pub mod checklists;
pub mod comments;
pub mod committee;
pub mod contracts;
pub mod mention_box;
pub mod negotiation;
pub mod objections;
pub mod quotes;
pub mod team;
