use crate::i18n::{tr, Msg};
use leptos::prelude::*;

/// Shown on every test-mode link or session, so nobody mistakes the sandbox for a payment.
#[component]
pub fn TestBanner() -> impl IntoView {
    view! {
        <p class="test-banner" role="note" data-testid="test-mode-banner">
            {tr(Msg::TestModeBanner)}
        </p>
    }
}
