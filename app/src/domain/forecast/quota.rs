//! Quota attainment and coverage.
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
// What only the test reference below reads.
#[cfg(test)]
use super::{local_date, weighted_fen, Deal, Stage, StageKind, StageMap};
#[cfg(test)]
use chrono::FixedOffset;
#[cfg(test)]
use std::collections::HashMap;

/// A rep's quota for a period of local dates, both ends included.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quota {
    pub owner_id: i32,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub amount_fen: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Coverage {
    /// Won ≥ quota: nothing left to cover.
    Met,
    /// open weighted pipeline ÷ (quota − won).
    Ratio(f64),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuotaFigures {
    pub owner_id: i32,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub quota_fen: i64,
    pub won_fen: i64,
    pub open_weighted_fen: i64,
    /// quota − won, never below 0.
    pub remaining_fen: i64,
    /// won ÷ quota × 100; None for a quota ≤ 0.
    pub attainment_pct: Option<f64>,
    pub coverage: Coverage,
    /// Coverage under 1×.
    pub under_covered: bool,
}

/// One row per quota, in input order (rule in the module doc). The reference of the rule; only
/// tests call it.
#[cfg(test)]
pub fn quota_figures(deals: &[Deal], stages: &[Stage], quotas: &[Quota], offset: FixedOffset) -> Vec<QuotaFigures> {
    let sm = StageMap::new(stages);
    let mut by_owner: HashMap<i32, Vec<&Deal>> = HashMap::new();
    for d in deals {
        by_owner.entry(d.owner_id).or_default().push(d);
    }
    quotas
        .iter()
        .map(|q| {
            let (mut won, mut open) = (0i64, 0i64);
            for d in by_owner.get(&q.owner_id).map_or(&[][..], |v| v.as_slice()) {
                match sm.get(d.stage_id) {
                    Some(s) if s.kind == StageKind::Won => {
                        let day = local_date(d.stage_entered_at, offset);
                        if day >= q.period_start && day <= q.period_end {
                            won = won.saturating_add(d.amount_fen);
                        }
                    }
                    Some(s) if s.kind == StageKind::Open && d.close_date <= q.period_end => {
                        open = open.saturating_add(weighted_fen(d.amount_fen, s.win_rate_pct));
                    }
                    _ => {}
                }
            }
            let remaining = q.amount_fen.saturating_sub(won).max(0);
            let coverage = if remaining == 0 { Coverage::Met } else { Coverage::Ratio(open as f64 / remaining as f64) };
            QuotaFigures {
                owner_id: q.owner_id,
                period_start: q.period_start,
                period_end: q.period_end,
                quota_fen: q.amount_fen,
                won_fen: won,
                open_weighted_fen: open,
                remaining_fen: remaining,
                attainment_pct: (q.amount_fen > 0).then(|| won as f64 * 100.0 / q.amount_fen as f64),
                coverage,
                under_covered: remaining > 0 && open < remaining,
            }
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::domain::forecast::test_support::*;

    #[test]
    fn quota_attainment_and_coverage() {
        let mut deals = vec![
            deal(1, 1, 6, 3_000_000 * RMB, "2027-04-01", "2027-01-01"), // won 04-01 01:00 Beijing
            deal(2, 1, 6, 500_000 * RMB, "2027-03-31", "2027-01-01"),   // won 03-31 23:00 Beijing
            deal(3, 1, 5, 5_000_000 * RMB, "2027-06-15", "2027-01-01"), // 80 % → 4M
            deal(4, 1, 3, 2_000_000 * RMB, "2027-03-20", "2027-01-01"), // overdue 40 % → 800k
            deal(5, 1, 5, 9_000_000 * RMB, "2027-07-10", "2027-01-01"), // after the period
            deal(6, 1, 7, 9_000_000 * RMB, "2027-05-10", "2027-01-01"), // lost
            deal(7, 2, 6, 1_500_000 * RMB, "2027-05-01", "2027-01-01"), // owner 2 won 1.5M
            deal(8, 2, 5, 1_000_000 * RMB, "2027-05-01", "2027-01-01"),
            deal(9, 4, 4, 1_000_000 * RMB, "2027-05-01", "2027-01-01"),  // 60 %
            deal(10, 4, 3, 1_000_000 * RMB, "2027-05-01", "2027-01-01"), // 40 %
        ];
        deals[0].stage_entered_at = t("2027-03-31T17:00:00Z");
        deals[1].stage_entered_at = t("2027-03-31T15:00:00Z");
        deals[6].stage_entered_at = t("2027-05-01");
        let q = |owner_id, rmb: i64| Quota { owner_id, period_start: d("2027-04-01"), period_end: d("2027-06-30"), amount_fen: rmb * RMB };
        let quotas = [q(1, 10_000_000), q(2, 1_000_000), q(3, 0), q(4, 1_000_000), q(5, 2_000_000)];
        let rows = quota_figures(&deals, &solution(), &quotas, cst());
        let r1 = &rows[0];
        assert_eq!((r1.won_fen, r1.open_weighted_fen, r1.remaining_fen), (3_000_000 * RMB, 4_800_000 * RMB, 7_000_000 * RMB));
        assert_eq!(r1.attainment_pct, Some(30.0));
        assert_eq!(r1.coverage, Coverage::Ratio(4_800_000.0 / 7_000_000.0));
        assert!(r1.under_covered);
        let r2 = &rows[1];
        assert_eq!((r2.won_fen, r2.remaining_fen, r2.coverage, r2.under_covered), (1_500_000 * RMB, 0, Coverage::Met, false));
        assert_eq!(r2.attainment_pct, Some(150.0));
        let r3 = &rows[2];
        assert_eq!((r3.attainment_pct, r3.coverage, r3.under_covered), (None, Coverage::Met, false));
        let r4 = &rows[3];
        assert_eq!((r4.open_weighted_fen, r4.coverage, r4.under_covered), (1_000_000 * RMB, Coverage::Ratio(1.0), false));
        let r5 = &rows[4];
        assert_eq!((r5.won_fen, r5.open_weighted_fen, r5.coverage, r5.under_covered), (0, 0, Coverage::Ratio(0.0), true));
        // In UTC the first win falls on 03-31: outside Q2.
        assert_eq!(quota_figures(&deals, &solution(), &quotas[..1], utc())[0].won_fen, 0);
    }
}
