//! Replay of history: the deals as they stood at an instant.
use super::{Deal, EventKind, ForecastCategory, HistoryEvent};
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::HashMap;

/// A deal's replayed state.
#[derive(Clone, Copy, Debug)]
pub(super) struct St {
    pub(super) exists: bool,
    pub(super) stage_id: i32,
    pub(super) amount_fen: i64,
    pub(super) close_date: NaiveDate,
    pub(super) owner_category: Option<ForecastCategory>,
    pub(super) manager_category: Option<ForecastCategory>,
    pub(super) entered_at: DateTime<Utc>,
    pub(super) created_at: DateTime<Utc>,
}

impl St {
    /// The deal as its row has it now.
    pub(super) fn of(d: &Deal) -> St {
        St {
            exists: true,
            stage_id: d.stage_id,
            amount_fen: d.amount_fen,
            close_date: d.close_date,
            owner_category: d.owner_category,
            manager_category: d.manager_category,
            entered_at: d.stage_entered_at,
            created_at: d.created_at,
        }
    }
}

/// A history event (index into the slice) or, for a deal without a `created` event, a
/// synthetic creation at the deal's `created_at`.
#[derive(Clone, Copy)]
struct Step {
    deal: u32,
    ev: u32,
}

const SYNTH: u32 = u32::MAX;

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Cause {
    Created,
    Moved,
    Amount,
    CloseDate,
    Category,
}

/// All relevant events of the given deals, sorted once.
pub(super) struct Timeline<'a> {
    deals: &'a [Deal],
    events: &'a [HistoryEvent],
    steps: Vec<Step>,
    initial: Vec<St>,
}

impl<'a> Timeline<'a> {
    pub(super) fn new(deals: &'a [Deal], events: &'a [HistoryEvent]) -> Self {
        // u32 indices halve the sort's memory at 10M rows; beyond 4 billion rows the tail is ignored.
        let index: HashMap<i32, u32> = deals.iter().zip(0..u32::MAX).map(|(d, i)| (d.id, i)).collect();
        let mut has_created = vec![false; deals.len()];
        let mut steps = Vec::with_capacity(events.len() + deals.len() / 8);
        for (e, ev) in events.iter().zip(0..SYNTH) {
            if e.kind == EventKind::Attempt {
                continue;
            }
            let Some(&deal) = index.get(&e.deal_id) else { continue };
            if e.kind == EventKind::Created {
                if let Some(h) = has_created.get_mut(deal as usize) {
                    *h = true;
                }
            }
            steps.push(Step { deal, ev });
        }
        for (h, deal) in has_created.iter().zip(0..u32::MAX) {
            if !h {
                steps.push(Step { deal, ev: SYNTH });
            }
        }
        let key = |s: &Step| match events.get(s.ev as usize) {
            // Creation first among events at the same instant.
            None => (deals.get(s.deal as usize).map_or(DateTime::<Utc>::MIN_UTC, |d| d.created_at), false, 0),
            Some(e) => (e.at, true, e.id),
        };
        steps.sort_unstable_by_key(key);
        let mut initial: Vec<St> = deals.iter().map(|d| St { exists: false, ..St::of(d) }).collect();
        // Undo newest to oldest: what remains is each field's value before its first change.
        for s in steps.iter().rev() {
            let (Some(st), Some(e)) = (initial.get_mut(s.deal as usize), events.get(s.ev as usize)) else { continue };
            match e.kind {
                EventKind::Created => {
                    st.stage_id = e.to_stage_id.unwrap_or(st.stage_id);
                    st.amount_fen = e.new_amount_fen.unwrap_or(st.amount_fen);
                    st.close_date = e.new_close_date.unwrap_or(st.close_date);
                }
                EventKind::Moved => st.stage_id = e.from_stage_id.unwrap_or(st.stage_id),
                EventKind::AmountChanged => st.amount_fen = e.old_amount_fen.unwrap_or(st.amount_fen),
                EventKind::CloseDateChanged => st.close_date = e.old_close_date.unwrap_or(st.close_date),
                EventKind::CategoryChanged => st.owner_category = e.old_category,
                EventKind::CategoryAdjusted => st.manager_category = e.old_category,
                EventKind::Attempt => {}
            }
        }
        Timeline { deals, events, steps, initial }
    }

    fn at(&self, s: Step) -> DateTime<Utc> {
        match self.events.get(s.ev as usize) {
            Some(e) => e.at,
            None => self.deals.get(s.deal as usize).map_or(DateTime::<Utc>::MIN_UTC, |d| d.created_at),
        }
    }

    fn apply(&self, st: &mut St, s: Step) -> Cause {
        let Some(e) = self.events.get(s.ev as usize) else {
            st.exists = true;
            st.created_at = self.at(s);
            st.entered_at = st.created_at;
            return Cause::Created;
        };
        match e.kind {
            EventKind::Created => {
                st.exists = true;
                st.stage_id = e.to_stage_id.unwrap_or(st.stage_id);
                st.amount_fen = e.new_amount_fen.unwrap_or(st.amount_fen);
                st.close_date = e.new_close_date.unwrap_or(st.close_date);
                st.created_at = e.at;
                st.entered_at = e.at;
                Cause::Created
            }
            EventKind::Moved => {
                st.stage_id = e.to_stage_id.unwrap_or(st.stage_id);
                st.entered_at = e.at;
                Cause::Moved
            }
            EventKind::AmountChanged => {
                st.amount_fen = e.new_amount_fen.unwrap_or(st.amount_fen);
                Cause::Amount
            }
            EventKind::CloseDateChanged => {
                st.close_date = e.new_close_date.unwrap_or(st.close_date);
                Cause::CloseDate
            }
            EventKind::CategoryChanged => {
                st.owner_category = e.new_category;
                Cause::Category
            }
            EventKind::CategoryAdjusted => {
                st.manager_category = e.new_category;
                Cause::Category
            }
            // Filtered out when the timeline is built.
            EventKind::Attempt => Cause::Category,
        }
    }
}

/// Walks a timeline forward; each step reports the deal's state before and after.
pub(super) struct Cursor<'t, 'a> {
    tl: &'t Timeline<'a>,
    next: usize,
    pub(super) states: Vec<St>,
}

impl<'t, 'a> Cursor<'t, 'a> {
    pub(super) fn new(tl: &'t Timeline<'a>) -> Self {
        Cursor { tl, next: 0, states: tl.initial.clone() }
    }

    /// Applies every step with `at ≤ t`.
    pub(super) fn advance(&mut self, t: DateTime<Utc>, mut on: impl FnMut(usize, &St, &St, Cause)) {
        let tl = self.tl;
        while let Some(&s) = tl.steps.get(self.next) {
            if tl.at(s) > t {
                break;
            }
            self.next += 1;
            let d = s.deal as usize;
            let Some(st) = self.states.get_mut(d) else { continue };
            let before = *st;
            let cause = tl.apply(st, s);
            on(d, &before, st, cause);
        }
    }
}

/// The deals as they stood at instant `t` (only those that existed then), replayed from history.
/// The reference the replay's other users are checked against; only tests call it.
#[cfg(test)]
pub fn pipeline_at(deals: &[Deal], events: &[HistoryEvent], t: DateTime<Utc>) -> Vec<Deal> {
    let tl = Timeline::new(deals, events);
    let mut cur = Cursor::new(&tl);
    cur.advance(t, |_, _, _, _| {});
    deals
        .iter()
        .zip(&cur.states)
        .filter(|(_, st)| st.exists)
        .map(|(d, st)| Deal {
            stage_id: st.stage_id,
            amount_fen: st.amount_fen,
            close_date: st.close_date,
            owner_category: st.owner_category,
            manager_category: st.manager_category,
            created_at: st.created_at,
            stage_entered_at: st.entered_at,
            ..d.clone()
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::domain::forecast::test_support::*;
    use crate::domain::forecast::*;
    use chrono::{DateTime, Duration, Utc};

    #[test]
    fn pipeline_as_of_replays_history() {
        let (deals, events) = week();
        let at_a = pipeline_at(&deals, &events, t("2027-02-08"));
        let ids: Vec<i32> = at_a.iter().map(|d| d.id).collect();
        assert_eq!(ids, vec![1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14]); // 2, 12, 15 not created yet
        let get = |v: &[Deal], id: i32| v.iter().find(|d| d.id == id).unwrap().clone();
        let d3 = get(&at_a, 3);
        assert_eq!((d3.stage_id, d3.stage_entered_at), (2, t("2027-01-05")));
        let d7 = get(&at_a, 7);
        assert_eq!(d7.amount_fen, 1_000_000 * RMB);
        let d8 = get(&at_a, 8);
        assert_eq!(d8.close_date, d("2027-03-30"));
        let d14 = get(&at_a, 14);
        assert_eq!((d14.stage_id, d14.created_at, d14.stage_entered_at), (2, t("2026-10-01"), t("2026-10-01")));
        let d1 = get(&at_a, 1);
        assert_eq!(d1.owner_category, None); // set during the week
        assert_eq!(d1.stage_id, 3); // the blocked attempt changed nothing
        let d10 = get(&at_a, 10);
        assert_eq!((d10.stage_id, d10.stage_entered_at), (6, t("2027-01-20")));
        // Replaying everything gives back today's rows.
        assert_eq!(pipeline_at(&deals, &events, t("2030-01-01")), deals);
        assert_eq!(pipeline_at(&deals, &events, t("2020-01-01")), vec![]);
        // An event exactly at T is part of the state at T.
        assert_eq!(get(&pipeline_at(&deals, &events, t("2027-02-09T09:00:00Z")), 3).stage_id, 4);
        assert_eq!(get(&pipeline_at(&deals, &events, t("2027-02-09T08:59:59Z")), 3).stage_id, 2);
        // Events of deals not passed are ignored; so is an empty history.
        assert_eq!(pipeline_at(&deals[..1], &events, t("2027-02-08")).len(), 1);
        assert_eq!(pipeline_at(&deals[..2], &[], t("2027-02-08")).len(), 1);
    }

    #[test]
    fn same_instant_events_apply_in_id_order() {
        let mut deal = deal(1, 1, 4, 100 * RMB, "2027-03-01", "2027-01-01");
        deal.stage_entered_at = t("2027-01-10");
        let events =
            vec![moved(3, 1, "2027-01-10", 3, 4), moved(2, 1, "2027-01-10", 2, 3), created(1, 1, "2027-01-01", 2, 100 * RMB, "2027-03-01")];
        let at = pipeline_at(std::slice::from_ref(&deal), &events, t("2027-01-10"));
        assert_eq!(at[0].stage_id, 4);
        let cycle = cycle_stats(std::slice::from_ref(&deal), &solution(), &events, Window { from: t("2027-01-01"), to: t("2027-02-01") });
        let s3 = cycle.stages.iter().find(|s| s.stage_id == 3).unwrap();
        assert_eq!((s3.entered, s3.advanced, s3.left), (1, 1, 1));
        assert_eq!(s3.avg_days, Some(0.0));
    }

    struct Lcg(u64);

    impl Lcg {
        fn next(&mut self, n: u64) -> u64 {
            self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (self.0 >> 33) % n
        }
    }

    /// Consistent random histories; some deals lack their `created` event (legacy rows).
    fn random_book(seed: u64, n: i32) -> (Vec<Deal>, Vec<HistoryEvent>) {
        let mut r = Lcg(seed);
        let base = t("2027-01-01");
        let mut deals = Vec::new();
        let mut events = Vec::new();
        let mut id = 0i64;
        for deal_id in 1..=n {
            let mut at = base + Duration::hours(r.next(24 * 60) as i64);
            let mut stage_id = 1 + r.next(5) as i32;
            let mut amt = (1 + r.next(100) as i64) * 10_000 * RMB + r.next(100) as i64;
            let mut close_d = d("2027-01-15") + Duration::days(r.next(200) as i64);
            let mut cat = None;
            let created_at = at;
            let legacy = r.next(5) == 0;
            id += 1;
            if !legacy {
                events.push(HistoryEvent {
                    id,
                    deal_id,
                    at,
                    kind: EventKind::Created,
                    to_stage_id: Some(stage_id),
                    new_amount_fen: Some(amt),
                    new_close_date: Some(close_d),
                    ..Default::default()
                });
            }
            let mut entered = at;
            for _ in 0..r.next(8) {
                // Whole hours, so several events share an instant.
                at += Duration::hours(r.next(24 * 5) as i64);
                id += 1;
                let e = HistoryEvent { id, deal_id, at, ..Default::default() };
                let e = match r.next(6) {
                    0 | 1 => {
                        let to = 1 + r.next(7) as i32;
                        let e = HistoryEvent { kind: EventKind::Moved, from_stage_id: Some(stage_id), to_stage_id: Some(to), ..e };
                        stage_id = to;
                        entered = at;
                        e
                    }
                    2 => {
                        let new = amt + (r.next(200) as i64 - 100) * 1_000 * RMB;
                        let e = HistoryEvent { kind: EventKind::AmountChanged, old_amount_fen: Some(amt), new_amount_fen: Some(new), ..e };
                        amt = new;
                        e
                    }
                    3 => {
                        let new = close_d + Duration::days(r.next(120) as i64 - 60);
                        let e = HistoryEvent {
                            kind: EventKind::CloseDateChanged,
                            old_close_date: Some(close_d),
                            new_close_date: Some(new),
                            ..e
                        };
                        close_d = new;
                        e
                    }
                    4 => {
                        let new = Some(ForecastCategory::ALL[r.next(6) as usize]);
                        let e = HistoryEvent { kind: EventKind::CategoryChanged, old_category: cat, new_category: new, ..e };
                        cat = new;
                        e
                    }
                    _ => HistoryEvent { kind: EventKind::Attempt, to_stage_id: Some(1), new_amount_fen: Some(1), ..e },
                };
                events.push(e);
            }
            deals.push(Deal {
                id: deal_id,
                owner_id: 1 + r.next(3) as i32,
                team_id: 1,
                pipeline_id: 1,
                stage_id,
                amount_fen: amt,
                close_date: close_d,
                owner_category: cat,
                manager_category: None,
                created_at,
                stage_entered_at: entered,
            });
        }
        // Shuffle: the functions must sort.
        for i in (1..events.len()).rev() {
            events.swap(i, r.next(i as u64 + 1) as usize);
        }
        (deals, events)
    }

    /// A second, naive replay: per deal, filter and sort its events, then fold.
    fn naive_at(deals: &[Deal], events: &[HistoryEvent], at: DateTime<Utc>) -> Vec<Deal> {
        let mut out = Vec::new();
        for d in deals {
            let mut mine: Vec<&HistoryEvent> = events.iter().filter(|e| e.deal_id == d.id).collect();
            mine.sort_by_key(|e| (e.at, e.id));
            let first_old_stage = mine.iter().find(|e| e.kind == EventKind::Moved).and_then(|e| e.from_stage_id);
            let first_old_amount = mine.iter().find(|e| e.kind == EventKind::AmountChanged).and_then(|e| e.old_amount_fen);
            let first_old_close = mine.iter().find(|e| e.kind == EventKind::CloseDateChanged).and_then(|e| e.old_close_date);
            let first_old_cat = mine.iter().find(|e| e.kind == EventKind::CategoryChanged).map(|e| e.old_category);
            let created_at = mine.iter().find(|e| e.kind == EventKind::Created).map_or(d.created_at, |e| e.at);
            if created_at > at {
                continue;
            }
            let mut s = Deal {
                stage_id: first_old_stage.unwrap_or(d.stage_id),
                amount_fen: first_old_amount.unwrap_or(d.amount_fen),
                close_date: first_old_close.unwrap_or(d.close_date),
                owner_category: first_old_cat.unwrap_or(d.owner_category),
                created_at,
                stage_entered_at: created_at,
                ..d.clone()
            };
            for e in mine.iter().filter(|e| e.at <= at) {
                match e.kind {
                    EventKind::Created => {
                        s.stage_id = e.to_stage_id.unwrap();
                        s.amount_fen = e.new_amount_fen.unwrap();
                        s.close_date = e.new_close_date.unwrap();
                    }
                    EventKind::Moved => {
                        s.stage_id = e.to_stage_id.unwrap();
                        s.stage_entered_at = e.at;
                    }
                    EventKind::AmountChanged => s.amount_fen = e.new_amount_fen.unwrap(),
                    EventKind::CloseDateChanged => s.close_date = e.new_close_date.unwrap(),
                    EventKind::CategoryChanged => s.owner_category = e.new_category,
                    _ => {}
                }
            }
            out.push(s);
        }
        out
    }

    /// forecast + won straight from a list of deal states.
    fn naive_value(states: &[Deal], stages: &[Stage], scope: Scope) -> (i64, i64) {
        let mut f = 0;
        let mut w = 0;
        for s in states {
            let st = stages.iter().find(|x| x.id == s.stage_id).unwrap();
            match st.kind {
                StageKind::Open if scope.horizon_end.is_none_or(|h| s.close_date <= h) => f += weighted_fen(s.amount_fen, st.win_rate_pct),
                StageKind::Won if s.stage_entered_at >= scope.period_start => w += s.amount_fen,
                _ => {}
            }
        }
        (f, w)
    }

    #[test]
    fn random_histories_replay_like_a_naive_fold_and_progress_always_adds_up() {
        let st = solution();
        let mut kinds_seen = std::collections::HashSet::new();
        for seed in 1..=12u64 {
            let (deals, events) = random_book(seed, 60);
            let scopes = [
                Scope::quarter(d("2027-02-01"), utc()),
                Scope::quarter(d("2027-04-01"), cst()),
                Scope { period_start: t("2026-01-01"), horizon_end: None },
            ];
            let points: Vec<DateTime<Utc>> = (0..30).map(|k| t("2026-12-25") + Duration::hours(k * 97)).collect();
            for at in &points {
                assert_eq!(pipeline_at(&deals, &events, *at), naive_at(&deals, &events, *at), "seed {seed} at {at}");
            }
            assert_eq!(pipeline_at(&deals, &events, t("2031-01-01")), deals, "seed {seed}: full replay = today");
            for scope in scopes {
                let tr = trend(&deals, &st, &events, &points, scope);
                for p in &tr {
                    let (f, w) = naive_value(&naive_at(&deals, &events, p.at), &st, scope);
                    assert_eq!((p.forecast_fen, p.won_fen), (f, w), "seed {seed} at {}", p.at);
                }
                for pair in tr.windows(2).step_by(3) {
                    let (a, b) = (&pair[0], &pair[1]);
                    let pr = progress(&deals, &st, &events, a.at, b.at, scope);
                    assert_eq!(pr.total_fen, b.value_fen - a.value_fen, "seed {seed}");
                    assert_eq!(pr.parts.sum(), pr.total_fen, "seed {seed}");
                    assert_eq!(pr.items.iter().map(|i| i.fen).sum::<i64>(), pr.total_fen, "seed {seed}");
                    kinds_seen.extend(pr.items.iter().map(|i| i.kind));
                }
                let whole = progress(&deals, &st, &events, points[0], points[29], scope);
                assert_eq!(whole.parts.sum(), whole.total_fen);
            }
        }
        // The fixtures exercised every kind with a non-zero amount, reopenings (Other) included.
        assert_eq!(kinds_seen.len(), 9, "{kinds_seen:?}");
    }
}
