//! Activities on a deal (calls, visits, exchange meetings, demos, revisits) with the late
//! flag decided at write time, the follow-up tasks of "My tasks", and late entries per rep.
use super::access::visible_deal;
use crate::domain::access::DealAction;
use crate::domain::activity::{self, Activity, ActivityAt, ActivityKind};
use crate::domain::dto::{ActivityRow, LateEntriesRow, NewActivity, TaskRow};
use crate::domain::error::AppError;
use crate::domain::forecast::offset;
use crate::ssr::context::RequestContext;
use crate::ssr::db::Db;
use crate::ssr::db_err;
use crate::ssr::entity::{activity as activity_e, deal, user};
use chrono::{NaiveTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;

/// How a stored row says when the activity happened.
pub fn stored_at(a: &activity_e::Model) -> ActivityAt {
    if a.all_day {
        ActivityAt::Day(a.at.with_timezone(&offset()).date_naive())
    } else {
        ActivityAt::Time(a.at)
    }
}

async fn rows_out<C: ConnectionTrait>(db: &C, rows: Vec<activity_e::Model>) -> Result<Vec<ActivityRow>, AppError> {
    let deal_ids: Vec<i32> = rows.iter().map(|a| a.deal_id).collect();
    let deals: HashMap<i32, uuid::Uuid> = deal::Entity::find()
        .filter(deal::Column::Id.is_in(deal_ids))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|d| (d.id, d.uuid))
        .collect();
    let user_ids: Vec<i32> = rows.iter().flat_map(|a| [Some(a.author_id), a.next_owner_id]).flatten().collect();
    let users: HashMap<i32, user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(user_ids))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    Ok(rows
        .into_iter()
        .filter_map(|a| {
            Some(ActivityRow {
                id: a.uuid,
                deal_id: *deals.get(&a.deal_id)?,
                kind: a.kind,
                at: a.at,
                all_day: a.all_day,
                recorded_at: a.recorded_at,
                author: users.get(&a.author_id).map(|u| u.name.clone()).unwrap_or_default(),
                channel: a.channel,
                people: a.people,
                summary: a.summary,
                satisfaction: a.satisfaction.and_then(|s| u8::try_from(s).ok()),
                new_needs: a.new_needs,
                next_action: a.next_action,
                next_owner_id: a.next_owner_id.and_then(|u| users.get(&u)).map(|u| u.uuid),
                next_owner: a.next_owner_id.and_then(|u| users.get(&u)).map(|u| u.name.clone()),
                next_due: a.next_due,
                next_done: a.next_done,
                late: a.late,
                version: a.version,
            })
        })
        .collect())
}

/// Records an activity. The domain validates it (errors name the form field) and decides
/// whether it is late: more than 24 h after it happened, in the team's time zone.
pub async fn log(db: &Db, ctx: &RequestContext, deal: uuid::Uuid, new: NewActivity) -> Result<ActivityRow, AppError> {
    let kind = ActivityKind::parse(new.kind.trim()).ok_or_else(|| AppError::validation("kind", "unknown activity kind"))?;
    let channel = crate::domain::validate::optional("channel", new.channel, 100)?;
    let people = crate::domain::validate::optional("people", new.people, 500)?;
    let new_needs = crate::domain::validate::optional("new_needs", new.new_needs, 4000)?;
    let next_action = crate::domain::validate::optional("next_action", new.next_action, 1000)?;
    if new.summary.chars().count() > 8000 {
        return Err(AppError::validation("summary", "at most 8000 characters"));
    }
    let next_owner = match new.next_owner {
        None => None,
        Some(u) => Some(super::mapping::active_user(db, u, "next_owner_id").await?),
    };
    new.next_due.map(|d| crate::domain::validate::date("next_due", d)).transpose()?;
    if let crate::domain::activity::ActivityAt::Day(d) = new.at {
        crate::domain::validate::date("at", d)?;
    }
    let now = Utc::now();
    let off = offset();
    let rule = Activity {
        kind,
        at: new.at,
        recorded_at: now,
        summary: new.summary.clone(),
        satisfaction: new.satisfaction,
        next_action: next_action.clone(),
        next_owner_id: next_owner.as_ref().map(|u| u.id),
        next_due: new.next_due,
    };
    activity::validate(&rule, off).map_err(|e| AppError::validation(e.field(), e.message(ctx.locale.unwrap_or_default())))?;
    let late = activity::is_late(new.at, now, off);
    let (at, all_day) = match new.at {
        ActivityAt::Time(t) => (t, false),
        ActivityAt::Day(d) => {
            let midnight = d.and_time(NaiveTime::MIN).and_local_timezone(off).single().map(|t| t.with_timezone(&Utc));
            (midnight.ok_or_else(|| AppError::validation("at", "not a valid day"))?, true)
        }
    };
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    let txn = &w.txn;
    let d = super::access::deal_for(txn, ctx, deal, DealAction::Work).await?;
    let id = activity_e::Entity::insert(activity_e::ActiveModel {
        uuid: Set(uuid::Uuid::new_v4()),
        deal_id: Set(d.id),
        kind: Set(kind.code().into()),
        at: Set(at),
        all_day: Set(all_day),
        recorded_at: Set(now),
        author_id: Set(ctx.user_id),
        channel: Set(channel),
        people: Set(people),
        summary: Set(new.summary.trim().to_owned()),
        satisfaction: Set(new.satisfaction.map(i16::from)),
        new_needs: Set(new_needs),
        next_action: Set(next_action),
        next_owner_id: Set(next_owner.map(|u| u.id)),
        next_due: Set(new.next_due),
        next_done: Set(false),
        late: Set(late),
        version: Set(1),
        ..Default::default()
    })
    .exec(txn)
    .await
    .map_err(db_err)?
    .last_insert_id;
    // A visit, call or revisit that happened is a contact with the deal's account.
    let day = at.with_timezone(&off).date_naive();
    if matches!(kind, ActivityKind::Visit | ActivityKind::Call | ActivityKind::Revisit) && day <= super::account::cadence::today() {
        super::account::cadence::touch(txn, d.account_id, day).await?;
    }
    let row = activity_e::Entity::find_by_id(id).one(txn).await.map_err(db_err)?.ok_or(AppError::Internal)?;
    let out = rows_out(txn, vec![row]).await?.pop().ok_or(AppError::Internal)?;
    w.commit().await.map_err(db_err)?;
    crate::ssr::events::publish_deal(db, "activity", &d, ctx.user_id).await;
    Ok(out)
}

/// The deal's activities, latest first.
pub async fn list(db: &Db, ctx: &RequestContext, deal: uuid::Uuid) -> Result<Vec<ActivityRow>, AppError> {
    let d = visible_deal(db, ctx, deal).await?;
    let rows = activity_e::Entity::find()
        .filter(activity_e::Column::DealId.eq(d.id))
        .order_by_desc(activity_e::Column::At)
        .order_by_desc(activity_e::Column::Id)
        .limit(500)
        .all(db)
        .await
        .map_err(db_err)?;
    rows_out(db, rows).await
}

/// "My tasks": open follow-ups I own on deals I can see, overdue first, then today,
/// upcoming and unscheduled, each by due date.
pub async fn my_tasks(db: &Db, ctx: &RequestContext) -> Result<Vec<TaskRow>, AppError> {
    let rows = activity_e::Entity::find()
        .filter(activity_e::Column::NextOwnerId.eq(ctx.user_id))
        .filter(activity_e::Column::NextDone.eq(false))
        .filter(activity_e::Column::NextAction.is_not_null())
        .filter(activity_e::Column::DealId.in_subquery(super::access::visible_deal_ids(ctx)))
        .order_by_asc(activity_e::Column::NextDue)
        .order_by_asc(activity_e::Column::Id)
        .limit(1000)
        .all(db)
        .await
        .map_err(db_err)?;
    let deal_ids: Vec<i32> = rows.iter().map(|a| a.deal_id).collect();
    let deals = super::mapping::deals_by_id(db, deal_ids).await?;
    let today = Utc::now().with_timezone(&offset()).date_naive();
    let mut out: Vec<(activity::TaskBucket, TaskRow)> = rows
        .into_iter()
        .filter_map(|a| {
            let bucket = activity::task_bucket(a.next_due, a.next_done, today)?;
            let d = deals.get(&a.deal_id)?;
            Some((
                bucket,
                TaskRow {
                    activity_id: a.uuid,
                    deal_id: d.uuid,
                    deal_name: d.name.clone(),
                    action: a.next_action.unwrap_or_default(),
                    due: a.next_due,
                    bucket: bucket.code().into(),
                    version: a.version,
                },
            ))
        })
        .collect();
    let rank = |b: activity::TaskBucket| match b {
        activity::TaskBucket::Overdue => 0,
        activity::TaskBucket::Today => 1,
        activity::TaskBucket::Upcoming => 2,
        activity::TaskBucket::Unscheduled => 3,
    };
    out.sort_by_key(|(b, t)| (rank(*b), t.due));
    Ok(out.into_iter().map(|(_, t)| t).collect())
}

/// Marks a follow-up done: its owner, the entry's author, or a manager/admin who sees the deal.
pub async fn complete_task(db: &Db, ctx: &RequestContext, id: uuid::Uuid, version: i32) -> Result<(), AppError> {
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    let txn = &w.txn;
    let a = activity_e::Entity::find().filter(activity_e::Column::Uuid.eq(id)).one(txn).await.map_err(db_err)?.ok_or(AppError::NotFound)?;
    let d = deal::Entity::find_by_id(a.deal_id).one(txn).await.map_err(db_err)?.ok_or(AppError::NotFound)?;
    super::access::check(txn, ctx, &d, DealAction::View).await?;
    if !crate::domain::access::may_complete_task(&super::access::actor(ctx), a.author_id, a.next_owner_id) {
        return Err(AppError::Forbidden);
    }
    let res = activity_e::Entity::update_many()
        .col_expr(activity_e::Column::NextDone, Expr::value(true))
        .col_expr(activity_e::Column::Version, Expr::col(activity_e::Column::Version).add(1))
        .filter(activity_e::Column::Id.eq(a.id))
        .filter(activity_e::Column::Version.eq(version))
        .exec(txn)
        .await
        .map_err(db_err)?;
    if res.rows_affected != 1 {
        return Err(AppError::Conflict);
    }
    w.commit().await.map_err(db_err)?;
    crate::ssr::events::publish_deal(db, "activity", &d, ctx.user_id).await;
    Ok(())
}

/// Late entries per author over the deals the user can see, recorded in [from, to).
pub async fn late_by_rep(
    db: &Db,
    ctx: &RequestContext,
    from: chrono::DateTime<Utc>,
    to: chrono::DateTime<Utc>,
) -> Result<Vec<LateEntriesRow>, AppError> {
    let rows = activity_e::Entity::find()
        .filter(activity_e::Column::RecordedAt.gte(from))
        .filter(activity_e::Column::RecordedAt.lt(to))
        .filter(activity_e::Column::DealId.in_subquery(super::access::visible_deal_ids(ctx)))
        .all(db)
        .await
        .map_err(db_err)?;
    let counts = activity::late_by_rep(rows.iter().map(|a| (a.author_id, stored_at(a), a.recorded_at)), offset());
    let users: HashMap<i32, user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(counts.iter().map(|c| c.rep_id)))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    Ok(counts
        .into_iter()
        .filter_map(|c| {
            let u = users.get(&c.rep_id)?;
            Some(LateEntriesRow { rep_id: u.uuid, rep: u.name.clone(), late: c.late, total: c.total })
        })
        .collect())
}
