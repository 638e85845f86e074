//! Sales quotas: list, set, delete, CSV import.
use super::{ApiResult, Problem};
use app::ssr::context::RequestContext;
use app::ssr::service;
use app::ssr::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

/// Handlers that share a path share one `routes!`: it mounts every method it names on every path.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(quotas, put_quota)).routes(routes!(import_quotas)).routes(routes!(delete_quota))
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

/// Named apart from the spreadsheet import's `ImportOut`: the document keys schemas by bare
/// type name, and a second one of the same name silently replaced the first.
#[derive(Serialize, ToSchema)]
pub struct QuotaImportOut {
    imported: u32,
    /// [line, message] for each rejected line; nothing is imported when any line is bad.
    #[schema(schema_with = line_errors)]
    errors: Vec<(u32, String)>,
}

/// `[line, message]` pairs. utoipa writes a tuple in OpenAPI 3.0's array form of `items`,
/// which a 3.1 document may not hold; `prefixItems` would say it exactly, but schemathesis
/// 4.32 turns it back into that array form and then refuses the schema. Two items, each a
/// line number or a message, is what both read.
fn line_errors() -> utoipa::openapi::schema::Array {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, SchemaType, Type};
    let item = ObjectBuilder::new().schema_type(SchemaType::from_iter([Type::Integer, Type::String]));
    let pair = ArrayBuilder::new().items(item).min_items(Some(2)).max_items(Some(2)).description(Some("[line, message]"));
    ArrayBuilder::new().items(pair).build()
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
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
    responses((status = 200, body = QuotaImportOut), (status = 422, body = QuotaImportOut)), security(("bearer" = [])))]
pub async fn import_quotas(State(state): State<AppState>, Extension(ctx): Extension<RequestContext>, body: String) -> ApiResult<Response> {
    let r = service::quota::import_csv(&state.db, &ctx, &body).await?;
    let status = if r.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, Json(QuotaImportOut { imported: r.imported, errors: r.errors })).into_response())
}
