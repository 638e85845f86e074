#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Grading accounts through the service (SQLite and PostgreSQL): the questionnaire's
//! suggestion stands unless overridden with a reason; a refused grading writes nothing; the
//! grade is held "since" it last changed; the history keeps every grading whole; stale
//! versions conflict; a read-only role may not grade and another team's account is not found.
use crate::common::{ctx_for, seeded};
use app::domain::account::dto::GradeInput;
use app::domain::account::grading::{Answers, Level, Reason, Variant};
use app::domain::account::Grade;
use app::domain::dto::NewAccount;
use app::domain::error::AppError;
use app::ssr::entity::account_grade;
use app::ssr::service::account;
use sea_orm::{EntityTrait, PaginatorTrait};

fn answers(resolve: Level, selection: bool) -> Answers {
    Answers {
        variant: Variant::NotComputerised,
        objective_need: true,
        subjective_need: true,
        resolve,
        feasibility_started: true,
        selection_started: selection,
    }
}

#[tokio::test]
async fn an_account_is_graded_by_the_questionnaire_and_overridden_only_with_a_reason() {
    let t = seeded().await;
    let db = &t.db;
    let rep = ctx_for(db, "rep@demo.local").await;
    // A new account of the East rep's: no deals, so only East and the all-seeing roles see it.
    let new =
        NewAccount {
            name: "分级测试机械有限公司".into(), industry: "机械".into(), city: None, headcount: Some(300), revenue_fen: None
        };
    let mine = account::create(db, &rep, new).await.unwrap().id;
    let before = account::get(db, &rep, mine).await.unwrap();
    let graded_before = before.grades.len();

    // Everything high and selection started: the rule says A and names why.
    let a = account::grade(db, &rep, mine, GradeInput { answers: answers(Level::High, true), chosen: None, reason: None }, before.version)
        .await
        .unwrap();
    assert_eq!(a.grade, Some(Grade::A));
    let since = a.grade_since.expect("graded now");
    assert_eq!(a.grades.len(), graded_before + 1);
    assert_eq!((a.grades[0].grade, a.grades[0].suggested), (Grade::A, Grade::A));
    assert!(a.grades[0].decided_by.contains(&Reason::SelectionStarted), "{:?}", a.grades[0].decided_by);
    assert_eq!(a.grades[0].answers, Some(answers(Level::High, true)));

    // A stale version conflicts and writes nothing.
    let again = GradeInput { answers: answers(Level::High, true), chosen: None, reason: None };
    assert_eq!(account::grade(db, &rep, mine, again, before.version).await.unwrap_err(), AppError::Conflict);

    // Overriding the suggestion needs a reason; refused, nothing is written.
    let rows = account_grade::Entity::find().count(db).await.unwrap();
    let c = GradeInput { answers: answers(Level::High, true), chosen: Some(Grade::C), reason: Some(" ".into()) };
    match account::grade(db, &rep, mine, c, a.version).await.unwrap_err() {
        AppError::Validation { field, .. } => assert_eq!(field, "override_reason"),
        other => panic!("{other:?}"),
    }
    assert_eq!(account_grade::Entity::find().count(db).await.unwrap(), rows);
    let c = GradeInput { answers: answers(Level::High, true), chosen: Some(Grade::C), reason: Some("budget frozen until Q3".into()) };
    let c = account::grade(db, &rep, mine, c, a.version).await.unwrap();
    assert_eq!((c.grade, c.grades[0].suggested), (Some(Grade::C), Grade::A));
    assert_eq!(c.grades[0].override_reason.as_deref(), Some("budget frozen until Q3"));
    assert!(c.grade_since.unwrap() >= since);

    // The same grade again keeps "since"; the list shows the grade.
    let held = c.grade_since;
    let same = GradeInput { answers: answers(Level::High, true), chosen: Some(Grade::C), reason: Some("still frozen".into()) };
    let same = account::grade(db, &rep, mine, same, c.version).await.unwrap();
    assert_eq!((same.grade, same.grade_since), (Some(Grade::C), held));
    let row = account::list(db, &rep, None, 1, 200).await.unwrap().rows.into_iter().find(|r| r.id == mine).unwrap();
    assert_eq!((row.grade, row.grade_since), (Some(Grade::C), held));

    // Read-only roles may not grade; another team's rep does not find the account.
    let exec = ctx_for(db, "exec@demo.local").await;
    let x = GradeInput { answers: answers(Level::High, true), chosen: None, reason: None };
    assert_eq!(account::grade(db, &exec, mine, x.clone(), same.version).await.unwrap_err(), AppError::Forbidden);
    let west = ctx_for(db, "rep2@demo.local").await;
    assert_eq!(account::get(db, &west, mine).await.unwrap_err(), AppError::NotFound);
    assert_eq!(account::grade(db, &west, mine, x, same.version).await.unwrap_err(), AppError::NotFound);
}
