//! Prices as their own resource, as lomi.'s API and its generated SDK have them: a product is
//! created first (with or without prices), then priced with `POST /prices` and its
//! `product_id`.

use super::products::{price_fields, price_object, Price};
use super::shape::{listing, one};
use crate::error::{Error, Result};
use crate::http::input::{Id, Ids, JsonObject};
use crate::http::query::QueryParams;
use crate::http::state::AppState;
use crate::storage::ProductRow;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::Value;
use utoipa::ToSchema;

/// The body of `POST /prices`: one price of an existing product, with the fields of a
/// product's `prices[]` item.
#[derive(Deserialize, ToSchema)]
#[allow(dead_code)]
pub struct CreateStandalonePriceRequest {
    /// One of your products.
    #[schema(
        format = "uuid",
        pattern = r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$"
    )]
    product_id: String,
    #[schema(value_type = f64, example = 5000, exclusive_minimum = 0)]
    amount: f64,
    currency_code: checkout_core::Currency,
    /// `standard` (default) or `pay_what_you_want` (one-time products only).
    pricing_model: Option<super::products::PricingModelName>,
    #[schema(value_type = Option<f64>, exclusive_minimum = 0)]
    minimum_amount: Option<f64>,
    #[schema(value_type = Option<f64>, exclusive_minimum = 0)]
    maximum_amount: Option<f64>,
    /// Required on recurring products only.
    billing_interval: Option<checkout_core::calendar::BillingInterval>,
    /// `true` makes it the product's default price in place of the current one; a product's
    /// first price is its default.
    is_default: Option<bool>,
    /// At most 50 keys.
    #[schema(value_type = Option<Object>)]
    metadata: Option<Value>,
}

impl CreateStandalonePriceRequest {
    /// Per-currency decimals and the pricing models' bounds, as for a product's prices.
    pub fn conditions() -> Value {
        super::products::CreatePriceRequest::conditions()
    }
}

/// A page of the list route's answer.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct PriceList {
    data: Vec<Price>,
    pagination: crate::http::query::Pagination,
}

#[utoipa::path(
    post,
    operation_id = "create_price",
    path = "/prices",
    tag = "Prices",
    request_body = CreateStandalonePriceRequest,
    responses(
        (status = 201, description = "The new price", body = Price),
        (status = 400, description = "Validation failed (details name the fields) or INVALID_REFERENCE for an unknown product_id", body = checkout_core::wire::ErrorBody),
        (status = 401, description = "Missing, wrong or live API key", body = checkout_core::wire::ErrorBody)
    ),
    security(("api_key" = []))
)]
pub async fn create(
    State(state): State<AppState>,
    JsonObject(mut f): JsonObject,
) -> Result<Response> {
    f.refuse_misspellings::<CreateStandalonePriceRequest>();
    let product_id = f.uuid("product_id");
    f.require("product_id");
    // The product decides whether an interval is required; an unknown product is reported
    // once the body itself is valid.
    let product = match &product_id {
        Some(id) => state.db().product(&state.merchant().id, id)?,
        None => None,
    };
    add(&state, f, product).map_err(|error| match error {
        Refused::Invalid(error) => error,
        Refused::NoProduct => Error::reference(
            "product_id",
            format!("No product with id {}", product_id.unwrap_or_default()),
        ),
    })
}

enum Refused {
    Invalid(Error),
    NoProduct,
}

impl From<Error> for Refused {
    fn from(error: Error) -> Self {
        Refused::Invalid(error)
    }
}

/// Reads a price's fields from `f` and adds it to `product`: the product's first price is
/// its default, and `is_default: true` takes over from the current default.
fn add(
    state: &AppState,
    mut f: crate::http::input::Fields,
    product: Option<ProductRow>,
) -> std::result::Result<Response, Refused> {
    let now = state.now();
    let metadata = f.metadata("metadata");
    let recurring = product.as_ref().map(|p| p.recurring);
    let price = price_fields(&mut f, recurring, now);
    f.finish()?;
    let Some(product) = product else {
        return Err(Refused::NoProduct);
    };
    let Some(mut price) = price else {
        return Err(Error::invalid("Invalid request data").into());
    };
    price.product_id = product.id.clone();
    price.metadata = metadata;
    price.is_default = price.is_default || product.prices.is_empty();
    state.db().insert_price(&price).map_err(Error::from)?;
    Ok(one(StatusCode::CREATED, &price_object(state, &price)))
}

/// The body of `POST /products/{id}/prices`: `POST /prices`'s without `product_id`, which
/// the path names.
#[derive(Deserialize, ToSchema)]
#[allow(dead_code)]
pub struct AddPriceRequest {
    #[schema(value_type = f64, example = 5000, exclusive_minimum = 0)]
    amount: f64,
    currency_code: checkout_core::Currency,
    /// `standard` (default) or `pay_what_you_want` (one-time products only).
    pricing_model: Option<super::products::PricingModelName>,
    #[schema(value_type = Option<f64>, exclusive_minimum = 0)]
    minimum_amount: Option<f64>,
    #[schema(value_type = Option<f64>, exclusive_minimum = 0)]
    maximum_amount: Option<f64>,
    /// Required on recurring products only.
    billing_interval: Option<checkout_core::calendar::BillingInterval>,
    /// `true` makes it the product's default price in place of the current one; a product's
    /// first price is its default.
    is_default: Option<bool>,
    /// At most 50 keys.
    #[schema(value_type = Option<Object>)]
    metadata: Option<Value>,
}

impl AddPriceRequest {
    /// Per-currency decimals and the pricing models' bounds, as for a product's prices.
    pub fn conditions() -> Value {
        super::products::CreatePriceRequest::conditions()
    }
}

#[utoipa::path(
    post,
    operation_id = "add_product_price",
    path = "/products/{id}/prices",
    tag = "Prices",
    params(("id" = String, Path, description = "Product id")),
    request_body = AddPriceRequest,
    responses(
        (status = 201, description = "The new price of this product", body = Price),
        (status = 400, description = "Validation failed; details name the fields", body = checkout_core::wire::ErrorBody),
        (status = 404, description = "No product with this id", body = checkout_core::wire::ErrorBody),
        (status = 401, description = "Missing, wrong or live API key", body = checkout_core::wire::ErrorBody)
    ),
    security(("api_key" = []))
)]
pub async fn add_to_product(
    State(state): State<AppState>,
    Id(id): Id,
    JsonObject(mut f): JsonObject,
) -> Result<Response> {
    f.refuse_misspellings::<AddPriceRequest>();
    let Some(product) = state.db().product(&state.merchant().id, &id)? else {
        return Err(Error::not_found("Product not found"));
    };
    add(&state, f, Some(product)).map_err(|error| match error {
        Refused::Invalid(error) => error,
        Refused::NoProduct => Error::not_found("Product not found"),
    })
}

#[utoipa::path(
    post,
    operation_id = "set_default_price",
    path = "/products/{id}/prices/{price_id}/set-default",
    tag = "Prices",
    params(
        ("id" = String, Path, description = "Product id"),
        ("price_id" = String, Path, description = "One of this product's prices")
    ),
    responses(
        (status = 200, description = "The product, this price now its default (the only one)", body = super::products::Product),
        (status = 404, description = "No product with this id, or no such price of this product", body = checkout_core::wire::ErrorBody),
        (status = 409, description = "The price is inactive", body = checkout_core::wire::ErrorBody),
        (status = 401, description = "Missing, wrong or live API key", body = checkout_core::wire::ErrorBody)
    ),
    security(("api_key" = []))
)]
pub async fn set_default(
    State(state): State<AppState>,
    Ids(id, price_id): Ids,
) -> Result<Response> {
    let merchant = &state.merchant().id;
    let product = state.db().product(merchant, &id)?;
    let Some(product) = product else {
        return Err(Error::not_found("Product not found"));
    };
    let Some(price) = product.prices.iter().find(|p| p.id == price_id) else {
        return Err(Error::not_found(format!(
            "Price {price_id} is not a price of product {id}"
        )));
    };
    if !price.is_active {
        return Err(Error::conflict(
            "An inactive price cannot be the product's default",
        ));
    }
    state
        .db()
        .set_default_price(&product.id, &price_id, state.now())?;
    let product = state
        .db()
        .product(merchant, &id)?
        .ok_or_else(|| Error::not_found("Product not found"))?;
    Ok(one(
        StatusCode::OK,
        &super::products::object(&state, &product),
    ))
}

#[utoipa::path(
    get,
    operation_id = "get_price",
    path = "/prices/{id}",
    tag = "Prices",
    params(
        ("id" = String, Path, description = "Price id")
    ),
    responses(
        (status = 200, description = "The price", body = Price),
        (status = 404, description = "No price with this id", body = checkout_core::wire::ErrorBody),
        (status = 401, description = "Missing, wrong or live API key", body = checkout_core::wire::ErrorBody)
    ),
    security(("api_key" = []))
)]
pub async fn get(State(state): State<AppState>, Id(id): Id) -> Result<Response> {
    let price = state
        .db()
        .price(&state.merchant().id, &id)?
        .ok_or_else(|| Error::not_found("Price not found"))?;
    Ok(one(StatusCode::OK, &price_object(&state, &price)))
}

#[utoipa::path(
    get,
    operation_id = "list_prices",
    path = "/prices",
    tag = "Prices",
    params(
        ("product_id" = Option<String>, Query, description = "Only this product's prices (also productId)", format = "uuid", pattern = r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$"),
        crate::http::query::PageQuery
    ),
    responses(
        (status = 200, description = "Prices, newest first", body = PriceList),
        (status = 400, description = "A filter value is invalid", body = checkout_core::wire::ErrorBody),
        (status = 401, description = "Missing, wrong or live API key", body = checkout_core::wire::ErrorBody)
    ),
    security(("api_key" = []))
)]
pub async fn list(State(state): State<AppState>, mut q: QueryParams) -> Result<Response> {
    let product_id = q.uuid(&["product_id", "productId"]);
    let page = q.page();
    q.finish()?;
    let (rows, total) =
        state
            .db()
            .list_prices(&state.merchant().id, product_id.as_deref(), page)?;
    let items: Vec<Price> = rows.iter().map(|p| price_object(&state, p)).collect();
    Ok(listing(&items, page.with_total(total)))
}
