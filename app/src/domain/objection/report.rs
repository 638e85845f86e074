//! Which objections cost us most: every objection on the deals a manager sees, by category,
//! with what the deals behind them were worth and how they ended.
use super::{Category, Status};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};

/// How the deal behind an objection stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DealOutcome {
    Open,
    Won,
    Lost,
}

/// One objection as the report reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fact {
    pub deal: uuid::Uuid,
    pub category: Category,
    pub status: Status,
    pub raised_on: NaiveDate,
    pub resolved_on: Option<NaiveDate>,
    pub deal_amount_fen: i64,
    pub outcome: DealOutcome,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryStat {
    pub category: Category,
    pub raised: u32,
    pub unresolved: u32,
    pub resolved: u32,
    pub dropped: u32,
    /// Distinct deals with this objection, and how many of them were lost.
    pub deals: u32,
    pub lost_deals: u32,
    /// Σ amount of the lost deals with it (each deal once).
    pub lost_fen: i64,
    /// Σ amount of the open deals where it is still unresolved (each deal once).
    pub at_stake_fen: i64,
    /// Mean days from raised to resolved, over the resolved ones.
    pub mean_days_to_resolve: Option<u32>,
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// One row per category that occurs, costliest first: lost amount, then amount at stake,
/// then how often it is raised.
pub fn by_category(facts: &[Fact]) -> Vec<CategoryStat> {
    let mut groups: BTreeMap<Category, Vec<&Fact>> = BTreeMap::new();
    for f in facts {
        groups.entry(f.category).or_default().push(f);
    }
    let mut out: Vec<CategoryStat> = groups
        .into_iter()
        .map(|(c, fs)| {
            let of = |s: Status| count(fs.iter().filter(|f| f.status == s).count());
            let mut deals = HashSet::new();
            let mut lost = HashSet::new();
            let mut stake = HashSet::new();
            let (mut lost_fen, mut at_stake_fen) = (0i64, 0i64);
            for f in &fs {
                deals.insert(f.deal);
                if f.outcome == DealOutcome::Lost && lost.insert(f.deal) {
                    lost_fen = lost_fen.saturating_add(f.deal_amount_fen);
                }
                if f.outcome == DealOutcome::Open && f.status.unresolved() && stake.insert(f.deal) {
                    at_stake_fen = at_stake_fen.saturating_add(f.deal_amount_fen);
                }
            }
            let days: Vec<i64> = fs
                .iter()
                .filter(|f| f.status == Status::Resolved)
                .filter_map(|f| f.resolved_on.map(|r| (r - f.raised_on).num_days().max(0)))
                .collect();
            let mean = (!days.is_empty()).then(|| {
                let n = i64::try_from(days.len()).unwrap_or(i64::MAX);
                u32::try_from((days.iter().sum::<i64>() + n / 2) / n).unwrap_or(u32::MAX)
            });
            CategoryStat {
                category: c,
                raised: count(fs.len()),
                unresolved: of(Status::Open) + of(Status::Answered),
                resolved: of(Status::Resolved),
                dropped: of(Status::Dropped),
                deals: count(deals.len()),
                lost_deals: count(lost.len()),
                lost_fen,
                at_stake_fen,
                mean_days_to_resolve: mean,
            }
        })
        .collect();
    out.sort_by(|a, b| b.lost_fen.cmp(&a.lost_fen).then(b.at_stake_fen.cmp(&a.at_stake_fen)).then(b.raised.cmp(&a.raised)));
    out
}
