//! The merchant API's key check. The sandbox has one merchant and one test key; live keys
//! are refused outright so nobody pastes a production secret into a test tool by habit.
//!
//! The key is found where lomi.'s API key guard looks for it, in its order: `X-API-KEY`,
//! then `X-Lomi-Api-Key`, then `Authorization: Bearer <key>` (the prefix exactly `Bearer `,
//! capital B and one space). Header names are case-insensitive; an empty value counts as
//! absent. Everything keyed on the merchant's key (the check, the rate limiter, the JSON
//! answers to API clients) reads it through [`key_of`].

use crate::error::Error;
use crate::http::state::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The headers that carry the key as it is, in the order they are read.
pub const KEY_HEADERS: [&str; 2] = ["x-api-key", "x-lomi-api-key"];
/// The `Authorization` scheme that carries the key, as lomi.'s guard spells it.
pub const BEARER: &str = "Bearer ";

const MISSING: &str = "Missing API key: send your test key in the X-API-Key header \
     (or X-Lomi-Api-Key, or Authorization: Bearer <key>)";

pub fn is_live_key(key: &str) -> bool {
    key.contains("_live_")
}

/// Compares without an early exit, so response timing does not reveal how much of a guess
/// was right.
fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn text<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

/// The key the request carries, from the first of `X-API-KEY`, `X-Lomi-Api-Key` and
/// `Authorization: Bearer <key>` that has one; surrounding spaces trimmed.
pub fn key_of(headers: &HeaderMap) -> Option<&str> {
    KEY_HEADERS
        .iter()
        .find_map(|name| text(headers, name))
        .or_else(|| {
            headers
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix(BEARER))
                .map(str::trim)
                .filter(|key| !key.is_empty())
        })
}

pub fn check(state: &AppState, request: &Request) -> Result<(), Error> {
    let Some(key) = key_of(request.headers()) else {
        if request.headers().contains_key(header::AUTHORIZATION) {
            return Err(Error::unauthorized(format!(
                "{MISSING}: the Authorization header must read exactly `Bearer <key>`"
            )));
        }
        return Err(Error::unauthorized(MISSING));
    };
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

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn the_guard_s_order_and_exact_bearer_prefix() {
        let key =
            |pairs: &[(&'static str, &'static str)]| key_of(&headers(pairs)).map(String::from);
        assert_eq!(key(&[("x-api-key", " a ")]), Some("a".into()));
        assert_eq!(key(&[("x-lomi-api-key", "b")]), Some("b".into()));
        assert_eq!(key(&[("authorization", "Bearer c")]), Some("c".into()));
        // X-API-KEY first, then X-Lomi-Api-Key, then Authorization.
        assert_eq!(
            key(&[
                ("authorization", "Bearer c"),
                ("x-lomi-api-key", "b"),
                ("x-api-key", "a")
            ]),
            Some("a".into())
        );
        assert_eq!(
            key(&[("authorization", "Bearer c"), ("x-lomi-api-key", "b")]),
            Some("b".into())
        );
        // An empty header counts as absent.
        assert_eq!(
            key(&[("x-api-key", ""), ("authorization", "Bearer c")]),
            Some("c".into())
        );
        for wrong in ["bearer c", "Token c", "Bearerc", "Bearer ", "Basic Yzo="] {
            assert_eq!(
                key_of(&headers(&[("authorization", wrong)])),
                None,
                "{wrong}"
            );
        }
    }
}
