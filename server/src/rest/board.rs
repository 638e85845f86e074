//! Pipelines with their stages, and the board: a pipeline's columns of deal cards.
use super::deals::{deal_out, DealOut};
use super::ApiResult;
use app::domain::dto::{Board, BoardFilter};
use app::ssr::context::RequestContext;
use app::ssr::service;
use app::ssr::state::AppState;
use axum::extract::{Query, State};
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(pipelines)).routes(routes!(board))
}

#[derive(Serialize, ToSchema)]
pub struct StageOut {
    id: Uuid,
    name: String,
    name_zh: String,
    position: i32,
    win_rate_pct: i32,
    /// open | won | lost
    kind: String,
}

#[derive(Serialize, ToSchema)]
pub struct PipelineOut {
    id: Uuid,
    name: String,
    name_zh: String,
    is_default: bool,
    stages: Vec<StageOut>,
}

#[derive(Serialize, ToSchema)]
pub struct ColumnOut {
    stage: StageOut,
    count: u64,
    amount_minor: i64,
    weighted_minor: i64,
    cards: Vec<DealOut>,
}

#[derive(Serialize, ToSchema)]
pub struct BoardOut {
    pipeline_id: Uuid,
    columns: Vec<ColumnOut>,
}

#[utoipa::path(get, path = "/api/v1/pipelines", responses((status = 200, body = [PipelineOut])), security(("bearer" = [])))]
pub async fn pipelines(State(state): State<AppState>, Extension(_ctx): Extension<RequestContext>) -> ApiResult<Json<Vec<PipelineOut>>> {
    let ps = service::deal::pipelines(&state.db).await?;
    Ok(Json(
        ps.into_iter()
            .map(|(p, st)| PipelineOut {
                id: p.uuid,
                name: p.name_en,
                name_zh: p.name_zh,
                is_default: p.is_default,
                stages: st
                    .into_iter()
                    .map(|s| StageOut {
                        id: s.uuid,
                        name: s.name_en,
                        name_zh: s.name_zh,
                        position: s.position,
                        win_rate_pct: s.win_rate_pct,
                        kind: s.kind,
                    })
                    .collect(),
            })
            .collect(),
    ))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BoardQuery {
    pipeline_id: Option<Uuid>,
    owner_id: Option<Uuid>,
    team_id: Option<Uuid>,
    /// m3 | m6 | m9 | m12 | later
    close: Option<String>,
    min_minor: Option<i64>,
    max_minor: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/board", params(BoardQuery), responses((status = 200, body = BoardOut)), security(("bearer" = [])))]
pub async fn board(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Query(q): Query<BoardQuery>,
) -> ApiResult<Json<BoardOut>> {
    let f = BoardFilter {
        pipeline: q.pipeline_id,
        owner: q.owner_id,
        team: q.team_id,
        bucket: q.close,
        min_fen: q.min_minor,
        max_fen: q.max_minor,
    };
    let b: Board = service::board::board(&state.db, &ctx, &f).await?;
    let rates = service::deal::win_rates(&state.db).await?;
    Ok(Json(BoardOut {
        pipeline_id: b.pipeline.id,
        columns: b
            .columns
            .into_iter()
            .map(|c| ColumnOut {
                stage: StageOut {
                    id: c.stage.id,
                    name: c.stage.name_en,
                    name_zh: c.stage.name_zh,
                    position: c.stage.position,
                    win_rate_pct: c.stage.win_rate_pct,
                    kind: c.stage.kind,
                },
                count: c.count,
                amount_minor: c.amount_fen,
                weighted_minor: c.weighted_fen,
                cards: c.cards.into_iter().map(|d| deal_out(d, &rates)).collect(),
            })
            .collect(),
    }))
}
