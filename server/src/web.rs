//! The axum side: auth middleware, request log, health check, router.
use app::domain::locale::Locale;
use app::ssr::context::{RequestContext, LOCALE_COOKIE, SESSION_USER_KEY, TOKEN_KEY};
use app::ssr::state::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use std::sync::Arc;
use std::time::Instant;
use tower_sessions::Session;

/// Paths anyone may fetch without signing in.
fn is_public(path: &str) -> bool {
    matches!(
        path,
        "/login"
            | "/healthz"
            | "/api/login"
            | "/api/set_locale"
            | "/api/v1/auth/token"
            | "/api/v1/openapi.json"
            | "/favicon.svg"
            | "/favicon.ico"
            | "/robots.txt"
    ) || path.starts_with("/pkg/")
}

/// The page a user whose password was reset is sent to.
const CHANGE_PASSWORD: &str = "/change-password";

/// What a user who must choose a new password may still reach: that page, the calls that
/// save it (the page's and REST's), signing out, and the language switch.
fn allowed_before_new_password(path: &str) -> bool {
    matches!(path, CHANGE_PASSWORD | "/api/change_password" | "/api/v1/me/password" | "/api/logout" | "/api/set_locale" | "/api/me")
}

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(|kv| {
        let (k, v) = kv.trim().split_once('=')?;
        (k == name).then_some(v)
    })
}

fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_' | b'.' | b'~') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Whether a request that changes something comes from another site: its `Origin` names a
/// host other than this server's (`Host`, or `X-Forwarded-Host` behind a proxy; the scheme is
/// not compared, a TLS-terminating proxy changes it), or, without an `Origin`, the browser
/// says `Sec-Fetch-Site: cross-site`. Reads (GET, HEAD, OPTIONS) are never cross-site
/// writes. Browsers cannot add `Origin`-less custom headers cross-site without a preflight,
/// which this server never grants, so a request without either header is a script or tool.
pub fn cross_site_write(method: &axum::http::Method, headers: &HeaderMap) -> bool {
    use axum::http::Method;
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return false;
    }
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    match text("origin") {
        Some(origin) => {
            let Some((_, authority)) = origin.split_once("://") else { return true }; // "null", or junk
            let ours = |h: Option<&str>| h.is_some_and(|h| h.split(',').next().is_some_and(|h| h.trim().eq_ignore_ascii_case(authority)));
            !(ours(text("host")) || ours(text("x-forwarded-host")))
        }
        None => text("sec-fetch-site") == Some("cross-site"),
    }
}

fn problem(status: StatusCode, detail: &str) -> Response {
    let body = serde_json::json!({"type": "about:blank", "title": status.canonical_reason().unwrap_or("Error"), "status": status.as_u16(), "detail": detail});
    (status, [(header::CONTENT_TYPE, "application/problem+json")], body.to_string()).into_response()
}

/// Resolves who is asking and in which language; refuses anything but the public paths
/// to someone not signed in (401 for API calls, a redirect to the login page otherwise).
///
/// Each credential works in its own channel only: the REST API (`/api/v1/`) takes a bearer
/// token when the request names one (and then never the cookie); everything else, and REST
/// without a token, takes the session cookie, and a token's id sent as the cookie is refused.
/// A write carried by the cookie from another site is refused (403) before anything runs.
pub async fn auth(State(state): State<AppState>, session: Session, mut req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    // Static files need neither a user nor a language: skip the session and database work.
    if is_static(&path) {
        return next.run(req).await;
    }
    let token = if path.starts_with("/api/v1/") { crate::rest::bearer_token(req.headers()).map(str::to_owned) } else { None };
    if token.is_none() && cross_site_write(req.method(), req.headers()) {
        tracing::warn!(%path, origin = ?req.headers().get("origin"), "cross-site write refused");
        return problem(StatusCode::FORBIDDEN, "Cross-site request refused: send it from this site's own pages, or use a bearer token.");
    }
    let (uid, credential) = match &token {
        Some(t) => (crate::rest::bearer_user(&state, t).await, Some(t.clone())),
        None => {
            let is_token = session.get::<bool>(TOKEN_KEY).await.ok().flatten() == Some(true);
            let uid = if is_token { None } else { session.get::<i32>(SESSION_USER_KEY).await.ok().flatten() };
            (uid, session.id().map(|id| id.to_string()))
        }
    };
    let ctx = match uid {
        Some(id) => match RequestContext::load(&state.db, id).await {
            Ok(c) => c.map(|c| RequestContext { credential: credential.clone(), ..c }),
            Err(_) => return (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response(),
        },
        None => None,
    };
    if uid.is_some() && ctx.is_none() && token.is_none() {
        // The user was removed or deactivated: end the session.
        let _ = session.flush().await;
    }
    let user_locale = ctx.as_ref().and_then(|c| c.locale).map(Locale::tag);
    let headers = req.headers();
    let locale =
        Locale::resolve(user_locale, cookie(headers, LOCALE_COOKIE), headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()));
    req.extensions_mut().insert(locale);
    // Services speak the language the page is shown in: the saved preference when there is
    // one, else the cookie or the browser's (a user without a preference on a Chinese browser
    // got English timelines and messages inside a Chinese page).
    let ctx = ctx.map(|c| RequestContext { locale: Some(locale), ..c });
    match ctx {
        Some(c) => {
            if path == "/login" {
                return Redirect::to("/").into_response();
            }
            // After an administrator's reset, nothing but choosing a new password.
            if c.must_change_password && !allowed_before_new_password(&path) {
                if path.starts_with("/api/") {
                    return problem(
                        StatusCode::FORBIDDEN,
                        "Choose a new password first (POST /api/v1/me/password, or sign in in the browser).",
                    );
                }
                return Redirect::to(CHANGE_PASSWORD).into_response();
            }
            req.extensions_mut().insert(c);
            next.run(req).await
        }
        None if is_public(&path) => next.run(req).await,
        None if path.starts_with("/api/") => problem(StatusCode::UNAUTHORIZED, "Sign in first."),
        None => {
            let target = match req.uri().query() {
                Some(q) => format!("{path}?{q}"),
                None => path,
            };
            let to = if target == "/" { "/login".to_owned() } else { format!("/login?next={}", percent_encode(&target)) };
            Redirect::to(&to).into_response()
        }
    }
}

/// Whether a path is a static file of the bundle (cacheable, no user data).
fn is_static(path: &str) -> bool {
    path.starts_with("/pkg/") || matches!(path, "/favicon.svg" | "/favicon.ico" | "/robots.txt")
}

/// Browser protections on every response. Pages carry their own Content-Security-Policy with
/// the nonce Leptos rendered them with (`app::ssr::security`); any other answer gets a policy
/// that allows nothing. `hsts`: the site is served over HTTPS (`DEALGATE_SECURE_COOKIES`).
/// Answers with user data (the API, pages, exports) are never stored by a browser or proxy;
/// the bundle's static files keep their caching.
pub async fn security_headers(State(hsts): State<bool>, req: Request, next: Next) -> Response {
    use axum::http::HeaderValue;
    let path = req.uri().path().to_owned();
    let mut res = next.run(req).await;
    let found = res.status().is_success();
    let h = res.headers_mut();
    h.entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin"));
    if hsts {
        h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000"));
    }
    if !is_static(&path) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    } else if found && is_content_named(&path) {
        // The name changes whenever the content does: a browser never needs to ask again.
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable"));
    }
    res
}

/// Whether a bundle file's name carries its content hash (`dealgate.<22 base64url>.wasm`, as
/// cargo-leptos' hash-files writes them).
fn is_content_named(path: &str) -> bool {
    let Some(name) = path.strip_prefix("/pkg/") else { return false };
    name.split('.').any(|part| {
        part.len() == 22 && part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') && !part.bytes().all(|b| b == b'_')
    })
}

/// What the server needs to build its router besides the state.
pub struct Settings {
    /// `DEALGATE_SECURE_COOKIES`: HTTPS only cookies, and HSTS.
    pub secure_cookies: bool,
    pub session_hours: i64,
    /// `DEALGATE_TRUSTED_PROXIES`.
    pub trusted_proxies: app::ssr::client_addr::TrustedProxies,
}

/// The whole application: health, live events, exports, REST, the Leptos pages and server
/// functions, behind the auth middleware, sessions, security headers, compression and the
/// request log. `main` serves it; the security tests call it as it is.
pub fn app_router(state: AppState, store: app::ssr::session_store::DbSessionStore, settings: &Settings) -> axum::Router {
    use axum::routing::get;
    use leptos_axum::{generate_route_list, LeptosRoutes};
    use tower_sessions::cookie::SameSite;
    use tower_sessions::{Expiry, SessionManagerLayer};
    let sessions = SessionManagerLayer::new(store)
        .with_name("dg_session")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(settings.secure_cookies)
        .with_expiry(Expiry::OnInactivity(time::Duration::hours(settings.session_hours)));
    let leptos_options = state.leptos_options.clone();
    let routes = generate_route_list(app::App);
    axum::Router::new()
        .route("/healthz", get(healthz))
        .route("/api/events", get(events))
        .route("/export/forecast/{file}", get(export))
        .merge(crate::rest::router())
        .leptos_routes_with_context(&state, routes, || {}, move || app::shell(leptos_options.clone()))
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(|| {}, app::shell))
        .layer(axum::middleware::from_fn(crate::server_fns::guard))
        .layer(axum::middleware::from_fn(crate::input::refuse_nul))
        .layer(axum::middleware::from_fn_with_state(state.clone(), auth))
        .layer(sessions)
        .layer(axum::middleware::from_fn_with_state(settings.secure_cookies, security_headers))
        .layer(axum::middleware::from_fn_with_state(Arc::new(settings.trusted_proxies.clone()), client_address))
        // gzip when the client asks; the default predicate leaves out server-sent events (they
        // must not wait in an encoder's buffer), images and tiny bodies.
        .layer(tower_http::compression::CompressionLayer::new().gzip(true))
        .layer(axum::middleware::from_fn(log_requests))
        .with_state(state)
}

/// Decides the client's address once ([`app::ssr::client_addr`]) for whoever needs it.
pub async fn client_address(State(trusted): State<Arc<app::ssr::client_addr::TrustedProxies>>, mut req: Request, next: Next) -> Response {
    use app::ssr::client_addr::{client_addr, ClientAddr};
    if let Some(peer) = req.extensions().get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip()) {
        let forwarded = req.headers().get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok());
        let client = client_addr(peer, forwarded, &trusted);
        req.extensions_mut().insert(ClientAddr(client));
    }
    next.run(req).await
}

/// One structured line per request: method, path, status, latency.
pub async fn log_requests(req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let res = next.run(req).await;
    let latency_ms = start.elapsed().as_secs_f64() * 1000.0;
    let status = res.status().as_u16();
    if status >= 500 {
        tracing::error!(%method, %path, status, latency_ms, "request");
    } else {
        tracing::info!(%method, %path, status, latency_ms, "request");
    }
    res
}

pub async fn healthz(State(state): State<AppState>) -> Response {
    match app::ssr::db::ping(&state.db).await {
        Ok(()) => Json(serde_json::json!({"status": "ok", "database": "ok"})).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, Json(serde_json::json!({"status": "error", "database": "unreachable"}))).into_response()
        }
    }
}

/// Server-sent events: one `change` event per committed change the user may see. Browsers
/// reconnect on their own; a `resync` asks them to reload after they fell behind.
pub async fn events(
    axum::extract::State(state): State<AppState>,
    axum::Extension(ctx): axum::Extension<RequestContext>,
) -> axum::response::sse::Sse<impl futures_util::Stream<Item = Result<axum::response::sse::Event, std::convert::Infallible>>> {
    use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
    use tokio::sync::broadcast::error::RecvError;
    let rx = app::ssr::events::subscribe(&state.db);
    let vis = ctx.visibility.clone();
    let me = ctx.user_id;
    let stream = futures_util::stream::unfold(rx, move |mut rx| {
        let vis = vis.clone();
        async move {
            loop {
                match rx.recv().await {
                    Ok(e) => {
                        if e.reaches(&vis) {
                            // "mine" lets a page tell its own echo from someone else's change.
                            let deal = (!e.deal.is_nil()).then_some(e.deal);
                            let data =
                                serde_json::json!({"kind": e.kind, "deal": deal, "account": e.account, "mine": e.actor == me}).to_string();
                            return Some((Ok(SseEvent::default().event("change").data(data)), rx));
                        }
                        // Member-only users (presales) learn that something changed, not what:
                        // their reload applies the visibility rule.
                        if vis.team_ids.is_empty() {
                            return Some((Ok(SseEvent::default().event("change").data("{}")), rx));
                        }
                    }
                    Err(RecvError::Lagged(_)) => return Some((Ok(SseEvent::default().event("resync").data("{}")), rx)),
                    Err(RecvError::Closed) => return None,
                }
            }
        }
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// CSV downloads of the dashboard's tables (UTF-8 with BOM, so Excel reads Chinese).
pub async fn export(
    State(state): State<AppState>,
    axum::Extension(ctx): axum::Extension<RequestContext>,
    axum::Extension(l): axum::Extension<Locale>,
    axum::extract::Path(file): axum::extract::Path<String>,
    axum::extract::Query(q): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> Response {
    use app::domain::csv::{to_csv, yuan};
    use app::i18n::{t, K};
    let pct = |v: Option<f64>| v.map(|p| format!("{p:.1}")).unwrap_or_default();
    let body = match file.as_str() {
        "reps.csv" => match app::ssr::service::forecast::dashboard(&state.db, &ctx, None).await {
            Ok(d) => to_csv(
                &[
                    t(l, K::ColRep),
                    t(l, K::ColTeam),
                    t(l, K::ColQuota),
                    t(l, K::ColWon),
                    t(l, K::ColAttainment),
                    t(l, K::ColOpenQuarter),
                    t(l, K::ColCoverage),
                    t(l, K::ColPipeline),
                ],
                &d.reps
                    .into_iter()
                    .map(|r| {
                        vec![
                            r.name,
                            r.team,
                            yuan(r.quota_fen),
                            yuan(r.won_fen),
                            pct(r.attainment_pct),
                            yuan(r.open_weighted_fen),
                            r.coverage.map(|c| format!("{c:.2}")).unwrap_or_default(),
                            yuan(r.pipeline_fen),
                        ]
                    })
                    .collect::<Vec<_>>(),
            ),
            Err(e) => {
                return (StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR), app::i18n::error_message(l, &e))
                    .into_response()
            }
        },
        "deals.csv" => {
            let Some(what) = q.get("what").and_then(|w| app::domain::dashboard::Drill::parse(w)) else {
                return (StatusCode::UNPROCESSABLE_ENTITY, "what: not a figure of the dashboard").into_response();
            };
            match app::ssr::service::forecast::drill(&state.db, &ctx, &what).await {
                Ok(rows) => to_csv(
                    &[
                        t(l, K::ColName),
                        t(l, K::ColAccount),
                        t(l, K::ColOwner),
                        t(l, K::ColStage),
                        t(l, K::ColAmount),
                        t(l, K::ColWeighted),
                        t(l, K::ColCloseDate),
                        t(l, K::Category),
                        t(l, K::ColDelta),
                    ],
                    &rows
                        .into_iter()
                        .map(|r| {
                            let stage = if l == Locale::ZhCn { r.stage.name_zh } else { r.stage.name_en };
                            vec![
                                r.name,
                                r.account,
                                r.owner,
                                stage,
                                yuan(r.amount_fen),
                                yuan(r.weighted_fen),
                                r.close_date.to_string(),
                                r.category,
                                r.delta_fen.map(yuan).unwrap_or_default(),
                            ]
                        })
                        .collect::<Vec<_>>(),
                ),
                Err(e) => {
                    return (StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR), app::i18n::error_message(l, &e))
                        .into_response()
                }
            }
        }
        "receivables.csv" => match app::ssr::service::contract::receivable_rows(&state.db, &ctx, q.get("bucket").cloned()).await {
            Ok(rows) => to_csv(
                &[
                    t(l, K::ContractNumber),
                    t(l, K::ColAccount),
                    t(l, K::ColOwner),
                    t(l, K::ColTeam),
                    t(l, K::MilestoneKindCol),
                    t(l, K::MilestoneDue),
                    t(l, K::ContractAmount),
                    t(l, K::MilestoneReceived),
                    t(l, K::MilestoneOutstanding),
                    t(l, K::MilestoneDaysOverdue),
                ],
                &rows
                    .into_iter()
                    .map(|r| {
                        vec![
                            r.number,
                            r.account,
                            r.owner,
                            r.team,
                            format!("{} {}", r.milestone, app::i18n::milestone_kind(l, r.kind)),
                            r.due_on.map(|d| d.to_string()).unwrap_or_default(),
                            yuan(r.due_fen),
                            yuan(r.received_fen),
                            yuan(r.due_fen - r.received_fen),
                            r.overdue_days.to_string(),
                        ]
                    })
                    .collect::<Vec<_>>(),
            ),
            Err(e) => {
                return (StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR), app::i18n::error_message(l, &e))
                    .into_response()
            }
        },
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file}\"")),
        ],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_named_bundle_files() {
        for (p, want) in [
            ("/pkg/dealgate.Zm9vYmFyYmF6cXV4cXV1eA.wasm", true),
            ("/pkg/__wasm_split.Zm9vYmFyYmF6cXV4cXV1eA.js", true),
            ("/pkg/dealgate.wasm", false),
            ("/pkg/__wasm_split.______________________.js", false),
            ("/pkg/dealgate.Zm9vYmFy.wasm", false),
            ("/favicon.svg", false),
            ("/deals/Zm9vYmFyYmF6cXV4cXV1eA.x", false),
        ] {
            assert_eq!(is_content_named(p), want, "{p}");
        }
    }

    #[test]
    fn public_paths() {
        for (p, want) in [
            ("/login", true),
            ("/pkg/dealgate.wasm", true),
            ("/healthz", true),
            ("/api/login", true),
            ("/", false),
            ("/deals", false),
            ("/api/me", false),
            ("/loginx", false),
        ] {
            assert_eq!(is_public(p), want, "{p}");
        }
    }

    #[test]
    fn a_reset_password_leaves_only_the_change_page() {
        for (p, want) in [
            ("/change-password", true),
            ("/api/change_password", true),
            ("/api/v1/me/password", true),
            ("/api/logout", true),
            ("/api/v1/me/password/x", false),
            ("/api/v1/me", false),
            ("/", false),
            ("/deals", false),
            ("/api/v1/deals", false),
            ("/api/admin/overview", false),
            ("/events", false),
        ] {
            assert_eq!(allowed_before_new_password(p), want, "{p}");
        }
    }

    #[test]
    fn reads_cookie() {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, "a=1; dg_lang=zh-CN; b=2".parse().unwrap());
        assert_eq!(cookie(&h, "dg_lang"), Some("zh-CN"));
        assert_eq!(cookie(&h, "c"), None);
    }
}
