//! Embedded mode: which pages may show a merchant's checkout in a frame and hear its events.
//!
//! A merchant's page frames the checkout with `?embedded=true&embed_origin=<its origin>`.
//! The origin is allowed when the merchant named it (`--embed-origin`, kept on the merchant)
//! or, in test mode, when it is `http://localhost` or `http://127.0.0.1` on any port, where
//! merchants develop. Only then does the page's `frame-ancestors` name that origin (else it
//! stays `'none'`) and does the page post its events, to that origin alone.

use crate::config::embed_origin;
use crate::domain::checkout::TEST_MODE;
use crate::storage::Merchant;

/// The hosts test mode allows on any port, over plain http: a merchant's machine.
const LOOPBACK_HOSTS: [&str; 2] = ["localhost", "127.0.0.1"];

/// What the page's address asks for: `embedded` (`true` or not) and `embed_origin`, both as
/// `URLSearchParams` reads them.
pub struct EmbedRequest<'a> {
    pub embedded: Option<&'a str>,
    pub embed_origin: Option<&'a str>,
}

/// The origin the page may be framed by and post to, for this merchant and this request:
/// `None` unless the page is asked to be embedded (`embedded=true`) for an allowed origin.
pub fn allowed_origin(merchant: &Merchant, request: &EmbedRequest<'_>) -> Option<String> {
    if request.embedded != Some("true") {
        return None;
    }
    allowed(&merchant.embed_origins, TEST_MODE, request.embed_origin?)
}

/// The rule itself: `asked`, written as an origin, is one of `configured` or, in test mode,
/// a loopback origin over http. Compared as browsers serialize origins, so
/// `https://Shop.Example:443` is `https://shop.example`; anything that is not exactly an
/// origin (a path, a query, `*`, `null`) is refused.
pub fn allowed(configured: &[String], test_mode: bool, asked: &str) -> Option<String> {
    let origin = embed_origin(asked)?;
    let loopback = || {
        url::Url::parse(&origin).is_ok_and(|url| {
            url.scheme() == "http" && url.host_str().is_some_and(|h| LOOPBACK_HOSTS.contains(&h))
        })
    };
    (configured.contains(&origin) || (test_mode && loopback())).then_some(origin)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configured_origins_and_loopback_in_test_mode() {
        let shop = ["https://shop.example".to_string()];
        let ok = |asked: &str, test_mode: bool| allowed(&shop, test_mode, asked);
        assert_eq!(
            ok("https://shop.example", false).as_deref(),
            Some("https://shop.example")
        );
        assert_eq!(
            ok("https://SHOP.example:443/", false).as_deref(),
            Some("https://shop.example")
        );
        assert_eq!(
            ok("http://localhost:3000", true).as_deref(),
            Some("http://localhost:3000")
        );
        assert_eq!(
            ok("http://127.0.0.1:8080", true).as_deref(),
            Some("http://127.0.0.1:8080")
        );
        assert_eq!(
            ok("http://localhost", true).as_deref(),
            Some("http://localhost")
        );
        // Not in live mode, not over https unless named, not another loopback name.
        assert_eq!(ok("http://localhost:3000", false), None);
        assert_eq!(ok("https://localhost:3000", true), None);
        assert_eq!(ok("http://shop.localhost:3000", true), None);
        assert_eq!(ok("http://[::1]:3000", true), None);
        // Not another origin, nor something that is not an origin.
        for refused in [
            "https://evil.example",
            "http://shop.example",
            "https://shop.example.evil.example",
            "https://shop.example/path",
            "https://shop.example?x",
            "https://user@shop.example",
            "*",
            "null",
            "",
        ] {
            assert_eq!(ok(refused, true), None, "{refused}");
        }
    }

    #[test]
    fn only_when_asked_to_be_embedded() {
        let merchant = Merchant {
            id: "m".into(),
            organization_id: "o".into(),
            name: "Boutique Awa".into(),
            country: None,
            logo_url: None,
            providers: vec![],
            api_key: "lomi_sk_test_x".into(),
            embed_origins: vec!["https://shop.example".into()],
        };
        let asked = |embedded, embed_origin| {
            allowed_origin(
                &merchant,
                &EmbedRequest {
                    embedded,
                    embed_origin,
                },
            )
        };
        assert_eq!(
            asked(Some("true"), Some("https://shop.example")).as_deref(),
            Some("https://shop.example")
        );
        assert_eq!(asked(None, Some("https://shop.example")), None);
        assert_eq!(asked(Some("1"), Some("https://shop.example")), None);
        assert_eq!(asked(Some("true"), None), None);
    }
}
