//! Approval requests: the inbox of the people they are routed to, and the decision, which
//! re-runs the gate at that moment and performs the move.
use super::mapping::stage_ref;
use super::movement::{load_key_info, load_rules};
use crate::domain::dto::ApprovalRow;
use crate::domain::error::AppError;
use crate::domain::gate::{MoveInput, Outcome, StageKind};
use crate::domain::history::HistoryKind;
use crate::ssr::context::RequestContext;
use crate::ssr::db::Db;
use crate::ssr::db_err;
use crate::ssr::entity::{approval, deal, notification, stage, user};
use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

pub async fn pending_count(db: &Db, ctx: &RequestContext) -> Result<u64, AppError> {
    approval::Entity::find()
        .filter(approval::Column::ApproverId.eq(ctx.user_id))
        .filter(approval::Column::Status.eq("pending"))
        .count(db)
        .await
        .map_err(db_err)
}

pub async fn list(db: &Db, ctx: &RequestContext, status: Option<&str>) -> Result<Vec<ApprovalRow>, AppError> {
    let mut q = approval::Entity::find().filter(super::access::approval_visibility(ctx));
    if let Some(s) = status {
        q = q.filter(approval::Column::Status.eq(s));
    }
    let rows = q.order_by_desc(approval::Column::CreatedAt).all(db).await.map_err(db_err)?;
    rows_to_dto(db, rows).await
}

async fn rows_to_dto<C: ConnectionTrait>(db: &C, rows: Vec<approval::Model>) -> Result<Vec<ApprovalRow>, AppError> {
    let deal_ids: Vec<i32> = rows.iter().map(|a| a.deal_id).collect();
    let deals = super::mapping::deals_by_id(db, deal_ids).await?;
    let acct_ids: Vec<i32> = deals.values().map(|d| d.account_id).collect();
    let accounts = super::account_names(db, acct_ids).await?;
    let user_ids: Vec<i32> = rows.iter().flat_map(|a| [Some(a.requested_by), a.approver_id]).flatten().collect();
    let users = super::user_names(db, user_ids).await?;
    let quotes = super::quote::briefs(db, rows.iter().filter_map(|a| a.quote_id).collect()).await?;
    let contracts = super::contract::briefs(db, &rows).await?;
    let stage_ids: Vec<i32> = rows.iter().flat_map(|a| [a.from_stage_id, a.to_stage_id]).flatten().collect();
    let stages: HashMap<i32, stage::Model> = stage::Entity::find()
        .filter(stage::Column::Id.is_in(stage_ids))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    Ok(rows
        .into_iter()
        .filter_map(|a| {
            let d = deals.get(&a.deal_id)?;
            Some(ApprovalRow {
                id: a.uuid,
                deal_id: d.uuid,
                deal_name: d.name.clone(),
                account: accounts.get(&d.account_id).cloned().unwrap_or_default(),
                amount_fen: d.amount_fen,
                requested_by: users.get(&a.requested_by).cloned().unwrap_or_default(),
                approver: a.approver_id.and_then(|u| users.get(&u).cloned()),
                from_stage: a.from_stage_id.and_then(|s| stages.get(&s)).map(stage_ref),
                to_stage: a.to_stage_id.and_then(|s| stages.get(&s)).map(stage_ref),
                reason: a.reason,
                status: a.status,
                result: a.result,
                comment: a.comment,
                created_at: a.created_at,
                quote: a.quote_id.and_then(|q| quotes.get(&q).cloned()),
                contract: contracts.get(&a.id).cloned(),
                kind: a.kind.clone(),
            })
        })
        .collect())
}

/// Approve or reject. Approving re-checks the gate against the deal as it is now; if the
/// deal still qualifies it moves, otherwise the approval records why it could not.
pub async fn decide(
    db: &Db,
    ctx: &RequestContext,
    id: uuid::Uuid,
    approve: bool,
    comment: Option<String>,
) -> Result<ApprovalRow, AppError> {
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    let txn = &w.txn;
    let a = approval::Entity::find().filter(approval::Column::Uuid.eq(id)).one(txn).await.map_err(db_err)?.ok_or(AppError::NotFound)?;
    let actor = super::access::actor(ctx);
    let may = if a.quote_id.is_some() || a.contract_id.is_some() || a.negotiation_id.is_some() {
        crate::domain::access::may_decide_quote(&actor, a.approver_id, a.requested_by)
    } else {
        crate::domain::access::may_decide(&actor, a.approver_id)
    };
    if !may {
        // Requesters may see their request but not decide it; others learn nothing.
        return Err(if a.requested_by == ctx.user_id { AppError::Forbidden } else { AppError::NotFound });
    }
    if a.status != "pending" {
        return Err(AppError::Conflict);
    }
    // Every rejection says why: the requester is told on their bell and has to act on it.
    if !approve && comment.as_deref().is_none_or(|c| c.trim().is_empty()) {
        return Err(AppError::validation("comment", "say why it is rejected"));
    }
    let now = Utc::now();
    if a.contract_id.is_some() || a.negotiation_id.is_some() {
        let d = if a.contract_id.is_some() {
            super::contract::decide_in(txn, ctx, &a, approve, comment.as_deref()).await?
        } else {
            super::negotiation::decide_in(txn, ctx, &a, approve, comment.as_deref()).await?
        };
        close_request(txn, ctx, &a, if approve { "approved" } else { "rejected" }, None, comment.clone(), now).await?;
        let fresh = approval::Entity::find_by_id(a.id).one(txn).await.map_err(db_err)?.ok_or(AppError::Internal)?;
        let row = rows_to_dto(txn, vec![fresh]).await?.pop().ok_or(AppError::Internal)?;
        w.commit().await.map_err(db_err)?;
        crate::ssr::events::publish_deal(db, "approval_decided", &d, ctx.user_id).await;
        return Ok(row);
    }
    if a.quote_id.is_some() {
        let d = super::quote::decide_in(txn, ctx, &a, approve).await?;
        close_request(txn, ctx, &a, if approve { "approved" } else { "rejected" }, None, comment.clone(), now).await?;
        let fresh = approval::Entity::find_by_id(a.id).one(txn).await.map_err(db_err)?.ok_or(AppError::Internal)?;
        let row = rows_to_dto(txn, vec![fresh]).await?.pop().ok_or(AppError::Internal)?;
        w.commit().await.map_err(db_err)?;
        crate::ssr::events::publish_deal(db, "approval_decided", &d, ctx.user_id).await;
        return Ok(row);
    }
    let d = deal::Entity::find_by_id(a.deal_id).one(txn).await.map_err(db_err)?.ok_or(AppError::NotFound)?;
    let (status, result) = if !approve {
        ("rejected", None)
    } else {
        let (rules, stages) = load_rules(txn, d.pipeline_id).await?;
        let (key_info, _) = load_key_info(txn, d.id).await?;
        let map = super::map::gate_map(txn, d.id).await?;
        let checklists = super::checklist::gate_checklists(txn, d.id).await?;
        let quotes = super::movement::quote_facts(txn, d.id).await?;
        let open_objections = super::objection::open_count(txn, d.id).await?;
        let to_id = a.to_stage_id.ok_or(AppError::Internal)?;
        let to = stages.iter().find(|s| s.id == to_id).cloned().ok_or(AppError::NotFound)?;
        let outcome = rules.check(&MoveInput {
            from_stage: d.stage_id,
            to_stage: to.id,
            key_info: &key_info,
            map: &map,
            checklists: &checklists,
            quotes,
            open_objections,
            today: Utc::now().date_naive(),
            reason: a.reason.as_deref(),
            lost_reason: a.reason.as_deref().or(d.lost_reason.as_deref()),
            role: user::Entity::find_by_id(a.requested_by)
                .one(txn)
                .await
                .map_err(db_err)?
                .and_then(|u| crate::domain::role::Role::parse(&u.role))
                .unwrap_or(ctx.role),
            approved: true,
        });
        match outcome {
            Outcome::Moved => {
                // The same write as every other move: version guard, stage, history.
                let lost = if StageKind::parse(&to.kind) == Some(StageKind::Lost) { a.reason.clone() } else { None };
                super::movement::move_with_history(txn, &d, &to, &stages, lost, ctx.user_id, comment.clone(), Some(a.id)).await?;
                ("approved", Some("moved".to_owned()))
            }
            Outcome::Blocked(m) => ("approved", Some(format!("blocked:{}", m.iter().map(|x| x.code()).collect::<Vec<_>>().join(",")))),
            Outcome::Forbidden(_) => ("approved", Some("forbidden".to_owned())),
            Outcome::NeedsApproval => ("approved", Some("forbidden".to_owned())),
        }
    };
    close_request(txn, ctx, &a, status, result, comment.clone(), now).await?;
    let kind = if approve { HistoryKind::ApprovalApproved } else { HistoryKind::ApprovalRejected };
    let mut h = super::history::row(d.id, ctx.user_id, kind);
    h.at = Set(now);
    h.from_stage_id = Set(a.from_stage_id);
    h.to_stage_id = Set(a.to_stage_id);
    h.note = Set(comment);
    h.approval_id = Set(Some(a.id));
    super::history::append(txn, h).await?;
    let fresh = approval::Entity::find_by_id(a.id).one(txn).await.map_err(db_err)?.ok_or(AppError::Internal)?;
    let row = rows_to_dto(txn, vec![fresh]).await?.pop().ok_or(AppError::Internal)?;
    w.commit().await.map_err(db_err)?;
    crate::ssr::events::publish_deal(db, "approval_decided", &d, ctx.user_id).await;
    Ok(row)
}

/// Records the decision on the request under its version (a concurrent decision is a conflict).
async fn close_request<C: ConnectionTrait>(
    txn: &C,
    ctx: &RequestContext,
    a: &approval::Model,
    status: &str,
    result: Option<String>,
    comment: Option<String>,
    now: chrono::DateTime<Utc>,
) -> Result<(), AppError> {
    let words = comment.as_deref().map(|c| format!(" · “{}”", c.chars().take(160).collect::<String>())).unwrap_or_default();
    let res = approval::Entity::update_many()
        .col_expr(approval::Column::Status, Expr::value(status))
        .col_expr(approval::Column::DecidedBy, Expr::value(ctx.user_id))
        .col_expr(approval::Column::DecidedAt, Expr::value(now))
        .col_expr(approval::Column::Comment, Expr::value(comment))
        .col_expr(approval::Column::Result, Expr::value(result))
        .col_expr(approval::Column::UpdatedAt, Expr::value(now))
        .col_expr(approval::Column::Version, Expr::col(approval::Column::Version).add(1))
        .filter(approval::Column::Id.eq(a.id))
        .filter(approval::Column::Version.eq(a.version))
        .exec(txn)
        .await
        .map_err(db_err)?;
    if res.rows_affected != 1 {
        return Err(AppError::Conflict);
    }
    // The requester hears of every decision on their bell, with the approver's words.
    if a.requested_by != ctx.user_id {
        let subject = a.reason.as_deref().map(|r| r.chars().take(80).collect::<String>()).unwrap_or_default();
        notification::Entity::insert(notification::ActiveModel {
            user_id: Set(a.requested_by),
            deal_id: Set(a.deal_id),
            comment_id: Set(None),
            kind: Set(format!("approval_{status}")),
            text: Set(format!("{} · {subject}{words}", ctx.name)),
            created_at: Set(now),
            read_at: Set(None),
            ..Default::default()
        })
        .exec_without_returning(txn)
        .await
        .map_err(db_err)?;
    }
    Ok(())
}
