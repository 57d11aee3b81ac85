//! Rate limits, with the `governor` crate's GCRA limiters, kept in memory.
//!
//! - The public checkout API answers at most `--public-rate-limit-per-client` requests a
//!   minute from one client address and `--public-rate-limit-per-payment` about one payment
//!   (the paths under `/api/checkout/payments/{id}`); beyond either, 429 with `Retry-After`.
//!   The address is the connection's own, never a header a client can write
//!   (`X-Forwarded-For`); an IPv6 client is counted by its /64, which it usually owns whole.
//! - The merchant API, with `--merchant-rate-limit`, holds a test key to the seeds' limits,
//!   120 requests a minute and 20,000 a day, and says where the key stands in
//!   `X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset` (seconds until the
//!   whole quota is back) on every answer to that key, as lomi.'s API does.
//!
//! A limit of N a period lets N requests through at once, then one every period / N: a
//! client that paused gets its burst back, one that keeps hammering waits its turn.

use crate::config::Config;
use crate::error::Error;
use crate::http::input::Id;
use axum::extract::{ConnectInfo, FromRequestParts, MatchedPath, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::middleware::StateInformationMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};
use std::hash::Hash;
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

const MINUTE: Duration = Duration::from_secs(60);
const DAY: Duration = Duration::from_secs(86_400);

/// The seeds' limits of a test key (lomi.'s Payment Links reference, "Rate Limits").
pub const MERCHANT_PER_MINUTE: u32 = 120;
pub const MERCHANT_PER_DAY: u32 = 20_000;

pub const LIMIT_HEADER: HeaderName = HeaderName::from_static("x-ratelimit-limit");
pub const REMAINING_HEADER: HeaderName = HeaderName::from_static("x-ratelimit-remaining");
pub const RESET_HEADER: HeaderName = HeaderName::from_static("x-ratelimit-reset");

/// Past this many keys, those whose quota is whole again are forgotten, so ids made up by
/// a scanner do not pile up.
const FORGET_ABOVE: usize = 10_000;

type Gcra<K> = RateLimiter<K, DefaultKeyedStateStore<K>, DefaultClock, StateInformationMiddleware>;

/// `limit` requests a `period` for each key.
pub struct Limit<K: Hash + Eq + Clone> {
    limit: u32,
    /// How long one spent request takes to come back.
    interval: Duration,
    gcra: Gcra<K>,
}

/// What a limit says about one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Decision {
    pub limit: u32,
    /// Requests the key may still send right away.
    pub remaining: u32,
    /// Until the key's whole quota is back.
    pub reset: Duration,
    /// When refused: how long until a request of this key would be let through.
    pub retry_after: Option<Duration>,
}

impl<K: Hash + Eq + Clone> Limit<K> {
    /// `None` for a limit of 0, which means no limit.
    pub fn new(limit: u32, period: Duration) -> Option<Self> {
        let burst = NonZeroU32::new(limit)?;
        let interval = (period / limit).max(Duration::from_nanos(1));
        let quota = Quota::with_period(interval)?.allow_burst(burst);
        Some(Limit {
            limit,
            interval,
            gcra: RateLimiter::keyed(quota).with_middleware::<StateInformationMiddleware>(),
        })
    }

    /// Counts a request of `key`, unless it is refused.
    pub fn check(&self, key: &K) -> Decision {
        if self.gcra.len() > FORGET_ABOVE {
            self.gcra.retain_recent();
        }
        let now = self.gcra.clock().now();
        match self.gcra.check_key(key) {
            Ok(state) => {
                let remaining = state.remaining_burst_capacity().min(self.limit);
                Decision {
                    limit: self.limit,
                    remaining,
                    reset: self.interval * (self.limit - remaining),
                    retry_after: None,
                }
            }
            Err(not_until) => {
                let wait = not_until.wait_time_from(now);
                Decision {
                    limit: self.limit,
                    remaining: 0,
                    reset: wait + self.interval * (self.limit - 1),
                    retry_after: Some(wait),
                }
            }
        }
    }
}

/// A test key's two limits on the merchant API.
struct MerchantLimits {
    minute: Limit<String>,
    day: Limit<String>,
}

/// Every limit the sandbox was started with; an absent one is off.
pub struct RateLimits {
    per_client: Option<Limit<IpAddr>>,
    per_payment: Option<Limit<String>>,
    merchant: Option<MerchantLimits>,
}

impl RateLimits {
    pub fn new(config: &Config) -> Self {
        let merchant = || {
            Some(MerchantLimits {
                minute: Limit::new(MERCHANT_PER_MINUTE, MINUTE)?,
                day: Limit::new(MERCHANT_PER_DAY, DAY)?,
            })
        };
        RateLimits {
            per_client: Limit::new(config.public_rate_limit_per_client, MINUTE),
            per_payment: Limit::new(config.public_rate_limit_per_payment, MINUTE),
            merchant: if config.merchant_rate_limit {
                merchant()
            } else {
                None
            },
        }
    }
}

/// Whole seconds, rounded up and at least 1: what `Retry-After` and `X-RateLimit-Reset` say.
pub fn whole_seconds(duration: Duration) -> u64 {
    let secs = duration.as_secs() + u64::from(duration.subsec_nanos() > 0);
    secs.max(1)
}

/// The 429 answer: the sandbox's error shape, and `Retry-After`.
fn too_many(what: &str, wait: Duration) -> Response {
    let secs = whole_seconds(wait);
    let mut response =
        Error::rate_limited(format!("{what}: try again in {secs} s")).into_response();
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(secs));
    response
}

/// The client's address as the limit counts it: IPv4 (an IPv4-mapped IPv6 address too) as
/// it is, IPv6 by its /64.
pub fn client_key(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V6(v6) => {
            let bits = u128::from(v6) & (u128::MAX << 64);
            IpAddr::V6(bits.into())
        }
        v4 => v4,
    }
}

/// The route of every public path about one payment: `/api/checkout/payments/{id}` and the
/// paths under it.
const PAYMENT_ROUTE: &str = "/api/checkout/payments/{id}";

/// The payment a public API request is about: its route's `{id}`, read by the extractor its
/// handler reads it with ([`Id`]: percent-decoded by the router), so `pay_1`, `%70ay_1` and
/// `pay%5F1` are one payment here as they are there. Only ids with the shape of the
/// sandbox's ids are counted (others are unknown anyway, and only the client's limit applies
/// to them).
pub async fn payment_id(parts: &mut Parts) -> Option<String> {
    let route = parts.extensions.get::<MatchedPath>()?.as_str();
    if !route.starts_with(PAYMENT_ROUTE) {
        return None;
    }
    let Id(id) = Id::from_request_parts(parts, &()).await.ok()?;
    well_formed(&id).then_some(id)
}

/// At most 100 ASCII letters, digits, `-` and `_`: the sandbox's ids.
fn well_formed(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 100
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The public checkout API's limits, before any handler runs: a refused request had no
/// effect, so the page may send it again once the wait is over. Requests without the
/// connection's address (a test driving the router directly) are counted per payment only.
pub async fn limit_public(
    State(limits): State<Arc<RateLimits>>,
    request: Request,
    next: Next,
) -> Response {
    if let Some(limit) = &limits.per_client {
        let client = request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| client_key(addr.ip()));
        if let Some(wait) = client.and_then(|client| limit.check(&client).retry_after) {
            return too_many("Too many requests from your address", wait);
        }
    }
    let request = match &limits.per_payment {
        Some(limit) => {
            let (mut parts, body) = request.into_parts();
            if let Some(id) = payment_id(&mut parts).await {
                if let Some(wait) = limit.check(&id).retry_after {
                    return too_many("Too many requests about this payment", wait);
                }
            }
            Request::from_parts(parts, body)
        }
        None => request,
    };
    next.run(request).await
}

fn write_headers(headers: &mut HeaderMap, decision: &Decision) {
    headers.insert(LIMIT_HEADER, HeaderValue::from(decision.limit));
    headers.insert(REMAINING_HEADER, HeaderValue::from(decision.remaining));
    headers.insert(
        RESET_HEADER,
        HeaderValue::from(whole_seconds(decision.reset)),
    );
}

/// The merchant API's limits for the request's `key`, when switched on. Called after the
/// key check (in the merchant router), so only the merchant's own key is counted, and
/// before the idempotent replay, which counts as a request like any other.
pub async fn limit_merchant(
    limits: &RateLimits,
    key: String,
    request: Request,
    next: Next,
) -> Response {
    let Some(limits) = &limits.merchant else {
        return next.run(request).await;
    };
    let minute = limits.minute.check(&key);
    let (decision, refused) = match minute.retry_after {
        Some(wait) => (minute, Some(("a minute", wait))),
        None => {
            let day = limits.day.check(&key);
            match day.retry_after {
                Some(wait) => (day, Some(("a day", wait))),
                // The headers tell of the limit the key is nearer to.
                None if day.remaining < minute.remaining => (day, None),
                None => (minute, None),
            }
        }
    };
    let mut response = match refused {
        Some((per, wait)) => too_many(
            &format!(
                "Rate limit exceeded: a test key may send {} requests {per}",
                decision.limit
            ),
            wait,
        ),
        None => next.run(request).await,
    };
    write_headers(response.headers_mut(), &decision);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_limit_lets_its_burst_through_then_says_how_long_to_wait() {
        let limit = Limit::new(3, MINUTE).expect("a limit");
        let key = "pay_1".to_string();
        let remaining: Vec<u32> = (0..3).map(|_| limit.check(&key).remaining).collect();
        assert_eq!(remaining, [2, 1, 0]);
        let refused = limit.check(&key);
        let wait = refused.retry_after.expect("the fourth is refused");
        assert!(wait > Duration::from_secs(19) && wait <= Duration::from_secs(20));
        assert_eq!(refused.remaining, 0);
        assert!(refused.reset > Duration::from_secs(59) && refused.reset <= MINUTE);
        // Another key has its own quota.
        assert_eq!(limit.check(&"pay_2".to_string()).retry_after, None);
        assert!(Limit::<String>::new(0, MINUTE).is_none());
    }

    #[test]
    fn seconds_round_up_and_never_say_zero() {
        assert_eq!(whole_seconds(Duration::from_millis(1)), 1);
        assert_eq!(whole_seconds(Duration::ZERO), 1);
        assert_eq!(whole_seconds(Duration::from_millis(2_001)), 3);
        assert_eq!(whole_seconds(Duration::from_secs(20)), 20);
    }

    #[test]
    fn clients_are_counted_by_address_and_ipv6_by_its_64() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().unwrap();
        let other: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(client_key(a), client_key(b));
        assert_ne!(client_key(a), client_key(other));
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        assert_eq!(client_key(mapped), "192.0.2.7".parse::<IpAddr>().unwrap());
    }

    #[test]
    fn only_ids_of_the_sandboxs_shape_are_counted() {
        assert!(well_formed("pay_ab12"));
        assert!(well_formed("0b6c1a52-3f0e-4c7e-9d4e-2f1b8c9a7d10"));
        assert!(!well_formed(""));
        assert!(!well_formed("a b"));
        assert!(!well_formed("a/b"));
        assert!(!well_formed(&"x".repeat(101)));
    }

    /// The id as the payment routes' handlers read it, through a router like theirs.
    async fn counted(uri: &str) -> Option<String> {
        use axum::routing::get;
        use tower::ServiceExt;
        let router = axum::Router::new()
            .route(PAYMENT_ROUTE, get(|| async { "" }))
            .route(&format!("{PAYMENT_ROUTE}/otp"), get(|| async { "" }))
            .route("/api/checkout/links/{id}", get(|| async { "" }))
            .layer(axum::middleware::from_fn(
                |request: Request, next: Next| async move {
                    let (mut parts, body) = request.into_parts();
                    let id = payment_id(&mut parts).await.unwrap_or_default();
                    let mut response = next.run(Request::from_parts(parts, body)).await;
                    response
                        .headers_mut()
                        .insert("x-counted", HeaderValue::from_str(&id).unwrap());
                    response
                },
            ));
        let request = Request::builder()
            .uri(uri)
            .body(axum::body::Body::empty())
            .unwrap();
        let response = router.oneshot(request).await.unwrap();
        let id = response.headers().get("x-counted")?.to_str().ok()?;
        (!id.is_empty()).then(|| id.to_string())
    }

    #[tokio::test]
    async fn payment_paths_name_their_payment_decoded() {
        for uri in [
            "/api/checkout/payments/pay_ab12",
            "/api/checkout/payments/%70ay_ab12",
            "/api/checkout/payments/pay%5Fab12",
            "/api/checkout/payments/pay%5fab12/otp",
            "/api/checkout/payments/%70%61%79%5F%61%62%31%32",
        ] {
            assert_eq!(counted(uri).await.as_deref(), Some("pay_ab12"), "{uri}");
        }
        for uri in [
            "/api/checkout/payments/a%20b",
            "/api/checkout/payments/a%2Fb",
            "/api/checkout/links/pay_ab12",
        ] {
            assert_eq!(counted(uri).await, None, "{uri}");
        }
        let long = format!("/api/checkout/payments/{}", "x".repeat(101));
        assert_eq!(counted(&long).await, None);
    }
}
