//! Figures of the present: one fact per deal, grouped many ways, and the drill-down.
use super::{
    category_view, close_bucket, default_category, weighted_fen, CategoryView, CloseBucket, Deal, ForecastCategory, Stage, StageKind,
    StageMap,
};
use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// What the dashboard needs of one deal, computed once and grouped many ways.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DealFact {
    /// 0 for a fact that sums a summary cell.
    pub deal_id: i32,
    /// Deals behind the fact: 1, or a cell's count.
    pub count: u64,
    pub owner_id: i32,
    pub team_id: i32,
    pub pipeline_id: i32,
    pub stage_id: i32,
    pub kind: StageKind,
    pub amount_fen: i64,
    /// Open: amount × rate; won: the full amount.
    pub weighted_fen: i64,
    pub close_date: NaiveDate,
    pub bucket: CloseBucket,
    pub category: CategoryView,
}

/// Facts of the open deals and of the deals won at or after `won_since`; lost and unknown-stage
/// deals are left out.
pub fn deal_facts(deals: &[Deal], stages: &[Stage], today: NaiveDate, won_since: DateTime<Utc>) -> Vec<DealFact> {
    let sm = StageMap::new(stages);
    let mut out = Vec::with_capacity(deals.len());
    for d in deals {
        let Some(s) = sm.get(d.stage_id) else { continue };
        let weighted = match s.kind {
            StageKind::Lost => continue,
            StageKind::Won if d.stage_entered_at < won_since => continue,
            StageKind::Won => d.amount_fen,
            StageKind::Open => weighted_fen(d.amount_fen, s.win_rate_pct),
        };
        let Some(bucket) = close_bucket(s.kind, d.close_date, today) else { continue };
        let default = default_category(s.kind, s.win_rate_pct, d.close_date, today);
        out.push(DealFact {
            deal_id: d.id,
            count: 1,
            owner_id: d.owner_id,
            team_id: d.team_id,
            pipeline_id: d.pipeline_id,
            stage_id: d.stage_id,
            kind: s.kind,
            amount_fen: d.amount_fen,
            weighted_fen: weighted,
            close_date: d.close_date,
            bucket,
            category: category_view(default, d.owner_category, d.manager_category),
        });
    }
    out
}

/// A calendar period of a close date; ordering within one kind is chronological.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Period {
    Year { year: i32 },
    Quarter { year: i32, quarter: u32 },
    Month { year: i32, month: u32 },
}

impl Period {
    pub fn first_day(self) -> Option<NaiveDate> {
        match self {
            Period::Year { year } => NaiveDate::from_ymd_opt(year, 1, 1),
            Period::Quarter { year, quarter } => NaiveDate::from_ymd_opt(year, quarter.checked_sub(1)? * 3 + 1, 1),
            Period::Month { year, month } => NaiveDate::from_ymd_opt(year, month, 1),
        }
    }

    pub fn last_day(self) -> Option<NaiveDate> {
        let months = match self {
            Period::Year { .. } => 12,
            Period::Quarter { .. } => 3,
            Period::Month { .. } => 1,
        };
        self.first_day()?.checked_add_months(Months::new(months))?.pred_opt()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    Owner,
    Team,
    Pipeline,
    Bucket,
    Category,
    Month,
    Quarter,
    Year,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupKey {
    Owner(i32),
    Team(i32),
    Pipeline(i32),
    Bucket(CloseBucket),
    Category(ForecastCategory),
    Period(Period),
}

impl GroupKey {
    pub fn of(f: &DealFact, by: GroupBy) -> GroupKey {
        let d = f.close_date;
        match by {
            GroupBy::Owner => GroupKey::Owner(f.owner_id),
            GroupBy::Team => GroupKey::Team(f.team_id),
            GroupBy::Pipeline => GroupKey::Pipeline(f.pipeline_id),
            GroupBy::Bucket => GroupKey::Bucket(f.bucket),
            GroupBy::Category => GroupKey::Category(f.category.effective),
            GroupBy::Month => GroupKey::Period(Period::Month { year: d.year(), month: d.month() }),
            GroupBy::Quarter => GroupKey::Period(Period::Quarter { year: d.year(), quarter: d.month0() / 3 + 1 }),
            GroupBy::Year => GroupKey::Period(Period::Year { year: d.year() }),
        }
    }

    pub fn group_by(self) -> GroupBy {
        match self {
            GroupKey::Owner(_) => GroupBy::Owner,
            GroupKey::Team(_) => GroupBy::Team,
            GroupKey::Pipeline(_) => GroupBy::Pipeline,
            GroupKey::Bucket(_) => GroupBy::Bucket,
            GroupKey::Category(_) => GroupBy::Category,
            GroupKey::Period(Period::Month { .. }) => GroupBy::Month,
            GroupKey::Period(Period::Quarter { .. }) => GroupBy::Quarter,
            GroupKey::Period(Period::Year { .. }) => GroupBy::Year,
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    pub count: u64,
    pub amount_fen: i64,
    pub weighted_fen: i64,
}

impl Totals {
    fn add(&mut self, count: u64, amount_fen: i64, weighted_fen: i64) {
        self.count += count;
        self.amount_fen = self.amount_fen.saturating_add(amount_fen);
        self.weighted_fen = self.weighted_fen.saturating_add(weighted_fen);
    }
}

/// One row of a grouping: open deals (weighted = the forecast) and won deals apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForecastRow {
    pub key: GroupKey,
    pub open: Totals,
    pub won: Totals,
}

/// Rows sorted by key. Bucket and category groupings list every bucket / category (not Lost),
/// empty ones too, so the dashboard's columns never move.
pub fn group(facts: &[DealFact], by: GroupBy) -> Vec<ForecastRow> {
    let mut rows: Vec<ForecastRow> = match by {
        GroupBy::Bucket => CloseBucket::ALL.iter().map(|b| GroupKey::Bucket(*b)).collect(),
        GroupBy::Category => {
            ForecastCategory::ALL.iter().filter(|c| **c != ForecastCategory::Lost).map(|c| GroupKey::Category(*c)).collect()
        }
        _ => Vec::new(),
    }
    .into_iter()
    .map(|key| ForecastRow { key, open: Totals::default(), won: Totals::default() })
    .collect();
    let mut at: HashMap<GroupKey, usize> = rows.iter().enumerate().map(|(i, r)| (r.key, i)).collect();
    for f in facts {
        let key = GroupKey::of(f, by);
        let i = *at.entry(key).or_insert_with(|| {
            rows.push(ForecastRow { key, open: Totals::default(), won: Totals::default() });
            rows.len() - 1
        });
        if let Some(row) = rows.get_mut(i) {
            let t = if f.kind == StageKind::Won { &mut row.won } else { &mut row.open };
            t.add(f.count, f.amount_fen, f.weighted_fen);
        }
    }
    rows.sort_by_key(|r| r.key);
    rows
}

/// Drill-down: the ids of the deals behind a row, in input order. The reference the service's
/// SQL drill-downs follow; only tests call it.
#[cfg(test)]
pub fn deals_behind(facts: &[DealFact], key: GroupKey) -> Vec<i32> {
    let by = key.group_by();
    facts.iter().filter(|f| GroupKey::of(f, by) == key).map(|f| f.deal_id).collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::domain::forecast::test_support::*;
    use crate::domain::forecast::*;

    /// today 2027-02-15; won since 2027-01-01.
    fn board() -> Vec<Deal> {
        let mut v = vec![
            deal(1, 1, 5, 1_000_000 * RMB, "2027-03-20", "2027-01-05"), // 80 % this quarter: commit, m3
            deal(2, 1, 2, 400_000 * RMB, "2027-04-20", "2027-01-06"),   // 25 % next quarter: pipeline, m3
            deal(3, 2, 4, 2_000_000 * RMB, "2027-06-10", "2027-01-07"), // 60 % next quarter: next_quarter, m6
            deal(4, 2, 3, 300_000 * RMB, "2026-12-31", "2026-10-01"),   // 40 % overdue: best_case, m3
            deal(5, 3, 1, 5_000_000 * RMB, "2028-03-01", "2027-01-08"), // 10 % later: pipeline
            deal(6, 3, 6, 700_000 * RMB, "2027-02-01", "2026-11-01"),   // won 2027-02-01: counted
            deal(7, 1, 6, 900_000 * RMB, "2026-12-20", "2026-10-01"),   // won 2026-12-20: before won_since
            deal(8, 2, 7, 600_000 * RMB, "2027-03-01", "2027-01-01"),   // lost: never counted
            deal(9, 3, 99, 100_000 * RMB, "2027-03-01", "2027-01-01"),  // unknown stage: ignored
            deal(10, 1, 3, 800_000 * RMB, "2027-09-01", "2027-01-09"),  // 40 % m9: pipeline
        ];
        v[5].stage_entered_at = t("2027-02-01");
        v[6].stage_entered_at = t("2026-12-20");
        v[1].owner_category = Some(ForecastCategory::BestCase);
        v[2].owner_category = Some(ForecastCategory::Commit);
        v[2].manager_category = Some(ForecastCategory::BestCase);
        v[3].team_id = 99;
        v
    }

    fn board_facts() -> Vec<DealFact> {
        deal_facts(&board(), &solution(), d("2027-02-15"), t("2027-01-01"))
    }

    fn totals(count: u64, amount_rmb: i64, weighted_rmb: i64) -> Totals {
        Totals { count, amount_fen: amount_rmb * RMB, weighted_fen: weighted_rmb * RMB }
    }

    fn none() -> Totals {
        Totals::default()
    }

    #[test]
    fn facts_keep_open_and_recently_won_deals() {
        let f = board_facts();
        assert_eq!(f.iter().map(|f| f.deal_id).collect::<Vec<_>>(), vec![1, 2, 3, 4, 5, 6, 10]);
        let by_id = |id: i32| f.iter().find(|x| x.deal_id == id).unwrap().clone();
        assert_eq!(by_id(6).weighted_fen, 700_000 * RMB);
        assert_eq!(by_id(6).bucket, CloseBucket::Won);
        let c3 = by_id(3).category;
        assert_eq!(
            (c3.default, c3.owner, c3.manager, c3.effective),
            (ForecastCategory::NextQuarter, Some(ForecastCategory::Commit), Some(ForecastCategory::BestCase), ForecastCategory::BestCase)
        );
        assert_eq!(by_id(2).category.effective, ForecastCategory::BestCase);
        assert_eq!(by_id(2).category.default, ForecastCategory::Pipeline);
    }

    #[test]
    fn grouping_by_every_key() {
        use GroupKey as K;
        let f = board_facts();
        let row = |key, open, won| ForecastRow { key, open, won };
        let cases: Vec<(GroupBy, Vec<ForecastRow>)> = vec![
            (
                GroupBy::Owner,
                vec![
                    row(K::Owner(1), totals(3, 2_200_000, 800_000 + 100_000 + 320_000), none()),
                    row(K::Owner(2), totals(2, 2_300_000, 1_200_000 + 120_000), none()),
                    row(K::Owner(3), totals(1, 5_000_000, 500_000), totals(1, 700_000, 700_000)),
                ],
            ),
            (
                GroupBy::Team,
                vec![
                    row(K::Team(10), totals(3, 2_200_000, 1_220_000), none()),
                    row(K::Team(20), totals(1, 2_000_000, 1_200_000), none()),
                    row(K::Team(30), totals(1, 5_000_000, 500_000), totals(1, 700_000, 700_000)),
                    row(K::Team(99), totals(1, 300_000, 120_000), none()),
                ],
            ),
            (GroupBy::Pipeline, vec![row(K::Pipeline(1), totals(6, 9_500_000, 3_040_000), totals(1, 700_000, 700_000))]),
            (
                GroupBy::Bucket,
                vec![
                    row(K::Bucket(CloseBucket::Won), none(), totals(1, 700_000, 700_000)),
                    row(K::Bucket(CloseBucket::M3), totals(3, 1_700_000, 800_000 + 100_000 + 120_000), none()),
                    row(K::Bucket(CloseBucket::M6), totals(1, 2_000_000, 1_200_000), none()),
                    row(K::Bucket(CloseBucket::M9), totals(1, 800_000, 320_000), none()),
                    row(K::Bucket(CloseBucket::M12), none(), none()),
                    row(K::Bucket(CloseBucket::Later), totals(1, 5_000_000, 500_000), none()),
                ],
            ),
            (
                GroupBy::Category,
                vec![
                    row(K::Category(ForecastCategory::Won), none(), totals(1, 700_000, 700_000)),
                    row(K::Category(ForecastCategory::Commit), totals(1, 1_000_000, 800_000), none()),
                    row(K::Category(ForecastCategory::BestCase), totals(3, 2_700_000, 100_000 + 1_200_000 + 120_000), none()),
                    row(K::Category(ForecastCategory::NextQuarter), none(), none()),
                    row(K::Category(ForecastCategory::Pipeline), totals(2, 5_800_000, 820_000), none()),
                ],
            ),
            (
                GroupBy::Month,
                vec![
                    row(K::Period(Period::Month { year: 2026, month: 12 }), totals(1, 300_000, 120_000), none()),
                    row(K::Period(Period::Month { year: 2027, month: 2 }), none(), totals(1, 700_000, 700_000)),
                    row(K::Period(Period::Month { year: 2027, month: 3 }), totals(1, 1_000_000, 800_000), none()),
                    row(K::Period(Period::Month { year: 2027, month: 4 }), totals(1, 400_000, 100_000), none()),
                    row(K::Period(Period::Month { year: 2027, month: 6 }), totals(1, 2_000_000, 1_200_000), none()),
                    row(K::Period(Period::Month { year: 2027, month: 9 }), totals(1, 800_000, 320_000), none()),
                    row(K::Period(Period::Month { year: 2028, month: 3 }), totals(1, 5_000_000, 500_000), none()),
                ],
            ),
            (
                GroupBy::Quarter,
                vec![
                    row(K::Period(Period::Quarter { year: 2026, quarter: 4 }), totals(1, 300_000, 120_000), none()),
                    row(K::Period(Period::Quarter { year: 2027, quarter: 1 }), totals(1, 1_000_000, 800_000), totals(1, 700_000, 700_000)),
                    row(K::Period(Period::Quarter { year: 2027, quarter: 2 }), totals(2, 2_400_000, 1_300_000), none()),
                    row(K::Period(Period::Quarter { year: 2027, quarter: 3 }), totals(1, 800_000, 320_000), none()),
                    row(K::Period(Period::Quarter { year: 2028, quarter: 1 }), totals(1, 5_000_000, 500_000), none()),
                ],
            ),
            (
                GroupBy::Year,
                vec![
                    row(K::Period(Period::Year { year: 2026 }), totals(1, 300_000, 120_000), none()),
                    row(K::Period(Period::Year { year: 2027 }), totals(4, 4_200_000, 2_420_000), totals(1, 700_000, 700_000)),
                    row(K::Period(Period::Year { year: 2028 }), totals(1, 5_000_000, 500_000), none()),
                ],
            ),
        ];
        let all_open: i64 = f.iter().filter(|x| x.kind == StageKind::Open).map(|x| x.weighted_fen).sum();
        for (by, want) in cases {
            let rows = group(&f, by);
            assert_eq!(rows, want, "{by:?}");
            // Every grouping adds up to the same forecast, and each row to the deals behind it.
            assert_eq!(rows.iter().map(|r| r.open.weighted_fen).sum::<i64>(), all_open, "{by:?}");
            for r in &rows {
                let ids = deals_behind(&f, r.key);
                assert_eq!(ids.len() as u64, r.open.count + r.won.count, "{:?}", r.key);
                let w: i64 = f.iter().filter(|x| ids.contains(&x.deal_id)).map(|x| x.weighted_fen).sum();
                assert_eq!(w, r.open.weighted_fen + r.won.weighted_fen, "{:?}", r.key);
            }
        }
        assert_eq!(all_open, 3_040_000 * RMB);
    }

    #[test]
    fn drill_down_lists_the_deals_behind_a_number() {
        let f = board_facts();
        assert_eq!(deals_behind(&f, GroupKey::Owner(1)), vec![1, 2, 10]);
        assert_eq!(deals_behind(&f, GroupKey::Bucket(CloseBucket::M3)), vec![1, 2, 4]);
        assert_eq!(deals_behind(&f, GroupKey::Category(ForecastCategory::BestCase)), vec![2, 3, 4]);
        assert_eq!(deals_behind(&f, GroupKey::Period(Period::Quarter { year: 2027, quarter: 2 })), vec![2, 3]);
        assert_eq!(deals_behind(&f, GroupKey::Bucket(CloseBucket::M12)), Vec::<i32>::new());
        assert_eq!(deals_behind(&f, GroupKey::Owner(42)), Vec::<i32>::new());
        assert_eq!(group(&[], GroupBy::Owner), vec![]);
        assert_eq!(group(&[], GroupBy::Bucket).len(), 6);
        assert_eq!(group(&[], GroupBy::Category).len(), 5);
    }
}
