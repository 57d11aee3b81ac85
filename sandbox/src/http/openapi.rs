//! `/openapi.json`: the sandbox's API described from its own Rust types, so the description
//! cannot drift from what the handlers accept and return.

use serde_json::Value;
use utoipa::openapi::path::{Operation, PathItem};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

struct ApiKeyScheme;

impl Modify for ApiKeyScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_key",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-API-Key",
                "The merchant's test key (lomi_sk_test_...); live keys are refused. \
                 X-Lomi-Api-Key and Authorization: Bearer carry it as well (lomi_api_key, bearer)",
            ))),
        );
        // lomi.'s guard reads the key from these too, after X-API-Key and in this order. The
        // operations name `api_key` only: schemathesis treats every scheme an operation lists
        // as required, even alternatives, and would fault a request that lacks one of them.
        components.add_security_scheme(
            "lomi_api_key",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-Lomi-Api-Key",
                "The test key, read when X-API-Key is absent or empty",
            ))),
        );
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "Authorization: Bearer <key> (exactly `Bearer `), read when neither \
                         X-API-Key nor X-Lomi-Api-Key carries a key",
                    ))
                    .build(),
            ),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "lomi. checkout sandbox",
        version = "1",
        description = "The merchant API of lomi.'s Payment Links and Checkout Sessions documentation, \
            plus the catalog (products, coupons), the public checkout API the hosted page calls \
            (including payments, simulated per provider) and the sandbox's test controls. \
            Merchant routes answer at the bare paths and under /v1 alike, with bare objects and \
            `{data, pagination}` lists, as lomi.'s API and its official SDKs do; each resource \
            also answers at its underscore spelling (/payment_links, /checkout_sessions, \
            /discount_coupons), and coupons at /discount-coupons. Every id is a UUID, and an id in \
            a body or a query that is not one is refused with 400 naming it (an id in a path \
            that is not one names nothing: 404). An unknown body field that looks like a known \
            one (`currency` for `currency_code`, `productId`) is refused with 400 naming both; \
            other unknown fields are ignored. Creates honour an Idempotency-Key header. The \
            test key goes in X-API-Key, X-Lomi-Api-Key or Authorization: Bearer, read in that \
            order as lomi.'s API does. Amounts on the merchant API are major units (15000 XOF, \
            15.99 USD); the public API's quotes are minor units."
    ),
    components(schemas(
        checkout_core::wire::ErrorBody,
        crate::storage::SessionStatus,
        crate::storage::TransactionStatus
    )),
    modifiers(&ApiKeyScheme),
    tags(
        (name = "Payment links", description = "Shareable links: instant, product and plan"),
        (name = "Checkout sessions", description = "One customer's checkout, open for 60 minutes"),
        (name = "Products", description = "The catalog links and sessions price from"),
        (name = "Prices", description = "A product's prices, created on their own"),
        (name = "Coupons", description = "Codes customers type on the page"),
        (name = "Transactions", description = "Every payment's outcome: gross, discount, fee, net"),
        (name = "Customers", description = "Who paid, one per email or phone, with their transactions"),
        (name = "Public checkout", description = "What the page calls, without a key"),
        (name = "Sandbox controls", description = "Settle a test payment from your CI, with your test key"),
    )
)]
struct ApiDoc;

/// The `/v1` copy of a merchant operation: the same answers, its own operation id.
fn v1_operation(op: &mut Operation) {
    if let Some(id) = &op.operation_id {
        op.operation_id = Some(format!("v1_{id}"));
    }
}

fn v1_item(item: &PathItem) -> PathItem {
    let mut item = item.clone();
    for op in [
        &mut item.get,
        &mut item.post,
        &mut item.patch,
        &mut item.delete,
        &mut item.put,
    ]
    .into_iter()
    .flatten()
    {
        v1_operation(op);
    }
    item
}

/// The document the routes were declared with, as served: the `/v1` copies of the merchant
/// routes get their own operation ids; each list
/// route documents one pagination style (the guides' `limit`/`offset` at the bare paths, the
/// v1 reference's `page`/`page_size` under `/v1`; the server takes either, never both at
/// once); the responses that name a resource link to the operations that take it
/// ([`crate::http::openapi_links`]); and the request schemas get the rules utoipa cannot
/// state, from the `conditions()` declared next to each request struct.
pub fn finish(mut doc: utoipa::openapi::OpenApi) -> Value {
    for (path, item) in doc.paths.paths.iter_mut() {
        if path.starts_with("/v1/") {
            *item = v1_item(item);
        }
    }
    let mut doc = serde_json::to_value(&doc).unwrap_or(Value::Null);
    one_pagination_style(&mut doc);
    path_ids(&mut doc);
    too_many_requests(&mut doc);
    crate::http::openapi_links::add(&mut doc);
    use crate::http::merchant::{checkout_sessions, coupons, link_requests, prices, products};
    let conditions = [
        (
            "CreateStandalonePriceRequest",
            prices::CreateStandalonePriceRequest::conditions(),
        ),
        (
            "CreateStandalonePriceRequest",
            crate::http::rules::metadata_keys(),
        ),
        (
            "CreatePriceRequest",
            products::CreatePriceRequest::conditions(),
        ),
        (
            "CreateProductRequest",
            products::CreateProductRequest::conditions(),
        ),
        (
            "CreatePaymentLinkRequest",
            link_requests::CreatePaymentLinkRequest::conditions(),
        ),
        (
            "CreateCheckoutSessionRequest",
            checkout_sessions::CreateCheckoutSessionRequest::conditions(),
        ),
        (
            "CreateCouponRequest",
            coupons::CreateCouponRequest::conditions(),
        ),
        (
            "PayRequest",
            crate::http::payments::pay_request_conditions(),
        ),
        ("AddPriceRequest", prices::AddPriceRequest::conditions()),
        ("AddPriceRequest", crate::http::rules::metadata_keys()),
        ("CreateProductRequest", crate::http::rules::metadata_keys()),
        (
            "CreatePaymentLinkRequest",
            crate::http::rules::metadata_keys(),
        ),
        (
            "UpdatePaymentLinkRequest",
            crate::http::rules::metadata_keys(),
        ),
        (
            "CreateCheckoutSessionRequest",
            crate::http::rules::metadata_keys(),
        ),
        (
            "CreateCouponRequest",
            serde_json::json!({"properties": {"product_ids": {"items": {
                "format": "uuid",
                "pattern": crate::http::rules::UUID_PATTERN,
            }}}}),
        ),
    ];
    if let Some(schemas) = doc.pointer_mut("/components/schemas") {
        for (name, fragment) in conditions {
            if let Some(schema) = schemas.get_mut(name) {
                merge(schema, fragment);
            }
        }
    }
    doc
}

/// Drops `page`/`page_size` from the bare list paths and `limit`/`offset` from the `/v1` ones.
fn one_pagination_style(doc: &mut Value) {
    let Some(Value::Object(paths)) = doc.get_mut("paths") else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let other_style: [&str; 2] = if path.starts_with("/v1/") {
            ["limit", "offset"]
        } else {
            ["page", "page_size"]
        };
        if let Some(Value::Array(params)) = item.pointer_mut("/get/parameters") {
            params.retain(|p| !(p["in"] == "query" && other_style.iter().any(|n| p["name"] == *n)));
        }
    }
}

/// What an `{id}` in a path looks like: the sandbox's ids are UUIDs or a prefix and hex digits
/// (`cs_…`, `pay_…`), so letters, digits, `-` and `_`. Anything else names nothing and answers
/// 404, like an unknown id.
const PATH_ID_PATTERN: &str = "^[A-Za-z0-9_-]{1,100}$";

/// Gives every `{id}` path parameter (and `{price_id}`, `{log_id}`) the shape of the
/// sandbox's ids.
fn path_ids(doc: &mut Value) {
    for (_, operation) in crate::http::openapi_links::operations_mut(doc) {
        let Some(Value::Array(params)) = operation.get_mut("parameters") else {
            continue;
        };
        for param in params.iter_mut() {
            let named_id = param["name"]
                .as_str()
                .is_some_and(|n| n == "id" || n.ends_with("_id"));
            if param["in"] == "path" && named_id {
                param["schema"] = serde_json::json!({
                    "type": "string",
                    "pattern": PATH_ID_PATTERN,
                });
            }
        }
    }
}

/// The 429 of the rate limits (`crate::http::rate_limit`): every public checkout operation
/// (per client address, per payment), and every merchant operation when the sandbox runs
/// with `--merchant-rate-limit`; the sandbox controls are never limited.
fn too_many_requests(doc: &mut Value) {
    for (path, operation) in crate::http::openapi_links::operations_mut(doc) {
        let public = path.starts_with("/api/");
        let merchant = !path.starts_with("/sandbox/")
            && operation["security"]
                .as_array()
                .is_some_and(|s| s.iter().any(|r| r.get("api_key").is_some()));
        let description = if public {
            "Too many requests from this address, or about this payment: wait `Retry-After` seconds (nothing was done)"
        } else if merchant {
            "The test key's rate limit (120 requests a minute, 20,000 a day) is spent, when the sandbox runs with --merchant-rate-limit: wait `Retry-After` seconds (nothing was done)"
        } else {
            continue;
        };
        let Some(Value::Object(responses)) = operation.get_mut("responses") else {
            continue;
        };
        responses.insert(
            "429".to_string(),
            serde_json::json!({
                "description": description,
                "headers": {
                    "Retry-After": {
                        "description": "Seconds to wait before trying again",
                        "required": true,
                        "schema": {"type": "integer", "minimum": 1},
                    },
                },
                "content": {"application/json": {"schema": {
                    "$ref": "#/components/schemas/ErrorBody",
                }}},
            }),
        );
    }
}

/// Adds `fragment` to `schema`: objects merge key by key, `allOf` lists are joined, any other
/// value replaces the one there.
fn merge(schema: &mut Value, fragment: Value) {
    match (schema, fragment) {
        (Value::Object(target), Value::Object(source)) => {
            for (key, value) in source {
                match (target.get_mut(&key), value) {
                    (Some(Value::Array(list)), Value::Array(more)) if key == "allOf" => {
                        list.extend(more)
                    }
                    (Some(existing), value) => merge(existing, value),
                    (None, value) => {
                        target.insert(key, value);
                    }
                }
            }
        }
        (slot, value) => *slot = value,
    }
}

/// The document's fixed parts: title, description, the key's security scheme, tags.
pub fn base() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}
