use crate::api::auth::{me, Logout, SetLocale};
use crate::domain::locale::Locale;
use crate::i18n::{role_name, use_i18n, K};
use leptos::prelude::*;
use leptos_router::components::{Outlet, A};

#[component]
fn NavLink(href: &'static str, label: K) -> impl IntoView {
    let i18n = use_i18n();
    view! { <A href=href attr:class="nav-link">{move || i18n.t(label)}</A> }
}

/// Header, navigation and the page outlet for signed-in users.
#[component]
pub fn Shell() -> impl IntoView {
    let i18n = use_i18n();
    let user = Resource::new(|| (), |_| me());
    let location = leptos_router::hooks::use_location();
    // Recounted on every navigation, so deciding a request updates the badge.
    let live = crate::components::live::provide_live();
    let pending = Resource::new(move || (location.pathname.get(), live.0.get()), |_| crate::api::approval::pending_approvals());
    let menu_open = RwSignal::new(false);
    Effect::new(move |_| {
        location.pathname.track();
        menu_open.set(false);
    });
    let logout = ServerAction::<Logout>::new();
    let set_locale = ServerAction::<SetLocale>::new();
    let switch = move |l: Locale| {
        i18n.0.set(l);
        set_locale.dispatch(SetLocale { locale: l.tag().to_owned() });
    };
    view! {
        <a class="skip-link" href="#main">{move || i18n.t(K::SkipToContent)}</a>
        <header class="topbar">
            <a class="brand" href="/">
                <svg viewBox="0 0 32 32" class="brand-mark" aria-hidden="true">
                    <path d="M4 6h24l-9 11v8l-6 3V17z" fill="currentColor"/>
                </svg>
                <span>{move || i18n.t(K::AppName)}</span>
            </a>
            // Phones: a menu button. A checkbox and its label, so the menu opens before the
            // page is interactive too; the signal closes it after a navigation.
            <input type="checkbox" id="nav-toggle" class="nav-toggle-box" prop:checked=menu_open
                on:change=move |ev| menu_open.set(event_target_checked(&ev))/>
            <label for="nav-toggle" class="nav-toggle" data-testid="nav-toggle" title=move || i18n.t(K::Menu)>
                <span aria-hidden="true">"☰"</span>
                <span class="sr-only">{move || i18n.t(K::Menu)}</span>
            </label>
            // A click on a link closes the phone menu (also when it leads to the page one is on).
            <nav class="mainnav" aria-label=move || i18n.t(K::NavMenu) data-testid="mainnav" on:click=move |_| menu_open.set(false)>
                <NavLink href="/" label=K::NavDashboard/>
                <NavLink href="/board" label=K::NavBoard/>
                <NavLink href="/forecast" label=K::NavForecast/>
                <NavLink href="/deals" label=K::NavDeals/>
                <NavLink href="/accounts" label=K::NavAccounts/>
                <NavLink href="/contacts" label=K::NavContacts/>
                <NavLink href="/contracts" label=K::NavContracts/>
                <NavLink href="/my/tasks" label=K::NavMyTasks/>
                <A href="/approvals" attr:class="nav-link">
                    {move || i18n.t(K::NavApprovals)}
                    <Transition fallback=|| ()>
                        {move || pending.get().and_then(|r| r.ok()).filter(|n| *n > 0).map(|n| view! { <span class="badge" data-testid="approvals-badge">{n}</span> })}
                    </Transition>
                </A>
                <Transition fallback=|| ()>
                    {move || {
                        user.get()
                            .and_then(|u| u.ok())
                            .filter(|u| u.role == crate::domain::role::Role::Presales)
                            .map(|_| view! { <NavLink href="/my/checklists" label=K::NavMyChecklists/> })
                    }}
                </Transition>
                <Transition fallback=|| ()>
                    {move || {
                        user.get()
                            .and_then(|u| u.ok())
                            .filter(|u| u.role.sees_admin())
                            .map(|_| view! { <NavLink href="/admin" label=K::NavAdmin/> })
                    }}
                </Transition>
            </nav>
            <div class="topbar-right">
                <crate::components::deal_room::comments::NotificationBell/>
                <div class="lang-switch" role="group" aria-label=move || i18n.t(K::Language)>
                    <button
                        type="button"
                        class="lang-btn"
                        aria-pressed=move || (i18n.locale() == Locale::En).to_string()
                        on:click=move |_| switch(Locale::En)
                    >
                        "EN"
                    </button>
                    <button
                        type="button"
                        class="lang-btn"
                        lang="zh-CN"
                        aria-pressed=move || (i18n.locale() == Locale::ZhCn).to_string()
                        on:click=move |_| switch(Locale::ZhCn)
                    >
                        "中文"
                    </button>
                </div>
                <Transition fallback=|| view! { <div class="user-chip skeleton-chip"></div> }>
                    {move || {
                        user.get()
                            .map(|r| match r {
                                Ok(u) => {
                                    let initials = u.initials();
                                    let team = u.team.clone();
                                    let role = u.role;
                                    // Narrow windows show the avatar only; the tooltip keeps who it is.
                                    let whole = {
                                        let (name, team) = (u.name.clone(), team.clone());
                                        move || {
                                            let team = team.clone().unwrap_or_else(|| i18n.t(K::NoTeam).to_owned());
                                            format!("{name} · {} · {team}", role_name(i18n.locale(), role))
                                        }
                                    };
                                    view! {
                                        <div class="user-chip" data-testid="user-chip" title=whole>
                                            <span class="avatar" aria-hidden="true">{initials}</span>
                                            <span class="user-text">
                                                <span class="user-name">{u.name.clone()}</span>
                                                <span class="user-meta">
                                                    {move || role_name(i18n.locale(), role)}
                                                    " · "
                                                    {
                                                        let team = team.clone();
                                                        move || team.clone().unwrap_or_else(|| i18n.t(K::NoTeam).to_owned())
                                                    }
                                                </span>
                                            </span>
                                        </div>
                                    }
                                        .into_any()
                                }
                                Err(_) => view! { <a class="btn btn-ghost" href="/login">{move || i18n.t(K::SignIn)}</a> }.into_any(),
                            })
                    }}
                </Transition>
                <ActionForm action=logout attr:class="logout-form">
                    <button type="submit" class="btn btn-ghost" data-testid="logout">{move || i18n.t(K::SignOut)}</button>
                </ActionForm>
            </div>
        </header>
        <main id="main" class="page">
            <Outlet/>
        </main>
    }
}
