//! "Decide here as in the inbox": the opinion and the two buttons an approver gets on the
//! page of what they approve (a quote, a contract's step, a negotiation's result). The
//! decision goes through the inbox's own server function, so the rules (a rejection needs
//! its reason, only the person it is routed to decides) are the inbox's.
use crate::api::quote::decide_quote;
use crate::domain::error::AppError;
use crate::i18n::{error_message, use_i18n, K};
use leptos::prelude::*;
use uuid::Uuid;

/// Shown while `approval` (the request routed to the viewer) is set. Test ids: `{testid}-decide`,
/// `{testid}-comment`, `{testid}-approve`, `{testid}-reject`, and `decide-error`.
#[component]
pub fn DecideBox(
    #[prop(into)] approval: Signal<Option<Uuid>>,
    testid: &'static str,
    /// A line under the buttons (what a rejection does).
    #[prop(optional)]
    hint: Option<K>,
    /// Called after a decision is recorded: the page reloads what it shows.
    #[prop(into)]
    on_decided: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let comment = RwSignal::new(String::new());
    let decide = Action::new(move |approve: &bool| {
        let (approve, a) = (*approve, approval.get_untracked());
        let c = Some(comment.get_untracked()).filter(|c| !c.trim().is_empty());
        async move {
            match a {
                Some(a) => decide_quote(a, approve, c).await,
                None => Err(AppError::NotFound),
            }
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = decide.value().get() {
            comment.set(String::new());
            on_decided.run(());
        }
    });
    view! {
        {move || approval.get().is_some().then(|| view! {
            <div class="q-decide" data-testid=format!("{testid}-decide")>
                <input type="text" data-testid=format!("{testid}-comment") placeholder=move || i18n.t(K::Comment)
                    aria-label=move || i18n.t(K::Comment)
                    prop:value=move || comment.get() on:input=move |ev| comment.set(event_target_value(&ev))/>
                <button type="button" class="btn btn-primary" data-testid=format!("{testid}-approve") disabled=move || decide.pending().get()
                    on:click=move |_| { decide.dispatch(true); }>{move || i18n.t(K::Approve)}</button>
                <button type="button" class="btn" data-testid=format!("{testid}-reject") disabled=move || decide.pending().get()
                    on:click=move |_| { decide.dispatch(false); }>{move || i18n.t(K::Reject)}</button>
            </div>
            {hint.map(|h| view! { <p class="cell-sub">{move || i18n.t(h)}</p> })}
        })}
        {move || decide.value().get().and_then(|r| r.err()).map(|e| view! {
            <p class="field-error" role="alert" data-testid="decide-error">{move || error_message(i18n.locale(), &e)}</p>
        })}
    }
}
