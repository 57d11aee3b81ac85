//! Every simulated provider, driven as the page and the customer would: each test phone
//! number's outcome, Orange's code, MTN's resend, the hosted card page with 3-D Secure,
//! Wave's page, crypto, and the merchant's test controls.

mod common;

use axum::http::StatusCode;
use common::{app, customer, pay_body, TestApp, BASE};
use serde_json::{json, Value};

/// Starts a payment on a fresh 5 000 XOF link and returns it.
async fn start(app: &TestApp, provider: &str, phone: &str) -> Value {
    let link = app.link(5_000, &[]).await;
    let r = app
        .pay("links", &link, "attempt-1", pay_body(Some(provider), phone))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json["status"], "pending", "{}", r.text());
    r.json
}

fn id(p: &Value) -> String {
    p["id"].as_str().unwrap().to_string()
}

async fn status(app: &TestApp, payment: &Value) -> Value {
    let r = app.payment(&id(payment)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.header("cache-control"), Some("no-store"));
    r.json
}

fn status_url(p: &Value) -> String {
    format!(
        "{BASE}/checkout/{}?payment={}",
        p["session_id"].as_str().unwrap(),
        p["id"].as_str().unwrap()
    )
}

fn assert_failed(p: &Value, reason: &str) {
    assert_eq!(p["status"], "failed", "{p}");
    assert_eq!(p["failure"], reason, "{p}");
    assert_eq!(p["transaction_id"], Value::Null);
    assert_eq!(p["next_action"], json!({"type": "none"}));
}

fn assert_succeeded(p: &Value) {
    assert_eq!(p["status"], "succeeded", "{p}");
    assert_eq!(p["failure"], Value::Null);
    assert!(
        p["transaction_id"]
            .as_str()
            .is_some_and(|t| t.len() == 36 && t.as_bytes()[14] == b'4'),
        "{p}"
    );
    assert_eq!(p["next_action"], json!({"type": "none"}));
}

async fn session_status(app: &TestApp, p: &Value) -> (String, Value) {
    let r = app
        .get(&format!(
            "/checkout-sessions/{}",
            p["session_id"].as_str().unwrap()
        ))
        .await;
    (
        r.json["status"].as_str().unwrap().to_string(),
        r.json["transaction_id"].clone(),
    )
}

// ---- Wave ---------------------------------------------------------------------------------

#[tokio::test]
async fn wave_page_shows_the_payment_and_approve_follows_the_phone_rules() {
    let app = app();
    let p = start(&app, "WAVE", "07 00 00 00 11").await;
    let url = format!("{BASE}/sandbox/wave/{}", id(&p));
    assert_eq!(
        p["next_action"],
        json!({"type": "redirect", "url": url, "qr": true})
    );
    assert_eq!(p["usual_wait_seconds"], json!(60));
    assert_eq!(p["provider"], "WAVE");
    assert_eq!(p["amount"], json!(5000));
    assert_eq!(p["currency"], "XOF");

    let page = app
        .public("GET", &format!("/sandbox/wave/{}", id(&p)), None)
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page
        .header("content-type")
        .is_some_and(|t| t.starts_with("text/html")));
    let html = page.text();
    for text in [
        "5 000 F CFA",
        "Boutique Awa",
        "+2250700000011",
        "Approve",
        "Decline",
        &format!(r#"action="/sandbox/wave/{}/approve""#, id(&p)),
        &format!(r#"action="/sandbox/wave/{}/decline""#, id(&p)),
    ] {
        assert!(html.contains(text), "missing {text}: {html}");
    }

    let r = app
        .form(&format!("/sandbox/wave/{}/approve", id(&p)), "")
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.header("location"), Some(status_url(&p).as_str()));
    let paid = status(&app, &p).await;
    assert_succeeded(&paid);
    let (session, txn) = session_status(&app, &p).await;
    assert_eq!(session, "completed");
    assert_eq!(txn, paid["transaction_id"]);

    // Answering again (a double tap, the back button) changes nothing.
    let r = app
        .form(&format!("/sandbox/wave/{}/decline", id(&p)), "")
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(status(&app, &p).await, paid);
    let page = app
        .public("GET", &format!("/sandbox/wave/{}", id(&p)), None)
        .await;
    assert!(!page.text().contains("/approve"));
}

#[tokio::test]
async fn wave_test_numbers_and_decline() {
    let app = app();
    for (phone, reason) in [
        ("0700000001", "insufficient_funds"),
        ("0700000002", "rejected_by_customer"),
    ] {
        let p = start(&app, "WAVE", phone).await;
        let r = app
            .form(&format!("/sandbox/wave/{}/approve", id(&p)), "")
            .await;
        assert_eq!(r.header("location"), Some(status_url(&p).as_str()));
        assert_failed(&status(&app, &p).await, reason);
        assert_eq!(session_status(&app, &p).await.0, "open");
    }

    let p = start(&app, "WAVE", "0700000003").await;
    app.form(&format!("/sandbox/wave/{}/approve", id(&p)), "")
        .await;
    let waiting = status(&app, &p).await;
    assert_eq!(waiting["status"], "pending");
    assert_eq!(waiting["next_action"], json!({"type": "none"}));
    app.advance(179);
    assert_eq!(status(&app, &p).await["status"], "pending");
    app.advance(2);
    assert_failed(&status(&app, &p).await, "operator_timeout");

    let p = start(&app, "WAVE", "0700000011").await;
    let r = app
        .form(&format!("/sandbox/wave/{}/decline", id(&p)), "")
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.header("location"), Some(status_url(&p).as_str()));
    assert_failed(&status(&app, &p).await, "rejected_by_customer");

    // A customer who never opens Wave: the operator gives up.
    let p = start(&app, "WAVE", "0700000011").await;
    app.advance(181);
    assert_failed(&status(&app, &p).await, "operator_timeout");

    // Not a Wave payment, or no payment at all.
    let card = start(&app, "STRIPE", "0700000011").await;
    let r = app
        .public("GET", &format!("/sandbox/wave/{}", id(&card)), None)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = app.form("/sandbox/wave/pay_nope/approve", "").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.error().0, "NOT_FOUND");
}

#[tokio::test]
async fn wave_qr_code_is_an_svg_of_the_wave_url() {
    let app = app();
    let p = start(&app, "WAVE", "0700000011").await;
    let r = app
        .public(
            "GET",
            &format!("/api/checkout/payments/{}/qr.svg", id(&p)),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header("content-type"), Some("image/svg+xml"));
    assert!(r.text().contains("<svg"));

    for provider in ["STRIPE", "MTN", "ORANGE"] {
        let other = start(&app, provider, "0700000011").await;
        let r = app
            .public(
                "GET",
                &format!("/api/checkout/payments/{}/qr.svg", id(&other)),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{provider}");
    }
}

// ---- Orange Money -------------------------------------------------------------------------

async fn otp(app: &TestApp, p: &Value, code: &str) -> common::Reply {
    app.public(
        "POST",
        &format!("/api/checkout/payments/{}/otp", id(p)),
        Some(json!({ "code": code })),
    )
    .await
}

#[tokio::test]
async fn orange_wrong_code_then_right_code() {
    let app = app();
    let p = start(&app, "ORANGE", "07 00 00 00 11").await;
    assert_eq!(
        p["next_action"],
        json!({"type": "enter_otp", "ussd_code": "#144*82#"})
    );

    let r = otp(&app, &p, "654321").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let (code, details) = r.error();
    assert_eq!(code, "INVALID_REQUEST");
    assert!(details["code"][0].as_str().unwrap().contains("#144*82#"));
    // Still pending, still asking for a code: the customer dials again and retypes.
    let again = status(&app, &p).await;
    assert_eq!(again["status"], "pending");
    assert_eq!(again["next_action"], p["next_action"]);

    let r = otp(&app, &p, " 123 456 ").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json["status"], "pending");
    assert_eq!(r.json["next_action"], json!({"type": "none"}));
    // A second code for the same payment is refused: it is already being processed.
    assert_eq!(otp(&app, &p, "123456").await.status, StatusCode::CONFLICT);

    app.advance(1);
    assert_eq!(status(&app, &p).await["status"], "pending");
    app.advance(2);
    assert_succeeded(&status(&app, &p).await);
    assert_eq!(session_status(&app, &p).await.0, "completed");
    let r = otp(&app, &p, "123456").await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.error().0, "RESOURCE_CONFLICT");
}

#[tokio::test]
async fn three_wrong_orange_codes_stop_the_payment() {
    let app = app();
    let p = start(&app, "ORANGE", "07 00 00 00 11").await;
    for left in [2, 1] {
        let r = otp(&app, &p, "000000").await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        let message = r.error().1["code"][0].as_str().unwrap().to_string();
        assert!(
            message.contains(&format!("{left} more wrong code")),
            "{message}"
        );
        assert_eq!(status(&app, &p).await["status"], "pending");
    }
    // The third wrong code ends it: a code cannot be guessed.
    let r = otp(&app, &p, "111111").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_failed(&r.json, "too_many_attempts");
    // The right code afterwards pays nothing.
    let r = otp(&app, &p, "123456").await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_failed(&status(&app, &p).await, "too_many_attempts");
    assert_eq!(session_status(&app, &p).await.0, "open");
    let t = app.get("/transactions?status=failed").await;
    assert_eq!(t.json["data"][0]["failure_reason"], "too_many_attempts");
    // A right code after two wrong ones still pays.
    let q = start(&app, "ORANGE", "07 00 00 00 12").await;
    otp(&app, &q, "000000").await;
    otp(&app, &q, "000001").await;
    assert_eq!(otp(&app, &q, "123456").await.status, StatusCode::OK);
}

#[tokio::test]
async fn orange_test_numbers() {
    let app = app();
    for (phone, reason) in [
        ("0700000001", "insufficient_funds"),
        ("0700000002", "rejected_by_customer"),
    ] {
        let p = start(&app, "ORANGE", phone).await;
        let r = otp(&app, &p, "123456").await;
        assert_eq!(r.status, StatusCode::OK);
        assert_failed(&r.json, reason);
        assert_eq!(session_status(&app, &p).await.0, "open");
    }
    let p = start(&app, "ORANGE", "0700000003").await;
    otp(&app, &p, "123456").await;
    app.advance(170);
    assert_eq!(status(&app, &p).await["status"], "pending");
    app.advance(11);
    assert_failed(&status(&app, &p).await, "operator_timeout");

    // A customer who never types the code.
    let p = start(&app, "ORANGE", "0700000011").await;
    app.advance(181);
    assert_failed(&status(&app, &p).await, "operator_timeout");

    // The USSD code follows the phone's country.
    let link = app.link(5_000, &[]).await;
    let body = json!({
        "customer": {"name": "Fatou Ndiaye", "email": "fatou@example.sn",
                     "phone": "+221 77 000 00 11", "phone_country": "SN"},
        "provider": "ORANGE"
    });
    let r = app.pay("links", &link, "sn", body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json["next_action"]["ussd_code"], "#144#391#");

    // Codes are for Orange payments only.
    let mtn = start(&app, "MTN", "0500000011").await;
    let r = otp(&app, &mtn, "123456").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = app
        .public(
            "POST",
            "/api/checkout/payments/pay_nope/otp",
            Some(json!({"code": "123456"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = otp(&app, &p, "").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

// ---- MTN MoMo -----------------------------------------------------------------------------

async fn resend(app: &TestApp, p: &Value) -> common::Reply {
    app.public(
        "POST",
        &format!("/api/checkout/payments/{}/resend", id(p)),
        None,
    )
    .await
}

#[tokio::test]
async fn mtn_prompt_outcomes_after_the_delay() {
    let app = app();
    let p = start(&app, "MTN", "05 00 00 00 11").await;
    assert_eq!(
        p["next_action"],
        json!({"type": "approve_on_phone", "phone": "+2250500000011"})
    );
    app.advance(1);
    assert_eq!(status(&app, &p).await["status"], "pending");
    app.advance(1);
    assert_succeeded(&status(&app, &p).await);

    for (phone, reason) in [
        ("0500000001", "insufficient_funds"),
        ("0500000002", "rejected_by_customer"),
    ] {
        let p = start(&app, "MTN", phone).await;
        assert_eq!(status(&app, &p).await["status"], "pending");
        app.advance(2);
        assert_failed(&status(&app, &p).await, reason);
        assert_eq!(session_status(&app, &p).await.0, "open");
    }

    let p = start(&app, "MTN", "0500000003").await;
    app.advance(60);
    let waiting = status(&app, &p).await;
    assert_eq!(waiting["status"], "pending");
    assert_eq!(waiting["next_action"]["type"], "approve_on_phone");
    app.advance(121);
    assert_failed(&status(&app, &p).await, "operator_timeout");
}

#[tokio::test]
async fn mtn_resend_restarts_the_wait() {
    let app = app();
    let p = start(&app, "MTN", "0500000011").await;
    app.advance(1);
    let r = resend(&app, &p).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json["status"], "pending");
    assert_eq!(r.json["next_action"], p["next_action"]);
    // Two seconds after creation it would have succeeded; the resend moved the answer.
    app.advance(1);
    assert_eq!(status(&app, &p).await["status"], "pending");
    app.advance(1);
    assert_succeeded(&status(&app, &p).await);
    // Nothing to resend once settled; and only MTN has a prompt.
    assert_eq!(resend(&app, &p).await.status, StatusCode::CONFLICT);
    let wave = start(&app, "WAVE", "0700000011").await;
    let r = resend(&app, &wave).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.error().0, "INVALID_REQUEST");
}

// ---- Card ---------------------------------------------------------------------------------

async fn card_post(app: &TestApp, p: &Value, number: &str, expiry: &str) -> common::Reply {
    let body = format!(
        "number={}&expiry={}&cvc=123",
        number.replace(' ', "+"),
        expiry.replace('/', "%2F")
    );
    app.form(&format!("/sandbox/card/{}", id(p)), &body).await
}

#[tokio::test]
async fn card_page_and_test_cards() {
    let app = app();
    let p = start(&app, "STRIPE", "").await;
    let url = format!("{BASE}/sandbox/card/{}", id(&p));
    assert_eq!(
        p["next_action"],
        json!({"type": "redirect", "url": url, "qr": false})
    );
    assert_eq!(p["usual_wait_seconds"], json!(30));

    let page = app
        .public("GET", &format!("/sandbox/card/{}", id(&p)), None)
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    for text in [
        "Card number",
        "Numéro de carte",
        "CVC",
        "MM/YY",
        "4242 4242 4242 4242",
        "4000 0000 0000 0002",
        "4000 0000 0000 3220",
        "5 000 F CFA",
    ] {
        assert!(html.contains(text), "missing {text}");
    }
    assert_eq!(page.header("x-frame-options"), Some("DENY"));

    // Anything but a test card, or a past date, shows the form again; nothing is charged.
    let r = card_post(&app, &p, "4111 1111 1111 1111", "12/34").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text().contains("test card"));
    assert!(
        !r.text().contains("4111"),
        "the number is never echoed back"
    );
    let r = card_post(&app, &p, "4242 4242 4242 4242", "12/25").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text().contains("Expiry"));
    assert_eq!(status(&app, &p).await["status"], "pending");

    let r = card_post(&app, &p, "4242 4242 4242 4242", "12/34").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.header("location"), Some(status_url(&p).as_str()));
    let paid = status(&app, &p).await;
    assert_succeeded(&paid);
    assert_eq!(session_status(&app, &p).await.0, "completed");

    let p = start(&app, "STRIPE", "").await;
    let r = card_post(&app, &p, "4000000000000002", "01/26").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_failed(&status(&app, &p).await, "card_declined");
    assert_eq!(session_status(&app, &p).await.0, "open");
}

#[tokio::test]
async fn card_three_d_secure_complete_and_fail() {
    let app = app();
    for (button, complete) in [("complete", true), ("fail", false)] {
        let p = start(&app, "STRIPE", "").await;
        let r = card_post(&app, &p, "4000 0000 0000 3220", "12/34").await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let three_ds = format!("{BASE}/sandbox/card/{}/3ds", id(&p));
        assert_eq!(r.header("location"), Some(three_ds.as_str()));
        // The card page now leads to the authentication step.
        let r = app
            .public("GET", &format!("/sandbox/card/{}", id(&p)), None)
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let page = app
            .public("GET", &format!("/sandbox/card/{}/3ds", id(&p)), None)
            .await;
        assert_eq!(page.status, StatusCode::OK);
        let html = page.text();
        assert!(html.contains("Complete authentication"), "{html}");
        assert!(html.contains("Fail authentication"));
        assert!(html.contains("3220"));
        assert_eq!(status(&app, &p).await["status"], "pending");

        let r = app
            .form(&format!("/sandbox/card/{}/3ds/{button}", id(&p)), "")
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(r.header("location"), Some(status_url(&p).as_str()));
        let settled = status(&app, &p).await;
        if complete {
            assert_succeeded(&settled);
        } else {
            assert_failed(&settled, "card_declined");
        }
    }
}

// ---- Crypto -------------------------------------------------------------------------------

#[tokio::test]
async fn crypto_amount_address_qr_and_settlement() {
    let app = app();
    let p = start(&app, "NOWPAYMENTS", "").await;
    let action = &p["next_action"];
    assert_eq!(action["type"], "send_crypto");
    assert_eq!(action["amount"], "8.34");
    assert_eq!(action["asset"], "USDT");
    assert_eq!(action["network"], "TRC20");
    let address = action["address"].as_str().unwrap();
    assert!(address.starts_with('T') && address.len() == 34, "{address}");
    assert_eq!(
        action["uri"],
        json!(format!("tron:{address}?amount=8.34&token=USDT"))
    );
    assert_eq!(p["usual_wait_seconds"], json!(600));
    // The same address on every read.
    assert_eq!(status(&app, &p).await["next_action"], *action);

    let r = app
        .public(
            "GET",
            &format!("/api/checkout/payments/{}/qr.svg", id(&p)),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header("content-type"), Some("image/svg+xml"));
    assert_eq!(r.header("cache-control"), Some("no-store"));
    assert!(r.text().starts_with("<?xml") || r.text().contains("<svg"));

    app.advance(2);
    assert_succeeded(&status(&app, &p).await);
    assert_eq!(session_status(&app, &p).await.0, "completed");
}

// ---- Test controls ------------------------------------------------------------------------

#[tokio::test]
async fn control_endpoints_need_the_key_and_a_pending_payment() {
    let app = app();
    let p = start(&app, "MTN", "0500000003").await;
    let succeed = format!("/sandbox/payments/{}/succeed", id(&p));
    let r = app.public("POST", &succeed, None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.error().0, "UNAUTHORIZED");
    let r = app
        .send(
            "POST",
            &succeed,
            &[("X-API-Key", "lomi_sk_test_wrong")],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(status(&app, &p).await["status"], "pending");

    let r = app.api("POST", &succeed, None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_succeeded(&r.json);
    assert_eq!(r.header("cache-control"), Some("no-store"));
    let (session, txn) = session_status(&app, &p).await;
    assert_eq!(session, "completed");
    assert_eq!(txn, r.json["transaction_id"]);
    let r = app.api("POST", &succeed, None).await;
    assert_eq!(r.status, StatusCode::CONFLICT);

    let p = start(&app, "WAVE", "0700000011").await;
    let fail = format!("/sandbox/payments/{}/fail", id(&p));
    let r = app
        .api("POST", &fail, Some(json!({"reason": "no_such_reason"})))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.error().1["reason"].is_array());
    let r = app
        .api("POST", &fail, Some(json!({"reason": "insufficient_funds"})))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_failed(&r.json, "insufficient_funds");
    assert_eq!(session_status(&app, &p).await.0, "open");
    assert_eq!(
        app.api("POST", &fail, None).await.status,
        StatusCode::CONFLICT
    );

    // Without a body the reason is "declined".
    let p = start(&app, "ORANGE", "0700000011").await;
    let r = app
        .api("POST", &format!("/sandbox/payments/{}/fail", id(&p)), None)
        .await;
    assert_failed(&r.json, "declined");
    let r = app
        .api("POST", "/sandbox/payments/pay_nope/succeed", None)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn every_provider_and_every_test_number() {
    // The matrix in one place: provider x number -> how the customer confirms -> outcome.
    let app = app();
    for provider in ["WAVE", "ORANGE", "MTN"] {
        for (suffix, expected) in [
            ("01", Some("insufficient_funds")),
            ("02", Some("rejected_by_customer")),
            ("03", Some("operator_timeout")),
            ("11", None),
        ] {
            let phone = format!("07000000{suffix}");
            let p = start(&app, provider, &phone).await;
            match provider {
                "WAVE" => {
                    app.form(&format!("/sandbox/wave/{}/approve", id(&p)), "")
                        .await;
                }
                "ORANGE" => {
                    otp(&app, &p, "123456").await;
                }
                _ => {}
            }
            app.advance(2);
            let mid = status(&app, &p).await;
            if suffix == "03" {
                assert_eq!(mid["status"], "pending", "{provider} {suffix}");
                app.advance(180);
            }
            let end = status(&app, &p).await;
            match expected {
                Some(reason) => assert_failed(&end, reason),
                None => assert_succeeded(&end),
            }
            let open = session_status(&app, &p).await.0;
            assert_eq!(
                open,
                if expected.is_some() {
                    "open"
                } else {
                    "completed"
                },
                "{provider} {suffix}"
            );
        }
    }
    // Customer details travel with the payment's session.
    let p = start(&app, "MTN", "0500000011").await;
    let r = app
        .get(&format!(
            "/checkout-sessions/{}",
            p["session_id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(r.json["customer_phone"], "+2250500000011");
    assert_eq!(r.json["customer_name"], customer("")["name"]);
}
