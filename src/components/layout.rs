use crate::api::waiting_for_rate_limit;
use crate::components::lang_switch::LangSwitch;
use crate::i18n::{tr, use_lang, Msg};
use leptos::prelude::*;

/// The frame around every screen: language switch on top, lomi.'s mark below, and above the
/// screen the note that the page is waiting out the API's rate limit (a live region, there
/// from the start so screen readers announce what appears in it). Embedded in a merchant's
/// page, the screen alone (the stylesheet hides the rest): the merchant's page is the frame.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="shell" class:embedded=crate::embed::embedded()>
            <header class="topbar">
                <LangSwitch />
            </header>
            <main id="main" class="content">
                <p class="notice offline throttled" role="status" data-testid="rate-limited">
                    {move || waiting_for_rate_limit().then(|| lang.get().t(Msg::RateLimited))}
                </p>
                {children()}
            </main>
            <footer class="footer">{tr(Msg::SecuredBy)}</footer>
        </div>
    }
}
