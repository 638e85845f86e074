//! Running deal totals per (pipeline, stage, team, owner), and the forecast's summary cells.
//! Every write that changes a deal goes through [`record`] in the same transaction, so the
//! board's column sums read a few hundred summary rows and the dashboard's figures of the
//! present a few tens of thousands, instead of aggregating every deal.
use super::access::deal_visibility;
use crate::domain::error::AppError;
use crate::domain::forecast as f;
use crate::domain::role::Visibility;
use crate::ssr::db_err;
use crate::ssr::entity::{deal, deal_total, forecast_cell, stage};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use std::collections::HashMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    pub pipeline_id: i32,
    pub stage_id: i32,
    pub team_id: i32,
    pub owner_id: i32,
}

impl Key {
    pub fn of(d: &deal::Model) -> Key {
        Key { pipeline_id: d.pipeline_id, stage_id: d.stage_id, team_id: d.team_id, owner_id: d.owner_id }
    }
}

/// Applies (key, Δcount, Δamount) changes. Keys are written in sorted order so two
/// transactions touching the same rows lock them in the same order (no PostgreSQL deadlock).
pub async fn bump<C: ConnectionTrait>(db: &C, mut changes: Vec<(Key, i64, i64)>) -> Result<(), AppError> {
    changes.sort_by_key(|c| c.0);
    for (k, dn, da) in changes {
        if dn == 0 && da == 0 {
            continue;
        }
        let row = deal_total::ActiveModel {
            pipeline_id: Set(k.pipeline_id),
            stage_id: Set(k.stage_id),
            team_id: Set(k.team_id),
            owner_id: Set(k.owner_id),
            n: Set(dn),
            amount_fen: Set(da),
        };
        deal_total::Entity::insert(row)
            .on_conflict(
                OnConflict::columns([
                    deal_total::Column::PipelineId,
                    deal_total::Column::StageId,
                    deal_total::Column::TeamId,
                    deal_total::Column::OwnerId,
                ])
                .value(deal_total::Column::N, Expr::col((deal_total::Entity, deal_total::Column::N)).add(Expr::cust("excluded.n")))
                .value(
                    deal_total::Column::AmountFen,
                    Expr::col((deal_total::Entity, deal_total::Column::AmountFen)).add(Expr::cust("excluded.amount_fen")),
                )
                .to_owned(),
            )
            .exec_without_returning(db)
            .await
            .map_err(db_err)?;
    }
    Ok(())
}

/// The changes that turn deal `before` into `after` (either may be absent: create/delete).
pub fn diff(before: Option<&deal::Model>, after: Option<&deal::Model>) -> Vec<(Key, i64, i64)> {
    let mut out = Vec::with_capacity(2);
    match (before, after) {
        (Some(b), Some(a)) if Key::of(b) == Key::of(a) => out.push((Key::of(a), 0, a.amount_fen - b.amount_fen)),
        (b, a) => {
            if let Some(b) = b {
                out.push((Key::of(b), -1, -b.amount_fen));
            }
            if let Some(a) = a {
                out.push((Key::of(a), 1, a.amount_fen));
            }
        }
    }
    out
}

/// Keeps both summaries in step with one deal write: `before` and `after` are the row
/// before and after it (None: the deal did not exist / no longer exists).
pub async fn record<C: ConnectionTrait>(db: &C, before: Option<&deal::Model>, after: Option<&deal::Model>) -> Result<(), AppError> {
    let ids: Vec<i32> = before.iter().chain(after.iter()).map(|d| d.stage_id).collect();
    let stages: Vec<f::Stage> = stage::Entity::find()
        .filter(stage::Column::Id.is_in(ids))
        .all(db)
        .await
        .map_err(db_err)?
        .iter()
        .map(super::convert::stage_fact)
        .collect();
    record_with(db, &stages, before, after).await
}

/// [`record`] with the stages of both rows already at hand (a move has its pipeline's).
pub async fn record_with<C: ConnectionTrait>(
    db: &C,
    stages: &[f::Stage],
    before: Option<&deal::Model>,
    after: Option<&deal::Model>,
) -> Result<(), AppError> {
    bump(db, diff(before, after)).await?;
    bump_cells(db, cell_diff(stages, before, after)).await
}

/// A cell change: (key, Δcount, Δamount, Δweighted).
pub type CellChange = (f::CellKey, i64, i64, i64);

/// The cell changes that turn deal `before` into `after`.
pub fn cell_diff(stages: &[f::Stage], before: Option<&deal::Model>, after: Option<&deal::Model>) -> Vec<CellChange> {
    let cell = |d: &deal::Model| {
        let s = stages.iter().find(|s| s.id == d.stage_id)?;
        f::cell_of(&super::convert::deal_fact(d), s, f::offset()).map(|(k, w)| (k, d.amount_fen, w))
    };
    let mut out: Vec<CellChange> = Vec::with_capacity(2);
    if let Some((k, a, w)) = before.and_then(cell) {
        out.push((k, -1, -a, -w));
    }
    if let Some((k, a, w)) = after.and_then(cell) {
        match out.iter_mut().find(|c| c.0 == k) {
            Some(c) => *c = (k, c.1 + 1, c.2 + a, c.3 + w),
            None => out.push((k, 1, a, w)),
        }
    }
    out.retain(|c| c.1 != 0 || c.2 != 0 || c.3 != 0);
    out
}

fn category_text(c: Option<f::ForecastCategory>) -> String {
    c.map(|c| c.as_str().to_owned()).unwrap_or_default()
}

/// Applies cell changes, in key order (same reason as [`bump`]).
pub async fn bump_cells<C: ConnectionTrait>(db: &C, mut changes: Vec<CellChange>) -> Result<(), AppError> {
    use forecast_cell::Column as K;
    changes.sort_by_key(|c| c.0);
    for (k, dn, da, dw) in changes {
        let row = forecast_cell::ActiveModel {
            team_id: Set(k.team_id),
            owner_id: Set(k.owner_id),
            pipeline_id: Set(k.pipeline_id),
            stage_id: Set(k.stage_id),
            close_month: Set(k.close_month),
            won_month: Set(k.won_month),
            owner_category: Set(category_text(k.owner_category)),
            manager_category: Set(category_text(k.manager_category)),
            n: Set(dn),
            amount_fen: Set(da),
            weighted_fen: Set(dw),
        };
        let plus = |c: K, name: &str| Expr::col((forecast_cell::Entity, c)).add(Expr::cust(format!("excluded.{name}")));
        forecast_cell::Entity::insert(row)
            .on_conflict(
                OnConflict::columns([
                    K::TeamId,
                    K::OwnerId,
                    K::PipelineId,
                    K::StageId,
                    K::CloseMonth,
                    K::WonMonth,
                    K::OwnerCategory,
                    K::ManagerCategory,
                ])
                .value(K::N, plus(K::N, "n"))
                .value(K::AmountFen, plus(K::AmountFen, "amount_fen"))
                .value(K::WeightedFen, plus(K::WeightedFen, "weighted_fen"))
                .to_owned(),
            )
            .exec_without_returning(db)
            .await
            .map_err(db_err)?;
    }
    Ok(())
}

/// Recomputes what win rates weigh: the forecast cells from `deals`, the progress days and
/// terms from the history (after a win rate changes, or bulk loads).
pub async fn rebuild_cells<C: ConnectionTrait>(db: &C) -> Result<(), sea_orm::DbErr> {
    db.execute_unprepared("DELETE FROM forecast_cells").await?;
    db.execute_unprepared(&crate::ssr::sql::rebuild_forecast_cells(db.get_database_backend())).await?;
    crate::ssr::sql::rebuild_progress_days(db).await?;
    crate::ssr::sql::rebuild_progress_terms(db).await
}

/// Recomputes both summaries from `deals` (after bulk loads that bypass the services).
pub async fn rebuild<C: ConnectionTrait>(db: &C) -> Result<(), sea_orm::DbErr> {
    db.execute_unprepared("DELETE FROM deal_totals").await?;
    db.execute_unprepared(crate::ssr::sql::REBUILD_DEAL_TOTALS).await?;
    rebuild_cells(db).await
}

/// Optional narrowing of the totals to one owner and/or team.
#[derive(Clone, Copy, Debug, Default)]
pub struct Narrow {
    pub owner_id: Option<i32>,
    pub team_id: Option<i32>,
}

/// (count, Σ amount) per stage over the deals this user may see, exact: the team arm of the
/// visibility rule reads the summary; the member arm (deals of other teams the user works
/// on) is a small indexed query over deal_members.
pub async fn stage_sums<C: ConnectionTrait>(
    db: &C,
    pipeline_id: i32,
    vis: &Visibility,
    narrow: Narrow,
) -> Result<HashMap<i32, (i64, i64)>, AppError> {
    let mut q = deal_total::Entity::find().filter(deal_total::Column::PipelineId.eq(pipeline_id));
    if let Some(o) = narrow.owner_id {
        q = q.filter(deal_total::Column::OwnerId.eq(o));
    }
    if let Some(t) = narrow.team_id {
        q = q.filter(deal_total::Column::TeamId.eq(t));
    }
    let mut out: HashMap<i32, (i64, i64)> = HashMap::new();
    let team_arm = vis.all || !vis.team_ids.is_empty();
    if team_arm {
        if !vis.all {
            q = q.filter(deal_total::Column::TeamId.is_in(vis.team_ids.clone()));
        }
        let rows: Vec<(i32, i64, f64)> = q
            .select_only()
            .column(deal_total::Column::StageId)
            .column_as(Expr::cust("CAST(COALESCE(SUM(n), 0) AS BIGINT)"), "n")
            .column_as(Expr::cust(crate::ssr::sql::sum_real("amount_fen")), "s")
            .group_by(deal_total::Column::StageId)
            .into_tuple()
            .all(db)
            .await
            .map_err(db_err)?;
        for (s, n, a) in rows {
            let e = out.entry(s).or_default();
            e.0 += n;
            e.1 = e.1.saturating_add(crate::ssr::sql::saturate(a));
        }
    }
    if let (false, Some(u)) = (vis.all, vis.member_user_id) {
        let ids = super::member_deal_ids(db, u).await?;
        if !ids.is_empty() {
            let mut c = Condition::all().add(deal::Column::PipelineId.eq(pipeline_id)).add(deal::Column::Id.is_in(ids));
            if !vis.team_ids.is_empty() {
                c = c.add(deal::Column::TeamId.is_not_in(vis.team_ids.clone()));
            }
            if let Some(o) = narrow.owner_id {
                c = c.add(deal::Column::OwnerId.eq(o));
            }
            if let Some(t) = narrow.team_id {
                c = c.add(deal::Column::TeamId.eq(t));
            }
            for (s, (n, a)) in raw_stage_sums(db, c).await? {
                let e = out.entry(s).or_default();
                e.0 += n;
                e.1 = e.1.saturating_add(a);
            }
        }
    }
    Ok(out)
}

/// The same sums aggregated from `deals` directly: used for filters the summary cannot
/// answer (close-date buckets, amount ranges) and by the test that proves both agree.
pub async fn raw_stage_sums<C: ConnectionTrait>(db: &C, cond: Condition) -> Result<HashMap<i32, (i64, i64)>, AppError> {
    let sums: Vec<(i32, i64, f64)> = deal::Entity::find()
        .filter(cond)
        .select_only()
        .column(deal::Column::StageId)
        .column_as(Expr::cust("CAST(COUNT(*) AS BIGINT)"), "n")
        .column_as(Expr::cust(crate::ssr::sql::sum_real("amount_fen")), "s")
        .group_by(deal::Column::StageId)
        .into_tuple()
        .all(db)
        .await
        .map_err(db_err)?;
    Ok(sums.into_iter().map(|(s, n, a)| (s, (n, crate::ssr::sql::saturate(a)))).collect())
}

/// Raw sums for one pipeline under the visibility rule (for tests and fallbacks).
pub async fn raw_visible_sums<C: ConnectionTrait>(
    db: &C,
    pipeline_id: i32,
    vis: &Visibility,
) -> Result<HashMap<i32, (i64, i64)>, AppError> {
    raw_stage_sums(db, Condition::all().add(deal::Column::PipelineId.eq(pipeline_id)).add(deal_visibility(vis))).await
}

// Pure calendar arithmetic, now in the domain; callers keep this path.
pub use crate::domain::forecast::day_key;

fn val<T: Clone + Into<sea_orm::Value>>(v: &sea_orm::ActiveValue<T>) -> Option<T> {
    match v {
        sea_orm::ActiveValue::Set(x) | sea_orm::ActiveValue::Unchanged(x) => Some(x.clone()),
        sea_orm::ActiveValue::NotSet => None,
    }
}

/// Adds a value event's parts to `progress_days`, read from its history row as the rebuild
/// reads them (migration 000011): for the quarter of its local day and the one before.
/// `stages` must hold the stages before and after. Rows of other kinds add nothing.
pub async fn record_event<C: ConnectionTrait>(
    db: &C,
    h: &crate::ssr::entity::deal_history::ActiveModel,
    team_id: i32,
    owner_id: i32,
    stages: &[f::Stage],
) -> Result<(), AppError> {
    use crate::ssr::entity::progress_day::{self, Column as P};
    let kind = f::EventKind::parse(&val(&h.kind).unwrap_or_default());
    let (Some(at), Some(stage_id), Some(amount_fen), Some(close_date), Some(entered_at)) = (
        val(&h.at),
        val(&h.after_stage_id).flatten(),
        val(&h.after_amount_fen).flatten(),
        val(&h.after_close_date).flatten(),
        val(&h.after_entered_at).flatten(),
    ) else {
        return Ok(());
    };
    let after = f::StateAt { stage_id, amount_fen, close_date, entered_at };
    let before = match kind {
        f::EventKind::Created => None,
        f::EventKind::Moved => Some(f::StateAt {
            stage_id: val(&h.from_stage_id).flatten().unwrap_or(stage_id),
            entered_at: val(&h.before_entered_at).flatten().unwrap_or(entered_at),
            ..after
        }),
        f::EventKind::AmountChanged => Some(f::StateAt { amount_fen: val(&h.old_amount_fen).flatten().unwrap_or(amount_fen), ..after }),
        f::EventKind::CloseDateChanged => Some(f::StateAt { close_date: val(&h.old_close_date).flatten().unwrap_or(close_date), ..after }),
        _ => return Ok(()),
    };
    let off = f::offset();
    let day = f::local_date(at, off);
    let here = f::quarter_id(day);
    // The contribution kind does not depend on the quarter the part is valued in.
    let cls = super::convert::contribution_code(f::event_part(kind, before.as_ref(), &after, stages, f::Scope::quarter(day, off)).0);
    // One statement for both quarters (their keys differ); zero parts are kept too, so a write
    // costs the same statements whatever the deal.
    let rows: Vec<progress_day::ActiveModel> = [here - 1, here]
        .into_iter()
        .filter_map(|scope_id| {
            let first = f::quarter_of_id(scope_id)?;
            let (_, fen) = f::event_part(kind, before.as_ref(), &after, stages, f::Scope::quarter(first, off));
            Some(progress_day::ActiveModel {
                scope: Set(scope_id),
                day: Set(day_key(day)),
                team_id: Set(team_id),
                owner_id: Set(owner_id),
                cls: Set(cls.to_owned()),
                fen: Set(fen),
            })
        })
        .collect();
    progress_day::Entity::insert_many(rows)
        .on_conflict(
            OnConflict::columns([P::Scope, P::Day, P::TeamId, P::OwnerId, P::Cls])
                .value(P::Fen, Expr::col((progress_day::Entity, P::Fen)).add(Expr::cust("excluded.fen")))
                .to_owned(),
        )
        .exec_without_returning(db)
        .await
        .map_err(db_err)?;
    // The older quarters' terms (merged per key by `far_terms`, so one statement holds each
    // key once, as PostgreSQL requires).
    use crate::ssr::entity::progress_term::{self, Column as T};
    let terms: Vec<progress_term::ActiveModel> = f::far_terms(before.as_ref(), &after, stages, day, off)
        .into_iter()
        .map(|t| progress_term::ActiveModel {
            day: Set(day_key(day)),
            team_id: Set(team_id),
            owner_id: Set(owner_id),
            cls: Set(cls.to_owned()),
            term: Set(if t.won { "won" } else { "open" }.to_owned()),
            month: Set(t.month),
            fen: Set(t.fen),
        })
        .collect();
    progress_term::Entity::insert_many(terms)
        .on_conflict(
            OnConflict::columns([T::Day, T::TeamId, T::OwnerId, T::Cls, T::Term, T::Month])
                .value(T::Fen, Expr::col((progress_term::Entity, T::Fen)).add(Expr::cust("excluded.fen")))
                .to_owned(),
        )
        .exec_without_returning(db)
        .await
        .map_err(db_err)?;
    Ok(())
}

/// Inserts a history row and, for a value event, its parts (see [`record_event`]).
pub async fn insert_history<C: ConnectionTrait>(
    db: &C,
    h: crate::ssr::entity::deal_history::ActiveModel,
    d: &deal::Model,
    stages: &[f::Stage],
) -> Result<(), AppError> {
    record_event(db, &h, d.team_id, d.owner_id, stages).await?;
    crate::ssr::entity::deal_history::Entity::insert(h).exec_without_returning(db).await.map_err(db_err)?;
    Ok(())
}

/// Adds one deal's progress parts (days and terms), times `sign`, under the team and owner
/// its row has now: −1 before a change of owner or team and +1 after, in the same transaction,
/// moves them as a rebuild would attribute them. (The old owner keeps rows of 0 where only this
/// deal counted; a rebuild would have none. Every figure is the same.)
pub async fn move_progress<C: ConnectionTrait>(db: &C, deal_id: i32, sign: i8) -> Result<(), AppError> {
    crate::ssr::sql::add_deal_progress_days(db, deal_id, sign).await.map_err(db_err)?;
    crate::ssr::sql::add_deal_progress_terms(db, deal_id, sign).await.map_err(db_err)
}

/// Drops every cached trend point (after a change the history does not record: a win rate,
/// who works on a deal).
pub async fn forget_points<C: ConnectionTrait>(db: &C) -> Result<(), AppError> {
    crate::ssr::entity::forecast_point::Entity::delete_many().exec(db).await.map_err(db_err)?;
    Ok(())
}
