//! POST /auth/token, and the bearer token it issues.
use super::{assert_keys, call, router, token};
use axum::http::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn a_token_is_issued_for_a_password_and_opens_the_api() {
    let t = app::ssr::testdb::seeded().await.unwrap();
    let app = router(&t.db);
    let body = json!({"email": "rep@demo.local", "password": app::ssr::seed::DEMO_PASSWORD});
    let (s, v) = call(&app, Method::POST, "/api/v1/auth/token", None, Some(body)).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_keys(&v, &["token", "expires_at"]);
    assert!(v["expires_at"].as_str().unwrap().parse::<chrono::DateTime<chrono::Utc>>().is_ok(), "{v}");
    let (s, _) = call(&app, Method::GET, "/api/v1/pipelines", v["token"].as_str(), None).await;
    assert_eq!(s, StatusCode::OK);

    let (s, p) = call(&app, Method::POST, "/api/v1/auth/token", None, Some(json!({"email": "nobody@demo.local", "password": "x"}))).await;
    assert_eq!((s, p["status"].as_u64()), (StatusCode::UNAUTHORIZED, Some(401)), "{p}");
    let (s, _) = call(&app, Method::GET, "/api/v1/pipelines", Some("not-a-token"), None).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let _ = token(&app, "manager@demo.local").await;
}
