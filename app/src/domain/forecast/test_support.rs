//! Fixtures shared by the figures' unit tests: the solution-sale stages, deal and event
//! builders, and the hand-computed week.
use super::{Deal, EventKind, ForecastCategory, HistoryEvent, Scope, Stage, StageKind};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, Utc};

pub(super) const RMB: i64 = 100;

pub(super) fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// "2027-02-08" (midnight UTC) or "2027-02-08T10:00:00Z".
pub(super) fn t(s: &str) -> DateTime<Utc> {
    if s.len() == 10 {
        d(s).and_time(NaiveTime::MIN).and_utc()
    } else {
        s.parse().unwrap()
    }
}

pub(super) fn utc() -> FixedOffset {
    FixedOffset::east_opt(0).unwrap()
}

pub(super) fn cst() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).unwrap()
}

pub(super) fn stage(id: i32, pipeline_id: i32, position: i32, win_rate_pct: i32, kind: StageKind, stuck_days: i32) -> Stage {
    Stage { id, pipeline_id, position, win_rate_pct, kind, stuck_days }
}

/// The solution-sale template: 1..5 open at 10/25/40/60/80 %, 6 won, 7 lost.
pub(super) fn solution() -> Vec<Stage> {
    vec![
        stage(1, 1, 1, 10, StageKind::Open, 14),
        stage(2, 1, 2, 25, StageKind::Open, 21),
        stage(3, 1, 3, 40, StageKind::Open, 30),
        stage(4, 1, 4, 60, StageKind::Open, 30),
        stage(5, 1, 5, 80, StageKind::Open, 21),
        stage(6, 1, 6, 100, StageKind::Won, 0),
        stage(7, 1, 7, 0, StageKind::Lost, 0),
    ]
}

pub(super) fn deal(id: i32, owner_id: i32, stage_id: i32, amount_fen: i64, close: &str, created: &str) -> Deal {
    Deal {
        id,
        owner_id,
        team_id: owner_id * 10,
        pipeline_id: 1,
        stage_id,
        amount_fen,
        close_date: d(close),
        owner_category: None,
        manager_category: None,
        created_at: t(created),
        stage_entered_at: t(created),
    }
}

pub(super) fn ev(id: i64, deal_id: i32, at: &str, kind: EventKind) -> HistoryEvent {
    HistoryEvent { id, deal_id, at: t(at), kind, ..Default::default() }
}

pub(super) fn created(id: i64, deal_id: i32, at: &str, stage: i32, amount_fen: i64, close: &str) -> HistoryEvent {
    HistoryEvent {
        to_stage_id: Some(stage),
        new_amount_fen: Some(amount_fen),
        new_close_date: Some(d(close)),
        ..ev(id, deal_id, at, EventKind::Created)
    }
}

pub(super) fn moved(id: i64, deal_id: i32, at: &str, from: i32, to: i32) -> HistoryEvent {
    HistoryEvent { from_stage_id: Some(from), to_stage_id: Some(to), ..ev(id, deal_id, at, EventKind::Moved) }
}

pub(super) fn amount(id: i64, deal_id: i32, at: &str, old: i64, new: i64) -> HistoryEvent {
    HistoryEvent { old_amount_fen: Some(old), new_amount_fen: Some(new), ..ev(id, deal_id, at, EventKind::AmountChanged) }
}

pub(super) fn close(id: i64, deal_id: i32, at: &str, old: &str, new: &str) -> HistoryEvent {
    HistoryEvent { old_close_date: Some(d(old)), new_close_date: Some(d(new)), ..ev(id, deal_id, at, EventKind::CloseDateChanged) }
}

/// The hand-computed week: A = 2027-02-08, B = 2027-02-15, scope Q1 2027 (UTC).
/// Values in RMB, per deal: value at A → value at B, and why.
pub(super) fn week() -> (Vec<Deal>, Vec<HistoryEvent>) {
    let mut deals = vec![
        deal(1, 1, 3, 1_000_000 * RMB, "2027-03-15", "2027-01-02"), // unchanged 400k → 400k
        deal(2, 1, 2, 500_000 * RMB, "2027-03-20", "2027-02-10"),   // new 0 → 50k, up 50k → 125k
        deal(3, 1, 4, 2_000_000 * RMB, "2027-03-10", "2027-01-05"), // up 2→4: 500k → 1.2M
        deal(4, 2, 3, 800_000 * RMB, "2027-02-28", "2027-01-06"),   // down 4→3: 480k → 320k
        deal(5, 2, 6, 1_500_000 * RMB, "2027-02-20", "2026-12-01"), // won from 5: 1.2M → 1.5M
        deal(6, 2, 7, 300_000 * RMB, "2027-03-01", "2027-01-10"),   // lost from 3: 120k → 0
        deal(7, 3, 4, 1_200_000 * RMB, "2027-03-25", "2027-01-12"), // amount 1M → 1.2M at 60 %: 600k → 720k
        deal(8, 3, 5, 700_000 * RMB, "2027-04-15", "2027-01-15"),   // slipped out of Q1: 560k → 0
        deal(9, 3, 2, 400_000 * RMB, "2027-03-20", "2027-01-20"),   // slipped within Q1: 100k → 100k
        deal(10, 1, 6, 600_000 * RMB, "2027-01-20", "2026-11-01"),  // won in Jan: 600k → 600k
        deal(11, 1, 6, 800_000 * RMB, "2026-12-15", "2026-11-02"),  // won last quarter: 0 → 0
        deal(12, 1, 1, 900_000 * RMB, "2027-03-01", "2027-02-16"),  // created after B
        deal(13, 2, 4, 250_000 * RMB, "2027-03-05", "2027-01-03"),  // pulled into Q1: 0 → 150k
        deal(14, 2, 3, 900_000 * RMB, "2027-03-31", "2026-10-01"),  // no created event; up 2→3: 225k → 360k
        deal(15, 3, 6, 200_000 * RMB, "2027-02-13", "2027-02-13T10:00:00Z"), // created won: 0 → 200k
    ];
    deals[1].stage_entered_at = t("2027-02-12T09:00:00Z");
    deals[2].stage_entered_at = t("2027-02-09T09:00:00Z");
    deals[3].stage_entered_at = t("2027-02-10T09:00:00Z");
    deals[4].stage_entered_at = t("2027-02-11T09:00:00Z");
    deals[5].stage_entered_at = t("2027-02-12T10:00:00Z");
    deals[9].stage_entered_at = t("2027-01-20");
    deals[10].stage_entered_at = t("2026-12-15");
    deals[13].stage_entered_at = t("2027-02-11T10:00:00Z");
    deals[0].owner_category = Some(ForecastCategory::Commit);
    let mut events = vec![
        created(1, 1, "2027-01-02", 3, 1_000_000 * RMB, "2027-03-15"),
        created(2, 2, "2027-02-10", 1, 500_000 * RMB, "2027-03-20"),
        created(3, 3, "2027-01-05", 2, 2_000_000 * RMB, "2027-03-10"),
        created(4, 4, "2027-01-06", 4, 800_000 * RMB, "2027-02-28"),
        created(5, 5, "2026-12-01", 5, 1_500_000 * RMB, "2027-02-20"),
        created(6, 6, "2027-01-10", 3, 300_000 * RMB, "2027-03-01"),
        created(7, 7, "2027-01-12", 4, 1_000_000 * RMB, "2027-03-25"),
        created(8, 8, "2027-01-15", 5, 700_000 * RMB, "2027-03-30"),
        created(9, 9, "2027-01-20", 2, 400_000 * RMB, "2027-02-20"),
        created(10, 10, "2026-11-01", 5, 600_000 * RMB, "2027-01-20"),
        moved(11, 10, "2027-01-20", 5, 6),
        created(12, 11, "2026-11-02", 5, 800_000 * RMB, "2026-12-15"),
        moved(13, 11, "2026-12-15", 5, 6),
        created(14, 13, "2027-01-03", 4, 250_000 * RMB, "2027-05-10"),
        // the week (A, B]
        moved(20, 3, "2027-02-09T09:00:00Z", 2, 4),
        close(21, 13, "2027-02-09T10:00:00Z", "2027-05-10", "2027-03-05"),
        moved(22, 4, "2027-02-10T09:00:00Z", 4, 3),
        moved(23, 5, "2027-02-11T09:00:00Z", 5, 6),
        moved(24, 14, "2027-02-11T10:00:00Z", 2, 3),
        moved(25, 2, "2027-02-12T09:00:00Z", 1, 2),
        moved(26, 6, "2027-02-12T10:00:00Z", 3, 7),
        amount(27, 7, "2027-02-13T09:00:00Z", 1_000_000 * RMB, 1_200_000 * RMB),
        created(28, 15, "2027-02-13T10:00:00Z", 6, 200_000 * RMB, "2027-02-13"),
        close(29, 8, "2027-02-14T09:00:00Z", "2027-03-30", "2027-04-15"),
        close(30, 9, "2027-02-14T10:00:00Z", "2027-02-20", "2027-03-20"),
        HistoryEvent { new_category: Some(ForecastCategory::Commit), ..ev(31, 1, "2027-02-14T11:00:00Z", EventKind::CategoryChanged) },
        HistoryEvent { from_stage_id: Some(3), to_stage_id: Some(5), ..ev(32, 1, "2027-02-14T12:00:00Z", EventKind::Attempt) },
        // after B
        created(40, 12, "2027-02-16", 1, 900_000 * RMB, "2027-03-01"),
    ];
    // Any order in, (at, id) order used.
    events.reverse();
    events.swap(3, 17);
    (deals, events)
}

pub(super) fn q1() -> Scope {
    Scope::quarter(d("2027-02-08"), utc())
}
