//! Imports for the import page; the upload itself goes to `POST /api/v1/imports` (a file body
//! the browser sends as is), the rest through the same service here.
use crate::domain::error::AppError;
use crate::domain::import::{Field, JobView, Mode};
use leptos::prelude::*;

#[server(endpoint = "imports/get", input = leptos::server_fn::codec::Json)]
pub async fn import_get(id: uuid::Uuid) -> Result<JobView, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::import::get(&state.db, &ctx, id).await }).await
}

#[server(endpoint = "imports/recent")]
pub async fn import_recent() -> Result<Vec<JobView>, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::import::recent(&state.db, &ctx).await }).await
}

#[server(endpoint = "imports/check", input = leptos::server_fn::codec::Json)]
pub async fn import_check(id: uuid::Uuid, mapping: Vec<Option<Field>>) -> Result<JobView, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::import::check(&state.db, &ctx, id, Some(mapping)).await }).await
}

#[server(endpoint = "imports/start", input = leptos::server_fn::codec::Json)]
pub async fn import_start(id: uuid::Uuid, mode: Mode) -> Result<JobView, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::import::start(&state.db, &ctx, id, mode).await }).await
}
