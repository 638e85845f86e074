//! Approvals of gated moves: list and decide.
use super::{ApiResult, Problem};
use app::domain::dto::ApprovalRow;
use app::domain::error::AppError;
use app::ssr::context::RequestContext;
use app::ssr::service;
use app::ssr::state::AppState;
use axum::extract::{Path, Query, State};
use axum::{Extension, Json};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(approvals)).routes(routes!(decide))
}

#[derive(Serialize, ToSchema)]
pub struct ApprovalOut {
    id: Uuid,
    deal_id: Uuid,
    deal_name: String,
    requested_by: String,
    approver: Option<String>,
    from_stage_id: Option<Uuid>,
    to_stage_id: Option<Uuid>,
    reason: Option<String>,
    /// pending | approved | rejected
    status: String,
    result: Option<String>,
    comment: Option<String>,
    created_at: DateTime<Utc>,
    /// What is decided: stage_move | quote | contract | concession | negotiation
    kind: String,
}

#[derive(Deserialize, ToSchema)]
pub struct DecisionRequest {
    /// approve | reject
    decision: String,
    comment: Option<String>,
}

fn approval_out(a: ApprovalRow) -> ApprovalOut {
    ApprovalOut {
        id: a.id,
        deal_id: a.deal_id,
        deal_name: a.deal_name,
        requested_by: a.requested_by,
        approver: a.approver,
        from_stage_id: a.from_stage.map(|s| s.id),
        to_stage_id: a.to_stage.map(|s| s.id),
        reason: a.reason,
        status: a.status,
        result: a.result,
        comment: a.comment,
        created_at: a.created_at,
        kind: a.kind,
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ApprovalQuery {
    /// pending | approved | rejected
    status: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/approvals", params(ApprovalQuery), responses((status = 200, body = [ApprovalOut])), security(("bearer" = [])))]
pub async fn approvals(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Query(q): Query<ApprovalQuery>,
) -> ApiResult<Json<Vec<ApprovalOut>>> {
    let rows = service::approval::list(&state.db, &ctx, q.status.as_deref()).await?;
    Ok(Json(rows.into_iter().map(approval_out).collect()))
}

#[utoipa::path(post, path = "/api/v1/approvals/{id}/decision", params(("id" = Uuid, Path)), request_body = DecisionRequest,
    responses((status = 200, body = ApprovalOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn decide(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
    Json(req): Json<DecisionRequest>,
) -> ApiResult<Json<ApprovalOut>> {
    let approve = match req.decision.as_str() {
        "approve" => true,
        "reject" => false,
        _ => return Err(AppError::validation("decision", "use approve or reject").into()),
    };
    Ok(Json(approval_out(service::approval::decide(&state.db, &ctx, id, approve, req.comment).await?)))
}
