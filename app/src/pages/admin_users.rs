//! The users panel of `/admin`: the list, the form that creates a user or changes one (role,
//! team, language; their open deals follow them to a new team), and the acts on a chosen user
//! (reset the password, deactivate — naming who decides the approvals waiting on them, when
//! some wait — or reactivate, hand their open deals to someone else). Errors stand next to the
//! field the server named.
use crate::api::admin::{admin_create_user, admin_reassign, admin_reset_password, admin_set_active, admin_update_user};
use crate::domain::admin::{delegate_roles, AdminDirectory, AdminUser, NewUser, ReassignOutcome, UserEdit};
use crate::domain::error::AppError;
use crate::domain::locale::Locale;
use crate::domain::role::Role;
use crate::i18n::{error_message, role_name, use_i18n, K};
use leptos::prelude::*;

/// The message of a validation error on `field`, shown under that field.
pub(crate) fn field_error(err: Signal<Option<AppError>>, field: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        err.get().and_then(|e| match &e {
            AppError::Validation { field: f, .. } if f == field => {
                Some(view! { <span class="field-error" role="alert" data-testid=format!("err-{field}")>{error_message(i18n.locale(), &e)}</span> })
            }
            _ => None,
        })
    }
}

/// An error no field is named in (a conflict, a refusal), for under the form's buttons.
pub(crate) fn form_error(err: Signal<Option<AppError>>, fields: &'static [&'static str]) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        err.get().filter(|e| !matches!(e, AppError::Validation { field, .. } if fields.contains(&field.as_str()))).map(|e| {
            view! { <span class="field-error" role="alert" data-testid="form-error">{error_message(i18n.locale(), &e)}</span> }
        })
    }
}

/// The user form as typed.
#[derive(Clone, Default)]
struct Form {
    id: Option<uuid::Uuid>,
    version: i32,
    name: String,
    email: String,
    role: String,
    team: String,
    locale: String,
    password: String,
}

impl Form {
    fn blank() -> Self {
        Form { role: Role::Rep.as_str().into(), ..Default::default() }
    }

    fn of(u: &AdminUser) -> Self {
        Form {
            id: Some(u.id),
            version: u.version,
            name: u.name.clone(),
            email: u.email.clone(),
            role: u.role.as_str().into(),
            team: u.team_id.map(|t| t.to_string()).unwrap_or_default(),
            locale: u.locale.map(|l| l.tag().to_owned()).unwrap_or_default(),
            password: String::new(),
        }
    }

    fn role(&self) -> Role {
        Role::parse(&self.role).unwrap_or(Role::Rep)
    }

    fn team(&self) -> Option<uuid::Uuid> {
        self.team.parse().ok()
    }

    fn locale(&self) -> Option<Locale> {
        Locale::parse(&self.locale)
    }
}

async fn save(f: Form) -> Result<AdminUser, AppError> {
    match f.id {
        None => {
            let new = NewUser {
                name: f.name.clone(),
                email: f.email.clone(),
                role: f.role(),
                team: f.team(),
                locale: f.locale(),
                password: f.password.clone(),
            };
            admin_create_user(new).await
        }
        Some(id) => {
            let edit = UserEdit { name: f.name.clone(), role: f.role(), team: f.team(), locale: f.locale(), version: f.version };
            admin_update_user(id, edit).await
        }
    }
}

/// The panel's forms and acts, owned by the page so that reloading the list after an act
/// keeps what was typed and what the act answered.
#[derive(Clone, Copy)]
pub struct UserState {
    form: RwSignal<Form>,
    saving: Action<Form, Result<AdminUser, AppError>>,
    reset: Action<(uuid::Uuid, String), Result<AdminUser, AppError>>,
    /// (user, active, who decides their waiting approvals when deactivated: a user id or "").
    toggle: Action<(uuid::Uuid, bool, String), Result<AdminUser, AppError>>,
    reassign: Action<(uuid::Uuid, String), Result<ReassignOutcome, AppError>>,
}

impl UserState {
    /// The state, and `changed` run after every act that succeeded (the page reloads its lists).
    pub fn new(changed: Callback<()>) -> Self {
        let form = RwSignal::new(Form::blank());
        let saving = Action::new(move |f: &Form| save(f.clone()));
        let reset = Action::new(move |(id, p): &(uuid::Uuid, String)| admin_reset_password(*id, p.clone()));
        let toggle = Action::new(move |(id, on, delegate): &(uuid::Uuid, bool, String)| admin_set_active(*id, *on, delegate.parse().ok()));
        let reassign = Action::new(move |(id, to): &(uuid::Uuid, String)| {
            let (id, to) = (*id, to.parse::<uuid::Uuid>());
            async move {
                match to {
                    Ok(to) => admin_reassign(id, to).await,
                    Err(_) => Err(AppError::validation("to", "choose a user")),
                }
            }
        });
        Effect::new(move |_| {
            if let Some(Ok(u)) = saving.value().get() {
                form.set(Form::of(&u));
                changed.run(());
            }
        });
        Effect::new(move |_| {
            // A refusal for want of a delegate also reloads: the list then shows what waits.
            let needs_delegate = matches!(toggle.value().get(), Some(Err(AppError::Validation { field, .. })) if field == "delegate");
            let ok = matches!(reset.value().get(), Some(Ok(_))) || matches!(toggle.value().get(), Some(Ok(_))) || needs_delegate;
            if ok || matches!(reassign.value().get(), Some(Ok(_))) {
                changed.run(());
            }
        });
        UserState { form, saving, reset, toggle, reassign }
    }

    /// Forgets the answers of the acts (another user was chosen).
    fn clear(self) {
        self.saving.value().set(None);
        self.reset.value().set(None);
        self.toggle.value().set(None);
        self.reassign.value().set(None);
    }
}

#[component]
pub fn UsersPanel(dir: AdminDirectory, state: UserState) -> impl IntoView {
    let i18n = use_i18n();
    let AdminDirectory { users, teams } = dir;
    let users = StoredValue::new(users);
    let teams = StoredValue::new(teams);
    let UserState { form, saving, .. } = state;
    let err = Signal::derive(move || saving.value().get().and_then(Result::err));
    let input = move |k: K, tid: &'static str, kind: &'static str, get: fn(&Form) -> String, set: fn(&mut Form, String)| {
        view! {
            <div class="field">
                <label for=tid>{move || i18n.t(k)}</label>
                <input id=tid data-testid=tid type=kind autocomplete="off" prop:value=move || form.with(get)
                    on:input=move |ev| { let v = event_target_value(&ev); form.update(|f| set(f, v)); }/>
            </div>
        }
    };
    let editing = move || form.with(|f| f.id.is_some());
    let selected = move || form.with(|f| f.id).and_then(|id| users.with_value(|us| us.iter().find(|u| u.id == id).cloned()));
    view! {
        <section class="panel table-wrap">
            <h2 class="panel-title">{move || i18n.t(K::AdminUsers)}</h2>
            <table class="table" data-testid="users-table">
                <thead>
                    <tr>
                        <th>{move || i18n.t(K::ColName)}</th>
                        <th>{move || i18n.t(K::ColRole)}</th>
                        <th class="hide-sm">{move || i18n.t(K::ColTeam)}</th>
                        <th class="num hide-sm">{move || i18n.t(K::AdminOpenDeals)}</th>
                        <th>{move || i18n.t(K::ColStatus)}</th>
                        <th></th>
                    </tr>
                </thead>
                <tbody>
                    {users.get_value().into_iter().map(|u| {
                        let (role, active, must, id) = (u.role, u.active, u.must_change_password, u.id);
                        let row = Form::of(&u);
                        view! {
                            <tr class:row-muted=!active class:row-selected=move || form.with(|f| f.id == Some(id)) data-testid="user-row" data-email=u.email.clone()>
                                <td><span class="cell-title">{u.name.clone()}</span><span class="cell-sub">{u.email.clone()}</span></td>
                                <td>{move || role_name(i18n.locale(), role)}</td>
                                <td class="hide-sm">{u.team.clone().unwrap_or_default()}</td>
                                <td class="num hide-sm">{u.open_deals}</td>
                                <td>
                                    <span class=if active { "status status-ok" } else { "status status-off" }>
                                        {move || if active { i18n.t(K::Active) } else { i18n.t(K::Inactive) }}
                                    </span>
                                    {must.then(|| view! { " " <span class="chip chip-amber">{move || i18n.t(K::AdminMustChange)}</span> })}
                                </td>
                                <td><button class="btn btn-sm" data-testid="user-edit" on:click=move |_| { state.clear(); form.set(row.clone()); }>{move || i18n.t(K::Edit)}</button></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
        <div class="stack">
            <form class="panel form" data-testid="user-form" novalidate on:submit=move |ev| { ev.prevent_default(); saving.dispatch(form.get_untracked()); }>
                <h2 class="panel-title">{move || if editing() { i18n.t(K::AdminEditUser) } else { i18n.t(K::AdminNewUser) }}</h2>
                {input(K::ColName, "u-name", "text", |f| f.name.clone(), |f, v| f.name = v)}
                {field_error(err, "name")}
                <Show when=move || !editing()>
                    {input(K::Email, "u-email", "email", |f| f.email.clone(), |f, v| f.email = v)}
                    {field_error(err, "email")}
                </Show>
                <div class="field">
                    <label for="u-role">{move || i18n.t(K::ColRole)}</label>
                    <select id="u-role" data-testid="u-role" prop:value=move || form.with(|f| f.role.clone()) on:change=move |ev| { let v = event_target_value(&ev); form.update(|f| f.role = v); }>
                        {Role::ALL.into_iter().map(|r| view! { <option value=r.as_str()>{move || role_name(i18n.locale(), r)}</option> }).collect_view()}
                    </select>
                    {field_error(err, "role")}
                </div>
                <div class="field">
                    <label for="u-team">{move || i18n.t(K::ColTeam)}</label>
                    <select id="u-team" data-testid="u-team" prop:value=move || form.with(|f| f.team.clone()) on:change=move |ev| { let v = event_target_value(&ev); form.update(|f| f.team = v); }>
                        <option value="">{move || i18n.t(K::AdminNoTeam)}</option>
                        {teams.get_value().into_iter().map(|t| view! { <option value=t.id.to_string()>{t.name.clone()}</option> }).collect_view()}
                    </select>
                    {move || selected().filter(|u| u.open_deals > 0).map(|u| view! {
                        <span class="hint" data-testid="team-move-hint">{u.open_deals} " " {move || i18n.t(K::AdminTeamMoveHint)}</span>
                    })}
                    {field_error(err, "team")}
                </div>
                <div class="field">
                    <label for="u-locale">{move || i18n.t(K::Language)}</label>
                    <select id="u-locale" data-testid="u-locale" prop:value=move || form.with(|f| f.locale.clone()) on:change=move |ev| { let v = event_target_value(&ev); form.update(|f| f.locale = v); }>
                        <option value="">{move || i18n.t(K::AdminBrowserLanguage)}</option>
                        <option value="en">"English"</option>
                        <option value="zh-CN">"中文"</option>
                    </select>
                </div>
                <Show when=move || !editing()>
                    {input(K::AdminInitialPassword, "u-password", "password", |f| f.password.clone(), |f, v| f.password = v)}
                    {field_error(err, "password")}
                </Show>
                <div class="form-actions">
                    {form_error(err, &["name", "email", "role", "team", "password"])}
                    {move || matches!(saving.value().get(), Some(Ok(_))).then(|| view! { <span class="saved" role="status" data-testid="user-saved">"✓ " {move || i18n.t(K::Saved)}</span> })}
                    <button type="button" class="btn" data-testid="user-new" on:click=move |_| { state.clear(); form.set(Form::blank()); }>{move || i18n.t(K::AdminNewUser)}</button>
                    <button type="submit" class="btn btn-primary" data-testid="user-save" disabled=move || saving.pending().get()>
                        {move || if editing() { i18n.t(K::Save) } else { i18n.t(K::AdminCreateUser) }}
                    </button>
                </div>
            </form>
            {move || selected().map(|u| view! { <UserActs user=u users=users.get_value() state=state/> })}
        </div>
    }
}

/// What an admin does to a chosen user besides editing the record.
#[component]
fn UserActs(user: AdminUser, users: Vec<AdminUser>, state: UserState) -> impl IntoView {
    let i18n = use_i18n();
    let id = user.id;
    let password = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let UserState { reset, toggle, reassign, .. } = state;
    let reset_err = Signal::derive(move || reset.value().get().and_then(Result::err));
    let toggle_err = Signal::derive(move || toggle.value().get().and_then(Result::err));
    let reassign_err = Signal::derive(move || reassign.value().get().and_then(Result::err));
    let active = user.active;
    let waiting = if active { user.pending_approvals } else { 0 };
    let delegate = RwSignal::new(String::new());
    // Who routing could have sent these approvals to (the server also checks they see the deals).
    let fits = delegate_roles(user.role);
    let delegates: Vec<AdminUser> = users.iter().filter(|u| u.active && u.id != id && fits.contains(&u.role)).cloned().collect();
    let targets: Vec<AdminUser> = users.into_iter().filter(|u| u.active && u.id != id && u.team_id.is_some()).collect();
    view! {
        <section class="panel form" data-testid="user-acts">
            <h2 class="panel-title">{user.name.clone()} <span class="cell-sub">{user.email.clone()}</span></h2>
            <form class="admin-actions" novalidate on:submit=move |ev| { ev.prevent_default(); reset.dispatch((id, password.get_untracked())); }>
                <div class="field">
                    <label for="u-temp">{move || i18n.t(K::AdminTemporaryPassword)}</label>
                    <input id="u-temp" data-testid="u-temp" type="password" autocomplete="new-password" prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev))/>
                </div>
                <button type="submit" class="btn" data-testid="user-reset" disabled=move || reset.pending().get()>{move || i18n.t(K::AdminResetPassword)}</button>
            </form>
            {field_error(reset_err, "password")}
            {form_error(reset_err, &["password"])}
            {move || matches!(reset.value().get(), Some(Ok(_))).then(|| view! { <p class="saved" role="status">{move || i18n.t(K::AdminResetDone)}</p> })}
            <form class="admin-actions" novalidate on:submit=move |ev| { ev.prevent_default(); reassign.dispatch((id, to.get_untracked())); }>
                <div class="field">
                    <label for="u-to">{move || i18n.t(K::AdminReassignTo)} " (" {user.open_deals} ")"</label>
                    <select id="u-to" data-testid="u-to" prop:value=move || to.get() on:change=move |ev| to.set(event_target_value(&ev))>
                        <option value="">{move || i18n.t(K::AdminChooseUser)}</option>
                        {targets.into_iter().map(|u| view! { <option value=u.id.to_string()>{format!("{} · {}", u.name, u.team.unwrap_or_default())}</option> }).collect_view()}
                    </select>
                </div>
                <button type="submit" class="btn" data-testid="user-reassign" disabled=move || reassign.pending().get()>{move || i18n.t(K::AdminReassign)}</button>
            </form>
            {field_error(reassign_err, "to")}
            {form_error(reassign_err, &["to"])}
            {move || reassign.value().get().and_then(Result::ok).map(|o| view! {
                <p class="saved" role="status" data-testid="reassign-done">
                    {o.moved} " " {move || i18n.t(K::AdminDealsMoved)}
                    {(o.remaining > 0).then(|| view! { "; " {o.remaining} " " {move || i18n.t(K::AdminDealsRemaining)} })}
                </p>
            })}
            <p class="hint">{move || i18n.t(K::AdminDeactivateLead)}</p>
            {(waiting > 0).then(|| view! {
                <div class="field" data-testid="delegate-field">
                    <label for="u-delegate">{waiting} " " {move || i18n.t(K::AdminApprovalsWaiting)}</label>
                    <select id="u-delegate" data-testid="u-delegate" prop:value=move || delegate.get() on:change=move |ev| delegate.set(event_target_value(&ev))>
                        <option value="">{move || i18n.t(K::AdminChooseDelegate)}</option>
                        {delegates.into_iter().map(|u| {
                            let role = u.role;
                            view! { <option value=u.id.to_string()>{u.name.clone()} " · " {move || role_name(i18n.locale(), role)} {u.team.map(|t| format!(" · {t}"))}</option> }
                        }).collect_view()}
                    </select>
                    {field_error(toggle_err, "delegate")}
                </div>
            })}
            <div class="form-actions">
                {field_error(toggle_err, "user")}
                // A delegate error without the field (approvals arrived since the list was read)
                // stands here, under the button.
                {form_error(toggle_err, if waiting > 0 { &["user", "delegate"] } else { &["user"] })}
                <button type="button" class=if active { "btn btn-danger-ghost" } else { "btn" } data-testid="user-toggle"
                    disabled=move || toggle.pending().get() on:click=move |_| { toggle.dispatch((id, !active, delegate.get_untracked())); }>
                    {move || if active { i18n.t(K::AdminDeactivate) } else { i18n.t(K::AdminReactivate) }}
                </button>
            </div>
        </section>
    }
}
