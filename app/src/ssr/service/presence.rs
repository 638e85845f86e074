//! Presence on a deal page: each open page sends a heartbeat; viewers are those seen within
//! the last `WINDOW_SECS`. A closed tab simply stops beating and drops out.
use crate::domain::error::AppError;
use crate::ssr::context::RequestContext;
use crate::ssr::db::Db;
use crate::ssr::db_err;
use crate::ssr::entity::deal_presence;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

/// The page beats every 10 s; three missed beats and a viewer is gone.
pub const WINDOW_SECS: i64 = 30;

/// Records that the user is viewing the deal and returns the *other* viewers' names.
pub async fn beat(db: &Db, ctx: &RequestContext, deal: uuid::Uuid) -> Result<Vec<String>, AppError> {
    let d = super::access::visible_deal(db, ctx, deal).await?;
    let now = chrono::Utc::now();
    deal_presence::Entity::insert(deal_presence::ActiveModel { deal_id: Set(d.id), user_id: Set(ctx.user_id), seen_at: Set(now) })
        .on_conflict(
            OnConflict::columns([deal_presence::Column::DealId, deal_presence::Column::UserId])
                .update_column(deal_presence::Column::SeenAt)
                .to_owned(),
        )
        .exec_without_returning(db)
        .await
        .map_err(db_err)?;
    let since = now - chrono::Duration::seconds(WINDOW_SECS);
    let others: Vec<i32> = deal_presence::Entity::find()
        .filter(deal_presence::Column::DealId.eq(d.id))
        .filter(deal_presence::Column::UserId.ne(ctx.user_id))
        .filter(deal_presence::Column::SeenAt.gte(since))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|p| p.user_id)
        .collect();
    let mut names: Vec<String> = super::user_names(db, others).await?.into_values().collect();
    names.sort();
    Ok(names)
}

/// Drops the user's heartbeat when they leave the page.
pub async fn leave(db: &Db, ctx: &RequestContext, deal: uuid::Uuid) -> Result<(), AppError> {
    let d = super::access::visible_deal(db, ctx, deal).await?;
    deal_presence::Entity::delete_many()
        .filter(deal_presence::Column::DealId.eq(d.id))
        .filter(deal_presence::Column::UserId.eq(ctx.user_id))
        .exec(db)
        .await
        .map_err(db_err)?;
    Ok(())
}
