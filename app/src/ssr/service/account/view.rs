//! One account whole: the profile, its grade and the grade's history, its contacts, and the
//! deals on it the viewer sees.
use super::{contacts::row as contact_row, visible};
use crate::domain::account::dto::{AccountDeal, AccountView, GradeEntry};
use crate::domain::account::grading::{Answers, Reason};
use crate::domain::account::Grade;
use crate::domain::dto::Choice;
use crate::domain::error::AppError;
use crate::ssr::context::RequestContext;
use crate::ssr::db_err;
use crate::ssr::entity::{account_follow_up, account_grade, contact, deal, stage, team, user};
use crate::ssr::service::access::deal_visibility;
use crate::ssr::service::user_names;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;

/// The most deals an account page lists (a customer with more is a programme, not an account).
const MAX_DEALS: u64 = 200;

fn entry(g: account_grade::Model, names: &HashMap<i32, String>) -> Option<GradeEntry> {
    Some(GradeEntry {
        grade: Grade::parse(&g.grade)?,
        suggested: Grade::parse(&g.suggested)?,
        decided_by: serde_json::from_str::<Vec<String>>(&g.reasons).unwrap_or_default().iter().filter_map(|r| Reason::parse(r)).collect(),
        answers: serde_json::from_str::<Answers>(&g.answers).ok(),
        override_reason: g.override_reason,
        by: names.get(&g.decided_by).cloned().unwrap_or_default(),
        at: g.decided_at,
    })
}

/// Whom the viewer may make an account's owner: nobody unless they assign others (a manager:
/// the active people of the teams they run; an admin: everyone active with a team).
async fn owner_choices<C: ConnectionTrait>(db: &C, ctx: &RequestContext) -> Result<Vec<Choice>, AppError> {
    use crate::domain::access::may_assign_others;
    if !may_assign_others(ctx.role) {
        return Ok(Vec::new());
    }
    let mut q = user::Entity::find().filter(user::Column::Active.eq(true)).filter(user::Column::TeamId.is_not_null());
    if !ctx.visibility.all {
        q = q.filter(user::Column::TeamId.is_in(ctx.visibility.team_ids.clone()));
    }
    Ok(q.order_by_asc(user::Column::Name)
        .limit(500)
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|u| Choice { id: u.uuid, name: u.name })
        .collect())
}

pub async fn get<C: ConnectionTrait>(db: &C, ctx: &RequestContext, id: uuid::Uuid) -> Result<AccountView, AppError> {
    let a = visible(db, ctx, id).await?;
    let grades = account_grade::Entity::find()
        .filter(account_grade::Column::AccountId.eq(a.id))
        .order_by_desc(account_grade::Column::Id)
        .limit(50)
        .all(db)
        .await
        .map_err(db_err)?;
    let contacts = contact::Entity::find()
        .filter(contact::Column::AccountId.eq(a.id))
        .order_by_asc(contact::Column::Name)
        .all(db)
        .await
        .map_err(db_err)?;
    let deals = deal::Entity::find()
        .filter(deal::Column::AccountId.eq(a.id))
        .filter(deal_visibility(&ctx.visibility))
        .order_by_asc(deal::Column::CloseDate)
        .limit(MAX_DEALS)
        .all(db)
        .await
        .map_err(db_err)?;
    let stages: HashMap<i32, stage::Model> = stage::Entity::find()
        .filter(stage::Column::Id.is_in(deals.iter().map(|d| d.stage_id).collect::<Vec<_>>()))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let people = grades.iter().map(|g| g.decided_by).chain(deals.iter().map(|d| d.owner_id)).chain([a.owner_id]).collect();
    let names = user_names(db, people).await?;
    let revisits = super::revisit::rows(db, a.id).await?;
    let open_follow_ups = account_follow_up::Entity::find()
        .filter(account_follow_up::Column::AccountId.eq(a.id))
        .filter(account_follow_up::Column::DoneOn.is_null())
        .order_by_asc(account_follow_up::Column::DueOn)
        .all(db)
        .await
        .map_err(db_err)?;
    let follow_ups = super::revisit::follow_up_rows(db, open_follow_ups).await?;
    let people = user::Entity::find()
        .filter(user::Column::TeamId.eq(a.team_id))
        .filter(user::Column::Active.eq(true))
        .order_by_asc(user::Column::Name)
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|u| Choice { id: u.uuid, name: u.name })
        .collect();
    let team = team::Entity::find_by_id(a.team_id).one(db).await.map_err(db_err)?.map(|t| t.name).unwrap_or_default();
    let mut deals: Vec<AccountDeal> = deals
        .into_iter()
        .map(|d| {
            let s = stages.get(&d.stage_id);
            AccountDeal {
                id: d.uuid,
                name: d.name,
                stage: s.map(|s| s.name_en.clone()).unwrap_or_default(),
                stage_zh: s.map(|s| s.name_zh.clone()).unwrap_or_default(),
                kind: s.map(|s| s.kind.clone()).unwrap_or_default(),
                amount_fen: d.amount_fen,
                close_date: d.close_date,
                owner: names.get(&d.owner_id).cloned().unwrap_or_default(),
            }
        })
        .collect();
    // Open deals first; each group by close date (the query's order).
    deals.sort_by_key(|d| d.kind != "open");
    let target = super::target::fit(&super::target::policy(db).await?, &a);
    let profile = super::edit::facts(&a).profile;
    let history = super::history::rows(db, a.id).await?;
    let owners = owner_choices(db, ctx).await?;
    let owner_id = user::Entity::find_by_id(a.owner_id).one(db).await.map_err(db_err)?.map(|u| u.uuid).unwrap_or_default();
    Ok(AccountView {
        profile,
        history,
        owners,
        owner_id,
        may_merge: crate::domain::access::may_merge_accounts(ctx.role),
        id: a.uuid,
        name: a.name,
        industry: a.industry,
        city: a.city,
        headcount: a.headcount,
        revenue_fen: a.revenue_fen,
        profit_fen: a.profit_fen,
        target,
        owner: names.get(&a.owner_id).cloned().unwrap_or_default(),
        team,
        grade: a.grade.as_deref().and_then(Grade::parse),
        grade_since: a.grade_since,
        grades: grades.into_iter().filter_map(|g| entry(g, &names)).collect(),
        contacts: contacts.into_iter().map(|c| contact_row(c, a.uuid)).collect(),
        deals,
        last_contact_on: a.last_contact_on,
        next_contact_on: a.next_contact_on,
        contact_status: super::cadence::contact_status(a.next_contact_on),
        revisits,
        follow_ups,
        cadence: super::cadence::policy(db).await?,
        people,
        may_edit: crate::domain::access::may_edit_accounts(ctx.role),
        version: a.version,
    })
}
