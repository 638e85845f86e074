//! Live updates in the browser: one EventSource on `/api/events` per page. Every change
//! (and every reconnect, which may have missed some) bumps a counter that pages watch to
//! reload from the server.
use leptos::prelude::*;

/// The last change announced by the server (absent for "resync").
#[derive(Clone, Debug, Default, PartialEq, serde::Deserialize)]
pub struct LiveEvent {
    #[serde(default)]
    pub kind: String,
    pub deal: Option<uuid::Uuid>,
    /// True when the signed-in user made the change (in this or another tab).
    #[serde(default)]
    pub mine: bool,
}

#[derive(Clone, Copy)]
pub struct LiveTick(pub RwSignal<u64>, pub RwSignal<Option<LiveEvent>>);

/// Called once by the shell.
pub fn provide_live() -> LiveTick {
    let tick = LiveTick(RwSignal::new(0), RwSignal::new(None));
    provide_context(tick);
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::{closure::Closure, JsCast};
        Effect::new(move |_| {
            let Ok(es) = web_sys::EventSource::new("/api/events") else { return };
            let bump = move || tick.0.update(|n| *n += 1);
            for name in ["change", "resync"] {
                let cb = Closure::<dyn Fn(web_sys::Event)>::new(move |ev: web_sys::Event| {
                    let data = ev.dyn_ref::<web_sys::MessageEvent>().and_then(|m| m.data().as_string());
                    tick.1.set(data.and_then(|d| serde_json::from_str::<LiveEvent>(&d).ok()));
                    bump()
                });
                let _ = es.add_event_listener_with_callback(name, cb.as_ref().unchecked_ref());
                cb.forget();
            }
            // The first open is the initial connection; later opens are reconnects: resync.
            let opened = std::rc::Rc::new(std::cell::Cell::new(false));
            let on_open = Closure::<dyn Fn(web_sys::Event)>::new(move |_| {
                if let Some(body) = document().body() {
                    let _ = body.set_attribute("data-live", "open");
                }
                if opened.replace(true) {
                    bump();
                }
            });
            es.set_onopen(Some(on_open.as_ref().unchecked_ref()));
            on_open.forget();
            let es = StoredValue::new_local(es);
            on_cleanup(move || es.with_value(|e| e.close()));
        });
    }
    tick
}

/// Runs `on_change` after every live change (not on the first render).
pub fn on_live_change(on_change: impl Fn() + 'static) {
    if let Some(tick) = use_context::<LiveTick>() {
        Effect::new(move |prev: Option<u64>| {
            let v = tick.0.get();
            if prev.is_some() {
                on_change();
            }
            v
        });
    }
}

/// The last live event, for pages that care who changed what.
pub fn last_live_event() -> Option<LiveEvent> {
    use_context::<LiveTick>().and_then(|t| t.1.get_untracked())
}
