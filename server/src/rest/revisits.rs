//! Relationship maintenance over REST: revisits, the accounts due for contact, and the two
//! account policies (the contact cadence, the target market).
use super::{ApiResult, Problem};
use app::domain::account::cadence::{Cadence, ContactStatus, Every};
use app::domain::account::dto::{AccountView, DueList, DueScope, FollowUpRow, RevisitRow};
use app::domain::account::revisit::{Channel, RevisitInput};
use app::domain::account::target::{Fit, TargetMarket};
use app::domain::error::AppError;
use app::ssr::context::RequestContext;
use app::ssr::service;
use app::ssr::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(record_revisit))
        .routes(routes!(due_accounts))
        .routes(routes!(cadence, put_cadence))
        .routes(routes!(target_market, put_target_market))
}

#[derive(Serialize, ToSchema)]
pub struct RevisitOut {
    id: Uuid,
    visited_on: NaiveDate,
    /// visit | phone | video | email | other
    channel: String,
    visitor: String,
    contact_name: Option<String>,
    feedback: String,
    /// 1–5
    satisfaction: u8,
    new_needs: Option<String>,
    follow_up: Option<String>,
    follow_up_owner: Option<String>,
    follow_up_due: Option<NaiveDate>,
    next_visit_on: Option<NaiveDate>,
    /// For a delivery follow-up: whether the customer confirmed acceptance.
    accepted: Option<bool>,
}

#[derive(Serialize, ToSchema)]
pub struct FollowUpOut {
    id: Uuid,
    account_id: Uuid,
    account_name: String,
    deal_id: Uuid,
    deal_name: String,
    owner: String,
    due_on: NaiveDate,
    done_on: Option<NaiveDate>,
    accepted: Option<bool>,
}

/// An account's contact rhythm.
#[derive(Serialize, ToSchema)]
pub struct RelationshipOut {
    last_contact_on: Option<NaiveDate>,
    next_contact_on: Option<NaiveDate>,
    /// not_due | due_this_week | overdue | campaign_only
    status: String,
    /// Days overdue, when overdue.
    overdue_days: Option<i64>,
    /// Newest first.
    revisits: Vec<RevisitOut>,
    /// Delivery follow-ups not yet recorded.
    follow_ups: Vec<FollowUpOut>,
}

fn revisit_out(r: RevisitRow) -> RevisitOut {
    RevisitOut {
        id: r.id,
        visited_on: r.visited_on,
        channel: r.channel.code().into(),
        visitor: r.visitor,
        contact_name: r.contact_name,
        feedback: r.feedback,
        satisfaction: r.satisfaction,
        new_needs: r.new_needs,
        follow_up: r.follow_up,
        follow_up_owner: r.follow_up_owner,
        follow_up_due: r.follow_up_due,
        next_visit_on: r.next_visit_on,
        accepted: r.accepted,
    }
}

fn follow_up_out(f: FollowUpRow) -> FollowUpOut {
    FollowUpOut {
        id: f.id,
        account_id: f.account_id,
        account_name: f.account_name,
        deal_id: f.deal_id,
        deal_name: f.deal_name,
        owner: f.owner,
        due_on: f.due_on,
        done_on: f.done_on,
        accepted: f.accepted,
    }
}

fn overdue_days(s: ContactStatus) -> Option<i64> {
    match s {
        ContactStatus::Overdue { days } => Some(days),
        _ => None,
    }
}

/// The relationship part of an account's detail.
pub(super) fn relationship_out(a: &mut AccountView) -> RelationshipOut {
    RelationshipOut {
        last_contact_on: a.last_contact_on,
        next_contact_on: a.next_contact_on,
        status: a.contact_status.code().into(),
        overdue_days: overdue_days(a.contact_status),
        revisits: std::mem::take(&mut a.revisits).into_iter().map(revisit_out).collect(),
        follow_ups: std::mem::take(&mut a.follow_ups).into_iter().map(follow_up_out).collect(),
    }
}

#[derive(Deserialize, ToSchema)]
pub struct RevisitIn {
    visited_on: NaiveDate,
    /// visit | phone | video | email | other
    channel: String,
    contact_name: Option<String>,
    feedback: String,
    /// 1–5
    satisfaction: i64,
    new_needs: Option<String>,
    follow_up: Option<String>,
    /// A user id; the caller when left out.
    follow_up_owner: Option<Uuid>,
    follow_up_due: Option<NaiveDate>,
    /// Proposed from the cadence when left out.
    next_visit_on: Option<NaiveDate>,
    /// The delivery follow-up this revisit records (then `accepted` is required).
    follow_up_of: Option<Uuid>,
    accepted: Option<bool>,
}

/// Records a revisit (客户回访); the account's last contact and next due date move with it.
#[utoipa::path(post, path = "/api/v1/accounts/{id}/revisits", params(("id" = Uuid, Path)), request_body = RevisitIn,
    responses((status = 201, body = super::accounts::AccountDetailOut), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
pub async fn record_revisit(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
    Json(r): Json<RevisitIn>,
) -> ApiResult<(StatusCode, Json<super::accounts::AccountDetailOut>)> {
    let input = RevisitInput {
        visited_on: r.visited_on,
        channel: Channel::parse(&r.channel).ok_or_else(|| AppError::validation("channel", "visit, phone, video, email or other"))?,
        contact_name: r.contact_name,
        feedback: r.feedback,
        satisfaction: u8::try_from(r.satisfaction).map_err(|_| AppError::validation("satisfaction", "1 to 5"))?,
        new_needs: r.new_needs,
        follow_up: r.follow_up,
        follow_up_owner: r.follow_up_owner,
        follow_up_due: r.follow_up_due,
        next_visit_on: r.next_visit_on,
        follow_up_of: r.follow_up_of,
        accepted: r.accepted,
    };
    let view = service::account::record_revisit(&state.db, &ctx, id, input).await?;
    Ok((StatusCode::CREATED, Json(super::accounts::detail_out(view))))
}

#[derive(Serialize, ToSchema)]
pub struct DueRowOut {
    account_id: Uuid,
    name: String,
    grade: Option<String>,
    owner: String,
    last_contact_on: Option<NaiveDate>,
    next_contact_on: NaiveDate,
    /// due_this_week | overdue
    status: String,
    overdue_days: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct DueListOut {
    overdue: u64,
    this_week: u64,
    /// The first 50, most overdue first.
    accounts: Vec<DueRowOut>,
    follow_ups: Vec<FollowUpOut>,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DueQuery {
    /// mine (the default: the accounts the caller owns) | team (every account the caller sees)
    scope: Option<String>,
}

/// The accounts due for contact: overdue and due this week, with open delivery follow-ups.
#[utoipa::path(get, path = "/api/v1/accounts/due", params(DueQuery),
    responses((status = 200, body = DueListOut), (status = 422, body = Problem)), security(("bearer" = [])))]
pub async fn due_accounts(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Query(q): Query<DueQuery>,
) -> ApiResult<Json<DueListOut>> {
    let scope = match q.scope.as_deref() {
        None | Some("mine") => DueScope::Mine,
        Some("team") => DueScope::Team,
        Some(_) => return Err(AppError::validation("scope", "mine or team").into()),
    };
    let DueList { overdue, this_week, rows, follow_ups } = service::account::due(&state.db, &ctx, scope).await?;
    Ok(Json(DueListOut {
        overdue,
        this_week,
        accounts: rows
            .into_iter()
            .map(|r| DueRowOut {
                account_id: r.account_id,
                name: r.name,
                grade: r.grade.map(|g| g.code().into()),
                owner: r.owner,
                last_contact_on: r.last_contact_on,
                next_contact_on: r.next_contact_on,
                status: r.status.code().into(),
                overdue_days: overdue_days(r.status),
            })
            .collect(),
        follow_ups: follow_ups.into_iter().map(follow_up_out).collect(),
    }))
}

/// The contact cadence per grade in months; `null` means campaigns only.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct CadenceBody {
    a: Option<u32>,
    b: Option<u32>,
    c: Option<u32>,
    d: Option<u32>,
}

fn months(e: Every) -> Option<u32> {
    match e {
        Every::Months(n) => Some(n),
        Every::CampaignsOnly => None,
    }
}

fn every(m: Option<u32>) -> Every {
    m.map_or(Every::CampaignsOnly, Every::Months)
}

fn cadence_out(c: Cadence) -> CadenceBody {
    CadenceBody { a: months(c.a), b: months(c.b), c: months(c.c), d: months(c.d) }
}

#[utoipa::path(get, path = "/api/v1/accounts/cadence", responses((status = 200, body = CadenceBody)), security(("bearer" = [])))]
pub async fn cadence(State(state): State<AppState>, Extension(_ctx): Extension<RequestContext>) -> ApiResult<Json<CadenceBody>> {
    Ok(Json(cadence_out(service::account::cadence::policy(&*state.db).await?)))
}

/// Sets the cadence (admins); every account's next contact is recomputed with it.
#[utoipa::path(put, path = "/api/v1/accounts/cadence", request_body = CadenceBody,
    responses((status = 200, body = CadenceBody), (status = 403, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
pub async fn put_cadence(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Json(b): Json<CadenceBody>,
) -> ApiResult<Json<CadenceBody>> {
    let c = Cadence { a: every(b.a), b: every(b.b), c: every(b.c), d: every(b.d) };
    Ok(Json(cadence_out(service::account::cadence::save_policy(&state.db, &ctx, c).await?)))
}

/// The target market (目标市场). Amounts in fen; every bound optional (`null`: not asked).
#[derive(Serialize, Deserialize, ToSchema)]
pub struct TargetMarketBody {
    /// Industries as codes (machinery, electronics, electrical, hardware, tools,
    /// transport_equipment) or words ("精密机械"); empty: any industry.
    industries: Vec<String>,
    revenue_min_minor: Option<i64>,
    revenue_max_minor: Option<i64>,
    headcount_min: Option<i32>,
    headcount_max: Option<i32>,
    profit_floor_minor: Option<i64>,
}

fn market_out(m: TargetMarket) -> TargetMarketBody {
    TargetMarketBody {
        industries: m.industries,
        revenue_min_minor: m.revenue_min_fen,
        revenue_max_minor: m.revenue_max_fen,
        headcount_min: m.headcount_min,
        headcount_max: m.headcount_max,
        profit_floor_minor: m.profit_floor_fen,
    }
}

#[utoipa::path(get, path = "/api/v1/accounts/target-market", responses((status = 200, body = TargetMarketBody)), security(("bearer" = [])))]
pub async fn target_market(State(state): State<AppState>, Extension(_ctx): Extension<RequestContext>) -> ApiResult<Json<TargetMarketBody>> {
    Ok(Json(market_out(service::account::target::policy(&*state.db).await?)))
}

/// Sets the target market (admins); every account is re-marked against it at once.
#[utoipa::path(put, path = "/api/v1/accounts/target-market", request_body = TargetMarketBody,
    responses((status = 200, body = TargetMarketBody), (status = 403, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
pub async fn put_target_market(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Json(b): Json<TargetMarketBody>,
) -> ApiResult<Json<TargetMarketBody>> {
    let m = TargetMarket {
        industries: b.industries,
        revenue_min_fen: b.revenue_min_minor,
        revenue_max_fen: b.revenue_max_minor,
        headcount_min: b.headcount_min,
        headcount_max: b.headcount_max,
        profit_floor_fen: b.profit_floor_minor,
    };
    Ok(Json(market_out(service::account::target::save(&state.db, &ctx, m).await?)))
}

/// An account's standing against the target market.
#[derive(Serialize, ToSchema)]
pub struct TargetFitOut {
    /// in | out | unknown
    fit: String,
    /// Why out: industry_not_targeted, revenue_below, revenue_above, headcount_below,
    /// headcount_above, profit_below.
    misses: Vec<String>,
    /// What is needed to say: industry, revenue, headcount, profit.
    missing: Vec<String>,
}

pub(super) fn fit_out(f: &Fit) -> TargetFitOut {
    match f {
        Fit::In => TargetFitOut { fit: "in".into(), misses: vec![], missing: vec![] },
        Fit::Out(m) => TargetFitOut { fit: "out".into(), misses: m.iter().map(|m| m.code().into()).collect(), missing: vec![] },
        Fit::Unknown(f) => TargetFitOut { fit: "unknown".into(), misses: vec![], missing: f.iter().map(|f| f.code().into()).collect() },
    }
}
