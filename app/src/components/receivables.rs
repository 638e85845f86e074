//! Receivables of the signed contracts the viewer sees: this quarter's billing against its
//! receipts, what is owed by age (each bucket drills down to its milestones, with a CSV),
//! the most overdue customers and owners, and per team when the viewer sees more than one.
use crate::api::contract::{load_receivable_rows, load_receivables};
use crate::components::money::{DateText, Money};
use crate::components::states::{ErrorNotice, Skeleton};
use crate::domain::contract::dto::TeamReceivable;
use crate::i18n::{milestone_kind, use_i18n, K};
use leptos::prelude::*;

/// Owed, overdue and over 90 days per team, most overdue first; the company's total is the
/// ageing above.
#[component]
fn TeamTable(rows: Vec<TeamReceivable>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h3 class="panel-subtitle">{move || i18n.t(K::RecvByTeam)}</h3>
        <div class="table-wrap">
            <table class="table table-compact" data-testid="recv-teams">
                <thead><tr>
                    <th>{move || i18n.t(K::ColTeam)}</th>
                    <th class="num">{move || i18n.t(K::RecvOwed)}</th>
                    <th class="num">{move || i18n.t(K::RecvOverdueCol)}</th>
                    <th class="num">{move || i18n.t(K::RecvOver90Col)}</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|t| view! {
                        <tr data-testid="recv-team">
                            <td class="cell-clip" title=t.team.clone()>{t.team.clone()}</td>
                            <td class="num" data-testid="recv-team-owed"><Money fen=t.owed_fen/></td>
                            <td class="num" class:text-danger={t.overdue_fen > 0} data-testid="recv-team-overdue"><Money fen=t.overdue_fen/></td>
                            <td class="num" class:text-danger={t.over_90_fen > 0} data-testid="recv-team-over90"><Money fen=t.over_90_fen/></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
pub fn ReceivablesCard() -> impl IntoView {
    let i18n = use_i18n();
    let tick = use_context::<crate::components::live::LiveTick>();
    let data = Resource::new(move || tick.map(|t| t.0.get()), |_| load_receivables());
    let bucket: RwSignal<Option<&'static str>> = RwSignal::new(None);
    let rows = Resource::new(
        move || bucket.get(),
        |b| async move {
            match b {
                Some(b) => load_receivable_rows(Some(b.to_owned())).await.map(Some),
                None => Ok(None),
            }
        },
    );
    view! {
        <section class="panel" data-testid="receivables">
            <h2 class="panel-title">{move || i18n.t(K::ReceivablesTitle)}</h2>
            <Transition fallback=|| view! { <Skeleton rows=3/> }>
                {move || data.get().map(|r| match r {
                    Err(e) => view! { <ErrorNotice error=e panel=true/> }.into_any(),
                    Ok(d) => {
                        let a = d.ageing;
                        let tile = move |key: K, fen: i64, code: &'static str, danger: bool| {
                            let red = danger && fen > 0;
                            view! {
                            <button type="button" class="kpi kpi-button" class:kpi-danger=red data-testid=format!("recv-{code}")
                                class:active=move || bucket.get() == Some(code)
                                on:click=move |_| bucket.update(|b| *b = if *b == Some(code) { None } else { Some(code) })>
                                <span class="kpi-label">{move || i18n.t(key)}</span>
                                <strong class="kpi-value"><Money fen=fen/></strong>
                            </button>
                            }
                        };
                        view! {
                            <div class="kpi-row">
                                <div class="kpi" data-testid="recv-billed"><span class="kpi-label">{move || i18n.t(K::RecvBilled)}</span><strong class="kpi-value"><Money fen=d.billed_quarter_fen/></strong></div>
                                <div class="kpi" data-testid="recv-received"><span class="kpi-label">{move || i18n.t(K::RecvReceived)}</span><strong class="kpi-value"><Money fen=d.received_quarter_fen/></strong></div>
                            </div>
                            <div class="kpi-row">
                                {tile(K::RecvNotDue, a.not_due_fen, "not_due", false)}
                                {tile(K::Recv0to30, a.d0_30_fen, "0_30", true)}
                                {tile(K::Recv31to90, a.d31_90_fen, "31_90", true)}
                                {tile(K::RecvOver90, a.over_90_fen, "over_90", true)}
                            </div>
                            <div class="recv-lists">
                                <div>
                                    <h3 class="panel-subtitle">{move || i18n.t(K::RecvTopOverdue)}</h3>
                                    <ol class="plain-list" data-testid="recv-top">
                                        {d.top_overdue.into_iter().map(|c| view! {
                                            <li><span class="cell-clip" title=c.account.clone()>{c.account.clone()}</span> " "
                                                <strong class="text-danger"><Money fen=c.overdue_fen/></strong>
                                                <span class="cell-sub">{move || i18n.t(K::RecvOldest)} " " {c.oldest_days} " " {move || i18n.t(K::MilestoneDaysOverdue)}</span></li>
                                        }).collect_view()}
                                    </ol>
                                </div>
                                <div>
                                    <h3 class="panel-subtitle">{move || i18n.t(K::RecvByOwner)}</h3>
                                    <ol class="plain-list" data-testid="recv-owners">
                                        {d.by_owner.into_iter().take(10).map(|(name, team, fen)| view! {
                                            <li>{name} <span class="cell-sub">{team}</span> " " <strong><Money fen=fen/></strong></li>
                                        }).collect_view()}
                                    </ol>
                                </div>
                            </div>
                            {(d.by_team.len() >= 2).then(|| view! { <TeamTable rows=d.by_team/> })}
                        }.into_any()
                    }
                })}
            </Transition>
            <Transition fallback=|| ()>
                {move || rows.get().map(|r| match r {
                    Err(e) => view! { <ErrorNotice error=e panel=true/> }.into_any(),
                    Ok(None) => ().into_any(),
                    Ok(Some(rows)) => view! {
                        <div class="panel-head">
                            <h3 class="panel-subtitle">{move || i18n.t(K::RecvMilestones)} " (" {rows.len()} ")"</h3>
                            <a class="btn btn-sm" download="receivables.csv" data-testid="recv-csv"
                                href=move || format!("/export/forecast/receivables.csv?bucket={}", bucket.get().unwrap_or("overdue"))>{move || i18n.t(K::ExportCsv)}</a>
                        </div>
                        <div class="table-wrap">
                            <table class="table" data-testid="recv-rows">
                                <thead><tr>
                                    <th>{move || i18n.t(K::ContractNumber)}</th>
                                    <th>{move || i18n.t(K::ColAccount)}</th>
                                    <th>{move || i18n.t(K::ColOwner)}</th>
                                    <th>{move || i18n.t(K::MilestoneKindCol)}</th>
                                    <th>{move || i18n.t(K::MilestoneDue)}</th>
                                    <th class="num">{move || i18n.t(K::MilestoneOutstanding)}</th>
                                    <th class="num">{move || i18n.t(K::MilestoneDaysOverdue)}</th>
                                </tr></thead>
                                <tbody>
                                    {rows.into_iter().map(|r| view! {
                                        <tr data-testid="recv-row">
                                            <td><a href=format!("/contracts/{}", r.contract_id)>{r.number.clone()}</a></td>
                                            <td class="cell-clip" title=r.account.clone()>{r.account.clone()}</td>
                                            <td>{r.owner.clone()} <span class="cell-sub">{r.team.clone()}</span></td>
                                            <td>{r.milestone} ". " {move || milestone_kind(i18n.locale(), r.kind)}</td>
                                            <td>{r.due_on.map(|d| view! { <DateText date=d/> })}</td>
                                            <td class="num"><Money fen=r.due_fen - r.received_fen/></td>
                                            <td class="num">{(r.overdue_days > 0).then_some(r.overdue_days)}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any(),
                })}
            </Transition>
        </section>
    }
}
