//! The page as trunk builds it (a single-page app: index.html plus hashed assets), read from
//! the dist directory: the HTML every page route renders, and the other files, served by
//! tower-http's [`ServeDir`] with the precompressed variants the build leaves beside them
//! (`x.wasm.br`, `x.wasm.gz`).
//!
//! Every page response goes through [`Pages::render`] with the route it answers, so the
//! server can put the link's data into the HTML itself without touching the routing.

use crate::http::security::Policy;
use askama::Template;
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use checkout_core::wire::CheckoutKind;
use std::path::Path;
use tower::ServiceExt;
use tower_http::services::ServeDir;

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const NOT_BUILT: &str = "The checkout page is not built: run `make run`";

/// index.html with the `<meta name="lomi-api-base">` tag the sandbox adds before `</head>`.
#[derive(Template)]
#[template(path = "built_page.html")]
struct BuiltPage<'a> {
    /// trunk's index.html up to `</head>`, as built.
    head: &'a str,
    api_base: &'a str,
    /// The rest of trunk's index.html, from `</head>`.
    rest: &'a str,
}

pub struct Pages {
    /// The page's HTML, rendered once at start; `None` until trunk has built the page.
    html: Option<Bytes>,
    /// The dist directory's files. Directories are never listed nor completed with their
    /// index.html; when the client accepts brotli or gzip and the build left `x.br` or
    /// `x.gz` beside `x`, that variant is sent as it is.
    files: ServeDir,
    /// The page's Content-Security-Policy: trunk's loader by hash, the API's origin.
    policy: Policy,
}

/// What a page request asked for.
#[derive(Clone, Copy, Debug)]
pub enum PageRoute<'a> {
    Checkout { kind: CheckoutKind, id: &'a str },
    NotFound,
}

impl Pages {
    /// Reads `dist_dir/index.html` once; a missing page is reported per request, not fatal,
    /// so the API works before the page is built.
    pub fn load(dist_dir: &Path, api_base: Option<&str>) -> anyhow::Result<Pages> {
        let mut policy = Policy::default();
        let html = match std::fs::read_to_string(dist_dir.join("index.html")) {
            Ok(built) => {
                let (head, rest) = built.split_at(built.find("</head>").unwrap_or(0));
                let page = BuiltPage {
                    head,
                    api_base: api_base.unwrap_or(""),
                    rest,
                };
                policy = Policy::for_checkout(&built, api_base);
                Some(Bytes::from(page.render()?))
            }
            Err(_) => None,
        };
        Ok(Pages {
            html,
            files: ServeDir::new(dist_dir)
                .append_index_html_on_directories(false)
                .precompressed_br()
                .precompressed_gzip(),
            policy,
        })
    }

    pub fn built(&self) -> bool {
        self.html.is_some()
    }

    pub fn render(&self, route: PageRoute<'_>) -> Response {
        let Some(html) = &self.html else {
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))],
                NOT_BUILT,
            )
                .into_response();
        };
        let status = match route {
            PageRoute::Checkout { .. } => StatusCode::OK,
            // The page itself shows its not-found screen; the status tells crawlers and tools.
            PageRoute::NotFound => StatusCode::NOT_FOUND,
        };
        let policy = match route {
            // Until the renderer passes the link's own images (merchant logo, product image)
            // to `Policy::with_images`, a checkout allows images from any https origin.
            PageRoute::Checkout { .. } => self.policy.with_any_https_images(),
            PageRoute::NotFound => self.policy.clone(),
        };
        (
            status,
            [(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"))],
            [policy.header()],
            Html(html.clone()),
        )
            .into_response()
    }

    /// The file of the built page `request` (a GET or HEAD) names, or `None` when it names
    /// none. Conditional and range requests are answered as HTTP says (304, 206).
    pub async fn file(&self, request: Request) -> Option<Response> {
        let relative = safe_relative(request.uri().path())?;
        if relative == "index.html" {
            return None;
        }
        let response = match self.files.clone().oneshot(request).await {
            Ok(response) => response,
            Err(never) => match never {},
        };
        if response.status() == StatusCode::NOT_FOUND {
            return None;
        }
        let (mut parts, body) = response.into_parts();
        let headers = &mut parts.headers;
        if parts.status.is_success() {
            // ServeDir guesses types without a charset; the page's scripts and styles name it.
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(content_type(&relative)),
            );
        }
        let cache = if is_hashed(&relative) {
            IMMUTABLE
        } else {
            "no-cache"
        };
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
        // A precompressed variant, or the compression layer, may answer another client
        // differently: caches keep one copy per Accept-Encoding.
        headers.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
        Some(Response::from_parts(parts, Body::new(body)))
    }
}

/// `path` as a file name under the dist directory, refusing anything that could climb out
/// of it or name a hidden file.
fn safe_relative(path: &str) -> Option<String> {
    let trimmed = path.strip_prefix('/')?;
    let segments: Vec<&str> = trimmed.split('/').collect();
    let ok = !trimmed.is_empty()
        && segments.iter().all(|s| {
            !s.is_empty()
                && !s.starts_with('.')
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        });
    ok.then(|| segments.join("/"))
}

/// trunk's hashed names carry `-<16 hex digits>` before the extension or `_bg`:
/// `lomi-checkout-2f703c2b61463be0_bg.wasm`, `main-175fade59359eda9.css`.
pub fn is_hashed(name: &str) -> bool {
    let file = name.rsplit('/').next().unwrap_or(name);
    let bytes = file.as_bytes();
    bytes.windows(18).any(|w| {
        w[0] == b'-' && w[1..17].iter().all(u8::is_ascii_hexdigit) && matches!(w[17], b'.' | b'_')
    })
}

pub fn content_type(name: &str) -> &'static str {
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    match ext.to_ascii_lowercase().as_str() {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "txt" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names() {
        assert!(is_hashed("lomi-checkout-2f703c2b61463be0_bg.wasm"));
        assert!(is_hashed("lomi-checkout-2f703c2b61463be0.js"));
        assert!(is_hashed("main-175fade59359eda9.css"));
        assert!(!is_hashed("favicon.svg"));
        assert!(!is_hashed("lomi-checkout.js"));
    }

    #[test]
    fn paths_stay_inside_dist() {
        assert_eq!(
            safe_relative("/favicon.svg").as_deref(),
            Some("favicon.svg")
        );
        assert_eq!(safe_relative("/a/b.js").as_deref(), Some("a/b.js"));
        assert_eq!(safe_relative("/../etc/passwd"), None);
        assert_eq!(safe_relative("/.env"), None);
        assert_eq!(safe_relative("/a//b"), None);
        assert_eq!(safe_relative("/%2e%2e/x"), None);
        assert_eq!(safe_relative("/"), None);
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("x_bg.wasm"), "application/wasm");
        assert_eq!(content_type("a/B.JS"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("x.wasm.br"), "application/octet-stream");
    }
}
