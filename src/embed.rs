//! Embedded mode: the page inside a merchant's own page, which frames it with
//! `?embedded=true&embed_origin=<its origin>` (what lomi.'s embed script adds).
//!
//! The page then drops its outer chrome (language switch, footer), keeps those two parameters
//! on every address it moves to, hands "back to the merchant" and the success redirect to
//! the merchant's page, and posts `{type: "LOMI_CHECKOUT", event, …}` messages to it:
//! `loaded`, `resize` (`height`), `confirmed`, `success` (`sessionId`, `transactionId`,
//! `amount`, `currency`, `successURL`, `redirect`), `close` and `error` (`code`, `message`).
//! lomi.'s embed script reads these names and fields.
//!
//! Messages go only to the origin the server named in `<meta name="lomi-embed-origin">`,
//! which it writes only when the merchant allows that origin (and then lets that origin
//! alone frame the page): never to `*`, never to an origin read from the address. A page
//! nobody frames posts to itself with that origin as target, which the browser drops.

use crate::route::QueryMap;
use checkout_core::payment::Payment;
use leptos::prelude::*;
use std::cell::{Cell, RefCell};
use wasm_bindgen::JsValue;

pub const MESSAGE_TYPE: &str = "LOMI_CHECKOUT";

thread_local! {
    /// The `embed_origin` of the address (`""` without one) when it asks for embedded mode
    /// (`embedded=true`). Set by the router from the page's first address before anything
    /// renders (on the server, at each render: one render runs on one thread from start to
    /// end); the server and the browser read the same address, so both render the same page.
    static PARAMS: RefCell<Option<String>> = const { RefCell::new(None) };
    /// Where messages go: the origin the server allowed, once [`start`] read it. `None` on
    /// the server.
    static TARGET: RefCell<Option<String>> = const { RefCell::new(None) };
    static LAST_HEIGHT: Cell<i32> = const { Cell::new(-1) };
}

/// Reads the embed parameters of the page's first address (`?…`).
pub fn provide(search: &str) {
    let query = QueryMap(search.to_string());
    let kept = (query.get("embedded").as_deref() == Some("true"))
        .then(|| query.get("embed_origin").unwrap_or_default());
    PARAMS.with(|p| *p.borrow_mut() = kept);
}

/// Whether the page is embedded in a merchant's page.
pub fn embedded() -> bool {
    PARAMS.with(|p| p.borrow().is_some())
}

/// `path` (an address of the page, never carrying them already) with the embed parameters
/// along, so a reload of the frame stays embedded. In the browser only.
pub fn keep(path: &str) -> String {
    PARAMS.with(|p| match &*p.borrow() {
        Some(origin) => {
            let joiner = if path.contains('?') { '&' } else { '?' };
            let origin = String::from(js_sys::encode_uri_component(origin));
            format!("{path}{joiner}embedded=true&embed_origin={origin}")
        }
        None => path.to_string(),
    })
}

/// Whether there is a merchant's page to post to (never on the server, where no JavaScript
/// value can be made: every event checks this first).
fn listened() -> bool {
    TARGET.with(|t| t.borrow().is_some())
}

/// Posts one event to the merchant's page: `{type, event}` and `fields`; `false` when there
/// is nobody to post to.
pub fn post(event: &str, fields: &[(&str, JsValue)]) -> bool {
    let Some(target) = TARGET.with(|t| t.borrow().clone()) else {
        return false;
    };
    let message = js_sys::Object::new();
    let set = |key: &str, value: &JsValue| {
        let _ = js_sys::Reflect::set(&message, &JsValue::from_str(key), value);
    };
    set("type", &JsValue::from_str(MESSAGE_TYPE));
    set("event", &JsValue::from_str(event));
    for (key, value) in fields {
        set(key, value);
    }
    match window().parent() {
        Ok(Some(parent)) => parent.post_message(&message, &target).is_ok(),
        _ => false,
    }
}

/// `confirmed`: the payment started, so the merchant's page should no longer close the
/// checkout.
pub fn confirmed(session_id: &str) {
    if listened() {
        post("confirmed", &[("sessionId", JsValue::from_str(session_id))]);
    }
}

fn text(value: Option<&str>) -> JsValue {
    value.map_or(JsValue::NULL, JsValue::from_str)
}

/// `error`, with a code for the merchant's code and the sentence the customer reads.
pub fn error(code: &str, message: &str) {
    if !listened() {
        return;
    }
    post(
        "error",
        &[("code", text(Some(code))), ("message", text(Some(message)))],
    );
}

/// `success`: the payment's session, transaction, amount (in major units, as the merchant
/// API writes amounts: the quotient of two exact integers, the number its decimal reads as),
/// currency and the merchant's success URL, with `redirect` telling the merchant's page to
/// go there (the frame itself never leaves).
pub fn success(payment: &Payment) {
    if !listened() {
        return;
    }
    let unit = 10_f64.powi(payment.currency.digits() as i32);
    post(
        "success",
        &[
            ("sessionId", text(Some(&payment.session_id))),
            ("transactionId", text(payment.transaction_id.as_deref())),
            ("amount", JsValue::from_f64(payment.amount as f64 / unit)),
            ("currency", text(Some(payment.currency.code()))),
            ("successURL", text(payment.success_url.as_deref())),
            (
                "redirect",
                JsValue::from_bool(payment.success_url.is_some()),
            ),
        ],
    );
}

/// In the browser, before the app renders: when the server allowed an origin, posts
/// `loaded` (the checkout runs), then, once [`observe`] is called, the content's height.
#[cfg(not(feature = "ssr"))]
pub fn start() {
    let target = document()
        .query_selector("meta[name='lomi-embed-origin']")
        .ok()
        .flatten()
        .and_then(|meta| meta.get_attribute("content"))
        .filter(|origin| !origin.is_empty());
    TARGET.with(|t| *t.borrow_mut() = target);
    post("loaded", &[]);
}

/// Posts `resize` whenever the height of the page's content changes (the first at once),
/// when there is somebody to post to.
#[cfg(not(feature = "ssr"))]
pub fn observe() {
    use wasm_bindgen::{closure::Closure, JsCast};
    let Some(body) = document().body().filter(|_| listened()) else {
        return;
    };
    let measured = body.clone();
    let on_resize = Closure::<dyn FnMut()>::new(move || {
        let height = measured.scroll_height();
        if LAST_HEIGHT.with(|last| last.replace(height)) != height {
            post("resize", &[("height", JsValue::from(height))]);
        }
    });
    if let Ok(observer) = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()) {
        observer.observe(&body);
    }
    // Observes for the page's whole life.
    on_resize.forget();
}
