//! The REST contract in-process: the real router, auth middleware and session store over a
//! real database (SQLite, or PostgreSQL with TEST_DATABASE_URL).
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::{rest, web};
use app::ssr::session_store::DbSessionStore;
use app::ssr::state::AppState;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use axum::Router;
use serde_json::{json, Value};
use std::sync::Arc;
use tower::ServiceExt;

mod account_edit;
mod accounts;
mod admin;
mod approvals;
mod auth;
mod authz;
mod board;
mod boundary;
mod contacts;
mod contracts;
mod deals;
mod document;
mod forecast;
mod market;
mod negotiations;
mod objections;
mod quotas;
mod quotes;
mod revisits;
mod room;
mod routes;

/// Asserts `v` is an object holding each of `keys` (null counts: the key is there).
fn assert_keys(v: &Value, keys: &[&str]) {
    for k in keys {
        assert!(v.get(k).is_some(), "{k} missing in {v}");
    }
}

/// Asserts a problem+json 404, as an unknown or invisible id answers.
fn assert_not_found((s, v): (StatusCode, Value)) {
    assert_eq!((s, v["status"].as_u64()), (StatusCode::NOT_FOUND, Some(404)), "{v}");
}

fn unknown_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

fn router(db: &app::ssr::db::Db) -> Router {
    let state = AppState {
        db: db.clone(),
        limiter: Arc::new(app::ssr::auth::LoginLimiter::default()),
        leptos_options: leptos::config::LeptosOptions::builder().output_name("dealgate").build(),
    };
    rest::router()
        .layer(axum::middleware::from_fn_with_state(state.clone(), web::auth))
        .layer(tower_sessions::SessionManagerLayer::new(DbSessionStore::new(db.conn().clone())))
        .with_state(state)
}

async fn call(app: &Router, method: Method, uri: &str, token: Option<&str>, body: Option<Value>) -> (StatusCode, Value) {
    let mut b = Request::builder().method(method).uri(uri);
    if let Some(t) = token {
        b = b.header("authorization", format!("Bearer {t}"));
    }
    let req = match body {
        Some(v) => b.header("content-type", "application/json").body(Body::from(v.to_string())).unwrap(),
        None => b.body(Body::empty()).unwrap(),
    };
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 24).await.unwrap();
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

async fn token(app: &Router, email: &str) -> String {
    let (s, v) =
        call(app, Method::POST, "/api/v1/auth/token", None, Some(json!({"email": email, "password": app::ssr::seed::DEMO_PASSWORD}))).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v["token"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_rep_can_neither_see_nor_move_another_teams_deal_over_rest() {
    let t = app::ssr::testdb::seeded().await.unwrap();
    let app = router(&t.db);
    let (s, _) = call(&app, Method::POST, "/api/v1/auth/token", None, Some(json!({"email": "rep@demo.local", "password": "wrong"}))).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let a = token(&app, "rep@demo.local").await;
    let b = token(&app, "rep2@demo.local").await;
    let (s, page) = call(&app, Method::GET, "/api/v1/deals?limit=500", Some(&a), None).await;
    assert_eq!(s, StatusCode::OK);
    let mine: Vec<String> = page["deals"].as_array().unwrap().iter().map(|d| d["id"].as_str().unwrap().to_owned()).collect();
    assert!(!mine.is_empty());
    let (_, theirs) = call(&app, Method::GET, "/api/v1/deals?limit=500", Some(&b), None).await;
    let theirs: Vec<&str> = theirs["deals"].as_array().unwrap().iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert!(mine.iter().all(|id| !theirs.contains(&id.as_str())), "team B's list holds none of team A's deals");
    let id = &mine[0];
    let (s, d) = call(&app, Method::GET, &format!("/api/v1/deals/{id}"), Some(&a), None).await;
    assert_eq!(s, StatusCode::OK);
    assert!(d["key_info"].is_object());
    let (s, problem) = call(&app, Method::GET, &format!("/api/v1/deals/{id}"), Some(&b), None).await;
    assert_eq!((s, problem["status"].as_u64()), (StatusCode::NOT_FOUND, Some(404)));
    let body = json!({"to_stage_id": d["stage_id"], "version": d["version"]});
    let (s, _) = call(&app, Method::POST, &format!("/api/v1/deals/{id}/moves"), Some(&b), Some(body)).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) =
        call(&app, Method::PATCH, &format!("/api/v1/deals/{id}"), Some(&b), Some(json!({"version": d["version"], "name": "x"}))).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = call(&app, Method::GET, &format!("/api/v1/deals/{id}/history"), Some(&b), None).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = call(&app, Method::GET, "/api/v1/deals", None, None).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn accounts_contacts_deals_and_patches_over_rest() {
    let t = app::ssr::testdb::seeded().await.unwrap();
    let app = router(&t.db);
    let rep = token(&app, "rep@demo.local").await;
    let rep2 = token(&app, "rep2@demo.local").await;
    let (s, p) = call(&app, Method::POST, "/api/v1/accounts", Some(&rep), Some(json!({"name": "  "}))).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    let (s, acct) = call(
        &app,
        Method::POST,
        "/api/v1/accounts",
        Some(&rep),
        Some(json!({"name": "青岛海川机械", "industry": "机械制造", "headcount": 800})),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{acct}");
    let aid = acct["id"].as_str().unwrap();
    let (s, _) = call(&app, Method::GET, &format!("/api/v1/accounts/{aid}/contacts"), Some(&rep2), None).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "another team's account is invisible");
    let (s, _) = call(
        &app,
        Method::POST,
        &format!("/api/v1/accounts/{aid}/contacts"),
        Some(&rep),
        Some(json!({"name": "王总", "email": "not-mail"})),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let (s, c) = call(
        &app,
        Method::POST,
        &format!("/api/v1/accounts/{aid}/contacts"),
        Some(&rep),
        Some(json!({"name": "王总", "title": "总经理", "email": "wang@haichuan.cn"})),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{c}");
    let (_, list) = call(&app, Method::GET, &format!("/api/v1/accounts/{aid}/contacts"), Some(&rep), None).await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    let (_, accounts) = call(&app, Method::GET, "/api/v1/accounts?q=%E6%B5%B7%E5%B7%9D", Some(&rep), None).await;
    assert!(accounts["accounts"].as_array().unwrap().iter().any(|a| a["id"].as_str() == Some(aid)), "search finds the new account");

    let new = json!({"name": "MES 一期", "account_id": aid, "amount_minor": 120_000_000, "expected_close_date": "2027-03-31"});
    let (s, d) = call(&app, Method::POST, "/api/v1/deals", Some(&rep), Some(new)).await;
    assert_eq!(s, StatusCode::CREATED, "{d}");
    assert_eq!(d["version"].as_i64(), Some(1));
    assert_eq!(d["currency"].as_str(), Some("CNY"));
    let id = d["id"].as_str().unwrap();
    let (s, _) = call(
        &app,
        Method::POST,
        "/api/v1/deals",
        Some(&rep),
        Some(json!({"name": "x", "account_id": aid, "amount_minor": -1, "expected_close_date": "2027-03-31"})),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);

    let patch = json!({"version": 1, "amount_minor": 150_000_000, "forecast_category": "best_case", "key_info": {"motivation": "产能翻倍", "competitors": "SAP"}});
    let (s, d2) = call(&app, Method::PATCH, &format!("/api/v1/deals/{id}"), Some(&rep), Some(patch.clone())).await;
    assert_eq!(s, StatusCode::OK, "{d2}");
    assert_eq!((d2["version"].as_i64(), d2["amount_minor"].as_i64()), (Some(2), Some(150_000_000)));
    assert_eq!(d2["key_info"]["motivation"].as_str(), Some("产能翻倍"));
    assert_eq!(d2["forecast_category"].as_str(), Some("best_case"));
    let (s, _) = call(&app, Method::PATCH, &format!("/api/v1/deals/{id}"), Some(&rep), Some(patch)).await;
    assert_eq!(s, StatusCode::CONFLICT, "a stale version never overwrites");
    let (s, p) =
        call(&app, Method::PATCH, &format!("/api/v1/deals/{id}"), Some(&rep), Some(json!({"version": 2, "key_info": {"bogus": 1}}))).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    let (_, h) = call(&app, Method::GET, &format!("/api/v1/deals/{id}/history"), Some(&rep), None).await;
    let kinds: Vec<&str> = h["history"].as_array().unwrap().iter().map(|r| r["kind"].as_str().unwrap()).collect();
    for k in ["created", "amount_changed", "category_changed", "key_info_changed"] {
        assert!(kinds.contains(&k), "{k} in {kinds:?}");
    }
}

#[tokio::test]
async fn the_deal_room_over_rest_keeps_to_visibility_and_refuses_loops() {
    let t = app::ssr::testdb::seeded().await.unwrap();
    let app = router(&t.db);
    let rep = token(&app, "rep@demo.local").await;
    let rep2 = token(&app, "rep2@demo.local").await;
    let (_, page) = call(&app, Method::GET, "/api/v1/deals?limit=1", Some(&rep), None).await;
    let id = page["deals"][0]["id"].as_str().unwrap().to_owned();
    for path in ["contacts", "checklists", "activities", "comments"] {
        let (s, _) = call(&app, Method::GET, &format!("/api/v1/deals/{id}/{path}"), Some(&rep2), None).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{path} of another team's deal");
        let (s, v) = call(&app, Method::GET, &format!("/api/v1/deals/{id}/{path}"), Some(&rep), None).await;
        assert_eq!(s, StatusCode::OK, "{path}: {v}");
    }
    let (_, m) = call(&app, Method::GET, &format!("/api/v1/deals/{id}/contacts"), Some(&rep), None).await;
    let mut ids: Vec<String> = m["people"].as_array().unwrap().iter().map(|p| p["contact_id"].as_str().unwrap().to_owned()).collect();
    ids.extend(m["candidates"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_owned()));
    assert!(ids.len() >= 2);
    let (a, b) = (&ids[0], &ids[1]);
    let looped = json!({"people": [
        {"contact_id": a, "reports_to": b, "role": "decision_maker", "influence_pct": 60},
        {"contact_id": b, "reports_to": a, "influence_pct": 40}
    ]});
    let (s, p) = call(&app, Method::PUT, &format!("/api/v1/deals/{id}/contacts"), Some(&rep), Some(looped.clone())).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    assert!(p["detail"].as_str().unwrap().contains("loop"), "{p}");
    let (s, _) = call(&app, Method::PUT, &format!("/api/v1/deals/{id}/contacts"), Some(&rep2), Some(looped)).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let tree = json!({"people": [
        {"contact_id": a, "role": "decision_maker", "influence_pct": 60, "attitude": "supporter", "relationship": 4},
        {"contact_id": b, "reports_to": a, "role": "coach", "influence_pct": 40}
    ]});
    let (s, m) = call(&app, Method::PUT, &format!("/api/v1/deals/{id}/contacts"), Some(&rep), Some(tree)).await;
    assert_eq!(s, StatusCode::OK, "{m}");
    assert_eq!(m["people"].as_array().unwrap().len(), 2);

    let (s, c) = call(&app, Method::POST, &format!("/api/v1/deals/{id}/checklists"), Some(&rep), Some(json!({"template": "demo"}))).await;
    assert_eq!(s, StatusCode::CREATED, "{c}");
    let item = &c["items"][0];
    let uri = format!("/api/v1/checklists/items/{}", item["id"]);
    let tick = json!({"version": item["version"], "done": true, "due": "2027-01-31"});
    let (s, c2) = call(&app, Method::POST, &uri, Some(&rep2), Some(tick.clone())).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{c2}");
    let (s, c2) = call(&app, Method::POST, &uri, Some(&rep), Some(tick.clone())).await;
    assert_eq!(s, StatusCode::OK, "{c2}");
    assert_eq!((c2["done"].as_u64(), c2["items"][0]["due"].as_str()), (Some(1), Some("2027-01-31")));
    let (s, _) = call(&app, Method::POST, &uri, Some(&rep), Some(tick)).await;
    assert_eq!(s, StatusCode::CONFLICT);

    let visit = json!({"kind": "visit", "date": "2026-01-05", "summary": "交流会", "satisfaction": 5});
    let (s, a) = call(&app, Method::POST, &format!("/api/v1/deals/{id}/activities"), Some(&rep), Some(visit)).await;
    assert_eq!(s, StatusCode::CREATED, "{a}");
    assert_eq!(a["late"].as_bool(), Some(true));
    let (s, p) =
        call(&app, Method::POST, &format!("/api/v1/deals/{id}/activities"), Some(&rep), Some(json!({"kind": "visit", "summary": "x"})))
            .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    let (s, cm) =
        call(&app, Method::POST, &format!("/api/v1/deals/{id}/comments"), Some(&rep), Some(json!({"body": "@manager 请看"}))).await;
    assert_eq!(s, StatusCode::CREATED, "{cm}");
    assert_eq!(cm["mentioned"], json!(["李伟"]));
    let (s, _) = call(&app, Method::POST, &format!("/api/v1/deals/{id}/comments"), Some(&rep2), Some(json!({"body": "hi"}))).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[test]
fn the_openapi_document_validates() {
    use utoipa::OpenApi;
    let doc = rest::ApiDoc::openapi();
    let text = serde_json::to_string(&doc).unwrap();
    let spec = oas3::from_json(&text).expect("a valid OpenAPI 3.1 document");
    assert!(!spec.paths.as_ref().map(|p| p.is_empty()).unwrap_or(true));
    // Every $ref points at a schema that exists, and every {param} in a path is declared.
    let v: Value = serde_json::from_str(&text).unwrap();
    let schemas = v["components"]["schemas"].as_object().unwrap();
    let mut refs = Vec::new();
    fn walk(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                if let Some(Value::String(r)) = m.get("$ref") {
                    out.push(r.clone());
                }
                m.values().for_each(|x| walk(x, out));
            }
            Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    walk(&v, &mut refs);
    assert!(!refs.is_empty());
    for r in refs {
        let name = r.strip_prefix("#/components/schemas/").expect("local schema ref");
        assert!(schemas.contains_key(name), "dangling $ref {r}");
    }
    for (path, ops) in v["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            assert!(op["responses"].as_object().is_some_and(|r| !r.is_empty()), "{method} {path} has no responses");
            for seg in path.split('/').filter(|s| s.starts_with('{')) {
                let name = seg.trim_matches(|c| c == '{' || c == '}');
                let declared = op["parameters"].as_array().is_some_and(|ps| ps.iter().any(|p| p["name"] == name && p["in"] == "path"));
                assert!(declared, "{method} {path} does not declare {name}");
            }
        }
    }
}
