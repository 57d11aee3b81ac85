//! The sandbox's Orange Money: the customer dials the USSD code the page shows, Orange texts
//! a one-time code, and the customer types it on the page. Every test payment takes
//! [`TEST_OTP`]; the phone number's last digits then decide the outcome. Three wrong codes
//! stop the payment.

use super::next_action;
use super::outcome::{self, Pace};
use crate::domain::Ctx;
use crate::error::{Error, Result};
use crate::storage::{PaymentRow, Stage};
use checkout_core::payment::{FailureReason, NextAction};
use checkout_core::wire::Provider;

/// The one-time code every Orange Money test payment takes.
pub const TEST_OTP: &str = "123456";

/// Wrong codes a payment takes; the last one stops it (`too_many_attempts`), so a code cannot
/// be guessed.
pub const MAX_CODE_ATTEMPTS: u32 = 3;

/// What a typed code did, decided inside the payment's write so a wrong code is counted even
/// though the request is refused.
enum Typed {
    Accepted(Box<PaymentRow>),
    Wrong { left: u32, dial: String },
}

/// Checks the one-time code the customer typed for payment `id` and, when right, hands the
/// payment to the operator. A wrong code leaves it pending (the customer dials again) until
/// the [`MAX_CODE_ATTEMPTS`]th, which fails it.
pub fn submit_code(ctx: &Ctx, id: &str, code: &str) -> Result<PaymentRow> {
    let typed: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    let outcome = outcome::settled(ctx, |db| {
        let p = db
            .payment(&ctx.merchant().id, id)?
            .ok_or_else(|| Error::not_found("Payment not found"))?;
        if p.provider != Some(Provider::Orange) {
            return Err(Error::invalid(
                "Only Orange Money payments take a one-time code",
            ));
        }
        outcome::still_pending(&p)?;
        if p.stage != Stage::AwaitingCustomer {
            return Err(Error::conflict(
                "The code was already accepted: the payment is being processed",
            ));
        }
        if typed != TEST_OTP {
            let wrong = db.count_wrong_code(&p.id)?;
            if wrong >= MAX_CODE_ATTEMPTS {
                outcome::fail(db, &p.id, FailureReason::TooManyAttempts, ctx.now())?;
            } else {
                let dial = match next_action(ctx, &p) {
                    NextAction::EnterOtp { ussd_code } => ussd_code,
                    _ => String::new(),
                };
                return Ok(Typed::Wrong {
                    left: MAX_CODE_ATTEMPTS - wrong,
                    dial,
                });
            }
        } else {
            outcome::confirmed(db, ctx, &p, Pace::AfterDelay)?;
        }
        db.payment(&ctx.merchant().id, id)?
            .map(|p| Typed::Accepted(Box::new(p)))
            .ok_or_else(|| Error::not_found("Payment not found"))
    })?;
    match outcome {
        Typed::Accepted(payment) => Ok(*payment),
        Typed::Wrong { left, dial } => Err(Error::invalid_field(
            "code",
            format!(
                "Wrong code: dial {dial} again for a new one; {left} more wrong code(s) stop the payment (the sandbox's code is {TEST_OTP})"
            ),
        )),
    }
}
