use crate::domain::dto::{Board, BoardFilter, DealCard, MoveOutcome};
use crate::domain::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[server(endpoint = "board", input = Json)]
pub async fn load_board(filter: BoardFilter) -> Result<Board, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::board::board(&state.db, &ctx, &filter).await }).await
}

#[server(endpoint = "board/column", input = Json)]
pub async fn load_column(filter: BoardFilter, stage: uuid::Uuid, offset: u64) -> Result<Vec<DealCard>, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::board::column_page(&state.db, &ctx, &filter, stage, offset).await }).await
}

/// Every way of moving a deal in the UI ends here, and here calls the one service method.
#[server(endpoint = "deals/move", input = Json)]
pub async fn move_deal(
    deal: uuid::Uuid,
    to_stage: uuid::Uuid,
    version: i32,
    reason: Option<String>,
    lost_reason: Option<String>,
) -> Result<MoveOutcome, AppError> {
    use crate::ssr::context::serve;
    use crate::ssr::service::movement::{move_deal, MoveCommand};
    serve(|state, ctx| async move { move_deal(&state.db, &ctx, MoveCommand { deal, to_stage, version, reason, lost_reason }).await }).await
}
