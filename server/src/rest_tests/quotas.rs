//! GET/PUT /quotas, POST /quotas/import, DELETE /quotas/{id}.
use super::{assert_keys, assert_not_found, call, router, token, unknown_id};
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use serde_json::{json, Value};
use tower::ServiceExt;

const QUOTA: [&str; 8] = ["id", "user_id", "user_name", "email", "period_start", "period_end", "amount_minor", "version"];

#[tokio::test]
async fn a_manager_sets_lists_and_deletes_a_quota() {
    let t = app::ssr::testdb::seeded().await.unwrap();
    let app = router(&t.db);
    let manager = token(&app, "manager@demo.local").await;
    let rep = token(&app, "rep@demo.local").await;
    let q = json!({"user": "rep@demo.local", "period_start": "2031-01-01", "period_end": "2031-03-31", "amount_minor": 500_000_000});
    let (s, p) = call(&app, Method::PUT, "/api/v1/quotas", Some(&rep), Some(q.clone())).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "a rep reads their quota only: {p}");
    let (s, set) = call(&app, Method::PUT, "/api/v1/quotas", Some(&manager), Some(q)).await;
    assert_eq!(s, StatusCode::OK, "{set}");
    let set = set.as_array().unwrap();
    assert_eq!(set.len(), 1);
    assert_keys(&set[0], &QUOTA);
    assert_eq!((set[0]["email"].as_str(), set[0]["amount_minor"].as_i64()), (Some("rep@demo.local"), Some(500_000_000)));

    let (s, list) = call(&app, Method::GET, "/api/v1/quotas?from=2031-01-01&to=2031-12-31", Some(&rep), None).await;
    assert_eq!(s, StatusCode::OK, "{list}");
    assert_eq!(list.as_array().unwrap().iter().map(|q| &q["id"]).collect::<Vec<_>>(), [&set[0]["id"]], "the rep sees their own");

    let uri = format!("/api/v1/quotas/{}", set[0]["id"].as_str().unwrap());
    let (s, p) = call(&app, Method::DELETE, &uri, Some(&rep), None).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{p}");
    let (s, _) = call(&app, Method::DELETE, &uri, Some(&manager), None).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert_not_found(call(&app, Method::DELETE, &uri, Some(&manager), None).await);
    assert_not_found(call(&app, Method::DELETE, &format!("/api/v1/quotas/{}", unknown_id()), Some(&manager), None).await);
}

/// Posts CSV text, as the import takes it.
async fn import(app: &axum::Router, tok: &str, csv: &str) -> (StatusCode, Value) {
    let req = Request::post("/api/v1/quotas/import")
        .header("authorization", format!("Bearer {tok}"))
        .header("content-type", "text/csv")
        .body(Body::from(csv.to_owned()))
        .unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 20).await.unwrap();
    (status, serde_json::from_slice(&bytes).unwrap())
}

#[tokio::test]
async fn quotas_are_imported_from_csv_all_or_nothing() {
    let t = app::ssr::testdb::seeded().await.unwrap();
    let app = router(&t.db);
    let manager = token(&app, "manager@demo.local").await;
    let (s, r) = import(&app, &manager, "email,period_start,period_end,amount\nrep@demo.local,2032-01-01,2032-03-31,1200000\n").await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r, json!({"imported": 1, "errors": []}));
    let (s, r) = import(&app, &manager, "rep3@demo.local,2032-01-01,2032-03-31,1000\nrep@demo.local,someday,2032-03-31,1\n").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{r}");
    assert_eq!(r["imported"].as_u64(), Some(0));
    assert_eq!(r["errors"][0][0].as_u64(), Some(2), "[line, message]: {r}");
    let (_, list) = call(&app, Method::GET, "/api/v1/quotas?from=2032-01-01&to=2032-03-31", Some(&manager), None).await;
    let emails: Vec<&str> = list.as_array().unwrap().iter().map(|q| q["email"].as_str().unwrap()).collect();
    assert_eq!(emails, ["rep@demo.local"], "the bad file imported nothing");
}
