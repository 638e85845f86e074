//! The dashboard's panel: the viewer's open pipeline inside, outside and unknown against the
//! target market. Loaded on its own (not with the dashboard's figures), so a slow count for
//! a large book never holds the page. Bars start at zero and share one scale.
use crate::api::market::load_pipeline_split;
use crate::components::money::Money;
use crate::components::states::{ErrorNotice, Skeleton};
use crate::domain::account::market::FitKind;
use crate::i18n::market::{fit_name, mt, M};
use crate::i18n::use_i18n;
use leptos::prelude::*;

#[component]
pub fn MarketSplitPanel() -> impl IntoView {
    let i18n = use_i18n();
    let split = Resource::new(|| (), |_| load_pipeline_split());
    view! {
        <section class="panel" data-testid="market-split">
            <h2 class="panel-title">{move || mt(i18n.locale(), M::SplitTitle)}</h2>
            <p class="muted">{move || mt(i18n.locale(), M::SplitLead)}</p>
            <Transition fallback=|| view! { <Skeleton rows=3/> }>
                {move || {
                    split.get().map(|r| match r {
                        Err(e) => view! { <ErrorNotice error=e panel=true/> }.into_any(),
                        Ok(s) => {
                            // One scale for all three; an empty pipeline draws no bars.
                            let max = s.rows.iter().map(|r| r.amount_fen.max(0)).max().unwrap_or(0);
                            view! {
                                <div class="funnel market-rows" role="list">
                                    <div class="funnel-row market-head muted">
                                        <span class="funnel-label"></span>
                                        <span class="funnel-track"></span>
                                        <span class="funnel-num">{move || mt(i18n.locale(), M::Deals)}</span>
                                        <span class="funnel-amt">{move || mt(i18n.locale(), M::Amount)}</span>
                                        <span class="funnel-amt muted">{move || mt(i18n.locale(), M::Weighted)}</span>
                                    </div>
                                    {s.rows
                                        .into_iter()
                                        .map(|r| {
                                            let pct = if max > 0 { r.amount_fen.max(0) as f64 / max as f64 * 100.0 } else { 0.0 };
                                            let cls = match r.fit {
                                                FitKind::In => "funnel-bar market-in",
                                                FitKind::Out => "funnel-bar market-out",
                                                FitKind::Unknown => "funnel-bar market-unknown",
                                            };
                                            view! {
                                                <div class="funnel-row" role="listitem" data-testid=format!("market-split-{}", r.fit.code())>
                                                    <span class="funnel-label">{move || fit_name(i18n, r.fit)}</span>
                                                    <span class="funnel-track">
                                                        <span class=cls style=format!("width:{pct:.1}%")></span>
                                                    </span>
                                                    <span class="funnel-num num" data-testid="market-split-count">{r.count}</span>
                                                    <span class="funnel-amt"><Money fen=r.amount_fen/></span>
                                                    <span class="funnel-amt muted"><Money fen=r.weighted_fen/></span>
                                                </div>
                                            }
                                        })
                                        .collect_view()}
                                </div>
                            }
                            .into_any()
                        }
                    })
                }}
            </Transition>
        </section>
    }
}
