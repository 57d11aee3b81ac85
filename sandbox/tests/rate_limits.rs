//! Rate limits: the public checkout API's per payment and per client address (429 with
//! `Retry-After`, nothing done), and the merchant API's test-key limits behind
//! `--merchant-rate-limit`, off by default.

mod common;

use axum::http::StatusCode;
use checkout_core::payment::PaymentStatus;
use common::{app, app_with, config, pay_body, Reply, TestApp};
use lomi_sandbox::storage::{LinkFilter, PageRequest};
use lomi_sandbox::{spawn, Config};
use serde_json::{json, Value};

fn retry_after(r: &Reply) -> u64 {
    let secs = r
        .header("retry-after")
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or_else(|| panic!("no Retry-After in seconds: {:?}", r.headers));
    assert!(secs >= 1, "{secs}");
    secs
}

fn header_number(r: &Reply, name: &str) -> u64 {
    r.header(name)
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no {name}: {:?}", r.headers))
}

fn assert_rate_limited(r: &Reply) {
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.text());
    assert_eq!(r.error().0, "RATE_LIMITED");
    retry_after(r);
}

#[tokio::test]
async fn the_merchant_api_is_not_throttled_by_default() {
    let app = app();
    for i in 0..130 {
        let path = if i % 2 == 0 {
            "/payment-links"
        } else {
            "/v1/payment-links"
        };
        let r = app.get(path).await;
        assert_eq!(r.status, StatusCode::OK, "request {i}: {}", r.text());
        assert_eq!(r.header("x-ratelimit-limit"), None);
        assert_eq!(r.header("x-ratelimit-remaining"), None);
        assert_eq!(r.header("retry-after"), None);
    }
}

#[tokio::test]
async fn with_the_flag_a_test_key_gets_120_requests_a_minute_and_its_headers() {
    let app = app_with(Config {
        merchant_rate_limit: true,
        ..config()
    });
    for i in 0..120u64 {
        // Bare and /v1 paths share the key's quota.
        let path = if i % 2 == 0 {
            "/payment-links"
        } else {
            "/v1/checkout-sessions"
        };
        let r = app.get(path).await;
        assert_eq!(r.status, StatusCode::OK, "request {i}: {}", r.text());
        assert_eq!(header_number(&r, "x-ratelimit-limit"), 120);
        assert_eq!(header_number(&r, "x-ratelimit-remaining"), 119 - i);
        let reset = header_number(&r, "x-ratelimit-reset");
        assert!((1..=60).contains(&reset), "{reset}");
        assert_eq!(r.header("retry-after"), None);
    }
    // The 121st, a create, is refused and creates nothing.
    let r = app
        .post(
            "/payment-links",
            json!({"link_type": "instant", "title": "Don", "amount": 5000, "currency_code": "XOF"}),
        )
        .await;
    assert_rate_limited(&r);
    assert!(
        retry_after(&r) <= 1,
        "one request comes back every half second"
    );
    assert_eq!(header_number(&r, "x-ratelimit-limit"), 120);
    assert_eq!(header_number(&r, "x-ratelimit-remaining"), 0);
    assert!(header_number(&r, "x-ratelimit-reset") >= 59);
    assert!(r.error().1.is_null(), "no field is at fault: {}", r.text());
    let (_, links) = app
        .state
        .db()
        .list_links(
            &app.state.merchant().id,
            &LinkFilter::default(),
            app.state.now(),
            PageRequest {
                limit: 10,
                offset: 0,
                oldest_first: false,
            },
        )
        .unwrap();
    assert_eq!(links, 0);
    // A wrong key is refused as before, without counting against the merchant's.
    let r = app
        .send(
            "GET",
            "/payment-links",
            &[("X-API-Key", "lomi_sk_test_wrong")],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    // The public API and the sandbox controls are not the merchant API's quota.
    let r = app
        .public("GET", "/api/checkout/links/nothing-here", None)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.header("x-ratelimit-limit"), None);
}

/// An Orange Money payment started through the public API, as the page starts it.
async fn orange_payment(app: &TestApp) -> String {
    let link = app.link(5_000, &["ORANGE"]).await;
    let r = app
        .pay(
            "links",
            &link,
            "key-1",
            pay_body(Some("ORANGE"), "0700000011"),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    r.json["id"].as_str().unwrap().to_string()
}

async fn otp(app: &TestApp, id: &str, code: &str) -> Reply {
    app.public(
        "POST",
        &format!("/api/checkout/payments/{id}/otp"),
        Some(json!({ "code": code })),
    )
    .await
}

#[tokio::test]
async fn a_payment_asked_about_too_often_gets_429_and_a_refused_request_does_nothing() {
    let app = app_with(Config {
        public_rate_limit_per_payment: 3,
        ..config()
    });
    let id = orange_payment(&app).await;
    assert_eq!(app.payment(&id).await.status, StatusCode::OK);
    // Two wrong codes: one more would end the payment.
    for _ in 0..2 {
        assert_eq!(
            otp(&app, &id, "000000").await.status,
            StatusCode::BAD_REQUEST
        );
    }
    // Over the limit: refused before the code is looked at, so these wrong codes count for
    // nothing and the payment goes on.
    for _ in 0..3 {
        let r = otp(&app, &id, "000000").await;
        assert_rate_limited(&r);
        assert!(
            retry_after(&r) <= 20,
            "a request a minute comes back every 20 s"
        );
        assert_eq!(r.header("cache-control"), Some("no-store"));
    }
    let r = app
        .send(
            "GET",
            &format!("/api/checkout/payments/{id}"),
            &[("Origin", "https://shop.example")],
            None,
        )
        .await;
    assert_rate_limited(&r);
    // A page on another origin can read how long to wait.
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    assert!(r
        .header("access-control-expose-headers")
        .is_some_and(|h| h.to_ascii_lowercase().contains("retry-after")));
    let row = app.state.db().payment_by_id(&id).unwrap().unwrap();
    // Had the refused codes been tried, the third wrong one would have ended the payment.
    assert_eq!(row.status, PaymentStatus::Pending, "{row:?}");
    assert_eq!(row.failure, None);
    // Another payment has its own quota, and the links and sessions are not counted per
    // payment.
    let other = orange_payment(&app).await;
    for _ in 0..3 {
        assert_eq!(app.payment(&other).await.status, StatusCode::OK);
    }
    assert_rate_limited(&app.payment(&other).await);
}

#[tokio::test]
async fn every_spelling_of_a_payments_id_counts_against_its_one_limit() {
    let app = app_with(Config {
        public_rate_limit_per_payment: 4,
        ..config()
    });
    let id = orange_payment(&app).await;
    let rest = id.strip_prefix("pay_").expect("a pay_ id");
    // The router decodes the path, so each of these is the same payment to its handlers.
    let spellings = [
        format!("/api/checkout/payments/{id}"),
        format!("/api/checkout/payments/%70ay_{rest}"),
        format!("/api/checkout/payments/pay%5F{rest}"),
        format!("/api/checkout/payments/%70%61%79%5f{rest}"),
    ];
    for (i, path) in spellings.iter().enumerate() {
        let r = app.public("GET", path, None).await;
        assert_eq!(
            r.status,
            StatusCode::OK,
            "request {i} ({path}): {}",
            r.text()
        );
    }
    // The fifth request, whatever its spelling, is over the payment's limit of 4.
    for path in &spellings {
        assert_rate_limited(&app.public("GET", path, None).await);
    }
    let r = app
        .public(
            "POST",
            &format!("/api/checkout/payments/%70ay_{rest}/otp"),
            Some(json!({ "code": "000000" })),
        )
        .await;
    assert_rate_limited(&r);
    // Refused before any handler: the wrong code was never tried.
    let row = app.state.db().payment_by_id(&id).unwrap().unwrap();
    assert_eq!(row.status, PaymentStatus::Pending, "{row:?}");
}

#[tokio::test]
async fn the_default_limits_leave_a_customer_polling_alone() {
    let app = app();
    let id = orange_payment(&app).await;
    // Two minutes of the page's fastest polling, at once.
    for i in 0..120 {
        let r = app.payment(&id).await;
        assert_eq!(r.status, StatusCode::OK, "poll {i}: {}", r.text());
    }
    assert_rate_limited(&app.payment(&id).await);
}

async fn get(client: &reqwest::Client, url: &str) -> (u16, Option<String>, Value) {
    let r = client.get(url).send().await.unwrap();
    let status = r.status().as_u16();
    let retry = r
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    (status, retry, r.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn one_client_address_sending_too_much_gets_429_over_http() {
    let sandbox = spawn(
        Config {
            public_rate_limit_per_client: 5,
            ..config()
        },
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap();
    let client = reqwest::Client::new();
    let base = &sandbox.base_url;
    // Unknown links, each its own id: the address is what is counted.
    for i in 0..5 {
        let (status, retry, _) = get(&client, &format!("{base}/api/checkout/links/l{i}")).await;
        assert_eq!((status, retry), (404, None));
    }
    let (status, retry, body) = get(&client, &format!("{base}/api/checkout/links/l5")).await;
    assert_eq!(status, 429, "{body}");
    assert_eq!(body["error"]["code"], "RATE_LIMITED");
    let secs: u64 = retry.expect("Retry-After").parse().unwrap();
    assert!((1..=12).contains(&secs), "{secs}");
    // A forwarded-for header does not make a new client.
    let r = client
        .get(format!("{base}/api/checkout/links/l6"))
        .header("X-Forwarded-For", "203.0.113.9")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 429);
    // The merchant API and the page's own files are not the public API's quota.
    let r = client
        .get(format!("{base}/payment-links"))
        .header("X-API-Key", &sandbox.api_key)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(
        client
            .get(format!("{base}/healthz"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn zero_switches_the_public_limits_off() {
    let app = app_with(Config {
        public_rate_limit_per_payment: 0,
        ..config()
    });
    let id = orange_payment(&app).await;
    for _ in 0..200 {
        assert_eq!(app.payment(&id).await.status, StatusCode::OK);
    }
}

#[tokio::test]
async fn the_openapi_document_states_the_429s() {
    let app = app();
    let doc = app.public("GET", "/openapi.json", None).await.json;
    let too_many =
        |path: &str, method: &str| doc["paths"][path][method]["responses"]["429"].clone();
    for (path, method) in [
        ("/api/checkout/payments/{id}", "get"),
        ("/api/checkout/payments/{id}/otp", "post"),
        ("/api/checkout/links/{id}", "get"),
        ("/api/checkout/sessions/{id}/pay", "post"),
        ("/payment-links", "post"),
        ("/v1/checkout-sessions/{id}", "get"),
    ] {
        let r = too_many(path, method);
        assert_eq!(
            r["headers"]["Retry-After"]["required"], true,
            "{path} {method}: {r}"
        );
        assert_eq!(
            r["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/ErrorBody"
        );
    }
    assert!(too_many("/sandbox/payments/{id}/succeed", "post").is_null());
}
