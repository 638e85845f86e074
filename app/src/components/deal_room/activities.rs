//! Activities on a deal (log form with inline validation, list with late entries marked).
//! "My tasks", the follow-ups they plan, is a page: `pages::my_tasks`.
use crate::api::room::{load_activities, load_members, log_activity};
use crate::components::clock::{local_offset, now_utc};
use crate::components::date_field::DateField;
use crate::components::live::{last_live_event, on_live_change};
use crate::components::money::DateText;
use crate::components::states::{ErrorNotice, Skeleton};
use crate::domain::activity::{validate, Activity, ActivityAt, ActivityError, ActivityKind};
use crate::domain::dto::{ActivityRow, NewActivity};
use crate::i18n::{error_message, use_i18n, K};
use chrono::{NaiveDate, NaiveTime};
use leptos::prelude::*;
use uuid::Uuid;

fn clean(v: String) -> Option<String> {
    let t = v.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

#[derive(Clone, Copy)]
struct Form {
    kind: RwSignal<String>,
    date: RwSignal<String>,
    time: RwSignal<String>,
    channel: RwSignal<String>,
    people: RwSignal<String>,
    summary: RwSignal<String>,
    satisfaction: RwSignal<String>,
    needs: RwSignal<String>,
    next: RwSignal<String>,
    owner: RwSignal<String>,
    due: RwSignal<String>,
}

impl Form {
    fn new() -> Self {
        let s = || RwSignal::new(String::new());
        Form {
            kind: RwSignal::new("call".into()),
            date: RwSignal::new(now_utc().with_timezone(&local_offset()).date_naive().to_string()),
            time: s(),
            channel: s(),
            people: s(),
            summary: s(),
            satisfaction: s(),
            needs: s(),
            next: s(),
            owner: s(),
            due: s(),
        }
    }

    /// The entry as typed, or the field whose text is not a date/time at all.
    fn build(self) -> Result<NewActivity, &'static str> {
        let day = self.date.get().parse::<NaiveDate>().map_err(|_| "at")?;
        let at = match clean(self.time.get()) {
            None => ActivityAt::Day(day),
            Some(t) => {
                let t = NaiveTime::parse_from_str(&t, "%H:%M").map_err(|_| "at")?;
                let local = day.and_time(t).and_local_timezone(local_offset()).single().ok_or("at")?;
                ActivityAt::Time(local.to_utc())
            }
        };
        let due = match clean(self.due.get()) {
            None => None,
            Some(d) => Some(d.parse::<NaiveDate>().map_err(|_| "next_due")?),
        };
        Ok(NewActivity {
            kind: self.kind.get(),
            at,
            channel: clean(self.channel.get()),
            people: clean(self.people.get()),
            summary: self.summary.get().trim().to_owned(),
            satisfaction: self.satisfaction.get().parse::<u8>().ok(),
            new_needs: clean(self.needs.get()),
            next_action: clean(self.next.get()),
            next_owner: self.owner.get().parse::<Uuid>().ok(),
            next_due: due,
        })
    }

    /// The same rules the server applies, so mistakes show before sending.
    fn check(self) -> Result<NewActivity, (&'static str, Option<ActivityError>)> {
        let a = self.build().map_err(|f| (f, None))?;
        let probe = Activity {
            kind: ActivityKind::parse(&a.kind).unwrap_or(ActivityKind::Other),
            at: a.at,
            recorded_at: now_utc(),
            summary: a.summary.clone(),
            satisfaction: a.satisfaction,
            next_action: a.next_action.clone(),
            // Only presence matters to the rules.
            next_owner_id: a.next_owner.map(|_| 0),
            next_due: a.next_due,
        };
        validate(&probe, local_offset()).map_err(|e| (e.field(), Some(e)))?;
        Ok(a)
    }

    fn reset(self) {
        for s in [self.time, self.channel, self.people, self.summary, self.satisfaction, self.needs, self.next, self.owner, self.due] {
            s.set(String::new());
        }
    }
}

#[component]
pub fn ActivitiesPanel(id: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let rows = Resource::new(|| (), move |_| load_activities(id));
    let members = Resource::new(|| (), move |_| load_members(id));
    let f = Form::new();
    let tried = RwSignal::new(false);
    let log = Action::new(move |a: &NewActivity| {
        let a = a.clone();
        async move { log_activity(id, a).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = log.value().get() {
            f.reset();
            tried.set(false);
            rows.refetch();
        }
    });
    on_live_change(move || {
        if last_live_event().is_some_and(|e| e.deal == Some(id)) {
            rows.refetch();
        }
    });
    // Messages appear once the user has tried to submit, then follow their typing.
    let problem = move || if tried.get() { f.check().err() } else { None };
    let bad = move |field: &'static str| problem().is_some_and(|(f, _)| f == field);
    let msg = move |field: &'static str| {
        problem().filter(|(f, _)| *f == field).map(|(_, e)| {
            let text = match e {
                Some(e) => e.message(i18n.locale()),
                None => i18n.t(K::ActDateInvalid).to_owned(),
            };
            view! { <span class="field-error" data-testid=format!("activity-error-{field}")>{text}</span> }
        })
    };
    let text_input = move |key: K, field: &'static str, sig: RwSignal<String>| {
        let id = format!("act-{field}");
        view! {
            <div class="field" class:field-invalid=move || bad(field)>
                <label for=id.clone()>{move || i18n.t(key)}</label>
                <input id=id type="text" maxlength="500" data-testid=format!("activity-{field}")
                    prop:value=move || sig.get() on:input=move |ev| sig.set(event_target_value(&ev))/>
                {move || msg(field)}
            </div>
        }
    };
    view! {
        <section class="panel activities" data-testid="activities">
            <h2 class="panel-title">{move || i18n.t(K::ActivitiesTitle)}</h2>
            <form class="activity-form" data-testid="activity-form" novalidate on:submit=move |ev| {
                ev.prevent_default();
                tried.set(true);
                if let Ok(a) = f.check() {
                    log.dispatch(a);
                }
            }>
                <h3>{move || i18n.t(K::LogActivity)}</h3>
                <div class="act-grid">
                    <div class="field">
                        <label for="act-kind">{move || i18n.t(K::ActKind)}</label>
                        <select id="act-kind" data-testid="activity-kind" on:change=move |ev| f.kind.set(event_target_value(&ev))>
                            {ActivityKind::ALL.into_iter().map(|k| view! {
                                <option value=k.code() selected=move || f.kind.get() == k.code()>{move || k.label(i18n.locale())}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field" class:field-invalid=move || bad("at")>
                        <label for="act-date">{move || i18n.t(K::ActDate)}</label>
                        <DateField id="act-date" testid="activity-date" value=f.date on_input=Callback::new(move |v| f.date.set(v))/>
                        {move || msg("at")}
                    </div>
                    <div class="field">
                        <label for="act-time">{move || i18n.t(K::ActTime)}</label>
                        <input id="act-time" type="time" data-testid="activity-time" prop:value=move || f.time.get() on:change=move |ev| f.time.set(event_target_value(&ev))/>
                    </div>
                    {text_input(K::ActChannel, "channel", f.channel)}
                    {text_input(K::ActPeople, "people", f.people)}
                    <div class="field">
                        <label for="act-satisfaction">{move || i18n.t(K::ActSatisfaction)}</label>
                        <select id="act-satisfaction" data-testid="activity-satisfaction" on:change=move |ev| f.satisfaction.set(event_target_value(&ev))>
                            <option value="" selected=move || f.satisfaction.get().is_empty()>{move || i18n.t(K::ActNone)}</option>
                            {(1..=5u8).map(|i| view! { <option value=i.to_string() selected=move || f.satisfaction.get() == i.to_string()>{i}</option> }).collect_view()}
                        </select>
                    </div>
                </div>
                <div class="field" class:field-invalid=move || bad("summary")>
                    <label for="act-summary">{move || i18n.t(K::ActSummary)}</label>
                    <textarea id="act-summary" rows="3" maxlength="4000" data-testid="activity-summary"
                        prop:value=move || f.summary.get() on:input=move |ev| f.summary.set(event_target_value(&ev))></textarea>
                    {move || msg("summary")}
                </div>
                <div class="field">
                    <label for="act-needs">{move || i18n.t(K::ActNewNeeds)}</label>
                    <textarea id="act-needs" rows="2" maxlength="4000" data-testid="activity-needs"
                        prop:value=move || f.needs.get() on:input=move |ev| f.needs.set(event_target_value(&ev))></textarea>
                </div>
                <div class="act-grid">
                    {text_input(K::ActNextAction, "next_action", f.next)}
                    <div class="field" class:field-invalid=move || bad("next_owner_id")>
                        <label for="act-owner">{move || i18n.t(K::ActNextOwner)}</label>
                        <select id="act-owner" data-testid="activity-owner" on:change=move |ev| f.owner.set(event_target_value(&ev))>
                            <option value="" selected=move || f.owner.get().is_empty()>{move || i18n.t(K::ActChooseOwner)}</option>
                            <Transition fallback=|| ()>
                                {move || members.get().and_then(|r| r.ok()).map(|ms| ms.into_iter().map(|m| {
                                    let v = m.user_id.to_string();
                                    let v2 = v.clone();
                                    view! { <option value=v selected=move || f.owner.get() == v2>{m.name.clone()}</option> }
                                }).collect_view())}
                            </Transition>
                        </select>
                        {move || msg("next_owner_id")}
                    </div>
                    <div class="field" class:field-invalid=move || bad("next_due")>
                        <label for="act-due">{move || i18n.t(K::ActNextDue)}</label>
                        <DateField id="act-due" testid="activity-due" value=f.due on_input=Callback::new(move |v| f.due.set(v))/>
                        {move || msg("next_due")}
                    </div>
                </div>
                <div class="form-actions">
                    {move || log.value().get().map(|r| match r {
                        Ok(_) => view! { <span class="saved" role="status" data-testid="activity-logged">"✓ " {move || i18n.t(K::ActLogged)}</span> }.into_any(),
                        Err(e) => view! { <span class="field-error" role="alert">{move || error_message(i18n.locale(), &e)}</span> }.into_any(),
                    })}
                    <button type="submit" class="btn btn-primary" data-testid="activity-submit" disabled=move || log.pending().get()>{move || i18n.t(K::LogActivity)}</button>
                </div>
            </form>
            <Transition fallback=|| view! { <Skeleton rows=3/> }>
                {move || rows.get().map(|r| match r {
                    Err(e) => view! { <ErrorNotice error=e panel=true/> }.into_any(),
                    Ok(rs) if rs.is_empty() => view! { <p class="muted">{move || i18n.t(K::ActivitiesEmpty)}</p> }.into_any(),
                    Ok(rs) => view! { <ol class="activity-list">{rs.into_iter().map(|a| view! { <ActivityItem a=a/> }).collect_view()}</ol> }.into_any(),
                })}
            </Transition>
        </section>
    }
}

#[component]
fn ActivityItem(a: ActivityRow) -> impl IntoView {
    let i18n = use_i18n();
    let kind = ActivityKind::parse(&a.kind).unwrap_or(ActivityKind::Other);
    let when = if a.all_day {
        a.at.with_timezone(&local_offset()).date_naive().to_string()
    } else {
        a.at.with_timezone(&local_offset()).format("%Y-%m-%d %H:%M").to_string()
    };
    let meta = [a.channel.clone(), a.people.clone()].into_iter().flatten().collect::<Vec<_>>().join(" · ");
    view! {
        <li class="activity" data-testid="activity" data-kind=a.kind.clone() data-late=a.late.to_string()>
            <div class="activity-head">
                <span class="chip">{move || kind.label(i18n.locale())}</span>
                <span class="num">{when}</span>
                <span class="muted">{a.author.clone()}</span>
                {a.late.then(|| view! { <span class="chip chip-amber" data-testid="late-flag" title=move || i18n.t(K::ActLateHint)>"◔ " {move || i18n.t(K::ActLate)}</span> })}
                {a.satisfaction.map(|s| view! { <span class="rel-dots" title=move || i18n.t(K::ActSatisfaction)>{(1..=5u8).map(|i| view! { <span class="rel-dot" class:on={i <= s}></span> }).collect_view()}</span> })}
            </div>
            {(!meta.is_empty()).then(|| view! { <span class="cell-sub">{meta}</span> })}
            <p class="activity-summary">{a.summary.clone()}</p>
            {a.new_needs.clone().map(|n| view! { <p class="cell-sub">{move || i18n.t(K::ActNewNeeds)} ": " {n.clone()}</p> })}
            {a.next_action.clone().map(|n| view! {
                <p class="activity-next" class:done=a.next_done>
                    {if a.next_done { "✓ " } else { "▲ " }} {n} " · " {a.next_owner.clone().unwrap_or_default()} " · "
                    {a.next_due.map(|d| view! { <DateText date=d/> })}
                </p>
            })}
        </li>
    }
}
