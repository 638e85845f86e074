//! PATCH /accounts/{id} (versioned, 422 naming the field, history in both languages) and
//! POST /accounts/{id}/merge (managers and admins; deals move; the duplicate is gone).
use super::{assert_not_found, call, router, token};
use axum::http::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn edit_and_merge_over_rest() {
    let t = app::ssr::testdb::seeded().await.unwrap();
    let app = router(&t.db);
    let rep = token(&app, "rep@demo.local").await;
    let manager = token(&app, "manager@demo.local").await;
    let manager2 = token(&app, "manager2@demo.local").await;
    let (s, a) =
        call(&app, Method::POST, "/api/v1/accounts", Some(&manager), Some(json!({"name": "接口编辑测试", "headcount": 120}))).await;
    assert_eq!(s, StatusCode::CREATED, "{a}");
    let id = a["id"].as_str().unwrap().to_owned();
    let uri = format!("/api/v1/accounts/{id}");
    let (_, detail) = call(&app, Method::GET, &uri, Some(&manager), None).await;
    let version = detail["version"].clone();
    assert_eq!(detail["profile"]["iso9000"], serde_json::Value::Null);
    assert_eq!(detail["history"], json!([]));

    // Bad input answers 422 naming the field, and writes nothing.
    for (body, field) in [
        (json!({"headcount": -1, "version": version}), "headcount"),
        (json!({"iso9000": "maybe", "version": version}), "iso9000"),
        (json!({"lead_source": "web", "version": version}), "lead_source"),
        (json!({"name": "  ", "version": version}), "name"),
        (json!({"revenue_minor": 1_000_000_000_000_000_001_i64, "version": version}), "revenue"),
        (json!({"territory": "区".repeat(101), "version": version}), "territory"),
    ] {
        let (s, p) = call(&app, Method::PATCH, &uri, Some(&manager), Some(body)).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
        assert!(p.to_string().contains(field), "{field}: {p}");
    }
    let body = json!({"headcount": 150, "iso9000": "in_progress", "lead_source": "call_in", "bpr_under_way": true,
        "item_codes": 4200, "territory": "苏南", "city": null, "version": version});
    let (s, v) = call(&app, Method::PATCH, &uri, Some(&manager), Some(body.clone())).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["headcount"], 150);
    assert_eq!(v["profile"]["iso9000"], "in_progress");
    assert_eq!(v["profile"]["lead_source"], "call_in");
    assert_eq!(v["profile"]["item_codes"], 4200);
    assert_eq!(v["name"], "接口编辑测试", "fields not sent stay");
    let h = &v["history"][0];
    assert_eq!(h["event"], "edited");
    assert_eq!(h["changes"][0]["field"], "headcount");
    assert_eq!(h["changes"][0]["text_en"], "Headcount: 120 → 150");
    assert_eq!(h["changes"][0]["text_zh"], "人数：120 → 150");
    // The same version again is stale: 409, nothing written.
    let (s, p) = call(&app, Method::PATCH, &uri, Some(&manager), Some(json!({"headcount": 999, "version": version}))).await;
    assert_eq!(s, StatusCode::CONFLICT, "{p}");
    let (_, now) = call(&app, Method::GET, &uri, Some(&manager), None).await;
    assert_eq!((now["headcount"].clone(), now["history"].as_array().unwrap().len()), (json!(150), 1));
    // Another team's account is not there.
    assert_not_found(call(&app, Method::PATCH, &uri, Some(&manager2), Some(json!({"headcount": 1, "version": now["version"]}))).await);

    // Merge: a duplicate with a deal moves into the account.
    let (_, dup) = call(&app, Method::POST, "/api/v1/accounts", Some(&rep), Some(json!({"name": "接口编辑测试（重复）"}))).await;
    let dup_id = dup["id"].as_str().unwrap().to_owned();
    let (s, d) = call(
        &app,
        Method::POST,
        "/api/v1/deals",
        Some(&rep),
        Some(json!({"name": "重复客户上的商机", "account_id": dup_id, "amount_minor": 5_000_000, "expected_close_date": "2027-06-30"})),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{d}");
    let merge = format!("{uri}/merge");
    let (s, _) = call(&app, Method::POST, &merge, Some(&rep), Some(json!({"duplicate": dup_id}))).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "a rep asks a manager");
    assert_not_found(call(&app, Method::POST, &merge, Some(&manager2), Some(json!({"duplicate": dup_id}))).await);
    let (s, p) = call(&app, Method::POST, &merge, Some(&manager), Some(json!({"duplicate": id}))).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    assert!(p.to_string().contains("duplicate"), "{p}");
    let (s, m) = call(&app, Method::POST, &merge, Some(&manager), Some(json!({"duplicate": dup_id}))).await;
    assert_eq!(s, StatusCode::OK, "{m}");
    assert!(m["deals"].as_array().unwrap().iter().any(|x| x["id"] == d["id"]), "{m}");
    assert_eq!(m["history"][0]["event"], "merged");
    assert!(m["history"][0]["merged_en"].as_str().unwrap().contains("1 deal(s)"), "{m}");
    assert_not_found(call(&app, Method::GET, &format!("/api/v1/accounts/{dup_id}"), Some(&manager), None).await);
    let (_, deal) = call(&app, Method::GET, &format!("/api/v1/deals/{}", d["id"].as_str().unwrap()), Some(&rep), None).await;
    assert_eq!(deal["amount_minor"], 5_000_000, "{deal}");
}
