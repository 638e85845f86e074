//! The deal's contracts: number, type, status, the step it waits for, amount and money
//! received; "draft the contract" starts one from the accepted quote and opens it.
use crate::api::contract::{create_contract, load_deal_contracts};
use crate::components::live::{last_live_event, on_live_change};
use crate::components::money::Money;
use crate::components::states::{ErrorNotice, Skeleton};
use crate::domain::contract::dto::ContractRow;
use crate::i18n::{contract_approver, contract_status, contract_type, error_message, use_i18n, K};
use leptos::prelude::*;
use uuid::Uuid;

/// Rows shared by the deal tab and `/contracts`.
#[component]
pub fn ContractTable(rows: Vec<ContractRow>, #[prop(default = false)] with_deal: bool) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="table-wrap">
            <table class="table" data-testid="contracts-table">
                <thead><tr>
                    <th>{move || i18n.t(K::ContractNumber)}</th>
                    {with_deal.then(|| view! { <th>{move || i18n.t(K::ColDeal)}</th><th>{move || i18n.t(K::ColOwner)}</th> })}
                    <th>{move || i18n.t(K::ContractKind)}</th>
                    <th>{move || i18n.t(K::QuoteStatus)}</th>
                    <th class="num">{move || i18n.t(K::ContractAmount)}</th>
                    <th class="num">{move || i18n.t(K::ContractReceived)}</th>
                    <th class="num">{move || i18n.t(K::ContractOverdue)}</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|c| {
                        let status = c.status;
                        let waiting = c.waiting_for;
                        view! {
                            <tr data-testid="contract-row" data-status=status.as_str() class:row-highlight=c.waiting_for_me>
                                <td><a href=format!("/contracts/{}", c.id)>{c.number.clone()}</a></td>
                                {with_deal.then(|| view! {
                                    <td class="cell-clip" title=c.deal_name.clone()><a href=format!("/deals/{}?tab=contract", c.deal_id)>{c.deal_name.clone()}</a>
                                        <span class="cell-sub">{c.account.clone()}</span></td>
                                    <td>{c.owner.clone()}</td>
                                })}
                                <td>{move || contract_type(i18n.locale(), c.kind)}</td>
                                <td>
                                    <span class=format!("q-status k-{}", status.as_str())>{move || contract_status(i18n.locale(), status)}</span>
                                    {waiting.map(|w| view! { <span class="cell-sub">{move || i18n.t(K::ContractWaitingFor)} " " {move || contract_approver(i18n.locale(), w)}</span> })}
                                </td>
                                <td class="num"><Money fen=c.amount_fen/></td>
                                <td class="num"><Money fen=c.received_fen/></td>
                                <td class="num">{(c.overdue_fen > 0).then(|| view! { <span class="text-danger"><Money fen=c.overdue_fen/></span> })}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
pub fn ContractsPanel(id: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let facts = Resource::new(|| (), move |_| crate::api::keyinfo::load_facts(id));
    let can_work = move || facts.get().and_then(|f| f.ok()).is_some_and(|f| f.can_quote);
    let rows = Resource::new(|| (), move |_| load_deal_contracts(id));
    on_live_change(move || {
        if last_live_event().is_some_and(|e| e.deal == Some(id)) {
            rows.refetch();
        }
    });
    let create = Action::new(move |_: &()| async move { create_contract(id).await });
    Effect::new(move |_| {
        if let Some(Ok(k)) = create.value().get() {
            let nav = leptos_router::hooks::use_navigate();
            nav(&format!("/contracts/{}", k.id), Default::default());
        }
    });
    view! {
        <section class="panel" id="contracts" data-testid="contracts-panel">
            <div class="panel-head">
                <h2 class="panel-title">{move || i18n.t(K::ContractsTitle)}</h2>
                <Transition fallback=|| ()>
                    {move || can_work().then(|| view! {
                        <button class="btn btn-primary" data-testid="new-contract" disabled=move || create.pending().get()
                            on:click=move |_| { create.dispatch(()); }>
                            "+ " {move || i18n.t(K::ContractNew)}
                        </button>
                    })}
                </Transition>
            </div>
            {move || create.value().get().and_then(|r| r.err()).map(|e| view! {
                <p class="field-error" role="alert" data-testid="new-contract-error">{move || error_message(i18n.locale(), &e)}</p>
            })}
            <Transition fallback=|| view! { <Skeleton rows=2/> }>
                {move || rows.get().map(|r| match r {
                    Err(e) => view! { <ErrorNotice error=e panel=true/> }.into_any(),
                    Ok(rows) if rows.is_empty() => view! { <p class="muted">{move || i18n.t(K::ContractsEmpty)}</p> }.into_any(),
                    Ok(rows) => view! { <ContractTable rows=rows/> }.into_any(),
                })}
            </Transition>
        </section>
    }
}
