//! One contract: its chain (who decides each step, what they said), the draft editor with
//! the payment milestones for those who work the deal, signing once approved, and receipts
//! against the milestones once signed. Every write carries the version read; a teammate's
//! change or a decision arrives live and reloads.
use crate::api::contract::{contract_step, load_contract, record_receipt, save_contract, sign_contract};
use crate::components::date_field::DateField;
use crate::components::decide::DecideBox;
use crate::components::live::{last_live_event, on_live_change};
use crate::components::money::{DateText, Money};
use crate::components::states::{ErrorNotice, Skeleton};
use crate::domain::contract::dto::{ContractDraft, ContractView, MilestoneInput, ReceiptInput, SignInput, StepState};
use crate::domain::contract::{ContractStatus, ContractType, MilestoneKind, Share, SignMethod};
use crate::domain::error::AppError;
use crate::domain::money::{format_exact, parse_yuan};
use crate::domain::quote::{format_percent, parse_percent_bp};
use crate::i18n::{contract_approver, contract_status, contract_type, error_message, milestone_kind, use_i18n, K};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

#[component]
pub fn ContractPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<Uuid>().ok());
    let data = Resource::new(id, |id| async move {
        match id {
            Some(id) => load_contract(id).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        <Transition fallback=|| view! { <Skeleton rows=8/> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                Ok(k) => view! { <ContractScreen k=k/> }.into_any(),
            })}
        </Transition>
    }
}

fn yuan_text(fen: i64) -> String {
    format!("{}.{:02}", fen / 100, fen % 100)
}

#[component]
fn ContractScreen(k: ContractView) -> impl IntoView {
    let i18n = use_i18n();
    let contract = RwSignal::new(k);
    let id = contract.with_untracked(|k| k.id);
    let deal = contract.with_untracked(|k| k.deal_id);
    let reload = Action::new(move |_: &()| async move { load_contract(id).await });
    Effect::new(move |_| {
        if let Some(Ok(k)) = reload.value().get() {
            contract.set(k);
        }
    });
    on_live_change(move || {
        if last_live_event().is_some_and(|e| e.deal == Some(deal) && !e.mine) {
            reload.dispatch(());
        }
    });
    let step = Action::new(move |s: &String| {
        let (s, v) = (s.clone(), contract.with_untracked(|k| k.version));
        async move { contract_step(id, s, v).await }
    });
    let error: RwSignal<Option<AppError>> = RwSignal::new(None);
    let navigate = leptos_router::hooks::use_navigate();
    Effect::new(move |_| match step.value().get() {
        // An amendment is a contract of its own: go to it.
        Some(Ok(k)) if k.id != id => navigate(&format!("/contracts/{}", k.id), Default::default()),
        Some(Ok(k)) => {
            error.set(None);
            contract.set(k);
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let status = move || contract.with(|k| k.status);
    let may_work = move || contract.with(|k| k.may_work);
    let editable = Memo::new(move |_| contract.with(|k| k.may_work && k.status == ContractStatus::Draft));
    let btn = move |key: K, s: &'static str, primary: bool| {
        view! {
            <button type="button" class=if primary { "btn btn-primary" } else { "btn" } data-testid=format!("contract-{s}")
                disabled=move || step.pending().get() on:click=move |_| { step.dispatch(s.to_owned()); }>
                {move || i18n.t(key)}
            </button>
        }
    };
    view! {
        <Title text=move || contract.with(|k| k.number.clone())/>
        <div class="page-head">
            <div>
                <p class="crumb"><a href=format!("/deals/{deal}?tab=contract")>{move || contract.with(|k| k.deal_name.clone())}</a></p>
                <h1 data-testid="contract-number">{move || contract.with(|k| k.number.clone())}</h1>
                <p class="lead">
                    {move || contract.with(|k| k.account.clone())} " · "
                    <span class=move || format!("q-status k-{}", status().as_str()) data-testid="contract-status">{move || contract_status(i18n.locale(), status())}</span>
                    " · " <strong>{move || view! { <Money fen=contract.with(|k| k.amount_fen)/> }}</strong>
                    {move || contract.with(|k| k.quote_number.clone()).map(|q| view! { " · " {move || i18n.t(K::ContractFromQuote)} " " {q.clone()} })}
                </p>
            </div>
            <div class="q-actions">
                {move || (may_work() && status() == ContractStatus::Draft).then(|| btn(K::ContractSubmit, "submit", true))}
                {move || (may_work() && status() == ContractStatus::InReview).then(|| btn(K::ContractWithdraw, "withdraw", false))}
                {move || (may_work() && status() == ContractStatus::Approved).then(|| btn(K::ContractBackToDraft, "withdraw", false))}
                {move || (may_work() && status() == ContractStatus::Signed && contract.with(|k| k.amended_by.is_none()))
                    .then(|| btn(K::ContractAmend, "amend", false))}
            </div>
        </div>
        {move || contract.with(|k| k.supersedes.clone()).map(|l| view! {
            <div class="notice notice-info" data-testid="contract-supersedes">
                <span>{move || i18n.t(K::ContractAmendmentOf)} " " <a href=format!("/contracts/{}", l.id)>{l.number.clone()}</a></span>
                {move || (status() != ContractStatus::Signed).then(|| view! { <span class="cell-sub">{move || i18n.t(K::ContractAmendmentHint)}</span> })}
            </div>
        })}
        {move || contract.with(|k| k.amended_by.clone()).map(|l| {
            let key = if l.status == ContractStatus::Signed { K::ContractSupersededBy } else { K::ContractAmendmentOpen };
            view! {
                <div class="notice notice-warn" data-testid="contract-amended-by">
                    <span>
                        {move || i18n.t(key)} " " <a href=format!("/contracts/{}", l.id)>{l.number.clone()}</a>
                        " · " {move || contract_status(i18n.locale(), l.status)}
                    </span>
                </div>
            }
        })}
        {move || error.get().map(|e| view! { <p class="field-error" role="alert" data-testid="contract-error">{move || error_message(i18n.locale(), &e)}</p> })}
        {move || contract.with(|k| (k.status == ContractStatus::Draft).then(|| k.reject_reason.clone()).flatten()).map(|r| view! {
            <p class="notice notice-warn" data-testid="contract-rejected">{move || i18n.t(K::ContractRejectedBecause)} {r.clone()}</p>
        })}
        <ChainBox contract=contract reload=reload/>
        {move || if editable.get() {
            view! { <DraftEditor contract=contract/> }.into_any()
        } else {
            view! { <Terms contract=contract/> }.into_any()
        }}
        {move || (may_work() && status() == ContractStatus::Approved).then(|| view! { <SignBox contract=contract/> })}
        <Milestones contract=contract/>
    }
}

/// The steps of this round, each with who, the state and the opinion; the approver decides
/// here as in the inbox. Earlier rounds below.
#[component]
fn ChainBox(contract: RwSignal<ContractView>, reload: Action<(), Result<ContractView, AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="panel" data-testid="contract-chain">
            <h2 class="panel-title">{move || i18n.t(K::ContractChain)}</h2>
            <ol class="chain">
                {move || contract.with(|k| k.steps.clone()).into_iter().map(|s| {
                    let state = s.state;
                    let (cls, label) = match state {
                        StepState::Waiting => ("waiting", K::StepWaiting),
                        StepState::Pending => ("pending", K::StepPending),
                        StepState::Approved => ("approved", K::StepApproved),
                        StepState::Rejected => ("rejected", K::StepRejected),
                    };
                    view! {
                        <li class=format!("chain-step chain-{cls}") data-testid="chain-step" data-state=cls>
                            <span class="chain-dot" aria-hidden="true">{s.position + 1}</span>
                            <div>
                                <strong>{move || contract_approver(i18n.locale(), s.approver)}</strong>
                                {s.who.clone().map(|w| view! { <span>{w}</span> })}
                                <span class="cell-sub">{move || i18n.t(label)}
                                    {s.decided_at.map(|t| format!(" · {}", t.format("%Y-%m-%d %H:%M")))}</span>
                                {s.opinion.clone().map(|o| view! { <span class="cell-sub">"“" {o} "”"</span> })}
                            </div>
                        </li>
                    }
                }).collect_view()}
            </ol>
            <DecideBox approval=Signal::derive(move || contract.with(|k| k.my_approval)) testid="contract" hint=K::ContractDecideHint
                on_decided=move |_| { reload.dispatch(()); }/>
            {move || {
                let past = contract.with(|k| k.history.clone());
                (!past.is_empty()).then(|| view! {
                    <details class="chain-past">
                        <summary>{move || i18n.t(K::ChainPast)} " (" {past.len()} ")"</summary>
                        <ul>
                            {past.into_iter().map(|p| view! {
                                <li>
                                    "#" {p.round} " · " {move || contract_approver(i18n.locale(), p.approver)} " · " {p.who.clone().unwrap_or_default()} " · "
                                    {move || i18n.t(if p.approved { K::StepApproved } else { K::StepRejected })}
                                    {p.opinion.clone().map(|o| view! { " — “" {o} "”" })}
                                </li>
                            }).collect_view()}
                        </ul>
                    </details>
                })
            }}
        </section>
    }
}

/// The terms as agreed, read-only.
#[component]
fn Terms(contract: RwSignal<ContractView>) -> impl IntoView {
    let i18n = use_i18n();
    let row = move |key: K, v: Option<String>| {
        view! { <div class="kv"><dt>{move || i18n.t(key)}</dt><dd>{v.unwrap_or_else(|| "—".into())}</dd></div> }
    };
    move || {
        let k = contract.get();
        let l = i18n.locale();
        view! {
            <section class="panel" data-testid="contract-terms">
                <dl class="kv-grid">
                    {row(K::ContractKind, Some(contract_type(l, k.kind).to_owned()))}
                    {row(K::ContractPartyA, Some(k.party_a.clone()))}
                    {row(K::ContractPartyB, Some(k.party_b.clone()))}
                    {row(K::ContractAmount, Some(format_exact(k.amount_fen, &k.currency)))}
                    {row(K::ContractStarts, k.starts_on.map(|d| d.to_string()))}
                    {row(K::ContractEnds, k.ends_on.map(|d| d.to_string()))}
                    {row(K::ContractPaymentTerms, k.payment_terms.clone())}
                    {row(K::ContractDeliveryTerms, k.delivery_terms.clone())}
                    {row(K::ContractAcceptanceTerms, k.acceptance_terms.clone())}
                    {k.signed_on.map(|d| row(K::ContractSignedOn, Some(format!(
                        "{d} · {} · {}", k.signatory.clone().unwrap_or_default(),
                        i18n.t(if k.sign_method == Some(SignMethod::ESeal) { K::SignESeal } else { K::SignPaper })))))}
                </dl>
                {matches!(k.status, ContractStatus::Signed | ContractStatus::Superseded)
                    .then(|| view! { <p class="cell-sub">{move || i18n.t(K::ContractLocked)}</p> })}
            </section>
        }
    }
}

/// One milestone row of the editor: kind, date or trigger, and "30 %" or "¥ 12000".
#[derive(Clone, Debug)]
struct MilestoneEdit {
    key: u32,
    kind: RwSignal<String>,
    due_on: RwSignal<String>,
    trigger: RwSignal<String>,
    share: RwSignal<String>,
}

impl MilestoneEdit {
    fn new(key: u32, m: Option<&crate::domain::contract::dto::MilestoneView>) -> Self {
        MilestoneEdit {
            key,
            kind: RwSignal::new(m.map_or(MilestoneKind::Other, |m| m.kind).code().to_owned()),
            due_on: RwSignal::new(m.and_then(|m| m.due_on).map(|d| d.to_string()).unwrap_or_default()),
            trigger: RwSignal::new(m.and_then(|m| m.trigger.clone()).unwrap_or_default()),
            share: RwSignal::new(match m.map(|m| m.share) {
                Some(Share::PercentBp(bp)) => format!("{} %", format_percent(i64::from(bp))),
                Some(Share::AmountFen(f)) => format!("¥{}", yuan_text(f)),
                None => String::new(),
            }),
        }
    }

    /// The share as typed: a trailing % is a percentage, anything else an amount in yuan.
    fn input(&self, i: usize) -> Result<MilestoneInput, AppError> {
        let raw = self.share.get();
        let raw = raw.trim();
        let share = if let Some(p) = raw.strip_suffix('%') {
            Share::PercentBp(parse_percent_bp(&format!("milestones[{i}].share"), p.trim())?)
        } else {
            let amount = raw.trim_start_matches('¥').trim();
            Share::AmountFen(
                parse_yuan(amount).ok_or_else(|| AppError::validation(format!("milestones[{i}].share"), "30 % or an amount in yuan"))?,
            )
        };
        Ok(MilestoneInput {
            kind: MilestoneKind::parse(&self.kind.get()).unwrap_or(MilestoneKind::Other),
            due_on: self.due_on.get().parse().ok(),
            trigger: Some(self.trigger.get()).filter(|t| !t.trim().is_empty()),
            share,
        })
    }
}

#[component]
fn DraftEditor(contract: RwSignal<ContractView>) -> impl IntoView {
    let i18n = use_i18n();
    let k = contract.get_untracked();
    let id = k.id;
    let kind = RwSignal::new(k.kind.code().to_owned());
    let party_a = RwSignal::new(k.party_a.clone());
    let party_b = RwSignal::new(k.party_b.clone());
    let amount = RwSignal::new(yuan_text(k.amount_fen));
    let payment = RwSignal::new(k.payment_terms.clone().unwrap_or_default());
    let delivery = RwSignal::new(k.delivery_terms.clone().unwrap_or_default());
    let acceptance = RwSignal::new(k.acceptance_terms.clone().unwrap_or_default());
    let starts = RwSignal::new(k.starts_on.map(|d| d.to_string()).unwrap_or_default());
    let ends = RwSignal::new(k.ends_on.map(|d| d.to_string()).unwrap_or_default());
    let next_key = StoredValue::new(k.milestones.len() as u32);
    let rows = RwSignal::new(k.milestones.iter().enumerate().map(|(i, m)| MilestoneEdit::new(i as u32, Some(m))).collect::<Vec<_>>());
    let local_error: RwSignal<Option<AppError>> = RwSignal::new(None);
    let save = Action::new(move |d: &ContractDraft| {
        let (d, v) = (d.clone(), contract.with_untracked(|k| k.version));
        async move { save_contract(id, d, v).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(k)) = save.value().get() {
            contract.set(k);
        }
    });
    let draft = move || -> Result<ContractDraft, AppError> {
        let opt = |s: String| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        let amount_fen =
            parse_yuan(amount.get().trim()).ok_or_else(|| AppError::validation("amount", "an amount in yuan, like 1200000.00"))?;
        let milestones = rows.with(|rs| rs.iter().enumerate().map(|(i, r)| r.input(i)).collect::<Result<Vec<_>, _>>())?;
        Ok(ContractDraft {
            kind: ContractType::parse(&kind.get()).unwrap_or(ContractType::Mixed),
            party_a: Some(party_a.get()),
            party_b: Some(party_b.get()),
            amount_fen: Some(amount_fen),
            payment_terms: opt(payment.get()),
            delivery_terms: opt(delivery.get()),
            acceptance_terms: opt(acceptance.get()),
            starts_on: starts.get().parse().ok(),
            ends_on: ends.get().parse().ok(),
            milestones,
        })
    };
    let input = move |key: K, sig: RwSignal<String>, tid: &'static str, ty: &'static str| {
        view! {
            <div class="field">
                <label for=tid>{move || i18n.t(key)}</label>
                <input id=tid type=ty data-testid=tid prop:value=move || sig.get() on:input=move |ev| sig.set(event_target_value(&ev))/>
            </div>
        }
    };
    let text = move |key: K, sig: RwSignal<String>, tid: &'static str| {
        view! {
            <div class="field">
                <label for=tid>{move || i18n.t(key)}</label>
                <textarea id=tid data-testid=tid rows="2" prop:value=move || sig.get() on:input=move |ev| sig.set(event_target_value(&ev))></textarea>
            </div>
        }
    };
    view! {
        <form class="panel" data-testid="contract-editor" on:submit=move |ev| {
            ev.prevent_default();
            match draft() {
                Ok(d) => { local_error.set(None); save.dispatch(d); }
                Err(e) => local_error.set(Some(e)),
            }
        }>
            <div class="q-head-grid">
                <div class="field">
                    <label for="k-kind">{move || i18n.t(K::ContractKind)}</label>
                    <select id="k-kind" data-testid="k-kind" prop:value=move || kind.get() on:change=move |ev| kind.set(event_target_value(&ev))>
                        {ContractType::ALL.into_iter().map(|t| view! { <option value=t.code()>{move || contract_type(i18n.locale(), t)}</option> }).collect_view()}
                    </select>
                </div>
                {input(K::ContractAmount, amount, "k-amount", "text")}
                {input(K::ContractPartyA, party_a, "k-party-a", "text")}
                {input(K::ContractPartyB, party_b, "k-party-b", "text")}
                {input(K::ContractStarts, starts, "k-starts", "date")}
                {input(K::ContractEnds, ends, "k-ends", "date")}
            </div>
            {text(K::ContractPaymentTerms, payment, "k-payment")}
            {text(K::ContractDeliveryTerms, delivery, "k-delivery")}
            {text(K::ContractAcceptanceTerms, acceptance, "k-acceptance")}
            <h3 class="panel-subtitle">{move || i18n.t(K::MilestonesTitle)}</h3>
            <p class="cell-sub">{move || i18n.t(K::MilestoneSumHint)}</p>
            <div class="table-wrap">
                <table class="table" data-testid="milestone-editor">
                    <thead><tr>
                        <th>"#"</th>
                        <th>{move || i18n.t(K::MilestoneKindCol)}</th>
                        <th>{move || i18n.t(K::MilestoneDue)}</th>
                        <th>{move || i18n.t(K::MilestoneTrigger)}</th>
                        <th>{move || i18n.t(K::MilestoneShare)}</th>
                        <th></th>
                    </tr></thead>
                    <tbody>
                        <For each=move || rows.get().into_iter().enumerate() key=|(_, r)| r.key let:item>
                            {
                                let (i, r) = item;
                                let key = r.key;
                                view! {
                                    <tr data-testid="milestone-row">
                                        <td>{i + 1}</td>
                                        <td><select data-testid="m-kind" aria-label="milestone" prop:value=move || r.kind.get() on:change=move |ev| r.kind.set(event_target_value(&ev))>
                                            {MilestoneKind::ALL.into_iter().map(|m| view! { <option value=m.code()>{move || milestone_kind(i18n.locale(), m)}</option> }).collect_view()}
                                        </select></td>
                                        <td><DateField testid="m-due" label=K::ChecklistDue value=r.due_on on_input=Callback::new(move |v| r.due_on.set(v))/></td>
                                        <td><input type="text" data-testid="m-trigger" aria-label="trigger" prop:value=move || r.trigger.get() on:input=move |ev| r.trigger.set(event_target_value(&ev))/></td>
                                        <td><input type="text" data-testid="m-share" aria-label="share" prop:value=move || r.share.get() on:input=move |ev| r.share.set(event_target_value(&ev))/></td>
                                        <td><button type="button" class="btn btn-ghost" data-testid="m-remove"
                                            on:click=move |_| rows.update(|rs| rs.retain(|x| x.key != key))>{move || i18n.t(K::MilestoneRemove)}</button></td>
                                    </tr>
                                }
                            }
                        </For>
                    </tbody>
                </table>
            </div>
            <div class="form-actions">
                <button type="button" class="btn" data-testid="m-add" on:click=move |_| {
                    let key = next_key.get_value();
                    next_key.set_value(key + 1);
                    rows.update(|rs| rs.push(MilestoneEdit::new(key, None)));
                }>{move || i18n.t(K::MilestoneAdd)}</button>
                <button type="submit" class="btn btn-primary" data-testid="contract-save" disabled=move || save.pending().get()>{move || i18n.t(K::ContractSave)}</button>
                {move || matches!(save.value().get(), Some(Ok(_))).then(|| view! { <span class="muted" data-testid="contract-saved">{move || i18n.t(K::ContractSaved)}</span> })}
            </div>
            {move || local_error.get().or_else(|| save.value().get().and_then(|r| r.err())).map(|e| view! {
                <p class="field-error" role="alert" data-testid="contract-save-error">{move || error_message(i18n.locale(), &e)}</p>
            })}
        </form>
    }
}

#[component]
fn SignBox(contract: RwSignal<ContractView>) -> impl IntoView {
    let i18n = use_i18n();
    let id = contract.with_untracked(|k| k.id);
    let today = crate::components::clock::now_utc().with_timezone(&crate::components::clock::local_offset()).date_naive();
    let on = RwSignal::new(today.to_string());
    let who = RwSignal::new(String::new());
    let method = RwSignal::new("paper".to_owned());
    let sign = Action::new(move |s: &SignInput| {
        let (s, v) = (s.clone(), contract.with_untracked(|k| k.version));
        async move { sign_contract(id, s, v).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(k)) = sign.value().get() {
            contract.set(k);
        }
    });
    let bad_date: RwSignal<bool> = RwSignal::new(false);
    view! {
        <form class="panel" data-testid="contract-sign" on:submit=move |ev| {
            ev.prevent_default();
            match on.get().parse() {
                Ok(d) => {
                    bad_date.set(false);
                    sign.dispatch(SignInput { signed_on: d, signatory: who.get(), method: SignMethod::parse(&method.get()).unwrap_or(SignMethod::Paper) });
                }
                Err(_) => bad_date.set(true),
            }
        }>
            <h2 class="panel-title">{move || i18n.t(K::ContractSign)}</h2>
            <div class="q-head-grid">
                <div class="field" class:field-invalid=move || bad_date.get()>
                    <label for="k-signed-on">{move || i18n.t(K::ContractSignedOn)}</label>
                    <DateField id="k-signed-on" testid="k-signed-on" value=on on_input=Callback::new(move |v| on.set(v))/>
                </div>
                <div class="field">
                    <label for="k-signatory">{move || i18n.t(K::ContractSignatory)}</label>
                    <input id="k-signatory" type="text" data-testid="k-signatory" prop:value=move || who.get() on:input=move |ev| who.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="k-method">{move || i18n.t(K::ContractSignMethod)}</label>
                    <select id="k-method" data-testid="k-method" prop:value=move || method.get() on:change=move |ev| method.set(event_target_value(&ev))>
                        <option value="paper">{move || i18n.t(K::SignPaper)}</option>
                        <option value="e_seal">{move || i18n.t(K::SignESeal)}</option>
                    </select>
                </div>
            </div>
            <div class="form-actions">
                <button type="submit" class="btn btn-primary" data-testid="contract-sign-submit" disabled=move || sign.pending().get()>{move || i18n.t(K::ContractSign)}</button>
            </div>
            {move || sign.value().get().and_then(|r| r.err()).map(|e| view! { <p class="field-error" role="alert">{move || error_message(i18n.locale(), &e)}</p> })}
        </form>
    }
}

/// The milestones with what is received and still owed; once signed, receipts are recorded
/// here.
#[component]
fn Milestones(contract: RwSignal<ContractView>) -> impl IntoView {
    let i18n = use_i18n();
    let id = contract.with_untracked(|k| k.id);
    let today = crate::components::clock::now_utc().with_timezone(&crate::components::clock::local_offset()).date_naive();
    let milestone = RwSignal::new("1".to_owned());
    let on = RwSignal::new(today.to_string());
    let amount = RwSignal::new(String::new());
    let reference = RwSignal::new(String::new());
    let local_error: RwSignal<Option<AppError>> = RwSignal::new(None);
    let receive = Action::new(move |r: &ReceiptInput| {
        let (r, v) = (r.clone(), contract.with_untracked(|k| k.version));
        async move { record_receipt(id, r, v).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(k)) = receive.value().get() {
            amount.set(String::new());
            reference.set(String::new());
            contract.set(k);
        }
    });
    let receiving = move || contract.with(|k| k.may_work && k.status == ContractStatus::Signed);
    view! {
        <section class="panel" data-testid="contract-milestones">
            <h2 class="panel-title">{move || i18n.t(K::MilestonesTitle)}</h2>
            <div class="table-wrap">
                <table class="table">
                    <thead><tr>
                        <th>"#"</th>
                        <th>{move || i18n.t(K::MilestoneKindCol)}</th>
                        <th>{move || i18n.t(K::MilestoneDue)}</th>
                        <th class="num">{move || i18n.t(K::ContractAmount)}</th>
                        <th class="num">{move || i18n.t(K::MilestoneReceived)}</th>
                        <th class="num">{move || i18n.t(K::MilestoneOutstanding)}</th>
                    </tr></thead>
                    <tbody>
                        {move || contract.with(|k| k.milestones.clone()).into_iter().map(|m| view! {
                            <tr data-testid="milestone" data-overdue=(m.overdue_days > 0).to_string()>
                                <td>{m.position}</td>
                                <td>{move || milestone_kind(i18n.locale(), m.kind)}
                                    <span class="cell-sub">{match m.share { Share::PercentBp(bp) => format!("{} %", format_percent(i64::from(bp))), Share::AmountFen(_) => String::new() }}</span></td>
                                <td>{m.due_on.map(|d| view! { <DateText date=d/> })}{m.trigger.clone().map(|t| view! { <span class="cell-sub">{t}</span> })}
                                    {(m.overdue_days > 0).then(|| view! { <span class="badge badge-danger" data-testid="overdue-badge">{m.overdue_days} " " {move || i18n.t(K::MilestoneDaysOverdue)}</span> })}</td>
                                <td class="num"><Money fen=m.amount_fen/></td>
                                <td class="num" data-testid="m-received"><Money fen=m.received_fen/></td>
                                <td class="num"><Money fen=m.amount_fen - m.received_fen/></td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            {move || receiving().then(|| view! {
                <form class="q-inline receipt-form" data-testid="receipt-form" on:submit=move |ev| {
                    ev.prevent_default();
                    let Some(fen) = parse_yuan(amount.get().trim()) else {
                        local_error.set(Some(AppError::validation("amount", "an amount in yuan")));
                        return;
                    };
                    let Ok(date) = on.get().parse() else {
                        local_error.set(Some(AppError::validation("received_on", "a date")));
                        return;
                    };
                    local_error.set(None);
                    receive.dispatch(ReceiptInput {
                        milestone: milestone.get().parse().unwrap_or(1),
                        received_on: date,
                        amount_fen: fen,
                        reference: Some(reference.get()).filter(|r| !r.trim().is_empty()),
                    });
                }>
                    <strong>{move || i18n.t(K::ReceiptRecord)}</strong>
                    <select data-testid="r-milestone" aria-label=move || i18n.t(K::MilestoneKindCol) prop:value=move || milestone.get() on:change=move |ev| milestone.set(event_target_value(&ev))>
                        {move || contract.with(|k| k.milestones.clone()).into_iter().map(|m| view! {
                            <option value=m.position.to_string()>{m.position} ". " {move || milestone_kind(i18n.locale(), m.kind)}</option>
                        }).collect_view()}
                    </select>
                    <DateField testid="r-date" label=K::ReceiptDate value=on on_input=Callback::new(move |v| on.set(v))/>
                    <input type="text" inputmode="decimal" data-testid="r-amount" placeholder=move || i18n.t(K::ReceiptAmount) aria-label=move || i18n.t(K::ReceiptAmount)
                        prop:value=move || amount.get() on:input=move |ev| amount.set(event_target_value(&ev))/>
                    <input type="text" data-testid="r-reference" placeholder=move || i18n.t(K::ReceiptReference) aria-label=move || i18n.t(K::ReceiptReference)
                        prop:value=move || reference.get() on:input=move |ev| reference.set(event_target_value(&ev))/>
                    <button type="submit" class="btn btn-primary" data-testid="r-submit" disabled=move || receive.pending().get()>{move || i18n.t(K::ReceiptRecord)}</button>
                </form>
                {move || local_error.get().or_else(|| receive.value().get().and_then(|r| r.err())).map(|e| view! {
                    <p class="field-error" role="alert" data-testid="receipt-error">{move || error_message(i18n.locale(), &e)}</p>
                })}
            })}
            {move || {
                let rs = contract.with(|k| k.receipts.clone());
                (!rs.is_empty()).then(|| view! {
                    <h3 class="panel-subtitle">{move || i18n.t(K::ReceiptsTitle)}</h3>
                    <ul class="receipts" data-testid="receipts">
                        {rs.into_iter().map(|r| view! {
                            <li><DateText date=r.received_on/> " · #" {r.milestone} " · " <Money fen=r.amount_fen/>
                                {r.reference.clone().map(|x| view! { " · " {x} })} " · " {r.recorded_by.clone()}</li>
                        }).collect_view()}
                    </ul>
                })
            }}
        </section>
    }
}
