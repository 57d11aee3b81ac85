use crate::i18n::{use_lang, Msg};
use leptos::prelude::*;

/// Shown on every test-mode link or session, so nobody mistakes the sandbox for a payment.
#[component]
pub fn TestBanner() -> impl IntoView {
    let lang = use_lang();
    view! {
        <p class="test-banner" role="note" data-testid="test-mode-banner">
            {move || lang.get().t(Msg::TestModeBanner)}
        </p>
    }
}
