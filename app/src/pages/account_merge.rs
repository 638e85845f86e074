//! "Merge into…" on an account page (managers and admins): find the account this one
//! duplicates, see what would move there (counts), confirm; the page then opens the account
//! that was kept.
use crate::api::account::{account_choices, merge_accounts, merge_preview};
use crate::domain::account::dto::{AccountView, MergePreview};
use crate::domain::dto::Choice;
use crate::i18n::{error_message, use_i18n, K};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

#[component]
pub fn MergePanel(account: RwSignal<AccountView>) -> impl IntoView {
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    view! {
        {move || account.with(|a| a.may_merge).then(|| view! {
            <section class="panel" data-testid="merge-panel">
                {move || if open.get() {
                    view! { <MergePicker account=account open=open/> }.into_any()
                } else {
                    view! {
                        <button type="button" class="btn" data-testid="merge-open" on:click=move |_| open.set(true)>{move || i18n.t(K::MgOpen)}</button>
                    }.into_any()
                }}
            </section>
        })}
    }
}

#[component]
fn MergePicker(account: RwSignal<AccountView>, open: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let me = account.with_untracked(|a| a.id);
    let search = RwSignal::new(String::new());
    let choices = Resource::new(move || search.get(), |q| async move { account_choices(Some(q).filter(|q| !q.trim().is_empty())).await });
    let picked: RwSignal<Option<Choice>> = RwSignal::new(None);
    let preview = Action::new(move |survivor: &uuid::Uuid| {
        let survivor = *survivor;
        async move { merge_preview(survivor, me).await }
    });
    let merge = Action::new(move |survivor: &uuid::Uuid| {
        let survivor = *survivor;
        async move { merge_accounts(survivor, me).await }
    });
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(a)) = merge.value().get() {
            navigate(&format!("/accounts/{}", a.id), Default::default());
        }
    });
    let counts = move |p: &MergePreview| {
        let m = &p.moves;
        [
            ("deals", K::MgDeals, m.deals),
            ("activities", K::MgActivities, m.activities),
            ("contacts", K::MgContacts, m.contacts),
            ("revisits", K::MgRevisits, m.revisits),
            ("follow_ups", K::MgFollowUps, m.follow_ups),
            ("grades", K::MgGrades, m.grades),
        ]
        .into_iter()
        .map(|(kind, key, n)| {
            view! {
                <li data-testid="merge-count" data-kind=kind data-n=n.to_string()>
                    {move || i18n.t(key)} ": " <strong class="num">{n}</strong>
                </li>
            }
        })
        .collect_view()
    };
    view! {
        <h2 class="panel-title">{move || i18n.t(K::MgTitle)}</h2>
        <p class="cell-sub">{move || i18n.t(K::MgLead)}</p>
        <div class="field">
            <label for="merge-search">{move || i18n.t(K::MgSearch)}</label>
            <input id="merge-search" type="search" data-testid="merge-search" maxlength="200"
                prop:value=move || search.get() on:input=move |ev| {
                    search.set(event_target_value(&ev));
                    picked.set(None);
                }/>
        </div>
        {move || picked.get().is_none().then(|| view! {
            <Transition fallback=|| ()>
                {move || choices.get().map(|r| match r {
                    Err(e) => view! { <p class="field-error" role="alert">{move || error_message(i18n.locale(), &e)}</p> }.into_any(),
                    Ok(list) => {
                        let list: Vec<Choice> = list.into_iter().filter(|c| c.id != me).take(10).collect();
                        if list.is_empty() {
                            return view! { <p class="muted" data-testid="merge-no-match">{move || i18n.t(K::MgNoMatch)}</p> }.into_any();
                        }
                        view! {
                            <ul class="mg-choices">
                                {list.into_iter().map(|c| {
                                    let (id, name) = (c.id, c.name.clone());
                                    view! {
                                        <li><button type="button" class="btn-link" data-testid="merge-choice" data-id=id.to_string()
                                            on:click=move |_| {
                                                picked.set(Some(c.clone()));
                                                preview.dispatch(id);
                                            }>{name}</button></li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                })}
            </Transition>
        })}
        {move || picked.get().map(|c| view! {
            <div class="mg-confirm" data-testid="merge-confirm">
                {move || match preview.value().get() {
                    None => view! { <p class="muted">{move || i18n.t(K::Loading)}</p> }.into_any(),
                    Some(Err(e)) => view! { <p class="field-error" role="alert">{move || error_message(i18n.locale(), &e)}</p> }.into_any(),
                    Some(Ok(p)) => view! {
                        <p>{move || i18n.t(K::MgWillMove)} " “" <strong data-testid="merge-survivor">{p.survivor_name.clone()}</strong> "”:"</p>
                        <ul class="mg-counts">{counts(&p)}</ul>
                    }.into_any(),
                }}
                {move || merge.value().get().and_then(|r| r.err()).map(|e| view! {
                    <p class="field-error" role="alert" data-testid="merge-error">{move || error_message(i18n.locale(), &e)}</p>
                })}
                <div class="form-actions">
                    <button type="button" class="btn" data-testid="merge-cancel" on:click=move |_| {
                        picked.set(None);
                        open.set(false);
                    }>{move || i18n.t(K::Cancel)}</button>
                    <button type="button" class="btn btn-danger" data-testid="merge-go"
                        disabled=move || merge.pending().get() || !matches!(preview.value().get(), Some(Ok(_)))
                        on:click=move |_| { merge.dispatch(c.id); }>
                        {move || if merge.pending().get() { i18n.t(K::MgMerging) } else { i18n.t(K::MgConfirm) }}
                    </button>
                </div>
            </div>
        })}
    }
}
