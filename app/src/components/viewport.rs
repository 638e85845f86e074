//! What the page knows of the window it is in, for the few things CSS cannot do alone.
use leptos::prelude::*;

/// Whether the window is phone-width, kept by the app's root (one resize listener for every
/// part that asks).
#[derive(Clone, Copy)]
pub struct Narrow(RwSignal<bool>);

/// Called once by the app's root.
pub fn provide_narrow() {
    let narrow = RwSignal::new(false);
    provide_context(Narrow(narrow));
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let measure = move || {
            let w = web_sys::window().and_then(|w| w.inner_width().ok()).and_then(|v| v.as_f64()).unwrap_or(1024.0);
            narrow.set(w <= 640.0);
        };
        measure();
        let handle = window_event_listener(leptos::ev::resize, move |_| measure());
        on_cleanup(move || handle.remove());
    });
}

/// True in a phone-width window (≤ 640 px). False on the server and while hydrating, so the
/// page hydrates what the server drew; what depends on it (the charts' narrow drawings, folded
/// forms) changes once the page is interactive.
pub fn use_narrow() -> Signal<bool> {
    let Some(Narrow(window)) = use_context::<Narrow>() else { return Signal::stored(false) };
    // Each part follows the window's value only once it has hydrated: the root may know the
    // width before a lazy page hydrates, and hydration does not redraw an attribute (a fold
    // would stay open as the server drew it).
    let own = RwSignal::new(false);
    Effect::new(move |_| own.set(window.get()));
    own.into()
}

/// A long form that folds away on a phone: open, with its summary hidden, on wider screens;
/// closed behind a full-width summary on a phone once the page is interactive. `open_when`
/// opens it anyway (a follow-up chosen elsewhere on the page that the form is for).
#[component]
pub fn Fold(
    #[prop(into)] label: Signal<String>,
    #[prop(optional, into)] open_when: Signal<bool>,
    testid: &'static str,
    children: Children,
) -> impl IntoView {
    let narrow = use_narrow();
    view! {
        <details class="fold" data-testid=testid open=move || !narrow.get() || open_when.get()>
            <summary class="fold-summary">{move || label.get()}</summary>
            {children()}
        </details>
    }
}

/// Whether the WASM has taken over the page, provided once by the app's root.
#[derive(Clone, Copy)]
pub struct Interactive(pub RwSignal<bool>);

/// False on the server and until hydration ends. A card rendered `draggable` before then looks
/// draggable and drops into nothing (Firefox ignores the CSS that blocks it), so drag sources
/// turn on with this.
pub fn use_interactive() -> Signal<bool> {
    use_context::<Interactive>().map_or_else(|| Signal::stored(false), |i| i.0.into())
}
