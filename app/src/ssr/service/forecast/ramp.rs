//! The new-rep ramp rows of the dashboard.
use super::{quotas_in, scope_condition, value_sql::cust};
use crate::domain::dashboard::{RampCheckRow, RampRow};
use crate::domain::error::AppError;
use crate::domain::forecast as f;
use crate::domain::forecast::offset;
use crate::ssr::context::RequestContext;
use crate::ssr::db_err;
use crate::ssr::entity::{account, deal, user};
use chrono::{Duration, NaiveDate};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QuerySelect};

/// One stage's row of a rep's tally, as the database sums it (money as floats: a sum of fen
/// may leave the integer range; `sql::saturate` brings it back).
#[derive(FromQueryResult)]
struct TallyRow {
    stage_id: i32,
    n: i64,
    amount: f64,
    found: i64,
    since_year: i64,
    since_year_fen: f64,
    since_year_max: i64,
    since_phase_fen: f64,
}

/// A rep's deals (in the viewer's scope) summed per stage in one grouped read: the roadmap
/// needs sums, and a first-year rep may own a large book.
pub async fn rep_tally<C: ConnectionTrait>(db: &C, ctx: &RequestContext, input: &f::RampInput) -> Result<Vec<f::RampStageTally>, AppError> {
    use crate::ssr::sql::{saturate, sum_real};
    let b = f::ramp_bounds(input);
    let at = |d: NaiveDate| f::local_midnight(d, offset());
    let be = db.get_database_backend();
    let since = |sql: &str, d: NaiveDate| cust(be, sql, [at(d).into()]);
    let phase = match b.phase_start {
        Some(p) => since(
            "COALESCE(SUM(CASE WHEN deals.stage_entered_at >= ? THEN CAST(deals.amount_fen AS DOUBLE PRECISION) ELSE 0.0 END), 0.0)",
            p,
        ),
        None => Expr::cust("CAST(0.0 AS DOUBLE PRECISION)"),
    };
    let rows = deal::Entity::find()
        .select_only()
        .column(deal::Column::StageId)
        .column_as(Expr::cust("CAST(COUNT(*) AS BIGINT)"), "n")
        .column_as(Expr::cust(sum_real("deals.amount_fen")), "amount")
        .column_as(since("CAST(COALESCE(SUM(CASE WHEN deals.created_at >= ? THEN 1 ELSE 0 END), 0) AS BIGINT)", b.joined_on), "found")
        .column_as(
            since("CAST(COALESCE(SUM(CASE WHEN deals.stage_entered_at >= ? THEN 1 ELSE 0 END), 0) AS BIGINT)", b.year_start),
            "since_year",
        )
        .column_as(
            since(
                "COALESCE(SUM(CASE WHEN deals.stage_entered_at >= ? THEN CAST(deals.amount_fen AS DOUBLE PRECISION) ELSE 0.0 END), 0.0)",
                b.year_start,
            ),
            "since_year_fen",
        )
        .column_as(
            since("CAST(COALESCE(MAX(CASE WHEN deals.stage_entered_at >= ? THEN deals.amount_fen END), 0) AS BIGINT)", b.year_start),
            "since_year_max",
        )
        .column_as(phase, "since_phase_fen")
        .filter(scope_condition(ctx))
        .filter(deal::Column::OwnerId.eq(input.owner_id))
        .group_by(deal::Column::StageId)
        .into_model::<TallyRow>()
        .all(db)
        .await
        .map_err(db_err)?;
    Ok(rows
        .into_iter()
        .map(|r| f::RampStageTally {
            stage_id: r.stage_id,
            count: r.n,
            amount_fen: saturate(r.amount),
            found: r.found,
            since_year: r.since_year,
            since_year_fen: saturate(r.since_year_fen),
            since_year_max_fen: r.since_year_max,
            since_phase_fen: saturate(r.since_phase_fen),
        })
        .collect())
}

fn phase_code(p: f::RampPhase) -> &'static str {
    match p {
        f::RampPhase::Training => "training",
        f::RampPhase::M0to3 => "m0_3",
        f::RampPhase::M3to6 => "m3_6",
        f::RampPhase::M6to9 => "m6_9",
        f::RampPhase::M9to12 => "m9_12",
    }
}

fn metric_code(m: f::RampMetric) -> String {
    match m {
        f::RampMetric::AccountsResearched => "accounts_researched".into(),
        f::RampMetric::OpportunitiesFound => "opportunities_found".into(),
        f::RampMetric::Reached(pos) => format!("reached_{pos}"),
        f::RampMetric::Wins => "wins".into(),
        f::RampMetric::LargestWinFen => "largest_win".into(),
        f::RampMetric::PipelinePct => "pipeline_pct".into(),
        f::RampMetric::PhaseQuotaPct => "phase_quota_pct".into(),
        f::RampMetric::YearQuotaPct => "year_quota_pct".into(),
    }
}

/// Reps in their first year against the success roadmap (seed 001).
pub(super) async fn ramp_rows<C: ConnectionTrait>(
    db: &C,
    ctx: &RequestContext,
    stages: &[f::Stage],
    users: &[user::Model],
    today: NaiveDate,
) -> Result<Vec<RampRow>, AppError> {
    let mut out = Vec::new();
    for u in users.iter().filter(|u| u.role == "rep") {
        let Some(started) = u.started_on else { continue };
        if today - started > Duration::days(366) {
            continue;
        }
        let year: Vec<f::Quota> =
            quotas_in(db, started, started + Duration::days(365)).await?.into_iter().filter(|q| q.owner_id == u.id).collect();
        let year_quota_fen: i64 = year.iter().map(|q| q.amount_fen).fold(0, i64::saturating_add);
        let accounts = account::Entity::find()
            .filter(account::Column::OwnerId.eq(u.id))
            .select_only()
            .column_as(Expr::cust("CAST(COUNT(*) AS BIGINT)"), "n")
            .into_tuple::<i64>()
            .one(db)
            .await
            .map_err(db_err)?
            .unwrap_or(0);
        let input = f::RampInput {
            owner_id: u.id,
            joined_on: started,
            started_on: started,
            today,
            accounts_researched: u32::try_from(accounts).unwrap_or(u32::MAX),
            phase_quota_fen: year_quota_fen / 4,
            year_quota_fen,
        };
        // A first-year rep's own deals (in the viewer's scope), summed, are all it reads.
        let r = f::ramp_report_of(&input, &rep_tally(db, ctx, &input).await?, stages);
        out.push(RampRow {
            rep: u.name.clone(),
            phase: phase_code(r.phase).into(),
            checks: r
                .checks
                .iter()
                .map(|c| RampCheckRow { metric: metric_code(c.metric), target: c.target, actual: c.actual, met: c.met })
                .collect(),
        });
    }
    Ok(out)
}
