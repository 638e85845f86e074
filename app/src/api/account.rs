use crate::domain::{dto::AccountPage, error::AppError};
use leptos::prelude::*;

pub const ACCOUNTS_PER_PAGE: u64 = 50;

#[server(endpoint = "accounts/list", input = leptos::server_fn::codec::Json)]
pub async fn list_accounts(filter: crate::domain::account::listing::AccountFilter, page: u64) -> Result<AccountPage, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::account::list_filtered(&state.db, &ctx, filter, page, ACCOUNTS_PER_PAGE).await })
        .await
}

/// What the accounts list's filter menus offer the viewer.
#[server(endpoint = "accounts/filter-choices")]
pub async fn account_filter_choices() -> Result<crate::domain::account::listing::AccountFilterChoices, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::account::filter_choices(&state.db, &ctx).await }).await
}

/// A new account owned by its creator and their team (the same service as `POST /api/v1/accounts`).
#[server(endpoint = "accounts/create", input = leptos::server_fn::codec::Json)]
pub async fn create_account(new: crate::domain::dto::NewAccount) -> Result<crate::domain::dto::AccountRow, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::account::create(&state.db, &ctx, new).await }).await
}

/// Accounts to pick from (the first 50 matching), for the new-deal form.
#[server(endpoint = "accounts/choices")]
pub async fn account_choices(search: Option<String>) -> Result<Vec<crate::domain::dto::Choice>, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move {
        let page = crate::ssr::service::account::list(&state.db, &ctx, search, 1, ACCOUNTS_PER_PAGE).await?;
        Ok(page.rows.into_iter().map(|r| crate::domain::dto::Choice { id: r.id, name: r.name }).collect())
    })
    .await
}

/// One account whole: profile, grade and its history, contacts, the deals the viewer sees.
#[server(endpoint = "accounts/get", input = leptos::server_fn::codec::Json)]
pub async fn load_account(id: uuid::Uuid) -> Result<crate::domain::account::dto::AccountView, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::account::get(&state.db, &ctx, id).await }).await
}

/// Grades the account through the questionnaire (an override needs its reason).
#[server(endpoint = "accounts/grade", input = leptos::server_fn::codec::Json)]
pub async fn grade_account(
    id: uuid::Uuid,
    input: crate::domain::account::dto::GradeInput,
    version: i32,
) -> Result<crate::domain::account::dto::AccountView, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::account::grade(&state.db, &ctx, id, input, version).await }).await
}

/// Records a revisit; the account's next contact moves with it.
#[server(endpoint = "accounts/revisit", input = leptos::server_fn::codec::Json)]
pub async fn record_revisit(
    id: uuid::Uuid,
    input: crate::domain::account::revisit::RevisitInput,
) -> Result<crate::domain::account::dto::AccountView, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::account::record_revisit(&state.db, &ctx, id, input).await }).await
}

/// The accounts due for contact (overdue and this week) and open delivery follow-ups.
#[server(endpoint = "accounts/due", input = leptos::server_fn::codec::Json)]
pub async fn due_accounts(scope: crate::domain::account::dto::DueScope) -> Result<crate::domain::account::dto::DueList, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::account::due(&state.db, &ctx, scope).await }).await
}

/// Edits the account under the version read (the owner only for a manager or an admin).
#[server(endpoint = "accounts/edit", input = leptos::server_fn::codec::Json)]
pub async fn edit_account(
    id: uuid::Uuid,
    patch: crate::domain::account::profile::AccountPatch,
    version: i32,
) -> Result<crate::domain::account::dto::AccountView, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::account::edit(&state.db, &ctx, id, patch, version).await }).await
}

/// What merging `duplicate` into `survivor` would move.
#[server(endpoint = "accounts/merge_preview", input = leptos::server_fn::codec::Json)]
pub async fn merge_preview(survivor: uuid::Uuid, duplicate: uuid::Uuid) -> Result<crate::domain::account::dto::MergePreview, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::account::merge_preview(&state.db, &ctx, survivor, duplicate).await }).await
}

/// Merges `duplicate` into `survivor`; answers the survivor.
#[server(endpoint = "accounts/merge", input = leptos::server_fn::codec::Json)]
pub async fn merge_accounts(survivor: uuid::Uuid, duplicate: uuid::Uuid) -> Result<crate::domain::account::dto::AccountView, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::account::merge(&state.db, &ctx, survivor, duplicate).await }).await
}
