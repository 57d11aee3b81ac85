//! The HTTP layer: routers and thin handlers. Handlers read the request, call the domain and
//! write the response; the rules live below, in [`crate::domain`].

pub mod auth;
pub mod checkout_api;
pub mod controls;
pub mod dist;
pub mod html;
pub mod input;
pub mod merchant;
pub mod openapi;
pub mod openapi_links;
pub mod pages;
pub mod payments;
pub mod providers;
pub mod qr;
pub mod query;
pub mod rate_limit;
pub mod receipts;
pub mod rules;
pub mod security;
pub mod shop;
pub mod spelling;
pub mod state;

pub use state::AppState;

use crate::error::{method_not_allowed, Error};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::HeaderMap;
use axum::http::Method;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use std::sync::Arc;
use tower_http::compression::CompressionLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::{Level, Span};
use utoipa_axum::router::OpenApiRouter;

/// `/openapi.json`, rendered once from the document the routes were declared with.
async fn openapi_json(body: Arc<str>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body.to_string(),
    )
        .into_response()
}

async fn healthz() -> Response {
    (StatusCode::OK, "ok").into_response()
}

/// The simulated providers' own pages, where the checkout sends the customer.
fn provider_pages() -> Router<AppState> {
    use providers::{card, wave};
    Router::new()
        .route("/sandbox/wave/{id}", get(wave::page))
        .route("/sandbox/wave/{id}/approve", post(wave::approve))
        .route("/sandbox/wave/{id}/decline", post(wave::decline))
        .route("/sandbox/card/{id}", get(card::page).post(card::submit))
        .route("/sandbox/card/{id}/3ds", get(card::three_ds))
        .route(
            "/sandbox/card/{id}/3ds/complete",
            post(card::three_ds_complete),
        )
        .route("/sandbox/card/{id}/3ds/fail", post(card::three_ds_fail))
}

/// Every route of the sandbox. Tests drive it with `tower::ServiceExt::oneshot`.
///
/// The API routes are declared once, with their OpenAPI operations
/// ([`utoipa_axum::router::OpenApiRouter`]): the same list makes the router and
/// `/openapi.json`.
pub fn router(state: AppState) -> Router {
    let (api, document) = OpenApiRouter::with_openapi(openapi::base())
        .merge(merchant::router(&state))
        .merge(checkout_api::router(&state))
        .merge(controls::router(&state))
        .split_for_parts();
    let document: Arc<str> = serde_json::to_string_pretty(&openapi::finish(document))
        .unwrap_or_else(|_| "{}".to_string())
        .into();
    let fixed = security::FixedHeaders::new(state.public_url());
    api.merge(provider_pages())
        .merge(controls::csp_reports(&state))
        .route("/", get(pages::home))
        .route("/instant/{id}", get(pages::instant))
        .route("/product/{id}", get(pages::product))
        .route("/plan/{id}", get(pages::plan))
        .route("/checkout/{id}", get(pages::session))
        .route("/checkout/{id}/receipt", get(receipts::receipt))
        .route("/sandbox/assets/receipt.js", get(receipts::script))
        .route("/sandbox/assets/{id}", get(pages::sandbox_asset))
        .route("/sandbox/shop", get(shop::index))
        .route("/sandbox/shop/orders", post(shop::buy))
        .route("/sandbox/shop/orders/{id}", get(shop::order))
        .route("/sandbox/shop/orders/{id}/pay", get(shop::pay))
        .route("/sandbox/shop/embed.js", get(shop::embed_script))
        .route(shop::WEBHOOK_PATH, post(shop::webhook))
        .route("/openapi.json", get(move || openapi_json(document.clone())))
        .route("/healthz", get(healthz))
        .method_not_allowed_fallback(method_not_allowed)
        .fallback(fallback)
        .layer(CompressionLayer::new())
        .layer(middleware::map_response_with_state(
            fixed,
            security::fixed_headers,
        ))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_request(())
                .on_response(DefaultOnResponse::new().level(Level::INFO))
                .on_body_chunk(())
                .on_eos(())
                // The response's line already carries a 5xx status.
                .on_failure(()),
        )
        .with_state(state)
}

/// The span of a request's log line: its method and path, which the response's line
/// (status, latency) is written in. Never the query string, which can carry a customer's
/// email, nor the headers, which carry the merchant's key.
fn request_span(request: &Request<Body>) -> Span {
    tracing::info_span!(
        "request",
        method = %request.method(),
        path = %request.uri().path(),
    )
}

fn is_api_path(path: &str) -> bool {
    let under = |prefix: &str| path == prefix || path.starts_with(&format!("{prefix}/"));
    merchant::PREFIXES.iter().any(|p| under(p))
        || under(checkout_api::PREFIX)
        || under("/sandbox")
        || path == "/openapi.json"
        || path == "/healthz"
}

/// Whether the request comes from an API client rather than a browser: it carries the
/// merchant's key, or asks for JSON (and not for a page).
fn wants_json(headers: &HeaderMap) -> bool {
    if auth::key_of(headers).is_some() {
        return true;
    }
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    accept.contains("json") && !accept.contains("text/html")
}

/// Everything no route matched: API paths and API clients get the seeds' error shape, files
/// of the built page are served, and any other GET gets the page with a 404 (its not-found
/// screen).
pub async fn fallback(State(state): State<AppState>, request: Request) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let (uri, headers) = (request.uri().clone(), request.headers().clone());
    let json = wants_json(request.headers());
    let not_found = || Error::not_found(format!("No route for {method} {path}")).into_response();
    if is_api_path(&path) || (method != Method::GET && method != Method::HEAD) {
        return not_found();
    }
    if let Some(file) = state.pages().file(request).await {
        return file;
    }
    if json {
        return not_found();
    }
    pages::not_found(&state, &uri, &headers)
}
