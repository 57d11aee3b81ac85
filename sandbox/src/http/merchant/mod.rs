//! The merchant API, as lomi.'s API and its official SDKs speak it: bare objects, paged lists,
//! UUIDs, at the bare paths and under `/v1`, each resource at its hyphenated path (documented)
//! and at the generated SDK's underscore spelling. Creates honour an `Idempotency-Key`.

pub mod checkout_sessions;
pub mod coupons;
pub mod customers;
pub mod idempotency;
pub mod link_requests;
pub mod not_served;
pub mod payment_links;
pub mod prices;
pub mod products;
pub mod transactions;
pub mod webhook_logs;
pub mod webhooks;

pub mod shape;

use crate::http::state::AppState;
use crate::http::{auth, rate_limit};
use axum::extract::{Request, State};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use utoipa_axum::{router::OpenApiRouter, routes};

/// The merchant routes, once, without a prefix.
fn routes(state: &AppState) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(payment_links::list, payment_links::create))
        .routes(routes!(
            payment_links::get,
            payment_links::update,
            payment_links::delete
        ))
        .routes(routes!(checkout_sessions::list, checkout_sessions::create))
        .routes(routes!(checkout_sessions::get))
        .routes(routes!(products::list, products::create))
        .routes(routes!(products::get))
        .routes(routes!(prices::list, prices::create))
        .routes(routes!(prices::get))
        .routes(routes!(prices::add_to_product))
        .routes(routes!(prices::set_default))
        .routes(routes!(coupons::list, coupons::create))
        .routes(routes!(coupons::get))
        .routes(routes!(coupons::get_performance))
        .routes(routes!(transactions::list))
        .routes(routes!(transactions::get))
        .routes(routes!(customers::list, not_served::create_customer))
        .routes(routes!(
            customers::get,
            not_served::update_customer,
            not_served::delete_customer
        ))
        .routes(routes!(customers::transactions))
        // lomi.'s routes on these resources that the sandbox does not serve: 501, named.
        .routes(routes!(not_served::portal_audit))
        .routes(routes!(not_served::portal_launch_session))
        .routes(routes!(webhooks::list, webhooks::create))
        .routes(routes!(webhooks::get, webhooks::update, webhooks::delete))
        .routes(routes!(webhooks::send_test))
        .routes(routes!(webhook_logs::retry_of_webhook))
        .routes(routes!(webhook_logs::list))
        .routes(routes!(webhook_logs::get))
        .routes(routes!(webhook_logs::retry))
        // The other spellings of the same resources, served and not documented twice.
        .route(
            "/payment_links",
            get(payment_links::list).post(payment_links::create),
        )
        .route(
            "/payment_links/{id}",
            get(payment_links::get)
                .patch(payment_links::update)
                .delete(payment_links::delete),
        )
        .route(
            "/checkout_sessions",
            get(checkout_sessions::list).post(checkout_sessions::create),
        )
        .route("/checkout_sessions/{id}", get(checkout_sessions::get))
        .route(
            "/discount-coupons",
            get(coupons::list).post(coupons::create),
        )
        .route("/discount-coupons/{id}", get(coupons::get))
        .route(
            "/discount-coupons/{id}/performance",
            get(coupons::get_performance),
        )
        .route(
            "/discount_coupons",
            get(coupons::list).post(coupons::create),
        )
        .route("/discount_coupons/{id}", get(coupons::get))
        .route(
            "/discount_coupons/{id}/performance",
            get(coupons::get_performance),
        )
        .route("/webhook_delivery_logs", get(webhook_logs::list))
        .route("/webhook_delivery_logs/{id}", get(webhook_logs::get))
        .route(
            "/webhook_delivery_logs/{id}/retry",
            post(webhook_logs::retry),
        )
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            idempotency::replay_creates,
        ))
        .route_layer(middleware::from_fn_with_state(state.clone(), rate_limited))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            crate::http::auth::require_key,
        ))
}

/// The seeds' limits of a test key, when the sandbox runs with `--merchant-rate-limit`
/// ([`rate_limit`]): inside the key check, so only the merchant's own key is counted.
async fn rate_limited(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let key = auth::key_of(request.headers())
        .unwrap_or_default()
        .to_string();
    rate_limit::limit_merchant(state.rate_limits(), key, request, next).await
}

/// The merchant API at the bare paths and under `/v1`.
pub fn router(state: &AppState) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(routes(state))
        .nest("/v1", routes(state))
}

/// Path prefixes of the merchant API, whose unknown paths answer in JSON rather than with
/// the page's not-found screen.
pub const PREFIXES: [&str; 15] = [
    "/v1",
    "/payment-links",
    "/payment_links",
    "/checkout-sessions",
    "/checkout_sessions",
    "/products",
    "/prices",
    "/coupons",
    "/discount-coupons",
    "/discount_coupons",
    "/transactions",
    "/customers",
    "/webhooks",
    "/webhook-delivery-logs",
    "/webhook_delivery_logs",
];
