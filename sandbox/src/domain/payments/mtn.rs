//! The sandbox's MTN MoMo: the operator pushes a prompt to the customer's phone, which the
//! customer approves there; the page can ask for the prompt again.

use super::outcome;
use crate::domain::Ctx;
use crate::error::{Error, Result};
use crate::storage::{PaymentRow, Stage};
use checkout_core::wire::Provider;

/// Pushes the prompt of payment `id` again; the operator's answer is timed from now.
pub fn resend_prompt(ctx: &Ctx, id: &str) -> Result<PaymentRow> {
    outcome::settled(ctx, |db| {
        let p = db
            .payment(&ctx.merchant().id, id)?
            .ok_or_else(|| Error::not_found("Payment not found"))?;
        if p.provider != Some(Provider::Mtn) {
            return Err(Error::invalid(
                "Only MTN MoMo payments have a prompt to send again",
            ));
        }
        outcome::still_pending(&p)?;
        let phone = p.phone.clone().unwrap_or_default();
        let answer = outcome::prompt(&phone, ctx.now_millis(), ctx.timing());
        db.advance_payment(&p.id, Stage::AwaitingCustomer, answer, None, ctx.now())?;
        db.payment(&ctx.merchant().id, id)?
            .ok_or_else(|| Error::not_found("Payment not found"))
    })
}
