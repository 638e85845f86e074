use crate::i18n::{showing, use_i18n, K};
use leptos::prelude::*;
use leptos_router::components::{Form, A};

/// A GET form: the search lives in the URL, so a filtered list can be shared as a link.
#[component]
pub fn SearchBox(
    action: &'static str,
    #[prop(into)] value: Signal<String>,
    /// Filters a new search keeps (sent as hidden fields).
    #[prop(optional, into)]
    keep: Option<Signal<Vec<(&'static str, String)>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Form method="GET" action=action attr:class="search" attr:role="search">
            {move || keep.map(|k| k.get().into_iter().map(|(n, v)| view! { <input type="hidden" name=n value=v/> }).collect_view())}
            <label class="sr-only" for="q">{move || i18n.t(K::Search)}</label>
            <input id="q" type="search" name="q" prop:value=move || value.get() placeholder=move || i18n.t(K::Search)/>
            <button type="submit" class="btn">{move || i18n.t(K::Search)}</button>
        </Form>
    }
}

/// A query value percent-encoded, as a new string.
pub fn encode(value: &str) -> String {
    let mut s = String::with_capacity(value.len());
    encode_into(&mut s, value);
    s
}

/// Percent-encodes a query value (RFC 3986 unreserved characters stay).
pub fn encode_into(s: &mut String, value: &str) {
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
}

fn href(path: &str, q: &Option<String>, keep: &[(&'static str, String)], page: u64) -> String {
    let mut s = format!("{path}?page={page}");
    if let Some(q) = q {
        s.push_str("&q=");
        encode_into(&mut s, q);
    }
    for (k, v) in keep {
        s.push('&');
        s.push_str(k);
        s.push('=');
        encode_into(&mut s, v);
    }
    s
}

/// `keep`: the list's other filters, carried to the next and previous pages.
#[component]
pub fn Pager(
    path: &'static str,
    q: Option<String>,
    page: u64,
    per_page: u64,
    total: u64,
    #[prop(optional)] keep: Vec<(&'static str, String)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let from = if total == 0 { 0 } else { (page - 1) * per_page + 1 };
    let to = (page * per_page).min(total);
    let prev = (page > 1).then(|| href(path, &q, &keep, page - 1));
    let next = (to < total).then(|| href(path, &q, &keep, page + 1));
    view! {
        <nav class="pager">
            <span class="muted">{move || showing(i18n.locale(), from, to, total)}</span>
            <span class="pager-links">
                {prev.map(|h| view! { <A href=h attr:class="btn">{move || i18n.t(K::Previous)}</A> })}
                {next.map(|h| view! { <A href=h attr:class="btn">{move || i18n.t(K::Next)}</A> })}
            </span>
        </nav>
    }
}
