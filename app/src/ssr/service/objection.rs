//! The objection log of a deal: logged and changed by those who work the deal, read by all
//! who see it; each status change writes history and a live event. Also the counts the gate
//! and the board read, the overdue ones for "My tasks", and the team view by category.
use super::access::{self, visible_deal_ids};
use super::history;
use crate::domain::access::DealAction;
use crate::domain::error::AppError;
use crate::domain::forecast::offset;
use crate::domain::history::HistoryKind;
use crate::domain::objection::dto::{DealObjections, ObjectionRow, ObjectionTask};
use crate::domain::objection::report::{self, CategoryStat, DealOutcome, Fact};
use crate::domain::objection::{self as rule, Category, ObjectionInput, Status, StepInput};
use crate::ssr::context::RequestContext;
use crate::ssr::db::Db;
use crate::ssr::db_err;
use crate::ssr::entity::{contact, deal, deal_contact, objection, stage, user};
use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;

fn today() -> NaiveDate {
    Utc::now().with_timezone(&offset()).date_naive()
}

use super::mapping::UNRESOLVED_OBJECTIONS as UNRESOLVED;

async fn rows_out<C: ConnectionTrait>(db: &C, d: &deal::Model, rows: Vec<objection::Model>) -> Result<Vec<ObjectionRow>, AppError> {
    let user_ids: Vec<i32> = rows.iter().map(|o| o.owner_id).collect();
    let users: HashMap<i32, user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(user_ids))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let contact_ids: Vec<i32> = rows.iter().filter_map(|o| o.raised_by_contact_id).collect();
    let contacts: HashMap<i32, contact::Model> = contact::Entity::find()
        .filter(contact::Column::Id.is_in(contact_ids))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let today = today();
    Ok(rows
        .into_iter()
        .map(|o| {
            let status = Status::parse(&o.status).unwrap_or(Status::Open);
            let owner = users.get(&o.owner_id);
            let by = o.raised_by_contact_id.and_then(|c| contacts.get(&c));
            ObjectionRow {
                id: o.uuid,
                deal_id: d.uuid,
                raised_on: o.raised_on,
                category: Category::parse(&o.category).unwrap_or(Category::Other),
                raised_by: by.map(|c| c.uuid),
                raised_by_name: by.map(|c| c.name.clone()),
                said: o.said,
                demand: o.demand,
                strategy: o.strategy,
                owner_id: owner.map(|u| u.uuid).unwrap_or_default(),
                owner: owner.map(|u| u.name.clone()).unwrap_or_default(),
                due_on: o.due_on,
                resolved_on: o.resolved_on,
                feedback: o.feedback,
                status,
                overdue: rule::is_overdue(status, o.due_on, today),
                updated_at: o.updated_at,
                version: o.version,
            }
        })
        .collect())
}

/// The deal's objections: unresolved first, then by the day raised, newest first.
pub async fn list(db: &Db, ctx: &RequestContext, deal: uuid::Uuid) -> Result<DealObjections, AppError> {
    let d = deal::Entity::find().filter(deal::Column::Uuid.eq(deal)).one(db).await.map_err(db_err)?.ok_or(AppError::NotFound)?;
    let team = access::check_with_team(db, ctx, &d, DealAction::View).await?;
    let rows = objection::Entity::find()
        .filter(objection::Column::DealId.eq(d.id))
        .order_by_desc(objection::Column::RaisedOn)
        .order_by_desc(objection::Column::Id)
        .limit(500)
        .all(db)
        .await
        .map_err(db_err)?;
    let mut rows = rows_out(db, &d, rows).await?;
    rows.sort_by_key(|r| !r.status.unresolved());
    Ok(DealObjections { rows, can_edit: access::allows(ctx, DealAction::Work, &d, &team) })
}

/// The committee-map person and the deal-team owner an input names, checked against the deal.
async fn people<C: ConnectionTrait>(db: &C, d: &deal::Model, input: &ObjectionInput) -> Result<(Option<i32>, i32), AppError> {
    let raised_by = match input.raised_by {
        None => None,
        Some(c) => {
            let c = contact::Entity::find().filter(contact::Column::Uuid.eq(c)).one(db).await.map_err(db_err)?;
            let on_map = match &c {
                Some(c) => deal_contact::Entity::find()
                    .filter(deal_contact::Column::DealId.eq(d.id))
                    .filter(deal_contact::Column::ContactId.eq(c.id))
                    .one(db)
                    .await
                    .map_err(db_err)?
                    .is_some(),
                None => false,
            };
            if !on_map {
                return Err(AppError::validation("raised_by", "not on this deal's committee map"));
            }
            c.map(|c| c.id)
        }
    };
    let owner = match input.owner {
        None => d.owner_id,
        Some(u) => {
            let u = user::Entity::find().filter(user::Column::Uuid.eq(u)).one(db).await.map_err(db_err)?;
            let team = access::team_of(db, d).await?;
            match u {
                Some(u) if u.id == d.owner_id || team.iter().any(|(m, _)| *m == u.id) => u.id,
                _ => return Err(AppError::validation("owner", "not on this deal's team")),
            }
        }
    };
    Ok((raised_by, owner))
}

fn short(s: &str) -> String {
    let mut t: String = s.chars().take(80).collect();
    if s.chars().count() > 80 {
        t.push('…');
    }
    t
}

async fn note<C: ConnectionTrait>(db: &C, d: &deal::Model, actor: i32, kind: HistoryKind, o: &objection::Model) -> Result<(), AppError> {
    let mut h = history::row(d.id, actor, kind);
    h.note = Set(Some(format!("{}: {}", o.category, short(&o.said))));
    history::append(db, h).await
}

/// Logs an objection (status open); the owner defaults to the deal's owner.
pub async fn create(db: &Db, ctx: &RequestContext, deal: uuid::Uuid, input: ObjectionInput) -> Result<ObjectionRow, AppError> {
    let input = rule::clean(input, today())?;
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    let d = access::deal_for(&*w, ctx, deal, DealAction::Work).await?;
    let (raised_by, owner) = people(&*w, &d, &input).await?;
    let now = Utc::now();
    let id = objection::Entity::insert(objection::ActiveModel {
        uuid: Set(uuid::Uuid::new_v4()),
        deal_id: Set(d.id),
        raised_on: Set(input.raised_on),
        category: Set(input.category.code().into()),
        raised_by_contact_id: Set(raised_by),
        said: Set(input.said),
        demand: Set(input.demand),
        strategy: Set(input.strategy),
        owner_id: Set(owner),
        due_on: Set(input.due_on),
        resolved_on: Set(None),
        feedback: Set(None),
        status: Set(Status::Open.code().into()),
        created_by: Set(ctx.user_id),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    })
    .exec(&*w)
    .await
    .map_err(db_err)?
    .last_insert_id;
    let o = objection::Entity::find_by_id(id).one(&*w).await.map_err(db_err)?.ok_or(AppError::Internal)?;
    note(&*w, &d, ctx.user_id, HistoryKind::ObjectionRaised, &o).await?;
    let out = rows_out(&*w, &d, vec![o]).await?.pop().ok_or(AppError::Internal)?;
    w.commit().await.map_err(db_err)?;
    crate::ssr::events::publish_deal(db, "objection", &d, ctx.user_id).await;
    Ok(out)
}

/// The objection and its deal, checked for `action`.
async fn load<C: ConnectionTrait>(
    db: &C,
    ctx: &RequestContext,
    id: uuid::Uuid,
    action: DealAction,
) -> Result<(objection::Model, deal::Model), AppError> {
    let o = objection::Entity::find().filter(objection::Column::Uuid.eq(id)).one(db).await.map_err(db_err)?.ok_or(AppError::NotFound)?;
    let d = deal::Entity::find_by_id(o.deal_id).one(db).await.map_err(db_err)?.ok_or(AppError::NotFound)?;
    access::check(db, ctx, &d, action).await?;
    Ok((o, d))
}

pub async fn get(db: &Db, ctx: &RequestContext, id: uuid::Uuid) -> Result<ObjectionRow, AppError> {
    let (o, d) = load(db, ctx, id, DealAction::View).await?;
    rows_out(db, &d, vec![o]).await?.pop().ok_or(AppError::Internal)
}

/// Rewrites what was logged (not the status) under the version read.
pub async fn update(db: &Db, ctx: &RequestContext, id: uuid::Uuid, input: ObjectionInput, version: i32) -> Result<ObjectionRow, AppError> {
    let input = rule::clean(input, today())?;
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    let (o, d) = load(&*w, ctx, id, DealAction::Work).await?;
    if o.resolved_on.is_some_and(|r| input.raised_on > r) {
        return Err(AppError::validation("raised_on", "cannot be after the day it was resolved"));
    }
    let (raised_by, owner) = people(&*w, &d, &input).await?;
    let res = objection::Entity::update_many()
        .col_expr(objection::Column::RaisedOn, Expr::value(input.raised_on))
        .col_expr(objection::Column::Category, Expr::value(input.category.code()))
        .col_expr(objection::Column::RaisedByContactId, Expr::value(raised_by))
        .col_expr(objection::Column::Said, Expr::value(input.said))
        .col_expr(objection::Column::Demand, Expr::value(input.demand))
        .col_expr(objection::Column::Strategy, Expr::value(input.strategy))
        .col_expr(objection::Column::OwnerId, Expr::value(owner))
        .col_expr(objection::Column::DueOn, Expr::value(input.due_on))
        .col_expr(objection::Column::UpdatedAt, Expr::value(Utc::now()))
        .col_expr(objection::Column::Version, Expr::col(objection::Column::Version).add(1))
        .filter(objection::Column::Id.eq(o.id))
        .filter(objection::Column::Version.eq(version))
        .exec(&*w)
        .await
        .map_err(db_err)?;
    if res.rows_affected != 1 {
        return Err(AppError::Conflict);
    }
    let o = objection::Entity::find_by_id(o.id).one(&*w).await.map_err(db_err)?.ok_or(AppError::Internal)?;
    let out = rows_out(&*w, &d, vec![o]).await?.pop().ok_or(AppError::Internal)?;
    w.commit().await.map_err(db_err)?;
    crate::ssr::events::publish_deal(db, "objection", &d, ctx.user_id).await;
    Ok(out)
}

/// Answers, resolves, drops or reopens an objection under the version read.
pub async fn step(db: &Db, ctx: &RequestContext, id: uuid::Uuid, step: StepInput, version: i32) -> Result<ObjectionRow, AppError> {
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    let (o, d) = load(&*w, ctx, id, DealAction::Work).await?;
    if o.version != version {
        return Err(AppError::Conflict);
    }
    let from = Status::parse(&o.status).unwrap_or(Status::Open);
    let to = step.to;
    let (feedback, resolved_on) = rule::check_step(from, o.strategy.as_deref(), o.raised_on, step, today())?;
    let res = objection::Entity::update_many()
        .col_expr(objection::Column::Status, Expr::value(to.code()))
        .col_expr(objection::Column::Feedback, Expr::value(feedback.or(o.feedback.clone())))
        .col_expr(objection::Column::ResolvedOn, Expr::value(resolved_on))
        .col_expr(objection::Column::UpdatedAt, Expr::value(Utc::now()))
        .col_expr(objection::Column::Version, Expr::col(objection::Column::Version).add(1))
        .filter(objection::Column::Id.eq(o.id))
        .filter(objection::Column::Version.eq(version))
        .exec(&*w)
        .await
        .map_err(db_err)?;
    if res.rows_affected != 1 {
        return Err(AppError::Conflict);
    }
    let kind = match to {
        Status::Open => HistoryKind::ObjectionReopened,
        Status::Answered => HistoryKind::ObjectionAnswered,
        Status::Resolved => HistoryKind::ObjectionResolved,
        Status::Dropped => HistoryKind::ObjectionDropped,
    };
    let o = objection::Entity::find_by_id(o.id).one(&*w).await.map_err(db_err)?.ok_or(AppError::Internal)?;
    note(&*w, &d, ctx.user_id, kind, &o).await?;
    let out = rows_out(&*w, &d, vec![o]).await?.pop().ok_or(AppError::Internal)?;
    w.commit().await.map_err(db_err)?;
    crate::ssr::events::publish_deal(db, "objection", &d, ctx.user_id).await;
    Ok(out)
}

/// Unresolved objections on a deal, for the gate.
pub async fn open_count<C: ConnectionTrait>(db: &C, deal_id: i32) -> Result<u32, AppError> {
    Ok(open_counts(db, &[deal_id]).await?.get(&deal_id).copied().unwrap_or(0))
}

/// Unresolved objections per deal (board cards, the deal header).
pub async fn open_counts<C: ConnectionTrait>(db: &C, deal_ids: &[i32]) -> Result<HashMap<i32, u32>, AppError> {
    super::mapping::open_objections(db, deal_ids).await
}

/// "My tasks": unresolved objections I own that are past due, on deals I can see.
pub async fn my_overdue(db: &Db, ctx: &RequestContext) -> Result<Vec<ObjectionTask>, AppError> {
    let rows = objection::Entity::find()
        .filter(objection::Column::OwnerId.eq(ctx.user_id))
        .filter(objection::Column::Status.is_in(UNRESOLVED))
        .filter(objection::Column::DueOn.lt(today()))
        .filter(objection::Column::DealId.in_subquery(visible_deal_ids(ctx)))
        .order_by_asc(objection::Column::DueOn)
        .limit(500)
        .all(db)
        .await
        .map_err(db_err)?;
    let deals = super::mapping::deals_by_id(db, rows.iter().map(|o| o.deal_id)).await?;
    Ok(rows
        .into_iter()
        .filter_map(|o| {
            let d = deals.get(&o.deal_id)?;
            Some(ObjectionTask {
                id: o.uuid,
                deal_id: d.uuid,
                deal_name: d.name.clone(),
                category: Category::parse(&o.category).unwrap_or(Category::Other),
                said: o.said,
                due_on: o.due_on?,
            })
        })
        .collect())
}

/// Every objection on the deals the viewer sees, by category, costliest first.
pub async fn report(db: &Db, ctx: &RequestContext) -> Result<Vec<CategoryStat>, AppError> {
    type Row = (uuid::Uuid, String, String, NaiveDate, Option<NaiveDate>, i64, String);
    let rows: Vec<Row> = objection::Entity::find()
        .select_only()
        .column(deal::Column::Uuid)
        .column(objection::Column::Category)
        .column(objection::Column::Status)
        .column(objection::Column::RaisedOn)
        .column(objection::Column::ResolvedOn)
        .column(deal::Column::AmountFen)
        .column(stage::Column::Kind)
        .join(sea_orm::JoinType::InnerJoin, objection_deal())
        .join(sea_orm::JoinType::InnerJoin, deal_stage())
        .filter(objection::Column::DealId.in_subquery(visible_deal_ids(ctx)))
        .into_tuple()
        .all(db)
        .await
        .map_err(db_err)?;
    let facts: Vec<Fact> = rows
        .into_iter()
        .map(|(deal, category, status, raised_on, resolved_on, amount, kind)| Fact {
            deal,
            category: Category::parse(&category).unwrap_or(Category::Other),
            status: Status::parse(&status).unwrap_or(Status::Open),
            raised_on,
            resolved_on,
            deal_amount_fen: amount,
            outcome: match kind.as_str() {
                "won" => DealOutcome::Won,
                "lost" => DealOutcome::Lost,
                _ => DealOutcome::Open,
            },
        })
        .collect();
    Ok(report::by_category(&facts))
}

fn objection_deal() -> sea_orm::RelationDef {
    objection::Entity::belongs_to(deal::Entity).from(objection::Column::DealId).to(deal::Column::Id).into()
}

fn deal_stage() -> sea_orm::RelationDef {
    deal::Entity::belongs_to(stage::Entity).from(deal::Column::StageId).to(stage::Column::Id).into()
}
