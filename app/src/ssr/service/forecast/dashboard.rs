//! The executive dashboard: every figure of one page, read as a few summed queries.
use super::{
    bucket_code, deal_rows, history_for, load_cells, progress_fast, ramp_rows, scope_key, trend_instants, trend_points, trend_points_with,
    week_start, INLINE_HISTORY_DEALS, UNFUNNELED_SHOWN,
};
use crate::domain::dashboard::{CodeBar, Dashboard, DealLink, FunnelBar, Money3, RepRow, TrendPoint};
use crate::domain::error::AppError;
use crate::domain::forecast as f;
use crate::domain::forecast::offset;
use crate::ssr::context::RequestContext;
use crate::ssr::db_err;
use crate::ssr::entity::{deal, pipeline, quota, stage, team, user};
use crate::ssr::service::convert::stage_fact;
use crate::ssr::service::mapping::stage_ref;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;

fn add(a: &f::Totals, b: &f::Totals) -> Money3 {
    Money3 { count: a.count + b.count, amount_fen: a.amount_fen + b.amount_fen, weighted_fen: a.weighted_fen + b.weighted_fen }
}

pub async fn dashboard(db: &crate::ssr::db::Db, ctx: &RequestContext, pipeline_id: Option<uuid::Uuid>) -> Result<Dashboard, AppError> {
    dashboard_with(db, ctx, pipeline_id, INLINE_HISTORY_DEALS).await
}

/// [`dashboard`] with the book size up to which history figures are computed in the request.
pub async fn dashboard_with(
    db: &crate::ssr::db::Db,
    ctx: &RequestContext,
    pipeline_id: Option<uuid::Uuid>,
    inline_history_deals: u64,
) -> Result<Dashboard, AppError> {
    let now = Utc::now();
    let off = offset();
    let today = f::local_date(now, off);
    let (q_start, q_end) = (f::quarter_start(today), f::quarter_end(today));
    let year_ago = now - Duration::days(365);
    // Won deals count for the quarter, and for the average won deal over the last year
    // (from the first of the month a year ago: the cells know months).
    let year_ago_month = f::month_key(f::local_date(year_ago, off));
    let won_from_month = year_ago_month.min(f::month_key(q_start));
    let clock = std::time::Instant::now();
    let lap = |what: &str| tracing::debug!(target: "dealgate::dashboard", "{what} at {} ms", clock.elapsed().as_millis());
    let stage_rows = stage::Entity::find()
        .order_by_asc(stage::Column::PipelineId)
        .order_by_asc(stage::Column::Position)
        .all(db)
        .await
        .map_err(db_err)?;
    let stages: Vec<f::Stage> = stage_rows.iter().map(stage_fact).collect();
    let pipelines = pipeline::Entity::find().order_by_asc(pipeline::Column::Position).all(db).await.map_err(db_err)?;
    let p = match pipeline_id {
        Some(u) => pipelines.iter().find(|p| p.uuid == u),
        None => pipelines.iter().find(|p| p.is_default).or(pipelines.first()),
    }
    .ok_or(AppError::NotFound)?;
    let visible_users = visible_users(db, ctx).await?;
    // The three largest reads do not depend on each other: as tasks they run on both cores
    // (decoding rows is most of their cost, so polling them in one task would not overlap).
    let ramp = {
        let (db, ctx, stages, users) = (db.clone(), ctx.clone(), stages.clone(), visible_users.clone());
        tokio::spawn(async move { ramp_rows(&db, &ctx, &stages, &users, today).await })
    };
    let stuck = {
        let (db, ctx, stage_rows, pipeline_id) = (db.clone(), ctx.clone(), stage_rows.clone(), p.id);
        tokio::spawn(async move { stuck_counts(&db, &ctx, &stage_rows, pipeline_id, now).await })
    };
    let cells = load_cells(db, ctx, won_from_month).await?;
    let (stuck, ramp) = (joined(stuck.await)?, joined(ramp.await)?);
    lap("cells, stuck counts, ramp");
    let deals_in_scope = cells.iter().map(|c| u64::try_from(c.count).unwrap_or(0)).sum::<u64>();
    let history = history_for(db, ctx, today, deals_in_scope, inline_history_deals).await?;
    lap("history figures");
    let facts = f::cell_facts(&cells, &stages, today, f::month_key(q_start));
    let forecast_fen: i64 =
        facts.iter().filter(|x| x.kind == f::StageKind::Open && x.close_date <= q_end).map(|x| x.weighted_fen).fold(0, i64::saturating_add);
    let won_fen: i64 = facts.iter().filter(|x| x.kind == f::StageKind::Won).map(|x| x.amount_fen).fold(0, i64::saturating_add);

    // Funnel of the chosen pipeline with conversion, days, stuck and the ideal counts.
    let cycle = history.as_ref().map(|h| &h.cycle);
    let quotas: Vec<f::Quota> =
        quotas_in(db, q_start, q_end).await?.into_iter().filter(|q| visible_users.iter().any(|u| u.id == q.owner_id)).collect();
    let quota_fen: i64 = quotas.iter().map(|q| q.amount_fen).fold(0, i64::saturating_add);
    let (won_n, won_sum) = f::cell_facts(&cells, &stages, today, year_ago_month)
        .iter()
        .filter(|x| x.kind == f::StageKind::Won)
        .fold((0u64, 0i64), |(n, a), x| (n + x.count, a.saturating_add(x.amount_fen)));
    let avg_won_fen = if won_n == 0 { 0 } else { won_sum / won_n as i64 };
    let targets: Vec<f::ConversionTarget> = stage_rows
        .iter()
        .filter(|s| s.pipeline_id == p.id)
        .filter_map(|s| s.target_conversion_pct.map(|pct| f::ConversionTarget { from_stage_id: s.id, pct }))
        .collect();
    let remaining = (quota_fen - won_fen).max(0);
    let ideal = f::ideal_funnel(p.id, &stages, &targets, remaining, avg_won_fen, &facts);
    let mut funnel = Vec::new();
    for s in stage_rows.iter().filter(|s| s.pipeline_id == p.id && f::StageKind::Open.matches(&s.kind)) {
        let open: Vec<&f::DealFact> = facts.iter().filter(|x| x.stage_id == s.id).collect();
        let st = cycle.and_then(|c| c.stages.iter().find(|c| c.stage_id == s.id));
        funnel.push(FunnelBar {
            stage: stage_ref(s),
            totals: Money3 {
                count: open.iter().map(|x| x.count).sum(),
                amount_fen: open.iter().map(|x| x.amount_fen).fold(0, i64::saturating_add),
                weighted_fen: open.iter().map(|x| x.weighted_fen).fold(0, i64::saturating_add),
            },
            ideal: ideal.stages.iter().find(|r| r.stage_id == s.id).and_then(|r| r.ideal),
            target_conversion_pct: s.target_conversion_pct,
            conversion_pct: st.and_then(|c| c.conversion_pct),
            avg_days: st.and_then(|c| c.avg_days),
            stuck: stuck.get(&s.id).copied().unwrap_or(0),
        });
    }
    let buckets = f::group(&facts, f::GroupBy::Bucket)
        .into_iter()
        .filter_map(|r| match r.key {
            f::GroupKey::Bucket(b) => Some(CodeBar { code: bucket_code(b).to_owned(), totals: add(&r.open, &r.won) }),
            _ => None,
        })
        .collect();
    let categories = f::group(&facts, f::GroupBy::Category)
        .into_iter()
        .filter_map(|r| match r.key {
            f::GroupKey::Category(c) => Some(CodeBar { code: c.as_str().to_owned(), totals: add(&r.open, &r.won) }),
            _ => None,
        })
        .collect();

    // 13 week ends, oldest first; each point is its quarter's forecast and won as they stood.
    let points = trend_instants(now);
    // A large book's first trend replays weeks of history: that runs in the background too.
    let inline_trend = deals_in_scope <= inline_history_deals;
    let trend_raw = trend_points_with(db, ctx, &points, now, &cells, &stages, inline_trend).await?;
    lap("trend");
    let trend_complete = trend_raw.len() == points.len();
    if !trend_complete {
        let key = format!("trend|{}", scope_key(ctx));
        if db.hub().forecast.pending.lock().map(|mut p| p.insert(key.clone())).unwrap_or(false) {
            let (db, ctx, points, stages) = (db.clone(), ctx.clone(), points.clone(), stages.clone());
            tokio::spawn(async move {
                let _one = db.hub().forecast.background.lock().await;
                // Cells as they are when the job starts: the replay reads history up to then.
                let done = match load_cells(&db, &ctx, won_from_month).await {
                    Ok(cells) => trend_points(&db, &ctx, &points, now, &cells, &stages).await,
                    Err(e) => Err(e),
                };
                if let Err(e) = done {
                    tracing::warn!("trend points for {key}: {e:?}");
                }
                if let Ok(mut p) = db.hub().forecast.pending.lock() {
                    p.remove(&key);
                }
            });
        }
    }
    let trend = trend_raw
        .into_iter()
        .map(|t| TrendPoint { week_end: f::local_date(t.at, off), forecast_fen: t.forecast_fen, won_fen: t.won_fen })
        .collect();

    // The dashboard's cells hold won cells from a year back, so they serve the week's quarter.
    let progress = progress_fast(db, ctx, week_start(now), now, now, &cells, &stages).await?;
    lap("progress");
    let teams: HashMap<i32, String> = team::Entity::find().all(db).await.map_err(db_err)?.into_iter().map(|t| (t.id, t.name)).collect();
    let mut reps = Vec::new();
    for u in visible_users.iter().filter(|u| matches!(u.role.as_str(), "rep" | "manager")) {
        let mine: Vec<&f::DealFact> = facts.iter().filter(|x| x.owner_id == u.id).collect();
        let quota_fen: i64 = quotas.iter().filter(|q| q.owner_id == u.id).map(|q| q.amount_fen).fold(0, i64::saturating_add);
        let won: i64 = mine.iter().filter(|x| x.kind == f::StageKind::Won).map(|x| x.amount_fen).fold(0, i64::saturating_add);
        let open_q: i64 = mine
            .iter()
            .filter(|x| x.kind == f::StageKind::Open && x.close_date <= q_end)
            .map(|x| x.weighted_fen)
            .fold(0, i64::saturating_add);
        let remaining = quota_fen - won;
        if mine.is_empty() && quota_fen == 0 {
            continue;
        }
        reps.push(RepRow {
            id: u.uuid,
            name: u.name.clone(),
            team: u.team_id.and_then(|t| teams.get(&t).cloned()).unwrap_or_default(),
            quota_fen,
            won_fen: won,
            open_weighted_fen: open_q,
            pipeline_fen: mine.iter().filter(|x| x.kind == f::StageKind::Open).map(|x| x.weighted_fen).fold(0, i64::saturating_add),
            attainment_pct: (quota_fen > 0).then(|| won as f64 * 100.0 / quota_fen as f64),
            coverage: (quota_fen > 0 && remaining > 0).then(|| open_q as f64 / remaining as f64),
            quota_met: quota_fen > 0 && remaining <= 0,
            under_covered: quota_fen > 0 && remaining > 0 && open_q < remaining,
            open_deals: mine.iter().filter(|x| x.kind == f::StageKind::Open).map(|x| x.count).sum(),
        });
    }
    let names: HashMap<i32, String> = visible_users.iter().map(|u| (u.id, u.name.clone())).collect();
    let mut unfunneled = history.as_ref().map(|h| h.unfunneled.clone()).unwrap_or_default();
    let unfunneled_total = unfunneled.len() as u64;
    unfunneled.sort_by_key(|u| (std::cmp::Reverse(u.won_at), u.deal_id));
    unfunneled.truncate(UNFUNNELED_SHOWN);
    lap("reps");
    let unfunneled_rows = deal_rows(db, &unfunneled.iter().map(|u| u.deal_id).collect::<Vec<_>>()).await?;
    lap("unfunneled");
    let unfunneled = unfunneled
        .into_iter()
        .filter_map(|u| {
            let d = unfunneled_rows.get(&u.deal_id)?;
            Some(DealLink {
                id: d.uuid,
                name: d.name.clone(),
                owner: names.get(&u.owner_id).cloned().unwrap_or_default(),
                amount_fen: d.amount_fen,
                note: format!("{}", u.days_in_funnel),
            })
        })
        .collect();
    let remaining_all = quota_fen - won_fen;
    Ok(Dashboard {
        today,
        quarter_start: q_start,
        quarter_end: q_end,
        scope: if ctx.visibility.all {
            "all"
        } else if crate::domain::access::sees_team_figures(ctx.role) {
            "teams"
        } else {
            "own"
        }
        .into(),
        pipeline: crate::ssr::service::mapping::pipeline_ref(p),
        pipelines: pipelines.iter().map(crate::ssr::service::mapping::pipeline_ref).collect(),
        forecast_fen,
        won_fen,
        quota_fen,
        coverage: (quota_fen > 0 && remaining_all > 0).then(|| forecast_fen as f64 / remaining_all as f64),
        progress,
        funnel,
        ideal_target_fen: remaining,
        avg_won_fen,
        buckets,
        categories,
        trend,
        reps,
        win_rate_pct: cycle.and_then(|c| c.win_rate_pct),
        avg_cycle_days: cycle.and_then(|c| c.avg_cycle_days),
        history_at: history.as_ref().map(|h| h.at),
        trend_complete,
        unfunneled,
        unfunneled_total,
        ramp,
    })
}

/// A spawned read's answer; a task that panicked is an internal error.
fn joined<T>(r: Result<Result<T, AppError>, tokio::task::JoinError>) -> Result<T, AppError> {
    r.map_err(|_| AppError::Internal).and_then(|r| r)
}

/// Open deals in their stage longer than its limit, per stage of the pipeline, counted by the
/// database (`domain::forecast::stuck_deals` is the rule: whole days in stage > the limit).
async fn stuck_counts<C: ConnectionTrait>(
    db: &C,
    ctx: &RequestContext,
    stages: &[stage::Model],
    pipeline_id: i32,
    now: DateTime<Utc>,
) -> Result<HashMap<i32, u64>, AppError> {
    let vis = &ctx.visibility;
    let rep = crate::domain::access::figures_owner(ctx.role, ctx.user_id);
    // The viewer's deals as two arms, like the cells: their teams (on the index of team, stage
    // and entry), and the deals of other teams they work on (few, by id).
    let mut arms = Vec::new();
    if vis.all || !vis.team_ids.is_empty() {
        let mut c = Condition::all();
        if !vis.all {
            c = c.add(deal::Column::TeamId.is_in(vis.team_ids.clone()));
        }
        arms.push(c);
    }
    if let (false, Some(u)) = (vis.all, vis.member_user_id) {
        let mut c = Condition::all().add(deal::Column::Id.is_in(crate::ssr::service::member_deal_ids(db, u).await?));
        if !vis.team_ids.is_empty() {
            c = c.add(deal::Column::TeamId.is_not_in(vis.team_ids.clone()));
        }
        arms.push(c);
    }
    let mut out = HashMap::new();
    for s in stages.iter().filter(|s| s.pipeline_id == pipeline_id && f::StageKind::Open.matches(&s.kind) && s.stuck_days > 0) {
        // floor(days in stage) > limit  ⇔  entered at or before now − (limit + 1) days.
        let before = now - Duration::days(i64::from(s.stuck_days) + 1);
        let mut total = 0u64;
        for arm in &arms {
            let mut q = deal::Entity::find()
                .select_only()
                .column_as(Expr::cust("CAST(COUNT(*) AS BIGINT)"), "n")
                .filter(arm.clone())
                .filter(deal::Column::StageId.eq(s.id))
                .filter(deal::Column::StageEnteredAt.lte(before));
            if let Some(u) = rep {
                q = q.filter(deal::Column::OwnerId.eq(u));
            }
            let n: i64 = q.into_tuple().one(db).await.map_err(db_err)?.unwrap_or(0);
            total += u64::try_from(n).unwrap_or(0);
        }
        out.insert(s.id, total);
    }
    Ok(out)
}

/// People whose numbers the viewer may see: everyone, their teams, or themselves.
async fn visible_users<C: ConnectionTrait>(db: &C, ctx: &RequestContext) -> Result<Vec<user::Model>, AppError> {
    let mut q = user::Entity::find().filter(user::Column::Active.eq(true));
    if !ctx.visibility.all {
        let mut c = Condition::any().add(user::Column::Id.eq(ctx.user_id));
        if crate::domain::access::sees_team_figures(ctx.role) && !ctx.visibility.team_ids.is_empty() {
            c = c.add(user::Column::TeamId.is_in(ctx.visibility.team_ids.clone()));
        }
        q = q.filter(c);
    }
    q.order_by_asc(user::Column::Name).all(db).await.map_err(db_err)
}

pub(super) async fn quotas_in<C: ConnectionTrait>(db: &C, from: NaiveDate, to: NaiveDate) -> Result<Vec<f::Quota>, AppError> {
    Ok(quota::Entity::find()
        .filter(quota::Column::PeriodStart.lte(to))
        .filter(quota::Column::PeriodEnd.gte(from))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|q| f::Quota { owner_id: q.user_id, period_start: q.period_start, period_end: q.period_end, amount_fen: q.amount_fen })
        .collect())
}
