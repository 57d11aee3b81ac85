//! The public checkout API, as the page calls it. No key ever reaches the browser: these
//! routes answer anyone who holds an (unguessable) link or session id.

use checkout_core::payment::{OtpRequest, PayRequest, Payment, IDEMPOTENCY_HEADER};
use checkout_core::pricing::{Quote, QuoteRequest};
use checkout_core::wire::{ApiError, CheckoutKind, ErrorBody, PublicCheckout};
use gloo_net::http::{Request, Response};
use serde::de::DeserializeOwned;
use wasm_bindgen::{closure::Closure, JsCast};

/// How long the page waits before telling the customer the network is the problem. Mobile
/// networks here are slow, so generous; a hung request must still end in a retry button.
const TIMEOUT_MS: i32 = 20_000;

/// Why a call failed, in the terms the customer's screen needs.
#[derive(Clone, Debug, PartialEq)]
pub enum ApiFailure {
    /// The link or session does not exist (or was deleted).
    NotFound,
    /// No answer: offline, timed out, or the server is down. Retrying may work.
    Unreachable,
    /// The server answered with an error of its own (5xx, or a body we could not read).
    Server,
    /// The server refused the request; the error says why.
    Rejected(ApiError),
}

/// The API's base URL: a `<meta name="lomi-api-base">` that whoever serves the page can set
/// without rebuilding it; empty or absent means this page's own origin.
pub fn base_url() -> String {
    leptos::prelude::document()
        .query_selector("meta[name='lomi-api-base']")
        .ok()
        .flatten()
        .and_then(|meta| meta.get_attribute("content"))
        .map(|base| base.trim().trim_end_matches('/').to_string())
        .unwrap_or_default()
}

fn checkout_path(kind: CheckoutKind, id: &str) -> String {
    let collection = match kind {
        CheckoutKind::Session => "sessions",
        _ => "links",
    };
    let id = String::from(js_sys::encode_uri_component(id));
    format!("{}/api/checkout/{collection}/{id}", base_url())
}

pub async fn fetch_checkout(kind: CheckoutKind, id: &str) -> Result<PublicCheckout, ApiFailure> {
    let deadline = Deadline::start();
    let request = Request::get(&checkout_path(kind, id))
        .abort_signal(deadline.signal().as_ref())
        .build();
    send(request).await
}

/// Prices an order. `cancel` lets the caller abort a request a newer one has superseded.
pub async fn fetch_quote(
    kind: CheckoutKind,
    id: &str,
    request: &QuoteRequest,
    cancel: Option<web_sys::AbortController>,
) -> Result<Quote, ApiFailure> {
    let deadline = match cancel {
        Some(controller) => Deadline::on(controller),
        None => Deadline::start(),
    };
    let request = Request::post(&format!("{}/quote", checkout_path(kind, id)))
        .abort_signal(deadline.signal().as_ref())
        .json(request);
    send(request).await
}

/// Aborts the fetch after TIMEOUT_MS, so a stalled connection becomes a retry button
/// instead of a skeleton that never resolves. Dropping it cancels the timer.
struct Deadline {
    controller: Option<web_sys::AbortController>,
    timer: Option<i32>,
}

impl Deadline {
    fn start() -> Self {
        match web_sys::AbortController::new() {
            Ok(controller) => Deadline::on(controller),
            Err(_) => Deadline {
                controller: None,
                timer: None,
            },
        }
    }

    fn on(controller: web_sys::AbortController) -> Self {
        let aborted = controller.clone();
        let abort = Closure::once_into_js(move || aborted.abort());
        let timer = leptos::prelude::window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(
                abort.unchecked_ref(),
                TIMEOUT_MS,
            )
            .ok();
        Deadline {
            controller: Some(controller),
            timer,
        }
    }

    fn signal(&self) -> Option<web_sys::AbortSignal> {
        self.controller.as_ref().map(|c| c.signal())
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        if let Some(timer) = self.timer {
            leptos::prelude::window().clear_timeout_with_handle(timer);
        }
    }
}

async fn send<T: DeserializeOwned>(
    request: Result<Request, gloo_net::Error>,
) -> Result<T, ApiFailure> {
    let request = request.map_err(|_| ApiFailure::Server)?;
    let response = request.send().await.map_err(|_| ApiFailure::Unreachable)?;
    read(response).await
}

async fn read<T: DeserializeOwned>(response: Response) -> Result<T, ApiFailure> {
    let status = response.status();
    if response.ok() {
        return response.json::<T>().await.map_err(|_| ApiFailure::Server);
    }
    if status == 404 {
        return Err(ApiFailure::NotFound);
    }
    if status >= 500 || status == 0 {
        return Err(ApiFailure::Server);
    }
    match response.json::<ErrorBody>().await {
        Ok(body) => Err(ApiFailure::Rejected(body.error)),
        Err(_) => Err(ApiFailure::Server),
    }
}

fn payment_path(payment_id: &str) -> String {
    let id = String::from(js_sys::encode_uri_component(payment_id));
    format!("{}/api/checkout/payments/{id}", base_url())
}

/// Starts (or, with the same `idempotency_key`, finds again) the payment of an order.
pub async fn pay(
    kind: CheckoutKind,
    id: &str,
    request: &PayRequest,
    idempotency_key: &str,
) -> Result<Payment, ApiFailure> {
    let deadline = Deadline::start();
    let request = Request::post(&format!("{}/pay", checkout_path(kind, id)))
        .header(IDEMPOTENCY_HEADER, idempotency_key)
        .abort_signal(deadline.signal().as_ref())
        .json(request);
    send(request).await
}

pub async fn fetch_payment(payment_id: &str) -> Result<Payment, ApiFailure> {
    let deadline = Deadline::start();
    let request = Request::get(&payment_path(payment_id))
        .abort_signal(deadline.signal().as_ref())
        .build();
    send(request).await
}

/// Orange Money: the one-time code the customer got by dialling the USSD code.
pub async fn submit_otp(payment_id: &str, code: &str) -> Result<Payment, ApiFailure> {
    let deadline = Deadline::start();
    let request = Request::post(&format!("{}/otp", payment_path(payment_id)))
        .abort_signal(deadline.signal().as_ref())
        .json(&OtpRequest {
            code: code.to_string(),
        });
    send(request).await
}

/// MTN MoMo: push the approval prompt to the phone again.
pub async fn resend_prompt(payment_id: &str) -> Result<Payment, ApiFailure> {
    let deadline = Deadline::start();
    let request = Request::post(&format!("{}/resend", payment_path(payment_id)))
        .abort_signal(deadline.signal().as_ref())
        .build();
    send(request).await
}

/// The QR code of a payment's link or crypto URI, drawn by the server so the page ships no
/// QR encoder.
pub fn payment_qr_url(payment_id: &str) -> String {
    format!("{}/qr.svg", payment_path(payment_id))
}
