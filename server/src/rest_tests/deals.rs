//! GET/POST /deals, GET/PATCH /deals/{id}, POST /deals/{id}/moves, GET /deals/{id}/history.
use super::{assert_keys, assert_not_found, call, router, token, unknown_id};
use axum::http::{Method, StatusCode};
use axum::Router;
use serde_json::{json, Value};

const DEAL: [&str; 13] = [
    "id",
    "name",
    "account",
    "owner",
    "stage_id",
    "amount_minor",
    "currency",
    "win_rate_pct",
    "weighted_minor",
    "expected_close_date",
    "version",
    "key_info_complete",
    "pending_approval",
];

/// A new deal of the rep's in the first stage of the default pipeline.
async fn new_deal(app: &Router, rep: &str) -> Value {
    let (_, page) = call(app, Method::GET, "/api/v1/accounts", Some(rep), None).await;
    let account = &page["accounts"][0]["id"];
    let new = json!({"name": "产线改造", "account_id": account, "amount_minor": 80_000_000, "expected_close_date": "2027-06-30"});
    let (s, d) = call(app, Method::POST, "/api/v1/deals", Some(rep), Some(new)).await;
    assert_eq!(s, StatusCode::CREATED, "{d}");
    d
}

/// The open stage after `stage_id` in its pipeline.
async fn next_stage(app: &Router, tok: &str, stage_id: &Value) -> Value {
    let (_, ps) = call(app, Method::GET, "/api/v1/pipelines", Some(tok), None).await;
    let stages = ps.as_array().unwrap().iter().map(|p| p["stages"].as_array().unwrap()).find(|st| st.iter().any(|s| &s["id"] == stage_id));
    let stages = stages.unwrap();
    let at = stages.iter().find(|s| &s["id"] == stage_id).unwrap()["position"].as_i64().unwrap();
    stages.iter().filter(|s| s["kind"] == "open" && s["position"].as_i64().unwrap() > at).min_by_key(|s| s["position"].as_i64()).unwrap()
        ["id"]
        .clone()
}

#[tokio::test]
async fn deals_are_listed_by_cursor_read_created_and_patched() {
    let t = app::ssr::testdb::seeded().await.unwrap();
    let app = router(&t.db);
    let rep = token(&app, "rep@demo.local").await;
    let (s, page) = call(&app, Method::GET, "/api/v1/deals?limit=2", Some(&rep), None).await;
    assert_eq!(s, StatusCode::OK, "{page}");
    assert_keys(&page, &["deals", "next_cursor"]);
    let first = page["deals"].as_array().unwrap();
    assert_eq!(first.len(), 2);
    first.iter().for_each(|d| assert_keys(d, &DEAL));
    assert!(first.iter().all(|d| d.get("key_info").is_none()), "lists leave the key information out");
    let cursor = page["next_cursor"].as_str().unwrap();
    let (s, next) = call(&app, Method::GET, &format!("/api/v1/deals?limit=2&cursor={cursor}"), Some(&rep), None).await;
    assert_eq!(s, StatusCode::OK, "{next}");
    assert!(next["deals"].as_array().unwrap().iter().all(|d| first.iter().all(|f| f["id"] != d["id"])), "the next page is new");
    let (s, p) = call(&app, Method::GET, "/api/v1/deals?cursor=zz", Some(&rep), None).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");

    let d = new_deal(&app, &rep).await;
    assert_keys(&d, &DEAL);
    assert!(d["key_info"].is_object());
    let id = d["id"].as_str().unwrap();
    let (s, got) = call(&app, Method::GET, &format!("/api/v1/deals/{id}"), Some(&rep), None).await;
    assert_eq!((s, &got), (StatusCode::OK, &d));
    let (s, patched) =
        call(&app, Method::PATCH, &format!("/api/v1/deals/{id}"), Some(&rep), Some(json!({"version": 1, "name": "产线改造二期"}))).await;
    assert_eq!(s, StatusCode::OK, "{patched}");
    assert_eq!((patched["name"].as_str(), patched["version"].as_i64()), (Some("产线改造二期"), Some(2)));

    let unknown = format!("/api/v1/deals/{}", unknown_id());
    assert_not_found(call(&app, Method::GET, &unknown, Some(&rep), None).await);
    assert_not_found(call(&app, Method::PATCH, &unknown, Some(&rep), Some(json!({"version": 1, "name": "x"}))).await);
}

#[tokio::test]
async fn a_move_is_blocked_until_its_facts_are_there_then_moves_and_is_in_the_history() {
    let t = app::ssr::testdb::seeded().await.unwrap();
    let app = router(&t.db);
    let rep = token(&app, "rep@demo.local").await;
    let d = new_deal(&app, &rep).await;
    let id = d["id"].as_str().unwrap();
    let to = next_stage(&app, &rep, &d["stage_id"]).await;
    let uri = format!("/api/v1/deals/{id}/moves");
    let (s, blocked) = call(&app, Method::POST, &uri, Some(&rep), Some(json!({"to_stage_id": to, "version": 1}))).await;
    assert_eq!((s, blocked["outcome"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("blocked")), "{blocked}");
    blocked["missing"].as_array().unwrap().iter().for_each(|m| assert_keys(m, &["code", "message"]));
    assert!(blocked.get("deal").is_none(), "{blocked}");

    let facts = json!({"version": 1, "key_info": {"motivation": "产能不足", "competitors": "用友"}});
    let (s, _) = call(&app, Method::PATCH, &format!("/api/v1/deals/{id}"), Some(&rep), Some(facts)).await;
    assert_eq!(s, StatusCode::OK);
    let (s, moved) = call(&app, Method::POST, &uri, Some(&rep), Some(json!({"to_stage_id": to, "version": 2}))).await;
    assert_eq!((s, moved["outcome"].as_str()), (StatusCode::OK, Some("moved")), "{moved}");
    assert_keys(&moved["deal"], &DEAL);
    assert_eq!((&moved["deal"]["stage_id"], moved["deal"]["version"].as_i64()), (&to, Some(3)));
    let (s, p) = call(&app, Method::POST, &uri, Some(&rep), Some(json!({"to_stage_id": to, "version": 2}))).await;
    assert_eq!((s, p["status"].as_u64()), (StatusCode::CONFLICT, Some(409)), "{p}");
    // It says what changed: the version the deal is at now and its last change.
    let detail = p["detail"].as_str().unwrap_or_default();
    assert!(detail.contains("now at version 3 (last: moved by ") && detail.contains(" UTC)"), "{detail}");

    let (s, h) = call(&app, Method::GET, &format!("/api/v1/deals/{id}/history"), Some(&rep), None).await;
    assert_eq!(s, StatusCode::OK, "{h}");
    assert_keys(&h, &["history", "older"]);
    assert_eq!(h["older"], Value::Null, "a few rows fit one page");
    let rows = h["history"].as_array().unwrap();
    rows.iter().for_each(|r| {
        let keys = ["at", "actor", "kind", "from_stage_id", "to_stage_id", "old_amount_minor", "new_amount_minor"];
        assert_keys(r, &keys);
        assert_keys(r, &["old_close_date", "new_close_date", "note"]);
    });
    assert!(rows.iter().any(|r| r["to_stage_id"] == to), "{h}");

    let unknown = unknown_id();
    assert_not_found(
        call(&app, Method::POST, &format!("/api/v1/deals/{unknown}/moves"), Some(&rep), Some(json!({"to_stage_id": to, "version": 1})))
            .await,
    );
    assert_not_found(call(&app, Method::GET, &format!("/api/v1/deals/{unknown}/history"), Some(&rep), None).await);
}

/// Regression (issue 13): rep@ set a teammate's deal amount to ¥1 and moved it. Seeing the
/// team's deals is intended; changing them is 403, and a huge amount is a 422.
#[tokio::test]
async fn a_rep_reads_but_cannot_change_a_teammates_deal() {
    let t = app::ssr::testdb::seeded().await.unwrap();
    let app = router(&t.db);
    let mate = token(&app, "rep3@demo.local").await;
    let rep = token(&app, "rep@demo.local").await;
    let d = new_deal(&app, &mate).await;
    let id = d["id"].as_str().unwrap();
    let (s, seen) = call(&app, Method::GET, &format!("/api/v1/deals/{id}"), Some(&rep), None).await;
    assert_eq!(s, StatusCode::OK, "a teammate's deal is visible: {seen}");
    let patch = json!({"version": d["version"], "amount_minor": 100});
    let (s, p) = call(&app, Method::PATCH, &format!("/api/v1/deals/{id}"), Some(&rep), Some(patch)).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{p}");
    let to = next_stage(&app, &rep, &d["stage_id"]).await;
    let mv = json!({"to_stage_id": to, "version": d["version"]});
    let (s, p) = call(&app, Method::POST, &format!("/api/v1/deals/{id}/moves"), Some(&rep), Some(mv)).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{p}");
    let (_, after) = call(&app, Method::GET, &format!("/api/v1/deals/{id}"), Some(&mate), None).await;
    assert_eq!((&after["amount_minor"], &after["stage_id"], &after["version"]), (&d["amount_minor"], &d["stage_id"], &d["version"]));
    // The owner's own patch with an amount past 10¹⁵ fen names the field.
    let huge = json!({"version": d["version"], "amount_minor": i64::MAX});
    let (s, p) = call(&app, Method::PATCH, &format!("/api/v1/deals/{id}"), Some(&mate), Some(huge)).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    assert!(p.to_string().contains("amount"), "{p}");
}

/// A deal's history pages newest first by `before`/`older`: the pages join into exactly the
/// whole history, and a limit or cursor out of range is a 422 naming it.
#[tokio::test]
async fn a_deals_history_pages_by_cursor() {
    let t = app::ssr::testdb::seeded().await.unwrap();
    let app = router(&t.db);
    let rep = token(&app, "rep@demo.local").await;
    let d = new_deal(&app, &rep).await;
    let other = new_deal(&app, &rep).await;
    let id = d["id"].as_str().unwrap();
    let mut version = d["version"].as_i64().unwrap();
    for i in 1..=6 {
        let patch = json!({"version": version, "amount_minor": 80_000_000 + i * 1_000_000});
        let (s, p) = call(&app, Method::PATCH, &format!("/api/v1/deals/{id}"), Some(&rep), Some(patch)).await;
        assert_eq!(s, StatusCode::OK, "{p}");
        version = p["version"].as_i64().unwrap();
    }
    let (s, whole) = call(&app, Method::GET, &format!("/api/v1/deals/{id}/history"), Some(&rep), None).await;
    assert_eq!(s, StatusCode::OK, "{whole}");
    let whole = whole["history"].as_array().unwrap().clone();
    assert_eq!(whole.len(), 7, "created and six amount changes");
    let (mut paged, mut before, mut pages) = (Vec::new(), None::<i64>, 0);
    loop {
        let uri = format!("/api/v1/deals/{id}/history?limit=3") + &before.map(|b| format!("&before={b}")).unwrap_or_default();
        let (s, page) = call(&app, Method::GET, &uri, Some(&rep), None).await;
        assert_eq!(s, StatusCode::OK, "{page}");
        paged.extend(page["history"].as_array().unwrap().iter().cloned());
        pages += 1;
        match page["older"].as_i64() {
            Some(b) => before = Some(b),
            None => break,
        }
    }
    assert_eq!((pages, &paged), (3, &whole), "3 + 3 + 1 rows, in the one page's order");
    assert_eq!(whole.last().unwrap()["kind"], "created");

    // Another deal's row is no cursor here; limits outside 1–500 are refused by name.
    let (_, theirs) =
        call(&app, Method::GET, &format!("/api/v1/deals/{}/history?limit=1", other["id"].as_str().unwrap()), Some(&rep), None).await;
    assert_eq!(theirs["older"], Value::Null);
    let (_, mine) = call(&app, Method::GET, &format!("/api/v1/deals/{id}/history?limit=1"), Some(&rep), None).await;
    let my_cursor = mine["older"].as_i64().unwrap();
    let (s, _) =
        call(&app, Method::GET, &format!("/api/v1/deals/{}/history?before={my_cursor}", other["id"].as_str().unwrap()), Some(&rep), None)
            .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    for (query, field) in [("limit=0", "limit"), ("limit=501", "limit"), ("before=-1", "before"), ("before=9223372036854775807", "before")]
    {
        let (s, p) = call(&app, Method::GET, &format!("/api/v1/deals/{id}/history?{query}"), Some(&rep), None).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {p}");
        assert!(p.to_string().contains(field), "{query} names {field}: {p}");
    }
}
