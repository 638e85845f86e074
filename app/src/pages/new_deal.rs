//! The new-deal form on the board: a deal always starts in the first stage of its pipeline.
use crate::api::account::account_choices;
use crate::api::deal::create_deal;
use crate::components::date_field::DateField;
use crate::domain::dto::{Choice, NewDeal, PipelineRef};
use crate::domain::locale::Locale;
use crate::domain::money::parse_yuan;
use crate::domain::validate;
use crate::i18n::{error_message, use_i18n, K};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use uuid::Uuid;

#[component]
pub fn NewDealPanel(pipelines: Vec<PipelineRef>, current: Uuid, owners: Vec<Choice>, on_close: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let me = Resource::new(|| (), |_| crate::api::auth::me());
    let search = RwSignal::new(String::new());
    let accounts = Resource::new(move || search.get(), |q| account_choices((!q.trim().is_empty()).then_some(q)));
    let name = RwSignal::new(String::new());
    let account = RwSignal::new(String::new());
    let pipeline = RwSignal::new(current.to_string());
    let owner = RwSignal::new(String::new());
    let amount = RwSignal::new(String::new());
    let close = RwSignal::new(String::new());
    let tried = RwSignal::new(false);
    let create = Action::new(|n: &NewDeal| {
        let n = n.clone();
        async move { create_deal(n).await }
    });
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(id)) = create.value().get() {
            navigate(&format!("/deals/{id}"), Default::default());
        }
    });
    // The server's bounds (`domain::validate`), said next to each field before sending.
    let name_err = move || {
        let n = name.get();
        if n.trim().is_empty() {
            Some(K::NdNameRequired)
        } else {
            validate::required("name", &n, 200).err().map(|_| K::NdNameTooLong)
        }
    };
    let amount_err = move || match parse_yuan(&amount.get()) {
        None => Some(K::NdAmountInvalid),
        Some(a) if a < 0 => Some(K::NdAmountNegative),
        Some(a) => validate::amount_fen("amount", a).err().map(|_| K::NdAmountTooLarge),
    };
    // Text that is not a date is explained by the date field itself; this names what it cannot.
    let close_err = move || match close.get().parse::<chrono::NaiveDate>() {
        Err(_) => Some(K::NdCloseInvalid),
        Ok(d) => validate::date("close_date", d).err().map(|_| K::NdCloseRange),
    };
    let close_msg = move || close_err().filter(|_| close.with(|c| c.trim().is_empty() || c.parse::<chrono::NaiveDate>().is_ok()));
    let account_err = move || account.get().parse::<Uuid>().is_err().then_some(K::NdAccountRequired);
    let amount_ok = move || amount_err().is_none();
    let close_ok = move || close_err().is_none();
    let name_ok = move || name_err().is_none();
    let account_ok = move || account_err().is_none();

    let may_assign = move || me.get().and_then(|r| r.ok()).is_some_and(|u| crate::domain::access::may_assign_others(u.role));
    let zh = move || i18n.locale() == Locale::ZhCn;
    view! {
        <section class="panel new-deal" data-testid="new-deal">
            <h2 class="panel-title">{move || i18n.t(K::NewDeal)}</h2>
            <p class="lead">{move || i18n.t(K::NewDealLead)}</p>
            <form class="form new-deal-form" novalidate on:submit=move |ev| {
                ev.prevent_default();
                tried.set(true);
                if !(name_ok() && amount_ok() && close_ok() && account_ok()) {
                    return;
                }
                let (Some(a), Ok(c), Ok(acc)) = (parse_yuan(&amount.get_untracked()), close.get_untracked().parse(), account.get_untracked().parse()) else { return };
                create.dispatch(NewDeal {
                    name: name.get_untracked(),
                    account: acc,
                    pipeline: pipeline.get_untracked().parse().ok(),
                    owner: owner.get_untracked().parse().ok(),
                    amount_fen: a,
                    currency: None,
                    close_date: c,
                });
            }>
                <div class="field" class:field-invalid=move || tried.get() && !name_ok()>
                    <label for="nd-name">{move || i18n.t(K::DealName)}</label>
                    <input id="nd-name" type="text" required prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                    {move || tried.get().then(name_err).flatten().map(|k| view! { <span class="field-error" role="alert" data-testid="nd-error-name">{move || i18n.t(k)}</span> })}
                </div>
                <div class="field" class:field-invalid=move || tried.get() && !account_ok()>
                    <label for="nd-account">{move || i18n.t(K::Account)}</label>
                    <input type="search" class="nd-search" placeholder=move || i18n.t(K::Search) aria-label=move || i18n.t(K::Search)
                        prop:value=move || search.get() on:input=move |ev| search.set(event_target_value(&ev))/>
                    <select id="nd-account" data-testid="nd-account" prop:value=move || account.get() on:change=move |ev| account.set(event_target_value(&ev))>
                        <option value="">{move || i18n.t(K::ChooseAccount)}</option>
                        <Transition fallback=|| ()>
                            {move || accounts.get().and_then(|r| r.ok()).map(|list| list.into_iter().map(|a| view! {
                                <option value=a.id.to_string()>{a.name}</option>
                            }).collect_view())}
                        </Transition>
                    </select>
                    {move || tried.get().then(account_err).flatten().map(|k| view! { <span class="field-error" role="alert" data-testid="nd-error-account">{move || i18n.t(k)}</span> })}
                </div>
                <div class="field">
                    <label for="nd-pipeline">{move || i18n.t(K::PipelineLabel)}</label>
                    <select id="nd-pipeline" prop:value=move || pipeline.get() on:change=move |ev| pipeline.set(event_target_value(&ev))>
                        {pipelines.into_iter().map(|p| {
                            let (en, zh_name) = (p.name_en.clone(), p.name_zh.clone());
                            view! { <option value=p.id.to_string()>{move || if zh() { zh_name.clone() } else { en.clone() }}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <Show when=may_assign>
                    <div class="field">
                        <label for="nd-owner">{move || i18n.t(K::Owner)}</label>
                        <select id="nd-owner" prop:value=move || owner.get() on:change=move |ev| owner.set(event_target_value(&ev))>
                            <option value="">{move || i18n.t(K::OwnerMe)}</option>
                            {owners.iter().map(|o| view! { <option value=o.id.to_string()>{o.name.clone()}</option> }).collect_view()}
                        </select>
                    </div>
                </Show>
                <div class="field" class:field-invalid=move || tried.get() && !amount_ok()>
                    <label for="nd-amount">{move || i18n.t(K::ColAmount)} " (¥)"</label>
                    <input id="nd-amount" type="text" inputmode="decimal" placeholder="1200000" prop:value=move || amount.get() on:input=move |ev| amount.set(event_target_value(&ev))/>
                    {move || tried.get().then(amount_err).flatten().map(|k| view! { <span class="field-error" role="alert" data-testid="nd-error-amount">{move || i18n.t(k)}</span> })}
                </div>
                <div class="field" class:field-invalid=move || tried.get() && !close_ok()>
                    <label for="nd-close">{move || i18n.t(K::ColCloseDate)}</label>
                    <DateField id="nd-close" value=close on_input=Callback::new(move |v| close.set(v))/>
                    {move || tried.get().then(close_msg).flatten().map(|k| view! { <span class="field-error" role="alert" data-testid="nd-error-close">{move || i18n.t(k)}</span> })}
                </div>
                <div class="form-actions">
                    {move || create.value().get().and_then(|r| r.err()).map(|e| view! {
                        <span class="field-error" role="alert" data-testid="nd-error">{move || error_message(i18n.locale(), &e)}</span>
                    })}
                    <button type="button" class="btn" on:click=move |_| on_close.run(())>{move || i18n.t(K::Cancel)}</button>
                    <button type="submit" class="btn btn-primary" disabled=move || create.pending().get()>{move || i18n.t(K::Create)}</button>
                </div>
            </form>
        </section>
    }
}
