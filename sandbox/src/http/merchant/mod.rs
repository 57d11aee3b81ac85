//! The merchant API of the seeds, served twice: under `/v1/…` in the v1 reference's envelope
//! (`{"success": true, "data": …}`) and at the bare paths of the guides' curl examples.

pub mod checkout_sessions;
pub mod coupons;
pub mod payment_links;
pub mod products;

pub mod shape;

use crate::http::state::AppState;
use axum::{middleware, Extension};
use shape::Style;
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
        .routes(routes!(coupons::list, coupons::create))
        .routes(routes!(coupons::get))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            crate::http::auth::require_key,
        ))
}

/// The merchant API at the guides' bare paths and under `/v1`.
pub fn router(state: &AppState) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
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
