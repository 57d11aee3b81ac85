use crate::components::lang_switch::LangSwitch;
use crate::i18n::{tr, Msg};
use leptos::prelude::*;

/// The frame around every screen: language switch on top, lomi.'s mark below.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    view! {
        <div class="shell">
            <header class="topbar">
                <LangSwitch />
            </header>
            <main id="main" class="content">
                {children()}
            </main>
            <footer class="footer">{tr(Msg::SecuredBy)}</footer>
        </div>
    }
}
