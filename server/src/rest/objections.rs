//! The objection log over REST: a deal's objections, logging and editing one, its status
//! steps, and the team view by category.
use super::{ApiResult, Problem};
use app::domain::error::AppError;
use app::domain::objection::dto::ObjectionRow;
use app::domain::objection::report::CategoryStat;
use app::domain::objection::{Category, ObjectionInput, Status, StepInput};
use app::ssr::context::RequestContext;
use app::ssr::service;
use app::ssr::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(deal_objections, create_objection))
        .routes(routes!(get_objection, update_objection))
        .routes(routes!(step_objection))
        .routes(routes!(objection_report))
}

const CATEGORIES: &str = "price_too_high, wants_references, wants_site_visit, wants_trial, wants_standards_proof, \
                          pay_after_go_live, wants_turnkey, consultant_days, guarantee_or_refund, bad_past_experience or other";

#[derive(Serialize, ToSchema)]
pub struct ObjectionOut {
    id: Uuid,
    deal_id: Uuid,
    raised_on: NaiveDate,
    /// price_too_high | wants_references | wants_site_visit | wants_trial | wants_standards_proof |
    /// pay_after_go_live | wants_turnkey | consultant_days | guarantee_or_refund | bad_past_experience | other
    category: String,
    /// A person on the deal's committee map.
    raised_by: Option<Uuid>,
    raised_by_name: Option<String>,
    said: String,
    demand: Option<String>,
    strategy: Option<String>,
    owner_id: Uuid,
    owner: String,
    due_on: Option<NaiveDate>,
    resolved_on: Option<NaiveDate>,
    feedback: Option<String>,
    /// open | answered | resolved | dropped
    status: String,
    overdue: bool,
    updated_at: DateTime<Utc>,
    version: i32,
}

fn out(o: ObjectionRow) -> ObjectionOut {
    ObjectionOut {
        id: o.id,
        deal_id: o.deal_id,
        raised_on: o.raised_on,
        category: o.category.code().into(),
        raised_by: o.raised_by,
        raised_by_name: o.raised_by_name,
        said: o.said,
        demand: o.demand,
        strategy: o.strategy,
        owner_id: o.owner_id,
        owner: o.owner,
        due_on: o.due_on,
        resolved_on: o.resolved_on,
        feedback: o.feedback,
        status: o.status.code().into(),
        overdue: o.overdue,
        updated_at: o.updated_at,
        version: o.version,
    }
}

#[derive(Deserialize, ToSchema)]
pub struct ObjectionIn {
    raised_on: NaiveDate,
    category: String,
    raised_by: Option<Uuid>,
    said: String,
    demand: Option<String>,
    strategy: Option<String>,
    /// A member of the deal team; default the deal's owner.
    owner_id: Option<Uuid>,
    due_on: Option<NaiveDate>,
}

/// Read by [`super::versioned`] (the flattened part's errors name their field); the derive
/// gives the document its schema.
#[derive(ToSchema)]
pub struct ObjectionUpdate {
    #[serde(flatten)]
    objection: ObjectionIn,
    version: i32,
}

impl<'de> Deserialize<'de> for ObjectionUpdate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (objection, version) = super::versioned(d)?;
        Ok(ObjectionUpdate { objection, version })
    }
}

fn input(o: ObjectionIn) -> Result<ObjectionInput, AppError> {
    Ok(ObjectionInput {
        raised_on: o.raised_on,
        category: Category::parse(&o.category).ok_or_else(|| AppError::validation("category", format!("use {CATEGORIES}")))?,
        raised_by: o.raised_by,
        said: o.said,
        demand: o.demand,
        strategy: o.strategy,
        owner: o.owner_id,
        due_on: o.due_on,
    })
}

/// A status change: to `answered` (needs a strategy on record), `resolved` (needs the
/// customer's feedback), `dropped` (needs a reason, as feedback) or back to `open`.
#[derive(Deserialize, ToSchema)]
pub struct StepIn {
    to: String,
    feedback: Option<String>,
    /// Default today.
    resolved_on: Option<NaiveDate>,
    version: i32,
}

#[utoipa::path(get, path = "/api/v1/deals/{id}/objections", params(("id" = Uuid, Path)),
    responses((status = 200, body = [ObjectionOut]), (status = 404, body = Problem)), security(("bearer" = [])))]
pub async fn deal_objections(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<Vec<ObjectionOut>>> {
    Ok(Json(service::objection::list(&state.db, &ctx, id).await?.rows.into_iter().map(out).collect()))
}

#[utoipa::path(post, path = "/api/v1/deals/{id}/objections", params(("id" = Uuid, Path)), request_body = ObjectionIn,
    responses((status = 201, body = ObjectionOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn create_objection(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
    Json(o): Json<ObjectionIn>,
) -> ApiResult<(StatusCode, Json<ObjectionOut>)> {
    Ok((StatusCode::CREATED, Json(out(service::objection::create(&state.db, &ctx, id, input(o)?).await?))))
}

#[utoipa::path(get, path = "/api/v1/objections/{id}", params(("id" = Uuid, Path)),
    responses((status = 200, body = ObjectionOut), (status = 404, body = Problem)), security(("bearer" = [])))]
pub async fn get_objection(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<ObjectionOut>> {
    Ok(Json(out(service::objection::get(&state.db, &ctx, id).await?)))
}

#[utoipa::path(put, path = "/api/v1/objections/{id}", params(("id" = Uuid, Path)), request_body = ObjectionUpdate,
    responses((status = 200, body = ObjectionOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn update_objection(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
    Json(o): Json<ObjectionUpdate>,
) -> ApiResult<Json<ObjectionOut>> {
    Ok(Json(out(service::objection::update(&state.db, &ctx, id, input(o.objection)?, o.version).await?)))
}

#[utoipa::path(post, path = "/api/v1/objections/{id}/status", params(("id" = Uuid, Path)), request_body = StepIn,
    responses((status = 200, body = ObjectionOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn step_objection(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
    Json(s): Json<StepIn>,
) -> ApiResult<Json<ObjectionOut>> {
    let to = Status::parse(&s.to).ok_or_else(|| AppError::validation("to", "use open, answered, resolved or dropped"))?;
    let step = StepInput { to, feedback: s.feedback, resolved_on: s.resolved_on };
    Ok(Json(out(service::objection::step(&state.db, &ctx, id, step, s.version).await?)))
}

#[derive(Serialize, ToSchema)]
pub struct CategoryStatOut {
    category: String,
    raised: u32,
    unresolved: u32,
    resolved: u32,
    dropped: u32,
    deals: u32,
    lost_deals: u32,
    lost_minor: i64,
    /// Σ amount of the open deals where it is still unresolved.
    at_stake_minor: i64,
    mean_days_to_resolve: Option<u32>,
}

/// Every objection on the deals the caller sees, by category, costliest first.
#[utoipa::path(get, path = "/api/v1/objections/report", responses((status = 200, body = [CategoryStatOut])), security(("bearer" = [])))]
pub async fn objection_report(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
) -> ApiResult<Json<Vec<CategoryStatOut>>> {
    let rows = service::objection::report(&state.db, &ctx).await?;
    Ok(Json(
        rows.into_iter()
            .map(|s: CategoryStat| CategoryStatOut {
                category: s.category.code().into(),
                raised: s.raised,
                unresolved: s.unresolved,
                resolved: s.resolved,
                dropped: s.dropped,
                deals: s.deals,
                lost_deals: s.lost_deals,
                lost_minor: s.lost_fen,
                at_stake_minor: s.at_stake_fen,
                mean_days_to_resolve: s.mean_days_to_resolve,
            })
            .collect(),
    ))
}
