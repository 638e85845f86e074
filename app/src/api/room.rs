//! Deal-room server functions (committee map, checklists, activities, team, comments,
//! notifications, timeline): a few lines each over the same services as REST.
use crate::domain::dto::{
    ActivityRow, ChecklistItemEdit, ChecklistTemplateRow, CommentPage, CommentRow, DealChecklistView, DealMap, DealMemberRow,
    LateEntriesRow, MapPersonEdit, MapPersonInput, NewActivity, NewContact, NotificationRow, TaskRow, TimelineEntry,
};
use crate::domain::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// The deal's buying-committee map with warnings, layout and the account's other contacts.
#[server(endpoint = "room/map", input = Json)]
pub async fn load_map(deal: uuid::Uuid) -> Result<DealMap, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::map::get(&state.db, &ctx, deal).await }).await
}

/// Replaces the whole map; a reporting loop is refused with a message naming it.
#[server(endpoint = "room/map/put", input = Json)]
pub async fn save_map(deal: uuid::Uuid, people: Vec<MapPersonInput>) -> Result<DealMap, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::map::put(&state.db, &ctx, deal, people).await }).await
}

/// Drag a person onto another (or the menu alternative); `reports_to: None` makes them a root.
#[server(endpoint = "room/map/reports_to", input = Json)]
pub async fn set_reports_to(
    deal: uuid::Uuid,
    contact: uuid::Uuid,
    reports_to: Option<uuid::Uuid>,
    version: i32,
) -> Result<DealMap, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::map::set_reports_to(&state.db, &ctx, deal, contact, reports_to, version).await })
        .await
}

/// Inline edit of one person: role, weight, attitude, relationship, last contact (versioned).
#[server(endpoint = "room/map/person", input = Json)]
pub async fn update_map_person(deal: uuid::Uuid, edit: MapPersonEdit) -> Result<DealMap, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::map::update_person(&state.db, &ctx, deal, edit).await }).await
}

/// Puts one of the account's contacts on the map.
#[server(endpoint = "room/map/add", input = Json)]
pub async fn add_map_person(deal: uuid::Uuid, contact: uuid::Uuid, reports_to: Option<uuid::Uuid>) -> Result<DealMap, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::map::add_person(&state.db, &ctx, deal, contact, reports_to).await }).await
}

/// Creates a contact on the deal's account and puts it on the map.
#[server(endpoint = "room/map/create", input = Json)]
pub async fn create_map_person(deal: uuid::Uuid, contact: NewContact, reports_to: Option<uuid::Uuid>) -> Result<DealMap, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::map::create_person(&state.db, &ctx, deal, contact, reports_to).await }).await
}

/// Takes a person off the map; their reports move up to their boss.
#[server(endpoint = "room/map/remove", input = Json)]
pub async fn remove_map_person(deal: uuid::Uuid, contact: uuid::Uuid) -> Result<DealMap, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::map::remove_person(&state.db, &ctx, deal, contact).await }).await
}

/// The checklist templates a deal can attach.
#[server(endpoint = "room/checklist_templates", input = Json)]
pub async fn load_checklist_templates() -> Result<Vec<ChecklistTemplateRow>, AppError> {
    use crate::ssr::context::serve;
    // Same for everyone, but still only for the signed-in: `serve` checks that.
    serve(|state, _ctx| async move { crate::ssr::service::checklist::templates(&state.db).await }).await
}

/// The deal's checklists with completion and overdue flags.
#[server(endpoint = "room/checklists", input = Json)]
pub async fn load_checklists(deal: uuid::Uuid) -> Result<Vec<DealChecklistView>, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::checklist::list(&state.db, &ctx, deal).await }).await
}

/// Attaches a template (by code: demo, proposal, exchange_meeting, …) to the deal.
#[server(endpoint = "room/checklists/attach", input = Json)]
pub async fn attach_checklist(deal: uuid::Uuid, template: String) -> Result<DealChecklistView, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::checklist::attach(&state.db, &ctx, deal, &template).await }).await
}

/// Tick/untick, assign (owner + due) or annotate (note + link) one item (versioned).
#[server(endpoint = "room/checklists/item", input = Json)]
pub async fn edit_checklist_item(item: i32, edit: ChecklistItemEdit) -> Result<DealChecklistView, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::checklist::edit_item(&state.db, &ctx, item, edit).await }).await
}

/// "My checklists" across deals, overdue first.
#[server(endpoint = "room/my_checklists", input = Json)]
pub async fn load_my_checklists() -> Result<Vec<DealChecklistView>, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::checklist::mine(&state.db, &ctx).await }).await
}

/// The deal's activities, latest first.
#[server(endpoint = "room/activities", input = Json)]
pub async fn load_activities(deal: uuid::Uuid) -> Result<Vec<ActivityRow>, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::activity::list(&state.db, &ctx, deal).await }).await
}

/// Logs a call, visit, exchange meeting, demo or revisit; late entries are flagged.
#[server(endpoint = "room/activities/log", input = Json)]
pub async fn log_activity(deal: uuid::Uuid, activity: NewActivity) -> Result<ActivityRow, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::activity::log(&state.db, &ctx, deal, activity).await }).await
}

/// "My tasks": open follow-ups I own, overdue and due today first.
#[server(endpoint = "room/my_tasks", input = Json)]
pub async fn load_my_tasks() -> Result<Vec<TaskRow>, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::activity::my_tasks(&state.db, &ctx).await }).await
}

/// "My day" on the home page: own tasks due, deals needing attention, approvals, mentions.
#[server(endpoint = "room/my_day", input = Json)]
pub async fn load_my_day() -> Result<crate::domain::dto::MyDay, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::today::my_day(&state.db, &ctx).await }).await
}

/// Marks a follow-up task done (versioned).
#[server(endpoint = "room/tasks/complete", input = Json)]
pub async fn complete_task(activity: uuid::Uuid, version: i32) -> Result<(), AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::activity::complete_task(&state.db, &ctx, activity, version).await }).await
}

/// Late activity entries per rep, recorded in [from, to).
#[server(endpoint = "room/late_entries", input = Json)]
pub async fn load_late_entries(
    from: chrono::DateTime<chrono::Utc>,
    to: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<LateEntriesRow>, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::activity::late_by_rep(&state.db, &ctx, from, to).await }).await
}

/// The deal team.
#[server(endpoint = "room/members", input = Json)]
pub async fn load_members(deal: uuid::Uuid) -> Result<Vec<DealMemberRow>, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::member::list(&state.db, &ctx, deal).await }).await
}

/// Adds a user to the deal team (role presales, pm or other); owner, manager or admin only.
#[server(endpoint = "room/members/add", input = Json)]
pub async fn add_member(deal: uuid::Uuid, user: uuid::Uuid, role: String) -> Result<Vec<DealMemberRow>, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::member::add(&state.db, &ctx, deal, user, &role).await }).await
}

/// Who may be added to the deal team (for those who may manage it; others get 404/403).
#[server(endpoint = "room/members/candidates", input = Json)]
pub async fn load_member_candidates(deal: uuid::Uuid) -> Result<Vec<DealMemberRow>, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::member::candidates(&state.db, &ctx, deal).await }).await
}

/// Removes a user from the deal team; the owner stays.
#[server(endpoint = "room/members/remove", input = Json)]
pub async fn remove_member(deal: uuid::Uuid, user: uuid::Uuid) -> Result<Vec<DealMemberRow>, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::member::remove(&state.db, &ctx, deal, user).await }).await
}

/// A page of the deal's comments, newest first; `before` is the previous page's `older`.
#[server(endpoint = "room/comments", input = Json)]
pub async fn load_comments(deal: uuid::Uuid, before: Option<uuid::Uuid>) -> Result<CommentPage, AppError> {
    use crate::ssr::context::serve;
    use crate::ssr::service::comment;
    serve(|state, ctx| async move { comment::list(&state.db, &ctx, deal, before, comment::PAGE_DEFAULT).await }).await
}

/// Whether the signed-in user may comment on the deal (executives read only).
#[server(endpoint = "room/comments/may", input = Json)]
pub async fn may_comment(deal: uuid::Uuid) -> Result<bool, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::comment::may_post(&state.db, &ctx, deal).await }).await
}

/// Who a comment on the deal can notify (the form's "@" list).
#[server(endpoint = "room/comments/mentions", input = Json)]
pub async fn mention_candidates(deal: uuid::Uuid) -> Result<Vec<crate::domain::dto::MentionCandidate>, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::comment::mention_candidates(&state.db, &ctx, deal).await }).await
}

/// Posts a comment; @mentions (e-mail local part or name) notify users who can see the deal.
#[server(endpoint = "room/comments/add", input = Json)]
pub async fn add_comment(deal: uuid::Uuid, body: String) -> Result<CommentRow, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::comment::add(&state.db, &ctx, deal, &body).await }).await
}

/// The bell's list, newest first.
#[server(endpoint = "room/notifications", input = Json)]
pub async fn load_notifications(unread_only: bool) -> Result<Vec<NotificationRow>, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::comment::notifications(&state.db, &ctx, unread_only).await }).await
}

/// The bell's unread count.
#[server(endpoint = "room/notifications/unread", input = Json)]
pub async fn unread_notifications() -> Result<u64, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::comment::unread_count(&state.db, &ctx).await }).await
}

/// Marks notifications read (`None`: all of mine); answers how many changed.
#[server(endpoint = "room/notifications/read", input = Json)]
pub async fn mark_notifications_read(ids: Option<Vec<i32>>) -> Result<u64, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::comment::mark_read(&state.db, &ctx, ids).await }).await
}

/// The deal page's merged timeline, newest first; `groups` filters (activity, move, approval, key_info, change, checklist, comment).
#[server(endpoint = "room/timeline", input = Json)]
pub async fn load_timeline(deal: uuid::Uuid, groups: Option<Vec<String>>) -> Result<Vec<TimelineEntry>, AppError> {
    use crate::ssr::context::serve;
    serve(|state, ctx| async move { crate::ssr::service::timeline::timeline(&state.db, &ctx, deal, groups).await }).await
}
