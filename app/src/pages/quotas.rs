//! `/quotas`: the quota editor for managers (their teams' sellers) and admins (everyone):
//! reps × the four quarters of a year, in yuan, with totals per rep and per quarter that
//! follow what is typed. A row or the whole grid saves in one transaction; a refused cell
//! carries its reason and then nothing of that save is written.
use crate::api::quota::{load_quota_grid, save_quotas};
use crate::components::money::Money;
use crate::components::states::{EmptyState, ErrorNotice, Skeleton};
use crate::domain::error::AppError;
use crate::domain::money::parse_yuan;
use crate::domain::quota_grid::{QuotaCellEdit, QuotaGrid, QuotaSave};
use crate::i18n::{error_message, use_i18n, K};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use std::collections::HashMap;

type Cell = (uuid::Uuid, u8);

/// Fen as the yuan a user types: whole yuan without separators, cents only when there are.
fn yuan_text(fen: i64) -> String {
    if fen % 100 == 0 {
        (fen / 100).to_string()
    } else {
        format!("{}.{:02}", fen / 100, (fen % 100).abs())
    }
}

#[component]
pub fn QuotasPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let year = move || query.read().get("year").and_then(|y| y.parse::<i32>().ok());
    let grid = Resource::new(year, load_quota_grid);
    view! {
        <Title text=move || i18n.t(K::QuotasTitle).to_owned()/>
        <Transition fallback=|| view! { <Skeleton rows=8/> }>
            {move || grid.get().map(|r| match r {
                Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                Ok(g) => view! { <QuotaEditor grid=g/> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn QuotaEditor(grid: QuotaGrid) -> impl IntoView {
    let i18n = use_i18n();
    let year = grid.year;
    let stored = RwSignal::new(grid);
    // What was typed and not saved yet, by (person, quarter).
    let drafts = RwSignal::new(HashMap::<Cell, String>::new());
    // Why a cell was refused (typed text that is no amount, or the server's reason).
    let refused = RwSignal::new(HashMap::<Cell, String>::new());
    let form_error = RwSignal::new(None::<AppError>);
    let sent = RwSignal::new(Vec::<Cell>::new());
    let saved = RwSignal::new(false);
    let saving = Action::new(move |cells: &Vec<QuotaCellEdit>| save_quotas(year, cells.clone()));
    Effect::new(move |_| match saving.value().get() {
        Some(Ok(QuotaSave { grid, errors })) if errors.is_empty() => {
            let done = sent.get_untracked();
            drafts.update(|d| d.retain(|k, _| !done.contains(k)));
            refused.update(|r| r.retain(|k, _| !done.contains(k)));
            stored.set(grid);
            saved.set(true);
        }
        Some(Ok(QuotaSave { grid, errors })) => {
            // Another editor's newer figures show under what was typed; saving again overwrites them.
            stored.set(grid);
            refused.update(|r| {
                for e in errors {
                    r.insert((e.user_id, e.quarter), e.message);
                }
            });
        }
        Some(Err(e)) => form_error.set(Some(e)),
        None => {}
    });
    let stored_amount =
        move |(u, q): Cell| stored.with(|g| g.rows.iter().find(|r| r.user_id == u).and_then(|r| r.cells[usize::from(q)].amount_fen));
    // A cell's amount as the totals count it: what is typed when it parses, else what is stored.
    let effective = move |c: Cell| drafts.with(|d| d.get(&c).and_then(|t| parse_yuan(t))).or_else(|| stored_amount(c)).unwrap_or(0);
    let row_total = move |u: uuid::Uuid| (0..4u8).map(|q| effective((u, q))).fold(0i64, i64::saturating_add);
    let col_total = move |q: u8| {
        stored
            .with(|g| g.rows.iter().map(|r| r.user_id).collect::<Vec<_>>())
            .into_iter()
            .map(|u| effective((u, q)))
            .fold(0i64, i64::saturating_add)
    };
    let grand = move || (0..4u8).map(col_total).fold(0i64, i64::saturating_add);
    // Sends the typed cells of `who` (None: everyone); any cell that is no amount stops the save.
    let save = move |who: Option<uuid::Uuid>| {
        saved.set(false);
        form_error.set(None);
        let typed: Vec<(Cell, String)> =
            drafts.with_untracked(|d| d.iter().filter(|((u, _), _)| who.is_none_or(|w| w == *u)).map(|(k, v)| (*k, v.clone())).collect());
        let mut cells = Vec::new();
        let mut bad = Vec::new();
        for ((u, q), text) in typed {
            match parse_yuan(&text) {
                Some(fen) => {
                    let read =
                        stored.with_untracked(|g| g.rows.iter().find(|r| r.user_id == u).and_then(|r| r.cells[usize::from(q)].version));
                    cells.push(QuotaCellEdit { user_id: u, quarter: q, amount_fen: fen, read_version: Some(read.unwrap_or(0)) })
                }
                None => bad.push((u, q)),
            }
        }
        refused.update(|r| r.retain(|(u, _), _| who.is_some_and(|w| w != *u)));
        if !bad.is_empty() {
            let msg = i18n.t(K::QuotasBadAmount).to_owned();
            refused.update(|r| {
                bad.into_iter().for_each(|c| {
                    r.insert(c, msg.clone());
                })
            });
            return;
        }
        if cells.is_empty() {
            return;
        }
        sent.set(cells.iter().map(|c| (c.user_id, c.quarter)).collect());
        saving.dispatch(cells);
    };
    let dirty = move || drafts.with(|d| !d.is_empty());
    view! {
        <div class="page-head">
            <div>
                <h1>{move || i18n.t(K::QuotasTitle)}</h1>
                <p class="lead">{move || i18n.t(K::QuotasLead)}</p>
            </div>
            <div class="head-actions quota-year">
                <a class="btn btn-sm" href=format!("/quotas?year={}", year - 1) data-testid="quota-prev-year" aria-label=format!("{}", year - 1)>"‹"</a>
                <span data-testid="quota-year"><span class="sr-only">{move || i18n.t(K::QuotasYear)}</span>{year}</span>
                <a class="btn btn-sm" href=format!("/quotas?year={}", year + 1) data-testid="quota-next-year" aria-label=format!("{}", year + 1)>"›"</a>
                <button type="button" class="btn btn-primary" data-testid="quota-save-all" disabled=move || saving.pending().get() || !dirty()
                    on:click=move |_| save(None)>{move || i18n.t(K::QuotasSaveAll)}</button>
                // The year's quarters, as the grid shows them.
                <crate::components::export_links::ExportLinks list="quotas" query=format!("from={year}-01-01&to={year}-12-31")/>
            </div>
        </div>
        <p class="form-actions" role="status">
            {move || form_error.get().map(|e| view! { <span class="field-error" role="alert" data-testid="quota-error">{error_message(i18n.locale(), &e)}</span> })}
            {move || dirty().then(|| view! { <span class="chip chip-amber" data-testid="quota-unsaved">{move || i18n.t(K::QuotasUnsaved)}</span> })}
            {move || (saved.get() && !dirty()).then(|| view! { <span class="saved" data-testid="quota-saved">"✓ " {move || i18n.t(K::Saved)}</span> })}
        </p>
        {move || stored.with(|g| g.rows.is_empty()).then(|| view! { <div class="panel"><EmptyState text=K::QuotasEmpty/></div> })}
        <Show when=move || stored.with(|g| !g.rows.is_empty())>
            <div class="panel table-wrap">
                <table class="table quota-table" data-testid="quota-grid">
                    <thead>
                        <tr>
                            <th class="sticky-col">{move || i18n.t(K::QuotasPerson)}</th>
                            {(1..=4).map(|q| view! { <th class="right">{format!("Q{q}")}</th> }).collect_view()}
                            <th class="right">{move || i18n.t(K::QuotasTotal)}</th>
                            <th><span class="sr-only">{move || i18n.t(K::QuotasSaveRow)}</span></th>
                        </tr>
                    </thead>
                    <tbody>
                        <For each=move || stored.with(|g| g.rows.clone()) key=|r| r.user_id let:r>
                            {
                                let u = r.user_id;
                                let name = r.name.clone();
                                let row_dirty = move || drafts.with(|d| d.keys().any(|(w, _)| *w == u));
                                view! {
                                    <tr data-testid="quota-row" data-email=r.email.clone()>
                                        <td class="sticky-col"><span class="cell-title">{r.name.clone()}</span><span class="cell-sub">{r.team.clone()}</span></td>
                                        {(0..4u8).map(|q| {
                                            let label = format!("Q{} · {}", q + 1, name);
                                            view! {
                                                <td class="right" class:quota-dirty=move || drafts.with(|d| d.contains_key(&(u, q)))>
                                                    <input type="text" inputmode="decimal" data-testid="quota-cell" data-quarter=q.to_string() aria-label=label
                                                        disabled=!r.editable
                                                        prop:value=move || drafts.with(|d| d.get(&(u, q)).cloned()).unwrap_or_else(|| stored_amount((u, q)).map(yuan_text).unwrap_or_default())
                                                        on:input=move |ev| { let v = event_target_value(&ev); saved.set(false); drafts.update(|d| { d.insert((u, q), v); }); }/>
                                                    {move || refused.with(|m| m.get(&(u, q)).cloned()).map(|m| view! {
                                                        <span class="field-error cell-error" role="alert" data-testid="quota-cell-error">{m}</span>
                                                    })}
                                                </td>
                                            }
                                        }).collect_view()}
                                        <td class="right num" data-testid="quota-row-total">{move || view! { <Money fen=row_total(u)/> }}</td>
                                        <td>
                                            <button type="button" class="btn btn-sm" data-testid="quota-save-row" disabled=move || saving.pending().get() || !row_dirty()
                                                on:click=move |_| save(Some(u))>{move || i18n.t(K::QuotasSaveRow)}</button>
                                        </td>
                                    </tr>
                                }
                            }
                        </For>
                    </tbody>
                    <tfoot>
                        <tr>
                            <td class="sticky-col">{move || i18n.t(K::QuotasTotal)}</td>
                            {(0..4u8).map(|q| view! { <td class="right num" data-testid="quota-col-total" data-quarter=q.to_string()>{move || view! { <Money fen=col_total(q)/> }}</td> }).collect_view()}
                            <td class="right num" data-testid="quota-grand-total">{move || view! { <Money fen=grand()/> }}</td>
                            <td></td>
                        </tr>
                    </tfoot>
                </table>
            </div>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::yuan_text;

    #[test]
    fn yuan_as_typed() {
        assert_eq!(yuan_text(150_000_000), "1500000");
        assert_eq!(yuan_text(12_345), "123.45");
        assert_eq!(yuan_text(5), "0.05");
        assert_eq!(yuan_text(0), "0");
    }
}
