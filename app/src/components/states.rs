use crate::domain::error::AppError;
use crate::i18n::{error_message, use_i18n, K};
use leptos::prelude::*;

/// Grey placeholder rows while data loads (no jumping spinner).
#[component]
pub fn Skeleton(#[prop(default = 5)] rows: usize) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="skeleton" aria-busy="true" aria-label=move || i18n.t(K::Loading)>
            {(0..rows).map(|_| view! { <div class="skeleton-row"></div> }).collect_view()}
        </div>
    }
}

#[component]
pub fn EmptyState(text: K) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="empty-state">
            <svg class="empty-icon" viewBox="0 0 48 48" aria-hidden="true">
                <path d="M6 10h36l-13 16v12l-10 4V26z" fill="none" stroke="currentColor" stroke-width="2.5" stroke-linejoin="round"/>
            </svg>
            <p>{move || i18n.t(text)}</p>
        </div>
    }
}

/// An error in words the user can act on. The page's own error also sets the HTTP status
/// during SSR; a `panel`'s does not (a side panel refused to this reader must not turn the
/// whole page into a 403).
#[component]
pub fn ErrorNotice(error: AppError, #[prop(optional)] panel: bool) -> impl IntoView {
    let i18n = use_i18n();
    // Only the server sets a status.
    #[cfg(not(feature = "ssr"))]
    let _ = panel;
    #[cfg(feature = "ssr")]
    if let Some(r) = use_context::<leptos_axum::ResponseOptions>().filter(|_| !panel) {
        r.set_status(axum::http::StatusCode::from_u16(error.status()).unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR));
    }
    view! {
        <div class="notice notice-error" role="alert">
            <strong>{move || i18n.t(K::ErrorTitle)}</strong>
            <span>{move || error_message(i18n.locale(), &error)}</span>
        </div>
    }
}
