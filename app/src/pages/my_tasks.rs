//! "My tasks": the open follow-ups planned in deal activities, grouped by due date.
use crate::api::room::{complete_task, load_my_tasks};
use crate::components::money::DateText;
use crate::components::states::{ErrorNotice, Skeleton};
use crate::domain::dto::TaskRow;
use crate::i18n::{error_message, use_i18n, K};
use leptos::prelude::*;
use leptos_meta::Title;
use uuid::Uuid;

fn bucket_key(code: &str) -> K {
    match code {
        "overdue" => K::TaskOverdue,
        "today" => K::TaskToday,
        "upcoming" => K::TaskUpcoming,
        _ => K::TaskUnscheduled,
    }
}

#[component]
pub fn MyTasksPage() -> impl IntoView {
    let i18n = use_i18n();
    let tick = use_context::<crate::components::live::LiveTick>();
    let tasks = Resource::new(move || tick.map(|t| t.0.get()), |_| load_my_tasks());
    let done = Action::new(|t: &(Uuid, i32)| {
        let (a, v) = *t;
        async move { complete_task(a, v).await }
    });
    Effect::new(move |_| {
        if done.value().get().is_some() {
            tasks.refetch();
        }
    });
    view! {
        <Title text=move || i18n.t(K::MyTasksTitle).to_owned()/>
        <div class="page-head">
            <div>
                <h1>{move || i18n.t(K::MyTasksTitle)}</h1>
                <p class="lead">{move || i18n.t(K::MyTasksLead)}</p>
            </div>
        </div>
        <OverdueObjections/>
        <crate::components::due_accounts::DueAccounts always=true team_toggle=true/>
        {move || done.value().get().and_then(|r| r.err()).map(|e| view! { <p class="field-error" role="alert">{move || error_message(i18n.locale(), &e)}</p> })}
        <Transition fallback=|| view! { <Skeleton rows=6/> }>
            {move || tasks.get().map(|r| match r {
                Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                Ok(ts) if ts.is_empty() => view! { <section class="panel"><p class="empty-state">{move || i18n.t(K::MyTasksEmpty)}</p></section> }.into_any(),
                Ok(ts) => ["overdue", "today", "upcoming", "unscheduled"].into_iter().filter_map(|b| {
                    let group: Vec<TaskRow> = ts.iter().filter(|t| t.bucket == b).cloned().collect();
                    (!group.is_empty()).then(|| view! {
                        <section class=format!("panel task-group task-{b}") data-testid="task-group" data-bucket=b>
                            <h2 class="panel-title">{(b == "overdue").then_some("▲ ")}{move || i18n.t(bucket_key(b))} " " <span class="pill">{group.len()}</span></h2>
                            <ul class="task-list">
                                {group.into_iter().map(|t| {
                                    let (aid, v) = (t.activity_id, t.version);
                                    view! {
                                        <li class="task" data-testid="task">
                                            <button type="button" class="btn btn-sm" data-testid="task-complete" disabled=move || done.pending().get()
                                                on:click=move |_| { done.dispatch((aid, v)); }>"✓ " {move || i18n.t(K::TaskComplete)}</button>
                                            <div class="task-text">
                                                <strong>{t.action.clone()}</strong>
                                                <a class="cell-sub" href=format!("/deals/{}?tab=activities", t.deal_id)>{t.deal_name.clone()}</a>
                                            </div>
                                            <span class="task-due" class:overdue={b == "overdue"}>{t.due.map(|d| view! { <DateText date=d/> })}</span>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        </section>
                    })
                }).collect_view().into_any(),
            })}
        </Transition>
    }
}

/// Objections I own that are past due and still unresolved: the customer is waiting.
#[component]
fn OverdueObjections() -> impl IntoView {
    let i18n = use_i18n();
    let tick = use_context::<crate::components::live::LiveTick>();
    let rows = Resource::new(move || tick.map(|t| t.0.get()), |_| crate::api::objection::load_overdue_objections());
    view! {
        <Transition fallback=|| ()>
            {move || rows.get().and_then(|r| r.ok()).filter(|r| !r.is_empty()).map(|rs| view! {
                <section class="panel task-group task-overdue" data-testid="overdue-objections">
                    <h2 class="panel-title">"▲ " {move || i18n.t(K::OverdueObjections)} " " <span class="pill">{rs.len()}</span></h2>
                    <ul class="task-list">
                        {rs.into_iter().map(|o| {
                            let c = o.category;
                            view! {
                                <li class="task" data-testid="overdue-objection">
                                    <span class="chip">{move || crate::components::deal_room::objections::category_name(i18n.locale(), c)}</span>
                                    <div class="task-text">
                                        <strong>{o.said.clone()}</strong>
                                        <a class="cell-sub" href=format!("/deals/{}?tab=objections", o.deal_id)>{o.deal_name.clone()}</a>
                                    </div>
                                    <span class="task-due overdue"><DateText date=o.due_on/></span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </section>
            })}
        </Transition>
    }
}
