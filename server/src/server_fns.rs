//! The edge of the server functions (`POST /api/{name}`; REST is `/api/v1/`): a bounded
//! body, and the typed error's own status on the wire. Leptos reads a body whole and
//! answers every error 500, so a 10 MB or undecodable body would be a server error.
use app::domain::error::AppError;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The largest body a server function takes; forms send a few kilobytes (the quota grid of a
/// large team, the biggest, some tens).
pub const MAX_BODY: usize = 2 << 20;

/// The header leptos puts on a server function's error answer.
const ERROR_HEADER: &str = "serverfnerror";

fn is_server_fn(req: &Request) -> bool {
    let path = req.uri().path();
    req.method() == Method::POST && path.starts_with("/api/") && !path.starts_with("/api/v1/")
}

fn refuse(status: StatusCode, e: &AppError) -> Response {
    let body = serde_json::to_string(e).unwrap_or_default();
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

pub async fn guard(req: Request, next: Next) -> Response {
    if !is_server_fn(&req) {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY).await else {
        return refuse(StatusCode::PAYLOAD_TOO_LARGE, &AppError::validation("body", format!("at most {} MB", MAX_BODY >> 20)));
    };
    let res = next.run(Request::from_parts(parts, Body::from(bytes))).await;
    if res.status() != StatusCode::INTERNAL_SERVER_ERROR || !res.headers().contains_key(ERROR_HEADER) {
        return res;
    }
    // An error the function never set a status for (its arguments did not decode): the
    // typed error says which status it is.
    let (mut parts, body) = res.into_parts();
    let bytes = axum::body::to_bytes(body, 1 << 20).await.unwrap_or_default();
    if let Ok(e) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    }
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.entry(header::CONTENT_TYPE).or_insert(HeaderValue::from_static("application/json"));
    Response::from_parts(parts, Body::from(bytes))
}
