//! The deal team: owner, presales, PM and others. Membership is what makes a deal visible to
//! a presales user (and puts it on anyone's "My deals").
use super::access::visible_deal;
use crate::domain::access::TeamRole;
use crate::domain::dto::DealMemberRow;
use crate::domain::error::AppError;
use crate::ssr::context::RequestContext;
use crate::ssr::db::Db;
use crate::ssr::db_err;
use crate::ssr::entity::{deal, deal_member, user};
use chrono::Utc;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

/// Deal-team roles in the order the team is listed.
pub const ROLES: [&str; 4] = [TeamRole::Owner.as_str(), TeamRole::Presales.as_str(), TeamRole::Pm.as_str(), TeamRole::Other.as_str()];

pub async fn list(db: &Db, ctx: &RequestContext, deal: uuid::Uuid) -> Result<Vec<DealMemberRow>, AppError> {
    let d = visible_deal(db, ctx, deal).await?;
    rows(db, &d).await
}

async fn rows<C: sea_orm::ConnectionTrait>(db: &C, d: &deal::Model) -> Result<Vec<DealMemberRow>, AppError> {
    let ms = deal_member::Entity::find()
        .filter(deal_member::Column::DealId.eq(d.id))
        .order_by_asc(deal_member::Column::CreatedAt)
        .all(db)
        .await
        .map_err(db_err)?;
    let users: HashMap<i32, user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(ms.iter().map(|m| m.user_id)))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let mut out: Vec<DealMemberRow> = ms
        .into_iter()
        .filter_map(|m| {
            let u = users.get(&m.user_id)?;
            Some(DealMemberRow { user_id: u.uuid, name: u.name.clone(), email: u.email.clone(), role: m.role })
        })
        .collect();
    // The owner first, then by role in the order above.
    out.sort_by_key(|r| ROLES.iter().position(|x| *x == r.role).unwrap_or(ROLES.len()));
    Ok(out)
}

/// The user ids on a deal's team (owner row included when stored).
pub async fn user_ids<C: sea_orm::ConnectionTrait>(db: &C, deal_id: i32) -> Result<Vec<i32>, AppError> {
    Ok(deal_member::Entity::find()
        .filter(deal_member::Column::DealId.eq(deal_id))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|m| m.user_id)
        .collect())
}

/// The colleagues who may be added to the deal's team (active reps, presales engineers and
/// managers not on it yet), for whoever may manage the team; `role` is their user role.
pub async fn candidates(db: &Db, ctx: &RequestContext, deal: uuid::Uuid) -> Result<Vec<DealMemberRow>, AppError> {
    let d = super::access::deal_for(db, ctx, deal, crate::domain::access::DealAction::ManageTeam).await?;
    let on = user_ids(db, d.id).await?;
    let roles = [crate::domain::role::Role::Rep, crate::domain::role::Role::Presales, crate::domain::role::Role::Manager];
    Ok(user::Entity::find()
        .filter(user::Column::Active.eq(true))
        .filter(user::Column::Role.is_in(roles.iter().map(|r| r.as_str())))
        .filter(user::Column::Id.is_not_in(on.into_iter().chain([d.owner_id])))
        .order_by_asc(user::Column::Name)
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|u| DealMemberRow { user_id: u.uuid, name: u.name, email: u.email, role: u.role })
        .collect())
}

/// Adds a user to the deal team, or changes their role; "owner" is the deal's owner only.
pub async fn add(db: &Db, ctx: &RequestContext, deal: uuid::Uuid, who: uuid::Uuid, role: &str) -> Result<Vec<DealMemberRow>, AppError> {
    let role = role.trim();
    if !ROLES[1..].contains(&role) {
        return Err(AppError::validation("role", "use presales, pm or other"));
    }
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    let txn = &w.txn;
    let d = super::access::deal_for(txn, ctx, deal, crate::domain::access::DealAction::ManageTeam).await?;
    let u = super::mapping::active_user(txn, who, "user").await?;
    if u.id == d.owner_id {
        return Err(AppError::validation("user", "the owner is already on the team"));
    }
    deal_member::Entity::insert(deal_member::ActiveModel {
        deal_id: Set(d.id),
        user_id: Set(u.id),
        role: Set(role.into()),
        created_at: Set(Utc::now()),
    })
    .on_conflict(
        sea_orm::sea_query::OnConflict::columns([deal_member::Column::DealId, deal_member::Column::UserId])
            .update_column(deal_member::Column::Role)
            .to_owned(),
    )
    .exec_without_returning(txn)
    .await
    .map_err(db_err)?;
    let out = rows(txn, &d).await?;
    // Who works on a deal decides whose figures it is in; the history does not record it.
    super::totals::forget_points(&w.txn).await?;
    w.commit().await.map_err(db_err)?;
    crate::ssr::events::publish_deal(db, "members", &d, ctx.user_id).await;
    Ok(out)
}

/// Removes a user from the team; the owner stays (change the owner instead).
pub async fn remove(db: &Db, ctx: &RequestContext, deal: uuid::Uuid, who: uuid::Uuid) -> Result<Vec<DealMemberRow>, AppError> {
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    let txn = &w.txn;
    let d = super::access::deal_for(txn, ctx, deal, crate::domain::access::DealAction::ManageTeam).await?;
    let u = user::Entity::find().filter(user::Column::Uuid.eq(who)).one(txn).await.map_err(db_err)?.ok_or(AppError::NotFound)?;
    if u.id == d.owner_id {
        return Err(AppError::validation("user", "the owner cannot be removed from the team"));
    }
    let res = deal_member::Entity::delete_many()
        .filter(deal_member::Column::DealId.eq(d.id))
        .filter(deal_member::Column::UserId.eq(u.id))
        .exec(txn)
        .await
        .map_err(db_err)?;
    if res.rows_affected == 0 {
        return Err(AppError::NotFound);
    }
    let out = rows(txn, &d).await?;
    // Who works on a deal decides whose figures it is in; the history does not record it.
    super::totals::forget_points(&w.txn).await?;
    w.commit().await.map_err(db_err)?;
    crate::ssr::events::publish_deal(db, "members", &d, ctx.user_id).await;
    Ok(out)
}
