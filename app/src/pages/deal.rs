//! One deal: a header with its vital signs and tabs (overview with the six key-information
//! sections, committee, activities, checklists, objections, quotes); key information is edited in place with the
//! optimistic version (a concurrent edit is reported, never overwritten).
use super::stage_name;
use crate::api::keyinfo::{load_deal, load_facts, load_history, save_facts, save_key_info};
use crate::components::date_field::DateField;
use crate::components::deal_room::activities::ActivitiesPanel;
use crate::components::deal_room::checklists::ChecklistsPanel;
use crate::components::deal_room::comments::CommentsPanel;
use crate::components::deal_room::committee::CommitteeMap;
use crate::components::deal_room::contracts::ContractsPanel;
use crate::components::deal_room::negotiation::NegotiationPanel;
use crate::components::deal_room::objections::ObjectionsPanel;
use crate::components::deal_room::quotes::QuotesPanel;
use crate::components::deal_room::team::{DealFeed, MembersPanel};
use crate::components::live::{last_live_event, on_live_change, LiveBanner};
use crate::components::money::{DateText, Money};
use crate::components::states::{ErrorNotice, Skeleton};
use crate::domain::dto::DealPatch;
use crate::domain::error::AppError;
use crate::domain::gate::StageKind;
use crate::domain::keyinfo::{KeyInfo, Section};
use crate::domain::money::parse_yuan;
use crate::i18n::{category_name, error_message, field_label, history_kind, use_i18n, K};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use uuid::Uuid;

type TextGet = fn(&KeyInfo) -> Option<String>;
type TextSet = fn(&mut KeyInfo, Option<String>);

fn clean(v: String) -> Option<String> {
    let t = v.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

#[component]
fn TextField(code: &'static str, info: RwSignal<KeyInfo>, get: TextGet, set: TextSet, #[prop(optional)] long: bool) -> impl IntoView {
    let i18n = use_i18n();
    let id = format!("field-{code}");
    let value = move || info.with(|k| get(k).unwrap_or_default());
    let on_input = move |ev| {
        let v = clean(event_target_value(&ev));
        info.update(|k| set(k, v));
    };
    view! {
        <div class="field">
            <label for=id.clone()>{move || field_label(i18n.locale(), code)}</label>
            {if long {
                view! { <textarea id=id rows="2" prop:value=value on:input=on_input></textarea> }.into_any()
            } else {
                view! { <input id=id type="text" prop:value=value on:input=on_input/> }.into_any()
            }}
        </div>
    }
}

type DateGet = fn(&KeyInfo) -> Option<chrono::NaiveDate>;
type DateSet = fn(&mut KeyInfo, Option<chrono::NaiveDate>);

#[component]
fn KeyDateField(
    code: &'static str,
    info: RwSignal<KeyInfo>,
    get: DateGet,
    set: DateSet,
    invalid: RwSignal<Vec<&'static str>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = format!("field-{code}");
    let value = Signal::derive(move || info.with(|k| get(k).map(|d| d.to_string()).unwrap_or_default()));
    // A text that is not (yet) a date keeps the last date and blocks saving, like an amount.
    let on_input = Callback::new(move |v: String| match (v.is_empty(), v.parse::<chrono::NaiveDate>()) {
        (true, _) => {
            invalid.update(|l| l.retain(|c| *c != code));
            info.update(|k| set(k, None));
        }
        (false, Ok(d)) => {
            invalid.update(|l| l.retain(|c| *c != code));
            info.update(|k| set(k, Some(d)));
        }
        (false, Err(_)) => invalid.update(|l| {
            if !l.contains(&code) {
                l.push(code)
            }
        }),
    });
    view! {
        <div class="field" class:field-invalid=move || invalid.with(|v| v.contains(&code))>
            <label for=id.clone()>{move || field_label(i18n.locale(), code)}</label>
            <DateField id=id value=value on_input=on_input/>
        </div>
    }
}

type MoneyGet = fn(&KeyInfo) -> Option<i64>;
type MoneySet = fn(&mut KeyInfo, Option<i64>);

/// An amount typed in yuan; a value that is not an amount is flagged inline and blocks saving.
#[component]
fn MoneyField(
    code: &'static str,
    info: RwSignal<KeyInfo>,
    get: MoneyGet,
    set: MoneySet,
    invalid: RwSignal<Vec<&'static str>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = format!("field-{code}");
    let text = RwSignal::new(info.with_untracked(|k| get(k).map(|f| format!("{}.{:02}", f / 100, f % 100)).unwrap_or_default()));
    let bad = move || invalid.with(|v| v.contains(&code));
    view! {
        <div class="field" class:field-invalid=bad>
            <label for=id.clone()>{move || field_label(i18n.locale(), code)}</label>
            <input
                id=id
                type="text"
                inputmode="decimal"
                prop:value=move || text.get()
                aria-invalid=move || bad().to_string()
                on:input=move |ev| {
                    let raw = event_target_value(&ev);
                    text.set(raw.clone());
                    let parsed = if raw.trim().is_empty() { Some(None) } else { parse_yuan(&raw).filter(|f| *f >= 0).map(Some) };
                    match parsed {
                        Some(v) => {
                            invalid.update(|l| l.retain(|c| *c != code));
                            info.update(|k| set(k, v));
                        }
                        None => invalid.update(|l| if !l.contains(&code) { l.push(code) }),
                    }
                }
            />
            {move || bad().then(|| view! {
                <span class="field-error">{move || if i18n.locale() == crate::domain::locale::Locale::ZhCn { "请输入金额，例如 1,200,000 或 1200000.50" } else { "Enter an amount, e.g. 1,200,000 or 1200000.50" }}</span>
            })}
        </div>
    }
}

#[component]
fn SectionBox(title: K, section: Section, info: RwSignal<KeyInfo>, children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let complete = move || info.with(|k| k.section_complete(section));
    view! {
        <fieldset class="ki-section" class:ki-complete=complete>
            <legend>
                {move || i18n.t(title)}
                <span class="ki-mark" data-testid="ki-mark">
                    {move || if complete() { format!("✓ {}", i18n.t(K::Complete)) } else { format!("○ {}", i18n.t(K::Incomplete)) }}
                </span>
            </legend>
            <div class="ki-grid">{children()}</div>
        </fieldset>
    }
}

#[component]
pub fn DealPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<Uuid>().ok());
    let data = Resource::new(id, |id| async move {
        match id {
            Some(id) => load_deal(id).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        <Title text=move || i18n.t(K::KeyInfoTitle).to_owned()/>
        <Transition fallback=|| view! { <Skeleton rows=8/> }>
            {move || data.get().map(|r| match r {
                // Not found and not visible answer alike (the deal's existence is not told).
                Err(AppError::NotFound) => view! { <NoAccess/> }.into_any(),
                Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                Ok((row, ki, version)) => {
                    let id = row.id;
                    // Live updates and presence only for a deal one may see: nothing polls otherwise.
                    view! {
                        <DealView row=row ki=ki version=version/>
                        <LiveBanner concerns=|e, id| e.deal == Some(id) id=id on_reload=Callback::new(move |_| data.refetch())/>
                        <Presence id=id/>
                    }
                    .into_any()
                }
            })}
        </Transition>
    }
}

/// A deal one may not see (or that does not exist): what to do about it, in words.
#[component]
fn NoAccess() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="panel no-access" data-testid="deal-no-access">
            <h1>{move || i18n.t(K::DealNoAccessTitle)}</h1>
            <p class="lead">{move || i18n.t(K::DealNoAccessLead)}</p>
            <a class="btn" href="/board">{move || i18n.t(K::DealNoAccessBack)}</a>
        </section>
    }
}

/// Who else has this deal open, from heartbeats every 10 s (shared through the database, so
/// viewers on another app server show up too).
#[component]
fn Presence(id: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let viewers = RwSignal::new(Vec::<String>::new());
    #[cfg(feature = "hydrate")]
    {
        let beat = move || {
            leptos::task::spawn_local(async move {
                if let Ok(v) = crate::api::keyinfo::presence_beat(id).await {
                    viewers.set(v);
                }
            })
        };
        beat();
        if let Ok(h) = set_interval_with_handle(beat, std::time::Duration::from_secs(10)) {
            on_cleanup(move || h.clear());
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
    view! {
        <Show when=move || viewers.with(|v| !v.is_empty())>
            <div class="presence" data-testid="presence">
                <span class="kpi-label">{move || i18n.t(K::AlsoViewing)}</span>
                {move || viewers.get().into_iter().map(|n| view! {
                    <span class="avatar" title=n.clone()>{crate::domain::dto::initials(&n)}</span>
                    <span class="presence-name">{n}</span>
                }).collect_view()}
            </div>
        </Show>
    }
}

#[component]
fn DealView(row: crate::domain::dto::DealRow, ki: KeyInfo, version: i32) -> impl IntoView {
    let i18n = use_i18n();
    let info = RwSignal::new(ki);
    let version = RwSignal::new(version);
    let invalid: RwSignal<Vec<&'static str>> = RwSignal::new(vec![]);
    let id = row.id;
    let save = Action::new(move |(k, v): &(KeyInfo, i32)| {
        let (k, v) = (k.clone(), *v);
        async move { save_key_info(id, k, v).await }
    });
    let message: RwSignal<Option<Result<(), AppError>>> = RwSignal::new(None);
    Effect::new(move |_| {
        if let Some(r) = save.value().get() {
            match r {
                Ok(v) => {
                    version.set(v);
                    message.set(Some(Ok(())));
                }
                Err(e) => message.set(Some(Err(e))),
            }
        }
    });
    let complete = move || info.with(|k| k.completeness().0);
    let st = row.stage.clone();
    let query = use_query_map();
    let tab = Memo::new(move |_| Tab::parse(query.read().get("tab").as_deref()));
    let key_info_form = move || {
        view! {
            <form
                class="panel ki-form"
                data-testid="key-info-form"
                on:submit=move |ev| {
                    ev.prevent_default();
                    if invalid.with(|v| v.is_empty()) {
                        message.set(None);
                        save.dispatch((info.get_untracked(), version.get_untracked()));
                    }
                }
            >
                <h2 class="panel-title">{move || i18n.t(K::KeyInfoTitle)}</h2>
                <p class="lead">{move || i18n.t(K::KeyInfoLead)}</p>
                <SectionBox title=K::SecSchedule section=Section::Schedule info=info>
                    <KeyDateField code="selection_start" info=info get=|k| k.selection_start set=|k, v| k.selection_start = v invalid=invalid/>
                    <KeyDateField code="selection_end" info=info get=|k| k.selection_end set=|k, v| k.selection_end = v invalid=invalid/>
                    <KeyDateField code="vendor_pick" info=info get=|k| k.vendor_pick set=|k, v| k.vendor_pick = v invalid=invalid/>
                    <KeyDateField code="signing" info=info get=|k| k.signing set=|k, v| k.signing = v invalid=invalid/>
                    <KeyDateField code="implementation_start" info=info get=|k| k.implementation_start set=|k, v| k.implementation_start = v invalid=invalid/>
                    <KeyDateField code="go_live" info=info get=|k| k.go_live set=|k, v| k.go_live = v invalid=invalid/>
                </SectionBox>
                <SectionBox title=K::SecBudget section=Section::Budget info=info>
                    <div class="field">
                        <label for="field-budget">{move || field_label(i18n.locale(), "budgeted")}</label>
                        <select
                            id="field-budget"
                            on:change=move |ev| {
                                let v = match event_target_value(&ev).as_str() { "yes" => Some(true), "no" => Some(false), _ => None };
                                info.update(|k| k.budgeted = v);
                            }
                        >
                            <option value="" selected=move || info.with(|k| k.budgeted.is_none())>{move || i18n.t(K::Unknown)}</option>
                            <option value="yes" selected=move || info.with(|k| k.budgeted == Some(true))>{move || i18n.t(K::Yes)}</option>
                            <option value="no" selected=move || info.with(|k| k.budgeted == Some(false))>{move || i18n.t(K::No)}</option>
                        </select>
                    </div>
                    <MoneyField code="budget_fen" info=info get=|k| k.budget_fen set=|k, v| k.budget_fen = v invalid=invalid/>
                    <MoneyField code="affordable_fen" info=info get=|k| k.affordable_fen set=|k, v| k.affordable_fen = v invalid=invalid/>
                    <TextField code="budget_covers" info=info get=|k| k.budget_covers.clone() set=|k, v| k.budget_covers = v/>
                </SectionBox>
                <SectionBox title=K::SecRequirement section=Section::Requirement info=info>
                    <TextField code="motivation" info=info get=|k| k.motivation.clone() set=|k, v| k.motivation = v long=true/>
                    <TextField code="problems" info=info get=|k| k.problems.clone() set=|k, v| k.problems = v long=true/>
                    <TextField code="functional_scope" info=info get=|k| k.functional_scope.clone() set=|k, v| k.functional_scope = v long=true/>
                    <TextField code="modules" info=info get=|k| k.modules.clone() set=|k, v| k.modules = v/>
                    <TextField code="geographic_scope" info=info get=|k| k.geographic_scope.clone() set=|k, v| k.geographic_scope = v/>
                    <TextField code="language_scope" info=info get=|k| k.language_scope.clone() set=|k, v| k.language_scope = v/>
                    <TextField code="services" info=info get=|k| k.services.clone() set=|k, v| k.services = v/>
                    <TextField code="explicit_needs" info=info get=|k| k.explicit_needs.clone() set=|k, v| k.explicit_needs = v long=true/>
                    <TextField code="implicit_needs" info=info get=|k| k.implicit_needs.clone() set=|k, v| k.implicit_needs = v long=true/>
                    <KeyDateField code="confirmation_sent_on" info=info get=|k| k.confirmation_sent_on set=|k, v| k.confirmation_sent_on = v invalid=invalid/>
                </SectionBox>
                <SectionBox title=K::SecDecision section=Section::Decision info=info>
                    <TextField code="initiator" info=info get=|k| k.initiator.clone() set=|k, v| k.initiator = v/>
                    <TextField code="decision_makers" info=info get=|k| k.decision_makers.clone() set=|k, v| k.decision_makers = v/>
                    <TextField code="decision_process" info=info get=|k| k.decision_process.clone() set=|k, v| k.decision_process = v long=true/>
                    <TextField code="selection_criteria" info=info get=|k| k.selection_criteria.clone() set=|k, v| k.selection_criteria = v long=true/>
                    <TextField code="hq_role" info=info get=|k| k.hq_role.clone() set=|k, v| k.hq_role = v/>
                </SectionBox>
                <SectionBox title=K::SecCompetition section=Section::Competition info=info>
                    <TextField code="competitors" info=info get=|k| k.competitors.clone() set=|k, v| k.competitors = v/>
                    <TextField code="leader" info=info get=|k| k.leader.clone() set=|k, v| k.leader = v/>
                    <TextField code="leader_strengths" info=info get=|k| k.leader_strengths.clone() set=|k, v| k.leader_strengths = v long=true/>
                    <TextField code="laggard_weaknesses" info=info get=|k| k.laggard_weaknesses.clone() set=|k, v| k.laggard_weaknesses = v long=true/>
                </SectionBox>
                <SectionBox title=K::SecEvaluation section=Section::Evaluation info=info>
                    <TextField code="evaluation_items" info=info get=|k| k.evaluation_items.clone() set=|k, v| k.evaluation_items = v long=true/>
                </SectionBox>
                <div class="form-actions">
                    {move || message.get().map(|m| match m {
                        Ok(()) => view! { <span class="saved" role="status" data-testid="saved">"✓ " {move || i18n.t(K::Saved)}</span> }.into_any(),
                        Err(e) => view! { <span class="field-error" role="alert" data-testid="save-error">{move || error_message(i18n.locale(), &e)}</span> }.into_any(),
                    })}
                    <button type="submit" class="btn btn-primary" data-testid="save-key-info" disabled=move || save.pending().get() || invalid.with(|v| !v.is_empty())>
                        {move || if save.pending().get() { i18n.t(K::Saving) } else { i18n.t(K::Save) }}
                    </button>
                </div>
            </form>
        }
    };
    view! {
        <div class="page-head">
            <div>
                <p class="crumb"><a href="/board">{move || i18n.t(K::BackToBoard)}</a></p>
                <h1 data-testid="deal-name">{row.name.clone()}</h1>
                <p class="lead">
                    {row.account.clone()} " · "
                    <span class=format!("stage-chip kind-{}", row.stage.kind)>{move || stage_name(&st, i18n.locale())}</span> " · "
                    <Money fen=row.amount_fen currency=row.currency.clone()/> " · "
                    <DateText date=row.close_date/> " · " {row.owner.clone()}
                </p>
            </div>
            <div class="ki-total" data-testid="ki-total">
                <span class="kpi-label">{move || i18n.t(K::KeyInfoShort)}</span>
                <span class="kpi-value">{complete} "/6"</span>
            </div>
        </div>
        <DealTabs id=id current=tab/>
        {move || match tab.get() {
            Tab::Overview => view! {
                <div class="grid-2">
                    <FactsForm id=id/>
                    <MembersPanel id=id/>
                </div>
                {key_info_form()}
            }.into_any(),
            Tab::Committee => view! { <CommitteeMap id=id/> }.into_any(),
            Tab::Activities => view! {
                <div class="grid-2">
                    <ActivitiesPanel id=id/>
                    <div>
                        <CommentsPanel id=id/>
                        <DealFeed id=id/>
                    </div>
                </div>
                <Timeline id=id/>
            }.into_any(),
            Tab::Checklists => view! { <ChecklistsPanel id=id/> }.into_any(),
            Tab::Objections => view! { <ObjectionsPanel id=id/> }.into_any(),
            Tab::Quotes => view! { <QuotesPanel id=id/> }.into_any(),
            Tab::Negotiation => view! { <NegotiationPanel id=id/> }.into_any(),
            Tab::Contract => view! { <ContractsPanel id=id/> }.into_any(),
        }}
    }
}

/// The deal page's tabs; the URL's `?tab=` remembers the one open (links and reloads land on
/// it), and the key-information form keeps unsaved edits while another tab is open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tab {
    Overview,
    Committee,
    Activities,
    Checklists,
    Objections,
    Quotes,
    Negotiation,
    Contract,
}

impl Tab {
    const ALL: [Tab; 8] =
        [Tab::Overview, Tab::Committee, Tab::Activities, Tab::Checklists, Tab::Objections, Tab::Quotes, Tab::Negotiation, Tab::Contract];

    const fn code(self) -> &'static str {
        match self {
            Tab::Overview => "overview",
            Tab::Committee => "committee",
            Tab::Activities => "activities",
            Tab::Checklists => "checklists",
            Tab::Objections => "objections",
            Tab::Quotes => "quotes",
            Tab::Negotiation => "negotiation",
            Tab::Contract => "contract",
        }
    }

    fn parse(code: Option<&str>) -> Tab {
        Tab::ALL.into_iter().find(|t| Some(t.code()) == code).unwrap_or(Tab::Overview)
    }

    const fn label(self) -> K {
        match self {
            Tab::Overview => K::TabOverview,
            Tab::Committee => K::TabCommittee,
            Tab::Activities => K::TabActivities,
            Tab::Checklists => K::TabChecklists,
            Tab::Objections => K::TabObjections,
            Tab::Quotes => K::TabQuotes,
            Tab::Negotiation => K::TabNegotiation,
            Tab::Contract => K::TabContract,
        }
    }
}

#[component]
fn DealTabs(id: Uuid, current: Memo<Tab>) -> impl IntoView {
    let i18n = use_i18n();
    // The header's count of objections still in the way; follows live changes.
    let objections = Resource::new(|| (), move |_| crate::api::objection::load_objections(id));
    on_live_change(move || {
        if last_live_event().is_some_and(|e| e.deal == Some(id)) {
            objections.refetch();
        }
    });
    let open = move || objections.get().and_then(|r| r.ok()).map_or(0, |d| d.rows.iter().filter(|o| o.status.unresolved()).count());
    view! {
        <nav class="tabs" role="tablist" data-testid="deal-tabs">
            {Tab::ALL.into_iter().map(|t| {
                let href = if t == Tab::Overview { format!("/deals/{id}") } else { format!("/deals/{id}?tab={}", t.code()) };
                view! {
                    <a class="tab" role="tab" href=href data-testid=format!("tab-{}", t.code())
                        class:active=move || current.get() == t
                        aria-selected=move || if current.get() == t { "true" } else { "false" }>
                        {move || i18n.t(t.label())}
                        {(t == Tab::Objections).then(|| view! {
                            <Transition fallback=|| ()>
                                {move || (open() > 0).then(|| view! {
                                    <span class="tab-badge" data-testid="objections-open-count" title=move || i18n.t(K::ObjectionsOpen)>{open()}</span>
                                })}
                            </Transition>
                        })}
                    </a>
                }
            }).collect_view()}
        </nav>
    }
}

/// The append-only history, newest first; reloads on live changes.
#[component]
fn Timeline(id: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let tick = use_context::<crate::components::live::LiveTick>();
    let rows = Resource::new(move || tick.map(|t| t.0.get()), move |_| load_history(id));
    view! {
        <section class="panel" data-testid="timeline">
            <h2 class="panel-title">{move || i18n.t(K::HistoryTitle)}</h2>
            <Transition fallback=|| view! { <Skeleton rows=4/> }>
                {move || rows.get().map(|r| match r {
                    Err(e) => view! { <ErrorNotice error=e panel=true/> }.into_any(),
                    Ok(rows) if rows.is_empty() => view! { <p class="muted">{move || i18n.t(K::HistoryEmpty)}</p> }.into_any(),
                    Ok(rows) => view! {
                        <ol class="timeline">
                            {rows.into_iter().map(|h| {
                                let kind = h.kind.clone();
                                let from = h.from_stage.clone();
                                let to = h.to_stage.clone();
                                let at = h.at.format("%Y-%m-%d %H:%M").to_string();
                                view! {
                                    <li class=format!("tl tl-{}", h.kind) data-kind=h.kind.clone()>
                                        <span class="tl-dot" aria-hidden="true"></span>
                                        <div class="tl-body">
                                            <strong>{move || history_kind(i18n.locale(), &kind)}</strong>
                                            {(from.is_some() || to.is_some()).then(|| view! {
                                                <span class="tl-move">
                                                    {move || from.as_ref().map(|s| stage_name(s, i18n.locale())).unwrap_or_default()}
                                                    " → "
                                                    {move || to.as_ref().map(|s| stage_name(s, i18n.locale())).unwrap_or_default()}
                                                </span>
                                            })}
                                            {h.new_amount_fen.map(|n| view! { <span class="tl-move">{h.old_amount_fen.map(|o| view! { <Money fen=o/> " → " })} <Money fen=n/></span> })}
                                            {h.new_close_date.map(|n| view! { <span class="tl-move">{h.old_close_date.map(|o| view! { <DateText date=o/> " → " })} <DateText date=n/></span> })}
                                            {h.note.clone().filter(|n| !n.is_empty()).map(|n| view! { <span class="cell-sub">"“" {move || crate::domain::objection::note_in_words(&n, i18n.locale() == crate::domain::locale::Locale::ZhCn)} "”"</span> })}
                                            <span class="cell-sub">{at} " · " {h.actor.clone().unwrap_or_default()}</span>
                                        </div>
                                    </li>
                                }
                            }).collect_view()}
                        </ol>
                    }.into_any(),
                })}
            </Transition>
        </section>
    }
}

/// Amount and expected close date; a change is versioned and lands in the history.
#[component]
fn FactsForm(id: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let facts = Resource::new(|| (), move |_| load_facts(id));
    let save = Action::new(move |p: &DealPatch| {
        let p = p.clone();
        async move { save_facts(id, p).await }
    });
    // Someone else's edit arrives live: reload the form so it never saves over it.
    on_live_change(move || {
        let theirs = last_live_event().is_some_and(|e| e.deal == Some(id) && !e.mine);
        if theirs && !save.pending().get_untracked() {
            facts.refetch();
        }
    });
    view! {
        <section class="panel">
            <h2 class="panel-title">{move || i18n.t(K::FactsTitle)}</h2>
            <Transition fallback=|| view! { <Skeleton rows=2/> }>
                {move || facts.get().map(|r| match r {
                    Err(e) => view! { <ErrorNotice error=e panel=true/> }.into_any(),
                    Ok(f) => {
                        let amount = RwSignal::new(format!("{}.{:02}", f.amount_fen / 100, f.amount_fen % 100));
                        let date = RwSignal::new(f.close_date.to_string());
                        let category = RwSignal::new(f.forecast_category.clone().unwrap_or_default());
                        let adjusted = RwSignal::new(f.manager_category.clone().unwrap_or_default());
                        let can_adjust = f.can_adjust;
                        let can_edit = f.can_edit;
                        let adjusted_now = f.manager_category.clone();
                        let winner = RwSignal::new(f.winner.clone().unwrap_or_default());
                        let lost_reason = RwSignal::new(f.lost_reason.clone().unwrap_or_default());
                        let version = RwSignal::new(f.version);
                        let lost = StageKind::Lost.matches(&f.stage_kind);
                        let open = StageKind::Open.matches(&f.stage_kind);
                        let default_cat = f.default_category.clone();
                        let parsed = move || crate::domain::money::parse_yuan(&amount.get()).filter(|a| *a >= 0);
                        Effect::new(move |_| {
                            if let Some(Ok(v)) = save.value().get() {
                                version.set(v);
                            }
                        });
                        let cat_options = ["commit", "best_case", "next_quarter", "pipeline"];
                        view! {
                            <form class="form facts-form" data-testid="facts-form" on:submit=move |ev| {
                                ev.prevent_default();
                                if let (Some(a), Ok(d)) = (parsed(), date.get_untracked().parse::<chrono::NaiveDate>()) {
                                    save.dispatch(DealPatch {
                                        version: version.get_untracked(),
                                        amount_fen: can_edit.then_some(a),
                                        close_date: can_edit.then_some(d),
                                        forecast_category: (open && can_edit).then(|| category.get_untracked()),
                                        manager_category: (open && can_adjust).then(|| adjusted.get_untracked()),
                                        winner: (lost && can_edit).then(|| winner.get_untracked()),
                                        lost_reason: (lost && can_edit).then(|| lost_reason.get_untracked()),
                                        ..Default::default()
                                    });
                                }
                            }>
                                <div class="field" class:field-invalid=move || parsed().is_none()>
                                    <label for="facts-amount">{move || i18n.t(K::ColAmount)} " (¥)"</label>
                                    <input id="facts-amount" type="text" inputmode="decimal" disabled=!can_edit prop:value=move || amount.get() on:input=move |ev| amount.set(event_target_value(&ev))/>
                                </div>
                                <div class="field" class:field-invalid=move || date.with(|d| d.parse::<chrono::NaiveDate>().is_err())>
                                    <label for="facts-close">{move || i18n.t(K::ColCloseDate)}</label>
                                    <DateField id="facts-close" disabled=!can_edit value=date on_input=Callback::new(move |v| date.set(v))/>
                                </div>
                                {open.then(|| {
                                    let default_cat = default_cat.clone();
                                    view! {
                                        <div class="field">
                                            <label for="facts-category">{move || i18n.t(K::Category)}</label>
                                            <select id="facts-category" data-testid="facts-category" disabled=!can_edit prop:value=move || category.get()
                                                on:change=move |ev| category.set(event_target_value(&ev))>
                                                <option value="">{
                                                    let d = default_cat.clone();
                                                    move || format!("{} ({})", i18n.t(K::CategoryDefault), category_name(i18n.locale(), &d))
                                                }</option>
                                                {cat_options.into_iter().map(|c| view! {
                                                    <option value=c>{move || category_name(i18n.locale(), c)}</option>
                                                }).collect_view()}
                                            </select>
                                        </div>
                                        {can_adjust.then(|| view! {
                                            <div class="field">
                                                <label for="facts-adjusted">{move || i18n.t(K::CategoryAdjusted)}</label>
                                                <select id="facts-adjusted" data-testid="facts-adjusted" prop:value=move || adjusted.get()
                                                    on:change=move |ev| adjusted.set(event_target_value(&ev))>
                                                    <option value="">{move || i18n.t(K::CategoryNoAdjustment)}</option>
                                                    {cat_options.into_iter().map(|c| view! {
                                                        <option value=c>{move || category_name(i18n.locale(), c)}</option>
                                                    }).collect_view()}
                                                </select>
                                            </div>
                                        })}
                                        {(!can_adjust).then(|| adjusted_now.clone()).flatten().map(|c| view! {
                                            <p class="field-note" data-testid="facts-adjusted-note">
                                                {move || i18n.t(K::CategoryAdjustedNote)} " " <strong>{
                                                    let c = c.clone();
                                                    move || category_name(i18n.locale(), &c)
                                                }</strong>
                                            </p>
                                        })}
                                    }
                                })}
                                {lost.then(|| view! {
                                    <div class="field">
                                        <label for="facts-lost-reason">{move || i18n.t(K::LostReason)}</label>
                                        <input id="facts-lost-reason" type="text" maxlength="500" disabled=!can_edit prop:value=move || lost_reason.get() on:input=move |ev| lost_reason.set(event_target_value(&ev))/>
                                    </div>
                                    <div class="field">
                                        <label for="facts-winner">{move || i18n.t(K::Winner)}</label>
                                        <input id="facts-winner" type="text" maxlength="200" disabled=!can_edit prop:value=move || winner.get() on:input=move |ev| winner.set(event_target_value(&ev))/>
                                    </div>
                                })}
                                {(!can_edit).then(|| view! {
                                    <p class="field-note" data-testid="facts-read-only">{move || i18n.t(K::ReadOnlyDeal)}</p>
                                })}
                                <div class="form-actions" style:display=move || if can_edit || can_adjust { "" } else { "none" }>
                                    {move || save.value().get().map(|r| match r {
                                        Ok(_) => view! { <span class="saved" role="status" data-testid="facts-saved">"✓ " {move || i18n.t(K::Saved)}</span> }.into_any(),
                                        Err(e) => view! { <span class="field-error" role="alert">{move || error_message(i18n.locale(), &e)}</span> }.into_any(),
                                    })}
                                    <button type="submit" class="btn btn-primary" disabled=move || parsed().is_none() || save.pending().get()>{move || i18n.t(K::Save)}</button>
                                </div>
                            </form>
                        }.into_any()
                    }
                })}
            </Transition>
        </section>
    }
}
