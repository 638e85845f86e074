#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Amendments of a signed contract (SQLite and PostgreSQL): a draft copy numbered after the
//! original goes through the whole chain again; while it is under way the original stays in
//! force and takes receipts; an amendment that would leave less due than was received is
//! refused naming the milestones; signing it supersedes the original, moves the receipts and
//! sets the deal's amount; the receivables count the money once. The requester hears of
//! each decision on their bell.
use crate::common::seeded;
use crate::contract::{accepted_quote_deal, approved_contract, deal_row, decide_step, draft, field, ms, paper, today};
use app::domain::contract::dto::ReceiptInput;
use app::domain::contract::{ContractStatus, MilestoneKind, Share};
use app::domain::error::AppError;
use app::ssr::entity::{contract_receipt, deal_history};
use app::ssr::service::{comment, contract};
use chrono::Duration;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

#[tokio::test]
async fn an_amendment_takes_the_chain_again_and_supersedes_the_signed_contract() {
    let t = seeded().await;
    app::ssr::testdb::clear_contracts(&t.db).await.unwrap();
    let db = &t.db;
    let (d, rep) = accepted_quote_deal(db).await;
    let day = today();
    let k = contract::create(db, &rep, d, None).await.unwrap();
    let terms = draft(vec![
        ms(MilestoneKind::DownPayment, Some(day - Duration::days(5)), Share::PercentBp(3000)),
        ms(MilestoneKind::OnAcceptance, Some(day + Duration::days(60)), Share::PercentBp(7000)),
    ]);
    let k = contract::save(db, &rep, k.id, terms, k.version).await.unwrap();
    let k = approved_contract(db, &rep, &k).await;
    let signed = contract::sign(db, &rep, k.id, paper(), k.version).await.unwrap();
    let down = signed.milestones[0].amount_fen;
    let receipt = |amount_fen| ReceiptInput { milestone: 1, received_on: day, amount_fen, reference: Some("BANK-7".into()) };
    let signed = contract::receive(db, &rep, signed.id, receipt(down), signed.version).await.unwrap();

    // Only a signed contract is amended; the draft copy carries the terms and the number.
    let a = contract::amend(db, &rep, signed.id, signed.version).await.unwrap();
    assert_eq!((a.status, a.revision, a.number.clone()), (ContractStatus::Draft, 1, format!("{}-A1", signed.number)));
    assert_eq!(a.supersedes.as_ref().map(|l| l.id), Some(signed.id));
    assert_eq!(a.amount_fen, signed.amount_fen);
    assert_eq!(
        a.milestones.iter().map(|m| (m.amount_fen, m.received_fen)).collect::<Vec<_>>(),
        vec![(down, 0), (signed.amount_fen - down, 0)]
    );
    assert_eq!(field(contract::amend(db, &rep, a.id, a.version).await.unwrap_err()), "status", "a draft is edited, not amended");
    let original = contract::get(db, &rep, signed.id).await.unwrap();
    assert_eq!(original.amended_by.as_ref().map(|l| (l.id, l.status)), Some((a.id, ContractStatus::Draft)));
    assert_eq!(field(contract::amend(db, &rep, original.id, original.version).await.unwrap_err()), "contract", "one amendment at a time");
    assert_eq!(field(contract::create(db, &rep, d, None).await.unwrap_err()), "contract");

    // An amendment may not leave the down payment below what was received on it.
    let grown = signed.amount_fen + 10_000_000;
    let mut less = draft(vec![
        ms(MilestoneKind::DownPayment, Some(day), Share::AmountFen(down - 1)),
        ms(MilestoneKind::OnAcceptance, Some(day + Duration::days(60)), Share::AmountFen(grown - down + 1)),
    ]);
    less.amount_fen = Some(grown);
    assert_eq!(field(contract::save(db, &rep, a.id, less, a.version).await.unwrap_err()), "milestones");
    let mut more = draft(vec![
        ms(MilestoneKind::DownPayment, Some(day - Duration::days(5)), Share::AmountFen(down)),
        ms(MilestoneKind::OnAcceptance, Some(day + Duration::days(60)), Share::AmountFen(grown - down)),
    ]);
    more.amount_fen = Some(grown);
    let a = contract::save(db, &rep, a.id, more, a.version).await.unwrap();
    assert_eq!(a.amount_fen, grown);

    // Through the whole chain again, with a rejection on the way.
    let a = contract::submit(db, &rep, a.id, a.version).await.unwrap();
    decide_step(db, a.id, false, Some("the new scope needs a legal review")).await;
    let a = contract::get(db, &rep, a.id).await.unwrap();
    assert_eq!(a.status, ContractStatus::Draft);
    // The requester hears of the decision, with the reason, on their bell.
    let bell = comment::notifications(db, &rep, true).await.unwrap();
    let heard = bell.iter().find(|n| n.kind == "approval_rejected").expect("the rejection is on the requester's bell");
    assert!(heard.text.contains(&a.number) && heard.text.contains("needs a legal review"), "{}", heard.text);
    let a = approved_contract(db, &rep, &a).await;
    // The original still takes money while its amendment is in review.
    let original = contract::get(db, &rep, signed.id).await.unwrap();
    assert_eq!(original.status, ContractStatus::Signed);

    let done = contract::sign(db, &rep, a.id, paper(), a.version).await.unwrap();
    assert_eq!(done.status, ContractStatus::Signed);
    assert_eq!(done.received_fen, down, "the receipt moved to the amendment");
    assert_eq!((done.milestones[0].received_fen, done.receipts.len()), (down, 1));
    assert_eq!(deal_row(db, d).await.amount_fen, grown, "the deal's amount is the amendment's");
    let old = contract::get(db, &rep, signed.id).await.unwrap();
    assert_eq!((old.status, old.received_fen, old.receipts.len()), (ContractStatus::Superseded, 0, 0));
    assert_eq!(old.amended_by.map(|l| (l.id, l.status)), Some((done.id, ContractStatus::Signed)));
    assert_eq!(field(contract::receive(db, &rep, old.id, receipt(1), old.version).await.unwrap_err()), "status");
    assert_eq!(contract::sign(db, &rep, a.id, paper(), a.version).await.unwrap_err(), AppError::Conflict);
    let receipts = contract_receipt::Entity::find().all(db).await.unwrap();
    assert_eq!(receipts.len(), 1);

    // The receivables count the signed amendment only: what is owed is the new amount less the receipt.
    let admin = crate::common::ctx_for(db, "admin@demo.local").await;
    let r = contract::receivables(db, &admin).await.unwrap();
    assert_eq!(r.ageing.not_due_fen + r.ageing.overdue_fen(), grown - down);
    let h = deal_history::Entity::find().filter(deal_history::Column::Kind.eq("contract_amended")).all(db).await.unwrap();
    assert_eq!(h.len(), 1);
    assert!(h[0].note.as_deref().unwrap_or("").starts_with(&done.number), "{:?}", h[0].note);
    // An amendment of the amendment is numbered A2.
    let a2 = contract::amend(db, &rep, done.id, done.version).await.unwrap();
    assert_eq!(a2.number, format!("{}-A2", signed.number));
}

#[tokio::test]
async fn the_original_takes_no_receipt_its_amendment_could_not_carry_and_an_approved_amendment_can_be_taken_back() {
    let t = seeded().await;
    app::ssr::testdb::clear_contracts(&t.db).await.unwrap();
    let db = &t.db;
    let (d, rep) = accepted_quote_deal(db).await;
    let day = today();
    let k = contract::create(db, &rep, d, None).await.unwrap();
    let terms = draft(vec![
        ms(MilestoneKind::DownPayment, Some(day - Duration::days(5)), Share::PercentBp(3000)),
        ms(MilestoneKind::OnAcceptance, Some(day + Duration::days(60)), Share::PercentBp(7000)),
    ]);
    let k = contract::save(db, &rep, k.id, terms, k.version).await.unwrap();
    let k = approved_contract(db, &rep, &k).await;
    let signed = contract::sign(db, &rep, k.id, paper(), k.version).await.unwrap();
    let (down, rest) = (signed.milestones[0].amount_fen, signed.milestones[1].amount_fen);

    // The amendment halves the second instalment (the scope shrank).
    let a = contract::amend(db, &rep, signed.id, signed.version).await.unwrap();
    let mut smaller = draft(vec![
        ms(MilestoneKind::DownPayment, Some(day - Duration::days(5)), Share::AmountFen(down)),
        ms(MilestoneKind::OnAcceptance, Some(day + Duration::days(60)), Share::AmountFen(rest / 2)),
    ]);
    smaller.amount_fen = Some(down + rest / 2);
    let a = contract::save(db, &rep, a.id, smaller, a.version).await.unwrap();

    // On the original, more than the amendment leaves on that milestone is refused by name.
    let original = contract::get(db, &rep, signed.id).await.unwrap();
    let pay = |amount_fen| ReceiptInput { milestone: 2, received_on: day, amount_fen, reference: None };
    match contract::receive(db, &rep, original.id, pay(rest / 2 + 1), original.version).await.unwrap_err() {
        AppError::Validation { field, message } => {
            assert_eq!(field, "amount");
            assert!(message.contains(&a.number), "{message}");
        }
        other => panic!("{other:?}"),
    }
    let original = contract::receive(db, &rep, original.id, pay(rest / 2), original.version).await.unwrap();
    assert_eq!(original.milestones[1].received_fen, rest / 2);

    // Approved but not signed: taken back to draft to change, then the chain starts again.
    let a = approved_contract(db, &rep, &a).await;
    let back = contract::withdraw(db, &rep, a.id, a.version).await.unwrap();
    assert_eq!(back.status, ContractStatus::Draft);
    let a = approved_contract(db, &rep, &back).await;
    let done = contract::sign(db, &rep, a.id, paper(), a.version).await.unwrap();
    assert_eq!((done.received_fen, done.milestones[1].received_fen), (rest / 2, rest / 2));
}
