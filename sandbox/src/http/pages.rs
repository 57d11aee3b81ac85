//! The page routes (`/instant/{id}`, `/product/{id}`, `/plan/{id}`, `/checkout/{id}`), the
//! sandbox's home page and the demo's images.

use crate::domain::checkout::{resolve_link, resolve_session, view};
use crate::domain::demo;
use crate::domain::embed::{allowed_origin, EmbedRequest};
use crate::domain::payments::outcome;
use crate::error::{Error, Result};
use crate::http::dist::PageView;
use crate::http::html;
use crate::http::input::Id;
use crate::http::security::Policy;
use crate::http::state::AppState;
use askama::Template;
use axum::extract::{OriginalUri, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use checkout_core::money::parse_decimal;
use checkout_core::wire::{CheckoutKind, CheckoutStatus, PublicCheckout};
use lomi_checkout::i18n::Lang;
use lomi_checkout::preload::Initial;

/// A link's or session's page, rendered by the page's own components with what the public
/// API would answer, and that answer inlined for the app: 200 when it can be paid, 410 when
/// it no longer can (inactive, expired, completed), 404 when there is no such checkout.
pub fn page(
    state: &AppState,
    kind: CheckoutKind,
    id: &str,
    uri: &Uri,
    headers: &HeaderMap,
) -> Response {
    if !state.pages().built() {
        return state.pages().render(not_built());
    }
    let found = match public_checkout(state, kind, id) {
        Ok(checkout) => Some(checkout),
        Err(error) if error.status() == 404 => None,
        Err(error) => return error.into_response(),
    };
    let status = match found.as_ref().map(|c| c.status) {
        None => StatusCode::NOT_FOUND,
        Some(CheckoutStatus::Open) => StatusCode::OK,
        Some(_) => StatusCode::GONE,
    };
    let initial = match &found {
        Some(checkout) => Initial::Found(Box::new(checkout.clone())),
        None => Initial::Missing,
    };
    let lang = visitor_lang(uri, headers);
    let embed_origin = embed_origin(state, uri);
    let app = lomi_checkout::server::render(&page_url(uri), lang, Some(initial));
    let title = found.as_ref().map_or_else(
        || DEFAULT_TITLE.to_string(),
        lomi_checkout::pages::checkout::document_title,
    );
    let images: Vec<&str> = found
        .iter()
        .flat_map(|c| [c.merchant.logo_url.as_deref(), c.image_url.as_deref()])
        .flatten()
        .collect();
    state.pages().render(PageView {
        status,
        lang: lang.code(),
        title: &title,
        app: &app,
        data: Some(found.as_ref()),
        images: &images,
        brand: state.brand_color(),
        embed_origin: embed_origin.as_deref(),
    })
}

/// Embedded mode: the origin this page may be framed by and post its events to, when the
/// address asks for it (`?embedded=true&embed_origin=…`) and the merchant allows it.
fn embed_origin(state: &AppState, uri: &Uri) -> Option<String> {
    let query = uri.query().unwrap_or("");
    let param = |name| lomi_checkout::route::query_value(query, name);
    let (embedded, origin) = (param("embedded"), param("embed_origin"));
    allowed_origin(
        state.merchant(),
        &EmbedRequest {
            embedded: embedded.as_deref(),
            embed_origin: origin.as_deref(),
        },
    )
}

/// Any other address a browser asks for: the page's not-found screen, with a 404.
pub fn not_found(state: &AppState, uri: &Uri, headers: &HeaderMap) -> Response {
    if !state.pages().built() {
        return state.pages().render(not_built());
    }
    let lang = visitor_lang(uri, headers);
    let app = lomi_checkout::server::render(&page_url(uri), lang, None);
    state.pages().render(PageView {
        status: StatusCode::NOT_FOUND,
        lang: lang.code(),
        title: DEFAULT_TITLE,
        app: &app,
        data: None,
        images: &[],
        brand: state.brand_color(),
        embed_origin: None,
    })
}

const DEFAULT_TITLE: &str = "lomi. checkout";

fn not_built() -> PageView<'static> {
    PageView {
        status: StatusCode::SERVICE_UNAVAILABLE,
        lang: "en",
        title: DEFAULT_TITLE,
        app: "",
        data: None,
        images: &[],
        brand: None,
        embed_origin: None,
    }
}

/// What `GET /api/checkout/links/{id}` or `/sessions/{id}` answers.
fn public_checkout(state: &AppState, kind: CheckoutKind, id: &str) -> Result<PublicCheckout> {
    let db = state.db();
    let resolved = if kind == CheckoutKind::Session {
        // A payment that settled since the last read completes the session first.
        outcome::settle(&db, state)?;
        resolve_session(&db, state, id, state.now())?
    } else {
        resolve_link(&db, state, id, state.now())?
    };
    view(state, &db, resolved, state.now())
}

fn page_url(uri: &Uri) -> String {
    uri.path_and_query()
        .map_or_else(|| uri.path().to_string(), |p| p.as_str().to_string())
}

/// The visitor's language as the app chooses it: `?lang=`, then the browser's languages
/// (`Accept-Language`, by preference), then French.
pub fn visitor_lang(uri: &Uri, headers: &HeaderMap) -> Lang {
    let asked = uri.query().and_then(|query| {
        form_urlencoded::parse(query.as_bytes())
            .find(|(key, _)| key == "lang")
            .map(|(_, value)| value.into_owned())
    });
    let browser = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(accepted_languages)
        .unwrap_or_default();
    Lang::choose(asked.as_deref(), &browser)
}

/// `fr-CI,fr;q=0.9,en;q=0.8` as tags, most preferred first.
fn accepted_languages(header: &str) -> Vec<String> {
    let mut weighted: Vec<(i64, String)> = header
        .split(',')
        .filter_map(|part| {
            let mut pieces = part.split(';');
            let tag = pieces.next()?.trim();
            // q is a decimal with at most three places: read as thousandths.
            let weight = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .map_or(Some(1000), |q| parse_decimal(q.trim(), 3).ok())
                .unwrap_or(0);
            (!tag.is_empty() && weight > 0).then(|| (weight, tag.to_string()))
        })
        .collect();
    weighted.sort_by_key(|(weight, _)| std::cmp::Reverse(*weight));
    weighted.into_iter().map(|(_, tag)| tag).collect()
}

pub async fn instant(
    State(state): State<AppState>,
    Id(id): Id,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
) -> Response {
    page(&state, CheckoutKind::Instant, &id, &uri, &headers)
}

pub async fn product(
    State(state): State<AppState>,
    Id(id): Id,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
) -> Response {
    page(&state, CheckoutKind::Product, &id, &uri, &headers)
}

pub async fn plan(
    State(state): State<AppState>,
    Id(id): Id,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
) -> Response {
    page(&state, CheckoutKind::Plan, &id, &uri, &headers)
}

pub async fn session(
    State(state): State<AppState>,
    Id(id): Id,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
) -> Response {
    page(&state, CheckoutKind::Session, &id, &uri, &headers)
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

#[cfg(test)]
mod tests {
    use super::accepted_languages;

    #[test]
    fn accept_language_by_preference() {
        assert_eq!(
            accepted_languages("en;q=0.5, fr-CI, de;q=0.7"),
            ["fr-CI", "de", "en"]
        );
        assert_eq!(accepted_languages("fr;q=0, en"), ["en"]);
        assert!(accepted_languages("").is_empty());
    }
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
