//! The one writer (and reader) of `account_history`: edits with the fields they changed from
//! what to what, merges with what moved, contacts added, edited or deleted. Deal history
//! stays `service::history`'s.
use crate::domain::account::contact::ContactNote;
use crate::domain::account::dto::AccountHistoryRow;
use crate::domain::account::profile::{AccountEvent, Change, MergeSummary};
use crate::domain::error::AppError;
use crate::ssr::db_err;
use crate::ssr::entity::account_history;
use crate::ssr::service::user_names;
use chrono::Utc;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

/// The most history rows an account page shows.
const SHOWN: u64 = 100;

/// Appends one row, inside the caller's transaction.
pub(crate) async fn append<C: ConnectionTrait>(
    db: &C,
    account_id: i32,
    actor: i32,
    event: AccountEvent,
    changes: &[Change],
    merged: Option<&MergeSummary>,
) -> Result<(), AppError> {
    insert(db, account_id, actor, event, changes, merged, None).await
}

/// A contact's event on its account's history, inside the caller's transaction (the same
/// write as the contact's).
pub(crate) async fn append_contact<C: ConnectionTrait>(
    db: &C,
    account_id: i32,
    actor: i32,
    event: AccountEvent,
    note: &ContactNote,
) -> Result<(), AppError> {
    insert(db, account_id, actor, event, &[], None, Some(note)).await
}

async fn insert<C: ConnectionTrait>(
    db: &C,
    account_id: i32,
    actor: i32,
    event: AccountEvent,
    changes: &[Change],
    merged: Option<&MergeSummary>,
    contact: Option<&ContactNote>,
) -> Result<(), AppError> {
    let changes = serde_json::to_string(changes).map_err(|_| AppError::Internal)?;
    let merged = merged.map(serde_json::to_string).transpose().map_err(|_| AppError::Internal)?;
    let contact = contact.map(serde_json::to_string).transpose().map_err(|_| AppError::Internal)?;
    account_history::Entity::insert(account_history::ActiveModel {
        account_id: Set(account_id),
        event: Set(event.code().to_owned()),
        changes: Set(changes),
        merged: Set(merged),
        contact: Set(contact),
        actor_id: Set(actor),
        at: Set(Utc::now()),
        ..Default::default()
    })
    .exec_without_returning(db)
    .await
    .map_err(db_err)?;
    Ok(())
}

/// The newest rows first; a row whose codes no longer parse is left out rather than shown wrong.
pub(crate) async fn rows<C: ConnectionTrait>(db: &C, account_id: i32) -> Result<Vec<AccountHistoryRow>, AppError> {
    let rows = account_history::Entity::find()
        .filter(account_history::Column::AccountId.eq(account_id))
        .order_by_desc(account_history::Column::Id)
        .limit(SHOWN)
        .all(db)
        .await
        .map_err(db_err)?;
    let names = user_names(db, rows.iter().map(|r| r.actor_id).collect()).await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(AccountHistoryRow {
                event: AccountEvent::parse(&r.event)?,
                changes: serde_json::from_str(&r.changes).ok()?,
                merged: match r.merged.as_deref() {
                    Some(m) => Some(serde_json::from_str(m).ok()?),
                    None => None,
                },
                contact: match r.contact.as_deref() {
                    Some(c) => Some(serde_json::from_str(c).ok()?),
                    None => None,
                },
                by: names.get(&r.actor_id).cloned().unwrap_or_default(),
                at: r.at,
            })
        })
        .collect())
}
