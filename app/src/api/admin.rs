use crate::domain::{
    dto::{AdminOverview, ChecklistTemplateDetail},
    error::AppError,
};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[server(endpoint = "admin/overview")]
pub async fn load_admin_overview() -> Result<AdminOverview, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::admin::overview(&state.db, &ctx).await }).await
}

#[server(endpoint = "admin/checklist_templates", input = Json)]
pub async fn load_checklist_template_details() -> Result<Vec<ChecklistTemplateDetail>, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::checklist::template_details(&state.db, &ctx).await }).await
}

#[server(endpoint = "admin/checklist_templates/save", input = Json)]
pub async fn save_checklist_template(edit: ChecklistTemplateDetail) -> Result<ChecklistTemplateDetail, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::checklist::save_template(&state.db, &ctx, edit).await }).await
}
