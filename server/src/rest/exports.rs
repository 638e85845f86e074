//! Every list as CSV (for Excel: BOM, CRLF) or XLSX, with the viewer's visibility and the
//! list's filters.
use super::{ApiResult, Problem};
use app::domain::error::AppError;
use app::domain::locale::Locale;
use app::ssr::context::RequestContext;
use app::ssr::service;
use app::ssr::service::export::Table;
use app::ssr::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(export))
}

pub(super) fn attachment(content_type: &str, file: &str, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file}\"")),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response()
}

/// The table as the format asked for (XLSX unless `csv`).
pub(super) fn send(t: &Table, format: Option<&str>, stem: &str) -> ApiResult<Response> {
    match format.unwrap_or("xlsx") {
        "csv" => Ok(attachment("text/csv; charset=utf-8", &format!("{stem}.csv"), t.csv().into_bytes())),
        "xlsx" => Ok(attachment("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", &format!("{stem}.xlsx"), t.xlsx()?)),
        _ => Err(AppError::validation("format", "csv or xlsx").into()),
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
// The accounts' filters are read by `accounts::filter_of` from the same query; the fields document them.
#[allow(dead_code)]
pub struct ExportQuery {
    /// xlsx (default) | csv
    format: Option<String>,
    /// The list's search, as on its page.
    q: Option<String>,
    /// accounts: only those whose contact is overdue.
    overdue: Option<bool>,
    /// accounts: in | out | unknown against the target market.
    target: Option<String>,
    /// accounts: a | b | c | d | none.
    grade: Option<String>,
    /// accounts: the owner's user id.
    owner: Option<uuid::Uuid>,
    /// accounts: the owning team's id.
    team: Option<uuid::Uuid>,
    /// accounts: the industry, exactly.
    industry: Option<String>,
    /// accounts: name | grade | next_contact | revenue | headcount | updated.
    sort: Option<String>,
    /// accounts: asc | desc.
    dir: Option<String>,
    /// activities and quotas: from this day on.
    from: Option<chrono::NaiveDate>,
    /// quotas: periods starting up to this day.
    to: Option<chrono::NaiveDate>,
}

#[utoipa::path(get, path = "/api/v1/exports/{list}",
    params(("list" = String, Path, description = "accounts | contacts | deals | activities | quotas"), ExportQuery),
    responses((status = 200, description = "XLSX, or CSV with `format=csv`",
        content((Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (String = "text/csv"))), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn export(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Extension(l): Extension<Locale>,
    Path(list): Path<String>,
    Query(q): Query<ExportQuery>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> ApiResult<Response> {
    for d in [q.from, q.to].into_iter().flatten() {
        app::domain::validate::date("from", d)?;
    }
    let db = &state.db;
    let t = match list.as_str() {
        "accounts" => service::export::accounts(db, &ctx, l, &super::accounts::filter_of(&pairs)?).await?,
        "contacts" => service::export::contacts(db, &ctx, l, q.q).await?,
        "deals" => service::export::deals(db, &ctx, l, q.q).await?,
        "activities" => service::export::activities(db, &ctx, l, q.from).await?,
        "quotas" => service::export::quotas(db, &ctx, l, q.from, q.to).await?,
        _ => return Err(AppError::NotFound.into()),
    };
    send(&t, q.format.as_deref(), &list)
}
