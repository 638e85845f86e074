//! Figures that need a year of history, cached per viewer scope and day; large books compute them in the background.
use super::{load_visits, scope_key, MIN_FUNNEL_DAYS};
use crate::domain::error::AppError;
use crate::domain::forecast as f;
use crate::domain::forecast::offset;
use crate::ssr::context::RequestContext;
use crate::ssr::db::Db;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use std::collections::HashMap;

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

/// The process's cached history figures (in the [`Hub`](crate::ssr::hub::Hub)), keyed by viewer scope.
#[derive(Default)]
pub struct HistoryCache {
    figures: std::sync::Mutex<HashMap<String, std::sync::Arc<HistoryFigures>>>,
    /// Keys whose background computation is running, so a second request does not start it again.
    pub(super) pending: std::sync::Mutex<std::collections::HashSet<String>>,
    /// Background figures run one at a time: each reads the whole book, and two at once
    /// doubled the peak memory (2.4 GB at 1M deals) while each took as long as alone.
    pub(super) background: tokio::sync::Mutex<()>,
}

/// Books up to this many deals get their history figures computed inside the request (tens of
/// milliseconds); larger ones in the background, the page showing them once ready.
pub const INLINE_HISTORY_DEALS: u64 = 20_000;

pub(super) fn cached_history(db: &Db, key: &str, today: NaiveDate) -> Option<std::sync::Arc<HistoryFigures>> {
    let cache = db.hub().forecast.figures.lock().ok()?;
    cache.get(key).filter(|h| h.day == today).cloned()
}

/// Computes (and caches) the history figures of the viewer's scope now.
pub async fn history_figures(db: &Db, ctx: &RequestContext) -> Result<std::sync::Arc<HistoryFigures>, AppError> {
    let now = Utc::now();
    let book = load_visits(db, ctx).await?;
    let cycle = f::cycle_stats(&book.deals, &book.stages, &book.events, f::Window { from: now - Duration::days(365), to: now });
    let unfunneled = f::signed_outside_funnel(&book.deals, &book.stages, &book.events, MIN_FUNNEL_DAYS);
    let h = std::sync::Arc::new(HistoryFigures { day: f::local_date(now, offset()), at: now, cycle, unfunneled });
    if let Ok(mut cache) = db.hub().forecast.figures.lock() {
        cache.insert(scope_key(ctx), h.clone());
    }
    Ok(h)
}

/// Forgets the cached history figures (tests; a changed win rate does not affect them).
pub fn forget_history(db: &Db) {
    if let Ok(mut cache) = db.hub().forecast.figures.lock() {
        cache.clear();
    }
}

/// The history figures for today: cached, computed here for a small book, or started in the
/// background (None until ready) for a large one.
pub(super) async fn history_for(
    db: &Db,
    ctx: &RequestContext,
    today: NaiveDate,
    deals_in_scope: u64,
    inline_limit: u64,
) -> Result<Option<std::sync::Arc<HistoryFigures>>, AppError> {
    let key = scope_key(ctx);
    if let Some(h) = cached_history(db, &key, today) {
        return Ok(Some(h));
    }
    if deals_in_scope <= inline_limit {
        return history_figures(db, ctx).await.map(Some);
    }
    let start = db.hub().forecast.pending.lock().map(|mut p| p.insert(key.clone())).unwrap_or(false);
    if start {
        let (db, ctx) = (db.clone(), ctx.clone());
        tokio::spawn(async move {
            let _one = db.hub().forecast.background.lock().await;
            if let Err(e) = history_figures(&db, &ctx).await {
                tracing::warn!("history figures for {key}: {e:?}");
            }
            if let Ok(mut p) = db.hub().forecast.pending.lock() {
                p.remove(&key);
            }
        });
    }
    Ok(None)
}
