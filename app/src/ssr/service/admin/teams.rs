//! Creating and renaming teams, and choosing a team's manager.
//!
//! A team's manager is an active user of role manager (the one whose approval queue a team's
//! stage moves, quotes and contracts go to), or nobody (they go to the general manager). They
//! need not be a member of the team: a manager may run a second team.
use super::audit;
use crate::domain::admin::{self as rules, AdminTeam, AuditAction, TeamEdit};
use crate::domain::error::AppError;
use crate::domain::role::Role;
use crate::ssr::context::RequestContext;
use crate::ssr::db::Db;
use crate::ssr::db_err;
use crate::ssr::entity::{team, user};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;

/// The manager a form names: an active user of role manager, or a 422 naming `manager`.
async fn manager<C: ConnectionTrait>(db: &C, id: Option<uuid::Uuid>) -> Result<Option<user::Model>, AppError> {
    let Some(id) = id else { return Ok(None) };
    let u = user::Entity::find()
        .filter(user::Column::Uuid.eq(id))
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or_else(|| AppError::validation("manager", "no such user"))?;
    if !u.active {
        return Err(AppError::validation("manager", "is deactivated"));
    }
    if u.role != Role::Manager.as_str() {
        return Err(AppError::validation("manager", "must have the manager role"));
    }
    Ok(Some(u))
}

/// A name no other team has (compared without regard to case, so "East" and "east" do not
/// both exist).
async fn unique_name<C: ConnectionTrait>(db: &C, name: &str, except: Option<i32>) -> Result<(), AppError> {
    let mut q = team::Entity::find().filter(Expr::expr(Func::lower(Expr::col(team::Column::Name))).eq(name.to_lowercase()));
    if let Some(id) = except {
        q = q.filter(team::Column::Id.ne(id));
    }
    if q.count(db).await.map_err(db_err)? > 0 {
        return Err(AppError::validation("name", "another team already has this name"));
    }
    Ok(())
}

fn snapshot(t: &team::Model, manager: Option<&user::Model>) -> serde_json::Value {
    json!({"name": t.name, "manager": manager.map(|m| format!("{} <{}>", m.name, m.email))})
}

async fn row<C: ConnectionTrait>(db: &C, t: &team::Model, m: Option<&user::Model>) -> Result<AdminTeam, AppError> {
    let members = user::Entity::find().filter(user::Column::TeamId.eq(t.id)).count(db).await.map_err(db_err)?;
    Ok(AdminTeam {
        id: t.uuid,
        name: t.name.clone(),
        manager_id: m.map(|m| m.uuid),
        manager: m.map(|m| m.name.clone()),
        members,
        version: t.version,
    })
}

pub async fn create_team(db: &Db, ctx: &RequestContext, edit: TeamEdit) -> Result<AdminTeam, AppError> {
    super::super::access::require_admin(ctx)?;
    let name = rules::team_name(&edit.name)?;
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    let txn = &w.txn;
    unique_name(txn, &name, None).await?;
    let m = manager(txn, edit.manager).await?;
    let now = chrono::Utc::now();
    let id = team::Entity::insert(team::ActiveModel {
        uuid: Set(uuid::Uuid::new_v4()),
        name: Set(name),
        manager_id: Set(m.as_ref().map(|m| m.id)),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    })
    .exec(txn)
    .await
    .map_err(db_err)?
    .last_insert_id;
    let t = team::Entity::find_by_id(id).one(txn).await.map_err(db_err)?.ok_or(AppError::Internal)?;
    audit(txn, ctx, AuditAction::TeamCreated, (Some(t.uuid), &t.name), None, Some(snapshot(&t, m.as_ref()))).await?;
    let out = row(txn, &t, m.as_ref()).await?;
    w.commit().await.map_err(db_err)?;
    Ok(out)
}

/// Renames a team and/or sets its manager, under the version read.
pub async fn update_team(db: &Db, ctx: &RequestContext, id: uuid::Uuid, edit: TeamEdit) -> Result<AdminTeam, AppError> {
    super::super::access::require_admin(ctx)?;
    let name = rules::team_name(&edit.name)?;
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    let txn = &w.txn;
    let t = team::Entity::find().filter(team::Column::Uuid.eq(id)).one(txn).await.map_err(db_err)?.ok_or(AppError::NotFound)?;
    if t.version != edit.version {
        return Err(AppError::Conflict);
    }
    unique_name(txn, &name, Some(t.id)).await?;
    let m = manager(txn, edit.manager).await?;
    let old_m = match t.manager_id {
        Some(m) => user::Entity::find_by_id(m).one(txn).await.map_err(db_err)?,
        None => None,
    };
    let res = team::Entity::update_many()
        .col_expr(team::Column::Name, Expr::value(name))
        .col_expr(team::Column::ManagerId, Expr::value(m.as_ref().map(|m| m.id)))
        .col_expr(team::Column::UpdatedAt, Expr::value(chrono::Utc::now()))
        .col_expr(team::Column::Version, Expr::col(team::Column::Version).add(1))
        .filter(team::Column::Id.eq(t.id))
        .filter(team::Column::Version.eq(edit.version))
        .exec(txn)
        .await
        .map_err(db_err)?;
    if res.rows_affected != 1 {
        return Err(AppError::Conflict);
    }
    let now = team::Entity::find_by_id(t.id).one(txn).await.map_err(db_err)?.ok_or(AppError::Internal)?;
    let (before, after) = (snapshot(&t, old_m.as_ref()), snapshot(&now, m.as_ref()));
    if before != after {
        audit(txn, ctx, AuditAction::TeamUpdated, (Some(t.uuid), &now.name), Some(before), Some(after)).await?;
    }
    let out = row(txn, &now, m.as_ref()).await?;
    w.commit().await.map_err(db_err)?;
    Ok(out)
}
