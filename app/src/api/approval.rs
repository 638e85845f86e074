use crate::domain::dto::ApprovalRow;
use crate::domain::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[server(endpoint = "approvals/list", input = Json)]
pub async fn list_approvals(status: Option<String>) -> Result<Vec<ApprovalRow>, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::approval::list(&state.db, &ctx, status.as_deref()).await }).await
}

#[server(endpoint = "approvals/count", input = Json)]
pub async fn pending_approvals() -> Result<u64, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::approval::pending_count(&state.db, &ctx).await }).await
}

#[server(endpoint = "approvals/decide", input = Json)]
pub async fn decide_approval(id: uuid::Uuid, approve: bool, comment: Option<String>) -> Result<ApprovalRow, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move {
        crate::ssr::service::approval::decide(&state.db, &ctx, id, approve, comment.filter(|c| !c.trim().is_empty())).await
    })
    .await
}
