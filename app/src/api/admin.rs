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

// Users and teams (`service::admin`): each a line over the service, admin only there.
use crate::domain::admin::{AdminDirectory, AdminTeam, AdminUser, AuditPage, NewUser, ReassignOutcome, TeamEdit, UserEdit};

#[server(endpoint = "admin/directory", input = Json)]
pub async fn load_admin_directory() -> Result<AdminDirectory, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::admin::directory(&state.db, &ctx).await }).await
}

#[server(endpoint = "admin/users/create", input = Json)]
pub async fn admin_create_user(new: NewUser) -> Result<AdminUser, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::admin::create_user(&state.db, &ctx, new).await }).await
}

#[server(endpoint = "admin/users/update", input = Json)]
pub async fn admin_update_user(id: uuid::Uuid, edit: UserEdit) -> Result<AdminUser, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::admin::update_user(&state.db, &ctx, id, edit).await }).await
}

#[server(endpoint = "admin/users/reset_password", input = Json)]
pub async fn admin_reset_password(id: uuid::Uuid, password: String) -> Result<AdminUser, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::admin::reset_password(&state.db, &ctx, id, password).await }).await
}

/// `delegate`: who decides the approvals waiting on a user being deactivated (needed only when
/// some wait).
#[server(endpoint = "admin/users/active", input = Json)]
pub async fn admin_set_active(id: uuid::Uuid, active: bool, delegate: Option<uuid::Uuid>) -> Result<AdminUser, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::admin::set_active(&state.db, &ctx, id, active, delegate).await }).await
}

#[server(endpoint = "admin/users/reassign", input = Json)]
pub async fn admin_reassign(from: uuid::Uuid, to: uuid::Uuid) -> Result<ReassignOutcome, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::admin::reassign_open_deals(&state.db, &ctx, from, to).await }).await
}

#[server(endpoint = "admin/teams/save", input = Json)]
pub async fn admin_save_team(id: Option<uuid::Uuid>, edit: TeamEdit) -> Result<AdminTeam, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move {
        match id {
            Some(id) => crate::ssr::service::admin::update_team(&state.db, &ctx, id, edit).await,
            None => crate::ssr::service::admin::create_team(&state.db, &ctx, edit).await,
        }
    })
    .await
}

#[server(endpoint = "admin/audit", input = Json)]
pub async fn load_admin_audit(before: Option<i32>) -> Result<AuditPage, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::admin::audit_page(&state.db, &ctx, before, 50).await }).await
}
