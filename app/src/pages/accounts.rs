use crate::components::export_links::{search_query, ExportLinks};
use super::account::grade_badge;
use super::account_revisits::{status_text, target_chip};
use crate::api::account::list_accounts;
use crate::components::money::{DateText, Money};
use crate::components::search::{Pager, SearchBox};
use crate::components::states::{EmptyState, ErrorNotice, Skeleton};
use crate::domain::account::cadence::ContactStatus;
use crate::i18n::{use_i18n, K};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AccountsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let q = move || query.read().get("q").filter(|s| !s.is_empty());
    let page = move || query.read().get("page").and_then(|p| p.parse::<u64>().ok()).unwrap_or(1);
    let overdue = move || query.read().get("due").is_some_and(|d| d == "overdue");
    let accounts = Resource::new(move || (q(), overdue(), page()), |(q, o, p)| list_accounts(q, o, p));
    view! {
        <Title text=move || i18n.t(K::AccountsTitle).to_owned()/>
        <div class="page-head">
            <div>
                <h1>{move || i18n.t(K::AccountsTitle)}</h1>
                <p class="lead">{move || i18n.t(K::AccountsLead)}</p>
            </div>
            <div class="head-actions">
                <a class="btn btn-sm" class:active=overdue data-testid="accounts-overdue-filter"
                    href=move || if overdue() { "/accounts".to_owned() } else { "/accounts?due=overdue".to_owned() }>
                    {move || i18n.t(K::AcctOverdueFilter)}
                </a>
                <ExportLinks list="accounts" import="accounts" query=Signal::derive(move || {
                    let s = search_query(q());
                    match (overdue(), s.is_empty()) {
                        (true, true) => "overdue=true".to_owned(),
                        (true, false) => format!("{s}&overdue=true"),
                        (false, _) => s,
                    }
                })/>
                <SearchBox action="/accounts" value=Signal::derive(move || q().unwrap_or_default())/>
            </div>
        </div>
        <Transition fallback=|| view! { <Skeleton rows=8/> }>
            {move || {
                accounts.get().map(|r| match r {
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    Ok(p) if p.rows.is_empty() => view! { <div class="panel"><EmptyState text=K::AccountsEmpty/></div> }.into_any(),
                    Ok(p) => view! {
                        <div class="panel table-wrap">
                            <table class="table" data-testid="accounts-table">
                                <thead>
                                    <tr>
                                        <th>{move || i18n.t(K::ColAccount)}</th>
                                        <th>{move || i18n.t(K::ColGrade)}</th>
                                        <th>{move || i18n.t(K::ColNextContact)}</th>
                                        <th class="hide-sm">{move || i18n.t(K::ColTargetMarket)}</th>
                                        <th class="hide-sm">{move || i18n.t(K::ColIndustry)}</th>
                                        <th class="hide-sm">{move || i18n.t(K::ColCity)}</th>
                                        <th class="right hide-sm">{move || i18n.t(K::ColHeadcount)}</th>
                                        <th class="right hide-sm">{move || i18n.t(K::ColRevenue)}</th>
                                        <th class="right">{move || i18n.t(K::ColContacts)}</th>
                                        <th class="right">{move || i18n.t(K::ColOpenDeals)}</th>
                                        <th class="hide-sm">{move || i18n.t(K::ColOwner)}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {p.rows
                                        .iter()
                                        .map(|a| view! {
                                            <tr>
                                                <td>
                                                    <a class="cell-title" href=format!("/accounts/{}", a.id) data-testid="account-link">{a.name.clone()}</a>
                                                    <span class="cell-sub">{a.team.clone()}</span>
                                                </td>
                                                <td class="acct-grade-cell">{grade_badge(i18n, a.grade, a.grade_since, "account-row-grade")}</td>
                                                <td class="acct-next-cell" data-testid="account-row-next" data-status=a.contact_status.code()>
                                                    {a.next_contact_on.map(|d| view! { <DateText date=d/> })}
                                                    {matches!(a.contact_status, ContactStatus::Overdue { .. } | ContactStatus::DueThisWeek).then(|| {
                                                        let (text, cls) = status_text(i18n, a.contact_status);
                                                        view! { " " <span class=cls>{text}</span> }
                                                    })}
                                                </td>
                                                <td class="hide-sm">{target_chip(i18n, a.target.clone(), "account-row-target")}</td>
                                                <td class="hide-sm">{a.industry.clone()}</td>
                                                <td class="hide-sm">{a.city.clone().unwrap_or_default()}</td>
                                                <td class="right num hide-sm">{a.headcount.map(|h| h.to_string()).unwrap_or_default()}</td>
                                                <td class="right hide-sm">{a.revenue_fen.map(|r| view! { <Money fen=r/> })}</td>
                                                <td class="right num">{a.contacts}</td>
                                                <td class="right num">{a.open_deals}</td>
                                                <td class="hide-sm">{a.owner.clone()}</td>
                                            </tr>
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                            <Pager path="/accounts" q=q() page=p.page per_page=p.per_page total=p.total
                                extra=if overdue() { vec![("due", "overdue".to_owned())] } else { Vec::new() }/>
                        </div>
                    }
                    .into_any(),
                })
            }}
        </Transition>
    }
}
