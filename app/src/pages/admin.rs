use crate::api::admin::load_admin_overview;
use crate::components::states::{ErrorNotice, Skeleton};
use crate::i18n::{role_name, use_i18n, K};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AdminPage() -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(|| (), |_| load_admin_overview());
    view! {
        <Title text=move || i18n.t(K::AdminTitle).to_owned()/>
        <div class="page-head">
            <div>
                <h1>{move || i18n.t(K::AdminTitle)}</h1>
                <p class="lead">{move || i18n.t(K::AdminLead)}</p>
            </div>
            <div class="head-actions">
                <a class="btn" href="/admin/products" data-testid="admin-products-link">{move || i18n.t(K::PriceListTitle)}</a>
                <a class="btn" href="/admin/checklists" data-testid="admin-checklists-link">{move || i18n.t(K::AdminChecklistsLink)}</a>
                <a class="btn" href="/admin/contract-chain" data-testid="admin-chain-link">{move || i18n.t(K::ChainAdminLink)}</a>
                <a class="btn btn-primary" href="/admin/pipelines" data-testid="admin-pipelines-link">{move || i18n.t(K::AdminPipelinesLink)}</a>
            </div>
        </div>
        <Transition fallback=|| view! { <Skeleton rows=6/> }>
            {move || {
                data.get().map(|r| match r {
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    Ok(o) => view! {
                        <div class="grid-2">
                            <section class="panel table-wrap">
                                <h2 class="panel-title">{move || i18n.t(K::AdminUsers)}</h2>
                                <table class="table">
                                    <thead>
                                        <tr>
                                            <th>{move || i18n.t(K::ColName)}</th>
                                            <th>{move || i18n.t(K::ColRole)}</th>
                                            <th class="hide-sm">{move || i18n.t(K::ColTeam)}</th>
                                            <th>{move || i18n.t(K::ColStatus)}</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {o.users.into_iter().map(|u| {
                                            let role = u.role;
                                            let active = u.active;
                                            view! {
                                                <tr>
                                                    <td><span class="cell-title">{u.name}</span><span class="cell-sub">{u.email}</span></td>
                                                    <td>{move || role_name(i18n.locale(), role)}</td>
                                                    <td class="hide-sm">{u.team.unwrap_or_default()}</td>
                                                    <td>
                                                        <span class=if active { "status status-ok" } else { "status status-off" }>
                                                            {move || if active { i18n.t(K::Active) } else { i18n.t(K::Inactive) }}
                                                        </span>
                                                    </td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </section>
                            <section class="panel table-wrap">
                                <h2 class="panel-title">{move || i18n.t(K::AdminTeams)}</h2>
                                <table class="table">
                                    <thead>
                                        <tr>
                                            <th>{move || i18n.t(K::ColTeam)}</th>
                                            <th>{move || i18n.t(K::ColManager)}</th>
                                            <th class="right">{move || i18n.t(K::ColMembers)}</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {o.teams.into_iter().map(|t| view! {
                                            <tr>
                                                <td class="cell-title">{t.name}</td>
                                                <td>{t.manager.unwrap_or_default()}</td>
                                                <td class="right num">{t.members}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </section>
                        </div>
                    }
                    .into_any(),
                })
            }}
        </Transition>
    }
}
