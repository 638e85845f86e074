//! The new-rep ramp rows of the dashboard.
use super::{deal_cols, deal_of, quotas_in, scope_condition, DealCols};
use crate::domain::dashboard::{RampCheckRow, RampRow};
use crate::domain::error::AppError;
use crate::domain::forecast as f;
use crate::domain::forecast::offset;
use crate::ssr::context::RequestContext;
use crate::ssr::db_err;
use crate::ssr::entity::{account, deal, user};
use chrono::{Duration, NaiveDate};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

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
        // A first-year rep's own deals (in the viewer's scope) are all the roadmap reads.
        let deals: Vec<f::Deal> = deal_cols()
            .filter(scope_condition(ctx))
            .filter(deal::Column::OwnerId.eq(u.id))
            .into_model::<DealCols>()
            .all(db)
            .await
            .map_err(db_err)?
            .into_iter()
            .map(deal_of)
            .collect();
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
        let r = f::ramp_report(&input, &deals, stages, offset());
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
