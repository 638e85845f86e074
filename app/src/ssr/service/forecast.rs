//! The executive dashboard: loads the deals, stages, history and quotas the viewer may see
//! and hands them to the pure figures in `domain::forecast`. Managers see their teams, reps
//! themselves, executives everything — the same visibility rule as the board.
use super::deal::stage_ref;
use super::deal_visibility;
use crate::domain::dashboard::{
    CodeBar, Dashboard, DealLink, Drill, DrillPage, DrillRow, FunnelBar, Money3, ProgressParts, ProgressView, RampCheckRow, RampRow,
    RepRow, TrendPoint,
};
use crate::domain::error::AppError;
use crate::domain::forecast as f;
use crate::ssr::context::RequestContext;
use crate::ssr::db_err;
use crate::ssr::entity::{account, deal, deal_history, forecast_cell, forecast_point, pipeline, quota, stage, team, user};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;

// The calendar is domain arithmetic now; callers keep this path.
pub use crate::domain::forecast::offset;

/// Won deals never in an open stage, or for fewer than this many days, are flagged.
pub const MIN_FUNNEL_DAYS: i64 = 14;

/// Everything the figures need, loaded once per request.
pub struct Book {
    pub deals: Vec<f::Deal>,
    pub stages: Vec<f::Stage>,
    pub stage_rows: Vec<stage::Model>,
    /// Empty when loaded without history (figures of the present only).
    pub events: Vec<f::HistoryEvent>,
}

fn category(s: Option<&str>) -> Option<f::ForecastCategory> {
    s.and_then(f::ForecastCategory::parse)
}

/// `category_changed` rows keep "old→new" in the note (codes, empty for none).
fn category_pair(note: Option<&str>) -> (Option<f::ForecastCategory>, Option<f::ForecastCategory>) {
    match note.and_then(|n| n.split_once('→')) {
        Some((a, b)) => (category(Some(a.trim())), category(Some(b.trim()))),
        None => (None, None),
    }
}

/// Whose deals count: executives all, managers their teams, a rep their own deals (a rep's
/// forecast is what they will bring, not their team's), presales the deals they work on.
fn scope_condition(ctx: &RequestContext) -> Condition {
    let vis = Condition::all().add(deal_visibility(&ctx.visibility));
    if ctx.role == crate::domain::role::Role::Rep {
        vis.add(deal::Column::OwnerId.eq(ctx.user_id))
    } else {
        vis
    }
}

/// Rows are read in keyset pages of this many: a driver row costs about a kilobyte before it
/// becomes a few dozen bytes here, and reading 4M history rows in one go took gigabytes.
const PAGE: u64 = 20_000;

/// The columns of a deal the figures read (no names, no free text).
#[derive(sea_orm::FromQueryResult)]
struct DealCols {
    id: i32,
    owner_id: i32,
    team_id: i32,
    pipeline_id: i32,
    stage_id: i32,
    amount_fen: i64,
    close_date: NaiveDate,
    forecast_category: Option<String>,
    manager_category: Option<String>,
    created_at: DateTime<Utc>,
    stage_entered_at: DateTime<Utc>,
}

/// The columns of a history row the replay reads.
#[derive(sea_orm::FromQueryResult)]
struct EventCols {
    id: i32,
    deal_id: i32,
    at: DateTime<Utc>,
    kind: String,
    from_stage_id: Option<i32>,
    to_stage_id: Option<i32>,
    old_amount_fen: Option<i64>,
    new_amount_fen: Option<i64>,
    old_close_date: Option<NaiveDate>,
    new_close_date: Option<NaiveDate>,
    note: Option<String>,
}

fn deal_cols() -> sea_orm::Select<deal::Entity> {
    use deal::Column as D;
    deal::Entity::find().select_only().columns([
        D::Id,
        D::OwnerId,
        D::TeamId,
        D::PipelineId,
        D::StageId,
        D::AmountFen,
        D::CloseDate,
        D::ForecastCategory,
        D::ManagerCategory,
        D::CreatedAt,
        D::StageEnteredAt,
    ])
}

fn deal_of(d: DealCols) -> f::Deal {
    f::Deal {
        id: d.id,
        owner_id: d.owner_id,
        team_id: d.team_id,
        pipeline_id: d.pipeline_id,
        stage_id: d.stage_id,
        amount_fen: d.amount_fen,
        close_date: d.close_date,
        owner_category: category(d.forecast_category.as_deref()),
        manager_category: category(d.manager_category.as_deref()),
        created_at: d.created_at,
        stage_entered_at: d.stage_entered_at,
    }
}

/// The fact events (see [`FACT_KINDS`]) with the columns the replay reads.
fn event_cols() -> sea_orm::Select<deal_history::Entity> {
    event_cols_of(&FACT_KINDS)
}

/// [`event_cols`] of some fact kinds only.
fn event_cols_of(kinds: &[&str]) -> sea_orm::Select<deal_history::Entity> {
    use deal_history::Column as H;
    deal_history::Entity::find()
        .select_only()
        .columns([
            H::Id,
            H::DealId,
            H::At,
            H::Kind,
            H::FromStageId,
            H::ToStageId,
            H::OldAmountFen,
            H::NewAmountFen,
            H::OldCloseDate,
            H::NewCloseDate,
            H::Note,
        ])
        .filter(H::Kind.is_in(kinds.iter().copied()))
}

fn event_of(h: EventCols) -> f::HistoryEvent {
    let (old_category, new_category) = category_pair(h.note.as_deref());
    f::HistoryEvent {
        id: i64::from(h.id),
        deal_id: h.deal_id,
        at: h.at,
        kind: f::EventKind::parse(&h.kind),
        from_stage_id: h.from_stage_id,
        to_stage_id: h.to_stage_id,
        old_amount_fen: h.old_amount_fen,
        new_amount_fen: h.new_amount_fen,
        old_close_date: h.old_close_date,
        new_close_date: h.new_close_date,
        old_category,
        new_category,
    }
}

/// History kinds that change what a deal counts for; attempts and comments do not.
const FACT_KINDS: [&str; 6] = ["created", "moved", "amount_changed", "close_date_changed", "category_changed", "category_adjusted"];

/// The kinds that make a deal's stage visits: all that conversion, days in stage, cycle and
/// "signed outside the funnel" read (revisions of amount and date are most of the history).
const VISIT_KINDS: [&str; 2] = ["created", "moved"];

/// A stage as the figures see it.
pub fn stage_fact(s: &stage::Model) -> f::Stage {
    f::Stage {
        id: s.id,
        pipeline_id: s.pipeline_id,
        position: s.position,
        win_rate_pct: s.win_rate_pct,
        kind: f::StageKind::parse(&s.kind).unwrap_or(f::StageKind::Open),
        stuck_days: s.stuck_days,
    }
}

/// A deal row as the figures see it.
pub fn deal_fact(d: &deal::Model) -> f::Deal {
    f::Deal {
        id: d.id,
        owner_id: d.owner_id,
        team_id: d.team_id,
        pipeline_id: d.pipeline_id,
        stage_id: d.stage_id,
        amount_fen: d.amount_fen,
        close_date: d.close_date,
        owner_category: category(d.forecast_category.as_deref()),
        manager_category: category(d.manager_category.as_deref()),
        created_at: d.created_at,
        stage_entered_at: d.stage_entered_at,
    }
}

/// The deals and the history the viewer may see, without history for figures of the present.
pub async fn load_with<C: ConnectionTrait>(db: &C, ctx: &RequestContext, history: bool) -> Result<Book, AppError> {
    load_paged(db, ctx, history.then_some(DateTime::<Utc>::MIN_UTC), PAGE).await
}

/// The book with only the history after `since`: enough for replays that start later (see
/// [`history_start`]), and far less to read than years of history.
pub async fn load_since<C: ConnectionTrait>(db: &C, ctx: &RequestContext, since: DateTime<Utc>) -> Result<Book, AppError> {
    load_paged(db, ctx, Some(since), PAGE).await
}

/// The earliest history a progress from `from` reads. Replaying from the deals as they are
/// now, history before an instant T0 is only needed for a deal's state before T0 and for
/// when it entered its stage; both matter only through "won since the period start", which
/// compares entry times with the period start. Any instant before both `from` and the
/// period start therefore gives the same figures (a test compares against full history).
pub fn history_start(from: DateTime<Utc>) -> DateTime<Utc> {
    let scope = f::Scope::quarter(f::local_date(from, offset()), offset());
    scope.period_start.min(from) - Duration::seconds(1)
}

/// [`load_with`] reading `page` rows at a time (tests prove the page size changes nothing),
/// with the history after `history` (none for `None`).
pub async fn load_paged<C: ConnectionTrait>(
    db: &C,
    ctx: &RequestContext,
    history: Option<DateTime<Utc>>,
    page_rows: u64,
) -> Result<Book, AppError> {
    load_book(db, ctx, history, page_rows, &FACT_KINDS).await
}

/// The book with the stage visits only (created and moved rows): enough for [`f::cycle_stats`]
/// and [`f::signed_outside_funnel`] (a test compares with the full book).
pub async fn load_visits<C: ConnectionTrait>(db: &C, ctx: &RequestContext) -> Result<Book, AppError> {
    load_book(db, ctx, Some(DateTime::<Utc>::MIN_UTC), PAGE, &VISIT_KINDS).await
}

async fn load_book<C: ConnectionTrait>(
    db: &C,
    ctx: &RequestContext,
    history: Option<DateTime<Utc>>,
    page_rows: u64,
    kinds: &[&str],
) -> Result<Book, AppError> {
    use deal::Column as D;
    let page_rows = page_rows.max(1);
    let vis = scope_condition(ctx);
    let mut deals = Vec::new();
    let mut last = i32::MIN;
    loop {
        let page: Vec<DealCols> = deal_cols()
            .filter(vis.clone())
            .filter(D::Id.gt(last))
            .order_by_asc(D::Id)
            .limit(page_rows)
            .into_model::<DealCols>()
            .all(db)
            .await
            .map_err(db_err)?;
        let Some(tail) = page.last() else { break };
        last = tail.id;
        let full = page.len() as u64 == page_rows;
        deals.extend(page.into_iter().map(deal_of));
        if !full {
            break;
        }
    }
    let stage_rows = stage::Entity::find()
        .order_by_asc(stage::Column::PipelineId)
        .order_by_asc(stage::Column::Position)
        .all(db)
        .await
        .map_err(db_err)?;
    let events = match history {
        Some(since) => load_events(db, ctx, page_rows, since, kinds).await?,
        None => Vec::new(),
    };
    let stages = stage_rows.iter().map(stage_fact).collect();
    Ok(Book { deals, stages, stage_rows, events })
}

/// The forecast cells of the deals the viewer's figures count (the same scope as
/// [`load_paged`]), won cells from `won_from_month` (`YYYYMM`) on. The team arm reads the
/// summary table; deals of other teams the viewer works on are few and summed here.
pub async fn load_cells<C: ConnectionTrait>(db: &C, ctx: &RequestContext, won_from_month: i32) -> Result<Vec<f::Cell>, AppError> {
    use forecast_cell::Column as K;
    let vis = &ctx.visibility;
    let rep = (ctx.role == crate::domain::role::Role::Rep).then_some(ctx.user_id);
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
        let ids = super::member_deal_ids(db, u).await?;
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

/// The deals and history the viewer may see.
pub async fn load<C: ConnectionTrait>(db: &C, ctx: &RequestContext) -> Result<Book, AppError> {
    load_with(db, ctx, true).await
}

async fn load_events<C: ConnectionTrait>(
    db: &C,
    ctx: &RequestContext,
    page_rows: u64,
    since: DateTime<Utc>,
    kinds: &[&str],
) -> Result<Vec<f::HistoryEvent>, AppError> {
    use deal_history::Column as H;
    // Everyone's history for a viewer who sees everything: a filter on visible ids would be
    // re-evaluated for every page. Others get the rows of their deals only.
    // (The replay ignores rows of deals it was not given.)
    let visible_ids = (!ctx.visibility.all || ctx.role == crate::domain::role::Role::Rep)
        .then(|| Query::select().column(deal::Column::Id).from(deal::Entity).cond_where(scope_condition(ctx)).to_owned());
    let mut out = Vec::new();
    let mut last = i32::MIN;
    loop {
        let mut q = event_cols_of(kinds).filter(H::Id.gt(last));
        if since > DateTime::<Utc>::MIN_UTC {
            q = q.filter(H::At.gt(since));
        }
        if let Some(ids) = &visible_ids {
            q = q.filter(H::DealId.in_subquery(ids.clone()));
        }
        let page: Vec<EventCols> = q.order_by_asc(H::Id).limit(page_rows).into_model::<EventCols>().all(db).await.map_err(db_err)?;
        let Some(tail) = page.last() else { break };
        last = tail.id;
        let full = page.len() as u64 == page_rows;
        out.extend(page.into_iter().map(event_of));
        if !full {
            break;
        }
    }
    Ok(out)
}

/// The full rows of the few deals a list shows, by id.
async fn deal_rows<C: ConnectionTrait>(db: &C, ids: &[i32]) -> Result<HashMap<i32, deal::Model>, AppError> {
    let mut out = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(5_000) {
        for d in deal::Entity::find().filter(deal::Column::Id.is_in(chunk.to_vec())).all(db).await.map_err(db_err)? {
            out.insert(d.id, d);
        }
    }
    Ok(out)
}

fn add(a: &f::Totals, b: &f::Totals) -> Money3 {
    Money3 { count: a.count + b.count, amount_fen: a.amount_fen + b.amount_fen, weighted_fen: a.weighted_fen + b.weighted_fen }
}

/// The 13 week ends of the trend, oldest first; the last is `now`.
pub fn trend_instants(now: DateTime<Utc>) -> Vec<DateTime<Utc>> {
    (0..13).rev().map(|w| week_start(now) + Duration::days(7) - Duration::days(7 * w)).map(|t| t.min(now)).collect()
}

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

/// A custom expression with `?` placeholders: sea-query numbers them `$1…` per expression on
/// PostgreSQL and leaves `?` elsewhere.
fn cust<I: IntoIterator<Item = sea_orm::sea_query::Value>>(backend: sea_orm::DbBackend, sql: &str, values: I) -> Expr {
    let sql = if backend == sea_orm::DbBackend::Postgres {
        let mut out = String::with_capacity(sql.len() + 16);
        let mut n = 0;
        for ch in sql.chars() {
            if ch == '?' {
                n += 1;
                out.push_str(&format!("${n}"));
            } else {
                out.push(ch);
            }
        }
        out
    } else {
        sql.to_owned()
    };
    Expr::cust_with_values(sql, values)
}

/// The value events after `a` in the viewer's scope, one row each: `grp` 1 if after `b`,
/// `deal_id`, `cls` (the contribution kind) and `dv`, what it changed in the value for `scope`.
/// With `only`, the events of those deals instead of the viewer's.
fn value_events(
    backend: sea_orm::DbBackend,
    ctx: &RequestContext,
    a: DateTime<Utc>,
    b: DateTime<Utc>,
    scope: f::Scope,
    only: Option<Vec<i32>>,
) -> sea_orm::sea_query::SelectStatement {
    use sea_orm::sea_query::{Alias, ExprTrait, Value};
    let mut values: Vec<Value> = Vec::new();
    for _ in 0..2 {
        if let Some(h) = scope.horizon_end {
            values.push(h.into());
        }
        values.push(scope.period_start.into());
    }
    let in_horizon = |c: &str| if scope.horizon_end.is_some() { format!("{c} <= ?") } else { "1 = 1".to_owned() };
    let won_since = |e: &str| format!("{e} >= ?");
    let dv = migrations::event_dv_sql(&in_horizon, &won_since);
    let mut inner = value_rows_after(backend, a);
    inner
        .expr_as(cust(backend, "CASE WHEN h.at > ? THEN 1 ELSE 0 END", [Value::from(b)]), Alias::new("grp"))
        .expr_as(Expr::cust("h.deal_id"), Alias::new("deal_id"))
        .expr_as(Expr::cust(migrations::EVENT_CLASS_SQL), Alias::new("cls"))
        .expr_as(cust(backend, &dv, values), Alias::new("dv"));
    if let Some(ids) = only {
        inner.and_where(Expr::col((Alias::new("h"), deal_history::Column::DealId)).is_in(ids));
        return inner;
    }
    viewers_history(&mut inner, ctx);
    inner
}

/// The value rows of `deal_history` after `after` as `h`, with their stage after (`sa`) and
/// before (`sb`): what [`migrations::event_dv_sql`] and its kin read.
fn value_rows_after(backend: sea_orm::DbBackend, after: DateTime<Utc>) -> sea_orm::sea_query::SelectStatement {
    use sea_orm::sea_query::{Alias, JoinType, Value};
    let mut q = Query::select();
    q.from_as(deal_history::Entity, Alias::new("h"))
        .join_as(JoinType::LeftJoin, stage::Entity, Alias::new("sa"), Expr::cust("sa.id = h.after_stage_id"))
        .join_as(
            JoinType::LeftJoin,
            stage::Entity,
            Alias::new("sb"),
            Expr::cust("sb.id = (CASE WHEN h.kind = 'moved' THEN h.from_stage_id ELSE h.after_stage_id END)"),
        )
        .and_where(cust(backend, "h.at > ?", [Value::from(after)]))
        .and_where(Expr::cust(format!("h.kind IN {}", migrations::HISTORY_VALUE_KINDS)));
    q
}

/// Keeps the rows of `h` (history) to the deals in the viewer's scope.
fn viewers_history(q: &mut sea_orm::sea_query::SelectStatement, ctx: &RequestContext) {
    use sea_orm::sea_query::{Alias, ExprTrait};
    if !ctx.visibility.all || ctx.role == crate::domain::role::Role::Rep {
        let ids = Query::select().column(deal::Column::Id).from(deal::Entity).cond_where(scope_condition(ctx)).to_owned();
        q.and_where(Expr::col((Alias::new("h"), deal_history::Column::DealId)).in_subquery(ids));
    }
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
        let [df, dw, dn, dwn] = migrations::event_split_sql(&in_horizon, &won_since);
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
    let split = if b_open { i32::MAX } else { super::totals::day_key(b_day) };
    let backend = db.get_database_backend();
    let vis = &ctx.visibility;
    let rep = (ctx.role == crate::domain::role::Role::Rep).then_some(ctx.user_id);
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
            .and_where(Expr::col(P::Day).gte(super::totals::day_key(a_day)));
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
                .and_where(Expr::col(T::Day).gte(super::totals::day_key(far)))
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
        let mut c = Condition::all().add(deal::Column::Id.is_in(super::member_deal_ids(db, u).await?));
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

/// The deals in the viewer's scope with fact history after `t`, and their fact events after
/// `since` (≤ t: replays need the history that says when a deal entered its stage).
async fn changed_since<C: ConnectionTrait>(
    db: &C,
    ctx: &RequestContext,
    t: DateTime<Utc>,
    since: DateTime<Utc>,
) -> Result<(Vec<f::Deal>, Vec<f::HistoryEvent>), AppError> {
    use deal_history::Column as H;
    // Deduplicated here: with DISTINCT, SQLite walks the whole deal_id index (4.1M entries,
    // 300 ms) instead of the few rows after `t`.
    let mut ids: Vec<i32> = deal_history::Entity::find()
        .select_only()
        .column(H::DealId)
        .filter(H::At.gt(t))
        .filter(H::Kind.is_in(FACT_KINDS))
        .into_tuple()
        .all(db)
        .await
        .map_err(db_err)?;
    ids.sort_unstable();
    ids.dedup();
    let (mut deals, mut events) = (Vec::new(), Vec::new());
    for chunk in ids.chunks(5_000) {
        let page: Vec<DealCols> = deal_cols()
            .filter(scope_condition(ctx))
            .filter(deal::Column::Id.is_in(chunk.to_vec()))
            .into_model::<DealCols>()
            .all(db)
            .await
            .map_err(db_err)?;
        let visible: Vec<i32> = page.iter().map(|d| d.id).collect();
        deals.extend(page.into_iter().map(deal_of));
        if visible.is_empty() {
            continue;
        }
        let evs: Vec<EventCols> = event_cols()
            .filter(H::DealId.is_in(visible))
            .filter(H::At.gt(since))
            .into_model::<EventCols>()
            .all(db)
            .await
            .map_err(db_err)?;
        events.extend(evs.into_iter().map(event_of));
    }
    Ok((deals, events))
}

/// Whose numbers a cached point is: viewers with the same visibility see the same figures.
fn scope_key(ctx: &RequestContext) -> String {
    let v = &ctx.visibility;
    let mut teams = v.team_ids.clone();
    teams.sort_unstable();
    let rep = if ctx.role == crate::domain::role::Role::Rep { format!("rep{}", ctx.user_id) } else { String::new() };
    format!("{rep}|{}|{teams:?}|{:?}", v.all, v.member_user_id)
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
async fn trend_points_with<C: ConnectionTrait>(
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

/// Drops every cached trend point (after a change the history does not record: a win rate,
/// who works on a deal).
pub async fn forget_points<C: ConnectionTrait>(db: &C) -> Result<(), AppError> {
    forecast_point::Entity::delete_many().exec(db).await.map_err(db_err)?;
    Ok(())
}

async fn quotas_in<C: ConnectionTrait>(db: &C, from: NaiveDate, to: NaiveDate) -> Result<Vec<f::Quota>, AppError> {
    Ok(quota::Entity::find()
        .filter(quota::Column::PeriodStart.lte(to))
        .filter(quota::Column::PeriodEnd.gte(from))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|q| f::Quota { owner_id: q.user_id, period_start: q.period_start, period_end: q.period_end, amount_fen: q.amount_fen })
        .collect())
}

/// Figures that need a year of history (conversion, days in stage, win rate, cycle) and the
/// won deals' whole history (signed outside the funnel): computed once per viewer scope and
/// local day, as of that first computation.
#[derive(Clone, Debug)]
pub struct HistoryFigures {
    pub day: NaiveDate,
    pub at: DateTime<Utc>,
    pub cycle: f::CycleStats,
    pub unfunneled: Vec<f::UnfunneledDeal>,
}

type HistoryCache = std::sync::Mutex<HashMap<String, std::sync::Arc<HistoryFigures>>>;
static HISTORY: std::sync::LazyLock<HistoryCache> = std::sync::LazyLock::new(Default::default);
/// Background figures run one at a time: each reads the whole book, and two at once doubled
/// the peak memory (2.4 GB at 1M deals) while each took as long as alone.
static BACKGROUND: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

static HISTORY_PENDING: std::sync::LazyLock<std::sync::Mutex<std::collections::HashSet<String>>> =
    std::sync::LazyLock::new(Default::default);

/// Books up to this many deals get their history figures computed inside the request (tens of
/// milliseconds); larger ones in the background, the page showing them once ready.
pub const INLINE_HISTORY_DEALS: u64 = 20_000;

fn cached_history(key: &str, today: NaiveDate) -> Option<std::sync::Arc<HistoryFigures>> {
    let cache = HISTORY.lock().ok()?;
    cache.get(key).filter(|h| h.day == today).cloned()
}

/// Computes (and caches) the history figures of the viewer's scope now.
pub async fn history_figures<C: ConnectionTrait>(db: &C, ctx: &RequestContext) -> Result<std::sync::Arc<HistoryFigures>, AppError> {
    let now = Utc::now();
    let book = load_visits(db, ctx).await?;
    let cycle = f::cycle_stats(&book.deals, &book.stages, &book.events, f::Window { from: now - Duration::days(365), to: now });
    let unfunneled = f::signed_outside_funnel(&book.deals, &book.stages, &book.events, MIN_FUNNEL_DAYS);
    let h = std::sync::Arc::new(HistoryFigures { day: f::local_date(now, offset()), at: now, cycle, unfunneled });
    if let Ok(mut cache) = HISTORY.lock() {
        cache.insert(scope_key(ctx), h.clone());
    }
    Ok(h)
}

/// Forgets the cached history figures (tests; a changed win rate does not affect them).
pub fn forget_history() {
    if let Ok(mut cache) = HISTORY.lock() {
        cache.clear();
    }
}

/// The history figures for today: cached, computed here for a small book, or started in the
/// background (None until ready) for a large one.
async fn history_for(
    db: &sea_orm::DatabaseConnection,
    ctx: &RequestContext,
    today: NaiveDate,
    deals_in_scope: u64,
    inline_limit: u64,
) -> Result<Option<std::sync::Arc<HistoryFigures>>, AppError> {
    let key = scope_key(ctx);
    if let Some(h) = cached_history(&key, today) {
        return Ok(Some(h));
    }
    if deals_in_scope <= inline_limit {
        return history_figures(db, ctx).await.map(Some);
    }
    let start = HISTORY_PENDING.lock().map(|mut p| p.insert(key.clone())).unwrap_or(false);
    if start {
        let (db, ctx) = (db.clone(), ctx.clone());
        tokio::spawn(async move {
            let _one = BACKGROUND.lock().await;
            if let Err(e) = history_figures(&db, &ctx).await {
                tracing::warn!("history figures for {key}: {e:?}");
            }
            if let Ok(mut p) = HISTORY_PENDING.lock() {
                p.remove(&key);
            }
        });
    }
    Ok(None)
}

pub async fn dashboard(
    db: &sea_orm::DatabaseConnection,
    ctx: &RequestContext,
    pipeline_id: Option<uuid::Uuid>,
) -> Result<Dashboard, AppError> {
    dashboard_with(db, ctx, pipeline_id, INLINE_HISTORY_DEALS).await
}

/// [`dashboard`] with the book size up to which history figures are computed in the request.
pub async fn dashboard_with(
    db: &sea_orm::DatabaseConnection,
    ctx: &RequestContext,
    pipeline_id: Option<uuid::Uuid>,
    inline_history_deals: u64,
) -> Result<Dashboard, AppError> {
    let now = Utc::now();
    let off = offset();
    let today = f::local_date(now, off);
    let (q_start, q_end) = (f::quarter_start(today), f::quarter_end(today));
    let year_ago = now - Duration::days(365);
    // Won deals count for the quarter, and for the average won deal over the last year
    // (from the first of the month a year ago: the cells know months).
    let year_ago_month = f::month_key(f::local_date(year_ago, off));
    let won_from_month = year_ago_month.min(f::month_key(q_start));
    let clock = std::time::Instant::now();
    let lap = |what: &str| tracing::debug!(target: "dealgate::dashboard", "{what} at {} ms", clock.elapsed().as_millis());
    let stage_rows = stage::Entity::find()
        .order_by_asc(stage::Column::PipelineId)
        .order_by_asc(stage::Column::Position)
        .all(db)
        .await
        .map_err(db_err)?;
    let stages: Vec<f::Stage> = stage_rows.iter().map(stage_fact).collect();
    let pipelines = pipeline::Entity::find().order_by_asc(pipeline::Column::Position).all(db).await.map_err(db_err)?;
    let p = match pipeline_id {
        Some(u) => pipelines.iter().find(|p| p.uuid == u),
        None => pipelines.iter().find(|p| p.is_default).or(pipelines.first()),
    }
    .ok_or(AppError::NotFound)?;
    let visible_users = visible_users(db, ctx).await?;
    // The three largest reads do not depend on each other: as tasks they run on both cores
    // (decoding rows is most of their cost, so polling them in one task would not overlap).
    let ramp = {
        let (db, ctx, stages, users) = (db.clone(), ctx.clone(), stages.clone(), visible_users.clone());
        tokio::spawn(async move { ramp_rows(&db, &ctx, &stages, &users, today).await })
    };
    let stuck = {
        let (db, ctx, stage_rows, pipeline_id) = (db.clone(), ctx.clone(), stage_rows.clone(), p.id);
        tokio::spawn(async move { stuck_counts(&db, &ctx, &stage_rows, pipeline_id, now).await })
    };
    let cells = load_cells(db, ctx, won_from_month).await?;
    let (stuck, ramp) = (joined(stuck.await)?, joined(ramp.await)?);
    lap("cells, stuck counts, ramp");
    let deals_in_scope = cells.iter().map(|c| u64::try_from(c.count).unwrap_or(0)).sum::<u64>();
    let history = history_for(db, ctx, today, deals_in_scope, inline_history_deals).await?;
    lap("history figures");
    let facts = f::cell_facts(&cells, &stages, today, f::month_key(q_start));
    let forecast_fen: i64 = facts.iter().filter(|x| x.kind == f::StageKind::Open && x.close_date <= q_end).map(|x| x.weighted_fen).sum();
    let won_fen: i64 = facts.iter().filter(|x| x.kind == f::StageKind::Won).map(|x| x.amount_fen).sum();

    // Funnel of the chosen pipeline with conversion, days, stuck and the ideal counts.
    let cycle = history.as_ref().map(|h| &h.cycle);
    let quotas: Vec<f::Quota> =
        quotas_in(db, q_start, q_end).await?.into_iter().filter(|q| visible_users.iter().any(|u| u.id == q.owner_id)).collect();
    let quota_fen: i64 = quotas.iter().map(|q| q.amount_fen).sum();
    let (won_n, won_sum) = f::cell_facts(&cells, &stages, today, year_ago_month)
        .iter()
        .filter(|x| x.kind == f::StageKind::Won)
        .fold((0u64, 0i64), |(n, a), x| (n + x.count, a.saturating_add(x.amount_fen)));
    let avg_won_fen = if won_n == 0 { 0 } else { won_sum / won_n as i64 };
    let targets: Vec<f::ConversionTarget> = stage_rows
        .iter()
        .filter(|s| s.pipeline_id == p.id)
        .filter_map(|s| s.target_conversion_pct.map(|pct| f::ConversionTarget { from_stage_id: s.id, pct }))
        .collect();
    let remaining = (quota_fen - won_fen).max(0);
    let ideal = f::ideal_funnel(p.id, &stages, &targets, remaining, avg_won_fen, &facts);
    let mut funnel = Vec::new();
    for s in stage_rows.iter().filter(|s| s.pipeline_id == p.id && s.kind == "open") {
        let open: Vec<&f::DealFact> = facts.iter().filter(|x| x.stage_id == s.id).collect();
        let st = cycle.and_then(|c| c.stages.iter().find(|c| c.stage_id == s.id));
        funnel.push(FunnelBar {
            stage: stage_ref(s),
            totals: Money3 {
                count: open.iter().map(|x| x.count).sum(),
                amount_fen: open.iter().map(|x| x.amount_fen).sum(),
                weighted_fen: open.iter().map(|x| x.weighted_fen).sum(),
            },
            ideal: ideal.stages.iter().find(|r| r.stage_id == s.id).and_then(|r| r.ideal),
            target_conversion_pct: s.target_conversion_pct,
            conversion_pct: st.and_then(|c| c.conversion_pct),
            avg_days: st.and_then(|c| c.avg_days),
            stuck: stuck.get(&s.id).copied().unwrap_or(0),
        });
    }
    let buckets = f::group(&facts, f::GroupBy::Bucket)
        .into_iter()
        .filter_map(|r| match r.key {
            f::GroupKey::Bucket(b) => Some(CodeBar { code: bucket_code(b).to_owned(), totals: add(&r.open, &r.won) }),
            _ => None,
        })
        .collect();
    let categories = f::group(&facts, f::GroupBy::Category)
        .into_iter()
        .filter_map(|r| match r.key {
            f::GroupKey::Category(c) => Some(CodeBar { code: c.as_str().to_owned(), totals: add(&r.open, &r.won) }),
            _ => None,
        })
        .collect();

    // 13 week ends, oldest first; each point is its quarter's forecast and won as they stood.
    let points = trend_instants(now);
    // A large book's first trend replays weeks of history: that runs in the background too.
    let inline_trend = deals_in_scope <= inline_history_deals;
    let trend_raw = trend_points_with(db, ctx, &points, now, &cells, &stages, inline_trend).await?;
    lap("trend");
    let trend_complete = trend_raw.len() == points.len();
    if !trend_complete {
        let key = format!("trend|{}", scope_key(ctx));
        if HISTORY_PENDING.lock().map(|mut p| p.insert(key.clone())).unwrap_or(false) {
            let (db, ctx, points, stages) = (db.clone(), ctx.clone(), points.clone(), stages.clone());
            tokio::spawn(async move {
                let _one = BACKGROUND.lock().await;
                // Cells as they are when the job starts: the replay reads history up to then.
                let done = match load_cells(&db, &ctx, won_from_month).await {
                    Ok(cells) => trend_points(&db, &ctx, &points, now, &cells, &stages).await,
                    Err(e) => Err(e),
                };
                if let Err(e) = done {
                    tracing::warn!("trend points for {key}: {e:?}");
                }
                if let Ok(mut p) = HISTORY_PENDING.lock() {
                    p.remove(&key);
                }
            });
        }
    }
    let trend = trend_raw
        .into_iter()
        .map(|t| TrendPoint { week_end: f::local_date(t.at, off), forecast_fen: t.forecast_fen, won_fen: t.won_fen })
        .collect();

    // The dashboard's cells hold won cells from a year back, so they serve the week's quarter.
    let progress = progress_fast(db, ctx, week_start(now), now, now, &cells, &stages).await?;
    lap("progress");
    let teams: HashMap<i32, String> = team::Entity::find().all(db).await.map_err(db_err)?.into_iter().map(|t| (t.id, t.name)).collect();
    let mut reps = Vec::new();
    for u in visible_users.iter().filter(|u| matches!(u.role.as_str(), "rep" | "manager")) {
        let mine: Vec<&f::DealFact> = facts.iter().filter(|x| x.owner_id == u.id).collect();
        let quota_fen: i64 = quotas.iter().filter(|q| q.owner_id == u.id).map(|q| q.amount_fen).sum();
        let won: i64 = mine.iter().filter(|x| x.kind == f::StageKind::Won).map(|x| x.amount_fen).sum();
        let open_q: i64 = mine.iter().filter(|x| x.kind == f::StageKind::Open && x.close_date <= q_end).map(|x| x.weighted_fen).sum();
        let remaining = quota_fen - won;
        if mine.is_empty() && quota_fen == 0 {
            continue;
        }
        reps.push(RepRow {
            id: u.uuid,
            name: u.name.clone(),
            team: u.team_id.and_then(|t| teams.get(&t).cloned()).unwrap_or_default(),
            quota_fen,
            won_fen: won,
            open_weighted_fen: open_q,
            pipeline_fen: mine.iter().filter(|x| x.kind == f::StageKind::Open).map(|x| x.weighted_fen).sum(),
            attainment_pct: (quota_fen > 0).then(|| won as f64 * 100.0 / quota_fen as f64),
            coverage: (quota_fen > 0 && remaining > 0).then(|| open_q as f64 / remaining as f64),
            quota_met: quota_fen > 0 && remaining <= 0,
            under_covered: quota_fen > 0 && remaining > 0 && open_q < remaining,
            open_deals: mine.iter().filter(|x| x.kind == f::StageKind::Open).map(|x| x.count).sum(),
        });
    }
    let names: HashMap<i32, String> = visible_users.iter().map(|u| (u.id, u.name.clone())).collect();
    let mut unfunneled = history.as_ref().map(|h| h.unfunneled.clone()).unwrap_or_default();
    let unfunneled_total = unfunneled.len() as u64;
    unfunneled.sort_by_key(|u| (std::cmp::Reverse(u.won_at), u.deal_id));
    unfunneled.truncate(UNFUNNELED_SHOWN);
    lap("reps");
    let unfunneled_rows = deal_rows(db, &unfunneled.iter().map(|u| u.deal_id).collect::<Vec<_>>()).await?;
    lap("unfunneled");
    let unfunneled = unfunneled
        .into_iter()
        .filter_map(|u| {
            let d = unfunneled_rows.get(&u.deal_id)?;
            Some(DealLink {
                id: d.uuid,
                name: d.name.clone(),
                owner: names.get(&u.owner_id).cloned().unwrap_or_default(),
                amount_fen: d.amount_fen,
                note: format!("{}", u.days_in_funnel),
            })
        })
        .collect();
    let remaining_all = quota_fen - won_fen;
    Ok(Dashboard {
        today,
        quarter_start: q_start,
        quarter_end: q_end,
        scope: if ctx.visibility.all {
            "all"
        } else if ctx.role == crate::domain::role::Role::Manager {
            "teams"
        } else {
            "own"
        }
        .into(),
        pipeline: super::board::pipeline_ref(p),
        pipelines: pipelines.iter().map(super::board::pipeline_ref).collect(),
        forecast_fen,
        won_fen,
        quota_fen,
        coverage: (quota_fen > 0 && remaining_all > 0).then(|| forecast_fen as f64 / remaining_all as f64),
        progress,
        funnel,
        ideal_target_fen: remaining,
        avg_won_fen,
        buckets,
        categories,
        trend,
        reps,
        win_rate_pct: cycle.and_then(|c| c.win_rate_pct),
        avg_cycle_days: cycle.and_then(|c| c.avg_cycle_days),
        history_at: history.as_ref().map(|h| h.at),
        trend_complete,
        unfunneled,
        unfunneled_total,
        ramp,
    })
}

/// A spawned read's answer; a task that panicked is an internal error.
fn joined<T>(r: Result<Result<T, AppError>, tokio::task::JoinError>) -> Result<T, AppError> {
    r.map_err(|_| AppError::Internal).and_then(|r| r)
}

/// Open deals in their stage longer than its limit, per stage of the pipeline, counted by the
/// database (`domain::forecast::stuck_deals` is the rule: whole days in stage > the limit).
async fn stuck_counts<C: ConnectionTrait>(
    db: &C,
    ctx: &RequestContext,
    stages: &[stage::Model],
    pipeline_id: i32,
    now: DateTime<Utc>,
) -> Result<HashMap<i32, u64>, AppError> {
    let vis = &ctx.visibility;
    let rep = (ctx.role == crate::domain::role::Role::Rep).then_some(ctx.user_id);
    // The viewer's deals as two arms, like the cells: their teams (on the index of team, stage
    // and entry), and the deals of other teams they work on (few, by id).
    let mut arms = Vec::new();
    if vis.all || !vis.team_ids.is_empty() {
        let mut c = Condition::all();
        if !vis.all {
            c = c.add(deal::Column::TeamId.is_in(vis.team_ids.clone()));
        }
        arms.push(c);
    }
    if let (false, Some(u)) = (vis.all, vis.member_user_id) {
        let mut c = Condition::all().add(deal::Column::Id.is_in(super::member_deal_ids(db, u).await?));
        if !vis.team_ids.is_empty() {
            c = c.add(deal::Column::TeamId.is_not_in(vis.team_ids.clone()));
        }
        arms.push(c);
    }
    let mut out = HashMap::new();
    for s in stages.iter().filter(|s| s.pipeline_id == pipeline_id && s.kind == "open" && s.stuck_days > 0) {
        // floor(days in stage) > limit  ⇔  entered at or before now − (limit + 1) days.
        let before = now - Duration::days(i64::from(s.stuck_days) + 1);
        let mut total = 0u64;
        for arm in &arms {
            let mut q = deal::Entity::find()
                .select_only()
                .column_as(Expr::cust("CAST(COUNT(*) AS BIGINT)"), "n")
                .filter(arm.clone())
                .filter(deal::Column::StageId.eq(s.id))
                .filter(deal::Column::StageEnteredAt.lte(before));
            if let Some(u) = rep {
                q = q.filter(deal::Column::OwnerId.eq(u));
            }
            let n: i64 = q.into_tuple().one(db).await.map_err(db_err)?.unwrap_or(0);
            total += u64::try_from(n).unwrap_or(0);
        }
        out.insert(s.id, total);
    }
    Ok(out)
}

/// People whose numbers the viewer may see: everyone, their teams, or themselves.
async fn visible_users<C: ConnectionTrait>(db: &C, ctx: &RequestContext) -> Result<Vec<user::Model>, AppError> {
    let mut q = user::Entity::find().filter(user::Column::Active.eq(true));
    if !ctx.visibility.all {
        let mut c = Condition::any().add(user::Column::Id.eq(ctx.user_id));
        if ctx.role == crate::domain::role::Role::Manager && !ctx.visibility.team_ids.is_empty() {
            c = c.add(user::Column::TeamId.is_in(ctx.visibility.team_ids.clone()));
        }
        q = q.filter(c);
    }
    q.order_by_asc(user::Column::Name).all(db).await.map_err(db_err)
}

fn phase_code(p: f::RampPhase) -> &'static str {
    match p {
        f::RampPhase::Training => "training",
        f::RampPhase::M0to3 => "m0_3",
        f::RampPhase::M3to6 => "m3_6",
        f::RampPhase::M6to9 => "m6_9",
        f::RampPhase::M9to12 => "m9_12",
    }
}

fn metric_code(m: f::RampMetric) -> String {
    match m {
        f::RampMetric::AccountsResearched => "accounts_researched".into(),
        f::RampMetric::OpportunitiesFound => "opportunities_found".into(),
        f::RampMetric::Reached(pos) => format!("reached_{pos}"),
        f::RampMetric::Wins => "wins".into(),
        f::RampMetric::LargestWinFen => "largest_win".into(),
        f::RampMetric::PipelinePct => "pipeline_pct".into(),
        f::RampMetric::PhaseQuotaPct => "phase_quota_pct".into(),
        f::RampMetric::YearQuotaPct => "year_quota_pct".into(),
    }
}

/// Reps in their first year against the success roadmap (seed 001).
async fn ramp_rows<C: ConnectionTrait>(
    db: &C,
    ctx: &RequestContext,
    stages: &[f::Stage],
    users: &[user::Model],
    today: NaiveDate,
) -> Result<Vec<RampRow>, AppError> {
    let mut out = Vec::new();
    for u in users.iter().filter(|u| u.role == "rep") {
        let Some(started) = u.started_on else { continue };
        if today - started > Duration::days(366) {
            continue;
        }
        // A first-year rep's own deals (in the viewer's scope) are all the roadmap reads.
        let deals: Vec<f::Deal> = deal_cols()
            .filter(scope_condition(ctx))
            .filter(deal::Column::OwnerId.eq(u.id))
            .into_model::<DealCols>()
            .all(db)
            .await
            .map_err(db_err)?
            .into_iter()
            .map(deal_of)
            .collect();
        let year: Vec<f::Quota> =
            quotas_in(db, started, started + Duration::days(365)).await?.into_iter().filter(|q| q.owner_id == u.id).collect();
        let year_quota_fen: i64 = year.iter().map(|q| q.amount_fen).sum();
        let accounts = account::Entity::find()
            .filter(account::Column::OwnerId.eq(u.id))
            .select_only()
            .column_as(Expr::cust("CAST(COUNT(*) AS BIGINT)"), "n")
            .into_tuple::<i64>()
            .one(db)
            .await
            .map_err(db_err)?
            .unwrap_or(0);
        let input = f::RampInput {
            owner_id: u.id,
            joined_on: started,
            started_on: started,
            today,
            accounts_researched: u32::try_from(accounts).unwrap_or(u32::MAX),
            phase_quota_fen: year_quota_fen / 4,
            year_quota_fen,
        };
        let r = f::ramp_report(&input, &deals, stages, offset());
        out.push(RampRow {
            rep: u.name.clone(),
            phase: phase_code(r.phase).into(),
            checks: r
                .checks
                .iter()
                .map(|c| RampCheckRow { metric: metric_code(c.metric), target: c.target, actual: c.actual, met: c.met })
                .collect(),
        });
    }
    Ok(out)
}

/// The deals behind one figure of the dashboard, all of them (CSV export, tests).
pub async fn drill<C: ConnectionTrait>(db: &C, ctx: &RequestContext, what: &Drill) -> Result<Vec<DrillRow>, AppError> {
    Ok(drill_page(db, ctx, what, usize::MAX).await?.rows)
}

/// Signed-outside-the-funnel deals the dashboard lists (the latest wins); a generated book of
/// 1M deals has thousands, and reading and rendering them all took 150-200 ms.
pub const UNFUNNELED_SHOWN: usize = 10;

/// Rows a drill-down page shows at most (the totals count them all; the CSV has them all).
pub const DRILL_ROWS: usize = 1_000;

/// The deals behind one figure, by close date: totals over all, full rows for the first `limit`.
/// Reads only the deals the figure can contain: one stage, one owner, one close-date range,
/// the deals that changed this week, the signed-outside-funnel list.
pub async fn drill_page<C: ConnectionTrait>(db: &C, ctx: &RequestContext, what: &Drill, limit: usize) -> Result<DrillPage, AppError> {
    let now = Utc::now();
    let today = f::local_date(now, offset());
    let scope = f::Scope::quarter(today, offset());
    let stage_rows = stage::Entity::find().all(db).await.map_err(db_err)?;
    let stage_facts: Vec<f::Stage> = stage_rows.iter().map(stage_fact).collect();
    let of_kind = |k: &str| stage_rows.iter().filter(|s| s.kind == k).map(|s| s.id).collect::<Vec<_>>();
    let mut deltas: HashMap<i32, i64> = HashMap::new();
    // A category can hold most of the book: its totals are summed by the database and only
    // the rows shown are read (all open deals took 12 s for "pipeline" at 1M).
    let mut sums = None;
    let deals: Vec<f::Deal> = match what {
        Drill::Stage(u) => {
            let sid = stage_rows.iter().find(|s| s.uuid == *u).map_or(-1, |s| s.id);
            load_deals_where(db, ctx, Condition::all().add(deal::Column::StageId.eq(sid))).await?
        }
        Drill::Owner(u) => {
            let id = user::Entity::find().filter(user::Column::Uuid.eq(*u)).one(db).await.map_err(db_err)?.map_or(-1, |u| u.id);
            load_deals_where(db, ctx, Condition::all().add(deal::Column::OwnerId.eq(id))).await?
        }
        Drill::Bucket(b) if b == "won" => {
            load_deals_where(db, ctx, Condition::all().add(deal::Column::StageId.is_in(of_kind("won")))).await?
        }
        Drill::Bucket(b) => {
            let (lo, hi) = crate::domain::dto::bucket_bounds(b, today).ok_or(AppError::NotFound)?;
            let mut c = Condition::all().add(deal::Column::StageId.is_in(of_kind("open")));
            if let Some(lo) = lo {
                c = c.add(deal::Column::CloseDate.gt(lo));
            }
            if let Some(hi) = hi {
                c = c.add(deal::Column::CloseDate.lte(hi));
            }
            load_deals_where(db, ctx, c).await?
        }
        Drill::Category(c) => {
            let cond = category_condition(&stage_rows, f::ForecastCategory::parse(c), today, scope.period_start);
            sums = Some(deal_sums(db, ctx, &stage_rows, cond.clone()).await?);
            first_deals_where(db, ctx, cond, limit).await?
        }
        Drill::Progress(kind) => {
            deltas = progress_items_summed(db, ctx, week_start(now), now, kind).await?;
            load_deals_by_id(db, ctx, &deltas.keys().copied().collect::<Vec<_>>()).await?
        }
        Drill::Unfunneled => {
            let h = match cached_history(&scope_key(ctx), today) {
                Some(h) => h,
                None => history_figures(db, ctx).await?,
            };
            load_deals_by_id(db, ctx, &h.unfunneled.iter().map(|u| u.deal_id).collect::<Vec<_>>()).await?
        }
    };
    let facts = f::deal_facts(&deals, &stage_facts, today, scope.period_start);
    let fact_of: HashMap<i32, &f::DealFact> = facts.iter().map(|x| (x.deal_id, x)).collect();
    let mut picked: Vec<&f::Deal> = match what {
        Drill::Bucket(b) => deals.iter().filter(|d| fact_of.get(&d.id).is_some_and(|x| bucket_code(x.bucket) == b)).collect(),
        Drill::Category(c) => deals.iter().filter(|d| fact_of.get(&d.id).is_some_and(|x| x.category.effective.as_str() == c)).collect(),
        Drill::Stage(_) | Drill::Owner(_) => deals.iter().filter(|d| fact_of.contains_key(&d.id)).collect(),
        Drill::Progress(_) | Drill::Unfunneled => deals.iter().collect(),
    };
    picked.sort_by_key(|d| (d.close_date, d.id));
    let rate = |d: &f::Deal| stage_facts.iter().find(|s| s.id == d.stage_id).map_or(0, |s| s.win_rate_pct);
    let weighted =
        |d: &f::Deal| fact_of.get(&d.id).map_or_else(|| crate::domain::dto::weighted_fen(d.amount_fen, rate(d)), |x| x.weighted_fen);
    let (total, amount_fen, weighted_fen) =
        sums.unwrap_or_else(|| (picked.len() as u64, picked.iter().map(|d| d.amount_fen).sum(), picked.iter().map(|d| weighted(d)).sum()));
    picked.truncate(limit);
    let ids: Vec<i32> = picked.iter().map(|d| d.id).collect();
    let rows = deal_rows(db, &ids).await?;
    let accounts = super::account_names(db, rows.values().map(|d| d.account_id).collect()).await?;
    let owners = super::user_names(db, rows.values().map(|d| d.owner_id).collect()).await?;
    let stages: HashMap<i32, &stage::Model> = stage_rows.iter().map(|s| (s.id, s)).collect();
    let rows = picked
        .into_iter()
        .filter_map(|fd| {
            let d = rows.get(&fd.id)?;
            let s = stages.get(&d.stage_id)?;
            Some(DrillRow {
                id: d.uuid,
                name: d.name.clone(),
                account: accounts.get(&d.account_id).cloned().unwrap_or_default(),
                owner: owners.get(&d.owner_id).cloned().unwrap_or_default(),
                stage: stage_ref(s),
                amount_fen: d.amount_fen,
                weighted_fen: weighted(fd),
                close_date: d.close_date,
                category: fact_of.get(&fd.id).map(|x| x.category.effective.as_str().to_owned()).unwrap_or_default(),
                delta_fen: deltas.get(&fd.id).copied(),
            })
        })
        .collect();
    Ok(DrillPage { rows, total, amount_fen, weighted_fen })
}

/// The deals whose effective category is `cat` today, as SQL: a manager's choice, else the
/// owner's, else the default of the stage's win rate and the close date
/// ([`f::default_category`], [`f::category_view`]); won: won since `won_since`. A test proves
/// it equal to the domain's facts.
fn category_condition(
    stage_rows: &[stage::Model],
    cat: Option<f::ForecastCategory>,
    today: NaiveDate,
    won_since: DateTime<Utc>,
) -> Condition {
    use f::ForecastCategory as C;
    let ids = |keep: &dyn Fn(&stage::Model) -> bool| stage_rows.iter().filter(|s| keep(s)).map(|s| s.id).collect::<Vec<_>>();
    let open = |s: &stage::Model| s.kind == "open";
    let (this_end, next_end) = (f::quarter_end(today), f::quarter_end(f::add_months(f::quarter_start(today), 3)));
    let rated = |keep: &dyn Fn(i32) -> bool| deal::Column::StageId.is_in(ids(&|s| open(s) && keep(s.win_rate_pct)));
    let commit = Condition::all().add(rated(&|r| r >= f::COMMIT_MIN_PCT)).add(deal::Column::CloseDate.lte(this_end));
    let best =
        Condition::all().add(rated(&|r| (f::HOPEFUL_MIN_PCT..f::COMMIT_MIN_PCT).contains(&r))).add(deal::Column::CloseDate.lte(this_end));
    let next = Condition::all()
        .add(rated(&|r| r >= f::HOPEFUL_MIN_PCT))
        .add(deal::Column::CloseDate.gt(this_end))
        .add(deal::Column::CloseDate.lte(next_end));
    let by_default = match cat {
        // Won this quarter, as the figures count them ([`f::deal_facts`]).
        Some(C::Won) => {
            return Condition::all()
                .add(deal::Column::StageId.is_in(ids(&|s| s.kind == "won")))
                .add(deal::Column::StageEnteredAt.gte(won_since))
        }
        Some(C::Lost) => return Condition::all().add(deal::Column::StageId.is_in(ids(&|s| s.kind == "lost"))),
        None => return Condition::all().add(Expr::cust("1 = 0")),
        Some(C::Commit) => commit,
        Some(C::BestCase) => best,
        Some(C::NextQuarter) => next,
        Some(C::Pipeline) => Condition::any().add(commit).add(best).add(next).not(),
    };
    let code = cat.map_or("", |c| c.as_str());
    let choice = |col: &str| format!("COALESCE({col}, '') IN ('commit', 'best_case', 'next_quarter', 'pipeline')");
    let (mgr, own) = (choice("manager_category"), choice("forecast_category"));
    Condition::all().add(deal::Column::StageId.is_in(ids(&open))).add(
        Condition::any()
            .add(Condition::all().add(Expr::cust(mgr.clone())).add(deal::Column::ManagerCategory.eq(code)))
            .add(
                Condition::all()
                    .add(Expr::cust(format!("NOT ({mgr})")))
                    .add(Expr::cust(own.clone()))
                    .add(deal::Column::ForecastCategory.eq(code)),
            )
            .add(Condition::all().add(Expr::cust(format!("NOT ({mgr})"))).add(Expr::cust(format!("NOT ({own})"))).add(by_default)),
    )
}

/// Count, amount and weighted (open: amount × the stage's rate, rounded per deal; won: the
/// amount) of the viewer's deals matching `extra`, summed by the database.
async fn deal_sums<C: ConnectionTrait>(
    db: &C,
    ctx: &RequestContext,
    stage_rows: &[stage::Model],
    extra: Condition,
) -> Result<(u64, i64, i64), AppError> {
    let mut weighted = String::from("CASE stage_id");
    for s in stage_rows.iter().filter(|s| s.kind == "open") {
        let r = s.win_rate_pct;
        weighted.push_str(&format!(
            " WHEN {id} THEN (CASE WHEN amount_fen * {r} >= 0 THEN (amount_fen * {r} + 50) / 100 ELSE (amount_fen * {r} - 50) / 100 END)",
            id = s.id
        ));
    }
    weighted.push_str(" ELSE amount_fen END");
    let (n, amount, weighted): (i64, i64, i64) = deal::Entity::find()
        .select_only()
        .column_as(Expr::cust("CAST(COUNT(*) AS BIGINT)"), "n")
        .column_as(Expr::cust("CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT)"), "amount")
        .column_as(Expr::cust(format!("CAST(COALESCE(SUM({weighted}), 0) AS BIGINT)")), "weighted")
        .filter(scope_condition(ctx))
        .filter(extra)
        .into_tuple()
        .one(db)
        .await
        .map_err(db_err)?
        .unwrap_or((0, 0, 0));
    Ok((u64::try_from(n).unwrap_or(0), amount, weighted))
}

/// The first `limit` of the viewer's deals matching `extra` by (close date, id).
async fn first_deals_where<C: ConnectionTrait>(
    db: &C,
    ctx: &RequestContext,
    extra: Condition,
    limit: usize,
) -> Result<Vec<f::Deal>, AppError> {
    Ok(deal_cols()
        .filter(scope_condition(ctx))
        .filter(extra)
        .order_by_asc(deal::Column::CloseDate)
        .order_by_asc(deal::Column::Id)
        .limit(u64::try_from(limit).unwrap_or(u64::MAX).min(i64::MAX as u64))
        .into_model::<DealCols>()
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(deal_of)
        .collect())
}

/// The deals in the viewer's scope matching `extra`, in keyset pages (see [`PAGE`]).
async fn load_deals_where<C: ConnectionTrait>(db: &C, ctx: &RequestContext, extra: Condition) -> Result<Vec<f::Deal>, AppError> {
    let mut deals = Vec::new();
    let mut last = i32::MIN;
    loop {
        let page: Vec<DealCols> = deal_cols()
            .filter(scope_condition(ctx))
            .filter(extra.clone())
            .filter(deal::Column::Id.gt(last))
            .order_by_asc(deal::Column::Id)
            .limit(PAGE)
            .into_model::<DealCols>()
            .all(db)
            .await
            .map_err(db_err)?;
        let Some(tail) = page.last() else { break };
        last = tail.id;
        let full = page.len() as u64 == PAGE;
        deals.extend(page.into_iter().map(deal_of));
        if !full {
            break;
        }
    }
    Ok(deals)
}

/// The deals with these ids that the viewer's figures count.
async fn load_deals_by_id<C: ConnectionTrait>(db: &C, ctx: &RequestContext, ids: &[i32]) -> Result<Vec<f::Deal>, AppError> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(5_000) {
        out.extend(load_deals_where(db, ctx, Condition::all().add(deal::Column::Id.is_in(chunk.to_vec()))).await?);
    }
    Ok(out)
}

pub fn contribution_code(k: f::ContributionKind) -> &'static str {
    match k {
        f::ContributionKind::New => "new",
        f::ContributionKind::MovedUp => "moved_up",
        f::ContributionKind::MovedDown => "moved_down",
        f::ContributionKind::Won => "won",
        f::ContributionKind::Lost => "lost",
        f::ContributionKind::AmountChanged => "amount_changed",
        f::ContributionKind::Slipped => "slipped",
        f::ContributionKind::PulledIn => "pulled_in",
        f::ContributionKind::Other => "other",
    }
}

/// One row of the forecast grouped for the API.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupRow {
    pub key: String,
    pub label: String,
    pub open_count: u64,
    pub open_amount_fen: i64,
    pub weighted_fen: i64,
    pub won_count: u64,
    pub won_amount_fen: i64,
}

pub fn parse_group(by: &str) -> Option<f::GroupBy> {
    Some(match by {
        "owner" => f::GroupBy::Owner,
        "team" => f::GroupBy::Team,
        "pipeline" => f::GroupBy::Pipeline,
        "bucket" => f::GroupBy::Bucket,
        "category" => f::GroupBy::Category,
        "month" => f::GroupBy::Month,
        "quarter" => f::GroupBy::Quarter,
        "year" => f::GroupBy::Year,
        _ => return None,
    })
}

/// `2026`, `2026-Q4` or `2026-11` as a period.
pub fn parse_period(s: &str) -> Option<f::Period> {
    let s = s.trim();
    if let Some((y, q)) = s.split_once("-Q").or_else(|| s.split_once("-q")) {
        let quarter: u32 = q.parse().ok().filter(|q| (1..=4).contains(q))?;
        return Some(f::Period::Quarter { year: y.parse().ok()?, quarter });
    }
    if let Some((y, m)) = s.split_once('-') {
        let month: u32 = m.parse().ok().filter(|m| (1..=12).contains(m))?;
        return Some(f::Period::Month { year: y.parse().ok()?, month });
    }
    s.parse().ok().filter(|y| (1900..=9999).contains(y)).map(|year| f::Period::Year { year })
}

fn period_code(p: f::Period) -> String {
    match p {
        f::Period::Year { year } => format!("{year}"),
        f::Period::Quarter { year, quarter } => format!("{year}-Q{quarter}"),
        f::Period::Month { year, month } => format!("{year}-{month:02}"),
    }
}

pub async fn grouped<C: ConnectionTrait>(db: &C, ctx: &RequestContext, by: &str, period: Option<&str>) -> Result<Vec<GroupRow>, AppError> {
    let g = parse_group(by)
        .ok_or_else(|| AppError::validation("group_by", "use owner, team, pipeline, bucket, category, month, quarter or year"))?;
    let window = match period {
        Some(p) => {
            let p = parse_period(p).ok_or_else(|| AppError::validation("period", "use 2026, 2026-Q4 or 2026-11"))?;
            Some((p.first_day().ok_or(AppError::Internal)?, p.last_day().ok_or(AppError::Internal)?))
        }
        None => None,
    };
    let now = Utc::now();
    let today = f::local_date(now, offset());
    // Won deals count since the start of the period asked for, else of this quarter (periods
    // start on the first of a month, so the cells answer exactly).
    let since = f::month_key(window.map_or_else(|| f::quarter_start(today), |(a, _)| a));
    let cells = load_cells(db, ctx, since).await?;
    let stages: Vec<f::Stage> = stage::Entity::find().all(db).await.map_err(db_err)?.iter().map(stage_fact).collect();
    let mut facts = f::cell_facts(&cells, &stages, today, since);
    if let Some((a, b)) = window {
        facts.retain(|x| x.close_date >= a && x.close_date <= b);
    }
    let users: HashMap<i32, (uuid::Uuid, String)> =
        user::Entity::find().all(db).await.map_err(db_err)?.into_iter().map(|u| (u.id, (u.uuid, u.name))).collect();
    let teams: HashMap<i32, (uuid::Uuid, String)> =
        team::Entity::find().all(db).await.map_err(db_err)?.into_iter().map(|t| (t.id, (t.uuid, t.name))).collect();
    let pipes: HashMap<i32, (uuid::Uuid, String)> =
        pipeline::Entity::find().all(db).await.map_err(db_err)?.into_iter().map(|p| (p.id, (p.uuid, p.name_en))).collect();
    let named = |m: &HashMap<i32, (uuid::Uuid, String)>, id: i32| {
        m.get(&id).map_or_else(|| (id.to_string(), String::new()), |(u, n)| (u.to_string(), n.clone()))
    };
    Ok(f::group(&facts, g)
        .into_iter()
        .map(|r| {
            let (key, label) = match r.key {
                f::GroupKey::Owner(id) => named(&users, id),
                f::GroupKey::Team(id) => named(&teams, id),
                f::GroupKey::Pipeline(id) => named(&pipes, id),
                f::GroupKey::Bucket(b) => (bucket_code(b).to_owned(), bucket_code(b).to_owned()),
                f::GroupKey::Category(c) => (c.as_str().to_owned(), c.as_str().to_owned()),
                f::GroupKey::Period(p) => (period_code(p), period_code(p)),
            };
            GroupRow {
                key,
                label,
                open_count: r.open.count,
                open_amount_fen: r.open.amount_fen,
                weighted_fen: r.open.weighted_fen,
                won_count: r.won.count,
                won_amount_fen: r.won.amount_fen,
            }
        })
        .collect())
}

pub fn bucket_code(b: f::CloseBucket) -> &'static str {
    match b {
        f::CloseBucket::Won => "won",
        f::CloseBucket::M3 => "m3",
        f::CloseBucket::M6 => "m6",
        f::CloseBucket::M9 => "m9",
        f::CloseBucket::M12 => "m12",
        f::CloseBucket::Later => "later",
    }
}

/// Progress between two local dates (A at its midnight, B at the end of its day, capped at
/// now); defaults to this week so far.
pub async fn progress_between<C: ConnectionTrait>(
    db: &C,
    ctx: &RequestContext,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<ProgressView, AppError> {
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
