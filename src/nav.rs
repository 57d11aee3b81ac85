//! Leaving the page: for a provider's page (Wave, the card page), the merchant's success page
//! after a payment, or the merchant's cancel page ("back to the merchant"). Every link or
//! redirect that leaves goes through [`followable`], so only an absolute http(s) URL is
//! ever followed.

use leptos::prelude::window;

/// The URL if the browser may be sent there: only ever an absolute http(s) URL. Every link
/// or redirect leaving the page goes through this.
pub fn followable(url: Option<String>) -> Option<String> {
    url.filter(|u| checkout_core::validate::redirect_url(u).is_ok())
}

/// Sends the browser to a provider's or merchant's page, if [`followable`].
pub fn leave_for(url: &str) -> bool {
    followable(Some(url.to_string())).is_some_and(|url| window().location().assign(&url).is_ok())
}

fn redirected_key(payment_id: &str) -> String {
    format!("lomi-checkout:redirected:{payment_id}")
}

/// Sends the customer to a provider's page once per payment: coming back from it must land
/// on the live status, not bounce them straight back out.
pub fn leave_once(payment_id: &str, url: &str) {
    let storage = window().session_storage().ok().flatten();
    let key = redirected_key(payment_id);
    if storage
        .as_ref()
        .and_then(|s| s.get_item(&key).ok().flatten())
        .is_some()
    {
        return;
    }
    if let Some(s) = storage {
        let _ = s.set_item(&key, "1");
    }
    leave_for(url);
}
