//! Presales checklists on deals: attach a template (its items are copied), tick, assign,
//! annotate; completion and overdue flags come from `domain::checklist`.
use super::access::visible_deal;
use crate::domain::access::DealAction;
use crate::domain::checklist::{self, ChecklistItem, ChecklistKind};
use crate::domain::dto::{
    ChecklistItemEdit, ChecklistItemRow, ChecklistTemplateDetail, ChecklistTemplateRow, DealChecklistView, TemplateLine,
};
use crate::domain::error::AppError;
use crate::ssr::context::RequestContext;
use crate::ssr::db::Db;
use crate::ssr::db_err;
use crate::ssr::entity::{checklist_template, checklist_template_item, deal, deal_checklist, deal_checklist_item, deal_member, user};
use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

fn today() -> chrono::NaiveDate {
    Utc::now().with_timezone(&crate::domain::forecast::offset()).date_naive()
}

fn rule_item(i: &deal_checklist_item::Model) -> ChecklistItem {
    ChecklistItem { id: i.id, done: i.done, owner_id: i.owner_id, due: i.due }
}

/// Inserts the domain's templates that are missing (by code); runs with the reference data.
pub async fn ensure_templates<C: ConnectionTrait>(db: &C) -> Result<(), sea_orm::DbErr> {
    for t in checklist::TEMPLATES {
        let code = t.kind.code();
        if checklist_template::Entity::find().filter(checklist_template::Column::Code.eq(code)).one(db).await?.is_some() {
            continue;
        }
        let id = checklist_template::Entity::insert(checklist_template::ActiveModel {
            code: Set(code.into()),
            kind: Set(code.into()),
            name_en: Set(t.en.into()),
            name_zh: Set(t.zh.into()),
            version: Set(1),
            ..Default::default()
        })
        .exec(db)
        .await?
        .last_insert_id;
        let items: Vec<checklist_template_item::ActiveModel> = t
            .items
            .iter()
            .enumerate()
            .map(|(i, it)| checklist_template_item::ActiveModel {
                template_id: Set(id),
                position: Set(i as i32 + 1),
                code: Set(it.code.into()),
                text_en: Set(it.en.into()),
                text_zh: Set(it.zh.into()),
                hint_en: Set(it.hint_en.into()),
                hint_zh: Set(it.hint_zh.into()),
                minutes: Set(it.minutes.map(i32::from)),
                ..Default::default()
            })
            .collect();
        checklist_template_item::Entity::insert_many(items).exec_without_returning(db).await?;
    }
    Ok(())
}

pub async fn templates(db: &Db) -> Result<Vec<ChecklistTemplateRow>, AppError> {
    let ts = checklist_template::Entity::find().order_by_asc(checklist_template::Column::Id).all(db).await.map_err(db_err)?;
    let items = checklist_template_item::Entity::find().all(db).await.map_err(db_err)?;
    Ok(ts
        .into_iter()
        .map(|t| ChecklistTemplateRow {
            items: items.iter().filter(|i| i.template_id == t.id).count(),
            code: t.code,
            kind: t.kind,
            name_en: t.name_en,
            name_zh: t.name_zh,
        })
        .collect())
}

/// Every template with its lines, for the admin editor.
pub async fn template_details(db: &Db, ctx: &RequestContext) -> Result<Vec<ChecklistTemplateDetail>, AppError> {
    super::access::require_admin(ctx)?;
    let ts = checklist_template::Entity::find().order_by_asc(checklist_template::Column::Id).all(db).await.map_err(db_err)?;
    let items = checklist_template_item::Entity::find()
        .order_by_asc(checklist_template_item::Column::TemplateId)
        .order_by_asc(checklist_template_item::Column::Position)
        .all(db)
        .await
        .map_err(db_err)?;
    Ok(ts.into_iter().map(|t| detail(t, &items)).collect())
}

fn detail(t: checklist_template::Model, items: &[checklist_template_item::Model]) -> ChecklistTemplateDetail {
    ChecklistTemplateDetail {
        lines: items
            .iter()
            .filter(|i| i.template_id == t.id)
            .map(|i| TemplateLine {
                code: i.code.clone(),
                text_en: i.text_en.clone(),
                text_zh: i.text_zh.clone(),
                hint_en: i.hint_en.clone(),
                hint_zh: i.hint_zh.clone(),
                minutes: i.minutes,
            })
            .collect(),
        code: t.code,
        kind: t.kind,
        name_en: t.name_en,
        name_zh: t.name_zh,
        version: t.version,
    }
}

/// Saves an admin's edit of a template: names and the whole list of lines, in order. Deals
/// keep the copies they already have; checklists attached from now on get the new lines.
pub async fn save_template(db: &Db, ctx: &RequestContext, edit: ChecklistTemplateDetail) -> Result<ChecklistTemplateDetail, AppError> {
    super::access::require_admin(ctx)?;
    let lines: Vec<(&str, &str, Option<i32>)> = edit.lines.iter().map(|l| (l.text_en.as_str(), l.text_zh.as_str(), l.minutes)).collect();
    if let Some(p) = checklist::template_problem(&edit.name_en, &edit.name_zh, &lines) {
        return Err(AppError::validation(p.field, p.message));
    }
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    let txn = &w.txn;
    let t = checklist_template::Entity::find()
        .filter(checklist_template::Column::Code.eq(edit.code.trim()))
        .one(txn)
        .await
        .map_err(db_err)?
        .ok_or(AppError::NotFound)?;
    let res = checklist_template::Entity::update_many()
        .col_expr(checklist_template::Column::NameEn, Expr::value(edit.name_en.trim()))
        .col_expr(checklist_template::Column::NameZh, Expr::value(edit.name_zh.trim()))
        .col_expr(checklist_template::Column::Version, Expr::col(checklist_template::Column::Version).add(1))
        .filter(checklist_template::Column::Id.eq(t.id))
        .filter(checklist_template::Column::Version.eq(edit.version))
        .exec(txn)
        .await
        .map_err(db_err)?;
    if res.rows_affected != 1 {
        return Err(AppError::Conflict);
    }
    checklist_template_item::Entity::delete_many()
        .filter(checklist_template_item::Column::TemplateId.eq(t.id))
        .exec(txn)
        .await
        .map_err(db_err)?;
    let rows: Vec<checklist_template_item::ActiveModel> = edit
        .lines
        .iter()
        .zip(1..)
        .map(|(l, position)| checklist_template_item::ActiveModel {
            template_id: Set(t.id),
            position: Set(position),
            // New lines get a code of their own; existing ones keep theirs.
            code: Set(if l.code.trim().is_empty() { format!("line_{}", uuid::Uuid::new_v4().simple()) } else { l.code.trim().to_owned() }),
            text_en: Set(l.text_en.trim().to_owned()),
            text_zh: Set(l.text_zh.trim().to_owned()),
            hint_en: Set(l.hint_en.trim().to_owned()),
            hint_zh: Set(l.hint_zh.trim().to_owned()),
            minutes: Set(l.minutes),
            ..Default::default()
        })
        .collect();
    checklist_template_item::Entity::insert_many(rows).exec_without_returning(txn).await.map_err(db_err)?;
    let t = checklist_template::Entity::find_by_id(t.id).one(txn).await.map_err(db_err)?.ok_or(AppError::Internal)?;
    let items = checklist_template_item::Entity::find()
        .filter(checklist_template_item::Column::TemplateId.eq(t.id))
        .order_by_asc(checklist_template_item::Column::Position)
        .all(txn)
        .await
        .map_err(db_err)?;
    w.commit().await.map_err(db_err)?;
    Ok(detail(t, &items))
}

/// Each checklist on the deal with whether it is complete, for the gate. Always three
/// statements, so a move costs the same whatever the deal carries.
pub async fn gate_checklists<C: ConnectionTrait>(db: &C, deal_id: i32) -> Result<Vec<(ChecklistKind, bool)>, AppError> {
    let lists = deal_checklist::Entity::find().filter(deal_checklist::Column::DealId.eq(deal_id)).all(db).await.map_err(db_err)?;
    let kinds: HashMap<i32, String> =
        checklist_template::Entity::find().all(db).await.map_err(db_err)?.into_iter().map(|t| (t.id, t.kind)).collect();
    let of_deal = Query::select()
        .column(deal_checklist::Column::Id)
        .from(deal_checklist::Entity)
        .and_where(Expr::col(deal_checklist::Column::DealId).eq(deal_id))
        .to_owned();
    let items = deal_checklist_item::Entity::find()
        .filter(deal_checklist_item::Column::ChecklistId.in_subquery(of_deal))
        .all(db)
        .await
        .map_err(db_err)?;
    Ok(lists
        .iter()
        .filter_map(|l| {
            let kind = ChecklistKind::parse(kinds.get(&l.template_id)?)?;
            let rules: Vec<ChecklistItem> = items.iter().filter(|i| i.checklist_id == l.id).map(rule_item).collect();
            Some((kind, checklist::is_complete(&rules)))
        })
        .collect())
}

/// Checklists with their items, names and flags; a handful of queries for any number.
async fn views<C: ConnectionTrait>(db: &C, lists: Vec<deal_checklist::Model>) -> Result<Vec<DealChecklistView>, AppError> {
    if lists.is_empty() {
        return Ok(vec![]);
    }
    let ids: Vec<i32> = lists.iter().map(|l| l.id).collect();
    let items = deal_checklist_item::Entity::find()
        .filter(deal_checklist_item::Column::ChecklistId.is_in(ids))
        .order_by_asc(deal_checklist_item::Column::Position)
        .order_by_asc(deal_checklist_item::Column::Id)
        .all(db)
        .await
        .map_err(db_err)?;
    let tpl_ids: Vec<i32> = lists.iter().map(|l| l.template_id).collect();
    let tpls: HashMap<i32, checklist_template::Model> = checklist_template::Entity::find()
        .filter(checklist_template::Column::Id.is_in(tpl_ids))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    let deal_ids: Vec<i32> = lists.iter().map(|l| l.deal_id).collect();
    let deals = super::mapping::deals_by_id(db, deal_ids).await?;
    let user_ids: Vec<i32> = items.iter().flat_map(|i| [i.owner_id, i.done_by]).flatten().collect();
    let users: HashMap<i32, user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(user_ids))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let today = today();
    let mut out = Vec::with_capacity(lists.len());
    for l in lists {
        let (Some(t), Some(d)) = (tpls.get(&l.template_id), deals.get(&l.deal_id)) else { continue };
        let mine: Vec<&deal_checklist_item::Model> = items.iter().filter(|i| i.checklist_id == l.id).collect();
        let rules: Vec<ChecklistItem> = mine.iter().map(|i| rule_item(i)).collect();
        let (done, total) = checklist::completion(&rules);
        let overdue = checklist::overdue(&rules, today);
        out.push(DealChecklistView {
            id: l.uuid,
            deal_id: d.uuid,
            deal_name: d.name.clone(),
            template_code: t.code.clone(),
            kind: t.kind.clone(),
            name_en: t.name_en.clone(),
            name_zh: t.name_zh.clone(),
            done,
            total,
            complete: checklist::is_complete(&rules),
            overdue: overdue.len(),
            items: mine
                .iter()
                .map(|i| ChecklistItemRow {
                    id: i.id,
                    position: i.position,
                    text_en: i.text_en.clone(),
                    text_zh: i.text_zh.clone(),
                    done: i.done,
                    done_by: i.done_by.and_then(|u| users.get(&u)).map(|u| u.name.clone()),
                    done_at: i.done_at,
                    owner_id: i.owner_id.and_then(|u| users.get(&u)).map(|u| u.uuid),
                    owner: i.owner_id.and_then(|u| users.get(&u)).map(|u| u.name.clone()),
                    due: i.due,
                    note: i.note.clone(),
                    link: i.link.clone(),
                    version: i.version,
                    overdue: overdue.contains(&i.id),
                })
                .collect(),
        });
    }
    Ok(out)
}

/// Copies a template's items onto the deal as a new checklist.
pub async fn attach(db: &Db, ctx: &RequestContext, deal: uuid::Uuid, template_code: &str) -> Result<DealChecklistView, AppError> {
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    let txn = &w.txn;
    let d = super::access::deal_for(txn, ctx, deal, DealAction::Work).await?;
    let t = checklist_template::Entity::find()
        .filter(checklist_template::Column::Code.eq(template_code.trim()))
        .one(txn)
        .await
        .map_err(db_err)?
        .ok_or_else(|| AppError::validation("template", "no such checklist template"))?;
    let lines = checklist_template_item::Entity::find()
        .filter(checklist_template_item::Column::TemplateId.eq(t.id))
        .order_by_asc(checklist_template_item::Column::Position)
        .all(txn)
        .await
        .map_err(db_err)?;
    let id = deal_checklist::Entity::insert(deal_checklist::ActiveModel {
        uuid: Set(uuid::Uuid::new_v4()),
        deal_id: Set(d.id),
        template_id: Set(t.id),
        created_by: Set(ctx.user_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec(txn)
    .await
    .map_err(db_err)?
    .last_insert_id;
    let items: Vec<deal_checklist_item::ActiveModel> = lines
        .iter()
        .map(|l| deal_checklist_item::ActiveModel {
            checklist_id: Set(id),
            position: Set(l.position),
            text_en: Set(l.text_en.clone()),
            text_zh: Set(l.text_zh.clone()),
            done: Set(false),
            version: Set(1),
            ..Default::default()
        })
        .collect();
    if !items.is_empty() {
        deal_checklist_item::Entity::insert_many(items).exec_without_returning(txn).await.map_err(db_err)?;
    }
    let list = deal_checklist::Entity::find_by_id(id).one(txn).await.map_err(db_err)?.ok_or(AppError::Internal)?;
    let out = views(txn, vec![list]).await?.pop().ok_or(AppError::Internal)?;
    w.commit().await.map_err(db_err)?;
    crate::ssr::events::publish_deal(db, "checklist", &d, ctx.user_id).await;
    Ok(out)
}

/// The deal's checklists, oldest first.
pub async fn list(db: &Db, ctx: &RequestContext, deal: uuid::Uuid) -> Result<Vec<DealChecklistView>, AppError> {
    let d = visible_deal(db, ctx, deal).await?;
    let lists = deal_checklist::Entity::find()
        .filter(deal_checklist::Column::DealId.eq(d.id))
        .order_by_asc(deal_checklist::Column::Id)
        .all(db)
        .await
        .map_err(db_err)?;
    views(db, lists).await
}

/// "My checklists": checklists with an item I own, or on a deal I am a member of; those
/// with overdue items first.
pub async fn mine(db: &Db, ctx: &RequestContext) -> Result<Vec<DealChecklistView>, AppError> {
    let owned = Query::select()
        .column(deal_checklist_item::Column::ChecklistId)
        .from(deal_checklist_item::Entity)
        .and_where(Expr::col(deal_checklist_item::Column::OwnerId).eq(ctx.user_id))
        .to_owned();
    let member_of = Query::select()
        .column(deal_member::Column::DealId)
        .from(deal_member::Entity)
        .and_where(Expr::col(deal_member::Column::UserId).eq(ctx.user_id))
        .to_owned();
    let visible = super::access::visible_deal_ids(ctx);
    let lists = deal_checklist::Entity::find()
        .filter(
            Condition::any().add(deal_checklist::Column::Id.in_subquery(owned)).add(deal_checklist::Column::DealId.in_subquery(member_of)),
        )
        .filter(deal_checklist::Column::DealId.in_subquery(visible))
        .order_by_asc(deal_checklist::Column::Id)
        .all(db)
        .await
        .map_err(db_err)?;
    let mut out = views(db, lists).await?;
    out.sort_by_key(|v| (v.complete, v.overdue == 0));
    Ok(out)
}

fn clean_link(link: Option<String>) -> Result<Option<String>, AppError> {
    let link = crate::domain::validate::optional("link", link, 1000)?;
    if link.as_deref().is_some_and(|l| !(l.starts_with("https://") || l.starts_with("http://")) || l.contains(char::is_whitespace)) {
        return Err(AppError::validation("link", "an http:// or https:// address"));
    }
    Ok(link)
}

/// Tick/untick, assign (owner + due) and annotate (note + link) one item, guarded by the
/// version read. Returns the item's checklist as it is now.
pub async fn edit_item(db: &Db, ctx: &RequestContext, item_id: i32, e: ChecklistItemEdit) -> Result<DealChecklistView, AppError> {
    if let Some((_, Some(due))) = e.assign {
        crate::domain::validate::date("due", due)?;
    }
    let annotate = match e.annotate {
        Some((note, link)) => Some((crate::domain::validate::optional("note", note, 2000)?, clean_link(link)?)),
        None => None,
    };
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    let txn = &w.txn;
    let item = deal_checklist_item::Entity::find_by_id(item_id).one(txn).await.map_err(db_err)?.ok_or(AppError::NotFound)?;
    let list = deal_checklist::Entity::find_by_id(item.checklist_id).one(txn).await.map_err(db_err)?.ok_or(AppError::NotFound)?;
    let d = deal::Entity::find_by_id(list.deal_id).one(txn).await.map_err(db_err)?.ok_or(AppError::NotFound)?;
    // Visibility through the deal: an item id reveals nothing of a deal one cannot see.
    super::access::check(txn, ctx, &d, DealAction::Work).await?;
    let now = Utc::now();
    let mut q = deal_checklist_item::Entity::update_many()
        .col_expr(deal_checklist_item::Column::Version, Expr::col(deal_checklist_item::Column::Version).add(1));
    if let Some(done) = e.done {
        q = q
            .col_expr(deal_checklist_item::Column::Done, Expr::value(done))
            .col_expr(deal_checklist_item::Column::DoneBy, Expr::value(done.then_some(ctx.user_id)))
            .col_expr(deal_checklist_item::Column::DoneAt, Expr::value(done.then_some(now)));
    }
    if let Some((owner, due)) = e.assign {
        let owner_id = match owner {
            None => None,
            Some(u) => Some(super::mapping::active_user(txn, u, "owner").await?.id),
        };
        q = q
            .col_expr(deal_checklist_item::Column::OwnerId, Expr::value(owner_id))
            .col_expr(deal_checklist_item::Column::Due, Expr::value(due));
    }
    if let Some((note, link)) = annotate {
        q = q.col_expr(deal_checklist_item::Column::Note, Expr::value(note)).col_expr(deal_checklist_item::Column::Link, Expr::value(link));
    }
    let res = q
        .filter(deal_checklist_item::Column::Id.eq(item.id))
        .filter(deal_checklist_item::Column::Version.eq(e.version))
        .exec(txn)
        .await
        .map_err(db_err)?;
    if res.rows_affected != 1 {
        return Err(AppError::Conflict);
    }
    let out = views(txn, vec![list]).await?.pop().ok_or(AppError::Internal)?;
    w.commit().await.map_err(db_err)?;
    crate::ssr::events::publish_deal(db, "checklist", &d, ctx.user_id).await;
    Ok(out)
}
