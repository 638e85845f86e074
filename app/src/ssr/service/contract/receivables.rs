//! Receivables: what signed contracts the viewer sees still owe, by age, by customer, by
//! owner and by team, what the viewer's own deals owe, this quarter's billing against its
//! receipts, and the milestones behind a bucket.
use super::today;
use crate::domain::contract::dto::{MyReceivables, OverdueCustomer, ReceivableRow, Receivables, TeamReceivable};
use crate::domain::contract::{ageing, ContractStatus, MilestoneKind};
use crate::domain::error::AppError;
use crate::domain::forecast::{quarter_end, quarter_start};
use crate::ssr::context::RequestContext;
use crate::ssr::db::Db;
use crate::ssr::db_err;
use crate::ssr::entity::{contract, contract_milestone, contract_receipt, team};
use crate::ssr::service::{access, account_names, mapping, user_names};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

/// Signed contracts on visible deals, with their milestones.
async fn signed<C: ConnectionTrait>(
    db: &C,
    ctx: &RequestContext,
) -> Result<(Vec<contract::Model>, Vec<contract_milestone::Model>), AppError> {
    let ks = contract::Entity::find()
        .filter(contract::Column::DealId.in_subquery(access::visible_deal_ids(ctx)))
        .filter(contract::Column::Status.eq(ContractStatus::Signed.as_str()))
        .all(db)
        .await
        .map_err(db_err)?;
    let mut ms = Vec::new();
    let ids: Vec<i32> = ks.iter().map(|k| k.id).collect();
    for chunk in ids.chunks(500) {
        ms.extend(
            contract_milestone::Entity::find()
                .filter(contract_milestone::Column::ContractId.is_in(chunk.to_vec()))
                .order_by_asc(contract_milestone::Column::Position)
                .all(db)
                .await
                .map_err(db_err)?,
        );
    }
    Ok((ks, ms))
}

/// The age bucket of a milestone: `not_due`, `0_30`, `31_90`, `over_90`.
fn bucket(due_on: Option<chrono::NaiveDate>, today: chrono::NaiveDate) -> &'static str {
    match due_on.map(|d| (today - d).num_days()) {
        Some(days) if days > 90 => "over_90",
        Some(days) if days > 30 => "31_90",
        Some(days) if days > 0 => "0_30",
        _ => "not_due",
    }
}

pub async fn receivables(db: &Db, ctx: &RequestContext) -> Result<Receivables, AppError> {
    let today = today();
    let (ks, ms) = signed(db, ctx).await?;
    let (q0, q1) = (quarter_start(today), quarter_end(today));
    let items: Vec<_> = ms.iter().map(|m| (m.due_on, m.amount_fen, m.received_fen)).collect();
    let billed_quarter_fen =
        ms.iter().filter(|m| m.due_on.is_some_and(|d| d >= q0 && d <= q1)).map(|m| m.amount_fen).fold(0i64, i64::saturating_add);
    let ids: Vec<i32> = ks.iter().map(|k| k.id).collect();
    let mut received_quarter_fen = 0i64;
    for chunk in ids.chunks(500) {
        for r in contract_receipt::Entity::find()
            .filter(contract_receipt::Column::ContractId.is_in(chunk.to_vec()))
            .filter(contract_receipt::Column::ReceivedOn.gte(q0))
            .filter(contract_receipt::Column::ReceivedOn.lte(q1))
            .all(db)
            .await
            .map_err(db_err)?
        {
            received_quarter_fen = received_quarter_fen.saturating_add(r.amount_fen);
        }
    }
    let deals = mapping::deals_by_id(db, ks.iter().map(|k| k.deal_id)).await?;
    let by_contract: HashMap<i32, &contract::Model> = ks.iter().map(|k| (k.id, k)).collect();
    let teams: HashMap<i32, String> = team::Entity::find().all(db).await.map_err(db_err)?.into_iter().map(|t| (t.id, t.name)).collect();
    // Every team the viewer sees gets a row, one owing nothing too: all of them for those who
    // see all, else their own and managed teams. A deal of another team seen only as a member
    // of its deal team counts in the totals but makes no row: a row of one deal would pass for
    // that team's figure.
    let mut per_team: HashMap<i32, TeamReceivable> = HashMap::new();
    for t in teams.keys().copied().filter(|t| ctx.visibility.all || ctx.visibility.team_ids.contains(t)) {
        per_team.entry(t).or_default();
    }
    let mut mine = MyReceivables::default();
    let mut per_account: HashMap<i32, (i64, i64)> = HashMap::new();
    let mut per_owner: HashMap<i32, i64> = HashMap::new();
    for m in &ms {
        let open = (m.amount_fen - m.received_fen).max(0);
        if open == 0 {
            continue;
        }
        let Some(d) = by_contract.get(&m.contract_id).and_then(|k| deals.get(&k.deal_id)) else { continue };
        // Days past due; a milestone without a date (a trigger not yet met) is not due.
        let days = m.due_on.map_or(0, |due| (today - due).num_days());
        let mut spare = TeamReceivable::default();
        let t = per_team.get_mut(&d.team_id).unwrap_or(&mut spare);
        t.owed_fen = t.owed_fen.saturating_add(open);
        if d.owner_id == ctx.user_id {
            mine.owed_fen = mine.owed_fen.saturating_add(open);
        }
        if days <= 0 {
            continue;
        }
        t.overdue_fen = t.overdue_fen.saturating_add(open);
        if days > 90 {
            t.over_90_fen = t.over_90_fen.saturating_add(open);
        }
        if d.owner_id == ctx.user_id {
            mine.overdue_fen = mine.overdue_fen.saturating_add(open);
            mine.overdue_milestones = mine.overdue_milestones.saturating_add(1);
        }
        let e = per_account.entry(d.account_id).or_default();
        e.0 = e.0.saturating_add(open);
        e.1 = e.1.max(days);
        let o = per_owner.entry(d.owner_id).or_default();
        *o = o.saturating_add(open);
    }
    let accounts = account_names(db, per_account.keys().copied().collect()).await?;
    let owners = user_names(db, per_owner.keys().copied().collect()).await?;
    let owner_team: HashMap<i32, i32> = deals.values().map(|d| (d.owner_id, d.team_id)).collect();
    let mut top_overdue: Vec<OverdueCustomer> = per_account
        .into_iter()
        .map(|(a, (fen, days))| OverdueCustomer {
            account: accounts.get(&a).cloned().unwrap_or_default(),
            overdue_fen: fen,
            oldest_days: days,
        })
        .collect();
    top_overdue.sort_by(|a, b| b.overdue_fen.cmp(&a.overdue_fen).then(a.account.cmp(&b.account)));
    top_overdue.truncate(10);
    let mut by_owner: Vec<(String, String, i64)> = per_owner
        .into_iter()
        .map(|(u, fen)| {
            let team = owner_team.get(&u).and_then(|t| teams.get(t)).cloned().unwrap_or_default();
            (owners.get(&u).cloned().unwrap_or_default(), team, fen)
        })
        .collect();
    by_owner.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
    let mut by_team: Vec<TeamReceivable> =
        per_team.into_iter().map(|(t, row)| TeamReceivable { team: teams.get(&t).cloned().unwrap_or_default(), ..row }).collect();
    by_team.sort_by(|a, b| b.overdue_fen.cmp(&a.overdue_fen).then(b.owed_fen.cmp(&a.owed_fen)).then(a.team.cmp(&b.team)));
    Ok(Receivables { billed_quarter_fen, received_quarter_fen, ageing: ageing(&items, today), top_overdue, by_owner, by_team, mine })
}

/// The milestones with money owed, optionally of one age bucket (`not_due`, `0_30`,
/// `31_90`, `over_90`, or `overdue` for the last three), oldest due first.
pub async fn receivable_rows(db: &Db, ctx: &RequestContext, only: Option<String>) -> Result<Vec<ReceivableRow>, AppError> {
    if let Some(b) = only.as_deref() {
        if !["not_due", "0_30", "31_90", "over_90", "overdue"].contains(&b) {
            return Err(AppError::validation("bucket", "one of not_due, 0_30, 31_90, over_90, overdue"));
        }
    }
    let today = today();
    let (ks, ms) = signed(db, ctx).await?;
    let deals = mapping::deals_by_id(db, ks.iter().map(|k| k.deal_id)).await?;
    let accounts = account_names(db, deals.values().map(|d| d.account_id).collect()).await?;
    let owners = user_names(db, deals.values().map(|d| d.owner_id).collect()).await?;
    let teams: HashMap<i32, String> = team::Entity::find().all(db).await.map_err(db_err)?.into_iter().map(|t| (t.id, t.name)).collect();
    let by_contract: HashMap<i32, &contract::Model> = ks.iter().map(|k| (k.id, k)).collect();
    let mut out: Vec<ReceivableRow> = ms
        .iter()
        .filter(|m| m.received_fen < m.amount_fen)
        .filter(|m| {
            let b = bucket(m.due_on, today);
            match only.as_deref() {
                None => true,
                Some("overdue") => b != "not_due",
                Some(x) => b == x,
            }
        })
        .filter_map(|m| {
            let k = by_contract.get(&m.contract_id)?;
            let d = deals.get(&k.deal_id)?;
            Some(ReceivableRow {
                contract_id: k.uuid,
                number: k.number.clone(),
                account: accounts.get(&d.account_id).cloned().unwrap_or_default(),
                owner: owners.get(&d.owner_id).cloned().unwrap_or_default(),
                team: teams.get(&d.team_id).cloned().unwrap_or_default(),
                milestone: m.position,
                kind: MilestoneKind::parse(&m.name).unwrap_or(MilestoneKind::Other),
                due_on: m.due_on,
                due_fen: m.amount_fen,
                received_fen: m.received_fen,
                overdue_days: m.due_on.map(|d| (today - d).num_days().max(0)).unwrap_or(0),
            })
        })
        .collect();
    out.sort_by(|a, b| a.due_on.cmp(&b.due_on).then(a.number.cmp(&b.number)).then(a.milestone.cmp(&b.milestone)));
    Ok(out)
}
