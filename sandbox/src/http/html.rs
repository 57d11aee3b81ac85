//! The HTML the sandbox draws itself: askama templates in `sandbox/templates/`, compiled into
//! the binary and checked when it is built. Every value a template shows is escaped on its
//! way into the page; nothing is marked safe except trunk's own build output
//! (`built_page.html`).
//!
//! `base.html` is the document every page extends (the head, the style block, the body);
//! `providers/layout.html` adds the providers' pages' look around it.

use crate::error::{Error, Result};
use crate::http::security::Policy;
use askama::Template;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use std::fmt::{self, Write};

/// The escaper of every template (`sandbox/askama.toml` names it for `.html`): the same five
/// characters askama's own escaper covers, written as named entities (`&quot;`, `&lt;`)
/// rather than askama's numeric ones (`&#34;`), so the pages read exactly as they did when
/// the sandbox wrote them by hand.
#[derive(Clone, Copy, Debug, Default)]
pub struct Escaper;

impl askama::filters::Escaper for Escaper {
    fn write_escaped_str<W: Write>(&self, mut dest: W, text: &str) -> fmt::Result {
        let mut written = 0;
        for (at, byte) in text.bytes().enumerate() {
            let entity = match byte {
                b'&' => "&amp;",
                b'<' => "&lt;",
                b'>' => "&gt;",
                b'"' => "&quot;",
                b'\'' => "&#39;",
                _ => continue,
            };
            // The five are ASCII, so `at` is always a character boundary.
            dest.write_str(&text[written..at])?;
            dest.write_str(entity)?;
            written = at + 1;
        }
        dest.write_str(&text[written..])
    }
}

/// A template rendered as an HTML body. Rendering fails only when a shown value's `Display`
/// does, which none of the sandbox's do; the customer would then get the error shape.
pub fn render(template: &impl Template) -> Result<Html<String>> {
    template.render().map(Html).map_err(Error::internal)
}

/// A page the sandbox draws itself (the providers' pages, the demo shop, the receipt): never
/// cached, never framed, and with `Referrer-Policy: no-referrer` when `no_referrer`; its
/// Content-Security-Policy is what `policy` makes of the rendered HTML (its `<style>`
/// elements go by hash).
pub fn own_page(
    status: StatusCode,
    template: &impl Template,
    no_referrer: bool,
    policy: impl FnOnce(&str) -> Policy,
) -> Response {
    let body = match render(template) {
        Ok(body) => body,
        Err(error) => return error.into_response(),
    };
    let csp = policy(&body.0).header();
    let mut response = (
        status,
        [
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
        ],
        [csp],
        body,
    )
        .into_response();
    if no_referrer {
        response.headers_mut().insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        );
    }
    response
}

/// One of the sandbox's own small scripts, served as a file so no page needs an inline one.
pub fn script(source: &'static str) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/javascript; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        source,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use askama::filters::Escaper as _;

    fn escaped(text: &str) -> String {
        let mut out = String::new();
        Escaper.write_escaped_str(&mut out, text).unwrap();
        out
    }

    #[test]
    fn escapes() {
        assert_eq!(
            escaped(r#""><script>alert('x')</script>&"#),
            "&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;"
        );
        assert_eq!(
            escaped("Boutique Awa · 5 000 F CFA"),
            "Boutique Awa · 5 000 F CFA"
        );
        assert_eq!(escaped("é<é"), "é&lt;é");
        assert_eq!(escaped(""), "");
    }
}
