//! The page as trunk builds it (a single-page app: index.html plus hashed assets), read from
//! the dist directory: the HTML template every page route renders, and the asset files.
//!
//! Every page response goes through [`Pages::render`] with the route it answers, so the
//! server can put the link's data into the HTML itself without touching the routing.

use axum::http::{header, HeaderValue, StatusCode};
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
