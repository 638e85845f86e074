use crate::domain::dto::DealRow;
use crate::domain::error::AppError;
use crate::domain::keyinfo::KeyInfo;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[server(endpoint = "deals/get", input = Json)]
pub async fn load_deal(id: uuid::Uuid) -> Result<(DealRow, KeyInfo, i32), AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move {
        let row = crate::ssr::service::deal::one(&state.db, &ctx, id).await?;
        let (k, v) = crate::ssr::service::keyinfo::get(&state.db, &ctx, id).await?;
        Ok((row, k, v))
    })
    .await
}

#[server(endpoint = "deals/key_info", input = Json)]
pub async fn save_key_info(id: uuid::Uuid, info: KeyInfo, version: i32) -> Result<i32, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::keyinfo::update(&state.db, &ctx, id, info, version).await }).await
}

#[server(endpoint = "deals/history", input = Json)]
pub async fn load_history(id: uuid::Uuid) -> Result<Vec<crate::domain::dto::HistoryRow>, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::deal::history(&state.db, &ctx, id).await }).await
}

#[server(endpoint = "deals/facts", input = Json)]
pub async fn load_facts(id: uuid::Uuid) -> Result<crate::domain::dto::DealFacts, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::deal::facts(&state.db, &ctx, id).await }).await
}

/// Amount, close date, forecast category, winner and lost reason: one versioned patch.
#[server(endpoint = "deals/update", input = Json)]
pub async fn save_facts(id: uuid::Uuid, patch: crate::domain::dto::DealPatch) -> Result<i32, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { Ok(crate::ssr::service::deal::patch(&state.db, &ctx, id, patch).await?.version) }).await
}

/// Heartbeat of an open deal page; answers who else has it open.
#[server(endpoint = "deals/presence", input = Json)]
pub async fn presence_beat(id: uuid::Uuid) -> Result<Vec<String>, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::presence::beat(&state.db, &ctx, id).await }).await
}
