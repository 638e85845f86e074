//! The 13-week trend: past points summed by the database and kept, the present one from the cells.
use super::{cust, scope_key, value_rows_after, viewers_history, week_start};
use crate::domain::error::AppError;
use crate::domain::forecast as f;
use crate::domain::forecast::offset;
use crate::ssr::context::RequestContext;
use crate::ssr::db_err;
use crate::ssr::entity::forecast_point;
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use std::collections::HashMap;

/// The 13 week ends of the trend, oldest first; the last is `now`.
pub fn trend_instants(now: DateTime<Utc>) -> Vec<DateTime<Utc>> {
    (0..13).rev().map(|w| week_start(now) + Duration::days(7) - Duration::days(7 * w)).map(|t| t.min(now)).collect()
}

/// Past trend points summed by the database, like [`progress_summed`]: each point's four
/// figures are the cells' (now) minus what the value events after it changed in them, read
/// from the state each history row carries. One scan of the events after the oldest point per
/// quarter the points are valued in, instead of replaying every changed deal once per point
/// (6 minutes for 12 points at 1M deals and 8.4M history rows). Tests compare with the replay.
async fn points_summed<C: ConnectionTrait>(
    db: &C,
    ctx: &RequestContext,
    points: &[DateTime<Utc>],
    cells: &[f::Cell],
    stages: &[f::Stage],
) -> Result<HashMap<DateTime<Utc>, f::TrendPoint>, AppError> {
    use sea_orm::sea_query::{Alias, Value};
    let backend = db.get_database_backend();
    let off = offset();
    let mut by_scope: Vec<(f::Scope, Vec<DateTime<Utc>>)> = Vec::new();
    for &t in points {
        let scope = f::point_scope(t, off);
        match by_scope.iter_mut().find(|(s, _)| *s == scope) {
            Some((_, ts)) => ts.push(t),
            None => by_scope.push((scope, vec![t])),
        }
    }
    let mut out = HashMap::new();
    for (scope, mut ts) in by_scope {
        ts.sort_unstable();
        ts.dedup();
        let Some(&first) = ts.first() else { continue };
        // Bucket j (1..=m) holds the events after point j-1 up to point j (the last: after it).
        let mut bucket = String::from("CASE");
        for j in 1..ts.len() {
            bucket.push_str(&format!(" WHEN h.at <= ? THEN {j}"));
        }
        bucket.push_str(&format!(" ELSE {} END", ts.len()));
        let bucket_values: Vec<Value> = ts.iter().skip(1).map(|t| Value::from(*t)).collect();
        let in_horizon = |c: &str| if scope.horizon_end.is_some() { format!("{c} <= ?") } else { "1 = 1".to_owned() };
        let won_since = |e: &str| format!("{e} >= ?");
        let horizon: Vec<Value> = scope.horizon_end.map(|h| vec![Value::from(h), Value::from(h)]).unwrap_or_default();
        let since = vec![Value::from(scope.period_start), Value::from(scope.period_start)];
        let [df, dw, dn, dwn] = crate::ssr::sql::event_split_sql(&in_horizon, &won_since);
        let mut inner = value_rows_after(backend, first);
        inner
            .expr_as(cust(backend, &bucket, bucket_values), Alias::new("bkt"))
            .expr_as(cust(backend, &df, horizon.clone()), Alias::new("df"))
            .expr_as(cust(backend, &dw, since.clone()), Alias::new("dw"))
            .expr_as(cust(backend, &dn, horizon), Alias::new("dn"))
            .expr_as(cust(backend, &dwn, since), Alias::new("dwn"));
        viewers_history(&mut inner, ctx);
        let mut q = Query::select();
        q.from_subquery(inner, Alias::new("t")).column(Alias::new("bkt"));
        for c in ["df", "dw", "dn", "dwn"] {
            q.expr_as(Expr::cust(format!("CAST(COALESCE(SUM({c}), 0) AS BIGINT)")), Alias::new(c));
        }
        q.group_by_col(Alias::new("bkt"));
        let mut deltas = vec![[0i64; 4]; ts.len() + 1];
        for row in db.query_all(&q).await.map_err(db_err)? {
            let j: i32 = row.try_get("", "bkt").map_err(db_err)?;
            let Some(slot) = usize::try_from(j).ok().and_then(|j| deltas.get_mut(j)) else { continue };
            for (k, c) in ["df", "dw", "dn", "dwn"].into_iter().enumerate() {
                slot[k] = slot[k].saturating_add(row.try_get::<i64>("", c).map_err(db_err)?);
            }
        }
        // Walk back from now: point k is now minus every bucket after it.
        let now = f::cells_point(cells, stages, scope, off, first);
        let mut after = [0i64; 4];
        for (k, &t) in ts.iter().enumerate().rev() {
            if let Some(d) = deltas.get(k + 1) {
                for (a, x) in after.iter_mut().zip(d) {
                    *a = a.saturating_add(*x);
                }
            }
            let count = |n: u64, d: i64| u64::try_from(i64::try_from(n).unwrap_or(i64::MAX).saturating_sub(d)).unwrap_or(0);
            let (forecast_fen, won_fen) = (now.forecast_fen.saturating_sub(after[0]), now.won_fen.saturating_sub(after[1]));
            out.insert(
                t,
                f::TrendPoint {
                    at: t,
                    forecast_fen,
                    won_fen,
                    value_fen: forecast_fen.saturating_add(won_fen),
                    open_count: count(now.open_count, after[2]),
                    won_count: count(now.won_count, after[3]),
                },
            );
        }
    }
    Ok(out)
}

/// Trend points at `points`: past ones from the cache (computed and stored on first use),
/// the present one from the cells. See the `forecast_points` migration for why a past point
/// may be kept.
pub async fn trend_points<C: ConnectionTrait>(
    db: &C,
    ctx: &RequestContext,
    points: &[DateTime<Utc>],
    now: DateTime<Utc>,
    cells: &[f::Cell],
    stages: &[f::Stage],
) -> Result<Vec<f::TrendPoint>, AppError> {
    trend_points_with(db, ctx, points, now, cells, stages, true).await
}

/// [`trend_points`]; with `compute_missing` false, past points not kept yet are left out.
pub(super) async fn trend_points_with<C: ConnectionTrait>(
    db: &C,
    ctx: &RequestContext,
    points: &[DateTime<Utc>],
    now: DateTime<Utc>,
    cells: &[f::Cell],
    stages: &[f::Stage],
    compute_missing: bool,
) -> Result<Vec<f::TrendPoint>, AppError> {
    use forecast_point::Column as P;
    let key = scope_key(ctx);
    let past: Vec<DateTime<Utc>> = points.iter().copied().filter(|t| *t < now).collect();
    let cached: HashMap<DateTime<Utc>, forecast_point::Model> = forecast_point::Entity::find()
        .filter(P::ScopeKey.eq(key.clone()))
        .filter(P::At.is_in(past))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|m| (m.at, m))
        .collect();
    // The past points not kept yet, summed in one go.
    let missing: Vec<DateTime<Utc>> = points.iter().copied().filter(|t| *t < now && !cached.contains_key(t)).collect();
    let summed =
        if compute_missing && !missing.is_empty() { points_summed(db, ctx, &missing, cells, stages).await? } else { HashMap::new() };
    let mut out = Vec::with_capacity(points.len());
    for &t in points {
        if let Some(m) = cached.get(&t) {
            let count = |n: i64| u64::try_from(n).unwrap_or(0);
            out.push(f::TrendPoint {
                at: t,
                forecast_fen: m.forecast_fen,
                won_fen: m.won_fen,
                value_fen: m.forecast_fen.saturating_add(m.won_fen),
                open_count: count(m.open_count),
                won_count: count(m.won_count),
            });
            continue;
        }
        if t < now && !compute_missing {
            continue;
        }
        // Nothing has happened after now: the present point is the cells' (asking the history
        // for deals changed after now cost a 300 ms index scan at 1M).
        if t >= now {
            out.push(f::cells_point(cells, stages, f::point_scope(t, offset()), offset(), t));
            continue;
        }
        let Some(&p) = summed.get(&t) else { continue };
        if t < now {
            let count = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
            let row = forecast_point::ActiveModel {
                scope_key: sea_orm::ActiveValue::Set(key.clone()),
                at: sea_orm::ActiveValue::Set(t),
                forecast_fen: sea_orm::ActiveValue::Set(p.forecast_fen),
                won_fen: sea_orm::ActiveValue::Set(p.won_fen),
                open_count: sea_orm::ActiveValue::Set(count(p.open_count)),
                won_count: sea_orm::ActiveValue::Set(count(p.won_count)),
            };
            forecast_point::Entity::insert(row).on_conflict_do_nothing().exec(db).await.map_err(db_err)?;
        }
        out.push(p);
    }
    Ok(out)
}

pub use crate::ssr::service::totals::forget_points;
