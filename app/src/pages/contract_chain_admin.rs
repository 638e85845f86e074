//! /admin/contract-chain: the table that decides who approves a contract. One row per rule
//! (a contract type or any, from an amount up, the approvers in order); the whole table saves
//! at once, and "reset" puts the shipped chain back in the form, still to be saved.
use crate::api::contract::{load_contract_chain, save_contract_chain};
use crate::components::states::{ErrorNotice, Skeleton};
use crate::domain::contract::{default_chain, Approver, ChainRule, ContractType};
use crate::domain::error::AppError;
use crate::domain::locale::Locale;
use crate::domain::money::{format_exact, parse_yuan};
use crate::i18n::{contract_approver, contract_type, error_message, t, use_i18n, K};
use leptos::prelude::*;
use leptos_meta::Title;

/// The service takes at most this many rules.
const MAX_RULES: usize = 50;

/// One rule as typed. The local key lets a row keep what was typed while others come and go.
#[derive(Clone, Debug, PartialEq)]
struct RuleEdit {
    key: u64,
    /// A contract type's code, or empty for any type.
    kind: String,
    /// Yuan as typed; empty is 0.
    amount: String,
    steps: Vec<Approver>,
}

impl RuleEdit {
    fn of(key: u64, r: &ChainRule) -> Self {
        RuleEdit {
            key,
            kind: r.contract_type.map(|t| t.code().to_owned()).unwrap_or_default(),
            amount: yuan_text(r.min_amount_fen),
            steps: r.steps.clone(),
        }
    }

    fn fen(&self) -> Option<i64> {
        let s = self.amount.trim();
        if s.is_empty() {
            Some(0)
        } else {
            parse_yuan(s)
        }
    }

    fn rule(&self) -> Option<ChainRule> {
        Some(ChainRule { contract_type: ContractType::parse(&self.kind), min_amount_fen: self.fen()?, steps: self.steps.clone() })
    }
}

/// Fen as yuan to type over: whole yuan without decimals (5000000), else two (1200.50).
fn yuan_text(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let abs = fen.unsigned_abs();
    if abs.is_multiple_of(100) {
        format!("{sign}{}", abs / 100)
    } else {
        format!("{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

/// A refused table in words; the service's checks name `steps`, `min_amount` or `rules`.
fn chain_error(l: Locale, e: &AppError) -> String {
    let key = match e {
        AppError::Validation { field, message } if field == "steps" => {
            Some(if message.contains("twice") { K::ChainErrTwice } else { K::ChainErrNoSteps })
        }
        AppError::Validation { field, .. } if field == "min_amount" => Some(K::ChainErrAmount),
        AppError::Validation { field, .. } if field == "rules" => Some(K::ChainErrCount),
        _ => None,
    };
    key.map_or_else(|| error_message(l, e), |k| t(l, k).to_owned())
}

fn edit(rows: RwSignal<Vec<RuleEdit>>, key: u64, f: impl FnOnce(&mut RuleEdit)) {
    rows.update(|rs| {
        if let Some(r) = rs.iter_mut().find(|r| r.key == key) {
            f(r);
        }
    });
}

#[component]
pub fn ContractChainAdminPage() -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(|| (), |_| load_contract_chain());
    view! {
        <Title text=move || i18n.t(K::ChainAdminTitle).to_owned()/>
        <div class="page-head">
            <div>
                <p class="crumb"><a href="/admin">{move || i18n.t(K::BackToAdmin)}</a></p>
                <h1>{move || i18n.t(K::ChainAdminTitle)}</h1>
                <p class="lead">{move || i18n.t(K::ChainAdminLead)}</p>
            </div>
        </div>
        <Transition fallback=|| view! { <Skeleton rows=4/> }>
            {move || {
                data.get().map(|r| match r {
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    Ok(rules) => view! { <ChainEditor rules=rules/> }.into_any(),
                })
            }}
        </Transition>
    }
}

#[component]
fn ChainEditor(rules: Vec<ChainRule>) -> impl IntoView {
    let i18n = use_i18n();
    let next_key = StoredValue::new(0u64);
    let fresh = move |rules: &[ChainRule]| -> Vec<RuleEdit> {
        rules
            .iter()
            .map(|r| {
                let key = next_key.get_value();
                next_key.set_value(key + 1);
                RuleEdit::of(key, r)
            })
            .collect()
    };
    let rows = RwSignal::new(fresh(&rules));
    // What the server holds, to tell unsaved edits.
    let saved = RwSignal::new(rules);
    let status: RwSignal<Option<Result<(), AppError>>> = RwSignal::new(None);
    let save = Action::new(move |rules: &Vec<ChainRule>| {
        let rules = rules.clone();
        async move { save_contract_chain(rules).await }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(r)) => {
            rows.set(fresh(&r));
            saved.set(r);
            status.set(Some(Ok(())));
        }
        Some(Err(e)) => status.set(Some(Err(e))),
        None => {}
    });
    let dirty = Memo::new(move |_| {
        let now = rows.with(|rs| rs.iter().map(RuleEdit::rule).collect::<Option<Vec<_>>>());
        saved.with(|s| now.as_ref() != Some(s))
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if save.pending().get_untracked() {
            return;
        }
        match rows.with_untracked(|rs| rs.iter().map(RuleEdit::rule).collect::<Option<Vec<_>>>()) {
            Some(rules) => {
                status.set(None);
                save.dispatch(rules);
            }
            None => status.set(Some(Err(AppError::validation("min_amount", "an amount in yuan")))),
        }
    };
    let add_rule = move |_| {
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        rows.update(|rs| {
            if rs.len() < MAX_RULES {
                rs.push(RuleEdit { key, kind: String::new(), amount: String::new(), steps: Vec::new() });
            }
        });
    };
    let reset = move |_| {
        rows.set(fresh(&default_chain()));
        status.set(None);
    };
    view! {
        <form class="panel" data-testid="chain-form" on:submit=submit>
            <p class="lead chain-explain" data-testid="chain-explain">{move || i18n.t(K::ChainAdminExplain)}</p>
            <div class="table-wrap">
                <table class="table chain-table" data-testid="chain-table">
                    <thead><tr>
                        <th class="num">"#"</th>
                        <th>{move || i18n.t(K::ContractKind)}</th>
                        <th>{move || i18n.t(K::ChainFromAmount)}</th>
                        <th>{move || i18n.t(K::ChainSteps)}</th>
                        <th></th>
                    </tr></thead>
                    <tbody>
                        <For each=move || rows.get() key=|r| r.key let:r>
                            <RuleRow key=r.key rows=rows/>
                        </For>
                    </tbody>
                </table>
            </div>
            <div class="form-actions chain-actions">
                {move || match status.get() {
                    Some(Err(e)) => Some(view! {
                        <span class="field-error" role="alert" data-testid="chain-error">{move || chain_error(i18n.locale(), &e)}</span>
                    }.into_any()),
                    _ if dirty.get() => Some(view! { <span class="muted" data-testid="chain-unsaved">{move || i18n.t(K::ChainUnsaved)}</span> }.into_any()),
                    Some(Ok(())) => Some(view! { <span class="saved" role="status" data-testid="chain-saved">"✓ " {move || i18n.t(K::Saved)}</span> }.into_any()),
                    None => None,
                }}
                <button type="button" class="btn" data-testid="chain-add-rule" on:click=add_rule
                    disabled=move || rows.with(|rs| rs.len() >= MAX_RULES)>{move || i18n.t(K::ChainAddRule)}</button>
                <button type="button" class="btn" data-testid="chain-reset" on:click=reset>{move || i18n.t(K::ChainReset)}</button>
                <button type="submit" class="btn btn-primary" data-testid="chain-save" disabled=move || save.pending().get()>{move || i18n.t(K::Save)}</button>
            </div>
        </form>
    }
    .into_any()
}

/// One rule: its type, its threshold and its steps, each step movable and removable, and a
/// select of the approvers not yet in the chain.
#[component]
fn RuleRow(key: u64, rows: RwSignal<Vec<RuleEdit>>) -> impl IntoView {
    let i18n = use_i18n();
    let pick = move |f: fn(&RuleEdit) -> String| rows.with(|rs| rs.iter().find(|r| r.key == key).map(f).unwrap_or_default());
    let kind = Memo::new(move |_| pick(|r| r.kind.clone()));
    let amount = Memo::new(move |_| pick(|r| r.amount.clone()));
    let fen = Memo::new(move |_| rows.with(|rs| rs.iter().find(|r| r.key == key).and_then(RuleEdit::fen)).filter(|f| *f >= 0));
    let steps = Memo::new(move |_| rows.with(|rs| rs.iter().find(|r| r.key == key).map(|r| r.steps.clone()).unwrap_or_default()));
    let position = Memo::new(move |_| rows.with(|rs| rs.iter().position(|r| r.key == key).map_or(0, |i| i + 1)));
    view! {
        <tr data-testid="chain-rule">
            <td class="num muted">{move || position.get()}</td>
            <td>
                <select data-testid="rule-kind" aria-label=move || i18n.t(K::ContractKind) prop:value=move || kind.get()
                    on:change=move |ev| { let v = event_target_value(&ev); edit(rows, key, |r| r.kind = v); }>
                    <option value="">{move || i18n.t(K::ChainAnyType)}</option>
                    {ContractType::ALL.into_iter().map(|c| view! { <option value=c.code()>{move || contract_type(i18n.locale(), c)}</option> }).collect_view()}
                </select>
            </td>
            <td class:cell-invalid=move || fen.get().is_none()>
                <input type="text" inputmode="decimal" placeholder="0" data-testid="rule-amount" aria-label=move || i18n.t(K::ChainFromAmount)
                    aria-invalid=move || fen.get().is_none().to_string() prop:value=move || amount.get()
                    on:input=move |ev| { let v = event_target_value(&ev); edit(rows, key, |r| r.amount = v); }/>
                <span class="cell-sub" data-testid="rule-amount-read">{move || fen.get().map_or_else(|| "—".to_owned(), |f| format_exact(f, "CNY"))}</span>
            </td>
            <td>
                <ol class="chain-steps" data-testid="rule-steps">
                    {move || {
                        let s = steps.get();
                        let n = s.len();
                        s.into_iter().enumerate().map(|(i, a)| view! {
                            <li class="chain-chip" data-testid="rule-step" data-approver=a.code()>
                                <span class="chain-dot">{i + 1}</span>
                                <span class="chain-chip-name" data-testid="rule-step-name">{move || contract_approver(i18n.locale(), a)}</span>
                                <button type="button" class="btn btn-icon" data-testid="step-up" disabled=i == 0
                                    title=move || i18n.t(K::MoveUp) aria-label=move || i18n.t(K::MoveUp)
                                    on:click=move |_| edit(rows, key, |r| if i > 0 && i < r.steps.len() { r.steps.swap(i, i - 1) })>"↑"</button>
                                <button type="button" class="btn btn-icon" data-testid="step-down" disabled={i + 1 >= n}
                                    title=move || i18n.t(K::MoveDown) aria-label=move || i18n.t(K::MoveDown)
                                    on:click=move |_| edit(rows, key, |r| if i + 1 < r.steps.len() { r.steps.swap(i, i + 1) })>"↓"</button>
                                <button type="button" class="btn btn-icon" data-testid="step-remove"
                                    title=move || i18n.t(K::Remove) aria-label=move || i18n.t(K::Remove)
                                    on:click=move |_| edit(rows, key, |r| if i < r.steps.len() { r.steps.remove(i); })>"✕"</button>
                            </li>
                        }).collect_view()
                    }}
                </ol>
                {move || steps.with(Vec::is_empty).then(|| view! {
                    <span class="field-error" data-testid="rule-no-steps">{move || i18n.t(K::ChainNoSteps)}</span>
                })}
                {move || {
                    // Drawn anew after each change, so it shows its prompt again.
                    let left: Vec<Approver> = steps.with(|s| Approver::ALL.into_iter().filter(|a| !s.contains(a)).collect());
                    (!left.is_empty()).then(|| view! {
                        <select class="chain-add" data-testid="rule-add-step" aria-label=move || i18n.t(K::ChainAddStep)
                            on:change=move |ev| {
                                if let Some(a) = Approver::parse(&event_target_value(&ev)) {
                                    edit(rows, key, |r| if !r.steps.contains(&a) { r.steps.push(a) });
                                }
                            }>
                            <option value="">{move || i18n.t(K::ChainAddStep)}</option>
                            {left.into_iter().map(|a| view! { <option value=a.code()>{move || contract_approver(i18n.locale(), a)}</option> }).collect_view()}
                        </select>
                    })
                }}
            </td>
            <td class="row-actions">
                <button type="button" class="btn btn-sm btn-ghost" data-testid="rule-delete"
                    on:click=move |_| rows.update(|rs| rs.retain(|r| r.key != key))>{move || i18n.t(K::ChainDeleteRule)}</button>
            </td>
        </tr>
    }
    .into_any()
}
