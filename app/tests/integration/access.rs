//! The access policy through the services: seeing is not changing (a rep sees a teammate's
//! deal and changes only their own and those they are on the team of), read-only roles
//! read, and every way in refuses the same. Also the regressions of issue 13: the deal
//! page's key-information save reaches the history, and far dates and huge amounts are
//! refused naming the field instead of overflowing.
use crate::common::{ctx_for, seeded};
use app::domain::dto::{DealPatch, MapPersonInput, MoveOutcome, NewActivity, NewDeal};
use app::domain::error::AppError;
use app::domain::keyinfo::KeyInfo;
use app::ssr::context::RequestContext;
use app::ssr::db::Db;
use app::ssr::entity::{deal, deal_history, deal_member, stage};
use app::ssr::service::{activity, checklist, comment, deal as deals, forecast, keyinfo, map, member, movement, quota, timeline};
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

/// A deal of `owner`'s that `other` is not on the team of.
async fn deal_of(db: &Db, owner: &RequestContext, other: &RequestContext) -> deal::Model {
    let theirs = deal::Entity::find().filter(deal::Column::OwnerId.eq(owner.user_id)).order_by_asc(deal::Column::Id).all(db).await.unwrap();
    for d in theirs {
        let on_team = deal_member::Entity::find_by_id((d.id, other.user_id)).one(db).await.unwrap().is_some();
        let open = stage::Entity::find_by_id(d.stage_id).one(db).await.unwrap().unwrap().kind == "open";
        if !on_team && open {
            return d;
        }
    }
    panic!("the demo has an open deal of {} without {}", owner.email, other.email)
}

fn refused<T: std::fmt::Debug>(r: Result<T, AppError>) -> AppError {
    r.expect_err("refused")
}

fn amount_patch(d: &deal::Model, fen: i64) -> DealPatch {
    DealPatch { version: d.version, amount_fen: Some(fen), ..Default::default() }
}

async fn fresh(db: &Db, d: &deal::Model) -> deal::Model {
    deal::Entity::find_by_id(d.id).one(db).await.unwrap().unwrap()
}

fn an_activity() -> NewActivity {
    NewActivity {
        kind: "call".into(),
        at: app::domain::activity::ActivityAt::Day(chrono::Utc::now().date_naive()),
        channel: None,
        people: None,
        summary: "Called the CFO".into(),
        satisfaction: None,
        new_needs: None,
        next_action: None,
        next_owner: None,
        next_due: None,
    }
}

/// Regression: rep@ set a colleague's deal amount to ¥1 and moved the colleague's deals.
#[tokio::test]
async fn a_rep_sees_a_teammates_deal_but_changes_only_after_joining_its_team() {
    let t = seeded().await;
    let db = &t.db;
    let rep = ctx_for(db, "rep@demo.local").await;
    let mate = ctx_for(db, "rep3@demo.local").await;
    assert_eq!(rep.team_id, mate.team_id, "the demo puts both in East");
    let d = deal_of(db, &mate, &rep).await;
    let stages = stage::Entity::find()
        .filter(stage::Column::PipelineId.eq(d.pipeline_id))
        .order_by_asc(stage::Column::Position)
        .all(db)
        .await
        .unwrap();
    let next = stages.iter().find(|s| s.position > stages.iter().find(|x| x.id == d.stage_id).unwrap().position).unwrap();

    // Seeing: the deal, its key information, its map, its timeline.
    deals::one(db, &rep, d.uuid).await.unwrap();
    let (ki, kv) = keyinfo::get(db, &rep, d.uuid).await.unwrap();
    map::get(db, &rep, d.uuid).await.unwrap();
    timeline::timeline(db, &rep, d.uuid, None).await.unwrap();

    // Changing: refused on every path, and nothing changed.
    assert_eq!(refused(deals::patch(db, &rep, d.uuid, amount_patch(&d, 100)).await), AppError::Forbidden);
    let mv = movement::MoveCommand { deal: d.uuid, to_stage: next.uuid, version: d.version, reason: None, lost_reason: None };
    assert_eq!(refused(movement::move_deal(db, &rep, mv.clone()).await), AppError::Forbidden);
    assert_eq!(refused(keyinfo::update(db, &rep, d.uuid, ki.clone(), kv).await), AppError::Forbidden);
    assert_eq!(refused(map::put(db, &rep, d.uuid, Vec::<MapPersonInput>::new()).await), AppError::Forbidden);
    assert_eq!(refused(checklist::attach(db, &rep, d.uuid, "demo").await), AppError::Forbidden);
    assert_eq!(refused(activity::log(db, &rep, d.uuid, an_activity()).await), AppError::Forbidden);
    assert_eq!(refused(member::add(db, &rep, d.uuid, rep.uuid, "pm").await), AppError::Forbidden);
    let after = fresh(db, &d).await;
    assert_eq!((after.amount_fen, after.stage_id, after.version), (d.amount_fen, d.stage_id, d.version));
    // Commenting is for everyone who sees the deal.
    comment::add(db, &rep, d.uuid, "Looks close").await.unwrap();

    // The owner puts the rep on the deal team: now the rep changes it.
    member::add(db, &mate, d.uuid, rep.uuid, "pm").await.unwrap();
    deals::patch(db, &rep, d.uuid, amount_patch(&d, d.amount_fen + 100)).await.unwrap();
    activity::log(db, &rep, d.uuid, an_activity()).await.unwrap();

    // The team's manager changes it; another team's manager does not even see it.
    let manager = ctx_for(db, "manager@demo.local").await;
    let d2 = fresh(db, &d).await;
    deals::patch(db, &manager, d.uuid, amount_patch(&d2, d2.amount_fen + 100)).await.unwrap();
    let manager2 = ctx_for(db, "manager2@demo.local").await;
    let d3 = fresh(db, &d).await;
    assert_eq!(refused(deals::patch(db, &manager2, d.uuid, amount_patch(&d3, 1)).await), AppError::NotFound);
}

/// Executives, general managers and legal read; a general manager may still adjust the
/// forecast category, and the gate answers a read-only role's move as before.
#[tokio::test]
async fn read_only_roles_read_and_a_gm_adjusts_the_forecast() {
    let t = seeded().await;
    let db = &t.db;
    let rep = ctx_for(db, "rep@demo.local").await;
    let exec = ctx_for(db, "exec@demo.local").await;
    let d = deal_of(db, &rep, &exec).await;
    for who in ["exec@demo.local", "gm@demo.local", "legal@demo.local"] {
        let ctx = ctx_for(db, who).await;
        let now = fresh(db, &d).await;
        deals::one(db, &ctx, d.uuid).await.unwrap();
        assert_eq!(refused(deals::patch(db, &ctx, d.uuid, amount_patch(&now, 1)).await), AppError::Forbidden, "{who}");
        assert_eq!(refused(activity::log(db, &ctx, d.uuid, an_activity()).await), AppError::Forbidden, "{who}");
        let s = stage::Entity::find()
            .filter(stage::Column::PipelineId.eq(d.pipeline_id))
            .order_by_desc(stage::Column::Position)
            .one(db)
            .await
            .unwrap()
            .unwrap();
        let mv = movement::MoveCommand { deal: d.uuid, to_stage: s.uuid, version: now.version, reason: None, lost_reason: None };
        assert_eq!(movement::move_deal(db, &ctx, mv).await.unwrap(), MoveOutcome::Forbidden { reason: "read_only_role".into() }, "{who}");
    }
    let gm = ctx_for(db, "gm@demo.local").await;
    let now = fresh(db, &d).await;
    let adjust = DealPatch { version: now.version, manager_category: Some("commit".into()), ..Default::default() };
    assert_eq!(deals::patch(db, &gm, d.uuid, adjust).await.unwrap().manager_category.as_deref(), Some("commit"));
    let exec_adjust = DealPatch { version: now.version + 1, manager_category: Some("pipeline".into()), ..Default::default() };
    assert_eq!(refused(deals::patch(db, &exec, d.uuid, exec_adjust).await), AppError::Forbidden);
}

/// Regression: the deal page's key-information save did not reach the history or the
/// timeline (only REST PATCH did). Both now write through one function.
#[tokio::test]
async fn the_deal_pages_key_information_save_is_in_the_history_and_the_timeline() {
    let t = seeded().await;
    let db = &t.db;
    let rep = ctx_for(db, "rep@demo.local").await;
    let exec = ctx_for(db, "exec@demo.local").await;
    let d = deal_of(db, &rep, &exec).await;
    let count = || async {
        deal_history::Entity::find()
            .filter(deal_history::Column::DealId.eq(d.id))
            .filter(deal_history::Column::Kind.eq("key_info_changed"))
            .all(db)
            .await
            .unwrap()
            .len()
    };
    let before = count().await;
    let (mut ki, v) = keyinfo::get(db, &rep, d.uuid).await.unwrap();
    ki.motivation = Some("新工厂投产，旧系统无法支撑".into());
    keyinfo::update(db, &rep, d.uuid, ki, v).await.unwrap();
    assert_eq!(count().await, before + 1, "the form's save appends one history row");
    let tl = timeline::timeline(db, &rep, d.uuid, Some(vec!["key_info".into()])).await.unwrap();
    assert!(tl.iter().any(|e| e.kind == "key_info_changed"), "{tl:?}");
    // REST PATCH goes through the same writer: one more row.
    let now = fresh(db, &d).await;
    let p = DealPatch { version: now.version, key_info: Some(serde_json::json!({"competitors": "金蝶"})), ..Default::default() };
    deals::patch(db, &rep, d.uuid, p).await.unwrap();
    assert_eq!(count().await, before + 2);
    assert_eq!(keyinfo::get(db, &rep, d.uuid).await.unwrap().0.competitors.as_deref(), Some("金蝶"));
    // A stale form version is a conflict, and writes nothing.
    assert_eq!(refused(keyinfo::update(db, &rep, d.uuid, KeyInfo::default(), v).await), AppError::Conflict);
    assert_eq!(count().await, before + 2);
}

fn field(e: AppError) -> String {
    match e {
        AppError::Validation { field, .. } => field,
        other => panic!("expected a validation error, got {other:?}"),
    }
}

/// Regression: `to=+262142-12-31` panicked in the day arithmetic, and an amount near
/// `i64::MAX` overflowed the sums. Both are refused naming the field; nothing is written.
#[tokio::test]
async fn far_dates_and_huge_amounts_are_refused_naming_the_field() {
    let t = seeded().await;
    let db = &t.db;
    let rep = ctx_for(db, "rep@demo.local").await;
    let exec = ctx_for(db, "exec@demo.local").await;
    let far = NaiveDate::from_ymd_opt(262_142, 12, 31).unwrap();
    assert_eq!(field(refused(forecast::progress_between(db, &exec, None, Some(far)).await)), "to");
    assert_eq!(field(refused(forecast::progress_between(db, &exec, Some(NaiveDate::MIN), None).await)), "from");

    let d = deal_of(db, &rep, &exec).await;
    assert_eq!(field(refused(deals::patch(db, &rep, d.uuid, amount_patch(&d, i64::MAX)).await)), "amount");
    let late = DealPatch { version: d.version, close_date: Some(far), ..Default::default() };
    assert_eq!(field(refused(deals::patch(db, &rep, d.uuid, late).await)), "close_date");
    assert_eq!(fresh(db, &d).await.version, d.version, "nothing written");
    // The largest allowed amount is accepted.
    deals::patch(db, &rep, d.uuid, amount_patch(&d, app::domain::validate::MAX_FEN)).await.unwrap();

    let account = app::ssr::entity::account::Entity::find_by_id(d.account_id).one(db).await.unwrap().unwrap();
    let new = |amount_fen, close_date| NewDeal {
        name: "Bounds".into(),
        account: account.uuid,
        pipeline: None,
        owner: None,
        amount_fen,
        currency: None,
        close_date,
    };
    let today = chrono::Utc::now().date_naive();
    assert_eq!(field(refused(deals::create(db, &rep, new(i64::MAX, today)).await)), "amount");
    assert_eq!(field(refused(deals::create(db, &rep, new(1, far)).await)), "close_date");

    let manager = ctx_for(db, "manager@demo.local").await;
    let q = quota::QuotaInput { user: "rep@demo.local".into(), period_start: today, period_end: today, amount_fen: i64::MAX };
    assert_eq!(field(refused(quota::upsert(db, &manager, &q).await)), "amount");
}
