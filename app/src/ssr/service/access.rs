//! The access policy at the database: loads the facts `domain::access` decides on and turns
//! its "no" into an error, and turns visibility into query filters. A leaf of the service
//! graph (it depends on entities and domain only); every service asks here.
use crate::domain::access::{self as rule, Actor, DealAction, DealFacts, TeamRole};
use crate::domain::error::AppError;
use crate::domain::role::Visibility;
use crate::ssr::context::RequestContext;
use crate::ssr::db_err;
use crate::ssr::entity::{account, approval, deal, deal_member};
use sea_orm::sea_query::{Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, QueryTrait};

pub fn actor(ctx: &RequestContext) -> Actor<'_> {
    Actor { user_id: ctx.user_id, role: ctx.role, visibility: &ctx.visibility }
}

/// The deal's team as (user, role); an unknown role string counts as "other".
pub async fn team_of<C: ConnectionTrait>(db: &C, d: &deal::Model) -> Result<Vec<(i32, TeamRole)>, AppError> {
    Ok(deal_member::Entity::find()
        .filter(deal_member::Column::DealId.eq(d.id))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|m| (m.user_id, TeamRole::parse(&m.role).unwrap_or(TeamRole::Other)))
        .collect())
}

/// Whether the actor may do `action` to a deal whose team is known.
pub fn allows(ctx: &RequestContext, action: DealAction, d: &deal::Model, team: &[(i32, TeamRole)]) -> bool {
    rule::may_deal(&actor(ctx), action, &DealFacts { team_id: d.team_id, owner_id: d.owner_id, members: team })
}

/// Loads a deal for `action`: NotFound when the user may not see it (an id reveals
/// nothing), Forbidden when they see it but may not do this.
pub async fn deal_for<C: ConnectionTrait>(
    db: &C,
    ctx: &RequestContext,
    id: uuid::Uuid,
    action: DealAction,
) -> Result<deal::Model, AppError> {
    let d = deal::Entity::find().filter(deal::Column::Uuid.eq(id)).one(db).await.map_err(db_err)?.ok_or(AppError::NotFound)?;
    check(db, ctx, &d, action).await?;
    Ok(d)
}

/// The same check for a deal already loaded (found through a child row, say).
pub async fn check<C: ConnectionTrait>(db: &C, ctx: &RequestContext, d: &deal::Model, action: DealAction) -> Result<(), AppError> {
    check_with_team(db, ctx, d, action).await.map(|_| ())
}

/// [`check`], returning the deal team it read (for callers that show what else is allowed).
pub async fn check_with_team<C: ConnectionTrait>(
    db: &C,
    ctx: &RequestContext,
    d: &deal::Model,
    action: DealAction,
) -> Result<Vec<(i32, TeamRole)>, AppError> {
    let team = team_of(db, d).await?;
    if !allows(ctx, DealAction::View, d, &team) {
        return Err(AppError::NotFound);
    }
    if !allows(ctx, action, d, &team) {
        return Err(AppError::Forbidden);
    }
    Ok(team)
}

/// A deal the user may see.
pub async fn visible_deal<C: ConnectionTrait>(db: &C, ctx: &RequestContext, id: uuid::Uuid) -> Result<deal::Model, AppError> {
    deal_for(db, ctx, id, DealAction::View).await
}

/// Accounts and contacts: everyone who works deals edits them.
pub fn require_account_editor(ctx: &RequestContext) -> Result<(), AppError> {
    if rule::may_edit_accounts(ctx.role) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Merging accounts.
pub fn require_account_merger(ctx: &RequestContext) -> Result<(), AppError> {
    if rule::may_merge_accounts(ctx.role) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Handing an account to `owner_id` (of `owner_team`): a manager within their teams, an admin
/// anywhere (Forbidden for the roles that never assign; the owner field named otherwise).
pub fn require_account_owner_change(ctx: &RequestContext, owner_id: i32, owner_team: i32) -> Result<(), AppError> {
    if !rule::may_assign_others(ctx.role) {
        return Err(AppError::Forbidden);
    }
    if !rule::may_assign(&actor(ctx), owner_id, owner_team) {
        return Err(AppError::validation("owner", "not one of the teams you run"));
    }
    Ok(())
}

/// Administration.
pub fn require_admin(ctx: &RequestContext) -> Result<(), AppError> {
    if rule::may_administer(ctx.role) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// The visibility rule as a filter on `deals`.
pub fn deal_visibility(v: &Visibility) -> Condition {
    if v.all {
        return Condition::all();
    }
    let mut c = Condition::any();
    if !v.team_ids.is_empty() {
        c = c.add(deal::Column::TeamId.is_in(v.team_ids.clone()));
    }
    if let Some(u) = v.member_user_id {
        c = c.add(
            deal::Column::Id.in_subquery(
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

/// Ids of the deals the user sees, as a subquery for child tables (activities, checklists).
pub fn visible_deal_ids(ctx: &RequestContext) -> SelectStatement {
    Query::select().column(deal::Column::Id).from(deal::Entity).cond_where(deal_visibility(&ctx.visibility)).to_owned()
}

/// Accounts the user sees: their teams' accounts, the accounts they own (a presales user who
/// creates one sees it), and the accounts of every deal they see.
pub fn account_visibility(ctx: &RequestContext) -> Condition {
    let v = &ctx.visibility;
    if v.all {
        return Condition::all();
    }
    let visible_deal_accounts = deal::Entity::find().select_only().column(deal::Column::AccountId).filter(deal_visibility(v)).into_query();
    let mut c = Condition::any().add(account::Column::Id.in_subquery(visible_deal_accounts)).add(account::Column::OwnerId.eq(ctx.user_id));
    if !v.team_ids.is_empty() {
        c = c.add(account::Column::TeamId.is_in(v.team_ids.clone()));
    }
    c
}

/// Approval requests the user sees: admins all; approvers what is routed to them,
/// requesters their own (a teammate who sees the deal does not see its requests).
pub fn approval_visibility(ctx: &RequestContext) -> Condition {
    if rule::may_administer(ctx.role) {
        Condition::all()
    } else {
        Condition::any().add(approval::Column::ApproverId.eq(ctx.user_id)).add(approval::Column::RequestedBy.eq(ctx.user_id))
    }
}

/// Whose books a capacity view may show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CapacityScope {
    /// The teams whose members are listed; `None`: every team.
    pub teams: Option<Vec<i32>>,
    /// Only this user (a rep sees their own book, not their teammates').
    pub only_user: Option<i32>,
}

/// The capacity view: executives and admins (everyone who sees all) any team or all, a manager
/// the teams they see, anyone else their own book. A team the viewer cannot see is NotFound,
/// as for a guessed id.
pub fn capacity_scope(ctx: &RequestContext, team: Option<i32>) -> Result<CapacityScope, AppError> {
    let v = &ctx.visibility;
    if let Some(t) = team {
        if !v.all && !v.team_ids.contains(&t) {
            return Err(AppError::NotFound);
        }
    }
    let only_user = (!v.all && ctx.role != crate::domain::role::Role::Manager).then_some(ctx.user_id);
    let teams = match (team, v.all) {
        (Some(t), _) => Some(vec![t]),
        (None, true) => None,
        (None, false) => Some(v.team_ids.clone()),
    };
    Ok(CapacityScope { teams, only_user })
}
