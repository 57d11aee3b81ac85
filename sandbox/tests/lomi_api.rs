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
            json!({"product_id": "00000000-0000-4000-8000-000000000000", "amount": 100, "currency_code": "XOF"}),
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
        ("provider=ORANGE", 0),
        (&format!("checkout_session_id={second}") as &str, 1),
        ("from=2026-01-15T00:00:00Z", 3),
        ("to=2026-01-14T00:00:00Z", 0),
    ] {
        let r = app.get(&format!("/transactions?{query}")).await;
        assert_eq!(r.status, StatusCode::OK, "{query}: {}", r.text());
        assert_eq!(r.json["pagination"]["total"], json!(count), "{query}");
    }
    for (query, param) in [
        ("status=refunded", "status"),
        ("provider=wave", "provider"),
        ("from=2026-01-15", "from"),
        ("customer_id=", "customer_id"),
    ] {
        let r = app.get(&format!("/transactions?{query}")).await;
        assert!(r.error().1[param].is_array(), "{query}");
    }
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

/// A one-time product with one XOF price; returns the price's id.
async fn priced(app: &TestApp, name: &str, price: Value) -> String {
    let r = app
        .post("/products", json!({"name": name, "prices": [price]}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    r.json["prices"][0]["price_id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn a_cart_is_priced_line_by_line_and_paid_as_one() {
    let app = app();
    let pagne = priced(
        &app,
        "Pagne wax",
        json!({"amount": 5000, "currency_code": "XOF"}),
    )
    .await;
    let sac = priced(
        &app,
        "Sac en raphia",
        json!({"amount": 12500, "currency_code": "XOF"}),
    )
    .await;
    let foulard = priced(
        &app,
        "Foulard",
        json!({"amount": 1500, "currency_code": "XOF"}),
    )
    .await;
    let r = app
        .post(
            "/coupons",
            json!({"code": "PANIER10", "discount_type": "percentage", "discount_percentage": 10}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());

    let r = app
        .post(
            "/v1/checkout_sessions",
            json!({
                "line_items": [
                    {"price_id": pagne, "quantity": 2, "metadata": {"taille": "6 yards"}},
                    {"price_id": sac},
                    {"price_id": foulard, "quantity": 3},
                ],
                "allow_coupon_code": true, "coupon_code": "panier10",
                "require_billing_address": false,
            }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let session = r.json["id"].as_str().unwrap().to_string();
    assert_eq!(
        (
            &r.json["amount"],
            &r.json["quantity"],
            &r.json["currency_code"]
        ),
        (&json!(27000), &json!(1), &json!("XOF"))
    );
    assert_eq!(r.json["title"], "Pagne wax, Sac en raphia, Foulard");
    let lines = r.json["line_items"].as_array().unwrap();
    assert_eq!(lines.len(), 3);
    assert_eq!(
        (
            &lines[0]["price_id"],
            &lines[0]["quantity"],
            &lines[0]["amount"],
            &lines[0]["metadata"]
        ),
        (
            &json!(pagne),
            &json!(2),
            &json!(10000),
            &json!({"taille": "6 yards"})
        )
    );

    // The page gets each line and the server's quote with the coupon.
    let c = app
        .public("GET", &format!("/api/checkout/sessions/{session}"), None)
        .await;
    assert_eq!(c.json["lines"].as_array().unwrap().len(), 3, "{}", c.json);
    assert_eq!(
        c.json["lines"][2],
        json!({"name": "Foulard", "quantity": 3, "unit_amount": 1500, "amount": 4500})
    );
    assert_eq!(c.json["allow_quantity"], json!(false));
    assert_eq!(
        (
            &c.json["quote"]["subtotal"],
            &c.json["quote"]["discount"],
            &c.json["quote"]["total"]
        ),
        (&json!(27000), &json!(2700), &json!(24300))
    );

    let mut body = pay_body(Some("MTN"), "0505000011");
    body["coupon_code"] = json!("PANIER10");
    let r = app.pay("sessions", &session, "cart-1", body).await;
    assert!(r.status.is_success(), "{}", r.text());
    assert_eq!(r.json["amount"], json!(24300));
    app.advance(3);
    let r = app
        .get(&format!("/transactions?checkout_session_id={session}"))
        .await;
    let t = &r.json["data"][0];
    assert_eq!(
        (
            &t["status"],
            &t["gross_amount"],
            &t["discount_amount"],
            &t["quantity"]
        ),
        (&json!("completed"), &json!(24300), &json!(2700), &json!(6))
    );
    assert_eq!(t["coupon_code"], "PANIER10");
    assert_eq!(t["line_items"], json!(lines));
    assert_eq!(app.coupon_uses("PANIER10").await, 1);
}

#[tokio::test]
async fn a_cart_holds_only_what_can_be_sold_together() {
    let app = app();
    let pagne = priced(
        &app,
        "Pagne",
        json!({"amount": 5000, "currency_code": "XOF"}),
    )
    .await;
    let don = priced(
        &app,
        "Don",
        json!({"amount": 5000, "currency_code": "XOF", "pricing_model": "pay_what_you_want", "minimum_amount": 100}),
    )
    .await;
    let dollars = priced(
        &app,
        "Livre",
        json!({"amount": 15.99, "currency_code": "USD"}),
    )
    .await;
    let r = app
        .post(
            "/products",
            json!({"name": "Club", "product_type": "recurring",
                   "prices": [{"amount": 3000, "currency_code": "XOF", "billing_interval": "month"}]}),
        )
        .await;
    let monthly = r.json["prices"][0]["price_id"]
        .as_str()
        .unwrap()
        .to_string();
    let line = |id: &str| json!({"price_id": id});
    for (body, field) in [
        (
            json!({"line_items": [line(&pagne), line(&don)]}),
            "line_items[1].price_id",
        ),
        (
            json!({"line_items": [line(&monthly)]}),
            "line_items[0].price_id",
        ),
        (
            json!({"line_items": [line(&pagne), line(&dollars)]}),
            "line_items[1].price_id",
        ),
        (
            json!({"line_items": [line(&pagne)], "currency_code": "USD"}),
            "line_items[0].price_id",
        ),
        (
            json!({"line_items": [line(&pagne)], "amount": 100}),
            "amount",
        ),
        (
            json!({"line_items": [line(&pagne)], "allow_quantity": true}),
            "allow_quantity",
        ),
        (json!({"line_items": []}), "line_items"),
        (
            json!({"line_items": [{"price_id": pagne, "quantity": 0}]}),
            "line_items[0].quantity",
        ),
        (
            json!({"line_items": [{"quantity": 2}]}),
            "line_items[0].price_id",
        ),
    ] {
        let r = app.post("/checkout-sessions", body.clone()).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{body}: {}", r.text());
        assert!(r.error().1[field].is_array(), "{body}: {}", r.text());
    }
    let r = app
        .post(
            "/checkout-sessions",
            json!({"line_items": [line("00000000-0000-4000-8000-000000000000")]}),
        )
        .await;
    assert_eq!(r.error().0, "INVALID_REFERENCE");
    // A cart in dollars takes its currency from its prices.
    let r = app
        .post(
            "/checkout-sessions",
            json!({"line_items": [line(&dollars), line(&dollars)]}),
        )
        .await;
    assert_eq!(
        (&r.json["currency_code"], &r.json["amount"]),
        (&json!("USD"), &json!(31.98))
    );
}
