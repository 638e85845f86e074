use super::stage_name;
use crate::api::deal::load_pipeline_summary;
use crate::components::money::Money;
use crate::components::states::{EmptyState, ErrorNotice, Skeleton};
use crate::domain::gate::StageKind;
use crate::i18n::{use_i18n, K};
use leptos::prelude::*;
use leptos_meta::Title;

/// A sales rep's own receivables: what the signed contracts on the deals they own still owe,
/// the overdue part and how many milestones are late. Shown only while something is owed.
#[component]
fn MyReceivablesTile() -> impl IntoView {
    let i18n = use_i18n();
    let mine = Resource::new(
        || (),
        |_| async move {
            match crate::api::auth::me().await {
                Ok(u) if u.role == crate::domain::role::Role::Rep => crate::api::contract::load_receivables().await.map(|r| Some(r.mine)),
                Ok(_) => Ok(None),
                Err(e) => Err(e),
            }
        },
    );
    view! {
        <Transition fallback=|| ()>
            {move || {
                mine.get().and_then(Result::ok).flatten().filter(|m| m.owed_fen > 0).map(|m| {
                    let late = m.overdue_fen > 0;
                    view! {
                        <section class="kpi my-recv" data-testid="my-receivables">
                            <span class="kpi-label">{move || i18n.t(K::MyReceivables)}</span>
                            <span class="kpi-value" data-testid="my-recv-owed"><Money fen=m.owed_fen/></span>
                            <span class="cell-sub">{move || i18n.t(K::MyRecvOwed)}</span>
                            <div class="my-recv-line">
                                <span>{move || i18n.t(K::MyRecvOverdue)} " "
                                    <strong class:text-danger=late data-testid="my-recv-overdue"><Money fen=m.overdue_fen/></strong></span>
                                <span>{move || i18n.t(K::MyRecvMilestones)} " "
                                    <strong class="num" class:text-danger=late data-testid="my-recv-count">{m.overdue_milestones}</strong></span>
                                <a href="/contracts?overdue=1" data-testid="my-recv-link">{move || i18n.t(K::MyRecvSee)}</a>
                            </div>
                        </section>
                    }
                })
            }}
        </Transition>
    }
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    let i18n = use_i18n();
    let summary = Resource::new(|| (), |_| load_pipeline_summary());
    view! {
        <Title text=move || i18n.t(K::DashboardTitle).to_owned()/>
        <div class="page-head">
            <h1>{move || i18n.t(K::DashboardTitle)}</h1>
            <p class="lead">{move || i18n.t(K::DashboardLead)}</p>
        </div>
        <crate::components::my_day::MyDayPanel/>
        <MyReceivablesTile/>
        <crate::components::due_accounts::DueAccounts limit=5/>
        <Transition fallback=|| view! { <Skeleton rows=4/> }>
            {move || {
                summary.get().map(|r| match r {
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    Ok(s) => {
                        let open: Vec<_> = s.stages.iter().filter(|x| StageKind::Open.matches(&x.stage.kind)).cloned().collect();
                        let open_amount: i64 = open.iter().map(|x| x.amount_fen).fold(0, i64::saturating_add);
                        let weighted: i64 = open.iter().map(|x| x.weighted_fen).fold(0, i64::saturating_add);
                        let open_count: u64 = open.iter().map(|x| x.count).sum();
                        let won: i64 = s.stages.iter().filter(|x| StageKind::Won.matches(&x.stage.kind)).map(|x| x.amount_fen).fold(0, i64::saturating_add);
                        if open_count == 0 && won == 0 {
                            return view! { <div class="panel"><EmptyState text=K::DashboardEmpty/></div> }.into_any();
                        }
                        let max = open.iter().map(|x| x.amount_fen).max().unwrap_or(1).max(1);
                        view! {
                            <section class="kpis" data-testid="kpis">
                                <div class="kpi">
                                    <span class="kpi-label">{move || i18n.t(K::OpenPipeline)}</span>
                                    <span class="kpi-value"><Money fen=open_amount/></span>
                                </div>
                                <div class="kpi kpi-accent">
                                    <span class="kpi-label">{move || i18n.t(K::WeightedForecast)}</span>
                                    <span class="kpi-value"><Money fen=weighted/></span>
                                </div>
                                <div class="kpi">
                                    <span class="kpi-label">{move || i18n.t(K::OpenDeals)}</span>
                                    <span class="kpi-value num">{open_count}</span>
                                </div>
                                <div class="kpi kpi-good">
                                    <span class="kpi-label">{move || i18n.t(K::WonTotal)}</span>
                                    <span class="kpi-value"><Money fen=won/></span>
                                </div>
                            </section>
                            <section class="panel">
                                <h2 class="panel-title">
                                    {
                                        let (en, zh) = (s.pipeline_name_en.clone(), s.pipeline_name_zh.clone());
                                        move || if i18n.locale() == crate::domain::locale::Locale::ZhCn { zh.clone() } else { en.clone() }
                                    }
                                </h2>
                                <div class="funnel" role="list">
                                    {open
                                        .into_iter()
                                        .enumerate()
                                        .map(|(i, x)| {
                                            let pct = (x.amount_fen as f64 / max as f64 * 100.0).max(2.0);
                                            let st = x.stage.clone();
                                            view! {
                                                <div class="funnel-row" role="listitem">
                                                    <span class="funnel-label">
                                                        {move || stage_name(&st, i18n.locale())}
                                                        <span class="muted">" · " {x.stage.win_rate_pct} "%"</span>
                                                    </span>
                                                    <span class="funnel-track">
                                                        <span class=format!("funnel-bar s{}", i.min(5)) style=format!("width:{pct:.1}%")></span>
                                                    </span>
                                                    <span class="funnel-num num">{x.count}</span>
                                                    <span class="funnel-amt"><Money fen=x.amount_fen/></span>
                                                    <span class="funnel-amt muted"><Money fen=x.weighted_fen/></span>
                                                </div>
                                            }
                                        })
                                        .collect_view()}
                                </div>
                            </section>
                        }
                            .into_any()
                    }
                })
            }}
        </Transition>
        <crate::components::market_split::MarketSplitPanel/>
    }
}
