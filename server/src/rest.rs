//! REST API v1: the public contract. Handlers parse, call the same services as the UI, and
//! map `AppError` to application/problem+json in one place.
use app::domain::dto::{ApprovalRow, Board, BoardFilter, DealCard, HistoryRow, MoveOutcome};
use app::domain::error::AppError;
use app::ssr::context::{RequestContext, SESSION_USER_KEY};
use app::ssr::service;
use app::ssr::session_store::DbSessionStore;
use app::ssr::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use tower_sessions::session::{Id, Record};
use tower_sessions::SessionStore;
use utoipa::{OpenApi, ToSchema};
use uuid::Uuid;

/// Bearer tokens live as long as a UI session.
const TOKEN_HOURS: i64 = 12;

pub struct ApiError(AppError);

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError(e)
    }
}

#[derive(Serialize, ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    kind: String,
    title: String,
    status: u16,
    detail: String,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.0.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = Problem {
            kind: "about:blank".into(),
            title: status.canonical_reason().unwrap_or("Error").into(),
            status: status.as_u16(),
            detail: app::i18n::error_message(app::domain::locale::Locale::En, &self.0),
        };
        (status, [(header::CONTENT_TYPE, "application/problem+json")], serde_json::to_string(&body).unwrap_or_default()).into_response()
    }
}

type ApiResult<T> = Result<T, ApiError>;

#[derive(Deserialize, ToSchema)]
pub struct TokenRequest {
    email: String,
    password: String,
}

#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    token: String,
    expires_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct StageOut {
    id: Uuid,
    name: String,
    name_zh: String,
    position: i32,
    win_rate_pct: i32,
    /// open | won | lost
    kind: String,
}

#[derive(Serialize, ToSchema)]
pub struct PipelineOut {
    id: Uuid,
    name: String,
    name_zh: String,
    is_default: bool,
    stages: Vec<StageOut>,
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
}

#[derive(Deserialize, ToSchema)]
pub struct DecisionRequest {
    /// approve | reject
    decision: String,
    comment: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ColumnOut {
    stage: StageOut,
    count: u64,
    amount_minor: i64,
    weighted_minor: i64,
    cards: Vec<DealOut>,
}

#[derive(Serialize, ToSchema)]
pub struct BoardOut {
    pipeline_id: Uuid,
    columns: Vec<ColumnOut>,
}

fn deal_out(c: DealCard, rates: &HashMap<Uuid, (i32, String)>) -> DealOut {
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
    }
}

#[utoipa::path(post, path = "/api/v1/auth/token", request_body = TokenRequest,
    responses((status = 200, body = TokenResponse), (status = 401, body = Problem), (status = 429, body = Problem)))]
pub async fn token(State(state): State<AppState>, Json(req): Json<TokenRequest>) -> ApiResult<Json<TokenResponse>> {
    let user = app::ssr::auth::authenticate(&state.db, &state.limiter, &req.email, &req.password, None).await?;
    let expires_at = Utc::now() + chrono::Duration::hours(TOKEN_HOURS);
    let mut data = HashMap::new();
    data.insert(SESSION_USER_KEY.to_owned(), serde_json::json!(user.id));
    let mut record = Record {
        id: Id::default(),
        data,
        expiry_date: time::OffsetDateTime::from_unix_timestamp(expires_at.timestamp()).map_err(|_| AppError::Internal)?,
    };
    DbSessionStore::new(state.db.clone()).create(&mut record).await.map_err(|_| AppError::Internal)?;
    Ok(Json(TokenResponse { token: record.id.to_string(), expires_at }))
}

/// Resolves `Authorization: Bearer <token>` to a user id (tokens share the session store).
pub async fn bearer_user(state: &AppState, headers: &axum::http::HeaderMap) -> Option<i32> {
    let raw = headers.get(header::AUTHORIZATION)?.to_str().ok()?.strip_prefix("Bearer ")?.trim();
    let id: Id = raw.parse().ok()?;
    let rec = DbSessionStore::new(state.db.clone()).load(&id).await.ok()??;
    rec.data.get(SESSION_USER_KEY)?.as_i64().and_then(|v| i32::try_from(v).ok())
}

#[utoipa::path(get, path = "/api/v1/pipelines", responses((status = 200, body = [PipelineOut])), security(("bearer" = [])))]
pub async fn pipelines(State(state): State<AppState>, Extension(_ctx): Extension<RequestContext>) -> ApiResult<Json<Vec<PipelineOut>>> {
    let ps = service::deal::pipelines(&state.db).await?;
    Ok(Json(
        ps.into_iter()
            .map(|(p, st)| PipelineOut {
                id: p.uuid,
                name: p.name_en,
                name_zh: p.name_zh,
                is_default: p.is_default,
                stages: st
                    .into_iter()
                    .map(|s| StageOut {
                        id: s.uuid,
                        name: s.name_en,
                        name_zh: s.name_zh,
                        position: s.position,
                        win_rate_pct: s.win_rate_pct,
                        kind: s.kind,
                    })
                    .collect(),
            })
            .collect(),
    ))
}

#[derive(Deserialize, utoipa::IntoParams)]
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

#[utoipa::path(get, path = "/api/v1/deals/{id}/history", params(("id" = Uuid, Path)), responses((status = 200, body = [HistoryOut]), (status = 404, body = Problem)), security(("bearer" = [])))]
pub async fn history(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<Vec<HistoryOut>>> {
    let rows: Vec<HistoryRow> = service::deal::history(&state.db, &ctx, id).await?;
    Ok(Json(
        rows.into_iter()
            .map(|h| HistoryOut {
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
            })
            .collect(),
    ))
}

#[derive(Deserialize, utoipa::IntoParams)]
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

#[derive(Deserialize, utoipa::IntoParams)]
pub struct BoardQuery {
    pipeline_id: Option<Uuid>,
    owner_id: Option<Uuid>,
    team_id: Option<Uuid>,
    /// m3 | m6 | m9 | m12 | later
    close: Option<String>,
    min_minor: Option<i64>,
    max_minor: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/board", params(BoardQuery), responses((status = 200, body = BoardOut)), security(("bearer" = [])))]
pub async fn board(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Query(q): Query<BoardQuery>,
) -> ApiResult<Json<BoardOut>> {
    let f = BoardFilter {
        pipeline: q.pipeline_id,
        owner: q.owner_id,
        team: q.team_id,
        bucket: q.close,
        min_fen: q.min_minor,
        max_fen: q.max_minor,
    };
    let b: Board = service::board::board(&state.db, &ctx, &f).await?;
    let rates = service::deal::win_rates(&state.db).await?;
    Ok(Json(BoardOut {
        pipeline_id: b.pipeline.id,
        columns: b
            .columns
            .into_iter()
            .map(|c| ColumnOut {
                stage: StageOut {
                    id: c.stage.id,
                    name: c.stage.name_en,
                    name_zh: c.stage.name_zh,
                    position: c.stage.position,
                    win_rate_pct: c.stage.win_rate_pct,
                    kind: c.stage.kind,
                },
                count: c.count,
                amount_minor: c.amount_fen,
                weighted_minor: c.weighted_fen,
                cards: c.cards.into_iter().map(|d| deal_out(d, &rates)).collect(),
            })
            .collect(),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct AccountOut {
    id: Uuid,
    name: String,
    industry: String,
    city: Option<String>,
    headcount: Option<i32>,
    revenue_minor: Option<i64>,
    owner: String,
    team: String,
    contacts: u64,
    open_deals: u64,
}

fn account_out(a: app::domain::dto::AccountRow) -> AccountOut {
    AccountOut {
        id: a.id,
        name: a.name,
        industry: a.industry,
        city: a.city,
        headcount: a.headcount,
        revenue_minor: a.revenue_fen,
        owner: a.owner,
        team: a.team,
        contacts: a.contacts,
        open_deals: a.open_deals,
    }
}

#[derive(Serialize, ToSchema)]
pub struct AccountPageOut {
    accounts: Vec<AccountOut>,
    total: u64,
    page: u64,
    per_page: u64,
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct AccountQuery {
    /// Matches name, industry or city.
    q: Option<String>,
    page: Option<u64>,
    per_page: Option<u64>,
}

#[derive(Deserialize, ToSchema)]
pub struct AccountIn {
    name: String,
    #[serde(default)]
    industry: String,
    city: Option<String>,
    headcount: Option<i32>,
    revenue_minor: Option<i64>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct ContactOut {
    id: Uuid,
    account_id: Uuid,
    name: String,
    title: Option<String>,
    department: Option<String>,
    phone: Option<String>,
    email: Option<String>,
}

fn contact_out(c: app::domain::dto::ContactRow) -> ContactOut {
    ContactOut {
        id: c.id,
        account_id: c.account_id,
        name: c.name,
        title: c.title,
        department: c.department,
        phone: c.phone,
        email: c.email,
    }
}

#[derive(Deserialize, ToSchema)]
pub struct ContactIn {
    name: String,
    title: Option<String>,
    department: Option<String>,
    phone: Option<String>,
    email: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/accounts", params(AccountQuery), responses((status = 200, body = AccountPageOut)), security(("bearer" = [])))]
pub async fn accounts(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Query(q): Query<AccountQuery>,
) -> ApiResult<Json<AccountPageOut>> {
    let p = service::account::list(&state.db, &ctx, q.q, q.page.unwrap_or(1), q.per_page.unwrap_or(50)).await?;
    Ok(Json(AccountPageOut { accounts: p.rows.into_iter().map(account_out).collect(), total: p.total, page: p.page, per_page: p.per_page }))
}

#[utoipa::path(post, path = "/api/v1/accounts", request_body = AccountIn,
    responses((status = 201, body = AccountOut), (status = 422, body = Problem)), security(("bearer" = [])))]
pub async fn create_account(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Json(a): Json<AccountIn>,
) -> ApiResult<(StatusCode, Json<AccountOut>)> {
    let new = app::domain::dto::NewAccount {
        name: a.name,
        industry: a.industry,
        city: a.city,
        headcount: a.headcount,
        revenue_fen: a.revenue_minor,
    };
    Ok((StatusCode::CREATED, Json(account_out(service::account::create(&state.db, &ctx, new).await?))))
}

#[utoipa::path(get, path = "/api/v1/accounts/{id}/contacts", params(("id" = Uuid, Path)),
    responses((status = 200, body = [ContactOut]), (status = 404, body = Problem)), security(("bearer" = [])))]
pub async fn contacts(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<Vec<ContactOut>>> {
    Ok(Json(service::account::contacts(&state.db, &ctx, id).await?.into_iter().map(contact_out).collect()))
}

#[utoipa::path(post, path = "/api/v1/accounts/{id}/contacts", params(("id" = Uuid, Path)), request_body = ContactIn,
    responses((status = 201, body = ContactOut), (status = 404, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
pub async fn create_contact(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
    Json(c): Json<ContactIn>,
) -> ApiResult<(StatusCode, Json<ContactOut>)> {
    let new = app::domain::dto::NewContact { name: c.name, title: c.title, department: c.department, phone: c.phone, email: c.email };
    Ok((StatusCode::CREATED, Json(contact_out(service::account::create_contact(&state.db, &ctx, id, new).await?))))
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
    };
    service::deal::patch(&state.db, &ctx, id, patch).await?;
    Ok(Json(one_deal(&state, &ctx, id).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ForecastQuery {
    /// owner | team | pipeline | bucket | category | month | quarter | year
    group_by: Option<String>,
    /// Only deals closing in this period: `2026`, `2026-Q4` or `2026-11` (won deals by close date too).
    period: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ForecastRowOut {
    /// The group: a user/team/pipeline id, a bucket or category code, or a period.
    key: String,
    label: String,
    open_count: u64,
    open_amount_minor: i64,
    weighted_minor: i64,
    won_count: u64,
    won_amount_minor: i64,
}

#[derive(Serialize, ToSchema)]
pub struct ForecastOut {
    group_by: String,
    period: Option<String>,
    rows: Vec<ForecastRowOut>,
    total_weighted_minor: i64,
}

#[utoipa::path(get, path = "/api/v1/forecast", params(ForecastQuery), responses((status = 200, body = ForecastOut), (status = 422, body = Problem)), security(("bearer" = [])))]
pub async fn forecast(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Query(q): Query<ForecastQuery>,
) -> ApiResult<Json<ForecastOut>> {
    let by = q.group_by.unwrap_or_else(|| "owner".into());
    let rows = service::forecast::grouped(&state.db, &ctx, &by, q.period.as_deref()).await?;
    let total = rows.iter().map(|r| r.weighted_fen).sum();
    Ok(Json(ForecastOut {
        group_by: by,
        period: q.period,
        total_weighted_minor: total,
        rows: rows
            .into_iter()
            .map(|r| ForecastRowOut {
                key: r.key,
                label: r.label,
                open_count: r.open_count,
                open_amount_minor: r.open_amount_fen,
                weighted_minor: r.weighted_fen,
                won_count: r.won_count,
                won_amount_minor: r.won_amount_fen,
            })
            .collect(),
    }))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ProgressQuery {
    /// Start date (inclusive, local midnight); default: Monday of this week.
    from: Option<NaiveDate>,
    /// End date (inclusive, end of that local day); default: now.
    to: Option<NaiveDate>,
}

#[derive(Serialize, ToSchema)]
pub struct ProgressOut {
    from: NaiveDate,
    to: NaiveDate,
    value_from_minor: i64,
    value_to_minor: i64,
    total_minor: i64,
    /// new, moved_up, moved_down, won, lost, amount_changed, slipped, pulled_in, other (they sum to total)
    parts: HashMap<String, i64>,
}

#[utoipa::path(get, path = "/api/v1/progress", params(ProgressQuery), responses((status = 200, body = ProgressOut), (status = 422, body = Problem)), security(("bearer" = [])))]
pub async fn progress(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Query(q): Query<ProgressQuery>,
) -> ApiResult<Json<ProgressOut>> {
    let p = service::forecast::progress_between(&state.db, &ctx, q.from, q.to).await?;
    let parts = HashMap::from([
        ("new".to_owned(), p.parts.new_fen),
        ("moved_up".to_owned(), p.parts.moved_up_fen),
        ("moved_down".to_owned(), p.parts.moved_down_fen),
        ("won".to_owned(), p.parts.won_fen),
        ("lost".to_owned(), p.parts.lost_fen),
        ("amount_changed".to_owned(), p.parts.amount_changed_fen),
        ("slipped".to_owned(), p.parts.slipped_fen),
        ("pulled_in".to_owned(), p.parts.pulled_in_fen),
        ("other".to_owned(), p.parts.other_fen),
    ]);
    Ok(Json(ProgressOut {
        from: p.from,
        to: p.to,
        value_from_minor: p.value_from_fen,
        value_to_minor: p.value_to_fen,
        total_minor: p.total_fen,
        parts,
    }))
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct QuotaOut {
    id: Uuid,
    user_id: Uuid,
    user_name: String,
    email: String,
    period_start: NaiveDate,
    period_end: NaiveDate,
    amount_minor: i64,
    version: i32,
}

#[derive(Deserialize, ToSchema)]
pub struct QuotaIn {
    /// User id or e-mail.
    user: String,
    period_start: NaiveDate,
    period_end: NaiveDate,
    amount_minor: i64,
}

#[derive(Serialize, ToSchema)]
pub struct ImportOut {
    imported: u32,
    /// [line, message] for each rejected line; nothing is imported when any line is bad.
    errors: Vec<(u32, String)>,
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct QuotaQuery {
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
}

fn quota_out(q: service::quota::QuotaRow) -> QuotaOut {
    QuotaOut {
        id: q.id,
        user_id: q.user_id,
        user_name: q.user_name,
        email: q.email,
        period_start: q.period_start,
        period_end: q.period_end,
        amount_minor: q.amount_fen,
        version: q.version,
    }
}

#[utoipa::path(get, path = "/api/v1/quotas", params(QuotaQuery), responses((status = 200, body = [QuotaOut])), security(("bearer" = [])))]
pub async fn quotas(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Query(q): Query<QuotaQuery>,
) -> ApiResult<Json<Vec<QuotaOut>>> {
    Ok(Json(service::quota::list(&state.db, &ctx, q.from, q.to).await?.into_iter().map(quota_out).collect()))
}

#[utoipa::path(put, path = "/api/v1/quotas", request_body = QuotaIn,
    responses((status = 200, body = [QuotaOut], description = "the quotas of that user and period"), (status = 403, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
pub async fn put_quota(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Json(q): Json<QuotaIn>,
) -> ApiResult<Json<Vec<QuotaOut>>> {
    let input =
        service::quota::QuotaInput { user: q.user, period_start: q.period_start, period_end: q.period_end, amount_fen: q.amount_minor };
    service::quota::upsert(&state.db, &ctx, &input).await?;
    let rows = service::quota::list(&state.db, &ctx, Some(q.period_start), Some(q.period_end)).await?;
    Ok(Json(rows.into_iter().filter(|r| r.period_start == q.period_start && r.period_end == q.period_end).map(quota_out).collect()))
}

#[utoipa::path(delete, path = "/api/v1/quotas/{id}", params(("id" = Uuid, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)), security(("bearer" = [])))]
pub async fn delete_quota(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
) -> ApiResult<StatusCode> {
    service::quota::delete(&state.db, &ctx, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/quotas/import", request_body(content = String, content_type = "text/csv", description = "email,period_start,period_end,amount (yuan); header optional"),
    responses((status = 200, body = ImportOut), (status = 422, body = ImportOut)), security(("bearer" = [])))]
pub async fn import_quotas(State(state): State<AppState>, Extension(ctx): Extension<RequestContext>, body: String) -> ApiResult<Response> {
    let r = service::quota::import_csv(&state.db, &ctx, &body).await?;
    let status = if r.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, Json(ImportOut { imported: r.imported, errors: r.errors })).into_response())
}

// ---- Deal room: committee map, checklists, activities, comments ----

#[derive(Serialize, ToSchema)]
pub struct MapPersonOut {
    contact_id: Uuid,
    name: String,
    title: Option<String>,
    department: Option<String>,
    reports_to: Option<Uuid>,
    /// decision_maker | economic_buyer | technical_evaluator | user | influencer | initiator | coach | blocker
    role: Option<String>,
    influence_pct: i32,
    /// supporter | neutral | opponent
    attitude: String,
    /// 1 (cold) – 5 (close)
    relationship: u8,
    last_contact: Option<NaiveDate>,
    version: i32,
}

#[derive(Serialize, ToSchema)]
pub struct MapWarningOut {
    code: String,
    contact_id: Option<Uuid>,
    message: String,
}

#[derive(Serialize, ToSchema)]
pub struct ContactMapOut {
    deal_id: Uuid,
    people: Vec<MapPersonOut>,
    warnings: Vec<MapWarningOut>,
    /// The account's contacts not yet on the map.
    candidates: Vec<ContactOut>,
}

fn map_out(m: app::domain::dto::DealMap) -> ContactMapOut {
    ContactMapOut {
        deal_id: m.deal_id,
        people: m
            .people
            .into_iter()
            .map(|p| MapPersonOut {
                contact_id: p.contact_id,
                name: p.name,
                title: p.title,
                department: p.department,
                reports_to: p.reports_to,
                role: p.role,
                influence_pct: p.influence_pct,
                attitude: p.attitude,
                relationship: p.relationship,
                last_contact: p.last_contact,
                version: p.version,
            })
            .collect(),
        warnings: m.warnings.into_iter().map(|w| MapWarningOut { code: w.code, contact_id: w.contact_id, message: w.message_en }).collect(),
        candidates: m.candidates.into_iter().map(contact_out).collect(),
    }
}

#[derive(Deserialize, ToSchema)]
pub struct MapPersonIn {
    contact_id: Uuid,
    reports_to: Option<Uuid>,
    role: Option<String>,
    #[serde(default)]
    influence_pct: i32,
    attitude: Option<String>,
    relationship: Option<u8>,
    last_contact: Option<NaiveDate>,
}

#[derive(Deserialize, ToSchema)]
pub struct ContactMapIn {
    /// The whole map; it replaces the stored one.
    people: Vec<MapPersonIn>,
}

#[utoipa::path(get, path = "/api/v1/deals/{id}/contacts", params(("id" = Uuid, Path)),
    responses((status = 200, body = ContactMapOut), (status = 404, body = Problem)), security(("bearer" = [])))]
pub async fn deal_contacts(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<ContactMapOut>> {
    Ok(Json(map_out(service::map::get(&state.db, &ctx, id).await?)))
}

#[utoipa::path(put, path = "/api/v1/deals/{id}/contacts", params(("id" = Uuid, Path)), request_body = ContactMapIn,
    responses((status = 200, body = ContactMapOut), (status = 404, body = Problem), (status = 422, body = Problem, description = "invalid map, e.g. a reporting loop")),
    security(("bearer" = [])))]
pub async fn put_deal_contacts(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
    Json(m): Json<ContactMapIn>,
) -> ApiResult<Json<ContactMapOut>> {
    let people = m
        .people
        .into_iter()
        .map(|p| app::domain::dto::MapPersonInput {
            contact_id: p.contact_id,
            reports_to: p.reports_to,
            role: p.role,
            influence_pct: p.influence_pct,
            attitude: p.attitude,
            relationship: p.relationship,
            last_contact: p.last_contact,
        })
        .collect();
    Ok(Json(map_out(service::map::put(&state.db, &ctx, id, people).await?)))
}

#[derive(Serialize, ToSchema)]
pub struct ChecklistItemOut {
    id: i32,
    position: i32,
    text_en: String,
    text_zh: String,
    done: bool,
    done_by: Option<String>,
    done_at: Option<DateTime<Utc>>,
    owner_id: Option<Uuid>,
    owner: Option<String>,
    due: Option<NaiveDate>,
    note: Option<String>,
    link: Option<String>,
    version: i32,
    overdue: bool,
}

#[derive(Serialize, ToSchema)]
pub struct ChecklistOut {
    id: Uuid,
    deal_id: Uuid,
    template: String,
    kind: String,
    name_en: String,
    name_zh: String,
    done: usize,
    total: usize,
    complete: bool,
    overdue: usize,
    items: Vec<ChecklistItemOut>,
}

fn checklist_out(c: app::domain::dto::DealChecklistView) -> ChecklistOut {
    ChecklistOut {
        id: c.id,
        deal_id: c.deal_id,
        template: c.template_code,
        kind: c.kind,
        name_en: c.name_en,
        name_zh: c.name_zh,
        done: c.done,
        total: c.total,
        complete: c.complete,
        overdue: c.overdue,
        items: c
            .items
            .into_iter()
            .map(|i| ChecklistItemOut {
                id: i.id,
                position: i.position,
                text_en: i.text_en,
                text_zh: i.text_zh,
                done: i.done,
                done_by: i.done_by,
                done_at: i.done_at,
                owner_id: i.owner_id,
                owner: i.owner,
                due: i.due,
                note: i.note,
                link: i.link,
                version: i.version,
                overdue: i.overdue,
            })
            .collect(),
    }
}

#[derive(Deserialize, ToSchema)]
pub struct ChecklistIn {
    /// Template code: demo | proposal | exchange_meeting (or an admin-made one)
    template: String,
}

/// Present-but-null becomes `Some(None)`, absent stays `None`.
fn present<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

#[derive(Deserialize, ToSchema)]
pub struct ChecklistItemIn {
    /// The version read; a stale one answers 409.
    version: i32,
    done: Option<bool>,
    /// Owner and due date are set together: sending either sets both (an absent one clears).
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<Uuid>)]
    owner_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<NaiveDate>)]
    due: Option<Option<NaiveDate>>,
    /// Note and link are set together likewise.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    note: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    link: Option<Option<String>>,
}

#[utoipa::path(get, path = "/api/v1/deals/{id}/checklists", params(("id" = Uuid, Path)),
    responses((status = 200, body = [ChecklistOut]), (status = 404, body = Problem)), security(("bearer" = [])))]
pub async fn deal_checklists(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<Vec<ChecklistOut>>> {
    Ok(Json(service::checklist::list(&state.db, &ctx, id).await?.into_iter().map(checklist_out).collect()))
}

#[utoipa::path(post, path = "/api/v1/deals/{id}/checklists", params(("id" = Uuid, Path)), request_body = ChecklistIn,
    responses((status = 201, body = ChecklistOut), (status = 404, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
pub async fn attach_checklist(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
    Json(c): Json<ChecklistIn>,
) -> ApiResult<(StatusCode, Json<ChecklistOut>)> {
    Ok((StatusCode::CREATED, Json(checklist_out(service::checklist::attach(&state.db, &ctx, id, &c.template).await?))))
}

#[utoipa::path(post, path = "/api/v1/checklists/items/{id}", params(("id" = i32, Path)), request_body = ChecklistItemIn,
    responses((status = 200, body = ChecklistOut, description = "the item's checklist as it is now"), (status = 404, body = Problem),
        (status = 409, body = Problem, description = "stale version"), (status = 422, body = Problem)), security(("bearer" = [])))]
pub async fn edit_checklist_item(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<i32>,
    Json(i): Json<ChecklistItemIn>,
) -> ApiResult<Json<ChecklistOut>> {
    let assign = (i.owner_id.is_some() || i.due.is_some()).then(|| (i.owner_id.flatten(), i.due.flatten()));
    let annotate = (i.note.is_some() || i.link.is_some()).then(|| (i.note.flatten(), i.link.flatten()));
    let edit = app::domain::dto::ChecklistItemEdit { version: i.version, done: i.done, assign, annotate };
    Ok(Json(checklist_out(service::checklist::edit_item(&state.db, &ctx, id, edit).await?)))
}

#[derive(Serialize, ToSchema)]
pub struct ActivityOut {
    id: Uuid,
    deal_id: Uuid,
    /// call | visit | exchange_meeting | demo | revisit | email | other
    kind: String,
    at: DateTime<Utc>,
    /// Only the day is known (`at` is its midnight, UTC+8).
    all_day: bool,
    recorded_at: DateTime<Utc>,
    author: String,
    channel: Option<String>,
    people: Option<String>,
    summary: String,
    satisfaction: Option<u8>,
    new_needs: Option<String>,
    next_action: Option<String>,
    next_owner_id: Option<Uuid>,
    next_due: Option<NaiveDate>,
    next_done: bool,
    /// Recorded more than 24 h after the activity.
    late: bool,
}

fn activity_out(a: app::domain::dto::ActivityRow) -> ActivityOut {
    ActivityOut {
        id: a.id,
        deal_id: a.deal_id,
        kind: a.kind,
        at: a.at,
        all_day: a.all_day,
        recorded_at: a.recorded_at,
        author: a.author,
        channel: a.channel,
        people: a.people,
        summary: a.summary,
        satisfaction: a.satisfaction,
        new_needs: a.new_needs,
        next_action: a.next_action,
        next_owner_id: a.next_owner_id,
        next_due: a.next_due,
        next_done: a.next_done,
        late: a.late,
    }
}

#[derive(Deserialize, ToSchema)]
pub struct ActivityIn {
    kind: String,
    /// When it happened; or give `date` when only the day is known.
    at: Option<DateTime<Utc>>,
    date: Option<NaiveDate>,
    channel: Option<String>,
    people: Option<String>,
    summary: String,
    satisfaction: Option<u8>,
    new_needs: Option<String>,
    next_action: Option<String>,
    next_owner_id: Option<Uuid>,
    next_due: Option<NaiveDate>,
}

#[utoipa::path(get, path = "/api/v1/deals/{id}/activities", params(("id" = Uuid, Path)),
    responses((status = 200, body = [ActivityOut]), (status = 404, body = Problem)), security(("bearer" = [])))]
pub async fn deal_activities(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<Vec<ActivityOut>>> {
    Ok(Json(service::activity::list(&state.db, &ctx, id).await?.into_iter().map(activity_out).collect()))
}

#[utoipa::path(post, path = "/api/v1/deals/{id}/activities", params(("id" = Uuid, Path)), request_body = ActivityIn,
    responses((status = 201, body = ActivityOut), (status = 404, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
pub async fn log_activity(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
    Json(a): Json<ActivityIn>,
) -> ApiResult<(StatusCode, Json<ActivityOut>)> {
    use app::domain::activity::ActivityAt;
    let at = match (a.at, a.date) {
        (Some(t), None) => ActivityAt::Time(t),
        (None, Some(d)) => ActivityAt::Day(d),
        _ => return Err(AppError::validation("at", "give either at (a time) or date (a day)").into()),
    };
    let new = app::domain::dto::NewActivity {
        kind: a.kind,
        at,
        channel: a.channel,
        people: a.people,
        summary: a.summary,
        satisfaction: a.satisfaction,
        new_needs: a.new_needs,
        next_action: a.next_action,
        next_owner: a.next_owner_id,
        next_due: a.next_due,
    };
    Ok((StatusCode::CREATED, Json(activity_out(service::activity::log(&state.db, &ctx, id, new).await?))))
}

#[derive(Serialize, ToSchema)]
pub struct CommentOut {
    id: Uuid,
    author: String,
    body: String,
    created_at: DateTime<Utc>,
    /// Users notified by an @mention.
    mentioned: Vec<String>,
}

fn comment_out(c: app::domain::dto::CommentRow) -> CommentOut {
    CommentOut { id: c.id, author: c.author, body: c.body, created_at: c.created_at, mentioned: c.mentioned }
}

#[derive(Deserialize, ToSchema)]
pub struct CommentIn {
    /// `@` + a user's e-mail local part or name (no spaces) mentions them.
    body: String,
}

#[utoipa::path(get, path = "/api/v1/deals/{id}/comments", params(("id" = Uuid, Path)),
    responses((status = 200, body = [CommentOut]), (status = 404, body = Problem)), security(("bearer" = [])))]
pub async fn deal_comments(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<Vec<CommentOut>>> {
    Ok(Json(service::comment::list(&state.db, &ctx, id).await?.into_iter().map(comment_out).collect()))
}

#[utoipa::path(post, path = "/api/v1/deals/{id}/comments", params(("id" = Uuid, Path)), request_body = CommentIn,
    responses((status = 201, body = CommentOut), (status = 404, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
pub async fn add_comment(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
    Json(c): Json<CommentIn>,
) -> ApiResult<(StatusCode, Json<CommentOut>)> {
    Ok((StatusCode::CREATED, Json(comment_out(service::comment::add(&state.db, &ctx, id, &c.body).await?))))
}

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        if let Some(c) = api.components.as_mut() {
            c.add_security_scheme("bearer", SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()));
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Dealgate API", version = "1", description = "Project-sales CRM: pipelines, gated deal moves, approvals, board, forecast, quotas, and the deal room (committee map, checklists, activities, comments)."),
    paths(token, pipelines, accounts, create_account, contacts, create_contact, deals, create_deal, deal, patch_deal, move_deal, history, approvals, decide, board, forecast, progress, quotas, put_quota, delete_quota, import_quotas, deal_contacts, put_deal_contacts, deal_checklists, attach_checklist, edit_checklist_item, deal_activities, log_activity, deal_comments, add_comment),
    components(schemas(Problem, TokenRequest, TokenResponse, StageOut, PipelineOut, DealOut, DealPageOut, MoveRequest, MissingOut, MoveResponse, HistoryOut, ApprovalOut, DecisionRequest, ColumnOut, BoardOut, AccountOut, AccountPageOut, AccountIn, ContactOut, ContactIn, DealIn, DealPatchIn, ForecastRowOut, ForecastOut, ProgressOut, QuotaOut, QuotaIn, ImportOut, MapPersonOut, MapWarningOut, ContactMapOut, MapPersonIn, ContactMapIn, ChecklistItemOut, ChecklistOut, ChecklistIn, ChecklistItemIn, ActivityOut, ActivityIn, CommentOut, CommentIn)),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

pub async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/auth/token", post(token))
        .route("/api/v1/openapi.json", get(openapi))
        .route("/api/v1/pipelines", get(pipelines))
        .route("/api/v1/accounts", get(accounts).post(create_account))
        .route("/api/v1/accounts/{id}/contacts", get(contacts).post(create_contact))
        .route("/api/v1/deals", get(deals).post(create_deal))
        .route("/api/v1/deals/{id}", get(deal).patch(patch_deal))
        .route("/api/v1/deals/{id}/moves", post(move_deal))
        .route("/api/v1/deals/{id}/history", get(history))
        .route("/api/v1/approvals", get(approvals))
        .route("/api/v1/approvals/{id}/decision", post(decide))
        .route("/api/v1/board", get(board))
        .route("/api/v1/forecast", get(forecast))
        .route("/api/v1/progress", get(progress))
        .route("/api/v1/quotas", get(quotas).put(put_quota))
        .route("/api/v1/quotas/import", post(import_quotas))
        .route("/api/v1/quotas/{id}", axum::routing::delete(delete_quota))
        .route("/api/v1/deals/{id}/contacts", get(deal_contacts).put(put_deal_contacts))
        .route("/api/v1/deals/{id}/checklists", get(deal_checklists).post(attach_checklist))
        .route("/api/v1/checklists/items/{id}", post(edit_checklist_item))
        .route("/api/v1/deals/{id}/activities", get(deal_activities).post(log_activity))
        .route("/api/v1/deals/{id}/comments", get(deal_comments).post(add_comment))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_openapi_document_lists_every_route() {
        use utoipa::OpenApi;
        let doc = super::ApiDoc::openapi();
        let json = serde_json::to_value(&doc).unwrap();
        assert_eq!(json["openapi"].as_str().unwrap().chars().next(), Some('3'));
        let paths: Vec<&str> = json["paths"].as_object().unwrap().keys().map(String::as_str).collect();
        for p in [
            "/api/v1/auth/token",
            "/api/v1/pipelines",
            "/api/v1/deals",
            "/api/v1/deals/{id}",
            "/api/v1/deals/{id}/moves",
            "/api/v1/deals/{id}/history",
            "/api/v1/approvals",
            "/api/v1/approvals/{id}/decision",
            "/api/v1/board",
            "/api/v1/accounts",
            "/api/v1/accounts/{id}/contacts",
            "/api/v1/forecast",
            "/api/v1/progress",
            "/api/v1/quotas",
            "/api/v1/quotas/import",
            "/api/v1/deals/{id}/contacts",
            "/api/v1/deals/{id}/checklists",
            "/api/v1/checklists/items/{id}",
            "/api/v1/deals/{id}/activities",
            "/api/v1/deals/{id}/comments",
        ] {
            assert!(paths.contains(&p), "{p} missing from the OpenAPI document");
        }
        assert!(json["components"]["securitySchemes"]["bearer"].is_object());
    }
}
