//! The public checkout API, as the page calls it. No key ever reaches the browser: these
//! routes answer anyone who holds an (unguessable) link or session id.

use checkout_core::json::{self, FromJson, Json, ToJson};
use checkout_core::payment::{OtpRequest, PayRequest, Payment, IDEMPOTENCY_HEADER};
use checkout_core::pricing::{Quote, QuoteRequest};
use checkout_core::wire::{ApiError, CheckoutKind, ErrorBody, PublicCheckout};
use leptos::prelude::{ArcRwSignal, Get, Update};
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, RequestInit, Response};

/// How long the page waits before telling the customer the network is the problem. Mobile
/// networks here are slow, so generous; a hung request must still end in a retry button.
const TIMEOUT_MS: i32 = 20_000;

/// The longest wait the page takes from a 429's `Retry-After`, and the wait when the
/// header is missing or unreadable, in seconds.
const MAX_RETRY_AFTER_S: u32 = 30;
const DEFAULT_RETRY_AFTER_S: u32 = 5;

thread_local! {
    /// How many calls are waiting out a 429 right now, for the page to show. Reference-
    /// counted rather than owned by a component: calls outlive the screens that started
    /// them.
    static WAITING: ArcRwSignal<u32> = ArcRwSignal::new(0);
}

/// Whether a call is waiting out a 429 (reactive): the page tells the customer it will try
/// again in a few seconds, instead of showing an error.
pub fn waiting_for_rate_limit() -> bool {
    WAITING.with(|waiting| waiting.get() > 0)
}

/// Counts a call as waiting while it lives; dropping it (the wait is over, or the call was
/// dropped mid-wait) stops counting it.
struct Waiting;

impl Waiting {
    fn start() -> Self {
        WAITING.with(|waiting| waiting.update(|n| *n += 1));
        Waiting
    }
}

impl Drop for Waiting {
    fn drop(&mut self) {
        WAITING.with(|waiting| waiting.update(|n| *n -= 1));
    }
}

/// The seconds a 429 asks for, within 1 to [`MAX_RETRY_AFTER_S`]. The API sends whole
/// seconds; an HTTP date or no header at all gets [`DEFAULT_RETRY_AFTER_S`].
pub fn retry_after_seconds(header: Option<&str>) -> u32 {
    header
        .and_then(|value| value.trim().parse::<u32>().ok())
        .unwrap_or(DEFAULT_RETRY_AFTER_S)
        .clamp(1, MAX_RETRY_AFTER_S)
}

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

/// Reads a `T` from JSON text (`None` when it is not one), with the page's own small reader
/// instead of serde (see `checkout_core::json`). `parse_json::<Option<PublicCheckout>>` reads
/// `null` as `Some(None)`.
pub fn parse_json<T: FromJson>(text: &str) -> Option<T> {
    json::from_str(text)
}

/// The JSON text of `value`, as the API and serde write it.
pub fn to_json<T: ToJson + ?Sized>(value: &T) -> String {
    json::to_string(value)
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
    let url = checkout_path(kind, id);
    send("GET", &url, NO_BODY, None, None).await
}

/// Prices an order. `cancel` lets the caller abort a request a newer one has superseded.
pub async fn fetch_quote(
    kind: CheckoutKind,
    id: &str,
    request: &QuoteRequest,
    cancel: Option<web_sys::AbortController>,
) -> Result<Quote, ApiFailure> {
    let url = format!("{}/quote", checkout_path(kind, id));
    send("POST", &url, Some(request), None, cancel).await
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

/// A call without a body.
const NO_BODY: Option<&Json> = None;

/// One call with the browser's own `fetch`: `body`, when there is one, goes as JSON; each
/// try has its own deadline, on `cancel` when the caller may abort the call.
///
/// A 429 (the API's rate limit) is waited out for its `Retry-After`, then the same request
/// is sent again, for as long as the API asks: the customer is told (see
/// [`waiting_for_rate_limit`]) and never shown a failure that is not one. Sending again is
/// safe for every call the page makes: the API refuses a request over its limit before
/// doing anything with it, reads and prices change nothing, and a payment is started with
/// its attempt's `Idempotency-Key`, which finds the same payment again.
async fn send<T: FromJson>(
    method: &str,
    url: &str,
    body: Option<&impl ToJson>,
    idempotency_key: Option<&str>,
    cancel: Option<web_sys::AbortController>,
) -> Result<T, ApiFailure> {
    let body = body.map(to_json);
    let answer = answer(method, url, body.as_deref(), idempotency_key, cancel).await?;
    parse_json::<T>(&answer).ok_or(ApiFailure::Server)
}

/// The body of the first answer that is not a 429 (see [`send`]), when it is a success;
/// not generic, so the page carries one copy of it whatever the answer is read as.
async fn answer(
    method: &str,
    url: &str,
    body: Option<&str>,
    idempotency_key: Option<&str>,
    cancel: Option<web_sys::AbortController>,
) -> Result<String, ApiFailure> {
    loop {
        let deadline = match &cancel {
            Some(controller) => Deadline::on(controller.clone()),
            None => Deadline::start(),
        };
        let response = fetch(method, url, body, idempotency_key, &deadline).await?;
        if response.status() != 429 {
            // The deadline covers reading the body too; it is dropped, clearing its
            // timer, once the body is read.
            return read(response).await;
        }
        drop(deadline);
        let header = response.headers().get("Retry-After").ok().flatten();
        let seconds = retry_after_seconds(header.as_deref());
        let _waiting = Waiting::start();
        crate::timing::sleep(seconds * 1000).await;
    }
}

async fn fetch(
    method: &str,
    url: &str,
    body: Option<&str>,
    idempotency_key: Option<&str>,
    deadline: &Deadline,
) -> Result<Response, ApiFailure> {
    let init = RequestInit::new();
    init.set_method(method);
    let headers = Headers::new().map_err(|_| ApiFailure::Server)?;
    if let Some(body) = body {
        headers
            .set("Content-Type", "application/json")
            .map_err(|_| ApiFailure::Server)?;
        init.set_body(&JsValue::from_str(body));
    }
    if let Some(key) = idempotency_key {
        headers
            .set(IDEMPOTENCY_HEADER, key)
            .map_err(|_| ApiFailure::Server)?;
    }
    init.set_headers(&headers);
    if let Some(signal) = deadline.signal() {
        init.set_signal(Some(&signal));
    }
    let fetched = leptos::prelude::window().fetch_with_str_and_init(url, &init);
    Ok(JsFuture::from(fetched)
        .await
        .map_err(|_| ApiFailure::Unreachable)?
        .unchecked_into())
}

/// The body as text: a body cut off or refused on the way reads as the server's failure.
async fn text(response: &Response) -> Option<String> {
    JsFuture::from(response.text().ok()?)
        .await
        .ok()?
        .as_string()
}

/// A success's body, or why the call failed.
async fn read(response: Response) -> Result<String, ApiFailure> {
    let status = response.status();
    if response.ok() {
        return text(&response).await.ok_or(ApiFailure::Server);
    }
    if status == 404 {
        return Err(ApiFailure::NotFound);
    }
    if status >= 500 || status == 0 {
        return Err(ApiFailure::Server);
    }
    let body = text(&response).await.ok_or(ApiFailure::Server)?;
    match parse_json::<ErrorBody>(&body) {
        Some(body) => Err(ApiFailure::Rejected(body.error)),
        None => Err(ApiFailure::Server),
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
    let url = format!("{}/pay", checkout_path(kind, id));
    let key = Some(idempotency_key);
    send("POST", &url, Some(request), key, None).await
}

pub async fn fetch_payment(payment_id: &str) -> Result<Payment, ApiFailure> {
    let url = payment_path(payment_id);
    send("GET", &url, NO_BODY, None, None).await
}

/// Orange Money: the one-time code the customer got by dialling the USSD code.
pub async fn submit_otp(payment_id: &str, code: &str) -> Result<Payment, ApiFailure> {
    let url = format!("{}/otp", payment_path(payment_id));
    let body = OtpRequest {
        code: code.to_string(),
    };
    send("POST", &url, Some(&body), None, None).await
}

/// MTN MoMo: push the approval prompt to the phone again.
pub async fn resend_prompt(payment_id: &str) -> Result<Payment, ApiFailure> {
    let url = format!("{}/resend", payment_path(payment_id));
    send("POST", &url, NO_BODY, None, None).await
}

/// The QR code of a payment's link or crypto URI, drawn by the server so the page ships no
/// QR encoder.
pub fn payment_qr_url(payment_id: &str) -> String {
    format!("{}/qr.svg", payment_path(payment_id))
}
