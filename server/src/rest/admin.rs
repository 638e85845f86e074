//! User and team administration and the audit log: administrators only (the service decides).
use super::{ApiResult, Problem};
use app::domain::admin::{AdminTeam, AdminUser, AuditRow, NewUser, TeamEdit, UserEdit};
use app::domain::error::AppError;
use app::domain::locale::Locale;
use app::domain::role::Role;
use app::ssr::context::RequestContext;
use app::ssr::service::admin as service;
use app::ssr::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(users, create_user))
        .routes(routes!(update_user))
        .routes(routes!(reset_password))
        .routes(routes!(deactivate))
        .routes(routes!(reactivate))
        .routes(routes!(reassign))
        .routes(routes!(teams, create_team))
        .routes(routes!(update_team))
        .routes(routes!(audit))
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct UserOut {
    id: Uuid,
    name: String,
    email: String,
    /// rep | presales | manager | legal | gm | executive | admin
    role: String,
    team_id: Option<Uuid>,
    team: Option<String>,
    /// en | zh-CN, or none (the browser's language)
    locale: Option<String>,
    active: bool,
    must_change_password: bool,
    open_deals: u64,
    /// Approvals waiting on their decision (deactivating them needs a `delegate` then).
    pending_approvals: u64,
    version: i32,
}

fn user_out(u: AdminUser) -> UserOut {
    UserOut {
        id: u.id,
        name: u.name,
        email: u.email,
        role: u.role.as_str().into(),
        team_id: u.team_id,
        team: u.team,
        locale: u.locale.map(|l| l.tag().into()),
        active: u.active,
        must_change_password: u.must_change_password,
        open_deals: u.open_deals,
        pending_approvals: u.pending_approvals,
        version: u.version,
    }
}

fn role(s: &str) -> Result<Role, AppError> {
    Role::parse(s.trim()).ok_or_else(|| AppError::validation("role", "use rep, presales, manager, legal, gm, executive or admin"))
}

fn locale(s: Option<&str>) -> Result<Option<Locale>, AppError> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        Some(l) => Locale::parse(l).map(Some).ok_or_else(|| AppError::validation("locale", "use en or zh-CN")),
        None => Ok(None),
    }
}

#[derive(Deserialize, ToSchema)]
pub struct NewUserIn {
    name: String,
    email: String,
    role: String,
    team_id: Option<Uuid>,
    locale: Option<String>,
    /// 8–128 characters; the user must change it at first sign-in.
    password: String,
}

#[derive(Deserialize, ToSchema)]
pub struct UserEditIn {
    name: String,
    role: String,
    team_id: Option<Uuid>,
    locale: Option<String>,
    version: i32,
}

#[derive(Deserialize, ToSchema)]
pub struct PasswordIn {
    /// 8–128 characters; the user must change it at next sign-in.
    password: String,
}

#[derive(Deserialize, ToSchema)]
pub struct DeactivateIn {
    /// Who decides the approvals waiting on this user from now on: an active user of a role
    /// those approvals are routed to (the leaver's role, or a general manager for a manager's
    /// or an administrator's) who sees their deals and asked for none of them. Required when
    /// approvals wait (`pending_approvals` > 0), ignored otherwise.
    delegate: Option<Uuid>,
}

#[derive(Deserialize, ToSchema)]
pub struct ReassignIn {
    /// The new owner: an active user with a team.
    to: Uuid,
}

#[derive(Serialize, ToSchema)]
pub struct ReassignOut {
    moved: u64,
    /// Open deals still theirs (at most 2,000 move per call): call again.
    remaining: u64,
}

#[derive(Serialize, ToSchema)]
pub struct TeamOut {
    id: Uuid,
    name: String,
    manager_id: Option<Uuid>,
    manager: Option<String>,
    members: u64,
    version: i32,
}

fn team_out(t: AdminTeam) -> TeamOut {
    TeamOut { id: t.id, name: t.name, manager_id: t.manager_id, manager: t.manager, members: t.members, version: t.version }
}

#[derive(Deserialize, ToSchema)]
pub struct TeamIn {
    /// 1–60 characters, unique regardless of case.
    name: String,
    /// An active user of role manager, or null.
    manager_id: Option<Uuid>,
    /// The version read (ignored when creating).
    #[serde(default)]
    version: i32,
}

#[derive(Serialize, ToSchema)]
pub struct AuditEntryOut {
    at: DateTime<Utc>,
    actor: String,
    /// user.created | user.updated | user.password_reset | user.deactivated | user.reactivated |
    /// user.deals_reassigned | team.created | team.updated
    action: String,
    subject_kind: String,
    subject: String,
    /// The subject before and after, as JSON (the admin page shows the same in words). Counts
    /// an act produced appear on `after` only: `sessions_ended`, `approvals_delegated` with
    /// `delegate`, `deals_moved` (a team change), `moved`/`remaining` (a reassignment).
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
}

#[derive(Serialize, ToSchema)]
pub struct AuditOut {
    entries: Vec<AuditEntryOut>,
    /// Pass as `before` for the next (older) page.
    next: Option<i32>,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// The `next` of the previous page.
    before: Option<i32>,
    /// 1–200, default 50.
    limit: Option<u64>,
}

fn audit_out(r: AuditRow) -> AuditEntryOut {
    let json = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok());
    AuditEntryOut {
        at: r.at,
        actor: r.actor,
        action: r.action.as_str().into(),
        subject_kind: r.subject_kind,
        subject: r.subject,
        before: json(r.before),
        after: json(r.after),
    }
}

#[utoipa::path(get, path = "/api/v1/admin/users", responses((status = 200, body = [UserOut]), (status = 403, body = Problem)), security(("bearer" = [])))]
pub async fn users(State(state): State<AppState>, Extension(ctx): Extension<RequestContext>) -> ApiResult<Json<Vec<UserOut>>> {
    Ok(Json(service::directory(&state.db, &ctx).await?.users.into_iter().map(user_out).collect()))
}

#[utoipa::path(post, path = "/api/v1/admin/users", request_body = NewUserIn,
    responses((status = 201, body = UserOut), (status = 403, body = Problem), (status = 422, body = Problem, description = "a field is invalid, or the e-mail is taken")),
    security(("bearer" = [])))]
pub async fn create_user(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Json(u): Json<NewUserIn>,
) -> ApiResult<(StatusCode, Json<UserOut>)> {
    let new = NewUser {
        name: u.name,
        email: u.email,
        role: role(&u.role)?,
        team: u.team_id,
        locale: locale(u.locale.as_deref())?,
        password: u.password,
    };
    Ok((StatusCode::CREATED, Json(user_out(service::create_user(&state.db, &ctx, new).await?))))
}

/// Changes name, role, team and language under the version read. A new team takes the user's
/// open deals with them (closed deals stay with the old team), each through the deal's own
/// write, in the same transaction.
#[utoipa::path(put, path = "/api/v1/admin/users/{id}", params(("id" = Uuid, Path)), request_body = UserEditIn,
    responses((status = 200, body = UserOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem, description = "stale version, or a deal changed meanwhile; nothing changed"),
        (status = 422, body = Problem, description = "a field is invalid; `team`: no team while they own open deals, or more open deals than one change moves (2,000)")), security(("bearer" = [])))]
pub async fn update_user(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
    Json(u): Json<UserEditIn>,
) -> ApiResult<Json<UserOut>> {
    let edit = UserEdit { name: u.name, role: role(&u.role)?, team: u.team_id, locale: locale(u.locale.as_deref())?, version: u.version };
    Ok(Json(user_out(service::update_user(&state.db, &ctx, id, edit).await?)))
}

#[utoipa::path(post, path = "/api/v1/admin/users/{id}/password", params(("id" = Uuid, Path)), request_body = PasswordIn,
    responses((status = 200, body = UserOut, description = "their sessions and tokens ended"), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn reset_password(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
    Json(p): Json<PasswordIn>,
) -> ApiResult<Json<UserOut>> {
    Ok(Json(user_out(service::reset_password(&state.db, &ctx, id, p.password).await?)))
}

/// Deactivates a user: their sessions and tokens end at once, their deals stay theirs until
/// reassigned, and the approvals waiting on them move to the `delegate` (each rings the
/// delegate's bell like a new request), all in one transaction.
#[utoipa::path(post, path = "/api/v1/admin/users/{id}/deactivate", params(("id" = Uuid, Path)), request_body = Option<DeactivateIn>,
    responses((status = 200, body = UserOut, description = "their sessions and tokens ended, waiting approvals with the delegate"), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem, description = "an approval was decided meanwhile; nothing changed"),
        (status = 422, body = Problem, description = "oneself, the last active admin, or a team's manager; or `delegate`: missing while approvals wait (the detail says how many), or not someone who may decide them")),
    security(("bearer" = [])))]
pub async fn deactivate(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
    body: Option<Json<DeactivateIn>>,
) -> ApiResult<Json<UserOut>> {
    let delegate = body.and_then(|Json(b)| b.delegate);
    Ok(Json(user_out(service::set_active(&state.db, &ctx, id, false, delegate).await?)))
}

#[utoipa::path(post, path = "/api/v1/admin/users/{id}/reactivate", params(("id" = Uuid, Path)),
    responses((status = 200, body = UserOut), (status = 403, body = Problem), (status = 404, body = Problem)), security(("bearer" = [])))]
pub async fn reactivate(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<UserOut>> {
    Ok(Json(user_out(service::set_active(&state.db, &ctx, id, true, None).await?)))
}

#[utoipa::path(post, path = "/api/v1/admin/users/{id}/reassign", params(("id" = Uuid, Path, description = "whose open deals")), request_body = ReassignIn,
    responses((status = 200, body = ReassignOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem, description = "a deal changed meanwhile; nothing moved"),
        (status = 422, body = Problem)), security(("bearer" = [])))]
pub async fn reassign(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
    Json(r): Json<ReassignIn>,
) -> ApiResult<Json<ReassignOut>> {
    let out = service::reassign_open_deals(&state.db, &ctx, id, r.to).await?;
    Ok(Json(ReassignOut { moved: out.moved, remaining: out.remaining }))
}

#[utoipa::path(get, path = "/api/v1/admin/teams", responses((status = 200, body = [TeamOut]), (status = 403, body = Problem)), security(("bearer" = [])))]
pub async fn teams(State(state): State<AppState>, Extension(ctx): Extension<RequestContext>) -> ApiResult<Json<Vec<TeamOut>>> {
    Ok(Json(service::directory(&state.db, &ctx).await?.teams.into_iter().map(team_out).collect()))
}

#[utoipa::path(post, path = "/api/v1/admin/teams", request_body = TeamIn,
    responses((status = 201, body = TeamOut), (status = 403, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
pub async fn create_team(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Json(t): Json<TeamIn>,
) -> ApiResult<(StatusCode, Json<TeamOut>)> {
    let edit = TeamEdit { name: t.name, manager: t.manager_id, version: t.version };
    Ok((StatusCode::CREATED, Json(team_out(service::create_team(&state.db, &ctx, edit).await?))))
}

#[utoipa::path(put, path = "/api/v1/admin/teams/{id}", params(("id" = Uuid, Path)), request_body = TeamIn,
    responses((status = 200, body = TeamOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem, description = "stale version"),
        (status = 422, body = Problem)), security(("bearer" = [])))]
pub async fn update_team(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
    Json(t): Json<TeamIn>,
) -> ApiResult<Json<TeamOut>> {
    let edit = TeamEdit { name: t.name, manager: t.manager_id, version: t.version };
    Ok(Json(team_out(service::update_team(&state.db, &ctx, id, edit).await?)))
}

#[utoipa::path(get, path = "/api/v1/admin/audit", params(AuditQuery),
    responses((status = 200, body = AuditOut, description = "newest first"), (status = 403, body = Problem)), security(("bearer" = [])))]
pub async fn audit(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Query(q): Query<AuditQuery>,
) -> ApiResult<Json<AuditOut>> {
    let page = service::audit_page(&state.db, &ctx, q.before, q.limit.unwrap_or(50)).await?;
    Ok(Json(AuditOut { entries: page.rows.into_iter().map(audit_out).collect(), next: page.next }))
}
