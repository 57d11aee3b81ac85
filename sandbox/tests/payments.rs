//! Paying a link or a session through the public API, as the page does: server-side
//! pricing, validation, idempotency (replays, reused keys, racing double clicks), the one
//! pending payment per session, and what the merchant sees afterwards.

mod common;

use axum::http::StatusCode;
use common::{app, customer, demo_app, last_segment, pay_body, start_time, wrap, BASE};
use lomi_sandbox::{AppState, Clock, Config};
use serde_json::{json, Value};
use std::sync::Arc;

fn error_message(r: &common::Reply) -> String {
    r.json["error"]["message"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

async fn session_count(app: &common::TestApp) -> u64 {
    app.get("/checkout-sessions?limit=1").await.json["pagination"]["total"]
        .as_u64()
        .unwrap()
}

#[tokio::test]
async fn paying_a_link_makes_a_session_from_the_link_and_the_customer() {
    let app = app();
    let r = app
        .post(
            "/payment-links",
            json!({"link_type": "instant", "title": "Consultation", "amount": 15000,
                   "currency_code": "XOF", "require_billing_address": false,
                   "success_url": "https://shop.example/merci?cs={CHECKOUT_SESSION_ID}",
                   "cancel_url": "https://shop.example/panier",
                   "metadata": {"order": "A-1"}}),
        )
        .await;
    let link = r.json["id"].as_str().unwrap().to_string();

    let r = app
        .pay(
            "links",
            &link,
            "k1",
            pay_body(Some("MTN"), "05 00 00 00 11"),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.header("cache-control"), Some("no-store"));
    let p = r.json.clone();
    let pay_id = p["id"].as_str().unwrap();
    assert!(
        pay_id.starts_with("pay_")
            && pay_id.len() == 36
            && pay_id[4..].bytes().all(|b| b.is_ascii_hexdigit()),
        "{pay_id}"
    );
    assert_eq!(p["started_from"], json!({"kind": "instant", "id": link}));
    assert_eq!(p["amount"], json!(15000));
    assert_eq!(p["currency"], "XOF");
    assert_eq!(p["provider"], "MTN");
    assert_eq!(p["status"], "pending");
    assert_eq!(p["failure"], Value::Null);
    assert_eq!(p["transaction_id"], Value::Null);
    assert_eq!(p["created_at"], json!(start_time()));
    assert_eq!(p["waited_seconds"], json!(0));
    assert_eq!(p["cancel_url"], "https://shop.example/panier");
    // Where success leads is only said once paid.
    assert_eq!(p["success_url"], Value::Null);

    let session_id = p["session_id"].as_str().unwrap().to_string();
    assert_eq!((session_id.len(), &session_id[14..15]), (36, "4"));
    let s = app.get(&format!("/checkout-sessions/{session_id}")).await;
    assert_eq!(s.status, StatusCode::OK);
    assert_eq!(s.json["status"], "open");
    assert_eq!(s.json["payment_link_id"], json!(link));
    assert_eq!(s.json["title"], "Consultation");
    assert_eq!(s.json["amount"], json!(15000));
    assert_eq!(s.json["customer_name"], "Awa Diallo");
    assert_eq!(s.json["customer_email"], "awa@example.ci");
    assert_eq!(s.json["customer_phone"], "+2250500000011");
    assert_eq!(s.json["metadata"], json!({"order": "A-1"}));
    assert_eq!(s.json["cancel_url"], "https://shop.example/panier");
    assert_eq!(
        s.json["expires_at"],
        json!(checkout_core::calendar::to_rfc3339(start_time() + 3600))
    );

    // The public session shows the payment in flight and where "back" goes.
    let c = app
        .public("GET", &format!("/api/checkout/sessions/{session_id}"), None)
        .await;
    assert_eq!(c.json["payment"]["id"], p["id"]);
    assert_eq!(c.json["payment"]["status"], "pending");
    assert_eq!(c.json["cancel_url"], "https://shop.example/panier");
    // Durations by the server's clock, so a phone with a wrong clock still counts right.
    assert_eq!(c.json["expires_in_seconds"], json!(3600));
    let l = app
        .public("GET", &format!("/api/checkout/links/{link}"), None)
        .await;
    assert_eq!(l.json["payment"], Value::Null);
    assert_eq!(
        l.json["expires_in_seconds"],
        Value::Null,
        "the link never expires"
    );
    app.advance(1);
    let c = app
        .public("GET", &format!("/api/checkout/sessions/{session_id}"), None)
        .await;
    assert_eq!(c.json["expires_in_seconds"], json!(3599));
    assert_eq!(c.json["payment"]["waited_seconds"], json!(1));
    assert_eq!(l.json["cancel_url"], "https://shop.example/panier");

    // Settled: the placeholder is replaced, the session completed with the same transaction.
    app.advance(1);
    let paid = app.payment(pay_id).await.json;
    assert_eq!(paid["status"], "succeeded");
    assert_eq!(paid["waited_seconds"], json!(2));
    assert_eq!(
        paid["success_url"],
        json!(format!("https://shop.example/merci?cs={session_id}"))
    );
    let s = app.get(&format!("/checkout-sessions/{session_id}")).await;
    assert_eq!(s.json["status"], "completed");
    assert_eq!(s.json["transaction_id"], paid["transaction_id"]);
    let c = app
        .public("GET", &format!("/api/checkout/sessions/{session_id}"), None)
        .await;
    assert_eq!(c.json["status"], "completed");
    assert_eq!(c.json["payment"], paid);
    let listed = app.get("/checkout-sessions?status=completed").await;
    assert_eq!(listed.json["data"][0]["id"], json!(session_id));
}

#[tokio::test]
async fn the_demo_merchant_has_no_default_cancel_url() {
    let app = demo_app();
    let links = lomi_sandbox::domain::demo::seed(&app.state).unwrap();
    let session = last_segment(&links.session);
    let c = app
        .public("GET", &format!("/api/checkout/sessions/{session}"), None)
        .await;
    assert_eq!(c.json["cancel_url"], Value::Null);
    assert_eq!(c.json["payment"], Value::Null);
}

#[tokio::test]
async fn without_its_own_urls_a_payment_falls_back_to_the_merchants_defaults() {
    let app = common::app_with(Config {
        merchant_success_url: Some("https://shop.example/merci?cs={CHECKOUT_SESSION_ID}".into()),
        merchant_cancel_url: Some("https://shop.example/panier".into()),
        usual_wait_secs: Some(5),
        ..common::config()
    });
    let link = app.link(5000, &[]).await;
    let c = app
        .public("GET", &format!("/api/checkout/links/{link}"), None)
        .await;
    assert_eq!(c.json["cancel_url"], "https://shop.example/panier");

    let r = app
        .pay(
            "links",
            &link,
            "k-defaults",
            pay_body(Some("MTN"), "0506070809"),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json["cancel_url"], "https://shop.example/panier");
    assert_eq!(r.json["usual_wait_seconds"], 5);
    let payment = r.json["id"].as_str().unwrap().to_string();
    let session = r.json["session_id"].as_str().unwrap().to_string();
    app.advance(10);
    let done = app.payment(&payment).await;
    assert_eq!(done.json["status"], "succeeded", "{}", done.text());
    assert_eq!(
        done.json["success_url"],
        format!("https://shop.example/merci?cs={session}")
    );

    // A link's own URL wins over the default.
    let own = app
        .post(
            "/payment-links",
            json!({"link_type": "instant", "title": "X", "amount": 1000, "currency_code": "XOF",
                   "require_billing_address": false, "cancel_url": "https://other.example/c"}),
        )
        .await;
    let own = own.json["id"].as_str().unwrap().to_string();
    let c = app
        .public("GET", &format!("/api/checkout/links/{own}"), None)
        .await;
    assert_eq!(c.json["cancel_url"], "https://other.example/c");
}

#[tokio::test]
async fn replays_return_the_same_payment_and_reused_keys_are_refused() {
    let app = app();
    let link = app.link(5_000, &[]).await;
    let body = pay_body(Some("WAVE"), "0700000011");
    let first = app.pay("links", &link, "same-key", body.clone()).await;
    assert_eq!(first.status, StatusCode::CREATED);
    assert_eq!(session_count(&app).await, 1);

    // The same order, however its JSON is spelled.
    let spelled = r#"{ "provider": "WAVE",
        "customer": {"phone_country": "CI", "phone": "0700000011", "email": "awa@example.ci", "name": "Awa Diallo"} }"#;
    let again = app
        .send(
            "POST",
            &format!("/api/checkout/links/{link}/pay"),
            &[
                ("Content-Type", "application/json"),
                ("Idempotency-Key", "same-key"),
            ],
            Some(spelled),
        )
        .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text());
    assert_eq!(again.json, first.json);
    assert_eq!(
        session_count(&app).await,
        1,
        "a replay makes no second session"
    );

    // A replay after the payment settled answers with its current state.
    app.form(
        &format!(
            "/sandbox/wave/{}/approve",
            first.json["id"].as_str().unwrap()
        ),
        "",
    )
    .await;
    let settled = app.pay("links", &link, "same-key", body.clone()).await;
    assert_eq!(settled.status, StatusCode::OK);
    assert_eq!(settled.json["id"], first.json["id"]);
    assert_eq!(settled.json["status"], "succeeded");

    let changed = app
        .pay(
            "links",
            &link,
            "same-key",
            pay_body(Some("ORANGE"), "0700000011"),
        )
        .await;
    assert_eq!(changed.status, StatusCode::CONFLICT);
    assert_eq!(changed.error().0, "RESOURCE_CONFLICT");
    assert_eq!(
        error_message(&changed),
        "Idempotency-Key reused with a different request"
    );

    // Keys are per link or session: the same key elsewhere is a new attempt.
    let other = app.link(5_000, &[]).await;
    let r = app.pay("links", &other, "same-key", body.clone()).await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_ne!(r.json["id"], first.json["id"]);
    // And a new key on the same link is a new attempt with its own session.
    let r = app.pay("links", &link, "new-key", body).await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_ne!(r.json["session_id"], first.json["session_id"]);
}

#[tokio::test]
async fn the_idempotency_key_is_required_and_bounded() {
    let app = app();
    let link = app.link(5_000, &[]).await;
    let body = pay_body(Some("WAVE"), "0700000011").to_string();
    let path = format!("/api/checkout/links/{link}/pay");
    let json_type = ("Content-Type", "application/json");
    let long = "k".repeat(256);
    for headers in [
        vec![json_type],
        vec![json_type, ("Idempotency-Key", "")],
        vec![json_type, ("Idempotency-Key", "   ")],
        vec![json_type, ("Idempotency-Key", long.as_str())],
    ] {
        let r = app.send("POST", &path, &headers, Some(&body)).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{headers:?}");
        let (code, details) = r.error();
        assert_eq!(code, "INVALID_REQUEST");
        assert!(details["Idempotency-Key"].is_array(), "{}", r.text());
    }
    assert_eq!(session_count(&app).await, 0);
    let r = app
        .pay(
            "links",
            &link,
            &"k".repeat(255),
            pay_body(Some("WAVE"), "0700000011"),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);

    // Bodies are read like every other: not JSON, not an object, wrong types.
    let r = app
        .send(
            "POST",
            &path,
            &[("Idempotency-Key", "x")],
            Some("provider=WAVE"),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = app
        .pay(
            "links",
            &link,
            "x",
            json!({"customer": "Awa", "provider": "PAYPAL", "quantity": -1}),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let details = r.error().1;
    for key in ["customer", "provider", "quantity"] {
        assert!(details[key].is_array(), "{key}: {details}");
    }
    let r = app
        .pay(
            "links",
            &link,
            "x",
            json!({"customer": {"name": 5}, "billing": []}),
        )
        .await;
    let details = r.error().1;
    assert!(details["customer.name"].is_array(), "{details}");
    assert!(details["billing"].is_array(), "{details}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_double_clicks_start_exactly_one_payment() {
    let app = Arc::new(app());
    let link = app.link(5_000, &[]).await;
    let mut tasks = Vec::new();
    for _ in 0..5 {
        let app = Arc::clone(&app);
        let link = link.clone();
        tasks.push(tokio::spawn(async move {
            app.pay(
                "links",
                &link,
                "double-click",
                pay_body(Some("MTN"), "0500000011"),
            )
            .await
        }));
    }
    let mut created = 0;
    let mut ids = Vec::new();
    for task in tasks {
        let r = task.await.unwrap();
        match r.status {
            StatusCode::CREATED => created += 1,
            StatusCode::OK => {}
            other => panic!("unexpected {other}: {}", r.text()),
        }
        ids.push(r.json["id"].clone());
    }
    assert_eq!(created, 1);
    assert!(ids.iter().all(|id| *id == ids[0]), "{ids:?}");
    assert_eq!(session_count(&app).await, 1);

    // Two tabs on one session, each with its own key: one payment, one conflict.
    let session = app.session(10_000, json!({})).await;
    let mut tasks = Vec::new();
    for key in ["tab-1", "tab-2"] {
        let app = Arc::clone(&app);
        let session = session.clone();
        tasks.push(tokio::spawn(async move {
            app.pay(
                "sessions",
                &session,
                key,
                pay_body(Some("MTN"), "0500000011"),
            )
            .await
        }));
    }
    let mut replies = Vec::new();
    for task in tasks {
        replies.push(task.await.unwrap());
    }
    replies.sort_by_key(|r| r.status);
    assert_eq!(
        replies[0].status,
        StatusCode::CREATED,
        "{}",
        replies[0].text()
    );
    assert_eq!(
        replies[1].status,
        StatusCode::CONFLICT,
        "{}",
        replies[1].text()
    );
    assert_eq!(
        error_message(&replies[1]),
        "A payment is already pending for this checkout session"
    );
    let details = replies[1].error().1;
    assert_eq!(details["payment_id"], json!([replies[0].json["id"]]));
    assert_eq!(details["session_id"], json!([session]));
    assert_eq!(details["conflict"], json!(["payment_pending"]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_servers_on_one_database_still_start_one_payment() {
    // Two connections to one file: only SQLite's locks and unique indexes stand between
    // them, not the server's own mutex.
    let dir = common::temp_dir("race");
    let config = Config {
        db_path: dir.join("sandbox.db").to_string_lossy().into_owned(),
        ..common::config()
    };
    let clock = Clock::system();
    clock.set(start_time());
    let a = Arc::new(wrap(
        AppState::with_clock(&config, BASE, clock.clone()).unwrap(),
    ));
    let b = Arc::new(wrap(AppState::with_clock(&config, BASE, clock).unwrap()));
    let session = a.session(10_000, json!({})).await;

    let mut tasks = Vec::new();
    for i in 0..6 {
        let app = Arc::clone(if i % 2 == 0 { &a } else { &b });
        let session = session.clone();
        tasks.push(tokio::spawn(async move {
            app.pay(
                "sessions",
                &session,
                "same",
                pay_body(Some("MTN"), "0500000011"),
            )
            .await
        }));
    }
    let mut created = 0;
    let mut ids = Vec::new();
    for task in tasks {
        let r = task.await.unwrap();
        assert!(
            matches!(r.status, StatusCode::CREATED | StatusCode::OK),
            "{}",
            r.text()
        );
        created += usize::from(r.status == StatusCode::CREATED);
        ids.push(r.json["id"].clone());
    }
    assert_eq!(created, 1);
    assert!(ids.iter().all(|id| *id == ids[0]));

    let other = a.session(10_000, json!({})).await;
    let tasks = [("x", Arc::clone(&a)), ("y", Arc::clone(&b))].map(|(key, app)| {
        let other = other.clone();
        tokio::spawn(async move {
            app.pay("sessions", &other, key, pay_body(Some("MTN"), "0500000011"))
                .await
        })
    });
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap().status);
    }
    statuses.sort();
    assert_eq!(statuses, vec![StatusCode::CREATED, StatusCode::CONFLICT]);
    drop((a, b));
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn a_session_is_paid_once_and_a_failure_leaves_it_open() {
    let app = app();
    let session = app
        .session(
            10_000,
            json!({"success_url": "https://shop.example/ok/{CHECKOUT_SESSION_ID}"}),
        )
        .await;
    // A failed attempt leaves the session open, out of the public view, and payable again.
    let r = app
        .pay(
            "sessions",
            &session,
            "a1",
            pay_body(Some("MTN"), "0500000001"),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(
        r.json["started_from"],
        json!({"kind": "session", "id": session})
    );
    let pending = r.json["id"].clone();
    let r = app
        .pay(
            "sessions",
            &session,
            "a2",
            pay_body(Some("WAVE"), "0700000011"),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.error().1["payment_id"], json!([pending]));

    app.advance(2);
    let failed = app.payment(pending.as_str().unwrap()).await;
    assert_eq!(failed.json["status"], "failed");
    assert_eq!(failed.json["success_url"], Value::Null);
    let s = app.get(&format!("/checkout-sessions/{session}")).await;
    assert_eq!(s.json["status"], "open");
    assert_eq!(s.json["transaction_id"], Value::Null);
    let c = app
        .public("GET", &format!("/api/checkout/sessions/{session}"), None)
        .await;
    assert_eq!(c.json["status"], "open");
    assert_eq!(c.json["payment"], Value::Null);

    let r = app
        .pay("sessions", &session, "a2", pay_body(Some("STRIPE"), ""))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let card = r.json["id"].as_str().unwrap().to_string();
    let r = app
        .form(
            &format!("/sandbox/card/{card}"),
            "number=4242424242424242&expiry=12%2F30&cvc=123",
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let paid = app.payment(&card).await.json;
    assert_eq!(paid["status"], "succeeded");
    assert_eq!(
        paid["success_url"],
        json!(format!("https://shop.example/ok/{session}"))
    );

    // Never paid again: a new key is refused, the old key replays the same payment.
    let r = app
        .pay(
            "sessions",
            &session,
            "a3",
            pay_body(Some("WAVE"), "0700000011"),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(error_message(&r).contains("completed"), "{}", r.text());
    let r = app
        .pay("sessions", &session, "a2", pay_body(Some("STRIPE"), ""))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json, paid);
    let s = app.get(&format!("/checkout-sessions/{session}")).await;
    assert_eq!(s.json["status"], "completed");
    assert_eq!(s.json["transaction_id"], paid["transaction_id"]);

    // An expired session cannot be paid either.
    let late = app.session(10_000, json!({})).await;
    app.advance(3600);
    let r = app
        .pay(
            "sessions",
            &late,
            "b1",
            pay_body(Some("WAVE"), "0700000011"),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(error_message(&r).contains("expired"), "{}", r.text());
    let r = app
        .pay(
            "sessions",
            "cs_nope",
            "b1",
            pay_body(Some("WAVE"), "0700000011"),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn inactive_and_expired_links_cannot_be_paid() {
    let app = app();
    let r = app
        .post(
            "/payment-links",
            json!({"link_type": "instant", "title": "Off", "currency_code": "XOF", "amount": 5000,
                   "is_active": false, "require_billing_address": false}),
        )
        .await;
    let off = r.json["id"].as_str().unwrap().to_string();
    let r = app
        .pay("links", &off, "k", pay_body(Some("WAVE"), "0700000011"))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.error().0, "RESOURCE_CONFLICT");

    let r = app
        .post(
            "/payment-links",
            json!({"link_type": "instant", "title": "Soon", "currency_code": "XOF", "amount": 5000,
                   "require_billing_address": false, "expires_at": "2026-01-15T11:00:00Z"}),
        )
        .await;
    let soon = r.json["id"].as_str().unwrap().to_string();
    app.advance(3600);
    let r = app
        .pay("links", &soon, "k", pay_body(Some("WAVE"), "0700000011"))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(error_message(&r).contains("expired"));
    let r = app
        .pay("links", "nope", "k", pay_body(Some("WAVE"), "0700000011"))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(session_count(&app).await, 0);
}

#[tokio::test]
async fn free_orders_complete_at_once_and_count_the_coupon_once() {
    let app = demo_app();
    let links = lomi_sandbox::domain::demo::seed(&app.state).unwrap();
    let product = last_segment(&links.product);
    assert_eq!(app.coupon_uses("GRATUIT").await, 0);
    let body = json!({
        "quantity": 2,
        "coupon_code": "gratuit",
        "customer": customer(""),
        // The page may still have a provider selected: a free order ignores it.
        "provider": "MTN",
    });
    let r = app.pay("links", &product, "free", body.clone()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let p = r.json.clone();
    assert_eq!(p["status"], "succeeded");
    assert_eq!(p["provider"], Value::Null);
    assert_eq!(p["amount"], json!(0));
    assert_eq!(p["usual_wait_seconds"], json!(0));
    assert_eq!(p["next_action"], json!({"type": "none"}));
    assert_eq!(p["started_from"], json!({"kind": "product", "id": product}));
    assert_eq!(p["transaction_id"].as_str().unwrap().len(), 36, "a UUID");
    assert_eq!(app.coupon_uses("GRATUIT").await, 1);

    let session = p["session_id"].as_str().unwrap();
    let s = app.get(&format!("/checkout-sessions/{session}")).await;
    assert_eq!(s.json["status"], "completed");
    assert_eq!(s.json["coupon_code"], "GRATUIT");
    assert_eq!(s.json["quantity"], json!(2));
    assert_eq!(s.json["transaction_id"], p["transaction_id"]);

    // Replays and reads never count it again.
    let r = app.pay("links", &product, "free", body).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json, p);
    app.payment(p["id"].as_str().unwrap()).await;
    app.public("GET", &format!("/api/checkout/sessions/{session}"), None)
        .await;
    assert_eq!(app.coupon_uses("GRATUIT").await, 1);

    // A discount that still leaves something to pay is counted when the payment succeeds,
    // not when it starts, and not when it fails.
    let r = app
        .pay(
            "links",
            &product,
            "welcome",
            json!({"coupon_code": "WELCOME10", "customer": customer("0500000001"), "provider": "MTN"}),
        )
        .await;
    assert_eq!(r.json["amount"], json!(4500));
    assert_eq!(app.coupon_uses("WELCOME10").await, 0);
    app.advance(2);
    assert_eq!(
        app.payment(r.json["id"].as_str().unwrap()).await.json["status"],
        "failed"
    );
    assert_eq!(app.coupon_uses("WELCOME10").await, 0);
    let r = app
        .pay(
            "links",
            &product,
            "welcome-2",
            json!({"coupon_code": "WELCOME10", "customer": customer("0500000011"), "provider": "MTN"}),
        )
        .await;
    assert_eq!(app.coupon_uses("WELCOME10").await, 0);
    app.advance(2);
    for _ in 0..3 {
        app.payment(r.json["id"].as_str().unwrap()).await;
    }
    assert_eq!(app.coupon_uses("WELCOME10").await, 1);

    // A plan with a 100 % coupon is worth nothing: free too, even with a trial.
    let plan = last_segment(&links.plan);
    let r = app
        .pay(
            "links",
            &plan,
            "trial",
            json!({"coupon_code": "GRATUIT", "customer": customer("")}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json["status"], "succeeded");
    assert_eq!(r.json["provider"], Value::Null);
    assert_eq!(r.json["started_from"]["kind"], "plan");
}

#[tokio::test]
async fn the_server_prices_the_order_again() {
    let app = demo_app();
    let links = lomi_sandbox::domain::demo::seed(&app.state).unwrap();
    let pwyw = last_segment(&links.pwyw);
    let product = last_segment(&links.product);

    let r = app
        .pay(
            "links",
            &pwyw,
            "p",
            json!({"unit_amount": 7000, "customer": customer("0700000011"), "provider": "WAVE"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json["amount"], json!(7000));
    let s = app
        .get(&format!(
            "/checkout-sessions/{}",
            r.json["session_id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(s.json["unit_amount"], json!(7000));

    // The quote endpoint's refusals, with their machine reason.
    let r = app
        .pay(
            "links",
            &pwyw,
            "q",
            json!({"unit_amount": 500, "customer": customer("0700000011"), "provider": "WAVE"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        r.json["error"]["reason"],
        json!({"reason": "amount_below_minimum", "minimum": 1000})
    );
    let instant = last_segment(&links.instant);
    let r = app
        .pay(
            "links",
            &instant,
            "q",
            json!({"quantity": 3, "customer": customer("0700000011"), "provider": "WAVE"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        r.json["error"]["reason"],
        json!({"reason": "quantity_not_allowed"})
    );

    // A coupon the quote would refuse is refused at pay time, never silently dropped.
    for code in ["NOEL2024", "NOPE"] {
        let r = app
            .pay(
                "links",
                &product,
                code,
                json!({"coupon_code": code, "customer": customer("0700000011"), "provider": "WAVE"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{code}");
        assert!(r.error().1["coupon_code"].is_array(), "{}", r.text());
    }
    let r = app
        .pay(
            "links",
            &product,
            "q3",
            json!({"quantity": 3, "coupon_code": "WELCOME10", "customer": customer("0700000011"), "provider": "WAVE"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(r.json["amount"], json!(13500));
}

#[tokio::test]
async fn customer_billing_and_provider_errors_name_their_field() {
    let app = app();
    let link = app.link(5_000, &["WAVE", "ORANGE", "MTN"]).await;
    let big = app.link(1_500_000, &["MTN", "ORANGE"]).await;
    let billing = app
        .post(
            "/payment-links",
            json!({"link_type": "instant", "title": "Billing", "amount": 5000, "currency_code": "XOF"}),
        )
        .await
        .json["id"]
        .as_str()
        .unwrap()
        .to_string();

    let (link, big, billing) = (link.as_str(), big.as_str(), billing.as_str());
    let cases: Vec<(&str, Value, &str)> = vec![
        (
            link,
            json!({"customer": {"name": "Awa", "email": "awa@", "phone": "0700000011"}, "provider": "WAVE"}),
            "customer.email",
        ),
        (
            link,
            json!({"customer": {"name": "", "email": "awa@example.ci", "phone": "0700000011"}, "provider": "WAVE"}),
            "customer.name",
        ),
        (
            link,
            json!({"customer": {"name": "Awa", "email": "awa@example.ci", "phone": "0708"}, "provider": "MTN"}),
            "customer.phone",
        ),
        (
            link,
            json!({"customer": {"name": "Awa", "email": "awa@example.ci"}, "provider": "ORANGE"}),
            "customer.phone",
        ),
        (link, pay_body(Some("STRIPE"), ""), "provider"),
        (link, pay_body(None, "0700000011"), "provider"),
        (big, pay_body(Some("MTN"), "0500000011"), "provider"),
        (billing, pay_body(Some("WAVE"), "0700000011"), "billing"),
        (
            billing,
            json!({"customer": customer("0700000011"), "provider": "WAVE",
                   "billing": {"country": "ZZ", "city": "Abidjan", "line1": "Rue 12"}}),
            "billing.country",
        ),
        (
            billing,
            json!({"customer": customer("0700000011"), "provider": "WAVE",
                   "billing": {"country": "SN", "city": "Dakar", "line1": "Rue 12", "postal_code": "12"}}),
            "billing.postal_code",
        ),
    ];
    for (i, (target, body, field)) in cases.into_iter().enumerate() {
        let r = app.pay("links", target, &format!("case-{i}"), body).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{field}: {}", r.text());
        let (code, details) = r.error();
        assert_eq!(code, "INVALID_REQUEST");
        assert!(details[field].is_array(), "{field}: {details}");
    }
    let r = app
        .pay("links", big, "limit", pay_body(Some("MTN"), "0500000011"))
        .await;
    assert!(r.error().1["provider"][0]
        .as_str()
        .unwrap()
        .contains("1000000"));
    // Nothing was started by any of them.
    assert_eq!(session_count(&app).await, 0);

    // With a valid address the same link pays; ORANGE on the big link is within its limit.
    let r = app
        .pay(
            "links",
            billing,
            "ok",
            json!({"customer": customer("0700000011"), "provider": "WAVE",
                   "billing": {"country": "CI", "city": "Abidjan", "line1": "Rue des Jardins"}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let r = app
        .pay(
            "links",
            big,
            "orange",
            pay_body(Some("ORANGE"), "0700000011"),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
}

#[tokio::test]
async fn payments_answer_cross_origin_with_the_key_header_allowed() {
    let app = app();
    let link = app.link(5_000, &[]).await;
    let r = app
        .send(
            "OPTIONS",
            &format!("/api/checkout/links/{link}/pay"),
            &[
                ("Origin", "https://pay.example.ci"),
                ("Access-Control-Request-Method", "POST"),
                (
                    "Access-Control-Request-Headers",
                    "content-type,idempotency-key",
                ),
            ],
            None,
        )
        .await;
    assert!(r.status.is_success(), "{}", r.status);
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    let allowed = r
        .header("access-control-allow-headers")
        .unwrap_or_default()
        .to_ascii_lowercase();
    assert!(allowed.contains("idempotency-key"), "{allowed}");

    let r = app.payment("pay_nope").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.error().0, "NOT_FOUND");
    let r = app
        .public("GET", &format!("/api/checkout/links/{link}/pay"), None)
        .await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);

    // The OpenAPI document describes the payment routes.
    let doc = app.public("GET", "/openapi.json", None).await.json;
    for path in [
        "/api/checkout/links/{id}/pay",
        "/api/checkout/sessions/{id}/pay",
        "/api/checkout/payments/{id}",
        "/api/checkout/payments/{id}/otp",
        "/api/checkout/payments/{id}/resend",
        "/api/checkout/payments/{id}/qr.svg",
        "/sandbox/payments/{id}/succeed",
        "/sandbox/payments/{id}/fail",
    ] {
        assert!(doc["paths"][path].is_object(), "{path}");
    }
    assert!(doc["paths"]["/v1/sandbox/payments/{id}/succeed"].is_null());
}

#[tokio::test]
async fn an_email_as_long_as_the_document_allows_is_taken_in_any_script() {
    let app = app();
    let link = app.link(15000, &[]).await;
    // 171 characters (the document's limit is 200) but 331 bytes.
    let email = format!("{}@exemple.ci", "é".repeat(160));
    let mut body = pay_body(Some("WAVE"), "+2250701020304");
    body["customer"]["email"] = json!(email);
    let paid = app.pay("links", &link, "long-email", body).await;
    assert_eq!(paid.status, StatusCode::CREATED, "{}", paid.text());
    // The merchant's own sessions take one as long as theirs says (254).
    let prefilled = format!("{}@exemple.ci", "ß".repeat(240));
    let r = app
        .post(
            "/checkout-sessions",
            json!({"amount": 5000, "currency_code": "XOF", "title": "Commande #9",
                   "customer_email": prefilled}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json["customer_email"], json!(prefilled));
}
