use crate::components::layout::Layout;
use crate::i18n::{provide_lang, Lang};
use crate::pages::{checkout::CheckoutPage, not_found::NotFound};
use crate::preload::{self, Initial};
use checkout_core::wire::CheckoutKind;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

/// The whole page: one route per way a customer arrives. `initial` is what the server
/// found at the first address, when it rendered the page (see `preload`).
#[component]
pub fn App(lang: Lang, initial: Option<Initial>) -> impl IntoView {
    provide_lang(lang);
    preload::provide(initial);
    view! {
        <Router>
            <Layout>
                <Routes fallback=NotFound>
                    <Route path=path!("/instant/:id") view=|| view! { <CheckoutPage kind=CheckoutKind::Instant /> } />
                    <Route path=path!("/product/:id") view=|| view! { <CheckoutPage kind=CheckoutKind::Product /> } />
                    <Route path=path!("/plan/:id") view=|| view! { <CheckoutPage kind=CheckoutKind::Plan /> } />
                    <Route path=path!("/checkout/:id") view=|| view! { <CheckoutPage kind=CheckoutKind::Session /> } />
                </Routes>
            </Layout>
        </Router>
    }
}
