//! Conversion, days in stage, win rate, sales cycle, stuck deals and deals signed outside the funnel.
use super::{Deal, EventKind, HistoryEvent, Stage, StageKind, StageMap};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

const DAY_SECS: i64 = 86_400;

/// Half-open window of instants [from, to).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}

impl Window {
    pub fn contains(&self, t: DateTime<Utc>) -> bool {
        t >= self.from && t < self.to
    }
}

/// One stay of a deal in a stage; `leave` None while it is still there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Visit {
    stage_id: i32,
    enter: DateTime<Utc>,
    leave: Option<DateTime<Utc>>,
}

/// Calls `f` once per deal (input order) with its stage visits, from `created` and `moved` events.
fn for_each_visits(deals: &[Deal], events: &[HistoryEvent], mut f: impl FnMut(&Deal, &[Visit])) {
    let index: HashMap<i32, u32> = deals.iter().zip(0..u32::MAX).map(|(d, i)| (d.id, i)).collect();
    let mut order: Vec<(u32, u32)> = events
        .iter()
        .zip(0..u32::MAX)
        .filter(|(e, _)| matches!(e.kind, EventKind::Created | EventKind::Moved))
        .filter_map(|(e, i)| index.get(&e.deal_id).map(|&d| (d, i)))
        .collect();
    order.sort_unstable_by_key(|&(d, i)| (d, events.get(i as usize).map(|e| (e.at, e.id))));
    let mut visits: Vec<Visit> = Vec::new();
    let mut evs: Vec<&HistoryEvent> = Vec::new();
    let mut next = 0usize;
    for (deal, di) in deals.iter().zip(0..u32::MAX) {
        let lo = next;
        while order.get(next).is_some_and(|&(d, _)| d == di) {
            next += 1;
        }
        evs.clear();
        evs.extend(order.get(lo..next).unwrap_or(&[]).iter().filter_map(|&(_, i)| events.get(i as usize)));
        let first_from = evs.iter().find(|e| e.kind == EventKind::Moved).and_then(|e| e.from_stage_id);
        let fallback = first_from.unwrap_or(deal.stage_id);
        let (start, first) = match evs.iter().find(|e| e.kind == EventKind::Created) {
            Some(c) => (c.at, c.to_stage_id.unwrap_or(fallback)),
            None => (deal.created_at, fallback),
        };
        visits.clear();
        visits.push(Visit { stage_id: first, enter: start, leave: None });
        for e in evs.iter().filter(|e| e.kind == EventKind::Moved) {
            let Some(cur) = visits.last_mut() else { continue };
            // A move stamped before the creation (clock skew) is taken as happening at it.
            let at = e.at.max(cur.enter);
            cur.leave = Some(at);
            let stage_id = e.to_stage_id.unwrap_or(cur.stage_id);
            visits.push(Visit { stage_id, enter: at, leave: None });
        }
        f(deal, &visits);
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StageStats {
    pub stage_id: i32,
    pub pipeline_id: i32,
    pub position: i32,
    pub kind: StageKind,
    /// Deals that entered the stage in the window.
    pub entered: u64,
    /// Of those, deals that later reached a higher open stage or won.
    pub advanced: u64,
    /// advanced ÷ entered × 100 (open stages only).
    pub conversion_pct: Option<f64>,
    /// Visits of the stage that ended in the window.
    pub left: u64,
    pub avg_days: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CycleStats {
    /// Sorted by pipeline, position.
    pub stages: Vec<StageStats>,
    pub won: u64,
    pub lost: u64,
    /// won ÷ (won + lost) × 100.
    pub win_rate_pct: Option<f64>,
    /// Creation → won, in days, over the deals won in the window.
    pub avg_cycle_days: Option<f64>,
}

fn secs(from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
    to.signed_duration_since(from).num_seconds().max(0)
}

fn ratio_pct(n: u64, d: u64) -> Option<f64> {
    (d > 0).then(|| n as f64 * 100.0 / d as f64)
}

fn avg_days(total_secs: i64, n: u64) -> Option<f64> {
    (n > 0).then(|| total_secs as f64 / DAY_SECS as f64 / n as f64)
}

/// Conversion, days in stage, win rate and sales cycle from history (rules in the module doc).
pub fn cycle_stats(deals: &[Deal], stages: &[Stage], events: &[HistoryEvent], window: Window) -> CycleStats {
    let mut sorted: Vec<&Stage> = stages.iter().collect();
    sorted.sort_by_key(|s| (s.pipeline_id, s.position, s.id));
    let slot: HashMap<i32, usize> = sorted.iter().enumerate().map(|(i, s)| (s.id, i)).collect();
    // Per stage: entered, advanced, left, seconds of the left visits.
    let mut acc = vec![(0u64, 0u64, 0u64, 0i64); sorted.len()];
    let (mut won, mut lost, mut cycle_secs) = (0u64, 0u64, 0i64);
    let mut advanced: Vec<bool> = Vec::new();
    let mut seen: Vec<i32> = Vec::new();
    // Best position reached later, per pipeline (almost always one).
    let mut best: Vec<(i32, i32)> = Vec::new();
    for_each_visits(deals, events, |_, visits| {
        let stage = |v: &Visit| slot.get(&v.stage_id).and_then(|&i| sorted.get(i).copied());
        // Newest to oldest, keeping the best later reach per pipeline, so each visit learns in O(1)
        // whether the deal moved on after it.
        advanced.clear();
        advanced.resize(visits.len(), false);
        let mut later_won = false;
        best.clear();
        for (i, v) in visits.iter().enumerate().rev() {
            let Some(s) = stage(v) else { continue };
            let reach = best.iter().find(|(p, _)| *p == s.pipeline_id).map(|(_, pos)| *pos);
            if let Some(a) = advanced.get_mut(i) {
                *a = later_won || reach.is_some_and(|r| r > s.position);
            }
            match s.kind {
                StageKind::Won => later_won = true,
                StageKind::Open => match best.iter_mut().find(|(p, _)| *p == s.pipeline_id) {
                    Some(b) => b.1 = b.1.max(s.position),
                    None => best.push((s.pipeline_id, s.position)),
                },
                StageKind::Lost => {}
            }
        }
        seen.clear();
        for (i, v) in visits.iter().enumerate() {
            let Some(&k) = slot.get(&v.stage_id) else { continue };
            let Some(a) = acc.get_mut(k) else { continue };
            if window.contains(v.enter) && !seen.contains(&v.stage_id) {
                seen.push(v.stage_id);
                a.0 += 1;
                a.1 += u64::from(advanced.get(i).copied().unwrap_or(false));
            }
            if let Some(l) = v.leave.filter(|l| window.contains(*l)) {
                a.2 += 1;
                a.3 = a.3.saturating_add(secs(v.enter, l));
            }
        }
        if let Some(last) = visits.iter().rev().find(|v| v.enter < window.to) {
            if window.contains(last.enter) {
                match stage(last).map(|s| s.kind) {
                    Some(StageKind::Won) => {
                        won += 1;
                        let created = visits.first().map_or(last.enter, |f| f.enter);
                        cycle_secs = cycle_secs.saturating_add(secs(created, last.enter));
                    }
                    Some(StageKind::Lost) => lost += 1,
                    _ => {}
                }
            }
        }
    });
    let rows = sorted
        .iter()
        .zip(&acc)
        .map(|(s, &(entered, adv, left, total))| StageStats {
            stage_id: s.id,
            pipeline_id: s.pipeline_id,
            position: s.position,
            kind: s.kind,
            entered,
            advanced: adv,
            conversion_pct: if s.kind == StageKind::Open { ratio_pct(adv, entered) } else { None },
            left,
            avg_days: avg_days(total, left),
        })
        .collect();
    CycleStats { stages: rows, won, lost, win_rate_pct: ratio_pct(won, won + lost), avg_cycle_days: avg_days(cycle_secs, won) }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StuckDeal {
    pub deal_id: i32,
    pub owner_id: i32,
    pub stage_id: i32,
    pub days_in_stage: i64,
    pub stuck_days: i32,
}

/// Open deals that have been in their stage longer than its limit, at `now`.
pub fn stuck_deals(deals: &[Deal], stages: &[Stage], now: DateTime<Utc>) -> Vec<StuckDeal> {
    let sm = StageMap::new(stages);
    deals
        .iter()
        .filter_map(|d| {
            let s = sm.get(d.stage_id).filter(|s| s.kind == StageKind::Open && s.stuck_days > 0)?;
            let days = now.signed_duration_since(d.stage_entered_at).num_days().max(0);
            (days > i64::from(s.stuck_days)).then_some(StuckDeal {
                deal_id: d.id,
                owner_id: d.owner_id,
                stage_id: d.stage_id,
                days_in_stage: days,
                stuck_days: s.stuck_days,
            })
        })
        .collect()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FunnelGap {
    /// History shows no open stage at all.
    NeverOpen,
    /// Open stages for fewer than the minimum days in total.
    BrieflyOpen,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnfunneledDeal {
    pub deal_id: i32,
    pub owner_id: i32,
    pub won_at: DateTime<Utc>,
    /// Whole days spent in open stages.
    pub days_in_funnel: i64,
    pub gap: FunnelGap,
}

/// Won deals that were never, or for fewer than `min_days` in total, in an open stage.
pub fn signed_outside_funnel(deals: &[Deal], stages: &[Stage], events: &[HistoryEvent], min_days: i64) -> Vec<UnfunneledDeal> {
    let sm = StageMap::new(stages);
    let won: Vec<Deal> = deals.iter().filter(|d| sm.get(d.stage_id).is_some_and(|s| s.kind == StageKind::Won)).cloned().collect();
    let mut out = Vec::new();
    for_each_visits(&won, events, |d, visits| {
        let open: Vec<&Visit> = visits.iter().filter(|v| sm.get(v.stage_id).is_some_and(|s| s.kind == StageKind::Open)).collect();
        // An open stay with no recorded move out ended when the row says the deal was won.
        let total = open.iter().fold(0i64, |t, v| t.saturating_add(secs(v.enter, v.leave.unwrap_or(d.stage_entered_at))));
        let gap = if open.is_empty() {
            Some(FunnelGap::NeverOpen)
        } else if total < min_days.saturating_mul(DAY_SECS) {
            Some(FunnelGap::BrieflyOpen)
        } else {
            None
        };
        if let Some(gap) = gap {
            out.push(UnfunneledDeal {
                deal_id: d.id,
                owner_id: d.owner_id,
                won_at: d.stage_entered_at,
                days_in_funnel: total / DAY_SECS,
                gap,
            });
        }
    });
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::domain::forecast::test_support::*;
    use crate::domain::forecast::*;

    fn cycle_book() -> (Vec<Deal>, Vec<HistoryEvent>) {
        let deals = vec![
            deal(1, 1, 6, RMB, "2027-03-02", "2027-01-01"),
            deal(2, 1, 7, RMB, "2027-02-14", "2027-01-05"),
            deal(3, 1, 2, RMB, "2027-03-01", "2027-01-10"),
            deal(4, 2, 6, RMB, "2027-03-01", "2026-12-01"),
            deal(5, 2, 7, RMB, "2027-04-05", "2027-03-25"),
        ];
        let c = |id, deal, at, stage| created(id, deal, at, stage, RMB, "2027-03-01");
        let events = vec![
            c(1, 1, "2027-01-01", 1),
            moved(2, 1, "2027-01-11", 1, 2),
            moved(3, 1, "2027-01-31", 2, 3),
            moved(4, 1, "2027-03-02", 3, 6),
            c(5, 2, "2027-01-05", 1),
            moved(6, 2, "2027-01-15", 1, 2),
            moved(7, 2, "2027-02-14", 2, 7),
            c(8, 3, "2027-01-10", 2),
            c(9, 4, "2026-12-01", 1),
            moved(10, 4, "2027-01-10", 1, 3),
            moved(11, 4, "2027-01-20", 3, 2),
            moved(12, 4, "2027-01-25", 2, 3),
            moved(13, 4, "2027-03-01", 3, 6),
            c(14, 5, "2027-03-25", 1),
            moved(15, 5, "2027-04-05", 1, 7),
            ev(16, 3, "2027-02-01", EventKind::Attempt),
        ];
        (deals, events)
    }

    #[test]
    fn conversion_days_in_stage_win_rate_and_cycle() {
        let (deals, events) = cycle_book();
        let q1 = Window { from: t("2027-01-01"), to: t("2027-04-01") };
        let s = cycle_stats(&deals, &solution(), &events, q1);
        let row = |id: i32| s.stages.iter().find(|r| r.stage_id == id).unwrap().clone();
        let cases = [
            // stage, entered, advanced, conversion, left, avg days
            (1, 3, 2, Some(200.0 / 3.0), 3, Some(20.0)),
            (2, 4, 2, Some(50.0), 3, Some(55.0 / 3.0)),
            (3, 2, 2, Some(100.0), 3, Some(25.0)),
            (4, 0, 0, None, 0, None),
            (5, 0, 0, None, 0, None),
            (6, 2, 0, None, 0, None),
            (7, 1, 0, None, 0, None),
        ];
        for (id, entered, advanced, conversion, left, days) in cases {
            let r = row(id);
            assert_eq!((r.entered, r.advanced, r.left), (entered, advanced, left), "stage {id}");
            assert_eq!(r.conversion_pct.map(|x| (x * 1e6).round()), conversion.map(|x: f64| (x * 1e6).round()), "stage {id}");
            assert_eq!(r.avg_days.map(|x| (x * 1e6).round()), days.map(|x: f64| (x * 1e6).round()), "stage {id}");
        }
        assert_eq!(s.stages.iter().map(|r| r.stage_id).collect::<Vec<_>>(), vec![1, 2, 3, 4, 5, 6, 7]);
        assert_eq!((s.won, s.lost), (2, 1));
        assert_eq!(s.win_rate_pct.map(|x| (x * 1e6).round()), Some((200.0f64 / 3.0 * 1e6).round()));
        assert_eq!(s.avg_cycle_days, Some(75.0));
        // A window with nothing in it.
        let empty = cycle_stats(&deals, &solution(), &events, Window { from: t("2030-01-01"), to: t("2030-02-01") });
        assert_eq!((empty.won, empty.lost, empty.win_rate_pct, empty.avg_cycle_days), (0, 0, None, None));
        // In April, deal 5 is lost and no one wins.
        let april = cycle_stats(&deals, &solution(), &events, Window { from: t("2027-04-01"), to: t("2027-05-01") });
        assert_eq!((april.won, april.lost, april.win_rate_pct), (0, 1, Some(0.0)));
    }

    #[test]
    fn stuck_deals_beyond_the_stage_limit() {
        let now = t("2027-03-01T12:00:00Z");
        let mut deals = vec![
            deal(1, 1, 1, RMB, "2027-03-01", "2027-01-01"), // stage 1 limit 14
            deal(2, 1, 1, RMB, "2027-03-01", "2027-01-01"),
            deal(3, 2, 3, RMB, "2027-03-01", "2027-01-01"),  // limit 30
            deal(4, 2, 6, RMB, "2027-03-01", "2027-01-01"),  // won: never stuck
            deal(5, 2, 99, RMB, "2027-03-01", "2027-01-01"), // unknown stage
            deal(6, 3, 2, RMB, "2027-03-01", "2027-01-01"),  // entered in the future (clock skew)
        ];
        deals[0].stage_entered_at = t("2027-02-15T12:00:00Z"); // exactly 14 days: not beyond
        deals[1].stage_entered_at = t("2027-02-14T12:00:00Z"); // 15 days
        deals[2].stage_entered_at = t("2026-12-01"); // 90 days
        deals[5].stage_entered_at = t("2027-03-05");
        let mut st = solution();
        let got = stuck_deals(&deals, &st, now);
        assert_eq!(
            got,
            vec![
                StuckDeal { deal_id: 2, owner_id: 1, stage_id: 1, days_in_stage: 15, stuck_days: 14 },
                StuckDeal { deal_id: 3, owner_id: 2, stage_id: 3, days_in_stage: 90, stuck_days: 30 },
            ]
        );
        st[2].stuck_days = 0; // no limit
        assert_eq!(stuck_deals(&deals, &st, now).len(), 1);
    }

    #[test]
    fn signed_but_never_or_briefly_in_the_funnel() {
        let mut deals = vec![
            deal(1, 1, 6, RMB, "2027-03-01", "2027-03-01"), // created won
            deal(2, 2, 6, RMB, "2027-03-03", "2027-03-01"), // 2 days in stage 5
            deal(3, 1, 6, RMB, "2027-03-01", "2027-01-01"), // 59 days open
            deal(4, 1, 5, RMB, "2027-03-01", "2027-01-01"), // still open
            deal(5, 3, 6, RMB, "2027-03-01", "2027-02-01"), // no history at all
            deal(6, 3, 6, RMB, "2027-03-08", "2027-03-01"), // exactly 7 days
            deal(7, 1, 6, RMB, "2027-03-08", "2027-03-01"), // lost then won without an open stay... after being open 1 day
        ];
        deals[1].stage_entered_at = t("2027-03-03");
        deals[2].stage_entered_at = t("2027-03-01");
        deals[5].stage_entered_at = t("2027-03-08");
        deals[6].stage_entered_at = t("2027-03-08");
        let events = vec![
            created(1, 1, "2027-03-01", 6, RMB, "2027-03-01"),
            created(2, 2, "2027-03-01", 5, RMB, "2027-03-03"),
            moved(3, 2, "2027-03-03", 5, 6),
            created(4, 3, "2027-01-01", 1, RMB, "2027-03-01"),
            moved(5, 3, "2027-03-01", 1, 6),
            created(6, 4, "2027-01-01", 5, RMB, "2027-03-01"),
            created(7, 6, "2027-03-01", 4, RMB, "2027-03-08"),
            moved(8, 6, "2027-03-08", 4, 6),
            created(9, 7, "2027-03-01", 3, RMB, "2027-03-08"),
            moved(10, 7, "2027-03-02", 3, 7),
            moved(11, 7, "2027-03-08", 7, 6),
        ];
        let got = signed_outside_funnel(&deals, &solution(), &events, 7);
        let u = |deal_id, owner_id, won_at: &str, days_in_funnel, gap| UnfunneledDeal {
            deal_id,
            owner_id,
            won_at: t(won_at),
            days_in_funnel,
            gap,
        };
        assert_eq!(
            got,
            vec![
                u(1, 1, "2027-03-01", 0, FunnelGap::NeverOpen),
                u(2, 2, "2027-03-03", 2, FunnelGap::BrieflyOpen),
                u(5, 3, "2027-02-01", 0, FunnelGap::NeverOpen),
                u(7, 1, "2027-03-08", 1, FunnelGap::BrieflyOpen),
            ]
        );
        assert_eq!(signed_outside_funnel(&deals, &solution(), &events, 0).len(), 2);
        // only the never-open ones
    }
}
