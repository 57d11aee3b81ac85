//! Checkout sessions: one customer's checkout, created by the merchant's server, open for 60
//! minutes. The request's `amount` is the unit price; the session's `amount` is the subtotal
//! (unit price times quantity), as lomi. reports it.

use super::products::describe;
use super::shape::{listing, metadata, money, one, time};
use crate::domain::catalog::{default_currency, price_cart, resolve_price, CartRequestLine};
use crate::domain::checkout::SESSION_LIFETIME;
use crate::domain::customer::phone_message;
use crate::error::{Error, Result};
use crate::http::input::{Fields, Id, JsonObject};
use crate::http::query::QueryParams;
use crate::http::state::AppState;
use crate::ids;
use crate::names::Named;
use crate::storage::{LineItem, SessionFilter, SessionRow, SessionStatus};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use checkout_core::coupon::normalize_code;
use checkout_core::customer::BillingAddress;
use checkout_core::phone;
use checkout_core::pricing::DEFAULT_MAX_QUANTITY;
use checkout_core::Currency;
use serde::{Deserialize, Serialize};
use serde_json::{json, Number, Value};
use utoipa::ToSchema;

pub use crate::domain::views::{line_objects, LineItemObject};

/// The longest a merchant may keep one open.
pub const MAX_LIFETIME: i64 = 24 * 60 * 60;
const MAX_NAME: usize = 200;
/// The most lines a cart may hold.
const MAX_LINES: usize = 20;

#[derive(Serialize, ToSchema)]
pub struct CheckoutSession {
    pub id: String,
    /// Same as `id` (the SDKs' name).
    pub checkout_session_id: String,
    pub organization_id: String,
    /// The customer-facing page: `{public_url}/checkout/{id}`.
    pub checkout_url: String,
    pub merchant_id: String,
    #[schema(example = "open")]
    pub status: String,
    /// The subtotal in major units: unit price times quantity, before discounts and fees.
    #[schema(value_type = f64, example = 10000)]
    pub amount: Number,
    #[schema(value_type = f64, example = 10000)]
    pub unit_amount: Number,
    pub quantity: u32,
    pub currency_code: Currency,
    pub title: String,
    pub description: Option<String>,
    /// Same as `description` (the SDKs' name).
    pub public_description: Option<String>,
    /// The customer who paid (see `/customers`), or the one the merchant named.
    pub customer_id: Option<String>,
    pub customer_email: Option<String>,
    pub customer_name: Option<String>,
    pub customer_phone: Option<String>,
    pub product_id: Option<String>,
    pub price_id: Option<String>,
    pub subscription_id: Option<String>,
    pub payment_link_id: Option<String>,
    pub allow_quantity: bool,
    pub allow_coupon_code: bool,
    pub require_billing_address: bool,
    pub coupon_code: Option<String>,
    pub success_url: Option<String>,
    pub cancel_url: Option<String>,
    /// The transaction created by the payment; `null` until the session is completed.
    pub transaction_id: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub metadata: Option<Value>,
    /// The address the customer paid with, when the session asked for one; `null` before a
    /// payment was started.
    pub billing_address: Option<BillingAddress>,
    /// A cart's lines; empty for an amount or single-product session.
    pub line_items: Vec<LineItemObject>,
    #[schema(example = "test")]
    pub environment: String,
    pub expires_at: String,
    pub created_at: String,
    pub updated_at: String,
}

/// The body of `POST /checkout-sessions`. `amount` (the unit price, major units) is required
/// unless `product_id` is given.
#[derive(Deserialize, ToSchema)]
#[allow(dead_code)]
pub struct CreateCheckoutSessionRequest {
    /// Default: the product's default price's currency, else XOF.
    currency_code: Option<Currency>,
    /// Greater than 0, exact in the currency; with `product_id`, it must match the price (or,
    /// pay-what-you-want, lie within its bounds).
    #[schema(value_type = Option<f64>, example = 10000, exclusive_minimum = 0)]
    amount: Option<f64>,
    #[schema(
        max_length = 200,
        pattern = r"^(?:[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*|[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[^\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000](?:[^\u0000-\u001f\u007f-\u009f]*[^\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000])?[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*)$"
    )]
    title: Option<String>,
    #[schema(max_length = 5000)]
    description: Option<String>,
    /// Another name for `description` (the SDKs'); `description` wins when both are sent.
    #[schema(max_length = 5000)]
    public_description: Option<String>,
    #[schema(
        format = "uuid",
        pattern = r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$"
    )]
    customer_id: Option<String>,
    #[schema(
        max_length = 254,
        pattern = r"^(?:[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*|[^\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000@]+@[^\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000@.]+(?:\.[^\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000@.]+)+)$"
    )]
    customer_email: Option<String>,
    #[schema(
        max_length = 200,
        pattern = r"^(?:[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*|[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[^\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000](?:[^\u0000-\u001f\u007f-\u009f]*[^\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000])?[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*)$"
    )]
    customer_name: Option<String>,
    /// A number of the merchant's country (the demo merchant's: Côte d'Ivoire, 10 digits).
    #[schema(
        max_length = 200,
        pattern = r"^(?:[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*|(?:\+225)?(?:0[157]|2[157])[0-9]{8})$"
    )]
    customer_phone: Option<String>,
    /// Must name one of your products (unknown ids answer 400 `INVALID_REFERENCE`, as the
    /// seeds document) with a price in `currency_code`.
    #[schema(
        format = "uuid",
        pattern = r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$"
    )]
    product_id: Option<String>,
    /// A price of `product_id`; needs `product_id`.
    #[schema(
        format = "uuid",
        pattern = r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$"
    )]
    price_id: Option<String>,
    #[schema(
        format = "uuid",
        pattern = r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$"
    )]
    subscription_id: Option<String>,
    /// Default 1; a subscription bills exactly one.
    #[schema(minimum = 1, maximum = 99)]
    quantity: Option<u32>,
    allow_quantity: Option<bool>,
    allow_coupon_code: Option<bool>,
    require_billing_address: Option<bool>,
    /// A coupon code to apply when the page opens (needs `allow_coupon_code`).
    #[schema(
        max_length = 64,
        pattern = r"^(?:[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*|[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[^\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000](?:[^\u0000-\u001f\u007f-\u009f]*[^\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000])?[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*)$"
    )]
    coupon_code: Option<String>,
    /// An absolute http(s) URL whose host is a domain name (letters, digits and inner hyphens
    /// between dots, the last label starting with a letter; international names are encoded
    /// as `xn--`) or an IP address. Stored and returned as the URL parser writes it.
    #[schema(
        max_length = 2048,
        pattern = r"^[Hh][Tt][Tt][Pp][Ss]?://(?:[^\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\\/?#]*@)?(?:\[[0-9A-Fa-f:.]+\]|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}|(?:(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?|[^\u0000-\u002c\u002e\u002f\u003a-\u0040\u005b-\u0060\u007b-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[^\u0000-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000][^\u0000-\u002c\u002e\u002f\u003a-\u0040\u005b-\u0060\u007b-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*)\.)*(?:[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?|[^\u0000-\u002c\u002e\u002f\u003a-\u0040\u005b-\u0060\u007b-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[^\u0000-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000][^\u0000-\u002c\u002e\u002f\u003a-\u0040\u005b-\u0060\u007b-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*))(?::0*(?:[1-5]?[0-9]{0,4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?(?:[/?#][^\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\\]*)?$"
    )]
    success_url: Option<String>,
    /// An absolute http(s) URL whose host is a domain name (letters, digits and inner hyphens
    /// between dots, the last label starting with a letter; international names are encoded
    /// as `xn--`) or an IP address. Stored and returned as the URL parser writes it.
    #[schema(
        max_length = 2048,
        pattern = r"^[Hh][Tt][Tt][Pp][Ss]?://(?:[^\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\\/?#]*@)?(?:\[[0-9A-Fa-f:.]+\]|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}|(?:(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?|[^\u0000-\u002c\u002e\u002f\u003a-\u0040\u005b-\u0060\u007b-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[^\u0000-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000][^\u0000-\u002c\u002e\u002f\u003a-\u0040\u005b-\u0060\u007b-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*)\.)*(?:[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?|[^\u0000-\u002c\u002e\u002f\u003a-\u0040\u005b-\u0060\u007b-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[^\u0000-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000][^\u0000-\u002c\u002e\u002f\u003a-\u0040\u005b-\u0060\u007b-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*))(?::0*(?:[1-5]?[0-9]{0,4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?(?:[/?#][^\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\\]*)?$"
    )]
    cancel_url: Option<String>,
    /// Must name one of your payment links.
    #[schema(
        format = "uuid",
        pattern = r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$"
    )]
    payment_link_id: Option<String>,
    /// Default: 60 minutes after creation; must be in the future and at most 24 hours away.
    #[schema(value_type = Option<String>, format = DateTime)]
    expires_at: Option<String>,
    /// At most 50 keys.
    #[schema(value_type = Option<Object>)]
    metadata: Option<Value>,
    /// A multi-product cart, instead of `amount` or `product_id`: each line a standard,
    /// one-time price of yours, all in one currency (`currency_code` when given). Pay-what-
    /// you-want prices and subscriptions are sold alone.
    #[schema(min_items = 1, max_items = 20)]
    line_items: Option<Vec<LineItemRequest>>,
}

/// One line of `line_items`.
#[derive(Deserialize, ToSchema)]
#[allow(dead_code)]
pub struct LineItemRequest {
    #[schema(
        format = "uuid",
        pattern = r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$"
    )]
    price_id: String,
    /// Default 1.
    #[schema(minimum = 1, maximum = 99)]
    quantity: Option<u32>,
    /// At most 50 keys.
    #[schema(value_type = Option<Object>)]
    metadata: Option<Value>,
}

impl CreateCheckoutSessionRequest {
    /// What utoipa cannot say: without a (non-blank) `product_id`, `amount` is required and
    /// `price_id` refused; a `coupon_code` needs `allow_coupon_code: true`; the amount's
    /// per-currency decimals.
    pub fn conditions() -> Value {
        use crate::http::rules::{absent, currency_digits, is, present};
        let blank = json!({"pattern": "^[\\t-\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*$"});
        let non_blank = json!({"pattern": "[^\\t-\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]"});
        json!({"allOf": [
            currency_digits("amount", "currency_code"),
            crate::http::rules::default_currency_amounts(&["amount"], "currency_code"),
            {"if": {"allOf": [
                {"anyOf": [
                    {"not": {"required": ["product_id"]}},
                    {"properties": {"product_id": {"anyOf": [{"type": "null"}, blank]}}},
                ]},
                {"not": present(&["line_items"])},
             ]},
             "then": {"allOf": [present(&["amount"]), absent(&["price_id"])]}},
            {"if": present(&["line_items"]),
             "then": {"allOf": [
                 absent(&["amount", "product_id", "price_id", "quantity"]),
                 {"not": is("allow_quantity", true)},
             ]}},
            {"properties": {"line_items": {"anyOf": [
                {"type": "null"},
                {"items": {"properties": {"metadata": {"maxProperties": 50}}}},
            ]}}},
            {"if": {"required": ["coupon_code"], "properties": {"coupon_code": {"allOf": [{"type": "string"}, non_blank]}}},
             "then": is("allow_coupon_code", true)},
        ]})
    }
}

/// A page of the list route's answer.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct CheckoutSessionList {
    data: Vec<CheckoutSession>,
    pagination: crate::http::query::Pagination,
}

pub fn object(state: &AppState, s: &SessionRow) -> CheckoutSession {
    let subtotal = s.unit_amount.saturating_mul(i64::from(s.quantity));
    CheckoutSession {
        id: s.id.clone(),
        checkout_session_id: s.id.clone(),
        organization_id: state.merchant().organization_id.clone(),
        checkout_url: format!("{}/checkout/{}", state.public_url(), s.id),
        merchant_id: s.merchant_id.clone(),
        status: s.status_at(state.now()).name(),
        amount: money(subtotal, s.currency),
        unit_amount: money(s.unit_amount, s.currency),
        quantity: s.quantity,
        currency_code: s.currency,
        title: s.title.clone(),
        description: s.description.clone(),
        public_description: s.description.clone(),
        customer_id: s.customer_id.clone(),
        customer_email: s.customer_email.clone(),
        customer_name: s.customer_name.clone(),
        customer_phone: s.customer_phone.clone(),
        product_id: s.product_id.clone(),
        price_id: s.price_id.clone(),
        subscription_id: s.subscription_id.clone(),
        payment_link_id: s.payment_link_id.clone(),
        allow_quantity: s.allow_quantity,
        allow_coupon_code: s.allow_coupon_code,
        require_billing_address: s.require_billing_address,
        coupon_code: s.coupon_code.clone(),
        success_url: s.success_url.clone(),
        cancel_url: s.cancel_url.clone(),
        transaction_id: s.transaction_id.clone(),
        metadata: metadata(s.metadata.as_deref()),
        billing_address: s.billing.clone(),
        line_items: line_objects(&s.line_items, s.currency),
        environment: "test".to_string(),
        expires_at: time(s.expires_at),
        created_at: time(s.created_at),
        updated_at: time(s.created_at),
    }
}

/// The customer's phone as typed (`07 08 09 10 11`, `+225 0708091011`), stored in E.164 so
/// the page and mobile-money providers read one form. Local numbers are read as the
/// merchant's country's.
fn read_phone(f: &mut Fields, key: &str, country: &str) -> Option<String> {
    let text = f.short_text(key, 40)?;
    match phone::normalize(&text, country) {
        Ok(e164) => Some(e164),
        Err(error) => {
            f.fail(key, phone_message(&error));
            None
        }
    }
}

/// `line_items`: 1 to 20 lines, each a `price_id`, a quantity (1 to 99, default 1) and
/// metadata; problems are named `line_items[i].field`. `None` when absent or refused.
fn read_line_items(f: &mut Fields) -> Option<Vec<CartRequestLine>> {
    let items = f.array("line_items")?;
    if items.is_empty() || items.len() > MAX_LINES {
        f.fail("line_items", format!("Must contain 1 to {MAX_LINES} lines"));
        return None;
    }
    let mut lines = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let key = format!("line_items[{i}]");
        let Value::Object(map) = item else {
            f.fail(&key, "Expected object");
            continue;
        };
        let mut line = Fields::new(map);
        let price_id = line.uuid("price_id");
        line.require("price_id");
        let quantity = line.count("quantity", 1, DEFAULT_MAX_QUANTITY).unwrap_or(1);
        let metadata = line.metadata("metadata");
        let ok = line.ok();
        f.absorb(&key, line);
        if let (true, Some(price_id)) = (ok, price_id) {
            lines.push(CartRequestLine {
                price_id,
                quantity,
                metadata,
            });
        }
    }
    (f.ok()).then_some(lines)
}

/// A cart's name when the merchant gave none: its products, in order.
fn cart_title(lines: &[LineItem]) -> String {
    let names: Vec<&str> = lines.iter().map(|l| l.name.as_str()).collect();
    let title = names.join(", ");
    if title.chars().count() <= MAX_NAME {
        title
    } else {
        let cut: String = title.chars().take(MAX_NAME - 1).collect();
        format!("{cut}…")
    }
}

#[utoipa::path(
    post,
    operation_id = "create_checkout_session",
    path = "/checkout-sessions",
    tag = "Checkout sessions",
    request_body = CreateCheckoutSessionRequest,
    responses(
        (status = 201, description = "The new session", body = CheckoutSession),
        (status = 400, description = "Validation failed (details name the fields) or INVALID_REFERENCE for an unknown product_id, price_id, payment_link_id or coupon_code", body = checkout_core::wire::ErrorBody),
        (status = 401, description = "Missing, wrong or live API key", body = checkout_core::wire::ErrorBody)
    ),
    security(("api_key" = []))
)]
pub async fn create(
    State(state): State<AppState>,
    JsonObject(mut f): JsonObject,
) -> Result<Response> {
    f.refuse_misspellings::<CreateCheckoutSessionRequest>();
    let now = state.now();
    let product_id = f.uuid("product_id");
    // Without a currency the product's default price decides, else the merchant's XOF: the
    // generated SDK requires nothing, so a create may come without it.
    let currency_given = f.has("currency_code");
    let currency = if currency_given {
        f.currency("currency_code")
    } else {
        let product = match product_id.as_deref() {
            Some(id) => state.db().product(&state.merchant().id, id)?,
            None => None,
        };
        Some(default_currency(product.as_ref()))
    };
    let price_id = f.uuid("price_id");
    let amount = f.maybe_amount("amount", currency);
    let cart = read_line_items(&mut f);
    if cart.is_some() {
        for key in ["amount", "product_id", "price_id", "quantity"] {
            if f.has(key) {
                f.fail(
                    key,
                    "Not with line_items: the cart's lines say what is bought",
                );
            }
        }
    }
    if cart.is_none() && product_id.is_none() && !f.failed("product_id") && !f.has("amount") {
        f.fail("amount", "Required unless product_id is provided");
    }
    if f.has("price_id") && !f.has("product_id") {
        f.fail("price_id", "Requires product_id");
    }
    let quantity = f.count("quantity", 1, DEFAULT_MAX_QUANTITY).unwrap_or(1);
    let title = f.short_text("title", MAX_NAME);
    let description = f.text("description");
    let public_description = f.text("public_description");
    let description = description.or(public_description);
    let customer_id = f.uuid("customer_id");
    let customer_email = f.email("customer_email");
    let customer_name = f.short_text("customer_name", MAX_NAME);
    let country = state
        .merchant()
        .country
        .clone()
        .unwrap_or_else(|| "CI".to_string());
    let customer_phone = read_phone(&mut f, "customer_phone", &country);
    let subscription_id = f.uuid("subscription_id");
    let allow_quantity = f.bool("allow_quantity").unwrap_or(false);
    let allow_coupon_code = f.bool("allow_coupon_code").unwrap_or(false);
    let require_billing_address = f.bool("require_billing_address").unwrap_or(true);
    let success_url = f.url("success_url");
    let cancel_url = f.url("cancel_url");
    let payment_link_id = f.uuid("payment_link_id");
    let metadata = f.metadata("metadata");
    if cart.is_some() && allow_quantity {
        f.fail("allow_quantity", "A cart's quantities are set line by line");
    }
    let coupon_code = f.short_text("coupon_code", 64).map(|c| normalize_code(&c));
    if coupon_code.is_some() && !allow_coupon_code {
        f.fail("coupon_code", "Requires allow_coupon_code: true");
    }
    let expires_at = match f.timestamp("expires_at") {
        None => now + SESSION_LIFETIME,
        Some(at) if at > now && at <= now + MAX_LIFETIME => at,
        Some(_) => {
            f.fail(
                "expires_at",
                "Must be in the future and at most 24 hours away",
            );
            now + SESSION_LIFETIME
        }
    };
    f.finish()?;
    let Some(currency) = currency else {
        return Err(Error::invalid("Invalid request data"));
    };

    let db = state.db();
    let merchant = state.merchant();
    let mut product_title = None;
    let mut product_description = None;
    let mut lines = Vec::new();
    let mut cart_currency = None;
    if let Some(requested) = &cart {
        let given = currency_given.then_some(currency);
        let (priced, in_currency) = price_cart(&db, &merchant.id, requested, given)?;
        product_title = Some(cart_title(&priced));
        lines = priced;
        cart_currency = Some(in_currency);
    }
    let currency = cart_currency.unwrap_or(currency);
    let (unit_amount, chosen_price) = match product_id.as_deref() {
        None if !lines.is_empty() => (lines.iter().map(LineItem::amount).sum(), None),
        None => (amount.unwrap_or_default(), None),
        Some(id) => {
            let product = db.product(&merchant.id, id)?.ok_or_else(|| {
                Error::reference("product_id", format!("No product with id {id}"))
            })?;
            let price = resolve_price(&product, price_id.as_deref(), currency, false)?;
            if price.billing_interval.is_some() && (quantity != 1 || allow_quantity) {
                return Err(Error::invalid_field(
                    "quantity",
                    "A subscription bills one seat: quantity must be 1 and cannot be allowed to change",
                ));
            }
            let unit = match amount {
                None => price.amount,
                Some(a) if price.pay_what_you_want => {
                    let min = price.minimum_amount.unwrap_or(0);
                    let max = price.maximum_amount.unwrap_or(i64::MAX);
                    if a < min || a > max {
                        return Err(Error::invalid_field(
                            "amount",
                            "Must be within the price's minimum_amount and maximum_amount",
                        ));
                    }
                    a
                }
                Some(a) if a == price.amount => a,
                Some(_) => {
                    return Err(Error::invalid_field(
                        "amount",
                        format!(
                            "Must match the product's price ({}) or be omitted",
                            describe(price.amount, currency)
                        ),
                    ))
                }
            };
            product_title = Some(product.name.clone());
            product_description = product.description.clone();
            (unit, Some(price.id.clone()))
        }
    };
    let mut link_title = None;
    if let Some(link_id) = payment_link_id.as_deref() {
        let link = db.link(&merchant.id, link_id)?.ok_or_else(|| {
            Error::reference(
                "payment_link_id",
                format!("No payment link with id {link_id}"),
            )
        })?;
        link_title = Some(link.title);
    }
    if let Some(code) = coupon_code.as_deref() {
        if db.coupon_by_code(&merchant.id, code)?.is_none() {
            return Err(Error::reference(
                "coupon_code",
                format!("No coupon with code {code}"),
            ));
        }
    }

    let session = SessionRow {
        id: ids::session(),
        merchant_id: merchant.id.clone(),
        status: SessionStatus::Open,
        unit_amount,
        quantity,
        currency,
        // The page always has something to show as the order's name.
        title: title
            .or(product_title)
            .or(link_title)
            .unwrap_or_else(|| merchant.name.clone()),
        description: description.or(product_description),
        customer_id,
        customer_email,
        customer_name,
        customer_phone,
        product_id,
        price_id: chosen_price,
        subscription_id,
        payment_link_id,
        allow_quantity,
        allow_coupon_code,
        require_billing_address,
        success_url,
        cancel_url,
        metadata,
        coupon_code,
        transaction_id: None,
        demo_key: None,
        expires_at,
        created_at: now,
        // The customer's, recorded when they pay.
        billing: None,
        line_items: lines,
    };
    db.insert_session(&session)?;
    Ok(one(StatusCode::CREATED, &object(&state, &session)))
}

#[utoipa::path(
    get,
    operation_id = "get_checkout_session",
    path = "/checkout-sessions/{id}",
    tag = "Checkout sessions",
    params(
        ("id" = String, Path, description = "Checkout session id")
    ),
    responses(
        (status = 200, description = "The session; an open session past expires_at reads as expired", body = CheckoutSession),
        (status = 404, description = "No checkout session with this id", body = checkout_core::wire::ErrorBody),
        (status = 401, description = "Missing, wrong or live API key", body = checkout_core::wire::ErrorBody)
    ),
    security(("api_key" = []))
)]
pub async fn get(State(state): State<AppState>, Id(id): Id) -> Result<Response> {
    let db = state.db();
    // A payment that settled since the last read completes its session first.
    crate::domain::payments::outcome::settle(&db, &state)?;
    let session = db
        .session(&state.merchant().id, &id)?
        .ok_or_else(|| Error::not_found("Checkout session not found"))?;
    drop(db);
    Ok(one(StatusCode::OK, &object(&state, &session)))
}

#[utoipa::path(
    get,
    operation_id = "list_checkout_sessions",
    path = "/checkout-sessions",
    tag = "Checkout sessions",
    params(
        ("status" = Option<crate::storage::SessionStatus>, Query, description = "open, completed or expired"),
        ("payment_link_id" = Option<String>, Query, description = "Only the sessions started from this payment link (also paymentLinkId)", format = "uuid", pattern = r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$"),
        crate::http::query::PageQuery
    ),
    responses(
        (status = 200, description = "Sessions, newest first", body = CheckoutSessionList),
        (status = 400, description = "A filter value is invalid", body = checkout_core::wire::ErrorBody),
        (status = 401, description = "Missing, wrong or live API key", body = checkout_core::wire::ErrorBody)
    ),
    security(("api_key" = []))
)]
pub async fn list(State(state): State<AppState>, mut q: QueryParams) -> Result<Response> {
    let filter = SessionFilter {
        status: q.choice_of::<SessionStatus>(&["status"]),
        payment_link_id: q.uuid(&["payment_link_id", "paymentLinkId"]),
    };
    let page = q.page();
    q.finish()?;
    let db = state.db();
    crate::domain::payments::outcome::settle(&db, &state)?;
    let (sessions, total) = db.list_sessions(&state.merchant().id, &filter, state.now(), page)?;
    drop(db);
    let items: Vec<CheckoutSession> = sessions.iter().map(|s| object(&state, s)).collect();
    Ok(listing(&items, page.with_total(total)))
}
