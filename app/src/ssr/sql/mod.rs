//! The SQL the app runs on its derived tables (rebuilds, fills, and the value-event expressions
//! progress and trend sums read). The migrations that created those tables first ran the same
//! statements; they keep their own frozen copies, since a shipped migration must never change
//! what it did, while the app's copy may evolve with the app.
mod deal_totals;
mod forecast_cells;
mod history_state;
mod progress_days;
mod progress_terms;
pub mod sequence;

pub use deal_totals::REBUILD_SQL as REBUILD_DEAL_TOTALS;
pub use forecast_cells::rebuild_for as rebuild_forecast_cells;
pub use history_state::{fill as fill_history_state, fill_sql as fill_history_state_sql, VALUE_KINDS as HISTORY_VALUE_KINDS};
pub use progress_days::{
    add_deal as add_deal_progress_days, event_dv_sql, event_split_sql, rebuild as rebuild_progress_days, CLASS_SQL as EVENT_CLASS_SQL,
};
pub use progress_terms::{add_deal as add_deal_progress_terms, rebuild as rebuild_progress_terms};

/// `Σ expr` as a float: an integer SUM over two stored amounts near `i64::MAX` (old data,
/// from before amounts were bounded) fails the whole query on both databases, and with it
/// every page that shows a total. Read it with [`saturate`]; exact below 2⁵³ fen (90
/// trillion yuan), far above any real sum. The default is a float too: SQLite hands back
/// the type of the value, and an integer 0 does not read as `f64`.
pub fn sum_real(expr: &str) -> String {
    format!("COALESCE(SUM(CAST({expr} AS DOUBLE PRECISION)), 0.0)")
}

/// A float sum back in fen, clamped to the `i64` range (`as` saturates; NaN reads as 0).
pub fn saturate(v: f64) -> i64 {
    v as i64
}
