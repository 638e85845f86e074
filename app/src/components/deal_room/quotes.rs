//! The deal's quotes: number, revision, status, total, margin, validity; a new quote opens
//! the editor. Live: a teammate's quote or an approval shows without reload.
use crate::api::quote::{create_quote, load_quotes};
use crate::components::live::{last_live_event, on_live_change};
use crate::components::money::{DateText, Money};
use crate::components::states::{ErrorNotice, Skeleton};
use crate::domain::quote::dto::QuoteDraft;
use crate::domain::quote::{format_percent, QuoteStatus};
use crate::i18n::{error_message, quote_status, use_i18n, K};
use leptos::prelude::*;
use uuid::Uuid;

#[component]
pub fn QuotesPanel(id: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let facts = Resource::new(|| (), move |_| crate::api::keyinfo::load_facts(id));
    let can_quote = move || facts.get().and_then(|f| f.ok()).is_some_and(|f| f.can_quote);
    let rows = Resource::new(|| (), move |_| load_quotes(id));
    on_live_change(move || {
        if last_live_event().is_some_and(|e| e.deal == Some(id)) {
            rows.refetch();
        }
    });
    let create = Action::new(move |_: &()| async move { create_quote(id, QuoteDraft::default()).await });
    Effect::new(move |_| {
        if let Some(Ok(q)) = create.value().get() {
            let nav = leptos_router::hooks::use_navigate();
            nav(&format!("/quotes/{}", q.id), Default::default());
        }
    });
    view! {
        <section class="panel" id="quotes" data-testid="quotes-panel">
            <div class="panel-head">
                <h2 class="panel-title">{move || i18n.t(K::QuotesTitle)}</h2>
                <Transition fallback=|| ()>
                    {move || can_quote().then(|| view! {
                        <button class="btn btn-primary" data-testid="new-quote" disabled=move || create.pending().get()
                            on:click=move |_| { create.dispatch(()); }>
                            "+ " {move || i18n.t(K::QuoteNew)}
                        </button>
                    })}
                </Transition>
            </div>
            {move || create.value().get().and_then(|r| r.err()).map(|e| view! {
                <p class="field-error" role="alert">{move || error_message(i18n.locale(), &e)}</p>
            })}
            <Transition fallback=|| view! { <Skeleton rows=2/> }>
                {move || rows.get().map(|r| match r {
                    Err(e) => view! { <ErrorNotice error=e panel=true/> }.into_any(),
                    Ok(rows) if rows.is_empty() => view! { <p class="muted">{move || i18n.t(K::QuotesEmpty)}</p> }.into_any(),
                    Ok(rows) => view! {
                        <div class="table-wrap">
                            <table class="table" data-testid="quotes-table">
                                <thead><tr>
                                    <th>{move || i18n.t(K::QuoteNumber)}</th>
                                    <th>{move || i18n.t(K::QuoteStatus)}</th>
                                    <th class="num">{move || i18n.t(K::QuoteTotal)}</th>
                                    <th class="num">{move || i18n.t(K::QuoteDiscount)}</th>
                                    <th class="num">{move || i18n.t(K::QuoteMargin)}</th>
                                    <th>{move || i18n.t(K::QuoteValidUntil)}</th>
                                </tr></thead>
                                <tbody>
                                    {rows.into_iter().map(|q| {
                                        let old = q.status == QuoteStatus::Superseded;
                                        let status = q.status;
                                        view! {
                                            <tr class:row-muted=old data-testid="quote-row" data-status=status.as_str()>
                                                <td><a href=format!("/quotes/{}", q.id)>{q.number.clone()}</a></td>
                                                <td><span class=format!("q-status q-{}", status.as_str())>{move || quote_status(i18n.locale(), status)}</span></td>
                                                <td class="num"><Money fen=q.gross_fen/></td>
                                                <td class="num">{format_percent(q.discount_bp)} " %"</td>
                                                <td class="num">{format_percent(q.margin_bp)} " %"</td>
                                                <td><DateText date=q.valid_until/></td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any(),
                })}
            </Transition>
        </section>
    }
}
