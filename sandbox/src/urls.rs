//! Merchants' URLs: parsed by the WHATWG URL parser (the `url` crate), stored as it writes
//! them, and turned into Content-Security-Policy origins only from that parse.
//!
//! The parser takes hosts a policy would read as syntax (`img.example;sandbox`,
//! `a,script-src`, `*`), so parsing alone proves nothing: a host must also be a DNS name
//! ([`checkout_core::validate::dns_name`], after the parser has encoded international labels
//! as `xn--…`) or an IP address.

use checkout_core::validate::{self, UrlProblem};
use url::{Host, Url};

/// A merchant's URL as it is stored: `text` checked by [`validate::web_url`], parsed, and
/// written back by the parser (lower-case host, `xn--` labels, no default port, spaces and
/// braces in the path percent-encoded).
pub fn merchant_url(text: &str) -> Result<String, UrlProblem> {
    validate::web_url(text)?;
    let url = Url::parse(text).map_err(|_| UrlProblem::Encoding)?;
    if !safe_host(&url) {
        return Err(UrlProblem::Encoding);
    }
    Ok(url.into())
}

/// An http(s) URL whose host is a DNS name or an IP address.
fn safe_host(url: &Url) -> bool {
    matches!(url.scheme(), "http" | "https")
        && match url.host() {
            Some(Host::Domain(name)) => validate::dns_name(name),
            Some(Host::Ipv4(_) | Host::Ipv6(_)) => true,
            None => false,
        }
}

/// `url`'s origin as CSP writes it (`https://cdn.example`, `http://127.0.0.1:8080`), for
/// absolute http(s) URLs whose host is a DNS name or an IP address only: a row stored
/// before hosts were checked, with `img.example;sandbox` or `*` for a host, gives nothing.
pub fn origin(url: &str) -> Option<String> {
    let parsed = Url::parse(url).ok()?;
    safe_host(&parsed).then(|| parsed.origin().ascii_serialization())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merchant_urls_are_stored_as_parsed() {
        assert_eq!(
            merchant_url("HTTPS://CDN.Example:443/a/{x}?q={y}").as_deref(),
            Ok("https://cdn.example/a/%7Bx%7D?q={y}")
        );
        assert_eq!(
            merchant_url("https://Café.example/").as_deref(),
            Ok("https://xn--caf-dma.example/")
        );
        assert_eq!(
            merchant_url("http://[::1]:8080").as_deref(),
            Ok("http://[::1]:8080/")
        );
        for (bad, problem) in [
            ("https://img.example;sandbox/x.png", UrlProblem::Host),
            ("https://img.example,script-src/x.png", UrlProblem::Host),
            ("https://*/x.png", UrlProblem::Host),
            ("https://a.example;report-uri%20x/", UrlProblem::Host),
            // Names the text rule cannot judge: the parser's encoding decides.
            ("https://xn--zz.example/", UrlProblem::Encoding),
            ("https://a\u{3002}.example/", UrlProblem::Encoding),
            ("https://a.\u{ff11}/", UrlProblem::Encoding),
            ("https://[1:2]/", UrlProblem::Encoding),
            (
                &format!("https://{}.example/", vec!["a".repeat(63); 4].join(".")),
                UrlProblem::Encoding,
            ),
        ] {
            assert_eq!(merchant_url(bad), Err(problem), "{bad}");
        }
    }

    #[test]
    fn only_checked_hosts_become_origins() {
        assert_eq!(
            origin("HTTPS://CDN.Example:443/a").as_deref(),
            Some("https://cdn.example")
        );
        assert_eq!(
            origin("http://[::1]:8080/").as_deref(),
            Some("http://[::1]:8080")
        );
        assert_eq!(
            origin("https://xn--caf-dma.example/x").as_deref(),
            Some("https://xn--caf-dma.example")
        );
        for bad in [
            "https://img.example;sandbox/x.png",
            "https://img.example,script-src/x.png",
            "https://*/x.png",
            "https://*.example/x.png",
            "https://a.example;report-uri%20x/",
            "https://a b.example/",
            "data:image/png;base64,AA",
            "ftp://x.example/",
            "/relative.png",
        ] {
            assert_eq!(origin(bad), None, "{bad}");
        }
    }
}
