//! Accounts: the list, one account whole (`view`), contacts, grading (`grade`), revisits
//! (`revisit`), the contact cadence with its due lists (`cadence`), versioned edits with their
//! history (`edit`, `history`), merging duplicates (`merge`), the target market as SQL
//! (`market`) and the capacity plan (`capacity`).
pub mod cadence;
pub mod capacity;
pub mod contacts;
mod edit;
mod grade;
mod history;
mod insert;
pub mod market;
mod merge;
mod revisit;
pub mod target;
mod view;

pub use cadence::due;
pub use edit::edit;
pub use grade::grade;
pub(crate) use history::append_contact;
pub use insert::{insert_in, AccountInsert};
pub use merge::{merge, preview as merge_preview};
pub use revisit::record as record_revisit;
pub use view::get;

use super::access::{account_visibility, deal_visibility};
use super::{like_pattern, paging};
use crate::domain::account::market::AccountFilter;
use crate::domain::dto::{AccountPage, AccountRow};
use crate::domain::error::AppError;
use crate::domain::gate::StageKind;
use crate::domain::validate::{optional, required};
use crate::ssr::context::RequestContext;
use crate::ssr::db::Db;
use crate::ssr::db_err;
use crate::ssr::entity::{account, contact, deal, stage, team};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait};
use std::collections::HashMap;

pub async fn list(db: &Db, ctx: &RequestContext, search: Option<String>, page: u64, per_page: u64) -> Result<AccountPage, AppError> {
    list_where(db, ctx, search, false, page, per_page).await
}

/// The list, optionally only the accounts whose contact is overdue (most overdue first).
pub async fn list_where(
    db: &Db,
    ctx: &RequestContext,
    search: Option<String>,
    overdue: bool,
    page: u64,
    per_page: u64,
) -> Result<AccountPage, AppError> {
    list_filtered(db, ctx, AccountFilter { search, overdue, target: None }, page, per_page).await
}

/// The list under every filter; the target market's is SQL (`market::market_sql`).
pub async fn list_filtered(
    db: &Db,
    ctx: &RequestContext,
    filter: AccountFilter,
    page: u64,
    per_page: u64,
) -> Result<AccountPage, AppError> {
    let AccountFilter { search, overdue, target } = filter;
    let (page, per_page) = paging(page, per_page);
    let market = target::policy(db).await?;
    let mut cond = Condition::all().add(account_visibility(ctx));
    if overdue {
        cond = cond.add(account::Column::NextContactOn.lt(cadence::today()));
    }
    if let Some(kind) = target {
        cond = cond.add(market::market_sql(db, &market).await?.condition(kind));
    }
    if let Some(q) = search.as_deref().filter(|q| !q.trim().is_empty()) {
        let pat = like_pattern(q);
        cond = cond.add(
            Condition::any()
                .add(account::Column::Name.like(pat.clone()))
                .add(account::Column::Industry.like(pat.clone()))
                .add(account::Column::City.like(pat)),
        );
    }
    let base = account::Entity::find().filter(cond);
    let total = base.clone().count(db).await.map_err(db_err)?;
    let base = if overdue { base.order_by_asc(account::Column::NextContactOn) } else { base };
    let accounts = base.order_by_asc(account::Column::Name).offset((page - 1) * per_page).limit(per_page).all(db).await.map_err(db_err)?;
    let ids: Vec<i32> = accounts.iter().map(|a| a.id).collect();
    let contacts: HashMap<i32, i64> = contact::Entity::find()
        .select_only()
        .column(contact::Column::AccountId)
        .column_as(Expr::cust("CAST(COUNT(*) AS BIGINT)"), "n")
        .filter(contact::Column::AccountId.is_in(ids.clone()))
        .group_by(contact::Column::AccountId)
        .into_tuple::<(i32, i64)>()
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .collect();
    let open_stage_ids =
        stage::Entity::find().select_only().column(stage::Column::Id).filter(stage::Column::Kind.eq(StageKind::Open.as_str())).into_query();
    let open: HashMap<i32, i64> = deal::Entity::find()
        .select_only()
        .column(deal::Column::AccountId)
        .column_as(Expr::cust("CAST(COUNT(*) AS BIGINT)"), "n")
        .filter(deal::Column::AccountId.is_in(ids))
        .filter(deal::Column::StageId.in_subquery(open_stage_ids))
        .filter(deal_visibility(&ctx.visibility))
        .group_by(deal::Column::AccountId)
        .into_tuple::<(i32, i64)>()
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .collect();
    let owner_ids: Vec<i32> = accounts.iter().map(|a| a.owner_id).collect();
    let users = super::user_names(db, owner_ids).await?;
    let teams: HashMap<i32, String> = team::Entity::find().all(db).await.map_err(db_err)?.into_iter().map(|t| (t.id, t.name)).collect();
    let rows = accounts
        .into_iter()
        .map(|a| AccountRow {
            target: Some(target::fit(&market, &a)),
            id: a.uuid,
            contacts: contacts.get(&a.id).copied().unwrap_or(0).max(0) as u64,
            open_deals: open.get(&a.id).copied().unwrap_or(0).max(0) as u64,
            owner: users.get(&a.owner_id).cloned().unwrap_or_default(),
            team: teams.get(&a.team_id).cloned().unwrap_or_default(),
            name: a.name,
            industry: a.industry,
            city: a.city,
            headcount: a.headcount,
            revenue_fen: a.revenue_fen,
            grade: a.grade.as_deref().and_then(crate::domain::account::Grade::parse),
            grade_since: a.grade_since,
            contact_status: cadence::contact_status(a.next_contact_on),
            next_contact_on: a.next_contact_on,
        })
        .collect();
    Ok(AccountPage { rows, total, page, per_page })
}

/// An account the user may see, or NotFound.
pub async fn visible<C: sea_orm::ConnectionTrait>(db: &C, ctx: &RequestContext, id: uuid::Uuid) -> Result<account::Model, AppError> {
    account::Entity::find()
        .filter(account::Column::Uuid.eq(id))
        .filter(account_visibility(ctx))
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or(AppError::NotFound)
}

pub async fn one(db: &Db, ctx: &RequestContext, id: uuid::Uuid) -> Result<AccountRow, AppError> {
    let a = visible(db, ctx, id).await?;
    let page = list(db, ctx, Some(a.name.clone()), 1, 200).await?;
    page.rows.into_iter().find(|r| r.id == id).ok_or(AppError::NotFound)
}

/// Creates an account owned by the creator and their team.
pub async fn create(db: &Db, ctx: &RequestContext, new: crate::domain::dto::NewAccount) -> Result<AccountRow, AppError> {
    use sea_orm::ActiveValue::Set;
    super::access::require_account_editor(ctx)?;
    let name = required("name", &new.name, 200)?;
    let industry = optional("industry", Some(new.industry), 100)?.unwrap_or_default();
    let city = optional("city", new.city, 100)?;
    if new.headcount.is_some_and(|h| h < 0) {
        return Err(AppError::validation("headcount", "must not be negative"));
    }
    if new.revenue_fen.is_some_and(|r| r < 0) {
        return Err(AppError::validation("revenue", "must not be negative"));
    }
    let team_id = ctx.team_id.ok_or_else(|| AppError::validation("team", "you need a team to own accounts"))?;
    let now = chrono::Utc::now();
    let uuid = uuid::Uuid::new_v4();
    account::Entity::insert(account::ActiveModel {
        uuid: Set(uuid),
        name: Set(name),
        industry: Set(industry),
        headcount: Set(new.headcount),
        revenue_fen: Set(new.revenue_fen),
        city: Set(city),
        owner_id: Set(ctx.user_id),
        team_id: Set(team_id),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    })
    .exec(db)
    .await
    .map_err(db_err)?;
    one(db, ctx, uuid).await
}

pub async fn contacts(db: &Db, ctx: &RequestContext, account: uuid::Uuid) -> Result<Vec<crate::domain::dto::ContactRow>, AppError> {
    let a = visible(db, ctx, account).await?;
    let rows = contact::Entity::find()
        .filter(contact::Column::AccountId.eq(a.id))
        .order_by_asc(contact::Column::Name)
        .all(db)
        .await
        .map_err(db_err)?;
    Ok(rows.into_iter().map(|c| contacts::row(c, account)).collect())
}

/// Creates a contact on an account the user sees (the rule: `domain::account::contact`).
pub async fn create_contact(
    db: &Db,
    ctx: &RequestContext,
    account: uuid::Uuid,
    new: crate::domain::dto::NewContact,
) -> Result<crate::domain::dto::ContactRow, AppError> {
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    let a = visible(&w.txn, ctx, account).await?;
    let c = contacts::insert(&w.txn, ctx, &a, new).await?;
    w.commit().await.map_err(db_err)?;
    Ok(c)
}
