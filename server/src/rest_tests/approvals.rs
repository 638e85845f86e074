//! GET /approvals and POST /approvals/{id}/decision.
use super::{assert_keys, assert_not_found, call, router, token, unknown_id};
use app::ssr::entity::{approval, deal, user};
use axum::http::{Method, StatusCode};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

const APPROVAL: [&str; 13] = [
    "id",
    "deal_id",
    "deal_name",
    "requested_by",
    "approver",
    "from_stage_id",
    "to_stage_id",
    "reason",
    "status",
    "result",
    "comment",
    "created_at",
    "kind",
];

async fn user_id(db: &app::ssr::db::Db, email: &str) -> i32 {
    user::Entity::find().filter(user::Column::Email.eq(email)).one(db).await.unwrap().unwrap().id
}

/// A pending request of the rep's, routed to the East manager, written straight to the
/// table: how a move comes to need one is the movement tests' business.
async fn pending(db: &app::ssr::db::Db, deal_uuid: uuid::Uuid) -> uuid::Uuid {
    let d = deal::Entity::find().filter(deal::Column::Uuid.eq(deal_uuid)).one(db).await.unwrap().unwrap();
    let id = uuid::Uuid::new_v4();
    let now = chrono::Utc::now();
    approval::Entity::insert(approval::ActiveModel {
        uuid: Set(id),
        deal_id: Set(d.id),
        kind: Set("stage_move".into()),
        requested_by: Set(user_id(db, "rep@demo.local").await),
        approver_id: Set(Some(user_id(db, "manager@demo.local").await)),
        from_stage_id: Set(Some(d.stage_id)),
        to_stage_id: Set(Some(d.stage_id)),
        reason: Set(Some("客户催促".into())),
        status: Set("pending".into()),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    })
    .exec_without_returning(db)
    .await
    .unwrap();
    id
}

#[tokio::test]
async fn the_approver_lists_and_decides_a_request() {
    let t = app::ssr::testdb::seeded().await.unwrap();
    let app = router(&t.db);
    let rep = token(&app, "rep@demo.local").await;
    let manager = token(&app, "manager@demo.local").await;
    let rep2 = token(&app, "rep2@demo.local").await;
    let (_, page) = call(&app, Method::GET, "/api/v1/deals?limit=1", Some(&rep), None).await;
    let deal_id = page["deals"][0]["id"].as_str().unwrap().to_owned();
    let id = pending(&t.db, deal_id.parse().unwrap()).await.to_string();

    let (s, list) = call(&app, Method::GET, "/api/v1/approvals?status=pending", Some(&manager), None).await;
    assert_eq!(s, StatusCode::OK, "{list}");
    list.as_array().unwrap().iter().for_each(|a| assert_keys(a, &APPROVAL));
    let mine = list.as_array().unwrap().iter().find(|a| a["id"] == id.as_str()).expect("the request is in the approver's list");
    assert_eq!((mine["status"].as_str(), mine["deal_id"].as_str()), (Some("pending"), Some(deal_id.as_str())));
    let (_, theirs) = call(&app, Method::GET, "/api/v1/approvals", Some(&rep2), None).await;
    assert!(theirs.as_array().unwrap().iter().all(|a| a["id"] != id.as_str()), "nobody else sees it");

    let uri = format!("/api/v1/approvals/{id}/decision");
    let (s, p) = call(&app, Method::POST, &uri, Some(&manager), Some(json!({"decision": "maybe"}))).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    let (s, p) = call(&app, Method::POST, &uri, Some(&rep), Some(json!({"decision": "approve"}))).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "a requester does not decide: {p}");
    assert_not_found(call(&app, Method::POST, &uri, Some(&rep2), Some(json!({"decision": "approve"}))).await);
    let (s, a) = call(&app, Method::POST, &uri, Some(&manager), Some(json!({"decision": "reject", "comment": "先补资料"}))).await;
    assert_eq!(s, StatusCode::OK, "{a}");
    assert_keys(&a, &APPROVAL);
    assert_eq!((a["status"].as_str(), a["comment"].as_str()), (Some("rejected"), Some("先补资料")));
    let (s, _) = call(&app, Method::POST, &uri, Some(&manager), Some(json!({"decision": "approve"}))).await;
    assert_eq!(s, StatusCode::CONFLICT, "decided once");

    let unknown = format!("/api/v1/approvals/{}/decision", unknown_id());
    assert_not_found(call(&app, Method::POST, &unknown, Some(&manager), Some(json!({"decision": "approve"}))).await);
}
