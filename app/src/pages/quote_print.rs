//! The quote as the customer receives it: an A4 page in the viewer's language (company
//! header, customer, number and revision, lines, totals with tax, the amount in Chinese
//! capitals for zh, validity, terms, signatures). Print CSS sets the page size and margins
//! and repeats the table header on every page; "Print / Save as PDF" uses the browser.
use crate::api::quote::load_quote;
use crate::components::states::{ErrorNotice, Skeleton};
use crate::domain::error::AppError;
use crate::domain::locale::Locale;
use crate::domain::money::{format_date, format_exact};
use crate::domain::quote::dto::QuoteView;
use crate::domain::quote::{capital_cny, format_percent, format_qty, QuoteStatus};
use crate::i18n::{quote_status, use_i18n, K};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

#[component]
pub fn QuotePrintPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<Uuid>().ok());
    let data = Resource::new(id, |id| async move {
        match id {
            Some(id) => load_quote(id).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        <main class="print-page">
            <Transition fallback=|| view! { <Skeleton rows=10/> }>
                {move || data.get().map(|r| match r {
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    Ok(q) => view! { <PrintedQuote q=q/> }.into_any(),
                })}
            </Transition>
        </main>
    }
}

#[component]
fn PrintedQuote(q: QuoteView) -> impl IntoView {
    let i18n = use_i18n();
    let l = i18n.locale();
    let zh = l == Locale::ZhCn;
    let money = |fen: i64| format_exact(fen, "CNY");
    let t = q.totals;
    let draft = !matches!(q.status, QuoteStatus::Approved | QuoteStatus::Sent | QuoteStatus::Accepted);
    let issued = q.sent_at.or(q.decided_at).unwrap_or(q.created_at).date_naive();
    let row = |label: K, value: String| view! { <tr><th>{i18n.t(label)}</th><td>{value}</td></tr> };
    view! {
        <Title text=format!("{} {}", i18n.t(K::QuotePrintTitle), q.number)/>
        <div class="print-toolbar no-print">
            <a class="btn" href=format!("/quotes/{}", q.id)>"← " {i18n.t(K::QuoteBack)}</a>
            <button class="btn btn-primary" data-testid="print-button" on:click=move |_| {
                let _ = window().print();
            }>{i18n.t(K::QuotePrintButton)}</button>
        </div>
        <article class="sheet" data-testid="quote-sheet" lang=if zh { "zh-CN" } else { "en" }>
            {draft.then(|| view! { <div class="sheet-watermark" data-testid="sheet-draft">{quote_status(l, q.status)}</div> })}
            <header class="sheet-head">
                <div>
                    <div class="sheet-company">{i18n.t(K::CompanyName)}</div>
                    <div class="sheet-company-sub">{i18n.t(K::CompanyAddress)}</div>
                </div>
                <div class="sheet-title">
                    <h1>{i18n.t(K::QuotePrintTitle)}</h1>
                    <table class="sheet-meta"><tbody>
                        {row(K::QuoteNumber, q.number.clone())}
                        {row(K::QuoteIssued, format_date(issued, l))}
                        {row(K::QuoteValidUntil, format_date(q.valid_until, l))}
                    </tbody></table>
                </div>
            </header>
            <section class="sheet-parties">
                <table class="sheet-meta"><tbody>
                    {row(K::QuoteCustomer, q.account.clone())}
                    {q.contact.clone().map(|c| row(K::QuoteContact, c))}
                    {row(K::QuoteProject, q.deal_name.clone())}
                    {row(K::QuoteOurContact, q.owner.clone())}
                </tbody></table>
            </section>
            <table class="sheet-lines" data-testid="sheet-lines">
                <thead><tr>
                    <th class="num">"#"</th>
                    <th>{i18n.t(K::QuoteDescription)}</th>
                    <th class="num">{i18n.t(K::QuoteQty)}</th>
                    <th>{i18n.t(K::QuoteUnit)}</th>
                    <th class="num">{i18n.t(K::QuoteUnitPrice)}</th>
                    <th class="num">{i18n.t(K::QuoteLineDiscount)}</th>
                    <th class="num">{i18n.t(K::QuoteNet)}</th>
                    <th class="num">{i18n.t(K::QuoteTax)}</th>
                    <th class="num">{i18n.t(K::QuoteLineTotal)}</th>
                </tr></thead>
                <tbody>
                    {q.lines.iter().map(|x| view! {
                        <tr>
                            <td class="num">{x.position}</td>
                            <td>{x.description.clone()}{x.code.clone().map(|c| view! { <span class="sheet-code">{c}</span> })}</td>
                            <td class="num">{format_qty(x.qty_centi)}</td>
                            <td>{x.unit.clone()}</td>
                            <td class="num">{money(x.unit_price_fen)}</td>
                            <td class="num">{(x.discount_bp != 0).then(|| format!("{} %", format_percent(i64::from(x.discount_bp))))}</td>
                            <td class="num">{money(x.net_fen)}</td>
                            <td class="num">{format!("{} %", format_percent(i64::from(x.tax_bp)))}</td>
                            <td class="num">{money(x.gross_fen)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <section class="sheet-totals">
                // Explicit <tbody>: the browser's parser inserts one around bare rows, and
                // hydration then walks a tree the server never sent (it panicked here).
                <table><tbody>
                    {(t.header_discount_fen != 0).then(|| view! {
                        <tr><th>{i18n.t(K::QuoteLinesNet)}</th><td>{money(t.lines_net_fen)}</td></tr>
                        <tr><th>{i18n.t(K::QuoteHeaderDiscount)}</th><td>"−" {money(t.header_discount_fen)}</td></tr>
                    })}
                    <tr><th>{i18n.t(K::QuoteNet)}</th><td data-testid="sheet-net">{money(t.net_fen)}</td></tr>
                    <tr><th>{i18n.t(K::QuoteTax)}</th><td>{money(t.tax_fen)}</td></tr>
                    <tr class="sheet-grand"><th>{i18n.t(K::QuoteTotal)}</th><td data-testid="sheet-gross">{money(t.gross_fen)}</td></tr>
                </tbody></table>
                {zh.then(|| view! { <p class="sheet-capital" data-testid="sheet-capital">"合计（大写）：" {capital_cny(t.gross_fen)}</p> })}
            </section>
            <section class="sheet-terms">
                {q.payment_terms.clone().map(|v| view! { <h3>{i18n.t(K::QuotePaymentTerms)}</h3><p>{v}</p> })}
                {q.delivery_terms.clone().map(|v| view! { <h3>{i18n.t(K::QuoteDeliveryTerms)}</h3><p>{v}</p> })}
                {q.notes.clone().map(|v| view! { <h3>{i18n.t(K::QuoteNotes)}</h3><p>{v}</p> })}
                <p class="sheet-small">{i18n.t(K::QuotePrintValidity)} " " {format_date(q.valid_until, l)}</p>
            </section>
            <section class="sheet-sign">
                <div>
                    <p>{i18n.t(K::QuoteSignSupplier)}</p>
                    <p class="sheet-line">{i18n.t(K::QuoteSignBy)}</p>
                    <p class="sheet-line">{i18n.t(K::QuoteSignDate)}</p>
                </div>
                <div>
                    <p>{i18n.t(K::QuoteSignCustomer)}</p>
                    <p class="sheet-line">{i18n.t(K::QuoteSignBy)}</p>
                    <p class="sheet-line">{i18n.t(K::QuoteSignDate)}</p>
                </div>
            </section>
        </article>
    }
}
