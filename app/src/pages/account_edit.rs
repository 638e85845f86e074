//! The account's profile (seed 000's questions) with its edit form, and the account's
//! history. The form checks with the same pure rule the server runs (`account::profile`), so
//! each error shows next to its field in the page's language; the save goes under the
//! version read, and a stale one reloads the account and keeps what was typed to retry.
use crate::api::account::{edit_account, load_account};
use crate::components::clock::local_offset;
use crate::domain::account::dto::AccountView;
use crate::domain::account::profile::{apply, change_text, merge_text, AccountPatch, Facts, Field, Iso9000, ProfileError};
use crate::domain::account::LeadSource;
use crate::domain::error::AppError;
use crate::domain::money::{format_exact, parse_yuan};
use crate::i18n::{error_message, use_i18n, I18n, K};
use leptos::prelude::*;

fn facts(a: &AccountView) -> Facts {
    Facts {
        name: a.name.clone(),
        industry: a.industry.clone(),
        city: a.city.clone(),
        headcount: a.headcount,
        revenue_fen: a.revenue_fen,
        profit_fen: a.profit_fen,
        profile: a.profile.clone(),
    }
}

fn yes_no_text(i18n: I18n, v: Option<bool>) -> String {
    match v {
        Some(true) => i18n.t(K::Yes).to_owned(),
        Some(false) => i18n.t(K::No).to_owned(),
        None => i18n.t(K::PfUnknown).to_owned(),
    }
}

/// The profile as read: one row per question, "Not known" where nobody has said.
#[component]
pub fn ProfilePanel(account: RwSignal<AccountView>) -> impl IntoView {
    let i18n = use_i18n();
    let editing = RwSignal::new(false);
    let may_edit = Memo::new(move |_| account.with(|a| a.may_edit));
    let row = move |field: Field, value: Signal<String>| {
        view! {
            <div class="pf-row">
                <dt>{move || field.label(i18n.locale())}</dt>
                <dd data-testid=format!("pf-{}", field.code())>{move || value.get()}</dd>
            </div>
        }
    };
    let text = move |f: fn(&AccountView) -> Option<String>| {
        Signal::derive(move || account.with(f).unwrap_or_else(|| i18n.t(K::PfUnknown).to_owned()))
    };
    let flag = move |f: fn(&AccountView) -> Option<bool>| Signal::derive(move || yes_no_text(i18n, account.with(f)));
    view! {
        <section class="panel" data-testid="account-profile-panel">
            <div class="panel-head-row">
                <h2 class="panel-title">{move || i18n.t(K::PfTitle)}</h2>
                {move || (may_edit.get() && !editing.get()).then(|| view! {
                    <button type="button" class="btn" data-testid="account-edit" on:click=move |_| editing.set(true)>{move || i18n.t(K::PfEdit)}</button>
                })}
            </div>
            <dl class="pf-grid">
                {row(Field::InitialNeed, text(|a| a.profile.initial_need.clone()))}
                {row(Field::MainProducts, text(|a| a.profile.main_products.clone()))}
                {row(Field::Iso9000, Signal::derive(move || account.with(|a| a.profile.iso9000).map_or_else(|| i18n.t(K::PfUnknown), |x| x.name(i18n.locale())).to_owned()))}
                {row(Field::BprUnderWay, flag(|a| a.profile.bpr_under_way))}
                {row(Field::PlantMovePlanned, flag(|a| a.profile.plant_move_planned))}
                {row(Field::BigInvestmentPlanned, flag(|a| a.profile.big_investment_planned))}
                {row(Field::ItemCodes, text(|a| a.profile.item_codes.map(|n| n.to_string())))}
                {row(Field::Computerised, flag(|a| a.profile.computerised))}
                {row(Field::CurrentSystems, text(|a| a.profile.current_systems.clone()))}
                {row(Field::LeadSource, Signal::derive(move || account.with(|a| a.profile.lead_source).map_or_else(|| i18n.t(K::PfUnknown), |x| x.name(i18n.locale())).to_owned()))}
                {row(Field::Territory, text(|a| a.profile.territory.clone()))}
            </dl>
            {move || editing.get().then(|| view! { <EditForm account=account editing=editing/> })}
        </section>
    }
}

/// The form's text, one signal per field; selects hold codes ("" = not known).
#[derive(Clone, Copy)]
struct Form {
    name: RwSignal<String>,
    industry: RwSignal<String>,
    city: RwSignal<String>,
    headcount: RwSignal<String>,
    revenue: RwSignal<String>,
    profit: RwSignal<String>,
    main_products: RwSignal<String>,
    iso9000: RwSignal<String>,
    bpr: RwSignal<String>,
    plant_move: RwSignal<String>,
    big_investment: RwSignal<String>,
    item_codes: RwSignal<String>,
    computerised: RwSignal<String>,
    current_systems: RwSignal<String>,
    lead_source: RwSignal<String>,
    territory: RwSignal<String>,
    initial_need: RwSignal<String>,
    owner: RwSignal<String>,
}

fn flag_code(v: Option<bool>) -> String {
    v.map_or("", |b| if b { "yes" } else { "no" }).to_owned()
}

fn yuan(fen: Option<i64>) -> String {
    // The exact figure without a symbol ("12,500,000.00"), as `parse_yuan` reads it back.
    fen.map(|f| format_exact(f, "")).unwrap_or_default()
}

impl Form {
    fn new(a: &AccountView) -> Self {
        let s = |v: String| RwSignal::new(v);
        let p = &a.profile;
        Form {
            name: s(a.name.clone()),
            industry: s(a.industry.clone()),
            city: s(a.city.clone().unwrap_or_default()),
            headcount: s(a.headcount.map(|h| h.to_string()).unwrap_or_default()),
            revenue: s(yuan(a.revenue_fen)),
            profit: s(yuan(a.profit_fen)),
            main_products: s(p.main_products.clone().unwrap_or_default()),
            iso9000: s(p.iso9000.map(|x| x.code().to_owned()).unwrap_or_default()),
            bpr: s(flag_code(p.bpr_under_way)),
            plant_move: s(flag_code(p.plant_move_planned)),
            big_investment: s(flag_code(p.big_investment_planned)),
            item_codes: s(p.item_codes.map(|n| n.to_string()).unwrap_or_default()),
            computerised: s(flag_code(p.computerised)),
            current_systems: s(p.current_systems.clone().unwrap_or_default()),
            lead_source: s(p.lead_source.map(|x| x.code().to_owned()).unwrap_or_default()),
            territory: s(p.territory.clone().unwrap_or_default()),
            initial_need: s(p.initial_need.clone().unwrap_or_default()),
            owner: s(a.owner_id.to_string()),
        }
    }

    /// The whole form as a patch, or the field that is wrong and why (in the page's language).
    fn patch(self, i18n: I18n, a: &AccountView) -> Result<AccountPatch, (Field, String)> {
        let text = |s: RwSignal<String>| Some(Some(s.get_untracked().trim().to_owned()).filter(|v| !v.is_empty()));
        let flag = |s: RwSignal<String>| {
            Some(match s.get_untracked().as_str() {
                "yes" => Some(true),
                "no" => Some(false),
                _ => None,
            })
        };
        let int = |field: Field, s: RwSignal<String>| -> Result<Option<Option<i32>>, (Field, String)> {
            let v = s.get_untracked().replace([',', ' '], "");
            if v.is_empty() {
                return Ok(Some(None));
            }
            v.parse::<i32>().map(|n| Some(Some(n))).map_err(|_| (field, i18n.t(K::PfNumberInvalid).to_owned()))
        };
        let money = |field: Field, s: RwSignal<String>| -> Result<Option<Option<i64>>, (Field, String)> {
            let v = s.get_untracked();
            if v.trim().is_empty() {
                return Ok(Some(None));
            }
            parse_yuan(&v).map(|n| Some(Some(n))).ok_or((field, i18n.t(K::PfAmountInvalid).to_owned()))
        };
        let owner = self.owner.get_untracked().parse::<uuid::Uuid>().ok().filter(|o| *o != a.owner_id);
        let p = AccountPatch {
            name: Some(self.name.get_untracked()),
            industry: Some(self.industry.get_untracked()),
            city: text(self.city),
            headcount: int(Field::Headcount, self.headcount)?,
            revenue_fen: money(Field::Revenue, self.revenue)?,
            profit_fen: money(Field::Profit, self.profit)?,
            main_products: text(self.main_products),
            iso9000: Some(Iso9000::parse(&self.iso9000.get_untracked())),
            bpr_under_way: flag(self.bpr),
            plant_move_planned: flag(self.plant_move),
            big_investment_planned: flag(self.big_investment),
            item_codes: int(Field::ItemCodes, self.item_codes)?,
            computerised: flag(self.computerised),
            current_systems: text(self.current_systems),
            lead_source: Some(LeadSource::parse(&self.lead_source.get_untracked())),
            territory: text(self.territory),
            initial_need: text(self.initial_need),
            owner,
        };
        apply(&facts(a), &p).map_err(|e: ProfileError| (e.field(), e.message(i18n.locale())))?;
        Ok(p)
    }
}

#[component]
fn EditForm(account: RwSignal<AccountView>, editing: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let id = account.with_untracked(|a| a.id);
    let f = account.with_untracked(Form::new);
    let problem: RwSignal<Option<(Field, String)>> = RwSignal::new(None);
    let save = Action::new(move |p: &AccountPatch| {
        let (p, v) = (p.clone(), account.with_untracked(|a| a.version));
        async move { edit_account(id, p, v).await }
    });
    let reload = Action::new(move |_: &()| async move { load_account(id).await });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(a)) => {
            account.set(a);
            editing.set(false);
        }
        // Someone saved meanwhile: take their version; what was typed stays to retry.
        Some(Err(AppError::Conflict)) => {
            reload.dispatch(());
        }
        Some(Err(AppError::Validation { field, message })) => {
            let f = Field::parse(&field).unwrap_or(Field::Name);
            let m = if f == Field::Owner { i18n.t(K::PfOwnerRefused).to_owned() } else { message };
            problem.set(Some((f, m)));
        }
        _ => {}
    });
    Effect::new(move |_| {
        if let Some(Ok(a)) = reload.value().get() {
            account.set(a);
        }
    });
    let bad = move |field: Field| problem.with(|p| p.as_ref().is_some_and(|(f, _)| *f == field));
    let msg = move |field: Field| {
        problem.with(|p| p.as_ref().filter(|(f, _)| *f == field).map(|(_, m)| m.clone())).map(|m| {
            view! { <span class="field-error" role="alert" data-testid=format!("ed-error-{}", field.code())>{m}</span> }
        })
    };
    let input = move |field: Field, sig: RwSignal<String>, max: usize, hint: Option<K>| {
        let fid = format!("ed-{}", field.code());
        view! {
            <div class="field" class:field-invalid=move || bad(field)>
                <label for=fid.clone()>
                    {move || field.label(i18n.locale())}
                    {hint.map(|h| view! { <small class="cell-sub">" (" {move || i18n.t(h)} ")"</small> })}
                </label>
                <input id=fid.clone() type="text" maxlength=max.to_string() data-testid=fid
                    prop:value=move || sig.get() on:input=move |ev| sig.set(event_target_value(&ev))/>
                {move || msg(field)}
            </div>
        }
    };
    let select = move |field: Field, sig: RwSignal<String>, options: Vec<(String, Signal<String>)>| {
        let fid = format!("ed-{}", field.code());
        view! {
            <div class="field" class:field-invalid=move || bad(field)>
                <label for=fid.clone()>{move || field.label(i18n.locale())}</label>
                <select id=fid.clone() data-testid=fid on:change=move |ev| sig.set(event_target_value(&ev))>
                    <option value="" selected=move || sig.get().is_empty()>{move || i18n.t(K::PfUnknown)}</option>
                    {options.into_iter().map(|(code, label)| {
                        let c2 = code.clone();
                        view! { <option value=code selected=move || sig.get() == c2>{move || label.get()}</option> }
                    }).collect_view()}
                </select>
                {move || msg(field)}
            </div>
        }
    };
    let yes_no = move || {
        vec![
            ("yes".to_owned(), Signal::derive(move || i18n.t(K::Yes).to_owned())),
            ("no".to_owned(), Signal::derive(move || i18n.t(K::No).to_owned())),
        ]
    };
    let iso = Iso9000::ALL.into_iter().map(|x| (x.code().to_owned(), Signal::derive(move || x.name(i18n.locale()).to_owned()))).collect();
    let sources =
        LeadSource::ALL.into_iter().map(|x| (x.code().to_owned(), Signal::derive(move || x.name(i18n.locale()).to_owned()))).collect();
    let owners = account.with_untracked(|a| a.owners.clone());
    view! {
        <form class="pf-form" data-testid="edit-form" novalidate on:submit=move |ev| {
            ev.prevent_default();
            match account.with_untracked(|a| f.patch(i18n, a)) {
                Err(p) => problem.set(Some(p)),
                Ok(p) => {
                    problem.set(None);
                    save.dispatch(p);
                }
            }
        }>
            <h3>{move || i18n.t(K::PfEditTitle)}</h3>
            <div class="q-head-grid">
                {input(Field::Name, f.name, 200, None)}
                {input(Field::Industry, f.industry, 100, None)}
                {input(Field::City, f.city, 100, None)}
                {input(Field::Headcount, f.headcount, 12, None)}
                {input(Field::Revenue, f.revenue, 24, Some(K::PfYuanHint))}
                {input(Field::Profit, f.profit, 24, Some(K::PfYuanHint))}
                {input(Field::Territory, f.territory, 100, None)}
                {select(Field::LeadSource, f.lead_source, sources)}
                {(!owners.is_empty()).then(|| {
                    let owners = owners.clone();
                    view! {
                        <div class="field" class:field-invalid=move || bad(Field::Owner)>
                            <label for="ed-owner">{move || Field::Owner.label(i18n.locale())}</label>
                            <select id="ed-owner" data-testid="ed-owner" on:change=move |ev| f.owner.set(event_target_value(&ev))>
                                {owners.into_iter().map(|c| {
                                    let v = c.id.to_string();
                                    let v2 = v.clone();
                                    view! { <option value=v selected=move || f.owner.get() == v2>{c.name}</option> }
                                }).collect_view()}
                            </select>
                            {move || msg(Field::Owner)}
                        </div>
                    }
                })}
            </div>
            <div class="q-head-grid">
                {input(Field::MainProducts, f.main_products, 1000, None)}
                {select(Field::Iso9000, f.iso9000, iso)}
                {select(Field::BprUnderWay, f.bpr, yes_no())}
                {select(Field::PlantMovePlanned, f.plant_move, yes_no())}
                {select(Field::BigInvestmentPlanned, f.big_investment, yes_no())}
                {input(Field::ItemCodes, f.item_codes, 12, None)}
                {select(Field::Computerised, f.computerised, yes_no())}
                {input(Field::CurrentSystems, f.current_systems, 1000, None)}
            </div>
            <div class="field" class:field-invalid=move || bad(Field::InitialNeed)>
                <label for="ed-initial_need">{move || Field::InitialNeed.label(i18n.locale())}</label>
                <textarea id="ed-initial_need" rows="3" maxlength="1000" data-testid="ed-initial_need"
                    prop:value=move || f.initial_need.get() on:input=move |ev| f.initial_need.set(event_target_value(&ev))></textarea>
                {move || msg(Field::InitialNeed)}
            </div>
            <div class="form-actions">
                {move || match save.value().get() {
                    Some(Err(e)) if !matches!(e, AppError::Validation { .. }) => Some(view! {
                        <span class="field-error" role="alert" data-testid="ed-error">{move || error_message(i18n.locale(), &e)}</span>
                    }),
                    _ => None,
                }}
                <button type="button" class="btn" data-testid="ed-cancel" on:click=move |_| editing.set(false)>{move || i18n.t(K::Cancel)}</button>
                <button type="submit" class="btn btn-primary" data-testid="ed-save" disabled=move || save.pending().get()>
                    {move || if save.pending().get() { i18n.t(K::Saving) } else { i18n.t(K::PfSave) }}
                </button>
            </div>
        </form>
    }
}

/// Edits, merges and contact changes, newest first, in words.
#[component]
pub fn AccountHistory(account: RwSignal<AccountView>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="panel" data-testid="account-history">
            <h2 class="panel-title">{move || i18n.t(K::AhTitle)}</h2>
            {move || {
                let rows = account.with(|a| a.history.clone());
                if rows.is_empty() {
                    return view! { <p class="muted acct-empty" data-testid="account-history-empty">{move || i18n.t(K::AhEmpty)}</p> }.into_any();
                }
                view! {
                    <ul class="ah-list">
                        {rows.into_iter().map(|h| {
                            let when = h.at.with_timezone(&local_offset()).format("%Y-%m-%d %H:%M").to_string();
                            let changes = h.changes.clone();
                            let merged = h.merged.clone();
                            let event = h.event;
                            let contact = h.contact.clone();
                            view! {
                                <li class="ah-entry" data-testid="history-entry" data-event=h.event.code()>
                                    <p class="cell-sub">{h.by.clone()} " · " <span class="num">{when}</span></p>
                                    {merged.map(|m| view! { <p data-testid="history-merged">{move || merge_text(&m, i18n.locale())}</p> })}
                                    {contact.map(|n| {
                                        let head = n.clone();
                                        view! {
                                            <p data-testid="history-contact">{move || head.headline(event, i18n.locale())}</p>
                                            <ul class="ah-changes">
                                                {n.changes.into_iter().map(|c| {
                                                    let field = c.field.code();
                                                    view! { <li data-testid="history-contact-change" data-field=field>{move || c.text(i18n.locale())}</li> }
                                                }).collect_view()}
                                            </ul>
                                        }
                                    })}
                                    <ul class="ah-changes">
                                        {changes.into_iter().map(|c| {
                                            let field = c.field.code();
                                            view! { <li data-testid="history-change" data-field=field>{move || change_text(&c, i18n.locale())}</li> }
                                        }).collect_view()}
                                    </ul>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
    }
}
