#![allow(clippy::unwrap_used, clippy::expect_used)]
//! User and team administration: creating users who then sign in, resets that force a new
//! password, deactivation that ends sessions and tokens at once, role and team changes,
//! teams and their managers, bulk reassignment of open deals through the one deal path
//! (figures equal the per-deal reference), admin-only everywhere, and an audit row per act.
//! SQLite and (with TEST_DATABASE_URL) PostgreSQL.

use crate::common::{ctx_for, seeded};
use app::domain::admin::{AuditAction, NewUser, TeamEdit, UserEdit};
use app::domain::error::AppError;
use app::domain::forecast as f;
use app::domain::locale::Locale;
use app::domain::role::Role;
use app::ssr::auth::{authenticate, LoginLimiter};
use app::ssr::context::{RequestContext, SESSION_USER_KEY};
use app::ssr::db::Db;
use app::ssr::entity::{admin_audit, deal, deal_history, deal_member, session, stage, team, user};
use app::ssr::service::{admin, forecast, user as own};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use tower_sessions::session::{Id, Record};
use tower_sessions::SessionStore;

async fn admin_ctx(db: &Db) -> RequestContext {
    ctx_for(db, "admin@demo.local").await
}

async fn user_by_email(db: &Db, email: &str) -> user::Model {
    user::Entity::find().filter(user::Column::Email.eq(email)).one(db).await.unwrap().unwrap()
}

async fn team_uuid(db: &Db, name: &str) -> uuid::Uuid {
    team::Entity::find().filter(team::Column::Name.eq(name)).one(db).await.unwrap().unwrap().uuid
}

async fn audit_rows(db: &Db) -> Vec<admin_audit::Model> {
    admin_audit::Entity::find().order_by_asc(admin_audit::Column::Id).all(db).await.unwrap()
}

/// The administrators' acts, without the security events (sign-ins, own password changes)
/// the same log holds.
async fn admin_acts(db: &Db) -> Vec<admin_audit::Model> {
    let security = [AuditAction::LoginFailed, AuditAction::LoginThrottled, AuditAction::PasswordChanged].map(AuditAction::as_str);
    audit_rows(db).await.into_iter().filter(|r| !security.contains(&r.action.as_str())).collect()
}

fn new_user(email: &str, team: Option<uuid::Uuid>) -> NewUser {
    NewUser {
        name: "  New Rep ".into(),
        email: email.into(),
        role: Role::Rep,
        team,
        locale: Some(Locale::ZhCn),
        password: "first-pass-1".into(),
    }
}

fn is_validation<T: std::fmt::Debug>(r: Result<T, AppError>, field: &str) {
    match r {
        Err(AppError::Validation { field: f, message }) => {
            assert_eq!(f, field, "{message}");
            assert!(!message.is_empty());
        }
        other => panic!("expected a validation error on {field}, got {other:?}"),
    }
}

/// A session (or bearer token: they share the store) of the user, as sign-in writes it.
async fn open_session(db: &Db, user_id: i32) -> String {
    let mut data = std::collections::HashMap::new();
    data.insert(SESSION_USER_KEY.to_owned(), serde_json::json!(user_id));
    let expiry = time::OffsetDateTime::now_utc() + time::Duration::hours(1);
    let mut record = Record { id: Id::default(), data, expiry_date: expiry };
    app::ssr::session_store::DbSessionStore::new(db.conn().clone()).create(&mut record).await.unwrap();
    record.id.to_string()
}

async fn session_exists(db: &Db, id: &str) -> bool {
    session::Entity::find_by_id(id.to_owned()).one(db).await.unwrap().is_some()
}

#[tokio::test]
async fn admin_creates_a_user_who_signs_in_and_must_change_the_password_first() {
    let t = seeded().await;
    let db = &t.db;
    let ctx = admin_ctx(db).await;
    let before = admin_acts(db).await.len();
    let east = team_uuid(db, "East").await;
    let made = admin::create_user(db, &ctx, new_user(" New.Rep@Example.COM ", Some(east))).await.unwrap();
    assert_eq!(
        (made.name.as_str(), made.email.as_str(), made.role, made.team.as_deref()),
        ("New Rep", "new.rep@example.com", Role::Rep, Some("East"))
    );
    assert!(made.active && made.must_change_password);
    assert_eq!((made.locale, made.open_deals), (Some(Locale::ZhCn), 0));

    let limiter = LoginLimiter::default();
    let u = authenticate(db, &limiter, "new.rep@example.com", "first-pass-1", None).await.unwrap();
    assert!(u.must_change_password);
    let me = RequestContext::load(db, u.id).await.unwrap().unwrap();
    assert!(me.must_change_password);
    assert_eq!((me.role, me.team_name.as_deref()), (Role::Rep, Some("East")));

    // The change: the current password must be right, the new one long enough and different.
    is_validation(own::change_password(db, &me, "wrong-pass", "second-pass-2").await, "current_password");
    is_validation(own::change_password(db, &me, "first-pass-1", "short").await, "new_password");
    is_validation(own::change_password(db, &me, "first-pass-1", "first-pass-1").await, "new_password");
    own::change_password(db, &me, "first-pass-1", "second-pass-2").await.unwrap();
    assert!(!RequestContext::load(db, u.id).await.unwrap().unwrap().must_change_password);
    assert_eq!(authenticate(db, &limiter, "new.rep@example.com", "first-pass-1", None).await.unwrap_err(), AppError::BadCredentials);
    assert!(authenticate(db, &limiter, "new.rep@example.com", "second-pass-2", None).await.is_ok());

    // One audit row, by the admin, with the user as they were made and no password in it.
    let rows = admin_acts(db).await;
    assert_eq!(rows.len(), before + 1);
    let r = rows.last().unwrap();
    assert_eq!((r.action.as_str(), r.actor_id, r.subject_id), (AuditAction::UserCreated.as_str(), ctx.user_id, Some(made.id)));
    assert!(r.before.is_none());
    let after: serde_json::Value = serde_json::from_str(r.after.as_deref().unwrap()).unwrap();
    assert_eq!(
        (after["email"].as_str(), after["team"].as_str(), after["role"].as_str()),
        (Some("new.rep@example.com"), Some("East"), Some("rep"))
    );
    assert!(!r.after.as_deref().unwrap().contains("first-pass") && !r.after.as_deref().unwrap().contains("argon2"), "{:?}", r.after);
    // The admin page's log shows it, newest first, after the user's own sign-in failure and
    // password change (security events, nobody / the user as actor).
    let page = admin::audit_page(db, &ctx, None, 10).await.unwrap();
    let shown: Vec<(AuditAction, &str)> = page.rows.iter().take(3).map(|r| (r.action, r.actor.as_str())).collect();
    assert_eq!(
        shown,
        [(AuditAction::LoginFailed, ""), (AuditAction::PasswordChanged, made.name.as_str()), (AuditAction::UserCreated, ctx.name.as_str())]
    );
}

#[tokio::test]
async fn bad_input_is_refused_naming_the_field_and_nothing_is_written() {
    let t = seeded().await;
    let db = &t.db;
    let ctx = admin_ctx(db).await;
    let (users, audits) = (user::Entity::find().count(db).await.unwrap(), admin_acts(db).await.len());
    let east = Some(team_uuid(db, "East").await);
    is_validation(admin::create_user(db, &ctx, new_user("Rep@Demo.Local", east)).await, "email");
    is_validation(admin::create_user(db, &ctx, new_user("not-an-email", east)).await, "email");
    is_validation(admin::create_user(db, &ctx, new_user(&format!("{}@x.cn", "a".repeat(250)), east)).await, "email");
    is_validation(admin::create_user(db, &ctx, NewUser { name: "  ".into(), ..new_user("a@b.cn", east) }).await, "name");
    is_validation(admin::create_user(db, &ctx, NewUser { name: "名".repeat(101), ..new_user("a@b.cn", east) }).await, "name");
    is_validation(admin::create_user(db, &ctx, NewUser { password: "1234567".into(), ..new_user("a@b.cn", east) }).await, "password");
    is_validation(admin::create_user(db, &ctx, new_user("a@b.cn", Some(uuid::Uuid::new_v4()))).await, "team");
    assert_eq!(user::Entity::find().count(db).await.unwrap(), users, "no user written");
    assert_eq!(admin_acts(db).await.len(), audits, "no audit row written");

    // Teams: a name is required, bounded and unique regardless of case; the manager a manager.
    is_validation(admin::create_team(db, &ctx, TeamEdit { name: " ".into(), manager: None, version: 0 }).await, "name");
    is_validation(admin::create_team(db, &ctx, TeamEdit { name: "t".repeat(61), manager: None, version: 0 }).await, "name");
    is_validation(admin::create_team(db, &ctx, TeamEdit { name: " east ".into(), manager: None, version: 0 }).await, "name");
    let rep = user_by_email(db, "rep@demo.local").await;
    is_validation(admin::create_team(db, &ctx, TeamEdit { name: "North".into(), manager: Some(rep.uuid), version: 0 }).await, "manager");
    is_validation(
        admin::create_team(db, &ctx, TeamEdit { name: "North".into(), manager: Some(uuid::Uuid::new_v4()), version: 0 }).await,
        "manager",
    );
    assert_eq!(team::Entity::find().count(db).await.unwrap(), 2);
    assert_eq!(admin_acts(db).await.len(), audits);
}

#[tokio::test]
async fn deactivation_ends_sessions_and_tokens_at_once_and_reactivation_lets_back_in() {
    let t = seeded().await;
    let db = &t.db;
    let ctx = admin_ctx(db).await;
    let rep = user_by_email(db, "rep@demo.local").await;
    let rep2 = user_by_email(db, "rep2@demo.local").await;
    let (browser, token, other) = (open_session(db, rep.id).await, open_session(db, rep.id).await, open_session(db, rep2.id).await);
    let limiter = LoginLimiter::default();
    assert!(authenticate(db, &limiter, "rep@demo.local", app::ssr::seed::DEMO_PASSWORD, None).await.is_ok());

    let out = admin::set_active(db, &ctx, rep.uuid, false, None).await.unwrap();
    assert!(!out.active);
    assert!(out.open_deals > 0, "their deals stay theirs until reassigned");
    assert!(RequestContext::load(db, rep.id).await.unwrap().is_none(), "every request is refused");
    assert_eq!(
        authenticate(db, &limiter, "rep@demo.local", app::ssr::seed::DEMO_PASSWORD, None).await.unwrap_err(),
        AppError::BadCredentials
    );
    assert!(!session_exists(db, &browser).await && !session_exists(db, &token).await, "sessions and tokens gone");
    assert!(session_exists(db, &other).await, "another user's session stays");
    let r = admin_acts(db).await.pop().unwrap();
    assert_eq!(r.action, AuditAction::UserDeactivated.as_str());
    assert_eq!(serde_json::from_str::<serde_json::Value>(r.after.as_deref().unwrap()).unwrap()["sessions_ended"], 2);
    // Again: nothing changes, nothing is recorded.
    let n = admin_acts(db).await.len();
    admin::set_active(db, &ctx, rep.uuid, false, None).await.unwrap();
    assert_eq!(admin_acts(db).await.len(), n);

    admin::set_active(db, &ctx, rep.uuid, true, None).await.unwrap();
    assert!(RequestContext::load(db, rep.id).await.unwrap().is_some());
    assert!(authenticate(db, &limiter, "rep@demo.local", app::ssr::seed::DEMO_PASSWORD, None).await.is_ok());
    assert_eq!(admin_acts(db).await.pop().unwrap().action, AuditAction::UserReactivated.as_str());

    // Nobody deactivates themselves or the last active admin; a team's manager stays until
    // the team has another.
    is_validation(admin::set_active(db, &ctx, ctx.uuid, false, None).await, "user");
    let me = admin::directory(db, &ctx).await.unwrap().users.into_iter().find(|u| u.id == ctx.uuid).unwrap();
    let demote = UserEdit { name: me.name.clone(), role: Role::Rep, team: None, locale: None, version: me.version };
    is_validation(admin::update_user(db, &ctx, ctx.uuid, demote).await, "role");
    let manager = user_by_email(db, "manager@demo.local").await;
    is_validation(admin::set_active(db, &ctx, manager.uuid, false, None).await, "user");
    assert!(RequestContext::load(db, manager.id).await.unwrap().is_some());
}

#[tokio::test]
async fn a_reset_forces_a_new_password_and_ends_the_sessions() {
    let t = seeded().await;
    let db = &t.db;
    let ctx = admin_ctx(db).await;
    let rep = user_by_email(db, "rep3@demo.local").await;
    let s = open_session(db, rep.id).await;
    is_validation(admin::reset_password(db, &ctx, rep.uuid, "short".into()).await, "password");
    assert!(session_exists(db, &s).await, "a refused reset ends nothing");
    let out = admin::reset_password(db, &ctx, rep.uuid, "temporary-9".into()).await.unwrap();
    assert!(out.must_change_password);
    assert!(!session_exists(db, &s).await);
    let limiter = LoginLimiter::default();
    assert!(authenticate(db, &limiter, "rep3@demo.local", app::ssr::seed::DEMO_PASSWORD, None).await.is_err());
    let u = authenticate(db, &limiter, "rep3@demo.local", "temporary-9", None).await.unwrap();
    let me = RequestContext::load(db, u.id).await.unwrap().unwrap();
    assert!(me.must_change_password, "the server lets them do nothing else (web::auth)");
    own::change_password(db, &me, "temporary-9", "my-own-choice").await.unwrap();
    assert!(!RequestContext::load(db, u.id).await.unwrap().unwrap().must_change_password);
    let rows = audit_rows(db).await;
    let r = rows.iter().find(|r| r.action == AuditAction::PasswordReset.as_str()).unwrap();
    assert_eq!(r.subject_id, Some(rep.uuid));
    assert!(!r.after.as_deref().unwrap_or_default().contains("temporary"));
    // The failed sign-in with the old password and the user's own change are logged too.
    let after: Vec<&str> = rows.iter().skip_while(|x| x.id != r.id).skip(1).map(|x| x.action.as_str()).collect();
    assert_eq!(after, [AuditAction::LoginFailed.as_str(), AuditAction::PasswordChanged.as_str()]);
    // An admin's own password is changed on the change-password page, not reset.
    is_validation(admin::reset_password(db, &ctx, ctx.uuid, "temporary-9".into()).await, "user");
}

#[tokio::test]
async fn role_team_and_manager_changes_take_effect_and_are_versioned() {
    let t = seeded().await;
    let db = &t.db;
    let ctx = admin_ctx(db).await;
    let dir = admin::directory(db, &ctx).await.unwrap();
    let rep = dir.users.iter().find(|u| u.email == "rep@demo.local").unwrap().clone();
    let west = dir.teams.iter().find(|t| t.name == "West").unwrap().clone();
    let edit =
        UserEdit { name: rep.name.clone(), role: Role::Presales, team: Some(west.id), locale: Some(Locale::En), version: rep.version };
    let out = admin::update_user(db, &ctx, rep.id, edit.clone()).await.unwrap();
    assert_eq!((out.role, out.team.as_deref(), out.version), (Role::Presales, Some("West"), rep.version + 1));
    let u = user_by_email(db, "rep@demo.local").await;
    let now = RequestContext::load(db, u.id).await.unwrap().unwrap();
    assert_eq!((now.role, now.team_name.as_deref(), now.locale), (Role::Presales, Some("West"), Some(Locale::En)));
    assert_eq!(admin::update_user(db, &ctx, rep.id, edit.clone()).await.unwrap_err(), AppError::Conflict, "stale version");
    is_validation(
        admin::update_user(db, &ctx, rep.id, UserEdit { team: Some(uuid::Uuid::new_v4()), version: out.version, ..edit.clone() }).await,
        "team",
    );
    let r = admin_acts(db).await.pop().unwrap();
    assert_eq!(r.action, AuditAction::UserUpdated.as_str());
    let (b, a): (serde_json::Value, serde_json::Value) =
        (serde_json::from_str(r.before.as_deref().unwrap()).unwrap(), serde_json::from_str(r.after.as_deref().unwrap()).unwrap());
    assert_eq!(
        (b["role"].as_str(), b["team"].as_str(), a["role"].as_str(), a["team"].as_str()),
        (Some("rep"), Some("East"), Some("presales"), Some("West"))
    );

    // A manager who manages a team keeps the role until the team has another manager.
    let m = dir.users.iter().find(|u| u.email == "manager@demo.local").unwrap().clone();
    let demote = UserEdit { name: m.name.clone(), role: Role::Rep, team: m.team_id, locale: m.locale, version: m.version };
    is_validation(admin::update_user(db, &ctx, m.id, demote.clone()).await, "role");

    // Teams: created, renamed, given a manager (who then sees the team's deals).
    let north = admin::create_team(db, &ctx, TeamEdit { name: " North ".into(), manager: None, version: 0 }).await.unwrap();
    assert_eq!((north.name.as_str(), north.members, north.manager.as_deref()), ("North", 0, None));
    let m2 = dir.users.iter().find(|u| u.email == "manager2@demo.local").unwrap().clone();
    let renamed =
        admin::update_team(db, &ctx, north.id, TeamEdit { name: "North-East".into(), manager: Some(m2.id), version: north.version })
            .await
            .unwrap();
    assert_eq!((renamed.name.as_str(), renamed.manager_id, renamed.version), ("North-East", Some(m2.id), north.version + 1));
    let m2ctx = ctx_for(db, "manager2@demo.local").await;
    let ne = team::Entity::find().filter(team::Column::Uuid.eq(north.id)).one(db).await.unwrap().unwrap();
    assert!(m2ctx.managed_team_ids.contains(&ne.id) && m2ctx.visibility.team_ids.contains(&ne.id));
    assert_eq!(
        admin::update_team(db, &ctx, north.id, TeamEdit { name: "X".into(), manager: None, version: north.version }).await.unwrap_err(),
        AppError::Conflict
    );
    is_validation(
        admin::update_team(db, &ctx, north.id, TeamEdit { name: "West".into(), manager: None, version: renamed.version }).await,
        "name",
    );
    // East gets manager2 as its manager: then manager@ may be demoted.
    let east = dir.teams.iter().find(|t| t.name == "East").unwrap().clone();
    admin::update_team(db, &ctx, east.id, TeamEdit { name: east.name.clone(), manager: Some(m2.id), version: east.version }).await.unwrap();
    assert_eq!(admin::update_user(db, &ctx, m.id, demote).await.unwrap().role, Role::Rep);
    let kinds: Vec<String> = admin_acts(db).await.into_iter().map(|r| r.action).collect();
    assert_eq!(
        &kinds[kinds.len() - 4..],
        &["team.created", "team.updated", "team.updated", "user.updated"].map(String::from),
        "one row per act, none for a refusal"
    );
}

#[tokio::test]
async fn every_admin_act_is_forbidden_to_everyone_else() {
    let t = seeded().await;
    let db = &t.db;
    let ctx = admin_ctx(db).await;
    let dir = admin::directory(db, &ctx).await.unwrap();
    let rep = dir.users.iter().find(|u| u.email == "rep@demo.local").unwrap().clone();
    let east = dir.teams.iter().find(|t| t.name == "East").unwrap().clone();
    let n = admin_acts(db).await.len();
    for email in ["rep@demo.local", "manager@demo.local", "exec@demo.local", "gm@demo.local", "legal@demo.local", "presales@demo.local"] {
        let c = ctx_for(db, email).await;
        let forbidden = |r: Result<(), AppError>| assert_eq!(r, Err(AppError::Forbidden), "{email}");
        forbidden(admin::directory(db, &c).await.map(|_| ()));
        forbidden(admin::audit_page(db, &c, None, 10).await.map(|_| ()));
        forbidden(admin::create_user(db, &c, new_user("x@y.cn", None)).await.map(|_| ()));
        let edit = UserEdit { name: "X".into(), role: Role::Admin, team: None, locale: None, version: rep.version };
        forbidden(admin::update_user(db, &c, rep.id, edit).await.map(|_| ()));
        forbidden(admin::reset_password(db, &c, rep.id, "whatever-1".into()).await.map(|_| ()));
        forbidden(admin::set_active(db, &c, rep.id, false, None).await.map(|_| ()));
        forbidden(admin::reassign_open_deals(db, &c, rep.id, ctx.uuid).await.map(|_| ()));
        forbidden(admin::create_team(db, &c, TeamEdit { name: "Mine".into(), manager: None, version: 0 }).await.map(|_| ()));
        forbidden(
            admin::update_team(db, &c, east.id, TeamEdit { name: "Mine".into(), manager: None, version: east.version }).await.map(|_| ()),
        );
    }
    assert_eq!(admin::directory(db, &ctx).await.unwrap(), dir, "nothing changed");
    assert_eq!(admin_acts(db).await.len(), n);
}

/// Trend points of the viewers, computed by the service, with their reference (the replay).
pub(crate) async fn trend_agrees(db: &Db, viewers: &[&str]) {
    let now = chrono::Utc::now();
    let points = forecast::trend_instants(now);
    let stages: Vec<f::Stage> = stage::Entity::find().all(db).await.unwrap().iter().map(forecast::stage_fact).collect();
    for who in viewers {
        let ctx = ctx_for(db, who).await;
        let cells = forecast::load_cells(db, &ctx, 0).await.unwrap();
        let got: Vec<_> = forecast::trend_points(db, &ctx, &points, now, &cells, &stages)
            .await
            .unwrap()
            .into_iter()
            .map(|p| (p.forecast_fen, p.won_fen, p.open_count, p.won_count))
            .collect();
        assert_eq!(got, crate::forecast::reference_points(db, &ctx, &points).await, "{who}: trend points");
    }
}

#[tokio::test]
async fn bulk_reassignment_moves_open_deals_through_the_deal_path_and_keeps_every_figure() {
    let t = seeded().await;
    let db = &t.db;
    let ctx = admin_ctx(db).await;
    let viewers = ["exec@demo.local", "manager@demo.local", "manager2@demo.local", "rep@demo.local", "rep4@demo.local"];
    // Cached trend points exist before (the reassignment must not leave them stale).
    trend_agrees(db, &viewers).await;
    let rep = user_by_email(db, "rep@demo.local").await;
    let rep4 = user_by_email(db, "rep4@demo.local").await;
    let open_ids: Vec<i32> =
        stage::Entity::find().filter(stage::Column::Kind.eq("open")).all(db).await.unwrap().iter().map(|s| s.id).collect();
    let theirs = |owner: i32| deal::Entity::find().filter(deal::Column::OwnerId.eq(owner)).order_by_asc(deal::Column::Id);
    let before: Vec<deal::Model> = theirs(rep.id).all(db).await.unwrap();
    let (open, closed): (Vec<_>, Vec<_>) = before.iter().cloned().partition(|d| open_ids.contains(&d.stage_id));
    assert!(open.len() >= 2 && !closed.is_empty(), "the demo rep has open and closed deals");
    let n = admin_acts(db).await.len();

    // Refusals first: to oneself, to a deactivated or teamless user, an unknown user.
    is_validation(admin::reassign_open_deals(db, &ctx, rep.uuid, rep.uuid).await, "to");
    is_validation(admin::reassign_open_deals(db, &ctx, rep.uuid, ctx.uuid).await, "to");
    is_validation(admin::reassign_open_deals(db, &ctx, rep.uuid, uuid::Uuid::new_v4()).await, "to");
    assert_eq!(admin::reassign_open_deals(db, &ctx, uuid::Uuid::new_v4(), rep4.uuid).await.unwrap_err(), AppError::NotFound);
    assert_eq!(theirs(rep.id).all(db).await.unwrap(), before, "nothing moved");

    // The rep leaves: deactivated, then their open deals go to a rep of the other team.
    admin::set_active(db, &ctx, rep.uuid, false, None).await.unwrap();
    let out = admin::reassign_open_deals(db, &ctx, rep.uuid, rep4.uuid).await.unwrap();
    assert_eq!((out.moved, out.remaining), (open.len() as u64, 0));
    let now_theirs = theirs(rep4.id).all(db).await.unwrap();
    for d in &open {
        let a = now_theirs.iter().find(|x| x.id == d.id).expect("moved to rep4");
        assert_eq!((a.team_id, a.version, a.amount_fen, a.stage_id), (rep4.team_id.unwrap(), d.version + 1, d.amount_fen, d.stage_id));
        let h = deal_history::Entity::find()
            .filter(deal_history::Column::DealId.eq(d.id))
            .filter(deal_history::Column::Kind.eq("owner_changed"))
            .one(db)
            .await
            .unwrap()
            .expect("an owner_changed row");
        assert_eq!((h.actor_id, h.note.as_deref()), (Some(ctx.user_id), Some(format!("{} → {}", rep.name, rep4.name).as_str())));
        let team: Vec<(i32, String)> = deal_member::Entity::find()
            .filter(deal_member::Column::DealId.eq(d.id))
            .all(db)
            .await
            .unwrap()
            .into_iter()
            .map(|m| (m.user_id, m.role))
            .filter(|(u, _)| *u == rep.id || *u == rep4.id)
            .collect();
        assert_eq!(team, vec![(rep4.id, "owner".to_owned())]);
    }
    assert_eq!(theirs(rep.id).all(db).await.unwrap(), closed, "closed deals stay with who won or lost them");

    // Every figure equals its per-deal reference: the board's totals, the forecast cells,
    // progress (days and terms against a rebuild, and against the replay), the trend.
    let exec = ctx_for(db, "exec@demo.local").await;
    let active_viewers = ["exec@demo.local", "manager@demo.local", "manager2@demo.local", "rep4@demo.local"];
    for p in app::ssr::entity::pipeline::Entity::find().all(db).await.unwrap() {
        for who in active_viewers {
            let c = ctx_for(db, who).await;
            let kept = app::ssr::service::totals::stage_sums(db, p.id, &c.visibility, Default::default()).await.unwrap();
            assert_eq!(kept, app::ssr::service::totals::raw_visible_sums(db, p.id, &c.visibility).await.unwrap(), "{who}");
        }
    }
    crate::forecast::assert_cells_agree(db, &active_viewers).await;
    crate::forecast::assert_progress_agrees(db, &active_viewers, false).await;
    trend_agrees(db, &active_viewers).await;
    let kept = forecast::load_cells(db, &exec, 0).await.unwrap();
    app::ssr::service::totals::rebuild(db).await.unwrap();
    assert_eq!(forecast::load_cells(db, &exec, 0).await.unwrap(), kept, "cells = rebuilt from the deals");

    // One audit row naming both and every deal moved; nothing left to move.
    let rows = admin_acts(db).await;
    assert_eq!(rows.len(), n + 2);
    let r = rows.last().unwrap();
    assert_eq!((r.action.as_str(), r.subject_id), (AuditAction::DealsReassigned.as_str(), Some(rep.uuid)));
    let after: serde_json::Value = serde_json::from_str(r.after.as_deref().unwrap()).unwrap();
    assert_eq!(after["moved"].as_u64(), Some(open.len() as u64));
    assert_eq!(after["deals"].as_array().map(Vec::len), Some(open.len()));
    assert_eq!(admin::reassign_open_deals(db, &ctx, rep.uuid, rep4.uuid).await.unwrap().moved, 0);
}
