//! Starting a payment: the page's one "Pay" request, for a link or a session. The server
//! prices the order again (the page's total is never trusted), checks the customer and the
//! provider, and starts exactly one payment per attempt: the page's `Idempotency-Key`
//! finds the payment a repeated request already started, and SQLite's unique indexes refuse
//! a second one even when requests race.

use super::outcome;
use super::to_wire;
use crate::db::{Db, PaymentRow, SessionOrder, SessionRow, SessionStatus, Stage};
use crate::error::{json_response, Details, Error, Result};
use crate::ids;
use crate::input::{kind, Fields, Id, JsonObject};
use crate::merchant::checkout_sessions::{phone_message, DEFAULT_LIFETIME};
use crate::public::{
    price_with, read_order, requested_coupon, resolve_link, resolve_session, status_conflict,
    Resolved,
};
use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use checkout_core::calendar::to_rfc3339;
use checkout_core::coupon::{CouponRefusal, Order as CouponOrder};
use checkout_core::customer::{
    check_billing, check_contact, postal_rule, BillingAddress, CustomerDetails, Field,
    FieldProblem, Postal,
};
use checkout_core::payment::{
    fill_session_placeholder, PayRequest, Payment, PaymentStatus, IDEMPOTENCY_HEADER,
};
use checkout_core::phone;
use checkout_core::pricing::{Quote, QuoteRequest};
use checkout_core::providers::{check_amount, needs_phone, Unavailable};
use checkout_core::wire::{conflict, CheckoutKind, CheckoutStatus, Provider};
use checkout_core::Money;
use serde_json::Value;

/// Keys longer than this are refused rather than stored: the page sends a UUID.
pub const MAX_KEY_LENGTH: usize = 255;

fn key_problem(message: &str) -> Error {
    Error::invalid(message).with_details(Details::from([(
        IDEMPOTENCY_HEADER.to_string(),
        vec![message.to_string()],
    )]))
}

/// The attempt's key, from the `Idempotency-Key` header.
fn idempotency_key(headers: &HeaderMap) -> Result<String> {
    let Some(value) = headers.get(IDEMPOTENCY_HEADER) else {
        return Err(key_problem(
            "Missing Idempotency-Key header: send one unique key per payment attempt",
        ));
    };
    let key = value
        .to_str()
        .map_err(|_| key_problem("The Idempotency-Key must be printable ASCII"))?
        .trim();
    if key.is_empty() {
        return Err(key_problem("The Idempotency-Key must not be empty"));
    }
    if key.len() > MAX_KEY_LENGTH {
        return Err(key_problem(&format!(
            "The Idempotency-Key must be at most {MAX_KEY_LENGTH} characters"
        )));
    }
    Ok(key.to_string())
}

/// A nested JSON object (`customer`, `billing`), read like the body itself.
fn nested(f: &mut Fields, key: &str) -> Option<Fields> {
    match f.raw(key)?.clone() {
        Value::Object(map) => Some(Fields::new(map)),
        other => {
            f.fail(key, format!("Expected object, received {}", kind(&other)));
            None
        }
    }
}

fn read_pay_request(mut f: Fields) -> Result<PayRequest> {
    let QuoteRequest {
        quantity,
        unit_amount,
        coupon_code,
    } = read_order(&mut f);
    f.require("customer");
    let customer = match nested(&mut f, "customer") {
        Some(mut c) => {
            let details = CustomerDetails {
                name: c.string("name").unwrap_or_default(),
                email: c.string("email").unwrap_or_default(),
                phone: c.string("phone").unwrap_or_default(),
                phone_country: c.string("phone_country").unwrap_or_default(),
            };
            f.absorb("customer", c);
            details
        }
        None => CustomerDetails::default(),
    };
    let billing = nested(&mut f, "billing").map(|mut b| {
        let address = BillingAddress {
            country: b.string("country").unwrap_or_default(),
            city: b.string("city").unwrap_or_default(),
            line1: b.string("line1").unwrap_or_default(),
            postal_code: b.string("postal_code"),
        };
        f.absorb("billing", b);
        address
    });
    let providers = Provider::ALL.map(|p| (p.code(), p));
    let provider = f.choice("provider", &providers);
    f.finish()?;
    Ok(PayRequest {
        quantity,
        unit_amount,
        coupon_code,
        customer,
        billing,
        provider,
    })
}

fn field_name(field: Field) -> &'static str {
    match field {
        Field::Name => "customer.name",
        Field::Email => "customer.email",
        Field::Phone => "customer.phone",
        Field::Country => "billing.country",
        Field::Line1 => "billing.line1",
        Field::City => "billing.city",
        Field::PostalCode => "billing.postal_code",
    }
}

fn problem_message(problem: &FieldProblem) -> String {
    match problem {
        FieldProblem::Required => "Required".to_string(),
        FieldProblem::TooLong { max } => format!("Must be at most {max} characters"),
        FieldProblem::InvalidEmail => "Invalid email".to_string(),
        FieldProblem::Phone { error } => phone_message(error),
        FieldProblem::UnknownCountry => "Not a billing country checkout serves".to_string(),
        FieldProblem::PostalCode { digits: Some(n) } => format!("Must be {n} digits"),
        FieldProblem::PostalCode { digits: None } => {
            "Letters, digits, spaces and dashes, at most 10".to_string()
        }
    }
}

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
fn check_order(
    db: &Db,
    state: &AppState,
    r: &Resolved,
    request: &PayRequest,
    now: i64,
) -> Result<Order> {
    let merchant_id = &state.merchant().id;
    let quote_request = QuoteRequest {
        quantity: request.quantity,
        unit_amount: request.unit_amount,
        coupon_code: request.coupon_code.clone(),
    };
    let mut coupon = requested_coupon(db, state, &quote_request)?;
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
        customer.phone_country = state
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
enum Target {
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
    state: &AppState,
    attempt: &Attempt,
    session: &SessionRow,
    started: (CheckoutKind, &str),
    order: &Order,
) -> Result<PaymentRow> {
    let now = state.now();
    // Nothing to charge today (a free order, a trial, a deferred first payment): no provider
    // flow to simulate, the payment succeeds at once. With a provider it stands for the
    // customer's agreement to the later charges.
    let at_once = order.quote.due_today == 0;
    let (stage, settle) = match order.provider {
        Some(p) if !at_once => outcome::initial(
            p,
            order.phone.as_deref(),
            state.now_millis(),
            state.timing(),
        ),
        _ => (Stage::AwaitingOperator, None),
    };
    let row = PaymentRow {
        id: ids::prefixed("pay_"),
        merchant_id: state.merchant().id.clone(),
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
            .or(state.merchant_success_url())
            .map(|u| fill_session_placeholder(u, &session.id)),
        cancel_url: session
            .cancel_url
            .clone()
            .or_else(|| state.merchant_cancel_url().map(str::to_string)),
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
    state: &AppState,
    id: &str,
    attempt: &Attempt,
    request: &PayRequest,
) -> Result<PaymentRow> {
    let now = state.now();
    let r = resolve_session(db, state, id, now)?;
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
    let order = check_order(db, state, &r, request, now)?;
    // The session says what this payment is for: if the insert below is refused, the
    // transaction takes this back with it.
    db.record_order(id, &order.for_session())?;
    let session = db
        .session(&state.merchant().id, id)?
        .ok_or_else(|| Error::not_found("Checkout session not found"))?;
    create_payment(
        db,
        state,
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
    state: &AppState,
    id: &str,
    attempt: &Attempt,
    request: &PayRequest,
) -> Result<PaymentRow> {
    let now = state.now();
    let r = resolve_link(db, state, id, now)?;
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
    let order = check_order(db, state, &r, request, now)?;
    let session = SessionRow {
        id: ids::session(),
        merchant_id: state.merchant().id.clone(),
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
        expires_at: now + DEFAULT_LIFETIME,
        created_at: now,
        billing: order.billing.clone(),
    };
    db.insert_session(&session)?;
    create_payment(db, state, attempt, &session, (r.kind, &r.id), &order)
}

fn start(
    state: &AppState,
    target: Target,
    id: &str,
    headers: &HeaderMap,
    f: Fields,
) -> Result<Response> {
    let key = idempotency_key(headers)?;
    let request = read_pay_request(f)?;
    let attempt = Attempt {
        scope: match target {
            Target::Link => format!("link:{id}"),
            Target::Session => format!("session:{id}"),
        },
        key,
        // The request as read, not as sent: key order and spacing do not make a new attempt.
        fingerprint: serde_json::to_string(&request).map_err(Error::internal)?,
    };
    // Check and insert in one immediate transaction: of two identical requests racing, the
    // second waits for the first to commit, then finds its payment.
    let (payment, created) = outcome::settled(state, |db| {
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
            Target::Link => on_link(db, state, id, &attempt, &request)?,
            Target::Session => on_session(db, state, id, &attempt, &request)?,
        };
        Ok((payment, true))
    })?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok(json_response(status, &to_wire(state, &payment)))
}

#[utoipa::path(
    post,
    path = "/api/checkout/links/{id}/pay",
    tag = "Public checkout",
    params(
        ("id" = String, Path, description = "Payment link id"),
        ("Idempotency-Key" = String, Header, description = "One key per payment attempt (at most 255 characters): a repeat returns the same payment"),
    ),
    request_body = PayRequest,
    responses(
        (status = 201, description = "Payment started on a fresh session made from the link", body = Payment),
        (status = 200, description = "A replay: the payment this key already started", body = Payment),
        (status = 400, description = "Missing key, an order the server will not price (`reason`), or fields to correct (`details`)", body = checkout_core::wire::ErrorBody),
        (status = 404, description = "Unknown or deleted link", body = checkout_core::wire::ErrorBody),
        (status = 409, description = "Inactive or expired link, or the key reused for a different request (`details.conflict`: `inactive`, `expired`, `idempotency_key_reused` with `payment_id` and `session_id`)", body = checkout_core::wire::ErrorBody),
    )
)]
pub async fn pay_link(
    State(state): State<AppState>,
    Id(id): Id,
    headers: HeaderMap,
    JsonObject(f): JsonObject,
) -> Result<Response> {
    start(&state, Target::Link, &id, &headers, f)
}

#[utoipa::path(
    post,
    path = "/api/checkout/sessions/{id}/pay",
    tag = "Public checkout",
    params(
        ("id" = String, Path, description = "Checkout session id"),
        ("Idempotency-Key" = String, Header, description = "One key per payment attempt (at most 255 characters): a repeat returns the same payment"),
    ),
    request_body = PayRequest,
    responses(
        (status = 201, description = "Payment started", body = Payment),
        (status = 200, description = "A replay: the payment this key already started", body = Payment),
        (status = 400, description = "Missing key, an order the server will not price (`reason`), or fields to correct (`details`)", body = checkout_core::wire::ErrorBody),
        (status = 404, description = "Unknown session", body = checkout_core::wire::ErrorBody),
        (status = 409, description = "Completed or expired session, a payment already pending on it, or the key reused for a different request (`details.conflict`: `completed`, `expired`, `payment_pending` or `idempotency_key_reused`, the last two with `payment_id` and `session_id`)", body = checkout_core::wire::ErrorBody),
    )
)]
pub async fn pay_session(
    State(state): State<AppState>,
    Id(id): Id,
    headers: HeaderMap,
    JsonObject(f): JsonObject,
) -> Result<Response> {
    start(&state, Target::Session, &id, &headers, f)
}
