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
        }
    }
}

/// Accepts only absolute `http:`/`https:` URLs with a host: the only redirect targets a
/// customer's browser is ever sent to.
pub fn redirect_url(url: &str) -> Result<(), UrlProblem> {
    if url.is_empty() {
        return Err(UrlProblem::Empty);
    }
    if url.len() > 2048 {
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
