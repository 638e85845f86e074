//! The audit log on `/admin`: every administrative act and security event, newest first, a page at a time.
use crate::api::admin::load_admin_audit;
use crate::components::states::{ErrorNotice, Skeleton};
use crate::domain::admin::{AuditAction, AuditRow};
use crate::domain::locale::Locale;
use crate::i18n::audit::change_lines;
use crate::i18n::{use_i18n, K};
use leptos::prelude::*;

fn action_key(a: AuditAction) -> K {
    match a {
        AuditAction::UserCreated => K::AuditUserCreated,
        AuditAction::UserUpdated => K::AuditUserUpdated,
        AuditAction::PasswordReset => K::AuditPasswordReset,
        AuditAction::UserDeactivated => K::AuditUserDeactivated,
        AuditAction::UserReactivated => K::AuditUserReactivated,
        AuditAction::DealsReassigned => K::AuditDealsReassigned,
        AuditAction::TeamCreated => K::AuditTeamCreated,
        AuditAction::TeamUpdated => K::AuditTeamUpdated,
        AuditAction::PasswordChanged => K::AuditPasswordChanged,
        AuditAction::LoginFailed => K::AuditLoginFailed,
        AuditAction::LoginThrottled => K::AuditLoginThrottled,
    }
}

/// Local time of the organisation (UTC+8, as every figure), `2026-12-06 21:30` in Chinese and
/// `6 Dec 2026 21:30` in English.
fn when(l: Locale, r: &AuditRow) -> String {
    let t = r.at.with_timezone(&crate::domain::forecast::offset());
    match l {
        Locale::ZhCn => t.format("%Y-%m-%d %H:%M").to_string(),
        Locale::En => t.format("%-d %b %Y %H:%M").to_string(),
    }
}

/// `reload` changes after every act on the page; the log then starts from the newest again.
#[component]
pub fn AuditPanel(#[prop(into)] reload: Signal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    // The cursors of the pages passed on the way here (none: the newest page), and this page's.
    let trail = RwSignal::new(Vec::<Option<i32>>::new());
    let before = RwSignal::new(None::<i32>);
    Effect::new(move |_| {
        reload.track();
        trail.set(Vec::new());
        before.set(None);
    });
    let page = Resource::new(move || (before.get(), reload.get()), |(b, _)| load_admin_audit(b));
    view! {
        <section class="panel table-wrap" data-testid="audit">
            <h2 class="panel-title">{move || i18n.t(K::AdminAudit)}</h2>
            <Transition fallback=|| view! { <Skeleton rows=4/> }>
                {move || page.get().map(|r| match r {
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    Ok(p) if p.rows.is_empty() => view! { <p class="empty-state">{move || i18n.t(K::AdminAuditEmpty)}</p> }.into_any(),
                    Ok(p) => {
                        let next = p.next;
                        view! {
                            <table class="table">
                                <thead><tr>
                                    <th>{move || i18n.t(K::ColWhen)}</th>
                                    <th>{move || i18n.t(K::ColActor)}</th>
                                    <th>{move || i18n.t(K::ColAction)}</th>
                                    <th>{move || i18n.t(K::ColSubject)}</th>
                                    <th class="hide-sm">{move || i18n.t(K::AdminChange)}</th>
                                </tr></thead>
                                <tbody>
                                    {p.rows.into_iter().map(|r| {
                                        let (action, row) = (r.action, r.clone());
                                        let (before, after) = (r.before.clone(), r.after.clone());
                                        // In words, in the reader's language (REST keeps the JSON).
                                        let change = move || {
                                            change_lines(before.as_deref(), after.as_deref(), i18n.locale())
                                                .into_iter()
                                                .map(|line| view! { <li>{line}</li> })
                                                .collect_view()
                                        };
                                        view! {
                                            <tr data-testid="audit-row" data-action=action.as_str()>
                                                <td class="nowrap">{move || when(i18n.locale(), &row)}</td>
                                                <td>{r.actor.clone()}</td>
                                                <td>{move || i18n.t(action_key(action))}</td>
                                                <td>{r.subject.clone()}</td>
                                                <td class="hide-sm"><ul class="audit-change" data-testid="audit-change">{change}</ul></td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                            <div class="pager">
                                <button class="btn btn-sm" disabled=move || trail.with(Vec::is_empty) on:click=move |_| {
                                    trail.set(Vec::new());
                                    before.set(None);
                                }>{move || i18n.t(K::AdminNewest)}</button>
                                <button class="btn btn-sm" data-testid="audit-older" disabled=next.is_none() on:click=move |_| {
                                    trail.update(|t| t.push(before.get_untracked()));
                                    before.set(next);
                                }>{move || i18n.t(K::AdminOlder)}</button>
                            </div>
                        }.into_any()
                    }
                })}
            </Transition>
        </section>
    }
}
