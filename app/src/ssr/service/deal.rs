//! Deals: listing and the per-stage summary (the board and the gate arrive with issue 3).
use super::{deal_visibility, like_pattern, paging};
use crate::domain::dto::{weighted_fen, DealPage, DealRow, PipelineSummary, StageRef, StageSummary};
use crate::domain::error::AppError;
use crate::ssr::context::RequestContext;
use crate::ssr::db_err;
use crate::ssr::entity::{account, deal, pipeline, stage, team, user};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait};
use std::collections::HashMap;

pub fn stage_ref(s: &stage::Model) -> StageRef {
    StageRef {
        id: s.uuid,
        name_en: s.name_en.clone(),
        name_zh: s.name_zh.clone(),
        position: s.position,
        win_rate_pct: s.win_rate_pct,
        kind: s.kind.clone(),
    }
}

pub async fn list(
    db: &DatabaseConnection,
    ctx: &RequestContext,
    search: Option<String>,
    page: u64,
    per_page: u64,
) -> Result<DealPage, AppError> {
    let (page, per_page) = paging(page, per_page);
    let mut cond = Condition::all().add(deal_visibility(&ctx.visibility));
    if let Some(q) = search.as_deref().filter(|q| !q.trim().is_empty()) {
        let pat = like_pattern(q);
        let account_ids =
            account::Entity::find().select_only().column(account::Column::Id).filter(account::Column::Name.like(pat.clone())).into_query();
        cond = cond.add(Condition::any().add(deal::Column::Name.like(pat)).add(deal::Column::AccountId.in_subquery(account_ids)));
    }
    let base = deal::Entity::find().filter(cond);
    let total = base.clone().count(db).await.map_err(db_err)?;
    let sum_amount_fen: Option<i64> = base
        .clone()
        .select_only()
        .column_as(Expr::cust("CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT)"), "s")
        .into_tuple()
        .one(db)
        .await
        .map_err(db_err)?;
    // Open deals first (what a team works on), then won/lost; each by close date.
    let deals = base
        .order_by_asc(Expr::cust("CASE WHEN stage_id IN (SELECT id FROM stages WHERE kind = 'open') THEN 0 ELSE 1 END"))
        .order_by_asc(deal::Column::CloseDate)
        .order_by_asc(deal::Column::Id)
        .offset((page - 1) * per_page)
        .limit(per_page)
        .all(db)
        .await
        .map_err(db_err)?;
    let rows = hydrate_rows(db, deals).await?;
    Ok(DealPage { rows, total, page, per_page, sum_amount_fen: sum_amount_fen.unwrap_or(0), today: chrono::Utc::now().date_naive() })
}

/// Resolves the names behind a page of deals with one query per table (no N+1).
async fn hydrate_rows(db: &DatabaseConnection, deals: Vec<deal::Model>) -> Result<Vec<DealRow>, AppError> {
    let ids = |f: fn(&deal::Model) -> i32| {
        let mut v: Vec<i32> = deals.iter().map(f).collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let accounts: HashMap<i32, String> = account::Entity::find()
        .filter(account::Column::Id.is_in(ids(|d| d.account_id)))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|a| (a.id, a.name))
        .collect();
    let users: HashMap<i32, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(ids(|d| d.owner_id)))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    let teams: HashMap<i32, String> = team::Entity::find()
        .filter(team::Column::Id.is_in(ids(|d| d.team_id)))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect();
    let stages: HashMap<i32, stage::Model> = stage::Entity::find()
        .filter(stage::Column::Id.is_in(ids(|d| d.stage_id)))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let mut rows = Vec::with_capacity(deals.len());
    for d in deals {
        let Some(s) = stages.get(&d.stage_id) else {
            tracing::error!(deal = d.id, stage = d.stage_id, "deal points at a missing stage");
            return Err(AppError::Internal);
        };
        rows.push(DealRow {
            id: d.uuid,
            name: d.name,
            account: accounts.get(&d.account_id).cloned().unwrap_or_default(),
            owner: users.get(&d.owner_id).cloned().unwrap_or_default(),
            team: teams.get(&d.team_id).cloned().unwrap_or_default(),
            stage: stage_ref(s),
            amount_fen: d.amount_fen,
            currency: d.currency,
            close_date: d.close_date,
        });
    }
    Ok(rows)
}

/// Count, amount and weighted amount per stage of the default pipeline, summed by the
/// database over the deals this user may see (exact at any size).
pub async fn pipeline_summary(db: &DatabaseConnection, ctx: &RequestContext) -> Result<PipelineSummary, AppError> {
    let p = pipeline::Entity::find()
        .order_by_desc(pipeline::Column::IsDefault)
        .order_by_asc(pipeline::Column::Position)
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or(AppError::NotFound)?;
    let stages = stage::Entity::find()
        .filter(stage::Column::PipelineId.eq(p.id))
        .order_by_asc(stage::Column::Position)
        .all(db)
        .await
        .map_err(db_err)?;
    let sums: Vec<(i32, i64, i64)> = deal::Entity::find()
        .filter(deal::Column::PipelineId.eq(p.id))
        .filter(deal_visibility(&ctx.visibility))
        .select_only()
        .column(deal::Column::StageId)
        .column_as(Expr::cust("CAST(COUNT(*) AS BIGINT)"), "n")
        .column_as(Expr::cust("CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT)"), "s")
        .group_by(deal::Column::StageId)
        .into_tuple()
        .all(db)
        .await
        .map_err(db_err)?;
    let by_stage: HashMap<i32, (i64, i64)> = sums.into_iter().map(|(s, n, a)| (s, (n, a))).collect();
    let stages = stages
        .iter()
        .map(|s| {
            let (n, a) = by_stage.get(&s.id).copied().unwrap_or((0, 0));
            // Every deal of a stage shares its win rate, so Σ(amount) × rate is exact.
            StageSummary { stage: stage_ref(s), count: n.max(0) as u64, amount_fen: a, weighted_fen: weighted_fen(a, s.win_rate_pct) }
        })
        .collect();
    Ok(PipelineSummary { pipeline_name_en: p.name_en, pipeline_name_zh: p.name_zh, stages })
}

/// One deal the user may see, as a row (NotFound otherwise).
pub async fn one(db: &DatabaseConnection, ctx: &RequestContext, id: uuid::Uuid) -> Result<DealRow, AppError> {
    let d = super::movement::visible_deal(db, ctx, id).await?;
    hydrate_rows(db, vec![d]).await?.pop().ok_or(AppError::NotFound)
}
