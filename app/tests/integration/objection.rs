#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The objection log through the service on SQLite and PostgreSQL: the ERP negotiation gate,
//! history and board counts, visibility per role, refused steps and stale versions that
//! write nothing, overdue in "My tasks", and the team view equal to the raw rows.
use crate::common::{ctx_for, seeded};
use app::domain::dto::MoveOutcome;
use app::domain::error::AppError;
use app::domain::keyinfo::KeyInfo;
use app::domain::objection::{Category, ObjectionInput, Status, StepInput};
use app::ssr::context::RequestContext;
use app::ssr::db::Db;
use app::ssr::entity::{deal, deal_history, objection as objection_e, pipeline, stage};
use app::ssr::service::{keyinfo, movement, objection};
use chrono::NaiveDate;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn said(category: Category, text: &str, due: Option<&str>) -> ObjectionInput {
    ObjectionInput {
        raised_on: d("2026-11-02"),
        category,
        raised_by: None,
        said: text.into(),
        demand: Some("降价 15%".into()),
        strategy: None,
        owner: None,
        due_on: due.map(d),
    }
}

fn field(e: AppError) -> String {
    match e {
        AppError::Validation { field, .. } => field,
        other => panic!("expected a validation error, got {other:?}"),
    }
}

/// A deal of the rep's in the ERP pipeline's "Objection handling", with its decision makers
/// known (the negotiation's other requirement), and the negotiation stage.
async fn erp_deal_in_objection_handling(db: &Db, rep: &RequestContext) -> (deal::Model, stage::Model) {
    let p = pipeline::Entity::find().filter(pipeline::Column::Code.eq("erp")).one(db).await.unwrap().unwrap();
    let st = stage::Entity::find().filter(stage::Column::PipelineId.eq(p.id)).order_by_asc(stage::Column::Position).all(db).await.unwrap();
    assert_eq!((st[5].name_en.as_str(), st[6].name_en.as_str()), ("Objection handling", "Negotiation"));
    let accounts = app::ssr::service::account::list(db, rep, None, 1, 5).await.unwrap();
    let new = app::domain::dto::NewDeal {
        name: "ERP objections".into(),
        account: accounts.rows[0].id,
        pipeline: Some(p.uuid),
        owner: None,
        amount_fen: 180_000_000,
        currency: None,
        close_date: d("2027-03-31"),
    };
    let created = app::ssr::service::deal::create(db, rep, new).await.unwrap();
    let mut m: deal::ActiveModel = created.into();
    m.stage_id = Set(st[5].id);
    let dl = m.update(db).await.unwrap();
    let (_, v) = keyinfo::get(db, rep, dl.uuid).await.unwrap();
    let info = KeyInfo { decision_makers: Some("总经理 王总".into()), ..Default::default() };
    keyinfo::update(db, rep, dl.uuid, info, v).await.unwrap();
    (deal::Entity::find_by_id(dl.id).one(db).await.unwrap().unwrap(), st[6].clone())
}

async fn try_move(db: &Db, rep: &RequestContext, dl: &deal::Model, to: &stage::Model) -> MoveOutcome {
    let dl = deal::Entity::find_by_id(dl.id).one(db).await.unwrap().unwrap();
    let cmd = movement::MoveCommand { deal: dl.uuid, to_stage: to.uuid, version: dl.version, reason: None, lost_reason: None };
    movement::move_deal(db, rep, cmd).await.unwrap()
}

fn blocked_by_objections(o: &MoveOutcome) -> bool {
    matches!(o, MoveOutcome::Blocked { missing } if missing.iter().any(|m| m.code == "objection.none_open"))
}

#[tokio::test]
async fn the_erp_negotiation_waits_until_every_objection_is_settled() {
    let t = seeded().await;
    let db = &t.db;
    let rep = ctx_for(db, "rep@demo.local").await;
    let (dl, negotiation) = erp_deal_in_objection_handling(db, &rep).await;
    let o = objection::create(db, &rep, dl.uuid, said(Category::PriceTooHigh, "比竞品贵 20%", Some("2026-11-20"))).await.unwrap();
    assert_eq!((o.status, o.owner_id, o.owner.is_empty()), (Status::Open, rep.uuid, false));
    assert!(blocked_by_objections(&try_move(db, &rep, &dl, &negotiation).await));
    let counts = objection::open_counts(db, &[dl.id]).await.unwrap();
    assert_eq!(counts.get(&dl.id), Some(&1));

    // Answered is not settled: the customer has not agreed yet.
    let mut with_strategy = o.input();
    with_strategy.strategy = Some("分期付款 + 参观同行业样板客户".into());
    let o = objection::update(db, &rep, o.id, with_strategy, o.version).await.unwrap();
    let o =
        objection::step(db, &rep, o.id, StepInput { to: Status::Answered, feedback: None, resolved_on: None }, o.version).await.unwrap();
    assert!(blocked_by_objections(&try_move(db, &rep, &dl, &negotiation).await));
    let o = objection::step(
        db,
        &rep,
        o.id,
        StepInput { to: Status::Resolved, feedback: Some("接受分期".into()), resolved_on: None },
        o.version,
    )
    .await
    .unwrap();
    assert_eq!((o.status, o.feedback.as_deref(), o.resolved_on.is_some()), (Status::Resolved, Some("接受分期"), true));
    assert!(objection::open_counts(db, &[dl.id]).await.unwrap().is_empty());
    assert!(matches!(try_move(db, &rep, &dl, &negotiation).await, MoveOutcome::Moved { .. }));

    // Each step is in the deal's history, in order.
    let kinds: Vec<String> = deal_history::Entity::find()
        .filter(deal_history::Column::DealId.eq(dl.id))
        .filter(deal_history::Column::Kind.starts_with("objection_"))
        .order_by_asc(deal_history::Column::Id)
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|h| h.kind)
        .collect();
    assert_eq!(kinds, ["objection_raised", "objection_answered", "objection_resolved"]);
}

#[tokio::test]
async fn objections_keep_to_the_deals_visibility_for_every_role() {
    let t = seeded().await;
    let db = &t.db;
    let rep = ctx_for(db, "rep@demo.local").await;
    let (dl, _) = erp_deal_in_objection_handling(db, &rep).await;
    let o = objection::create(db, &rep, dl.uuid, said(Category::WantsTrial, "先试用三个月", None)).await.unwrap();
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
        match objection::list(db, &ctx, dl.uuid).await {
            Ok(l) => {
                assert!(sees, "{who} must not see it");
                assert!(l.rows.iter().any(|r| r.id == o.id), "{who}");
                assert_eq!(l.can_edit, works, "{who}");
            }
            Err(e) => {
                assert!(!sees, "{who}: {e:?}");
                assert_eq!(e, AppError::NotFound, "{who}");
                assert_eq!(objection::get(db, &ctx, o.id).await.unwrap_err(), AppError::NotFound, "{who}");
            }
        }
        let logged = objection::create(db, &ctx, dl.uuid, said(Category::Other, "walk", None)).await;
        assert_eq!(logged.is_ok(), works, "{who}: {logged:?}");
        if !works {
            assert_eq!(logged.unwrap_err(), if sees { AppError::Forbidden } else { AppError::NotFound }, "{who}");
        }
    }
}

#[tokio::test]
async fn bad_input_and_stale_versions_name_the_problem_and_write_nothing() {
    let t = seeded().await;
    let db = &t.db;
    let rep = ctx_for(db, "rep@demo.local").await;
    let (dl, _) = erp_deal_in_objection_handling(db, &rep).await;
    let o = objection::create(db, &rep, dl.uuid, said(Category::WantsReferences, "要看同行业案例", None)).await.unwrap();
    let rows = || async { objection_e::Entity::find().filter(objection_e::Column::DealId.eq(dl.id)).count(db).await.unwrap() };
    let history = || async { deal_history::Entity::find().filter(deal_history::Column::DealId.eq(dl.id)).count(db).await.unwrap() };
    let (n, h) = (rows().await, history().await);

    let mut blank = said(Category::Other, "   ", None);
    assert_eq!(field(objection::create(db, &rep, dl.uuid, blank.clone()).await.unwrap_err()), "said");
    blank.said = "ok".into();
    blank.due_on = Some(d("2026-10-01"));
    assert_eq!(field(objection::create(db, &rep, dl.uuid, blank.clone()).await.unwrap_err()), "due_on");
    blank.due_on = None;
    blank.raised_by = Some(uuid::Uuid::new_v4());
    assert_eq!(field(objection::create(db, &rep, dl.uuid, blank.clone()).await.unwrap_err()), "raised_by");
    blank.raised_by = None;
    blank.owner = Some(ctx_for(db, "rep2@demo.local").await.uuid);
    assert_eq!(field(objection::create(db, &rep, dl.uuid, blank).await.unwrap_err()), "owner");

    let step = |to, feedback: Option<&str>| StepInput { to, feedback: feedback.map(str::to_owned), resolved_on: None };
    assert_eq!(field(objection::step(db, &rep, o.id, step(Status::Answered, None), o.version).await.unwrap_err()), "strategy");
    assert_eq!(field(objection::step(db, &rep, o.id, step(Status::Resolved, None), o.version).await.unwrap_err()), "feedback");
    assert_eq!(field(objection::step(db, &rep, o.id, step(Status::Open, None), o.version).await.unwrap_err()), "status");
    assert_eq!(objection::step(db, &rep, o.id, step(Status::Dropped, Some("x")), o.version + 1).await.unwrap_err(), AppError::Conflict);
    assert_eq!(objection::update(db, &rep, o.id, o.input(), o.version + 1).await.unwrap_err(), AppError::Conflict);
    assert_eq!((rows().await, history().await), (n, h), "nothing written");
    let same = objection::get(db, &rep, o.id).await.unwrap();
    assert_eq!((same.status, same.version), (Status::Open, o.version));
}

#[tokio::test]
async fn overdue_objections_reach_their_owner_and_the_team_view_adds_up() {
    let t = seeded().await;
    let db = &t.db;
    let rep = ctx_for(db, "rep@demo.local").await;
    let manager = ctx_for(db, "manager@demo.local").await;
    let (dl, _) = erp_deal_in_objection_handling(db, &rep).await;
    let late = objection::create(db, &rep, dl.uuid, said(Category::PayAfterGoLive, "上线后再付款", Some("2026-11-10"))).await.unwrap();
    objection::create(db, &rep, dl.uuid, said(Category::PayAfterGoLive, "尾款要等验收", Some("2099-01-01"))).await.unwrap();
    let mine = objection::my_overdue(db, &rep).await.unwrap();
    assert!(mine.iter().any(|t| t.id == late.id && t.deal_id == dl.uuid), "{mine:?}");
    assert!(mine.iter().all(|t| t.due_on < chrono::Utc::now().date_naive()));
    assert!(objection::my_overdue(db, &manager).await.unwrap().iter().all(|t| t.id != late.id), "only the owner's list");

    // The team view: per category, the count equals the raw rows (an admin sees every deal).
    let report = objection::report(db, &ctx_for(db, "admin@demo.local").await).await.unwrap();
    let raw = objection_e::Entity::find().all(db).await.unwrap();
    for s in &report {
        let n = raw.iter().filter(|o| o.category == s.category.code()).count();
        assert_eq!(s.raised as usize, n, "{:?}", s.category);
        assert_eq!(s.raised, s.unresolved + s.resolved + s.dropped);
    }
    let report = objection::report(db, &manager).await.unwrap();
    let pay = report.iter().find(|s| s.category == Category::PayAfterGoLive).unwrap();
    assert_eq!((pay.unresolved, pay.deals, pay.at_stake_fen), (2, 1, 180_000_000));
    // A rep of another team sees none of it.
    let other = ctx_for(db, "rep2@demo.local").await;
    assert!(objection::report(db, &other).await.unwrap().iter().all(|s| s.category != Category::PayAfterGoLive));
}
