//! How simulated payments end. Test phone numbers pick the operator's answer by their last
//! two digits, and answers that take time are written as a due time plus an outcome, applied
//! by whichever request next reads the payment: no background task, and tests move the
//! clock instead of sleeping.

use crate::domain::transactions;
use crate::domain::{Ctx, Timing};
use crate::error::{Error, Result};
use crate::ids;
use crate::storage::{Db, PaymentRow, Settlement, Stage};
use checkout_core::payment::FailureReason;
use checkout_core::wire::Provider;

/// What the operator does with a test phone number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhoneRule {
    /// `…01` and `…02`: refused.
    Fail(FailureReason),
    /// `…03`: the customer never answers; the operator gives up after its timeout.
    NeverAnswers,
    /// Any other number.
    Succeed,
}

pub fn phone_rule(e164: &str) -> PhoneRule {
    if e164.ends_with("01") {
        PhoneRule::Fail(FailureReason::InsufficientFunds)
    } else if e164.ends_with("02") {
        PhoneRule::Fail(FailureReason::RejectedByCustomer)
    } else if e164.ends_with("03") {
        PhoneRule::NeverAnswers
    } else {
        PhoneRule::Succeed
    }
}

/// Where a new payment starts and what it becomes if nothing else happens. Wave, Orange and
/// card wait for the customer, who may walk away: the operator then times out. MTN's prompt
/// is answered by the phone rules after the delay; crypto arrives after the delay.
pub fn initial(
    provider: Provider,
    phone: Option<&str>,
    now_ms: i64,
    timing: Timing,
) -> (Stage, Option<(i64, Settlement)>) {
    let walked_away = Some((
        now_ms.saturating_add(timing.timeout_ms),
        Settlement::Fail(FailureReason::OperatorTimeout),
    ));
    let outcome = match provider {
        Provider::Wave | Provider::Orange | Provider::Stripe => walked_away,
        Provider::Mtn => prompt(phone.unwrap_or_default(), now_ms, timing),
        Provider::Nowpayments => {
            Some((now_ms.saturating_add(timing.delay_ms), Settlement::Succeed))
        }
    };
    (Stage::AwaitingCustomer, outcome)
}

/// MTN's answer to a prompt pushed at `now_ms` (on creation and on every resend).
pub fn prompt(phone: &str, now_ms: i64, timing: Timing) -> Option<(i64, Settlement)> {
    Some(match phone_rule(phone) {
        PhoneRule::Fail(reason) => (
            now_ms.saturating_add(timing.delay_ms),
            Settlement::Fail(reason),
        ),
        PhoneRule::NeverAnswers => (
            now_ms.saturating_add(timing.timeout_ms),
            Settlement::Fail(FailureReason::OperatorTimeout),
        ),
        PhoneRule::Succeed => (now_ms.saturating_add(timing.delay_ms), Settlement::Succeed),
    })
}

/// How soon the operator answers once the customer has confirmed (approved on Wave's
/// page, typed Orange's code).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pace {
    /// Wave answers on the spot.
    AtOnce,
    /// Orange debits after the usual delay.
    AfterDelay,
}

/// Applies the phone rules after the customer's confirmation.
pub fn confirmed(db: &Db, ctx: &Ctx, p: &PaymentRow, pace: Pace) -> Result<()> {
    let now = ctx.now();
    let now_ms = ctx.now_millis();
    let timing = ctx.timing();
    match (phone_rule(p.phone.as_deref().unwrap_or_default()), pace) {
        (PhoneRule::Fail(reason), _) => {
            fail(db, &p.id, reason, now)?;
        }
        (PhoneRule::NeverAnswers, _) => {
            let give_up = (
                now_ms.saturating_add(timing.timeout_ms),
                Settlement::Fail(FailureReason::OperatorTimeout),
            );
            db.advance_payment(&p.id, Stage::AwaitingOperator, Some(give_up), None, now)?;
        }
        (PhoneRule::Succeed, Pace::AtOnce) => succeed(db, &p.id, now)?,
        (PhoneRule::Succeed, Pace::AfterDelay) => {
            let paid = (now_ms.saturating_add(timing.delay_ms), Settlement::Succeed);
            db.advance_payment(&p.id, Stage::AwaitingOperator, Some(paid), None, now)?;
        }
    }
    Ok(())
}

/// The money moved: payment, session, coupon and the merchant's transaction in one go (the
/// caller's transaction). Once per payment, however often it is asked.
pub fn succeed(db: &Db, payment_id: &str, now: i64) -> Result<()> {
    let transaction_id = ids::transaction();
    if db.succeed_payment(payment_id, &transaction_id, now)? {
        transactions::record(db, payment_id, &transaction_id, now)?;
    }
    Ok(())
}

/// The payment failed for `reason`: its session stays open for another attempt, and the
/// merchant's transaction list shows the failure. Once per payment.
pub fn fail(db: &Db, payment_id: &str, reason: FailureReason, now: i64) -> Result<()> {
    if db.fail_payment(payment_id, reason, now)? {
        transactions::record(db, payment_id, &ids::transaction(), now)?;
    }
    Ok(())
}

/// Applies every timed outcome that is due. Run inside a transaction.
fn settle_due(db: &Db, now: i64, now_ms: i64) -> Result<()> {
    for p in db.due_payments(now_ms)? {
        match p.settle_to {
            Some(Settlement::Succeed) => succeed(db, &p.id, now)?,
            Some(Settlement::Fail(reason)) => fail(db, &p.id, reason, now)?,
            None => {}
        }
    }
    Ok(())
}

/// Brings every payment up to date with the clock, in its own transaction so a later
/// refusal cannot undo it.
pub fn settle(db: &Db, ctx: &Ctx) -> Result<()> {
    let (now, now_ms) = (ctx.now(), ctx.now_millis());
    // Most reads find nothing due: they need no write lock.
    if db.due_payments(now_ms)?.is_empty() {
        return Ok(());
    }
    db.immediate(|db| settle_due(db, now, now_ms))
}

/// Runs `work` in one immediate transaction on a database whose payments are settled up to
/// now, so whatever it reads is current and whatever it checks still holds when it writes.
pub fn settled<T>(ctx: &Ctx, work: impl FnOnce(&Db) -> Result<T>) -> Result<T> {
    let db = ctx.db();
    settle(&db, ctx)?;
    db.immediate(work)
}

/// A payment the customer acts on must still be waiting for them.
pub fn still_pending(p: &PaymentRow) -> Result<()> {
    match p.status {
        checkout_core::payment::PaymentStatus::Pending => Ok(()),
        checkout_core::payment::PaymentStatus::Succeeded => {
            Err(Error::conflict("This payment has already succeeded"))
        }
        checkout_core::payment::PaymentStatus::Failed => Err(Error::conflict(
            "This payment has already failed: start a new one from the checkout",
        )),
    }
}

/// Settles a pending payment now, as a merchant's CI asks: success, or failure with
/// `failure`'s reason.
pub fn settle_now(ctx: &Ctx, id: &str, failure: Option<FailureReason>) -> Result<PaymentRow> {
    settled(ctx, |db| {
        let p = db
            .payment(&ctx.merchant().id, id)?
            .ok_or_else(|| Error::not_found("Payment not found"))?;
        still_pending(&p)?;
        match failure {
            None => succeed(db, &p.id, ctx.now())?,
            Some(reason) => fail(db, &p.id, reason, ctx.now())?,
        }
        db.payment(&ctx.merchant().id, id)?
            .ok_or_else(|| Error::not_found("Payment not found"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_numbers_by_their_last_two_digits() {
        assert_eq!(
            phone_rule("+2250700000001"),
            PhoneRule::Fail(FailureReason::InsufficientFunds)
        );
        assert_eq!(
            phone_rule("+221770000002"),
            PhoneRule::Fail(FailureReason::RejectedByCustomer)
        );
        assert_eq!(phone_rule("+2250700000003"), PhoneRule::NeverAnswers);
        assert_eq!(phone_rule("+2250708091011"), PhoneRule::Succeed);
        assert_eq!(phone_rule("+2250700000010"), PhoneRule::Succeed);
    }

    #[test]
    fn mtn_prompts_answer_after_the_delay_or_the_timeout() {
        let timing = Timing {
            delay_ms: 2_000,
            timeout_ms: 180_000,
        };
        assert_eq!(
            prompt("+2250500000011", 1_000, timing),
            Some((3_000, Settlement::Succeed))
        );
        assert_eq!(
            prompt("+2250500000003", 1_000, timing),
            Some((181_000, Settlement::Fail(FailureReason::OperatorTimeout)))
        );
        let (stage, outcome) = initial(Provider::Wave, None, 0, timing);
        assert_eq!(stage, Stage::AwaitingCustomer);
        assert_eq!(
            outcome,
            Some((180_000, Settlement::Fail(FailureReason::OperatorTimeout)))
        );
        assert_eq!(
            initial(Provider::Nowpayments, None, 0, timing).1,
            Some((2_000, Settlement::Succeed))
        );
    }
}
