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
use crate::domain::account::listing::{AccountFilter, AccountSort, GradeFilter};
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
    list_filtered(db, ctx, AccountFilter { search, overdue, ..AccountFilter::default() }, page, per_page).await
}

/// The list under every filter; the target market's is SQL (`market::market_sql`).
pub async fn list_filtered(
    db: &Db,
    ctx: &RequestContext,
    filter: AccountFilter,
    page: u64,
    per_page: u64,
) -> Result<AccountPage, AppError> {
    let (page, per_page) = paging(page, per_page);
    let market = target::policy(db).await?;
    let base = account::Entity::find().filter(condition(db, ctx, &filter, &market).await?);
    let total = base.clone().count(db).await.map_err(db_err)?;
    let accounts = ordered(base, &filter).offset((page - 1) * per_page).limit(per_page).all(db).await.map_err(db_err)?;
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

/// The accounts a filter keeps among those the viewer sees (the list and its export).
pub(crate) async fn condition(
    db: &Db,
    ctx: &RequestContext,
    filter: &AccountFilter,
    market: &crate::domain::account::target::TargetMarket,
) -> Result<Condition, AppError> {
    let mut cond = Condition::all().add(account_visibility(ctx));
    if filter.overdue {
        cond = cond.add(account::Column::NextContactOn.lt(cadence::today()));
    }
    if let Some(kind) = filter.target {
        cond = cond.add(market::market_sql(db, market).await?.condition(kind));
    }
    match filter.grade {
        Some(GradeFilter::Is(g)) => cond = cond.add(account::Column::Grade.eq(g.code())),
        Some(GradeFilter::Ungraded) => cond = cond.add(account::Column::Grade.is_null()),
        None => {}
    }
    if let Some(o) = filter.owner {
        // Someone unknown owns nothing: an empty list, not an error.
        let id = crate::ssr::entity::user::Entity::find()
            .filter(crate::ssr::entity::user::Column::Uuid.eq(o))
            .one(db)
            .await
            .map_err(db_err)?
            .map_or(-1, |u| u.id);
        cond = cond.add(account::Column::OwnerId.eq(id));
    }
    if let Some(t) = filter.team {
        let id = team::Entity::find().filter(team::Column::Uuid.eq(t)).one(db).await.map_err(db_err)?.map_or(-1, |t| t.id);
        cond = cond.add(account::Column::TeamId.eq(id));
    }
    if let Some(i) = filter.industry.as_deref() {
        cond = cond.add(account::Column::Industry.eq(i));
    }
    if let Some(q) = filter.search.as_deref().filter(|q| !q.trim().is_empty()) {
        let pat = like_pattern(q);
        cond = cond.add(
            Condition::any()
                .add(account::Column::Name.like(pat.clone()))
                .add(account::Column::Industry.like(pat.clone()))
                .add(account::Column::City.like(pat)),
        );
    }
    Ok(cond)
}

/// The filter's order; accounts without the sorted fact come last either way, then names and
/// ids keep pages stable. The overdue list starts with the most overdue unless sorted otherwise.
pub(crate) fn ordered(q: sea_orm::Select<account::Entity>, filter: &AccountFilter) -> sea_orm::Select<account::Entity> {
    use sea_orm::{sea_query::NullOrdering, Order};
    let dir = if filter.desc { Order::Desc } else { Order::Asc };
    let col = match filter.sort {
        AccountSort::Name if filter.overdue && !filter.desc => Some(account::Column::NextContactOn),
        AccountSort::Name => None,
        AccountSort::Grade => Some(account::Column::Grade),
        AccountSort::NextContact => Some(account::Column::NextContactOn),
        AccountSort::Revenue => Some(account::Column::RevenueFen),
        AccountSort::Headcount => Some(account::Column::Headcount),
        AccountSort::Updated => Some(account::Column::UpdatedAt),
    };
    let q = match col {
        Some(c) => q.order_by_with_nulls(c, dir.clone(), NullOrdering::Last),
        None => q,
    };
    let name_dir = if filter.sort == AccountSort::Name { dir } else { Order::Asc };
    q.order_by(account::Column::Name, name_dir).order_by_asc(account::Column::Id)
}

/// What the list's menus offer: owners and teams whose accounts the viewer sees, and the
/// industries of those accounts (the first 300 by name).
pub async fn filter_choices(db: &Db, ctx: &RequestContext) -> Result<crate::domain::account::listing::AccountFilterChoices, AppError> {
    use crate::domain::dto::Choice;
    use crate::ssr::entity::user;
    let seen = Condition::all().add(account_visibility(ctx));
    let owner_ids: Vec<i32> = account::Entity::find()
        .select_only()
        .column(account::Column::OwnerId)
        .distinct()
        .filter(seen.clone())
        .into_tuple()
        .all(db)
        .await
        .map_err(db_err)?;
    let team_ids: Vec<i32> = account::Entity::find()
        .select_only()
        .column(account::Column::TeamId)
        .distinct()
        .filter(seen.clone())
        .into_tuple()
        .all(db)
        .await
        .map_err(db_err)?;
    let industries: Vec<String> = account::Entity::find()
        .select_only()
        .column(account::Column::Industry)
        .distinct()
        .filter(seen.add(account::Column::Industry.ne("")))
        .order_by_asc(account::Column::Industry)
        .limit(300)
        .into_tuple()
        .all(db)
        .await
        .map_err(db_err)?;
    let mut owners: Vec<Choice> = user::Entity::find()
        .filter(user::Column::Id.is_in(owner_ids))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|u| Choice { id: u.uuid, name: u.name })
        .collect();
    owners.sort_by(|a, b| a.name.cmp(&b.name));
    let teams = team::Entity::find()
        .filter(team::Column::Id.is_in(team_ids))
        .order_by_asc(team::Column::Name)
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|t| Choice { id: t.uuid, name: t.name })
        .collect();
    Ok(crate::domain::account::listing::AccountFilterChoices { owners, teams, industries })
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
    let a = AccountInsert {
        name,
        industry,
        city,
        headcount: new.headcount,
        revenue_fen: new.revenue_fen,
        profit_fen: None,
        profile: Default::default(),
        owner_id: ctx.user_id,
        team_id,
    };
    let m = insert_in(db, a).await?;
    crate::ssr::events::publish_account(db, crate::ssr::events::AccountChange::Created, &m, ctx.user_id).await;
    one(db, ctx, m.uuid).await
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
    crate::ssr::events::publish_account(db, crate::ssr::events::AccountChange::Contact, &a, ctx.user_id).await;
    Ok(c)
}
