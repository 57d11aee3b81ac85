//! How the merchant API writes its answers: bare objects and paged lists, amounts in major
//! units as exact JSON numbers, timestamps and stored metadata.

use crate::error::json_response;
use crate::http::query::Pagination;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Serialize;

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

pub use crate::domain::views::{metadata, money, time};
