//! POST /accounts/{id}/revisits, GET /accounts/due, GET/PUT /accounts/cadence.
use super::{call, router, token};
use axum::http::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn revisits_due_lists_and_the_cadence_over_rest() {
    let t = app::ssr::testdb::seeded().await.unwrap();
    let app = router(&t.db);
    let rep = token(&app, "rep@demo.local").await;
    let admin = token(&app, "admin@demo.local").await;
    let today = app::ssr::service::account::cadence::today();
    let (_, a) = call(&app, Method::POST, "/api/v1/accounts", Some(&rep), Some(json!({"name": "回访接口测试"}))).await;
    let id = a["id"].as_str().unwrap().to_owned();
    let uri = format!("/api/v1/accounts/{id}/revisits");

    // Bad input answers 422 naming the field, and writes nothing.
    for (body, field) in [
        (json!({"visited_on": today, "channel": "fax", "feedback": "x", "satisfaction": 4}), "channel"),
        (json!({"visited_on": today, "channel": "phone", "feedback": "x", "satisfaction": 300}), "satisfaction"),
        (json!({"visited_on": today, "channel": "phone", "feedback": "x", "satisfaction": -1}), "satisfaction"),
        (json!({"visited_on": today, "channel": "phone", "feedback": " ", "satisfaction": 4}), "feedback"),
        (json!({"visited_on": "9999-12-31", "channel": "phone", "feedback": "x", "satisfaction": 4}), "visited_on"),
    ] {
        let (s, p) = call(&app, Method::POST, &uri, Some(&rep), Some(body)).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
        assert!(p.to_string().contains(field), "{field}: {p}");
    }
    let (_, detail) = call(&app, Method::GET, &format!("/api/v1/accounts/{id}"), Some(&rep), None).await;
    assert_eq!(detail["relationship"]["revisits"].as_array().unwrap().len(), 0);
    assert_eq!(detail["relationship"]["status"], "campaign_only", "ungraded, nothing planned: {detail}");

    let plan = today.checked_add_days(chrono::Days::new(10)).unwrap();
    let body = json!({"visited_on": today, "channel": "visit", "feedback": "运行正常", "satisfaction": 5, "next_visit_on": plan});
    let (s, v) = call(&app, Method::POST, &uri, Some(&rep), Some(body)).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let rel = &v["relationship"];
    assert_eq!(rel["last_contact_on"], json!(today));
    assert_eq!(rel["next_contact_on"], json!(plan), "the planned visit sets the due date of an ungraded account");
    assert_eq!(rel["revisits"][0]["channel"], "visit");
    assert_eq!(rel["revisits"][0]["satisfaction"], 5);

    // The due lists: mine by default, team on request, anything else refused.
    let (s, due) = call(&app, Method::GET, "/api/v1/accounts/due", Some(&rep), None).await;
    assert_eq!(s, StatusCode::OK, "{due}");
    assert!(due["overdue"].as_u64().unwrap() >= 1, "the demo gives the rep an overdue account: {due}");
    let (s, _) = call(&app, Method::GET, "/api/v1/accounts/due?scope=team", Some(&rep), None).await;
    assert_eq!(s, StatusCode::OK);
    let (s, p) = call(&app, Method::GET, "/api/v1/accounts/due?scope=all", Some(&rep), None).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    let (_, list) = call(&app, Method::GET, "/api/v1/accounts?overdue=true&per_page=200", Some(&rep), None).await;
    let rows = list["accounts"].as_array().unwrap();
    assert!(!rows.is_empty() && rows.iter().all(|a| a["contact_status"] == "overdue"), "{list}");

    // The cadence: anyone reads it, admins set it, bounds are named.
    let (s, c) = call(&app, Method::GET, "/api/v1/accounts/cadence", Some(&rep), None).await;
    assert_eq!((s, c.clone()), (StatusCode::OK, json!({"a": 1, "b": 3, "c": 6, "d": null})));
    let (s, _) = call(&app, Method::PUT, "/api/v1/accounts/cadence", Some(&rep), Some(json!({"a": 2, "b": 3, "c": 6, "d": null}))).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, p) = call(&app, Method::PUT, "/api/v1/accounts/cadence", Some(&admin), Some(json!({"a": 2, "b": 3, "c": 99, "d": null}))).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    assert!(p.to_string().contains("cadence_c"), "{p}");
    let (s, c) = call(&app, Method::PUT, "/api/v1/accounts/cadence", Some(&admin), Some(json!({"a": 2, "b": 3, "c": 6, "d": 12}))).await;
    assert_eq!((s, c), (StatusCode::OK, json!({"a": 2, "b": 3, "c": 6, "d": 12})));
}

#[tokio::test]
async fn the_target_market_marks_every_account_and_an_admin_edits_it() {
    let t = app::ssr::testdb::seeded().await.unwrap();
    let app = router(&t.db);
    let rep = token(&app, "rep@demo.local").await;
    let admin = token(&app, "admin@demo.local").await;
    let (s, m) = call(&app, Method::GET, "/api/v1/accounts/target-market", Some(&rep), None).await;
    assert_eq!(s, StatusCode::OK, "{m}");
    assert_eq!(m["profit_floor_minor"], json!(500_i64 * 10_000 * 100), "seed 000's RMB 500 万 floor");
    let fits = |list: &serde_json::Value| -> Vec<String> {
        list["accounts"].as_array().unwrap().iter().map(|a| a["target"]["fit"].as_str().unwrap().to_owned()).collect()
    };
    let (_, list) = call(&app, Method::GET, "/api/v1/accounts?per_page=200", Some(&admin), None).await;
    let before = fits(&list);
    assert!(before.iter().any(|f| f == "in") && before.iter().any(|f| f == "out"), "the demo has both: {before:?}");

    // Refused: an industry twice once normalised, a band upside down.
    let mut bad = m.clone();
    bad["industries"] = json!(["机械", "machinery"]);
    let (s, p) = call(&app, Method::PUT, "/api/v1/accounts/target-market", Some(&admin), Some(bad)).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    assert!(p.to_string().contains("industries"), "{p}");
    let mut bad = m.clone();
    bad["revenue_max_minor"] = json!(1);
    let (s, p) = call(&app, Method::PUT, "/api/v1/accounts/target-market", Some(&admin), Some(bad)).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    let (s, _) = call(&app, Method::PUT, "/api/v1/accounts/target-market", Some(&rep), Some(m.clone())).await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // An open market: every account with its facts is in, at once.
    let open = json!({"industries": [], "revenue_min_minor": null, "revenue_max_minor": null, "headcount_min": null,
        "headcount_max": null, "profit_floor_minor": null});
    let (s, saved) = call(&app, Method::PUT, "/api/v1/accounts/target-market", Some(&admin), Some(open.clone())).await;
    assert_eq!((s, saved), (StatusCode::OK, open));
    let (_, list) = call(&app, Method::GET, "/api/v1/accounts?per_page=200", Some(&admin), None).await;
    assert!(fits(&list).iter().all(|f| f == "in"), "{:?}", fits(&list));
    // The cadence in the same policy row is untouched.
    let (_, c) = call(&app, Method::GET, "/api/v1/accounts/cadence", Some(&rep), None).await;
    assert_eq!(c, json!({"a": 1, "b": 3, "c": 6, "d": null}));
}
