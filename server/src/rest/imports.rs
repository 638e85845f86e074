//! Spreadsheet imports: upload a CSV or XLSX file, check it (dry run), start it, follow its
//! progress, download the refused rows; and the template to fill in.
use super::{ApiResult, Problem};
use app::domain::error::AppError;
use app::domain::import::{Field, JobView, Kind, Mode};
use app::domain::locale::Locale;
use app::ssr::context::RequestContext;
use app::ssr::service;
use app::ssr::state::AppState;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(upload, recent))
        .routes(routes!(template))
        .routes(routes!(job))
        .routes(routes!(check))
        .routes(routes!(start))
        .routes(routes!(rejects))
        // A 100k-row sheet is ~15 MB; the service refuses above 32 MB with a message.
        .layer(DefaultBodyLimit::max(app::domain::import::MAX_FILE_BYTES + 1024))
}

#[derive(Serialize, ToSchema)]
pub struct RejectOut {
    /// The row's line in the file (1 = the header).
    line: u32,
    cells: Vec<String>,
    /// The column the refusal is about (a field code), if one.
    field: Option<String>,
    code: String,
    message: String,
}

#[derive(Serialize, ToSchema)]
pub struct ImportOut {
    id: Uuid,
    /// accounts | contacts | deals
    kind: String,
    /// csv | xlsx
    format: String,
    file_name: String,
    /// uploaded | checked | running | done | failed
    status: String,
    /// all_or_nothing | good_rows, once started.
    mode: Option<String>,
    headers: Vec<String>,
    /// Per header, the field it imports into (a field code) or null.
    mapping: Vec<Option<String>>,
    /// The first rows under the header (before the import runs).
    sample: Vec<Vec<String>>,
    total_rows: u64,
    processed: u64,
    imported: u64,
    rejected: u64,
    /// The first 100 refused rows; all of them: `GET /api/v1/imports/{id}/rejects`.
    rejects: Vec<RejectOut>,
    error: Option<String>,
    created_at: chrono::DateTime<chrono::Utc>,
    finished_at: Option<chrono::DateTime<chrono::Utc>>,
}

fn out(v: JobView, l: Locale) -> ImportOut {
    ImportOut {
        id: v.id,
        kind: v.kind.code().into(),
        format: v.format.code().into(),
        file_name: v.file_name,
        status: v.status.code().into(),
        mode: v.mode.map(|m| m.code().into()),
        headers: v.headers,
        mapping: v.mapping.into_iter().map(|m| m.map(|f| f.code().into())).collect(),
        sample: v.sample,
        total_rows: v.total_rows,
        processed: v.processed,
        imported: v.imported,
        rejected: v.rejected,
        rejects: v
            .rejects
            .into_iter()
            .map(|r| RejectOut {
                line: r.line,
                cells: r.cells,
                field: r.field.map(|f| f.code().into()),
                code: serde_json::to_value(&r.problem)
                    .ok()
                    .and_then(|v| v.get("code").and_then(|c| c.as_str()).map(str::to_owned))
                    .unwrap_or_default(),
                message: r.problem.message(l),
            })
            .collect(),
        error: v.error,
        created_at: v.created_at,
        finished_at: v.finished_at,
    }
}

fn kind(s: &str) -> Result<Kind, AppError> {
    Kind::parse(s).ok_or_else(|| AppError::validation("kind", "accounts, contacts or deals"))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    /// accounts (default) | contacts | deals
    kind: Option<String>,
    /// The file's name as the user saw it (shown on the import page).
    file_name: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/imports", params(UploadQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "the CSV (UTF-8 or GBK) or XLSX file"),
    responses((status = 201, body = ImportOut), (status = 422, body = Problem), (status = 403, body = Problem)), security(("bearer" = [])))]
pub async fn upload(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Extension(l): Extension<Locale>,
    Query(q): Query<UploadQuery>,
    body: Bytes,
) -> ApiResult<Response> {
    let k = kind(q.kind.as_deref().unwrap_or("accounts"))?;
    let v = service::import::upload(&state.db, &ctx, k, q.file_name.as_deref().unwrap_or("upload"), body.to_vec()).await?;
    Ok((StatusCode::CREATED, Json(out(v, l))).into_response())
}

#[utoipa::path(get, path = "/api/v1/imports", responses((status = 200, body = Vec<ImportOut>)), security(("bearer" = [])))]
pub async fn recent(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Extension(l): Extension<Locale>,
) -> ApiResult<Json<Vec<ImportOut>>> {
    Ok(Json(service::import::recent(&state.db, &ctx).await?.into_iter().map(|v| out(v, l)).collect()))
}

#[utoipa::path(get, path = "/api/v1/imports/{id}", params(("id" = Uuid, Path)),
    responses((status = 200, body = ImportOut), (status = 404, body = Problem)), security(("bearer" = [])))]
pub async fn job(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Extension(l): Extension<Locale>,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<ImportOut>> {
    Ok(Json(out(service::import::get(&state.db, &ctx, id).await?, l)))
}

#[derive(Deserialize, ToSchema)]
pub struct CheckIn {
    /// Per header of the file, a field code or null (not imported); omitted: keep the mapping.
    mapping: Option<Vec<Option<String>>>,
}

#[utoipa::path(post, path = "/api/v1/imports/{id}/check", params(("id" = Uuid, Path)), request_body = CheckIn,
    responses((status = 200, body = ImportOut), (status = 422, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)),
    security(("bearer" = [])))]
pub async fn check(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Extension(l): Extension<Locale>,
    Path(id): Path<Uuid>,
    Json(b): Json<CheckIn>,
) -> ApiResult<Json<ImportOut>> {
    let mapping = match b.mapping {
        None => None,
        Some(m) => Some(
            m.into_iter()
                .map(|c| {
                    c.map(|c| Field::parse(&c).ok_or_else(|| AppError::validation("mapping", format!("no column called {c}")))).transpose()
                })
                .collect::<Result<Vec<_>, _>>()?,
        ),
    };
    Ok(Json(out(service::import::check(&state.db, &ctx, id, mapping).await?, l)))
}

#[derive(Deserialize, ToSchema)]
pub struct StartIn {
    /// all_or_nothing (default) | good_rows
    mode: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/imports/{id}/start", params(("id" = Uuid, Path)), request_body = StartIn,
    responses((status = 202, body = ImportOut), (status = 422, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)),
    security(("bearer" = [])))]
pub async fn start(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Extension(l): Extension<Locale>,
    Path(id): Path<Uuid>,
    Json(b): Json<StartIn>,
) -> ApiResult<Response> {
    let mode = match b.mode.as_deref() {
        None => Mode::AllOrNothing,
        Some(m) => Mode::parse(m).ok_or_else(|| AppError::validation("mode", "all_or_nothing or good_rows"))?,
    };
    let v = service::import::start(&state.db, &ctx, id, mode).await?;
    Ok((StatusCode::ACCEPTED, Json(out(v, l))).into_response())
}

#[utoipa::path(get, path = "/api/v1/imports/{id}/rejects", params(("id" = Uuid, Path)),
    responses((status = 200, content_type = "text/csv", body = String), (status = 404, body = Problem)), security(("bearer" = [])))]
pub async fn rejects(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Extension(l): Extension<Locale>,
    Path(id): Path<Uuid>,
) -> ApiResult<Response> {
    let body = service::import::rejects_csv(&state.db, &ctx, id, l).await?;
    Ok(super::exports::attachment("text/csv; charset=utf-8", &format!("refused-rows-{id}.csv"), body.into_bytes()))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TemplateQuery {
    /// accounts (default) | contacts | deals
    kind: Option<String>,
    /// xlsx (default) | csv
    format: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/imports/template", params(TemplateQuery),
    responses((status = 200, description = "XLSX, or CSV with `format=csv`",
        content((Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (String = "text/csv"))), (status = 422, body = Problem)), security(("bearer" = [])))]
pub async fn template(Extension(l): Extension<Locale>, Query(q): Query<TemplateQuery>) -> ApiResult<Response> {
    let k = kind(q.kind.as_deref().unwrap_or("accounts"))?;
    let zh = l == Locale::ZhCn;
    let header: Vec<String> = k.fields().iter().map(|f| f.header(zh).to_owned()).collect();
    let table = service::export::Table { header, rows: Vec::new() };
    super::exports::send(&table, q.format.as_deref(), &format!("import-{}", k.code()))
}
