//! `Idempotency-Key` on the merchant API's creates, as lomi.'s API and Stripe honour it: a
//! `POST` retried with the same key and the same body answers the first response again (one
//! object made, however often the merchant's server retries); the same key with another body
//! is a 409 naming the first object. Keys live 24 hours. Only successful creates are kept: a
//! refused body can be corrected and sent again under its key.

use crate::error::{Error, Result};
use crate::http::input::Id;
use crate::http::merchant::{
    checkout_sessions, coupons, payment_links, prices, products, webhooks,
};
use crate::http::state::AppState;
use crate::storage::{under_key, KeyClaim, StoredAnswer};
use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use sha2::{Digest, Sha256};
use tokio::sync::Mutex;

pub const HEADER: &str = "idempotency-key";
/// Set on an answer replayed from a key, as Stripe does.
pub const REPLAYED: &str = "idempotent-replayed";
const MAX_KEY: usize = 255;
const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Creates carrying a key run one at a time, so two concurrent retries cannot both create.
static ONE_AT_A_TIME: Mutex<()> = Mutex::const_new(());

/// The route a key is bound to, spelled one way: `/v1/checkout_sessions` and
/// `/checkout-sessions` are the same create.
fn route_of(path: &str) -> String {
    let path = path.strip_prefix("/v1").unwrap_or(path);
    let path = path.replace('_', "-");
    let path = path.replace("/discount-coupons", "/coupons");
    format!("POST {}", path.trim_end_matches('/'))
}

/// The body as the server reads it: JSON compared by value (key order and spacing do not
/// matter), anything else byte for byte.
fn fingerprint(route: &str, body: &[u8]) -> String {
    let canonical = match serde_json::from_slice::<Value>(body) {
        Ok(value) => serde_json::to_vec(&value).unwrap_or_else(|_| body.to_vec()),
        Err(_) => body.to_vec(),
    };
    let mut hash = Sha256::new();
    hash.update(route.as_bytes());
    hash.update([0]);
    hash.update(&canonical);
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

fn read_key(request: &Request) -> Result<Option<String>> {
    let Some(value) = request.headers().get(HEADER) else {
        return Ok(None);
    };
    let key = value
        .to_str()
        .map(str::trim)
        .map_err(|_| Error::invalid_field("Idempotency-Key", "Must be printable ASCII"))?;
    if key.is_empty() || key.len() > MAX_KEY {
        return Err(Error::invalid_field(
            "Idempotency-Key",
            format!("Must be 1 to {MAX_KEY} characters"),
        ));
    }
    Ok(Some(key.to_string()))
}

fn replay(answer: &StoredAnswer) -> Response {
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::OK);
    let mut response = (status, answer.body.clone()).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers.insert(REPLAYED, HeaderValue::from_static("true"));
    response
}

fn reused(key: &str, first: &StoredAnswer) -> Error {
    let named = first
        .object_id
        .as_deref()
        .map_or_else(String::new, |id| format!(" (it made {id})"));
    let mut error = Error::conflict(format!(
        "Idempotency-Key {key} was already used with another request to {}{named}: send a new key for a new request",
        first.route
    ))
    .with_detail("idempotency_key", "Already used with another request body");
    if let Some(id) = &first.object_id {
        error = error.with_detail("object_id", id.clone());
    }
    error
}

pub async fn replay_creates(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if request.method() != Method::POST {
        return next.run(request).await;
    }
    let key = match read_key(&request) {
        Ok(Some(key)) => key,
        Ok(None) => return next.run(request).await,
        Err(error) => return error.into_response(),
    };
    let route = route_of(request.uri().path());
    let (parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_BODY_BYTES).await else {
        return Error::payload_too_large().into_response();
    };
    let claim = KeyClaim {
        merchant_id: state.merchant().id.clone(),
        fingerprint: fingerprint(&route, &bytes),
        route,
        key,
        now: state.now(),
    };

    let _turn = ONE_AT_A_TIME.lock().await;
    let stored = state
        .db()
        .idempotent_answer(&claim.merchant_id, &claim.key, claim.now);
    match stored {
        Err(error) => return Error::from(error).into_response(),
        Ok(Some(first)) if first.route == claim.route && first.fingerprint == claim.fingerprint => {
            if !first.is_pending() {
                return replay(&first);
            }
            return match recover(&state, &claim, &first).await {
                Ok(answer) => replay(&answer),
                Err(error) => error.into_response(),
            };
        }
        Ok(Some(first)) => return reused(&claim.key, &first).into_response(),
        Ok(None) => {}
    }
    // The create's insert records the key in its own transaction (storage::under_key).
    let response = under_key(
        claim.clone(),
        next.run(Request::from_parts(parts, Body::from(bytes))),
    )
    .await;
    if !response.status().is_success() {
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, usize::MAX).await else {
        return Error::internal("the create's answer could not be read").into_response();
    };
    keep(&state, &claim, parts.status.as_u16(), &bytes);
    Response::from_parts(parts, Body::from(bytes))
}

/// Stores the answer to the claim's key (the object's id read from it), for its replays.
fn keep(state: &AppState, claim: &KeyClaim, status: u16, bytes: &[u8]) -> StoredAnswer {
    let text = String::from_utf8_lossy(bytes).into_owned();
    let object_id = serde_json::from_str::<Value>(&text)
        .ok()
        .and_then(|v| v.get("id").and_then(Value::as_str).map(str::to_string));
    let answer = StoredAnswer {
        route: claim.route.clone(),
        fingerprint: claim.fingerprint.clone(),
        status,
        body: text,
        object_id,
    };
    if let Err(error) =
        state
            .db()
            .store_idempotent_answer(&claim.merchant_id, &claim.key, &answer, claim.now)
    {
        tracing::warn!(%error, "an idempotency key's answer could not be stored");
    }
    answer
}

/// The answer to a key whose create committed its object but not its answer (the process
/// stopped in between): the object as it is now, with the create's status, kept for the
/// next replay. A key whose object was deleted since is a conflict naming it.
async fn recover(state: &AppState, claim: &KeyClaim, first: &StoredAnswer) -> Result<StoredAnswer> {
    let id = first.object_id.clone().unwrap_or_default();
    let read = match claim.route.as_str() {
        "POST /payment-links" => payment_links::get(State(state.clone()), Id(id.clone())).await,
        "POST /checkout-sessions" => {
            checkout_sessions::get(State(state.clone()), Id(id.clone())).await
        }
        "POST /products" => products::get(State(state.clone()), Id(id.clone())).await,
        "POST /prices" => prices::get(State(state.clone()), Id(id.clone())).await,
        // lomi.'s spelling of a price's create: POST /products/{id}/prices.
        route if route.starts_with("POST /products/") && route.ends_with("/prices") => {
            prices::get(State(state.clone()), Id(id.clone())).await
        }
        "POST /coupons" => coupons::get(State(state.clone()), Id(id.clone())).await,
        "POST /webhooks" => webhooks::get(State(state.clone()), Id(id.clone())).await,
        other => Err(Error::internal(format!(
            "{other} made an object it cannot read back"
        ))),
    };
    let gone = || {
        Error::conflict(format!(
            "Idempotency-Key {} made {id}, which no longer exists: send a new key for a new request",
            claim.key
        ))
        .with_detail("object_id", id.clone())
    };
    let response = read.map_err(|_| gone())?;
    if !response.status().is_success() {
        return Err(gone());
    }
    let bytes = to_bytes(response.into_body(), usize::MAX)
        .await
        .map_err(|_| Error::internal("the created object could not be read back"))?;
    Ok(keep(state, claim, StatusCode::CREATED.as_u16(), &bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_of_a_create_is_one_route() {
        assert_eq!(route_of("/v1/checkout_sessions"), "POST /checkout-sessions");
        assert_eq!(route_of("/checkout-sessions/"), "POST /checkout-sessions");
        assert_eq!(route_of("/v1/discount_coupons"), "POST /coupons");
    }

    #[test]
    fn json_bodies_compare_by_value() {
        let a = fingerprint("POST /x", br#"{"a": 1, "b": "c"}"#);
        let b = fingerprint("POST /x", br#"{"b":"c","a":1}"#);
        assert_eq!(a, b);
        assert_ne!(a, fingerprint("POST /x", br#"{"a": 2, "b": "c"}"#));
        assert_ne!(a, fingerprint("POST /y", br#"{"a": 1, "b": "c"}"#));
    }
}
