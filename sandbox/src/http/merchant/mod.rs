//! The merchant API of the seeds, served twice: under `/v1/…` in the v1 reference's envelope
//! (`{"success": true, "data": …}`) and at the bare paths of the guides' curl examples.

pub mod checkout_sessions;
pub mod coupons;
pub mod payment_links;
pub mod products;

pub mod shape;

use crate::http::state::AppState;
use axum::routing::get;
use axum::{middleware, Extension, Router};
use shape::Style;

/// The merchant routes, once, without a prefix.
fn routes(state: &AppState) -> Router<AppState> {
    Router::new()
        .route(
            "/payment-links",
            get(payment_links::list).post(payment_links::create),
        )
        .route(
            "/payment-links/{id}",
            get(payment_links::get)
                .patch(payment_links::update)
                .delete(payment_links::delete),
        )
        .route(
            "/checkout-sessions",
            get(checkout_sessions::list).post(checkout_sessions::create),
        )
        .route("/checkout-sessions/{id}", get(checkout_sessions::get))
        .route("/products", get(products::list).post(products::create))
        .route("/products/{id}", get(products::get))
        .route("/coupons", get(coupons::list).post(coupons::create))
        .route("/coupons/{id}", get(coupons::get))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            crate::http::auth::require_key,
        ))
}

pub fn router(state: &AppState) -> Router<AppState> {
    Router::new()
        .merge(routes(state).layer(Extension(Style::Bare)))
        .nest("/v1", routes(state).layer(Extension(Style::V1)))
}

/// Path prefixes of the merchant API, whose unknown paths answer in JSON rather than with
/// the page's not-found screen.
pub const PREFIXES: [&str; 5] = [
    "/v1",
    "/payment-links",
    "/checkout-sessions",
    "/products",
    "/coupons",
];
