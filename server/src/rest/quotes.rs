//! Quotes: a deal's list, create, read, save the draft, submit, send, the customer's answer
//! and revise. Decisions go through `/approvals/{id}/decision` like every approval. Money is
//! in minor units (fen), rates and discounts in basis points, quantities as decimal text.
use super::{ApiResult, Problem};
use app::domain::error::AppError;
use app::domain::quote::dto::{QuoteDraft, QuoteLineInput, QuoteOutcome, QuoteRow, QuoteView};
use app::domain::quote::{format_qty, parse_qty, HeaderDiscount, Reason};
use app::ssr::context::RequestContext;
use app::ssr::service;
use app::ssr::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(deal_quotes, create_quote))
        .routes(routes!(quote, save_quote_whole, patch_quote))
        .routes(routes!(submit_quote))
        .routes(routes!(send_quote))
        .routes(routes!(accept_quote))
        .routes(routes!(decline_quote))
        .routes(routes!(revise_quote))
}

/// `none`, `percent` (value in basis points) or `amount` (value in minor units).
#[derive(Serialize, Deserialize, ToSchema)]
pub struct HeaderDiscountIo {
    kind: String,
    value: i64,
}

impl From<HeaderDiscount> for HeaderDiscountIo {
    fn from(h: HeaderDiscount) -> Self {
        match h {
            HeaderDiscount::None => HeaderDiscountIo { kind: "none".into(), value: 0 },
            HeaderDiscount::Percent(bp) => HeaderDiscountIo { kind: "percent".into(), value: i64::from(bp) },
            HeaderDiscount::Amount(fen) => HeaderDiscountIo { kind: "amount".into(), value: fen },
        }
    }
}

impl TryFrom<HeaderDiscountIo> for HeaderDiscount {
    type Error = AppError;
    fn try_from(h: HeaderDiscountIo) -> Result<Self, AppError> {
        match h.kind.as_str() {
            "none" => Ok(HeaderDiscount::None),
            "percent" => i32::try_from(h.value)
                .map(HeaderDiscount::Percent)
                .map_err(|_| AppError::validation("header_discount", "must be between 0 and 100 %")),
            "amount" => Ok(HeaderDiscount::Amount(h.value)),
            _ => Err(AppError::validation("header_discount.kind", "use none, percent or amount")),
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct QuoteLineIn {
    /// A product of the price list; without one, description, unit and unit price are required.
    product_id: Option<Uuid>,
    description: Option<String>,
    unit: Option<String>,
    /// Decimal text with up to two decimals: "2.5".
    quantity: String,
    /// Default: the product's list price.
    unit_price_minor: Option<i64>,
    /// Line discount in basis points (1200 = 12 %).
    discount_bp: Option<i32>,
    /// Default: the product's rate, or the goods rate for a free-text line.
    tax_bp: Option<i32>,
}

#[derive(Deserialize, ToSchema)]
pub struct QuoteIn {
    /// A person on the deal's committee map.
    contact_id: Option<Uuid>,
    /// Default: today plus the policy's validity days.
    valid_until: Option<NaiveDate>,
    payment_terms: Option<String>,
    delivery_terms: Option<String>,
    notes: Option<String>,
    header_discount: Option<HeaderDiscountIo>,
    #[serde(default)]
    lines: Vec<QuoteLineIn>,
}

/// Read by [`super::versioned`] (the flattened part's errors name their field); the derive
/// gives the document its schema.
#[derive(ToSchema)]
pub struct QuoteSave {
    #[serde(flatten)]
    quote: QuoteIn,
    version: i32,
}

impl<'de> Deserialize<'de> for QuoteSave {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (quote, version) = super::versioned(d)?;
        Ok(QuoteSave { quote, version })
    }
}

#[derive(Deserialize, ToSchema)]
pub struct VersionIn {
    version: i32,
}

#[derive(Deserialize, ToSchema)]
pub struct AcceptIn {
    version: i32,
    /// Set the deal's amount to the quote's total (tax included). Default true.
    set_deal_amount: Option<bool>,
}

fn lines_in(lines_in: Vec<QuoteLineIn>) -> Result<Vec<QuoteLineInput>, AppError> {
    let mut lines = Vec::with_capacity(lines_in.len());
    for (i, l) in lines_in.into_iter().enumerate() {
        lines.push(QuoteLineInput {
            product_id: l.product_id,
            description: l.description,
            unit: l.unit,
            qty_centi: parse_qty(&format!("lines[{i}].quantity"), &l.quantity)?,
            unit_price_fen: l.unit_price_minor,
            discount_bp: l.discount_bp.unwrap_or(0),
            tax_bp: l.tax_bp,
        });
    }
    Ok(lines)
}

fn draft(q: QuoteIn) -> Result<QuoteDraft, AppError> {
    let lines = lines_in(q.lines)?;
    Ok(QuoteDraft {
        contact_id: q.contact_id,
        valid_until: q.valid_until,
        payment_terms: q.payment_terms,
        delivery_terms: q.delivery_terms,
        notes: q.notes,
        header_discount: q.header_discount.map(HeaderDiscount::try_from).transpose()?.unwrap_or_default(),
        lines,
    })
}

#[derive(Serialize, ToSchema)]
pub struct QuoteLineOut {
    position: i32,
    product_id: Option<Uuid>,
    code: Option<String>,
    description: String,
    unit: String,
    quantity: String,
    unit_price_minor: i64,
    list_price_minor: i64,
    discount_bp: i32,
    tax_bp: i32,
    net_minor: i64,
    tax_minor: i64,
    gross_minor: i64,
}

#[derive(Serialize, ToSchema)]
pub struct QuoteTotalsOut {
    list_minor: i64,
    lines_net_minor: i64,
    header_discount_minor: i64,
    net_minor: i64,
    tax_minor: i64,
    gross_minor: i64,
    cost_minor: i64,
    margin_minor: i64,
    margin_bp: i64,
    /// The effective discount against list prices.
    discount_bp: i64,
}

#[derive(Serialize, ToSchema)]
pub struct QuoteSummaryOut {
    id: Uuid,
    deal_id: Uuid,
    number: String,
    revision: i32,
    /// draft | submitted | approved | rejected | sent | accepted | declined | expired | superseded
    status: String,
    net_minor: i64,
    gross_minor: i64,
    margin_bp: i64,
    discount_bp: i64,
    valid_until: NaiveDate,
    updated_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct QuoteOut {
    id: Uuid,
    deal_id: Uuid,
    number: String,
    revision: i32,
    status: String,
    contact_id: Option<Uuid>,
    currency: String,
    valid_until: NaiveDate,
    payment_terms: Option<String>,
    delivery_terms: Option<String>,
    notes: Option<String>,
    header_discount: HeaderDiscountIo,
    lines: Vec<QuoteLineOut>,
    totals: QuoteTotalsOut,
    /// manager | general_manager, set at submission.
    approver: Option<String>,
    /// Why that approver: within_manager_limit | discount_above | margin_below.
    reasons: Vec<String>,
    /// The latest approval request of this revision (decide it under /approvals).
    approval_id: Option<Uuid>,
    revisions: Vec<QuoteSummaryOut>,
    /// The printable A4 page.
    print_url: String,
    version: i32,
}

fn summary_out(r: QuoteRow) -> QuoteSummaryOut {
    QuoteSummaryOut {
        id: r.id,
        deal_id: r.deal_id,
        number: r.number,
        revision: r.revision,
        status: r.status.as_str().into(),
        net_minor: r.net_fen,
        gross_minor: r.gross_fen,
        margin_bp: r.margin_bp,
        discount_bp: r.discount_bp,
        valid_until: r.valid_until,
        updated_at: r.updated_at,
    }
}

fn reason_code(r: &Reason) -> String {
    match r {
        Reason::WithinManagerLimit { .. } => "within_manager_limit",
        Reason::DiscountAbove { .. } => "discount_above",
        Reason::MarginBelow { .. } => "margin_below",
    }
    .into()
}

fn quote_out(q: QuoteView) -> QuoteOut {
    let t = q.totals;
    QuoteOut {
        id: q.id,
        deal_id: q.deal_id,
        number: q.number,
        revision: q.revision,
        status: q.status.as_str().into(),
        contact_id: q.contact_id,
        currency: q.currency,
        valid_until: q.valid_until,
        payment_terms: q.payment_terms,
        delivery_terms: q.delivery_terms,
        notes: q.notes,
        header_discount: q.header_discount.into(),
        lines: q
            .lines
            .into_iter()
            .map(|l| QuoteLineOut {
                position: l.position,
                product_id: l.product_id,
                code: l.code,
                description: l.description,
                unit: l.unit,
                quantity: format_qty(l.qty_centi),
                unit_price_minor: l.unit_price_fen,
                list_price_minor: l.list_price_fen,
                discount_bp: l.discount_bp,
                tax_bp: l.tax_bp,
                net_minor: l.net_fen,
                tax_minor: l.tax_fen,
                gross_minor: l.gross_fen,
            })
            .collect(),
        totals: QuoteTotalsOut {
            list_minor: t.list_fen,
            lines_net_minor: t.lines_net_fen,
            header_discount_minor: t.header_discount_fen,
            net_minor: t.net_fen,
            tax_minor: t.tax_fen,
            gross_minor: t.gross_fen,
            cost_minor: t.cost_fen,
            margin_minor: t.margin_fen,
            margin_bp: t.margin_bp,
            discount_bp: t.discount_bp,
        },
        approver: q.approver.map(|a| a.as_str().into()),
        reasons: q.reasons.iter().map(reason_code).collect(),
        approval_id: q.approval_id,
        revisions: q.revisions.into_iter().map(summary_out).collect(),
        print_url: format!("/quotes/{}/print", q.id),
        version: q.version,
    }
}

#[utoipa::path(get, path = "/api/v1/deals/{id}/quotes", params(("id" = Uuid, Path)),
    responses((status = 200, body = [QuoteSummaryOut]), (status = 404, body = Problem)), security(("bearer" = [])))]
pub async fn deal_quotes(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<Vec<QuoteSummaryOut>>> {
    Ok(Json(service::quote::list_for_deal(&state.db, &ctx, id).await?.into_iter().map(summary_out).collect()))
}

#[utoipa::path(post, path = "/api/v1/deals/{id}/quotes", params(("id" = Uuid, Path)), request_body = QuoteIn,
    responses((status = 201, body = QuoteOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn create_quote(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
    Json(q): Json<QuoteIn>,
) -> ApiResult<(StatusCode, Json<QuoteOut>)> {
    Ok((StatusCode::CREATED, Json(quote_out(service::quote::create(&state.db, &ctx, id, draft(q)?).await?))))
}

#[utoipa::path(get, path = "/api/v1/quotes/{id}", params(("id" = Uuid, Path)),
    responses((status = 200, body = QuoteOut), (status = 404, body = Problem)), security(("bearer" = [])))]
pub async fn quote(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<QuoteOut>> {
    Ok(Json(quote_out(service::quote::get(&state.db, &ctx, id).await?)))
}

#[utoipa::path(put, path = "/api/v1/quotes/{id}", params(("id" = Uuid, Path)), request_body = QuoteSave,
    responses((status = 200, body = QuoteOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem, description = "invalid lines or header, or the quote is locked")),
    security(("bearer" = [])))]
pub async fn save_quote_whole(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
    Json(q): Json<QuoteSave>,
) -> ApiResult<Json<QuoteOut>> {
    Ok(Json(quote_out(service::quote::save(&state.db, &ctx, id, draft(q.quote)?, q.version).await?)))
}

#[utoipa::path(post, path = "/api/v1/quotes/{id}/submit", params(("id" = Uuid, Path)), request_body = VersionIn,
    responses((status = 200, body = QuoteOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn submit_quote(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
    Json(v): Json<VersionIn>,
) -> ApiResult<Json<QuoteOut>> {
    Ok(Json(quote_out(service::quote::submit(&state.db, &ctx, id, v.version).await?)))
}

#[utoipa::path(post, path = "/api/v1/quotes/{id}/send", params(("id" = Uuid, Path)), request_body = VersionIn,
    responses((status = 200, body = QuoteOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn send_quote(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
    Json(v): Json<VersionIn>,
) -> ApiResult<Json<QuoteOut>> {
    Ok(Json(quote_out(service::quote::send(&state.db, &ctx, id, v.version).await?)))
}

#[utoipa::path(post, path = "/api/v1/quotes/{id}/accept", params(("id" = Uuid, Path)), request_body = AcceptIn,
    responses((status = 200, body = QuoteOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn accept_quote(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
    Json(a): Json<AcceptIn>,
) -> ApiResult<Json<QuoteOut>> {
    let set = a.set_deal_amount.unwrap_or(true);
    Ok(Json(quote_out(service::quote::close(&state.db, &ctx, id, QuoteOutcome::Accepted, set, a.version).await?)))
}

#[utoipa::path(post, path = "/api/v1/quotes/{id}/decline", params(("id" = Uuid, Path)), request_body = VersionIn,
    responses((status = 200, body = QuoteOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn decline_quote(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
    Json(v): Json<VersionIn>,
) -> ApiResult<Json<QuoteOut>> {
    Ok(Json(quote_out(service::quote::close(&state.db, &ctx, id, QuoteOutcome::Declined, false, v.version).await?)))
}

#[utoipa::path(post, path = "/api/v1/quotes/{id}/revise", params(("id" = Uuid, Path)), request_body = VersionIn,
    responses((status = 201, body = QuoteOut, description = "the new revision, a draft"), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn revise_quote(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
    Json(v): Json<VersionIn>,
) -> ApiResult<(StatusCode, Json<QuoteOut>)> {
    Ok((StatusCode::CREATED, Json(quote_out(service::quote::revise(&state.db, &ctx, id, v.version).await?))))
}

/// A partial update of a draft: fields absent or null stay as they are (to clear one, PUT the
/// whole draft); `lines`, when sent, replaces the lines in that order. Under the quote's
/// version, through the same save as PUT (product lines take the product's current list
/// price and cost again, as any save of a draft does).
#[derive(Deserialize, ToSchema)]
pub struct QuotePatch {
    contact_id: Option<Uuid>,
    valid_until: Option<NaiveDate>,
    payment_terms: Option<String>,
    delivery_terms: Option<String>,
    notes: Option<String>,
    header_discount: Option<HeaderDiscountIo>,
    lines: Option<Vec<QuoteLineIn>>,
    version: i32,
}

#[utoipa::path(patch, path = "/api/v1/quotes/{id}", params(("id" = Uuid, Path)), request_body = QuotePatch,
    responses((status = 200, body = QuoteOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem, description = "invalid lines or header, or the quote is locked")),
    security(("bearer" = [])))]
pub async fn patch_quote(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
    Json(p): Json<QuotePatch>,
) -> ApiResult<Json<QuoteOut>> {
    let current = service::quote::get(&state.db, &ctx, id).await?;
    if current.version != p.version {
        return Err(AppError::Conflict.into());
    }
    let mut d = current.draft();
    if p.contact_id.is_some() {
        d.contact_id = p.contact_id;
    }
    d.valid_until = p.valid_until.or(d.valid_until);
    d.payment_terms = p.payment_terms.or(d.payment_terms);
    d.delivery_terms = p.delivery_terms.or(d.delivery_terms);
    d.notes = p.notes.or(d.notes);
    if let Some(h) = p.header_discount {
        d.header_discount = HeaderDiscount::try_from(h)?;
    }
    if let Some(ls) = p.lines {
        d.lines = lines_in(ls)?;
    }
    Ok(Json(quote_out(service::quote::save(&state.db, &ctx, id, d, p.version).await?)))
}
