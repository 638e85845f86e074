//! The target market (目标市场) in force, and whether an account is in it. The filter is an
//! admin's (one policy row) or seed 000's example; the pure rule decides per account on read,
//! so editing the filter re-marks every account at once.
use crate::domain::account::target::{AccountFacts, Fit, TargetMarket};
use crate::domain::error::AppError;
use crate::ssr::context::RequestContext;
use crate::ssr::db::Db;
use crate::ssr::db_err;
use crate::ssr::entity::{account, account_policy};
use crate::ssr::service::access::require_admin;
use chrono::Utc;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};

const POLICY_ID: i32 = 1;

pub async fn policy<C: ConnectionTrait>(db: &C) -> Result<TargetMarket, AppError> {
    let row = account_policy::Entity::find_by_id(POLICY_ID).one(db).await.map_err(db_err)?;
    Ok(row.and_then(|r| r.target_market).and_then(|t| serde_json::from_str(&t).ok()).unwrap_or_default())
}

/// Saves the filter (admins); the cadence in the same row is kept.
pub async fn save(db: &Db, ctx: &RequestContext, market: TargetMarket) -> Result<TargetMarket, AppError> {
    require_admin(ctx)?;
    market.validate()?;
    let json = serde_json::to_string(&market).map_err(|_| AppError::Internal)?;
    let cadence = serde_json::to_string(&super::cadence::policy(db).await?).map_err(|_| AppError::Internal)?;
    account_policy::Entity::insert(account_policy::ActiveModel {
        id: Set(POLICY_ID),
        cadence: Set(cadence),
        target_market: Set(Some(json)),
        updated_at: Set(Utc::now()),
        version: Set(1),
        capacity_plan: sea_orm::ActiveValue::NotSet,
    })
    .on_conflict(
        OnConflict::column(account_policy::Column::Id)
            .update_columns([account_policy::Column::TargetMarket, account_policy::Column::UpdatedAt])
            .to_owned(),
    )
    .exec_without_returning(db)
    .await
    .map_err(db_err)?;
    Ok(market)
}

/// Where an account stands against the filter.
pub fn fit(market: &TargetMarket, a: &account::Model) -> Fit {
    market.fits(&AccountFacts {
        industry: a.industry.clone(),
        revenue_fen: a.revenue_fen,
        headcount: a.headcount,
        profit_fen: a.profit_fen,
    })
}
