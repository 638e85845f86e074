//! SeaORM entities, one module per table; hand-written, kept apart from service code.
pub mod account;
pub mod approval;
pub mod contact;
pub mod deal;
pub mod deal_history;
pub mod deal_key_info;
pub mod deal_member;
pub mod deal_presence;
pub mod deal_total;
pub mod pipeline;
pub mod quota;
pub mod session;
pub mod stage;
pub mod stage_requirement;
pub mod stage_transition;
pub mod team;
pub mod user;
