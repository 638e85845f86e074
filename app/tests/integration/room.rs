#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The deal room through its services: the new gate requirements (decision maker on the map,
//! demo checklist complete) block and then allow moves; membership decides what a presales
//! user sees; mentions notify only those who can see the deal; reporting loops and stale
//! versions are refused; late activity entries are flagged. SQLite, or PostgreSQL with
//! TEST_DATABASE_URL.
use crate::common;

use crate::common::{ctx_for, seeded};
use app::domain::activity::ActivityAt;
use app::domain::dto::{ChecklistItemEdit, MapPersonEdit, MapPersonInput, MoveOutcome, NewActivity};
use app::domain::error::AppError;
use app::domain::keyinfo::KeyInfo;
use app::ssr::context::RequestContext;
use app::ssr::db::Db;
use app::ssr::entity::{deal, deal_member, pipeline, stage};
use app::ssr::service::{activity, approval, checklist, comment, map, member, movement, timeline};
use chrono::{Duration, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

async fn stages_of(db: &Db, code: &str) -> Vec<stage::Model> {
    let p = pipeline::Entity::find().filter(pipeline::Column::Code.eq(code)).one(db).await.unwrap().unwrap();
    stage::Entity::find().filter(stage::Column::PipelineId.eq(p.id)).order_by_asc(stage::Column::Position).all(db).await.unwrap()
}

/// A deal owned by `ctx` in `stage`, moved there directly if the demo has none, with
/// complete key information and an empty map, so only the room's requirements are in play.
async fn deal_at(db: &Db, ctx: &RequestContext, st: &stage::Model) -> deal::Model {
    let d = deal::Entity::find()
        .filter(deal::Column::OwnerId.eq(ctx.user_id))
        .filter(deal::Column::PipelineId.eq(st.pipeline_id))
        .order_by_asc(deal::Column::Id)
        .one(db)
        .await
        .unwrap()
        .expect("the rep owns a solution deal");
    deal::Entity::update_many()
        .col_expr(deal::Column::StageId, sea_orm::sea_query::Expr::value(st.id))
        .filter(deal::Column::Id.eq(d.id))
        .exec(db)
        .await
        .unwrap();
    app::ssr::service::totals::rebuild(db).await.unwrap();
    let (_, v) = app::ssr::service::keyinfo::get(db, ctx, d.uuid).await.unwrap();
    let mut k = KeyInfo {
        vendor_pick: "2027-01-01".parse().ok(),
        signing: "2027-02-01".parse().ok(),
        budgeted: Some(true),
        budget_fen: Some(1),
        ..Default::default()
    };
    for f in [
        &mut k.motivation,
        &mut k.problems,
        &mut k.functional_scope,
        &mut k.decision_makers,
        &mut k.decision_process,
        &mut k.competitors,
        &mut k.leader,
        &mut k.evaluation_items,
    ] {
        *f = Some("x".into());
    }
    app::ssr::service::keyinfo::update(db, ctx, d.uuid, k, v).await.unwrap();
    map::put(db, ctx, d.uuid, vec![]).await.unwrap();
    deal::Entity::find_by_id(d.id).one(db).await.unwrap().unwrap()
}

async fn reload(db: &Db, d: &deal::Model) -> deal::Model {
    deal::Entity::find_by_id(d.id).one(db).await.unwrap().unwrap()
}

fn cmd(d: &deal::Model, to: &stage::Model) -> movement::MoveCommand {
    movement::MoveCommand { deal: d.uuid, to_stage: to.uuid, version: d.version, reason: None, lost_reason: None }
}

fn person(contact: uuid::Uuid, up: Option<uuid::Uuid>, role: Option<&str>, pct: i32) -> MapPersonInput {
    MapPersonInput {
        contact_id: contact,
        reports_to: up,
        role: role.map(str::to_owned),
        influence_pct: pct,
        attitude: None,
        relationship: None,
        last_contact: None,
    }
}

fn missing(o: &MoveOutcome) -> Vec<String> {
    match o {
        MoveOutcome::Blocked { missing } => missing.iter().map(|m| m.code.clone()).collect(),
        other => panic!("expected blocked, got {other:?}"),
    }
}

#[tokio::test]
async fn the_decision_maker_and_the_demo_checklist_block_then_allow() {
    let t = seeded().await;
    let db = &t.db;
    let rep = ctx_for(db, "rep@demo.local").await;
    let manager = ctx_for(db, "manager@demo.local").await;
    let s = stages_of(db, "solution").await;
    let d = deal_at(db, &rep, &s[1]).await;

    // Stage 3 needs a decision maker: blocked before approval is even asked.
    let out = movement::move_deal(db, &rep, cmd(&d, &s[2])).await.unwrap();
    assert_eq!(missing(&out), ["contact_role.decision_maker"]);
    common::add_decision_maker(db, &rep, d.uuid).await;
    let id = match movement::move_deal(db, &rep, cmd(&d, &s[2])).await.unwrap() {
        MoveOutcome::PendingApproval { approval_id, .. } => approval_id,
        other => panic!("{other:?}"),
    };
    // Taken off the map before the manager decides: the re-check blocks the move.
    let dm = map::get(db, &rep, d.uuid).await.unwrap().people[0].contact_id;
    map::remove_person(db, &rep, d.uuid, dm).await.unwrap();
    let row = approval::decide(db, &manager, id, true, None).await.unwrap();
    assert_eq!(row.result.as_deref(), Some("blocked:contact_role.decision_maker"));
    assert_eq!(reload(db, &d).await.stage_id, s[1].id);
    common::add_decision_maker(db, &rep, d.uuid).await;
    let id = match movement::move_deal(db, &rep, cmd(&d, &s[2])).await.unwrap() {
        MoveOutcome::PendingApproval { approval_id, .. } => approval_id,
        other => panic!("{other:?}"),
    };
    assert_eq!(approval::decide(db, &manager, id, true, None).await.unwrap().result.as_deref(), Some("moved"));
    let d = reload(db, &d).await;
    assert_eq!(d.stage_id, s[2].id);

    // Stage 4 needs a complete demo checklist; a proposal checklist does not count.
    assert_eq!(missing(&movement::move_deal(db, &rep, cmd(&d, &s[3])).await.unwrap()), ["checklist.demo"]);
    let proposal = checklist::attach(db, &rep, d.uuid, "proposal").await.unwrap();
    for i in &proposal.items {
        checklist::edit_item(db, &rep, i.id, ChecklistItemEdit { version: i.version, done: Some(true), ..Default::default() })
            .await
            .unwrap();
    }
    let demo = checklist::attach(db, &rep, d.uuid, "demo").await.unwrap();
    assert_eq!((demo.done, demo.total, demo.complete), (0, 8, false));
    let (last, rest) = demo.items.split_last().unwrap();
    for i in rest {
        checklist::edit_item(db, &rep, i.id, ChecklistItemEdit { version: i.version, done: Some(true), ..Default::default() })
            .await
            .unwrap();
    }
    assert_eq!(missing(&movement::move_deal(db, &rep, cmd(&d, &s[3])).await.unwrap()), ["checklist.demo"], "7 of 8 is not complete");
    let after =
        checklist::edit_item(db, &rep, last.id, ChecklistItemEdit { version: last.version, done: Some(true), ..Default::default() })
            .await
            .unwrap();
    assert!(after.complete);
    assert!(matches!(movement::move_deal(db, &rep, cmd(&d, &s[3])).await.unwrap(), MoveOutcome::Moved { .. }));

    // The timeline merges the move, the approvals and the ticks, newest first, and filters.
    let all = timeline::timeline(db, &rep, d.uuid, None).await.unwrap();
    assert!(all.windows(2).all(|w| w[0].at >= w[1].at));
    for g in ["move", "approval", "checklist"] {
        assert!(all.iter().any(|e| e.group == g), "{g} on the timeline");
    }
    let ticks = timeline::timeline(db, &rep, d.uuid, Some(vec!["checklist".into()])).await.unwrap();
    assert_eq!(ticks.len(), 14);
    assert!(ticks.iter().all(|e| e.kind == "checklist_ticked" && e.actor.is_some()));
}

#[tokio::test]
async fn a_presales_user_sees_a_deal_only_as_a_member() {
    let t = seeded().await;
    let db = &t.db;
    let rep = ctx_for(db, "rep@demo.local").await;
    let rep3 = ctx_for(db, "rep3@demo.local").await;
    let presales = ctx_for(db, "presales@demo.local").await;
    let s = stages_of(db, "solution").await;
    let d = deal_at(db, &rep, &s[0]).await;
    deal_member::Entity::delete_many()
        .filter(deal_member::Column::DealId.eq(d.id))
        .filter(deal_member::Column::UserId.eq(presales.user_id))
        .exec(db)
        .await
        .unwrap();
    assert_eq!(map::get(db, &presales, d.uuid).await.unwrap_err(), AppError::NotFound);
    assert_eq!(checklist::list(db, &presales, d.uuid).await.unwrap_err(), AppError::NotFound);
    assert_eq!(checklist::attach(db, &presales, d.uuid, "demo").await.unwrap_err(), AppError::NotFound);
    assert_eq!(comment::list(db, &presales, d.uuid, None, comment::PAGE_DEFAULT).await.unwrap_err(), AppError::NotFound);

    // A teammate who does not own the deal cannot manage its team; the owner can.
    assert_eq!(member::add(db, &rep3, d.uuid, presales.uuid, "presales").await.unwrap_err(), AppError::Forbidden);
    assert!(matches!(member::add(db, &rep, d.uuid, presales.uuid, "owner").await.unwrap_err(), AppError::Validation { .. }));
    let team = member::add(db, &rep, d.uuid, presales.uuid, "presales").await.unwrap();
    assert!(team.iter().any(|m| m.user_id == presales.uuid && m.role == "presales"));
    assert_eq!(team[0].role, "owner");

    // Now the presales user sees it, attaches a checklist, assigns and annotates an item.
    map::get(db, &presales, d.uuid).await.unwrap();
    let c = checklist::attach(db, &presales, d.uuid, "demo").await.unwrap();
    let i = &c.items[0];
    let yesterday = Utc::now().date_naive() - Duration::days(2);
    let edit = ChecklistItemEdit {
        version: i.version,
        assign: Some((Some(presales.uuid), Some(yesterday))),
        annotate: Some((Some("客户关注多工厂".into()), Some("https://example.com/demo-script".into()))),
        ..Default::default()
    };
    let c2 = checklist::edit_item(db, &presales, i.id, edit).await.unwrap();
    assert_eq!(c2.items[0].owner.as_deref(), Some("孙丽"));
    assert!(c2.items[0].overdue && c2.overdue == 1);
    let bad = ChecklistItemEdit {
        version: c2.items[0].version,
        annotate: Some((None, Some("javascript:alert(1)".into()))),
        ..Default::default()
    };
    assert!(
        matches!(checklist::edit_item(db, &presales, i.id, bad).await.unwrap_err(), AppError::Validation { field, .. } if field == "link")
    );
    let mine = checklist::mine(db, &presales).await.unwrap();
    assert!(mine.iter().any(|m| m.id == c.id && m.overdue == 1));

    // Removed again: gone from sight, and from "My checklists".
    member::remove(db, &rep, d.uuid, presales.uuid).await.unwrap();
    assert_eq!(map::get(db, &presales, d.uuid).await.unwrap_err(), AppError::NotFound);
    assert!(checklist::mine(db, &presales).await.unwrap().iter().all(|m| m.id != c.id));
    assert!(matches!(member::remove(db, &rep, d.uuid, rep.uuid).await.unwrap_err(), AppError::Validation { .. }), "the owner stays");
}

#[tokio::test]
async fn mentions_notify_those_who_can_see_the_deal() {
    let t = seeded().await;
    let db = &t.db;
    let rep = ctx_for(db, "rep@demo.local").await;
    let presales = ctx_for(db, "presales@demo.local").await;
    let rep2 = ctx_for(db, "rep2@demo.local").await;
    let manager = ctx_for(db, "manager@demo.local").await;
    let s = stages_of(db, "solution").await;
    let d = deal_at(db, &rep, &s[0]).await;
    member::add(db, &rep, d.uuid, presales.uuid, "presales").await.unwrap();
    let before2 = comment::unread_count(db, &rep2).await.unwrap();
    let before_m = comment::unread_count(db, &manager).await.unwrap();

    // By name (Chinese, no space needed before it) and by e-mail local part; rep2 is in
    // another team and cannot see the deal, the author is not notified of themself.
    let c = comment::add(db, &rep, d.uuid, "请@孙丽 准备演示，@manager 知悉。@rep2 @rep").await.unwrap();
    let mut who = c.mentioned.clone();
    who.sort();
    assert_eq!(who, ["孙丽", "李伟"]);
    assert_eq!(comment::unread_count(db, &presales).await.unwrap(), 1);
    assert_eq!(comment::unread_count(db, &manager).await.unwrap(), before_m + 1);
    assert_eq!(comment::unread_count(db, &rep2).await.unwrap(), before2, "no notification leaks the deal");
    let n = comment::notifications(db, &presales, true).await.unwrap();
    assert_eq!((n.len(), n[0].deal_id, n[0].kind.as_str()), (1, d.uuid, "mention"));
    assert!(n[0].text.contains("准备演示"));
    assert_eq!(comment::mark_read(db, &rep2, Some(vec![n[0].id])).await.unwrap(), 0, "only one's own");
    assert_eq!(comment::mark_read(db, &presales, None).await.unwrap(), 1);
    assert_eq!(comment::unread_count(db, &presales).await.unwrap(), 0);
    assert!(comment::notifications(db, &presales, false).await.unwrap()[0].read);
    let listed = comment::list(db, &presales, d.uuid, None, comment::PAGE_DEFAULT).await.unwrap();
    assert_eq!(listed.rows[0].id, c.id);
    assert!(matches!(comment::add(db, &rep, d.uuid, "   ").await.unwrap_err(), AppError::Validation { field, .. } if field == "body"));
    assert!(timeline::timeline(db, &rep, d.uuid, Some(vec!["comment".into()])).await.unwrap().iter().all(|e| e.group == "comment"));
}

#[tokio::test]
async fn a_chinese_mention_needs_no_space_after_the_name() {
    let t = seeded().await;
    let db = &t.db;
    let rep = ctx_for(db, "rep@demo.local").await;
    let manager = ctx_for(db, "manager@demo.local").await;
    let s = stages_of(db, "solution").await;
    let d = deal_at(db, &rep, &s[0]).await;
    let before = comment::unread_count(db, &manager).await.unwrap();
    let c = comment::add(db, &rep, d.uuid, "@李伟请帮忙看一下报价").await.unwrap();
    assert_eq!(c.mentioned, ["李伟"]);
    assert_eq!(comment::unread_count(db, &manager).await.unwrap(), before + 1);
}

/// The "@" list offers exactly those a mention would notify: active users who can see the
/// deal, the writer left out; another team's rep is not offered (and would not be notified).
#[tokio::test]
async fn the_mention_list_is_who_a_mention_would_notify() {
    let t = seeded().await;
    let db = &t.db;
    let rep = ctx_for(db, "rep@demo.local").await;
    let s = stages_of(db, "solution").await;
    let d = deal_at(db, &rep, &s[0]).await;
    let people = comment::mention_candidates(db, &rep, d.uuid).await.unwrap();
    let handles: Vec<&str> = people.iter().map(|p| p.handle.as_str()).collect();
    for (h, offered) in [("manager", true), ("rep3", true), ("exec", true), ("rep", false), ("rep2", false), ("manager2", false)] {
        assert_eq!(handles.contains(&h), offered, "{h} in {handles:?}");
    }
    let names: Vec<&str> = people.iter().map(|p| p.name.as_str()).collect();
    assert!(names.windows(2).all(|w| w[0] <= w[1]), "by name: {names:?}");
    // Each offered person is notified when mentioned; someone not offered is not.
    let c = comment::add(db, &rep, d.uuid, &format!("@{} @rep2 请看", people[0].name)).await.unwrap();
    assert_eq!(c.mentioned, [people[0].name.clone()]);
    // Another team's rep cannot ask (the deal is hidden from them).
    let rep2 = ctx_for(db, "rep2@demo.local").await;
    assert_eq!(comment::mention_candidates(db, &rep2, d.uuid).await.unwrap_err(), AppError::NotFound);
}

#[tokio::test]
async fn the_owner_adds_a_colleague_from_the_candidates() {
    let t = seeded().await;
    let db = &t.db;
    let rep = ctx_for(db, "rep@demo.local").await;
    let presales = ctx_for(db, "presales@demo.local").await;
    let rep2 = ctx_for(db, "rep2@demo.local").await;
    let s = stages_of(db, "solution").await;
    let d = deal_at(db, &rep, &s[0]).await;
    let before = member::candidates(db, &rep, d.uuid).await.unwrap();
    assert!(before.iter().any(|c| c.user_id == presales.uuid && c.role == "presales"));
    assert!(before.iter().all(|c| c.user_id != rep.uuid), "the owner is on the team already");
    assert!(before.iter().all(|c| ["rep", "presales", "manager"].contains(&c.role.as_str())));
    member::add(db, &rep, d.uuid, presales.uuid, "presales").await.unwrap();
    let after = member::candidates(db, &rep, d.uuid).await.unwrap();
    assert_eq!(after.len(), before.len() - 1);
    assert!(after.iter().all(|c| c.user_id != presales.uuid));
    // Another team's rep learns nothing; a member who may not manage the team is refused.
    assert_eq!(member::candidates(db, &rep2, d.uuid).await.unwrap_err(), AppError::NotFound);
    assert!(matches!(member::candidates(db, &presales, d.uuid).await.unwrap_err(), AppError::Forbidden | AppError::NotFound));
}

#[tokio::test]
async fn reporting_loops_are_refused_and_stale_versions_conflict() {
    let t = seeded().await;
    let db = &t.db;
    let rep = ctx_for(db, "rep@demo.local").await;
    let s = stages_of(db, "solution").await;
    let d = deal_at(db, &rep, &s[0]).await;
    let m = map::get(db, &rep, d.uuid).await.unwrap();
    assert!(m.people.is_empty());
    assert_eq!(m.warnings.iter().map(|w| w.code.as_str()).collect::<Vec<_>>(), ["no_decision_maker", "no_coach"]);
    // Three people: a new contact made from the map, plus two of the account's.
    let new = app::domain::dto::NewContact {
        name: "钱总".into(),
        title: Some("总经理".into()),
        department: Some("总经办".into()),
        phone: None,
        email: None,
    };
    let m = map::create_person(db, &rep, d.uuid, new, None).await.unwrap();
    let gm = m.people[0].contact_id;
    let c1 = m.candidates[0].id;
    let c2 = m.candidates[1].id;
    let put = vec![person(gm, None, Some("decision_maker"), 60), person(c1, Some(gm), Some("coach"), 30), person(c2, Some(c1), None, 10)];
    let m = map::put(db, &rep, d.uuid, put).await.unwrap();
    assert_eq!(m.people.len(), 3);
    assert!(m.warnings.iter().all(|w| w.code != "weights_not_100" && w.code != "no_decision_maker"));
    let top = m.people.iter().find(|p| p.contact_id == gm).unwrap();
    assert_eq!(top.depth, 0);
    assert_eq!(m.people.iter().find(|p| p.contact_id == c2).unwrap().depth, 2);

    // A whole map with a loop, and a drag that would close one: both refused with the names.
    let looped = vec![person(gm, Some(c2), Some("decision_maker"), 60), person(c1, Some(gm), None, 30), person(c2, Some(c1), None, 10)];
    match map::put(db, &rep, d.uuid, looped).await.unwrap_err() {
        AppError::Validation { field, message } => {
            assert_eq!(field, "reports_to");
            assert!(message.contains("钱总") && message.contains("loop"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    let v = top.version;
    match map::set_reports_to(db, &rep, d.uuid, gm, Some(c2), v).await.unwrap_err() {
        AppError::Validation { field, message } => assert!(field == "reports_to" && message.contains("→"), "{message}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(map::get(db, &rep, d.uuid).await.unwrap().people, m.people, "refused changes leave the map as it was");
    let unknown = vec![person(gm, Some(uuid::Uuid::new_v4()), None, 100)];
    assert!(matches!(map::put(db, &rep, d.uuid, unknown).await.unwrap_err(), AppError::Validation { .. }));

    // The drag that is fine, then the same stale version again: a conflict.
    let moved =
        map::set_reports_to(db, &rep, d.uuid, c2, Some(gm), m.people.iter().find(|p| p.contact_id == c2).unwrap().version).await.unwrap();
    let p2 = moved.people.iter().find(|p| p.contact_id == c2).unwrap();
    assert_eq!(p2.reports_to, Some(gm));
    let edit = |version: i32, pct: i32| MapPersonEdit {
        contact_id: c2,
        version,
        role: Some("technical_evaluator".into()),
        influence_pct: pct,
        attitude: "opponent".into(),
        relationship: 2,
        last_contact: None,
    };
    map::update_person(db, &rep, d.uuid, edit(p2.version, 10)).await.unwrap();
    assert_eq!(map::update_person(db, &rep, d.uuid, edit(p2.version, 20)).await.unwrap_err(), AppError::Conflict);
    assert!(matches!(
        map::update_person(db, &rep, d.uuid, edit(p2.version + 1, 101)).await.unwrap_err(),
        AppError::Validation { field, .. } if field == "influence_pct"
    ));
    assert!(matches!(
        map::update_person(db, &rep, d.uuid, MapPersonEdit { attitude: "angry".into(), ..edit(p2.version + 1, 10) }).await.unwrap_err(),
        AppError::Validation { field, .. } if field == "attitude"
    ));
    // Removing the coach lifts the person below them up to the boss.
    let m = map::remove_person(db, &rep, d.uuid, c1).await.unwrap();
    assert!(m.people.iter().all(|p| p.reports_to == Some(gm) || p.contact_id == gm));

    // Checklist items are versioned too.
    let c = checklist::attach(db, &rep, d.uuid, "proposal").await.unwrap();
    let i = &c.items[0];
    checklist::edit_item(db, &rep, i.id, ChecklistItemEdit { version: i.version, done: Some(true), ..Default::default() }).await.unwrap();
    let stale =
        checklist::edit_item(db, &rep, i.id, ChecklistItemEdit { version: i.version, done: Some(false), ..Default::default() }).await;
    assert_eq!(stale.unwrap_err(), AppError::Conflict);
    // Another team cannot reach an item by its id.
    let rep2 = ctx_for(db, "rep2@demo.local").await;
    let other =
        checklist::edit_item(db, &rep2, i.id, ChecklistItemEdit { version: i.version + 1, done: Some(false), ..Default::default() }).await;
    assert_eq!(other.unwrap_err(), AppError::NotFound);
}

#[tokio::test]
async fn late_entries_are_flagged_and_tasks_are_bucketed() {
    let t = seeded().await;
    let db = &t.db;
    let rep = ctx_for(db, "rep@demo.local").await;
    let rep3 = ctx_for(db, "rep3@demo.local").await;
    let s = stages_of(db, "solution").await;
    let d = deal_at(db, &rep, &s[0]).await;
    let now = Utc::now();
    let today = now.with_timezone(&app::ssr::service::forecast::offset()).date_naive();
    let entry = |at: ActivityAt, next: Option<(&str, chrono::NaiveDate)>| NewActivity {
        kind: "visit".into(),
        at,
        channel: Some("现场".into()),
        people: Some("钱总、IT经理".into()),
        summary: "演示了多工厂合并报表".into(),
        satisfaction: Some(4),
        new_needs: Some("移动审批".into()),
        next_action: next.map(|n| n.0.to_owned()),
        next_owner: next.map(|_| rep3.uuid),
        next_due: next.map(|n| n.1),
    };
    let late = activity::log(db, &rep, d.uuid, entry(ActivityAt::Time(now - Duration::hours(49)), None)).await.unwrap();
    assert!(late.late);
    let on_time =
        activity::log(db, &rep, d.uuid, entry(ActivityAt::Time(now - Duration::hours(23)), Some(("发报价", today - Duration::days(3)))))
            .await;
    // The follow-up is dated before the activity itself.
    assert!(matches!(on_time.unwrap_err(), AppError::Validation { field, .. } if field == "next_due"));
    let two_days_ago = today - Duration::days(2);
    let a =
        activity::log(db, &rep, d.uuid, entry(ActivityAt::Day(two_days_ago), Some(("发报价", today - Duration::days(1))))).await.unwrap();
    assert!(a.late && a.all_day, "a day two days ago is past the end of the day after");
    let b = activity::log(db, &rep, d.uuid, entry(ActivityAt::Time(now - Duration::hours(2)), Some(("约高层", today)))).await.unwrap();
    assert!(!b.late);
    let blank = NewActivity { summary: " ".into(), ..entry(ActivityAt::Time(now), None) };
    assert!(matches!(activity::log(db, &rep, d.uuid, blank).await.unwrap_err(), AppError::Validation { field, .. } if field == "summary"));
    let future = entry(ActivityAt::Time(now + Duration::hours(3)), None);
    assert!(matches!(activity::log(db, &rep, d.uuid, future).await.unwrap_err(), AppError::Validation { field, .. } if field == "at"));

    let listed = activity::list(db, &rep, d.uuid).await.unwrap();
    assert_eq!(listed.len(), 3);
    assert_eq!(listed.iter().filter(|x| x.late).count(), 2);
    let counts = activity::late_by_rep(db, &rep, now - Duration::days(1), now + Duration::days(1)).await.unwrap();
    let mine = counts.iter().find(|c| c.rep_id == rep.uuid).unwrap();
    assert_eq!((mine.late, mine.total), (2, 3));

    // rep3 owns the follow-ups: one overdue, one due today.
    let tasks = activity::my_tasks(db, &rep3).await.unwrap();
    let buckets: Vec<&str> = tasks.iter().filter(|t| t.deal_id == d.uuid).map(|t| t.bucket.as_str()).collect();
    assert_eq!(buckets, ["overdue", "today"]);
    assert!(activity::my_tasks(db, &rep).await.unwrap().iter().all(|t| t.deal_id != d.uuid));
    let first = tasks.iter().find(|t| t.deal_id == d.uuid).unwrap();
    activity::complete_task(db, &rep3, first.activity_id, first.version).await.unwrap();
    assert_eq!(activity::complete_task(db, &rep3, first.activity_id, first.version).await.unwrap_err(), AppError::Conflict);
    let left: Vec<String> =
        activity::my_tasks(db, &rep3).await.unwrap().into_iter().filter(|t| t.deal_id == d.uuid).map(|t| t.bucket).collect();
    assert_eq!(left, ["today"]);
    let tl = timeline::timeline(db, &rep, d.uuid, Some(vec!["activity".into()])).await.unwrap();
    assert_eq!(tl.iter().filter(|e| e.late).count(), 2);
}

#[tokio::test]
async fn the_demo_seed_satisfies_the_new_gates() {
    let t = seeded().await;
    let db = &t.db;
    let s = stages_of(db, "solution").await;
    let deals = deal::Entity::find().filter(deal::Column::PipelineId.eq(s[0].pipeline_id)).all(db).await.unwrap();
    let pos = |id: i32| s.iter().find(|x| x.id == id).map(|x| (x.position, x.kind.clone())).unwrap();
    let mut full_maps = 0;
    let mut open_lists = 0;
    for d in &deals {
        let (p, kind) = pos(d.stage_id);
        let nodes = map::gate_map(db, d.id).await.unwrap();
        let lists = checklist::gate_checklists(db, d.id).await.unwrap();
        if kind == "open" && p >= 3 || kind == "won" {
            assert!(app::domain::committee::has_role(&nodes, app::domain::committee::ContactRole::DecisionMaker), "deal {}", d.id);
        }
        if kind == "open" && p >= 4 || kind == "won" {
            assert!(lists.iter().any(|(k, c)| *k == app::domain::checklist::ChecklistKind::Demo && *c), "deal {}", d.id);
        }
        if nodes.len() >= 5 {
            assert_eq!(app::domain::committee::weight_sum(&nodes), 100);
            assert!(app::domain::committee::validate(&nodes).is_ok());
            full_maps += 1;
        }
        open_lists += lists.iter().filter(|(_, c)| !c).count();
    }
    assert!(full_maps >= 3, "some deals show a full committee ({full_maps})");
    assert!(open_lists >= 3, "some deals carry open checklists ({open_lists})");
}

/// Admins edit a checklist template (names, lines, order); checklists attached afterwards get
/// the new lines, those already on deals keep theirs; stale, invalid and non-admin saves are
/// refused.
#[tokio::test]
async fn admins_edit_checklist_templates_and_only_new_copies_follow() {
    let t = seeded().await;
    let db = &t.db;
    let admin = ctx_for(db, "admin@demo.local").await;
    let rep = ctx_for(db, "rep@demo.local").await;
    assert_eq!(checklist::template_details(db, &rep).await.unwrap_err(), AppError::Forbidden);
    let all = checklist::template_details(db, &admin).await.unwrap();
    assert!(["demo", "proposal", "exchange_meeting"].iter().all(|c| all.iter().any(|t| t.code == *c)));
    let demo = all.iter().find(|t| t.code == "demo").unwrap().clone();
    assert!(demo.lines.len() >= 3 && demo.lines.iter().all(|l| !l.text_en.is_empty() && !l.text_zh.is_empty()));

    let d = deal::Entity::find().filter(deal::Column::OwnerId.eq(rep.user_id)).one(db).await.unwrap().unwrap();
    let before = checklist::attach(db, &rep, d.uuid, "demo").await.unwrap();
    assert_eq!(before.total, demo.lines.len());

    let mut edit = demo.clone();
    edit.name_en = "Targeted demo (v2)".into();
    edit.lines = vec![demo.lines[1].clone(), demo.lines[0].clone(), Default::default()];
    edit.lines[2].text_en = "Customer's data loaded into the demo system".into();
    edit.lines[2].text_zh = "演示系统已导入客户数据".into();
    let mut bad = edit.clone();
    bad.lines[0].text_zh = "  ".into();
    assert_eq!(checklist::save_template(db, &rep, edit.clone()).await.unwrap_err(), AppError::Forbidden);
    assert!(
        matches!(checklist::save_template(db, &admin, bad).await.unwrap_err(), AppError::Validation { field, .. } if field == "lines.0.text_zh")
    );
    let saved = checklist::save_template(db, &admin, edit.clone()).await.unwrap();
    assert_eq!(saved.version, demo.version + 1);
    assert_eq!(saved.name_en, "Targeted demo (v2)");
    assert_eq!(
        saved.lines.iter().map(|l| l.text_en.as_str()).collect::<Vec<_>>(),
        [demo.lines[1].text_en.as_str(), demo.lines[0].text_en.as_str(), "Customer's data loaded into the demo system"]
    );
    assert_eq!(saved.lines[0].code, demo.lines[1].code, "existing lines keep their codes");
    assert!(!saved.lines[2].code.is_empty());
    // The same edit again carries the old version: someone else saved first.
    assert_eq!(checklist::save_template(db, &admin, edit).await.unwrap_err(), AppError::Conflict);

    let after = checklist::attach(db, &rep, d.uuid, "demo").await.unwrap();
    assert_eq!(after.items.last().map(|i| i.text_zh.as_str()), Some("演示系统已导入客户数据"));
    assert_eq!(after.total, 3);
    let lists = checklist::list(db, &rep, d.uuid).await.unwrap();
    let old = lists.iter().find(|c| c.id == before.id).unwrap();
    assert_eq!(old.items.iter().map(|i| &i.text_en).collect::<Vec<_>>(), before.items.iter().map(|i| &i.text_en).collect::<Vec<_>>());
}
