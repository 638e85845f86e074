//! The Content-Security-Policy of a rendered page. Leptos puts a fresh nonce on every inline
//! script it writes (hydration, streamed resources); the page's policy names that nonce, so
//! no other inline script runs. The server adds the remaining headers (see its `web.rs`).

/// The policy of an HTML page rendered with `nonce`.
/// - `script-src`: our bundle (`'self'`), the inline scripts carrying this response's nonce,
///   and `'wasm-unsafe-eval'` to compile the WASM bundle; nothing else, no `eval`.
/// - `style-src 'unsafe-inline'`: components set `style=` attributes (bar widths, colours);
///   a nonce cannot cover attributes, and styles cannot run code.
/// - `connect-src 'self'`: server functions, REST and the live stream `/api/events`.
/// - `frame-ancestors 'none'`: no other site frames a page (clickjacking).
pub fn page_csp(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

/// Sets the page's policy on the response being rendered, from the nonce Leptos renders it
/// with. Called by the HTML shell; does nothing outside a server render.
pub fn set_page_csp() {
    use leptos::prelude::use_context;
    if let (Some(nonce), Some(opts)) = (leptos::nonce::use_nonce(), use_context::<leptos_axum::ResponseOptions>()) {
        if let Ok(v) = axum::http::HeaderValue::from_str(&page_csp(&nonce)) {
            opts.insert_header(axum::http::header::CONTENT_SECURITY_POLICY, v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_policy_allows_our_scripts_only() {
        let p = page_csp("abc");
        for part in [
            "script-src 'self' 'nonce-abc' 'wasm-unsafe-eval';",
            "connect-src 'self'",
            "frame-ancestors 'none'",
            "object-src 'none'",
            "style-src 'self' 'unsafe-inline'",
        ] {
            assert!(p.contains(part), "{part} missing in {p}");
        }
        assert!(!p.contains(" 'unsafe-eval'"));
        assert!(!p.contains("script-src 'self' 'unsafe-inline'"));
        assert!(!p.contains('\n'));
    }
}
