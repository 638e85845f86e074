//! `/accounts/capacity`: each rep's accounts per grade against the capacity plan (seed 000),
//! the days a month that takes against the month's working days, over or within marked.
//! A manager sees their team, executives and admins any team or all, a rep their own book.
use crate::api::market::load_capacity;
use crate::components::states::{EmptyState, ErrorNotice, Skeleton};
use crate::domain::account::market::CapacityView;
use crate::i18n::market::{mt, M};
use crate::i18n::{use_i18n, K};
use crate::pages::account_policy_admin::tier_label;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

/// Tenths of a day as "11.3".
fn days(tenths: u64) -> String {
    format!("{}.{}", tenths / 10, tenths % 10)
}

#[component]
pub fn CapacityPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let team = move || query.read().get("team").and_then(|t| t.parse::<uuid::Uuid>().ok());
    let data = Resource::new(team, load_capacity);
    view! {
        <Title text=move || mt(i18n.locale(), M::CapacityTitle).to_owned()/>
        <div class="page-head">
            <div>
                <h1>{move || mt(i18n.locale(), M::CapacityTitle)}</h1>
                <p class="lead">{move || mt(i18n.locale(), M::CapacityLead)}</p>
            </div>
        </div>
        <Transition fallback=|| view! { <Skeleton rows=6/> }>
            {move || {
                data.get().map(|r| match r {
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    Ok(v) => view! { <CapacityTable view=v/> }.into_any(),
                })
            }}
        </Transition>
    }
}

#[component]
fn CapacityTable(view: CapacityView) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let chosen = view.team.map(|t| t.to_string()).unwrap_or_default();
    let tiers: Vec<_> = view.plan.per_tier.iter().map(|r| (r.tier, r.accounts, r.days_per_month)).collect();
    let head = tiers.clone();
    let working = view.working_days;
    let month = view.month.format("%Y-%m").to_string();
    view! {
        <div class="panel">
            <div class="filters">
                {(view.teams.len() > 1).then(|| view! {
                    <label>
                        {move || i18n.t(K::ColTeam)} " "
                        <select data-testid="capacity-team" prop:value=chosen.clone() on:change=move |ev| {
                            let v = event_target_value(&ev);
                            let to = if v.is_empty() { "/accounts/capacity".to_owned() } else { format!("/accounts/capacity?team={v}") };
                            navigate(&to, Default::default());
                        }>
                            <option value="">{move || mt(i18n.locale(), M::AllTeams)}</option>
                            {view.teams.iter().map(|t| view! { <option value=t.id.to_string()>{t.name.clone()}</option> }).collect_view()}
                        </select>
                    </label>
                })}
                <span class="muted" data-testid="capacity-working-days">
                    {move || mt(i18n.locale(), M::WorkingDays)} " (" {month.clone()} "): " <strong class="num">{working}</strong>
                </span>
            </div>
            {if view.reps.is_empty() {
                view! { <p class="muted">{move || mt(i18n.locale(), M::NoReps)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="table cap-table" data-testid="capacity-table">
                            <thead>
                                <tr>
                                    <th>{move || i18n.t(K::ColRep)}</th>
                                    {head.into_iter().map(|(t, n, d)| view! {
                                        <th class="right">{move || tier_label(i18n.locale(), t)}
                                            <span class="cell-sub">{move || mt(i18n.locale(), M::PlanOf)} " " {n} " · " {d} "d"</span>
                                        </th>
                                    }).collect_view()}
                                    <th class="right hide-sm">{move || mt(i18n.locale(), M::TierD)}</th>
                                    <th class="right">{move || mt(i18n.locale(), M::DaysNeeded)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {view.reps.into_iter().map(|r| view! {
                                    <tr data-testid="capacity-row" data-rep=r.name.clone() data-over=r.over.to_string()>
                                        <td>
                                            <span class="cell-title">{r.name.clone()}</span>
                                            <span class="cell-sub">{r.team.clone()}</span>
                                        </td>
                                        {r.lines.iter().map(|l| view! {
                                            <td class="right num" class:over=l.over data-testid=format!("capacity-{}", l.tier.code())>
                                                {l.accounts} <span class="muted">" / " {l.planned}</span>
                                            </td>
                                        }).collect_view()}
                                        <td class="right num hide-sm" data-testid="capacity-d">{r.d_accounts}</td>
                                        <td class="right cap-total" class:over=r.over data-testid="capacity-days">
                                            {days(r.days_needed_tenths)} " / " {working} " "
                                            {if r.over {
                                                view! { <span class="chip chip-red">{move || mt(i18n.locale(), M::Over)}</span> }.into_any()
                                            } else {
                                                view! { <span class="chip chip-green">{move || mt(i18n.locale(), M::Within)}</span> }.into_any()
                                            }}
                                        </td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            {tiers.is_empty().then(|| view! { <EmptyState text=K::AccountsEmpty/> })}
        </div>
    }
}
