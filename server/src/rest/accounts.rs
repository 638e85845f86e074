//! Accounts and their contacts.
use super::{ApiResult, Problem};
use app::domain::account::market::{AccountFilter, FitKind};
use app::domain::error::AppError;
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
    OpenApiRouter::new()
        .routes(routes!(accounts, create_account))
        .routes(routes!(contacts, create_contact))
        .routes(routes!(account_detail))
        .routes(routes!(grade_account))
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
    /// a | b | c | d, once graded.
    grade: Option<String>,
    /// Since when it holds its grade.
    grade_since: Option<chrono::DateTime<chrono::Utc>>,
    /// When the next contact is due (from the grade's cadence and the last contact).
    next_contact_on: Option<chrono::NaiveDate>,
    /// not_due | due_this_week | overdue | campaign_only
    contact_status: String,
    /// Against the target market.
    target: Option<super::revisits::TargetFitOut>,
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
        grade: a.grade.map(|g| g.code().into()),
        grade_since: a.grade_since,
        next_contact_on: a.next_contact_on,
        contact_status: a.contact_status.code().into(),
        target: a.target.as_ref().map(super::revisits::fit_out),
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
    /// Only the accounts whose contact is overdue, most overdue first.
    overdue: Option<bool>,
    /// Only the accounts in | out | unknown against the target market.
    target: Option<String>,
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
    let overdue = q.overdue.unwrap_or(false);
    let target = match q.target.as_deref() {
        None => None,
        Some(t) => Some(FitKind::parse(t).ok_or_else(|| AppError::validation("target", "in, out or unknown"))?),
    };
    let filter = AccountFilter { search: q.q, overdue, target };
    let p = service::account::list_filtered(&state.db, &ctx, filter, q.page.unwrap_or(1), q.per_page.unwrap_or(50)).await?;
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

#[derive(Serialize, ToSchema)]
pub struct GradeEntryOut {
    grade: String,
    /// What the questionnaire suggested.
    suggested: String,
    /// The answers that decided the suggestion.
    decided_by: Vec<String>,
    /// The questionnaire as answered.
    #[schema(value_type = Object)]
    answers: serde_json::Value,
    override_reason: Option<String>,
    by: String,
    at: chrono::DateTime<chrono::Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct AccountDealOut {
    id: Uuid,
    name: String,
    stage: String,
    /// open | won | lost
    kind: String,
    amount_minor: i64,
    close_date: chrono::NaiveDate,
    owner: String,
}

#[derive(Serialize, ToSchema)]
pub struct AccountDetailOut {
    id: Uuid,
    name: String,
    industry: String,
    city: Option<String>,
    headcount: Option<i32>,
    revenue_minor: Option<i64>,
    owner: String,
    team: String,
    grade: Option<String>,
    grade_since: Option<chrono::DateTime<chrono::Utc>>,
    /// Newest first.
    grades: Vec<GradeEntryOut>,
    contacts: Vec<ContactOut>,
    deals: Vec<AccountDealOut>,
    /// The contact rhythm: last and next contact, revisits, delivery follow-ups.
    relationship: super::revisits::RelationshipOut,
    profit_minor: Option<i64>,
    /// Against the target market.
    target: super::revisits::TargetFitOut,
    may_edit: bool,
    version: i32,
}

pub(super) fn detail_out(mut a: app::domain::account::dto::AccountView) -> AccountDetailOut {
    AccountDetailOut {
        relationship: super::revisits::relationship_out(&mut a),
        profit_minor: a.profit_fen,
        target: super::revisits::fit_out(&a.target),
        id: a.id,
        name: a.name,
        industry: a.industry,
        city: a.city,
        headcount: a.headcount,
        revenue_minor: a.revenue_fen,
        owner: a.owner,
        team: a.team,
        grade: a.grade.map(|g| g.code().into()),
        grade_since: a.grade_since,
        grades: a
            .grades
            .into_iter()
            .map(|g| GradeEntryOut {
                grade: g.grade.code().into(),
                suggested: g.suggested.code().into(),
                decided_by: g.decided_by.iter().map(|r| r.code().to_owned()).collect(),
                answers: g.answers.and_then(|x| serde_json::to_value(x).ok()).unwrap_or(serde_json::Value::Null),
                override_reason: g.override_reason,
                by: g.by,
                at: g.at,
            })
            .collect(),
        contacts: a.contacts.into_iter().map(contact_out).collect(),
        deals: a
            .deals
            .into_iter()
            .map(|d| AccountDealOut {
                id: d.id,
                name: d.name,
                stage: d.stage,
                kind: d.kind,
                amount_minor: d.amount_fen,
                close_date: d.close_date,
                owner: d.owner,
            })
            .collect(),
        may_edit: a.may_edit,
        version: a.version,
    }
}

#[utoipa::path(get, path = "/api/v1/accounts/{id}", params(("id" = Uuid, Path)),
    responses((status = 200, body = AccountDetailOut), (status = 404, body = Problem)), security(("bearer" = [])))]
pub async fn account_detail(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<AccountDetailOut>> {
    Ok(Json(detail_out(service::account::get(&state.db, &ctx, id).await?)))
}

#[derive(Deserialize, ToSchema)]
pub struct GradeIn {
    /// The questionnaire: `{"variant": {"kind": "not_computerised"} | {"kind": "computerised",
    /// "dissatisfaction": "high|medium|low|none"}, "objective_need": bool, "subjective_need":
    /// bool, "resolve": "high|medium|low|none", "feasibility_started": bool,
    /// "selection_started": bool}`.
    #[schema(value_type = Object)]
    answers: serde_json::Value,
    /// a | b | c | d when it differs from the suggestion (then with `reason`).
    chosen: Option<String>,
    reason: Option<String>,
    version: i32,
}

/// Grades the account through the questionnaire; the suggestion stands unless `chosen`
/// overrides it with a reason.
#[utoipa::path(post, path = "/api/v1/accounts/{id}/grade", params(("id" = Uuid, Path)), request_body = GradeIn,
    responses((status = 200, body = AccountDetailOut), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
pub async fn grade_account(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
    Json(g): Json<GradeIn>,
) -> ApiResult<Json<AccountDetailOut>> {
    let answers = serde_json::from_value(g.answers).map_err(|e| AppError::validation("answers", e.to_string()))?;
    let chosen = match g.chosen.as_deref() {
        None => None,
        Some(c) => Some(app::domain::account::Grade::parse(c).ok_or_else(|| AppError::validation("chosen", "a, b, c or d"))?),
    };
    let input = app::domain::account::dto::GradeInput { answers, chosen, reason: g.reason };
    Ok(Json(detail_out(service::account::grade(&state.db, &ctx, id, input, g.version).await?)))
}
