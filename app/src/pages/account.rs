//! One account: who it is, its grade and since when, the grading questionnaire of seed 000
//! (客户分级) with the grade it suggests as the answers change, an override with its reason,
//! the grade history, the contacts and the deals the viewer sees. The grade is written under
//! the version read; someone else's grading in between is a conflict and reloads.
use crate::api::account::{grade_account, load_account};
use crate::components::clock::local_offset;
use crate::components::money::{DateText, Money};
use crate::components::states::{ErrorNotice, Skeleton};
use crate::components::viewport::Fold;
use crate::domain::account::dto::{AccountView, GradeInput};
use crate::domain::account::grading::{check_override, suggest, Answers, Level, Reason, Variant};
use crate::domain::account::Grade;
use crate::domain::error::AppError;
use crate::i18n::{error_message, use_i18n, I18n, K};
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

#[component]
pub fn AccountPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<Uuid>().ok());
    let data = Resource::new(id, |id| async move {
        match id {
            Some(id) => load_account(id).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        <Transition fallback=|| view! { <Skeleton rows=8/> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                Ok(a) => view! { <AccountScreen a=a/> }.into_any(),
            })}
        </Transition>
        {move || id().map(|id| view! {
            <crate::components::live::LiveBanner concerns=|e, id| e.account == Some(id) id=id on_reload=Callback::new(move |_| data.refetch())/>
        })}
    }
}

/// The grade as printed: "A" … "D".
pub fn grade_letter(g: Grade) -> &'static str {
    match g {
        Grade::A => "A",
        Grade::B => "B",
        Grade::C => "C",
        Grade::D => "D",
    }
}

/// When a grade expects the account to close, in words.
fn horizon_key(g: Grade) -> K {
    match g {
        Grade::A => K::GrHorizonA,
        Grade::B => K::GrHorizonB,
        Grade::C => K::GrHorizonC,
        Grade::D => K::GrHorizonD,
    }
}

fn level_key(l: Level) -> K {
    match l {
        Level::High => K::GlHigh,
        Level::Medium => K::GlMedium,
        Level::Low => K::GlLow,
        Level::None => K::GlNone,
    }
}

/// An answer that decided the grade, in words.
pub fn reason_key(r: Reason) -> K {
    match r {
        Reason::ObjectiveNeed => K::RsObjectiveNeed,
        Reason::NoObjectiveNeed => K::RsNoObjectiveNeed,
        Reason::SubjectiveNeed => K::RsSubjectiveNeed,
        Reason::NoSubjectiveNeed => K::RsNoSubjectiveNeed,
        Reason::ResolveHigh => K::RsResolveHigh,
        Reason::ResolveMedium => K::RsResolveMedium,
        Reason::ResolveLow => K::RsResolveLow,
        Reason::ResolveNone => K::RsResolveNone,
        Reason::DissatisfactionHigh => K::RsDissatisfactionHigh,
        Reason::DissatisfactionMedium => K::RsDissatisfactionMedium,
        Reason::DissatisfactionLow => K::RsDissatisfactionLow,
        Reason::DissatisfactionNone => K::RsDissatisfactionNone,
        Reason::FeasibilityStarted => K::RsFeasibilityStarted,
        Reason::FeasibilityNotStarted => K::RsFeasibilityNotStarted,
        Reason::SelectionStarted => K::RsSelectionStarted,
        Reason::SelectionNotStarted => K::RsSelectionNotStarted,
    }
}

/// The grade badge ("A", or "Not graded") with the date it has held since, in the reader's
/// time zone. The list and the account page show the same.
pub fn grade_badge(i18n: I18n, grade: Option<Grade>, since: Option<DateTime<Utc>>, testid: &'static str) -> impl IntoView {
    let cls = format!("acct-grade acct-grade-{}", grade.map_or("none", |g| g.code()));
    let letter = grade.map(grade_letter);
    let since = grade.and(since).map(|t| t.with_timezone(&local_offset()).date_naive());
    // How long it has held, counted in the reader's time zone like the date.
    let days = since.map(|d| (crate::components::clock::now_utc().with_timezone(&local_offset()).date_naive() - d).num_days());
    view! {
        <span class="acct-grade-wrap">
            <span class=cls data-testid=testid>{move || letter.unwrap_or_else(|| i18n.t(K::AcctNotGraded))}</span>
            {since.map(|d| view! {
                <small class="acct-since">{move || i18n.t(K::AcctSince)} " " {d.to_string()} {move || i18n.t(K::AcctSinceEnd)}</small>
            })}
            {days.map(|n| view! { <small class="acct-held" data-testid="account-grade-held">{move || crate::i18n::listing::held(i18n.locale(), n)}</small> })}
        </span>
    }
}

/// The answers that decided a grade, as small chips.
fn reason_chips(i18n: I18n, reasons: Vec<Reason>, testid: &'static str) -> impl IntoView {
    view! {
        <ul class="acct-chips">
            {reasons.into_iter().map(|r| view! {
                <li class="chip" data-testid=testid data-reason=r.code()>{move || i18n.t(reason_key(r))}</li>
            }).collect_view()}
        </ul>
    }
}

#[component]
fn AccountScreen(a: AccountView) -> impl IntoView {
    let i18n = use_i18n();
    let account = RwSignal::new(a);
    let may_edit = Memo::new(move |_| account.with(|a| a.may_edit));
    view! {
        <Title text=move || account.with(|a| a.name.clone())/>
        <div class="page-head">
            <div>
                <p class="crumb"><a href="/accounts">{move || i18n.t(K::AcctBack)}</a></p>
                <h1 data-testid="account-name">{move || account.with(|a| a.name.clone())}</h1>
                <p class="lead" data-testid="account-owner">{move || account.with(|a| format!("{} · {}", a.owner, a.team))}</p>
                <p class="lead" data-testid="account-profile">
                    {move || account.with(|a| match &a.city {
                        Some(c) => format!("{} · {}", a.industry, c),
                        None => a.industry.clone(),
                    })}
                    {move || account.with(|a| a.revenue_fen).map(|r| view! { " · " {move || i18n.t(K::ColRevenue)} " " <Money fen=r/> })}
                    {move || account.with(|a| a.headcount).map(|h| view! { " · " {move || i18n.t(K::ColHeadcount)} " " <span class="num">{h}</span> })}
                    {move || account.with(|a| a.profit_fen).map(|p| view! { " · " {move || i18n.t(K::ColProfit)} " " <Money fen=p/> })}
                    " " {move || account.with(|a| crate::pages::account_revisits::target_chip(i18n, Some(a.target.clone()), "account-target"))}
                </p>
            </div>
            <div class="acct-head-grade">
                {move || account.with(|a| grade_badge(i18n, a.grade, a.grade_since, "account-grade"))}
            </div>
        </div>
        // Who they are, who we talk to and what we sell them first; then the relationship
        // (revisits) and the grade, the two things a rep keeps up; history last.
        <crate::pages::account_edit::ProfilePanel account=account/>
        <crate::components::contact_edit::AccountContacts account=account may_edit=may_edit/>
        <Deals account=account/>
        <crate::pages::account_revisits::Relationship account=account/>
        {move || may_edit.get().then(|| view! {
            <Fold testid="grading-fold" label=Signal::derive(move || i18n.t(K::GrTitle).to_owned())>
                <GradingPanel account=account/>
            </Fold>
        })}
        <GradeHistory account=account/>
        <crate::pages::account_edit::AccountHistory account=account/>
        <crate::pages::account_merge::MergePanel account=account/>
    }
}

/// The questionnaire as it stands on the screen. Pre-filled from the latest grading's answers;
/// the grade follows the suggestion until the user picks one (`chosen`).
#[derive(Clone, Copy)]
struct GradeForm {
    computerised: RwSignal<bool>,
    dissatisfaction: RwSignal<Level>,
    objective: RwSignal<bool>,
    subjective: RwSignal<bool>,
    resolve: RwSignal<Level>,
    feasibility: RwSignal<bool>,
    selection: RwSignal<bool>,
    chosen: RwSignal<Option<Grade>>,
    reason: RwSignal<String>,
}

impl GradeForm {
    fn new(a: &AccountView) -> Self {
        let f = GradeForm {
            computerised: RwSignal::new(false),
            dissatisfaction: RwSignal::new(Level::None),
            objective: RwSignal::new(false),
            subjective: RwSignal::new(false),
            resolve: RwSignal::new(Level::None),
            feasibility: RwSignal::new(false),
            selection: RwSignal::new(false),
            chosen: RwSignal::new(None),
            reason: RwSignal::new(String::new()),
        };
        f.load(a);
        f
    }

    /// The latest grading's answers, the grade back to following the suggestion.
    fn load(self, a: &AccountView) {
        if let Some(x) = a.grades.first().and_then(|g| g.answers) {
            match x.variant {
                Variant::NotComputerised => self.computerised.set(false),
                Variant::Computerised { dissatisfaction } => {
                    self.computerised.set(true);
                    self.dissatisfaction.set(dissatisfaction);
                }
            }
            self.objective.set(x.objective_need);
            self.subjective.set(x.subjective_need);
            self.resolve.set(x.resolve);
            self.feasibility.set(x.feasibility_started);
            self.selection.set(x.selection_started);
        }
        self.chosen.set(None);
        self.reason.set(String::new());
    }

    fn answers(self) -> Answers {
        Answers {
            variant: if self.computerised.get() {
                Variant::Computerised { dissatisfaction: self.dissatisfaction.get() }
            } else {
                Variant::NotComputerised
            },
            objective_need: self.objective.get(),
            subjective_need: self.subjective.get(),
            resolve: self.resolve.get(),
            feasibility_started: self.feasibility.get(),
            selection_started: self.selection.get(),
        }
    }
}

/// A yes/no question as a select ("yes" | "no").
fn yes_no(i18n: I18n, sig: RwSignal<bool>, testid: &'static str, label: Signal<&'static str>) -> impl IntoView {
    view! {
        <div class="field">
            <label for=testid>{move || label.get()}</label>
            <select id=testid data-testid=testid prop:value=move || (if sig.get() { "yes" } else { "no" }).to_owned()
                on:change=move |ev| sig.set(event_target_value(&ev) == "yes")>
                <option value="yes" selected=move || sig.get()>{move || i18n.t(K::Yes)}</option>
                <option value="no" selected=move || !sig.get()>{move || i18n.t(K::No)}</option>
            </select>
        </div>
    }
}

/// A strength question as a select (high | medium | low | none).
fn level_select(i18n: I18n, sig: RwSignal<Level>, testid: &'static str, label: Signal<&'static str>) -> impl IntoView {
    view! {
        <div class="field">
            <label for=testid>{move || label.get()}</label>
            <select id=testid data-testid=testid prop:value=move || sig.get().code().to_owned()
                on:change=move |ev| sig.set(Level::parse(&event_target_value(&ev)).unwrap_or(Level::None))>
                {Level::ALL.into_iter().map(|l| view! {
                    <option value=l.code() selected=move || sig.get() == l>{move || i18n.t(level_key(l))}</option>
                }).collect_view()}
            </select>
        </div>
    }
}

#[component]
fn GradingPanel(account: RwSignal<AccountView>) -> impl IntoView {
    let i18n = use_i18n();
    let id = account.with_untracked(|a| a.id);
    let form = account.with_untracked(GradeForm::new);
    let answers = Memo::new(move |_| form.answers());
    // The rule is plain Rust: it runs here, on every change.
    let suggestion = Memo::new(move |_| suggest(&answers.get()));
    let suggested = Memo::new(move |_| suggestion.with(|s| s.grade));
    let chosen = move || form.chosen.get().unwrap_or_else(|| suggested.get());
    let overriding = move || chosen() != suggested.get();
    let local_error: RwSignal<Option<AppError>> = RwSignal::new(None);
    let save = Action::new(move |input: &GradeInput| {
        let (input, v) = (input.clone(), account.with_untracked(|a| a.version));
        async move { grade_account(id, input, v).await }
    });
    let reload = Action::new(move |_: &()| async move { load_account(id).await });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(a)) => {
            form.load(&a);
            account.set(a);
        }
        // Someone graded it meanwhile: take their version, keep these answers to retry.
        Some(Err(AppError::Conflict)) => {
            reload.dispatch(());
        }
        _ => {}
    });
    Effect::new(move |_| {
        if let Some(Ok(a)) = reload.value().get() {
            account.set(a);
        }
    });
    let reason_invalid = move || local_error.with(|e| matches!(e, Some(AppError::Validation { field, .. }) if field == "override_reason"));
    view! {
        <form class="panel acct-grading" data-testid="grading" on:submit=move |ev| {
            ev.prevent_default();
            let s = suggested.get_untracked();
            let c = form.chosen.get_untracked().unwrap_or(s);
            let reason = if c != s { Some(form.reason.get_untracked().trim().to_owned()).filter(|r| !r.is_empty()) } else { None };
            match check_override(s, c, reason.as_deref()) {
                Err(e) => local_error.set(Some(e)),
                Ok(()) => {
                    local_error.set(None);
                    save.dispatch(GradeInput { answers: answers.get_untracked(), chosen: (c != s).then_some(c), reason });
                }
            }
        }>
            <h2 class="panel-title">{move || i18n.t(K::GrTitle)}</h2>
            <p class="cell-sub acct-lead">{move || i18n.t(K::GrLead)}</p>
            <div class="q-head-grid acct-questions">
                <div class="field">
                    <label for="g-variant">{move || i18n.t(K::GqVariant)}</label>
                    <select id="g-variant" data-testid="g-variant"
                        prop:value=move || (if form.computerised.get() { "computerised" } else { "not_computerised" }).to_owned()
                        on:change=move |ev| form.computerised.set(event_target_value(&ev) == "computerised")>
                        <option value="not_computerised" selected=move || !form.computerised.get()>{move || i18n.t(K::GqNotComputerised)}</option>
                        <option value="computerised" selected=move || form.computerised.get()>{move || i18n.t(K::GqComputerised)}</option>
                    </select>
                </div>
                {yes_no(i18n, form.objective, "g-objective", Signal::derive(move || i18n.t(K::GqObjective)))}
                {yes_no(i18n, form.subjective, "g-subjective", Signal::derive(move || i18n.t(K::GqSubjective)))}
                {move || form.computerised.get().then(|| {
                    level_select(i18n, form.dissatisfaction, "g-dissatisfaction", Signal::derive(move || i18n.t(K::GqDissatisfaction)))
                })}
                {level_select(i18n, form.resolve, "g-resolve", Signal::derive(move || {
                    i18n.t(if form.computerised.get() { K::GqResolveSwitch } else { K::GqResolve })
                }))}
                {yes_no(i18n, form.feasibility, "g-feasibility", Signal::derive(move || {
                    i18n.t(if form.computerised.get() { K::GqFeasibilityComputerised } else { K::GqFeasibility })
                }))}
                {yes_no(i18n, form.selection, "g-selection", Signal::derive(move || i18n.t(K::GqSelection)))}
            </div>
            <div class="acct-suggest">
                <p class="acct-suggested" data-testid="g-suggested" data-grade=move || suggested.get().code()>
                    {move || i18n.t(K::GrSuggested)}
                    <strong class=move || format!("acct-grade acct-grade-{}", suggested.get().code())>{move || grade_letter(suggested.get())}</strong>
                </p>
                <span class="cell-sub">{move || i18n.t(horizon_key(suggested.get()))}</span>
                <div class="acct-why">
                    <span class="cell-sub">{move || i18n.t(K::GrDecidedBy)}</span>
                    {move || reason_chips(i18n, suggestion.with(|s| s.decided_by.clone()), "g-reason")}
                </div>
            </div>
            <div class="q-head-grid acct-decide">
                <div class="field">
                    <label for="g-chosen">{move || i18n.t(K::ColGrade)}</label>
                    <select id="g-chosen" data-testid="g-chosen" prop:value=move || chosen().code().to_owned()
                        on:change=move |ev| form.chosen.set(Grade::parse(&event_target_value(&ev)))>
                        {Grade::ALL.into_iter().map(|g| view! {
                            <option value=g.code() selected=move || chosen() == g>
                                {grade_letter(g)} " — " {move || i18n.t(horizon_key(g))}
                            </option>
                        }).collect_view()}
                    </select>
                </div>
                {move || overriding().then(|| view! {
                    <div class="field acct-reason" class:field-invalid=reason_invalid>
                        <label for="g-reason-text">{move || i18n.t(K::GrOverrideReason)}</label>
                        <input id="g-reason-text" type="text" data-testid="g-reason-text" maxlength="500"
                            prop:value=move || form.reason.get() on:input=move |ev| form.reason.set(event_target_value(&ev))/>
                        <span class="cell-sub" data-testid="g-override-hint">{move || i18n.t(K::GrOverrideHint)}</span>
                    </div>
                })}
            </div>
            <div class="form-actions">
                {move || (local_error.with(|e| e.is_none()) && matches!(save.value().get(), Some(Ok(_)))).then(|| view! {
                    <span class="saved" role="status" data-testid="g-saved">"✓ " {move || i18n.t(K::Saved)}</span>
                })}
                <button type="submit" class="btn btn-primary" data-testid="g-save" disabled=move || save.pending().get()>
                    {move || if save.pending().get() { i18n.t(K::Saving) } else { i18n.t(K::GrSave) }}
                </button>
            </div>
            {move || local_error.get().or_else(|| save.value().get().and_then(|r| r.err())).map(|e| view! {
                <p class="field-error acct-error" role="alert" data-testid="g-error">{move || error_message(i18n.locale(), &e)}</p>
            })}
        </form>
    }
}

/// Every grading, newest first: the grade, what the rule suggested and why an override
/// departed from it, who and when, the deciding answers.
#[component]
fn GradeHistory(account: RwSignal<AccountView>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="panel table-wrap" data-testid="grade-history">
            <h2 class="panel-title">{move || i18n.t(K::GrHistory)}</h2>
            {move || {
                let rows = account.with(|a| a.grades.clone());
                if rows.is_empty() {
                    return view! { <p class="muted acct-empty" data-testid="grade-history-empty">{move || i18n.t(K::GrHistoryEmpty)}</p> }.into_any();
                }
                view! {
                    <table class="table acct-table">
                        <thead><tr>
                            <th>{move || i18n.t(K::ColGrade)}</th>
                            <th>{move || i18n.t(K::GrColSuggested)}</th>
                            <th>{move || i18n.t(K::GrColWhy)}</th>
                            <th>{move || i18n.t(K::GrColBy)}</th>
                            <th>{move || i18n.t(K::GrColWhen)}</th>
                        </tr></thead>
                        <tbody>
                            {rows.into_iter().map(|g| {
                                let overridden = g.grade != g.suggested;
                                let when = g.at.with_timezone(&local_offset()).format("%Y-%m-%d %H:%M").to_string();
                                let reason = g.override_reason.clone();
                                view! {
                                    <tr data-testid="grade-entry" data-grade=g.grade.code() data-overridden=overridden.to_string()>
                                        <td><span class=format!("acct-grade acct-grade-{}", g.grade.code())>{grade_letter(g.grade)}</span></td>
                                        <td>
                                            <span class=if overridden { "" } else { "muted" }>{grade_letter(g.suggested)}</span>
                                            {reason.map(|r| if overridden {
                                                view! { <span class="cell-sub acct-override" data-testid="grade-override">{move || i18n.t(K::GrOverridden)} {r}</span> }.into_any()
                                            } else {
                                                view! { <span class="cell-sub">"“" {r} "”"</span> }.into_any()
                                            })}
                                        </td>
                                        <td>{reason_chips(i18n, g.decided_by, "grade-reason")}</td>
                                        <td>{g.by}</td>
                                        <td class="num">{when}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }
                .into_any()
            }}
        </section>
    }
}

#[component]
fn Deals(account: RwSignal<AccountView>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="panel table-wrap" data-testid="account-deals">
            <h2 class="panel-title">{move || i18n.t(K::DealsTitle)}</h2>
            {move || {
                let rows = account.with(|a| a.deals.clone());
                if rows.is_empty() {
                    return view! { <p class="muted acct-empty">{move || i18n.t(K::AcctDealsEmpty)}</p> }.into_any();
                }
                view! {
                    <table class="table acct-table">
                        <thead><tr>
                            <th>{move || i18n.t(K::ColDeal)}</th>
                            <th>{move || i18n.t(K::ColStage)}</th>
                            <th class="right">{move || i18n.t(K::ColAmount)}</th>
                            <th>{move || i18n.t(K::ColCloseDate)}</th>
                            <th>{move || i18n.t(K::ColOwner)}</th>
                        </tr></thead>
                        <tbody>
                            {rows.into_iter().map(|d| {
                                let zh = i18n.locale() == crate::domain::locale::Locale::ZhCn;
                                let closed = d.kind != "open";
                                let href = format!("/deals/{}", d.id);
                                let chip = format!("stage-chip kind-{}", d.kind);
                                view! {
                                    <tr data-testid="account-deal" data-kind=d.kind class:row-muted=closed>
                                        <td><a class="cell-title" href=href>{d.name}</a></td>
                                        <td><span class=chip>{if zh { d.stage_zh } else { d.stage }}</span></td>
                                        <td class="right"><Money fen=d.amount_fen/></td>
                                        <td><DateText date=d.close_date/></td>
                                        <td>{d.owner}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }
                .into_any()
            }}
        </section>
    }
}
