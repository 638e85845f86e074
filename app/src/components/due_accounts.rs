//! The accounts due for contact (overdue and this week) and the delivery follow-ups owed: a
//! tile on the home page and a section of "My tasks", for the viewer's own accounts or, for a
//! manager, the team's.
use crate::api::account::due_accounts;
use crate::components::money::DateText;
use crate::domain::account::dto::{DueList, DueScope};
use crate::i18n::{use_i18n, I18n, K};
use crate::pages::account::grade_letter;
use crate::pages::account_revisits::status_text;
use leptos::prelude::*;

fn rows_view(i18n: I18n, list: DueList, limit: usize) -> impl IntoView {
    let more = list.rows.len().saturating_sub(limit);
    view! {
        <ul class="task-list">
            {list.rows.into_iter().take(limit).map(|r| {
                let (text, cls) = status_text(i18n, r.status);
                let href = format!("/accounts/{}", r.account_id);
                view! {
                    <li class="task" data-testid="due-account" data-status=r.status.code()>
                        {r.grade.map(|g| view! { <span class=format!("acct-grade acct-grade-{}", g.code())>{grade_letter(g)}</span> })}
                        <div class="task-text">
                            <a class="cell-title" href=href>{r.name}</a>
                            <span class="cell-sub">{r.owner} {r.last_contact_on.map(|d| view! { " · " {move || i18n.t(K::ColLastContact)} " " <DateText date=d/> })}</span>
                        </div>
                        <span class=cls>{text}</span>
                    </li>
                }
            }).collect_view()}
            {(more > 0).then(|| view! { <li class="muted">"+" {more}</li> })}
        </ul>
        {(!list.follow_ups.is_empty()).then(|| view! {
            <h3 class="due-sub">{move || i18n.t(K::DueFollowUps)} " " <span class="pill">{list.follow_ups.len()}</span></h3>
            <ul class="task-list">
                {list.follow_ups.into_iter().map(|f| {
                    let href = format!("/accounts/{}", f.account_id);
                    view! {
                        <li class="task" data-testid="due-follow-up">
                            <div class="task-text">
                                <a class="cell-title" href=href>{f.account_name}</a>
                                <span class="cell-sub">{f.deal_name} " · " {f.owner}</span>
                            </div>
                            <span class="task-due"><DateText date=f.due_on/></span>
                        </li>
                    }
                }).collect_view()}
            </ul>
        })}
    }
}

/// The due list of a scope, with the counts in its title. Hidden when nothing is due, unless
/// `always` (My tasks says "every account is on schedule").
#[component]
pub fn DueAccounts(
    #[prop(default = 50)] limit: usize,
    #[prop(default = false)] always: bool,
    #[prop(default = false)] team_toggle: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let tick = use_context::<crate::components::live::LiveTick>();
    let scope = RwSignal::new(DueScope::Mine);
    // Revisits, grades and account edits move due dates; deal changes do not.
    let data = Resource::new(move || (scope.get(), tick.map(|t| t.2.get())), |(s, _)| due_accounts(s));
    view! {
        <Transition fallback=|| ()>
            {move || data.get().and_then(Result::ok).filter(|l| always || l.overdue + l.this_week > 0 || !l.follow_ups.is_empty()).map(|l| {
                let late = l.overdue > 0;
                view! {
                    <section class="panel task-group due-accounts" class:task-overdue=late data-testid="due-accounts">
                        <h2 class="panel-title">
                            {late.then_some("▲ ")}{move || i18n.t(K::DueTitle)} " "
                            <span class="pill" class:pill-red=late data-testid="due-overdue">{l.overdue}</span>
                            <span class="muted due-count">{move || i18n.t(K::DueOverdue)}</span> " "
                            <span class="pill" data-testid="due-this-week">{l.this_week}</span>
                            <span class="muted due-count">{move || i18n.t(K::DueThisWeek)}</span>
                            {team_toggle.then(|| view! {
                                <span class="seg due-scope">
                                    <button type="button" class="seg-btn" class:active=move || scope.get() == DueScope::Mine data-testid="due-mine"
                                        on:click=move |_| scope.set(DueScope::Mine)>{move || i18n.t(K::DueMine)}</button>
                                    <button type="button" class="seg-btn" class:active=move || scope.get() == DueScope::Team data-testid="due-team"
                                        on:click=move |_| scope.set(DueScope::Team)>{move || i18n.t(K::DueTeam)}</button>
                                </span>
                            })}
                        </h2>
                        {if l.rows.is_empty() && l.follow_ups.is_empty() {
                            view! { <p class="muted">{move || i18n.t(K::DueEmpty)}</p> }.into_any()
                        } else {
                            rows_view(i18n, l, limit).into_any()
                        }}
                    </section>
                }
            })}
        </Transition>
    }
}
