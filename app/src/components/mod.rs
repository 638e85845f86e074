pub mod charts;
pub mod live;
pub mod money;
pub mod search;
pub mod shell;
pub mod states;
