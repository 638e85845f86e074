//! Drill-downs: the deals behind one figure of the dashboard.
use super::{
    bucket_code, cached_history, deal_cols, deal_of, deal_rows, history_figures, progress_items_summed, scope_condition, scope_key,
    week_start, DealCols, PAGE,
};
use crate::domain::dashboard::{Drill, DrillPage, DrillRow};
use crate::domain::error::AppError;
use crate::domain::forecast as f;
use crate::domain::forecast::offset;
use crate::ssr::context::RequestContext;
use crate::ssr::db::Db;
use crate::ssr::db_err;
use crate::ssr::entity::{deal, stage, user};
use crate::ssr::service::convert::stage_fact;
use crate::ssr::service::mapping::stage_ref;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;

/// The deals behind one figure of the dashboard, all of them (CSV export, tests).
pub async fn drill(db: &Db, ctx: &RequestContext, what: &Drill) -> Result<Vec<DrillRow>, AppError> {
    Ok(drill_page(db, ctx, what, usize::MAX).await?.rows)
}

/// Signed-outside-the-funnel deals the dashboard lists (the latest wins); a generated book of
/// 1M deals has thousands, and reading and rendering them all took 150-200 ms.
pub const UNFUNNELED_SHOWN: usize = 10;

/// Rows a drill-down page shows at most (the totals count them all; the CSV has them all).
pub const DRILL_ROWS: usize = 1_000;

/// The deals behind one figure, by close date: totals over all, full rows for the first `limit`.
/// Reads only the deals the figure can contain: one stage, one owner, one close-date range,
/// the deals that changed this week, the signed-outside-funnel list.
pub async fn drill_page(db: &Db, ctx: &RequestContext, what: &Drill, limit: usize) -> Result<DrillPage, AppError> {
    let now = Utc::now();
    let today = f::local_date(now, offset());
    let scope = f::Scope::quarter(today, offset());
    let stage_rows = stage::Entity::find().all(db).await.map_err(db_err)?;
    let stage_facts: Vec<f::Stage> = stage_rows.iter().map(stage_fact).collect();
    let of_kind = |k: f::StageKind| stage_rows.iter().filter(|s| k.matches(&s.kind)).map(|s| s.id).collect::<Vec<_>>();
    let mut deltas: HashMap<i32, i64> = HashMap::new();
    // A category can hold most of the book: its totals are summed by the database and only
    // the rows shown are read (all open deals took 12 s for "pipeline" at 1M).
    let mut sums = None;
    let deals: Vec<f::Deal> = match what {
        Drill::Stage(u) => {
            let sid = stage_rows.iter().find(|s| s.uuid == *u).map_or(-1, |s| s.id);
            load_deals_where(db, ctx, Condition::all().add(deal::Column::StageId.eq(sid))).await?
        }
        Drill::Owner(u) => {
            let id = user::Entity::find().filter(user::Column::Uuid.eq(*u)).one(db).await.map_err(db_err)?.map_or(-1, |u| u.id);
            load_deals_where(db, ctx, Condition::all().add(deal::Column::OwnerId.eq(id))).await?
        }
        Drill::Bucket(b) if b == "won" => {
            load_deals_where(db, ctx, Condition::all().add(deal::Column::StageId.is_in(of_kind(f::StageKind::Won)))).await?
        }
        Drill::Bucket(b) => {
            let (lo, hi) = crate::domain::dto::bucket_bounds(b, today).ok_or(AppError::NotFound)?;
            let mut c = Condition::all().add(deal::Column::StageId.is_in(of_kind(f::StageKind::Open)));
            if let Some(lo) = lo {
                c = c.add(deal::Column::CloseDate.gt(lo));
            }
            if let Some(hi) = hi {
                c = c.add(deal::Column::CloseDate.lte(hi));
            }
            load_deals_where(db, ctx, c).await?
        }
        Drill::Category(c) => {
            let cond = category_condition(&stage_rows, f::ForecastCategory::parse(c), today, scope.period_start);
            sums = Some(deal_sums(db, ctx, &stage_rows, cond.clone()).await?);
            first_deals_where(db, ctx, cond, limit).await?
        }
        Drill::Progress(kind) => {
            deltas = progress_items_summed(db, ctx, week_start(now), now, kind).await?;
            load_deals_by_id(db, ctx, &deltas.keys().copied().collect::<Vec<_>>()).await?
        }
        Drill::Unfunneled => {
            let h = match cached_history(db, &scope_key(ctx), today) {
                Some(h) => h,
                None => history_figures(db, ctx).await?,
            };
            load_deals_by_id(db, ctx, &h.unfunneled.iter().map(|u| u.deal_id).collect::<Vec<_>>()).await?
        }
    };
    let facts = f::deal_facts(&deals, &stage_facts, today, scope.period_start);
    let fact_of: HashMap<i32, &f::DealFact> = facts.iter().map(|x| (x.deal_id, x)).collect();
    let mut picked: Vec<&f::Deal> = match what {
        Drill::Bucket(b) => deals.iter().filter(|d| fact_of.get(&d.id).is_some_and(|x| bucket_code(x.bucket) == b)).collect(),
        Drill::Category(c) => deals.iter().filter(|d| fact_of.get(&d.id).is_some_and(|x| x.category.effective.as_str() == c)).collect(),
        Drill::Stage(_) | Drill::Owner(_) => deals.iter().filter(|d| fact_of.contains_key(&d.id)).collect(),
        Drill::Progress(_) | Drill::Unfunneled => deals.iter().collect(),
    };
    picked.sort_by_key(|d| (d.close_date, d.id));
    let rate = |d: &f::Deal| stage_facts.iter().find(|s| s.id == d.stage_id).map_or(0, |s| s.win_rate_pct);
    let weighted =
        |d: &f::Deal| fact_of.get(&d.id).map_or_else(|| crate::domain::dto::weighted_fen(d.amount_fen, rate(d)), |x| x.weighted_fen);
    let (total, amount_fen, weighted_fen) = sums.unwrap_or_else(|| {
        (picked.len() as u64, picked.iter().map(|d| d.amount_fen).fold(0, i64::saturating_add), picked.iter().map(|d| weighted(d)).sum())
    });
    picked.truncate(limit);
    let ids: Vec<i32> = picked.iter().map(|d| d.id).collect();
    let rows = deal_rows(db, &ids).await?;
    let accounts = crate::ssr::service::account_names(db, rows.values().map(|d| d.account_id).collect()).await?;
    let owners = crate::ssr::service::user_names(db, rows.values().map(|d| d.owner_id).collect()).await?;
    let stages: HashMap<i32, &stage::Model> = stage_rows.iter().map(|s| (s.id, s)).collect();
    let rows = picked
        .into_iter()
        .filter_map(|fd| {
            let d = rows.get(&fd.id)?;
            let s = stages.get(&d.stage_id)?;
            Some(DrillRow {
                id: d.uuid,
                name: d.name.clone(),
                account: accounts.get(&d.account_id).cloned().unwrap_or_default(),
                owner: owners.get(&d.owner_id).cloned().unwrap_or_default(),
                stage: stage_ref(s),
                amount_fen: d.amount_fen,
                weighted_fen: weighted(fd),
                close_date: d.close_date,
                category: fact_of.get(&fd.id).map(|x| x.category.effective.as_str().to_owned()).unwrap_or_default(),
                delta_fen: deltas.get(&fd.id).copied(),
            })
        })
        .collect();
    Ok(DrillPage { rows, total, amount_fen, weighted_fen })
}

/// The deals whose effective category is `cat` today, as SQL: a manager's choice, else the
/// owner's, else the default of the stage's win rate and the close date
/// ([`f::default_category`], [`f::category_view`]); won: won since `won_since`. A test proves
/// it equal to the domain's facts.
fn category_condition(
    stage_rows: &[stage::Model],
    cat: Option<f::ForecastCategory>,
    today: NaiveDate,
    won_since: DateTime<Utc>,
) -> Condition {
    use f::ForecastCategory as C;
    let ids = |keep: &dyn Fn(&stage::Model) -> bool| stage_rows.iter().filter(|s| keep(s)).map(|s| s.id).collect::<Vec<_>>();
    let open = |s: &stage::Model| f::StageKind::Open.matches(&s.kind);
    let (this_end, next_end) = (f::quarter_end(today), f::quarter_end(f::add_months(f::quarter_start(today), 3)));
    let rated = |keep: &dyn Fn(i32) -> bool| deal::Column::StageId.is_in(ids(&|s| open(s) && keep(s.win_rate_pct)));
    let commit = Condition::all().add(rated(&|r| r >= f::COMMIT_MIN_PCT)).add(deal::Column::CloseDate.lte(this_end));
    let best =
        Condition::all().add(rated(&|r| (f::HOPEFUL_MIN_PCT..f::COMMIT_MIN_PCT).contains(&r))).add(deal::Column::CloseDate.lte(this_end));
    let next = Condition::all()
        .add(rated(&|r| r >= f::HOPEFUL_MIN_PCT))
        .add(deal::Column::CloseDate.gt(this_end))
        .add(deal::Column::CloseDate.lte(next_end));
    let by_default = match cat {
        // Won this quarter, as the figures count them ([`f::deal_facts`]).
        Some(C::Won) => {
            return Condition::all()
                .add(deal::Column::StageId.is_in(ids(&|s| f::StageKind::Won.matches(&s.kind))))
                .add(deal::Column::StageEnteredAt.gte(won_since))
        }
        Some(C::Lost) => return Condition::all().add(deal::Column::StageId.is_in(ids(&|s| f::StageKind::Lost.matches(&s.kind)))),
        None => return Condition::all().add(Expr::cust("1 = 0")),
        Some(C::Commit) => commit,
        Some(C::BestCase) => best,
        Some(C::NextQuarter) => next,
        Some(C::Pipeline) => Condition::any().add(commit).add(best).add(next).not(),
    };
    let code = cat.map_or("", |c| c.as_str());
    let choice = |col: &str| format!("COALESCE({col}, '') IN ('commit', 'best_case', 'next_quarter', 'pipeline')");
    let (mgr, own) = (choice("manager_category"), choice("forecast_category"));
    Condition::all().add(deal::Column::StageId.is_in(ids(&open))).add(
        Condition::any()
            .add(Condition::all().add(Expr::cust(mgr.clone())).add(deal::Column::ManagerCategory.eq(code)))
            .add(
                Condition::all()
                    .add(Expr::cust(format!("NOT ({mgr})")))
                    .add(Expr::cust(own.clone()))
                    .add(deal::Column::ForecastCategory.eq(code)),
            )
            .add(Condition::all().add(Expr::cust(format!("NOT ({mgr})"))).add(Expr::cust(format!("NOT ({own})"))).add(by_default)),
    )
}

/// Count, amount and weighted (open: amount × the stage's rate, rounded per deal; won: the
/// amount) of the viewer's deals matching `extra`, summed by the database.
async fn deal_sums<C: ConnectionTrait>(
    db: &C,
    ctx: &RequestContext,
    stage_rows: &[stage::Model],
    extra: Condition,
) -> Result<(u64, i64, i64), AppError> {
    let mut weighted = String::from("CASE stage_id");
    for s in stage_rows.iter().filter(|s| f::StageKind::Open.matches(&s.kind)) {
        let r = s.win_rate_pct;
        weighted.push_str(&format!(
            " WHEN {id} THEN (CASE WHEN amount_fen > {max} OR amount_fen < 0 THEN CAST(amount_fen AS DOUBLE PRECISION) * {r} / 100 \
             ELSE (amount_fen * {r} + 50) / 100 END)",
            max = crate::domain::validate::MAX_FEN,
            id = s.id
        ));
    }
    weighted.push_str(" ELSE amount_fen END");
    // Float sums: one stored amount near i64::MAX must not fail the figure for everyone.
    let (n, amount, weighted): (i64, f64, f64) = deal::Entity::find()
        .select_only()
        .column_as(Expr::cust("CAST(COUNT(*) AS BIGINT)"), "n")
        .column_as(Expr::cust(crate::ssr::sql::sum_real("amount_fen")), "amount")
        .column_as(Expr::cust(crate::ssr::sql::sum_real(&weighted)), "weighted")
        .filter(scope_condition(ctx))
        .filter(extra)
        .into_tuple()
        .one(db)
        .await
        .map_err(db_err)?
        .unwrap_or((0, 0.0, 0.0));
    Ok((u64::try_from(n).unwrap_or(0), crate::ssr::sql::saturate(amount), crate::ssr::sql::saturate(weighted.round())))
}

/// The first `limit` of the viewer's deals matching `extra` by (close date, id).
async fn first_deals_where<C: ConnectionTrait>(
    db: &C,
    ctx: &RequestContext,
    extra: Condition,
    limit: usize,
) -> Result<Vec<f::Deal>, AppError> {
    Ok(deal_cols()
        .filter(scope_condition(ctx))
        .filter(extra)
        .order_by_asc(deal::Column::CloseDate)
        .order_by_asc(deal::Column::Id)
        .limit(u64::try_from(limit).unwrap_or(u64::MAX).min(i64::MAX as u64))
        .into_model::<DealCols>()
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(deal_of)
        .collect())
}

/// The deals in the viewer's scope matching `extra`, in keyset pages (see [`PAGE`]).
async fn load_deals_where<C: ConnectionTrait>(db: &C, ctx: &RequestContext, extra: Condition) -> Result<Vec<f::Deal>, AppError> {
    let mut deals = Vec::new();
    let mut last = i32::MIN;
    loop {
        let page: Vec<DealCols> = deal_cols()
            .filter(scope_condition(ctx))
            .filter(extra.clone())
            .filter(deal::Column::Id.gt(last))
            .order_by_asc(deal::Column::Id)
            .limit(PAGE)
            .into_model::<DealCols>()
            .all(db)
            .await
            .map_err(db_err)?;
        let Some(tail) = page.last() else { break };
        last = tail.id;
        let full = page.len() as u64 == PAGE;
        deals.extend(page.into_iter().map(deal_of));
        if !full {
            break;
        }
    }
    Ok(deals)
}

/// The deals with these ids that the viewer's figures count.
async fn load_deals_by_id<C: ConnectionTrait>(db: &C, ctx: &RequestContext, ids: &[i32]) -> Result<Vec<f::Deal>, AppError> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(5_000) {
        out.extend(load_deals_where(db, ctx, Condition::all().add(deal::Column::Id.is_in(chunk.to_vec()))).await?);
    }
    Ok(out)
}
