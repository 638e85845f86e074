//! The price list and quotes over REST: shapes, the lifecycle through the approvals inbox,
//! accepting into the deal's amount, refusals with the field named.
use super::{assert_keys, assert_not_found, call, router, token, unknown_id};
use axum::http::{Method, StatusCode};
use serde_json::{json, Value};

const QUOTE: [&str; 20] = [
    "id",
    "deal_id",
    "number",
    "revision",
    "status",
    "contact_id",
    "currency",
    "valid_until",
    "payment_terms",
    "delivery_terms",
    "notes",
    "header_discount",
    "lines",
    "totals",
    "approver",
    "reasons",
    "approval_id",
    "revisions",
    "print_url",
    "version",
];

/// An open deal the user owns.
async fn own_deal(db: &app::ssr::db::Db, email: &str) -> String {
    use app::ssr::entity::{deal, stage, user};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let u = user::Entity::find().filter(user::Column::Email.eq(email)).one(db).await.unwrap().unwrap();
    let open: Vec<i32> =
        stage::Entity::find().filter(stage::Column::Kind.eq("open")).all(db).await.unwrap().into_iter().map(|s| s.id).collect();
    let d = deal::Entity::find()
        .filter(deal::Column::OwnerId.eq(u.id))
        .filter(deal::Column::StageId.is_in(open))
        .order_by_asc(deal::Column::Id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    d.uuid.to_string()
}

#[tokio::test]
async fn the_price_list_is_read_by_all_and_changed_by_admins() {
    let t = app::ssr::testdb::seeded().await.unwrap();
    let app = router(&t.db);
    let (rep, admin) = (token(&app, "rep@demo.local").await, token(&app, "admin@demo.local").await);
    let (s, list) = call(&app, Method::GET, "/api/v1/products", Some(&rep), None).await;
    assert_eq!(s, StatusCode::OK);
    let list = list.as_array().unwrap();
    assert!(list.iter().all(|p| p["active"] == true) && list.iter().any(|p| p["code"] == "SVC-IMPL"), "{list:?}");
    assert_keys(
        &list[0],
        &[
            "id",
            "code",
            "name_en",
            "name_zh",
            "kind",
            "unit_en",
            "unit_zh",
            "currency",
            "list_price_minor",
            "tax_bp",
            "cost_minor",
            "active",
            "version",
        ],
    );
    let (_, all) = call(&app, Method::GET, "/api/v1/products?all=true", Some(&rep), None).await;
    assert!(all.as_array().unwrap().iter().any(|p| p["code"] == "ERP-V8" && p["active"] == false));
    let new = json!({"code": "svc-pm", "name_en": "Project management", "name_zh": "项目管理", "kind": "service_days", "unit_en": "day", "unit_zh": "天", "list_price_minor": 350_000});
    assert_eq!(call(&app, Method::POST, "/api/v1/products", Some(&rep), Some(new.clone())).await.0, StatusCode::FORBIDDEN);
    let (s, p) = call(&app, Method::POST, "/api/v1/products", Some(&admin), Some(new.clone())).await;
    assert_eq!(s, StatusCode::CREATED, "{p}");
    assert_eq!((p["code"].as_str(), p["tax_bp"].as_i64()), (Some("SVC-PM"), Some(600)), "code upper-cased, the services rate");
    let (s, dup) = call(&app, Method::POST, "/api/v1/products", Some(&admin), Some(new)).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(dup["detail"].as_str().unwrap().contains("code"), "{dup}");
    let mut upd = p.clone();
    upd["active"] = json!(false);
    let (s, off) =
        call(&app, Method::PUT, &format!("/api/v1/products/{}", p["id"].as_str().unwrap()), Some(&admin), Some(upd.clone())).await;
    assert_eq!((s, off["active"].as_bool(), off["version"].as_i64()), (StatusCode::OK, Some(false), Some(2)));
    assert_eq!(
        call(&app, Method::PUT, &format!("/api/v1/products/{}", p["id"].as_str().unwrap()), Some(&admin), Some(upd)).await.0,
        StatusCode::CONFLICT
    );
    assert_not_found(call(&app, Method::PUT, &format!("/api/v1/products/{}", unknown_id()), Some(&admin), Some(off)).await);
    // The approval thresholds: read by all, set by admins, bounded, versioned.
    let (s, pol) = call(&app, Method::GET, "/api/v1/quote-policy", Some(&rep), None).await;
    assert_eq!((s, pol["manager_max_discount_bp"].as_i64(), pol["margin_floor_bp"].as_i64()), (StatusCode::OK, Some(1000), Some(2000)));
    let set = |d: i64, v: &Value| json!({"manager_max_discount_bp": d, "margin_floor_bp": 1500, "version": v["version"]});
    assert_eq!(call(&app, Method::PUT, "/api/v1/quote-policy", Some(&rep), Some(set(1500, &pol))).await.0, StatusCode::FORBIDDEN);
    let (s, e) = call(&app, Method::PUT, "/api/v1/quote-policy", Some(&admin), Some(set(10_001, &pol))).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e["detail"].as_str().unwrap().contains("manager_max_discount"), "{e}");
    let (s, now) = call(&app, Method::PUT, "/api/v1/quote-policy", Some(&admin), Some(set(1500, &pol))).await;
    assert_eq!((s, now["manager_max_discount_bp"].as_i64()), (StatusCode::OK, Some(1500)));
    assert_eq!(call(&app, Method::PUT, "/api/v1/quote-policy", Some(&admin), Some(set(1200, &pol))).await.0, StatusCode::CONFLICT);
}

#[tokio::test]
async fn a_quote_goes_from_draft_through_the_inbox_to_the_deal_amount() {
    let t = app::ssr::testdb::seeded().await.unwrap();
    let app = router(&t.db);
    let (rep, manager, rep2) =
        (token(&app, "rep@demo.local").await, token(&app, "manager@demo.local").await, token(&app, "rep2@demo.local").await);
    let deal = own_deal(&t.db, "rep@demo.local").await;
    let (_, products) = call(&app, Method::GET, "/api/v1/products", Some(&rep), None).await;
    let fin = products.as_array().unwrap().iter().find(|p| p["code"] == "ERP-FIN").unwrap()["id"].clone();
    let body = json!({"payment_terms": "30/60/10", "header_discount": {"kind": "percent", "value": 300},
        "lines": [{"product_id": fin, "quantity": "12.5"}, {"description": "Travel", "unit": "trip", "quantity": "2", "unit_price_minor": 150_000, "tax_bp": 600}]});
    let (s, q) = call(&app, Method::POST, &format!("/api/v1/deals/{deal}/quotes"), Some(&rep), Some(body.clone())).await;
    assert_eq!(s, StatusCode::CREATED, "{q}");
    assert_keys(&q, &QUOTE);
    assert_eq!(
        (q["status"].as_str(), q["lines"][0]["quantity"].as_str(), q["lines"][0]["unit_price_minor"].as_i64()),
        (Some("draft"), Some("12.5"), Some(1_200_000))
    );
    let lines_gross: i64 = q["lines"].as_array().unwrap().iter().map(|l| l["gross_minor"].as_i64().unwrap()).sum();
    assert_eq!(lines_gross, q["totals"]["gross_minor"].as_i64().unwrap());
    let id = q["id"].as_str().unwrap().to_owned();
    // Another team neither sees nor lists it.
    assert_not_found(call(&app, Method::GET, &format!("/api/v1/quotes/{id}"), Some(&rep2), None).await);
    assert_not_found(call(&app, Method::GET, &format!("/api/v1/deals/{deal}/quotes"), Some(&rep2), None).await);
    // Bad input names the field.
    let mut bad = body.clone();
    bad["lines"][0]["quantity"] = json!("1.005");
    let (s, e) = call(&app, Method::POST, &format!("/api/v1/deals/{deal}/quotes"), Some(&rep), Some(bad)).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e["detail"].as_str().unwrap().contains("lines[0].quantity"), "{e}");
    // Submit, decide in the manager's inbox, send, accept.
    let step = |path: &str, v: &Value| (format!("/api/v1/quotes/{id}/{path}"), json!({"version": v["version"]}));
    let (u, b) = step("submit", &q);
    let (s, q) = call(&app, Method::POST, &u, Some(&rep), Some(b.clone())).await;
    assert_eq!((s, q["status"].as_str(), q["approver"].as_str()), (StatusCode::OK, Some("submitted"), Some("manager")), "{q}");
    assert_eq!(call(&app, Method::POST, &u, Some(&rep), Some(b)).await.0, StatusCode::CONFLICT, "a stale version");
    let (_, inbox) = call(&app, Method::GET, "/api/v1/approvals?status=pending", Some(&manager), None).await;
    assert!(inbox.as_array().unwrap().iter().any(|a| a["id"] == q["approval_id"]), "{inbox}");
    let decide = format!("/api/v1/approvals/{}/decision", q["approval_id"].as_str().unwrap());
    let (s, a) = call(&app, Method::POST, &decide, Some(&manager), Some(json!({"decision": "approve"}))).await;
    assert_eq!((s, a["status"].as_str()), (StatusCode::OK, Some("approved")), "{a}");
    let (_, q) = call(&app, Method::GET, &format!("/api/v1/quotes/{id}"), Some(&rep), None).await;
    let (s, locked) =
        call(&app, Method::PUT, &format!("/api/v1/quotes/{id}"), Some(&rep), Some(json!({"lines": [], "version": q["version"]}))).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "an approved quote is locked: {locked}");
    let (u, b) = step("send", &q);
    let (s, q) = call(&app, Method::POST, &u, Some(&rep), Some(b)).await;
    assert_eq!((s, q["status"].as_str()), (StatusCode::OK, Some("sent")));
    let (u, b) = step("accept", &q);
    let (s, q) = call(&app, Method::POST, &u, Some(&rep), Some(b)).await;
    assert_eq!((s, q["status"].as_str()), (StatusCode::OK, Some("accepted")));
    let (_, d) = call(&app, Method::GET, &format!("/api/v1/deals/{deal}"), Some(&rep), None).await;
    assert_eq!(d["amount_minor"], q["totals"]["gross_minor"], "the deal's amount is the accepted total");
    let (_, list) = call(&app, Method::GET, &format!("/api/v1/deals/{deal}/quotes"), Some(&rep), None).await;
    assert_eq!(list.as_array().unwrap().len(), 1);
}

/// Sends `body` as CSV and returns the status and the raw answer.
async fn csv(app: &axum::Router, method: Method, uri: &str, tok: &str, body: &str) -> (StatusCode, String) {
    use tower::ServiceExt;
    let req = axum::http::Request::builder()
        .method(method)
        .uri(uri)
        .header("authorization", format!("Bearer {tok}"))
        .header("content-type", "text/csv")
        .body(axum::body::Body::from(body.to_owned()))
        .unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 24).await.unwrap();
    (status, String::from_utf8(bytes.to_vec()).unwrap())
}

#[tokio::test]
async fn the_price_list_round_trips_through_csv_with_a_dry_run_and_all_or_nothing() {
    let t = app::ssr::testdb::seeded().await.unwrap();
    let app = router(&t.db);
    let (rep, admin) = (token(&app, "rep@demo.local").await, token(&app, "admin@demo.local").await);
    let uri = "/api/v1/products/csv";
    assert_eq!(csv(&app, Method::GET, uri, &rep, "").await.0, StatusCode::FORBIDDEN);
    let (s, export) = csv(&app, Method::GET, uri, &admin, "").await;
    assert_eq!(s, StatusCode::OK);
    assert!(export.starts_with("\u{feff}code,name_en,name_zh,kind,unit_en,unit_zh,list_price,tax_rate,cost,active\r\n"), "{export}");
    let rows = export.lines().count() - 1;
    let (_, all) = call(&app, Method::GET, "/api/v1/products?all=true", Some(&admin), None).await;
    assert_eq!(rows, all.as_array().unwrap().len());
    assert!(export.contains("\r\nERP-FIN,Finance module licence,财务模块许可,licence,user,用户,12000.00,13,1500.00,yes\r\n"), "{export}");

    // The export read back changes nothing.
    let (s, r) = csv(&app, Method::POST, uri, &admin, &export).await;
    assert_eq!((s, &r[..0]), (StatusCode::OK, ""));
    let r: Value = serde_json::from_str(&r).unwrap();
    assert_eq!((r["applied"].clone(), r["unchanged"].as_u64(), r["created"].clone()), (json!(true), Some(rows as u64), json!(0)));

    // One price changed, one product added: the dry run says so and writes nothing.
    let edited = export.replace("12000.00,13,1500.00", "12500.00,13,1500.00")
        + "SVC-AUDIT,Process audit day,流程诊断,service_days,day,天,\"4,000\",,800,yes\r\n";
    let (s, r) = csv(&app, Method::POST, &format!("{uri}?dry_run=true"), &admin, &edited).await;
    let r: Value = serde_json::from_str(&r).unwrap();
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!((r["applied"].clone(), r["created"].clone(), r["updated"].clone()), (json!(false), json!(1), json!(1)));
    let fin = r["lines"].as_array().unwrap().iter().find(|l| l["code"] == "ERP-FIN").unwrap();
    assert_eq!((fin["action"].clone(), fin["changes"].clone()), (json!("update"), json!(["list_price"])));
    let (_, after) = call(&app, Method::GET, "/api/v1/products?all=true", Some(&admin), None).await;
    assert_eq!(after, all);

    // A bad row and a repeated code: 422, every verdict, nothing written.
    let bad = format!("{edited}ERP-FIN,Again,再次,licence,user,用户,1,,,\r\nX-1,Bad,坏,licence,user,用户,-3,,,\r\n");
    let (s, r) = csv(&app, Method::POST, uri, &admin, &bad).await;
    let r: Value = serde_json::from_str(&r).unwrap();
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{r}");
    assert_eq!((r["applied"].clone(), r["errors"].clone()), (json!(false), json!(2)));
    let errors: Vec<String> = r["lines"].as_array().unwrap().iter().filter_map(|l| l["error"].as_str().map(str::to_owned)).collect();
    assert!(errors[0].contains("code") && errors[0].contains("also on line") && errors[1].contains("list_price"), "{errors:?}");
    let (_, after) = call(&app, Method::GET, "/api/v1/products?all=true", Some(&admin), None).await;
    assert_eq!(after, all);

    // Applied: the new price and the new product, its tax rate the services default.
    let (s, _) = csv(&app, Method::POST, uri, &admin, &edited).await;
    assert_eq!(s, StatusCode::OK);
    let (_, after) = call(&app, Method::GET, "/api/v1/products?all=true", Some(&admin), None).await;
    let after = after.as_array().unwrap();
    let fin = after.iter().find(|p| p["code"] == "ERP-FIN").unwrap();
    let train = after.iter().find(|p| p["code"] == "SVC-AUDIT").unwrap();
    assert_eq!((fin["list_price_minor"].clone(), fin["version"].clone()), (json!(1_250_000), json!(2)));
    assert_eq!(
        (train["list_price_minor"].clone(), train["tax_bp"].clone(), train["cost_minor"].clone()),
        (json!(400_000), json!(600), json!(80_000))
    );
    // A file that is not the price list is refused whole, naming the column.
    let (s, r) = csv(&app, Method::POST, uri, &admin, "email,amount\nx,1\n").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.contains("unknown column"), "{r}");
}

#[tokio::test]
async fn a_patch_changes_only_what_it_sends() {
    let t = app::ssr::testdb::seeded().await.unwrap();
    let app = router(&t.db);
    let rep = token(&app, "rep@demo.local").await;
    let deal = own_deal(&t.db, "rep@demo.local").await;
    let line = |d: &str, q: &str, p: i64| json!({"description": d, "unit": "lot", "quantity": q, "unit_price_minor": p});
    let (s, q) = call(
        &app,
        Method::POST,
        &format!("/api/v1/deals/{deal}/quotes"),
        Some(&rep),
        Some(json!({"payment_terms": "30/60/10", "lines": [line("Licences", "2", 100_000), line("Training", "1", 50_000)]})),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{q}");
    let uri = format!("/api/v1/quotes/{}", q["id"].as_str().unwrap());
    // The header alone: the lines stay as they were.
    let (s, p) = call(&app, Method::PATCH, &uri, Some(&rep), Some(json!({"notes": "含三年维保", "version": q["version"]}))).await;
    assert_eq!(s, StatusCode::OK, "{p}");
    assert_eq!((p["notes"].clone(), p["payment_terms"].clone()), (json!("含三年维保"), json!("30/60/10")));
    assert_eq!(p["lines"], q["lines"]);
    assert_eq!(p["totals"], q["totals"]);
    // The lines alone: replaced in the order sent; the header stays.
    let (s, p2) =
        call(&app, Method::PATCH, &uri, Some(&rep), Some(json!({"lines": [line("Training", "3", 50_000)], "version": p["version"]}))).await;
    assert_eq!(s, StatusCode::OK, "{p2}");
    assert_eq!(p2["lines"].as_array().unwrap().len(), 1);
    assert_eq!((p2["notes"].clone(), p2["lines"][0]["description"].clone()), (json!("含三年维保"), json!("Training")));
    // A stale version and a bad line are refused; nothing changes.
    let (s, _) = call(&app, Method::PATCH, &uri, Some(&rep), Some(json!({"notes": "x", "version": p["version"]}))).await;
    assert_eq!(s, StatusCode::CONFLICT);
    let (s, e) =
        call(&app, Method::PATCH, &uri, Some(&rep), Some(json!({"lines": [line("Bad", "-1", 1)], "version": p2["version"]}))).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e["detail"].as_str().unwrap().contains("lines[0].quantity"), "{e}");
    let (_, now) = call(&app, Method::GET, &uri, Some(&rep), None).await;
    assert_eq!((now["version"].clone(), now["notes"].clone()), (p2["version"].clone(), json!("含三年维保")));
}
