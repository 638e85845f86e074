//! "My checklists": the checklists of every deal the user works on, with the deal panel's cards.
use crate::api::room::load_my_checklists;
use crate::components::deal_room::checklists::{item_action, ChecklistCard};
use crate::components::states::{ErrorNotice, Skeleton};
use crate::i18n::{error_message, use_i18n, K};
use leptos::prelude::*;
use leptos_meta::Title;

/// "My checklists" across deals (presales work from here).
#[component]
pub fn MyChecklistsPage() -> impl IntoView {
    let i18n = use_i18n();
    let tick = use_context::<crate::components::live::LiveTick>();
    let lists = Resource::new(move || tick.map(|t| t.0.get()), |_| load_my_checklists());
    let (act, error) = item_action(move || lists.refetch());
    view! {
        <Title text=move || i18n.t(K::MyChecklistsTitle).to_owned()/>
        <div class="page-head">
            <div>
                <h1>{move || i18n.t(K::MyChecklistsTitle)}</h1>
                <p class="lead">{move || i18n.t(K::MyChecklistsLead)}</p>
            </div>
        </div>
        {move || error.get().map(|e| view! { <p class="field-error" role="alert" data-testid="checklist-error">"⚠ " {move || error_message(i18n.locale(), &e)}</p> })}
        <section class="panel checklists" data-testid="my-checklists">
            <Transition fallback=|| view! { <Skeleton rows=6/> }>
                {move || lists.get().map(|r| match r {
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    Ok(ls) if ls.is_empty() => view! { <p class="empty-state">{move || i18n.t(K::MyChecklistsEmpty)}</p> }.into_any(),
                    Ok(ls) => ls.into_iter().map(|c| view! { <ChecklistCard c=c members=None act=act link_deal=true/> }).collect_view().into_any(),
                })}
            </Transition>
        </section>
    }
}
