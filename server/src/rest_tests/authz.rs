//! The authorization walk: every operation of the OpenAPI document, called as every demo
//! role against an object of each relation the caller can have to it, and compared with
//! what `domain::access` says. A new route fails here until it has a row in `OPS`.
//!
//! Expectations come from the policy functions themselves (one source of truth), and a few
//! hand-written rows in `LITERAL` pin the policy too, so a broken policy that the services
//! faithfully follow still fails.
use super::{call, router, token};
use crate::rest;
use app::domain::access::{self as rule, Actor, DealAction, DealFacts, TeamRole};
use app::domain::role::{Role, Visibility};
use app::ssr::entity::{approval, deal, deal_member, quote, team, user};
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use axum::Router;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{json, Value};
use std::collections::HashMap;
use tower::ServiceExt;

mod server_functions;

/// The callers: every role, both teams, and two reps of one team (a teammate's view).
const CALLERS: [&str; 10] = ["admin", "exec", "gm", "legal", "manager", "manager2", "rep", "rep3", "rep2", "presales"];

/// Who the caller is to the object.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Rel {
    /// Operations on no particular object (lists, creating).
    None,
    /// The caller owns it (their deal, their account, their quota).
    Own,
    /// A teammate's, the caller not on its deal team (teamless callers: an East rep's).
    Mate,
    /// The other team's, the caller not on its deal team.
    Foreign,
    /// The other team's deal, with the caller on its deal team as presales.
    Member,
}

/// One kind of request. A path may carry several (PATCH edits the deal or adjusts the
/// forecast, and those are different permissions).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    /// POST /auth/token with the caller's own credentials.
    Token,
    /// POST /me/password with a wrong current password: everyone signed in reaches it and
    /// meets the 422 naming `current_password` (no demo password changes).
    OwnPassword,
    /// A list or report: whatever the caller sees, 200.
    List,
    CreateAccount,
    /// POST /deals naming the relation's user as owner.
    CreateDeal,
    /// PUT /quotas for the relation's user.
    SetQuota,
    /// POST /quotas/import with one line for the relation's user.
    ImportQuota,
    DeleteQuota,
    AccountRead,
    /// POST /accounts/{id}/grade: like adding a contact (editors who see the account), under
    /// the version an admin reads first.
    GradeAccount,
    AddContact,
    /// PATCH /contacts/{id} on a contact of the relation's account (made by an admin just
    /// before, version 1): like adding a contact.
    EditContact,
    /// DELETE /contacts/{id} on such a fresh contact (on no deal): like adding a contact.
    DeleteContact,
    /// PATCH /accounts/{id} renaming it under the version an admin reads first: like grading.
    EditAccount,
    /// POST /accounts/{id}/merge with a fresh duplicate its owner makes: managers and admins
    /// who see both.
    MergeAccount,
    /// POST /accounts/{id}/revisits: like adding a contact.
    RecordRevisit,
    /// Any GET under /deals/{id}.
    DealRead,
    /// PATCH /deals/{id} changing the name.
    Patch,
    /// PATCH /deals/{id} setting the manager's category alone.
    Adjust,
    Move,
    PutMap,
    Attach,
    Tick,
    LogActivity,
    Comment,
    Decide,
    /// POST /deals/{id}/quotes with one free-text line.
    CreateQuote,
    /// GET /quotes/{id}.
    QuoteRead,
    /// PUT /quotes/{id}: the draft saved whole.
    SaveQuote,
    /// A lifecycle step (submit, send, accept, decline, revise): allowed callers get 2xx or the
    /// lifecycle's 422 (the walk's quote is wherever earlier steps left it).
    QuoteStep,
    /// POST /deals/{id}/objections.
    LogObjection,
    /// GET /objections/{id}.
    ObjectionRead,
    /// PUT /objections/{id}, or a status step that the objection's state allows.
    ObjectionWrite,
    /// POST /deals/{id}/contracts: the walk's deal already has a contract open, so allowed
    /// callers get the 422 that says so.
    CreateContract,
    /// GET /contracts/{id}.
    ContractRead,
    /// PUT /contracts/{id} or a lifecycle step (submit, withdraw, amend, sign, receipts): allowed
    /// callers get 2xx or the lifecycle's 422 (the walk's contract is wherever earlier steps
    /// left it).
    ContractStep,
    /// PUT /deals/{id}/negotiation (the plan under its version) or a POST under it (a session,
    /// a concession within the bottom lines, confirming): allowed callers get 2xx or the
    /// negotiation's 422 on its status (the walk's negotiation is wherever earlier steps left
    /// it; once sent for confirmation the plan and the ladder wait).
    NegotiationStep,
    /// Price-list changes: admins only.
    AdminWrite,
    /// The price-list export (it carries standard costs): admins only.
    AdminRead,
    /// POST /imports (a one-row accounts CSV): account editors.
    ImportUpload,
    /// GET /imports/{id} or its refused rows, of a job the relation's owner (or rep, for an
    /// owner who cannot import) uploaded just before: its uploader only.
    ImportRead,
    /// POST /imports/{id}/check on such a job: its uploader (an editor) only.
    ImportCheck,
    /// POST /imports/{id}/start on such an unchecked job: its uploader meets the 422 "check
    /// the file first"; nobody else learns it exists.
    ImportStart,
}

/// Every documented operation and what the walk sends to it.
const OPS: &[(&str, &str, &[Op])] = &[
    ("post", "/api/v1/auth/token", &[Op::Token]),
    ("post", "/api/v1/me/password", &[Op::OwnPassword]),
    ("get", "/api/v1/pipelines", &[Op::List]),
    ("get", "/api/v1/board", &[Op::List]),
    ("get", "/api/v1/deals", &[Op::List]),
    ("post", "/api/v1/deals", &[Op::CreateDeal]),
    ("get", "/api/v1/deals/{id}", &[Op::DealRead]),
    ("patch", "/api/v1/deals/{id}", &[Op::Patch, Op::Adjust]),
    ("post", "/api/v1/deals/{id}/moves", &[Op::Move]),
    ("get", "/api/v1/deals/{id}/history", &[Op::DealRead]),
    ("get", "/api/v1/approvals", &[Op::List]),
    ("post", "/api/v1/approvals/{id}/decision", &[Op::Decide]),
    ("get", "/api/v1/accounts", &[Op::List]),
    ("post", "/api/v1/accounts", &[Op::CreateAccount]),
    ("get", "/api/v1/accounts/{id}/contacts", &[Op::AccountRead]),
    ("post", "/api/v1/accounts/{id}/contacts", &[Op::AddContact]),
    ("get", "/api/v1/contacts", &[Op::List]),
    ("patch", "/api/v1/contacts/{id}", &[Op::EditContact]),
    ("delete", "/api/v1/contacts/{id}", &[Op::DeleteContact]),
    ("get", "/api/v1/accounts/{id}", &[Op::AccountRead]),
    ("patch", "/api/v1/accounts/{id}", &[Op::EditAccount]),
    ("post", "/api/v1/accounts/{id}/merge", &[Op::MergeAccount]),
    ("post", "/api/v1/accounts/{id}/grade", &[Op::GradeAccount]),
    ("post", "/api/v1/accounts/{id}/revisits", &[Op::RecordRevisit]),
    ("get", "/api/v1/accounts/due", &[Op::List]),
    ("get", "/api/v1/accounts/cadence", &[Op::List]),
    ("put", "/api/v1/accounts/cadence", &[Op::AdminWrite]),
    ("get", "/api/v1/accounts/target-market", &[Op::List]),
    ("put", "/api/v1/accounts/target-market", &[Op::AdminWrite]),
    ("get", "/api/v1/accounts/target-market/pipeline", &[Op::List]),
    // A rep sees their own book, a manager their teams', executives and admins all: 200 for all.
    ("get", "/api/v1/accounts/capacity", &[Op::List]),
    ("get", "/api/v1/accounts/capacity-plan", &[Op::List]),
    ("put", "/api/v1/accounts/capacity-plan", &[Op::AdminWrite]),
    ("get", "/api/v1/forecast", &[Op::List]),
    ("get", "/api/v1/progress", &[Op::List]),
    ("get", "/api/v1/quotas", &[Op::List]),
    ("get", "/api/v1/exports/{list}", &[Op::List]),
    ("get", "/api/v1/imports", &[Op::List]),
    ("post", "/api/v1/imports", &[Op::ImportUpload]),
    ("get", "/api/v1/imports/template", &[Op::List]),
    ("get", "/api/v1/imports/{id}", &[Op::ImportRead]),
    ("get", "/api/v1/imports/{id}/rejects", &[Op::ImportRead]),
    ("post", "/api/v1/imports/{id}/check", &[Op::ImportCheck]),
    ("post", "/api/v1/imports/{id}/start", &[Op::ImportStart]),
    ("put", "/api/v1/quotas", &[Op::SetQuota]),
    ("post", "/api/v1/quotas/import", &[Op::ImportQuota]),
    ("delete", "/api/v1/quotas/{id}", &[Op::DeleteQuota]),
    ("get", "/api/v1/deals/{id}/contacts", &[Op::DealRead]),
    ("put", "/api/v1/deals/{id}/contacts", &[Op::PutMap]),
    ("get", "/api/v1/deals/{id}/checklists", &[Op::DealRead]),
    ("post", "/api/v1/deals/{id}/checklists", &[Op::Attach]),
    ("post", "/api/v1/checklists/items/{id}", &[Op::Tick]),
    ("get", "/api/v1/deals/{id}/activities", &[Op::DealRead]),
    ("post", "/api/v1/deals/{id}/activities", &[Op::LogActivity]),
    ("get", "/api/v1/deals/{id}/comments", &[Op::DealRead]),
    ("post", "/api/v1/deals/{id}/comments", &[Op::Comment]),
    ("get", "/api/v1/deals/{id}/quotes", &[Op::DealRead]),
    ("post", "/api/v1/deals/{id}/quotes", &[Op::CreateQuote]),
    ("get", "/api/v1/quotes/{id}", &[Op::QuoteRead]),
    ("put", "/api/v1/quotes/{id}", &[Op::SaveQuote]),
    ("patch", "/api/v1/quotes/{id}", &[Op::SaveQuote]),
    ("post", "/api/v1/quotes/{id}/submit", &[Op::QuoteStep]),
    ("post", "/api/v1/quotes/{id}/send", &[Op::QuoteStep]),
    ("post", "/api/v1/quotes/{id}/accept", &[Op::QuoteStep]),
    ("post", "/api/v1/quotes/{id}/decline", &[Op::QuoteStep]),
    ("post", "/api/v1/quotes/{id}/revise", &[Op::QuoteStep]),
    ("get", "/api/v1/products", &[Op::List]),
    ("post", "/api/v1/products", &[Op::AdminWrite]),
    ("put", "/api/v1/products/{id}", &[Op::AdminWrite]),
    ("get", "/api/v1/products/csv", &[Op::AdminRead]),
    ("get", "/api/v1/deals/{id}/objections", &[Op::DealRead]),
    ("post", "/api/v1/deals/{id}/objections", &[Op::LogObjection]),
    ("get", "/api/v1/objections/{id}", &[Op::ObjectionRead]),
    ("put", "/api/v1/objections/{id}", &[Op::ObjectionWrite]),
    ("post", "/api/v1/objections/{id}/status", &[Op::ObjectionWrite]),
    ("get", "/api/v1/objections/report", &[Op::List]),
    ("post", "/api/v1/products/csv", &[Op::AdminWrite]),
    ("get", "/api/v1/quote-policy", &[Op::List]),
    ("put", "/api/v1/quote-policy", &[Op::AdminWrite]),
    ("get", "/api/v1/deals/{id}/contracts", &[Op::DealRead]),
    ("post", "/api/v1/deals/{id}/contracts", &[Op::CreateContract]),
    ("get", "/api/v1/contracts", &[Op::List]),
    ("get", "/api/v1/contracts/{id}", &[Op::ContractRead]),
    ("put", "/api/v1/contracts/{id}", &[Op::ContractStep]),
    ("post", "/api/v1/contracts/{id}/submit", &[Op::ContractStep]),
    ("post", "/api/v1/contracts/{id}/withdraw", &[Op::ContractStep]),
    ("post", "/api/v1/contracts/{id}/amend", &[Op::ContractStep]),
    ("post", "/api/v1/contracts/{id}/sign", &[Op::ContractStep]),
    ("post", "/api/v1/contracts/{id}/receipts", &[Op::ContractStep]),
    ("get", "/api/v1/receivables", &[Op::List]),
    ("get", "/api/v1/receivables/milestones", &[Op::List]),
    ("get", "/api/v1/contract-chain", &[Op::List]),
    ("put", "/api/v1/contract-chain", &[Op::AdminWrite]),
    ("get", "/api/v1/deals/{id}/negotiation", &[Op::DealRead]),
    ("put", "/api/v1/deals/{id}/negotiation", &[Op::NegotiationStep]),
    ("post", "/api/v1/deals/{id}/negotiation/sessions", &[Op::NegotiationStep]),
    ("post", "/api/v1/deals/{id}/negotiation/concessions", &[Op::NegotiationStep]),
    ("post", "/api/v1/deals/{id}/negotiation/confirm", &[Op::NegotiationStep]),
    ("get", "/api/v1/admin/users", &[Op::AdminRead]),
    ("post", "/api/v1/admin/users", &[Op::AdminWrite]),
    ("put", "/api/v1/admin/users/{id}", &[Op::AdminWrite]),
    ("post", "/api/v1/admin/users/{id}/password", &[Op::AdminWrite]),
    ("post", "/api/v1/admin/users/{id}/deactivate", &[Op::AdminWrite]),
    ("post", "/api/v1/admin/users/{id}/reactivate", &[Op::AdminWrite]),
    ("post", "/api/v1/admin/users/{id}/reassign", &[Op::AdminWrite]),
    ("get", "/api/v1/admin/teams", &[Op::AdminRead]),
    ("post", "/api/v1/admin/teams", &[Op::AdminWrite]),
    ("put", "/api/v1/admin/teams/{id}", &[Op::AdminWrite]),
    ("get", "/api/v1/admin/audit", &[Op::AdminRead]),
];

/// The answer a case must get.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    /// 2xx; for a move also the gate's 422 "blocked" (a fresh deal lacks its facts).
    Ok,
    Forbidden,
    NotFound,
    /// 422 "forbidden": the gate's answer to a read-only role that tries a move.
    ReadOnlyGate,
    /// 422: a business answer (a teamless creator, an owner one may not assign, an import
    /// line one may not write).
    Unprocessable,
}

impl Expect {
    fn matches(self, op: Op, s: StatusCode, body: &Value) -> bool {
        let outcome = body["outcome"].as_str();
        match self {
            Expect::Ok => {
                s.is_success()
                    || op == Op::Move && s == StatusCode::UNPROCESSABLE_ENTITY && outcome == Some("blocked")
                    || matches!(op, Op::QuoteStep | Op::ContractStep | Op::NegotiationStep)
                        && s == StatusCode::UNPROCESSABLE_ENTITY
                        && body["detail"].as_str().is_some_and(|d| d.contains("status"))
                    || op == Op::CreateContract
                        && s == StatusCode::UNPROCESSABLE_ENTITY
                        && body["detail"].as_str().is_some_and(|d| d.contains("still open"))
            }
            Expect::Forbidden => s == StatusCode::FORBIDDEN,
            Expect::NotFound => s == StatusCode::NOT_FOUND,
            Expect::ReadOnlyGate => s == StatusCode::UNPROCESSABLE_ENTITY && outcome == Some("forbidden"),
            Expect::Unprocessable => s == StatusCode::UNPROCESSABLE_ENTITY,
        }
    }
}

/// Hand-written rows, read off the rule in `domain::access` by a person: the computed
/// expectation must agree with each, so the walk cannot pass by agreeing with a broken policy.
const LITERAL: &[(Op, &str, Rel, Expect)] = &[
    (Op::Patch, "rep", Rel::Mate, Expect::Forbidden),
    (Op::Move, "rep", Rel::Mate, Expect::Forbidden),
    (Op::Patch, "rep", Rel::Member, Expect::Ok),
    (Op::DealRead, "rep2", Rel::Foreign, Expect::NotFound),
    (Op::Comment, "rep2", Rel::Foreign, Expect::NotFound),
    (Op::Patch, "exec", Rel::Mate, Expect::Forbidden),
    (Op::Move, "exec", Rel::Foreign, Expect::ReadOnlyGate),
    (Op::Comment, "legal", Rel::Foreign, Expect::Ok),
    (Op::Comment, "exec", Rel::Mate, Expect::Forbidden),
    (Op::Adjust, "gm", Rel::Foreign, Expect::Ok),
    (Op::Patch, "gm", Rel::Foreign, Expect::Forbidden),
    (Op::DealRead, "presales", Rel::Mate, Expect::NotFound),
    (Op::PutMap, "presales", Rel::Member, Expect::Ok),
    (Op::Patch, "presales", Rel::Member, Expect::Forbidden),
    (Op::Patch, "manager", Rel::Mate, Expect::Ok),
    (Op::Adjust, "manager", Rel::Member, Expect::Forbidden),
    (Op::DealRead, "manager2", Rel::Foreign, Expect::NotFound),
    (Op::Patch, "admin", Rel::Foreign, Expect::Ok),
    (Op::Decide, "manager", Rel::Mate, Expect::Ok),
    (Op::Decide, "rep", Rel::Own, Expect::Forbidden),
    (Op::Decide, "rep3", Rel::Mate, Expect::NotFound),
    (Op::DeleteQuota, "rep", Rel::Own, Expect::Forbidden),
    (Op::DeleteQuota, "rep", Rel::Mate, Expect::NotFound),
    (Op::SetQuota, "manager", Rel::Mate, Expect::Ok),
    (Op::SetQuota, "manager2", Rel::Foreign, Expect::Forbidden),
    (Op::AddContact, "rep2", Rel::Foreign, Expect::NotFound),
    (Op::AddContact, "exec", Rel::Mate, Expect::Forbidden),
    (Op::EditContact, "rep2", Rel::Foreign, Expect::NotFound),
    (Op::EditContact, "rep3", Rel::Mate, Expect::Ok),
    (Op::DeleteContact, "exec", Rel::Foreign, Expect::Forbidden),
    (Op::DeleteContact, "manager2", Rel::Foreign, Expect::NotFound),
    (Op::EditAccount, "exec", Rel::Mate, Expect::Forbidden),
    (Op::EditAccount, "rep", Rel::Mate, Expect::Ok),
    (Op::EditAccount, "rep2", Rel::Foreign, Expect::NotFound),
    (Op::MergeAccount, "rep", Rel::Own, Expect::Forbidden),
    (Op::MergeAccount, "exec", Rel::Mate, Expect::Forbidden),
    (Op::MergeAccount, "manager", Rel::Mate, Expect::Ok),
    (Op::MergeAccount, "admin", Rel::Foreign, Expect::Ok),
    (Op::MergeAccount, "manager2", Rel::Foreign, Expect::NotFound),
    (Op::CreateDeal, "legal", Rel::Mate, Expect::Forbidden),
    (Op::CreateAccount, "rep", Rel::None, Expect::Ok),
    (Op::ImportUpload, "exec", Rel::None, Expect::Forbidden),
    (Op::ImportRead, "rep", Rel::Own, Expect::Ok),
    (Op::ImportRead, "manager", Rel::Mate, Expect::NotFound),
    (Op::ImportCheck, "exec", Rel::Foreign, Expect::Forbidden),
    (Op::ImportStart, "rep", Rel::Own, Expect::Unprocessable),
    (Op::SaveQuote, "presales", Rel::Member, Expect::Ok),
    (Op::SaveQuote, "rep", Rel::Mate, Expect::Forbidden),
    (Op::QuoteRead, "legal", Rel::Foreign, Expect::Ok),
    (Op::QuoteStep, "gm", Rel::Mate, Expect::Forbidden),
    (Op::QuoteRead, "rep2", Rel::Foreign, Expect::NotFound),
    (Op::AdminWrite, "manager", Rel::None, Expect::Forbidden),
    (Op::ContractStep, "presales", Rel::Member, Expect::Ok),
    (Op::ContractStep, "gm", Rel::Mate, Expect::Forbidden),
    (Op::CreateContract, "legal", Rel::Foreign, Expect::Forbidden),
    (Op::ContractRead, "rep2", Rel::Foreign, Expect::NotFound),
    (Op::NegotiationStep, "presales", Rel::Member, Expect::Ok),
    (Op::NegotiationStep, "gm", Rel::Mate, Expect::Forbidden),
    (Op::NegotiationStep, "legal", Rel::Foreign, Expect::Forbidden),
    (Op::NegotiationStep, "rep2", Rel::Foreign, Expect::NotFound),
];

/// A demo user as the policy sees them.
struct Person {
    email: String,
    id: i32,
    uuid: uuid::Uuid,
    role: Role,
    team: Option<i32>,
    managed: Vec<i32>,
}

impl Person {
    fn visibility(&self) -> Visibility {
        Visibility::for_user(self.role, self.id, self.team, &self.managed)
    }
}

/// A deal made for one (caller, relation), with the child objects the walk needs.
struct DealFx {
    id: String,
    team: i32,
    owner: i32,
    members: Vec<(i32, TeamRole)>,
    item: i64,
    approval: String,
    approver: i32,
    /// A draft quote on the deal, made by its owner.
    quote: String,
    /// An open objection on the deal, logged by its owner.
    objection: String,
    /// A draft contract on the deal, drafted by its owner.
    contract: String,
}

struct World {
    app: Router,
    tokens: HashMap<String, String>,
    people: HashMap<String, Person>,
    east: i32,
    deals: HashMap<(&'static str, Rel), DealFx>,
    /// Account uuid and team by owner name.
    accounts: HashMap<String, (String, i32)>,
    quotas: HashMap<(&'static str, Rel), String>,
}

impl World {
    fn person(&self, name: &str) -> &Person {
        &self.people[name]
    }

    fn tok(&self, name: &str) -> &str {
        &self.tokens[name]
    }

    /// Whose object each relation means for this caller; None when it does not apply (a
    /// teamless caller owns no deal or account).
    fn owner(&self, caller: &str, rel: Rel) -> Option<&'static str> {
        let c = self.person(caller);
        let east = c.team.is_none_or(|t| t == self.east);
        match rel {
            Rel::None => None,
            Rel::Own => CALLERS.into_iter().find(|n| *n == caller),
            Rel::Mate => Some(if east { "rep5" } else { "rep4" }),
            Rel::Foreign | Rel::Member => Some(if east { "rep4" } else { "rep5" }),
        }
    }

    fn actor<'a>(&self, caller: &str, vis: &'a Visibility) -> Actor<'a> {
        let c = self.person(caller);
        Actor { user_id: c.id, role: c.role, visibility: vis }
    }
}

/// The relations each operation is tried with.
fn relations(op: Op) -> &'static [Rel] {
    match op {
        Op::Token | Op::OwnPassword | Op::List | Op::CreateAccount | Op::AdminWrite | Op::AdminRead | Op::ImportUpload => &[Rel::None],
        Op::ImportRead | Op::ImportCheck | Op::ImportStart => &[Rel::Own, Rel::Mate, Rel::Foreign],
        Op::CreateDeal
        | Op::SetQuota
        | Op::ImportQuota
        | Op::DeleteQuota
        | Op::AccountRead
        | Op::AddContact
        | Op::EditContact
        | Op::DeleteContact
        | Op::GradeAccount
        | Op::EditAccount
        | Op::MergeAccount
        | Op::RecordRevisit => &[Rel::Own, Rel::Mate, Rel::Foreign],
        _ => &[Rel::Own, Rel::Mate, Rel::Foreign, Rel::Member],
    }
}

/// The deal permission an operation needs.
fn deal_action(op: Op) -> Option<DealAction> {
    Some(match op {
        Op::DealRead => DealAction::View,
        Op::Patch | Op::Move => DealAction::Edit,
        Op::Adjust => DealAction::AdjustForecast,
        Op::PutMap | Op::Attach | Op::Tick | Op::LogActivity => DealAction::Work,
        Op::QuoteRead | Op::ObjectionRead | Op::ContractRead => DealAction::View,
        Op::LogObjection | Op::ObjectionWrite => DealAction::Work,
        Op::CreateQuote | Op::SaveQuote | Op::QuoteStep | Op::CreateContract | Op::ContractStep | Op::NegotiationStep => DealAction::Quote,
        Op::Comment => DealAction::Comment,
        _ => return None,
    })
}

/// What the policy says (None: the case does not exist, e.g. an admin's own account).
fn expect(w: &World, op: Op, caller: &str, rel: Rel) -> Option<Expect> {
    let c = w.person(caller);
    let vis = c.visibility();
    let a = w.actor(caller, &vis);
    let read_only = rule::reads_only(c.role);
    match op {
        Op::Token | Op::List => Some(Expect::Ok),
        Op::OwnPassword => Some(Expect::Unprocessable),
        Op::AdminWrite | Op::AdminRead => Some(if rule::may_administer(c.role) { Expect::Ok } else { Expect::Forbidden }),
        Op::ImportUpload => Some(if rule::may_edit_accounts(c.role) { Expect::Ok } else { Expect::Forbidden }),
        Op::ImportRead | Op::ImportCheck | Op::ImportStart => {
            let uploader = import_uploader(w, w.owner(caller, rel)?);
            Some(if op != Op::ImportRead && !rule::may_edit_accounts(c.role) {
                Expect::Forbidden
            } else if uploader != caller {
                Expect::NotFound
            } else if op == Op::ImportStart {
                Expect::Unprocessable
            } else {
                Expect::Ok
            })
        }
        Op::CreateAccount if !rule::may_edit_accounts(c.role) => Some(Expect::Forbidden),
        // Accounts belong to the creator's team; a teamless admin has none to give.
        Op::CreateAccount if c.team.is_none() => Some(Expect::Unprocessable),
        Op::CreateAccount => Some(Expect::Ok),
        Op::CreateDeal => {
            let owner = w.person(w.owner(caller, rel)?);
            let team = owner.team?;
            Some(if read_only {
                Expect::Forbidden
            } else if rule::may_assign(&a, owner.id, team) {
                Expect::Ok
            } else {
                // The service names the owner field (422) rather than answering 403.
                Expect::Unprocessable
            })
        }
        Op::SetQuota | Op::ImportQuota | Op::DeleteQuota => {
            let target = w.person(w.owner(caller, rel)?);
            let edit = rule::may_edit_quota(&a, target.team, &c.managed, c.team);
            let see = rule::may_see_quota(&a, target.id, edit);
            Some(match op {
                _ if edit => Expect::Ok,
                // An import reports each line it may not write and imports nothing.
                Op::ImportQuota => Expect::Unprocessable,
                Op::DeleteQuota if !see => Expect::NotFound,
                _ => Expect::Forbidden,
            })
        }
        Op::AccountRead
        | Op::AddContact
        | Op::EditContact
        | Op::DeleteContact
        | Op::GradeAccount
        | Op::EditAccount
        | Op::MergeAccount
        | Op::RecordRevisit => {
            let (_, team) = w.accounts.get(w.owner(caller, rel)?)?;
            // The walk's accounts have no deals: they are seen by all-seeing roles, their team
            // and their owner.
            let visible = vis.all || vis.team_ids.contains(team) || rel == Rel::Own;
            Some(if !visible {
                Expect::NotFound
            } else if op == Op::MergeAccount {
                if rule::may_merge_accounts(c.role) {
                    Expect::Ok
                } else {
                    Expect::Forbidden
                }
            } else if op != Op::AccountRead && !rule::may_edit_accounts(c.role) {
                Expect::Forbidden
            } else {
                Expect::Ok
            })
        }
        Op::Decide => {
            let d = w.deals.get(&(cname(caller), rel))?;
            // The approver (or an admin) decides; the requester sees it but may not; to
            // anyone else it does not exist.
            Some(if rule::may_decide(&a, Some(d.approver)) {
                Expect::Ok
            } else if d.owner == c.id {
                Expect::Forbidden
            } else {
                Expect::NotFound
            })
        }
        _ => {
            let d = w.deals.get(&(cname(caller), rel))?;
            let facts = DealFacts { team_id: d.team, owner_id: d.owner, members: &d.members };
            let action = deal_action(op)?;
            Some(if !rule::may_deal(&a, DealAction::View, &facts) {
                Expect::NotFound
            } else if op == Op::Move && read_only {
                Expect::ReadOnlyGate
            } else if rule::may_deal(&a, action, &facts) {
                Expect::Ok
            } else {
                Expect::Forbidden
            })
        }
    }
}

/// The caller's name as the static key the fixtures use.
fn cname(caller: &str) -> &'static str {
    CALLERS.into_iter().find(|n| *n == caller).unwrap()
}

async fn people(db: &app::ssr::db::Db) -> (HashMap<String, Person>, i32) {
    let teams = team::Entity::find().all(db).await.unwrap();
    let east = teams.iter().find(|t| t.name == "East").unwrap().id;
    let mut out = HashMap::new();
    for u in user::Entity::find().filter(user::Column::Email.ends_with("@demo.local")).all(db).await.unwrap() {
        let managed = teams.iter().filter(|t| t.manager_id == Some(u.id)).map(|t| t.id).collect();
        let name = u.email.trim_end_matches("@demo.local").to_owned();
        let role = Role::parse(&u.role).unwrap();
        out.insert(name, Person { email: u.email, id: u.id, uuid: u.uuid, role, team: u.team_id, managed });
    }
    (out, east)
}

/// The first account the user sees that the walk did not make (the walk's own accounts
/// must stay without deals for their expectations to hold).
async fn seeded_account(app: &Router, tok: &str) -> Value {
    let (s, page) = call(app, Method::GET, "/api/v1/accounts?per_page=200", Some(tok), None).await;
    assert_eq!(s, StatusCode::OK, "{page}");
    page["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| !a["name"].as_str().unwrap().starts_with("authz"))
        .map_or(Value::Null, |a| a["id"].clone())
}

/// A deal owned by `owner`, created by them (presales see no account to put it on, so an
/// admin creates theirs for them).
async fn make_deal(w: &World, owner: &str, n: usize) -> Value {
    let by = if w.person(owner).role == Role::Presales { "admin" } else { owner };
    let account = seeded_account(&w.app, w.tok(by)).await;
    let new = json!({"name": format!("walk {n}"), "account_id": account, "owner_id": w.person(owner).uuid,
        "amount_minor": 10_000_000, "expected_close_date": "2027-06-30"});
    let (s, d) = call(&w.app, Method::POST, "/api/v1/deals", Some(w.tok(by)), Some(new)).await;
    assert_eq!(s, StatusCode::CREATED, "{owner}'s deal: {d}");
    d
}

/// A pending stage-move request of the owner's, routed to the team's manager, written to the
/// table (how a move comes to need one is the movement tests' business).
async fn pending(db: &app::ssr::db::Db, deal_uuid: &str, requester: i32, approver: i32) -> String {
    let d = deal::Entity::find().filter(deal::Column::Uuid.eq(deal_uuid.parse::<uuid::Uuid>().unwrap())).one(db).await.unwrap().unwrap();
    let id = uuid::Uuid::new_v4();
    let now = chrono::Utc::now();
    approval::Entity::insert(approval::ActiveModel {
        uuid: Set(id),
        deal_id: Set(d.id),
        kind: Set("stage_move".into()),
        requested_by: Set(requester),
        approver_id: Set(Some(approver)),
        from_stage_id: Set(Some(d.stage_id)),
        to_stage_id: Set(Some(d.stage_id)),
        reason: Set(Some("walk".into())),
        status: Set("pending".into()),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    })
    .exec_without_returning(db)
    .await
    .unwrap();
    id.to_string()
}

async fn add_member(db: &app::ssr::db::Db, deal_uuid: &str, user_id: i32) {
    let d = deal::Entity::find().filter(deal::Column::Uuid.eq(deal_uuid.parse::<uuid::Uuid>().unwrap())).one(db).await.unwrap().unwrap();
    deal_member::Entity::insert(deal_member::ActiveModel {
        deal_id: Set(d.id),
        user_id: Set(user_id),
        role: Set(TeamRole::Presales.as_str().into()),
        created_at: Set(chrono::Utc::now()),
    })
    .exec_without_returning(db)
    .await
    .unwrap();
}

/// Every object the walk touches, made by its owner before the walk starts.
async fn world(db: &app::ssr::db::Db) -> World {
    let app = router(db);
    let (people, east) = people(db).await;
    let mut tokens = HashMap::new();
    for (name, p) in &people {
        tokens.insert(name.clone(), token(&app, &p.email).await);
    }
    let mut w = World { app, tokens, people, east, deals: HashMap::new(), accounts: HashMap::new(), quotas: HashMap::new() };
    // One fresh deal per (caller, relation): the walk's changes to it never leak into
    // another case.
    let mut n = 0;
    for caller in CALLERS {
        for rel in [Rel::Own, Rel::Mate, Rel::Foreign, Rel::Member] {
            let Some(owner) = w.owner(caller, rel) else { continue };
            if rel == Rel::Own && w.person(caller).team.is_none() {
                continue;
            }
            n += 1;
            let d = make_deal(&w, owner, n).await;
            let id = d["id"].as_str().unwrap().to_owned();
            let o = w.person(owner);
            let team = o.team.unwrap();
            let mut members = vec![(o.id, TeamRole::Owner)];
            if rel == Rel::Member {
                add_member(db, &id, w.person(caller).id).await;
                members.push((w.person(caller).id, TeamRole::Presales));
            }
            let uri = format!("/api/v1/deals/{id}/checklists");
            let (s, c) = call(&w.app, Method::POST, &uri, Some(w.tok(owner)), Some(json!({"template": "demo"}))).await;
            assert_eq!(s, StatusCode::CREATED, "{owner}'s checklist: {c}");
            let approver = w.people.values().find(|p| p.managed.contains(&team)).unwrap().id;
            let approval = pending(db, &id, o.id, approver).await;
            let (owner_id, item) = (o.id, c["items"][0]["id"].as_i64().unwrap());
            let quote = draft_quote(&w, owner, &id).await;
            let (s, ob) =
                call(&w.app, Method::POST, &format!("/api/v1/deals/{id}/objections"), Some(w.tok(owner)), Some(objection_body())).await;
            assert_eq!(s, StatusCode::CREATED, "{owner}'s objection: {ob}");
            let objection = ob["id"].as_str().unwrap().to_owned();
            let contract = open_contract(db, &w, owner, &id).await;
            // After the contract: a deal with an unconfirmed negotiation drafts none.
            let uri = format!("/api/v1/deals/{id}/negotiation");
            let (s, n) = call(&w.app, Method::PUT, &uri, Some(w.tok(owner)), Some(negotiation_plan(Value::Null))).await;
            assert_eq!(s, StatusCode::CREATED, "{owner}'s negotiation: {n}");
            w.deals
                .insert((caller, rel), DealFx { id, team, owner: owner_id, members, item, approval, approver, quote, objection, contract });
        }
    }
    // Accounts after deals, so that no deal lands on them.
    let mut account_owners: Vec<&str> = CALLERS.into_iter().filter(|c| w.person(c).team.is_some()).collect();
    account_owners.extend(["rep4", "rep5"]);
    for owner in account_owners {
        let body = json!({"name": format!("authz {owner}")});
        // Whatever it answers (the walk checks account creation itself), the row is what counts.
        let _ = call(&w.app, Method::POST, "/api/v1/accounts", Some(w.tok(owner)), Some(body)).await;
        let row = app::ssr::entity::account::Entity::find()
            .filter(app::ssr::entity::account::Column::Name.eq(format!("authz {owner}")))
            .one(db)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("{owner}'s account was not made"));
        w.accounts.insert(owner.to_owned(), (row.uuid.to_string(), row.team_id));
    }
    // One quota per (caller, relation), in its own period, set by an admin.
    for (i, caller) in CALLERS.into_iter().enumerate() {
        for (q, rel) in [Rel::Own, Rel::Mate, Rel::Foreign].into_iter().enumerate() {
            let target = &w.person(w.owner(caller, rel).unwrap()).email;
            let (start, end) = (format!("{}-{:02}-01", 2040 + i, q * 3 + 1), format!("{}-{:02}-28", 2040 + i, q * 3 + 3));
            let body = json!({"user": target, "period_start": start, "period_end": end, "amount_minor": 1_000_000});
            let (s, set) = call(&w.app, Method::PUT, "/api/v1/quotas", Some(w.tok("admin")), Some(body)).await;
            assert_eq!(s, StatusCode::OK, "{set}");
            let id = set.as_array().unwrap().iter().find(|r| r["email"] == target.as_str()).unwrap()["id"].as_str().unwrap().to_owned();
            w.quotas.insert((caller, rel), id);
        }
    }
    w
}

fn objection_body() -> Value {
    json!({"raised_on": "2026-11-02", "category": "price_too_high", "said": "walk: too expensive"})
}

fn quote_body() -> Value {
    json!({"lines": [{"description": "walk", "unit": "lot", "quantity": "1", "unit_price_minor": 100_000}]})
}

/// A draft quote on the deal by its owner, over REST.
async fn draft_quote(w: &World, owner: &str, deal: &str) -> String {
    let (s, q) = call(&w.app, Method::POST, &format!("/api/v1/deals/{deal}/quotes"), Some(w.tok(owner)), Some(quote_body())).await;
    assert_eq!(s, StatusCode::CREATED, "{owner}'s quote: {q}");
    q["id"].as_str().unwrap().to_owned()
}

fn contract_body() -> Value {
    let whole = json!({"kind": "down_payment", "trigger": "on signing", "share": {"kind": "percent", "value": 10_000}});
    json!({"kind": "service", "milestones": [whole]})
}

/// A draft contract on the deal by its owner, over REST, from a quote of theirs marked
/// accepted in the table (how a quote comes to be accepted is the quote tests' business).
async fn open_contract(db: &app::ssr::db::Db, w: &World, owner: &str, deal: &str) -> String {
    let q = draft_quote(w, owner, deal).await;
    quote::Entity::update_many()
        .col_expr(quote::Column::Status, Expr::value("accepted"))
        .filter(quote::Column::Uuid.eq(q.parse::<uuid::Uuid>().unwrap()))
        .exec(db)
        .await
        .unwrap();
    let (s, c) = call(&w.app, Method::POST, &format!("/api/v1/deals/{deal}/contracts"), Some(w.tok(owner)), None).await;
    assert_eq!(s, StatusCode::CREATED, "{owner}'s contract: {c}");
    c["id"].as_str().unwrap().to_owned()
}

/// The walk's negotiation plan; a null version starts it.
fn negotiation_plan(version: Value) -> Value {
    json!({"lowest_price_minor": 9_000_000, "longest_payment_days": 90, "strategy": "walk", "version": version})
}

/// The organisation's calendar day (concessions may not be made in the future).
fn walk_today() -> String {
    chrono::Utc::now().with_timezone(&app::domain::forecast::offset()).date_naive().to_string()
}

/// A request body: JSON, CSV (the quota import), or none.
enum Payload {
    None,
    Json(Value),
    Csv(String),
}

/// What to send: the URI and a well-formed body (current versions read just before, so an
/// allowed call succeeds or meets only a business rule).
async fn request(w: &World, path: &str, op: Op, caller: &str, rel: Rel, n: usize) -> (String, Payload) {
    let admin = w.tok("admin");
    let fill = |id: &str| path.replace("{id}", id);
    if let Some(d) = w.deals.get(&(cname(caller), rel)).filter(|_| deal_action(op).is_some() || op == Op::Decide) {
        let (_, now) = call(&w.app, Method::GET, &format!("/api/v1/deals/{}", d.id), Some(admin), None).await;
        let version = now["version"].clone();
        let body = match op {
            Op::DealRead => Payload::None,
            Op::Patch => Payload::Json(json!({"version": version, "name": format!("walk {n} renamed")})),
            Op::Adjust => Payload::Json(json!({"version": version, "manager_category": "commit"})),
            Op::Move => Payload::Json(json!({"to_stage_id": next_stage(w, &now["stage_id"]).await, "version": version})),
            Op::PutMap => Payload::Json(json!({"people": []})),
            Op::Attach => Payload::Json(json!({"template": "proposal"})),
            Op::Tick => {
                let (_, lists) = call(&w.app, Method::GET, &format!("/api/v1/deals/{}/checklists", d.id), Some(admin), None).await;
                let item = lists.as_array().unwrap().iter().flat_map(|c| c["items"].as_array().unwrap()).find(|i| i["id"] == d.item);
                Payload::Json(json!({"version": item.unwrap()["version"], "done": true}))
            }
            Op::LogActivity => Payload::Json(json!({"kind": "call", "at": chrono::Utc::now(), "summary": "walk"})),
            Op::Comment => Payload::Json(json!({"body": "walk"})),
            Op::Decide => Payload::Json(json!({"decision": "reject", "comment": "walk"})),
            Op::CreateQuote => Payload::Json(quote_body()),
            Op::LogObjection => Payload::Json(objection_body()),
            Op::ObjectionRead | Op::ObjectionWrite => {
                let (_, o) = call(&w.app, Method::GET, &format!("/api/v1/objections/{}", d.objection), Some(admin), None).await;
                match (op, path.ends_with("/status")) {
                    (Op::ObjectionRead, _) => Payload::None,
                    (_, false) => {
                        let mut body = objection_body();
                        body["version"] = o["version"].clone();
                        Payload::Json(body)
                    }
                    // Open ↔ dropped: a step the objection's state always allows.
                    _ if o["status"] == "open" => Payload::Json(json!({"to": "dropped", "feedback": "walk", "version": o["version"]})),
                    _ => Payload::Json(json!({"to": "open", "version": o["version"]})),
                }
            }
            Op::CreateContract => Payload::None,
            Op::ContractRead | Op::ContractStep => {
                let (_, k) = call(&w.app, Method::GET, &format!("/api/v1/contracts/{}", d.contract), Some(admin), None).await;
                let version = k["version"].clone();
                match op {
                    Op::ContractRead => Payload::None,
                    _ if path.ends_with("/sign") => {
                        Payload::Json(json!({"signed_on": "2026-11-02", "signatory": "walk", "method": "paper", "version": version}))
                    }
                    _ if path.ends_with("/receipts") => {
                        Payload::Json(json!({"milestone": 1, "received_on": "2026-11-02", "amount_minor": 1, "version": version}))
                    }
                    _ if path.ends_with("{id}") => {
                        let mut body = contract_body();
                        body["version"] = version;
                        Payload::Json(body)
                    }
                    _ => Payload::Json(json!({"version": version})),
                }
            }
            Op::NegotiationStep => {
                let (_, n) = call(&w.app, Method::GET, &format!("/api/v1/deals/{}/negotiation", d.id), Some(admin), None).await;
                let version = n["version"].clone();
                let today = walk_today();
                Payload::Json(if path.ends_with("/sessions") {
                    json!({"held_on": today, "channel": "walk"})
                } else if path.ends_with("/concessions") {
                    // Words for words, within every line: nothing for the general manager.
                    json!({"made_on": today, "clause": "training", "given": {"kind": "text", "text": "walk"}, "got": "walk"})
                } else if path.ends_with("/confirm") {
                    json!({"result": "walk", "version": version})
                } else {
                    negotiation_plan(version)
                })
            }
            Op::QuoteRead | Op::SaveQuote | Op::QuoteStep => {
                let (_, q) = call(&w.app, Method::GET, &format!("/api/v1/quotes/{}", d.quote), Some(admin), None).await;
                match op {
                    Op::QuoteRead => Payload::None,
                    Op::SaveQuote => {
                        let mut body = quote_body();
                        body["version"] = q["version"].clone();
                        Payload::Json(body)
                    }
                    _ => Payload::Json(json!({"version": q["version"]})),
                }
            }
            _ => unreachable!(),
        };
        let id = match op {
            Op::Tick => d.item.to_string(),
            Op::Decide => d.approval.clone(),
            Op::QuoteRead | Op::SaveQuote | Op::QuoteStep => d.quote.clone(),
            Op::ObjectionRead | Op::ObjectionWrite => d.objection.clone(),
            Op::ContractRead | Op::ContractStep => d.contract.clone(),
            _ => d.id.clone(),
        };
        return (fill(&id), body);
    }
    let target = w.owner(caller, rel).map(|o| w.person(o));
    let body = match op {
        Op::Token => Payload::Json(json!({"email": w.person(caller).email, "password": app::ssr::seed::DEMO_PASSWORD})),
        Op::OwnPassword => Payload::Json(json!({"current_password": "not-my-password", "new_password": "walk-new-pass"})),
        Op::List => Payload::None,
        Op::CreateAccount => Payload::Json(json!({"name": format!("walk account {n}")})),
        Op::ImportUpload => Payload::Csv(format!("Account name\nwalk import {n}\n")),
        Op::ImportRead | Op::ImportCheck | Op::ImportStart => {
            let uploader = import_uploader(w, w.owner(caller, rel).unwrap());
            let (s, j) = call(&w.app, Method::POST, "/api/v1/imports?kind=accounts", Some(w.tok(uploader)), None).await;
            assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "an empty upload is refused: {j}");
            let id = upload_job(w, uploader, n).await;
            let body = match op {
                Op::ImportCheck => Payload::Json(json!({})),
                Op::ImportStart => Payload::Json(json!({"mode": "good_rows"})),
                _ => Payload::None,
            };
            return (fill(&id), body);
        }
        Op::CreateDeal => Payload::Json(json!({"name": format!("walk {n}"), "account_id": seeded_account(&w.app, w.tok(caller)).await,
            "owner_id": target.unwrap().uuid, "amount_minor": 10_000_000, "expected_close_date": "2027-06-30"})),
        Op::SetQuota => Payload::Json(
            json!({"user": target.unwrap().email, "period_start": "2060-01-01", "period_end": "2060-12-31", "amount_minor": 1_000_000}),
        ),
        Op::ImportQuota => Payload::Csv(format!("{},2061-01-01,2061-12-31,1000\n", target.unwrap().email)),
        Op::DeleteQuota => return (fill(&w.quotas[&(cname(caller), rel)]), Payload::None),
        Op::AdminWrite if path.ends_with("quote-policy") => {
            let (_, p) = call(&w.app, Method::GET, path, Some(admin), None).await;
            return (
                path.to_owned(),
                Payload::Json(json!({"manager_max_discount_bp": 1000, "margin_floor_bp": 2000, "version": p["version"]})),
            );
        }
        Op::AdminRead => Payload::None,
        // User administration: every write acts on a user or team made for this case (never a
        // demo user another case relies on), so an allowed call succeeds.
        Op::AdminWrite if path == "/api/v1/admin/users" => Payload::Json(walk_user(n)),
        Op::AdminWrite if path.starts_with("/api/v1/admin/users/") => {
            let (s, u) = call(&w.app, Method::POST, "/api/v1/admin/users", Some(admin), Some(walk_user(n))).await;
            assert_eq!(s, StatusCode::CREATED, "{u}");
            let body = match path.rsplit('/').next() {
                Some("{id}") => {
                    Payload::Json(json!({"name": format!("Walk {n}"), "role": "presales", "team_id": null, "version": u["version"]}))
                }
                Some("password") => Payload::Json(json!({"password": "walk-pass-2"})),
                Some("reassign") => Payload::Json(json!({"to": w.person("rep5").uuid})),
                _ => Payload::None,
            };
            return (fill(u["id"].as_str().unwrap()), body);
        }
        Op::AdminWrite if path == "/api/v1/admin/teams" => Payload::Json(json!({"name": format!("Walk team {n}")})),
        Op::AdminWrite if path.starts_with("/api/v1/admin/teams/") => {
            let made = json!({"name": format!("Walk team {n}")});
            let (s, t) = call(&w.app, Method::POST, "/api/v1/admin/teams", Some(admin), Some(made)).await;
            assert_eq!(s, StatusCode::CREATED, "{t}");
            let body = json!({"name": format!("Walk team {n} renamed"), "manager_id": w.person("manager2").uuid, "version": t["version"]});
            return (fill(t["id"].as_str().unwrap()), Payload::Json(body));
        }
        Op::AdminWrite if path.ends_with("contract-chain") => {
            Payload::Json(json!([{"contract_type": null, "min_amount_minor": 0, "steps": ["sales_manager", "legal", "general_manager"]}]))
        }
        // The cadence as shipped: the walk changes who may write it, not what it is.
        Op::AdminWrite if path.ends_with("/cadence") => Payload::Json(json!({"a": 1, "b": 3, "c": 6, "d": null})),
        // The shipped target market, as the document's body.
        Op::AdminWrite if path.ends_with("/target-market") => {
            let (_, m) = call(&w.app, Method::GET, path, Some(admin), None).await;
            Payload::Json(m)
        }
        // The plan in force, as the document's body: the walk changes who may write it.
        Op::AdminWrite if path.ends_with("/capacity-plan") => {
            let (_, p) = call(&w.app, Method::GET, path, Some(admin), None).await;
            Payload::Json(p)
        }
        Op::RecordRevisit => {
            let (id, _) = &w.accounts[w.owner(caller, rel).unwrap()];
            let body = json!({"visited_on": app::ssr::service::account::cadence::today(), "channel": "phone",
                "feedback": format!("walk {n}"), "satisfaction": 4});
            return (fill(id), Payload::Json(body));
        }
        Op::AdminWrite if path.ends_with("/csv") => {
            Payload::Csv(format!("code,name_en,name_zh,kind,unit_en,unit_zh,list_price\nCSV-{n},Walk,测试,other,unit,个,10\n"))
        }
        Op::AdminWrite if path.contains("{id}") => {
            let (_, list) = call(&w.app, Method::GET, "/api/v1/products", Some(admin), None).await;
            let p = list.as_array().unwrap().iter().find(|p| p["code"] == "ERP-FIN").unwrap().clone();
            let mut body = p.clone();
            body["name_en"] = json!(format!("Finance module licence ({n})"));
            body["list_price_minor"] = p["list_price_minor"].clone();
            return (fill(p["id"].as_str().unwrap()), Payload::Json(body));
        }
        Op::AdminWrite => Payload::Json(json!({"code": format!("WALK-{n}"), "name_en": "Walk", "name_zh": "测试", "kind": "other",
            "unit_en": "unit", "unit_zh": "个", "list_price_minor": 1000})),
        Op::GradeAccount => {
            let (id, _) = &w.accounts[w.owner(caller, rel).unwrap()];
            let (_, a) = call(&w.app, Method::GET, &format!("/api/v1/accounts/{id}"), Some(admin), None).await;
            let answers = json!({"variant": {"kind": "not_computerised"}, "objective_need": true, "subjective_need": true,
                "resolve": "high", "feasibility_started": true, "selection_started": false});
            return (fill(id), Payload::Json(json!({"answers": answers, "version": a["version"]})));
        }
        Op::EditContact | Op::DeleteContact => {
            let (account, _) = &w.accounts[w.owner(caller, rel).unwrap()];
            let made = json!({"name": format!("walk contact {n}")});
            let (s, c) = call(&w.app, Method::POST, &format!("/api/v1/accounts/{account}/contacts"), Some(admin), Some(made)).await;
            assert_eq!(s, StatusCode::CREATED, "{c}");
            let id = c["id"].as_str().unwrap().to_owned();
            let body = if op == Op::EditContact {
                Payload::Json(json!({"title": format!("walk {n}"), "version": c["version"]}))
            } else {
                Payload::None
            };
            return (fill(&id), body);
        }
        Op::EditAccount => {
            let (id, _) = &w.accounts[w.owner(caller, rel).unwrap()];
            let (_, a) = call(&w.app, Method::GET, &format!("/api/v1/accounts/{id}"), Some(admin), None).await;
            return (fill(id), Payload::Json(json!({"city": format!("walk {n}"), "version": a["version"]})));
        }
        Op::MergeAccount => {
            let owner = w.owner(caller, rel).unwrap();
            let (id, _) = &w.accounts[owner];
            // A fresh duplicate of the same owner (so the same team sees it), with nothing on it.
            let name = format!("authz dup {n}");
            let (s, dup) = call(&w.app, Method::POST, "/api/v1/accounts", Some(w.tok(owner)), Some(json!({"name": name}))).await;
            assert_eq!(s, StatusCode::CREATED, "{owner}'s duplicate: {dup}");
            return (fill(id), Payload::Json(json!({"duplicate": dup["id"]})));
        }
        Op::AccountRead | Op::AddContact => {
            let (id, _) = &w.accounts[w.owner(caller, rel).unwrap()];
            let body = if op == Op::AddContact { Payload::Json(json!({"name": format!("walk {n}")})) } else { Payload::None };
            return (fill(id), body);
        }
        _ => unreachable!("{op:?} has no deal for {caller} {rel:?}"),
    };
    // The exports' list is a path segment: the walk exports accounts.
    (path.replace("{list}", "accounts"), body)
}

/// A user the walk creates (not a demo user, so the walk's fixtures never change).
fn walk_user(n: usize) -> Value {
    json!({"name": format!("Walk {n}"), "email": format!("walk{n}@walk.test"), "role": "rep", "team_id": null, "password": "walk-pass-1"})
}

/// The open stage after `stage_id` in its pipeline.
async fn next_stage(w: &World, stage_id: &Value) -> Value {
    let (_, ps) = call(&w.app, Method::GET, "/api/v1/pipelines", Some(w.tok("admin")), None).await;
    let stages = ps.as_array().unwrap().iter().map(|p| p["stages"].as_array().unwrap()).find(|st| st.iter().any(|s| &s["id"] == stage_id));
    let stages = stages.unwrap();
    let at = stages.iter().find(|s| &s["id"] == stage_id).unwrap()["position"].as_i64().unwrap();
    stages.iter().filter(|s| s["kind"] == "open" && s["position"].as_i64().unwrap() > at).min_by_key(|s| s["position"].as_i64()).unwrap()
        ["id"]
        .clone()
}

async fn send(app: &Router, method: Method, uri: &str, tok: Option<&str>, payload: Payload) -> (StatusCode, Value) {
    match payload {
        Payload::None => call(app, method, uri, tok, None).await,
        Payload::Json(v) => call(app, method, uri, tok, Some(v)).await,
        Payload::Csv(text) => {
            let mut b = Request::builder().method(method).uri(uri).header("content-type", "text/csv");
            if let Some(t) = tok {
                b = b.header("authorization", format!("Bearer {t}"));
            }
            let res = app.clone().oneshot(b.body(Body::from(text)).unwrap()).await.unwrap();
            let status = res.status();
            let bytes = axum::body::to_bytes(res.into_body(), 1 << 20).await.unwrap();
            (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
        }
    }
}

#[tokio::test]
async fn every_operation_answers_every_role_as_the_access_policy_says() {
    let t = app::ssr::testdb::seeded().await.unwrap();
    let w = world(&t.db).await;
    let doc = serde_json::to_value(<rest::ApiDoc as utoipa::OpenApi>::openapi()).unwrap();
    let mut mismatches = Vec::new();

    // The hand-written rows first: the policy itself must say what a person reads in it.
    for (op, caller, rel, want) in LITERAL {
        let got = expect(&w, *op, caller, *rel);
        if got != Some(*want) {
            mismatches.push(format!("policy: {op:?} as {caller} on {rel:?}: the rule says {got:?}, the literal row {want:?}"));
        }
    }

    // Every documented operation, reads before writes so a write never hides what a read
    // should have found; every row of OPS must still be documented.
    let mut ops: Vec<(String, String, &[Op])> = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, _) in item.as_object().unwrap() {
            let row = OPS.iter().find(|(m, p, _)| m == method && p == path);
            let Some((_, _, kinds)) = row else {
                panic!("{method} {path} has no row in OPS: say what each role may do with it before it ships");
            };
            ops.push((method.clone(), path.clone(), kinds));
        }
    }
    for (m, p, _) in OPS {
        assert!(ops.iter().any(|(method, path, _)| method == m && path == p), "OPS lists {m} {p}, which the document no longer has");
    }
    ops.sort_by_key(|(m, _, _)| m != "get");

    let started = std::time::Instant::now();
    let mut cases = 0;
    // How many cases expect each answer: a walk that expects only 2xx proves little.
    let mut tally: std::collections::BTreeMap<String, usize> = Default::default();
    for (method, path, kinds) in &ops {
        for op in kinds.iter().copied() {
            for caller in CALLERS {
                for rel in relations(op).iter().copied() {
                    let Some(want) = expect(&w, op, caller, rel) else { continue };
                    cases += 1;
                    *tally.entry(format!("{want:?}")).or_default() += 1;
                    let (uri, payload) = request(&w, path, op, caller, rel, cases).await;
                    let tok = (op != Op::Token).then(|| w.tok(caller));
                    let verb = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
                    let (s, body) = send(&w.app, verb, &uri, tok, payload).await;
                    if !want.matches(op, s, &body) {
                        let mut got = body.to_string();
                        got.truncate(160);
                        mismatches.push(format!(
                            "{} {path} ({op:?}) as {caller} on {rel:?}: expected {want:?}, got {s} {got}",
                            method.to_uppercase()
                        ));
                    }
                }
            }
        }
    }
    eprintln!("authz walk: {cases} cases in {:?}; expected {tally:?}", started.elapsed());
    assert!(mismatches.is_empty(), "{} of {cases} cases disagree with the policy:\n{}", mismatches.len(), mismatches.join("\n"));
    // 42 operations, 10 callers, up to 4 relations each: the walk must not silently shrink.
    assert!(cases >= 1100, "only {cases} cases");
    assert!(["Ok", "Forbidden", "NotFound", "ReadOnlyGate", "Unprocessable"].iter().all(|k| tally.contains_key(*k)), "{tally:?}");
}

/// Who uploads the job an import operation is tried on: the relation's owner, or rep for an
/// owner whose role cannot import.
fn import_uploader(w: &World, owner: &'static str) -> &'static str {
    if rule::may_edit_accounts(w.person(owner).role) {
        owner
    } else {
        "rep"
    }
}

async fn upload_job(w: &World, uploader: &str, n: usize) -> String {
    let req = axum::http::Request::builder()
        .method(Method::POST)
        .uri("/api/v1/imports?kind=accounts&file_name=walk.csv")
        .header("authorization", format!("Bearer {}", w.tok(uploader)))
        .header("content-type", "text/csv")
        .body(axum::body::Body::from(format!("Account name\nwalk job {n}\n")))
        .unwrap();
    let res = tower::ServiceExt::oneshot(w.app.clone(), req).await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 20).await.unwrap();
    let v: Value = serde_json::from_slice(&bytes).unwrap();
    v["id"].as_str().unwrap().to_owned()
}
