//! The quote's way through approval to the customer: submit (routed by the thresholds),
//! the approver's decision (called from the approvals inbox), send, the customer's answer
//! (accepting may set the deal's amount) and revise.
use super::{by_uuid, status_of, today, totals_of};
use crate::domain::access::DealAction;
use crate::domain::contract::Approver as ContractApprover;
use crate::domain::dto::DealPatch;
use crate::domain::error::AppError;
use crate::domain::history::HistoryKind;
use crate::domain::money::format_exact;
use crate::domain::quote::dto::{QuoteOutcome, QuoteView};
use crate::domain::quote::{format_percent, next, required_approver, revision_number, Approver, QuoteAction, QuoteStatus};
use crate::ssr::context::RequestContext;
use crate::ssr::db::Db;
use crate::ssr::db_err;
use crate::ssr::entity::{approval, deal, quote, quote_line};
use crate::ssr::service::{access, history, movement, product as price_list};
use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter};

/// The quote and its deal, with the permission to work on its quotes checked and the
/// caller's version current (a stale view is a conflict before anything else).
async fn load_for<C: ConnectionTrait>(
    db: &C,
    ctx: &RequestContext,
    id: uuid::Uuid,
    version: i32,
) -> Result<(quote::Model, deal::Model), AppError> {
    let q = by_uuid(db, id).await?;
    let d = deal::Entity::find_by_id(q.deal_id).one(db).await.map_err(db_err)?.ok_or(AppError::NotFound)?;
    access::check(db, ctx, &d, DealAction::Quote).await?;
    if q.version != version {
        return Err(AppError::Conflict);
    }
    Ok((q, d))
}

/// `Q-2026-00042 · ¥226,000.00 · discount 12 %`: what the history says about a quote.
fn summary(q: &quote::Model) -> String {
    format!("{} · {} · {} %", q.number, format_exact(q.gross_fen, &q.currency), format_percent(q.discount_bp))
}

/// Moves the quote to `to` under its version, stamping `at_col`; Conflict when it changed.
async fn set_status<C: ConnectionTrait>(
    db: &C,
    q: &quote::Model,
    version: i32,
    to: QuoteStatus,
    at_col: Option<quote::Column>,
) -> Result<(), AppError> {
    let now = Utc::now();
    let mut u = quote::Entity::update_many()
        .col_expr(quote::Column::Status, Expr::value(to.as_str()))
        .col_expr(quote::Column::UpdatedAt, Expr::value(now))
        .col_expr(quote::Column::Version, Expr::col(quote::Column::Version).add(1));
    if let Some(c) = at_col {
        u = u.col_expr(c, Expr::value(now));
    }
    let res = u.filter(quote::Column::Id.eq(q.id)).filter(quote::Column::Version.eq(version)).exec(db).await.map_err(db_err)?;
    if res.rows_affected != 1 {
        return Err(AppError::Conflict);
    }
    Ok(())
}

async fn note<C: ConnectionTrait>(db: &C, d: &deal::Model, actor: i32, kind: HistoryKind, text: String) -> Result<(), AppError> {
    let mut h = history::row(d.id, actor, kind);
    h.note = Set(Some(text));
    history::append(db, h).await
}

/// Sends a draft for approval: the thresholds decide who, the request lands in their inbox.
pub async fn submit(db: &Db, ctx: &RequestContext, id: uuid::Uuid, version: i32) -> Result<QuoteView, AppError> {
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    let (q, d) = load_for(&*w, ctx, id, version).await?;
    next(status_of(&q), QuoteAction::Submit)?;
    let lines = quote_line::Entity::find().filter(quote_line::Column::QuoteId.eq(q.id)).all(&*w).await.map_err(db_err)?;
    if lines.is_empty() {
        return Err(AppError::validation("lines", "add at least one line before submitting"));
    }
    let pol = price_list::policy(&*w).await?;
    let (level, reasons) = required_approver(&price_list::approval_policy(&pol), &totals_of(&q));
    let step = if level == Approver::Manager { ContractApprover::SalesManager } else { ContractApprover::GeneralManager };
    let approver_id = movement::route_to(&*w, step, d.owner_id, ctx.user_id).await?;
    let now = Utc::now();
    let res = quote::Entity::update_many()
        .col_expr(quote::Column::Status, Expr::value(QuoteStatus::Submitted.as_str()))
        .col_expr(quote::Column::Approver, Expr::value(level.as_str()))
        .col_expr(quote::Column::Reasons, Expr::value(serde_json::to_string(&reasons).map_err(|_| AppError::Internal)?))
        .col_expr(quote::Column::SubmittedAt, Expr::value(now))
        .col_expr(quote::Column::UpdatedAt, Expr::value(now))
        .col_expr(quote::Column::Version, Expr::col(quote::Column::Version).add(1))
        .filter(quote::Column::Id.eq(q.id))
        .filter(quote::Column::Version.eq(version))
        .exec(&*w)
        .await
        .map_err(db_err)?;
    if res.rows_affected != 1 {
        return Err(AppError::Conflict);
    }
    approval::Entity::insert(approval::ActiveModel {
        uuid: Set(uuid::Uuid::new_v4()),
        deal_id: Set(d.id),
        kind: Set("quote".into()),
        requested_by: Set(ctx.user_id),
        approver_id: Set(Some(approver_id)),
        from_stage_id: Set(None),
        to_stage_id: Set(None),
        reason: Set(Some(q.number.clone())),
        status: Set("pending".into()),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        quote_id: Set(Some(q.id)),
        ..Default::default()
    })
    .exec(&*w)
    .await
    .map_err(db_err)?;
    note(&*w, &d, ctx.user_id, HistoryKind::QuoteSubmitted, summary(&q)).await?;
    w.commit().await.map_err(db_err)?;
    crate::ssr::events::publish_deal(db, "approval_requested", &d, ctx.user_id).await;
    super::get(db, ctx, id).await
}

/// The approver's decision on a quote request, inside the inbox's transaction (the inbox
/// checked who may decide and that the request is pending). Returns the deal.
pub async fn decide_in(
    txn: &DatabaseTransaction,
    ctx: &RequestContext,
    a: &approval::Model,
    approve: bool,
) -> Result<deal::Model, AppError> {
    let qid = a.quote_id.ok_or(AppError::Internal)?;
    let q = quote::Entity::find_by_id(qid).one(txn).await.map_err(db_err)?.ok_or(AppError::NotFound)?;
    if QuoteStatus::parse(&q.status) != Some(QuoteStatus::Submitted) {
        return Err(AppError::Conflict);
    }
    let to = next(QuoteStatus::Submitted, if approve { QuoteAction::Approve } else { QuoteAction::Reject })?;
    set_status(txn, &q, q.version, to, Some(quote::Column::DecidedAt)).await?;
    let d = deal::Entity::find_by_id(q.deal_id).one(txn).await.map_err(db_err)?.ok_or(AppError::NotFound)?;
    let kind = if approve { HistoryKind::QuoteApproved } else { HistoryKind::QuoteRejected };
    note(txn, &d, ctx.user_id, kind, summary(&q)).await?;
    Ok(d)
}

/// Marks an approved quote as sent to the customer; from now on it is locked.
pub async fn send(db: &Db, ctx: &RequestContext, id: uuid::Uuid, version: i32) -> Result<QuoteView, AppError> {
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    let (q, d) = load_for(&*w, ctx, id, version).await?;
    let to = next(status_of(&q), QuoteAction::Send)?;
    set_status(&*w, &q, version, to, Some(quote::Column::SentAt)).await?;
    note(&*w, &d, ctx.user_id, HistoryKind::QuoteSent, summary(&q)).await?;
    w.commit().await.map_err(db_err)?;
    crate::ssr::events::publish_deal(db, "quote", &d, ctx.user_id).await;
    super::get(db, ctx, id).await
}

/// The customer's answer. Accepting sets the deal's amount to the quote's total (tax
/// included: what the customer pays) through the deal's own patch, in the same transaction,
/// unless `set_amount` is false.
pub async fn close(
    db: &Db,
    ctx: &RequestContext,
    id: uuid::Uuid,
    outcome: QuoteOutcome,
    set_amount: bool,
    version: i32,
) -> Result<QuoteView, AppError> {
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    let (q, d) = load_for(&*w, ctx, id, version).await?;
    let action = match outcome {
        QuoteOutcome::Accepted => QuoteAction::Accept,
        QuoteOutcome::Declined => QuoteAction::Decline,
    };
    let to = next(status_of(&q), action)?;
    set_status(&*w, &q, version, to, Some(quote::Column::ClosedAt)).await?;
    let kind = if to == QuoteStatus::Accepted { HistoryKind::QuoteAccepted } else { HistoryKind::QuoteDeclined };
    note(&*w, &d, ctx.user_id, kind, summary(&q)).await?;
    if to == QuoteStatus::Accepted && set_amount && d.amount_fen != q.gross_fen {
        let p = DealPatch { version: d.version, amount_fen: Some(q.gross_fen), ..Default::default() };
        crate::ssr::service::deal::patch_in(&w.txn, ctx, d.uuid, p).await?;
    }
    w.commit().await.map_err(db_err)?;
    crate::ssr::events::publish_deal(db, "deal_updated", &d, ctx.user_id).await;
    super::get(db, ctx, id).await
}

/// Version n+1 as a new draft with the same lines; this one is superseded and a pending
/// approval of it withdrawn.
pub async fn revise(db: &Db, ctx: &RequestContext, id: uuid::Uuid, version: i32) -> Result<QuoteView, AppError> {
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    let (q, d) = load_for(&*w, ctx, id, version).await?;
    let old_to = next(status_of(&q), QuoteAction::Revise)?;
    set_status(&*w, &q, version, old_to, None).await?;
    let now = Utc::now();
    approval::Entity::update_many()
        .col_expr(approval::Column::Status, Expr::value("withdrawn"))
        .col_expr(approval::Column::UpdatedAt, Expr::value(now))
        .col_expr(approval::Column::Version, Expr::col(approval::Column::Version).add(1))
        .filter(approval::Column::QuoteId.eq(q.id))
        .filter(approval::Column::Status.eq("pending"))
        .exec(&*w)
        .await
        .map_err(db_err)?;
    let revision = q.revision + 1;
    let number = revision_number(&q.base_number, revision);
    let pol = price_list::policy(&*w).await?;
    let valid_until = Ord::max(q.valid_until, today() + chrono::Duration::days(i64::from(pol.validity_days)));
    let uuid = uuid::Uuid::new_v4();
    let mut fresh: quote::ActiveModel = q.clone().into();
    fresh.id = sea_orm::ActiveValue::NotSet;
    fresh.uuid = Set(uuid);
    fresh.revision = Set(revision);
    fresh.number = Set(number.clone());
    fresh.status = Set(QuoteStatus::Draft.as_str().into());
    fresh.valid_until = Set(valid_until);
    fresh.approver = Set(None);
    fresh.reasons = Set(None);
    fresh.created_by = Set(ctx.user_id);
    fresh.created_at = Set(now);
    fresh.updated_at = Set(now);
    fresh.submitted_at = Set(None);
    fresh.decided_at = Set(None);
    fresh.sent_at = Set(None);
    fresh.closed_at = Set(None);
    fresh.version = Set(1);
    let new_id = quote::Entity::insert(fresh).exec(&*w).await.map_err(db_err)?.last_insert_id;
    let lines = quote_line::Entity::find().filter(quote_line::Column::QuoteId.eq(q.id)).all(&*w).await.map_err(db_err)?;
    let copies: Vec<quote_line::ActiveModel> = lines
        .into_iter()
        .map(|l| {
            let mut c: quote_line::ActiveModel = l.into();
            c.id = sea_orm::ActiveValue::NotSet;
            c.quote_id = Set(new_id);
            c
        })
        .collect();
    for chunk in copies.chunks(100) {
        quote_line::Entity::insert_many(chunk.to_vec()).exec(&*w).await.map_err(db_err)?;
    }
    note(&*w, &d, ctx.user_id, HistoryKind::QuoteRevised, format!("{} → {number}", q.number)).await?;
    w.commit().await.map_err(db_err)?;
    crate::ssr::events::publish_deal(db, "quote", &d, ctx.user_id).await;
    super::get(db, ctx, uuid).await
}
