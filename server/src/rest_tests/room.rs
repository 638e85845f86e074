//! The deal room: /deals/{id}/contacts (GET, PUT), /deals/{id}/checklists (GET, POST),
//! /checklists/items/{id} (POST), /deals/{id}/activities and /deals/{id}/comments (GET, POST).
use super::{assert_keys, assert_not_found, call, router, token, unknown_id};
use axum::http::{Method, StatusCode};
use axum::Router;
use serde_json::json;

async fn a_deal(app: &Router, tok: &str) -> String {
    let (_, page) = call(app, Method::GET, "/api/v1/deals?limit=1", Some(tok), None).await;
    page["deals"][0]["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn the_committee_map_is_read_and_replaced() {
    let t = app::ssr::testdb::seeded().await.unwrap();
    let app = router(&t.db);
    let rep = token(&app, "rep@demo.local").await;
    let uri = format!("/api/v1/deals/{}/contacts", a_deal(&app, &rep).await);
    let (s, m) = call(&app, Method::GET, &uri, Some(&rep), None).await;
    assert_eq!(s, StatusCode::OK, "{m}");
    assert_keys(&m, &["deal_id", "people", "warnings", "candidates"]);
    let someone = m["people"].get(0).map(|p| p["contact_id"].clone()).unwrap_or_else(|| m["candidates"][0]["id"].clone());
    let (s, m) =
        call(&app, Method::PUT, &uri, Some(&rep), Some(json!({"people": [{"contact_id": someone, "role": "decision_maker"}]}))).await;
    assert_eq!(s, StatusCode::OK, "{m}");
    let people = m["people"].as_array().unwrap();
    assert_eq!(people.len(), 1);
    let keys = ["contact_id", "name", "title", "department", "reports_to", "role", "influence_pct", "attitude", "relationship"];
    assert_keys(&people[0], &keys);
    assert_keys(&people[0], &["last_contact", "version"]);
    assert_eq!(people[0]["role"].as_str(), Some("decision_maker"));
    m["warnings"].as_array().unwrap().iter().for_each(|w| assert_keys(w, &["code", "contact_id", "message"]));

    let unknown = format!("/api/v1/deals/{}/contacts", unknown_id());
    assert_not_found(call(&app, Method::GET, &unknown, Some(&rep), None).await);
    assert_not_found(call(&app, Method::PUT, &unknown, Some(&rep), Some(json!({"people": []}))).await);
}

#[tokio::test]
async fn checklists_are_attached_listed_and_ticked() {
    let t = app::ssr::testdb::seeded().await.unwrap();
    let app = router(&t.db);
    let rep = token(&app, "rep@demo.local").await;
    let uri = format!("/api/v1/deals/{}/checklists", a_deal(&app, &rep).await);
    let (s, c) = call(&app, Method::POST, &uri, Some(&rep), Some(json!({"template": "proposal"}))).await;
    assert_eq!(s, StatusCode::CREATED, "{c}");
    let keys = ["id", "deal_id", "template", "kind", "name_en", "name_zh", "done", "total", "complete", "overdue", "items"];
    assert_keys(&c, &keys);
    let item_keys = ["id", "position", "text_en", "text_zh", "done", "done_by", "done_at", "owner_id", "owner", "due", "note", "link"];
    c["items"].as_array().unwrap().iter().for_each(|i| assert_keys(i, &item_keys));
    let (s, list) = call(&app, Method::GET, &uri, Some(&rep), None).await;
    assert_eq!(s, StatusCode::OK, "{list}");
    assert!(list.as_array().unwrap().iter().any(|x| x["id"] == c["id"]));
    let (s, p) = call(&app, Method::POST, &uri, Some(&rep), Some(json!({"template": "no-such-template"}))).await;
    assert!(s == StatusCode::UNPROCESSABLE_ENTITY || s == StatusCode::NOT_FOUND, "{s} {p}");

    let item = &c["items"][0];
    let edit = json!({"version": item["version"], "note": "见附件", "link": null});
    let (s, c2) = call(&app, Method::POST, &format!("/api/v1/checklists/items/{}", item["id"]), Some(&rep), Some(edit)).await;
    assert_eq!(s, StatusCode::OK, "{c2}");
    assert_eq!((&c2["id"], c2["items"][0]["note"].as_str()), (&c["id"], Some("见附件")));

    let unknown = format!("/api/v1/deals/{}/checklists", unknown_id());
    assert_not_found(call(&app, Method::GET, &unknown, Some(&rep), None).await);
    assert_not_found(call(&app, Method::POST, &unknown, Some(&rep), Some(json!({"template": "demo"}))).await);
    let no_item = "/api/v1/checklists/items/2147483647";
    assert_not_found(call(&app, Method::POST, no_item, Some(&rep), Some(json!({"version": 1, "done": true}))).await);
}

#[tokio::test]
async fn activities_and_comments_are_logged_and_listed() {
    let t = app::ssr::testdb::seeded().await.unwrap();
    let app = router(&t.db);
    let rep = token(&app, "rep@demo.local").await;
    let deal = a_deal(&app, &rep).await;
    let uri = format!("/api/v1/deals/{deal}/activities");
    let call_now = json!({"kind": "call", "at": chrono::Utc::now(), "summary": "确认需求"});
    let (s, a) = call(&app, Method::POST, &uri, Some(&rep), Some(call_now)).await;
    assert_eq!(s, StatusCode::CREATED, "{a}");
    let keys = ["id", "deal_id", "kind", "at", "all_day", "recorded_at", "author", "channel", "people", "summary", "satisfaction"];
    assert_keys(&a, &keys);
    assert_keys(&a, &["new_needs", "next_action", "next_owner_id", "next_due", "next_done", "late"]);
    assert_eq!((a["deal_id"].as_str(), a["all_day"].as_bool(), a["late"].as_bool()), (Some(deal.as_str()), Some(false), Some(false)));
    let (s, list) = call(&app, Method::GET, &uri, Some(&rep), None).await;
    assert_eq!(s, StatusCode::OK, "{list}");
    assert!(list.as_array().unwrap().iter().any(|x| x["id"] == a["id"]));

    let uri = format!("/api/v1/deals/{deal}/comments");
    let (s, c) = call(&app, Method::POST, &uri, Some(&rep), Some(json!({"body": "报价已发"}))).await;
    assert_eq!(s, StatusCode::CREATED, "{c}");
    assert_keys(&c, &["id", "author", "body", "created_at", "mentioned"]);
    assert_eq!(c["mentioned"], json!([]));
    let (s, list) = call(&app, Method::GET, &uri, Some(&rep), None).await;
    assert_eq!(s, StatusCode::OK, "{list}");
    assert!(list["comments"].as_array().unwrap().iter().any(|x| x["id"] == c["id"]));

    let unknown = unknown_id();
    for (path, body) in [("activities", json!({"kind": "call", "date": "2026-01-05", "summary": "x"})), ("comments", json!({"body": "x"}))]
    {
        let uri = format!("/api/v1/deals/{unknown}/{path}");
        assert_not_found(call(&app, Method::GET, &uri, Some(&rep), None).await);
        assert_not_found(call(&app, Method::POST, &uri, Some(&rep), Some(body)).await);
    }
}

/// Comments come a page at a time, newest first, with a cursor to the older ones: nothing is
/// cut off silently (the list used to stop at the newest 500).
#[tokio::test]
async fn comments_are_paged_newest_first_and_executives_only_read_them() {
    let t = app::ssr::testdb::seeded().await.unwrap();
    let app = router(&t.db);
    let rep = token(&app, "rep@demo.local").await;
    let deal = a_deal(&app, &rep).await;
    let uri = format!("/api/v1/deals/{deal}/comments");
    let mut posted = Vec::new();
    for i in 0..5 {
        let (s, c) = call(&app, Method::POST, &uri, Some(&rep), Some(json!({"body": format!("第{i}条")}))).await;
        assert_eq!(s, StatusCode::CREATED, "{c}");
        posted.push(c["id"].as_str().unwrap().to_owned());
    }
    posted.reverse();
    let mut seen = Vec::new();
    let mut next = format!("{uri}?limit=2");
    let mut pages = 0;
    loop {
        let (s, page) = call(&app, Method::GET, &next, Some(&rep), None).await;
        assert_eq!(s, StatusCode::OK, "{page}");
        pages += 1;
        let rows = page["comments"].as_array().unwrap();
        assert!(rows.len() <= 2, "{page}");
        seen.extend(rows.iter().map(|c| c["id"].as_str().unwrap().to_owned()));
        match page["older"].as_str() {
            Some(older) => next = format!("{uri}?limit=2&before={older}"),
            None => break,
        }
    }
    // The seeded deal may have comments of its own: ours are the newest five, in order.
    assert_eq!(&seen[..5], &posted[..], "newest first, none twice, none missing");
    assert_eq!(seen.iter().collect::<std::collections::HashSet<_>>().len(), seen.len());
    assert!(pages >= 3);
    let (s, all) = call(&app, Method::GET, &uri, Some(&rep), None).await;
    assert_eq!((s, all["comments"].as_array().unwrap().len()), (StatusCode::OK, seen.len().min(50)));

    for bad in ["limit=0", "limit=201", &format!("before={}", unknown_id())] {
        let (s, p) = call(&app, Method::GET, &format!("{uri}?{bad}"), Some(&rep), None).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {p}");
        let field = bad.split('=').next().unwrap();
        assert!(p["detail"].as_str().unwrap().contains(field), "{bad}: {p}");
    }

    // Executives read the comments but cannot post; legal can.
    let exec = token(&app, "exec@demo.local").await;
    let (s, _) = call(&app, Method::GET, &uri, Some(&exec), None).await;
    assert_eq!(s, StatusCode::OK);
    let (s, p) = call(&app, Method::POST, &uri, Some(&exec), Some(json!({"body": "看看"}))).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{p}");
    let legal = token(&app, "legal@demo.local").await;
    let (s, p) = call(&app, Method::POST, &uri, Some(&legal), Some(json!({"body": "合同条款已审"}))).await;
    assert_eq!(s, StatusCode::CREATED, "{p}");
    let (_, after) = call(&app, Method::GET, &format!("{uri}?limit=200"), Some(&rep), None).await;
    assert_eq!(after["comments"].as_array().unwrap().len(), seen.len() + 1, "the executive's comment was not stored");
}
