#![recursion_limit = "512"]
//! The browser entry point: hydrate the server-rendered page and nothing else. The pages are
//! lazy routes (split into their own WASM chunks), which `hydrate_body` cannot wait for.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    // A panic aborts the WASM: log it, and tell the user the page must be reloaded.
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        app::components::fatal::show_notice();
    }));
    leptos::mount::hydrate_lazy(app::App);
}
