//! Reading contracts: one whole with its chain, milestones and receipts and what the viewer
//! may do; a deal's contracts; the `/contracts` list.
use super::{by_uuid, kind_of, status_of, steps_of, today};
use crate::domain::access::DealAction;
use crate::domain::contract::dto::{
    ContractBrief, ContractFilter, ContractLink, ContractRow, ContractView, MilestoneView, PastStep, ReceiptView, StepState, StepView,
};
use crate::domain::contract::{chain_for, Approver, ContractStatus, MilestoneKind, Share, SignMethod};
use crate::domain::error::AppError;
use crate::ssr::context::RequestContext;
use crate::ssr::db::Db;
use crate::ssr::db_err;
use crate::ssr::entity::{approval, contract, contract_milestone, contract_receipt, deal, quote};
use crate::ssr::service::{access, account_names, mapping, user_names};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait};
use std::collections::HashMap;

fn overdue_days(m: &contract_milestone::Model, today: chrono::NaiveDate) -> i64 {
    match m.due_on {
        Some(due) if m.received_fen < m.amount_fen && due < today => (today - due).num_days(),
        _ => 0,
    }
}

fn milestone_view(m: &contract_milestone::Model, today: chrono::NaiveDate) -> MilestoneView {
    MilestoneView {
        position: m.position,
        kind: MilestoneKind::parse(&m.name).unwrap_or(MilestoneKind::Other),
        due_on: m.due_on,
        trigger: m.trigger_text.clone(),
        share: if m.share_kind == "percent" {
            Share::PercentBp(i32::try_from(m.share_value).unwrap_or(0))
        } else {
            Share::AmountFen(m.share_value)
        },
        amount_fen: m.amount_fen,
        received_fen: m.received_fen,
        overdue_days: overdue_days(m, today),
    }
}

/// One contract whole, for a viewer who sees its deal.
/// Contract steps as the inbox shows them, by approval id.
pub async fn briefs<C: ConnectionTrait>(db: &C, approvals: &[approval::Model]) -> Result<HashMap<i32, ContractBrief>, AppError> {
    let ids: Vec<i32> = approvals.iter().filter_map(|a| a.contract_id).collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let ks: HashMap<i32, contract::Model> = contract::Entity::find()
        .filter(contract::Column::Id.is_in(ids.clone()))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|k| (k.id, k))
        .collect();
    let mut counts: HashMap<i32, i32> = HashMap::new();
    for m in contract_milestone::Entity::find().filter(contract_milestone::Column::ContractId.is_in(ids)).all(db).await.map_err(db_err)? {
        *counts.entry(m.contract_id).or_default() += 1;
    }
    Ok(approvals
        .iter()
        .filter_map(|a| {
            let k = ks.get(&a.contract_id?)?;
            let steps = steps_of(k);
            let step_no = a.step.unwrap_or(0);
            Some((
                a.id,
                ContractBrief {
                    id: k.uuid,
                    number: k.number.clone(),
                    kind: kind_of(k),
                    amount_fen: k.amount_fen,
                    step: usize::try_from(step_no).ok().and_then(|s| steps.get(s).copied()).unwrap_or(Approver::SalesManager),
                    step_no: step_no + 1,
                    steps: steps.len() as i32,
                    milestones: counts.get(&k.id).copied().unwrap_or(0),
                },
            ))
        })
        .collect())
}

pub async fn get<C: ConnectionTrait>(db: &C, ctx: &RequestContext, id: uuid::Uuid) -> Result<ContractView, AppError> {
    let k = by_uuid(db, id).await?;
    let d = deal::Entity::find_by_id(k.deal_id).one(db).await.map_err(db_err)?.ok_or(AppError::NotFound)?;
    let team = access::check_with_team(db, ctx, &d, DealAction::View).await?;
    let may_work = access::allows(ctx, DealAction::Quote, &d, &team);
    let status = status_of(&k);
    let approvals = approval::Entity::find()
        .filter(approval::Column::ContractId.eq(k.id))
        .order_by_asc(approval::Column::Id)
        .all(db)
        .await
        .map_err(db_err)?;
    let user_ids: Vec<i32> = approvals.iter().filter_map(|a| a.approver_id).chain([k.created_by]).collect();
    let milestones = contract_milestone::Entity::find()
        .filter(contract_milestone::Column::ContractId.eq(k.id))
        .order_by_asc(contract_milestone::Column::Position)
        .all(db)
        .await
        .map_err(db_err)?;
    let receipts = contract_receipt::Entity::find()
        .filter(contract_receipt::Column::ContractId.eq(k.id))
        .order_by_asc(contract_receipt::Column::ReceivedOn)
        .order_by_asc(contract_receipt::Column::Id)
        .all(db)
        .await
        .map_err(db_err)?;
    let names = user_names(db, user_ids.into_iter().chain(receipts.iter().map(|r| r.created_by)).collect()).await?;
    let account = account_names(db, vec![d.account_id]).await?.remove(&d.account_id).unwrap_or_default();
    let quote_number = match k.quote_id {
        Some(q) => quote::Entity::find_by_id(q).one(db).await.map_err(db_err)?.map(|q| q.number),
        None => None,
    };
    let steps =
        if status == ContractStatus::Draft { chain_for(&super::chain_rules(db).await?, kind_of(&k), k.amount_fen) } else { steps_of(&k) };
    let this_round: HashMap<i32, &approval::Model> = approvals
        .iter()
        .filter(|a| a.round == Some(k.round) && a.status != "withdrawn" && status != ContractStatus::Draft)
        .filter_map(|a| a.step.map(|s| (s, a)))
        .collect();
    let step_views: Vec<StepView> = steps
        .iter()
        .enumerate()
        .map(|(i, who)| {
            let a = this_round.get(&(i as i32));
            StepView {
                position: i as i32,
                approver: *who,
                who: a.and_then(|a| a.approver_id).and_then(|u| names.get(&u).cloned()),
                state: match a.map(|a| a.status.as_str()) {
                    Some("pending") => StepState::Pending,
                    Some("approved") => StepState::Approved,
                    Some("rejected") => StepState::Rejected,
                    _ => StepState::Waiting,
                },
                opinion: a.and_then(|a| a.comment.clone()),
                decided_at: a.and_then(|a| a.decided_at),
                approval_id: a.map(|a| a.uuid),
            }
        })
        .collect();
    // Earlier rounds took the chain of their day; the current chain labels their steps.
    let past_chain = steps_of(&k);
    let history: Vec<PastStep> = approvals
        .iter()
        .filter(|a| matches!(a.status.as_str(), "approved" | "rejected"))
        .filter(|a| a.round != Some(k.round) || status == ContractStatus::Draft)
        .map(|a| PastStep {
            round: a.round.unwrap_or(0),
            approver: a
                .step
                .and_then(|s| usize::try_from(s).ok())
                .and_then(|s| past_chain.get(s).copied())
                .unwrap_or(Approver::SalesManager),
            who: a.approver_id.and_then(|u| names.get(&u).cloned()),
            approved: a.status == "approved",
            opinion: a.comment.clone(),
            decided_at: a.decided_at,
        })
        .collect();
    let my_approval = approvals
        .iter()
        .find(|a| a.status == "pending" && a.approver_id == Some(ctx.user_id) && a.requested_by != ctx.user_id)
        .map(|a| a.uuid);
    let link = |c: contract::Model| ContractLink { id: c.uuid, number: c.number.clone(), status: status_of(&c) };
    let supersedes = match k.supersedes_id {
        Some(old) => contract::Entity::find_by_id(old).one(db).await.map_err(db_err)?.map(link),
        None => None,
    };
    let amended_by = contract::Entity::find()
        .filter(contract::Column::SupersedesId.eq(k.id))
        .order_by_desc(contract::Column::Id)
        .one(db)
        .await
        .map_err(db_err)?
        .map(link);
    let today = today();
    let positions: HashMap<i32, i32> = milestones.iter().map(|m| (m.id, m.position)).collect();
    Ok(ContractView {
        id: k.uuid,
        deal_id: d.uuid,
        deal_name: d.name.clone(),
        account,
        quote_number,
        number: k.number.clone(),
        kind: kind_of(&k),
        party_a: k.party_a.clone(),
        party_b: k.party_b.clone(),
        amount_fen: k.amount_fen,
        currency: k.currency.clone(),
        payment_terms: k.payment_terms.clone(),
        delivery_terms: k.delivery_terms.clone(),
        acceptance_terms: k.acceptance_terms.clone(),
        starts_on: k.starts_on,
        ends_on: k.ends_on,
        status,
        round: k.round,
        steps: step_views,
        history,
        reject_reason: k.reject_reason.clone(),
        signed_on: k.signed_on,
        signatory: k.signatory.clone(),
        sign_method: k.sign_method.as_deref().and_then(SignMethod::parse),
        received_fen: milestones.iter().map(|m| m.received_fen).fold(0i64, i64::saturating_add),
        // Money falls due under a signed contract only: a draft's dates are proposals.
        milestones: milestones
            .iter()
            .map(|m| MilestoneView {
                overdue_days: if status == ContractStatus::Signed { overdue_days(m, today) } else { 0 },
                ..milestone_view(m, today)
            })
            .collect(),
        receipts: receipts
            .iter()
            .map(|r| ReceiptView {
                id: r.uuid,
                milestone: positions.get(&r.milestone_id).copied().unwrap_or(0),
                received_on: r.received_on,
                amount_fen: r.amount_fen,
                reference: r.reference.clone(),
                recorded_by: names.get(&r.created_by).cloned().unwrap_or_default(),
            })
            .collect(),
        may_work,
        my_approval,
        created_by: names.get(&k.created_by).cloned().unwrap_or_default(),
        created_at: k.created_at,
        version: k.version,
        revision: k.revision,
        supersedes,
        amended_by,
    })
}

/// Rows for contracts already loaded: deal, account, owner, the step each waits for, money.
async fn rows<C: ConnectionTrait>(db: &C, ctx: &RequestContext, ks: Vec<contract::Model>) -> Result<Vec<ContractRow>, AppError> {
    let ids: Vec<i32> = ks.iter().map(|k| k.id).collect();
    let deals = mapping::deals_by_id(db, ks.iter().map(|k| k.deal_id)).await?;
    let accounts = account_names(db, deals.values().map(|d| d.account_id).collect()).await?;
    let owners = user_names(db, deals.values().map(|d| d.owner_id).collect()).await?;
    let mut pending: HashMap<i32, (Option<i32>, i32)> = HashMap::new();
    let mut milestones: Vec<contract_milestone::Model> = Vec::new();
    for chunk in ids.chunks(500) {
        for a in approval::Entity::find()
            .filter(approval::Column::ContractId.is_in(chunk.to_vec()))
            .filter(approval::Column::Status.eq("pending"))
            .all(db)
            .await
            .map_err(db_err)?
        {
            if let Some(c) = a.contract_id {
                pending.insert(c, (a.approver_id, a.step.unwrap_or(0)));
            }
        }
        milestones.extend(
            contract_milestone::Entity::find()
                .filter(contract_milestone::Column::ContractId.is_in(chunk.to_vec()))
                .all(db)
                .await
                .map_err(db_err)?,
        );
    }
    let today = today();
    let signed: std::collections::HashSet<i32> = ks.iter().filter(|k| status_of(k) == ContractStatus::Signed).map(|k| k.id).collect();
    let mut money: HashMap<i32, (i64, i64)> = HashMap::new();
    for m in &milestones {
        let e = money.entry(m.contract_id).or_default();
        e.0 = e.0.saturating_add(m.received_fen);
        if signed.contains(&m.contract_id) && overdue_days(m, today) > 0 {
            e.1 = e.1.saturating_add(m.amount_fen - m.received_fen);
        }
    }
    Ok(ks
        .into_iter()
        .filter_map(|k| {
            let d = deals.get(&k.deal_id)?;
            let p = pending.get(&k.id);
            let (received_fen, overdue_fen) = money.get(&k.id).copied().unwrap_or_default();
            Some(ContractRow {
                id: k.uuid,
                number: k.number.clone(),
                deal_id: d.uuid,
                deal_name: d.name.clone(),
                account: accounts.get(&d.account_id).cloned().unwrap_or_default(),
                owner: owners.get(&d.owner_id).cloned().unwrap_or_default(),
                kind: kind_of(&k),
                amount_fen: k.amount_fen,
                status: status_of(&k),
                waiting_for: p.and_then(|(_, s)| steps_of(&k).get(usize::try_from(*s).ok()?).copied()),
                waiting_for_me: p.is_some_and(|(who, _)| *who == Some(ctx.user_id)),
                received_fen,
                overdue_fen,
                signed_on: k.signed_on,
                updated_at: k.updated_at,
            })
        })
        .collect())
}

/// The deal's contracts, newest first.
pub async fn list_for_deal(db: &Db, ctx: &RequestContext, deal_id: uuid::Uuid) -> Result<Vec<ContractRow>, AppError> {
    let d = access::visible_deal(db, ctx, deal_id).await?;
    let ks = contract::Entity::find()
        .filter(contract::Column::DealId.eq(d.id))
        .order_by_desc(contract::Column::Id)
        .all(db)
        .await
        .map_err(db_err)?;
    rows(db, ctx, ks).await
}

/// The contracts of every deal the viewer sees, most recently changed first (at most 500).
pub async fn list(db: &Db, ctx: &RequestContext, f: ContractFilter) -> Result<Vec<ContractRow>, AppError> {
    let mut q = contract::Entity::find().filter(contract::Column::DealId.in_subquery(access::visible_deal_ids(ctx)));
    if let Some(s) = f.status {
        q = q.filter(contract::Column::Status.eq(s.as_str()));
    }
    if let Some(t) = f.kind {
        q = q.filter(contract::Column::Kind.eq(t.code()));
    }
    if f.mine {
        let mine = approval::Entity::find()
            .select_only()
            .column(approval::Column::ContractId)
            .filter(approval::Column::ApproverId.eq(ctx.user_id))
            .filter(approval::Column::Status.eq("pending"))
            .filter(approval::Column::ContractId.is_not_null())
            .into_query();
        q = q.filter(contract::Column::Id.in_subquery(mine));
    }
    if f.overdue {
        let late = contract_milestone::Entity::find()
            .select_only()
            .column(contract_milestone::Column::ContractId)
            .filter(contract_milestone::Column::DueOn.lt(today()))
            .filter(Expr::col(contract_milestone::Column::ReceivedFen).lt(Expr::col(contract_milestone::Column::AmountFen)))
            .into_query();
        q = q.filter(contract::Column::Status.eq(ContractStatus::Signed.as_str())).filter(contract::Column::Id.in_subquery(late));
    }
    let ks = q.order_by_desc(contract::Column::UpdatedAt).limit(500).all(db).await.map_err(db_err)?;
    rows(db, ctx, ks).await
}
