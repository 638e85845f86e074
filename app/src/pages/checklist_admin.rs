//! /admin/checklists: each checklist template's names and lines in both languages, in order.
//! A template saves as a whole with its version; a stale version reloads it and says so.
use crate::api::admin::{load_checklist_template_details, save_checklist_template};
use crate::components::states::{ErrorNotice, Skeleton};
use crate::domain::checklist::template_problem;
use crate::domain::dto::{ChecklistTemplateDetail, TemplateLine};
use crate::domain::error::AppError;
use crate::i18n::{error_message, use_i18n, K};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ChecklistAdminPage() -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(|| (), |_| load_checklist_template_details());
    view! {
        <Title text=move || i18n.t(K::ChecklistAdminTitle).to_owned()/>
        <div class="page-head">
            <div>
                <h1>{move || i18n.t(K::ChecklistAdminTitle)}</h1>
                <p class="lead">{move || i18n.t(K::ChecklistAdminLead)}</p>
            </div>
        </div>
        <Transition fallback=|| view! { <Skeleton rows=8/> }>
            {move || {
                data.get().map(|r| match r {
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    Ok(ts) => ts.into_iter().map(|t| view! { <TemplateEditor t=t reload=data/> }).collect_view().into_any(),
                })
            }}
        </Transition>
    }
}

/// Lines carry a local key so the list can be reordered without losing what was typed.
#[derive(Clone, Debug, PartialEq)]
struct Row {
    key: u64,
    line: TemplateLine,
}

#[component]
fn TemplateEditor(t: ChecklistTemplateDetail, reload: Resource<Result<Vec<ChecklistTemplateDetail>, AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let code = t.code.clone();
    let version = RwSignal::new(t.version);
    let name_en = RwSignal::new(t.name_en.clone());
    let name_zh = RwSignal::new(t.name_zh.clone());
    let next_key = StoredValue::new(t.lines.len() as u64);
    let rows = RwSignal::new(t.lines.into_iter().zip(0u64..).map(|(line, key)| Row { key, line }).collect::<Vec<_>>());
    let status: RwSignal<Option<Result<(), AppError>>> = RwSignal::new(None);
    let problem = move || {
        rows.with(|rs| {
            let lines: Vec<(&str, &str, Option<i32>)> =
                rs.iter().map(|r| (r.line.text_en.as_str(), r.line.text_zh.as_str(), r.line.minutes)).collect();
            name_en.with(|en| name_zh.with(|zh| template_problem(en, zh, &lines)))
        })
    };
    let save = Action::new(move |edit: &ChecklistTemplateDetail| {
        let edit = edit.clone();
        async move { save_checklist_template(edit).await }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(saved)) => {
            version.set(saved.version);
            status.set(Some(Ok(())));
        }
        Some(Err(e)) => {
            if e == AppError::Conflict {
                reload.refetch();
            }
            status.set(Some(Err(e)));
        }
        None => {}
    });
    let code_for_save = code.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if problem().is_some() {
            return;
        }
        status.set(None);
        save.dispatch(ChecklistTemplateDetail {
            code: code_for_save.clone(),
            kind: String::new(),
            name_en: name_en.get_untracked(),
            name_zh: name_zh.get_untracked(),
            version: version.get_untracked(),
            lines: rows.get_untracked().into_iter().map(|r| r.line).collect(),
        });
    };
    let edit_line = move |key: u64, f: &dyn Fn(&mut TemplateLine)| {
        rows.update(|rs| {
            if let Some(r) = rs.iter_mut().find(|r| r.key == key) {
                f(&mut r.line);
            }
        });
        status.set(None);
    };
    let shift = move |key: u64, down: bool| {
        rows.update(|rs| {
            if let Some(i) = rs.iter().position(|r| r.key == key) {
                let j = if down { i + 1 } else { i.wrapping_sub(1) };
                if j < rs.len() {
                    rs.swap(i, j);
                }
            }
        });
        status.set(None);
    };
    view! {
        <section class="panel template-editor" data-testid="template-editor" data-template=code.clone()>
            <form on:submit=submit novalidate>
                <div class="template-names">
                    <div class="field" class:field-invalid=move || name_en.with(|n| n.trim().is_empty())>
                        <label for=format!("tpl-{code}-en")>{move || i18n.t(K::TemplateNameEn)}</label>
                        <input id=format!("tpl-{code}-en") data-testid="template-name-en" type="text" maxlength="300"
                            prop:value=move || name_en.get() on:input=move |ev| { name_en.set(event_target_value(&ev)); status.set(None); }/>
                    </div>
                    <div class="field" class:field-invalid=move || name_zh.with(|n| n.trim().is_empty())>
                        <label for=format!("tpl-{code}-zh")>{move || i18n.t(K::TemplateNameZh)}</label>
                        <input id=format!("tpl-{code}-zh") data-testid="template-name-zh" type="text" maxlength="300"
                            prop:value=move || name_zh.get() on:input=move |ev| { name_zh.set(event_target_value(&ev)); status.set(None); }/>
                    </div>
                </div>
                <h3 class="template-lines-title">{move || i18n.t(K::TemplateLines)} " · " <span class="num">{move || rows.with(Vec::len)}</span></h3>
                <ol class="template-lines">
                    <For each=move || rows.get() key=|r| r.key let:r>
                        {
                            let key = r.key;
                            let text = move |zh: bool| rows.with(|rs| rs.iter().find(|x| x.key == key).map(|x| if zh { x.line.text_zh.clone() } else { x.line.text_en.clone() }).unwrap_or_default());
                            let blank = move |zh: bool| text(zh).trim().is_empty();
                            view! {
                                <li class="template-line" data-testid="template-line">
                                    <input type="text" maxlength="300" data-testid="template-line-en" class:invalid=move || blank(false)
                                        aria-label=move || i18n.t(K::TemplateLineEn) placeholder=move || i18n.t(K::TemplateLineEn)
                                        prop:value=move || text(false)
                                        on:input=move |ev| { let v = event_target_value(&ev); edit_line(key, &|l| l.text_en = v.clone()); }/>
                                    <input type="text" maxlength="300" data-testid="template-line-zh" class:invalid=move || blank(true)
                                        aria-label=move || i18n.t(K::TemplateLineZh) placeholder=move || i18n.t(K::TemplateLineZh)
                                        prop:value=move || text(true)
                                        on:input=move |ev| { let v = event_target_value(&ev); edit_line(key, &|l| l.text_zh = v.clone()); }/>
                                    <span class="template-line-actions">
                                        <button type="button" class="btn btn-sm" data-testid="template-line-up" aria-label=move || i18n.t(K::MoveUp)
                                            on:click=move |_| shift(key, false)>"▲"</button>
                                        <button type="button" class="btn btn-sm" data-testid="template-line-down" aria-label=move || i18n.t(K::MoveDown)
                                            on:click=move |_| shift(key, true)>"▼"</button>
                                        <button type="button" class="btn btn-sm btn-danger-ghost" data-testid="template-line-remove" aria-label=move || i18n.t(K::MemberRemove)
                                            on:click=move |_| { rows.update(|rs| rs.retain(|x| x.key != key)); status.set(None); }>"✕"</button>
                                    </span>
                                </li>
                            }
                        }
                    </For>
                </ol>
                <div class="form-actions">
                    {move || problem().map(|_| view! { <span class="field-error" data-testid="template-problem">{i18n.t(K::TemplateRequired)}</span> })}
                    {move || status.get().map(|s| match s {
                        Ok(()) => view! { <span class="saved" role="status" data-testid="template-saved">"✓ " {i18n.t(K::TemplateSaved)}</span> }.into_any(),
                        Err(e) => view! { <span class="field-error" role="alert" data-testid="template-error">"⚠ " {error_message(i18n.locale(), &e)}</span> }.into_any(),
                    })}
                    <button type="button" class="btn btn-sm" data-testid="template-add-line"
                        on:click=move |_| {
                            let key = next_key.get_value();
                            next_key.set_value(key + 1);
                            rows.update(|rs| rs.push(Row { key, line: TemplateLine::default() }));
                            status.set(None);
                        }>{move || i18n.t(K::TemplateAddLine)}</button>
                    <button type="submit" class="btn btn-primary btn-sm" data-testid="template-save"
                        disabled=move || problem().is_some() || save.pending().get()>{move || i18n.t(K::Save)}</button>
                </div>
            </form>
        </section>
    }
}
