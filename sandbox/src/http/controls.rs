//! Test controls for merchants' CI: settle a pending payment now, without driving a
//! provider's page. They take the merchant's key: a customer must not be able to mark their
//! own payment paid.

use crate::domain::payments::{outcome, to_wire};
use crate::error::{json_response, Result};
use crate::http::input::{Id, OptionalJsonObject};
use crate::http::state::AppState;
use crate::storage::PaymentRow;
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware;
use axum::response::Response;
use checkout_core::payment::{FailureReason, Payment};
use tower_http::set_header::SetResponseHeaderLayer;
use utoipa_axum::{router::OpenApiRouter, routes};

#[derive(serde::Deserialize, utoipa::ToSchema)]
#[allow(dead_code)]
pub struct FailPaymentRequest {
    /// Why it failed, as the page explains it; default `declined`.
    #[schema(example = "insufficient_funds")]
    reason: Option<FailureReason>,
}

fn respond(state: &AppState, p: PaymentRow) -> Result<Response> {
    Ok(json_response(StatusCode::OK, &to_wire(state, &p)))
}

/// Test controls for merchants' CI, behind the merchant's key.
pub fn router(state: &AppState) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(succeed))
        .routes(routes!(fail))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            crate::http::auth::require_key,
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
}

#[utoipa::path(
    post,
    path = "/sandbox/payments/{id}/succeed",
    tag = "Sandbox controls",
    params(("id" = String, Path, description = "Payment id")),
    responses(
        (status = 200, description = "The payment succeeded; its session is completed", body = Payment),
        (status = 401, description = "Missing, wrong or live API key", body = checkout_core::wire::ErrorBody),
        (status = 404, description = "Unknown payment", body = checkout_core::wire::ErrorBody),
        (status = 409, description = "The payment is no longer pending", body = checkout_core::wire::ErrorBody),
    ),
    security(("api_key" = []))
)]
pub async fn succeed(State(state): State<AppState>, Id(id): Id) -> Result<Response> {
    respond(&state, outcome::settle_now(&state, &id, None)?)
}

#[utoipa::path(
    post,
    path = "/sandbox/payments/{id}/fail",
    tag = "Sandbox controls",
    params(("id" = String, Path, description = "Payment id")),
    request_body(content = Option<FailPaymentRequest>, description = "Optional; the reason defaults to declined"),
    responses(
        (status = 200, description = "The payment failed; its session stays open", body = Payment),
        (status = 400, description = "Unknown reason", body = checkout_core::wire::ErrorBody),
        (status = 401, description = "Missing, wrong or live API key", body = checkout_core::wire::ErrorBody),
        (status = 404, description = "Unknown payment", body = checkout_core::wire::ErrorBody),
        (status = 409, description = "The payment is no longer pending", body = checkout_core::wire::ErrorBody),
    ),
    security(("api_key" = []))
)]
pub async fn fail(
    State(state): State<AppState>,
    Id(id): Id,
    OptionalJsonObject(mut f): OptionalJsonObject,
) -> Result<Response> {
    let reason = f.choice_of::<FailureReason>("reason");
    f.finish()?;
    let p = outcome::settle_now(&state, &id, Some(reason.unwrap_or(FailureReason::Declined)))?;
    respond(&state, p)
}
