//! Contracts: a deal's list, drafting from the accepted quote, saving the draft, submitting
//! into the approval chain and withdrawing, signing, receipts against payment milestones,
//! receivables, and the chain table. Chain steps are decided through
//! `/approvals/{id}/decision` like every approval (a rejection needs a comment). Money is in
//! minor units (fen), percentages in basis points.
use super::{ApiResult, Problem};
use app::domain::contract::dto::{
    ContractDraft, ContractFilter, ContractRow, ContractView, MilestoneInput, ReceiptInput, ReceivableRow, SignInput, StepState,
};
use app::domain::contract::{Approver, ChainRule, ContractStatus, ContractType, MilestoneKind, Share, SignMethod};
use app::domain::error::AppError;
use app::ssr::context::RequestContext;
use app::ssr::service;
use app::ssr::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(deal_contracts, create_contract))
        .routes(routes!(get_contract, save_contract))
        .routes(routes!(list_contracts))
        .routes(routes!(submit_contract))
        .routes(routes!(withdraw_contract))
        .routes(routes!(amend_contract))
        .routes(routes!(sign_contract))
        .routes(routes!(record_receipt))
        .routes(routes!(receivables_summary))
        .routes(routes!(receivable_milestones))
        .routes(routes!(contract_chain, save_contract_chain))
}

const KINDS: &str = "software_licence, service, hardware, maintenance or mixed";
const MILESTONE_KINDS: &str = "down_payment, on_delivery, on_acceptance, retention or other";
const APPROVERS: &str = "sales_manager, legal, finance or general_manager";

fn kind_in(field: &str, code: &str) -> Result<ContractType, AppError> {
    ContractType::parse(code).ok_or_else(|| AppError::validation(field, format!("use {KINDS}")))
}

/// A milestone's share: `percent` (value in basis points, 3000 = 30 %) or `amount` (value in
/// minor units).
#[derive(Serialize, Deserialize, ToSchema)]
pub struct ShareIo {
    kind: String,
    value: i64,
}

impl From<Share> for ShareIo {
    fn from(s: Share) -> Self {
        match s {
            Share::PercentBp(bp) => ShareIo { kind: "percent".into(), value: i64::from(bp) },
            Share::AmountFen(fen) => ShareIo { kind: "amount".into(), value: fen },
        }
    }
}

fn share_in(field: &str, s: ShareIo) -> Result<Share, AppError> {
    match s.kind.as_str() {
        "percent" => i32::try_from(s.value)
            .map(Share::PercentBp)
            .map_err(|_| AppError::validation(field, "a percentage is between 1 and 10000 basis points")),
        "amount" => Ok(Share::AmountFen(s.value)),
        _ => Err(AppError::validation(format!("{field}.kind"), "use percent or amount")),
    }
}

#[derive(Deserialize, ToSchema)]
pub struct MilestoneIn {
    /// down_payment | on_delivery | on_acceptance | retention | other
    kind: String,
    /// A due date, or else a trigger.
    due_on: Option<NaiveDate>,
    /// What makes it due when there is no date yet ("on acceptance of phase 1").
    trigger: Option<String>,
    share: ShareIo,
}

/// The contract's terms, whole. Party A, party B and the amount default from the deal's
/// account, the company and the accepted quote; the milestones must add up to the amount.
#[derive(Deserialize, ToSchema)]
pub struct ContractIn {
    /// software_licence | service | hardware | maintenance | mixed
    kind: String,
    party_a: Option<String>,
    party_b: Option<String>,
    amount_minor: Option<i64>,
    payment_terms: Option<String>,
    delivery_terms: Option<String>,
    acceptance_terms: Option<String>,
    starts_on: Option<NaiveDate>,
    ends_on: Option<NaiveDate>,
    /// In order; at least one.
    #[serde(default)]
    milestones: Vec<MilestoneIn>,
}

/// Read by [`super::versioned`] (the flattened part's errors name their field); the derive
/// gives the document its schema.
#[derive(ToSchema)]
pub struct ContractSave {
    #[serde(flatten)]
    contract: ContractIn,
    version: i32,
}

impl<'de> Deserialize<'de> for ContractSave {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (contract, version) = super::versioned(d)?;
        Ok(ContractSave { contract, version })
    }
}

#[derive(Deserialize, ToSchema)]
pub struct ContractVersionIn {
    version: i32,
}

#[derive(Deserialize, ToSchema)]
pub struct SignIn {
    /// Not in the future.
    signed_on: NaiveDate,
    signatory: String,
    /// paper | e_seal
    method: String,
    version: i32,
}

#[derive(Deserialize, ToSchema)]
pub struct ReceiptIn {
    /// The milestone's position on the contract, from 1.
    milestone: i32,
    /// Not in the future.
    received_on: NaiveDate,
    /// At most what is still due on the milestone.
    amount_minor: i64,
    reference: Option<String>,
    version: i32,
}

fn draft(c: ContractIn) -> Result<ContractDraft, AppError> {
    let kind = kind_in("kind", &c.kind)?;
    let mut milestones = Vec::with_capacity(c.milestones.len());
    for (i, m) in c.milestones.into_iter().enumerate() {
        let k = MilestoneKind::parse(&m.kind)
            .ok_or_else(|| AppError::validation(format!("milestones[{i}].kind"), format!("use {MILESTONE_KINDS}")))?;
        let share = share_in(&format!("milestones[{i}].share"), m.share)?;
        milestones.push(MilestoneInput { kind: k, due_on: m.due_on, trigger: m.trigger, share });
    }
    Ok(ContractDraft {
        kind,
        party_a: c.party_a,
        party_b: c.party_b,
        amount_fen: c.amount_minor,
        payment_terms: c.payment_terms,
        delivery_terms: c.delivery_terms,
        acceptance_terms: c.acceptance_terms,
        starts_on: c.starts_on,
        ends_on: c.ends_on,
        milestones,
    })
}

#[derive(Serialize, ToSchema)]
pub struct ContractStepOut {
    /// From 0, in chain order.
    position: i32,
    /// sales_manager | legal | finance | general_manager
    approver: String,
    /// The person it is (or was) routed to.
    who: Option<String>,
    /// waiting (not reached) | pending | approved | rejected
    state: String,
    opinion: Option<String>,
    decided_at: Option<DateTime<Utc>>,
    /// The approval request to decide under /approvals.
    approval_id: Option<Uuid>,
}

#[derive(Serialize, ToSchema)]
pub struct MilestoneOut {
    /// From 1; receipts name it.
    position: i32,
    kind: String,
    due_on: Option<NaiveDate>,
    trigger: Option<String>,
    share: ShareIo,
    amount_minor: i64,
    received_minor: i64,
    /// Days past due with money still owed (0: not overdue).
    overdue_days: i64,
}

#[derive(Serialize, ToSchema)]
pub struct ReceiptOut {
    id: Uuid,
    milestone: i32,
    received_on: NaiveDate,
    amount_minor: i64,
    reference: Option<String>,
    recorded_by: String,
}

#[derive(Serialize, ToSchema)]
pub struct ContractOut {
    id: Uuid,
    deal_id: Uuid,
    deal_name: String,
    account: String,
    quote_number: Option<String>,
    /// HT-YYYYMMnnn
    number: String,
    kind: String,
    party_a: String,
    party_b: String,
    amount_minor: i64,
    currency: String,
    payment_terms: Option<String>,
    delivery_terms: Option<String>,
    acceptance_terms: Option<String>,
    starts_on: Option<NaiveDate>,
    ends_on: Option<NaiveDate>,
    /// draft | in_review | approved | signed | superseded
    status: String,
    /// 0 for the original, n for its n-th amendment.
    revision: i32,
    /// The number of the signed contract this amendment replaces.
    supersedes: Option<String>,
    /// The number of this contract's amendment, under way or signed.
    amended_by: Option<String>,
    /// How many times it was submitted.
    round: i32,
    /// The chain of the current round (for a draft, the chain it would take).
    steps: Vec<ContractStepOut>,
    reject_reason: Option<String>,
    signed_on: Option<NaiveDate>,
    signatory: Option<String>,
    /// paper | e_seal
    sign_method: Option<String>,
    milestones: Vec<MilestoneOut>,
    receipts: Vec<ReceiptOut>,
    received_minor: i64,
    /// Whether the caller may edit, submit, sign and record receipts.
    may_work: bool,
    /// The pending step's approval when it is routed to the caller.
    my_approval: Option<Uuid>,
    created_by: String,
    created_at: DateTime<Utc>,
    version: i32,
}

#[derive(Serialize, ToSchema)]
pub struct ContractSummaryOut {
    id: Uuid,
    number: String,
    deal_id: Uuid,
    deal_name: String,
    account: String,
    owner: String,
    kind: String,
    amount_minor: i64,
    status: String,
    /// The step it waits for, in review.
    waiting_for: Option<String>,
    waiting_for_me: bool,
    received_minor: i64,
    overdue_minor: i64,
    signed_on: Option<NaiveDate>,
    updated_at: DateTime<Utc>,
}

fn step_state(s: StepState) -> &'static str {
    match s {
        StepState::Waiting => "waiting",
        StepState::Pending => "pending",
        StepState::Approved => "approved",
        StepState::Rejected => "rejected",
    }
}

fn summary_out(r: ContractRow) -> ContractSummaryOut {
    ContractSummaryOut {
        id: r.id,
        number: r.number,
        deal_id: r.deal_id,
        deal_name: r.deal_name,
        account: r.account,
        owner: r.owner,
        kind: r.kind.code().into(),
        amount_minor: r.amount_fen,
        status: r.status.as_str().into(),
        waiting_for: r.waiting_for.map(|a| a.code().into()),
        waiting_for_me: r.waiting_for_me,
        received_minor: r.received_fen,
        overdue_minor: r.overdue_fen,
        signed_on: r.signed_on,
        updated_at: r.updated_at,
    }
}

fn contract_out(c: ContractView) -> ContractOut {
    ContractOut {
        id: c.id,
        deal_id: c.deal_id,
        deal_name: c.deal_name,
        account: c.account,
        quote_number: c.quote_number,
        number: c.number,
        kind: c.kind.code().into(),
        party_a: c.party_a,
        party_b: c.party_b,
        amount_minor: c.amount_fen,
        currency: c.currency,
        payment_terms: c.payment_terms,
        delivery_terms: c.delivery_terms,
        acceptance_terms: c.acceptance_terms,
        starts_on: c.starts_on,
        ends_on: c.ends_on,
        status: c.status.as_str().into(),
        round: c.round,
        revision: c.revision,
        supersedes: c.supersedes.map(|l| l.number),
        amended_by: c.amended_by.map(|l| l.number),
        steps: c
            .steps
            .into_iter()
            .map(|s| ContractStepOut {
                position: s.position,
                approver: s.approver.code().into(),
                who: s.who,
                state: step_state(s.state).into(),
                opinion: s.opinion,
                decided_at: s.decided_at,
                approval_id: s.approval_id,
            })
            .collect(),
        reject_reason: c.reject_reason,
        signed_on: c.signed_on,
        signatory: c.signatory,
        sign_method: c.sign_method.map(|m| m.code().into()),
        milestones: c
            .milestones
            .into_iter()
            .map(|m| MilestoneOut {
                position: m.position,
                kind: m.kind.code().into(),
                due_on: m.due_on,
                trigger: m.trigger,
                share: m.share.into(),
                amount_minor: m.amount_fen,
                received_minor: m.received_fen,
                overdue_days: m.overdue_days,
            })
            .collect(),
        receipts: c
            .receipts
            .into_iter()
            .map(|r| ReceiptOut {
                id: r.id,
                milestone: r.milestone,
                received_on: r.received_on,
                amount_minor: r.amount_fen,
                reference: r.reference,
                recorded_by: r.recorded_by,
            })
            .collect(),
        received_minor: c.received_fen,
        may_work: c.may_work,
        my_approval: c.my_approval,
        created_by: c.created_by,
        created_at: c.created_at,
        version: c.version,
    }
}

#[utoipa::path(get, path = "/api/v1/deals/{id}/contracts", params(("id" = Uuid, Path)),
    responses((status = 200, body = [ContractSummaryOut]), (status = 404, body = Problem)), security(("bearer" = [])))]
pub async fn deal_contracts(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<Vec<ContractSummaryOut>>> {
    Ok(Json(service::contract::list_for_deal(&state.db, &ctx, id).await?.into_iter().map(summary_out).collect()))
}

/// Starts the deal's contract from its accepted quote. Without a body it takes the quote's
/// amount and terms and the shipped milestones (30 % down, 60 % on acceptance, 10 %
/// retention); a body is the whole draft, as PUT takes it.
#[utoipa::path(post, path = "/api/v1/deals/{id}/contracts", params(("id" = Uuid, Path)), request_body = Option<ContractIn>,
    responses((status = 201, body = ContractOut), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem, description = "no accepted quote, a contract still open on the deal, or invalid terms")),
    security(("bearer" = [])))]
pub async fn create_contract(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
    body: Option<Json<ContractIn>>,
) -> ApiResult<(StatusCode, Json<ContractOut>)> {
    let d = body.map(|Json(c)| draft(c)).transpose()?;
    Ok((StatusCode::CREATED, Json(contract_out(service::contract::create(&state.db, &ctx, id, d).await?))))
}

#[utoipa::path(get, path = "/api/v1/contracts/{id}", params(("id" = Uuid, Path)),
    responses((status = 200, body = ContractOut), (status = 404, body = Problem)), security(("bearer" = [])))]
pub async fn get_contract(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<ContractOut>> {
    Ok(Json(contract_out(service::contract::get(&state.db, &ctx, id).await?)))
}

#[utoipa::path(put, path = "/api/v1/contracts/{id}", params(("id" = Uuid, Path)), request_body = ContractSave,
    responses((status = 200, body = ContractOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem, description = "invalid terms, milestones that do not add up, or the contract is not a draft")),
    security(("bearer" = [])))]
pub async fn save_contract(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
    Json(c): Json<ContractSave>,
) -> ApiResult<Json<ContractOut>> {
    Ok(Json(contract_out(service::contract::save(&state.db, &ctx, id, draft(c.contract)?, c.version).await?)))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ContractQuery {
    /// draft | in_review | approved | signed
    status: Option<String>,
    /// software_licence | service | hardware | maintenance | mixed
    kind: Option<String>,
    /// Only those whose pending step is routed to the caller.
    mine: Option<bool>,
    /// Only signed contracts with an overdue milestone.
    overdue: Option<bool>,
}

/// The contracts of every deal the caller sees, most recently changed first (at most 500).
#[utoipa::path(get, path = "/api/v1/contracts", params(ContractQuery),
    responses((status = 200, body = [ContractSummaryOut]), (status = 422, body = Problem)), security(("bearer" = [])))]
pub async fn list_contracts(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Query(q): Query<ContractQuery>,
) -> ApiResult<Json<Vec<ContractSummaryOut>>> {
    let status = q
        .status
        .as_deref()
        .map(|s| ContractStatus::parse(s).ok_or_else(|| AppError::validation("status", "use draft, in_review, approved or signed")))
        .transpose()?;
    let kind = q.kind.as_deref().map(|k| kind_in("kind", k)).transpose()?;
    let f = ContractFilter { status, kind, mine: q.mine.unwrap_or(false), overdue: q.overdue.unwrap_or(false) };
    Ok(Json(service::contract::list(&state.db, &ctx, f).await?.into_iter().map(summary_out).collect()))
}

/// Sends a draft into its chain; the first step lands in its approver's inbox.
#[utoipa::path(post, path = "/api/v1/contracts/{id}/submit", params(("id" = Uuid, Path)), request_body = ContractVersionIn,
    responses((status = 200, body = ContractOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn submit_contract(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
    Json(v): Json<ContractVersionIn>,
) -> ApiResult<Json<ContractOut>> {
    Ok(Json(contract_out(service::contract::submit(&state.db, &ctx, id, v.version).await?)))
}

/// Takes a contract in review back to draft; its pending step is withdrawn.
#[utoipa::path(post, path = "/api/v1/contracts/{id}/withdraw", params(("id" = Uuid, Path)), request_body = ContractVersionIn,
    responses((status = 200, body = ContractOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn withdraw_contract(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
    Json(v): Json<ContractVersionIn>,
) -> ApiResult<Json<ContractOut>> {
    Ok(Json(contract_out(service::contract::withdraw(&state.db, &ctx, id, v.version).await?)))
}

/// Starts an amendment of a signed contract: a draft copy (HT-…-A1) that takes the whole chain
/// again; signing it supersedes this contract and moves its receipts. Answers the amendment.
#[utoipa::path(post, path = "/api/v1/contracts/{id}/amend", params(("id" = Uuid, Path)), request_body = ContractVersionIn,
    responses((status = 200, body = ContractOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn amend_contract(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
    Json(v): Json<ContractVersionIn>,
) -> ApiResult<Json<ContractOut>> {
    Ok(Json(contract_out(service::contract::amend(&state.db, &ctx, id, v.version).await?)))
}

/// Marks an approved contract signed: it is locked, and the deal's amount becomes its amount.
#[utoipa::path(post, path = "/api/v1/contracts/{id}/sign", params(("id" = Uuid, Path)), request_body = SignIn,
    responses((status = 200, body = ContractOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn sign_contract(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
    Json(s): Json<SignIn>,
) -> ApiResult<Json<ContractOut>> {
    let method = SignMethod::parse(&s.method).ok_or_else(|| AppError::validation("method", "use paper or e_seal"))?;
    let input = SignInput { signed_on: s.signed_on, signatory: s.signatory, method };
    Ok(Json(contract_out(service::contract::sign(&state.db, &ctx, id, input, s.version).await?)))
}

/// Money received against a milestone of a signed contract.
#[utoipa::path(post, path = "/api/v1/contracts/{id}/receipts", params(("id" = Uuid, Path)), request_body = ReceiptIn,
    responses((status = 200, body = ContractOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem, description = "more than is still due, no such milestone, or the contract is not signed")),
    security(("bearer" = [])))]
pub async fn record_receipt(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
    Json(r): Json<ReceiptIn>,
) -> ApiResult<Json<ContractOut>> {
    let input = ReceiptInput { milestone: r.milestone, received_on: r.received_on, amount_fen: r.amount_minor, reference: r.reference };
    Ok(Json(contract_out(service::contract::receive(&state.db, &ctx, id, input, r.version).await?)))
}

#[derive(Serialize, ToSchema)]
pub struct OverdueCustomerOut {
    account: String,
    overdue_minor: i64,
    oldest_days: i64,
}

#[derive(Serialize, ToSchema)]
pub struct OverdueOwnerOut {
    owner: String,
    team: String,
    overdue_minor: i64,
}

#[derive(Serialize, ToSchema)]
pub struct ReceivablesOut {
    /// Milestones falling due this quarter.
    billed_quarter_minor: i64,
    /// Receipts dated this quarter.
    received_quarter_minor: i64,
    /// Everything signed and not yet received, by days past due.
    not_due_minor: i64,
    d0_30_minor: i64,
    d31_90_minor: i64,
    over_90_minor: i64,
    /// The three overdue buckets together.
    overdue_minor: i64,
    /// The ten customers owing most overdue money.
    top_overdue: Vec<OverdueCustomerOut>,
    /// Largest first.
    by_owner: Vec<OverdueOwnerOut>,
    /// Every team the caller sees, most overdue first.
    by_team: Vec<TeamReceivableOut>,
    /// What the caller's own deals still owe.
    mine: MyReceivablesOut,
}

#[derive(Serialize, ToSchema)]
pub struct TeamReceivableOut {
    team: String,
    /// Signed and not yet received.
    owed_minor: i64,
    overdue_minor: i64,
    over_90_minor: i64,
}

#[derive(Serialize, ToSchema)]
pub struct MyReceivablesOut {
    owed_minor: i64,
    overdue_minor: i64,
    overdue_milestones: u32,
}

/// Receivables of the signed contracts on the deals the caller sees.
#[utoipa::path(get, path = "/api/v1/receivables", responses((status = 200, body = ReceivablesOut)), security(("bearer" = [])))]
pub async fn receivables_summary(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
) -> ApiResult<Json<ReceivablesOut>> {
    let r = service::contract::receivables(&state.db, &ctx).await?;
    let a = r.ageing;
    Ok(Json(ReceivablesOut {
        billed_quarter_minor: r.billed_quarter_fen,
        received_quarter_minor: r.received_quarter_fen,
        not_due_minor: a.not_due_fen,
        d0_30_minor: a.d0_30_fen,
        d31_90_minor: a.d31_90_fen,
        over_90_minor: a.over_90_fen,
        overdue_minor: a.overdue_fen(),
        top_overdue: r
            .top_overdue
            .into_iter()
            .map(|o| OverdueCustomerOut { account: o.account, overdue_minor: o.overdue_fen, oldest_days: o.oldest_days })
            .collect(),
        by_owner: r.by_owner.into_iter().map(|(owner, team, fen)| OverdueOwnerOut { owner, team, overdue_minor: fen }).collect(),
        by_team: r
            .by_team
            .into_iter()
            .map(|t| TeamReceivableOut { team: t.team, owed_minor: t.owed_fen, overdue_minor: t.overdue_fen, over_90_minor: t.over_90_fen })
            .collect(),
        mine: MyReceivablesOut {
            owed_minor: r.mine.owed_fen,
            overdue_minor: r.mine.overdue_fen,
            overdue_milestones: r.mine.overdue_milestones,
        },
    }))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReceivableQuery {
    /// not_due | 0_30 | 31_90 | over_90 | overdue (the last three). Default: every milestone
    /// with money owed.
    bucket: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ReceivableRowOut {
    contract_id: Uuid,
    number: String,
    account: String,
    owner: String,
    team: String,
    milestone: i32,
    kind: String,
    due_on: Option<NaiveDate>,
    due_minor: i64,
    received_minor: i64,
    overdue_days: i64,
}

/// The milestones with money owed, oldest due first.
#[utoipa::path(get, path = "/api/v1/receivables/milestones", params(ReceivableQuery),
    responses((status = 200, body = [ReceivableRowOut]), (status = 422, body = Problem)), security(("bearer" = [])))]
pub async fn receivable_milestones(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Query(q): Query<ReceivableQuery>,
) -> ApiResult<Json<Vec<ReceivableRowOut>>> {
    let rows = service::contract::receivable_rows(&state.db, &ctx, q.bucket).await?;
    Ok(Json(
        rows.into_iter()
            .map(|r: ReceivableRow| ReceivableRowOut {
                contract_id: r.contract_id,
                number: r.number,
                account: r.account,
                owner: r.owner,
                team: r.team,
                milestone: r.milestone,
                kind: r.kind.code().into(),
                due_on: r.due_on,
                due_minor: r.due_fen,
                received_minor: r.received_fen,
                overdue_days: r.overdue_days,
            })
            .collect(),
    ))
}

/// One rule of the chain table: for a contract type (null: any) from an amount up, these
/// steps in order. The most specific rule with the highest threshold at or below the
/// contract's amount wins.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct ChainRuleIo {
    /// software_licence | service | hardware | maintenance | mixed, or null for any.
    contract_type: Option<String>,
    min_amount_minor: i64,
    /// sales_manager | legal | finance | general_manager, each at most once.
    steps: Vec<String>,
}

fn chain_out(rules: Vec<ChainRule>) -> Vec<ChainRuleIo> {
    rules
        .into_iter()
        .map(|r| ChainRuleIo {
            contract_type: r.contract_type.map(|t| t.code().into()),
            min_amount_minor: r.min_amount_fen,
            steps: r.steps.iter().map(|s| s.code().into()).collect(),
        })
        .collect()
}

fn chain_in(rules_in: Vec<ChainRuleIo>) -> Result<Vec<ChainRule>, AppError> {
    let mut rules = Vec::with_capacity(rules_in.len());
    for (i, r) in rules_in.into_iter().enumerate() {
        let contract_type = r.contract_type.as_deref().map(|t| kind_in(&format!("rules[{i}].contract_type"), t)).transpose()?;
        let mut steps = Vec::with_capacity(r.steps.len());
        for (j, s) in r.steps.iter().enumerate() {
            let field = format!("rules[{i}].steps[{j}]");
            steps.push(Approver::parse(s).ok_or_else(|| AppError::validation(field, format!("use {APPROVERS}")))?);
        }
        rules.push(ChainRule { contract_type, min_amount_fen: r.min_amount_minor, steps });
    }
    Ok(rules)
}

/// The approval chain table; every signed-in user may read it.
#[utoipa::path(get, path = "/api/v1/contract-chain", responses((status = 200, body = [ChainRuleIo])), security(("bearer" = [])))]
pub async fn contract_chain(State(state): State<AppState>) -> ApiResult<Json<Vec<ChainRuleIo>>> {
    Ok(Json(chain_out(service::contract::chain_rules(&state.db).await?)))
}

/// Replaces the chain table (administrators); contracts already in review keep their chain.
#[utoipa::path(put, path = "/api/v1/contract-chain", request_body = [ChainRuleIo],
    responses((status = 200, body = [ChainRuleIo]), (status = 403, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
pub async fn save_contract_chain(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Json(rules): Json<Vec<ChainRuleIo>>,
) -> ApiResult<Json<Vec<ChainRuleIo>>> {
    // Who may, before what they sent: a non-admin learns nothing from the table's checks.
    service::access::require_admin(&ctx)?;
    let rules = chain_in(rules)?;
    Ok(Json(chain_out(service::contract::save_chain_rules(&state.db, &ctx, rules).await?)))
}
