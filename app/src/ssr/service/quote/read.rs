//! Reading quotes: a deal's list, one quote whole with what the viewer may do, the briefs
//! the approvals inbox shows.
use super::{by_uuid, status_of, totals_of};
use crate::domain::access::{may_decide_quote, DealAction};
use crate::domain::error::AppError;
use crate::domain::quote::dto::{QuoteBrief, QuoteLineView, QuoteRights, QuoteRow, QuoteView};
use crate::domain::quote::{next, Approver, HeaderDiscount, QuoteAction, QuoteStatus, Reason};
use crate::ssr::context::RequestContext;
use crate::ssr::db::Db;
use crate::ssr::db_err;
use crate::ssr::entity::{approval, contact, deal, product, quote, quote_line};
use crate::ssr::service::{access, account_names, user_names};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

fn row(q: &quote::Model, deal_uuid: uuid::Uuid) -> QuoteRow {
    QuoteRow {
        id: q.uuid,
        deal_id: deal_uuid,
        number: q.number.clone(),
        revision: q.revision,
        status: status_of(q),
        net_fen: q.net_fen,
        gross_fen: q.gross_fen,
        margin_bp: q.margin_bp,
        discount_bp: q.discount_bp,
        valid_until: q.valid_until,
        updated_at: q.updated_at,
    }
}

fn header(q: &quote::Model) -> HeaderDiscount {
    match q.header_discount_kind.as_str() {
        "percent" => HeaderDiscount::Percent(i32::try_from(q.header_discount_value).unwrap_or(0)),
        "amount" => HeaderDiscount::Amount(q.header_discount_value),
        _ => HeaderDiscount::None,
    }
}

fn reasons(q: &quote::Model) -> Vec<Reason> {
    q.reasons.as_deref().and_then(|r| serde_json::from_str(r).ok()).unwrap_or_default()
}

fn approver(q: &quote::Model) -> Option<Approver> {
    match q.approver.as_deref() {
        Some("manager") => Some(Approver::Manager),
        Some("general_manager") => Some(Approver::GeneralManager),
        _ => None,
    }
}

/// The deal's quotes, newest quote first and its revisions newest first.
pub async fn list_for_deal(db: &Db, ctx: &RequestContext, deal_id: uuid::Uuid) -> Result<Vec<QuoteRow>, AppError> {
    let d = access::visible_deal(db, ctx, deal_id).await?;
    let qs = quote::Entity::find()
        .filter(quote::Column::DealId.eq(d.id))
        .order_by_desc(quote::Column::Seq)
        .order_by_desc(quote::Column::Revision)
        .all(db)
        .await
        .map_err(db_err)?;
    Ok(qs.iter().map(|q| row(q, d.uuid)).collect())
}

/// One quote whole: header, lines, totals, approval, its revisions and the viewer's rights.
pub async fn get(db: &Db, ctx: &RequestContext, id: uuid::Uuid) -> Result<QuoteView, AppError> {
    let q = by_uuid(db, id).await?;
    let d = deal::Entity::find_by_id(q.deal_id).one(db).await.map_err(db_err)?.ok_or(AppError::NotFound)?;
    let team = access::check_with_team(db, ctx, &d, DealAction::View).await?;
    let may_quote = access::allows(ctx, DealAction::Quote, &d, &team);
    let lines = quote_line::Entity::find()
        .filter(quote_line::Column::QuoteId.eq(q.id))
        .order_by_asc(quote_line::Column::Position)
        .all(db)
        .await
        .map_err(db_err)?;
    let pids: Vec<i32> = lines.iter().filter_map(|l| l.product_id).collect();
    let products: HashMap<i32, uuid::Uuid> = product::Entity::find()
        .filter(product::Column::Id.is_in(pids))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|p| (p.id, p.uuid))
        .collect();
    let revisions: Vec<QuoteRow> = quote::Entity::find()
        .filter(quote::Column::DealId.eq(d.id))
        .filter(quote::Column::BaseNumber.eq(q.base_number.clone()))
        .order_by_asc(quote::Column::Revision)
        .all(db)
        .await
        .map_err(db_err)?
        .iter()
        .map(|r| row(r, d.uuid))
        .collect();
    let last_request = approval::Entity::find()
        .filter(approval::Column::QuoteId.eq(q.id))
        .order_by_desc(approval::Column::Id)
        .one(db)
        .await
        .map_err(db_err)?;
    let contact = match q.contact_id {
        Some(cid) => contact::Entity::find_by_id(cid).one(db).await.map_err(db_err)?,
        None => None,
    };
    let mut people: Vec<i32> = vec![d.owner_id, q.created_by];
    people.extend(last_request.as_ref().and_then(|a| a.approver_id));
    let names = user_names(db, people).await?;
    let account = account_names(db, vec![d.account_id]).await?.remove(&d.account_id).unwrap_or_default();
    let status = status_of(&q);
    let allowed = |a: QuoteAction| may_quote && next(status, a).is_ok();
    let pending = last_request.as_ref().filter(|a| a.status == "pending");
    let rights = QuoteRights {
        edit: allowed(QuoteAction::Edit),
        submit: allowed(QuoteAction::Submit) && !lines.is_empty(),
        decide: pending.is_some_and(|a| may_decide_quote(&access::actor(ctx), a.approver_id, a.requested_by)),
        send: allowed(QuoteAction::Send),
        close: allowed(QuoteAction::Accept),
        revise: allowed(QuoteAction::Revise),
    };
    Ok(QuoteView {
        id: q.uuid,
        deal_id: d.uuid,
        deal_name: d.name.clone(),
        account,
        owner: names.get(&d.owner_id).cloned().unwrap_or_default(),
        number: q.number.clone(),
        revision: q.revision,
        status,
        contact_id: contact.as_ref().map(|c| c.uuid),
        contact: contact.map(|c| c.name),
        currency: q.currency.clone(),
        valid_until: q.valid_until,
        payment_terms: q.payment_terms.clone(),
        delivery_terms: q.delivery_terms.clone(),
        notes: q.notes.clone(),
        header_discount: header(&q),
        lines: lines
            .iter()
            .map(|l| QuoteLineView {
                position: l.position,
                product_id: l.product_id.and_then(|p| products.get(&p).copied()),
                code: l.code.clone(),
                description: l.description.clone(),
                unit: l.unit.clone(),
                qty_centi: l.qty_centi,
                unit_price_fen: l.unit_price_fen,
                list_price_fen: l.list_price_fen,
                discount_bp: l.discount_bp,
                tax_bp: l.tax_bp,
                cost_fen: l.cost_fen,
                net_fen: l.net_fen,
                tax_fen: l.tax_fen,
                gross_fen: l.gross_fen,
            })
            .collect(),
        totals: totals_of(&q),
        approver: approver(&q),
        reasons: reasons(&q),
        approval_id: last_request.as_ref().map(|a| a.uuid),
        approver_name: last_request.as_ref().and_then(|a| a.approver_id).and_then(|u| names.get(&u).cloned()),
        decision_comment: last_request.as_ref().and_then(|a| a.comment.clone()),
        created_by: names.get(&q.created_by).cloned().unwrap_or_default(),
        created_at: q.created_at,
        submitted_at: q.submitted_at,
        decided_at: q.decided_at,
        sent_at: q.sent_at,
        closed_at: q.closed_at,
        revisions,
        rights,
        version: q.version,
    })
}

/// The quotes behind approval requests, by quote id (one statement).
pub async fn briefs<C: ConnectionTrait>(db: &C, quote_ids: Vec<i32>) -> Result<HashMap<i32, QuoteBrief>, AppError> {
    if quote_ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(quote::Entity::find()
        .filter(quote::Column::Id.is_in(quote_ids))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|q| {
            let brief = QuoteBrief {
                id: q.uuid,
                number: q.number.clone(),
                status: QuoteStatus::parse(&q.status).unwrap_or(QuoteStatus::Draft),
                net_fen: q.net_fen,
                gross_fen: q.gross_fen,
                discount_bp: q.discount_bp,
                margin_bp: q.margin_bp,
                approver: approver(&q),
                reasons: reasons(&q),
            };
            (q.id, brief)
        })
        .collect())
}
