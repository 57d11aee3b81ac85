use crate::components::status_card::{StatusCard, Tone};
use crate::i18n::{use_lang, Msg};
use leptos::prelude::*;

/// Any address that is not a link or a session.
#[component]
pub fn NotFound() -> impl IntoView {
    let lang = use_lang();
    view! {
        <StatusCard
            tone=Tone::Neutral
            title=Signal::derive(move || lang.get().t(Msg::NotFoundTitle).to_string())
            body=Signal::derive(move || lang.get().t(Msg::NotFoundBody).to_string())
            testid="state-not-found"
        >
            <a class="button secondary" href="https://lomi.africa">{move || lang.get().t(Msg::HomeLink)}</a>
        </StatusCard>
    }
}
