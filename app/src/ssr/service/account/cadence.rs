//! Relationship maintenance kept on the account: the cadence per grade (one policy row), the
//! last contact and next due date every contact moves, the lists of accounts due, and the
//! delivery follow-up a won deal owes. The dates are stored, not derived on read, so "overdue"
//! is an index range scan at 100k accounts; every write that changes an input recomputes them
//! here, through [`refresh`].
use super::revisit::follow_up_rows;
use crate::domain::account::cadence::{delivery_follow_up, status, Cadence, ContactStatus};
use crate::domain::account::dto::{DueList, DueRow, DueScope};
use crate::domain::account::revisit::next_contact;
use crate::domain::account::Grade;
use crate::domain::error::AppError;
use crate::domain::forecast::offset;
use crate::ssr::context::RequestContext;
use crate::ssr::db::Db;
use crate::ssr::db_err;
use crate::ssr::entity::{account, account_follow_up, account_policy, account_revisit, deal};
use crate::ssr::service::access::{account_visibility, require_admin};
use chrono::{Datelike, Days, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

/// The policy row's id: there is one organisation.
const POLICY_ID: i32 = 1;
/// Accounts recomputed per statement batch when the cadence changes.
const CHUNK: u64 = 1000;
/// Rows a due list carries (the counts are whole).
const DUE_ROWS: u64 = 50;

/// The organisation's day.
pub fn today() -> NaiveDate {
    Utc::now().with_timezone(&offset()).date_naive()
}

/// The cadence in force: the admin's, or seed 003's when none was saved.
pub async fn policy<C: ConnectionTrait>(db: &C) -> Result<Cadence, AppError> {
    let row = account_policy::Entity::find_by_id(POLICY_ID).one(db).await.map_err(db_err)?;
    Ok(row.and_then(|r| serde_json::from_str(&r.cadence).ok()).unwrap_or_default())
}

/// Saves the cadence and recomputes every graded account's next contact in the same
/// transaction, so no list ever mixes the old rule and the new.
pub async fn save_policy(db: &Db, ctx: &RequestContext, cadence: Cadence) -> Result<Cadence, AppError> {
    require_admin(ctx)?;
    cadence.validate()?;
    let json = serde_json::to_string(&cadence).map_err(|_| AppError::Internal)?;
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    account_policy::Entity::insert(account_policy::ActiveModel {
        id: Set(POLICY_ID),
        cadence: Set(json),
        target_market: Set(None),
        updated_at: Set(Utc::now()),
        version: Set(1),
        capacity_plan: sea_orm::ActiveValue::NotSet,
    })
    .on_conflict(
        OnConflict::column(account_policy::Column::Id)
            .update_columns([account_policy::Column::Cadence, account_policy::Column::UpdatedAt])
            .value(account_policy::Column::Version, Expr::col((account_policy::Entity, account_policy::Column::Version)).add(1))
            .to_owned(),
    )
    .exec_without_returning(&*w)
    .await
    .map_err(db_err)?;
    let mut after = 0;
    loop {
        let chunk = account::Entity::find()
            .filter(account::Column::Id.gt(after))
            .filter(account::Column::Grade.is_not_null())
            .order_by_asc(account::Column::Id)
            .limit(CHUNK)
            .all(&*w)
            .await
            .map_err(db_err)?;
        let Some(last) = chunk.last() else { break };
        after = last.id;
        for a in &chunk {
            refresh_with(&*w, a, &cadence).await?;
        }
    }
    w.commit().await.map_err(db_err)?;
    Ok(cadence)
}

/// The next visit planned by the account's latest revisit, if any.
async fn planned<C: ConnectionTrait>(db: &C, account_id: i32) -> Result<Option<NaiveDate>, AppError> {
    let latest = account_revisit::Entity::find()
        .filter(account_revisit::Column::AccountId.eq(account_id))
        .order_by_desc(account_revisit::Column::VisitedOn)
        .order_by_desc(account_revisit::Column::Id)
        .one(db)
        .await
        .map_err(db_err)?;
    Ok(latest.and_then(|r| r.next_visit_on))
}

async fn refresh_with<C: ConnectionTrait>(db: &C, a: &account::Model, cadence: &Cadence) -> Result<(), AppError> {
    let grade = a.grade.as_deref().and_then(Grade::parse);
    let created = a.created_at.with_timezone(&offset()).date_naive();
    let next = next_contact(grade, a.last_contact_on, created, planned(db, a.id).await?, cadence);
    if next != a.next_contact_on {
        account::Entity::update_many()
            .col_expr(account::Column::NextContactOn, Expr::value(next))
            .filter(account::Column::Id.eq(a.id))
            .exec(db)
            .await
            .map_err(db_err)?;
    }
    Ok(())
}

/// Recomputes the account's next contact from its grade, last contact and plan (after a
/// grading or a revisit), inside the caller's transaction.
pub(crate) async fn refresh<C: ConnectionTrait>(db: &C, account_id: i32) -> Result<(), AppError> {
    let a = account::Entity::find_by_id(account_id).one(db).await.map_err(db_err)?.ok_or(AppError::NotFound)?;
    refresh_with(db, &a, &policy(db).await?).await
}

/// A contact with the account on `day` (a revisit, or a visit or call logged on one of its
/// deals): the last contact moves forward, never back, and the next due date follows. The
/// conditional update comes first so PostgreSQL holds the row while the rest is computed.
pub(crate) async fn touch<C: ConnectionTrait>(db: &C, account_id: i32, day: NaiveDate) -> Result<(), AppError> {
    account::Entity::update_many()
        .col_expr(account::Column::LastContactOn, Expr::value(day))
        .filter(account::Column::Id.eq(account_id))
        .filter(Condition::any().add(account::Column::LastContactOn.is_null()).add(account::Column::LastContactOn.lt(day)))
        .exec(db)
        .await
        .map_err(db_err)?;
    refresh(db, account_id).await
}

/// A deal was won: its account owes the customer a call within three working days of the
/// delivery (taken as the day of the win until deliveries are recorded). One per deal.
pub(crate) async fn on_won<C: ConnectionTrait>(db: &C, d: &deal::Model) -> Result<(), AppError> {
    account_follow_up::Entity::insert(account_follow_up::ActiveModel {
        uuid: Set(uuid::Uuid::new_v4()),
        account_id: Set(d.account_id),
        deal_id: Set(d.id),
        owner_id: Set(d.owner_id),
        due_on: Set(delivery_follow_up(today())),
        done_on: Set(None),
        revisit_id: Set(None),
        accepted: Set(None),
        created_at: Set(Utc::now()),
        version: Set(1),
        ..Default::default()
    })
    .on_conflict(OnConflict::column(account_follow_up::Column::DealId).do_nothing().to_owned())
    .exec_without_returning(db)
    .await
    .map_err(db_err)?;
    Ok(())
}

/// The status of an account's next contact today.
pub fn contact_status(next: Option<NaiveDate>) -> ContactStatus {
    status(next, today())
}

/// The accounts whose contact is overdue or due this week, most overdue first, and the open
/// delivery follow-ups: the viewer's own (`Mine`) or every account they see (`Team`).
pub async fn due(db: &Db, ctx: &RequestContext, scope: DueScope) -> Result<DueList, AppError> {
    let today = today();
    let sunday = today.checked_add_days(Days::new(u64::from(6 - today.weekday().num_days_from_monday()))).unwrap_or(NaiveDate::MAX);
    let who = match scope {
        DueScope::Mine => Condition::all().add(account::Column::OwnerId.eq(ctx.user_id)),
        DueScope::Team => Condition::all().add(account_visibility(ctx)),
    };
    let base = account::Entity::find().filter(who.clone()).filter(account::Column::NextContactOn.lte(sunday));
    let overdue = base.clone().filter(account::Column::NextContactOn.lt(today)).count(db).await.map_err(db_err)?;
    let this_week = base.clone().filter(account::Column::NextContactOn.gte(today)).count(db).await.map_err(db_err)?;
    let accounts = base
        .order_by_asc(account::Column::NextContactOn)
        .order_by_asc(account::Column::Name)
        .limit(DUE_ROWS)
        .all(db)
        .await
        .map_err(db_err)?;
    let names = crate::ssr::service::user_names(db, accounts.iter().map(|a| a.owner_id).collect()).await?;
    let rows = accounts
        .into_iter()
        .filter_map(|a| {
            let next = a.next_contact_on?;
            Some(DueRow {
                account_id: a.uuid,
                grade: a.grade.as_deref().and_then(Grade::parse),
                owner: names.get(&a.owner_id).cloned().unwrap_or_default(),
                last_contact_on: a.last_contact_on,
                next_contact_on: next,
                status: status(Some(next), today),
                name: a.name,
            })
        })
        .collect();
    let open = account_follow_up::Entity::find().filter(account_follow_up::Column::DoneOn.is_null());
    let open =
        match scope {
            DueScope::Mine => open.filter(account_follow_up::Column::OwnerId.eq(ctx.user_id)),
            DueScope::Team => open.filter(account_follow_up::Column::AccountId.in_subquery(sea_orm::QueryTrait::into_query(
                account::Entity::find().select_only().column(account::Column::Id).filter(who),
            ))),
        };
    let open = open.order_by_asc(account_follow_up::Column::DueOn).limit(DUE_ROWS).all(db).await.map_err(db_err)?;
    Ok(DueList { overdue, this_week, rows, follow_ups: follow_up_rows(db, open).await? })
}
