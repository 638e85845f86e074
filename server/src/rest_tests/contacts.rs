//! GET /contacts, PATCH and DELETE /contacts/{id}.
use super::{assert_not_found, call, router, token};
use axum::http::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn contacts_are_listed_edited_and_deleted_over_rest() {
    let t = app::ssr::testdb::seeded().await.unwrap();
    let app = router(&t.db);
    let rep = token(&app, "rep@demo.local").await;
    let west = token(&app, "rep2@demo.local").await;
    let (_, a) = call(&app, Method::POST, "/api/v1/accounts", Some(&rep), Some(json!({"name": "联系人接口测试"}))).await;
    let account = a["id"].as_str().unwrap().to_owned();
    let body = json!({"name": "接口联系人", "title": "IT 经理", "email": "it@example.cn"});
    let (s, c) = call(&app, Method::POST, &format!("/api/v1/accounts/{account}/contacts"), Some(&rep), Some(body)).await;
    assert_eq!(s, StatusCode::CREATED, "{c}");
    assert_eq!(c["version"], 1);
    let uri = format!("/api/v1/contacts/{}", c["id"].as_str().unwrap());

    // Listed by search and by account, with the account's name and the deals count.
    let (s, p) = call(
        &app,
        Method::GET,
        &format!("/api/v1/contacts?q=%E6%8E%A5%E5%8F%A3%E8%81%94%E7%B3%BB%E4%BA%BA&account={account}"),
        Some(&rep),
        None,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{p}");
    assert_eq!(p["total"], 1, "{p}");
    let row = &p["contacts"][0];
    assert_eq!(
        (row["name"].as_str(), row["account_name"].as_str(), row["deals"].as_u64()),
        (Some("接口联系人"), Some("联系人接口测试"), Some(0))
    );
    let (_, p) = call(&app, Method::GET, &format!("/api/v1/contacts?account={account}"), Some(&west), None).await;
    assert_eq!(p["total"], 0, "another team's contacts are not listed: {p}");
    let (s, p) = call(&app, Method::GET, "/api/v1/contacts?sort=shoe-size", Some(&rep), None).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    let (s, p) = call(&app, Method::GET, "/api/v1/contacts?sort=updated&per_page=5000&page=1", Some(&rep), None).await;
    assert_eq!((s, p["per_page"].as_u64()), (StatusCode::OK, Some(200)), "per_page is bounded: {p}");

    // Bad fields: 422 naming the field; nothing written.
    for (body, field) in [
        (json!({"name": "", "version": 1}), "name"),
        (json!({"email": "no at sign", "version": 1}), "email"),
        (json!({"phone": "ring ring", "version": 1}), "phone"),
        (json!({"department": "部".repeat(101), "version": 1}), "department"),
    ] {
        let (s, p) = call(&app, Method::PATCH, &uri, Some(&rep), Some(body)).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
        assert!(p["detail"].as_str().unwrap().contains(field), "{field}: {p}");
    }
    let (s, e) = call(&app, Method::PATCH, &uri, Some(&rep), Some(json!({"title": "CIO", "version": 1}))).await;
    assert_eq!(s, StatusCode::OK, "{e}");
    assert_eq!((e["title"].as_str(), e["email"].as_str(), e["version"].as_u64()), (Some("CIO"), Some("it@example.cn"), Some(2)));
    // Stale: 409, the title stays.
    let (s, p) = call(&app, Method::PATCH, &uri, Some(&rep), Some(json!({"title": "CTO", "version": 1}))).await;
    assert_eq!(s, StatusCode::CONFLICT, "{p}");
    let (_, p) = call(&app, Method::GET, &format!("/api/v1/contacts?account={account}"), Some(&rep), None).await;
    assert_eq!(p["contacts"][0]["title"], "CIO");

    // Another team's rep: 404 for both.
    assert_not_found(call(&app, Method::PATCH, &uri, Some(&west), Some(json!({"title": "x", "version": 2}))).await);
    assert_not_found(call(&app, Method::DELETE, &uri, Some(&west), None).await);

    // On a deal's committee: 409 naming the count; off it, deleted.
    let (_, deals) = call(&app, Method::GET, "/api/v1/deals", Some(&rep), None).await;
    let deal = deals["deals"][0]["id"].as_str().unwrap().to_owned();
    let (_, b) =
        call(&app, Method::POST, &format!("/api/v1/accounts/{account}/contacts"), Some(&rep), Some(json!({"name": "决策人"}))).await;
    let on_map = b["id"].as_str().unwrap().to_owned();
    let db = &t.db;
    {
        use app::ssr::entity::{contact, deal as d, deal_contact};
        use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
        let dl = d::Entity::find().filter(d::Column::Uuid.eq(deal.parse::<uuid::Uuid>().unwrap())).one(db).await.unwrap().unwrap();
        let ct =
            contact::Entity::find().filter(contact::Column::Uuid.eq(on_map.parse::<uuid::Uuid>().unwrap())).one(db).await.unwrap().unwrap();
        deal_contact::Entity::insert(deal_contact::ActiveModel {
            deal_id: Set(dl.id),
            contact_id: Set(ct.id),
            reports_to_contact_id: Set(None),
            role: Set(None),
            influence_pct: Set(0),
            attitude: Set("neutral".into()),
            relationship: Set(3),
            last_contact: Set(None),
            version: Set(1),
            updated_at: Set(chrono::Utc::now()),
        })
        .exec_without_returning(db)
        .await
        .unwrap();
    }
    let (s, p) = call(&app, Method::DELETE, &format!("/api/v1/contacts/{on_map}"), Some(&rep), None).await;
    assert_eq!(s, StatusCode::CONFLICT, "{p}");
    assert!(p["detail"].as_str().unwrap().contains("1 deal"), "{p}");
    let (s, _) = call(&app, Method::DELETE, &uri, Some(&rep), None).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert_not_found(call(&app, Method::PATCH, &uri, Some(&rep), Some(json!({"title": "x", "version": 2}))).await);
}
