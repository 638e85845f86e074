//! The forecast cells of the viewer's deals: the figures of the present.
use crate::domain::error::AppError;
use crate::domain::forecast as f;
use crate::domain::forecast::offset;
use crate::ssr::context::RequestContext;
use crate::ssr::db_err;
use crate::ssr::entity::{deal, forecast_cell, stage};
use crate::ssr::service::convert::{category, deal_fact, stage_fact};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter};
use std::collections::HashMap;

/// The forecast cells of the deals the viewer's figures count (the same scope as
/// [`load_paged`]), won cells from `won_from_month` (`YYYYMM`) on. The team arm reads the
/// summary table; deals of other teams the viewer works on are few and summed here.
pub async fn load_cells<C: ConnectionTrait>(db: &C, ctx: &RequestContext, won_from_month: i32) -> Result<Vec<f::Cell>, AppError> {
    use forecast_cell::Column as K;
    let vis = &ctx.visibility;
    let rep = crate::domain::access::figures_owner(ctx.role, ctx.user_id);
    let mut by: HashMap<f::CellKey, f::Cell> = HashMap::new();
    let mut put = |c: f::Cell| {
        let e = by.entry(c.key).or_insert(f::Cell { key: c.key, count: 0, amount_fen: 0, weighted_fen: 0 });
        e.count += c.count;
        e.amount_fen = e.amount_fen.saturating_add(c.amount_fen);
        e.weighted_fen = e.weighted_fen.saturating_add(c.weighted_fen);
    };
    if vis.all || !vis.team_ids.is_empty() {
        let mut q = forecast_cell::Entity::find()
            .filter(K::N.ne(0))
            .filter(Condition::any().add(K::WonMonth.eq(0)).add(K::WonMonth.gte(won_from_month)));
        if !vis.all {
            q = q.filter(K::TeamId.is_in(vis.team_ids.clone()));
        }
        if let Some(u) = rep {
            q = q.filter(K::OwnerId.eq(u));
        }
        for m in q.all(db).await.map_err(db_err)? {
            put(f::Cell {
                key: f::CellKey {
                    owner_id: m.owner_id,
                    team_id: m.team_id,
                    pipeline_id: m.pipeline_id,
                    stage_id: m.stage_id,
                    close_month: m.close_month,
                    won_month: m.won_month,
                    owner_category: category(Some(&m.owner_category)),
                    manager_category: category(Some(&m.manager_category)),
                },
                count: m.n,
                amount_fen: m.amount_fen,
                weighted_fen: m.weighted_fen,
            });
        }
    }
    if let (false, Some(u)) = (vis.all, vis.member_user_id) {
        let ids = crate::ssr::service::member_deal_ids(db, u).await?;
        if !ids.is_empty() {
            let mut c = Condition::all().add(deal::Column::Id.is_in(ids));
            if !vis.team_ids.is_empty() {
                c = c.add(deal::Column::TeamId.is_not_in(vis.team_ids.clone()));
            }
            if let Some(u) = rep {
                c = c.add(deal::Column::OwnerId.eq(u));
            }
            let deals: Vec<f::Deal> = deal::Entity::find().filter(c).all(db).await.map_err(db_err)?.iter().map(deal_fact).collect();
            let stages: Vec<f::Stage> = stage::Entity::find().all(db).await.map_err(db_err)?.iter().map(stage_fact).collect();
            for cell in f::cells_of(&deals, &stages, offset()) {
                if cell.key.won_month == 0 || cell.key.won_month >= won_from_month {
                    put(cell);
                }
            }
        }
    }
    let mut out: Vec<f::Cell> = by.into_values().filter(|c| c.count != 0).collect();
    out.sort_by_key(|c| c.key);
    Ok(out)
}
