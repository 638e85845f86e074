//! The objection log over REST: shapes, a step that needs words, bad input named, the team
//! view.
use super::{assert_keys, call, router, token};
use axum::http::{Method, StatusCode};
use serde_json::{json, Value};

#[tokio::test]
async fn objections_are_logged_stepped_and_reported_over_rest() {
    let t = app::ssr::testdb::seeded().await.unwrap();
    let app = router(&t.db);
    let (rep, rep2) = (token(&app, "rep@demo.local").await, token(&app, "rep2@demo.local").await);
    let (_, deals) = call(&app, Method::GET, "/api/v1/deals?limit=50", Some(&rep), None).await;
    let deal = deals["deals"].as_array().unwrap().iter().find(|d| d["owner"] == "王磊").unwrap_or(&deals["deals"][0]).clone();
    let uri = format!("/api/v1/deals/{}/objections", deal["id"].as_str().unwrap());
    let body = json!({"raised_on": "2026-11-20", "category": "wants_site_visit", "said": "想先看看样板客户", "due_on": "2026-12-20"});
    let (s, o) = call(&app, Method::POST, &uri, Some(&rep), Some(body.clone())).await;
    assert_eq!(s, StatusCode::CREATED, "{o}");
    assert_keys(
        &o,
        &[
            "id",
            "deal_id",
            "raised_on",
            "category",
            "raised_by",
            "raised_by_name",
            "said",
            "demand",
            "strategy",
            "owner_id",
            "owner",
            "due_on",
            "resolved_on",
            "feedback",
            "status",
            "overdue",
            "updated_at",
            "version",
        ],
    );
    assert_eq!((o["status"].clone(), o["category"].clone()), (json!("open"), json!("wants_site_visit")));
    let (s, list) = call(&app, Method::GET, &uri, Some(&rep), None).await;
    assert_eq!(s, StatusCode::OK);
    assert!(list.as_array().unwrap().iter().any(|x| x["id"] == o["id"]));
    // Another team's rep: the deal does not exist for them.
    assert_eq!(call(&app, Method::GET, &uri, Some(&rep2), None).await.0, StatusCode::NOT_FOUND);

    let mut bad = body.clone();
    bad["category"] = json!("too_expensive");
    let (s, p) = call(&app, Method::POST, &uri, Some(&rep), Some(bad)).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(p["detail"].as_str().unwrap().contains("category"), "{p}");

    let step = format!("/api/v1/objections/{}/status", o["id"].as_str().unwrap());
    let (s, p) = call(&app, Method::POST, &step, Some(&rep), Some(json!({"to": "resolved", "version": o["version"]}))).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(p["detail"].as_str().unwrap().contains("feedback"), "{p}");
    let (s, p) = call(&app, Method::POST, &step, Some(&rep), Some(json!({"to": "resolved", "feedback": "ok", "version": 99}))).await;
    assert_eq!(s, StatusCode::CONFLICT, "{p}");
    let (s, done) =
        call(&app, Method::POST, &step, Some(&rep), Some(json!({"to": "resolved", "feedback": "参观后认可", "version": o["version"]})))
            .await;
    assert_eq!(s, StatusCode::OK, "{done}");
    assert_eq!((done["status"].clone(), done["feedback"].clone()), (json!("resolved"), json!("参观后认可")));

    let (s, report) = call(&app, Method::GET, "/api/v1/objections/report", Some(&rep), None).await;
    assert_eq!(s, StatusCode::OK);
    let visit: &Value = report.as_array().unwrap().iter().find(|r| r["category"] == "wants_site_visit").unwrap();
    assert_eq!((visit["raised"].clone(), visit["resolved"].clone()), (json!(1), json!(1)));
}
