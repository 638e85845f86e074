//! Deals: list, read, create, patch, gated stage moves and history.
use super::{ApiResult, Problem};
use app::domain::dto::{DealCard, HistoryRow, MoveOutcome};
use app::domain::error::AppError;
use app::ssr::context::RequestContext;
use app::ssr::service;
use app::ssr::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

/// Handlers that share a path share one `routes!`: it mounts every method it names on every path.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(deals, create_deal))
        .routes(routes!(deal, patch_deal))
        .routes(routes!(move_deal))
        .routes(routes!(history))
}

#[derive(Serialize, ToSchema)]
pub struct DealOut {
    id: Uuid,
    name: String,
    account: String,
    owner: String,
    stage_id: Uuid,
    amount_minor: i64,
    currency: String,
    win_rate_pct: i32,
    weighted_minor: i64,
    expected_close_date: NaiveDate,
    version: i32,
    key_info_complete: u8,
    pending_approval: bool,
    /// Present on single-deal answers (GET/PATCH/POST), absent in lists.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    key_info: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    forecast_category: Option<String>,
    /// A manager's adjustment of the category (single-deal answers).
    #[serde(skip_serializing_if = "Option::is_none")]
    manager_category: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct DealPageOut {
    deals: Vec<DealOut>,
    next_cursor: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct MoveRequest {
    to_stage_id: Uuid,
    version: i32,
    reason: Option<String>,
    lost_reason: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct MissingOut {
    code: String,
    message: String,
}

#[derive(Serialize, ToSchema)]
pub struct MoveResponse {
    /// moved | blocked | forbidden | pending_approval
    outcome: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    deal: Option<DealOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    missing: Option<Vec<MissingOut>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    approval_id: Option<Uuid>,
}

#[derive(Serialize, ToSchema)]
pub struct HistoryOut {
    at: DateTime<Utc>,
    actor: Option<String>,
    kind: String,
    from_stage_id: Option<Uuid>,
    to_stage_id: Option<Uuid>,
    old_amount_minor: Option<i64>,
    new_amount_minor: Option<i64>,
    old_close_date: Option<NaiveDate>,
    new_close_date: Option<NaiveDate>,
    note: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct DealIn {
    name: String,
    account_id: Uuid,
    pipeline_id: Option<Uuid>,
    owner_id: Option<Uuid>,
    amount_minor: i64,
    currency: Option<String>,
    expected_close_date: NaiveDate,
}

#[derive(Deserialize, ToSchema)]
pub struct DealPatchIn {
    /// The version read; a stale one answers 409.
    version: i32,
    name: Option<String>,
    amount_minor: Option<i64>,
    expected_close_date: Option<NaiveDate>,
    /// commit | best_case | next_quarter | pipeline, or "" to clear
    forecast_category: Option<String>,
    /// A manager's adjustment (managers of the deal's team only; 403 otherwise), "" to clear
    manager_category: Option<String>,
    winner: Option<String>,
    lost_reason: Option<String>,
    /// Key-information fields to change (merge-patch: absent fields stay as they are).
    #[schema(value_type = Option<Object>)]
    key_info: Option<serde_json::Value>,
}

pub(super) fn deal_out(c: DealCard, rates: &HashMap<Uuid, (i32, String)>) -> DealOut {
    let rate = rates.get(&c.stage_id).map_or(0, |r| r.0);
    DealOut {
        id: c.id,
        name: c.name,
        account: c.account,
        owner: c.owner,
        stage_id: c.stage_id,
        amount_minor: c.amount_fen,
        currency: c.currency,
        win_rate_pct: rate,
        weighted_minor: app::domain::dto::weighted_fen(c.amount_fen, rate),
        expected_close_date: c.close_date,
        version: c.version,
        key_info_complete: c.key_complete,
        pending_approval: c.pending_approval,
        key_info: None,
        forecast_category: None,
        manager_category: None,
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DealQuery {
    pipeline_id: Option<Uuid>,
    stage_id: Option<Uuid>,
    owner_id: Option<Uuid>,
    limit: Option<u64>,
    cursor: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/deals", params(DealQuery), responses((status = 200, body = DealPageOut), (status = 401, body = Problem)), security(("bearer" = [])))]
pub async fn deals(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Query(q): Query<DealQuery>,
) -> ApiResult<Json<DealPageOut>> {
    let after = match q.cursor.as_deref() {
        Some(c) => Some(
            c.strip_prefix('c')
                .and_then(|n| n.parse::<i32>().ok())
                .ok_or_else(|| AppError::validation("cursor", "not a cursor from this API"))?,
        ),
        None => None,
    };
    let (cards, next) =
        service::deal::api_page(&state.db, &ctx, q.pipeline_id, q.stage_id, q.owner_id, after, q.limit.unwrap_or(100)).await?;
    let rates = service::deal::win_rates(&state.db).await?;
    Ok(Json(DealPageOut { deals: cards.into_iter().map(|c| deal_out(c, &rates)).collect(), next_cursor: next.map(|n| format!("c{n}")) }))
}

async fn one_deal(state: &AppState, ctx: &RequestContext, id: Uuid) -> ApiResult<DealOut> {
    let d = service::movement::visible_deal(&state.db, ctx, id).await?;
    let (cards, _) = service::deal::api_page(&state.db, ctx, None, None, None, Some(d.id - 1), 1).await?;
    let card = cards.into_iter().find(|c| c.id == id).ok_or(AppError::NotFound)?;
    let mut out = deal_out(card, &service::deal::win_rates(&state.db).await?);
    let (k, _) = service::keyinfo::get(&state.db, ctx, id).await?;
    out.key_info = serde_json::to_value(k).ok();
    out.forecast_category = d.forecast_category;
    out.manager_category = d.manager_category;
    Ok(out)
}

#[utoipa::path(get, path = "/api/v1/deals/{id}", params(("id" = Uuid, Path)), responses((status = 200, body = DealOut), (status = 404, body = Problem)), security(("bearer" = [])))]
pub async fn deal(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<DealOut>> {
    Ok(Json(one_deal(&state, &ctx, id).await?))
}

#[utoipa::path(post, path = "/api/v1/deals/{id}/moves", params(("id" = Uuid, Path)), request_body = MoveRequest,
    responses((status = 200, body = MoveResponse, description = "moved"), (status = 202, body = MoveResponse, description = "pending_approval"),
        (status = 422, body = MoveResponse, description = "blocked or forbidden"), (status = 409, body = Problem, description = "stale version"),
        (status = 404, body = Problem)), security(("bearer" = [])))]
pub async fn move_deal(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
    Json(req): Json<MoveRequest>,
) -> ApiResult<Response> {
    let cmd = service::movement::MoveCommand {
        deal: id,
        to_stage: req.to_stage_id,
        version: req.version,
        reason: req.reason,
        lost_reason: req.lost_reason,
    };
    let out = service::movement::move_deal(&state.db, &ctx, cmd).await?;
    let blank = MoveResponse { outcome: String::new(), deal: None, missing: None, reason: None, approval_id: None };
    let (status, body) = match out {
        MoveOutcome::Moved { card } => {
            let rates = service::deal::win_rates(&state.db).await?;
            (StatusCode::OK, MoveResponse { outcome: "moved".into(), deal: Some(deal_out(card, &rates)), ..blank })
        }
        MoveOutcome::Blocked { missing } => (
            StatusCode::UNPROCESSABLE_ENTITY,
            MoveResponse {
                outcome: "blocked".into(),
                missing: Some(
                    missing
                        .into_iter()
                        .map(|m| {
                            let code = m.code.strip_prefix("key_info.").unwrap_or(&m.code).to_owned();
                            MissingOut { message: app::i18n::field_label(app::domain::locale::Locale::En, &code).to_owned(), code: m.code }
                        })
                        .collect(),
                ),
                ..blank
            },
        ),
        MoveOutcome::Forbidden { reason } => {
            (StatusCode::UNPROCESSABLE_ENTITY, MoveResponse { outcome: "forbidden".into(), reason: Some(reason), ..blank })
        }
        MoveOutcome::PendingApproval { approval_id, .. } => {
            (StatusCode::ACCEPTED, MoveResponse { outcome: "pending_approval".into(), approval_id: Some(approval_id), ..blank })
        }
    };
    Ok((status, Json(body)).into_response())
}

#[derive(Serialize, ToSchema)]
pub struct HistoryPageOut {
    /// Newest first.
    history: Vec<HistoryOut>,
    /// Pass as `before` for the next (older) page; null on the last page.
    older: Option<i64>,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HistoryQuery {
    /// The `older` of the previous page.
    before: Option<i64>,
    /// 1–500, default 200.
    #[param(minimum = 1, maximum = 500)]
    limit: Option<u64>,
}

#[utoipa::path(get, path = "/api/v1/deals/{id}/history", params(("id" = Uuid, Path), HistoryQuery),
    responses((status = 200, body = HistoryPageOut), (status = 404, body = Problem),
        (status = 422, body = Problem, description = "`limit` out of range, or `before` not a history row of this deal")),
    security(("bearer" = [])))]
pub async fn history(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
    Query(q): Query<HistoryQuery>,
) -> ApiResult<Json<HistoryPageOut>> {
    let page = service::deal::history_page(&state.db, &ctx, id, q.before, q.limit.unwrap_or(service::deal::HISTORY_PAGE_DEFAULT)).await?;
    Ok(Json(HistoryPageOut { history: page.rows.into_iter().map(history_out).collect(), older: page.older }))
}

fn history_out(h: HistoryRow) -> HistoryOut {
    HistoryOut {
        at: h.at,
        actor: h.actor,
        kind: h.kind,
        from_stage_id: h.from_stage.map(|s| s.id),
        to_stage_id: h.to_stage.map(|s| s.id),
        old_amount_minor: h.old_amount_fen,
        new_amount_minor: h.new_amount_fen,
        old_close_date: h.old_close_date,
        new_close_date: h.new_close_date,
        note: h.note,
    }
}

#[utoipa::path(post, path = "/api/v1/deals", request_body = DealIn,
    responses((status = 201, body = DealOut), (status = 422, body = Problem)), security(("bearer" = [])))]
pub async fn create_deal(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Json(d): Json<DealIn>,
) -> ApiResult<(StatusCode, Json<DealOut>)> {
    let new = app::domain::dto::NewDeal {
        name: d.name,
        account: d.account_id,
        pipeline: d.pipeline_id,
        owner: d.owner_id,
        amount_fen: d.amount_minor,
        currency: d.currency,
        close_date: d.expected_close_date,
    };
    let created = service::deal::create(&state.db, &ctx, new).await?;
    Ok((StatusCode::CREATED, Json(one_deal(&state, &ctx, created.uuid).await?)))
}

#[utoipa::path(patch, path = "/api/v1/deals/{id}", params(("id" = Uuid, Path)), request_body = DealPatchIn,
    responses((status = 200, body = DealOut), (status = 404, body = Problem), (status = 409, body = Problem, description = "stale version"),
        (status = 422, body = Problem)), security(("bearer" = [])))]
pub async fn patch_deal(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
    Json(p): Json<DealPatchIn>,
) -> ApiResult<Json<DealOut>> {
    let patch = app::domain::dto::DealPatch {
        version: p.version,
        name: p.name,
        amount_fen: p.amount_minor,
        close_date: p.expected_close_date,
        forecast_category: p.forecast_category,
        manager_category: p.manager_category,
        winner: p.winner,
        lost_reason: p.lost_reason,
        key_info: p.key_info,
        owner: None,
    };
    service::deal::patch(&state.db, &ctx, id, patch).await?;
    Ok(Json(one_deal(&state, &ctx, id).await?))
}
