//! The merchant API's key check. The sandbox has one merchant and one test key; live keys
//! are refused outright so nobody pastes a production secret into a test tool by habit.

use crate::error::Error;
use crate::http::state::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

pub const HEADER: &str = "x-api-key";

pub fn is_live_key(key: &str) -> bool {
    key.contains("_live_")
}

/// Compares without an early exit, so response timing does not reveal how much of a guess
/// was right.
fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub fn check(state: &AppState, request: &Request) -> Result<(), Error> {
    let Some(value) = request.headers().get(HEADER) else {
        return Err(Error::unauthorized(
            "Missing API key: send your test key in the X-API-Key header",
        ));
    };
    let key = value.to_str().unwrap_or("").trim();
    if key.is_empty() {
        return Err(Error::unauthorized(
            "Missing API key: send your test key in the X-API-Key header",
        ));
    }
    if is_live_key(key) {
        return Err(Error::unauthorized(
            "Live API keys are refused: the sandbox takes test keys only (lomi_sk_test_...)",
        ));
    }
    if !same(key, state.api_key()) {
        return Err(Error::unauthorized("Invalid API key"));
    }
    Ok(())
}

pub async fn require_key(State(state): State<AppState>, request: Request, next: Next) -> Response {
    match check(&state, &request) {
        Ok(()) => next.run(request).await,
        Err(error) => error.into_response(),
    }
}
