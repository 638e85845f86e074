//! Sales progress between two instants, its breakdown by kind, and the per-event parts the database sums.
use super::{
    local_date, month_key, quarter_id, quarter_of_id, weighted_fen, Cause, Cursor, Deal, EventKind, HistoryEvent, Scope, St, Stage,
    StageKind, StageMap, Timeline, Valuer,
};
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContributionKind {
    New,
    MovedUp,
    MovedDown,
    Won,
    Lost,
    AmountChanged,
    Slipped,
    PulledIn,
    Other,
}

/// The parts of a progress; they sum to its total.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contributions {
    pub new_fen: i64,
    pub moved_up_fen: i64,
    pub moved_down_fen: i64,
    pub won_fen: i64,
    pub lost_fen: i64,
    pub amount_changed_fen: i64,
    pub slipped_fen: i64,
    pub pulled_in_fen: i64,
    pub other_fen: i64,
}

impl Contributions {
    fn slot(&mut self, kind: ContributionKind) -> &mut i64 {
        match kind {
            ContributionKind::New => &mut self.new_fen,
            ContributionKind::MovedUp => &mut self.moved_up_fen,
            ContributionKind::MovedDown => &mut self.moved_down_fen,
            ContributionKind::Won => &mut self.won_fen,
            ContributionKind::Lost => &mut self.lost_fen,
            ContributionKind::AmountChanged => &mut self.amount_changed_fen,
            ContributionKind::Slipped => &mut self.slipped_fen,
            ContributionKind::PulledIn => &mut self.pulled_in_fen,
            ContributionKind::Other => &mut self.other_fen,
        }
    }

    pub fn get(&self, kind: ContributionKind) -> i64 {
        let mut c = *self;
        *c.slot(kind)
    }

    pub fn sum(&self) -> i64 {
        [
            self.new_fen,
            self.moved_up_fen,
            self.moved_down_fen,
            self.won_fen,
            self.lost_fen,
            self.amount_changed_fen,
            self.slipped_fen,
            self.pulled_in_fen,
            self.other_fen,
        ]
        .iter()
        .fold(0i64, |a, b| a.saturating_add(*b))
    }
}

/// Drill-down: one deal's net contribution of one kind (zero ones are left out).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgressItem {
    pub deal_id: i32,
    pub kind: ContributionKind,
    pub fen: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub a: DateTime<Utc>,
    pub b: DateTime<Utc>,
    pub forecast_a_fen: i64,
    pub won_a_fen: i64,
    pub forecast_b_fen: i64,
    pub won_b_fen: i64,
    /// (forecast B + won B) − (forecast A + won A).
    pub total_fen: i64,
    pub parts: Contributions,
    /// Sorted by deal id, then kind.
    pub items: Vec<ProgressItem>,
}

fn classify(cause: Cause, before: &St, after: &St, sm: &StageMap) -> ContributionKind {
    let (b, a) = (sm.get(before.stage_id), sm.get(after.stage_id));
    match cause {
        Cause::Created if a.is_some_and(|s| s.kind == StageKind::Won) => ContributionKind::Won,
        Cause::Created => ContributionKind::New,
        Cause::Amount => ContributionKind::AmountChanged,
        Cause::Category => ContributionKind::Other,
        Cause::CloseDate if after.close_date > before.close_date => ContributionKind::Slipped,
        Cause::CloseDate if after.close_date < before.close_date => ContributionKind::PulledIn,
        Cause::CloseDate => ContributionKind::Other,
        Cause::Moved => match (b, a) {
            (Some(b), Some(a)) if b.kind != StageKind::Won && a.kind == StageKind::Won => ContributionKind::Won,
            (Some(b), Some(a)) if b.kind != StageKind::Lost && a.kind == StageKind::Lost => ContributionKind::Lost,
            (Some(b), Some(a)) if b.kind == StageKind::Open && a.kind == StageKind::Open && b.pipeline_id == a.pipeline_id => {
                match a.position.cmp(&b.position) {
                    std::cmp::Ordering::Greater => ContributionKind::MovedUp,
                    std::cmp::Ordering::Less => ContributionKind::MovedDown,
                    std::cmp::Ordering::Equal => ContributionKind::Other,
                }
            }
            _ => ContributionKind::Other,
        },
    }
}

/// A deal's state as a value event's history row carries it (migration 000010).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StateAt {
    pub stage_id: i32,
    pub amount_fen: i64,
    pub close_date: NaiveDate,
    pub entered_at: DateTime<Utc>,
}

/// One value event's part in the progress of `scope`: its contribution kind and what it
/// changed in the value, value(after) − value(before) (`before` None for a creation). The
/// replay in [`progress`] sums exactly these.
pub fn event_part(kind: EventKind, before: Option<&StateAt>, after: &StateAt, stages: &[Stage], scope: Scope) -> (ContributionKind, i64) {
    let st = |s: &StateAt, exists: bool| St {
        exists,
        stage_id: s.stage_id,
        amount_fen: s.amount_fen,
        close_date: s.close_date,
        owner_category: None,
        manager_category: None,
        entered_at: s.entered_at,
        created_at: s.entered_at,
    };
    let a = st(after, true);
    let b = before.map_or(St { exists: false, ..a }, |b| st(b, true));
    let cause = match kind {
        EventKind::Created => Cause::Created,
        EventKind::Moved => Cause::Moved,
        EventKind::AmountChanged => Cause::Amount,
        EventKind::CloseDateChanged => Cause::CloseDate,
        _ => Cause::Category,
    };
    let v = Valuer { stages: StageMap::new(stages), scope };
    (classify(cause, &b, &a, &v.stages), v.value(&a).saturating_sub(v.value(&b)))
}

/// One term of a value event's part for the quarters at least two before its own (migration
/// 000013, `progress_terms`): a signed amount that counts in a quarter's value when its month
/// passes the quarter's test — an open state's close month ≤ the quarter's last month, a won
/// state's won month ≥ the quarter's first month.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FarTerm {
    pub won: bool,
    /// `YYYYMM`.
    pub month: i32,
    pub fen: i64,
}

impl FarTerm {
    /// Whether this term counts in `scope` (a [`Scope::quarter`]).
    pub fn counts_in(&self, scope: Scope, offset: FixedOffset) -> bool {
        if self.won {
            self.month >= month_key(local_date(scope.period_start, offset))
        } else {
            scope.horizon_end.is_none_or(|h| self.month <= month_key(h))
        }
    }
}

/// A value event of local day `day` as [`FarTerm`]s: for every quarter Q at least two before
/// the day's, Σ of the terms that count in Q = [`event_part`] in Q. For such a Q an open state
/// closing on or after the previous quarter's first day never counts (so it has no term), and
/// a won state entered since then always does (its month is clipped to that quarter's first):
/// what is left is a few terms per day, not one row per quarter. Terms of one key are merged.
pub fn far_terms(before: Option<&StateAt>, after: &StateAt, stages: &[Stage], day: NaiveDate, offset: FixedOffset) -> Vec<FarTerm> {
    let Some(recent) = quarter_of_id(quarter_id(day) - 1) else { return Vec::new() };
    let sm = StageMap::new(stages);
    let mut out: Vec<FarTerm> = Vec::with_capacity(2);
    for (st, sign) in [(Some(after), 1i64), (before, -1i64)] {
        let Some(st) = st else { continue };
        let term = match sm.get(st.stage_id) {
            Some(s) if s.kind == StageKind::Open && st.close_date < recent => {
                FarTerm { won: false, month: month_key(st.close_date), fen: sign * weighted_fen(st.amount_fen, s.win_rate_pct) }
            }
            Some(s) if s.kind == StageKind::Won => {
                FarTerm { won: true, month: month_key(local_date(st.entered_at, offset)).min(month_key(recent)), fen: sign * st.amount_fen }
            }
            _ => continue,
        };
        match out.iter_mut().find(|t| t.won == term.won && t.month == term.month) {
            Some(t) => t.fen = t.fen.saturating_add(term.fen),
            None => out.push(term),
        }
    }
    out
}

/// Sales progress between two instants (taken in time order), with its exact breakdown.
/// Pass the deals in view (a rep's, a team's); events of other deals are ignored.
pub fn progress(deals: &[Deal], stages: &[Stage], events: &[HistoryEvent], a: DateTime<Utc>, b: DateTime<Utc>, scope: Scope) -> Progress {
    let (a, b) = if a <= b { (a, b) } else { (b, a) };
    let tl = Timeline::new(deals, events);
    let v = Valuer { stages: StageMap::new(stages), scope };
    let mut cur = Cursor::new(&tl);
    cur.advance(a, |_, _, _, _| {});
    let sums =
        |states: &[St]| states.iter().fold((0i64, 0i64), |(f, w), st| (f.saturating_add(v.forecast(st)), w.saturating_add(v.won(st))));
    let (forecast_a_fen, won_a_fen) = sums(&cur.states);
    let mut parts = Contributions::default();
    let mut per_deal: HashMap<(usize, ContributionKind), i64> = HashMap::new();
    cur.advance(b, |d, before, after, cause| {
        let dv = v.value(after).saturating_sub(v.value(before));
        let kind = classify(cause, before, after, &v.stages);
        let slot = parts.slot(kind);
        *slot = slot.saturating_add(dv);
        if dv != 0 {
            let e = per_deal.entry((d, kind)).or_insert(0);
            *e = e.saturating_add(dv);
        }
    });
    let (forecast_b_fen, won_b_fen) = sums(&cur.states);
    let mut items: Vec<ProgressItem> = per_deal
        .into_iter()
        .filter(|(_, fen)| *fen != 0)
        .filter_map(|((d, kind), fen)| deals.get(d).map(|deal| ProgressItem { deal_id: deal.id, kind, fen }))
        .collect();
    items.sort_by_key(|i| (i.deal_id, i.kind));
    let total_fen = forecast_b_fen.saturating_add(won_b_fen).saturating_sub(forecast_a_fen.saturating_add(won_a_fen));
    Progress { a, b, forecast_a_fen, won_a_fen, forecast_b_fen, won_b_fen, total_fen, parts, items }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::domain::forecast::test_support::*;
    use crate::domain::forecast::*;
    use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, Utc};

    #[test]
    fn an_event_part_is_what_it_changed_in_the_scope() {
        let off = FixedOffset::east_opt(8 * 3600).unwrap();
        let stages = vec![
            Stage { id: 1, pipeline_id: 1, position: 1, win_rate_pct: 10, kind: StageKind::Open, stuck_days: 0 },
            Stage { id: 2, pipeline_id: 1, position: 2, win_rate_pct: 25, kind: StageKind::Open, stuck_days: 0 },
            Stage { id: 3, pipeline_id: 1, position: 3, win_rate_pct: 100, kind: StageKind::Won, stuck_days: 0 },
            Stage { id: 4, pipeline_id: 1, position: 4, win_rate_pct: 0, kind: StageKind::Lost, stuck_days: 0 },
        ];
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        let q4 = Scope::quarter(day(11, 15), off);
        let at = local_midnight(day(11, 20), off);
        let s = |stage_id, amount_fen, close: NaiveDate| StateAt { stage_id, amount_fen, close_date: close, entered_at: at };
        let k = |kind| kind;
        for (kind, before, after, want) in [
            // Seed 001: RMB 1,000,000 at 25 % counts RMB 250,000.
            (k(EventKind::Created), None, s(2, 100_000_000, day(12, 1)), (ContributionKind::New, 25_000_000)),
            (
                k(EventKind::Moved),
                Some(s(1, 100_000_000, day(12, 1))),
                s(2, 100_000_000, day(12, 1)),
                (ContributionKind::MovedUp, 15_000_000),
            ),
            (
                k(EventKind::Moved),
                Some(s(2, 100_000_000, day(12, 1))),
                s(1, 100_000_000, day(12, 1)),
                (ContributionKind::MovedDown, -15_000_000),
            ),
            (k(EventKind::Moved), Some(s(2, 100_000_000, day(12, 1))), s(3, 100_000_000, day(12, 1)), (ContributionKind::Won, 75_000_000)),
            (
                k(EventKind::Moved),
                Some(s(2, 100_000_000, day(12, 1))),
                s(4, 100_000_000, day(12, 1)),
                (ContributionKind::Lost, -25_000_000),
            ),
            // Slipped out of the quarter: its whole weighted value leaves.
            (
                k(EventKind::CloseDateChanged),
                Some(s(2, 100_000_000, day(12, 1))),
                s(2, 100_000_000, day(1, 5).with_year(2027).unwrap()),
                (ContributionKind::Slipped, -25_000_000),
            ),
            (
                k(EventKind::CloseDateChanged),
                Some(s(2, 100_000_000, day(12, 20))),
                s(2, 100_000_000, day(12, 1)),
                (ContributionKind::PulledIn, 0),
            ),
            (
                k(EventKind::AmountChanged),
                Some(s(2, 100_000_000, day(12, 1))),
                s(2, 100_000_002, day(12, 1)),
                (ContributionKind::AmountChanged, 1),
            ),
        ] {
            assert_eq!(event_part(kind, before.as_ref(), &after, &stages, q4), want, "{kind:?} {before:?} → {after:?}");
        }
        // A deal won before the scope's quarter began does not count as won in it.
        let old = StateAt { entered_at: local_midnight(day(9, 1), off), ..s(3, 100_000_000, day(9, 1)) };
        let reopened = s(2, 100_000_000, day(12, 1));
        assert_eq!(event_part(EventKind::Moved, Some(&old), &reopened, &stages, q4), (ContributionKind::Other, 25_000_000));
    }

    #[test]
    fn far_terms_sum_to_the_event_part_in_every_quarter_two_or_more_back() {
        let off = FixedOffset::east_opt(8 * 3600).unwrap();
        let stages = vec![
            Stage { id: 1, pipeline_id: 1, position: 1, win_rate_pct: 10, kind: StageKind::Open, stuck_days: 0 },
            Stage { id: 2, pipeline_id: 1, position: 2, win_rate_pct: 25, kind: StageKind::Open, stuck_days: 0 },
            Stage { id: 3, pipeline_id: 1, position: 3, win_rate_pct: 100, kind: StageKind::Won, stuck_days: 0 },
            Stage { id: 4, pipeline_id: 1, position: 4, win_rate_pct: 0, kind: StageKind::Lost, stuck_days: 0 },
        ];
        // The event's day is in 2026 Q4; the quarters it is summarised for are Q2 and earlier.
        let day = d("2026-11-20");
        let at = local_midnight(day, off) + Duration::hours(10);
        let s = |stage_id, amount_fen, close: &str, entered: DateTime<Utc>| StateAt {
            stage_id,
            amount_fen,
            close_date: d(close),
            entered_at: entered,
        };
        let won_march = local_midnight(d("2026-03-15"), off);
        let won_2025 = local_midnight(d("2025-11-05"), off);
        type Case = (EventKind, Option<StateAt>, StateAt, usize);
        let cases: Vec<Case> = vec![
            // Overdue since May: counts in Q2's horizon, not Q1's.
            (EventKind::Created, None, s(2, 100_000_000, "2026-05-10", at), 1),
            // Closing after the previous quarter began: never in an old quarter's horizon.
            (EventKind::Created, None, s(2, 100_000_000, "2026-12-01", at), 0),
            (EventKind::Moved, Some(s(2, 100_000_000, "2026-02-01", won_march)), s(3, 100_000_000, "2026-02-01", at), 2),
            // A won deal's amount: both terms in its won month, merged.
            (EventKind::AmountChanged, Some(s(3, 80_000_000, "2026-03-15", won_march)), s(3, 90_000_001, "2026-03-15", won_march), 1),
            // Reopened: won in 2025 Q4, back to open with an old close date.
            (EventKind::Moved, Some(s(3, 50_000_000, "2025-10-01", won_2025)), s(1, 50_000_000, "2025-10-01", at), 2),
            // Slipped out of Q2's horizon.
            (EventKind::CloseDateChanged, Some(s(2, 40_000_000, "2026-06-10", at)), s(2, 40_000_000, "2026-08-10", at), 1),
            (EventKind::Moved, Some(s(2, 40_000_000, "2026-06-01", at)), s(4, 40_000_000, "2026-06-01", at), 1),
        ];
        let scopes: Vec<Scope> =
            ["2026-05-01", "2026-02-01", "2025-12-01", "2025-08-01", "2024-01-01"].into_iter().map(|x| Scope::quarter(d(x), off)).collect();
        let mut nonzero = 0;
        for (kind, before, after, n) in &cases {
            let terms = far_terms(before.as_ref(), after, &stages, day, off);
            assert_eq!(terms.len(), *n, "{kind:?} {before:?} → {after:?}: {terms:?}");
            for scope in &scopes {
                let want = event_part(*kind, before.as_ref(), after, &stages, *scope).1;
                let got: i64 = terms.iter().filter(|t| t.counts_in(*scope, off)).map(|t| t.fen).sum();
                assert_eq!(got, want, "{kind:?} {before:?} → {after:?} in {scope:?}");
                nonzero += usize::from(want != 0);
            }
        }
        assert!(nonzero >= 12, "the cases exercise both terms in several quarters ({nonzero})");
        // The won month is clipped to the previous quarter's first: every old quarter counts it.
        let won_now = far_terms(None, &s(3, 7, "2026-11-20", at), &stages, day, off);
        assert_eq!(won_now, vec![FarTerm { won: true, month: 202607, fen: 7 }]);
    }

    #[test]
    fn progress_over_a_hand_computed_week() {
        let (deals, events) = week();
        let p = progress(&deals, &solution(), &events, t("2027-02-08"), t("2027-02-15"), q1());
        assert_eq!(p.forecast_a_fen, 4_185_000 * RMB);
        assert_eq!(p.won_a_fen, 600_000 * RMB);
        assert_eq!(p.forecast_b_fen, 3_375_000 * RMB);
        assert_eq!(p.won_b_fen, 2_300_000 * RMB);
        assert_eq!(p.total_fen, 890_000 * RMB);
        let want = Contributions {
            new_fen: 50_000 * RMB,
            moved_up_fen: (75_000 + 700_000 + 135_000) * RMB,
            moved_down_fen: -160_000 * RMB,
            won_fen: (300_000 + 200_000) * RMB,
            lost_fen: -120_000 * RMB,
            amount_changed_fen: 120_000 * RMB,
            slipped_fen: -560_000 * RMB,
            pulled_in_fen: 150_000 * RMB,
            other_fen: 0,
        };
        assert_eq!(p.parts, want);
        assert_eq!(p.parts.sum(), p.total_fen);
        use ContributionKind as K;
        let item = |deal_id, kind, rmb: i64| ProgressItem { deal_id, kind, fen: rmb * RMB };
        assert_eq!(
            p.items,
            vec![
                item(2, K::New, 50_000),
                item(2, K::MovedUp, 75_000),
                item(3, K::MovedUp, 700_000),
                item(4, K::MovedDown, -160_000),
                item(5, K::Won, 300_000),
                item(6, K::Lost, -120_000),
                item(7, K::AmountChanged, 120_000),
                item(8, K::Slipped, -560_000),
                item(13, K::PulledIn, 150_000),
                item(14, K::MovedUp, 135_000),
                item(15, K::Won, 200_000),
            ]
        );
        for k in [K::New, K::MovedUp, K::MovedDown, K::Won, K::Lost, K::AmountChanged, K::Slipped, K::PulledIn, K::Other] {
            assert_eq!(p.items.iter().filter(|i| i.kind == k).map(|i| i.fen).sum::<i64>(), p.parts.get(k), "{k:?}");
        }
        // Reversed arguments give the same period; an empty period gives nothing.
        assert_eq!(progress(&deals, &solution(), &events, t("2027-02-15"), t("2027-02-08"), q1()), p);
        let none = progress(&deals, &solution(), &events, t("2027-02-15"), t("2027-02-15"), q1());
        assert_eq!((none.total_fen, none.parts, none.items.len()), (0, Contributions::default(), 0));
    }

    #[test]
    fn progress_without_a_horizon_ignores_slips() {
        let (deals, events) = week();
        let scope = Scope { period_start: t("2027-01-01"), horizon_end: None };
        let p = progress(&deals, &solution(), &events, t("2027-02-08"), t("2027-02-15"), scope);
        assert_eq!(p.parts.slipped_fen, 0);
        assert_eq!(p.parts.pulled_in_fen, 0);
        assert_eq!(p.parts.sum(), p.total_fen);
        // Deal 8 (560k) stays in, deal 13 (150k) was in all along: +0 instead of −560k + 150k.
        assert_eq!(p.total_fen, (890_000 + 560_000 - 150_000) * RMB);
    }
}
