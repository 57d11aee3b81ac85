//! The catalog: products and their prices, with lomi.'s field names. Product and plan links
//! and product sessions price from here.

use super::shape::{metadata, money, time, Style};
use crate::error::{Error, Result};
use crate::http::input::{Fields, Id, JsonObject, QueryParams};
use crate::http::state::AppState;
use crate::ids;
use crate::names::Named;
use crate::storage::{PriceRow, ProductRow};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Extension;
use checkout_core::calendar::BillingInterval;
use checkout_core::pricing::FirstPaymentType;
use checkout_core::{Currency, Money};
use serde::Serialize;
use serde_json::{Number, Value};
use utoipa::ToSchema;

const MAX_PRICES: usize = 20;

#[derive(Serialize, ToSchema)]
pub struct Price {
    pub id: String,
    /// Same as `id`.
    pub price_id: String,
    pub product_id: String,
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
    pub created_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct Product {
    pub id: String,
    /// Same as `id`.
    pub product_id: String,
    pub merchant_id: String,
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

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct CreatePriceRequest {
    #[schema(value_type = f64, example = 5000)]
    amount: f64,
    #[schema(example = "XOF")]
    currency_code: String,
    /// `standard` (default) or `pay_what_you_want` (one-time products only).
    pricing_model: Option<String>,
    #[schema(value_type = Option<f64>)]
    minimum_amount: Option<f64>,
    #[schema(value_type = Option<f64>)]
    maximum_amount: Option<f64>,
    /// `day`, `week`, `month`, `quarter` or `year`; required on recurring products only.
    billing_interval: Option<String>,
    is_default: Option<bool>,
}

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct CreateProductRequest {
    name: String,
    description: Option<String>,
    image_url: Option<String>,
    /// `one_time` (default) or `recurring`.
    product_type: Option<String>,
    is_active: Option<bool>,
    /// `initial` (default) or `non_initial`; `prorated` is not supported by the sandbox.
    first_payment_type: Option<String>,
    trial_enabled: Option<bool>,
    trial_period_days: Option<u32>,
    #[schema(value_type = Option<Object>)]
    metadata: Option<Value>,
    prices: Vec<CreatePriceRequest>,
}

pub fn price_object(p: &PriceRow) -> Price {
    Price {
        id: p.id.clone(),
        price_id: p.id.clone(),
        product_id: p.product_id.clone(),
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
        created_at: time(p.created_at),
    }
}

/// A page of the list route's answer.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ProductList {
    data: Vec<Product>,
    pagination: crate::http::input::Pagination,
}

pub fn object(state: &AppState, p: &ProductRow) -> Product {
    Product {
        id: p.id.clone(),
        product_id: p.id.clone(),
        merchant_id: p.merchant_id.clone(),
        name: p.name.clone(),
        description: p.description.clone(),
        image_url: p.image_url.as_deref().map(|u| state.absolute(u)),
        product_type: if p.recurring { "recurring" } else { "one_time" }.to_string(),
        is_active: p.is_active,
        first_payment_type: p.first_payment_type.name(),
        trial_enabled: p.trial_enabled,
        trial_period_days: p.trial_period_days,
        metadata: metadata(p.metadata.as_deref()),
        prices: p.prices.iter().map(price_object).collect(),
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
    let ok = p.ok();
    f.absorb(&key, p);
    if !ok {
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
    Extension(style): Extension<Style>,
    JsonObject(mut f): JsonObject,
) -> Result<Response> {
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
    match f.array("prices") {
        None => f.require("prices"),
        Some(items) if items.is_empty() => f.fail("prices", "Must contain at least one price"),
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
    Ok(style.one(StatusCode::CREATED, &object(&state, &product)))
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
pub async fn get(
    State(state): State<AppState>,
    Extension(style): Extension<Style>,
    Id(id): Id,
) -> Result<Response> {
    let product = state
        .db()
        .product(&state.merchant().id, &id)?
        .ok_or_else(|| Error::not_found("Product not found"))?;
    Ok(style.one(StatusCode::OK, &object(&state, &product)))
}

#[utoipa::path(
    get,
    operation_id = "list_products",
    path = "/products",
    tag = "Products",
    params(
        ("product_type" = Option<String>, Query, description = "one_time or recurring"),
        ("is_active" = Option<bool>, Query, description = "Active status"),
        crate::http::input::PageQuery
    ),
    responses(
        (status = 200, description = "Products, newest first", body = ProductList),
        (status = 400, description = "A filter value is invalid", body = checkout_core::wire::ErrorBody),
        (status = 401, description = "Missing, wrong or live API key", body = checkout_core::wire::ErrorBody)
    ),
    security(("api_key" = []))
)]
pub async fn list(
    State(state): State<AppState>,
    Extension(style): Extension<Style>,
    mut q: QueryParams,
) -> Result<Response> {
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
    Ok(style.list(&items, page.with_total(total)))
}

/// A price's amount as text for messages: `5000 XOF`.
pub fn describe(amount: i64, currency: Currency) -> String {
    format!("{} {currency}", Money::new(amount, currency).major_string())
}
