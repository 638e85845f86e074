//! The one writer of `deal_history`: every row goes through [`append`], which also keeps
//! the progress figures a value event makes (`totals::record_event`) in the same
//! transaction. Support layer: depends on entities, domain, totals and mapping only.
use crate::domain::error::AppError;
use crate::domain::forecast as f;
use crate::domain::history::HistoryKind;
use crate::ssr::db_err;
use crate::ssr::entity::{deal, deal_history};
use chrono::Utc;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};

/// The answer to a deal write whose version is stale: the version the deal is at now and its
/// newest history row (what changed, by whom, when).
pub async fn changed_meanwhile<C: ConnectionTrait>(db: &C, deal_id: i32) -> AppError {
    use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};
    let read = async {
        let Some(d) = deal::Entity::find_by_id(deal_id).one(db).await.map_err(db_err)? else {
            // Deleted meanwhile.
            return Err(AppError::NotFound);
        };
        let last = deal_history::Entity::find()
            .filter(deal_history::Column::DealId.eq(deal_id))
            .order_by_desc(deal_history::Column::At)
            .order_by_desc(deal_history::Column::Id)
            .one(db)
            .await
            .map_err(db_err)?;
        let by = match last.as_ref().and_then(|h| h.actor_id) {
            Some(u) => super::mapping::user_names(db, vec![u]).await?.remove(&u),
            None => None,
        };
        Ok(AppError::DealChanged {
            version: d.version,
            last: last.as_ref().and_then(|h| HistoryKind::parse(&h.kind)),
            by,
            at: last.map(|h| h.at),
        })
    };
    read.await.unwrap_or_else(|e| e)
}

/// A row of `kind` for a deal by `actor`, now; the caller fills what the kind carries.
pub fn row(deal_id: i32, actor: i32, kind: HistoryKind) -> deal_history::ActiveModel {
    deal_history::ActiveModel {
        deal_id: Set(deal_id),
        at: Set(Utc::now()),
        actor_id: Set(Some(actor)),
        kind: Set(kind.as_str().to_owned()),
        ..Default::default()
    }
}

/// A row about a (tried or made) move from one stage to another.
pub fn transition(
    deal_id: i32,
    actor: i32,
    kind: HistoryKind,
    from: i32,
    to: i32,
    note: Option<String>,
    approval_id: Option<i32>,
) -> deal_history::ActiveModel {
    let mut h = row(deal_id, actor, kind);
    h.from_stage_id = Set(Some(from));
    h.to_stage_id = Set(Some(to));
    h.note = Set(note);
    h.approval_id = Set(approval_id);
    h
}

/// A row with the deal's state after a value event (see migration 000010: progress sums
/// what each event changed in SQL, so every writer of such a row sets it).
pub fn with_state(
    mut h: deal_history::ActiveModel,
    stage_id: i32,
    amount_fen: i64,
    close_date: chrono::NaiveDate,
    entered_at: chrono::DateTime<Utc>,
) -> deal_history::ActiveModel {
    h.after_stage_id = Set(Some(stage_id));
    h.after_amount_fen = Set(Some(amount_fen));
    h.after_close_date = Set(Some(close_date));
    h.after_entered_at = Set(Some(entered_at));
    h
}

/// The "moved" row of a move made at `at`.
pub fn moved(
    d: &deal::Model,
    actor: i32,
    to: i32,
    note: Option<String>,
    approval_id: Option<i32>,
    at: chrono::DateTime<Utc>,
) -> deal_history::ActiveModel {
    let mut h =
        with_state(transition(d.id, actor, HistoryKind::Moved, d.stage_id, to, note, approval_id), to, d.amount_fen, d.close_date, at);
    h.at = Set(at);
    h.before_entered_at = Set(Some(d.stage_entered_at));
    h
}

/// Appends a row that changes no figure (attempts, approvals, key information, categories).
pub async fn append<C: ConnectionTrait>(db: &C, h: deal_history::ActiveModel) -> Result<(), AppError> {
    deal_history::Entity::insert(h).exec_without_returning(db).await.map_err(db_err)?;
    Ok(())
}

/// Appends a value event (created, moved, amount or close date changed) with the progress
/// parts it makes. `team_id`/`owner_id` are the deal's; `stages` holds the stages before
/// and after.
pub async fn append_value<C: ConnectionTrait>(
    db: &C,
    h: deal_history::ActiveModel,
    team_id: i32,
    owner_id: i32,
    stages: &[f::Stage],
) -> Result<(), AppError> {
    super::totals::record_event(db, &h, team_id, owner_id, stages).await?;
    append(db, h).await
}
