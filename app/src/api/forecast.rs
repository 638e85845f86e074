use crate::domain::dashboard::{Dashboard, DrillPage};
use crate::domain::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "forecast/dashboard")]
pub async fn load_dashboard(pipeline: Option<uuid::Uuid>) -> Result<Dashboard, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::forecast::dashboard(&state.db, &ctx, pipeline).await }).await
}

/// `what` is a drill code such as `stage:<uuid>` or `bucket:m3` (see `Drill::parse`).
#[server(endpoint = "forecast/deals")]
pub async fn load_drill(what: String) -> Result<DrillPage, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move {
        let d =
            crate::domain::dashboard::Drill::parse(&what).ok_or_else(|| AppError::validation("what", "not a figure of the dashboard"))?;
        crate::ssr::service::forecast::drill_page(&state.db, &ctx, &d, crate::ssr::service::forecast::DRILL_ROWS).await
    })
    .await
}
