//! The axum side: auth middleware, request log, health check, router.
use app::domain::locale::Locale;
use app::ssr::context::{RequestContext, LOCALE_COOKIE, SESSION_USER_KEY};
use app::ssr::state::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
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

/// Resolves who is asking and in which language; refuses anything but the public paths
/// to someone not signed in (401 for API calls, a redirect to the login page otherwise).
pub async fn auth(State(state): State<AppState>, session: Session, mut req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    // Static files need neither a user nor a language: skip the session and database work.
    if path.starts_with("/pkg/") || matches!(path.as_str(), "/favicon.svg" | "/favicon.ico" | "/robots.txt") {
        return next.run(req).await;
    }
    let mut uid: Option<i32> = session.get(SESSION_USER_KEY).await.ok().flatten();
    if uid.is_none() && path.starts_with("/api/v1/") {
        uid = crate::rest::bearer_user(&state, req.headers()).await;
    }
    let ctx = match uid {
        Some(id) => match RequestContext::load(&state.db, id).await {
            Ok(c) => c,
            Err(_) => return (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response(),
        },
        None => None,
    };
    if uid.is_some() && ctx.is_none() && !path.starts_with("/api/v1/") {
        // The user was removed or deactivated: end the session.
        let _ = session.flush().await;
    }
    let user_locale = ctx.as_ref().and_then(|c| c.locale).map(Locale::tag);
    let headers = req.headers();
    let locale =
        Locale::resolve(user_locale, cookie(headers, LOCALE_COOKIE), headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()));
    req.extensions_mut().insert(locale);
    match ctx {
        Some(c) => {
            if path == "/login" {
                return Redirect::to("/").into_response();
            }
            // After an administrator's reset, nothing but choosing a new password.
            if c.must_change_password && !allowed_before_new_password(&path) {
                if path.starts_with("/api/") {
                    let body = serde_json::json!({"type": "about:blank", "title": "Forbidden", "status": 403,
                        "detail": "Choose a new password first (POST /api/v1/me/password, or sign in in the browser)."});
                    return (StatusCode::FORBIDDEN, [(header::CONTENT_TYPE, "application/problem+json")], body.to_string()).into_response();
                }
                return Redirect::to(CHANGE_PASSWORD).into_response();
            }
            req.extensions_mut().insert(c);
            next.run(req).await
        }
        None if is_public(&path) => next.run(req).await,
        None if path.starts_with("/api/") => {
            let body = serde_json::json!({"type": "about:blank", "title": "Unauthorized", "status": 401, "detail": "Sign in first."});
            (StatusCode::UNAUTHORIZED, [(header::CONTENT_TYPE, "application/problem+json")], body.to_string()).into_response()
        }
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
