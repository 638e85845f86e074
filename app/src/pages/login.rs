use crate::api::auth::{Login, SetLocale};
use crate::domain::locale::Locale;
use crate::i18n::{error_message, use_i18n, K};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let login = ServerAction::<Login>::new();
    let set_locale = ServerAction::<SetLocale>::new();
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let pending = login.pending();
    let error = move || login.value().get().and_then(|r| r.err());
    let switch = move |l: Locale| {
        i18n.0.set(l);
        set_locale.dispatch(SetLocale { locale: l.tag().to_owned() });
    };
    view! {
        <Title text=move || i18n.t(K::SignIn).to_owned()/>
        <div class="login-wrap">
            <section class="login-card">
                <div class="login-top">
                    <span class="brand brand-dark">
                        <svg viewBox="0 0 32 32" class="brand-mark" aria-hidden="true">
                            <path d="M4 6h24l-9 11v8l-6 3V17z" fill="currentColor"/>
                        </svg>
                        <span>"Dealgate"</span>
                    </span>
                    <div class="lang-switch" role="group" aria-label=move || i18n.t(K::Language)>
                        <button type="button" class="lang-btn" aria-pressed=move || (i18n.locale() == Locale::En).to_string() on:click=move |_| switch(Locale::En)>
                            "EN"
                        </button>
                        <button type="button" class="lang-btn" lang="zh-CN" aria-pressed=move || (i18n.locale() == Locale::ZhCn).to_string() on:click=move |_| switch(Locale::ZhCn)>
                            "中文"
                        </button>
                    </div>
                </div>
                <h1>{move || i18n.t(K::SignInTitle)}</h1>
                <p class="lead">{move || i18n.t(K::SignInLead)}</p>
                <ActionForm action=login attr:class="form" attr:novalidate="">
                    <input type="hidden" name="next" prop:value=next/>
                    <div class="field">
                        <label for="email">{move || i18n.t(K::Email)}</label>
                        <input id="email" name="email" type="email" autocomplete="username" required/>
                    </div>
                    <div class="field">
                        <label for="password">{move || i18n.t(K::Password)}</label>
                        <input id="password" name="password" type="password" autocomplete="current-password" required/>
                    </div>
                    {move || {
                        error()
                            .map(|e| {
                                view! {
                                    <div class="notice notice-error" role="alert" data-testid="login-error">
                                        {move || error_message(i18n.locale(), &e)}
                                    </div>
                                }
                            })
                    }}
                    <button type="submit" class="btn btn-primary btn-block" disabled=move || pending.get()>
                        {move || if pending.get() { i18n.t(K::SigningIn) } else { i18n.t(K::SignIn) }}
                    </button>
                </ActionForm>
                <p class="hint">{move || i18n.t(K::DemoHint)}</p>
            </section>
            <aside class="login-aside" aria-hidden="true">
                <p class="aside-tag">{move || i18n.t(K::Tagline)}</p>
                <svg viewBox="0 0 240 200" class="aside-funnel">
                    <rect x="10" y="10" width="220" height="26" rx="4" class="f1"/>
                    <rect x="30" y="44" width="180" height="26" rx="4" class="f2"/>
                    <rect x="50" y="78" width="140" height="26" rx="4" class="f3"/>
                    <rect x="70" y="112" width="100" height="26" rx="4" class="f4"/>
                    <rect x="90" y="146" width="60" height="26" rx="4" class="f5"/>
                </svg>
            </aside>
        </div>
    }
}
