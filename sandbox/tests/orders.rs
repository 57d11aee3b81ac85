//! What a payment records and what it refuses: the customer's order written onto the
//! session, coupon uses held by pending payments, trials that still need a provider,
//! coupons for new or returning customers, and the machine-readable reason of every 409.

mod common;

use axum::http::StatusCode;
use checkout_core::wire::conflict;
use common::{app, customer, pay_body, TestApp};
use serde_json::{json, Value};

/// A percentage coupon; `extra` fields are merged in.
async fn coupon(app: &TestApp, code: &str, extra: Value) {
    let mut body = json!({"code": code, "discount_type": "percentage", "discount_percentage": 10});
    if let (Some(target), Value::Object(more)) = (body.as_object_mut(), extra) {
        target.extend(more);
    }
    let r = app.post("/coupons", body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
}

/// An instant XOF link that takes coupon codes and asks no billing address.
async fn coupon_link(app: &TestApp, amount: i64) -> String {
    let r = app
        .post(
            "/payment-links",
            json!({"link_type": "instant", "title": "Pagne", "amount": amount,
                   "currency_code": "XOF", "require_billing_address": false,
                   "allow_coupon_code": true}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    r.json["id"].as_str().unwrap().to_string()
}

/// A pay body for `email`, by Wave (which waits for the customer), with `coupon` if any.
fn order(email: &str, coupon: Option<&str>) -> Value {
    let mut c = customer("0700000011");
    c["email"] = json!(email);
    json!({"customer": c, "provider": "WAVE", "coupon_code": coupon})
}

/// Settles a pending payment through CI's control: `succeed` or `fail`.
async fn settle(app: &TestApp, payment: &Value, outcome: &str) -> Value {
    let id = payment["id"].as_str().expect("payment id");
    let r = app
        .post(&format!("/sandbox/payments/{id}/{outcome}"), json!({}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    r.json
}

/// `(conflict, payment_id, session_id)` of a 409, each the first value of its detail.
fn conflict_of(r: &common::Reply) -> (String, Option<String>, Option<String>) {
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    let (code, details) = r.error();
    assert_eq!(code, "RESOURCE_CONFLICT");
    let first = |key: &str| details[key][0].as_str().map(str::to_string);
    (
        first(conflict::DETAIL).unwrap_or_default(),
        first("payment_id"),
        first("session_id"),
    )
}

async fn quote(app: &TestApp, path: String) -> common::Reply {
    app.public("POST", &format!("{path}/quote"), Some(json!({})))
        .await
}

fn message(r: &common::Reply) -> &str {
    r.json["error"]["message"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn a_paid_session_records_what_the_customer_bought() {
    let app = app();
    coupon(&app, "BIENVENUE10", json!({})).await;
    let r = app
        .post(
            "/checkout-sessions",
            json!({"amount": 5000, "currency_code": "XOF", "title": "Pagnes",
                   "allow_quantity": true, "allow_coupon_code": true,
                   "customer_name": "Client du site", "customer_email": "site@example.ci"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json["billing_address"], Value::Null);
    let session = r.json["id"].as_str().unwrap().to_string();

    let r = app
        .pay(
            "sessions",
            &session,
            "k1",
            json!({
                "quantity": 3,
                "coupon_code": "bienvenue10",
                "customer": {"name": " Awa Diallo ", "email": "awa@example.ci",
                             "phone": "07 00 00 00 11", "phone_country": "CI"},
                "provider": "WAVE",
                "billing": {"country": "sn", "city": " Dakar ",
                            "line1": "Avenue Cheikh Anta Diop", "postal_code": "12000"}
            }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json["amount"], json!(13500));
    let payment = r.json.clone();

    // Recorded as soon as the payment starts, not only once it succeeds.
    let s = app.get(&format!("/checkout-sessions/{session}")).await;
    assert_eq!(s.json["status"], "open");
    assert_eq!(s.json["quantity"], json!(3));
    assert_eq!(s.json["unit_amount"], json!(5000));
    assert_eq!(s.json["amount"], json!(15000));
    assert_eq!(s.json["coupon_code"], "BIENVENUE10");
    assert_eq!(s.json["customer_name"], "Awa Diallo");
    assert_eq!(s.json["customer_email"], "awa@example.ci");
    assert_eq!(s.json["customer_phone"], "+2250700000011");
    assert_eq!(
        s.json["billing_address"],
        json!({"country": "SN", "city": "Dakar", "line1": "Avenue Cheikh Anta Diop",
               "postal_code": "12000"})
    );

    let paid = settle(&app, &payment, "succeed").await;
    let s = app.get(&format!("/checkout-sessions/{session}")).await;
    assert_eq!(s.json["status"], "completed");
    assert_eq!(s.json["transaction_id"], paid["transaction_id"]);
    assert_eq!(s.json["quantity"], json!(3));
    assert_eq!(s.json["amount"], json!(15000));
    assert_eq!(s.json["coupon_code"], "BIENVENUE10");
    assert_eq!(s.json["billing_address"]["country"], "SN");
    assert_eq!(app.coupon_uses("BIENVENUE10").await, 1);
    // The page reopens on the same order.
    let c = app
        .public("GET", &format!("/api/checkout/sessions/{session}"), None)
        .await;
    assert_eq!(c.json["quote"]["quantity"], json!(3));
    assert_eq!(c.json["quote"]["total"], json!(13500));

    // A session born from a link records the address too; a country without postal codes
    // keeps none, whatever was sent.
    let link = app
        .post(
            "/payment-links",
            json!({"link_type": "instant", "title": "Consultation", "amount": 15000,
                   "currency_code": "XOF"}),
        )
        .await
        .json["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = app
        .pay(
            "links",
            &link,
            "k2",
            json!({"customer": customer("0700000011"), "provider": "WAVE",
                   "billing": {"country": "CI", "city": "Abidjan", "line1": "Rue des Jardins",
                               "postal_code": "whatever"}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let born = r.json["session_id"].as_str().unwrap().to_string();
    let s = app.get(&format!("/checkout-sessions/{born}")).await;
    assert_eq!(
        s.json["billing_address"],
        json!({"country": "CI", "city": "Abidjan", "line1": "Rue des Jardins",
               "postal_code": null})
    );

    // Without an address asked for, none is recorded; a customer who removed the merchant's
    // coupon pays, and is recorded, without it.
    let plain = app
        .session(
            2000,
            json!({"allow_coupon_code": true, "coupon_code": "BIENVENUE10"}),
        )
        .await;
    let r = app
        .pay(
            "sessions",
            &plain,
            "k3",
            pay_body(Some("WAVE"), "0700000011"),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json["amount"], json!(2000));
    let s = app.get(&format!("/checkout-sessions/{plain}")).await;
    assert_eq!(s.json["billing_address"], Value::Null);
    assert_eq!(s.json["coupon_code"], Value::Null);
    assert_eq!(s.json["customer_name"], "Awa Diallo");
}

#[tokio::test]
async fn an_older_database_gains_the_billing_columns() {
    // A checkout_sessions table as the first sandbox wrote it, with one row in it.
    let dir = common::temp_dir("migrate");
    let path = dir.join("sandbox.db");
    let old = rusqlite::Connection::open(&path).unwrap();
    old.execute_batch(
        "CREATE TABLE checkout_sessions (
            id TEXT PRIMARY KEY, merchant_id TEXT NOT NULL, status TEXT NOT NULL,
            unit_amount INTEGER NOT NULL, quantity INTEGER NOT NULL, currency TEXT NOT NULL,
            title TEXT NOT NULL, description TEXT, customer_id TEXT, customer_email TEXT,
            customer_name TEXT, customer_phone TEXT, product_id TEXT, price_id TEXT,
            subscription_id TEXT, payment_link_id TEXT, allow_quantity INTEGER NOT NULL,
            allow_coupon_code INTEGER NOT NULL, require_billing_address INTEGER NOT NULL,
            success_url TEXT, cancel_url TEXT, metadata TEXT, coupon_code TEXT,
            transaction_id TEXT, demo_key TEXT UNIQUE, expires_at INTEGER NOT NULL,
            created_at INTEGER NOT NULL);
         INSERT INTO checkout_sessions VALUES ('cs_old', 'm_old', 'completed', 1000, 1, 'XOF',
            'Ancienne', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, 0, NULL,
            NULL, NULL, NULL, 'txn_old', NULL, 0, 0);",
    )
    .unwrap();
    drop(old);

    let config = lomi_sandbox::Config {
        db_path: path.to_string_lossy().into_owned(),
        ..common::config()
    };
    for _ in 0..2 {
        // Opening again finds the columns already there.
        let app = common::app_with(config.clone());
        let session = app
            .session(5000, json!({"require_billing_address": true}))
            .await;
        let r = app
            .pay(
                "sessions",
                &session,
                "k",
                json!({"customer": customer("0700000011"), "provider": "WAVE",
                       "billing": {"country": "FR", "city": "Paris", "line1": "1 rue de Rivoli",
                                   "postal_code": "75001"}}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let s = app.get(&format!("/checkout-sessions/{session}")).await;
        assert_eq!(s.json["billing_address"]["postal_code"], "75001");
    }
    let db = rusqlite::Connection::open(&path).unwrap();
    let (title, country): (String, Option<String>) = db
        .query_row(
            "SELECT title, billing_country FROM checkout_sessions WHERE id = 'cs_old'",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .unwrap();
    assert_eq!((title.as_str(), country), ("Ancienne", None));
    drop(db);
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn a_coupons_last_use_is_held_while_a_payment_is_pending() {
    let app = app();
    coupon(&app, "UNEFOIS", json!({"max_uses": 1})).await;
    let link = coupon_link(&app, 5000).await;

    let first = app
        .pay(
            "links",
            &link,
            "k1",
            order("awa@example.ci", Some("unefois")),
        )
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text());
    assert_eq!(first.json["status"], "pending");
    assert_eq!(first.json["amount"], json!(4500));

    // The only use is held: a second customer cannot spend it meanwhile.
    let second = app
        .pay(
            "links",
            &link,
            "k2",
            order("kofi@example.ci", Some("UNEFOIS")),
        )
        .await;
    assert_eq!(second.status, StatusCode::BAD_REQUEST, "{}", second.text());
    let (code, details) = second.error();
    assert_eq!(code, "INVALID_REQUEST");
    assert_eq!(
        details["coupon_code"],
        json!(["This coupon has been used up"])
    );
    // Without the code, the same customer pays.
    let r = app
        .pay("links", &link, "k2b", order("kofi@example.ci", None))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());

    // A failure frees the use.
    settle(&app, &first.json, "fail").await;
    let third = app
        .pay(
            "links",
            &link,
            "k3",
            order("kofi@example.ci", Some("UNEFOIS")),
        )
        .await;
    assert_eq!(third.status, StatusCode::CREATED, "{}", third.text());
    assert_eq!(app.coupon_uses("UNEFOIS").await, 0);

    // Success counts it exactly once; then it is spent for good.
    settle(&app, &third.json, "succeed").await;
    assert_eq!(app.coupon_uses("UNEFOIS").await, 1);
    let r = app
        .pay(
            "links",
            &link,
            "k3",
            order("kofi@example.ci", Some("UNEFOIS")),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "a replay is not a new use");
    assert_eq!(app.coupon_uses("UNEFOIS").await, 1);
    let r = app
        .pay(
            "links",
            &link,
            "k4",
            order("ama@example.ci", Some("UNEFOIS")),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
    assert!(r.error().1["coupon_code"].is_array());
    assert_eq!(app.coupon_uses("UNEFOIS").await, 1);
}

/// A recurring product with one XOF monthly price; returns a plan link's id.
async fn plan_link(app: &TestApp, product: Value, providers: Value) -> String {
    let mut body = json!({"name": "Abonnement", "product_type": "recurring",
        "prices": [{"amount": 5000, "currency_code": "XOF", "billing_interval": "month"}]});
    if let (Some(target), Value::Object(more)) = (body.as_object_mut(), product) {
        target.extend(more);
    }
    let r = app.post("/products", body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let plan = r.json["id"].as_str().unwrap().to_string();
    let r = app
        .post(
            "/payment-links",
            json!({"link_type": "plan", "title": "Abonnement", "currency_code": "XOF",
                   "plan_id": plan, "require_billing_address": false,
                   "allowed_providers": providers}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    r.json["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn trials_and_deferred_first_payments_still_need_a_provider() {
    let app = app();
    let trial = plan_link(
        &app,
        json!({"trial_enabled": true, "trial_period_days": 14}),
        json!(["WAVE", "MTN"]),
    )
    .await;
    let quote = app
        .public("POST", &format!("/api/checkout/links/{trial}/quote"), None)
        .await;
    assert_eq!(
        (&quote.json["total"], &quote.json["due_today"]),
        (&json!(5000), &json!(0))
    );

    // Nothing due today is not a free order: the later charges need a provider.
    let cases = [
        (json!({"customer": customer("")}), "provider"),
        (pay_body(Some("STRIPE"), ""), "provider"),
        (pay_body(Some("MTN"), ""), "customer.phone"),
    ];
    for (i, (body, field)) in cases.into_iter().enumerate() {
        let r = app.pay("links", &trial, &format!("bad-{i}"), body).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{field}: {}", r.text());
        assert!(r.error().1[field].is_array(), "{field}: {}", r.text());
    }

    let r = app
        .pay("links", &trial, "ok", pay_body(Some("MTN"), "0500000011"))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let p = r.json.clone();
    assert_eq!(p["status"], "succeeded");
    assert_eq!(p["provider"], "MTN");
    assert_eq!(p["amount"], json!(0));
    assert_eq!(p["next_action"], json!({"type": "none"}));
    assert_eq!(p["transaction_id"].as_str().unwrap().len(), 36, "a UUID");
    let s = app
        .get(&format!(
            "/checkout-sessions/{}",
            p["session_id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(s.json["status"], "completed");
    assert_eq!(s.json["transaction_id"], p["transaction_id"]);
    assert_eq!(s.json["customer_phone"], "+2250500000011");

    // The provider must be able to take the charges to come (a card's floor is 500 XOF).
    let cheap = plan_link(
        &app,
        json!({"trial_enabled": true, "trial_period_days": 7,
               "prices": [{"amount": 300, "currency_code": "XOF", "billing_interval": "month"}]}),
        json!(["STRIPE", "WAVE"]),
    )
    .await;
    let r = app
        .pay("links", &cheap, "card", pay_body(Some("STRIPE"), ""))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
    assert_eq!(
        r.error().1["provider"],
        json!(["STRIPE takes at least 500 XOF"])
    );

    // A deferred first payment: the same, by card.
    let deferred = plan_link(
        &app,
        json!({"first_payment_type": "non_initial"}),
        json!(["STRIPE", "WAVE"]),
    )
    .await;
    let r = app
        .pay(
            "links",
            &deferred,
            "none",
            json!({"customer": customer("")}),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
    assert!(r.error().1["provider"].is_array());
    let r = app
        .pay("links", &deferred, "card", pay_body(Some("STRIPE"), ""))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json["status"], "succeeded");
    assert_eq!(r.json["provider"], "STRIPE");
    assert_eq!(r.json["amount"], json!(0));
    assert_eq!(r.json["next_action"], json!({"type": "none"}));
    assert!(r.json["transaction_id"].is_string());
    let c = app
        .public(
            "GET",
            &format!(
                "/api/checkout/sessions/{}",
                r.json["session_id"].as_str().unwrap()
            ),
            None,
        )
        .await;
    assert_eq!(c.json["status"], "completed");
}

#[tokio::test]
async fn coupons_for_new_or_returning_customers() {
    let app = app();
    coupon(&app, "NOUVEAU", json!({"customer_type": "new"})).await;
    coupon(&app, "FIDELE", json!({"customer_type": "returning"})).await;
    let link = coupon_link(&app, 5000).await;
    let refused = |r: &common::Reply, why: &str| {
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
        let (code, details) = r.error();
        assert_eq!(code, "INVALID_REQUEST");
        assert_eq!(details["coupon_code"], json!([why]));
    };

    // Awa has never paid: new, not returning. A pending payment does not make her returning.
    let r = app
        .pay(
            "links",
            &link,
            "a1",
            order("awa@example.ci", Some("FIDELE")),
        )
        .await;
    refused(&r, "This coupon is for returning customers only");
    let pending = app
        .pay(
            "links",
            &link,
            "a2",
            order("awa@example.ci", Some("NOUVEAU")),
        )
        .await;
    assert_eq!(pending.status, StatusCode::CREATED, "{}", pending.text());
    let r = app
        .pay(
            "links",
            &link,
            "a3",
            order("awa@example.ci", Some("FIDELE")),
        )
        .await;
    refused(&r, "This coupon is for returning customers only");

    // Once a payment of hers succeeded she is returning, however her email is written.
    settle(&app, &pending.json, "succeed").await;
    let r = app
        .pay(
            "links",
            &link,
            "a4",
            order(" AWA@Example.CI", Some("NOUVEAU")),
        )
        .await;
    refused(&r, "This coupon is for new customers only");
    let r = app
        .pay(
            "links",
            &link,
            "a5",
            order("Awa@example.ci", Some("FIDELE")),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json["amount"], json!(4500));

    // Kofi is still new.
    let r = app
        .pay(
            "links",
            &link,
            "k1",
            order("kofi@example.ci", Some("FIDELE")),
        )
        .await;
    refused(&r, "This coupon is for returning customers only");
    let r = app
        .pay(
            "links",
            &link,
            "k2",
            order("kofi@example.ci", Some("NOUVEAU")),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());

    // A merchant's session paid by Ama records her email, so she is returning afterwards.
    let session = app
        .session(
            3000,
            json!({"allow_coupon_code": true, "customer_email": "someone@example.ci"}),
        )
        .await;
    let r = app
        .pay("sessions", &session, "s1", order("ama@example.ci", None))
        .await;
    settle(&app, &r.json, "succeed").await;
    let r = app
        .pay(
            "links",
            &link,
            "m1",
            order("ama@example.ci", Some("NOUVEAU")),
        )
        .await;
    refused(&r, "This coupon is for new customers only");
    let r = app
        .pay(
            "links",
            &link,
            "m2",
            order("someone@example.ci", Some("NOUVEAU")),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
}

#[tokio::test]
async fn every_conflict_says_why() {
    let app = app();
    let body = || pay_body(Some("WAVE"), "0700000011");

    // A pending payment on the session: named, with its session.
    let session = app.session(5000, json!({})).await;
    let first = app.pay("sessions", &session, "k1", body()).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text());
    let pay_id = first.json["id"].as_str().unwrap().to_string();
    let r = app.pay("sessions", &session, "k2", body()).await;
    assert_eq!(
        conflict_of(&r),
        (
            conflict::PAYMENT_PENDING.to_string(),
            Some(pay_id.clone()),
            Some(session.clone())
        )
    );
    assert_eq!(
        message(&r),
        "A payment is already pending for this checkout session"
    );

    // The same key with a changed order: the payment that key started, not a second charge.
    let changed = json!({"customer": customer("0700000011"), "provider": "ORANGE"});
    let r = app.pay("sessions", &session, "k1", changed.clone()).await;
    assert_eq!(
        conflict_of(&r),
        (
            conflict::KEY_REUSED.to_string(),
            Some(pay_id.clone()),
            Some(session.clone())
        )
    );
    assert_eq!(
        message(&r),
        "Idempotency-Key reused with a different request"
    );
    assert!(r.error().1["Idempotency-Key"].is_array());
    // On a link, the session named is the one the first attempt made.
    let link = app.link(5000, &[]).await;
    let on_link = app.pay("links", &link, "l1", body()).await;
    assert_eq!(on_link.status, StatusCode::CREATED, "{}", on_link.text());
    let r = app.pay("links", &link, "l1", changed).await;
    assert_eq!(
        conflict_of(&r),
        (
            conflict::KEY_REUSED.to_string(),
            on_link.json["id"].as_str().map(str::to_string),
            on_link.json["session_id"].as_str().map(str::to_string)
        )
    );

    // Completed: paying and pricing both say so.
    settle(&app, &first.json, "succeed").await;
    let r = app.pay("sessions", &session, "k3", body()).await;
    assert_eq!(conflict_of(&r).0, conflict::COMPLETED);
    assert_eq!(
        message(&r),
        "This checkout session is already completed: it cannot be paid again"
    );
    let r = quote(&app, format!("/api/checkout/sessions/{session}")).await;
    assert_eq!(conflict_of(&r).0, conflict::COMPLETED);

    // Inactive link.
    let r = app
        .post(
            "/payment-links",
            json!({"link_type": "instant", "title": "Off", "currency_code": "XOF", "amount": 5000,
                   "is_active": false, "require_billing_address": false}),
        )
        .await;
    let off = r.json["id"].as_str().unwrap().to_string();
    let r = app.pay("links", &off, "k", body()).await;
    assert_eq!(conflict_of(&r).0, conflict::INACTIVE);
    assert_eq!(
        message(&r),
        "This payment link is inactive: it cannot be paid"
    );
    let r = quote(&app, format!("/api/checkout/links/{off}")).await;
    assert_eq!(conflict_of(&r).0, conflict::INACTIVE);

    // Expired link and expired session.
    let r = app
        .post(
            "/payment-links",
            json!({"link_type": "instant", "title": "Soon", "currency_code": "XOF", "amount": 5000,
                   "require_billing_address": false, "expires_at": "2026-01-15T11:00:00Z"}),
        )
        .await;
    let soon = r.json["id"].as_str().unwrap().to_string();
    let late = app.session(5000, json!({})).await;
    app.advance(3600);
    let r = app.pay("links", &soon, "k", body()).await;
    assert_eq!(conflict_of(&r).0, conflict::EXPIRED);
    assert_eq!(
        message(&r),
        "This payment link has expired: it can no longer be paid"
    );
    let r = quote(&app, format!("/api/checkout/links/{soon}")).await;
    assert_eq!(conflict_of(&r).0, conflict::EXPIRED);
    let r = app.pay("sessions", &late, "k", body()).await;
    assert_eq!(conflict_of(&r).0, conflict::EXPIRED);
    assert_eq!(
        message(&r),
        "This checkout session has expired: it can no longer be paid"
    );
    let r = quote(&app, format!("/api/checkout/sessions/{late}")).await;
    assert_eq!(conflict_of(&r).0, conflict::EXPIRED);
}
