//! The request log: one line per request with its method, path, status and latency, and never
//! the merchant's key, a customer's email or phone number (typed or E.164), wherever the
//! request carried them (headers, body, query string).

mod common;

use axum::http::StatusCode;
use common::{app, TestApp};
use serde_json::json;
use std::io;
use std::sync::{Arc, Mutex};

const EMAIL: &str = "fatou.kone@example.ci";
const PHONE_TYPED: &str = "07 08 09 10 44";
const PHONE_E164: &str = "+2250708091044";
const WRONG_KEY: &str = "lomi_sk_test_not_the_merchants_key_0000";

/// The log's lines, as the sandbox's subscriber writes them.
#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<u8>>>);

impl io::Write for Log {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Log {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

/// A request the log must show: method, path without its query, status.
struct Seen {
    method: &'static str,
    path: String,
    status: StatusCode,
}

impl Seen {
    fn new(method: &'static str, uri: &str, status: StatusCode) -> Seen {
        let path = uri.split('?').next().unwrap_or(uri).to_string();
        Seen {
            method,
            path,
            status,
        }
    }
}

/// A customer's checkout from the session to Wave's approval, with the customer's details in
/// bodies and query strings and the key in headers; returns what each request answered.
async fn checkout(app: &TestApp) -> Vec<Seen> {
    let mut seen = Vec::new();

    let r = app
        .post(
            "/checkout-sessions",
            json!({
                "amount": 5000, "currency_code": "XOF", "title": "Commande #7",
                "require_billing_address": false,
                "customer_name": "Fatou Koné", "customer_email": EMAIL,
                "customer_phone": PHONE_TYPED
            }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json["customer_phone"], PHONE_E164);
    seen.push(Seen::new("POST", "/checkout-sessions", r.status));
    let session = r.json["id"].as_str().expect("session id").to_string();

    let uri = format!("/checkout-sessions/{session}?customer_email={EMAIL}&phone=%2B2250708091044");
    let r = app.get(&uri).await;
    seen.push(Seen::new("GET", &uri, r.status));

    let uri = format!("/api/checkout/sessions/{session}/pay");
    let body = json!({
        "customer": {"name": "Fatou Koné", "email": EMAIL, "phone": PHONE_TYPED, "phone_country": "CI"},
        "provider": "WAVE"
    });
    let r = app.pay("sessions", &session, "attempt-1", body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    seen.push(Seen::new("POST", &uri, r.status));
    let payment = r.json["id"].as_str().expect("payment id").to_string();

    for (method, uri) in [
        ("GET", format!("/sandbox/wave/{payment}")),
        ("POST", format!("/sandbox/wave/{payment}/approve")),
        ("GET", format!("/api/checkout/payments/{payment}")),
        (
            "GET",
            format!("/checkout/{session}?payment={payment}&email={EMAIL}"),
        ),
    ] {
        let r = app.public(method, &uri, None).await;
        seen.push(Seen::new(method, &uri, r.status));
    }

    // A wrong key, and a refused body full of the customer's details.
    let r = app
        .send("GET", "/payment-links", &[("X-API-Key", WRONG_KEY)], None)
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    seen.push(Seen::new("GET", "/payment-links", r.status));
    let r = app
        .post(
            "/checkout-sessions",
            json!({"amount": "soon", "customer_email": EMAIL, "customer_phone": PHONE_TYPED}),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    seen.push(Seen::new("POST", "/checkout-sessions", r.status));
    seen
}

/// Runs the checkout with the sandbox's subscriber at `filter`; returns the log and what the
/// requests answered.
async fn logged(app: &TestApp, filter: Option<&str>) -> (String, Vec<Seen>) {
    let log = Log::default();
    let writer = log.clone();
    let subscriber = lomi_sandbox::logging::subscriber(filter, move || writer.clone(), false)
        .expect("a valid filter");
    let seen = {
        let _guard = tracing::subscriber::set_default(subscriber);
        checkout(app).await
    };
    (log.text(), seen)
}

fn assert_nothing_private(log: &str, key: &str) {
    for secret in [
        key,
        WRONG_KEY,
        "lomi_sk_",
        EMAIL,
        "fatou",
        "Koné",
        PHONE_TYPED,
        PHONE_E164,
        "2250708091044",
        "0708091044",
    ] {
        assert!(!log.contains(secret), "the log shows {secret:?}:\n{log}");
    }
}

fn line_of<'a>(log: &'a str, seen: &Seen) -> Vec<&'a str> {
    let request = format!("method={} path={}}}", seen.method, seen.path);
    let status = format!("status={}", seen.status.as_u16());
    log.lines()
        .filter(|line| {
            line.contains(&request) && line.contains(&status) && line.contains("latency=")
        })
        .collect()
}

#[tokio::test]
async fn one_line_per_request_and_nothing_private() {
    let app = app();

    // The default filter: exactly one line per request.
    let (log, seen) = logged(&app, None).await;
    assert_nothing_private(&log, &app.key);
    assert_eq!(log.lines().count(), seen.len(), "{log}");
    for request in &seen {
        let lines = line_of(&log, request);
        // The session's creation and its refusal share method and path, not status.
        assert_eq!(
            lines.len(),
            1,
            "{} {}:\n{log}",
            request.method,
            request.path
        );
        assert!(lines[0].contains(" INFO "), "{}", lines[0]);
    }

    // Everything at every level (RUST_LOG=trace) still shows nothing private.
    let (log, seen) = logged(&app, Some("trace")).await;
    assert_nothing_private(&log, &app.key);
    for request in &seen {
        assert_eq!(line_of(&log, request).len(), 1, "{log}");
    }
}

#[test]
fn a_bad_filter_is_refused_with_its_reason() {
    let error = lomi_sandbox::logging::subscriber(Some("lomi_sandbox=loud"), io::sink, false)
        .err()
        .expect("refused");
    assert!(error.starts_with("RUST_LOG is not a log filter"), "{error}");
    assert!(lomi_sandbox::logging::subscriber(Some("  "), io::sink, false).is_ok());
}
