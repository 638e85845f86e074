//! What one server process shares between its requests besides the pool: the live-event
//! channel, SQLite's writer queue and the forecast's cache of history figures. It lives in
//! [`Db`](super::db::Db) (and so in `AppState`), never in a static, so two databases opened
//! in one process — the tests, or two app servers in one test binary — share none of it.
use super::events::Event;
use crate::ssr::service::forecast::HistoryCache;
use std::sync::Arc;
use tokio::sync::broadcast;

pub struct Hub {
    /// Committed changes, fanned out to every open event stream of this process.
    pub(crate) events: broadcast::Sender<Event>,
    /// SQLite allows one writer: write transactions queue here instead of spinning on the
    /// busy timeout (see `db::begin_write`).
    pub(crate) writer: Arc<tokio::sync::Mutex<()>>,
    pub(crate) forecast: HistoryCache,
}

impl Default for Hub {
    fn default() -> Self {
        Hub { events: broadcast::channel(1024).0, writer: Arc::new(tokio::sync::Mutex::new(())), forecast: HistoryCache::default() }
    }
}
