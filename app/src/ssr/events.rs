//! Live updates. A change is published after its transaction commits; every browser with a
//! board or deal open receives it over server-sent events within a second. On SQLite (one
//! process) an in-process channel carries it; on PostgreSQL it goes through NOTIFY so the
//! clients of every server process behind the database see it.
use super::db::Db;
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;

pub const CHANNEL: &str = "dealgate_events";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// deal_moved | approval_requested | approval_decided | key_info | deal_updated | deal_created |
    /// pipeline_changed | map | checklist | activity | members | comment (the deal room; a comment
    /// may also ring a bell) | the account changes of [`AccountChange`]
    pub kind: String,
    pub deal: uuid::Uuid,
    /// The account an account or contact change concerns (`deal` is nil then).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<uuid::Uuid>,
    /// Lets each stream forward only what its user may see.
    pub team_id: i32,
    pub actor: i32,
}

/// `team_id` of a change every user must hear about (pipeline edits): no team has id 0.
pub const EVERYONE: i32 = 0;

impl Event {
    /// Whether a user with this visibility is told what changed.
    pub fn reaches(&self, vis: &crate::domain::role::Visibility) -> bool {
        crate::domain::access::hears_event(vis, (self.team_id != EVERYONE).then_some(self.team_id))
    }
}

/// This process's changes (the channel lives in the [`Hub`](super::hub::Hub)).
pub fn subscribe(db: &Db) -> broadcast::Receiver<Event> {
    db.hub().events.subscribe()
}

/// Never fails the caller: the change is committed; a lost notification only delays a
/// browser until its next resync.
/// A change to one deal by `actor`: the event every deal service announces after commit.
pub async fn publish_deal(db: &Db, kind: &str, deal: &crate::ssr::entity::deal::Model, actor: i32) {
    publish(db, Event { kind: kind.into(), deal: deal.uuid, account: None, team_id: deal.team_id, actor }).await;
}

/// A change to one account (its profile, grade, revisits, contacts) by `actor`, heard by
/// whoever sees the account's team: lists and the account page reload or offer the latest.
pub async fn publish_account(db: &Db, kind: AccountChange, account: &crate::ssr::entity::account::Model, actor: i32) {
    publish_account_of(db, kind, account.uuid, account.team_id, actor).await;
}

pub async fn publish_account_of(db: &Db, kind: AccountChange, account: uuid::Uuid, team_id: i32, actor: i32) {
    publish(db, Event { kind: kind.code().into(), deal: uuid::Uuid::nil(), account: Some(account), team_id, actor }).await;
}

/// What happened to an account, as its live event names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccountChange {
    Created,
    Updated,
    Graded,
    Revisited,
    Merged,
    Contact,
}

impl AccountChange {
    pub fn code(self) -> &'static str {
        match self {
            Self::Created => "account_created",
            Self::Updated => "account_updated",
            Self::Graded => "account_graded",
            Self::Revisited => "account_revisited",
            Self::Merged => "account_merged",
            Self::Contact => "contact",
        }
    }
}

pub async fn publish(db: &Db, e: Event) {
    let bus = &db.hub().events;
    if db.get_database_backend() == DbBackend::Postgres {
        let Ok(payload) = serde_json::to_string(&e) else { return };
        let stmt = Statement::from_sql_and_values(DbBackend::Postgres, "SELECT pg_notify($1, $2)", [CHANNEL.into(), payload.into()]);
        if let Err(err) = db.execute_raw(stmt).await {
            tracing::warn!(error = %err, "NOTIFY failed; delivering locally only");
            let _ = bus.send(e);
        }
    } else {
        let _ = bus.send(e);
    }
}

/// PostgreSQL: relay NOTIFY from every process into this process's channel, reconnecting
/// after a dropped connection.
pub fn spawn_postgres_listener(db: &Db, url: String) {
    let bus = db.hub().events.clone();
    tokio::spawn(async move {
        let mut backoff = 1u64;
        loop {
            match sea_orm::sqlx::postgres::PgListener::connect(&url).await {
                Ok(mut l) => {
                    if let Err(e) = l.listen(CHANNEL).await {
                        tracing::warn!(error = %e, "LISTEN failed");
                    } else {
                        backoff = 1;
                        loop {
                            match l.recv().await {
                                Ok(n) => {
                                    if let Ok(e) = serde_json::from_str::<Event>(n.payload()) {
                                        let _ = bus.send(e);
                                    }
                                }
                                Err(e) => {
                                    tracing::warn!(error = %e, "event listener lost its connection");
                                    break;
                                }
                            }
                        }
                    }
                }
                Err(e) => tracing::warn!(error = %e, "event listener cannot connect"),
            }
            tokio::time::sleep(std::time::Duration::from_secs(backoff)).await;
            backoff = (backoff * 2).min(30);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::role::Visibility;

    #[test]
    fn pipeline_changes_reach_every_user_deal_changes_only_their_teams() {
        let ev = |team_id| Event { kind: "x".into(), deal: uuid::Uuid::nil(), account: None, team_id, actor: 1 };
        let rep = Visibility { all: false, team_ids: vec![3], member_user_id: Some(9) };
        let presales = Visibility { all: false, team_ids: vec![], member_user_id: Some(9) };
        let exec = Visibility { all: true, team_ids: vec![], member_user_id: None };
        for v in [&rep, &presales, &exec] {
            assert!(ev(EVERYONE).reaches(v), "{v:?}");
        }
        assert!(ev(3).reaches(&rep) && !ev(4).reaches(&rep) && ev(4).reaches(&exec) && !ev(3).reaches(&presales));
    }
}
