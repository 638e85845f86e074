use crate::domain::{dto::AdminOverview, error::AppError};
use leptos::prelude::*;

#[server(endpoint = "admin/overview")]
pub async fn load_admin_overview() -> Result<AdminOverview, AppError> {
    use crate::ssr::context::{request_context, respond};
    respond(
        async {
            let (state, ctx) = request_context()?;
            crate::ssr::service::admin::overview(&state.db, &ctx).await
        }
        .await,
    )
}
