//! `/admin`: users (create, change, reset, deactivate, hand over their deals), teams (create,
//! rename, choose the manager) and the audit log of all of it, with links to the other
//! administration pages.
use crate::api::admin::{admin_save_team, load_admin_directory};
use crate::components::states::{ErrorNotice, Skeleton};
use crate::domain::admin::{AdminTeam, AdminUser, TeamEdit};
use crate::domain::error::AppError;
use crate::domain::role::Role;
use crate::i18n::{use_i18n, K};
use crate::pages::admin_audit::AuditPanel;
use crate::pages::admin_users::{field_error, form_error, UserState, UsersPanel};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AdminPage() -> impl IntoView {
    let i18n = use_i18n();
    // Bumped after every act: the lists and the log reload.
    let acts = RwSignal::new(0u32);
    let data = Resource::new(move || acts.get(), |_| load_admin_directory());
    let changed = Callback::new(move |_| acts.update(|n| *n += 1));
    let users = UserState::new(changed);
    let teams = TeamState::new(changed);
    view! {
        <Title text=move || i18n.t(K::AdminTitle).to_owned()/>
        <div class="page-head">
            <div>
                <h1>{move || i18n.t(K::AdminTitle)}</h1>
                <p class="lead">{move || i18n.t(K::AdminLead)}</p>
            </div>
            <div class="head-actions">
                <a class="btn" href="/admin/accounts" data-testid="admin-accounts-link">{move || crate::i18n::market::mt(i18n.locale(), crate::i18n::market::M::PolicyLink)}</a>
                <a class="btn" href="/admin/products" data-testid="admin-products-link">{move || i18n.t(K::PriceListTitle)}</a>
                <a class="btn" href="/admin/checklists" data-testid="admin-checklists-link">{move || i18n.t(K::AdminChecklistsLink)}</a>
                <a class="btn" href="/quotas" data-testid="admin-quotas-link">{move || i18n.t(K::QuotasLink)}</a>
                <a class="btn" href="/admin/contract-chain" data-testid="admin-chain-link">{move || i18n.t(K::ChainAdminLink)}</a>
                <a class="btn btn-primary" href="/admin/pipelines" data-testid="admin-pipelines-link">{move || i18n.t(K::AdminPipelinesLink)}</a>
            </div>
        </div>
        <Transition fallback=|| view! { <Skeleton rows=6/> }>
            {move || {
                data.get().map(|r| match r {
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    Ok(d) => {
                        let managers: Vec<AdminUser> = d.users.iter().filter(|u| u.active && u.role == Role::Manager).cloned().collect();
                        let team_list = d.teams.clone();
                        view! {
                            <div class="grid-2">
                                <UsersPanel dir=d state=users/>
                            </div>
                            <div class="grid-2">
                                <TeamsPanel teams=team_list managers=managers state=teams/>
                            </div>
                        }
                        .into_any()
                    }
                })
            }}
        </Transition>
        <AuditPanel reload=acts/>
    }
}

#[derive(Clone, Default)]
struct TeamForm {
    id: Option<uuid::Uuid>,
    version: i32,
    name: String,
    manager: String,
}

impl TeamForm {
    fn of(t: &AdminTeam) -> Self {
        TeamForm {
            id: Some(t.id),
            version: t.version,
            name: t.name.clone(),
            manager: t.manager_id.map(|m| m.to_string()).unwrap_or_default(),
        }
    }
}

/// The team form and its save, owned by the page (a reload keeps them).
#[derive(Clone, Copy)]
struct TeamState {
    form: RwSignal<TeamForm>,
    saving: Action<TeamForm, Result<AdminTeam, AppError>>,
}

impl TeamState {
    fn new(changed: Callback<()>) -> Self {
        let form = RwSignal::new(TeamForm::default());
        let saving = Action::new(move |f: &TeamForm| {
            let edit = TeamEdit { name: f.name.clone(), manager: f.manager.parse().ok(), version: f.version };
            admin_save_team(f.id, edit)
        });
        Effect::new(move |_| {
            if let Some(Ok(t)) = saving.value().get() {
                form.set(TeamForm::of(&t));
                changed.run(());
            }
        });
        TeamState { form, saving }
    }
}

#[component]
fn TeamsPanel(teams: Vec<AdminTeam>, managers: Vec<AdminUser>, state: TeamState) -> impl IntoView {
    let i18n = use_i18n();
    let TeamState { form, saving } = state;
    let err = Signal::derive(move || saving.value().get().and_then(Result::err));
    let editing = move || form.with(|f| f.id.is_some());
    view! {
        <section class="panel table-wrap">
            <h2 class="panel-title">{move || i18n.t(K::AdminTeams)}</h2>
            <table class="table" data-testid="teams-table">
                <thead>
                    <tr>
                        <th>{move || i18n.t(K::ColTeam)}</th>
                        <th>{move || i18n.t(K::ColManager)}</th>
                        <th class="num">{move || i18n.t(K::ColMembers)}</th>
                        <th></th>
                    </tr>
                </thead>
                <tbody>
                    {teams.into_iter().map(|t| {
                        let row = TeamForm::of(&t);
                        let id = t.id;
                        view! {
                            <tr data-testid="team-row" class:row-selected=move || form.with(|f| f.id == Some(id))>
                                <td class="cell-title">{t.name.clone()}</td>
                                <td>{t.manager.clone().unwrap_or_default()}</td>
                                <td class="num">{t.members}</td>
                                <td><button class="btn btn-sm" data-testid="team-edit" on:click=move |_| { saving.value().set(None); form.set(row.clone()); }>{move || i18n.t(K::Edit)}</button></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
        <form class="panel form" data-testid="team-form" novalidate on:submit=move |ev| { ev.prevent_default(); saving.dispatch(form.get_untracked()); }>
            <h2 class="panel-title">{move || if editing() { i18n.t(K::AdminEditTeam) } else { i18n.t(K::AdminNewTeam) }}</h2>
            <div class="field">
                <label for="t-name">{move || i18n.t(K::AdminTeamName)}</label>
                <input id="t-name" data-testid="t-name" type="text" maxlength="60" prop:value=move || form.with(|f| f.name.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); form.update(|f| f.name = v); }/>
                {field_error(err, "name")}
            </div>
            <div class="field">
                <label for="t-manager">{move || i18n.t(K::ColManager)}</label>
                <select id="t-manager" data-testid="t-manager" prop:value=move || form.with(|f| f.manager.clone())
                    on:change=move |ev| { let v = event_target_value(&ev); form.update(|f| f.manager = v); }>
                    <option value="">{move || i18n.t(K::AdminNoManager)}</option>
                    {managers.into_iter().map(|m| view! { <option value=m.id.to_string()>{format!("{} · {}", m.name, m.team.unwrap_or_default())}</option> }).collect_view()}
                </select>
                <span class="hint">{move || i18n.t(K::AdminManagerHint)}</span>
                {field_error(err, "manager")}
            </div>
            <div class="form-actions">
                {form_error(err, &["name", "manager"])}
                {move || matches!(saving.value().get(), Some(Ok(_))).then(|| view! { <span class="saved" role="status" data-testid="team-saved">"✓ " {move || i18n.t(K::Saved)}</span> })}
                <button type="button" class="btn" on:click=move |_| { saving.value().set(None); form.set(TeamForm::default()); }>{move || i18n.t(K::AdminNewTeam)}</button>
                <button type="submit" class="btn btn-primary" data-testid="team-save" disabled=move || saving.pending().get()>{move || i18n.t(K::Save)}</button>
            </div>
        </form>
    }
}
