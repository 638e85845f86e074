//! Live updates in the browser: one EventSource on `/api/events` per page. Every change
//! (and every reconnect, which may have missed some) bumps a counter that pages watch to
//! reload from the server. Account and contact changes bump a counter of their own, so a
//! board does not reload when someone logs a revisit.
use leptos::prelude::*;

/// The last change announced by the server (absent for "resync").
#[derive(Clone, Debug, Default, PartialEq, serde::Deserialize)]
pub struct LiveEvent {
    #[serde(default)]
    pub kind: String,
    pub deal: Option<uuid::Uuid>,
    /// Set for account and contact changes.
    #[serde(default)]
    pub account: Option<uuid::Uuid>,
    /// True when the signed-in user made the change (in this or another tab).
    #[serde(default)]
    pub mine: bool,
}

#[derive(Clone, Copy)]
pub struct LiveTick(pub RwSignal<u64>, pub RwSignal<Option<LiveEvent>>, pub RwSignal<u64>);

/// Called once by the shell.
pub fn provide_live() -> LiveTick {
    let tick = LiveTick(RwSignal::new(0), RwSignal::new(None), RwSignal::new(0));
    provide_context(tick);
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::{closure::Closure, JsCast};
        Effect::new(move |_| {
            let Ok(es) = web_sys::EventSource::new("/api/events") else { return };
            // A reconnect or a lag may have missed either kind: both reload.
            let bump = move || {
                tick.0.update(|n| *n += 1);
                tick.2.update(|n| *n += 1);
            };
            for name in ["change", "resync"] {
                let cb = Closure::<dyn Fn(web_sys::Event)>::new(move |ev: web_sys::Event| {
                    let data = ev.dyn_ref::<web_sys::MessageEvent>().and_then(|m| m.data().as_string());
                    let event = data.and_then(|d| serde_json::from_str::<LiveEvent>(&d).ok());
                    let about_account = event.as_ref().is_some_and(|e| e.account.is_some());
                    tick.1.set(event);
                    if about_account {
                        tick.2.update(|n| *n += 1);
                    } else {
                        tick.0.update(|n| *n += 1);
                    }
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
    watch(|t| t.0, on_change);
}

/// Runs `on_change` each time the chosen counter moves (not on the first render).
fn watch(counter: fn(LiveTick) -> RwSignal<u64>, on_change: impl Fn() + 'static) {
    if let Some(tick) = use_context::<LiveTick>() {
        Effect::new(move |prev: Option<u64>| {
            let v = counter(tick).get();
            if prev.is_some() {
                on_change();
            }
            v
        });
    }
}

/// Runs `on_change` after every account or contact change (and after a resync).
pub fn on_account_change(on_change: impl Fn() + 'static) {
    watch(|t| t.2, on_change);
}

/// Someone else changed what this page shows: say so, and offer the latest without losing
/// local edits (forms keep the version they read; saving over a newer one is refused).
/// `concerns` picks the events about this page's object.
#[component]
pub fn LiveBanner(concerns: fn(&LiveEvent, uuid::Uuid) -> bool, id: uuid::Uuid, on_reload: Callback<()>) -> impl IntoView {
    use crate::i18n::{use_i18n, K};
    let i18n = use_i18n();
    let shown = RwSignal::new(false);
    let check = move || {
        if last_live_event().is_some_and(|e| !e.mine && concerns(&e, id)) {
            shown.set(true);
        }
    };
    on_live_change(check);
    on_account_change(check);
    view! {
        <Show when=move || shown.get()>
            <div class="live-banner" role="status" data-testid="live-banner">
                <span>"◆ " {move || i18n.t(K::ChangedByOther)}</span>
                <button type="button" class="btn btn-primary btn-sm" on:click=move |_| { shown.set(false); on_reload.run(()); }>
                    {move || i18n.t(K::ShowLatest)}
                </button>
                <button type="button" class="btn btn-ghost btn-sm" on:click=move |_| shown.set(false)>{move || i18n.t(K::Dismiss)}</button>
            </div>
        </Show>
    }
}

/// The last live event, for pages that care who changed what.
pub fn last_live_event() -> Option<LiveEvent> {
    use_context::<LiveTick>().and_then(|t| t.1.get_untracked())
}
