//! "My day" at the top of the home page: what the signed-in person has to do today — follow-ups
//! due, their own deals that are stuck or closing this month, approvals waiting, mentions.
use crate::api::room::load_my_day;
use crate::components::money::{DateText, Money};
use crate::domain::dto::MyDay;
use crate::domain::today::Attention;
use crate::i18n::{use_i18n, I18n, K};
use leptos::prelude::*;

fn attention_chip(i18n: I18n, a: Attention) -> impl IntoView {
    let (key, cls) = match a {
        Attention::ClosePassed => (K::AttClosePassed, "chip chip-red"),
        Attention::ClosingThisMonth => (K::AttClosing, "chip chip-green"),
        Attention::Stuck => (K::AttStuck, "chip chip-amber"),
    };
    view! { <span class=cls data-testid="day-attention" data-code=a.code()>{move || i18n.t(key)}</span> }
}

fn day_view(i18n: I18n, d: MyDay) -> impl IntoView {
    let late = d.overdue_tasks > 0;
    let more_deals = d.deals_total.saturating_sub(d.deals.len());
    let waiting = d.approvals_waiting > 0;
    view! {
        <section class="panel my-day" data-testid="my-day">
            <h2 class="panel-title">{move || i18n.t(K::MyDayTitle)} " · " <DateText date=d.today/></h2>
            <div class="my-day-grid">
                <div class="my-day-col" data-testid="day-tasks">
                    <h3 class="due-sub">
                        {move || i18n.t(K::MyDayTasks)} " "
                        <span class="pill" class:pill-red=late data-testid="day-overdue">{d.overdue_tasks}</span>
                        <span class="muted">{move || i18n.t(K::TaskOverdue)}</span> " "
                        <span class="pill" data-testid="day-today">{d.today_tasks}</span>
                        <span class="muted">{move || i18n.t(K::TaskToday)}</span>
                    </h3>
                    {if d.tasks.is_empty() {
                        view! { <p class="muted">{move || i18n.t(K::MyDayNoTasks)}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="task-list">
                                {d.tasks.into_iter().map(|t| view! {
                                    <li class="task my-day-task" data-testid="day-task">
                                        <div class="task-text">
                                            <span class="cell-title">{t.action}</span>
                                            <a class="cell-sub" href=format!("/deals/{}?tab=activities", t.deal_id)>{t.deal_name}</a>
                                        </div>
                                        <span class="task-due" class:overdue={t.bucket == "overdue"}>{t.due.map(|due| view! { <DateText date=due/> })}</span>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                    <a class="my-day-link" href="/my/tasks">{move || i18n.t(K::MyDayAllTasks)} " →"</a>
                </div>
                <div class="my-day-col" data-testid="day-deals">
                    <h3 class="due-sub">{move || i18n.t(K::MyDayDeals)} " " <span class="pill" data-testid="day-deals-total">{d.deals_total}</span></h3>
                    {if d.deals.is_empty() {
                        view! { <p class="muted">{move || i18n.t(K::MyDayNoDeals)}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="task-list">
                                {d.deals.into_iter().map(|x| view! {
                                    <li class="task my-day-deal" data-testid="day-deal" data-deal=x.card.id.to_string()>
                                        <div class="task-text">
                                            <a class="cell-title" href=format!("/deals/{}", x.card.id) title=x.card.name.clone()>{x.card.name.clone()}</a>
                                            <span class="cell-sub">
                                                <Money fen=x.card.amount_fen currency=x.card.currency.clone()/> " · " <DateText date=x.card.close_date/>
                                            </span>
                                            <span class="my-day-chips">{x.attention.into_iter().map(|a| attention_chip(i18n, a)).collect_view()}</span>
                                        </div>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                    {(more_deals > 0).then(|| view! { <a class="my-day-link" href="/board">"+" {more_deals} " " {move || i18n.t(K::MyDayMore)} " →"</a> })}
                </div>
                <div class="my-day-col" data-testid="day-approvals">
                    <h3 class="due-sub">{move || i18n.t(K::MyDayApprovals)}</h3>
                    <a class="my-day-stat" href="/approvals" data-testid="day-approvals-waiting">
                        <strong class:overdue=waiting>{d.approvals_waiting}</strong> " " {move || i18n.t(K::MyDayWaiting)}
                    </a>
                    <a class="my-day-stat" href="/approvals" data-testid="day-requests-pending">
                        <strong>{d.requests_pending}</strong> " " {move || i18n.t(K::MyDayRequests)}
                    </a>
                    <h3 class="due-sub">{move || i18n.t(K::MyDayMentions)} " " <span class="pill" data-testid="day-mentions">{d.unread_mentions}</span></h3>
                    {if d.mentions.is_empty() {
                        view! { <p class="muted">{move || i18n.t(K::MyDayNoMentions)}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="task-list">
                                {d.mentions.into_iter().map(|n| view! {
                                    <li class="task my-day-mention" data-testid="day-mention">
                                        <div class="task-text">
                                            <a class="cell-title" href=format!("/deals/{}", n.deal_id)>{n.deal_name}</a>
                                            <span class="cell-sub cell-clip">{n.text}</span>
                                        </div>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                </div>
            </div>
        </section>
    }
}

#[component]
pub fn MyDayPanel() -> impl IntoView {
    let i18n = use_i18n();
    let tick = use_context::<crate::components::live::LiveTick>();
    // Deal events (moves, approvals, comments) change the day; reload with them.
    let day = Resource::new(move || tick.map(|t| t.0.get()), |_| load_my_day());
    view! {
        <Transition fallback=|| ()>
            {move || day.get().and_then(Result::ok).map(|d| day_view(i18n, d))}
        </Transition>
    }
}
