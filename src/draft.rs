//! What the customer has typed, kept in the tab's session storage so a reload, a flaky
//! network or a trip to the wallet app loses nothing. Nothing secret is ever stored here:
//! one-time codes and card data never enter the draft.

use checkout_core::customer::{BillingAddress, CustomerDetails};
use checkout_core::wire::{CheckoutKind, Provider};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub quantity: String,
    pub amount: String,
    pub coupon: Option<String>,
    pub customer: CustomerDetails,
    pub billing: BillingAddress,
    pub provider: Option<Provider>,
}

fn key(kind: CheckoutKind, id: &str) -> String {
    format!("lomi-checkout:draft:{}:{id}", kind.route())
}

/// The tab's session storage; none when the page is rendered on the server.
fn storage() -> Option<web_sys::Storage> {
    if cfg!(feature = "ssr") {
        return None;
    }
    leptos::prelude::window().session_storage().ok().flatten()
}

pub fn load(kind: CheckoutKind, id: &str) -> Option<Draft> {
    let text = storage()?.get_item(&key(kind, id)).ok()??;
    serde_json::from_str(&text).ok()
}

pub fn save(kind: CheckoutKind, id: &str, draft: &Draft) {
    if let (Some(storage), Ok(text)) = (storage(), serde_json::to_string(draft)) {
        // A full or disabled storage (private mode) only costs the customer the restore.
        let _ = storage.set_item(&key(kind, id), &text);
    }
}

pub fn clear(kind: CheckoutKind, id: &str) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(&key(kind, id));
    }
}
