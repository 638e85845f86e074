//! The contract's way through its chain to signature and cash: submit (the chain table
//! decides the steps, the first lands in its approver's inbox), withdraw, each step's
//! decision (called from the approvals inbox), sign, and receipts against milestones.
use super::write::summary;
use super::{by_uuid, kind_of, status_of, steps_of, today};
use crate::domain::access::DealAction;
use crate::domain::contract::dto::{ContractView, ReceiptInput, SignInput};
use crate::domain::contract::{chain_for, check_carry, check_receipt, next, Approver, ContractAction, ContractStatus};
use crate::domain::dto::DealPatch;
use crate::domain::error::AppError;
use crate::domain::history::HistoryKind;
use crate::domain::money::format_exact;
use crate::domain::validate;
use crate::ssr::context::RequestContext;
use crate::ssr::db::Db;
use crate::ssr::db_err;
use crate::ssr::entity::{approval, contract, contract_milestone, contract_receipt, deal};
use crate::ssr::service::{access, history, movement};
use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder};

/// The contract and its deal, with the permission to work on its papers checked and the
/// caller's version current.
async fn load_for<C: ConnectionTrait>(
    db: &C,
    ctx: &RequestContext,
    id: uuid::Uuid,
    version: i32,
) -> Result<(contract::Model, deal::Model), AppError> {
    let k = by_uuid(db, id).await?;
    let d = deal::Entity::find_by_id(k.deal_id).one(db).await.map_err(db_err)?.ok_or(AppError::NotFound)?;
    access::check(db, ctx, &d, DealAction::Quote).await?;
    if k.version != version {
        return Err(AppError::Conflict);
    }
    Ok((k, d))
}

async fn note<C: ConnectionTrait>(db: &C, d: &deal::Model, actor: i32, kind: HistoryKind, text: String) -> Result<(), AppError> {
    let mut h = history::row(d.id, actor, kind);
    h.note = Set(Some(text));
    history::append(db, h).await
}

async fn request_step<C: ConnectionTrait>(
    db: &C,
    k: &contract::Model,
    d: &deal::Model,
    steps: &[Approver],
    step: usize,
    round: i32,
    submitter: i32,
) -> Result<(), AppError> {
    let who = movement::route_to(db, steps[step], d.owner_id, submitter).await?;
    let now = Utc::now();
    approval::Entity::insert(approval::ActiveModel {
        uuid: Set(uuid::Uuid::new_v4()),
        deal_id: Set(d.id),
        kind: Set("contract".into()),
        requested_by: Set(submitter),
        approver_id: Set(Some(who)),
        reason: Set(Some(k.number.clone())),
        status: Set("pending".into()),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        contract_id: Set(Some(k.id)),
        step: Set(Some(step as i32)),
        round: Set(Some(round)),
        ..Default::default()
    })
    .exec(db)
    .await
    .map_err(db_err)?;
    Ok(())
}

/// Sets the status (and more) under the version; Conflict when it changed meanwhile.
async fn update<C: ConnectionTrait>(
    db: &C,
    k: &contract::Model,
    version: i32,
    to: ContractStatus,
    extra: Vec<(contract::Column, sea_orm::sea_query::SimpleExpr)>,
) -> Result<(), AppError> {
    let mut u = contract::Entity::update_many()
        .col_expr(contract::Column::Status, Expr::value(to.as_str()))
        .col_expr(contract::Column::UpdatedAt, Expr::value(Utc::now()))
        .col_expr(contract::Column::Version, Expr::col(contract::Column::Version).add(1));
    for (c, e) in extra {
        u = u.col_expr(c, e);
    }
    let res = u.filter(contract::Column::Id.eq(k.id)).filter(contract::Column::Version.eq(version)).exec(db).await.map_err(db_err)?;
    if res.rows_affected != 1 {
        return Err(AppError::Conflict);
    }
    Ok(())
}

/// Sends a draft into its chain: the table decides the steps for its type and amount, a
/// new round starts at the first step.
pub async fn submit(db: &Db, ctx: &RequestContext, id: uuid::Uuid, version: i32) -> Result<ContractView, AppError> {
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    let (k, d) = load_for(&*w, ctx, id, version).await?;
    next(status_of(&k), ContractAction::Submit)?;
    let milestones =
        contract_milestone::Entity::find().filter(contract_milestone::Column::ContractId.eq(k.id)).all(&*w).await.map_err(db_err)?;
    if milestones.is_empty() {
        return Err(AppError::validation("milestones", "add the payment milestones before submitting"));
    }
    let steps = chain_for(&super::chain_rules(&*w).await?, kind_of(&k), k.amount_fen);
    let codes: Vec<&str> = steps.iter().map(|s| s.code()).collect();
    let round = k.round + 1;
    update(
        &*w,
        &k,
        version,
        ContractStatus::InReview,
        vec![
            (contract::Column::Steps, Expr::value(serde_json::to_string(&codes).map_err(|_| AppError::Internal)?)),
            (contract::Column::Round, Expr::value(round)),
            (contract::Column::RejectReason, Expr::value(Option::<String>::None)),
        ],
    )
    .await?;
    request_step(&*w, &k, &d, &steps, 0, round, ctx.user_id).await?;
    note(&*w, &d, ctx.user_id, HistoryKind::ContractSubmitted, format!("{} · {}", summary(&k), codes.join(" → "))).await?;
    w.commit().await.map_err(db_err)?;
    crate::ssr::events::publish_deal(db, "approval_requested", &d, ctx.user_id).await;
    super::get(db, ctx, id).await
}

async fn withdraw_pending<C: ConnectionTrait>(db: &C, contract_id: i32) -> Result<(), AppError> {
    approval::Entity::update_many()
        .col_expr(approval::Column::Status, Expr::value("withdrawn"))
        .col_expr(approval::Column::UpdatedAt, Expr::value(Utc::now()))
        .col_expr(approval::Column::Version, Expr::col(approval::Column::Version).add(1))
        .filter(approval::Column::ContractId.eq(contract_id))
        .filter(approval::Column::Status.eq("pending"))
        .exec(db)
        .await
        .map_err(db_err)?;
    Ok(())
}

/// Takes a contract back out of review into draft; its pending step is withdrawn.
pub async fn withdraw(db: &Db, ctx: &RequestContext, id: uuid::Uuid, version: i32) -> Result<ContractView, AppError> {
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    let (k, d) = load_for(&*w, ctx, id, version).await?;
    let to = next(status_of(&k), ContractAction::Withdraw)?;
    update(&*w, &k, version, to, vec![]).await?;
    withdraw_pending(&*w, k.id).await?;
    note(&*w, &d, ctx.user_id, HistoryKind::ContractWithdrawn, summary(&k)).await?;
    w.commit().await.map_err(db_err)?;
    crate::ssr::events::publish_deal(db, "approval_decided", &d, ctx.user_id).await;
    super::get(db, ctx, id).await
}

/// One step's decision, inside the inbox's transaction (the inbox checked who may decide
/// and that the request is pending). Approving opens the next step or, at the last,
/// approves the contract; rejecting needs the reason and returns the contract to draft.
pub async fn decide_in(
    txn: &DatabaseTransaction,
    ctx: &RequestContext,
    a: &approval::Model,
    approve: bool,
    comment: Option<&str>,
) -> Result<deal::Model, AppError> {
    let kid = a.contract_id.ok_or(AppError::Internal)?;
    let k = contract::Entity::find_by_id(kid).one(txn).await.map_err(db_err)?.ok_or(AppError::NotFound)?;
    if status_of(&k) != ContractStatus::InReview || a.round != Some(k.round) {
        return Err(AppError::Conflict);
    }
    let d = deal::Entity::find_by_id(k.deal_id).one(txn).await.map_err(db_err)?.ok_or(AppError::NotFound)?;
    let steps = steps_of(&k);
    let step = usize::try_from(a.step.unwrap_or(0)).map_err(|_| AppError::Internal)?;
    let who = steps.get(step).copied().ok_or(AppError::Internal)?;
    if !approve {
        let reason = validate::required("comment", comment.unwrap_or(""), 2000)
            .map_err(|_| AppError::validation("comment", "say why the contract is rejected"))?;
        let to = next(ContractStatus::InReview, ContractAction::Reject)?;
        update(txn, &k, k.version, to, vec![(contract::Column::RejectReason, Expr::value(reason.clone()))]).await?;
        note(txn, &d, ctx.user_id, HistoryKind::ContractRejected, format!("{} · {} · {reason}", summary(&k), who.code())).await?;
        return Ok(d);
    }
    let last = step + 1 >= steps.len();
    let to = next(ContractStatus::InReview, ContractAction::Approve { last })?;
    update(txn, &k, k.version, to, vec![]).await?;
    let opinion = comment.map(|c| format!(" · {c}")).unwrap_or_default();
    if last {
        note(txn, &d, ctx.user_id, HistoryKind::ContractApproved, format!("{} · {}{opinion}", summary(&k), who.code())).await?;
    } else {
        request_step(txn, &k, &d, &steps, step + 1, k.round, a.requested_by).await?;
        note(txn, &d, ctx.user_id, HistoryKind::ContractStepApproved, format!("{} · {}{opinion}", summary(&k), who.code())).await?;
    }
    Ok(d)
}

/// Marks an approved contract signed; it is locked from now on, and the deal's amount
/// becomes the contract amount through the deal's own patch in the same transaction.
pub async fn sign(db: &Db, ctx: &RequestContext, id: uuid::Uuid, s: SignInput, version: i32) -> Result<ContractView, AppError> {
    let signed_on = validate::date("signed_on", s.signed_on)?;
    if signed_on > today() {
        return Err(AppError::validation("signed_on", "cannot be in the future"));
    }
    let signatory = validate::required("signatory", &s.signatory, 100)?;
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    let (k, d) = load_for(&*w, ctx, id, version).await?;
    let to = next(status_of(&k), ContractAction::Sign)?;
    update(
        &*w,
        &k,
        version,
        to,
        vec![
            (contract::Column::SignedOn, Expr::value(signed_on)),
            (contract::Column::Signatory, Expr::value(signatory.clone())),
            (contract::Column::SignMethod, Expr::value(s.method.code())),
        ],
    )
    .await?;
    let replaced = supersede(&*w, &k).await?.map(|n| format!(" · ← {n}")).unwrap_or_default();
    note(&*w, &d, ctx.user_id, HistoryKind::ContractSigned, format!("{} · {signed_on} · {signatory}{replaced}", summary(&k))).await?;
    if d.amount_fen != k.amount_fen {
        let p = DealPatch { version: d.version, amount_fen: Some(k.amount_fen), ..Default::default() };
        crate::ssr::service::deal::patch_in(&w.txn, ctx, d.uuid, p).await?;
    }
    w.commit().await.map_err(db_err)?;
    crate::ssr::events::publish_deal(db, "deal_updated", &d, ctx.user_id).await;
    super::get(db, ctx, id).await
}

/// Signing an amendment supersedes the contract it amends: the money received there moves
/// to the amendment's milestone of the same position (refused when it would not fit). Returns
/// the superseded contract's number.
async fn supersede<C: ConnectionTrait>(db: &C, k: &contract::Model) -> Result<Option<String>, AppError> {
    let Some(old_id) = k.supersedes_id else { return Ok(None) };
    let old = contract::Entity::find_by_id(old_id).one(db).await.map_err(db_err)?.ok_or(AppError::NotFound)?;
    let to = next(status_of(&old), ContractAction::Supersede)?;
    let milestones = |id: i32| {
        contract_milestone::Entity::find()
            .filter(contract_milestone::Column::ContractId.eq(id))
            .order_by_asc(contract_milestone::Column::Position)
            .all(db)
    };
    let before = milestones(old.id).await.map_err(db_err)?;
    let after = milestones(k.id).await.map_err(db_err)?;
    let received: Vec<(i32, i64)> = before.iter().map(|m| (m.position, m.received_fen)).collect();
    let due: Vec<(i32, i64)> = after.iter().map(|m| (m.position, m.amount_fen)).collect();
    check_carry(&received, &due)?;
    for m in before.iter().filter(|m| m.received_fen > 0) {
        let n = after.iter().find(|n| n.position == m.position).ok_or(AppError::Internal)?;
        contract_milestone::Entity::update_many()
            .col_expr(contract_milestone::Column::ReceivedFen, Expr::value(m.received_fen))
            .filter(contract_milestone::Column::Id.eq(n.id))
            .exec(db)
            .await
            .map_err(db_err)?;
        contract_receipt::Entity::update_many()
            .col_expr(contract_receipt::Column::ContractId, Expr::value(k.id))
            .col_expr(contract_receipt::Column::MilestoneId, Expr::value(n.id))
            .filter(contract_receipt::Column::MilestoneId.eq(m.id))
            .exec(db)
            .await
            .map_err(db_err)?;
    }
    // The receipts live on the amendment now; the superseded milestones keep no money.
    contract_milestone::Entity::update_many()
        .col_expr(contract_milestone::Column::ReceivedFen, Expr::value(0i64))
        .filter(contract_milestone::Column::ContractId.eq(old.id))
        .exec(db)
        .await
        .map_err(db_err)?;
    update(db, &old, old.version, to, vec![]).await?;
    Ok(Some(old.number))
}

/// Records money received against a milestone of a signed contract; never more than is
/// still due on it.
pub async fn receive(db: &Db, ctx: &RequestContext, id: uuid::Uuid, r: ReceiptInput, version: i32) -> Result<ContractView, AppError> {
    let received_on = validate::date("received_on", r.received_on)?;
    if received_on > today() {
        return Err(AppError::validation("received_on", "cannot be in the future"));
    }
    validate::amount_fen("amount", r.amount_fen)?;
    let reference = validate::optional("reference", r.reference, 100)?;
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    let (k, d) = load_for(&*w, ctx, id, version).await?;
    next(status_of(&k), ContractAction::Receive)?;
    let m = contract_milestone::Entity::find()
        .filter(contract_milestone::Column::ContractId.eq(k.id))
        .filter(contract_milestone::Column::Position.eq(r.milestone))
        .one(&*w)
        .await
        .map_err(db_err)?
        .ok_or_else(|| AppError::validation("milestone", "no such milestone on this contract"))?;
    check_receipt(m.amount_fen, m.received_fen, r.amount_fen)?;
    // An amendment under way takes this money over when signed: it must still fit there, or
    // the amendment could never be signed.
    if let Some(a) = contract::Entity::find()
        .filter(contract::Column::SupersedesId.eq(k.id))
        .filter(contract::Column::Status.is_in([
            ContractStatus::Draft.as_str(),
            ContractStatus::InReview.as_str(),
            ContractStatus::Approved.as_str(),
        ]))
        .one(&*w)
        .await
        .map_err(db_err)?
    {
        let room = contract_milestone::Entity::find()
            .filter(contract_milestone::Column::ContractId.eq(a.id))
            .filter(contract_milestone::Column::Position.eq(r.milestone))
            .one(&*w)
            .await
            .map_err(db_err)?
            .map_or(0, |n| n.amount_fen);
        if m.received_fen.saturating_add(r.amount_fen) > room {
            return Err(AppError::validation(
                "amount",
                format!(
                    "the amendment {} under way gives milestone {} only {}; change the amendment first",
                    a.number,
                    r.milestone,
                    crate::domain::csv::yuan(room)
                ),
            ));
        }
    }
    let res = contract_milestone::Entity::update_many()
        .col_expr(contract_milestone::Column::ReceivedFen, Expr::col(contract_milestone::Column::ReceivedFen).add(r.amount_fen))
        .filter(contract_milestone::Column::Id.eq(m.id))
        .filter(contract_milestone::Column::ReceivedFen.eq(m.received_fen))
        .exec(&*w)
        .await
        .map_err(db_err)?;
    if res.rows_affected != 1 {
        return Err(AppError::Conflict);
    }
    update(&*w, &k, version, ContractStatus::Signed, vec![]).await?;
    contract_receipt::Entity::insert(contract_receipt::ActiveModel {
        uuid: Set(uuid::Uuid::new_v4()),
        contract_id: Set(k.id),
        milestone_id: Set(m.id),
        received_on: Set(received_on),
        amount_fen: Set(r.amount_fen),
        reference: Set(reference),
        created_by: Set(ctx.user_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec(&*w)
    .await
    .map_err(db_err)?;
    let text = format!("{} · #{} · {}", k.number, r.milestone, format_exact(r.amount_fen, &k.currency));
    note(&*w, &d, ctx.user_id, HistoryKind::PaymentReceived, text).await?;
    w.commit().await.map_err(db_err)?;
    crate::ssr::events::publish_deal(db, "contract", &d, ctx.user_id).await;
    super::get(db, ctx, id).await
}
