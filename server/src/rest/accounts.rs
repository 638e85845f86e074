//! Accounts and their contacts.
use super::{ApiResult, Problem};
use app::ssr::context::RequestContext;
use app::ssr::service;
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
    OpenApiRouter::new().routes(routes!(accounts, create_account)).routes(routes!(contacts, create_contact))
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

pub(super) fn contact_out(c: app::domain::dto::ContactRow) -> ContactOut {
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
