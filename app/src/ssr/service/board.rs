//! The funnel board: per-stage totals from the database and the first cards of each column.
use super::access::deal_visibility;
use super::mapping::{cards, pipeline_ref, stage_ref};
use super::totals;
use crate::domain::dto::{bucket_bounds, weighted_fen, Board, BoardColumn, BoardFilter, Choice, DealCard};
use crate::domain::error::AppError;
use crate::ssr::context::RequestContext;
use crate::ssr::db_err;
use crate::ssr::entity::{deal, pipeline, stage, team, user};
use chrono::Utc;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;

/// Cards per column in one page; a column never loads all its cards at once.
pub const CARDS_PER_PAGE: u64 = 50;

async fn resolve_pipeline<C: ConnectionTrait>(db: &C, id: Option<uuid::Uuid>) -> Result<pipeline::Model, AppError> {
    let q = pipeline::Entity::find();
    let q = match id {
        Some(u) => q.filter(pipeline::Column::Uuid.eq(u)),
        None => q.order_by_desc(pipeline::Column::IsDefault).order_by_asc(pipeline::Column::Position),
    };
    q.one(db).await.map_err(db_err)?.ok_or(AppError::NotFound)
}

/// Internal id of a user by uuid; an unknown uuid gives -1 so the filter matches nothing.
async fn user_id<C: ConnectionTrait>(db: &C, u: Option<uuid::Uuid>) -> Result<Option<i32>, AppError> {
    let Some(u) = u else { return Ok(None) };
    Ok(Some(user::Entity::find().filter(user::Column::Uuid.eq(u)).one(db).await.map_err(db_err)?.map_or(-1, |u| u.id)))
}

async fn team_id<C: ConnectionTrait>(db: &C, t: Option<uuid::Uuid>) -> Result<Option<i32>, AppError> {
    let Some(t) = t else { return Ok(None) };
    Ok(Some(team::Entity::find().filter(team::Column::Uuid.eq(t)).one(db).await.map_err(db_err)?.map_or(-1, |t| t.id)))
}

/// The user's filters alone (owner, team, close bucket, amount range).
async fn filters<C: ConnectionTrait>(db: &C, f: &BoardFilter) -> Result<Condition, AppError> {
    let mut c = Condition::all();
    if let Some(id) = user_id(db, f.owner).await? {
        c = c.add(deal::Column::OwnerId.eq(id));
    }
    if let Some(id) = team_id(db, f.team).await? {
        c = c.add(deal::Column::TeamId.eq(id));
    }
    if let Some((lo, hi)) = f.bucket.as_deref().and_then(|b| bucket_bounds(b, Utc::now().date_naive())) {
        if let Some(lo) = lo {
            c = c.add(deal::Column::CloseDate.gt(lo));
        }
        if let Some(hi) = hi {
            c = c.add(deal::Column::CloseDate.lte(hi));
        }
    }
    if let Some(min) = f.min_fen {
        c = c.add(deal::Column::AmountFen.gte(min));
    }
    if let Some(max) = f.max_fen {
        c = c.add(deal::Column::AmountFen.lte(max));
    }
    Ok(c)
}

pub async fn board<C: ConnectionTrait>(db: &C, ctx: &RequestContext, f: &BoardFilter) -> Result<Board, AppError> {
    let p = resolve_pipeline(db, f.pipeline).await?;
    let pipelines = pipeline::Entity::find().order_by_asc(pipeline::Column::Position).all(db).await.map_err(db_err)?;
    let stages = stage::Entity::find()
        .filter(stage::Column::PipelineId.eq(p.id))
        .order_by_asc(stage::Column::Position)
        .all(db)
        .await
        .map_err(db_err)?;
    let only = filters(db, f).await?;
    let cond = Condition::all().add(deal_visibility(&ctx.visibility)).add(only.clone());
    let by_stage = if f.bucket.is_some() || f.min_fen.is_some() || f.max_fen.is_some() {
        // Date buckets move with today and amount ranges are arbitrary: aggregate the rows.
        totals::raw_stage_sums(db, cond.clone().add(deal::Column::PipelineId.eq(p.id))).await?
    } else {
        let narrow = totals::Narrow { owner_id: user_id(db, f.owner).await?, team_id: team_id(db, f.team).await? };
        totals::stage_sums(db, p.id, &ctx.visibility, narrow).await?
    };
    let stage_map: HashMap<i32, stage::Model> = stages.iter().map(|s| (s.id, s.clone())).collect();
    let mut columns = Vec::with_capacity(stages.len());
    for s in &stages {
        let (n, a) = by_stage.get(&s.id).copied().unwrap_or((0, 0));
        let deals = if n > 0 { page_of_stage(db, &ctx.visibility, only.clone(), s.id, 0).await? } else { vec![] };
        columns.push(BoardColumn {
            stage: stage_ref(s),
            count: n.max(0) as u64,
            amount_fen: a,
            weighted_fen: weighted_fen(a, s.win_rate_pct),
            cards: cards(db, deals, &stage_map).await?,
        });
    }
    // Owners to filter by: the people whose deals this user can see. Read from users, not
    // from a DISTINCT over the deals (which scanned every visible deal on each render).
    let mut uq = user::Entity::find().filter(user::Column::Role.is_in(["rep", "manager", "presales"]));
    if !ctx.visibility.all {
        let mut c = Condition::any().add(user::Column::TeamId.is_in(ctx.visibility.team_ids.clone()));
        if let Some(u) = ctx.visibility.member_user_id {
            c = c.add(user::Column::Id.eq(u));
        }
        uq = uq.filter(c);
    }
    let owners = uq
        .order_by_asc(user::Column::Name)
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|u| Choice { id: u.uuid, name: u.name })
        .collect();
    Ok(Board {
        pipeline: pipeline_ref(&p),
        pipelines: pipelines.iter().map(pipeline_ref).collect(),
        owners,
        columns,
        today: Utc::now().date_naive(),
    })
}

/// One page of a column's cards, sorted by close date. Each arm of the visibility rule (all,
/// the user's teams, deals the user is a member of elsewhere) is its own indexed query with
/// its own LIMIT — an OR across them made SQLite walk the whole stage for a manager.
async fn page_of_stage<C: ConnectionTrait>(
    db: &C,
    vis: &crate::domain::role::Visibility,
    filter: Condition,
    stage_id: i32,
    offset: u64,
) -> Result<Vec<deal::Model>, AppError> {
    let page = |c: Condition| {
        deal::Entity::find()
            .filter(deal::Column::StageId.eq(stage_id))
            .filter(filter.clone())
            .filter(c)
            .order_by_asc(deal::Column::CloseDate)
            .order_by_asc(deal::Column::Id)
    };
    if vis.all {
        return page(Condition::all()).offset(offset).limit(CARDS_PER_PAGE).all(db).await.map_err(db_err);
    }
    let want = offset + CARDS_PER_PAGE;
    let mut rows = Vec::new();
    if !vis.team_ids.is_empty() {
        rows.extend(
            page(Condition::all().add(deal::Column::TeamId.is_in(vis.team_ids.clone()))).limit(want).all(db).await.map_err(db_err)?,
        );
    }
    if let Some(u) = vis.member_user_id {
        let ids = super::member_deal_ids(db, u).await?;
        if !ids.is_empty() {
            let mut c = Condition::all().add(deal::Column::Id.is_in(ids));
            if !vis.team_ids.is_empty() {
                c = c.add(deal::Column::TeamId.is_not_in(vis.team_ids.clone()));
            }
            rows.extend(page(c).limit(want).all(db).await.map_err(db_err)?);
        }
    }
    rows.sort_by_key(|d| (d.close_date, d.id));
    Ok(rows.into_iter().skip(offset as usize).take(CARDS_PER_PAGE as usize).collect())
}

/// The next page of one column ("load more").
pub async fn column_page<C: ConnectionTrait>(
    db: &C,
    ctx: &RequestContext,
    f: &BoardFilter,
    stage: uuid::Uuid,
    offset: u64,
) -> Result<Vec<DealCard>, AppError> {
    let s = stage::Entity::find().filter(stage::Column::Uuid.eq(stage)).one(db).await.map_err(db_err)?.ok_or(AppError::NotFound)?;
    let deals = page_of_stage(db, &ctx.visibility, filters(db, f).await?, s.id, offset).await?;
    let stage_map = HashMap::from([(s.id, s)]);
    cards(db, deals, &stage_map).await
}
