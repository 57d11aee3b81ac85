//! What the customer has typed, kept in the tab's session storage so a reload, a flaky
//! network or a trip to the wallet app loses nothing. Nothing secret is ever stored here:
//! one-time codes and card data never enter the draft.

use checkout_core::customer::{BillingAddress, CustomerDetails};
use checkout_core::json::{FromJson, Json, ToJson};
use checkout_core::wire::{CheckoutKind, Provider};

#[derive(Clone, Debug, Default, PartialEq)]
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
    crate::api::parse_json(&text)
}

pub fn save(kind: CheckoutKind, id: &str, draft: &Draft) {
    if let Some(storage) = storage() {
        // A full or disabled storage (private mode) only costs the customer the restore.
        let _ = storage.set_item(&key(kind, id), &crate::api::to_json(draft));
    }
}

pub fn clear(kind: CheckoutKind, id: &str) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(&key(kind, id));
    }
}

// Stored as serde wrote it before (the same members), so a draft saved by an earlier build
// of the page still restores.
impl FromJson for Draft {
    fn from_json(value: &Json) -> Option<Self> {
        let o = value.object()?;
        Some(Draft {
            quantity: o.field("quantity")?,
            amount: o.field("amount")?,
            coupon: o.field("coupon")?,
            customer: o.field("customer")?,
            billing: o.field("billing")?,
            provider: o.field("provider")?,
        })
    }
}

impl ToJson for Draft {
    fn to_json(&self) -> Json {
        let Draft {
            quantity,
            amount,
            coupon,
            customer,
            billing,
            provider,
        } = self;
        Json::object_of([
            ("quantity", quantity.to_json()),
            ("amount", amount.to_json()),
            ("coupon", coupon.to_json()),
            ("customer", customer.to_json()),
            ("billing", billing.to_json()),
            ("provider", provider.to_json()),
        ])
    }
}
