//! The catalog: products and their prices, with lomi.'s field names. Product and plan links
//! and product sessions price from here.

use super::shape::{listing, metadata, money, one, time};
use crate::error::{Error, Result};
use crate::http::input::{Fields, Id, JsonObject};
use crate::http::query::QueryParams;
use crate::http::state::AppState;
use crate::ids;
use crate::names::Named;
use crate::storage::{PriceRow, ProductRow};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use checkout_core::calendar::BillingInterval;
use checkout_core::pricing::FirstPaymentType;

use checkout_core::{Currency, Money};
use serde::{Deserialize, Serialize};
use serde_json::{json, Number, Value};
use utoipa::ToSchema;

const MAX_PRICES: usize = 20;

#[derive(Serialize, ToSchema)]
pub struct Price {
    pub id: String,
    /// Same as `id`.
    pub price_id: String,
    pub product_id: String,
    pub organization_id: String,
    /// Major units; the suggested amount for pay-what-you-want.
    #[schema(value_type = f64, example = 5000)]
    pub amount: Number,
    pub currency_code: Currency,
    #[schema(example = "standard")]
    pub pricing_model: String,
    #[schema(value_type = Option<f64>)]
    pub minimum_amount: Option<Number>,
    #[schema(value_type = Option<f64>)]
    pub maximum_amount: Option<Number>,
    #[schema(example = "month")]
    pub billing_interval: Option<String>,
    pub is_default: bool,
    pub is_active: bool,
    #[schema(value_type = Option<Object>)]
    pub metadata: Option<Value>,
    #[schema(example = "test")]
    pub environment: String,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct Product {
    pub id: String,
    /// Same as `id`.
    pub product_id: String,
    pub merchant_id: String,
    pub organization_id: String,
    pub name: String,
    pub description: Option<String>,
    pub image_url: Option<String>,
    #[schema(example = "one_time")]
    pub product_type: String,
    pub is_active: bool,
    #[schema(example = "initial")]
    pub first_payment_type: String,
    pub trial_enabled: bool,
    pub trial_period_days: u32,
    #[schema(value_type = Option<Object>)]
    pub metadata: Option<Value>,
    pub prices: Vec<Price>,
    #[schema(example = "test")]
    pub environment: String,
    pub created_at: String,
    pub updated_at: String,
}

/// `pricing_model` of a price.
#[derive(Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PricingModelName {
    Standard,
    PayWhatYouWant,
}

/// `product_type` of a product.
#[derive(Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProductType {
    OneTime,
    Recurring,
}

/// One price of `POST /products`. Amounts are major units, greater than 0, whole in XOF, XAF
/// and GNF and with at most 2 decimals otherwise, at most 10^12 minor units.
#[derive(Deserialize, ToSchema)]
#[allow(dead_code)]
pub struct CreatePriceRequest {
    #[schema(value_type = f64, example = 5000, exclusive_minimum = 0)]
    amount: f64,
    currency_code: Currency,
    /// `standard` (default) or `pay_what_you_want` (one-time products only).
    pricing_model: Option<PricingModelName>,
    /// Required for pay-what-you-want (at most `amount`); refused on standard prices.
    #[schema(value_type = Option<f64>, exclusive_minimum = 0)]
    minimum_amount: Option<f64>,
    /// Pay-what-you-want only; at least `amount`.
    #[schema(value_type = Option<f64>, exclusive_minimum = 0)]
    maximum_amount: Option<f64>,
    /// Required on recurring products only.
    billing_interval: Option<BillingInterval>,
    is_default: Option<bool>,
}

impl CreatePriceRequest {
    /// What utoipa cannot say: per-currency decimals and maximum of each amount, and which
    /// bounds each pricing model takes. `minimum_amount <= amount <= maximum_amount` is
    /// checked by the server only (JSON Schema cannot compare two fields).
    pub fn conditions() -> Value {
        let mut all: Vec<Value> = ["amount", "minimum_amount", "maximum_amount"]
            .into_iter()
            .map(|field| crate::http::rules::currency_digits(field, "currency_code"))
            .collect();
        all.push(json!({
            "if": crate::http::rules::is("pricing_model", "pay_what_you_want"),
            "then": crate::http::rules::present(&["minimum_amount"]),
            "else": crate::http::rules::absent(&["minimum_amount", "maximum_amount"]),
        }));
        json!({ "allOf": all })
    }
}

#[derive(Deserialize, ToSchema)]
#[allow(dead_code)]
pub struct CreateProductRequest {
    /// Surrounding spaces are trimmed; control characters are refused.
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[^\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000](?:[^\u0000-\u001f\u007f-\u009f]*[^\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000])?[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    name: String,
    #[schema(max_length = 5000)]
    description: Option<String>,
    /// An absolute http(s) URL whose host is a domain name (letters, digits and inner hyphens
    /// between dots, the last label starting with a letter; international names are encoded
    /// as `xn--`) or an IP address. Stored and returned as the URL parser writes it.
    #[schema(
        max_length = 2048,
        pattern = r"^[Hh][Tt][Tt][Pp][Ss]?://(?:[^\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\\/?#]*@)?(?:\[[0-9A-Fa-f:.]+\]|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}|(?:(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?|[^\u0000-\u002c\u002e\u002f\u003a-\u0040\u005b-\u0060\u007b-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[^\u0000-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000][^\u0000-\u002c\u002e\u002f\u003a-\u0040\u005b-\u0060\u007b-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*)\.)*(?:[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?|[^\u0000-\u002c\u002e\u002f\u003a-\u0040\u005b-\u0060\u007b-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[^\u0000-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000][^\u0000-\u002c\u002e\u002f\u003a-\u0040\u005b-\u0060\u007b-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*))(?::0*(?:[1-5]?[0-9]{0,4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?(?:[/?#][^\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\\]*)?$"
    )]
    image_url: Option<String>,
    /// `one_time` (default) or `recurring`.
    product_type: Option<ProductType>,
    is_active: Option<bool>,
    /// `initial` (default) or `non_initial` (recurring only); `prorated` is not supported by
    /// the sandbox.
    first_payment_type: Option<FirstPaymentType>,
    /// Recurring products only; then `trial_period_days` is required.
    trial_enabled: Option<bool>,
    #[schema(minimum = 1, maximum = 730)]
    trial_period_days: Option<u32>,
    /// At most 50 keys.
    #[schema(value_type = Option<Object>)]
    metadata: Option<Value>,
    /// At most one price with `is_default: true`; none at all is allowed (add them later with
    /// `POST /prices`).
    #[schema(max_items = 20)]
    prices: Option<Vec<CreatePriceRequest>>,
}

impl CreateProductRequest {
    /// What utoipa cannot say: at most one default price; a trial needs its days; recurring
    /// products need a billing interval on each price and take no pay-what-you-want price;
    /// one-time products take no interval, no trial and no `non_initial` first payment.
    pub fn conditions() -> Value {
        use crate::http::rules::{absent, is, present};
        json!({
            "properties": {"prices": {
                "contains": {"type": "object", "required": ["is_default"], "properties": {"is_default": {"const": true}}},
                "minContains": 0,
                "maxContains": 1,
            }},
            "allOf": [
                {"if": is("trial_enabled", true), "then": present(&["trial_period_days"])},
                {"if": is("product_type", "recurring"),
                 "then": {"properties": {"prices": {"items": {"allOf": [
                     present(&["billing_interval"]),
                     {"not": is("pricing_model", "pay_what_you_want")},
                 ]}}}},
                 "else": {"allOf": [
                     {"properties": {"prices": {"items": absent(&["billing_interval"])}}},
                     {"not": is("trial_enabled", true)},
                     {"not": is("first_payment_type", "non_initial")},
                 ]}},
            ],
        })
    }
}

pub fn price_object(state: &AppState, p: &PriceRow) -> Price {
    Price {
        id: p.id.clone(),
        price_id: p.id.clone(),
        product_id: p.product_id.clone(),
        organization_id: state.merchant().organization_id.clone(),
        amount: money(p.amount, p.currency),
        currency_code: p.currency,
        pricing_model: if p.pay_what_you_want {
            "pay_what_you_want"
        } else {
            "standard"
        }
        .to_string(),
        minimum_amount: p.minimum_amount.map(|a| money(a, p.currency)),
        maximum_amount: p.maximum_amount.map(|a| money(a, p.currency)),
        billing_interval: p.billing_interval.map(Named::name),
        is_default: p.is_default,
        is_active: p.is_active,
        metadata: metadata(p.metadata.as_deref()),
        environment: "test".to_string(),
        created_at: time(p.created_at),
        updated_at: time(p.created_at),
    }
}

/// A page of the list route's answer.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ProductList {
    data: Vec<Product>,
    pagination: crate::http::query::Pagination,
}

pub fn object(state: &AppState, p: &ProductRow) -> Product {
    Product {
        id: p.id.clone(),
        product_id: p.id.clone(),
        merchant_id: p.merchant_id.clone(),
        organization_id: state.merchant().organization_id.clone(),
        name: p.name.clone(),
        description: p.description.clone(),
        image_url: p.image_url.as_deref().map(|u| state.absolute(u)),
        product_type: if p.recurring { "recurring" } else { "one_time" }.to_string(),
        is_active: p.is_active,
        first_payment_type: p.first_payment_type.name(),
        trial_enabled: p.trial_enabled,
        trial_period_days: p.trial_period_days,
        metadata: metadata(p.metadata.as_deref()),
        prices: p
            .prices
            .iter()
            .map(|price| price_object(state, price))
            .collect(),
        environment: "test".to_string(),
        created_at: time(p.created_at),
        updated_at: time(p.updated_at),
    }
}

/// Reads one element of `prices`; problems are reported under `prices[i].field`.
fn read_price(
    f: &mut Fields,
    index: usize,
    value: Value,
    recurring: Option<bool>,
    now: i64,
) -> Option<PriceRow> {
    let key = format!("prices[{index}]");
    let Value::Object(map) = value else {
        f.fail(
            &key,
            format!(
                "Expected object, received {}",
                crate::http::input::kind(&value)
            ),
        );
        return None;
    };
    let mut p = Fields::new(map);
    let price = price_fields(&mut p, recurring, now);
    let ok = p.ok();
    f.absorb(&key, p);
    price.filter(|_| ok)
}

/// A price's own fields (`amount`, `currency_code`, `pricing_model`, bounds, interval,
/// `is_default`), for a product's `prices[]` and for `POST /prices`. `recurring` is the
/// product's kind when known. `None` when a field was refused.
pub fn price_fields(p: &mut Fields, recurring: Option<bool>, now: i64) -> Option<PriceRow> {
    let currency = p.currency("currency_code");
    p.require("currency_code");
    let amount = p.maybe_amount("amount", currency);
    p.require("amount");
    let pwyw = p
        .choice(
            "pricing_model",
            &[("standard", false), ("pay_what_you_want", true)],
        )
        .unwrap_or(false);
    let minimum = p.maybe_amount("minimum_amount", currency);
    let maximum = p.maybe_amount("maximum_amount", currency);
    let interval = p.choice_of::<BillingInterval>("billing_interval");
    let is_default = p.bool("is_default").unwrap_or(false);
    if pwyw {
        p.require("minimum_amount");
        if recurring == Some(true) {
            p.fail(
                "pricing_model",
                "pay_what_you_want is for one_time products only",
            );
        }
        if let (Some(min), Some(a)) = (minimum, amount) {
            if min > a {
                p.fail("minimum_amount", "Must not exceed amount");
            }
        }
        if let (Some(max), Some(a)) = (maximum, amount) {
            if max < a {
                p.fail("maximum_amount", "Must not be below amount");
            }
        }
    } else {
        for k in ["minimum_amount", "maximum_amount"] {
            if p.has(k) {
                p.fail(k, "Only for the pay_what_you_want pricing model");
            }
        }
    }
    match recurring {
        Some(true) if !p.has("billing_interval") => {
            p.fail("billing_interval", "Required on recurring products")
        }
        Some(false) if p.has("billing_interval") => {
            p.fail("billing_interval", "Only on recurring products")
        }
        _ => {}
    }
    if !p.ok() {
        return None;
    }
    Some(PriceRow {
        id: ids::price(),
        product_id: String::new(),
        amount: amount?,
        currency: currency?,
        pay_what_you_want: pwyw,
        minimum_amount: if pwyw { minimum } else { None },
        maximum_amount: if pwyw { maximum } else { None },
        billing_interval: interval,
        is_default,
        is_active: true,
        metadata: None,
        created_at: now,
    })
}

#[utoipa::path(
    post,
    operation_id = "create_product",
    path = "/products",
    tag = "Products",
    request_body = CreateProductRequest,
    responses(
        (status = 201, description = "The new product", body = Product),
        (status = 400, description = "Validation failed; details name the fields", body = checkout_core::wire::ErrorBody),
        (status = 401, description = "Missing, wrong or live API key", body = checkout_core::wire::ErrorBody)
    ),
    security(("api_key" = []))
)]
pub async fn create(
    State(state): State<AppState>,
    JsonObject(mut f): JsonObject,
) -> Result<Response> {
    f.refuse_misspellings::<CreateProductRequest>();
    let now = state.now();
    let name = f.short_text("name", 200);
    f.require("name");
    let description = f.text("description");
    let image_url = f.url("image_url");
    let recurring = f.choice("product_type", &[("one_time", false), ("recurring", true)]);
    let recurring_known = if f.failed("product_type") {
        None
    } else {
        Some(recurring.unwrap_or(false))
    };
    let is_active = f.bool("is_active").unwrap_or(true);
    let first_payment_type = match f.string("first_payment_type").as_deref() {
        None => FirstPaymentType::Initial,
        Some("initial") => FirstPaymentType::Initial,
        Some("non_initial") => FirstPaymentType::NonInitial,
        Some("prorated") => {
            f.fail(
                "first_payment_type",
                "prorated is not supported by the sandbox: use initial or non_initial",
            );
            FirstPaymentType::Initial
        }
        Some(other) => {
            f.fail(
                "first_payment_type",
                crate::http::input::enum_message(&["initial", "non_initial", "prorated"], other),
            );
            FirstPaymentType::Initial
        }
    };
    let trial_enabled = f.bool("trial_enabled").unwrap_or(false);
    let trial_days = f.count("trial_period_days", 1, 730);
    if trial_enabled && !f.has("trial_period_days") {
        f.fail("trial_period_days", "Required when trial_enabled is true");
    }
    if trial_enabled && recurring_known == Some(false) {
        f.fail("trial_enabled", "Trials are for recurring products only");
    }
    if recurring_known == Some(false) && first_payment_type != FirstPaymentType::Initial {
        f.fail(
            "first_payment_type",
            "non_initial is for recurring products only",
        );
    }
    let metadata = f.metadata("metadata");
    let mut prices = Vec::new();
    // A product may come without prices, as lomi.'s API has it: `POST /prices` adds them.
    match f.array("prices") {
        None => {}
        Some(items) if items.len() > MAX_PRICES => f.fail(
            "prices",
            format!("Must contain at most {MAX_PRICES} prices"),
        ),
        Some(items) => {
            for (i, item) in items.into_iter().enumerate() {
                if let Some(p) = read_price(&mut f, i, item, recurring_known, now) {
                    prices.push(p);
                }
            }
        }
    }
    if prices.iter().filter(|p| p.is_default).count() > 1 {
        f.fail("prices", "At most one price can be the default");
    }
    f.finish()?;
    let Some(name) = name else {
        return Err(Error::invalid("Invalid request data"));
    };
    let id = ids::product();
    if !prices.iter().any(|p| p.is_default) {
        if let Some(first) = prices.first_mut() {
            first.is_default = true;
        }
    }
    for p in &mut prices {
        p.product_id = id.clone();
    }
    let product = ProductRow {
        id,
        merchant_id: state.merchant().id.clone(),
        name,
        description,
        image_url,
        recurring: recurring.unwrap_or(false),
        is_active,
        first_payment_type,
        trial_enabled,
        trial_period_days: if trial_enabled {
            trial_days.unwrap_or(0)
        } else {
            0
        },
        metadata,
        demo_key: None,
        created_at: now,
        updated_at: now,
        prices,
    };
    state.db().insert_product(&product)?;
    Ok(one(StatusCode::CREATED, &object(&state, &product)))
}

#[utoipa::path(
    get,
    operation_id = "get_product",
    path = "/products/{id}",
    tag = "Products",
    params(
        ("id" = String, Path, description = "Product id")
    ),
    responses(
        (status = 200, description = "The product with its prices", body = Product),
        (status = 404, description = "No product with this id", body = checkout_core::wire::ErrorBody),
        (status = 401, description = "Missing, wrong or live API key", body = checkout_core::wire::ErrorBody)
    ),
    security(("api_key" = []))
)]
pub async fn get(State(state): State<AppState>, Id(id): Id) -> Result<Response> {
    let product = state
        .db()
        .product(&state.merchant().id, &id)?
        .ok_or_else(|| Error::not_found("Product not found"))?;
    Ok(one(StatusCode::OK, &object(&state, &product)))
}

#[utoipa::path(
    get,
    operation_id = "list_products",
    path = "/products",
    tag = "Products",
    params(
        ("product_type" = Option<ProductType>, Query, description = "one_time or recurring"),
        ("is_active" = Option<bool>, Query, description = "Active status"),
        crate::http::query::PageQuery
    ),
    responses(
        (status = 200, description = "Products, newest first", body = ProductList),
        (status = 400, description = "A filter value is invalid", body = checkout_core::wire::ErrorBody),
        (status = 401, description = "Missing, wrong or live API key", body = checkout_core::wire::ErrorBody)
    ),
    security(("api_key" = []))
)]
pub async fn list(State(state): State<AppState>, mut q: QueryParams) -> Result<Response> {
    let recurring = q.choice(
        &["product_type", "productType"],
        &[("one_time", false), ("recurring", true)],
    );
    let is_active = q.bool(&["is_active", "isActive"]);
    let page = q.page();
    q.finish()?;
    let (products, total) =
        state
            .db()
            .list_products(&state.merchant().id, recurring, is_active, page)?;
    let items: Vec<Product> = products.iter().map(|p| object(&state, p)).collect();
    Ok(listing(&items, page.with_total(total)))
}

/// A price's amount as text for messages: `5000 XOF`.
pub fn describe(amount: i64, currency: Currency) -> String {
    format!("{} {currency}", Money::new(amount, currency).major_string())
}
