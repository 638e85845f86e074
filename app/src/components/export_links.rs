//! "Export XLSX · Export CSV" (and "Import") for a list: the same filters as the page, the
//! viewer's visibility applied by the server.
use crate::i18n::{use_i18n, K};
use leptos::prelude::*;

/// `list`: accounts | contacts | deals | activities | quotas; `query`: the page's filters as
/// a query string without the leading `?` (may be empty); `import`: the kind to import.
#[component]
pub fn ExportLinks(
    list: &'static str,
    #[prop(into)] query: Signal<String>,
    #[prop(optional)] import: Option<&'static str>,
) -> impl IntoView {
    let i18n = use_i18n();
    let href = move |format: &str| {
        let q = query.get();
        if q.is_empty() {
            format!("/api/v1/exports/{list}?format={format}")
        } else {
            format!("/api/v1/exports/{list}?format={format}&{q}")
        }
    };
    view! {
        <span class="export-links">
            <a class="btn btn-sm" rel="external" href=move || href("xlsx") data-testid=format!("export-{list}-xlsx")>{move || i18n.t(K::ExportXlsx)}</a>
            <a class="btn btn-sm" rel="external" href=move || href("csv") data-testid=format!("export-{list}-csv")>{move || i18n.t(K::ExportCsv)}</a>
            {import.map(|k| view! {
                <a class="btn btn-sm" href=format!("/import?kind={k}") data-testid=format!("import-{k}")>{move || i18n.t(K::NavImport)}</a>
            })}
        </span>
    }
}

/// `q=…` of a search, percent-encoded, or nothing.
pub fn search_query(q: Option<String>) -> String {
    q.map(|q| format!("q={}", super::search::encode(&q))).unwrap_or_default()
}
