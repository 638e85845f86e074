#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Relationship maintenance through the services (SQLite and PostgreSQL): a revisit moves the
//! account's last contact and next due date (never back), a refused one writes nothing, a
//! planned visit sooner than the cadence wins, overdue accounts reach the owner's and the
//! manager's due lists and no other team's, a call logged on a deal counts as a contact, the
//! admin's cadence recomputes every account, and a won deal owes a delivery follow-up that a
//! revisit records with the acceptance.
use crate::common::{ctx_for, seeded};
use app::domain::account::cadence::{Cadence, ContactStatus, Every};
use app::domain::account::dto::{DueScope, GradeInput};
use app::domain::account::grading::{Answers, Level, Variant};
use app::domain::account::revisit::{Channel, RevisitInput};
use app::domain::account::Grade;
use app::domain::activity::ActivityAt;
use app::domain::contract::dto::SignInput;
use app::domain::contract::SignMethod;
use app::domain::dto::{NewAccount, NewActivity};
use app::domain::error::AppError;
use app::ssr::entity::{account_follow_up, account_revisit, contract, deal, stage};
use app::ssr::service::account::{self, cadence};
use app::ssr::service::{activity, movement};
use chrono::{Days, Months};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

fn grade_a() -> GradeInput {
    let answers = Answers {
        variant: Variant::NotComputerised,
        objective_need: true,
        subjective_need: true,
        resolve: Level::High,
        feasibility_started: true,
        selection_started: true,
    };
    GradeInput { answers, chosen: None, reason: None }
}

fn revisit(on: chrono::NaiveDate) -> RevisitInput {
    RevisitInput {
        visited_on: on,
        channel: Channel::Visit,
        contact_name: Some("王总".into()),
        feedback: "系统运行稳定，财务希望增加报表".into(),
        satisfaction: 4,
        new_needs: Some("合并报表".into()),
        follow_up: None,
        follow_up_owner: None,
        follow_up_due: None,
        next_visit_on: None,
        follow_up_of: None,
        accepted: None,
    }
}

fn field(e: AppError) -> String {
    match e {
        AppError::Validation { field, .. } => field,
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[tokio::test]
async fn revisits_move_the_cadence_and_overdue_accounts_reach_the_due_lists() {
    let t = seeded().await;
    let db = &t.db;
    let rep = ctx_for(db, "rep@demo.local").await;
    let manager = ctx_for(db, "manager@demo.local").await;
    let west = ctx_for(db, "rep2@demo.local").await;
    let admin = ctx_for(db, "admin@demo.local").await;
    let today = cadence::today();
    let new = |name: &str| NewAccount { name: name.into(), industry: "机械".into(), city: None, headcount: Some(300), revenue_fen: None };

    // Graded A on creation day: due a month later, nothing contacted yet.
    let id = account::create(db, &rep, new("回访测试机械有限公司")).await.unwrap().id;
    let v = account::get(db, &rep, id).await.unwrap();
    let v = account::grade(db, &rep, id, grade_a(), v.version).await.unwrap();
    assert_eq!(v.last_contact_on, None);
    assert_eq!(v.next_contact_on, today.checked_add_months(Months::new(1)));
    assert_eq!(v.contact_status, ContactStatus::NotDue);

    // A refused revisit writes nothing.
    let rows = account_revisit::Entity::find().count(db).await.unwrap();
    let bad = RevisitInput { satisfaction: 6, ..revisit(today) };
    assert_eq!(field(account::record_revisit(db, &rep, id, bad).await.unwrap_err()), "satisfaction");
    let future = revisit(today.checked_add_days(Days::new(1)).unwrap());
    assert_eq!(field(account::record_revisit(db, &rep, id, future).await.unwrap_err()), "visited_on");
    let far = revisit(chrono::NaiveDate::from_ymd_opt(9999, 1, 1).unwrap());
    assert_eq!(field(account::record_revisit(db, &rep, id, far).await.unwrap_err()), "visited_on");
    assert_eq!(account_revisit::Entity::find().count(db).await.unwrap(), rows);

    // Today's revisit with a visit planned in a week: the plan is sooner than the month.
    let week = today.checked_add_days(Days::new(7)).unwrap();
    let v = account::record_revisit(db, &rep, id, RevisitInput { next_visit_on: Some(week), ..revisit(today) }).await.unwrap();
    assert_eq!(v.last_contact_on, Some(today));
    assert_eq!(v.next_contact_on, Some(week));
    assert_eq!(v.revisits.len(), 1);
    assert_eq!((v.revisits[0].satisfaction, v.revisits[0].visitor.as_str()), (4, "张磊"));

    // A backdated revisit is kept but does not move the last contact back.
    let old = today.checked_sub_days(Days::new(40)).unwrap();
    let v = account::record_revisit(db, &rep, id, revisit(old)).await.unwrap();
    assert_eq!(v.last_contact_on, Some(today));
    assert_eq!(v.revisits.len(), 2);
    assert_eq!(v.revisits[1].visited_on, old, "newest first");

    // Another account last contacted 40 days ago: overdue for an A.
    let late = account::create(db, &rep, new("逾期回访电子有限公司")).await.unwrap().id;
    let v = account::get(db, &rep, late).await.unwrap();
    account::grade(db, &rep, late, grade_a(), v.version).await.unwrap();
    let v = account::record_revisit(db, &rep, late, revisit(old)).await.unwrap();
    let due_on = old.checked_add_months(Months::new(1)).unwrap();
    assert_eq!(v.next_contact_on, Some(due_on));
    assert_eq!(v.contact_status, ContactStatus::Overdue { days: (today - due_on).num_days() });

    let mine = account::due(db, &rep, DueScope::Mine).await.unwrap();
    assert!(mine.overdue >= 1);
    let row = mine.rows.iter().find(|r| r.account_id == late).expect("the overdue account is on the rep's list");
    assert_eq!(row.grade, Some(Grade::A));
    assert!(matches!(row.status, ContactStatus::Overdue { .. }));
    assert!(mine.rows.windows(2).all(|w| w[0].next_contact_on <= w[1].next_contact_on), "most overdue first");
    let team = account::due(db, &manager, DueScope::Team).await.unwrap();
    assert!(team.rows.iter().any(|r| r.account_id == late), "the manager sees the team's overdue account");
    let other = account::due(db, &west, DueScope::Team).await.unwrap();
    assert!(!other.rows.iter().any(|r| r.account_id == late), "another team never does");
    assert_eq!(account::record_revisit(db, &west, late, revisit(today)).await.unwrap_err(), AppError::NotFound);
    let exec = ctx_for(db, "exec@demo.local").await;
    assert_eq!(account::record_revisit(db, &exec, late, revisit(today)).await.unwrap_err(), AppError::Forbidden);

    // The admin's cadence recomputes every graded account: A every two months.
    let two = Cadence { a: Every::Months(2), ..Cadence::default() };
    assert_eq!(cadence::save_policy(db, &rep, two).await.unwrap_err(), AppError::Forbidden);
    let bad = Cadence { b: Every::Months(0), ..Cadence::default() };
    assert_eq!(field(cadence::save_policy(db, &admin, bad).await.unwrap_err()), "cadence_b");
    cadence::save_policy(db, &admin, two).await.unwrap();
    assert_eq!(cadence::policy(db).await.unwrap(), two);
    let v = account::get(db, &rep, late).await.unwrap();
    assert_eq!(v.next_contact_on, old.checked_add_months(Months::new(2)));
    assert_eq!(v.cadence, two);
    cadence::save_policy(db, &admin, Cadence::default()).await.unwrap();

    // A call logged today on one of an account's deals is a contact with the account.
    let d = deal::Entity::find().filter(deal::Column::OwnerId.eq(rep.user_id)).one(db).await.unwrap().unwrap();
    let call = NewActivity {
        kind: "call".into(),
        at: ActivityAt::Day(today),
        channel: None,
        people: None,
        summary: "电话确认需求".into(),
        satisfaction: None,
        new_needs: None,
        next_action: None,
        next_owner: None,
        next_due: None,
    };
    activity::log(db, &rep, d.uuid, call).await.unwrap();
    let a = app::ssr::entity::account::Entity::find_by_id(d.account_id).one(db).await.unwrap().unwrap();
    assert_eq!(a.last_contact_on, Some(today));
}

#[tokio::test]
async fn a_won_deal_owes_a_delivery_follow_up_that_a_revisit_records() {
    let t = seeded().await;
    let db = &t.db;
    // The demo's approved contract, signed now: its deal may be won.
    let c = contract::Entity::find().filter(contract::Column::Status.eq("approved")).one(db).await.unwrap().expect("an approved contract");
    let d = deal::Entity::find_by_id(c.deal_id).one(db).await.unwrap().unwrap();
    let owner = app::ssr::entity::user::Entity::find_by_id(d.owner_id).one(db).await.unwrap().unwrap();
    let ctx = ctx_for(db, &owner.email).await;
    let sign = SignInput { signed_on: cadence::today(), signatory: "张总".into(), method: SignMethod::Paper };
    app::ssr::service::contract::sign(db, &ctx, c.uuid, sign, c.version).await.unwrap();
    let d = deal::Entity::find_by_id(c.deal_id).one(db).await.unwrap().unwrap();
    let won = stage::Entity::find()
        .filter(stage::Column::PipelineId.eq(d.pipeline_id))
        .filter(stage::Column::Kind.eq("won"))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let cmd = movement::MoveCommand { deal: d.uuid, to_stage: won.uuid, version: d.version, reason: None, lost_reason: None };
    let out = movement::move_deal(db, &ctx, cmd).await.unwrap();
    assert!(matches!(out, app::domain::dto::MoveOutcome::Moved { .. }), "{out:?}");

    let f =
        account_follow_up::Entity::find().filter(account_follow_up::Column::DealId.eq(d.id)).one(db).await.unwrap().expect("a follow-up");
    assert_eq!(f.owner_id, d.owner_id);
    assert_eq!(f.due_on, app::domain::account::cadence::delivery_follow_up(cadence::today()));
    let mine = account::due(db, &ctx, DueScope::Mine).await.unwrap();
    assert!(mine.follow_ups.iter().any(|r| r.deal_id == d.uuid && r.done_on.is_none()));

    // Recording it needs the acceptance answer; then it is done and off the list.
    let a = app::ssr::entity::account::Entity::find_by_id(d.account_id).one(db).await.unwrap().unwrap();
    let base = RevisitInput { follow_up_of: Some(f.uuid), ..revisit(cadence::today()) };
    assert_eq!(field(account::record_revisit(db, &ctx, a.uuid, base.clone()).await.unwrap_err()), "accepted");
    let v = account::record_revisit(db, &ctx, a.uuid, RevisitInput { accepted: Some(true), ..base.clone() }).await.unwrap();
    assert_eq!(v.revisits[0].accepted, Some(true));
    assert!(v.follow_ups.iter().all(|r| r.id != f.uuid));
    let f = account_follow_up::Entity::find_by_id(f.id).one(db).await.unwrap().unwrap();
    assert_eq!((f.done_on, f.accepted), (Some(cadence::today()), Some(true)));
    // Recorded once only.
    assert_eq!(
        field(account::record_revisit(db, &ctx, a.uuid, RevisitInput { accepted: Some(true), ..base }).await.unwrap_err()),
        "follow_up_of"
    );
}
