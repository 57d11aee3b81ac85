//! The merchant API: every curl example of the seeds against the sandbox, each documented
//! error, and the rules around them.

mod common;

use axum::http::StatusCode;
use common::{app, pay_body, start_time, BASE};
use serde_json::{json, Value};

const SESSION_EXAMPLE: &str = r#"{
    "amount": 10000,
    "currency_code": "XOF",
    "title": "Order #12345",
    "description": "Payment for items in cart",
    "customer_email": "customer@example.com",
    "success_url": "https://your-site.com/success",
    "cancel_url": "https://your-site.com/cancel",
    "metadata": {
      "order_id": "ORD-12345"
    }
  }"#;

fn is_hex(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_hexdigit())
}

fn is_uuid_v4(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 5
        && [8, 4, 4, 4, 12]
            .iter()
            .zip(&parts)
            .all(|(n, p)| p.len() == *n && is_hex(p))
        && parts[2].starts_with('4')
}

// ---- checkout-sessions.txt ----------------------------------------------------------------

#[tokio::test]
async fn seed_create_checkout_session_curl() {
    let app = app();
    // The seed's curl spells the header X-API-KEY.
    let r = app
        .send(
            "POST",
            "/checkout-sessions",
            &[
                ("X-API-KEY", &app.key),
                ("Content-Type", "application/json"),
            ],
            Some(SESSION_EXAMPLE),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let s = &r.json;
    let id = s["id"].as_str().unwrap();
    assert!(is_uuid_v4(id), "{id}");
    assert_eq!(s["checkout_session_id"], json!(id));
    assert_eq!(s["checkout_url"], json!(format!("{BASE}/checkout/{id}")));
    assert_eq!(s["status"], "open");
    assert_eq!(s["amount"], json!(10000));
    assert_eq!(s["currency_code"], "XOF");
    assert_eq!(s["title"], "Order #12345");
    assert_eq!(s["description"], "Payment for items in cart");
    assert_eq!(s["customer_email"], "customer@example.com");
    assert_eq!(s["created_at"], "2026-01-15T10:30:00Z");
    assert_eq!(s["expires_at"], "2026-01-15T11:30:00Z");
    assert_eq!(s["transaction_id"], Value::Null);
    assert_eq!(s["metadata"], json!({"order_id": "ORD-12345"}));
    assert_eq!(s["quantity"], json!(1));
    assert_eq!(s["success_url"], "https://your-site.com/success");

    // The v1 path answers the same bare object, as lomi.'s API and both SDKs have it.
    let r = app
        .send(
            "POST",
            "/v1/checkout-sessions",
            &[
                ("x-api-key", &app.key),
                ("content-type", "application/json"),
            ],
            Some(SESSION_EXAMPLE),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(r.json.get("success"), None);
    assert!(is_uuid_v4(r.json["id"].as_str().unwrap()));
    assert_eq!(r.json["title"], "Order #12345");
}

#[tokio::test]
async fn seed_list_and_get_checkout_sessions_curl() {
    let app = app();
    let created = app
        .post(
            "/checkout-sessions",
            serde_json::from_str(SESSION_EXAMPLE).unwrap(),
        )
        .await;
    let id = created.json["id"].as_str().unwrap().to_string();

    let r = app.get("/checkout-sessions?status=open&limit=20").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json["data"][0]["id"], json!(id));
    assert_eq!(r.json["pagination"]["total"], json!(1));
    assert_eq!(r.json["pagination"]["limit"], json!(20));
    assert_eq!(r.json["pagination"]["offset"], json!(0));

    let r = app.get(&format!("/checkout-sessions/{id}")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json["status"], "open");

    let r = app.get("/checkout-sessions/cs_abc123...").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.error().0, "NOT_FOUND");

    let r = app.get("/v1/checkout-sessions?status=open").await;
    assert_eq!(r.json.get("success"), None);
    assert_eq!(r.json["data"][0]["id"], json!(id));
    // The generated SDK's spelling, and its sort.
    let r = app
        .get("/v1/checkout_sessions?sort=created_at%3Aasc&limit=5")
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json["data"][0]["checkout_session_id"], json!(id));
    let r = app.get(&format!("/checkout_sessions/{id}")).await;
    assert_eq!(r.json["id"], json!(id));
}

#[tokio::test]
async fn session_amount_is_the_subtotal_and_products_price_it() {
    let app = app();
    let (product, price) = app.product("Pagne", 5000).await;
    // The SDK example: product-based checkout with quantity 2.
    let r = app
        .post(
            "/checkout-sessions",
            json!({
                "product_id": product, "currency_code": "XOF", "quantity": 2,
                "allow_coupon_code": true, "success_url": "https://your-site.com/success"
            }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json["amount"], json!(10000));
    assert_eq!(r.json["unit_amount"], json!(5000));
    assert_eq!(r.json["quantity"], json!(2));
    assert_eq!(r.json["product_id"], json!(product));
    assert_eq!(r.json["price_id"], json!(price));
    assert_eq!(
        r.json["title"], "Pagne",
        "the product names an untitled session"
    );

    let r = app
        .post(
            "/checkout-sessions",
            json!({"amount": 2500, "currency_code": "XOF", "quantity": 3,
                   "customer_phone": "07 08 09 10 11"}),
        )
        .await;
    assert_eq!(r.json["amount"], json!(7500));
    assert_eq!(
        r.json["customer_phone"], "+2250708091011",
        "stored in E.164"
    );

    // An amount that contradicts the product's price.
    let r = app
        .post(
            "/checkout-sessions",
            json!({"product_id": product, "currency_code": "XOF", "amount": 1}),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.error().1["amount"].is_array());

    let r = app
        .post(
            "/checkout-sessions",
            json!({"product_id": "00000000-0000-4000-8000-000000000000", "currency_code": "XOF"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let (code, details) = r.error();
    assert_eq!(code, "INVALID_REFERENCE");
    assert!(details["product_id"].is_array());

    let r = app
        .post(
            "/checkout-sessions",
            json!({"product_id": product, "currency_code": "USD"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.error().1["currency_code"].is_array());
}

#[tokio::test]
async fn session_validation() {
    let app = app();
    let cases = [
        (json!({"currency_code": "XOF"}), "amount"),
        (json!({"amount": 1000.5}), "amount"),
        (
            json!({"amount": 1000, "currency_code": "ABC"}),
            "currency_code",
        ),
        (json!({"amount": 1000.5, "currency_code": "XOF"}), "amount"),
        (json!({"amount": 0, "currency_code": "XOF"}), "amount"),
        (json!({"amount": -5, "currency_code": "XOF"}), "amount"),
        (json!({"amount": "1000", "currency_code": "XOF"}), "amount"),
        (
            json!({"amount": 1000, "currency_code": "XOF", "quantity": 0}),
            "quantity",
        ),
        (
            json!({"amount": 1000, "currency_code": "XOF", "quantity": 1.5}),
            "quantity",
        ),
        (
            json!({"amount": 1000, "currency_code": "XOF", "quantity": 100}),
            "quantity",
        ),
        (
            json!({"amount": 1000, "currency_code": "XOF", "customer_email": "awa"}),
            "customer_email",
        ),
        (
            json!({"amount": 1000, "currency_code": "XOF", "customer_phone": "call me"}),
            "customer_phone",
        ),
        (
            json!({"amount": 1000, "currency_code": "XOF", "customer_phone": "0708"}),
            "customer_phone",
        ),
        (
            json!({"amount": 1000, "currency_code": "XOF", "success_url": "javascript:alert(1)"}),
            "success_url",
        ),
        (
            json!({"amount": 1000, "currency_code": "XOF", "cancel_url": "data://evil"}),
            "cancel_url",
        ),
        (
            json!({"amount": 1000, "currency_code": "XOF", "metadata": "x"}),
            "metadata",
        ),
        (
            json!({"amount": 1000, "currency_code": "XOF", "price_id": "price_1"}),
            "price_id",
        ),
        (
            json!({"amount": 1000, "currency_code": "XOF", "coupon_code": "WELCOME10"}),
            "coupon_code",
        ),
        (
            json!({"amount": 1000, "currency_code": "XOF", "allow_quantity": "yes"}),
            "allow_quantity",
        ),
    ];
    for (body, field) in cases {
        let r = app.post("/checkout-sessions", body.clone()).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{body}: {}", r.text());
        let (code, details) = r.error();
        assert_eq!(code, "INVALID_REQUEST", "{body}");
        assert!(
            details[field].is_array(),
            "{body} should name {field}: {details}"
        );
    }
    let r = app
        .post(
            "/checkout-sessions",
            json!({"amount": 1000, "currency_code": "XOF", "payment_link_id": "00000000-0000-4000-8000-000000000000"}),
        )
        .await;
    assert_eq!(r.error().0, "INVALID_REFERENCE");
    let r = app
        .post(
            "/checkout-sessions",
            json!({"amount": 1000, "currency_code": "XOF", "allow_coupon_code": true, "coupon_code": "NOPE"}),
        )
        .await;
    assert_eq!(r.error().0, "INVALID_REFERENCE");
}

#[tokio::test]
async fn sessions_expire_after_sixty_minutes() {
    let app = app();
    let r = app
        .post(
            "/checkout-sessions",
            json!({"amount": 1000, "currency_code": "XOF"}),
        )
        .await;
    let id = r.json["id"].as_str().unwrap().to_string();
    app.advance(59 * 60);
    assert_eq!(
        app.get(&format!("/checkout-sessions/{id}")).await.json["status"],
        "open"
    );
    app.advance(60);
    let r = app.get(&format!("/checkout-sessions/{id}")).await;
    assert_eq!(r.json["status"], "expired");
    let ids = |r: &common::Reply| -> Vec<String> {
        r.json["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        ids(&app.get("/checkout-sessions?status=expired").await),
        vec![id.clone()]
    );
    assert!(ids(&app.get("/checkout-sessions?status=open").await).is_empty());
    assert!(ids(&app.get("/checkout-sessions?status=completed").await).is_empty());

    // Expired sessions stay unpaid.
    let r = app
        .pay("sessions", &id, "late", pay_body(Some("STRIPE"), ""))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    assert_eq!(
        app.get(&format!("/checkout-sessions/{id}")).await.json["status"],
        "expired"
    );
    let r = app
        .post(
            "/checkout-sessions",
            json!({"amount": 1000, "currency_code": "XOF", "require_billing_address": false}),
        )
        .await;
    let paid = r.json["id"].as_str().unwrap().to_string();
    let r = app
        .pay("sessions", &paid, "paid", pay_body(Some("STRIPE"), ""))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let payment = r.json["id"].as_str().unwrap().to_string();
    let settled = app
        .post(&format!("/sandbox/payments/{payment}/succeed"), json!({}))
        .await;
    assert_eq!(settled.json["status"], "succeeded", "{}", settled.text());
    let r = app.get(&format!("/checkout-sessions/{paid}")).await;
    assert_eq!(r.json["status"], "completed");
    assert_eq!(r.json["transaction_id"], settled.json["transaction_id"]);
    assert_eq!(
        ids(&app.get("/checkout-sessions?status=completed").await),
        vec![paid]
    );

    let r = app.get("/checkout-sessions?status=done").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.error().1["status"].is_array());

    // A merchant-chosen expiry within 24 hours.
    let r = app
        .post(
            "/checkout-sessions",
            json!({"amount": 1000, "currency_code": "XOF", "expires_at": "2030-01-01T00:00:00Z"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

// ---- payment-links.en.txt / .fr.txt --------------------------------------------------------

#[tokio::test]
async fn seed_product_link_curl() {
    let app = app();
    let body = r#"{
"link_type": "product",
"title": "Premium Subscription",
"currency_code": "XOF",
"product_id": "prod_abc123...",
"allow_coupon_code": true,
"success_url": "https://your-site.com/success"
}"#;
    let headers = [
        ("X-API-KEY", app.key.as_str()),
        ("Content-Type", "application/json"),
    ];
    // Verbatim, the example's product id is a placeholder, not a UUID: refused, named.
    let r = app
        .send("POST", "/payment-links", &headers, Some(body))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let (code, details) = r.error();
    assert_eq!(code, "INVALID_REQUEST");
    assert!(details["product_id"].is_array());

    let (product, price) = app.product("Premium Subscription", 7500).await;
    let body = body.replace("prod_abc123...", &product);
    let r = app
        .send("POST", "/payment-links", &headers, Some(&body))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let l = &r.json;
    let id = l["id"].as_str().unwrap();
    assert!(is_uuid_v4(id), "{id}");
    assert_eq!(l["link_id"], json!(id));
    assert_eq!(l["url"], json!(format!("{BASE}/product/{id}")));
    assert_eq!(l["link_type"], "product");
    assert_eq!(l["product_id"], json!(product));
    assert_eq!(l["price_id"], json!(price));
    assert_eq!(l["product_name"], "Premium Subscription");
    assert_eq!(l["product_price"], json!(7500));
    assert_eq!(l["amount"], Value::Null);
    assert_eq!(l["allow_coupon_code"], json!(true));
    assert_eq!(l["allow_quantity"], json!(false));
    assert_eq!(l["require_billing_address"], json!(true));
    assert_eq!(l["is_active"], json!(true));
    assert_eq!(l["environment"], "test");
    assert_eq!(l["created_at"], "2026-01-15T10:30:00Z");
    assert_eq!(l["success_url"], "https://your-site.com/success");
}

#[tokio::test]
async fn sdk_instant_link_example_has_both_spellings() {
    let app = app();
    let r = app
        .post(
            "/payment-links",
            json!({
                "link_type": "instant", "title": "Donation", "currency_code": "XOF",
                "amount": 5000, "description": "Support our cause",
                "success_url": "https://your-site.com/thank-you"
            }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let l = &r.json;
    assert_eq!(l["amount"], json!(5000));
    assert_eq!(l["price"], json!(5000));
    assert_eq!(l["description"], "Support our cause");
    assert_eq!(l["public_description"], "Support our cause");
    assert_eq!(l["id"], l["link_id"]);
    let id = l["id"].as_str().unwrap();
    assert_eq!(l["url"], json!(format!("{BASE}/instant/{id}")));
}

#[tokio::test]
async fn seed_list_and_get_links_curl() {
    let app = app();
    let (product, _) = app.product("Pagne", 5000).await;
    let product_link = app
        .post(
            "/payment-links",
            json!({"link_type": "product", "title": "Pagne", "currency_code": "XOF", "product_id": product}),
        )
        .await
        .json["id"]
        .as_str()
        .unwrap()
        .to_string();
    let instant = app.instant_link(1000).await;

    let r = app
        .get("/payment-links?linkType=product&isActive=true&limit=20")
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let data = r.json["data"].as_array().unwrap();
    assert_eq!(data.len(), 1);
    assert_eq!(data[0]["id"], json!(product_link));
    assert_eq!(r.json["pagination"]["total"], json!(1));
    assert_eq!(r.json["pagination"]["limit"], json!(20));

    let r = app.get(&format!("/payment-links/{instant}")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json["id"], json!(instant));

    let r = app.get("/payment-links/pl_abc123...").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.error().0, "NOT_FOUND");
}

// ---- payment-links-api-v1.md ----------------------------------------------------------------

const V1_INSTANT_EXAMPLE: &str = r#"{
  "link_type": "instant",
  "title": "Consultation Fee",
  "price": 15000,
  "currency_code": "XOF",
  "public_description": "One-hour consultation session",
  "allowed_providers": ["WAVE", "ORANGE"],
  "success_url": "https://example.com/consultation-success",
  "allow_coupon_code": false
}"#;

#[tokio::test]
async fn v1_create_update_delete_examples() {
    let app = app();
    let headers = [
        ("X-API-Key", app.key.as_str()),
        ("Content-Type", "application/json"),
    ];
    let r = app
        .send(
            "POST",
            "/v1/payment-links",
            &headers,
            Some(V1_INSTANT_EXAMPLE),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let d = &r.json;
    let id = d["link_id"].as_str().unwrap().to_string();
    assert!(is_uuid_v4(&id));
    assert_eq!(d["url"], json!(format!("{BASE}/instant/{id}")));
    assert_eq!(d["link_type"], "instant");
    assert_eq!(d["price"], json!(15000));
    assert_eq!(d["amount"], json!(15000));
    assert_eq!(d["public_description"], "One-hour consultation session");
    assert_eq!(d["description"], "One-hour consultation session");
    assert_eq!(d["private_description"], Value::Null);
    assert_eq!(d["allowed_providers"], json!(["WAVE", "ORANGE"]));
    assert_eq!(d["allow_coupon_code"], json!(false));
    assert_eq!(d["is_active"], json!(true));
    assert_eq!(d["expires_at"], Value::Null);
    assert_eq!(d["metadata"], Value::Null);
    for key in ["merchant_id", "organization_id", "created_at", "updated_at"] {
        assert!(d[key].is_string(), "{key}");
    }
    for key in [
        "product_id",
        "product_name",
        "product_price",
        "plan_id",
        "plan_name",
        "plan_amount",
    ] {
        assert_eq!(d[key], Value::Null, "{key}");
    }

    let patch = r#"{
  "expires_at": "2026-12-31T23:59:59Z",
  "success_url": "https://example.com/new-success",
  "allow_coupon_code": true,
  "allowed_providers": ["WAVE"],
  "metadata": { "source": "api_update" }
}"#;
    app.advance(60);
    let r = app
        .send(
            "PATCH",
            &format!("/v1/payment-links/{id}"),
            &headers,
            Some(patch),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let d = &r.json;
    assert_eq!(d["expires_at"], "2026-12-31T23:59:59Z");
    assert_eq!(d["success_url"], "https://example.com/new-success");
    assert_eq!(d["allow_coupon_code"], json!(true));
    assert_eq!(d["allowed_providers"], json!(["WAVE"]));
    assert_eq!(d["metadata"], json!({"source": "api_update"}));
    assert_eq!(d["title"], "Consultation Fee");
    assert_eq!(d["updated_at"], "2026-01-15T10:31:00Z");
    assert_eq!(d["created_at"], "2026-01-15T10:30:00Z");

    let r = app
        .api("DELETE", &format!("/v1/payment-links/{id}"), None)
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert!(r.body.is_empty());
    let r = app.get(&format!("/v1/payment-links/{id}")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.error().0, "NOT_FOUND");
    let r = app
        .api("DELETE", &format!("/payment-links/{id}"), None)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = app
        .send(
            "PATCH",
            &format!("/payment-links/{id}"),
            &headers,
            Some(patch),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn patch_changes_only_what_the_reference_allows() {
    let app = app();
    let id = app.instant_link(1000).await;
    let path = format!("/payment-links/{id}");
    // What the price or the kind depends on is fixed; title and is_active take no null.
    for field in [
        "title",
        "amount",
        "price",
        "currency_code",
        "is_active",
        "allow_quantity",
        "link_type",
        "product_id",
    ] {
        let r = app
            .api("PATCH", &path, Some(json!({ field: Value::Null })))
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{field}");
        let (code, details) = r.error();
        assert_eq!(code, "INVALID_REQUEST");
        assert!(
            details[field].is_array(),
            "the error names {field}: {details}"
        );
    }
    let r = app
        .api("PATCH", &path, Some(json!({"colour": "red"})))
        .await;
    assert!(r.error().1["colour"].is_array());

    // lomi.'s API lets the wording and the switch change, as the generated SDK sends them.
    let r = app
        .api(
            "PATCH",
            &path,
            Some(json!({"title": "Nouveau titre", "public_description": "Texte", "is_active": false})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(
        (
            &r.json["title"],
            &r.json["description"],
            &r.json["is_active"]
        ),
        (&json!("Nouveau titre"), &json!("Texte"), &json!(false))
    );
    let page = app
        .public("GET", &format!("/api/checkout/links/{id}"), None)
        .await;
    assert_eq!(page.json["status"], "inactive", "{}", page.json);
    let r = app
        .api(
            "PATCH",
            &path,
            Some(json!({"description": null, "is_active": true})),
        )
        .await;
    assert_eq!(
        (&r.json["description"], &r.json["is_active"]),
        (&Value::Null, &json!(true))
    );

    let r = app
        .api(
            "PATCH",
            &path,
            Some(json!({"expires_at": "2026-06-01T00:00:00Z", "cancel_url": "https://a.example/c", "metadata": {"a": 1}})),
        )
        .await;
    assert_eq!(r.json["expires_at"], "2026-06-01T00:00:00Z");
    // null removes; absent keeps.
    let r = app
        .api("PATCH", &path, Some(json!({"expires_at": null})))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json["expires_at"], Value::Null);
    assert_eq!(r.json["cancel_url"], "https://a.example/c");
    assert_eq!(r.json["metadata"], json!({"a": 1}));
    let r = app
        .api("PATCH", &path, Some(json!({"metadata": {"b": 2}})))
        .await;
    assert_eq!(
        r.json["metadata"],
        json!({"b": 2}),
        "metadata is replaced, not merged"
    );

    for (body, field) in [
        (json!({"success_url": "javascript:alert(1)"}), "success_url"),
        (json!({"cancel_url": "//evil.example"}), "cancel_url"),
        (json!({"expires_at": "tomorrow"}), "expires_at"),
        (
            json!({"allowed_providers": ["PAYPAL"]}),
            "allowed_providers",
        ),
        (json!({"allow_coupon_code": null}), "allow_coupon_code"),
        (json!({"allow_coupon_code": "yes"}), "allow_coupon_code"),
    ] {
        let r = app.api("PATCH", &path, Some(body.clone())).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{body}");
        assert!(r.error().1[field].is_array(), "{body}");
    }
    let r = app
        .api("PATCH", &path, Some(json!({"allowed_providers": null})))
        .await;
    assert_eq!(r.json["allowed_providers"], Value::Null);

    // is_active is fixed, so a past expiry is how a merchant ends a link.
    let r = app
        .api(
            "PATCH",
            &path,
            Some(json!({"expires_at": "2020-01-01T00:00:00Z"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json["expires_at"], "2020-01-01T00:00:00Z");
    let r = app
        .public("GET", &format!("/api/checkout/links/{id}"), None)
        .await;
    assert_eq!(r.json["status"], "expired");
    // Creating a link that is already expired is refused as a mistake.
    let r = app
        .post(
            "/payment-links",
            json!({"link_type": "instant", "title": "T", "currency_code": "XOF", "amount": 1,
                   "expires_at": "2020-01-01T00:00:00Z"}),
        )
        .await;
    assert!(r.error().1["expires_at"].is_array());
}

#[tokio::test]
async fn plan_links_need_a_recurring_product() {
    let app = app();
    let r = app
        .post(
            "/products",
            json!({
                "name": "Abonnement Premium", "product_type": "recurring",
                "trial_enabled": true, "trial_period_days": 14,
                "prices": [{"amount": 5000, "currency_code": "XOF", "billing_interval": "month"}]
            }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let plan = r.json["id"].as_str().unwrap().to_string();
    let r = app
        .post(
            "/v1/payment-links",
            json!({"link_type": "plan", "title": "Premium", "currency_code": "XOF", "plan_id": plan}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let d = &r.json;
    let id = d["id"].as_str().unwrap();
    assert_eq!(d["url"], json!(format!("{BASE}/plan/{id}")));
    assert_eq!(d["plan_id"], json!(plan));
    assert_eq!(d["plan_name"], "Abonnement Premium");
    assert_eq!(d["plan_amount"], json!(5000));
    assert_eq!(d["billing_interval"], "month");

    let (one_time, _) = app.product("Pagne", 5000).await;
    for (plan_id, code) in [
        (one_time.as_str(), "INVALID_REFERENCE"),
        ("plan_missing", "INVALID_REQUEST"),
        ("00000000-0000-4000-8000-000000000000", "INVALID_REFERENCE"),
    ] {
        let r = app
            .post(
                "/payment-links",
                json!({"link_type": "plan", "title": "P", "currency_code": "XOF", "plan_id": plan_id}),
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        let (c, details) = r.error();
        assert_eq!(c, code);
        assert!(details["plan_id"].is_array());
    }
    let r = app
        .post(
            "/payment-links",
            json!({"link_type": "plan", "title": "P", "currency_code": "USD", "plan_id": plan}),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.error().1["currency_code"].is_array());
    let r = app
        .post(
            "/payment-links",
            json!({"link_type": "plan", "title": "P", "currency_code": "XOF", "plan_id": plan, "allow_quantity": true}),
        )
        .await;
    assert!(r.error().1["allow_quantity"].is_array());
}

// ---- documented errors ------------------------------------------------------------------------

#[tokio::test]
async fn keys_are_checked() {
    let app = app();
    let json_type = ("Content-Type", "application/json");
    for headers in [
        vec![json_type],
        vec![json_type, ("X-API-Key", "")],
        vec![json_type, ("X-API-Key", "lomi_sk_test_wrong")],
        vec![
            json_type,
            ("X-API-Key", "lomi_sk_live_0123456789abcdef0123456789abcdef"),
        ],
    ] {
        for path in [
            "/payment-links",
            "/v1/payment-links",
            "/checkout-sessions",
            "/products",
            "/coupons",
        ] {
            let r = app.send("GET", path, &headers, None).await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{path} {headers:?}");
            assert_eq!(r.error().0, "UNAUTHORIZED");
        }
    }
    let r = app
        .send(
            "POST",
            "/payment-links",
            &[
                json_type,
                ("X-API-Key", "lomi_sk_live_0123456789abcdef0123456789abcdef"),
            ],
            Some(V1_INSTANT_EXAMPLE),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let message = r.json["error"]["message"].as_str().unwrap();
    assert!(message.contains("test keys only"), "{message}");

    for name in ["x-api-key", "X-API-KEY", "X-Api-Key"] {
        let r = app
            .send("GET", "/payment-links", &[(name, &app.key)], None)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{name}");
    }
}

#[tokio::test]
async fn conditional_fields_and_the_product_link_amount_rule() {
    let app = app();
    let (product, _) = app.product("Pagne", 5000).await;
    // The guide's documented 400: an amount on a product link.
    for key in ["amount", "price"] {
        let r = app
            .post(
                "/payment-links",
                json!({"link_type": "product", "title": "P", "currency_code": "XOF", "product_id": product, key: 5000}),
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        let (code, details) = r.error();
        assert_eq!(code, "INVALID_REQUEST");
        assert!(details[key].is_array(), "{details}");
    }
    let cases = [
        (
            json!({"link_type": "instant", "title": "T", "currency_code": "XOF"}),
            "amount",
        ),
        (
            json!({"link_type": "product", "title": "T", "currency_code": "XOF"}),
            "product_id",
        ),
        (
            json!({"link_type": "plan", "title": "T", "currency_code": "XOF"}),
            "plan_id",
        ),
        (
            json!({"link_type": "instant", "currency_code": "XOF", "amount": 1}),
            "title",
        ),
        (
            json!({"link_type": "instant", "title": "   ", "currency_code": "XOF", "amount": 1}),
            "title",
        ),
        (
            json!({"link_type": "instant", "title": "T", "currency_code": "XOF", "amount": 1, "product_id": product}),
            "product_id",
        ),
    ];
    for (body, field) in cases {
        let r = app.post("/payment-links", body.clone()).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{body}");
        let (code, details) = r.error();
        assert_eq!(code, "INVALID_REQUEST");
        assert!(
            details[field].is_array(),
            "{body} should name {field}: {details}"
        );
    }
}

#[tokio::test]
async fn bad_bodies_are_400_in_the_error_shape() {
    let app = app();
    let key = app.key.clone();
    let json_type = ("Content-Type", "application/json");
    let auth = ("X-API-Key", key.as_str());
    for (headers, body) in [
        (vec![auth, json_type], "{\"link_type\": "),
        (vec![auth, json_type], "not json"),
        (vec![auth, json_type], ""),
        (vec![auth, json_type], "[1, 2]"),
        (vec![auth, json_type], "\"instant\""),
        (vec![auth], V1_INSTANT_EXAMPLE),
        (
            vec![auth, ("Content-Type", "text/plain")],
            V1_INSTANT_EXAMPLE,
        ),
        (
            vec![auth, ("Content-Type", "application/x-www-form-urlencoded")],
            "link_type=instant",
        ),
    ] {
        let r = app
            .send("POST", "/payment-links", &headers, Some(body))
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{body:?} {headers:?}");
        assert_eq!(r.error().0, "INVALID_REQUEST");
    }
    // Wrong JSON types name their field.
    for (body, field) in [
        (
            json!({"link_type": "instant", "title": 5, "currency_code": "XOF", "amount": 1}),
            "title",
        ),
        (
            json!({"link_type": "instant", "title": "T", "currency_code": "XOF", "amount": "5000"}),
            "amount",
        ),
        (
            json!({"link_type": "instant", "title": "T", "currency_code": 952, "amount": 1}),
            "currency_code",
        ),
        (
            json!({"link_type": "instant", "title": "T", "currency_code": "XOF", "amount": 1, "allow_quantity": 1}),
            "allow_quantity",
        ),
        (
            json!({"link_type": "instant", "title": "T", "currency_code": "XOF", "amount": 1, "allowed_providers": 5}),
            "allowed_providers",
        ),
        (
            json!({"link_type": "instant", "title": "T", "currency_code": "XOF", "amount": 1, "metadata": [1]}),
            "metadata",
        ),
        (
            json!({"link_type": "instant", "title": "T", "currency_code": "XOF", "amount": 1, "expires_at": 1700000000}),
            "expires_at",
        ),
    ] {
        let r = app.post("/payment-links", body.clone()).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{body}");
        assert!(r.error().1[field].is_array(), "{body}");
    }
    // Unknown enum values, in the v1 reference's own words.
    let r = app
        .post(
            "/payment-links",
            json!({"link_type": "other", "title": "T", "currency_code": "XOF"}),
        )
        .await;
    assert_eq!(
        r.error().1["link_type"],
        json!(["Invalid enum value. Expected 'product' | 'plan' | 'instant' but received 'other'"])
    );
    // A huge number is refused, not overflowed.
    let r = app
        .send(
            "POST",
            "/payment-links",
            &[auth, json_type],
            Some(r#"{"link_type":"instant","title":"T","currency_code":"XOF","amount":1e400}"#),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
}

#[tokio::test]
async fn redirect_urls_are_http_only() {
    let app = app();
    for url in [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data://evil",
        "data:text/html,<script>alert(1)</script>",
        "//evil.example/x",
        "/relative",
        "https:\\\\evil.example",
        "",
    ] {
        for field in ["success_url", "cancel_url"] {
            let r = app
                .post(
                    "/payment-links",
                    json!({"link_type": "instant", "title": "T", "currency_code": "XOF", "amount": 1, field: url}),
                )
                .await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{field}={url}");
            let (code, details) = r.error();
            assert_eq!(code, "INVALID_REQUEST");
            assert!(details[field].is_array());
        }
    }
    let r = app
        .post(
            "/payment-links",
            json!({"link_type": "instant", "title": "T", "currency_code": "XOF", "amount": 1,
                   "success_url": "https://shop.example/ok?session={CHECKOUT_SESSION_ID}"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
}

#[tokio::test]
async fn amounts_must_be_exact_in_their_currency() {
    let app = app();
    let link = |amount: &str, currency: &str| {
        format!(
            r#"{{"link_type":"instant","title":"T","currency_code":"{currency}","amount":{amount}}}"#
        )
    };
    let headers = [
        ("X-API-Key", app.key.as_str()),
        ("Content-Type", "application/json"),
    ];
    for (amount, currency, status, expected) in [
        ("15000.5", "XOF", 400, None),
        ("15000.00", "XOF", 201, Some("15000")),
        ("1.5e4", "XOF", 201, Some("15000")),
        ("15.99", "USD", 201, Some("15.99")),
        ("15.999", "USD", 400, None),
        ("0", "XOF", 400, None),
        ("-100", "XOF", 400, None),
    ] {
        let r = app
            .send(
                "POST",
                "/payment-links",
                &headers,
                Some(&link(amount, currency)),
            )
            .await;
        assert_eq!(
            r.status.as_u16(),
            status,
            "{amount} {currency}: {}",
            r.text()
        );
        if let Some(expected) = expected {
            assert_eq!(r.json["amount"].to_string(), expected);
        } else {
            assert!(r.error().1["amount"].is_array());
        }
    }
    // Both spellings: equal is fine, different is a contradiction.
    let r = app
        .post("/payment-links", json!({"link_type": "instant", "title": "T", "currency_code": "XOF", "amount": 500, "price": 500}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let r = app
        .post("/payment-links", json!({"link_type": "instant", "title": "T", "currency_code": "XOF", "amount": 500, "price": 600}))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = app
        .post("/payment-links", json!({"link_type": "instant", "title": "T", "currency_code": "XOF", "amount": 5, "description": "a", "public_description": "b"}))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn providers_are_validated_and_normalised() {
    let app = app();
    let r = app
        .post(
            "/payment-links",
            json!({"link_type": "instant", "title": "T", "currency_code": "XOF", "amount": 1, "allowed_providers": ["wave", "MTN", "WAVE"]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(r.json["allowed_providers"], json!(["WAVE", "MTN"]));
    let r = app
        .post(
            "/payment-links",
            json!({"link_type": "instant", "title": "T", "currency_code": "XOF", "amount": 1, "allowed_providers": []}),
        )
        .await;
    assert_eq!(
        r.json["allowed_providers"],
        Value::Null,
        "empty means the merchant's"
    );
    let r = app
        .post(
            "/payment-links",
            json!({"link_type": "instant", "title": "T", "currency_code": "XOF", "amount": 1, "allowed_providers": ["PAYPAL"]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.error().1["allowed_providers"].is_array());
}

#[tokio::test]
async fn link_list_filters_and_pagination() {
    let app = app();
    let (product, _) = app.product("Pagne", 5000).await;
    for i in 0..5 {
        app.advance(1);
        app.instant_link(1000 + i).await;
    }
    app.advance(1);
    app.post(
        "/payment-links",
        json!({"link_type": "product", "title": "P", "currency_code": "XOF", "product_id": product, "is_active": false}),
    )
    .await;
    app.advance(1);
    app.post(
        "/payment-links",
        json!({"link_type": "instant", "title": "USD", "currency_code": "USD", "amount": 15.99,
               "expires_at": "2026-01-15T12:00:00Z"}),
    )
    .await;

    let total = |r: &common::Reply| r.json["pagination"]["total"].as_u64().unwrap();
    assert_eq!(total(&app.get("/payment-links").await), 7);
    assert_eq!(total(&app.get("/payment-links?link_type=instant").await), 6);
    assert_eq!(total(&app.get("/payment-links?linkType=instant").await), 6);
    assert_eq!(
        total(
            &app.get("/payment-links?link_type=instant&linkType=instant")
                .await
        ),
        6
    );
    assert_eq!(total(&app.get("/payment-links?is_active=false").await), 1);
    assert_eq!(total(&app.get("/payment-links?isActive=true").await), 6);
    assert_eq!(total(&app.get("/payment-links?currency_code=USD").await), 1);

    // Newest first, limit/offset.
    let r = app.get("/payment-links?limit=2&offset=1").await;
    let data = r.json["data"].as_array().unwrap();
    assert_eq!(data.len(), 2);
    assert_eq!(data[0]["title"], "P");
    assert_eq!(
        r.json["pagination"],
        json!({"total": 7, "limit": 2, "offset": 1, "page": 1, "page_size": 2})
    );
    // page/page_size.
    let r = app.get("/v1/payment-links?page=2&page_size=3").await;
    assert_eq!(r.json.get("success"), None);
    assert_eq!(r.json["data"].as_array().unwrap().len(), 3);
    assert_eq!(
        r.json["pagination"],
        json!({"total": 7, "limit": 3, "offset": 3, "page": 2, "page_size": 3})
    );
    let r = app.get("/payment-links?page=1").await;
    assert_eq!(r.json["pagination"]["page_size"], json!(50));
    let r = app.get("/payment-links?page=9").await;
    assert_eq!(r.json["data"], json!([]));

    // Expired links are hidden unless asked for.
    app.advance(2 * 3600);
    assert_eq!(total(&app.get("/payment-links").await), 6);
    assert_eq!(
        total(&app.get("/payment-links?include_expired=true").await),
        7
    );

    for (query, param) in [
        ("link_type=other", "link_type"),
        ("linkType=product&link_type=instant", "link_type"),
        ("is_active=maybe", "is_active"),
        ("currency_code=ABC", "currency_code"),
        ("include_expired=2", "include_expired"),
        ("limit=0", "limit"),
        ("limit=abc", "limit"),
        ("limit=101", "limit"),
        ("offset=-1", "offset"),
        ("page=0", "page"),
        ("page_size=101", "page_size"),
        ("page=1&limit=5", "page"),
    ] {
        let r = app.get(&format!("/payment-links?{query}")).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{query}");
        let (code, details) = r.error();
        assert_eq!(code, "INVALID_REQUEST");
        assert!(details[param].is_array(), "{query}: {details}");
    }
}

#[tokio::test]
async fn unknown_routes_and_methods() {
    let app = app();
    let r = app.api("PUT", "/payment-links", Some(json!({}))).await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(r.error().0, "INVALID_REQUEST");
    assert!(r.header("allow").is_some_and(|a| a.contains("POST")));
    let r = app
        .api("POST", "/v1/checkout-sessions/cs_1", Some(json!({})))
        .await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    r.error();
    for path in [
        "/v1/nope",
        "/v1",
        "/payment-links/a/b",
        "/products/x/variants",
        "/coupons/",
    ] {
        let r = app.get(path).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(r.error().0, "NOT_FOUND");
    }
    // lomi.'s POST /products/{id}/prices is served; a GET there is the wrong method.
    let r = app.get("/products/x/prices").await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    let r = app.get("/payment-links/%FF%FE").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    r.error();
}

// ---- catalog ------------------------------------------------------------------------------------

#[tokio::test]
async fn products_with_lomi_field_names() {
    let app = app();
    let r = app
        .post(
            "/products",
            json!({
                "name": "Soutenir le podcast", "description": "Donnez ce que vous voulez",
                "image_url": "https://cdn.example/podcast.png", "metadata": {"k": "v"},
                "prices": [
                    {"amount": 5000, "currency_code": "XOF", "pricing_model": "pay_what_you_want",
                     "minimum_amount": 1000, "maximum_amount": 50000},
                    {"amount": 9.99, "currency_code": "USD", "is_default": true}
                ]
            }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let p = &r.json;
    let id = p["product_id"].as_str().unwrap().to_string();
    assert!(is_uuid_v4(&id), "{id}");
    assert_eq!(p["id"], json!(id));
    assert_eq!(p["product_type"], "one_time");
    assert_eq!(p["first_payment_type"], "initial");
    assert_eq!(p["is_active"], json!(true));
    let prices = p["prices"].as_array().unwrap();
    assert!(is_uuid_v4(prices[0]["price_id"].as_str().unwrap()));
    assert_eq!(prices[0]["pricing_model"], "pay_what_you_want");
    assert_eq!(prices[0]["minimum_amount"], json!(1000));
    assert_eq!(prices[0]["maximum_amount"], json!(50000));
    assert_eq!(prices[0]["is_default"], json!(false));
    assert_eq!(prices[1]["amount"], json!(9.99));
    assert_eq!(prices[1]["is_default"], json!(true));

    let r = app.get(&format!("/products/{id}")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json["name"], "Soutenir le podcast");
    assert_eq!(
        app.get("/products/prod_missing").await.status,
        StatusCode::NOT_FOUND
    );
    let r = app.get("/v1/products?product_type=one_time").await;
    assert_eq!(r.json["pagination"]["total"], json!(1));
    assert_eq!(
        app.get("/products?product_type=recurring").await.json["data"],
        json!([])
    );

    // A session priced by a pay-what-you-want product takes a suggestion within bounds.
    let r = app
        .post(
            "/checkout-sessions",
            json!({"product_id": id, "currency_code": "XOF", "amount": 2000}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json["amount"], json!(2000));
    let r = app
        .post(
            "/checkout-sessions",
            json!({"product_id": id, "currency_code": "XOF", "amount": 999}),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = app
        .post(
            "/checkout-sessions",
            json!({"product_id": id, "currency_code": "USD"}),
        )
        .await;
    assert_eq!(r.json["amount"], json!(9.99));
}

#[tokio::test]
async fn product_validation() {
    let app = app();
    let xof = |extra: Value| {
        let mut price = json!({"amount": 5000, "currency_code": "XOF"});
        if let (Some(p), Some(e)) = (price.as_object_mut(), extra.as_object()) {
            p.extend(e.clone());
        }
        price
    };
    let cases = [
        (json!({"prices": [xof(json!({}))]}), "name"),
        (json!({"name": "P", "prices": {}}), "prices"),
        (json!({"name": "P", "prices": "5000"}), "prices"),
        (json!({"name": "P", "prices": [5000]}), "prices[0]"),
        (
            json!({"name": "P", "prices": [{"currency_code": "XOF"}]}),
            "prices[0].amount",
        ),
        (
            json!({"name": "P", "prices": [xof(json!({"amount": 5000.5}))]}),
            "prices[0].amount",
        ),
        (
            json!({"name": "P", "product_type": "subscription", "prices": [xof(json!({}))]}),
            "product_type",
        ),
        (
            json!({"name": "P", "product_type": "recurring", "first_payment_type": "prorated",
                "prices": [xof(json!({"billing_interval": "month"}))]}),
            "first_payment_type",
        ),
        (
            json!({"name": "P", "product_type": "recurring", "prices": [xof(json!({}))]}),
            "prices[0].billing_interval",
        ),
        (
            json!({"name": "P", "prices": [xof(json!({"billing_interval": "month"}))]}),
            "prices[0].billing_interval",
        ),
        (
            json!({"name": "P", "product_type": "recurring",
                "prices": [xof(json!({"billing_interval": "fortnight"}))]}),
            "prices[0].billing_interval",
        ),
        (
            json!({"name": "P", "product_type": "recurring",
                "prices": [xof(json!({"billing_interval": "month", "pricing_model": "pay_what_you_want", "minimum_amount": 1}))]}),
            "prices[0].pricing_model",
        ),
        (
            json!({"name": "P", "prices": [xof(json!({"pricing_model": "pay_what_you_want", "minimum_amount": 6000}))]}),
            "prices[0].minimum_amount",
        ),
        (
            json!({"name": "P", "prices": [xof(json!({"pricing_model": "pay_what_you_want", "minimum_amount": 100, "maximum_amount": 4000}))]}),
            "prices[0].maximum_amount",
        ),
        (
            json!({"name": "P", "prices": [xof(json!({"pricing_model": "pay_what_you_want"}))]}),
            "prices[0].minimum_amount",
        ),
        (
            json!({"name": "P", "prices": [xof(json!({"minimum_amount": 100}))]}),
            "prices[0].minimum_amount",
        ),
        (
            json!({"name": "P", "prices": [xof(json!({"is_default": true})), xof(json!({"is_default": true}))]}),
            "prices",
        ),
        (
            json!({"name": "P", "trial_enabled": true, "trial_period_days": 14, "prices": [xof(json!({}))]}),
            "trial_enabled",
        ),
        (
            json!({"name": "P", "product_type": "recurring", "trial_enabled": true,
                "prices": [xof(json!({"billing_interval": "month"}))]}),
            "trial_period_days",
        ),
        (
            json!({"name": "P", "image_url": "javascript:alert(1)", "prices": [xof(json!({}))]}),
            "image_url",
        ),
    ];
    for (body, field) in cases {
        let r = app.post("/products", body.clone()).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{body}: {}", r.text());
        let (code, details) = r.error();
        assert_eq!(code, "INVALID_REQUEST");
        assert!(
            details[field].is_array(),
            "{body} should name {field}: {details}"
        );
    }
    let r = app
        .post(
            "/products",
            json!({"name": "P", "product_type": "recurring", "first_payment_type": "prorated",
                   "prices": [xof(json!({"billing_interval": "month"}))]}),
        )
        .await;
    let message = r.error().1["first_payment_type"][0]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        message.contains("not supported by the sandbox"),
        "{message}"
    );
}

#[tokio::test]
async fn coupons() {
    let app = app();
    let r = app
        .post(
            "/coupons",
            json!({"code": " welcome10 ", "discount_type": "percentage", "discount_percentage": 10,
                   "description": "Bienvenue"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let c = &r.json;
    let id = c["coupon_id"].as_str().unwrap().to_string();
    assert!(is_uuid_v4(&id), "{id}");
    assert_eq!(c["id"], json!(id));
    assert_eq!(c["code"], "WELCOME10");
    assert_eq!(c["discount_percentage"], json!(10));
    assert_eq!(c["current_uses"], json!(0));
    assert_eq!(c["is_organization_wide"], json!(true));
    assert_eq!(c["customer_type"], "all");
    assert_eq!(
        app.get(&format!("/coupons/{id}")).await.json["code"],
        "WELCOME10"
    );
    assert_eq!(
        app.get("/coupons/coupon_missing").await.status,
        StatusCode::NOT_FOUND
    );

    // The same code in another case is the same code.
    let r = app
        .post(
            "/coupons",
            json!({"code": "Welcome10", "discount_type": "percentage", "discount_percentage": 5}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.error().0, "RESOURCE_CONFLICT");

    let (product, _) = app.product("Pagne", 5000).await;
    let r = app
        .post(
            "/v1/coupons",
            json!({"code": "FIXE500", "discount_type": "fixed", "discount_fixed_amount": 500,
                   "currency_code": "XOF", "product_ids": [product], "max_uses": 10,
                   "max_quantity_per_use": 2, "customer_type": "new",
                   "valid_from": "2026-01-01T00:00:00Z", "expires_at": "2026-12-31T00:00:00Z"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let c = &r.json;
    assert_eq!(c["discount_fixed_amount"], json!(500));
    assert_eq!(c["is_organization_wide"], json!(false));
    assert_eq!(c["product_ids"], json!([product]));
    assert_eq!(c["valid_from"], "2026-01-01T00:00:00Z");

    let r = app
        .post(
            "/coupons",
            json!({"code": "HALF", "discount_type": "percentage", "discount_percentage": 12.5}),
        )
        .await;
    assert_eq!(r.json["discount_percentage"], json!(12.5));

    let cases = [
        (
            json!({"discount_type": "percentage", "discount_percentage": 10}),
            "code",
        ),
        (
            json!({"code": "A B", "discount_type": "percentage", "discount_percentage": 10}),
            "code",
        ),
        (json!({"code": "X1"}), "discount_type"),
        (
            json!({"code": "X1", "discount_type": "bogo"}),
            "discount_type",
        ),
        (
            json!({"code": "X1", "discount_type": "percentage"}),
            "discount_percentage",
        ),
        (
            json!({"code": "X1", "discount_type": "percentage", "discount_percentage": 0}),
            "discount_percentage",
        ),
        (
            json!({"code": "X1", "discount_type": "percentage", "discount_percentage": 100.5}),
            "discount_percentage",
        ),
        (
            json!({"code": "X1", "discount_type": "percentage", "discount_percentage": 12.345}),
            "discount_percentage",
        ),
        (
            json!({"code": "X1", "discount_type": "fixed", "discount_fixed_amount": 500}),
            "currency_code",
        ),
        (
            json!({"code": "X1", "discount_type": "fixed", "currency_code": "XOF"}),
            "discount_fixed_amount",
        ),
        (
            json!({"code": "X1", "discount_type": "fixed", "currency_code": "XOF", "discount_fixed_amount": 0.5}),
            "discount_fixed_amount",
        ),
        (
            json!({"code": "X1", "discount_type": "percentage", "discount_percentage": 5, "valid_from": "2026-02-01",
                "expires_at": "2026-01-01"}),
            "expires_at",
        ),
        (
            json!({"code": "X1", "discount_type": "percentage", "discount_percentage": 5, "max_uses": 0}),
            "max_uses",
        ),
        (
            json!({"code": "X1", "discount_type": "percentage", "discount_percentage": 5, "customer_type": "vip"}),
            "customer_type",
        ),
        (
            json!({"code": "X1", "discount_type": "percentage", "discount_percentage": 5, "is_organization_wide": false}),
            "product_ids",
        ),
    ];
    for (body, field) in cases {
        let r = app.post("/coupons", body.clone()).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{body}: {}", r.text());
        assert!(r.error().1[field].is_array(), "{body} should name {field}");
    }
    let r = app
        .post(
            "/coupons",
            json!({"code": "X2", "discount_type": "percentage", "discount_percentage": 5, "product_ids": ["00000000-0000-4000-8000-000000000000"]}),
        )
        .await;
    assert_eq!(r.error().0, "INVALID_REFERENCE");

    let r = app.get("/coupons?limit=2").await;
    assert_eq!(r.json["pagination"]["total"], json!(3));
    assert_eq!(r.json["data"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn the_clock_drives_timestamps() {
    let app = app();
    assert_eq!(app.state.now(), start_time());
    let id = app.instant_link(100).await;
    app.advance(86_400);
    let r = app.get(&format!("/payment-links/{id}")).await;
    assert_eq!(r.json["created_at"], "2026-01-15T10:30:00Z");
}
