//! The sandbox's stand-ins for providers' own pages (Wave's approval, the hosted card page,
//! 3-D Secure): small self-contained HTML, bilingual, drawn from the templates in
//! `sandbox/templates/providers/`, which escape every value they show.

pub mod card;
pub mod wave;

use crate::http::html;
use crate::http::security::Policy;
use crate::storage::PaymentRow;
use askama::Template;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use checkout_core::payment::PaymentStatus;
use checkout_core::{Currency, Money};

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

/// A page answer: never cached, never framed (a payment page inside someone else's frame
/// is a clickjacking target), no referrer; its policy allows its style, and its forms to post
/// to the sandbox (which redirects to the checkout's status, on the same origin).
pub fn respond(status: StatusCode, page: &impl Template) -> Response {
    html::own_page(status, page, true, |body| {
        Policy::for_sandbox_page(body, &["'self'"])
    })
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
#[derive(Template)]
#[template(path = "providers/already_answered.html")]
pub struct AlreadyAnswered<'a> {
    merchant: &'a str,
    status: &'static str,
    /// The payment's live status on the checkout page.
    url: &'a str,
}

impl<'a> AlreadyAnswered<'a> {
    pub fn new(merchant: &'a str, status_url: &'a str, status: PaymentStatus) -> Self {
        AlreadyAnswered {
            merchant,
            status: status_word(status),
            url: status_url,
        }
    }
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
    fn pages_escape_what_they_show() {
        let page = AlreadyAnswered::new(
            "<b>Awa & Fils</b>",
            "https://pay.example/checkout/cs_1?payment=p\"1",
            PaymentStatus::Succeeded,
        )
        .render()
        .unwrap();
        assert!(
            page.starts_with("<!DOCTYPE html>\n<html lang=\"fr\">"),
            "{page}"
        );
        assert!(page.contains("<title>lomi. sandbox</title>"), "{page}");
        assert!(
            page.contains(
                "<p>&lt;b&gt;Awa &amp; Fils&lt;/b&gt; · <strong>Payé · Paid</strong></p>"
            ),
            "{page}"
        );
        assert!(page.contains(
            "<a href=\"https://pay.example/checkout/cs_1?payment=p&quot;1\">Retour au paiement"
        ));
        assert!(
            page.contains("<main>\n<p class=\"test\">")
                && page.ends_with("</main>\n</body>\n</html>")
        );
    }
}
