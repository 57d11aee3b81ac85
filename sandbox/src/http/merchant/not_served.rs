//! The routes lomi.'s API has for the resources the sandbox serves but the sandbox does not:
//! each answers 501 in the error shape, naming the route and what it is, rather than a 404
//! that reads like a typo. After the key check, as in lomi.'s API. `/openapi.json` documents
//! each with its only answer, 501, so a client generated from it knows the route exists and
//! is not served here; the README lists them.

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

#[utoipa::path(
    post,
    operation_id = "create_customer",
    path = "/customers",
    tag = "Customers",
    description = "Not served by the sandbox: 501 NOT_IMPLEMENTED, naming the route in details.route.",
    responses(
        (status = 501, description = "lomi.'s route, not served by the sandbox", body = checkout_core::wire::ErrorBody),
        (status = 401, description = "Missing, wrong or live API key", body = checkout_core::wire::ErrorBody)
    ),
    security(("api_key" = []))
)]
pub async fn create_customer() -> Response {
    answer(0)
}

#[utoipa::path(
    patch,
    operation_id = "update_customer",
    path = "/customers/{id}",
    tag = "Customers",
    description = "Not served by the sandbox: 501 NOT_IMPLEMENTED, naming the route in details.route.",
    params(("id" = String, Path, description = "Customer id")),
    responses(
        (status = 501, description = "lomi.'s route, not served by the sandbox", body = checkout_core::wire::ErrorBody),
        (status = 401, description = "Missing, wrong or live API key", body = checkout_core::wire::ErrorBody)
    ),
    security(("api_key" = []))
)]
pub async fn update_customer() -> Response {
    answer(1)
}

#[utoipa::path(
    delete,
    operation_id = "delete_customer",
    path = "/customers/{id}",
    tag = "Customers",
    description = "Not served by the sandbox: 501 NOT_IMPLEMENTED, naming the route in details.route.",
    params(("id" = String, Path, description = "Customer id")),
    responses(
        (status = 501, description = "lomi.'s route, not served by the sandbox", body = checkout_core::wire::ErrorBody),
        (status = 401, description = "Missing, wrong or live API key", body = checkout_core::wire::ErrorBody)
    ),
    security(("api_key" = []))
)]
pub async fn delete_customer() -> Response {
    answer(2)
}

#[utoipa::path(
    get,
    operation_id = "get_customer_portal_audit",
    path = "/customers/{id}/portal-audit",
    tag = "Customers",
    description = "Not served by the sandbox: 501 NOT_IMPLEMENTED, naming the route in details.route.",
    params(("id" = String, Path, description = "Customer id")),
    responses(
        (status = 501, description = "lomi.'s route, not served by the sandbox", body = checkout_core::wire::ErrorBody),
        (status = 401, description = "Missing, wrong or live API key", body = checkout_core::wire::ErrorBody)
    ),
    security(("api_key" = []))
)]
pub async fn portal_audit() -> Response {
    answer(3)
}

#[utoipa::path(
    post,
    operation_id = "create_customer_portal_session",
    path = "/customers/{id}/portal-launch-session",
    tag = "Customers",
    description = "Not served by the sandbox: 501 NOT_IMPLEMENTED, naming the route in details.route.",
    params(("id" = String, Path, description = "Customer id")),
    responses(
        (status = 501, description = "lomi.'s route, not served by the sandbox", body = checkout_core::wire::ErrorBody),
        (status = 401, description = "Missing, wrong or live API key", body = checkout_core::wire::ErrorBody)
    ),
    security(("api_key" = []))
)]
pub async fn portal_launch_session() -> Response {
    answer(4)
}
