//! The price list for admins: every product (inactive ones greyed), a form to add one or
//! change one under its version. Deactivating a product hides it from new lines only; quotes
//! keep what they copied.
use crate::api::quote::{import_products, load_products, load_quote_policy, save_product, save_quote_policy};
use crate::components::states::{ErrorNotice, Skeleton};
use crate::domain::locale::Locale;
use crate::domain::money::{format_exact, parse_yuan};
use crate::domain::product::csv::{ImportAction, ImportReport};
use crate::domain::product::{ProductInput, ProductKind};
use crate::domain::quote::dto::ProductRow;
use crate::domain::quote::dto::QuotePolicyView;
use crate::domain::quote::ApprovalPolicy;
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
        <div class="grid-2">
            <PolicyPanel/>
            <CsvPanel on_applied=Callback::new(move |_| list.refetch())/>
        </div>
    }
}

/// Who approves a quote: the thresholds an admin sets (the defaults new products and quotes
/// take are shown for reference).
#[component]
fn PolicyPanel() -> impl IntoView {
    let i18n = use_i18n();
    let current = Resource::new(|| (), |_| load_quote_policy());
    let discount = RwSignal::new(String::new());
    let floor = RwSignal::new(String::new());
    let seen: RwSignal<Option<QuotePolicyView>> = RwSignal::new(None);
    let fill = move |p: QuotePolicyView| {
        discount.set(format_percent(i64::from(p.manager_max_discount_bp)));
        floor.set(format_percent(i64::from(p.margin_floor_bp)));
        seen.set(Some(p));
    };
    Effect::new(move |_| {
        if let Some(Ok(p)) = current.get() {
            fill(p);
        }
    });
    let save = Action::new(move |_: &()| {
        let (d, f, v) = (discount.get_untracked(), floor.get_untracked(), seen.get_untracked().map_or(0, |p| p.version));
        async move {
            let policy = ApprovalPolicy {
                manager_max_discount_bp: parse_percent_bp("manager_max_discount", &d)?,
                margin_floor_bp: parse_percent_bp("margin_floor", &f)?,
            };
            save_quote_policy(policy, v).await
        }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(p)) => fill(p),
        Some(Err(crate::domain::error::AppError::Conflict)) => current.refetch(),
        _ => {}
    });
    let pct = |bp: i32| format!("{} %", format_percent(i64::from(bp)));
    view! {
        <form class="panel form" data-testid="policy-form" on:submit=move |ev| { ev.prevent_default(); save.dispatch(()); }>
            <h2 class="panel-title">{move || i18n.t(K::PolicyTitle)}</h2>
            <p class="lead" data-testid="policy-rule">{move || {
                let (d, f) = (discount.get(), floor.get());
                if i18n.locale() == Locale::ZhCn {
                    format!("折扣不超过 {d} % 且毛利率不低于 {f} % 的报价由负责人的销售经理审批；超出任一条件的报价由总经理审批。")
                } else {
                    format!("Up to {d} % off list with a margin of at least {f} %, the owner's sales manager approves a quote; beyond either, the general manager.")
                }
            }}</p>
            <div class="field">
                <label for="pol-discount">{move || i18n.t(K::PolicyManagerMax)}</label>
                <input id="pol-discount" data-testid="pol-discount" type="text" inputmode="decimal" prop:value=move || discount.get() on:input=move |ev| discount.set(event_target_value(&ev))/>
            </div>
            <div class="field">
                <label for="pol-floor">{move || i18n.t(K::PolicyMarginFloor)}</label>
                <input id="pol-floor" data-testid="pol-floor" type="text" inputmode="decimal" prop:value=move || floor.get() on:input=move |ev| floor.set(event_target_value(&ev))/>
            </div>
            {move || seen.get().map(|p| view! {
                <p class="cell-sub">
                    {move || i18n.t(K::PolicyDefaults)} " "
                    {pct(p.goods_tax_bp)} " / " {pct(p.services_tax_bp)} " · " {p.validity_days} " " {move || i18n.t(K::Days)}
                </p>
            })}
            <div class="form-actions">
                {move || save.value().get().map(|r| match r {
                    Ok(_) => view! { <span class="saved" role="status" data-testid="policy-saved">"✓ " {move || i18n.t(K::Saved)}</span> }.into_any(),
                    Err(e) => view! { <span class="field-error" role="alert" data-testid="policy-error">{move || error_message(i18n.locale(), &e)}</span> }.into_any(),
                })}
                <button type="submit" class="btn btn-primary" data-testid="policy-save" disabled=move || save.pending().get() || seen.get().is_none()>{move || i18n.t(K::Save)}</button>
            </div>
        </form>
    }
}

fn action_name(a: ImportAction) -> K {
    match a {
        ImportAction::Create => K::CsvCreate,
        ImportAction::Update => K::CsvUpdate,
        ImportAction::Unchanged => K::CsvUnchanged,
        ImportAction::Error => K::CsvError,
    }
}

/// Export, and import in two steps: choosing a file previews what it would do (a dry run on
/// the server, the same path REST uses); "apply" saves it, all rows or none.
#[component]
fn CsvPanel(on_applied: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let text: RwSignal<Option<String>> = RwSignal::new(None);
    let run = Action::new(|(t, apply): &(String, bool)| {
        let (t, apply) = (t.clone(), *apply);
        async move { import_products(t, apply).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(r)) = run.value().get() {
            if r.applied {
                text.set(None);
                on_applied.run(());
            }
        }
    });
    let on_file = move |ev: leptos::ev::Event| {
        use wasm_bindgen::JsCast;
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
        // Cleared so choosing the same file again (after fixing it) reads it again.
        input.set_value("");
        let promise = file.text();
        leptos::task::spawn_local(async move {
            if let Some(t) = wasm_bindgen_futures::JsFuture::from(promise).await.ok().and_then(|v| v.as_string()) {
                text.set(Some(t.clone()));
                run.dispatch((t, false));
            }
        });
    };
    let apply = move |_| {
        if let Some(t) = text.get_untracked() {
            run.dispatch((t, true));
        }
    };
    let report = move |r: ImportReport| {
        let counts = [(K::CsvCreate, r.created), (K::CsvUpdate, r.updated), (K::CsvUnchanged, r.unchanged), (K::CsvError, r.errors)];
        let ready = r.errors == 0 && r.created + r.updated > 0 && !r.applied;
        let lines: Vec<_> = r.lines.into_iter().filter(|l| l.action != ImportAction::Unchanged).collect();
        view! {
            <div class="csv-report" data-testid="csv-report">
                <p class="csv-counts" data-testid="csv-counts">
                    {r.applied.then(|| view! { <strong class="saved" data-testid="csv-applied">"✓ " {move || i18n.t(K::CsvApplied)} " · "</strong> })}
                    {counts.into_iter().map(|(k, n)| view! { <span class="csv-count">{move || i18n.t(k)} " " <strong>{n}</strong></span> }).collect_view()}
                </p>
                {(r.errors > 0).then(|| view! { <p class="field-error" role="alert">{move || i18n.t(K::CsvFixFirst)}</p> })}
                {(r.errors == 0 && r.created + r.updated == 0).then(|| view! { <p class="lead">{move || i18n.t(K::CsvNothing)}</p> })}
                {(!lines.is_empty()).then(|| view! {
                    <table class="table table-compact" data-testid="csv-lines">
                        <thead><tr>
                            <th class="num">{move || i18n.t(K::ColLine)}</th>
                            <th>{move || i18n.t(K::ProductCode)}</th>
                            <th></th>
                            <th></th>
                        </tr></thead>
                        <tbody>
                            {lines.into_iter().map(|l| {
                                let action = l.action;
                                let detail = match l.error {
                                    Some(e) => view! { <span class="field-error">{move || error_message(i18n.locale(), &e)}</span> }.into_any(),
                                    None => view! { <span class="cell-sub">{l.changes.join(", ")}</span> }.into_any(),
                                };
                                view! {
                                    <tr data-testid="csv-line" data-action=format!("{action:?}").to_lowercase()>
                                        <td class="num">{l.line}</td>
                                        <td class="mono">{l.code}</td>
                                        <td><span class=format!("chip csv-{}", format!("{action:?}").to_lowercase())>{move || i18n.t(action_name(action))}</span></td>
                                        <td>{detail}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                })}
                {ready.then(|| view! {
                    <div class="form-actions">
                        <button class="btn btn-primary" data-testid="csv-apply" on:click=apply disabled=move || run.pending().get()>{move || i18n.t(K::CsvApply)}</button>
                    </div>
                })}
            </div>
        }
    };
    view! {
        <section class="panel" data-testid="csv-panel">
            <div class="panel-head">
                <h2 class="panel-title">{move || i18n.t(K::PriceListCsv)}</h2>
                <div class="panel-actions">
                    <a class="btn btn-sm" href="/api/v1/products/csv" download="price-list.csv" data-testid="csv-export">{move || i18n.t(K::ExportCsv)}</a>
                    <label class="btn btn-sm btn-primary file-btn">
                        {move || i18n.t(K::CsvChoose)}
                        <input type="file" accept=".csv,text/csv" data-testid="csv-file" on:change=on_file/>
                    </label>
                </div>
            </div>
            <p class="lead">{move || i18n.t(K::PriceListCsvLead)}</p>
            {move || run.value().get().map(|r| match r {
                Ok(r) => report(r).into_any(),
                Err(e) => view! { <p class="field-error" role="alert" data-testid="csv-error">{move || error_message(i18n.locale(), &e)}</p> }.into_any(),
            })}
        </section>
    }
}
