//! The sandbox's Wave: Wave's launch URL opens a page (in the app on a phone, from the QR
//! code on a computer) where the customer approves or declines the payment. The page is
//! drawn by the HTTP layer; this is what an answer does.

use super::outcome::{self, Pace};
use crate::domain::Ctx;
use crate::error::Result;
use crate::storage::{PaymentRow, Stage};
use checkout_core::payment::{FailureReason, PaymentStatus};
use checkout_core::wire::Provider;

/// A Wave payment by id.
pub fn find(ctx: &Ctx, id: &str) -> Result<PaymentRow> {
    super::through(Some(super::find(ctx, id)?), Provider::Wave, "Wave")
}

/// Whether the payment still waits for the customer's answer on Wave's page.
pub fn waiting(p: &PaymentRow) -> bool {
    p.status == PaymentStatus::Pending && p.stage == Stage::AwaitingCustomer
}

/// The customer's answer on Wave's page. A second answer (a double tap, the back button)
/// changes nothing.
pub fn answer(ctx: &Ctx, id: &str, approve: bool) -> Result<PaymentRow> {
    outcome::settled(ctx, |db| {
        let p = super::through(db.payment(&ctx.merchant().id, id)?, Provider::Wave, "Wave")?;
        if waiting(&p) {
            if approve {
                outcome::confirmed(db, ctx, &p, Pace::AtOnce)?;
            } else {
                outcome::fail(db, &p.id, FailureReason::RejectedByCustomer, ctx.now())?;
            }
        }
        Ok(p)
    })
}
