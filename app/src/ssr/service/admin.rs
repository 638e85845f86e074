//! Users and teams, for administrators.
use crate::domain::dto::{AdminOverview, TeamRow, UserRow};
use crate::domain::error::AppError;
use crate::domain::role::Role;
use crate::ssr::context::RequestContext;
use crate::ssr::db::Db;
use crate::ssr::db_err;
use crate::ssr::entity::{team, user};
use sea_orm::{EntityTrait, QueryOrder};
use std::collections::HashMap;

pub async fn overview(db: &Db, ctx: &RequestContext) -> Result<AdminOverview, AppError> {
    super::access::require_admin(ctx)?;
    let teams_m = team::Entity::find().order_by_asc(team::Column::Name).all(db).await.map_err(db_err)?;
    let users_m = user::Entity::find().order_by_asc(user::Column::Email).all(db).await.map_err(db_err)?;
    let team_names: HashMap<i32, String> = teams_m.iter().map(|t| (t.id, t.name.clone())).collect();
    let user_names: HashMap<i32, String> = users_m.iter().map(|u| (u.id, u.name.clone())).collect();
    let users = users_m
        .iter()
        .filter_map(|u| {
            Some(UserRow {
                id: u.uuid,
                name: u.name.clone(),
                email: u.email.clone(),
                role: Role::parse(&u.role)?,
                team: u.team_id.and_then(|t| team_names.get(&t).cloned()),
                active: u.active,
            })
        })
        .collect();
    let teams = teams_m
        .iter()
        .map(|t| TeamRow {
            id: t.uuid,
            name: t.name.clone(),
            manager: t.manager_id.and_then(|m| user_names.get(&m).cloned()),
            members: users_m.iter().filter(|u| u.team_id == Some(t.id)).count() as u64,
        })
        .collect();
    Ok(AdminOverview { users, teams })
}
