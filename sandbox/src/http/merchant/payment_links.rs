//! Payment links: `instant` (a fixed amount), `product` (a catalog price) and `plan` (a
//! recurring price). The guides call the amount `amount` and the description `description`;
//! the v1 reference says `price` and `public_description`. Both are read and both written.

use super::link_requests::{CreatePaymentLinkRequest, UpdatePaymentLinkRequest};
use super::shape::{listing, metadata, money, one, time};
use crate::domain::catalog::{default_currency, resolve_price};
use crate::error::{Error, Result};
use crate::http::input::{enum_message, Fields, Id, JsonObject};
use crate::http::query::QueryParams;
use crate::http::state::AppState;
use crate::ids;
use crate::names::Named;
use crate::storage::{Db, LinkFilter, LinkRow, LinkType, PriceRow, ProductRow};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use checkout_core::wire::Provider;
use checkout_core::Currency;
use serde::Serialize;
use serde_json::{Number, Value};
use utoipa::ToSchema;

const MAX_TITLE: usize = 200;

/// The payment link object, with both spellings where the seeds disagree.
#[derive(Serialize, ToSchema)]
pub struct PaymentLink {
    pub id: String,
    /// Same as `id` (the v1 reference's name).
    pub link_id: String,
    pub merchant_id: String,
    pub organization_id: String,
    #[schema(example = "instant")]
    pub link_type: String,
    /// The customer-facing page: `{public_url}/{link_type}/{id}`.
    pub url: String,
    pub title: String,
    pub description: Option<String>,
    /// Same as `description`.
    pub public_description: Option<String>,
    /// For the merchant only; never shown to customers.
    pub private_description: Option<String>,
    /// Instant links' amount in major units.
    #[schema(value_type = Option<f64>, example = 15000)]
    pub amount: Option<Number>,
    /// Same as `amount`.
    #[schema(value_type = Option<f64>, example = 15000)]
    pub price: Option<Number>,
    pub currency_code: Currency,
    pub product_id: Option<String>,
    pub product_name: Option<String>,
    #[schema(value_type = Option<f64>)]
    pub product_price: Option<Number>,
    pub price_id: Option<String>,
    pub plan_id: Option<String>,
    pub plan_name: Option<String>,
    #[schema(value_type = Option<f64>)]
    pub plan_amount: Option<Number>,
    /// Plan links' billing interval.
    pub billing_interval: Option<String>,
    /// `null` means the merchant's enabled providers.
    pub allowed_providers: Option<Vec<Provider>>,
    pub allow_quantity: bool,
    pub allow_coupon_code: bool,
    pub require_billing_address: bool,
    pub is_active: bool,
    pub expires_at: Option<String>,
    pub success_url: Option<String>,
    pub cancel_url: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub metadata: Option<Value>,
    #[schema(example = "test")]
    pub environment: String,
    pub created_at: String,
    pub updated_at: String,
}

const PATCHABLE: [&str; 11] = [
    "title",
    "description",
    "public_description",
    "private_description",
    "is_active",
    "expires_at",
    "success_url",
    "cancel_url",
    "allowed_providers",
    "allow_coupon_code",
    "metadata",
];

/// What would change the price or the kind of a link: a new link is needed instead.
const FIXED_AFTER_CREATION: [&str; 13] = [
    "link_type",
    "amount",
    "price",
    "currency_code",
    "product_id",
    "price_id",
    "plan_id",
    "allow_quantity",
    "require_billing_address",
    "merchant_id",
    "organization_id",
    "id",
    "link_id",
];

/// A page of the list route's answer.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct PaymentLinkList {
    data: Vec<PaymentLink>,
    pagination: crate::http::query::Pagination,
}

pub fn object(state: &AppState, link: &LinkRow, product: Option<&ProductRow>) -> PaymentLink {
    let price: Option<&PriceRow> = product.and_then(|p| {
        link.price_id
            .as_deref()
            .and_then(|id| p.prices.iter().find(|x| x.id == id))
    });
    let price_number = price.map(|p| money(p.amount, p.currency));
    let amount = link.amount.map(|a| money(a, link.currency));
    let (product_name, product_price, plan_name, plan_amount) = match link.link_type {
        LinkType::Instant => (None, None, None, None),
        LinkType::Product => (product.map(|p| p.name.clone()), price_number, None, None),
        LinkType::Plan => (None, None, product.map(|p| p.name.clone()), price_number),
    };
    let merchant = state.merchant();
    PaymentLink {
        id: link.id.clone(),
        link_id: link.id.clone(),
        merchant_id: merchant.id.clone(),
        organization_id: merchant.organization_id.clone(),
        link_type: link.link_type.name(),
        url: format!(
            "{}/{}/{}",
            state.public_url(),
            link.link_type.name(),
            link.id
        ),
        title: link.title.clone(),
        description: link.description.clone(),
        public_description: link.description.clone(),
        private_description: link.private_description.clone(),
        price: amount.clone(),
        amount,
        currency_code: link.currency,
        // A plan link's product too: the generated SDK knows no plan_id.
        product_id: link.catalog_product_id().map(str::to_string),
        product_name,
        product_price,
        price_id: link.price_id.clone(),
        plan_id: link.plan_id.clone(),
        plan_name,
        plan_amount,
        billing_interval: match link.link_type {
            LinkType::Plan => price.and_then(|p| p.billing_interval).map(Named::name),
            _ => None,
        },
        allowed_providers: link.allowed_providers.clone().filter(|p| !p.is_empty()),
        allow_quantity: link.allow_quantity,
        allow_coupon_code: link.allow_coupon_code,
        require_billing_address: link.require_billing_address,
        is_active: link.is_active,
        expires_at: link.expires_at.map(time),
        success_url: link.success_url.clone(),
        cancel_url: link.cancel_url.clone(),
        metadata: metadata(link.metadata.as_deref()),
        environment: "test".to_string(),
        created_at: time(link.created_at),
        updated_at: time(link.updated_at),
    }
}

fn product_of(db: &Db, state: &AppState, link: &LinkRow) -> Result<Option<ProductRow>> {
    match link.catalog_product_id() {
        Some(id) => Ok(db.product(&state.merchant().id, id)?),
        None => Ok(None),
    }
}

/// Reads `allowed_providers`: codes checked against lomi.'s list and the merchant's enabled
/// providers; an empty list or `null` means "the merchant's".
fn read_providers(f: &mut Fields, state: &AppState) -> Option<Vec<Provider>> {
    let codes = match f.raw("allowed_providers") {
        Some(Value::String(text)) => text
            .split(',')
            .map(|code| code.trim_matches(' ').to_string())
            .filter(|code| !code.is_empty())
            .collect(),
        _ => f.strings("allowed_providers")?,
    };
    let mut providers = Vec::new();
    for code in codes {
        match Provider::parse(&code) {
            Some(p) if !state.merchant().providers.contains(&p) => f.fail(
                "allowed_providers",
                format!("{} is not enabled for this merchant", p.code()),
            ),
            Some(p) => {
                if !providers.contains(&p) {
                    providers.push(p);
                }
            }
            None => {
                let names: Vec<&str> = Provider::ALL.iter().map(|p| p.code()).collect();
                f.fail("allowed_providers", enum_message(&names, &code));
            }
        }
    }
    (!providers.is_empty()).then_some(providers)
}

/// An expiry. A link created already expired is a mistake; an update to a past time is how a
/// merchant ends a link at a given time (`is_active: false` ends it now).
fn read_expiry(f: &mut Fields, now: i64, future_only: bool) -> Option<i64> {
    let at = f.timestamp("expires_at")?;
    if future_only && at <= now {
        f.fail("expires_at", "Must be in the future");
        return None;
    }
    Some(at)
}

/// The single amount read from `amount` and/or `price`, which must agree when both are sent.
fn read_amount(f: &mut Fields, currency: Option<Currency>) -> Option<i64> {
    let amount = f.maybe_amount("amount", currency);
    let price = f.maybe_amount("price", currency);
    match (amount, price) {
        (Some(a), Some(p)) if a != p => {
            f.fail("price", "Must equal amount when both are given");
            None
        }
        (a, p) => a.or(p),
    }
}

fn read_description(f: &mut Fields) -> Option<String> {
    let description = f.text("description");
    let public = f.text("public_description");
    match (description, public) {
        (Some(d), Some(p)) if d != p => {
            f.fail(
                "public_description",
                "Must equal description when both are given",
            );
            None
        }
        (d, p) => d.or(p),
    }
}

#[utoipa::path(
    post,
    operation_id = "create_payment_link",
    path = "/payment-links",
    tag = "Payment links",
    request_body = CreatePaymentLinkRequest,
    responses(
        (status = 201, description = "The new link", body = PaymentLink),
        (status = 400, description = "Validation failed (details name the fields) or INVALID_REFERENCE for an unknown product_id/plan_id", body = checkout_core::wire::ErrorBody),
        (status = 401, description = "Missing, wrong or live API key", body = checkout_core::wire::ErrorBody)
    ),
    security(("api_key" = []))
)]
pub async fn create(
    State(state): State<AppState>,
    JsonObject(mut f): JsonObject,
) -> Result<Response> {
    f.refuse_misspellings::<CreatePaymentLinkRequest>();
    let now = state.now();
    // The generated SDK requires nothing: a link without a type sells its product, or its
    // amount.
    let link_type = if f.has("link_type") {
        f.choice_of::<LinkType>("link_type")
    } else if f.has("plan_id") {
        Some(LinkType::Plan)
    } else if f.has("product_id") {
        Some(LinkType::Product)
    } else {
        Some(LinkType::Instant)
    };
    let title = f.short_text("title", MAX_TITLE);
    f.require("title");
    let mut product_id = f.uuid("product_id");
    let price_id = f.uuid("price_id");
    let mut plan_id = f.uuid("plan_id");
    // A plan link may name its recurring product as product_id, as the generated SDK can only.
    let plan_by_product = link_type == Some(LinkType::Plan) && !f.has("plan_id");
    if plan_by_product {
        plan_id = product_id.take();
    }
    // Without a currency the product's default price decides, else XOF.
    let currency = if f.has("currency_code") {
        f.currency("currency_code")
    } else {
        let product = match plan_id.as_deref().or(product_id.as_deref()) {
            Some(id) => state.db().product(&state.merchant().id, id)?,
            None => None,
        };
        Some(default_currency(product.as_ref()))
    };
    let amount = read_amount(&mut f, currency);
    let description = read_description(&mut f);
    let private_description = f.text("private_description");
    let allowed_providers = read_providers(&mut f, &state);
    let allow_quantity = f.bool("allow_quantity").unwrap_or(false);
    let allow_coupon_code = f.bool("allow_coupon_code").unwrap_or(false);
    let require_billing_address = f.bool("require_billing_address").unwrap_or(true);
    let is_active = f.bool("is_active").unwrap_or(true);
    let expires_at = read_expiry(&mut f, now, true);
    let success_url = f.url("success_url");
    let cancel_url = f.url("cancel_url");
    let metadata = f.metadata("metadata");

    // The conditional rules of the v1 reference: each type names what it needs.
    let priced_by_amount = f.has("amount") || f.has("price");
    match link_type {
        Some(LinkType::Instant) => {
            if !priced_by_amount {
                f.fail("amount", "Required for instant links (or send price)");
            }
            for key in ["product_id", "plan_id", "price_id"] {
                if f.has(key) {
                    f.fail(key, "Not allowed on instant links");
                }
            }
        }
        Some(LinkType::Product) => {
            f.require("product_id");
            for key in ["amount", "price"] {
                if f.has(key) {
                    f.fail(
                        key,
                        "Not allowed on product links: the amount comes from the product's price",
                    );
                }
            }
            if f.has("plan_id") {
                f.fail("plan_id", "Not allowed on product links");
            }
        }
        Some(LinkType::Plan) => {
            if plan_by_product && !f.has("product_id") {
                f.fail(
                    "plan_id",
                    "Required: the recurring product's id (also read from product_id)",
                );
            } else if !plan_by_product {
                f.require("plan_id");
            }
            for key in ["amount", "price"] {
                if f.has(key) {
                    f.fail(
                        key,
                        "Not allowed on plan links: the amount comes from the plan's price",
                    );
                }
            }
            if f.has("product_id") && !plan_by_product {
                f.fail(
                    "product_id",
                    "Not allowed with plan_id: name the recurring product once",
                );
            }
            if allow_quantity {
                f.fail(
                    "allow_quantity",
                    "Plan links bill one subscription: quantity cannot be changed",
                );
            }
        }
        None => {}
    }
    f.finish()?;
    let (Some(link_type), Some(title), Some(currency)) = (link_type, title, currency) else {
        return Err(Error::invalid("Invalid request data"));
    };

    let db = state.db();
    let merchant_id = state.merchant().id.clone();
    let (product, chosen_price) = match link_type {
        LinkType::Instant => (None, None),
        LinkType::Product | LinkType::Plan => {
            let (field, id) = if link_type == LinkType::Plan {
                let field = if plan_by_product {
                    "product_id"
                } else {
                    "plan_id"
                };
                (field, plan_id.as_deref())
            } else {
                ("product_id", product_id.as_deref())
            };
            let id = id.unwrap_or_default();
            let product = db
                .product(&merchant_id, id)?
                .ok_or_else(|| Error::reference(field, format!("No product with id {id}")))?;
            if link_type == LinkType::Plan && !product.recurring {
                return Err(Error::reference(
                    field,
                    format!("{field} must name a product with a recurring price"),
                ));
            }
            let price = resolve_price(
                &product,
                price_id.as_deref(),
                currency,
                link_type == LinkType::Plan,
            )?
            .id
            .clone();
            (Some(product), Some(price))
        }
    };

    let link = LinkRow {
        id: ids::uuid(),
        merchant_id,
        link_type,
        title,
        description,
        private_description,
        amount: if link_type == LinkType::Instant {
            amount
        } else {
            None
        },
        currency,
        product_id: if link_type == LinkType::Product {
            product_id
        } else {
            None
        },
        price_id: chosen_price,
        plan_id: if link_type == LinkType::Plan {
            plan_id
        } else {
            None
        },
        allowed_providers,
        allow_quantity,
        allow_coupon_code,
        require_billing_address,
        is_active,
        expires_at,
        success_url,
        cancel_url,
        metadata,
        demo_key: None,
        created_at: now,
        updated_at: now,
    };
    db.insert_link(&link)?;
    Ok(one(
        StatusCode::CREATED,
        &object(&state, &link, product.as_ref()),
    ))
}

#[utoipa::path(
    get,
    operation_id = "get_payment_link",
    path = "/payment-links/{id}",
    tag = "Payment links",
    params(
        ("id" = String, Path, description = "Payment link id")
    ),
    responses(
        (status = 200, description = "The link", body = PaymentLink),
        (status = 404, description = "No payment link with this id", body = checkout_core::wire::ErrorBody),
        (status = 401, description = "Missing, wrong or live API key", body = checkout_core::wire::ErrorBody)
    ),
    security(("api_key" = []))
)]
pub async fn get(State(state): State<AppState>, Id(id): Id) -> Result<Response> {
    let db = state.db();
    let link = db.link(&state.merchant().id, &id)?.ok_or_else(not_found)?;
    let product = product_of(&db, &state, &link)?;
    Ok(one(
        StatusCode::OK,
        &object(&state, &link, product.as_ref()),
    ))
}

fn not_found() -> Error {
    Error::not_found("Payment link not found")
}

#[utoipa::path(
    patch,
    operation_id = "update_payment_link",
    path = "/payment-links/{id}",
    tag = "Payment links",
    params(
        ("id" = String, Path, description = "Payment link id")
    ),
    request_body = UpdatePaymentLinkRequest,
    responses(
        (status = 200, description = "The updated link", body = PaymentLink),
        (status = 400, description = "A field that cannot change, or an invalid value", body = checkout_core::wire::ErrorBody),
        (status = 404, description = "No payment link with this id", body = checkout_core::wire::ErrorBody),
        (status = 401, description = "Missing, wrong or live API key", body = checkout_core::wire::ErrorBody)
    ),
    security(("api_key" = []))
)]
pub async fn update(
    State(state): State<AppState>,
    Id(id): Id,
    JsonObject(mut f): JsonObject,
) -> Result<Response> {
    let now = state.now();
    for key in f.keys() {
        if PATCHABLE.contains(&key.as_str()) {
            continue;
        }
        if FIXED_AFTER_CREATION.contains(&key.as_str()) {
            f.fail(
                &key,
                "Cannot be changed after creation: create a new link instead",
            );
        } else {
            f.fail(&key, "Unknown field: a payment link update may change only title, description, private_description, is_active, expires_at, success_url, cancel_url, allowed_providers, allow_coupon_code and metadata");
        }
    }
    let title = f.short_text("title", MAX_TITLE);
    if f.contains("title") && title.is_none() && !f.failed("title") {
        f.fail("title", "Must not be null or blank");
    }
    let set_description = f.contains("description") || f.contains("public_description");
    let description = read_description(&mut f);
    let set_private = f.contains("private_description");
    let private_description = f.text("private_description");
    let is_active = f.bool("is_active");
    if f.contains("is_active") && !f.has("is_active") {
        f.fail("is_active", "Expected boolean, received null");
    }
    let expires_at = read_expiry(&mut f, now, false);
    let success_url = f.url("success_url");
    let cancel_url = f.url("cancel_url");
    let allowed_providers = read_providers(&mut f, &state);
    let allow_coupon_code = f.bool("allow_coupon_code");
    if f.contains("allow_coupon_code") && !f.has("allow_coupon_code") {
        f.fail("allow_coupon_code", "Expected boolean, received null");
    }
    let metadata = f.metadata("metadata");
    let sent = |key: &str| f.contains(key);
    let (set_expiry, set_success, set_cancel, set_providers, set_metadata) = (
        sent("expires_at"),
        sent("success_url"),
        sent("cancel_url"),
        sent("allowed_providers"),
        sent("metadata"),
    );
    f.finish()?;

    let db = state.db();
    let mut link = db.link(&state.merchant().id, &id)?.ok_or_else(not_found)?;
    // A key sent as null clears the value; a key left out keeps it.
    if let Some(title) = title {
        link.title = title;
    }
    if set_description {
        link.description = description;
    }
    if set_private {
        link.private_description = private_description;
    }
    if let Some(active) = is_active {
        link.is_active = active;
    }
    if set_expiry {
        link.expires_at = expires_at;
    }
    if set_success {
        link.success_url = success_url;
    }
    if set_cancel {
        link.cancel_url = cancel_url;
    }
    if set_providers {
        link.allowed_providers = allowed_providers;
    }
    if let Some(allow) = allow_coupon_code {
        link.allow_coupon_code = allow;
    }
    if set_metadata {
        link.metadata = metadata;
    }
    link.updated_at = now;
    db.update_link(&link)?;
    let product = product_of(&db, &state, &link)?;
    Ok(one(
        StatusCode::OK,
        &object(&state, &link, product.as_ref()),
    ))
}

#[utoipa::path(
    delete,
    operation_id = "delete_payment_link",
    path = "/payment-links/{id}",
    tag = "Payment links",
    params(
        ("id" = String, Path, description = "Payment link id")
    ),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No payment link with this id", body = checkout_core::wire::ErrorBody),
        (status = 401, description = "Missing, wrong or live API key", body = checkout_core::wire::ErrorBody)
    ),
    security(("api_key" = []))
)]
pub async fn delete(State(state): State<AppState>, Id(id): Id) -> Result<Response> {
    if state.db().delete_link(&state.merchant().id, &id)? {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(not_found())
    }
}

#[utoipa::path(
    get,
    operation_id = "list_payment_links",
    path = "/payment-links",
    tag = "Payment links",
    params(
        ("link_type" = Option<LinkType>, Query, description = "product, plan or instant (also linkType)"),
        ("currency_code" = Option<Currency>, Query, description = "Currency code, exactly as listed"),
        ("is_active" = Option<bool>, Query, description = "Active status (also isActive)"),
        ("include_expired" = Option<bool>, Query, description = "Include expired links, default false"),
        crate::http::query::PageQuery
    ),
    responses(
        (status = 200, description = "Links, newest first", body = PaymentLinkList),
        (status = 400, description = "A filter value is invalid", body = checkout_core::wire::ErrorBody),
        (status = 401, description = "Missing, wrong or live API key", body = checkout_core::wire::ErrorBody)
    ),
    security(("api_key" = []))
)]
pub async fn list(State(state): State<AppState>, mut q: QueryParams) -> Result<Response> {
    let filter = LinkFilter {
        link_type: q.choice_of::<LinkType>(&["link_type", "linkType"]),
        currency: q.currency(&["currency_code", "currencyCode"]),
        is_active: q.bool(&["is_active", "isActive"]),
        include_expired: q
            .bool(&["include_expired", "includeExpired"])
            .unwrap_or(false),
    };
    let page = q.page();
    q.finish()?;
    let db = state.db();
    let (links, total) = db.list_links(&state.merchant().id, &filter, state.now(), page)?;
    let items = links
        .iter()
        .map(|link| {
            Ok(object(
                &state,
                link,
                product_of(&db, &state, link)?.as_ref(),
            ))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(listing(&items, page.with_total(total)))
}
