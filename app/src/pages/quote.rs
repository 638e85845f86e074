//! One quote: the draft editor (header, lines, live totals) for those who may edit it, the
//! approval (who, why, decide), and the lifecycle buttons the viewer's rights allow. Every
//! write carries the version read; another person's change arrives live and reloads.
use crate::api::quote::{load_products, load_quote, quote_step, save_quote};
use crate::api::room::load_map;
use crate::components::date_field::DateField;
use crate::components::decide::DecideBox;
use crate::components::live::{last_live_event, on_live_change};
use crate::components::money::{DateText, Money};
use crate::components::quote_diff::QuoteDiff;
use crate::components::quote_lines::{priced, LineEdit, LinesGrid};
use crate::components::states::{ErrorNotice, Skeleton};
use crate::domain::error::AppError;
use crate::domain::money::parse_yuan;
use crate::domain::quote::dto::{QuoteDraft, QuoteView};
use crate::domain::quote::{format_percent, format_qty, parse_percent_bp, Approver, HeaderDiscount, Totals};
use crate::i18n::{error_message, quote_reason, quote_status, use_i18n, K};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

#[component]
pub fn QuotePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<Uuid>().ok());
    let data = Resource::new(id, |id| async move {
        match id {
            Some(id) => load_quote(id).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        <Transition fallback=|| view! { <Skeleton rows=8/> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                Ok(q) => view! { <QuoteScreen q=q/> }.into_any(),
            })}
        </Transition>
    }
}

/// Totals as a small statement: list, discounts, net, tax, total, margin.
#[component]
pub fn TotalsBox(t: Signal<Option<Totals>>) -> impl IntoView {
    let i18n = use_i18n();
    let row = move |k: K, f: fn(&Totals) -> i64, testid: &'static str| {
        view! {
            <div class="q-total-row">
                <span>{move || i18n.t(k)}</span>
                <strong data-testid=testid>{move || t.get().map(|t| crate::domain::money::format_exact(f(&t), "CNY")).unwrap_or_else(|| "—".into())}</strong>
            </div>
        }
    };
    view! {
        <div class="q-totals" data-testid="quote-totals">
            {row(K::QuoteListTotal, |t| t.list_fen, "t-list")}
            {row(K::QuoteLineDiscounts, |t| t.list_fen - t.lines_net_fen, "t-line-disc")}
            {row(K::QuoteHeaderDiscount, |t| t.header_discount_fen, "t-header-disc")}
            {row(K::QuoteNet, |t| t.net_fen, "t-net")}
            {row(K::QuoteTax, |t| t.tax_fen, "t-tax")}
            <div class="q-total-row q-grand">
                <span>{move || i18n.t(K::QuoteTotal)}</span>
                <strong data-testid="t-gross">{move || t.get().map(|t| crate::domain::money::format_exact(t.gross_fen, "CNY")).unwrap_or_else(|| "—".into())}</strong>
            </div>
            <div class="q-total-row muted">
                <span>{move || i18n.t(K::QuoteDiscount)}</span>
                <span data-testid="t-discount">{move || t.get().map(|t| format!("{} %", format_percent(t.discount_bp))).unwrap_or_default()}</span>
            </div>
            <div class="q-total-row muted">
                <span>{move || i18n.t(K::QuoteMargin)}</span>
                <span data-testid="t-margin">{move || t.get().map(|t| format!("{} · {} %", crate::domain::money::format_exact(t.margin_fen, "CNY"), format_percent(t.margin_bp))).unwrap_or_default()}</span>
            </div>
        </div>
    }
}

fn header_text(h: HeaderDiscount) -> (String, String) {
    match h {
        HeaderDiscount::None => ("none".into(), String::new()),
        HeaderDiscount::Percent(bp) => ("percent".into(), format_percent(i64::from(bp))),
        HeaderDiscount::Amount(fen) => ("amount".into(), format!("{}.{:02}", fen / 100, fen % 100)),
    }
}

fn header_value(kind: &str, v: &str) -> Option<HeaderDiscount> {
    match kind {
        "percent" => parse_percent_bp("header_discount", v).ok().map(HeaderDiscount::Percent),
        "amount" => parse_yuan(v).filter(|a| *a >= 0).map(HeaderDiscount::Amount),
        _ => Some(HeaderDiscount::None),
    }
}

#[component]
fn QuoteScreen(q: QuoteView) -> impl IntoView {
    let i18n = use_i18n();
    let quote = RwSignal::new(q);
    let id = quote.with_untracked(|q| q.id);
    let deal = quote.with_untracked(|q| q.deal_id);
    let reload = Action::new(move |_: &()| async move { load_quote(id).await });
    Effect::new(move |_| {
        if let Some(Ok(q)) = reload.value().get() {
            quote.set(q);
        }
    });
    on_live_change(move || {
        if last_live_event().is_some_and(|e| e.deal == Some(deal) && !e.mine) {
            reload.dispatch(());
        }
    });
    let step = Action::new(move |s: &String| {
        let (s, v) = (s.clone(), quote.with_untracked(|q| q.version));
        async move { quote_step(id, s, v).await }
    });
    let error: RwSignal<Option<AppError>> = RwSignal::new(None);
    Effect::new(move |_| match step.value().get() {
        Some(Ok(q)) => {
            error.set(None);
            if q.id != id {
                // A revision is a new quote: open it.
                let nav = leptos_router::hooks::use_navigate();
                nav(&format!("/quotes/{}", q.id), Default::default());
            } else {
                quote.set(q);
            }
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let r = move || quote.with(|q| q.rights.clone());
    let editable = Memo::new(move |_| quote.with(|q| q.rights.edit));
    let status = move || quote.with(|q| q.status);
    let btn = move |k: K, s: &'static str, primary: bool| {
        view! {
            <button type="button" class=if primary { "btn btn-primary" } else { "btn" } data-testid=format!("quote-{s}")
                disabled=move || step.pending().get() on:click=move |_| { step.dispatch(s.to_owned()); }>
                {move || i18n.t(k)}
            </button>
        }
    };
    view! {
        <Title text=move || quote.with(|q| q.number.clone())/>
        <div class="page-head">
            <div>
                <p class="crumb"><a href=format!("/deals/{deal}")>{move || quote.with(|q| q.deal_name.clone())}</a></p>
                <h1 data-testid="quote-number">{move || quote.with(|q| q.number.clone())}</h1>
                <p class="lead">
                    {move || quote.with(|q| q.account.clone())} " · "
                    <span class=move || format!("q-status q-{}", status().as_str()) data-testid="quote-status">{move || quote_status(i18n.locale(), status())}</span>
                    " · " {move || i18n.t(K::QuoteValidUntil)} " " {move || view! { <DateText date=quote.with(|q| q.valid_until)/> }}
                </p>
            </div>
            <div class="q-actions">
                <a class="btn" href=format!("/quotes/{id}/print") target="_blank" data-testid="quote-print">{move || i18n.t(K::QuotePrint)}</a>
                {move || r().submit.then(|| btn(K::QuoteSubmit, "submit", true))}
                {move || r().send.then(|| btn(K::QuoteSend, "send", true))}
                {move || r().close.then(|| view! { {btn(K::QuoteAccept, "accept", true)} {btn(K::QuoteAcceptKeep, "accept_keep_amount", false)} {btn(K::QuoteDecline, "decline", false)} })}
                {move || r().revise.then(|| btn(K::QuoteRevise, "revise", false))}
            </div>
        </div>
        {move || error.get().map(|e| view! { <p class="field-error" role="alert" data-testid="quote-error">{move || error_message(i18n.locale(), &e)}</p> })}
        <ApprovalBox quote=quote reload=reload/>
        // Re-made only when editing becomes allowed or not: a save must not reset the editor.
        {move || if editable.get() {
            view! { <DraftEditor quote=quote/> }.into_any()
        } else {
            view! { <ReadOnlyQuote quote=quote/> }.into_any()
        }}
        <Revisions quote=quote/>
    }
}

/// Who approves and why; the approver decides here as in the inbox.
#[component]
fn ApprovalBox(quote: RwSignal<QuoteView>, reload: Action<(), Result<QuoteView, AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    // The decide box stays mounted across reloads so a half-typed opinion survives them.
    view! {
        <Show when=move || quote.with(|q| q.approver.is_some())>
            <section class="panel q-approval" data-testid="quote-approval">
                {move || {
                    let q = quote.get();
                    q.approver.map(|level| {
                        let who = if level == Approver::GeneralManager { K::QuoteApproverGm } else { K::QuoteApproverManager };
                        let reasons = q.reasons.clone();
                        view! {
                            <p>
                                <strong>{move || i18n.t(who)}</strong>
                                {q.approver_name.clone().map(|n| view! { " · " {n} })}
                                " — "
                                {move || reasons.iter().map(|r| quote_reason(i18n.locale(), r)).collect::<Vec<_>>().join("; ")}
                            </p>
                            {q.decision_comment.clone().map(|c| view! { <p class="cell-sub">"“" {c} "”"</p> })}
                        }
                    })
                }}
                <DecideBox approval=Signal::derive(move || quote.with(|q| q.approval_id.filter(|_| q.rights.decide))) testid="quote"
                    on_decided=move |_| { reload.dispatch(()); }/>
            </section>
        </Show>
    }
}

#[component]
fn DraftEditor(quote: RwSignal<QuoteView>) -> impl IntoView {
    let i18n = use_i18n();
    let q = quote.get_untracked();
    let id = q.id;
    let lines = RwSignal::new(q.lines.iter().map(LineEdit::from_view).collect::<Vec<_>>());
    let (hk, hv) = header_text(q.header_discount);
    let header_kind = RwSignal::new(hk);
    let header_val = RwSignal::new(hv);
    let contact = RwSignal::new(q.contact_id.map(|c| c.to_string()).unwrap_or_default());
    let valid = RwSignal::new(q.valid_until.to_string());
    let payment = RwSignal::new(q.payment_terms.clone().unwrap_or_default());
    let delivery = RwSignal::new(q.delivery_terms.clone().unwrap_or_default());
    let notes = RwSignal::new(q.notes.clone().unwrap_or_default());
    let header = Memo::new(move |_| header_value(&header_kind.get(), &header_val.get()));
    let figures = Memo::new(move |_| header.get().and_then(|h| lines.with(|ls| priced(ls, h))));
    let products = Resource::new(|| (), |_| load_products(true));
    let map = Resource::new(|| (), move |_| load_map(q.deal_id));
    let save = Action::new(move |d: &QuoteDraft| {
        let (d, v) = (d.clone(), quote.with_untracked(|q| q.version));
        async move { save_quote(id, d, v).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(q)) = save.value().get() {
            quote.set(q);
        }
    });
    let draft = move || -> Option<QuoteDraft> {
        let ls = lines.with(|ls| ls.iter().enumerate().map(|(i, l)| l.input(i)).collect::<Result<Vec<_>, _>>()).ok()?;
        let opt = |s: String| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        Some(QuoteDraft {
            contact_id: contact.get().parse().ok(),
            valid_until: valid.get().parse().ok(),
            payment_terms: opt(payment.get()),
            delivery_terms: opt(delivery.get()),
            notes: opt(notes.get()),
            header_discount: header.get()?,
            lines: ls,
        })
    };
    let text = move |k: K, sig: RwSignal<String>, tid: &'static str| {
        view! {
            <div class="field">
                <label for=tid>{move || i18n.t(k)}</label>
                <textarea id=tid data-testid=tid rows="2" prop:value=move || sig.get() on:input=move |ev| sig.set(event_target_value(&ev))></textarea>
            </div>
        }
    };
    view! {
        <form class="panel q-editor" data-testid="quote-editor" on:submit=move |ev| {
            ev.prevent_default();
            if let Some(d) = draft() { save.dispatch(d); }
        }>
            <div class="q-head-grid">
                <div class="field">
                    <label for="q-contact">{move || i18n.t(K::QuoteContact)}</label>
                    <select id="q-contact" data-testid="q-contact" prop:value=move || contact.get() on:change=move |ev| contact.set(event_target_value(&ev))>
                        <option value="">"—"</option>
                        <Transition fallback=|| ()>
                            {move || map.get().and_then(|m| m.ok()).map(|m| m.people.into_iter().map(|p| view! {
                                <option value=p.contact_id.to_string()>{p.name.clone()} {p.title.clone().map(|t| format!(" · {t}"))}</option>
                            }).collect_view())}
                        </Transition>
                    </select>
                </div>
                <div class="field">
                    <label for="q-valid">{move || i18n.t(K::QuoteValidUntil)}</label>
                    <DateField id="q-valid" testid="q-valid" value=valid on_input=Callback::new(move |v| valid.set(v))/>
                </div>
                <div class="field" class:field-invalid=move || header.get().is_none()>
                    <label for="q-hd-kind">{move || i18n.t(K::QuoteHeaderDiscount)}</label>
                    <div class="q-inline">
                        <select id="q-hd-kind" data-testid="q-hd-kind" prop:value=move || header_kind.get() on:change=move |ev| header_kind.set(event_target_value(&ev))>
                            <option value="none">"—"</option>
                            <option value="percent">"%"</option>
                            <option value="amount">"¥"</option>
                        </select>
                        <input type="text" inputmode="decimal" data-testid="q-hd-value" aria-label="header discount" disabled=move || header_kind.get() == "none"
                            prop:value=move || header_val.get() on:input=move |ev| header_val.set(event_target_value(&ev))/>
                    </div>
                </div>
            </div>
            <Transition fallback=|| view! { <Skeleton rows=3/> }>
                {move || products.get().map(|r| match r {
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    Ok(ps) => view! { <LinesGrid lines=lines products=ps figures=figures/> }.into_any(),
                })}
            </Transition>
            <div class="q-foot">
                <div class="q-terms">
                    {text(K::QuotePaymentTerms, payment, "q-payment")}
                    {text(K::QuoteDeliveryTerms, delivery, "q-delivery")}
                    {text(K::QuoteNotes, notes, "q-notes")}
                </div>
                <TotalsBox t=Signal::derive(move || figures.get().map(|f| f.totals))/>
            </div>
            <div class="form-actions">
                {move || save.value().get().map(|r| match r {
                    Ok(_) => view! { <span class="saved" role="status" data-testid="quote-saved">"✓ " {move || i18n.t(K::Saved)}</span> }.into_any(),
                    Err(e) => view! { <span class="field-error" role="alert" data-testid="quote-save-error">{move || error_message(i18n.locale(), &e)}</span> }.into_any(),
                })}
                <button type="submit" class="btn btn-primary" data-testid="quote-save" disabled=move || save.pending().get() || draft().is_none()>
                    {move || if save.pending().get() { i18n.t(K::Saving) } else { i18n.t(K::Save) }}
                </button>
            </div>
        </form>
    }
}

#[component]
fn ReadOnlyQuote(quote: RwSignal<QuoteView>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let q = quote.get();
        let totals = q.totals;
        view! {
            <section class="panel" data-testid="quote-read">
                <div class="table-wrap">
                    <table class="table">
                        <thead><tr>
                            <th>"#"</th><th>{move || i18n.t(K::QuoteDescription)}</th>
                            <th class="num">{move || i18n.t(K::QuoteQty)}</th><th>{move || i18n.t(K::QuoteUnit)}</th>
                            <th class="num">{move || i18n.t(K::QuoteUnitPrice)}</th><th class="num">{move || i18n.t(K::QuoteLineDiscount)}</th>
                            <th class="num">{move || i18n.t(K::QuoteTax)}</th><th class="num">{move || i18n.t(K::QuoteNet)}</th>
                        </tr></thead>
                        <tbody>
                            {q.lines.iter().map(|l| view! {
                                <tr>
                                    <td class="num muted">{l.position}</td>
                                    <td>{l.code.clone().map(|c| view! { <span class="cell-sub">{c}</span> })}{l.description.clone()}</td>
                                    <td class="num">{format_qty(l.qty_centi)}</td>
                                    <td>{l.unit.clone()}</td>
                                    <td class="num">{crate::domain::money::format_exact(l.unit_price_fen, "CNY")}</td>
                                    <td class="num">{format_percent(i64::from(l.discount_bp))} " %"</td>
                                    <td class="num">{format_percent(i64::from(l.tax_bp))} " %"</td>
                                    <td class="num">{crate::domain::money::format_exact(l.net_fen, "CNY")}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                <div class="q-foot">
                    <dl class="q-terms-read">
                        {q.contact.clone().map(|c| view! { <dt>{move || i18n.t(K::QuoteContact)}</dt><dd>{c}</dd> })}
                        {q.payment_terms.clone().map(|c| view! { <dt>{move || i18n.t(K::QuotePaymentTerms)}</dt><dd>{c}</dd> })}
                        {q.delivery_terms.clone().map(|c| view! { <dt>{move || i18n.t(K::QuoteDeliveryTerms)}</dt><dd>{c}</dd> })}
                        {q.notes.clone().map(|c| view! { <dt>{move || i18n.t(K::QuoteNotes)}</dt><dd>{c}</dd> })}
                    </dl>
                    <TotalsBox t=Signal::derive(move || Some(totals))/>
                </div>
            </section>
        }
    }
}

/// Every revision of this quote; each other one opens in its own page or compares with this
/// one here (lines added, removed, changed; totals with their difference).
#[component]
fn Revisions(quote: RwSignal<QuoteView>) -> impl IntoView {
    let i18n = use_i18n();
    let other: RwSignal<Option<Uuid>> = RwSignal::new(None);
    let theirs = Resource::new(
        move || other.get(),
        |o| async move {
            match o {
                Some(id) => Some(load_quote(id).await),
                None => None,
            }
        },
    );
    let list = move || {
        let q = quote.get();
        (q.revisions.len() > 1).then(|| {
            let me = q.id;
            view! {
                <section class="panel" data-testid="quote-revisions">
                    <h2 class="panel-title">{move || i18n.t(K::QuoteRevisions)}</h2>
                    <ul class="q-revisions">
                        {q.revisions.into_iter().map(|r| {
                            let st = r.status;
                            let rid = r.id;
                            view! {
                                <li class:current=r.id == me>
                                    <a href=format!("/quotes/{}", r.id)>{r.number.clone()}</a>
                                    " · " <span class=format!("q-status q-{}", st.as_str())>{move || quote_status(i18n.locale(), st)}</span>
                                    " · " <Money fen=r.gross_fen/> " · " {format_percent(r.discount_bp)} " %"
                                    {(rid != me).then(|| view! {
                                        " "
                                        <button class="btn btn-sm" data-testid=format!("compare-{}", r.revision)
                                            on:click=move |_| other.update(|o| *o = if *o == Some(rid) { None } else { Some(rid) })>
                                            {move || if other.get() == Some(rid) { i18n.t(K::QuoteCompareHide) } else { i18n.t(K::QuoteCompare) }}
                                        </button>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </section>
            }
        })
    };
    view! {
        {list}
        <Transition fallback=|| view! { <Skeleton rows=4/> }>
            {move || theirs.get().flatten().map(|r| match r {
                Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                Ok(t) => {
                    let mine = quote.get();
                    let (old, new) = if t.revision < mine.revision { (t, mine) } else { (mine, t) };
                    view! { <QuoteDiff old=old new=new/> }.into_any()
                }
            })}
        </Transition>
    }
}
