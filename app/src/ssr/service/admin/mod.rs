//! Users and teams, for administrators, and the audit log of every administrative act.
//!
//! Every act opens one write transaction, checks, writes, and records itself through
//! [`audit`] — the one writer of `admin_audit` — before it commits: an act without its audit
//! row does not happen.
mod teams;
mod users;

pub use teams::{create_team, update_team};
pub use users::{create_user, reassign_open_deals, reset_password, set_active, update_user};

use crate::domain::admin::{AdminDirectory, AdminTeam, AdminUser, AuditAction, AuditPage, AuditRow, AUDIT_PAGE_MAX};
use crate::domain::dto::{AdminOverview, TeamRow, UserRow};
use crate::domain::error::AppError;
use crate::domain::locale::Locale;
use crate::domain::role::Role;
use crate::ssr::context::RequestContext;
use crate::ssr::db::Db;
use crate::ssr::db_err;
use crate::ssr::entity::{admin_audit, approval, deal, stage, team, user};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;

pub async fn overview(db: &Db, ctx: &RequestContext) -> Result<AdminOverview, AppError> {
    let d = directory(db, ctx).await?;
    Ok(AdminOverview {
        users: d
            .users
            .into_iter()
            .map(|u| UserRow { id: u.id, name: u.name, email: u.email, role: u.role, team: u.team, active: u.active })
            .collect(),
        teams: d.teams.into_iter().map(|t| TeamRow { id: t.id, name: t.name, manager: t.manager, members: t.members }).collect(),
    })
}

/// Every user and team, as the admin page and `GET /api/v1/admin/{users,teams}` show them.
pub async fn directory(db: &Db, ctx: &RequestContext) -> Result<AdminDirectory, AppError> {
    super::access::require_admin(ctx)?;
    let teams_m = team::Entity::find().order_by_asc(team::Column::Name).all(db).await.map_err(db_err)?;
    let users_m = user::Entity::find().order_by_asc(user::Column::Email).all(db).await.map_err(db_err)?;
    let open = open_deal_counts(db).await?;
    let waiting = pending_approval_counts(db).await?;
    let team_of: HashMap<i32, &team::Model> = teams_m.iter().map(|t| (t.id, t)).collect();
    let user_of: HashMap<i32, &user::Model> = users_m.iter().map(|u| (u.id, u)).collect();
    let users = users_m
        .iter()
        .filter_map(|u| {
            let t = u.team_id.and_then(|t| team_of.get(&t));
            Some(AdminUser {
                id: u.uuid,
                name: u.name.clone(),
                email: u.email.clone(),
                role: Role::parse(&u.role)?,
                team_id: t.map(|t| t.uuid),
                team: t.map(|t| t.name.clone()),
                locale: u.locale.as_deref().and_then(Locale::parse),
                active: u.active,
                must_change_password: u.must_change_password,
                open_deals: open.get(&u.id).copied().unwrap_or(0),
                pending_approvals: waiting.get(&u.id).copied().unwrap_or(0),
                version: u.version,
            })
        })
        .collect();
    let teams = teams_m
        .iter()
        .map(|t| {
            let m = t.manager_id.and_then(|m| user_of.get(&m));
            AdminTeam {
                id: t.uuid,
                name: t.name.clone(),
                manager_id: m.map(|m| m.uuid),
                manager: m.map(|m| m.name.clone()),
                members: users_m.iter().filter(|u| u.team_id == Some(t.id)).count() as u64,
                version: t.version,
            }
        })
        .collect();
    Ok(AdminDirectory { users, teams })
}

/// Open deals per owner.
async fn open_deal_counts(db: &Db) -> Result<HashMap<i32, u64>, AppError> {
    let rows: Vec<(i32, i64)> = deal::Entity::find()
        .select_only()
        .column(deal::Column::OwnerId)
        .column_as(Expr::cust("CAST(COUNT(*) AS BIGINT)"), "n")
        .filter(deal::Column::StageId.in_subquery(open_stages()))
        .group_by(deal::Column::OwnerId)
        .into_tuple()
        .all(db)
        .await
        .map_err(db_err)?;
    Ok(rows.into_iter().map(|(o, n)| (o, u64::try_from(n).unwrap_or(0))).collect())
}

/// Approvals waiting on each approver.
async fn pending_approval_counts(db: &Db) -> Result<HashMap<i32, u64>, AppError> {
    let rows: Vec<(Option<i32>, i64)> = approval::Entity::find()
        .select_only()
        .column(approval::Column::ApproverId)
        .column_as(Expr::cust("CAST(COUNT(*) AS BIGINT)"), "n")
        .filter(approval::Column::Status.eq("pending"))
        .filter(approval::Column::ApproverId.is_not_null())
        .group_by(approval::Column::ApproverId)
        .into_tuple()
        .all(db)
        .await
        .map_err(db_err)?;
    Ok(rows.into_iter().filter_map(|(a, n)| Some((a?, u64::try_from(n).unwrap_or(0)))).collect())
}

/// Ids of the open stages, as a subquery.
fn open_stages() -> sea_orm::sea_query::SelectStatement {
    sea_orm::sea_query::Query::select().column(stage::Column::Id).from(stage::Entity).and_where(stage::Column::Kind.eq("open")).to_owned()
}

/// Records one administrative act, inside the act's own transaction (see [`audit_as`]).
pub(crate) async fn audit<C: ConnectionTrait>(
    db: &C,
    ctx: &RequestContext,
    action: AuditAction,
    subject: (Option<uuid::Uuid>, &str),
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> Result<(), AppError> {
    audit_as(db, Some(ctx.user_id), action, subject, before, after).await
}

/// The only writer of `admin_audit`: an administrative act or a security event. `actor` is
/// `None` when nobody is signed in (a failed sign-in; stored as 0, no user has that id).
/// `before`/`after` describe the subject (never a password or its hash).
pub(crate) async fn audit_as<C: ConnectionTrait>(
    db: &C,
    actor: Option<i32>,
    action: AuditAction,
    subject: (Option<uuid::Uuid>, &str),
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> Result<(), AppError> {
    admin_audit::Entity::insert(admin_audit::ActiveModel {
        at: Set(chrono::Utc::now()),
        actor_id: Set(actor.unwrap_or(0)),
        action: Set(action.as_str().to_owned()),
        subject_kind: Set(action.subject_kind().to_owned()),
        subject_id: Set(subject.0),
        subject_label: Set(subject.1.chars().take(400).collect()),
        before: Set(before.map(|v| v.to_string())),
        after: Set(after.map(|v| v.to_string())),
        ..Default::default()
    })
    .exec_without_returning(db)
    .await
    .map_err(db_err)?;
    Ok(())
}

/// The audit log, newest first: `limit` rows (1–200) older than the row `before`.
pub async fn audit_page(db: &Db, ctx: &RequestContext, before: Option<i32>, limit: u64) -> Result<AuditPage, AppError> {
    super::access::require_admin(ctx)?;
    let limit = limit.clamp(1, AUDIT_PAGE_MAX);
    let mut q = admin_audit::Entity::find().order_by_desc(admin_audit::Column::Id).limit(limit + 1);
    if let Some(b) = before {
        q = q.filter(admin_audit::Column::Id.lt(b));
    }
    let mut rows = q.all(db).await.map_err(db_err)?;
    let more = rows.len() as u64 > limit;
    rows.truncate(limit as usize);
    let names = super::user_names(db, rows.iter().map(|r| r.actor_id).collect()).await?;
    let next = if more { rows.last().map(|r| r.id) } else { None };
    let rows = rows
        .into_iter()
        .filter_map(|r| {
            Some(AuditRow {
                id: r.id,
                at: r.at,
                actor: names.get(&r.actor_id).cloned().unwrap_or_default(),
                action: AuditAction::parse(&r.action)?,
                subject_kind: r.subject_kind,
                subject: r.subject_label,
                before: r.before,
                after: r.after,
            })
        })
        .collect();
    Ok(AuditPage { rows, next })
}
