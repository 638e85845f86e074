//! A fresh, migrated database per test: a temporary SQLite file, or — when
#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `TEST_DATABASE_URL` points at a PostgreSQL server — a new database on it.
#![allow(dead_code)]
use sea_orm::{ConnectionTrait, DatabaseConnection};

pub struct TestDb {
    pub db: DatabaseConnection,
    pub url: String,
    cleanup: Option<std::path::PathBuf>,
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(dir) = self.cleanup.take() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

pub async fn fresh_db() -> TestDb {
    let name = format!("dg_test_{}", uuid::Uuid::new_v4().simple());
    let (url, cleanup) = match std::env::var("TEST_DATABASE_URL") {
        Ok(admin_url) if !admin_url.is_empty() => {
            let admin = app::ssr::db::connect(&admin_url).await.expect("connect to TEST_DATABASE_URL");
            admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.expect("create test database");
            let base = admin_url.rsplit_once('/').map(|(b, _)| b.to_owned()).expect("URL has a database path");
            (format!("{base}/{name}"), None)
        }
        _ => {
            let dir = std::env::temp_dir().join(&name);
            std::fs::create_dir_all(&dir).expect("temp dir");
            (format!("sqlite://{}/test.db?mode=rwc", dir.display()), Some(dir))
        }
    };
    let db = app::ssr::db::connect(&url).await.expect("connect");
    app::ssr::db::migrate(&db).await.expect("migrate");
    app::ssr::seed::ensure_reference_data(&db).await.expect("reference data");
    TestDb { db, url, cleanup }
}

pub async fn seeded() -> TestDb {
    let t = fresh_db().await;
    app::ssr::seed::seed_demo(&t.db).await.expect("seed demo");
    t
}

pub async fn ctx_for(db: &DatabaseConnection, email: &str) -> app::ssr::context::RequestContext {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let u = app::ssr::entity::user::Entity::find().filter(app::ssr::entity::user::Column::Email.eq(email)).one(db).await.unwrap().unwrap();
    app::ssr::context::RequestContext::load(db, u.id).await.unwrap().unwrap()
}
