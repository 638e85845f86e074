//! `/contracts`: the contracts of every deal the viewer sees, filtered by status, type,
//! "waiting for me" (legal and the general manager start here) and overdue payments, with
//! the receivables above.
use crate::api::contract::load_contracts;
use crate::components::deal_room::contracts::ContractTable;
use crate::components::receivables::ReceivablesCard;
use crate::components::states::{ErrorNotice, Skeleton};
use crate::domain::contract::dto::ContractFilter;
use crate::domain::contract::{ContractStatus, ContractType};
use crate::i18n::{contract_status, contract_type, use_i18n, K};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

#[component]
pub fn ContractsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    // The filters live in the URL, so a link ("waiting for me") and Back keep them.
    let filter = Memo::new(move |_| {
        let q = query.read();
        ContractFilter {
            status: q.get("status").and_then(|s| ContractStatus::parse(&s)),
            kind: q.get("kind").and_then(|s| ContractType::parse(&s)),
            mine: q.get("mine").is_some_and(|v| v == "1"),
            overdue: q.get("overdue").is_some_and(|v| v == "1"),
        }
    });
    let tick = use_context::<crate::components::live::LiveTick>();
    let rows = Resource::new(move || (filter.get(), tick.map(|t| t.0.get())), |(f, _)| load_contracts(f));
    let set = move |f: ContractFilter| {
        let mut parts: Vec<String> = Vec::new();
        if let Some(s) = f.status {
            parts.push(format!("status={}", s.as_str()));
        }
        if let Some(k) = f.kind {
            parts.push(format!("kind={}", k.code()));
        }
        if f.mine {
            parts.push("mine=1".into());
        }
        if f.overdue {
            parts.push("overdue=1".into());
        }
        let nav = use_navigate();
        nav(&format!("/contracts{}{}", if parts.is_empty() { "" } else { "?" }, parts.join("&")), Default::default());
    };
    view! {
        <Title text=move || i18n.t(K::ContractsTitle).to_owned()/>
        <div class="page-head"><div><h1>{move || i18n.t(K::ContractsTitle)}</h1></div></div>
        <ReceivablesCard/>
        <section class="panel">
            <div class="filters" data-testid="contract-filters">
                <select data-testid="f-status" aria-label=move || i18n.t(K::QuoteStatus)
                    prop:value=move || filter.get().status.map(|s| s.as_str()).unwrap_or("")
                    on:change=move |ev| set(ContractFilter { status: ContractStatus::parse(&event_target_value(&ev)), ..filter.get_untracked() })>
                    <option value="">{move || i18n.t(K::FilterAnyStatus)}</option>
                    {ContractStatus::ALL.into_iter().map(|s| view! { <option value=s.as_str()>{move || contract_status(i18n.locale(), s)}</option> }).collect_view()}
                </select>
                <select data-testid="f-kind" aria-label=move || i18n.t(K::ContractKind)
                    prop:value=move || filter.get().kind.map(|k| k.code()).unwrap_or("")
                    on:change=move |ev| set(ContractFilter { kind: ContractType::parse(&event_target_value(&ev)), ..filter.get_untracked() })>
                    <option value="">{move || i18n.t(K::FilterAnyType)}</option>
                    {ContractType::ALL.into_iter().map(|k| view! { <option value=k.code()>{move || contract_type(i18n.locale(), k)}</option> }).collect_view()}
                </select>
                <label class="check"><input type="checkbox" data-testid="f-mine" prop:checked=move || filter.get().mine
                    on:change=move |ev| set(ContractFilter { mine: event_target_checked(&ev), ..filter.get_untracked() })/>
                    {move || i18n.t(K::FilterWaitingForMe)}</label>
                <label class="check"><input type="checkbox" data-testid="f-overdue" prop:checked=move || filter.get().overdue
                    on:change=move |ev| set(ContractFilter { overdue: event_target_checked(&ev), ..filter.get_untracked() })/>
                    {move || i18n.t(K::FilterOverdue)}</label>
            </div>
            <Transition fallback=|| view! { <Skeleton rows=6/> }>
                {move || rows.get().map(|r| match r {
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    Ok(rows) if rows.is_empty() => view! { <p class="empty-state">{move || i18n.t(K::ContractsNone)}</p> }.into_any(),
                    Ok(rows) => view! { <ContractTable rows=rows with_deal=true/> }.into_any(),
                })}
            </Transition>
        </section>
    }
}
