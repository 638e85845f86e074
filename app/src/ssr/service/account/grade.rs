//! Grading an account (客户分级): the questionnaire goes through the pure rule, the grade
//! chosen is the suggestion unless the user overrides it with a reason; the account takes the
//! grade (and since when, if it changed) under its version, and the grading is kept whole in
//! the grade's history.
use super::visible;
use crate::domain::account::dto::{AccountView, GradeInput};
use crate::domain::account::grading::{check_override, suggest};
use crate::domain::error::AppError;
use crate::ssr::context::RequestContext;
use crate::ssr::db::Db;
use crate::ssr::db_err;
use crate::ssr::entity::{account, account_grade};
use crate::ssr::service::access;
use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

pub async fn grade(db: &Db, ctx: &RequestContext, id: uuid::Uuid, input: GradeInput, version: i32) -> Result<AccountView, AppError> {
    access::require_account_editor(ctx)?;
    let s = suggest(&input.answers);
    let chosen = input.chosen.unwrap_or(s.grade);
    let reason = input.reason.as_deref().map(str::trim).filter(|r| !r.is_empty()).map(str::to_owned);
    check_override(s.grade, chosen, reason.as_deref())?;
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    let a = visible(&*w, ctx, id).await?;
    if a.version != version {
        return Err(AppError::Conflict);
    }
    let now = Utc::now();
    let changed = a.grade.as_deref() != Some(chosen.code());
    let mut u = account::Entity::update_many()
        .col_expr(account::Column::Grade, Expr::value(chosen.code()))
        .col_expr(account::Column::UpdatedAt, Expr::value(now))
        .col_expr(account::Column::Version, Expr::col(account::Column::Version).add(1));
    if changed {
        u = u.col_expr(account::Column::GradeSince, Expr::value(now));
    }
    let res = u.filter(account::Column::Id.eq(a.id)).filter(account::Column::Version.eq(version)).exec(&*w).await.map_err(db_err)?;
    if res.rows_affected != 1 {
        return Err(AppError::Conflict);
    }
    let reasons: Vec<&str> = s.decided_by.iter().map(|r| r.code()).collect();
    account_grade::Entity::insert(account_grade::ActiveModel {
        account_id: Set(a.id),
        grade: Set(chosen.code().into()),
        suggested: Set(s.grade.code().into()),
        answers: Set(serde_json::to_string(&input.answers).map_err(|_| AppError::Internal)?),
        reasons: Set(serde_json::to_string(&reasons).map_err(|_| AppError::Internal)?),
        // A reason given while agreeing with the rule is kept too: it says why the answers are what they are.
        override_reason: Set(reason),
        decided_by: Set(ctx.user_id),
        decided_at: Set(now),
        ..Default::default()
    })
    .exec_without_returning(&*w)
    .await
    .map_err(db_err)?;
    // The grade sets the cadence: the next contact moves with it.
    super::cadence::refresh(&*w, a.id).await?;
    w.commit().await.map_err(db_err)?;
    crate::ssr::events::publish_account(db, crate::ssr::events::AccountChange::Graded, &a, ctx.user_id).await;
    super::get(db, ctx, id).await
}
