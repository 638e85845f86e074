//! The approvals inbox: requests routed to me (approve / reject with a comment), and my own
//! requests with their outcome.
use super::stage_name;
use crate::api::approval::{list_approvals, DecideApproval};
use crate::components::money::Money;
use crate::components::states::{EmptyState, ErrorNotice, Skeleton};
use crate::domain::dto::ApprovalRow;
use crate::domain::quote::format_percent;
use crate::i18n::{error_message, quote_reason, use_i18n, K};
use leptos::prelude::*;
use leptos_meta::Title;

fn status_label(s: &str) -> K {
    match s {
        "approved" => K::StatusApproved,
        "rejected" => K::StatusRejected,
        _ => K::StatusPending,
    }
}

#[component]
fn ApprovalItem(row: ApprovalRow, decide: ServerAction<DecideApproval>, can_decide: bool) -> impl IntoView {
    let i18n = use_i18n();
    let comment = RwSignal::new(String::new());
    // A rejection needs its reason (the service refuses one without); said here, at the field.
    let missing_reason = RwSignal::new(false);
    let id = row.id;
    let from = row.from_stage.clone();
    let to = row.to_stage.clone();
    let status = row.status.clone();
    let result = row.result.clone();
    let quote = row.quote.clone();
    let contract = row.contract.clone();
    view! {
        <li class="approval" data-testid="approval" data-status=row.status.clone()>
            <div class="approval-main">
                <a class="cell-title" href=format!("/deals/{}", row.deal_id)>{row.deal_name.clone()}</a>
                <span class="cell-sub">{row.account.clone()} " · " <Money fen=row.amount_fen/></span>
                {contract.map(|c| view! {
                    // A contract step: which step of how many, the contract's figures.
                    <span class="approval-move" data-testid="approval-contract">
                        <a href=format!("/contracts/{}", c.id)><strong>{c.number.clone()}</strong></a>
                        " · " {move || crate::i18n::contract_type(i18n.locale(), c.kind)} " · " <Money fen=c.amount_fen/>
                        " · " {move || crate::i18n::contract_approver(i18n.locale(), c.step)} " (" {c.step_no} "/" {c.steps} ")"
                    </span>
                    <span class="cell-sub">{move || i18n.t(K::RequestedBy)} ": " {row.requested_by.clone()}</span>
                })}
                {matches!(row.kind.as_str(), "concession" | "negotiation").then(|| {
                    let key = if row.kind == "concession" { K::ApprovalConcession } else { K::ApprovalNegotiation };
                    view! {
                        <span class="approval-move" data-testid="approval-negotiation">
                            <a href=format!("/deals/{}?tab=negotiation", row.deal_id)><strong>{move || i18n.t(key)}</strong></a>
                            {row.reason.clone().map(|r| view! { " · “" <span class="cell-clip">{r}</span> "”" })}
                        </span>
                        <span class="cell-sub">{move || i18n.t(K::RequestedBy)} ": " {row.requested_by.clone()}</span>
                    }
                })}
                {if row.contract.is_some() || matches!(row.kind.as_str(), "concession" | "negotiation") { ().into_any() } else { match quote.clone() {
                    // A quote request: its figures and why it came to this approver.
                    Some(q) => view! {
                        <span class="approval-move" data-testid="approval-quote">
                            <a href=format!("/quotes/{}", q.id)><strong>{q.number.clone()}</strong></a>
                            " · " <Money fen=q.gross_fen/> " · " {move || i18n.t(K::QuoteDiscount)} " " {format_percent(q.discount_bp)} " % · "
                            {move || i18n.t(K::QuoteMargin)} " " {format_percent(q.margin_bp)} " %"
                        </span>
                        <span class="cell-sub">{move || i18n.t(K::RequestedBy)} ": " {row.requested_by.clone()} " · "
                            {move || q.reasons.iter().map(|r| quote_reason(i18n.locale(), r)).collect::<Vec<_>>().join("; ")}
                        </span>
                    }.into_any(),
                    None => view! {
                        <span class="approval-move">
                            {move || from.as_ref().map(|s| stage_name(s, i18n.locale())).unwrap_or_default()}
                            " → "
                            <strong>{move || to.as_ref().map(|s| stage_name(s, i18n.locale())).unwrap_or_default()}</strong>
                        </span>
                        <span class="cell-sub">{move || i18n.t(K::RequestedBy)} ": " {row.requested_by.clone()}
                            {row.reason.clone().map(|r| view! { " · “" {r} "”" })}
                        </span>
                    }.into_any(),
                }}}
            </div>
            <div class="approval-side">
                <span class=format!("status status-{}", row.status)>{move || i18n.t(status_label(&status))}</span>
                {result.map(|r| view! { <span class="cell-sub">{move || if r == "moved" { i18n.t(K::ResultMoved) } else { i18n.t(K::ResultBlocked) }}</span> })}
                {row.comment.clone().map(|c| view! { <span class="cell-sub">"“" {c} "”"</span> })}
                {(can_decide && row.status == "pending").then(|| view! {
                    <div class="decide">
                        <label class="sr-only" for=format!("c-{id}")>{move || i18n.t(K::Comment)}</label>
                        <input id=format!("c-{id}") type="text" placeholder=move || i18n.t(K::Comment) prop:value=move || comment.get()
                            data-testid="decide-comment" aria-invalid=move || missing_reason.get().to_string()
                            on:input=move |ev| { comment.set(event_target_value(&ev)); missing_reason.set(false); }/>
                        <button type="button" class="btn btn-primary" data-testid="approve" disabled=move || decide.pending().get()
                            on:click=move |_| { decide.dispatch(DecideApproval { id, approve: true, comment: Some(comment.get_untracked()) }); }>
                            "✓ " {move || i18n.t(K::Approve)}
                        </button>
                        <button type="button" class="btn" data-testid="reject" disabled=move || decide.pending().get()
                            on:click=move |_| {
                                if comment.with_untracked(|c| c.trim().is_empty()) {
                                    missing_reason.set(true);
                                    return;
                                }
                                decide.dispatch(DecideApproval { id, approve: false, comment: Some(comment.get_untracked()) });
                            }>
                            "✕ " {move || i18n.t(K::Reject)}
                        </button>
                    </div>
                    <Show when=move || missing_reason.get()>
                        <p class="field-error" role="alert" data-testid="reject-needs-reason">{move || i18n.t(K::RejectNeedsReason)}</p>
                    </Show>
                })}
            </div>
        </li>
    }
}

#[component]
pub fn ApprovalsPage() -> impl IntoView {
    let i18n = use_i18n();
    let decide = ServerAction::<DecideApproval>::new();
    let tick = use_context::<crate::components::live::LiveTick>();
    let all = Resource::new(move || (decide.version().get(), tick.map(|t| t.0.get())), |_| list_approvals(None));
    let me = Resource::new(|| (), |_| crate::api::auth::me());
    view! {
        <Title text=move || i18n.t(K::ApprovalsTitle).to_owned()/>
        <div class="page-head">
            <div>
                <h1>{move || i18n.t(K::ApprovalsTitle)}</h1>
                <p class="lead">{move || i18n.t(K::ApprovalsLead)}</p>
            </div>
        </div>
        {move || decide.value().get().and_then(|r| r.err()).map(|e| view! { <div class="notice notice-error" role="alert">{move || error_message(i18n.locale(), &e)}</div> })}
        <Transition fallback=|| view! { <Skeleton rows=4/> }>
            {move || {
                let me_name = me.get().and_then(|r| r.ok()).map(|u| u.name);
                all.get().map(|r| match r {
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    Ok(rows) => {
                        let (waiting, rest): (Vec<ApprovalRow>, Vec<ApprovalRow>) =
                            rows.into_iter().partition(|r| r.status == "pending" && r.approver.is_some() && r.approver == me_name);
                        view! {
                            <section class="panel">
                                <h2 class="panel-title">{move || i18n.t(K::ApprovalsPending)} " (" {waiting.len()} ")"</h2>
                                {if waiting.is_empty() {
                                    view! { <EmptyState text=K::ApprovalsEmpty/> }.into_any()
                                } else {
                                    view! { <ul class="approvals" data-testid="inbox">{waiting.into_iter().map(|r| view! { <ApprovalItem row=r decide=decide can_decide=true/> }).collect_view()}</ul> }.into_any()
                                }}
                            </section>
                            {(!rest.is_empty()).then(|| view! {
                                <section class="panel">
                                    <h2 class="panel-title">{move || i18n.t(K::ApprovalsMine)}</h2>
                                    <ul class="approvals">{rest.into_iter().map(|r| view! { <ApprovalItem row=r decide=decide can_decide=false/> }).collect_view()}</ul>
                                </section>
                            })}
                        }
                        .into_any()
                    }
                })
            }}
        </Transition>
    }
}
