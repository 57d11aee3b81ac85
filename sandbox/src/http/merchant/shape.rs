//! How the merchant API writes its answers: bare objects and paged lists, amounts in major
//! units as exact JSON numbers, timestamps and stored metadata.

use crate::error::json_response;
use crate::http::query::Pagination;
use axum::http::StatusCode;
use axum::response::Response;
use checkout_core::calendar::to_rfc3339;
use checkout_core::{Currency, Money};
use serde::Serialize;
use serde_json::{Number, Value};
use std::str::FromStr;

#[derive(Serialize)]
struct ListBody<'a, T> {
    data: &'a [T],
    pagination: Pagination,
}

/// One object, bare, as lomi.'s API and both official SDKs have it (also under `/v1`).
pub fn one<T: Serialize>(status: StatusCode, item: &T) -> Response {
    json_response(status, item)
}

/// A page of a list: `{"data": [...], "pagination": {...}}`, the shape the generated SDK
/// requires (it refuses a bare array) and the other SDK passes through.
pub fn listing<T: Serialize>(items: &[T], pagination: Pagination) -> Response {
    json_response(
        StatusCode::OK,
        &ListBody {
            data: items,
            pagination,
        },
    )
}

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
