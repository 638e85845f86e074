//! The deal's negotiation: the plan (bottom lines, what each key person cares about,
//! strategy, alternatives), the concession ladder drawn so its shape shows at a glance
//! (each step should be smaller than the one before), the sessions at the table, and the
//! result sent to the sales manager and legal. Warnings come from `domain::negotiation`.
use crate::api::negotiation::{add_concession, add_session, confirm_result, load_negotiation, save_plan};
use crate::api::quote::decide_quote;
use crate::components::date_field::DateField;
use crate::components::live::{last_live_event, on_live_change};
use crate::components::money::{DateText, Money};
use crate::components::states::{ErrorNotice, Skeleton};
use crate::domain::error::AppError;
use crate::domain::money::{format_exact, parse_yuan};
use crate::domain::negotiation::dto::{
    ClausePosition, ConcessionInput, ConcessionView, GmStatus, Interest, NegotiationView, Participant, PlanInput, SessionInput,
};
use crate::domain::negotiation::{Clause, Given, NegotiationStatus, Warning};
use crate::domain::quote::{format_percent, parse_percent_bp};
use crate::i18n::{error_message, use_i18n, K};
use leptos::prelude::*;
use uuid::Uuid;

pub fn clause_label(k: Clause) -> K {
    match k {
        Clause::Price => K::ClausePrice,
        Clause::PaymentTerms => K::ClausePayment,
        Clause::DeliveryDate => K::ClauseDelivery,
        Clause::SupportSla => K::ClauseSla,
        Clause::Training => K::ClauseTraining,
        Clause::ConsultantDays => K::ClauseConsultant,
        Clause::Other => K::ClauseOther,
    }
}

fn given_text(g: &Given) -> String {
    match g {
        Given::AmountFen(f) => format_exact(*f, "CNY"),
        Given::PercentBp(b) => format!("{} %", format_percent(i64::from(*b))),
        Given::Days(d) => format!("{d} d"),
        Given::Text(t) => t.clone(),
    }
}

fn opt(s: String) -> Option<String> {
    Some(s.trim().to_owned()).filter(|s| !s.is_empty())
}

/// Sets a field only when its text differs (a reload leaves untouched inputs alone).
fn put(sig: RwSignal<String>, value: String) {
    if sig.with_untracked(|s| *s != value) {
        sig.set(value);
    }
}

/// A key person's line of the plan being edited.
#[derive(Clone, PartialEq)]
struct InterestEdit {
    contact_id: Uuid,
    name: String,
    title: Option<String>,
    role: Option<String>,
    cares: String,
}

/// The plan as the loaded view has it (what the plan form compares its starting point with).
fn plan_of(v: &NegotiationView) -> PlanInput {
    PlanInput {
        lowest_price_fen: v.lowest_price_fen,
        longest_payment_days: v.longest_payment_days,
        never_give: v.never_give.clone(),
        interests: v.interests.iter().map(|i| Interest { contact_id: i.contact_id, cares: i.cares.clone() }).collect(),
        strategy: v.strategy.clone(),
        alternatives: v.alternatives.clone(),
    }
}

/// The plan's fields as the user edits them.
#[derive(Clone, Copy)]
struct PlanForm {
    lowest: RwSignal<String>,
    days: RwSignal<String>,
    never: RwSignal<String>,
    strategy: RwSignal<String>,
    alternatives: RwSignal<String>,
    interests: RwSignal<Vec<InterestEdit>>,
    /// The version the edits apply to and the plan as it stood then: a session, a concession
    /// or a decision moves the version on; a teammate's change to the plan itself does not, so
    /// saving over it is refused.
    base: RwSignal<Option<(i32, PlanInput)>>,
    dirty: RwSignal<bool>,
    error: RwSignal<Option<AppError>>,
}

impl PlanForm {
    fn new() -> Self {
        Self {
            lowest: RwSignal::new(String::new()),
            days: RwSignal::new(String::new()),
            never: RwSignal::new(String::new()),
            strategy: RwSignal::new(String::new()),
            alternatives: RwSignal::new(String::new()),
            interests: RwSignal::new(vec![]),
            base: RwSignal::new(None),
            dirty: RwSignal::new(false),
            error: RwSignal::new(None),
        }
    }

    /// A newer view: the fields follow it unless the user has edited them.
    fn load(&self, v: &NegotiationView) {
        let plan = plan_of(v);
        if self.dirty.get_untracked() {
            if self.base.with_untracked(|b| b.as_ref().is_some_and(|(_, p)| *p == plan)) {
                self.base.set(Some((v.version, plan)));
            }
            return;
        }
        put(self.lowest, v.lowest_price_fen.map(|f| format!("{}.{:02}", f / 100, f % 100)).unwrap_or_default());
        put(self.days, v.longest_payment_days.map(|d| d.to_string()).unwrap_or_default());
        put(self.never, v.never_give.clone().unwrap_or_default());
        put(self.strategy, v.strategy.clone().unwrap_or_default());
        put(self.alternatives, v.alternatives.clone().unwrap_or_default());
        let interests: Vec<InterestEdit> = v
            .interests
            .iter()
            .map(|i| InterestEdit {
                contact_id: i.contact_id,
                name: i.name.clone(),
                title: i.title.clone(),
                role: i.role.clone(),
                cares: i.cares.clone(),
            })
            .collect();
        if self.interests.with_untracked(|x| *x != interests) {
            self.interests.set(interests);
        }
        self.base.set(Some((v.version, plan)));
    }

    fn edit(&self, sig: RwSignal<String>, value: String) {
        sig.set(value);
        self.dirty.set(true);
    }

    fn input(&self) -> Result<PlanInput, AppError> {
        let l = self.lowest.get_untracked();
        let d = self.days.get_untracked();
        Ok(PlanInput {
            lowest_price_fen: if l.trim().is_empty() {
                None
            } else {
                Some(parse_yuan(l.trim()).ok_or_else(|| AppError::validation("lowest_price", "an amount in yuan"))?)
            },
            longest_payment_days: if d.trim().is_empty() {
                None
            } else {
                Some(d.trim().parse().map_err(|_| AppError::validation("longest_payment_days", "a number of days"))?)
            },
            never_give: opt(self.never.get_untracked()),
            interests: self
                .interests
                .with_untracked(|is| is.iter().map(|i| Interest { contact_id: i.contact_id, cares: i.cares.clone() }).collect()),
            strategy: opt(self.strategy.get_untracked()),
            alternatives: opt(self.alternatives.get_untracked()),
        })
    }
}

/// One clause's row of the session being logged.
#[derive(Clone, Copy)]
struct PositionEdit {
    clause: Clause,
    theirs: RwSignal<String>,
    ours: RwSignal<String>,
    agreed: RwSignal<String>,
    open: RwSignal<bool>,
}

/// The session being logged: nothing in it comes from the loaded view but who may be picked.
#[derive(Clone, Copy)]
struct SessionForm {
    held: RwSignal<String>,
    channel: RwSignal<String>,
    notes: RwSignal<String>,
    rows: StoredValue<Vec<PositionEdit>>,
    /// Picked people on the committee map (contact ids) and on the deal team (user ids).
    customer: RwSignal<Vec<Uuid>>,
    ours: RwSignal<Vec<Uuid>>,
    /// Whether the form is unfolded (it stays so across reloads).
    open: RwSignal<bool>,
}

impl SessionForm {
    fn new(today: chrono::NaiveDate) -> Self {
        let rows = Clause::ALL
            .into_iter()
            .map(|clause| PositionEdit {
                clause,
                theirs: RwSignal::new(String::new()),
                ours: RwSignal::new(String::new()),
                agreed: RwSignal::new(String::new()),
                open: RwSignal::new(false),
            })
            .collect();
        Self {
            held: RwSignal::new(today.to_string()),
            channel: RwSignal::new(String::new()),
            notes: RwSignal::new(String::new()),
            rows: StoredValue::new(rows),
            customer: RwSignal::new(vec![]),
            ours: RwSignal::new(vec![]),
            open: RwSignal::new(false),
        }
    }

    /// Someone taken off the map or the team since they were picked is no longer picked.
    fn load(&self, v: &NegotiationView) {
        for (picked, may) in [(self.customer, &v.people), (self.ours, &v.team)] {
            if picked.with_untracked(|p| p.iter().any(|id| !may.iter().any(|m| m.id == *id))) {
                picked.update(|p| p.retain(|id| may.iter().any(|m| m.id == *id)));
            }
        }
    }

    fn reset(&self) {
        self.open.set(false);
        self.channel.set(String::new());
        self.notes.set(String::new());
        self.customer.set(vec![]);
        self.ours.set(vec![]);
        self.rows.with_value(|rs| {
            for r in rs {
                r.theirs.set(String::new());
                r.ours.set(String::new());
                r.agreed.set(String::new());
                r.open.set(false);
            }
        });
    }

    fn input(&self) -> Option<SessionInput> {
        let positions: Vec<ClausePosition> = self.rows.with_value(|rs| {
            rs.iter()
                .filter(|p| {
                    !p.theirs.get_untracked().trim().is_empty()
                        || !p.ours.get_untracked().trim().is_empty()
                        || !p.agreed.get_untracked().trim().is_empty()
                        || p.open.get_untracked()
                })
                .map(|p| ClausePosition {
                    clause: p.clause,
                    theirs: opt(p.theirs.get_untracked()),
                    ours: opt(p.ours.get_untracked()),
                    agreed: opt(p.agreed.get_untracked()),
                    open: p.open.get_untracked(),
                })
                .collect()
        });
        Some(SessionInput {
            held_on: self.held.get_untracked().parse().ok()?,
            channel: self.channel.get_untracked(),
            customer_people: self.customer.get_untracked(),
            our_people: self.ours.get_untracked(),
            positions,
            notes: opt(self.notes.get_untracked()),
        })
    }
}

/// The concession being added.
#[derive(Clone, Copy)]
struct ConcessionForm {
    made_on: RwSignal<String>,
    clause: RwSignal<String>,
    kind: RwSignal<String>,
    value: RwSignal<String>,
    got: RwSignal<String>,
    after: RwSignal<String>,
}

impl ConcessionForm {
    fn new(today: chrono::NaiveDate) -> Self {
        Self {
            made_on: RwSignal::new(today.to_string()),
            clause: RwSignal::new("price".to_owned()),
            kind: RwSignal::new("amount".to_owned()),
            value: RwSignal::new(String::new()),
            got: RwSignal::new(String::new()),
            after: RwSignal::new(String::new()),
        }
    }

    fn reset(&self) {
        self.value.set(String::new());
        self.got.set(String::new());
        self.after.set(String::new());
    }
}

/// The result's text (and an approver's comment on it).
#[derive(Clone, Copy)]
struct ResultForm {
    text: RwSignal<String>,
    comment: RwSignal<String>,
    dirty: RwSignal<bool>,
}

impl ResultForm {
    /// The text follows the view unless the user has edited it; while the result is being
    /// confirmed (or the user may not send one) the field shows the one sent.
    fn load(&self, v: &NegotiationView) {
        if !self.dirty.get_untracked() || !v.may_work || v.status == NegotiationStatus::Confirming {
            self.dirty.set(false);
            put(self.text, v.result.clone().unwrap_or_default());
        }
    }
}

/// Every form of the tab. Created once when the tab mounts, outside the part rebuilt when a
/// teammate's or an approver's change reloads the negotiation, so unsent text survives.
#[derive(Clone, Copy)]
struct Forms {
    plan: PlanForm,
    session: SessionForm,
    concession: ConcessionForm,
    result: ResultForm,
}

impl Forms {
    fn new() -> Self {
        let today = crate::components::clock::now_utc().with_timezone(&crate::components::clock::local_offset()).date_naive();
        Self {
            plan: PlanForm::new(),
            session: SessionForm::new(today),
            concession: ConcessionForm::new(today),
            result: ResultForm { text: RwSignal::new(String::new()), comment: RwSignal::new(String::new()), dirty: RwSignal::new(false) },
        }
    }

    /// A newer view of the negotiation, loaded or answered by a save.
    fn load(&self, v: &NegotiationView) {
        self.plan.load(v);
        self.session.load(v);
        self.result.load(v);
    }
}

/// Shows a newer view: the untouched forms follow it.
fn take(forms: Forms, n: RwSignal<NegotiationView>, v: NegotiationView) {
    forms.load(&v);
    n.set(v);
}

#[component]
pub fn NegotiationPanel(id: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(|| (), move |_| load_negotiation(id));
    let forms = Forms::new();
    // Our own writes set the view from their answer; a teammate's (or an approver's) reloads.
    on_live_change(move || {
        if last_live_event().is_some_and(|e| e.deal == Some(id) && !e.mine) {
            data.refetch();
        }
    });
    let reload = Callback::new(move |()| data.refetch());
    let start = Action::new(move |_: &()| async move { save_plan(id, PlanInput::default(), None).await });
    Effect::new(move |_| {
        if let Some(Ok(_)) = start.value().get() {
            data.refetch();
        }
    });
    view! {
        <Transition fallback=|| view! { <Skeleton rows=4/> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <ErrorNotice error=e panel=true/> }.into_any(),
                Ok(None) => view! {
                    <section class="panel" data-testid="negotiation-empty">
                        <h2 class="panel-title">{move || i18n.t(K::NegotiationTitle)}</h2>
                        <p class="muted">{move || i18n.t(K::NegotiationLead)}</p>
                        <button class="btn btn-primary" data-testid="negotiation-start" disabled=move || start.pending().get()
                            on:click=move |_| { start.dispatch(()); }>{move || i18n.t(K::NegotiationStart)}</button>
                        {move || start.value().get().and_then(|r| r.err()).map(|e| view! { <p class="field-error" role="alert">{move || error_message(i18n.locale(), &e)}</p> })}
                    </section>
                }.into_any(),
                Ok(Some(v)) => {
                    forms.load(&v);
                    let n = RwSignal::new(v);
                    view! { <NegotiationScreen deal=id n=n forms=forms reload=reload/> }.into_any()
                }
            })}
        </Transition>
    }
}

#[component]
fn NegotiationScreen(deal: Uuid, n: RwSignal<NegotiationView>, forms: Forms, reload: Callback<()>) -> impl IntoView {
    view! {
        <Ladder deal=deal n=n forms=forms/>
        <Plan deal=deal n=n forms=forms reload=reload/>
        <Sessions deal=deal n=n forms=forms/>
        <Result deal=deal n=n forms=forms/>
    }
}

/// The concession ladder: one row per clause (its name, then its steps as bars with the
/// amount given above each); a step larger than the one before is red, a crossed bottom line
/// is marked. Each step's slot is as wide as its longest value, so the labels never overlap;
/// a long ladder scrolls sideways on a phone rather than shrinking past reading.
#[component]
fn LadderChart(ladder: Vec<ConcessionView>) -> impl IntoView {
    let i18n = use_i18n();
    let clauses: Vec<Clause> =
        Clause::ALL.into_iter().filter(|c| ladder.iter().any(|x| x.clause == *c && !matches!(x.given, Given::Text(_)))).collect();
    if clauses.is_empty() {
        return ().into_any();
    }
    let value_label = |g: &Given| (!matches!(g, Given::Text(_))).then(|| given_text(g));
    let (row_h, bar_w, pad) = (84.0_f64, 40.0_f64, 8.0_f64);
    // An 11 px digit is about 6.6 px wide.
    let widest = ladder.iter().filter_map(|x| value_label(&x.given)).map(|t| t.chars().count()).max().unwrap_or(0);
    let slot = (widest as f64 * 6.6 + 10.0).max(bar_w + 12.0);
    let steps = clauses.iter().map(|c| ladder.iter().filter(|x| x.clause == *c).count()).max().unwrap_or(1);
    let width = (pad * 2.0 + slot * steps as f64).max(180.0);
    let height = row_h * clauses.len() as f64 + 4.0;
    view! {
        <div class="ladder-wrap">
            <svg class="ladder-chart" data-testid="ladder-chart" viewBox=format!("0 0 {width} {height}") role="img"
                aria-label=move || i18n.t(K::LadderTitle) preserveAspectRatio="xMinYMin meet"
                style=format!("max-width:{width}px;min-width:{:.0}px", width * 0.8)>
                {clauses.into_iter().enumerate().map(|(row, c)| {
                    let items: Vec<&ConcessionView> = ladder.iter().filter(|x| x.clause == c).collect();
                    let size = |g: &Given| match g { Given::AmountFen(f) => *f as f64, Given::PercentBp(b) => f64::from(*b), Given::Days(d) => f64::from(*d), Given::Text(_) => 0.0 };
                    let top = items.iter().map(|x| size(&x.given)).fold(1.0_f64, f64::max);
                    let y0 = row as f64 * row_h;
                    // The clause's name on top, room for the values, then the bars on the axis.
                    let base = y0 + row_h - 6.0;
                    let tallest = row_h - 40.0;
                    view! {
                        <g>
                            <text x="0" y=y0 + 10.0 class="ladder-label">{move || i18n.t(clause_label(c))}</text>
                            <line x1="0" y1=base x2=width y2=base class="ladder-axis"/>
                            {items.iter().enumerate().map(|(i, x)| {
                                let h = (size(&x.given) / top * tallest).max(2.0);
                                let bad = x.warnings.iter().any(|w| matches!(w, Warning::LargerThanPrevious { .. }));
                                let crossed = x.warnings.iter().any(|w| matches!(w, Warning::CrossesBottomLine { .. }));
                                let cls = if crossed { "ladder-bar crossed" } else if bad { "ladder-bar larger" } else { "ladder-bar" };
                                let bx = pad + i as f64 * slot + (slot - bar_w) / 2.0;
                                let vcls = if bad || crossed { "ladder-value warn" } else { "ladder-value" };
                                view! {
                                    <rect x=bx y=base - h width=bar_w height=h class=cls data-testid="ladder-bar" data-larger=bad.to_string()>
                                        <title>{format!("#{} {}", x.position, given_text(&x.given))}</title>
                                    </rect>
                                    {value_label(&x.given).map(|t| view! {
                                        <text x=bx + bar_w / 2.0 y=base - h - 4.0 text-anchor="middle"
                                            class=vcls data-testid="ladder-value">{t}</text>
                                    })}
                                }
                            }).collect_view()}
                        </g>
                    }
                }).collect_view()}
            </svg>
        </div>
    }
    .into_any()
}

#[component]
fn Ladder(deal: Uuid, n: RwSignal<NegotiationView>, forms: Forms) -> impl IntoView {
    let i18n = use_i18n();
    let ConcessionForm { made_on, clause, kind, value, got, after } = forms.concession;
    let local: RwSignal<Option<AppError>> = RwSignal::new(None);
    let may_add = Memo::new(move |_| n.with(|n| n.may_work && n.status != NegotiationStatus::Confirming));
    let add = Action::new(move |c: &ConcessionInput| {
        let c = c.clone();
        async move { add_concession(deal, c).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(v)) = add.value().get() {
            forms.concession.reset();
            take(forms, n, v);
        }
    });
    let input = move || -> Result<ConcessionInput, AppError> {
        let c = Clause::parse(&clause.get()).unwrap_or(Clause::Other);
        let v = value.get();
        let given = match kind.get().as_str() {
            "amount" => Given::AmountFen(parse_yuan(v.trim()).ok_or_else(|| AppError::validation("given", "an amount in yuan"))?),
            "percent" => Given::PercentBp(parse_percent_bp("given", v.trim())?),
            "days" => Given::Days(v.trim().parse().map_err(|_| AppError::validation("given", "a number of days"))?),
            _ => Given::Text(v),
        };
        let a = after.get();
        let position_after = match (c, a.trim()) {
            (_, "") => None,
            (Clause::Price, s) => Some(parse_yuan(s).ok_or_else(|| AppError::validation("position_after", "an amount in yuan"))?),
            (_, s) => Some(s.parse().map_err(|_| AppError::validation("position_after", "a number"))?),
        };
        Ok(ConcessionInput {
            made_on: made_on.get().parse().map_err(|_| AppError::validation("made_on", "a date"))?,
            clause: c,
            given,
            got: opt(got.get()),
            position_after,
        })
    };
    let warn_text = move |w: &Warning| -> String {
        match w {
            Warning::LargerThanPrevious { .. } => i18n.t(K::WarnLarger).to_owned(),
            Warning::NothingInReturn => i18n.t(K::WarnNothingBack).to_owned(),
            Warning::CrossesBottomLine { .. } => i18n.t(K::WarnBottomLine).to_owned(),
        }
    };
    view! {
        <section class="panel" data-testid="ladder">
            <h2 class="panel-title">{move || i18n.t(K::LadderTitle)}</h2>
            <p class="cell-sub">{move || i18n.t(K::LadderLead)}</p>
            {move || view! { <LadderChart ladder=n.with(|n| n.ladder.clone())/> }}
            <div class="table-wrap">
                <table class="table" data-testid="concessions">
                    <thead><tr>
                        <th>"#"</th>
                        <th>{move || i18n.t(K::ColDate)}</th>
                        <th>{move || i18n.t(K::NegClause)}</th>
                        <th>{move || i18n.t(K::ConcessionGiven)}</th>
                        <th>{move || i18n.t(K::ConcessionGot)}</th>
                        <th>{move || i18n.t(K::ConcessionAfter)}</th>
                        <th></th>
                    </tr></thead>
                    <tbody>
                        {move || n.with(|n| n.ladder.clone()).into_iter().map(|c| {
                            let ws: Vec<String> = c.warnings.iter().map(warn_text).collect();
                            let codes: Vec<&str> = c.warnings.iter().map(|w| w.code()).collect();
                            let after = match (c.clause, c.position_after) {
                                (Clause::Price, Some(p)) => format_exact(p, "CNY"),
                                (_, Some(p)) => p.to_string(),
                                _ => String::new(),
                            };
                            let gm = c.gm;
                            view! {
                                <tr data-testid="concession" data-warnings=codes.join(",")>
                                    <td>{c.position}</td>
                                    <td><DateText date=c.made_on/></td>
                                    <td>{move || i18n.t(clause_label(c.clause))}</td>
                                    <td>{given_text(&c.given)}</td>
                                    <td>{c.got.clone().unwrap_or_else(|| "—".into())}</td>
                                    <td>{after}</td>
                                    <td>
                                        {ws.into_iter().map(|w| view! { <span class="badge-danger" data-testid="concession-warning">{w}</span> }).collect_view()}
                                        {(gm != GmStatus::None).then(|| view! {
                                            <span class=format!("q-status gm-{}", gm.code())>{move || i18n.t(match gm { GmStatus::Approved => K::GmApproved, GmStatus::Rejected => K::GmRejected, _ => K::GmPending })}</span>
                                        })}
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            {move || may_add.get().then(|| view! {
                <form class="receipt-form" data-testid="concession-form" on:submit=move |ev| {
                    ev.prevent_default();
                    match input() { Ok(c) => { local.set(None); add.dispatch(c); } Err(e) => local.set(Some(e)) }
                }>
                    <DateField testid="c-date" label=K::ColDate value=made_on on_input=Callback::new(move |v| made_on.set(v))/>
                    <select data-testid="c-clause" aria-label=move || i18n.t(K::NegClause) prop:value=move || clause.get() on:change=move |ev| clause.set(event_target_value(&ev))>
                        {Clause::ALL.into_iter().map(|c| view! { <option value=c.code()>{move || i18n.t(clause_label(c))}</option> }).collect_view()}
                    </select>
                    <select data-testid="c-kind" aria-label=move || i18n.t(K::ConcessionGiven) prop:value=move || kind.get() on:change=move |ev| kind.set(event_target_value(&ev))>
                        <option value="amount">"¥"</option>
                        <option value="percent">"%"</option>
                        <option value="days">{move || i18n.t(K::Days)}</option>
                        <option value="text">{move || i18n.t(K::ConcessionWords)}</option>
                    </select>
                    <input type="text" data-testid="c-value" placeholder=move || i18n.t(K::ConcessionGiven) aria-label=move || i18n.t(K::ConcessionGiven)
                        prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
                    <input type="text" data-testid="c-got" placeholder=move || i18n.t(K::ConcessionGot) aria-label=move || i18n.t(K::ConcessionGot)
                        prop:value=move || got.get() on:input=move |ev| got.set(event_target_value(&ev))/>
                    <input type="text" data-testid="c-after" placeholder=move || i18n.t(K::ConcessionAfter) aria-label=move || i18n.t(K::ConcessionAfter)
                        prop:value=move || after.get() on:input=move |ev| after.set(event_target_value(&ev))/>
                    <button type="submit" class="btn btn-primary" data-testid="c-submit" disabled=move || add.pending().get()>{move || i18n.t(K::ConcessionAdd)}</button>
                </form>
                {move || local.get().or_else(|| add.value().get().and_then(|r| r.err())).map(|e| view! {
                    <p class="field-error" role="alert" data-testid="concession-error">{move || error_message(i18n.locale(), &e)}</p>
                })}
            })}
        </section>
    }
}

#[component]
fn Plan(deal: Uuid, n: RwSignal<NegotiationView>, forms: Forms, reload: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let plan = forms.plan;
    let PlanForm { lowest, days, never, strategy, alternatives, interests, error, .. } = plan;
    let save = Action::new(move |p: &PlanInput| {
        let p = p.clone();
        let ver = plan.base.with_untracked(|b| b.as_ref().map(|(v, _)| *v)).unwrap_or_else(|| n.with_untracked(|n| n.version));
        async move { save_plan(deal, p, Some(ver)).await }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(v)) => {
            plan.dirty.set(false);
            take(forms, n, v);
        }
        // Someone changed the plan meanwhile: show theirs (the message says so), never save over it.
        Some(Err(AppError::Conflict)) => {
            plan.dirty.set(false);
            error.set(Some(AppError::Conflict));
            reload.run(());
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let text = move |key: K, sig: RwSignal<String>, tid: &'static str| {
        view! {
            <div class="field">
                <label for=tid>{move || i18n.t(key)}</label>
                <textarea id=tid data-testid=tid rows="2" prop:value=move || sig.get() on:input=move |ev| plan.edit(sig, event_target_value(&ev))></textarea>
            </div>
        }
    };
    // The people's rows are rebuilt when who is in the plan changes, not on every keystroke.
    let who = Memo::new(move |_| interests.with(|is| is.iter().map(|i| i.contact_id).collect::<Vec<_>>()));
    view! {
        <form class="panel" data-testid="negotiation-plan" on:submit=move |ev| {
            ev.prevent_default();
            match plan.input() { Ok(p) => { error.set(None); save.dispatch(p); } Err(e) => error.set(Some(e)) }
        }>
            <h2 class="panel-title">{move || i18n.t(K::NegotiationPlan)}</h2>
            <div class="q-head-grid">
                <div class="field">
                    <label for="n-lowest">{move || i18n.t(K::BottomPrice)}</label>
                    <input id="n-lowest" type="text" inputmode="decimal" data-testid="n-lowest" prop:value=move || lowest.get() on:input=move |ev| plan.edit(lowest, event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="n-days">{move || i18n.t(K::BottomDays)}</label>
                    <input id="n-days" type="text" inputmode="numeric" data-testid="n-days" prop:value=move || days.get() on:input=move |ev| plan.edit(days, event_target_value(&ev))/>
                </div>
            </div>
            {text(K::NeverGive, never, "n-never")}
            <h3 class="panel-subtitle">{move || i18n.t(K::Interests)}</h3>
            {move || who.with(Vec::is_empty).then(|| view! { <p class="cell-sub">{move || i18n.t(K::InterestsEmpty)}</p> })}
            <div class="interests">
                {move || {
                    who.track();
                    interests.get_untracked().into_iter().enumerate().map(|(ix, i)| {
                        let role_label = i.role.and_then(|r| crate::domain::committee::ContactRole::parse(&r));
                        let cares = move || interests.with(|is| is.get(ix).map(|i| i.cares.clone()).unwrap_or_default());
                        view! {
                            <div class="field">
                                <label>{i.name} {i.title.map(|t| format!(" · {t}"))}
                                    {role_label.map(|r| view! { <span class="cell-sub">{move || r.label(i18n.locale())}</span> })}</label>
                                <input type="text" data-testid="n-cares" prop:value=cares on:input=move |ev| {
                                    let v = event_target_value(&ev);
                                    interests.update(|is| if let Some(i) = is.get_mut(ix) { i.cares = v; });
                                    plan.dirty.set(true);
                                }/>
                            </div>
                        }
                    }).collect_view()
                }}
            </div>
            {text(K::NegStrategy, strategy, "n-strategy")}
            {text(K::NegAlternatives, alternatives, "n-alternatives")}
            {move || n.with(|n| n.may_work).then(|| view! {
                <div class="form-actions">
                    <button type="submit" class="btn" data-testid="n-save" disabled=move || save.pending().get()>{move || i18n.t(K::Save)}</button>
                    {move || matches!(save.value().get(), Some(Ok(_))).then(|| view! { <span class="muted" data-testid="n-saved">{move || i18n.t(K::ContractSaved)}</span> })}
                </div>
            })}
            {move || error.get().map(|e| view! {
                <p class="field-error" role="alert" data-testid="plan-error">{move || error_message(i18n.locale(), &e)}</p>
            })}
        </form>
    }
}

/// A checkbox list of who may sit at the table; `testid` names each option, `if_empty` says
/// why there is none.
fn pick_list(
    legend: K,
    if_empty: Option<K>,
    people: Vec<Participant>,
    picked: RwSignal<Vec<Uuid>>,
    testid: &'static str,
    role: fn(&str, crate::domain::locale::Locale) -> String,
) -> impl IntoView {
    let i18n = use_i18n();
    let empty = if_empty.filter(|_| people.is_empty());
    view! {
        <fieldset class="pick-list" data-testid=format!("{testid}-list")>
            <legend>{move || i18n.t(legend)}</legend>
            {empty.map(|k| view! { <p class="cell-sub">{move || i18n.t(k)}</p> })}
            {people.into_iter().map(|p| {
                let id = p.id;
                let sub = p.title.clone();
                let code = p.role.clone();
                view! {
                    <label class="pick" data-testid=testid data-id=id.to_string()>
                        <input type="checkbox" prop:checked=move || picked.with(|x| x.contains(&id)) on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            picked.update(|x| { x.retain(|y| *y != id); if on { x.push(id); } });
                        }/>
                        <span class="pick-name">{p.name}</span>
                        <span class="cell-sub">{move || {
                            let r = code.as_deref().map(|c| role(c, i18n.locale())).filter(|r| !r.is_empty());
                            [sub.clone(), r].into_iter().flatten().collect::<Vec<_>>().join(" · ")
                        }}</span>
                    </label>
                }
            }).collect_view()}
        </fieldset>
    }
}

fn map_role(code: &str, l: crate::domain::locale::Locale) -> String {
    crate::domain::committee::ContactRole::parse(code).map(|r| r.label(l).to_owned()).unwrap_or_default()
}

fn team_role(code: &str, l: crate::domain::locale::Locale) -> String {
    crate::i18n::t(l, super::team::member_role(code)).to_owned()
}

#[component]
fn Sessions(deal: Uuid, n: RwSignal<NegotiationView>, forms: Forms) -> impl IntoView {
    let i18n = use_i18n();
    let form = forms.session;
    let SessionForm { held, channel, notes, rows, customer, ours, open: unfolded } = form;
    let may_work = Memo::new(move |_| n.with(|n| n.may_work));
    // Who may be picked, redrawn only when that changes.
    let people = Memo::new(move |_| n.with(|n| n.people.clone()));
    let team = Memo::new(move |_| n.with(|n| n.team.clone()));
    let add = Action::new(move |s: &SessionInput| {
        let s = s.clone();
        async move { add_session(deal, s).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(v)) = add.value().get() {
            form.reset();
            take(forms, n, v);
        }
    });
    let names = |xs: Vec<String>| if xs.is_empty() { "—".to_owned() } else { xs.join(", ") };
    view! {
        <section class="panel" data-testid="negotiation-sessions">
            <h2 class="panel-title">{move || i18n.t(K::NegSessions)}</h2>
            {move || n.with(|n| n.sessions.clone()).into_iter().rev().map(|s| view! {
                <article class="session" data-testid="session">
                    <p><strong><DateText date=s.held_on/></strong> " · " {s.channel.clone()}</p>
                    {(!s.customer_people.is_empty() || !s.our_people.is_empty()).then(|| view! {
                        <p class="cell-sub session-people">
                            <span data-testid="session-customer">{names(s.customer_people.clone())}</span>
                            " ⇄ "
                            <span data-testid="session-ours">{names(s.our_people.clone())}</span>
                        </p>
                    })}
                    <table class="table table-compact">
                        <tbody>
                            {s.positions.iter().map(|p| {
                                let c = p.clause;
                                view! {
                                    <tr>
                                        <th>{move || i18n.t(clause_label(c))}</th>
                                        <td>{p.theirs.clone().unwrap_or_default()}</td>
                                        <td>{p.ours.clone().unwrap_or_default()}</td>
                                        <td>{p.agreed.clone().unwrap_or_default()}</td>
                                        <td>{p.open.then(|| view! { <span class="badge-danger">{move || i18n.t(K::NegOpen)}</span> })}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                    {s.notes.clone().map(|x| view! { <p class="cell-sub">{x}</p> })}
                </article>
            }).collect_view()}
            {move || may_work.get().then(|| view! {
                <details class="session-form" prop:open=move || unfolded.get()>
                    <summary data-testid="session-open" on:click=move |ev| { ev.prevent_default(); unfolded.update(|o| *o = !*o); }>
                        {move || i18n.t(K::NegSessionAdd)}
                    </summary>
                    <form data-testid="session-form" on:submit=move |ev| {
                        ev.prevent_default();
                        if let Some(s) = form.input() {
                            add.dispatch(s);
                        }
                    }>
                        <div class="q-head-grid">
                            <div class="field"><label for="s-date">{move || i18n.t(K::ColDate)}</label>
                                <DateField id="s-date" testid="s-date" value=held on_input=Callback::new(move |v| held.set(v))/></div>
                            <div class="field"><label for="s-channel">{move || i18n.t(K::NegChannel)}</label>
                                <input id="s-channel" type="text" data-testid="s-channel" prop:value=move || channel.get() on:input=move |ev| channel.set(event_target_value(&ev))/></div>
                        </div>
                        <div class="pick-grid">
                            {move || pick_list(K::NegTheirSide, Some(K::NegNoMapPeople), people.get(), customer, "s-person", map_role)}
                            {move || pick_list(K::NegOurSide, None, team.get(), ours, "s-member", team_role)}
                        </div>
                        <div class="table-wrap">
                            <table class="table table-compact">
                                <thead><tr>
                                    <th>{move || i18n.t(K::NegClause)}</th><th>{move || i18n.t(K::NegTheirs)}</th><th>{move || i18n.t(K::NegOurs)}</th>
                                    <th>{move || i18n.t(K::NegAgreed)}</th><th>{move || i18n.t(K::NegOpen)}</th>
                                </tr></thead>
                                <tbody>
                                    {rows.with_value(|rs| rs.clone()).into_iter().map(|PositionEdit { clause: c, theirs: t, ours: o, agreed: a, open }| view! {
                                        <tr>
                                            <th>{move || i18n.t(clause_label(c))}</th>
                                            <td><input type="text" aria-label="theirs" prop:value=move || t.get() on:input=move |ev| t.set(event_target_value(&ev))/></td>
                                            <td><input type="text" aria-label="ours" prop:value=move || o.get() on:input=move |ev| o.set(event_target_value(&ev))/></td>
                                            <td><input type="text" aria-label="agreed" prop:value=move || a.get() on:input=move |ev| a.set(event_target_value(&ev))/></td>
                                            <td><input type="checkbox" aria-label="open" prop:checked=move || open.get() on:change=move |ev| open.set(event_target_checked(&ev))/></td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <div class="field"><label for="s-notes">{move || i18n.t(K::Notes)}</label>
                            <textarea id="s-notes" rows="2" prop:value=move || notes.get() on:input=move |ev| notes.set(event_target_value(&ev))></textarea></div>
                        <div class="form-actions"><button type="submit" class="btn btn-primary" data-testid="s-submit" disabled=move || add.pending().get()>{move || i18n.t(K::NegSessionAdd)}</button></div>
                        {move || add.value().get().and_then(|r| r.err()).map(|e| view! { <p class="field-error" role="alert">{move || error_message(i18n.locale(), &e)}</p> })}
                    </form>
                </details>
            })}
        </section>
    }
}

/// The agreed result: sent to the sales manager, then legal; the approver decides here.
#[component]
fn Result(deal: Uuid, n: RwSignal<NegotiationView>, forms: Forms) -> impl IntoView {
    let i18n = use_i18n();
    let ResultForm { text, comment, dirty } = forms.result;
    let send = Action::new(move |_: &()| {
        let (t, v) = (text.get_untracked(), n.with_untracked(|n| n.version));
        async move { confirm_result(deal, t, v).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(v)) = send.value().get() {
            dirty.set(false);
            take(forms, n, v);
        }
    });
    let decide = Action::new(move |approve: &bool| {
        let (approve, a) = (*approve, n.with_untracked(|n| n.my_approvals.first().copied()));
        let c = Some(comment.get_untracked()).filter(|c| !c.trim().is_empty());
        async move {
            match a {
                Some(a) => {
                    decide_quote(a, approve, c).await?;
                    load_negotiation(deal).await?.ok_or(AppError::NotFound)
                }
                None => Err(AppError::NotFound),
            }
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(v)) = decide.value().get() {
            comment.set(String::new());
            take(forms, n, v);
        }
    });
    let status_key = move || match n.with(|n| n.status) {
        NegotiationStatus::Planning => K::NegPlanning,
        NegotiationStatus::Confirming => K::NegConfirming,
        NegotiationStatus::Confirmed => K::NegConfirmed,
    };
    view! {
        <section class="panel" data-testid="negotiation-result">
            <h2 class="panel-title">{move || i18n.t(K::NegResult)} " · " <span class="q-status" data-testid="negotiation-status">{move || i18n.t(status_key())}</span></h2>
            <p class="cell-sub">{move || i18n.t(K::NegResultLead)}</p>
            <textarea rows="3" data-testid="n-result" aria-label=move || i18n.t(K::NegResult) prop:value=move || text.get()
                disabled=move || n.with(|n| !n.may_work || n.status == NegotiationStatus::Confirming)
                on:input=move |ev| { text.set(event_target_value(&ev)); dirty.set(true); }></textarea>
            <ol class="chain">
                {move || n.with(|n| n.confirm.clone()).into_iter().map(|s| view! {
                    <li class=format!("chain-step chain-{}", s.state) data-testid="confirm-step" data-state=s.state.clone()>
                        <span class="chain-dot">{s.step + 1}</span>
                        <div><strong>{move || i18n.t(if s.step == 0 { K::ApproverSalesManager } else { K::ApproverLegal })}</strong>
                            {s.who.clone().map(|w| view! { " · " {w} })}
                            {s.comment.clone().map(|c| view! { <span class="cell-sub">"“" {c} "”"</span> })}</div>
                    </li>
                }).collect_view()}
            </ol>
            {move || n.with(|n| n.may_work && n.status != NegotiationStatus::Confirming).then(|| view! {
                <div class="form-actions">
                    <button type="button" class="btn btn-primary" data-testid="n-confirm" disabled=move || send.pending().get()
                        on:click=move |_| { send.dispatch(()); }>{move || i18n.t(K::NegSendForConfirm)}</button>
                </div>
            })}
            {move || send.value().get().and_then(|r| r.err()).map(|e| view! { <p class="field-error" role="alert" data-testid="confirm-error">{move || error_message(i18n.locale(), &e)}</p> })}
            {move || n.with(|n| !n.my_approvals.is_empty()).then(|| view! {
                <div class="q-decide" data-testid="negotiation-decide">
                    <input type="text" data-testid="n-comment" placeholder=move || i18n.t(K::Comment) aria-label=move || i18n.t(K::Comment)
                        prop:value=move || comment.get() on:input=move |ev| comment.set(event_target_value(&ev))/>
                    <button class="btn btn-primary" data-testid="n-approve" on:click=move |_| { decide.dispatch(true); }>{move || i18n.t(K::Approve)}</button>
                    <button class="btn" data-testid="n-reject" on:click=move |_| { decide.dispatch(false); }>{move || i18n.t(K::Reject)}</button>
                </div>
            })}
            {move || decide.value().get().and_then(|r| r.err()).map(|e| view! { <p class="field-error" role="alert">{move || error_message(i18n.locale(), &e)}</p> })}
            {move || n.with(|n| n.lowest_price_fen).map(|f| view! { <p class="cell-sub">{move || i18n.t(K::BottomPrice)} ": " <Money fen=f/></p> })}
        </section>
    }
}
