//! Comments with @mentions on a deal, and the notification bell in the header.
use crate::api::room::{add_comment, load_comments, load_notifications, mark_notifications_read, may_comment, unread_notifications};
use crate::components::live::{last_live_event, on_live_change, LiveTick};
use crate::components::states::{ErrorNotice, Skeleton};
use crate::i18n::{error_message, use_i18n, K};
use leptos::prelude::*;
use uuid::Uuid;

/// The body with @mentions set apart (the server decides who is actually notified).
fn body_view(body: &str) -> impl IntoView {
    let mut parts = Vec::new();
    for (i, word) in body.split(' ').enumerate() {
        if i > 0 {
            parts.push(view! { " " }.into_any());
        }
        if word.len() > 1 && word.starts_with('@') {
            parts.push(view! { <span class="mention">{word.to_owned()}</span> }.into_any());
        } else {
            parts.push(word.to_owned().into_any());
        }
    }
    parts
}

#[component]
pub fn CommentsPanel(id: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    // The newest page (reloaded on live events) and the older pages the reader asked for.
    let rows = Resource::new(|| (), move |_| load_comments(id, None));
    let older_rows = RwSignal::new(Vec::<crate::domain::dto::CommentRow>::new());
    let older_cursor = RwSignal::new(None::<Uuid>);
    let load_older = Action::new(move |before: &Uuid| {
        let before = *before;
        async move { load_comments(id, Some(before)).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(page)) = load_older.value().get() {
            older_rows.update(|r| r.extend(page.rows));
            older_cursor.set(page.older);
        }
    });
    // A fresh newest page starts the trail of older pages again.
    Effect::new(move |_| {
        if let Some(Ok(page)) = rows.get() {
            older_rows.set(Vec::new());
            older_cursor.set(page.older);
        }
    });
    // Asked once: the form is not rebuilt (losing what is being typed) when the list reloads.
    let may_post = Resource::new(|| (), move |_| may_comment(id));
    let body = RwSignal::new(String::new());
    let post = Action::new(move |b: &String| {
        let b = b.clone();
        async move { add_comment(id, b).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = post.value().get() {
            body.set(String::new());
            rows.refetch();
        }
    });
    on_live_change(move || {
        if last_live_event().is_some_and(|e| e.deal == Some(id)) {
            rows.refetch();
        }
    });
    let blank = move || body.with(|b| b.trim().is_empty());
    view! {
        <section class="panel comments" data-testid="comments">
            <h2 class="panel-title">{move || i18n.t(K::CommentsTitle)}</h2>
            <Transition fallback=|| ()>
            {move || may_post.get().and_then(|r| r.ok()).unwrap_or(false).then(|| view! {
                <form class="comment-form" on:submit=move |ev| {
                    ev.prevent_default();
                    if !blank() {
                        post.dispatch(body.get_untracked().trim().to_owned());
                    }
                }>
                    <label for="comment-body" class="sr-only">{move || i18n.t(K::CommentsTitle)}</label>
                    <super::mention_box::MentionBox deal=id body=body/>
                    <div class="form-actions">
                        {move || post.value().get().and_then(|r| r.err()).map(|e| view! { <span class="field-error" role="alert">{move || error_message(i18n.locale(), &e)}</span> })}
                        <button type="submit" class="btn btn-primary btn-sm" data-testid="comment-post" disabled=move || blank() || post.pending().get()>
                            {move || i18n.t(K::CommentPost)}
                        </button>
                    </div>
                </form>
            })}
            </Transition>
            <Transition fallback=|| view! { <Skeleton rows=3/> }>
                {move || rows.get().map(|r| match r {
                    Err(e) => view! { <ErrorNotice error=e panel=true/> }.into_any(),
                    Ok(p) if p.rows.is_empty() => view! { <p class="muted">{move || i18n.t(K::CommentsEmpty)}</p> }.into_any(),
                    Ok(p) => view! {
                        <ol class="comment-list">
                            {p.rows.into_iter().chain(older_rows.get()).map(|c| view! {
                                <li class="comment" data-testid="comment">
                                    <div class="comment-head">
                                        <span class="avatar" aria-hidden="true">{crate::domain::dto::initials(&c.author)}</span>
                                        <strong>{c.author.clone()}</strong>
                                        <span class="muted num">{c.created_at.format("%Y-%m-%d %H:%M").to_string()}</span>
                                    </div>
                                    <p class="comment-body">{body_view(&c.body)}</p>
                                    {(!c.mentioned.is_empty()).then(|| view! {
                                        <span class="cell-sub">{move || i18n.t(K::CommentNotified)} ": " {c.mentioned.join(", ")}</span>
                                    })}
                                </li>
                            }).collect_view()}
                        </ol>
                        {move || older_cursor.get().map(|before| view! {
                            <button type="button" class="btn btn-link btn-sm" data-testid="comments-older"
                                disabled=move || load_older.pending().get()
                                on:click=move |_| { load_older.dispatch(before); }>
                                {move || i18n.t(K::CommentsOlder)}
                            </button>
                        })}
                    }.into_any(),
                })}
            </Transition>
        </section>
    }
}

/// The header bell: unread count (recounted on live events), a dropdown with links.
#[component]
pub fn NotificationBell() -> impl IntoView {
    let i18n = use_i18n();
    let tick = use_context::<LiveTick>();
    let open = RwSignal::new(false);
    let reads = RwSignal::new(0u32);
    let count = Resource::new(move || (tick.map(|t| t.0.get()), reads.get()), |_| unread_notifications());
    let list = Resource::new(
        move || (open.get(), reads.get()),
        |(o, _)| async move {
            if o {
                load_notifications(false).await
            } else {
                Ok(vec![])
            }
        },
    );
    let mark = Action::new(|ids: &Option<Vec<i32>>| {
        let ids = ids.clone();
        async move { mark_notifications_read(ids).await }
    });
    Effect::new(move |_| {
        if mark.value().get().is_some() {
            reads.update(|n| *n += 1);
        }
    });
    view! {
        <div class="notif">
            <button type="button" class="btn btn-ghost notif-bell" data-testid="notif-bell" aria-haspopup="true"
                aria-expanded=move || open.get().to_string() aria-label=move || i18n.t(K::NotificationsTitle)
                on:click=move |_| open.update(|o| *o = !*o)>
                <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
                    <path d="M6 16V11a6 6 0 0 1 12 0v5l2 2H4z M10 20a2 2 0 0 0 4 0" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linejoin="round"/>
                </svg>
                <Transition fallback=|| ()>
                    {move || count.get().and_then(|r| r.ok()).filter(|n| *n > 0).map(|n| view! { <span class="badge" data-testid="notif-count">{n}</span> })}
                </Transition>
            </button>
            <Show when=move || open.get()>
                <div class="notif-menu" data-testid="notif-menu" role="menu">
                    <div class="notif-head">
                        <strong>{move || i18n.t(K::NotificationsTitle)}</strong>
                        <button type="button" class="btn btn-sm btn-ghost-dark" data-testid="notif-read-all" on:click=move |_| { mark.dispatch(None); }>
                            {move || i18n.t(K::MarkAllRead)}
                        </button>
                    </div>
                    <Transition fallback=|| view! { <Skeleton rows=3/> }>
                        {move || list.get().map(|r| match r {
                            Err(e) => view! { <ErrorNotice error=e panel=true/> }.into_any(),
                            Ok(ns) if ns.is_empty() => view! { <p class="muted notif-empty">{move || i18n.t(K::NotificationsEmpty)}</p> }.into_any(),
                            Ok(ns) => view! {
                                <ul class="notif-list">
                                    {ns.into_iter().map(|n| {
                                        let nid = n.id;
                                        view! {
                                            <li class="notif-item" class:unread=!n.read data-testid="notif-item">
                                                <a href=format!("/deals/{}?tab=activities", n.deal_id) role="menuitem" on:click=move |_| {
                                                    mark.dispatch(Some(vec![nid]));
                                                    open.set(false);
                                                }>
                                                    <strong>{n.deal_name.clone()}</strong>
                                                    <span>
                                                        {match n.kind.as_str() {
                                                            "approval_approved" => Some(K::NotifApproved),
                                                            "approval_rejected" => Some(K::NotifRejected),
                                                            "approval_delegated" => Some(K::NotifDelegated),
                                                            _ => None,
                                                        }.map(|k| view! { <b class="notif-kind" data-testid="notif-kind">{move || i18n.t(k)}</b> " " })}
                                                        {n.text.clone()}
                                                    </span>
                                                    <span class="cell-sub num">{n.created_at.format("%Y-%m-%d %H:%M").to_string()}</span>
                                                </a>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            }.into_any(),
                        })}
                    </Transition>
                </div>
            </Show>
        </div>
    }
}
