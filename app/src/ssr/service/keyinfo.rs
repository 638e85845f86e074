//! Key information of a deal: read, and the one writer every save goes through (the deal
//! page's form here, REST PATCH and imports through `deal::patch`), which also appends the
//! `key_info_changed` history row.
use super::access::{deal_for, visible_deal};
use super::movement::load_key_info;
use crate::domain::access::DealAction;
use crate::domain::error::AppError;
use crate::domain::history::HistoryKind;
use crate::domain::keyinfo::KeyInfo;
use crate::ssr::context::RequestContext;
use crate::ssr::db::Db;
use crate::ssr::db_err;
use crate::ssr::entity::{deal, deal_key_info};
use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

pub async fn get(db: &Db, ctx: &RequestContext, deal: uuid::Uuid) -> Result<(KeyInfo, i32), AppError> {
    let d = visible_deal(db, ctx, deal).await?;
    load_key_info(db, d.id).await
}

/// What guards a key-information write.
#[derive(Clone, Copy, Debug)]
pub enum Guard {
    /// The key-information version the form read (0: there was none yet).
    Version(i32),
    /// The caller already holds the deal's version guard in this transaction (a deal patch).
    Deal,
}

/// Writes a deal's key information and its history row, inside the caller's transaction.
/// Returns the new key-information version.
pub async fn write<C: ConnectionTrait>(
    txn: &C,
    actor: i32,
    d: &deal::Model,
    info: &KeyInfo,
    guard: Guard,
    now: chrono::DateTime<Utc>,
) -> Result<i32, AppError> {
    info.validate().map_err(|(f, m)| AppError::validation(f, m))?;
    let data = serde_json::to_string(info).map_err(|_| AppError::Internal)?;
    let complete = info.completeness().0 as i16;
    let new_version = match guard {
        Guard::Version(0) => {
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
        }
        Guard::Version(version) => {
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
        }
        Guard::Deal => {
            deal_key_info::Entity::insert(deal_key_info::ActiveModel {
                deal_id: Set(d.id),
                data: Set(data),
                complete: Set(complete),
                updated_at: Set(now),
                version: Set(1),
            })
            .on_conflict(
                OnConflict::column(deal_key_info::Column::DealId)
                    .update_columns([deal_key_info::Column::Data, deal_key_info::Column::Complete, deal_key_info::Column::UpdatedAt])
                    .value(deal_key_info::Column::Version, Expr::col((deal_key_info::Entity, deal_key_info::Column::Version)).add(1))
                    .to_owned(),
            )
            .exec_without_returning(txn)
            .await
            .map_err(db_err)?;
            load_key_info(txn, d.id).await?.1
        }
    };
    let mut h = super::history::row(d.id, actor, HistoryKind::KeyInfoChanged);
    h.at = Set(now);
    super::history::append(txn, h).await?;
    Ok(new_version)
}

/// The deal page's save: the whole form, guarded by the key-information version it read.
pub async fn update(db: &Db, ctx: &RequestContext, deal: uuid::Uuid, info: KeyInfo, version: i32) -> Result<i32, AppError> {
    info.validate().map_err(|(f, m)| AppError::validation(f, m))?;
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    let d = deal_for(&w.txn, ctx, deal, DealAction::Edit).await?;
    let new_version = write(&w.txn, ctx.user_id, &d, &info, Guard::Version(version), Utc::now()).await?;
    w.commit().await.map_err(db_err)?;
    crate::ssr::events::publish_deal(db, "key_info", &d, ctx.user_id).await;
    Ok(new_version)
}
