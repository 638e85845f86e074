use crate::i18n::{use_i18n, K};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(r) = use_context::<leptos_axum::ResponseOptions>() {
        r.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    let i18n = use_i18n();
    view! {
        <Title text=move || i18n.t(K::NotFoundTitle).to_owned()/>
        <div class="page-narrow not-found">
            <p class="big-code">"404"</p>
            <h1>{move || i18n.t(K::NotFoundTitle)}</h1>
            <p class="lead">{move || i18n.t(K::NotFoundText)}</p>
            <a class="btn btn-primary" href="/">{move || i18n.t(K::BackHome)}</a>
        </div>
    }
}
