//! Editing a contact outside the committee map: the form (name, title, department, phone,
//! e-mail) under the version it read, errors next to the field the server named, delete
//! with a second click (refused while the contact is on deals). Used by `/contacts` and by
//! the account page's contacts list, which also lives here.
use crate::api::contact::{delete_contact, update_contact};
use crate::domain::account::contact::ContactPatch;
use crate::domain::account::dto::AccountView;
use crate::domain::dto::{ContactRow, NewContact};
use crate::domain::error::AppError;
use crate::i18n::{error_message, use_i18n, K};
use leptos::prelude::*;

/// The validation message on `field`, under that field (the server wrote it in the user's
/// language already).
fn field_error(err: RwSignal<Option<AppError>>, field: &'static str) -> impl IntoView {
    move || {
        err.get().and_then(|e| match e {
            AppError::Validation { field: f, message } if f == field => {
                Some(view! { <span class="field-error" role="alert" data-testid=format!("contact-err-{field}")>{message}</span> })
            }
            _ => None,
        })
    }
}

/// One labelled input; its id and test id are `contact-{field}`.
fn text_field(
    label: K,
    field: &'static str,
    kind: &'static str,
    form: RwSignal<NewContact>,
    get: fn(&NewContact) -> String,
    set: fn(&mut NewContact, String),
    err: RwSignal<Option<AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = format!("contact-{field}");
    view! {
        <div class="field">
            <label for=id.clone()>{move || i18n.t(label)}</label>
            <input id=id.clone() type=kind data-testid=id prop:value=move || form.with(get)
                on:input=move |ev| { let v = event_target_value(&ev); form.update(|f| set(f, v)); }/>
            {field_error(err, field)}
        </div>
    }
}

#[component]
pub fn ContactEditor(
    contact: ContactRow,
    #[prop(into)] on_saved: Callback<ContactRow>,
    #[prop(into)] on_deleted: Callback<uuid::Uuid>,
    #[prop(into)] on_cancel: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = contact.id;
    let version = contact.version;
    let form = RwSignal::new(NewContact {
        name: contact.name.clone(),
        title: contact.title.clone(),
        department: contact.department.clone(),
        phone: contact.phone.clone(),
        email: contact.email.clone(),
    });
    let err = RwSignal::new(None::<AppError>);
    let confirming = RwSignal::new(false);
    let saving = Action::new(move |f: &NewContact| update_contact(id, ContactPatch::whole(f), version));
    let deleting = Action::new(move |_: &()| delete_contact(id));
    Effect::new(move |_| match saving.value().get() {
        Some(Ok(c)) => on_saved.run(c),
        Some(Err(e)) => err.set(Some(e)),
        None => {}
    });
    Effect::new(move |_| match deleting.value().get() {
        Some(Ok(())) => on_deleted.run(id),
        Some(Err(e)) => {
            confirming.set(false);
            err.set(Some(e));
        }
        None => {}
    });
    view! {
        <form class="form contact-edit" data-testid="contact-form" novalidate
            on:submit=move |ev| { ev.prevent_default(); err.set(None); saving.dispatch(form.get_untracked()); }>
            <h3 class="panel-title">{move || i18n.t(K::ContactEditTitle)}</h3>
            <div class="contact-edit-grid">
                {text_field(K::ColName, "name", "text", form, |f| f.name.clone(), |f, v| f.name = v, err)}
                {text_field(K::AcctColTitle, "title", "text", form, |f| f.title.clone().unwrap_or_default(), |f, v| f.title = Some(v), err)}
                {text_field(K::AcctColDepartment, "department", "text", form, |f| f.department.clone().unwrap_or_default(), |f, v| f.department = Some(v), err)}
                {text_field(K::AcctColPhone, "phone", "tel", form, |f| f.phone.clone().unwrap_or_default(), |f, v| f.phone = Some(v), err)}
                {text_field(K::Email, "email", "email", form, |f| f.email.clone().unwrap_or_default(), |f, v| f.email = Some(v), err)}
            </div>
            <div class="form-actions">
                {move || {
                    err.get().filter(|e| !matches!(e, AppError::Validation { field, .. }
                        if ["name", "title", "department", "phone", "email"].contains(&field.as_str())))
                        .map(|e| view! { <span class="field-error" role="alert" data-testid="contact-form-error">{error_message(i18n.locale(), &e)}</span> })
                }}
                <Show when=move || confirming.get() fallback=move || view! {
                    <button type="button" class="btn btn-danger-ghost" data-testid="contact-delete" on:click=move |_| confirming.set(true)>
                        {move || i18n.t(K::ContactDelete)}
                    </button>
                }>
                    <span class="muted">{move || i18n.t(K::ContactDeleteConfirm)}</span>
                    <button type="button" class="btn btn-danger" data-testid="contact-delete-confirm" disabled=move || deleting.pending().get()
                        on:click=move |_| { err.set(None); deleting.dispatch(()); }>
                        {move || i18n.t(K::ContactDelete)}
                    </button>
                </Show>
                <button type="button" class="btn" data-testid="contact-cancel" on:click=move |_| on_cancel.run(())>{move || i18n.t(K::Cancel)}</button>
                <button type="submit" class="btn btn-primary" data-testid="contact-save" disabled=move || saving.pending().get()>
                    {move || if saving.pending().get() { i18n.t(K::Saving) } else { i18n.t(K::Save) }}
                </button>
            </div>
        </form>
    }
}

/// The account's history after a contact change: the server wrote a row for it in the same
/// transaction; only the history is replaced, so nothing else on the page jumps.
fn refresh_history(account: RwSignal<AccountView>) {
    let id = account.with_untracked(|a| a.id);
    leptos::task::spawn_local(async move {
        if let Ok(fresh) = crate::api::account::load_account(id).await {
            account.update(|a| a.history = fresh.history);
        }
    });
}

/// The account page's contacts, each editable in place by whoever may edit the account.
#[component]
pub fn AccountContacts(account: RwSignal<AccountView>, #[prop(into)] may_edit: Signal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let editing = RwSignal::new(None::<uuid::Uuid>);
    let account_id = move || account.with(|a| a.id);
    view! {
        <section class="panel table-wrap" data-testid="account-contacts">
            <h2 class="panel-title">
                {move || i18n.t(K::ColContacts)}
                " "
                <a class="btn btn-sm" href=move || format!("/contacts?account={}", account_id()) data-testid="account-contacts-all">
                    {move || i18n.t(K::ContactsOfAccount)}
                </a>
            </h2>
            {move || {
                let rows = account.with(|a| a.contacts.clone());
                if rows.is_empty() {
                    return view! { <p class="muted acct-empty">{move || i18n.t(K::AcctContactsEmpty)}</p> }.into_any();
                }
                view! {
                    <table class="table acct-table">
                        <thead><tr>
                            <th>{move || i18n.t(K::ColName)}</th>
                            <th>{move || i18n.t(K::AcctColTitle)}</th>
                            <th>{move || i18n.t(K::AcctColDepartment)}</th>
                            <th>{move || i18n.t(K::AcctColPhone)}</th>
                            <th>{move || i18n.t(K::Email)}</th>
                            <th><span class="sr-only">{move || i18n.t(K::Edit)}</span></th>
                        </tr></thead>
                        <tbody>
                            {rows.into_iter().map(|c| {
                                let id = c.id;
                                let email = c.email.clone().map(|e| {
                                    let href = format!("mailto:{e}");
                                    view! { <a href=href>{e}</a> }
                                });
                                let editor = c.clone();
                                view! {
                                    <tr data-testid="account-contact" data-contact=id.to_string()>
                                        <td><span class="cell-title">{c.name}</span></td>
                                        <td data-testid="account-contact-title">{c.title.unwrap_or_default()}</td>
                                        <td>{c.department.unwrap_or_default()}</td>
                                        <td class="tel">{c.phone.unwrap_or_default()}</td>
                                        <td>{email}</td>
                                        <td>
                                            <Show when=move || may_edit.get()>
                                                <button type="button" class="btn btn-sm" data-testid="account-contact-edit"
                                                    on:click=move |_| editing.set(Some(id))>{move || i18n.t(K::Edit)}</button>
                                            </Show>
                                        </td>
                                    </tr>
                                    <Show when=move || editing.get() == Some(id)>
                                        <tr class="contact-edit-row"><td colspan="6">
                                            <ContactEditor contact=editor.clone()
                                                on_saved=move |saved: ContactRow| {
                                                    editing.set(None);
                                                    account.update(|a| if let Some(slot) = a.contacts.iter_mut().find(|x| x.id == saved.id) { *slot = saved; });
                                                    refresh_history(account);
                                                }
                                                on_deleted=move |gone: uuid::Uuid| {
                                                    editing.set(None);
                                                    account.update(|a| a.contacts.retain(|x| x.id != gone));
                                                    refresh_history(account);
                                                }
                                                on_cancel=move |_| editing.set(None)/>
                                        </td></tr>
                                    </Show>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }
                .into_any()
            }}
        </section>
    }
}
