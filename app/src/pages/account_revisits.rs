//! The account's relationship (客户关系维护): when it was last contacted and when it is next
//! due under its grade's cadence, the satisfaction trend, delivery follow-ups owed, the revisit
//! form of seed 003 table 7 (客户回访记录表) and the revisits so far. A new need a revisit
//! heard becomes a deal in one click, through the one deal-creating service.
use crate::api::account::record_revisit;
use crate::api::deal::create_deal;
use crate::components::clock::{local_offset, now_utc};
use crate::components::date_field::DateField;
use crate::components::money::DateText;
use crate::components::viewport::Fold;
use crate::domain::account::cadence::{ContactStatus, Every};
use crate::domain::account::dto::{AccountView, FollowUpRow, RevisitRow};
use crate::domain::account::revisit::{check, proposed_next_visit, trend, Channel, RevisitInput};
use crate::domain::dto::NewDeal;
use crate::i18n::{error_message, use_i18n, I18n, K};
use chrono::{Days, NaiveDate};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use std::cmp::Ordering;

fn today() -> NaiveDate {
    now_utc().with_timezone(&local_offset()).date_naive()
}

/// Where the next contact stands, in words, with the chip's colour class.
pub fn status_text(i18n: I18n, s: ContactStatus) -> (String, &'static str) {
    let zh = i18n.locale() == crate::domain::locale::Locale::ZhCn;
    match s {
        ContactStatus::Overdue { days } if zh => (format!("逾期 {days} 天"), "chip chip-red"),
        ContactStatus::Overdue { days } => (format!("Overdue by {days} day{}", if days == 1 { "" } else { "s" }), "chip chip-red"),
        ContactStatus::DueThisWeek => (i18n.t(K::RvDueThisWeek).to_owned(), "chip chip-amber"),
        ContactStatus::NotDue => (i18n.t(K::RvOnSchedule).to_owned(), "chip chip-green"),
        ContactStatus::CampaignOnly => (i18n.t(K::RvCampaignOnly).to_owned(), "chip"),
    }
}

fn cadence_text(i18n: I18n, every: Option<Every>) -> String {
    let zh = i18n.locale() == crate::domain::locale::Locale::ZhCn;
    match every {
        None => i18n.t(K::RvUngraded).to_owned(),
        Some(Every::CampaignsOnly) => i18n.t(K::RvCampaignOnly).to_owned(),
        Some(Every::Months(1)) if zh => "每月 1 次".into(),
        Some(Every::Months(n)) if zh => format!("每 {n} 个月 1 次"),
        Some(Every::Months(1)) => "monthly".into(),
        Some(Every::Months(n)) => format!("every {n} months"),
    }
}

fn channel_key(c: Channel) -> K {
    match c {
        Channel::Visit => K::RvChVisit,
        Channel::Phone => K::RvChPhone,
        Channel::Video => K::RvChVideo,
        Channel::Email => K::RvChEmail,
        Channel::Other => K::RvChOther,
    }
}

/// A small line of the satisfaction scores (1–5), oldest to newest.
fn sparkline(scores: &[u8]) -> impl IntoView {
    let n = scores.len();
    let (w, h) = (120.0_f64, 28.0_f64);
    let step = if n > 1 { w / (n - 1) as f64 } else { 0.0 };
    let pts: Vec<(f64, f64)> =
        scores.iter().enumerate().map(|(i, &s)| (i as f64 * step, h - 3.0 - (f64::from(s) - 1.0) / 4.0 * (h - 6.0))).collect();
    let line = pts.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect::<Vec<_>>().join(" ");
    let last = pts.last().copied();
    view! {
        <svg class="rv-spark" viewBox="0 0 120 28" width="120" height="28" aria-hidden="true">
            <polyline points=line fill="none" stroke="currentColor" stroke-width="1.5"/>
            {last.map(|(x, y)| view! { <circle cx=format!("{x:.1}") cy=format!("{y:.1}") r="2.5" fill="currentColor"/> })}
        </svg>
    }
}

#[component]
pub fn Relationship(account: RwSignal<AccountView>) -> impl IntoView {
    let i18n = use_i18n();
    let delivery: RwSignal<Option<FollowUpRow>> = RwSignal::new(None);
    // A memo, so a saved revisit (a new view) does not re-mount the form and lose its "saved".
    let may_edit = Memo::new(move |_| account.with(|a| a.may_edit));
    let scores = Memo::new(move |_| account.with(|a| a.revisits.iter().rev().map(|r| r.satisfaction).collect::<Vec<u8>>()));
    let trend_words = move || match scores.with(|s| trend(s)) {
        Some(Ordering::Greater) => i18n.t(K::RvTrendUp),
        Some(Ordering::Less) => i18n.t(K::RvTrendDown),
        Some(Ordering::Equal) => i18n.t(K::RvTrendSteady),
        None => i18n.t(K::RvTrendFew),
    };
    view! {
        <section class="panel acct-relation" data-testid="relationship">
            <h2 class="panel-title">{move || i18n.t(K::RvTitle)}</h2>
            <dl class="rv-facts">
                <div>
                    <dt>{move || i18n.t(K::RvLastContact)}</dt>
                    <dd data-testid="rv-last">{move || match account.with(|a| a.last_contact_on) {
                        Some(d) => view! { <DateText date=d/> }.into_any(),
                        None => view! { <span class="muted">{move || i18n.t(K::RvNever)}</span> }.into_any(),
                    }}</dd>
                </div>
                <div>
                    <dt>{move || i18n.t(K::RvNextDue)}</dt>
                    <dd>
                        {move || account.with(|a| a.next_contact_on).map(|d| view! { <DateText date=d/> " " })}
                        {move || {
                            let s = account.with(|a| a.contact_status);
                            // An ungraded account has no cadence yet: not "campaigns only".
                            if account.with(|a| a.grade.is_none() && a.next_contact_on.is_none()) {
                                return view! { <span class="muted" data-testid="rv-status" data-status="ungraded">{move || i18n.t(K::RvUngraded)}</span> }.into_any();
                            }
                            let (text, cls) = status_text(i18n, s);
                            view! { <span class=cls data-testid="rv-status" data-status=s.code()>{text}</span> }.into_any()
                        }}
                    </dd>
                </div>
                <div>
                    <dt>{move || i18n.t(K::RvCadence)}</dt>
                    <dd data-testid="rv-cadence">{move || account.with(|a| cadence_text(i18n, a.grade.map(|g| a.cadence.every(g))))}</dd>
                </div>
                <div>
                    <dt>{move || i18n.t(K::RvTrend)}</dt>
                    <dd class="rv-trend" data-testid="rv-trend">
                        {move || scores.with(|s| (s.len() > 1).then(|| sparkline(&s[s.len().saturating_sub(12)..])))}
                        <span>{trend_words}</span>
                    </dd>
                </div>
            </dl>
            {move || {
                let owed = account.with(|a| a.follow_ups.clone());
                (!owed.is_empty()).then(|| view! {
                    <ul class="rv-owed" data-testid="rv-follow-ups">
                        {owed.into_iter().map(|f| {
                            let href = format!("/deals/{}", f.deal_id);
                            let late = f.due_on < today();
                            let pick = f.clone();
                            view! {
                                <li class:rv-late=late data-testid="rv-follow-up">
                                    <span>{move || i18n.t(K::RvDeliveryFollowUp)} " "</span>
                                    <a href=href>{f.deal_name.clone()}</a>
                                    <span class="muted">" · " {move || i18n.t(K::RvDueBy)} " "</span><DateText date=f.due_on/>
                                    {move || may_edit.get().then(|| {
                                        let pick = pick.clone();
                                        view! {
                                            <button type="button" class="btn btn-sm" data-testid="rv-follow-up-record"
                                                on:click=move |_| delivery.set(Some(pick.clone()))>{move || i18n.t(K::RvRecordIt)}</button>
                                        }
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                })
            }}
            {move || may_edit.get().then(|| view! {
                <Fold testid="revisit-fold" label=Signal::derive(move || i18n.t(K::RvRecord).to_owned()) open_when=Signal::derive(move || delivery.with(Option::is_some))>
                    <RevisitForm account=account delivery=delivery/>
                </Fold>
            })}
            <RevisitList account=account/>
        </section>
    }
}

/// The form's fields as typed; dates stay text until checked.
#[derive(Clone, Copy)]
struct Form {
    visited_on: RwSignal<String>,
    channel: RwSignal<Channel>,
    contact: RwSignal<String>,
    feedback: RwSignal<String>,
    satisfaction: RwSignal<u8>,
    needs: RwSignal<String>,
    follow_up: RwSignal<String>,
    owner: RwSignal<String>,
    due: RwSignal<String>,
    /// `None` while the user has not touched it: the cadence proposes.
    next: RwSignal<Option<String>>,
    accepted: RwSignal<Option<bool>>,
}

impl Form {
    fn new() -> Self {
        Form {
            visited_on: RwSignal::new(today().to_string()),
            channel: RwSignal::new(Channel::Visit),
            contact: RwSignal::new(String::new()),
            feedback: RwSignal::new(String::new()),
            satisfaction: RwSignal::new(4),
            needs: RwSignal::new(String::new()),
            follow_up: RwSignal::new(String::new()),
            owner: RwSignal::new(String::new()),
            due: RwSignal::new(String::new()),
            next: RwSignal::new(None),
            accepted: RwSignal::new(None),
        }
    }

    fn reset(self) {
        self.visited_on.set(today().to_string());
        for s in [self.contact, self.feedback, self.needs, self.follow_up, self.owner, self.due] {
            s.set(String::new());
        }
        self.satisfaction.set(4);
        self.next.set(None);
        self.accepted.set(None);
    }

    fn opt(s: RwSignal<String>) -> Option<String> {
        Some(s.get_untracked().trim().to_owned()).filter(|s| !s.is_empty())
    }

    /// The revisit, or the field that is wrong and why.
    fn input(self, i18n: I18n, follow_up_of: Option<uuid::Uuid>) -> Result<RevisitInput, (&'static str, String)> {
        let date = |field: &'static str, s: &str| -> Result<Option<NaiveDate>, (&'static str, String)> {
            if s.trim().is_empty() {
                return Ok(None);
            }
            s.trim().parse::<NaiveDate>().map(Some).map_err(|_| (field, i18n.t(K::ActDateInvalid).to_owned()))
        };
        let visited_on =
            date("visited_on", &self.visited_on.get_untracked())?.ok_or(("visited_on", i18n.t(K::ActDateInvalid).to_owned()))?;
        let r = RevisitInput {
            visited_on,
            channel: self.channel.get_untracked(),
            contact_name: Self::opt(self.contact),
            feedback: self.feedback.get_untracked(),
            satisfaction: self.satisfaction.get_untracked(),
            new_needs: Self::opt(self.needs),
            follow_up: Self::opt(self.follow_up),
            follow_up_owner: self.owner.get_untracked().parse().ok(),
            follow_up_due: date("follow_up_due", &self.due.get_untracked())?,
            next_visit_on: match self.next.get_untracked() {
                Some(s) => date("next_visit_on", &s)?,
                None => None,
            },
            follow_up_of,
            accepted: self.accepted.get_untracked(),
        };
        check(&r, today()).map_err(|e| (e.field(), e.message(i18n.locale())))?;
        Ok(r)
    }
}

#[component]
fn RevisitForm(account: RwSignal<AccountView>, delivery: RwSignal<Option<FollowUpRow>>) -> impl IntoView {
    let i18n = use_i18n();
    let id = account.with_untracked(|a| a.id);
    let f = Form::new();
    let problem: RwSignal<Option<(&'static str, String)>> = RwSignal::new(None);
    let save = Action::new(move |r: &RevisitInput| {
        let r = r.clone();
        async move { record_revisit(id, r).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(a)) = save.value().get() {
            f.reset();
            delivery.set(None);
            account.set(a);
        }
    });
    // The next visit the cadence proposes from the revisit's date.
    let proposed = Memo::new(move |_| {
        let on = f.visited_on.get().parse::<NaiveDate>().ok()?;
        account.with(|a| proposed_next_visit(a.grade, on, &a.cadence))
    });
    let server_field = move || match save.value().get() {
        Some(Err(crate::domain::error::AppError::Validation { field, message })) => Some((field, message)),
        _ => None,
    };
    let bad = move |field: &'static str| problem.with(|p| p.as_ref().is_some_and(|(f, _)| *f == field));
    let msg = move |field: &'static str| {
        problem.with(|p| p.as_ref().filter(|(f, _)| *f == field).map(|(_, m)| m.clone())).map(|m| {
            view! { <span class="field-error" role="alert" data-testid=format!("rv-error-{field}")>{m}</span> }
        })
    };
    let text = move |key: K, field: &'static str, sig: RwSignal<String>, max: usize| {
        let fid = format!("rv-{field}");
        view! {
            <div class="field" class:field-invalid=move || bad(field)>
                <label for=fid.clone()>{move || i18n.t(key)}</label>
                <input id=fid type="text" maxlength=max.to_string() data-testid=format!("rv-{field}")
                    prop:value=move || sig.get() on:input=move |ev| sig.set(event_target_value(&ev))/>
                {move || msg(field)}
            </div>
        }
    };
    let date = move |key: K, field: &'static str, sig: RwSignal<String>| {
        let fid = format!("rv-{field}");
        view! {
            <div class="field" class:field-invalid=move || bad(field)>
                <label for=fid.clone()>{move || i18n.t(key)}</label>
                <DateField id=fid testid=format!("rv-{field}") value=sig on_input=Callback::new(move |v| sig.set(v))/>
                {move || msg(field)}
            </div>
        }
    };
    view! {
        <form class="rv-form" data-testid="revisit-form" novalidate on:submit=move |ev| {
            ev.prevent_default();
            match f.input(i18n, delivery.with_untracked(|d| d.as_ref().map(|d| d.id))) {
                Err(p) => problem.set(Some(p)),
                Ok(r) => {
                    problem.set(None);
                    save.dispatch(r);
                }
            }
        }>
            <h3>
                {move || i18n.t(K::RvRecord)}
                {move || delivery.get().map(|d| view! {
                    <span class="chip chip-amber rv-for" data-testid="rv-for-delivery">{move || i18n.t(K::RvDeliveryFollowUp)} " · " {d.deal_name.clone()}</span>
                    <button type="button" class="btn-link" on:click=move |_| delivery.set(None)>{move || i18n.t(K::Cancel)}</button>
                })}
            </h3>
            <div class="act-grid">
                {date(K::RvDate, "visited_on", f.visited_on)}
                <div class="field">
                    <label for="rv-channel">{move || i18n.t(K::RvChannel)}</label>
                    <select id="rv-channel" data-testid="rv-channel" on:change=move |ev| f.channel.set(Channel::parse(&event_target_value(&ev)).unwrap_or(Channel::Other))>
                        {Channel::ALL.into_iter().map(|c| view! {
                            <option value=c.code() selected=move || f.channel.get() == c>{move || i18n.t(channel_key(c))}</option>
                        }).collect_view()}
                    </select>
                </div>
                {text(K::RvContact, "contact_name", f.contact, 100)}
                <div class="field" class:field-invalid=move || bad("satisfaction")>
                    <label for="rv-satisfaction">{move || i18n.t(K::ActSatisfaction)}</label>
                    <select id="rv-satisfaction" data-testid="rv-satisfaction" on:change=move |ev| f.satisfaction.set(event_target_value(&ev).parse().unwrap_or(0))>
                        {(1..=5u8).rev().map(|i| view! {
                            <option value=i.to_string() selected=move || f.satisfaction.get() == i>{i} " · " {move || i18n.t(score_key(i))}</option>
                        }).collect_view()}
                    </select>
                    {move || msg("satisfaction")}
                </div>
            </div>
            <div class="field" class:field-invalid=move || bad("feedback")>
                <label for="rv-feedback">{move || i18n.t(K::RvFeedback)}</label>
                <textarea id="rv-feedback" rows="3" maxlength="4000" data-testid="rv-feedback"
                    prop:value=move || f.feedback.get() on:input=move |ev| f.feedback.set(event_target_value(&ev))></textarea>
                {move || msg("feedback")}
            </div>
            <div class="field" class:field-invalid=move || bad("new_needs")>
                <label for="rv-needs">{move || i18n.t(K::ActNewNeeds)}</label>
                <textarea id="rv-needs" rows="2" maxlength="2000" data-testid="rv-needs"
                    prop:value=move || f.needs.get() on:input=move |ev| f.needs.set(event_target_value(&ev))></textarea>
                {move || msg("new_needs")}
            </div>
            <div class="act-grid">
                {text(K::ActNextAction, "follow_up", f.follow_up, 2000)}
                <div class="field" class:field-invalid=move || bad("follow_up_owner")>
                    <label for="rv-owner">{move || i18n.t(K::ActNextOwner)}</label>
                    <select id="rv-owner" data-testid="rv-owner" on:change=move |ev| f.owner.set(event_target_value(&ev))>
                        <option value="" selected=move || f.owner.get().is_empty()>{move || i18n.t(K::RvOwnerMe)}</option>
                        {move || account.with(|a| a.people.clone()).into_iter().map(|p| {
                            let v = p.id.to_string();
                            let v2 = v.clone();
                            view! { <option value=v selected=move || f.owner.get() == v2>{p.name}</option> }
                        }).collect_view()}
                    </select>
                    {move || msg("follow_up_owner")}
                </div>
                {date(K::ActNextDue, "follow_up_due", f.due)}
                <div class="field" class:field-invalid=move || bad("next_visit_on")>
                    <label for="rv-next_visit_on">{move || i18n.t(K::RvNextVisit)}</label>
                    <DateField id="rv-next_visit_on" testid="rv-next_visit_on"
                        value=Signal::derive(move || f.next.get().unwrap_or_else(|| proposed.get().map(|d| d.to_string()).unwrap_or_default()))
                        on_input=Callback::new(move |v| f.next.set(Some(v)))/>
                    {move || (f.next.get().is_none() && proposed.get().is_some()).then(|| view! {
                        <span class="cell-sub" data-testid="rv-next-proposed">{move || i18n.t(K::RvProposed)}</span>
                    })}
                    {move || msg("next_visit_on")}
                </div>
            </div>
            {move || delivery.get().is_some().then(|| view! {
                <div class="field" class:field-invalid=move || bad("accepted")>
                    <label for="rv-accepted">{move || i18n.t(K::RvAccepted)}</label>
                    <select id="rv-accepted" data-testid="rv-accepted" on:change=move |ev| f.accepted.set(match event_target_value(&ev).as_str() {
                        "yes" => Some(true),
                        "no" => Some(false),
                        _ => None,
                    })>
                        <option value="" selected=move || f.accepted.get().is_none()>{move || i18n.t(K::ActNone)}</option>
                        <option value="yes" selected=move || f.accepted.get() == Some(true)>{move || i18n.t(K::RvAcceptedYes)}</option>
                        <option value="no" selected=move || f.accepted.get() == Some(false)>{move || i18n.t(K::RvAcceptedNo)}</option>
                    </select>
                    {move || msg("accepted")}
                </div>
            })}
            <div class="form-actions">
                {move || match save.value().get() {
                    Some(Ok(_)) if problem.with(|p| p.is_none()) => Some(view! { <span class="saved" role="status" data-testid="rv-saved">"✓ " {move || i18n.t(K::Saved)}</span> }.into_any()),
                    Some(Err(e)) if server_field().is_none() => Some(view! { <span class="field-error" role="alert">{move || error_message(i18n.locale(), &e)}</span> }.into_any()),
                    _ => None,
                }}
                {move || server_field().map(|(field, m)| view! { <span class="field-error" role="alert" data-testid="rv-server-error">{field} ": " {m}</span> })}
                <button type="submit" class="btn btn-primary" data-testid="rv-save" disabled=move || save.pending().get()>
                    {move || if save.pending().get() { i18n.t(K::Saving) } else { i18n.t(K::RvSave) }}
                </button>
            </div>
        </form>
    }
}

fn score_key(s: u8) -> K {
    match s {
        5 => K::RvScore5,
        4 => K::RvScore4,
        3 => K::RvScore3,
        2 => K::RvScore2,
        _ => K::RvScore1,
    }
}

#[component]
fn RevisitList(account: RwSignal<AccountView>) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let make_deal = Action::new(move |n: &NewDeal| {
        let n = n.clone();
        async move { create_deal(n).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(id)) = make_deal.value().get() {
            navigate(&format!("/deals/{id}"), Default::default());
        }
    });
    view! {
        {move || make_deal.value().get().and_then(|r| r.err()).map(|e| view! {
            <p class="field-error" role="alert">{move || error_message(i18n.locale(), &e)}</p>
        })}
        {move || {
            let rows = account.with(|a| a.revisits.clone());
            if rows.is_empty() {
                return view! { <p class="muted acct-empty" data-testid="rv-empty">{move || i18n.t(K::RvEmpty)}</p> }.into_any();
            }
            let (acc, may) = account.with(|a| (a.id, a.may_edit));
            view! {
                <ol class="rv-list" data-testid="revisits">
                    {rows.into_iter().map(|r| revisit_item(i18n, r, acc, may, make_deal)).collect_view()}
                </ol>
            }
            .into_any()
        }}
    }
}

fn revisit_item(
    i18n: I18n,
    r: RevisitRow,
    account: uuid::Uuid,
    may: bool,
    make_deal: Action<NewDeal, Result<uuid::Uuid, crate::domain::error::AppError>>,
) -> impl IntoView {
    let need = r.new_needs.clone();
    let accepted = r.accepted;
    view! {
        <li class="rv-item" data-testid="revisit" data-satisfaction=r.satisfaction.to_string()>
            <div class="activity-head">
                <span class="chip">{move || i18n.t(channel_key(r.channel))}</span>
                <span class="num"><DateText date=r.visited_on/></span>
                <span class="muted">{r.visitor.clone()} {r.contact_name.clone().map(|c| format!(" → {c}"))}</span>
                <span class=format!("rv-score rv-score-{}", r.satisfaction) title=move || i18n.t(score_key(r.satisfaction))>{"★".repeat(usize::from(r.satisfaction))}</span>
                {accepted.map(|ok| view! {
                    <span class=if ok { "chip chip-green" } else { "chip chip-red" } data-testid="rv-acceptance">
                        {move || i18n.t(if ok { K::RvAcceptedYes } else { K::RvAcceptedNo })}
                    </span>
                })}
            </div>
            <p class="rv-feedback">{r.feedback.clone()}</p>
            {need.map(|n| {
                let name: String = n.chars().take(200).collect();
                view! {
                    <p class="rv-need">
                        <strong>{move || i18n.t(K::ActNewNeeds)} ": "</strong>{n.clone()}
                        {may.then(|| {
                            let name = name.clone();
                            view! {
                                <button type="button" class="btn btn-sm" data-testid="rv-make-deal" disabled=move || make_deal.pending().get()
                                    on:click=move |_| {
                                        let close = today().checked_add_days(Days::new(90)).unwrap_or_else(today);
                                        make_deal.dispatch(NewDeal { name: name.clone(), account, pipeline: None, owner: None, amount_fen: 0, currency: None, close_date: close });
                                    }>{move || i18n.t(K::RvMakeDeal)}</button>
                            }
                        })}
                    </p>
                }
            })}
            {r.follow_up.clone().map(|a| view! {
                <p class="cell-sub">{move || i18n.t(K::ActNextAction)} ": " {a} {r.follow_up_owner.clone().map(|o| format!(" · {o}"))}
                    {r.follow_up_due.map(|d| view! { " · " <DateText date=d/> })}</p>
            })}
            {r.next_visit_on.map(|d| view! { <p class="cell-sub">{move || i18n.t(K::RvNextVisit)} ": " <DateText date=d/></p> })}
        </li>
    }
}

/// The account against the target market, as a chip whose title says why.
pub fn target_chip(i18n: I18n, fit: Option<crate::domain::account::target::Fit>, testid: &'static str) -> impl IntoView {
    use crate::domain::account::target::{Field, Fit, Miss};
    let zh = i18n.locale() == crate::domain::locale::Locale::ZhCn;
    let miss = |m: Miss| match (m, zh) {
        (Miss::IndustryNotTargeted, true) => "行业不在目标内",
        (Miss::IndustryNotTargeted, false) => "industry not targeted",
        (Miss::RevenueBelow, true) => "营业额低于下限",
        (Miss::RevenueBelow, false) => "revenue below the band",
        (Miss::RevenueAbove, true) => "营业额高于上限",
        (Miss::RevenueAbove, false) => "revenue above the band",
        (Miss::HeadcountBelow, true) => "人数低于下限",
        (Miss::HeadcountBelow, false) => "headcount below the band",
        (Miss::HeadcountAbove, true) => "人数高于上限",
        (Miss::HeadcountAbove, false) => "headcount above the band",
        (Miss::ProfitBelow, true) => "利润低于下限",
        (Miss::ProfitBelow, false) => "profit below the floor",
    };
    let field = |f: Field| match (f, zh) {
        (Field::Industry, true) => "行业",
        (Field::Industry, false) => "industry",
        (Field::Revenue, true) => "营业额",
        (Field::Revenue, false) => "revenue",
        (Field::Headcount, true) => "人数",
        (Field::Headcount, false) => "headcount",
        (Field::Profit, true) => "利润",
        (Field::Profit, false) => "profit",
    };
    let sep = if zh { "、" } else { ", " };
    fit.map(|fit| {
        let (code, cls, text, why) = match &fit {
            Fit::In => ("in", "chip chip-green", i18n.t(K::TmIn), String::new()),
            Fit::Out(m) => ("out", "chip", i18n.t(K::TmOut), m.iter().map(|m| miss(*m)).collect::<Vec<_>>().join(sep)),
            Fit::Unknown(f) => {
                ("unknown", "chip chip-amber", i18n.t(K::TmUnknown), f.iter().map(|f| field(*f)).collect::<Vec<_>>().join(sep))
            }
        };
        let title = if why.is_empty() { text.to_owned() } else { format!("{text}: {why}") };
        view! { <span class=cls data-testid=testid data-fit=code title=title>{text}</span> }
    })
}
