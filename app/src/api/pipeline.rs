//! The pipeline editor (admins only; the service decides).
use crate::domain::dto::{PipelineEditor, StageEdit, StageUpdate};
use crate::domain::error::AppError;
use crate::domain::gate::Policy;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[server(endpoint = "admin/pipeline", input = Json)]
pub async fn load_pipeline_editor(id: Option<uuid::Uuid>) -> Result<PipelineEditor, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::pipeline::editor(&state.db, &ctx, id).await }).await
}

#[server(endpoint = "admin/pipeline/rename", input = Json)]
pub async fn rename_pipeline(id: uuid::Uuid, name_en: String, name_zh: String, version: i32) -> Result<i32, AppError> {
    use crate::ssr::context::serve;
    serve(
        |state, ctx| async move { crate::ssr::service::pipeline::rename_pipeline(&state.db, &ctx, id, &name_en, &name_zh, version).await },
    )
    .await
}

#[server(endpoint = "admin/stage", input = Json)]
pub async fn save_stage(id: uuid::Uuid, update: StageUpdate) -> Result<StageEdit, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::pipeline::update_stage(&state.db, &ctx, id, &update).await }).await
}

#[server(endpoint = "admin/stage/requirements", input = Json)]
pub async fn save_requirements(id: uuid::Uuid, codes: Vec<String>, version: i32) -> Result<StageEdit, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::pipeline::set_requirements(&state.db, &ctx, id, &codes, version).await }).await
}

#[server(endpoint = "admin/pipeline/reorder", input = Json)]
pub async fn reorder_stages(pipeline: uuid::Uuid, order: Vec<uuid::Uuid>, version: i32) -> Result<PipelineEditor, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::pipeline::reorder_stages(&state.db, &ctx, pipeline, &order, version).await }).await
}

/// `policy: None` returns the pair to the default table.
#[server(endpoint = "admin/pipeline/policy", input = Json)]
pub async fn set_policy(
    pipeline: uuid::Uuid,
    from: uuid::Uuid,
    to: uuid::Uuid,
    policy: Option<Policy>,
    version: i32,
) -> Result<PipelineEditor, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::pipeline::set_policy(&state.db, &ctx, pipeline, from, to, policy, version).await })
        .await
}
