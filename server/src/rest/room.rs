//! The deal room: committee map (the deal's contacts), checklists, activities, comments.
use super::accounts::{contact_out, ContactOut};
use super::{ApiResult, Problem};
use app::domain::error::AppError;
use app::ssr::context::RequestContext;
use app::ssr::service;
use app::ssr::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

/// Handlers that share a path share one `routes!`: it mounts every method it names on every path.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(deal_contacts, put_deal_contacts))
        .routes(routes!(deal_checklists, attach_checklist))
        .routes(routes!(edit_checklist_item))
        .routes(routes!(deal_activities, log_activity))
        .routes(routes!(deal_comments, add_comment))
}

#[derive(Serialize, ToSchema)]
pub struct MapPersonOut {
    contact_id: Uuid,
    name: String,
    title: Option<String>,
    department: Option<String>,
    reports_to: Option<Uuid>,
    /// decision_maker | economic_buyer | technical_evaluator | user | influencer | initiator | coach | blocker
    role: Option<String>,
    influence_pct: i32,
    /// supporter | neutral | opponent
    attitude: String,
    /// 1 (cold) – 5 (close)
    relationship: u8,
    last_contact: Option<NaiveDate>,
    version: i32,
}

#[derive(Serialize, ToSchema)]
pub struct MapWarningOut {
    code: String,
    contact_id: Option<Uuid>,
    message: String,
}

#[derive(Serialize, ToSchema)]
pub struct ContactMapOut {
    deal_id: Uuid,
    people: Vec<MapPersonOut>,
    warnings: Vec<MapWarningOut>,
    /// The account's contacts not yet on the map.
    candidates: Vec<ContactOut>,
}

fn map_out(m: app::domain::dto::DealMap) -> ContactMapOut {
    ContactMapOut {
        deal_id: m.deal_id,
        people: m
            .people
            .into_iter()
            .map(|p| MapPersonOut {
                contact_id: p.contact_id,
                name: p.name,
                title: p.title,
                department: p.department,
                reports_to: p.reports_to,
                role: p.role,
                influence_pct: p.influence_pct,
                attitude: p.attitude,
                relationship: p.relationship,
                last_contact: p.last_contact,
                version: p.version,
            })
            .collect(),
        warnings: m.warnings.into_iter().map(|w| MapWarningOut { code: w.code, contact_id: w.contact_id, message: w.message_en }).collect(),
        candidates: m.candidates.into_iter().map(contact_out).collect(),
    }
}

#[derive(Deserialize, ToSchema)]
pub struct MapPersonIn {
    contact_id: Uuid,
    reports_to: Option<Uuid>,
    role: Option<String>,
    #[serde(default)]
    influence_pct: i32,
    attitude: Option<String>,
    relationship: Option<u8>,
    last_contact: Option<NaiveDate>,
}

#[derive(Deserialize, ToSchema)]
pub struct ContactMapIn {
    /// The whole map; it replaces the stored one.
    people: Vec<MapPersonIn>,
}

#[utoipa::path(get, path = "/api/v1/deals/{id}/contacts", params(("id" = Uuid, Path)),
    responses((status = 200, body = ContactMapOut), (status = 404, body = Problem)), security(("bearer" = [])))]
pub async fn deal_contacts(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<ContactMapOut>> {
    Ok(Json(map_out(service::map::get(&state.db, &ctx, id).await?)))
}

#[utoipa::path(put, path = "/api/v1/deals/{id}/contacts", params(("id" = Uuid, Path)), request_body = ContactMapIn,
    responses((status = 200, body = ContactMapOut), (status = 404, body = Problem), (status = 422, body = Problem, description = "invalid map, e.g. a reporting loop")),
    security(("bearer" = [])))]
pub async fn put_deal_contacts(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
    Json(m): Json<ContactMapIn>,
) -> ApiResult<Json<ContactMapOut>> {
    let people = m
        .people
        .into_iter()
        .map(|p| app::domain::dto::MapPersonInput {
            contact_id: p.contact_id,
            reports_to: p.reports_to,
            role: p.role,
            influence_pct: p.influence_pct,
            attitude: p.attitude,
            relationship: p.relationship,
            last_contact: p.last_contact,
        })
        .collect();
    Ok(Json(map_out(service::map::put(&state.db, &ctx, id, people).await?)))
}

#[derive(Serialize, ToSchema)]
pub struct ChecklistItemOut {
    id: i32,
    position: i32,
    text_en: String,
    text_zh: String,
    done: bool,
    done_by: Option<String>,
    done_at: Option<DateTime<Utc>>,
    owner_id: Option<Uuid>,
    owner: Option<String>,
    due: Option<NaiveDate>,
    note: Option<String>,
    link: Option<String>,
    version: i32,
    overdue: bool,
}

#[derive(Serialize, ToSchema)]
pub struct ChecklistOut {
    id: Uuid,
    deal_id: Uuid,
    template: String,
    kind: String,
    name_en: String,
    name_zh: String,
    done: usize,
    total: usize,
    complete: bool,
    overdue: usize,
    items: Vec<ChecklistItemOut>,
}

fn checklist_out(c: app::domain::dto::DealChecklistView) -> ChecklistOut {
    ChecklistOut {
        id: c.id,
        deal_id: c.deal_id,
        template: c.template_code,
        kind: c.kind,
        name_en: c.name_en,
        name_zh: c.name_zh,
        done: c.done,
        total: c.total,
        complete: c.complete,
        overdue: c.overdue,
        items: c
            .items
            .into_iter()
            .map(|i| ChecklistItemOut {
                id: i.id,
                position: i.position,
                text_en: i.text_en,
                text_zh: i.text_zh,
                done: i.done,
                done_by: i.done_by,
                done_at: i.done_at,
                owner_id: i.owner_id,
                owner: i.owner,
                due: i.due,
                note: i.note,
                link: i.link,
                version: i.version,
                overdue: i.overdue,
            })
            .collect(),
    }
}

#[derive(Deserialize, ToSchema)]
pub struct ChecklistIn {
    /// Template code: demo | proposal | exchange_meeting (or an admin-made one)
    template: String,
}

/// Present-but-null becomes `Some(None)`, absent stays `None`.
fn present<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

#[derive(Deserialize, ToSchema)]
pub struct ChecklistItemIn {
    /// The version read; a stale one answers 409.
    version: i32,
    done: Option<bool>,
    /// Owner and due date are set together: sending either sets both (an absent one clears).
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<Uuid>)]
    owner_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<NaiveDate>)]
    due: Option<Option<NaiveDate>>,
    /// Note and link are set together likewise.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    note: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    link: Option<Option<String>>,
}

#[utoipa::path(get, path = "/api/v1/deals/{id}/checklists", params(("id" = Uuid, Path)),
    responses((status = 200, body = [ChecklistOut]), (status = 404, body = Problem)), security(("bearer" = [])))]
pub async fn deal_checklists(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<Vec<ChecklistOut>>> {
    Ok(Json(service::checklist::list(&state.db, &ctx, id).await?.into_iter().map(checklist_out).collect()))
}

#[utoipa::path(post, path = "/api/v1/deals/{id}/checklists", params(("id" = Uuid, Path)), request_body = ChecklistIn,
    responses((status = 201, body = ChecklistOut), (status = 404, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
pub async fn attach_checklist(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
    Json(c): Json<ChecklistIn>,
) -> ApiResult<(StatusCode, Json<ChecklistOut>)> {
    Ok((StatusCode::CREATED, Json(checklist_out(service::checklist::attach(&state.db, &ctx, id, &c.template).await?))))
}

#[utoipa::path(post, path = "/api/v1/checklists/items/{id}", params(("id" = i32, Path)), request_body = ChecklistItemIn,
    responses((status = 200, body = ChecklistOut, description = "the item's checklist as it is now"), (status = 404, body = Problem),
        (status = 409, body = Problem, description = "stale version"), (status = 422, body = Problem)), security(("bearer" = [])))]
pub async fn edit_checklist_item(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<i32>,
    Json(i): Json<ChecklistItemIn>,
) -> ApiResult<Json<ChecklistOut>> {
    let assign = (i.owner_id.is_some() || i.due.is_some()).then(|| (i.owner_id.flatten(), i.due.flatten()));
    let annotate = (i.note.is_some() || i.link.is_some()).then(|| (i.note.flatten(), i.link.flatten()));
    let edit = app::domain::dto::ChecklistItemEdit { version: i.version, done: i.done, assign, annotate };
    Ok(Json(checklist_out(service::checklist::edit_item(&state.db, &ctx, id, edit).await?)))
}

#[derive(Serialize, ToSchema)]
pub struct ActivityOut {
    id: Uuid,
    deal_id: Uuid,
    /// call | visit | exchange_meeting | demo | revisit | email | other
    kind: String,
    at: DateTime<Utc>,
    /// Only the day is known (`at` is its midnight, UTC+8).
    all_day: bool,
    recorded_at: DateTime<Utc>,
    author: String,
    channel: Option<String>,
    people: Option<String>,
    summary: String,
    satisfaction: Option<u8>,
    new_needs: Option<String>,
    next_action: Option<String>,
    next_owner_id: Option<Uuid>,
    next_due: Option<NaiveDate>,
    next_done: bool,
    /// Recorded more than 24 h after the activity.
    late: bool,
}

fn activity_out(a: app::domain::dto::ActivityRow) -> ActivityOut {
    ActivityOut {
        id: a.id,
        deal_id: a.deal_id,
        kind: a.kind,
        at: a.at,
        all_day: a.all_day,
        recorded_at: a.recorded_at,
        author: a.author,
        channel: a.channel,
        people: a.people,
        summary: a.summary,
        satisfaction: a.satisfaction,
        new_needs: a.new_needs,
        next_action: a.next_action,
        next_owner_id: a.next_owner_id,
        next_due: a.next_due,
        next_done: a.next_done,
        late: a.late,
    }
}

#[derive(Deserialize, ToSchema)]
pub struct ActivityIn {
    kind: String,
    /// When it happened; or give `date` when only the day is known.
    at: Option<DateTime<Utc>>,
    date: Option<NaiveDate>,
    channel: Option<String>,
    people: Option<String>,
    summary: String,
    satisfaction: Option<u8>,
    new_needs: Option<String>,
    next_action: Option<String>,
    next_owner_id: Option<Uuid>,
    next_due: Option<NaiveDate>,
}

#[utoipa::path(get, path = "/api/v1/deals/{id}/activities", params(("id" = Uuid, Path)),
    responses((status = 200, body = [ActivityOut]), (status = 404, body = Problem)), security(("bearer" = [])))]
pub async fn deal_activities(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<Vec<ActivityOut>>> {
    Ok(Json(service::activity::list(&state.db, &ctx, id).await?.into_iter().map(activity_out).collect()))
}

#[utoipa::path(post, path = "/api/v1/deals/{id}/activities", params(("id" = Uuid, Path)), request_body = ActivityIn,
    responses((status = 201, body = ActivityOut), (status = 404, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
pub async fn log_activity(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
    Json(a): Json<ActivityIn>,
) -> ApiResult<(StatusCode, Json<ActivityOut>)> {
    use app::domain::activity::ActivityAt;
    let at = match (a.at, a.date) {
        (Some(t), None) => ActivityAt::Time(t),
        (None, Some(d)) => ActivityAt::Day(d),
        _ => return Err(AppError::validation("at", "give either at (a time) or date (a day)").into()),
    };
    let new = app::domain::dto::NewActivity {
        kind: a.kind,
        at,
        channel: a.channel,
        people: a.people,
        summary: a.summary,
        satisfaction: a.satisfaction,
        new_needs: a.new_needs,
        next_action: a.next_action,
        next_owner: a.next_owner_id,
        next_due: a.next_due,
    };
    Ok((StatusCode::CREATED, Json(activity_out(service::activity::log(&state.db, &ctx, id, new).await?))))
}

#[derive(Serialize, ToSchema)]
pub struct CommentOut {
    id: Uuid,
    author: String,
    body: String,
    created_at: DateTime<Utc>,
    /// Users notified by an @mention.
    mentioned: Vec<String>,
}

fn comment_out(c: app::domain::dto::CommentRow) -> CommentOut {
    CommentOut { id: c.id, author: c.author, body: c.body, created_at: c.created_at, mentioned: c.mentioned }
}

#[derive(Deserialize, ToSchema)]
pub struct CommentIn {
    /// `@` + a user's e-mail local part or name (no spaces) mentions them.
    body: String,
}

#[derive(Serialize, ToSchema)]
pub struct CommentsOut {
    /// Newest first.
    comments: Vec<CommentOut>,
    /// Pass as `before` for the next (older) page; null on the last page.
    older: Option<Uuid>,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CommentsQuery {
    /// The `older` of the previous page.
    before: Option<Uuid>,
    /// 1–200, default 50.
    limit: Option<u64>,
}

#[utoipa::path(get, path = "/api/v1/deals/{id}/comments", params(("id" = Uuid, Path), CommentsQuery),
    responses((status = 200, body = CommentsOut), (status = 404, body = Problem),
        (status = 422, body = Problem, description = "`limit` out of range, or `before` not a comment of this deal")),
    security(("bearer" = [])))]
pub async fn deal_comments(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
    Query(q): Query<CommentsQuery>,
) -> ApiResult<Json<CommentsOut>> {
    let page = service::comment::list(&state.db, &ctx, id, q.before, q.limit.unwrap_or(service::comment::PAGE_DEFAULT)).await?;
    Ok(Json(CommentsOut { comments: page.rows.into_iter().map(comment_out).collect(), older: page.older }))
}

#[utoipa::path(post, path = "/api/v1/deals/{id}/comments", params(("id" = Uuid, Path)), request_body = CommentIn,
    responses((status = 201, body = CommentOut), (status = 404, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
pub async fn add_comment(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
    Json(c): Json<CommentIn>,
) -> ApiResult<(StatusCode, Json<CommentOut>)> {
    Ok((StatusCode::CREATED, Json(comment_out(service::comment::add(&state.db, &ctx, id, &c.body).await?))))
}
