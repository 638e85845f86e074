//! A deal's negotiation (商务谈判要点表) over REST: the plan (bottom lines, what each key
//! person on the committee map cares about, strategy, alternatives), its sessions, the
//! concession ladder with its warnings, and sending the agreed result for confirmation.
//!
//! A concession past a bottom line waits for the general manager, and the result goes to the
//! sales manager and then legal; each decides through `/approvals/{id}/decision` like every
//! approval (a rejection needs a comment). Money is in minor units (fen), percentages in
//! basis points.
use super::{ApiResult, Problem};
use app::domain::contract::Approver;
use app::domain::error::AppError;
use app::domain::negotiation::dto::{
    ClausePosition, ConcessionInput, ConcessionView, ConfirmStep, Interest, InterestView, NegotiationView, PlanInput, SessionInput,
    SessionView,
};
use app::domain::negotiation::{Clause, Given};
use app::ssr::context::RequestContext;
use app::ssr::service;
use app::ssr::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(deal_negotiation, plan_negotiation))
        .routes(routes!(negotiation_session))
        .routes(routes!(negotiation_concession))
        .routes(routes!(confirm_negotiation))
}

const CLAUSES: &str = "price, payment_terms, delivery_date, support_sla, training, consultant_days or other";

fn clause_in(field: &str, code: &str) -> Result<Clause, AppError> {
    Clause::parse(code).ok_or_else(|| AppError::validation(field, format!("use {CLAUSES}")))
}

/// What one concession gave: `amount` (value in minor units), `percent` (value in basis
/// points, 500 = 5 %), `days` (value in days), or `text` (words in `text`, no value).
#[derive(Serialize, Deserialize, ToSchema)]
pub struct GivenIo {
    /// amount | percent | days | text
    kind: String,
    /// The size, for amount, percent and days.
    value: Option<i64>,
    /// What was given, for text.
    text: Option<String>,
}

impl From<Given> for GivenIo {
    fn from(g: Given) -> Self {
        match g {
            Given::AmountFen(f) => GivenIo { kind: "amount".into(), value: Some(f), text: None },
            Given::PercentBp(bp) => GivenIo { kind: "percent".into(), value: Some(i64::from(bp)), text: None },
            Given::Days(d) => GivenIo { kind: "days".into(), value: Some(i64::from(d)), text: None },
            Given::Text(t) => GivenIo { kind: "text".into(), value: None, text: Some(t) },
        }
    }
}

/// The wire form to the domain's; the sizes' bounds are the service's (field `given`).
fn given_in(g: GivenIo) -> Result<Given, AppError> {
    let GivenIo { kind, value: size, text } = g;
    let value = || size.ok_or_else(|| AppError::validation("given.value", "a size is needed for amount, percent and days"));
    let small = |v: i64, what: &str| i32::try_from(v).map_err(|_| AppError::validation("given.value", format!("too many {what}")));
    match kind.as_str() {
        "amount" => Ok(Given::AmountFen(value()?)),
        "percent" => Ok(Given::PercentBp(small(value()?, "basis points")?)),
        "days" => Ok(Given::Days(small(value()?, "days")?)),
        "text" => text.map(Given::Text).ok_or_else(|| AppError::validation("given.text", "say what was given")),
        _ => Err(AppError::validation("given.kind", "use amount, percent, days or text")),
    }
}

/// One clause as it stood after a session.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct ClausePositionIo {
    /// price | payment_terms | delivery_date | support_sla | training | consultant_days | other
    clause: String,
    theirs: Option<String>,
    ours: Option<String>,
    agreed: Option<String>,
    /// Still open after the session.
    #[serde(default)]
    open: bool,
}

#[derive(Deserialize, ToSchema)]
pub struct InterestIn {
    /// A person on the deal's committee map.
    contact_id: Uuid,
    cares: String,
}

/// The plan, whole: it replaces the stored one. Without `version` it starts the deal's
/// negotiation; an empty `interests` then takes every person with a role on the committee
/// map, with what that role usually cares about. With `version` it saves the plan (a result
/// being confirmed is not edited; a confirmed one reopens to planning).
#[derive(Deserialize, ToSchema)]
pub struct NegotiationPlanIn {
    /// The lowest price we accept without the general manager.
    lowest_price_minor: Option<i64>,
    /// The longest payment term we accept without the general manager.
    longest_payment_days: Option<i32>,
    /// What we never give.
    never_give: Option<String>,
    #[serde(default)]
    interests: Vec<InterestIn>,
    strategy: Option<String>,
    alternatives: Option<String>,
    /// The version read; absent to start the negotiation.
    version: Option<i32>,
}

#[derive(Deserialize, ToSchema)]
pub struct NegotiationSessionIn {
    held_on: NaiveDate,
    /// Where, or how (meeting room, video call).
    channel: String,
    /// People on the deal's committee map.
    #[serde(default)]
    customer_people: Vec<Uuid>,
    /// Users on the deal's team.
    #[serde(default)]
    our_people: Vec<Uuid>,
    #[serde(default)]
    positions: Vec<ClausePositionIo>,
    notes: Option<String>,
}

/// One step of the concession ladder.
#[derive(Deserialize, ToSchema)]
pub struct ConcessionIn {
    /// Not in the future.
    made_on: NaiveDate,
    /// price | payment_terms | delivery_date | support_sla | training | consultant_days | other
    clause: String,
    given: GivenIo,
    /// What we got in return; absent or blank is nothing.
    got: Option<String>,
    /// Our position on the clause after this step: the price in minor units, the payment term
    /// in days. Past the plan's bottom line the concession waits for the general manager.
    position_after: Option<i64>,
}

#[derive(Deserialize, ToSchema)]
pub struct NegotiationConfirmIn {
    /// The agreed result, as the sales manager and legal are to confirm it.
    result: String,
    version: i32,
}

#[derive(Serialize, ToSchema)]
pub struct InterestOut {
    contact_id: Uuid,
    name: String,
    title: Option<String>,
    /// The person's role on the committee map: decision_maker | economic_buyer |
    /// technical_evaluator | user | influencer | initiator | coach | blocker
    role: Option<String>,
    cares: String,
}

#[derive(Serialize, ToSchema)]
pub struct NegotiationSessionOut {
    id: Uuid,
    held_on: NaiveDate,
    channel: String,
    /// Names of the customer's people at the table.
    customer_people: Vec<String>,
    /// Names of ours.
    our_people: Vec<String>,
    positions: Vec<ClausePositionIo>,
    notes: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ConcessionOut {
    id: Uuid,
    /// From 1, in the order given.
    position: i32,
    made_on: NaiveDate,
    clause: String,
    given: GivenIo,
    got: Option<String>,
    /// The price in minor units, or the payment term in days.
    position_after: Option<i64>,
    /// larger_than_previous (than the previous concession on the clause, same unit) |
    /// nothing_in_return | crosses_bottom_line (needs the general manager)
    warnings: Vec<String>,
    /// The general manager's word on a crossed bottom line: none | pending | approved | rejected
    gm: String,
    /// Who recorded it.
    by: String,
}

/// One step of the result's confirmation.
#[derive(Serialize, ToSchema)]
pub struct ConfirmStepOut {
    /// 0: the sales manager, 1: legal.
    step: i32,
    /// sales_manager | legal
    approver: String,
    /// The person it is (or was) routed to.
    who: Option<String>,
    /// waiting (not reached) | pending | approved | rejected
    state: String,
    comment: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct NegotiationOut {
    id: Uuid,
    deal_id: Uuid,
    lowest_price_minor: Option<i64>,
    longest_payment_days: Option<i32>,
    never_give: Option<String>,
    interests: Vec<InterestOut>,
    strategy: Option<String>,
    alternatives: Option<String>,
    /// planning | confirming (with the sales manager and legal) | confirmed (a contract may
    /// be drafted)
    status: String,
    /// The result sent for confirmation.
    result: Option<String>,
    /// Oldest first.
    sessions: Vec<NegotiationSessionOut>,
    /// The ladder, in the order given.
    concessions: Vec<ConcessionOut>,
    /// The confirmation of the current round: the sales manager, then legal.
    confirm: Vec<ConfirmStepOut>,
    /// Whether the caller may change the plan, add sessions and concessions, and confirm.
    may_work: bool,
    /// Pending approvals (a concession or a confirmation step) routed to the caller, to
    /// decide under /approvals.
    my_approvals: Vec<Uuid>,
    updated_at: DateTime<Utc>,
    version: i32,
}

fn position_out(p: ClausePosition) -> ClausePositionIo {
    ClausePositionIo { clause: p.clause.code().into(), theirs: p.theirs, ours: p.ours, agreed: p.agreed, open: p.open }
}

fn interest_out(i: InterestView) -> InterestOut {
    InterestOut { contact_id: i.contact_id, name: i.name, title: i.title, role: i.role, cares: i.cares }
}

fn session_out(s: SessionView) -> NegotiationSessionOut {
    NegotiationSessionOut {
        id: s.id,
        held_on: s.held_on,
        channel: s.channel,
        customer_people: s.customer_people,
        our_people: s.our_people,
        positions: s.positions.into_iter().map(position_out).collect(),
        notes: s.notes,
    }
}

fn concession_out(c: ConcessionView) -> ConcessionOut {
    ConcessionOut {
        id: c.id,
        position: c.position,
        made_on: c.made_on,
        clause: c.clause.code().into(),
        given: c.given.into(),
        got: c.got,
        position_after: c.position_after,
        warnings: c.warnings.iter().map(|w| w.code().to_owned()).collect(),
        gm: c.gm.code().into(),
        by: c.by,
    }
}

fn step_out(s: ConfirmStep) -> ConfirmStepOut {
    let approver = if s.step == 0 { Approver::SalesManager } else { Approver::Legal };
    ConfirmStepOut { step: s.step, approver: approver.code().into(), who: s.who, state: s.state, comment: s.comment }
}

fn negotiation_out(n: NegotiationView) -> NegotiationOut {
    NegotiationOut {
        id: n.id,
        deal_id: n.deal_id,
        lowest_price_minor: n.lowest_price_fen,
        longest_payment_days: n.longest_payment_days,
        never_give: n.never_give,
        interests: n.interests.into_iter().map(interest_out).collect(),
        strategy: n.strategy,
        alternatives: n.alternatives,
        status: n.status.code().into(),
        result: n.result,
        sessions: n.sessions.into_iter().map(session_out).collect(),
        concessions: n.ladder.into_iter().map(concession_out).collect(),
        confirm: n.confirm.into_iter().map(step_out).collect(),
        may_work: n.may_work,
        my_approvals: n.my_approvals,
        updated_at: n.updated_at,
        version: n.version,
    }
}

/// The 404 of a visible deal nobody planned a negotiation for: a problem that says so, where
/// an unknown or invisible deal answers the plain one.
fn not_planned() -> Response {
    let status = StatusCode::NOT_FOUND;
    let body = Problem {
        kind: "about:blank".into(),
        title: status.canonical_reason().unwrap_or("Not Found").into(),
        status: status.as_u16(),
        detail: "no negotiation planned on this deal yet; PUT a plan without a version to start one".into(),
    };
    (status, [(header::CONTENT_TYPE, "application/problem+json")], serde_json::to_string(&body).unwrap_or_default()).into_response()
}

/// The deal's negotiation.
#[utoipa::path(get, path = "/api/v1/deals/{id}/negotiation", params(("id" = Uuid, Path)),
    responses((status = 200, body = NegotiationOut),
        (status = 404, body = Problem, description = "no such deal, not visible to the caller, or no negotiation planned on it yet (the detail says \"no negotiation planned\")")),
    security(("bearer" = [])))]
pub async fn deal_negotiation(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
) -> ApiResult<Response> {
    Ok(match service::negotiation::get(&state.db, &ctx, id).await? {
        Some(n) => Json(negotiation_out(n)).into_response(),
        None => not_planned(),
    })
}

/// Starts the negotiation (no `version`: 201) or saves its plan (200).
#[utoipa::path(put, path = "/api/v1/deals/{id}/negotiation", params(("id" = Uuid, Path)), request_body = NegotiationPlanIn,
    responses((status = 200, body = NegotiationOut, description = "the plan saved"), (status = 201, body = NegotiationOut, description = "the negotiation started"),
        (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem, description = "a stale version, or no version while the deal already has a negotiation"),
        (status = 422, body = Problem, description = "an invalid plan, an interest in someone not on the committee map, or the result is being confirmed")),
    security(("bearer" = [])))]
pub async fn plan_negotiation(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
    Json(p): Json<NegotiationPlanIn>,
) -> ApiResult<(StatusCode, Json<NegotiationOut>)> {
    let status = if p.version.is_none() { StatusCode::CREATED } else { StatusCode::OK };
    let plan = PlanInput {
        lowest_price_fen: p.lowest_price_minor,
        longest_payment_days: p.longest_payment_days,
        never_give: p.never_give,
        interests: p.interests.into_iter().map(|i| Interest { contact_id: i.contact_id, cares: i.cares }).collect(),
        strategy: p.strategy,
        alternatives: p.alternatives,
    };
    Ok((status, Json(negotiation_out(service::negotiation::save_plan(&state.db, &ctx, id, plan, p.version).await?))))
}

/// Records a session: who sat at the table and where each clause stands.
#[utoipa::path(post, path = "/api/v1/deals/{id}/negotiation/sessions", params(("id" = Uuid, Path)), request_body = NegotiationSessionIn,
    responses((status = 201, body = NegotiationOut), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem, description = "no negotiation planned, someone not on the committee map or the deal team, or invalid positions")),
    security(("bearer" = [])))]
pub async fn negotiation_session(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
    Json(s): Json<NegotiationSessionIn>,
) -> ApiResult<(StatusCode, Json<NegotiationOut>)> {
    let mut positions = Vec::with_capacity(s.positions.len());
    for (i, p) in s.positions.into_iter().enumerate() {
        let clause = clause_in(&format!("positions[{i}].clause"), &p.clause)?;
        positions.push(ClausePosition { clause, theirs: p.theirs, ours: p.ours, agreed: p.agreed, open: p.open });
    }
    let input = SessionInput {
        held_on: s.held_on,
        channel: s.channel,
        customer_people: s.customer_people,
        our_people: s.our_people,
        positions,
        notes: s.notes,
    };
    Ok((StatusCode::CREATED, Json(negotiation_out(service::negotiation::add_session(&state.db, &ctx, id, input).await?))))
}

/// Puts a concession on the ladder and answers the whole negotiation, each concession with
/// its warnings. The warnings are advice, except a crossed bottom line: that concession waits
/// for the general manager (`gm: pending`) in the approvals inbox.
#[utoipa::path(post, path = "/api/v1/deals/{id}/negotiation/concessions", params(("id" = Uuid, Path)), request_body = ConcessionIn,
    responses((status = 201, body = NegotiationOut), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem, description = "no negotiation planned, nothing given or out of bounds, a date in the future, or the result is being confirmed")),
    security(("bearer" = [])))]
pub async fn negotiation_concession(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
    Json(c): Json<ConcessionIn>,
) -> ApiResult<(StatusCode, Json<NegotiationOut>)> {
    let input = ConcessionInput {
        made_on: c.made_on,
        clause: clause_in("clause", &c.clause)?,
        given: given_in(c.given)?,
        got: c.got,
        position_after: c.position_after,
    };
    Ok((StatusCode::CREATED, Json(negotiation_out(service::negotiation::add_concession(&state.db, &ctx, id, input).await?))))
}

/// Sends the agreed result to the sales manager, then legal; confirmed when both approve, back
/// to planning when either rejects. Refused while a concession past a bottom line waits for,
/// or was refused by, the general manager.
#[utoipa::path(post, path = "/api/v1/deals/{id}/negotiation/confirm", params(("id" = Uuid, Path)), request_body = NegotiationConfirmIn,
    responses((status = 200, body = NegotiationOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem, description = "no result, no negotiation planned, already being confirmed, or a concession past a bottom line without the general manager's approval (field concessions)")),
    security(("bearer" = [])))]
pub async fn confirm_negotiation(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
    Json(c): Json<NegotiationConfirmIn>,
) -> ApiResult<Json<NegotiationOut>> {
    Ok(Json(negotiation_out(service::negotiation::confirm(&state.db, &ctx, id, c.result, c.version).await?)))
}
