use crate::domain::{
    dto::{DealPage, PipelineSummary},
    error::AppError,
};
use leptos::prelude::*;

pub const DEALS_PER_PAGE: u64 = 50;

#[server(endpoint = "deals/list")]
pub async fn list_deals(search: Option<String>, page: u64) -> Result<DealPage, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::deal::list(&state.db, &ctx, search, page, DEALS_PER_PAGE).await }).await
}

#[server(endpoint = "deals/summary")]
pub async fn load_pipeline_summary() -> Result<PipelineSummary, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::deal::pipeline_summary(&state.db, &ctx).await }).await
}

/// A new deal from the board's form; answers its id so the page can open it.
#[server(endpoint = "deals/create", input = leptos::server_fn::codec::Json)]
pub async fn create_deal(new: crate::domain::dto::NewDeal) -> Result<uuid::Uuid, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { Ok(crate::ssr::service::deal::create(&state.db, &ctx, new).await?.uuid) }).await
}
