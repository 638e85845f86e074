//! `/import`: choose what to import, get the template, upload a file; `/import/:id`: match its
//! columns, check it (dry run with every refusal named), choose all-or-nothing or the good
//! rows, and follow the import's progress — kept on the server, so a reload finds it.
use crate::api::import::{import_check, import_get, import_recent, import_start};
use crate::components::states::{ErrorNotice, Skeleton};
use crate::domain::error::AppError;
use crate::domain::import::{missing_required, Field, JobView, Kind, Mode, Status};
use crate::i18n::{use_i18n, K};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

fn kind_key(k: Kind) -> K {
    match k {
        Kind::Accounts => K::ImportKindAccounts,
        Kind::Contacts => K::ImportKindContacts,
        Kind::Deals => K::ImportKindDeals,
    }
}

fn list_href(k: Kind) -> &'static str {
    match k {
        Kind::Accounts | Kind::Contacts => "/accounts",
        Kind::Deals => "/deals",
    }
}

#[component]
pub fn ImportPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let kind = Memo::new(move |_| query.read().get("kind").and_then(|k| Kind::parse(&k)).unwrap_or(Kind::Accounts));
    let recent = Resource::new(|| (), |_| import_recent());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let navigate = use_navigate();
    let input_ref = NodeRef::<leptos::html::Input>::new();
    let upload = move |_| {
        let Some(input) = input_ref.get() else { return };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            error.set(Some(i18n.t(K::ImportNoFile).to_owned()));
            return;
        };
        error.set(None);
        busy.set(true);
        let navigate = navigate.clone();
        let k = kind.get_untracked();
        leptos::task::spawn_local(async move {
            match send_file(&file, k).await {
                Ok(id) => navigate(&format!("/import/{id}"), Default::default()),
                Err(m) => error.set(Some(m)),
            }
            busy.set(false);
        });
    };
    view! {
        <Title text=move || i18n.t(K::ImportTitle).to_owned()/>
        <div class="page-head">
            <div>
                <h1>{move || i18n.t(K::ImportTitle)}</h1>
                <p class="lead">{move || i18n.t(K::ImportLead)}</p>
            </div>
        </div>
        <section class="panel import-start" data-testid="import-start">
            <h2>{move || i18n.t(K::ImportWhat)}</h2>
            <div class="seg" role="tablist">
                {Kind::ALL.into_iter().map(|k| view! {
                    <a class="btn btn-sm" class:active=move || kind.get() == k href=format!("/import?kind={}", k.code())
                        data-testid=format!("import-kind-{}", k.code())>{move || i18n.t(kind_key(k))}</a>
                }).collect_view()}
            </div>
            <p class="muted">
                {move || i18n.t(K::ImportTemplate)} ": "
                <a rel="external" href=move || format!("/api/v1/imports/template?kind={}&format=xlsx", kind.get().code())>"XLSX"</a>
                " · "
                <a rel="external" href=move || format!("/api/v1/imports/template?kind={}&format=csv", kind.get().code())>"CSV"</a>
            </p>
            <div class="field">
                <label for="import-file">{move || i18n.t(K::ImportFile)}</label>
                <input id="import-file" type="file" accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                    node_ref=input_ref data-testid="import-file"/>
            </div>
            {move || error.get().map(|m| view! { <p class="field-error" role="alert" data-testid="import-error">{m}</p> })}
            <button class="btn btn-primary" on:click=upload disabled=move || busy.get() data-testid="import-upload">
                {move || if busy.get() { i18n.t(K::ImportUploading) } else { i18n.t(K::ImportUpload) }}
            </button>
        </section>
        <Transition fallback=|| view! { <Skeleton rows=3/> }>
            {move || recent.get().map(|r| match r {
                Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                Ok(jobs) if jobs.is_empty() => ().into_any(),
                Ok(jobs) => view! {
                    <section class="panel">
                        <h2>{move || i18n.t(K::ImportRecent)}</h2>
                        <ul class="plain-list">
                            {jobs.into_iter().map(|j| view! {
                                <li><a href=format!("/import/{}", j.id)>{j.file_name.clone()}</a>
                                    " · " {move || i18n.t(kind_key(j.kind))} " · " <StatusText status=j.status/>
                                    " · " {j.imported} " " {move || i18n.t(K::ImportImported)}</li>
                            }).collect_view()}
                        </ul>
                    </section>
                }.into_any(),
            })}
        </Transition>
    }
}

/// Posts the file as it is (no base64, no form) to the REST upload; answers the job's id or
/// the server's reason.
#[allow(unused_variables)]
async fn send_file(file: &web_sys::File, kind: Kind) -> Result<uuid::Uuid, String> {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let window = web_sys::window().ok_or("no window")?;
        let init = web_sys::RequestInit::new();
        init.set_method("POST");
        init.set_body(file);
        let name = crate::components::search::encode(&file.name());
        let url = format!("/api/v1/imports?kind={}&file_name={name}", kind.code());
        let resp = wasm_bindgen_futures::JsFuture::from(window.fetch_with_str_and_init(&url, &init))
            .await
            .map_err(|_| "network error".to_owned())?;
        let resp: web_sys::Response = resp.dyn_into().map_err(|_| "network error".to_owned())?;
        let text = wasm_bindgen_futures::JsFuture::from(resp.text().map_err(|_| "network error".to_owned())?)
            .await
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        if resp.ok() {
            return v.get("id").and_then(|i| i.as_str()).and_then(|s| uuid::Uuid::parse_str(s).ok()).ok_or_else(|| "bad answer".to_owned());
        }
        Err(v.get("detail").and_then(|d| d.as_str()).unwrap_or("the upload was refused").to_owned())
    }
    #[cfg(not(feature = "hydrate"))]
    Err("not in a browser".to_owned())
}

#[component]
fn StatusText(status: Status) -> impl IntoView {
    let i18n = use_i18n();
    let k = match status {
        Status::Uploaded => K::ImportMapping,
        Status::Checked => K::ImportChecked,
        Status::Running => K::ImportRunning,
        Status::Done => K::ImportDone,
        Status::Failed => K::ImportFailed,
    };
    view! { <span data-testid="import-status" data-status=status.code()>{move || i18n.t(k)}</span> }
}

#[component]
pub fn ImportJobPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| uuid::Uuid::parse_str(&s).ok());
    let job = Resource::new(id, |id| async move {
        match id {
            Some(id) => import_get(id).await,
            None => Err(AppError::NotFound),
        }
    });
    // Poll while it runs: the page shows the server's counters, so a reload loses nothing.
    Effect::new(move |_| {
        if let Some(Ok(j)) = job.get() {
            if j.status == Status::Running {
                set_timeout(move || job.refetch(), std::time::Duration::from_millis(700));
            }
        }
    });
    view! {
        <Title text=move || i18n.t(K::ImportTitle).to_owned()/>
        <div class="page-head">
            <div>
                <h1>{move || i18n.t(K::ImportTitle)}</h1>
                <p class="lead"><a href="/import">{move || i18n.t(K::ImportAnother)}</a></p>
            </div>
        </div>
        <Transition fallback=|| view! { <Skeleton rows=6/> }>
            {move || job.get().map(|r| match r {
                Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                Ok(j) => view! { <JobPanel job=j on_change=Callback::new(move |v: JobView| job.set(Some(Ok(v))))/> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn JobPanel(job: JobView, on_change: Callback<JobView>) -> impl IntoView {
    let i18n = use_i18n();
    let id = job.id;
    let kind = job.kind;
    let mapping = RwSignal::new(job.mapping.clone());
    let mode = RwSignal::new(if job.mode == Some(Mode::GoodRows) { Mode::GoodRows } else { Mode::AllOrNothing });
    let check = Action::new(move |m: &Vec<Option<Field>>| {
        let m = m.clone();
        async move { import_check(id, m).await }
    });
    let start = Action::new(move |m: &Mode| {
        let m = *m;
        async move { import_start(id, m).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(v)) = check.value().get() {
            on_change.run(v);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(v)) = start.value().get() {
            on_change.run(v);
        }
    });
    let action_error = move || {
        check.value().get().and_then(Result::err).or_else(|| start.value().get().and_then(Result::err)).map(|e| {
            view! { <p class="field-error" role="alert" data-testid="import-action-error">{crate::i18n::error_message(i18n.locale(), &e)}</p> }
        })
    };
    let editable = matches!(job.status, Status::Uploaded | Status::Checked | Status::Failed);
    let headers = job.headers.clone();
    let sample = job.sample.clone();
    let pct = (job.processed * 100).checked_div(job.total_rows).unwrap_or(0).min(100);
    let refused_class = if job.rejected > 0 { "bad" } else { "" };
    let show_counts = matches!(job.status, Status::Checked | Status::Running | Status::Done | Status::Failed) && job.total_rows > 0;
    let (total, imported, rejected, processed) = (job.total_rows, job.imported, job.rejected, job.processed);
    let status = job.status;
    let rejects = job.rejects.clone();
    let error = job.error.clone();
    view! {
        <section class="panel" data-testid="import-job">
            <p class="import-file-line">
                <strong>{job.file_name.clone()}</strong> " · " {move || i18n.t(kind_key(kind))} " · " {job.format.code().to_uppercase()}
                " · " <StatusText status=status/>
            </p>
            {(status == Status::Running || (status == Status::Done && total > 0)).then(|| view! {
                <div class="import-progress" role="progressbar" aria-valuemin="0" aria-valuemax=total aria-valuenow=processed data-testid="import-progress">
                    <div class="progress"><span style=format!("width:{pct}%")></span></div>
                    <span class="muted">{processed} " / " {total} " " {move || i18n.t(K::ImportRows)} " · " {pct} "%"</span>
                </div>
            })}
            {show_counts.then(|| view! {
                <p class="import-counts" data-testid="import-counts">
                    <span><strong data-testid="import-total">{total}</strong> " " {move || i18n.t(K::ImportRows)}</span>
                    " · "
                    <span><strong data-testid="import-good">{if status == Status::Checked { total.saturating_sub(rejected) } else { imported }}</strong> " "
                        {move || if status == Status::Checked { i18n.t(K::ImportWillImport) } else { i18n.t(K::ImportImported) }}</span>
                    " · "
                    <span class=refused_class><strong data-testid="import-refused">{rejected}</strong> " " {move || i18n.t(K::ImportRefused)}</span>
                </p>
            })}
            {match error.as_deref() {
                Some("interrupted") => Some(view! { <p class="field-error" role="alert">{move || i18n.t(K::ImportInterrupted)}</p> }.into_any()),
                Some("rows_refused") => Some(view! { <p class="field-error" role="alert">{move || i18n.t(K::ImportRowsRefusedNothing)}</p> }.into_any()),
                Some(e) => Some(view! { <p class="field-error" role="alert">{e.to_owned()}</p> }.into_any()),
                None => None,
            }}
            {(status == Status::Done).then(|| view! {
                <p><a class="btn btn-primary" href=list_href(kind) data-testid="import-open-list">{move || i18n.t(K::ImportOpenList)}</a></p>
            })}
        </section>
        {editable.then(|| view! {
            <section class="panel">
                <h2>{move || i18n.t(K::ImportMapping)}</h2>
                <p class="muted">{move || i18n.t(K::ImportMappingLead)}</p>
                <div class="table-wrap">
                    <table class="table" data-testid="import-mapping">
                        <thead><tr>
                            <th>{move || i18n.t(K::ImportColumn)}</th>
                            <th>{move || i18n.t(K::ImportField)}</th>
                            <th class="hide-sm">{move || i18n.t(K::ImportSample)}</th>
                        </tr></thead>
                        <tbody>
                            {headers.iter().enumerate().map(|(i, h)| {
                                let examples: Vec<String> = sample.iter().take(3).filter_map(|r| r.get(i).cloned()).filter(|c| !c.is_empty()).collect();
                                view! {
                                    <tr>
                                        <td>{h.clone()}</td>
                                        <td>
                                            <select data-testid=format!("import-map-{i}") aria-label=h.clone()
                                                on:change=move |ev| {
                                                    let v = event_target_value(&ev);
                                                    mapping.update(|m| if let Some(slot) = m.get_mut(i) { *slot = Field::parse(&v); });
                                                }>
                                                <option value="" selected=move || mapping.with(|m| m.get(i).copied().flatten().is_none())>{move || i18n.t(K::ImportSkip)}</option>
                                                {kind.fields().iter().map(|f| {
                                                    let f = *f;
                                                    let star = if f.required(kind) { " *" } else { "" };
                                                    view! {
                                                        <option value=f.code() selected=move || mapping.with(|m| m.get(i).copied().flatten() == Some(f))>
                                                            {move || f.header(i18n.locale() == crate::domain::locale::Locale::ZhCn)} {star}
                                                        </option>
                                                    }
                                                }).collect_view()}
                                            </select>
                                        </td>
                                        <td class="hide-sm muted">{examples.join(" · ")}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                // Said before the check, in words; the server's 422 names the same fields.
                {move || {
                    let missing = mapping.with(|m| missing_required(kind, m));
                    (!missing.is_empty()).then(|| {
                        let zh = i18n.locale() == crate::domain::locale::Locale::ZhCn;
                        let names: Vec<&str> = missing.iter().map(|f| f.header(zh)).collect();
                        view! {
                            <p class="field-error" role="alert" data-testid="import-missing">
                                {i18n.t(K::ImportMissingRequired)} " " {names.join(if zh { "、" } else { ", " })}
                            </p>
                        }
                    })
                }}
                <button class="btn" data-testid="import-check" disabled=move || check.pending().get()
                    on:click=move |_| { check.dispatch(mapping.get_untracked()); }>
                    {move || if check.pending().get() { i18n.t(K::ImportChecking) } else { i18n.t(K::ImportCheck) }}
                </button>
            </section>
        })}
        {(status == Status::Checked).then(|| view! {
            <section class="panel" data-testid="import-run">
                <fieldset class="import-modes">
                    <label><input type="radio" name="import-mode" data-testid="import-mode-all" checked=move || mode.get() == Mode::AllOrNothing
                        on:change=move |_| mode.set(Mode::AllOrNothing)/> " " {move || i18n.t(K::ImportModeAll)}</label>
                    <label><input type="radio" name="import-mode" data-testid="import-mode-good" checked=move || mode.get() == Mode::GoodRows
                        on:change=move |_| mode.set(Mode::GoodRows)/> " " {move || i18n.t(K::ImportModeGood)}</label>
                </fieldset>
                <button class="btn btn-primary" data-testid="import-start-run"
                    disabled=move || start.pending().get() || (mode.get() == Mode::AllOrNothing && rejected > 0) || total == 0
                    on:click=move |_| { start.dispatch(mode.get_untracked()); }>
                    {move || i18n.t(K::ImportStart)}
                </button>
            </section>
        })}
        {action_error}
        {(!rejects.is_empty()).then(|| view! {
            <section class="panel">
                <h2>{move || i18n.t(K::ImportRefusedRows)}</h2>
                <p><a rel="external" href=format!("/api/v1/imports/{id}/rejects") data-testid="import-refused-file">{move || i18n.t(K::ImportDownloadRefused)}</a></p>
                <div class="table-wrap">
                    <table class="table" data-testid="import-rejects">
                        <thead><tr>
                            <th class="right">{move || i18n.t(K::ImportLine)}</th>
                            <th>{move || i18n.t(K::ImportColumn)}</th>
                            <th>{move || i18n.t(K::ImportReason)}</th>
                        </tr></thead>
                        <tbody>
                            {rejects.into_iter().map(|r| {
                                let problem = r.problem.clone();
                                let zh = move || i18n.locale() == crate::domain::locale::Locale::ZhCn;
                                view! {
                                    <tr data-testid="import-reject">
                                        <td class="right">{r.line}</td>
                                        <td>{move || r.field.map(|f| f.header(zh())).unwrap_or("")}</td>
                                        <td class="wrap">{move || crate::i18n::import_problem(i18n.locale(), &problem)}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </section>
        })}
    }
}
