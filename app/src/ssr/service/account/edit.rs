//! Editing an account, versioned: the pure rule checks the fields and names what changed,
//! the owner moves only as a manager within their teams or an admin decides (the account's
//! team follows its owner), the row is written under the version read, and the account's
//! history gets one row saying which fields went from what to what. A refused or stale edit
//! writes nothing.
use super::visible;
use crate::domain::account::dto::AccountView;
use crate::domain::account::profile::{apply, diff, AccountEvent, AccountPatch, Change, Facts, Field, Iso9000, Profile};
use crate::domain::account::LeadSource;
use crate::domain::error::AppError;
use crate::domain::locale::Locale;
use crate::ssr::context::RequestContext;
use crate::ssr::db::Db;
use crate::ssr::db_err;
use crate::ssr::entity::account;
use crate::ssr::service::access;
use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

/// The account's editable facts, codes parsed (an unknown stored code reads as "not known").
pub(crate) fn facts(a: &account::Model) -> Facts {
    Facts {
        name: a.name.clone(),
        industry: a.industry.clone(),
        city: a.city.clone(),
        headcount: a.headcount,
        revenue_fen: a.revenue_fen,
        profit_fen: a.profit_fen,
        profile: Profile {
            main_products: a.main_products.clone(),
            iso9000: a.iso9000.as_deref().and_then(Iso9000::parse),
            bpr_under_way: a.bpr_under_way,
            plant_move_planned: a.plant_move_planned,
            big_investment_planned: a.big_investment_planned,
            item_codes: a.item_codes,
            computerised: a.computerised,
            current_systems: a.current_systems.clone(),
            lead_source: a.lead_source.as_deref().and_then(LeadSource::parse),
            territory: a.territory.clone(),
            initial_need: a.initial_need.clone(),
        },
    }
}

pub async fn edit(db: &Db, ctx: &RequestContext, id: uuid::Uuid, patch: AccountPatch, version: i32) -> Result<AccountView, AppError> {
    access::require_account_editor(ctx)?;
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    let a = visible(&*w, ctx, id).await?;
    if a.version != version {
        return Err(AppError::Conflict);
    }
    let before = facts(&a);
    let after = apply(&before, &patch).map_err(|e| AppError::validation(e.field().code(), e.message(Locale::En)))?;
    let mut changes = diff(&before, &after);
    let mut owner: Option<(i32, i32)> = None;
    if let Some(o) = patch.owner {
        let u = crate::ssr::service::mapping::active_user(&*w, o, "owner").await?;
        if u.id != a.owner_id {
            let team = u.team_id.ok_or_else(|| AppError::validation("owner", "has no team to own accounts"))?;
            access::require_account_owner_change(ctx, u.id, team)?;
            let names = crate::ssr::service::user_names(&*w, vec![a.owner_id]).await?;
            changes.push(Change { field: Field::Owner, from: names.get(&a.owner_id).cloned(), to: Some(u.name.clone()) });
            owner = Some((u.id, team));
        }
    }
    if changes.is_empty() {
        // Nothing changed: no new version, no history row.
        drop(w);
        return super::get(db, ctx, id).await;
    }
    let p = &after.profile;
    let mut u = account::Entity::update_many()
        .col_expr(account::Column::Name, Expr::value(after.name.clone()))
        .col_expr(account::Column::Industry, Expr::value(after.industry.clone()))
        .col_expr(account::Column::City, Expr::value(after.city.clone()))
        .col_expr(account::Column::Headcount, Expr::value(after.headcount))
        .col_expr(account::Column::RevenueFen, Expr::value(after.revenue_fen))
        .col_expr(account::Column::ProfitFen, Expr::value(after.profit_fen))
        .col_expr(account::Column::MainProducts, Expr::value(p.main_products.clone()))
        .col_expr(account::Column::Iso9000, Expr::value(p.iso9000.map(|x| x.code().to_owned())))
        .col_expr(account::Column::BprUnderWay, Expr::value(p.bpr_under_way))
        .col_expr(account::Column::PlantMovePlanned, Expr::value(p.plant_move_planned))
        .col_expr(account::Column::BigInvestmentPlanned, Expr::value(p.big_investment_planned))
        .col_expr(account::Column::ItemCodes, Expr::value(p.item_codes))
        .col_expr(account::Column::Computerised, Expr::value(p.computerised))
        .col_expr(account::Column::CurrentSystems, Expr::value(p.current_systems.clone()))
        .col_expr(account::Column::LeadSource, Expr::value(p.lead_source.map(|x| x.code().to_owned())))
        .col_expr(account::Column::Territory, Expr::value(p.territory.clone()))
        .col_expr(account::Column::InitialNeed, Expr::value(p.initial_need.clone()))
        .col_expr(account::Column::UpdatedAt, Expr::value(Utc::now()))
        .col_expr(account::Column::Version, Expr::col(account::Column::Version).add(1));
    if let Some((owner_id, team_id)) = owner {
        // The account belongs to its owner's team, as on creation.
        u = u.col_expr(account::Column::OwnerId, Expr::value(owner_id)).col_expr(account::Column::TeamId, Expr::value(team_id));
    }
    let res = u.filter(account::Column::Id.eq(a.id)).filter(account::Column::Version.eq(version)).exec(&*w).await.map_err(db_err)?;
    if res.rows_affected != 1 {
        return Err(AppError::Conflict);
    }
    super::history::append(&*w, a.id, ctx.user_id, AccountEvent::Edited, &changes, None).await?;
    w.commit().await.map_err(db_err)?;
    // The old team hears of it, and the new one when the account changed hands.
    let change = crate::ssr::events::AccountChange::Updated;
    crate::ssr::events::publish_account(db, change, &a, ctx.user_id).await;
    if let Some((_, team_id)) = owner.filter(|(_, t)| *t != a.team_id) {
        crate::ssr::events::publish_account_of(db, change, a.uuid, team_id, ctx.user_id).await;
    }
    super::get(db, ctx, id).await
}
