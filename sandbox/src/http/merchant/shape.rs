//! How the merchant API writes its answers: the two seed response shapes, amounts in major
//! units as exact JSON numbers, timestamps and stored metadata.

use crate::error::json_response;
use crate::http::input::Pagination;
use axum::http::StatusCode;
use axum::response::Response;
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
