//! The page routes (`/instant/{id}`, `/product/{id}`, `/plan/{id}`, `/checkout/{id}`), the
//! sandbox's home page and the demo's images.

use crate::domain::demo;
use crate::error::Error;
use crate::http::dist::{escape_html, PageRoute};
use crate::http::input::Id;
use crate::http::state::AppState;
use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{Html, IntoResponse, Response};
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
    let mut items = String::new();
    if let Some(d) = &demo {
        for (label, url) in d.labelled() {
            items.push_str(&format!(
                "<li><a href=\"{url}\">{label}</a><br><code>{url}</code></li>\n",
                url = escape_html(url),
                label = escape_html(label)
            ));
        }
    }
    let demo_section = if items.is_empty() {
        "<p>No demo data: start the sandbox with <code>--seed-demo</code>, or create links with the merchant API.</p>".to_string()
    } else {
        format!("<h2>Demo checkouts</h2>\n<ul>\n{items}</ul>")
    };
    let page_note = if state.pages().built() {
        ""
    } else {
        "<p class=\"warn\">The checkout page is not built yet: run <code>make run</code>.</p>"
    };
    let html = format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>lomi. checkout sandbox</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 42rem; margin: 2rem auto; padding: 0 1rem; color: #0f172a; }}
li {{ margin: 0.75rem 0; }}
code {{ font-size: 0.85em; color: #475569; word-break: break-all; }}
.warn {{ background: #fef3c7; padding: 0.5rem 0.75rem; border-radius: 0.375rem; }}
</style>
</head>
<body>
<h1>lomi. checkout sandbox</h1>
<p>Test mode for <strong>{merchant}</strong>: no real money moves.</p>
{page_note}
{demo_section}
<h2>API</h2>
<p>The merchant API answers at <code>{base}/payment-links</code>, <code>{base}/checkout-sessions</code>, <code>{base}/products</code> and <code>{base}/coupons</code> (and under <code>{base}/v1/</code>), with the test key printed in the terminal in the <code>X-API-Key</code> header. Its description: <a href="/openapi.json">/openapi.json</a>.</p>
</body>
</html>
"#,
        merchant = escape_html(&state.merchant().name),
        base = escape_html(state.public_url()),
    );
    (
        [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))],
        Html(html),
    )
        .into_response()
}
