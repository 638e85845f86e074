//! Summary cells: the figures of the present without reading every deal.
use super::{
    category_view, close_bucket, default_category, local_date, month_first, month_key, weighted_fen, Deal, DealFact, ForecastCategory,
    Scope, Stage, StageKind, StageMap, TrendPoint,
};
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// What a deal contributes to the figures of the present depends only on these values (see the
/// bucket and category rules): deals with equal keys are summed into one cell. `won_month` is
/// the local month a won deal entered its won stage (0 for open deals); lost deals have no cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CellKey {
    pub owner_id: i32,
    pub team_id: i32,
    pub pipeline_id: i32,
    pub stage_id: i32,
    /// `YYYYMM` of the close date.
    pub close_month: i32,
    /// `YYYYMM` (local) of entering the won stage; 0 when open.
    pub won_month: i32,
    pub owner_category: Option<ForecastCategory>,
    pub manager_category: Option<ForecastCategory>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cell {
    pub key: CellKey,
    pub count: i64,
    pub amount_fen: i64,
    /// Σ per-deal weighted amounts (open: amount × rate, rounded per deal; won: the amount).
    pub weighted_fen: i64,
}

/// The cell of a deal in `stage`, with its weighted amount; None for lost deals.
pub fn cell_of(d: &Deal, stage: &Stage, offset: FixedOffset) -> Option<(CellKey, i64)> {
    let (won_month, weighted) = match stage.kind {
        StageKind::Lost => return None,
        StageKind::Won => (month_key(local_date(d.stage_entered_at, offset)), d.amount_fen),
        StageKind::Open => (0, weighted_fen(d.amount_fen, stage.win_rate_pct)),
    };
    let key = CellKey {
        owner_id: d.owner_id,
        team_id: d.team_id,
        pipeline_id: d.pipeline_id,
        stage_id: d.stage_id,
        close_month: month_key(d.close_date),
        won_month,
        owner_category: d.owner_category,
        manager_category: d.manager_category,
    };
    Some((key, weighted))
}

/// The cells of a set of deals, sorted by key (the reference the summary table must equal).
pub fn cells_of(deals: &[Deal], stages: &[Stage], offset: FixedOffset) -> Vec<Cell> {
    let sm = StageMap::new(stages);
    let mut by: HashMap<CellKey, Cell> = HashMap::new();
    for d in deals {
        let Some((key, w)) = sm.get(d.stage_id).and_then(|s| cell_of(d, s, offset)) else { continue };
        let c = by.entry(key).or_insert(Cell { key, count: 0, amount_fen: 0, weighted_fen: 0 });
        c.count += 1;
        c.amount_fen = c.amount_fen.saturating_add(d.amount_fen);
        c.weighted_fen = c.weighted_fen.saturating_add(w);
    }
    let mut out: Vec<Cell> = by.into_values().filter(|c| c.count != 0).collect();
    out.sort_by_key(|c| c.key);
    out
}

/// [`deal_facts`] for cells: one fact per cell (deal id 0), won cells from the local month of
/// `won_since_month` on. Grouping these gives exactly what grouping the deals' facts gives when
/// `won_since` is the first instant of that month.
pub fn cell_facts(cells: &[Cell], stages: &[Stage], today: NaiveDate, won_since_month: i32) -> Vec<DealFact> {
    let sm = StageMap::new(stages);
    let mut out = Vec::with_capacity(cells.len());
    for c in cells {
        let Some(s) = sm.get(c.key.stage_id) else { continue };
        let Some(close_date) = month_first(c.key.close_month) else { continue };
        match s.kind {
            StageKind::Lost => continue,
            StageKind::Won if c.key.won_month < won_since_month => continue,
            _ => {}
        }
        let Some(bucket) = close_bucket(s.kind, close_date, today) else { continue };
        let default = default_category(s.kind, s.win_rate_pct, close_date, today);
        out.push(DealFact {
            deal_id: 0,
            count: u64::try_from(c.count).unwrap_or(0),
            owner_id: c.key.owner_id,
            team_id: c.key.team_id,
            pipeline_id: c.key.pipeline_id,
            stage_id: c.key.stage_id,
            kind: s.kind,
            amount_fen: c.amount_fen,
            weighted_fen: c.weighted_fen,
            close_date,
            bucket,
            category: category_view(default, c.key.owner_category, c.key.manager_category),
        });
    }
    out
}

/// [`present_point`] from summary cells (exact under the conditions of [`cells_value`]).
pub fn cells_point(cells: &[Cell], stages: &[Stage], scope: Scope, offset: FixedOffset, at: DateTime<Utc>) -> TrendPoint {
    let sm = StageMap::new(stages);
    let since = month_key(local_date(scope.period_start, offset));
    let horizon = scope.horizon_end.map(month_key);
    let mut p = TrendPoint { at, forecast_fen: 0, won_fen: 0, value_fen: 0, open_count: 0, won_count: 0 };
    for c in cells {
        let n = u64::try_from(c.count).unwrap_or(0);
        match sm.get(c.key.stage_id).map(|s| s.kind) {
            Some(StageKind::Open) if horizon.is_none_or(|h| c.key.close_month <= h) => {
                p.forecast_fen = p.forecast_fen.saturating_add(c.weighted_fen);
                p.open_count += n;
            }
            Some(StageKind::Won) if c.key.won_month >= since => {
                p.won_fen = p.won_fen.saturating_add(c.amount_fen);
                p.won_count += n;
            }
            _ => {}
        }
    }
    p.value_fen = p.forecast_fen.saturating_add(p.won_fen);
    p
}

/// [`present_value`] from summary cells. Exact when the scope starts on the first instant of a
/// local month and its horizon (if any) is a month's last day — true of [`Scope::quarter`].
pub fn cells_value(cells: &[Cell], stages: &[Stage], scope: Scope, offset: FixedOffset) -> (i64, i64) {
    let sm = StageMap::new(stages);
    let since = month_key(local_date(scope.period_start, offset));
    let horizon = scope.horizon_end.map(month_key);
    cells.iter().fold((0i64, 0i64), |(f, w), c| match sm.get(c.key.stage_id).map(|s| s.kind) {
        Some(StageKind::Open) if horizon.is_none_or(|h| c.key.close_month <= h) => (f.saturating_add(c.weighted_fen), w),
        Some(StageKind::Won) if c.key.won_month >= since => (f, w.saturating_add(c.amount_fen)),
        _ => (f, w),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::domain::forecast::test_support::*;
    use crate::domain::forecast::*;

    /// 400 deals with odd amounts (per-deal rounding matters), every stage, categories, and
    /// won times around local month ends.
    fn varied_deals() -> Vec<Deal> {
        let cats = [None, Some(ForecastCategory::Commit), Some(ForecastCategory::BestCase), Some(ForecastCategory::Pipeline)];
        (0..400)
            .map(|i: i32| {
                let created = t("2026-01-01") + chrono::Duration::hours(i64::from(i) * 37 + 15);
                Deal {
                    id: i + 1,
                    owner_id: i % 5 + 1,
                    team_id: i % 2 + 1,
                    pipeline_id: 1,
                    stage_id: i % 7 + 1,
                    amount_fen: 10_001 + i64::from(i) * 7_777,
                    close_date: d("2026-09-01") + chrono::Duration::days(i64::from(i) * 3 % 700),
                    owner_category: cats[(i % 4) as usize],
                    manager_category: cats[(i / 4 % 4) as usize],
                    created_at: created,
                    stage_entered_at: created + chrono::Duration::hours(i64::from(i % 24)),
                }
            })
            .collect()
    }

    #[test]
    fn cells_give_the_same_figures_as_the_deals() {
        let (stages, deals) = (solution(), varied_deals());
        let cells = cells_of(&deals, &stages, cst());
        assert!(cells.len() < deals.len(), "deals share cells");
        assert_eq!(cells.iter().map(|c| c.count).sum::<i64>(), deals.iter().filter(|d| d.stage_id != 7).count() as i64);
        for today in ["2026-11-30", "2026-12-01", "2027-03-31"].map(d) {
            for since in ["2026-01-01", "2026-10-01", "2026-12-01", "2027-04-01"].map(d) {
                let from_deals = deal_facts(&deals, &stages, today, local_midnight(since, cst()));
                let from_cells = cell_facts(&cells, &stages, today, month_key(since));
                for by in [
                    GroupBy::Owner,
                    GroupBy::Team,
                    GroupBy::Pipeline,
                    GroupBy::Bucket,
                    GroupBy::Category,
                    GroupBy::Month,
                    GroupBy::Quarter,
                    GroupBy::Year,
                ] {
                    assert_eq!(group(&from_cells, by), group(&from_deals, by), "{today} {since} {by:?}");
                }
            }
        }
    }

    #[test]
    fn the_value_of_the_present_from_cells_equals_the_deals() {
        let (stages, deals) = (solution(), varied_deals());
        let cells = cells_of(&deals, &stages, cst());
        for day in ["2026-03-15", "2026-11-30", "2027-01-01", "2027-06-30"].map(d) {
            let scope = Scope::quarter(day, cst());
            assert_eq!(cells_value(&cells, &stages, scope, cst()), present_value(&deals, &stages, scope), "{day}");
            let open_ended = Scope { horizon_end: None, ..scope };
            assert_eq!(cells_value(&cells, &stages, open_ended, cst()), present_value(&deals, &stages, open_ended), "{day}");
        }
        let (f, w) = present_value(&deals, &stages, Scope::quarter(d("2026-11-30"), cst()));
        assert!(f > 0 && w > 0, "the fixture has open and won deals in the quarter: {f} {w}");
    }

    #[test]
    fn points_from_cells_equal_the_deals() {
        let (stages, deals) = (solution(), varied_deals());
        let cells = cells_of(&deals, &stages, cst());
        let at = t("2026-12-01");
        for day in ["2026-03-15", "2026-11-30", "2027-01-01"].map(d) {
            let scope = Scope::quarter(day, cst());
            assert_eq!(cells_point(&cells, &stages, scope, cst(), at), present_point(&deals, &stages, scope, at), "{day}");
        }
        // Replaying a part and taking the rest from the present gives the whole.
        let scope = Scope::quarter(d("2026-11-30"), cst());
        let whole = present_point(&deals, &stages, scope, at);
        let (some, rest) = deals.split_at(150);
        let parts = combine_point(present_point(some, &stages, scope, at), whole, present_point(some, &stages, scope, at));
        assert_eq!(parts, whole);
        assert_eq!(combine_point(present_point(rest, &stages, scope, at), whole, present_point(rest, &stages, scope, at)), whole);
        // A week ending at midnight on 1 October (Beijing) belongs to the third quarter.
        assert_eq!(point_scope(t("2026-09-30T16:00:00Z"), cst()), Scope::quarter(d("2026-09-30"), cst()));
    }

    #[test]
    fn cell_keys_follow_the_local_month_of_winning() {
        let s = stage(6, 1, 6, 100, StageKind::Won, 0);
        let mut won = deal(1, 1, 6, 100 * RMB, "2026-12-15", "2026-11-30T15:59:59Z");
        // 23:59:59 on 30 November in Beijing: still November.
        assert_eq!(cell_of(&won, &s, cst()).unwrap().0.won_month, 202611);
        won.stage_entered_at = t("2026-11-30T16:00:00Z");
        assert_eq!(cell_of(&won, &s, cst()).unwrap().0.won_month, 202612);
        assert_eq!(cell_of(&won, &stage(7, 1, 7, 0, StageKind::Lost, 0), cst()), None);
        let open = cell_of(&won, &stage(2, 1, 2, 25, StageKind::Open, 0), cst()).unwrap();
        assert_eq!((open.0.won_month, open.0.close_month, open.1), (0, 202612, 2_500));
        assert_eq!(month_first(202612), Some(d("2026-12-01")));
        assert_eq!(month_first(202613), None);
    }
}
