use crate::components::status_card::{StatusCard, Tone};
use crate::i18n::{tr, tr_string, use_lang, Msg};
use leptos::prelude::*;

/// Any address that is not a link or a session.
#[component]
pub fn NotFound() -> impl IntoView {
    crate::embed::error("not_found", use_lang().get_untracked().t(Msg::NotFoundBody));
    view! {
        <StatusCard
            tone=Tone::Neutral
            title=tr_string(Msg::NotFoundTitle)
            body=tr_string(Msg::NotFoundBody)
            testid="state-not-found"
        >
            <a class="button secondary" href="https://lomi.africa">{tr(Msg::HomeLink)}</a>
        </StatusCard>
    }
}
