//! The sandbox's Orange Money: the customer dials the USSD code the page shows, Orange texts
//! a one-time code, and the customer types it on the page. Every test payment takes
//! [`TEST_OTP`]; the phone number's last digits then decide the outcome.

use super::next_action;
use super::outcome::{self, Pace};
use crate::domain::Ctx;
use crate::error::{Error, Result};
use crate::storage::{PaymentRow, Stage};
use checkout_core::payment::NextAction;
use checkout_core::wire::Provider;

/// The one-time code every Orange Money test payment takes.
pub const TEST_OTP: &str = "123456";

/// Checks the one-time code the customer typed for payment `id` and, when right, hands the
/// payment to the operator. A wrong code leaves it pending: the customer dials again.
pub fn submit_code(ctx: &Ctx, id: &str, code: &str) -> Result<PaymentRow> {
    let typed: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    outcome::settled(ctx, |db| {
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
            let dial = match next_action(ctx, &p) {
                NextAction::EnterOtp { ussd_code } => ussd_code,
                _ => String::new(),
            };
            return Err(Error::invalid_field(
                "code",
                format!("Wrong code: dial {dial} again for a new one (the sandbox's code is {TEST_OTP})"),
            ));
        }
        outcome::confirmed(db, ctx, &p, Pace::AfterDelay)?;
        db.payment(&ctx.merchant().id, id)?
            .ok_or_else(|| Error::not_found("Payment not found"))
    })
}
