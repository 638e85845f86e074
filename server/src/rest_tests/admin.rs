//! /admin/users, /admin/teams, /admin/audit: a user made over REST signs in, must change the
//! password first, and is shut out at once when deactivated.
use super::{assert_keys, call, router, token};
use axum::http::{Method, StatusCode};
use serde_json::json;

const USER: [&str; 11] =
    ["id", "name", "email", "role", "team_id", "team", "locale", "active", "must_change_password", "open_deals", "version"];

#[tokio::test]
async fn an_admin_makes_a_user_who_is_held_to_a_new_password_and_shut_out_when_deactivated() {
    let t = app::ssr::testdb::seeded().await.unwrap();
    let app = router(&t.db);
    let admin = token(&app, "admin@demo.local").await;
    let (s, teams) = call(&app, Method::GET, "/api/v1/admin/teams", Some(&admin), None).await;
    assert_eq!(s, StatusCode::OK, "{teams}");
    let east = teams.as_array().unwrap().iter().find(|t| t["name"] == "East").unwrap()["id"].clone();
    let new = json!({"name": "Rest Rep", "email": "Rest.Rep@Example.com", "role": "rep", "team_id": east, "locale": "zh-CN", "password": "initial-pw"});
    let (s, u) = call(&app, Method::POST, "/api/v1/admin/users", Some(&admin), Some(new.clone())).await;
    assert_eq!(s, StatusCode::CREATED, "{u}");
    assert_keys(&u, &USER);
    assert_eq!(
        (u["email"].as_str(), u["team"].as_str(), u["locale"].as_str()),
        (Some("rest.rep@example.com"), Some("East"), Some("zh-CN"))
    );
    // The same e-mail again, a bad role, a short password: 422 naming the field.
    for (patch, field) in [
        (json!({}), "email"),
        (json!({"email": "x@y.cn", "role": "boss"}), "role"),
        (json!({"email": "x@y.cn", "password": "short"}), "password"),
    ] {
        let mut body = new.clone();
        body.as_object_mut().unwrap().extend(patch.as_object().unwrap().clone());
        let (s, p) = call(&app, Method::POST, "/api/v1/admin/users", Some(&admin), Some(body)).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
        assert!(p["detail"].as_str().unwrap().contains(field), "{p}");
    }

    // Signed in with the initial password, the user may do nothing until it is changed.
    let (s, tok) =
        call(&app, Method::POST, "/api/v1/auth/token", None, Some(json!({"email": "rest.rep@example.com", "password": "initial-pw"})))
            .await;
    assert_eq!(s, StatusCode::OK, "{tok}");
    let tok = tok["token"].as_str().unwrap().to_owned();
    let (s, p) = call(&app, Method::GET, "/api/v1/deals", Some(&tok), None).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{p}");
    assert!(p["detail"].as_str().unwrap().contains("password"), "{p}");

    // Deactivated: the token stops working at once; reactivated, the user is back.
    let id = u["id"].as_str().unwrap();
    let rep = token(&app, "rep@demo.local").await;
    let (s, _) = call(&app, Method::POST, &format!("/api/v1/admin/users/{id}/deactivate"), Some(&rep), None).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, out) = call(&app, Method::POST, &format!("/api/v1/admin/users/{id}/deactivate"), Some(&admin), None).await;
    assert_eq!((s, out["active"].as_bool()), (StatusCode::OK, Some(false)), "{out}");
    let (s, _) = call(&app, Method::GET, "/api/v1/deals", Some(&tok), None).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, out) = call(&app, Method::POST, &format!("/api/v1/admin/users/{id}/reactivate"), Some(&admin), None).await;
    assert_eq!((s, out["active"].as_bool()), (StatusCode::OK, Some(true)), "{out}");

    // Role and team change under the version; a stale one is 409.
    let edit = json!({"name": "Rest Rep", "role": "presales", "team_id": null, "locale": null, "version": out["version"]});
    let (s, changed) = call(&app, Method::PUT, &format!("/api/v1/admin/users/{id}"), Some(&admin), Some(edit.clone())).await;
    assert_eq!((s, changed["role"].as_str(), changed["team"].clone()), (StatusCode::OK, Some("presales"), json!(null)), "{changed}");
    let (s, _) = call(&app, Method::PUT, &format!("/api/v1/admin/users/{id}"), Some(&admin), Some(edit)).await;
    assert_eq!(s, StatusCode::CONFLICT);

    // The audit log, newest first, paged.
    let (s, log) = call(&app, Method::GET, "/api/v1/admin/audit?limit=2", Some(&admin), None).await;
    assert_eq!(s, StatusCode::OK, "{log}");
    let entries = log["entries"].as_array().unwrap();
    let actions: Vec<&str> = entries.iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["user.updated", "user.reactivated"]);
    assert_eq!((entries[0]["before"]["role"].as_str(), entries[0]["after"]["role"].as_str()), (Some("rep"), Some("presales")));
    let (s, older) = call(&app, Method::GET, &format!("/api/v1/admin/audit?limit=2&before={}", log["next"]), Some(&admin), None).await;
    assert_eq!(s, StatusCode::OK);
    let actions: Vec<&str> = older["entries"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["user.deactivated", "user.created"]);
    let (s, _) = call(&app, Method::GET, "/api/v1/admin/audit", Some(&rep), None).await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // Teams: created, renamed with a manager; a duplicate name is 422.
    let (s, team) = call(&app, Method::POST, "/api/v1/admin/teams", Some(&admin), Some(json!({"name": "North"}))).await;
    assert_eq!(s, StatusCode::CREATED, "{team}");
    let (s, p) = call(&app, Method::POST, "/api/v1/admin/teams", Some(&admin), Some(json!({"name": "NORTH"}))).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    let (_, users) = call(&app, Method::GET, "/api/v1/admin/users", Some(&admin), None).await;
    let m2 = users.as_array().unwrap().iter().find(|u| u["email"] == "manager2@demo.local").unwrap()["id"].clone();
    let body = json!({"name": "North-East", "manager_id": m2, "version": team["version"]});
    let (s, t2) = call(&app, Method::PUT, &format!("/api/v1/admin/teams/{}", team["id"].as_str().unwrap()), Some(&admin), Some(body)).await;
    assert_eq!((s, t2["name"].as_str(), t2["manager_id"].clone()), (StatusCode::OK, Some("North-East"), m2), "{t2}");
}
