//! The webhook sender: a task that, a few times a second, settles payments whose outcome is
//! due (so a delayed operator answer sends its event even when nobody is looking) and posts
//! every delivery that is due from the outbox.
//!
//! Each attempt POSTs the event's stored body with lomi.'s headers (`Content-Type`,
//! `User-Agent: Lomi-Webhook/1.0`, `X-Lomi-Event`, `X-Lomi-Signature`) and the sandbox's
//! (`X-Lomi-Event-Id`, `X-Lomi-Timestamp`, `X-Lomi-Timestamp-Signature`, `X-Lomi-Attempt`),
//! waits at most the configured timeout, never follows a redirect, and counts only a 2xx
//! answer. A failed attempt is retried after the backoff, up to [`MAX_ATTEMPTS`]. Every
//! attempt is logged with its status, duration and the start of the answer.

use super::signing::{signature, timestamp_signature};
use super::{WebhookHosts, WebhookSettings, MAX_ATTEMPTS, USER_AGENT};
use crate::domain::payments::outcome;
use crate::domain::Ctx;
use crate::ids;
use crate::storage::{DeliveryLogRow, DeliveryStatus, DueDelivery};
use std::net::IpAddr;
use std::time::{Duration, Instant};
use tokio::task::JoinSet;

/// How often the outbox is read.
const TICK: Duration = Duration::from_millis(200);
/// The most deliveries in flight at once.
const MAX_IN_FLIGHT: usize = 16;
/// How much of an answer the log keeps.
const EXCERPT_BYTES: usize = 1_024;

/// Starts the sender on the current runtime; abort the handle to stop it. A delivery whose
/// attempt was cut short is taken again once its lease ends.
pub fn spawn(ctx: Ctx) -> tokio::task::JoinHandle<()> {
    tokio::spawn(run(ctx))
}

fn client(settings: &WebhookSettings) -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_millis(settings.timeout_ms))
        .build()
        .unwrap_or_else(|_| reqwest::Client::new())
}

async fn run(ctx: Ctx) {
    let settings = ctx.webhook_settings();
    let client = client(&settings);
    let mut in_flight = JoinSet::new();
    loop {
        while in_flight.try_join_next().is_some() {}
        let room = MAX_IN_FLIGHT.saturating_sub(in_flight.len());
        match due(&ctx, &settings, room) {
            Ok(deliveries) => {
                for d in deliveries {
                    in_flight.spawn(attempt(ctx.clone(), client.clone(), settings, d));
                }
            }
            Err(error) => tracing::error!(%error, "reading the webhook outbox"),
        }
        tokio::time::sleep(TICK).await;
    }
}

/// Settles what is due, then leases the deliveries that are due.
fn due(ctx: &Ctx, settings: &WebhookSettings, room: usize) -> anyhow::Result<Vec<DueDelivery>> {
    let db = ctx.db();
    outcome::settle(&db, ctx).map_err(|e| anyhow::anyhow!(e.api().message.clone()))?;
    if room == 0 {
        return Ok(Vec::new());
    }
    let now_ms = ctx.now_millis();
    // Longer than any attempt, so a delivery is never sent twice at once.
    let lease = i64::try_from(settings.timeout_ms)
        .unwrap_or(i64::MAX / 4)
        .saturating_add(5_000);
    let limit = u32::try_from(room).unwrap_or(u32::MAX);
    Ok(db.take_due_deliveries(now_ms, now_ms.saturating_add(lease), limit)?)
}

/// What an attempt came to.
struct Answer {
    status: Option<u16>,
    body: Option<String>,
    error: Option<String>,
}

/// Whether the URL's host is loopback, read from the URL alone (no name is looked up).
fn is_loopback(url: &str) -> bool {
    let Ok(parsed) = url::Url::parse(url) else {
        return false;
    };
    match parsed.host() {
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

async fn send(
    client: &reqwest::Client,
    settings: &WebhookSettings,
    d: &DueDelivery,
    headers: &[(&'static str, String)],
) -> Answer {
    if settings.hosts == WebhookHosts::Loopback && !is_loopback(&d.url) {
        return Answer {
            status: None,
            body: None,
            error: Some(
                "Not sent: this sandbox delivers to loopback addresses only (--webhook-hosts loopback)"
                    .to_string(),
            ),
        };
    }
    let mut request = client.post(&d.url).body(d.body.clone());
    for (name, value) in headers {
        request = request.header(*name, value);
    }
    match request.send().await {
        Ok(mut response) => {
            let status = response.status();
            let mut bytes = Vec::new();
            while bytes.len() < EXCERPT_BYTES {
                match response.chunk().await {
                    Ok(Some(chunk)) => bytes.extend_from_slice(&chunk),
                    _ => break,
                }
            }
            bytes.truncate(EXCERPT_BYTES);
            let error = status.is_redirection().then(|| {
                let to = response
                    .headers()
                    .get(reqwest::header::LOCATION)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("elsewhere");
                format!("Redirect to {to} not followed: answer 2xx at the webhook URL itself")
            });
            Answer {
                status: Some(status.as_u16()),
                body: Some(String::from_utf8_lossy(&bytes).into_owned()),
                error,
            }
        }
        Err(e) => Answer {
            status: None,
            body: None,
            error: Some(if e.is_timeout() {
                format!("No answer within {} ms", settings.timeout_ms)
            } else if e.is_connect() {
                "Could not connect to the webhook URL".to_string()
            } else {
                "The request failed before an answer".to_string()
            }),
        },
    }
}

async fn attempt(ctx: Ctx, client: reqwest::Client, settings: WebhookSettings, d: DueDelivery) {
    let number = d.attempts.saturating_add(1);
    let timestamp = ctx.now();
    let body = d.body.as_bytes();
    let headers: Vec<(&'static str, String)> = vec![
        ("Content-Type", "application/json".to_string()),
        ("User-Agent", USER_AGENT.to_string()),
        ("X-Lomi-Event", d.event.clone()),
        ("X-Lomi-Event-Id", d.event_id.clone()),
        ("X-Lomi-Signature", signature(&d.secret, body)),
        ("X-Lomi-Timestamp", timestamp.to_string()),
        (
            "X-Lomi-Timestamp-Signature",
            timestamp_signature(&d.secret, timestamp, body),
        ),
        ("X-Lomi-Attempt", number.to_string()),
    ];
    let started = Instant::now();
    let answer = send(&client, &settings, &d, &headers).await;
    let duration_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
    let success = answer.error.is_none() && answer.status.is_some_and(|s| (200..300).contains(&s));
    let (status, next) = if success {
        (DeliveryStatus::Delivered, None)
    } else if number >= MAX_ATTEMPTS {
        (DeliveryStatus::Failed, None)
    } else {
        let at = ctx.now_millis().saturating_add(settings.backoff_ms(number));
        (DeliveryStatus::Pending, Some(at))
    };
    let sent: serde_json::Map<String, serde_json::Value> = headers
        .iter()
        .map(|(k, v)| (k.to_string(), serde_json::Value::String(v.clone())))
        .collect();
    let log = DeliveryLogRow {
        id: ids::uuid(),
        merchant_id: d.merchant_id.clone(),
        delivery_id: d.id.clone(),
        webhook_id: d.webhook_id.clone(),
        event_id: d.event_id.clone(),
        event: d.event.clone(),
        url: d.url.clone(),
        attempt_number: number,
        request_headers: serde_json::Value::Object(sent).to_string(),
        response_status: answer.status,
        response_body: answer.body,
        error: answer.error,
        duration_ms,
        success,
        created_at: ctx.now(),
    };
    tracing::info!(
        webhook = %d.webhook_id,
        event = %d.event,
        event_id = %d.event_id,
        attempt = number,
        status = ?log.response_status,
        success,
        "webhook delivery"
    );
    let recorded = ctx.db().record_attempt(&log, status, next, &d.body);
    if let Err(error) = recorded {
        tracing::error!(%error, "recording a webhook attempt");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_is_read_from_the_url_alone() {
        assert!(is_loopback("http://127.0.0.1:9000/hook"));
        assert!(is_loopback("http://localhost/hook"));
        assert!(is_loopback("https://[::1]:8443/"));
        assert!(is_loopback("http://127.8.9.10/"));
        assert!(!is_loopback("https://shop.example/hook"));
        assert!(!is_loopback("http://10.0.0.1/"));
        assert!(!is_loopback("http://localhost.example/"));
    }

    #[test]
    fn retries_back_off_fourfold() {
        let s = WebhookSettings::default();
        let waits: Vec<i64> = (1..MAX_ATTEMPTS).map(|n| s.backoff_ms(n)).collect();
        assert_eq!(waits, [30_000, 120_000, 480_000, 1_920_000, 7_680_000]);
    }
}
