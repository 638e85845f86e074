use crate::domain::money::{format_compact, format_date, format_exact};
use crate::i18n::use_i18n;
use chrono::NaiveDate;
use leptos::prelude::*;

/// An amount in the reader's convention, the exact figure on hover.
#[component]
pub fn Money(fen: i64, #[prop(into, default = "CNY".to_string())] currency: String) -> impl IntoView {
    let i18n = use_i18n();
    let exact = format_exact(fen, &currency);
    let cur = currency.clone();
    view! { <span class="money" title=exact>{move || format_compact(fen, &cur, i18n.locale())}</span> }
}

#[component]
pub fn DateText(date: NaiveDate) -> impl IntoView {
    let i18n = use_i18n();
    view! { <time datetime=date.to_string()>{move || format_date(date, i18n.locale())}</time> }
}
