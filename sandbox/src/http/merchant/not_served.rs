//! The routes lomi.'s API has for the resources the sandbox serves but the sandbox does not:
//! each answers 501 in the error shape, naming the route and what it is, rather than a 404
//! that reads like a typo. After the key check, as in lomi.'s API. `/openapi.json` documents
//! each with its only answer, 501, so a client generated from it knows the route exists and
//! is not served here; the README lists them.

use crate::error::Error;
use axum::response::{IntoResponse, Response};

/// One such route: its handler, documented with its one answer. `$route` is the route as
/// lomi.'s controllers spell it, `$why` what it is.
macro_rules! not_served {
    ($handler:ident, $method:ident, $operation:literal, $path:literal, $route:literal, $why:literal
     $(, $params:tt)?) => {
        #[utoipa::path(
            $method,
            operation_id = $operation,
            path = $path,
            tag = "Customers",
            description = "Not served by the sandbox: 501 NOT_IMPLEMENTED, naming the route in details.route.",
            $(params $params,)?
            responses(
                (status = 501, description = "lomi.'s route, not served by the sandbox", body = checkout_core::wire::ErrorBody),
                (status = 401, description = "Missing, wrong or live API key", body = checkout_core::wire::ErrorBody)
            ),
            security(("api_key" = []))
        )]
        pub async fn $handler() -> Response {
            Error::not_implemented($route, $why).into_response()
        }
    };
}

not_served!(
    create_customer,
    post,
    "create_customer",
    "/customers",
    "POST /customers",
    "lomi.'s customer creation (the sandbox makes its customers from the contact details payments carry)"
);
not_served!(
    update_customer,
    patch,
    "update_customer",
    "/customers/{id}",
    "PATCH /customers/{id}",
    "lomi.'s customer update (the sandbox completes a customer from their later payments)",
    (("id" = String, Path, description = "Customer id"))
);
not_served!(
    delete_customer,
    delete,
    "delete_customer",
    "/customers/{id}",
    "DELETE /customers/{id}",
    "lomi.'s customer deletion (the sandbox keeps every customer its transactions name)",
    (("id" = String, Path, description = "Customer id"))
);
not_served!(
    portal_audit,
    get,
    "get_customer_portal_audit",
    "/customers/{id}/portal-audit",
    "GET /customers/{id}/portal-audit",
    "lomi.'s customer portal audit",
    (("id" = String, Path, description = "Customer id"))
);
not_served!(
    portal_launch_session,
    post,
    "create_customer_portal_session",
    "/customers/{id}/portal-launch-session",
    "POST /customers/{id}/portal-launch-session",
    "lomi.'s customer portal",
    (("id" = String, Path, description = "Customer id"))
);
