//! Checklists on a deal (attach a template, tick, assign, annotate); the card and item
//! actions are shared with the "My checklists" page (`pages::my_checklists`).
//! Every item edit carries the version read; a stale one is refused and the list reloads.
use crate::api::room::{attach_checklist, edit_checklist_item, load_checklist_templates, load_checklists, load_members};
use crate::components::date_field::DateField;
use crate::components::live::{last_live_event, on_live_change};
use crate::components::states::{ErrorNotice, Skeleton};
use crate::domain::dto::{ChecklistItemEdit, ChecklistItemRow, DealChecklistView, DealMemberRow};
use crate::domain::error::AppError;
use crate::domain::locale::Locale;
use crate::i18n::{error_message, use_i18n, K};
use chrono::NaiveDate;
use leptos::prelude::*;
use uuid::Uuid;

pub type ItemAction = Action<(i32, ChecklistItemEdit), Result<DealChecklistView, AppError>>;

fn clean(v: String) -> Option<String> {
    let t = v.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

/// Item edits and their outcome, shared by the deal panel and "My checklists".
pub fn item_action(after: impl Fn() + Send + Sync + 'static) -> (ItemAction, RwSignal<Option<AppError>>) {
    let act: ItemAction = Action::new(|(item, edit): &(i32, ChecklistItemEdit)| {
        let (item, edit) = (*item, edit.clone());
        async move { edit_checklist_item(item, edit).await }
    });
    let error = RwSignal::new(None);
    Effect::new(move |_| {
        if let Some(r) = act.value().get() {
            error.set(r.err());
            // Reload either way: on a conflict the newer version is what the user must see.
            after();
        }
    });
    (act, error)
}

#[component]
pub fn ChecklistsPanel(id: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let lists = Resource::new(|| (), move |_| load_checklists(id));
    let templates = Resource::new(|| (), |_| load_checklist_templates());
    let members = Resource::new(|| (), move |_| load_members(id));
    let (act, error) = item_action(move || lists.refetch());
    let attach = Action::new(move |code: &String| {
        let code = code.clone();
        async move { attach_checklist(id, code).await }
    });
    Effect::new(move |_| {
        if attach.value().get().is_some() {
            lists.refetch();
        }
    });
    on_live_change(move || {
        if last_live_event().is_some_and(|e| e.deal == Some(id)) && !act.pending().get_untracked() {
            lists.refetch();
        }
    });
    let pick = RwSignal::new(String::new());
    view! {
        <section class="panel checklists" data-testid="checklists">
            <div class="panel-head-row">
                <h2 class="panel-title">{move || i18n.t(K::ChecklistsTitle)}</h2>
                <form class="inline-row" on:submit=move |ev| {
                    ev.prevent_default();
                    let code = pick.get_untracked();
                    if !code.is_empty() {
                        pick.set(String::new());
                        attach.dispatch(code);
                    }
                }>
                    <select data-testid="checklist-template" aria-label=move || i18n.t(K::ChecklistChooseTemplate)
                        prop:value=move || pick.get() on:change=move |ev| pick.set(event_target_value(&ev))>
                        <option value="">{move || i18n.t(K::ChecklistChooseTemplate)}</option>
                        <Transition fallback=|| ()>
                            {move || templates.get().and_then(|r| r.ok()).map(|ts| ts.into_iter().map(|t| {
                                let (en, zh) = (t.name_en.clone(), t.name_zh.clone());
                                let n = t.items;
                                view! { <option value=t.code.clone()>{move || if i18n.locale() == Locale::ZhCn { zh.clone() } else { en.clone() }} " (" {n} ")"</option> }
                            }).collect_view())}
                        </Transition>
                    </select>
                    <button type="submit" class="btn btn-sm" data-testid="checklist-attach" disabled=move || pick.get().is_empty() || attach.pending().get()>
                        {move || i18n.t(K::ChecklistAttach)}
                    </button>
                </form>
            </div>
            {move || attach.value().get().and_then(|r| r.err()).map(|e| view! { <p class="field-error" role="alert">{move || error_message(i18n.locale(), &e)}</p> })}
            {move || error.get().map(|e| view! { <p class="field-error" role="alert" data-testid="checklist-error">"⚠ " {move || error_message(i18n.locale(), &e)}</p> })}
            <Transition fallback=|| view! { <Skeleton rows=4/> }>
                {move || lists.get().map(|r| match r {
                    Err(e) => view! { <ErrorNotice error=e panel=true/> }.into_any(),
                    Ok(ls) if ls.is_empty() => view! { <p class="muted">{move || i18n.t(K::ChecklistsEmpty)}</p> }.into_any(),
                    Ok(ls) => {
                        let ms = members.get().and_then(|r| r.ok()).unwrap_or_default();
                        ls.into_iter().map(|c| view! { <ChecklistCard c=c members=Some(ms.clone()) act=act link_deal=false/> }).collect_view().into_any()
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
pub fn ChecklistCard(c: DealChecklistView, members: Option<Vec<DealMemberRow>>, act: ItemAction, link_deal: bool) -> impl IntoView {
    let i18n = use_i18n();
    let pct = (c.done * 100).checked_div(c.total).unwrap_or(0);
    let (en, zh) = (c.name_en.clone(), c.name_zh.clone());
    view! {
        <article class="checklist" class:checklist-complete=c.complete data-testid="checklist" data-template=c.template_code.clone()>
            <header class="checklist-head">
                <h3>
                    {move || if i18n.locale() == Locale::ZhCn { zh.clone() } else { en.clone() }}
                    {link_deal.then(|| view! { <a class="cell-sub" href=format!("/deals/{}?tab=checklists", c.deal_id)>{c.deal_name.clone()}</a> })}
                </h3>
                {(c.overdue > 0).then(|| view! { <span class="chip chip-red">"▲ " {c.overdue} " " {move || i18n.t(K::ChecklistOverdueItems)}</span> })}
                <span class="num checklist-count" data-testid="checklist-progress">{c.done} "/" {c.total}</span>
            </header>
            <div class="progress" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow=pct.to_string()>
                <span style=format!("width:{pct}%")></span>
            </div>
            <ul class="checklist-items">
                {c.items.into_iter().map(|it| view! { <ChecklistItem it=it members=members.clone() act=act/> }).collect_view()}
            </ul>
        </article>
    }
}

#[component]
fn ChecklistItem(it: ChecklistItemRow, members: Option<Vec<DealMemberRow>>, act: ItemAction) -> impl IntoView {
    let i18n = use_i18n();
    let (id, version) = (it.id, it.version);
    let owner = it.owner_id;
    let due = it.due;
    let (en, zh) = (it.text_en.clone(), it.text_zh.clone());
    let open = RwSignal::new(false);
    let note = RwSignal::new(it.note.clone().unwrap_or_default());
    let link = RwSignal::new(it.link.clone().unwrap_or_default());
    let cb_id = format!("cl-item-{id}");
    // Only this item waits for its save: disabling every box while any save ran swallowed a
    // tick on the next item (a disabled box ignores the click). The list is redrawn with
    // fresh rows after each save, which resets this.
    let busy = RwSignal::new(false);
    view! {
        <li class="cl-item" class:cl-done=it.done class:cl-overdue=it.overdue data-testid="checklist-item" data-item=id.to_string()>
            <input type="checkbox" id=cb_id.clone() data-testid="checklist-tick" prop:checked=it.done disabled=move || busy.get()
                on:change=move |ev| {
                    let done = event_target_checked(&ev);
                    busy.set(true);
                    act.dispatch((id, ChecklistItemEdit { version, done: Some(done), ..Default::default() }));
                }/>
            <div class="cl-text">
                <label for=cb_id>{move || if i18n.locale() == Locale::ZhCn { zh.clone() } else { en.clone() }}</label>
                {it.done_by.clone().map(|b| view! { <span class="cell-sub">"✓ " {move || i18n.t(K::ChecklistDoneBy)} " " {b}</span> })}
                {it.note.clone().map(|n| view! { <span class="cell-sub">{n}</span> })}
                {it.link.clone().map(|l| view! { <a class="cell-sub" href=l.clone() target="_blank" rel="noopener noreferrer">{l.clone()}</a> })}
            </div>
            <div class="cl-meta">
                {match members {
                    Some(ms) => view! {
                        <select data-testid="checklist-owner" aria-label=move || i18n.t(K::ChecklistOwner)
                            on:change=move |ev| {
                                let o = event_target_value(&ev).parse::<Uuid>().ok();
                                act.dispatch((id, ChecklistItemEdit { version, assign: Some((o, due)), ..Default::default() }));
                            }>
                            <option value="" selected=owner.is_none()>{move || i18n.t(K::ChecklistNoOwner)}</option>
                            {ms.into_iter().map(|m| view! { <option value=m.user_id.to_string() selected=owner == Some(m.user_id)>{m.name.clone()}</option> }).collect_view()}
                        </select>
                    }.into_any(),
                    None => view! { <span class="cell-sub">{it.owner.clone().unwrap_or_default()}</span> }.into_any(),
                }}
                <span class="cl-due" class:overdue=it.overdue>
                    {it.overdue.then(|| view! { <span aria-hidden="true">"▲ "</span> })}
                    <DateField testid="checklist-due" label=K::ChecklistDue
                        value=due.map(|d| d.to_string()).unwrap_or_default()
                        on_commit=Callback::new(move |v: String| {
                            // Saved only when the entry is a date or cleared; other text stays to be corrected.
                            let d = match v.parse::<NaiveDate>() { Ok(d) => Some(d), Err(_) if v.is_empty() => None, Err(_) => return };
                            if d != due {
                                act.dispatch((id, ChecklistItemEdit { version, assign: Some((owner, d)), ..Default::default() }));
                            }
                        })/>
                    {it.overdue.then(|| view! { <span class="sr-only">{move || i18n.t(K::Overdue)}</span> })}
                </span>
                <button type="button" class="btn btn-sm btn-ghost-dark" data-testid="checklist-annotate" aria-expanded=move || open.get().to_string()
                    on:click=move |_| open.update(|o| *o = !*o)>{move || i18n.t(K::ChecklistNoteLink)}</button>
            </div>
            <Show when=move || open.get()>
                <form class="cl-annotate" on:submit=move |ev| {
                    ev.prevent_default();
                    open.set(false);
                    act.dispatch((id, ChecklistItemEdit {
                        version,
                        annotate: Some((clean(note.get_untracked()), clean(link.get_untracked()))),
                        ..Default::default()
                    }));
                }>
                    <input type="text" data-testid="checklist-note" maxlength="1000" placeholder=move || i18n.t(K::ChecklistNote) aria-label=move || i18n.t(K::ChecklistNote)
                        prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))/>
                    <input type="url" data-testid="checklist-link" maxlength="1000" placeholder="https://…" aria-label=move || i18n.t(K::ChecklistLink)
                        prop:value=move || link.get() on:input=move |ev| link.set(event_target_value(&ev))/>
                    <button type="submit" class="btn btn-primary btn-sm">{move || i18n.t(K::Save)}</button>
                </form>
            </Show>
        </li>
    }
}
