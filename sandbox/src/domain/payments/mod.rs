//! Payments: a customer's attempt at paying a checkout, simulated per provider as the
//! customer would live it (Wave's page, Orange's one-time code, MTN's prompt, a hosted card
//! page, a crypto transfer), all in test mode. Outcomes that take time are settled lazily,
//! when something reads them, against the sandbox's clock.

pub mod card;
pub mod crypto;
pub mod mtn;
pub mod orange;
pub mod outcome;
pub mod start;
pub mod wave;

use crate::domain::Ctx;
use crate::error::{Error, Result};
use crate::storage::{PaymentRow, Stage};
use checkout_core::payment::{orange_ussd, CheckoutRef, NextAction, Payment, PaymentStatus};
use checkout_core::phone::PLANS;
use checkout_core::wire::Provider;

/// Seconds after which each operator usually answers; past it the page says "still
/// waiting" rather than anything final.
pub fn usual_wait_seconds(provider: Option<Provider>) -> u32 {
    match provider {
        None => 0,
        Some(Provider::Wave | Provider::Orange | Provider::Mtn) => 60,
        Some(Provider::Stripe) => 30,
        Some(Provider::Nowpayments) => 600,
    }
}

/// The page's live status of a payment, where providers send the customer back.
pub fn status_url(ctx: &Ctx, p: &PaymentRow) -> String {
    format!(
        "{}/checkout/{}?payment={}",
        ctx.public_url(),
        p.session_id,
        p.id
    )
}

pub fn wave_url(ctx: &Ctx, payment_id: &str) -> String {
    format!("{}/sandbox/wave/{payment_id}", ctx.public_url())
}

pub fn card_url(ctx: &Ctx, payment_id: &str) -> String {
    format!("{}/sandbox/card/{payment_id}", ctx.public_url())
}

/// The country of an E.164 number by its dial code; Côte d'Ivoire when none matches.
pub fn phone_country(e164: &str) -> &'static str {
    let digits = e164.strip_prefix('+').unwrap_or(e164);
    PLANS
        .iter()
        .find(|p| digits.starts_with(p.dial_code))
        .map_or("CI", |p| p.country)
}

/// What the customer must do now, derived from the payment's provider and stage.
pub fn next_action(ctx: &Ctx, p: &PaymentRow) -> NextAction {
    if p.status != PaymentStatus::Pending || p.stage == Stage::AwaitingOperator {
        return NextAction::None;
    }
    let phone = p.phone.clone().unwrap_or_default();
    match p.provider {
        None => NextAction::None,
        Some(Provider::Wave) => NextAction::Redirect {
            url: wave_url(ctx, &p.id),
            qr: true,
        },
        Some(Provider::Orange) => NextAction::EnterOtp {
            ussd_code: orange_ussd(
                phone_country(&phone),
                // Orange's codes carry whole francs: the currencies it takes have no decimals.
                p.amount,
            ),
        },
        Some(Provider::Mtn) => NextAction::ApproveOnPhone { phone },
        Some(Provider::Stripe) => NextAction::Redirect {
            url: card_url(ctx, &p.id),
            qr: false,
        },
        Some(Provider::Nowpayments) => crypto::send_crypto(&p.id, p.amount, p.currency),
    }
}

/// The payment as the page reads it.
pub fn to_wire(ctx: &Ctx, p: &PaymentRow) -> Payment {
    let succeeded = p.status == PaymentStatus::Succeeded;
    Payment {
        id: p.id.clone(),
        session_id: p.session_id.clone(),
        started_from: CheckoutRef {
            kind: p.started_kind,
            id: p.started_id.clone(),
        },
        status: p.status,
        provider: p.provider,
        amount: p.amount,
        currency: p.currency,
        next_action: next_action(ctx, p),
        failure: p.failure,
        // Only a paid order learns where success leads: an unpaid customer has no business
        // on the merchant's thank-you page.
        success_url: if succeeded {
            p.success_url.clone()
        } else {
            None
        },
        cancel_url: p.cancel_url.clone(),
        transaction_id: p.transaction_id.clone(),
        created_at: p.created_at,
        usual_wait_seconds: ctx
            .usual_wait_secs()
            .filter(|_| p.provider.is_some())
            .unwrap_or_else(|| usual_wait_seconds(p.provider)),
        waited_seconds: (ctx.now() - p.created_at).max(0),
    }
}

/// `p` when it is a payment through `provider`; otherwise "no such payment", in the words of
/// that provider's page (`what`: "Wave", "card").
fn through(p: Option<PaymentRow>, provider: Provider, what: &str) -> Result<PaymentRow> {
    p.filter(|p| p.provider == Some(provider))
        .ok_or_else(|| Error::not_found(format!("No {what} payment with this id")))
}

/// A payment by id, settled up to now.
pub fn find(ctx: &Ctx, id: &str) -> Result<PaymentRow> {
    outcome::settled(ctx, |db| {
        db.payment(&ctx.merchant().id, id)?
            .ok_or_else(|| Error::not_found("Payment not found"))
    })
}
