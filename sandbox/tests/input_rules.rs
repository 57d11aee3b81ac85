//! What the merchant API takes as an id, and what it does with a misspelled field: an id that
//! lomi.'s API takes as a UUID is refused with 400 naming the field when it is not one, in a
//! body or in a list's filter (in a path it names nothing: 404); `currency`, `productId`
//! and other near-misses of a known field are refused with 400 naming the field meant,
//! instead of being dropped without a word. The document says `format: uuid` for each id.

mod common;

use axum::http::StatusCode;
use lomi_sandbox::http::rules::UUID_PATTERN;
use serde_json::{json, Value};

/// A well-formed UUID no object has.
const UNKNOWN: &str = "00000000-0000-4000-8000-000000000000";

/// The messages of a 400 under `field`.
fn refused(r: &common::Reply, field: &str) -> Vec<String> {
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{field}: {}", r.text());
    let (_, details) = r.error();
    let messages = details[field]
        .as_array()
        .unwrap_or_else(|| panic!("{field} not named: {}", r.text()));
    messages
        .iter()
        .map(|m| m.as_str().unwrap().to_string())
        .collect()
}

fn says_uuid(r: &common::Reply, field: &str) {
    let messages = refused(r, field);
    assert!(
        messages.iter().any(|m| m.starts_with("Must be a UUID")),
        "{field}: {messages:?}"
    );
}

#[tokio::test]
async fn ids_in_bodies_must_be_uuids() {
    let app = common::app();
    let (product, price) = app.product("Pagne", 5000).await;
    let session = |extra: Value| {
        let mut body = json!({"amount": 1000, "currency_code": "XOF", "title": "Commande"});
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        body
    };
    for (body, field) in [
        (
            session(json!({"subscription_id": "sub_123"})),
            "subscription_id",
        ),
        (session(json!({"customer_id": "cus_42"})), "customer_id"),
        (
            session(json!({"payment_link_id": "pl_1"})),
            "payment_link_id",
        ),
        // Blank, padded, braced or without hyphens: not the UUID lomi.'s API takes.
        (session(json!({"subscription_id": ""})), "subscription_id"),
        (
            session(json!({"subscription_id": format!(" {UNKNOWN}")})),
            "subscription_id",
        ),
        (
            session(json!({"customer_id": format!("{{{UNKNOWN}}}")})),
            "customer_id",
        ),
        (
            session(json!({"customer_id": UNKNOWN.replace('-', "")})),
            "customer_id",
        ),
        (
            json!({"product_id": "prod_abc123", "currency_code": "XOF"}),
            "product_id",
        ),
        (
            json!({"product_id": product, "price_id": "price_1", "currency_code": "XOF"}),
            "price_id",
        ),
        (
            json!({"line_items": [{"price_id": "price_1"}]}),
            "line_items[0].price_id",
        ),
    ] {
        let r = app.post("/checkout-sessions", body.clone()).await;
        says_uuid(&r, field);
    }
    for (body, field) in [
        (
            json!({"link_type": "product", "title": "T", "product_id": "p1"}),
            "product_id",
        ),
        (
            json!({"link_type": "product", "title": "T", "product_id": product, "price_id": 7}),
            "price_id",
        ),
        (
            json!({"link_type": "plan", "title": "T", "plan_id": "plan_missing"}),
            "plan_id",
        ),
    ] {
        let r = app.post("/payment-links", body).await;
        if field == "price_id" {
            assert_eq!(refused(&r, field), ["Expected string, received number"]);
        } else {
            says_uuid(&r, field);
        }
    }
    let r = app
        .post(
            "/prices",
            json!({"product_id": "p1", "amount": 100, "currency_code": "XOF"}),
        )
        .await;
    says_uuid(&r, "product_id");
    let r = app
        .post(
            "/coupons",
            json!({"code": "IDS", "discount_type": "percentage", "discount_percentage": 5,
                   "product_ids": [product, "p2"]}),
        )
        .await;
    says_uuid(&r, "product_ids[1]");
    // Nothing was made by any of them.
    let sessions = app.get("/checkout-sessions").await;
    assert_eq!(sessions.json["pagination"]["total"], json!(0));

    // A UUID in capitals is a UUID: taken, and answered as the sandbox writes ids.
    let subscription = UNKNOWN.replace('4', "A").replace('0', "F");
    let r = app
        .post(
            "/checkout-sessions",
            json!({"product_id": product.to_uppercase(), "price_id": price.to_uppercase(),
                   "currency_code": "XOF", "subscription_id": subscription}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json["product_id"], json!(product));
    assert_eq!(
        r.json["subscription_id"],
        json!(subscription.to_lowercase())
    );
    let listed = app.get("/checkout-sessions").await;
    assert_eq!(
        listed.json["data"][0]["subscription_id"],
        json!(subscription.to_lowercase())
    );
}

#[tokio::test]
async fn id_filters_must_be_uuids() {
    let app = common::app();
    for (path, field) in [
        ("/transactions?customer_id=cus_1", "customer_id"),
        ("/transactions?customerId=cus_1", "customer_id"),
        (
            "/transactions?checkout_session_id=cs_1",
            "checkout_session_id",
        ),
        ("/transactions?payment_link_id=pl_1", "payment_link_id"),
        ("/checkout-sessions?payment_link_id=pl_1", "payment_link_id"),
        ("/prices?productId=prod_1", "product_id"),
        ("/webhook-delivery-logs?webhook_id=wh_1", "webhook_id"),
        ("/webhook-delivery-logs?event_id=evt_1", "event_id"),
        (
            "/v1/transactions?customer_id=%2000000000-0000-4000-8000-000000000000",
            "customer_id",
        ),
    ] {
        let r = app.get(path).await;
        says_uuid(&r, field);
    }
    // A UUID nothing has filters everything out.
    for path in [
        format!("/transactions?customer_id={UNKNOWN}"),
        format!("/checkout-sessions?payment_link_id={UNKNOWN}"),
        format!("/prices?product_id={}", UNKNOWN.to_uppercase()),
        format!("/webhook-delivery-logs?webhookId={UNKNOWN}"),
    ] {
        let r = app.get(&path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.text());
        assert_eq!(r.json["data"], json!([]), "{path}");
    }
}

#[tokio::test]
async fn an_id_in_a_path_that_is_not_a_uuid_names_nothing() {
    let app = common::app();
    for path in [
        "/checkout-sessions/not-a-uuid",
        "/payment-links/pl_1",
        "/products/prod_1",
        "/v1/transactions/tx_1",
    ] {
        let r = app.get(path).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(r.error().0, "NOT_FOUND");
    }
}

#[tokio::test]
async fn near_misses_of_known_fields_are_refused_and_others_ignored() {
    let app = common::app();
    let (product, _) = app.product("Pagne", 5000).await;
    // lomi.'s API reads `currency_code` only: `currency` would be dropped and the session
    // made in the default currency.
    let r = app
        .post(
            "/checkout-sessions",
            json!({"amount": 10, "currency": "USD", "title": "T"}),
        )
        .await;
    assert_eq!(
        refused(&r, "currency"),
        ["Unknown field: did you mean currency_code?"]
    );
    for (path, body, field, meant) in [
        (
            "/checkout-sessions",
            json!({"productId": product, "currency_code": "XOF"}),
            "productId",
            "product_id",
        ),
        (
            "/checkout-sessions",
            json!({"amount_cents": 1000, "amount": 10, "currency_code": "XOF"}),
            "amount_cents",
            "amount",
        ),
        (
            "/payment-links",
            json!({"title": "T", "amount": 1000, "curency_code": "XOF"}),
            "curency_code",
            "currency_code",
        ),
        (
            "/products",
            json!({"name": "N", "product_type": "one_time", "Description": "d"}),
            "Description",
            "description",
        ),
        (
            "/prices",
            json!({"product_id": product, "amount": 100, "currency_code": "XOF",
                   "pricing-model": "standard"}),
            "pricing-model",
            "pricing_model",
        ),
        (
            "/coupons",
            json!({"code": "NM", "discount_type": "percentage", "discount_percentage": 5,
                   "max_usses": 3}),
            "max_usses",
            "max_uses",
        ),
        (
            "/webhooks",
            json!({"url": "http://127.0.0.1:9/lomi", "authorized_event": ["PAYMENT_SUCCEEDED"]}),
            "authorized_event",
            "authorized_events",
        ),
    ] {
        let r = app.post(path, body.clone()).await;
        assert_eq!(
            refused(&r, field),
            [format!("Unknown field: did you mean {meant}?")],
            "{path} {body}"
        );
    }
    let products = app.get("/products").await;
    assert_eq!(products.json["pagination"]["total"], json!(1));

    // A field nothing known resembles (one of lomi.'s own models, say) is ignored.
    let r = app
        .post(
            "/checkout-sessions",
            json!({"amount": 1000, "currency_code": "XOF", "is_pos": false,
                   "installment_plan_id": UNKNOWN}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json["currency_code"], "XOF");
}

#[tokio::test]
async fn the_document_says_which_ids_are_uuids() {
    let app = common::app();
    let doc = app.public("GET", "/openapi.json", None).await.json;
    let uuid = |schema: &Value, what: &str| {
        assert_eq!(schema["format"], "uuid", "{what}: {schema}");
        assert_eq!(schema["pattern"], UUID_PATTERN, "{what}: {schema}");
    };
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    let mut seen = 0;
    for (name, schema) in schemas {
        if !name.ends_with("Request") {
            continue;
        }
        for (field, property) in schema["properties"].as_object().into_iter().flatten() {
            if field.ends_with("_id") {
                uuid(property, &format!("{name}.{field}"));
                seen += 1;
            }
        }
    }
    assert!(seen >= 10, "{seen}");
    uuid(
        &schemas["CreateCouponRequest"]["properties"]["product_ids"]["items"],
        "product_ids",
    );
    let mut filters = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for parameter in item["get"]["parameters"].as_array().into_iter().flatten() {
            let name = parameter["name"].as_str().unwrap();
            if parameter["in"] == "query" && name.ends_with("_id") {
                uuid(&parameter["schema"], &format!("{path}?{name}"));
                filters += 1;
            }
        }
    }
    // Seven filters, and a customer's transactions' two, at the bare paths and under /v1.
    assert_eq!(filters, 18);
}
