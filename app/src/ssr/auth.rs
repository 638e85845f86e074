//! Passwords (argon2id), the sign-in rate limit, and checking credentials.
use super::{db_err, entity::user};
use crate::domain::error::AppError;
use crate::ssr::db::Db;
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use std::time::{SystemTime, UNIX_EPOCH};

/// argon2id, v19, the crate's default cost (19 MiB, 2 passes): OWASP's baseline.
pub fn hash_password(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| {
        tracing::error!(error = %e, "password hashing failed");
        AppError::Internal
    })
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// Failed attempts allowed per key inside the window before sign-in is refused.
pub const MAX_FAILURES: usize = 5;
pub const WINDOW_SECS: u64 = 15 * 60;

/// Sliding-window failure counter; time is passed in so the rule is testable.
#[derive(Debug, Default)]
pub struct Attempts {
    failures: HashMap<String, Vec<u64>>,
}

impl Attempts {
    /// `Err(seconds to wait)` when the key has used up its failures in the window.
    pub fn check(&mut self, key: &str, now: u64, max: usize) -> Result<(), u64> {
        let Some(list) = self.failures.get_mut(key) else { return Ok(()) };
        list.retain(|t| now.saturating_sub(*t) < WINDOW_SECS);
        if list.len() >= max {
            let oldest = list.iter().min().copied().unwrap_or(now);
            return Err((oldest + WINDOW_SECS).saturating_sub(now).max(1));
        }
        Ok(())
    }

    pub fn fail(&mut self, key: &str, now: u64) {
        // Bound memory: forget stale keys once the map grows large.
        if self.failures.len() > 10_000 {
            self.failures.retain(|_, l| l.iter().any(|t| now.saturating_sub(*t) < WINDOW_SECS));
        }
        self.failures.entry(key.to_owned()).or_default().push(now);
    }

    pub fn clear(&mut self, key: &str) {
        self.failures.remove(key);
    }
}

/// Process-wide limiter keyed by account and by client address.
#[derive(Debug, Default)]
pub struct LoginLimiter(Mutex<Attempts>);

fn now_secs() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

impl LoginLimiter {
    fn with<R>(&self, f: impl FnOnce(&mut Attempts) -> R) -> R {
        // A poisoned lock only means another request panicked mid-update; the counts are
        // still usable.
        let mut g = self.0.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut g)
    }
}

fn dummy_hash() -> &'static str {
    static H: OnceLock<String> = OnceLock::new();
    H.get_or_init(|| hash_password("timing-equaliser").unwrap_or_default())
}

pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Checks credentials under the rate limit. Unknown users cost the same time as known ones
/// so the answer does not reveal which emails exist.
pub async fn authenticate(
    db: &Db,
    limiter: &LoginLimiter,
    email: &str,
    password: &str,
    client: Option<&str>,
) -> Result<user::Model, AppError> {
    let email = normalize_email(email);
    if email.is_empty() || password.is_empty() {
        return Err(AppError::BadCredentials);
    }
    let now = now_secs();
    let email_key = format!("e:{email}");
    let ip_key = client.map(|c| format!("ip:{c}"));
    limiter
        .with(|a| {
            a.check(&email_key, now, MAX_FAILURES)?;
            if let Some(k) = &ip_key {
                // An address gets more room than an account: a whole office shares one NAT.
                a.check(k, now, MAX_FAILURES * 4)?;
            }
            Ok(())
        })
        .map_err(|retry_after_secs| AppError::RateLimited { retry_after_secs })?;

    let found = user::Entity::find().filter(user::Column::Email.eq(email.clone())).one(db).await.map_err(db_err)?;
    let password = password.to_owned();
    let hash = found.as_ref().map_or_else(|| dummy_hash().to_owned(), |u| u.password_hash.clone());
    // argon2 is CPU-heavy: keep it off the async workers.
    let ok = tokio::task::spawn_blocking(move || verify_password(&password, &hash)).await.unwrap_or(false);
    match found {
        Some(u) if ok && u.active => {
            limiter.with(|a| a.clear(&email_key));
            Ok(u)
        }
        _ => {
            limiter.with(|a| {
                a.fail(&email_key, now);
                if let Some(k) = &ip_key {
                    a.fail(k, now);
                }
            });
            Err(AppError::BadCredentials)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_and_verify() {
        let h = hash_password("dealgate").unwrap();
        assert!(h.starts_with("$argon2id$v=19$"), "{h}");
        assert!(verify_password("dealgate", &h));
        assert!(!verify_password("Dealgate", &h));
        assert!(!verify_password("", &h));
        assert!(!verify_password("dealgate", "not a hash"));
        // Salted: the same password hashes differently each time.
        assert_ne!(h, hash_password("dealgate").unwrap());
    }

    #[test]
    fn five_failures_lock_for_the_window() {
        let mut a = Attempts::default();
        for i in 0..MAX_FAILURES as u64 {
            assert_eq!(a.check("k", 1000 + i, MAX_FAILURES), Ok(()));
            a.fail("k", 1000 + i);
        }
        assert_eq!(a.check("k", 1010, MAX_FAILURES), Err(WINDOW_SECS - 10));
        assert_eq!(a.check("other", 1010, MAX_FAILURES), Ok(()));
        // The first failure leaves the window; one more try is allowed.
        assert_eq!(a.check("k", 1000 + WINDOW_SECS, MAX_FAILURES), Ok(()));
        a.clear("k");
        assert_eq!(a.check("k", 1011, MAX_FAILURES), Ok(()));
    }

    #[test]
    fn emails_are_normalised() {
        assert_eq!(normalize_email("  Rep@Demo.Local "), "rep@demo.local");
    }
}
