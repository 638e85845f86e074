//! What the pages and REST show of the target market and the capacity plan: the three ways an
//! account stands (a filter and a grouping key), accounts and open pipeline counted by them,
//! and a rep's book against the plan with the working days of the month. Pure; the SQL that
//! counts lives in the services and is tested against [`super::target::TargetMarket::fits`].
use super::cadence::{days_needed_tenths, load, Cadence, CapacityLine, CapacityPlan, Tier};
use super::target::{Fit, TargetMarket};
use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// Where an account stands, without the reasons: what the list filters and the dashboard
/// groups by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FitKind {
    In,
    Out,
    Unknown,
}

impl FitKind {
    pub const ALL: [FitKind; 3] = [Self::In, Self::Out, Self::Unknown];

    pub const fn code(self) -> &'static str {
        match self {
            Self::In => "in",
            Self::Out => "out",
            Self::Unknown => "unknown",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

impl From<&Fit> for FitKind {
    fn from(f: &Fit) -> Self {
        match f {
            Fit::In => Self::In,
            Fit::Out(_) => Self::Out,
            Fit::Unknown(_) => Self::Unknown,
        }
    }
}

/// Accounts (or deals) per standing; always the three, in [`FitKind::ALL`] order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FitCount {
    pub fit: FitKind,
    pub count: u64,
}

/// Open pipeline of one standing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SplitRow {
    pub fit: FitKind,
    pub count: u64,
    pub amount_fen: i64,
    /// Σ per deal of amount × the stage's win rate, rounded per deal (as the dashboard).
    pub weighted_fen: i64,
}

/// The viewer's open pipeline inside, outside and not known against the target market.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PipelineSplit {
    pub rows: Vec<SplitRow>,
}

impl PipelineSplit {
    /// The three rows in order, zero where nothing was found.
    pub fn from_rows(found: &[SplitRow]) -> Self {
        let rows = FitKind::ALL
            .into_iter()
            .map(|fit| {
                found.iter().filter(|r| r.fit == fit).fold(SplitRow { fit, count: 0, amount_fen: 0, weighted_fen: 0 }, |a, r| SplitRow {
                    fit,
                    count: a.count + r.count,
                    amount_fen: a.amount_fen.saturating_add(r.amount_fen),
                    weighted_fen: a.weighted_fen.saturating_add(r.weighted_fen),
                })
            })
            .collect();
        PipelineSplit { rows }
    }
}

/// Everything the admin's page edits, with where the accounts stand under the market.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountPolicyView {
    pub market: TargetMarket,
    pub cadence: Cadence,
    pub plan: CapacityPlan,
    pub counts: Vec<FitCount>,
}

/// A team to choose on the capacity page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamChoice {
    pub id: uuid::Uuid,
    pub name: String,
}

/// One rep's book against the plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepCapacity {
    pub user_id: uuid::Uuid,
    pub name: String,
    pub team: String,
    /// One line per plan line; `New` counts the rep's ungraded accounts.
    pub lines: Vec<CapacityLine>,
    /// D accounts: campaigns reach them, the plan gives them no days.
    pub d_accounts: u32,
    pub days_needed_tenths: u64,
    /// The book needs more days than the month has working days.
    pub over: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CapacityView {
    pub plan: CapacityPlan,
    /// The first day of the month the working days are counted in.
    pub month: NaiveDate,
    pub working_days: u32,
    pub teams: Vec<TeamChoice>,
    /// The chosen team; `None`: every team the viewer may see.
    pub team: Option<uuid::Uuid>,
    pub reps: Vec<RepCapacity>,
}

/// Monday to Friday in the month of `day`. No holiday calendar yet (as the delivery
/// follow-up): a public holiday counts as its weekday.
pub fn working_days(day: NaiveDate) -> u32 {
    let Some(mut d) = day.with_day(1) else { return 0 };
    let month = d.month();
    let mut n = 0;
    while d.month() == month {
        if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
            n += 1;
        }
        match d.succ_opt() {
            Some(next) => d = next,
            None => break,
        }
    }
    n
}

/// A rep's accounts per grade (`None`: ungraded, planned as new accounts) against the plan and
/// the month's working days.
pub fn rep_load(plan: &CapacityPlan, grades: &[(Option<super::Grade>, u32)], working_days: u32) -> (Vec<CapacityLine>, u32, u64, bool) {
    let counts: Vec<(Tier, u32)> = grades.iter().map(|(g, n)| (g.map_or(Tier::New, Tier::from), *n)).collect();
    let lines = load(plan, &counts);
    let d = counts.iter().filter(|(t, _)| *t == Tier::D).fold(0u32, |s, (_, n)| s.saturating_add(*n));
    let needed = days_needed_tenths(&lines);
    (lines, d, needed, needed > u64::from(working_days) * 10)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::domain::account::Grade;

    #[test]
    fn working_days_per_month() {
        let cases: &[(&str, u32)] = &[
            ("2026-12-07", 23), // December 2026 starts on a Tuesday
            ("2027-02-01", 20),
            ("2028-02-29", 21), // leap February 2028 starts on a Tuesday
            ("2026-05-31", 21),
            ("2026-08-15", 21),
        ];
        for (day, want) in cases {
            assert_eq!(working_days(day.parse().unwrap()), *want, "{day}");
        }
    }

    #[test]
    fn a_reps_load_against_the_seed_plan() {
        let plan = CapacityPlan::default();
        // Exactly the plan: 20 days, within 21 working days.
        let (lines, d, tenths, over) = rep_load(&plan, &[(Some(Grade::A), 8), (Some(Grade::B), 12), (Some(Grade::C), 24), (None, 40)], 21);
        assert_eq!((d, tenths, over), (0, 200, false));
        assert!(lines.iter().all(|l| !l.over));
        // Nine A accounts: 11.3 days for A, 21.3 in all, over a 21-day month; D takes none.
        let (lines, d, tenths, over) =
            rep_load(&plan, &[(Some(Grade::A), 9), (Some(Grade::B), 12), (Some(Grade::C), 24), (None, 40), (Some(Grade::D), 5)], 21);
        assert_eq!((d, tenths, over), (5, 213, true));
        assert!(lines[0].over && lines[0].days_needed_tenths == 113);
        // Nothing at all.
        assert_eq!(rep_load(&plan, &[], 20).2, 0);
    }

    #[test]
    fn codes_and_split_rows() {
        for k in FitKind::ALL {
            assert_eq!(FitKind::parse(k.code()), Some(k));
            assert_eq!(serde_json::to_string(&k).unwrap(), format!("\"{}\"", k.code()));
        }
        assert_eq!(FitKind::parse("inside"), None);
        assert_eq!(FitKind::from(&Fit::Out(vec![])), FitKind::Out);
        let r = |fit, count, amount_fen| SplitRow { fit, count, amount_fen, weighted_fen: amount_fen / 2 };
        let s = PipelineSplit::from_rows(&[r(FitKind::Unknown, 2, 10), r(FitKind::In, 1, 4), r(FitKind::Unknown, 1, 6)]);
        assert_eq!(
            s.rows,
            vec![
                r(FitKind::In, 1, 4),
                r(FitKind::Out, 0, 0),
                SplitRow { fit: FitKind::Unknown, count: 3, amount_fen: 16, weighted_fen: 8 }
            ]
        );
    }
}
