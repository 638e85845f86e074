use crate::components::states::EmptyState;
use crate::i18n::{use_i18n, K};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ApprovalsPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=move || i18n.t(K::ApprovalsTitle).to_owned()/>
        <div class="page-head">
            <h1>{move || i18n.t(K::ApprovalsTitle)}</h1>
            <p class="lead">{move || i18n.t(K::ApprovalsLead)}</p>
        </div>
        <div class="panel">
            <EmptyState text=K::ApprovalsEmpty/>
        </div>
    }
}
