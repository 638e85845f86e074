//! The pipeline editor in-process: the real Leptos routes and server functions over a real
//! database (SQLite, or PostgreSQL with TEST_DATABASE_URL). The signed-in user is put
//! straight into the request; the auth layer has its own tests.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use app::domain::dto::PipelineEditor;
use app::domain::gate::Policy;
use app::domain::locale::Locale;
use app::ssr::context::RequestContext;
use app::ssr::state::AppState;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use axum::Router;
use leptos_axum::{generate_route_list, LeptosRoutes};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{json, Value};
use std::sync::Arc;
use tower::ServiceExt;

async fn router(db: &app::ssr::db::Db, email: &str) -> Router {
    use app::ssr::entity::user;
    let u = user::Entity::find().filter(user::Column::Email.eq(email)).one(db).await.unwrap().unwrap();
    let ctx = RequestContext::load(db, u.id).await.unwrap().unwrap();
    let options = leptos::config::LeptosOptions::builder().output_name("dealgate").build();
    let state = AppState { db: db.clone(), limiter: Arc::new(app::ssr::auth::LoginLimiter::default()), leptos_options: options.clone() };
    Router::new()
        .leptos_routes_with_context(&state, generate_route_list(app::App), || {}, move || app::shell(options.clone()))
        .layer(axum::middleware::from_fn(move |mut req: Request<Body>, next: axum::middleware::Next| {
            let ctx = ctx.clone();
            async move {
                req.extensions_mut().insert(ctx);
                req.extensions_mut().insert(Locale::En);
                next.run(req).await
            }
        }))
        .with_state(state)
}

async fn page(app: &Router, uri: &str) -> (StatusCode, String) {
    let res = app.clone().oneshot(Request::builder().uri(uri).body(Body::empty()).unwrap()).await.unwrap();
    let status = res.status();
    (status, String::from_utf8(axum::body::to_bytes(res.into_body(), 1 << 24).await.unwrap().to_vec()).unwrap())
}

async fn get(app: &Router, uri: &str) -> String {
    let (status, body) = page(app, uri).await;
    assert_eq!(status, StatusCode::OK, "{uri}: {body}");
    body
}

async fn call(app: &Router, endpoint: &str, body: Value) -> (StatusCode, Value) {
    let req = Request::builder()
        .method(Method::POST)
        .uri(format!("/api/{endpoint}"))
        .header("content-type", "application/json")
        .header("accept", "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 24).await.unwrap();
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

#[tokio::test]
async fn the_editor_renders_and_its_server_functions_answer() {
    let t = app::ssr::testdb::seeded().await.unwrap();
    let app = router(&t.db, "admin@demo.local").await;
    let html = get(&app, "/admin/pipelines").await;
    assert_eq!(html.matches(r#"data-testid="stage-row""#).count(), 7, "seven stages of the default pipeline");
    assert_eq!(html.matches(r#"data-testid="policy""#).count(), 7 * 6);
    assert!(html.contains("Solution sale") && html.contains("Opportunity found"));

    let (s, v) = call(&app, "admin/pipeline", json!({ "id": null })).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let ed: PipelineEditor = serde_json::from_value(v).unwrap();
    let product = ed.pipelines.iter().find(|p| p.name_en == "Product sale").unwrap().id;
    let html = get(&app, &format!("/admin/pipelines?id={product}")).await;
    assert_eq!(html.matches(r#"data-testid="stage-row""#).count(), 6);
    assert!(html.contains("Initial contact"));

    // The same JSON the page sends.
    let (from, to) = (ed.stages[0].id, ed.stages[1].id);
    let body = json!({ "pipeline": ed.pipeline.id, "from": from, "to": to, "policy": Policy::Forbid, "version": ed.version });
    let (s, v) = call(&app, "admin/pipeline/policy", body).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let after: PipelineEditor = serde_json::from_value(v).unwrap();
    assert!(after.policies.iter().any(|c| c.from == from && c.to == to && c.policy == Policy::Forbid && c.overridden));
    let st = &ed.stages[1];
    let update = json!({
        "name_en": st.name_en, "name_zh": st.name_zh, "win_rate_pct": 33, "stuck_days": st.stuck_days,
        "playbook_en": st.playbook_en, "playbook_zh": st.playbook_zh, "version": st.version,
    });
    let (s, v) = call(&app, "admin/stage", json!({ "id": st.id, "update": update })).await;
    assert_eq!((s, v["win_rate_pct"].as_i64()), (StatusCode::OK, Some(33)), "{v}");
    // Saving again with the old version: 409 with the typed error.
    let (s, v) = call(&app, "admin/stage", json!({ "id": st.id, "update": update })).await;
    assert_eq!((s, v), (StatusCode::CONFLICT, json!("Conflict")));
    let (s, _) =
        call(&app, "admin/stage/requirements", json!({ "id": st.id, "codes": ["contact_role.coach"], "version": st.version + 1 })).await;
    assert_eq!(s, StatusCode::OK);
    let open: Vec<uuid::Uuid> = after.stages.iter().filter(|s| s.kind == "open").map(|s| s.id).rev().collect();
    let (s, v) = call(&app, "admin/pipeline/reorder", json!({ "pipeline": ed.pipeline.id, "order": open, "version": after.version })).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, v) = call(&app, "admin/pipeline/rename", json!({ "id": ed.pipeline.id, "name_en": "", "name_zh": "x", "version": 1 })).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");

    // Anyone else: refused by the service, in the page and from the functions.
    let rep = router(&t.db, "rep@demo.local").await;
    let (status, body) = page(&rep, "/admin/pipelines").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body.contains("You are not allowed") && !body.contains(r#"data-testid="stage-row""#));
    assert_eq!(call(&rep, "admin/pipeline", json!({ "id": null })).await.0, StatusCode::FORBIDDEN);
}
