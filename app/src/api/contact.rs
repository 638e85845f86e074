//! Contacts outside the committee map: the `/contacts` list, editing and deleting one.
use crate::domain::account::contact::{ContactPage, ContactPatch, ContactSort};
use crate::domain::dto::ContactRow;
use crate::domain::error::AppError;
use leptos::prelude::*;

pub const CONTACTS_PER_PAGE: u64 = 50;

#[server(endpoint = "contacts/list", input = leptos::server_fn::codec::Json)]
pub async fn list_contacts(
    search: Option<String>,
    account: Option<uuid::Uuid>,
    sort: ContactSort,
    page: u64,
) -> Result<ContactPage, AppError> {
    use crate::ssr::context::serve;
    use crate::ssr::service::account::contacts::{list, ContactQuery};
    serve(
        |state, ctx| async move { list(&state.db, &ctx, ContactQuery { search, account, sort, page, per_page: CONTACTS_PER_PAGE }).await },
    )
    .await
}

/// Saves an edit under the version the form read (a stale one is a conflict).
#[server(endpoint = "contacts/update", input = leptos::server_fn::codec::Json)]
pub async fn update_contact(id: uuid::Uuid, patch: ContactPatch, version: i32) -> Result<ContactRow, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::account::contacts::update(&state.db, &ctx, id, patch, version).await }).await
}

/// Deletes a contact no deal names.
#[server(endpoint = "contacts/delete", input = leptos::server_fn::codec::Json)]
pub async fn delete_contact(id: uuid::Uuid) -> Result<(), AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::account::contacts::delete(&state.db, &ctx, id).await }).await
}
