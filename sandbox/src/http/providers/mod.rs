//! The sandbox's stand-ins for providers' own pages (Wave's approval, the hosted card page,
//! 3-D Secure): small self-contained HTML, bilingual, every interpolated value escaped.

pub mod card;
pub mod wave;

pub use crate::http::dist::escape_html;
use crate::storage::PaymentRow;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use checkout_core::payment::PaymentStatus;
use checkout_core::{Currency, Money};

const STYLE: &str = "\
body { font-family: system-ui, sans-serif; background: #f1f5f9; color: #0f172a; margin: 0; }
main { max-width: 26rem; margin: 2rem auto; background: #fff; border-radius: 0.75rem; padding: 1.5rem; box-shadow: 0 1px 3px rgb(0 0 0 / 0.12); }
h1 { font-size: 1.25rem; margin: 0 0 0.5rem; }
.brand { font-weight: 700; letter-spacing: 0.02em; }
.test { background: #fef3c7; color: #92400e; font-size: 0.8rem; padding: 0.25rem 0.5rem; border-radius: 0.25rem; display: inline-block; }
.amount { font-size: 1.75rem; font-weight: 700; margin: 0.75rem 0; }
dl { display: grid; grid-template-columns: auto 1fr; gap: 0.25rem 1rem; }
dt { color: #475569; } dd { margin: 0; font-weight: 600; }
form { margin: 0.75rem 0 0; }
label { display: block; margin: 0.75rem 0 0.25rem; font-weight: 600; }
input { width: 100%; box-sizing: border-box; font-size: 1rem; padding: 0.6rem; border: 1px solid #94a3b8; border-radius: 0.375rem; }
.row { display: flex; gap: 0.75rem; } .row > div { flex: 1; }
button { width: 100%; font-size: 1rem; padding: 0.75rem; margin-top: 1rem; border: 0; border-radius: 0.375rem; cursor: pointer; background: #1d4ed8; color: #fff; }
button.secondary { background: #e2e8f0; color: #0f172a; }
.error { background: #fee2e2; color: #991b1b; padding: 0.5rem 0.75rem; border-radius: 0.375rem; }
table { width: 100%; border-collapse: collapse; font-size: 0.85rem; margin-top: 1.25rem; }
td, th { text-align: left; padding: 0.25rem; border-top: 1px solid #e2e8f0; }
code { font-size: 0.9em; }
a { color: #1d4ed8; }
";

/// Groups an integer's digits by three with spaces, as French writes amounts.
fn grouped(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// "5 000 F CFA" for the CFA francs (no minor unit), "15.99 USD" otherwise.
pub fn amount(money: Money) -> String {
    let text = money.major_string();
    let (sign, unsigned) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (unsigned, None),
    };
    let mut number = format!("{sign}{}", grouped(whole));
    if let Some(f) = fraction {
        number.push('.');
        number.push_str(f);
    }
    match money.currency {
        Currency::Xof | Currency::Xaf => format!("{number} F CFA"),
        other => format!("{number} {}", other.code()),
    }
}

/// The amount as the customer reads it on the providers' pages: "5 000 F CFA", "15.99 USD".
pub fn display_amount(p: &PaymentRow) -> String {
    amount(Money::new(p.amount, p.currency))
}

/// A whole page: `title` is plain text, `body` already-escaped HTML.
pub fn document(title: &str, body: &str) -> String {
    format!(
        r#"<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{title}</title>
<style>
{STYLE}</style>
</head>
<body>
<main>
{body}
</main>
</body>
</html>
"#,
        title = escape_html(title),
    )
}

/// A page answer: never cached, never framed (a payment page inside someone else's frame
/// is a clickjacking target).
pub fn respond(status: StatusCode, html: String) -> Response {
    (
        status,
        [
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
            (
                header::REFERRER_POLICY,
                HeaderValue::from_static("no-referrer"),
            ),
        ],
        Html(html),
    )
        .into_response()
}

/// 303 See Other: after a form post, the browser GETs `location`.
pub fn see_other(location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(value) => (
            StatusCode::SEE_OTHER,
            [
                (header::LOCATION, value),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            ],
        )
            .into_response(),
        Err(_) => {
            crate::error::Error::internal(format!("unusable redirect {location:?}")).into_response()
        }
    }
}

/// A payment's status as the providers' pages word it.
fn status_word(status: PaymentStatus) -> &'static str {
    match status {
        PaymentStatus::Pending => "En cours · Processing",
        PaymentStatus::Succeeded => "Payé · Paid",
        PaymentStatus::Failed => "Refusé · Declined",
    }
}

/// The page shown once a payment no longer waits for the customer.
pub fn already_answered(merchant: &str, status_url: &str, status: PaymentStatus) -> String {
    document(
        "lomi. sandbox",
        &format!(
            r#"<p class="test">Mode test · Test mode</p>
<h1>Paiement déjà traité · Payment already answered</h1>
<p>{merchant} · <strong>{status}</strong></p>
<p><a href="{url}">Retour au paiement · Back to the payment</a></p>"#,
            merchant = escape_html(merchant),
            status = escape_html(status_word(status)),
            url = escape_html(status_url),
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_read_like_the_customer_writes_them() {
        assert_eq!(amount(Money::new(5_000, Currency::Xof)), "5 000 F CFA");
        assert_eq!(amount(Money::new(15_000, Currency::Xof)), "15 000 F CFA");
        assert_eq!(
            amount(Money::new(1_500_000, Currency::Xaf)),
            "1 500 000 F CFA"
        );
        assert_eq!(amount(Money::new(500, Currency::Xof)), "500 F CFA");
        assert_eq!(amount(Money::new(1_599, Currency::Usd)), "15.99 USD");
        assert_eq!(amount(Money::new(123_456, Currency::Eur)), "1 234.56 EUR");
    }

    #[test]
    fn documents_escape_their_title() {
        let html = document("<b>", "<p>ok</p>");
        assert!(html.contains("<title>&lt;b&gt;</title>"));
        assert!(html.contains("<p>ok</p>"));
    }
}
