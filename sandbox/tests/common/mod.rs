//! Shared helpers: a sandbox on an in-memory database driven through `oneshot`.
#![allow(dead_code)]

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use axum::Router;
use checkout_core::calendar::parse_rfc3339;
use lomi_sandbox::{router, AppState, Clock, Config};
use serde_json::Value;
use std::path::PathBuf;
use tower::ServiceExt;

/// 2026-01-15T10:30:00Z: every test starts at the same instant.
pub fn start_time() -> i64 {
    parse_rfc3339("2026-01-15T10:30:00Z").expect("valid timestamp")
}

pub const BASE: &str = "http://localhost:8080";

pub struct TestApp {
    pub router: Router,
    pub state: AppState,
    pub key: String,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    pub json: Value,
}

impl Reply {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts the seeds' error shape and returns `(code, details)`.
    pub fn error(&self) -> (String, Value) {
        let e = &self.json["error"];
        assert!(e.is_object(), "not an error body: {}", self.text());
        assert_eq!(
            e["status"].as_u64(),
            Some(u64::from(self.status.as_u16())),
            "{}",
            self.text()
        );
        assert!(e["message"].as_str().is_some_and(|m| !m.is_empty()));
        assert!(e["timestamp"]
            .as_str()
            .is_some_and(|t| parse_rfc3339(t).is_some()));
        (
            e["code"].as_str().unwrap_or_default().to_string(),
            e["details"].clone(),
        )
    }
}

pub fn config() -> Config {
    Config {
        db_path: ":memory:".to_string(),
        dist_dir: PathBuf::from("/nonexistent-dist"),
        api_key: Some("lomi_sk_test_0123456789abcdef0123456789abcdef".to_string()),
        public_url: None,
        api_base: None,
        seed_demo: false,
        ..Config::default()
    }
}

pub fn app_with(config: Config) -> TestApp {
    let clock = Clock::system();
    clock.set(start_time());
    wrap(AppState::with_clock(&config, BASE, clock).expect("sandbox state"))
}

pub fn wrap(state: AppState) -> TestApp {
    TestApp {
        router: router(state.clone()),
        key: state.api_key().to_string(),
        state,
    }
}

pub fn app() -> TestApp {
    app_with(config())
}

pub fn demo_app() -> TestApp {
    let app = app_with(Config {
        seed_demo: true,
        ..config()
    });
    lomi_sandbox::domain::demo::seed(&app.state).expect("demo data");
    app
}

impl TestApp {
    pub async fn send(
        &self,
        method: &str,
        uri: &str,
        headers: &[(&str, &str)],
        body: Option<&str>,
    ) -> Reply {
        let mut request = Request::builder().method(method).uri(uri);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let request = request
            .body(body.map_or_else(Body::empty, |b| Body::from(b.to_string())))
            .expect("request");
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("body")
            .to_vec();
        let json = serde_json::from_slice(&body).unwrap_or(Value::Null);
        Reply {
            status,
            headers,
            body,
            json,
        }
    }

    /// An authenticated merchant API call with a JSON body.
    pub async fn api(&self, method: &str, uri: &str, body: Option<Value>) -> Reply {
        let text = body.map(|b| b.to_string());
        let key = self.key.clone();
        let mut headers = vec![("X-API-Key", key.as_str())];
        if text.is_some() {
            headers.push(("Content-Type", "application/json"));
        }
        self.send(method, uri, &headers, text.as_deref()).await
    }

    pub async fn get(&self, uri: &str) -> Reply {
        self.api("GET", uri, None).await
    }

    pub async fn post(&self, uri: &str, body: Value) -> Reply {
        self.api("POST", uri, Some(body)).await
    }

    /// A public (keyless) call.
    pub async fn public(&self, method: &str, uri: &str, body: Option<Value>) -> Reply {
        let text = body.map(|b| b.to_string());
        let headers: &[(&str, &str)] = if text.is_some() {
            &[("Content-Type", "application/json")]
        } else {
            &[]
        };
        self.send(method, uri, headers, text.as_deref()).await
    }

    pub fn advance(&self, seconds: i64) {
        self.state.clock().advance(seconds);
    }

    /// Creates a one-time product with one XOF price and returns `(product_id, price_id)`.
    pub async fn product(&self, name: &str, amount: i64) -> (String, String) {
        let r = self
            .post(
                "/products",
                serde_json::json!({
                    "name": name,
                    "prices": [{"amount": amount, "currency_code": "XOF"}]
                }),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        (
            r.json["product_id"].as_str().expect("id").to_string(),
            r.json["prices"][0]["price_id"]
                .as_str()
                .expect("price id")
                .to_string(),
        )
    }

    /// Creates an instant XOF link and returns its id.
    pub async fn instant_link(&self, amount: i64) -> String {
        let r = self
            .post(
                "/payment-links",
                serde_json::json!({
                    "link_type": "instant", "title": "Test", "amount": amount, "currency_code": "XOF"
                }),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        r.json["id"].as_str().expect("id").to_string()
    }
}

/// A fresh empty directory under the system temp dir.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "lomi-sandbox-test-{name}-{}-{}",
        std::process::id(),
        lomi_sandbox::ids::prefixed("")
    ));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// Id of a customer URL's last segment.
pub fn last_segment(url: &str) -> String {
    url.rsplit('/').next().unwrap_or_default().to_string()
}

/// The customer of most payment tests; the phone's last two digits pick the operator's
/// answer (01, 02, 03; anything else succeeds).
pub fn customer(phone: &str) -> Value {
    serde_json::json!({
        "name": "Awa Diallo",
        "email": "awa@example.ci",
        "phone": phone,
        "phone_country": "CI"
    })
}

/// A pay request as the page sends it.
pub fn pay_body(provider: Option<&str>, phone: &str) -> Value {
    serde_json::json!({
        "customer": customer(phone),
        "provider": provider,
    })
}

impl TestApp {
    /// `POST /api/checkout/{links|sessions}/{id}/pay` with an `Idempotency-Key`, as the page
    /// sends it.
    pub async fn pay(&self, collection: &str, id: &str, key: &str, body: Value) -> Reply {
        let text = body.to_string();
        self.send(
            "POST",
            &format!("/api/checkout/{collection}/{id}/pay"),
            &[
                ("Content-Type", "application/json"),
                ("Idempotency-Key", key),
            ],
            Some(&text),
        )
        .await
    }

    pub async fn payment(&self, id: &str) -> Reply {
        self.public("GET", &format!("/api/checkout/payments/{id}"), None)
            .await
    }

    /// A keyless form post, as a provider page's button sends it.
    pub async fn form(&self, uri: &str, body: &str) -> Reply {
        self.send(
            "POST",
            uri,
            &[("Content-Type", "application/x-www-form-urlencoded")],
            Some(body),
        )
        .await
    }

    /// An XOF instant link without a billing address, for the given providers (all of the
    /// merchant's when empty); returns its id.
    pub async fn link(&self, amount: i64, providers: &[&str]) -> String {
        let mut body = serde_json::json!({
            "link_type": "instant", "title": "Consultation", "amount": amount,
            "currency_code": "XOF", "require_billing_address": false
        });
        if !providers.is_empty() {
            body["allowed_providers"] = serde_json::json!(providers);
        }
        let r = self.post("/payment-links", body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        r.json["id"].as_str().expect("id").to_string()
    }

    /// An XOF session without a billing address; `extra` fields are merged in.
    pub async fn session(&self, amount: i64, extra: Value) -> String {
        let mut body = serde_json::json!({
            "amount": amount, "currency_code": "XOF", "title": "Commande #1",
            "require_billing_address": false
        });
        if let (Some(target), Value::Object(more)) = (body.as_object_mut(), extra) {
            target.extend(more);
        }
        let r = self.post("/checkout-sessions", body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        r.json["id"].as_str().expect("id").to_string()
    }

    /// A coupon's `current_uses`, by code.
    pub async fn coupon_uses(&self, code: &str) -> u64 {
        let r = self.get("/coupons?limit=100").await;
        r.json["data"]
            .as_array()
            .and_then(|all| all.iter().find(|c| c["code"] == code))
            .and_then(|c| c["current_uses"].as_u64())
            .expect("coupon")
    }
}
