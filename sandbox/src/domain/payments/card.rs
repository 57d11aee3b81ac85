//! The sandbox's card payments, standing in for Stripe's: test card numbers decide the
//! outcome as Stripe's do, and card data is never stored (the last four digits at most).
//! The hosted page itself is drawn by the HTTP layer.

use super::outcome;
use crate::domain::Ctx;
use crate::error::Result;
use crate::storage::{PaymentRow, Stage};
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

/// What the customer typed on the card page.
#[derive(Clone, Debug, Default)]
pub struct CardEntry {
    pub number: String,
    pub expiry: String,
    pub cvc: String,
}

/// The test card typed and its last four digits, or why it cannot be charged (in both
/// languages, as the card page shows it).
pub fn check_entry(
    entry: &CardEntry,
    now: i64,
) -> std::result::Result<(TestCard, String), &'static str> {
    let CardEntry {
        number,
        expiry,
        cvc,
    } = entry;
    let Some(card) = test_card(number) else {
        return Err("Numéro de carte non accepté : utilisez une carte de test ci-dessous. · Card number not accepted: use a test card listed below.");
    };
    if !expiry_ok(expiry, now) {
        return Err("Date d'expiration invalide ou passée (MM/AA). · Expiry date invalid or in the past (MM/YY).");
    }
    let cvc = cvc.trim();
    if !(3..=4).contains(&cvc.len()) || !cvc.bytes().all(|b| b.is_ascii_digit()) {
        return Err("CVC invalide : 3 ou 4 chiffres. · Invalid CVC: 3 or 4 digits.");
    }
    let digits = digits_of(number).unwrap_or_default();
    let last4 = digits[digits.len().saturating_sub(4)..].to_string();
    Ok((card, last4))
}

/// Where the customer goes after submitting the card form.
pub enum CardStep {
    /// The payment no longer waits for a card (settled now, or before): its status.
    Status(PaymentRow),
    /// The bank asks for 3-D Secure.
    Authenticate(PaymentRow),
    /// The form again, with the problem.
    Form(PaymentRow, &'static str),
}

/// A card payment by id.
pub fn find(ctx: &Ctx, id: &str) -> Result<PaymentRow> {
    super::through(Some(super::find(ctx, id)?), Provider::Stripe, "card")
}

/// The card form of payment `id` was submitted: a test card settles the payment (or starts
/// 3-D Secure); anything else asks again.
pub fn submit(ctx: &Ctx, id: &str, entry: &CardEntry) -> Result<CardStep> {
    let now = ctx.now();
    let read = check_entry(entry, now);
    outcome::settled(ctx, |db| {
        let p = super::through(
            db.payment(&ctx.merchant().id, id)?,
            Provider::Stripe,
            "card",
        )?;
        if p.status != PaymentStatus::Pending || p.stage != Stage::AwaitingCustomer {
            return Ok(CardStep::Status(p));
        }
        match read {
            Err(problem) => Ok(CardStep::Form(p, problem)),
            Ok((TestCard::Succeeds, last4)) => {
                db.advance_payment(&p.id, p.stage, None, Some(&last4), now)?;
                outcome::succeed(db, &p.id, now)?;
                Ok(CardStep::Status(p))
            }
            Ok((TestCard::Declined, last4)) => {
                db.advance_payment(&p.id, p.stage, None, Some(&last4), now)?;
                outcome::fail(db, &p.id, FailureReason::CardDeclined, now)?;
                Ok(CardStep::Status(p))
            }
            Ok((TestCard::Authenticates, last4)) => {
                // The bank waits for the customer as the operator would.
                let give_up = p.settle_at_ms.zip(p.settle_to);
                db.advance_payment(&p.id, Stage::Authenticating, give_up, Some(&last4), now)?;
                Ok(CardStep::Authenticate(p))
            }
        }
    })
}

/// The customer passed (or failed) 3-D Secure on payment `id`. A second answer changes
/// nothing.
pub fn authenticate(ctx: &Ctx, id: &str, passed: bool) -> Result<PaymentRow> {
    outcome::settled(ctx, |db| {
        let p = super::through(
            db.payment(&ctx.merchant().id, id)?,
            Provider::Stripe,
            "card",
        )?;
        if p.status == PaymentStatus::Pending && p.stage == Stage::Authenticating {
            if passed {
                outcome::succeed(db, &p.id, ctx.now())?;
            } else {
                outcome::fail(db, &p.id, FailureReason::CardDeclined, ctx.now())?;
            }
        }
        Ok(p)
    })
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
        let entry = |number: &str, expiry: &str, cvc: &str| CardEntry {
            number: number.to_string(),
            expiry: expiry.to_string(),
            cvc: cvc.to_string(),
        };
        assert_eq!(
            check_entry(&entry("4242 4242 4242 4242", "12/34", "123"), now),
            Ok((TestCard::Succeeds, "4242".to_string()))
        );
        assert!(check_entry(&entry("4242424242424242", "12/20", "123"), now).is_err());
        assert!(check_entry(&entry("4242424242424242", "12/34", "1"), now).is_err());
    }
}
