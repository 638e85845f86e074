#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(dead_code)]
//! Test helpers over `app::ssr::testdb` (shared with the server's REST tests).
use sea_orm::DatabaseConnection;

pub use app::ssr::testdb::TestDb;

pub async fn fresh_db() -> TestDb {
    app::ssr::testdb::fresh_db().await.expect("a fresh test database")
}

pub async fn seeded() -> TestDb {
    app::ssr::testdb::seeded().await.expect("a seeded test database")
}

pub async fn ctx_for(db: &DatabaseConnection, email: &str) -> app::ssr::context::RequestContext {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let u = app::ssr::entity::user::Entity::find().filter(app::ssr::entity::user::Column::Email.eq(email)).one(db).await.unwrap().unwrap();
    app::ssr::context::RequestContext::load(db, u.id).await.unwrap().unwrap()
}
