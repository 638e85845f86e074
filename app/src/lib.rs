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
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::path;
use leptos_router::Lazy;

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
                <HashedStylesheet options=options.clone() id="leptos"/>
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
    // `<body data-hydrated>` (tests, the loading bar) is set by the frontend crate once the
    // lazy routes have hydrated too. Controls that only work once the WASM runs (see
    // `components::viewport::use_interactive`) turn on here: a lazy page's own parts hydrate
    // with their listeners, after this.
    let interactive = components::viewport::Interactive(RwSignal::new(false));
    provide_context(interactive);
    Effect::new(move |_| interactive.0.set(true));
    components::viewport::provide_narrow();
    view! {
        <Title formatter=|t: String| if t.is_empty() { "Dealgate".to_owned() } else { format!("{t} · Dealgate") }/>
        <Router>
            <Routes fallback=|| view! { <pages::not_found::NotFound/> }>
                <Route path=path!("/login") view=pages::login::LoginPage/>
                <Route path=path!("/change-password") view=pages::change_password::ChangePasswordPage/>
                <Route path=path!("/quotes/:id/print") view={Lazy::<routes::deal::QuotePrintPage>::new()}/>
                <ParentRoute path=path!("") view=components::shell::Shell>
                    <Route path=path!("") view={Lazy::<routes::home::DashboardPage>::new()}/>
                    <Route path=path!("board") view={Lazy::<routes::pipeline::BoardPage>::new()}/>
                    <Route path=path!("forecast") view={Lazy::<routes::home::ForecastPage>::new()}/>
                    <Route path=path!("forecast/deals") view={Lazy::<routes::home::ForecastDealsPage>::new()}/>
                    <Route path=path!("deals") view={Lazy::<routes::pipeline::DealsPage>::new()}/>
                    <Route path=path!("deals/:id") view={Lazy::<routes::deal::DealPage>::new()}/>
                    <Route path=path!("quotes/:id") view={Lazy::<routes::deal::QuotePage>::new()}/>
                    <Route path=path!("contracts") view={Lazy::<routes::pipeline::ContractsPage>::new()}/>
                    <Route path=path!("contracts/:id") view={Lazy::<routes::deal::ContractPage>::new()}/>
                    <Route path=path!("accounts") view={Lazy::<routes::accounts::AccountsPage>::new()}/>
                    <Route path=path!("accounts/capacity") view={Lazy::<routes::accounts::CapacityPage>::new()}/>
                    <Route path=path!("accounts/:id") view={Lazy::<routes::accounts::AccountPage>::new()}/>
                    <Route path=path!("import") view={Lazy::<routes::accounts::ImportPage>::new()}/>
                    <Route path=path!("import/:id") view={Lazy::<routes::accounts::ImportJobPage>::new()}/>
                    <Route path=path!("contacts") view={Lazy::<routes::accounts::ContactsPage>::new()}/>
                    <Route path=path!("quotas") view={Lazy::<routes::admin::QuotasPage>::new()}/>
                    <Route path=path!("approvals") view={Lazy::<routes::pipeline::ApprovalsPage>::new()}/>
                    <Route path=path!("my/checklists") view={Lazy::<routes::pipeline::MyChecklistsPage>::new()}/>
                    <Route path=path!("my/tasks") view={Lazy::<routes::pipeline::MyTasksPage>::new()}/>
                    <Route path=path!("objections") view={Lazy::<routes::home::ObjectionReportPage>::new()}/>
                    <Route path=path!("admin") view={Lazy::<routes::admin::AdminPage>::new()}/>
                    <Route path=path!("admin/pipelines") view={Lazy::<routes::admin::PipelineAdminPage>::new()}/>
                    <Route path=path!("admin/accounts") view={Lazy::<routes::admin::AccountPolicyAdminPage>::new()}/>
                    <Route path=path!("admin/checklists") view={Lazy::<routes::admin::ChecklistAdminPage>::new()}/>
                    <Route path=path!("admin/products") view={Lazy::<routes::admin::ProductAdminPage>::new()}/>
                    <Route path=path!("admin/contract-chain") view={Lazy::<routes::admin::ContractChainAdminPage>::new()}/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}

/// The pages behind sign-in are lazy routes: with `cargo leptos build --split` each group's
/// code is a WASM chunk of its own, fetched when one of its pages is first shown (issue 19:
/// the first page's WASM within budget). The sign-in pages and the shell stay in the main
/// chunk. Pages are grouped, a split point per group: every split point multiplies the small
/// chunks of code shared between them (one per page made 870 of them, a request each).
mod routes {
    macro_rules! chunk {
        ($chunk:ident { $($page:ident => $($path:ident)::+,)* }) => {
            pub mod $chunk {
                use leptos::prelude::*;

                // The variants are the page types' names, which all end in `Page`.
                #[allow(clippy::enum_variant_names)]
                #[derive(Clone, Copy)]
                pub enum Which {
                    $($page,)*
                }

                #[leptos::lazy($chunk)]
                pub fn show(which: Which) -> AnyView {
                    match which {
                        $(Which::$page => $($path)::+().into_any(),)*
                    }
                }

                $(
                    pub struct $page;
                    impl leptos_router::LazyRoute for $page {
                        fn data() -> Self {
                            $page
                        }
                        // hydrate_lazy() waits only for preload() before hydrating; the
                        // trait's default does nothing, so the page would hydrate while its
                        // chunk is still on the way and find an empty marker at <Outlet/>.
                        // `#[leptos::lazy]` generates `__preload_show` (browser builds only).
                        async fn preload() {
                            #[cfg(feature = "hydrate")]
                            __preload_show().await;
                        }
                        async fn view(_this: Self) -> AnyView {
                            show(Which::$page).await
                        }
                    }
                )*
            }
        };
    }

    chunk!(home {
        DashboardPage => crate::pages::dashboard::DashboardPage,
        ForecastPage => crate::pages::forecast::ForecastPage,
        ForecastDealsPage => crate::pages::forecast::ForecastDealsPage,
        ObjectionReportPage => crate::pages::objections::ObjectionReportPage,
    });
    chunk!(pipeline {
        BoardPage => crate::pages::board::BoardPage,
        DealsPage => crate::pages::deals::DealsPage,
        ApprovalsPage => crate::pages::approvals::ApprovalsPage,
        MyTasksPage => crate::pages::my_tasks::MyTasksPage,
        MyChecklistsPage => crate::pages::my_checklists::MyChecklistsPage,
        ContractsPage => crate::pages::contracts::ContractsPage,
    });
    chunk!(deal {
        DealPage => crate::pages::deal::DealPage,
        QuotePage => crate::pages::quote::QuotePage,
        QuotePrintPage => crate::pages::quote_print::QuotePrintPage,
        ContractPage => crate::pages::contract::ContractPage,
    });
    chunk!(accounts {
        AccountsPage => crate::pages::accounts::AccountsPage,
        AccountPage => crate::pages::account::AccountPage,
        CapacityPage => crate::pages::capacity::CapacityPage,
        ContactsPage => crate::pages::contacts::ContactsPage,
        ImportPage => crate::pages::import::ImportPage,
        ImportJobPage => crate::pages::import::ImportJobPage,
    });
    chunk!(admin {
        AdminPage => crate::pages::admin::AdminPage,
        PipelineAdminPage => crate::pages::pipeline_admin::PipelineAdminPage,
        AccountPolicyAdminPage => crate::pages::account_policy_admin::AccountPolicyAdminPage,
        ChecklistAdminPage => crate::pages::checklist_admin::ChecklistAdminPage,
        ProductAdminPage => crate::pages::product_admin::ProductAdminPage,
        ContractChainAdminPage => crate::pages::contract_chain_admin::ContractChainAdminPage,
        QuotasPage => crate::pages::quotas::QuotasPage,
    });
}
