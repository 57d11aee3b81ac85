//! Webhook endpoints, as lomi.'s API and both SDKs have them: create (answering the signing
//! secret, `verification_token`), list, get, update, delete, plus a test event. What is sent
//! and how is in `domain::webhooks`.

use super::shape::{listing, metadata, one, time};
use crate::domain::webhooks::destination::Policy;
use crate::domain::webhooks::{self, EVENTS, PAYMENT_SUCCEEDED};
use crate::error::{Error, Result};
use crate::http::input::{enum_message, Fields, Id, JsonObject, OptionalJsonObject};
use crate::http::query::QueryParams;
use crate::http::state::AppState;
use crate::ids;
use crate::storage::WebhookRow;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

/// The most endpoints a merchant may have.
const MAX_ENDPOINTS: u64 = 16;

/// `authorized_events`: an array of event names, or the same names comma-separated (what
/// the generated SDK, which types the field as a string, sends).
#[derive(Deserialize)]
pub struct EventsInput(#[allow(dead_code)] Value);

const EVENTS_CSV: &str = r"^ *(?:PAYMENT_CREATED|PAYMENT_SUCCEEDED|PAYMENT_FAILED|PAYMENT_CANCELED|REFUND_CREATED|REFUND_COMPLETED|REFUND_FAILED|SUBSCRIPTION_CREATED|SUBSCRIPTION_RENEWED|SUBSCRIPTION_CANCELED|CHECKOUT_COMPLETED|PROVIDER_STATUS_CHANGED) *(?:, *(?:PAYMENT_CREATED|PAYMENT_SUCCEEDED|PAYMENT_FAILED|PAYMENT_CANCELED|REFUND_CREATED|REFUND_COMPLETED|REFUND_FAILED|SUBSCRIPTION_CREATED|SUBSCRIPTION_RENEWED|SUBSCRIPTION_CANCELED|CHECKOUT_COMPLETED|PROVIDER_STATUS_CHANGED) *)*$";

impl utoipa::PartialSchema for EventsInput {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, OneOfBuilder, Type};
        let name = ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(EVENTS));
        OneOfBuilder::new()
            .item(ArrayBuilder::new().items(name).min_items(Some(1)))
            .item(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .pattern(Some(EVENTS_CSV)),
            )
            .into()
    }
}

impl ToSchema for EventsInput {}

/// The body of `POST /webhooks`.
#[derive(Deserialize, ToSchema)]
#[allow(dead_code)]
pub struct CreateWebhookRequest {
    /// Where to POST events: an absolute http(s) URL (a tunnel to your machine works).
    /// Redirects are not followed. An absolute http(s) URL whose host is a domain name
    /// (letters, digits and inner hyphens between dots, the last label starting with a
    /// letter; international names are encoded as `xn--`) or an IP address, stored and
    /// returned as the URL parser writes it. Private, link-local, unspecified and reserved
    /// addresses are refused, and loopback unless the sandbox listens on loopback
    /// (`--webhook-hosts`).
    #[schema(
        max_length = 2048,
        pattern = r"^[Hh][Tt][Tt][Pp][Ss]?://(?:[^\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\\/?#]*@)?(?:\[[0-9A-Fa-f:.]+\]|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}|(?:(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?|[^\u0000-\u002c\u002e\u002f\u003a-\u0040\u005b-\u0060\u007b-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[^\u0000-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000][^\u0000-\u002c\u002e\u002f\u003a-\u0040\u005b-\u0060\u007b-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*)\.)*(?:[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?|[^\u0000-\u002c\u002e\u002f\u003a-\u0040\u005b-\u0060\u007b-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[^\u0000-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000][^\u0000-\u002c\u002e\u002f\u003a-\u0040\u005b-\u0060\u007b-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*))(?::0*(?:[1-5]?[0-9]{0,4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?(?:[/?#][^\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\\]*)?$"
    )]
    url: String,
    /// The events to receive. The sandbox sends `PAYMENT_SUCCEEDED` and `PAYMENT_FAILED`.
    authorized_events: EventsInput,
    /// Default true.
    is_active: Option<bool>,
    /// At most 50 keys.
    #[schema(value_type = Option<Object>)]
    metadata: Option<Value>,
}

/// The body of `PATCH /webhooks/{id}`: what is sent changes; `metadata: null` removes it.
#[derive(Deserialize, ToSchema)]
#[allow(dead_code)]
pub struct UpdateWebhookRequest {
    /// An absolute http(s) URL whose host is a domain name (letters, digits and inner hyphens
    /// between dots, the last label starting with a letter; international names are encoded
    /// as `xn--`) or an IP address. Stored and returned as the URL parser writes it.
    #[schema(
        max_length = 2048,
        pattern = r"^[Hh][Tt][Tt][Pp][Ss]?://(?:[^\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\\/?#]*@)?(?:\[[0-9A-Fa-f:.]+\]|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}|(?:(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?|[^\u0000-\u002c\u002e\u002f\u003a-\u0040\u005b-\u0060\u007b-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[^\u0000-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000][^\u0000-\u002c\u002e\u002f\u003a-\u0040\u005b-\u0060\u007b-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*)\.)*(?:[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?|[^\u0000-\u002c\u002e\u002f\u003a-\u0040\u005b-\u0060\u007b-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[^\u0000-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000][^\u0000-\u002c\u002e\u002f\u003a-\u0040\u005b-\u0060\u007b-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*))(?::0*(?:[1-5]?[0-9]{0,4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?(?:[/?#][^\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\\]*)?$"
    )]
    url: Option<String>,
    authorized_events: Option<EventsInput>,
    is_active: Option<bool>,
    #[schema(value_type = Option<Object>)]
    metadata: Option<Value>,
}

/// The body of `POST /webhooks/{id}/test`, optional.
#[derive(Deserialize, ToSchema)]
#[allow(dead_code)]
pub struct TestEventRequest {
    /// `PAYMENT_SUCCEEDED` (default) or `PAYMENT_FAILED`.
    #[schema(value_type = Option<String>, pattern = "^PAYMENT_(?:SUCCEEDED|FAILED)$")]
    event: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Webhook {
    pub id: String,
    /// Same as `id` (the SDKs' name).
    pub webhook_id: String,
    pub organization_id: String,
    pub url: String,
    /// The subscribed events, comma-separated: the generated SDK's type for this field.
    #[schema(example = "PAYMENT_SUCCEEDED,PAYMENT_FAILED")]
    pub authorized_events: String,
    /// The same events as an array.
    pub events: Vec<String>,
    /// The signing secret (`whsec_…`): `X-Lomi-Signature` is the hex HMAC-SHA256 of the raw
    /// body with it. Answered by create, get and update; `null` in lists, as lomi.'s API does.
    pub verification_token: Option<String>,
    pub is_active: bool,
    #[schema(value_type = Option<Object>)]
    pub metadata: Option<Value>,
    /// When the last attempt was made.
    pub last_triggered_at: Option<String>,
    pub last_response_status: Option<u16>,
    /// The start of the last answer (256 bytes, marked when cut), or why there was none.
    pub last_response_body: Option<String>,
    /// The body of the last event sent.
    #[schema(value_type = Option<Object>)]
    pub last_payload: Option<Value>,
    /// Failed attempts so far.
    pub retry_count: u32,
    pub supports_spi: bool,
    #[schema(example = "test")]
    pub environment: String,
    #[schema(example = "api")]
    pub created_by: String,
    pub created_at: String,
    pub updated_at: String,
    pub deleted_at: Option<String>,
}

/// A page of the list route's answer.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct WebhookList {
    data: Vec<Webhook>,
    pagination: crate::http::query::Pagination,
}

/// What `POST /webhooks/{id}/test` queued.
#[derive(Serialize, ToSchema)]
pub struct TestEvent {
    /// The event's `id`, as the delivery's body and `X-Lomi-Event-Id` carry it.
    pub event_id: String,
    pub event: String,
    pub webhook_id: String,
}

fn object(state: &AppState, w: &WebhookRow, with_secret: bool) -> Result<Webhook> {
    let retry_count = state.db().failed_attempts(&w.merchant_id, &w.id)?;
    Ok(Webhook {
        id: w.id.clone(),
        webhook_id: w.id.clone(),
        organization_id: state.merchant().organization_id.clone(),
        url: w.url.clone(),
        authorized_events: w.events.join(","),
        events: w.events.clone(),
        verification_token: with_secret.then(|| w.secret.clone()),
        is_active: w.is_active,
        metadata: metadata(w.metadata.as_deref()),
        last_triggered_at: w.last_triggered_at.map(time),
        last_response_status: w.last_response_status,
        last_response_body: w.last_response_body.clone(),
        last_payload: w
            .last_payload
            .as_deref()
            .and_then(|p| serde_json::from_str(p).ok()),
        retry_count,
        supports_spi: false,
        environment: "test".to_string(),
        created_by: "api".to_string(),
        created_at: time(w.created_at),
        updated_at: time(w.updated_at),
        deleted_at: None,
    })
}

/// `authorized_events` as an array or a comma-separated string; each name one of
/// [`EVENTS`], at least one, duplicates dropped.
fn read_events(f: &mut Fields) -> Option<Vec<String>> {
    const KEY: &str = "authorized_events";
    let names: Vec<String> = match f.raw(KEY) {
        Some(Value::String(text)) => text
            .split(',')
            .map(|name| name.trim_matches(' ').to_string())
            .collect(),
        _ => f.strings(KEY)?,
    };
    let mut events: Vec<String> = Vec::new();
    for name in names {
        if !EVENTS.contains(&name.as_str()) {
            f.fail(KEY, enum_message(&EVENTS, &name));
            return None;
        }
        if !events.contains(&name) {
            events.push(name);
        }
    }
    if events.is_empty() {
        f.fail(KEY, "Name at least one event, such as PAYMENT_SUCCEEDED");
        return None;
    }
    Some(events)
}

/// `url`: an absolute http(s) URL this sandbox may deliver to. An IP literal (in any
/// spelling) or a `localhost` name it would refuse is a 400 now; other names are looked up,
/// and checked, at each attempt.
fn destination(state: &AppState, f: &mut Fields) -> Option<String> {
    let url = f.url("url")?;
    match Policy::new(&state.webhook_settings()).check_url(&url) {
        Ok(()) => Some(url),
        Err(refused) => {
            f.fail("url", refused);
            None
        }
    }
}

fn not_found() -> Error {
    Error::not_found("Webhook not found")
}

#[utoipa::path(
    post,
    operation_id = "create_webhook",
    path = "/webhooks",
    tag = "Webhooks",
    request_body = CreateWebhookRequest,
    responses(
        (status = 201, description = "The endpoint, with its signing secret in verification_token", body = Webhook),
        (status = 400, description = "Validation failed (details name the fields)", body = checkout_core::wire::ErrorBody),
        (status = 409, description = "The merchant already has 16 endpoints", body = checkout_core::wire::ErrorBody),
        (status = 401, description = "Missing, wrong or live API key", body = checkout_core::wire::ErrorBody)
    ),
    security(("api_key" = []))
)]
pub async fn create(
    State(state): State<AppState>,
    JsonObject(mut f): JsonObject,
) -> Result<Response> {
    f.refuse_misspellings::<CreateWebhookRequest>();
    let now = state.now();
    f.require("url");
    f.require("authorized_events");
    let url = destination(&state, &mut f);
    let events = read_events(&mut f);
    let is_active = f.bool("is_active").unwrap_or(true);
    let metadata = f.metadata("metadata");
    f.finish()?;
    let (Some(url), Some(events)) = (url, events) else {
        return Err(Error::invalid("Invalid request data"));
    };
    let merchant = &state.merchant().id;
    let row = WebhookRow {
        id: ids::uuid(),
        merchant_id: merchant.clone(),
        url,
        events,
        secret: webhooks::new_secret(),
        is_active,
        metadata,
        last_triggered_at: None,
        last_response_status: None,
        last_response_body: None,
        last_payload: None,
        created_at: now,
        updated_at: now,
    };
    {
        let db = state.db();
        db.immediate(|db| {
            if db.webhook_count(merchant)? >= MAX_ENDPOINTS {
                return Err(Error::conflict(format!(
                    "At most {MAX_ENDPOINTS} webhook endpoints: delete one first"
                )));
            }
            db.insert_webhook(&row)?;
            Ok::<(), Error>(())
        })?;
    }
    Ok(one(StatusCode::CREATED, &object(&state, &row, true)?))
}

#[utoipa::path(
    get,
    operation_id = "list_webhooks",
    path = "/webhooks",
    tag = "Webhooks",
    params(crate::http::query::PageQuery),
    responses(
        (status = 200, description = "Endpoints, newest first (without their secrets)", body = WebhookList),
        (status = 400, description = "A filter value is invalid", body = checkout_core::wire::ErrorBody),
        (status = 401, description = "Missing, wrong or live API key", body = checkout_core::wire::ErrorBody)
    ),
    security(("api_key" = []))
)]
pub async fn list(State(state): State<AppState>, mut q: QueryParams) -> Result<Response> {
    let page = q.page();
    q.finish()?;
    let (rows, total) = state.db().list_webhooks(&state.merchant().id, page)?;
    let items = rows
        .iter()
        .map(|w| object(&state, w, false))
        .collect::<Result<Vec<_>>>()?;
    Ok(listing(&items, page.with_total(total)))
}

#[utoipa::path(
    get,
    operation_id = "get_webhook",
    path = "/webhooks/{id}",
    tag = "Webhooks",
    params(("id" = String, Path, description = "Webhook id")),
    responses(
        (status = 200, description = "The endpoint, with its signing secret", body = Webhook),
        (status = 404, description = "No webhook with this id", body = checkout_core::wire::ErrorBody),
        (status = 401, description = "Missing, wrong or live API key", body = checkout_core::wire::ErrorBody)
    ),
    security(("api_key" = []))
)]
pub async fn get(State(state): State<AppState>, Id(id): Id) -> Result<Response> {
    let w = state
        .db()
        .webhook(&state.merchant().id, &id)?
        .ok_or_else(not_found)?;
    Ok(one(StatusCode::OK, &object(&state, &w, true)?))
}

#[utoipa::path(
    patch,
    operation_id = "update_webhook",
    path = "/webhooks/{id}",
    tag = "Webhooks",
    params(("id" = String, Path, description = "Webhook id")),
    request_body = UpdateWebhookRequest,
    responses(
        (status = 200, description = "The updated endpoint", body = Webhook),
        (status = 400, description = "An invalid value", body = checkout_core::wire::ErrorBody),
        (status = 404, description = "No webhook with this id", body = checkout_core::wire::ErrorBody),
        (status = 401, description = "Missing, wrong or live API key", body = checkout_core::wire::ErrorBody)
    ),
    security(("api_key" = []))
)]
pub async fn update(
    State(state): State<AppState>,
    Id(id): Id,
    JsonObject(mut f): JsonObject,
) -> Result<Response> {
    f.refuse_misspellings::<UpdateWebhookRequest>();
    let url = destination(&state, &mut f);
    let events = if f.has("authorized_events") {
        read_events(&mut f)
    } else {
        None
    };
    let is_active = f.bool("is_active");
    let remove_metadata = f.contains("metadata") && !f.has("metadata");
    let metadata = f.metadata("metadata");
    f.finish()?;
    let mut w = state
        .db()
        .webhook(&state.merchant().id, &id)?
        .ok_or_else(not_found)?;
    if let Some(url) = url {
        w.url = url;
    }
    if let Some(events) = events {
        w.events = events;
    }
    if let Some(active) = is_active {
        w.is_active = active;
    }
    if metadata.is_some() || remove_metadata {
        w.metadata = metadata;
    }
    w.updated_at = state.now();
    state.db().update_webhook(&w)?;
    Ok(one(StatusCode::OK, &object(&state, &w, true)?))
}

#[utoipa::path(
    delete,
    operation_id = "delete_webhook",
    path = "/webhooks/{id}",
    tag = "Webhooks",
    params(("id" = String, Path, description = "Webhook id")),
    responses(
        (status = 204, description = "Deleted; deliveries still pending are canceled, the log stays"),
        (status = 404, description = "No webhook with this id", body = checkout_core::wire::ErrorBody),
        (status = 401, description = "Missing, wrong or live API key", body = checkout_core::wire::ErrorBody)
    ),
    security(("api_key" = []))
)]
pub async fn delete(State(state): State<AppState>, Id(id): Id) -> Result<Response> {
    let now = state.now();
    let removed = state
        .db()
        .immediate(|db| db.delete_webhook(&state.merchant().id, &id, now))?;
    if removed {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(not_found())
    }
}

#[utoipa::path(
    post,
    operation_id = "send_webhook_test_event",
    path = "/webhooks/{id}/test",
    tag = "Webhooks",
    params(("id" = String, Path, description = "Webhook id")),
    request_body(content = Option<TestEventRequest>, description = "Optional: which event to send"),
    responses(
        (status = 202, description = "Queued: a made-up transaction (metadata lomi_test_event: true) is delivered, signed and logged like any event", body = TestEvent),
        (status = 400, description = "An event the sandbox does not send", body = checkout_core::wire::ErrorBody),
        (status = 404, description = "No webhook with this id", body = checkout_core::wire::ErrorBody),
        (status = 401, description = "Missing, wrong or live API key", body = checkout_core::wire::ErrorBody)
    ),
    security(("api_key" = []))
)]
pub async fn send_test(
    State(state): State<AppState>,
    Id(id): Id,
    OptionalJsonObject(mut f): OptionalJsonObject,
) -> Result<Response> {
    let event = f
        .choice(
            "event",
            &[
                (webhooks::PAYMENT_SUCCEEDED, webhooks::PAYMENT_SUCCEEDED),
                (webhooks::PAYMENT_FAILED, webhooks::PAYMENT_FAILED),
            ],
        )
        .unwrap_or(PAYMENT_SUCCEEDED);
    f.finish()?;
    let now = state.now();
    let merchant = state.merchant().id.clone();
    let event_id = state.db().immediate(|db| {
        let w = db.webhook(&merchant, &id)?.ok_or_else(not_found)?;
        webhooks::send_test_event(db, &w, event, now)
    })?;
    Ok(one(
        StatusCode::ACCEPTED,
        &TestEvent {
            event_id,
            event: event.to_string(),
            webhook_id: id,
        },
    ))
}
