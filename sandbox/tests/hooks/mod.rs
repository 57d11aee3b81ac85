//! What the webhook tests share: a merchant's endpoint on a free loopback port, and the
//! merchant API over real HTTP.
#![allow(dead_code)]

use crate::common;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use lomi_sandbox::config::WebhookSettings;
use lomi_sandbox::domain::webhooks::signing;
use lomi_sandbox::{Config, Sandbox};
use serde_json::{json, Value};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// In an endpoint's script: take the request and never answer.
pub const HANG: u16 = 0;

/// One request the endpoint received.
#[derive(Clone, Debug)]
pub struct Received {
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Received {
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }
}

#[derive(Default)]
struct Inbox {
    received: Mutex<Vec<Received>>,
    /// The statuses to answer with, in order ([`HANG`]: none); 200 once they run out.
    script: Mutex<VecDeque<u16>>,
    /// The body of every answer; `answered <status>` when `None`.
    reply: Mutex<Option<String>>,
}

/// A merchant's webhook endpoint on a free local port.
pub struct Endpoint {
    pub url: String,
    pub port: u16,
    inbox: Arc<Inbox>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Endpoint {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn receive(
    State(inbox): State<Arc<Inbox>>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, String) {
    inbox
        .received
        .lock()
        .unwrap()
        .push(Received { headers, body });
    let status = inbox.script.lock().unwrap().pop_front().unwrap_or(200);
    if status == HANG {
        std::future::pending::<()>().await;
    }
    let status = StatusCode::from_u16(status).unwrap();
    if status.is_redirection() {
        return (status, String::new());
    }
    let reply = inbox.reply.lock().unwrap().clone();
    (
        status,
        reply.unwrap_or_else(|| format!("answered {}", status.as_u16())),
    )
}

/// An endpoint answering the statuses of `script` in turn, then 200.
pub async fn endpoint(script: &[u16]) -> Endpoint {
    let inbox = Arc::new(Inbox::default());
    inbox.script.lock().unwrap().extend(script.iter().copied());
    let app = Router::new()
        .route("/hooks/lomi", post(receive))
        .with_state(inbox.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let url = format!("http://127.0.0.1:{port}/hooks/lomi");
    let task = tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    Endpoint {
        url,
        port,
        inbox,
        task,
    }
}

impl Endpoint {
    pub fn received(&self) -> Vec<Received> {
        self.inbox.received.lock().unwrap().clone()
    }

    /// Answers `body` from now on.
    pub fn reply_with(&self, body: &str) {
        *self.inbox.reply.lock().unwrap() = Some(body.to_string());
    }

    /// Waits until `n` requests have arrived (at most 15 s).
    pub async fn wait_for(&self, n: usize) -> Vec<Received> {
        for _ in 0..300 {
            let got = self.received();
            if got.len() >= n {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("expected {n} deliveries, got {}", self.received().len());
    }
}

/// A sandbox delivering to loopback (the library's default), retrying after `retry_unit_ms`.
pub fn config(retry_unit_ms: u64) -> Config {
    Config {
        webhooks: WebhookSettings {
            retry_unit_ms,
            timeout_ms: 2_000,
            ..Config::default().webhooks
        },
        ..common::config()
    }
}

/// The merchant API of a running sandbox, over HTTP.
pub struct Api {
    pub base: String,
    pub key: String,
    pub client: reqwest::Client,
}

impl Api {
    pub fn of(sandbox: &Sandbox) -> Api {
        Api {
            base: sandbox.base_url.clone(),
            key: sandbox.api_key.clone(),
            client: reqwest::Client::new(),
        }
    }

    pub async fn call(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        let url = format!("{}{path}", self.base);
        let mut req = self
            .client
            .request(method.parse().unwrap(), url)
            .header("X-API-Key", &self.key);
        if let Some(body) = body {
            req = req.json(&body);
        }
        let r = req.send().await.unwrap();
        let status = r.status().as_u16();
        let text = r.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    pub async fn webhook(&self, url: &str, events: Value) -> Value {
        let (status, w) = self
            .call(
                "POST",
                "/webhooks",
                Some(json!({"url": url, "authorized_events": events})),
            )
            .await;
        assert_eq!(status, 201, "{w}");
        w
    }

    /// Asks for a test event to endpoint `w`; answers the event's id.
    pub async fn test_event(&self, w: &Value) -> String {
        let (status, test) = self
            .call(
                "POST",
                &format!("/webhooks/{}/test", w["id"].as_str().unwrap()),
                None,
            )
            .await;
        assert_eq!(status, 202, "{test}");
        test["event_id"].as_str().unwrap().to_string()
    }

    /// A customer starts paying an instant link by Wave; answers the payment id.
    pub async fn start_payment(&self, amount: i64) -> String {
        let (status, link) = self
            .call(
                "POST",
                "/payment-links",
                Some(json!({"title": "Panier", "amount": amount, "currency_code": "XOF"})),
            )
            .await;
        assert_eq!(status, 201, "{link}");
        let id = link["id"].as_str().unwrap();
        let r = self
            .client
            .post(format!("{}/api/checkout/links/{id}/pay", self.base))
            .header("Idempotency-Key", lomi_sandbox::ids::uuid())
            .json(&json!({
                "customer": common::customer("0700000011"),
                "provider": "WAVE",
                "billing": {"country": "CI", "city": "Abidjan", "line1": "Rue des Jardins"}
            }))
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        let payment: Value = r.json().await.unwrap();
        assert_eq!(status, 201, "{payment}");
        payment["id"].as_str().unwrap().to_string()
    }

    /// CI's control settles the payment: `succeed` or `fail`.
    pub async fn settle(&self, payment: &str, outcome: &str) {
        let (status, body) = self
            .call(
                "POST",
                &format!("/sandbox/payments/{payment}/{outcome}"),
                Some(json!({})),
            )
            .await;
        assert_eq!(status, 200, "{body}");
    }

    pub async fn logs(&self, query: &str) -> Vec<Value> {
        let (status, body) = self
            .call("GET", &format!("/webhook-delivery-logs?{query}"), None)
            .await;
        assert_eq!(status, 200, "{body}");
        body["data"].as_array().unwrap().clone()
    }

    /// Waits until the log shows `n` lines for `query`.
    pub async fn wait_for_logs(&self, query: &str, n: usize) -> Vec<Value> {
        for _ in 0..300 {
            let logs = self.logs(query).await;
            if logs.len() >= n {
                return logs;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("expected {n} log lines for {query}");
    }
}

/// What a receiver checks: lomi.'s signature of the raw body, and the timestamped one.
pub fn assert_signed(r: &Received, secret: &str) {
    assert!(
        signing::verify(secret, &r.body, r.header("x-lomi-signature")),
        "X-Lomi-Signature is not the HMAC of the body"
    );
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    assert!(signing::verify_timestamped(
        secret,
        &r.body,
        r.header("x-lomi-timestamp"),
        r.header("x-lomi-timestamp-signature"),
        now,
        300
    ));
    assert!(!signing::verify(
        "whsec_other",
        &r.body,
        r.header("x-lomi-signature")
    ));
}
