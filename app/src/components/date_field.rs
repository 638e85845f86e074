//! One date control for every form: the date is typed and shown the way the page writes dates
//! (`2027-01-20` in Chinese, `20 Jan 2027` in English), not in the browser's own `mm/dd/yyyy`,
//! and a calendar button opens the browser's picker for those who would rather click.

use crate::domain::date_entry::{parse, to_value, DateEntryError};
use crate::domain::locale::Locale;
use crate::domain::money::format_date;
use crate::i18n::{use_i18n, K};
use chrono::NaiveDate;
use leptos::html;
use leptos::prelude::*;

/// How a form value reads in the field: a date in the page's form, anything else as it is.
fn shown(value: &str, locale: Locale) -> String {
    value.parse::<NaiveDate>().map_or_else(|_| value.to_string(), |d| format_date(d, locale))
}

fn problem(text: &str) -> Option<K> {
    if text.trim().is_empty() {
        return None;
    }
    parse(text).err().map(|e| match e {
        DateEntryError::NotADate => K::DateNotADate,
        DateEntryError::Ambiguous => K::DateAmbiguous,
        DateEntryError::OutOfRange => K::DateOutOfRange,
    })
}

/// `value` is the form's value: `YYYY-MM-DD`, empty, or — while the text is not a date — the
/// text itself, so the form's own check refuses it rather than saving a guess or nothing.
/// `on_input` hears every keystroke's value; `on_commit` only a finished entry (leaving the
/// field, Enter, a pick in the calendar), for fields that save at once.
#[component]
pub fn DateField(
    #[prop(into)] value: Signal<String>,
    #[prop(optional)] on_input: Option<Callback<String>>,
    #[prop(optional)] on_commit: Option<Callback<String>>,
    #[prop(optional, into)] id: Option<String>,
    #[prop(optional, into)] testid: Option<String>,
    #[prop(optional)] label: Option<K>,
    #[prop(optional, into)] disabled: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let text = RwSignal::new(shown(&value.get_untracked(), i18n.0.get_untracked()));
    let touched = RwSignal::new(false);
    let picker = NodeRef::<html::Input>::new();

    // A value set from outside (a reset after saving, a default proposed later) or a switch of
    // language redraws the text; the person's own typing is left alone.
    Effect::new(move |prev: Option<Locale>| {
        let v = value.get();
        let l = i18n.locale();
        let typed = text.get_untracked();
        if to_value(&typed) != v || prev.is_some_and(|p| p != l) {
            text.set(shown(&v, l));
        }
        l
    });

    let emit = move |v: String| {
        if let Some(cb) = on_input {
            cb.run(v);
        }
    };
    let commit = move || {
        touched.set(true);
        let t = text.get_untracked();
        // A finished date reads back in the page's own form.
        if let Ok(d) = parse(&t) {
            text.set(format_date(d, i18n.0.get_untracked()));
        }
        if let Some(cb) = on_commit {
            cb.run(to_value(&t));
        }
    };
    let open_picker = move |_| {
        if let Some(el) = picker.get() {
            el.set_value(&parse(&text.get_untracked()).map(|d| d.to_string()).unwrap_or_default());
            // Browsers without showPicker() keep the typed field; nothing else to do.
            let _ = el.show_picker();
        }
    };
    let err = move || if touched.get() { problem(&text.get()) } else { None };
    let err_id = id.clone().map(|i| format!("{i}-error"));
    let err_id2 = err_id.clone();

    view! {
        <span class="date-field">
            <input
                type="text"
                autocomplete="off"
                id=id
                data-testid=testid
                data-value=move || to_value(&text.get())
                aria-label=move || label.map(|k| i18n.t(k))
                aria-invalid=move || err().is_some().then_some("true")
                aria-describedby=move || err().and(err_id2.clone())
                placeholder=move || i18n.t(K::DatePlaceholder)
                disabled=move || disabled.get()
                prop:value=move || text.get()
                on:input=move |ev| {
                    let t = event_target_value(&ev);
                    emit(to_value(&t));
                    text.set(t);
                }
                on:change=move |_| commit()
            />
            <button type="button" class="date-pick" tabindex="-1" aria-hidden="true" title=move || i18n.t(K::DatePick)
                disabled=move || disabled.get() on:click=open_picker>
                <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
                    <rect x="2" y="3" width="12" height="11" rx="1.5" fill="none" stroke="currentColor" stroke-width="1.3"/>
                    <path d="M2 6.5h12M5 1.8v2.6M11 1.8v2.6" stroke="currentColor" stroke-width="1.3" fill="none"/>
                </svg>
            </button>
            <input type="date" class="date-pick-native" tabindex="-1" aria-hidden="true" node_ref=picker min="1900-01-01" max="2200-12-31"
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    if let Ok(d) = v.parse::<NaiveDate>() {
                        text.set(format_date(d, i18n.0.get_untracked()));
                        emit(v.clone());
                        touched.set(true);
                        if let Some(cb) = on_commit {
                            cb.run(v);
                        }
                    }
                }/>
            {move || err().map(|k| view! { <span class="field-error date-error" role="alert" id=err_id.clone()>{move || i18n.t(k)}</span> })}
        </span>
    }
}
