//! Comments on a deal with @mentions (rules in `domain::mention`), and the notifications a
//! mention raises. Only a mentioned user who can see the deal is notified, so a mention
//! never leaks a deal to someone outside its team.
use super::access::visible_deal;
use crate::domain::access::DealAction;
use crate::domain::dto::{CommentPage, CommentRow, MentionCandidate, NotificationRow};
use crate::domain::error::AppError;
use crate::domain::mention;
use crate::domain::role::{Role, Visibility};
use crate::ssr::context::RequestContext;
use crate::ssr::db::Db;
use crate::ssr::db_err;
use crate::ssr::entity::{comment, notification, team, user};
use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

/// Users a comment mentions, resolved against active users (ids, names).
/// The active users other than the author who may see this deal: the test `add` makes before
/// it notifies anyone, and the people "@" offers. `Visibility::for_user` is the access rule;
/// the teams are read once, not three queries per user as `RequestContext::load` would.
async fn audience(db: &Db, ctx: &RequestContext, team_id: i32, members: &[i32]) -> Result<Vec<user::Model>, AppError> {
    let users = user::Entity::find()
        .filter(user::Column::Active.eq(true))
        .filter(user::Column::Id.ne(ctx.user_id))
        .order_by_asc(user::Column::Name)
        .all(db)
        .await
        .map_err(db_err)?;
    let teams = team::Entity::find().all(db).await.map_err(db_err)?;
    Ok(users
        .into_iter()
        .filter(|u| {
            let Some(role) = Role::parse(&u.role) else { return false };
            let managed: Vec<i32> = teams.iter().filter(|t| t.manager_id == Some(u.id)).map(|t| t.id).collect();
            Visibility::for_user(role, u.id, u.team_id, &managed).allows(team_id, members)
        })
        .collect())
}

/// Whom a comment names, among the people who may see it — the same people the browser's
/// "@" list offered, so a name resolves on the server as it completed in the browser.
fn mentioned(body: &str, audience: Vec<user::Model>) -> Vec<user::Model> {
    let tokens = mention::tokens(body);
    if tokens.is_empty() {
        return vec![];
    }
    let keys: Vec<(&str, &str)> = audience.iter().map(|u| (u.email.as_str(), u.name.as_str())).collect();
    let named = mention::resolve(&tokens, &keys);
    audience.into_iter().enumerate().filter(|(i, _)| named.contains(i)).map(|(_, u)| u).collect()
}

/// Comments a page holds by default, and at most.
pub const PAGE_DEFAULT: u64 = 50;
pub const PAGE_MAX: u64 = 200;

/// A deal's comments, newest first, `limit` (1–200) at a time: `before` is the `older` of the
/// previous page (a comment of this deal; anything else is a 422 naming `before`).
pub async fn list(
    db: &Db,
    ctx: &RequestContext,
    deal: uuid::Uuid,
    before: Option<uuid::Uuid>,
    limit: u64,
) -> Result<CommentPage, AppError> {
    if !(1..=PAGE_MAX).contains(&limit) {
        return Err(AppError::validation("limit", format!("must be 1–{PAGE_MAX}")));
    }
    let d = visible_deal(db, ctx, deal).await?;
    let mut q = comment::Entity::find().filter(comment::Column::DealId.eq(d.id));
    if let Some(b) = before {
        let cursor = comment::Entity::find()
            .filter(comment::Column::Uuid.eq(b))
            .filter(comment::Column::DealId.eq(d.id))
            .one(db)
            .await
            .map_err(db_err)?
            .ok_or_else(|| AppError::validation("before", "is not a comment of this deal"))?;
        // Keyset on (created_at, id), the list's order: stable while new comments arrive.
        q = q.filter(
            Condition::any()
                .add(comment::Column::CreatedAt.lt(cursor.created_at))
                .add(Condition::all().add(comment::Column::CreatedAt.eq(cursor.created_at)).add(comment::Column::Id.lt(cursor.id))),
        );
    }
    let mut rows =
        q.order_by_desc(comment::Column::CreatedAt).order_by_desc(comment::Column::Id).limit(limit + 1).all(db).await.map_err(db_err)?;
    let more = rows.len() as u64 > limit;
    rows.truncate(limit as usize);
    let older = if more { rows.last().map(|c| c.uuid) } else { None };
    let authors = super::user_names(db, rows.iter().map(|c| c.author_id).collect()).await?;
    let notified = notification::Entity::find()
        .filter(notification::Column::CommentId.is_in(rows.iter().map(|c| c.id)))
        .all(db)
        .await
        .map_err(db_err)?;
    let names = super::user_names(db, notified.iter().map(|n| n.user_id).collect()).await?;
    let rows = rows
        .into_iter()
        .map(|c| CommentRow {
            id: c.uuid,
            author: authors.get(&c.author_id).cloned().unwrap_or_default(),
            mentioned: notified.iter().filter(|n| n.comment_id == Some(c.id)).filter_map(|n| names.get(&n.user_id).cloned()).collect(),
            body: c.body,
            created_at: c.created_at,
        })
        .collect();
    Ok(CommentPage { rows, older })
}

/// Whether the reader may post on this deal (the page shows the form only then).
pub async fn may_post(db: &Db, ctx: &RequestContext, deal: uuid::Uuid) -> Result<bool, AppError> {
    let d = visible_deal(db, ctx, deal).await?;
    let team = super::access::team_of(db, &d).await?;
    Ok(super::access::allows(ctx, DealAction::Comment, &d, &team))
}

/// The people a comment on this deal can notify (active users who can see it, the caller
/// left out), by name: the form's "@" list, and what it checks a typed mention against.
pub async fn mention_candidates(db: &Db, ctx: &RequestContext, deal: uuid::Uuid) -> Result<Vec<MentionCandidate>, AppError> {
    let d = visible_deal(db, ctx, deal).await?;
    let members = super::member::user_ids(db, d.id).await?;
    Ok(audience(db, ctx, d.team_id, &members)
        .await?
        .into_iter()
        .map(|u| {
            let handle = u.email.split('@').next().unwrap_or_default().to_owned();
            MentionCandidate { name: u.name, handle, role: u.role }
        })
        .collect())
}

/// Posts a comment; each mentioned user who can see the deal (and is not the author) gets
/// a notification.
pub async fn add(db: &Db, ctx: &RequestContext, deal: uuid::Uuid, body: &str) -> Result<CommentRow, AppError> {
    let body = crate::domain::validate::required("body", body, 4000)?;
    let d = super::access::deal_for(db, ctx, deal, DealAction::Comment).await?;
    let members = super::member::user_ids(db, d.id).await?;
    let to_notify = mentioned(&body, audience(db, ctx, d.team_id, &members).await?);
    let author = user::Entity::find_by_id(ctx.user_id).one(db).await.map_err(db_err)?.map(|u| u.name).unwrap_or_default();
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    let txn = &w.txn;
    let now = Utc::now();
    let uuid = uuid::Uuid::new_v4();
    let id = comment::Entity::insert(comment::ActiveModel {
        uuid: Set(uuid),
        deal_id: Set(d.id),
        author_id: Set(ctx.user_id),
        body: Set(body.clone()),
        created_at: Set(now),
        ..Default::default()
    })
    .exec(txn)
    .await
    .map_err(db_err)?
    .last_insert_id;
    let excerpt: String = body.chars().take(140).collect();
    let notes: Vec<notification::ActiveModel> = to_notify
        .iter()
        .map(|u| notification::ActiveModel {
            user_id: Set(u.id),
            deal_id: Set(d.id),
            comment_id: Set(Some(id)),
            kind: Set("mention".into()),
            text: Set(format!("{author}: {excerpt}")),
            created_at: Set(now),
            read_at: Set(None),
            ..Default::default()
        })
        .collect();
    if !notes.is_empty() {
        notification::Entity::insert_many(notes).exec_without_returning(txn).await.map_err(db_err)?;
    }
    w.commit().await.map_err(db_err)?;
    crate::ssr::events::publish_deal(db, "comment", &d, ctx.user_id).await;
    Ok(CommentRow { id: uuid, author, body, created_at: now, mentioned: to_notify.into_iter().map(|u| u.name).collect() })
}

/// The bell: newest first.
pub async fn notifications(db: &Db, ctx: &RequestContext, unread_only: bool) -> Result<Vec<NotificationRow>, AppError> {
    let mut q = notification::Entity::find().filter(notification::Column::UserId.eq(ctx.user_id));
    if unread_only {
        q = q.filter(notification::Column::ReadAt.is_null());
    }
    let rows = q
        .order_by_desc(notification::Column::CreatedAt)
        .order_by_desc(notification::Column::Id)
        .limit(100)
        .all(db)
        .await
        .map_err(db_err)?;
    let deals = super::mapping::deals_by_id(db, rows.iter().map(|n| n.deal_id)).await?;
    Ok(rows
        .into_iter()
        .filter_map(|n| {
            let d = deals.get(&n.deal_id)?;
            Some(NotificationRow {
                id: n.id,
                deal_id: d.uuid,
                deal_name: d.name.clone(),
                kind: n.kind,
                text: n.text,
                created_at: n.created_at,
                read: n.read_at.is_some(),
            })
        })
        .collect())
}

pub async fn unread_count(db: &Db, ctx: &RequestContext) -> Result<u64, AppError> {
    notification::Entity::find()
        .filter(notification::Column::UserId.eq(ctx.user_id))
        .filter(notification::Column::ReadAt.is_null())
        .count(db)
        .await
        .map_err(db_err)
}

/// Marks the given notifications (or, with `None`, all of them) read; only one's own.
pub async fn mark_read(db: &Db, ctx: &RequestContext, ids: Option<Vec<i32>>) -> Result<u64, AppError> {
    let mut q = notification::Entity::update_many()
        .col_expr(notification::Column::ReadAt, Expr::value(Utc::now()))
        .filter(notification::Column::UserId.eq(ctx.user_id))
        .filter(notification::Column::ReadAt.is_null());
    if let Some(ids) = ids {
        // The bell shows a page of entries; more ids than that are no click of it.
        crate::domain::validate::list_len("ids", &ids, 1_000)?;
        q = q.filter(notification::Column::Id.is_in(ids));
    }
    Ok(q.exec(db).await.map_err(db_err)?.rows_affected)
}
