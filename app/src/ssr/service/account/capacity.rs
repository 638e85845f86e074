//! The capacity plan (seed 000, 销售人员工作时间的分配): the plan in force (an admin's, in the
//! policy row, or the seed's), and each rep's book against it — accounts per grade, the
//! ungraded ones as new accounts — with the days that implies against the month's working
//! days. Who sees which books is `access::capacity_scope`.
use crate::domain::account::cadence::CapacityPlan;
use crate::domain::account::market::{rep_load, working_days, CapacityView, RepCapacity, TeamChoice};
use crate::domain::account::Grade;
use crate::domain::error::AppError;
use crate::domain::role::Role;
use crate::ssr::context::RequestContext;
use crate::ssr::db::Db;
use crate::ssr::db_err;
use crate::ssr::entity::{account, account_policy, team, user};
use crate::ssr::service::access::{capacity_scope, require_admin};
use chrono::{Datelike, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;

const POLICY_ID: i32 = 1;

pub async fn plan<C: ConnectionTrait>(db: &C) -> Result<CapacityPlan, AppError> {
    let row = account_policy::Entity::find_by_id(POLICY_ID).one(db).await.map_err(db_err)?;
    Ok(row.and_then(|r| r.capacity_plan).and_then(|p| serde_json::from_str(&p).ok()).unwrap_or_default())
}

/// Saves the plan (admins); the cadence and the target market in the same row are kept.
pub async fn save_plan(db: &Db, ctx: &RequestContext, plan: CapacityPlan) -> Result<CapacityPlan, AppError> {
    require_admin(ctx)?;
    plan.validate()?;
    let json = serde_json::to_string(&plan).map_err(|_| AppError::Internal)?;
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    // Only filled when the row does not exist yet: the shipped cadence.
    let cadence = serde_json::to_string(&super::cadence::policy(&*w).await?).map_err(|_| AppError::Internal)?;
    account_policy::Entity::insert(account_policy::ActiveModel {
        id: Set(POLICY_ID),
        cadence: Set(cadence),
        target_market: Set(None),
        capacity_plan: Set(Some(json)),
        updated_at: Set(Utc::now()),
        version: Set(1),
    })
    .on_conflict(
        OnConflict::column(account_policy::Column::Id)
            .update_columns([account_policy::Column::CapacityPlan, account_policy::Column::UpdatedAt])
            .value(account_policy::Column::Version, Expr::col((account_policy::Entity, account_policy::Column::Version)).add(1))
            .to_owned(),
    )
    .exec_without_returning(&*w)
    .await
    .map_err(db_err)?;
    w.commit().await.map_err(db_err)?;
    Ok(plan)
}

/// Each rep's book against the plan, in the teams the viewer may see (or the one chosen).
pub async fn view(db: &Db, ctx: &RequestContext, team: Option<uuid::Uuid>) -> Result<CapacityView, AppError> {
    let teams = team::Entity::find().order_by_asc(team::Column::Name).all(db).await.map_err(db_err)?;
    let team_id = match team {
        Some(u) => Some(teams.iter().find(|t| t.uuid == u).ok_or(AppError::NotFound)?.id),
        None => None,
    };
    let scope = capacity_scope(ctx, team_id)?;
    let plan = plan(db).await?;
    let today = super::cadence::today();
    let days = working_days(today);
    let mut people = user::Entity::find().filter(user::Column::Active.eq(true)).filter(user::Column::TeamId.is_not_null());
    if let Some(ids) = &scope.teams {
        people = people.filter(user::Column::TeamId.is_in(ids.clone()));
    }
    if let Some(u) = scope.only_user {
        people = people.filter(user::Column::Id.eq(u));
    } else {
        // The books a plan is for: reps and the managers who also sell.
        people = people.filter(user::Column::Role.is_in([Role::Rep.as_str(), Role::Manager.as_str()]));
    }
    let people = people.order_by_asc(user::Column::Name).all(db).await.map_err(db_err)?;
    let ids: Vec<i32> = people.iter().map(|p| p.id).collect();
    let mut books: HashMap<i32, Vec<(Option<Grade>, u32)>> = HashMap::new();
    // Bounded by the users listed; an index on (owner_id, next_contact_on) serves owner_id IN.
    for chunk in ids.chunks(1000) {
        let rows: Vec<(i32, Option<String>, i64)> = account::Entity::find()
            .select_only()
            .column(account::Column::OwnerId)
            .column(account::Column::Grade)
            .column_as(Expr::cust("CAST(COUNT(*) AS BIGINT)"), "n")
            .filter(account::Column::OwnerId.is_in(chunk.to_vec()))
            .group_by(account::Column::OwnerId)
            .group_by(account::Column::Grade)
            .into_tuple()
            .all(db)
            .await
            .map_err(db_err)?;
        for (owner, grade, n) in rows {
            books.entry(owner).or_default().push((grade.as_deref().and_then(Grade::parse), u32::try_from(n).unwrap_or(u32::MAX)));
        }
    }
    let team_names: HashMap<i32, String> = teams.iter().map(|t| (t.id, t.name.clone())).collect();
    let reps = people
        .into_iter()
        .map(|p| {
            let (lines, d_accounts, days_needed_tenths, over) = rep_load(&plan, books.get(&p.id).map_or(&[][..], Vec::as_slice), days);
            RepCapacity {
                user_id: p.uuid,
                team: p.team_id.and_then(|t| team_names.get(&t).cloned()).unwrap_or_default(),
                name: p.name,
                lines,
                d_accounts,
                days_needed_tenths,
                over,
            }
        })
        .collect();
    let visible_teams = teams
        .iter()
        .filter(|t| ctx.visibility.all || ctx.visibility.team_ids.contains(&t.id))
        .map(|t| TeamChoice { id: t.uuid, name: t.name.clone() })
        .collect();
    Ok(CapacityView { plan, month: today.with_day0(0).unwrap_or(today), working_days: days, teams: visible_teams, team, reps })
}
