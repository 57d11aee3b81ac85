use crate::i18n::{use_lang, Msg};
use leptos::prelude::*;

/// The shape of the summary while it loads, so nothing jumps when it arrives.
#[component]
pub fn Skeleton() -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="card skeleton" aria-busy="true" data-testid="state-loading">
            <p class="visually-hidden" role="status">{move || lang.get().t(Msg::Loading)}</p>
            <div class="sk sk-merchant"></div>
            <div class="sk sk-title"></div>
            <div class="sk sk-line"></div>
            <div class="sk sk-line short"></div>
            <div class="sk sk-total"></div>
        </section>
    }
}
