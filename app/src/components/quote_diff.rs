//! Two revisions of a quote side by side: lines added, removed or changed (the old value
//! struck through beside the new), then the totals with their difference.
use crate::domain::money::format_exact;
use crate::domain::quote::diff::{lines, Change, Field, LineDiff};
use crate::domain::quote::dto::QuoteView;
use crate::domain::quote::{format_percent, format_qty};
use crate::i18n::{use_i18n, K};
use leptos::prelude::*;

fn change_label(c: Change) -> K {
    match c {
        Change::Added => K::DiffAdded,
        Change::Removed => K::DiffRemoved,
        Change::Changed => K::DiffChanged,
        Change::Same => K::DiffSame,
    }
}

/// One cell: the new value, and the old one struck through when the field changed.
fn cell(d: &LineDiff, field: Option<Field>, show: fn(&crate::domain::quote::dto::QuoteLineView) -> String) -> impl IntoView {
    let old = d.old.as_ref().map(show);
    let new = d.new.as_ref().map(show);
    let changed = match field {
        Some(f) => d.fields.contains(&f),
        None => old != new,
    };
    match (old, new) {
        (Some(o), Some(n)) if changed => view! { <del>{o}</del> " " <ins>{n}</ins> }.into_any(),
        (_, Some(n)) => view! { <span>{n}</span> }.into_any(),
        (Some(o), None) => view! { <del>{o}</del> }.into_any(),
        (None, None) => ().into_any(),
    }
}

#[component]
pub fn QuoteDiff(old: QuoteView, new: QuoteView) -> impl IntoView {
    let i18n = use_i18n();
    let rows = lines(&old.lines, &new.lines);
    let cur = new.currency.clone();
    let money = move |f: i64| format_exact(f, &cur);
    let totals: [(K, i64, i64, bool); 5] = [
        (K::QuoteNet, old.totals.net_fen, new.totals.net_fen, true),
        (K::QuoteTax, old.totals.tax_fen, new.totals.tax_fen, true),
        (K::QuoteTotal, old.totals.gross_fen, new.totals.gross_fen, true),
        (K::QuoteDiscount, old.totals.discount_bp, new.totals.discount_bp, false),
        (K::QuoteMargin, old.totals.margin_bp, new.totals.margin_bp, false),
    ];
    let signed = |v: i64, s: String| if v > 0 { format!("+{s}") } else { s };
    view! {
        <section class="panel" data-testid="quote-diff">
            <h2 class="panel-title">{old.number.clone()} " → " {new.number.clone()}</h2>
            <div class="table-wrap">
                <table class="table table-compact q-diff">
                    <thead><tr>
                        <th>{move || i18n.t(K::QuoteDescription)}</th>
                        <th class="num">{move || i18n.t(K::QuoteQty)}</th>
                        <th class="num">{move || i18n.t(K::QuoteUnitPrice)}</th>
                        <th class="num">{move || i18n.t(K::QuoteLineDiscount)}</th>
                        <th class="num">{move || i18n.t(K::ProductTaxRate)}</th>
                        <th class="num">{move || i18n.t(K::QuoteNet)}</th>
                        <th></th>
                    </tr></thead>
                    <tbody>
                        {rows.into_iter().map(|d| {
                            let change = d.change;
                            view! {
                                <tr class=format!("diff-{}", change.as_str()) data-testid="diff-line" data-change=change.as_str()>
                                    <td>{cell(&d, Some(Field::Description), |l| l.description.clone())}</td>
                                    <td class="num">{cell(&d, None, |l| format!("{} {}", format_qty(l.qty_centi), l.unit))}</td>
                                    <td class="num">{cell(&d, Some(Field::UnitPrice), |l| format_exact(l.unit_price_fen, "CNY"))}</td>
                                    <td class="num">{cell(&d, Some(Field::Discount), |l| format_percent(i64::from(l.discount_bp)))}</td>
                                    <td class="num">{cell(&d, Some(Field::Tax), |l| format_percent(i64::from(l.tax_bp)))}</td>
                                    <td class="num">{cell(&d, None, |l| format_exact(l.net_fen, "CNY"))}</td>
                                    <td>{(change != Change::Same).then(|| view! {
                                        <span class=format!("chip diff-chip-{}", change.as_str())>{move || i18n.t(change_label(change))}</span>
                                    })}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <table class="table table-compact q-diff-totals" data-testid="diff-totals">
                <thead><tr>
                    <th></th>
                    <th class="num">{old.number.clone()}</th>
                    <th class="num">{new.number.clone()}</th>
                    <th class="num">"Δ"</th>
                </tr></thead>
                <tbody>
                    {totals.into_iter().map(|(k, a, b, is_money)| {
                        let show = |v: i64| if is_money { money(v) } else { format!("{} %", format_percent(v)) };
                        let delta = b - a;
                        let delta_class = match delta.signum() { 1 => "num delta-up", -1 => "num delta-down", _ => "num" };
                        view! {
                            <tr data-testid="diff-total">
                                <th>{move || i18n.t(k)}</th>
                                <td class="num">{show(a)}</td>
                                <td class="num">{show(b)}</td>
                                <td class=delta_class>{if delta == 0 { "—".to_owned() } else { signed(delta, show(delta)) }}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}
