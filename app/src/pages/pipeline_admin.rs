//! /admin/pipelines: one pipeline's name, its stages (order, win rates, stuck limits,
//! playbooks, entry requirements) and its move-policy table. Each row saves on its own with
//! its version; a stale version reloads the editor and says so.
use crate::api::pipeline::{load_pipeline_editor, rename_pipeline, reorder_stages, save_requirements, save_stage, set_policy};
use crate::components::states::{ErrorNotice, Skeleton};
use crate::domain::dto::{PipelineEditor, PolicyCell, RequirementChoice, StageEdit, StageUpdate};
use crate::domain::error::AppError;
use crate::domain::gate::{Policy, StageKind};
use crate::domain::locale::Locale;
use crate::domain::pipeline_edit::{check_names, check_stage, Invalid, Rule, PLAYBOOK_MAX};
use crate::i18n::{error_message, rule_key, use_i18n, K};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq)]
enum Toast {
    Saved,
    Failed(AppError),
}

type EditorResource = Resource<Result<PipelineEditor, AppError>>;

/// The editor's shared state, handed to every row (all parts are Copy handles).
#[derive(Clone, Copy)]
struct Ed {
    toast: RwSignal<Option<Toast>>,
    data: EditorResource,
    pid: Uuid,
    pversion: RwSignal<i32>,
    stages: RwSignal<Vec<StageEdit>>,
    cells: RwSignal<Vec<PolicyCell>>,
    choices: StoredValue<Vec<RequirementChoice>>,
    dragging: RwSignal<Option<Uuid>>,
    over: RwSignal<Option<Uuid>>,
    just_saved: RwSignal<Option<Uuid>>,
    /// Rows whose playbook (false) or requirements (true) are open; kept here so a row
    /// drawn afresh after its save stays as the admin left it.
    expanded: RwSignal<Vec<(Uuid, bool)>>,
    /// After ▲/▼ the row is drawn anew at its new position: put the focus back on the same
    /// button there (id, new position, ▼?). The position keeps the old row from taking it.
    refocus: RwSignal<Option<(Uuid, i32, bool)>>,
}

impl Ed {
    fn failed(self, e: AppError) {
        // Someone else saved first: show what the server holds now, and say why.
        if e == AppError::Conflict {
            self.data.refetch();
        }
        self.toast.set(Some(Toast::Failed(e)));
    }

    fn apply(self, e: PipelineEditor) {
        self.pversion.set(e.version);
        self.cells.set(e.policies);
        self.stages.set(e.stages);
    }

    fn open_order(self) -> Vec<Uuid> {
        self.stages.with_untracked(|v| v.iter().filter(|s| StageKind::Open.matches(&s.kind)).map(|s| s.id).collect())
    }

    fn reorder(self, order: Vec<Uuid>, focus: Option<(Uuid, bool)>) {
        let (pid, version) = (self.pid, self.pversion.get_untracked());
        spawn_local(async move {
            match reorder_stages(pid, order, version).await {
                Ok(e) => {
                    let at = |id: Uuid| e.stages.iter().find(|s| s.id == id).map(|s| s.position);
                    let focus = focus.and_then(|(id, down)| Some((id, at(id)?, down)));
                    self.apply(e);
                    self.refocus.set(focus);
                    self.toast.set(Some(Toast::Saved));
                }
                Err(e) => self.failed(e),
            }
        });
    }
}

fn kind_of(s: &StageEdit) -> StageKind {
    StageKind::parse(&s.kind).unwrap_or(StageKind::Open)
}

fn name_of(s: &StageEdit, l: Locale) -> String {
    match l {
        Locale::En => s.name_en.clone(),
        Locale::ZhCn => s.name_zh.clone(),
    }
}

fn policy_key(p: Policy) -> K {
    match p {
        Policy::Allow => K::PolicyAllow,
        Policy::Forbid => K::PolicyForbid,
        Policy::Approval => K::PolicyApproval,
    }
}

fn kind_key(k: StageKind) -> K {
    match k {
        StageKind::Open => K::KindOpen,
        StageKind::Won => K::KindWon,
        StageKind::Lost => K::KindLost,
    }
}

/// The first refused rule of `field`, as a catalogue key.
fn error_of(v: &[Invalid], field: &str) -> Option<K> {
    v.iter().find(|i| i.field == field).map(|i| rule_key(i.field, i.rule))
}

#[component]
pub fn PipelineAdminPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let id = Memo::new(move |_| query.read().get("id").and_then(|s| s.parse::<Uuid>().ok()));
    let data: EditorResource = Resource::new(move || id.get(), load_pipeline_editor);
    // Outside the editor so a message survives the reload a conflict causes.
    let toast: RwSignal<Option<Toast>> = RwSignal::new(None);
    view! {
        <Title text=move || i18n.t(K::PipelinesTitle).to_owned()/>
        <div class="page-head">
            <div>
                <p class="crumb"><a href="/admin">{move || i18n.t(K::BackToAdmin)}</a></p>
                <h1>{move || i18n.t(K::PipelinesTitle)}</h1>
                <p class="lead">{move || i18n.t(K::PipelinesLead)}</p>
            </div>
        </div>
        <Transition fallback=|| view! { <Skeleton rows=8/> }>
            {move || {
                data.get().map(|r| match r {
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    Ok(ed) => view! { <EditorView ed=ed toast=toast data=data/> }.into_any(),
                })
            }}
        </Transition>
        {move || toast.get().map(|t| {
            let close = move |_| toast.set(None);
            match t {
                Toast::Saved => view! {
                    <div class="toast toast-ok" role="status" data-testid="saved-toast">
                        "✓ " {move || i18n.t(K::Saved)}
                        <button type="button" class="toast-x" aria-label=move || i18n.t(K::Dismiss) on:click=close>"✕"</button>
                    </div>
                }.into_any(),
                Toast::Failed(e) => {
                    let conflict = e == AppError::Conflict;
                    view! {
                        <div class="toast toast-error" role="alert" data-testid=if conflict { "conflict-toast" } else { "error-toast" }>
                            {move || error_message(i18n.locale(), &e)}
                            <button type="button" class="toast-x" aria-label=move || i18n.t(K::Dismiss) on:click=close>"✕"</button>
                        </div>
                    }.into_any()
                }
            }
        })}
    }
}

#[component]
fn EditorView(ed: PipelineEditor, toast: RwSignal<Option<Toast>>, data: EditorResource) -> impl IntoView {
    let ctx = Ed {
        toast,
        data,
        pid: ed.pipeline.id,
        pversion: RwSignal::new(ed.version),
        stages: RwSignal::new(ed.stages.clone()),
        cells: RwSignal::new(ed.policies.clone()),
        choices: StoredValue::new(ed.requirements.clone()),
        dragging: RwSignal::new(None),
        over: RwSignal::new(None),
        just_saved: RwSignal::new(None),
        expanded: RwSignal::new(Vec::new()),
        refocus: RwSignal::new(None),
    };
    // Each part is type-erased (`into_any`): nested concrete view types otherwise overflow the
    // compiler's depth limit when the server binary is built.
    view! {
        <PipelineHead ed=ctx editor=ed/>
        <StageList ed=ctx/>
        <PolicyMatrix ed=ctx/>
    }
    .into_any()
}

/// The pipeline picker and the rename form.
#[component]
fn PipelineHead(ed: Ed, editor: PipelineEditor) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let en = RwSignal::new(editor.pipeline.name_en.clone());
    let zh = RwSignal::new(editor.pipeline.name_zh.clone());
    let saving = RwSignal::new(false);
    let invalid = Memo::new(move |_| check_names(&en.get(), &zh.get()));
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !invalid.with_untracked(Vec::is_empty) || saving.get_untracked() {
            return;
        }
        let (pid, v, e, z) = (ed.pid, ed.pversion.get_untracked(), en.get_untracked(), zh.get_untracked());
        saving.set(true);
        spawn_local(async move {
            let r = rename_pipeline(pid, e, z, v).await;
            saving.set(false);
            match r {
                Ok(v) => {
                    ed.pversion.set(v);
                    ed.toast.set(Some(Toast::Saved));
                }
                Err(e) => ed.failed(e),
            }
        });
    };
    let current = editor.pipeline.id;
    let name_field = move |field: &'static str, label: K, value: RwSignal<String>| {
        let id = format!("pipeline-{field}");
        let err = move || invalid.with(|v| error_of(v, field));
        view! {
            <div class="field" class:field-invalid=move || err().is_some()>
                <label for=id.clone()>{move || i18n.t(label)}</label>
                <input
                    id=id
                    type="text"
                    data-testid=format!("pipeline-{field}")
                    prop:value=move || value.get()
                    aria-invalid=move || err().is_some().to_string()
                    on:input=move |ev| value.set(event_target_value(&ev))
                />
                {move || err().map(|k| view! { <span class="field-error">{move || i18n.t(k)}</span> })}
            </div>
        }
    };
    view! {
        <section class="panel pe-head">
            <div class="field pe-picker">
                <label for="pipeline-picker">{move || i18n.t(K::Pipeline)}</label>
                <select
                    id="pipeline-picker"
                    data-testid="pipeline-picker"
                    on:change=move |ev| navigate(&format!("/admin/pipelines?id={}", event_target_value(&ev)), Default::default())
                >
                    {editor.pipelines.iter().map(|p| {
                        let (pen, pzh) = (p.name_en.clone(), p.name_zh.clone());
                        view! {
                            <option value=p.id.to_string() selected=p.id == current>
                                {move || if i18n.locale() == Locale::ZhCn { pzh.clone() } else { pen.clone() }}
                            </option>
                        }
                    }).collect_view()}
                </select>
            </div>
            <form class="pe-rename" data-testid="rename-form" on:submit=on_submit>
                <h2 class="pe-subtitle">{move || i18n.t(K::PipelineNameTitle)}</h2>
                <div class="pe-rename-fields">
                    {name_field("name_en", K::NameEn, en)}
                    {name_field("name_zh", K::NameZh, zh)}
                    <button
                        type="submit"
                        class="btn btn-primary"
                        data-testid="pipeline-save"
                        disabled=move || saving.get() || !invalid.with(Vec::is_empty)
                    >
                        {move || if saving.get() { i18n.t(K::Saving) } else { i18n.t(K::Save) }}
                    </button>
                </div>
            </form>
        </section>
    }
    .into_any()
}

#[component]
fn StageList(ed: Ed) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="panel">
            <h2 class="panel-title">{move || i18n.t(K::StagesTitle)}</h2>
            <p class="muted pe-lead">{move || i18n.t(K::StagesLead)}</p>
            <ol class="stage-list" data-testid="stage-list">
                // Keyed by version and position: a saved or moved row is drawn afresh from the
                // server's copy, while the unsaved edits of other rows stay as typed.
                <For each=move || ed.stages.get() key=|s| (s.id, s.version, s.position) children=move |s| view! { <StageRow ed=ed s=s/> }/>
            </ol>
        </section>
    }
    .into_any()
}

#[component]
fn StageRow(ed: Ed, s: StageEdit) -> impl IntoView {
    let i18n = use_i18n();
    let kind = kind_of(&s);
    let open = kind == StageKind::Open;
    let id = s.id;
    let position = s.position;
    let orig = StoredValue::new(s.clone());
    let name_en = RwSignal::new(s.name_en.clone());
    let name_zh = RwSignal::new(s.name_zh.clone());
    let rate = RwSignal::new(s.win_rate_pct.to_string());
    let stuck = RwSignal::new(s.stuck_days.to_string());
    let pb_en = RwSignal::new(s.playbook_en.clone());
    let pb_zh = RwSignal::new(s.playbook_zh.clone());
    let reqs = RwSignal::new(s.requirements.clone());
    let shown = move |reqs: bool| ed.expanded.with(|v| v.contains(&(id, reqs)));
    let toggle = move |reqs: bool| {
        ed.expanded.update(|v| {
            if let Some(i) = v.iter().position(|x| *x == (id, reqs)) {
                v.remove(i);
            } else {
                v.push((id, reqs));
            }
        })
    };
    let saving = RwSignal::new(false);

    let invalid = Memo::new(move |_| {
        let r = rate.with(|v| v.trim().parse::<i32>().ok());
        let d = stuck.with(|v| v.trim().parse::<i32>().ok());
        let mut v =
            check_stage(kind, &name_en.get(), &name_zh.get(), r.unwrap_or(i32::MIN), d.unwrap_or(i32::MIN), &pb_en.get(), &pb_zh.get());
        for i in v.iter_mut() {
            if (i.field == "win_rate_pct" && r.is_none()) || (i.field == "stuck_days" && d.is_none()) {
                i.rule = Rule::NotANumber;
            }
        }
        v
    });
    let update = move || StageUpdate {
        name_en: name_en.get(),
        name_zh: name_zh.get(),
        win_rate_pct: rate.with(|v| v.trim().parse().unwrap_or_default()),
        stuck_days: stuck.with(|v| v.trim().parse().unwrap_or_default()),
        playbook_en: pb_en.get(),
        playbook_zh: pb_zh.get(),
        version: orig.with_value(|o| o.version),
    };
    let fields_dirty = move || {
        let u = update();
        orig.with_value(|o| {
            u.name_en != o.name_en
                || u.name_zh != o.name_zh
                || u.win_rate_pct != o.win_rate_pct
                || u.stuck_days != o.stuck_days
                || u.playbook_en != o.playbook_en
                || u.playbook_zh != o.playbook_zh
        })
    };
    let reqs_dirty = move || reqs.with(|r| orig.with_value(|o| *r != o.requirements));
    let dirty = move || fields_dirty() || reqs_dirty();

    let save = move || {
        if !invalid.with_untracked(Vec::is_empty) || saving.get_untracked() {
            return;
        }
        let (u, send_fields, codes, send_reqs) = untrack(|| (update(), fields_dirty(), reqs.get(), reqs_dirty()));
        if !send_fields && !send_reqs {
            return;
        }
        saving.set(true);
        spawn_local(async move {
            let mut version = u.version;
            let mut fresh: Option<StageEdit> = None;
            let mut failure: Option<AppError> = None;
            if send_fields {
                match save_stage(id, u).await {
                    Ok(s) => {
                        version = s.version;
                        fresh = Some(s);
                    }
                    Err(e) => failure = Some(e),
                }
            }
            if send_reqs && failure.is_none() {
                match save_requirements(id, codes, version).await {
                    Ok(s) => fresh = Some(s),
                    Err(e) => failure = Some(e),
                }
            }
            saving.set(false);
            if let Some(s) = fresh {
                ed.just_saved.set(Some(id));
                ed.stages.update(|v| {
                    if let Some(x) = v.iter_mut().find(|x| x.id == id) {
                        *x = s;
                    }
                });
            }
            match failure {
                Some(e) => ed.failed(e),
                None => ed.toast.set(Some(Toast::Saved)),
            }
        });
    };

    // ▲ / ▼: swap with the neighbouring open stage.
    let up_ref = NodeRef::<leptos::html::Button>::new();
    let down_ref = NodeRef::<leptos::html::Button>::new();
    let index = move || ed.stages.with(|v| v.iter().filter(|s| StageKind::Open.matches(&s.kind)).position(|s| s.id == id));
    let n_open = move || ed.stages.with(|v| v.iter().filter(|s| StageKind::Open.matches(&s.kind)).count());
    let step = move |down: bool| {
        let mut order = ed.open_order();
        let Some(i) = order.iter().position(|x| *x == id) else { return };
        let j = if down { i + 1 } else { i.wrapping_sub(1) };
        if j >= order.len() {
            return;
        }
        order.swap(i, j);
        ed.reorder(order, Some((id, down)));
    };
    Effect::new(move |_| {
        if let Some((who, pos, down)) = ed.refocus.get() {
            if who == id && pos == position {
                // At either end the pressed button is now disabled: focus its twin instead.
                let pressed = if down { down_ref } else { up_ref };
                let twin = if down { up_ref } else { down_ref };
                let at_end = if down { index().is_some_and(|i| i + 1 >= n_open()) } else { index() == Some(0) };
                if let Some(b) = if at_end { twin.get() } else { pressed.get() } {
                    let _ = b.focus();
                }
                ed.refocus.set(None);
            }
        }
    });
    // Drag and drop: the dragged open stage takes the place of the row it is dropped on.
    let drop_on = move || {
        let Some(dragged) = ed.dragging.get_untracked() else { return };
        ed.dragging.set(None);
        ed.over.set(None);
        if dragged == id {
            return;
        }
        let mut order = ed.open_order();
        let (Some(from), Some(to)) = (order.iter().position(|x| *x == dragged), order.iter().position(|x| *x == id)) else { return };
        let moved = order.remove(from);
        order.insert(to, moved);
        ed.reorder(order, None);
    };

    let field_id = move |f: &str| format!("st-{id}-{f}");
    let err = move |field: &'static str| move || invalid.with(|v| error_of(v, field));
    let text_input = move |field: &'static str, label: K, value: RwSignal<String>| {
        let e = err(field);
        view! {
            <div class=format!("field pe-{field}") class:field-invalid=move || e().is_some()>
                <label for=field_id(field)>{move || i18n.t(label)}</label>
                <input
                    id=field_id(field)
                    type="text"
                    data-testid=format!("stage-{field}")
                    prop:value=move || value.get()
                    aria-invalid=move || e().is_some().to_string()
                    on:input=move |ev| value.set(event_target_value(&ev))
                />
                {move || e().map(|k| view! { <span class="field-error" data-testid="field-error">{move || i18n.t(k)}</span> })}
            </div>
        }
    };
    let number_input = move |field: &'static str, label: K, value: RwSignal<String>, max: i32, fixed: bool| {
        let e = err(field);
        view! {
            <div class=format!("field pe-num pe-{field}") class:field-invalid=move || e().is_some()>
                <label for=field_id(field)>{move || i18n.t(label)}</label>
                <input
                    id=field_id(field)
                    type="number"
                    inputmode="numeric"
                    min="0"
                    max=max.to_string()
                    data-testid=format!("stage-{field}")
                    readonly=fixed
                    prop:value=move || value.get()
                    aria-invalid=move || e().is_some().to_string()
                    on:input=move |ev| value.set(event_target_value(&ev))
                />
            </div>
        }
    };
    // The narrow number fields say what is wrong on a line under the row, not under
    // themselves (which would push the row's fields around).
    let number_errors = move || {
        let errs: Vec<(K, K)> = invalid.with(|v| {
            v.iter()
                .filter_map(|i| match i.field {
                    "win_rate_pct" => Some((K::WinRate, rule_key(i.field, i.rule))),
                    "stuck_days" => Some((K::StuckDaysLabel, rule_key(i.field, i.rule))),
                    _ => None,
                })
                .collect()
        });
        (!errs.is_empty()).then(|| {
            view! {
                <ul class="row-errors">
                    {errs
                        .into_iter()
                        .map(|(label, k)| view! { <li class="field-error" data-testid="field-error">{move || i18n.t(label)} ": " {move || i18n.t(k)}</li> })
                        .collect_view()}
                </ul>
            }
        })
    };
    let playbook = move |field: &'static str, label: K, value: RwSignal<String>| {
        let e = err(field);
        view! {
            <div class="field" class:field-invalid=move || e().is_some()>
                <label for=field_id(field)>{move || i18n.t(label)}</label>
                <textarea id=field_id(field) rows="4" data-testid=format!("stage-{field}") prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))></textarea>
                <span class="pe-count num" class:overdue=move || e().is_some()>{move || value.with(|v| v.chars().count())} " / " {PLAYBOOK_MAX}</span>
            </div>
        }
    };
    let groups = [
        ("key_info", K::ReqGroupKeyInfo),
        ("contact_role", K::ReqGroupContactRole),
        ("map", K::ReqGroupMap),
        ("checklist", K::ReqGroupChecklist),
        ("quote", K::ReqGroupQuote),
    ];
    let n_reqs = move || reqs.with(Vec::len);

    view! {
        <li
            class=format!("stage-row kind-{}", s.kind)
            class:drag-over=move || open && ed.over.get() == Some(id) && ed.dragging.get() != Some(id)
            class:dragging=move || ed.dragging.get() == Some(id)
            data-testid="stage-row"
            data-stage=id.to_string()
            data-kind=s.kind.clone()
            on:dragover=move |ev| {
                if open && ed.dragging.get_untracked().is_some() {
                    ev.prevent_default();
                    ed.over.set(Some(id));
                }
            }
            on:drop=move |ev| {
                if open {
                    ev.prevent_default();
                    drop_on();
                }
            }
        >
            <div class="stage-main">
                {if open {
                    view! {
                        <span
                            class="drag-handle"
                            draggable="true"
                            title=move || i18n.t(K::DragHandle)
                            aria-hidden="true"
                            data-testid="drag-handle"
                            on:dragstart=move |ev| {
                                if let Some(dt) = ev.data_transfer() {
                                    let _ = dt.set_data("text/plain", &id.to_string());
                                    dt.set_effect_allowed("move");
                                }
                                ed.dragging.set(Some(id));
                            }
                            on:dragend=move |_| {
                                ed.dragging.set(None);
                                ed.over.set(None);
                            }
                        ></span>
                    }
                    .into_any()
                } else {
                    view! { <span class="drag-handle drag-handle-off" aria-hidden="true"></span> }.into_any()
                }}
                <span class="stage-pos num" data-testid="stage-position">{s.position}</span>
                {text_input("name_en", K::NameEn, name_en)}
                {text_input("name_zh", K::NameZh, name_zh)}
                {number_input("win_rate_pct", K::WinRate, rate, 100, !open)}
                {number_input("stuck_days", K::StuckDaysLabel, stuck, 365, false)}
                <span class=format!("stage-chip kind-{}", s.kind) data-testid="stage-kind">{move || i18n.t(kind_key(kind))}</span>
                <div class="stage-actions">
                    {(!open).then(|| view! { <span class="btn-icon-gap" aria-hidden="true"></span> })}
                    {open.then(|| view! {
                        <button
                            type="button"
                            class="btn btn-icon"
                            node_ref=up_ref
                            data-testid="stage-up"
                            aria-label=move || i18n.t(K::MoveUp)
                            title=move || i18n.t(K::MoveUp)
                            disabled=move || index().is_none_or(|i| i == 0)
                            on:click=move |_| step(false)
                        >"▲"</button>
                        <button
                            type="button"
                            class="btn btn-icon"
                            node_ref=down_ref
                            data-testid="stage-down"
                            aria-label=move || i18n.t(K::MoveDown)
                            title=move || i18n.t(K::MoveDown)
                            disabled=move || index().is_none_or(|i| i + 1 >= n_open())
                            on:click=move |_| step(true)
                        >"▼"</button>
                    })}
                    <button
                        type="button"
                        class="btn"
                        aria-expanded=move || shown(false).to_string()
                        data-testid="toggle-playbook"
                        on:click=move |_| toggle(false)
                    >
                        {move || i18n.t(K::Playbook)}
                    </button>
                    <button
                        type="button"
                        class="btn"
                        aria-expanded=move || shown(true).to_string()
                        data-testid="toggle-requirements"
                        on:click=move |_| toggle(true)
                    >
                        {move || i18n.t(K::Requirements)} " " <span class="pill num">{n_reqs}</span>
                    </button>
                    <button
                        type="button"
                        class="btn btn-primary"
                        data-testid="stage-save"
                        disabled=move || saving.get() || !dirty() || !invalid.with(Vec::is_empty)
                        on:click=move |_| save()
                    >
                        {move || if saving.get() { i18n.t(K::Saving) } else { i18n.t(K::Save) }}
                    </button>
                    <span class="pe-status" aria-live="polite">
                        {move || {
                            if dirty() {
                                Some(view! { <span class="pe-unsaved">{move || i18n.t(K::Unsaved)}</span> }.into_any())
                            } else if ed.just_saved.get() == Some(id) {
                                Some(view! { <span class="saved" data-testid="row-saved">"✓ " {move || i18n.t(K::Saved)}</span> }.into_any())
                            } else {
                                None
                            }
                        }}
                    </span>
                </div>
            </div>
            {number_errors}
            <Show when=move || shown(false)>
                <div class="stage-more pe-playbooks" data-testid="playbook-editor">
                    {playbook("playbook_en", K::PlaybookEn, pb_en)}
                    {playbook("playbook_zh", K::PlaybookZh, pb_zh)}
                </div>
            </Show>
            <Show when=move || shown(true)>
                <div class="stage-more" data-testid="requirements-editor">
                    {if kind == StageKind::Lost {
                        view! { <p class="muted">{move || i18n.t(K::ReqLostNone)}</p> }.into_any()
                    } else {
                        view! {
                            <div class="req-groups">
                                {groups.into_iter().map(|(g, label)| {
                                    let items: Vec<RequirementChoice> = ed.choices.with_value(|c| c.iter().filter(|c| c.group == g).cloned().collect());
                                    view! {
                                        <fieldset class="req-group">
                                            <legend>{move || i18n.t(label)}</legend>
                                            {items.into_iter().map(|c| {
                                                let code = c.code.clone();
                                                let code_set = c.code.clone();
                                                view! {
                                                    <label class="check">
                                                        <input
                                                            type="checkbox"
                                                            data-testid="requirement"
                                                            data-code=c.code.clone()
                                                            prop:checked=move || reqs.with(|r| r.contains(&code))
                                                            on:change=move |ev| {
                                                                let on = event_target_checked(&ev);
                                                                reqs.update(|r| {
                                                                    r.retain(|x| *x != code_set);
                                                                    if on {
                                                                        r.push(code_set.clone());
                                                                    }
                                                                });
                                                            }
                                                        />
                                                        <span>{move || if i18n.locale() == Locale::ZhCn { c.label_zh.clone() } else { c.label_en.clone() }}</span>
                                                    </label>
                                                }
                                            }).collect_view()}
                                        </fieldset>
                                    }
                                }).collect_view()}
                            </div>
                        }.into_any()
                    }}
                </div>
            </Show>
        </li>
    }
    .into_any()
}

/// Rows: from; columns: to. Each cell picks the policy; the default is marked in the list
/// and overridden cells are highlighted (with a ◆, never colour alone).
#[component]
fn PolicyMatrix(ed: Ed) -> impl IntoView {
    let i18n = use_i18n();
    let change = move |from: Uuid, to: Uuid, policy: Option<Policy>| {
        let (pid, version) = (ed.pid, ed.pversion.get_untracked());
        spawn_local(async move {
            match set_policy(pid, from, to, policy, version).await {
                Ok(e) => {
                    ed.apply(e);
                    ed.toast.set(Some(Toast::Saved));
                }
                Err(e) => {
                    // Redraw the table so the select shows the policy that still holds.
                    ed.cells.update(|_| {});
                    ed.failed(e);
                }
            }
        });
    };
    view! {
        <section class="panel table-wrap">
            <h2 class="panel-title">{move || i18n.t(K::PoliciesTitle)}</h2>
            <p class="muted pe-lead pe-pad">{move || i18n.t(K::PoliciesLead)}</p>
            <table class="table policy-matrix" data-testid="policy-matrix">
                {move || {
                    let stages = ed.stages.get();
                    let cells = ed.cells.get();
                    let l = i18n.locale();
                    view! {
                        <thead>
                            <tr>
                                <th scope="col">{i18n.t(K::FromTo)}</th>
                                {stages.iter().map(|s| view! { <th scope="col">{name_of(s, l)}</th> }).collect_view()}
                            </tr>
                        </thead>
                        <tbody>
                            {stages.iter().map(|from| {
                                let row_name = name_of(from, l);
                                view! {
                                    <tr>
                                        <th scope="row">{row_name.clone()}</th>
                                        {stages.iter().map(|to| {
                                            let Some(cell) = cells.iter().find(|c| c.from == from.id && c.to == to.id).cloned() else {
                                                return view! { <td class="policy-self" aria-hidden="true">"–"</td> }.into_any();
                                            };
                                            let label = format!("{} → {}", row_name, name_of(to, l));
                                            let (f, t, default) = (cell.from, cell.to, cell.default);
                                            view! {
                                                <td class:policy-override=cell.overridden>
                                                    <select
                                                        class=format!("policy-select policy-{}", cell.policy.as_str())
                                                        data-testid="policy"
                                                        data-from=f.to_string()
                                                        data-to=t.to_string()
                                                        data-overridden=cell.overridden.to_string()
                                                        aria-label=label
                                                        on:change=move |ev| {
                                                            if let Some(p) = Policy::parse(&event_target_value(&ev)) {
                                                                // Picking the default returns the pair to the default table.
                                                                change(f, t, (p != default).then_some(p));
                                                            }
                                                        }
                                                    >
                                                        {[Policy::Allow, Policy::Forbid, Policy::Approval].into_iter().map(|p| {
                                                            let text = if p == default {
                                                                format!("{}{}", i18n.t(policy_key(p)), i18n.t(K::PolicyDefaultMark))
                                                            } else {
                                                                i18n.t(policy_key(p)).to_owned()
                                                            };
                                                            view! { <option value=p.as_str() selected=p == cell.policy>{text}</option> }
                                                        }).collect_view()}
                                                    </select>
                                                    {cell.overridden.then(|| view! {
                                                        <span class="ovr-mark" title=i18n.t(K::OverrideMark)>
                                                            <span aria-hidden="true">"◆"</span>
                                                            <span class="sr-only">{i18n.t(K::OverrideMark)}</span>
                                                        </span>
                                                    })}
                                                </td>
                                            }.into_any()
                                        }).collect_view()}
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    }
                }}
            </table>
        </section>
    }
    .into_any()
}
