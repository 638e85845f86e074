use super::stage_name;
use crate::api::deal::load_pipeline_summary;
use crate::components::money::Money;
use crate::components::states::{ErrorNotice, Skeleton};
use crate::i18n::{use_i18n, K};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn BoardPage() -> impl IntoView {
    let i18n = use_i18n();
    let summary = Resource::new(|| (), |_| load_pipeline_summary());
    view! {
        <Title text=move || i18n.t(K::BoardTitle).to_owned()/>
        <div class="page-head">
            <h1>{move || i18n.t(K::BoardTitle)}</h1>
            <p class="lead">{move || i18n.t(K::BoardLead)}</p>
        </div>
        <Transition fallback=|| view! { <Skeleton rows=3/> }>
            {move || {
                summary.get().map(|r| match r {
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    Ok(s) => view! {
                        <div class="board" data-testid="board">
                            {s.stages
                                .into_iter()
                                .map(|x| {
                                    let st = x.stage.clone();
                                    let kind = x.stage.kind.clone();
                                    view! {
                                        <section class=format!("column column-{kind}")>
                                            <header class="column-head">
                                                <h2>{move || stage_name(&st, i18n.locale())}</h2>
                                                <span class="pill">{x.stage.win_rate_pct} "%"</span>
                                                <div class="column-stats">
                                                    <span class="num">{x.count} " " {move || i18n.t(K::StageCount)}</span>
                                                    <Money fen=x.amount_fen/>
                                                    <span class="muted" title=move || i18n.t(K::ColWeighted)><Money fen=x.weighted_fen/></span>
                                                </div>
                                            </header>
                                            <div class="column-body">
                                                {(x.count == 0).then(|| view! { <p class="column-empty">{move || i18n.t(K::BoardEmpty)}</p> })}
                                            </div>
                                        </section>
                                    }
                                })
                                .collect_view()}
                        </div>
                    }
                    .into_any(),
                })
            }}
        </Transition>
    }
}
