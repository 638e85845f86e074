//! GET/POST /accounts and GET/POST /accounts/{id}/contacts.
use super::{assert_keys, assert_not_found, call, router, token, unknown_id};
use axum::http::{Method, StatusCode};
use serde_json::json;

const ACCOUNT: [&str; 10] = ["id", "name", "industry", "city", "headcount", "revenue_minor", "owner", "team", "contacts", "open_deals"];
const CONTACT: [&str; 7] = ["id", "account_id", "name", "title", "department", "phone", "email"];

#[tokio::test]
async fn accounts_are_listed_by_page_and_created() {
    let t = app::ssr::testdb::seeded().await.unwrap();
    let app = router(&t.db);
    let rep = token(&app, "rep@demo.local").await;
    let (s, page) = call(&app, Method::GET, "/api/v1/accounts?page=1&per_page=2", Some(&rep), None).await;
    assert_eq!(s, StatusCode::OK, "{page}");
    assert_keys(&page, &["accounts", "total", "page", "per_page"]);
    assert_eq!((page["page"].as_u64(), page["per_page"].as_u64()), (Some(1), Some(2)));
    assert!(page["accounts"].as_array().unwrap().len() <= 2);
    page["accounts"].as_array().unwrap().iter().for_each(|a| assert_keys(a, &ACCOUNT));

    let (s, a) = call(&app, Method::POST, "/api/v1/accounts", Some(&rep), Some(json!({"name": "苏州精工", "city": "苏州"}))).await;
    assert_eq!(s, StatusCode::CREATED, "{a}");
    assert_keys(&a, &ACCOUNT);
    assert_eq!((a["name"].as_str(), a["contacts"].as_u64(), a["open_deals"].as_u64()), (Some("苏州精工"), Some(0), Some(0)));
}

#[tokio::test]
async fn contacts_of_an_account_and_of_an_unknown_one() {
    let t = app::ssr::testdb::seeded().await.unwrap();
    let app = router(&t.db);
    let rep = token(&app, "rep@demo.local").await;
    let (_, page) = call(&app, Method::GET, "/api/v1/accounts", Some(&rep), None).await;
    let aid = page["accounts"][0]["id"].as_str().unwrap().to_owned();
    let uri = format!("/api/v1/accounts/{aid}/contacts");
    let (s, c) = call(&app, Method::POST, &uri, Some(&rep), Some(json!({"name": "陈工", "phone": "13800000000"}))).await;
    assert_eq!(s, StatusCode::CREATED, "{c}");
    assert_keys(&c, &CONTACT);
    assert_eq!(c["account_id"].as_str(), Some(aid.as_str()));
    let (s, list) = call(&app, Method::GET, &uri, Some(&rep), None).await;
    assert_eq!(s, StatusCode::OK, "{list}");
    list.as_array().unwrap().iter().for_each(|c| assert_keys(c, &CONTACT));
    assert!(list.as_array().unwrap().iter().any(|x| x["id"] == c["id"]));

    let uri = format!("/api/v1/accounts/{}/contacts", unknown_id());
    assert_not_found(call(&app, Method::GET, &uri, Some(&rep), None).await);
    assert_not_found(call(&app, Method::POST, &uri, Some(&rep), Some(json!({"name": "x"}))).await);
}
