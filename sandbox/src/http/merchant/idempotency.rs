//! `Idempotency-Key` on the merchant API's creates, as lomi.'s API and Stripe honour it: a
//! `POST` retried with the same key and the same body answers the first response again (one
//! object made, however often the merchant's server retries); the same key with another body
//! is a 409 naming the first object. Keys live 24 hours. Only successful creates are kept: a
//! refused body can be corrected and sent again under its key.

use crate::error::{Error, Result};
use crate::http::state::AppState;
use crate::storage::StoredAnswer;
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
    let print = fingerprint(&route, &bytes);
    let merchant = state.merchant().id.clone();

    let _turn = ONE_AT_A_TIME.lock().await;
    let stored = state.db().idempotent_answer(&merchant, &key, state.now());
    match stored {
        Err(error) => return Error::from(error).into_response(),
        Ok(Some(first)) if first.route == route && first.fingerprint == print => {
            return replay(&first)
        }
        Ok(Some(first)) => return reused(&key, &first).into_response(),
        Ok(None) => {}
    }
    let response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    if !response.status().is_success() {
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, usize::MAX).await else {
        return Error::internal("the create's answer could not be read").into_response();
    };
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let object_id = serde_json::from_str::<Value>(&text)
        .ok()
        .and_then(|v| v.get("id").and_then(Value::as_str).map(str::to_string));
    let answer = StoredAnswer {
        route,
        fingerprint: print,
        status: parts.status.as_u16(),
        body: text,
        object_id,
    };
    if let Err(error) = state
        .db()
        .store_idempotent_answer(&merchant, &key, &answer, state.now())
    {
        tracing::warn!(%error, "an idempotency key could not be stored");
    }
    Response::from_parts(parts, Body::from(bytes))
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
