//! "My checklists": the checklists of every deal the user works on, with the deal panel's cards.
use crate::api::room::load_my_checklists;
use crate::components::deal_room::checklists::{ChecklistList, Checklists, Source};
use crate::components::live::on_live_change;
use crate::components::states::{ErrorNotice, Skeleton};
use crate::i18n::{use_i18n, K};
use leptos::prelude::*;
use leptos_meta::Title;

/// "My checklists" across deals (presales work from here).
#[component]
pub fn MyChecklistsPage() -> impl IntoView {
    let i18n = use_i18n();
    let lists = Resource::new(|| (), |_| load_my_checklists());
    // Live changes update the cards in place (a redraw of the page swallowed ticks).
    let store = Checklists::new(Source::Mine);
    on_live_change(move || store.reload());
    view! {
        <Title text=move || i18n.t(K::MyChecklistsTitle).to_owned()/>
        <div class="page-head">
            <div>
                <h1>{move || i18n.t(K::MyChecklistsTitle)}</h1>
                <p class="lead">{move || i18n.t(K::MyChecklistsLead)}</p>
            </div>
        </div>
        <section class="panel checklists" data-testid="my-checklists">
            <Transition fallback=|| view! { <Skeleton rows=6/> }>
                {move || lists.get().map(|r| match r {
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    Ok(ls) => {
                        store.seed(ls);
                        view! { <ChecklistList store=store members=None link_deal=true empty=K::MyChecklistsEmpty empty_class="empty-state"/> }.into_any()
                    }
                })}
            </Transition>
        </section>
    }
}
