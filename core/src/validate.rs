//! Input checks shared by the page and the sandbox, so both refuse the same things.

/// Why a redirect target was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UrlProblem {
    Empty,
    TooLong,
    /// Not `http:` or `https:` (`javascript:`, `data:`, a relative or protocol-relative URL).
    Scheme,
    NoHost,
    /// Whitespace, control characters or backslashes, which browsers read inconsistently.
    BadCharacter,
    /// A host that is neither a domain name nor an IP address ([`web_url`]).
    Host,
    /// A port that is not a number from 0 to 65535 ([`web_url`]).
    Port,
    /// A host that reads as a domain name but is not one once the URL parser has encoded it
    /// (over 253 characters, an international label that does not encode to `xn--`), or a
    /// bracketed address that is not IPv6: found by the parser, not by [`web_url`].
    Encoding,
}

impl UrlProblem {
    pub fn message(self) -> &'static str {
        match self {
            UrlProblem::Empty => "must not be empty",
            UrlProblem::TooLong => "must be at most 2048 characters",
            UrlProblem::Scheme => "must be an absolute http:// or https:// URL",
            UrlProblem::NoHost => "must name a host",
            UrlProblem::BadCharacter => {
                "must not contain spaces, control characters or backslashes"
            }
            UrlProblem::Host => {
                "must name its host by a domain name (labels of letters, digits and inner \
                 hyphens between dots, the last starting with a letter) or an IP address"
            }
            UrlProblem::Port => "must have a port from 0 to 65535",
            UrlProblem::Encoding => {
                "host is not a valid domain name or IP address once encoded (at most 253 \
                 characters; international labels must encode to valid xn-- labels)"
            }
        }
    }
}

/// Accepts only absolute `http:`/`https:` URLs with a host: the only redirect targets a
/// customer's browser is ever sent to.
pub fn redirect_url(url: &str) -> Result<(), UrlProblem> {
    if url.is_empty() {
        return Err(UrlProblem::Empty);
    }
    if url.chars().count() > 2048 {
        return Err(UrlProblem::TooLong);
    }
    if url
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == '\\')
    {
        return Err(UrlProblem::BadCharacter);
    }
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &url[8..]
    } else if lower.starts_with("http://") {
        &url[7..]
    } else {
        return Err(UrlProblem::Scheme);
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit('@').next().unwrap_or("");
    // An IPv6 literal keeps its colons inside brackets: `[::1]:8080`.
    let host = match host.strip_prefix('[') {
        Some(literal) => match literal.split_once(']') {
            Some((address, _))
                if !address.is_empty()
                    && address
                        .chars()
                        .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.') =>
            {
                address
            }
            _ => return Err(UrlProblem::NoHost),
        },
        None => host.split(':').next().unwrap_or(""),
    };
    if host.is_empty() {
        return Err(UrlProblem::NoHost);
    }
    Ok(())
}

/// A merchant's URL (a redirect target, an image): a [`redirect_url`] whose host is written
/// as a domain name, a dotted IPv4 address (`192.0.2.1`) or a bracketed IPv6 one, and whose
/// port, if any, is a number up to 65535.
///
/// A domain name is labels between dots; an ASCII label has 1 to 63 letters, digits and
/// hyphens, not first or last; the last label starts with a letter (so no name reads as a
/// number). A label with a non-ASCII letter is international: the URL parser encodes it
/// (`xn--…`), and the sandbox checks the result with [`dns_name`]. Nothing else is a host
/// here: not `*`, not `;`, `,`, `%`, `_` or an empty label, which the WHATWG URL parser
/// would take and a Content-Security-Policy would read as syntax.
///
/// The OpenAPI document's pattern for these fields states exactly this rule.
pub fn web_url(url: &str) -> Result<(), UrlProblem> {
    redirect_url(url)?;
    // redirect_url checked the scheme: the authority runs from after `//` to the first of
    // `/ ? #`, its host and port after its last `@`.
    let rest = &url[url.find("//").map_or(0, |i| i + 2)..];
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit('@').next().unwrap_or("");
    let (host, port) = match host_port.strip_prefix('[') {
        Some(literal) => {
            let (address, after) = literal.split_once(']').ok_or(UrlProblem::Host)?;
            if address.is_empty()
                || !address
                    .chars()
                    .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
            {
                return Err(UrlProblem::Host);
            }
            match after.strip_prefix(':') {
                Some(port) => (None, Some(port)),
                None if after.is_empty() => (None, None),
                None => return Err(UrlProblem::Host),
            }
        }
        None => match host_port.split_once(':') {
            Some((host, port)) => (Some(host), Some(port)),
            None => (Some(host_port), None),
        },
    };
    if let Some(host) = host {
        if !ipv4(host) && !name(host) {
            return Err(UrlProblem::Host);
        }
    }
    if let Some(port) = port {
        let digits = port.trim_start_matches('0');
        if !port.bytes().all(|b| b.is_ascii_digit())
            || digits.len() > 5
            || digits.parse::<u32>().unwrap_or(0) > 65_535
        {
            return Err(UrlProblem::Port);
        }
    }
    Ok(())
}

/// Four decimal numbers 0 to 255 without leading zeros, between dots.
fn ipv4(host: &str) -> bool {
    let parts: Vec<&str> = host.split('.').collect();
    parts.len() == 4
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.len() <= 3
                && p.bytes().all(|b| b.is_ascii_digit())
                && (p.len() == 1 || !p.starts_with('0'))
                && p.parse::<u16>().is_ok_and(|n| n <= 255)
        })
}

/// A domain name as written in a [`web_url`]: see there.
fn name(host: &str) -> bool {
    let labels: Vec<&str> = host.split('.').collect();
    let last = labels.len() - 1;
    labels.iter().enumerate().all(|(i, label)| {
        if label.is_ascii() {
            ldh_label(label) && (i < last || label.starts_with(|c: char| c.is_ascii_alphabetic()))
        } else {
            label
                .chars()
                .all(|c| !c.is_ascii() || c.is_ascii_alphanumeric() || c == '-')
        }
    })
}

/// 1 to 63 ASCII letters, digits and hyphens, not starting or ending with a hyphen.
fn ldh_label(label: &str) -> bool {
    (1..=63).contains(&label.len())
        && label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !label.starts_with('-')
        && !label.ends_with('-')
}

/// A host name as a URL parser serialises it (lower case, international labels encoded as
/// `xn--…`) that is a DNS name: ASCII labels of 1 to 63 letters, digits and inner hyphens
/// between dots, at most 253 characters, the last label starting with a letter. Only such
/// names (and IP addresses) may be written into a Content-Security-Policy.
pub fn dns_name(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 253
        && host.split('.').all(ldh_label)
        && host
            .rsplit('.')
            .next()
            .is_some_and(|last| last.starts_with(|c: char| c.is_ascii_alphabetic()))
}

/// The longest email address taken, in characters (as JSON Schema's `maxLength` counts them,
/// so the OpenAPI document and this check agree on addresses in any script).
pub const MAX_EMAIL_CHARS: usize = 254;

/// A deliberately plain check: one `@`, something before it, a dotted domain after it, no
/// spaces. Deliverability is the mail server's business, not a regex's.
pub fn email(email: &str) -> bool {
    let email = email.trim();
    if email.chars().count() > MAX_EMAIL_CHARS
        || email.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return false;
    }
    let Some((local, domain)) = email.rsplit_once('@') else {
        return false;
    };
    !local.is_empty()
        && !local.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
}

/// Trimmed text, or `None` when nothing is left.
pub fn non_blank(text: Option<&str>) -> Option<String> {
    text.map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirects_only_to_web_urls() {
        assert_eq!(redirect_url("https://example.com/ok?x=1"), Ok(()));
        assert_eq!(redirect_url("HTTP://localhost:3000/done"), Ok(()));
        assert_eq!(redirect_url("http://[::1]:8080/"), Ok(()));
        assert_eq!(
            redirect_url("https://shop.example/success?session={CHECKOUT_SESSION_ID}"),
            Ok(())
        );
        assert_eq!(redirect_url("javascript:alert(1)"), Err(UrlProblem::Scheme));
        assert_eq!(
            redirect_url("data:text/html,<script>alert(1)</script>"),
            Err(UrlProblem::Scheme)
        );
        assert_eq!(redirect_url("//evil.example/x"), Err(UrlProblem::Scheme));
        assert_eq!(redirect_url("/relative"), Err(UrlProblem::Scheme));
        assert_eq!(
            redirect_url("https:\\\\evil.example"),
            Err(UrlProblem::BadCharacter)
        );
        assert_eq!(
            redirect_url("java\tscript:alert(1)"),
            Err(UrlProblem::BadCharacter)
        );
        assert_eq!(redirect_url("https:///path"), Err(UrlProblem::NoHost));
        assert_eq!(redirect_url("https://["), Err(UrlProblem::NoHost));
        assert_eq!(redirect_url("https://[]/x"), Err(UrlProblem::NoHost));
        assert_eq!(
            redirect_url("https://[evil.example/x"),
            Err(UrlProblem::NoHost)
        );
        assert_eq!(redirect_url(""), Err(UrlProblem::Empty));
    }

    #[test]
    fn merchant_urls_name_a_host() {
        for ok in [
            "https://cdn.example/logo.png?v=1",
            "HTTPS://CDN.Example:443/a",
            "http://localhost:3000/done",
            "http://127.0.0.1:8080/x",
            "http://[::1]:8080/",
            "https://user:pass@shop.example/",
            "https://a-b.c0.example:/",
            "https://1shop.example:00080/",
            "https://xn--caf-dma.example/",
            "https://café.example/menu",
            "https://shop.example/ok/{CHECKOUT_SESSION_ID}",
            "https://shop.example#top",
            "https://shop.example:65535",
        ] {
            assert_eq!(web_url(ok), Ok(()), "{ok}");
        }
        for (bad, problem) in [
            ("https://img.example;sandbox/x.png", UrlProblem::Host),
            ("https://img.example,script-src/x.png", UrlProblem::Host),
            ("https://*/x.png", UrlProblem::Host),
            ("https://*.example/x.png", UrlProblem::Host),
            ("https://a.example;report-uri%20x/", UrlProblem::Host),
            ("https://%61.example/", UrlProblem::Host),
            ("https://a_b.example/", UrlProblem::Host),
            ("https://-a.example/", UrlProblem::Host),
            ("https://a-.example/", UrlProblem::Host),
            ("https://a..example/", UrlProblem::Host),
            ("https://example.com./", UrlProblem::Host),
            ("https://shop.123/", UrlProblem::Host),
            ("https://1.2.3/", UrlProblem::Host),
            ("https://0x7f.0.0.1/", UrlProblem::Host),
            ("https://256.1.1.1/", UrlProblem::Host),
            ("https://010.1.1.1/", UrlProblem::Host),
            ("https://[::1]x/", UrlProblem::Host),
            ("https://ex'ample.com/", UrlProblem::Host),
            (
                &format!("https://{}.example/", "a".repeat(64)),
                UrlProblem::Host,
            ),
            ("https://shop.example:65536/", UrlProblem::Port),
            ("https://shop.example:8o/", UrlProblem::Port),
            ("https://shop.example:1:2/", UrlProblem::Port),
            ("javascript:alert(1)", UrlProblem::Scheme),
            ("https:///x", UrlProblem::NoHost),
        ] {
            assert_eq!(web_url(bad), Err(problem), "{bad}");
        }
    }

    #[test]
    fn dns_names() {
        assert!(dns_name("cdn.example"));
        assert!(dns_name("localhost"));
        assert!(dns_name("xn--caf-dma.example"));
        assert!(dns_name(&format!("{}.example", "a".repeat(63))));
        let long = format!("{}.example", vec!["a".repeat(60); 4].join("."));
        assert_eq!(long.len(), 251);
        assert!(dns_name(&long));
        assert!(dns_name(&format!("a.{long}")));
        assert!(!dns_name(&format!("ab.{long}")));
        for bad in [
            "",
            "*",
            "img.example;sandbox",
            "a,script-src",
            "a b",
            "a..b",
            "a.",
            ".a",
            "-a.b",
            "a-.b",
            "a_b.c",
            "a.1",
            "1.2.3.4",
            "café.example",
            &"a".repeat(64),
        ] {
            assert!(!dns_name(bad), "{bad}");
        }
    }

    #[test]
    fn emails() {
        assert!(email("awa@example.ci"));
        assert!(email(" awa.diallo+shop@mail.example.sn "));
        assert!(!email("awa"));
        assert!(!email("awa@example"));
        assert!(!email("@example.com"));
        assert!(!email("awa @example.com"));
        assert!(!email("awa@example..com"));
    }

    #[test]
    fn an_email_s_length_is_counted_in_characters() {
        // 171 characters but 331 bytes: non-Latin addresses are as long as they look.
        let accented = format!("{}@exemple.ci", "é".repeat(160));
        assert!(accented.len() > MAX_EMAIL_CHARS);
        assert!(email(&accented));
        let longest = format!("{}@exemple.ci", "a".repeat(MAX_EMAIL_CHARS - 11));
        assert_eq!(longest.chars().count(), MAX_EMAIL_CHARS);
        assert!(email(&longest));
        assert!(!email(&format!("a{longest}")));
    }
}
