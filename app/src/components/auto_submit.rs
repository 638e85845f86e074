//! A filter that applies itself when changed: its form is submitted as if its button were
//! pressed. An inline `onchange="this.form…"` is refused by the Content-Security-Policy.
use wasm_bindgen::JsCast;

pub fn submit_own_form(ev: &web_sys::Event) {
    let form = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|e| e.closest("form").ok().flatten())
        .and_then(|f| f.dyn_into::<web_sys::HtmlFormElement>().ok());
    if let Some(form) = form {
        // `request_submit` fires the submit event, so the router's `<Form>` handles it in place.
        let _ = form.request_submit();
    }
}
