//! Forecast sums by group and the progress of the pipeline's value between two dates.
use super::{ApiResult, Problem};
use app::ssr::context::RequestContext;
use app::ssr::service;
use app::ssr::state::AppState;
use axum::extract::{Query, State};
use axum::{Extension, Json};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(forecast)).routes(routes!(progress))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ForecastQuery {
    /// owner | team | pipeline | bucket | category | month | quarter | year
    group_by: Option<String>,
    /// Only deals closing in this period: `2026`, `2026-Q4` or `2026-11` (won deals by close date too).
    period: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ForecastRowOut {
    /// The group: a user/team/pipeline id, a bucket or category code, or a period.
    key: String,
    label: String,
    open_count: u64,
    open_amount_minor: i64,
    weighted_minor: i64,
    won_count: u64,
    won_amount_minor: i64,
}

#[derive(Serialize, ToSchema)]
pub struct ForecastOut {
    group_by: String,
    period: Option<String>,
    rows: Vec<ForecastRowOut>,
    total_weighted_minor: i64,
}

#[utoipa::path(get, path = "/api/v1/forecast", params(ForecastQuery), responses((status = 200, body = ForecastOut), (status = 422, body = Problem)), security(("bearer" = [])))]
pub async fn forecast(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Query(q): Query<ForecastQuery>,
) -> ApiResult<Json<ForecastOut>> {
    let by = q.group_by.unwrap_or_else(|| "owner".into());
    let rows = service::forecast::grouped(&state.db, &ctx, &by, q.period.as_deref()).await?;
    let total = rows.iter().map(|r| r.weighted_fen).sum();
    Ok(Json(ForecastOut {
        group_by: by,
        period: q.period,
        total_weighted_minor: total,
        rows: rows
            .into_iter()
            .map(|r| ForecastRowOut {
                key: r.key,
                label: r.label,
                open_count: r.open_count,
                open_amount_minor: r.open_amount_fen,
                weighted_minor: r.weighted_fen,
                won_count: r.won_count,
                won_amount_minor: r.won_amount_fen,
            })
            .collect(),
    }))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProgressQuery {
    /// Start date (inclusive, local midnight); default: Monday of this week.
    from: Option<NaiveDate>,
    /// End date (inclusive, end of that local day); default: now.
    to: Option<NaiveDate>,
}

#[derive(Serialize, ToSchema)]
pub struct ProgressOut {
    from: NaiveDate,
    to: NaiveDate,
    value_from_minor: i64,
    value_to_minor: i64,
    total_minor: i64,
    /// new, moved_up, moved_down, won, lost, amount_changed, slipped, pulled_in, other (they sum to total)
    parts: HashMap<String, i64>,
}

#[utoipa::path(get, path = "/api/v1/progress", params(ProgressQuery), responses((status = 200, body = ProgressOut), (status = 422, body = Problem)), security(("bearer" = [])))]
pub async fn progress(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Query(q): Query<ProgressQuery>,
) -> ApiResult<Json<ProgressOut>> {
    let p = service::forecast::progress_between(&state.db, &ctx, q.from, q.to).await?;
    let parts = HashMap::from([
        ("new".to_owned(), p.parts.new_fen),
        ("moved_up".to_owned(), p.parts.moved_up_fen),
        ("moved_down".to_owned(), p.parts.moved_down_fen),
        ("won".to_owned(), p.parts.won_fen),
        ("lost".to_owned(), p.parts.lost_fen),
        ("amount_changed".to_owned(), p.parts.amount_changed_fen),
        ("slipped".to_owned(), p.parts.slipped_fen),
        ("pulled_in".to_owned(), p.parts.pulled_in_fen),
        ("other".to_owned(), p.parts.other_fen),
    ]);
    Ok(Json(ProgressOut {
        from: p.from,
        to: p.to,
        value_from_minor: p.value_from_fen,
        value_to_minor: p.value_to_fen,
        total_minor: p.total_fen,
        parts,
    }))
}
