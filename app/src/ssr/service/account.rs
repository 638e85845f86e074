//! Accounts: the minimal list (the full accounts module comes later).
use super::{deal_visibility, like_pattern, paging};
use crate::domain::dto::{AccountPage, AccountRow};
use crate::domain::error::AppError;
use crate::ssr::context::RequestContext;
use crate::ssr::db_err;
use crate::ssr::entity::{account, contact, deal, stage, team};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait};
use std::collections::HashMap;

/// Accounts of the user's teams, plus the accounts of any deal the user may see.
fn account_visibility(ctx: &RequestContext) -> Condition {
    let v = &ctx.visibility;
    if v.all {
        return Condition::all();
    }
    let visible_deal_accounts = deal::Entity::find().select_only().column(deal::Column::AccountId).filter(deal_visibility(v)).into_query();
    let mut c = Condition::any().add(account::Column::Id.in_subquery(visible_deal_accounts));
    if !v.team_ids.is_empty() {
        c = c.add(account::Column::TeamId.is_in(v.team_ids.clone()));
    }
    c
}

pub async fn list(
    db: &DatabaseConnection,
    ctx: &RequestContext,
    search: Option<String>,
    page: u64,
    per_page: u64,
) -> Result<AccountPage, AppError> {
    let (page, per_page) = paging(page, per_page);
    let mut cond = Condition::all().add(account_visibility(ctx));
    if let Some(q) = search.as_deref().filter(|q| !q.trim().is_empty()) {
        let pat = like_pattern(q);
        cond = cond.add(
            Condition::any()
                .add(account::Column::Name.like(pat.clone()))
                .add(account::Column::Industry.like(pat.clone()))
                .add(account::Column::City.like(pat)),
        );
    }
    let base = account::Entity::find().filter(cond);
    let total = base.clone().count(db).await.map_err(db_err)?;
    let accounts = base.order_by_asc(account::Column::Name).offset((page - 1) * per_page).limit(per_page).all(db).await.map_err(db_err)?;
    let ids: Vec<i32> = accounts.iter().map(|a| a.id).collect();
    let contacts: HashMap<i32, i64> = contact::Entity::find()
        .select_only()
        .column(contact::Column::AccountId)
        .column_as(Expr::cust("CAST(COUNT(*) AS BIGINT)"), "n")
        .filter(contact::Column::AccountId.is_in(ids.clone()))
        .group_by(contact::Column::AccountId)
        .into_tuple::<(i32, i64)>()
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .collect();
    let open_stage_ids = stage::Entity::find().select_only().column(stage::Column::Id).filter(stage::Column::Kind.eq("open")).into_query();
    let open: HashMap<i32, i64> = deal::Entity::find()
        .select_only()
        .column(deal::Column::AccountId)
        .column_as(Expr::cust("CAST(COUNT(*) AS BIGINT)"), "n")
        .filter(deal::Column::AccountId.is_in(ids))
        .filter(deal::Column::StageId.in_subquery(open_stage_ids))
        .filter(deal_visibility(&ctx.visibility))
        .group_by(deal::Column::AccountId)
        .into_tuple::<(i32, i64)>()
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .collect();
    let owner_ids: Vec<i32> = accounts.iter().map(|a| a.owner_id).collect();
    let users = super::user_names(db, owner_ids).await?;
    let teams: HashMap<i32, String> = team::Entity::find().all(db).await.map_err(db_err)?.into_iter().map(|t| (t.id, t.name)).collect();
    let rows = accounts
        .into_iter()
        .map(|a| AccountRow {
            id: a.uuid,
            contacts: contacts.get(&a.id).copied().unwrap_or(0).max(0) as u64,
            open_deals: open.get(&a.id).copied().unwrap_or(0).max(0) as u64,
            owner: users.get(&a.owner_id).cloned().unwrap_or_default(),
            team: teams.get(&a.team_id).cloned().unwrap_or_default(),
            name: a.name,
            industry: a.industry,
            city: a.city,
            headcount: a.headcount,
            revenue_fen: a.revenue_fen,
        })
        .collect();
    Ok(AccountPage { rows, total, page, per_page })
}
