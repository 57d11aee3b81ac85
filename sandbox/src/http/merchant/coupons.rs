//! Coupons: codes customers type on the page. Codes are stored upper-cased and unique per
//! merchant; percentages are kept as basis points so the maths stays in integers.

use super::shape::{listing, money, one, time};
use crate::error::{Error, Result};
use crate::http::input::{Id, JsonObject};
use crate::http::query::QueryParams;
use crate::http::state::AppState;
use crate::ids;
use crate::names::Named;
use crate::storage::CouponRow;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use checkout_core::coupon::{normalize_code, CustomerType, DiscountRule};
use checkout_core::money::{format_decimal, parse_decimal};
use checkout_core::Currency;
use serde::{Deserialize, Serialize};
use serde_json::{json, Number, Value};
use std::str::FromStr;
use utoipa::ToSchema;

const MAX_CODE: usize = 64;

#[derive(Serialize, ToSchema)]
pub struct CouponObject {
    pub id: String,
    /// Same as `id`.
    pub coupon_id: String,
    pub merchant_id: String,
    pub organization_id: String,
    /// Upper-cased; customers may type it in any case.
    pub code: String,
    pub description: Option<String>,
    #[schema(example = "percentage")]
    pub discount_type: String,
    /// Percent off (0 < p <= 100) for percentage coupons.
    #[schema(value_type = Option<f64>, example = 10)]
    pub discount_percentage: Option<Number>,
    /// Major units off each unit for fixed coupons.
    #[schema(value_type = Option<f64>)]
    pub discount_fixed_amount: Option<Number>,
    pub currency_code: Option<Currency>,
    pub valid_from: Option<String>,
    pub expires_at: Option<String>,
    pub is_active: bool,
    pub max_uses: Option<u32>,
    pub current_uses: u32,
    pub max_quantity_per_use: Option<u32>,
    pub is_organization_wide: bool,
    pub product_ids: Vec<String>,
    #[schema(example = "all")]
    pub customer_type: String,
    #[schema(example = "test")]
    pub environment: String,
    pub created_at: String,
    pub updated_at: String,
}

/// `discount_type` of a coupon.
#[derive(Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DiscountType {
    Percentage,
    Fixed,
}

#[derive(Deserialize, ToSchema)]
#[allow(dead_code)]
pub struct CreateCouponRequest {
    /// Letters, digits, `-` and `_`; stored upper-case. A code already used answers 409.
    #[schema(
        example = "WELCOME10",
        max_length = 64,
        pattern = r"^[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[A-Za-z0-9_-]{1,64}[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    code: String,
    discount_type: DiscountType,
    /// Percentage discounts: more than 0, at most 100, at most 2 decimals.
    #[schema(value_type = Option<f64>, example = 10, exclusive_minimum = 0, maximum = 100, multiple_of = 0.01)]
    discount_percentage: Option<f64>,
    /// Fixed discounts: major units, greater than 0, exact in `currency_code`.
    #[schema(value_type = Option<f64>, exclusive_minimum = 0)]
    discount_fixed_amount: Option<f64>,
    /// Required for fixed discounts, refused on percentage ones.
    currency_code: Option<Currency>,
    #[schema(value_type = Option<String>, format = DateTime)]
    valid_from: Option<String>,
    /// After `valid_from`.
    #[schema(value_type = Option<String>, format = DateTime)]
    expires_at: Option<String>,
    is_active: Option<bool>,
    #[schema(minimum = 1, maximum = 1000000000)]
    max_uses: Option<u32>,
    #[schema(minimum = 1, maximum = 1000000)]
    max_quantity_per_use: Option<u32>,
    /// Default true, or false when `product_ids` is given.
    is_organization_wide: Option<bool>,
    /// Your products' ids (unknown ids answer 400 `INVALID_REFERENCE`, as the seeds document).
    product_ids: Option<Vec<String>>,
    /// `all` (default), `new` or `returning`.
    customer_type: Option<CustomerType>,
    #[schema(max_length = 5000)]
    description: Option<String>,
}

impl CreateCouponRequest {
    /// What utoipa cannot say: each discount type's required and refused fields, the fixed
    /// amount's per-currency decimals, and `product_ids` against `is_organization_wide`.
    /// `expires_at` after `valid_from` is checked by the server only.
    pub fn conditions() -> Value {
        use crate::http::rules::{absent, currency_digits, is, present};
        json!({"allOf": [
            {"if": is("discount_type", "percentage"),
             "then": {"allOf": [present(&["discount_percentage"]), absent(&["discount_fixed_amount", "currency_code"])]},
             "else": {"allOf": [
                 present(&["discount_fixed_amount", "currency_code"]),
                 absent(&["discount_percentage"]),
                 currency_digits("discount_fixed_amount", "currency_code"),
             ]}},
            {"if": is("is_organization_wide", true),
             "then": {"properties": {"product_ids": {"anyOf": [{"type": "null"}, {"maxItems": 0}]}}}},
            {"if": is("is_organization_wide", false),
             "then": {"required": ["product_ids"], "properties": {"product_ids": {"type": "array", "minItems": 1}}}},
        ]})
    }
}

/// A page of the list route's answer.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct CouponList {
    data: Vec<CouponObject>,
    pagination: crate::http::query::Pagination,
}

pub fn object(state: &AppState, c: &CouponRow) -> CouponObject {
    let (kind, percentage, fixed) = match c.discount {
        DiscountRule::Percentage { basis_points } => {
            let text = format_decimal(i64::from(basis_points), 2);
            let text = text.trim_end_matches('0').trim_end_matches('.');
            ("percentage", Number::from_str(text).ok(), None)
        }
        DiscountRule::Fixed { amount } => (
            "fixed",
            None,
            Some(match c.currency {
                Some(currency) => money(amount, currency),
                None => Number::from(amount),
            }),
        ),
    };
    CouponObject {
        id: c.id.clone(),
        coupon_id: c.id.clone(),
        merchant_id: state.merchant().id.clone(),
        organization_id: state.merchant().organization_id.clone(),
        code: c.code.clone(),
        description: c.description.clone(),
        discount_type: kind.to_string(),
        discount_percentage: percentage,
        discount_fixed_amount: fixed,
        currency_code: c.currency,
        valid_from: c.valid_from.map(time),
        expires_at: c.expires_at.map(time),
        is_active: c.is_active,
        max_uses: c.max_uses,
        current_uses: c.current_uses,
        max_quantity_per_use: c.max_quantity_per_use,
        is_organization_wide: c.is_organization_wide,
        product_ids: c.product_ids.clone(),
        customer_type: c.customer_type.name(),
        environment: "test".to_string(),
        created_at: time(c.created_at),
        updated_at: time(c.updated_at),
    }
}

#[utoipa::path(
    post,
    operation_id = "create_coupon",
    path = "/coupons",
    tag = "Coupons",
    request_body = CreateCouponRequest,
    responses(
        (status = 201, description = "The new coupon", body = CouponObject),
        (status = 400, description = "Validation failed; details name the fields", body = checkout_core::wire::ErrorBody),
        (status = 409, description = "A coupon with this code already exists", body = checkout_core::wire::ErrorBody),
        (status = 401, description = "Missing, wrong or live API key", body = checkout_core::wire::ErrorBody)
    ),
    security(("api_key" = []))
)]
pub async fn create(
    State(state): State<AppState>,
    JsonObject(mut f): JsonObject,
) -> Result<Response> {
    f.refuse_misspellings::<CreateCouponRequest>();
    let now = state.now();
    let code = f.short_text("code", MAX_CODE).map(|c| normalize_code(&c));
    f.require("code");
    if let Some(c) = &code {
        if !c
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_')
        {
            f.fail("code", "Must contain only letters, digits, - and _");
        }
    }
    let fixed = f.choice("discount_type", &[("percentage", false), ("fixed", true)]);
    f.require("discount_type");
    let currency = f.currency("currency_code");
    let mut discount = None;
    match fixed {
        Some(false) => {
            f.require("discount_percentage");
            if let Some(n) = f.number("discount_percentage") {
                match parse_decimal(&n.to_string(), 2) {
                    Ok(bp) if bp > 0 && bp <= 10_000 => {
                        discount = Some(DiscountRule::Percentage {
                            basis_points: bp as u32,
                        })
                    }
                    _ => f.fail(
                        "discount_percentage",
                        "Must be greater than 0 and at most 100, with at most 2 decimals",
                    ),
                }
            }
            for k in ["discount_fixed_amount", "currency_code"] {
                if f.has(k) {
                    f.fail(k, "Only for fixed discounts");
                }
            }
        }
        Some(true) => {
            f.require("discount_fixed_amount");
            f.require("currency_code");
            if let Some(amount) = f.maybe_amount("discount_fixed_amount", currency) {
                discount = Some(DiscountRule::Fixed { amount });
            }
            if f.has("discount_percentage") {
                f.fail("discount_percentage", "Only for percentage discounts");
            }
        }
        None => {}
    }
    let valid_from = f.timestamp("valid_from");
    let expires_at = f.timestamp("expires_at");
    if let (Some(from), Some(to)) = (valid_from, expires_at) {
        if to <= from {
            f.fail("expires_at", "Must be after valid_from");
        }
    }
    let is_active = f.bool("is_active").unwrap_or(true);
    let max_uses = f.count("max_uses", 1, 1_000_000_000);
    let max_quantity_per_use = f.count("max_quantity_per_use", 1, 1_000_000);
    let product_ids = f.uuids("product_ids").unwrap_or_default();
    let org_wide = f.bool("is_organization_wide");
    let is_organization_wide = match org_wide {
        Some(true) if !product_ids.is_empty() => {
            f.fail(
                "is_organization_wide",
                "Cannot be true when product_ids is given",
            );
            true
        }
        Some(false) if product_ids.is_empty() => {
            f.fail("product_ids", "Required when is_organization_wide is false");
            false
        }
        Some(v) => v,
        None => product_ids.is_empty(),
    };
    let customer_type = f
        .choice_of::<CustomerType>("customer_type")
        .unwrap_or_default();
    let description = f.text("description");
    f.finish()?;
    let (Some(code), Some(discount)) = (code, discount) else {
        return Err(Error::invalid("Invalid request data"));
    };

    let db = state.db();
    let merchant_id = state.merchant().id.clone();
    for id in &product_ids {
        if db.product(&merchant_id, id)?.is_none() {
            return Err(Error::reference(
                "product_ids",
                format!("No product with id {id}"),
            ));
        }
    }
    if db.coupon_by_code(&merchant_id, &code)?.is_some() {
        return Err(duplicate(&code));
    }
    let coupon = CouponRow {
        id: ids::coupon(),
        merchant_id,
        code,
        description,
        currency: if matches!(discount, DiscountRule::Fixed { .. }) {
            currency
        } else {
            None
        },
        discount,
        valid_from,
        expires_at,
        is_active,
        max_uses,
        current_uses: 0,
        max_quantity_per_use,
        is_organization_wide,
        product_ids: if is_organization_wide {
            Vec::new()
        } else {
            product_ids
        },
        customer_type,
        demo_key: None,
        created_at: now,
        updated_at: now,
    };
    match db.insert_coupon(&coupon) {
        Ok(()) => Ok(one(StatusCode::CREATED, &object(&state, &coupon))),
        // Two requests racing past the check above meet the UNIQUE constraint instead.
        Err(rusqlite::Error::SqliteFailure(e, _))
            if e.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            Err(duplicate(&coupon.code))
        }
        Err(e) => Err(e.into()),
    }
}

fn duplicate(code: &str) -> Error {
    Error::conflict(format!("A coupon with code {code} already exists")).with_details(
        crate::error::Details::from([("code".to_string(), vec!["Already exists".to_string()])]),
    )
}

#[utoipa::path(
    get,
    operation_id = "get_coupon",
    path = "/coupons/{id}",
    tag = "Coupons",
    params(
        ("id" = String, Path, description = "Coupon id")
    ),
    responses(
        (status = 200, description = "The coupon", body = CouponObject),
        (status = 404, description = "No coupon with this id", body = checkout_core::wire::ErrorBody),
        (status = 401, description = "Missing, wrong or live API key", body = checkout_core::wire::ErrorBody)
    ),
    security(("api_key" = []))
)]
pub async fn get(State(state): State<AppState>, Id(id): Id) -> Result<Response> {
    let coupon = state
        .db()
        .coupon(&state.merchant().id, &id)?
        .ok_or_else(|| Error::not_found("Coupon not found"))?;
    Ok(one(StatusCode::OK, &object(&state, &coupon)))
}

#[utoipa::path(
    get,
    operation_id = "list_coupons",
    path = "/coupons",
    tag = "Coupons",
    params(
        ("is_active" = Option<bool>, Query, description = "Active status"),
        crate::http::query::PageQuery
    ),
    responses(
        (status = 200, description = "Coupons, newest first", body = CouponList),
        (status = 400, description = "A filter value is invalid", body = checkout_core::wire::ErrorBody),
        (status = 401, description = "Missing, wrong or live API key", body = checkout_core::wire::ErrorBody)
    ),
    security(("api_key" = []))
)]
pub async fn list(State(state): State<AppState>, mut q: QueryParams) -> Result<Response> {
    let is_active = q.bool(&["is_active", "isActive"]);
    let page = q.page();
    q.finish()?;
    let (coupons, total) = state
        .db()
        .list_coupons(&state.merchant().id, is_active, page)?;
    let items: Vec<CouponObject> = coupons.iter().map(|c| object(&state, c)).collect();
    Ok(listing(&items, page.with_total(total)))
}

/// What a coupon brought in one currency.
#[derive(Serialize, ToSchema)]
pub struct CurrencyPerformance {
    pub currency_code: Currency,
    pub total_uses: u64,
    /// Major units: the discounts customers saw.
    #[schema(value_type = f64, example = 1500)]
    pub total_discount_amount: Number,
    /// Major units: what those customers paid.
    #[schema(value_type = f64, example = 13500)]
    pub total_revenue: Number,
    /// `total_revenue / total_uses`, rounded to the currency's minor unit.
    #[schema(value_type = f64, example = 13500)]
    pub average_order_value: Number,
}

/// lomi.'s coupon performance, from the completed transactions that used the code.
#[derive(Serialize, ToSchema)]
pub struct CouponPerformance {
    pub coupon_id: String,
    pub code: String,
    /// Completed transactions that used the code, in every currency.
    pub total_uses: u64,
    /// The currency of the three amounts below: the transactions' own, or the coupon's when
    /// none used it yet. When they are in several currencies it is `null`, so are the three
    /// amounts, and `by_currency` has each currency's.
    pub currency_code: Option<Currency>,
    #[schema(value_type = Option<f64>, example = 1500)]
    pub total_discount_amount: Option<Number>,
    #[schema(value_type = Option<f64>, example = 13500)]
    pub total_revenue: Option<Number>,
    #[schema(value_type = Option<f64>, example = 13500)]
    pub average_order_value: Option<Number>,
    /// The same figures per currency, the most used first.
    pub by_currency: Vec<CurrencyPerformance>,
}

fn performance(coupon: &CouponRow, totals: &[crate::storage::CouponTotals]) -> CouponPerformance {
    let by_currency: Vec<CurrencyPerformance> = totals
        .iter()
        .map(|t| {
            let uses = i64::try_from(t.uses.max(1)).unwrap_or(i64::MAX);
            CurrencyPerformance {
                currency_code: t.currency,
                total_uses: t.uses,
                total_discount_amount: money(t.discount, t.currency),
                total_revenue: money(t.revenue, t.currency),
                average_order_value: money((t.revenue + uses / 2) / uses, t.currency),
            }
        })
        .collect();
    let total_uses = totals.iter().map(|t| t.uses).sum();
    let (currency_code, discount, revenue, average) = match by_currency.as_slice() {
        [] => (
            coupon.currency,
            Some(Number::from(0)),
            Some(Number::from(0)),
            Some(Number::from(0)),
        ),
        [one] => (
            Some(one.currency_code),
            Some(one.total_discount_amount.clone()),
            Some(one.total_revenue.clone()),
            Some(one.average_order_value.clone()),
        ),
        _ => (None, None, None, None),
    };
    CouponPerformance {
        coupon_id: coupon.id.clone(),
        code: coupon.code.clone(),
        total_uses,
        currency_code,
        total_discount_amount: discount,
        total_revenue: revenue,
        average_order_value: average,
        by_currency,
    }
}

#[utoipa::path(
    get,
    operation_id = "get_coupon_performance",
    path = "/coupons/{id}/performance",
    tag = "Coupons",
    params(
        ("id" = String, Path, description = "Coupon id")
    ),
    responses(
        (status = 200, description = "Uses, discounts given and revenue, from the completed transactions that used the code", body = CouponPerformance),
        (status = 404, description = "No coupon with this id", body = checkout_core::wire::ErrorBody),
        (status = 401, description = "Missing, wrong or live API key", body = checkout_core::wire::ErrorBody)
    ),
    security(("api_key" = []))
)]
pub async fn get_performance(State(state): State<AppState>, Id(id): Id) -> Result<Response> {
    let db = state.db();
    crate::domain::payments::outcome::settle(&db, &state)?;
    let merchant = &state.merchant().id;
    let coupon = db
        .coupon(merchant, &id)?
        .ok_or_else(|| Error::not_found("Coupon not found"))?;
    let totals = db.coupon_totals(merchant, &coupon.code)?;
    drop(db);
    Ok(one(StatusCode::OK, &performance(&coupon, &totals)))
}
