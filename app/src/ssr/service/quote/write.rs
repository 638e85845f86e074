//! Creating and saving drafts: lines resolved against the price list (and copied), priced by
//! the domain, header checked, everything written in one transaction.
use super::{by_uuid, status_of, today};
use crate::domain::access::DealAction;
use crate::domain::error::AppError;
use crate::domain::history::HistoryKind;
use crate::domain::locale::Locale;
use crate::domain::quote::dto::{QuoteDraft, QuoteLineInput, QuoteView};
use crate::domain::quote::{format_number, next, price, HeaderDiscount, LineInput, Priced, QuoteAction, QuoteStatus, MAX_LINES};
use crate::domain::validate;
use crate::ssr::context::RequestContext;
use crate::ssr::db::Db;
use crate::ssr::db_err;
use crate::ssr::entity::{contact, deal, deal_contact, product, quote, quote_line, quote_policy};
use crate::ssr::service::{access, history, product as price_list};
use crate::ssr::sql::sequence::{self, Sequence};
use chrono::{Datelike, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use std::collections::HashMap;

/// A line ready to store: the priced input and what it copies from the product.
struct Resolved {
    input: LineInput,
    product_id: Option<i32>,
    code: Option<String>,
    description: String,
    unit: String,
}

/// The draft's checked header and priced lines.
struct Checked {
    lines: Vec<Resolved>,
    priced: Priced,
    contact_id: Option<i32>,
    valid_until: chrono::NaiveDate,
    payment_terms: Option<String>,
    delivery_terms: Option<String>,
    notes: Option<String>,
    header: HeaderDiscount,
}

fn header_parts(h: HeaderDiscount) -> (&'static str, i64) {
    match h {
        HeaderDiscount::None => ("none", 0),
        HeaderDiscount::Percent(bp) => ("percent", i64::from(bp)),
        HeaderDiscount::Amount(fen) => ("amount", fen),
    }
}

/// Products by uuid; a product may be inactive only if the draft already carried it.
async fn resolve_lines<C: ConnectionTrait>(
    db: &C,
    lines: &[QuoteLineInput],
    pol: &quote_policy::Model,
    locale: Locale,
    carried: &[i32],
) -> Result<Vec<Resolved>, AppError> {
    if lines.len() > MAX_LINES {
        return Err(AppError::validation("lines", format!("at most {MAX_LINES} lines")));
    }
    let ids: Vec<uuid::Uuid> = lines.iter().filter_map(|l| l.product_id).collect();
    let products: HashMap<uuid::Uuid, product::Model> = if ids.is_empty() {
        HashMap::new()
    } else {
        product::Entity::find()
            .filter(product::Column::Uuid.is_in(ids))
            .all(db)
            .await
            .map_err(db_err)?
            .into_iter()
            .map(|p| (p.uuid, p))
            .collect()
    };
    let zh = locale == Locale::ZhCn;
    let mut out = Vec::with_capacity(lines.len());
    for (i, l) in lines.iter().enumerate() {
        let f = |name: &str| format!("lines[{i}].{name}");
        let description = validate::optional(&f("description"), l.description.clone(), 2000)?;
        let unit = validate::optional(&f("unit"), l.unit.clone(), 20)?;
        let r = match l.product_id {
            Some(pid) => {
                let p = products.get(&pid).ok_or_else(|| AppError::validation(f("product"), "not in the price list"))?;
                if p.currency != "CNY" {
                    return Err(AppError::validation(f("product"), format!("priced in {}; this quote is in CNY", p.currency)));
                }
                if !p.active && !carried.contains(&p.id) {
                    return Err(AppError::validation(f("product"), "no longer sold"));
                }
                Resolved {
                    input: LineInput {
                        qty_centi: l.qty_centi,
                        unit_price_fen: l.unit_price_fen.unwrap_or(p.list_price_fen),
                        list_price_fen: p.list_price_fen,
                        discount_bp: l.discount_bp,
                        tax_bp: l.tax_bp.unwrap_or(p.tax_bp),
                        cost_fen: p.cost_fen,
                    },
                    product_id: Some(p.id),
                    code: Some(p.code.clone()),
                    description: description.unwrap_or_else(|| if zh { p.name_zh.clone() } else { p.name_en.clone() }),
                    unit: unit.unwrap_or_else(|| if zh { p.unit_zh.clone() } else { p.unit_en.clone() }),
                }
            }
            None => {
                let unit_price =
                    l.unit_price_fen.ok_or_else(|| AppError::validation(f("unit_price"), "is required for a line without a product"))?;
                Resolved {
                    input: LineInput {
                        qty_centi: l.qty_centi,
                        unit_price_fen: unit_price,
                        list_price_fen: unit_price,
                        discount_bp: l.discount_bp,
                        tax_bp: l.tax_bp.unwrap_or(pol.goods_tax_bp),
                        cost_fen: 0,
                    },
                    product_id: None,
                    code: None,
                    description: description
                        .ok_or_else(|| AppError::validation(f("description"), "is required for a line without a product"))?,
                    unit: unit.ok_or_else(|| AppError::validation(f("unit"), "is required for a line without a product"))?,
                }
            }
        };
        out.push(r);
    }
    Ok(out)
}

async fn check_draft<C: ConnectionTrait>(
    db: &C,
    ctx: &RequestContext,
    d: &deal::Model,
    draft: QuoteDraft,
    carried: &[i32],
) -> Result<Checked, AppError> {
    let pol = price_list::policy(db).await?;
    let lines = resolve_lines(db, &draft.lines, &pol, ctx.locale.unwrap_or_default(), carried).await?;
    let inputs: Vec<LineInput> = lines.iter().map(|r| r.input).collect();
    let priced = price(&inputs, draft.header_discount)?;
    let valid_until = match draft.valid_until {
        Some(v) => validate::date("valid_until", v)?,
        None => today() + chrono::Duration::days(i64::from(pol.validity_days)),
    };
    if valid_until < today() {
        return Err(AppError::validation("valid_until", "must not be in the past"));
    }
    let contact_id = match draft.contact_id {
        None => None,
        Some(cid) => {
            let c = contact::Entity::find().filter(contact::Column::Uuid.eq(cid)).one(db).await.map_err(db_err)?;
            let on_map = match &c {
                Some(c) => deal_contact::Entity::find_by_id((d.id, c.id)).one(db).await.map_err(db_err)?.is_some(),
                None => false,
            };
            match c {
                Some(c) if on_map => Some(c.id),
                _ => return Err(AppError::validation("contact_id", "not on this deal's committee map")),
            }
        }
    };
    Ok(Checked {
        lines,
        priced,
        contact_id,
        valid_until,
        payment_terms: validate::optional("payment_terms", draft.payment_terms, 2000)?,
        delivery_terms: validate::optional("delivery_terms", draft.delivery_terms, 2000)?,
        notes: validate::optional("notes", draft.notes, 4000)?,
        header: draft.header_discount,
    })
}

async fn write_lines<C: ConnectionTrait>(db: &C, quote_id: i32, lines: &[Resolved], priced: &Priced) -> Result<(), AppError> {
    quote_line::Entity::delete_many().filter(quote_line::Column::QuoteId.eq(quote_id)).exec(db).await.map_err(db_err)?;
    let rows: Vec<quote_line::ActiveModel> = lines
        .iter()
        .zip(&priced.lines)
        .enumerate()
        .map(|(i, (r, f))| quote_line::ActiveModel {
            quote_id: Set(quote_id),
            position: Set(i as i32 + 1),
            product_id: Set(r.product_id),
            code: Set(r.code.clone()),
            description: Set(r.description.clone()),
            unit: Set(r.unit.clone()),
            qty_centi: Set(r.input.qty_centi),
            unit_price_fen: Set(r.input.unit_price_fen),
            list_price_fen: Set(r.input.list_price_fen),
            discount_bp: Set(r.input.discount_bp),
            tax_bp: Set(r.input.tax_bp),
            cost_fen: Set(r.input.cost_fen),
            net_fen: Set(f.net_fen),
            tax_fen: Set(f.tax_fen),
            gross_fen: Set(f.gross_fen),
            ..Default::default()
        })
        .collect();
    // Chunks keep each statement under SQLite's bound-variable limit.
    for chunk in rows.chunks(100) {
        quote_line::Entity::insert_many(chunk.to_vec()).exec(db).await.map_err(db_err)?;
    }
    Ok(())
}

/// Starts a quote on the deal as a draft with the next number of the year.
pub async fn create(db: &Db, ctx: &RequestContext, deal_id: uuid::Uuid, draft: QuoteDraft) -> Result<QuoteView, AppError> {
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    let d = access::deal_for(&*w, ctx, deal_id, DealAction::Quote).await?;
    let c = check_draft(&*w, ctx, &d, draft, &[]).await?;
    let now = Utc::now();
    let year = today().year();
    let seq = sequence::next(&*w, Sequence::QuoteYear, year).await.map_err(db_err)?;
    let number = format_number(year, seq);
    let (hk, hv) = header_parts(c.header);
    let t = &c.priced.totals;
    let uuid = uuid::Uuid::new_v4();
    let id = quote::Entity::insert(quote::ActiveModel {
        uuid: Set(uuid),
        deal_id: Set(d.id),
        year: Set(year),
        seq: Set(seq),
        revision: Set(1),
        number: Set(number.clone()),
        base_number: Set(number.clone()),
        status: Set(QuoteStatus::Draft.as_str().into()),
        contact_id: Set(c.contact_id),
        currency: Set("CNY".into()),
        valid_until: Set(c.valid_until),
        payment_terms: Set(c.payment_terms.clone()),
        delivery_terms: Set(c.delivery_terms.clone()),
        notes: Set(c.notes.clone()),
        header_discount_kind: Set(hk.into()),
        header_discount_value: Set(hv),
        list_fen: Set(t.list_fen),
        lines_net_fen: Set(t.lines_net_fen),
        header_discount_fen: Set(t.header_discount_fen),
        net_fen: Set(t.net_fen),
        tax_fen: Set(t.tax_fen),
        gross_fen: Set(t.gross_fen),
        cost_fen: Set(t.cost_fen),
        margin_fen: Set(t.margin_fen),
        margin_bp: Set(t.margin_bp),
        discount_bp: Set(t.discount_bp),
        approver: Set(None),
        reasons: Set(None),
        created_by: Set(ctx.user_id),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    })
    .exec(&*w)
    .await
    .map_err(db_err)?
    .last_insert_id;
    write_lines(&*w, id, &c.lines, &c.priced).await?;
    let mut h = history::row(d.id, ctx.user_id, HistoryKind::QuoteCreated);
    h.note = Set(Some(number));
    history::append(&*w, h).await?;
    w.commit().await.map_err(db_err)?;
    crate::ssr::events::publish_deal(db, "quote", &d, ctx.user_id).await;
    super::get(db, ctx, uuid).await
}

/// Saves a draft whole (header and lines) under its version; saving a rejected quote
/// reopens it as a draft.
pub async fn save(db: &Db, ctx: &RequestContext, id: uuid::Uuid, draft: QuoteDraft, version: i32) -> Result<QuoteView, AppError> {
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    let q = by_uuid(&*w, id).await?;
    let d = deal::Entity::find_by_id(q.deal_id).one(&*w).await.map_err(db_err)?.ok_or(AppError::NotFound)?;
    access::check(&*w, ctx, &d, DealAction::Quote).await?;
    if q.version != version {
        return Err(AppError::Conflict);
    }
    let to = next(status_of(&q), QuoteAction::Edit)?;
    let carried: Vec<i32> = quote_line::Entity::find()
        .filter(quote_line::Column::QuoteId.eq(q.id))
        .all(&*w)
        .await
        .map_err(db_err)?
        .into_iter()
        .filter_map(|l| l.product_id)
        .collect();
    let c = check_draft(&*w, ctx, &d, draft, &carried).await?;
    let (hk, hv) = header_parts(c.header);
    let t = &c.priced.totals;
    let res = quote::Entity::update_many()
        .col_expr(quote::Column::Status, Expr::value(to.as_str()))
        .col_expr(quote::Column::ContactId, Expr::value(c.contact_id))
        .col_expr(quote::Column::ValidUntil, Expr::value(c.valid_until))
        .col_expr(quote::Column::PaymentTerms, Expr::value(c.payment_terms.clone()))
        .col_expr(quote::Column::DeliveryTerms, Expr::value(c.delivery_terms.clone()))
        .col_expr(quote::Column::Notes, Expr::value(c.notes.clone()))
        .col_expr(quote::Column::HeaderDiscountKind, Expr::value(hk))
        .col_expr(quote::Column::HeaderDiscountValue, Expr::value(hv))
        .col_expr(quote::Column::ListFen, Expr::value(t.list_fen))
        .col_expr(quote::Column::LinesNetFen, Expr::value(t.lines_net_fen))
        .col_expr(quote::Column::HeaderDiscountFen, Expr::value(t.header_discount_fen))
        .col_expr(quote::Column::NetFen, Expr::value(t.net_fen))
        .col_expr(quote::Column::TaxFen, Expr::value(t.tax_fen))
        .col_expr(quote::Column::GrossFen, Expr::value(t.gross_fen))
        .col_expr(quote::Column::CostFen, Expr::value(t.cost_fen))
        .col_expr(quote::Column::MarginFen, Expr::value(t.margin_fen))
        .col_expr(quote::Column::MarginBp, Expr::value(t.margin_bp))
        .col_expr(quote::Column::DiscountBp, Expr::value(t.discount_bp))
        .col_expr(quote::Column::UpdatedAt, Expr::value(Utc::now()))
        .col_expr(quote::Column::Version, Expr::col(quote::Column::Version).add(1))
        .filter(quote::Column::Id.eq(q.id))
        .filter(quote::Column::Version.eq(version))
        .exec(&*w)
        .await
        .map_err(db_err)?;
    if res.rows_affected != 1 {
        return Err(AppError::Conflict);
    }
    write_lines(&*w, q.id, &c.lines, &c.priced).await?;
    w.commit().await.map_err(db_err)?;
    crate::ssr::events::publish_deal(db, "quote", &d, ctx.user_id).await;
    super::get(db, ctx, id).await
}
