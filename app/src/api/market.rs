//! The target market, the cadence and the capacity plan: the admin's page, the dashboard's
//! split and the capacity view. A line or two each over the services.
use crate::domain::account::cadence::{Cadence, CapacityPlan};
use crate::domain::account::market::{AccountPolicyView, CapacityView, PipelineSplit};
use crate::domain::account::target::TargetMarket;
use crate::domain::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[server(endpoint = "accounts/policy", input = Json)]
pub async fn load_account_policy() -> Result<AccountPolicyView, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::account::market::policy_view(&state.db, &ctx).await }).await
}

/// Saves the target market; answers the page again with the accounts re-counted.
#[server(endpoint = "accounts/policy/market", input = Json)]
pub async fn save_target_market(market: TargetMarket) -> Result<AccountPolicyView, AppError> {
    use crate::ssr::context::serve;
    use crate::ssr::service::account::{market as m, target};
    serve(|state, ctx| async move {
        target::save(&state.db, &ctx, market).await?;
        m::policy_view(&state.db, &ctx).await
    })
    .await
}

#[server(endpoint = "accounts/policy/cadence", input = Json)]
pub async fn save_cadence(cadence: Cadence) -> Result<AccountPolicyView, AppError> {
    use crate::ssr::context::serve;
    use crate::ssr::service::account::{cadence as c, market as m};
    serve(|state, ctx| async move {
        c::save_policy(&state.db, &ctx, cadence).await?;
        m::policy_view(&state.db, &ctx).await
    })
    .await
}

#[server(endpoint = "accounts/policy/capacity", input = Json)]
pub async fn save_capacity_plan(plan: CapacityPlan) -> Result<AccountPolicyView, AppError> {
    use crate::ssr::context::serve;
    use crate::ssr::service::account::{capacity, market as m};
    serve(|state, ctx| async move {
        capacity::save_plan(&state.db, &ctx, plan).await?;
        m::policy_view(&state.db, &ctx).await
    })
    .await
}

/// The viewer's open pipeline inside, outside and unknown against the target market.
#[server(endpoint = "dashboard/market", input = Json)]
pub async fn load_pipeline_split() -> Result<PipelineSplit, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::forecast::pipeline_split(&state.db, &ctx).await }).await
}

#[server(endpoint = "accounts/capacity", input = Json)]
pub async fn load_capacity(team: Option<uuid::Uuid>) -> Result<CapacityView, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::account::capacity::view(&state.db, &ctx, team).await }).await
}
