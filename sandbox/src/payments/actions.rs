//! What the page does with a payment once started: read its live status, send Orange's
//! one-time code, ask MTN to prompt again, draw a QR code.

use super::outcome::{self, Pace};
use super::{crypto, next_action, to_wire, wave_url};
use crate::db::Stage;
use crate::error::{json_response, Error, Result};
use crate::input::{Id, JsonObject};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use checkout_core::payment::{NextAction, OtpRequest, Payment};
use checkout_core::wire::Provider;

/// The one-time code every Orange Money test payment takes.
pub const TEST_OTP: &str = "123456";

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
    let p = super::find(&state, &id)?;
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
    let typed: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    let p = outcome::settled(&state, |db| {
        let p = db
            .payment(&state.merchant().id, &id)?
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
            let dial = match next_action(&state, &p) {
                NextAction::EnterOtp { ussd_code } => ussd_code,
                _ => String::new(),
            };
            return Err(Error::invalid_field(
                "code",
                format!("Wrong code: dial {dial} again for a new one (the sandbox's code is {TEST_OTP})"),
            ));
        }
        outcome::confirmed(db, &state, &p, Pace::AfterDelay)?;
        db.payment(&state.merchant().id, &id)?
            .ok_or_else(|| Error::not_found("Payment not found"))
    })?;
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
    let p = outcome::settled(&state, |db| {
        let p = db
            .payment(&state.merchant().id, &id)?
            .ok_or_else(|| Error::not_found("Payment not found"))?;
        if p.provider != Some(Provider::Mtn) {
            return Err(Error::invalid(
                "Only MTN MoMo payments have a prompt to send again",
            ));
        }
        outcome::still_pending(&p)?;
        let phone = p.phone.clone().unwrap_or_default();
        let answer = outcome::prompt(&phone, state.now_millis(), state.timing());
        db.advance_payment(&p.id, Stage::AwaitingCustomer, answer, None, state.now())?;
        db.payment(&state.merchant().id, &id)?
            .ok_or_else(|| Error::not_found("Payment not found"))
    })?;
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
    let p = super::find(&state, &id)?;
    let text = match p.provider {
        Some(Provider::Wave) => wave_url(&state, &p.id),
        Some(Provider::Nowpayments) => match crypto::send_crypto(&p.id, p.amount, p.currency) {
            NextAction::SendCrypto { uri, .. } => uri,
            _ => return Err(Error::not_found("This payment has no QR code")),
        },
        _ => return Err(Error::not_found("This payment has no QR code")),
    };
    super::qr::response(&text)
}
