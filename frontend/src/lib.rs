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
    // What `hydrate_lazy` does, then `<body data-hydrated>` once the page has really been
    // taken over: a lazy route hydrates only after its chunk has arrived, and an Effect in
    // App (where this used to be set) ran before that, while clicks still went nowhere.
    let Some(body) = leptos::prelude::document().body() else { return };
    wasm_bindgen_futures::spawn_local(async move {
        leptos::mount::hydrate_from_async(body.clone(), app::App).await.forget();
        let _ = body.set_attribute("data-hydrated", "true");
    });
}
