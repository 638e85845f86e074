//! Key information of a deal: read and update with the optimistic version.
use super::movement::{load_key_info, visible_deal};
use crate::domain::error::AppError;
use crate::domain::keyinfo::KeyInfo;
use crate::ssr::context::RequestContext;
use crate::ssr::db_err;
use crate::ssr::entity::deal_key_info;
use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

pub async fn get(db: &DatabaseConnection, ctx: &RequestContext, deal: uuid::Uuid) -> Result<(KeyInfo, i32), AppError> {
    let d = visible_deal(db, ctx, deal).await?;
    load_key_info(db, d.id).await
}

/// `version` is the one read with the key information (0 when there was none yet).
pub async fn update(db: &DatabaseConnection, ctx: &RequestContext, deal: uuid::Uuid, info: KeyInfo, version: i32) -> Result<i32, AppError> {
    if !ctx.role.can_edit_deals() {
        return Err(AppError::Forbidden);
    }
    info.validate().map_err(|(f, m)| AppError::validation(f, m))?;
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    let txn = &w.txn;
    let d = visible_deal(txn, ctx, deal).await?;
    let data = serde_json::to_string(&info).map_err(|_| AppError::Internal)?;
    let complete = info.completeness().0 as i16;
    let now = Utc::now();
    let new_version = if version == 0 {
        let inserted = deal_key_info::Entity::insert(deal_key_info::ActiveModel {
            deal_id: Set(d.id),
            data: Set(data),
            complete: Set(complete),
            updated_at: Set(now),
            version: Set(1),
        })
        .on_conflict_do_nothing()
        .exec(txn)
        .await
        .map_err(db_err)?;
        match inserted {
            sea_orm::TryInsertResult::Inserted(_) => 1,
            _ => return Err(AppError::Conflict),
        }
    } else {
        let res = deal_key_info::Entity::update_many()
            .col_expr(deal_key_info::Column::Data, Expr::value(data))
            .col_expr(deal_key_info::Column::Complete, Expr::value(complete))
            .col_expr(deal_key_info::Column::UpdatedAt, Expr::value(now))
            .col_expr(deal_key_info::Column::Version, Expr::col(deal_key_info::Column::Version).add(1))
            .filter(deal_key_info::Column::DealId.eq(d.id))
            .filter(deal_key_info::Column::Version.eq(version))
            .exec(txn)
            .await
            .map_err(db_err)?;
        if res.rows_affected != 1 {
            return Err(AppError::Conflict);
        }
        version + 1
    };
    w.commit().await.map_err(db_err)?;
    crate::ssr::events::publish_deal(db, "key_info", &d, ctx.user_id).await;
    Ok(new_version)
}
