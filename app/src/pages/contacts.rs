//! `/contacts`: the people at every account the user sees. Search, the account filter, the
//! sort and the page live in the URL (a filtered list is a link); each row edits in place.
use crate::api::contact::list_contacts;
use crate::components::contact_edit::ContactEditor;
use crate::components::search::{encode, Pager};
use crate::components::states::{EmptyState, ErrorNotice, Skeleton};
use crate::domain::account::contact::{ContactListRow, ContactSort};
use crate::domain::dto::ContactRow;
use crate::i18n::{use_i18n, K};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

fn sort_label(s: ContactSort) -> K {
    match s {
        ContactSort::Name => K::ContactsSortName,
        ContactSort::Account => K::ContactsSortAccount,
        ContactSort::Title => K::ContactsSortTitle,
        ContactSort::Updated => K::ContactsSortUpdated,
    }
}

#[component]
pub fn ContactsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let q = move || query.read().get("q").filter(|s| !s.trim().is_empty());
    let account = move || query.read().get("account").and_then(|a| a.parse::<uuid::Uuid>().ok());
    let sort = move || query.read().get("sort").and_then(|s| ContactSort::parse(&s)).unwrap_or_default();
    let page = move || query.read().get("page").and_then(|p| p.parse::<u64>().ok()).unwrap_or(1);
    // Bumped after an edit or a delete: the page reloads with the same filters.
    let reload = RwSignal::new(0u32);
    let contacts = Resource::new(move || (q(), account(), sort(), page(), reload.get()), |(q, a, s, p, _)| list_contacts(q, a, s, p));
    let editing = RwSignal::new(None::<uuid::Uuid>);
    // Someone else's change reloads the list, unless a row is open for editing here: its
    // form keeps what was typed (a stale save is refused and says so).
    crate::components::live::on_account_change(move || {
        if editing.get_untracked().is_none() {
            reload.update(|n| *n += 1);
        }
    });
    // The filters a pager link and the "all accounts" link keep.
    let without_account = move || {
        let mut h = "/contacts?page=1".to_owned();
        if let Some(q) = q() {
            h.push_str(&format!("&q={}", encode(&q)));
        }
        if sort() != ContactSort::Name {
            h.push_str(&format!("&sort={}", sort().code()));
        }
        h
    };
    view! {
        <Title text=move || i18n.t(K::ContactsTitle).to_owned()/>
        <div class="page-head">
            <div>
                <h1>{move || i18n.t(K::ContactsTitle)}</h1>
                <p class="lead">{move || i18n.t(K::ContactsLead)}</p>
            </div>
            <div class="head-actions">
                <Form method="GET" action="/contacts" attr:class="search contacts-filter" attr:role="search">
                    <label class="sr-only" for="contacts-q">{move || i18n.t(K::Search)}</label>
                    <input id="contacts-q" type="search" name="q" maxlength="200" data-testid="contacts-search"
                        prop:value=move || q().unwrap_or_default() placeholder=move || i18n.t(K::ContactsSearchHint)/>
                    {move || account().map(|a| view! { <input type="hidden" name="account" value=a.to_string()/> })}
                    <label class="sr-only" for="contacts-sort">{move || i18n.t(K::ContactsSortLabel)}</label>
                    <select id="contacts-sort" name="sort" data-testid="contacts-sort" on:change=move |ev| crate::components::auto_submit::submit_own_form(&ev)>
                        {ContactSort::ALL.into_iter().map(|s| view! {
                            <option value=s.code() selected=move || sort() == s>{move || i18n.t(sort_label(s))}</option>
                        }).collect_view()}
                    </select>
                    <button type="submit" class="btn" data-testid="contacts-search-submit">{move || i18n.t(K::Search)}</button>
                </Form>
                <crate::components::export_links::ExportLinks list="contacts" import="contacts"
                    query=Signal::derive(move || crate::components::export_links::search_query(q()))/>
            </div>
        </div>
        <Transition fallback=|| view! { <Skeleton rows=8/> }>
            {move || {
                contacts.get().map(|r| match r {
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    Ok(p) => {
                        let filter_name = account().map(|_| p.rows.first().map(|r| r.account_name.clone()).unwrap_or_default());
                        let chip = filter_name.map(|name| view! {
                            <p class="contacts-chip" data-testid="contacts-account-filter">
                                {move || i18n.t(K::ContactsFilteredBy)} " " <strong>{name}</strong> " "
                                <a class="btn btn-sm" href=without_account()>{move || i18n.t(K::ContactsAllAccounts)}</a>
                            </p>
                        });
                        if p.rows.is_empty() {
                            return view! { {chip} <div class="panel"><EmptyState text=K::ContactsEmpty/></div> }.into_any();
                        }
                        let mut extra = Vec::new();
                        if let Some(a) = account() {
                            extra.push(("account", a.to_string()));
                        }
                        if sort() != ContactSort::Name {
                            extra.push(("sort", sort().code().to_owned()));
                        }
                        view! {
                            {chip}
                            <div class="panel table-wrap">
                                <table class="table contacts-table" data-testid="contacts-table">
                                    <thead>
                                        <tr>
                                            <th>{move || i18n.t(K::ColName)}</th>
                                            <th class="hide-sm">{move || i18n.t(K::AcctColTitle)}</th>
                                            <th class="hide-sm">{move || i18n.t(K::AcctColDepartment)}</th>
                                            <th>{move || i18n.t(K::ColAccount)}</th>
                                            <th class="hide-sm">{move || i18n.t(K::AcctColPhone)}</th>
                                            <th class="hide-sm">{move || i18n.t(K::Email)}</th>
                                            <th class="right">{move || i18n.t(K::ContactsColDeals)}</th>
                                            <th><span class="sr-only">{move || i18n.t(K::Edit)}</span></th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {p.rows.into_iter().map(|r| view! { <ContactLine row=r editing=editing reload=reload/> }).collect_view()}
                                    </tbody>
                                </table>
                                <Pager path="/contacts" q=q() page=p.page per_page=p.per_page total=p.total keep=extra/>
                            </div>
                        }
                        .into_any()
                    }
                })
            }}
        </Transition>
    }
}

/// One contact, and under it the editor while it is open.
#[component]
fn ContactLine(row: ContactListRow, editing: RwSignal<Option<uuid::Uuid>>, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let c: ContactRow = row.contact.clone();
    let id = c.id;
    let sub = [c.title.clone(), c.phone.clone()].into_iter().flatten().collect::<Vec<_>>().join(" · ");
    let email = c.email.clone().map(|e| {
        let href = format!("mailto:{e}");
        view! { <a href=href>{e}</a> }
    });
    let done = move || {
        editing.set(None);
        reload.update(|n| *n += 1);
    };
    view! {
        <tr data-testid="contact-row" data-contact=id.to_string()>
            <td>
                <span class="cell-title" data-testid="contact-row-name">{c.name.clone()}</span>
                <span class="cell-sub show-sm">{sub}</span>
            </td>
            <td class="hide-sm" data-testid="contact-row-title">{c.title.clone().unwrap_or_default()}</td>
            <td class="hide-sm">{c.department.clone().unwrap_or_default()}</td>
            <td>
                <a href=format!("/accounts/{}", c.account_id) data-testid="contact-row-account">{row.account_name.clone()}</a>
                " "
                <a class="muted contacts-only" href=format!("/contacts?account={}", c.account_id) title=move || i18n.t(K::ContactsOnlyAccount)
                    aria-label=move || i18n.t(K::ContactsOnlyAccount) data-testid="contact-row-filter">"⌕"</a>
            </td>
            <td class="hide-sm tel">{c.phone.clone().unwrap_or_default()}</td>
            <td class="hide-sm">{email}</td>
            <td class="right num" data-testid="contact-row-deals">{row.deals}</td>
            <td><button type="button" class="btn btn-sm" data-testid="contact-row-edit" on:click=move |_| editing.set(Some(id))>{move || i18n.t(K::Edit)}</button></td>
        </tr>
        <Show when=move || editing.get() == Some(id)>
            <tr class="contact-edit-row"><td colspan="8">
                <ContactEditor contact=c.clone() on_saved=move |_| done() on_deleted=move |_| done() on_cancel=move |_| editing.set(None)/>
            </td></tr>
        </Show>
    }
}
