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
        let mut res = problem(status, app::i18n::error_message(app::domain::locale::Locale::En, &self.0));
        if let AppError::RateLimited { retry_after_secs } = self.0 {
            res.headers_mut().insert(header::RETRY_AFTER, axum::http::HeaderValue::from(retry_after_secs));
        }
        res
    }
}

/// Reads a body made of `T`'s fields and the `version` it was read at, for the bodies whose
/// schema flattens `T` (`#[serde(flatten)]`): serde buffers a flattened part and its errors
/// lose their path, so `T` is read on its own here and a wrong type names its field
/// ("lines[0].qty: invalid type …") as every other body's does.
pub(crate) fn versioned<'de, D, T>(d: D) -> Result<(T, i32), D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    use serde::de::Error;
    use serde::Deserialize;
    let mut fields = serde_json::Map::<String, serde_json::Value>::deserialize(d)?;
    let version = fields.remove("version").ok_or_else(|| D::Error::missing_field("version"))?;
    let version = i32::deserialize(version).map_err(|e| D::Error::custom(format!("version: {e}")))?;
    let inner = serde_path_to_error::deserialize(serde_json::Value::Object(fields)).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if path == "." {
            D::Error::custom(inner)
        } else {
            D::Error::custom(format!("{path}: {inner}"))
        }
    })?;
    Ok((inner, version))
}

const PROBLEM_JSON: &str = "application/problem+json";

fn problem(status: StatusCode, detail: String) -> Response {
    let body =
        Problem { kind: "about:blank".into(), title: status.canonical_reason().unwrap_or("Error").into(), status: status.as_u16(), detail };
    (status, [(header::CONTENT_TYPE, PROBLEM_JSON)], serde_json::to_string(&body).unwrap_or_default()).into_response()
}

/// The framework's own refusals (a query string, path or JSON body that does not parse, a
/// body over the limit, a method not allowed) come as text/plain: re-worded here as
/// problem+json, so every error of the API has one shape. Their text names the field
/// ("Failed to deserialize query string: page: invalid digit found in string").
async fn problem_bodies(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let res = next.run(req).await;
    let status = res.status();
    // A handler's own JSON (a refused move's reasons) is documented as it is: left alone.
    let plain = res.headers().get(header::CONTENT_TYPE).is_none_or(|v| v.as_bytes().starts_with(b"text/plain"));
    if !(status.is_client_error() || status.is_server_error()) || !plain {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    // Rejection texts are a line; anything longer is not the framework's and is cut.
    let text = axum::body::to_bytes(body, 64 * 1024).await.map(|b| String::from_utf8_lossy(&b).trim().to_owned()).unwrap_or_default();
    let detail = if text.is_empty() { status.canonical_reason().unwrap_or("Error").to_owned() } else { text };
    let fresh = problem(status, detail);
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(header::CONTENT_TYPE, header::HeaderValue::from_static(PROBLEM_JSON));
    let (_, body) = fresh.into_parts();
    Response::from_parts(parts, body)
}

/// Every operation's error answers, in the document: problem+json for any 4xx and 5xx
/// (the responses a handler declares keep their description; their content type is fixed to
/// what is actually sent).
fn document_errors(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
    let content = || ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build();
    for item in doc.paths.paths.values_mut() {
        for op in [&mut item.get, &mut item.post, &mut item.put, &mut item.patch, &mut item.delete].into_iter().flatten() {
            for (code, resp) in op.responses.responses.iter_mut() {
                if let (true, RefOr::T(r)) = (code.starts_with('4') || code.starts_with('5'), resp) {
                    // `body = Problem` is sent as problem+json; another body (a refused move's
                    // reasons) as declared, and problem+json beside it.
                    let problem = r
                        .content
                        .get("application/json")
                        .is_some_and(|c| matches!(&c.schema, Some(RefOr::Ref(x)) if x.ref_location.ends_with("/Problem")));
                    if problem {
                        r.content.shift_remove("application/json");
                    }
                    // Another body is the handler's own answer; a body, path or query the
                    // framework refuses before the handler runs still answers problem+json.
                    r.content.entry(PROBLEM_JSON.to_owned()).or_insert_with(content);
                }
            }
            for (code, what) in [("4XX", "The request was refused; `detail` says why and names the field."), ("5XX", "Server error.")] {
                let r = ResponseBuilder::new().description(what).content(PROBLEM_JSON, content()).build();
                op.responses.responses.entry(code.to_owned()).or_insert(RefOr::T(r));
            }
        }
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
        let mut doc = api().into_openapi();
        document_errors(&mut doc);
        doc
    }
}

pub fn router() -> Router<AppState> {
    let (router, mut doc) = api().split_for_parts();
    document_errors(&mut doc);
    // Serialised once at start-up; the document itself is not one of its paths.
    let doc = Bytes::from(serde_json::to_vec(&doc).unwrap_or_default());
    router.layer(axum::middleware::from_fn(crate::input::refuse_nul)).layer(axum::middleware::from_fn(problem_bodies)).route(
        "/api/v1/openapi.json",
        get(move || {
            let doc = doc.clone();
            async move { ([(header::CONTENT_TYPE, "application/json")], doc) }
        }),
    )
}
