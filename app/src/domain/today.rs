//! "My day" on the home page: which of one's own open deals need attention today. Pure, so the
//! table test states the rule.
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// Why an open deal is on today's list (a deal may carry several).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Attention {
    /// Its expected close date has passed and it is still open: re-plan it or close it.
    ClosePassed,
    /// It is expected to close before the month ends.
    ClosingThisMonth,
    /// It has sat in its stage longer than the stage's "stuck after" days.
    Stuck,
}

impl Attention {
    pub const fn code(self) -> &'static str {
        match self {
            Attention::ClosePassed => "close_passed",
            Attention::ClosingThisMonth => "closing",
            Attention::Stuck => "stuck",
        }
    }
}

/// The reasons an open deal needs attention today; empty when it does not. `stuck_days` 0
/// means the stage has no stuck limit.
pub fn attention(close: NaiveDate, days_in_stage: i64, stuck_days: i32, today: NaiveDate) -> Vec<Attention> {
    let mut out = Vec::new();
    if close < today {
        out.push(Attention::ClosePassed);
    } else if close.year() == today.year() && close.month() == today.month() {
        out.push(Attention::ClosingThisMonth);
    }
    if stuck_days > 0 && days_in_stage > i64::from(stuck_days) {
        out.push(Attention::Stuck);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use Attention::*;

    #[test]
    fn attention_table() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap_or_default();
        let today = d("2026-12-07");
        for (close, days, stuck, want) in [
            ("2026-12-06", 3, 30, vec![ClosePassed]),
            ("2026-12-07", 3, 30, vec![ClosingThisMonth]),
            ("2026-12-31", 3, 30, vec![ClosingThisMonth]),
            ("2027-01-01", 3, 30, vec![]),
            ("2025-12-20", 3, 30, vec![ClosePassed]),
            ("2027-12-07", 31, 30, vec![Stuck]),
            ("2027-12-07", 30, 30, vec![]),
            ("2027-12-07", 999, 0, vec![]),
            ("2026-11-30", 45, 30, vec![ClosePassed, Stuck]),
            ("2026-12-15", 45, 30, vec![ClosingThisMonth, Stuck]),
        ] {
            assert_eq!(attention(d(close), days, stuck, today), want, "{close} {days}/{stuck}");
        }
    }
}
