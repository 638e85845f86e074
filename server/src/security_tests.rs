//! Web security through the whole application as `main` serves it (`web::app_router`): the
//! Leptos pages and server functions, REST, sessions and every layer, over a real database
//! (SQLite, or PostgreSQL with TEST_DATABASE_URL). Requests carry `Host`, `Origin` and the
//! client's address as a browser behind this server would.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::web;
use app::ssr::entity::{admin_audit, comment, deal, session, user};
use app::ssr::session_store::DbSessionStore;
use app::ssr::state::AppState;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::Router;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{json, Value};
use std::sync::Arc;
use tower::ServiceExt;

const HOST: &str = "dealgate.test";
const SITE: &str = "http://dealgate.test";
const EVIL: &str = "http://evil.example";

fn app(db: &app::ssr::db::Db, https: bool) -> Router {
    app_behind(db, https, "")
}

/// The application behind the reverse proxies `trusted` (`DEALGATE_TRUSTED_PROXIES`).
fn app_behind(db: &app::ssr::db::Db, https: bool, trusted: &str) -> Router {
    let trusted_proxies = app::ssr::client_addr::TrustedProxies::parse(trusted).unwrap();
    let state = AppState {
        db: db.clone(),
        limiter: Arc::new(app::ssr::auth::LoginLimiter::default()),
        leptos_options: leptos::config::LeptosOptions::builder().output_name("dealgate").build(),
    };
    web::app_router(
        state,
        DbSessionStore::new(db.conn().clone()),
        &web::Settings { secure_cookies: https, session_hours: 12, trusted_proxies },
    )
}

/// A request as a browser on `SITE` (or a tool) would send it.
struct Req {
    method: Method,
    uri: String,
    headers: Vec<(&'static str, String)>,
    body: String,
    from: [u8; 4],
}

impl Req {
    fn new(method: Method, uri: &str) -> Req {
        Req { method, uri: uri.to_owned(), headers: vec![("host", HOST.to_owned())], body: String::new(), from: [10, 0, 0, 1] }
    }
    fn header(mut self, k: &'static str, v: impl Into<String>) -> Req {
        self.headers.push((k, v.into()));
        self
    }
    fn cookie(self, session: &str) -> Req {
        self.header("cookie", format!("dg_session={session}"))
    }
    fn bearer(self, token: &str) -> Req {
        self.header("authorization", format!("Bearer {token}"))
    }
    fn json(mut self, v: Value) -> Req {
        self.body = v.to_string();
        self.header("content-type", "application/json")
    }
    fn form(mut self, pairs: &[(&str, &str)]) -> Req {
        let enc = |s: &str| {
            s.bytes()
                .map(|b| if b.is_ascii_alphanumeric() || b"-_.".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
                .collect::<String>()
        };
        self.body = pairs.iter().map(|(k, v)| format!("{}={}", enc(k), enc(v))).collect::<Vec<_>>().join("&");
        self.header("content-type", "application/x-www-form-urlencoded")
    }
    fn from(mut self, addr: [u8; 4]) -> Req {
        self.from = addr;
        self
    }
    async fn send(self, app: &Router) -> (StatusCode, HeaderMap, String) {
        let mut b = Request::builder().method(self.method).uri(self.uri);
        for (k, v) in self.headers {
            b = b.header(k, v);
        }
        let mut req = b.body(Body::from(self.body)).unwrap();
        req.extensions_mut().insert(ConnectInfo(std::net::SocketAddr::from((self.from, 40000))));
        let res = app.clone().oneshot(req).await.unwrap();
        let (status, headers) = (res.status(), res.headers().clone());
        let bytes = axum::body::to_bytes(res.into_body(), 1 << 24).await.unwrap();
        (status, headers, String::from_utf8_lossy(&bytes).into_owned())
    }
}

fn json_of(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or(Value::Null)
}

/// Signs in on the login page's server function (same site); the session cookie's value.
async fn login(app: &Router, email: &str, password: &str) -> String {
    let (s, h, body) =
        Req::new(Method::POST, "/api/login").header("origin", SITE).form(&[("email", email), ("password", password)]).send(app).await;
    assert!(s.is_success() || s.is_redirection(), "{email}: {s} {body}");
    session_cookie(&h).unwrap_or_else(|| panic!("{email}: no session cookie in {h:?}"))
}

fn session_cookie(h: &HeaderMap) -> Option<String> {
    h.get_all(header::SET_COOKIE).iter().filter_map(|v| v.to_str().ok()).find_map(|c| {
        let v = c.strip_prefix("dg_session=")?.split(';').next()?;
        (!v.is_empty()).then(|| v.to_owned())
    })
}

async fn token(app: &Router, email: &str, password: &str) -> String {
    let (s, _, body) = Req::new(Method::POST, "/api/v1/auth/token").json(json!({"email": email, "password": password})).send(app).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    json_of(&body)["token"].as_str().unwrap().to_owned()
}

/// A REST read with a cookie or a token: 200 while the credential is valid, 401 after.
async fn rest_read(app: &Router, cookie: Option<&str>, bearer: Option<&str>) -> StatusCode {
    let mut r = Req::new(Method::GET, "/api/v1/pipelines");
    if let Some(c) = cookie {
        r = r.cookie(c);
    }
    if let Some(t) = bearer {
        r = r.bearer(t);
    }
    r.send(app).await.0
}

async fn user_named(db: &app::ssr::db::Db, email: &str) -> user::Model {
    user::Entity::find().filter(user::Column::Email.eq(email)).one(db).await.unwrap().unwrap()
}

#[tokio::test]
async fn every_answer_carries_the_security_headers_and_pages_a_policy_with_their_nonce() {
    let t = app::ssr::testdb::seeded().await.unwrap();
    let plain = app(&t.db, false);
    let (s, h, body) = Req::new(Method::GET, "/login").send(&plain).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let csp = h.get(header::CONTENT_SECURITY_POLICY).unwrap().to_str().unwrap().to_owned();
    let nonce = csp.split("'nonce-").nth(1).and_then(|r| r.split('\'').next()).unwrap_or_else(|| panic!("no nonce in {csp}"));
    assert!(nonce.len() >= 16, "{nonce}");
    // The nonce of the header is the one on the page's inline scripts, and every inline
    // script has it.
    let scripts = body.matches("<script").count();
    assert!(scripts > 0);
    assert_eq!(body.matches(&format!("nonce=\"{nonce}\"")).count(), scripts, "{body}");
    assert!(csp.contains("'wasm-unsafe-eval'") && csp.contains("connect-src 'self'") && csp.contains("frame-ancestors 'none'"), "{csp}");
    // Another render, another nonce.
    let (_, h2, _) = Req::new(Method::GET, "/login").send(&plain).await;
    assert_ne!(h2.get(header::CONTENT_SECURITY_POLICY).unwrap().to_str().unwrap(), csp);

    for (uri, bearer) in [("/login", false), ("/api/v1/openapi.json", false), ("/api/v1/pipelines", true), ("/healthz", false)] {
        let tok = if bearer { Some(token(&plain, "rep@demo.local", "dealgate").await) } else { None };
        let mut r = Req::new(Method::GET, uri);
        if let Some(tk) = &tok {
            r = r.bearer(tk);
        }
        let (s, h, _) = r.send(&plain).await;
        assert_eq!(s, StatusCode::OK, "{uri}");
        for (name, want) in [
            ("x-frame-options", "DENY"),
            ("x-content-type-options", "nosniff"),
            ("referrer-policy", "strict-origin-when-cross-origin"),
            ("cache-control", "no-store"),
        ] {
            assert_eq!(h.get(name).and_then(|v| v.to_str().ok()), Some(want), "{uri}: {name}");
        }
        assert!(h.get(header::CONTENT_SECURITY_POLICY).is_some(), "{uri}");
        assert!(h.get(header::STRICT_TRANSPORT_SECURITY).is_none(), "{uri}: HSTS without HTTPS");
    }
    // Anything but a page gets a policy that allows nothing.
    let (_, h, _) = Req::new(Method::GET, "/api/v1/openapi.json").send(&plain).await;
    assert!(h.get(header::CONTENT_SECURITY_POLICY).unwrap().to_str().unwrap().starts_with("default-src 'none'"));
    // The bundle's files stay cacheable.
    let (_, h, _) = Req::new(Method::GET, "/pkg/dealgate.js").send(&plain).await;
    assert_ne!(h.get(header::CACHE_CONTROL).and_then(|v| v.to_str().ok()), Some("no-store"));
    assert_eq!(h.get("x-content-type-options").and_then(|v| v.to_str().ok()), Some("nosniff"));
    // Behind HTTPS: HSTS.
    let https = app(&t.db, true);
    let (_, h, _) = Req::new(Method::GET, "/healthz").send(&https).await;
    assert_eq!(h.get(header::STRICT_TRANSPORT_SECURITY).and_then(|v| v.to_str().ok()), Some("max-age=31536000"));
}

#[tokio::test]
async fn a_cookie_carried_write_from_another_site_is_refused_and_stores_nothing() {
    let t = app::ssr::testdb::seeded().await.unwrap();
    let db = &t.db;
    let app = app(db, false);
    let rep = user_named(db, "rep@demo.local").await;
    let d = deal::Entity::find().filter(deal::Column::OwnerId.eq(rep.id)).one(db).await.unwrap().unwrap();
    let count = || comment::Entity::find().filter(comment::Column::DealId.eq(d.id)).count(db);
    let before = count().await.unwrap();
    let cookie = login(&app, "rep@demo.local", "dealgate").await;
    let payload = json!({"deal": d.uuid, "body": "csrf"});
    // A foreign page posting a text/plain "form" to the server function.
    let forged = |r: Req| r.cookie(&cookie).header("content-type", "text/plain").json(payload.clone());
    for (what, r) in [
        ("foreign Origin", forged(Req::new(Method::POST, "/api/room/comments/add")).header("origin", EVIL)),
        ("Origin null", forged(Req::new(Method::POST, "/api/room/comments/add")).header("origin", "null")),
        (
            "no Origin, Sec-Fetch-Site cross-site",
            forged(Req::new(Method::POST, "/api/room/comments/add")).header("sec-fetch-site", "cross-site"),
        ),
        ("REST with the cookie", forged(Req::new(Method::POST, &format!("/api/v1/deals/{}/comments", d.uuid))).header("origin", EVIL)),
        (
            "sign-in from another site",
            Req::new(Method::POST, "/api/login").header("origin", EVIL).form(&[("email", "rep@demo.local"), ("password", "dealgate")]),
        ),
    ] {
        let (s, _, body) = r.send(&app).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{what}: {body}");
    }
    assert_eq!(count().await.unwrap(), before, "nothing was stored");

    // The same call from the site itself (Origin, or only Sec-Fetch-Site: same-origin) works.
    let (s, _, body) =
        Req::new(Method::POST, "/api/room/comments/add").cookie(&cookie).header("origin", SITE).json(payload.clone()).send(&app).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let (s, _, body) = Req::new(Method::POST, "/api/room/comments/add")
        .cookie(&cookie)
        .header("sec-fetch-site", "same-origin")
        .json(payload.clone())
        .send(&app)
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    // Behind a proxy that passes the public host on.
    let (s, _, body) = Req::new(Method::POST, "/api/room/comments/add")
        .cookie(&cookie)
        .header("origin", "https://crm.example.com")
        .header("x-forwarded-host", "crm.example.com")
        .json(payload.clone())
        .send(&app)
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    // A bearer token is no ambient credential: REST with a token is not judged by Origin.
    let tok = token(&app, "rep@demo.local", "dealgate").await;
    let (s, _, body) = Req::new(Method::POST, &format!("/api/v1/deals/{}/comments", d.uuid))
        .bearer(&tok)
        .header("origin", EVIL)
        .json(json!({"body": "from a script"}))
        .send(&app)
        .await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    assert_eq!(count().await.unwrap(), before + 4);
}

#[tokio::test]
async fn a_session_cookie_is_not_a_token_and_a_token_is_not_a_cookie() {
    let t = app::ssr::testdb::seeded().await.unwrap();
    let app = app(&t.db, false);
    let cookie = login(&app, "rep@demo.local", "dealgate").await;
    let tok = token(&app, "rep@demo.local", "dealgate").await;
    assert_eq!(rest_read(&app, Some(&cookie), None).await, StatusCode::OK, "the browser reads REST with its cookie");
    assert_eq!(rest_read(&app, None, Some(&tok)).await, StatusCode::OK);
    assert_eq!(rest_read(&app, None, Some(&cookie)).await, StatusCode::UNAUTHORIZED, "a cookie's id as a bearer token");
    assert_eq!(rest_read(&app, Some(&tok), None).await, StatusCode::UNAUTHORIZED, "a token as the session cookie");
    // A request naming a token is judged by it alone, even with a valid cookie.
    assert_eq!(rest_read(&app, Some(&cookie), Some("not-a-token")).await, StatusCode::UNAUTHORIZED);
    // Pages and server functions take the cookie only.
    let (s, h, _) = Req::new(Method::GET, "/deals").cookie(&tok).send(&app).await;
    assert!(s.is_redirection() && h.get(header::LOCATION).unwrap().to_str().unwrap().starts_with("/login"), "{s} {h:?}");
    let (s, _, _) = Req::new(Method::POST, "/api/me").header("origin", SITE).bearer(&tok).send(&app).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, _, body) = Req::new(Method::POST, "/api/me").header("origin", SITE).cookie(&cookie).send(&app).await;
    assert_eq!(s, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn sign_in_rotates_the_session_id_and_sign_out_ends_it() {
    use tower_sessions::session::{Id, Record};
    use tower_sessions::SessionStore;
    let t = app::ssr::testdb::seeded().await.unwrap();
    let app = app(&t.db, false);
    let store = DbSessionStore::new(t.db.conn().clone());
    // An id planted before sign-in (session fixation) is not the one signed in.
    let mut planted = Record {
        id: Id::default(),
        data: [("dg_seen".to_owned(), json!(true))].into_iter().collect(),
        expiry_date: time::OffsetDateTime::now_utc() + time::Duration::hours(1),
    };
    store.create(&mut planted).await.unwrap();
    let planted_id = planted.id.to_string();
    let (s, h, body) = Req::new(Method::POST, "/api/login")
        .cookie(&planted_id)
        .header("origin", SITE)
        .form(&[("email", "rep@demo.local"), ("password", "dealgate")])
        .send(&app)
        .await;
    assert!(s.is_success() || s.is_redirection(), "{s} {body}");
    let cookie = session_cookie(&h).unwrap();
    assert_ne!(cookie, planted_id);
    assert!(store.load(&planted.id).await.unwrap().is_none(), "the planted id is gone");
    assert_eq!(rest_read(&app, Some(&planted_id), None).await, StatusCode::UNAUTHORIZED);
    assert_eq!(rest_read(&app, Some(&cookie), None).await, StatusCode::OK);
    // Signing out deletes the session on the server: the cookie, replayed, opens nothing.
    let (s, _, body) = Req::new(Method::POST, "/api/logout").cookie(&cookie).header("origin", SITE).send(&app).await;
    assert!(s.is_success() || s.is_redirection(), "{s} {body}");
    assert!(session::Entity::find_by_id(cookie.clone()).one(&t.db).await.unwrap().is_none());
    assert_eq!(rest_read(&app, Some(&cookie), None).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_password_change_ends_the_other_sessions_and_tokens_and_deactivation_ends_all() {
    let t = app::ssr::testdb::seeded().await.unwrap();
    let db = &t.db;
    let app = app(db, false);
    // Over REST: the token the change came with stays; every other credential ends.
    let (c1, c2) = (login(&app, "rep@demo.local", "dealgate").await, login(&app, "rep@demo.local", "dealgate").await);
    let (t1, t2) = (token(&app, "rep@demo.local", "dealgate").await, token(&app, "rep@demo.local", "dealgate").await);
    let other = login(&app, "rep2@demo.local", "dealgate").await;
    let (s, _, body) = Req::new(Method::POST, "/api/v1/me/password")
        .bearer(&t1)
        .json(json!({"current_password": "dealgate", "new_password": "a-new-pass-1"}))
        .send(&app)
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{body}");
    assert_eq!(rest_read(&app, None, Some(&t1)).await, StatusCode::OK, "the caller's own token stays");
    for (what, c, b) in [("token 2", None, Some(&t2)), ("session 1", Some(&c1), None), ("session 2", Some(&c2), None)] {
        assert_eq!(rest_read(&app, c.map(String::as_str), b.map(String::as_str)).await, StatusCode::UNAUTHORIZED, "{what}");
    }
    assert_eq!(rest_read(&app, Some(&other), None).await, StatusCode::OK, "someone else's session is untouched");
    let rep = user_named(db, "rep@demo.local").await;
    let logged = admin_audit::Entity::find().filter(admin_audit::Column::Action.eq("user.password_changed")).all(db).await.unwrap();
    assert_eq!(logged.len(), 1);
    assert_eq!((logged[0].actor_id, logged[0].subject_id), (rep.id, Some(rep.uuid)));
    assert_eq!(logged[0].after.as_deref(), Some(r#"{"sessions_ended":3}"#));

    // On the page (server function): the session it came with stays, the token ends.
    let page = login(&app, "rep@demo.local", "a-new-pass-1").await;
    let t3 = token(&app, "rep@demo.local", "a-new-pass-1").await;
    let (s, _, body) = Req::new(Method::POST, "/api/change_password")
        .cookie(&page)
        .header("origin", SITE)
        .form(&[("current_password", "a-new-pass-1"), ("new_password", "another-pass-2"), ("repeat_password", "another-pass-2")])
        .send(&app)
        .await;
    assert!(s.is_success() || s.is_redirection(), "{s} {body}");
    assert_eq!(rest_read(&app, Some(&page), None).await, StatusCode::OK);
    assert_eq!(rest_read(&app, None, Some(&t3)).await, StatusCode::UNAUTHORIZED);
    assert_eq!(rest_read(&app, None, Some(&t1)).await, StatusCode::UNAUTHORIZED, "the first change's token was not this request's");

    // Deactivation ends every session and token of the user at once.
    let admin = token(&app, "admin@demo.local", "dealgate").await;
    let (c, tk) = (login(&app, "rep3@demo.local", "dealgate").await, token(&app, "rep3@demo.local", "dealgate").await);
    let rep3 = user_named(db, "rep3@demo.local").await;
    let (s, _, body) = Req::new(Method::POST, &format!("/api/v1/admin/users/{}/deactivate", rep3.uuid)).bearer(&admin).send(&app).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(rest_read(&app, Some(&c), None).await, StatusCode::UNAUTHORIZED);
    assert_eq!(rest_read(&app, None, Some(&tk)).await, StatusCode::UNAUTHORIZED);
    let deact = admin_audit::Entity::find().filter(admin_audit::Column::Action.eq("user.deactivated")).all(db).await.unwrap();
    assert_eq!(deact.len(), 1);
    assert!(deact[0].after.as_deref().unwrap().contains(r#""sessions_ended":2"#), "{:?}", deact[0].after);
}

#[tokio::test]
async fn failed_sign_ins_slow_down_one_address_and_never_lock_out_the_owner() {
    let t = app::ssr::testdb::seeded().await.unwrap();
    let app = app(&t.db, false);
    let stranger = [203, 0, 113, 7];
    let try_token = |pw: &'static str, from: [u8; 4]| {
        Req::new(Method::POST, "/api/v1/auth/token").from(from).json(json!({"email": "manager@demo.local", "password": pw}))
    };
    for _ in 0..app::ssr::auth::ACCOUNT_FREE_FAILURES {
        assert_eq!(try_token("guess", stranger).send(&app).await.0, StatusCode::UNAUTHORIZED);
    }
    // The stranger's address now waits, right password or not, and is told how long.
    let (s, h, body) = try_token("dealgate", stranger).send(&app).await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS, "{body}");
    let wait: u64 = h.get(header::RETRY_AFTER).unwrap().to_str().unwrap().parse().unwrap();
    assert!((1..=app::ssr::auth::FIRST_WAIT_SECS).contains(&wait), "{wait}");
    assert!(json_of(&body)["detail"].as_str().unwrap().contains("second"), "{body}");
    // The login page's server function answers the same, with the same header.
    let (s, h, _) = Req::new(Method::POST, "/api/login")
        .from(stranger)
        .header("origin", SITE)
        .form(&[("email", "manager@demo.local"), ("password", "dealgate")])
        .send(&app)
        .await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS);
    assert!(h.get(header::RETRY_AFTER).is_some());
    // The owner, from their own address, signs in on the page and gets a token.
    let _ = login(&app, "manager@demo.local", "dealgate").await;
    assert_eq!(try_token("dealgate", [10, 0, 0, 1]).send(&app).await.0, StatusCode::OK);
    let throttled = admin_audit::Entity::find().filter(admin_audit::Column::Action.eq("user.login_throttled")).count(&t.db).await.unwrap();
    assert_eq!(throttled, 1);
}

/// Behind a trusted reverse proxy every request comes from the proxy: the rate limit goes by
/// the client its `X-Forwarded-For` names, so a stranger's failures never slow the owner down;
/// a client that is not a trusted proxy cannot dodge the limit by naming other addresses.
#[tokio::test]
async fn behind_a_trusted_proxy_the_limit_is_per_forwarded_client_and_the_header_is_not_believed_otherwise() {
    let t = app::ssr::testdb::seeded().await.unwrap();
    let app = app_behind(&t.db, false, "10.0.0.0/8");
    let proxy = [10, 0, 0, 2];
    let via_proxy = |pw: &'static str, client: &str| {
        Req::new(Method::POST, "/api/v1/auth/token")
            .from(proxy)
            .header("x-forwarded-for", client.to_owned())
            .json(json!({"email": "manager@demo.local", "password": pw}))
    };
    for _ in 0..app::ssr::auth::ACCOUNT_FREE_FAILURES {
        assert_eq!(via_proxy("guess", "203.0.113.7").send(&app).await.0, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(via_proxy("dealgate", "203.0.113.7").send(&app).await.0, StatusCode::TOO_MANY_REQUESTS, "the stranger waits");
    // A spoofed first entry does not help the stranger: the proxy appended the real address.
    assert_eq!(via_proxy("dealgate", "198.51.100.1, 203.0.113.7").send(&app).await.0, StatusCode::TOO_MANY_REQUESTS);
    // The owner, through the same proxy, is another client.
    assert_eq!(via_proxy("dealgate", "198.51.100.1").send(&app).await.0, StatusCode::OK);

    // Straight from the internet (not a trusted proxy), a made-up header changes nothing.
    let direct = |pw: &'static str, claimed: String| {
        Req::new(Method::POST, "/api/v1/auth/token")
            .from([192, 0, 2, 9])
            .header("x-forwarded-for", claimed)
            .json(json!({"email": "exec@demo.local", "password": pw}))
    };
    for i in 0..app::ssr::auth::ACCOUNT_FREE_FAILURES {
        assert_eq!(direct("guess", format!("198.51.100.{i}")).send(&app).await.0, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(direct("dealgate", "198.51.100.200".into()).send(&app).await.0, StatusCode::TOO_MANY_REQUESTS);
}
