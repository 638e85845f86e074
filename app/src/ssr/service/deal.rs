//! Deals: listing and the per-stage summary (the board and the gate arrive with issue 3).
use super::access::deal_visibility;
use super::mapping::stage_ref;
use super::{like_pattern, paging};
use crate::domain::access::DealAction;
use crate::domain::dto::{weighted_fen, DealPage, DealPatch, DealRow, NewDeal, PipelineSummary, StageSummary};
use crate::domain::error::AppError;
use crate::ssr::context::RequestContext;
use crate::ssr::db::Db;
use crate::ssr::db_err;
use crate::ssr::entity::{account, deal, pipeline, stage, team, user};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait};
use std::collections::HashMap;

pub async fn list(db: &Db, ctx: &RequestContext, search: Option<String>, page: u64, per_page: u64) -> Result<DealPage, AppError> {
    let (page, per_page) = paging(page, per_page);
    let mut cond = Condition::all().add(deal_visibility(&ctx.visibility));
    if let Some(q) = search.as_deref().filter(|q| !q.trim().is_empty()) {
        let pat = like_pattern(q);
        let account_ids =
            account::Entity::find().select_only().column(account::Column::Id).filter(account::Column::Name.like(pat.clone())).into_query();
        cond = cond.add(Condition::any().add(deal::Column::Name.like(pat)).add(deal::Column::AccountId.in_subquery(account_ids)));
    }
    let base = deal::Entity::find().filter(cond);
    let total = base.clone().count(db).await.map_err(db_err)?;
    let sum_amount_fen: Option<f64> = base
        .clone()
        .select_only()
        .column_as(Expr::cust(crate::ssr::sql::sum_real("amount_fen")), "s")
        .into_tuple()
        .one(db)
        .await
        .map_err(db_err)?;
    // Open deals first (what a team works on), then won/lost; each by close date.
    let deals = base
        .order_by_asc(Expr::cust("CASE WHEN stage_id IN (SELECT id FROM stages WHERE kind = 'open') THEN 0 ELSE 1 END"))
        .order_by_asc(deal::Column::CloseDate)
        .order_by_asc(deal::Column::Id)
        .offset((page - 1) * per_page)
        .limit(per_page)
        .all(db)
        .await
        .map_err(db_err)?;
    let rows = hydrate_rows(db, deals).await?;
    Ok(DealPage {
        rows,
        total,
        page,
        per_page,
        sum_amount_fen: sum_amount_fen.map_or(0, crate::ssr::sql::saturate),
        today: chrono::Utc::now().date_naive(),
    })
}

/// Resolves the names behind a page of deals with one query per table (no N+1).
async fn hydrate_rows(db: &Db, deals: Vec<deal::Model>) -> Result<Vec<DealRow>, AppError> {
    let ids = |f: fn(&deal::Model) -> i32| {
        let mut v: Vec<i32> = deals.iter().map(f).collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let accounts = super::account_names(db, ids(|d| d.account_id)).await?;
    let users = super::user_names(db, ids(|d| d.owner_id)).await?;
    let teams: HashMap<i32, String> = team::Entity::find()
        .filter(team::Column::Id.is_in(ids(|d| d.team_id)))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect();
    let stages: HashMap<i32, stage::Model> = stage::Entity::find()
        .filter(stage::Column::Id.is_in(ids(|d| d.stage_id)))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let mut rows = Vec::with_capacity(deals.len());
    for d in deals {
        let Some(s) = stages.get(&d.stage_id) else {
            tracing::error!(deal = d.id, stage = d.stage_id, "deal points at a missing stage");
            return Err(AppError::Internal);
        };
        rows.push(DealRow {
            id: d.uuid,
            name: d.name,
            account: accounts.get(&d.account_id).cloned().unwrap_or_default(),
            owner: users.get(&d.owner_id).cloned().unwrap_or_default(),
            team: teams.get(&d.team_id).cloned().unwrap_or_default(),
            stage: stage_ref(s),
            amount_fen: d.amount_fen,
            currency: d.currency,
            close_date: d.close_date,
        });
    }
    Ok(rows)
}

/// Count, amount and weighted amount per stage of the default pipeline, summed by the
/// database over the deals this user may see (exact at any size).
pub async fn pipeline_summary(db: &Db, ctx: &RequestContext) -> Result<PipelineSummary, AppError> {
    let p = pipeline::Entity::find()
        .order_by_desc(pipeline::Column::IsDefault)
        .order_by_asc(pipeline::Column::Position)
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or(AppError::NotFound)?;
    let stages = stage::Entity::find()
        .filter(stage::Column::PipelineId.eq(p.id))
        .order_by_asc(stage::Column::Position)
        .all(db)
        .await
        .map_err(db_err)?;
    let by_stage = super::totals::stage_sums(db, p.id, &ctx.visibility, Default::default()).await?;
    let stages = stages
        .iter()
        .map(|s| {
            let (n, a) = by_stage.get(&s.id).copied().unwrap_or((0, 0));
            // Every deal of a stage shares its win rate, so Σ(amount) × rate is exact.
            StageSummary { stage: stage_ref(s), count: n.max(0) as u64, amount_fen: a, weighted_fen: weighted_fen(a, s.win_rate_pct) }
        })
        .collect();
    Ok(PipelineSummary { pipeline_name_en: p.name_en, pipeline_name_zh: p.name_zh, stages })
}

/// One deal the user may see, as a row (NotFound otherwise).
pub async fn one(db: &Db, ctx: &RequestContext, id: uuid::Uuid) -> Result<DealRow, AppError> {
    let d = super::access::visible_deal(db, ctx, id).await?;
    hydrate_rows(db, vec![d]).await?.pop().ok_or(AppError::NotFound)
}

/// The deal page's timeline: the newest [`HISTORY_PAGE_MAX`] rows of the deal's history.
pub async fn history(db: &Db, ctx: &RequestContext, id: uuid::Uuid) -> Result<Vec<crate::domain::dto::HistoryRow>, AppError> {
    Ok(history_page(db, ctx, id, None, HISTORY_PAGE_MAX).await?.rows)
}

pub const HISTORY_PAGE_DEFAULT: u64 = 200;
pub const HISTORY_PAGE_MAX: u64 = 500;

/// One page of a deal's history, newest first; `older` is the cursor of the next page.
pub struct HistoryPage {
    pub rows: Vec<crate::domain::dto::HistoryRow>,
    pub older: Option<i64>,
}

/// A page of the deal's history, newest first, older than the row `before` (the previous
/// page's `older`). Keyset on (at, id), the order itself: pages stay whole while moves land.
pub async fn history_page(db: &Db, ctx: &RequestContext, id: uuid::Uuid, before: Option<i64>, limit: u64) -> Result<HistoryPage, AppError> {
    use crate::ssr::entity::deal_history;
    if !(1..=HISTORY_PAGE_MAX).contains(&limit) {
        return Err(AppError::validation("limit", format!("must be 1–{HISTORY_PAGE_MAX}")));
    }
    let d = super::access::visible_deal(db, ctx, id).await?;
    let mut q = deal_history::Entity::find().filter(deal_history::Column::DealId.eq(d.id));
    if let Some(b) = before {
        let not_here = || AppError::validation("before", "is not a history row of this deal");
        let b = i32::try_from(b).map_err(|_| not_here())?;
        let cursor = deal_history::Entity::find_by_id(b)
            .filter(deal_history::Column::DealId.eq(d.id))
            .one(db)
            .await
            .map_err(db_err)?
            .ok_or_else(not_here)?;
        q = q.filter(
            Condition::any()
                .add(deal_history::Column::At.lt(cursor.at))
                .add(Condition::all().add(deal_history::Column::At.eq(cursor.at)).add(deal_history::Column::Id.lt(cursor.id))),
        );
    }
    let mut rows =
        q.order_by_desc(deal_history::Column::At).order_by_desc(deal_history::Column::Id).limit(limit + 1).all(db).await.map_err(db_err)?;
    let more = rows.len() as u64 > limit;
    rows.truncate(limit as usize);
    let older = if more { rows.last().map(|h| i64::from(h.id)) } else { None };
    let actor_ids: Vec<i32> = rows.iter().filter_map(|h| h.actor_id).collect();
    let actors = super::user_names(db, actor_ids).await?;
    let stages: HashMap<i32, stage::Model> = stage::Entity::find()
        .filter(stage::Column::PipelineId.eq(d.pipeline_id))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let rows = rows
        .into_iter()
        .map(|h| crate::domain::dto::HistoryRow {
            at: h.at,
            actor: h.actor_id.and_then(|a| actors.get(&a).cloned()),
            kind: h.kind,
            from_stage: h.from_stage_id.and_then(|s| stages.get(&s)).map(stage_ref),
            to_stage: h.to_stage_id.and_then(|s| stages.get(&s)).map(stage_ref),
            old_amount_fen: h.old_amount_fen,
            new_amount_fen: h.new_amount_fen,
            old_close_date: h.old_close_date,
            new_close_date: h.new_close_date,
            note: h.note,
        })
        .collect();
    Ok(HistoryPage { rows, older })
}

/// Amount and expected close date, versioned; each change is appended to the history.
pub async fn update_facts(
    db: &Db,
    ctx: &RequestContext,
    id: uuid::Uuid,
    amount_fen: i64,
    close_date: chrono::NaiveDate,
    version: i32,
) -> Result<i32, AppError> {
    let p = DealPatch { version, amount_fen: Some(amount_fen), close_date: Some(close_date), ..Default::default() };
    Ok(patch(db, ctx, id, p).await?.version)
}

/// Every field edit of a deal (form, REST PATCH, import): one transaction, guarded by the
/// version, each tracked change appended to the history, running totals kept exact.
/// A category as typed: None untouched, Some(None) cleared, Some(Some(code)) set. Only the
/// open categories are a choice ("won" and "lost" follow from the stage).
fn category_choice(field: &str, raw: Option<&str>) -> Result<Option<Option<String>>, AppError> {
    match raw.map(str::trim) {
        None => Ok(None),
        Some("") => Ok(Some(None)),
        Some(c) if crate::domain::forecast::ForecastCategory::parse(c).is_some_and(|c| c.is_choice()) => Ok(Some(Some(c.to_owned()))),
        Some(_) => Err(AppError::validation(field, "use commit, best_case, next_quarter or pipeline")),
    }
}

pub async fn patch(db: &Db, ctx: &RequestContext, id: uuid::Uuid, p: DealPatch) -> Result<deal::Model, AppError> {
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    let (before, after) = patch_in(&w.txn, ctx, id, p).await?;
    w.commit().await.map_err(db_err)?;
    crate::ssr::events::publish_deal(db, "deal_updated", &before, ctx.user_id).await;
    Ok(after)
}

/// [`patch`] inside a caller's write transaction (accepting a quote sets the amount in the
/// same transaction); the caller commits and announces. Returns the deal before and after.
pub async fn patch_in(
    txn: &sea_orm::DatabaseTransaction,
    ctx: &RequestContext,
    id: uuid::Uuid,
    p: DealPatch,
) -> Result<(deal::Model, deal::Model), AppError> {
    use crate::domain::history::HistoryKind;
    use sea_orm::sea_query::ExprTrait;
    use sea_orm::ActiveValue::Set;
    let name = p.name.as_deref().map(|n| crate::domain::validate::required("name", n, 200)).transpose()?;
    p.amount_fen.map(|a| crate::domain::validate::amount_fen("amount", a)).transpose()?;
    p.close_date.map(|c| crate::domain::validate::date("close_date", c)).transpose()?;
    let category = category_choice("forecast_category", p.forecast_category.as_deref())?;
    let adjusted = category_choice("manager_category", p.manager_category.as_deref())?;
    let winner = p.winner.map(|w| crate::domain::validate::optional("winner", Some(w), 200)).transpose()?;
    let lost_reason = p.lost_reason.map(|w| crate::domain::validate::optional("lost_reason", Some(w), 500)).transpose()?;
    let d = deal::Entity::find().filter(deal::Column::Uuid.eq(id)).one(txn).await.map_err(db_err)?.ok_or(AppError::NotFound)?;
    // The manager's category is a forecast judgement (managers, general managers); every
    // other field is a change to the deal.
    // A field sent with its current value changes nothing (the deal page sends the whole
    // form, and a general manager may use it for the adjustment alone).
    let changes_deal = name.as_ref().is_some_and(|n| *n != d.name)
        || p.amount_fen.is_some_and(|a| a != d.amount_fen)
        || p.close_date.is_some_and(|c| c != d.close_date)
        || category.as_ref().is_some_and(|c| *c != d.forecast_category)
        || winner.as_ref().is_some_and(|w| *w != d.winner)
        || lost_reason.as_ref().is_some_and(|l| *l != d.lost_reason)
        || p.key_info.is_some()
        || p.owner.is_some();
    if changes_deal || adjusted.is_none() {
        super::access::check(txn, ctx, &d, DealAction::Edit).await?;
    }
    if adjusted.is_some() {
        super::access::check(txn, ctx, &d, DealAction::AdjustForecast).await?;
    }
    if d.version != p.version {
        return Err(super::history::changed_meanwhile(txn, d.id).await);
    }
    // A new owner, or the same owner now in another team (the deal follows them there).
    let new_owner = match p.owner {
        Some(o) => Some(new_owner(txn, ctx, o, d.owner_id).await?).filter(|(u, t)| u.id != d.owner_id || *t != d.team_id),
        None => None,
    };
    let now = chrono::Utc::now();
    let mut after = d.clone();
    let mut q = deal::Entity::update_many()
        .col_expr(deal::Column::UpdatedAt, Expr::value(now))
        .col_expr(deal::Column::Version, Expr::col(deal::Column::Version).add(1));
    if let Some(n) = name {
        q = q.col_expr(deal::Column::Name, Expr::value(n.clone()));
        after.name = n;
    }
    if let Some(a) = p.amount_fen {
        q = q.col_expr(deal::Column::AmountFen, Expr::value(a));
        after.amount_fen = a;
    }
    if let Some(c) = p.close_date {
        q = q.col_expr(deal::Column::CloseDate, Expr::value(c));
        after.close_date = c;
    }
    if let Some(c) = category.clone() {
        q = q.col_expr(deal::Column::ForecastCategory, Expr::value(c.clone()));
        after.forecast_category = c;
    }
    if let Some(c) = adjusted {
        q = q.col_expr(deal::Column::ManagerCategory, Expr::value(c.clone()));
        after.manager_category = c;
    }
    if let Some(wn) = winner {
        q = q.col_expr(deal::Column::Winner, Expr::value(wn.clone()));
        after.winner = wn;
    }
    if let Some(lr) = lost_reason {
        q = q.col_expr(deal::Column::LostReason, Expr::value(lr.clone()));
        after.lost_reason = lr;
    }
    if let Some((o, team_id)) = &new_owner {
        q = q.col_expr(deal::Column::OwnerId, Expr::value(o.id)).col_expr(deal::Column::TeamId, Expr::value(*team_id));
        after.owner_id = o.id;
        after.team_id = *team_id;
        // The deal's progress parts leave the old owner (read through the row as it still is).
        super::totals::move_progress(txn, d.id, -1).await?;
    }
    let res = q.filter(deal::Column::Id.eq(d.id)).filter(deal::Column::Version.eq(p.version)).exec(txn).await.map_err(db_err)?;
    if res.rows_affected != 1 {
        return Err(super::history::changed_meanwhile(txn, d.id).await);
    }
    after.version += 1;
    after.updated_at = now;
    super::totals::record(txn, Some(&d), Some(&after)).await?;
    if let Some((o, team_id)) = &new_owner {
        super::totals::move_progress(txn, d.id, 1).await?;
        if o.id == d.owner_id {
            follow_owner(txn, ctx, &d, *team_id, now).await?;
        } else {
            hand_over(txn, ctx, &d, o, now).await?;
        }
        if *team_id != d.team_id {
            super::movement::follow_team(txn, &d, &after).await?;
        }
    }
    let mut base = super::history::row(d.id, ctx.user_id, HistoryKind::AmountChanged);
    base.at = Set(now);
    // What an amount or close-date change makes in progress depends on the deal's stage.
    let deal_stage: Vec<crate::domain::forecast::Stage> = if d.amount_fen != after.amount_fen || d.close_date != after.close_date {
        stage::Entity::find_by_id(d.stage_id).one(txn).await.map_err(db_err)?.iter().map(super::convert::stage_fact).collect()
    } else {
        Vec::new()
    };
    if d.amount_fen != after.amount_fen {
        let mut h = base.clone();
        h.kind = Set(HistoryKind::AmountChanged.as_str().into());
        h.old_amount_fen = Set(Some(d.amount_fen));
        h.new_amount_fen = Set(Some(after.amount_fen));
        // Amount first, then close date: the replay applies them in id order.
        let h = super::history::with_state(h, d.stage_id, after.amount_fen, d.close_date, d.stage_entered_at);
        super::history::append_value(txn, h, after.team_id, after.owner_id, &deal_stage).await?;
    }
    if d.close_date != after.close_date {
        let mut h = base.clone();
        h.kind = Set(HistoryKind::CloseDateChanged.as_str().into());
        h.old_close_date = Set(Some(d.close_date));
        h.new_close_date = Set(Some(after.close_date));
        let h = super::history::with_state(h, d.stage_id, after.amount_fen, after.close_date, d.stage_entered_at);
        super::history::append_value(txn, h, after.team_id, after.owner_id, &deal_stage).await?;
    }
    if d.forecast_category != after.forecast_category {
        let mut h = base.clone();
        h.kind = Set(HistoryKind::CategoryChanged.as_str().into());
        h.note =
            Set(Some(format!("{} → {}", d.forecast_category.as_deref().unwrap_or("-"), after.forecast_category.as_deref().unwrap_or("-"))));
        super::history::append(txn, h).await?;
    }
    if d.manager_category != after.manager_category {
        let mut h = base.clone();
        h.kind = Set(HistoryKind::CategoryAdjusted.as_str().into());
        h.note =
            Set(Some(format!("{} → {}", d.manager_category.as_deref().unwrap_or("-"), after.manager_category.as_deref().unwrap_or("-"))));
        super::history::append(txn, h).await?;
    }
    if let Some(patch) = p.key_info {
        let (current, _) = super::movement::load_key_info(txn, d.id).await?;
        let merged = crate::domain::keyinfo::merge_patch(&current, &patch).map_err(|m| AppError::validation("key_info", m))?;
        super::keyinfo::write(txn, ctx.user_id, &d, &merged, super::keyinfo::Guard::Deal, now).await?;
    }
    Ok((d, after))
}

/// The user a deal is handed to, with the team it moves to: active (unless it is the current
/// owner, whose deal follows them to their team), in a team, and someone the caller may assign
/// deals to (the same rule as choosing the owner of a new deal).
async fn new_owner(
    txn: &sea_orm::DatabaseTransaction,
    ctx: &RequestContext,
    id: uuid::Uuid,
    current: i32,
) -> Result<(user::Model, i32), AppError> {
    let u = user::Entity::find()
        .filter(user::Column::Uuid.eq(id))
        .one(txn)
        .await
        .map_err(db_err)?
        .filter(|u| u.active || u.id == current)
        .ok_or_else(|| AppError::validation("owner", "no such active user"))?;
    let team_id = u.team_id.ok_or_else(|| AppError::validation("owner", "the new owner has no team"))?;
    if !crate::domain::access::may_assign(&super::access::actor(ctx), u.id, team_id) {
        return Err(AppError::validation("owner", "you may not assign deals to this user"));
    }
    Ok((u, team_id))
}

/// The rest of a change of owner: the deal team's owner row moves to the new owner (the old
/// owner leaves the team), the history says who had it, and the cached trend points go (whose
/// figures a deal is in changed; the history does not replay that).
async fn hand_over(
    txn: &sea_orm::DatabaseTransaction,
    ctx: &RequestContext,
    d: &deal::Model,
    to: &user::Model,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), AppError> {
    use crate::domain::access::TeamRole;
    use crate::domain::history::HistoryKind;
    use crate::ssr::entity::deal_member;
    use sea_orm::ActiveValue::Set;
    deal_member::Entity::delete_many()
        .filter(deal_member::Column::DealId.eq(d.id))
        .filter(deal_member::Column::UserId.is_in([d.owner_id, to.id]))
        .exec(txn)
        .await
        .map_err(db_err)?;
    deal_member::Entity::insert(deal_member::ActiveModel {
        deal_id: Set(d.id),
        user_id: Set(to.id),
        role: Set(TeamRole::Owner.as_str().into()),
        created_at: Set(now),
    })
    .exec_without_returning(txn)
    .await
    .map_err(db_err)?;
    let from = user::Entity::find_by_id(d.owner_id).one(txn).await.map_err(db_err)?.map(|u| u.name).unwrap_or_default();
    let mut h = super::history::row(d.id, ctx.user_id, HistoryKind::OwnerChanged);
    h.at = Set(now);
    h.note = Set(Some(format!("{from} → {}", to.name)));
    super::history::append(txn, h).await?;
    super::totals::forget_points(txn).await
}

/// The rest of a deal following its owner to their new team: the history says from which team
/// to which, and the cached trend points go (as for a change of hands).
async fn follow_owner(
    txn: &sea_orm::DatabaseTransaction,
    ctx: &RequestContext,
    d: &deal::Model,
    to_team: i32,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), AppError> {
    use crate::domain::history::HistoryKind;
    use crate::ssr::entity::team;
    use sea_orm::ActiveValue::Set;
    let teams = team::Entity::find().filter(team::Column::Id.is_in([d.team_id, to_team])).all(txn).await.map_err(db_err)?;
    let name = |id: i32| teams.iter().find(|t| t.id == id).map(|t| t.name.clone()).unwrap_or_default();
    let (from, to) = (name(d.team_id), name(to_team));
    let mut h = super::history::row(d.id, ctx.user_id, HistoryKind::TeamChanged);
    h.at = Set(now);
    h.note = Set(Some(format!("{from} → {to}")));
    super::history::append(txn, h).await?;
    super::totals::forget_points(txn).await
}

/// Creates a deal in the first open stage of its pipeline, with its owner as a member and a
/// "created" history row (the replay of the past starts there).
pub async fn create(db: &Db, ctx: &RequestContext, new: NewDeal) -> Result<deal::Model, AppError> {
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    let d = create_in(&w.txn, ctx, new).await?;
    w.commit().await.map_err(db_err)?;
    crate::ssr::events::publish_deal(db, "deal_created", &d, ctx.user_id).await;
    Ok(d)
}

/// The create inside the caller's write transaction (an import's batch); the caller
/// publishes the event after its commit.
pub(crate) async fn create_in<C: sea_orm::ConnectionTrait>(db: &C, ctx: &RequestContext, new: NewDeal) -> Result<deal::Model, AppError> {
    use crate::domain::history::HistoryKind;
    use crate::ssr::entity::deal_member;
    use sea_orm::ActiveValue::Set;
    if crate::domain::access::reads_only(ctx.role) {
        return Err(AppError::Forbidden);
    }
    let name = crate::domain::validate::required("name", &new.name, 200)?;
    crate::domain::validate::amount_fen("amount", new.amount_fen)?;
    crate::domain::validate::date("close_date", new.close_date)?;
    let currency = new.currency.as_deref().map(str::trim).filter(|c| !c.is_empty()).unwrap_or("CNY").to_uppercase();
    if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_alphabetic()) {
        return Err(AppError::validation("currency", "a three-letter ISO code such as CNY"));
    }
    let acct = super::account::visible(db, ctx, new.account).await.map_err(|_| AppError::validation("account", "no such account"))?;
    let p = match new.pipeline {
        Some(u) => pipeline::Entity::find().filter(pipeline::Column::Uuid.eq(u)).one(db).await.map_err(db_err)?,
        None => pipeline::Entity::find()
            .order_by_desc(pipeline::Column::IsDefault)
            .order_by_asc(pipeline::Column::Position)
            .one(db)
            .await
            .map_err(db_err)?,
    }
    .ok_or_else(|| AppError::validation("pipeline", "no such pipeline"))?;
    let first = stage::Entity::find()
        .filter(stage::Column::PipelineId.eq(p.id))
        .filter(stage::Column::Kind.eq("open"))
        .order_by_asc(stage::Column::Position)
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or(AppError::Internal)?;
    let owner = match new.owner {
        None => user::Entity::find_by_id(ctx.user_id).one(db).await.map_err(db_err)?,
        Some(u) => user::Entity::find().filter(user::Column::Uuid.eq(u)).one(db).await.map_err(db_err)?,
    }
    .ok_or_else(|| AppError::validation("owner", "no such user"))?;
    let team_id = owner.team_id.ok_or_else(|| AppError::validation("owner", "the owner has no team"))?;
    // Reps own their deals; managers assign within their teams; admins anywhere.
    if !crate::domain::access::may_assign(&super::access::actor(ctx), owner.id, team_id) {
        return Err(AppError::validation("owner", "you may not assign deals to this user"));
    }
    let now = chrono::Utc::now();
    let txn = db;
    let uuid = uuid::Uuid::new_v4();
    let id = deal::Entity::insert(deal::ActiveModel {
        uuid: Set(uuid),
        name: Set(name),
        account_id: Set(acct.id),
        owner_id: Set(owner.id),
        team_id: Set(team_id),
        pipeline_id: Set(p.id),
        stage_id: Set(first.id),
        amount_fen: Set(new.amount_fen),
        currency: Set(currency),
        close_date: Set(new.close_date),
        forecast_category: Set(None),
        lost_reason: Set(None),
        winner: Set(None),
        stage_entered_at: Set(now),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    })
    .exec(txn)
    .await
    .map_err(db_err)?
    .last_insert_id;
    deal_member::Entity::insert(deal_member::ActiveModel {
        deal_id: Set(id),
        user_id: Set(owner.id),
        role: Set(crate::domain::access::TeamRole::Owner.as_str().into()),
        created_at: Set(now),
    })
    .exec_without_returning(txn)
    .await
    .map_err(db_err)?;
    let mut created = super::history::row(id, ctx.user_id, HistoryKind::Created);
    created.at = Set(now);
    created.to_stage_id = Set(Some(first.id));
    created.new_amount_fen = Set(Some(new.amount_fen));
    created.new_close_date = Set(Some(new.close_date));
    let created = super::history::with_state(created, first.id, new.amount_fen, new.close_date, now);
    super::history::append_value(txn, created, team_id, owner.id, &[super::convert::stage_fact(&first)]).await?;
    let d = deal::Entity::find_by_id(id).one(txn).await.map_err(db_err)?.ok_or(AppError::Internal)?;
    super::totals::record(txn, None, Some(&d)).await?;
    Ok(d)
}

/// A deal as a card (names, completeness, pending approval), for API answers.
pub async fn card(db: &Db, d: deal::Model) -> Result<crate::domain::dto::DealCard, AppError> {
    let st = stage::Entity::find_by_id(d.stage_id).one(db).await.map_err(db_err)?.ok_or(AppError::Internal)?;
    let stages = HashMap::from([(st.id, st)]);
    super::mapping::cards(db, vec![d], &stages).await?.pop().ok_or(AppError::Internal)
}

pub async fn facts(db: &Db, ctx: &RequestContext, id: uuid::Uuid) -> Result<crate::domain::dto::DealFacts, AppError> {
    use crate::domain::forecast::{default_category, StageKind};
    let d = deal::Entity::find().filter(deal::Column::Uuid.eq(id)).one(db).await.map_err(db_err)?.ok_or(AppError::NotFound)?;
    let team = super::access::check_with_team(db, ctx, &d, DealAction::View).await?;
    let st = stage::Entity::find_by_id(d.stage_id).one(db).await.map_err(db_err)?.ok_or(AppError::Internal)?;
    let kind = StageKind::parse(&st.kind).unwrap_or(StageKind::Open);
    let default = default_category(kind, st.win_rate_pct, d.close_date, chrono::Utc::now().date_naive());
    Ok(crate::domain::dto::DealFacts {
        amount_fen: d.amount_fen,
        close_date: d.close_date,
        version: d.version,
        stage_kind: st.kind,
        default_category: default.as_str().to_owned(),
        can_adjust: super::access::allows(ctx, DealAction::AdjustForecast, &d, &team),
        can_edit: super::access::allows(ctx, DealAction::Edit, &d, &team),
        can_quote: super::access::allows(ctx, DealAction::Quote, &d, &team),
        forecast_category: d.forecast_category,
        manager_category: d.manager_category,
        winner: d.winner,
        lost_reason: d.lost_reason,
    })
}

/// A page of deals for the REST API, keyset-paginated on the internal id (the cursor is
/// opaque to clients).
pub async fn api_page(
    db: &Db,
    ctx: &RequestContext,
    pipeline: Option<uuid::Uuid>,
    stage_id: Option<uuid::Uuid>,
    owner: Option<uuid::Uuid>,
    after: Option<i32>,
    limit: u64,
) -> Result<(Vec<crate::domain::dto::DealCard>, Option<i32>), AppError> {
    use crate::ssr::entity::pipeline as pipeline_e;
    let mut cond = Condition::all().add(deal_visibility(&ctx.visibility));
    if let Some(p) = pipeline {
        let id = pipeline_e::Entity::find().filter(pipeline_e::Column::Uuid.eq(p)).one(db).await.map_err(db_err)?.map_or(-1, |p| p.id);
        cond = cond.add(deal::Column::PipelineId.eq(id));
    }
    if let Some(s) = stage_id {
        let id = stage::Entity::find().filter(stage::Column::Uuid.eq(s)).one(db).await.map_err(db_err)?.map_or(-1, |s| s.id);
        cond = cond.add(deal::Column::StageId.eq(id));
    }
    if let Some(o) = owner {
        let id = user::Entity::find().filter(user::Column::Uuid.eq(o)).one(db).await.map_err(db_err)?.map_or(-1, |u| u.id);
        cond = cond.add(deal::Column::OwnerId.eq(id));
    }
    if let Some(a) = after {
        cond = cond.add(deal::Column::Id.gt(a));
    }
    let limit = limit.clamp(1, 500);
    let rows = deal::Entity::find().filter(cond).order_by_asc(deal::Column::Id).limit(limit + 1).all(db).await.map_err(db_err)?;
    let more = rows.len() as u64 > limit;
    let rows: Vec<deal::Model> = rows.into_iter().take(limit as usize).collect();
    let next = if more { rows.last().map(|d| d.id) } else { None };
    let stage_ids: Vec<i32> = rows.iter().map(|d| d.stage_id).collect();
    let stages: HashMap<i32, stage::Model> = stage::Entity::find()
        .filter(stage::Column::Id.is_in(stage_ids))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    Ok((super::mapping::cards(db, rows, &stages).await?, next))
}

/// Win rates by stage uuid, for wire types that carry the weighted amount.
pub async fn win_rates(db: &Db) -> Result<HashMap<uuid::Uuid, (i32, String)>, AppError> {
    Ok(stage::Entity::find().all(db).await.map_err(db_err)?.into_iter().map(|s| (s.uuid, (s.win_rate_pct, s.kind))).collect())
}

pub async fn pipelines(db: &Db) -> Result<Vec<(crate::ssr::entity::pipeline::Model, Vec<stage::Model>)>, AppError> {
    use crate::ssr::entity::pipeline as pipeline_e;
    let ps = pipeline_e::Entity::find().order_by_asc(pipeline_e::Column::Position).all(db).await.map_err(db_err)?;
    let mut out = Vec::with_capacity(ps.len());
    for p in ps {
        let st = stage::Entity::find()
            .filter(stage::Column::PipelineId.eq(p.id))
            .order_by_asc(stage::Column::Position)
            .all(db)
            .await
            .map_err(db_err)?;
        out.push((p, st));
    }
    Ok(out)
}
