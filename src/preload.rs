//! The link or session the server rendered the page with. The server inlines it once, as
//! JSON in `<script type="application/json" id="lomi-checkout-data">`, so the app's first
//! render shows exactly what the server painted and asks the API nothing.

use checkout_core::wire::{CheckoutKind, PublicCheckout};
use leptos::prelude::*;

/// The id of the element holding the inlined JSON.
pub const ELEMENT_ID: &str = "lomi-checkout-data";

/// What the server found at the page's address.
#[derive(Clone, Debug, PartialEq)]
pub enum Initial {
    /// The link or session, as the public API answers it (`PublicCheckout`).
    Found(Box<PublicCheckout>),
    /// No such link or session (inlined as `null`).
    Missing,
}

/// The server's answer, for the first render of the route it was rendered for only.
#[derive(Clone, Copy)]
struct Preloaded(StoredValue<Option<Initial>>);

pub fn provide(initial: Option<Initial>) {
    provide_context(Preloaded(StoredValue::new(initial)));
}

/// The inlined answer if it is the one the route `kind`/`id` shows, taken once: later
/// renders of the route (another payment in the URL, a retry) ask the API.
pub fn take(kind: CheckoutKind, id: &str) -> Option<Initial> {
    let Preloaded(slot) = use_context::<Preloaded>()?;
    let is_session = kind == CheckoutKind::Session;
    slot.try_update_value(|slot| {
        slot.take_if(|initial| match initial {
            Initial::Found(c) => c.id == id && (c.kind == CheckoutKind::Session) == is_session,
            Initial::Missing => true,
        })
    })
    .flatten()
}

/// Reads, and removes, the inlined JSON the server put in the page.
#[cfg(not(feature = "ssr"))]
pub fn from_document() -> Option<Initial> {
    let element = document().get_element_by_id(ELEMENT_ID)?;
    let text = element.text_content()?;
    element.remove();
    match crate::api::parse_json::<Option<PublicCheckout>>(&text) {
        Some(Some(checkout)) => Some(Initial::Found(Box::new(checkout))),
        Some(None) => Some(Initial::Missing),
        // Unreadable: the app asks the API, as if nothing had been inlined.
        None => None,
    }
}
