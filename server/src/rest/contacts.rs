//! Contacts across accounts: the list the user sees, editing and deleting one. Creating
//! stays under the account (`POST /accounts/{id}/contacts`).
use super::accounts::{contact_out, ContactOut};
use super::{ApiResult, Problem};
use app::domain::account::contact::{ContactPatch, ContactSort};
use app::domain::error::AppError;
use app::ssr::context::RequestContext;
use app::ssr::service::account::contacts::{self, ContactQuery};
use app::ssr::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

/// Handlers that share a path share one `routes!`: it mounts every method it names on every path.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_contacts)).routes(routes!(patch_contact, delete_contact))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ContactListQuery {
    /// Matches name, title, department, phone, e-mail or the account's name.
    q: Option<String>,
    /// Only this account's contacts.
    account: Option<Uuid>,
    /// name (default) | account | title | updated
    sort: Option<String>,
    page: Option<u64>,
    per_page: Option<u64>,
}

#[derive(Serialize, ToSchema)]
pub struct ContactListRowOut {
    #[serde(flatten)]
    contact: ContactOut,
    account_name: String,
    /// Deals whose buying committee they sit on.
    deals: u64,
}

#[derive(Serialize, ToSchema)]
pub struct ContactPageOut {
    contacts: Vec<ContactListRowOut>,
    total: u64,
    page: u64,
    per_page: u64,
}

/// A merge-patch of a contact: a field left out keeps its value, `""` clears an optional one.
#[derive(Deserialize, ToSchema)]
pub struct ContactPatchIn {
    name: Option<String>,
    title: Option<String>,
    department: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    /// The version read; a stale one answers 409 and changes nothing.
    version: i32,
}

#[utoipa::path(get, path = "/api/v1/contacts", params(ContactListQuery),
    responses((status = 200, body = ContactPageOut), (status = 422, body = Problem)), security(("bearer" = [])))]
pub async fn list_contacts(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Query(q): Query<ContactListQuery>,
) -> ApiResult<Json<ContactPageOut>> {
    let sort = match q.sort.as_deref() {
        None | Some("") => ContactSort::default(),
        Some(s) => ContactSort::parse(s).ok_or_else(|| AppError::validation("sort", "name, account, title or updated"))?,
    };
    let query = ContactQuery { search: q.q, account: q.account, sort, page: q.page.unwrap_or(1), per_page: q.per_page.unwrap_or(50) };
    let p = contacts::list(&state.db, &ctx, query).await?;
    let rows = p
        .rows
        .into_iter()
        .map(|r| ContactListRowOut { contact: contact_out(r.contact), account_name: r.account_name, deals: r.deals })
        .collect();
    Ok(Json(ContactPageOut { contacts: rows, total: p.total, page: p.page, per_page: p.per_page }))
}

#[utoipa::path(patch, path = "/api/v1/contacts/{id}", params(("id" = Uuid, Path)), request_body = ContactPatchIn,
    responses((status = 200, body = ContactOut), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
pub async fn patch_contact(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
    Json(p): Json<ContactPatchIn>,
) -> ApiResult<Json<ContactOut>> {
    let patch = ContactPatch { name: p.name, title: p.title, department: p.department, phone: p.phone, email: p.email };
    Ok(Json(contact_out(contacts::update(&state.db, &ctx, id, patch, p.version).await?)))
}

#[utoipa::path(delete, path = "/api/v1/contacts/{id}", params(("id" = Uuid, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem, description = "still on deals: the detail says how many")), security(("bearer" = [])))]
pub async fn delete_contact(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
) -> ApiResult<StatusCode> {
    contacts::delete(&state.db, &ctx, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
