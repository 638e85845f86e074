//! The quota editor: the grid of a year and saving its cells.
use crate::domain::error::AppError;
use crate::domain::quota_grid::{QuotaCellEdit, QuotaGrid, QuotaSave};
use leptos::prelude::*;

/// The grid of `year` (none: this year in the organisation's calendar).
#[server(endpoint = "quotas/grid", input = leptos::server_fn::codec::Json)]
pub async fn load_quota_grid(year: Option<i32>) -> Result<QuotaGrid, AppError> {
    use crate::ssr::context::serve;
    use chrono::Datelike;
    serve(|state, ctx| async move {
        let year = year.unwrap_or_else(|| crate::ssr::service::account::cadence::today().year());
        crate::ssr::service::quota::grid(&state.db, &ctx, year).await
    })
    .await
}

/// Saves the cells in one transaction; any refused cell is reported and nothing is written.
#[server(endpoint = "quotas/save", input = leptos::server_fn::codec::Json)]
pub async fn save_quotas(year: i32, cells: Vec<QuotaCellEdit>) -> Result<QuotaSave, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::quota::save_grid(&state.db, &ctx, year, cells).await }).await
}
