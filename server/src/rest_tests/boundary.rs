//! Hostile input for every operation of the OpenAPI document: each query and path parameter
//! gets values chosen by its schema type, each JSON body a few mutations (fields missing, of
//! the wrong type, huge numbers, far dates, long text, huge lists). No answer may be a 5xx or
//! a panic, and a refusal is problem+json naming what it refused. Generated from the
//! document, so a new route or parameter is covered without being listed here.
use super::{router, token};
use crate::rest;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use axum::Router;
use serde_json::{json, Map, Value};
use tower::ServiceExt;

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// A schema with its `$ref` followed, and the first non-null of an `Option`'s alternatives.
fn resolve<'a>(doc: &'a Value, mut s: &'a Value) -> &'a Value {
    for _ in 0..8 {
        if let Some(r) = s["$ref"].as_str() {
            s = &doc["components"]["schemas"][r.trim_start_matches("#/components/schemas/")];
        } else if let Some(alt) = s["oneOf"].as_array().or(s["anyOf"].as_array()) {
            match alt.iter().find(|a| a["type"] != "null") {
                Some(a) => s = a,
                None => return s,
            }
        } else {
            return s;
        }
    }
    s
}

/// The schema's type: `integer`, `string`, … (`["string", "null"]` reads as `string`).
fn kind(s: &Value) -> &str {
    match &s["type"] {
        Value::String(t) => t,
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).find(|t| *t != "null").unwrap_or("null"),
        _ if s["properties"].is_object() => "object",
        _ => "",
    }
}

/// The properties of an object schema, `allOf` parts merged (`#[serde(flatten)]`).
fn properties(doc: &Value, s: &Value) -> Map<String, Value> {
    let s = resolve(doc, s);
    let mut out = s["properties"].as_object().cloned().unwrap_or_default();
    for part in s["allOf"].as_array().into_iter().flatten() {
        out.extend(properties(doc, part));
    }
    out
}

/// A plausible value for a schema: what a client would send, before it is mutated.
fn sample(doc: &Value, s: &Value, depth: usize) -> Value {
    let s = resolve(doc, s);
    if s["allOf"].is_array() && depth < 3 {
        return Value::Object(properties(doc, s).iter().map(|(k, p)| (k.clone(), sample(doc, p, depth + 1))).collect());
    }
    if let Some(e) = s["enum"].as_array().and_then(|e| e.iter().find(|v| !v.is_null())) {
        return e.clone();
    }
    match (kind(s), s["format"].as_str()) {
        ("integer", _) => json!(1),
        ("number", _) => json!(1.0),
        ("boolean", _) => json!(true),
        ("string", Some("date")) => json!("2027-03-31"),
        ("string", Some("date-time")) => json!("2027-03-31T08:00:00Z"),
        ("string", Some("uuid")) => json!(uuid::Uuid::new_v4()),
        ("string", _) => json!("x"),
        ("array", _) if depth < 3 => json!([sample(doc, &s["items"], depth + 1)]),
        ("object", _) if depth < 3 => {
            let props = s["properties"].as_object().cloned().unwrap_or_default();
            Value::Object(props.iter().map(|(k, p)| (k.clone(), sample(doc, p, depth + 1))).collect())
        }
        _ => Value::Null,
    }
}

/// Hostile text for a parameter of the schema `s` (already percent-encoded where needed).
fn hostile_params(s: &Value) -> Vec<String> {
    let long = "x".repeat(10_000);
    let mut v: Vec<String> = match (kind(s), s["format"].as_str()) {
        ("integer", _) | ("number", _) => vec!["-1", "0", "9223372036854775807", "18446744073709551615", "18446744073709551616", "abc"]
            .into_iter()
            .map(str::to_owned)
            .collect(),
        ("string", Some("date")) => {
            vec!["99999-12-31", "9999-12-31", "0000-01-01", "2027-02-30", "-262144-01-01", ""].into_iter().map(str::to_owned).collect()
        }
        ("string", Some("uuid")) => vec![uuid::Uuid::nil().to_string(), uuid::Uuid::new_v4().to_string(), "x".into()],
        ("boolean", _) => vec!["abc".into(), "".into()],
        _ => vec![
            long,
            "%00".into(),
            "99999".into(),
            "99999-12".into(),
            "9999-Q4".into(),
            "262143-Q4".into(),
            "-1".into(),
            "18446744073709551616".into(),
        ],
    };
    v.dedup();
    v
}

/// Bodies that break `good` (an object from the schema) one field at a time, and a few that
/// break it whole.
fn hostile_bodies(doc: &Value, schema: &Value, good: &Value) -> Vec<(String, Value)> {
    let mut out = vec![
        (String::new(), json!({})),
        (String::new(), json!([])),
        (String::new(), json!("x")),
        (String::new(), Value::Null),
        (String::new(), good.clone()),
    ];
    let Some(obj) = good.as_object() else { return out };
    let props = properties(doc, schema);
    let with = |k: &str, v: Value| {
        let mut m: Map<String, Value> = obj.clone();
        m.insert(k.to_owned(), v);
        (k.to_owned(), Value::Object(m))
    };
    for (k, p) in &props {
        let p = resolve(doc, p);
        let mut values = vec![json!({"nested": true})];
        match (kind(p), p["format"].as_str()) {
            ("integer", _) | ("number", _) => {
                values.extend([json!(i64::MAX), json!(i64::MIN), json!(-1), json!(u64::MAX), json!(1e300), json!("abc")])
            }
            ("string", Some("date")) => {
                values.extend([json!("99999-12-31"), json!("9999-12-31"), json!("0001-01-01"), json!("2027-02-30")])
            }
            ("string", Some("uuid")) => values.extend([json!("x"), json!(uuid::Uuid::nil())]),
            ("string", _) => values.extend([json!("x".repeat(10_000)), json!("\u{0}"), json!(12)]),
            ("array", _) => {
                // Far more items than any form sends: refused by a bound, never by the database.
                let item = sample(doc, &p["items"], 1);
                let many = if item.is_object() { 5_000 } else { 40_000 };
                let items: Vec<Value> = (0..many)
                    .map(|_| if item.is_string() && p["items"]["format"] == "uuid" { json!(uuid::Uuid::new_v4()) } else { item.clone() })
                    .collect();
                values.extend([Value::Array(items), json!("x")]);
            }
            _ => values.push(json!(12)),
        }
        out.extend(values.into_iter().map(|v| with(k, v)));
    }
    out
}

/// The first `id` found in an answer (a list, a page or an object), as a string.
fn first_id(v: &Value) -> Option<String> {
    match v {
        Value::Object(m) => m
            .get("id")
            .and_then(|id| id.as_str().map(str::to_owned).or_else(|| id.as_i64().map(|i| i.to_string())))
            .or_else(|| m.values().find_map(first_id)),
        Value::Array(a) => a.iter().find_map(first_id),
        _ => None,
    }
}

/// The server's validation says "Please correct FIELD: …"; the framework's refusal of a JSON
/// body "Failed to deserialize …: FIELD: …" or "missing field `FIELD`".
fn names_a_field(detail: &str) -> bool {
    let named = |rest: &str| rest.split(':').next().is_some_and(|f| !f.trim().is_empty() && !f.contains(' '));
    detail.strip_prefix("Please correct ").is_some_and(named)
        || detail.split_once("target type: ").is_some_and(|(_, rest)| named(rest) || rest.contains("missing field `"))
}

struct Sent {
    status: StatusCode,
    content_type: String,
    body: Value,
}

/// One request, in its own task so that a handler's panic is reported, not fatal.
async fn send(app: &Router, method: &Method, uri: &str, tok: &str, body: Option<(&str, Vec<u8>)>) -> Result<Sent, String> {
    let mut b = Request::builder().method(method.clone()).uri(uri).header("authorization", format!("Bearer {tok}"));
    let req = match body {
        Some((ct, bytes)) => b.header("content-type", ct).body(Body::from(bytes)),
        None => {
            b = b.header("accept", "application/json");
            b.body(Body::empty())
        }
    }
    .map_err(|e| format!("unbuildable request: {e}"))?;
    let app = app.clone();
    let task = tokio::spawn(async move {
        let res = app.oneshot(req).await.map_err(|e| e.to_string())?;
        let status = res.status();
        let content_type = res.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        let bytes = axum::body::to_bytes(res.into_body(), 1 << 26).await.map_err(|e| format!("body cut off: {e}"))?;
        Ok::<_, String>(Sent { status, content_type, body: serde_json::from_slice(&bytes).unwrap_or(Value::Null) })
    });
    task.await.map_err(|e| format!("panicked: {e}"))?
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-_.~%".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

#[tokio::test]
async fn hostile_parameters_and_bodies_never_answer_5xx() {
    let started = std::time::Instant::now();
    let t = app::ssr::testdb::seeded().await.unwrap();
    let app = router(&t.db);
    let manager = token(&app, "manager@demo.local").await;
    let admin = token(&app, "admin@demo.local").await;
    let doc = serde_json::to_value(<rest::ApiDoc as utoipa::OpenApi>::openapi()).unwrap();

    // Real ids for path parameters, so the checks behind a lookup are reached: the first id
    // each list answers with (the admin's user routes get a rep's id: the mutations below
    // must not lock the token's owner out).
    let mut ids: std::collections::BTreeMap<&str, String> = Default::default();
    for (prefix, list, tok) in [
        ("/api/v1/deals/", "/api/v1/deals?limit=1", &manager),
        ("/api/v1/accounts/", "/api/v1/accounts?per_page=1", &manager),
        ("/api/v1/contacts/", "/api/v1/contacts?per_page=1", &manager),
        ("/api/v1/contracts/", "/api/v1/contracts", &manager),
        ("/api/v1/approvals/", "/api/v1/approvals", &manager),
        ("/api/v1/products/", "/api/v1/products", &admin),
        ("/api/v1/admin/teams/", "/api/v1/admin/teams", &admin),
    ] {
        let r = send(&app, &Method::GET, list, tok, None).await.unwrap();
        assert_eq!(r.status, StatusCode::OK, "{list}: {}", r.body);
        if let Some(id) = first_id(&r.body) {
            ids.insert(prefix, id);
        }
    }
    let users = send(&app, &Method::GET, "/api/v1/admin/users", &admin, None).await.unwrap().body;
    let rep5 = users.as_array().into_iter().flatten().find(|u| u["email"] == "rep5@demo.local").and_then(first_id).unwrap();
    ids.insert("/api/v1/admin/users/", rep5);
    let deal = ids["/api/v1/deals/"].clone();
    let quotes = send(&app, &Method::GET, &format!("/api/v1/deals/{deal}/quotes"), &manager, None).await.unwrap().body;
    if let Some(q) = first_id(&quotes) {
        ids.insert("/api/v1/quotes/", q);
    }
    let objections = send(&app, &Method::GET, &format!("/api/v1/deals/{deal}/objections"), &manager, None).await.unwrap().body;
    if let Some(o) = first_id(&objections) {
        ids.insert("/api/v1/objections/", o);
    }

    let mut requests = 0usize;
    let mut failures: Vec<String> = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (m, op) in item.as_object().unwrap().iter().filter(|(m, _)| METHODS.contains(&m.as_str())) {
            let method = Method::from_bytes(m.to_uppercase().as_bytes()).unwrap();
            let params = op["parameters"].as_array().cloned().unwrap_or_default();
            let good = |name: &str| -> String {
                match ids.iter().find(|(prefix, _)| path.starts_with(*prefix)) {
                    Some((_, id)) if name == "id" => id.clone(),
                    _ if name == "list" => "accounts".into(),
                    _ => uuid::Uuid::new_v4().to_string(),
                }
            };
            let fill = |hostile: Option<(&str, &str)>| -> String {
                let mut uri = path.clone();
                for p in params.iter().filter(|p| p["in"] == "path") {
                    let name = p["name"].as_str().unwrap();
                    let v = match hostile {
                        Some((n, v)) if n == name => v.to_owned(),
                        _ => good(name),
                    };
                    uri = uri.replace(&format!("{{{name}}}"), &v);
                }
                if let Some((n, v)) = hostile.filter(|(n, _)| params.iter().any(|p| p["in"] == "query" && p["name"] == *n)) {
                    uri = format!("{uri}?{n}={v}");
                }
                uri
            };
            let body_ct = op["requestBody"]["content"].as_object().and_then(|c| c.keys().next().cloned());
            let json_schema = op["requestBody"]["content"]["application/json"]["schema"].clone();
            let good_body = (!json_schema.is_null()).then(|| sample(&doc, &json_schema, 0));
            // Whoever may use the operation: the manager, or the admin where the manager may not.
            let probe_body =
                body_ct.as_ref().map(|ct| (ct.as_str(), good_body.as_ref().map(|b| b.to_string()).unwrap_or_default().into_bytes()));
            let tok = match send(&app, &method, &fill(None), &manager, probe_body).await {
                Ok(r) if r.status == StatusCode::FORBIDDEN => &admin,
                _ => &manager,
            };
            let mut cases: Vec<(String, String, Option<Vec<u8>>)> = Vec::new();
            let plain_body = || body_ct.as_ref().map(|_| good_body.as_ref().map(|b| b.to_string()).unwrap_or_default().into_bytes());
            for p in &params {
                let name = p["name"].as_str().unwrap();
                for v in hostile_params(resolve(&doc, &p["schema"])) {
                    cases.push((name.to_owned(), fill(Some((name, &encode(&v)))), plain_body()));
                }
            }
            match (&body_ct, &good_body) {
                (Some(_), Some(good)) => {
                    for (field, b) in hostile_bodies(&doc, &json_schema, good) {
                        cases.push((field, fill(None), Some(b.to_string().into_bytes())));
                    }
                    cases.push((String::new(), fill(None), Some(b"{\"unterminated".to_vec())));
                }
                (Some(_), None) => {
                    for b in [b"\x00\xff\xfe garbage,\"\n".to_vec(), Vec::new(), vec![b'a'; 3 << 20]] {
                        cases.push((String::new(), fill(None), Some(b)));
                    }
                }
                _ => {}
            }
            for (field, uri, body) in cases {
                requests += 1;
                let body = body.map(|b| (body_ct.as_deref().unwrap_or("application/json"), b));
                let what = format!("{m} {uri:.160} [{field}]");
                match send(&app, &method, &uri, tok, body).await {
                    Err(e) => failures.push(format!("{what}: {e}")),
                    Ok(r) if r.status.is_server_error() => failures.push(format!("{what}: {} {}", r.status, r.body)),
                    Ok(r) if r.status.is_client_error() => {
                        let detail = r.body["detail"].as_str().unwrap_or_default();
                        // A body the document declares for this status (a refused move's reasons).
                        let declared = op["responses"][r.status.as_str()]["content"]["application/json"].is_object();
                        if declared && r.content_type.starts_with("application/json") {
                        } else if !r.content_type.starts_with("application/problem+json") || r.body["status"] != r.status.as_u16() {
                            failures.push(format!("{what}: {} not problem+json ({}): {}", r.status, r.content_type, r.body));
                        } else if r.status == StatusCode::UNPROCESSABLE_ENTITY && !field.is_empty() && !names_a_field(detail) {
                            // A 422 is a validation: it says which field to correct.
                            failures.push(format!("{what}: 422 names no field: {detail}"));
                        }
                    }
                    Ok(_) => {}
                }
            }
        }
    }
    println!("{requests} requests, {} server errors ({:.1} s)", failures.len(), started.elapsed().as_secs_f64());
    assert!(requests > 1_500, "{requests} requests");
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

/// Internal lookups by a list of ids of any length: more ids than either database binds in
/// one statement (SQLite 32,766, PostgreSQL 65,535) are looked up in chunks.
#[tokio::test]
async fn name_lookups_take_more_ids_than_a_statement_binds() {
    let t = app::ssr::testdb::seeded().await.unwrap();
    let ids: Vec<i32> = (1..=70_000).collect();
    let users = app::ssr::service::user_names(&t.db, ids.clone()).await.unwrap();
    assert_eq!(users.len(), app::ssr::seed::DEMO_USERS.len());
    let accounts = app::ssr::service::account_names(&t.db, ids).await.unwrap();
    assert!(accounts.len() >= 10, "{}", accounts.len());
}

/// The bodies that flatten another (`allOf` in the document: a contract, a quote, a product or
/// an objection with the version it was read at) name the field of a wrong type, inside the
/// flattened part, in a list within it, and the version itself.
#[tokio::test]
async fn flattened_bodies_name_the_field_of_a_wrong_type() {
    let t = app::ssr::testdb::seeded().await.unwrap();
    let app = router(&t.db);
    let tok = token(&app, "admin@demo.local").await;
    let id = uuid::Uuid::new_v4();
    let cases = [
        ("/api/v1/contracts", json!({"kind": 5, "version": 1}), "kind"),
        (
            "/api/v1/contracts",
            json!({"kind": "service", "milestones": [{"kind": "down_payment", "trigger": 3}], "version": 1}),
            "milestones[0].trigger",
        ),
        ("/api/v1/quotes", json!({"lines": [{"description": "x", "quantity": 2}], "version": 1}), "lines[0].quantity"),
        ("/api/v1/quotes", json!({"notes": ["x"], "version": 1}), "notes"),
        ("/api/v1/products", json!({"code": "X", "list_price_minor": "ten", "version": 1}), "list_price_minor"),
        ("/api/v1/objections", json!({"category": 7, "version": 1}), "category"),
        ("/api/v1/objections", json!({"category": "other", "said": "x", "version": "one"}), "version"),
    ];
    for (base, body, field) in cases {
        let uri = format!("{base}/{id}");
        let r = send(&app, &Method::PUT, &uri, &tok, Some(("application/json", body.to_string().into_bytes()))).await.unwrap();
        let detail = r.body["detail"].as_str().unwrap_or_default();
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{uri} {body}: {}", r.body);
        assert!(names_a_field(detail) && detail.contains(&format!("target type: {field}: ")), "{uri} {body}: {detail}");
    }
}
