#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Contracts through the service on SQLite and PostgreSQL: gap-free monthly numbers under 16
//! concurrent creators, the manager → legal → general manager chain through the approvals
//! inbox (a rejection returns the draft, the next round starts again), legal's own list,
//! signing and receipts with their refusals, receivables equal to the raw rows (per team
//! against a raw GROUP BY, and a rep's own), and the gate's contract requirements.
use crate::common::{ctx_for, seeded};
use app::domain::contract::dto::{
    ContractDraft, ContractFilter, ContractView, MilestoneInput, MyReceivables, ReceiptInput, Receivables, SignInput, StepState,
};
use app::domain::contract::{number, Ageing, Approver, ContractStatus, ContractType, MilestoneKind, Share, SignMethod};
use app::domain::dto::{ApprovalRow, MoveOutcome, NewDeal};
use app::domain::error::AppError;
use app::domain::quote::dto::{QuoteDraft, QuoteLineInput, QuoteOutcome};
use app::domain::quote::QuoteStatus;
use app::ssr::context::RequestContext;
use app::ssr::db::Db;
use app::ssr::entity::{approval, contract as contract_e, contract_milestone, deal, deal_history, pipeline, stage};
use app::ssr::service::{account, approval as approvals, contract, deal as deals, movement, pipeline as pipes, quote};
use chrono::{Datelike, Duration, NaiveDate};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Statement};

/// The organisation's calendar day (contract numbers and dates are checked against it).
pub(crate) fn today() -> NaiveDate {
    chrono::Utc::now().with_timezone(&app::domain::forecast::offset()).date_naive()
}

pub(crate) fn field(e: AppError) -> String {
    match e {
        AppError::Validation { field, .. } => field,
        other => panic!("expected a validation error, got {other:?}"),
    }
}

pub(crate) fn ms(kind: MilestoneKind, due_on: Option<NaiveDate>, share: Share) -> MilestoneInput {
    let trigger = if due_on.is_none() { Some("12 months after acceptance".to_owned()) } else { None };
    MilestoneInput { kind, due_on, trigger, share }
}

pub(crate) fn draft(milestones: Vec<MilestoneInput>) -> ContractDraft {
    ContractDraft {
        kind: ContractType::Mixed,
        party_a: None,
        party_b: None,
        amount_fen: None,
        payment_terms: Some("30 % down, 60 % on go-live, 10 % retention".into()),
        delivery_terms: None,
        acceptance_terms: None,
        starts_on: None,
        ends_on: None,
        milestones,
    }
}

pub(crate) fn paper() -> SignInput {
    SignInput { signed_on: today(), signatory: "王总".into(), method: SignMethod::Paper }
}

async fn solution_stages(db: &Db) -> Vec<stage::Model> {
    let p = pipeline::Entity::find().filter(pipeline::Column::Code.eq("solution")).one(db).await.unwrap().unwrap();
    stage::Entity::find().filter(stage::Column::PipelineId.eq(p.id)).order_by_asc(stage::Column::Position).all(db).await.unwrap()
}

pub(crate) async fn deal_row(db: &Db, id: uuid::Uuid) -> deal::Model {
    deal::Entity::find().filter(deal::Column::Uuid.eq(id)).one(db).await.unwrap().unwrap()
}

/// A new deal of the rep's in the solution pipeline's first stage (amount ¥500,000) whose
/// customer accepted a quote (one free-text line, approved by whoever it was routed to,
/// sent, accepted without touching the deal amount). Returns the deal and its owner.
pub(crate) async fn accepted_quote_deal(db: &Db) -> (uuid::Uuid, RequestContext) {
    accepted_quote_deal_of(db, "rep@demo.local").await
}

/// [`accepted_quote_deal`] for another rep (and so another team).
pub(crate) async fn accepted_quote_deal_of(db: &Db, email: &str) -> (uuid::Uuid, RequestContext) {
    let rep = ctx_for(db, email).await;
    let p = pipeline::Entity::find().filter(pipeline::Column::Code.eq("solution")).one(db).await.unwrap().unwrap();
    let accounts = account::list(db, &rep, None, 1, 5).await.unwrap();
    let new = NewDeal {
        name: "Contract test".into(),
        account: accounts.rows[0].id,
        pipeline: Some(p.uuid),
        owner: None,
        amount_fen: 50_000_000,
        currency: None,
        close_date: today() + Duration::days(90),
    };
    let d = deals::create(db, &rep, new).await.unwrap();
    let line = QuoteLineInput {
        description: Some("ERP licences and implementation".into()),
        unit: Some("lot".into()),
        qty_centi: 100,
        unit_price_fen: Some(10_000_000),
        ..Default::default()
    };
    let q = quote::create(db, &rep, d.uuid, QuoteDraft { lines: vec![line], ..Default::default() }).await.unwrap();
    let q = quote::submit(db, &rep, q.id, q.version).await.unwrap();
    let a = approval::Entity::find().filter(approval::Column::Uuid.eq(q.approval_id.unwrap())).one(db).await.unwrap().unwrap();
    let approver = RequestContext::load(db, a.approver_id.unwrap()).await.unwrap().unwrap();
    approvals::decide(db, &approver, a.uuid, true, None).await.unwrap();
    let q = quote::get(db, &rep, q.id).await.unwrap();
    let q = quote::send(db, &rep, q.id, q.version).await.unwrap();
    let q = quote::close(db, &rep, q.id, QuoteOutcome::Accepted, false, q.version).await.unwrap();
    assert_eq!(q.status, QuoteStatus::Accepted);
    (d.uuid, rep)
}

/// The pending request for this contract in `who`'s inbox, if any.
async fn inbox_row(db: &Db, who: &RequestContext, k: uuid::Uuid) -> Option<ApprovalRow> {
    approvals::list(db, who, Some("pending")).await.unwrap().into_iter().find(|r| r.contract.as_ref().is_some_and(|b| b.id == k))
}

/// Decides the contract's pending step as the person it is routed to.
pub(crate) async fn decide_step(db: &Db, k: uuid::Uuid, approve: bool, comment: Option<&str>) -> RequestContext {
    let c = contract_e::Entity::find().filter(contract_e::Column::Uuid.eq(k)).one(db).await.unwrap().unwrap();
    let a = approval::Entity::find()
        .filter(approval::Column::ContractId.eq(c.id))
        .filter(approval::Column::Status.eq("pending"))
        .one(db)
        .await
        .unwrap()
        .expect("a pending step");
    let who = RequestContext::load(db, a.approver_id.unwrap()).await.unwrap().unwrap();
    approvals::decide(db, &who, a.uuid, approve, comment.map(str::to_owned)).await.unwrap();
    who
}

/// Submits the contract and approves every step of its chain.
pub(crate) async fn approved_contract(db: &Db, owner: &RequestContext, k: &ContractView) -> ContractView {
    let k = contract::submit(db, owner, k.id, k.version).await.unwrap();
    for _ in 0..k.steps.len() {
        decide_step(db, k.id, true, None).await;
    }
    let k = contract::get(db, owner, k.id).await.unwrap();
    assert_eq!(k.status, ContractStatus::Approved);
    k
}

/// (owed, overdue, over 90 days) of the signed contracts per team name, by a raw GROUP BY
/// over every signed milestone: owed is due − received, overdue what is past its date.
async fn raw_receivables_by_team(db: &Db) -> std::collections::HashMap<String, (i64, i64, i64)> {
    let day = today();
    let (d0, d90) = (day.to_string(), (day - Duration::days(90)).to_string());
    let open = "CASE WHEN m.amount_fen > m.received_fen THEN m.amount_fen - m.received_fen ELSE 0 END";
    let sql = format!(
        "SELECT t.name, CAST(COALESCE(SUM({open}), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN m.due_on < '{d0}' THEN {open} ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN m.due_on < '{d90}' THEN {open} ELSE 0 END), 0) AS BIGINT) \
         FROM contract_milestones m JOIN contracts c ON c.id = m.contract_id JOIN deals d ON d.id = c.deal_id \
         JOIN teams t ON t.id = d.team_id WHERE c.status = 'signed' GROUP BY t.name"
    );
    let rows = db.query_all_raw(Statement::from_string(db.get_database_backend(), sql)).await.unwrap();
    rows.iter()
        .map(|r| {
            let name: String = r.try_get_by_index(0).unwrap();
            (name, (r.try_get_by_index(1).unwrap(), r.try_get_by_index(2).unwrap(), r.try_get_by_index(3).unwrap()))
        })
        .collect()
}

/// A viewer who sees everything: the team rows add up to the company's ageing, are most
/// overdue first, and equal the raw GROUP BY team (a team without signed money shows zeros).
async fn assert_by_team_matches_raw(db: &Db, r: &Receivables) {
    let sum = |f: fn(&app::domain::contract::dto::TeamReceivable) -> i64| r.by_team.iter().map(f).sum::<i64>();
    assert_eq!(sum(|t| t.owed_fen), r.ageing.not_due_fen + r.ageing.overdue_fen(), "owed adds up to the company's");
    assert_eq!(sum(|t| t.overdue_fen), r.ageing.overdue_fen(), "overdue adds up to the company's");
    assert_eq!(sum(|t| t.over_90_fen), r.ageing.over_90_fen, "over 90 days adds up to the company's");
    assert!(r.by_team.windows(2).all(|w| w[0].overdue_fen >= w[1].overdue_fen), "most overdue first: {:?}", r.by_team);
    let raw = raw_receivables_by_team(db).await;
    for t in &r.by_team {
        assert_eq!((t.owed_fen, t.overdue_fen, t.over_90_fen), raw.get(&t.team).copied().unwrap_or_default(), "team {}", t.team);
    }
    for (team, fen) in &raw {
        if *fen != (0, 0, 0) {
            assert!(r.by_team.iter().any(|t| &t.team == team), "{team} owes {fen:?} and has a row");
        }
    }
}

/// What the signed contracts on the deals `owner` owns still owe, by raw SQL.
async fn raw_receivables_of(db: &Db, owner: &RequestContext) -> MyReceivables {
    let d0 = today().to_string();
    let open = "CASE WHEN m.amount_fen > m.received_fen THEN m.amount_fen - m.received_fen ELSE 0 END";
    let sql = format!(
        "SELECT CAST(COALESCE(SUM({open}), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN m.due_on < '{d0}' THEN {open} ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN m.due_on < '{d0}' AND m.amount_fen > m.received_fen THEN 1 ELSE 0 END), 0) AS BIGINT) \
         FROM contract_milestones m JOIN contracts c ON c.id = m.contract_id JOIN deals d ON d.id = c.deal_id \
         WHERE c.status = 'signed' AND d.owner_id = {}",
        owner.user_id
    );
    let row = db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await.unwrap().unwrap();
    let count: i64 = row.try_get_by_index(2).unwrap();
    MyReceivables {
        owed_fen: row.try_get_by_index(0).unwrap(),
        overdue_fen: row.try_get_by_index(1).unwrap(),
        overdue_milestones: u32::try_from(count).unwrap(),
    }
}

#[tokio::test]
async fn contract_numbers_are_gap_free_under_16_concurrent_creators() {
    let t = seeded().await;
    app::ssr::testdb::clear_contracts(&t.db).await.unwrap();
    let db = t.db.clone();
    let mut deals_and_owners = Vec::new();
    for _ in 0..16 {
        deals_and_owners.push(accepted_quote_deal(&db).await);
    }
    let mut tasks = Vec::new();
    for (d, owner) in deals_and_owners {
        let db = db.clone();
        tasks.push(tokio::spawn(async move { contract::create(&db, &owner, d, None).await.map(|k| k.number) }));
    }
    let mut numbers = Vec::new();
    for t in tasks {
        numbers.push(t.await.unwrap().unwrap());
    }
    numbers.sort();
    let day = today();
    let want: Vec<String> = (1..=16).map(|s| number(day.year(), day.month(), s)).collect();
    assert_eq!(numbers, want, "HT-YYYYMM001..016: no gaps, no duplicates");
    assert_eq!(numbers.iter().collect::<std::collections::HashSet<_>>().len(), 16);
    assert_eq!(contract_e::Entity::find().count(&db).await.unwrap(), 16);
}

#[tokio::test]
async fn the_chain_runs_manager_legal_gm_and_a_rejection_returns_to_draft() {
    let t = seeded().await;
    app::ssr::testdb::clear_contracts(&t.db).await.unwrap();
    let db = &t.db;
    let (d, rep) = accepted_quote_deal(db).await;
    let manager = ctx_for(db, "manager@demo.local").await;
    let legal = ctx_for(db, "legal@demo.local").await;
    let gm = ctx_for(db, "gm@demo.local").await;
    let k = contract::create(db, &rep, d, None).await.unwrap();
    assert_eq!((k.status, k.round, k.milestones.len()), (ContractStatus::Draft, 0, 3));
    assert_eq!(k.milestones.iter().map(|m| m.amount_fen).sum::<i64>(), k.amount_fen);

    // 30 % + 50 % is not the whole: refused, nothing written.
    let short = draft(vec![
        ms(MilestoneKind::DownPayment, Some(today() + Duration::days(30)), Share::PercentBp(3000)),
        ms(MilestoneKind::OnAcceptance, None, Share::PercentBp(5000)),
    ]);
    assert_eq!(field(contract::save(db, &rep, k.id, short, k.version).await.unwrap_err()), "milestones");
    let same = contract::get(db, &rep, k.id).await.unwrap();
    assert_eq!((same.version, same.status, same.milestones.clone()), (k.version, ContractStatus::Draft, k.milestones.clone()));

    // Round 1: the manager's inbox shows step 1 of 3; legal has nothing yet.
    let k = contract::submit(db, &rep, k.id, k.version).await.unwrap();
    assert_eq!((k.status, k.round), (ContractStatus::InReview, 1));
    assert_eq!(k.steps.iter().map(|s| s.approver).collect::<Vec<_>>(), [Approver::SalesManager, Approver::Legal, Approver::GeneralManager]);
    assert_eq!(k.steps.iter().map(|s| s.state).collect::<Vec<_>>(), [StepState::Pending, StepState::Waiting, StepState::Waiting]);
    let row = inbox_row(db, &manager, k.id).await.expect("in the manager's inbox");
    let brief = row.contract.clone().unwrap();
    assert_eq!(
        (brief.number.as_str(), brief.step, brief.step_no, brief.steps, brief.milestones),
        (k.number.as_str(), Approver::SalesManager, 1, 3, 3)
    );
    assert!(approvals::list(db, &legal, Some("pending")).await.unwrap().is_empty(), "legal waits for the manager");
    let refused = approvals::decide(db, &rep, row.id, true, None).await.unwrap_err();
    assert!(matches!(refused, AppError::Forbidden | AppError::NotFound), "the submitter never decides: {refused:?}");
    approvals::decide(db, &manager, row.id, true, Some("价格合理".into())).await.unwrap();
    assert!(inbox_row(db, &manager, k.id).await.is_none());

    // Legal's step: a rejection needs its reason, then sends the contract back to draft.
    let row = inbox_row(db, &legal, k.id).await.expect("in legal's inbox after the manager");
    let brief = row.contract.clone().unwrap();
    assert_eq!((brief.step, brief.step_no, brief.steps), (Approver::Legal, 2, 3));
    assert_eq!(field(approvals::decide(db, &legal, row.id, false, None).await.unwrap_err()), "comment");
    assert_eq!(contract::get(db, &rep, k.id).await.unwrap().status, ContractStatus::InReview, "the refused rejection wrote nothing");
    let decided = approvals::decide(db, &legal, row.id, false, Some("违约责任条款需修改".into())).await.unwrap();
    assert_eq!(decided.status, "rejected");
    let k = contract::get(db, &rep, k.id).await.unwrap();
    assert_eq!((k.status, k.reject_reason.as_deref()), (ContractStatus::Draft, Some("违约责任条款需修改")));
    assert_eq!(
        k.history.iter().map(|h| (h.round, h.approver, h.approved)).collect::<Vec<_>>(),
        [(1, Approver::SalesManager, true), (1, Approver::Legal, false)]
    );
    assert!(inbox_row(db, &legal, k.id).await.is_none());

    // Round 2 starts again at the manager and runs to the end.
    let k = contract::submit(db, &rep, k.id, k.version).await.unwrap();
    assert_eq!((k.status, k.round, k.reject_reason.clone()), (ContractStatus::InReview, 2, None));
    let row = inbox_row(db, &manager, k.id).await.expect("round 2 starts at the manager");
    assert_eq!(row.contract.as_ref().map(|b| (b.step, b.step_no)), Some((Approver::SalesManager, 1)));
    approvals::decide(db, &manager, row.id, true, None).await.unwrap();
    let row = inbox_row(db, &legal, k.id).await.expect("then legal");
    approvals::decide(db, &legal, row.id, true, Some("条款已修改".into())).await.unwrap();
    let row = inbox_row(db, &gm, k.id).await.expect("then the general manager");
    assert_eq!(row.contract.as_ref().map(|b| (b.step, b.step_no)), Some((Approver::GeneralManager, 3)));
    approvals::decide(db, &gm, row.id, true, None).await.unwrap();
    let k = contract::get(db, &rep, k.id).await.unwrap();
    assert_eq!(k.status, ContractStatus::Approved);
    assert!(k.steps.iter().all(|s| s.state == StepState::Approved), "{:?}", k.steps);

    let deal_id = deal_row(db, d).await.id;
    let kinds: Vec<String> = deal_history::Entity::find()
        .filter(deal_history::Column::DealId.eq(deal_id))
        .filter(deal_history::Column::Kind.starts_with("contract_"))
        .order_by_asc(deal_history::Column::Id)
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|h| h.kind)
        .collect();
    assert_eq!(
        kinds,
        [
            "contract_created",
            "contract_submitted",
            "contract_step_approved",
            "contract_rejected",
            "contract_submitted",
            "contract_step_approved",
            "contract_step_approved",
            "contract_approved",
        ]
    );
}

#[tokio::test]
async fn legal_sees_exactly_the_contracts_waiting_for_it() {
    let t = seeded().await;
    app::ssr::testdb::clear_contracts(&t.db).await.unwrap();
    let db = &t.db;
    let legal = ctx_for(db, "legal@demo.local").await;
    let manager = ctx_for(db, "manager@demo.local").await;
    let (d1, rep) = accepted_quote_deal(db).await;
    let (d2, _) = accepted_quote_deal(db).await;
    let at_manager = contract::create(db, &rep, d1, None).await.unwrap();
    let at_manager = contract::submit(db, &rep, at_manager.id, at_manager.version).await.unwrap();
    let at_legal = contract::create(db, &rep, d2, None).await.unwrap();
    let at_legal = contract::submit(db, &rep, at_legal.id, at_legal.version).await.unwrap();
    decide_step(db, at_legal.id, true, None).await;

    let mine = contract::list(db, &legal, ContractFilter { mine: true, ..Default::default() }).await.unwrap();
    assert_eq!(mine.iter().map(|r| r.id).collect::<Vec<_>>(), [at_legal.id]);
    assert_eq!((mine[0].waiting_for, mine[0].waiting_for_me, mine[0].status), (Some(Approver::Legal), true, ContractStatus::InReview));
    let theirs = contract::list(db, &manager, ContractFilter { mine: true, ..Default::default() }).await.unwrap();
    assert_eq!(theirs.iter().map(|r| r.id).collect::<Vec<_>>(), [at_manager.id]);
    assert_eq!(theirs[0].waiting_for, Some(Approver::SalesManager));
    // Without the filter legal sees both, only one of them waiting for it.
    let all = contract::list(db, &legal, ContractFilter { status: Some(ContractStatus::InReview), ..Default::default() }).await.unwrap();
    let mut ids: Vec<uuid::Uuid> = all.iter().map(|r| r.id).collect();
    ids.sort();
    let mut want = vec![at_manager.id, at_legal.id];
    want.sort();
    assert_eq!(ids, want);
    assert_eq!(all.iter().filter(|r| r.waiting_for_me).count(), 1);
}

#[tokio::test]
async fn signing_and_receipts_follow_the_rules() {
    let t = seeded().await;
    app::ssr::testdb::clear_contracts(&t.db).await.unwrap();
    let db = &t.db;
    let admin = ctx_for(db, "admin@demo.local").await;
    let (d, rep) = accepted_quote_deal(db).await;
    let day = today();
    let k = contract::create(db, &rep, d, None).await.unwrap();
    // 30 % 45 days overdue, 60 % 10 days overdue, 10 % on a trigger.
    let terms = draft(vec![
        ms(MilestoneKind::DownPayment, Some(day - Duration::days(45)), Share::PercentBp(3000)),
        ms(MilestoneKind::OnDelivery, Some(day - Duration::days(10)), Share::PercentBp(6000)),
        ms(MilestoneKind::Retention, None, Share::PercentBp(1000)),
    ]);
    let k = contract::save(db, &rep, k.id, terms.clone(), k.version).await.unwrap();
    assert_eq!(k.milestones.iter().map(|m| m.amount_fen).sum::<i64>(), k.amount_fen);

    // Only an approved contract can be signed.
    assert_eq!(field(contract::sign(db, &rep, k.id, paper(), k.version).await.unwrap_err()), "status");
    let k = contract::submit(db, &rep, k.id, k.version).await.unwrap();
    assert_eq!(field(contract::sign(db, &rep, k.id, paper(), k.version).await.unwrap_err()), "status");
    for _ in 0..k.steps.len() {
        decide_step(db, k.id, true, None).await;
    }
    let k = contract::get(db, &rep, k.id).await.unwrap();
    assert_eq!(k.status, ContractStatus::Approved);
    assert_ne!(deal_row(db, d).await.amount_fen, k.amount_fen, "the quote was accepted without setting the amount");

    let signed = contract::sign(db, &rep, k.id, paper(), k.version).await.unwrap();
    assert_eq!((signed.status, signed.signed_on, signed.sign_method), (ContractStatus::Signed, Some(day), Some(SignMethod::Paper)));
    assert_eq!(deal_row(db, d).await.amount_fen, signed.amount_fen, "signing sets the deal amount");
    assert_eq!(contract::sign(db, &rep, k.id, paper(), k.version).await.unwrap_err(), AppError::Conflict);
    assert_eq!(field(contract::save(db, &rep, k.id, terms, signed.version).await.unwrap_err()), "status", "a signed contract is locked");

    // Receipts: never past what is due on the milestone.
    let m1 = signed.milestones[0].amount_fen;
    let receipt = |amount_fen| ReceiptInput { milestone: 1, received_on: day, amount_fen, reference: Some("BANK-0001".into()) };
    assert_eq!(field(contract::receive(db, &rep, k.id, receipt(m1 + 1), signed.version).await.unwrap_err()), "amount");
    let half = m1 / 2;
    let paid = contract::receive(db, &rep, k.id, receipt(half), signed.version).await.unwrap();
    assert_eq!((paid.received_fen, paid.milestones[0].received_fen, paid.receipts.len()), (half, half, 1));
    assert_eq!(contract::receive(db, &rep, k.id, receipt(1), signed.version).await.unwrap_err(), AppError::Conflict);

    // Receivables: the ageing of what is owed, equal to the raw rows.
    let (a1, a2, a3) = (paid.milestones[0].amount_fen, paid.milestones[1].amount_fen, paid.milestones[2].amount_fen);
    let r = contract::receivables(db, &admin).await.unwrap();
    assert_eq!(r.ageing, Ageing { not_due_fen: a3, d0_30_fen: a2, d31_90_fen: a1 - half, over_90_fen: 0 });
    assert_eq!(r.received_quarter_fen, half);
    let (q0, q1) = (app::domain::forecast::quarter_start(day), app::domain::forecast::quarter_end(day));
    let billed: i64 = paid.milestones.iter().filter(|m| m.due_on.is_some_and(|x| x >= q0 && x <= q1)).map(|m| m.amount_fen).sum();
    assert_eq!(r.billed_quarter_fen, billed);
    assert_eq!(r.top_overdue.len(), 1);
    assert_eq!((r.top_overdue[0].overdue_fen, r.top_overdue[0].oldest_days), (a1 - half + a2, 45));
    let sql = "SELECT CAST(COALESCE(SUM(m.amount_fen), 0) AS BIGINT), CAST(COALESCE(SUM(m.received_fen), 0) AS BIGINT) \
               FROM contract_milestones m JOIN contracts c ON c.id = m.contract_id WHERE c.status = 'signed'";
    let row = db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await.unwrap().unwrap();
    let (due, received): (i64, i64) = (row.try_get_by_index(0).unwrap(), row.try_get_by_index(1).unwrap());
    assert_eq!(received, half);
    assert_eq!(r.ageing.not_due_fen + r.ageing.overdue_fen(), due - received);
    // The same figures per milestone, read through the entities.
    let signed_ids: Vec<i32> = contract_e::Entity::find()
        .filter(contract_e::Column::Status.eq("signed"))
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect();
    let rows = contract_milestone::Entity::find().filter(contract_milestone::Column::ContractId.is_in(signed_ids)).all(db).await.unwrap();
    let overdue: i64 = rows.iter().filter(|m| m.due_on.is_some_and(|x| x < day)).map(|m| m.amount_fen - m.received_fen).sum();
    assert_eq!(r.ageing.overdue_fen(), overdue);
    assert_eq!(contract::receivable_rows(db, &admin, Some("overdue".into())).await.unwrap().len(), 2);
    // Per team: the admin sees every team, the rep's owing it all and the others nothing.
    assert_by_team_matches_raw(db, &r).await;
    assert!(r.by_team.len() >= 2, "{:?}", r.by_team);
    assert_eq!((r.by_team[0].owed_fen, r.by_team[0].overdue_fen, r.by_team[0].over_90_fen), (a1 - half + a2 + a3, a1 - half + a2, 0));
    assert!(r.by_team[1..].iter().all(|t| t.owed_fen == 0));
    // The rep's own: the admin owns none of it.
    let mine = contract::receivables(db, &rep).await.unwrap().mine;
    assert_eq!(mine, MyReceivables { owed_fen: a1 - half + a2 + a3, overdue_fen: a1 - half + a2, overdue_milestones: 2 });
    assert_eq!(r.mine, MyReceivables::default());
}

/// Receivables per team and per rep on the demo plus a West contract 100 days late: the team
/// rows equal a raw GROUP BY team, a rep's own figures the raw rows of the deals they own,
/// and a rep's teammate sees the team's money but owns none of it.
#[tokio::test]
async fn receivables_per_team_and_per_rep_match_the_raw_rows() {
    let t = seeded().await;
    let db = &t.db;
    let day = today();
    let (d, west_rep) = accepted_quote_deal_of(db, "rep4@demo.local").await;
    let k = contract::create(db, &west_rep, d, None).await.unwrap();
    let terms = draft(vec![
        ms(MilestoneKind::DownPayment, Some(day - Duration::days(100)), Share::PercentBp(5000)),
        ms(MilestoneKind::OnDelivery, Some(day - Duration::days(10)), Share::PercentBp(4000)),
        ms(MilestoneKind::Retention, None, Share::PercentBp(1000)),
    ]);
    let k = contract::save(db, &west_rep, k.id, terms, k.version).await.unwrap();
    let k = approved_contract(db, &west_rep, &k).await;
    let k = contract::sign(db, &west_rep, k.id, paper(), k.version).await.unwrap();
    let (m1, m2, m3) = (k.milestones[0].amount_fen, k.milestones[1].amount_fen, k.milestones[2].amount_fen);
    let part = m2 / 4;
    let receipt = ReceiptInput { milestone: 2, received_on: day, amount_fen: part, reference: Some("BANK-0002".into()) };
    contract::receive(db, &west_rep, k.id, receipt, k.version).await.unwrap();

    let gm = ctx_for(db, "gm@demo.local").await;
    let r = contract::receivables(db, &gm).await.unwrap();
    assert_by_team_matches_raw(db, &r).await;
    assert!(r.by_team.len() >= 2, "{:?}", r.by_team);
    let west = r.by_team.iter().find(|t| t.team == "West").expect("a West row");
    assert!(west.owed_fen >= m1 + m2 - part + m3 && west.over_90_fen >= m1, "{west:?}");
    assert!(r.by_team.iter().any(|t| t.team == "East" && t.overdue_fen > 0), "the demo's late payment: {:?}", r.by_team);

    // Each rep's own, equal to the raw rows of the deals they own.
    let mine = contract::receivables(db, &west_rep).await.unwrap().mine;
    assert_eq!(mine, raw_receivables_of(db, &west_rep).await);
    assert!(mine.owed_fen >= m1 + m2 - part + m3 && mine.overdue_milestones >= 2, "{mine:?}");
    // The demo's signed contract belongs to rep@ (East): a rep sees their own team only.
    let rep = ctx_for(db, "rep@demo.local").await;
    let own = contract::receivables(db, &rep).await.unwrap();
    assert_eq!(own.mine, raw_receivables_of(db, &rep).await);
    assert!(own.mine.overdue_fen > 0 && own.mine.overdue_milestones >= 1, "{:?}", own.mine);
    assert_eq!(own.by_team.iter().map(|t| t.team.as_str()).collect::<Vec<_>>(), ["East"]);
    // A teammate sees the East money in the totals but owns none of it.
    let rep3 = ctx_for(db, "rep3@demo.local").await;
    let mate = contract::receivables(db, &rep3).await.unwrap();
    assert!(mate.ageing.overdue_fen() >= own.mine.overdue_fen, "{:?}", mate.ageing);
    assert_eq!(mate.mine, raw_receivables_of(db, &rep3).await);
}

#[tokio::test]
async fn gate_kinds_through_the_service() {
    let t = seeded().await;
    app::ssr::testdb::clear_contracts(&t.db).await.unwrap();
    let db = &t.db;
    let admin = ctx_for(db, "admin@demo.local").await;
    let s = solution_stages(db).await;
    // Entering the second stage now needs an approved and a signed contract, nothing else.
    let codes = vec!["contract.approved".to_owned(), "contract.signed".to_owned()];
    let saved = pipes::set_requirements(db, &admin, s[1].uuid, &codes, s[1].version).await.unwrap();
    assert_eq!(saved.requirements, codes);
    let (d, rep) = accepted_quote_deal(db).await;
    assert_eq!(deal_row(db, d).await.stage_id, s[0].id);
    let try_move = || async {
        let dl = deal_row(db, d).await;
        let cmd = movement::MoveCommand { deal: dl.uuid, to_stage: s[1].uuid, version: dl.version, reason: None, lost_reason: None };
        movement::move_deal(db, &rep, cmd).await.unwrap()
    };
    let missing = |o: MoveOutcome| -> Vec<String> {
        match o {
            MoveOutcome::Blocked { missing } => {
                let mut codes: Vec<String> = missing.into_iter().map(|m| m.code).collect();
                codes.sort();
                codes
            }
            other => panic!("expected a blocked move, got {other:?}"),
        }
    };

    assert_eq!(missing(try_move().await), ["contract.approved", "contract.signed"], "no contract yet");
    let k = contract::create(db, &rep, d, None).await.unwrap();
    assert_eq!(missing(try_move().await), ["contract.approved", "contract.signed"], "a draft is not enough");
    let k = approved_contract(db, &rep, &k).await;
    assert_eq!(missing(try_move().await), ["contract.signed"], "approved, not signed yet");
    assert_eq!(deal_row(db, d).await.stage_id, s[0].id, "a blocked move changes nothing");
    contract::sign(db, &rep, k.id, paper(), k.version).await.unwrap();
    assert!(matches!(try_move().await, MoveOutcome::Moved { .. }), "the signed contract meets both");
    assert_eq!(deal_row(db, d).await.stage_id, s[1].id);
}

/// The demo shows the whole paper trail: contracts in every state (superseded only comes of
/// an amendment, which `contract_amend` walks), one waiting for legal, and a signed one with
/// money overdue.
#[tokio::test]
async fn the_demo_has_contracts_in_every_state_and_a_late_payment() {
    let t = seeded().await;
    let db = &t.db;
    let gm = ctx_for(db, "gm@demo.local").await;
    let legal = ctx_for(db, "legal@demo.local").await;
    let all = contract::list(db, &gm, ContractFilter::default()).await.unwrap();
    for s in ContractStatus::ALL.into_iter().filter(|s| *s != ContractStatus::Superseded) {
        assert!(all.iter().any(|r| r.status == s), "a demo contract is {s:?}");
    }
    let waiting = contract::list(db, &legal, ContractFilter { mine: true, ..Default::default() }).await.unwrap();
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].waiting_for, Some(Approver::Legal));
    let late = contract::list(db, &gm, ContractFilter { overdue: true, ..Default::default() }).await.unwrap();
    assert_eq!(late.len(), 1);
    assert!(late[0].overdue_fen > 0 && late[0].received_fen > 0, "{:?}", late[0]);
    let r = contract::receivables(db, &gm).await.unwrap();
    assert_eq!(r.ageing.d31_90_fen, late[0].overdue_fen);
    assert_eq!(r.top_overdue.len(), 1);
}
