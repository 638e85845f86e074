//! The buying-committee map on the deal page: the server lays the tree out (depth, column in
//! half-slots); we place cards absolutely and draw the reporting lines in SVG underneath.
//! Every edit happens on the map itself and reloads it from the server's answer.
use crate::api::room::{add_map_person, create_map_person, load_map, remove_map_person, set_reports_to, update_map_person};
use crate::components::date_field::DateField;
use crate::components::live::{last_live_event, on_live_change};
use crate::components::money::DateText;
use crate::components::states::{ErrorNotice, Skeleton};
use crate::domain::committee::{Attitude, ContactRole, STALE_DAYS};
use crate::domain::dto::{DealMap, MapPerson, MapPersonEdit, NewContact};
use crate::domain::error::AppError;
use crate::domain::locale::Locale;
use crate::i18n::{error_message, use_i18n, K};
use chrono::NaiveDate;
use leptos::prelude::*;
use uuid::Uuid;

/// Card width and the horizontal half-slot (a full slot leaves a 28 px gutter).
const NODE_W: u32 = 212;
const HALF: u32 = 120;
/// Card height (fixed so connectors meet the card edges) and the row pitch.
const NODE_H: u32 = 168;
const ROW: u32 = 228;

/// Today in the reader's time zone (for the 30-day last-contact flag).
fn today() -> NaiveDate {
    crate::components::clock::now_utc().with_timezone(&crate::components::clock::local_offset()).date_naive()
}

fn attitude_icon(code: &str) -> &'static str {
    match code {
        "supporter" => "✓",
        "opponent" => "✕",
        _ => "◆",
    }
}

fn attitude_label(l: Locale, code: &str) -> &'static str {
    Attitude::parse(code).unwrap_or(Attitude::Neutral).label(l)
}

fn role_label(l: Locale, code: Option<&str>) -> Option<&'static str> {
    code.and_then(ContactRole::parse).map(|r| r.label(l))
}

fn clean(v: String) -> Option<String> {
    let t = v.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

/// One change to the map; each answers with the whole new map.
#[derive(Clone)]
enum Op {
    ReportsTo { contact: Uuid, to: Option<Uuid>, version: i32 },
    Edit(MapPersonEdit),
    Add(Uuid),
    Create(NewContact),
    Remove(Uuid),
}

async fn run(deal: Uuid, op: Op) -> Result<DealMap, AppError> {
    match op {
        Op::ReportsTo { contact, to, version } => set_reports_to(deal, contact, to, version).await,
        Op::Edit(e) => update_map_person(deal, e).await,
        Op::Add(c) => add_map_person(deal, c, None).await,
        Op::Create(c) => create_map_person(deal, c, None).await,
        Op::Remove(c) => remove_map_person(deal, c).await,
    }
}

#[derive(Clone, Copy)]
struct MapCtx {
    act: Action<Op, Result<DealMap, AppError>>,
    selected: RwSignal<Option<Uuid>>,
    dragging: RwSignal<Option<Uuid>>,
    drop_on: RwSignal<Option<Uuid>>,
}

#[component]
pub fn CommitteeMap(id: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let map = Resource::new(|| (), move |_| load_map(id));
    let act = Action::new(move |op: &Op| run(id, op.clone()));
    let ctx = MapCtx { act, selected: RwSignal::new(None), dragging: RwSignal::new(None), drop_on: RwSignal::new(None) };
    let message: RwSignal<Option<Result<(), AppError>>> = RwSignal::new(None);
    Effect::new(move |_| {
        if let Some(r) = act.value().get() {
            match r {
                Ok(_) => message.set(Some(Ok(()))),
                // A stale version: the server's map is newer, so show it (the message says so).
                Err(e) => message.set(Some(Err(e))),
            }
            map.refetch();
        }
    });
    on_live_change(move || {
        if last_live_event().is_some_and(|e| e.deal == Some(id)) && !act.pending().get_untracked() {
            map.refetch();
        }
    });
    view! {
        <section class="panel committee" data-testid="committee-map">
            <div class="committee-head">
                <div>
                    <h2 class="panel-title">{move || i18n.t(K::MapTitle)}</h2>
                    <p class="lead">{move || i18n.t(K::MapLead)}</p>
                </div>
                <Legend/>
            </div>
            {move || message.get().map(|m| match m {
                Ok(()) => view! { <p class="saved" role="status" data-testid="map-saved">"✓ " {move || i18n.t(K::MapUpdated)}</p> }.into_any(),
                Err(e) => view! { <p class="field-error map-error" role="alert" data-testid="map-error">"⚠ " {move || error_message(i18n.locale(), &e)}</p> }.into_any(),
            })}
            <Transition fallback=|| view! { <Skeleton rows=6/> }>
                {move || map.get().map(|r| match r {
                    Err(e) => view! { <ErrorNotice error=e panel=true/> }.into_any(),
                    Ok(m) => view! { <MapBody m=m ctx=ctx/> }.into_any(),
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Legend() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="map-legend" aria-label=move || i18n.t(K::MapLegend)>
            {Attitude::ALL.into_iter().map(|a| view! {
                <span class=format!("att att-{}", a.code())>{attitude_icon(a.code())} " " {move || a.label(i18n.locale())}</span>
            }).collect_view()}
            <span class="legend-item" title=move || i18n.t(K::MapLegendDots)>
                <Dots n=3/> " " {move || i18n.t(K::MapLegendDots)}
            </span>
            <span class="legend-item stale">{move || i18n.t(K::MapLegendStale)}</span>
        </div>
    }
}

#[component]
fn Dots(n: u8) -> impl IntoView {
    view! {
        <span class="rel-dots" aria-label=format!("{n}/5")>
            {(1..=5u8).map(|i| view! { <span class="rel-dot" class:on={i <= n}></span> }).collect_view()}
        </span>
    }
}

#[component]
fn MapBody(m: DealMap, ctx: MapCtx) -> impl IntoView {
    let i18n = use_i18n();
    let today = today();
    let people = m.people.clone();
    let width = people.iter().map(|p| p.column * HALF + NODE_W).max().unwrap_or(NODE_W);
    let height = people.iter().map(|p| p.depth * ROW + NODE_H).max().unwrap_or(NODE_H);
    let pos = |p: &MapPerson| (p.column * HALF, p.depth * ROW);
    // Elbow connectors: down from the boss's bottom edge, across, down to the report's top.
    let lines: Vec<String> = people
        .iter()
        .filter_map(|p| {
            let boss = people.iter().find(|b| Some(b.contact_id) == p.reports_to)?;
            let (bx, by) = pos(boss);
            let (cx, cy) = pos(p);
            let (x1, y1, x2, y2) = (bx + NODE_W / 2, by + NODE_H, cx + NODE_W / 2, cy);
            let mid = y1 + (ROW - NODE_H) / 2;
            Some(format!("M{x1} {y1} V{mid} H{x2} V{y2}"))
        })
        .collect();
    let warned: Vec<Uuid> = m.warnings.iter().filter_map(|w| w.contact_id).collect();
    let names: Vec<(Uuid, String)> = people.iter().map(|p| (p.contact_id, p.name.clone())).collect();
    let versions = StoredValue::new(people.iter().map(|p| (p.contact_id, p.version)).collect::<Vec<_>>());
    let version_of = move |c: Uuid| versions.with_value(|v| v.iter().find(|(id, _)| *id == c).map(|(_, v)| *v)).unwrap_or(0);
    let warnings = m.warnings.clone();
    let selected_person = {
        let people = people.clone();
        move || ctx.selected.get().and_then(|s| people.iter().find(|p| p.contact_id == s).cloned())
    };
    let empty = people.is_empty();
    let candidates = m.candidates.clone();
    // The cards go into the page in outline order (each boss, then their people, left to
    // right): the tab order follows the tree, and a phone shows the map as an indented list.
    let nodes = outline_order(people)
        .into_iter()
        .map(|p| {
            let flagged = warned.contains(&p.contact_id);
            let stale = p.last_contact.is_none_or(|d| (today - d).num_days() >= STALE_DAYS);
            view! { <MapNode p=p ctx=ctx names=names.clone() flagged=flagged stale=stale version_of=version_of/> }
        })
        .collect_view();
    view! {
        {(!warnings.is_empty()).then(|| view! {
            <div class="map-warnings" role="status">
                <strong class="map-warnings-title">{move || i18n.t(K::MapWarningsTitle)}</strong>
                <ul>
                    {warnings.into_iter().map(|w| {
                        let (en, zh) = (w.message_en.clone(), w.message_zh.clone());
                        view! {
                            <li
                                data-testid="map-warning"
                                data-code=w.code.clone()
                                data-contact=w.contact_id.map(|c| c.to_string())
                                class:map-warning-link=w.contact_id.is_some()
                                on:click=move |_| if let Some(c) = w.contact_id { ctx.selected.set(Some(c)) }
                            >
                                <span class="warn-icon" aria-hidden="true">"⚠"</span>
                                {move || if i18n.locale() == Locale::ZhCn { zh.clone() } else { en.clone() }}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </div>
        })}
        <div class="map-layout">
            <div class="map-scroll">
                {if empty {
                    view! { <p class="empty-state map-empty">{move || i18n.t(K::MapEmpty)}</p> }.into_any()
                } else {
                    view! {
                        <div
                            class="map-canvas"
                            class:map-drop-root=move || ctx.dragging.get().is_some() && ctx.drop_on.get().is_none()
                            style=format!("width:{width}px;height:{height}px")
                            on:dragover=move |ev| {
                                if ctx.dragging.get_untracked().is_some() {
                                    ev.prevent_default();
                                    ctx.drop_on.set(None);
                                }
                            }
                            on:drop=move |ev| {
                                // Dropped on the empty canvas: the person becomes top level.
                                ev.prevent_default();
                                if let Some(c) = ctx.dragging.get_untracked() {
                                    ctx.dragging.set(None);
                                    ctx.act.dispatch(Op::ReportsTo { contact: c, to: None, version: version_of(c) });
                                }
                            }
                        >
                            <svg class="map-lines" width=width height=height viewBox=format!("0 0 {width} {height}") aria-hidden="true">
                                {lines.into_iter().map(|d| view! { <path d=d/> }).collect_view()}
                            </svg>
                            {nodes}
                        </div>
                    }.into_any()
                }}
            </div>
            <aside class="map-side">
                {move || selected_person().map(|p| view! { <NodeEditor p=p ctx=ctx/> })}
                <AddPeople candidates=candidates ctx=ctx/>
            </aside>
        </div>
    }
}

/// Depth first, siblings left to right; a person whose boss is not on the map is a root.
fn outline_order(mut people: Vec<MapPerson>) -> Vec<MapPerson> {
    people.sort_by_key(|p| (p.depth, p.column));
    let ids: Vec<Uuid> = people.iter().map(|p| p.contact_id).collect();
    let is_root = |p: &MapPerson| p.reports_to.is_none_or(|b| !ids.contains(&b) || b == p.contact_id);
    let mut out: Vec<MapPerson> = Vec::with_capacity(people.len());
    let mut stack: Vec<MapPerson> = Vec::new();
    let mut rest: Vec<MapPerson> = Vec::new();
    for p in people {
        if is_root(&p) {
            rest.push(p)
        } else {
            stack.push(p)
        }
    }
    // `rest` holds the roots in order; `stack` everyone else, sorted by column within depth.
    let mut todo: Vec<MapPerson> = rest.into_iter().rev().collect();
    while let Some(p) = todo.pop() {
        let me = p.contact_id;
        out.push(p);
        let (mine, others): (Vec<MapPerson>, Vec<MapPerson>) = stack.into_iter().partition(|c| c.reports_to == Some(me));
        stack = others;
        todo.extend(mine.into_iter().rev());
    }
    // A loop the layout cut is still shown, after the rest.
    out.extend(stack);
    out
}

/// Where a pointer drag ends: on a card (`Some(Some(id))`), on the empty canvas (`Some(None)`,
/// top level) or outside the map (`None`, no change).
fn drop_at(x: i32, y: i32) -> Option<Option<Uuid>> {
    let el = document().element_from_point(x as f32, y as f32)?;
    if let Some(node) = el.closest("[data-contact].map-node").ok().flatten() {
        return Some(node.get_attribute("data-contact").and_then(|c| c.parse().ok()));
    }
    el.closest(".map-canvas").ok().flatten().map(|_| None)
}

#[component]
fn MapNode(
    p: MapPerson,
    ctx: MapCtx,
    names: Vec<(Uuid, String)>,
    flagged: bool,
    stale: bool,
    version_of: impl Fn(Uuid) -> i32 + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let me = p.contact_id;
    let (x, y) = (p.column * HALF, p.depth * ROW);
    let sub = [p.title.clone(), p.department.clone()].into_iter().flatten().collect::<Vec<_>>().join(" · ");
    let role = p.role.clone();
    let att = p.attitude.clone();
    let att_class = format!("att att-{}", p.attitude);
    let reports_to = p.reports_to;
    let pct = p.influence_pct.clamp(0, 100);
    view! {
        <div
            class=format!("map-node node-{}", p.attitude)
            class:selected=move || ctx.selected.get() == Some(me)
            class:drop-target=move || ctx.drop_on.get() == Some(me)
            class:dragging=move || ctx.dragging.get() == Some(me)
            class:flagged=flagged
            style=format!("left:{x}px;top:{y}px;width:{NODE_W}px;height:{NODE_H}px;--depth:{}", p.depth.min(8))
            data-testid="map-node"
            data-contact=me.to_string()
            draggable="true"
            tabindex="0"
            role="button"
            aria-pressed=move || (ctx.selected.get() == Some(me)).to_string()
            on:click=move |_| ctx.selected.update(|s| *s = if *s == Some(me) { None } else { Some(me) })
            on:keydown=move |ev| {
                if ev.key() == "Enter" {
                    ctx.selected.set(Some(me));
                }
            }
            on:dragstart=move |ev| {
                if let Some(dt) = ev.data_transfer() {
                    let _ = dt.set_data("text/plain", &me.to_string());
                    dt.set_effect_allowed("move");
                }
                ctx.dragging.set(Some(me));
            }
            on:dragend=move |_| {
                ctx.dragging.set(None);
                ctx.drop_on.set(None);
            }
            on:dragover=move |ev| {
                if ctx.dragging.get_untracked().is_some_and(|d| d != me) {
                    ev.prevent_default();
                    ev.stop_propagation();
                    ctx.drop_on.set(Some(me));
                }
            }
            on:dragleave=move |_| ctx.drop_on.set(None)
            on:drop=move |ev| {
                ev.prevent_default();
                ev.stop_propagation();
                ctx.drop_on.set(None);
                if let Some(c) = ctx.dragging.get_untracked().filter(|c| *c != me) {
                    ctx.dragging.set(None);
                    ctx.act.dispatch(Op::ReportsTo { contact: c, to: Some(me), version: version_of(c) });
                }
            }
        >
            <div class="mn-head">
                // Touch and pen: HTML5 drag events do not fire on touch screens, so the grip
                // follows the captured pointer and drops on the card under the finger.
                <span
                    class="map-grip"
                    aria-hidden="true"
                    data-testid="map-grip"
                    on:click=|ev| ev.stop_propagation()
                    on:pointerdown=move |ev: web_sys::PointerEvent| {
                        if ev.pointer_type() == "mouse" {
                            return;
                        }
                        ev.prevent_default();
                        if let Some(t) = ev.target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok()) {
                            let _ = t.set_pointer_capture(ev.pointer_id());
                        }
                        ctx.dragging.set(Some(me));
                    }
                    on:pointermove=move |ev: web_sys::PointerEvent| {
                        if ctx.dragging.with_untracked(|d| *d == Some(me)) {
                            ctx.drop_on.set(drop_at(ev.client_x(), ev.client_y()).flatten().filter(|t| *t != me));
                        }
                    }
                    on:pointerup=move |ev: web_sys::PointerEvent| {
                        if ctx.dragging.get_untracked() != Some(me) {
                            return;
                        }
                        ctx.dragging.set(None);
                        ctx.drop_on.set(None);
                        match drop_at(ev.client_x(), ev.client_y()) {
                            Some(Some(t)) if t == me => {}
                            Some(to) => {
                                ctx.act.dispatch(Op::ReportsTo { contact: me, to, version: version_of(me) });
                            }
                            None => {}
                        }
                    }
                    on:pointercancel=move |_| {
                        ctx.dragging.set(None);
                        ctx.drop_on.set(None);
                    }
                >
                    <svg viewBox="0 0 8 14" width="8" height="14"><circle cx="2" cy="2" r="1.3"/><circle cx="6" cy="2" r="1.3"/><circle cx="2" cy="7" r="1.3"/><circle cx="6" cy="7" r="1.3"/><circle cx="2" cy="12" r="1.3"/><circle cx="6" cy="12" r="1.3"/></svg>
                </span>
                <span class="mn-name">{p.name.clone()}</span>
                {flagged.then(|| view! { <span class="mn-flag" title=move || i18n.t(K::MapWarningsTitle)>"⚠"</span> })}
                <span class="mn-pct num">{p.influence_pct} "%"</span>
            </div>
            <div class="mn-sub" title=sub.clone()>{sub.clone()}</div>
            <div class="mn-bar" aria-hidden="true"><span style=format!("width:{pct}%")></span></div>
            <div class="mn-badges">
                {
                    let role = role.clone();
                    move || match role_label(i18n.locale(), role.as_deref()) {
                        Some(r) => view! { <span class="chip role-chip">{r}</span> }.into_any(),
                        None => view! { <span class="chip chip-muted">{i18n.t(K::MapNoRole)}</span> }.into_any(),
                    }
                }
                <span class=att_class>{attitude_icon(&att)} " " {
                    let att = att.clone();
                    move || attitude_label(i18n.locale(), &att)
                }</span>
            </div>
            <div class="mn-foot">
                <Dots n=p.relationship/>
                <span class="mn-contact" class:stale=stale>
                    {match p.last_contact {
                        Some(d) => view! { <DateText date=d/> }.into_any(),
                        None => view! { <span>{move || i18n.t(K::MapNever)}</span> }.into_any(),
                    }}
                </span>
            </div>
            <label class="mn-reports" on:click=|ev| ev.stop_propagation()>
                <span class="sr-only">{move || i18n.t(K::MapReportsTo)}</span>
                <span aria-hidden="true">"▲ "</span>
                <select
                    data-testid="reports-to-select"
                    aria-label=move || i18n.t(K::MapReportsTo)
                    on:click=|ev| ev.stop_propagation()
                    on:change=move |ev| {
                        let to = event_target_value(&ev).parse::<Uuid>().ok();
                        ctx.act.dispatch(Op::ReportsTo { contact: me, to, version: version_of(me) });
                    }
                >
                    <option value="" selected=reports_to.is_none()>{move || i18n.t(K::MapTopLevel)}</option>
                    {names.into_iter().filter(|(c, _)| *c != me).map(|(c, n)| view! {
                        <option value=c.to_string() selected=reports_to == Some(c)>{n}</option>
                    }).collect_view()}
                </select>
            </label>
        </div>
    }
}

/// Inline edit of the selected person; the version read travels with the save.
#[component]
fn NodeEditor(p: MapPerson, ctx: MapCtx) -> impl IntoView {
    let i18n = use_i18n();
    let role = RwSignal::new(p.role.clone().unwrap_or_default());
    let weight = RwSignal::new(p.influence_pct.to_string());
    let attitude = RwSignal::new(p.attitude.clone());
    let rel = RwSignal::new(p.relationship);
    let last = RwSignal::new(p.last_contact.map(|d| d.to_string()).unwrap_or_default());
    let parsed_weight = move || weight.get().trim().parse::<i32>().ok().filter(|w| (0..=100).contains(w));
    let (contact, version, name) = (p.contact_id, p.version, p.name.clone());
    view! {
        <form
            class="map-edit"
            data-testid="node-edit"
            data-contact=contact.to_string()
            on:submit=move |ev| {
                ev.prevent_default();
                if let Some(w) = parsed_weight() {
                    ctx.act.dispatch(Op::Edit(MapPersonEdit {
                        contact_id: contact,
                        version,
                        role: clean(role.get_untracked()),
                        influence_pct: w,
                        attitude: attitude.get_untracked(),
                        relationship: rel.get_untracked(),
                        last_contact: last.get_untracked().parse::<NaiveDate>().ok(),
                    }));
                }
            }
        >
            <h3>{move || i18n.t(K::MapEditTitle)} " · " {name.clone()}</h3>
            <div class="field">
                <label for="node-role">{move || i18n.t(K::MapRole)}</label>
                <select id="node-role" data-testid="node-role" on:change=move |ev| role.set(event_target_value(&ev))>
                    <option value="" selected=move || role.get().is_empty()>{move || i18n.t(K::MapNoRole)}</option>
                    {ContactRole::ALL.into_iter().map(|r| view! {
                        <option value=r.code() selected=move || role.get() == r.code()>{move || r.label(i18n.locale())}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field" class:field-invalid=move || parsed_weight().is_none()>
                <label for="node-weight">{move || i18n.t(K::MapWeight)}</label>
                <input id="node-weight" data-testid="node-weight" type="number" min="0" max="100" step="1"
                    prop:value=move || weight.get() on:input=move |ev| weight.set(event_target_value(&ev))/>
                {move || parsed_weight().is_none().then(|| view! { <span class="field-error">"0–100"</span> })}
            </div>
            <fieldset class="field att-choice">
                <legend>{move || i18n.t(K::MapAttitude)}</legend>
                {Attitude::ALL.into_iter().map(|a| view! {
                    <label class=format!("att att-{}", a.code())>
                        <input type="radio" name="node-attitude" data-testid=format!("node-attitude-{}", a.code()) value=a.code()
                            prop:checked=move || attitude.get() == a.code()
                            on:change=move |_| attitude.set(a.code().to_owned())/>
                        {attitude_icon(a.code())} " " {move || a.label(i18n.locale())}
                    </label>
                }).collect_view()}
            </fieldset>
            <div class="field">
                <label for="node-relationship">{move || i18n.t(K::MapRelationship)}</label>
                <select id="node-relationship" data-testid="node-relationship"
                    on:change=move |ev| rel.set(event_target_value(&ev).parse().unwrap_or(3))>
                    {(1..=5u8).map(|i| view! { <option value=i.to_string() selected=move || rel.get() == i>{i}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="node-last-contact">{move || i18n.t(K::MapLastContact)}</label>
                <DateField id="node-last-contact" testid="node-last-contact" value=last on_input=Callback::new(move |v| last.set(v))/>
            </div>
            <div class="form-actions">
                <button type="button" class="btn btn-sm btn-danger-ghost" data-testid="node-remove"
                    disabled=move || ctx.act.pending().get()
                    on:click=move |_| {
                        ctx.selected.set(None);
                        ctx.act.dispatch(Op::Remove(contact));
                    }>{move || i18n.t(K::MapRemove)}</button>
                <button type="button" class="btn btn-sm" on:click=move |_| ctx.selected.set(None)>{move || i18n.t(K::Cancel)}</button>
                <button type="submit" class="btn btn-primary btn-sm" data-testid="node-save"
                    disabled=move || parsed_weight().is_none() || ctx.act.pending().get()>{move || i18n.t(K::Save)}</button>
            </div>
        </form>
    }
}

/// Put an existing account contact on the map, or create a new one there.
#[component]
fn AddPeople(candidates: Vec<crate::domain::dto::ContactRow>, ctx: MapCtx) -> impl IntoView {
    let i18n = use_i18n();
    let pick = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let title = RwSignal::new(String::new());
    let dept = RwSignal::new(String::new());
    let has_candidates = !candidates.is_empty();
    view! {
        {has_candidates.then(|| view! {
            <form class="map-add" on:submit=move |ev| {
                ev.prevent_default();
                if let Ok(c) = pick.get_untracked().parse::<Uuid>() {
                    pick.set(String::new());
                    ctx.act.dispatch(Op::Add(c));
                }
            }>
                <label for="map-add-select">{move || i18n.t(K::MapAddContact)}</label>
                <div class="inline-row">
                    <select id="map-add-select" data-testid="map-add-select" prop:value=move || pick.get() on:change=move |ev| pick.set(event_target_value(&ev))>
                        <option value="">{move || i18n.t(K::MapChooseContact)}</option>
                        {candidates.into_iter().map(|c| {
                            let sub = [c.title.clone(), c.department.clone()].into_iter().flatten().collect::<Vec<_>>().join(" · ");
                            let text = if sub.is_empty() { c.name.clone() } else { format!("{} — {sub}", c.name) };
                            view! { <option value=c.id.to_string()>{text}</option> }
                        }).collect_view()}
                    </select>
                    <button type="submit" class="btn btn-sm" data-testid="map-add" disabled=move || pick.get().is_empty() || ctx.act.pending().get()>
                        {move || i18n.t(K::MapAdd)}
                    </button>
                </div>
            </form>
        })}
        <form class="map-create" data-testid="map-create-form" on:submit=move |ev| {
            ev.prevent_default();
            if let Some(n) = clean(name.get_untracked()) {
                ctx.act.dispatch(Op::Create(NewContact {
                    name: n,
                    title: clean(title.get_untracked()),
                    department: clean(dept.get_untracked()),
                    ..Default::default()
                }));
                name.set(String::new());
                title.set(String::new());
                dept.set(String::new());
            }
        }>
            <h3>{move || i18n.t(K::MapCreateContact)}</h3>
            <div class="field">
                <label for="map-new-name">{move || i18n.t(K::MapPersonName)}</label>
                <input id="map-new-name" data-testid="map-new-name" type="text" maxlength="200" required
                    prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
            </div>
            <div class="field">
                <label for="map-new-title">{move || i18n.t(K::MapPersonTitle)}</label>
                <input id="map-new-title" data-testid="map-new-title" type="text" maxlength="200"
                    prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev))/>
            </div>
            <div class="field">
                <label for="map-new-department">{move || i18n.t(K::MapDepartment)}</label>
                <input id="map-new-department" data-testid="map-new-department" type="text" maxlength="200"
                    prop:value=move || dept.get() on:input=move |ev| dept.set(event_target_value(&ev))/>
            </div>
            <div class="form-actions">
                <button type="submit" class="btn btn-primary btn-sm" data-testid="map-create"
                    disabled=move || name.get().trim().is_empty() || ctx.act.pending().get()>{move || i18n.t(K::MapAdd)}</button>
            </div>
        </form>
    }
}
