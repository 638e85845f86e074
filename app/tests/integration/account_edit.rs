//! Account edits and merges through the services (SQLite and PostgreSQL): a stale or refused
//! edit writes nothing, an edit's history names each field from what to what, only a manager
//! or an admin hands an account over; a merge moves every row that hangs on the duplicate,
//! says so in the survivor's and each deal's history, deletes the duplicate and leaves board
//! totals and forecast cells exactly as they were; a rep cannot merge, another team's account
//! answers 404.
use crate::common::{ctx_for, seeded};
use app::domain::account::profile::{AccountEvent, AccountPatch, Field, Iso9000};
use app::domain::account::LeadSource;
use app::domain::dto::{NewAccount, NewDeal};
use app::domain::error::AppError;
use app::ssr::entity::{account, account_history, account_revisit, contact, deal, deal_history, deal_total, forecast_cell, team};
use app::ssr::service::{account as accounts, deal as deals};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

fn field(e: AppError) -> String {
    match e {
        AppError::Validation { field, .. } => field,
        other => panic!("expected a validation error, got {other:?}"),
    }
}

fn new(name: &str) -> NewAccount {
    NewAccount { name: name.into(), industry: "机械".into(), city: Some("苏州".into()), headcount: Some(300), revenue_fen: None }
}

#[tokio::test]
async fn edits_are_versioned_refusals_write_nothing_and_history_says_what_changed() {
    let t = seeded().await;
    let db = &t.db;
    let rep = ctx_for(db, "rep@demo.local").await;
    let manager = ctx_for(db, "manager@demo.local").await;
    let west = ctx_for(db, "rep2@demo.local").await;
    let exec = ctx_for(db, "exec@demo.local").await;
    let id = accounts::create(db, &rep, new("资料编辑测试机械")).await.unwrap().id;
    let v0 = accounts::get(db, &rep, id).await.unwrap();
    assert!(v0.history.is_empty());

    let edit = AccountPatch {
        headcount: Some(Some(450)),
        iso9000: Some(Some(Iso9000::InProgress)),
        lead_source: Some(Some(LeadSource::CustomerReferral)),
        main_products: Some(Some("数控机床".into())),
        computerised: Some(Some(true)),
        current_systems: Some(Some("用友 U8".into())),
        ..Default::default()
    };
    let rows = account_history::Entity::find().count(db).await.unwrap();
    // Refusals write nothing: a bad field, a stale version, a read-only role, another team.
    let bad = AccountPatch { headcount: Some(Some(-1)), ..edit.clone() };
    assert_eq!(field(accounts::edit(db, &rep, id, bad, v0.version).await.unwrap_err()), "headcount");
    let bad = AccountPatch { name: Some(" ".into()), ..edit.clone() };
    assert_eq!(field(accounts::edit(db, &rep, id, bad, v0.version).await.unwrap_err()), "name");
    assert_eq!(accounts::edit(db, &rep, id, edit.clone(), v0.version - 1).await.unwrap_err(), AppError::Conflict);
    assert_eq!(accounts::edit(db, &exec, id, edit.clone(), v0.version).await.unwrap_err(), AppError::Forbidden);
    assert_eq!(accounts::edit(db, &west, id, edit.clone(), v0.version).await.unwrap_err(), AppError::NotFound);
    assert_eq!(account_history::Entity::find().count(db).await.unwrap(), rows);
    let same = accounts::get(db, &rep, id).await.unwrap();
    assert_eq!((same.version, same.headcount, same.profile.iso9000), (v0.version, Some(300), None));

    let v1 = accounts::edit(db, &rep, id, edit.clone(), v0.version).await.unwrap();
    assert_eq!(v1.version, v0.version + 1);
    assert_eq!(v1.headcount, Some(450));
    assert_eq!(v1.profile.iso9000, Some(Iso9000::InProgress));
    assert_eq!(v1.profile.lead_source, Some(LeadSource::CustomerReferral));
    assert_eq!(v1.history.len(), 1);
    let h = &v1.history[0];
    assert_eq!((h.event, h.by.as_str()), (AccountEvent::Edited, "张磊"));
    let changed: Vec<Field> = h.changes.iter().map(|c| c.field).collect();
    assert_eq!(
        changed,
        [Field::Headcount, Field::MainProducts, Field::Iso9000, Field::Computerised, Field::CurrentSystems, Field::LeadSource]
    );
    assert_eq!((h.changes[0].from.as_deref(), h.changes[0].to.as_deref()), (Some("300"), Some("450")));
    // The same values again change nothing: no version, no row.
    let v2 = accounts::edit(db, &rep, id, edit, v1.version).await.unwrap();
    assert_eq!((v2.version, v2.history.len()), (v1.version, 1));

    // The owner: a rep may not hand it over; the manager may, within the team; the row says who.
    let rep3 = app::ssr::entity::user::Entity::find()
        .filter(app::ssr::entity::user::Column::Email.eq("rep3@demo.local"))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let rep4 = app::ssr::entity::user::Entity::find()
        .filter(app::ssr::entity::user::Column::Email.eq("rep4@demo.local"))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let give = |u: uuid::Uuid| AccountPatch { owner: Some(u), ..Default::default() };
    assert_eq!(accounts::edit(db, &rep, id, give(rep3.uuid), v2.version).await.unwrap_err(), AppError::Forbidden);
    assert_eq!(
        field(accounts::edit(db, &manager, id, give(rep4.uuid), v2.version).await.unwrap_err()),
        "owner",
        "West is not the manager's"
    );
    let v3 = accounts::edit(db, &manager, id, give(rep3.uuid), v2.version).await.unwrap();
    assert_eq!(v3.owner, rep3.name);
    assert_eq!(v3.history[0].changes[0].field, Field::Owner);
    assert_eq!(v3.history[0].changes[0].to.as_deref(), Some(rep3.name.as_str()));
}

/// Board totals and forecast cells, whole and sorted.
async fn figures(db: &app::ssr::db::Db) -> (Vec<(i32, i32, i32, i32, i64, i64)>, Vec<String>) {
    let totals = deal_total::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|t| (t.pipeline_id, t.stage_id, t.team_id, t.owner_id, t.n, t.amount_fen))
        .filter(|t| t.4 != 0)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut cells: Vec<String> =
        forecast_cell::Entity::find().all(db).await.unwrap().into_iter().filter(|c| c.n != 0).map(|c| format!("{c:?}")).collect();
    cells.sort();
    (totals, cells)
}

#[tokio::test]
async fn a_merge_moves_everything_says_so_and_keeps_the_figures() {
    let t = seeded().await;
    let db = &t.db;
    let rep = ctx_for(db, "rep@demo.local").await;
    let manager = ctx_for(db, "manager@demo.local").await;
    let manager2 = ctx_for(db, "manager2@demo.local").await;
    let today = app::ssr::service::account::cadence::today();

    // Two demo accounts of the East team with deals on them.
    let east = team::Entity::find().filter(team::Column::Name.eq("East")).one(db).await.unwrap().unwrap().id;
    let mut with_deals = Vec::new();
    for a in account::Entity::find().filter(account::Column::TeamId.eq(east)).order_by_asc(account::Column::Id).all(db).await.unwrap() {
        if deal::Entity::find().filter(deal::Column::AccountId.eq(a.id)).count(db).await.unwrap() > 0 {
            with_deals.push(a);
        }
        if with_deals.len() == 2 {
            break;
        }
    }
    let (s, d) = (with_deals.remove(0), with_deals.remove(0));
    // One more deal on the duplicate, of the rep's, through the one create path.
    deals::create(
        db,
        &rep,
        NewDeal {
            name: "合并前的商机".into(),
            account: d.uuid,
            pipeline: None,
            owner: None,
            amount_fen: 12_300_000,
            currency: None,
            close_date: today + chrono::Days::new(60),
        },
    )
    .await
    .unwrap();
    let count = |e: i32| async move {
        (
            deal::Entity::find().filter(deal::Column::AccountId.eq(e)).count(db).await.unwrap(),
            contact::Entity::find().filter(contact::Column::AccountId.eq(e)).count(db).await.unwrap(),
            account_revisit::Entity::find().filter(account_revisit::Column::AccountId.eq(e)).count(db).await.unwrap(),
        )
    };
    let (sd, sc, sr) = count(s.id).await;
    let (dd, dc, dr) = count(d.id).await;
    assert!(dd >= 2 && dc >= 1);
    let before = figures(db).await;
    let moved: Vec<i32> =
        deal::Entity::find().filter(deal::Column::AccountId.eq(d.id)).all(db).await.unwrap().into_iter().map(|x| x.id).collect();

    // Refusals write nothing.
    assert_eq!(accounts::merge(db, &rep, s.uuid, d.uuid).await.unwrap_err(), AppError::Forbidden, "a rep cannot merge");
    assert_eq!(accounts::merge(db, &manager2, s.uuid, d.uuid).await.unwrap_err(), AppError::NotFound, "another team's");
    assert_eq!(field(accounts::merge(db, &manager, s.uuid, s.uuid).await.unwrap_err()), "duplicate");
    assert_eq!(accounts::merge(db, &manager, s.uuid, uuid::Uuid::new_v4()).await.unwrap_err(), AppError::NotFound);
    assert_eq!(count(d.id).await, (dd, dc, dr));

    let p = accounts::merge_preview(db, &manager, s.uuid, d.uuid).await.unwrap();
    assert_eq!((p.moves.deals, p.moves.contacts, p.moves.revisits), (dd, dc, dr));
    assert_eq!(p.moves.duplicate, d.name);

    let v = accounts::merge(db, &manager, s.uuid, d.uuid).await.unwrap();
    assert_eq!(count(s.id).await, (sd + dd, sc + dc, sr + dr));
    assert_eq!(count(d.id).await, (0, 0, 0));
    assert!(account::Entity::find_by_id(d.id).one(db).await.unwrap().is_none(), "the duplicate is gone");
    assert_eq!(accounts::get(db, &manager, d.uuid).await.unwrap_err(), AppError::NotFound);
    assert!(v.deals.iter().any(|x| x.name == "合并前的商机"));
    let h = &v.history[0];
    assert_eq!(h.event, AccountEvent::Merged);
    assert_eq!(h.merged.as_ref().map(|m| (m.duplicate.clone(), m.deals)), Some((d.name.clone(), dd)));
    for id in moved {
        let rows = deal_history::Entity::find()
            .filter(deal_history::Column::DealId.eq(id))
            .filter(deal_history::Column::Kind.eq("account_merged"))
            .all(db)
            .await
            .unwrap();
        assert_eq!(rows.len(), 1, "deal {id}'s history says it moved");
        assert_eq!(rows[0].note.as_deref(), Some(format!("{} → {}", d.name, s.name).as_str()));
    }
    assert_eq!(figures(db).await, before, "board totals and forecast cells unchanged");
    assert_eq!(v.last_contact_on, s.last_contact_on.max(d.last_contact_on));
}

/// Account and contact changes are announced after commit to the account's team (and, on a
/// handover, to the new team too), naming the account; a refused edit announces nothing. On
/// PostgreSQL the events travel through NOTIFY, so the test listens as a server does.
#[tokio::test]
async fn account_changes_are_announced_to_the_accounts_teams() {
    use app::ssr::events::{self, AccountChange, Event};
    use std::time::Duration;
    let t = seeded().await;
    let db = &t.db;
    let mut rx = events::subscribe(db);
    if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        events::spawn_postgres_listener(db, t.url.clone());
        // Wait until the listener hears: a probe published until it comes back.
        let probe = || Event { kind: "probe".into(), deal: uuid::Uuid::nil(), account: None, team_id: events::EVERYONE, actor: 0 };
        let mut heard = false;
        for _ in 0..50 {
            events::publish(db, probe()).await;
            if let Ok(Ok(_)) = tokio::time::timeout(Duration::from_millis(100), rx.recv()).await {
                heard = true;
                break;
            }
        }
        assert!(heard, "the NOTIFY listener never started");
        tokio::time::sleep(Duration::from_millis(300)).await;
        while rx.try_recv().is_ok() {}
    }
    let mut next = async || -> Event { tokio::time::timeout(Duration::from_secs(5), rx.recv()).await.unwrap().unwrap() };
    let rep = ctx_for(db, "rep@demo.local").await;
    let east = rep.team_id.unwrap();

    let id = accounts::create(db, &rep, new("实时事件测试机械")).await.unwrap().id;
    let e = next().await;
    assert_eq!((e.kind.as_str(), e.account, e.team_id, e.actor), (AccountChange::Created.code(), Some(id), east, rep.user_id));
    assert!(e.deal.is_nil());

    let v = accounts::get(db, &rep, id).await.unwrap().version;
    let stale = AccountPatch { headcount: Some(Some(10)), ..Default::default() };
    assert_eq!(accounts::edit(db, &rep, id, stale.clone(), v + 7).await.unwrap_err(), AppError::Conflict);
    accounts::edit(db, &rep, id, stale, v).await.unwrap();
    let e = next().await;
    assert_eq!((e.kind.as_str(), e.account), (AccountChange::Updated.code(), Some(id)), "the refused edit announced nothing");

    let c = app::domain::dto::NewContact { name: "周实时".into(), title: None, department: None, phone: None, email: None };
    accounts::create_contact(db, &rep, id, c).await.unwrap();
    let e = next().await;
    assert_eq!((e.kind.as_str(), e.account, e.team_id), (AccountChange::Contact.code(), Some(id), east));

    // A handover to another team's rep: the old team hears, then the new one.
    let west = ctx_for(db, "rep2@demo.local").await;
    let admin = ctx_for(db, "admin@demo.local").await;
    let v = accounts::get(db, &admin, id).await.unwrap().version;
    let hand = AccountPatch { owner: Some(west.uuid), ..Default::default() };
    accounts::edit(db, &admin, id, hand, v).await.unwrap();
    let teams = [next().await.team_id, next().await.team_id];
    assert_eq!(teams, [east, west.team_id.unwrap()]);
}
