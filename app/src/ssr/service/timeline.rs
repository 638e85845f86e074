//! The deal page's one timeline: activities, stage moves and attempts, approvals, key-info
//! and fact changes (from the append-only history), checklist ticks and comments, newest
//! first, optionally only some groups.
use super::access::visible_deal;
use crate::domain::activity::ActivityKind;
use crate::domain::dto::TimelineEntry;
use crate::domain::error::AppError;
use crate::domain::locale::Locale;
use crate::domain::money::format_exact;
use crate::ssr::context::RequestContext;
use crate::ssr::db::Db;
use crate::ssr::db_err;
use crate::ssr::entity::{activity, comment, deal_checklist, deal_checklist_item, deal_history, stage};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;

pub const GROUPS: [&str; 7] = ["activity", "move", "approval", "key_info", "change", "checklist", "comment"];

/// Which filter group a history row belongs to.
fn history_group(kind: &str) -> &'static str {
    use crate::domain::history::HistoryKind as H;
    match H::parse(kind) {
        Some(H::ApprovalRequested | H::ApprovalApproved | H::ApprovalRejected) => "approval",
        Some(H::QuoteSubmitted | H::QuoteApproved | H::QuoteRejected) => "approval",
        Some(
            H::ContractSubmitted
            | H::ContractStepApproved
            | H::ContractApproved
            | H::ContractRejected
            | H::ContractWithdrawn
            | H::ContractAmended,
        ) => "approval",
        Some(H::ContractCreated | H::ContractSigned | H::PaymentReceived) => "change",
        Some(
            H::NegotiationSubmitted
            | H::NegotiationStepApproved
            | H::NegotiationConfirmed
            | H::NegotiationReturned
            | H::ConcessionApproved
            | H::ConcessionRejected,
        ) => "approval",
        Some(H::NegotiationPlanned | H::NegotiationSession | H::ConcessionMade) => "change",
        Some(H::QuoteCreated | H::QuoteSent | H::QuoteAccepted | H::QuoteDeclined | H::QuoteRevised) => "change",
        Some(H::KeyInfoChanged) => "key_info",
        Some(H::ObjectionRaised | H::ObjectionAnswered | H::ObjectionResolved | H::ObjectionDropped | H::ObjectionReopened) => "change",
        Some(H::AmountChanged | H::CloseDateChanged | H::CategoryChanged | H::OwnerChanged | H::TeamChanged | H::AccountMerged) => "change",
        Some(H::Created | H::Moved | H::Blocked | H::Forbidden | H::CategoryAdjusted) | None => "move",
    }
}

/// Up to `PER_SOURCE` newest entries of each source are merged, so one busy source cannot
/// starve the others out of the first screen.
const PER_SOURCE: u64 = 300;

pub async fn timeline(
    db: &Db,
    ctx: &RequestContext,
    deal: uuid::Uuid,
    groups: Option<Vec<String>>,
) -> Result<Vec<TimelineEntry>, AppError> {
    let d = visible_deal(db, ctx, deal).await?;
    let l = ctx.locale.unwrap_or_default();
    let wants = |g: &str| groups.as_ref().is_none_or(|gs| gs.iter().any(|x| x == g));
    let mut out: Vec<TimelineEntry> = Vec::new();
    let mut actor_ids: Vec<i32> = Vec::new();
    // (entry index, actor id) resolved to names with one query at the end.
    let mut actors: Vec<(usize, i32)> = Vec::new();

    if wants("activity") {
        let rows = activity::Entity::find()
            .filter(activity::Column::DealId.eq(d.id))
            .order_by_desc(activity::Column::At)
            .limit(PER_SOURCE)
            .all(db)
            .await
            .map_err(db_err)?;
        for a in rows {
            let kind = ActivityKind::parse(&a.kind).map_or(a.kind.clone(), |k| k.label(l).to_owned());
            actors.push((out.len(), a.author_id));
            out.push(TimelineEntry {
                at: a.at,
                group: "activity".into(),
                kind: a.kind,
                actor: None,
                text: format!("{kind}: {}", a.summary),
                late: a.late,
            });
        }
    }
    let history_groups: Vec<&str> = ["move", "approval", "key_info", "change"].into_iter().filter(|g| wants(g)).collect();
    if !history_groups.is_empty() {
        let rows = deal_history::Entity::find()
            .filter(deal_history::Column::DealId.eq(d.id))
            .order_by_desc(deal_history::Column::At)
            .limit(PER_SOURCE)
            .all(db)
            .await
            .map_err(db_err)?;
        let stages: HashMap<i32, stage::Model> = stage::Entity::find()
            .filter(stage::Column::PipelineId.eq(d.pipeline_id))
            .all(db)
            .await
            .map_err(db_err)?
            .into_iter()
            .map(|s| (s.id, s))
            .collect();
        let stage_name = |id: Option<i32>| {
            id.and_then(|i| stages.get(&i))
                .map_or_else(String::new, |s| if l == Locale::ZhCn { s.name_zh.clone() } else { s.name_en.clone() })
        };
        for h in rows {
            let group = history_group(&h.kind);
            if !history_groups.contains(&group) {
                continue;
            }
            let mut text = match group {
                "move" | "approval" if h.to_stage_id.is_some() => {
                    format!("{} → {}", stage_name(h.from_stage_id), stage_name(h.to_stage_id)).trim_start_matches(" → ").to_owned()
                }
                "change" => match (h.old_amount_fen, h.new_amount_fen, h.old_close_date, h.new_close_date) {
                    (Some(a), Some(b), _, _) => format!("{} → {}", format_exact(a, &d.currency), format_exact(b, &d.currency)),
                    (_, _, Some(a), Some(b)) => format!("{a} → {b}"),
                    _ => String::new(),
                },
                _ => String::new(),
            };
            if let Some(n) = h.note.as_deref().filter(|n| !n.is_empty()) {
                let n = if h.kind.starts_with("objection_") {
                    // What happened, and the category in words rather than its code.
                    let what = crate::i18n::history_kind(l, &h.kind);
                    format!("{what} · {}", crate::domain::objection::note_in_words(n, l == Locale::ZhCn))
                } else {
                    n.to_owned()
                };
                text = if text.is_empty() { n } else { format!("{text} ({n})") };
            }
            if let Some(a) = h.actor_id {
                actors.push((out.len(), a));
            }
            out.push(TimelineEntry { at: h.at, group: group.into(), kind: h.kind, actor: None, text, late: false });
        }
    }
    if wants("checklist") {
        let lists: Vec<i32> = deal_checklist::Entity::find()
            .filter(deal_checklist::Column::DealId.eq(d.id))
            .all(db)
            .await
            .map_err(db_err)?
            .into_iter()
            .map(|c| c.id)
            .collect();
        // A tick is the item's done time; unticking takes it off the timeline again.
        let ticked = deal_checklist_item::Entity::find()
            .filter(deal_checklist_item::Column::ChecklistId.is_in(lists))
            .filter(deal_checklist_item::Column::Done.eq(true))
            .order_by_desc(deal_checklist_item::Column::DoneAt)
            .limit(PER_SOURCE)
            .all(db)
            .await
            .map_err(db_err)?;
        for i in ticked {
            let Some(at) = i.done_at else { continue };
            if let Some(u) = i.done_by {
                actors.push((out.len(), u));
            }
            let text = if l == Locale::ZhCn { i.text_zh } else { i.text_en };
            out.push(TimelineEntry { at, group: "checklist".into(), kind: "checklist_ticked".into(), actor: None, text, late: false });
        }
    }
    if wants("comment") {
        let rows = comment::Entity::find()
            .filter(comment::Column::DealId.eq(d.id))
            .order_by_desc(comment::Column::CreatedAt)
            .limit(PER_SOURCE)
            .all(db)
            .await
            .map_err(db_err)?;
        for c in rows {
            actors.push((out.len(), c.author_id));
            out.push(TimelineEntry {
                at: c.created_at,
                group: "comment".into(),
                kind: "comment".into(),
                actor: None,
                text: c.body,
                late: false,
            });
        }
    }
    actor_ids.extend(actors.iter().map(|(_, a)| *a));
    let names = super::user_names(db, actor_ids).await?;
    for (i, a) in actors {
        if let Some(e) = out.get_mut(i) {
            e.actor = names.get(&a).cloned();
        }
    }
    out.sort_by_key(|e| std::cmp::Reverse(e.at));
    Ok(out)
}
