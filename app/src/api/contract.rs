//! Contract server functions: one line each over the service REST uses.
use crate::domain::contract::dto::{
    ContractDraft, ContractFilter, ContractRow, ContractView, ReceiptInput, ReceivableRow, Receivables, SignInput,
};
use crate::domain::contract::ChainRule;
use crate::domain::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[server(endpoint = "contract/list_for_deal", input = Json)]
pub async fn load_deal_contracts(deal: uuid::Uuid) -> Result<Vec<ContractRow>, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::contract::list_for_deal(&state.db, &ctx, deal).await }).await
}

#[server(endpoint = "contract/list", input = Json)]
pub async fn load_contracts(filter: ContractFilter) -> Result<Vec<ContractRow>, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::contract::list(&state.db, &ctx, filter).await }).await
}

#[server(endpoint = "contract/get", input = Json)]
pub async fn load_contract(id: uuid::Uuid) -> Result<ContractView, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::contract::get(&state.db, &ctx, id).await }).await
}

/// Drafts the deal's contract from its accepted quote.
#[server(endpoint = "contract/create", input = Json)]
pub async fn create_contract(deal: uuid::Uuid) -> Result<ContractView, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::contract::create(&state.db, &ctx, deal, None).await }).await
}

#[server(endpoint = "contract/save", input = Json)]
pub async fn save_contract(id: uuid::Uuid, draft: ContractDraft, version: i32) -> Result<ContractView, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::contract::save(&state.db, &ctx, id, draft, version).await }).await
}

/// `submit`, `withdraw`, or `amend` (answers the new amendment).
#[server(endpoint = "contract/step", input = Json)]
pub async fn contract_step(id: uuid::Uuid, step: String, version: i32) -> Result<ContractView, AppError> {
    use crate::ssr::context::serve;
    use crate::ssr::service::contract;
    serve(|state, ctx| async move {
        match step.as_str() {
            "submit" => contract::submit(&state.db, &ctx, id, version).await,
            "withdraw" => contract::withdraw(&state.db, &ctx, id, version).await,
            "amend" => contract::amend(&state.db, &ctx, id, version).await,
            _ => Err(AppError::validation("step", "submit, withdraw or amend")),
        }
    })
    .await
}

#[server(endpoint = "contract/sign", input = Json)]
pub async fn sign_contract(id: uuid::Uuid, input: SignInput, version: i32) -> Result<ContractView, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::contract::sign(&state.db, &ctx, id, input, version).await }).await
}

#[server(endpoint = "contract/receive", input = Json)]
pub async fn record_receipt(id: uuid::Uuid, input: ReceiptInput, version: i32) -> Result<ContractView, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::contract::receive(&state.db, &ctx, id, input, version).await }).await
}

#[server(endpoint = "contract/receivables", input = Json)]
pub async fn load_receivables() -> Result<Receivables, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::contract::receivables(&state.db, &ctx).await }).await
}

#[server(endpoint = "contract/receivable_rows", input = Json)]
pub async fn load_receivable_rows(bucket: Option<String>) -> Result<Vec<ReceivableRow>, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::contract::receivable_rows(&state.db, &ctx, bucket).await }).await
}

/// The approval chain table, for its admin page (administrators; REST lets everyone read it).
#[server(endpoint = "contract/chain", input = Json)]
pub async fn load_contract_chain() -> Result<Vec<ChainRule>, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::contract::chain_rules_to_edit(&state.db, &ctx).await }).await
}

/// Replaces the whole chain table (administrators); contracts already in review keep their chain.
#[server(endpoint = "contract/chain_save", input = Json)]
pub async fn save_contract_chain(rules: Vec<ChainRule>) -> Result<Vec<ChainRule>, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::contract::save_chain_rules(&state.db, &ctx, rules).await }).await
}
