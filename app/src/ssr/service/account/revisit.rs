//! Recording a revisit (客户回访): the pure rule checks it, the revisit is written, the account's
//! last contact and next due date move, and a delivery follow-up it answers is closed — all in
//! one transaction.
use super::cadence::{today, touch};
use super::visible;
use crate::domain::account::dto::{AccountView, FollowUpRow, RevisitRow};
use crate::domain::account::revisit::{check, Channel, RevisitInput};
use crate::domain::error::AppError;
use crate::domain::validate;
use crate::ssr::context::RequestContext;
use crate::ssr::db::Db;
use crate::ssr::db_err;
use crate::ssr::entity::{account, account_follow_up, account_revisit, deal};
use crate::ssr::service::access::require_account_editor;
use crate::ssr::service::user_names;
use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;

/// The most revisits an account page lists.
const MAX_REVISITS: u64 = 100;

fn trimmed(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

pub async fn record(db: &Db, ctx: &RequestContext, id: uuid::Uuid, input: RevisitInput) -> Result<AccountView, AppError> {
    require_account_editor(ctx)?;
    for (field, d) in
        [("visited_on", Some(input.visited_on)), ("follow_up_due", input.follow_up_due), ("next_visit_on", input.next_visit_on)]
    {
        d.map(|d| validate::date(field, d)).transpose()?;
    }
    check(&input, today()).map_err(|e| AppError::validation(e.field(), e.message(ctx.locale.unwrap_or_default())))?;
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    let a = visible(&*w, ctx, id).await?;
    let follow_up = trimmed(input.follow_up);
    let owner = match (&follow_up, input.follow_up_owner) {
        (Some(_), Some(u)) => Some(crate::ssr::service::mapping::active_user(&*w, u, "follow_up_owner").await?.id),
        (Some(_), None) => Some(ctx.user_id),
        (None, _) => None,
    };
    let delivery = match input.follow_up_of {
        None => None,
        Some(f) => Some(
            account_follow_up::Entity::find()
                .filter(account_follow_up::Column::Uuid.eq(f))
                .filter(account_follow_up::Column::AccountId.eq(a.id))
                .one(&*w)
                .await
                .map_err(db_err)?
                .ok_or_else(|| AppError::validation("follow_up_of", "no such delivery follow-up on this account"))?,
        ),
    };
    if delivery.as_ref().is_some_and(|f| f.done_on.is_some()) {
        return Err(AppError::validation("follow_up_of", "this delivery follow-up is already recorded"));
    }
    let revisit_id = account_revisit::Entity::insert(account_revisit::ActiveModel {
        uuid: Set(uuid::Uuid::new_v4()),
        account_id: Set(a.id),
        visited_on: Set(input.visited_on),
        channel: Set(input.channel.code().into()),
        visitor_id: Set(ctx.user_id),
        contact_name: Set(trimmed(input.contact_name)),
        feedback: Set(input.feedback.trim().to_owned()),
        satisfaction: Set(i16::from(input.satisfaction)),
        new_needs: Set(trimmed(input.new_needs)),
        follow_up_owner_id: Set(owner),
        follow_up_due: Set(follow_up.as_ref().and(input.follow_up_due)),
        follow_up: Set(follow_up),
        next_visit_on: Set(input.next_visit_on),
        follow_up_of: Set(delivery.as_ref().map(|f| f.id)),
        accepted: Set(delivery.as_ref().and(input.accepted)),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec(&*w)
    .await
    .map_err(db_err)?
    .last_insert_id;
    if let Some(f) = delivery {
        let res = account_follow_up::Entity::update_many()
            .col_expr(account_follow_up::Column::DoneOn, Expr::value(input.visited_on))
            .col_expr(account_follow_up::Column::RevisitId, Expr::value(revisit_id))
            .col_expr(account_follow_up::Column::Accepted, Expr::value(input.accepted))
            .col_expr(account_follow_up::Column::Version, Expr::col(account_follow_up::Column::Version).add(1))
            .filter(account_follow_up::Column::Id.eq(f.id))
            .filter(account_follow_up::Column::Version.eq(f.version))
            .exec(&*w)
            .await
            .map_err(db_err)?;
        if res.rows_affected != 1 {
            return Err(AppError::Conflict);
        }
    }
    touch(&*w, a.id, input.visited_on).await?;
    w.commit().await.map_err(db_err)?;
    crate::ssr::events::publish_account(db, crate::ssr::events::AccountChange::Revisited, &a, ctx.user_id).await;
    super::get(db, ctx, id).await
}

/// The account's revisits, newest first.
pub(super) async fn rows<C: ConnectionTrait>(db: &C, account_id: i32) -> Result<Vec<RevisitRow>, AppError> {
    let list = account_revisit::Entity::find()
        .filter(account_revisit::Column::AccountId.eq(account_id))
        .order_by_desc(account_revisit::Column::VisitedOn)
        .order_by_desc(account_revisit::Column::Id)
        .limit(MAX_REVISITS)
        .all(db)
        .await
        .map_err(db_err)?;
    let people = list.iter().flat_map(|r| [Some(r.visitor_id), r.follow_up_owner_id]).flatten().collect();
    let names = user_names(db, people).await?;
    Ok(list
        .into_iter()
        .map(|r| RevisitRow {
            id: r.uuid,
            visited_on: r.visited_on,
            channel: Channel::parse(&r.channel).unwrap_or(Channel::Other),
            visitor: names.get(&r.visitor_id).cloned().unwrap_or_default(),
            contact_name: r.contact_name,
            feedback: r.feedback,
            satisfaction: u8::try_from(r.satisfaction).unwrap_or(0),
            new_needs: r.new_needs,
            follow_up: r.follow_up,
            follow_up_owner: r.follow_up_owner_id.and_then(|u| names.get(&u).cloned()),
            follow_up_due: r.follow_up_due,
            next_visit_on: r.next_visit_on,
            accepted: r.accepted,
        })
        .collect())
}

/// Follow-up rows with their account's and deal's names.
pub(super) async fn follow_up_rows<C: ConnectionTrait>(db: &C, list: Vec<account_follow_up::Model>) -> Result<Vec<FollowUpRow>, AppError> {
    let accounts: HashMap<i32, account::Model> = account::Entity::find()
        .filter(account::Column::Id.is_in(list.iter().map(|f| f.account_id).collect::<Vec<_>>()))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let deals: HashMap<i32, deal::Model> = crate::ssr::service::mapping::deals_by_id(db, list.iter().map(|f| f.deal_id)).await?;
    let names = user_names(db, list.iter().map(|f| f.owner_id).collect()).await?;
    Ok(list
        .into_iter()
        .filter_map(|f| {
            let a = accounts.get(&f.account_id)?;
            let d = deals.get(&f.deal_id)?;
            Some(FollowUpRow {
                id: f.uuid,
                account_id: a.uuid,
                account_name: a.name.clone(),
                deal_id: d.uuid,
                deal_name: d.name.clone(),
                owner: names.get(&f.owner_id).cloned().unwrap_or_default(),
                due_on: f.due_on,
                done_on: f.done_on,
                accepted: f.accepted,
            })
        })
        .collect())
}
