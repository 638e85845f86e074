#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Forecasts over the append-only history, on SQLite and (with TEST_DATABASE_URL) PostgreSQL.

use crate::common::{ctx_for, seeded};
use app::domain::dto::{DealPatch, MoveOutcome, NewDeal};
use app::domain::error::AppError;
use app::domain::forecast as f;
use app::ssr::db::Db;
use app::ssr::entity::{account, deal, pipeline, stage};
use app::ssr::service::{deal as deals, forecast, movement, quota};
use chrono::{Duration, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

/// The forecast as the dashboard computes it from the deals as they are right now.
async fn forecast_now(db: &Db, ctx: &app::ssr::context::RequestContext) -> (i64, u64) {
    let book = forecast::load(db, ctx).await.unwrap();
    let stages: std::collections::HashMap<i32, &f::Stage> = book.stages.iter().map(|s| (s.id, s)).collect();
    let open: Vec<&f::Deal> = book.deals.iter().filter(|d| stages.get(&d.stage_id).is_some_and(|s| s.kind == f::StageKind::Open)).collect();
    (open.iter().map(|d| f::weighted_fen(d.amount_fen, stages[&d.stage_id].win_rate_pct)).sum(), open.len() as u64)
}

/// An admin raises a stage's win rate by `by` points (the rest of the stage unchanged).
async fn raise_win_rate(db: &Db, admin: &app::ssr::context::RequestContext, st: &stage::Model, by: i32) {
    let u = app::domain::dto::StageUpdate {
        name_en: st.name_en.clone(),
        name_zh: st.name_zh.clone(),
        win_rate_pct: st.win_rate_pct + by,
        stuck_days: st.stuck_days,
        playbook_en: st.playbook_en.clone(),
        playbook_zh: st.playbook_zh.clone(),
        version: st.version,
    };
    app::ssr::service::pipeline::update_stage(db, admin, st.uuid, &u).await.unwrap();
}

async fn stages_of(db: &Db, code: &str) -> Vec<stage::Model> {
    let p = pipeline::Entity::find().filter(pipeline::Column::Code.eq(code)).one(db).await.unwrap().unwrap();
    stage::Entity::find().filter(stage::Column::PipelineId.eq(p.id)).order_by_asc(stage::Column::Position).all(db).await.unwrap()
}

#[tokio::test]
async fn the_forecast_as_of_a_past_instant_equals_the_forecast_taken_then() {
    let t = seeded().await;
    let db = &t.db;
    let admin = ctx_for(db, "admin@demo.local").await;
    let manager = ctx_for(db, "manager@demo.local").await;
    let s = stages_of(db, "solution").await;
    let acct = account::Entity::find().filter(account::Column::TeamId.eq(manager.team_id.unwrap())).one(db).await.unwrap().unwrap();
    let mut snapshots = Vec::new();
    // A scripted week: each "day" makes changes of every kind, then the figure is taken.
    for day in 0..7i64 {
        let created = deals::create(
            db,
            &manager,
            NewDeal {
                name: format!("day {day}"),
                account: acct.uuid,
                pipeline: None,
                owner: None,
                amount_fen: 1_000_000 * (day + 1),
                currency: None,
                // Inside this quarter (local calendar) whatever today is, so a new deal adds to
                // the quarter's forecast; "now + 30 days" left it in December's last days.
                close_date: f::quarter_end(f::local_date(Utc::now(), forecast::offset())),
            },
        )
        .await
        .unwrap();
        let some: Vec<deal::Model> = deal::Entity::find()
            .filter(deal::Column::PipelineId.eq(s[0].pipeline_id))
            .filter(deal::Column::StageId.is_in(s.iter().filter(|x| x.kind == "open" && x.position > s[0].position).map(|x| x.id)))
            .order_by_asc(deal::Column::Id)
            .all(db)
            .await
            .unwrap()
            .into_iter()
            .skip(day as usize * 3)
            .take(3)
            .collect();
        assert_eq!(some.len(), 3, "enough demo deals to change");
        // Moved back a stage (with a reason), amount raised, close date slipped.
        let here = s.iter().find(|y| y.id == some[0].stage_id).unwrap().position;
        let back = s.iter().rfind(|x| x.kind == "open" && x.position < here).unwrap();
        let c = movement::MoveCommand {
            deal: some[0].uuid,
            to_stage: back.uuid,
            version: some[0].version,
            reason: Some("re-qualify".into()),
            lost_reason: None,
        };
        assert!(matches!(movement::move_deal(db, &admin, c).await.unwrap(), MoveOutcome::Moved { .. }));
        deals::patch(
            db,
            &admin,
            some[1].uuid,
            DealPatch { version: some[1].version, amount_fen: Some(some[1].amount_fen + 500_000), ..Default::default() },
        )
        .await
        .unwrap();
        let slipped = some[2].close_date + Duration::days(120);
        deals::patch(
            db,
            &admin,
            some[2].uuid,
            DealPatch {
                version: some[2].version,
                close_date: Some(slipped),
                forecast_category: Some("pipeline".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        // One lost on odd days.
        if day % 2 == 1 {
            let lost = s.iter().find(|x| x.kind == "lost").unwrap();
            let d = deal::Entity::find_by_id(created.id).one(db).await.unwrap().unwrap();
            let c = movement::MoveCommand {
                deal: d.uuid,
                to_stage: lost.uuid,
                version: d.version,
                reason: None,
                lost_reason: Some("price".into()),
            };
            assert!(matches!(movement::move_deal(db, &admin, c).await.unwrap(), MoveOutcome::Moved { .. }));
        }
        tokio::time::sleep(std::time::Duration::from_millis(15)).await;
        let at = Utc::now();
        snapshots.push((at, forecast_now(db, &admin).await));
        tokio::time::sleep(std::time::Duration::from_millis(15)).await;
    }
    // Afterwards, the derivation from history gives the same figure at every snapshot.
    let book = forecast::load(db, &admin).await.unwrap();
    let scope = f::Scope { period_start: Utc::now() - Duration::days(3650), horizon_end: None };
    for (at, (weighted, count)) in snapshots {
        let p = f::forecast_at(&book.deals, &book.stages, &book.events, at, scope);
        assert_eq!((p.forecast_fen, p.open_count), (weighted, count), "as of {at}");
    }
    // And the progress over the scripted week sums its parts to its total.
    let first = book.events.iter().map(|e| e.at).max().unwrap() - Duration::days(1);
    let pv = forecast::progress_view(&book, first, Utc::now()).0;
    let p = &pv.parts;
    let sum = p.new_fen
        + p.moved_up_fen
        + p.moved_down_fen
        + p.won_fen
        + p.lost_fen
        + p.amount_changed_fen
        + p.slipped_fen
        + p.pulled_in_fen
        + p.other_fen;
    assert_eq!(sum, pv.total_fen);
    assert!(p.new_fen > 0 && p.moved_down_fen < 0, "{p:?}");
}

#[tokio::test]
async fn each_viewer_sees_only_their_numbers() {
    let t = seeded().await;
    let db = &t.db;
    let exec = ctx_for(db, "exec@demo.local").await;
    let manager = ctx_for(db, "manager@demo.local").await;
    let rep = ctx_for(db, "rep@demo.local").await;
    let all = forecast::dashboard(db, &exec, None).await.unwrap();
    let team = forecast::dashboard(db, &manager, None).await.unwrap();
    let mine = forecast::dashboard(db, &rep, None).await.unwrap();
    assert_eq!((all.scope.as_str(), team.scope.as_str(), mine.scope.as_str()), ("all", "teams", "own"));
    assert!(all.reps.len() > team.reps.len() && team.reps.len() > 1);
    assert_eq!(mine.reps.len(), 1);
    assert_eq!(mine.reps[0].name, rep.name);
    assert!(all.quota_fen > team.quota_fen && team.quota_fen > mine.quota_fen && mine.quota_fen > 0, "demo quotas");
    let funnel = |d: &app::domain::dashboard::Dashboard| d.funnel.iter().map(|b| b.totals.count).sum::<u64>();
    assert!(funnel(&all) > funnel(&team) && funnel(&team) >= funnel(&mine));
    assert_eq!(all.trend.len(), 13);
    // Drill-down lists exactly the deals behind a funnel bar.
    let bar = all.funnel.iter().find(|b| b.totals.count > 0).unwrap();
    let rows = forecast::drill(db, &exec, &app::domain::dashboard::Drill::Stage(bar.stage.id)).await.unwrap();
    assert_eq!(rows.len() as u64, bar.totals.count);
    assert_eq!(rows.iter().map(|r| r.weighted_fen).sum::<i64>(), bar.totals.weighted_fen);
    let rows = forecast::drill(db, &rep, &app::domain::dashboard::Drill::Stage(bar.stage.id)).await.unwrap();
    assert!(rows.iter().all(|r| r.owner == rep.name), "a rep's drill-down holds only their deals");
    // The grouped API agrees with the dashboard headline per owner.
    let rows = forecast::grouped(db, &exec, "owner", None).await.unwrap();
    assert!(rows.iter().any(|r| r.label == rep.name));
    assert_eq!(
        forecast::grouped(db, &exec, "nope", None).await.unwrap_err(),
        AppError::validation("group_by", "use owner, team, pipeline, bucket, category, month, quarter or year")
    );
    assert!(forecast::grouped(db, &exec, "quarter", Some("2026-Q9")).await.is_err());
}

#[tokio::test]
async fn quotas_import_all_or_nothing_and_only_by_managers() {
    let t = seeded().await;
    let db = &t.db;
    let manager = ctx_for(db, "manager@demo.local").await;
    let rep = ctx_for(db, "rep@demo.local").await;
    let before = quota::list(db, &manager, None, None).await.unwrap().len();
    let bad = "email,period_start,period_end,amount\nrep@demo.local,2027-04-01,2027-06-30,\"3,000,000\"\nrep@demo.local,2027-07-01,2027-06-30,100\n";
    let r = quota::import_csv(db, &manager, bad).await.unwrap();
    assert_eq!(r.imported, 0);
    assert_eq!(r.errors.len(), 1);
    assert_eq!(r.errors[0].0, 3, "the line number of the bad line");
    assert_eq!(quota::list(db, &manager, None, None).await.unwrap().len(), before, "nothing half-written");
    let good = "\u{feff}rep@demo.local,2027-04-01,2027-06-30,\"3,000,000\"\nrep3@demo.local,2027-04-01,2027-06-30,2500000\n";
    let r = quota::import_csv(db, &manager, good).await.unwrap();
    assert_eq!((r.imported, r.errors.len()), (2, 0));
    let rows = quota::list(db, &manager, Some("2027-04-01".parse().unwrap()), Some("2027-06-30".parse().unwrap())).await.unwrap();
    assert!(rows.iter().any(|q| q.email == "rep@demo.local" && q.amount_fen == 300_000_000));
    // Another team's rep is not this manager's to set; a rep sets none.
    let r = quota::import_csv(db, &manager, "rep2@demo.local,2027-04-01,2027-06-30,1\n").await.unwrap();
    assert_eq!(r.imported, 0);
    let input = quota::QuotaInput {
        user: "rep@demo.local".into(),
        period_start: "2027-04-01".parse().unwrap(),
        period_end: "2027-06-30".parse().unwrap(),
        amount_fen: 1,
    };
    assert_eq!(quota::upsert(db, &rep, &input).await.unwrap_err(), AppError::Forbidden);
    // A rep sees their own quotas only.
    assert!(quota::list(db, &rep, None, None).await.unwrap().iter().all(|q| q.email == "rep@demo.local"));
}

/// The dashboard reads deals and history in keyset pages; any page size gives the same book,
/// for every scope (all, a manager's teams, a rep's own, a presales user's member deals).
#[tokio::test]
async fn paged_loading_gives_the_same_book_whatever_the_page_size() {
    let t = seeded().await;
    let db = &t.db;
    for who in ["exec@demo.local", "manager@demo.local", "rep@demo.local", "presales@demo.local"] {
        let ctx = ctx_for(db, who).await;
        let whole = forecast::load_paged(db, &ctx, Some(chrono::DateTime::<Utc>::MIN_UTC), 1_000_000).await.unwrap();
        assert!(!whole.deals.is_empty() && !whole.events.is_empty(), "{who} sees deals with history");
        for page in [1, 7, 50] {
            let paged = forecast::load_paged(db, &ctx, Some(chrono::DateTime::<Utc>::MIN_UTC), page).await.unwrap();
            assert_eq!(paged.deals, whole.deals, "{who}, pages of {page}");
            assert_eq!(paged.events, whole.events, "{who}, pages of {page}");
        }
        let present = forecast::load_with(db, &ctx, false).await.unwrap();
        assert_eq!(present.deals, whole.deals, "{who}");
        assert!(present.events.is_empty());
        // Every event belongs to a deal in view.
        let ids: std::collections::HashSet<i32> = whole.deals.iter().map(|d| d.id).collect();
        if who != "exec@demo.local" {
            assert!(whole.events.iter().all(|e| ids.contains(&e.deal_id)), "{who} gets only the history of deals in view");
        }
    }
}

/// A progress replayed from the history after `history_start` equals the one replayed from
/// all history: over the demo's weeks, for every scope, for windows of a day to a quarter.
#[tokio::test]
async fn progress_from_recent_history_equals_progress_from_all_history() {
    let t = seeded().await;
    let db = &t.db;
    let now = Utc::now();
    for who in ["exec@demo.local", "manager@demo.local", "rep@demo.local"] {
        let ctx = ctx_for(db, who).await;
        let full = forecast::load(db, &ctx).await.unwrap();
        let (mut compared, mut truncated) = (0, 0);
        for (from_days, to_days) in [(7, 0), (1, 0), (14, 7), (30, 2), (45, 40), (90, 0), (120, 60)] {
            let (a, b) = (now - Duration::days(from_days), now - Duration::days(to_days));
            let since = forecast::history_start(a);
            let recent = forecast::load_since(db, &ctx, since).await.unwrap();
            assert!(recent.events.iter().all(|e| e.at > since));
            assert!(recent.events.len() <= full.events.len());
            let (pf, p_full) = forecast::progress_view(&full, a, b);
            let (pr, p_recent) = forecast::progress_view(&recent, a, b);
            assert_eq!(pr, pf, "{who} from {from_days} to {to_days} days ago");
            assert_eq!(p_recent.items, p_full.items, "{who} from {from_days} to {to_days} days ago");
            // Replaying only the deals that changed after A, the rest from the cells.
            let (pc, p_changed) = forecast::progress_changed(db, &ctx, a, b).await.unwrap();
            assert_eq!(pc, pf, "{who} from {from_days} to {to_days} days ago (changed deals only)");
            assert_eq!(p_changed, p_full, "{who} from {from_days} to {to_days} days ago (changed deals only)");
            // Summed by the database from the state each history row carries.
            assert_eq!(summed(db, &ctx, a, b, &full.stages).await, pf, "{who} from {from_days} to {to_days} days ago (summed)");
            compared += usize::from(p_full.total_fen != 0);
            truncated += usize::from(recent.events.len() < full.events.len());
        }
        assert!(compared > 0, "{who}: some window saw the pipeline change");
        assert!(truncated > 0, "{who}: some window read less than all history");
    }
}

/// [`forecast::progress_summed`] with the cells it needs (won cells from A's quarter on).
async fn summed(
    db: &Db,
    ctx: &app::ssr::context::RequestContext,
    a: chrono::DateTime<Utc>,
    b: chrono::DateTime<Utc>,
    stages: &[f::Stage],
) -> app::domain::dashboard::ProgressView {
    let off = forecast::offset();
    let scope = f::Scope::quarter(f::local_date(a, off), off);
    let cells = forecast::load_cells(db, ctx, f::month_key(f::local_date(scope.period_start, off))).await.unwrap();
    forecast::progress_summed(db, ctx, a, b, &cells, stages).await.unwrap()
}

async fn progress_terms(db: &Db) -> Vec<app::ssr::entity::progress_term::Model> {
    use app::ssr::entity::progress_term as p;
    p::Entity::find()
        .order_by_asc(p::Column::Day)
        .order_by_asc(p::Column::TeamId)
        .order_by_asc(p::Column::OwnerId)
        .order_by_asc(p::Column::Cls)
        .order_by_asc(p::Column::Term)
        .order_by_asc(p::Column::Month)
        .all(db)
        .await
        .unwrap()
}

async fn progress_days(db: &Db) -> Vec<app::ssr::entity::progress_day::Model> {
    use app::ssr::entity::progress_day as p;
    p::Entity::find()
        .order_by_asc(p::Column::Scope)
        .order_by_asc(p::Column::Day)
        .order_by_asc(p::Column::TeamId)
        .order_by_asc(p::Column::OwnerId)
        .order_by_asc(p::Column::Cls)
        .all(db)
        .await
        .unwrap()
}

/// The kept progress days equal a rebuild from the history, and progress from them equals the
/// replay for windows of whole local days ending at a midnight or now, for each viewer.
async fn assert_days_agree(db: &Db, viewers: &[&str]) {
    assert_progress_agrees(db, viewers, true).await;
}

/// [`assert_days_agree`]; `exact: false` leaves rows of 0 out of the comparison (a change of
/// owner leaves them where only the moved deal counted; a rebuild has none).
pub(crate) async fn assert_progress_agrees(db: &Db, viewers: &[&str], exact: bool) {
    let kept: Vec<_> = progress_days(db).await.into_iter().filter(|r| exact || r.fen != 0).collect();
    assert!(kept.len() > 20, "the demo history makes progress days");
    app::ssr::sql::rebuild_progress_days(db).await.unwrap();
    assert_eq!(progress_days(db).await.into_iter().filter(|r| exact || r.fen != 0).collect::<Vec<_>>(), kept, "kept = rebuilt");
    let kept: Vec<_> = progress_terms(db).await.into_iter().filter(|r| exact || r.fen != 0).collect();
    // (The callers that pass `exact` made writes of every kind first.)
    for term in ["open", "won"].into_iter().filter(|_| exact) {
        assert!(kept.iter().any(|t| t.term == term && t.fen != 0), "the history and the writes make {term} terms");
    }
    assert!(kept.iter().any(|t| t.fen != 0), "the history makes terms");
    app::ssr::sql::rebuild_progress_terms(db).await.unwrap();
    assert_eq!(progress_terms(db).await.into_iter().filter(|r| exact || r.fen != 0).collect::<Vec<_>>(), kept, "kept terms = rebuilt");
    let off = forecast::offset();
    let now = Utc::now() + Duration::seconds(1);
    let today = f::local_date(now, off);
    let midnight = |days: i64| f::local_midnight(today - Duration::days(days), off);
    for who in viewers {
        let ctx = ctx_for(db, who).await;
        let full = forecast::load(db, &ctx).await.unwrap();
        let mut seen = 0;
        // Back to well before the demo history: from two quarters back on, the terms count too.
        for (from, to) in [
            (0, None),
            (1, None),
            (7, None),
            (7, Some(2)),
            (30, Some(0)),
            (30, Some(9)),
            (80, None),
            (80, Some(40)),
            (200, None),
            (200, Some(100)),
            (300, Some(1)),
            (300, Some(150)),
            (500, None),
        ] {
            let (a, b) = (midnight(from), to.map_or(now, midnight));
            let scope = f::Scope::quarter(f::local_date(a, off), off);
            let cells = forecast::load_cells(db, &ctx, f::month_key(f::local_date(scope.period_start, off))).await.unwrap();
            let got = forecast::progress_from_days(db, &ctx, a, b, now, &cells, &full.stages).await.unwrap();
            let (want, _) = forecast::progress_view(&full, a, b);
            assert_eq!(got.as_ref(), Some(&want), "{who}: {from} days ago → {to:?}");
            seen += usize::from(want.total_fen != 0);
        }
        assert!(seen > 0, "{who}: some window saw the pipeline change");
        // Not whole days: the events are summed instead.
        let stages = &full.stages;
        assert!(forecast::progress_from_days(db, &ctx, midnight(3) + Duration::hours(5), now, now, &[], stages).await.unwrap().is_none());
        assert!(forecast::progress_from_days(db, &ctx, midnight(200), midnight(9) - Duration::minutes(1), now, &[], stages)
            .await
            .unwrap()
            .is_none());
    }
}

/// Every value row's state columns, by id.
async fn history_states(
    db: &Db,
) -> Vec<(i32, String, Option<i32>, Option<i64>, Option<chrono::NaiveDate>, Option<String>, Option<String>)> {
    use app::ssr::entity::deal_history as h;
    h::Entity::find()
        .order_by_asc(h::Column::Id)
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| {
            let t = |x: Option<chrono::DateTime<Utc>>| x.map(|x| x.timestamp_micros().to_string());
            (r.id, r.kind, r.after_stage_id, r.after_amount_fen, r.after_close_date, t(r.after_entered_at), t(r.before_entered_at))
        })
        .collect()
}

/// Progress summed by the database equals the replay of every deal's whole history, after
/// writes of every kind (a move up, back, to lost; amount and close date in one patch; a
/// category; a new deal), for every kind of viewer and window — including windows that end
/// before the writes. And the migration's fill gives each row the state its writer gave it.
#[tokio::test]
async fn progress_summed_by_the_database_equals_the_replay_after_every_kind_of_write() {
    let t = seeded().await;
    let db = &t.db;
    let admin = ctx_for(db, "admin@demo.local").await;
    let manager = ctx_for(db, "manager@demo.local").await;
    let s = stages_of(db, "solution").await;
    let open: Vec<deal::Model> = deal::Entity::find()
        .filter(deal::Column::StageId.is_in(s.iter().filter(|x| x.kind == "open" && x.position > 1).map(|x| x.id)))
        .order_by_asc(deal::Column::Id)
        .all(db)
        .await
        .unwrap();
    assert!(open.len() >= 9, "enough open demo deals");
    let q_end = f::quarter_end(f::local_date(Utc::now(), forecast::offset()));
    for (i, d) in open.iter().take(4).enumerate() {
        // Into and out of this quarter's horizon, amounts with odd fen, a category.
        let patch = DealPatch {
            version: d.version,
            amount_fen: Some(d.amount_fen + 7_777 * (i as i64 + 1)),
            close_date: Some(if i % 2 == 0 { q_end + Duration::days(40) } else { q_end - Duration::days(3) }),
            forecast_category: (i == 3).then(|| "commit".into()),
            ..Default::default()
        };
        deals::patch(db, &admin, d.uuid, patch).await.unwrap();
    }
    for (i, d) in open.iter().skip(4).take(3).enumerate() {
        let d = deal::Entity::find_by_id(d.id).one(db).await.unwrap().unwrap();
        let here = s.iter().find(|y| y.id == d.stage_id).unwrap().position;
        let to = match i {
            0 => s.iter().rfind(|x| x.kind == "open" && x.position < here).unwrap(),
            1 => s.iter().find(|x| x.kind == "lost").unwrap(),
            _ => s.iter().find(|x| x.kind == "open" && x.position > here).unwrap_or_else(|| s.iter().find(|x| x.kind == "lost").unwrap()),
        };
        let c = movement::MoveCommand {
            deal: d.uuid,
            to_stage: to.uuid,
            version: d.version,
            reason: Some("why".into()),
            lost_reason: Some("price".into()),
        };
        // A move up may wait for its gate; the others happen.
        let out = movement::move_deal(db, &admin, c).await.unwrap();
        assert!(i == 2 || matches!(out, MoveOutcome::Moved { .. }), "{out:?}");
    }
    let acct = account::Entity::find().filter(account::Column::TeamId.eq(manager.team_id.unwrap())).one(db).await.unwrap().unwrap();
    let new = NewDeal {
        name: "summed".into(),
        account: acct.uuid,
        pipeline: None,
        owner: None,
        amount_fen: 4_444_447,
        currency: None,
        close_date: q_end,
    };
    deals::create(db, &manager, new).await.unwrap();
    // An overdue deal (its close date before the previous quarter) changes: what old quarters
    // see of it are open terms.
    let late = deal::Entity::find_by_id(open[7].id).one(db).await.unwrap().unwrap();
    let long_ago = f::local_date(Utc::now(), forecast::offset()) - Duration::days(250);
    let patch = DealPatch { version: late.version, close_date: Some(long_ago), ..Default::default() };
    deals::patch(db, &admin, late.uuid, patch).await.unwrap();
    let late = deal::Entity::find_by_id(late.id).one(db).await.unwrap().unwrap();
    let patch = DealPatch { version: late.version, amount_fen: Some(late.amount_fen + 1_234_567), ..Default::default() };
    deals::patch(db, &admin, late.uuid, patch).await.unwrap();
    let late = deal::Entity::find_by_id(late.id).one(db).await.unwrap().unwrap();
    let c = movement::MoveCommand {
        deal: late.uuid,
        to_stage: s.iter().find(|x| x.kind == "lost").unwrap().uuid,
        version: late.version,
        reason: Some("why".into()),
        lost_reason: Some("budget".into()),
    };
    assert!(matches!(movement::move_deal(db, &admin, c).await.unwrap(), MoveOutcome::Moved { .. }));
    let now = Utc::now() + Duration::seconds(1);
    for who in ["exec@demo.local", "manager@demo.local", "manager2@demo.local", "rep@demo.local"] {
        let ctx = ctx_for(db, who).await;
        let full = forecast::load(db, &ctx).await.unwrap();
        let mut moved = 0;
        for (from, to) in [
            (Duration::minutes(10), Duration::zero()),
            (Duration::days(7), Duration::zero()),
            (Duration::days(14), Duration::days(7)),
            (Duration::days(40), Duration::days(1)),
            (Duration::days(120), Duration::days(60)),
            (Duration::days(300), Duration::zero()),
        ] {
            let (a, b) = (now - from, now - to);
            let (want, p) = forecast::progress_view(&full, a, b);
            assert_eq!(summed(db, &ctx, a, b, &full.stages).await, want, "{who} {a} → {b}");
            moved += usize::from(want.total_fen != 0);
            // The deals behind each part (the drill-down), as the replay's items.
            for code in ["new", "moved_up", "moved_down", "won", "lost", "amount_changed", "slipped", "pulled_in", "other"] {
                let items: std::collections::HashMap<i32, i64> =
                    p.items.iter().filter(|i| forecast::contribution_code(i.kind) == code).map(|i| (i.deal_id, i.fen)).collect();
                assert_eq!(forecast::progress_items_summed(db, &ctx, a, b, code).await.unwrap(), items, "{who} {a} → {b} {code}");
            }
        }
        assert!(moved > 0, "{who}: some window saw the pipeline change");
    }
    // The progress days the writes maintained are what a rebuild from the history gives, and
    // progress from them is the replay's, over whole local days.
    assert_days_agree(db, &["exec@demo.local", "manager@demo.local", "rep@demo.local", "presales@demo.local"]).await;
    // A win rate changes: every part weighted by that stage changes with it.
    let st = &s[2];
    raise_win_rate(db, &admin, st, 9).await;
    assert_days_agree(db, &["exec@demo.local", "rep@demo.local"]).await;
    // The fill from history alone gives every row the state its writer wrote.
    let written = history_states(db).await;
    assert!(written.iter().filter(|r| r.2.is_some()).count() > 100);
    use sea_orm::ConnectionTrait;
    let forget = "UPDATE deal_history SET after_stage_id = NULL, after_amount_fen = NULL, after_close_date = NULL, \
                  after_entered_at = NULL, before_entered_at = NULL";
    // Both statements (window functions, then the per-row lookup for what is left), and the
    // per-row lookup alone, which must also be complete.
    db.execute_unprepared(forget).await.unwrap();
    app::ssr::sql::fill_history_state(db).await.unwrap();
    assert_eq!(history_states(db).await, written, "window fill");
    db.execute_unprepared(forget).await.unwrap();
    db.execute_unprepared(&app::ssr::sql::fill_history_state_sql()[1]).await.unwrap();
    assert_eq!(history_states(db).await, written, "per-row fill");
}

/// The summary cells the figures of the present read, against the cells of the deals the
/// viewer's figures count (the domain's reference), for every kind of viewer.
pub(crate) async fn assert_cells_agree(db: &Db, emails: &[&str]) {
    for email in emails {
        let ctx = ctx_for(db, email).await;
        let book = forecast::load_with(db, &ctx, false).await.unwrap();
        let want = f::cells_of(&book.deals, &book.stages, forecast::offset());
        assert_eq!(forecast::load_cells(db, &ctx, 0).await.unwrap(), want, "{email}");
        // The grouped forecast from the cells equals grouping every deal's facts.
        let today = f::local_date(Utc::now(), forecast::offset());
        let facts = f::deal_facts(&book.deals, &book.stages, today, f::local_midnight(f::quarter_start(today), forecast::offset()));
        for by in ["owner", "team", "pipeline", "bucket", "category", "month", "quarter", "year"] {
            let got = forecast::grouped(db, &ctx, by, None).await.unwrap();
            let want = f::group(&facts, forecast_group(by));
            assert_eq!(got.len(), want.len(), "{email} {by}");
            for (g, w) in got.iter().zip(&want) {
                assert_eq!((g.open_count, g.open_amount_fen, g.weighted_fen), (w.open.count, w.open.amount_fen, w.open.weighted_fen));
                assert_eq!((g.won_count, g.won_amount_fen), (w.won.count, w.won.amount_fen), "{email} {by}");
            }
        }
    }
}

fn forecast_group(by: &str) -> f::GroupBy {
    forecast::parse_group(by).unwrap()
}

#[tokio::test]
async fn forecast_cells_equal_the_deals_after_every_kind_of_write() {
    let t = seeded().await;
    let db = &t.db;
    let everyone = ["exec@demo.local", "manager@demo.local", "manager2@demo.local", "rep@demo.local", "presales@demo.local"];
    assert_cells_agree(db, &everyone).await;
    let admin = ctx_for(db, "admin@demo.local").await;
    let manager = ctx_for(db, "manager@demo.local").await;
    let s = stages_of(db, "solution").await;
    let open: Vec<deal::Model> = deal::Entity::find()
        .filter(deal::Column::StageId.is_in(s.iter().filter(|x| x.kind == "open" && x.position > 1).map(|x| x.id)))
        .order_by_asc(deal::Column::Id)
        .all(db)
        .await
        .unwrap();
    assert!(open.len() >= 8, "enough open demo deals");
    // Odd amounts (per-deal rounding), a slipped and a pulled-in date, categories set and cleared.
    for (i, d) in open.iter().take(6).enumerate() {
        let patch = DealPatch {
            version: d.version,
            amount_fen: Some(d.amount_fen + 12_345 * (i as i64 + 1)),
            close_date: Some(d.close_date + Duration::days(if i % 2 == 0 { 95 } else { -40 })),
            forecast_category: Some(["commit", "best_case", "", "next_quarter", "pipeline", ""][i].into()),
            ..Default::default()
        };
        deals::patch(db, &admin, d.uuid, patch).await.unwrap();
    }
    // Moves back a stage and to Lost.
    for (i, d) in open.iter().skip(6).take(2).enumerate() {
        let d = deal::Entity::find_by_id(d.id).one(db).await.unwrap().unwrap();
        let here = s.iter().find(|y| y.id == d.stage_id).unwrap().position;
        let to = if i == 0 {
            s.iter().rfind(|x| x.kind == "open" && x.position < here).unwrap()
        } else {
            s.iter().find(|x| x.kind == "lost").unwrap()
        };
        let c = movement::MoveCommand {
            deal: d.uuid,
            to_stage: to.uuid,
            version: d.version,
            reason: Some("re-qualify".into()),
            lost_reason: Some("price".into()),
        };
        assert!(matches!(movement::move_deal(db, &admin, c).await.unwrap(), MoveOutcome::Moved { .. }));
    }
    // A new deal.
    let acct = account::Entity::find().filter(account::Column::TeamId.eq(manager.team_id.unwrap())).one(db).await.unwrap().unwrap();
    let new = NewDeal {
        name: "cells".into(),
        account: acct.uuid,
        pipeline: None,
        owner: None,
        amount_fen: 3_333_333,
        currency: None,
        close_date: Utc::now().date_naive() + Duration::days(200),
    };
    deals::create(db, &manager, new).await.unwrap();
    assert_cells_agree(db, &everyone).await;
    // A win rate changes: every weighted sum of that stage changes with it.
    let st = &s[2];
    raise_win_rate(db, &admin, st, 7).await;
    assert_cells_agree(db, &everyone).await;
    // A rebuild from the deals gives the table the writes maintained.
    let exec = ctx_for(db, "exec@demo.local").await;
    let kept = forecast::load_cells(db, &exec, 0).await.unwrap();
    app::ssr::service::totals::rebuild(db).await.unwrap();
    assert_eq!(forecast::load_cells(db, &exec, 0).await.unwrap(), kept);
}

#[tokio::test]
async fn a_manager_adjusts_the_category_and_both_values_stay_visible() {
    let t = seeded().await;
    let db = &t.db;
    let manager = ctx_for(db, "manager@demo.local").await;
    let rep = ctx_for(db, "rep@demo.local").await;
    let s = stages_of(db, "solution").await;
    let d = deal::Entity::find()
        .filter(deal::Column::OwnerId.eq(rep.user_id))
        .filter(deal::Column::StageId.is_in(s.iter().filter(|x| x.kind == "open").map(|x| x.id)))
        .order_by_asc(deal::Column::Id)
        .one(db)
        .await
        .unwrap()
        .expect("an open deal of the rep");
    // The owner says commit.
    let d =
        deals::patch(db, &rep, d.uuid, DealPatch { version: d.version, forecast_category: Some("commit".into()), ..Default::default() })
            .await
            .unwrap();
    // The rep may not adjust as a manager.
    let refused = DealPatch { version: d.version, manager_category: Some("pipeline".into()), ..Default::default() };
    assert_eq!(deals::patch(db, &rep, d.uuid, refused).await.unwrap_err(), AppError::Forbidden);
    assert!(!deals::facts(db, &rep, d.uuid).await.unwrap().can_adjust);
    // Nor may another team's manager (who cannot even see the deal).
    let other = ctx_for(db, "manager2@demo.local").await;
    let foreign = DealPatch { version: d.version, manager_category: Some("pipeline".into()), ..Default::default() };
    assert!(deals::patch(db, &other, d.uuid, foreign).await.is_err());
    // The team's manager adjusts it to best case; both values are kept and shown.
    assert!(deals::facts(db, &manager, d.uuid).await.unwrap().can_adjust);
    let bad = DealPatch { version: d.version, manager_category: Some("won".into()), ..Default::default() };
    assert!(matches!(deals::patch(db, &manager, d.uuid, bad).await.unwrap_err(), AppError::Validation { .. }));
    let d = deals::patch(
        db,
        &manager,
        d.uuid,
        DealPatch { version: d.version, manager_category: Some("best_case".into()), ..Default::default() },
    )
    .await
    .unwrap();
    let facts = deals::facts(db, &rep, d.uuid).await.unwrap();
    assert_eq!((facts.forecast_category.as_deref(), facts.manager_category.as_deref()), (Some("commit"), Some("best_case")));
    let h = app::ssr::entity::deal_history::Entity::find()
        .filter(app::ssr::entity::deal_history::Column::DealId.eq(d.id))
        .filter(app::ssr::entity::deal_history::Column::Kind.eq("category_adjusted"))
        .all(db)
        .await
        .unwrap();
    assert_eq!(h.len(), 1);
    assert_eq!(h[0].note.as_deref(), Some("- → best_case"));
    assert_eq!(h[0].actor_id, Some(manager.user_id));
    // The figures count the manager's category, and the summary cells follow.
    let book = forecast::load_with(db, &manager, false).await.unwrap();
    let today = f::local_date(Utc::now(), forecast::offset());
    let fact = f::deal_facts(&book.deals, &book.stages, today, Utc::now()).into_iter().find(|x| x.deal_id == d.id).unwrap();
    assert_eq!(fact.category.owner, Some(f::ForecastCategory::Commit));
    assert_eq!(fact.category.manager, Some(f::ForecastCategory::BestCase));
    assert_eq!(fact.category.effective, f::ForecastCategory::BestCase);
    assert_cells_agree(db, &["exec@demo.local", "manager@demo.local", "rep@demo.local"]).await;
    // Clearing the adjustment gives the owner's choice back.
    deals::patch(db, &manager, d.uuid, DealPatch { version: d.version, manager_category: Some(String::new()), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(deals::facts(db, &rep, d.uuid).await.unwrap().manager_category, None);
}

/// The reference for a trend point: the replay of every deal and all history.
pub(crate) async fn reference_points(
    db: &Db,
    ctx: &app::ssr::context::RequestContext,
    points: &[chrono::DateTime<Utc>],
) -> Vec<(i64, i64, u64, u64)> {
    let book = forecast::load(db, ctx).await.unwrap();
    points
        .iter()
        .map(|&t| {
            let p = f::forecast_at(&book.deals, &book.stages, &book.events, t, f::point_scope(t, forecast::offset()));
            (p.forecast_fen, p.won_fen, p.open_count, p.won_count)
        })
        .collect()
}

#[tokio::test]
async fn cached_trend_points_equal_the_derivation_before_and_after_new_history() {
    let t = seeded().await;
    let db = &t.db;
    let admin = ctx_for(db, "admin@demo.local").await;
    let s = stages_of(db, "solution").await;
    let stages: Vec<f::Stage> = stage::Entity::find().all(db).await.unwrap().iter().map(forecast::stage_fact).collect();
    let now = Utc::now();
    let points = forecast::trend_instants(now);
    assert_eq!(points.len(), 13);
    let got = |ctx: app::ssr::context::RequestContext| {
        let stages = stages.clone();
        let points = points.clone();
        async move {
            let cells = forecast::load_cells(db, &ctx, 0).await.unwrap();
            forecast::trend_points(db, &ctx, &points, now, &cells, &stages)
                .await
                .unwrap()
                .into_iter()
                .map(|p| (p.forecast_fen, p.won_fen, p.open_count, p.won_count))
                .collect::<Vec<_>>()
        }
    };
    let viewers = ["exec@demo.local", "manager@demo.local", "rep@demo.local"];
    let mut before = Vec::new();
    for who in viewers {
        let ctx = ctx_for(db, who).await;
        let cold = got(ctx.clone()).await;
        assert_eq!(cold, reference_points(db, &ctx, &points).await, "{who}: computed points");
        assert!(cold.iter().any(|p| p.0 > 0), "{who}: the demo history gives a trend");
        assert_eq!(got(ctx.clone()).await, cold, "{who}: cached points");
        before.push(cold);
    }
    let cached = app::ssr::entity::forecast_point::Entity::find().all(db).await.unwrap();
    assert_eq!(cached.len(), 12 * viewers.len(), "past points are kept, the present one is not");
    // New history (a move, an amount change) leaves every past point as it was.
    let d = deal::Entity::find()
        .filter(deal::Column::StageId.is_in(s.iter().filter(|x| x.kind == "open" && x.position > 1).map(|x| x.id)))
        .order_by_asc(deal::Column::Id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let here = s.iter().find(|y| y.id == d.stage_id).unwrap().position;
    let back = s.iter().rfind(|x| x.kind == "open" && x.position < here).unwrap();
    let c = movement::MoveCommand {
        deal: d.uuid,
        to_stage: back.uuid,
        version: d.version,
        reason: Some("re-qualify".into()),
        lost_reason: None,
    };
    assert!(matches!(movement::move_deal(db, &admin, c).await.unwrap(), MoveOutcome::Moved { .. }));
    let d = deal::Entity::find_by_id(d.id).one(db).await.unwrap().unwrap();
    deals::patch(db, &admin, d.uuid, DealPatch { version: d.version, amount_fen: Some(d.amount_fen + 777_700), ..Default::default() })
        .await
        .unwrap();
    for (who, old) in viewers.iter().zip(&before) {
        let ctx = ctx_for(db, who).await;
        let fresh = reference_points(db, &ctx, &points).await;
        assert_eq!(&fresh[..12], &old[..12], "{who}: the past did not change");
        assert_eq!(got(ctx.clone()).await[..12], fresh[..12], "{who}: cache equals the derivation");
    }
    // A win rate change forgets the cache; the recomputed points follow the new rate.
    let st = stage::Entity::find_by_id(s[1].id).one(db).await.unwrap().unwrap();
    raise_win_rate(db, &admin, &st, 5).await;
    assert!(app::ssr::entity::forecast_point::Entity::find().all(db).await.unwrap().is_empty());
    let stages: Vec<f::Stage> = stage::Entity::find().all(db).await.unwrap().iter().map(forecast::stage_fact).collect();
    let exec = ctx_for(db, "exec@demo.local").await;
    let cells = forecast::load_cells(db, &exec, 0).await.unwrap();
    let again: Vec<_> = forecast::trend_points(db, &exec, &points, now, &cells, &stages)
        .await
        .unwrap()
        .into_iter()
        .map(|p| (p.forecast_fen, p.won_fen, p.open_count, p.won_count))
        .collect();
    assert_eq!(again, reference_points(db, &exec, &points).await);
}

#[tokio::test]
async fn history_figures_of_a_large_book_arrive_in_the_background_and_match_the_replay() {
    let t = seeded().await;
    let db = &t.db;
    let exec = ctx_for(db, "exec@demo.local").await;
    let book = forecast::load(db, &exec).await.unwrap();
    let now = Utc::now();
    let want = f::cycle_stats(&book.deals, &book.stages, &book.events, f::Window { from: now - Duration::days(365), to: now });
    let unfunneled = f::signed_outside_funnel(&book.deals, &book.stages, &book.events, forecast::MIN_FUNNEL_DAYS);
    assert!(want.win_rate_pct.is_some() && want.stages.iter().any(|s| s.conversion_pct.is_some()), "the demo year has outcomes");
    // The figures read the stage visits only: the same from a book without the revisions.
    for who in ["exec@demo.local", "manager@demo.local", "rep@demo.local"] {
        let ctx = ctx_for(db, who).await;
        let (full, visits) = (forecast::load(db, &ctx).await.unwrap(), forecast::load_visits(db, &ctx).await.unwrap());
        assert!(visits.events.len() < full.events.len(), "{who}: the revisions are left out");
        let window = f::Window { from: now - Duration::days(365), to: now };
        assert_eq!(
            f::cycle_stats(&visits.deals, &visits.stages, &visits.events, window),
            f::cycle_stats(&full.deals, &full.stages, &full.events, window),
            "{who}"
        );
        let outside = |b: &forecast::Book| f::signed_outside_funnel(&b.deals, &b.stages, &b.events, forecast::MIN_FUNNEL_DAYS);
        assert_eq!(outside(&visits), outside(&full), "{who}");
    }
    // Inline (a small book): the figures are there at once.
    forecast::forget_history(db);
    let inline = forecast::dashboard(db, &exec, None).await.unwrap();
    assert!(inline.history_at.is_some());
    assert_eq!((inline.win_rate_pct, inline.avg_cycle_days), (want.win_rate_pct, want.avg_cycle_days));
    assert_eq!(inline.unfunneled_total, unfunneled.len() as u64);
    assert_eq!(inline.unfunneled.len(), unfunneled.len().min(forecast::UNFUNNELED_SHOWN));
    assert!(inline.trend_complete);
    // Treated as large: the first answer says "being computed", a later one has them.
    forecast::forget_history(db);
    forecast::forget_points(db).await.unwrap();
    let first = forecast::dashboard_with(db, &exec, None, 0).await.unwrap();
    assert_eq!(first.history_at, None);
    assert!(!first.trend_complete);
    assert_eq!(first.trend.len(), 1, "only the present point until the past weeks are in");
    assert_eq!(first.win_rate_pct, None);
    assert!(first.unfunneled.is_empty());
    assert_eq!(first.forecast_fen, inline.forecast_fen, "the figures of the present do not wait");
    let mut later = first;
    for _ in 0..100 {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        later = forecast::dashboard_with(db, &exec, None, 0).await.unwrap();
        if later.history_at.is_some() && later.trend_complete {
            break;
        }
    }
    assert!(later.history_at.is_some() && later.trend_complete, "the background computations finished");
    assert_eq!(later.trend, inline.trend);
    assert_eq!((later.win_rate_pct, later.avg_cycle_days), (want.win_rate_pct, want.avg_cycle_days));
    let conv = |d: &app::domain::dashboard::Dashboard| d.funnel.iter().map(|b| (b.conversion_pct, b.avg_days)).collect::<Vec<_>>();
    assert_eq!(conv(&later), conv(&inline));
    assert_eq!(later.unfunneled, inline.unfunneled);
}

/// The dashboard's stuck counts (SQL, per arm of the viewer's deals) equal the domain rule over
/// the deals the viewer sees, for every kind of viewer.
#[tokio::test]
async fn stuck_counts_equal_the_rule_for_every_viewer() {
    let t = seeded().await;
    let db = &t.db;
    let ids: std::collections::HashMap<uuid::Uuid, i32> =
        stage::Entity::find().all(db).await.unwrap().into_iter().map(|s| (s.uuid, s.id)).collect();
    let mut any = 0;
    for who in ["exec@demo.local", "manager@demo.local", "manager2@demo.local", "rep@demo.local", "presales@demo.local"] {
        let ctx = ctx_for(db, who).await;
        let dash = forecast::dashboard(db, &ctx, None).await.unwrap();
        let book = forecast::load_with(db, &ctx, false).await.unwrap();
        let stuck = f::stuck_deals(&book.deals, &book.stages, Utc::now());
        for bar in &dash.funnel {
            let id = ids[&bar.stage.id];
            assert_eq!(bar.stuck, stuck.iter().filter(|s| s.stage_id == id).count() as u64, "{who} {}", bar.stage.name_en);
            any += bar.stuck;
        }
    }
    assert!(any > 0, "the demo has stuck deals");
}

/// A category's drill-down reads only the deals that can be in it, and holds exactly those whose
/// effective category it is — with owners' choices and a manager's adjustment among them.
#[tokio::test]
async fn a_category_drill_holds_exactly_the_deals_of_that_category() {
    let t = seeded().await;
    let db = &t.db;
    let admin = ctx_for(db, "admin@demo.local").await;
    let manager = ctx_for(db, "manager@demo.local").await;
    let open: Vec<deal::Model> = deal::Entity::find()
        // Stages whose default is always "pipeline": every choice below changes the category.
        .filter(deal::Column::StageId.is_in(
            stages_of(db, "solution").await.iter().filter(|s| s.kind == "open" && s.win_rate_pct < f::HOPEFUL_MIN_PCT).map(|s| s.id),
        ))
        .filter(deal::Column::TeamId.eq(manager.team_id.unwrap()))
        .order_by_asc(deal::Column::Id)
        .all(db)
        .await
        .unwrap();
    for (d, owner, mgr) in
        [(&open[0], Some("commit"), None), (&open[1], None, Some("next_quarter")), (&open[2], Some("best_case"), Some("pipeline"))]
    {
        if let Some(c) = owner {
            let v = deal::Entity::find_by_id(d.id).one(db).await.unwrap().unwrap().version;
            deals::patch(db, &admin, d.uuid, DealPatch { version: v, forecast_category: Some(c.into()), ..Default::default() })
                .await
                .unwrap();
        }
        if let Some(c) = mgr {
            let v = deal::Entity::find_by_id(d.id).one(db).await.unwrap().unwrap().version;
            deals::patch(db, &manager, d.uuid, DealPatch { version: v, manager_category: Some(c.into()), ..Default::default() })
                .await
                .unwrap();
        }
    }
    let off = forecast::offset();
    let today = f::local_date(Utc::now(), off);
    for who in ["exec@demo.local", "manager@demo.local", "rep@demo.local"] {
        let ctx = ctx_for(db, who).await;
        let book = forecast::load(db, &ctx).await.unwrap();
        let facts = f::deal_facts(&book.deals, &book.stages, today, f::Scope::quarter(today, off).period_start);
        let mut seen = 0;
        for c in f::ForecastCategory::ALL.into_iter().filter(|c| *c != f::ForecastCategory::Lost) {
            let want: Vec<&f::DealFact> = facts.iter().filter(|x| x.category.effective == c).collect();
            let page =
                forecast::drill_page(db, &ctx, &app::domain::dashboard::Drill::Category(c.as_str().into()), usize::MAX).await.unwrap();
            assert_eq!(page.total, want.len() as u64, "{who} {c:?}");
            assert_eq!(page.amount_fen, want.iter().map(|x| x.amount_fen).sum::<i64>(), "{who} {c:?}");
            assert_eq!(page.weighted_fen, want.iter().map(|x| x.weighted_fen).sum::<i64>(), "{who} {c:?}");
            assert!(page.rows.iter().all(|r| r.category == c.as_str()), "{who} {c:?}");
            assert_eq!(page.rows.len() as u64, page.total, "{who} {c:?}: every row, by close date");
            assert!(page.rows.windows(2).all(|w| w[0].close_date <= w[1].close_date), "{who} {c:?}");
            // A page shows the first rows; the totals still count them all.
            let first = forecast::drill_page(db, &ctx, &app::domain::dashboard::Drill::Category(c.as_str().into()), 3).await.unwrap();
            assert_eq!(
                (first.total, first.amount_fen, &first.rows[..]),
                (page.total, page.amount_fen, &page.rows[..page.rows.len().min(3)])
            );
            seen += usize::from(!want.is_empty());
        }
        assert!(seen >= 3, "{who}: several categories have deals");
        let none = forecast::drill_page(db, &ctx, &app::domain::dashboard::Drill::Category("nope".into()), 10).await.unwrap();
        assert_eq!((none.total, none.rows.len()), (0, 0));
    }
}

/// The ramp's per-stage sums made by the database equal the rule's tally of the same deals, for
/// each viewer and rep, with the tenure-year and phase cuts falling inside the book.
#[tokio::test]
async fn ramp_tallies_summed_by_the_database_equal_the_rule() {
    let t = seeded().await;
    let db = &t.db;
    let off = forecast::offset();
    let today = f::local_date(Utc::now(), off);
    let reps = app::ssr::entity::user::Entity::find().filter(app::ssr::entity::user::Column::Role.eq("rep")).all(db).await.unwrap();
    let mut compared = 0;
    for who in ["exec@demo.local", "manager@demo.local", "rep@demo.local"] {
        let ctx = ctx_for(db, who).await;
        let book = forecast::load_with(db, &ctx, false).await.unwrap();
        for u in &reps {
            // In a phase; past the first tenure year; still in training (no phase yet).
            for started in [today - Duration::days(150), today - Duration::days(400), today + Duration::days(10)] {
                let input = f::RampInput {
                    owner_id: u.id,
                    joined_on: started - Duration::days(30),
                    started_on: started,
                    today,
                    accounts_researched: 0,
                    phase_quota_fen: 1,
                    year_quota_fen: 1,
                };
                let mut got = forecast::rep_tally(db, &ctx, &input).await.unwrap();
                let mut want = f::ramp_tally(&input, &book.deals, off);
                got.sort_by_key(|t| t.stage_id);
                want.sort_by_key(|t| t.stage_id);
                assert_eq!(got, want, "{who} {} started {started}", u.email);
                compared += want.iter().map(|t| t.count).sum::<i64>();
            }
        }
    }
    assert!(compared > 0, "the demo's reps have deals");
}
