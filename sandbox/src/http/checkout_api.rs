//! The public checkout API the page calls, with no key: anyone holding an (unguessable) link
//! or session id may read what the customer sees, ask for a price and pay. Nothing private
//! leaves here: no private description, no metadata, no key; of the redirect URLs only the
//! cancel URL ("back to the merchant"), and the success URL once a payment has succeeded.

use crate::domain::checkout::{
    price, resolve_link, resolve_session, status_conflict, view, Resolved,
};
use crate::domain::payments::outcome;
use crate::error::{json_response, method_not_allowed, Error, Result};
use crate::http::input::{read_order, Fields, Id, OptionalJsonObject};
use crate::http::payments as actions;
use crate::http::rate_limit;
use crate::http::state::AppState;
use axum::extract::State;
use axum::http::{header, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware;
use axum::response::Response;
use checkout_core::pricing::{Quote, QuoteRequest};
use checkout_core::wire::PublicCheckout;
use tower_http::cors::{Any, CorsLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouter};
use utoipa_axum::routes;

pub const PREFIX: &str = "/api";

/// A route whose other methods answer 405 from inside the CORS layer, so preflight OPTIONS
/// requests reach CORS instead of the router-wide 405.
fn with_405(
    (schemas, paths, method_router): UtoipaMethodRouter<AppState>,
) -> UtoipaMethodRouter<AppState> {
    (schemas, paths, method_router.fallback(method_not_allowed))
}

pub fn router(state: &AppState) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(with_405(routes!(get_link)))
        .routes(with_405(routes!(quote_link)))
        .routes(with_405(routes!(get_session)))
        .routes(with_405(routes!(quote_session)))
        .routes(with_405(routes!(actions::pay_link)))
        .routes(with_405(routes!(actions::pay_session)))
        .routes(with_405(routes!(actions::get_payment)))
        .routes(with_405(routes!(actions::submit_otp)))
        .routes(with_405(routes!(actions::resend_prompt)))
        .routes(with_405(routes!(actions::qr_code)))
        // Abusive rates get 429 before any handler runs (see `rate_limit`), inside the CORS
        // layer so a page on another origin can read the answer and its Retry-After.
        .layer(middleware::from_fn_with_state(
            state.rate_limits().clone(),
            rate_limit::limit_public,
        ))
        // Prices and statuses change; a cached answer could show a customer the wrong total.
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        // The page's API base is configurable, so the page may live on another origin. No
        // credentials are involved, so any origin may read.
        .layer(
            CorsLayer::new()
                .allow_origin(Any)
                .allow_methods([Method::GET, Method::POST])
                .allow_headers([
                    header::CONTENT_TYPE,
                    HeaderName::from_static("idempotency-key"),
                ])
                .expose_headers([header::RETRY_AFTER]),
        )
}

fn read_quote_request(mut f: Fields) -> Result<QuoteRequest> {
    let request = read_order(&mut f);
    f.finish()?;
    Ok(request)
}

fn show(state: &AppState, db: &crate::storage::Db, r: Resolved, now: i64) -> Result<Response> {
    Ok(json_response(StatusCode::OK, &view(state, db, r, now)?))
}

fn answer_quote(
    state: &AppState,
    r: Resolved,
    request: QuoteRequest,
    now: i64,
) -> Result<Response> {
    if let Some(why) = status_conflict(r.status) {
        // The conflict's value is also the status's wire name.
        return Err(Error::checkout_conflict(
            format!("This checkout is {why}: it cannot be paid"),
            why,
        ));
    }
    let quote = price(&state.db(), state, &r, &request, now)?;
    Ok(json_response(StatusCode::OK, &quote))
}

#[utoipa::path(
    get,
    path = "/api/checkout/links/{id}",
    tag = "Public checkout",
    params(("id" = String, Path, description = "Payment link id")),
    responses(
        (status = 200, description = "What the customer sees", body = PublicCheckout),
        (status = 404, description = "Unknown or deleted link", body = checkout_core::wire::ErrorBody),
    )
)]
pub async fn get_link(State(state): State<AppState>, Id(id): Id) -> Result<Response> {
    let now = state.now();
    let db = state.db();
    let resolved = resolve_link(&db, &state, &id, now)?;
    show(&state, &db, resolved, now)
}

#[utoipa::path(
    get,
    path = "/api/checkout/sessions/{id}",
    tag = "Public checkout",
    params(("id" = String, Path, description = "Checkout session id")),
    responses(
        (status = 200, description = "What the customer sees", body = PublicCheckout),
        (status = 404, description = "Unknown session", body = checkout_core::wire::ErrorBody),
    )
)]
pub async fn get_session(State(state): State<AppState>, Id(id): Id) -> Result<Response> {
    let db = state.db();
    // A payment that settled since the last read completes the session first.
    outcome::settle(&db, &state)?;
    let now = state.now();
    let resolved = resolve_session(&db, &state, &id, now)?;
    show(&state, &db, resolved, now)
}

#[utoipa::path(
    post,
    path = "/api/checkout/links/{id}/quote",
    tag = "Public checkout",
    params(("id" = String, Path, description = "Payment link id")),
    request_body(content = Option<QuoteRequest>, description = "Optional: no body (or `null`) prices the checkout as it is"),
    responses(
        (status = 200, description = "The server's price of the order", body = Quote),
        (status = 400, description = "An order the server will not price; `reason` says why", body = checkout_core::wire::ErrorBody),
        (status = 404, description = "Unknown or deleted link", body = checkout_core::wire::ErrorBody),
        (status = 409, description = "The link is inactive or expired (`details.conflict`: `inactive`, `expired`)", body = checkout_core::wire::ErrorBody),
    )
)]
pub async fn quote_link(
    State(state): State<AppState>,
    Id(id): Id,
    OptionalJsonObject(f): OptionalJsonObject,
) -> Result<Response> {
    let request = read_quote_request(f)?;
    let now = state.now();
    let resolved = resolve_link(&state.db(), &state, &id, now)?;
    answer_quote(&state, resolved, request, now)
}

#[utoipa::path(
    post,
    path = "/api/checkout/sessions/{id}/quote",
    tag = "Public checkout",
    params(("id" = String, Path, description = "Checkout session id")),
    request_body(content = Option<QuoteRequest>, description = "Optional: no body (or `null`) prices the checkout as it is"),
    responses(
        (status = 200, description = "The server's price of the order", body = Quote),
        (status = 400, description = "An order the server will not price; `reason` says why", body = checkout_core::wire::ErrorBody),
        (status = 404, description = "Unknown session", body = checkout_core::wire::ErrorBody),
        (status = 409, description = "The session is expired or completed (`details.conflict`: `expired`, `completed`)", body = checkout_core::wire::ErrorBody),
    )
)]
pub async fn quote_session(
    State(state): State<AppState>,
    Id(id): Id,
    OptionalJsonObject(f): OptionalJsonObject,
) -> Result<Response> {
    let request = read_quote_request(f)?;
    let resolved = {
        let db = state.db();
        // A session whose payment has settled is completed: no more prices for it.
        outcome::settle(&db, &state)?;
        resolve_session(&db, &state, &id, state.now())?
    };
    answer_quote(&state, resolved, request, state.now())
}
