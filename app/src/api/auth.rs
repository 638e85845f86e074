use crate::domain::{dto::CurrentUser, error::AppError};
use leptos::prelude::*;

/// Only same-site paths are accepted as a post-login destination (no open redirect).
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.starts_with("/login") && !n.contains('\\') => n.to_owned(),
        _ => "/".to_owned(),
    }
}

#[server(endpoint = "login")]
pub async fn login(email: String, password: String, next: Option<String>) -> Result<(), AppError> {
    use crate::ssr::{
        auth::authenticate,
        context::{app_state, respond, SESSION_USER_KEY},
    };
    respond(
        async {
            let state = app_state()?;
            let session: tower_sessions::Session = leptos_axum::extract().await.map_err(|_| AppError::Internal)?;
            let client = leptos::prelude::use_context::<axum::http::request::Parts>()
                .and_then(|p| p.extensions.get::<crate::ssr::client_addr::ClientAddr>().map(|c| c.0.to_string()));
            let user = authenticate(&state.db, &state.limiter, &email, &password, client.as_deref()).await?;
            // A fresh id at privilege change defeats session fixation.
            session.cycle_id().await.map_err(|_| AppError::Internal)?;
            session.insert(SESSION_USER_KEY, user.id).await.map_err(|_| AppError::Internal)?;
            tracing::info!(user = user.id, "signed in");
            // After an administrator's reset the user chooses a new password before anything else.
            if user.must_change_password {
                leptos_axum::redirect("/change-password");
            } else {
                leptos_axum::redirect(&safe_next(next.as_deref()));
            }
            Ok(())
        }
        .await,
    )
}

/// The signed-in user's new password (required after an administrator's reset, allowed any
/// time); then on to the home page.
#[server(endpoint = "change_password")]
pub async fn change_password(current_password: String, new_password: String, repeat_password: String) -> Result<(), AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move {
        if new_password != repeat_password {
            return Err(AppError::validation("repeat_password", "differs from the new password"));
        }
        crate::ssr::service::user::change_password(&state.db, &ctx, &current_password, &new_password).await?;
        leptos_axum::redirect("/");
        Ok(())
    })
    .await
}

#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::ssr::context::respond;
    respond(
        async {
            let session: tower_sessions::Session = leptos_axum::extract().await.map_err(|_| AppError::Internal)?;
            session.flush().await.map_err(|_| AppError::Internal)?;
            leptos_axum::redirect("/login");
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "me")]
pub async fn me() -> Result<CurrentUser, AppError> {
    use crate::ssr::context::{request_context, request_locale, respond};
    respond(request_context().map(|(_, ctx)| ctx.current_user(request_locale())))
}

/// Allowed before sign-in: remembers the language in a cookie, and on the user if signed in.
#[server(endpoint = "set_locale")]
pub async fn set_locale(locale: String) -> Result<(), AppError> {
    use crate::domain::locale::Locale;
    use crate::ssr::context::{app_state, request_context, respond, LOCALE_COOKIE};
    respond(
        async {
            let l = Locale::parse(&locale).ok_or_else(|| AppError::validation("locale", "use en or zh-CN"))?;
            if let Ok((state, ctx)) = request_context() {
                crate::ssr::service::user::set_locale(&state.db, &ctx, l).await?;
            } else {
                app_state()?;
            }
            if let Some(opts) = use_context::<leptos_axum::ResponseOptions>() {
                let cookie = format!("{LOCALE_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax", l.tag());
                if let Ok(v) = axum::http::HeaderValue::from_str(&cookie) {
                    opts.append_header(axum::http::header::SET_COOKIE, v);
                }
            }
            Ok(())
        }
        .await,
    )
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_is_same_site_only() {
        for (input, want) in [
            (Some("/deals?page=2"), "/deals?page=2"),
            (Some("//evil.example"), "/"),
            (Some("https://evil.example"), "/"),
            (Some("/login"), "/"),
            (Some("/\\evil"), "/"),
            (None, "/"),
        ] {
            assert_eq!(safe_next(input), want, "{input:?}");
        }
    }
}
