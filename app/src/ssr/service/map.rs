//! The buying-committee map of a deal (决策树): read with warnings and layout, replace the
//! whole map, drag a person under another, edit one person inline, add and remove people.
//! Every rule is `domain::committee`; this module loads, checks visibility and stores.
use super::access::visible_deal;
use crate::domain::access::DealAction;
use crate::domain::committee::{self, Attitude, ContactRole, MapError, MapNode};
use crate::domain::dto::{ContactRow, DealMap, MapPerson, MapPersonEdit, MapPersonInput, MapWarningRow, NewContact};
use crate::domain::error::AppError;
use crate::domain::locale::Locale;
use crate::ssr::context::RequestContext;
use crate::ssr::db::Db;
use crate::ssr::db_err;
use crate::ssr::entity::{account, contact, deal, deal_contact};
use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

fn to_node(m: &deal_contact::Model) -> MapNode {
    MapNode {
        contact_id: m.contact_id,
        reports_to: m.reports_to_contact_id,
        role: m.role.as_deref().and_then(ContactRole::parse),
        influence_pct: m.influence_pct,
        attitude: Attitude::parse(&m.attitude).unwrap_or_default(),
        relationship: u8::try_from(m.relationship.clamp(0, 255)).unwrap_or(0),
        last_contact: m.last_contact,
    }
}

/// The stored map in a stable order (insertion order of contacts), as the gate sees it.
pub async fn rows<C: ConnectionTrait>(db: &C, deal_id: i32) -> Result<Vec<deal_contact::Model>, AppError> {
    deal_contact::Entity::find()
        .filter(deal_contact::Column::DealId.eq(deal_id))
        .order_by_asc(deal_contact::Column::ContactId)
        .all(db)
        .await
        .map_err(db_err)
}

/// The map as `committee::MapNode`s, for the gate.
pub async fn gate_map<C: ConnectionTrait>(db: &C, deal_id: i32) -> Result<Vec<MapNode>, AppError> {
    Ok(rows(db, deal_id).await?.iter().map(to_node).collect())
}

fn locale(ctx: &RequestContext) -> Locale {
    ctx.locale.unwrap_or_default()
}

/// A refused map as a validation error on the field the form marks, in the user's language.
fn map_error(e: &MapError, l: Locale, names: &HashMap<i32, contact::Model>) -> AppError {
    let field = match e {
        MapError::UnknownContact(_) | MapError::SelfReport(_) | MapError::Cycle(_) => "reports_to",
        MapError::DuplicateContact(_) => "contact_id",
        MapError::WeightOutOfRange { .. } => "influence_pct",
        MapError::RelationshipOutOfRange { .. } => "relationship",
    };
    AppError::validation(field, e.message(l, |id| names.get(&id).map_or_else(|| format!("#{id}"), |c| c.name.clone())))
}

fn parse_role(code: Option<&str>) -> Result<Option<ContactRole>, AppError> {
    match code.map(str::trim).filter(|c| !c.is_empty()) {
        None => Ok(None),
        Some(c) => ContactRole::parse(c).map(Some).ok_or_else(|| AppError::validation("role", format!("unknown role {c}"))),
    }
}

fn parse_attitude(code: Option<&str>) -> Result<Attitude, AppError> {
    match code.map(str::trim).filter(|c| !c.is_empty()) {
        None => Ok(Attitude::Neutral),
        Some(c) => Attitude::parse(c).ok_or_else(|| AppError::validation("attitude", "use supporter, neutral or opponent")),
    }
}

async fn contacts_by_id<C: ConnectionTrait>(db: &C, ids: Vec<i32>) -> Result<HashMap<i32, contact::Model>, AppError> {
    Ok(contact::Entity::find()
        .filter(contact::Column::Id.is_in(ids))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|c| (c.id, c))
        .collect())
}

/// A contact that may join this deal's map: one of the deal's account, or of another account
/// the user can see (a consultant or a group buyer sits on several committees).
async fn usable_contact<C: ConnectionTrait>(
    db: &C,
    ctx: &RequestContext,
    d: &deal::Model,
    id: uuid::Uuid,
) -> Result<contact::Model, AppError> {
    let c = contact::Entity::find()
        .filter(contact::Column::Uuid.eq(id))
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or_else(|| AppError::validation("contact_id", "no such contact"))?;
    if c.account_id != d.account_id {
        let a = account::Entity::find_by_id(c.account_id).one(db).await.map_err(db_err)?.ok_or(AppError::Internal)?;
        super::account::visible(db, ctx, a.uuid).await.map_err(|_| AppError::validation("contact_id", "no such contact"))?;
    }
    Ok(c)
}

/// The map as the page draws it.
pub async fn get(db: &Db, ctx: &RequestContext, deal: uuid::Uuid) -> Result<DealMap, AppError> {
    let d = visible_deal(db, ctx, deal).await?;
    view(db, &d).await
}

async fn view<C: ConnectionTrait>(db: &C, d: &deal::Model) -> Result<DealMap, AppError> {
    let rows = rows(db, d.id).await?;
    let nodes: Vec<MapNode> = rows.iter().map(to_node).collect();
    let contacts = contacts_by_id(db, rows.iter().map(|r| r.contact_id).collect()).await?;
    let uuid_of = |id: i32| contacts.get(&id).map(|c| c.uuid);
    let name = |id: i32| contacts.get(&id).map_or_else(|| format!("#{id}"), |c| c.name.clone());
    let placed: HashMap<i32, (u32, u32)> = committee::layout(&nodes).into_iter().map(|(id, depth, col)| (id, (depth, col))).collect();
    let today = Utc::now().with_timezone(&crate::domain::forecast::offset()).date_naive();
    let warnings = committee::warnings(&nodes, today)
        .into_iter()
        .map(|w| MapWarningRow {
            code: w.code().into(),
            contact_id: w.contact_id().and_then(uuid_of),
            message_en: w.message(Locale::En, name),
            message_zh: w.message(Locale::ZhCn, name),
        })
        .collect();
    let mut people = Vec::with_capacity(rows.len());
    for r in &rows {
        let Some(c) = contacts.get(&r.contact_id) else { continue };
        let (depth, column) = placed.get(&r.contact_id).copied().unwrap_or((0, 0));
        let n = to_node(r);
        people.push(MapPerson {
            contact_id: c.uuid,
            name: c.name.clone(),
            title: c.title.clone(),
            department: c.department.clone(),
            reports_to: r.reports_to_contact_id.and_then(uuid_of),
            role: n.role.map(|x| x.code().to_owned()),
            influence_pct: n.influence_pct,
            attitude: n.attitude.code().into(),
            relationship: n.relationship,
            last_contact: n.last_contact,
            version: r.version,
            depth,
            column,
        });
    }
    let acct = account::Entity::find_by_id(d.account_id).one(db).await.map_err(db_err)?.ok_or(AppError::Internal)?;
    let candidates = contact::Entity::find()
        .filter(contact::Column::AccountId.eq(d.account_id))
        .order_by_asc(contact::Column::Name)
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .filter(|c| !contacts.contains_key(&c.id))
        .map(|c| ContactRow {
            id: c.uuid,
            account_id: acct.uuid,
            name: c.name,
            title: c.title,
            department: c.department,
            phone: c.phone,
            email: c.email,
            version: c.version,
        })
        .collect();
    Ok(DealMap { deal_id: d.uuid, people, warnings, candidates })
}

/// Replaces the whole map (REST PUT, import). Validated as a whole: a loop is refused with
/// the domain's sentence naming the people in it. People already on the map keep counting
/// their versions so a concurrent inline edit of them sees a conflict.
pub async fn put(db: &Db, ctx: &RequestContext, deal: uuid::Uuid, input: Vec<MapPersonInput>) -> Result<DealMap, AppError> {
    // A buying committee is a few dozen people; each is looked up below.
    crate::domain::validate::list_len("people", &input, 200)?;
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    let txn = &w.txn;
    let d = super::access::deal_for(txn, ctx, deal, DealAction::Work).await?;
    let mut by_uuid: HashMap<uuid::Uuid, contact::Model> = HashMap::new();
    for p in &input {
        if let std::collections::hash_map::Entry::Vacant(e) = by_uuid.entry(p.contact_id) {
            e.insert(usable_contact(txn, ctx, &d, p.contact_id).await?);
        }
    }
    let mut nodes = Vec::with_capacity(input.len());
    for p in &input {
        let id = by_uuid.get(&p.contact_id).map(|c| c.id).ok_or(AppError::Internal)?;
        // A boss who is not on the map becomes -1, which validate reports as unknown.
        let reports_to = p.reports_to.map(|u| by_uuid.get(&u).map_or(-1, |c| c.id));
        nodes.push(MapNode {
            contact_id: id,
            reports_to,
            role: parse_role(p.role.as_deref())?,
            influence_pct: p.influence_pct,
            attitude: parse_attitude(p.attitude.as_deref())?,
            relationship: p.relationship.unwrap_or(3),
            last_contact: p.last_contact,
        });
    }
    let names: HashMap<i32, contact::Model> = by_uuid.into_values().map(|c| (c.id, c)).collect();
    committee::validate(&nodes).map_err(|e| match e {
        MapError::UnknownContact(-1) => AppError::validation("reports_to", "reports to someone who is not on the map"),
        e => map_error(&e, locale(ctx), &names),
    })?;
    let old: HashMap<i32, i32> = rows(txn, d.id).await?.into_iter().map(|r| (r.contact_id, r.version)).collect();
    deal_contact::Entity::delete_many().filter(deal_contact::Column::DealId.eq(d.id)).exec(txn).await.map_err(db_err)?;
    let now = Utc::now();
    let models: Vec<deal_contact::ActiveModel> = nodes
        .iter()
        .map(|n| deal_contact::ActiveModel {
            deal_id: Set(d.id),
            contact_id: Set(n.contact_id),
            reports_to_contact_id: Set(n.reports_to),
            role: Set(n.role.map(|r| r.code().to_owned())),
            influence_pct: Set(n.influence_pct),
            attitude: Set(n.attitude.code().into()),
            relationship: Set(i16::from(n.relationship)),
            last_contact: Set(n.last_contact),
            version: Set(old.get(&n.contact_id).map_or(1, |v| v + 1)),
            updated_at: Set(now),
        })
        .collect();
    if !models.is_empty() {
        deal_contact::Entity::insert_many(models).exec_without_returning(txn).await.map_err(db_err)?;
    }
    let out = view(txn, &d).await?;
    w.commit().await.map_err(db_err)?;
    crate::ssr::events::publish_deal(db, "map", &d, ctx.user_id).await;
    Ok(out)
}

/// Bumps one person's row, guarded by the version read; a missing row is NotFound.
async fn guarded_update<C: ConnectionTrait>(
    db: &C,
    deal_id: i32,
    contact_id: i32,
    version: i32,
    q: sea_orm::UpdateMany<deal_contact::Entity>,
) -> Result<(), AppError> {
    let res = q
        .col_expr(deal_contact::Column::UpdatedAt, Expr::value(Utc::now()))
        .col_expr(deal_contact::Column::Version, Expr::col(deal_contact::Column::Version).add(1))
        .filter(deal_contact::Column::DealId.eq(deal_id))
        .filter(deal_contact::Column::ContactId.eq(contact_id))
        .filter(deal_contact::Column::Version.eq(version))
        .exec(db)
        .await
        .map_err(db_err)?;
    if res.rows_affected == 1 {
        Ok(())
    } else {
        Err(AppError::Conflict)
    }
}

/// The drag (or the "reports to…" menu): `contact` now reports to `reports_to` (None: to
/// nobody). A loop is refused and nothing changes.
pub async fn set_reports_to(
    db: &Db,
    ctx: &RequestContext,
    deal: uuid::Uuid,
    contact: uuid::Uuid,
    reports_to: Option<uuid::Uuid>,
    version: i32,
) -> Result<DealMap, AppError> {
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    let txn = &w.txn;
    let d = super::access::deal_for(txn, ctx, deal, DealAction::Work).await?;
    let rows = rows(txn, d.id).await?;
    let contacts = contacts_by_id(txn, rows.iter().map(|r| r.contact_id).collect()).await?;
    let id_of = |u: uuid::Uuid| contacts.values().find(|c| c.uuid == u).map(|c| c.id);
    let child = id_of(contact).ok_or(AppError::NotFound)?;
    let parent = match reports_to {
        None => None,
        Some(u) => Some(id_of(u).ok_or_else(|| AppError::validation("reports_to", "that person is not on the map"))?),
    };
    let mut nodes: Vec<MapNode> = rows.iter().map(to_node).collect();
    committee::set_reports_to(&mut nodes, child, parent).map_err(|e| map_error(&e, locale(ctx), &contacts))?;
    let q = deal_contact::Entity::update_many().col_expr(deal_contact::Column::ReportsToContactId, Expr::value(parent));
    guarded_update(txn, d.id, child, version, q).await?;
    let out = view(txn, &d).await?;
    w.commit().await.map_err(db_err)?;
    crate::ssr::events::publish_deal(db, "map", &d, ctx.user_id).await;
    Ok(out)
}

/// The inline edit of one person: role, weight, attitude, relationship, last contact.
pub async fn update_person(db: &Db, ctx: &RequestContext, deal: uuid::Uuid, e: MapPersonEdit) -> Result<DealMap, AppError> {
    let role = parse_role(e.role.as_deref())?;
    let attitude = parse_attitude(Some(&e.attitude))?;
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    let txn = &w.txn;
    let d = super::access::deal_for(txn, ctx, deal, DealAction::Work).await?;
    let c =
        contact::Entity::find().filter(contact::Column::Uuid.eq(e.contact_id)).one(txn).await.map_err(db_err)?.ok_or(AppError::NotFound)?;
    let node = MapNode {
        contact_id: c.id,
        reports_to: None,
        role,
        influence_pct: e.influence_pct,
        attitude,
        relationship: e.relationship,
        last_contact: e.last_contact,
    };
    // The per-person checks of `validate` (weight and relationship ranges).
    committee::validate(std::slice::from_ref(&node)).map_err(|err| map_error(&err, locale(ctx), &HashMap::from([(c.id, c.clone())])))?;
    let on_map = rows(txn, d.id).await?.iter().any(|r| r.contact_id == c.id);
    if !on_map {
        return Err(AppError::NotFound);
    }
    let q = deal_contact::Entity::update_many()
        .col_expr(deal_contact::Column::Role, Expr::value(role.map(|r| r.code().to_owned())))
        .col_expr(deal_contact::Column::InfluencePct, Expr::value(node.influence_pct))
        .col_expr(deal_contact::Column::Attitude, Expr::value(attitude.code()))
        .col_expr(deal_contact::Column::Relationship, Expr::value(i16::from(node.relationship)))
        .col_expr(deal_contact::Column::LastContact, Expr::value(node.last_contact));
    guarded_update(txn, d.id, c.id, e.version, q).await?;
    let out = view(txn, &d).await?;
    w.commit().await.map_err(db_err)?;
    crate::ssr::events::publish_deal(db, "map", &d, ctx.user_id).await;
    Ok(out)
}

/// Puts an existing contact on the map (neutral, weight 0, relationship 3).
pub async fn add_person(
    db: &Db,
    ctx: &RequestContext,
    deal: uuid::Uuid,
    contact: uuid::Uuid,
    reports_to: Option<uuid::Uuid>,
) -> Result<DealMap, AppError> {
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    let txn = &w.txn;
    let d = super::access::deal_for(txn, ctx, deal, DealAction::Work).await?;
    add_in(txn, ctx, &d, contact, reports_to).await?;
    let out = view(txn, &d).await?;
    w.commit().await.map_err(db_err)?;
    crate::ssr::events::publish_deal(db, "map", &d, ctx.user_id).await;
    Ok(out)
}

/// The map row of [`add_person`], inside the caller's transaction.
async fn add_in<C: ConnectionTrait>(
    txn: &C,
    ctx: &RequestContext,
    d: &deal::Model,
    contact: uuid::Uuid,
    reports_to: Option<uuid::Uuid>,
) -> Result<(), AppError> {
    let c = usable_contact(txn, ctx, d, contact).await?;
    let rows = rows(txn, d.id).await?;
    if rows.iter().any(|r| r.contact_id == c.id) {
        return Err(AppError::validation("contact_id", format!("{} is already on the map", c.name)));
    }
    let parent = match reports_to {
        None => None,
        Some(u) => {
            let p = contact::Entity::find().filter(contact::Column::Uuid.eq(u)).one(txn).await.map_err(db_err)?;
            let p = p.filter(|p| rows.iter().any(|r| r.contact_id == p.id));
            Some(p.ok_or_else(|| AppError::validation("reports_to", "that person is not on the map"))?.id)
        }
    };
    deal_contact::Entity::insert(deal_contact::ActiveModel {
        deal_id: Set(d.id),
        contact_id: Set(c.id),
        reports_to_contact_id: Set(parent),
        role: Set(None),
        influence_pct: Set(0),
        attitude: Set(Attitude::Neutral.code().into()),
        relationship: Set(3),
        last_contact: Set(None),
        version: Set(1),
        updated_at: Set(Utc::now()),
    })
    .exec_without_returning(txn)
    .await
    .map_err(db_err)?;
    Ok(())
}

/// Creates a contact on the deal's account and puts it on the map in one transaction: a
/// refused add (a boss not on the map, a user who may not work the deal) leaves no contact
/// behind.
pub async fn create_person(
    db: &Db,
    ctx: &RequestContext,
    deal: uuid::Uuid,
    new: NewContact,
    reports_to: Option<uuid::Uuid>,
) -> Result<DealMap, AppError> {
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    let txn = &w.txn;
    let d = super::access::deal_for(txn, ctx, deal, DealAction::Work).await?;
    let acct = account::Entity::find_by_id(d.account_id).one(txn).await.map_err(db_err)?.ok_or(AppError::Internal)?;
    let c = super::account::contacts::insert(txn, ctx, &acct, new).await?;
    add_in(txn, ctx, &d, c.id, reports_to).await?;
    let out = view(txn, &d).await?;
    w.commit().await.map_err(db_err)?;
    crate::ssr::events::publish_deal(db, "map", &d, ctx.user_id).await;
    crate::ssr::events::publish_account(db, crate::ssr::events::AccountChange::Contact, &acct, ctx.user_id).await;
    Ok(out)
}

/// Takes a person off the map; whoever reported to them now reports to their boss.
pub async fn remove_person(db: &Db, ctx: &RequestContext, deal: uuid::Uuid, contact: uuid::Uuid) -> Result<DealMap, AppError> {
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    let txn = &w.txn;
    let d = super::access::deal_for(txn, ctx, deal, DealAction::Work).await?;
    let c = contact::Entity::find().filter(contact::Column::Uuid.eq(contact)).one(txn).await.map_err(db_err)?.ok_or(AppError::NotFound)?;
    let rows = rows(txn, d.id).await?;
    let gone = rows.iter().find(|r| r.contact_id == c.id).ok_or(AppError::NotFound)?;
    deal_contact::Entity::update_many()
        .col_expr(deal_contact::Column::ReportsToContactId, Expr::value(gone.reports_to_contact_id))
        .col_expr(deal_contact::Column::Version, Expr::col(deal_contact::Column::Version).add(1))
        .filter(deal_contact::Column::DealId.eq(d.id))
        .filter(deal_contact::Column::ReportsToContactId.eq(c.id))
        .exec(txn)
        .await
        .map_err(db_err)?;
    deal_contact::Entity::delete_many()
        .filter(deal_contact::Column::DealId.eq(d.id))
        .filter(deal_contact::Column::ContactId.eq(c.id))
        .exec(txn)
        .await
        .map_err(db_err)?;
    let out = view(txn, &d).await?;
    w.commit().await.map_err(db_err)?;
    crate::ssr::events::publish_deal(db, "map", &d, ctx.user_id).await;
    Ok(out)
}
