//! Passwords (argon2id), the sign-in rate limit, and checking credentials.
use super::{db_err, entity::user};
use crate::domain::admin::AuditAction;
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

/// Failures one account may have from one address before each further try there waits.
pub const ACCOUNT_FREE_FAILURES: u32 = 3;
/// Failures one address may have over all accounts before its tries wait: generous, since a
/// whole office can share one address behind a NAT.
pub const ADDRESS_FREE_FAILURES: u32 = 30;
/// The first wait; each further failure doubles it, up to [`MAX_WAIT_SECS`].
pub const FIRST_WAIT_SECS: u64 = 5;
pub const MAX_WAIT_SECS: u64 = 5 * 60;
/// A streak of failures is forgotten this long after its last failure.
pub const WINDOW_SECS: u64 = 15 * 60;

/// Consecutive failures of one key and when the last one happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Streak {
    failures: u32,
    last: u64,
}

/// How long after the `failures`-th failure the next try must wait, `free` failures being free.
pub fn wait_after(failures: u32, free: u32) -> u64 {
    match failures.checked_sub(free) {
        None => 0,
        Some(over) => FIRST_WAIT_SECS.saturating_mul(1u64 << over.min(16)).min(MAX_WAIT_SECS),
    }
}

/// Which limit a refused or slowed sign-in hit (for the audit log).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// One account from one address.
    Account,
    /// One address, all accounts.
    Address,
}

/// The sign-in rule: failures slow down further tries of the same account from the same
/// address (strict) and of the same address (generous) with a short, growing wait; nothing
/// ever locks an account as such, so a stranger elsewhere cannot keep its owner out. Time is
/// passed in so the rule is testable.
#[derive(Debug, Default)]
pub struct Attempts {
    streaks: HashMap<String, Streak>,
}

fn account_key(email: &str, address: &str) -> String {
    format!("a:{address}|{email}")
}

fn address_key(address: &str) -> String {
    format!("ip:{address}")
}

impl Attempts {
    fn wait(&self, key: &str, free: u32, now: u64) -> Option<u64> {
        let s = self.streaks.get(key)?;
        if now.saturating_sub(s.last) >= WINDOW_SECS {
            return None;
        }
        let until = s.last.saturating_add(wait_after(s.failures, free));
        (now < until).then(|| until - now)
    }

    /// `Err(seconds to wait)` while either limit makes this try wait.
    pub fn check(&self, email: &str, address: &str, now: u64) -> Result<(), (u64, Scope)> {
        let account = self.wait(&account_key(email, address), ACCOUNT_FREE_FAILURES, now).map(|w| (w, Scope::Account));
        let address = self.wait(&address_key(address), ADDRESS_FREE_FAILURES, now).map(|w| (w, Scope::Address));
        match account.into_iter().chain(address).max_by_key(|(w, _)| *w) {
            Some(hit) => Err(hit),
            None => Ok(()),
        }
    }

    fn bump(&mut self, key: String, now: u64) -> u32 {
        let s = self.streaks.entry(key).or_insert(Streak { failures: 0, last: now });
        if now.saturating_sub(s.last) >= WINDOW_SECS {
            s.failures = 0;
        }
        s.failures = s.failures.saturating_add(1);
        s.last = now;
        s.failures
    }

    /// Records a failure; answers the limits this failure starts slowing down (once per
    /// streak, for the audit log).
    pub fn fail(&mut self, email: &str, address: &str, now: u64) -> Vec<Scope> {
        // Bound memory: forget stale streaks once the map grows large.
        if self.streaks.len() > 10_000 {
            self.streaks.retain(|_, s| now.saturating_sub(s.last) < WINDOW_SECS);
        }
        let mut started = Vec::new();
        if self.bump(account_key(email, address), now) == ACCOUNT_FREE_FAILURES {
            started.push(Scope::Account);
        }
        if self.bump(address_key(address), now) == ADDRESS_FREE_FAILURES {
            started.push(Scope::Address);
        }
        started
    }

    /// A right password from this address: its account streak ends (the address's stays, so
    /// one known password does not reset a spray over other accounts).
    pub fn succeed(&mut self, email: &str, address: &str) {
        self.streaks.remove(&account_key(email, address));
    }
}

/// Process-wide sign-in limiter (one per server process; see `Attempts` for the rule).
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
/// so the answer does not reveal which emails exist. `client` is the caller's address (none
/// known: all such callers share one). Failures, and the start of a slow-down, go to the
/// audit log.
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
    let address = client.unwrap_or("unknown");
    let now = now_secs();
    if let Err((retry_after_secs, scope)) = limiter.with(|a| a.check(&email, address, now)) {
        tracing::warn!(%address, ?scope, retry_after_secs, "sign-in refused by the rate limit");
        return Err(AppError::RateLimited { retry_after_secs });
    }

    let found = user::Entity::find().filter(user::Column::Email.eq(email.clone())).one(db).await.map_err(db_err)?;
    let password = password.to_owned();
    let hash = found.as_ref().map_or_else(|| dummy_hash().to_owned(), |u| u.password_hash.clone());
    // argon2 is CPU-heavy: keep it off the async workers.
    let ok = tokio::task::spawn_blocking(move || verify_password(&password, &hash)).await.unwrap_or(false);
    match found {
        Some(u) if ok && u.active => {
            limiter.with(|a| a.succeed(&email, address));
            Ok(u)
        }
        found => {
            let started = limiter.with(|a| a.fail(&email, address, now));
            let subject = found.as_ref().map(|u| u.uuid);
            let label: String = email.chars().take(100).collect();
            let mut events = vec![(AuditAction::LoginFailed, serde_json::json!({"address": address}))];
            for scope in started {
                let scope = match scope {
                    Scope::Account => "account",
                    Scope::Address => "address",
                };
                events.push((AuditAction::LoginThrottled, serde_json::json!({"address": address, "scope": scope})));
            }
            for (action, after) in events {
                // The refusal stands even if the log cannot be written; the failure is logged.
                if let Err(e) = crate::ssr::service::admin::audit_as(db, None, action, (subject, &label), None, Some(after)).await {
                    tracing::error!(error = %e, "could not write a sign-in failure to the audit log");
                }
            }
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
    fn waits_grow_and_stop_growing() {
        let table: &[(u32, u32, u64)] =
            &[(0, 3, 0), (2, 3, 0), (3, 3, 5), (4, 3, 10), (5, 3, 20), (8, 3, 160), (9, 3, 300), (500, 3, 300), (29, 30, 0), (30, 30, 5)];
        for (failures, free, want) in table {
            assert_eq!(wait_after(*failures, *free), *want, "{failures} failures, {free} free");
        }
    }

    /// One attempt at a time: (seconds, email, address, right password?, expected answer).
    /// `Ok` = checked and let through, `Wait(n)` = refused, retry in n seconds.
    #[test]
    fn the_sign_in_limit_table() {
        #[derive(Debug, PartialEq)]
        enum Want {
            Pass,
            Wait(u64),
        }
        use Want::{Pass, Wait};
        let owner = "owner@x";
        let table: &[(u64, &str, &str, bool, Want)] = &[
            // A stranger guesses the owner's password from address A.
            (1000, owner, "A", false, Pass),
            (1001, owner, "A", false, Pass),
            (1002, owner, "A", false, Pass),
            // Three failures: the next try from A waits 5 s, even with the right password.
            (1003, owner, "A", true, Wait(4)),
            // The owner, from address B, is never held up by A's failures.
            (1003, owner, "B", true, Pass),
            (1007, owner, "A", false, Pass),
            // Each further failure doubles the wait: 10 s now.
            (1010, owner, "A", false, Wait(7)),
            (1017, owner, "A", false, Pass),
            (1030, owner, "A", false, Wait(7)),
            // A streak is forgotten 15 minutes after its last failure.
            (1017 + WINDOW_SECS, owner, "A", false, Pass),
            (1018 + WINDOW_SECS, owner, "A", false, Pass),
            (1019 + WINDOW_SECS, owner, "A", true, Pass),
            // The right password ends the account's streak from that address.
            (1020 + WINDOW_SECS, owner, "A", false, Pass),
            (1021 + WINDOW_SECS, owner, "A", false, Pass),
            (1022 + WINDOW_SECS, owner, "A", true, Pass),
        ];
        let mut a = Attempts::default();
        for (i, (now, email, addr, right, want)) in table.iter().enumerate() {
            let got = match a.check(email, addr, *now) {
                Ok(()) => {
                    if *right {
                        a.succeed(email, addr);
                    } else {
                        a.fail(email, addr, *now);
                    }
                    Pass
                }
                Err((w, _)) => Wait(w),
            };
            assert_eq!(&got, want, "row {i}: {now} {email} from {addr}");
        }
    }

    #[test]
    fn an_address_spraying_many_accounts_slows_down_but_others_do_not() {
        let mut a = Attempts::default();
        let mut started = Vec::new();
        for i in 0..ADDRESS_FREE_FAILURES {
            assert_eq!(a.check(&format!("u{i}@x"), "N", 100), Ok(()));
            started.extend(a.fail(&format!("u{i}@x"), "N", 100));
        }
        // Thirty failures over thirty accounts: the address as a whole now waits.
        assert_eq!(started, vec![Scope::Address]);
        assert_eq!(a.check("fresh@x", "N", 101), Err((4, Scope::Address)));
        assert_eq!(a.check("fresh@x", "M", 101), Ok(()));
        assert_eq!(a.check("fresh@x", "N", 105), Ok(()));
        // The account limit starts once, at the third failure.
        let mut b = Attempts::default();
        let starts: Vec<Vec<Scope>> = (0..5).map(|i| b.fail("o@x", "A", 10 + i * 100)).collect();
        assert_eq!(starts, vec![vec![], vec![], vec![Scope::Account], vec![], vec![]]);
    }

    #[test]
    fn emails_are_normalised() {
        assert_eq!(normalize_email("  Rep@Demo.Local "), "rep@demo.local");
    }
}
