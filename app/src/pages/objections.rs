//! Objections by category across the deals the viewer sees: which ones cost us most (lost
//! deals), which are still in the way (open deals), how long an answer takes. Seed 000's
//! "prepare the answers in advance", made into data.
use crate::api::objection::load_objection_report;
use crate::components::deal_room::objections::category_name;
use crate::components::money::Money;
use crate::components::states::{ErrorNotice, Skeleton};
use crate::i18n::{use_i18n, K};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ObjectionReportPage() -> impl IntoView {
    let i18n = use_i18n();
    let tick = use_context::<crate::components::live::LiveTick>();
    let data = Resource::new(move || tick.map(|t| t.0.get()), |_| load_objection_report());
    view! {
        <Title text=move || i18n.t(K::ObjectionReportTitle).to_owned()/>
        <div class="page-head">
            <div>
                <h1>{move || i18n.t(K::ObjectionReportTitle)}</h1>
                <p class="lead">{move || i18n.t(K::ObjectionReportLead)}</p>
            </div>
        </div>
        <section class="panel table-wrap">
            <Transition fallback=|| view! { <Skeleton rows=6/> }>
                {move || data.get().map(|r| match r {
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    Ok(rows) if rows.is_empty() => view! { <p class="empty-state">{move || i18n.t(K::ObjectionsEmpty)}</p> }.into_any(),
                    Ok(rows) => {
                        // Bars share one scale: the largest of lost and at-stake amounts.
                        let top = rows.iter().map(|s| s.lost_fen.max(s.at_stake_fen)).max().unwrap_or(0).max(1);
                        let pct = move |v: i64| format!("width: {}%", (i128::from(v) * 100 / i128::from(top)).clamp(0, 100));
                        view! {
                            <table class="table" data-testid="objection-report">
                                <thead><tr>
                                    <th>{move || i18n.t(K::ObjectionCategory)}</th>
                                    <th class="num">{move || i18n.t(K::ColRaised)}</th>
                                    <th class="num">{move || i18n.t(K::ColUnresolved)}</th>
                                    <th class="num">{move || i18n.t(K::ColResolved)}</th>
                                    <th class="num">{move || i18n.t(K::ColDropped)}</th>
                                    <th class="num">{move || i18n.t(K::ColDeals)}</th>
                                    <th class="num">{move || i18n.t(K::ColLostDeals)}</th>
                                    <th>{move || i18n.t(K::ColLostAmount)} " / " {move || i18n.t(K::ColAtStake)}</th>
                                    <th class="num">{move || i18n.t(K::ColDaysToResolve)}</th>
                                </tr></thead>
                                <tbody>
                                    {rows.into_iter().map(|s| {
                                        let c = s.category;
                                        let unresolved_class = if s.unresolved > 0 { "num warn-text" } else { "num" };
                                        view! {
                                            <tr data-testid="objection-report-row" data-category=c.code()>
                                                <td>{move || category_name(i18n.locale(), c)}</td>
                                                <td class="num">{s.raised}</td>
                                                <td class=unresolved_class>{s.unresolved}</td>
                                                <td class="num">{s.resolved}</td>
                                                <td class="num">{s.dropped}</td>
                                                <td class="num">{s.deals}</td>
                                                <td class="num">{s.lost_deals}</td>
                                                <td class="cost-cell">
                                                    <div class="cost-bar lost" style=pct(s.lost_fen)></div>
                                                    <div class="cost-bar stake" style=pct(s.at_stake_fen)></div>
                                                    <span class="cell-sub"><Money fen=s.lost_fen/> " / " <Money fen=s.at_stake_fen/></span>
                                                </td>
                                                <td class="num">{s.mean_days_to_resolve.map(|d| d.to_string()).unwrap_or_else(|| "—".into())}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any()
                    }
                })}
            </Transition>
        </section>
    }
}
