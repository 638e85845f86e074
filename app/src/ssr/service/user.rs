//! The signed-in user's own settings.
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
