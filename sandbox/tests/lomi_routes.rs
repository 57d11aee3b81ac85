//! lomi.'s API routes as its controllers expose them, for the resources the sandbox serves:
//! the key in any header lomi.'s guard reads, a customer's transactions, adding a price to a
//! product and making it the default, a coupon's performance, the retry of a webhook's
//! delivery at lomi.'s path, and a named 501 for what the sandbox does not serve.

mod common;

use axum::http::StatusCode;
use common::{app, app_with, config, pay_body, Reply, TestApp};
use lomi_sandbox::config::WebhookSettings;
use lomi_sandbox::{spawn, Config};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Pays `session` with MTN from `phone` (its last two digits decide the outcome: 01 fails)
/// as `email`, with `coupon` if any, and lets the operator answer.
async fn pay(app: &TestApp, session: &str, phone: &str, email: &str, coupon: Option<&str>) {
    let mut body = pay_body(Some("MTN"), phone);
    body["customer"]["email"] = json!(email);
    if let Some(code) = coupon {
        body["coupon_code"] = json!(code);
    }
    let r = app
        .pay("sessions", session, &format!("k-{session}"), body)
        .await;
    assert!(r.status.is_success(), "{}", r.text());
    app.advance(3);
    app.payment(r.json["id"].as_str().unwrap()).await;
}

async fn with_headers(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> Reply {
    app.send("GET", path, headers, None).await
}

#[tokio::test]
async fn the_key_is_read_where_lomi_s_guard_reads_it() {
    let app = app();
    let key = app.key.clone();
    let bearer = format!("Bearer {key}");
    for headers in [
        vec![("X-API-KEY", key.as_str())],
        vec![("x-api-key", key.as_str())],
        vec![("X-Lomi-Api-Key", key.as_str())],
        vec![("X-Lomi-API-Key", key.as_str())],
        vec![("Authorization", bearer.as_str())],
        // An empty X-API-Key counts as absent: the next header is read.
        vec![("X-API-Key", ""), ("Authorization", bearer.as_str())],
    ] {
        for path in ["/products", "/v1/checkout-sessions"] {
            let r = with_headers(&app, path, &headers).await;
            assert_eq!(r.status, StatusCode::OK, "{headers:?} {path}: {}", r.text());
        }
    }
    let lower = format!("bearer {key}");
    let token = format!("Token {key}");
    let two_spaces = format!("Bearer  {key}");
    let live = "Bearer lomi_sk_live_0123456789abcdef".to_string();
    let wrong_first = format!("Bearer {key}");
    for headers in [
        vec![],
        vec![("Authorization", lower.as_str())],
        vec![("Authorization", token.as_str())],
        vec![("Authorization", live.as_str())],
        vec![("Authorization", "Bearer lomi_sk_test_wrong")],
        // X-API-Key is read first: a wrong one there is not saved by a right Bearer.
        vec![
            ("X-API-Key", "lomi_sk_test_wrong"),
            ("Authorization", wrong_first.as_str()),
        ],
        vec![
            ("X-Lomi-Api-Key", "lomi_sk_test_wrong"),
            ("Authorization", wrong_first.as_str()),
        ],
    ] {
        let r = with_headers(&app, "/products", &headers).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{headers:?}");
        assert_eq!(r.error().0, "UNAUTHORIZED");
    }
    let r = with_headers(&app, "/products", &[("Authorization", &lower)]).await;
    let message = r.json["error"]["message"].as_str().unwrap();
    assert!(message.contains("exactly `Bearer <key>`"), "{message}");
    // lomi.'s guard takes the key after exactly `Bearer `; the sandbox trims it, as it
    // trims X-API-Key.
    let r = with_headers(&app, "/products", &[("Authorization", &two_spaces)]).await;
    assert_eq!(r.status, StatusCode::OK);

    // A client that sends its key in any of the headers is an API client: an unknown path
    // answers JSON, not the page's not-found screen a browser gets.
    let r = with_headers(&app, "/no-such-page", &[]).await;
    assert!(r.json.is_null(), "a page: {}", r.text());
    for headers in [
        [("Authorization", bearer.as_str())],
        [("X-Lomi-Api-Key", key.as_str())],
    ] {
        let r = with_headers(&app, "/no-such-page", &headers).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert_eq!(r.error().0, "NOT_FOUND");
    }
}

#[tokio::test]
async fn the_rate_limit_counts_one_key_whichever_header_carries_it() {
    let app = app_with(Config {
        merchant_rate_limit: true,
        ..config()
    });
    let key = app.key.clone();
    let bearer = format!("Bearer {key}");
    for i in 0..120 {
        let headers = match i % 3 {
            0 => [("X-API-Key", key.as_str())],
            1 => [("X-Lomi-Api-Key", key.as_str())],
            _ => [("Authorization", bearer.as_str())],
        };
        let r = with_headers(&app, "/products", &headers).await;
        assert_eq!(r.status, StatusCode::OK, "request {i}");
        assert_eq!(
            r.header("x-ratelimit-remaining"),
            Some((119 - i).to_string().as_str())
        );
    }
    let r = with_headers(&app, "/products", &[("Authorization", &bearer)]).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn a_customer_s_transactions_page_like_the_transaction_list() {
    let app = app();
    let mut sessions = Vec::new();
    for amount in [5000, 7000, 9000] {
        sessions.push(app.session(amount, json!({})).await);
    }
    pay(&app, &sessions[0], "0505000011", "awa@example.ci", None).await;
    pay(&app, &sessions[1], "0505000001", "awa@example.ci", None).await;
    pay(&app, &sessions[2], "0505000022", "kofi@example.ci", None).await;
    let r = app.get("/customers?email=awa@example.ci").await;
    let awa = r.json["data"][0]["id"].as_str().unwrap().to_string();

    for path in [
        format!("/customers/{awa}/transactions"),
        format!("/v1/customers/{awa}/transactions"),
    ] {
        let r = app.get(&path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.text());
        let all = r.json["data"].as_array().unwrap();
        // Newest first: the failed 7000 after the completed 5000.
        let seen: Vec<(&Value, &Value)> = all
            .iter()
            .map(|t| (&t["gross_amount"], &t["status"]))
            .collect();
        assert_eq!(
            seen,
            [
                (&json!(7000), &json!("failed")),
                (&json!(5000), &json!("completed"))
            ],
            "{path}"
        );
        assert!(all.iter().all(|t| t["customer_id"] == json!(awa)));
        assert_eq!(r.json["pagination"]["total"], json!(2), "{}", r.text());
    }
    let r = app
        .get(&format!(
            "/customers/{awa}/transactions?status=completed&limit=1"
        ))
        .await;
    assert_eq!(r.json["data"].as_array().unwrap().len(), 1);
    assert_eq!(r.json["data"][0]["gross_amount"], json!(5000));
    // The same page as GET /transactions filtered on the customer.
    let by_list = app.get(&format!("/transactions?customer_id={awa}")).await;
    let by_customer = app.get(&format!("/customers/{awa}/transactions")).await;
    assert_eq!(by_list.json, by_customer.json);

    // The customer is the path's: a customer_id filter is refused, not merged.
    let r = app
        .get(&format!("/customers/{awa}/transactions?customer_id={awa}"))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = app.get("/customers/nobody/transactions").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.error().0, "NOT_FOUND");
}

#[tokio::test]
async fn a_price_is_added_to_a_product_and_made_its_default() {
    let app = app();
    let (product, first) = app.product("Pagne wax", 15000).await;
    let path = format!("/products/{product}/prices");
    let body = json!({"amount": 18000, "currency_code": "XOF", "metadata": {"saison": "fêtes"}});
    let send = |key: &'static str, body: Value, path: String| {
        let app = &app;
        async move {
            let text = body.to_string();
            let api_key = app.key.clone();
            app.send(
                "POST",
                &path,
                &[
                    ("X-API-Key", api_key.as_str()),
                    ("Content-Type", "application/json"),
                    ("Idempotency-Key", key),
                ],
                Some(&text),
            )
            .await
        }
    };
    let r = send("add-1", body.clone(), path.clone()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let second = r.json["id"].as_str().unwrap().to_string();
    assert_eq!(
        (
            &r.json["product_id"],
            &r.json["amount"],
            &r.json["is_default"],
            &r.json["metadata"]
        ),
        (
            &json!(product),
            &json!(18000),
            &json!(false),
            &json!({"saison": "fêtes"})
        )
    );
    // A retry with the same key answers the same price and makes no other.
    let again = send("add-1", body.clone(), path.clone()).await;
    assert_eq!(again.status, StatusCode::CREATED);
    assert_eq!(again.json["id"], json!(second));
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    let r = app.get(&format!("/prices/{second}")).await;
    assert_eq!(r.json["product_id"], json!(product));
    let r = app.get(&format!("/products/{product}")).await;
    assert_eq!(r.json["prices"].as_array().unwrap().len(), 2);

    // is_default takes over from the current default, at the /v1 path too.
    let r = app
        .post(
            &format!("/v1/products/{product}/prices"),
            json!({"amount": 20000, "currency_code": "XOF", "is_default": true}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let third = r.json["id"].as_str().unwrap().to_string();
    let defaults = |p: &Value| -> Vec<String> {
        p["prices"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|x| x["is_default"] == true)
            .map(|x| x["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        defaults(&app.get(&format!("/products/{product}")).await.json),
        [third.as_str()]
    );

    // The body is checked as POST /prices checks it; an unknown product is a 404.
    let r = app
        .post(&path, json!({"amount": 10.5, "currency_code": "XOF"}))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.error().1["amount"].is_array(), "{}", r.text());
    let r = app
        .post(
            "/products/nothing/prices",
            json!({"amount": 1000, "currency_code": "XOF"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // set-default: the product comes back with that price its only default.
    for (p, id) in [("", &second), ("/v1", &first)] {
        let r = app
            .post(
                &format!("{p}/products/{product}/prices/{id}/set-default"),
                json!({}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert_eq!(r.json["id"], json!(product));
        assert_eq!(defaults(&r.json), [id.as_str()]);
        assert_eq!(
            defaults(&app.get(&format!("/products/{product}")).await.json),
            [id.as_str()]
        );
    }
    let r = app
        .send(
            "POST",
            &format!("/products/{product}/prices/{second}/set-default"),
            &[("X-API-Key", app.key.as_str())],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "no body needed: {}", r.text());
    // A price of another product is not this product's.
    let (other, other_price) = app.product("Sac", 9000).await;
    let r = app
        .post(
            &format!("/products/{product}/prices/{other_price}/set-default"),
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = app.get(&format!("/products/{other}")).await;
    assert_eq!(defaults(&r.json), [other_price]);
}

#[tokio::test]
async fn a_coupon_s_performance_is_what_its_completed_transactions_add_up_to() {
    let app = app();
    let r = app
        .post(
            "/discount-coupons",
            json!({"code": "MOINS10", "discount_type": "percentage", "discount_percentage": 10}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let coupon = r.json["id"].as_str().unwrap().to_string();
    let r = app
        .get(&format!("/discount-coupons/{coupon}/performance"))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(
        (
            &r.json["total_uses"],
            &r.json["total_discount_amount"],
            &r.json["total_revenue"],
            &r.json["average_order_value"]
        ),
        (&json!(0), &json!(0), &json!(0), &json!(0))
    );

    let with_coupon = json!({"allow_coupon_code": true});
    let a = app.session(10000, with_coupon.clone()).await;
    let b = app.session(20000, with_coupon.clone()).await;
    let failed = app.session(50000, with_coupon.clone()).await;
    let plain = app.session(30000, with_coupon).await;
    pay(&app, &a, "0505000011", "awa@example.ci", Some("MOINS10")).await;
    pay(&app, &b, "0505000022", "kofi@example.ci", Some("moins10")).await;
    pay(
        &app,
        &failed,
        "0505000001",
        "ama@example.ci",
        Some("MOINS10"),
    )
    .await;
    pay(&app, &plain, "0505000033", "yao@example.ci", None).await;

    let expected = json!({
        "coupon_id": coupon, "code": "MOINS10", "total_uses": 2, "currency_code": "XOF",
        "total_discount_amount": 3000, "total_revenue": 27000, "average_order_value": 13500,
        "by_currency": [{"currency_code": "XOF", "total_uses": 2, "total_discount_amount": 3000,
                         "total_revenue": 27000, "average_order_value": 13500}],
    });
    for path in [
        format!("/discount-coupons/{coupon}/performance"),
        format!("/discount_coupons/{coupon}/performance"),
        format!("/coupons/{coupon}/performance"),
        format!("/v1/discount-coupons/{coupon}/performance"),
    ] {
        let r = app.get(&path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert_eq!(r.json, expected, "{path}");
    }
    // The coupon's own count agrees.
    assert_eq!(app.coupon_uses("MOINS10").await, 2);
    let r = app.get("/discount-coupons/nothing/performance").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn routes_the_sandbox_does_not_serve_answer_a_named_501() {
    let app = app();
    let customer = "3f1c2b4a-0000-4000-8000-000000000001";
    for (method, path, route) in [
        ("POST", "/customers".to_string(), "POST /customers"),
        (
            "PATCH",
            format!("/customers/{customer}"),
            "PATCH /customers/{id}",
        ),
        (
            "DELETE",
            format!("/v1/customers/{customer}"),
            "DELETE /customers/{id}",
        ),
        (
            "GET",
            format!("/customers/{customer}/portal-audit"),
            "GET /customers/{id}/portal-audit",
        ),
        (
            "POST",
            format!("/v1/customers/{customer}/portal-launch-session"),
            "POST /customers/{id}/portal-launch-session",
        ),
    ] {
        let body = (method != "GET" && method != "DELETE").then(|| json!({"name": "Awa"}));
        let r = app.api(method, &path, body.clone()).await;
        assert_eq!(r.status, StatusCode::NOT_IMPLEMENTED, "{method} {path}");
        let (code, details) = r.error();
        assert_eq!(code, "NOT_IMPLEMENTED");
        assert_eq!(details["route"], json!([route]));
        let message = r.json["error"]["message"].as_str().unwrap();
        assert!(
            message.starts_with(&format!("{route} is lomi.'s customer")),
            "{message}"
        );
        assert!(message.contains("not served by the sandbox"), "{message}");
        // The key is checked first, as everywhere on the merchant API.
        let r = app.public(method, &path, body).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{method} {path}");
    }
    // The served routes on the same paths are unchanged.
    assert_eq!(app.get("/customers").await.status, StatusCode::OK);
    let r = app.get(&format!("/customers/{customer}")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_new_routes_are_documented_and_the_501s_as_501s() {
    let app = app();
    let doc = app.public("GET", "/openapi.json", None).await.json;
    let paths = doc["paths"].as_object().unwrap();
    for (path, method) in [
        ("/customers/{id}/transactions", "get"),
        ("/v1/customers/{id}/transactions", "get"),
        ("/products/{id}/prices", "post"),
        ("/products/{id}/prices/{price_id}/set-default", "post"),
        ("/coupons/{id}/performance", "get"),
        ("/webhooks/{id}/logs/{log_id}/retry", "post"),
    ] {
        let op = &paths[path][method];
        assert!(op.is_object(), "{method} {path}");
        assert_eq!(op["security"], json!([{"api_key": []}]), "{path}");
        for param in op["parameters"].as_array().unwrap() {
            if param["in"] == "path" {
                assert_eq!(
                    param["schema"]["pattern"], "^[A-Za-z0-9_-]{1,100}$",
                    "{path}"
                );
            }
        }
    }
    let add = &doc["components"]["schemas"]["AddPriceRequest"];
    assert!(add["properties"].get("product_id").is_none());
    assert!(add["allOf"].is_array(), "per-currency rules: {add}");
    // What the sandbox does not serve is documented as it answers: 501 (and 401, 429).
    for (path, method) in [
        ("/customers", "post"),
        ("/customers/{id}", "patch"),
        ("/customers/{id}", "delete"),
        ("/customers/{id}/portal-audit", "get"),
        ("/v1/customers/{id}/portal-launch-session", "post"),
    ] {
        let responses = paths[path][method]["responses"].as_object().unwrap();
        let mut statuses: Vec<&String> = responses.keys().collect();
        statuses.sort();
        assert_eq!(statuses, ["401", "429", "501"], "{method} {path}");
    }
}

/// A local webhook endpoint that answers 200 and counts what it receives.
async fn counting_endpoint() -> (String, Arc<AtomicUsize>, tokio::task::JoinHandle<()>) {
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    let app = axum::Router::new().route(
        "/hooks/lomi",
        axum::routing::post(move || {
            let seen = seen.clone();
            async move {
                seen.fetch_add(1, Ordering::SeqCst);
                "ok"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hooks/lomi", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    (url, count, task)
}

#[tokio::test]
async fn a_delivery_is_retried_at_lomi_s_path_with_a_bearer_key() {
    let (url, count, endpoint) = counting_endpoint().await;
    let sandbox = spawn(
        Config {
            webhooks: WebhookSettings {
                retry_unit_ms: 20,
                timeout_ms: 2_000,
                ..Config::default().webhooks
            },
            ..config()
        },
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap();
    let client = reqwest::Client::new();
    let bearer = format!("Bearer {}", sandbox.api_key);
    let call = |method: reqwest::Method, path: String, body: Option<Value>| {
        let request = client
            .request(method, format!("{}{path}", sandbox.base_url))
            .header("Authorization", bearer.clone());
        let request = match body {
            Some(b) => request.json(&b),
            None => request,
        };
        async move {
            let r = request.send().await.unwrap();
            let status = r.status().as_u16();
            (status, r.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    let (status, w) = call(
        reqwest::Method::POST,
        "/webhooks".into(),
        Some(json!({"url": url, "authorized_events": ["PAYMENT_SUCCEEDED"]})),
    )
    .await;
    assert_eq!(status, 201, "{w}");
    let webhook = w["id"].as_str().unwrap().to_string();
    let (status, _) = call(
        reqwest::Method::POST,
        format!("/webhooks/{webhook}/test"),
        None,
    )
    .await;
    assert_eq!(status, 202);
    let mut log = Value::Null;
    for _ in 0..300 {
        let (_, logs) = call(
            reqwest::Method::GET,
            format!("/webhook-delivery-logs?webhook_id={webhook}"),
            None,
        )
        .await;
        if let Some(first) = logs["data"].as_array().and_then(|l| l.first()) {
            log = first.clone();
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let log_id = log["id"].as_str().expect("a delivery log").to_string();
    assert_eq!(count.load(Ordering::SeqCst), 1);

    let (status, retried) = call(
        reqwest::Method::POST,
        format!("/webhooks/{webhook}/logs/{log_id}/retry"),
        None,
    )
    .await;
    assert_eq!(status, 202, "{retried}");
    assert_eq!(
        (&retried["webhook_id"], &retried["event_id"]),
        (&json!(webhook), &log["event_id"])
    );
    for _ in 0..300 {
        if count.load(Ordering::SeqCst) >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(count.load(Ordering::SeqCst), 2, "sent again");

    // A log of another endpoint is not this endpoint's.
    let (status, body) = call(
        reqwest::Method::POST,
        format!("/v1/webhooks/{log_id}/logs/{log_id}/retry"),
        None,
    )
    .await;
    assert_eq!(status, 404, "{body}");
    sandbox.shutdown().await;
    endpoint.abort();
}
