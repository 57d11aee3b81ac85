//! A merchant's webhook endpoint for the end-to-end tests: a server on a free local port that
//! answers each delivery with the next status of its script (200 once it runs out) and keeps
//! what it received, and the merchant's own check of lomi.'s signature, written from the
//! documented scheme (hex HMAC-SHA256 of the raw body with the `whsec_` secret), not with the
//! sandbox's code.

use anyhow::{bail, Result};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One delivery as the endpoint received it.
#[derive(Clone, Debug)]
pub struct Delivery {
    pub headers: HeaderMap,
    /// The raw body, byte for byte: what the signature covers.
    pub body: Bytes,
}

impl Delivery {
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }

    /// What a merchant's server checks before trusting a delivery.
    pub fn signed_with(&self, secret: &str) -> bool {
        let Ok(expected) = hex::decode(self.header("x-lomi-signature")) else {
            return false;
        };
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key");
        mac.update(&self.body);
        mac.verify_slice(&expected).is_ok()
    }
}

#[derive(Default)]
struct Inbox {
    received: Mutex<Vec<Delivery>>,
    script: Mutex<VecDeque<u16>>,
}

pub struct WebhookEndpoint {
    /// Where to register it: `http://127.0.0.1:<port>/webhooks/lomi`.
    pub url: String,
    inbox: Arc<Inbox>,
    task: tokio::task::JoinHandle<()>,
}

async fn receive(State(inbox): State<Arc<Inbox>>, headers: HeaderMap, body: Bytes) -> StatusCode {
    inbox
        .received
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(Delivery { headers, body });
    let next = inbox
        .script
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .pop_front();
    StatusCode::from_u16(next.unwrap_or(200)).unwrap_or(StatusCode::OK)
}

impl WebhookEndpoint {
    /// An endpoint answering `script`'s statuses in order, then 200.
    pub async fn start(script: &[u16]) -> Result<WebhookEndpoint> {
        let inbox = Arc::new(Inbox::default());
        inbox
            .script
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend(script.iter().copied());
        let app = Router::new()
            .route("/webhooks/lomi", post(receive))
            .with_state(inbox.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}/webhooks/lomi", listener.local_addr()?);
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(WebhookEndpoint { url, inbox, task })
    }

    pub fn received(&self) -> Vec<Delivery> {
        self.inbox
            .received
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Waits (at most 20 s) until `n` deliveries have arrived; returns them all.
    pub async fn wait_for(&self, n: usize) -> Result<Vec<Delivery>> {
        for _ in 0..400 {
            let got = self.received();
            if got.len() >= n {
                return Ok(got);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        bail!(
            "expected {n} webhook deliveries, got {}",
            self.received().len()
        )
    }
}

impl Drop for WebhookEndpoint {
    fn drop(&mut self) {
        self.task.abort();
    }
}
