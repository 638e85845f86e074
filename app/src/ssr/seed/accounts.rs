//! Demo grades through the grading service, as the account owners would have answered the
//! questionnaire: a mix of A to D in both variants, one overridden with its reason.
use crate::domain::account::dto::GradeInput;
use crate::domain::account::grading::{Answers, Level, Variant};
use crate::domain::account::Grade;
use crate::domain::error::AppError;
use crate::ssr::context::RequestContext;
use crate::ssr::db::Db;
use crate::ssr::entity::account;
use crate::ssr::service::account as accounts;
use sea_orm::{EntityTrait, QueryOrder, QuerySelect};

/// The questionnaires, in turn: A, B, C, D not computerised; then computerised ones.
fn sheet(i: usize) -> (Answers, Option<(Grade, &'static str)>) {
    let nc = Variant::NotComputerised;
    let yes = |variant, resolve, feasibility, selection| Answers {
        variant,
        objective_need: true,
        subjective_need: true,
        resolve,
        feasibility_started: feasibility,
        selection_started: selection,
    };
    match i % 7 {
        0 => (yes(nc, Level::High, true, true), None),
        1 => (yes(nc, Level::Medium, true, false), None),
        2 => (yes(nc, Level::Low, false, false), None),
        3 => (Answers { subjective_need: false, ..yes(nc, Level::None, false, false) }, None),
        4 => (yes(Variant::Computerised { dissatisfaction: Level::High }, Level::High, true, true), None),
        5 => (yes(Variant::Computerised { dissatisfaction: Level::Medium }, Level::Medium, false, false), None),
        _ => (
            yes(nc, Level::Medium, true, false),
            Some((Grade::A, "集团已批预算，下月启动选型 / Group budget approved, selection starts next month")),
        ),
    }
}

pub(super) async fn seed_grades(db: &Db) -> Result<(), AppError> {
    let err = crate::ssr::db_err;
    let rows = account::Entity::find().order_by_asc(account::Column::Id).limit(21).all(db).await.map_err(err)?;
    for (i, a) in rows.into_iter().enumerate() {
        let owner = RequestContext::load(db, a.owner_id).await?.ok_or(AppError::Internal)?;
        let (answers, chosen) = sheet(i);
        let input = GradeInput { answers, chosen: chosen.map(|c| c.0), reason: chosen.map(|c| c.1.to_owned()) };
        accounts::grade(db, &owner, a.uuid, input, a.version).await?;
    }
    Ok(())
}
