//! Creating users, changing their role, team or language (their open deals follow them to a
//! new team), resetting a password, (de)activating (the approvals waiting on a leaver go to a
//! delegate), and handing a user's open deals to someone else.
use super::audit;
use crate::domain::admin::{self as rules, AdminUser, AuditAction, NewUser, ReassignOutcome, UserEdit, REASSIGN_MAX};
use crate::domain::dto::DealPatch;
use crate::domain::error::AppError;
use crate::domain::role::Role;
use crate::ssr::context::RequestContext;
use crate::ssr::db::Db;
use crate::ssr::db_err;
use crate::ssr::entity::{approval, deal, notification, team, user};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::json;

/// What the audit log keeps of a user (never the password hash).
fn snapshot(u: &user::Model, team: Option<&str>) -> serde_json::Value {
    json!({"name": u.name, "email": u.email, "role": u.role, "team": team, "locale": u.locale, "active": u.active,
        "must_change_password": u.must_change_password})
}

fn label(u: &user::Model) -> String {
    format!("{} <{}>", u.name, u.email)
}

async fn find<C: ConnectionTrait>(db: &C, id: uuid::Uuid) -> Result<user::Model, AppError> {
    user::Entity::find().filter(user::Column::Uuid.eq(id)).one(db).await.map_err(db_err)?.ok_or(AppError::NotFound)
}

async fn team_name<C: ConnectionTrait>(db: &C, id: Option<i32>) -> Result<Option<String>, AppError> {
    match id {
        Some(t) => Ok(team::Entity::find_by_id(t).one(db).await.map_err(db_err)?.map(|t| t.name)),
        None => Ok(None),
    }
}

/// The team a form names, or a 422 naming `team`.
async fn resolve_team<C: ConnectionTrait>(db: &C, id: Option<uuid::Uuid>) -> Result<Option<team::Model>, AppError> {
    match id {
        Some(t) => Ok(Some(
            team::Entity::find()
                .filter(team::Column::Uuid.eq(t))
                .one(db)
                .await
                .map_err(db_err)?
                .ok_or_else(|| AppError::validation("team", "no such team"))?,
        )),
        None => Ok(None),
    }
}

/// Teams the user manages, by name: a manager who is still some team's manager keeps the role
/// and stays active until the team has another.
async fn managed<C: ConnectionTrait>(db: &C, user_id: i32) -> Result<Vec<String>, AppError> {
    Ok(team::Entity::find()
        .filter(team::Column::ManagerId.eq(user_id))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|t| t.name)
        .collect())
}

async fn active_admins<C: ConnectionTrait>(db: &C) -> Result<u64, AppError> {
    user::Entity::find()
        .filter(user::Column::Role.eq(Role::Admin.as_str()))
        .filter(user::Column::Active.eq(true))
        .count(db)
        .await
        .map_err(db_err)
}

/// The user as the admin list shows them, read inside the act's transaction.
async fn row<C: ConnectionTrait>(db: &C, u: &user::Model) -> Result<AdminUser, AppError> {
    let t = match u.team_id {
        Some(t) => team::Entity::find_by_id(t).one(db).await.map_err(db_err)?,
        None => None,
    };
    let open = open_deal_count(db, u.id).await?;
    let pending_approvals = approval::Entity::find()
        .filter(approval::Column::ApproverId.eq(u.id))
        .filter(approval::Column::Status.eq("pending"))
        .count(db)
        .await
        .map_err(db_err)?;
    Ok(AdminUser {
        id: u.uuid,
        name: u.name.clone(),
        email: u.email.clone(),
        role: Role::parse(&u.role).ok_or(AppError::Internal)?,
        team_id: t.as_ref().map(|t| t.uuid),
        team: t.map(|t| t.name),
        locale: u.locale.as_deref().and_then(crate::domain::locale::Locale::parse),
        active: u.active,
        must_change_password: u.must_change_password,
        open_deals: open,
        pending_approvals,
        version: u.version,
    })
}

async fn hash(password: String) -> Result<String, AppError> {
    // argon2 is CPU-heavy: keep it off the async workers.
    tokio::task::spawn_blocking(move || crate::ssr::auth::hash_password(&password)).await.map_err(|_| AppError::Internal)?
}

/// A new user, who must change the initial password at first sign-in. A taken e-mail is a
/// 422 naming `email`, and nothing is written.
pub async fn create_user(db: &Db, ctx: &RequestContext, new: NewUser) -> Result<AdminUser, AppError> {
    super::super::access::require_admin(ctx)?;
    let name = rules::name("name", &new.name)?;
    let email = rules::email(&new.email)?;
    rules::password("password", &new.password)?;
    let password_hash = hash(new.password).await?;
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    let txn = &w.txn;
    let t = resolve_team(txn, new.team).await?;
    if user::Entity::find().filter(user::Column::Email.eq(email.clone())).count(txn).await.map_err(db_err)? > 0 {
        return Err(AppError::validation("email", "already belongs to another user"));
    }
    let now = chrono::Utc::now();
    let id = user::Entity::insert(user::ActiveModel {
        uuid: Set(uuid::Uuid::new_v4()),
        email: Set(email),
        name: Set(name),
        password_hash: Set(password_hash),
        role: Set(new.role.as_str().to_owned()),
        team_id: Set(t.as_ref().map(|t| t.id)),
        locale: Set(new.locale.map(|l| l.tag().to_owned())),
        active: Set(true),
        must_change_password: Set(true),
        started_on: Set(Some(now.date_naive())),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    })
    .exec(txn)
    .await
    .map_err(db_err)?
    .last_insert_id;
    let u = user::Entity::find_by_id(id).one(txn).await.map_err(db_err)?.ok_or(AppError::Internal)?;
    let after = snapshot(&u, t.as_ref().map(|t| t.name.as_str()));
    audit(txn, ctx, AuditAction::UserCreated, (Some(u.uuid), &label(&u)), None, Some(after)).await?;
    let out = row(txn, &u).await?;
    w.commit().await.map_err(db_err)?;
    Ok(out)
}

/// Name, role, team and language, under the version read. The last active administrator
/// keeps the role; a team's manager keeps the manager role until the team has another.
pub async fn update_user(db: &Db, ctx: &RequestContext, id: uuid::Uuid, edit: UserEdit) -> Result<AdminUser, AppError> {
    super::super::access::require_admin(ctx)?;
    let name = rules::name("name", &edit.name)?;
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    let txn = &w.txn;
    let u = find(txn, id).await?;
    if u.version != edit.version {
        return Err(AppError::Conflict);
    }
    let t = resolve_team(txn, edit.team).await?;
    let was = Role::parse(&u.role);
    if was == Some(Role::Admin) && edit.role != Role::Admin && u.active && active_admins(txn).await? <= 1 {
        return Err(AppError::validation("role", "the last active administrator stays an administrator"));
    }
    if edit.role != Role::Manager {
        if let Some(team) = managed(txn, u.id).await?.first() {
            return Err(AppError::validation("role", format!("manages the team {team}: give the team another manager first")));
        }
    }
    // Their open deals follow them to a new team (closed ones stay where they were won or
    // lost, so past figures do not move): all of them in this transaction, or none.
    let new_team = t.as_ref().map(|t| t.id);
    let n_open = if new_team != u.team_id { open_deal_count(txn, u.id).await? } else { 0 };
    if n_open > 0 && new_team.is_none() {
        return Err(AppError::validation(
            "team",
            format!("owns {n_open} open deal(s), which belong to the owner's team: choose a team or hand the deals over first"),
        ));
    }
    if n_open > REASSIGN_MAX {
        return Err(AppError::validation(
            "team",
            format!("owns {n_open} open deals; at most {REASSIGN_MAX} follow a team change: hand some over first, then move them"),
        ));
    }
    let follow = if n_open > 0 { open_deals(txn, u.id, REASSIGN_MAX).await? } else { Vec::new() };
    let before = snapshot(&u, team_name(txn, u.team_id).await?.as_deref());
    let res = user::Entity::update_many()
        .col_expr(user::Column::Name, Expr::value(name))
        .col_expr(user::Column::Role, Expr::value(edit.role.as_str()))
        .col_expr(user::Column::TeamId, Expr::value(t.as_ref().map(|t| t.id)))
        .col_expr(user::Column::Locale, Expr::value(edit.locale.map(|l| l.tag().to_owned())))
        .col_expr(user::Column::UpdatedAt, Expr::value(chrono::Utc::now()))
        .col_expr(user::Column::Version, Expr::col(user::Column::Version).add(1))
        .filter(user::Column::Id.eq(u.id))
        .filter(user::Column::Version.eq(edit.version))
        .exec(txn)
        .await
        .map_err(db_err)?;
    if res.rows_affected != 1 {
        return Err(AppError::Conflict);
    }
    let now = find(txn, id).await?;
    let mut moved = Vec::with_capacity(follow.len());
    for d in &follow {
        // The one deal write: totals, forecast cells, progress, history, trend points.
        let patch = DealPatch { version: d.version, owner: Some(now.uuid), ..Default::default() };
        moved.push(crate::ssr::service::deal::patch_in(txn, ctx, d.uuid, patch).await.map_err(|e| match e {
            AppError::Validation { field, message } if field == "owner" => AppError::Validation { field: "team".into(), message },
            other => other,
        })?);
    }
    let mut after = snapshot(&now, t.as_ref().map(|t| t.name.as_str()));
    if new_team != u.team_id {
        after["deals_moved"] = json!(moved.len());
    }
    if after != before {
        audit(txn, ctx, AuditAction::UserUpdated, (Some(u.uuid), &label(&now)), Some(before), Some(after)).await?;
    }
    let out = row(txn, &now).await?;
    w.commit().await.map_err(db_err)?;
    announce(db, ctx, &moved).await;
    Ok(out)
}

async fn open_deal_count<C: ConnectionTrait>(db: &C, owner: i32) -> Result<u64, AppError> {
    deal::Entity::find()
        .filter(deal::Column::OwnerId.eq(owner))
        .filter(deal::Column::StageId.in_subquery(super::open_stages()))
        .count(db)
        .await
        .map_err(db_err)
}

/// Up to `limit` open deals the user owns, oldest first.
async fn open_deals<C: ConnectionTrait>(db: &C, owner: i32, limit: u64) -> Result<Vec<deal::Model>, AppError> {
    deal::Entity::find()
        .filter(deal::Column::OwnerId.eq(owner))
        .filter(deal::Column::StageId.in_subquery(super::open_stages()))
        .order_by_asc(deal::Column::Id)
        .limit(limit)
        .all(db)
        .await
        .map_err(db_err)
}

/// After the commit: one `deal_updated` per team that lost or gained deals, so open boards
/// reload once, not per deal.
async fn announce(db: &Db, ctx: &RequestContext, moved: &[(deal::Model, deal::Model)]) {
    let mut told = std::collections::BTreeSet::new();
    for (before, after) in moved {
        for d in [before, after] {
            if told.insert(d.team_id) {
                crate::ssr::events::publish_deal(db, "deal_updated", d, ctx.user_id).await;
            }
        }
    }
}

/// The approvals waiting on the user's decision, oldest first.
async fn waiting<C: ConnectionTrait>(db: &C, approver: i32) -> Result<Vec<approval::Model>, AppError> {
    approval::Entity::find()
        .filter(approval::Column::ApproverId.eq(approver))
        .filter(approval::Column::Status.eq("pending"))
        .order_by_asc(approval::Column::Id)
        .all(db)
        .await
        .map_err(db_err)
}

/// The approvals waiting on a leaver, handed to `delegate` (checked by
/// [`rules::check_delegate`]) under their versions, and a bell notification for each, like a
/// new request. Returns the deals concerned (for the live events after the commit).
async fn hand_over_approvals<C: ConnectionTrait>(
    txn: &C,
    leaver: &user::Model,
    pending: &[approval::Model],
    delegate: &user::Model,
) -> Result<Vec<deal::Model>, AppError> {
    let now = chrono::Utc::now();
    let ids: Vec<i32> = pending.iter().map(|a| a.id).collect();
    for chunk in ids.chunks(500) {
        let res = approval::Entity::update_many()
            .col_expr(approval::Column::ApproverId, Expr::value(delegate.id))
            .col_expr(approval::Column::UpdatedAt, Expr::value(now))
            .col_expr(approval::Column::Version, Expr::col(approval::Column::Version).add(1))
            .filter(approval::Column::Id.is_in(chunk.to_vec()))
            .filter(approval::Column::ApproverId.eq(leaver.id))
            .filter(approval::Column::Status.eq("pending"))
            .exec(txn)
            .await
            .map_err(db_err)?;
        if res.rows_affected != chunk.len() as u64 {
            // One was decided meanwhile: nothing moves, the admin tries again.
            return Err(AppError::Conflict);
        }
    }
    let notes: Vec<notification::ActiveModel> = pending
        .iter()
        .map(|a| {
            let subject = a.reason.as_deref().map(|r| r.chars().take(80).collect::<String>()).unwrap_or_default();
            notification::ActiveModel {
                user_id: Set(delegate.id),
                deal_id: Set(a.deal_id),
                comment_id: Set(None),
                kind: Set("approval_delegated".into()),
                text: Set(format!("{} · {subject}", leaver.name)),
                created_at: Set(now),
                read_at: Set(None),
                ..Default::default()
            }
        })
        .collect();
    for chunk in notes.chunks(500) {
        notification::Entity::insert_many(chunk.to_vec()).exec_without_returning(txn).await.map_err(db_err)?;
    }
    let deals = crate::ssr::service::mapping::deals_by_id(txn, pending.iter().map(|a| a.deal_id)).await?;
    Ok(deals.into_values().collect())
}

/// The delegate a deactivation names for the approvals waiting on the leaver, checked against
/// the routing rules; a 422 naming `delegate` when approvals wait and none is named.
async fn delegate_for<C: ConnectionTrait>(
    txn: &C,
    leaver: &user::Model,
    pending: &[approval::Model],
    delegate: Option<uuid::Uuid>,
) -> Result<user::Model, AppError> {
    let n = pending.len();
    let Some(id) = delegate else {
        return Err(AppError::validation(
            "delegate",
            format!("{n} approval(s) are waiting on their decision: name an active user to decide them instead"),
        ));
    };
    let d = find(txn, id).await.map_err(|_| AppError::validation("delegate", "no such user"))?;
    if d.id == leaver.id {
        return Err(AppError::validation("delegate", "choose someone who stays"));
    }
    let role = Role::parse(&d.role).ok_or(AppError::Internal)?;
    let leaver_role = Role::parse(&leaver.role).ok_or(AppError::Internal)?;
    let managed: Vec<i32> =
        team::Entity::find().filter(team::Column::ManagerId.eq(d.id)).all(txn).await.map_err(db_err)?.into_iter().map(|t| t.id).collect();
    let sees = crate::domain::role::Visibility::for_user(role, d.id, d.team_id, &managed);
    let deals = crate::ssr::service::mapping::deals_by_id(txn, pending.iter().map(|a| a.deal_id)).await?;
    let waiting: Vec<rules::Waiting> = pending
        .iter()
        .filter_map(|a| Some(rules::Waiting { deal_team: deals.get(&a.deal_id)?.team_id, requested_by: a.requested_by }))
        .collect();
    rules::check_delegate(leaver_role, &rules::Delegate { id: d.id, role, active: d.active, sees: &sees }, &waiting)?;
    Ok(d)
}

/// Sets a new password the user must change at next sign-in, and ends their sessions and
/// tokens. Admins change their own password on the change-password page instead.
pub async fn reset_password(db: &Db, ctx: &RequestContext, id: uuid::Uuid, password: String) -> Result<AdminUser, AppError> {
    super::super::access::require_admin(ctx)?;
    rules::password("password", &password)?;
    let password_hash = hash(password).await?;
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    let txn = &w.txn;
    let u = find(txn, id).await?;
    if u.id == ctx.user_id {
        return Err(AppError::validation("user", "change your own password on the change-password page"));
    }
    user::Entity::update_many()
        .col_expr(user::Column::PasswordHash, Expr::value(password_hash))
        .col_expr(user::Column::MustChangePassword, Expr::value(true))
        .col_expr(user::Column::UpdatedAt, Expr::value(chrono::Utc::now()))
        .col_expr(user::Column::Version, Expr::col(user::Column::Version).add(1))
        .filter(user::Column::Id.eq(u.id))
        .exec(txn)
        .await
        .map_err(db_err)?;
    let ended = crate::ssr::session_store::end_sessions_of(txn, u.id, None).await.map_err(db_err)?;
    let before = json!({"must_change_password": u.must_change_password});
    let after = json!({"must_change_password": true, "sessions_ended": ended});
    audit(txn, ctx, AuditAction::PasswordReset, (Some(u.uuid), &label(&u)), Some(before), Some(after)).await?;
    let out = row(txn, &find(txn, id).await?).await?;
    w.commit().await.map_err(db_err)?;
    Ok(out)
}

/// Deactivates (sessions and tokens end at once; their deals stay theirs until reassigned) or
/// reactivates a user. Nobody deactivates themselves, the last active administrator, or a
/// team's manager (give the team another manager first). Approvals waiting on the leaver's
/// decision go to `delegate` in the same transaction (an active user routing could have sent
/// them to, see [`rules::check_delegate`]); with approvals waiting and no delegate it is a 422
/// naming `delegate` that says how many. `delegate` is not used otherwise. Setting the state
/// it already has changes and records nothing.
pub async fn set_active(
    db: &Db,
    ctx: &RequestContext,
    id: uuid::Uuid,
    active: bool,
    delegate: Option<uuid::Uuid>,
) -> Result<AdminUser, AppError> {
    super::super::access::require_admin(ctx)?;
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    let txn = &w.txn;
    let u = find(txn, id).await?;
    if u.active == active {
        let out = row(txn, &u).await?;
        return Ok(out);
    }
    let mut handed: Option<(Vec<approval::Model>, user::Model)> = None;
    if !active {
        if u.id == ctx.user_id {
            return Err(AppError::validation("user", "you cannot deactivate yourself"));
        }
        if u.role == Role::Admin.as_str() && active_admins(txn).await? <= 1 {
            return Err(AppError::validation("user", "the last active administrator cannot be deactivated"));
        }
        if let Some(team) = managed(txn, u.id).await?.first() {
            return Err(AppError::validation("user", format!("manages the team {team}: give the team another manager first")));
        }
        let pending = waiting(txn, u.id).await?;
        if !pending.is_empty() {
            let d = delegate_for(txn, &u, &pending, delegate).await?;
            handed = Some((pending, d));
        }
    }
    user::Entity::update_many()
        .col_expr(user::Column::Active, Expr::value(active))
        .col_expr(user::Column::UpdatedAt, Expr::value(chrono::Utc::now()))
        .col_expr(user::Column::Version, Expr::col(user::Column::Version).add(1))
        .filter(user::Column::Id.eq(u.id))
        .exec(txn)
        .await
        .map_err(db_err)?;
    let mut after = json!({"active": active});
    let mut told = Vec::new();
    if !active {
        after["sessions_ended"] = json!(crate::ssr::session_store::end_sessions_of(txn, u.id, None).await.map_err(db_err)?);
        if let Some((pending, d)) = &handed {
            told = hand_over_approvals(txn, &u, pending, d).await?;
            after["approvals_delegated"] = json!(pending.len());
            after["delegate"] = json!(label(d));
        }
    }
    let action = if active { AuditAction::UserReactivated } else { AuditAction::UserDeactivated };
    audit(txn, ctx, action, (Some(u.uuid), &label(&u)), Some(json!({"active": u.active})), Some(after)).await?;
    let out = row(txn, &find(txn, id).await?).await?;
    w.commit().await.map_err(db_err)?;
    // The delegate's inbox and bell, and every open page of those deals, hear of it.
    for d in &told {
        crate::ssr::events::publish_deal(db, "approval_requested", d, ctx.user_id).await;
    }
    Ok(out)
}

/// Hands up to [`REASSIGN_MAX`] of `from`'s open deals to `to`, each through the one deal
/// write (`deal::patch_in`: totals, forecast cells, progress, history, the deal team), all in
/// one transaction: every deal moves or none does.
pub async fn reassign_open_deals(db: &Db, ctx: &RequestContext, from: uuid::Uuid, to: uuid::Uuid) -> Result<ReassignOutcome, AppError> {
    super::super::access::require_admin(ctx)?;
    if from == to {
        return Err(AppError::validation("to", "choose someone else"));
    }
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    let txn = &w.txn;
    let old = find(txn, from).await?;
    let new = find(txn, to).await.map_err(|_| AppError::validation("to", "no such user"))?;
    if !new.active {
        return Err(AppError::validation("to", "is deactivated"));
    }
    if new.team_id.is_none() {
        return Err(AppError::validation("to", "has no team; deals belong to the owner's team"));
    }
    let deals = open_deals(txn, old.id, REASSIGN_MAX).await?;
    let mut moved = Vec::with_capacity(deals.len());
    for d in &deals {
        let patch = DealPatch { version: d.version, owner: Some(to), ..Default::default() };
        let (before, after) = crate::ssr::service::deal::patch_in(txn, ctx, d.uuid, patch).await.map_err(|e| match e {
            AppError::Validation { field, message } if field == "owner" => AppError::Validation { field: "to".into(), message },
            other => other,
        })?;
        moved.push((before, after));
    }
    let remaining = open_deal_count(txn, old.id).await?;
    let new_team = team_name(txn, new.team_id).await?;
    let ids: Vec<String> = moved.iter().map(|(d, _)| d.uuid.to_string()).collect();
    audit(
        txn,
        ctx,
        AuditAction::DealsReassigned,
        (Some(old.uuid), &label(&old)),
        Some(json!({"owner": label(&old), "open_deals": deals.len() as u64 + remaining})),
        Some(json!({"owner": label(&new), "team": new_team, "moved": ids.len(), "deals": ids, "remaining": remaining})),
    )
    .await?;
    w.commit().await.map_err(db_err)?;
    announce(db, ctx, &moved).await;
    Ok(ReassignOutcome { moved: moved.len() as u64, remaining })
}
