//! The sandbox's hosted card page, standing in for Stripe's: card data is typed here, never
//! on the checkout page, and never stored (the last four digits at most). Test cards decide
//! the outcome, as Stripe's do.

use super::html::{self, already_answered, document};
use super::outcome;
use super::{card_url, display_amount, status_url};
use crate::db::{PaymentRow, Stage};
use crate::error::{Error, Result};
use crate::input::Id;
use crate::pages::escape_html;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use checkout_core::calendar::{civil_from_days, DAY};
use checkout_core::payment::{FailureReason, PaymentStatus};
use checkout_core::wire::Provider;

/// What a test card number does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TestCard {
    Succeeds,
    Declined,
    /// The bank asks for 3-D Secure first.
    Authenticates,
}

pub const TEST_CARDS: [(&str, TestCard, &str); 3] = [
    (
        "4242 4242 4242 4242",
        TestCard::Succeeds,
        "Paiement réussi · Succeeds",
    ),
    (
        "4000 0000 0000 0002",
        TestCard::Declined,
        "Carte refusée · Declined (card_declined)",
    ),
    (
        "4000 0000 0000 3220",
        TestCard::Authenticates,
        "3-D Secure demandé · Requires 3-D Secure",
    ),
];

fn digits_of(text: &str) -> Option<String> {
    let digits: String = text
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '\u{a0}'))
        .collect();
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}

pub fn test_card(number: &str) -> Option<TestCard> {
    let digits = digits_of(number)?;
    TEST_CARDS
        .iter()
        .find(|(n, _, _)| digits_of(n).as_deref() == Some(digits.as_str()))
        .map(|(_, card, _)| *card)
}

/// `MM/YY` (or `MM/YYYY`) still valid in the month of `now`: a card works through the last
/// day of its expiry month.
pub fn expiry_ok(text: &str, now: i64) -> bool {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let Some((month, year)) = compact.split_once('/') else {
        return false;
    };
    let (Ok(month), Ok(year)) = (month.parse::<u32>(), year.parse::<i64>()) else {
        return false;
    };
    let year = match year {
        0..=99 if compact.len() <= 5 => 2000 + year,
        1000..=9999 => year,
        _ => return false,
    };
    let (this_year, this_month, _) = civil_from_days(now.div_euclid(DAY));
    (1..=12).contains(&month) && (year, month) >= (this_year, this_month)
}

fn card_payment(state: &AppState, id: &str) -> Result<PaymentRow> {
    let p = super::find(state, id)?;
    if p.provider != Some(Provider::Stripe) {
        return Err(Error::not_found("No card payment with this id"));
    }
    Ok(p)
}

fn card_form(state: &AppState, p: &PaymentRow, error: Option<&str>) -> String {
    let id = escape_html(&p.id);
    let error = error.map_or_else(String::new, |e| {
        format!(
            r#"<p class="error" role="alert" data-testid="card-error">{}</p>"#,
            escape_html(e)
        )
    });
    let cards: String = TEST_CARDS
        .iter()
        .map(|(number, _, what)| {
            format!(
                "<tr><td><code>{}</code></td><td>{}</td></tr>",
                escape_html(number),
                escape_html(what)
            )
        })
        .collect();
    let body = format!(
        r#"<p class="brand">Carte bancaire · Card <span class="test">Mode test · Test mode</span></p>
<h1>{merchant}</h1>
<p class="amount" data-testid="card-amount">{amount}</p>
{error}
<form method="post" action="/sandbox/card/{id}" autocomplete="off">
<label for="number">Numéro de carte · Card number</label>
<input id="number" name="number" inputmode="numeric" autocomplete="cc-number" placeholder="4242 4242 4242 4242" required>
<div class="row">
<div><label for="expiry">Expiration (MM/AA · MM/YY)</label>
<input id="expiry" name="expiry" autocomplete="cc-exp" placeholder="12/34" required></div>
<div><label for="cvc">CVC</label>
<input id="cvc" name="cvc" inputmode="numeric" autocomplete="cc-csc" placeholder="123" required></div>
</div>
<button type="submit">Payer · Pay {amount}</button>
</form>
<table>
<tr><th>Cartes de test · Test cards</th><th></th></tr>
{cards}
<tr><td colspan="2">Toute date future, tout CVC à 3 chiffres · Any future date, any 3-digit CVC</td></tr>
</table>"#,
        merchant = escape_html(&state.merchant().name),
        amount = escape_html(&display_amount(p)),
    );
    document("Carte · Card · lomi. sandbox", &body)
}

/// `GET /sandbox/card/{id}`.
pub async fn page(State(state): State<AppState>, Id(id): Id) -> Result<Response> {
    let p = card_payment(&state, &id)?;
    Ok(match (p.status, p.stage) {
        (PaymentStatus::Pending, Stage::AwaitingCustomer) => {
            html::respond(StatusCode::OK, card_form(&state, &p, None))
        }
        (PaymentStatus::Pending, Stage::Authenticating) => {
            html::see_other(&format!("{}/3ds", card_url(&state, &p.id)))
        }
        _ => html::respond(
            StatusCode::OK,
            already_answered(&state.merchant().name, &status_url(&state, &p), p.status),
        ),
    })
}

/// What the customer typed, or why it cannot be charged.
fn read_card(body: &[u8], now: i64) -> std::result::Result<(TestCard, String), &'static str> {
    let mut number = String::new();
    let mut expiry = String::new();
    let mut cvc = String::new();
    for (key, value) in form_urlencoded::parse(body) {
        match key.as_ref() {
            "number" => number = value.into_owned(),
            "expiry" => expiry = value.into_owned(),
            "cvc" => cvc = value.into_owned(),
            _ => {}
        }
    }
    let Some(card) = test_card(&number) else {
        return Err("Numéro de carte non accepté : utilisez une carte de test ci-dessous. · Card number not accepted: use a test card listed below.");
    };
    if !expiry_ok(&expiry, now) {
        return Err("Date d'expiration invalide ou passée (MM/AA). · Expiry date invalid or in the past (MM/YY).");
    }
    let cvc = cvc.trim();
    if !(3..=4).contains(&cvc.len()) || !cvc.bytes().all(|b| b.is_ascii_digit()) {
        return Err("CVC invalide : 3 ou 4 chiffres. · Invalid CVC: 3 or 4 digits.");
    }
    let digits = digits_of(&number).unwrap_or_default();
    let last4 = digits[digits.len().saturating_sub(4)..].to_string();
    Ok((card, last4))
}

/// `POST /sandbox/card/{id}`: the card form. A test card settles the payment (or starts
/// 3-D Secure); anything else shows the form again with the problem.
pub async fn submit(State(state): State<AppState>, Id(id): Id, body: Bytes) -> Result<Response> {
    let now = state.now();
    let read = read_card(&body, now);
    enum Next {
        Status(PaymentRow),
        Authenticate(String),
        Form(PaymentRow, &'static str),
    }
    let next = outcome::settled(&state, |db| {
        let p = db
            .payment(&state.merchant().id, &id)?
            .filter(|p| p.provider == Some(Provider::Stripe))
            .ok_or_else(|| Error::not_found("No card payment with this id"))?;
        if p.status != PaymentStatus::Pending || p.stage != Stage::AwaitingCustomer {
            return Ok(Next::Status(p));
        }
        match read {
            Err(problem) => Ok(Next::Form(p, problem)),
            Ok((TestCard::Succeeds, last4)) => {
                db.advance_payment(&p.id, p.stage, None, Some(&last4), now)?;
                outcome::succeed(db, &p.id, now)?;
                Ok(Next::Status(p))
            }
            Ok((TestCard::Declined, last4)) => {
                db.advance_payment(&p.id, p.stage, None, Some(&last4), now)?;
                db.fail_payment(&p.id, FailureReason::CardDeclined, now)?;
                Ok(Next::Status(p))
            }
            Ok((TestCard::Authenticates, last4)) => {
                // The bank waits for the customer as the operator would.
                let give_up = p.settle_at_ms.zip(p.settle_to);
                db.advance_payment(&p.id, Stage::Authenticating, give_up, Some(&last4), now)?;
                Ok(Next::Authenticate(p.id))
            }
        }
    })?;
    Ok(match next {
        Next::Status(p) => html::see_other(&status_url(&state, &p)),
        Next::Authenticate(id) => html::see_other(&format!("{}/3ds", card_url(&state, &id))),
        Next::Form(p, problem) => html::respond(
            StatusCode::BAD_REQUEST,
            card_form(&state, &p, Some(problem)),
        ),
    })
}

/// `GET /sandbox/card/{id}/3ds`: the bank's authentication step.
pub async fn three_ds(State(state): State<AppState>, Id(id): Id) -> Result<Response> {
    let p = card_payment(&state, &id)?;
    Ok(match (p.status, p.stage) {
        (PaymentStatus::Pending, Stage::Authenticating) => {
            let id = escape_html(&p.id);
            let body = format!(
                r#"<p class="brand">3-D Secure <span class="test">Mode test · Test mode</span></p>
<h1>Authentification · Authentication</h1>
<p>{merchant} · <strong>{amount}</strong></p>
<p>Carte se terminant par · Card ending in {last4}</p>
<form method="post" action="/sandbox/card/{id}/3ds/complete">
<button type="submit">Valider l'authentification · Complete authentication</button>
</form>
<form method="post" action="/sandbox/card/{id}/3ds/fail">
<button type="submit" class="secondary">Échouer l'authentification · Fail authentication</button>
</form>"#,
                merchant = escape_html(&state.merchant().name),
                amount = escape_html(&display_amount(&p)),
                last4 = escape_html(p.card_last4.as_deref().unwrap_or_default()),
            );
            html::respond(
                StatusCode::OK,
                document("3-D Secure · lomi. sandbox", &body),
            )
        }
        (PaymentStatus::Pending, _) => html::see_other(&card_url(&state, &p.id)),
        _ => html::respond(
            StatusCode::OK,
            already_answered(&state.merchant().name, &status_url(&state, &p), p.status),
        ),
    })
}

fn authenticated(state: &AppState, id: &str, passed: bool) -> Result<Response> {
    let p = outcome::settled(state, |db| {
        let p = db
            .payment(&state.merchant().id, id)?
            .filter(|p| p.provider == Some(Provider::Stripe))
            .ok_or_else(|| Error::not_found("No card payment with this id"))?;
        if p.status == PaymentStatus::Pending && p.stage == Stage::Authenticating {
            if passed {
                outcome::succeed(db, &p.id, state.now())?;
            } else {
                db.fail_payment(&p.id, FailureReason::CardDeclined, state.now())?;
            }
        }
        Ok(p)
    })?;
    Ok(html::see_other(&status_url(state, &p)))
}

/// `POST /sandbox/card/{id}/3ds/complete`.
pub async fn three_ds_complete(State(state): State<AppState>, Id(id): Id) -> Result<Response> {
    authenticated(&state, &id, true)
}

/// `POST /sandbox/card/{id}/3ds/fail`.
pub async fn three_ds_fail(State(state): State<AppState>, Id(id): Id) -> Result<Response> {
    authenticated(&state, &id, false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use checkout_core::calendar::parse_rfc3339;

    #[test]
    fn test_cards_and_expiry_dates() {
        assert_eq!(test_card("4242424242424242"), Some(TestCard::Succeeds));
        assert_eq!(test_card("4000-0000-0000-0002"), Some(TestCard::Declined));
        assert_eq!(
            test_card("4000 0000 0000 3220"),
            Some(TestCard::Authenticates)
        );
        assert_eq!(test_card("4111 1111 1111 1111"), None);
        assert_eq!(test_card("4242x"), None);
        let now = parse_rfc3339("2026-01-15T10:30:00Z").unwrap();
        assert!(expiry_ok("01/26", now));
        assert!(expiry_ok("12 / 34", now));
        assert!(expiry_ok("02/2027", now));
        assert!(!expiry_ok("12/25", now));
        assert!(!expiry_ok("13/30", now));
        assert!(!expiry_ok("00/30", now));
        assert!(!expiry_ok("1230", now));
        assert!(!expiry_ok("", now));
    }

    #[test]
    fn only_the_last_four_digits_are_kept() {
        let now = parse_rfc3339("2026-01-15T10:30:00Z").unwrap();
        let body = b"number=4242+4242+4242+4242&expiry=12%2F34&cvc=123";
        assert_eq!(
            read_card(body, now),
            Ok((TestCard::Succeeds, "4242".to_string()))
        );
        assert!(read_card(b"number=4242424242424242&expiry=12/20&cvc=123", now).is_err());
        assert!(read_card(b"number=4242424242424242&expiry=12/34&cvc=1", now).is_err());
    }
}
