use super::stage_name;
use crate::api::deal::list_deals;
use crate::components::export_links::{search_query, ExportLinks};
use crate::components::money::{DateText, Money};
use crate::components::search::{Pager, SearchBox};
use crate::components::states::{EmptyState, ErrorNotice, Skeleton};
use crate::domain::gate::StageKind;
use crate::i18n::{use_i18n, K};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn DealsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let q = move || query.read().get("q").filter(|s| !s.is_empty());
    let page = move || query.read().get("page").and_then(|p| p.parse::<u64>().ok()).unwrap_or(1);
    let deals = Resource::new(move || (q(), page()), |(q, p)| list_deals(q, p));
    view! {
        <Title text=move || i18n.t(K::DealsTitle).to_owned()/>
        <div class="page-head">
            <div>
                <h1>{move || i18n.t(K::DealsTitle)}</h1>
                <p class="lead">{move || i18n.t(K::DealsLead)}</p>
            </div>
            <div class="head-actions">
                <ExportLinks list="deals" query=Signal::derive(move || search_query(q())) import="deals"/>
                <SearchBox action="/deals" value=Signal::derive(move || q().unwrap_or_default())/>
            </div>
        </div>
        <Transition fallback=|| view! { <Skeleton rows=8/> }>
            {move || {
                deals.get().map(|r| match r {
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    Ok(p) if p.rows.is_empty() => view! { <div class="panel"><EmptyState text=K::DealsEmpty/></div> }.into_any(),
                    Ok(p) => {
                        let today = p.today;
                        view! {
                        <div class="panel table-wrap">
                            <table class="table" data-testid="deals-table">
                                <thead>
                                    <tr>
                                        <th>{move || i18n.t(K::ColDeal)}</th>
                                        <th>{move || i18n.t(K::ColStage)}</th>
                                        <th class="right">{move || i18n.t(K::ColAmount)}</th>
                                        <th class="right hide-sm">{move || i18n.t(K::ColWeighted)}</th>
                                        <th>{move || i18n.t(K::ColCloseDate)}</th>
                                        <th class="hide-sm">{move || i18n.t(K::ColOwner)}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {p.rows
                                        .iter()
                                        .map(|d| {
                                            let st = d.stage.clone();
                                            let overdue = d.close_date < today && StageKind::Open.matches(&d.stage.kind);
                                            let weighted = d.weighted_fen();
                                            view! {
                                                <tr>
                                                    <td>
                                                        <span class="cell-title" title=d.name.clone()>{d.name.clone()}</span>
                                                        <span class="cell-sub">{d.account.clone()}</span>
                                                    </td>
                                                    <td>
                                                        <span class=format!("stage-chip kind-{}", d.stage.kind)>
                                                            {move || stage_name(&st, i18n.locale())}
                                                        </span>
                                                    </td>
                                                    <td class="right"><Money fen=d.amount_fen currency=d.currency.clone()/></td>
                                                    <td class="right hide-sm muted"><Money fen=weighted currency=d.currency.clone()/></td>
                                                    <td class:overdue=overdue>
                                                        <DateText date=d.close_date/>
                                                        {overdue.then(|| view! { <span class="sr-only">" " {move || i18n.t(K::Overdue)}</span> <span class="overdue-icon" aria-hidden="true">" ⚠"</span> })}
                                                    </td>
                                                    <td class="hide-sm">{d.owner.clone()}</td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                            <Pager path="/deals" q=q() page=p.page per_page=p.per_page total=p.total/>
                        </div>
                    }
                    .into_any()
                    }
                })
            }}
        </Transition>
    }
}
