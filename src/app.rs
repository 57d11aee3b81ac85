use crate::components::layout::Layout;
use crate::i18n::{provide_lang, Lang};
use crate::pages::{checkout::CheckoutPage, not_found::NotFound};
use crate::preload::{self, Initial};
use crate::route::{use_route, Router};
use leptos::prelude::*;

/// The whole page: one route per way a customer arrives. `initial` is what the server
/// found at the first address, when it rendered the page (see `preload`).
#[component]
pub fn App(lang: Lang, initial: Option<Initial>) -> impl IntoView {
    provide_lang(lang);
    preload::provide(initial);
    view! {
        <Router>
            <Layout>
                <Routes />
            </Layout>
        </Router>
    }
}

/// `/instant/:id`, `/product/:id`, `/plan/:id` and `/checkout/:id`, else not found (see
/// `route`). A new id or query on the same route keeps the page, which follows them.
#[component]
fn Routes() -> impl IntoView {
    let route = use_route();
    move || match route.get() {
        Some(kind) => view! { <CheckoutPage kind /> }.into_any(),
        None => view! { <NotFound /> }.into_any(),
    }
}
