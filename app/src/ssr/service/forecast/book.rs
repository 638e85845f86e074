//! Loading the book: the deals, stages and history the viewer may see, in keyset pages.
use crate::domain::error::AppError;
use crate::domain::forecast as f;
use crate::domain::forecast::offset;
use crate::domain::history::HistoryKind;
use crate::ssr::context::RequestContext;
use crate::ssr::db_err;
use crate::ssr::entity::{deal, deal_history, stage};
use crate::ssr::service::access::deal_visibility;
use crate::ssr::service::convert::{category, stage_fact};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;

/// Everything the figures need, loaded once per request.
pub struct Book {
    pub deals: Vec<f::Deal>,
    pub stages: Vec<f::Stage>,
    pub stage_rows: Vec<stage::Model>,
    /// Empty when loaded without history (figures of the present only).
    pub events: Vec<f::HistoryEvent>,
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
pub(super) fn scope_condition(ctx: &RequestContext) -> Condition {
    let vis = Condition::all().add(deal_visibility(&ctx.visibility));
    if crate::domain::access::figures_owner(ctx.role, ctx.user_id).is_some() {
        vis.add(deal::Column::OwnerId.eq(ctx.user_id))
    } else {
        vis
    }
}

/// Whose numbers a cached point is: viewers with the same visibility see the same figures.
pub(super) fn scope_key(ctx: &RequestContext) -> String {
    let v = &ctx.visibility;
    let mut teams = v.team_ids.clone();
    teams.sort_unstable();
    let rep =
        if crate::domain::access::figures_owner(ctx.role, ctx.user_id).is_some() { format!("rep{}", ctx.user_id) } else { String::new() };
    format!("{rep}|{}|{teams:?}|{:?}", v.all, v.member_user_id)
}

/// Rows are read in keyset pages of this many: a driver row costs about a kilobyte before it
/// becomes a few dozen bytes here, and reading 4M history rows in one go took gigabytes.
pub(super) const PAGE: u64 = 20_000;

/// The columns of a deal the figures read (no names, no free text).
#[derive(sea_orm::FromQueryResult)]
pub(super) struct DealCols {
    pub(super) id: i32,
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

pub(super) fn deal_cols() -> sea_orm::Select<deal::Entity> {
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

pub(super) fn deal_of(d: DealCols) -> f::Deal {
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
const FACT_KINDS: [&str; 6] = [
    HistoryKind::Created.as_str(),
    HistoryKind::Moved.as_str(),
    HistoryKind::AmountChanged.as_str(),
    HistoryKind::CloseDateChanged.as_str(),
    HistoryKind::CategoryChanged.as_str(),
    HistoryKind::CategoryAdjusted.as_str(),
];

/// The kinds that make a deal's stage visits: all that conversion, days in stage, cycle and
/// "signed outside the funnel" read (revisions of amount and date are most of the history).
const VISIT_KINDS: [&str; 2] = [HistoryKind::Created.as_str(), HistoryKind::Moved.as_str()];

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
    let visible_ids = (!ctx.visibility.all || crate::domain::access::figures_owner(ctx.role, ctx.user_id).is_some())
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
pub(super) async fn deal_rows<C: ConnectionTrait>(db: &C, ids: &[i32]) -> Result<HashMap<i32, deal::Model>, AppError> {
    super::super::mapping::deals_by_id(db, ids.iter().copied()).await
}

/// The deals in the viewer's scope with fact history after `t`, and their fact events after
/// `since` (≤ t: replays need the history that says when a deal entered its stage).
pub(super) async fn changed_since<C: ConnectionTrait>(
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
