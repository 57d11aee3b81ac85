//! Starting a payment exactly once. An attempt keeps one idempotency key until the server
//! has answered it: a reload, a double tap or a retry after a dropped connection re-sends
//! that key, so the server returns the payment it already started (or, if the customer
//! changed the order meanwhile, points at it) instead of starting a second one.

use crate::api::{self, ApiFailure};
use checkout_core::json::{FromJson, Json, ToJson};
use checkout_core::payment::{PayRequest, Payment};
use checkout_core::wire::{CheckoutKind, PublicCheckout};

/// The attempt in flight: its key, and the last order sent with it (what a replay of the
/// page's own request would send).
struct Attempt {
    key: String,
    request: Option<PayRequest>,
}

impl FromJson for Attempt {
    fn from_json(value: &Json) -> Option<Self> {
        let o = value.object()?;
        Some(Attempt {
            key: o.field("key")?,
            request: o.field("request")?,
        })
    }
}

impl ToJson for Attempt {
    fn to_json(&self) -> Json {
        Json::object_of([
            ("key", self.key.to_json()),
            ("request", self.request.to_json()),
        ])
    }
}

fn storage_key(kind: CheckoutKind, id: &str) -> String {
    format!("lomi-checkout:attempt:{}:{id}", kind.route())
}

fn storage() -> Option<web_sys::Storage> {
    leptos::prelude::window().session_storage().ok().flatten()
}

/// A new key: the browser's `crypto.randomUUID()`.
fn random_key() -> String {
    leptos::prelude::window()
        .crypto()
        .ok()
        // Every browser we support has randomUUID on a secure page (https, localhost);
        // elsewhere (plain http) the fallback is unique enough per tab.
        .filter(|crypto| js_sys::Reflect::has(crypto, &"randomUUID".into()).unwrap_or(false))
        .map(|crypto| crypto.random_uuid())
        .unwrap_or_else(|| {
            format!(
                "{}-{}",
                js_number(js_sys::Date::now()),
                js_number(js_sys::Math::random())
            )
        })
}

/// A number as JavaScript writes it: Rust's float formatting (its only use on the page)
/// costs 5.6 KB of brotli wasm.
fn js_number(n: f64) -> String {
    js_sys::Number::from(n)
        .to_string_with_radix(10)
        .map(String::from)
        .unwrap_or_default()
}

/// The key of the attempt without a final outcome yet, or a new one; records `request` as
/// the order now sent with it.
fn attempt_key(kind: CheckoutKind, id: &str, request: &PayRequest) -> String {
    let key = storage()
        .and_then(|s| s.get_item(&storage_key(kind, id)).ok().flatten())
        .and_then(|text| api::parse_json::<Attempt>(&text))
        .map(|attempt| attempt.key)
        .unwrap_or_else(random_key);
    let attempt = Attempt {
        key: key.clone(),
        request: Some(request.clone()),
    };
    if let Some(s) = storage() {
        let _ = s.set_item(&storage_key(kind, id), &api::to_json(&attempt));
    }
    key
}

/// Forgets the attempt once it has a final answer, so the next one is a new payment.
pub fn forget_attempt(kind: CheckoutKind, id: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(&storage_key(kind, id));
    }
}

/// Sends the order with the attempt's key. The key is only forgotten when the payment it
/// started has a final outcome (the payment screen does that), so until then any new try
/// from this tab leads to that payment rather than to a second one.
pub async fn start(checkout: &PublicCheckout, request: PayRequest) -> Result<Payment, ApiFailure> {
    let key = attempt_key(checkout.kind, &checkout.id, &request);
    api::pay(checkout.kind, &checkout.id, &request, &key).await
}
