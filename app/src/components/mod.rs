pub mod charts;
pub mod clock;
pub mod deal_room;
pub mod live;
pub mod money;
pub mod search;
pub mod shell;
pub mod states;
