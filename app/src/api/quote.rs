//! Quote and price-list server functions: one line each over the services REST uses.
use crate::domain::error::AppError;
use crate::domain::quote::dto::{ProductRow, QuoteDraft, QuoteRow, QuoteView};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[server(endpoint = "quote/list", input = Json)]
pub async fn load_quotes(deal: uuid::Uuid) -> Result<Vec<QuoteRow>, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::quote::list_for_deal(&state.db, &ctx, deal).await }).await
}

#[server(endpoint = "quote/get", input = Json)]
pub async fn load_quote(id: uuid::Uuid) -> Result<QuoteView, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::quote::get(&state.db, &ctx, id).await }).await
}

#[server(endpoint = "quote/create", input = Json)]
pub async fn create_quote(deal: uuid::Uuid, draft: QuoteDraft) -> Result<QuoteView, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::quote::create(&state.db, &ctx, deal, draft).await }).await
}

#[server(endpoint = "quote/save", input = Json)]
pub async fn save_quote(id: uuid::Uuid, draft: QuoteDraft, version: i32) -> Result<QuoteView, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::quote::save(&state.db, &ctx, id, draft, version).await }).await
}

/// One lifecycle step by name: submit, send, accept, accept_keep_amount, decline, revise.
#[server(endpoint = "quote/step", input = Json)]
pub async fn quote_step(id: uuid::Uuid, step: String, version: i32) -> Result<QuoteView, AppError> {
    use crate::domain::quote::dto::QuoteOutcome;
    use crate::ssr::context::serve;
    use crate::ssr::service::quote;
    serve(|state, ctx| async move {
        let db = &state.db;
        match step.as_str() {
            "submit" => quote::submit(db, &ctx, id, version).await,
            "send" => quote::send(db, &ctx, id, version).await,
            "accept" => quote::close(db, &ctx, id, QuoteOutcome::Accepted, true, version).await,
            "accept_keep_amount" => quote::close(db, &ctx, id, QuoteOutcome::Accepted, false, version).await,
            "decline" => quote::close(db, &ctx, id, QuoteOutcome::Declined, false, version).await,
            "revise" => quote::revise(db, &ctx, id, version).await,
            _ => Err(AppError::validation("step", "unknown step")),
        }
    })
    .await
}

/// The approver's decision from the quote page (the same path as the inbox).
#[server(endpoint = "quote/decide", input = Json)]
pub async fn decide_quote(approval: uuid::Uuid, approve: bool, comment: Option<String>) -> Result<(), AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::approval::decide(&state.db, &ctx, approval, approve, comment).await.map(|_| ()) })
        .await
}

#[server(endpoint = "quote/products", input = Json)]
pub async fn load_products(all: bool) -> Result<Vec<ProductRow>, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::product::list(&state.db, &ctx, all).await }).await
}

/// Adds a product (`id` None) or replaces one under its version: admins.
#[server(endpoint = "quote/product/save", input = Json)]
pub async fn save_product(
    id: Option<uuid::Uuid>,
    input: crate::domain::product::ProductInput,
    version: i32,
) -> Result<ProductRow, AppError> {
    use crate::ssr::context::serve;
    use crate::ssr::service::product;
    serve(|state, ctx| async move {
        match id {
            Some(id) => product::update(&state.db, &ctx, id, input, version).await,
            None => product::create(&state.db, &ctx, input).await,
        }
    })
    .await
}

/// Reads a price-list CSV: `apply` false previews only; with any bad row nothing is written
/// (admins).
#[server(endpoint = "quote/product/import", input = Json)]
pub async fn import_products(text: String, apply: bool) -> Result<crate::domain::product::csv::ImportReport, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::product::import_csv(&state.db, &ctx, &text, apply).await }).await
}

/// The quote policy: thresholds and defaults (everyone who quotes may read it).
#[server(endpoint = "quote/policy")]
pub async fn load_quote_policy() -> Result<crate::domain::quote::dto::QuotePolicyView, AppError> {
    use crate::ssr::context::serve;
    use crate::ssr::service::product;
    serve(|state, _ctx| async move { product::policy(&state.db).await.map(|p| product::policy_view(&p)) }).await
}

/// Changes who approves a quote (admins), under the policy's version.
#[server(endpoint = "quote/policy/save", input = Json)]
pub async fn save_quote_policy(
    policy: crate::domain::quote::ApprovalPolicy,
    version: i32,
) -> Result<crate::domain::quote::dto::QuotePolicyView, AppError> {
    use crate::ssr::context::serve;
    use crate::ssr::service::product;
    serve(|state, ctx| async move { product::set_policy(&state.db, &ctx, policy, version).await.map(|p| product::policy_view(&p)) }).await
}
