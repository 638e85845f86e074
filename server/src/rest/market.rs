//! The target market's pipeline split and the capacity plan over REST.
//!
//! The split has its own route (`/accounts/target-market/pipeline`) rather than a field of
//! `GET /forecast`: it is a separate aggregate over deals joined to accounts, and keeping it
//! out of the forecast keeps the 1M-deal dashboard's hot path as measured; a client that wants
//! it asks for it.
use super::{ApiResult, Problem};
use app::domain::account::cadence::{CapacityPlan, CapacityRow, Tier};
use app::domain::account::market::CapacityView;
use app::domain::error::AppError;
use app::ssr::context::RequestContext;
use app::ssr::service;
use app::ssr::state::AppState;
use axum::extract::{Query, State};
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(pipeline_split)).routes(routes!(capacity)).routes(routes!(capacity_plan, put_capacity_plan))
}

#[derive(Serialize, ToSchema)]
pub struct SplitRowOut {
    /// in | out | unknown
    fit: String,
    count: u64,
    amount_minor: i64,
    /// Σ per deal of amount × the stage's win rate, rounded per deal.
    weighted_minor: i64,
}

#[derive(Serialize, ToSchema)]
pub struct PipelineSplitOut {
    /// Always three rows: in, out, unknown.
    rows: Vec<SplitRowOut>,
}

/// The caller's open pipeline (the dashboard's scope) inside, outside and unknown against the
/// target market.
#[utoipa::path(get, path = "/api/v1/accounts/target-market/pipeline", responses((status = 200, body = PipelineSplitOut)), security(("bearer" = [])))]
pub async fn pipeline_split(State(state): State<AppState>, Extension(ctx): Extension<RequestContext>) -> ApiResult<Json<PipelineSplitOut>> {
    let s = service::forecast::pipeline_split(&state.db, &ctx).await?;
    Ok(Json(PipelineSplitOut {
        rows: s
            .rows
            .into_iter()
            .map(|r| SplitRowOut { fit: r.fit.code().into(), count: r.count, amount_minor: r.amount_fen, weighted_minor: r.weighted_fen })
            .collect(),
    }))
}

/// A line of the plan: so many accounts of a tier take so many days a month.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct PlanLine {
    /// a | b | c | d | new (ungraded accounts)
    tier: String,
    accounts: u32,
    days_per_month: u32,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct PlanBody {
    lines: Vec<PlanLine>,
}

fn plan_out(p: &CapacityPlan) -> PlanBody {
    PlanBody {
        lines: p
            .per_tier
            .iter()
            .map(|r| PlanLine { tier: r.tier.code().into(), accounts: r.accounts, days_per_month: r.days_per_month })
            .collect(),
    }
}

#[utoipa::path(get, path = "/api/v1/accounts/capacity-plan", responses((status = 200, body = PlanBody)), security(("bearer" = [])))]
pub async fn capacity_plan(State(state): State<AppState>, Extension(_ctx): Extension<RequestContext>) -> ApiResult<Json<PlanBody>> {
    Ok(Json(plan_out(&service::account::capacity::plan(&*state.db).await?)))
}

/// Sets the capacity plan (admins).
#[utoipa::path(put, path = "/api/v1/accounts/capacity-plan", request_body = PlanBody,
    responses((status = 200, body = PlanBody), (status = 403, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
pub async fn put_capacity_plan(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Json(b): Json<PlanBody>,
) -> ApiResult<Json<PlanBody>> {
    let mut per_tier = Vec::with_capacity(b.lines.len().min(Tier::ALL.len()));
    for l in b.lines.into_iter().take(Tier::ALL.len() + 1) {
        let tier = Tier::parse(&l.tier).ok_or_else(|| AppError::validation("tier", "a, b, c, d or new"))?;
        per_tier.push(CapacityRow { tier, accounts: l.accounts, days_per_month: l.days_per_month });
    }
    Ok(Json(plan_out(&service::account::capacity::save_plan(&state.db, &ctx, CapacityPlan { per_tier }).await?)))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CapacityQuery {
    /// A team's id; without it every team the caller may see.
    team: Option<Uuid>,
}

#[derive(Serialize, ToSchema)]
pub struct TierLoadOut {
    tier: String,
    accounts: u32,
    planned: u32,
    days_planned: u32,
    /// Days the rep's accounts of this tier take at the plan's rate, in tenths.
    days_needed_tenths: u64,
    over: bool,
}

#[derive(Serialize, ToSchema)]
pub struct RepCapacityOut {
    user_id: Uuid,
    name: String,
    team: String,
    lines: Vec<TierLoadOut>,
    /// D accounts: reached by campaigns, no days planned.
    d_accounts: u32,
    days_needed_tenths: u64,
    /// More days needed than the month's working days.
    over: bool,
}

#[derive(Serialize, ToSchema)]
pub struct CapacityOut {
    plan: PlanBody,
    /// The month counted (its first day) and its working days (Monday–Friday).
    month: chrono::NaiveDate,
    working_days: u32,
    team: Option<Uuid>,
    reps: Vec<RepCapacityOut>,
}

fn capacity_out(v: CapacityView) -> CapacityOut {
    CapacityOut {
        plan: plan_out(&v.plan),
        month: v.month,
        working_days: v.working_days,
        team: v.team,
        reps: v
            .reps
            .into_iter()
            .map(|r| RepCapacityOut {
                user_id: r.user_id,
                name: r.name,
                team: r.team,
                lines: r
                    .lines
                    .into_iter()
                    .map(|l| TierLoadOut {
                        tier: l.tier.code().into(),
                        accounts: l.accounts,
                        planned: l.planned,
                        days_planned: l.days_planned,
                        days_needed_tenths: l.days_needed_tenths,
                        over: l.over,
                    })
                    .collect(),
                d_accounts: r.d_accounts,
                days_needed_tenths: r.days_needed_tenths,
                over: r.over,
            })
            .collect(),
    }
}

/// Each rep's book against the plan: a manager their teams, executives and admins any team or
/// all, anyone else their own. Another team's id answers 404.
#[utoipa::path(get, path = "/api/v1/accounts/capacity", params(CapacityQuery),
    responses((status = 200, body = CapacityOut), (status = 404, body = Problem)), security(("bearer" = [])))]
pub async fn capacity(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Query(q): Query<CapacityQuery>,
) -> ApiResult<Json<CapacityOut>> {
    Ok(Json(capacity_out(service::account::capacity::view(&state.db, &ctx, q.team).await?)))
}
