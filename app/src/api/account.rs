use crate::domain::{dto::AccountPage, error::AppError};
use leptos::prelude::*;

pub const ACCOUNTS_PER_PAGE: u64 = 50;

#[server(endpoint = "accounts/list")]
pub async fn list_accounts(search: Option<String>, page: u64) -> Result<AccountPage, AppError> {
    use crate::ssr::context::{request_context, respond};
    respond(
        async {
            let (state, ctx) = request_context()?;
            crate::ssr::service::account::list(&state.db, &ctx, search, page, ACCOUNTS_PER_PAGE).await
        }
        .await,
    )
}
