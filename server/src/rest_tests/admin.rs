//! /admin/users, /admin/teams, /admin/audit: a user made over REST signs in, must change the
//! password first, and is shut out at once when deactivated.
use super::{assert_keys, call, router, token};
use axum::http::{Method, StatusCode};
use serde_json::json;

const USER: [&str; 12] = [
    "id",
    "name",
    "email",
    "role",
    "team_id",
    "team",
    "locale",
    "active",
    "must_change_password",
    "open_deals",
    "pending_approvals",
    "version",
];

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

/// Approvals waiting on a leaver: 422 naming `delegate` with the count until one is named,
/// then they move; a team change takes the open deals along.
#[tokio::test]
async fn deactivating_someone_approvals_wait_on_needs_a_delegate_and_a_team_change_moves_open_deals() {
    use app::domain::quote::dto::{QuoteDraft, QuoteLineInput};
    let t = app::ssr::testdb::seeded().await.unwrap();
    let app = router(&t.db);
    let admin = token(&app, "admin@demo.local").await;
    // A quote of East's rep waits on East's manager.
    let rep = app::ssr::service::admin::directory(&t.db, &ctx(&t.db, "admin@demo.local").await).await.unwrap();
    let rep_ctx = ctx(&t.db, "rep@demo.local").await;
    let open_deal = || async {
        use app::ssr::entity::{deal, stage};
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
        let open: Vec<i32> =
            stage::Entity::find().filter(stage::Column::Kind.eq("open")).all(&t.db).await.unwrap().iter().map(|s| s.id).collect();
        deal::Entity::find()
            .filter(deal::Column::OwnerId.eq(rep_ctx.user_id))
            .filter(deal::Column::StageId.is_in(open))
            .order_by_asc(deal::Column::Id)
            .one(&t.db)
            .await
            .unwrap()
            .expect("an open deal of rep")
    };
    let first = open_deal().await;
    let deal = first.uuid;
    let line = QuoteLineInput {
        description: Some("Services".into()),
        unit: Some("lot".into()),
        qty_centi: 100,
        unit_price_fen: Some(5_000_000),
        ..Default::default()
    };
    let q = app::ssr::service::quote::create(&t.db, &rep_ctx, deal, QuoteDraft { lines: vec![line], ..Default::default() }).await.unwrap();
    app::ssr::service::quote::submit(&t.db, &rep_ctx, q.id, q.version).await.unwrap();
    let find = |users: &serde_json::Value, email: &str| users.as_array().unwrap().iter().find(|u| u["email"] == email).unwrap().clone();
    let (_, users) = call(&app, Method::GET, "/api/v1/admin/users", Some(&admin), None).await;
    let (manager, manager2, legal) =
        (find(&users, "manager@demo.local"), find(&users, "manager2@demo.local"), find(&users, "legal@demo.local"));
    assert_keys(&manager, &USER);
    let waiting = manager["pending_approvals"].as_u64().unwrap();
    assert!(waiting >= 1, "{manager}");
    assert!(rep.users.iter().any(|u| u.pending_approvals == waiting));

    // East gets manager2, so manager@ may leave.
    let (_, teams) = call(&app, Method::GET, "/api/v1/admin/teams", Some(&admin), None).await;
    let east = teams.as_array().unwrap().iter().find(|t| t["name"] == "East").unwrap().clone();
    let body = json!({"name": "East", "manager_id": manager2["id"], "version": east["version"]});
    let (s, _) = call(&app, Method::PUT, &format!("/api/v1/admin/teams/{}", east["id"].as_str().unwrap()), Some(&admin), Some(body)).await;
    assert_eq!(s, StatusCode::OK);
    let path = format!("/api/v1/admin/users/{}/deactivate", manager["id"].as_str().unwrap());
    for body in [None, Some(json!({})), Some(json!({"delegate": legal["id"]}))] {
        let (s, p) = call(&app, Method::POST, &path, Some(&admin), body).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
        assert!(p["detail"].as_str().unwrap().contains("delegate"), "{p}");
    }
    let (_, p) = call(&app, Method::POST, &path, Some(&admin), None).await;
    assert!(p["detail"].as_str().unwrap().contains(&format!("{waiting} approval")), "{p}");
    let (s, out) = call(&app, Method::POST, &path, Some(&admin), Some(json!({"delegate": manager2["id"]}))).await;
    assert_eq!((s, out["active"].as_bool(), out["pending_approvals"].as_u64()), (StatusCode::OK, Some(false), Some(0)), "{out}");
    let (_, users) = call(&app, Method::GET, "/api/v1/admin/users", Some(&admin), None).await;
    assert_eq!(
        find(&users, "manager2@demo.local")["pending_approvals"].as_u64(),
        Some(manager2["pending_approvals"].as_u64().unwrap() + waiting)
    );
    let (_, log) = call(&app, Method::GET, "/api/v1/admin/audit?limit=1", Some(&admin), None).await;
    let e = &log["entries"][0];
    assert_eq!((e["action"].as_str(), e["after"]["approvals_delegated"].as_u64()), (Some("user.deactivated"), Some(waiting)), "{e}");

    // rep@ moves to West: their open deals follow, the answer and the audit say so.
    let me = find(&users, "rep@demo.local");
    let west = teams.as_array().unwrap().iter().find(|t| t["name"] == "West").unwrap()["id"].clone();
    let edit = json!({"name": me["name"], "role": "rep", "team_id": null, "locale": me["locale"], "version": me["version"]});
    let (s, p) =
        call(&app, Method::PUT, &format!("/api/v1/admin/users/{}", me["id"].as_str().unwrap()), Some(&admin), Some(edit.clone())).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    assert!(p["detail"].as_str().unwrap().contains("team"), "{p}");
    let mut edit = edit;
    edit["team_id"] = west;
    let (s, moved) =
        call(&app, Method::PUT, &format!("/api/v1/admin/users/{}", me["id"].as_str().unwrap()), Some(&admin), Some(edit)).await;
    assert_eq!(
        (s, moved["team"].as_str(), moved["open_deals"].clone()),
        (StatusCode::OK, Some("West"), me["open_deals"].clone()),
        "{moved}"
    );
    let (_, log) = call(&app, Method::GET, "/api/v1/admin/audit?limit=1", Some(&admin), None).await;
    assert_eq!(log["entries"][0]["after"]["deals_moved"], me["open_deals"], "{log}");
    let now = open_deal().await;
    assert_eq!((now.id, now.version), (first.id, first.version + 1));
    assert_ne!(now.team_id, first.team_id, "the deal followed its owner to West");
}

async fn ctx(db: &app::ssr::db::Db, email: &str) -> app::ssr::context::RequestContext {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let u = app::ssr::entity::user::Entity::find().filter(app::ssr::entity::user::Column::Email.eq(email)).one(db).await.unwrap().unwrap();
    app::ssr::context::RequestContext::load(db, u.id).await.unwrap().unwrap()
}

/// POST /me/password: a client held to a new password after a reset may call it (and only it),
/// with the page's rules; then its token opens the API.
#[tokio::test]
async fn a_client_held_to_a_new_password_changes_it_over_rest() {
    let t = app::ssr::testdb::seeded().await.unwrap();
    let app = router(&t.db);
    let admin = token(&app, "admin@demo.local").await;
    let new = json!({"name": "Api Rep", "email": "api.rep@example.com", "role": "rep", "team_id": null, "password": "initial-pw"});
    let (s, u) = call(&app, Method::POST, "/api/v1/admin/users", Some(&admin), Some(new)).await;
    assert_eq!(s, StatusCode::CREATED, "{u}");
    let (_, tok) =
        call(&app, Method::POST, "/api/v1/auth/token", None, Some(json!({"email": "api.rep@example.com", "password": "initial-pw"}))).await;
    let tok = tok["token"].as_str().unwrap().to_owned();
    let (s, p) = call(&app, Method::GET, "/api/v1/pipelines", Some(&tok), None).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert!(p["detail"].as_str().unwrap().contains("/api/v1/me/password"), "{p}");

    // Refusals name the field and change nothing.
    for (body, field) in [
        (json!({"current_password": "wrong-one", "new_password": "chosen-pass-1"}), "current_password"),
        (json!({"current_password": "initial-pw", "new_password": "short"}), "new_password"),
        (json!({"current_password": "initial-pw", "new_password": "initial-pw"}), "new_password"),
    ] {
        let (s, p) = call(&app, Method::POST, "/api/v1/me/password", Some(&tok), Some(body)).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
        assert!(p["detail"].as_str().unwrap().contains(field), "{field}: {p}");
    }
    let (s, _) = call(
        &app,
        Method::POST,
        "/api/v1/me/password",
        None,
        Some(json!({"current_password": "initial-pw", "new_password": "x-chosen-pass"})),
    )
    .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, _) = call(&app, Method::GET, "/api/v1/pipelines", Some(&tok), None).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "still held");

    let (s, v) = call(
        &app,
        Method::POST,
        "/api/v1/me/password",
        Some(&tok),
        Some(json!({"current_password": "initial-pw", "new_password": "chosen-pass-1"})),
    )
    .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    // The caller's token works on, now for everything; the old password no longer signs in.
    let (s, _) = call(&app, Method::GET, "/api/v1/pipelines", Some(&tok), None).await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) =
        call(&app, Method::POST, "/api/v1/auth/token", None, Some(json!({"email": "api.rep@example.com", "password": "initial-pw"}))).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, _) =
        call(&app, Method::POST, "/api/v1/auth/token", None, Some(json!({"email": "api.rep@example.com", "password": "chosen-pass-1"})))
            .await;
    assert_eq!(s, StatusCode::OK);
    let (_, users) = call(&app, Method::GET, "/api/v1/admin/users", Some(&admin), None).await;
    let me = users.as_array().unwrap().iter().find(|u| u["email"] == "api.rep@example.com").unwrap().clone();
    assert_eq!(me["must_change_password"], json!(false));
}
