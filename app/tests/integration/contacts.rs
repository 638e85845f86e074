#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Contacts outside the committee map and the quota grid, through the services (SQLite, or
//! PostgreSQL with TEST_DATABASE_URL): the list shows only the contacts of accounts the user
//! sees; an edit under a stale version or with a bad field writes nothing; a contact on a
//! committee cannot be deleted; creating a person from the map and adding them is one
//! transaction; the quota grid saves all its cells or none.
use crate::common::{ctx_for, seeded};
use app::domain::account::contact::{ContactPatch, ContactSort};
use app::domain::dto::{NewAccount, NewContact};
use app::domain::error::AppError;
use app::domain::quota_grid::QuotaCellEdit;
use app::ssr::entity::{contact, deal, quota};
use app::ssr::service::account::contacts::{self, ContactQuery};
use app::ssr::service::{account, map, quota as quotas};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

fn person(name: &str) -> NewContact {
    NewContact {
        name: name.into(),
        title: Some("采购经理".into()),
        department: Some("采购部".into()),
        phone: Some("021-5555 0101".into()),
        email: None,
    }
}

fn q(search: &str) -> ContactQuery {
    ContactQuery { search: Some(search.into()), page: 1, per_page: 200, ..Default::default() }
}

#[tokio::test]
async fn the_list_shows_only_contacts_of_visible_accounts() {
    let t = seeded().await;
    let db = &t.db;
    let rep = ctx_for(db, "rep@demo.local").await;
    let mate = ctx_for(db, "rep3@demo.local").await;
    let west = ctx_for(db, "rep2@demo.local").await;
    let admin = ctx_for(db, "admin@demo.local").await;
    let new = NewAccount {
        name: "联系人可见性精密机械".into(), industry: "机械".into(), city: None, headcount: None, revenue_fen: None
    };
    let acct = account::create(db, &rep, new).await.unwrap();
    let c = account::create_contact(db, &rep, acct.id, person("可见性测试人")).await.unwrap();
    assert_eq!(c.version, 1);

    // By the person's name and by the account's name; the teammate too; the West rep never.
    for who in [&rep, &mate, &admin] {
        let p = contacts::list(db, who, q("可见性测试人")).await.unwrap();
        assert_eq!(p.rows.iter().map(|r| r.contact.id).collect::<Vec<_>>(), vec![c.id]);
        assert_eq!(p.rows[0].account_name, "联系人可见性精密机械");
        assert_eq!(contacts::list(db, who, q("联系人可见性")).await.unwrap().total, 1);
    }
    assert_eq!(contacts::list(db, &west, q("可见性测试人")).await.unwrap().total, 0);
    // Naming the account does not open it either.
    let by_account = ContactQuery { account: Some(acct.id), page: 1, per_page: 50, ..Default::default() };
    assert_eq!(contacts::list(db, &west, by_account.clone()).await.unwrap().total, 0);
    assert_eq!(contacts::list(db, &rep, by_account).await.unwrap().total, 1);
    // Nor editing or deleting by id.
    let edit = ContactPatch { title: Some("总监".into()), ..Default::default() };
    assert_eq!(contacts::update(db, &west, c.id, edit, 1).await.unwrap_err(), AppError::NotFound);
    assert_eq!(contacts::delete(db, &west, c.id).await.unwrap_err(), AppError::NotFound);

    // Nothing the West rep lists belongs to an account they cannot see.
    let all =
        contacts::list(db, &west, ContactQuery { sort: ContactSort::Account, page: 1, per_page: 200, ..Default::default() }).await.unwrap();
    for r in &all.rows {
        account::visible(db, &west, r.contact.account_id).await.unwrap();
    }
    // Sorted by account name, then name.
    let keys: Vec<(String, String)> = all.rows.iter().map(|r| (r.account_name.clone(), r.contact.name.clone())).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
}

#[tokio::test]
async fn an_edit_under_a_stale_version_or_with_a_bad_field_writes_nothing() {
    let t = seeded().await;
    let db = &t.db;
    let rep = ctx_for(db, "rep@demo.local").await;
    let exec = ctx_for(db, "exec@demo.local").await;
    let new = NewAccount {
        name: "联系人编辑测试有限公司".into(), industry: "电子".into(), city: None, headcount: None, revenue_fen: None
    };
    let acct = account::create(db, &rep, new).await.unwrap();
    let c = account::create_contact(db, &rep, acct.id, person("编辑测试人")).await.unwrap();
    let stored = || async { contact::Entity::find().filter(contact::Column::Uuid.eq(c.id)).one(db).await.unwrap().unwrap() };

    let edit = ContactPatch { title: Some("财务总监".into()), phone: Some(String::new()), ..Default::default() };
    let saved = contacts::update(db, &rep, c.id, edit.clone(), 1).await.unwrap();
    assert_eq!((saved.title.as_deref(), saved.phone.as_deref(), saved.version), (Some("财务总监"), None, 2));
    assert_eq!(saved.department.as_deref(), Some("采购部"), "left out, kept");

    // The same edit under version 1 again: a conflict, the row as it was.
    let before = stored().await;
    let stale = ContactPatch { title: Some("覆盖".into()), ..Default::default() };
    assert_eq!(contacts::update(db, &rep, c.id, stale, 1).await.unwrap_err(), AppError::Conflict);
    // A bad field names itself.
    for (patch, field) in [
        (ContactPatch { name: Some("  ".into()), ..Default::default() }, "name"),
        (ContactPatch { email: Some("not-an-address".into()), ..Default::default() }, "email"),
        (ContactPatch { phone: Some("call me".into()), ..Default::default() }, "phone"),
        (ContactPatch { title: Some("职".repeat(101)), ..Default::default() }, "title"),
    ] {
        match contacts::update(db, &rep, c.id, patch, 2).await.unwrap_err() {
            AppError::Validation { field: f, .. } => assert_eq!(f, field),
            other => panic!("{field}: {other:?}"),
        }
    }
    // A read-only role sees the contact but may not change it.
    assert_eq!(contacts::update(db, &exec, c.id, ContactPatch::default(), 2).await.unwrap_err(), AppError::Forbidden);
    assert_eq!(stored().await, before);
}

#[tokio::test]
async fn a_contact_on_a_committee_cannot_be_deleted() {
    let t = seeded().await;
    let db = &t.db;
    let rep = ctx_for(db, "rep@demo.local").await;
    let d =
        deal::Entity::find().filter(deal::Column::OwnerId.eq(rep.user_id)).order_by_asc(deal::Column::Id).one(db).await.unwrap().unwrap();
    let m = map::create_person(db, &rep, d.uuid, person("决策链上的人"), None).await.unwrap();
    let on_map = m.people.iter().find(|p| p.name == "决策链上的人").expect("added to the map").contact_id;
    let n = contact::Entity::find().count(db).await.unwrap();

    assert_eq!(contacts::delete(db, &rep, on_map).await.unwrap_err(), AppError::InUse { deals: 1 });
    assert_eq!(contact::Entity::find().count(db).await.unwrap(), n);
    let listed = contacts::list(db, &rep, q("决策链上的人")).await.unwrap();
    assert_eq!(listed.rows[0].deals, 1);

    map::remove_person(db, &rep, d.uuid, on_map).await.unwrap();
    contacts::delete(db, &rep, on_map).await.unwrap();
    assert_eq!(contact::Entity::find().count(db).await.unwrap(), n - 1);
    assert_eq!(contacts::delete(db, &rep, on_map).await.unwrap_err(), AppError::NotFound);
}

#[tokio::test]
async fn creating_a_person_from_the_map_is_one_transaction() {
    let t = seeded().await;
    let db = &t.db;
    let rep = ctx_for(db, "rep@demo.local").await;
    let exec = ctx_for(db, "exec@demo.local").await;
    let d =
        deal::Entity::find().filter(deal::Column::OwnerId.eq(rep.user_id)).order_by_asc(deal::Column::Id).one(db).await.unwrap().unwrap();
    let n = contact::Entity::find().count(db).await.unwrap();

    // A boss who is not on the map: the add is refused, and no contact is left behind.
    let nobody = Some(uuid::Uuid::new_v4());
    match map::create_person(db, &rep, d.uuid, person("孤儿测试"), nobody).await.unwrap_err() {
        AppError::Validation { field, .. } => assert_eq!(field, "reports_to"),
        other => panic!("{other:?}"),
    }
    // Someone who sees the deal but may not work it: refused, nothing written.
    assert!(map::create_person(db, &exec, d.uuid, person("孤儿测试"), None).await.is_err());
    // A bad contact: refused on its field.
    match map::create_person(db, &rep, d.uuid, person(" "), None).await.unwrap_err() {
        AppError::Validation { field, .. } => assert_eq!(field, "name"),
        other => panic!("{other:?}"),
    }
    assert_eq!(contact::Entity::find().count(db).await.unwrap(), n);
    assert_eq!(contact::Entity::find().filter(contact::Column::Name.eq("孤儿测试")).count(db).await.unwrap(), 0);

    // Accepted: the contact and the map row together.
    let m = map::create_person(db, &rep, d.uuid, person("孤儿测试"), None).await.unwrap();
    assert!(m.people.iter().any(|p| p.name == "孤儿测试"));
    assert_eq!(contact::Entity::find().count(db).await.unwrap(), n + 1);
}

#[tokio::test]
async fn the_quota_grid_saves_every_cell_or_none() {
    let t = seeded().await;
    let db = &t.db;
    let manager = ctx_for(db, "manager@demo.local").await;
    let rep = ctx_for(db, "rep@demo.local").await;
    let admin = ctx_for(db, "admin@demo.local").await;
    let year = 2031;

    let g = quotas::grid(db, &manager, year).await.unwrap();
    let emails: Vec<&str> = g.rows.iter().map(|r| r.email.as_str()).collect();
    assert!(emails.contains(&"rep@demo.local") && !emails.contains(&"rep2@demo.local"), "{emails:?}");
    assert!(g.rows.iter().all(|r| r.cells.iter().all(|c| c.amount_fen.is_none())));
    assert!(quotas::grid(db, &admin, year).await.unwrap().rows.iter().any(|r| r.email == "rep2@demo.local"));
    assert_eq!(quotas::grid(db, &rep, year).await.unwrap_err(), AppError::Forbidden);
    assert!(matches!(quotas::grid(db, &manager, 1800).await.unwrap_err(), AppError::Validation { ref field, .. } if field == "year"));

    let me = g.rows.iter().find(|r| r.email == "rep@demo.local").unwrap().user_id;
    let west = quotas::grid(db, &admin, year).await.unwrap().rows.into_iter().find(|r| r.email == "rep2@demo.local").unwrap().user_id;
    let n = quota::Entity::find().count(db).await.unwrap();
    let cell = |user_id, quarter, amount_fen| QuotaCellEdit { user_id, quarter, amount_fen, read_version: None };

    // One refused cell (another team's rep; a negative amount; no such quarter): nothing saved.
    for bad in [cell(west, 0, 100), cell(me, 1, -1), cell(me, 4, 100)] {
        let r = quotas::save_grid(db, &manager, year, vec![cell(me, 0, 300_000_000), bad.clone()]).await.unwrap();
        assert_eq!(r.errors.len(), 1, "{bad:?}");
        assert_eq!((r.errors[0].user_id, r.errors[0].quarter), (bad.user_id, bad.quarter));
        assert_eq!(quota::Entity::find().count(db).await.unwrap(), n, "{bad:?}");
    }

    let r = quotas::save_grid(db, &manager, year, vec![cell(me, 0, 300_000_000), cell(me, 3, 120_000_050)]).await.unwrap();
    assert!(r.errors.is_empty());
    let row = r.grid.rows.iter().find(|r| r.user_id == me).unwrap();
    assert_eq!(row.cells.map(|c| c.amount_fen), [Some(300_000_000), None, None, Some(120_000_050)]);
    assert_eq!(row.total(), 420_000_050);
    // Saving a cell again replaces it.
    let r = quotas::save_grid(db, &manager, year, vec![cell(me, 0, 100)]).await.unwrap();
    assert_eq!(r.grid.rows.iter().find(|r| r.user_id == me).unwrap().cells[0].amount_fen, Some(100));
    assert_eq!(quota::Entity::find().count(db).await.unwrap(), n + 2);

    // Two editors read the grid; the second saves over the first's newer figure: refused as a
    // conflict, nothing of that save written, the answer shows the first editor's figure.
    let read = r.grid.rows.iter().find(|r| r.user_id == me).unwrap().cells;
    let versioned =
        |quarter: u8, amount_fen, read_version| QuotaCellEdit { user_id: me, quarter, amount_fen, read_version: Some(read_version) };
    let v0 = read[0].version.unwrap();
    let first = quotas::save_grid(db, &admin, year, vec![versioned(0, 500, v0)]).await.unwrap();
    assert!(first.errors.is_empty(), "{:?}", first.errors);
    let second = quotas::save_grid(db, &manager, year, vec![versioned(1, 700, 0), versioned(0, 600, v0)]).await.unwrap();
    assert_eq!(second.errors.iter().map(|e| e.quarter).collect::<Vec<_>>(), vec![0]);
    let now = second.grid.rows.iter().find(|r| r.user_id == me).unwrap().cells;
    assert_eq!((now[0].amount_fen, now[1].amount_fen), (Some(500), None), "the refused save wrote nothing");
    // A cell read empty that someone filled meanwhile is a conflict too; read again, it saves.
    quotas::save_grid(db, &admin, year, vec![versioned(2, 900, 0)]).await.unwrap();
    let late = quotas::save_grid(db, &manager, year, vec![versioned(2, 950, 0)]).await.unwrap();
    assert_eq!(late.errors.len(), 1);
    let v2 = late.grid.rows.iter().find(|r| r.user_id == me).unwrap().cells[2].version.unwrap();
    let again = quotas::save_grid(db, &manager, year, vec![versioned(2, 950, v2)]).await.unwrap();
    assert!(again.errors.is_empty());
    assert_eq!(again.grid.rows.iter().find(|r| r.user_id == me).unwrap().cells[2].amount_fen, Some(950));
}

#[tokio::test]
async fn contact_changes_are_in_the_account_history_in_words() {
    use app::domain::account::profile::AccountEvent;
    use app::domain::locale::Locale;
    let t = seeded().await;
    let db = &t.db;
    let rep = ctx_for(db, "rep@demo.local").await;
    let new = NewAccount {
        name: "联系人历史精密机械".into(), industry: "机械".into(), city: None, headcount: None, revenue_fen: None
    };
    let acct = account::create(db, &rep, new).await.unwrap();
    let c = account::create_contact(db, &rep, acct.id, person("历史测试人")).await.unwrap();
    let edit = ContactPatch { title: Some("总经理".into()), phone: Some(String::new()), ..Default::default() };
    let c = contacts::update(db, &rep, c.id, edit, c.version).await.unwrap();
    // A save that changes nothing writes no history row.
    contacts::update(db, &rep, c.id, ContactPatch::default(), c.version).await.unwrap();
    // A refused edit writes none either.
    let bad = ContactPatch { email: Some("not-an-address".into()), ..Default::default() };
    assert!(contacts::update(db, &rep, c.id, bad, c.version + 1).await.is_err());
    contacts::delete(db, &rep, c.id).await.unwrap();

    let view = account::get(db, &rep, acct.id).await.unwrap();
    let events: Vec<AccountEvent> = view.history.iter().map(|h| h.event).collect();
    assert_eq!(events, vec![AccountEvent::ContactDeleted, AccountEvent::ContactEdited, AccountEvent::ContactAdded], "newest first");
    assert!(view.history.iter().all(|h| h.by == "张磊"));
    let edited = view.history[1].contact.as_ref().unwrap();
    assert_eq!(
        edited.text(AccountEvent::ContactEdited, Locale::En),
        "Contact “历史测试人” edited: Title: 采购经理 → 总经理; Phone: 021-5555 0101 → —"
    );
    assert_eq!(
        edited.text(AccountEvent::ContactEdited, Locale::ZhCn),
        "修改联系人“历史测试人”：职务：采购经理 → 总经理；电话：021-5555 0101 → —"
    );
    let added = view.history[2].contact.as_ref().unwrap();
    assert_eq!(added.changes.len(), 4, "name, title, department, phone: {added:?}");
    assert_eq!(view.history[0].contact.as_ref().unwrap().headline(AccountEvent::ContactDeleted, Locale::ZhCn), "删除联系人“历史测试人”");

    // A refused create writes no history row.
    assert!(account::create_contact(db, &rep, acct.id, person("")).await.is_err());
    assert_eq!(account::get(db, &rep, acct.id).await.unwrap().history.len(), 3);
}
