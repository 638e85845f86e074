#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The gate through the service: every outcome, conflicts, visibility, approvals, and
//! concurrent movers. Runs on SQLite and (with TEST_DATABASE_URL) PostgreSQL.
use crate::common;

use crate::common::{ctx_for, seeded};
use app::domain::dto::MoveOutcome;
use app::domain::error::AppError;
use app::domain::history::HistoryKind;
use app::domain::keyinfo::KeyInfo;
use app::ssr::context::RequestContext;
use app::ssr::db::Db;
use app::ssr::entity::{approval, deal, deal_history, notification, pipeline, stage};
use app::ssr::service::{approval as approvals, keyinfo, movement};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

async fn stages_of(db: &Db, code: &str) -> Vec<stage::Model> {
    let p = pipeline::Entity::find().filter(pipeline::Column::Code.eq(code)).one(db).await.unwrap().unwrap();
    stage::Entity::find().filter(stage::Column::PipelineId.eq(p.id)).order_by_asc(stage::Column::Position).all(db).await.unwrap()
}

/// A deal `ctx` owns in the given stage, with its key information cleared.
async fn fresh_deal(db: &Db, ctx: &RequestContext, stage: &stage::Model) -> deal::Model {
    let d = deal::Entity::find()
        .filter(deal::Column::StageId.eq(stage.id))
        .filter(deal::Column::OwnerId.eq(ctx.user_id))
        .order_by_asc(deal::Column::Id)
        .one(db)
        .await
        .unwrap()
        .expect("the demo has a deal of this user in this stage");
    let (_, v) = keyinfo::get(db, ctx, d.uuid).await.unwrap();
    keyinfo::update(db, ctx, d.uuid, KeyInfo::default(), v).await.unwrap();
    d
}

async fn reload(db: &Db, d: &deal::Model) -> deal::Model {
    deal::Entity::find_by_id(d.id).one(db).await.unwrap().unwrap()
}

fn cmd(d: &deal::Model, to: &stage::Model) -> movement::MoveCommand {
    movement::MoveCommand { deal: d.uuid, to_stage: to.uuid, version: d.version, reason: None, lost_reason: None }
}

#[tokio::test]
async fn every_outcome_through_the_service() {
    let t = seeded().await;
    let db = &t.db;
    let rep = ctx_for(db, "rep@demo.local").await;
    let s = stages_of(db, "solution").await;
    let d = fresh_deal(db, &rep, &s[0]).await;

    // Blocked: intent confirmed needs a motivation and the competitors.
    match movement::move_deal(db, &rep, cmd(&d, &s[1])).await.unwrap() {
        MoveOutcome::Blocked { missing } => {
            let mut codes: Vec<&str> = missing.iter().map(|m| m.code.as_str()).collect();
            codes.sort_unstable();
            assert_eq!(codes, ["key_info.competitors", "key_info.motivation"])
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(reload(db, &d).await.stage_id, s[0].id, "a blocked move changes nothing");

    // Fill them in and retry: moved.
    let (mut k, v) = keyinfo::get(db, &rep, d.uuid).await.unwrap();
    k.motivation = Some("旧系统无法支撑".into());
    k.competitors = Some("金蝶".into());
    keyinfo::update(db, &rep, d.uuid, k.clone(), v).await.unwrap();
    // A stale key-info version is a conflict, not an overwrite.
    assert_eq!(keyinfo::update(db, &rep, d.uuid, KeyInfo::default(), v).await.unwrap_err(), AppError::Conflict);
    let moved = match movement::move_deal(db, &rep, cmd(&d, &s[1])).await.unwrap() {
        MoveOutcome::Moved { card } => card,
        other => panic!("{other:?}"),
    };
    assert_eq!(moved.stage_id, s[1].uuid);
    assert_eq!(moved.version, d.version + 1);

    // The old version is stale now: the answer says what the deal is at and what changed.
    match movement::move_deal(db, &rep, cmd(&d, &s[0])).await.unwrap_err() {
        AppError::DealChanged { version, last, by, at } => {
            assert_eq!((version, last, by), (d.version + 1, Some(HistoryKind::Moved), Some(rep.name.clone())));
            assert!(at.is_some());
        }
        other => panic!("{other:?}"),
    }

    // Backward needs a reason.
    let d2 = reload(db, &d).await;
    assert!(
        matches!(movement::move_deal(db, &rep, cmd(&d2, &s[0])).await.unwrap(), MoveOutcome::Blocked { missing } if missing[0].code == "reason")
    );

    // Into "Project initiated" needs the manager's approval (once its facts are there).
    let (mut k, v) = keyinfo::get(db, &rep, d.uuid).await.unwrap();
    k.budgeted = Some(true);
    k.budget_fen = Some(50_000_000);
    k.decision_makers = Some("总经理".into());
    k.vendor_pick = "2027-03-01".parse().ok();
    keyinfo::update(db, &rep, d.uuid, k, v).await.unwrap();
    common::add_decision_maker(db, &rep, d.uuid).await;
    let approval_id = match movement::move_deal(db, &rep, cmd(&d2, &s[2])).await.unwrap() {
        MoveOutcome::PendingApproval { approval_id, approver } => {
            assert_eq!(approver.as_deref(), Some("李伟"), "routed to the East manager");
            approval_id
        }
        other => panic!("{other:?}"),
    };
    // Asking again returns the same pending request.
    match movement::move_deal(db, &rep, cmd(&d2, &s[2])).await.unwrap() {
        MoveOutcome::PendingApproval { approval_id: again, .. } => assert_eq!(again, approval_id),
        other => panic!("{other:?}"),
    }
    assert_eq!(reload(db, &d).await.stage_id, s[1].id);

    // Forbidden: an executive never moves deals.
    let exec = ctx_for(db, "exec@demo.local").await;
    assert!(
        matches!(movement::move_deal(db, &exec, cmd(&d2, &s[3])).await.unwrap(), MoveOutcome::Forbidden { reason } if reason == "read_only_role")
    );

    // Lost needs a lost reason.
    assert!(
        matches!(movement::move_deal(db, &rep, cmd(&d2, &s[6])).await.unwrap(), MoveOutcome::Blocked { missing } if missing[0].code == "lost_reason")
    );

    // Every attempt is in the history.
    let kinds: Vec<String> = deal_history::Entity::find()
        .filter(deal_history::Column::DealId.eq(d.id))
        .order_by_asc(deal_history::Column::Id)
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|h| h.kind)
        .skip_while(|k| k != "blocked")
        .collect();
    // The key-information saves between the attempts are there too (the form's save once
    // bypassed the history).
    assert_eq!(
        kinds,
        ["blocked", "key_info_changed", "moved", "blocked", "key_info_changed", "approval_requested", "forbidden", "blocked"]
    );
}

#[tokio::test]
async fn the_erp_rule_forbids_a_quote_before_the_exchange() {
    let t = seeded().await;
    let db = &t.db;
    let rep = ctx_for(db, "rep@demo.local").await;
    let s = stages_of(db, "erp").await;
    let d = deal::Entity::find()
        .filter(deal::Column::PipelineId.eq(s[0].pipeline_id))
        .filter(deal::Column::StageId.is_in([s[0].id, s[1].id]))
        .one(db)
        .await
        .unwrap();
    let Some(d) = d else { return };
    let admin = ctx_for(db, "admin@demo.local").await;
    assert!(
        matches!(movement::move_deal(db, &admin, cmd(&d, &s[4])).await.unwrap(), MoveOutcome::Forbidden { reason } if reason == "policy")
    );
    let _ = rep;
}

#[tokio::test]
async fn approval_flow_end_to_end() {
    let t = seeded().await;
    let db = &t.db;
    let rep = ctx_for(db, "rep@demo.local").await;
    let manager = ctx_for(db, "manager@demo.local").await;
    let manager2 = ctx_for(db, "manager2@demo.local").await;
    let s = stages_of(db, "solution").await;
    let d = fresh_deal(db, &rep, &s[0]).await;
    // Skipping from 1 to 2 is a step; 1 → 3 skips and needs approval once facts are complete.
    let (mut k, v) = keyinfo::get(db, &rep, d.uuid).await.unwrap();
    k.motivation = Some("m".into());
    k.competitors = Some("c".into());
    k.budgeted = Some(false);
    k.affordable_fen = Some(10_000_000);
    k.decision_makers = Some("GM".into());
    k.vendor_pick = "2027-01-15".parse().ok();
    keyinfo::update(db, &rep, d.uuid, k, v).await.unwrap();
    common::add_decision_maker(db, &rep, d.uuid).await;
    let id = match movement::move_deal(db, &rep, cmd(&d, &s[2])).await.unwrap() {
        MoveOutcome::PendingApproval { approval_id, .. } => approval_id,
        other => panic!("{other:?}"),
    };
    assert_eq!(approvals::pending_count(db, &manager).await.unwrap(), 1);
    // The other team's manager cannot see or decide it; the requester cannot decide it.
    assert_eq!(approvals::decide(db, &manager2, id, true, None).await.unwrap_err(), AppError::NotFound);
    assert_eq!(approvals::decide(db, &rep, id, true, None).await.unwrap_err(), AppError::Forbidden);
    let row = approvals::decide(db, &manager, id, true, Some("立项通过".into())).await.unwrap();
    assert_eq!((row.status.as_str(), row.result.as_deref()), ("approved", Some("moved")));
    assert_eq!(reload(db, &d).await.stage_id, s[2].id);
    assert_eq!(approvals::decide(db, &manager, id, true, None).await.unwrap_err(), AppError::Conflict, "decided once");
    let h = deal_history::Entity::find()
        .filter(deal_history::Column::DealId.eq(d.id))
        .filter(deal_history::Column::Kind.eq("moved"))
        .all(db)
        .await
        .unwrap();
    let a = approval::Entity::find().filter(approval::Column::Uuid.eq(id)).one(db).await.unwrap().unwrap();
    assert_eq!(h.last().unwrap().approval_id, Some(a.id), "the move records the approval that allowed it");
    // The requester sees the outcome.
    let mine = approvals::list(db, &rep, None).await.unwrap();
    assert!(mine.iter().any(|r| r.id == id && r.status == "approved"));

    // A rejection leaves the deal where it is.
    let d = reload(db, &d).await;
    let (mut k, v) = keyinfo::get(db, &rep, d.uuid).await.unwrap();
    k.functional_scope = Some("f".into());
    k.evaluation_items = Some("e".into());
    k.signing = "2027-02-01".parse().ok();
    k.leader = Some("我方".into());
    keyinfo::update(db, &rep, d.uuid, k, v).await.unwrap();
    common::complete_demo_checklist(db, &rep, d.uuid).await;
    common::approved_quote(db, &rep, d.uuid).await;
    let id = match movement::move_deal(db, &rep, cmd(&d, &s[4])).await.unwrap() {
        MoveOutcome::PendingApproval { approval_id, .. } => approval_id,
        other => panic!("{other:?}"),
    };
    // Without its reason a rejection is refused, naming the field, and nothing is decided.
    for empty in [None, Some("   ".to_owned())] {
        match approvals::decide(db, &manager, id, false, empty).await.unwrap_err() {
            AppError::Validation { field, .. } => assert_eq!(field, "comment"),
            other => panic!("{other:?}"),
        }
    }
    assert!(approvals::list(db, &rep, None).await.unwrap().iter().any(|r| r.id == id && r.status == "pending"));
    let row = approvals::decide(db, &manager, id, false, Some("先完成演示".into())).await.unwrap();
    assert_eq!(row.status, "rejected");
    assert_eq!(reload(db, &d).await.stage_id, s[2].id);
    // The requester hears of it on their bell, with the reason.
    let told = notification::Entity::find()
        .filter(notification::Column::UserId.eq(rep.user_id))
        .filter(notification::Column::Kind.eq("approval_rejected"))
        .all(db)
        .await
        .unwrap();
    assert!(told.iter().any(|n| n.text.contains("先完成演示")), "{told:?}");
}

#[tokio::test]
async fn a_rep_cannot_see_or_move_another_teams_deal() {
    let t = seeded().await;
    let db = &t.db;
    let rep = ctx_for(db, "rep@demo.local").await;
    let rep2 = ctx_for(db, "rep2@demo.local").await;
    let s = stages_of(db, "solution").await;
    let d = fresh_deal(db, &rep, &s[0]).await;
    assert_eq!(movement::move_deal(db, &rep2, cmd(&d, &s[1])).await.unwrap_err(), AppError::NotFound);
    assert_eq!(keyinfo::get(db, &rep2, d.uuid).await.unwrap_err(), AppError::NotFound);
    assert_eq!(keyinfo::update(db, &rep2, d.uuid, KeyInfo::default(), 1).await.unwrap_err(), AppError::NotFound);
}

#[tokio::test]
async fn concurrent_movers_lose_no_update() {
    let t = seeded().await;
    let db = t.db.clone();
    let admin = ctx_for(&db, "admin@demo.local").await;
    let s = stages_of(&db, "solution").await;
    let open: Vec<i32> = s.iter().filter(|x| x.kind == "open").map(|x| x.id).collect();
    let deals: Vec<deal::Model> = deal::Entity::find()
        .filter(deal::Column::StageId.is_in(open.clone()))
        .order_by_asc(deal::Column::Id)
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .take(10)
        .collect();
    assert_eq!(deals.len(), 10);
    // Start every deal in "Customer approval"; movers then go back and forth to "Negotiation".
    deal::Entity::update_many()
        .col_expr(deal::Column::StageId, sea_orm::sea_query::Expr::value(s[3].id))
        .filter(deal::Column::Id.is_in(deals.iter().map(|d| d.id)))
        .exec(&db)
        .await
        .unwrap();
    // That direct write bypassed the service: bring the running totals back in line.
    app::ssr::service::totals::rebuild(&db).await.unwrap();
    let deals: Vec<deal::Model> = deal::Entity::find().filter(deal::Column::Id.is_in(deals.iter().map(|d| d.id))).all(&db).await.unwrap();
    // Complete key information so every forward step is allowed.
    for d in &deals {
        let (_, v) = keyinfo::get(&db, &admin, d.uuid).await.unwrap();
        let mut k = KeyInfo {
            vendor_pick: "2027-01-01".parse().ok(),
            signing: "2027-02-01".parse().ok(),
            budgeted: Some(true),
            budget_fen: Some(1),
            ..Default::default()
        };
        for f in [
            &mut k.motivation,
            &mut k.problems,
            &mut k.functional_scope,
            &mut k.decision_makers,
            &mut k.decision_process,
            &mut k.competitors,
            &mut k.leader,
            &mut k.evaluation_items,
        ] {
            *f = Some("x".into());
        }
        keyinfo::update(&db, &admin, d.uuid, k, v).await.unwrap();
        // "Negotiation" needs an approved quote.
        let owner = RequestContext::load(&db, d.owner_id).await.unwrap().unwrap();
        common::approved_quote(&db, &owner, d.uuid).await;
    }
    let stage_uuid: std::collections::HashMap<i32, uuid::Uuid> = s.iter().map(|x| (x.id, x.uuid)).collect();
    let positions: std::collections::HashMap<i32, usize> = s.iter().enumerate().map(|(i, x)| (x.id, i)).collect();
    let mut tasks = Vec::new();
    for w in 0..32usize {
        let db = db.clone();
        let admin = admin.clone();
        let deals = deals.clone();
        let s = s.clone();
        let stage_uuid = stage_uuid.clone();
        let positions = positions.clone();
        tasks.push(tokio::spawn(async move {
            let mut moved = 0u32;
            for round in 0..6usize {
                let d = &deals[(w + round) % deals.len()];
                let cur = deal::Entity::find_by_id(d.id).one(&db).await.unwrap().unwrap();
                let pos = positions[&cur.stage_id];
                // Step forward, or back to the first stage with a reason at the end of the line.
                let (to, reason) = if pos == 3 { (s[4].id, None) } else { (s[3].id, Some("back to approval".to_owned())) };
                let c =
                    movement::MoveCommand { deal: cur.uuid, to_stage: stage_uuid[&to], version: cur.version, reason, lost_reason: None };
                match movement::move_deal(&db, &admin, c).await {
                    Ok(MoveOutcome::Moved { .. }) => moved += 1,
                    Ok(other) => panic!("unexpected {other:?}"),
                    Err(AppError::DealChanged { .. }) => {}
                    Err(e) => panic!("{e:?}"),
                }
            }
            moved
        }));
    }
    let mut total = 0;
    for t in tasks {
        total += t.await.unwrap();
    }
    assert!(total > 0);
    // Each success is exactly one version bump and one history row; history ends where the deal is.
    let mut moves_seen = 0u32;
    for d in &deals {
        let now = deal::Entity::find_by_id(d.id).one(&db).await.unwrap().unwrap();
        let hist = deal_history::Entity::find()
            .filter(deal_history::Column::DealId.eq(d.id))
            .filter(deal_history::Column::Kind.eq("moved"))
            .filter(deal_history::Column::Id.gt(0))
            .order_by_asc(deal_history::Column::Id)
            .all(&db)
            .await
            .unwrap();
        let since: Vec<_> = hist.iter().filter(|h| h.at > d.updated_at && h.actor_id == Some(admin.user_id)).collect();
        assert_eq!(now.version - d.version, since.len() as i32, "deal {}", d.id);
        if let Some(last) = since.last() {
            assert_eq!(last.to_stage_id, Some(now.stage_id));
        }
        // The chain is unbroken: each move starts where the previous one ended.
        for w in since.windows(2) {
            assert_eq!(w[0].to_stage_id, w[1].from_stage_id);
        }
        moves_seen += since.len() as u32;
    }
    assert_eq!(moves_seen, total);
    // Concurrent writers kept the running totals exact.
    let all = app::domain::role::Visibility { all: true, team_ids: vec![], member_user_id: None };
    let use_totals = app::ssr::service::totals::stage_sums(&db, s[0].pipeline_id, &all, Default::default()).await.unwrap();
    let mut use_totals: Vec<_> = use_totals.into_iter().filter(|(_, v)| v.0 != 0).collect();
    use_totals.sort();
    let mut raw: Vec<_> = app::ssr::service::totals::raw_visible_sums(&db, s[0].pipeline_id, &all).await.unwrap().into_iter().collect();
    raw.sort();
    assert_eq!(use_totals, raw);
}

#[tokio::test]
async fn amount_and_close_date_changes_are_versioned_and_recorded() {
    use app::ssr::service::deal as deals;
    let t = seeded().await;
    let db = &t.db;
    let rep = ctx_for(db, "rep@demo.local").await;
    let s = stages_of(db, "solution").await;
    let d = fresh_deal(db, &rep, &s[0]).await;
    let f = deals::facts(db, &rep, d.uuid).await.unwrap();
    let new_date = f.close_date + chrono::Duration::days(30);
    let v = deals::update_facts(db, &rep, d.uuid, f.amount_fen + 1_000_000, new_date, f.version).await.unwrap();
    assert_eq!(v, f.version + 1);
    // The old version is stale now.
    assert!(matches!(
        deals::update_facts(db, &rep, d.uuid, 1, new_date, f.version).await.unwrap_err(),
        AppError::DealChanged { version, last: Some(HistoryKind::CloseDateChanged | HistoryKind::AmountChanged), .. } if version == v
    ));
    assert!(matches!(deals::update_facts(db, &rep, d.uuid, -1, new_date, v).await.unwrap_err(), AppError::Validation { .. }));
    let h = deals::history(db, &rep, d.uuid).await.unwrap();
    let amount = h.iter().find(|r| r.kind == "amount_changed").unwrap();
    assert_eq!((amount.old_amount_fen, amount.new_amount_fen), (Some(f.amount_fen), Some(f.amount_fen + 1_000_000)));
    let close = h.iter().find(|r| r.kind == "close_date_changed" && r.new_close_date == Some(new_date)).unwrap();
    assert_eq!(close.old_close_date, Some(f.close_date));
    // Another team sees nothing of it.
    let rep2 = ctx_for(db, "rep2@demo.local").await;
    assert_eq!(deals::history(db, &rep2, d.uuid).await.unwrap_err(), AppError::NotFound);
}
