use super::account::grade_badge;
use super::account_revisits::{status_text, target_chip};
use crate::api::account::{account_filter_choices, create_account, list_accounts};
use crate::components::export_links::ExportLinks;
use crate::components::money::{DateText, Money};
use crate::components::search::{encode_into, Pager, SearchBox};
use crate::components::states::{EmptyState, ErrorNotice, Skeleton};
use crate::domain::account::cadence::ContactStatus;
use crate::domain::account::listing::{AccountFilter, AccountSort, GradeFilter};
use crate::domain::account::market::FitKind;
use crate::domain::dto::NewAccount;
use crate::domain::error::AppError;
use crate::i18n::listing::{lt, L};
use crate::i18n::market::{fit_name, mt, M};
use crate::i18n::{error_message, use_i18n, I18n, K};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

/// `/accounts` with the filter's parameters (and the search), page 1.
fn url(f: &AccountFilter) -> String {
    let mut s = "/accounts".to_owned();
    let mut sep = '?';
    let mut pairs = f.pairs();
    if let Some(q) = &f.search {
        pairs.insert(0, ("q", q.clone()));
    }
    for (k, v) in pairs {
        s.push(sep);
        s.push_str(k);
        s.push('=');
        encode_into(&mut s, &v);
        sep = '&';
    }
    s
}

/// The filter as a query string for the export links (no leading `?`).
fn export_query(f: &AccountFilter) -> String {
    url(f).split_once('?').map(|(_, q)| q.to_owned()).unwrap_or_default()
}

/// A select that narrows the list: choosing an option goes to the list filtered by it.
fn filter_select(
    label: Signal<&'static str>,
    testid: &'static str,
    current: Signal<String>,
    options: Signal<Vec<(String, String)>>,
    go: impl Fn(String) + Copy + 'static,
) -> impl IntoView {
    view! {
        <label class="filter-select">
            <span class="sr-only">{label}</span>
            <select data-testid=testid aria-label=label on:change=move |ev| go(event_target_value(&ev))>
                {move || {
                    let cur = current.get();
                    options.get().into_iter().map(|(v, text)| {
                        let selected = v == cur;
                        view! { <option value=v selected=selected>{text}</option> }
                    }).collect_view()
                }}
            </select>
        </label>
    }
}

#[component]
pub fn AccountsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let page = move || query.read().get("page").and_then(|p| p.parse::<u64>().ok()).unwrap_or(1);
    // A hand-edited URL with a bad value shows the list without that filter, not an error.
    let filter = Memo::new(move |_| {
        let q = query.read();
        let mut pairs: Vec<(&'static str, String)> = ["q", "due", "target", "grade", "owner", "team", "industry", "sort", "dir"]
            .into_iter()
            .filter_map(|k| q.get(k).map(|v| (k, v)))
            .collect();
        loop {
            match AccountFilter::from_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str()))) {
                Ok(f) => break f,
                Err(bad) => pairs.retain(|(k, _)| *k != bad.field),
            }
        }
    });
    let accounts = Resource::new(move || (filter.get(), page()), |(f, p)| list_accounts(f, p));
    let choices = Resource::new(|| (), |_| account_filter_choices());
    crate::components::live::on_account_change(move || accounts.refetch());
    let navigate = use_navigate();
    let go = move |f: AccountFilter| navigate(&url(&f), Default::default());
    let go = StoredValue::new(go);
    let with = move |change: fn(&mut AccountFilter, String)| {
        move |v: String| {
            let mut f = filter.get_untracked();
            change(&mut f, v);
            go.with_value(|g| g(f));
        }
    };
    let keep = Signal::derive(move || filter.with(|f| f.pairs()));
    let creating = RwSignal::new(false);
    let grade_options = Signal::derive(move || {
        let l = i18n.locale();
        let mut o = vec![(String::new(), lt(l, L::AnyGrade).to_owned())];
        o.extend(GradeFilter::ALL.into_iter().map(|g| {
            let text = match g {
                GradeFilter::Is(g) => format!("{} {}", lt(l, L::GradeN), super::account::grade_letter(g)),
                GradeFilter::Ungraded => lt(l, L::Ungraded).to_owned(),
            };
            (g.code().to_owned(), text)
        }));
        o
    });
    let choice_options = move |any: L, pick: fn(&crate::domain::account::listing::AccountFilterChoices) -> Vec<(String, String)>| {
        Signal::derive(move || {
            let mut o = vec![(String::new(), lt(i18n.locale(), any).to_owned())];
            if let Some(Ok(c)) = choices.get() {
                o.extend(pick(&c));
            }
            o
        })
    };
    let owners = choice_options(L::AnyOwner, |c| c.owners.iter().map(|o| (o.id.to_string(), o.name.clone())).collect());
    let teams = choice_options(L::AnyTeam, |c| c.teams.iter().map(|t| (t.id.to_string(), t.name.clone())).collect());
    let industries = choice_options(L::AnyIndustry, |c| c.industries.iter().map(|i| (i.clone(), i.clone())).collect());
    view! {
        <Title text=move || i18n.t(K::AccountsTitle).to_owned()/>
        <div class="page-head">
            <div>
                <h1>{move || i18n.t(K::AccountsTitle)}</h1>
                <p class="lead">{move || i18n.t(K::AccountsLead)}</p>
            </div>
            <div class="head-actions">
                <button type="button" class="btn btn-primary btn-sm" data-testid="account-new" on:click=move |_| creating.update(|c| *c = !*c)>
                    "+ " {move || lt(i18n.locale(), L::NewAccount)}
                </button>
                <ExportLinks list="accounts" import="accounts" query=Signal::derive(move || filter.with(export_query))/>
                <a class="btn btn-sm" href="/accounts/capacity" data-testid="accounts-capacity-link">{move || mt(i18n.locale(), M::CapacityTitle)}</a>
            </div>
        </div>
        <Show when=move || creating.get()>
            <NewAccountForm on_cancel=Callback::new(move |_| creating.set(false))/>
        </Show>
        <div class="filter-bar" role="group" aria-label=move || lt(i18n.locale(), L::Filters) data-testid="accounts-filters">
            <SearchBox action="/accounts" value=Signal::derive(move || filter.with(|f| f.search.clone().unwrap_or_default())) keep=keep/>
            // The menus read a resource: inside a Transition, so the server and the hydrating
            // browser render the same options (a resource read outside one does not hydrate).
            <Transition fallback=|| ()>
            {filter_select(Signal::derive(move || lt(i18n.locale(), L::GradeN)), "accounts-grade-filter",
                Signal::derive(move || filter.with(|f| f.grade.map(|g| g.code().to_owned()).unwrap_or_default())), grade_options,
                with(|f, v| f.grade = GradeFilter::parse(&v)))}
            {filter_select(Signal::derive(move || lt(i18n.locale(), L::AnyOwner)), "accounts-owner-filter",
                Signal::derive(move || filter.with(|f| f.owner.map(|o| o.to_string()).unwrap_or_default())), owners,
                with(|f, v| f.owner = v.parse().ok()))}
            {filter_select(Signal::derive(move || lt(i18n.locale(), L::AnyTeam)), "accounts-team-filter",
                Signal::derive(move || filter.with(|f| f.team.map(|t| t.to_string()).unwrap_or_default())), teams,
                with(|f, v| f.team = v.parse().ok()))}
            {filter_select(Signal::derive(move || lt(i18n.locale(), L::AnyIndustry)), "accounts-industry-filter",
                Signal::derive(move || filter.with(|f| f.industry.clone().unwrap_or_default())), industries,
                with(|f, v| f.industry = Some(v).filter(|v| !v.is_empty())))}
            </Transition>
            <a class="btn btn-sm" class:active=move || filter.with(|f| f.overdue) data-testid="accounts-overdue-filter"
                href=move || filter.with(|f| url(&AccountFilter { overdue: !f.overdue, ..f.clone() }))>
                {move || i18n.t(K::AcctOverdueFilter)}
            </a>
            <span class="seg" role="group" aria-label=move || mt(i18n.locale(), M::TargetFilter) data-testid="accounts-target-filter">
                {FitKind::ALL
                    .into_iter()
                    .map(|k| {
                        let on = move || filter.with(|f| f.target == Some(k));
                        view! {
                            <a class="btn btn-sm" class:active=on aria-pressed=move || on().to_string()
                                data-testid=format!("accounts-target-{}", k.code())
                                href=move || filter.with(|f| url(&AccountFilter { target: if on() { None } else { Some(k) }, ..f.clone() }))>
                                {move || fit_name(i18n, k)}
                            </a>
                        }
                    })
                    .collect_view()}
            </span>
            <Show when=move || filter.with(|f| f.narrows())>
                <a class="btn btn-ghost btn-sm" href="/accounts" data-testid="accounts-clear-filters">{move || lt(i18n.locale(), L::ClearFilters)}</a>
            </Show>
        </div>
        <Transition fallback=|| view! { <Skeleton rows=8/> }>
            {move || {
                accounts.get().map(|r| match r {
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    Ok(p) if p.rows.is_empty() && filter.with_untracked(|f| f.narrows() && f.search.is_none()) => view! {
                        <div class="panel"><p class="empty-state" data-testid="accounts-no-match">{move || lt(i18n.locale(), L::NoMatch)}</p></div>
                    }.into_any(),
                    Ok(p) if p.rows.is_empty() => view! { <div class="panel"><EmptyState text=K::AccountsEmpty/></div> }.into_any(),
                    Ok(p) => {
                    // The filter and order these rows were fetched with (untracked: it changes with
                    // the rows, not before them), so a test can wait for the new rows.
                    let shown = filter.with_untracked(|f| {
                        f.pairs().iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&")
                    });
                    view! {
                        <div class="panel table-wrap">
                            <table class="table" data-testid="accounts-table" data-shown=shown>
                                <thead>
                                    <tr>
                                        {sort_th(i18n, filter, AccountSort::Name, K::ColAccount, "")}
                                        {sort_th(i18n, filter, AccountSort::Grade, K::ColGrade, "")}
                                        {sort_th(i18n, filter, AccountSort::NextContact, K::ColNextContact, "")}
                                        <th class="hide-sm">{move || i18n.t(K::ColTargetMarket)}</th>
                                        <th class="hide-sm">{move || i18n.t(K::ColIndustry)}</th>
                                        <th class="hide-sm">{move || i18n.t(K::ColCity)}</th>
                                        {sort_th(i18n, filter, AccountSort::Headcount, K::ColHeadcount, "right hide-sm")}
                                        {sort_th(i18n, filter, AccountSort::Revenue, K::ColRevenue, "right hide-sm")}
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
                                                <td class="right hide-sm" data-testid="account-row-revenue" data-fen=a.revenue_fen.map(|r| r.to_string())>{a.revenue_fen.map(|r| view! { <Money fen=r/> })}</td>
                                                <td class="right num">{a.contacts}</td>
                                                <td class="right num">{a.open_deals}</td>
                                                <td class="hide-sm">{a.owner.clone()}</td>
                                            </tr>
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                            <Pager path="/accounts" q=filter.with_untracked(|f| f.search.clone()) page=p.page per_page=p.per_page total=p.total keep=keep.get_untracked()/>
                        </div>
                    }
                    .into_any()
                    }
                })
            }}
        </Transition>
    }
}

/// A column header that sorts the list: the current column shows its direction; a click turns
/// it round, another column sorts in its natural direction (see `AccountSort::descending_first`).
fn sort_th(i18n: I18n, filter: Memo<AccountFilter>, sort: AccountSort, label: K, class: &'static str) -> impl IntoView {
    let on = move || filter.with(|f| f.sort == sort);
    let aria = move || match (on(), filter.with(|f| f.desc)) {
        (false, _) => "none",
        (true, false) => "ascending",
        (true, true) => "descending",
    };
    let arrow = move || match aria() {
        "ascending" => " ▲",
        "descending" => " ▼",
        _ => "",
    };
    let title = move || match aria() {
        "ascending" => lt(i18n.locale(), L::SortedAsc),
        "descending" => lt(i18n.locale(), L::SortedDesc),
        _ => "",
    };
    view! {
        <th class=class aria-sort=aria>
            <a class="sort-link" class:active=on data-testid=format!("accounts-sort-{}", sort.code()) title=title
                href=move || filter.with(|f| url(&f.sorted_by(sort)))>
                {move || i18n.t(label)} {arrow}
            </a>
        </th>
    }
}

/// The new-account form: name required, the rest optional; errors next to their field in
/// the reader's language. Created accounts open at once.
#[component]
fn NewAccountForm(on_cancel: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let name = RwSignal::new(String::new());
    let industry = RwSignal::new(String::new());
    let city = RwSignal::new(String::new());
    let headcount = RwSignal::new(String::new());
    let revenue = RwSignal::new(String::new());
    // (field, message) of the refusal shown, the client's own or the server's.
    let refused = RwSignal::new(None::<(&'static str, String)>);
    let create = Action::new(|n: &NewAccount| create_account(n.clone()));
    let navigate = use_navigate();
    Effect::new(move |_| match create.value().get() {
        Some(Ok(a)) => navigate(&format!("/accounts/{}", a.id), Default::default()),
        Some(Err(AppError::Validation { field, message })) => {
            let f = ["name", "industry", "city", "headcount", "revenue"].into_iter().find(|f| *f == field).unwrap_or("form");
            refused.set(Some((f, message)));
        }
        Some(Err(e)) => refused.set(Some(("form", error_message(i18n.locale(), &e)))),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let l = i18n.locale();
        let opt = |s: RwSignal<String>| Some(s.get_untracked().trim().to_owned()).filter(|s| !s.is_empty());
        if opt(name).is_none() {
            refused.set(Some(("name", lt(l, L::NameRequired).to_owned())));
            return;
        }
        let head = match opt(headcount).map(|h| h.parse::<i32>()) {
            None => None,
            Some(Ok(h)) if h >= 0 => Some(h),
            Some(_) => {
                refused.set(Some(("headcount", lt(l, L::NotANumber).to_owned())));
                return;
            }
        };
        let rev = match opt(revenue).map(|r| crate::domain::money::parse_yuan(&r)) {
            None => None,
            Some(Some(r)) if r >= 0 => Some(r),
            Some(_) => {
                refused.set(Some(("revenue", lt(l, L::NotAnAmount).to_owned())));
                return;
            }
        };
        refused.set(None);
        create.dispatch(NewAccount {
            name: opt(name).unwrap_or_default(),
            industry: opt(industry).unwrap_or_default(),
            city: opt(city),
            headcount: head,
            revenue_fen: rev,
        });
    };
    let err = move |field: &'static str| {
        move || {
            refused
                .get()
                .filter(|(f, _)| *f == field)
                .map(|(_, m)| view! { <span class="field-error" role="alert" data-testid=format!("account-new-error-{field}")>{m}</span> })
        }
    };
    // No maxlength: a longer name is refused by the server with its reason, never cut short.
    let input = move |field: &'static str, label: L, sig: RwSignal<String>, kind: &'static str| {
        let id = format!("account-new-{field}");
        view! {
            <div class="field">
                <label for=id.clone()>{move || lt(i18n.locale(), label)}</label>
                <input id=id.clone() data-testid=id type=kind prop:value=move || sig.get()
                    on:input=move |ev| sig.set(event_target_value(&ev))/>
                {err(field)}
            </div>
        }
    };
    view! {
        <form class="panel new-account" data-testid="account-new-form" on:submit=submit novalidate>
            <h2 class="panel-title">{move || lt(i18n.locale(), L::NewAccountTitle)}</h2>
            <div class="form-grid">
                {input("name", L::Name, name, "text")}
                {input("industry", L::Industry, industry, "text")}
                {input("city", L::City, city, "text")}
                {input("headcount", L::Headcount, headcount, "text")}
                {input("revenue", L::Revenue, revenue, "text")}
            </div>
            {err("form")}
            <div class="form-actions">
                <button type="button" class="btn" on:click=move |_| on_cancel.run(())>{move || lt(i18n.locale(), L::Cancel)}</button>
                <button type="submit" class="btn btn-primary" data-testid="account-new-submit" disabled=move || create.pending().get()>
                    {move || lt(i18n.locale(), L::Create)}
                </button>
            </div>
        </form>
    }
}
