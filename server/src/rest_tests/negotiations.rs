//! Negotiations over REST: the plan pre-filled from the committee map, sessions, the
//! concession ladder's warnings, a crossed bottom line through the general manager's inbox,
//! the result confirmed by the sales manager and then legal (a rejection needs its reason and
//! returns to planning); bad input named; the document.
use super::{assert_keys, assert_not_found, call, router, token, unknown_id};
use crate::rest;
use app::domain::committee::ContactRole;
use app::domain::locale::Locale;
use app::domain::negotiation::default_cares;
use axum::http::{Method, StatusCode};
use axum::Router;
use serde_json::{json, Value};

const NEGOTIATION: [&str; 17] = [
    "id",
    "deal_id",
    "lowest_price_minor",
    "longest_payment_days",
    "never_give",
    "interests",
    "strategy",
    "alternatives",
    "status",
    "result",
    "sessions",
    "concessions",
    "confirm",
    "may_work",
    "my_approvals",
    "updated_at",
    "version",
];

const CONCESSION: [&str; 10] = ["id", "position", "made_on", "clause", "given", "got", "position_after", "warnings", "gm", "by"];

fn detail(v: &Value) -> &str {
    v["detail"].as_str().unwrap_or_default()
}

/// The organisation's calendar day (a concession may not be made later than today).
fn today() -> String {
    chrono::Utc::now().with_timezone(&app::domain::forecast::offset()).date_naive().to_string()
}

/// The pending requests on the deal in the user's inbox.
async fn pending(app: &Router, tok: &str, deal: &str) -> Vec<Value> {
    let (s, list) = call(app, Method::GET, "/api/v1/approvals?status=pending", Some(tok), None).await;
    assert_eq!(s, StatusCode::OK, "{list}");
    list.as_array().unwrap().iter().filter(|a| a["deal_id"] == deal).cloned().collect()
}

/// A concession's warning codes.
fn codes(c: &Value) -> Vec<String> {
    c["warnings"].as_array().unwrap().iter().map(|w| w.as_str().unwrap().to_owned()).collect()
}

/// (approver, state) of each confirmation step.
fn steps(n: &Value) -> Vec<(String, String)> {
    n["confirm"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["approver"].as_str().unwrap().to_owned(), s["state"].as_str().unwrap().to_owned()))
        .collect()
}

fn step_states(states: [&str; 2]) -> Vec<(String, String)> {
    vec![("sales_manager".to_owned(), states[0].to_owned()), ("legal".to_owned(), states[1].to_owned())]
}

fn decision(a: &Value) -> String {
    format!("/api/v1/approvals/{}/decision", a["id"].as_str().unwrap())
}

#[tokio::test]
async fn a_negotiation_is_planned_laddered_and_confirmed_by_the_manager_then_legal() {
    let t = app::ssr::testdb::seeded().await.unwrap();
    let app = router(&t.db);
    let (rep4, rep) = (token(&app, "rep4@demo.local").await, token(&app, "rep@demo.local").await);
    let (manager2, legal, gm) =
        (token(&app, "manager2@demo.local").await, token(&app, "legal@demo.local").await, token(&app, "gm@demo.local").await);
    let today = today();

    // A new deal of rep4's (West), with two people who have roles on its committee map.
    let (s, page) = call(&app, Method::GET, "/api/v1/accounts", Some(&rep4), None).await;
    assert_eq!(s, StatusCode::OK, "{page}");
    let new = json!({"name": "谈判测试", "account_id": page["accounts"][0]["id"], "amount_minor": 120_000_000,
        "expected_close_date": "2027-06-30"});
    let (s, d) = call(&app, Method::POST, "/api/v1/deals", Some(&rep4), Some(new)).await;
    assert_eq!(s, StatusCode::CREATED, "{d}");
    let deal = d["id"].as_str().unwrap().to_owned();
    let map = format!("/api/v1/deals/{deal}/contacts");
    let (s, m) = call(&app, Method::GET, &map, Some(&rep4), None).await;
    assert_eq!(s, StatusCode::OK, "{m}");
    let mut ids: Vec<String> = m["people"].as_array().unwrap().iter().map(|p| p["contact_id"].as_str().unwrap().to_owned()).collect();
    ids.extend(m["candidates"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_owned()));
    assert!(ids.len() >= 2, "the account has two contacts: {m}");
    let (a, b) = (ids[0].clone(), ids[1].clone());
    let people = json!({"people": [
        {"contact_id": a, "role": "decision_maker", "influence_pct": 60},
        {"contact_id": b, "reports_to": a, "role": "economic_buyer", "influence_pct": 40}
    ]});
    let (s, m) = call(&app, Method::PUT, &map, Some(&rep4), Some(people)).await;
    assert_eq!(s, StatusCode::OK, "{m}");
    assert_eq!(m["people"].as_array().unwrap().len(), 2, "{m}");

    // Nothing planned yet: a 404 that says so, and nothing to record a session on.
    let uri = format!("/api/v1/deals/{deal}/negotiation");
    let (s, e) = call(&app, Method::GET, &uri, Some(&rep4), None).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{e}");
    assert_eq!(e["status"].as_u64(), Some(404), "{e}");
    assert!(detail(&e).contains("no negotiation planned"), "{e}");
    let sessions = format!("{uri}/sessions");
    let (s, e) = call(&app, Method::POST, &sessions, Some(&rep4), Some(json!({"held_on": today, "channel": "电话"}))).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(detail(&e).contains("negotiation"), "{e}");

    // Started without a version: bottom lines ¥900,000 and 90 days, the interests from the map.
    let plan = json!({"lowest_price_minor": 90_000_000, "longest_payment_days": 90, "never_give": "源代码",
        "strategy": "以三年维保换取价格让步", "alternatives": "分期上线"});
    let (s, n) = call(&app, Method::PUT, &uri, Some(&rep4), Some(plan.clone())).await;
    assert_eq!(s, StatusCode::CREATED, "{n}");
    assert_keys(&n, &NEGOTIATION);
    assert_eq!(
        (n["status"].as_str(), n["lowest_price_minor"].as_i64(), n["longest_payment_days"].as_i64(), n["may_work"].as_bool()),
        (Some("planning"), Some(90_000_000), Some(90), Some(true)),
        "{n}"
    );
    assert_eq!((n["deal_id"].as_str(), n["never_give"].as_str()), (Some(deal.as_str()), Some("源代码")), "{n}");
    let mut interests: Vec<(String, String, String)> = n["interests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            assert_keys(i, &["contact_id", "name", "title", "role", "cares"]);
            (i["contact_id"].as_str().unwrap().to_owned(), i["role"].as_str().unwrap().to_owned(), i["cares"].as_str().unwrap().to_owned())
        })
        .collect();
    interests.sort();
    let mut want = vec![
        (a.clone(), "decision_maker".to_owned(), default_cares(ContactRole::DecisionMaker, Locale::En).to_owned()),
        (b.clone(), "economic_buyer".to_owned(), default_cares(ContactRole::EconomicBuyer, Locale::En).to_owned()),
    ];
    want.sort();
    assert_eq!(interests, want, "{n}");
    assert_eq!(steps(&n), step_states(["waiting", "waiting"]), "{n}");

    // Started once: starting again, or saving under a stale version, is a conflict.
    assert_eq!(call(&app, Method::PUT, &uri, Some(&rep4), Some(plan.clone())).await.0, StatusCode::CONFLICT);
    let mut stale = plan.clone();
    stale["version"] = json!(n["version"].as_i64().unwrap() + 7);
    assert_eq!(call(&app, Method::PUT, &uri, Some(&rep4), Some(stale)).await.0, StatusCode::CONFLICT);

    // Another team's rep: neither the deal nor its negotiation exists for them.
    let (s, e) = call(&app, Method::GET, &uri, Some(&rep), None).await;
    assert!(!detail(&e).contains("no negotiation planned"), "no hint that it exists: {e}");
    assert_not_found((s, e));
    assert_not_found(call(&app, Method::GET, &format!("/api/v1/deals/{}/negotiation", unknown_id()), Some(&rep4), None).await);

    // Bad concessions are named: nothing given, an unknown clause, an unknown kind of gift.
    let concessions = format!("{uri}/concessions");
    let concession = |clause: &str, given: Value, got: Value, after: i64| json!({"made_on": today, "clause": clause, "given": given, "got": got, "position_after": after});
    for (body, field) in [
        (concession("price", json!({"kind": "percent", "value": 0}), json!("x"), 100_000_000), "given"),
        (concession("discount", json!({"kind": "amount", "value": 1}), json!("x"), 100_000_000), "clause"),
        (concession("price", json!({"kind": "gift", "value": 1}), json!("x"), 100_000_000), "given.kind"),
    ] {
        let (s, e) = call(&app, Method::POST, &concessions, Some(&rep4), Some(body)).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {e}");
        assert!(detail(&e).contains(field), "{field}: {e}");
    }

    // Sessions: only people on the map, clauses by their codes.
    let stranger = json!({"held_on": today, "channel": "电话", "customer_people": [unknown_id()]});
    let (s, e) = call(&app, Method::POST, &sessions, Some(&rep4), Some(stranger)).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(detail(&e).contains("customer_people[0]"), "{e}");
    let odd = json!({"held_on": today, "channel": "电话", "positions": [{"clause": "warranty"}]});
    let (s, e) = call(&app, Method::POST, &sessions, Some(&rep4), Some(odd)).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(detail(&e).contains("positions[0].clause"), "{e}");
    let me = {
        use app::ssr::entity::user;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        user::Entity::find().filter(user::Column::Email.eq("rep4@demo.local")).one(&t.db).await.unwrap().unwrap()
    };
    let session = json!({"held_on": today, "channel": "客户总部 3 号会议室", "customer_people": [a, b], "our_people": [me.uuid],
        "positions": [{"clause": "price", "theirs": "-15 %", "ours": "-5 %", "open": true}, {"clause": "payment_terms", "agreed": "60 天"}],
        "notes": "对方拿竞品报价比较"});
    let (s, n) = call(&app, Method::POST, &sessions, Some(&rep4), Some(session)).await;
    assert_eq!(s, StatusCode::CREATED, "{n}");
    assert_eq!(n["sessions"].as_array().unwrap().len(), 1, "{n}");
    let held = &n["sessions"][0];
    assert_keys(held, &["id", "held_on", "channel", "customer_people", "our_people", "positions", "notes"]);
    assert_eq!((held["customer_people"].as_array().unwrap().len(), held["our_people"].clone()), (2, json!([me.name])), "{n}");
    assert_eq!(
        held["positions"],
        json!([{"clause": "price", "theirs": "-15 %", "ours": "-5 %", "agreed": null, "open": true},
            {"clause": "payment_terms", "theirs": null, "ours": null, "agreed": "60 天", "open": false}]),
        "{n}"
    );

    // 1: ¥50,000 off for a 3-year maintenance term, still above the line: no warning.
    let price = |amount: i64, got: Value, after: i64| concession("price", json!({"kind": "amount", "value": amount}), got, after);
    let (s, n) =
        call(&app, Method::POST, &concessions, Some(&rep4), Some(price(5_000_000, json!("3-year maintenance"), 100_000_000))).await;
    assert_eq!(s, StatusCode::CREATED, "{n}");
    assert_keys(&n, &NEGOTIATION);
    let first = &n["concessions"][0];
    assert_keys(first, &CONCESSION);
    assert_eq!(
        (first["position"].as_i64(), first["clause"].as_str(), first["given"].clone(), first["position_after"].as_i64()),
        (Some(1), Some("price"), json!({"kind": "amount", "value": 5_000_000, "text": null}), Some(100_000_000)),
        "{n}"
    );
    assert_eq!(
        (codes(first), first["gm"].as_str(), first["got"].as_str()),
        (Vec::<String>::new(), Some("none"), Some("3-year maintenance")),
        "{n}"
    );

    // 2: ¥80,000, larger than the first, and nothing got back: both warnings, no approval.
    let (s, n) = call(&app, Method::POST, &concessions, Some(&rep4), Some(price(8_000_000, Value::Null, 92_000_000))).await;
    assert_eq!(s, StatusCode::CREATED, "{n}");
    let second = &n["concessions"][1];
    assert_eq!(
        (codes(second), second["gm"].as_str()),
        (vec!["larger_than_previous".to_owned(), "nothing_in_return".to_owned()], Some("none"))
    );
    assert!(pending(&app, &gm, &deal).await.is_empty(), "a warning is advice, not an approval");

    // 3: down to ¥850,000, under the ¥900,000 line: the general manager's to approve.
    let (s, n) = call(&app, Method::POST, &concessions, Some(&rep4), Some(price(7_000_000, json!("a reference visit"), 85_000_000))).await;
    assert_eq!(s, StatusCode::CREATED, "{n}");
    assert_eq!(n["concessions"].as_array().unwrap().len(), 3, "{n}");
    let third = &n["concessions"][2];
    assert_eq!((codes(third), third["gm"].as_str()), (vec!["crosses_bottom_line".to_owned()], Some("pending")), "{n}");
    let asks = pending(&app, &gm, &deal).await;
    assert_eq!(asks.len(), 1, "{asks:?}");
    assert_eq!((asks[0]["reason"].as_str(), asks[0]["approver"].as_str()), (Some("price #3"), Some("王志强")), "{asks:?}");
    let (_, seen) = call(&app, Method::GET, &uri, Some(&gm), None).await;
    assert_eq!(seen["my_approvals"], json!([asks[0]["id"]]), "{seen}");

    // Nothing is confirmed past a line the general manager has not approved.
    let confirm = format!("{uri}/confirm");
    let (s, e) = call(&app, Method::POST, &confirm, Some(&rep4), Some(json!({"result": "¥850,000", "version": n["version"]}))).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(detail(&e).contains("concessions"), "{e}");
    let (s, r) =
        call(&app, Method::POST, &decision(&asks[0]), Some(&gm), Some(json!({"decision": "approve", "comment": "战略客户，同意"}))).await;
    assert_eq!((s, r["status"].as_str()), (StatusCode::OK, Some("approved")), "{r}");
    let (_, n) = call(&app, Method::GET, &uri, Some(&rep4), None).await;
    assert_eq!(
        (n["concessions"][2]["gm"].as_str(), codes(&n["concessions"][2])),
        (Some("approved"), vec!["crosses_bottom_line".to_owned()])
    );
    assert!(pending(&app, &gm, &deal).await.is_empty());

    // The result goes to the sales manager first; the ladder waits meanwhile.
    let result = "¥850,000, payment in 60 days, 3-year maintenance";
    let (s, sent) = call(&app, Method::POST, &confirm, Some(&rep4), Some(json!({"result": result, "version": n["version"]}))).await;
    assert_eq!(s, StatusCode::OK, "{sent}");
    assert_eq!((sent["status"].as_str(), sent["result"].as_str()), (Some("confirming"), Some(result)), "{sent}");
    assert_eq!(steps(&sent), step_states(["pending", "waiting"]), "{sent}");
    assert_eq!(sent["confirm"][0]["who"].as_str(), Some("周杰"), "{sent}");
    let (s, e) = call(&app, Method::POST, &concessions, Some(&rep4), Some(price(1_000_000, json!("x"), 84_000_000))).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(detail(&e).contains("status"), "{e}");

    // The manager sees the step; legal has nothing yet and may not decide the manager's.
    let asks = pending(&app, &manager2, &deal).await;
    assert_eq!(asks.len(), 1, "{asks:?}");
    let (_, seen) = call(&app, Method::GET, &uri, Some(&manager2), None).await;
    assert_eq!(seen["my_approvals"], json!([asks[0]["id"]]), "{seen}");
    assert!(pending(&app, &legal, &deal).await.is_empty());
    assert_not_found(
        call(&app, Method::POST, &decision(&asks[0]), Some(&legal), Some(json!({"decision": "reject", "comment": "不行"}))).await,
    );
    let (s, r) = call(&app, Method::POST, &decision(&asks[0]), Some(&manager2), Some(json!({"decision": "approve"}))).await;
    assert_eq!((s, r["status"].as_str()), (StatusCode::OK, Some("approved")), "{r}");
    let (_, n) = call(&app, Method::GET, &uri, Some(&rep4), None).await;
    assert_eq!(steps(&n), step_states(["approved", "pending"]), "{n}");
    assert_eq!(n["confirm"][1]["who"].as_str(), Some("刘婷"), "{n}");

    // Legal's rejection needs its reason, and sends the negotiation back to planning.
    let asks = pending(&app, &legal, &deal).await;
    assert_eq!(asks.len(), 1, "{asks:?}");
    for body in [json!({"decision": "reject"}), json!({"decision": "reject", "comment": "  "})] {
        let (s, e) = call(&app, Method::POST, &decision(&asks[0]), Some(&legal), Some(body)).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        assert!(detail(&e).contains("comment"), "{e}");
    }
    let why = "付款条款需补充违约责任";
    let (s, r) = call(&app, Method::POST, &decision(&asks[0]), Some(&legal), Some(json!({"decision": "reject", "comment": why}))).await;
    assert_eq!((s, r["status"].as_str()), (StatusCode::OK, Some("rejected")), "{r}");
    let (_, n) = call(&app, Method::GET, &uri, Some(&rep4), None).await;
    assert_eq!(n["status"].as_str(), Some("planning"), "{n}");
    assert_eq!(steps(&n), step_states(["approved", "rejected"]), "{n}");
    assert_eq!(n["confirm"][1]["comment"].as_str(), Some(why), "{n}");

    // Sent again under the current version (the one read before the decisions is stale):
    // the manager, then legal, and it is confirmed.
    let body = |v: &Value| json!({"result": format!("{result}, liquidated damages 0.05 %/day"), "version": v["version"]});
    assert_eq!(call(&app, Method::POST, &confirm, Some(&rep4), Some(body(&sent))).await.0, StatusCode::CONFLICT);
    let (s, n) = call(&app, Method::POST, &confirm, Some(&rep4), Some(body(&n))).await;
    assert_eq!((s, n["status"].as_str()), (StatusCode::OK, Some("confirming")), "{n}");
    assert_eq!(steps(&n), step_states(["pending", "waiting"]), "a new round starts at the manager: {n}");
    for (tok, step) in [(&manager2, 0), (&legal, 1)] {
        let asks = pending(&app, tok, &deal).await;
        assert_eq!(asks.len(), 1, "step {step}: {asks:?}");
        let (s, r) =
            call(&app, Method::POST, &decision(&asks[0]), Some(tok), Some(json!({"decision": "approve", "comment": "同意"}))).await;
        assert_eq!((s, r["status"].as_str()), (StatusCode::OK, Some("approved")), "step {step}: {r}");
    }
    let (s, n) = call(&app, Method::GET, &uri, Some(&rep4), None).await;
    assert_eq!((s, n["status"].as_str()), (StatusCode::OK, Some("confirmed")), "{n}");
    assert_eq!(steps(&n), step_states(["approved", "approved"]), "{n}");
    assert_eq!((n["my_approvals"].clone(), n["concessions"].as_array().unwrap().len()), (json!([]), 3), "{n}");
    assert!(pending(&app, &manager2, &deal).await.is_empty() && pending(&app, &legal, &deal).await.is_empty());
}

#[test]
fn the_negotiation_routes_are_documented() {
    use utoipa::OpenApi;
    let doc = serde_json::to_value(rest::ApiDoc::openapi()).unwrap();
    for (method, path) in [
        ("get", "/api/v1/deals/{id}/negotiation"),
        ("put", "/api/v1/deals/{id}/negotiation"),
        ("post", "/api/v1/deals/{id}/negotiation/sessions"),
        ("post", "/api/v1/deals/{id}/negotiation/concessions"),
        ("post", "/api/v1/deals/{id}/negotiation/confirm"),
    ] {
        let op = &doc["paths"][path][method];
        assert!(op.is_object(), "{method} {path} is not documented");
        assert!(op["responses"]["404"].is_object(), "{method} {path} documents no 404");
    }
    let plan = &doc["paths"]["/api/v1/deals/{id}/negotiation"];
    assert!(plan["get"]["responses"]["404"]["description"].as_str().unwrap().contains("no negotiation planned"), "{plan}");
    assert!(plan["put"]["responses"]["201"].is_object() && plan["put"]["responses"]["409"].is_object(), "{plan}");
    assert!(doc["paths"]["/api/v1/deals/{id}/negotiation/concessions"]["post"]["responses"]["201"].is_object());
    let schemas = &doc["components"]["schemas"];
    for (schema, field) in
        [("ConcessionOut", "warnings"), ("ConcessionOut", "gm"), ("NegotiationOut", "concessions"), ("ConcessionIn", "given")]
    {
        assert!(schemas[schema]["properties"][field].is_object(), "{schema}.{field}");
    }
}
