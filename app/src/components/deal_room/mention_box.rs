//! The comment box's "@": the people a comment on this deal can notify, narrowed as one types
//! and chosen with the arrows and Enter or Tab (or a click; Escape closes the list), and a
//! warning under the box, before posting, for a mention that names no one.
use crate::api::room::mention_candidates;
use crate::domain::dto::{initials, MentionCandidate};
use crate::domain::mention;
use crate::i18n::{role_name, use_i18n, K};
use leptos::html::Textarea;
use leptos::prelude::*;
use uuid::Uuid;

const SHOWN: usize = 6;

/// A UTF-16 offset (what the browser's selection reports) as a byte index into `text`.
fn byte_index(text: &str, utf16: usize) -> usize {
    let mut units = 0;
    for (i, c) in text.char_indices() {
        if units >= utf16 {
            return i;
        }
        units += c.len_utf16();
    }
    text.len()
}

#[component]
pub fn MentionBox(deal: Uuid, body: RwSignal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let area = NodeRef::<Textarea>::new();
    // Asked for once, when the first "@" appears.
    let load = Action::new(move |_: &()| mention_candidates(deal));
    let people = Memo::new(move |_| load.value().get().and_then(Result::ok));
    let asked = StoredValue::new(false);
    let ask = move || {
        if !asked.get_value() {
            asked.set_value(true);
            load.dispatch(());
        }
    };
    // (byte index of the "@", byte index of the caret) of the mention being typed.
    let typing = RwSignal::new(None::<(usize, usize)>);
    let active = RwSignal::new(0usize);
    let refresh = move || {
        let Some(el) = area.get_untracked() else { return };
        let text = el.value();
        if text.contains('@') {
            ask();
        }
        let caret = byte_index(&text, el.selection_start().ok().flatten().unwrap_or(0) as usize);
        let now = text.get(..caret).and_then(mention::typing_at).map(|(at, _)| (at, caret));
        if now.map(|n| n.0) != typing.get_untracked().map(|t| t.0) {
            active.set(0);
        }
        typing.set(now);
    };
    let keys = |ps: &[MentionCandidate]| ps.iter().map(|p| (p.handle.clone(), p.name.clone())).collect::<Vec<_>>();
    let matches = Memo::new(move |_| {
        let (Some((at, caret)), Some(ps)) = (typing.get(), people.get()) else { return Vec::new() };
        let b = body.get();
        let partial = b.get(at + 1..caret).unwrap_or_default();
        let owned = keys(&ps);
        let refs: Vec<(&str, &str)> = owned.iter().map(|(h, n)| (h.as_str(), n.as_str())).collect();
        mention::suggest(partial, &refs, SHOWN).into_iter().filter_map(|i| ps.get(i).cloned()).collect::<Vec<_>>()
    });
    let accept = move |c: MentionCandidate| {
        let Some((at, caret)) = typing.get_untracked() else { return };
        let written = people.with_untracked(|ps| {
            let owned = ps.as_deref().map(keys).unwrap_or_default();
            let refs: Vec<(&str, &str)> = owned.iter().map(|(h, n)| (h.as_str(), n.as_str())).collect();
            mention::written(&c.handle, &c.name, &refs)
        });
        let (text, new_caret) = mention::complete(&body.get_untracked(), at, caret, &written);
        typing.set(None);
        body.set(text.clone());
        if let Some(el) = area.get_untracked() {
            el.set_value(&text);
            let pos = text.get(..new_caret).unwrap_or(&text).encode_utf16().count() as u32;
            let _ = el.focus();
            let _ = el.set_selection_range(pos, pos);
        }
    };
    let unmatched = move || {
        let ps = people.get()?;
        let b = body.get();
        let owned = keys(&ps);
        let refs: Vec<(&str, &str)> = owned.iter().map(|(h, n)| (h.as_str(), n.as_str())).collect();
        // Still being typed and someone's name starts so: not judged yet.
        let typed = typing
            .get()
            .and_then(|(at, caret)| b.get(at + 1..caret).map(str::to_owned))
            .filter(|t| !mention::suggest(t, &refs, 1).is_empty());
        let u = mention::unmatched(&b, &refs, typed.as_deref());
        (!u.is_empty()).then(|| format!("@{}", u.join(", @")))
    };
    view! {
        <div class="mention-box">
            <textarea id="comment-body" node_ref=area rows="3" maxlength="4000" data-testid="comment-body"
                placeholder=move || i18n.t(K::CommentPlaceholder)
                aria-autocomplete="list" aria-controls="mention-list"
                aria-expanded=move || (!matches.with(Vec::is_empty)).to_string()
                prop:value=move || body.get()
                on:input=move |ev| {
                    body.set(event_target_value(&ev));
                    refresh();
                }
                on:click=move |_| refresh()
                on:keyup=move |ev| {
                    if matches!(ev.key().as_str(), "ArrowLeft" | "ArrowRight" | "Home" | "End") {
                        refresh();
                    }
                }
                on:blur=move |_| typing.set(None)
                on:keydown=move |ev| {
                    let n = matches.with_untracked(Vec::len);
                    // An input method's Enter confirms its own word, not a person.
                    if n == 0 || ev.is_composing() {
                        return;
                    }
                    match ev.key().as_str() {
                        "ArrowDown" => { ev.prevent_default(); active.update(|a| *a = (*a + 1) % n); }
                        "ArrowUp" => { ev.prevent_default(); active.update(|a| *a = (*a + n - 1) % n); }
                        "Enter" | "Tab" => {
                            ev.prevent_default();
                            if let Some(c) = matches.with_untracked(|m| m.get(active.get_untracked().min(n - 1)).cloned()) {
                                accept(c);
                            }
                        }
                        "Escape" => { ev.prevent_default(); typing.set(None); }
                        _ => {}
                    }
                }></textarea>
            <Show when=move || !matches.with(Vec::is_empty)>
                <ul class="mention-menu" id="mention-list" role="listbox" data-testid="mention-menu" aria-label=move || i18n.t(K::MentionList)>
                    {move || matches.get().into_iter().enumerate().map(|(i, c)| {
                        let chosen = c.clone();
                        let role = crate::domain::role::Role::parse(&c.role);
                        view! {
                            <li role="option" class="mention-option" class:active=move || active.get() == i
                                aria-selected=move || (active.get() == i).to_string() data-testid="mention-option"
                                // mousedown, not click: the box keeps its focus and caret.
                                on:mousedown=move |ev| { ev.prevent_default(); accept(chosen.clone()); }>
                                <span class="avatar avatar-sm" aria-hidden="true">{initials(&c.name)}</span>
                                <strong>{c.name.clone()}</strong>
                                <span class="cell-sub">"@" {c.handle.clone()} " · " {move || role.map(|r| role_name(i18n.locale(), r)).unwrap_or_default()}</span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </Show>
            {move || unmatched().map(|u| view! {
                <p class="mention-unmatched" role="status" data-testid="mention-unmatched">{u} ": " {move || i18n.t(K::MentionNoMatch)}</p>
            })}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::byte_index;

    #[test]
    fn utf16_offsets_become_byte_indexes() {
        for (text, utf16, want) in [("abc", 2, 2), ("请@李伟", 2, "请@".len()), ("a😀b", 3, "a😀".len()), ("ab", 9, 2), ("", 0, 0)]
        {
            assert_eq!(byte_index(text, utf16), want, "{text} {utf16}");
        }
    }
}
