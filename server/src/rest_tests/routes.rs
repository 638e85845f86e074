//! The router and the OpenAPI document come from one declaration (`routes!` in each resource
//! module). This walks the document, so a new route is covered without being listed here.
use super::{call, router, token};
use crate::rest;
use axum::http::{Method, StatusCode};
use serde_json::{json, Value};

/// What the router answers for a path it does not know; a handler never answers this.
const UNROUTED: StatusCode = StatusCode::IM_A_TEAPOT;
const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// The path with each `{param}` filled in: 0 for integers, a random UUID otherwise.
fn concrete(path: &str, op: &Value) -> String {
    let mut out = path.to_owned();
    for p in op["parameters"].as_array().into_iter().flatten().filter(|p| p["in"] == "path") {
        let name = p["name"].as_str().unwrap();
        let integer = p["schema"]["type"] == "integer";
        let value = if integer { "0".to_owned() } else { uuid::Uuid::new_v4().to_string() };
        out = out.replace(&format!("{{{name}}}"), &value);
    }
    out
}

#[tokio::test]
async fn every_documented_operation_is_routed_with_its_method_and_no_other() {
    let t = app::ssr::testdb::seeded().await.unwrap();
    let app = router(&t.db).fallback(|| async { UNROUTED });
    let tok = token(&app, "admin@demo.local").await;
    let doc = serde_json::to_value(<rest::ApiDoc as utoipa::OpenApi>::openapi()).unwrap();
    assert_eq!(doc["openapi"].as_str().unwrap().chars().next(), Some('3'));
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());

    let (s, _) = call(&app, Method::GET, "/api/v1/no-such-resource", Some(&tok), None).await;
    assert_eq!(s, UNROUTED, "the check below can tell an unrouted path");

    let mut operations = 0;
    let mut ids = std::collections::BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        assert!(path.starts_with("/api/v1/"), "{path}");
        for m in METHODS {
            let declared = item.get(m);
            let uri = concrete(path, declared.unwrap_or(item.as_object().unwrap().values().next().unwrap()));
            let method = Method::from_bytes(m.to_uppercase().as_bytes()).unwrap();
            // An empty object is no valid body anywhere, so nothing is written.
            let (s, body) = call(&app, method, &uri, Some(&tok), Some(json!({}))).await;
            match declared {
                Some(op) => {
                    operations += 1;
                    assert!(ids.insert(op["operationId"].as_str().unwrap().to_owned()), "{m} {path}: operationId used twice");
                    assert!(s != UNROUTED && s != StatusCode::METHOD_NOT_ALLOWED, "{m} {path} ({uri}) is not routed: {s} {body}");
                }
                None => assert_eq!(s, StatusCode::METHOD_NOT_ALLOWED, "{m} {path} answers though the document does not declare it"),
            }
        }
    }
    assert_eq!(operations, ids.len());
    assert!(operations >= 30, "{operations} operations: the resource modules' routes are all merged");

    // The document served is the one the router was built with.
    let (s, served) = call(&app, Method::GET, "/api/v1/openapi.json", None, None).await;
    assert_eq!((s, served), (StatusCode::OK, doc));
}

/// A parameter the document calls a path parameter is in the path template, and every
/// `{name}` of a template is declared: query strings declared as path parameters would never
/// be sent by a client generated from the document (nor by a fuzzer).
#[test]
fn path_parameters_are_in_the_path_and_query_parameters_are_not() {
    let doc = serde_json::to_value(<rest::ApiDoc as utoipa::OpenApi>::openapi()).unwrap();
    let mut query = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (m, op) in item.as_object().unwrap().iter().filter(|(m, _)| METHODS.contains(&m.as_str())) {
            let params = op["parameters"].as_array().cloned().unwrap_or_default();
            for p in &params {
                let name = p["name"].as_str().unwrap();
                match p["in"].as_str().unwrap() {
                    "path" => {
                        assert!(path.contains(&format!("{{{name}}}")), "{m} {path}: `{name}` is declared in the path but is not in it")
                    }
                    "query" => {
                        query += 1;
                        assert!(!path.contains(&format!("{{{name}}}")), "{m} {path}: `{name}` is in the path, declared as a query");
                    }
                    other => panic!("{m} {path}: `{name}` in {other}"),
                }
            }
            for seg in path.split('/').filter(|s| s.starts_with('{')) {
                let name = seg.trim_matches(|c| c == '{' || c == '}');
                assert!(params.iter().any(|p| p["in"] == "path" && p["name"] == name), "{m} {path}: `{name}` undeclared");
            }
        }
    }
    assert!(query >= 20, "{query} query parameters documented");
}
