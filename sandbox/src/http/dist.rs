//! The page as trunk builds it (a single-page app: index.html plus hashed assets), read from
//! the dist directory: the HTML every page route renders, and the other files, served by
//! tower-http's [`ServeDir`] with the precompressed variants the build leaves beside them
//! (`x.wasm.br`, `x.wasm.gz`).
//!
//! Every page response goes through [`Pages::render`], which puts the page's server-rendered
//! body, language, title and data into trunk's index.html.

use crate::http::security::Policy;
use askama::Template;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use checkout_core::wire::PublicCheckout;
use std::path::Path;
use tower::ServiceExt;
use tower_http::services::ServeDir;

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const NOT_BUILT: &str = "The checkout page is not built: run `make run`";

/// trunk's index.html, cut where each page puts its own language, title and body.
#[derive(Debug, PartialEq)]
struct Shell {
    /// Up to `<html …>`.
    doc_start: String,
    /// After `<html …>`, up to `<title>`.
    head_start: String,
    /// After `</title>`, up to `</head>`.
    head_end: String,
    /// Between `</head>` and `<body>`.
    between: String,
    /// What trunk put in `<body>` (the `<noscript>` note).
    body: String,
    /// After `</body>`.
    end: String,
}

impl Shell {
    fn cut(built: &str) -> anyhow::Result<Shell> {
        let find = |what: &str, from: usize| {
            built[from..]
                .find(what)
                .map(|i| i + from)
                .ok_or_else(|| anyhow::anyhow!("the built index.html has no {what}"))
        };
        let html = find("<html", 0)?;
        let html_end = find(">", html)? + 1;
        let title = find("<title>", html_end)?;
        let title_end = find("</title>", title)? + "</title>".len();
        let head = find("</head>", title_end)?;
        let body = find("<body>", head)?;
        let body_end = built
            .rfind("</body>")
            .filter(|&i| i > body)
            .ok_or_else(|| anyhow::anyhow!("the built index.html has no </body>"))?;
        Ok(Shell {
            doc_start: built[..html].to_string(),
            head_start: built[html_end..title].to_string(),
            head_end: built[title_end..head].to_string(),
            between: built[head + "</head>".len()..body].to_string(),
            body: built[body + "<body>".len()..body_end].to_string(),
            end: built[body_end + "</body>".len()..].to_string(),
        })
    }
}

#[derive(Template)]
#[template(path = "built_page.html")]
struct BuiltPage<'a> {
    shell: &'a Shell,
    lang: &'a str,
    title: &'a str,
    api_base: &'a str,
    /// The page's body as the app's components render it.
    app: &'a str,
    /// What the server found at the address, inlined for the app: the public checkout, or
    /// `null` for none; absent where there is nothing to look up.
    data: Option<Option<&'a PublicCheckout>>,
    /// `:root{--accent:…;--accent-ink:…}` for a merchant's colour: a `<style>` element the
    /// policy allows by its hash.
    brand_css: Option<String>,
    /// The origin the page is embedded for, when the merchant allows it: the page posts its
    /// events there (`<meta name="lomi-embed-origin">`).
    embed_origin: Option<&'a str>,
}

/// The CSS that gives the page a merchant's accent and the text colour that reads on it.
pub fn brand_css(accent: &str) -> String {
    format!(
        ":root{{--accent:{accent};--accent-ink:{}}}",
        checkout_core::brand::ink_for(accent)
    )
}

/// One page route's answer, rendered by the page's own components.
pub struct PageView<'a> {
    pub status: StatusCode,
    /// `fr` or `en`.
    pub lang: &'a str,
    pub title: &'a str,
    /// The markup of `<body>`, from the page's components (escaped by them).
    pub app: &'a str,
    pub data: Option<Option<&'a PublicCheckout>>,
    /// The merchant's images the page shows (logo, product image): the only other origins
    /// its policy lets images come from.
    pub images: &'a [&'a str],
    /// The merchant's accent colour (`#rrggbb`), set as the page's `--accent` with the text
    /// colour that contrasts with it.
    pub brand: Option<&'a str>,
    /// Embedded mode: the origin allowed to frame the page and hear its events
    /// (`domain::embed`), or `None` for a page nobody may frame.
    pub embed_origin: Option<&'a str>,
}

pub struct Pages {
    /// trunk's index.html, cut for rendering; `None` until trunk has built the page.
    shell: Option<Shell>,
    api_base: String,
    /// The dist directory's files. Directories are never listed nor completed with their
    /// index.html; when the client accepts brotli or gzip and the build left `x.br` or
    /// `x.gz` beside `x`, that variant is sent as it is.
    files: ServeDir,
    /// The page's Content-Security-Policy: trunk's loader by hash, the API's origin.
    policy: Policy,
}

impl Pages {
    /// Reads `dist_dir/index.html` once; a missing page is reported per request, not fatal,
    /// so the API works before the page is built.
    pub fn load(dist_dir: &Path, api_base: Option<&str>) -> anyhow::Result<Pages> {
        let mut policy = Policy::default();
        let shell = match std::fs::read_to_string(dist_dir.join("index.html")) {
            Ok(built) => {
                policy = Policy::for_checkout(&built, api_base);
                Some(Shell::cut(&built)?)
            }
            Err(_) => None,
        };
        Ok(Pages {
            shell,
            api_base: api_base.unwrap_or("").to_string(),
            files: ServeDir::new(dist_dir)
                .append_index_html_on_directories(false)
                .precompressed_br()
                .precompressed_gzip(),
            policy,
        })
    }

    pub fn built(&self) -> bool {
        self.shell.is_some()
    }

    /// The HTML of a page route. The body depends on the visitor's language: caches keep
    /// one copy per `Accept-Language`, and revalidate every time (the checkout changes).
    pub fn render(&self, page: PageView<'_>) -> Response {
        let Some(shell) = &self.shell else {
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))],
                NOT_BUILT,
            )
                .into_response();
        };
        // Images from this origin, and from the merchant's logo's and the product image's
        // origins: exactly what the page shows; the merchant's colour by its hash.
        let brand_css = page.brand.map(brand_css);
        let mut policy = self.policy.with_images(page.images.iter().copied());
        if let Some(css) = &brand_css {
            policy.styles.push(crate::http::security::hash_source(css));
        }
        let html = BuiltPage {
            shell,
            lang: page.lang,
            title: page.title,
            api_base: &self.api_base,
            app: page.app,
            data: page.data,
            brand_css,
            embed_origin: page.embed_origin,
        }
        .render();
        // Framed by the allowed origin alone, if any; otherwise by nobody, which older
        // browsers hear from X-Frame-Options.
        let (policy, frame_options) = match page.embed_origin {
            Some(origin) => (policy.framed_by(origin), None),
            None => (policy, Some(HeaderValue::from_static("DENY"))),
        };
        match html {
            Ok(html) => {
                let mut response = (
                    page.status,
                    [
                        (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
                        (header::VARY, HeaderValue::from_static("Accept-Language")),
                    ],
                    [policy.header()],
                    Html(html),
                )
                    .into_response();
                if let Some(deny) = frame_options {
                    response.headers_mut().insert(header::X_FRAME_OPTIONS, deny);
                }
                response
            }
            Err(error) => {
                tracing::error!(%error, "rendering a page failed");
                StatusCode::INTERNAL_SERVER_ERROR.into_response()
            }
        }
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
    fn the_built_page_is_cut_around_what_each_page_fills() {
        let built = "<!DOCTYPE html>\n<html lang=\"fr\">\n<head><meta charset=\"utf-8\"><title>lomi. checkout</title><link rel=\"stylesheet\" href=\"/a.css\"></head>\n<body><noscript>x</noscript></body>\n</html>\n";
        let shell = Shell::cut(built).unwrap();
        assert_eq!(shell.doc_start, "<!DOCTYPE html>\n");
        assert_eq!(shell.head_start, "\n<head><meta charset=\"utf-8\">");
        assert_eq!(shell.head_end, "<link rel=\"stylesheet\" href=\"/a.css\">");
        assert_eq!(shell.between, "\n");
        assert_eq!(shell.body, "<noscript>x</noscript>");
        assert_eq!(shell.end, "\n</html>\n");
        assert!(Shell::cut("<html><body></body></html>").is_err());
    }

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
