//! Services own authorization and transactions; one per aggregate.
pub mod account;
pub mod activity;
pub mod admin;
pub mod approval;
pub mod board;
pub mod checklist;
pub mod comment;
pub mod convert;
pub mod deal;
pub mod forecast;
pub mod keyinfo;
pub mod map;
pub mod member;
pub mod movement;
pub mod pipeline;
pub mod presence;
pub mod quota;
pub mod timeline;
pub mod totals;
pub mod user;

use crate::domain::role::Visibility;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, Condition};

use super::entity::{account as account_e, deal as deal_e, deal_member, user as user_e};
use crate::domain::error::AppError;
use sea_orm::{ConnectionTrait, EntityTrait, QueryFilter};
use std::collections::HashMap;

/// Display names of users by internal id: one query for a whole page of rows.
pub async fn user_names<C: ConnectionTrait>(db: &C, ids: Vec<i32>) -> Result<HashMap<i32, String>, AppError> {
    let rows = user_e::Entity::find().filter(user_e::Column::Id.is_in(ids)).all(db).await.map_err(super::db_err)?;
    Ok(rows.into_iter().map(|u| (u.id, u.name)).collect())
}

/// Account names by internal id, likewise.
pub async fn account_names<C: ConnectionTrait>(db: &C, ids: Vec<i32>) -> Result<HashMap<i32, String>, AppError> {
    let rows = account_e::Entity::find().filter(account_e::Column::Id.is_in(ids)).all(db).await.map_err(super::db_err)?;
    Ok(rows.into_iter().map(|a| (a.id, a.name)).collect())
}

/// Deals the user is a member of, as ids: a short list SQLite looks up by primary key,
/// where an `IN (subquery)` next to a stage filter made it walk the whole stage.
pub async fn member_deal_ids<C: ConnectionTrait>(db: &C, user_id: i32) -> Result<Vec<i32>, AppError> {
    use sea_orm::QuerySelect;
    deal_member::Entity::find()
        .select_only()
        .column(deal_member::Column::DealId)
        .filter(deal_member::Column::UserId.eq(user_id))
        .into_tuple()
        .all(db)
        .await
        .map_err(super::db_err)
}

/// The visibility rule as a filter on `deals`.
pub fn deal_visibility(v: &Visibility) -> Condition {
    if v.all {
        return Condition::all();
    }
    let mut c = Condition::any();
    if !v.team_ids.is_empty() {
        c = c.add(deal_e::Column::TeamId.is_in(v.team_ids.clone()));
    }
    if let Some(u) = v.member_user_id {
        c = c.add(
            deal_e::Column::Id.in_subquery(
                Query::select()
                    .column(deal_member::Column::DealId)
                    .from(deal_member::Entity)
                    .and_where(Expr::col(deal_member::Column::UserId).eq(u))
                    .to_owned(),
            ),
        );
    }
    // An empty `any` would match everything; a user with no arm sees nothing.
    if c.is_empty() {
        return Condition::all().add(Expr::val(1).eq(0));
    }
    c
}

/// Clamp paging input to sane bounds.
pub fn paging(page: u64, per_page: u64) -> (u64, u64) {
    (Ord::max(page, 1), Ord::clamp(per_page, 1, 200))
}

/// `%term%` for LIKE, with the wildcards in user input escaped away.
pub fn like_pattern(term: &str) -> String {
    let cleaned: String = term.trim().chars().filter(|c| !matches!(c, '%' | '_' | '\\')).collect();
    format!("%{cleaned}%")
}
