//! The gated funnel board: columns with database totals, cards, drag and drop, a "Move to…"
//! menu on every card, and a side panel that explains a blocked move.
use super::stage_name;
use crate::api::board::{load_board, load_column, move_deal};
use crate::components::money::{DateText, Money};
use crate::components::states::{ErrorNotice, Skeleton};
use crate::domain::dto::{weighted_fen, Board, BoardFilter, DealCard, MoveOutcome, StageRef};
use crate::domain::error::AppError;
use crate::domain::money::parse_yuan;
use crate::i18n::{error_message, field_label, requirement_label, use_i18n, K};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq)]
enum Notice {
    Moved,
    Blocked { card: Box<DealCard>, to: StageRef, missing: Vec<String> },
    Pending { approver: Option<String> },
    Forbidden { reason: String },
    Failed(AppError),
}

/// Moves a card between columns in the local copy of the board (the optimistic step).
fn move_card(b: &mut Board, card: &DealCard, to: Uuid) {
    for col in b.columns.iter_mut() {
        if let Some(i) = col.cards.iter().position(|c| c.id == card.id) {
            col.cards.remove(i);
            col.count = col.count.saturating_sub(1);
            col.amount_fen -= card.amount_fen;
            col.weighted_fen = weighted_fen(col.amount_fen, col.stage.win_rate_pct);
        }
    }
    if let Some(col) = b.columns.iter_mut().find(|c| c.stage.id == to) {
        let mut moved = card.clone();
        moved.stage_id = to;
        moved.days_in_stage = 0;
        let at = col.cards.iter().position(|c| c.close_date > moved.close_date).unwrap_or(col.cards.len());
        col.cards.insert(at, moved);
        col.count += 1;
        col.amount_fen += card.amount_fen;
        col.weighted_fen = weighted_fen(col.amount_fen, col.stage.win_rate_pct);
    }
}

fn replace_card(b: &mut Board, card: DealCard) {
    for col in b.columns.iter_mut() {
        for c in col.cards.iter_mut() {
            if c.id == card.id {
                *c = card.clone();
            }
        }
    }
}

fn filter_from_query(q: &leptos_router::params::ParamsMap) -> BoardFilter {
    BoardFilter {
        pipeline: q.get("pipeline").and_then(|s| s.parse().ok()),
        owner: q.get("owner").and_then(|s| s.parse().ok()),
        team: q.get("team").and_then(|s| s.parse().ok()),
        bucket: q.get("close").filter(|b| matches!(b.as_str(), "m3" | "m6" | "m9" | "m12" | "later")),
        min_fen: q.get("min").and_then(|s| parse_yuan(&s)),
        max_fen: q.get("max").and_then(|s| parse_yuan(&s)),
    }
}

#[component]
pub fn BoardPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let filter = Memo::new(move |_| filter_from_query(&query.read()));
    let board = Resource::new(move || filter.get(), load_board);
    // The optimistic copy; `None` shows the server's board as loaded.
    let local: RwSignal<Option<Board>> = RwSignal::new(None);
    let notice: RwSignal<Option<Notice>> = RwSignal::new(None);
    let dragging: RwSignal<Option<DealCard>> = RwSignal::new(None);
    let drop_target: RwSignal<Option<Uuid>> = RwSignal::new(None);
    let creating = RwSignal::new(false);

    Effect::new(move |_| {
        board.track();
        local.set(None);
    });
    // Someone else moved, edited or approved: reload the board (our own optimistic copy
    // is replaced by what the server holds).
    crate::components::live::on_live_change(move || board.refetch());

    // Untracked: effects that react to a result must not re-run when the board changes.
    // `try_`: a click can reach a card of a board that has just been replaced (see MoveMenu).
    let current = move || local.try_get_untracked().flatten().or_else(|| board.try_get_untracked().flatten().and_then(|r| r.ok()));

    let mover = Action::new(move |(card, to, reason, lost): &(DealCard, StageRef, Option<String>, Option<String>)| {
        let (card, to, reason, lost) = (card.clone(), to.clone(), reason.clone(), lost.clone());
        async move {
            let r = move_deal(card.id, to.id, card.version, reason, lost).await;
            (card, to, r)
        }
    });
    let start_move = move |card: DealCard, to: StageRef, reason: Option<String>, lost: Option<String>| {
        // Use the freshest copy of the card (its version may have moved on since render).
        let card = current().and_then(|b| b.columns.iter().flat_map(|c| c.cards.iter()).find(|c| c.id == card.id).cloned()).unwrap_or(card);
        if card.stage_id == to.id {
            return;
        }
        if let Some(mut b) = current() {
            move_card(&mut b, &card, to.id);
            local.set(Some(b));
        }
        notice.set(None);
        mover.dispatch((card, to, reason, lost));
    };
    Effect::new(move |_| {
        let Some((card, to, result)) = mover.value().get() else { return };
        match result {
            Ok(MoveOutcome::Moved { card }) => {
                if let Some(mut b) = current() {
                    replace_card(&mut b, card);
                    local.set(Some(b));
                }
                notice.set(Some(Notice::Moved));
            }
            other => {
                // Spring back: drop the optimistic copy and reload what the server holds.
                local.set(None);
                board.refetch();
                notice.set(Some(match other {
                    Ok(MoveOutcome::Blocked { missing }) => {
                        Notice::Blocked { card: Box::new(card), to, missing: missing.into_iter().map(|m| m.code).collect() }
                    }
                    Ok(MoveOutcome::PendingApproval { approver, .. }) => Notice::Pending { approver },
                    Ok(MoveOutcome::Forbidden { reason }) => Notice::Forbidden { reason },
                    Ok(MoveOutcome::Moved { .. }) => Notice::Moved,
                    Err(e) => Notice::Failed(e),
                }));
            }
        }
    });

    let more = Action::new(move |(stage, offset): &(Uuid, u64)| {
        let (stage, offset, f) = (*stage, *offset, filter.get_untracked());
        async move { (stage, load_column(f, stage, offset).await) }
    });
    Effect::new(move |_| {
        if let Some((stage, Ok(cards))) = more.value().get() {
            if let Some(mut b) = current() {
                if let Some(col) = b.columns.iter_mut().find(|c| c.stage.id == stage) {
                    for c in cards {
                        if !col.cards.iter().any(|x| x.id == c.id) {
                            col.cards.push(c);
                        }
                    }
                }
                local.set(Some(b));
            }
        }
    });

    view! {
        <Title text=move || i18n.t(K::BoardTitle).to_owned()/>
        <div class="page-head">
            <div>
                <h1>{move || i18n.t(K::BoardTitle)}</h1>
                <p class="lead">{move || i18n.t(K::BoardLead)}</p>
            </div>
            <button type="button" class="btn btn-primary" data-testid="new-deal-button" on:click=move |_| creating.update(|c| *c = !*c)>
                "+ " {move || i18n.t(K::NewDeal)}
            </button>
        </div>
        {move || creating.get().then(|| board.get_untracked().and_then(|r| r.ok()).map(|b| view! {
            <crate::pages::new_deal::NewDealPanel
                pipelines=b.pipelines.clone()
                current=b.pipeline.id
                owners=b.owners.clone()
                on_close=Callback::new(move |_| creating.set(false))
            />
        })).flatten()}
        <Transition fallback=|| view! { <Skeleton rows=3/> }>
            {move || {
                board.get().map(|r| match r {
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    Ok(server) => {
                        let b = local.get().unwrap_or(server);
                        let stages: Vec<StageRef> = b.columns.iter().map(|c| c.stage.clone()).collect();
                        let lost_stage = stages.iter().find(|s| s.kind == "lost").cloned();
                        view! {
                            <Filters board=b.clone() filter=filter.get()/>
                            <div class="board" data-testid="board">
                                {b.columns
                                    .into_iter()
                                    .map(|col| {
                                        let st = col.stage.clone();
                                        let st_drop = col.stage.clone();
                                        let sid = col.stage.id;
                                        let kind = col.stage.kind.clone();
                                        let shown = col.cards.len() as u64;
                                        let total = col.count;
                                        let stages = stages.clone();
                                        view! {
                                            <section
                                                class=format!("column column-{kind}")
                                                class:drop-target=move || drop_target.get() == Some(sid)
                                                data-stage=sid.to_string()
                                                data-testid="column"
                                                on:dragover=move |ev| {
                                                    ev.prevent_default();
                                                    drop_target.set(Some(sid));
                                                }
                                                on:dragleave=move |_| drop_target.set(None)
                                                on:drop=move |ev| {
                                                    ev.prevent_default();
                                                    drop_target.set(None);
                                                    if let Some(card) = dragging.get_untracked() {
                                                        dragging.set(None);
                                                        start_move(card, st_drop.clone(), None, None);
                                                    }
                                                }
                                            >
                                                <header class="column-head">
                                                    <h2>{move || stage_name(&st, i18n.locale())}</h2>
                                                    <span class="pill" data-testid="column-rate">{col.stage.win_rate_pct} "%"</span>
                                                    <div class="column-stats">
                                                        <span class="num" data-testid="column-count">{col.count} " " {move || i18n.t(K::StageCount)}</span>
                                                        <span data-testid="column-amount"><Money fen=col.amount_fen/></span>
                                                        <span class="muted" title=move || i18n.t(K::ColWeighted)><Money fen=col.weighted_fen/></span>
                                                    </div>
                                                </header>
                                                <div class="column-body">
                                                    {(col.count == 0).then(|| view! { <p class="column-empty">{move || i18n.t(K::BoardEmpty)}</p> })}
                                                    {col.cards
                                                        .into_iter()
                                                        .map(|c| {
                                                            let stages = stages.clone();
                                                            view! { <Card card=c stages=stages today=b.today dragging=dragging drop_target=drop_target on_move=start_move/> }
                                                        })
                                                        .collect_view()}
                                                    {(shown < total).then(|| view! {
                                                        <button type="button" class="btn btn-block load-more" on:click=move |_| { more.dispatch((sid, shown)); }>
                                                            {move || i18n.t(K::LoadMore)} " (" {total - shown} ")"
                                                        </button>
                                                    })}
                                                </div>
                                            </section>
                                        }
                                    })
                                    .collect_view()}
                            </div>
                            {lost_stage.map(|st| view! { <LostDrop stage=st dragging=dragging drop_target=drop_target on_move=start_move/> })}
                        }
                            .into_any()
                    }
                })
            }}
        </Transition>
        <NoticePanel notice=notice on_move=start_move/>
    }
}

/// The board column (stage id) under a viewport point, for pointer drags.
fn column_at(x: i32, y: i32) -> Option<Uuid> {
    let el = document().element_from_point(x as f32, y as f32)?;
    let col = el.closest("[data-stage]").ok()??;
    col.get_attribute("data-stage")?.parse().ok()
}

#[component]
fn Card(
    card: DealCard,
    stages: Vec<StageRef>,
    today: chrono::NaiveDate,
    dragging: RwSignal<Option<DealCard>>,
    drop_target: RwSignal<Option<Uuid>>,
    on_move: impl Fn(DealCard, StageRef, Option<String>, Option<String>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let card_id = card.id;
    let grip_card = card.clone();
    let grip_stages = StoredValue::new(stages.clone());
    let overdue = card.close_date < today;
    let stuck = card.stuck_days > 0 && card.days_in_stage > i64::from(card.stuck_days);
    let very_stuck = card.stuck_days > 0 && card.days_in_stage > 2 * i64::from(card.stuck_days);
    let drag_card = card.clone();
    let menu_card = card.clone();
    let href = format!("/deals/{}", card.id);
    let options: Vec<StageRef> = stages.into_iter().filter(|s| s.id != card.stage_id).collect();
    let live = crate::components::viewport::use_interactive();
    view! {
        <article
            class="card"
            class:card-pending=card.pending_approval
            draggable=move || if live.get() { "true" } else { "false" }
            data-testid="card"
            data-deal=card.id.to_string()
            on:dragstart=move |ev| {
                if let Some(dt) = ev.data_transfer() {
                    let _ = dt.set_data("text/plain", &drag_card.id.to_string());
                    dt.set_effect_allowed("move");
                }
                dragging.set(Some(drag_card.clone()));
            }
            on:dragend=move |_| dragging.set(None)
            class:card-dragging=move || dragging.with(|d| d.as_ref().map(|c| c.id) == Some(card_id))
        >
            // Touch and pen: HTML5 drag events do not fire on touch screens, so the grip
            // follows the pointer (captured) and drops on the column under the finger.
            <span
                class="card-grip"
                title=move || i18n.t(K::MoveTo)
                data-testid="card-grip"
                on:pointerdown=move |ev: web_sys::PointerEvent| {
                    // The mouse has HTML5 drag and drop on the whole card.
                    if ev.pointer_type() == "mouse" {
                        return;
                    }
                    ev.prevent_default();
                    if let Some(t) = ev.target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok()) {
                        let _ = t.set_pointer_capture(ev.pointer_id());
                    }
                    dragging.set(Some(grip_card.clone()));
                }
                on:pointermove=move |ev: web_sys::PointerEvent| {
                    if dragging.with_untracked(|d| d.is_some()) {
                        drop_target.set(column_at(ev.client_x(), ev.client_y()));
                    }
                }
                on:pointerup=move |ev: web_sys::PointerEvent| {
                    let Some(card) = dragging.get_untracked() else { return };
                    dragging.set(None);
                    drop_target.set(None);
                    let to = column_at(ev.client_x(), ev.client_y()).and_then(|sid| grip_stages.with_value(|s| s.iter().find(|x| x.id == sid).cloned()));
                    if let Some(to) = to {
                        on_move(card, to, None, None);
                    }
                }
                on:pointercancel=move |_| {
                    dragging.set(None);
                    drop_target.set(None);
                }
            >"≡"</span>
            <a class="card-title" href=href title=card.name.clone()>{card.name.clone()}</a>
            <div class="card-account">{card.account.clone()}</div>
            <div class="card-row">
                <span class="card-amount"><Money fen=card.amount_fen currency=card.currency.clone()/></span>
                <span class="card-date" class:overdue=overdue>
                    {overdue.then(|| view! { <span aria-hidden="true">"⚠ "</span> <span class="sr-only">{move || i18n.t(K::Overdue)}</span> })}
                    <DateText date=card.close_date/>
                </span>
            </div>
            <div class="card-foot">
                <span class="avatar avatar-sm" title=card.owner.clone()>{card.owner_initials.clone()}</span>
                <span class="chip" class:chip-amber=stuck && !very_stuck class:chip-red=very_stuck title=move || i18n.t(K::DaysInStage)>
                    {stuck.then_some("▲ ")} {card.days_in_stage} {move || if i18n.locale() == crate::domain::locale::Locale::ZhCn { "天" } else { "d" }}
                </span>
                <span class="chip" class:chip-green=card.key_complete == 6 title=move || i18n.t(K::KeyInfoShort)>
                    "◔ " {card.key_complete} "/6"
                </span>
                {card.pending_approval.then(|| view! { <span class="chip chip-amber" data-testid="pending-badge">"◆ " {move || i18n.t(K::PendingBadge)}</span> })}
                {(card.open_objections > 0).then(|| view! {
                    <span class="chip chip-red" data-testid="objection-badge" title=move || i18n.t(K::ObjectionsOpen)>
                        "? " {card.open_objections}
                    </span>
                })}
                {card.quote_status.map(|q| view! {
                    <span class=format!("q-status q-{}", q.as_str()) data-testid="quote-badge" title=move || i18n.t(K::QuotesTitle)>
                        {move || crate::i18n::quote_status(i18n.locale(), q)}
                    </span>
                })}
            </div>
            <MoveMenu card=menu_card stages=options on_move=on_move/>
        </article>
    }
}

/// The Lost column sits off-screen on most boards: while a card is dragged, a drop zone for it
/// stays in view (the move then asks for the lost reason like any other).
#[component]
fn LostDrop(
    stage: StageRef,
    dragging: RwSignal<Option<DealCard>>,
    drop_target: RwSignal<Option<Uuid>>,
    on_move: impl Fn(DealCard, StageRef, Option<String>, Option<String>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let sid = stage.id;
    let stage = StoredValue::new(stage);
    view! {
        <div
            class="lost-drop"
            class:lost-drop-on=move || dragging.with(|d| d.is_some())
            class:drop-target=move || drop_target.get() == Some(sid)
            data-stage=sid.to_string()
            data-testid="lost-drop"
            aria-hidden="true"
            on:dragover=move |ev| {
                ev.prevent_default();
                drop_target.set(Some(sid));
            }
            on:dragleave=move |_| drop_target.set(None)
            on:drop=move |ev| {
                ev.prevent_default();
                drop_target.set(None);
                if let Some(card) = dragging.get_untracked() {
                    dragging.set(None);
                    on_move(card, stage.get_value(), None, None);
                }
            }
        >
            <strong>{move || stage.with_value(|s| stage_name(s, i18n.locale()))}</strong>
            <span>{move || i18n.t(K::DropToLose)}</span>
        </div>
    }
}

/// The card's "Move to…" menu behind its ⋯ button. Arrow keys only move the focus between
/// stages; Enter (or a click) on one moves the card, Escape closes the menu and moves nothing
/// — a native select fired a move on every arrow key.
#[component]
fn MoveMenu(
    card: DealCard,
    stages: Vec<StageRef>,
    on_move: impl Fn(DealCard, StageRef, Option<String>, Option<String>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    let button: NodeRef<leptos::html::Button> = NodeRef::new();
    let menu: NodeRef<leptos::html::Div> = NodeRef::new();
    let card = StoredValue::new(card);
    let stages = StoredValue::new(stages);
    let items = move || menu.get().and_then(|m| m.query_selector_all("[role=menuitem]").ok());
    let focus_item = move |delta: i32| {
        let Some(list) = items() else { return };
        let n = list.length() as i32;
        if n == 0 {
            return;
        }
        let active = document().active_element();
        let at = (0..n).find(|i| {
            list.item(*i as u32).zip(active.clone()).is_some_and(|(a, b)| a == wasm_bindgen::JsCast::unchecked_into::<web_sys::Node>(b))
        });
        let next = match at {
            Some(i) => (i + delta).rem_euclid(n),
            None if delta < 0 => n - 1,
            None => 0,
        };
        if let Some(el) = list.item(next as u32).and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok()) {
            let _ = el.focus();
        }
    };
    let close = move || {
        open.set(false);
        if let Some(b) = button.get_untracked() {
            let _ = b.focus();
        }
    };
    view! {
        <div class="card-menu-wrap">
            <button
                type="button"
                class="card-menu-btn"
                node_ref=button
                aria-haspopup="menu"
                aria-expanded=move || open.get().to_string()
                aria-label=move || i18n.t(K::MoveTo)
                title=move || i18n.t(K::MoveTo)
                data-testid="card-menu"
                on:click=move |_| {
                    // While the board reloads (a live change) the old cards stay on screen but
                    // their signals are gone; such a click does nothing instead of panicking.
                    open.update(|o| *o = !*o);
                    if open.try_get_untracked() == Some(true) {
                        request_animation_frame(move || focus_item(1));
                    }
                }
            >
                "⋯"
            </button>
            <Show when=move || open.get()>
                <div
                    class="card-menu"
                    role="menu"
                    node_ref=menu
                    data-testid="move-menu"
                    on:keydown=move |ev: web_sys::KeyboardEvent| match ev.key().as_str() {
                        "ArrowDown" => {
                            ev.prevent_default();
                            focus_item(1);
                        }
                        "ArrowUp" => {
                            ev.prevent_default();
                            focus_item(-1);
                        }
                        "Escape" => {
                            ev.prevent_default();
                            close();
                        }
                        _ => {}
                    }
                    on:focusout=move |ev: web_sys::FocusEvent| {
                        // Focus left the menu (Tab, a click elsewhere): close without moving.
                        let inside = ev
                            .related_target()
                            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Node>(t).ok())
                            .zip(menu.try_get_untracked().flatten())
                            .is_some_and(|(t, m)| m.contains(Some(&t)));
                        if !inside {
                            open.set(false);
                        }
                    }
                >
                    <div class="card-menu-head">{move || i18n.t(K::MoveTo)}</div>
                    {stages.get_value()
                        .into_iter()
                        .map(|s| {
                            let to = s.clone();
                            let sid = s.id.to_string();
                            view! {
                                <button
                                    type="button"
                                    role="menuitem"
                                    class="card-menu-item"
                                    data-testid="move-to"
                                    data-to=sid
                                    on:click=move |_| {
                                        open.set(false);
                                        if let Some(card) = card.try_get_value() {
                                            on_move(card, to.clone(), None, None);
                                        }
                                    }
                                >
                                    {move || stage_name(&s, i18n.locale())}
                                </button>
                            }
                        })
                        .collect_view()}
                </div>
            </Show>
        </div>
    }
}

#[component]
fn Filters(board: Board, filter: BoardFilter) -> impl IntoView {
    let i18n = use_i18n();
    let sel = |v: Option<String>, want: &str| v.as_deref() == Some(want);
    let bucket = filter.bucket.clone();
    let buckets = [("m3", K::BucketM3), ("m6", K::BucketM6), ("m9", K::BucketM9), ("m12", K::BucketM12), ("later", K::BucketLater)];
    view! {
        <Form method="GET" action="/board" attr:class="filters" attr:data-testid="filters">
            <label>
                <span>{move || i18n.t(K::Pipeline)}</span>
                <select name="pipeline">
                    {board.pipelines.iter().map(|p| {
                        let selected = p.id == board.pipeline.id;
                        let (en, zh) = (p.name_en.clone(), p.name_zh.clone());
                        view! { <option value=p.id.to_string() selected=selected>{move || if i18n.locale() == crate::domain::locale::Locale::ZhCn { zh.clone() } else { en.clone() }}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label>
                <span>{move || i18n.t(K::FilterOwner)}</span>
                <select name="owner">
                    <option value="">{move || i18n.t(K::FilterAny)}</option>
                    {board.owners.iter().map(|o| view! { <option value=o.id.to_string() selected=filter.owner == Some(o.id)>{o.name.clone()}</option> }).collect_view()}
                </select>
            </label>
            <label>
                <span>{move || i18n.t(K::FilterClose)}</span>
                <select name="close">
                    <option value="">{move || i18n.t(K::FilterAny)}</option>
                    {buckets.into_iter().map(|(v, k)| view! { <option value=v selected=sel(bucket.clone(), v)>{move || i18n.t(k)}</option> }).collect_view()}
                </select>
            </label>
            <label>
                <span>{move || i18n.t(K::MinAmount)}</span>
                <input type="text" inputmode="decimal" name="min" size="8" value=filter.min_fen.map(|f| (f / 100).to_string()).unwrap_or_default()/>
            </label>
            <label>
                <span>{move || i18n.t(K::MaxAmount)}</span>
                <input type="text" inputmode="decimal" name="max" size="8" value=filter.max_fen.map(|f| (f / 100).to_string()).unwrap_or_default()/>
            </label>
            <button type="submit" class="btn">{move || i18n.t(K::Apply)}</button>
            <a class="btn btn-ghost-dark" href="/board">{move || i18n.t(K::ClearFilters)}</a>
        </Form>
    }
}

#[component]
fn NoticePanel(
    notice: RwSignal<Option<Notice>>,
    on_move: impl Fn(DealCard, StageRef, Option<String>, Option<String>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let reason = RwSignal::new(String::new());
    view! {
        {move || notice.get().map(|n| match n {
            Notice::Moved => view! {
                <div class="toast toast-ok" role="status" data-testid="moved-notice">{move || i18n.t(K::Moved)}</div>
            }.into_any(),
            Notice::Pending { approver } => view! {
                <div class="toast toast-info" role="status" data-testid="pending-notice">
                    "◆ " {move || i18n.t(K::SentForApproval)} " " {approver.clone().unwrap_or_default()}
                    <button type="button" class="toast-x" aria-label=move || i18n.t(K::Dismiss) on:click=move |_| notice.set(None)>"×"</button>
                </div>
            }.into_any(),
            Notice::Forbidden { reason: r } => view! {
                <div class="toast toast-error" role="alert">
                    {move || if r == "read_only_role" { i18n.t(K::ReadOnlyMove) } else { i18n.t(K::ForbiddenMove) }}
                    <button type="button" class="toast-x" aria-label=move || i18n.t(K::Dismiss) on:click=move |_| notice.set(None)>"×"</button>
                </div>
            }.into_any(),
            Notice::Failed(e) => view! {
                <div class="toast toast-error" role="alert" data-testid="error-notice">
                    {move || error_message(i18n.locale(), &e)}
                    <button type="button" class="toast-x" aria-label=move || i18n.t(K::Dismiss) on:click=move |_| notice.set(None)>"×"</button>
                </div>
            }.into_any(),
            Notice::Blocked { card, to, missing } => {
                let needs_reason = missing.iter().any(|m| m == "reason" || m == "lost_reason");
                let lost = missing.iter().any(|m| m == "lost_reason");
                let deal_href = format!("/deals/{}", card.id);
                let to_name = to.clone();
                let retry_card: DealCard = (*card).clone();
                let retry_to = to.clone();
                view! {
                    <aside class="side-panel" role="dialog" aria-labelledby="blocked-title" data-testid="blocked-panel">
                        <div class="side-panel-head">
                            <h2 id="blocked-title">"⚠ " {move || i18n.t(K::BlockedTitle)}</h2>
                            <button type="button" class="toast-x" aria-label=move || i18n.t(K::Dismiss) on:click=move |_| notice.set(None)>"×"</button>
                        </div>
                        <p class="side-panel-deal"><strong>{card.name.clone()}</strong> " → " {move || stage_name(&to_name, i18n.locale())}</p>
                        <p>{move || i18n.t(K::BlockedLead)}</p>
                        <ul class="missing-list">
                            {missing.iter().map(|m| {
                                let code = m.strip_prefix("key_info.").unwrap_or(m).to_owned();
                                let href = format!("{deal_href}#field-{code}");
                                let label_code = code.clone();
                                let is_field = m.starts_with("key_info.");
                                let quote_href = if m.starts_with("quote.") {
                                    Some(format!("{deal_href}?tab=quotes"))
                                } else if m.starts_with("objection.") {
                                    Some(format!("{deal_href}?tab=objections"))
                                } else if m.starts_with("checklist.") {
                                    Some(format!("{deal_href}?tab=checklists"))
                                } else {
                                    None
                                };
                                view! {
                                    <li data-missing=m.clone()>
                                        {if is_field {
                                            view! { <a href=href>{move || field_label(i18n.locale(), &label_code)}</a> }.into_any()
                                        } else if let Some(q) = quote_href {
                                            // The deal's quotes panel: where a quote is made, submitted and sent.
                                            let whole = m.clone();
                                            view! { <a href=q data-testid="missing-quote-link">{move || requirement_label(i18n.locale(), &whole)}</a> }.into_any()
                                        } else {
                                            // Committee, map and checklist requirements an admin may now set, and the reasons.
                                            let whole = m.clone();
                                            view! { <span>{move || requirement_label(i18n.locale(), &whole)}</span> }.into_any()
                                        }}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        {needs_reason.then(|| view! {
                            <div class="field">
                                <label for="move-reason">{move || if lost { i18n.t(K::LostReasonLabel) } else { i18n.t(K::ReasonLabel) }}</label>
                                <input id="move-reason" type="text" prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))/>
                                <button type="button" class="btn btn-primary" on:click=move |_| {
                                    let r = reason.get_untracked();
                                    if r.trim().is_empty() { return; }
                                    reason.set(String::new());
                                    if lost {
                                        on_move(retry_card.clone(), retry_to.clone(), None, Some(r));
                                    } else {
                                        on_move(retry_card.clone(), retry_to.clone(), Some(r), None);
                                    }
                                }>{move || i18n.t(K::RetryWithReason)}</button>
                            </div>
                        })}
                        <a class="btn" href=format!("/deals/{}", card.id)>{move || i18n.t(K::OpenDeal)}</a>
                    </aside>
                }.into_any()
            }
        })}
    }
}
