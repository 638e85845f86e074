//! Contacts (联系人) outside the committee map: the `/contacts` list over every account the
//! user sees, and creating, editing and deleting one. Visibility is the account's
//! (`access::account_visibility`); changing needs an account editor; the rule of what a
//! contact must say is `domain::account::contact::check`, for create and edit alike. Every
//! change is a row of the account's history, in the same transaction.
use super::super::access::{account_visibility, require_account_editor};
use super::super::{like_pattern, paging};
use crate::domain::account::contact::{check, ContactListRow, ContactNote, ContactPage, ContactPatch, ContactSort};
use crate::domain::account::profile::AccountEvent;
use crate::domain::dto::{ContactRow, NewContact};
use crate::domain::error::AppError;
use crate::ssr::context::RequestContext;
use crate::ssr::db::Db;
use crate::ssr::db_err;
use crate::ssr::entity::{account, contact, deal_contact, objection, quote};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, JoinType, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    RelationTrait,
};
use std::collections::{BTreeSet, HashMap};

/// What the list asks for; `page` from 1, `per_page` clamped like every list.
#[derive(Clone, Debug, Default)]
pub struct ContactQuery {
    pub search: Option<String>,
    pub account: Option<uuid::Uuid>,
    pub sort: ContactSort,
    pub page: u64,
    pub per_page: u64,
}

pub(in crate::ssr::service) fn row(c: contact::Model, account: uuid::Uuid) -> ContactRow {
    ContactRow {
        id: c.uuid,
        account_id: account,
        name: c.name,
        title: c.title,
        department: c.department,
        phone: c.phone,
        email: c.email,
        version: c.version,
    }
}

fn locale(ctx: &RequestContext) -> crate::domain::locale::Locale {
    ctx.locale.unwrap_or_default()
}

/// The contacts on the accounts the user sees, one page.
pub async fn list(db: &Db, ctx: &RequestContext, q: ContactQuery) -> Result<ContactPage, AppError> {
    let (page, per_page) = paging(q.page, q.per_page);
    let mut cond = Condition::all().add(account_visibility(ctx));
    if let Some(a) = q.account {
        cond = cond.add(account::Column::Uuid.eq(a));
    }
    if let Some(term) = q.search.as_deref().filter(|t| !t.trim().is_empty()) {
        // Bounded like every text a user sends; a longer term cannot match a stored field anyway.
        let term: String = term.chars().take(200).collect();
        let pat = like_pattern(&term);
        cond = cond.add(
            Condition::any()
                .add(contact::Column::Name.like(pat.clone()))
                .add(contact::Column::Title.like(pat.clone()))
                .add(contact::Column::Department.like(pat.clone()))
                .add(contact::Column::Phone.like(pat.clone()))
                .add(contact::Column::Email.like(pat.clone()))
                .add(account::Column::Name.like(pat)),
        );
    }
    let base = contact::Entity::find().join(JoinType::InnerJoin, contact::Relation::Account.def()).filter(cond);
    let total = base.clone().count(db).await.map_err(db_err)?;
    let ordered = match q.sort {
        ContactSort::Name => base.order_by_asc(contact::Column::Name),
        ContactSort::Account => base.order_by_asc(account::Column::Name).order_by_asc(contact::Column::Name),
        ContactSort::Title => base.order_by_asc(contact::Column::Title).order_by_asc(contact::Column::Name),
        ContactSort::Updated => base.order_by_desc(contact::Column::UpdatedAt),
    };
    // The id last, so equal names page the same way twice.
    let contacts = ordered.order_by_asc(contact::Column::Id).offset((page - 1) * per_page).limit(per_page).all(db).await.map_err(db_err)?;
    let account_ids: Vec<i32> = contacts.iter().map(|c| c.account_id).collect::<BTreeSet<_>>().into_iter().collect();
    let accounts: HashMap<i32, account::Model> = account::Entity::find()
        .filter(account::Column::Id.is_in(account_ids))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let deals: HashMap<i32, i64> = deal_contact::Entity::find()
        .select_only()
        .column(deal_contact::Column::ContactId)
        .column_as(Expr::cust("CAST(COUNT(*) AS BIGINT)"), "n")
        .filter(deal_contact::Column::ContactId.is_in(contacts.iter().map(|c| c.id).collect::<Vec<_>>()))
        .group_by(deal_contact::Column::ContactId)
        .into_tuple::<(i32, i64)>()
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .collect();
    let rows = contacts
        .into_iter()
        .filter_map(|c| {
            let a = accounts.get(&c.account_id)?;
            Some(ContactListRow {
                deals: u64::try_from(deals.get(&c.id).copied().unwrap_or(0)).unwrap_or(0),
                account_name: a.name.clone(),
                contact: row(c, a.uuid),
            })
        })
        .collect();
    Ok(ContactPage { rows, total, page, per_page })
}

/// A contact on an account the user sees, with that account; NotFound otherwise (an id
/// reveals nothing).
async fn visible<C: ConnectionTrait>(db: &C, ctx: &RequestContext, id: uuid::Uuid) -> Result<(contact::Model, account::Model), AppError> {
    let c = contact::Entity::find().filter(contact::Column::Uuid.eq(id)).one(db).await.map_err(db_err)?.ok_or(AppError::NotFound)?;
    let a = account::Entity::find()
        .filter(account::Column::Id.eq(c.account_id))
        .filter(account_visibility(ctx))
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or(AppError::NotFound)?;
    Ok((c, a))
}

/// Inserts a checked contact on `account` inside the caller's transaction (the account
/// page and the committee map, which adds them to a deal in the same write).
pub(in crate::ssr::service) async fn insert<C: ConnectionTrait>(
    db: &C,
    ctx: &RequestContext,
    account: &account::Model,
    new: NewContact,
) -> Result<ContactRow, AppError> {
    require_account_editor(ctx)?;
    let new = check(&new).map_err(|e| e.to_app(locale(ctx)))?;
    super::history::append_contact(db, account.id, ctx.user_id, AccountEvent::ContactAdded, &ContactNote::added(&new)).await?;
    let now = chrono::Utc::now();
    let uuid = uuid::Uuid::new_v4();
    contact::Entity::insert(contact::ActiveModel {
        uuid: Set(uuid),
        account_id: Set(account.id),
        name: Set(new.name),
        title: Set(new.title),
        department: Set(new.department),
        phone: Set(new.phone),
        email: Set(new.email),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    })
    .exec_without_returning(db)
    .await
    .map_err(db_err)?;
    let c = contact::Entity::find().filter(contact::Column::Uuid.eq(uuid)).one(db).await.map_err(db_err)?.ok_or(AppError::Internal)?;
    Ok(row(c, account.uuid))
}

/// Edits a contact under the version the editor read: a stale version is a conflict and
/// nothing is written.
pub async fn update(db: &Db, ctx: &RequestContext, id: uuid::Uuid, patch: ContactPatch, version: i32) -> Result<ContactRow, AppError> {
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    let txn = &w.txn;
    let (c, a) = visible(txn, ctx, id).await?;
    require_account_editor(ctx)?;
    let current = NewContact {
        name: c.name.clone(),
        title: c.title.clone(),
        department: c.department.clone(),
        phone: c.phone.clone(),
        email: c.email.clone(),
    };
    let new = check(&patch.apply(current.clone())).map_err(|e| e.to_app(locale(ctx)))?;
    let note = ContactNote::edited(&current, &new);
    let res = contact::Entity::update_many()
        .col_expr(contact::Column::Name, Expr::value(new.name))
        .col_expr(contact::Column::Title, Expr::value(new.title))
        .col_expr(contact::Column::Department, Expr::value(new.department))
        .col_expr(contact::Column::Phone, Expr::value(new.phone))
        .col_expr(contact::Column::Email, Expr::value(new.email))
        .col_expr(contact::Column::UpdatedAt, Expr::value(chrono::Utc::now()))
        .col_expr(contact::Column::Version, Expr::col(contact::Column::Version).add(1))
        .filter(contact::Column::Id.eq(c.id))
        .filter(contact::Column::Version.eq(version))
        .exec(txn)
        .await
        .map_err(db_err)?;
    if res.rows_affected != 1 {
        return Err(AppError::Conflict);
    }
    // A save that changed nothing still bumps the version (the form saved) but says nothing.
    if !note.changes.is_empty() {
        super::history::append_contact(txn, a.id, ctx.user_id, AccountEvent::ContactEdited, &note).await?;
    }
    let c = contact::Entity::find_by_id(c.id).one(txn).await.map_err(db_err)?.ok_or(AppError::Internal)?;
    w.commit().await.map_err(db_err)?;
    crate::ssr::events::publish_account(db, crate::ssr::events::AccountChange::Contact, &a, ctx.user_id).await;
    Ok(row(c, a.uuid))
}

/// The deals that still name the contact: on a buying committee (or as someone's boss there),
/// as a quote's addressee, as who raised an objection. Deleting them would leave those rows
/// pointing at nobody.
async fn deals_using<C: ConnectionTrait>(db: &C, contact_id: i32) -> Result<u64, AppError> {
    let mut deals: BTreeSet<i32> = BTreeSet::new();
    let on_maps = deal_contact::Entity::find()
        .select_only()
        .column(deal_contact::Column::DealId)
        .filter(
            Condition::any()
                .add(deal_contact::Column::ContactId.eq(contact_id))
                .add(deal_contact::Column::ReportsToContactId.eq(contact_id)),
        )
        .into_tuple::<i32>()
        .all(db)
        .await
        .map_err(db_err)?;
    deals.extend(on_maps);
    let quoted = quote::Entity::find()
        .select_only()
        .column(quote::Column::DealId)
        .filter(quote::Column::ContactId.eq(contact_id))
        .into_tuple::<i32>()
        .all(db)
        .await
        .map_err(db_err)?;
    deals.extend(quoted);
    let raised = objection::Entity::find()
        .select_only()
        .column(objection::Column::DealId)
        .filter(objection::Column::RaisedByContactId.eq(contact_id))
        .into_tuple::<i32>()
        .all(db)
        .await
        .map_err(db_err)?;
    deals.extend(raised);
    Ok(deals.len() as u64)
}

/// Deletes a contact no deal names; otherwise 409 saying on how many deals they are.
pub async fn delete(db: &Db, ctx: &RequestContext, id: uuid::Uuid) -> Result<(), AppError> {
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    let txn = &w.txn;
    let (c, a) = visible(txn, ctx, id).await?;
    require_account_editor(ctx)?;
    let deals = deals_using(txn, c.id).await?;
    if deals > 0 {
        return Err(AppError::InUse { deals });
    }
    let gone = NewContact {
        name: c.name.clone(),
        title: c.title.clone(),
        department: c.department.clone(),
        phone: c.phone.clone(),
        email: c.email.clone(),
    };
    super::history::append_contact(txn, c.account_id, ctx.user_id, AccountEvent::ContactDeleted, &ContactNote::deleted(&gone)).await?;
    contact::Entity::delete_by_id(c.id).exec(txn).await.map_err(db_err)?;
    w.commit().await.map_err(db_err)?;
    crate::ssr::events::publish_account(db, crate::ssr::events::AccountChange::Contact, &a, ctx.user_id).await;
    Ok(())
}
