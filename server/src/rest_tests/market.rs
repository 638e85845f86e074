//! GET /accounts?target=, GET /accounts/target-market/pipeline, GET /accounts/capacity,
//! GET|PUT /accounts/capacity-plan.
use super::{call, router, token};
use axum::http::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn the_target_filter_the_pipeline_split_and_the_capacity_plan_over_rest() {
    let t = app::ssr::testdb::seeded().await.unwrap();
    let app = router(&t.db);
    let rep = token(&app, "rep@demo.local").await;
    let manager2 = token(&app, "manager2@demo.local").await;
    let admin = token(&app, "admin@demo.local").await;

    // The list's filter: each row stands where it was asked for; the three add up to all.
    let mut sum = 0;
    for fit in ["in", "out", "unknown"] {
        let (s, list) = call(&app, Method::GET, &format!("/api/v1/accounts?target={fit}&per_page=200"), Some(&admin), None).await;
        assert_eq!(s, StatusCode::OK, "{list}");
        assert!(list["accounts"].as_array().unwrap().iter().all(|a| a["target"]["fit"] == fit), "{fit}: {list}");
        sum += list["total"].as_u64().unwrap();
    }
    let (_, all) = call(&app, Method::GET, "/api/v1/accounts", Some(&admin), None).await;
    assert_eq!(sum, all["total"].as_u64().unwrap());
    let (s, p) = call(&app, Method::GET, "/api/v1/accounts?target=inside", Some(&rep), None).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    assert!(p.to_string().contains("target"), "{p}");

    // An open market puts every account in.
    let open = json!({"industries": [], "revenue_min_minor": null, "revenue_max_minor": null, "headcount_min": null,
        "headcount_max": null, "profit_floor_minor": null});
    let (s, _) = call(&app, Method::PUT, "/api/v1/accounts/target-market", Some(&admin), Some(open)).await;
    assert_eq!(s, StatusCode::OK);
    let (_, inside) = call(&app, Method::GET, "/api/v1/accounts?target=in", Some(&admin), None).await;
    assert_eq!(inside["total"], all["total"]);

    // The split: three rows; under the open market everything is in.
    let (s, split) = call(&app, Method::GET, "/api/v1/accounts/target-market/pipeline", Some(&rep), None).await;
    assert_eq!(s, StatusCode::OK, "{split}");
    let rows = split["rows"].as_array().unwrap();
    assert_eq!(rows.iter().map(|r| r["fit"].as_str().unwrap()).collect::<Vec<_>>(), ["in", "out", "unknown"]);
    assert!(rows[0]["count"].as_u64().unwrap() > 0, "the demo rep has open deals: {split}");
    assert_eq!((rows[1]["count"].as_u64(), rows[2]["count"].as_u64()), (Some(0), Some(0)));
    assert!(rows[0]["weighted_minor"].as_i64().unwrap() <= rows[0]["amount_minor"].as_i64().unwrap());

    // Capacity: a rep sees their own book; a manager their team and 404 for another's.
    let (s, c) = call(&app, Method::GET, "/api/v1/accounts/capacity", Some(&rep), None).await;
    assert_eq!(s, StatusCode::OK, "{c}");
    assert_eq!(c["reps"].as_array().unwrap().len(), 1, "{c}");
    assert_eq!(c["reps"][0]["name"], "张磊");
    assert_eq!(c["plan"]["lines"][0], json!({"tier": "a", "accounts": 8, "days_per_month": 10}));
    let (_, west) = call(&app, Method::GET, "/api/v1/accounts/capacity", Some(&manager2), None).await;
    assert!(west["reps"].as_array().unwrap().iter().all(|r| r["team"] == "West"), "{west}");
    let (_, every) = call(&app, Method::GET, "/api/v1/accounts/capacity", Some(&admin), None).await;
    assert!(every["reps"].as_array().unwrap().iter().any(|r| r["team"] == "East"), "{every}");
    let east = {
        use app::ssr::entity::team;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        team::Entity::find().filter(team::Column::Name.eq("East")).one(&*t.db).await.unwrap().unwrap().uuid
    };
    let (s, p) = call(&app, Method::GET, &format!("/api/v1/accounts/capacity?team={east}"), Some(&manager2), None).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{p}");
    let (s, c) = call(&app, Method::GET, &format!("/api/v1/accounts/capacity?team={east}"), Some(&admin), None).await;
    assert_eq!(s, StatusCode::OK);
    assert!(c["reps"].as_array().unwrap().iter().all(|r| r["team"] == "East"), "{c}");
    let (s, _) = call(&app, Method::GET, "/api/v1/accounts/capacity?team=not-a-uuid", Some(&admin), None).await;
    assert!(s.is_client_error());

    // The plan: anyone reads it, admins set it, bounds are named, a refused one writes nothing.
    let (s, plan) = call(&app, Method::GET, "/api/v1/accounts/capacity-plan", Some(&rep), None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(plan["lines"].as_array().unwrap().len(), 4);
    let body = |lines: serde_json::Value| Some(json!({ "lines": lines }));
    let (s, _) = call(
        &app,
        Method::PUT,
        "/api/v1/accounts/capacity-plan",
        Some(&rep),
        body(json!([{"tier": "a", "accounts": 5, "days_per_month": 5}])),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    for (lines, field) in [
        (json!([{"tier": "z", "accounts": 5, "days_per_month": 5}]), "tier"),
        (json!([{"tier": "a", "accounts": 0, "days_per_month": 5}]), "accounts"),
        (json!([{"tier": "a", "accounts": 5, "days_per_month": 20}, {"tier": "b", "accounts": 5, "days_per_month": 20}]), "days_per_month"),
        (json!([{"tier": "a", "accounts": 5, "days_per_month": 5}, {"tier": "a", "accounts": 5, "days_per_month": 5}]), "per_tier"),
        (json!([]), "per_tier"),
    ] {
        let (s, p) = call(&app, Method::PUT, "/api/v1/accounts/capacity-plan", Some(&admin), body(lines)).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {p}");
        assert!(p.to_string().contains(field), "{field}: {p}");
    }
    let (_, again) = call(&app, Method::GET, "/api/v1/accounts/capacity-plan", Some(&rep), None).await;
    assert_eq!(again, plan, "nothing written");
    let new = json!([{"tier": "a", "accounts": 6, "days_per_month": 9}, {"tier": "new", "accounts": 30, "days_per_month": 3}]);
    let (s, saved) = call(&app, Method::PUT, "/api/v1/accounts/capacity-plan", Some(&admin), body(new.clone())).await;
    assert_eq!((s, saved["lines"].clone()), (StatusCode::OK, new));
    let (_, c) = call(&app, Method::GET, "/api/v1/accounts/capacity", Some(&rep), None).await;
    assert_eq!(c["reps"][0]["lines"].as_array().unwrap().len(), 2);
    // The cadence in the same row is untouched.
    let (_, cadence) = call(&app, Method::GET, "/api/v1/accounts/cadence", Some(&rep), None).await;
    assert_eq!(cadence, json!({"a": 1, "b": 3, "c": 6, "d": null}));
}
