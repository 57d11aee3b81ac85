use crate::i18n::use_lang;
use crate::nav;
use leptos::prelude::*;

/// "Back to {merchant}", to the merchant's cancel URL: the way out of the form and of every
/// screen where there is nothing to pay. Nothing when the merchant named no URL. Embedded, it
/// asks the merchant's page to close the checkout instead (`close`).
#[component]
pub fn BackToMerchant(
    url: Option<String>,
    merchant: String,
    /// Full width, under the pay button.
    #[prop(optional)]
    wide: bool,
) -> impl IntoView {
    let lang = use_lang();
    let class = if wide {
        "button secondary back"
    } else {
        "button secondary"
    };
    nav::followable(url).map(|url| {
        view! {
            <a class=class href=url rel="external" data-testid="back-to-merchant" on:click=close>
                {move || lang.get().back_to(&merchant)}
            </a>
        }
    })
}

/// A click on a way back to the merchant: embedded, asks the merchant's page to close the
/// checkout instead of following the link; with nobody to ask, the link is followed.
pub fn close(ev: leptos::ev::MouseEvent) {
    if crate::embed::embedded() && crate::embed::post("close", &[]) {
        ev.prevent_default();
    }
}
