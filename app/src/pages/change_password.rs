//! Where a user whose password an administrator reset is sent (the server lets them reach
//! nothing else until it is done); any signed-in user may use it.
use crate::api::auth::{ChangePassword, Logout};
use crate::domain::error::AppError;
use crate::i18n::{error_message, use_i18n, K};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ChangePasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<ChangePassword>::new();
    let logout = ServerAction::<Logout>::new();
    let error = move || save.value().get().and_then(|r| r.err());
    // The message under the field it names; anything else under the button.
    let on_field = move |name: &'static str| {
        move || match error() {
            Some(AppError::Validation { field, .. }) if field == name => {
                let text = if name == "repeat_password" {
                    i18n.t(K::PasswordsDiffer).to_owned()
                } else {
                    error().map(|e| error_message(i18n.locale(), &e)).unwrap_or_default()
                };
                Some(view! { <span class="field-error" role="alert" data-testid=format!("err-{name}")>{text}</span> })
            }
            _ => None,
        }
    };
    let other = move || error().filter(|e| !matches!(e, AppError::Validation { .. }));
    view! {
        <Title text=move || i18n.t(K::ChangePwTitle).to_owned()/>
        <div class="login-wrap login-wrap-single">
            <section class="login-card" data-testid="change-password">
                <div class="login-top">
                    <span class="brand brand-dark">
                        <svg viewBox="0 0 32 32" class="brand-mark" aria-hidden="true">
                            <path d="M4 6h24l-9 11v8l-6 3V17z" fill="currentColor"/>
                        </svg>
                        <span>"Dealgate"</span>
                    </span>
                    <ActionForm action=logout>
                        <button type="submit" class="btn btn-sm">{move || i18n.t(K::SignOut)}</button>
                    </ActionForm>
                </div>
                <h1>{move || i18n.t(K::ChangePwTitle)}</h1>
                <p class="lead">{move || i18n.t(K::ChangePwLead)}</p>
                <ActionForm action=save attr:class="form" attr:novalidate="">
                    <div class="field">
                        <label for="current_password">{move || i18n.t(K::CurrentPassword)}</label>
                        <input id="current_password" name="current_password" type="password" autocomplete="current-password" required/>
                        {on_field("current_password")}
                    </div>
                    <div class="field">
                        <label for="new_password">{move || i18n.t(K::NewPasswordLabel)}</label>
                        <input id="new_password" name="new_password" type="password" autocomplete="new-password" minlength="8" maxlength="128" required/>
                        {on_field("new_password")}
                    </div>
                    <div class="field">
                        <label for="repeat_password">{move || i18n.t(K::RepeatPassword)}</label>
                        <input id="repeat_password" name="repeat_password" type="password" autocomplete="new-password" required/>
                        {on_field("repeat_password")}
                    </div>
                    {move || other().map(|e| view! { <div class="notice notice-error" role="alert">{move || error_message(i18n.locale(), &e)}</div> })}
                    <button type="submit" class="btn btn-primary btn-block" data-testid="change-password-save" disabled=move || save.pending().get()>
                        {move || i18n.t(K::ChangePwSave)}
                    </button>
                </ActionForm>
            </section>
        </div>
    }
}
