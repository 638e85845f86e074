//! GET /pipelines and GET /board.
use super::{assert_keys, call, router, token};
use axum::http::{Method, StatusCode};

#[tokio::test]
async fn pipelines_list_their_stages() {
    let t = app::ssr::testdb::seeded().await.unwrap();
    let app = router(&t.db);
    let rep = token(&app, "rep@demo.local").await;
    let (s, v) = call(&app, Method::GET, "/api/v1/pipelines", Some(&rep), None).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let ps = v.as_array().unwrap();
    assert_eq!(ps.iter().filter(|p| p["is_default"] == true).count(), 1, "{v}");
    for p in ps {
        assert_keys(p, &["id", "name", "name_zh", "is_default", "stages"]);
        for st in p["stages"].as_array().unwrap() {
            assert_keys(st, &["id", "name", "name_zh", "position", "win_rate_pct", "kind"]);
            assert!(["open", "won", "lost"].contains(&st["kind"].as_str().unwrap()), "{st}");
        }
    }
}

#[tokio::test]
async fn the_board_has_a_column_per_stage_with_its_sums() {
    let t = app::ssr::testdb::seeded().await.unwrap();
    let app = router(&t.db);
    let rep = token(&app, "rep@demo.local").await;
    let (s, b) = call(&app, Method::GET, "/api/v1/board", Some(&rep), None).await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_keys(&b, &["pipeline_id", "columns"]);
    let columns = b["columns"].as_array().unwrap();
    assert!(!columns.is_empty());
    for c in columns {
        assert_keys(c, &["stage", "count", "amount_minor", "weighted_minor", "cards"]);
        assert!(c["cards"].as_array().unwrap().iter().all(|d| d["stage_id"] == c["stage"]["id"]), "{c}");
    }
    assert!(columns.iter().any(|c| c["count"].as_u64() > Some(0)), "the demo rep has deals on the board");
    let (s, other) = call(&app, Method::GET, "/api/v1/board?close=m3", Some(&rep), None).await;
    assert_eq!(s, StatusCode::OK, "{other}");
}
