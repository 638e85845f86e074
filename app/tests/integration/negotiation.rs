#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Negotiations through the service on SQLite and PostgreSQL: the plan pre-filled from the
//! committee map, sessions naming people on the map, the ladder's warnings, a crossed bottom
//! line through the general manager's inbox (a refusal blocks the result too), the result
//! confirmed by the sales manager then legal (a rejection needs its reason and returns to
//! planning), and a contract drafted only from a confirmed result.
use crate::common::{ctx_for, seeded};
use app::domain::committee::ContactRole;
use app::domain::contract::ContractStatus;
use app::domain::dto::{MapPersonInput, NewDeal};
use app::domain::error::AppError;
use app::domain::locale::Locale;
use app::domain::negotiation::dto::{ConcessionInput, GmStatus, NegotiationView, PlanInput, SessionInput};
use app::domain::negotiation::{default_cares, Clause, Given, NegotiationStatus, Warning};
use app::domain::quote::dto::{QuoteDraft, QuoteLineInput, QuoteOutcome};
use app::domain::quote::QuoteStatus;
use app::ssr::context::RequestContext;
use app::ssr::db::Db;
use app::ssr::entity::{approval, pipeline};
use app::ssr::service::{account, approval as approvals, contract, deal as deals, map, negotiation, quote};
use chrono::{Duration, NaiveDate};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

/// The organisation's calendar day (a concession may not be made later).
fn today() -> NaiveDate {
    chrono::Utc::now().with_timezone(&app::domain::forecast::offset()).date_naive()
}

fn field(e: AppError) -> String {
    match e {
        AppError::Validation { field, .. } => field,
        other => panic!("expected a validation error, got {other:?}"),
    }
}

fn codes(w: &[Warning]) -> Vec<&'static str> {
    w.iter().map(|w| w.code()).collect()
}

/// The state of each confirmation step (sales manager, legal).
fn states(v: &NegotiationView) -> Vec<&str> {
    v.confirm.iter().map(|s| s.state.as_str()).collect()
}

fn plan() -> PlanInput {
    PlanInput { lowest_price_fen: Some(90_000_000), longest_payment_days: Some(90), ..Default::default() }
}

fn price(fen: i64, got: Option<&str>, after: i64) -> ConcessionInput {
    ConcessionInput {
        made_on: today(),
        clause: Clause::Price,
        given: Given::AmountFen(fen),
        got: got.map(str::to_owned),
        position_after: Some(after),
    }
}

/// A new deal of rep4's (West: manager2 is the manager) in the solution pipeline, a decision
/// maker and an economic buyer on its committee map. Returns the deal, its owner and the two.
async fn mapped_deal(db: &Db) -> (uuid::Uuid, RequestContext, [uuid::Uuid; 2]) {
    let rep = ctx_for(db, "rep4@demo.local").await;
    let p = pipeline::Entity::find().filter(pipeline::Column::Code.eq("solution")).one(db).await.unwrap().unwrap();
    let accounts = account::list(db, &rep, None, 1, 5).await.unwrap();
    let new = NewDeal {
        name: "Negotiation test".into(),
        account: accounts.rows[0].id,
        pipeline: Some(p.uuid),
        owner: None,
        amount_fen: 120_000_000,
        currency: None,
        close_date: today() + Duration::days(90),
    };
    let d = deals::create(db, &rep, new).await.unwrap();
    let m = map::get(db, &rep, d.uuid).await.unwrap();
    let ids: Vec<uuid::Uuid> = m.people.iter().map(|p| p.contact_id).chain(m.candidates.iter().map(|c| c.id)).collect();
    assert!(ids.len() >= 2, "the account has two contacts: {ids:?}");
    let person = |contact_id: uuid::Uuid, reports_to: Option<uuid::Uuid>, role: &str, influence_pct: i32| MapPersonInput {
        contact_id,
        reports_to,
        role: Some(role.into()),
        influence_pct,
        attitude: None,
        relationship: None,
        last_contact: None,
    };
    let people = vec![person(ids[0], None, "decision_maker", 60), person(ids[1], Some(ids[0]), "economic_buyer", 40)];
    map::put(db, &rep, d.uuid, people).await.unwrap();
    (d.uuid, rep, [ids[0], ids[1]])
}

/// The customer accepts a quote on the deal (one free-text line, approved by whoever it was
/// routed to, sent, accepted without touching the deal amount), so a contract can be drafted.
async fn accept_a_quote(db: &Db, rep: &RequestContext, deal: uuid::Uuid) {
    let line = QuoteLineInput {
        description: Some("ERP licences and implementation".into()),
        unit: Some("lot".into()),
        qty_centi: 100,
        unit_price_fen: Some(10_000_000),
        ..Default::default()
    };
    let q = quote::create(db, rep, deal, QuoteDraft { lines: vec![line], ..Default::default() }).await.unwrap();
    let q = quote::submit(db, rep, q.id, q.version).await.unwrap();
    let a = approval::Entity::find().filter(approval::Column::Uuid.eq(q.approval_id.unwrap())).one(db).await.unwrap().unwrap();
    let approver = RequestContext::load(db, a.approver_id.unwrap()).await.unwrap().unwrap();
    approvals::decide(db, &approver, a.uuid, true, None).await.unwrap();
    let q = quote::get(db, rep, q.id).await.unwrap();
    let q = quote::send(db, rep, q.id, q.version).await.unwrap();
    let q = quote::close(db, rep, q.id, QuoteOutcome::Accepted, false, q.version).await.unwrap();
    assert_eq!(q.status, QuoteStatus::Accepted);
}

/// The one pending approval of the deal's negotiation routed to `who`, as their view shows it.
async fn my_approval(db: &Db, who: &RequestContext, deal: uuid::Uuid) -> uuid::Uuid {
    let v = negotiation::get(db, who, deal).await.unwrap().unwrap();
    assert_eq!(v.my_approvals.len(), 1, "{}: {:?}", who.email, v.my_approvals);
    v.my_approvals[0]
}

#[tokio::test]
async fn a_negotiation_runs_from_plan_through_the_gm_to_confirmation_and_only_then_a_contract() {
    let t = seeded().await;
    app::ssr::testdb::clear_contracts(&t.db).await.unwrap();
    let db = &t.db;
    let (d, rep, [a, b]) = mapped_deal(db).await;
    accept_a_quote(db, &rep, d).await;
    let manager = ctx_for(db, "manager2@demo.local").await;
    let legal = ctx_for(db, "legal@demo.local").await;
    let gm = ctx_for(db, "gm@demo.local").await;
    let east = ctx_for(db, "rep@demo.local").await;

    // Nothing planned: nothing to show, nothing to put on a ladder.
    assert!(negotiation::get(db, &rep, d).await.unwrap().is_none());
    assert_eq!(field(negotiation::add_concession(db, &rep, d, price(1_000_000, Some("x"), 100_000_000)).await.unwrap_err()), "negotiation");

    // Started: bottom lines ¥900,000 and 90 days; the interests from the map's roles.
    let v = negotiation::save_plan(db, &rep, d, plan(), None).await.unwrap();
    assert_eq!(
        (v.status, v.version, v.lowest_price_fen, v.longest_payment_days),
        (NegotiationStatus::Planning, 1, Some(90_000_000), Some(90))
    );
    let mut interests: Vec<(uuid::Uuid, Option<String>, String)> =
        v.interests.iter().map(|i| (i.contact_id, i.role.clone(), i.cares.clone())).collect();
    interests.sort();
    let mut want = vec![
        (a, Some("decision_maker".to_owned()), default_cares(ContactRole::DecisionMaker, Locale::En).to_owned()),
        (b, Some("economic_buyer".to_owned()), default_cares(ContactRole::EconomicBuyer, Locale::En).to_owned()),
    ];
    want.sort();
    assert_eq!(interests, want);
    assert!(v.may_work);
    assert_eq!(states(&v), ["waiting", "waiting"]);

    // Another team's rep does not see it; a stale version or a second start conflicts.
    assert!(matches!(negotiation::get(db, &east, d).await.unwrap_err(), AppError::NotFound));
    assert!(matches!(negotiation::save_plan(db, &rep, d, plan(), Some(v.version + 1)).await.unwrap_err(), AppError::Conflict));
    assert!(matches!(negotiation::save_plan(db, &rep, d, plan(), None).await.unwrap_err(), AppError::Conflict));

    // A deal negotiated formally drafts no contract before its result is confirmed.
    assert_eq!(field(contract::create(db, &rep, d, None).await.unwrap_err()), "negotiation");

    // Whom a session may name: the map's people, most influential first, with their roles;
    // the deal team (here its owner alone).
    let offered: Vec<(uuid::Uuid, Option<&str>)> = v.people.iter().map(|p| (p.id, p.role.as_deref())).collect();
    assert_eq!(offered, [(a, Some("decision_maker")), (b, Some("economic_buyer"))]);
    assert!(v.people.iter().all(|p| !p.name.is_empty()));
    let team: Vec<(uuid::Uuid, &str, Option<&str>)> = v.team.iter().map(|p| (p.id, p.name.as_str(), p.role.as_deref())).collect();
    assert_eq!(team, [(rep.uuid, rep.name.as_str(), Some("owner"))]);
    let name_of = |id: uuid::Uuid| v.people.iter().find(|p| p.id == id).map(|p| p.name.clone()).unwrap();

    // A session names people on the map and on the deal team only.
    let session = |people: Vec<uuid::Uuid>| SessionInput {
        held_on: today(),
        channel: "Customer HQ".into(),
        customer_people: people,
        our_people: vec![rep.uuid],
        positions: vec![],
        notes: None,
    };
    assert_eq!(
        field(negotiation::add_session(db, &rep, d, session(vec![a, uuid::Uuid::new_v4()])).await.unwrap_err()),
        "customer_people[1]"
    );
    let outsider = SessionInput { our_people: vec![rep.uuid, east.uuid], ..session(vec![a]) };
    assert_eq!(field(negotiation::add_session(db, &rep, d, outsider).await.unwrap_err()), "our_people[1]");
    let v = negotiation::add_session(db, &rep, d, session(vec![b, a])).await.unwrap();
    assert_eq!(v.sessions.len(), 1);
    assert_eq!(
        (v.sessions[0].customer_people.clone(), v.sessions[0].our_people.clone()),
        (vec![name_of(b), name_of(a)], vec![rep.name.clone()])
    );
    // Stored: read back, the session names the same people.
    let again = negotiation::get(db, &rep, d).await.unwrap().unwrap();
    assert_eq!(again.sessions, v.sessions);

    // The ladder: nothing given is refused; then its warnings, step by step.
    let nothing = ConcessionInput { given: Given::PercentBp(0), ..price(1, Some("x"), 100_000_000) };
    assert_eq!(field(negotiation::add_concession(db, &rep, d, nothing).await.unwrap_err()), "given");
    let v = negotiation::add_concession(db, &rep, d, price(5_000_000, Some("3-year maintenance"), 100_000_000)).await.unwrap();
    assert_eq!((v.ladder.len(), codes(&v.ladder[0].warnings), v.ladder[0].gm), (1, Vec::<&str>::new(), GmStatus::None));
    let v = negotiation::add_concession(db, &rep, d, price(8_000_000, None, 92_000_000)).await.unwrap();
    assert_eq!(v.ladder[1].warnings, [Warning::LargerThanPrevious { previous: 5_000_000, this: 8_000_000 }, Warning::NothingInReturn]);
    assert_eq!(v.ladder[1].gm, GmStatus::None);
    assert!(approvals::list(db, &gm, Some("pending")).await.unwrap().iter().all(|r| r.deal_id != d), "warnings are advice");
    let v = negotiation::add_concession(db, &rep, d, price(7_000_000, Some("a reference visit"), 85_000_000)).await.unwrap();
    assert_eq!(v.ladder[2].warnings, [Warning::CrossesBottomLine { line: 90_000_000, position: 85_000_000 }]);
    assert_eq!(v.ladder[2].gm, GmStatus::Pending);

    // The crossed line waits in the general manager's inbox, and blocks the result.
    let asks: Vec<_> = approvals::list(db, &gm, Some("pending")).await.unwrap().into_iter().filter(|r| r.deal_id == d).collect();
    assert_eq!(asks.len(), 1);
    assert_eq!((asks[0].kind.as_str(), asks[0].reason.as_deref()), ("concession", Some("price #3")));
    assert_eq!(my_approval(db, &gm, d).await, asks[0].id);
    assert_eq!(field(negotiation::confirm(db, &rep, d, "¥850,000".into(), v.version).await.unwrap_err()), "concessions");
    approvals::decide(db, &gm, asks[0].id, true, Some("Strategic account".into())).await.unwrap();
    let v = negotiation::get(db, &rep, d).await.unwrap().unwrap();
    assert_eq!(v.ladder[2].gm, GmStatus::Approved);

    // Sent: the sales manager first; the ladder waits, and still no contract.
    let v = negotiation::confirm(db, &rep, d, "¥850,000, payment in 60 days".into(), v.version).await.unwrap();
    assert_eq!(
        (v.status, v.result.as_deref(), states(&v)),
        (NegotiationStatus::Confirming, Some("¥850,000, payment in 60 days"), vec!["pending", "waiting"])
    );
    assert_eq!(v.confirm[0].who.as_deref(), Some(manager.name.as_str()));
    let sent = v.version;
    assert_eq!(field(negotiation::add_concession(db, &rep, d, price(1_000_000, Some("x"), 84_000_000)).await.unwrap_err()), "status");
    assert_eq!(field(contract::create(db, &rep, d, None).await.unwrap_err()), "negotiation");

    // Legal has nothing yet and may not decide the manager's step; the manager approves.
    let step0 = my_approval(db, &manager, d).await;
    assert!(negotiation::get(db, &legal, d).await.unwrap().unwrap().my_approvals.is_empty());
    assert!(matches!(approvals::decide(db, &legal, step0, false, Some("no".into())).await.unwrap_err(), AppError::NotFound));
    approvals::decide(db, &manager, step0, true, None).await.unwrap();
    let v = negotiation::get(db, &rep, d).await.unwrap().unwrap();
    assert_eq!((v.status, states(&v)), (NegotiationStatus::Confirming, vec!["approved", "pending"]));
    assert_eq!(v.confirm[1].who.as_deref(), Some(legal.name.as_str()));

    // Legal's rejection needs its reason, and returns the negotiation to planning.
    let step1 = my_approval(db, &legal, d).await;
    assert_eq!(field(approvals::decide(db, &legal, step1, false, None).await.unwrap_err()), "comment");
    approvals::decide(db, &legal, step1, false, Some("Add liquidated damages".into())).await.unwrap();
    let v = negotiation::get(db, &rep, d).await.unwrap().unwrap();
    assert_eq!((v.status, states(&v)), (NegotiationStatus::Planning, vec!["approved", "rejected"]));
    assert_eq!(v.confirm[1].comment.as_deref(), Some("Add liquidated damages"));
    assert_eq!(field(contract::create(db, &rep, d, None).await.unwrap_err()), "negotiation");

    // Round 2 under the current version: the manager, then legal; confirmed.
    let again = "¥850,000, payment in 60 days, damages 0.05 %/day".to_owned();
    assert!(matches!(negotiation::confirm(db, &rep, d, again.clone(), sent).await.unwrap_err(), AppError::Conflict));
    let v = negotiation::confirm(db, &rep, d, again, v.version).await.unwrap();
    assert_eq!((v.status, states(&v)), (NegotiationStatus::Confirming, vec!["pending", "waiting"]));
    approvals::decide(db, &manager, my_approval(db, &manager, d).await, true, None).await.unwrap();
    approvals::decide(db, &legal, my_approval(db, &legal, d).await, true, Some("OK".into())).await.unwrap();
    let v = negotiation::get(db, &rep, d).await.unwrap().unwrap();
    assert_eq!((v.status, states(&v)), (NegotiationStatus::Confirmed, vec!["approved", "approved"]));
    assert!(v.my_approvals.is_empty());

    // Now the contract is drafted from the accepted quote.
    let k = contract::create(db, &rep, d, None).await.unwrap();
    assert_eq!((k.status, k.deal_id), (ContractStatus::Draft, d));
}

#[tokio::test]
async fn a_payment_term_the_gm_refuses_blocks_the_result() {
    let t = seeded().await;
    let db = &t.db;
    let (d, rep, _) = mapped_deal(db).await;
    let gm = ctx_for(db, "gm@demo.local").await;
    let v = negotiation::save_plan(db, &rep, d, plan(), None).await.unwrap();
    assert_eq!(v.interests.len(), 2);

    // 120 days is past the 90-day line: the general manager's to decide.
    let days = ConcessionInput {
        made_on: today(),
        clause: Clause::PaymentTerms,
        given: Given::Days(30),
        got: Some("acceptance within two weeks".into()),
        position_after: Some(120),
    };
    let v = negotiation::add_concession(db, &rep, d, days).await.unwrap();
    assert_eq!(v.ladder[0].warnings, [Warning::CrossesBottomLine { line: 90, position: 120 }]);
    assert_eq!(v.ladder[0].gm, GmStatus::Pending);

    // A refusal needs its reason; refused, the result cannot be sent.
    let ask = my_approval(db, &gm, d).await;
    assert_eq!(field(approvals::decide(db, &gm, ask, false, Some("  ".into())).await.unwrap_err()), "comment");
    approvals::decide(db, &gm, ask, false, Some("Cash flow: 90 days at most".into())).await.unwrap();
    let v = negotiation::get(db, &rep, d).await.unwrap().unwrap();
    assert_eq!((v.ladder[0].gm, v.status), (GmStatus::Rejected, NegotiationStatus::Planning));
    assert_eq!(field(negotiation::confirm(db, &rep, d, "120 days".into(), v.version).await.unwrap_err()), "concessions");
    let v = negotiation::get(db, &rep, d).await.unwrap().unwrap();
    assert_eq!((v.status, states(&v)), (NegotiationStatus::Planning, vec!["waiting", "waiting"]));
}
