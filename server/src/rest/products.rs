//! The price list and the quote policy: everyone reads them; admins change them.
use super::{ApiResult, Problem};
use app::domain::error::AppError;
use app::domain::product::{ProductInput, ProductKind};
use app::domain::quote::dto::ProductRow;
use app::ssr::context::RequestContext;
use app::ssr::service;
use app::ssr::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(products, create_product))
        .routes(routes!(update_product))
        .routes(routes!(export_products, import_products))
        .routes(routes!(quote_policy, set_quote_policy))
}

#[derive(Serialize, ToSchema)]
pub struct ProductOut {
    id: Uuid,
    code: String,
    name_en: String,
    name_zh: String,
    /// licence | subscription | service_days | hardware | maintenance | other
    kind: String,
    unit_en: String,
    unit_zh: String,
    currency: String,
    list_price_minor: i64,
    tax_bp: i32,
    cost_minor: i64,
    active: bool,
    version: i32,
}

fn product_out(p: ProductRow) -> ProductOut {
    ProductOut {
        id: p.id,
        code: p.code,
        name_en: p.name_en,
        name_zh: p.name_zh,
        kind: p.kind.as_str().into(),
        unit_en: p.unit_en,
        unit_zh: p.unit_zh,
        currency: p.currency,
        list_price_minor: p.list_price_fen,
        tax_bp: p.tax_bp,
        cost_minor: p.cost_fen,
        active: p.active,
        version: p.version,
    }
}

#[derive(Deserialize, ToSchema)]
pub struct ProductIn {
    code: String,
    name_en: String,
    name_zh: String,
    kind: String,
    unit_en: String,
    unit_zh: String,
    list_price_minor: i64,
    /// Default: the policy's rate for the kind (13 % goods, 6 % services).
    tax_bp: Option<i32>,
    cost_minor: Option<i64>,
    active: Option<bool>,
}

/// Read by [`super::versioned`] (the flattened part's errors name their field); the derive
/// gives the document its schema.
#[derive(ToSchema)]
pub struct ProductUpdate {
    #[serde(flatten)]
    product: ProductIn,
    version: i32,
}

impl<'de> Deserialize<'de> for ProductUpdate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (product, version) = super::versioned(d)?;
        Ok(ProductUpdate { product, version })
    }
}

fn input(p: ProductIn) -> Result<ProductInput, AppError> {
    Ok(ProductInput {
        code: p.code,
        name_en: p.name_en,
        name_zh: p.name_zh,
        kind: ProductKind::parse(&p.kind)
            .ok_or_else(|| AppError::validation("kind", "use licence, subscription, service_days, hardware, maintenance or other"))?,
        unit_en: p.unit_en,
        unit_zh: p.unit_zh,
        list_price_fen: p.list_price_minor,
        tax_bp: p.tax_bp,
        cost_fen: p.cost_minor.unwrap_or(0),
        active: p.active.unwrap_or(true),
    })
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProductQuery {
    /// Include products no longer sold.
    all: Option<bool>,
}

#[utoipa::path(get, path = "/api/v1/products", params(ProductQuery), responses((status = 200, body = [ProductOut])), security(("bearer" = [])))]
pub async fn products(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Query(q): Query<ProductQuery>,
) -> ApiResult<Json<Vec<ProductOut>>> {
    Ok(Json(service::product::list(&state.db, &ctx, q.all.unwrap_or(false)).await?.into_iter().map(product_out).collect()))
}

#[utoipa::path(post, path = "/api/v1/products", request_body = ProductIn,
    responses((status = 201, body = ProductOut), (status = 403, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
pub async fn create_product(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Json(p): Json<ProductIn>,
) -> ApiResult<(StatusCode, Json<ProductOut>)> {
    Ok((StatusCode::CREATED, Json(product_out(service::product::create(&state.db, &ctx, input(p)?).await?))))
}

#[utoipa::path(put, path = "/api/v1/products/{id}", params(("id" = Uuid, Path)), request_body = ProductUpdate,
    responses((status = 200, body = ProductOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn update_product(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<Uuid>,
    Json(p): Json<ProductUpdate>,
) -> ApiResult<Json<ProductOut>> {
    Ok(Json(product_out(service::product::update(&state.db, &ctx, id, input(p.product)?, p.version).await?)))
}

/// Who approves a quote: up to `manager_max_discount_bp` of effective discount the owner's
/// manager, above it (or with a margin under `margin_floor_bp`) the general manager.
#[derive(Serialize, ToSchema)]
pub struct QuotePolicyOut {
    manager_max_discount_bp: i32,
    margin_floor_bp: i32,
    goods_tax_bp: i32,
    services_tax_bp: i32,
    validity_days: i32,
    version: i32,
}

#[derive(Deserialize, ToSchema)]
pub struct QuotePolicyIn {
    manager_max_discount_bp: i32,
    margin_floor_bp: i32,
    version: i32,
}

fn policy_out(p: app::ssr::entity::quote_policy::Model) -> QuotePolicyOut {
    QuotePolicyOut {
        manager_max_discount_bp: p.manager_max_discount_bp,
        margin_floor_bp: p.margin_floor_bp,
        goods_tax_bp: p.goods_tax_bp,
        services_tax_bp: p.services_tax_bp,
        validity_days: p.validity_days,
        version: p.version,
    }
}

#[utoipa::path(get, path = "/api/v1/quote-policy", responses((status = 200, body = QuotePolicyOut)), security(("bearer" = [])))]
pub async fn quote_policy(State(state): State<AppState>) -> ApiResult<Json<QuotePolicyOut>> {
    Ok(Json(policy_out(service::product::policy(&state.db).await?)))
}

#[utoipa::path(put, path = "/api/v1/quote-policy", request_body = QuotePolicyIn,
    responses((status = 200, body = QuotePolicyOut), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn set_quote_policy(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Json(p): Json<QuotePolicyIn>,
) -> ApiResult<Json<QuotePolicyOut>> {
    let policy =
        app::domain::quote::ApprovalPolicy { manager_max_discount_bp: p.manager_max_discount_bp, margin_floor_bp: p.margin_floor_bp };
    Ok(Json(policy_out(service::product::set_policy(&state.db, &ctx, policy, p.version).await?)))
}

/// The price list as CSV (UTF-8 with BOM, Excel-safe): code, name_en, name_zh, kind, unit_en,
/// unit_zh, list_price (yuan), tax_rate (%), cost (yuan), active (yes/no).
#[utoipa::path(get, path = "/api/v1/products/csv",
    responses((status = 200, content_type = "text/csv", body = String), (status = 403, body = Problem)), security(("bearer" = [])))]
pub async fn export_products(State(state): State<AppState>, Extension(ctx): Extension<RequestContext>) -> ApiResult<Response> {
    let body = service::product::export_csv(&state.db, &ctx).await?;
    Ok((
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8"), (header::CONTENT_DISPOSITION, "attachment; filename=\"price-list.csv\"")],
        body,
    )
        .into_response())
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// Only report what the import would do.
    dry_run: Option<bool>,
}

/// One row of the file: what it does (create, update, unchanged, error), the columns an update
/// changes, and for an error the field and why.
#[derive(Serialize, ToSchema)]
pub struct ImportLineOut {
    line: u32,
    code: String,
    action: String,
    changes: Vec<String>,
    error: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ProductImportOut {
    applied: bool,
    created: u32,
    updated: u32,
    unchanged: u32,
    errors: u32,
    lines: Vec<ImportLineOut>,
}

/// Adds and updates products by code from a CSV file in the export's columns (tax_rate, cost
/// and active may be left out). Any bad row: 422 with every row's verdict, nothing written.
#[utoipa::path(post, path = "/api/v1/products/csv", params(ImportQuery),
    request_body(content = String, content_type = "text/csv", description = "the export's columns, with a header row"),
    responses((status = 200, body = ProductImportOut), (status = 422, body = ProductImportOut), (status = 403, body = Problem)),
    security(("bearer" = [])))]
pub async fn import_products(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Query(q): Query<ImportQuery>,
    body: String,
) -> ApiResult<Response> {
    let r = service::product::import_csv(&state.db, &ctx, &body, !q.dry_run.unwrap_or(false)).await?;
    let status = if r.errors == 0 { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let lines = r
        .lines
        .into_iter()
        .map(|l| ImportLineOut {
            line: l.line,
            code: l.code,
            action: serde_json::to_value(l.action).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default(),
            changes: l.changes,
            error: l.error.map(|e| app::i18n::error_message(app::domain::locale::Locale::En, &e)),
        })
        .collect();
    let out =
        ProductImportOut { applied: r.applied, created: r.created, updated: r.updated, unchanged: r.unchanged, errors: r.errors, lines };
    Ok((status, Json(out)).into_response())
}
