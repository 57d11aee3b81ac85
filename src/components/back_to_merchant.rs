use crate::i18n::use_lang;
use crate::nav;
use leptos::prelude::*;

/// "Back to {merchant}", to the merchant's cancel URL: the way out of the form and of every
/// screen where there is nothing to pay. Nothing when the merchant named no URL.
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
            <a class=class href=url rel="external" data-testid="back-to-merchant">
                {move || lang.get().back_to(&merchant)}
            </a>
        }
    })
}
