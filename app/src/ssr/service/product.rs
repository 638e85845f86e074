//! The price list and the quote policy: admins maintain both; everyone who quotes reads the
//! products. A product change never reaches a quote (lines are snapshots).
use super::access::require_admin;
use crate::domain::error::AppError;
use crate::domain::product::csv::{self, ImportAction, ImportLine, ImportReport};
use crate::domain::product::{clean, ProductInput, ProductKind};
use crate::domain::quote::dto::{ProductRow, QuotePolicyView};
use crate::domain::quote::{validate_policy, ApprovalPolicy};
use crate::ssr::context::RequestContext;
use crate::ssr::db::Db;
use crate::ssr::db_err;
use crate::ssr::entity::{product, quote_policy};
use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

/// The defaults of a new database: 10 % discount with the manager, 20 % margin floor,
/// 13 % VAT on goods and 6 % on services, quotes valid 30 days.
pub async fn ensure_policy<C: ConnectionTrait>(db: &C) -> Result<(), sea_orm::DbErr> {
    if quote_policy::Entity::find().one(db).await?.is_none() {
        let d = ApprovalPolicy::default();
        quote_policy::Entity::insert(quote_policy::ActiveModel {
            manager_max_discount_bp: Set(d.manager_max_discount_bp),
            margin_floor_bp: Set(d.margin_floor_bp),
            goods_tax_bp: Set(1300),
            services_tax_bp: Set(600),
            validity_days: Set(30),
            updated_at: Set(Utc::now()),
            version: Set(1),
            ..Default::default()
        })
        .exec(db)
        .await?;
    }
    Ok(())
}

pub async fn policy<C: ConnectionTrait>(db: &C) -> Result<quote_policy::Model, AppError> {
    quote_policy::Entity::find().order_by_asc(quote_policy::Column::Id).one(db).await.map_err(db_err)?.ok_or(AppError::Internal)
}

pub fn policy_view(p: &quote_policy::Model) -> QuotePolicyView {
    QuotePolicyView {
        manager_max_discount_bp: p.manager_max_discount_bp,
        margin_floor_bp: p.margin_floor_bp,
        goods_tax_bp: p.goods_tax_bp,
        services_tax_bp: p.services_tax_bp,
        validity_days: p.validity_days,
        version: p.version,
    }
}

pub fn approval_policy(p: &quote_policy::Model) -> ApprovalPolicy {
    ApprovalPolicy { manager_max_discount_bp: p.manager_max_discount_bp, margin_floor_bp: p.margin_floor_bp }
}

/// Changes the approval thresholds (admins), guarded by the policy's version.
pub async fn set_policy(db: &Db, ctx: &RequestContext, p: ApprovalPolicy, version: i32) -> Result<quote_policy::Model, AppError> {
    require_admin(ctx)?;
    validate_policy(&p)?;
    let cur = policy(db).await?;
    let res = quote_policy::Entity::update_many()
        .col_expr(quote_policy::Column::ManagerMaxDiscountBp, Expr::value(p.manager_max_discount_bp))
        .col_expr(quote_policy::Column::MarginFloorBp, Expr::value(p.margin_floor_bp))
        .col_expr(quote_policy::Column::UpdatedAt, Expr::value(Utc::now()))
        .col_expr(quote_policy::Column::Version, Expr::col(quote_policy::Column::Version).add(1))
        .filter(quote_policy::Column::Id.eq(cur.id))
        .filter(quote_policy::Column::Version.eq(version))
        .exec(db)
        .await
        .map_err(db_err)?;
    if res.rows_affected != 1 {
        return Err(AppError::Conflict);
    }
    policy(db).await
}

pub fn row(p: product::Model) -> ProductRow {
    ProductRow {
        id: p.uuid,
        code: p.code,
        name_en: p.name_en,
        name_zh: p.name_zh,
        kind: ProductKind::parse(&p.kind).unwrap_or(ProductKind::Other),
        unit_en: p.unit_en,
        unit_zh: p.unit_zh,
        currency: p.currency,
        list_price_fen: p.list_price_fen,
        tax_bp: p.tax_bp,
        cost_fen: p.cost_fen,
        active: p.active,
        version: p.version,
    }
}

/// The price list by code; inactive products only when asked (the admin page).
pub async fn list(db: &Db, _ctx: &RequestContext, include_inactive: bool) -> Result<Vec<ProductRow>, AppError> {
    let mut q = product::Entity::find();
    if !include_inactive {
        q = q.filter(product::Column::Active.eq(true));
    }
    Ok(q.order_by_asc(product::Column::Code).all(db).await.map_err(db_err)?.into_iter().map(row).collect())
}

pub async fn get(db: &Db, _ctx: &RequestContext, id: uuid::Uuid) -> Result<ProductRow, AppError> {
    product::Entity::find().filter(product::Column::Uuid.eq(id)).one(db).await.map_err(db_err)?.map(row).ok_or(AppError::NotFound)
}

fn tax_for(input: &ProductInput, pol: &quote_policy::Model) -> i32 {
    input.tax_bp.unwrap_or(if input.kind.is_service() { pol.services_tax_bp } else { pol.goods_tax_bp })
}

async fn code_taken<C: ConnectionTrait>(db: &C, code: &str, except: Option<i32>) -> Result<bool, AppError> {
    let mut q = product::Entity::find().filter(product::Column::Code.eq(code));
    if let Some(id) = except {
        q = q.filter(product::Column::Id.ne(id));
    }
    Ok(q.one(db).await.map_err(db_err)?.is_some())
}

pub async fn create(db: &Db, ctx: &RequestContext, input: ProductInput) -> Result<ProductRow, AppError> {
    require_admin(ctx)?;
    let input = clean(input)?;
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    if code_taken(&*w, &input.code, None).await? {
        return Err(AppError::validation("code", "already in the price list"));
    }
    let pol = policy(&*w).await?;
    let id = insert_in(&*w, &input, &pol).await?;
    let p = product::Entity::find_by_id(id).one(&*w).await.map_err(db_err)?.ok_or(AppError::Internal)?;
    w.commit().await.map_err(db_err)?;
    Ok(row(p))
}

async fn insert_in<C: ConnectionTrait>(db: &C, input: &ProductInput, pol: &quote_policy::Model) -> Result<i32, AppError> {
    let now = Utc::now();
    Ok(product::Entity::insert(product::ActiveModel {
        uuid: Set(uuid::Uuid::new_v4()),
        code: Set(input.code.clone()),
        name_en: Set(input.name_en.clone()),
        name_zh: Set(input.name_zh.clone()),
        kind: Set(input.kind.as_str().into()),
        unit_en: Set(input.unit_en.clone()),
        unit_zh: Set(input.unit_zh.clone()),
        currency: Set("CNY".into()),
        list_price_fen: Set(input.list_price_fen),
        tax_bp: Set(tax_for(input, pol)),
        cost_fen: Set(input.cost_fen),
        active: Set(input.active),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    })
    .exec(db)
    .await
    .map_err(db_err)?
    .last_insert_id)
}

/// Replaces a product's fields under its version; quotes keep what they copied.
pub async fn update(db: &Db, ctx: &RequestContext, id: uuid::Uuid, input: ProductInput, version: i32) -> Result<ProductRow, AppError> {
    require_admin(ctx)?;
    let input = clean(input)?;
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    let p = product::Entity::find().filter(product::Column::Uuid.eq(id)).one(&*w).await.map_err(db_err)?.ok_or(AppError::NotFound)?;
    if code_taken(&*w, &input.code, Some(p.id)).await? {
        return Err(AppError::validation("code", "already in the price list"));
    }
    let pol = policy(&*w).await?;
    update_in(&*w, p.id, &input, &pol, version).await?;
    let p = product::Entity::find_by_id(p.id).one(&*w).await.map_err(db_err)?.ok_or(AppError::Internal)?;
    w.commit().await.map_err(db_err)?;
    Ok(row(p))
}

async fn update_in<C: ConnectionTrait>(
    db: &C,
    id: i32,
    input: &ProductInput,
    pol: &quote_policy::Model,
    version: i32,
) -> Result<(), AppError> {
    let res = product::Entity::update_many()
        .col_expr(product::Column::Code, Expr::value(input.code.clone()))
        .col_expr(product::Column::NameEn, Expr::value(input.name_en.clone()))
        .col_expr(product::Column::NameZh, Expr::value(input.name_zh.clone()))
        .col_expr(product::Column::Kind, Expr::value(input.kind.as_str()))
        .col_expr(product::Column::UnitEn, Expr::value(input.unit_en.clone()))
        .col_expr(product::Column::UnitZh, Expr::value(input.unit_zh.clone()))
        .col_expr(product::Column::ListPriceFen, Expr::value(input.list_price_fen))
        .col_expr(product::Column::TaxBp, Expr::value(tax_for(input, pol)))
        .col_expr(product::Column::CostFen, Expr::value(input.cost_fen))
        .col_expr(product::Column::Active, Expr::value(input.active))
        .col_expr(product::Column::UpdatedAt, Expr::value(Utc::now()))
        .col_expr(product::Column::Version, Expr::col(product::Column::Version).add(1))
        .filter(product::Column::Id.eq(id))
        .filter(product::Column::Version.eq(version))
        .exec(db)
        .await
        .map_err(db_err)?;
    if res.rows_affected != 1 {
        return Err(AppError::Conflict);
    }
    Ok(())
}

/// The whole price list as CSV for Excel (admins: it carries standard costs).
pub async fn export_csv(db: &Db, ctx: &RequestContext) -> Result<String, AppError> {
    require_admin(ctx)?;
    let rows = list(db, ctx, true).await?;
    Ok(crate::domain::csv::to_csv(&csv::COLUMNS, &rows.iter().map(csv::to_cells).collect::<Vec<_>>()))
}

/// Imports a price list CSV, matching products by code: new codes are added, known ones
/// updated, identical ones left alone. `apply` false is the dry run. With any bad row (or a
/// code twice in the file) nothing is written, and the report says which rows and why.
pub async fn import_csv(db: &Db, ctx: &RequestContext, text: &str, apply: bool) -> Result<ImportReport, AppError> {
    require_admin(ctx)?;
    let rows = csv::read(text)?;
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    let pol = policy(&*w).await?;
    let known: HashMap<String, product::Model> =
        product::Entity::find().all(&*w).await.map_err(db_err)?.into_iter().map(|p| (p.code.clone(), p)).collect();
    let mut seen = HashMap::new();
    let mut report = ImportReport::default();
    let mut plan = Vec::new();
    for r in rows {
        let line = |action, changes, error| ImportLine { line: r.line, code: r.code.clone(), action, changes, error };
        let input = match r.product {
            Ok(p) => p,
            Err(e) => {
                report.lines.push(line(ImportAction::Error, vec![], Some(e)));
                continue;
            }
        };
        if let Some(first) = seen.insert(input.code.clone(), r.line) {
            let e = AppError::validation("code", format!("also on line {first}"));
            report.lines.push(line(ImportAction::Error, vec![], Some(e)));
            continue;
        }
        match known.get(&input.code) {
            None => {
                report.lines.push(line(ImportAction::Create, vec![], None));
                plan.push((None, input));
            }
            Some(old) => {
                let changes = csv::changes(&row(old.clone()), &input, tax_for(&ProductInput { tax_bp: None, ..input.clone() }, &pol));
                if changes.is_empty() {
                    report.lines.push(line(ImportAction::Unchanged, vec![], None));
                } else {
                    report.lines.push(line(ImportAction::Update, changes, None));
                    plan.push((Some((old.id, old.version)), input));
                }
            }
        }
    }
    report.count();
    if !apply || report.errors > 0 {
        return Ok(report);
    }
    for (old, input) in &plan {
        match old {
            None => {
                insert_in(&*w, input, &pol).await?;
            }
            Some((id, version)) => update_in(&*w, *id, input, &pol, *version).await?,
        }
    }
    w.commit().await.map_err(db_err)?;
    report.applied = true;
    Ok(report)
}
