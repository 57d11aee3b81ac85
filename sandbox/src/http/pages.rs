//! The page routes (`/instant/{id}`, `/product/{id}`, `/plan/{id}`, `/checkout/{id}`), the
//! sandbox's home page and the demo's images.

use crate::domain::demo;
use crate::error::Error;
use crate::http::dist::PageRoute;
use crate::http::html;
use crate::http::input::Id;
use crate::http::security::Policy;
use crate::http::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use checkout_core::wire::CheckoutKind;

pub fn page(state: &AppState, kind: CheckoutKind, id: &str) -> Response {
    state.pages().render(PageRoute::Checkout { kind, id })
}

pub async fn instant(State(state): State<AppState>, Id(id): Id) -> Response {
    page(&state, CheckoutKind::Instant, &id)
}

pub async fn product(State(state): State<AppState>, Id(id): Id) -> Response {
    page(&state, CheckoutKind::Product, &id)
}

pub async fn plan(State(state): State<AppState>, Id(id): Id) -> Response {
    page(&state, CheckoutKind::Plan, &id)
}

pub async fn session(State(state): State<AppState>, Id(id): Id) -> Response {
    page(&state, CheckoutKind::Session, &id)
}

const LOGO_SVG: &str = include_str!("../../assets/boutique-awa.svg");
const PAGNE_SVG: &str = include_str!("../../assets/pagne-wax.svg");
const PODCAST_SVG: &str = include_str!("../../assets/podcast.svg");
const PREMIUM_SVG: &str = include_str!("../../assets/premium.svg");

/// The demo's images, served by the sandbox so the demo works offline.
pub async fn sandbox_asset(Id(name): Id) -> Response {
    let svg = match name.as_str() {
        "boutique-awa.svg" => LOGO_SVG,
        "pagne-wax.svg" => PAGNE_SVG,
        "podcast.svg" => PODCAST_SVG,
        "premium.svg" => PREMIUM_SVG,
        _ => return Error::not_found("No such sandbox asset").into_response(),
    };
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("image/svg+xml"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            ),
        ],
        svg,
    )
        .into_response()
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage<'a> {
    merchant: &'a str,
    /// Base of the API's URLs, as customers' URLs use it.
    base: &'a str,
    page_built: bool,
    /// The demo's checkouts, labelled; empty without `--seed-demo`.
    demo: &'a [(&'static str, &'a str)],
}

/// `GET /`: where a newcomer finds the demo links and the API's description.
pub async fn home(State(state): State<AppState>) -> Response {
    let demo = if state.has_demo() {
        match demo::seed(&state) {
            Ok(links) => Some(links),
            Err(error) => return error.into_response(),
        }
    } else {
        None
    };
    let labelled = demo.as_ref().map(|d| d.labelled());
    let page = HomePage {
        merchant: &state.merchant().name,
        base: state.public_url(),
        page_built: state.pages().built(),
        demo: labelled.as_ref().map_or(&[], |links| links.as_slice()),
    };
    match html::render(&page) {
        Ok(body) => (
            [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))],
            [Policy::for_sandbox_page(&body.0, &[]).header()],
            body,
        )
            .into_response(),
        Err(error) => error.into_response(),
    }
}
