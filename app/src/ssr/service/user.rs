//! The signed-in user's own settings.
use crate::domain::admin::AuditAction;
use crate::domain::error::AppError;
use crate::domain::locale::Locale;
use crate::ssr::context::RequestContext;
use crate::ssr::db::Db;
use crate::ssr::db_err;
use crate::ssr::entity::user;
use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

pub async fn set_locale(db: &Db, ctx: &RequestContext, locale: Locale) -> Result<(), AppError> {
    user::Entity::update_many()
        .col_expr(user::Column::Locale, Expr::value(locale.tag()))
        .col_expr(user::Column::UpdatedAt, Expr::value(Utc::now()))
        .col_expr(user::Column::Version, Expr::col(user::Column::Version).add(1))
        .filter(user::Column::Id.eq(ctx.user_id))
        .exec(db)
        .await
        .map_err(db_err)?;
    Ok(())
}

/// The signed-in user chooses a new password: the current one must be right, the new one
/// 8–128 characters and different. Clears the reset's "must change" flag, ends every other
/// session and token of the user (not the one this request came with), and writes the
/// audit log — all in one transaction.
pub async fn change_password(db: &Db, ctx: &RequestContext, current: &str, new: &str) -> Result<(), AppError> {
    crate::domain::admin::password("new_password", new)?;
    if current == new {
        return Err(AppError::validation("new_password", "must differ from the current password"));
    }
    let u = user::Entity::find_by_id(ctx.user_id).one(db).await.map_err(db_err)?.ok_or(AppError::Unauthorized)?;
    let (current, new, old_hash) = (current.to_owned(), new.to_owned(), u.password_hash.clone());
    // argon2 is CPU-heavy: keep it off the async workers.
    let hashed = tokio::task::spawn_blocking(move || {
        if crate::ssr::auth::verify_password(&current, &old_hash) {
            crate::ssr::auth::hash_password(&new).map(Some)
        } else {
            Ok(None)
        }
    })
    .await
    .map_err(|_| AppError::Internal)??;
    let Some(hash) = hashed else {
        return Err(AppError::validation("current_password", "is not your current password"));
    };
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    let txn = &w.txn;
    let res = user::Entity::update_many()
        .col_expr(user::Column::PasswordHash, Expr::value(hash))
        .col_expr(user::Column::MustChangePassword, Expr::value(false))
        .col_expr(user::Column::UpdatedAt, Expr::value(Utc::now()))
        .col_expr(user::Column::Version, Expr::col(user::Column::Version).add(1))
        .filter(user::Column::Id.eq(ctx.user_id))
        .filter(user::Column::Version.eq(u.version))
        .exec(txn)
        .await
        .map_err(db_err)?;
    if res.rows_affected != 1 {
        return Err(AppError::Conflict);
    }
    let ended = crate::ssr::session_store::end_sessions_of(txn, u.id, ctx.credential.as_deref()).await.map_err(db_err)?;
    let label = format!("{} <{}>", u.name, u.email);
    let after = serde_json::json!({"sessions_ended": ended});
    super::admin::audit(txn, ctx, AuditAction::PasswordChanged, (Some(u.uuid), &label), None, Some(after)).await?;
    w.commit().await.map_err(db_err)?;
    Ok(())
}
