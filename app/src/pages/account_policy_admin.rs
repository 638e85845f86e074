//! `/admin/accounts`: the target market, the contact cadence and the capacity plan, each its
//! own form. The browser checks with the same pure rules the server applies (`validate()` in
//! `domain::account`), so an error stands next to its field before anything is sent; the
//! server's answer (the rules again, and who may save) lands in the same place. After a save
//! the page shows where the accounts stand under the market now.
use crate::api::market::{load_account_policy, save_cadence, save_capacity_plan, save_target_market};
use crate::components::states::{ErrorNotice, Skeleton};
use crate::domain::account::cadence::{Cadence, CapacityPlan, CapacityRow, Every, Tier, MONTHS_MAX};
use crate::domain::account::market::AccountPolicyView;
use crate::domain::account::target::TargetMarket;
use crate::domain::error::AppError;
use crate::domain::money::parse_yuan;
use crate::i18n::market::{fit_name, mt, policy_error, M};
use crate::i18n::{use_i18n, K};
use leptos::prelude::*;
use leptos_meta::Title;

/// Fen as yuan for an input ("30000000", "1234.50").
fn yuan_text(fen: i64) -> String {
    if fen % 100 == 0 {
        (fen / 100).to_string()
    } else {
        format!("{}.{:02}", fen / 100, (fen % 100).abs())
    }
}

/// An optional number as typed: empty is `None`, anything unreadable names its field.
fn opt<T>(field: &str, text: &str, parse: impl Fn(&str) -> Option<T>) -> Result<Option<T>, AppError> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    parse(t).map(Some).ok_or_else(|| AppError::validation(field, "not a number"))
}

fn err_on(err: RwSignal<Option<AppError>>, field: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        err.with(|e| match e {
            Some(e @ AppError::Validation { field: f, .. }) if f == field => Some(view! {
                <span class="field-error" role="alert" data-testid=format!("err-{field}")>{policy_error(i18n.locale(), e)}</span>
            }),
            _ => None,
        })
    }
}

/// An error no field of `fields` shows (a refusal, a conflict), under the buttons.
fn err_else(err: RwSignal<Option<AppError>>, fields: &'static [&'static str]) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        err.with(|e| match e {
            Some(AppError::Validation { field, .. }) if fields.contains(&field.as_str()) => None,
            Some(e) => {
                Some(view! { <span class="field-error" role="alert" data-testid="form-error">{policy_error(i18n.locale(), e)}</span> })
            }
            None => None,
        })
    }
}

#[component]
pub fn AccountPolicyAdminPage() -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(|| (), |_| load_account_policy());
    view! {
        <Title text=move || mt(i18n.locale(), M::PolicyTitle).to_owned()/>
        <div class="page-head">
            <div>
                <h1>{move || mt(i18n.locale(), M::PolicyTitle)}</h1>
                <p class="lead">{move || mt(i18n.locale(), M::PolicyLead)}</p>
            </div>
            <div class="head-actions">
                <a class="btn" href="/accounts/capacity" data-testid="policy-capacity-link">{move || mt(i18n.locale(), M::CapacityTitle)}</a>
                <a class="btn" href="/admin">{move || i18n.t(K::NavAdmin)}</a>
            </div>
        </div>
        <Transition fallback=|| view! { <Skeleton rows=6/> }>
            {move || {
                data.get().map(|r| match r {
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    Ok(v) => view! { <PolicyForms initial=v/> }.into_any(),
                })
            }}
        </Transition>
    }
}

#[component]
fn PolicyForms(initial: AccountPolicyView) -> impl IntoView {
    let current = RwSignal::new(initial);
    view! {
        <div class="grid-2">
            <MarketForm current=current/>
            <div>
                <CadenceForm current=current/>
                <PlanForm current=current/>
            </div>
        </div>
    }
}

#[component]
fn MarketForm(current: RwSignal<AccountPolicyView>) -> impl IntoView {
    let i18n = use_i18n();
    let m = current.with_untracked(|v| v.market.clone());
    let industries = RwSignal::new(m.industries.clone());
    let draft = RwSignal::new(String::new());
    let text = |v: Option<i64>| RwSignal::new(v.map(yuan_text).unwrap_or_default());
    let (rev_min, rev_max, profit) = (text(m.revenue_min_fen), text(m.revenue_max_fen), text(m.profit_floor_fen));
    let hc = |v: Option<i32>| RwSignal::new(v.map(|n| n.to_string()).unwrap_or_default());
    let (hc_min, hc_max) = (hc(m.headcount_min), hc(m.headcount_max));
    let err: RwSignal<Option<AppError>> = RwSignal::new(None);
    let save = Action::new(move |m: &TargetMarket| save_target_market(m.clone()));
    Effect::new(move |_| match save.value().get() {
        Some(Ok(v)) => {
            err.set(None);
            current.set(v);
        }
        Some(Err(e)) => err.set(Some(e)),
        None => {}
    });
    let add = move || {
        let t = draft.get_untracked().trim().to_owned();
        if !t.is_empty() {
            industries.update(|l| l.push(t));
            draft.set(String::new());
        }
    };
    let read = move || -> Result<TargetMarket, AppError> {
        let mut list = industries.get_untracked();
        // A word typed but not yet added counts: the admin meant it.
        let typed = draft.get_untracked().trim().to_owned();
        if !typed.is_empty() {
            list.push(typed);
        }
        let m = TargetMarket {
            industries: list,
            revenue_min_fen: opt("revenue_min", &rev_min.get_untracked(), parse_yuan)?,
            revenue_max_fen: opt("revenue_max", &rev_max.get_untracked(), parse_yuan)?,
            headcount_min: opt("headcount_min", &hc_min.get_untracked(), |s| s.parse().ok())?,
            headcount_max: opt("headcount_max", &hc_max.get_untracked(), |s| s.parse().ok())?,
            profit_floor_fen: opt("profit_floor", &profit.get_untracked(), parse_yuan)?,
        };
        m.validate()?;
        Ok(m)
    };
    let number = move |label: M, field: &'static str, sig: RwSignal<String>| {
        view! {
            <div class="field" class:field-invalid=move || err.with(|e| matches!(e, Some(AppError::Validation { field: f, .. }) if f == field))>
                <label for=format!("tm-{field}")>{move || mt(i18n.locale(), label)}</label>
                <input id=format!("tm-{field}") type="text" inputmode="decimal" maxlength="24" data-testid=format!("tm-{field}")
                    prop:value=move || sig.get() on:input=move |ev| sig.set(event_target_value(&ev))/>
                {err_on(err, field)}
            </div>
        }
    };
    view! {
        <section class="panel">
            <h2 class="panel-title">{move || mt(i18n.locale(), M::MarketTitle)}</h2>
            <form class="form" data-testid="market-form" novalidate on:submit=move |ev| {
                ev.prevent_default();
                match read() {
                    Err(e) => err.set(Some(e)),
                    Ok(m) => {
                        err.set(None);
                        draft.set(String::new());
                        industries.set(m.industries.clone());
                        save.dispatch(m);
                    }
                }
            }>
                <div class="field" class:field-invalid=move || err.with(|e| matches!(e, Some(AppError::Validation { field, .. }) if field == "industries"))>
                    <label for="tm-industry">{move || mt(i18n.locale(), M::Industries)}</label>
                    <div class="chips-input" data-testid="tm-industries">
                        {move || {
                            industries
                                .get()
                                .into_iter()
                                .enumerate()
                                .map(|(i, name)| view! {
                                    <span class="chip" data-testid="tm-industry-chip">
                                        // Canonical codes read as words ("transport equipment").
                                        {name.replace('_', " ")}
                                        <button type="button" aria-label=move || format!("{} {}", mt(i18n.locale(), M::RemoveIndustry), name)
                                            data-testid="tm-industry-remove"
                                            on:click=move |_| industries.update(|l| { if i < l.len() { l.remove(i); } })>"×"</button>
                                    </span>
                                })
                                .collect_view()
                        }}
                        <input id="tm-industry" type="text" maxlength="100" data-testid="tm-industry-input" list="tm-industry-codes"
                            prop:value=move || draft.get() on:input=move |ev| draft.set(event_target_value(&ev))
                            on:keydown=move |ev| if ev.key() == "Enter" { ev.prevent_default(); add(); }/>
                        <datalist id="tm-industry-codes">
                            {["electronics", "electrical", "machinery", "hardware", "tools", "transport_equipment"].map(|c| view! { <option value=c></option> }).collect_view()}
                        </datalist>
                        <button type="button" class="btn btn-sm" data-testid="tm-industry-add" on:click=move |_| add()>{move || mt(i18n.locale(), M::AddIndustry)}</button>
                    </div>
                    <span class="muted">{move || mt(i18n.locale(), M::IndustriesHint)}</span>
                    {err_on(err, "industries")}
                </div>
                <div class="policy-grid">
                    {number(M::RevenueMin, "revenue_min", rev_min)}
                    {number(M::RevenueMax, "revenue_max", rev_max)}
                    {number(M::HeadcountMin, "headcount_min", hc_min)}
                    {number(M::HeadcountMax, "headcount_max", hc_max)}
                    {number(M::ProfitFloor, "profit_floor", profit)}
                </div>
                <p class="muted">{move || mt(i18n.locale(), M::BlankNotAsked)}</p>
                <div class="form-actions">
                    {err_else(err, &["industries", "revenue_min", "revenue_max", "headcount_min", "headcount_max", "profit_floor"])}
                    {move || matches!(save.value().get(), Some(Ok(_))).then(|| view! { <span class="saved" role="status" data-testid="market-saved">"✓ " {move || i18n.t(K::Saved)}</span> })}
                    <button type="submit" class="btn btn-primary" data-testid="market-save" disabled=move || save.pending().get()>{move || mt(i18n.locale(), M::SaveMarket)}</button>
                </div>
            </form>
            <h3>{move || mt(i18n.locale(), M::CountsTitle)}</h3>
            <div class="policy-counts" data-testid="market-counts">
                {move || {
                    current.with(|v| v.counts.clone()).into_iter().map(|c| view! {
                        <a class="chip" href=format!("/accounts?target={}", c.fit.code()) data-testid=format!("market-count-{}", c.fit.code())>
                            {move || fit_name(i18n, c.fit)} ": " <strong class="num">{c.count}</strong>
                        </a>
                    }).collect_view()
                }}
            </div>
        </section>
    }
}

fn every_code(e: Every) -> String {
    match e {
        Every::Months(n) => n.to_string(),
        Every::CampaignsOnly => String::new(),
    }
}

#[component]
fn CadenceForm(current: RwSignal<AccountPolicyView>) -> impl IntoView {
    let i18n = use_i18n();
    let c = current.with_untracked(|v| v.cadence);
    let sigs = [
        ("a", "cadence_a", RwSignal::new(every_code(c.a))),
        ("b", "cadence_b", RwSignal::new(every_code(c.b))),
        ("c", "cadence_c", RwSignal::new(every_code(c.c))),
        ("d", "cadence_d", RwSignal::new(every_code(c.d))),
    ];
    let err: RwSignal<Option<AppError>> = RwSignal::new(None);
    let save = Action::new(move |c: &Cadence| save_cadence(*c));
    Effect::new(move |_| match save.value().get() {
        Some(Ok(v)) => {
            err.set(None);
            current.set(v);
        }
        Some(Err(e)) => err.set(Some(e)),
        None => {}
    });
    let read = move || -> Result<Cadence, AppError> {
        let every = |i: usize| -> Result<Every, AppError> {
            let (_, field, sig) = sigs[i];
            Ok(opt(field, &sig.get_untracked(), |s| s.parse::<u32>().ok())?.map_or(Every::CampaignsOnly, Every::Months))
        };
        let c = Cadence { a: every(0)?, b: every(1)?, c: every(2)?, d: every(3)? };
        c.validate()?;
        Ok(c)
    };
    view! {
        <section class="panel">
            <h2 class="panel-title">{move || mt(i18n.locale(), M::CadenceTitle)}</h2>
            <p class="muted">{move || mt(i18n.locale(), M::CadenceHint)}</p>
            <form class="form" data-testid="cadence-form" novalidate on:submit=move |ev| {
                ev.prevent_default();
                match read() {
                    Err(e) => err.set(Some(e)),
                    Ok(c) => {
                        err.set(None);
                        save.dispatch(c);
                    }
                }
            }>
                <div class="policy-grid">
                    {sigs
                        .into_iter()
                        .map(|(grade, field, sig)| view! {
                            <div class="field">
                                <label for=format!("cd-{grade}")>{move || mt(i18n.locale(), M::Grade)} " " {grade.to_uppercase()}</label>
                                <select id=format!("cd-{grade}") data-testid=format!("cd-{grade}") prop:value=move || sig.get()
                                    on:change=move |ev| sig.set(event_target_value(&ev))>
                                    <option value="">{move || mt(i18n.locale(), M::CampaignsOnly)}</option>
                                    {(1..=MONTHS_MAX).map(|n| view! { <option value=n.to_string()>{n}</option> }).collect_view()}
                                </select>
                                {err_on(err, field)}
                            </div>
                        })
                        .collect_view()}
                </div>
                <p class="muted">{move || mt(i18n.locale(), M::EveryMonths)}</p>
                <div class="form-actions">
                    {err_else(err, &["cadence_a", "cadence_b", "cadence_c", "cadence_d"])}
                    {move || matches!(save.value().get(), Some(Ok(_))).then(|| view! { <span class="saved" role="status" data-testid="cadence-saved">"✓ " {move || i18n.t(K::Saved)}</span> })}
                    <button type="submit" class="btn btn-primary" data-testid="cadence-save" disabled=move || save.pending().get()>{move || mt(i18n.locale(), M::SaveCadence)}</button>
                </div>
            </form>
        </section>
    }
}

pub fn tier_label(l: crate::domain::locale::Locale, t: Tier) -> &'static str {
    match t {
        Tier::A => "A",
        Tier::B => "B",
        Tier::C => "C",
        Tier::D => mt(l, M::TierD),
        Tier::New => mt(l, M::TierNew),
    }
}

#[component]
fn PlanForm(current: RwSignal<AccountPolicyView>) -> impl IntoView {
    let i18n = use_i18n();
    let plan = current.with_untracked(|v| v.plan.clone());
    // Every tier has a row; one left without accounts is not in the plan.
    let rows: Vec<(Tier, RwSignal<String>, RwSignal<String>)> = Tier::ALL
        .into_iter()
        .map(|t| {
            let line = plan.per_tier.iter().find(|r| r.tier == t);
            (
                t,
                RwSignal::new(line.map(|r| r.accounts.to_string()).unwrap_or_default()),
                RwSignal::new(line.map(|r| r.days_per_month.to_string()).unwrap_or_default()),
            )
        })
        .collect();
    let rows = StoredValue::new(rows);
    let err: RwSignal<Option<AppError>> = RwSignal::new(None);
    let save = Action::new(move |p: &CapacityPlan| save_capacity_plan(p.clone()));
    Effect::new(move |_| match save.value().get() {
        Some(Ok(v)) => {
            err.set(None);
            current.set(v);
        }
        Some(Err(e)) => err.set(Some(e)),
        None => {}
    });
    let read = move || -> Result<CapacityPlan, AppError> {
        let mut per_tier = Vec::new();
        for (tier, accounts, days) in rows.get_value() {
            let Some(accounts) = opt("accounts", &accounts.get_untracked(), |s| s.parse::<u32>().ok())? else { continue };
            let days_per_month = opt("days_per_month", &days.get_untracked(), |s| s.parse::<u32>().ok())?.unwrap_or(0);
            per_tier.push(CapacityRow { tier, accounts, days_per_month });
        }
        let p = CapacityPlan { per_tier };
        p.validate()?;
        Ok(p)
    };
    let total = move || rows.get_value().iter().map(|(_, _, d)| d.get().trim().parse::<u32>().unwrap_or(0)).sum::<u32>();
    view! {
        <section class="panel">
            <h2 class="panel-title">{move || mt(i18n.locale(), M::PlanTitle)}</h2>
            <p class="muted">{move || mt(i18n.locale(), M::PlanHint)}</p>
            <form class="form" data-testid="plan-form" novalidate on:submit=move |ev| {
                ev.prevent_default();
                match read() {
                    Err(e) => err.set(Some(e)),
                    Ok(p) => {
                        err.set(None);
                        save.dispatch(p);
                    }
                }
            }>
                <div class="table-wrap">
                    <table class="table">
                        <thead>
                            <tr>
                                <th>{move || mt(i18n.locale(), M::Grade)}</th>
                                <th class="right">{move || mt(i18n.locale(), M::PlanAccounts)}</th>
                                <th class="right">{move || mt(i18n.locale(), M::PlanDays)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {rows
                                .get_value()
                                .into_iter()
                                .map(|(tier, accounts, days)| view! {
                                    <tr>
                                        <td>{move || tier_label(i18n.locale(), tier)}</td>
                                        <td class="right">
                                            <input type="text" inputmode="numeric" maxlength="5" size="5" data-testid=format!("plan-accounts-{}", tier.code())
                                                aria-label=move || format!("{} {}", tier_label(i18n.locale(), tier), mt(i18n.locale(), M::PlanAccounts))
                                                prop:value=move || accounts.get() on:input=move |ev| accounts.set(event_target_value(&ev))/>
                                        </td>
                                        <td class="right">
                                            <input type="text" inputmode="numeric" maxlength="3" size="3" data-testid=format!("plan-days-{}", tier.code())
                                                aria-label=move || format!("{} {}", tier_label(i18n.locale(), tier), mt(i18n.locale(), M::PlanDays))
                                                prop:value=move || days.get() on:input=move |ev| days.set(event_target_value(&ev))/>
                                        </td>
                                    </tr>
                                })
                                .collect_view()}
                            <tr>
                                <td colspan="2">{move || mt(i18n.locale(), M::PlanTotal)}</td>
                                <td class="right num" data-testid="plan-total">{total}</td>
                            </tr>
                        </tbody>
                    </table>
                </div>
                {err_on(err, "accounts")}
                {err_on(err, "days_per_month")}
                {err_on(err, "per_tier")}
                <div class="form-actions">
                    {err_else(err, &["accounts", "days_per_month", "per_tier"])}
                    {move || matches!(save.value().get(), Some(Ok(_))).then(|| view! { <span class="saved" role="status" data-testid="plan-saved">"✓ " {move || i18n.t(K::Saved)}</span> })}
                    <button type="submit" class="btn btn-primary" data-testid="plan-save" disabled=move || save.pending().get()>{move || mt(i18n.locale(), M::SavePlan)}</button>
                </div>
            </form>
        </section>
    }
}
