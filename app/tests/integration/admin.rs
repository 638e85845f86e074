#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The pipeline editor: every write is admin-only, versioned, validated, and changes what the
//! board and the gate do at once. SQLite and (with TEST_DATABASE_URL) PostgreSQL.

use crate::common::{ctx_for, seeded};
use app::domain::dto::{weighted_fen, BoardFilter, MoveOutcome, PipelineEditor, StageEdit, StageUpdate};
use app::domain::error::AppError;
use app::domain::gate::{Policy, Requirement};
use app::ssr::context::RequestContext;
use app::ssr::db::Db;
use app::ssr::entity::{deal, stage};
use app::ssr::service::{board, movement, pipeline as pipes, totals};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

async fn admin(db: &Db) -> RequestContext {
    ctx_for(db, "admin@demo.local").await
}

/// The default pipeline ("Solution sale") as the editor shows it.
async fn solution(db: &Db) -> PipelineEditor {
    pipes::editor(db, &admin(db).await, None).await.unwrap()
}

fn update_of(s: &StageEdit) -> StageUpdate {
    StageUpdate {
        name_en: s.name_en.clone(),
        name_zh: s.name_zh.clone(),
        win_rate_pct: s.win_rate_pct,
        stuck_days: s.stuck_days,
        playbook_en: s.playbook_en.clone(),
        playbook_zh: s.playbook_zh.clone(),
        version: s.version,
    }
}

async fn internal_id(db: &Db, s: &StageEdit) -> i32 {
    stage::Entity::find().filter(stage::Column::Uuid.eq(s.id)).one(db).await.unwrap().unwrap().id
}

/// A deal sitting in `s`, as freshly read.
async fn deal_in(db: &Db, s: &StageEdit) -> deal::Model {
    let id = internal_id(db, s).await;
    deal::Entity::find()
        .filter(deal::Column::StageId.eq(id))
        .order_by_asc(deal::Column::Id)
        .one(db)
        .await
        .unwrap()
        .expect("a demo deal in this stage")
}

async fn move_to(db: &Db, ctx: &RequestContext, d: &deal::Model, to: &StageEdit, reason: Option<&str>) -> MoveOutcome {
    let c = movement::MoveCommand { deal: d.uuid, to_stage: to.id, version: d.version, reason: reason.map(Into::into), lost_reason: None };
    movement::move_deal(db, ctx, c).await.unwrap()
}

fn is_validation(r: Result<impl std::fmt::Debug, AppError>, field: &str) {
    match r {
        Err(AppError::Validation { field: f, message }) => {
            assert_eq!(f, field, "{message}");
            assert!(!message.is_empty());
        }
        other => panic!("expected a validation error on {field}, got {other:?}"),
    }
}

#[tokio::test]
async fn the_editor_shows_stages_policies_and_requirements_and_renames() {
    let t = seeded().await;
    let db = &t.db;
    let ctx = admin(db).await;
    let ed = solution(db).await;
    assert_eq!(ed.pipeline.name_en, "Solution sale");
    assert_eq!(ed.pipelines.len(), 3);
    let rates: Vec<i32> = ed.stages.iter().map(|s| s.win_rate_pct).collect();
    assert_eq!(rates, vec![10, 25, 40, 60, 80, 100, 0]);
    assert_eq!(ed.stages[1].requirements, vec!["key_info.motivation", "key_info.competitors"]);
    assert_eq!(ed.requirements.len(), Requirement::all().len());
    assert!(ed.requirements.iter().all(|r| !r.label_en.is_empty() && !r.label_zh.is_empty() && r.code.starts_with(&r.group)));
    // Every ordered pair of distinct stages; the template's one override is flagged.
    assert_eq!(ed.policies.len(), 7 * 6);
    let cell = |f: usize, to: usize| ed.policies.iter().find(|c| c.from == ed.stages[f].id && c.to == ed.stages[to].id).unwrap().clone();
    let (one_step, skip, initiate) = (cell(0, 1), cell(0, 2), cell(1, 2));
    assert_eq!((one_step.policy, one_step.default, one_step.overridden), (Policy::Allow, Policy::Allow, false));
    assert_eq!((skip.policy, skip.overridden), (Policy::Approval, false));
    assert_eq!((initiate.policy, initiate.default, initiate.overridden), (Policy::Approval, Policy::Allow, true));

    let v = pipes::rename_pipeline(db, &ctx, ed.pipeline.id, "  Solution selling ", "解决方案型销售", ed.version).await.unwrap();
    assert_eq!(v, ed.version + 1);
    let again = solution(db).await;
    assert_eq!(
        (again.pipeline.name_en.as_str(), again.pipeline.name_zh.as_str(), again.version),
        ("Solution selling", "解决方案型销售", v)
    );
    // The board reads the same row.
    let b = board::board(db, &ctx, &BoardFilter::default()).await.unwrap();
    assert_eq!(b.pipeline.name_en, "Solution selling");
    // The old version is stale now; an empty name is refused before anything is written.
    assert_eq!(pipes::rename_pipeline(db, &ctx, ed.pipeline.id, "X", "X", ed.version).await, Err(AppError::Conflict));
    is_validation(pipes::rename_pipeline(db, &ctx, ed.pipeline.id, " ", "名", v).await, "name_en");
    is_validation(pipes::rename_pipeline(db, &ctx, ed.pipeline.id, "ok", &"长".repeat(61), v).await, "name_zh");
    assert_eq!(solution(db).await.version, v);
}

#[tokio::test]
async fn after_a_reorder_the_gate_follows_the_new_order() {
    let t = seeded().await;
    let db = &t.db;
    let ctx = admin(db).await;
    let ed = solution(db).await;
    let (first, second) = (ed.stages[0].clone(), ed.stages[1].clone());
    let d = deal_in(db, &second).await;
    // Before: going from the second stage to the first is a move back, which needs a reason.
    match move_to(db, &ctx, &d, &first, None).await {
        MoveOutcome::Blocked { missing } => assert_eq!(missing.iter().map(|m| m.code.as_str()).collect::<Vec<_>>(), vec!["reason"]),
        other => panic!("{other:?}"),
    }
    let open: Vec<uuid::Uuid> = ed.stages.iter().filter(|s| s.kind == "open").map(|s| s.id).collect();
    let mut order = open.clone();
    order.swap(0, 1);
    let after = pipes::reorder_stages(db, &ctx, ed.pipeline.id, &order, ed.version).await.unwrap();
    assert_eq!(after.version, ed.version + 1);
    let ids: Vec<uuid::Uuid> = after.stages.iter().map(|s| s.id).collect();
    assert_eq!(&ids[..5], &order[..]);
    assert_eq!(after.stages.iter().map(|s| s.position).collect::<Vec<_>>(), vec![1, 2, 3, 4, 5, 6, 7]);
    assert_eq!((after.stages[5].kind.as_str(), after.stages[6].kind.as_str()), ("won", "lost"));
    // A reorder leaves the stages' own versions alone (they guard names and rates).
    assert_eq!(after.stages[0].version, second.version);
    let cell = after.policies.iter().find(|c| c.from == second.id && c.to == first.id).unwrap();
    assert_eq!((cell.policy, cell.overridden), (Policy::Allow, false));
    // After: the same move is one step forward, allowed without a reason.
    let d = deal::Entity::find_by_id(d.id).one(db).await.unwrap().unwrap();
    match move_to(db, &ctx, &d, &first, None).await {
        MoveOutcome::Moved { card } => assert_eq!(card.stage_id, first.id),
        other => panic!("{other:?}"),
    }
    // The board lists the columns in the new order.
    let b = board::board(db, &ctx, &BoardFilter::default()).await.unwrap();
    assert_eq!(b.columns.iter().map(|c| c.stage.id).collect::<Vec<_>>(), ids);

    // Not a permutation of the open stages (won included, one missing, a duplicate): refused.
    let won = after.stages[5].id;
    for bad in [[&order[..4], &[won]].concat(), order[..4].to_vec(), [&order[..4], &order[..1]].concat()] {
        is_validation(pipes::reorder_stages(db, &ctx, ed.pipeline.id, &bad, after.version).await, "stages");
    }
    assert_eq!(pipes::reorder_stages(db, &ctx, ed.pipeline.id, &open, ed.version).await.unwrap_err(), AppError::Conflict);
    assert_eq!(solution(db).await.stages.iter().map(|s| s.id).collect::<Vec<_>>(), ids);
}

#[tokio::test]
async fn a_new_win_rate_reweights_the_board_without_touching_a_deal() {
    let t = seeded().await;
    let db = &t.db;
    let ctx = admin(db).await;
    let ed = solution(db).await;
    let s = ed.stages[1].clone();
    let f = BoardFilter { pipeline: Some(ed.pipeline.id), ..Default::default() };
    let column = |b: &app::domain::dto::Board| b.columns.iter().find(|c| c.stage.id == s.id).unwrap().clone();
    let before = column(&board::board(db, &ctx, &f).await.unwrap());
    assert!(before.count > 0 && before.amount_fen > 0, "the demo has deals in {}", s.name_en);
    assert_eq!(before.weighted_fen, weighted_fen(before.amount_fen, 25));
    let deals_before: Vec<deal::Model> = deal::Entity::find().order_by_asc(deal::Column::Id).all(db).await.unwrap();

    let saved = pipes::update_stage(db, &ctx, s.id, &StageUpdate { win_rate_pct: 55, ..update_of(&s) }).await.unwrap();
    assert_eq!((saved.win_rate_pct, saved.version), (55, s.version + 1));

    let after = column(&board::board(db, &ctx, &f).await.unwrap());
    assert_eq!((after.count, after.amount_fen, after.stage.win_rate_pct), (before.count, before.amount_fen, 55));
    assert_eq!(after.weighted_fen, weighted_fen(before.amount_fen, 55));
    assert_ne!(after.weighted_fen, before.weighted_fen);
    // The running totals times the stored rate give the same number for every viewer.
    let sid = internal_id(db, &s).await;
    let p_id = stage::Entity::find_by_id(sid).one(db).await.unwrap().unwrap().pipeline_id;
    let sums = totals::stage_sums(db, p_id, &ctx.visibility, Default::default()).await.unwrap();
    assert_eq!(weighted_fen(sums[&sid].1, 55), after.weighted_fen);
    // The dashboard's summary of the default pipeline reads the same rate.
    let summary = app::ssr::service::deal::pipeline_summary(db, &ctx).await.unwrap();
    let row = summary.stages.iter().find(|r| r.stage.id == s.id).unwrap();
    assert_eq!(row.weighted_fen, after.weighted_fen);
    let rep = ctx_for(db, "rep@demo.local").await;
    let rep_col = column(&board::board(db, &rep, &f).await.unwrap());
    assert_eq!(rep_col.weighted_fen, weighted_fen(rep_col.amount_fen, 55));
    // Not one deal row was written: same versions, same updated_at.
    let deals_after: Vec<deal::Model> = deal::Entity::find().order_by_asc(deal::Column::Id).all(db).await.unwrap();
    assert_eq!(deals_after, deals_before);
}

#[tokio::test]
async fn stage_fields_are_validated_and_versioned() {
    let t = seeded().await;
    let db = &t.db;
    let ctx = admin(db).await;
    let ed = solution(db).await;
    let (open, won, lost) = (ed.stages[0].clone(), ed.stages[5].clone(), ed.stages[6].clone());
    let u = update_of(&open);
    is_validation(pipes::update_stage(db, &ctx, open.id, &StageUpdate { win_rate_pct: 0, ..u.clone() }).await, "win_rate_pct");
    is_validation(pipes::update_stage(db, &ctx, open.id, &StageUpdate { win_rate_pct: 100, ..u.clone() }).await, "win_rate_pct");
    is_validation(pipes::update_stage(db, &ctx, won.id, &StageUpdate { win_rate_pct: 90, ..update_of(&won) }).await, "win_rate_pct");
    is_validation(pipes::update_stage(db, &ctx, lost.id, &StageUpdate { win_rate_pct: 5, ..update_of(&lost) }).await, "win_rate_pct");
    is_validation(pipes::update_stage(db, &ctx, open.id, &StageUpdate { stuck_days: 366, ..u.clone() }).await, "stuck_days");
    is_validation(pipes::update_stage(db, &ctx, open.id, &StageUpdate { stuck_days: -1, ..u.clone() }).await, "stuck_days");
    is_validation(pipes::update_stage(db, &ctx, open.id, &StageUpdate { name_zh: "".into(), ..u.clone() }).await, "name_zh");
    is_validation(pipes::update_stage(db, &ctx, open.id, &StageUpdate { playbook_en: "x".repeat(2001), ..u.clone() }).await, "playbook_en");
    assert_eq!(solution(db).await.stages[0], open, "nothing was written");

    // The limits themselves are allowed; 2,000 Chinese characters count as 2,000.
    let edge = StageUpdate {
        name_en: " Lead ".into(),
        win_rate_pct: 99,
        stuck_days: 365,
        playbook_zh: "字".repeat(2000),
        playbook_en: "Call within a day.".into(),
        ..u.clone()
    };
    let saved = pipes::update_stage(db, &ctx, open.id, &edge).await.unwrap();
    assert_eq!((saved.name_en.as_str(), saved.win_rate_pct, saved.stuck_days, saved.version), ("Lead", 99, 365, open.version + 1));
    assert_eq!(saved.playbook_zh.chars().count(), 2000);
    let won_saved = pipes::update_stage(db, &ctx, won.id, &StageUpdate { stuck_days: 0, ..update_of(&won) }).await.unwrap();
    assert_eq!(won_saved.win_rate_pct, 100);
    // Saving again with the version read before the first save: someone else's change wins.
    assert_eq!(pipes::update_stage(db, &ctx, open.id, &u).await, Err(AppError::Conflict));
    assert_eq!(pipes::set_requirements(db, &ctx, open.id, &[], open.version).await, Err(AppError::Conflict));
    assert_eq!(pipes::update_stage(db, &ctx, uuid::Uuid::new_v4(), &u).await, Err(AppError::NotFound));
}

#[tokio::test]
async fn a_forbidding_policy_stops_the_move_and_reset_restores_the_default() {
    let t = seeded().await;
    let db = &t.db;
    let ctx = admin(db).await;
    let ed = solution(db).await;
    let (first, second) = (ed.stages[0].clone(), ed.stages[1].clone());
    // The move needs nothing the deal lacks, so only the policy can refuse it.
    let cleared = pipes::set_requirements(db, &ctx, second.id, &[], second.version).await.unwrap();
    assert!(cleared.requirements.is_empty());
    let after = pipes::set_policy(db, &ctx, ed.pipeline.id, first.id, second.id, Some(Policy::Forbid), ed.version).await.unwrap();
    let cell = after.policies.iter().find(|c| c.from == first.id && c.to == second.id).unwrap();
    assert_eq!((cell.policy, cell.default, cell.overridden), (Policy::Forbid, Policy::Allow, true));
    let d = deal_in(db, &first).await;
    assert_eq!(move_to(db, &ctx, &d, &second, None).await, MoveOutcome::Forbidden { reason: "policy".into() });

    let reset = pipes::set_policy(db, &ctx, ed.pipeline.id, first.id, second.id, None, after.version).await.unwrap();
    let cell = reset.policies.iter().find(|c| c.from == first.id && c.to == second.id).unwrap();
    assert_eq!((cell.policy, cell.overridden), (Policy::Allow, false));
    let d = deal::Entity::find_by_id(d.id).one(db).await.unwrap().unwrap();
    assert!(matches!(move_to(db, &ctx, &d, &second, None).await, MoveOutcome::Moved { .. }));

    assert_eq!(
        pipes::set_policy(db, &ctx, ed.pipeline.id, first.id, second.id, Some(Policy::Approval), after.version).await,
        Err(AppError::Conflict)
    );
    is_validation(pipes::set_policy(db, &ctx, ed.pipeline.id, first.id, first.id, Some(Policy::Allow), reset.version).await, "to");
    // A stage of another pipeline is not part of this table.
    let other = pipes::editor(db, &ctx, Some(ed.pipelines[1].id)).await.unwrap();
    assert_eq!(
        pipes::set_policy(db, &ctx, ed.pipeline.id, first.id, other.stages[0].id, Some(Policy::Allow), reset.version).await,
        Err(AppError::NotFound)
    );
}

#[tokio::test]
async fn a_new_requirement_blocks_the_move_with_its_code() {
    let t = seeded().await;
    let db = &t.db;
    let ctx = admin(db).await;
    let ed = solution(db).await;
    let (first, second, lost) = (ed.stages[0].clone(), ed.stages[1].clone(), ed.stages[6].clone());
    let codes = vec!["contact_role.coach".to_owned(), "checklist.demo".to_owned(), "contact_role.coach".to_owned()];
    let saved = pipes::set_requirements(db, &ctx, second.id, &codes, second.version).await.unwrap();
    assert_eq!(saved.requirements, vec!["contact_role.coach", "checklist.demo"], "deduplicated, in picker order");
    assert_eq!(saved.version, second.version + 1);
    let d = deal_in(db, &first).await;
    match move_to(db, &ctx, &d, &second, None).await {
        MoveOutcome::Blocked { missing } => {
            let mut got: Vec<&str> = missing.iter().map(|m| m.code.as_str()).collect();
            got.sort_unstable();
            assert_eq!(got, vec!["checklist.demo", "contact_role.coach"], "only the new set, the template's are gone");
        }
        other => panic!("{other:?}"),
    }
    is_validation(pipes::set_requirements(db, &ctx, second.id, &["contact_role.boss".into()], saved.version).await, "requirements");
    is_validation(pipes::set_requirements(db, &ctx, lost.id, &["key_info.budget".into()], lost.version).await, "requirements");
    assert_eq!(solution(db).await.stages[1].requirements, saved.requirements);
}

#[tokio::test]
async fn only_admins_edit_pipelines() {
    let t = seeded().await;
    let db = &t.db;
    let ed = solution(db).await;
    let s = ed.stages[1].clone();
    for email in ["rep@demo.local", "manager@demo.local", "exec@demo.local", "presales@demo.local"] {
        let ctx = ctx_for(db, email).await;
        assert_eq!(pipes::editor(db, &ctx, None).await.unwrap_err(), AppError::Forbidden, "{email}");
        assert_eq!(pipes::rename_pipeline(db, &ctx, ed.pipeline.id, "A", "B", ed.version).await, Err(AppError::Forbidden));
        assert_eq!(pipes::update_stage(db, &ctx, s.id, &update_of(&s)).await, Err(AppError::Forbidden));
        let order: Vec<uuid::Uuid> = ed.stages.iter().filter(|s| s.kind == "open").map(|s| s.id).collect();
        assert_eq!(pipes::reorder_stages(db, &ctx, ed.pipeline.id, &order, ed.version).await.unwrap_err(), AppError::Forbidden);
        assert_eq!(
            pipes::set_policy(db, &ctx, ed.pipeline.id, s.id, ed.stages[0].id, None, ed.version).await.unwrap_err(),
            AppError::Forbidden
        );
        assert_eq!(pipes::set_requirements(db, &ctx, s.id, &[], s.version).await, Err(AppError::Forbidden));
    }
    assert_eq!(solution(db).await, ed, "nothing changed");
}

#[tokio::test]
async fn every_change_tells_all_open_boards() {
    let t = seeded().await;
    let db = &t.db;
    if db.get_database_backend() != sea_orm::DbBackend::Sqlite {
        // On PostgreSQL the event travels through NOTIFY, which these tests do not listen to.
        return;
    }
    let mut rx = app::ssr::events::subscribe(db);
    let ed = solution(db).await;
    let s = ed.stages[2].clone();
    pipes::update_stage(db, &admin(db).await, s.id, &StageUpdate { stuck_days: 10, ..update_of(&s) }).await.unwrap();
    let mut seen = false;
    while let Ok(e) = rx.try_recv() {
        if e.kind == "pipeline_changed" {
            assert_eq!(e.team_id, app::ssr::events::EVERYONE);
            seen = true;
        }
    }
    assert!(seen);
}

/// The event channel belongs to the opened database (the process's `AppState`), not to a
/// static: a second handle in the same process hears nothing of the first one's changes.
#[tokio::test]
async fn events_belong_to_the_database_handle_that_published_them() {
    let t = seeded().await;
    let db = &t.db;
    if db.get_database_backend() != sea_orm::DbBackend::Sqlite {
        // On PostgreSQL the event travels through NOTIFY, which these tests do not listen to.
        return;
    }
    let other = app::ssr::db::connect(&t.url).await.unwrap();
    let (mut mine, mut theirs) = (app::ssr::events::subscribe(db), app::ssr::events::subscribe(&other));
    let ed = solution(db).await;
    let s = ed.stages[2].clone();
    pipes::update_stage(db, &admin(db).await, s.id, &StageUpdate { stuck_days: 11, ..update_of(&s) }).await.unwrap();
    assert_eq!(mine.try_recv().map(|e| e.kind).ok().as_deref(), Some("pipeline_changed"));
    assert!(theirs.try_recv().is_err(), "a second handle shares no channel");
}
