//! REST API v1: the public contract. Handlers parse, call the same services as the UI, and
//! map `AppError` to application/problem+json in one place.
//!
//! Each resource module declares its routes once, with `utoipa_axum::routes!`: the axum
//! router and the OpenAPI paths (and the schemas they reach) are both built from the
//! handlers' `#[utoipa::path]` attributes, so the two cannot drift apart.
mod accounts;
mod admin;
mod approvals;
mod auth;
mod board;
mod contacts;
mod contracts;
mod deals;
mod exports;
mod forecast;
mod imports;
mod market;
mod negotiations;
mod objections;
mod products;
mod quotas;
mod quotes;
mod revisits;
mod room;

pub use auth::{bearer_token, bearer_user};

use app::domain::error::AppError;
use app::ssr::state::AppState;
use axum::body::Bytes;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;

pub struct ApiError(AppError);

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError(e)
    }
}

#[derive(Serialize, ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    kind: String,
    title: String,
    status: u16,
    detail: String,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.0.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = Problem {
            kind: "about:blank".into(),
            title: status.canonical_reason().unwrap_or("Error").into(),
            status: status.as_u16(),
            detail: app::i18n::error_message(app::domain::locale::Locale::En, &self.0),
        };
        let mut res = (status, [(header::CONTENT_TYPE, "application/problem+json")], serde_json::to_string(&body).unwrap_or_default())
            .into_response();
        if let AppError::RateLimited { retry_after_secs } = self.0 {
            res.headers_mut().insert(header::RETRY_AFTER, axum::http::HeaderValue::from(retry_after_secs));
        }
        res
    }
}

type ApiResult<T> = Result<T, ApiError>;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        // The paths bring their schemas only later: make room for the scheme now.
        let c = api.components.get_or_insert_with(Default::default);
        c.add_security_scheme("bearer", SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()));
    }
}

/// What the document says besides its paths.
#[derive(OpenApi)]
#[openapi(
    info(title = "Dealgate API", version = "1", description = "Project-sales CRM: pipelines, gated deal moves, approvals, board, forecast, quotas, and the deal room (committee map, checklists, activities, comments), the price list and quotes, negotiations (plan, sessions, the concession ladder, confirmation), contracts and receivables, and the administration of users and teams with its audit log."),
    components(schemas(Problem)),
    modifiers(&BearerAuth)
)]
struct Info;

/// Every REST route with its OpenAPI operation: the one declaration of the API.
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(Info::openapi())
        .merge(auth::routes())
        .merge(board::routes())
        .merge(deals::routes())
        .merge(approvals::routes())
        .merge(accounts::routes())
        .merge(contacts::routes())
        .merge(revisits::routes())
        .merge(market::routes())
        .merge(forecast::routes())
        .merge(quotas::routes())
        .merge(products::routes())
        .merge(quotes::routes())
        .merge(objections::routes())
        .merge(contracts::routes())
        .merge(negotiations::routes())
        .merge(room::routes())
        .merge(admin::routes())
        .merge(imports::routes())
        .merge(exports::routes())
}

/// The OpenAPI document, as `/api/v1/openapi.json` serves it; the server itself needs no
/// name for it (`router` serves what `api` built), the tests read it by this one.
#[cfg(test)]
pub struct ApiDoc;

#[cfg(test)]
impl OpenApi for ApiDoc {
    fn openapi() -> utoipa::openapi::OpenApi {
        api().into_openapi()
    }
}

pub fn router() -> Router<AppState> {
    let (router, doc) = api().split_for_parts();
    // Serialised once at start-up; the document itself is not one of its paths.
    let doc = Bytes::from(serde_json::to_vec(&doc).unwrap_or_default());
    router.route(
        "/api/v1/openapi.json",
        get(move || {
            let doc = doc.clone();
            async move { ([(header::CONTENT_TYPE, "application/json")], doc) }
        }),
    )
}
