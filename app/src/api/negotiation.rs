//! Negotiation server functions: one line each over the service REST uses.
use crate::domain::error::AppError;
use crate::domain::negotiation::dto::{ConcessionInput, NegotiationView, PlanInput, SessionInput};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[server(endpoint = "negotiation/get", input = Json)]
pub async fn load_negotiation(deal: uuid::Uuid) -> Result<Option<NegotiationView>, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::negotiation::get(&state.db, &ctx, deal).await }).await
}

/// Starts the plan (`version` None) or saves it under its version.
#[server(endpoint = "negotiation/plan", input = Json)]
pub async fn save_plan(deal: uuid::Uuid, plan: PlanInput, version: Option<i32>) -> Result<NegotiationView, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::negotiation::save_plan(&state.db, &ctx, deal, plan, version).await }).await
}

#[server(endpoint = "negotiation/session", input = Json)]
pub async fn add_session(deal: uuid::Uuid, session: SessionInput) -> Result<NegotiationView, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::negotiation::add_session(&state.db, &ctx, deal, session).await }).await
}

#[server(endpoint = "negotiation/concession", input = Json)]
pub async fn add_concession(deal: uuid::Uuid, concession: ConcessionInput) -> Result<NegotiationView, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::negotiation::add_concession(&state.db, &ctx, deal, concession).await }).await
}

#[server(endpoint = "negotiation/confirm", input = Json)]
pub async fn confirm_result(deal: uuid::Uuid, result: String, version: i32) -> Result<NegotiationView, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::negotiation::confirm(&state.db, &ctx, deal, result, version).await }).await
}
