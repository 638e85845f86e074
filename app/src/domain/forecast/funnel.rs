//! The ideal funnel against the actual open deals.
use super::{DealFact, Stage, StageKind};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Target share (whole percent) of the deals in an open stage that reach the next open stage
/// (for the last open stage: that are won).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversionTarget {
    pub from_stage_id: i32,
    pub pct: i32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunnelStageRow {
    pub stage_id: i32,
    pub position: i32,
    pub target_conversion_pct: Option<i32>,
    /// Deals needed in this stage now; None when a rate on the way down is missing.
    pub ideal: Option<u64>,
    pub actual: u64,
    /// actual − ideal (negative: short).
    pub gap: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdealFunnel {
    pub pipeline_id: i32,
    pub target_fen: i64,
    pub avg_won_fen: i64,
    /// ⌈target ÷ average won deal⌉; None for an average ≤ 0.
    pub deals_to_win: Option<u64>,
    /// Open stages, top of the funnel first.
    pub stages: Vec<FunnelStageRow>,
}

fn ceil_div(n: u64, d: u64) -> Option<u64> {
    let (n, d) = (u128::from(n), u128::from(d));
    if d == 0 {
        return None;
    }
    u64::try_from(n.div_ceil(d)).ok()
}

/// The bottom-up funnel calculation of one pipeline beside the actual open deals per stage.
pub fn ideal_funnel(
    pipeline_id: i32,
    stages: &[Stage],
    targets: &[ConversionTarget],
    target_fen: i64,
    avg_won_fen: i64,
    facts: &[DealFact],
) -> IdealFunnel {
    let mut open: Vec<&Stage> = stages.iter().filter(|s| s.pipeline_id == pipeline_id && s.kind == StageKind::Open).collect();
    open.sort_by_key(|s| (s.position, s.id));
    let mut actual: HashMap<i32, u64> = open.iter().map(|s| (s.id, 0)).collect();
    for f in facts {
        if let Some(n) = actual.get_mut(&f.stage_id) {
            *n += f.count;
        }
    }
    let deals_to_win =
        if avg_won_fen <= 0 { None } else { ceil_div(u64::try_from(target_fen).unwrap_or(0), u64::try_from(avg_won_fen).unwrap_or(1)) };
    let mut rows: Vec<FunnelStageRow> = Vec::with_capacity(open.len());
    let mut needed = deals_to_win;
    for s in open.iter().rev() {
        let pct = targets.iter().find(|t| t.from_stage_id == s.id).map(|t| t.pct);
        let ideal = match (needed, pct) {
            (Some(n), Some(p)) if (1..=100).contains(&p) => n.checked_mul(100).and_then(|x| ceil_div(x, u64::from(p.unsigned_abs()))),
            _ => None,
        };
        let act = actual.get(&s.id).copied().unwrap_or(0);
        let gap = ideal.and_then(|i| i64::try_from(act).ok()?.checked_sub(i64::try_from(i).ok()?));
        rows.push(FunnelStageRow { stage_id: s.id, position: s.position, target_conversion_pct: pct, ideal, actual: act, gap });
        needed = ideal;
    }
    rows.reverse();
    IdealFunnel { pipeline_id, target_fen, avg_won_fen, deals_to_win, stages: rows }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::domain::forecast::test_support::*;
    use crate::domain::forecast::*;

    fn conv(pcts: [i32; 5]) -> Vec<ConversionTarget> {
        pcts.iter().zip(1..).map(|(&pct, from_stage_id)| ConversionTarget { from_stage_id, pct }).collect()
    }

    #[test]
    fn ideal_funnel_bottom_up() {
        let mut deals = Vec::new();
        let actual = [(1, 700), (2, 150), (3, 68), (4, 30), (5, 25)];
        for (stage_id, n) in actual {
            for k in 0..n {
                deals.push(deal(stage_id * 1000 + k, 1, stage_id, RMB, "2027-03-01", "2027-01-01"));
            }
        }
        deals.push(deal(9_999, 1, 6, RMB, "2027-03-01", "2027-01-01")); // won: not in any row
        let facts = deal_facts(&deals, &solution(), d("2027-01-15"), t("2027-01-01"));
        let f = ideal_funnel(1, &solution(), &conv([25, 40, 50, 60, 50]), 10_000_000 * RMB, 1_000_000 * RMB, &facts);
        // Cells count their deals.
        let cells = cells_of(&deals, &solution(), cst());
        let g = ideal_funnel(
            1,
            &solution(),
            &conv([25, 40, 50, 60, 50]),
            10_000_000 * RMB,
            1_000_000 * RMB,
            &cell_facts(&cells, &solution(), d("2027-01-15"), 202701),
        );
        assert_eq!(f, g);
        assert_eq!(f.deals_to_win, Some(10));
        // 10 won ← 20 at 50 % ← ⌈20 / 0.6⌉ = 34 ← 68 ← 170 ← 680
        let got: Vec<(i32, Option<u64>, u64, Option<i64>)> = f.stages.iter().map(|r| (r.stage_id, r.ideal, r.actual, r.gap)).collect();
        assert_eq!(
            got,
            vec![
                (1, Some(680), 700, Some(20)),
                (2, Some(170), 150, Some(-20)),
                (3, Some(68), 68, Some(0)),
                (4, Some(34), 30, Some(-4)),
                (5, Some(20), 25, Some(5))
            ]
        );
        // Ceil at each step: 10.5M / 1M → 11 deals.
        let g = ideal_funnel(1, &solution(), &conv([100, 100, 100, 100, 100]), 10_500_000 * RMB, 1_000_000 * RMB, &[]);
        assert_eq!(g.deals_to_win, Some(11));
        assert!(g.stages.iter().all(|r| r.ideal == Some(11) && r.actual == 0 && r.gap == Some(-11)));
    }

    #[test]
    fn ideal_funnel_edge_cases() {
        let st = solution();
        // A missing rate stops the calculation there and above.
        let mut targets = conv([25, 40, 50, 60, 50]);
        targets.retain(|t| t.from_stage_id != 3);
        let f = ideal_funnel(1, &st, &targets, 10_000_000 * RMB, 1_000_000 * RMB, &[]);
        assert_eq!(f.stages.iter().map(|r| r.ideal).collect::<Vec<_>>(), vec![None, None, None, Some(34), Some(20)]);
        assert_eq!(f.stages[2].target_conversion_pct, None);
        // Out-of-range rates count as missing.
        for bad in [0, -5, 101] {
            let f = ideal_funnel(1, &st, &conv([25, 40, 50, 60, bad]), 10 * RMB, RMB, &[]);
            assert!(f.stages.iter().all(|r| r.ideal.is_none() && r.gap.is_none()), "{bad}");
        }
        // No average deal: nothing can be computed; nothing to win: nothing needed.
        let f = ideal_funnel(1, &st, &conv([25, 40, 50, 60, 50]), 10 * RMB, 0, &[]);
        assert_eq!(f.deals_to_win, None);
        let f = ideal_funnel(1, &st, &conv([25, 40, 50, 60, 50]), 0, RMB, &[]);
        assert_eq!((f.deals_to_win, f.stages[0].ideal), (Some(0), Some(0)));
        // Another pipeline's stages and deals stay out.
        let f = ideal_funnel(2, &st, &conv([25, 40, 50, 60, 50]), 10 * RMB, RMB, &[]);
        assert!(f.stages.is_empty());
    }
}
