//! The deal's objection log (异议处理记录表): a form to log or edit one, and the list with the
//! steps each status allows (answer, resolve with the customer's feedback, drop with a
//! reason, reopen). Live: a teammate's change reloads the list.
use crate::api::objection::{load_objections, save_objection, step_objection};
use crate::api::room::{load_map, load_members};
use crate::components::clock::{local_offset, now_utc};
use crate::components::date_field::DateField;
use crate::components::live::{last_live_event, on_live_change};
use crate::components::money::DateText;
use crate::components::states::{ErrorNotice, Skeleton};
use crate::domain::error::AppError;
use crate::domain::locale::Locale;
use crate::domain::objection::dto::ObjectionRow;
use crate::domain::objection::{Category, ObjectionInput, Status, StepInput};
use crate::i18n::{error_message, use_i18n, K};
use chrono::NaiveDate;
use leptos::prelude::*;
use uuid::Uuid;

pub fn category_name(l: Locale, c: Category) -> &'static str {
    let (en, zh) = c.names();
    if l == Locale::ZhCn {
        zh
    } else {
        en
    }
}

pub fn status_name(l: Locale, s: Status) -> &'static str {
    let (en, zh) = match s {
        Status::Open => ("Open", "未解决"),
        Status::Answered => ("Answered", "已答复"),
        Status::Resolved => ("Resolved", "已解决"),
        Status::Dropped => ("Dropped", "已撤销"),
    };
    if l == Locale::ZhCn {
        zh
    } else {
        en
    }
}

fn text(v: String) -> Option<String> {
    let t = v.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

/// The form's fields as typed.
#[derive(Clone, Copy)]
struct Form {
    id: RwSignal<Option<(Uuid, i32)>>,
    raised_on: RwSignal<String>,
    category: RwSignal<String>,
    raised_by: RwSignal<String>,
    said: RwSignal<String>,
    demand: RwSignal<String>,
    strategy: RwSignal<String>,
    owner: RwSignal<String>,
    due_on: RwSignal<String>,
}

impl Form {
    fn new() -> Self {
        let s = || RwSignal::new(String::new());
        let f = Form {
            id: RwSignal::new(None),
            raised_on: s(),
            category: s(),
            raised_by: s(),
            said: s(),
            demand: s(),
            strategy: s(),
            owner: s(),
            due_on: s(),
        };
        f.clear();
        f
    }

    fn clear(self) {
        self.id.set(None);
        self.raised_on.set(now_utc().with_timezone(&local_offset()).date_naive().to_string());
        self.category.set(Category::PriceTooHigh.code().into());
        for s in [self.raised_by, self.said, self.demand, self.strategy, self.owner, self.due_on] {
            s.set(String::new());
        }
    }

    fn fill(self, r: &ObjectionRow) {
        self.id.set(Some((r.id, r.version)));
        self.raised_on.set(r.raised_on.to_string());
        self.category.set(r.category.code().into());
        self.raised_by.set(r.raised_by.map(|u| u.to_string()).unwrap_or_default());
        self.said.set(r.said.clone());
        self.demand.set(r.demand.clone().unwrap_or_default());
        self.strategy.set(r.strategy.clone().unwrap_or_default());
        self.owner.set(r.owner_id.to_string());
        self.due_on.set(r.due_on.map(|d| d.to_string()).unwrap_or_default());
    }

    /// The input as typed, or the field whose text is not a date.
    fn build(self) -> Result<ObjectionInput, AppError> {
        let date = |field: &str, s: String| s.parse::<NaiveDate>().map_err(|_| AppError::validation(field, "is not a date"));
        Ok(ObjectionInput {
            raised_on: date("raised_on", self.raised_on.get_untracked())?,
            category: Category::parse(&self.category.get_untracked()).unwrap_or(Category::Other),
            raised_by: self.raised_by.get_untracked().parse().ok(),
            said: self.said.get_untracked(),
            demand: text(self.demand.get_untracked()),
            strategy: text(self.strategy.get_untracked()),
            owner: self.owner.get_untracked().parse().ok(),
            due_on: match text(self.due_on.get_untracked()) {
                Some(d) => Some(date("due_on", d)?),
                None => None,
            },
        })
    }
}

#[component]
pub fn ObjectionsPanel(id: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(|| (), move |_| load_objections(id));
    let map = Resource::new(|| (), move |_| load_map(id));
    let members = Resource::new(|| (), move |_| load_members(id));
    on_live_change(move || {
        if last_live_event().is_some_and(|e| e.deal == Some(id)) {
            data.refetch();
        }
    });
    let form = Form::new();
    let open = RwSignal::new(false);
    let save = Action::new(move |_: &()| async move {
        let input = form.build()?;
        let (oid, version) = form.id.get_untracked().map_or((None, 0), |(i, v)| (Some(i), v));
        save_objection(id, oid, input, version).await
    });
    // After a 409 the list reloads; the open form then carries the version it shows, so the
    // user checks the row and saves again (as the message says) instead of meeting 409 forever.
    let conflicted = RwSignal::new(false);
    Effect::new(move |_| match save.value().get() {
        Some(Ok(_)) => {
            form.clear();
            open.set(false);
            data.refetch();
        }
        Some(Err(AppError::Conflict)) => {
            conflicted.set(true);
            data.refetch();
        }
        _ => {}
    });
    Effect::new(move |_| {
        if let Some(Ok(d)) = data.get() {
            if let (true, Some((fid, _))) = (conflicted.get_untracked(), form.id.get_untracked()) {
                if let Some(r) = d.rows.iter().find(|r| r.id == fid) {
                    form.id.set(Some((fid, r.version)));
                }
                conflicted.set(false);
            }
        }
    });
    let step = Action::new(move |(oid, s, v): &(Uuid, StepInput, i32)| {
        let (oid, s, v) = (*oid, s.clone(), *v);
        async move { step_objection(oid, s, v).await }
    });
    Effect::new(move |_| {
        if matches!(step.value().get(), Some(Ok(_)) | Some(Err(AppError::Conflict))) {
            data.refetch();
        }
    });
    let can_edit = move || data.get().and_then(|r| r.ok()).is_some_and(|d| d.can_edit);
    let area = move |k: K, sig: RwSignal<String>, tid: &'static str| {
        view! {
            <div class="field field-wide">
                <label for=tid>{move || i18n.t(k)}</label>
                <textarea id=tid data-testid=tid rows="2" maxlength="4000" prop:value=move || sig.get() on:input=move |ev| sig.set(event_target_value(&ev))></textarea>
            </div>
        }
    };
    view! {
        <section class="panel" data-testid="objections-panel">
            <div class="panel-head">
                <h2 class="panel-title">{move || i18n.t(K::ObjectionsTitle)}</h2>
                <Transition fallback=|| ()>
                    {move || can_edit().then(|| view! {
                        <button class="btn btn-primary" data-testid="objection-new" on:click=move |_| { form.clear(); open.update(|o| *o = !*o); }>
                            "+ " {move || i18n.t(K::ObjectionNew)}
                        </button>
                    })}
                </Transition>
            </div>
            <p class="lead">{move || i18n.t(K::ObjectionsLead)}</p>
            <Show when=move || open.get()>
                <form class="form objection-form" data-testid="objection-form" on:submit=move |ev| { ev.prevent_default(); save.dispatch(()); }>
                    <div class="form-grid">
                        <div class="field">
                            <label for="o-raised-on">{move || i18n.t(K::ObjectionRaisedOn)}</label>
                            <DateField id="o-raised-on" testid="o-raised-on" value=form.raised_on on_input=Callback::new(move |v| form.raised_on.set(v))/>
                        </div>
                        <div class="field">
                            <label for="o-category">{move || i18n.t(K::ObjectionCategory)}</label>
                            <select id="o-category" data-testid="o-category" prop:value=move || form.category.get() on:change=move |ev| form.category.set(event_target_value(&ev))>
                                {Category::ALL.into_iter().map(|c| view! { <option value=c.code()>{move || category_name(i18n.locale(), c)}</option> }).collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for="o-raised-by">{move || i18n.t(K::ObjectionRaisedBy)}</label>
                            <select id="o-raised-by" data-testid="o-raised-by" prop:value=move || form.raised_by.get() on:change=move |ev| form.raised_by.set(event_target_value(&ev))>
                                <option value="">"—"</option>
                                {move || map.get().and_then(|r| r.ok()).map(|m| m.people.into_iter().map(|p| view! {
                                    <option value=p.contact_id.to_string()>{p.name.clone()} {p.title.map(|t| format!(" · {t}"))}</option>
                                }).collect_view())}
                            </select>
                        </div>
                        <div class="field">
                            <label for="o-owner">{move || i18n.t(K::ObjectionOwner)}</label>
                            <select id="o-owner" data-testid="o-owner" prop:value=move || form.owner.get() on:change=move |ev| form.owner.set(event_target_value(&ev))>
                                <option value="">{move || i18n.t(K::ObjectionOwnerDefault)}</option>
                                {move || members.get().and_then(|r| r.ok()).map(|ms| ms.into_iter().map(|m| view! {
                                    <option value=m.user_id.to_string()>{m.name.clone()}</option>
                                }).collect_view())}
                            </select>
                        </div>
                        <div class="field">
                            <label for="o-due">{move || i18n.t(K::ObjectionDue)}</label>
                            <DateField id="o-due" testid="o-due" value=form.due_on on_input=Callback::new(move |v| form.due_on.set(v))/>
                        </div>
                    </div>
                    {area(K::ObjectionSaid, form.said, "o-said")}
                    {area(K::ObjectionDemand, form.demand, "o-demand")}
                    {area(K::ObjectionStrategy, form.strategy, "o-strategy")}
                    <div class="form-actions">
                        {move || save.value().get().and_then(|r| r.err()).map(|e| view! {
                            <span class="field-error" role="alert" data-testid="objection-error">{move || error_message(i18n.locale(), &e)}</span>
                        })}
                        <button type="button" class="btn" on:click=move |_| { form.clear(); open.set(false); }>{move || i18n.t(K::Cancel)}</button>
                        <button type="submit" class="btn btn-primary" data-testid="objection-save" disabled=move || save.pending().get()>{move || i18n.t(K::Save)}</button>
                    </div>
                </form>
            </Show>
            {move || step.value().get().and_then(|r| r.err()).map(|e| view! {
                <p class="field-error" role="alert" data-testid="objection-step-error">{move || error_message(i18n.locale(), &e)}</p>
            })}
            <Transition fallback=|| view! { <Skeleton rows=3/> }>
                {move || data.get().map(|r| match r {
                    Err(e) => view! { <ErrorNotice error=e panel=true/> }.into_any(),
                    Ok(d) if d.rows.is_empty() => view! { <p class="empty" data-testid="objections-empty">{move || i18n.t(K::ObjectionsEmpty)}</p> }.into_any(),
                    Ok(d) => {
                        let edit = d.can_edit;
                        view! {
                            <ul class="objection-list">
                                {d.rows.into_iter().map(|r| view! { <ObjectionItem row=r edit=edit form=form open=open step=step/> }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                })}
            </Transition>
        </section>
    }
}

type StepAction = Action<(Uuid, StepInput, i32), Result<ObjectionRow, AppError>>;

#[component]
fn ObjectionItem(row: ObjectionRow, edit: bool, form: Form, open: RwSignal<bool>, step: StepAction) -> impl IntoView {
    let i18n = use_i18n();
    let (id, version, status, category) = (row.id, row.version, row.status, row.category);
    // The step waiting for its words (feedback or reason), if any.
    let asking: RwSignal<Option<Status>> = RwSignal::new(None);
    let words = RwSignal::new(String::new());
    let go = move |to: Status, feedback: Option<String>| {
        step.dispatch((id, StepInput { to, feedback, resolved_on: None }, version));
    };
    let button = move |to: Status, k: K, tid: &'static str| {
        view! {
            <button class="btn btn-sm" data-testid=tid on:click=move |_| match to {
                Status::Resolved | Status::Dropped => { words.set(String::new()); asking.set(Some(to)); }
                _ => go(to, None),
            }>{move || i18n.t(k)}</button>
        }
    };
    let for_edit = row.clone();
    view! {
        <li class="objection" class:objection-closed=!status.unresolved() class:objection-overdue=row.overdue
            data-testid="objection" data-status=status.code()>
            <div class="objection-head">
                <span class="chip">{move || category_name(i18n.locale(), category)}</span>
                <span class=format!("chip objection-status-{}", status.code()) data-testid="objection-status">{move || status_name(i18n.locale(), status)}</span>
                <span class="cell-sub"><DateText date=row.raised_on/> {row.raised_by_name.clone().map(|n| format!(" · {n}"))}</span>
                <span class="spacer"></span>
                <span class="cell-sub" class:overdue=row.overdue>
                    {row.owner.clone()}
                    {row.due_on.map(|d| view! { " · " {move || i18n.t(K::ObjectionDue)} " " <DateText date=d/> })}
                </span>
            </div>
            <blockquote class="objection-said">{row.said.clone()}</blockquote>
            <dl class="objection-facts">
                {row.demand.clone().map(|t| view! { <dt>{move || i18n.t(K::ObjectionDemand)}</dt><dd>{t}</dd> })}
                {row.strategy.clone().map(|t| view! { <dt>{move || i18n.t(K::ObjectionStrategy)}</dt><dd>{t}</dd> })}
                {row.feedback.clone().map(|t| view! { <dt>{move || i18n.t(K::ObjectionFeedback)}</dt><dd>{t}</dd> })}
                {row.resolved_on.map(|d| view! { <dt>{move || i18n.t(K::ObjectionResolvedOn)}</dt><dd><DateText date=d/></dd> })}
            </dl>
            {edit.then(|| view! {
                <div class="objection-actions">
                    {(status == Status::Open).then(|| button(Status::Answered, K::ObjectionAnswer, "objection-answer"))}
                    {status.unresolved().then(|| button(Status::Resolved, K::ObjectionResolve, "objection-resolve"))}
                    {status.unresolved().then(|| button(Status::Dropped, K::ObjectionDrop, "objection-drop"))}
                    {(!status.unresolved() || status == Status::Answered).then(|| button(Status::Open, K::ObjectionReopen, "objection-reopen"))}
                    <button class="btn btn-sm" data-testid="objection-edit" on:click=move |_| { form.fill(&for_edit); open.set(true); }>{move || i18n.t(K::Edit)}</button>
                </div>
                {move || asking.get().map(|to| view! {
                    <form class="objection-ask" data-testid="objection-ask" on:submit=move |ev| { ev.prevent_default(); go(to, text(words.get_untracked())); asking.set(None); }>
                        <label for=format!("ask-{id}")>{move || if to == Status::Resolved { i18n.t(K::ObjectionFeedbackAsk) } else { i18n.t(K::ObjectionDropAsk) }}</label>
                        <input id=format!("ask-{id}") data-testid="objection-words" type="text" maxlength="4000" prop:value=move || words.get() on:input=move |ev| words.set(event_target_value(&ev))/>
                        <button type="submit" class="btn btn-sm btn-primary" data-testid="objection-confirm">{move || i18n.t(K::Confirm)}</button>
                        <button type="button" class="btn btn-sm" on:click=move |_| asking.set(None)>{move || i18n.t(K::Cancel)}</button>
                    </form>
                })}
            })}
        </li>
    }
}
