//! The security headers: a Content-Security-Policy per kind of page ([`Policy`]), and the
//! headers every response carries ([`fixed_headers`]).
//!
//! Every policy starts from `default-src 'none'` and names only what the page really loads.
//! No policy allows `'unsafe-inline'` or `'unsafe-eval'`: trunk's inline loader is allowed by
//! its hash, taken from dist/index.html when the sandbox reads it (our own build output,
//! never a rendered page, so an injected script can never be hashed into the policy), and the
//! sandbox's own pages allow their `<style>` element by its hash. `'wasm-unsafe-eval'` lets
//! the checkout compile its WebAssembly, and nothing else. Browsers report violations to
//! [`REPORT_PATH`] (the sandbox controls' [`crate::http::controls::csp_reports`]), which
//! keeps them in [`CspReports`].

use axum::extract::State;
use axum::http::{header, HeaderName, HeaderValue};
use axum::response::Response;
use base64::Engine as _;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::sync::Mutex;

/// Where browsers send the reports of what a policy blocked.
pub const REPORT_PATH: &str = "/sandbox/csp-reports";

/// What a response that sets no policy of its own gets (the API's JSON, images, scripts,
/// errors): it may load nothing, run nothing, be framed by nobody. It reports nothing either:
/// a file opened on its own is not a page of the checkout.
pub const LOCKED_DOWN: &str =
    "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// Browser features no page of the sandbox uses, denied to it and to anything it could
/// embed. Only the clipboard is kept, for the page itself: the payment screen's copy buttons
/// (crypto address and amount).
pub const PERMISSIONS_POLICY: &str = "accelerometer=(), autoplay=(), \
browsing-topics=(), camera=(), clipboard-read=(), clipboard-write=(self), display-capture=(), \
fullscreen=(), geolocation=(), gyroscope=(), hid=(), magnetometer=(), microphone=(), midi=(), \
payment=(), publickey-credentials-get=(), screen-wake-lock=(), serial=(), usb=(), \
xr-spatial-tracking=()";

/// The page sends customers to merchants' sites and to providers: they learn the checkout's
/// origin (where the customer came from, as with any hosted checkout), never its path or query
/// (link, session and payment ids). Pages that want less set their own (the providers' pages
/// send none at all).
pub const REFERRER_POLICY: &str = "strict-origin-when-cross-origin";

/// Two years, this host and its subdomains; sent only when the sandbox is public over https
/// (see [`FixedHeaders::new`]).
const HSTS: &str = "max-age=63072000; includeSubDomains";

/// One page's Content-Security-Policy. Each list holds CSP sources (`'self'`, an origin such
/// as `https://cdn.example`, a hash `'sha256-…'`, a keyword); an empty list is `'none'`.
/// The fetch directives (scripts, styles, images, connections) fall back to
/// `default-src 'none'`, so an empty one is left out of the header.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Policy {
    /// `script-src`: files and inline scripts the page may run.
    pub scripts: Vec<String>,
    /// `style-src`: stylesheets and `<style>` elements.
    pub styles: Vec<String>,
    /// `img-src`.
    pub images: Vec<String>,
    /// `connect-src`: what `fetch` may call.
    pub connect: Vec<String>,
    /// `frame-src`: what the page may show in a frame (the demo shop's embedded checkout).
    pub frames: Vec<String>,
    /// `form-action`: where the page's forms may submit, redirects included.
    pub form_action: Vec<String>,
    /// `frame-ancestors`: who may show the page in a frame. `'none'` by default; in embedded
    /// mode, the one origin the merchant allowed that asked ([`Policy::framed_by`]).
    pub frame_ancestors: Vec<String>,
}

const SELF: &str = "'self'";

fn push_unique(list: &mut Vec<String>, source: String) {
    if !list.contains(&source) {
        list.push(source);
    }
}

impl Policy {
    /// The checkout page (every page route, and the not-found page, which is the same app):
    /// its script, stylesheet and WebAssembly files from its own origin, trunk's inline loader
    /// by hash (`index_html` is dist/index.html as built), the public API on its own origin
    /// and on `api_base`'s when the page is told to call another (`--api-base`), images from
    /// its own origin (favicon, providers' logos) and the API's (the payment's QR code). No
    /// form submits anywhere: the page's forms are handled by the page.
    ///
    /// Merchant images (logo, product image) are added by [`Policy::with_images`].
    pub fn for_checkout(index_html: &str, api_base: Option<&str>) -> Policy {
        let mut policy = Policy {
            scripts: vec![SELF.into(), "'wasm-unsafe-eval'".into()],
            styles: vec![SELF.into()],
            images: vec![SELF.into()],
            connect: vec![SELF.into()],
            ..Policy::default()
        };
        for hash in inline_hashes(index_html, "script") {
            push_unique(&mut policy.scripts, hash);
        }
        if let Some(api) = api_base.and_then(origin) {
            push_unique(&mut policy.connect, api.clone());
            push_unique(&mut policy.images, api);
        }
        policy
    }

    /// This policy, also allowing images from the origins of `urls` (the merchant's logo,
    /// the product's image): each parsed, and added as the origin the parser writes only when
    /// its host is a DNS name or an IP address ([`origin`]); anything else adds nothing.
    pub fn with_images<'a>(&self, urls: impl IntoIterator<Item = &'a str>) -> Policy {
        let mut policy = self.clone();
        for url in urls {
            if let Some(origin) = origin(url) {
                push_unique(&mut policy.images, origin);
            }
        }
        policy
    }

    /// This policy, letting `origin` (an origin the merchant allowed to embed its checkout)
    /// and nobody else show the page in a frame.
    pub fn framed_by(&self, origin: &str) -> Policy {
        Policy {
            frame_ancestors: vec![origin.to_string()],
            ..self.clone()
        }
    }

    /// A page the sandbox draws itself from its templates (the providers' pages, the home
    /// page): no script, no image, its `<style>` element by hash. `html` is the rendered page:
    /// only `<style>` elements before `<body>` are hashed, where the templates write nothing a
    /// request can choose (a page without `<body` gets no style at all). Its forms may submit
    /// to `form_action` (sources such as `'self'`).
    pub fn for_sandbox_page(html: &str, form_action: &[&str]) -> Policy {
        let head = &html[..html.find("<body").unwrap_or(0)];
        Policy {
            styles: inline_hashes(head, "style"),
            form_action: form_action.iter().map(|s| s.to_string()).collect(),
            ..Policy::default()
        }
    }

    /// The header's value.
    pub fn header_value(&self) -> String {
        let mut directives = vec!["default-src 'none'".to_string()];
        for (name, sources) in [
            ("script-src", &self.scripts),
            ("style-src", &self.styles),
            ("img-src", &self.images),
            ("connect-src", &self.connect),
            ("frame-src", &self.frames),
        ] {
            if !sources.is_empty() {
                directives.push(format!("{name} {}", sources.join(" ")));
            }
        }
        for (name, sources) in [
            ("form-action", &self.form_action),
            ("frame-ancestors", &self.frame_ancestors),
        ] {
            let list = if sources.is_empty() {
                "'none'".to_string()
            } else {
                sources.join(" ")
            };
            directives.push(format!("{name} {list}"));
        }
        directives.push("base-uri 'none'".into());
        directives.push(format!("report-uri {REPORT_PATH}"));
        directives.join("; ")
    }

    /// The `Content-Security-Policy` header, for a response's headers.
    pub fn header(&self) -> (HeaderName, HeaderValue) {
        // Sources are origins (serialized by the url crate), hashes and keywords: always a
        // valid header value; were one not, the page would get the locked-down policy.
        let value = HeaderValue::from_str(&self.header_value())
            .unwrap_or(HeaderValue::from_static(LOCKED_DOWN));
        (header::CONTENT_SECURITY_POLICY, value)
    }
}

/// `url`'s origin as CSP writes it (`https://cdn.example`, `http://127.0.0.1:8080`), for
/// absolute http(s) URLs whose host is a DNS name or an IP address: see
/// [`crate::urls::origin`]. Nothing else ever becomes a source of a policy.
pub use crate::urls::origin;

/// The CSP hash source of an inline element's text: `'sha256-<base64>'`, over the text as the
/// browser reads it (the HTML parser turns CR LF and lone CR into LF).
pub fn hash_source(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let digest = Sha256::digest(text.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// The hash sources of `html`'s inline `<tag>` elements (`script` or `style`), in order.
/// Scripts with a `src` are files, and data blocks (`type="application/json"`, such as the
/// checkout's inlined data) never run: neither needs a hash.
pub fn inline_hashes(html: &str, tag: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let open = format!("<{tag}");
    let close = format!("</{tag}");
    let mut hashes = Vec::new();
    let mut at = 0;
    while let Some(found) = lower[at..].find(&open) {
        let start = at + found;
        let name_end = start + open.len();
        // `<scripts>` or `<style-x>` are other elements.
        if !lower[name_end..].starts_with(|c: char| c == '>' || c.is_ascii_whitespace()) {
            at = name_end;
            continue;
        }
        let Some(tag_end) = lower[name_end..].find('>').map(|i| name_end + i + 1) else {
            break;
        };
        let Some(text_end) = lower[tag_end..].find(&close).map(|i| tag_end + i) else {
            break;
        };
        let attributes = &lower[name_end..tag_end - 1];
        let runs = attribute(attributes, "src").is_none()
            && !attribute(attributes, "type").is_some_and(|t| t.contains("json"));
        if tag != "script" || runs {
            let hash = hash_source(&html[tag_end..text_end]);
            if !hashes.contains(&hash) {
                hashes.push(hash);
            }
        }
        at = text_end + close.len();
    }
    hashes
}

/// The value of attribute `name` in a start tag's attributes (lower-cased), `Some("")` for
/// one without a value.
fn attribute(attributes: &str, name: &str) -> Option<String> {
    let mut rest = attributes.trim_start_matches('/');
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
        if rest.is_empty() {
            return None;
        }
        let name_len = rest
            .find(|c: char| c.is_ascii_whitespace() || c == '=' || c == '/')
            .unwrap_or(rest.len());
        let found = &rest[..name_len];
        rest = rest[name_len..].trim_start();
        let mut value = String::new();
        if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            let (text, remainder) = match after.chars().next() {
                Some(quote @ ('"' | '\'')) => {
                    let inner = &after[1..];
                    let end = inner.find(quote).unwrap_or(inner.len());
                    (&inner[..end], inner.get(end + 1..).unwrap_or(""))
                }
                _ => {
                    let end = after
                        .find(|c: char| c.is_ascii_whitespace())
                        .unwrap_or(after.len());
                    (&after[..end], &after[end..])
                }
            };
            value = text.to_string();
            rest = remainder;
        }
        if found == name {
            return Some(value);
        }
    }
}

/// The headers every response of the sandbox gets, built once from its public URL.
#[derive(Clone, Debug)]
pub struct FixedHeaders {
    hsts: Option<HeaderValue>,
}

impl FixedHeaders {
    /// HSTS is sent only when the sandbox's public URL (`--public-url`) is https on a domain
    /// name: a TLS-terminating proxy in front of the sandbox is configured with that URL
    /// anyway, since every customer URL is built from it. A plain-http sandbox, `localhost`
    /// and IP addresses never get it (browsers ignore it over http and on IP addresses, and
    /// pinning a developer's `localhost` to https would break their other local servers).
    /// `X-Forwarded-Proto` is not read: the sandbox cannot tell a proxy it trusts from a
    /// client.
    pub fn new(public_url: &str) -> FixedHeaders {
        let https_domain = url::Url::parse(public_url).is_ok_and(|url| {
            url.scheme() == "https"
                && matches!(url.host(), Some(url::Host::Domain(d))
                    if d != "localhost" && !d.ends_with(".localhost"))
        });
        FixedHeaders {
            hsts: https_domain.then(|| HeaderValue::from_static(HSTS)),
        }
    }
}

/// Adds the fixed headers to `response`: `X-Content-Type-Options: nosniff`,
/// `Permissions-Policy`, HSTS when [`FixedHeaders::new`] says so, and, unless the handler set
/// its own, [`REFERRER_POLICY`] and the [`LOCKED_DOWN`] Content-Security-Policy (so a page
/// that forgets its policy fails closed: it loads nothing).
pub async fn fixed_headers(State(fixed): State<FixedHeaders>, mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        HeaderName::from_static("permissions-policy"),
        HeaderValue::from_static(PERMISSIONS_POLICY),
    );
    if let Some(hsts) = &fixed.hsts {
        headers.insert(header::STRICT_TRANSPORT_SECURITY, hsts.clone());
    }
    if !headers.contains_key(header::REFERRER_POLICY) {
        headers.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static(REFERRER_POLICY),
        );
    }
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(LOCKED_DOWN),
        );
    }
    response
}

/// Distinct (directive, blocked) pairs kept; past it, violations are only counted.
const MAX_KINDS: usize = 64;

/// The Content-Security-Policy violations browsers reported, in memory: how many, and per
/// effective directive and blocked source (an origin, or the browser's keyword: `inline`,
/// `eval`, `data`…). Nothing else of a report is kept: not the page's URL (it carries link,
/// session and payment ids), not the blocked URL's path, not the script sample.
#[derive(Debug, Default)]
pub struct CspReports {
    recorded: Mutex<Recorded>,
}

#[derive(Debug, Default)]
struct Recorded {
    total: u64,
    /// Per (directive, blocked source).
    kinds: BTreeMap<(String, String), u64>,
}

/// What [`CspReports`] holds, as `GET /sandbox/csp-reports` answers it.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct CspSummary {
    pub total: u64,
    pub violations: Vec<CspViolation>,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct CspViolation {
    pub directive: String,
    pub blocked: String,
    pub count: u64,
}

impl CspReports {
    pub fn record(&self, directive: &str, blocked: &str) {
        // Older browsers write the whole directive (`script-src 'self'`): its name is enough.
        let name = directive.split_whitespace().next().unwrap_or("");
        let directive = keyword(name).unwrap_or("unknown").to_string();
        let blocked = blocked_source(blocked);
        tracing::warn!(%directive, %blocked, "content security policy violation");
        let mut recorded = self.recorded.lock().unwrap_or_else(|p| p.into_inner());
        recorded.total += 1;
        let kinds = &mut recorded.kinds;
        let key = (directive, blocked);
        if let Some(count) = kinds.get_mut(&key) {
            *count += 1;
        } else if kinds.len() < MAX_KINDS {
            kinds.insert(key, 1);
        }
    }

    pub fn summary(&self) -> CspSummary {
        let recorded = self.recorded.lock().unwrap_or_else(|p| p.into_inner());
        CspSummary {
            total: recorded.total,
            violations: recorded
                .kinds
                .iter()
                .map(|((directive, blocked), count)| CspViolation {
                    directive: directive.clone(),
                    blocked: blocked.clone(),
                    count: *count,
                })
                .collect(),
        }
    }
}

/// A CSP keyword or directive name as browsers write them (`script-src-elem`, `inline`).
fn keyword(text: &str) -> Option<&str> {
    (!text.is_empty()
        && text.len() <= 40
        && text.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'))
    .then_some(text)
}

/// A blocked URL reduced to its origin; a browser's keyword as it is; anything else `other`.
fn blocked_source(blocked: &str) -> String {
    if let Some(origin) = origin(blocked) {
        return origin;
    }
    match url::Url::parse(blocked) {
        // `ws:`, `data:` or `blob:` URLs: their scheme only.
        Ok(url) => keyword(url.scheme()).unwrap_or("other").to_string(),
        Err(_) => keyword(blocked).unwrap_or("other").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRUNK: &str = "<!DOCTYPE html><html><head>\n<script type=\"module\">\nimport init from '/x.js';\nawait init();\n</script>\n\
<link rel=\"modulepreload\" href=\"/x.js\"><script src=\"/other.js\"></script>\
<script type=\"application/json\" id=\"lomi-checkout-data\">{}</script></head><body></body></html>";

    #[test]
    fn hashes_what_the_browser_hashes() {
        // `echo -n 'alert(1)' | openssl dgst -sha256 -binary | base64`
        assert_eq!(
            hash_source("alert(1)"),
            "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"
        );
        assert_eq!(hash_source("a\r\nb\rc"), hash_source("a\nb\nc"));
    }

    #[test]
    fn only_inline_scripts_that_run_are_hashed() {
        let hashes = inline_hashes(TRUNK, "script");
        assert_eq!(
            hashes,
            vec![hash_source("\nimport init from '/x.js';\nawait init();\n")]
        );
        assert!(inline_hashes("<scripts>x</scripts><p>", "script").is_empty());
        assert_eq!(
            inline_hashes("<SCRIPT TYPE=module>a</SCRIPT><script>a</script>", "script"),
            vec![hash_source("a")]
        );
        assert_eq!(
            inline_hashes("<style>\nb{}\n</style>", "style"),
            vec![hash_source("\nb{}\n")]
        );
    }

    #[test]
    fn attributes_are_read_like_html() {
        assert_eq!(
            attribute(" type=\"module\"", "type").as_deref(),
            Some("module")
        );
        assert_eq!(attribute(" async src=x.js", "src").as_deref(), Some("x.js"));
        assert_eq!(attribute(" data-src='a' defer", "src"), None);
        assert_eq!(attribute(" defer", "defer").as_deref(), Some(""));
        assert_eq!(attribute(" type = 'a b' src", "src").as_deref(), Some(""));
    }

    #[test]
    fn the_checkout_policy() {
        let policy = Policy::for_checkout(TRUNK, Some("https://api.example.ci/v1"));
        let hash = hash_source("\nimport init from '/x.js';\nawait init();\n");
        assert_eq!(
            policy.header_value(),
            format!(
                "default-src 'none'; script-src 'self' 'wasm-unsafe-eval' {hash}; \
style-src 'self'; img-src 'self' https://api.example.ci; \
connect-src 'self' https://api.example.ci; form-action 'none'; frame-ancestors 'none'; \
base-uri 'none'; report-uri /sandbox/csp-reports"
            )
        );
        let images = policy.with_images([
            "https://cdn.example/logo.png?v=1",
            "http://127.0.0.1:8080/sandbox/assets/x.svg",
            "https://cdn.example/other.png",
            "javascript:alert(1)",
            "/relative.png",
            "https://img.example;sandbox/x.png",
            "https://img.example,script-src/x.png",
            "https://*/x.png",
        ]);
        assert_eq!(
            images.images,
            [
                "'self'",
                "https://api.example.ci",
                "https://cdn.example",
                "http://127.0.0.1:8080"
            ]
        );
        let own = Policy::for_checkout(TRUNK, None);
        assert_eq!(own.connect, ["'self'"]);
        assert_eq!(own.images, ["'self'"]);
        let embedded = own.framed_by("https://shop.example");
        assert!(
            embedded
                .header_value()
                .contains("; frame-ancestors https://shop.example; base-uri 'none'"),
            "{}",
            embedded.header_value()
        );
        let frames = Policy {
            frames: vec!["http://127.0.0.1:8080".into()],
            ..Policy::default()
        };
        assert_eq!(
            frames.header_value(),
            "default-src 'none'; frame-src http://127.0.0.1:8080; form-action 'none'; \
frame-ancestors 'none'; base-uri 'none'; report-uri /sandbox/csp-reports"
        );
    }

    #[test]
    fn the_sandbox_pages_policy() {
        let html = "<html><head><style>\nb{}\n</style></head><body><style>evil{}</style></body>";
        let policy = Policy::for_sandbox_page(html, &["'self'"]);
        assert_eq!(
            policy.header_value(),
            format!(
                "default-src 'none'; style-src {}; form-action 'self'; \
frame-ancestors 'none'; base-uri 'none'; report-uri /sandbox/csp-reports",
                hash_source("\nb{}\n")
            )
        );
        let none = Policy::for_sandbox_page("<p>", &[]);
        assert_eq!(
            none.header_value(),
            "default-src 'none'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'; \
report-uri /sandbox/csp-reports"
        );
    }

    #[test]
    fn hsts_only_for_a_public_https_domain() {
        let sent = |url: &str| FixedHeaders::new(url).hsts.is_some();
        assert!(sent("https://pay.example.ci"));
        assert!(!sent("http://pay.example.ci"));
        assert!(!sent("https://localhost:8443"));
        assert!(!sent("https://app.localhost"));
        assert!(!sent("https://127.0.0.1:8443"));
        assert!(!sent("https://[::1]:8443"));
    }

    #[test]
    fn only_directives_and_origins_are_kept() {
        let reports = CspReports::default();
        reports.record(
            "img-src",
            "https://cdn.example/a.png?customer=awa@example.ci",
        );
        reports.record("img-src", "https://cdn.example/b.png");
        reports.record("script-src-elem", "inline");
        reports.record("connect-src", "data:text/plain,x");
        reports.record("<b>", "not a source <b>");
        let summary = reports.summary();
        assert_eq!(summary.total, 5);
        let pairs: Vec<(&str, &str, u64)> = summary
            .violations
            .iter()
            .map(|v| (v.directive.as_str(), v.blocked.as_str(), v.count))
            .collect();
        assert_eq!(
            pairs,
            [
                ("connect-src", "data", 1),
                ("img-src", "https://cdn.example", 2),
                ("script-src-elem", "inline", 1),
                ("unknown", "other", 1),
            ]
        );
    }

    #[test]
    fn memory_is_bounded() {
        let reports = CspReports::default();
        for i in 0..200 {
            reports.record("img-src", &format!("https://h{i}.example/"));
        }
        let summary = reports.summary();
        assert_eq!(summary.total, 200);
        assert_eq!(summary.violations.len(), MAX_KINDS);
    }
}
