//! The payment endpoints of the public checkout API: the page's one "Pay" request for a
//! link or a session, then what the page does with the payment once started (read its live
//! status, send Orange's one-time code, ask MTN to prompt again, draw a QR code).

use crate::domain::payments::start::{start, Target};
use crate::domain::payments::{self, crypto, mtn, orange, to_wire, wave_url};
use crate::error::{json_response, Details, Error, Result};
use crate::http::input::{kind, read_order, Fields, Id, JsonObject};
use crate::http::state::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use checkout_core::customer::{BillingAddress, CustomerDetails};
use checkout_core::payment::{NextAction, OtpRequest, PayRequest, Payment, IDEMPOTENCY_HEADER};
use checkout_core::pricing::QuoteRequest;
use checkout_core::wire::Provider;
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

/// The `Idempotency-Key` header of the pay routes.
#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Header)]
#[allow(dead_code)]
pub struct IdempotencyKey {
    /// One key per payment attempt: printable ASCII, at most 255 characters. A repeat
    /// returns the same payment.
    #[serde(rename = "Idempotency-Key")]
    #[param(
        min_length = 1,
        max_length = 255,
        pattern = r"^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$"
    )]
    idempotency_key: String,
}

/// What utoipa cannot say about `PayRequest`: the mobile-money providers (Wave, Orange
/// Money, MTN MoMo) need the customer's phone, a number of the checkout's country (the demo
/// merchant's: Côte d'Ivoire). Which providers, quantity, amount, coupon and billing a
/// checkout takes depends on the checkout itself, and is checked by the server only.
pub fn pay_request_conditions() -> Value {
    serde_json::json!({"allOf": [
        {"if": {"required": ["provider"], "properties": {"provider": {"enum": ["WAVE", "ORANGE", "MTN"]}}},
         "then": {"properties": {"customer": {
             "required": ["phone", "phone_country"],
             "properties": {
                 "phone": {"type": "string", "pattern": "^\\+225(?:0[157]|2[157])[0-9]{8}$"},
                 "phone_country": {"const": "CI"},
             }}}}},
    ]})
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
            // Counted as sent, as the document's maxLength counts.
            for (key, value) in [("name", &details.name), ("email", &details.email)] {
                if value.chars().count() > checkout_core::customer::MAX_TEXT {
                    c.fail(
                        key,
                        format!(
                            "Must be at most {} characters",
                            checkout_core::customer::MAX_TEXT
                        ),
                    );
                }
            }
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

fn pay(
    state: &AppState,
    target: Target,
    id: &str,
    headers: &HeaderMap,
    f: Fields,
) -> Result<Response> {
    let key = idempotency_key(headers)?;
    let request = read_pay_request(f)?;
    let (payment, created) = start(state, target, id, key, &request)?;
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
        IdempotencyKey,
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
    pay(&state, Target::Link, &id, &headers, f)
}

#[utoipa::path(
    post,
    path = "/api/checkout/sessions/{id}/pay",
    tag = "Public checkout",
    params(
        ("id" = String, Path, description = "Checkout session id"),
        IdempotencyKey,
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
    pay(&state, Target::Session, &id, &headers, f)
}

#[utoipa::path(
    get,
    path = "/api/checkout/payments/{id}",
    tag = "Public checkout",
    params(("id" = String, Path, description = "Payment id")),
    responses(
        (status = 200, description = "The payment's live state; timed outcomes are applied when read", body = Payment),
        (status = 404, description = "Unknown payment", body = checkout_core::wire::ErrorBody),
    )
)]
pub async fn get_payment(State(state): State<AppState>, Id(id): Id) -> Result<Response> {
    let p = payments::find(&state, &id)?;
    Ok(json_response(StatusCode::OK, &to_wire(&state, &p)))
}

#[utoipa::path(
    post,
    path = "/api/checkout/payments/{id}/otp",
    tag = "Public checkout",
    params(("id" = String, Path, description = "Payment id")),
    request_body = OtpRequest,
    responses(
        (status = 200, description = "Code accepted: the payment goes on (or fails) by the phone number's rules", body = Payment),
        (status = 400, description = "Wrong code (the payment stays pending: dial again and retype), or not an Orange Money payment", body = checkout_core::wire::ErrorBody),
        (status = 404, description = "Unknown payment", body = checkout_core::wire::ErrorBody),
        (status = 409, description = "The payment is no longer waiting for a code", body = checkout_core::wire::ErrorBody),
    )
)]
pub async fn submit_otp(
    State(state): State<AppState>,
    Id(id): Id,
    JsonObject(mut f): JsonObject,
) -> Result<Response> {
    f.require("code");
    let code = f.string("code").unwrap_or_default();
    f.finish()?;
    let p = orange::submit_code(&state, &id, &code)?;
    Ok(json_response(StatusCode::OK, &to_wire(&state, &p)))
}

#[utoipa::path(
    post,
    path = "/api/checkout/payments/{id}/resend",
    tag = "Public checkout",
    params(("id" = String, Path, description = "Payment id")),
    responses(
        (status = 200, description = "Prompt pushed again; the operator's answer is timed from now", body = Payment),
        (status = 400, description = "Not an MTN MoMo payment", body = checkout_core::wire::ErrorBody),
        (status = 404, description = "Unknown payment", body = checkout_core::wire::ErrorBody),
        (status = 409, description = "The payment is no longer pending", body = checkout_core::wire::ErrorBody),
    )
)]
pub async fn resend_prompt(State(state): State<AppState>, Id(id): Id) -> Result<Response> {
    let p = mtn::resend_prompt(&state, &id)?;
    Ok(json_response(StatusCode::OK, &to_wire(&state, &p)))
}

#[utoipa::path(
    get,
    path = "/api/checkout/payments/{id}/qr.svg",
    tag = "Public checkout",
    params(("id" = String, Path, description = "Payment id")),
    responses(
        (status = 200, description = "QR code of Wave's link or of the crypto payment URI", content_type = "image/svg+xml", body = String),
        (status = 404, description = "Unknown payment, or one without a QR code", body = checkout_core::wire::ErrorBody),
    )
)]
pub async fn qr_code(State(state): State<AppState>, Id(id): Id) -> Result<Response> {
    let p = payments::find(&state, &id)?;
    let text = match p.provider {
        Some(Provider::Wave) => wave_url(&state, &p.id),
        Some(Provider::Nowpayments) => match crypto::send_crypto(&p.id, p.amount, p.currency) {
            NextAction::SendCrypto { uri, .. } => uri,
            _ => return Err(Error::not_found("This payment has no QR code")),
        },
        _ => return Err(Error::not_found("This payment has no QR code")),
    };
    crate::http::qr::response(&text)
}
