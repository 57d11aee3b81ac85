use crate::i18n::{tr, Msg};
use leptos::prelude::*;

/// The shape of the summary while it loads, so nothing jumps when it arrives.
#[component]
pub fn Skeleton() -> impl IntoView {
    view! {
        <section class="card skeleton" aria-busy="true" data-testid="state-loading">
            <p class="visually-hidden" role="status">{tr(Msg::Loading)}</p>
            <div class="sk sk-merchant"></div>
            <div class="sk sk-title"></div>
            <div class="sk sk-line"></div>
            <div class="sk sk-line short"></div>
            <div class="sk sk-total"></div>
        </section>
    }
}
