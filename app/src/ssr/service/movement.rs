//! The one way a deal changes stage: board drag, form, REST and imports all call `move_deal`.
//! Inside one transaction: re-read with the version, check the gate, write, append history.
use super::access;
/// Kept for callers outside the services (REST); new code asks `access`.
pub use super::access::visible_deal;
use super::history;
use super::mapping::cards;
use crate::domain::access::DealAction;
use crate::domain::dto::{MissingItem, MoveOutcome};
use crate::domain::error::AppError;
use crate::domain::gate::{ForbidReason, GateRules, GateStage, MoveInput, Outcome, Policy, Requirement, StageKind};
use crate::domain::history::HistoryKind;
use crate::domain::keyinfo::KeyInfo;
use crate::ssr::context::RequestContext;
use crate::ssr::db::Db;
use crate::ssr::db_err;
use crate::ssr::entity::{approval, deal, deal_key_info, stage, stage_requirement, stage_transition, team, user};
use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

#[derive(Clone, Debug)]
pub struct MoveCommand {
    pub deal: uuid::Uuid,
    pub to_stage: uuid::Uuid,
    pub version: i32,
    pub reason: Option<String>,
    pub lost_reason: Option<String>,
}

/// The gate rules of a pipeline as stored (admins may have edited the template copy).
pub async fn load_rules<C: ConnectionTrait>(db: &C, pipeline_id: i32) -> Result<(GateRules, Vec<stage::Model>), AppError> {
    let stages = stage::Entity::find().filter(stage::Column::PipelineId.eq(pipeline_id)).all(db).await.map_err(db_err)?;
    let ids: Vec<i32> = stages.iter().map(|s| s.id).collect();
    let reqs = stage_requirement::Entity::find().filter(stage_requirement::Column::StageId.is_in(ids)).all(db).await.map_err(db_err)?;
    let overrides =
        stage_transition::Entity::find().filter(stage_transition::Column::PipelineId.eq(pipeline_id)).all(db).await.map_err(db_err)?;
    let rules = GateRules {
        stages: stages
            .iter()
            .map(|s| GateStage {
                id: s.id,
                position: s.position,
                kind: StageKind::parse(&s.kind).unwrap_or(StageKind::Open),
                requirements: reqs.iter().filter(|r| r.stage_id == s.id).filter_map(|r| Requirement::parse(&r.code)).collect(),
            })
            .collect(),
        overrides: overrides.iter().filter_map(|o| Some((o.from_stage_id, o.to_stage_id, Policy::parse(&o.policy)?))).collect(),
    };
    Ok((rules, stages))
}

pub async fn load_key_info<C: ConnectionTrait>(db: &C, deal_id: i32) -> Result<(KeyInfo, i32), AppError> {
    match deal_key_info::Entity::find_by_id(deal_id).one(db).await.map_err(db_err)? {
        Some(k) => Ok((serde_json::from_str(&k.data).unwrap_or_default(), k.version)),
        None => Ok((KeyInfo::default(), 0)),
    }
}

fn forbid_code(r: ForbidReason) -> &'static str {
    match r {
        ForbidReason::SameStage => "same_stage",
        ForbidReason::UnknownStage => "unknown_stage",
        ForbidReason::ReadOnlyRole => "read_only_role",
        ForbidReason::Policy => "policy",
    }
}

/// A move and its "moved" row (with the progress it makes): the one write of a move, for the
/// board and for an approved request.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn move_with_history<C: ConnectionTrait>(
    db: &C,
    d: &deal::Model,
    to: &stage::Model,
    stages: &[stage::Model],
    lost_reason: Option<String>,
    actor: i32,
    note: Option<String>,
    approval_id: Option<i32>,
) -> Result<(), AppError> {
    let at = apply_move(db, d, to, stages, lost_reason).await?;
    if StageKind::parse(&to.kind) == Some(StageKind::Won) {
        super::account::cadence::on_won(db, d).await?;
    }
    let facts: Vec<_> = stages.iter().map(super::convert::stage_fact).collect();
    history::append_value(db, history::moved(d, actor, to.id, note, approval_id, at), d.team_id, d.owner_id, &facts).await
}

/// Writes the move itself; the version guard makes a concurrent writer lose cleanly. Returns
/// the instant the deal entered the stage (its "moved" row carries the same).
pub(crate) async fn apply_move<C: ConnectionTrait>(
    db: &C,
    d: &deal::Model,
    to: &stage::Model,
    stages: &[stage::Model],
    lost_reason: Option<String>,
) -> Result<chrono::DateTime<Utc>, AppError> {
    let now = Utc::now();
    let mut q = deal::Entity::update_many()
        .col_expr(deal::Column::StageId, Expr::value(to.id))
        .col_expr(deal::Column::StageEnteredAt, Expr::value(now))
        .col_expr(deal::Column::UpdatedAt, Expr::value(now))
        .col_expr(deal::Column::Version, Expr::col(deal::Column::Version).add(1));
    if StageKind::parse(&to.kind) == Some(StageKind::Lost) {
        q = q.col_expr(deal::Column::LostReason, Expr::value(lost_reason.or(d.lost_reason.clone())));
    } else if d.lost_reason.is_some() {
        q = q.col_expr(deal::Column::LostReason, Expr::value(Option::<String>::None));
    }
    let res = q.filter(deal::Column::Id.eq(d.id)).filter(deal::Column::Version.eq(d.version)).exec(db).await.map_err(db_err)?;
    if res.rows_affected != 1 {
        return Err(super::history::changed_meanwhile(db, d.id).await);
    }
    let after = deal::Model { stage_id: to.id, stage_entered_at: now, ..d.clone() };
    let stages: Vec<_> = stages.iter().map(super::convert::stage_fact).collect();
    super::totals::record_with(db, &stages, Some(d), Some(&after)).await?;
    Ok(now)
}

pub async fn move_deal(db: &Db, ctx: &RequestContext, cmd: MoveCommand) -> Result<MoveOutcome, AppError> {
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    let txn = &w.txn;
    let d = deal::Entity::find().filter(deal::Column::Uuid.eq(cmd.deal)).one(txn).await.map_err(db_err)?.ok_or(AppError::NotFound)?;
    // Read-only roles get the gate's "read_only_role" answer (and a history row); anyone
    // else who sees the deal but may not change it is refused outright.
    if !crate::domain::access::reads_only(ctx.role) {
        access::check(txn, ctx, &d, DealAction::Edit).await?;
    } else {
        access::check(txn, ctx, &d, DealAction::View).await?;
    }
    if d.version != cmd.version {
        return Err(super::history::changed_meanwhile(txn, d.id).await);
    }
    let (rules, stages) = load_rules(txn, d.pipeline_id).await?;
    let Some(to) = stages.iter().find(|s| s.uuid == cmd.to_stage).cloned() else {
        return Ok(MoveOutcome::Forbidden { reason: forbid_code(ForbidReason::UnknownStage).into() });
    };
    let (key_info, _) = load_key_info(txn, d.id).await?;
    let map = super::map::gate_map(txn, d.id).await?;
    let checklists = super::checklist::gate_checklists(txn, d.id).await?;
    // Only a move into a stage that needs a quote reads the deal's quotes.
    let quotes = if rules.needs_quotes(d.stage_id, to.id) { quote_facts(txn, d.id).await? } else { Default::default() };
    let open_objections = if rules.needs_objections(d.stage_id, to.id) { super::objection::open_count(txn, d.id).await? } else { 0 };
    let outcome = rules.check(&MoveInput {
        from_stage: d.stage_id,
        to_stage: to.id,
        key_info: &key_info,
        map: &map,
        checklists: &checklists,
        quotes,
        open_objections,
        today: Utc::now().date_naive(),
        reason: cmd.reason.as_deref(),
        lost_reason: cmd.lost_reason.as_deref().or(d.lost_reason.as_deref()),
        role: ctx.role,
        approved: false,
    });
    // `None`: moved. Its card is read after the commit, outside the write lock, which
    // serialises every write (SQLite): seven reads fewer held under it per move.
    let result = match outcome {
        Outcome::Moved => {
            move_with_history(
                txn,
                &d,
                &to,
                &stages,
                cmd.lost_reason.clone(),
                ctx.user_id,
                cmd.reason.clone().or(cmd.lost_reason.clone()),
                None,
            )
            .await?;
            None
        }
        Outcome::Blocked(missing) => {
            let codes: Vec<String> = missing.iter().map(|m| m.code()).collect();
            history::append(
                txn,
                history::transition(d.id, ctx.user_id, HistoryKind::Blocked, d.stage_id, to.id, Some(codes.join(",")), None),
            )
            .await?;
            Some(MoveOutcome::Blocked { missing: codes.into_iter().map(|code| MissingItem { code }).collect() })
        }
        Outcome::Forbidden(r) => {
            history::append(
                txn,
                history::transition(d.id, ctx.user_id, HistoryKind::Forbidden, d.stage_id, to.id, Some(forbid_code(r).into()), None),
            )
            .await?;
            Some(MoveOutcome::Forbidden { reason: forbid_code(r).into() })
        }
        Outcome::NeedsApproval => {
            // One open move request per deal: asking again returns the one already waiting
            // (a quote's or a contract's pending step is another matter).
            if let Some(a) = approval::Entity::find()
                .filter(approval::Column::DealId.eq(d.id))
                .filter(approval::Column::Status.eq("pending"))
                .filter(approval::Column::Kind.eq("stage_move"))
                .one(txn)
                .await
                .map_err(db_err)?
            {
                let approver = approver_name(txn, a.approver_id).await?;
                w.commit().await.map_err(db_err)?;
                return Ok(MoveOutcome::PendingApproval { approval_id: a.uuid, approver });
            }
            let approver_id = route_approval(txn, d.owner_id).await?;
            let now = Utc::now();
            let a_uuid = uuid::Uuid::new_v4();
            let a = approval::ActiveModel {
                uuid: Set(a_uuid),
                deal_id: Set(d.id),
                kind: Set("stage_move".into()),
                requested_by: Set(ctx.user_id),
                approver_id: Set(approver_id),
                from_stage_id: Set(Some(d.stage_id)),
                to_stage_id: Set(Some(to.id)),
                reason: Set(cmd.reason.clone().or(cmd.lost_reason.clone())),
                status: Set("pending".into()),
                decided_by: Set(None),
                decided_at: Set(None),
                comment: Set(None),
                result: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
                version: Set(1),
                ..Default::default()
            };
            let a_id = approval::Entity::insert(a).exec(txn).await.map_err(db_err)?.last_insert_id;
            history::append(
                txn,
                history::transition(d.id, ctx.user_id, HistoryKind::ApprovalRequested, d.stage_id, to.id, cmd.reason.clone(), Some(a_id)),
            )
            .await?;
            Some(MoveOutcome::PendingApproval { approval_id: a_uuid, approver: approver_name(txn, approver_id).await? })
        }
    };
    w.commit().await.map_err(db_err)?;
    let result = match result {
        Some(r) => r,
        None => {
            let fresh = deal::Entity::find_by_id(d.id).one(db).await.map_err(db_err)?.ok_or(AppError::NotFound)?;
            let stage_map: HashMap<i32, stage::Model> = stages.iter().map(|s| (s.id, s.clone())).collect();
            MoveOutcome::Moved { card: cards(db, vec![fresh], &stage_map).await?.pop().ok_or(AppError::Internal)? }
        }
    };
    let kind = match &result {
        MoveOutcome::Moved { .. } => Some("deal_moved"),
        MoveOutcome::PendingApproval { .. } => Some("approval_requested"),
        _ => None,
    };
    if let Some(kind) = kind {
        crate::ssr::events::publish_deal(db, kind, &d, ctx.user_id).await;
    }
    Ok(result)
}

async fn approver_name<C: ConnectionTrait>(db: &C, id: Option<i32>) -> Result<Option<String>, AppError> {
    match id {
        Some(id) => Ok(user::Entity::find_by_id(id).one(db).await.map_err(db_err)?.map(|u| u.name)),
        None => Ok(None),
    }
}

/// The owner's team manager decides; with no manager, a general manager, then an admin.
/// What the deal's quotes show the gate, in one statement: only revisions in an approved
/// state count (a superseded one is never live), and a passed validity date expires them.
pub async fn quote_facts<C: ConnectionTrait>(db: &C, deal_id: i32) -> Result<crate::domain::gate::QuoteFacts, AppError> {
    use crate::domain::quote::{effective, QuoteStatus};
    use crate::ssr::entity::quote;
    use sea_orm::QuerySelect;
    let today = Utc::now().with_timezone(&crate::domain::forecast::offset()).date_naive();
    let rows: Vec<(String, chrono::NaiveDate)> = quote::Entity::find()
        .select_only()
        .column(quote::Column::Status)
        .column(quote::Column::ValidUntil)
        .filter(quote::Column::DealId.eq(deal_id))
        .filter(quote::Column::Status.is_in([QuoteStatus::Approved.as_str(), QuoteStatus::Sent.as_str(), QuoteStatus::Accepted.as_str()]))
        .into_tuple()
        .all(db)
        .await
        .map_err(db_err)?;
    let mut f = crate::domain::gate::QuoteFacts::default();
    for (status, valid_until) in rows {
        let Some(stored) = QuoteStatus::parse(&status) else { continue };
        match effective(stored, valid_until, today) {
            QuoteStatus::Approved => f.approved = true,
            QuoteStatus::Sent | QuoteStatus::Accepted => {
                f.approved = true;
                f.sent = true;
            }
            _ => {}
        }
    }
    // Contracts are read here, not through their service, which routes its approvals
    // through this one.
    let statuses: Vec<String> = crate::ssr::entity::contract::Entity::find()
        .select_only()
        .column(crate::ssr::entity::contract::Column::Status)
        .filter(crate::ssr::entity::contract::Column::DealId.eq(deal_id))
        .into_tuple()
        .all(db)
        .await
        .map_err(db_err)?;
    use crate::domain::contract::ContractStatus as C;
    for s in statuses.iter().filter_map(|s| C::parse(s)) {
        f.contract_approved |= matches!(s, C::Approved | C::Signed);
        f.contract_signed |= s == C::Signed;
    }
    Ok(f)
}

/// The person who decides a step for a deal's papers (a quote, a contract, a negotiation's
/// result): the owner's team manager (the general manager when that is the submitter or
/// there is none), a legal user, or the general manager. Finance has no role of its own yet;
/// its step goes to the general manager.
pub async fn route_to<C: ConnectionTrait>(
    db: &C,
    step: crate::domain::contract::Approver,
    owner_id: i32,
    submitter: i32,
) -> Result<i32, AppError> {
    use crate::domain::contract::Approver;
    if step == Approver::SalesManager {
        if let Some(m) = route_approval(db, owner_id).await? {
            let is_manager = user::Entity::find_by_id(m).one(db).await.map_err(db_err)?.is_some_and(|u| u.role == "manager" && u.active);
            if m != submitter && is_manager {
                return Ok(m);
            }
        }
    }
    let (role, what) = match step {
        Approver::Legal => ("legal", "legal reviewer"),
        _ => ("gm", "general manager"),
    };
    user::Entity::find()
        .filter(user::Column::Role.eq(role))
        .filter(user::Column::Active.eq(true))
        .filter(user::Column::Id.ne(submitter))
        .order_by_asc(user::Column::Id)
        .one(db)
        .await
        .map_err(db_err)?
        .map(|u| u.id)
        .ok_or_else(|| AppError::validation("approver", format!("no active {what} to approve this")))
}

/// A deal that changes team takes its waiting approvals along: those routed to the old team's
/// manager go where the new owner's would (their team's manager), who hears of each on the
/// bell. Others (general manager, legal) stay. Returns how many moved.
pub(super) async fn follow_team<C: ConnectionTrait>(db: &C, before: &deal::Model, after: &deal::Model) -> Result<u64, AppError> {
    use crate::ssr::entity::notification;
    let Some(old) = team::Entity::find_by_id(before.team_id).one(db).await.map_err(db_err)?.and_then(|t| t.manager_id) else {
        return Ok(0);
    };
    let Some(to) = route_approval(db, after.owner_id).await? else { return Ok(0) };
    if to == old {
        return Ok(0);
    }
    let waiting = approval::Entity::find()
        .filter(approval::Column::DealId.eq(after.id))
        .filter(approval::Column::Status.eq("pending"))
        .filter(approval::Column::ApproverId.eq(old))
        // Nobody decides their own request.
        .filter(approval::Column::RequestedBy.ne(to))
        .all(db)
        .await
        .map_err(db_err)?;
    let now = Utc::now();
    for a in &waiting {
        approval::Entity::update_many()
            .col_expr(approval::Column::ApproverId, Expr::value(to))
            .col_expr(approval::Column::UpdatedAt, Expr::value(now))
            .col_expr(approval::Column::Version, Expr::col(approval::Column::Version).add(1))
            .filter(approval::Column::Id.eq(a.id))
            .exec(db)
            .await
            .map_err(db_err)?;
        notification::Entity::insert(notification::ActiveModel {
            user_id: Set(to),
            deal_id: Set(after.id),
            comment_id: Set(None),
            kind: Set("approval_delegated".into()),
            text: Set(format!(
                "{} · {}",
                after.name,
                a.reason.as_deref().map(|r| r.chars().take(80).collect::<String>()).unwrap_or_default()
            )),
            created_at: Set(now),
            read_at: Set(None),
            ..Default::default()
        })
        .exec_without_returning(db)
        .await
        .map_err(db_err)?;
    }
    Ok(waiting.len() as u64)
}

pub(super) async fn route_approval<C: ConnectionTrait>(db: &C, owner_id: i32) -> Result<Option<i32>, AppError> {
    let owner = user::Entity::find_by_id(owner_id).one(db).await.map_err(db_err)?;
    if let Some(team_id) = owner.and_then(|o| o.team_id) {
        if let Some(m) = team::Entity::find_by_id(team_id).one(db).await.map_err(db_err)?.and_then(|t| t.manager_id) {
            if m != owner_id {
                return Ok(Some(m));
            }
        }
    }
    for role in ["gm", "admin"] {
        if let Some(u) =
            user::Entity::find().filter(user::Column::Role.eq(role)).filter(user::Column::Active.eq(true)).one(db).await.map_err(db_err)?
        {
            return Ok(Some(u.id));
        }
    }
    Ok(None)
}
