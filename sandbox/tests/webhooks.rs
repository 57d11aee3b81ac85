//! Webhooks as a merchant meets them: a real sandbox on a free port posting to a real local
//! endpoint, signatures checked as a receiver would, retries with the same event id, the
//! delivery log, a restart between two attempts, test events and manual retries.

mod common;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use lomi_sandbox::config::WebhookSettings;
use lomi_sandbox::domain::webhooks::signing;
use lomi_sandbox::{spawn, Config, Sandbox};
use serde_json::{json, Value};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One request the endpoint received.
#[derive(Clone, Debug)]
struct Received {
    headers: HeaderMap,
    body: Bytes,
}

impl Received {
    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }
}

#[derive(Default)]
struct Inbox {
    received: Mutex<Vec<Received>>,
    /// The statuses to answer with, in order; 200 once they run out.
    script: Mutex<VecDeque<u16>>,
}

/// A merchant's webhook endpoint on a free local port.
struct Endpoint {
    url: String,
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
    let status = StatusCode::from_u16(status).unwrap();
    if status.is_redirection() {
        return (status, String::new());
    }
    (status, format!("answered {}", status.as_u16()))
}

async fn endpoint(script: &[u16]) -> Endpoint {
    let inbox = Arc::new(Inbox::default());
    inbox.script.lock().unwrap().extend(script.iter().copied());
    let app = Router::new()
        .route("/hooks/lomi", post(receive))
        .with_state(inbox.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hooks/lomi", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    Endpoint { url, inbox, task }
}

impl Endpoint {
    fn received(&self) -> Vec<Received> {
        self.inbox.received.lock().unwrap().clone()
    }

    /// Waits until `n` requests have arrived (at most 15 s).
    async fn wait_for(&self, n: usize) -> Vec<Received> {
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

fn config(retry_unit_ms: u64) -> Config {
    Config {
        webhooks: WebhookSettings {
            retry_unit_ms,
            timeout_ms: 2_000,
            ..Config::default().webhooks
        },
        ..common::config()
    }
}

struct Api {
    base: String,
    key: String,
    client: reqwest::Client,
}

impl Api {
    fn of(sandbox: &Sandbox) -> Api {
        Api {
            base: sandbox.base_url.clone(),
            key: sandbox.api_key.clone(),
            client: reqwest::Client::new(),
        }
    }

    async fn call(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
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

    async fn webhook(&self, url: &str, events: Value) -> Value {
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

    /// A customer starts paying an instant link by Wave; answers the payment id.
    async fn start_payment(&self, amount: i64) -> String {
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
    async fn settle(&self, payment: &str, outcome: &str) {
        let (status, body) = self
            .call(
                "POST",
                &format!("/sandbox/payments/{payment}/{outcome}"),
                Some(json!({})),
            )
            .await;
        assert_eq!(status, 200, "{body}");
    }

    async fn logs(&self, query: &str) -> Vec<Value> {
        let (status, body) = self
            .call("GET", &format!("/webhook-delivery-logs?{query}"), None)
            .await;
        assert_eq!(status, 200, "{body}");
        body["data"].as_array().unwrap().clone()
    }

    /// Waits until the log shows `n` lines for `query`.
    async fn wait_for_logs(&self, query: &str, n: usize) -> Vec<Value> {
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
fn assert_signed(r: &Received, secret: &str) {
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

#[tokio::test]
async fn a_paid_order_reaches_the_endpoint_signed_and_a_500_is_retried_with_the_same_event_id() {
    let hook = endpoint(&[500]).await;
    let sandbox = spawn(config(100), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let api = Api::of(&sandbox);
    let w = api
        .webhook(&hook.url, json!(["PAYMENT_SUCCEEDED", "PAYMENT_FAILED"]))
        .await;
    let secret = w["verification_token"].as_str().unwrap().to_string();
    assert!(secret.starts_with("whsec_"), "{w}");
    assert_eq!(w["authorized_events"], "PAYMENT_SUCCEEDED,PAYMENT_FAILED");

    let payment = api.start_payment(15_000).await;
    assert!(
        hook.received().is_empty(),
        "nothing is sent before the outcome"
    );
    api.settle(&payment, "succeed").await;

    let got = hook.wait_for(2).await;
    let (first, second) = (&got[0], &got[1]);
    assert_eq!(
        first.body, second.body,
        "every attempt sends the same bytes"
    );
    let event = second.json();
    assert_eq!(event["event"], "PAYMENT_SUCCEEDED");
    assert_eq!(event["lomi_environment"], "test");
    assert!(event["timestamp"].as_str().unwrap().ends_with('Z'));
    assert_eq!(event["data"]["status"], "completed");
    assert_eq!(event["data"]["gross_amount"], json!(15000));
    assert_eq!(event["data"]["currency_code"], "XOF");
    assert_eq!(event["data"]["provider_code"], "WAVE");
    for r in [first, second] {
        assert_signed(r, &secret);
        assert_eq!(r.header("x-lomi-event"), "PAYMENT_SUCCEEDED");
        assert_eq!(r.header("user-agent"), "Lomi-Webhook/1.0");
        assert_eq!(r.header("content-type"), "application/json");
        assert_eq!(r.header("x-lomi-event-id"), event["id"].as_str().unwrap());
    }
    assert_eq!(first.header("x-lomi-attempt"), "1");
    assert_eq!(second.header("x-lomi-attempt"), "2");

    // The transaction the merchant reads is the one the event carried.
    let (_, t) = api
        .call(
            "GET",
            &format!("/transactions/{}", event["data"]["id"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(t["transaction_id"], event["data"]["transaction_id"]);

    // Both attempts are in the log, newest first, with the same event id.
    let event_id = event["id"].as_str().unwrap();
    let logs = api.wait_for_logs(&format!("event_id={event_id}"), 2).await;
    assert_eq!(logs[0]["attempt_number"], 2);
    assert_eq!(logs[0]["success"], true);
    assert_eq!(logs[0]["response_status"], 200);
    assert_eq!(logs[0]["response_body"], "answered 200");
    assert_eq!(logs[1]["attempt_number"], 1);
    assert_eq!(logs[1]["success"], false);
    assert_eq!(logs[1]["response_status"], 500);
    assert_eq!(logs[1]["response_body"], "answered 500");
    for l in &logs {
        assert_eq!(l["event_id"], event_id);
        assert_eq!(l["event_type"], "PAYMENT_SUCCEEDED");
        assert_eq!(l["webhook_id"], w["id"]);
        assert_eq!(l["payload"], event);
        assert_eq!(l["user_agent"], "Lomi-Webhook/1.0");
        assert!(l["request_duration_ms"].as_i64().unwrap() >= 0);
    }
    // The same lines at the generated SDK's spelling, and one by its id.
    let (_, under) = api
        .call("GET", "/v1/webhook_delivery_logs?limit=10", None)
        .await;
    assert_eq!(under["data"].as_array().unwrap().len(), 2);
    let log_id = logs[1]["log_id"].as_str().unwrap();
    let (status, one) = api
        .call("GET", &format!("/webhook-delivery-logs/{log_id}"), None)
        .await;
    assert_eq!(status, 200);
    assert_eq!(one["attempt_number"], 1);

    // The endpoint remembers how it went.
    let (_, w) = api
        .call(
            "GET",
            &format!("/webhooks/{}", w["id"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(w["last_response_status"], 200);
    assert_eq!(w["retry_count"], 1);
    assert_eq!(w["last_payload"]["id"], event_id);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_failed_payment_sends_payment_failed_only_to_endpoints_that_asked() {
    let failures = endpoint(&[]).await;
    let successes = endpoint(&[]).await;
    let sandbox = spawn(config(100), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let api = Api::of(&sandbox);
    // The generated SDK sends the events as one comma-separated string.
    let w = api.webhook(&failures.url, json!("PAYMENT_FAILED")).await;
    api.webhook(&successes.url, json!("PAYMENT_SUCCEEDED"))
        .await;

    let payment = api.start_payment(5_000).await;
    api.settle(&payment, "fail").await;
    let got = failures.wait_for(1).await;
    let event = got[0].json();
    assert_eq!(event["event"], "PAYMENT_FAILED");
    assert_eq!(got[0].header("x-lomi-event"), "PAYMENT_FAILED");
    assert_eq!(event["data"]["status"], "failed");
    assert!(event["data"]["failure_reason"].is_string(), "{event}");
    assert_signed(&got[0], w["verification_token"].as_str().unwrap());
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert!(
        successes.received().is_empty(),
        "not subscribed to PAYMENT_FAILED"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_restart_between_two_attempts_loses_nothing() {
    let dir = common::temp_dir("webhook-restart");
    let db = dir.join("sandbox.db").to_string_lossy().into_owned();
    let hook = endpoint(&[503]).await;
    // The first retry waits 1.5 s: long enough to stop the sandbox in between.
    let first_run = Config {
        db_path: db.clone(),
        ..config(1_500)
    };
    let sandbox = spawn(first_run.clone(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let api = Api::of(&sandbox);
    api.webhook(&hook.url, json!(["PAYMENT_SUCCEEDED"])).await;
    let payment = api.start_payment(2_500).await;
    api.settle(&payment, "succeed").await;
    let first = hook.wait_for(1).await[0].clone();
    sandbox.shutdown().await;

    // Down while the retry comes due; back up on the same file.
    tokio::time::sleep(Duration::from_millis(1_600)).await;
    assert_eq!(
        hook.received().len(),
        1,
        "nothing is sent while the sandbox is down"
    );
    let sandbox = spawn(first_run, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let second = hook.wait_for(2).await[1].clone();
    assert_eq!(
        second.header("x-lomi-event-id"),
        first.header("x-lomi-event-id")
    );
    assert_eq!(second.header("x-lomi-attempt"), "2");
    assert_eq!(second.body, first.body);
    let api = Api::of(&sandbox);
    let logs = api.wait_for_logs("", 2).await;
    assert_eq!(
        logs.iter()
            .map(|l| l["success"].as_bool().unwrap())
            .collect::<Vec<_>>(),
        [true, false]
    );
    sandbox.shutdown().await;
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn six_failed_attempts_end_the_delivery_and_a_manual_retry_sends_it_again() {
    let hook = endpoint(&[500, 500, 500, 500, 500, 500]).await;
    // 20, 80, 320, 1280, 5120 ms between the six attempts.
    let sandbox = spawn(config(20), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let api = Api::of(&sandbox);
    let w = api.webhook(&hook.url, json!(["PAYMENT_SUCCEEDED"])).await;
    let id = w["id"].as_str().unwrap();

    // A test event, asked for by the merchant.
    let (status, test) = api
        .call("POST", &format!("/webhooks/{id}/test"), None)
        .await;
    assert_eq!(status, 202, "{test}");
    let got = hook.wait_for(6).await;
    let event = got[0].json();
    assert_eq!(event["id"], test["event_id"]);
    assert_eq!(event["data"]["metadata"]["lomi_test_event"], true);
    assert!(got.iter().all(|r| r.body == got[0].body));
    let logs = api.wait_for_logs(&format!("webhook_id={id}"), 6).await;
    assert!(logs.iter().all(|l| l["success"] == false));
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(hook.received().len(), 6, "six attempts, no more");

    // The merchant fixed their endpoint and retries by hand: same event, seventh attempt.
    let (status, retried) = api
        .call(
            "POST",
            &format!(
                "/webhook-delivery-logs/{}/retry",
                logs[0]["id"].as_str().unwrap()
            ),
            None,
        )
        .await;
    assert_eq!(status, 202, "{retried}");
    assert_eq!(retried["status"], "pending");
    let got = hook.wait_for(7).await;
    assert_eq!(
        got[6].header("x-lomi-event-id"),
        event["id"].as_str().unwrap()
    );
    assert_eq!(got[6].header("x-lomi-attempt"), "7");
    let logs = api.wait_for_logs("success=true", 1).await;
    assert_eq!(logs[0]["attempt_number"], 7);

    // A deleted endpoint is owed nothing more.
    let (status, _) = api.call("DELETE", &format!("/webhooks/{id}"), None).await;
    assert_eq!(status, 204);
    let (status, body) = api
        .call(
            "POST",
            &format!(
                "/webhook_delivery_logs/{}/retry",
                logs[0]["id"].as_str().unwrap()
            ),
            None,
        )
        .await;
    assert_eq!(status, 409, "{body}");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn redirects_are_not_followed_and_only_http_urls_are_taken() {
    let hook = endpoint(&[302]).await;
    let sandbox = spawn(config(60_000), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let api = Api::of(&sandbox);
    for url in [
        "ftp://127.0.0.1/hook",
        "javascript:alert(1)",
        "127.0.0.1:9/hook",
        "",
    ] {
        let (status, body) = api
            .call(
                "POST",
                "/webhooks",
                Some(json!({"url": url, "authorized_events": ["PAYMENT_SUCCEEDED"]})),
            )
            .await;
        assert_eq!(status, 400, "{url}: {body}");
        assert!(body["error"]["details"]["url"].is_array(), "{body}");
    }
    let (status, body) = api
        .call(
            "POST",
            "/webhooks",
            Some(json!({"url": hook.url, "authorized_events": ["PAYMENT_SUCEEDED"]})),
        )
        .await;
    assert_eq!(status, 400);
    assert!(body["error"]["details"]["authorized_events"][0]
        .as_str()
        .unwrap()
        .contains("PAYMENT_SUCCEEDED"));

    let w = api.webhook(&hook.url, json!(["PAYMENT_SUCCEEDED"])).await;
    let id = w["id"].as_str().unwrap();
    api.call("POST", &format!("/webhooks/{id}/test"), None)
        .await;
    let logs = api.wait_for_logs("", 1).await;
    assert_eq!(logs[0]["success"], false);
    assert_eq!(logs[0]["response_status"], 302);
    assert!(
        logs[0]["error"].as_str().unwrap().contains("not followed"),
        "{}",
        logs[0]
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_loopback_only_sandbox_sends_nothing_off_the_machine() {
    // `Config::default()` (what tests start) keeps deliveries on loopback; the command line's
    // `--webhook-hosts loopback` does the same. 192.0.2.1 is TEST-NET-1: never contacted.
    let sandbox = spawn(config(60_000), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let api = Api::of(&sandbox);
    let w = api
        .webhook("https://192.0.2.1/hooks", json!(["PAYMENT_SUCCEEDED"]))
        .await;
    api.call(
        "POST",
        &format!("/webhooks/{}/test", w["id"].as_str().unwrap()),
        None,
    )
    .await;
    let logs = api.wait_for_logs("", 1).await;
    assert_eq!(logs[0]["success"], false);
    assert!(logs[0]["response_status"].is_null());
    assert!(
        logs[0]["error"].as_str().unwrap().contains("loopback"),
        "{}",
        logs[0]
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn endpoints_are_managed_at_every_spelling_and_lists_keep_secrets_out() {
    let sandbox = spawn(config(60_000), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let api = Api::of(&sandbox);
    let (status, w) = api
        .call(
            "POST",
            "/v1/webhooks",
            Some(json!({"url": "http://localhost:4242/hooks", "authorized_events": "PAYMENT_SUCCEEDED, PAYMENT_FAILED",
                        "metadata": {"shop": "awa"}, "is_active": true})),
        )
        .await;
    assert_eq!(status, 201, "{w}");
    let id = w["webhook_id"].as_str().unwrap().to_string();
    assert_eq!(w["events"], json!(["PAYMENT_SUCCEEDED", "PAYMENT_FAILED"]));
    assert_eq!(w["metadata"]["shop"], "awa");
    assert_eq!(w["environment"], "test");

    let (_, list) = api.call("GET", "/webhooks", None).await;
    assert_eq!(list["pagination"]["total"], 1);
    assert!(list["data"][0]["verification_token"].is_null());
    let (_, got) = api.call("GET", &format!("/v1/webhooks/{id}"), None).await;
    assert_eq!(got["verification_token"], w["verification_token"]);

    let (status, updated) = api
        .call(
            "PATCH",
            &format!("/webhooks/{id}"),
            Some(json!({"is_active": false, "authorized_events": ["PAYMENT_FAILED"], "metadata": null})),
        )
        .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(updated["is_active"], false);
    assert_eq!(updated["authorized_events"], "PAYMENT_FAILED");
    assert!(updated["metadata"].is_null());
    assert_eq!(updated["verification_token"], w["verification_token"]);

    let (status, _) = api
        .call("DELETE", &format!("/v1/webhooks/{id}"), None)
        .await;
    assert_eq!(status, 204);
    let (status, body) = api.call("GET", &format!("/webhooks/{id}"), None).await;
    assert_eq!(status, 404, "{body}");
    let (status, _) = api.call("GET", "/webhook_delivery_logs", None).await;
    assert_eq!(status, 200);
    sandbox.shutdown().await;
}
