//! The executive dashboard: loads the deals, stages, history and quotas the viewer may see
//! and hands them to the pure figures in `domain::forecast`. Managers see their teams, reps
//! themselves, executives everything — the same visibility rule as the board.
mod book;
mod cells;
mod dashboard;
mod drill;
mod grouped;
mod history;
mod market;
mod progress;
mod ramp;
mod trend;
mod value_sql;

// Callers keep the paths `service::forecast::X`: the files are by concern only.
pub use book::*;
pub use cells::*;
pub use dashboard::*;
pub use drill::*;
pub use grouped::*;
pub use history::*;
pub use market::pipeline_split;
pub use progress::*;
pub use ramp::rep_tally;
pub use trend::*;

// Row conversions live in `service::convert`; other services still name them here.
pub use super::convert::{deal_fact, stage_fact};

// The calendar is domain arithmetic now; callers keep this path.
pub use crate::domain::forecast::offset;

// Shared between the files only.
use ramp::ramp_rows;
use value_sql::{cust, value_events, value_rows_after, viewers_history};

/// Won deals never in an open stage, or for fewer than this many days, are flagged.
pub const MIN_FUNNEL_DAYS: i64 = 14;
