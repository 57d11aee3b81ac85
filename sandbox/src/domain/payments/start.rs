//! Starting a payment: the page's one "Pay" request, for a link or a session. The server
//! prices the order again (the page's total is never trusted), checks the customer and the
//! provider, and starts exactly one payment per attempt: the page's `Idempotency-Key`
//! finds the payment a repeated request already started, and SQLite's unique indexes refuse
//! a second one even when requests race.

use super::outcome;
use crate::domain::checkout::{
    price_with, requested_coupon, resolve_link, resolve_session, status_conflict, Resolved,
    SESSION_LIFETIME,
};
use crate::domain::customer::{field_name, problem_message};
use crate::domain::Ctx;
use crate::error::{Details, Error, Result};
use crate::ids;
use crate::storage::{Db, PaymentRow, SessionOrder, SessionRow, SessionStatus, Stage};
use checkout_core::calendar::to_rfc3339;
use checkout_core::coupon::{CouponRefusal, Order as CouponOrder};
use checkout_core::customer::{
    check_billing, check_contact, postal_rule, BillingAddress, CustomerDetails, Postal,
};
use checkout_core::payment::{
    fill_session_placeholder, PayRequest, PaymentStatus, IDEMPOTENCY_HEADER,
};
use checkout_core::phone;
use checkout_core::pricing::{Quote, QuoteRequest};
use checkout_core::providers::{check_amount, needs_phone, Unavailable};
use checkout_core::wire::{conflict, CheckoutKind, CheckoutStatus, Provider};
use checkout_core::Money;

fn coupon_message(refusal: &CouponRefusal) -> String {
    match refusal {
        CouponRefusal::NotAllowed => "This checkout does not take coupon codes".to_string(),
        CouponRefusal::Unknown => "Unknown coupon code".to_string(),
        CouponRefusal::Inactive => "This coupon is not active".to_string(),
        CouponRefusal::NotStarted { starts_at } => {
            format!("This coupon is valid from {}", to_rfc3339(*starts_at))
        }
        CouponRefusal::Expired => "This coupon has expired".to_string(),
        CouponRefusal::UsedUp => "This coupon has been used up".to_string(),
        CouponRefusal::NotForProduct => "This coupon does not apply to this product".to_string(),
        CouponRefusal::QuantityAboveCap { max_quantity } => {
            format!("This coupon applies to at most {max_quantity} items")
        }
        CouponRefusal::CurrencyMismatch => "This coupon is for another currency".to_string(),
        CouponRefusal::NewCustomersOnly => "This coupon is for new customers only".to_string(),
        CouponRefusal::ReturningCustomersOnly => {
            "This coupon is for returning customers only".to_string()
        }
    }
}

fn provider_message(provider: Provider, problem: Unavailable, quote: &Quote) -> String {
    let money = |minor: i64| {
        format!(
            "{} {}",
            Money::new(minor, quote.currency).major_string(),
            quote.currency
        )
    };
    match problem {
        Unavailable::Currency => format!("{} does not take {}", provider.code(), quote.currency),
        Unavailable::BelowMinimum(min) => {
            format!("{} takes at least {}", provider.code(), money(min))
        }
        Unavailable::AboveMaximum(max) => {
            format!("{} takes at most {}", provider.code(), money(max))
        }
    }
}

/// An order the server priced and the customer may pay.
struct Order {
    quote: Quote,
    /// `None` for a free order.
    provider: Option<Provider>,
    /// E.164, when the customer gave a number.
    phone: Option<String>,
    customer: CustomerDetails,
    /// The applied coupon's code, to count when the payment succeeds.
    coupon_code: Option<String>,
    /// The checked address, when the checkout asks for one.
    billing: Option<BillingAddress>,
}

impl Order {
    /// What the session records of this order.
    fn for_session(&self) -> SessionOrder {
        SessionOrder {
            unit_amount: self.quote.unit_amount,
            quantity: self.quote.quantity,
            coupon_code: self.coupon_code.clone(),
            customer_name: text(&self.customer.name),
            customer_email: text(&self.customer.email),
            customer_phone: self.phone.clone(),
            billing: self.billing.clone(),
        }
    }
}

/// Trimmed, or `None` when blank.
fn text(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

/// A checked address as it is recorded: trimmed, the country upper-cased, and a postal code
/// only where the country uses one (elsewhere it was never checked).
fn recorded_billing(address: &BillingAddress) -> BillingAddress {
    let country = address.country.trim().to_ascii_uppercase();
    let postal_code = match postal_rule(&country) {
        Some(Postal::Digits(_) | Postal::Alphanumeric) => {
            address.postal_code.as_deref().and_then(text)
        }
        Some(Postal::None) | None => None,
    };
    BillingAddress {
        country,
        city: address.city.trim().to_string(),
        line1: address.line1.trim().to_string(),
        postal_code,
    }
}

/// Prices the order as the quote endpoint does, then checks everything the customer typed
/// and chose; every problem comes back at once, keyed by its field.
fn check_order(db: &Db, ctx: &Ctx, r: &Resolved, request: &PayRequest, now: i64) -> Result<Order> {
    let merchant_id = &ctx.merchant().id;
    let quote_request = QuoteRequest {
        quantity: request.quantity,
        unit_amount: request.unit_amount,
        coupon_code: request.coupon_code.clone(),
    };
    let mut coupon = requested_coupon(db, ctx, &quote_request)?;
    if let Some(c) = coupon.as_mut() {
        // A pending payment holds one of the coupon's uses until it settles (a failure frees
        // it): counting those keeps `max_uses` true however many payments are under way.
        let held = db.pending_coupon_uses(merchant_id, &c.code)?;
        c.current_uses = c.current_uses.saturating_add(held);
    }
    let quote = price_with(r, &quote_request, coupon.as_ref(), now)?;
    let mut details = Details::new();
    let mut fail = |field: &str, message: String| {
        details.entry(field.to_string()).or_default().push(message);
    };
    // The customer saw the discount; charging without it would be a silent price change.
    if let Some(refusal) = &quote.coupon_error {
        fail("coupon_code", coupon_message(refusal));
    } else if let (Some(c), Some(_)) = (&coupon, &quote.coupon) {
        // New or returning is only known now, from the email the customer paid with: a
        // returning customer has a succeeded payment with this merchant. A blank email is
        // refused below, so it decides nothing here.
        let email = request.customer.email.trim();
        let returning = if email.is_empty() {
            None
        } else {
            Some(db.has_paid(merchant_id, email)?)
        };
        let order = CouponOrder {
            product_id: r.basis.product_id.as_deref(),
            currency: quote.currency,
            quantity: quote.quantity,
            now,
            returning_customer: returning,
        };
        if let Err(refusal) = c.check(&order) {
            fail("coupon_code", coupon_message(&refusal));
        }
    }
    // Only an order worth nothing is free. A trial or a deferred first payment charges 0
    // today, but the provider chosen now takes the later charges.
    let free = quote.total == 0;
    let due = quote.due_today;
    let provider = if free {
        // A free order completes without a provider, whatever the page had selected.
        None
    } else {
        match request.provider {
            None => {
                fail("provider", "Required".to_string());
                None
            }
            Some(p) if !r.allowed_providers.contains(&p) => {
                fail(
                    "provider",
                    format!("{} is not offered for this checkout", p.code()),
                );
                None
            }
            Some(p) => {
                // With nothing due today, the provider must be able to take the first charge.
                let charge = if due > 0 {
                    due
                } else {
                    quote
                        .recurring
                        .as_ref()
                        .map_or(quote.total, |later| later.next_charge_amount)
                };
                match check_amount(p, quote.currency, charge) {
                    Ok(()) => Some(p),
                    Err(problem) => {
                        fail("provider", provider_message(p, problem, &quote));
                        None
                    }
                }
            }
        }
    };
    let phone_required = !free && request.provider.is_some_and(needs_phone);
    let mut customer = request.customer.clone();
    if customer.phone_country.trim().is_empty() {
        // A local number is read as the merchant's country's, as the merchant API does.
        customer.phone_country = ctx
            .merchant()
            .country
            .clone()
            .unwrap_or_else(|| quote.currency.default_country().to_string());
    }
    for (field, problem) in check_contact(&customer, phone_required) {
        fail(field_name(field), problem_message(&problem));
    }
    let mut billing = None;
    if r.require_billing_address {
        match &request.billing {
            None => fail("billing", "Required".to_string()),
            Some(address) => {
                for (field, problem) in check_billing(address) {
                    fail(field_name(field), problem_message(&problem));
                }
                billing = Some(recorded_billing(address));
            }
        }
    }
    if !details.is_empty() {
        return Err(Error::validation(details));
    }
    let phone = if customer.phone.trim().is_empty() {
        None
    } else {
        phone::normalize(&customer.phone, &customer.phone_country).ok()
    };
    Ok(Order {
        coupon_code: quote.coupon.as_ref().map(|c| c.code.clone()),
        quote,
        provider,
        phone,
        customer,
        billing,
    })
}

/// Where the payment was asked for: the attempt's scope for its idempotency key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Link,
    Session,
}

/// What identifies one attempt.
struct Attempt {
    scope: String,
    key: String,
    fingerprint: String,
}

/// A conflict with a payment that already exists, naming it so the page shows that
/// payment's status instead of starting another.
fn payment_conflict(message: &str, why: &str, existing: &PaymentRow) -> Error {
    Error::checkout_conflict(message, why)
        .with_detail("payment_id", existing.id.clone())
        .with_detail("session_id", existing.session_id.clone())
}

/// A refused insert means another request got there between our check and our write,
/// which `BEGIN IMMEDIATE` rules out on this database; answered as the conflict it is
/// rather than as a server error, in case another process shares the file. SQLite undoes
/// only the refused statement, so the transaction can still read which payment won.
fn insert_refused(db: &Db, attempt: &Attempt, session_id: &str, error: rusqlite::Error) -> Error {
    let refused = matches!(&error, rusqlite::Error::SqliteFailure(e, _)
        if e.code == rusqlite::ErrorCode::ConstraintViolation);
    if !refused {
        return Error::from(error);
    }
    let message = "Another payment attempt for this checkout got there first: reload the checkout";
    let pending = match db.pending_payment_of(session_id) {
        Ok(p) => p,
        Err(e) => return Error::from(e),
    };
    if let Some(p) = pending {
        return payment_conflict(message, conflict::PAYMENT_PENDING, &p);
    }
    match db.payment_by_key(&attempt.scope, &attempt.key) {
        Ok(Some(p)) => payment_conflict(message, conflict::KEY_REUSED, &p),
        Ok(None) => Error::checkout_conflict(message, conflict::PAYMENT_PENDING),
        Err(e) => Error::from(e),
    }
}

fn create_payment(
    db: &Db,
    ctx: &Ctx,
    attempt: &Attempt,
    session: &SessionRow,
    started: (CheckoutKind, &str),
    order: &Order,
) -> Result<PaymentRow> {
    let now = ctx.now();
    // Nothing to charge today (a free order, a trial, a deferred first payment): no provider
    // flow to simulate, the payment succeeds at once. With a provider it stands for the
    // customer's agreement to the later charges.
    let at_once = order.quote.due_today == 0;
    let (stage, settle) = match order.provider {
        Some(p) if !at_once => {
            outcome::initial(p, order.phone.as_deref(), ctx.now_millis(), ctx.timing())
        }
        _ => (Stage::AwaitingOperator, None),
    };
    let row = PaymentRow {
        id: ids::prefixed("pay_"),
        merchant_id: ctx.merchant().id.clone(),
        session_id: session.id.clone(),
        started_kind: started.0,
        started_id: started.1.to_string(),
        idempotency_scope: attempt.scope.clone(),
        idempotency_key: attempt.key.clone(),
        fingerprint: attempt.fingerprint.clone(),
        status: PaymentStatus::Pending,
        provider: order.provider,
        amount: order.quote.due_today,
        currency: order.quote.currency,
        subtotal: Some(order.quote.subtotal),
        discount: Some(order.quote.discount),
        phone: order.phone.clone(),
        coupon_code: order.coupon_code.clone(),
        stage,
        card_last4: None,
        failure: None,
        transaction_id: None,
        // The session's own URL, else the merchant's default, else lomi.'s confirmation.
        success_url: session
            .success_url
            .as_deref()
            .or(ctx.merchant_success_url())
            .map(|u| fill_session_placeholder(u, &session.id)),
        cancel_url: session
            .cancel_url
            .clone()
            .or_else(|| ctx.merchant_cancel_url().map(str::to_string)),
        settle_at_ms: settle.map(|(at, _)| at),
        settle_to: settle.map(|(_, to)| to),
        created_at: now,
        updated_at: now,
    };
    db.insert_payment(&row)
        .map_err(|e| insert_refused(db, attempt, &session.id, e))?;
    if at_once {
        outcome::succeed(db, &row.id, now)?;
    }
    db.payment(&row.merchant_id, &row.id)?
        .ok_or_else(|| Error::internal("a payment vanished right after its insert"))
}

fn on_session(
    db: &Db,
    ctx: &Ctx,
    id: &str,
    attempt: &Attempt,
    request: &PayRequest,
) -> Result<PaymentRow> {
    let now = ctx.now();
    let r = resolve_session(db, ctx, id, now)?;
    if let Some(why) = status_conflict(r.status) {
        let message = match r.status {
            CheckoutStatus::Completed => {
                "This checkout session is already completed: it cannot be paid again"
            }
            _ => "This checkout session has expired: it can no longer be paid",
        };
        return Err(Error::checkout_conflict(message, why));
    }
    if let Some(pending) = db.pending_payment_of(id)? {
        return Err(payment_conflict(
            "A payment is already pending for this checkout session",
            conflict::PAYMENT_PENDING,
            &pending,
        ));
    }
    let order = check_order(db, ctx, &r, request, now)?;
    // The session says what this payment is for: if the insert below is refused, the
    // transaction takes this back with it.
    db.record_order(id, &order.for_session())?;
    let session = db
        .session(&ctx.merchant().id, id)?
        .ok_or_else(|| Error::not_found("Checkout session not found"))?;
    create_payment(
        db,
        ctx,
        attempt,
        &session,
        (CheckoutKind::Session, id),
        &order,
    )
}

/// A link is paid through a fresh session holding the link's terms and the customer's
/// choices, as lomi. does: the merchant sees one session per attempt.
fn on_link(
    db: &Db,
    ctx: &Ctx,
    id: &str,
    attempt: &Attempt,
    request: &PayRequest,
) -> Result<PaymentRow> {
    let now = ctx.now();
    let r = resolve_link(db, ctx, id, now)?;
    match r.status {
        CheckoutStatus::Open => {}
        CheckoutStatus::Inactive => {
            return Err(Error::checkout_conflict(
                "This payment link is inactive: it cannot be paid",
                conflict::INACTIVE,
            ))
        }
        CheckoutStatus::Expired | CheckoutStatus::Completed => {
            return Err(Error::checkout_conflict(
                "This payment link has expired: it can no longer be paid",
                conflict::EXPIRED,
            ))
        }
    }
    let order = check_order(db, ctx, &r, request, now)?;
    let session = SessionRow {
        id: ids::session(),
        merchant_id: ctx.merchant().id.clone(),
        status: SessionStatus::Open,
        unit_amount: order.quote.unit_amount,
        quantity: order.quote.quantity,
        currency: r.basis.currency,
        title: r.title.clone(),
        description: r.description.clone(),
        customer_id: None,
        customer_email: text(&order.customer.email),
        customer_name: text(&order.customer.name),
        customer_phone: order.phone.clone(),
        product_id: r.basis.product_id.clone(),
        price_id: r.price_id.clone(),
        subscription_id: None,
        payment_link_id: Some(r.id.clone()),
        allow_quantity: r.basis.allow_quantity,
        allow_coupon_code: r.basis.allow_coupon_code,
        require_billing_address: r.require_billing_address,
        success_url: r.success_url.clone(),
        cancel_url: r.cancel_url.clone(),
        metadata: r.metadata.clone(),
        coupon_code: order.coupon_code.clone(),
        transaction_id: None,
        demo_key: None,
        expires_at: now + SESSION_LIFETIME,
        created_at: now,
        billing: order.billing.clone(),
        line_items: Vec::new(),
    };
    db.insert_session(&session)?;
    create_payment(db, ctx, attempt, &session, (r.kind, &r.id), &order)
}

/// Starts the payment of `request` on the link or session `id` under the attempt's `key`,
/// or finds the payment that key already started. `true` when this call created it.
pub fn start(
    ctx: &Ctx,
    target: Target,
    id: &str,
    key: String,
    request: &PayRequest,
) -> Result<(PaymentRow, bool)> {
    let attempt = Attempt {
        scope: match target {
            Target::Link => format!("link:{id}"),
            Target::Session => format!("session:{id}"),
        },
        key,
        // The request as read, not as sent: key order and spacing do not make a new attempt.
        fingerprint: serde_json::to_string(request).map_err(Error::internal)?,
    };
    // Check and insert in one immediate transaction: of two identical requests racing, the
    // second waits for the first to commit, then finds its payment.
    outcome::settled(ctx, |db| {
        if let Some(existing) = db.payment_by_key(&attempt.scope, &attempt.key)? {
            if existing.fingerprint != attempt.fingerprint {
                // The customer may have changed the order after a dropped connection: the
                // page shows what this key already started rather than charging again.
                return Err(payment_conflict(
                    "Idempotency-Key reused with a different request",
                    conflict::KEY_REUSED,
                    &existing,
                )
                .with_detail(IDEMPOTENCY_HEADER, "Use a new key for a changed order"));
            }
            return Ok((existing, false));
        }
        let payment = match target {
            Target::Link => on_link(db, ctx, id, &attempt, request)?,
            Target::Session => on_session(db, ctx, id, &attempt, request)?,
        };
        Ok((payment, true))
    })
}
