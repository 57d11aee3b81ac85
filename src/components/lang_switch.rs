use crate::i18n::{tr, use_lang, Lang, Msg};
use leptos::prelude::*;

/// Two buttons, each named in its own language, so a customer who cannot read the current
/// one still finds theirs.
#[component]
pub fn LangSwitch() -> impl IntoView {
    let lang = use_lang();
    let option = move |choice: Lang, label: &'static str| {
        view! {
            <button
                type="button"
                lang=choice.code()
                aria-pressed=move || (lang.get() == choice).to_string()
                data-testid=format!("lang-{}", choice.code())
                on:click=move |_| lang.set(choice)
            >
                {label}
            </button>
        }
    };
    view! {
        <div class="lang-switch" role="group" aria-label=tr(Msg::Language)>
            {option(Lang::Fr, "Français")}
            {option(Lang::En, "English")}
        </div>
    }
}
