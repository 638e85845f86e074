//! The authorization walk over the server functions: every function leptos registered (the
//! list comes from server_fn's own registry, so a new one is walked without anyone
//! remembering), posted as a browser on the site posts it (session cookie, same-origin
//! headers, the function's own encoding) through the router `main` serves, as every demo
//! caller against an object of each relation, and compared with the same expectations as the
//! REST walk (`domain::access` plus the literal rows). A success where the rule refuses, or a
//! foreign object's id in an answer, is a leak; a refusal where the rule allows fails too.
use super::*;
use crate::web;
use app::ssr::session_store::DbSessionStore;
use app::ssr::state::AppState;
use axum::extract::ConnectInfo;
use axum::http::{header, HeaderMap};
use std::collections::BTreeSet;
use std::sync::Arc;

const HOST: &str = "dealgate.test";
const SITE: &str = "http://dealgate.test";

/// How a function reads its arguments: leptos's default URL-encoded form, or JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Enc {
    Form,
    Json,
}

/// The rule a server function answers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum K {
    /// The same permission as this REST operation (and the same relations).
    Rest(Op),
    /// Adding or removing people on the deal team, and listing who may be added.
    Team,
    /// Marking a follow-up done: its owner, its author, a manager or an admin who sees the deal.
    Task,
    /// The quota editor: those who set quotas (admins, general managers, managers of a team).
    QuotaEditor,
    /// A cell of the quota editor for the relation's user: as setting their quota, when they
    /// sell (the editor has rows for reps and managers only; another user's cell is refused).
    QuotaCells,
    /// Signing in with one's own credentials.
    Login,
    /// Signing out (of a session opened for the case).
    Logout,
    /// Who one is, one's language: everyone signed in.
    Anyone,
}

use Enc::{Form, Json as J};
use K::Rest as R;

/// Every server function and the rule it answers to; the walk fails while a registered
/// function has no row here, or a row names no registered function.
const FNS: &[(&str, Enc, &[K])] = &[
    // Signing in and out, oneself.
    ("/api/login", Form, &[K::Login]),
    ("/api/logout", Form, &[K::Logout]),
    ("/api/me", Form, &[K::Anyone]),
    ("/api/set_locale", Form, &[K::Anyone]),
    ("/api/change_password", Form, &[R(Op::OwnPassword)]),
    // Lists and reports: whatever the caller sees (no foreign id may appear in them).
    ("/api/deals/list", Form, &[R(Op::List)]),
    ("/api/deals/summary", Form, &[R(Op::List)]),
    ("/api/board", J, &[R(Op::List)]),
    ("/api/board/column", J, &[R(Op::List)]),
    ("/api/approvals/list", J, &[R(Op::List)]),
    ("/api/approvals/count", J, &[R(Op::List)]),
    ("/api/accounts/list", J, &[R(Op::List)]),
    ("/api/accounts/filter-choices", Form, &[R(Op::List)]),
    ("/api/accounts/choices", Form, &[R(Op::List)]),
    ("/api/accounts/due", J, &[R(Op::List)]),
    ("/api/contacts/list", J, &[R(Op::List)]),
    ("/api/forecast/dashboard", Form, &[R(Op::List)]),
    ("/api/forecast/deals", Form, &[R(Op::List)]),
    ("/api/imports/recent", Form, &[R(Op::List)]),
    ("/api/room/checklist_templates", J, &[R(Op::List)]),
    ("/api/room/my_checklists", J, &[R(Op::List)]),
    ("/api/room/my_tasks", J, &[R(Op::List)]),
    ("/api/room/my_day", J, &[R(Op::List)]),
    ("/api/room/late_entries", J, &[R(Op::List)]),
    ("/api/room/notifications", J, &[R(Op::List)]),
    ("/api/room/notifications/unread", J, &[R(Op::List)]),
    ("/api/room/notifications/read", J, &[R(Op::List)]),
    ("/api/contract/list", J, &[R(Op::List)]),
    ("/api/contract/receivables", J, &[R(Op::List)]),
    ("/api/contract/receivable_rows", J, &[R(Op::List)]),
    ("/api/objection/report", J, &[R(Op::List)]),
    ("/api/objection/overdue", J, &[R(Op::List)]),
    ("/api/quote/products", J, &[R(Op::List)]),
    ("/api/quote/policy", Form, &[R(Op::List)]),
    ("/api/dashboard/market", J, &[R(Op::List)]),
    ("/api/accounts/capacity", J, &[R(Op::List)]),
    ("/api/quotas/grid", J, &[K::QuotaEditor]),
    // One deal and its room.
    ("/api/deals/get", J, &[R(Op::DealRead)]),
    ("/api/deals/history", J, &[R(Op::DealRead)]),
    ("/api/deals/facts", J, &[R(Op::DealRead)]),
    ("/api/deals/presence", J, &[R(Op::DealRead)]),
    ("/api/room/map", J, &[R(Op::DealRead)]),
    ("/api/room/checklists", J, &[R(Op::DealRead)]),
    ("/api/room/activities", J, &[R(Op::DealRead)]),
    ("/api/room/members", J, &[R(Op::DealRead)]),
    ("/api/room/comments", J, &[R(Op::DealRead)]),
    ("/api/room/comments/may", J, &[R(Op::DealRead)]),
    ("/api/room/comments/mentions", J, &[R(Op::DealRead)]),
    ("/api/room/timeline", J, &[R(Op::DealRead)]),
    ("/api/contract/list_for_deal", J, &[R(Op::DealRead)]),
    ("/api/quote/list", J, &[R(Op::DealRead)]),
    ("/api/objection/list", J, &[R(Op::DealRead)]),
    ("/api/negotiation/get", J, &[R(Op::DealRead)]),
    ("/api/deals/key_info", J, &[R(Op::Patch)]),
    ("/api/deals/update", J, &[R(Op::Patch), R(Op::Adjust)]),
    ("/api/deals/move", J, &[R(Op::Move)]),
    ("/api/deals/create", J, &[R(Op::CreateDeal)]),
    ("/api/room/map/put", J, &[R(Op::PutMap)]),
    ("/api/room/map/reports_to", J, &[R(Op::PutMap)]),
    ("/api/room/map/person", J, &[R(Op::PutMap)]),
    ("/api/room/map/add", J, &[R(Op::PutMap)]),
    ("/api/room/map/create", J, &[R(Op::PutMap)]),
    ("/api/room/map/remove", J, &[R(Op::PutMap)]),
    ("/api/room/checklists/attach", J, &[R(Op::Attach)]),
    ("/api/room/checklists/item", J, &[R(Op::Tick)]),
    ("/api/room/activities/log", J, &[R(Op::LogActivity)]),
    ("/api/room/tasks/complete", J, &[K::Task]),
    ("/api/room/members/candidates", J, &[K::Team]),
    ("/api/room/members/add", J, &[K::Team]),
    ("/api/room/members/remove", J, &[K::Team]),
    ("/api/room/comments/add", J, &[R(Op::Comment)]),
    ("/api/approvals/decide", J, &[R(Op::Decide)]),
    ("/api/quote/decide", J, &[R(Op::Decide)]),
    ("/api/quote/get", J, &[R(Op::QuoteRead)]),
    ("/api/quote/create", J, &[R(Op::CreateQuote)]),
    ("/api/quote/save", J, &[R(Op::SaveQuote)]),
    ("/api/quote/step", J, &[R(Op::QuoteStep)]),
    ("/api/contract/get", J, &[R(Op::ContractRead)]),
    ("/api/contract/create", J, &[R(Op::CreateContract)]),
    ("/api/contract/save", J, &[R(Op::ContractStep)]),
    ("/api/contract/step", J, &[R(Op::ContractStep)]),
    ("/api/contract/sign", J, &[R(Op::ContractStep)]),
    ("/api/contract/receive", J, &[R(Op::ContractStep)]),
    ("/api/objection/save", J, &[R(Op::LogObjection), R(Op::ObjectionWrite)]),
    ("/api/objection/step", J, &[R(Op::ObjectionWrite)]),
    ("/api/negotiation/plan", J, &[R(Op::NegotiationStep)]),
    ("/api/negotiation/session", J, &[R(Op::NegotiationStep)]),
    ("/api/negotiation/concession", J, &[R(Op::NegotiationStep)]),
    ("/api/negotiation/confirm", J, &[R(Op::NegotiationStep)]),
    // Accounts, contacts, quotas, imports.
    ("/api/accounts/create", J, &[R(Op::CreateAccount)]),
    ("/api/accounts/get", J, &[R(Op::AccountRead)]),
    ("/api/accounts/grade", J, &[R(Op::GradeAccount)]),
    ("/api/accounts/revisit", J, &[R(Op::RecordRevisit)]),
    ("/api/accounts/edit", J, &[R(Op::EditAccount)]),
    ("/api/accounts/merge_preview", J, &[R(Op::MergeAccount)]),
    ("/api/accounts/merge", J, &[R(Op::MergeAccount)]),
    ("/api/contacts/update", J, &[R(Op::EditContact)]),
    ("/api/contacts/delete", J, &[R(Op::DeleteContact)]),
    ("/api/quotas/save", J, &[K::QuotaCells]),
    ("/api/imports/get", J, &[R(Op::ImportRead)]),
    ("/api/imports/check", J, &[R(Op::ImportCheck)]),
    ("/api/imports/start", J, &[R(Op::ImportStart)]),
    // Administration.
    ("/api/admin/overview", Form, &[R(Op::AdminRead)]),
    ("/api/admin/checklist_templates", J, &[R(Op::AdminRead)]),
    ("/api/admin/checklist_templates/save", J, &[R(Op::AdminWrite)]),
    ("/api/admin/directory", J, &[R(Op::AdminRead)]),
    ("/api/admin/users/create", J, &[R(Op::AdminWrite)]),
    ("/api/admin/users/update", J, &[R(Op::AdminWrite)]),
    ("/api/admin/users/reset_password", J, &[R(Op::AdminWrite)]),
    ("/api/admin/users/active", J, &[R(Op::AdminWrite)]),
    ("/api/admin/users/reassign", J, &[R(Op::AdminWrite)]),
    ("/api/admin/teams/save", J, &[R(Op::AdminWrite)]),
    ("/api/admin/audit", J, &[R(Op::AdminRead)]),
    ("/api/admin/pipeline", J, &[R(Op::AdminRead)]),
    ("/api/admin/pipeline/rename", J, &[R(Op::AdminWrite)]),
    ("/api/admin/stage", J, &[R(Op::AdminWrite)]),
    ("/api/admin/stage/requirements", J, &[R(Op::AdminWrite)]),
    ("/api/admin/pipeline/reorder", J, &[R(Op::AdminWrite)]),
    ("/api/admin/pipeline/policy", J, &[R(Op::AdminWrite)]),
    ("/api/accounts/policy", J, &[R(Op::AdminRead)]),
    ("/api/accounts/policy/market", J, &[R(Op::AdminWrite)]),
    ("/api/accounts/policy/cadence", J, &[R(Op::AdminWrite)]),
    ("/api/accounts/policy/capacity", J, &[R(Op::AdminWrite)]),
    ("/api/contract/chain", J, &[R(Op::AdminRead)]),
    ("/api/contract/chain_save", J, &[R(Op::AdminWrite)]),
    ("/api/quote/product/save", J, &[R(Op::AdminWrite)]),
    ("/api/quote/product/import", J, &[R(Op::AdminWrite)]),
    ("/api/quote/policy/save", J, &[R(Op::AdminWrite)]),
];

/// Hand-written rows for the rules that are the server functions' own (the rest come from the
/// REST walk's `LITERAL`): what a person reads in the product rules.
const LITERAL_SF: &[(K, &str, Rel, Expect)] = &[
    (K::Team, "rep", Rel::Own, Expect::Ok),
    (K::Team, "rep", Rel::Member, Expect::Forbidden),
    (K::Team, "manager", Rel::Mate, Expect::Ok),
    (K::Team, "exec", Rel::Foreign, Expect::Forbidden),
    (K::Team, "rep2", Rel::Foreign, Expect::NotFound),
    (K::Team, "presales", Rel::Mate, Expect::NotFound),
    (K::Task, "rep", Rel::Own, Expect::Ok),
    (K::Task, "presales", Rel::Member, Expect::Forbidden),
    (K::Task, "legal", Rel::Foreign, Expect::Forbidden),
    (K::Task, "manager2", Rel::Foreign, Expect::NotFound),
    (K::QuotaEditor, "rep", Rel::None, Expect::Forbidden),
    (K::QuotaEditor, "exec", Rel::None, Expect::Forbidden),
    (K::QuotaEditor, "gm", Rel::None, Expect::Ok),
    (K::QuotaEditor, "manager", Rel::None, Expect::Ok),
    (K::QuotaCells, "manager", Rel::Mate, Expect::Ok),
    (K::QuotaCells, "manager2", Rel::Foreign, Expect::Forbidden),
    (K::QuotaCells, "rep", Rel::Own, Expect::Forbidden),
];

fn relations_of(k: K) -> &'static [Rel] {
    match k {
        K::Rest(op) => relations(op),
        K::QuotaCells => relations(Op::SetQuota),
        K::Team | K::Task => &[Rel::Own, Rel::Mate, Rel::Foreign, Rel::Member],
        K::QuotaEditor | K::Login | K::Logout | K::Anyone => &[Rel::None],
    }
}

/// What the rules say (None: the case does not exist).
fn want(w: &World, k: K, caller: &str, rel: Rel) -> Option<Expect> {
    let c = w.person(caller);
    let vis = c.visibility();
    let a = w.actor(caller, &vis);
    match k {
        K::Rest(op) => expect(w, op, caller, rel),
        K::QuotaCells => {
            // Who may not open the editor is refused before any cell is read.
            let seller = matches!(w.person(w.owner(caller, rel)?).role, Role::Rep | Role::Manager);
            Some(match want(w, K::QuotaEditor, caller, Rel::None)? {
                Expect::Ok if seller => expect(w, Op::SetQuota, caller, rel)?,
                Expect::Ok => Expect::Unprocessable,
                refused => refused,
            })
        }
        K::Team | K::Task => {
            let d = w.deals.get(&(cname(caller), rel))?;
            let facts = DealFacts { team_id: d.team, owner_id: d.owner, members: &d.members };
            let admin = w.person("admin").id;
            Some(if !rule::may_deal(&a, DealAction::View, &facts) {
                Expect::NotFound
            } else if match k {
                K::Team => rule::may_deal(&a, DealAction::ManageTeam, &facts),
                // The walk's follow-ups are logged by an admin for the deal's owner.
                _ => rule::may_complete_task(&a, admin, Some(d.owner)),
            } {
                Expect::Ok
            } else {
                Expect::Forbidden
            })
        }
        K::QuotaEditor => Some(if matches!(c.role, Role::Admin | Role::Gm | Role::Manager) { Expect::Ok } else { Expect::Forbidden }),
        K::Login | K::Logout | K::Anyone => Some(Expect::Ok),
    }
}

/// The site's router and each caller's session.
struct Site {
    app: Router,
    cookies: HashMap<String, String>,
    db: app::ssr::db::Db,
}

fn site_router(db: &app::ssr::db::Db) -> Router {
    let state = AppState {
        db: db.clone(),
        limiter: Arc::new(app::ssr::auth::LoginLimiter::default()),
        leptos_options: leptos::config::LeptosOptions::builder().output_name("dealgate").build(),
    };
    web::app_router(
        state,
        DbSessionStore::new(db.conn().clone()),
        &web::Settings { secure_cookies: false, session_hours: 12, trusted_proxies: Default::default() },
    )
}

fn form_body(args: &Value) -> String {
    let enc = |s: &str| {
        s.bytes()
            .map(|b| if b.is_ascii_alphanumeric() || b"-_.".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
            .collect::<String>()
    };
    let Some(obj) = args.as_object() else { return String::new() };
    obj.iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, v)| {
            let v = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            format!("{}={}", enc(k), enc(&v))
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// Posts a server function as the site's own page would.
async fn post(app: &Router, path: &str, enc: Enc, cookie: Option<&str>, args: &Value) -> (StatusCode, HeaderMap, Value) {
    let (ctype, body) = match enc {
        Enc::Form => ("application/x-www-form-urlencoded", form_body(args)),
        Enc::Json => ("application/json", args.to_string()),
    };
    let mut b = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header("host", HOST)
        .header("origin", SITE)
        .header("sec-fetch-site", "same-origin")
        .header("content-type", ctype)
        .header("accept", "application/json");
    if let Some(c) = cookie {
        b = b.header("cookie", format!("dg_session={c}"));
    }
    let mut req = b.body(Body::from(body)).unwrap();
    req.extensions_mut().insert(ConnectInfo(std::net::SocketAddr::from(([10, 0, 0, 1], 40000))));
    let res = app.clone().oneshot(req).await.unwrap();
    let (status, headers) = (res.status(), res.headers().clone());
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 24).await.unwrap();
    (status, headers, serde_json::from_slice(&bytes).unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned())))
}

async fn login(app: &Router, email: &str) -> String {
    let args = json!({"email": email, "password": app::ssr::seed::DEMO_PASSWORD});
    let (s, h, body) = post(app, "/api/login", Enc::Form, None, &args).await;
    assert!(s.is_success() || s.is_redirection(), "{email}: {s} {body}");
    h.get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix("dg_session=")?.split(';').next().filter(|v| !v.is_empty()).map(str::to_owned))
        .unwrap_or_else(|| panic!("{email}: no session cookie"))
}

impl Site {
    /// A server function called as an admin, for the reads a case's arguments need; must succeed.
    async fn admin(&self, path: &str, args: Value) -> Value {
        let (s, _, v) = post(&self.app, path, Enc::Json, Some(&self.cookies["admin"]), &args).await;
        assert!(s.is_success(), "admin {path} {args}: {s} {v}");
        v
    }
}

/// A REST read as an admin.
async fn read(w: &World, uri: &str) -> Value {
    let (s, v) = call(&w.app, Method::GET, uri, Some(w.tok("admin")), None).await;
    assert!(s.is_success(), "GET {uri}: {s} {v}");
    v
}

fn uuid_of(w: &World, id: i32) -> uuid::Uuid {
    w.people.values().find(|p| p.id == id).unwrap().uuid
}

/// A fresh person on the deal's committee map, put there by an admin: (contact, version).
async fn map_person(s: &Site, deal: &str, n: usize) -> (Value, Value) {
    let name = format!("walk person {n}");
    let args = json!({"deal": deal, "contact": {"name": name}, "reports_to": null});
    let map = s.admin("/api/room/map/create", args).await;
    let p = map["people"].as_array().unwrap().iter().find(|p| p["name"] == name.as_str()).unwrap();
    (p["contact_id"].clone(), p["version"].clone())
}

/// The arguments a case sends: well-formed, current versions read just before, so an allowed
/// call succeeds or meets only a business rule.
async fn args(w: &World, s: &Site, path: &str, k: K, caller: &str, rel: Rel, n: usize) -> Value {
    let today = walk_today();
    let name = path.trim_start_matches("/api/");
    let deal = w.deals.get(&(cname(caller), rel));
    let target = w.owner(caller, rel).map(|o| w.person(o));
    let account = w.owner(caller, rel).and_then(|o| w.accounts.get(o)).map(|(id, _)| id.clone());
    match (name, k) {
        ("login", _) => json!({"email": w.person(caller).email, "password": app::ssr::seed::DEMO_PASSWORD}),
        ("set_locale", _) => json!({"locale": "en"}),
        ("change_password", _) => {
            json!({"current_password": "not-my-password", "new_password": "walk-new-pass", "repeat_password": "walk-new-pass"})
        }
        ("deals/list", _) => json!({"page": 1}),
        ("board", _) => json!({"filter": {}}),
        ("board/column", _) => {
            let ps = read(w, "/api/v1/pipelines").await;
            json!({"filter": {}, "stage": ps[0]["stages"][0]["id"], "offset": 0})
        }
        ("approvals/list", _) => json!({"status": null}),
        ("accounts/list", _) => json!({"filter": {"overdue": false}, "page": 1}),
        ("accounts/due", _) => json!({"scope": "team"}),
        ("contacts/list", _) => json!({"search": null, "account": null, "sort": "name", "page": 1}),
        // The other team's rep's figures: the drill must show only what the caller sees.
        ("forecast/deals", _) => json!({"what": format!("owner:{}", w.person("rep4").uuid)}),
        ("room/late_entries", _) => json!({"from": "2000-01-01T00:00:00Z", "to": "2100-01-01T00:00:00Z"}),
        ("room/notifications", _) => json!({"unread_only": false}),
        ("room/notifications/read", _) => json!({"ids": null}),
        ("contract/list", _) => json!({"filter": {}}),
        ("contract/receivable_rows", _) => json!({"bucket": null}),
        ("quote/products", _) => json!({"all": true}),
        ("accounts/capacity", _) => json!({"team": null}),
        ("quotas/grid", _) => json!({"year": null}),
        ("deals/get" | "deals/history" | "deals/facts" | "deals/presence", _) => json!({"id": deal.unwrap().id}),
        ("room/comments", _) => json!({"deal": deal.unwrap().id, "before": null}),
        ("room/timeline", _) => json!({"deal": deal.unwrap().id, "groups": null}),
        (
            "room/map"
            | "room/checklists"
            | "room/activities"
            | "room/members"
            | "room/comments/may"
            | "room/comments/mentions"
            | "contract/list_for_deal"
            | "quote/list"
            | "objection/list"
            | "negotiation/get"
            | "room/members/candidates"
            | "contract/create",
            _,
        ) => json!({"deal": deal.unwrap().id}),
        ("deals/key_info", _) => {
            let d = deal.unwrap();
            let got = s.admin("/api/deals/get", json!({"id": d.id})).await;
            json!({"id": d.id, "info": got[1], "version": got[2]})
        }
        ("deals/update", _) => {
            let d = deal.unwrap();
            let now = read(w, &format!("/api/v1/deals/{}", d.id)).await;
            let patch = if k == R(Op::Adjust) {
                json!({"version": now["version"], "manager_category": "commit"})
            } else {
                json!({"version": now["version"], "name": format!("walk {n} renamed")})
            };
            json!({"id": d.id, "patch": patch})
        }
        ("deals/move", _) => {
            let d = deal.unwrap();
            let now = read(w, &format!("/api/v1/deals/{}", d.id)).await;
            json!({"deal": d.id, "to_stage": next_stage(w, &now["stage_id"]).await, "version": now["version"], "reason": null, "lost_reason": null})
        }
        ("deals/create", _) => {
            let account = seeded_account(&w.app, w.tok(caller)).await;
            json!({"new": {"name": format!("walk {n}"), "account": account, "pipeline": null, "owner": target.unwrap().uuid,
                "amount_fen": 10_000_000, "currency": null, "close_date": "2027-06-30"}})
        }
        ("room/map/put", _) => json!({"deal": deal.unwrap().id, "people": []}),
        ("room/map/create", _) => {
            json!({"deal": deal.unwrap().id, "contact": {"name": format!("walk contact {n}")}, "reports_to": null})
        }
        ("room/map/reports_to" | "room/map/person" | "room/map/remove", _) => {
            let d = deal.unwrap();
            let (contact, version) = map_person(s, &d.id, n).await;
            match name {
                "room/map/reports_to" => json!({"deal": d.id, "contact": contact, "reports_to": null, "version": version}),
                "room/map/person" => json!({"deal": d.id, "edit": {"contact_id": contact, "version": version, "role": null,
                    "influence_pct": 20, "attitude": "neutral", "relationship": 3, "last_contact": null}}),
                _ => json!({"deal": d.id, "contact": contact}),
            }
        }
        ("room/map/add", _) => {
            // A contact of the deal's account off the map: put on it and taken off by an admin.
            let d = deal.unwrap();
            let (contact, _) = map_person(s, &d.id, n).await;
            s.admin("/api/room/map/remove", json!({"deal": d.id, "contact": contact})).await;
            json!({"deal": d.id, "contact": contact, "reports_to": null})
        }
        ("room/checklists/attach", _) => json!({"deal": deal.unwrap().id, "template": "proposal"}),
        ("room/checklists/item", _) => {
            let d = deal.unwrap();
            let lists = read(w, &format!("/api/v1/deals/{}/checklists", d.id)).await;
            let item = lists.as_array().unwrap().iter().flat_map(|c| c["items"].as_array().unwrap()).find(|i| i["id"] == d.item).unwrap();
            json!({"item": d.item, "edit": {"version": item["version"], "done": true}})
        }
        ("room/activities/log", _) => {
            json!({"deal": deal.unwrap().id, "activity": {"kind": "call", "at": {"Day": today}, "summary": format!("walk {n}")}})
        }
        ("room/tasks/complete", _) => {
            let d = deal.unwrap();
            let activity = json!({"kind": "call", "at": {"Day": today}, "summary": format!("walk {n}"), "next_action": "walk",
                "next_owner": uuid_of(w, d.owner), "next_due": today});
            let row = s.admin("/api/room/activities/log", json!({"deal": d.id, "activity": activity})).await;
            json!({"activity": row["id"], "version": row["version"]})
        }
        ("room/members/add" | "room/members/remove", _) => {
            let d = deal.unwrap();
            // A user who is no caller of the walk, so no caller's view of the deal changes.
            let user = w.person("presales2").uuid;
            if name.ends_with("remove") {
                let add = json!({"deal": d.id, "user": user, "role": "presales"});
                let _ = post(&s.app, "/api/room/members/add", Enc::Json, Some(&s.cookies["admin"]), &add).await;
                json!({"deal": d.id, "user": user})
            } else {
                json!({"deal": d.id, "user": user, "role": "presales"})
            }
        }
        ("room/comments/add", _) => json!({"deal": deal.unwrap().id, "body": format!("walk {n}")}),
        ("approvals/decide" | "quote/decide", _) => {
            // A fresh request per case: a decided one cannot be decided again.
            let d = deal.unwrap();
            let id = pending(&s.db, &d.id, d.owner, d.approver).await;
            let key = if name == "quote/decide" { "approval" } else { "id" };
            json!({key: id, "approve": false, "comment": "walk"})
        }
        ("quote/get", _) => json!({"id": deal.unwrap().quote}),
        ("quote/create", _) => json!({"deal": deal.unwrap().id, "draft": quote_draft()}),
        ("quote/save" | "quote/step", _) => {
            let d = deal.unwrap();
            let q = read(w, &format!("/api/v1/quotes/{}", d.quote)).await;
            if name == "quote/save" {
                json!({"id": d.quote, "draft": quote_draft(), "version": q["version"]})
            } else {
                json!({"id": d.quote, "step": "submit", "version": q["version"]})
            }
        }
        ("contract/get", _) => json!({"id": deal.unwrap().contract}),
        ("contract/save" | "contract/step" | "contract/sign" | "contract/receive", _) => {
            let d = deal.unwrap();
            let c = read(w, &format!("/api/v1/contracts/{}", d.contract)).await;
            let version = c["version"].clone();
            match name {
                "contract/save" => {
                    let whole = json!({"kind": "down_payment", "trigger": "on signing", "share": {"kind": "percent_bp", "value": 10_000}});
                    json!({"id": d.contract, "draft": {"kind": "service", "milestones": [whole]}, "version": version})
                }
                "contract/step" => json!({"id": d.contract, "step": "submit", "version": version}),
                "contract/sign" => {
                    json!({"id": d.contract, "input": {"signed_on": "2026-11-02", "signatory": "walk", "method": "paper"}, "version": version})
                }
                _ => json!({"id": d.contract, "input": {"milestone": 1, "received_on": "2026-11-02", "amount_fen": 1}, "version": version}),
            }
        }
        ("objection/save", _) => {
            let d = deal.unwrap();
            let input = json!({"raised_on": "2026-11-02", "category": "price_too_high", "said": format!("walk {n}")});
            if k == R(Op::LogObjection) {
                json!({"deal": d.id, "id": null, "input": input, "version": 0})
            } else {
                let o = read(w, &format!("/api/v1/objections/{}", d.objection)).await;
                json!({"deal": d.id, "id": d.objection, "input": input, "version": o["version"]})
            }
        }
        ("objection/step", _) => {
            let d = deal.unwrap();
            let o = read(w, &format!("/api/v1/objections/{}", d.objection)).await;
            // Open ↔ dropped: a step the objection's state always allows.
            let step = if o["status"] == "open" { json!({"to": "dropped", "feedback": "walk"}) } else { json!({"to": "open"}) };
            json!({"id": d.objection, "step": step, "version": o["version"]})
        }
        ("negotiation/plan" | "negotiation/session" | "negotiation/concession" | "negotiation/confirm", _) => {
            let d = deal.unwrap();
            let neg = read(w, &format!("/api/v1/deals/{}/negotiation", d.id)).await;
            match name {
                "negotiation/plan" => json!({"deal": d.id, "plan": {"lowest_price_fen": 9_000_000, "longest_payment_days": 90,
                    "strategy": "walk"}, "version": neg["version"]}),
                "negotiation/session" => json!({"deal": d.id, "session": {"held_on": today, "channel": "walk"}}),
                "negotiation/concession" => json!({"deal": d.id, "concession": {"made_on": today, "clause": "training",
                    "given": {"kind": "text", "value": "walk"}, "got": "walk"}}),
                _ => json!({"deal": d.id, "result": "walk", "version": neg["version"]}),
            }
        }
        ("accounts/create", _) => json!({"new": {"name": format!("walk account {n}"), "industry": "manufacturing"}}),
        ("accounts/get", _) => json!({"id": account.unwrap()}),
        ("accounts/grade" | "accounts/edit", _) => {
            let id = account.unwrap();
            let a = read(w, &format!("/api/v1/accounts/{id}")).await;
            if name == "accounts/grade" {
                let answers = json!({"variant": {"kind": "not_computerised"}, "objective_need": true, "subjective_need": true,
                    "resolve": "high", "feasibility_started": true, "selection_started": false});
                json!({"id": id, "input": {"answers": answers}, "version": a["version"]})
            } else {
                json!({"id": id, "patch": {"city": format!("walk {n}")}, "version": a["version"]})
            }
        }
        ("accounts/revisit", _) => json!({"id": account.unwrap(), "input": {"visited_on": today, "channel": "phone",
            "feedback": format!("walk {n}"), "satisfaction": 4}}),
        ("accounts/merge_preview" | "accounts/merge", _) => {
            let owner = w.owner(caller, rel).unwrap();
            let dup_name = format!("authz sf dup {n}");
            let (st, dup) = call(&w.app, Method::POST, "/api/v1/accounts", Some(w.tok(owner)), Some(json!({"name": dup_name}))).await;
            assert_eq!(st, StatusCode::CREATED, "{owner}'s duplicate: {dup}");
            json!({"survivor": account.unwrap(), "duplicate": dup["id"]})
        }
        ("contacts/update" | "contacts/delete", _) => {
            let made = json!({"name": format!("walk contact {n}")});
            let uri = format!("/api/v1/accounts/{}/contacts", account.unwrap());
            let (st, c) = call(&w.app, Method::POST, &uri, Some(w.tok("admin")), Some(made)).await;
            assert_eq!(st, StatusCode::CREATED, "{c}");
            if name == "contacts/update" {
                json!({"id": c["id"], "patch": {"title": format!("walk {n}")}, "version": c["version"]})
            } else {
                json!({"id": c["id"]})
            }
        }
        ("quotas/save", _) => {
            json!({"year": 2070, "cells": [{"user_id": target.unwrap().uuid, "quarter": 1, "amount_fen": 1_000_000}]})
        }
        ("imports/get" | "imports/check" | "imports/start", _) => {
            let uploader = import_uploader(w, w.owner(caller, rel).unwrap());
            let id = upload_job(w, uploader, n).await;
            match name {
                "imports/get" => json!({"id": id}),
                "imports/check" => json!({"id": id, "mapping": ["account_name"]}),
                _ => json!({"id": id, "mode": "good_rows"}),
            }
        }
        ("admin/checklist_templates/save", _) => {
            let all = s.admin("/api/admin/checklist_templates", json!({})).await;
            json!({"edit": all[0]})
        }
        ("admin/users/create", _) => json!({"new": walk_new_user(n)}),
        ("admin/users/update" | "admin/users/reset_password" | "admin/users/active" | "admin/users/reassign", _) => {
            let u = s.admin("/api/admin/users/create", json!({"new": walk_new_user(n)})).await;
            match name {
                "admin/users/update" => json!({"id": u["id"], "edit": {"name": format!("Walk {n}"), "role": "Presales", "team": null,
                    "locale": null, "version": u["version"]}}),
                "admin/users/reset_password" => json!({"id": u["id"], "password": "walk-pass-2"}),
                "admin/users/active" => json!({"id": u["id"], "active": false, "delegate": null}),
                _ => json!({"from": u["id"], "to": w.person("rep5").uuid}),
            }
        }
        ("admin/teams/save", _) => json!({"id": null, "edit": {"name": format!("Walk team {n}"), "manager": null, "version": 0}}),
        ("admin/audit", _) => json!({"before": null}),
        ("admin/pipeline", _) => json!({"id": null}),
        ("admin/pipeline/rename" | "admin/stage" | "admin/stage/requirements" | "admin/pipeline/reorder" | "admin/pipeline/policy", _) => {
            // The pipeline as it is, written back: the walk changes who may write it, not what it is.
            let e = s.admin("/api/admin/pipeline", json!({"id": null})).await;
            let p = &e["pipeline"];
            let st = &e["stages"][0];
            match name {
                "admin/pipeline/rename" => {
                    json!({"id": p["id"], "name_en": p["name_en"], "name_zh": p["name_zh"], "version": e["version"]})
                }
                "admin/stage" => json!({"id": st["id"], "update": {"name_en": st["name_en"], "name_zh": st["name_zh"],
                    "win_rate_pct": st["win_rate_pct"], "stuck_days": st["stuck_days"], "playbook_en": st["playbook_en"],
                    "playbook_zh": st["playbook_zh"], "version": st["version"]}}),
                "admin/stage/requirements" => json!({"id": st["id"], "codes": st["requirements"], "version": st["version"]}),
                "admin/pipeline/reorder" => {
                    let open = e["stages"].as_array().unwrap().iter().filter(|s| s["kind"] == "open");
                    let order: Vec<Value> = open.map(|s| s["id"].clone()).collect();
                    json!({"pipeline": p["id"], "order": order, "version": e["version"]})
                }
                _ => json!({"pipeline": p["id"], "from": e["stages"][0]["id"], "to": e["stages"][1]["id"], "policy": null,
                    "version": e["version"]}),
            }
        }
        ("accounts/policy/market" | "accounts/policy/cadence" | "accounts/policy/capacity", _) => {
            let p = s.admin("/api/accounts/policy", json!({})).await;
            match name {
                "accounts/policy/market" => json!({"market": p["market"]}),
                "accounts/policy/cadence" => json!({"cadence": p["cadence"]}),
                _ => json!({"plan": p["plan"]}),
            }
        }
        ("contract/chain_save", _) => json!({"rules": s.admin("/api/contract/chain", json!({})).await}),
        ("quote/product/save", _) => json!({"id": null, "input": {"code": format!("SFWALK-{n}"), "name_en": "Walk", "name_zh": "测试",
            "kind": "other", "unit_en": "unit", "unit_zh": "个", "list_price_fen": 1000}, "version": 0}),
        ("quote/product/import", _) => json!({"text": format!(
            "code,name_en,name_zh,kind,unit_en,unit_zh,list_price\nSFCSV-{n},Walk,测试,other,unit,个,10\n"), "apply": false}),
        ("quote/policy/save", _) => {
            let (_, _, p) = post(&s.app, "/api/quote/policy", Enc::Form, Some(&s.cookies["admin"]), &json!({})).await;
            json!({"policy": {"manager_max_discount_bp": p["manager_max_discount_bp"], "margin_floor_bp": p["margin_floor_bp"]},
                "version": p["version"]})
        }
        _ => json!({}),
    }
}

fn quote_draft() -> Value {
    json!({"lines": [{"description": "walk", "unit": "lot", "qty_centi": 100, "unit_price_fen": 100_000}]})
}

fn walk_new_user(n: usize) -> Value {
    json!({"name": format!("Walk {n}"), "email": format!("sfwalk{n}@walk.test"), "role": "Rep", "team": null, "locale": null,
        "password": "walk-pass-1"})
}

/// Whether the answer is what the rule expects. A function's refusal is the typed error's
/// status; a few answer a refusal inside a 200 (a move the gate forbids, a quota grid whose
/// cells were refused), which count as refusals.
fn answered(want: Expect, k: K, s: StatusCode, body: &Value) -> bool {
    let gate_forbade = k == R(Op::Move) && body.get("Forbidden").is_some();
    let cells_refused = body["errors"].as_array().is_some_and(|e| !e.is_empty()) && body.get("grid").is_some();
    let business = matches!(s, StatusCode::UNPROCESSABLE_ENTITY | StatusCode::CONFLICT);
    match want {
        Expect::Ok => {
            (s.is_success() && !gate_forbade && !cells_refused)
                || matches!(k, K::Login | K::Logout) && s.is_redirection()
                // The walk's quote, contract and negotiation are wherever earlier steps left them.
                || business && matches!(k, R(Op::QuoteStep | Op::ContractStep | Op::NegotiationStep | Op::CreateContract))
        }
        Expect::Forbidden => s == StatusCode::FORBIDDEN || s.is_success() && cells_refused,
        Expect::NotFound => s == StatusCode::NOT_FOUND || s.is_success() && cells_refused,
        Expect::ReadOnlyGate => s.is_success() && gate_forbade,
        Expect::Unprocessable => s == StatusCode::UNPROCESSABLE_ENTITY || s.is_success() && cells_refused,
    }
}

/// The ids of the walk's objects the caller may not see: none may appear in any answer of theirs.
fn hidden_ids(w: &World, caller: &str) -> BTreeSet<String> {
    let c = w.person(caller);
    let vis = c.visibility();
    let a = w.actor(caller, &vis);
    let mut out = BTreeSet::new();
    for d in w.deals.values() {
        let facts = DealFacts { team_id: d.team, owner_id: d.owner, members: &d.members };
        if !rule::may_deal(&a, DealAction::View, &facts) {
            out.extend([d.id.clone(), d.quote.clone(), d.objection.clone(), d.contract.clone(), d.approval.clone()]);
        }
    }
    for (owner, (id, team)) in &w.accounts {
        if !(vis.all || vis.team_ids.contains(team) || owner == caller) {
            out.insert(id.clone());
        }
    }
    out
}

#[tokio::test]
async fn every_server_function_answers_every_role_as_the_access_policy_says() {
    let t = app::ssr::testdb::seeded().await.unwrap();
    let w = world(&t.db).await;
    let app = site_router(&t.db);
    let mut cookies = HashMap::new();
    for (name, p) in &w.people {
        cookies.insert(name.clone(), login(&app, &p.email).await);
    }
    let s = Site { app, cookies, db: t.db.clone() };
    let mut mismatches = Vec::new();

    for (k, caller, rel, want_) in LITERAL_SF {
        let got = want(&w, *k, caller, *rel);
        if got != Some(*want_) {
            mismatches.push(format!("policy: {k:?} as {caller} on {rel:?}: the rule says {got:?}, the literal row {want_:?}"));
        }
    }

    // The registry is the list: every registered function needs a row, every row a function.
    let registered: BTreeSet<(String, Method)> = leptos::server_fn::axum::server_fn_paths().map(|(p, m)| (p.to_owned(), m)).collect();
    for (path, method) in &registered {
        assert_eq!(method, Method::POST, "{path}: the walk posts every function");
        assert!(
            FNS.iter().any(|(p, _, _)| p == path),
            "server function {path} has no row in FNS: say what each role may do with it before it ships"
        );
    }
    for (p, _, _) in FNS {
        assert!(registered.iter().any(|(path, _)| path == p), "FNS lists {p}, which is no registered server function");
    }

    // Reads before writes, so a write never hides what a read should have found.
    let mut rows: Vec<&(&str, Enc, &[K])> = FNS.iter().collect();
    rows.sort_by_key(|(_, _, ks)| {
        !ks.iter().all(|k| matches!(k, R(Op::List | Op::DealRead | Op::QuoteRead | Op::ContractRead | Op::AccountRead | Op::AdminRead)))
    });
    let started = std::time::Instant::now();
    let (mut cases, mut leaks) = (0, 0);
    let mut tally: std::collections::BTreeMap<String, usize> = Default::default();
    let hidden: HashMap<&str, BTreeSet<String>> = CALLERS.into_iter().map(|c| (c, hidden_ids(&w, c))).collect();
    // Answers that named a walk deal the caller does see: the hidden-id check looks where ids are.
    let mut named_visible = 0;
    for (path, enc, kinds) in rows {
        for k in kinds.iter().copied() {
            for caller in CALLERS {
                for rel in relations_of(k).iter().copied() {
                    let Some(want_) = want(&w, k, caller, rel) else { continue };
                    cases += 1;
                    *tally.entry(format!("{want_:?}")).or_default() += 1;
                    let a = args(&w, &s, path, k, caller, rel, cases).await;
                    let cookie = match k {
                        K::Login => None,
                        K::Logout => Some(login(&s.app, &w.person(caller).email).await),
                        _ => Some(s.cookies[caller].clone()),
                    };
                    let (st, _, body) = post(&s.app, path, *enc, cookie.as_deref(), &a).await;
                    let mut text = body.to_string();
                    let sent = a.to_string();
                    let seen: Vec<&String> =
                        hidden[caller].iter().filter(|id| text.contains(id.as_str()) && !sent.contains(id.as_str())).collect();
                    let refused = want_ != Expect::Ok && st.is_success() && !answered(want_, k, st, &body);
                    if refused || !seen.is_empty() {
                        leaks += 1;
                    }
                    named_visible += usize::from(
                        w.deals
                            .values()
                            .any(|d| text.contains(d.id.as_str()) && !sent.contains(d.id.as_str()) && !hidden[caller].contains(&d.id)),
                    );
                    if !seen.is_empty() {
                        mismatches
                            .push(format!("{path} ({k:?}) as {caller} on {rel:?}: the answer names objects hidden from them: {seen:?}"));
                    }
                    if !answered(want_, k, st, &body) {
                        text.truncate(200);
                        mismatches.push(format!("{path} ({k:?}) as {caller} on {rel:?}: expected {want_:?}, got {st} {text}"));
                    }
                }
            }
        }
    }
    eprintln!("server functions: {cases} cases, {leaks} leaks in {:?}; expected {tally:?}", started.elapsed());
    assert!(mismatches.is_empty(), "{} disagreements with the policy:\n{}", mismatches.len(), mismatches.join("\n"));
    assert!(cases >= 2500, "only {cases} cases");
    assert!(named_visible >= 100, "only {named_visible} answers named a deal of the walk");
    assert!(["Ok", "Forbidden", "NotFound", "ReadOnlyGate", "Unprocessable"].iter().all(|k| tally.contains_key(*k)), "{tally:?}");
}
