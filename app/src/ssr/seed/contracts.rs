//! Demo contracts through the services, as a team would produce them: on the 80 % stage a
//! draft, one waiting for legal, one approved and waiting for signature; on a won deal a
//! signed contract paid late (the down payment received, the delivery payment overdue).
use crate::domain::contract::dto::{ContractDraft, MilestoneInput, ReceiptInput, SignInput};
use crate::domain::contract::{ContractType, MilestoneKind, Share, SignMethod};
use crate::domain::error::AppError;
use crate::domain::quote::dto::QuoteOutcome;
use crate::domain::quote::QuoteStatus;
use crate::ssr::context::RequestContext;
use crate::ssr::db::Db;
use crate::ssr::entity::{approval, deal, pipeline, quote, stage};
use crate::ssr::service::{approval as approvals, contract, quote as quotes};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

/// Decides the contract's pending step as whoever it is routed to; returns the contract's
/// version after.
async fn approve_step(db: &Db, id: uuid::Uuid) -> Result<i32, AppError> {
    let err = crate::ssr::db_err;
    let k = crate::ssr::entity::contract::Entity::find()
        .filter(crate::ssr::entity::contract::Column::Uuid.eq(id))
        .one(db)
        .await
        .map_err(err)?
        .ok_or(AppError::Internal)?;
    let a = approval::Entity::find()
        .filter(approval::Column::ContractId.eq(k.id))
        .filter(approval::Column::Status.eq("pending"))
        .one(db)
        .await
        .map_err(err)?
        .ok_or(AppError::Internal)?;
    let who = RequestContext::load(db, a.approver_id.ok_or(AppError::Internal)?).await?.ok_or(AppError::Internal)?;
    approvals::decide(db, &who, a.uuid, true, Some("同意 / Agreed".into())).await?;
    Ok(k.version + 1)
}

fn draft(today: chrono::NaiveDate, kind: ContractType, ms: Vec<MilestoneInput>) -> ContractDraft {
    ContractDraft {
        kind,
        party_a: None,
        party_b: None,
        amount_fen: None,
        payment_terms: Some(
            "Per the milestones below, by bank transfer within 15 days of invoice / 按下列付款节点，见票后 15 日内电汇".into(),
        ),
        delivery_terms: Some("Go-live within 6 months of signing / 签约后 6 个月内上线".into()),
        acceptance_terms: Some("Acceptance test on site within 10 working days of go-live / 上线后 10 个工作日内现场验收".into()),
        starts_on: Some(today),
        ends_on: Some(today + chrono::Duration::days(365)),
        milestones: ms,
    }
}

fn m(kind: MilestoneKind, due: Option<chrono::NaiveDate>, trigger: Option<&str>, pct: i32) -> MilestoneInput {
    MilestoneInput { kind, due_on: due, trigger: trigger.map(str::to_owned), share: Share::PercentBp(pct * 100) }
}

pub(super) async fn seed_contracts(db: &Db) -> Result<(), AppError> {
    let err = crate::ssr::db_err;
    let today = chrono::Utc::now().with_timezone(&crate::domain::forecast::offset()).date_naive();
    let days = |n: i64| today + chrono::Duration::days(n);
    let solution =
        pipeline::Entity::find().filter(pipeline::Column::Code.eq("solution")).one(db).await.map_err(err)?.ok_or(AppError::Internal)?;
    let stages = stage::Entity::find()
        .filter(stage::Column::PipelineId.eq(solution.id))
        .order_by_asc(stage::Column::Position)
        .all(db)
        .await
        .map_err(err)?;
    let (Some(negotiation), Some(won)) = (stages.get(4), stages.iter().find(|s| s.kind == "won")) else { return Ok(()) };
    // Approved or sent quotes on the 80 % stage become accepted, then each gets a contract in a state.
    let at_80: Vec<deal::Model> = deal::Entity::find().filter(deal::Column::StageId.eq(negotiation.id)).all(db).await.map_err(err)?;
    let mut sent: Vec<(quote::Model, deal::Model)> = Vec::new();
    for q in quote::Entity::find()
        .filter(quote::Column::Status.is_in([QuoteStatus::Sent.as_str(), QuoteStatus::Approved.as_str()]))
        .filter(quote::Column::DealId.is_in(at_80.iter().map(|d| d.id)))
        .order_by_asc(quote::Column::Id)
        .all(db)
        .await
        .map_err(err)?
    {
        if let Some(d) = at_80.iter().find(|d| d.id == q.deal_id) {
            if sent.len() < 3 {
                sent.push((q, d.clone()));
            }
        }
    }
    for (i, (q, d)) in sent.into_iter().enumerate() {
        let owner = RequestContext::load(db, d.owner_id).await?.ok_or(AppError::Internal)?;
        let version =
            if q.status == QuoteStatus::Approved.as_str() { quotes::send(db, &owner, q.uuid, q.version).await?.version } else { q.version };
        quotes::close(db, &owner, q.uuid, QuoteOutcome::Accepted, false, version).await?;
        let ms = vec![
            m(MilestoneKind::DownPayment, Some(days(20)), None, 30),
            m(MilestoneKind::OnAcceptance, None, Some("on acceptance / 验收后"), 60),
            m(MilestoneKind::Retention, None, Some("12 months after acceptance / 验收满 12 个月"), 10),
        ];
        let kind = [ContractType::SoftwareLicence, ContractType::Mixed, ContractType::Service][i % 3];
        let k = contract::create(db, &owner, d.uuid, Some(draft(today, kind, ms))).await?;
        if i == 0 {
            continue; // a draft
        }
        let k = contract::submit(db, &owner, k.id, k.version).await?;
        approve_step(db, k.id).await?; // the manager: now waiting for legal
        if i == 2 {
            approve_step(db, k.id).await?; // legal
            approve_step(db, k.id).await?; // the general manager: approved, not yet signed
        }
    }
    // The won deal whose quote was accepted: signed four months ago and paid late.
    let won_deal =
        deal::Entity::find().filter(deal::Column::StageId.eq(won.id)).order_by_asc(deal::Column::Id).one(db).await.map_err(err)?;
    let Some(d) = won_deal else { return Ok(()) };
    let owner = RequestContext::load(db, d.owner_id).await?.ok_or(AppError::Internal)?;
    let ms = vec![
        m(MilestoneKind::DownPayment, Some(days(-110)), None, 30),
        m(MilestoneKind::OnDelivery, Some(days(-45)), None, 40),
        m(MilestoneKind::OnAcceptance, Some(days(40)), None, 20),
        m(MilestoneKind::Retention, None, Some("12 months after acceptance / 验收满 12 个月"), 10),
    ];
    let mut k = contract::create(db, &owner, d.uuid, Some(draft(days(-120), ContractType::Mixed, ms))).await?;
    k = contract::submit(db, &owner, k.id, k.version).await?;
    for _ in 0..3 {
        approve_step(db, k.id).await?;
    }
    k = contract::get(db, &owner, k.id).await?;
    let signed = SignInput { signed_on: days(-118), signatory: "张总 (Zhang, CEO)".into(), method: SignMethod::Paper };
    k = contract::sign(db, &owner, k.id, signed, k.version).await?;
    let first = k.milestones.first().map_or(0, |m| m.amount_fen);
    let second = k.milestones.get(1).map_or(0, |m| m.amount_fen);
    let receipt = |milestone: i32, ago: i64, amount_fen: i64, reference: &str| ReceiptInput {
        milestone,
        received_on: days(-ago),
        amount_fen,
        reference: Some(reference.into()),
    };
    k = contract::receive(db, &owner, k.id, receipt(1, 100, first, "BOC-20260829-0193"), k.version).await?;
    contract::receive(db, &owner, k.id, receipt(2, 20, second / 4, "BOC-20261116-0447"), k.version).await?;
    Ok(())
}

/// A negotiation on a deal at the 80 % stage, planned and under way: the price ladder's
/// second step is larger than the first and got nothing back, so the warning shows.
pub(super) async fn seed_negotiation(db: &Db) -> Result<(), AppError> {
    use crate::domain::negotiation::dto::{ClausePosition, ConcessionInput, PlanInput, SessionInput};
    use crate::domain::negotiation::{Clause, Given};
    use crate::ssr::service::negotiation;
    let err = crate::ssr::db_err;
    let today = chrono::Utc::now().with_timezone(&crate::domain::forecast::offset()).date_naive();
    let days = |n: i64| today + chrono::Duration::days(n);
    let solution =
        pipeline::Entity::find().filter(pipeline::Column::Code.eq("solution")).one(db).await.map_err(err)?.ok_or(AppError::Internal)?;
    let stages = stage::Entity::find()
        .filter(stage::Column::PipelineId.eq(solution.id))
        .order_by_asc(stage::Column::Position)
        .all(db)
        .await
        .map_err(err)?;
    let Some(negotiation_stage) = stages.get(4) else { return Ok(()) };
    // A deal at the 80 % stage without a contract yet.
    let with_contract: Vec<i32> =
        crate::ssr::entity::contract::Entity::find().all(db).await.map_err(err)?.into_iter().map(|k| k.deal_id).collect();
    let d = deal::Entity::find()
        .filter(deal::Column::StageId.eq(negotiation_stage.id))
        .order_by_asc(deal::Column::Id)
        .all(db)
        .await
        .map_err(err)?
        .into_iter()
        .find(|d| !with_contract.contains(&d.id));
    let Some(d) = d else { return Ok(()) };
    let owner = RequestContext::load(db, d.owner_id).await?.ok_or(AppError::Internal)?;
    let amount = d.amount_fen.max(10_000_000);
    let plan = PlanInput {
        lowest_price_fen: Some(amount / 100 * 85),
        longest_payment_days: Some(90),
        never_give: Some("Source code; unlimited free customisation / 源代码；无限免费定制".into()),
        strategy: Some("Trade price for a 3-year maintenance term and a reference visit / 以三年维保和参观样板客户换取价格让步".into()),
        alternatives: Some("Phase the rollout: finance first, supply chain next year / 分期上线：先财务，次年供应链".into()),
        ..Default::default()
    };
    negotiation::save_plan(db, &owner, d.uuid, plan, None).await?;
    let session = SessionInput {
        held_on: days(-6),
        channel: "Customer HQ, meeting room 3 / 客户总部 3 号会议室".into(),
        customer_people: vec![],
        our_people: vec![],
        positions: vec![
            ClausePosition { clause: Clause::Price, theirs: Some("-15 %".into()), ours: Some("-5 %".into()), agreed: None, open: true },
            ClausePosition {
                clause: Clause::PaymentTerms,
                theirs: Some("90 days".into()),
                ours: Some("30 days".into()),
                agreed: Some("60 days / 60 天".into()),
                open: false,
            },
        ],
        notes: Some("They compare with a competitor's bid / 对方拿竞争对手报价比较".into()),
    };
    negotiation::add_session(db, &owner, d.uuid, session).await?;
    let step = |given: i64, got: Option<&str>, after: i64| ConcessionInput {
        made_on: days(-6),
        clause: Clause::Price,
        given: Given::AmountFen(given),
        got: got.map(str::to_owned),
        position_after: Some(after),
    };
    negotiation::add_concession(db, &owner, d.uuid, step(amount / 50, Some("3-year maintenance / 三年维保"), amount - amount / 50)).await?;
    negotiation::add_concession(db, &owner, d.uuid, step(amount / 25, None, amount - amount / 50 - amount / 25)).await?;
    Ok(())
}
