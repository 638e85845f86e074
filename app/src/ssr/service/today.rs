//! "My day" for the home page: one read per list, each bounded (a rep has tens of open deals;
//! the lists behind the links hold the rest).
use crate::domain::activity::TaskBucket;
use crate::domain::dto::{DayDeal, MyDay};
use crate::domain::error::AppError;
use crate::domain::forecast::offset;
use crate::domain::today::attention;
use crate::ssr::context::RequestContext;
use crate::ssr::db::Db;
use crate::ssr::db_err;
use crate::ssr::entity::{approval, deal, stage};
use chrono::Utc;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;

/// How many of each list the home page shows.
const SHOWN: usize = 6;
/// Own open deals read for the attention rule (a rep's book is far smaller).
const OPEN_DEALS_READ: u64 = 2_000;

pub async fn my_day(db: &Db, ctx: &RequestContext) -> Result<MyDay, AppError> {
    let today = Utc::now().with_timezone(&offset()).date_naive();

    let all_tasks = super::activity::my_tasks(db, ctx).await?;
    let overdue_tasks = all_tasks.iter().filter(|t| t.bucket == TaskBucket::Overdue.code()).count();
    let today_tasks = all_tasks.iter().filter(|t| t.bucket == TaskBucket::Today.code()).count();
    let tasks = all_tasks
        .into_iter()
        .filter(|t| t.bucket == TaskBucket::Overdue.code() || t.bucket == TaskBucket::Today.code())
        .take(SHOWN)
        .collect();

    let open_stages: HashMap<i32, stage::Model> = stage::Entity::find()
        .filter(stage::Column::Kind.eq("open"))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let own = deal::Entity::find()
        .filter(deal::Column::OwnerId.eq(ctx.user_id))
        // The open stages just read (a handful), not a second read of the stage table.
        .filter(deal::Column::StageId.is_in(open_stages.keys().copied()))
        .order_by_asc(deal::Column::CloseDate)
        .order_by_asc(deal::Column::Id)
        .limit(OPEN_DEALS_READ)
        .all(db)
        .await
        .map_err(db_err)?;
    let cards = super::mapping::cards(db, own, &open_stages).await?;
    let mut deals: Vec<DayDeal> = cards
        .into_iter()
        .filter_map(|card| {
            let why = attention(card.close_date, card.days_in_stage, card.stuck_days, today);
            (!why.is_empty()).then_some(DayDeal { card, attention: why })
        })
        .collect();
    let deals_total = deals.len();
    deals.truncate(SHOWN);

    let approvals_waiting = super::approval::pending_count(db, ctx).await?;
    let requests_pending = approval::Entity::find()
        .filter(approval::Column::RequestedBy.eq(ctx.user_id))
        .filter(approval::Column::Status.eq("pending"))
        .count(db)
        .await
        .map_err(db_err)?;

    let mentions: Vec<_> = super::comment::notifications(db, ctx, true).await?.into_iter().filter(|n| n.kind == "mention").collect();
    let unread_mentions = mentions.len();
    Ok(MyDay {
        today,
        tasks,
        overdue_tasks,
        today_tasks,
        deals,
        deals_total,
        approvals_waiting,
        requests_pending,
        mentions: mentions.into_iter().take(3).collect(),
        unread_mentions,
    })
}
