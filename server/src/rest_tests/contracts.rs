//! Contracts over REST: drafted from the accepted quote, milestones that must add up, the
//! chain decided step by step through the approvals inbox, signing, receipts and
//! receivables; the chain table; the document.
use super::{assert_keys, assert_not_found, call, router, token, unknown_id};
use crate::rest;
use axum::http::{Method, StatusCode};
use axum::Router;
use serde_json::{json, Value};

const CONTRACT: [&str; 31] = [
    "id",
    "deal_id",
    "deal_name",
    "account",
    "quote_number",
    "number",
    "kind",
    "party_a",
    "party_b",
    "amount_minor",
    "currency",
    "payment_terms",
    "delivery_terms",
    "acceptance_terms",
    "starts_on",
    "ends_on",
    "status",
    "round",
    "steps",
    "reject_reason",
    "signed_on",
    "signatory",
    "sign_method",
    "milestones",
    "receipts",
    "received_minor",
    "may_work",
    "my_approval",
    "created_by",
    "created_at",
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

fn detail(v: &Value) -> &str {
    v["detail"].as_str().unwrap_or_default()
}

/// The one pending request in the user's inbox for the contract numbered `number`.
async fn pending(app: &Router, tok: &str, deal: &str, number: &str) -> Value {
    let (s, list) = call(app, Method::GET, "/api/v1/approvals?status=pending", Some(tok), None).await;
    assert_eq!(s, StatusCode::OK, "{list}");
    let mine: Vec<&Value> = list.as_array().unwrap().iter().filter(|a| a["deal_id"] == deal && a["reason"] == number).collect();
    assert_eq!(mine.len(), 1, "{list}");
    mine[0].clone()
}

#[tokio::test]
async fn a_contract_goes_from_the_accepted_quote_through_its_chain_to_cash() {
    let t = app::ssr::testdb::seeded().await.unwrap();
    app::ssr::testdb::clear_contracts(&t.db).await.unwrap();
    let app = router(&t.db);
    let (rep, rep2) = (token(&app, "rep@demo.local").await, token(&app, "rep2@demo.local").await);
    let (manager, legal, gm) =
        (token(&app, "manager@demo.local").await, token(&app, "legal@demo.local").await, token(&app, "gm@demo.local").await);
    let deal = own_deal(&t.db, "rep@demo.local").await;
    let contracts = format!("/api/v1/deals/{deal}/contracts");

    // Nothing to draft from before the customer accepts a quote.
    let (s, e) = call(&app, Method::POST, &contracts, Some(&rep), None).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(detail(&e).contains("quote"), "{e}");

    // A quote through the manager's inbox to the customer's yes.
    let line = json!({"description": "MES licence", "unit": "lot", "quantity": "1", "unit_price_minor": 10_000_000, "tax_bp": 1300});
    let body = json!({"payment_terms": "30/60/10", "lines": [line]});
    let (s, q) = call(&app, Method::POST, &format!("/api/v1/deals/{deal}/quotes"), Some(&rep), Some(body)).await;
    assert_eq!(s, StatusCode::CREATED, "{q}");
    let quote = format!("/api/v1/quotes/{}", q["id"].as_str().unwrap());
    let (s, q) = call(&app, Method::POST, &format!("{quote}/submit"), Some(&rep), Some(json!({"version": q["version"]}))).await;
    assert_eq!((s, q["approver"].as_str()), (StatusCode::OK, Some("manager")), "{q}");
    let decide_quote = format!("/api/v1/approvals/{}/decision", q["approval_id"].as_str().unwrap());
    let (s, a) = call(&app, Method::POST, &decide_quote, Some(&manager), Some(json!({"decision": "approve"}))).await;
    assert_eq!(s, StatusCode::OK, "{a}");
    let (_, q) = call(&app, Method::GET, &quote, Some(&rep), None).await;
    let (s, q) = call(&app, Method::POST, &format!("{quote}/send"), Some(&rep), Some(json!({"version": q["version"]}))).await;
    assert_eq!((s, q["status"].as_str()), (StatusCode::OK, Some("sent")), "{q}");
    let (s, q) = call(&app, Method::POST, &format!("{quote}/accept"), Some(&rep), Some(json!({"version": q["version"]}))).await;
    assert_eq!((s, q["status"].as_str(), q["totals"]["gross_minor"].as_i64()), (StatusCode::OK, Some("accepted"), Some(11_300_000)), "{q}");

    // Drafted from it: the quote's amount and terms, the shipped 30/60/10 milestones, the
    // chain the table gives.
    let (s, c) = call(&app, Method::POST, &contracts, Some(&rep), None).await;
    assert_eq!(s, StatusCode::CREATED, "{c}");
    assert_keys(&c, &CONTRACT);
    assert_eq!((c["status"].as_str(), c["amount_minor"].as_i64(), c["round"].as_i64()), (Some("draft"), Some(11_300_000), Some(0)));
    assert_eq!((c["quote_number"].clone(), c["payment_terms"].clone()), (q["number"].clone(), json!("30/60/10")));
    assert!(c["number"].as_str().unwrap().starts_with("HT-"), "{c}");
    let amounts: Vec<i64> = c["milestones"].as_array().unwrap().iter().map(|m| m["amount_minor"].as_i64().unwrap()).collect();
    assert_eq!(amounts, [3_390_000, 6_780_000, 1_130_000]);
    assert_eq!(c["milestones"][0]["share"], json!({"kind": "percent", "value": 3000}));
    let chain: Vec<&str> = c["steps"].as_array().unwrap().iter().map(|s| s["approver"].as_str().unwrap()).collect();
    assert_eq!(chain, ["sales_manager", "legal", "general_manager"]);
    assert!(c["steps"].as_array().unwrap().iter().all(|s| s["state"] == "waiting"), "{c}");
    let (id, number) = (c["id"].as_str().unwrap().to_owned(), c["number"].as_str().unwrap().to_owned());
    let uri = format!("/api/v1/contracts/{id}");

    // One open contract per deal; another team sees neither the contract nor the list.
    let (s, e) = call(&app, Method::POST, &contracts, Some(&rep), None).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(detail(&e).contains("still open"), "{e}");
    assert_not_found(call(&app, Method::GET, &uri, Some(&rep2), None).await);
    assert_not_found(call(&app, Method::GET, &contracts, Some(&rep2), None).await);
    let (s, list) = call(&app, Method::GET, &contracts, Some(&rep), None).await;
    assert_eq!((s, list.as_array().unwrap().len(), list[0]["id"].clone()), (StatusCode::OK, 1, c["id"].clone()));

    // Milestones that do not add up, and an unknown code, are refused naming the field.
    let half = json!({"kind": "service", "version": c["version"],
        "milestones": [{"kind": "down_payment", "due_on": "2027-01-31", "share": {"kind": "percent", "value": 5000}}]});
    let (s, e) = call(&app, Method::PUT, &uri, Some(&rep), Some(half.clone())).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(detail(&e).contains("milestones"), "{e}");
    let mut odd = half;
    odd["milestones"][0]["kind"] = json!("deposit");
    let (s, e) = call(&app, Method::PUT, &uri, Some(&rep), Some(odd)).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(detail(&e).contains("milestones[0].kind"), "{e}");

    // Saved whole: a first instalment already past due, two on triggers, one a fixed sum.
    let mut terms = json!({"kind": "software_licence", "amount_minor": 10_000_000, "acceptance_terms": "UAT sign-off", "milestones": [
        {"kind": "down_payment", "due_on": "2026-01-15", "share": {"kind": "percent", "value": 3000}},
        {"kind": "on_acceptance", "trigger": "on acceptance", "share": {"kind": "percent", "value": 6000}},
        {"kind": "retention", "trigger": "12 months after acceptance", "share": {"kind": "amount", "value": 1_000_000}}]});
    terms["version"] = c["version"].clone();
    let (s, c) = call(&app, Method::PUT, &uri, Some(&rep), Some(terms.clone())).await;
    assert_eq!(s, StatusCode::OK, "{c}");
    let amounts: Vec<i64> = c["milestones"].as_array().unwrap().iter().map(|m| m["amount_minor"].as_i64().unwrap()).collect();
    assert_eq!(amounts, [3_000_000, 6_000_000, 1_000_000]);
    assert_eq!((c["kind"].as_str(), c["amount_minor"].as_i64()), (Some("software_licence"), Some(10_000_000)));
    assert_eq!(call(&app, Method::PUT, &uri, Some(&rep), Some(terms.clone())).await.0, StatusCode::CONFLICT, "a stale version");

    // Submitted, withdrawn, submitted again: the second round starts at the first step.
    let step = |path: &str, v: &Value| (format!("{uri}/{path}"), json!({"version": v["version"]}));
    let (u, b) = step("submit", &c);
    let (s, c) = call(&app, Method::POST, &u, Some(&rep), Some(b.clone())).await;
    assert_eq!((s, c["status"].as_str(), c["steps"][0]["state"].as_str()), (StatusCode::OK, Some("in_review"), Some("pending")), "{c}");
    assert_eq!(call(&app, Method::POST, &u, Some(&rep), Some(b)).await.0, StatusCode::CONFLICT, "a stale version");
    let (s, mine) = call(&app, Method::GET, "/api/v1/contracts?mine=true", Some(&manager), None).await;
    assert_eq!(s, StatusCode::OK, "{mine}");
    let row = mine.as_array().unwrap().iter().find(|r| r["id"] == id.as_str()).expect("waiting for the manager");
    assert_eq!((row["waiting_for"].clone(), row["waiting_for_me"].clone()), (json!("sales_manager"), json!(true)));
    let (u, b) = step("withdraw", &c);
    let (s, c) = call(&app, Method::POST, &u, Some(&rep), Some(b)).await;
    assert_eq!((s, c["status"].as_str()), (StatusCode::OK, Some("draft")), "{c}");
    assert!(c["steps"].as_array().unwrap().iter().all(|s| s["state"] == "waiting"), "{c}");
    let (u, b) = step("submit", &c);
    let (s, c) = call(&app, Method::POST, &u, Some(&rep), Some(b)).await;
    assert_eq!((s, c["status"].as_str(), c["round"].as_i64()), (StatusCode::OK, Some("in_review"), Some(2)), "{c}");

    // The sales manager's step: a rejection needs a reason, the submitter may not decide.
    let decide = |a: &Value| format!("/api/v1/approvals/{}/decision", a["id"].as_str().unwrap());
    let first = pending(&app, &manager, &deal, &number).await;
    for body in [json!({"decision": "reject"}), json!({"decision": "reject", "comment": "  "})] {
        let (s, e) = call(&app, Method::POST, &decide(&first), Some(&manager), Some(body)).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        assert!(detail(&e).contains("comment"), "{e}");
    }
    let (s, _) = call(&app, Method::POST, &decide(&first), Some(&rep), Some(json!({"decision": "approve"}))).await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // Manager → legal → general manager, each deciding the step routed to them.
    for (i, (tok, who)) in [(&manager, "李伟"), (&legal, "刘婷"), (&gm, "王志强")].into_iter().enumerate() {
        let a = pending(&app, tok, &deal, &number).await;
        let (_, now) = call(&app, Method::GET, &uri, Some(&rep), None).await;
        assert_eq!(
            (now["steps"][i]["state"].clone(), now["steps"][i]["approval_id"].clone()),
            (json!("pending"), a["id"].clone()),
            "{now}"
        );
        assert_eq!(a["approver"], json!(who));
        let (s, d) = call(&app, Method::POST, &decide(&a), Some(tok), Some(json!({"decision": "approve", "comment": "同意"}))).await;
        assert_eq!((s, d["status"].as_str()), (StatusCode::OK, Some("approved")), "{d}");
    }
    let (_, c) = call(&app, Method::GET, &uri, Some(&rep), None).await;
    assert_eq!(c["status"], json!("approved"), "{c}");
    assert!(c["steps"].as_array().unwrap().iter().all(|s| s["state"] == "approved" && s["opinion"] == "同意"), "{c}");

    // Signed: a method nobody knows is named; then locked, and the deal takes its amount.
    let today = chrono::Utc::now().with_timezone(&app::domain::forecast::offset()).date_naive().to_string();
    let mut sign = json!({"signed_on": today, "signatory": "王总", "method": "wet_ink", "version": c["version"]});
    let (s, e) = call(&app, Method::POST, &format!("{uri}/sign"), Some(&rep), Some(sign.clone())).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(detail(&e).contains("method"), "{e}");
    sign["method"] = json!("paper");
    let (s, c) = call(&app, Method::POST, &format!("{uri}/sign"), Some(&rep), Some(sign)).await;
    assert_eq!((s, c["status"].as_str(), c["sign_method"].as_str()), (StatusCode::OK, Some("signed"), Some("paper")), "{c}");
    assert_eq!(c["signed_on"], json!(today));
    terms["version"] = c["version"].clone();
    let (s, e) = call(&app, Method::PUT, &uri, Some(&rep), Some(terms)).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "a signed contract is locked: {e}");
    assert!(detail(&e).contains("status"), "{e}");
    let (_, d) = call(&app, Method::GET, &format!("/api/v1/deals/{deal}"), Some(&rep), None).await;
    assert_eq!(d["amount_minor"].as_i64(), Some(10_000_000), "{d}");

    // Receipts: never more than is due on the milestone, under the version.
    let receipts = format!("{uri}/receipts");
    let pay = |milestone: i64, amount: i64, v: &Value| {
        let version = v["version"].clone();
        json!({"milestone": milestone, "received_on": today, "amount_minor": amount, "reference": "BANK-001", "version": version})
    };
    let (s, e) = call(&app, Method::POST, &receipts, Some(&rep), Some(pay(1, 3_000_001, &c))).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(detail(&e).contains("amount"), "{e}");
    let (s, e) = call(&app, Method::POST, &receipts, Some(&rep), Some(pay(9, 1, &c))).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(detail(&e).contains("milestone"), "{e}");
    let (s, paid) = call(&app, Method::POST, &receipts, Some(&rep), Some(pay(1, 1_000_000, &c))).await;
    assert_eq!(s, StatusCode::OK, "{paid}");
    assert_eq!((paid["received_minor"].as_i64(), paid["milestones"][0]["received_minor"].as_i64()), (Some(1_000_000), Some(1_000_000)));
    assert_eq!((paid["receipts"].as_array().unwrap().len(), paid["receipts"][0]["milestone"].as_i64()), (1, Some(1)));
    assert_eq!(call(&app, Method::POST, &receipts, Some(&rep), Some(pay(1, 500, &c))).await.0, StatusCode::CONFLICT);

    // Receivables: 2,000,000 of the first instalment long overdue, the rest not yet due.
    let (s, r) = call(&app, Method::GET, "/api/v1/receivables", Some(&rep), None).await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(
        (r["over_90_minor"].as_i64(), r["overdue_minor"].as_i64(), r["not_due_minor"].as_i64(), r["received_quarter_minor"].as_i64()),
        (Some(2_000_000), Some(2_000_000), Some(7_000_000), Some(1_000_000)),
        "{r}"
    );
    assert_eq!(r["top_overdue"][0]["overdue_minor"].as_i64(), Some(2_000_000), "{r}");
    let team_overdue: i64 = r["by_team"].as_array().unwrap().iter().map(|t| t["overdue_minor"].as_i64().unwrap()).sum();
    assert_eq!(team_overdue, 2_000_000, "{r}");
    assert_eq!((r["mine"]["overdue_minor"].as_i64(), r["mine"]["overdue_milestones"].as_u64()), (Some(2_000_000), Some(1)), "{r}");
    let (s, rows) = call(&app, Method::GET, "/api/v1/receivables/milestones?bucket=overdue", Some(&rep), None).await;
    assert_eq!(s, StatusCode::OK, "{rows}");
    assert_eq!(rows.as_array().unwrap().len(), 1, "{rows}");
    assert_eq!(
        (rows[0]["number"].as_str(), rows[0]["milestone"].as_i64(), rows[0]["due_minor"].as_i64(), rows[0]["received_minor"].as_i64()),
        (Some(number.as_str()), Some(1), Some(3_000_000), Some(1_000_000))
    );
    let (s, e) = call(&app, Method::GET, "/api/v1/receivables/milestones?bucket=soon", Some(&rep), None).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(detail(&e).contains("bucket"), "{e}");

    // The list's filters.
    for (query, listed) in
        [("status=signed", true), ("status=draft", false), ("overdue=true", true), ("kind=software_licence", true), ("kind=service", false)]
    {
        let (s, v) = call(&app, Method::GET, &format!("/api/v1/contracts?{query}"), Some(&rep), None).await;
        assert_eq!(s, StatusCode::OK, "{query}: {v}");
        assert_eq!(v.as_array().unwrap().iter().any(|r| r["id"] == id.as_str()), listed, "{query}: {v}");
    }
    let (s, e) = call(&app, Method::GET, "/api/v1/contracts?status=bogus", Some(&rep), None).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(detail(&e).contains("status"), "{e}");

    // Amended: a draft copy numbered after it that names what it replaces; the signed one
    // stays in force and says an amendment is under way; one amendment at a time.
    let (_, c) = call(&app, Method::GET, &uri, Some(&rep), None).await;
    let (s, a) = call(&app, Method::POST, &format!("{uri}/amend"), Some(&rep), Some(json!({"version": c["version"]}))).await;
    assert_eq!(s, StatusCode::OK, "{a}");
    assert_eq!(
        (a["status"].as_str(), a["revision"].as_i64(), a["number"].as_str(), a["supersedes"].as_str()),
        (Some("draft"), Some(1), Some(format!("{number}-A1").as_str()), Some(number.as_str())),
        "{a}"
    );
    assert_eq!(a["milestones"].as_array().unwrap().len(), 3, "{a}");
    let (_, c) = call(&app, Method::GET, &uri, Some(&rep), None).await;
    assert_eq!((c["status"].as_str(), c["amended_by"].clone()), (Some("signed"), a["number"].clone()), "{c}");
    let (s, e) = call(&app, Method::POST, &format!("{uri}/amend"), Some(&rep), Some(json!({"version": c["version"]}))).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(detail(&e).contains("still open"), "{e}");
    let draft_uri = format!("/api/v1/contracts/{}", a["id"].as_str().unwrap());
    let (s, e) = call(&app, Method::POST, &format!("{draft_uri}/amend"), Some(&rep), Some(json!({"version": a["version"]}))).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "a draft is edited, not amended: {e}");
    assert!(detail(&e).contains("status"), "{e}");
}

#[tokio::test]
async fn the_chain_table_is_read_by_all_and_set_by_admins_and_documented() {
    let t = app::ssr::testdb::seeded().await.unwrap();
    app::ssr::testdb::clear_contracts(&t.db).await.unwrap();
    let app = router(&t.db);
    let (rep, admin) = (token(&app, "rep@demo.local").await, token(&app, "admin@demo.local").await);
    let (s, chain) = call(&app, Method::GET, "/api/v1/contract-chain", Some(&rep), None).await;
    assert_eq!(s, StatusCode::OK, "{chain}");
    assert_eq!(chain, json!([{"contract_type": null, "min_amount_minor": 0, "steps": ["sales_manager", "legal", "general_manager"]}]));
    let rules = json!([
        {"contract_type": null, "min_amount_minor": 0, "steps": ["sales_manager", "legal", "general_manager"]},
        {"contract_type": "hardware", "min_amount_minor": 100_000_000, "steps": ["sales_manager", "finance", "general_manager"]}
    ]);
    assert_eq!(call(&app, Method::PUT, "/api/v1/contract-chain", Some(&rep), Some(rules.clone())).await.0, StatusCode::FORBIDDEN);
    let mut bad = rules.clone();
    bad[1]["steps"][1] = json!("cfo");
    let (s, e) = call(&app, Method::PUT, "/api/v1/contract-chain", Some(&admin), Some(bad)).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(detail(&e).contains("rules[1].steps[1]"), "{e}");
    let mut twice = rules.clone();
    twice[1]["steps"][1] = json!("sales_manager");
    let (s, e) = call(&app, Method::PUT, "/api/v1/contract-chain", Some(&admin), Some(twice)).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(detail(&e).contains("steps"), "{e}");
    let (s, saved) = call(&app, Method::PUT, "/api/v1/contract-chain", Some(&admin), Some(rules.clone())).await;
    assert_eq!((s, &saved), (StatusCode::OK, &rules));
    assert_eq!(call(&app, Method::GET, "/api/v1/contract-chain", Some(&rep), None).await.1, rules);

    // Nothing signed yet: nothing owed.
    let (s, r) = call(&app, Method::GET, "/api/v1/receivables", Some(&rep), None).await;
    assert_eq!((s, r["overdue_minor"].as_i64(), r["not_due_minor"].as_i64()), (StatusCode::OK, Some(0), Some(0)), "{r}");
    assert_not_found(call(&app, Method::GET, &format!("/api/v1/contracts/{}", unknown_id()), Some(&rep), None).await);
    assert_not_found(call(&app, Method::POST, &format!("/api/v1/deals/{}/contracts", unknown_id()), Some(&rep), None).await);

    // The document: every route, and the list's filters as query parameters.
    let doc = serde_json::to_value(<rest::ApiDoc as utoipa::OpenApi>::openapi()).unwrap();
    for (method, path) in [
        ("post", "/api/v1/contracts/{id}/sign"),
        ("post", "/api/v1/contracts/{id}/receipts"),
        ("put", "/api/v1/contracts/{id}"),
        ("post", "/api/v1/deals/{id}/contracts"),
        ("get", "/api/v1/receivables/milestones"),
        ("put", "/api/v1/contract-chain"),
    ] {
        assert!(doc["paths"][path][method].is_object(), "{method} {path} is not documented");
    }
    let params = doc["paths"]["/api/v1/contracts"]["get"]["parameters"].as_array().unwrap();
    for name in ["status", "kind", "mine", "overdue"] {
        assert!(params.iter().any(|p| p["name"] == name && p["in"] == "query"), "{name} in {params:?}");
    }
    assert!(params.iter().all(|p| p["in"] == "query"), "{params:?}");
    let bucket = doc["paths"]["/api/v1/receivables/milestones"]["get"]["parameters"].as_array().unwrap();
    assert!(bucket.iter().any(|p| p["name"] == "bucket" && p["in"] == "query"), "{bucket:?}");
}
