//! Objection-log server functions: one line each over the service REST uses.
use crate::domain::error::AppError;
use crate::domain::objection::dto::{DealObjections, ObjectionRow, ObjectionTask};
use crate::domain::objection::report::CategoryStat;
use crate::domain::objection::{ObjectionInput, StepInput};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[server(endpoint = "objection/list", input = Json)]
pub async fn load_objections(deal: uuid::Uuid) -> Result<DealObjections, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::objection::list(&state.db, &ctx, deal).await }).await
}

/// Logs a new objection (`id` None) or rewrites one under its version.
#[server(endpoint = "objection/save", input = Json)]
pub async fn save_objection(
    deal: uuid::Uuid,
    id: Option<uuid::Uuid>,
    input: ObjectionInput,
    version: i32,
) -> Result<ObjectionRow, AppError> {
    use crate::ssr::context::serve;
    use crate::ssr::service::objection;
    serve(|state, ctx| async move {
        match id {
            Some(id) => objection::update(&state.db, &ctx, id, input, version).await,
            None => objection::create(&state.db, &ctx, deal, input).await,
        }
    })
    .await
}

#[server(endpoint = "objection/step", input = Json)]
pub async fn step_objection(id: uuid::Uuid, step: StepInput, version: i32) -> Result<ObjectionRow, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::objection::step(&state.db, &ctx, id, step, version).await }).await
}

#[server(endpoint = "objection/report", input = Json)]
pub async fn load_objection_report() -> Result<Vec<CategoryStat>, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::objection::report(&state.db, &ctx).await }).await
}

#[server(endpoint = "objection/overdue", input = Json)]
pub async fn load_overdue_objections() -> Result<Vec<ObjectionTask>, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::objection::my_overdue(&state.db, &ctx).await }).await
}
