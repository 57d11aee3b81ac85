//! The merchant API of the seeds, served twice: under `/v1/…` in the v1 reference's envelope
//! (`{"success": true, "data": …}`) and at the bare paths of the guides' curl examples.

pub mod checkout_sessions;
pub mod coupons;
pub mod payment_links;
pub mod products;

use crate::error::json_response;
use crate::input::Pagination;
use crate::state::AppState;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::{middleware, Extension, Router};
use checkout_core::calendar::to_rfc3339;
use checkout_core::{Currency, Money};
use serde::Serialize;
use serde_json::{Number, Value};
use std::str::FromStr;

/// Which of the seeds' response shapes a route answers in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// The guides: the object itself.
    Bare,
    /// The v1 reference: `{"success": true, "data": object}`.
    V1,
}

#[derive(Serialize)]
struct Envelope<'a, T> {
    success: bool,
    data: &'a T,
}

#[derive(Serialize)]
struct ListBody<'a, T> {
    #[serde(skip_serializing_if = "Option::is_none")]
    success: Option<bool>,
    data: &'a [T],
    pagination: Pagination,
}

impl Style {
    pub fn one<T: Serialize>(self, status: StatusCode, item: &T) -> Response {
        match self {
            Style::Bare => json_response(status, item),
            Style::V1 => json_response(
                status,
                &Envelope {
                    success: true,
                    data: item,
                },
            ),
        }
    }

    pub fn list<T: Serialize>(self, items: &[T], pagination: Pagination) -> Response {
        json_response(
            StatusCode::OK,
            &ListBody {
                success: (self == Style::V1).then_some(true),
                data: items,
                pagination,
            },
        )
    }
}

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
            crate::auth::require_key,
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

/// An amount in major units as an exact JSON number: 15000 XOF, 15.99 USD.
pub fn money(amount: i64, currency: Currency) -> Number {
    let text = Money::new(amount, currency).major_string();
    Number::from_str(&text).unwrap_or_else(|_| Number::from(amount))
}

pub fn time(unix: i64) -> String {
    to_rfc3339(unix)
}

/// Stored metadata back as JSON; it was validated as an object when written.
pub fn metadata(stored: Option<&str>) -> Option<Value> {
    stored.and_then(|s| serde_json::from_str(s).ok())
}
