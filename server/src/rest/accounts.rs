//! Accounts and their contacts.
use super::{ApiResult, Problem};
use app::domain::account::listing::AccountFilter;
use app::domain::account::profile::{slot, Slot};
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
        .routes(routes!(account_detail, edit_account))
        .routes(routes!(grade_account))
        .routes(routes!(merge_account))
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
#[into_params(parameter_in = Query)]
// The filters are read by `filter_of` from the same query; the fields document them.
#[allow(dead_code)]
pub struct AccountQuery {
    /// Matches name, industry or city.
    q: Option<String>,
    /// Only the accounts whose contact is overdue, most overdue first.
    overdue: Option<bool>,
    /// Only the accounts in | out | unknown against the target market.
    target: Option<String>,
    /// a | b | c | d | none (not graded yet).
    grade: Option<String>,
    /// The owner's user id.
    owner: Option<Uuid>,
    /// The owning team's id.
    team: Option<Uuid>,
    /// The industry, exactly.
    industry: Option<String>,
    /// name (default) | grade | next_contact | revenue | headcount | updated
    sort: Option<String>,
    /// asc | desc
    dir: Option<String>,
    page: Option<u64>,
    per_page: Option<u64>,
}

/// The list's filters from the query string, spelt as on the page (`AccountFilter::from_pairs`).
pub(super) fn filter_of(pairs: &[(String, String)]) -> Result<AccountFilter, AppError> {
    AccountFilter::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))).map_err(|b| AppError::validation(b.field, b.message))
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
    /// Send it back with an edit (PATCH /contacts/{id}).
    version: i32,
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
        version: c.version,
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
    Query(pairs): Query<Vec<(String, String)>>,
) -> ApiResult<Json<AccountPageOut>> {
    let filter = filter_of(&pairs)?;
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
    /// Seed 000's profile questions (null: not known).
    profile: ProfileOut,
    /// Edits, merges and contact changes, newest first.
    history: Vec<AccountHistoryOut>,
    may_edit: bool,
    version: i32,
}

#[derive(Serialize, ToSchema)]
pub struct ProfileOut {
    main_products: Option<String>,
    /// yes | no | in_progress
    iso9000: Option<String>,
    bpr_under_way: Option<bool>,
    plant_move_planned: Option<bool>,
    big_investment_planned: Option<bool>,
    item_codes: Option<i32>,
    computerised: Option<bool>,
    current_systems: Option<String>,
    /// events | telemarketing | call_in | customer_referral | friend_referral | upgrade | other
    lead_source: Option<String>,
    territory: Option<String>,
    /// Seed 003's 初步需求描述: the need the lead first voiced.
    initial_need: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ChangeOut {
    /// The field's code (name, headcount, revenue, iso9000, owner, …).
    field: String,
    /// The values as stored (codes, true/false, amounts in minor units; owners by name).
    from: Option<String>,
    to: Option<String>,
    /// The change in words, English and Chinese.
    text_en: String,
    text_zh: String,
}

#[derive(Serialize, ToSchema)]
pub struct AccountHistoryOut {
    /// edited | merged | contact_added | contact_edited | contact_deleted
    event: String,
    changes: Vec<ChangeOut>,
    /// For a merge: what moved, in words.
    merged_en: Option<String>,
    merged_zh: Option<String>,
    /// For a contact's event (contact_added | contact_edited | contact_deleted): who and
    /// what changed, in words.
    contact_en: Option<String>,
    contact_zh: Option<String>,
    by: String,
    at: chrono::DateTime<chrono::Utc>,
}

fn profile_out(p: &app::domain::account::profile::Profile) -> ProfileOut {
    ProfileOut {
        main_products: p.main_products.clone(),
        iso9000: p.iso9000.map(|x| x.code().into()),
        bpr_under_way: p.bpr_under_way,
        plant_move_planned: p.plant_move_planned,
        big_investment_planned: p.big_investment_planned,
        item_codes: p.item_codes,
        computerised: p.computerised,
        current_systems: p.current_systems.clone(),
        lead_source: p.lead_source.map(|x| x.code().into()),
        territory: p.territory.clone(),
        initial_need: p.initial_need.clone(),
    }
}

fn history_out(h: app::domain::account::dto::AccountHistoryRow) -> AccountHistoryOut {
    use app::domain::account::profile::{change_text, merge_text};
    use app::domain::locale::Locale;
    AccountHistoryOut {
        event: h.event.code().into(),
        changes: h
            .changes
            .iter()
            .map(|c| ChangeOut {
                field: c.field.code().into(),
                from: c.from.clone(),
                to: c.to.clone(),
                text_en: change_text(c, Locale::En),
                text_zh: change_text(c, Locale::ZhCn),
            })
            .collect(),
        merged_en: h.merged.as_ref().map(|m| merge_text(m, Locale::En)),
        merged_zh: h.merged.as_ref().map(|m| merge_text(m, Locale::ZhCn)),
        contact_en: h.contact.as_ref().map(|n| n.text(h.event, Locale::En)),
        contact_zh: h.contact.as_ref().map(|n| n.text(h.event, Locale::ZhCn)),
        by: h.by,
        at: h.at,
    }
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
        profile: profile_out(&a.profile),
        history: a.history.into_iter().map(history_out).collect(),
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

/// An edit: only the fields sent change; `null` clears one. Codes and bounds are checked here
/// and in the service, each refusal naming its field.
#[derive(Deserialize, ToSchema)]
pub struct AccountPatchIn {
    name: Option<String>,
    industry: Option<String>,
    #[serde(default, deserialize_with = "slot")]
    #[schema(value_type = Option<String>)]
    city: Slot<String>,
    #[serde(default, deserialize_with = "slot")]
    #[schema(value_type = Option<i32>)]
    headcount: Slot<i32>,
    #[serde(default, deserialize_with = "slot")]
    #[schema(value_type = Option<i64>)]
    revenue_minor: Slot<i64>,
    #[serde(default, deserialize_with = "slot")]
    #[schema(value_type = Option<i64>)]
    profit_minor: Slot<i64>,
    #[serde(default, deserialize_with = "slot")]
    #[schema(value_type = Option<String>)]
    main_products: Slot<String>,
    /// yes | no | in_progress
    #[serde(default, deserialize_with = "slot")]
    #[schema(value_type = Option<String>)]
    iso9000: Slot<String>,
    #[serde(default, deserialize_with = "slot")]
    #[schema(value_type = Option<bool>)]
    bpr_under_way: Slot<bool>,
    #[serde(default, deserialize_with = "slot")]
    #[schema(value_type = Option<bool>)]
    plant_move_planned: Slot<bool>,
    #[serde(default, deserialize_with = "slot")]
    #[schema(value_type = Option<bool>)]
    big_investment_planned: Slot<bool>,
    #[serde(default, deserialize_with = "slot")]
    #[schema(value_type = Option<i32>)]
    item_codes: Slot<i32>,
    #[serde(default, deserialize_with = "slot")]
    #[schema(value_type = Option<bool>)]
    computerised: Slot<bool>,
    #[serde(default, deserialize_with = "slot")]
    #[schema(value_type = Option<String>)]
    current_systems: Slot<String>,
    /// events | telemarketing | call_in | customer_referral | friend_referral | upgrade | other
    #[serde(default, deserialize_with = "slot")]
    #[schema(value_type = Option<String>)]
    lead_source: Slot<String>,
    #[serde(default, deserialize_with = "slot")]
    #[schema(value_type = Option<String>)]
    territory: Slot<String>,
    /// Seed 003's 初步需求描述: the need the lead first voiced.
    #[serde(default, deserialize_with = "slot")]
    #[schema(value_type = Option<String>)]
    initial_need: Slot<String>,
    /// A new owner's user id (managers within their teams, admins).
    owner: Option<Uuid>,
    /// The version read; a stale one answers 409 and writes nothing.
    version: i32,
}

/// A code of a patch field parsed at the edge, or 422 naming the field.
fn code<T>(field: &str, v: Slot<String>, parse: fn(&str) -> Option<T>, expected: &str) -> Result<Slot<T>, AppError> {
    match v {
        None => Ok(None),
        Some(None) => Ok(Some(None)),
        Some(Some(c)) => parse(&c).map(|x| Some(Some(x))).ok_or_else(|| AppError::validation(field, format!("one of {expected}"))),
    }
}

/// Edits the account under its version: only the fields sent change, the account's history
/// records which went from what to what.
#[utoipa::path(patch, path = "/api/v1/accounts/{id}", params(("id" = Uuid, Path)), request_body = AccountPatchIn,
    responses((status = 200, body = AccountDetailOut), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
pub async fn edit_account(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
    Json(p): Json<AccountPatchIn>,
) -> ApiResult<Json<AccountDetailOut>> {
    use app::domain::account::profile::{AccountPatch, Iso9000};
    use app::domain::account::LeadSource;
    let patch = AccountPatch {
        name: p.name,
        industry: p.industry,
        city: p.city,
        headcount: p.headcount,
        revenue_fen: p.revenue_minor,
        profit_fen: p.profit_minor,
        main_products: p.main_products,
        iso9000: code("iso9000", p.iso9000, Iso9000::parse, "yes, no, in_progress")?,
        bpr_under_way: p.bpr_under_way,
        plant_move_planned: p.plant_move_planned,
        big_investment_planned: p.big_investment_planned,
        item_codes: p.item_codes,
        computerised: p.computerised,
        current_systems: p.current_systems,
        lead_source: code(
            "lead_source",
            p.lead_source,
            LeadSource::parse,
            "events, telemarketing, call_in, customer_referral, friend_referral, upgrade, other",
        )?,
        territory: p.territory,
        initial_need: p.initial_need,
        owner: p.owner,
    };
    Ok(Json(detail_out(service::account::edit(&state.db, &ctx, id, patch, p.version).await?)))
}

#[derive(Deserialize, ToSchema)]
pub struct MergeIn {
    /// The account that goes: its deals, contacts, revisits, follow-ups and gradings move here.
    duplicate: Uuid,
}

/// Merges `duplicate` into this account in one transaction (managers and admins, both
/// accounts visible); answers the survivor.
#[utoipa::path(post, path = "/api/v1/accounts/{id}/merge", params(("id" = Uuid, Path)), request_body = MergeIn,
    responses((status = 200, body = AccountDetailOut), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)), security(("bearer" = [])))]
pub async fn merge_account(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
    Json(m): Json<MergeIn>,
) -> ApiResult<Json<AccountDetailOut>> {
    Ok(Json(detail_out(service::account::merge(&state.db, &ctx, id, m.duplicate).await?)))
}
