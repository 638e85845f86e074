//! Checklists on a deal (attach a template, tick, assign, annotate); the cards are shared
//! with the "My checklists" page (`pages::my_checklists`).
//! The lists live in a signal and are drawn keyed by list and item: a save or a live reload
//! updates rows in place, so the box under the pointer is never replaced mid-click (a list
//! redrawn whole swallowed ticks). A tick shows at once; its item waits for its own save.
//! Every edit carries the version read; a stale one is refused and the lists reload.
use crate::api::room::{
    attach_checklist, edit_checklist_item, load_checklist_templates, load_checklists, load_members, load_my_checklists,
};
use crate::components::date_field::DateField;
use crate::components::live::{last_live_event, on_live_change};
use crate::components::states::{ErrorNotice, Skeleton};
use crate::domain::checklist_view::{refreshed_all, replace_one, tick};
use crate::domain::dto::{ChecklistItemEdit, ChecklistItemRow, DealChecklistView, DealMemberRow};
use crate::domain::error::AppError;
use crate::domain::locale::Locale;
use crate::i18n::{error_message, use_i18n, K};
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

fn clean(v: String) -> Option<String> {
    let t = v.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

/// Where a page's lists come from, to load them again.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Source {
    Deal(Uuid),
    Mine,
}

/// The checklists a page shows, with the items whose save is under way.
#[derive(Clone, Copy)]
pub struct Checklists {
    lists: RwSignal<Vec<DealChecklistView>>,
    saving: RwSignal<Vec<i32>>,
    error: RwSignal<Option<AppError>>,
    source: Source,
}

impl Checklists {
    pub fn new(source: Source) -> Self {
        Self { lists: RwSignal::new(Vec::new()), saving: RwSignal::new(Vec::new()), error: RwSignal::new(None), source }
    }

    /// The first load, taken in while the page renders (on the server and again when the
    /// browser hydrates, from the same data); later changes come by `reload` and saves.
    pub fn seed(self, fresh: Vec<DealChecklistView>) {
        let saving = self.saving.get_untracked();
        self.lists.update_untracked(|ls| *ls = refreshed_all(ls, fresh, &saving));
    }

    pub fn reload(self) {
        spawn_local(async move {
            let fresh = match self.source {
                Source::Deal(id) => load_checklists(id).await,
                Source::Mine => load_my_checklists().await,
            };
            // `try_`: the page may have been left while the reply was on its way.
            match fresh {
                Ok(fresh) => {
                    let saving = self.saving.try_get_untracked().unwrap_or_default();
                    self.lists.try_update(|ls| *ls = refreshed_all(ls, fresh, &saving));
                }
                Err(e) => {
                    self.error.try_set(Some(e));
                }
            }
        });
    }

    fn edit(self, item: i32, edit: ChecklistItemEdit) {
        if let Some(done) = edit.done {
            self.lists.update(|ls| tick(ls, item, done));
        }
        self.saving.update(|s| s.push(item));
        spawn_local(async move {
            let result = edit_checklist_item(item, edit).await;
            self.saving.try_update(|s| s.retain(|i| *i != item));
            match result {
                Ok(list) => {
                    self.error.try_set(None);
                    let saving = self.saving.try_get_untracked().unwrap_or_default();
                    self.lists.try_update(|ls| replace_one(ls, list, &saving));
                }
                Err(e) => {
                    // A conflict: the newer version is what the person must see.
                    self.error.try_set(Some(e));
                    self.reload();
                }
            }
        });
    }
}

#[component]
pub fn ChecklistsPanel(id: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let lists = Resource::new(|| (), move |_| load_checklists(id));
    let templates = Resource::new(|| (), |_| load_checklist_templates());
    let members = Resource::new(|| (), move |_| load_members(id));
    let store = Checklists::new(Source::Deal(id));
    let attach = Action::new(move |code: &String| {
        let code = code.clone();
        async move { attach_checklist(id, code).await }
    });
    Effect::new(move |_| {
        if attach.value().get().is_some_and(|r| r.is_ok()) {
            store.reload();
        }
    });
    on_live_change(move || {
        if last_live_event().is_some_and(|e| e.deal == Some(id)) {
            store.reload();
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
            <Transition fallback=|| view! { <Skeleton rows=4/> }>
                {move || lists.get().map(|r| match r {
                    Err(e) => view! { <ErrorNotice error=e panel=true/> }.into_any(),
                    Ok(ls) => {
                        store.seed(ls);
                        let ms = members.get().and_then(|r| r.ok()).unwrap_or_default();
                        view! { <ChecklistList store=store members=Some(ms) link_deal=false empty=K::ChecklistsEmpty empty_class="muted"/> }.into_any()
                    }
                })}
            </Transition>
        </section>
    }
}

/// The lists of a page, keyed, with the message when there are none.
#[component]
pub fn ChecklistList(
    store: Checklists,
    members: Option<Vec<DealMemberRow>>,
    link_deal: bool,
    empty: K,
    empty_class: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let members = StoredValue::new(members);
    let ids = move || store.lists.with(|ls| ls.iter().map(|c| c.id).collect::<Vec<_>>());
    view! {
        {move || store.error.get().map(|e| view! { <p class="field-error" role="alert" data-testid="checklist-error">"⚠ " {move || error_message(i18n.locale(), &e)}</p> })}
        <Show when=move || store.lists.with(|ls| !ls.is_empty()) fallback=move || view! { <p class=empty_class>{move || i18n.t(empty)}</p> }>
            <For each=ids key=|id| *id children=move |cid| view! { <ChecklistCard store=store cid=cid members=members.get_value() link_deal=link_deal/> }/>
        </Show>
    }
}

#[component]
fn ChecklistCard(store: Checklists, cid: Uuid, members: Option<Vec<DealMemberRow>>, link_deal: bool) -> impl IntoView {
    let i18n = use_i18n();
    let c = Memo::new(move |_| store.lists.with(|ls| ls.iter().find(|c| c.id == cid).cloned()));
    let Some(first) = c.get_untracked() else { return ().into_any() };
    let (en, zh) = (first.name_en.clone(), first.name_zh.clone());
    let count = move |f: fn(&DealChecklistView) -> usize| move || c.with(|c| c.as_ref().map_or(0, f));
    let (done, total, overdue) = (count(|c| c.done), count(|c| c.total), count(|c| c.overdue));
    let pct = move || (done() * 100).checked_div(total()).unwrap_or(0);
    let members = StoredValue::new(members);
    let item_ids = move || c.with(|c| c.as_ref().map(|c| c.items.iter().map(|i| i.id).collect::<Vec<_>>()).unwrap_or_default());
    view! {
        <article class="checklist" class:checklist-complete=move || c.with(|c| c.as_ref().is_some_and(|c| c.complete))
            data-testid="checklist" data-template=first.template_code.clone()>
            <header class="checklist-head">
                <h3>
                    {move || if i18n.locale() == Locale::ZhCn { zh.clone() } else { en.clone() }}
                    {link_deal.then(|| view! { <a class="cell-sub" href=format!("/deals/{}?tab=checklists", first.deal_id)>{first.deal_name.clone()}</a> })}
                </h3>
                {move || (overdue() > 0).then(|| view! { <span class="chip chip-red">"▲ " {overdue()} " " {move || i18n.t(K::ChecklistOverdueItems)}</span> })}
                <span class="num checklist-count" data-testid="checklist-progress">{done} "/" {total}</span>
            </header>
            <div class="progress" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow=move || pct().to_string()>
                <span style=move || format!("width:{}%", pct())></span>
            </div>
            <ul class="checklist-items">
                <For each=item_ids key=|id| *id children=move |iid| view! { <ChecklistItem store=store c=c iid=iid members=members.get_value()/> }/>
            </ul>
        </article>
    }
    .into_any()
}

#[component]
fn ChecklistItem(store: Checklists, c: Memo<Option<DealChecklistView>>, iid: i32, members: Option<Vec<DealMemberRow>>) -> impl IntoView {
    let i18n = use_i18n();
    let it = Memo::new(move |_| c.with(|c| c.as_ref().and_then(|c| c.items.iter().find(|i| i.id == iid).cloned())));
    let Some(first) = it.get_untracked() else { return ().into_any() };
    let (en, zh) = (first.text_en.clone(), first.text_zh.clone());
    let read = move |f: fn(&ChecklistItemRow) -> bool| move || it.with(|i| i.as_ref().is_some_and(f));
    let (done, overdue) = (read(|i| i.done), read(|i| i.overdue));
    let text = move |f: fn(&ChecklistItemRow) -> Option<String>| move || it.with(|i| i.as_ref().and_then(f));
    // What an edit sends is read when it is sent: the version and the other half of the
    // owner/due pair may have changed since this row was drawn.
    let version = move || it.with_untracked(|i| i.as_ref().map_or(0, |i| i.version));
    let owner = move || it.with_untracked(|i| i.as_ref().and_then(|i| i.owner_id));
    let due = move || it.with_untracked(|i| i.as_ref().and_then(|i| i.due));
    let busy = move || store.saving.with(|s| s.contains(&iid));
    let open = RwSignal::new(false);
    let note = RwSignal::new(String::new());
    let link = RwSignal::new(String::new());
    let cb_id = format!("cl-item-{iid}");
    view! {
        <li class="cl-item" class:cl-done=done class:cl-overdue=overdue data-testid="checklist-item" data-item=iid.to_string()>
            <input type="checkbox" id=cb_id.clone() data-testid="checklist-tick" prop:checked=done disabled=busy
                on:change=move |ev| store.edit(iid, ChecklistItemEdit { version: version(), done: Some(event_target_checked(&ev)), ..Default::default() })/>
            <div class="cl-text">
                <label for=cb_id>{move || if i18n.locale() == Locale::ZhCn { zh.clone() } else { en.clone() }}</label>
                {move || text(|i| i.done_by.clone())().map(|b| view! { <span class="cell-sub">"✓ " {move || i18n.t(K::ChecklistDoneBy)} " " {b}</span> })}
                {move || text(|i| i.note.clone())().map(|n| view! { <span class="cell-sub">{n}</span> })}
                {move || text(|i| i.link.clone())().map(|l| view! { <a class="cell-sub" href=l.clone() target="_blank" rel="noopener noreferrer">{l.clone()}</a> })}
            </div>
            <div class="cl-meta">
                {match members {
                    Some(ms) => view! {
                        <select data-testid="checklist-owner" aria-label=move || i18n.t(K::ChecklistOwner)
                            on:change=move |ev| {
                                let o = event_target_value(&ev).parse::<Uuid>().ok();
                                store.edit(iid, ChecklistItemEdit { version: version(), assign: Some((o, due())), ..Default::default() });
                            }>
                            <option value="" selected=move || it.with(|i| i.as_ref().is_some_and(|i| i.owner_id.is_none()))>{move || i18n.t(K::ChecklistNoOwner)}</option>
                            {ms.into_iter().map(|m| {
                                let user = m.user_id;
                                view! { <option value=user.to_string() selected=move || it.with(|i| i.as_ref().is_some_and(|i| i.owner_id == Some(user)))>{m.name.clone()}</option> }
                            }).collect_view()}
                        </select>
                    }.into_any(),
                    None => view! { <span class="cell-sub">{move || text(|i| i.owner.clone())().unwrap_or_default()}</span> }.into_any(),
                }}
                <span class="cl-due" class:overdue=overdue>
                    {move || overdue().then(|| view! { <span aria-hidden="true">"▲ "</span> })}
                    <DateField testid="checklist-due" label=K::ChecklistDue
                        value=Signal::derive(move || it.with(|i| i.as_ref().and_then(|i| i.due).map(|d| d.to_string()).unwrap_or_default()))
                        on_commit=Callback::new(move |v: String| {
                            // Saved only when the entry is a date or cleared; other text stays to be corrected.
                            let d = match v.parse::<NaiveDate>() { Ok(d) => Some(d), Err(_) if v.is_empty() => None, Err(_) => return };
                            if d != due() {
                                store.edit(iid, ChecklistItemEdit { version: version(), assign: Some((owner(), d)), ..Default::default() });
                            }
                        })/>
                    {move || overdue().then(|| view! { <span class="sr-only">{move || i18n.t(K::Overdue)}</span> })}
                </span>
                <button type="button" class="btn btn-sm btn-ghost-dark" data-testid="checklist-annotate" aria-expanded=move || open.get().to_string()
                    on:click=move |_| {
                        if !open.get_untracked() {
                            // The form starts from what the item says now.
                            note.set(text(|i| i.note.clone())().unwrap_or_default());
                            link.set(text(|i| i.link.clone())().unwrap_or_default());
                        }
                        open.update(|o| *o = !*o);
                    }>{move || i18n.t(K::ChecklistNoteLink)}</button>
            </div>
            <Show when=move || open.get()>
                <form class="cl-annotate" on:submit=move |ev| {
                    ev.prevent_default();
                    open.set(false);
                    store.edit(iid, ChecklistItemEdit {
                        version: version(),
                        annotate: Some((clean(note.get_untracked()), clean(link.get_untracked()))),
                        ..Default::default()
                    });
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
    .into_any()
}
