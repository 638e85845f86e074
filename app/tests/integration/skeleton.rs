#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Walking-skeleton integration tests; run on SQLite and (with TEST_DATABASE_URL) PostgreSQL.

use crate::common::{ctx_for, fresh_db, seeded};
use app::domain::error::AppError;
use app::domain::role::Role;
use app::ssr::auth::{authenticate, LoginLimiter, ACCOUNT_FREE_FAILURES, FIRST_WAIT_SECS};
use app::ssr::entity::{account, deal, deal_history, deal_member, pipeline, stage, team, user};
use app::ssr::service;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use std::collections::{HashMap, HashSet};

#[tokio::test]
async fn migrations_run_up_from_empty_and_are_idempotent() {
    let t = fresh_db().await;
    // A second run finds nothing to do and changes nothing.
    app::ssr::db::migrate(&t.db).await.unwrap();
    app::ssr::seed::ensure_reference_data(&t.db).await.unwrap();
    assert_eq!(user::Entity::find().count(&t.db).await.unwrap(), 0);
    let pipelines = pipeline::Entity::find().order_by_asc(pipeline::Column::Position).all(&t.db).await.unwrap();
    assert_eq!(pipelines.iter().map(|p| p.code.as_str()).collect::<Vec<_>>(), ["solution", "erp", "product"]);
    assert_eq!(pipelines.iter().filter(|p| p.is_default).count(), 1);
    let solution = stage::Entity::find()
        .filter(stage::Column::PipelineId.eq(pipelines[0].id))
        .order_by_asc(stage::Column::Position)
        .all(&t.db)
        .await
        .unwrap();
    assert_eq!(solution.iter().map(|s| s.win_rate_pct).collect::<Vec<_>>(), [10, 25, 40, 60, 80, 100, 0]);
    assert_eq!(solution.last().unwrap().kind, "lost");
    assert!(app::ssr::seed::existing_data(&t.db).await.unwrap().is_none());
}

#[tokio::test]
async fn sqlite_pragmas_are_set() {
    let t = fresh_db().await;
    if !app::ssr::db::is_sqlite(&t.db) {
        return;
    }
    let q = |sql: &'static str| {
        let db = t.db.clone();
        async move {
            let row = db.query_one_raw(sea_orm::Statement::from_string(db.get_database_backend(), sql)).await.unwrap().unwrap();
            row.try_get_by_index::<String>(0).or_else(|_| row.try_get_by_index::<i64>(0).map(|v| v.to_string())).unwrap()
        }
    };
    assert_eq!(q("PRAGMA journal_mode").await, "wal");
    assert_eq!(q("PRAGMA foreign_keys").await, "1");
}

#[tokio::test]
async fn seed_produces_the_demo_company() {
    let t = seeded().await;
    let db = &t.db;
    let users = user::Entity::find().all(db).await.unwrap();
    assert_eq!(users.len(), app::ssr::seed::DEMO_USERS.len());
    let roles: HashSet<Role> = users.iter().map(|u| Role::parse(&u.role).unwrap()).collect();
    assert_eq!(roles.len(), Role::ALL.len(), "one of each role at least");
    let teams = team::Entity::find().all(db).await.unwrap();
    assert_eq!(teams.len(), 2);
    let by_email: HashMap<&str, &user::Model> = users.iter().map(|u| (u.email.as_str(), u)).collect();
    let east = teams.iter().find(|t| t.name == "East").unwrap();
    assert_eq!(east.manager_id, Some(by_email["manager@demo.local"].id));
    assert_eq!(by_email["rep@demo.local"].team_id, Some(east.id));
    assert_eq!(by_email["presales@demo.local"].team_id, Some(east.id));
    assert_ne!(by_email["rep2@demo.local"].team_id, Some(east.id));
    assert_eq!(account::Entity::find().count(db).await.unwrap(), 60);
    let deals = deal::Entity::find().all(db).await.unwrap();
    assert_eq!(deals.len(), 120);
    // Spread over the stages: open, won and lost deals all present.
    let stages: HashMap<i32, stage::Model> = stage::Entity::find().all(db).await.unwrap().into_iter().map(|s| (s.id, s)).collect();
    let kinds: HashSet<&str> = deals.iter().map(|d| stages[&d.stage_id].kind.as_str()).collect();
    assert_eq!(kinds, HashSet::from(["open", "won", "lost"]));
    assert!(deals.iter().map(|d| d.stage_id).collect::<HashSet<_>>().len() >= 8);
    // The history replays to the current stage and amount of every deal.
    let history =
        deal_history::Entity::find().order_by_asc(deal_history::Column::At).order_by_asc(deal_history::Column::Id).all(db).await.unwrap();
    assert!(history.len() > deals.len() * 2);
    let mut replay: HashMap<i32, (Option<i32>, Option<i64>)> = HashMap::new();
    for h in &history {
        let e = replay.entry(h.deal_id).or_default();
        if let Some(to) = h.to_stage_id {
            e.0 = Some(to);
        }
        if let Some(a) = h.new_amount_fen {
            e.1 = Some(a);
        }
    }
    for d in &deals {
        assert_eq!(replay[&d.id], (Some(d.stage_id), Some(d.amount_fen)), "deal {}", d.id);
        assert_eq!(stages[&d.stage_id].pipeline_id, d.pipeline_id);
        if stages[&d.stage_id].kind == "lost" {
            assert!(d.lost_reason.is_some());
        }
    }
    // Every deal has its owner as a member.
    let members = deal_member::Entity::find().filter(deal_member::Column::Role.eq("owner")).count(db).await.unwrap();
    assert_eq!(members, 120);
    // Seeding is deterministic in shape and refuses a database with data.
    match app::ssr::seed::seed_demo(db).await {
        Err(app::ssr::seed::SeedError::HasData(_)) => {}
        other => panic!("expected HasData, got {other:?}"),
    }
}

#[tokio::test]
async fn login_with_right_and_wrong_password_and_rate_limit() {
    let t = seeded().await;
    let limiter = LoginLimiter::default();
    let u = authenticate(&t.db, &limiter, " Rep@Demo.local ", "dealgate", Some("10.0.0.1")).await.unwrap();
    assert_eq!(u.email, "rep@demo.local");
    assert_eq!(authenticate(&t.db, &limiter, "rep@demo.local", "wrong", None).await.unwrap_err(), AppError::BadCredentials);
    assert_eq!(authenticate(&t.db, &limiter, "nobody@demo.local", "dealgate", None).await.unwrap_err(), AppError::BadCredentials);
    assert_eq!(authenticate(&t.db, &limiter, "", "", None).await.unwrap_err(), AppError::BadCredentials);
    // Three failures of one account from one address: the next try from there waits, even
    // with the right password, and says how long.
    for _ in 0..ACCOUNT_FREE_FAILURES {
        let _ = authenticate(&t.db, &limiter, "rep2@demo.local", "guess", Some("10.0.0.9")).await;
    }
    match authenticate(&t.db, &limiter, "rep2@demo.local", "dealgate", Some("10.0.0.9")).await {
        Err(AppError::RateLimited { retry_after_secs }) => assert!((1..=FIRST_WAIT_SECS).contains(&retry_after_secs), "{retry_after_secs}"),
        other => panic!("expected a wait, got {other:?}"),
    }
    // The owner from another address is never held up by a stranger's failures.
    assert_eq!(authenticate(&t.db, &limiter, "rep2@demo.local", "dealgate", Some("10.0.0.1")).await.unwrap().email, "rep2@demo.local");
    // Other accounts are unaffected.
    assert!(authenticate(&t.db, &limiter, "manager@demo.local", "dealgate", None).await.is_ok());
    // Every failure is in the audit log (actor 0: nobody signed in), and the slow-down once.
    let logged = |action: &'static str| {
        app::ssr::entity::admin_audit::Entity::find().filter(app::ssr::entity::admin_audit::Column::Action.eq(action)).all(&t.db)
    };
    let failed = logged("user.login_failed").await.unwrap();
    assert_eq!(failed.len(), 2 + ACCOUNT_FREE_FAILURES as usize, "wrong password, unknown e-mail and three guesses");
    assert!(failed.iter().all(|r| r.actor_id == 0));
    let guesses: Vec<_> = failed.iter().filter(|r| r.after.as_deref().is_some_and(|a| a.contains("10.0.0.9"))).collect();
    assert_eq!(guesses.len(), ACCOUNT_FREE_FAILURES as usize);
    assert!(guesses.iter().all(|r| r.subject_id.is_some() && r.subject_label == "rep2@demo.local"));
    let throttled = logged("user.login_throttled").await.unwrap();
    assert_eq!(throttled.len(), 1);
    assert_eq!(throttled[0].after.as_deref(), Some(r#"{"address":"10.0.0.9","scope":"account"}"#));
    // A deactivated user cannot sign in.
    user::Entity::update_many()
        .col_expr(user::Column::Active, sea_orm::sea_query::Expr::value(false))
        .filter(user::Column::Email.eq("rep3@demo.local"))
        .exec(&t.db)
        .await
        .unwrap();
    assert_eq!(authenticate(&t.db, &limiter, "rep3@demo.local", "dealgate", None).await.unwrap_err(), AppError::BadCredentials);
}

#[tokio::test]
async fn sessions_expire() {
    use app::ssr::session_store::DbSessionStore;
    use tower_sessions::session::{Id, Record};
    use tower_sessions::session_store::ExpiredDeletion;
    use tower_sessions::SessionStore;
    let t = fresh_db().await;
    let store = DbSessionStore::new(t.db.conn().clone());
    let now = time::OffsetDateTime::now_utc();
    let mut data = HashMap::new();
    data.insert("uid".to_owned(), serde_json::json!(7));
    let live = Record { id: Id(1), data: data.clone(), expiry_date: now + time::Duration::hours(1) };
    let dead = Record { id: Id(2), data, expiry_date: now - time::Duration::seconds(1) };
    store.save(&live).await.unwrap();
    store.save(&dead).await.unwrap();
    let loaded = store.load(&Id(1)).await.unwrap().expect("live session loads");
    assert_eq!(loaded.data["uid"], serde_json::json!(7));
    assert!(store.load(&Id(2)).await.unwrap().is_none(), "an expired session is not loaded");
    // Saving again updates in place (the same id), e.g. when expiry is extended.
    let extended = Record { expiry_date: now + time::Duration::hours(2), ..dead.clone() };
    store.save(&extended).await.unwrap();
    assert!(store.load(&Id(2)).await.unwrap().is_some());
    store.save(&dead).await.unwrap();
    store.delete_expired().await.unwrap();
    let n = app::ssr::entity::session::Entity::find().count(&t.db).await.unwrap();
    assert_eq!(n, 1);
    store.delete(&Id(1)).await.unwrap();
    assert!(store.load(&Id(1)).await.unwrap().is_none());
}

#[tokio::test]
async fn a_rep_sees_only_their_team() {
    let t = seeded().await;
    let db = &t.db;
    let rep = ctx_for(db, "rep@demo.local").await;
    let exec = ctx_for(db, "exec@demo.local").await;
    let presales = ctx_for(db, "presales@demo.local").await;
    let manager2 = ctx_for(db, "manager2@demo.local").await;

    let all = service::deal::list(db, &exec, None, 1, 200).await.unwrap();
    assert_eq!(all.total, 120);
    let mine = service::deal::list(db, &rep, None, 1, 200).await.unwrap();
    assert!(mine.total > 0 && mine.total < 120);
    assert!(mine.rows.iter().all(|d| d.team == "East"), "a rep sees no West deal");
    let east_total = all.rows.iter().filter(|d| d.team == "East").count() as u64;
    assert_eq!(mine.total, east_total);
    let west = service::deal::list(db, &manager2, None, 1, 200).await.unwrap();
    assert!(west.rows.iter().all(|d| d.team == "West"));
    assert_eq!(west.total + east_total, 120);

    // A search cannot widen visibility.
    let west_name = west.rows[0].account.clone();
    let searched = service::deal::list(db, &rep, Some(west_name.clone()), 1, 200).await.unwrap();
    assert!(searched.rows.iter().all(|d| d.team == "East"));

    // Presales see only the deals they are members of.
    let ps = service::deal::list(db, &presales, None, 1, 200).await.unwrap();
    let member_deals = deal_member::Entity::find().filter(deal_member::Column::UserId.eq(presales.user_id)).count(db).await.unwrap();
    assert_eq!(ps.total, member_deals);
    assert!(ps.total > 0);

    // The stage summary sums only what the user may see.
    let s_rep = service::deal::pipeline_summary(db, &rep).await.unwrap();
    let s_exec = service::deal::pipeline_summary(db, &exec).await.unwrap();
    let n = |s: &app::domain::dto::PipelineSummary| s.stages.iter().map(|x| x.count).sum::<u64>();
    assert!(n(&s_rep) < n(&s_exec));

    // Accounts follow the same rule.
    let accts = service::account::list(db, &rep, None, 1, 200).await.unwrap();
    let east_id = team::Entity::find().filter(team::Column::Name.eq("East")).one(db).await.unwrap().unwrap().id;
    let east_accounts = account::Entity::find().filter(account::Column::TeamId.eq(east_id)).count(db).await.unwrap();
    assert_eq!(accts.total, east_accounts);
    assert!(accts.rows.iter().all(|a| a.team == "East"));

    // Only an admin reads the user list.
    assert_eq!(service::admin::overview(db, &rep).await.unwrap_err(), AppError::Forbidden);
    let admin = ctx_for(db, "admin@demo.local").await;
    assert_eq!(service::admin::overview(db, &admin).await.unwrap().users.len(), app::ssr::seed::DEMO_USERS.len());
}

#[tokio::test]
async fn backup_is_a_consistent_copy() {
    let t = seeded().await;
    if !app::ssr::db::is_sqlite(&t.db) {
        return;
    }
    let dir = std::env::temp_dir().join(format!("dg_backup_{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("copy.db");
    app::ssr::backup::backup(&t.db, &t.url, &file).await.unwrap();
    let copy = app::ssr::db::connect(&format!("sqlite://{}?mode=rw", file.display())).await.unwrap();
    assert_eq!(deal::Entity::find().count(&copy).await.unwrap(), 120);
    // Refuses to overwrite.
    assert!(app::ssr::backup::backup(&t.db, &t.url, &file).await.is_err());
    let _ = std::fs::remove_dir_all(dir);
}

/// A write transaction that reads first and writes later must not fail when another
/// connection (the session store, which writes outside `begin_write`) commits in between.
/// With a deferred BEGIN this raised SQLITE_BUSY_SNAPSHOT ("Something failed on our side").
#[tokio::test]
async fn write_transactions_survive_commits_from_other_connections() {
    use app::ssr::entity::session;
    use sea_orm::ActiveValue::Set;
    let t = fresh_db().await;
    let db = t.db.clone();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let (db, stop) = (db.clone(), stop.clone());
        tokio::spawn(async move {
            let mut n = 0u32;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let am = session::ActiveModel { id: Set(format!("s{n}")), data: Set("{}".into()), expiry_date: Set(chrono::Utc::now()) };
                session::Entity::insert(am).exec(&db).await.unwrap();
                n += 1;
                tokio::time::sleep(std::time::Duration::from_millis(1)).await;
            }
            n
        })
    };
    let backend = db.get_database_backend();
    for i in 0..40 {
        let txn = app::ssr::db::begin_write(&db).await.unwrap();
        session::Entity::find().count(&*txn).await.unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(3)).await;
        let sql = format!("UPDATE teams SET name = name WHERE name = 'never-{i}'");
        txn.execute_raw(sea_orm::Statement::from_string(backend, sql)).await.unwrap();
        txn.commit().await.unwrap();
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let inserted = writer.await.unwrap();
    assert!(inserted > 0, "the other connection wrote while the transactions ran");
    assert_eq!(session::Entity::find().count(&db).await.unwrap(), u64::from(inserted));
}
