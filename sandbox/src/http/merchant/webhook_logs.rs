//! The webhook delivery log: one line per finished attempt (status, duration, attempt number,
//! the start of the answer), as both SDKs read it, and the manual retry of a delivery.

use super::shape::{listing, one, time};
use crate::domain::webhooks::{self, USER_AGENT};
use crate::error::{Error, Result};
use crate::http::input::{Id, Ids};
use crate::http::query::QueryParams;
use crate::http::state::AppState;
use crate::storage::{DeliveryLogFilter, DeliveryLogRow};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct WebhookDeliveryLog {
    pub id: String,
    /// Same as `id` (the SDKs' name).
    pub log_id: String,
    pub webhook_id: String,
    pub organization_id: String,
    /// The event's `id`: the same on every attempt, for receivers to deduplicate on.
    pub event_id: String,
    /// The delivery this attempt belongs to (one per event and endpoint).
    pub delivery_id: String,
    #[schema(example = "PAYMENT_SUCCEEDED")]
    pub event_type: String,
    pub url: String,
    /// 1 for the first attempt.
    pub attempt_number: u32,
    /// Whether the endpoint answered 2xx.
    pub success: bool,
    /// The endpoint's HTTP status; `null` when it never answered.
    pub response_status: Option<u16>,
    /// The endpoint's answer: whole up to 256 bytes, else its first 256 bytes followed by
    /// `… (truncated, N bytes)`.
    pub response_body: Option<String>,
    /// Why the attempt failed without a 2xx: a timeout, a refused connection, a redirect
    /// (never followed), a destination refused before connecting (`refused: destination
    /// address 10.0.0.1 is private …`), or `interrupted` (the sandbox stopped during the
    /// attempt; the next one carries the next `X-Lomi-Attempt`).
    pub error: Option<String>,
    pub request_duration_ms: i64,
    /// The headers sent, signatures included.
    #[schema(value_type = Object)]
    pub headers: Value,
    /// The body sent, as JSON.
    #[schema(value_type = Object)]
    pub payload: Value,
    #[schema(example = "Lomi-Webhook/1.0")]
    pub user_agent: String,
    pub ip_address: Option<String>,
    pub created_at: String,
}

/// A page of the list route's answer.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct WebhookDeliveryLogList {
    data: Vec<WebhookDeliveryLog>,
    pagination: crate::http::query::Pagination,
}

/// A delivery put back in the outbox by a manual retry.
#[derive(Serialize, ToSchema)]
pub struct RetriedDelivery {
    pub delivery_id: String,
    pub event_id: String,
    pub webhook_id: String,
    /// `pending`: it is sent within a second.
    #[schema(example = "pending")]
    pub status: String,
    /// Attempts made so far; the retry's log line will be the next number.
    pub attempts: u32,
}

fn object(state: &AppState, l: &DeliveryLogRow) -> Result<WebhookDeliveryLog> {
    let body = state.db().event_body(&l.merchant_id, &l.event_id)?;
    Ok(WebhookDeliveryLog {
        id: l.id.clone(),
        log_id: l.id.clone(),
        webhook_id: l.webhook_id.clone(),
        organization_id: state.merchant().organization_id.clone(),
        event_id: l.event_id.clone(),
        delivery_id: l.delivery_id.clone(),
        event_type: l.event.clone(),
        url: l.url.clone(),
        attempt_number: l.attempt_number,
        success: l.success,
        response_status: l.response_status,
        response_body: l.response_body.clone(),
        error: l.error.clone(),
        request_duration_ms: l.duration_ms,
        headers: serde_json::from_str(&l.request_headers).unwrap_or(Value::Null),
        payload: body
            .and_then(|b| serde_json::from_str(&b).ok())
            .unwrap_or(Value::Null),
        user_agent: USER_AGENT.to_string(),
        ip_address: None,
        created_at: time(l.created_at),
    })
}

#[utoipa::path(
    get,
    operation_id = "list_webhook_delivery_logs",
    path = "/webhook-delivery-logs",
    tag = "Webhooks",
    params(
        ("webhook_id" = Option<String>, Query, description = "Only this endpoint's attempts (also webhookId)", format = "uuid", pattern = r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$"),
        ("event_id" = Option<String>, Query, description = "Only this event's attempts", format = "uuid", pattern = r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$"),
        ("success" = Option<bool>, Query, description = "Only successful (true) or failed (false) attempts"),
        crate::http::query::PageQuery
    ),
    responses(
        (status = 200, description = "Attempts, newest first", body = WebhookDeliveryLogList),
        (status = 400, description = "A filter value is invalid", body = checkout_core::wire::ErrorBody),
        (status = 401, description = "Missing, wrong or live API key", body = checkout_core::wire::ErrorBody)
    ),
    security(("api_key" = []))
)]
pub async fn list(State(state): State<AppState>, mut q: QueryParams) -> Result<Response> {
    let webhook_id = q.uuid(&["webhook_id", "webhookId"]);
    let event_id = q.uuid(&["event_id", "eventId"]);
    let mut success = q.bool(&["success"]);
    if q.bool(&["successOnly"]) == Some(true) {
        success = Some(true);
    }
    if q.bool(&["failedOnly"]) == Some(true) {
        success = Some(false);
    }
    let page = q.page();
    q.finish()?;
    let filter = DeliveryLogFilter {
        webhook_id,
        event_id,
        success,
    };
    let (rows, total) = state
        .db()
        .list_delivery_logs(&state.merchant().id, &filter, page)?;
    let items = rows
        .iter()
        .map(|l| object(&state, l))
        .collect::<Result<Vec<_>>>()?;
    Ok(listing(&items, page.with_total(total)))
}

#[utoipa::path(
    get,
    operation_id = "get_webhook_delivery_log",
    path = "/webhook-delivery-logs/{id}",
    tag = "Webhooks",
    params(("id" = String, Path, description = "Delivery log id")),
    responses(
        (status = 200, description = "One attempt", body = WebhookDeliveryLog),
        (status = 404, description = "No log line with this id", body = checkout_core::wire::ErrorBody),
        (status = 401, description = "Missing, wrong or live API key", body = checkout_core::wire::ErrorBody)
    ),
    security(("api_key" = []))
)]
pub async fn get(State(state): State<AppState>, Id(id): Id) -> Result<Response> {
    let l = state
        .db()
        .delivery_log(&state.merchant().id, &id)?
        .ok_or_else(|| Error::not_found("Webhook delivery log not found"))?;
    Ok(one(StatusCode::OK, &object(&state, &l)?))
}

#[utoipa::path(
    post,
    operation_id = "retry_webhook_delivery",
    path = "/webhook-delivery-logs/{id}/retry",
    tag = "Webhooks",
    params(("id" = String, Path, description = "A delivery log id: its delivery is sent again")),
    responses(
        (status = 202, description = "Queued again: the same event (same id, same body) is sent within a second, whatever the delivery became", body = RetriedDelivery),
        (status = 404, description = "No log line with this id", body = checkout_core::wire::ErrorBody),
        (status = 409, description = "The delivery's endpoint was deleted", body = checkout_core::wire::ErrorBody),
        (status = 401, description = "Missing, wrong or live API key", body = checkout_core::wire::ErrorBody)
    ),
    security(("api_key" = []))
)]
pub async fn retry(State(state): State<AppState>, Id(id): Id) -> Result<Response> {
    requeue(&state, &id)
}

fn requeue(state: &AppState, log_id: &str) -> Result<Response> {
    let (now, now_ms) = (state.now(), state.now_millis());
    let merchant = state.merchant().id.clone();
    let d = state
        .db()
        .immediate(|db| webhooks::retry(db, &merchant, log_id, now, now_ms))?;
    Ok(one(
        StatusCode::ACCEPTED,
        &RetriedDelivery {
            delivery_id: d.id,
            event_id: d.event_id,
            webhook_id: d.webhook_id,
            status: d.status.name().to_string(),
            attempts: d.attempts,
        },
    ))
}

#[utoipa::path(
    post,
    operation_id = "retry_webhook_log",
    path = "/webhooks/{id}/logs/{log_id}/retry",
    tag = "Webhooks",
    params(
        ("id" = String, Path, description = "Webhook endpoint id"),
        ("log_id" = String, Path, description = "A delivery log line of this endpoint: its delivery is sent again")
    ),
    responses(
        (status = 202, description = "Queued again, as POST /webhook-delivery-logs/{id}/retry: the same event (same id, same body) is sent within a second", body = RetriedDelivery),
        (status = 404, description = "No log line with this id for this endpoint", body = checkout_core::wire::ErrorBody),
        (status = 409, description = "The delivery's endpoint was deleted", body = checkout_core::wire::ErrorBody),
        (status = 401, description = "Missing, wrong or live API key", body = checkout_core::wire::ErrorBody)
    ),
    security(("api_key" = []))
)]
pub async fn retry_of_webhook(
    State(state): State<AppState>,
    Ids(webhook_id, log_id): Ids,
) -> Result<Response> {
    let log = state.db().delivery_log(&state.merchant().id, &log_id)?;
    if log.is_none_or(|l| l.webhook_id != webhook_id) {
        return Err(Error::not_found(format!(
            "Webhook delivery log {log_id} is not a log of webhook {webhook_id}"
        )));
    }
    requeue(&state, &log_id)
}
