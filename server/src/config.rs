//! Configuration from the environment, every setting with a documented default.
use std::path::PathBuf;

#[derive(Clone, Debug)]
pub struct Config {
    /// `DEALGATE_DATA_DIR` (default `./data`): where the SQLite file lives.
    pub data_dir: PathBuf,
    /// `DATABASE_URL` (default `sqlite://<data dir>/dealgate.db?mode=rwc`); a `postgres://`
    /// URL switches to PostgreSQL.
    pub database_url: String,
    /// `DEALGATE_LOG` or `RUST_LOG` (default `info`): a tracing filter.
    pub log_filter: String,
    /// `DEALGATE_LOG_FORMAT` = `text` (default) or `json`.
    pub log_json: bool,
    /// `DEALGATE_SECURE_COOKIES` = `true` behind HTTPS (default `false`).
    pub secure_cookies: bool,
    /// `DEALGATE_SESSION_HOURS` (default 12): idle time after which a session ends.
    pub session_hours: i64,
    /// `DEALGATE_TRUSTED_PROXIES` (default none): reverse proxies, as addresses or CIDR blocks,
    /// whose `X-Forwarded-For` names the client (for the sign-in rate limit and the audit log).
    pub trusted_proxies: app::ssr::client_addr::TrustedProxies,
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

impl Config {
    pub fn from_env() -> Result<Config, String> {
        let data_dir = PathBuf::from(var("DEALGATE_DATA_DIR").unwrap_or_else(|| "data".into()));
        let database_url = match var("DATABASE_URL") {
            Some(u) => u,
            None => format!("sqlite://{}/dealgate.db?mode=rwc", data_dir.display()),
        };
        if !(database_url.starts_with("sqlite:") || database_url.starts_with("postgres://") || database_url.starts_with("postgresql://")) {
            return Err(format!("DATABASE_URL must start with sqlite: or postgres://, got {database_url:?}"));
        }
        let session_hours = match var("DEALGATE_SESSION_HOURS") {
            Some(h) => h
                .parse::<i64>()
                .ok()
                .filter(|h| *h > 0)
                .ok_or_else(|| format!("DEALGATE_SESSION_HOURS must be a positive whole number, got {h:?}"))?,
            None => 12,
        };
        let trusted_proxies = app::ssr::client_addr::TrustedProxies::parse(&var("DEALGATE_TRUSTED_PROXIES").unwrap_or_default())
            .map_err(|e| format!("DEALGATE_TRUSTED_PROXIES: {e}"))?;
        Ok(Config {
            data_dir,
            database_url,
            log_filter: var("DEALGATE_LOG").or_else(|| var("RUST_LOG")).unwrap_or_else(|| "info".into()),
            log_json: var("DEALGATE_LOG_FORMAT").is_some_and(|f| f == "json"),
            secure_cookies: var("DEALGATE_SECURE_COOKIES").is_some_and(|v| v == "true" || v == "1"),
            session_hours,
            trusted_proxies,
        })
    }

    pub fn is_sqlite(&self) -> bool {
        self.database_url.starts_with("sqlite:")
    }
}
