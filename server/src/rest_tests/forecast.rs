//! GET /forecast and GET /progress.
use super::{assert_keys, call, router, token};
use axum::http::{Method, StatusCode};

#[tokio::test]
async fn the_forecast_groups_and_sums() {
    let t = app::ssr::testdb::seeded().await.unwrap();
    let app = router(&t.db);
    let exec = token(&app, "exec@demo.local").await;
    for by in ["owner", "team", "pipeline", "bucket", "category", "month", "quarter", "year"] {
        let (s, f) = call(&app, Method::GET, &format!("/api/v1/forecast?group_by={by}"), Some(&exec), None).await;
        assert_eq!(s, StatusCode::OK, "{by}: {f}");
        assert_keys(&f, &["group_by", "period", "rows", "total_weighted_minor"]);
        assert_eq!(f["group_by"].as_str(), Some(by));
        let rows = f["rows"].as_array().unwrap();
        rows.iter().for_each(|r| {
            assert_keys(r, &["key", "label", "open_count", "open_amount_minor", "weighted_minor", "won_count", "won_amount_minor"])
        });
        let sum: i64 = rows.iter().map(|r| r["weighted_minor"].as_i64().unwrap()).sum();
        assert_eq!(f["total_weighted_minor"].as_i64(), Some(sum), "{by}");
    }
    let (s, f) = call(&app, Method::GET, "/api/v1/forecast", Some(&exec), None).await;
    assert_eq!((s, f["group_by"].as_str()), (StatusCode::OK, Some("owner")), "owner is the default");
    let (s, p) = call(&app, Method::GET, "/api/v1/forecast?group_by=colour", Some(&exec), None).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    let (s, p) = call(&app, Method::GET, "/api/v1/forecast?period=someday", Some(&exec), None).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
}

#[tokio::test]
async fn progress_parts_add_up_to_the_change() {
    let t = app::ssr::testdb::seeded().await.unwrap();
    let app = router(&t.db);
    let manager = token(&app, "manager@demo.local").await;
    let (s, p) = call(&app, Method::GET, "/api/v1/progress?from=2026-01-01&to=2026-03-31", Some(&manager), None).await;
    assert_eq!(s, StatusCode::OK, "{p}");
    assert_keys(&p, &["from", "to", "value_from_minor", "value_to_minor", "total_minor", "parts"]);
    assert_eq!(p["from"].as_str(), Some("2026-01-01"));
    let parts = p["parts"].as_object().unwrap();
    assert_eq!(parts.len(), 9, "{p}");
    let sum: i64 = parts.values().map(|v| v.as_i64().unwrap()).sum();
    assert_eq!(p["total_minor"].as_i64(), Some(sum));
    let (s, _) = call(&app, Method::GET, "/api/v1/progress", Some(&manager), None).await;
    assert_eq!(s, StatusCode::OK, "this week by default");
}

/// Regression (issue 13): a far `to` reached `d + 1 day` and the server panicked (the
/// connection dropped). It is now a 422 naming the field.
#[tokio::test]
async fn a_far_progress_date_is_refused_naming_the_field() {
    let t = app::ssr::testdb::seeded().await.unwrap();
    let app = router(&t.db);
    let exec = token(&app, "exec@demo.local").await;
    for (q, field) in [("to=%2B262142-12-31", "to"), ("from=1000-01-01", "from"), ("to=2201-01-01", "to")] {
        let (s, p) = call(&app, Method::GET, &format!("/api/v1/progress?{q}"), Some(&exec), None).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{q}: {p}");
        assert!(p.to_string().contains(field), "{q}: the problem names {field}: {p}");
    }
}
