#![allow(clippy::unwrap_used, clippy::expect_used)]
//! What a leaver or a mover leaves behind: the approvals waiting on someone deactivated go to a
//! delegate in the same transaction (or nothing happens), a user moved to another team takes
//! their open deals along through the one deal write (figures equal their per-deal
//! reference; closed deals stay), and one's own password changes with the page's service.
//! SQLite and (with TEST_DATABASE_URL) PostgreSQL.

use crate::common::{ctx_for, seeded};
use app::domain::admin::{AuditAction, TeamEdit, UserEdit, REASSIGN_MAX};
use app::domain::error::AppError;
use app::ssr::context::RequestContext;
use app::ssr::db::Db;
use app::ssr::entity::{admin_audit, approval, deal, deal_history, deal_member, notification, stage, team, user};
use app::ssr::service::{admin, approval as approvals, forecast, quote, user as own};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

async fn admin_ctx(db: &Db) -> RequestContext {
    ctx_for(db, "admin@demo.local").await
}

async fn user_by_email(db: &Db, email: &str) -> user::Model {
    user::Entity::find().filter(user::Column::Email.eq(email)).one(db).await.unwrap().unwrap()
}

async fn audit_count(db: &Db) -> u64 {
    admin_audit::Entity::find().count(db).await.unwrap()
}

async fn last_audit(db: &Db) -> (admin_audit::Model, serde_json::Value) {
    let r = admin_audit::Entity::find().order_by_desc(admin_audit::Column::Id).one(db).await.unwrap().unwrap();
    let after = serde_json::from_str(r.after.as_deref().unwrap()).unwrap();
    (r, after)
}

fn refused<T: std::fmt::Debug>(r: Result<T, AppError>, field: &str) -> String {
    match r {
        Err(AppError::Validation { field: f, message }) if f == field => message,
        other => panic!("expected a 422 naming {field}, got {other:?}"),
    }
}

async fn pending_of(db: &Db, approver: i32) -> Vec<approval::Model> {
    approval::Entity::find()
        .filter(approval::Column::ApproverId.eq(approver))
        .filter(approval::Column::Status.eq("pending"))
        .order_by_asc(approval::Column::Id)
        .all(db)
        .await
        .unwrap()
}

async fn open_stage_ids(db: &Db) -> Vec<i32> {
    stage::Entity::find().filter(stage::Column::Kind.eq("open")).all(db).await.unwrap().iter().map(|s| s.id).collect()
}

/// Submits a one-line quote on each of the owner's first `n` open deals: requests routed to
/// the owner's team manager.
async fn submit_quotes(db: &Db, owner: &RequestContext, n: usize) {
    use app::domain::quote::dto::{QuoteDraft, QuoteLineInput};
    let open = open_stage_ids(db).await;
    let deals = deal::Entity::find()
        .filter(deal::Column::OwnerId.eq(owner.user_id))
        .filter(deal::Column::StageId.is_in(open))
        .order_by_asc(deal::Column::Id)
        .all(db)
        .await
        .unwrap();
    assert!(deals.len() >= n, "{} has {} open deals", owner.email, deals.len());
    for d in deals.iter().take(n) {
        let line = QuoteLineInput {
            description: Some("Licences and services".into()),
            unit: Some("lot".into()),
            qty_centi: 100,
            unit_price_fen: Some(10_000_000),
            ..Default::default()
        };
        let q = quote::create(db, owner, d.uuid, QuoteDraft { lines: vec![line], ..Default::default() }).await.unwrap();
        quote::submit(db, owner, q.id, q.version).await.unwrap();
    }
}

#[tokio::test]
async fn a_leaver_s_waiting_approvals_go_to_a_delegate_in_the_same_transaction_or_nothing_happens() {
    let t = seeded().await;
    let db = &t.db;
    let ctx = admin_ctx(db).await;
    let (manager, manager2) = (user_by_email(db, "manager@demo.local").await, user_by_email(db, "manager2@demo.local").await);
    // Two quotes of East's rep wait on East's manager.
    submit_quotes(db, &ctx_for(db, "rep@demo.local").await, 2).await;
    let waiting = pending_of(db, manager.id).await;
    assert!(waiting.len() >= 2, "{} waiting", waiting.len());
    let n = waiting.len();
    let dir = admin::directory(db, &ctx).await.unwrap();
    let row = |d: &app::domain::admin::AdminDirectory, id: uuid::Uuid| d.users.iter().find(|u| u.id == id).unwrap().clone();
    assert_eq!(row(&dir, manager.uuid).pending_approvals, n as u64, "the admin list shows what waits");
    let m2_before = pending_of(db, manager2.id).await.len();

    // East gets manager2 as its manager, so manager@ may leave.
    let east = dir.teams.iter().find(|t| t.name == "East").unwrap().clone();
    admin::update_team(db, &ctx, east.id, TeamEdit { name: east.name.clone(), manager: Some(manager2.uuid), version: east.version })
        .await
        .unwrap();
    // A manager of a team that is not East, for the "cannot see" refusal.
    let north = admin::create_team(db, &ctx, TeamEdit { name: "North".into(), manager: None, version: 0 }).await.unwrap();
    let outsider = admin::create_user(
        db,
        &ctx,
        app::domain::admin::NewUser {
            name: "North Manager".into(),
            email: "north.manager@example.com".into(),
            role: app::domain::role::Role::Manager,
            team: Some(north.id),
            locale: None,
            password: "north-pass-1".into(),
        },
    )
    .await
    .unwrap();
    let (audits, notes) = (audit_count(db).await, notification::Entity::find().count(db).await.unwrap());

    // Refusals, each writing nothing: no delegate (the message says how many wait), someone
    // of a role routing never sends these to, someone who cannot see East's deals, an unknown
    // user, the leaver themselves.
    let m = refused(admin::set_active(db, &ctx, manager.uuid, false, None).await, "delegate");
    assert!(m.contains(&n.to_string()), "{m}");
    for (who, what) in [
        (user_by_email(db, "legal@demo.local").await.uuid, "role"),
        (user_by_email(db, "rep3@demo.local").await.uuid, "role"),
        (outsider.id, "cannot see"),
        (uuid::Uuid::new_v4(), "no such user"),
        (manager.uuid, "someone who stays"),
    ] {
        let m = refused(admin::set_active(db, &ctx, manager.uuid, false, Some(who)).await, "delegate");
        assert!(m.contains(what), "{what}: {m}");
    }
    assert!(RequestContext::load(db, manager.id).await.unwrap().is_some(), "still active");
    assert_eq!(pending_of(db, manager.id).await, waiting, "the approvals did not move");
    assert_eq!((audit_count(db).await, notification::Entity::find().count(db).await.unwrap()), (audits, notes));

    let mut rx = app::ssr::events::subscribe(db);
    let out = admin::set_active(db, &ctx, manager.uuid, false, Some(manager2.uuid)).await.unwrap();
    assert!(!out.active);
    assert_eq!(out.pending_approvals, 0);
    assert!(pending_of(db, manager.id).await.is_empty());
    let now_m2 = pending_of(db, manager2.id).await;
    assert_eq!(now_m2.len(), m2_before + n);
    for a in &waiting {
        let moved = now_m2.iter().find(|x| x.id == a.id).expect("moved to manager2");
        assert_eq!((moved.status.as_str(), moved.version, moved.requested_by), ("pending", a.version + 1, a.requested_by));
    }
    // The delegate hears of each on their bell, like a new request.
    let bell = notification::Entity::find()
        .filter(notification::Column::UserId.eq(manager2.id))
        .filter(notification::Column::Kind.eq("approval_delegated"))
        .all(db)
        .await
        .unwrap();
    assert_eq!(bell.len(), n);
    assert!(bell.iter().all(|b| b.read_at.is_none() && b.text.starts_with(&manager.name)), "{bell:?}");
    let m2 = ctx_for(db, "manager2@demo.local").await;
    assert_eq!(app::ssr::service::comment::unread_count(db, &m2).await.unwrap(), n as u64);
    assert_eq!(approvals::pending_count(db, &m2).await.unwrap(), (m2_before + n) as u64);
    // The audit row says how many and to whom.
    let (r, after) = last_audit(db).await;
    assert_eq!((r.action.as_str(), r.subject_id), (AuditAction::UserDeactivated.as_str(), Some(manager.uuid)));
    assert_eq!(after["approvals_delegated"].as_u64(), Some(n as u64));
    assert!(after["delegate"].as_str().unwrap().contains("manager2@demo.local"), "{after}");
    assert_eq!(audit_count(db).await, audits + 1);
    if db.get_database_backend() == sea_orm::DbBackend::Sqlite {
        // (PostgreSQL carries events through NOTIFY, which these tests do not listen to.)
        let mut kinds = Vec::new();
        while let Ok(e) = rx.try_recv() {
            kinds.push(e.kind);
        }
        assert!(kinds.iter().any(|k| k == "approval_requested"), "{kinds:?}");
    }
    // And the delegate may decide them: a quote request is theirs now.
    let first = now_m2.iter().find(|a| a.id == waiting[0].id).unwrap();
    let row = approvals::decide(db, &m2, first.uuid, true, None).await.unwrap();
    assert_eq!(row.status, "approved");

    // Reactivated and deactivated again: nothing waits, so no delegate is needed (and one
    // named is not used).
    admin::set_active(db, &ctx, manager.uuid, true, None).await.unwrap();
    let gm = user_by_email(db, "gm@demo.local").await;
    admin::set_active(db, &ctx, manager.uuid, false, Some(gm.uuid)).await.unwrap();
    let (_, after) = last_audit(db).await;
    assert!(after.get("approvals_delegated").is_none(), "{after}");
}

/// Open deals per team id, as the deals table says.
async fn open_deals_of(db: &Db, owner: i32) -> Vec<deal::Model> {
    let open = open_stage_ids(db).await;
    deal::Entity::find()
        .filter(deal::Column::OwnerId.eq(owner))
        .filter(deal::Column::StageId.is_in(open))
        .order_by_asc(deal::Column::Id)
        .all(db)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_user_moved_to_another_team_takes_their_open_deals_along_and_every_figure_stays_right() {
    let t = seeded().await;
    let db = &t.db;
    let ctx = admin_ctx(db).await;
    let viewers = ["exec@demo.local", "manager@demo.local", "manager2@demo.local", "rep@demo.local", "rep4@demo.local"];
    // Cached trend points exist before (the move must not leave them stale).
    crate::admin_users::trend_agrees(db, &viewers).await;
    let rep = user_by_email(db, "rep@demo.local").await;
    let all: Vec<deal::Model> =
        deal::Entity::find().filter(deal::Column::OwnerId.eq(rep.id)).order_by_asc(deal::Column::Id).all(db).await.unwrap();
    let open = open_deals_of(db, rep.id).await;
    let closed: Vec<deal::Model> = all.iter().filter(|d| !open.iter().any(|o| o.id == d.id)).cloned().collect();
    assert!(open.len() >= 2 && !closed.is_empty(), "the demo rep has open and closed deals");
    let members_before =
        deal_member::Entity::find().filter(deal_member::Column::DealId.is_in(open.iter().map(|d| d.id))).count(db).await.unwrap();
    let dir = admin::directory(db, &ctx).await.unwrap();
    let me = dir.users.iter().find(|u| u.id == rep.uuid).unwrap().clone();
    let west = dir.teams.iter().find(|t| t.name == "West").unwrap().clone();
    let audits = audit_count(db).await;
    // A request waiting on East's manager for a deal that moves, and one on the GM.
    let (east_mgr, west_mgr, gm) = (
        user_by_email(db, "manager@demo.local").await,
        user_by_email(db, "manager2@demo.local").await,
        user_by_email(db, "gm@demo.local").await,
    );
    let pending = |approver: i32| approval::ActiveModel {
        uuid: Set(uuid::Uuid::new_v4()),
        deal_id: Set(open[0].id),
        kind: Set("stage_move".into()),
        requested_by: Set(rep.id),
        approver_id: Set(Some(approver)),
        status: Set("pending".into()),
        reason: Set(Some("跳过方案阶段".into())),
        created_at: Set(chrono::Utc::now()),
        updated_at: Set(chrono::Utc::now()),
        version: Set(1),
        ..Default::default()
    };
    let to_manager = approval::Entity::insert(pending(east_mgr.id)).exec(db).await.unwrap().last_insert_id;
    let to_gm = approval::Entity::insert(pending(gm.id)).exec(db).await.unwrap().last_insert_id;
    let bells = || {
        notification::Entity::find()
            .filter(notification::Column::UserId.eq(west_mgr.id))
            .filter(notification::Column::Kind.eq("approval_delegated"))
    };
    let west_bells = bells().count(db).await.unwrap();

    // No team while owning open deals: refused naming the team, nothing written.
    let edit = UserEdit { name: me.name.clone(), role: me.role, team: None, locale: me.locale, version: me.version };
    let m = refused(admin::update_user(db, &ctx, rep.uuid, edit.clone()).await, "team");
    assert!(m.contains(&open.len().to_string()), "{m}");
    assert_eq!(user_by_email(db, "rep@demo.local").await, rep);
    assert_eq!(open_deals_of(db, rep.id).await, open);
    assert_eq!(audit_count(db).await, audits);

    // East → West: the open deals follow, each through the deal write.
    let mut rx = app::ssr::events::subscribe(db);
    let out = admin::update_user(db, &ctx, rep.uuid, UserEdit { team: Some(west.id), ..edit }).await.unwrap();
    assert_eq!((out.team.as_deref(), out.open_deals), (Some("West"), open.len() as u64));
    let west_id = team::Entity::find().filter(team::Column::Uuid.eq(west.id)).one(db).await.unwrap().unwrap().id;
    let now_open = open_deals_of(db, rep.id).await;
    assert_eq!(now_open.len(), open.len());
    for (b, a) in open.iter().zip(&now_open) {
        assert_eq!((a.id, a.owner_id, a.team_id, a.version), (b.id, rep.id, west_id, b.version + 1));
        assert_eq!((a.amount_fen, a.stage_id, a.close_date), (b.amount_fen, b.stage_id, b.close_date));
        let h = deal_history::Entity::find()
            .filter(deal_history::Column::DealId.eq(a.id))
            .filter(deal_history::Column::Kind.eq("team_changed"))
            .one(db)
            .await
            .unwrap()
            .expect("a team_changed row");
        assert_eq!((h.actor_id, h.note.as_deref()), (Some(ctx.user_id), Some("East → West")));
    }
    // The request East's manager had goes to West's, who hears of it; the GM's stays.
    let approver = |id: i32| async move { approval::Entity::find_by_id(id).one(db).await.unwrap().unwrap().approver_id };
    assert_eq!((approver(to_manager).await, approver(to_gm).await), (Some(west_mgr.id), Some(gm.id)));
    assert_eq!(bells().count(db).await.unwrap(), west_bells + 1);
    let members_after =
        deal_member::Entity::find().filter(deal_member::Column::DealId.is_in(open.iter().map(|d| d.id))).count(db).await.unwrap();
    assert_eq!(members_after, members_before, "the deal teams are untouched");
    for c in &closed {
        assert_eq!(&deal::Entity::find_by_id(c.id).one(db).await.unwrap().unwrap(), c, "closed deals stay where they were won or lost");
    }
    let (r, after) = last_audit(db).await;
    assert_eq!((r.action.as_str(), r.subject_id), (AuditAction::UserUpdated.as_str(), Some(rep.uuid)));
    assert_eq!((after["team"].as_str(), after["deals_moved"].as_u64()), (Some("West"), Some(open.len() as u64)));
    if db.get_database_backend() == sea_orm::DbBackend::Sqlite {
        let mut teams = std::collections::BTreeSet::new();
        while let Ok(e) = rx.try_recv() {
            if e.kind == "deal_updated" {
                teams.insert(e.team_id);
            }
        }
        assert_eq!(teams, [rep.team_id.unwrap(), west_id].into_iter().collect(), "both teams' boards hear of it once");
    }

    // Every figure equals its per-deal reference: the board's totals, the forecast cells,
    // progress, the trend; and the cells equal a rebuild from the deals.
    for p in app::ssr::entity::pipeline::Entity::find().all(db).await.unwrap() {
        for who in viewers {
            let c = ctx_for(db, who).await;
            let kept = app::ssr::service::totals::stage_sums(db, p.id, &c.visibility, Default::default()).await.unwrap();
            assert_eq!(kept, app::ssr::service::totals::raw_visible_sums(db, p.id, &c.visibility).await.unwrap(), "{who}");
        }
    }
    crate::forecast::assert_cells_agree(db, &viewers).await;
    crate::forecast::assert_progress_agrees(db, &viewers, false).await;
    crate::admin_users::trend_agrees(db, &viewers).await;
    let exec = ctx_for(db, "exec@demo.local").await;
    let kept = forecast::load_cells(db, &exec, 0).await.unwrap();
    app::ssr::service::totals::rebuild(db).await.unwrap();
    assert_eq!(forecast::load_cells(db, &exec, 0).await.unwrap(), kept, "cells = rebuilt from the deals");

    // West's manager now runs them; East's no longer sees them.
    let (m2, m1) = (ctx_for(db, "manager2@demo.local").await, ctx_for(db, "manager@demo.local").await);
    let d = now_open[0].uuid;
    assert!(app::ssr::service::deal::one(db, &m2, d).await.is_ok());
    assert_eq!(app::ssr::service::deal::one(db, &m1, d).await.unwrap_err(), AppError::NotFound);

    // A change that keeps the team moves nothing and says nothing of deals.
    let me = admin::directory(db, &ctx).await.unwrap().users.into_iter().find(|u| u.id == rep.uuid).unwrap();
    let edit = UserEdit { name: "张磊 (West)".into(), role: me.role, team: me.team_id, locale: me.locale, version: me.version };
    admin::update_user(db, &ctx, rep.uuid, edit).await.unwrap();
    assert_eq!(open_deals_of(db, rep.id).await, now_open);
    let (_, after) = last_audit(db).await;
    assert!(after.get("deals_moved").is_none(), "{after}");
}

#[tokio::test]
async fn a_team_change_above_the_bound_is_refused_whole() {
    let t = seeded().await;
    let db = &t.db;
    let ctx = admin_ctx(db).await;
    let dir = admin::directory(db, &ctx).await.unwrap();
    let east = dir.teams.iter().find(|t| t.name == "East").unwrap().clone();
    let west = dir.teams.iter().find(|t| t.name == "West").unwrap().clone();
    let new = app::domain::admin::NewUser {
        name: "Busy Rep".into(),
        email: "busy.rep@example.com".into(),
        role: app::domain::role::Role::Rep,
        team: Some(east.id),
        locale: None,
        password: "busy-pass-1".into(),
    };
    let busy = admin::create_user(db, &ctx, new).await.unwrap();
    let busy_row = user_by_email(db, "busy.rep@example.com").await;
    let busy_id = busy_row.id;
    // More open deals than one change moves, written as rows (the refusal must come before
    // any deal is touched; the figures of this throwaway database are not looked at).
    let some = deal::Entity::find().filter(deal::Column::StageId.is_in(open_stage_ids(db).await)).one(db).await.unwrap().unwrap();
    let now = chrono::Utc::now();
    let rows: Vec<deal::ActiveModel> = (0..=REASSIGN_MAX)
        .map(|i| deal::ActiveModel {
            uuid: Set(uuid::Uuid::new_v4()),
            name: Set(format!("busy {i}")),
            account_id: Set(some.account_id),
            owner_id: Set(busy_id),
            team_id: Set(busy_row.team_id.unwrap()),
            pipeline_id: Set(some.pipeline_id),
            stage_id: Set(some.stage_id),
            amount_fen: Set(100),
            currency: Set("CNY".into()),
            close_date: Set(some.close_date),
            stage_entered_at: Set(now),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            ..Default::default()
        })
        .collect();
    for chunk in rows.chunks(200) {
        deal::Entity::insert_many(chunk.to_vec()).exec_without_returning(db).await.unwrap();
    }
    let audits = audit_count(db).await;
    let before = open_deals_of(db, busy_id).await;
    let edit = UserEdit { name: busy.name.clone(), role: busy.role, team: Some(west.id), locale: None, version: busy.version };
    let m = refused(admin::update_user(db, &ctx, busy.id, edit).await, "team");
    assert!(m.contains(&(REASSIGN_MAX + 1).to_string()) && m.contains(&REASSIGN_MAX.to_string()), "{m}");
    let u = admin::directory(db, &ctx).await.unwrap().users.into_iter().find(|u| u.id == busy.id).unwrap();
    assert_eq!((u.team.as_deref(), u.version), (Some("East"), busy.version), "the user did not move");
    assert_eq!(open_deals_of(db, busy_id).await, before, "no deal moved");
    assert_eq!(audit_count(db).await, audits);
}

#[tokio::test]
async fn one_s_own_password_changes_with_the_page_s_service() {
    let t = seeded().await;
    let db = &t.db;
    let me = ctx_for(db, "rep2@demo.local").await;
    let version = user_by_email(db, "rep2@demo.local").await.version;
    let demo = app::ssr::seed::DEMO_PASSWORD;
    assert!(refused(own::change_password(db, &me, "not-it", "brand-new-pass").await, "current_password").contains("current"));
    refused(own::change_password(db, &me, demo, "short").await, "new_password");
    refused(own::change_password(db, &me, demo, demo).await, "new_password");
    refused(own::change_password(db, &me, demo, "        ").await, "new_password");
    assert_eq!(user_by_email(db, "rep2@demo.local").await.version, version, "nothing written by a refusal");
    own::change_password(db, &me, demo, "brand-new-pass").await.unwrap();
    let limiter = app::ssr::auth::LoginLimiter::default();
    assert!(app::ssr::auth::authenticate(db, &limiter, "rep2@demo.local", demo, None).await.is_err());
    assert!(app::ssr::auth::authenticate(db, &limiter, "rep2@demo.local", "brand-new-pass", None).await.is_ok());
}
