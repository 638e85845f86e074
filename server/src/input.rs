//! Text PostgreSQL cannot store: a NUL character ("invalid byte sequence for encoding UTF8:
//! 0x00") fails any statement that binds it, a 500 on PostgreSQL while SQLite takes it. No
//! field of the app means a NUL, so a query string or a JSON or form body carrying one is
//! refused here, once, before any handler, page or server function binds it.
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Bodies larger than this are left to their handlers' own limits (uploads are files).
const SCANNED: usize = 2 << 20;

fn has_nul_escape(text: &[u8], escape: &[u8]) -> bool {
    text.windows(escape.len()).any(|w| w.eq_ignore_ascii_case(escape))
}

/// The refusal in the shape the caller reads: problem+json for REST, the typed error for a
/// server function or page.
fn refuse_with(path: &str, status: StatusCode, what: &str, why: &str) -> Response {
    if path.starts_with("/api/v1/") {
        let body = serde_json::json!({"type": "about:blank", "title": status.canonical_reason().unwrap_or("Error"),
            "status": status.as_u16(), "detail": format!("Please correct {what}: {why}")});
        return (status, [(header::CONTENT_TYPE, "application/problem+json")], body.to_string()).into_response();
    }
    let e = app::domain::error::AppError::validation(what, why);
    (status, [(header::CONTENT_TYPE, "application/json")], serde_json::to_string(&e).unwrap_or_default()).into_response()
}

fn refuse(path: &str, what: &str) -> Response {
    refuse_with(path, StatusCode::UNPROCESSABLE_ENTITY, what, "contains a NUL character")
}

pub async fn refuse_nul(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    if req.uri().query().is_some_and(|q| has_nul_escape(q.as_bytes(), b"%00")) {
        return refuse(&path, "query");
    }
    let ct = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let escape: &[u8] = if ct.starts_with("application/json") {
        b"\\u0000"
    } else if ct.starts_with("application/x-www-form-urlencoded") {
        b"%00"
    } else {
        return next.run(req).await;
    };
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, SCANNED).await else {
        return refuse_with(&path, StatusCode::PAYLOAD_TOO_LARGE, "body", &format!("at most {} MB", SCANNED >> 20));
    };
    if has_nul_escape(&bytes, escape) || bytes.contains(&0) {
        return refuse(&path, "body");
    }
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn finds_nul_escapes() {
        assert!(super::has_nul_escape(b"q=a%00b", b"%00"));
        assert!(super::has_nul_escape(br#"{"a":"\u0000"}"#, b"\\u0000"));
        assert!(!super::has_nul_escape(br#"{"a":"\u0001 %0A"}"#, b"\\u0000"));
        assert!(!super::has_nul_escape(b"q=100", b"%00"));
    }
}
