//! Merging a duplicate account into the one that survives (managers and admins, both accounts
//! visible to them), in one write transaction: every row that hangs on the duplicate (deals,
//! contacts, revisits, delivery follow-ups, gradings) moves to the survivor, each moved deal's
//! history says so through the deal history writer, the survivor keeps the later of the two
//! last contacts, and its history says what was merged. The duplicate is then deleted, not
//! marked: every query over accounts (lists, visibility, due lists, pickers, duplicate checks)
//! would otherwise need a "not merged" filter, and one missed would show a ghost; the
//! survivor's history keeps the duplicate's name and what it brought.
//!
//! Deals keep their owner, team, stage and amount, so board totals and forecast cells (keyed
//! by team, owner, pipeline, stage, months and categories, never by account) do not change.
use super::visible;
use crate::domain::account::dto::{AccountView, MergePreview};
use crate::domain::account::profile::{AccountEvent, MergeSummary};
use crate::domain::error::AppError;
use crate::domain::history::HistoryKind;
use crate::ssr::context::RequestContext;
use crate::ssr::db::Db;
use crate::ssr::db_err;
use crate::ssr::entity::{account, account_follow_up, account_grade, account_revisit, activity, contact, deal};
use crate::ssr::service::access;
use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect};

/// The two accounts, checked: the survivor must be visible (404), the caller a merger (403),
/// the duplicate visible (404) and another account (422 naming `duplicate`).
async fn pair<C: ConnectionTrait>(
    db: &C,
    ctx: &RequestContext,
    survivor: uuid::Uuid,
    duplicate: uuid::Uuid,
) -> Result<(account::Model, account::Model), AppError> {
    let s = visible(db, ctx, survivor).await?;
    access::require_account_merger(ctx)?;
    if survivor == duplicate {
        return Err(AppError::validation("duplicate", "an account cannot be merged into itself"));
    }
    let d = visible(db, ctx, duplicate).await?;
    Ok((s, d))
}

/// How much hangs on the duplicate.
async fn summary<C: ConnectionTrait>(db: &C, d: &account::Model) -> Result<MergeSummary, AppError> {
    let deal_ids = deal::Entity::find().select_only().column(deal::Column::Id).filter(deal::Column::AccountId.eq(d.id));
    Ok(MergeSummary {
        duplicate: d.name.clone(),
        deals: deal::Entity::find().filter(deal::Column::AccountId.eq(d.id)).count(db).await.map_err(db_err)?,
        activities: activity::Entity::find()
            .filter(activity::Column::DealId.in_subquery(sea_orm::QueryTrait::into_query(deal_ids)))
            .count(db)
            .await
            .map_err(db_err)?,
        contacts: contact::Entity::find().filter(contact::Column::AccountId.eq(d.id)).count(db).await.map_err(db_err)?,
        revisits: account_revisit::Entity::find().filter(account_revisit::Column::AccountId.eq(d.id)).count(db).await.map_err(db_err)?,
        follow_ups: account_follow_up::Entity::find()
            .filter(account_follow_up::Column::AccountId.eq(d.id))
            .count(db)
            .await
            .map_err(db_err)?,
        grades: account_grade::Entity::find().filter(account_grade::Column::AccountId.eq(d.id)).count(db).await.map_err(db_err)?,
    })
}

/// What the merge would move, for the confirm step.
pub async fn preview(db: &Db, ctx: &RequestContext, survivor: uuid::Uuid, duplicate: uuid::Uuid) -> Result<MergePreview, AppError> {
    let (s, d) = pair(db, ctx, survivor, duplicate).await?;
    Ok(MergePreview { survivor: s.uuid, survivor_name: s.name, duplicate: d.uuid, moves: summary(db, &d).await? })
}

pub async fn merge(db: &Db, ctx: &RequestContext, survivor: uuid::Uuid, duplicate: uuid::Uuid) -> Result<AccountView, AppError> {
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    let (s, d) = pair(&*w, ctx, survivor, duplicate).await?;
    // The survivor's row first, so PostgreSQL holds it while the rest moves.
    let last_contact = Ord::max(s.last_contact_on, d.last_contact_on);
    account::Entity::update_many()
        .col_expr(account::Column::LastContactOn, Expr::value(last_contact))
        .col_expr(account::Column::UpdatedAt, Expr::value(Utc::now()))
        .col_expr(account::Column::Version, Expr::col(account::Column::Version).add(1))
        .filter(account::Column::Id.eq(s.id))
        .exec(&*w)
        .await
        .map_err(db_err)?;
    let moves = summary(&*w, &d).await?;
    let deals = deal::Entity::find().filter(deal::Column::AccountId.eq(d.id)).all(&*w).await.map_err(db_err)?;
    let note = format!("{} → {}", d.name, s.name);
    for x in &deals {
        let mut h = crate::ssr::service::history::row(x.id, ctx.user_id, HistoryKind::AccountMerged);
        h.note = sea_orm::ActiveValue::Set(Some(note.clone()));
        crate::ssr::service::history::append(&*w, h).await?;
    }
    // The deal's link to its account is not something a deal edit writes, so the deal's
    // version stays: nobody's open deal form is made stale by the merge.
    deal::Entity::update_many()
        .col_expr(deal::Column::AccountId, Expr::value(s.id))
        .filter(deal::Column::AccountId.eq(d.id))
        .exec(&*w)
        .await
        .map_err(db_err)?;
    contact::Entity::update_many()
        .col_expr(contact::Column::AccountId, Expr::value(s.id))
        .filter(contact::Column::AccountId.eq(d.id))
        .exec(&*w)
        .await
        .map_err(db_err)?;
    account_revisit::Entity::update_many()
        .col_expr(account_revisit::Column::AccountId, Expr::value(s.id))
        .filter(account_revisit::Column::AccountId.eq(d.id))
        .exec(&*w)
        .await
        .map_err(db_err)?;
    account_follow_up::Entity::update_many()
        .col_expr(account_follow_up::Column::AccountId, Expr::value(s.id))
        .filter(account_follow_up::Column::AccountId.eq(d.id))
        .exec(&*w)
        .await
        .map_err(db_err)?;
    account_grade::Entity::update_many()
        .col_expr(account_grade::Column::AccountId, Expr::value(s.id))
        .filter(account_grade::Column::AccountId.eq(d.id))
        .exec(&*w)
        .await
        .map_err(db_err)?;
    // The duplicate's own history goes with it (cascade); the survivor's row says what came.
    account::Entity::delete_by_id(d.id).exec(&*w).await.map_err(db_err)?;
    super::history::append(&*w, s.id, ctx.user_id, AccountEvent::Merged, &[], Some(&moves)).await?;
    // A later last contact or a planned revisit may move the survivor's next due date.
    super::cadence::refresh(&*w, s.id).await?;
    w.commit().await.map_err(db_err)?;
    // The duplicate's page learns it is gone; the survivor's that it grew.
    for acc in [&d, &s] {
        crate::ssr::events::publish_account(db, crate::ssr::events::AccountChange::Merged, acc, ctx.user_id).await;
    }
    super::get(db, ctx, survivor).await
}
