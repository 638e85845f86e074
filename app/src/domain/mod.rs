//! Pure rules: no I/O, compiles for wasm32 too. Services call these, never the reverse.
pub mod activity;
pub mod checklist;
pub mod committee;
pub mod csv;
pub mod dashboard;
pub mod dto;
pub mod error;
pub mod forecast;
pub mod gate;
pub mod keyinfo;
pub mod locale;
pub mod mention;
pub mod money;
pub mod pipeline_edit;
pub mod rng;
pub mod role;
pub mod templates;
