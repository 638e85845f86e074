//! Rows to wire types (`domain::dto`): stage and pipeline references, deal cards, names by
//! id. Support layer: entities and domain only, so every command and query can use it.
use crate::domain::dto::{initials, DealCard, PipelineRef, StageRef};
use crate::domain::error::AppError;
use crate::ssr::db_err;
use crate::ssr::entity::{account as account_e, approval, deal, deal_key_info, pipeline, stage, user as user_e};
use chrono::Utc;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use std::collections::{HashMap, HashSet};

pub fn stage_ref(s: &stage::Model) -> StageRef {
    StageRef {
        id: s.uuid,
        name_en: s.name_en.clone(),
        name_zh: s.name_zh.clone(),
        position: s.position,
        win_rate_pct: s.win_rate_pct,
        kind: s.kind.clone(),
    }
}

pub fn pipeline_ref(p: &pipeline::Model) -> PipelineRef {
    PipelineRef { id: p.uuid, name_en: p.name_en.clone(), name_zh: p.name_zh.clone() }
}

/// How many ids one `IN (…)` carries: SQLite refuses a statement with more than 32,766
/// variables, and a list of every deal's owner or account can be longer.
pub const ID_CHUNK: usize = 500;

/// Rows of `E` whose `col` is one of `ids`, looked up `ID_CHUNK` ids at a time: the one way
/// internal lookups of a list of any length query by id.
pub async fn find_in<C, E, T>(db: &C, col: E::Column, ids: &[T]) -> Result<Vec<E::Model>, AppError>
where
    C: ConnectionTrait,
    E: EntityTrait,
    T: Into<sea_orm::Value> + Clone,
{
    let mut out = Vec::new();
    for chunk in ids.chunks(ID_CHUNK) {
        out.extend(E::find().filter(col.is_in(chunk.iter().cloned())).all(db).await.map_err(db_err)?);
    }
    Ok(out)
}

/// Display names of users by internal id: one query for a whole page of rows.
pub async fn user_names<C: ConnectionTrait>(db: &C, ids: Vec<i32>) -> Result<HashMap<i32, String>, AppError> {
    let rows = find_in::<_, user_e::Entity, _>(db, user_e::Column::Id, &ids).await?;
    Ok(rows.into_iter().map(|u| (u.id, u.name)).collect())
}

/// An active user by id, or a 422 naming the form's `field`: who may own, follow up or join
/// something is always someone still working here.
pub async fn active_user<C: ConnectionTrait>(db: &C, id: uuid::Uuid, field: &str) -> Result<user_e::Model, AppError> {
    user_e::Entity::find()
        .filter(user_e::Column::Uuid.eq(id))
        .filter(user_e::Column::Active.eq(true))
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or_else(|| AppError::validation(field, "no such active user"))
}

/// Account names by internal id, likewise.
pub async fn account_names<C: ConnectionTrait>(db: &C, ids: Vec<i32>) -> Result<HashMap<i32, String>, AppError> {
    let rows = find_in::<_, account_e::Entity, _>(db, account_e::Column::Id, &ids).await?;
    Ok(rows.into_iter().map(|a| (a.id, a.name)).collect())
}

/// Cards for deals already loaded, with names, completeness and pending approvals resolved
/// in one query per table.
/// The effective status of each deal's newest live quote revision (one statement on the
/// quotes' deal index; superseded revisions never count).
async fn latest_quotes<C: ConnectionTrait>(db: &C, deal_ids: &[i32]) -> Result<HashMap<i32, crate::domain::quote::QuoteStatus>, AppError> {
    use crate::domain::quote::{effective, QuoteStatus};
    use crate::ssr::entity::quote;
    use sea_orm::{QueryOrder, QuerySelect};
    if deal_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(i32, String, chrono::NaiveDate)> = quote::Entity::find()
        .select_only()
        .column(quote::Column::DealId)
        .column(quote::Column::Status)
        .column(quote::Column::ValidUntil)
        .filter(quote::Column::DealId.is_in(deal_ids.to_vec()))
        .filter(quote::Column::Status.ne(QuoteStatus::Superseded.as_str()))
        .order_by_asc(quote::Column::Id)
        .into_tuple()
        .all(db)
        .await
        .map_err(db_err)?;
    let today = Utc::now().with_timezone(&crate::domain::forecast::offset()).date_naive();
    Ok(rows.into_iter().filter_map(|(d, s, v)| Some((d, effective(QuoteStatus::parse(&s)?, v, today)))).collect())
}

pub async fn cards<C: ConnectionTrait>(
    db: &C,
    deals: Vec<deal::Model>,
    stages: &HashMap<i32, stage::Model>,
) -> Result<Vec<DealCard>, AppError> {
    let ids: Vec<i32> = deals.iter().map(|d| d.id).collect();
    let acct_ids: Vec<i32> = deals.iter().map(|d| d.account_id).collect();
    let owner_ids: Vec<i32> = deals.iter().map(|d| d.owner_id).collect();
    let accounts = account_names(db, acct_ids).await?;
    let owners = user_names(db, owner_ids).await?;
    let complete: HashMap<i32, i16> = deal_key_info::Entity::find()
        .filter(deal_key_info::Column::DealId.is_in(ids.clone()))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|k| (k.deal_id, k.complete))
        .collect();
    let quotes = latest_quotes(db, &ids).await?;
    let objections = open_objections(db, &ids).await?;
    let pending: HashSet<i32> = approval::Entity::find()
        .filter(approval::Column::DealId.is_in(ids))
        .filter(approval::Column::Status.eq("pending"))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|a| a.deal_id)
        .collect();
    let now = Utc::now();
    Ok(deals
        .into_iter()
        .map(|d| {
            let owner = owners.get(&d.owner_id).cloned().unwrap_or_default();
            let st = stages.get(&d.stage_id);
            DealCard {
                id: d.uuid,
                account: accounts.get(&d.account_id).cloned().unwrap_or_default(),
                owner_initials: initials(&owner),
                owner,
                amount_fen: d.amount_fen,
                currency: d.currency.clone(),
                close_date: d.close_date,
                stage_id: st.map(|s| s.uuid).unwrap_or_default(),
                days_in_stage: (now - d.stage_entered_at).num_days().max(0),
                stuck_days: st.map_or(0, |s| s.stuck_days),
                key_complete: complete.get(&d.id).copied().unwrap_or(0).clamp(0, 6) as u8,
                pending_approval: pending.contains(&d.id),
                quote_status: quotes.get(&d.id).copied(),
                // A closed deal's unanswered objections are history, not a warning.
                open_objections: if st.is_some_and(|s| s.kind == "open") { objections.get(&d.id).copied().unwrap_or(0) } else { 0 },
                version: d.version,
                name: d.name,
            }
        })
        .collect())
}

/// Objection statuses still in the way of a deal (open, or answered without agreement).
pub const UNRESOLVED_OBJECTIONS: [&str; 2] =
    [crate::domain::objection::Status::Open.code(), crate::domain::objection::Status::Answered.code()];

/// Unresolved objections per deal, in one grouped statement (board cards, the deal header).
pub async fn open_objections<C: ConnectionTrait>(db: &C, deal_ids: &[i32]) -> Result<HashMap<i32, u32>, AppError> {
    if deal_ids.is_empty() {
        return Ok(HashMap::new());
    }
    use sea_orm::QuerySelect;
    let rows: Vec<(i32, i64)> = crate::ssr::entity::objection::Entity::find()
        .select_only()
        .column(crate::ssr::entity::objection::Column::DealId)
        .column_as(crate::ssr::entity::objection::Column::Id.count(), "n")
        .filter(crate::ssr::entity::objection::Column::DealId.is_in(deal_ids.iter().copied()))
        .filter(crate::ssr::entity::objection::Column::Status.is_in(UNRESOLVED_OBJECTIONS))
        .group_by(crate::ssr::entity::objection::Column::DealId)
        .into_tuple()
        .all(db)
        .await
        .map_err(db_err)?;
    Ok(rows.into_iter().map(|(d, n)| (d, u32::try_from(n).unwrap_or(u32::MAX))).collect())
}

/// Whole deal rows by id, for lists that show a few deals' names and links (chunked so a long
/// list stays under the databases' parameter limits).
pub async fn deals_by_id<C: ConnectionTrait>(db: &C, ids: impl IntoIterator<Item = i32>) -> Result<HashMap<i32, deal::Model>, AppError> {
    let ids: Vec<i32> = ids.into_iter().collect();
    let mut out = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(5_000) {
        for d in deal::Entity::find().filter(deal::Column::Id.is_in(chunk.to_vec())).all(db).await.map_err(db_err)? {
            out.insert(d.id, d);
        }
    }
    Ok(out)
}
