//! The quote's lines as a small spreadsheet: product or free text, quantity, unit, price,
//! discount and tax typed as text, each cell checked as you type, line and quote totals
//! recomputed by the domain's pricing on every keystroke (the same function the server
//! stores). Tab moves cell to cell; every action has a button, so the keyboard suffices.
use crate::domain::locale::Locale;
use crate::domain::money::{format_exact, parse_yuan};
use crate::domain::quote::dto::{ProductRow, QuoteLineInput, QuoteLineView};
use crate::domain::quote::{format_percent, format_qty, parse_percent_bp, parse_qty, price, HeaderDiscount, LineInput, Priced};
use crate::i18n::{use_i18n, K};
use leptos::prelude::*;
use std::collections::HashMap;

/// One line as typed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LineEdit {
    pub product: Option<uuid::Uuid>,
    pub description: String,
    pub unit: String,
    pub qty: String,
    pub price: String,
    pub discount: String,
    pub tax: String,
    /// From the price list (list price and cost for the margin; free text: the price itself).
    pub list_fen: Option<i64>,
    pub cost_fen: i64,
}

fn yuan(fen: i64) -> String {
    format!("{}.{:02}", fen / 100, (fen % 100).abs())
}

impl LineEdit {
    pub fn from_view(l: &QuoteLineView) -> Self {
        LineEdit {
            product: l.product_id,
            description: l.description.clone(),
            unit: l.unit.clone(),
            qty: format_qty(l.qty_centi),
            price: yuan(l.unit_price_fen),
            discount: format_percent(i64::from(l.discount_bp)),
            tax: format_percent(i64::from(l.tax_bp)),
            list_fen: l.product_id.map(|_| l.list_price_fen),
            cost_fen: l.cost_fen,
        }
    }

    pub fn from_product(p: &ProductRow, l: Locale, keep_qty: &str) -> Self {
        LineEdit {
            product: Some(p.id),
            description: if l == Locale::ZhCn { p.name_zh.clone() } else { p.name_en.clone() },
            unit: if l == Locale::ZhCn { p.unit_zh.clone() } else { p.unit_en.clone() },
            qty: if keep_qty.is_empty() { "1".into() } else { keep_qty.into() },
            price: yuan(p.list_price_fen),
            discount: "0".into(),
            tax: format_percent(i64::from(p.tax_bp)),
            list_fen: Some(p.list_price_fen),
            cost_fen: p.cost_fen,
        }
    }

    /// What the server is sent, or the name of the first cell that is not a value.
    pub fn input(&self, i: usize) -> Result<QuoteLineInput, &'static str> {
        let qty = parse_qty(&format!("lines[{i}].quantity"), &self.qty).map_err(|_| "qty")?;
        let price = parse_yuan(&self.price).filter(|p| *p >= 0).ok_or("price")?;
        let discount = parse_percent_bp("d", if self.discount.trim().is_empty() { "0" } else { &self.discount }).map_err(|_| "discount")?;
        let tax = parse_percent_bp("t", &self.tax).map_err(|_| "tax")?;
        if self.product.is_none() && self.description.trim().is_empty() {
            return Err("description");
        }
        if self.product.is_none() && self.unit.trim().is_empty() {
            return Err("unit");
        }
        Ok(QuoteLineInput {
            product_id: self.product,
            description: Some(self.description.clone()),
            unit: Some(self.unit.clone()),
            qty_centi: qty,
            unit_price_fen: Some(price),
            discount_bp: discount,
            tax_bp: Some(tax),
        })
    }
}

/// The lines priced as typed (None while a cell is not a value).
pub fn priced(lines: &[LineEdit], header: HeaderDiscount) -> Option<Priced> {
    let mut inputs = Vec::with_capacity(lines.len());
    for (i, l) in lines.iter().enumerate() {
        let q = l.input(i).ok()?;
        let unit = q.unit_price_fen?;
        inputs.push(LineInput {
            qty_centi: q.qty_centi,
            unit_price_fen: unit,
            list_price_fen: l.list_fen.unwrap_or(unit),
            discount_bp: q.discount_bp,
            tax_bp: q.tax_bp.unwrap_or(0),
            cost_fen: l.cost_fen,
        });
    }
    price(&inputs, header).ok()
}

#[component]
pub fn LinesGrid(lines: RwSignal<Vec<LineEdit>>, products: Vec<ProductRow>, figures: Memo<Option<Priced>>) -> impl IntoView {
    let i18n = use_i18n();
    let by_id: HashMap<uuid::Uuid, ProductRow> = products.iter().map(|p| (p.id, p.clone())).collect();
    let active: Vec<ProductRow> = products.into_iter().filter(|p| p.active).collect();
    let n = move || lines.with(Vec::len);
    let cell = move |i: usize, get: fn(&LineEdit) -> String, set: fn(&mut LineEdit, String), what: &'static str, class: &'static str| {
        let bad = move || lines.with(|v| v.get(i).map(|l| l.input(i).err() == Some(what)).unwrap_or(false));
        view! {
            <td class=class class:cell-invalid=bad>
                <input type="text" data-testid=format!("line-{i}-{what}") aria-label=what aria-invalid=move || bad().to_string()
                    prop:value=move || lines.with(|v| v.get(i).map(get).unwrap_or_default())
                    on:input=move |ev| { let v = event_target_value(&ev); lines.update(|ls| if let Some(l) = ls.get_mut(i) { set(l, v) }); }/>
            </td>
        }
    };
    let add = move |_| lines.update(|v| v.push(LineEdit { qty: "1".into(), discount: "0".into(), tax: "13".into(), ..Default::default() }));
    view! {
        <div class="table-wrap">
            <table class="table lines-grid" data-testid="lines-grid">
                <thead><tr>
                    <th>"#"</th>
                    <th>{move || i18n.t(K::QuoteProduct)}</th>
                    <th>{move || i18n.t(K::QuoteDescription)}</th>
                    <th class="num">{move || i18n.t(K::QuoteQty)}</th>
                    <th>{move || i18n.t(K::QuoteUnit)}</th>
                    <th class="num">{move || i18n.t(K::QuoteUnitPrice)}</th>
                    <th class="num">{move || i18n.t(K::QuoteLineDiscount)}</th>
                    <th class="num">{move || i18n.t(K::QuoteTax)}</th>
                    <th class="num">{move || i18n.t(K::QuoteNet)}</th>
                    <th></th>
                </tr></thead>
                <tbody>
                    {move || (0..n()).map(|i| {
                        let active = active.clone();
                        let by_id = by_id.clone();
                        let current = move || lines.with(|v| v.get(i).and_then(|l| l.product));
                        view! {
                            <tr data-testid="line-row">
                                <td class="num muted">{i + 1}</td>
                                <td>
                                    <select data-testid=format!("line-{i}-product") aria-label="product"
                                        prop:value=move || current().map(|p| p.to_string()).unwrap_or_default()
                                        on:change=move |ev| {
                                            let v = event_target_value(&ev);
                                            let l = i18n.locale();
                                            lines.update(|ls| if let Some(line) = ls.get_mut(i) {
                                                match v.parse::<uuid::Uuid>().ok().and_then(|id| by_id.get(&id)) {
                                                    Some(p) => *line = LineEdit::from_product(p, l, &line.qty),
                                                    None => { line.product = None; line.list_fen = None; line.cost_fen = 0; }
                                                }
                                            });
                                        }>
                                        <option value="">{move || i18n.t(K::QuoteFreeText)}</option>
                                        {active.iter().map(|p| view! { <option value=p.id.to_string()>{p.code.clone()} " · " {
                                            let (en, zh) = (p.name_en.clone(), p.name_zh.clone());
                                            move || if i18n.locale() == Locale::ZhCn { zh.clone() } else { en.clone() }
                                        }</option> }).collect_view()}
                                    </select>
                                </td>
                                {cell(i, |l| l.description.clone(), |l, v| l.description = v, "description", "wide")}
                                {cell(i, |l| l.qty.clone(), |l, v| l.qty = v, "qty", "num")}
                                {cell(i, |l| l.unit.clone(), |l, v| l.unit = v, "unit", "")}
                                {cell(i, |l| l.price.clone(), |l, v| l.price = v, "price", "num")}
                                {cell(i, |l| l.discount.clone(), |l, v| l.discount = v, "discount", "num")}
                                {cell(i, |l| l.tax.clone(), |l, v| l.tax = v, "tax", "num")}
                                <td class="num" data-testid=format!("line-{i}-net")>{move || figures.with(|f| f.as_ref().and_then(|f| f.lines.get(i)).map(|x| format_exact(x.net_fen, "CNY")).unwrap_or_else(|| "—".into()))}</td>
                                <td class="row-actions">
                                    <button type="button" class="btn btn-icon" title=move || i18n.t(K::MoveUp) disabled=i == 0
                                        on:click=move |_| lines.update(|v| if i > 0 && i < v.len() { v.swap(i, i - 1) })>"↑"</button>
                                    <button type="button" class="btn btn-icon" title=move || i18n.t(K::MoveDown)
                                        on:click=move |_| lines.update(|v| if i + 1 < v.len() { v.swap(i, i + 1) })>"↓"</button>
                                    <button type="button" class="btn btn-icon" data-testid=format!("line-{i}-remove") title=move || i18n.t(K::Remove)
                                        on:click=move |_| lines.update(|v| if i < v.len() { v.remove(i); })>"✕"</button>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <button type="button" class="btn" data-testid="add-line" on:click=add>"+ " {move || i18n.t(K::QuoteAddLine)}</button>
    }
}
