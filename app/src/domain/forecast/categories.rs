//! Close-time buckets and forecast categories of one deal.
use super::{add_months, month_offset, quarter_end, quarter_start, ForecastCategory, StageKind};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Win rate from which an open deal of this quarter defaults to Commit (本季度保证实现).
pub const COMMIT_MIN_PCT: i32 = 70;
/// Win rate from which an open deal defaults to BestCase / NextQuarter (有希望实现).
pub const HOPEFUL_MIN_PCT: i32 = 30;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CloseBucket {
    #[serde(rename = "won")]
    Won,
    #[serde(rename = "m3")]
    M3,
    #[serde(rename = "m6")]
    M6,
    #[serde(rename = "m9")]
    M9,
    #[serde(rename = "m12")]
    M12,
    #[serde(rename = "later")]
    Later,
}

impl CloseBucket {
    pub const ALL: [CloseBucket; 6] = [Self::Won, Self::M3, Self::M6, Self::M9, Self::M12, Self::Later];
}

/// The close-time bucket of a deal; None for a lost deal.
pub fn close_bucket(kind: StageKind, close_date: NaiveDate, today: NaiveDate) -> Option<CloseBucket> {
    match kind {
        StageKind::Lost => None,
        StageKind::Won => Some(CloseBucket::Won),
        StageKind::Open => Some(match month_offset(close_date, today) {
            ..=2 => CloseBucket::M3,
            3..=5 => CloseBucket::M6,
            6..=8 => CloseBucket::M9,
            9..=11 => CloseBucket::M12,
            _ => CloseBucket::Later,
        }),
    }
}

/// The category a deal gets from its stage and close date alone (rule in the module doc).
pub fn default_category(kind: StageKind, win_rate_pct: i32, close_date: NaiveDate, today: NaiveDate) -> ForecastCategory {
    match kind {
        StageKind::Won => ForecastCategory::Won,
        StageKind::Lost => ForecastCategory::Lost,
        StageKind::Open => {
            let this_end = quarter_end(today);
            if close_date <= this_end {
                if win_rate_pct >= COMMIT_MIN_PCT {
                    ForecastCategory::Commit
                } else if win_rate_pct >= HOPEFUL_MIN_PCT {
                    ForecastCategory::BestCase
                } else {
                    ForecastCategory::Pipeline
                }
            } else if close_date <= quarter_end(add_months(quarter_start(today), 3)) && win_rate_pct >= HOPEFUL_MIN_PCT {
                ForecastCategory::NextQuarter
            } else {
                ForecastCategory::Pipeline
            }
        }
    }
}

/// Every value behind a deal's category, so both the owner's and the manager's stay visible.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryView {
    pub default: ForecastCategory,
    pub owner: Option<ForecastCategory>,
    pub manager: Option<ForecastCategory>,
    pub effective: ForecastCategory,
}

/// Effective = manager, else owner, else default; won/lost deals keep their default.
pub fn category_view(default: ForecastCategory, owner: Option<ForecastCategory>, manager: Option<ForecastCategory>) -> CategoryView {
    let effective = if default.is_choice() {
        manager.filter(|c| c.is_choice()).or(owner.filter(|c| c.is_choice())).unwrap_or(default)
    } else {
        default
    };
    CategoryView { default, owner, manager, effective }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::domain::forecast::test_support::*;
    use crate::domain::forecast::*;

    #[test]
    fn seed_001_a_million_at_25_pct_counts_a_quarter_million() {
        assert_eq!(weighted_fen(1_000_000 * RMB, 25), 250_000 * RMB);
        let deals = vec![deal(1, 1, 2, 1_000_000 * RMB, "2027-03-01", "2027-01-01")];
        let facts = deal_facts(&deals, &solution(), d("2027-02-01"), t("2027-01-01"));
        assert_eq!(facts[0].weighted_fen, 250_000 * RMB);
    }

    #[test]
    fn weighted_rounds_half_away_from_zero() {
        let cases = [
            (0, 25, 0),
            (1, 49, 0),
            (1, 50, 1),
            (3, 33, 1),
            (199, 25, 50),
            (-1, 50, -1),
            (-1, 49, 0),
            (12_345, 0, 0),
            (12_345, 100, 12_345),
            (i64::MAX, 100, i64::MAX),
            (i64::MAX, 200, i64::MAX),
            (i64::MIN, 200, i64::MIN),
        ];
        for (amount, pct, want) in cases {
            assert_eq!(weighted_fen(amount, pct), want, "{amount} × {pct}%");
        }
    }

    #[test]
    fn close_buckets_match_the_board_filter_bounds() {
        let today = d("2026-11-30");
        let cases = [
            (StageKind::Open, "2025-01-01", Some(CloseBucket::M3)), // overdue
            (StageKind::Open, "2026-11-30", Some(CloseBucket::M3)),
            (StageKind::Open, "2027-01-31", Some(CloseBucket::M3)),
            (StageKind::Open, "2027-02-01", Some(CloseBucket::M6)),
            (StageKind::Open, "2027-04-30", Some(CloseBucket::M6)),
            (StageKind::Open, "2027-05-01", Some(CloseBucket::M9)),
            (StageKind::Open, "2027-07-31", Some(CloseBucket::M9)),
            (StageKind::Open, "2027-08-01", Some(CloseBucket::M12)),
            (StageKind::Open, "2027-10-31", Some(CloseBucket::M12)),
            (StageKind::Open, "2027-11-01", Some(CloseBucket::Later)),
            (StageKind::Won, "2030-01-01", Some(CloseBucket::Won)),
            (StageKind::Won, "2020-01-01", Some(CloseBucket::Won)),
            (StageKind::Lost, "2027-01-01", None),
        ];
        for (kind, close, want) in cases {
            assert_eq!(close_bucket(kind, d(close), today), want, "{kind:?} {close}");
        }
        // Every close date over two years, from several "todays": the bucket is the board
        // filter's bucket, and it depends on the close month only.
        for today in ["2026-11-30", "2026-01-01", "2027-02-15"].map(d) {
            for n in -30..760 {
                let close = today + chrono::Duration::days(n);
                let b = close_bucket(StageKind::Open, close, today).unwrap();
                let code = ["m3", "m6", "m9", "m12", "later"][CloseBucket::ALL.iter().position(|x| *x == b).unwrap() - 1];
                let (lo, hi) = crate::domain::dto::bucket_bounds(code, today).unwrap();
                assert!(lo.is_none_or(|lo| close > lo) && hi.is_none_or(|hi| close <= hi), "{today} {close} {code}");
                let first = month_first(month_key(close)).unwrap();
                assert_eq!(close_bucket(StageKind::Open, first, today), Some(b), "{close}");
            }
        }
    }

    #[test]
    fn default_category_rule() {
        use ForecastCategory as C;
        let today = d("2027-02-15"); // Q1 ends 03-31, Q2 ends 06-30
        let cases = [
            (StageKind::Open, 80, "2027-03-31", C::Commit),
            (StageKind::Open, 70, "2026-12-01", C::Commit), // overdue still counts this quarter
            (StageKind::Open, 69, "2027-03-01", C::BestCase),
            (StageKind::Open, 30, "2027-01-01", C::BestCase),
            (StageKind::Open, 29, "2027-03-01", C::Pipeline),
            (StageKind::Open, 10, "2027-02-15", C::Pipeline),
            (StageKind::Open, 80, "2027-04-01", C::NextQuarter),
            (StageKind::Open, 30, "2027-06-30", C::NextQuarter),
            (StageKind::Open, 25, "2027-06-30", C::Pipeline),
            (StageKind::Open, 80, "2027-07-01", C::Pipeline),
            (StageKind::Open, 100, "2030-01-01", C::Pipeline),
            (StageKind::Won, 100, "2027-07-01", C::Won),
            (StageKind::Won, 0, "2026-01-01", C::Won),
            (StageKind::Lost, 80, "2027-03-01", C::Lost),
        ];
        for (kind, pct, close, want) in cases {
            assert_eq!(default_category(kind, pct, d(close), today), want, "{kind:?} {pct}% {close}");
        }
        // Year boundary: in Q4 the next quarter is Q1 of the next year.
        assert_eq!(default_category(StageKind::Open, 40, d("2028-03-31"), d("2027-11-15")), C::NextQuarter);
        assert_eq!(default_category(StageKind::Open, 40, d("2028-04-01"), d("2027-11-15")), C::Pipeline);
    }

    #[test]
    fn effective_category_prefers_manager_then_owner_then_default() {
        use ForecastCategory as C;
        let cases = [
            (C::BestCase, None, None, C::BestCase),
            (C::BestCase, Some(C::Commit), None, C::Commit),
            (C::BestCase, Some(C::Commit), Some(C::Pipeline), C::Pipeline),
            (C::BestCase, None, Some(C::NextQuarter), C::NextQuarter),
            (C::Pipeline, Some(C::Won), None, C::Pipeline), // an open deal cannot be called won
            (C::Pipeline, Some(C::Commit), Some(C::Lost), C::Commit), // invalid adjustment falls through
            (C::Won, Some(C::Pipeline), Some(C::Commit), C::Won),
            (C::Lost, Some(C::Commit), None, C::Lost),
        ];
        for (default, owner, manager, effective) in cases {
            let v = category_view(default, owner, manager);
            assert_eq!(v, CategoryView { default, owner, manager, effective }, "{default:?} {owner:?} {manager:?}");
        }
    }
}
