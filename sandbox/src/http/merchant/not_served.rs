//! The routes lomi.'s API has for the resources the sandbox serves but the sandbox does not:
//! each answers 501 in the error shape, naming the route and what it is, rather than a 404
//! that reads like a typo. After the key check, as in lomi.'s API. Not in `/openapi.json`,
//! which describes what is served; the README lists them.

use crate::error::Error;
use axum::response::{IntoResponse, Response};

/// Each of them: the route as lomi.'s controllers spell it, and what it is.
pub const ROUTES: [(&str, &str); 5] = [
    (
        "POST /customers",
        "lomi.'s customer creation (the sandbox makes its customers from the contact details payments carry)",
    ),
    (
        "PATCH /customers/{id}",
        "lomi.'s customer update (the sandbox completes a customer from their later payments)",
    ),
    (
        "DELETE /customers/{id}",
        "lomi.'s customer deletion (the sandbox keeps every customer its transactions name)",
    ),
    (
        "GET /customers/{id}/portal-audit",
        "lomi.'s customer portal audit",
    ),
    (
        "POST /customers/{id}/portal-launch-session",
        "lomi.'s customer portal",
    ),
];

fn answer(index: usize) -> Response {
    let (route, why) = ROUTES[index];
    Error::not_implemented(route, why).into_response()
}

pub async fn create_customer() -> Response {
    answer(0)
}

pub async fn update_customer() -> Response {
    answer(1)
}

pub async fn delete_customer() -> Response {
    answer(2)
}

pub async fn portal_audit() -> Response {
    answer(3)
}

pub async fn portal_launch_session() -> Response {
    answer(4)
}
