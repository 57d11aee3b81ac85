use crate::components::lang_switch::LangSwitch;
use crate::i18n::{use_lang, Msg};
use leptos::prelude::*;

/// The frame around every screen: language switch on top, lomi.'s mark below.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="shell">
            <header class="topbar">
                <LangSwitch />
            </header>
            <main id="main" class="content">
                {children()}
            </main>
            <footer class="footer">{move || lang.get().t(Msg::SecuredBy)}</footer>
        </div>
    }
}
