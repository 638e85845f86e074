//! The one type that carries "who is asking" into every service call.
use super::{
    db_err,
    entity::{team, user},
    state::AppState,
};
use crate::domain::{
    dto::CurrentUser,
    error::AppError,
    locale::Locale,
    role::{Role, Visibility},
};
use crate::ssr::db::Db;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

/// Session key under which the signed-in user's id is stored.
pub const SESSION_USER_KEY: &str = "uid";
/// Marks a session-store record as a bearer token (`true`). Tokens and browser sessions share
/// the store; this keeps each credential to its own channel: a token is never read from the
/// session cookie, and a cookie session never answers as a token.
pub const TOKEN_KEY: &str = "bearer";
/// Cookie remembering the language of someone not signed in.
pub const LOCALE_COOKIE: &str = "dg_lang";

#[derive(Clone, Debug)]
pub struct RequestContext {
    pub user_id: i32,
    pub uuid: uuid::Uuid,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub team_id: Option<i32>,
    pub team_name: Option<String>,
    pub managed_team_ids: Vec<i32>,
    /// The saved preference when loaded; the request's resolved language once the auth
    /// middleware has put the context on the request.
    pub locale: Option<Locale>,
    pub visibility: Visibility,
    /// An administrator reset the password: until the user chooses a new one, the server
    /// answers nothing but the change-password page (see the server's auth middleware).
    pub must_change_password: bool,
    /// The session or token id this request came with (set by the auth middleware): a
    /// password change ends every other session and token of the user, not this one.
    pub credential: Option<String>,
}

impl RequestContext {
    /// Loads an active user's context; `None` when the user is gone or deactivated.
    pub async fn load(db: &Db, user_id: i32) -> Result<Option<RequestContext>, AppError> {
        let Some(u) = user::Entity::find_by_id(user_id).one(db).await.map_err(db_err)? else { return Ok(None) };
        if !u.active {
            return Ok(None);
        }
        let Some(role) = Role::parse(&u.role) else {
            tracing::error!(user_id, role = %u.role, "user has an unknown role");
            return Err(AppError::Internal);
        };
        let team_name = match u.team_id {
            Some(t) => team::Entity::find_by_id(t).one(db).await.map_err(db_err)?.map(|t| t.name),
            None => None,
        };
        let managed_team_ids: Vec<i32> = team::Entity::find()
            .filter(team::Column::ManagerId.eq(u.id))
            .all(db)
            .await
            .map_err(db_err)?
            .into_iter()
            .map(|t| t.id)
            .collect();
        let visibility = Visibility::for_user(role, u.id, u.team_id, &managed_team_ids);
        Ok(Some(RequestContext {
            user_id: u.id,
            uuid: u.uuid,
            name: u.name,
            email: u.email,
            role,
            team_id: u.team_id,
            team_name,
            managed_team_ids,
            locale: u.locale.as_deref().and_then(Locale::parse),
            visibility,
            must_change_password: u.must_change_password,
            credential: None,
        }))
    }

    pub fn current_user(&self, fallback_locale: Locale) -> CurrentUser {
        CurrentUser {
            id: self.uuid,
            name: self.name.clone(),
            email: self.email.clone(),
            role: self.role,
            team: self.team_name.clone(),
            locale: self.locale.unwrap_or(fallback_locale),
        }
    }
}

/// Inside a server function or SSR render: the app state and the signed-in user, or
/// `Unauthorized`. The auth middleware put the context into the request's extensions.
pub fn request_context() -> Result<(AppState, RequestContext), AppError> {
    let state = leptos::prelude::use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the Leptos context");
        AppError::Internal
    })?;
    let parts = leptos::prelude::use_context::<axum::http::request::Parts>().ok_or(AppError::Unauthorized)?;
    let ctx = parts.extensions.get::<RequestContext>().cloned().ok_or(AppError::Unauthorized)?;
    Ok((state, ctx))
}

/// The state alone, for the few calls allowed before sign-in (login, language).
pub fn app_state() -> Result<AppState, AppError> {
    leptos::prelude::use_context::<AppState>().ok_or(AppError::Internal)
}

/// The language the request resolved to (set by the middleware), for SSR.
pub fn request_locale() -> Locale {
    leptos::prelude::use_context::<axum::http::request::Parts>().and_then(|p| p.extensions.get::<Locale>().copied()).unwrap_or_default()
}

/// Sets the HTTP status of a failed server function from the one mapping in `AppError`.
/// Only for a call that came over HTTP: while a page renders, its resources call the same
/// functions in-process with the page's response options, and a side panel refused to this
/// role (the team's candidates for an executive) must not turn the page into a 403 — the
/// more so as whether it did depended on the panel resolving before the headers went out.
/// A page's own failure sets its status where it is shown (`ErrorNotice`).
pub fn respond<T>(r: Result<T, AppError>) -> Result<T, AppError> {
    let over_http = leptos::prelude::use_context::<axum::http::request::Parts>().is_some_and(|p| p.uri.path().starts_with("/api/"));
    if let (Err(e), true) = (&r, over_http) {
        if let Some(opts) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            opts.set_status(axum::http::StatusCode::from_u16(e.status()).unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR));
            if let AppError::RateLimited { retry_after_secs } = e {
                opts.insert_header(axum::http::header::RETRY_AFTER, axum::http::HeaderValue::from(*retry_after_secs));
            }
        }
    }
    r
}

/// The body of nearly every server function: run `f` as the signed-in user and map a
/// failure to its HTTP status. State and context are handed over owned so the closure's
/// `async move` block can borrow them without tying lifetimes to the caller.
pub async fn serve<T, F, Fut>(f: F) -> Result<T, AppError>
where
    F: FnOnce(AppState, RequestContext) -> Fut,
    Fut: std::future::Future<Output = Result<T, AppError>>,
{
    respond(
        async {
            let (state, ctx) = request_context()?;
            f(state, ctx).await
        }
        .await,
    )
}
