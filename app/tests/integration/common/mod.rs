#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(dead_code)]
//! Test helpers over `app::ssr::testdb` (shared with the server's REST tests).
use app::ssr::db::Db;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

pub use app::ssr::testdb::TestDb;

pub async fn fresh_db() -> TestDb {
    app::ssr::testdb::fresh_db().await.expect("a fresh test database")
}

pub async fn seeded() -> TestDb {
    app::ssr::testdb::seeded().await.expect("a seeded test database")
}

pub async fn ctx_for(db: &Db, email: &str) -> app::ssr::context::RequestContext {
    let u = app::ssr::entity::user::Entity::find().filter(app::ssr::entity::user::Column::Email.eq(email)).one(db).await.unwrap().unwrap();
    app::ssr::context::RequestContext::load(db, u.id).await.unwrap().unwrap()
}

/// Puts one contact of the deal's account on its map as the decision maker (the solution
/// pipeline's stage 3 requires one).
pub async fn add_decision_maker(db: &Db, ctx: &app::ssr::context::RequestContext, deal: uuid::Uuid) {
    use app::ssr::service::map;
    let m = map::get(db, ctx, deal).await.unwrap();
    let someone = m.people.first().map(|p| p.contact_id).or(m.candidates.first().map(|c| c.id)).expect("the account has a contact");
    let dm = app::domain::dto::MapPersonInput {
        contact_id: someone,
        reports_to: None,
        role: Some("decision_maker".into()),
        influence_pct: 100,
        attitude: Some("supporter".into()),
        relationship: Some(4),
        last_contact: Some(chrono::Utc::now().date_naive()),
    };
    map::put(db, ctx, deal, vec![dm]).await.unwrap();
}

/// Attaches a demo checklist and ticks every item (the solution pipeline's stage 4 needs it).
pub async fn complete_demo_checklist(db: &Db, ctx: &app::ssr::context::RequestContext, deal: uuid::Uuid) {
    use app::ssr::service::checklist;
    let c = checklist::attach(db, ctx, deal, "demo").await.unwrap();
    for i in &c.items {
        let edit = app::domain::dto::ChecklistItemEdit { version: i.version, done: Some(true), ..Default::default() };
        checklist::edit_item(db, ctx, i.id, edit).await.unwrap();
    }
}

/// An approved quote on the deal (one free-text line, no discount: the owner's manager
/// approves), so the stages that need one let the deal in.
pub async fn approved_quote(db: &Db, owner: &app::ssr::context::RequestContext, deal: uuid::Uuid) {
    use app::domain::quote::dto::{QuoteDraft, QuoteLineInput};
    use app::ssr::service::{approval, quote};
    let line = QuoteLineInput {
        description: Some("Licences and services".into()),
        unit: Some("lot".into()),
        qty_centi: 100,
        unit_price_fen: Some(10_000_000),
        ..Default::default()
    };
    let q = quote::create(db, owner, deal, QuoteDraft { lines: vec![line], ..Default::default() }).await.unwrap();
    let q = quote::submit(db, owner, q.id, q.version).await.unwrap();
    let a = app::ssr::entity::approval::Entity::find()
        .filter(app::ssr::entity::approval::Column::Uuid.eq(q.approval_id.unwrap()))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let approver = app::ssr::context::RequestContext::load(db, a.approver_id.unwrap()).await.unwrap().unwrap();
    approval::decide(db, &approver, a.uuid, true, None).await.unwrap();
}
