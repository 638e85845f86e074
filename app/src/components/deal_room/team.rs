//! The deal team (members and their roles) and the merged timeline with its kind filter.
use crate::api::room::{add_member, load_member_candidates, load_members, load_timeline, remove_member};
use crate::components::live::LiveTick;
use crate::components::states::{ErrorNotice, Skeleton};
use crate::i18n::{error_message, use_i18n, K};
use leptos::prelude::*;
use uuid::Uuid;

const GROUPS: [(&str, K); 7] = [
    ("activity", K::GroupActivity),
    ("move", K::GroupMove),
    ("approval", K::GroupApproval),
    ("key_info", K::GroupKeyInfo),
    ("change", K::GroupChange),
    ("checklist", K::GroupChecklist),
    ("comment", K::GroupComment),
];

/// The label of a deal-team role code (owner, presales, pm, other).
pub(super) fn member_role(code: &str) -> K {
    match code {
        "owner" => K::MemberOwner,
        "presales" => K::MemberPresales,
        "pm" => K::MemberPm,
        _ => K::MemberOther,
    }
}

#[component]
pub fn MembersPanel(id: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let tick = use_context::<LiveTick>();
    let rows = Resource::new(move || tick.map(|t| t.0.get()), move |_| load_members(id));
    let remove = Action::new(move |u: &Uuid| {
        let u = *u;
        async move { remove_member(id, u).await }
    });
    // Only those who may manage the team get candidates; for others the form stays away.
    let candidates = Resource::new(move || tick.map(|t| t.0.get()), move |_| load_member_candidates(id));
    let who = RwSignal::new(String::new());
    let role = RwSignal::new("presales".to_owned());
    let add = Action::new(move |(u, r): &(Uuid, String)| {
        let (u, r) = (*u, r.clone());
        async move { add_member(id, u, r).await }
    });
    Effect::new(move |_| {
        if remove.value().get().is_some() {
            rows.refetch();
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = add.value().get() {
            who.set(String::new());
            rows.refetch();
            candidates.refetch();
        }
    });
    view! {
        <section class="panel members" data-testid="members">
            <h2 class="panel-title">{move || i18n.t(K::MembersTitle)}</h2>
            {move || remove.value().get().and_then(|r| r.err()).map(|e| view! { <p class="field-error" role="alert">{move || error_message(i18n.locale(), &e)}</p> })}
            <Transition fallback=|| ()>
                {move || candidates.get().and_then(Result::ok).map(|cs| view! {
                    <form class="member-add" data-testid="member-add-form" on:submit=move |ev| {
                        ev.prevent_default();
                        if let Ok(u) = who.get_untracked().parse::<Uuid>() {
                            add.dispatch((u, role.get_untracked()));
                        }
                    }>
                        <label class="sr-only" for="member-user">{move || i18n.t(K::MemberWho)}</label>
                        <select id="member-user" data-testid="member-user" prop:value=move || who.get() on:change=move |ev| who.set(event_target_value(&ev))>
                            <option value="">{move || i18n.t(K::MemberWho)} "…"</option>
                            {cs.into_iter().map(|c| {
                                let r = c.role.clone();
                                view! { <option value=c.user_id.to_string()>{c.name.clone()} " · " {move || crate::domain::role::Role::parse(&r).map(|x| crate::i18n::role_name(i18n.locale(), x)).unwrap_or_default()}</option> }
                            }).collect_view()}
                        </select>
                        <label class="sr-only" for="member-role">{move || i18n.t(K::MemberAs)}</label>
                        <select id="member-role" data-testid="member-role" prop:value=move || role.get() on:change=move |ev| role.set(event_target_value(&ev))>
                            {["presales", "pm", "other"].into_iter().map(|r| view! { <option value=r>{move || i18n.t(member_role(r))}</option> }).collect_view()}
                        </select>
                        <button type="submit" class="btn btn-sm btn-primary" data-testid="member-add" disabled=move || who.with(|w| w.is_empty()) || add.pending().get()>
                            "+ " {move || i18n.t(K::MemberAdd)}
                        </button>
                    </form>
                })}
            </Transition>
            {move || add.value().get().and_then(|r| r.err()).map(|e| view! { <p class="field-error" role="alert" data-testid="member-add-error">{move || error_message(i18n.locale(), &e)}</p> })}
            <Transition fallback=|| view! { <Skeleton rows=2/> }>
                {move || rows.get().map(|r| match r {
                    Err(e) => view! { <ErrorNotice error=e panel=true/> }.into_any(),
                    Ok(ms) if ms.is_empty() => view! { <p class="muted">{move || i18n.t(K::MembersEmpty)}</p> }.into_any(),
                    Ok(ms) => view! {
                        <ul class="member-list">
                            {ms.into_iter().map(|m| {
                                let uid = m.user_id;
                                let owner = m.role == "owner";
                                let role = m.role.clone();
                                view! {
                                    <li class="member" data-testid="member" data-role=m.role.clone()>
                                        <span class="avatar" aria-hidden="true">{crate::domain::dto::initials(&m.name)}</span>
                                        <span class="member-text"><strong>{m.name.clone()}</strong><span class="cell-sub">{m.email.clone()}</span></span>
                                        <span class="chip">{move || i18n.t(member_role(&role))}</span>
                                        {(!owner).then(|| view! {
                                            <button type="button" class="btn btn-sm btn-danger-ghost" data-testid="member-remove"
                                                disabled=move || remove.pending().get() on:click=move |_| { remove.dispatch(uid); }>
                                                {move || i18n.t(K::MemberRemove)}
                                            </button>
                                        })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                })}
            </Transition>
        </section>
    }
}

/// Activities, moves, approvals, edits, checklist ticks and comments in one list, newest first.
#[component]
pub fn DealFeed(id: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let tick = use_context::<LiveTick>();
    // Empty means every group.
    let chosen = RwSignal::new(Vec::<&'static str>::new());
    let rows = Resource::new(
        move || (tick.map(|t| t.0.get()), chosen.get()),
        move |(_, gs)| async move {
            let groups = (!gs.is_empty()).then(|| gs.iter().map(|g| g.to_string()).collect());
            load_timeline(id, groups).await
        },
    );
    view! {
        <section class="panel deal-feed" data-testid="deal-feed">
            <h2 class="panel-title">{move || i18n.t(K::FeedTitle)}</h2>
            <div class="feed-filter" role="group">
                <button type="button" class="filter-chip" data-testid="feed-filter-all" aria-pressed=move || chosen.with(|c| c.is_empty()).to_string()
                    on:click=move |_| chosen.set(vec![])>{move || i18n.t(K::FeedAll)}</button>
                {GROUPS.into_iter().map(|(g, k)| view! {
                    <button type="button" class="filter-chip" data-testid="feed-filter" data-group=g
                        aria-pressed=move || chosen.with(|c| c.contains(&g)).to_string()
                        on:click=move |_| chosen.update(|c| if let Some(i) = c.iter().position(|x| *x == g) { c.remove(i); } else { c.push(g); })>
                        {move || i18n.t(k)}
                    </button>
                }).collect_view()}
            </div>
            <Transition fallback=|| view! { <Skeleton rows=4/> }>
                {move || rows.get().map(|r| match r {
                    Err(e) => view! { <ErrorNotice error=e panel=true/> }.into_any(),
                    Ok(es) if es.is_empty() => view! { <p class="muted">{move || i18n.t(K::FeedEmpty)}</p> }.into_any(),
                    Ok(es) => view! {
                        <ol class="timeline">
                            {es.into_iter().map(|e| view! {
                                <li class=format!("tl tl-{}", e.group) data-testid="feed-entry" data-group=e.group.clone() data-kind=e.kind.clone()>
                                    <span class="tl-dot" aria-hidden="true"></span>
                                    <div class="tl-body">
                                        <span>{e.text.clone()}</span>
                                        {e.late.then(|| view! { <span class="chip chip-amber">"◔ " {move || i18n.t(K::ActLate)}</span> })}
                                        <span class="cell-sub">{e.at.format("%Y-%m-%d %H:%M").to_string()} " · " {e.actor.clone().unwrap_or_default()}</span>
                                    </div>
                                </li>
                            }).collect_view()}
                        </ol>
                    }.into_any(),
                })}
            </Transition>
        </section>
    }
}
