#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Quotes through the service on SQLite and PostgreSQL: pricing and numbering (also under 16
//! concurrent creators), routing by thresholds, locking, stale decisions, revise, accept
//! setting the deal amount, visibility per role, bad input, and the gate.
use crate::common::{ctx_for, seeded};
use app::domain::dto::MoveOutcome;
use app::domain::error::AppError;
use app::domain::quote::dto::{QuoteDraft, QuoteLineInput, QuoteOutcome, QuoteView};
use app::domain::quote::{price, Approver, HeaderDiscount, LineInput, QuoteStatus};
use app::ssr::context::RequestContext;
use app::ssr::db::Db;
use app::ssr::entity::{approval, deal, deal_history, pipeline, product, stage};
use app::ssr::service::{approval as approvals, movement, quote};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

async fn own_deal(db: &Db, ctx: &RequestContext) -> deal::Model {
    let open: Vec<i32> =
        stage::Entity::find().filter(stage::Column::Kind.eq("open")).all(db).await.unwrap().into_iter().map(|s| s.id).collect();
    deal::Entity::find()
        .filter(deal::Column::OwnerId.eq(ctx.user_id))
        .filter(deal::Column::StageId.is_in(open))
        .order_by_asc(deal::Column::Id)
        .one(db)
        .await
        .unwrap()
        .expect("the demo user owns an open deal")
}

async fn product_id(db: &Db, code: &str) -> uuid::Uuid {
    product::Entity::find().filter(product::Column::Code.eq(code)).one(db).await.unwrap().unwrap().uuid
}

/// Three lines: 20 finance licences, 40 consulting days at 5 % off, one free-text line.
async fn three_lines(db: &Db, header: HeaderDiscount) -> QuoteDraft {
    QuoteDraft {
        payment_terms: Some("30 % on signing, 60 % on go-live, 10 % on acceptance".into()),
        header_discount: header,
        lines: vec![
            QuoteLineInput { product_id: Some(product_id(db, "ERP-FIN").await), qty_centi: 2000, ..Default::default() },
            QuoteLineInput { product_id: Some(product_id(db, "SVC-IMPL").await), qty_centi: 4000, discount_bp: 500, ..Default::default() },
            QuoteLineInput {
                description: Some("Data migration from the legacy system".into()),
                unit: Some("lot".into()),
                qty_centi: 100,
                unit_price_fen: Some(3_000_000),
                ..Default::default()
            },
        ],
        ..Default::default()
    }
}

async fn approval_of(db: &Db, q: &QuoteView) -> approval::Model {
    let id = q.approval_id.expect("a request");
    approval::Entity::find().filter(approval::Column::Uuid.eq(id)).one(db).await.unwrap().unwrap()
}

fn field(e: AppError) -> String {
    match e {
        AppError::Validation { field, .. } => field,
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_quote_is_priced_by_the_domain_numbered_and_in_the_history() {
    let t = seeded().await;
    let db = &t.db;
    let rep = ctx_for(db, "rep@demo.local").await;
    let d = own_deal(db, &rep).await;
    let q = quote::create(db, &rep, d.uuid, three_lines(db, HeaderDiscount::Percent(1200)).await).await.unwrap();
    let year: i32 = chrono::Utc::now().format("%Y").to_string().parse().unwrap();
    let (y, seq, rev) = app::domain::quote::parse_number(&q.number).expect("a quote number");
    assert_eq!((y, rev), (year, 1));
    // The demo's own quotes came first: this one takes the next number.
    assert_eq!(seq, app::ssr::entity::quote::Entity::find().count(db).await.unwrap() as i64);
    assert_eq!((q.status, q.revision, q.lines.len()), (QuoteStatus::Draft, 1, 3));
    // The stored figures are the domain's, with the list price, tax and cost copied.
    let want = price(
        &[
            LineInput {
                qty_centi: 2000,
                unit_price_fen: 1_200_000,
                list_price_fen: 1_200_000,
                discount_bp: 0,
                tax_bp: 1300,
                cost_fen: 150_000,
            },
            LineInput {
                qty_centi: 4000,
                unit_price_fen: 300_000,
                list_price_fen: 300_000,
                discount_bp: 500,
                tax_bp: 600,
                cost_fen: 180_000,
            },
            LineInput { qty_centi: 100, unit_price_fen: 3_000_000, list_price_fen: 3_000_000, discount_bp: 0, tax_bp: 1300, cost_fen: 0 },
        ],
        HeaderDiscount::Percent(1200),
    )
    .unwrap();
    assert_eq!(q.totals, want.totals);
    assert_eq!(q.lines.iter().map(|l| l.gross_fen).sum::<i64>(), q.totals.gross_fen, "lines add up to the total");
    let name = if rep.locale == Some(app::domain::locale::Locale::ZhCn) { "财务模块许可" } else { "Finance module licence" };
    assert_eq!(q.lines[0].description, name, "a product line takes the name in the user's language");
    assert!(q.rights.edit && q.rights.submit && !q.rights.send && !q.rights.decide);
    let kinds: Vec<String> = deal_history::Entity::find()
        .filter(deal_history::Column::DealId.eq(d.id))
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|h| h.kind)
        .collect();
    assert!(kinds.contains(&"quote_created".to_owned()));
    assert_eq!(quote::list_for_deal(db, &rep, d.uuid).await.unwrap().len(), 1);
}

#[tokio::test]
async fn sixteen_concurrent_creators_get_sixteen_consecutive_numbers() {
    let t = seeded().await;
    let db = t.db.clone();
    let rep = ctx_for(&db, "rep@demo.local").await;
    let d = own_deal(&db, &rep).await;
    let draft = three_lines(&db, HeaderDiscount::None).await;
    let mut tasks = Vec::new();
    for _ in 0..16 {
        let (db, rep, draft) = (db.clone(), rep.clone(), draft.clone());
        tasks.push(tokio::spawn(async move { quote::create(&db, &rep, d.uuid, draft).await.map(|q| q.number) }));
    }
    let mut numbers = Vec::new();
    for t in tasks {
        numbers.push(t.await.unwrap().unwrap());
    }
    let mut seqs: Vec<i64> = numbers.iter().map(|n| app::domain::quote::parse_number(n).unwrap().1).collect();
    seqs.sort();
    let first = seqs[0];
    assert_eq!(seqs, (first..first + 16).collect::<Vec<_>>(), "no gaps, no duplicates: {numbers:?}");
    assert_eq!(first, app::ssr::entity::quote::Entity::find().count(&db).await.unwrap() as i64 - 15, "right after the demo's quotes");
}

#[tokio::test]
async fn the_thresholds_route_the_approval_and_an_approved_quote_is_locked() {
    let t = seeded().await;
    let db = &t.db;
    let rep = ctx_for(db, "rep@demo.local").await;
    let manager = ctx_for(db, "manager@demo.local").await;
    let gm = ctx_for(db, "gm@demo.local").await;
    let admin = ctx_for(db, "admin@demo.local").await;
    let d = own_deal(db, &rep).await;
    // 3 % off: the owner's manager.
    let small = quote::create(db, &rep, d.uuid, three_lines(db, HeaderDiscount::Percent(300)).await).await.unwrap();
    let small = quote::submit(db, &rep, small.id, small.version).await.unwrap();
    assert_eq!((small.status, small.approver), (QuoteStatus::Submitted, Some(Approver::Manager)));
    let a = approval_of(db, &small).await;
    assert_eq!(a.approver_id, Some(manager.user_id));
    assert_eq!(
        quote::save(db, &rep, small.id, QuoteDraft::default(), small.version).await.map(|_| ()).map_err(field),
        Err("status".to_owned())
    );
    // The inbox shows the quote's figures; neither the requester nor an admin decides it.
    let inbox = approvals::list(db, &manager, Some("pending")).await.unwrap();
    let row = inbox.iter().find(|r| r.id == a.uuid).expect("in the manager's inbox");
    assert_eq!(row.quote.as_ref().map(|b| b.gross_fen), Some(small.totals.gross_fen));
    assert_eq!(approvals::decide(db, &rep, a.uuid, true, None).await.unwrap_err(), AppError::Forbidden);
    assert_eq!(approvals::decide(db, &admin, a.uuid, true, None).await.unwrap_err(), AppError::NotFound);
    approvals::decide(db, &manager, a.uuid, true, Some("ok".into())).await.unwrap();
    let small = quote::get(db, &rep, small.id).await.unwrap();
    assert_eq!(small.status, QuoteStatus::Approved);
    assert!(small.rights.send && !small.rights.edit);
    assert_eq!(
        quote::save(db, &rep, small.id, QuoteDraft::default(), small.version).await.map(|_| ()).map_err(field),
        Err("status".to_owned())
    );
    let sent = quote::send(db, &rep, small.id, small.version).await.unwrap();
    assert_eq!(sent.status, QuoteStatus::Sent);
    // 12 % off: the general manager; the manager cannot decide it.
    let big = quote::create(db, &rep, d.uuid, three_lines(db, HeaderDiscount::Percent(1200)).await).await.unwrap();
    let big = quote::submit(db, &rep, big.id, big.version).await.unwrap();
    assert_eq!(big.approver, Some(Approver::GeneralManager));
    let a = approval_of(db, &big).await;
    assert_eq!(a.approver_id, Some(gm.user_id));
    assert!(approvals::decide(db, &manager, a.uuid, true, None).await.is_err());
    approvals::decide(db, &gm, a.uuid, false, Some("too deep".into())).await.unwrap();
    let big = quote::get(db, &rep, big.id).await.unwrap();
    assert_eq!((big.status, big.rights.edit), (QuoteStatus::Rejected, true));
    // Sending is for approved quotes only.
    assert_eq!(quote::send(db, &rep, big.id, big.version).await.map(|_| ()).map_err(field), Err("status".to_owned()));
}

#[tokio::test]
async fn a_decision_on_a_revised_quote_is_a_conflict_and_the_revision_keeps_the_lines() {
    let t = seeded().await;
    let db = &t.db;
    let rep = ctx_for(db, "rep@demo.local").await;
    let manager = ctx_for(db, "manager@demo.local").await;
    let d = own_deal(db, &rep).await;
    let q = quote::create(db, &rep, d.uuid, three_lines(db, HeaderDiscount::None).await).await.unwrap();
    let q = quote::submit(db, &rep, q.id, q.version).await.unwrap();
    let a = approval_of(db, &q).await;
    let v2 = quote::revise(db, &rep, q.id, q.version).await.unwrap();
    assert_eq!((v2.number.clone(), v2.revision, v2.status), (format!("{}-2", q.number), 2, QuoteStatus::Draft));
    assert_eq!(v2.lines, q.lines);
    assert_eq!(v2.revisions.iter().map(|r| r.status).collect::<Vec<_>>(), [QuoteStatus::Superseded, QuoteStatus::Draft]);
    assert_eq!(approvals::decide(db, &manager, a.uuid, true, None).await.unwrap_err(), AppError::Conflict);
    // Only the live revision can be revised again; a stale version is a conflict.
    assert!(quote::revise(db, &rep, q.id, q.version + 1).await.is_err());
    assert_eq!(quote::submit(db, &rep, v2.id, v2.version + 1).await.unwrap_err(), AppError::Conflict);
}

#[tokio::test]
async fn accepting_a_quote_sets_the_deal_amount_through_the_deal_patch() {
    let t = seeded().await;
    let db = &t.db;
    let rep = ctx_for(db, "rep@demo.local").await;
    let manager = ctx_for(db, "manager@demo.local").await;
    let d = own_deal(db, &rep).await;
    let q = quote::create(db, &rep, d.uuid, three_lines(db, HeaderDiscount::None).await).await.unwrap();
    let q = quote::submit(db, &rep, q.id, q.version).await.unwrap();
    approvals::decide(db, &manager, approval_of(db, &q).await.uuid, true, None).await.unwrap();
    let q = quote::get(db, &rep, q.id).await.unwrap();
    let q = quote::send(db, &rep, q.id, q.version).await.unwrap();
    let q = quote::close(db, &rep, q.id, QuoteOutcome::Accepted, true, q.version).await.unwrap();
    assert_eq!(q.status, QuoteStatus::Accepted);
    let after = deal::Entity::find_by_id(d.id).one(db).await.unwrap().unwrap();
    assert_eq!(after.amount_fen, q.totals.gross_fen);
    assert_eq!(after.version, d.version + 1);
    let amount_rows = deal_history::Entity::find()
        .filter(deal_history::Column::DealId.eq(d.id))
        .filter(deal_history::Column::Kind.eq("amount_changed"))
        .filter(deal_history::Column::NewAmountFen.eq(q.totals.gross_fen))
        .all(db)
        .await
        .unwrap();
    assert_eq!(amount_rows.len(), 1);
    // An accepted quote is final.
    assert!(quote::revise(db, &rep, q.id, q.version).await.is_err());
}

#[tokio::test]
async fn quotes_keep_to_the_deals_visibility_for_every_role() {
    let t = seeded().await;
    let db = &t.db;
    let rep = ctx_for(db, "rep@demo.local").await;
    let d = own_deal(db, &rep).await;
    let q = quote::create(db, &rep, d.uuid, three_lines(db, HeaderDiscount::None).await).await.unwrap();
    for (who, sees, works) in [
        ("rep@demo.local", true, true),
        ("rep3@demo.local", true, false),
        ("manager@demo.local", true, true),
        ("rep2@demo.local", false, false),
        ("manager2@demo.local", false, false),
        ("presales2@demo.local", false, false),
        ("exec@demo.local", true, false),
        ("gm@demo.local", true, false),
        ("legal@demo.local", true, false),
        ("admin@demo.local", true, true),
    ] {
        let ctx = ctx_for(db, who).await;
        match quote::get(db, &ctx, q.id).await {
            Ok(v) => {
                assert!(sees, "{who} must not see it");
                assert_eq!(v.rights.edit, works, "{who}");
            }
            Err(e) => {
                assert!(!sees, "{who}: {e:?}");
                assert_eq!(e, AppError::NotFound, "{who}");
                assert_eq!(quote::list_for_deal(db, &ctx, d.uuid).await.unwrap_err(), AppError::NotFound, "{who}");
            }
        }
        let edit =
            quote::save(db, &ctx, q.id, three_lines(db, HeaderDiscount::None).await, quote::get(db, &rep, q.id).await.unwrap().version)
                .await;
        assert_eq!(edit.is_ok(), works, "{who}: {edit:?}");
        if !works {
            assert_eq!(edit.unwrap_err(), if sees { AppError::Forbidden } else { AppError::NotFound }, "{who}");
        }
    }
}

#[tokio::test]
async fn bad_input_names_the_field_and_writes_nothing() {
    let t = seeded().await;
    let db = &t.db;
    let rep = ctx_for(db, "rep@demo.local").await;
    let d = own_deal(db, &rep).await;
    let fin = product_id(db, "ERP-FIN").await;
    let line = |f: fn(&mut QuoteLineInput)| {
        let mut l = QuoteLineInput { product_id: Some(fin), qty_centi: 100, ..Default::default() };
        f(&mut l);
        QuoteDraft { lines: vec![l], ..Default::default() }
    };
    let cases: Vec<(QuoteDraft, &str)> = vec![
        (line(|l| l.qty_centi = 0), "lines[0].quantity"),
        (line(|l| l.qty_centi = -5), "lines[0].quantity"),
        (line(|l| l.discount_bp = 10_001), "lines[0].discount"),
        (line(|l| l.unit_price_fen = Some(-1)), "lines[0].unit_price"),
        (line(|l| l.unit_price_fen = Some(app::domain::validate::MAX_FEN + 1)), "lines[0].unit_price"),
        (line(|l| l.product_id = Some(uuid::Uuid::nil())), "lines[0].product"),
        (line(|l| l.product_id = None), "lines[0].unit_price"),
        (
            QuoteDraft {
                lines: vec![QuoteLineInput { product_id: Some(fin), qty_centi: 100, ..Default::default() }; 501],
                ..Default::default()
            },
            "lines",
        ),
        (QuoteDraft { valid_until: "2020-01-01".parse().ok(), ..Default::default() }, "valid_until"),
        (QuoteDraft { contact_id: Some(uuid::Uuid::nil()), ..Default::default() }, "contact_id"),
        (QuoteDraft { header_discount: HeaderDiscount::Percent(10_001), ..line(|_| {}) }, "header_discount"),
    ];
    for (draft, want) in cases {
        assert_eq!(quote::create(db, &rep, d.uuid, draft).await.map(|_| ()).map_err(field), Err(want.to_owned()));
    }
    let legacy = product_id(db, "ERP-V8").await;
    let old =
        QuoteDraft { lines: vec![QuoteLineInput { product_id: Some(legacy), qty_centi: 100, ..Default::default() }], ..Default::default() };
    assert_eq!(quote::create(db, &rep, d.uuid, old).await.map(|_| ()).map_err(field), Err("lines[0].product".to_owned()));
    assert!(quote::list_for_deal(db, &rep, d.uuid).await.unwrap().is_empty(), "nothing half-written");
    // An empty draft is fine, but it cannot be submitted.
    let empty = quote::create(db, &rep, d.uuid, QuoteDraft::default()).await.unwrap();
    assert_eq!(quote::submit(db, &rep, empty.id, empty.version).await.map(|_| ()).map_err(field), Err("lines".to_owned()));
}

#[tokio::test]
async fn a_manager_submitting_a_quote_is_never_its_approver() {
    let t = seeded().await;
    let db = &t.db;
    let rep = ctx_for(db, "rep@demo.local").await;
    let manager = ctx_for(db, "manager@demo.local").await;
    let gm = ctx_for(db, "gm@demo.local").await;
    let d = own_deal(db, &rep).await;
    let q = quote::create(db, &manager, d.uuid, three_lines(db, HeaderDiscount::None).await).await.unwrap();
    let q = quote::submit(db, &manager, q.id, q.version).await.unwrap();
    assert_eq!(approval_of(db, &q).await.approver_id, Some(gm.user_id));
    assert!(!q.rights.decide);
}

#[tokio::test]
async fn the_negotiation_stage_needs_an_approved_quote() {
    let t = seeded().await;
    let db = &t.db;
    let rep = ctx_for(db, "rep@demo.local").await;
    let manager = ctx_for(db, "manager@demo.local").await;
    let p = pipeline::Entity::find().filter(pipeline::Column::Code.eq("solution")).one(db).await.unwrap().unwrap();
    let st = stage::Entity::find().filter(stage::Column::PipelineId.eq(p.id)).order_by_asc(stage::Column::Position).all(db).await.unwrap();
    let d = deal::Entity::find()
        .filter(deal::Column::OwnerId.eq(rep.user_id))
        .filter(deal::Column::StageId.eq(st[3].id))
        .one(db)
        .await
        .unwrap()
        .expect("a deal of the rep in Customer approval");
    let missing_quote = |o: &MoveOutcome| match o {
        MoveOutcome::Blocked { missing } => missing.iter().any(|m| m.code == "quote.approved"),
        _ => false,
    };
    let cmd =
        |d: &deal::Model| movement::MoveCommand { deal: d.uuid, to_stage: st[4].uuid, version: d.version, reason: None, lost_reason: None };
    assert!(missing_quote(&movement::move_deal(db, &rep, cmd(&d)).await.unwrap()), "blocked for want of an approved quote");
    let q = quote::create(db, &rep, d.uuid, three_lines(db, HeaderDiscount::None).await).await.unwrap();
    let q = quote::submit(db, &rep, q.id, q.version).await.unwrap();
    assert!(missing_quote(&movement::move_deal(db, &rep, cmd(&d)).await.unwrap()), "a submitted quote is not enough");
    approvals::decide(db, &manager, approval_of(db, &q).await.uuid, true, None).await.unwrap();
    let d = deal::Entity::find_by_id(d.id).one(db).await.unwrap().unwrap();
    assert!(!missing_quote(&movement::move_deal(db, &rep, cmd(&d)).await.unwrap()), "the approved quote meets the requirement");
}
