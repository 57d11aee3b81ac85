//! Serving the page trunk builds (a single-page app: index.html plus hashed assets) and the
//! sandbox's own small pages and images.
//!
//! Every page response goes through [`Pages::render`] with the route it answers, so the
//! server can later put the link's data into the HTML itself without touching the routing.

use crate::error::Error;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, HeaderValue, Method, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};
use checkout_core::wire::CheckoutKind;
use std::path::{Path, PathBuf};

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const NOT_BUILT: &str = "The checkout page is not built: run `make run`";

/// index.html split where the sandbox inserts its `<meta>` tags.
struct Template {
    head: String,
    rest: String,
}

pub struct Pages {
    dist_dir: PathBuf,
    template: Option<Template>,
    /// The `<meta name="lomi-api-base">` tag, escaped once.
    api_base_meta: String,
}

/// What a page request asked for.
#[derive(Clone, Copy, Debug)]
pub enum PageRoute<'a> {
    Checkout { kind: CheckoutKind, id: &'a str },
    NotFound,
}

/// Escapes text for an HTML attribute or element body.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

impl Pages {
    /// Reads `dist_dir/index.html` once; a missing page is reported per request, not fatal,
    /// so the API works before the page is built.
    pub fn load(dist_dir: &Path, api_base: Option<&str>) -> Pages {
        let template = std::fs::read_to_string(dist_dir.join("index.html"))
            .ok()
            .map(|html| {
                let cut = html.find("</head>").unwrap_or(0);
                Template {
                    head: html[..cut].to_string(),
                    rest: html[cut..].to_string(),
                }
            });
        Pages {
            dist_dir: dist_dir.to_path_buf(),
            template,
            api_base_meta: format!(
                "<meta name=\"lomi-api-base\" content=\"{}\">",
                escape_html(api_base.unwrap_or(""))
            ),
        }
    }

    pub fn built(&self) -> bool {
        self.template.is_some()
    }

    pub fn render(&self, route: PageRoute<'_>) -> Response {
        let Some(template) = &self.template else {
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
        let html = format!("{}{}{}", template.head, self.api_base_meta, template.rest);
        (
            status,
            [(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"))],
            Html(html),
        )
            .into_response()
    }

    /// A file of the built page, or `None` when `path` names none.
    pub async fn asset(&self, path: &str) -> Option<Response> {
        let relative = safe_relative(path)?;
        if relative == "index.html" {
            return None;
        }
        let bytes = tokio::fs::read(self.dist_dir.join(&relative)).await.ok()?;
        let cache = if is_hashed(&relative) {
            IMMUTABLE
        } else {
            "no-cache"
        };
        Some(
            (
                [
                    (
                        header::CONTENT_TYPE,
                        HeaderValue::from_static(content_type(&relative)),
                    ),
                    (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
                ],
                bytes,
            )
                .into_response(),
        )
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

fn is_api_path(path: &str) -> bool {
    let under = |prefix: &str| path == prefix || path.starts_with(&format!("{prefix}/"));
    crate::merchant::PREFIXES.iter().any(|p| under(p))
        || under(crate::public::PREFIX)
        || under("/sandbox")
        || path == "/openapi.json"
        || path == "/healthz"
}

pub fn page(state: &AppState, kind: CheckoutKind, id: &str) -> Response {
    state.pages().render(PageRoute::Checkout { kind, id })
}

pub async fn instant(
    State(state): State<AppState>,
    crate::input::Id(id): crate::input::Id,
) -> Response {
    page(&state, CheckoutKind::Instant, &id)
}

pub async fn product(
    State(state): State<AppState>,
    crate::input::Id(id): crate::input::Id,
) -> Response {
    page(&state, CheckoutKind::Product, &id)
}

pub async fn plan(
    State(state): State<AppState>,
    crate::input::Id(id): crate::input::Id,
) -> Response {
    page(&state, CheckoutKind::Plan, &id)
}

pub async fn session(
    State(state): State<AppState>,
    crate::input::Id(id): crate::input::Id,
) -> Response {
    page(&state, CheckoutKind::Session, &id)
}

/// Everything no route matched: API paths answer in the seeds' error shape, files of the
/// built page are served, and any other GET gets the page with a 404 (its not-found screen).
pub async fn fallback(State(state): State<AppState>, method: Method, uri: Uri) -> Response {
    let path = uri.path();
    if is_api_path(path) {
        return Error::not_found(format!("No route for {method} {path}")).into_response();
    }
    if method != Method::GET && method != Method::HEAD {
        return Error::not_found(format!("No route for {method} {path}")).into_response();
    }
    if let Some(file) = state.pages().asset(path).await {
        return file;
    }
    state.pages().render(PageRoute::NotFound)
}

/// A route matched but not its method.
pub async fn method_not_allowed() -> Response {
    Error::method_not_allowed().into_response()
}

const LOGO_SVG: &str = include_str!("../assets/boutique-awa.svg");
const PAGNE_SVG: &str = include_str!("../assets/pagne-wax.svg");
const PODCAST_SVG: &str = include_str!("../assets/podcast.svg");
const PREMIUM_SVG: &str = include_str!("../assets/premium.svg");

/// The demo's images, served by the sandbox so the demo works offline.
pub async fn sandbox_asset(crate::input::Id(name): crate::input::Id) -> Response {
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
    let demo = match state.demo_links() {
        Ok(demo) => demo,
        Err(error) => return error.into_response(),
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
    fn escapes() {
        assert_eq!(
            escape_html(r#""><script>alert('x')</script>&"#),
            "&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;"
        );
        assert_eq!(content_type("x_bg.wasm"), "application/wasm");
    }
}
