use super::account::grade_badge;
use super::account_revisits::{status_text, target_chip};
use crate::api::account::list_accounts;
use crate::components::export_links::{search_query, ExportLinks};
use crate::components::money::{DateText, Money};
use crate::components::search::{Pager, SearchBox};
use crate::components::states::{EmptyState, ErrorNotice, Skeleton};
use crate::domain::account::cadence::ContactStatus;
use crate::domain::account::market::{AccountFilter, FitKind};
use crate::i18n::market::{fit_name, mt, M};
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
    let target = move || query.read().get("target").and_then(|t| FitKind::parse(&t));
    let filter = move || AccountFilter { search: q(), overdue: overdue(), target: target() };
    let accounts = Resource::new(move || (filter(), page()), |(f, p)| list_accounts(f, p));
    crate::components::live::on_account_change(move || accounts.refetch());
    // The filters a link or the pager keeps (the search box starts a new search).
    let link = move |due: bool, fit: Option<FitKind>| {
        let mut s = "/accounts".to_owned();
        let mut sep = '?';
        if let Some(q) = q() {
            s.push_str("?q=");
            crate::components::search::encode_into(&mut s, &q);
            sep = '&';
        }
        if due {
            s.push(sep);
            s.push_str("due=overdue");
            sep = '&';
        }
        if let Some(f) = fit {
            s.push(sep);
            s.push_str("target=");
            s.push_str(f.code());
        }
        s
    };
    let keep = move || {
        let mut k: Vec<(&'static str, String)> = Vec::new();
        if overdue() {
            k.push(("due", "overdue".to_owned()));
        }
        if let Some(f) = target() {
            k.push(("target", f.code().to_owned()));
        }
        k
    };
    view! {
        <Title text=move || i18n.t(K::AccountsTitle).to_owned()/>
        <div class="page-head">
            <div>
                <h1>{move || i18n.t(K::AccountsTitle)}</h1>
                <p class="lead">{move || i18n.t(K::AccountsLead)}</p>
            </div>
            <div class="head-actions">
                <a class="btn btn-sm" class:active=overdue data-testid="accounts-overdue-filter"
                    href=move || link(!overdue(), target())>
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
                <span class="seg" role="group" aria-label=move || mt(i18n.locale(), M::TargetFilter) data-testid="accounts-target-filter">
                    {FitKind::ALL
                        .into_iter()
                        .map(|k| {
                            let on = move || target() == Some(k);
                            view! {
                                <a class="btn btn-sm" class:active=on aria-pressed=move || on().to_string()
                                    data-testid=format!("accounts-target-{}", k.code())
                                    href=move || link(overdue(), if on() { None } else { Some(k) })>
                                    {move || fit_name(i18n, k)}
                                </a>
                            }
                        })
                        .collect_view()}
                </span>
                <a class="btn btn-sm" href="/accounts/capacity" data-testid="accounts-capacity-link">{move || mt(i18n.locale(), M::CapacityTitle)}</a>
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
                            <Pager path="/accounts" q=q() page=p.page per_page=p.per_page total=p.total keep=keep()/>
                        </div>
                    }
                    .into_any(),
                })
            }}
        </Transition>
    }
}
