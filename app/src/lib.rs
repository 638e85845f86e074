#![recursion_limit = "512"]
//! Dealgate: everything both the server and the browser see.
pub mod api;
pub mod components;
pub mod domain;
pub mod i18n;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

use crate::domain::locale::Locale;
use crate::i18n::I18n;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::path;

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = initial_locale().tag();
    #[cfg(feature = "ssr")]
    crate::ssr::security::set_page_csp();
    view! {
        <!DOCTYPE html>
        <html lang=lang>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light"/>
                <link rel="icon" type="image/svg+xml" href="/favicon.svg"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The language both renders agree on: the server resolved it per request and wrote it
/// into `<html lang>`, which the browser reads back before hydrating.
fn initial_locale() -> Locale {
    #[cfg(feature = "ssr")]
    {
        crate::ssr::context::request_locale()
    }
    #[cfg(not(feature = "ssr"))]
    {
        document().document_element().and_then(|e| e.get_attribute("lang")).and_then(|l| Locale::parse(&l)).unwrap_or_default()
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let i18n = I18n(RwSignal::new(initial_locale()));
    provide_context(i18n);
    Effect::new(move |_| {
        let l = i18n.0.get();
        if let Some(el) = document().document_element() {
            let _ = el.set_attribute("lang", l.tag());
        }
    });
    // Tests (and curious humans) can tell the WASM has taken over the page; so can controls
    // that only work once it has (see `components::viewport::use_interactive`).
    let interactive = components::viewport::Interactive(RwSignal::new(false));
    provide_context(interactive);
    Effect::new(move |_| {
        if let Some(b) = document().body() {
            let _ = b.set_attribute("data-hydrated", "true");
        }
        interactive.0.set(true);
    });
    view! {
        <Stylesheet id="leptos" href="/pkg/dealgate.css"/>
        <Title formatter=|t: String| if t.is_empty() { "Dealgate".to_owned() } else { format!("{t} · Dealgate") }/>
        <Router>
            <Routes fallback=|| view! { <pages::not_found::NotFound/> }>
                <Route path=path!("/login") view=pages::login::LoginPage/>
                <Route path=path!("/change-password") view=pages::change_password::ChangePasswordPage/>
                <Route path=path!("/quotes/:id/print") view=pages::quote_print::QuotePrintPage/>
                <ParentRoute path=path!("") view=components::shell::Shell>
                    <Route path=path!("") view=pages::dashboard::DashboardPage/>
                    <Route path=path!("board") view=pages::board::BoardPage/>
                    <Route path=path!("forecast") view=pages::forecast::ForecastPage/>
                    <Route path=path!("forecast/deals") view=pages::forecast::ForecastDealsPage/>
                    <Route path=path!("deals") view=pages::deals::DealsPage/>
                    <Route path=path!("deals/:id") view=pages::deal::DealPage/>
                    <Route path=path!("quotes/:id") view=pages::quote::QuotePage/>
                    <Route path=path!("contracts") view=pages::contracts::ContractsPage/>
                    <Route path=path!("contracts/:id") view=pages::contract::ContractPage/>
                    <Route path=path!("accounts") view=pages::accounts::AccountsPage/>
                    <Route path=path!("accounts/capacity") view=pages::capacity::CapacityPage/>
                    <Route path=path!("accounts/:id") view=pages::account::AccountPage/>
                    <Route path=path!("import") view=pages::import::ImportPage/>
                    <Route path=path!("import/:id") view=pages::import::ImportJobPage/>
                    <Route path=path!("contacts") view=pages::contacts::ContactsPage/>
                    <Route path=path!("quotas") view=pages::quotas::QuotasPage/>
                    <Route path=path!("approvals") view=pages::approvals::ApprovalsPage/>
                    <Route path=path!("my/checklists") view=pages::my_checklists::MyChecklistsPage/>
                    <Route path=path!("my/tasks") view=pages::my_tasks::MyTasksPage/>
                    <Route path=path!("objections") view=pages::objections::ObjectionReportPage/>
                    <Route path=path!("admin") view=pages::admin::AdminPage/>
                    <Route path=path!("admin/pipelines") view=pages::pipeline_admin::PipelineAdminPage/>
                    <Route path=path!("admin/accounts") view=pages::account_policy_admin::AccountPolicyAdminPage/>
                    <Route path=path!("admin/checklists") view=pages::checklist_admin::ChecklistAdminPage/>
                    <Route path=path!("admin/products") view=pages::product_admin::ProductAdminPage/>
                    <Route path=path!("admin/contract-chain") view=pages::contract_chain_admin::ContractChainAdminPage/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}
