//! Sales progress between two instants: replayed, summed from the events, or from the progress days.
use super::{changed_since, cust, history_start, load_cells, value_events, Book};
use crate::domain::dashboard::{ProgressParts, ProgressView};
use crate::domain::error::AppError;
use crate::domain::forecast as f;
use crate::domain::forecast::offset;
use crate::ssr::context::RequestContext;
use crate::ssr::db_err;
use crate::ssr::entity::{deal, stage};
use crate::ssr::service::convert::stage_fact;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use std::collections::HashMap;

/// Monday 00:00 local of the week containing `t`.
pub fn week_start(t: DateTime<Utc>) -> DateTime<Utc> {
    let day = f::local_date(t, offset());
    f::local_midnight(day - Duration::days(i64::from(day.weekday().num_days_from_monday())), offset())
}

fn parts(c: &f::Contributions) -> ProgressParts {
    ProgressParts {
        new_fen: c.new_fen,
        moved_up_fen: c.moved_up_fen,
        moved_down_fen: c.moved_down_fen,
        won_fen: c.won_fen,
        lost_fen: c.lost_fen,
        amount_changed_fen: c.amount_changed_fen,
        slipped_fen: c.slipped_fen,
        pulled_in_fen: c.pulled_in_fen,
        other_fen: c.other_fen,
    }
}

/// Progress between two instants (default: since Monday), with the quarter of A as scope.
pub fn progress_view(b: &Book, from: DateTime<Utc>, to: DateTime<Utc>) -> (ProgressView, f::Progress) {
    let scope = f::Scope::quarter(f::local_date(from, offset()), offset());
    let p = f::progress(&b.deals, &b.stages, &b.events, from, to, scope);
    let view = ProgressView {
        from: f::local_date(from, offset()),
        to: f::local_date(to, offset()),
        value_from_fen: p.forecast_a_fen + p.won_a_fen,
        value_to_fen: p.forecast_b_fen + p.won_b_fen,
        total_fen: p.total_fen,
        parts: parts(&p.parts),
    };
    (view, p)
}

/// Progress from `a` to `b` reading only the deals with history after `a`: every other deal
/// stands at A, at B and now the same, so its value cancels out of the total and its share of
/// the two values comes from the cells (present value of all minus that of the changed deals).
/// A test proves it equal to the replay of every deal.
pub async fn progress_changed<C: ConnectionTrait>(
    db: &C,
    ctx: &RequestContext,
    a: DateTime<Utc>,
    b: DateTime<Utc>,
) -> Result<(ProgressView, f::Progress), AppError> {
    let scope = f::Scope::quarter(f::local_date(a, offset()), offset());
    let stage_rows = stage::Entity::find().all(db).await.map_err(db_err)?;
    let cells = load_cells(db, ctx, f::month_key(f::local_date(scope.period_start, offset()))).await?;
    progress_changed_with(db, ctx, a, b, &cells, stage_rows).await
}

/// [`progress_changed`] with the cells (won cells from A's quarter on, or earlier) and the
/// stages already loaded, as the dashboard has them.
async fn progress_changed_with<C: ConnectionTrait>(
    db: &C,
    ctx: &RequestContext,
    a: DateTime<Utc>,
    b: DateTime<Utc>,
    cells: &[f::Cell],
    stage_rows: Vec<stage::Model>,
) -> Result<(ProgressView, f::Progress), AppError> {
    let scope = f::Scope::quarter(f::local_date(a, offset()), offset());
    let (deals, events) = changed_since(db, ctx, a, history_start(a)).await?;
    let stages: Vec<f::Stage> = stage_rows.iter().map(stage_fact).collect();
    let (all_f, all_w) = f::cells_value(cells, &stages, scope, offset());
    let (chg_f, chg_w) = f::present_value(&deals, &stages, scope);
    let (rest_f, rest_w) = (all_f - chg_f, all_w - chg_w);
    let book = Book { deals, stages, stage_rows, events };
    let (mut view, mut p) = progress_view(&book, a, b);
    p.forecast_a_fen += rest_f;
    p.forecast_b_fen += rest_f;
    p.won_a_fen += rest_w;
    p.won_b_fen += rest_w;
    view.value_from_fen += rest_f + rest_w;
    view.value_to_fen += rest_f + rest_w;
    Ok((view, p))
}

/// The deals behind one part of a progress (its contribution `code`, as in the drill-down),
/// with their net contribution (zeros left out), summed by the database like
/// [`progress_summed`]; equal to the replay's items (a test proves it).
pub async fn progress_items_summed<C: ConnectionTrait>(
    db: &C,
    ctx: &RequestContext,
    a: DateTime<Utc>,
    b: DateTime<Utc>,
    code: &str,
) -> Result<HashMap<i32, i64>, AppError> {
    use sea_orm::sea_query::Alias;
    let (a, b) = if a <= b { (a, b) } else { (b, a) };
    let scope = f::Scope::quarter(f::local_date(a, offset()), offset());
    let mut q = Query::select();
    q.from_subquery(value_events(db.get_database_backend(), ctx, a, b, scope, None), Alias::new("t"))
        .column(Alias::new("deal_id"))
        .expr_as(Expr::cust("CAST(COALESCE(SUM(dv), 0) AS BIGINT)"), Alias::new("dv"))
        .and_where(Expr::cust("grp = 0"))
        .and_where(sea_orm::sea_query::ExprTrait::eq(Expr::col(Alias::new("cls")), code))
        .group_by_col(Alias::new("deal_id"));
    let mut out = HashMap::new();
    for row in db.query_all(&q).await.map_err(db_err)? {
        let id: i32 = row.try_get("", "deal_id").map_err(db_err)?;
        let fen: i64 = row.try_get("", "dv").map_err(db_err)?;
        if fen != 0 {
            out.insert(id, fen);
        }
    }
    Ok(out)
}

/// Progress from `a` to `b` summed by the database, with the quarter of A as scope (like
/// [`progress_view`]). Each value event changed its deal's value by value(after) −
/// value(before), both read from the state its row carries (migration 000010); the value now
/// comes from `cells` (won cells from A's quarter on), at B it is that minus what the events
/// after B changed, at A that minus the window's. One GROUP BY over the events after A: the
/// cost follows the history written since A, not the book. A test proves it equal to the replay.
pub async fn progress_summed<C: ConnectionTrait>(
    db: &C,
    ctx: &RequestContext,
    a: DateTime<Utc>,
    b: DateTime<Utc>,
    cells: &[f::Cell],
    stages: &[f::Stage],
) -> Result<ProgressView, AppError> {
    let (a, b) = if a <= b { (a, b) } else { (b, a) };
    let scope = f::Scope::quarter(f::local_date(a, offset()), offset());
    let mut acc = Parts::default();
    acc.add_rows(db, &by_part(value_events(db.get_database_backend(), ctx, a, b, scope, None), "dv")).await?;
    Ok(acc.view(a, b, scope, cells, stages))
}

/// `inner`'s rows (`grp`, `cls` and a part column `col`) summed per (grp, cls), as [`Parts`]
/// reads them.
fn by_part(inner: sea_orm::sea_query::SelectStatement, col: &str) -> sea_orm::sea_query::SelectStatement {
    use sea_orm::sea_query::Alias;
    let mut q = Query::select();
    q.from_subquery(inner, Alias::new("t"))
        .column(Alias::new("grp"))
        .column(Alias::new("cls"))
        .expr_as(Expr::cust(format!("CAST(COALESCE(SUM({col}), 0) AS BIGINT)")), Alias::new("dv"))
        .group_by_col(Alias::new("grp"))
        .group_by_col(Alias::new("cls"));
    q
}

/// Sums of `(grp, cls, dv)` rows: the window's parts (grp 0) and what came after B (grp 1).
#[derive(Default)]
struct Parts {
    window: f::Contributions,
    after_b: i64,
}

impl Parts {
    fn add(&mut self, grp: i32, cls: &str, fen: i64) {
        if grp == 1 {
            self.after_b = self.after_b.saturating_add(fen);
            return;
        }
        let w = &mut self.window;
        let slot = match cls {
            "new" => &mut w.new_fen,
            "won" => &mut w.won_fen,
            "lost" => &mut w.lost_fen,
            "moved_up" => &mut w.moved_up_fen,
            "moved_down" => &mut w.moved_down_fen,
            "amount_changed" => &mut w.amount_changed_fen,
            "slipped" => &mut w.slipped_fen,
            "pulled_in" => &mut w.pulled_in_fen,
            _ => &mut w.other_fen,
        };
        *slot = slot.saturating_add(fen);
    }

    async fn add_rows<C: ConnectionTrait>(&mut self, db: &C, q: &sea_orm::sea_query::SelectStatement) -> Result<(), AppError> {
        for row in db.query_all(q).await.map_err(db_err)? {
            let grp: i32 = row.try_get("", "grp").map_err(db_err)?;
            let cls: String = row.try_get("", "cls").map_err(db_err)?;
            let fen: i64 = row.try_get("", "dv").map_err(db_err)?;
            self.add(grp, &cls, fen);
        }
        Ok(())
    }

    /// The progress: the value now from the cells, at B that minus what came after B.
    fn view(&self, a: DateTime<Utc>, b: DateTime<Utc>, scope: f::Scope, cells: &[f::Cell], stages: &[f::Stage]) -> ProgressView {
        let (now_f, now_w) = f::cells_value(cells, stages, scope, offset());
        let value_to_fen = now_f.saturating_add(now_w).saturating_sub(self.after_b);
        let total_fen = self.window.sum();
        ProgressView {
            from: f::local_date(a, offset()),
            to: f::local_date(b, offset()),
            value_from_fen: value_to_fen.saturating_sub(total_fen),
            value_to_fen,
            total_fen,
            parts: parts(&self.window),
        }
    }
}

/// Progress from `a` to `b` as the app asks for it, from the progress days (migration 000011)
/// (and, from two quarters after A's on, the progress terms of migration 000013) when the
/// window is whole local days — A a local midnight, B one too or `now`; otherwise summed from
/// the events ([`progress_summed`]).
/// The two are tested equal to each other and to the replay.
pub async fn progress_fast<C: ConnectionTrait>(
    db: &C,
    ctx: &RequestContext,
    a: DateTime<Utc>,
    b: DateTime<Utc>,
    now: DateTime<Utc>,
    cells: &[f::Cell],
    stages: &[f::Stage],
) -> Result<ProgressView, AppError> {
    match progress_from_days(db, ctx, a, b, now, cells, stages).await? {
        Some(v) => Ok(v),
        None => progress_summed(db, ctx, a, b, cells, stages).await,
    }
}

/// [`progress_fast`]'s summary path; None when the window does not fit the days.
pub async fn progress_from_days<C: ConnectionTrait>(
    db: &C,
    ctx: &RequestContext,
    a: DateTime<Utc>,
    b: DateTime<Utc>,
    now: DateTime<Utc>,
    cells: &[f::Cell],
    stages: &[f::Stage],
) -> Result<Option<ProgressView>, AppError> {
    use crate::ssr::entity::progress_day::{self, Column as P};
    use sea_orm::sea_query::{Alias, ExprTrait, Value};
    let off = offset();
    let (a, b) = if a <= b { (a, b) } else { (b, a) };
    let (a_day, b_day) = (f::local_date(a, off), f::local_date(b, off));
    // B at or after now: nothing has happened after it, so every day from A on is the window.
    let b_open = b >= now;
    let scope_id = f::quarter_id(a_day);
    if f::local_midnight(a_day, off) != a || (!b_open && f::local_midnight(b_day, off) != b) {
        return Ok(None);
    }
    let scope = f::Scope::quarter(a_day, off);
    let split = if b_open { i32::MAX } else { f::day_key(b_day) };
    let backend = db.get_database_backend();
    let vis = &ctx.visibility;
    let rep = crate::domain::access::figures_owner(ctx.role, ctx.user_id);
    let mut acc = Parts::default();
    // The team arm reads the days; deals of other teams the viewer works on are few and
    // summed from their events (the same split as the cells).
    if vis.all || !vis.team_ids.is_empty() {
        let mut inner = Query::select();
        inner
            .from(progress_day::Entity)
            .expr_as(cust(backend, "CASE WHEN day >= ? THEN 1 ELSE 0 END", [Value::from(split)]), Alias::new("grp"))
            .column(P::Cls)
            .column(P::Fen)
            .and_where(Expr::col(P::Scope).eq(scope_id))
            .and_where(Expr::col(P::Day).gte(f::day_key(a_day)));
        if !vis.all {
            inner.and_where(Expr::col(P::TeamId).is_in(vis.team_ids.clone()));
        }
        if let Some(u) = rep {
            inner.and_where(Expr::col(P::OwnerId).eq(u));
        }
        acc.add_rows(db, &by_part(inner, "fen")).await?;
        // Events from two quarters after A's on: their terms that count in A's quarter.
        if let Some(far) = f::quarter_of_id(scope_id + 2).filter(|q| *q <= f::local_date(now, off)) {
            use crate::ssr::entity::progress_term::{self, Column as T};
            let (first, last) = (f::month_key(f::local_date(scope.period_start, off)), scope.horizon_end.map_or(i32::MAX, f::month_key));
            let mut inner = Query::select();
            inner
                .from(progress_term::Entity)
                .expr_as(cust(backend, "CASE WHEN day >= ? THEN 1 ELSE 0 END", [Value::from(split)]), Alias::new("grp"))
                .column(T::Cls)
                .column(T::Fen)
                .and_where(Expr::col(T::Day).gte(f::day_key(far)))
                .cond_where(
                    Condition::any()
                        .add(Condition::all().add(Expr::col(T::Term).eq("open")).add(Expr::col(T::Month).lte(last)))
                        .add(Condition::all().add(Expr::col(T::Term).eq("won")).add(Expr::col(T::Month).gte(first))),
                );
            if !vis.all {
                inner.and_where(Expr::col(T::TeamId).is_in(vis.team_ids.clone()));
            }
            if let Some(u) = rep {
                inner.and_where(Expr::col(T::OwnerId).eq(u));
            }
            acc.add_rows(db, &by_part(inner, "fen")).await?;
        }
    }
    if let (false, Some(u)) = (vis.all, vis.member_user_id) {
        let mut c = Condition::all().add(deal::Column::Id.is_in(crate::ssr::service::member_deal_ids(db, u).await?));
        if !vis.team_ids.is_empty() {
            c = c.add(deal::Column::TeamId.is_not_in(vis.team_ids.clone()));
        }
        if let Some(u) = rep {
            c = c.add(deal::Column::OwnerId.eq(u));
        }
        let ids: Vec<i32> =
            deal::Entity::find().select_only().column(deal::Column::Id).filter(c).into_tuple().all(db).await.map_err(db_err)?;
        if !ids.is_empty() {
            acc.add_rows(db, &by_part(value_events(backend, ctx, a, b, scope, Some(ids)), "dv")).await?;
        }
    }
    Ok(Some(acc.view(a, b, scope, cells, stages)))
}

/// Progress between two local dates (A at its midnight, B at the end of its day, capped at
/// now); defaults to this week so far.
pub async fn progress_between<C: ConnectionTrait>(
    db: &C,
    ctx: &RequestContext,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<ProgressView, AppError> {
    // Bounded first: a far date would overflow the day arithmetic below.
    from.map(|d| crate::domain::validate::date("from", d)).transpose()?;
    to.map(|d| crate::domain::validate::date("to", d)).transpose()?;
    let now = Utc::now();
    let a = from.map_or_else(|| week_start(now), |d| f::local_midnight(d, offset()));
    let b = to.map_or(now, |d| f::local_midnight(d + Duration::days(1), offset())).min(now);
    if a >= b {
        return Err(AppError::validation("from", "must be before to (and not in the future)"));
    }
    let scope = f::Scope::quarter(f::local_date(a, offset()), offset());
    let stages: Vec<f::Stage> = stage::Entity::find().all(db).await.map_err(db_err)?.iter().map(stage_fact).collect();
    let cells = load_cells(db, ctx, f::month_key(f::local_date(scope.period_start, offset()))).await?;
    progress_fast(db, ctx, a, b, now, &cells, &stages).await
}
