//! Bearer tokens: issued here, resolved by the auth middleware (they share the session store);
//! and the caller's own password, changed with the same service as the change-password page.
use super::{ApiResult, Problem};
use app::domain::error::AppError;
use app::ssr::context::{RequestContext, SESSION_USER_KEY, TOKEN_KEY};
use app::ssr::session_store::DbSessionStore;
use app::ssr::state::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::{Extension, Json};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use tower_sessions::session::{Id, Record};
use tower_sessions::SessionStore;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(token)).routes(routes!(change_password))
}

/// Bearer tokens live as long as a UI session.
const TOKEN_HOURS: i64 = 12;

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

/// Failed tries slow down further ones of the same account from the same address (and, more
/// generously, of the address): a 429 then says in `Retry-After` how many seconds to wait.
#[utoipa::path(post, path = "/api/v1/auth/token", request_body = TokenRequest,
    responses((status = 200, body = TokenResponse), (status = 401, body = Problem),
        (status = 429, body = Problem, description = "too many failed tries from this address; retry after `Retry-After` seconds",
            headers(("Retry-After" = u64, description = "seconds to wait")))))]
pub async fn token(
    State(state): State<AppState>,
    peer: Option<Extension<app::ssr::client_addr::ClientAddr>>,
    Json(req): Json<TokenRequest>,
) -> ApiResult<Json<TokenResponse>> {
    let client = peer.map(|Extension(c)| c.0.to_string());
    let user = app::ssr::auth::authenticate(&state.db, &state.limiter, &req.email, &req.password, client.as_deref()).await?;
    let expires_at = Utc::now() + chrono::Duration::hours(TOKEN_HOURS);
    let mut data = HashMap::new();
    data.insert(SESSION_USER_KEY.to_owned(), serde_json::json!(user.id));
    data.insert(TOKEN_KEY.to_owned(), serde_json::json!(true));
    let mut record = Record {
        id: Id::default(),
        data,
        expiry_date: time::OffsetDateTime::from_unix_timestamp(expires_at.timestamp()).map_err(|_| AppError::Internal)?,
    };
    DbSessionStore::new(state.db.conn().clone()).create(&mut record).await.map_err(|_| AppError::Internal)?;
    Ok(Json(TokenResponse { token: record.id.to_string(), expires_at }))
}

#[derive(Deserialize, ToSchema)]
pub struct PasswordChange {
    current_password: String,
    /// 8–128 characters, not all blank, different from the current one.
    new_password: String,
}

/// Changes the caller's own password (the change-password page's service): the current one
/// must be right. Clears "must change password" after an administrator's reset — a client
/// held to a new password may call this (and nothing else). The caller's other sessions and
/// tokens end; the one this call came with stays valid.
#[utoipa::path(post, path = "/api/v1/me/password", request_body = PasswordChange,
    responses((status = 204, description = "changed"), (status = 401, body = Problem), (status = 409, body = Problem, description = "changed meanwhile; try again"),
        (status = 422, body = Problem, description = "`current_password` is wrong, or `new_password` breaks the policy")),
    security(("bearer" = [])))]
pub async fn change_password(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Json(p): Json<PasswordChange>,
) -> ApiResult<StatusCode> {
    app::ssr::service::user::change_password(&state.db, &ctx, &p.current_password, &p.new_password).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The token of an `Authorization: Bearer <token>` header, if the request has one.
pub fn bearer_token(headers: &axum::http::HeaderMap) -> Option<&str> {
    Some(headers.get(header::AUTHORIZATION)?.to_str().ok()?.strip_prefix("Bearer ")?.trim())
}

/// Resolves a bearer token to a user id. Tokens share the session store with browser sessions;
/// only a record issued as a token counts (a session cookie's id is not a token).
pub async fn bearer_user(state: &AppState, token: &str) -> Option<i32> {
    let id: Id = token.parse().ok()?;
    let rec = DbSessionStore::new(state.db.conn().clone()).load(&id).await.ok()??;
    if rec.data.get(TOKEN_KEY).and_then(serde_json::Value::as_bool) != Some(true) {
        return None;
    }
    rec.data.get(SESSION_USER_KEY)?.as_i64().and_then(|v| i32::try_from(v).ok())
}
