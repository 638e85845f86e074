//! The price list for admins: every product (inactive ones greyed), a form to add one or
//! change one under its version. Deactivating a product hides it from new lines only; quotes
//! keep what they copied.
use crate::api::quote::{load_products, save_product};
use crate::components::states::{ErrorNotice, Skeleton};
use crate::domain::locale::Locale;
use crate::domain::money::{format_exact, parse_yuan};
use crate::domain::product::{ProductInput, ProductKind};
use crate::domain::quote::dto::ProductRow;
use crate::domain::quote::{format_percent, parse_percent_bp};
use crate::i18n::{error_message, use_i18n, K};
use leptos::prelude::*;
use leptos_meta::Title;

fn kind_name(l: Locale, k: ProductKind) -> &'static str {
    let (en, zh) = match k {
        ProductKind::Licence => ("Licence", "软件许可"),
        ProductKind::Subscription => ("Subscription", "订阅"),
        ProductKind::ServiceDays => ("Service days", "服务人天"),
        ProductKind::Hardware => ("Hardware", "硬件"),
        ProductKind::Maintenance => ("Maintenance", "维护"),
        ProductKind::Other => ("Other", "其他"),
    };
    if l == Locale::ZhCn {
        zh
    } else {
        en
    }
}

/// The form's fields as typed.
#[derive(Clone, Default)]
struct Form {
    id: Option<uuid::Uuid>,
    version: i32,
    code: String,
    name_en: String,
    name_zh: String,
    kind: String,
    unit_en: String,
    unit_zh: String,
    price: String,
    tax: String,
    cost: String,
    active: bool,
}

impl Form {
    fn of(p: &ProductRow) -> Self {
        let yuan = |f: i64| format!("{}.{:02}", f / 100, f % 100);
        Form {
            id: Some(p.id),
            version: p.version,
            code: p.code.clone(),
            name_en: p.name_en.clone(),
            name_zh: p.name_zh.clone(),
            kind: p.kind.as_str().into(),
            unit_en: p.unit_en.clone(),
            unit_zh: p.unit_zh.clone(),
            price: yuan(p.list_price_fen),
            tax: format_percent(i64::from(p.tax_bp)),
            cost: yuan(p.cost_fen),
            active: p.active,
        }
    }

    fn input(&self) -> Option<ProductInput> {
        Some(ProductInput {
            code: self.code.clone(),
            name_en: self.name_en.clone(),
            name_zh: self.name_zh.clone(),
            kind: ProductKind::parse(&self.kind)?,
            unit_en: self.unit_en.clone(),
            unit_zh: self.unit_zh.clone(),
            list_price_fen: parse_yuan(&self.price)?,
            tax_bp: if self.tax.trim().is_empty() { None } else { Some(parse_percent_bp("tax_rate", &self.tax).ok()?) },
            cost_fen: if self.cost.trim().is_empty() { 0 } else { parse_yuan(&self.cost)? },
            active: self.active,
        })
    }
}

#[component]
pub fn ProductAdminPage() -> impl IntoView {
    let i18n = use_i18n();
    let list = Resource::new(|| (), |_| load_products(true));
    let form = RwSignal::new(Form { kind: "licence".into(), active: true, ..Default::default() });
    let save = Action::new(move |f: &Form| {
        let f = f.clone();
        async move {
            match f.input() {
                Some(input) => save_product(f.id, input, f.version).await,
                None => Err(crate::domain::error::AppError::validation("form", "a value is not a number")),
            }
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(p)) = save.value().get() {
            form.set(Form::of(&p));
            list.refetch();
        }
    });
    let field = move |k: K, get: fn(&Form) -> String, set: fn(&mut Form, String), tid: &'static str| {
        view! {
            <div class="field">
                <label for=tid>{move || i18n.t(k)}</label>
                <input id=tid data-testid=tid type="text" prop:value=move || form.with(get) on:input=move |ev| { let v = event_target_value(&ev); form.update(|f| set(f, v)); }/>
            </div>
        }
    };
    view! {
        <Title text=move || i18n.t(K::PriceListTitle).to_owned()/>
        <div class="page-head">
            <div>
                <p class="crumb"><a href="/admin">{move || i18n.t(K::AdminTitle)}</a></p>
                <h1>{move || i18n.t(K::PriceListTitle)}</h1>
                <p class="lead">{move || i18n.t(K::PriceListLead)}</p>
            </div>
        </div>
        <div class="grid-2">
            <section class="panel table-wrap">
                <Transition fallback=|| view! { <Skeleton rows=8/> }>
                    {move || list.get().map(|r| match r {
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                        Ok(ps) => view! {
                            <table class="table" data-testid="products-table">
                                <thead><tr>
                                    <th>{move || i18n.t(K::ProductCode)}</th>
                                    <th>{move || i18n.t(K::ProductName)}</th>
                                    <th class="num">{move || i18n.t(K::ProductListPrice)}</th>
                                    <th class="num">{move || i18n.t(K::ProductTaxRate)}</th>
                                    <th class="num">{move || i18n.t(K::ProductCost)}</th>
                                    <th></th>
                                </tr></thead>
                                <tbody>
                                    {ps.into_iter().map(|p| {
                                        let row = Form::of(&p);
                                        let kind = p.kind;
                                        let (en, zh, unit_en, unit_zh) = (p.name_en.clone(), p.name_zh.clone(), p.unit_en.clone(), p.unit_zh.clone());
                                        view! {
                                            <tr class:row-muted=!p.active data-testid="product-row">
                                                <td class="mono">{p.code.clone()}</td>
                                                <td>
                                                    <span class="cell-title">{move || if i18n.locale() == Locale::ZhCn { zh.clone() } else { en.clone() }}</span>
                                                    <span class="cell-sub">{move || kind_name(i18n.locale(), kind)} " · "
                                                        {move || if i18n.locale() == Locale::ZhCn { unit_zh.clone() } else { unit_en.clone() }}
                                                        {(!p.active).then(|| view! { " · " {move || i18n.t(K::Inactive)} })}
                                                    </span>
                                                </td>
                                                <td class="num">{format_exact(p.list_price_fen, &p.currency)}</td>
                                                <td class="num">{format_percent(i64::from(p.tax_bp))} " %"</td>
                                                <td class="num">{format_exact(p.cost_fen, &p.currency)}</td>
                                                <td><button class="btn btn-sm" data-testid="product-edit" on:click=move |_| form.set(row.clone())>{move || i18n.t(K::Edit)}</button></td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                    })}
                </Transition>
            </section>
            <form class="panel form" data-testid="product-form" on:submit=move |ev| { ev.prevent_default(); save.dispatch(form.get_untracked()); }>
                <h2 class="panel-title">{move || if form.with(|f| f.id.is_some()) { i18n.t(K::ProductEdit) } else { i18n.t(K::ProductNew) }}</h2>
                {field(K::ProductCode, |f| f.code.clone(), |f, v| f.code = v, "p-code")}
                {field(K::ProductNameEn, |f| f.name_en.clone(), |f, v| f.name_en = v, "p-name-en")}
                {field(K::ProductNameZh, |f| f.name_zh.clone(), |f, v| f.name_zh = v, "p-name-zh")}
                <div class="field">
                    <label for="p-kind">{move || i18n.t(K::ProductKind)}</label>
                    <select id="p-kind" data-testid="p-kind" prop:value=move || form.with(|f| f.kind.clone()) on:change=move |ev| { let v = event_target_value(&ev); form.update(|f| f.kind = v); }>
                        {ProductKind::ALL.into_iter().map(|k| view! { <option value=k.as_str()>{move || kind_name(i18n.locale(), k)}</option> }).collect_view()}
                    </select>
                </div>
                {field(K::ProductUnitEn, |f| f.unit_en.clone(), |f, v| f.unit_en = v, "p-unit-en")}
                {field(K::ProductUnitZh, |f| f.unit_zh.clone(), |f, v| f.unit_zh = v, "p-unit-zh")}
                {field(K::ProductListPrice, |f| f.price.clone(), |f, v| f.price = v, "p-price")}
                {field(K::ProductTaxRate, |f| f.tax.clone(), |f, v| f.tax = v, "p-tax")}
                {field(K::ProductCost, |f| f.cost.clone(), |f, v| f.cost = v, "p-cost")}
                <label class="check">
                    <input type="checkbox" data-testid="p-active" prop:checked=move || form.with(|f| f.active) on:change=move |ev| { let v = event_target_checked(&ev); form.update(|f| f.active = v); }/>
                    " " {move || i18n.t(K::Active)}
                </label>
                <div class="form-actions">
                    {move || save.value().get().map(|r| match r {
                        Ok(_) => view! { <span class="saved" role="status" data-testid="product-saved">"✓ " {move || i18n.t(K::Saved)}</span> }.into_any(),
                        Err(e) => view! { <span class="field-error" role="alert" data-testid="product-error">{move || error_message(i18n.locale(), &e)}</span> }.into_any(),
                    })}
                    <button type="button" class="btn" on:click=move |_| form.set(Form { kind: "licence".into(), active: true, ..Default::default() })>{move || i18n.t(K::ProductNew)}</button>
                    <button type="submit" class="btn btn-primary" data-testid="product-save" disabled=move || save.pending().get()>{move || i18n.t(K::Save)}</button>
                </div>
            </form>
        </div>
    }
}
