//! The OpenAPI document tells the truth about the answers: status codes, content types and
//! bodies. schemathesis checks this against the release server in `make fuzz`; these are
//! its findings kept as tests, and a small conformance check of every GET that needs no id.
use super::{router, token};
use crate::rest;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use axum::Router;
use serde_json::{json, Value};
use tower::ServiceExt;

fn doc() -> Value {
    serde_json::to_value(<rest::ApiDoc as utoipa::OpenApi>::openapi()).unwrap()
}

fn schema_named<'a>(doc: &'a Value, r: &str) -> &'a Value {
    &doc["components"]["schemas"][r.trim_start_matches("#/components/schemas/")]
}

/// Where `v` breaks the JSON schema `s` (the keywords utoipa writes: `$ref`, `oneOf`, `anyOf`,
/// `allOf`, `type`, `enum`, `required`, `properties`, `items`, `prefixItems`); empty if nowhere.
fn mismatches(doc: &Value, s: &Value, v: &Value, at: &str) -> Vec<String> {
    if let Some(r) = s["$ref"].as_str() {
        return mismatches(doc, schema_named(doc, r), v, at);
    }
    if let Some(alts) = s["oneOf"].as_array().or(s["anyOf"].as_array()) {
        if !alts.iter().any(|a| mismatches(doc, a, v, at).is_empty()) {
            return vec![format!("{at}: {v} fits none of the alternatives")];
        }
    }
    let mut out: Vec<String> = s["allOf"].as_array().into_iter().flatten().flat_map(|p| mismatches(doc, p, v, at)).collect();
    let types: Vec<&str> = match &s["type"] {
        Value::String(t) => vec![t],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    let fits = |t: &str| match t {
        "null" => v.is_null(),
        "boolean" => v.is_boolean(),
        "integer" => v.is_i64() || v.is_u64(),
        "number" => v.is_number(),
        "string" => v.is_string(),
        "array" => v.is_array(),
        "object" => v.is_object(),
        _ => true,
    };
    if !types.is_empty() && !types.iter().any(|t| fits(t)) {
        out.push(format!("{at}: {v} is not {types:?}"));
        return out;
    }
    if let Some(e) = s["enum"].as_array() {
        if !e.contains(v) {
            out.push(format!("{at}: {v} is not one of {e:?}"));
        }
    }
    if let Some(o) = v.as_object() {
        for k in s["required"].as_array().into_iter().flatten().filter_map(Value::as_str) {
            if !o.contains_key(k) {
                out.push(format!("{at}: `{k}` is required but missing"));
            }
        }
        for (k, p) in s["properties"].as_object().into_iter().flatten() {
            if let Some(x) = o.get(k) {
                out.extend(mismatches(doc, p, x, &format!("{at}.{k}")));
            }
        }
    }
    if let Some(a) = v.as_array() {
        let prefix = s["prefixItems"].as_array().map_or(&[][..], Vec::as_slice);
        for (i, x) in a.iter().enumerate() {
            let item = prefix.get(i).unwrap_or(&s["items"]);
            if *item == Value::Bool(false) {
                out.push(format!("{at}[{i}]: no item allowed here"));
            } else if item.is_object() {
                out.extend(mismatches(doc, item, x, &format!("{at}[{i}]")));
            }
        }
    }
    out
}

/// The documented response of `op` for `status`: the code itself, else its range (`4XX`).
fn documented(op: &Value, status: StatusCode) -> Option<&Value> {
    let r = &op["responses"];
    r.get(status.as_str()).or_else(|| r.get(format!("{}XX", status.as_u16() / 100)))
}

struct Answer {
    status: StatusCode,
    content_type: String,
    body: Vec<u8>,
}

async fn send(app: &Router, method: Method, uri: &str, tok: &str, body: Option<(&str, Vec<u8>)>) -> Answer {
    let b = Request::builder().method(method).uri(uri).header("authorization", format!("Bearer {tok}"));
    let req = match body {
        Some((ct, bytes)) => b.header("content-type", ct).body(Body::from(bytes)).unwrap(),
        None => b.body(Body::empty()).unwrap(),
    };
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let content_type = res.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    Answer { status, content_type, body: axum::body::to_bytes(res.into_body(), 1 << 26).await.unwrap().to_vec() }
}

/// What is wrong with `a` as an answer of the operation `method path`, by the document.
fn check(doc: &Value, method: &str, path: &str, a: &Answer) -> Vec<String> {
    let what = format!("{method} {path} {}", a.status);
    let Some(resp) = documented(&doc["paths"][path][method], a.status) else {
        return vec![format!("{what}: status not documented")];
    };
    let media = a.content_type.split(';').next().unwrap_or_default().trim();
    let content = &resp["content"];
    if content.as_object().is_none_or(|c| c.is_empty()) {
        return if a.body.is_empty() { vec![] } else { vec![format!("{what}: a body ({media}) where the document says none")] };
    }
    let Some(c) = content.get(media) else {
        return vec![format!("{what}: content type {media:?} not among {:?}", content.as_object().unwrap().keys().collect::<Vec<_>>())];
    };
    if !media.ends_with("json") {
        return vec![];
    }
    match serde_json::from_slice::<Value>(&a.body) {
        Ok(v) => mismatches(doc, &c["schema"], &v, &what),
        Err(e) => vec![format!("{what}: not JSON: {e}")],
    }
}

/// Found by schemathesis: the quotas' CSV import and the spreadsheet import both answered an
/// `ImportOut`, and the document, keyed by bare type name, described one with the other's
/// schema. utoipa gives no warning, so the resource modules' schema type names are unique.
#[test]
fn every_schema_type_name_is_declared_once() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rest");
    let mut seen = std::collections::BTreeMap::<String, String>::new();
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let mut derived = false;
        for line in text.lines().map(str::trim) {
            if line.starts_with("#[derive(") && line.contains("ToSchema") {
                derived = true;
            } else if derived && !line.starts_with("#[") && !line.starts_with("///") && !line.starts_with("//") {
                let name = line.split_whitespace().find(|w| *w != "pub" && *w != "struct" && *w != "enum").unwrap_or_default();
                let name = name.split(['<', '{', '(']).next().unwrap().to_owned();
                let file = path.file_name().unwrap().to_string_lossy().into_owned();
                if let Some(other) = seen.insert(name.clone(), file.clone()) {
                    panic!("schema `{name}` is declared in {other} and in {file}: one would replace the other in the document");
                }
                count += 1;
                derived = false;
            }
        }
    }
    assert!(count > 50, "{count} schema types read: the scan finds the derives");
    let doc = doc();
    assert!(schema_named(&doc, "ImportOut")["properties"]["status"].is_object(), "the spreadsheet import's job");
    let quota = &doc["paths"]["/api/v1/quotas/import"]["post"]["responses"]["200"]["content"]["application/json"]["schema"];
    assert_eq!(quota["$ref"], "#/components/schemas/QuotaImportOut");
}

/// Found by schemathesis: a tuple (`[line, message]`) was written in OpenAPI 3.0's array form
/// of `items`, which a 3.1 document may not hold (validators refuse the whole schema); and
/// `prefixItems` is turned back into that form by schemathesis itself.
#[test]
fn no_schema_uses_the_array_form_of_items() {
    fn walk(v: &Value, at: &str, bad: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    if (k == "items" && x.is_array()) || k == "additionalItems" || k == "prefixItems" {
                        bad.push(format!("{at}/{k}"));
                    }
                    walk(x, &format!("{at}/{k}"), bad);
                }
            }
            Value::Array(a) => a.iter().enumerate().for_each(|(i, x)| walk(x, &format!("{at}/{i}"), bad)),
            _ => {}
        }
    }
    let doc = doc();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    let mut bad = Vec::new();
    walk(&doc, "", &mut bad);
    assert!(bad.is_empty(), "3.0-style tuple schemas: {bad:?}");
    let pair = &schema_named(&doc, "QuotaImportOut")["properties"]["errors"]["items"];
    assert_eq!((&pair["minItems"], &pair["maxItems"], &pair["items"]["type"]), (&json!(2), &json!(2), &json!(["integer", "string"])));
}

/// Found by schemathesis: a 4xx that a handler answers with its own JSON (a refused move's
/// reasons, a price list's verdicts) is also what the framework answers, as problem+json, when
/// the body or a parameter does not parse. Every 4xx and 5xx of the document lists problem+json.
#[tokio::test]
async fn every_refusal_may_be_problem_json_as_the_framework_sends_it() {
    let doc = doc();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (m, op) in item.as_object().unwrap() {
            for (code, r) in op["responses"].as_object().into_iter().flatten().filter(|(c, _)| c.starts_with(['4', '5'])) {
                assert!(r["content"]["application/problem+json"].is_object(), "{m} {path} {code}: {r}");
            }
        }
    }
    let t = app::ssr::testdb::seeded().await.unwrap();
    let app = router(&t.db);
    let manager = token(&app, "manager@demo.local").await;
    let (_, deals) = super::call(&app, Method::GET, "/api/v1/deals?limit=1", Some(&manager), None).await;
    let id = deals["deals"][0]["id"].as_str().unwrap();
    // The version past i32: refused by the framework before the handler runs.
    let body = json!({"to_stage_id": uuid::Uuid::new_v4(), "version": 2_147_483_648_i64}).to_string().into_bytes();
    let a = send(&app, Method::POST, &format!("/api/v1/deals/{id}/moves"), &manager, Some(("application/json", body))).await;
    assert_eq!((a.status, a.content_type.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "application/problem+json"));
    assert!(String::from_utf8_lossy(&a.body).contains("version"), "names the field");
    assert_eq!(check(&doc, "post", "/api/v1/deals/{id}/moves", &a), Vec::<String>::new());
    // A price list that is not UTF-8: the framework's refusal again, where the handler's own 422 is JSON.
    let a = send(
        &app,
        Method::POST,
        "/api/v1/products/csv?dry_run=true",
        &token(&app, "admin@demo.local").await,
        Some(("text/csv", vec![0xff])),
    )
    .await;
    assert!(a.status.is_client_error(), "{}", a.status);
    assert_eq!(check(&doc, "post", "/api/v1/products/csv", &a), Vec::<String>::new());
}

/// Found by schemathesis: the spreadsheet downloads were documented as octet-stream; they are
/// XLSX, or CSV when asked.
#[tokio::test]
async fn spreadsheets_answer_the_content_types_the_document_lists() {
    let doc = doc();
    let t = app::ssr::testdb::seeded().await.unwrap();
    let app = router(&t.db);
    let manager = token(&app, "manager@demo.local").await;
    for (path, uri) in [
        ("/api/v1/imports/template", "/api/v1/imports/template"),
        ("/api/v1/imports/template", "/api/v1/imports/template?format=csv&kind=deals"),
        ("/api/v1/exports/{list}", "/api/v1/exports/deals"),
        ("/api/v1/exports/{list}", "/api/v1/exports/accounts?format=csv"),
    ] {
        let a = send(&app, Method::GET, uri, &manager, None).await;
        assert_eq!(a.status, StatusCode::OK, "{uri}");
        assert_eq!(check(&doc, "get", path, &a), Vec::<String>::new(), "{uri}");
    }
}

/// Every GET that needs no id, as a manager and a rep, after one spreadsheet upload and one
/// quota import: each answer's status, content type and body are as documented.
#[tokio::test]
async fn every_get_without_an_id_answers_as_documented() {
    let doc = doc();
    let t = app::ssr::testdb::seeded().await.unwrap();
    let app = router(&t.db);
    let manager = token(&app, "manager@demo.local").await;
    let rep = token(&app, "rep@demo.local").await;
    let csv = b"name,industry\nFuzz Co,Retail\n".to_vec();
    let a =
        send(&app, Method::POST, "/api/v1/imports?kind=accounts&file_name=a.csv", &manager, Some(("application/octet-stream", csv))).await;
    assert_eq!(a.status, StatusCode::CREATED);
    assert_eq!(check(&doc, "post", "/api/v1/imports", &a), Vec::<String>::new());
    for (csv, status) in [
        ("rep@demo.local,2032-01-01,2032-03-31,1200\n", StatusCode::OK),
        ("rep@demo.local,someday,2032-03-31,1\n", StatusCode::UNPROCESSABLE_ENTITY),
    ] {
        let a = send(&app, Method::POST, "/api/v1/quotas/import", &manager, Some(("text/csv", csv.as_bytes().to_vec()))).await;
        assert_eq!(a.status, status);
        assert_eq!(check(&doc, "post", "/api/v1/quotas/import", &a), Vec::<String>::new());
    }

    let mut checked = 0;
    let mut wrong = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        let Some(op) = item.get("get") else { continue };
        let needs_path = op["parameters"].as_array().into_iter().flatten().any(|p| p["in"] == "path");
        if needs_path || path.ends_with("/openapi.json") {
            continue;
        }
        for tok in [&manager, &rep] {
            let a = send(&app, Method::GET, path, tok, None).await;
            assert!(!a.status.is_server_error(), "GET {path}: {}", a.status);
            wrong.extend(check(&doc, "get", path, &a));
            checked += 1;
        }
    }
    assert!(checked >= 40, "{checked} answers checked");
    assert!(wrong.is_empty(), "{wrong:#?}");
}
