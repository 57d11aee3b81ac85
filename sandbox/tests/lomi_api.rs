//! lomi.'s real API as the official SDKs speak it: both path spellings, bare objects, prices on
//! their own, transactions and customers from payments, and idempotent creates.

mod common;

use axum::http::StatusCode;
use common::{app, pay_body, TestApp};
use serde_json::{json, Value};

fn is_uuid(s: &str) -> bool {
    s.len() == 36 && s.as_bytes()[14] == b'4' && s.chars().filter(|c| *c == '-').count() == 4
}

/// Pays `session` with MTN from `phone` (its last two digits decide the outcome) as `email`,
/// and lets the operator answer.
async fn pay(app: &TestApp, session: &str, phone: &str, email: &str) -> Value {
    let mut body = pay_body(Some("MTN"), phone);
    body["customer"]["email"] = json!(email);
    let r = app
        .pay("sessions", session, &format!("k-{session}"), body)
        .await;
    assert!(r.status.is_success(), "{}", r.text());
    app.advance(3);
    app.payment(r.json["id"].as_str().unwrap()).await.json
}

#[tokio::test]
async fn every_spelling_answers_the_same_bare_objects() {
    let app = app();
    let r = app
        .post(
            "/v1/payment_links",
            json!({"title": "Don", "amount": 2500, "allowed_providers": "WAVE, MTN"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let id = r.json["id"].as_str().unwrap().to_string();
    assert!(is_uuid(&id));
    // No type, no currency: an XOF instant link; the SDK's comma string read as the array.
    assert_eq!(
        (
            &r.json["link_id"],
            &r.json["link_type"],
            &r.json["currency_code"]
        ),
        (&json!(id), &json!("instant"), &json!("XOF"))
    );
    assert_eq!(r.json["allowed_providers"], json!(["WAVE", "MTN"]));
    for path in [
        format!("/payment-links/{id}"),
        format!("/payment_links/{id}"),
        format!("/v1/payment-links/{id}"),
        format!("/v1/payment_links/{id}"),
    ] {
        let r = app.get(&path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert_eq!(r.json["id"], json!(id), "{path}: a bare object");
    }
    let r = app
        .post(
            "/payment-links",
            json!({"title": "X", "amount": 2500, "allowed_providers": "WAVE,PAYPAL"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.error().1["allowed_providers"].is_array());

    let r = app
        .post(
            "/v1/discount_coupons",
            json!({"code": "NOUVEAU", "discount_type": "percentage", "discount_percentage": 10,
                   "customer_type": "new"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let coupon = r.json["coupon_id"].as_str().unwrap().to_string();
    assert!(is_uuid(&coupon));
    for path in [
        "/discount-coupons",
        "/discount_coupons",
        "/v1/discount-coupons",
        "/coupons",
    ] {
        let r = app.get(&format!("{path}/{coupon}")).await;
        assert_eq!(r.json["customer_type"], "new", "{path}");
    }
    // The seeds' `returning` is lomi.'s `existing`.
    let r = app
        .post(
            "/coupons",
            json!({"code": "FIDELE", "discount_type": "percentage", "discount_percentage": 5,
                   "customer_type": "returning"}),
        )
        .await;
    assert_eq!(r.json["customer_type"], "existing", "{}", r.text());
    let r = app.get("/v1/discount_coupons?sort=created_at:asc").await;
    assert_eq!(r.json["data"][0]["code"], "NOUVEAU");
    assert_eq!(r.json["pagination"]["total"], json!(2));
}

#[tokio::test]
async fn a_product_is_priced_after_it_is_made() {
    let app = app();
    let r = app
        .post(
            "/v1/products",
            json!({"name": "Pagne wax", "product_type": "one_time"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let product = r.json["product_id"].as_str().unwrap().to_string();
    assert_eq!(r.json["prices"], json!([]));

    // Not sellable yet.
    let r = app
        .post(
            "/payment-links",
            json!({"title": "P", "product_id": product}),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());

    let r = app
        .post(
            "/v1/prices",
            json!({"product_id": product, "amount": 7500, "currency_code": "XOF",
                   "metadata": {"taille": "M"}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let first = r.json["price_id"].as_str().unwrap().to_string();
    assert_eq!(
        (
            &r.json["product_id"],
            &r.json["amount"],
            &r.json["is_default"]
        ),
        (&json!(product), &json!(7500), &json!(true)),
        "a product's first price is its default"
    );
    assert_eq!(r.json["metadata"], json!({"taille": "M"}));
    let r = app
        .post(
            "/prices",
            json!({"product_id": product, "amount": 9000, "currency_code": "XOF", "is_default": true}),
        )
        .await;
    let second = r.json["id"].as_str().unwrap().to_string();
    let r = app.get(&format!("/v1/prices?product_id={product}")).await;
    assert_eq!(r.json["pagination"]["total"], json!(2));
    let r = app.get(&format!("/prices/{first}")).await;
    assert_eq!(
        r.json["is_default"],
        json!(false),
        "the new default took over"
    );
    let r = app.get(&format!("/products/{product}")).await;
    assert_eq!(r.json["prices"].as_array().unwrap().len(), 2);

    // A link now sells the default price.
    let r = app
        .post(
            "/payment-links",
            json!({"title": "P", "product_id": product}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(
        (&r.json["link_type"], &r.json["price_id"]),
        (&json!("product"), &json!(second))
    );

    for (body, field) in [
        (
            json!({"amount": 1000, "currency_code": "XOF"}),
            "product_id",
        ),
        (
            json!({"product_id": product, "currency_code": "XOF"}),
            "amount",
        ),
        (
            json!({"product_id": product, "amount": 10.5, "currency_code": "XOF"}),
            "amount",
        ),
        (
            json!({"product_id": product, "amount": 100, "currency_code": "XOF", "billing_interval": "month"}),
            "billing_interval",
        ),
    ] {
        let r = app.post("/prices", body.clone()).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{body}");
        assert!(r.error().1[field].is_array(), "{body}: {}", r.text());
    }
    let r = app
        .post(
            "/prices",
            json!({"product_id": "nope", "amount": 100, "currency_code": "XOF"}),
        )
        .await;
    assert_eq!(r.error().0, "INVALID_REFERENCE");
    assert_eq!(app.get("/prices/nope").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn each_payment_is_a_transaction_and_each_payer_one_customer() {
    let app = app();
    let first = app
        .session(10_000, json!({"metadata": {"order": "A-1"}}))
        .await;
    let second = app.session(4_000, json!({})).await;
    let third = app.session(2_500, json!({})).await;
    // MTN: …11 approves, …01 has too little money.
    assert_eq!(
        pay(&app, &first, "0505000011", "Awa@Example.ci").await["status"],
        "succeeded"
    );
    assert_eq!(
        pay(&app, &second, "0505000001", "awa@example.ci").await["status"],
        "failed"
    );
    // The same customer again, by phone this time (another email).
    assert_eq!(
        pay(&app, &third, "0505000011", "awa.d@example.ci").await["status"],
        "succeeded"
    );

    let r = app.get("/v1/transactions").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json["pagination"]["total"], json!(3));
    let all = r.json["data"].as_array().unwrap();
    let of = |session: &str| {
        all.iter()
            .find(|t| t["checkout_session_id"] == session)
            .unwrap()
    };
    let t = of(&first);
    assert!(is_uuid(t["transaction_id"].as_str().unwrap()));
    assert_eq!(t["id"], t["transaction_id"]);
    assert_eq!(
        (&t["status"], &t["provider_code"], &t["payment_method_code"]),
        (&json!("completed"), &json!("MTN"), &json!("MOBILE_MONEY"))
    );
    // MTN's illustrative 1.5 %: 150 F on 10 000 F.
    assert_eq!(
        (
            &t["gross_amount"],
            &t["discount_amount"],
            &t["fee_amount"],
            &t["net_amount"]
        ),
        (&json!(10000), &json!(0), &json!(150), &json!(9850))
    );
    assert_eq!(t["metadata"], json!({"order": "A-1"}));
    assert_eq!(t["line_items"][0]["amount"], json!(10000));
    let failed = of(&second);
    assert_eq!(
        (
            &failed["status"],
            &failed["failure_reason"],
            &failed["fee_amount"]
        ),
        (&json!("failed"), &json!("insufficient_funds"), &json!(0))
    );
    // The session names its transaction and its customer.
    let s = app.get(&format!("/checkout-sessions/{first}")).await;
    assert_eq!(s.json["transaction_id"], t["id"]);
    assert_eq!(s.json["customer_id"], t["customer_id"]);

    // Filters.
    for (query, count) in [
        ("status=completed", 2),
        ("status=failed", 1),
        ("provider=MTN", 3),
        ("provider=wave", 0),
        (&format!("checkout_session_id={second}") as &str, 1),
        ("from=2026-01-15", 3),
        ("to=2026-01-14T00:00:00Z", 0),
    ] {
        let r = app.get(&format!("/transactions?{query}")).await;
        assert_eq!(r.status, StatusCode::OK, "{query}: {}", r.text());
        assert_eq!(r.json["pagination"]["total"], json!(count), "{query}");
    }
    let r = app.get("/transactions?status=refunded").await;
    assert!(r.error().1["status"].is_array());
    let r = app
        .get(&format!("/transactions/{}", t["id"].as_str().unwrap()))
        .await;
    assert_eq!(r.json["gross_amount"], json!(10000));

    // One customer for the three payments: the same email (any case), then the same phone.
    let r = app.get("/v1/customers").await;
    assert_eq!(r.json["pagination"]["total"], json!(1), "{}", r.text());
    let c = &r.json["data"][0];
    assert_eq!(
        (&c["email"], &c["phone_number"], &c["name"]),
        (
            &json!("awa@example.ci"),
            &json!("+2250505000011"),
            &json!("Awa Diallo")
        )
    );
    let id = c["customer_id"].as_str().unwrap();
    let r = app.get(&format!("/customers/{id}")).await;
    assert_eq!(r.json["transactions"].as_array().unwrap().len(), 3);
    let r = app
        .get(&format!("/transactions?customer_id={id}&status=completed"))
        .await;
    assert_eq!(r.json["pagination"]["total"], json!(2));
    let r = app.get("/customers?email=AWA@example.ci").await;
    assert_eq!(r.json["pagination"]["total"], json!(1));
}

#[tokio::test]
async fn a_retried_create_makes_one_session() {
    let app = app();
    let body = json!({"amount": 5000, "currency_code": "XOF", "title": "Commande 7"});
    let send = |key: &'static str, body: Value, path: &'static str| {
        let app = &app;
        async move {
            app.send(
                "POST",
                path,
                &[
                    ("X-API-Key", &app.key),
                    ("Content-Type", "application/json"),
                    ("Idempotency-Key", key),
                ],
                Some(&body.to_string()),
            )
            .await
        }
    };
    let first = send("order-7", body.clone(), "/checkout-sessions").await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text());
    // The same request again, even through the other spelling: the same session.
    let again = send("order-7", body.clone(), "/v1/checkout_sessions").await;
    assert_eq!(again.status, StatusCode::CREATED);
    assert_eq!(again.json["id"], first.json["id"]);
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    let r = app.get("/checkout-sessions").await;
    assert_eq!(r.json["pagination"]["total"], json!(1));

    // The key with another body is a mistake: 409, naming what the key made.
    let other = send(
        "order-7",
        json!({"amount": 6000, "currency_code": "XOF"}),
        "/checkout-sessions",
    )
    .await;
    assert_eq!(other.status, StatusCode::CONFLICT);
    let (code, details) = other.error();
    assert_eq!(code, "RESOURCE_CONFLICT");
    assert_eq!(details["object_id"][0], first.json["id"]);
    // …and with another create.
    let link = send(
        "order-7",
        json!({"title": "L", "amount": 100}),
        "/payment-links",
    )
    .await;
    assert_eq!(link.status, StatusCode::CONFLICT);

    // A refused body is not kept: corrected, it goes through under the same key.
    let bad = send("order-8", json!({"amount": -1}), "/checkout-sessions").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let fixed = send("order-8", json!({"amount": 1}), "/checkout-sessions").await;
    assert_eq!(fixed.status, StatusCode::CREATED);

    // Keys live 24 hours.
    app.advance(24 * 3600 + 1);
    let later = send(
        "order-7",
        json!({"amount": 6000, "currency_code": "XOF"}),
        "/checkout-sessions",
    )
    .await;
    assert_eq!(later.status, StatusCode::CREATED);
    assert_ne!(later.json["id"], first.json["id"]);

    let blank = send(" ", body, "/checkout-sessions").await;
    assert_eq!(blank.status, StatusCode::BAD_REQUEST);
}
