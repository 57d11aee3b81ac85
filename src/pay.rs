//! Starting a payment exactly once. Each attempt carries an idempotency key; a reload, a
//! double tap or a retry after a dropped connection re-sends the same key with the same
//! order, so the server answers with the payment it already started instead of a second one.

use crate::api::{self, ApiFailure};
use crate::components::checkout_form::{order_request, FormState};
use checkout_core::payment::{PayRequest, Payment};
use checkout_core::wire::{CheckoutKind, PublicCheckout};
use leptos::prelude::GetUntracked;
use serde::{Deserialize, Serialize};

/// The key is kept with the exact order it was made for: a changed order is a new attempt.
#[derive(Serialize, Deserialize)]
struct Attempt {
    key: String,
    request: PayRequest,
}

fn storage_key(kind: CheckoutKind, id: &str) -> String {
    format!("lomi-checkout:attempt:{}:{id}", kind.route())
}

fn storage() -> Option<web_sys::Storage> {
    leptos::prelude::window().session_storage().ok().flatten()
}

fn random_key() -> String {
    let crypto = js_sys::Reflect::get(&js_sys::global(), &"crypto".into()).ok();
    crypto
        .and_then(|c| {
            let uuid: js_sys::Function =
                js_sys::Reflect::get(&c, &"randomUUID".into()).ok()?.into();
            uuid.call0(&c).ok()?.as_string()
        })
        // Every browser we support has randomUUID; the fallback is unique enough per tab.
        .unwrap_or_else(|| format!("{}-{}", js_sys::Date::now(), js_sys::Math::random()))
}

/// The key for this exact order: the stored one when the order is unchanged, else a new one.
fn key_for(kind: CheckoutKind, id: &str, request: &PayRequest) -> String {
    let stored = storage()
        .and_then(|s| s.get_item(&storage_key(kind, id)).ok().flatten())
        .and_then(|text| serde_json::from_str::<Attempt>(&text).ok())
        .filter(|attempt| &attempt.request == request);
    if let Some(attempt) = stored {
        return attempt.key;
    }
    let attempt = Attempt {
        key: random_key(),
        request: request.clone(),
    };
    if let (Some(s), Ok(text)) = (storage(), serde_json::to_string(&attempt)) {
        let _ = s.set_item(&storage_key(kind, id), &text);
    }
    attempt.key
}

/// Forgets the attempt once it has a final answer, so the next one is a new payment.
pub fn forget_attempt(kind: CheckoutKind, id: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(&storage_key(kind, id));
    }
}

/// The order as confirmed, or `None` while its choices cannot be priced.
pub fn request_from(checkout: &PublicCheckout, form: &FormState) -> Option<PayRequest> {
    let order = order_request(checkout, form).ok()?;
    Some(PayRequest {
        quantity: order.quantity,
        unit_amount: order.unit_amount,
        coupon_code: order.coupon_code,
        customer: form.customer(),
        billing: checkout.require_billing_address.then(|| form.billing()),
        provider: form.provider.get_untracked(),
    })
}

pub async fn start(checkout: &PublicCheckout, request: PayRequest) -> Result<Payment, ApiFailure> {
    let key = key_for(checkout.kind, &checkout.id, &request);
    let result = api::pay(checkout.kind, &checkout.id, &request, &key).await;
    if let Err(ApiFailure::Rejected(_)) = &result {
        // A refusal is final for this order: changing it and paying again is a new attempt.
        forget_attempt(checkout.kind, &checkout.id);
    }
    result
}

/// Sends the browser to a provider's or merchant's page: only ever an http(s) URL.
pub fn leave_for(url: &str) -> bool {
    if checkout_core::validate::redirect_url(url).is_err() {
        return false;
    }
    leptos::prelude::window().location().assign(url).is_ok()
}
