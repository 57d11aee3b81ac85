//! The demo shop, `/sandbox/shop`: a small merchant site inside the sandbox showing the whole
//! integration loop. Its server side does what a merchant's server does, over HTTP with the
//! test key like any merchant: registers its webhook endpoint (`POST /v1/webhooks`, keeping
//! the secret), creates a checkout session for an order (`POST /v1/checkout-sessions` with an
//! `Idempotency-Key`), sends the customer to its `checkout_url`, receives the webhook at
//! `/sandbox/shop/webhooks`, checks its signature and marks the order paid
//! ([`crate::domain::shop`]). Or it keeps the customer on its own page, with the checkout
//! embedded in a frame and its events logged ([`pay`], embedded mode). Pages are bilingual,
//! drawn from `templates/shop/`.
//!
//! Its one form ("Buy", "Pay here") carries a token that must equal its `SameSite=Strict`
//! cookie, so another site cannot make a visitor's browser order; its webhook endpoint takes
//! only JSON signed with its secret, never a browser's post.

use crate::domain::shop::{self, Item, Received, AWAITING_PAYMENT, PAID};
use crate::error::{Error, Result};
use crate::http::html;
use crate::http::input::Id;
use crate::http::providers::{amount, see_other};
use crate::http::security::{origin, Policy};
use crate::http::state::AppState;
use crate::storage::{ShopEventRow, ShopOrderRow};
use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use checkout_core::calendar::to_rfc3339;
use checkout_core::{Currency, Money};
use serde_json::{json, Value};
use std::time::Duration;

/// Where the shop receives its webhooks.
pub const WEBHOOK_PATH: &str = "/sandbox/shop/webhooks";

struct ItemView {
    id: &'static str,
    name: &'static str,
    description: &'static str,
    price: String,
}

struct OrderView {
    id: String,
    title: String,
    price: String,
    paid: bool,
    created_at: String,
}

struct EventView {
    event: String,
    event_id: String,
    signature_valid: bool,
    duplicate: bool,
    received_at: String,
}

#[derive(Template)]
#[template(path = "shop/index.html")]
struct ShopPage<'a> {
    merchant: &'a str,
    items: Vec<ItemView>,
    orders: Vec<OrderView>,
    webhook_url: String,
    csrf_token: String,
}

#[derive(Template)]
#[template(path = "shop/order.html")]
struct OrderPage<'a> {
    merchant: &'a str,
    order: OrderView,
    session_id: Option<String>,
    checkout_url: Option<String>,
    transaction_id: Option<String>,
    events: Vec<EventView>,
}

fn xof(value: i64) -> String {
    amount(Money::new(value, Currency::Xof))
}

fn order_view(o: &ShopOrderRow) -> OrderView {
    OrderView {
        id: o.id.clone(),
        title: o.title.clone(),
        price: xof(o.amount),
        paid: o.status == PAID,
        created_at: to_rfc3339(o.created_at),
    }
}

fn event_view(e: &ShopEventRow) -> EventView {
    EventView {
        event: e.event.clone().unwrap_or_else(|| "?".to_string()),
        event_id: e.event_id.clone().unwrap_or_default(),
        signature_valid: e.signature_valid,
        duplicate: e.duplicate,
        received_at: to_rfc3339(e.received_at),
    }
}

#[derive(Template)]
#[template(path = "shop/pay.html")]
struct PayPage<'a> {
    merchant: &'a str,
    order: OrderView,
    checkout_url: String,
}

/// A shop page: never cached; its forms post to the shop, whose answer sends the customer on
/// to the checkout (the public URL's origin, where form-action also applies).
fn page(state: &AppState, template: &impl Template) -> Response {
    page_with(state, template, |policy| policy)
}

/// A shop page whose policy `extend` widens (the embedded checkout's page).
fn page_with(
    state: &AppState,
    template: &impl Template,
    extend: impl FnOnce(Policy) -> Policy,
) -> Response {
    let mut targets = vec!["'self'".to_string()];
    targets.extend(origin(state.public_url()));
    let targets: Vec<&str> = targets.iter().map(String::as_str).collect();
    html::own_page(StatusCode::OK, template, false, |body| {
        extend(Policy::for_sandbox_page(body, &targets))
    })
}

/// `GET /sandbox/shop/orders/{id}/pay`: the order's checkout embedded in the shop's page
/// (`?embedded=true&embed_origin=<the page's origin>`, set by the shop's script, the page's
/// one script, from its own origin), with the events the checkout posts logged below it.
/// The frame shows the checkout's origin and nothing else. A paid order goes to its page.
pub async fn pay(State(state): State<AppState>, Id(id): Id) -> Result<Response> {
    let o = state
        .db()
        .shop_order(&id)?
        .ok_or_else(|| Error::not_found("Order not found"))?;
    let Some(checkout_url) = o
        .checkout_url
        .clone()
        .filter(|_| o.status == AWAITING_PAYMENT)
    else {
        return Ok(see_other(&format!("/sandbox/shop/orders/{}", o.id)));
    };
    let checkout_origin = origin(&checkout_url);
    let view = PayPage {
        merchant: &state.merchant().name,
        order: order_view(&o),
        checkout_url,
    };
    Ok(page_with(&state, &view, |mut policy| {
        policy.scripts = vec!["'self'".to_string()];
        policy.frames = checkout_origin.into_iter().collect();
        policy
    }))
}

const EMBED_JS: &str = include_str!("../../assets/shop-embed.js");

/// `GET /sandbox/shop/embed.js`: the embedded checkout page's script.
pub async fn embed_script() -> Response {
    html::script(EMBED_JS)
}

/// The cookie holding the shop's form token.
const CSRF_COOKIE: &str = "lomi_shop_csrf";
/// The form's field carrying the same token.
const CSRF_FIELD: &str = "csrf_token";

/// The form token in the request's cookie, when it has the shape the shop gives (32 hex
/// digits).
fn csrf_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == CSRF_COOKIE)
        .map(|(_, value)| value.to_string())
        .filter(|t| t.len() == 32 && t.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Whether the form's token is the cookie's, compared in constant time.
fn same_token(cookie: &str, field: &str) -> bool {
    use subtle::ConstantTimeEq;
    cookie.len() == field.len() && bool::from(cookie.as_bytes().ct_eq(field.as_bytes()))
}

/// Whether the browser says the request came from another site (`Sec-Fetch-Site`, sent by
/// browsers only; a server's request has none).
fn cross_site(headers: &HeaderMap) -> bool {
    headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|site| !site.eq_ignore_ascii_case("same-origin"))
}

/// `GET /sandbox/shop`: the catalog, whose form carries the visitor's token (kept from the
/// cookie, or a new one with its cookie).
pub async fn index(State(state): State<AppState>, headers: HeaderMap) -> Result<Response> {
    let kept = csrf_cookie(&headers);
    let csrf_token = kept.clone().unwrap_or_else(|| crate::ids::prefixed(""));
    let orders = state.db().shop_orders(10)?;
    let view = ShopPage {
        merchant: &state.merchant().name,
        items: shop::CATALOG
            .iter()
            .map(|i| ItemView {
                id: i.id,
                name: i.name,
                description: i.description,
                price: xof(i.amount),
            })
            .collect(),
        orders: orders.iter().map(order_view).collect(),
        webhook_url: format!("{}{WEBHOOK_PATH}", state.local_url()),
        csrf_token: csrf_token.clone(),
    };
    let mut response = page(&state, &view);
    if kept.is_none() {
        let cookie =
            format!("{CSRF_COOKIE}={csrf_token}; Path=/sandbox/shop; HttpOnly; SameSite=Strict");
        if let Ok(value) = header::HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    Ok(response)
}

/// `GET /sandbox/shop/orders/{id}`: the order and each step of its integration loop.
pub async fn order(State(state): State<AppState>, Id(id): Id) -> Result<Response> {
    let (o, events) = {
        let db = state.db();
        let o = db
            .shop_order(&id)?
            .ok_or_else(|| Error::not_found("Order not found"))?;
        let events = db.shop_events(&o.id)?;
        (o, events)
    };
    let view = OrderPage {
        merchant: &state.merchant().name,
        order: order_view(&o),
        session_id: o.checkout_session_id.clone(),
        checkout_url: o
            .checkout_url
            .clone()
            .filter(|_| o.status == AWAITING_PAYMENT),
        transaction_id: o.transaction_id.clone().filter(|t| !t.is_empty()),
        events: events.iter().map(event_view).collect(),
    };
    Ok(page(&state, &view))
}

/// The merchant API, called as a merchant's server calls it.
struct Merchant<'a> {
    state: &'a AppState,
    client: reqwest::Client,
}

impl Merchant<'_> {
    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<(Value, &str)>,
    ) -> Result<(u16, Value)> {
        let mut request = self
            .client
            .request(method, format!("{}/v1{path}", self.state.local_url()))
            .header("X-API-Key", self.state.api_key());
        if let Some((body, key)) = body {
            request = request
                .header("Idempotency-Key", key)
                .header(header::CONTENT_TYPE.as_str(), "application/json")
                .body(body.to_string());
        }
        let response = request
            .send()
            .await
            .map_err(|e| Error::internal(format!("the demo shop could not reach the API: {e}")))?;
        let status = response.status().as_u16();
        let text = response
            .text()
            .await
            .map_err(|e| Error::internal(format!("the demo shop read no answer: {e}")))?;
        Ok((status, serde_json::from_str(&text).unwrap_or(Value::Null)))
    }

    /// The shop's webhook secret, registering its endpoint first if it has none (or the
    /// merchant deleted it).
    async fn webhook_secret(&self) -> Result<String> {
        let known = self.state.db().shop_registration()?;
        if let Some((id, secret)) = known {
            let (status, _) = self
                .call(reqwest::Method::GET, &format!("/webhooks/{id}"), None)
                .await?;
            if status == 200 {
                return Ok(secret);
            }
        }
        let url = format!("{}{WEBHOOK_PATH}", self.state.local_url());
        let body = json!({
            "url": url,
            "authorized_events": ["PAYMENT_SUCCEEDED", "PAYMENT_FAILED"],
            "metadata": {"registered_by": "demo shop"}
        });
        let key = crate::ids::uuid();
        let (status, w) = self
            .call(reqwest::Method::POST, "/webhooks", Some((body, &key)))
            .await?;
        let (Some(id), Some(secret)) = (w["id"].as_str(), w["verification_token"].as_str()) else {
            return Err(Error::internal(format!(
                "registering the demo shop's webhook answered {status}: {w}"
            )));
        };
        self.state.db().set_shop_registration(id, secret)?;
        Ok(secret.to_string())
    }

    /// A checkout session for the order, made once whatever the retries (the order's id is
    /// the Idempotency-Key).
    async fn checkout_session(&self, o: &ShopOrderRow, item: Item) -> Result<(String, String)> {
        let back = format!("{}/sandbox/shop/orders/{}", self.state.public_url(), o.id);
        let body = json!({
            "amount": item.amount,
            "currency_code": "XOF",
            "title": item.name,
            "description": item.description,
            "success_url": back,
            "cancel_url": back,
            "require_billing_address": false,
            "metadata": {"shop_order_id": o.id}
        });
        let (status, s) = self
            .call(
                reqwest::Method::POST,
                "/checkout-sessions",
                Some((body, &o.id)),
            )
            .await?;
        match (
            s["checkout_session_id"].as_str(),
            s["checkout_url"].as_str(),
        ) {
            (Some(id), Some(url)) if status == 201 => Ok((id.to_string(), url.to_string())),
            _ => Err(Error::internal(format!(
                "the demo shop's session answered {status}: {s}"
            ))),
        }
    }
}

/// `POST /sandbox/shop/orders`: "Buy". The order, its checkout session, then the checkout:
/// lomi.'s page, or with `mode=embedded` the shop's own page with the checkout inside. 403,
/// and nothing made, unless the form's token is its cookie's (a post from another site
/// carries neither).
pub async fn buy(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Bytes,
) -> Result<Response> {
    let field = |wanted: &str| {
        form_urlencoded::parse(&form)
            .find(|(name, _)| name == wanted)
            .map(|(_, value)| value.into_owned())
            .unwrap_or_default()
    };
    let token_held = csrf_cookie(&headers).is_some_and(|c| same_token(&c, &field(CSRF_FIELD)));
    if !token_held || cross_site(&headers) {
        return Ok((
            StatusCode::FORBIDDEN,
            "Formulaire expiré ou venu d'un autre site : rechargez la boutique · \
             Form expired or sent from another site: reload the shop",
        )
            .into_response());
    }
    let (chosen, embedded) = (field("item"), field("mode") == "embedded");
    let item =
        shop::item(&chosen).ok_or_else(|| Error::not_found("No such item in the demo shop"))?;
    let merchant = Merchant {
        state: &state,
        client: reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| Error::internal(format!("demo shop client: {e}")))?,
    };
    merchant.webhook_secret().await?;
    let order = shop::new_order(&state.db(), item, state.now())?;
    let (session, url) = merchant.checkout_session(&order, item).await?;
    state
        .db()
        .set_shop_order_session(&order.id, &session, &url)?;
    if embedded {
        // A path on the shop's own origin, whichever the customer uses.
        return Ok(see_other(&format!("/sandbox/shop/orders/{}/pay", order.id)));
    }
    Ok(see_other(&url))
}

/// `POST /sandbox/shop/webhooks`: what lomi. sends. 200 once handled (or already handled),
/// 400 when the signature is not the shop's or the shop has no secret yet (nothing stored
/// then), 415 unless the body is sent as JSON and 403 for a browser's post from another page:
/// lomi.'s server sends neither a form nor `Sec-Fetch-Site`.
pub async fn webhook(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response> {
    if cross_site(&headers) {
        return Ok((StatusCode::FORBIDDEN, "not a browser's endpoint").into_response());
    }
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"));
    if !json {
        return Ok((
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "expected Content-Type: application/json",
        )
            .into_response());
    }
    let signature = headers
        .get("x-lomi-signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let now = state.now();
    let received = state.db().immediate(|db| {
        let secret = db.shop_registration()?.map(|(_, s)| s);
        shop::receive(db, secret.as_deref(), &body, &signature, now)
    })?;
    Ok(match received {
        Received::Handled => (StatusCode::OK, "handled").into_response(),
        Received::Duplicate => (StatusCode::OK, "already handled").into_response(),
        Received::BadSignature => (StatusCode::BAD_REQUEST, "bad signature").into_response(),
        Received::NoSecret => (
            StatusCode::BAD_REQUEST,
            "no endpoint registered yet: nothing to verify the signature with",
        )
            .into_response(),
    })
}
