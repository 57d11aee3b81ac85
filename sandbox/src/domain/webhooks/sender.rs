//! The webhook sender: a task that, a few times a second, settles payments whose outcome is
//! due (so a delayed operator answer sends its event even when nobody is looking) and posts
//! every delivery that is due from the outbox.
//!
//! Each attempt POSTs the event's stored body with lomi.'s headers (`Content-Type`,
//! `User-Agent: Lomi-Webhook/1.0`, `X-Lomi-Event`, `X-Lomi-Signature`) and the sandbox's
//! (`X-Lomi-Event-Id`, `X-Lomi-Timestamp`, `X-Lomi-Timestamp-Signature`, `X-Lomi-Attempt`),
//! only to a destination the policy allows ([`super::destination`]), waits at most the
//! configured timeout, never follows a redirect, and counts only a 2xx answer. A failed
//! attempt is retried after the backoff, up to [`MAX_ATTEMPTS`].
//!
//! Every attempt is logged before it is sent, then completed with its status, duration and
//! the start of the answer; one a stop or a crash cut shows as failed, [`INTERRUPTED`], when
//! the sender starts again, and the delivery goes on with the next attempt number.

use super::destination::{unreachable, Guard, Policy};
use super::signing::{signature, timestamp_signature};
use super::{WebhookSettings, MAX_ATTEMPTS, USER_AGENT};
use crate::domain::payments::outcome;
use crate::domain::Ctx;
use crate::ids;
use crate::resolver::Resolver;
use crate::storage::{DeliveryLogRow, DeliveryStatus, DueDelivery};
use std::time::{Duration, Instant};
use tokio::task::JoinSet;

/// How often the outbox is read.
const TICK: Duration = Duration::from_millis(200);
/// The most deliveries in flight at once.
const MAX_IN_FLIGHT: usize = 16;
/// How much of an answer the log keeps.
pub const EXCERPT_BYTES: usize = 256;
/// How much of an answer is read at most, to say how long it was.
const READ_BYTES: usize = 64 * 1024;
/// The error of an attempt cut by a stop or a crash.
pub const INTERRUPTED: &str = "interrupted";

/// Starts the sender on the current runtime; abort the handle to stop it. A delivery whose
/// attempt was cut short is taken again once its lease ends.
pub fn spawn(ctx: Ctx) -> tokio::task::JoinHandle<()> {
    tokio::spawn(run(ctx))
}

/// The client every attempt uses: no redirects, no proxy (a proxy would look names up
/// itself, past the guard), and names resolved through the [`Guard`] only.
fn client(settings: &WebhookSettings, resolver: Resolver) -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_millis(settings.timeout_ms))
        .no_proxy()
        .dns_resolver(Guard::new(Policy::new(settings), resolver))
        .build()
}

async fn run(ctx: Ctx) {
    let settings = ctx.webhook_settings();
    let client = match client(&settings, ctx.webhook_resolver().clone()) {
        Ok(client) => client,
        Err(error) => {
            tracing::error!(%error, "starting the webhook client: no webhook is sent");
            return;
        }
    };
    match close_interrupted(&ctx, &settings) {
        Ok(0) => {}
        Ok(n) => tracing::info!(
            attempts = n,
            "webhook attempts interrupted by the last stop"
        ),
        Err(error) => tracing::error!(%error, "closing interrupted webhook attempts"),
    }
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

/// Where a delivery goes after attempt `number`: delivered, failed for good, or due again
/// after the backoff.
fn next_step(
    ctx: &Ctx,
    settings: &WebhookSettings,
    number: u32,
    success: bool,
) -> (DeliveryStatus, Option<i64>) {
    if success {
        (DeliveryStatus::Delivered, None)
    } else if number >= MAX_ATTEMPTS {
        (DeliveryStatus::Failed, None)
    } else {
        let at = ctx.now_millis().saturating_add(settings.backoff_ms(number));
        (DeliveryStatus::Pending, Some(at))
    }
}

/// Attempts still in flight when the sender starts were cut by the last stop or crash: each
/// becomes a failed attempt, [`INTERRUPTED`] (the endpoint may or may not have had it), and
/// its delivery is due again after the backoff, with the next attempt number.
fn close_interrupted(ctx: &Ctx, settings: &WebhookSettings) -> anyhow::Result<usize> {
    let db = ctx.db();
    let closed = db.immediate(|db| {
        let cut = db.attempts_in_flight()?;
        for mut log in cut.iter().cloned() {
            log.error = Some(INTERRUPTED.to_string());
            log.success = false;
            let (status, next) = next_step(ctx, settings, log.attempt_number, false);
            let body = db
                .event_body(&log.merchant_id, &log.event_id)?
                .unwrap_or_default();
            db.finish_attempt(&log, status, next, &body)?;
        }
        Ok::<usize, rusqlite::Error>(cut.len())
    })?;
    Ok(closed)
}

/// What an attempt came to.
struct Answer {
    status: Option<u16>,
    body: Option<String>,
    error: Option<String>,
}

impl Answer {
    fn failed(error: impl Into<String>) -> Answer {
        Answer {
            status: None,
            body: None,
            error: Some(error.into()),
        }
    }
}

/// What the log keeps of an answer: all of a short one; the first [`EXCERPT_BYTES`] of a
/// longer one (cut at a character), marked with its length.
fn excerpt(head: &[u8], total: usize, complete: bool) -> String {
    if complete && total <= EXCERPT_BYTES {
        return String::from_utf8_lossy(head).into_owned();
    }
    let head = &head[..head.len().min(EXCERPT_BYTES)];
    let whole = match std::str::from_utf8(head) {
        Err(e) if e.error_len().is_none() => e.valid_up_to(),
        _ => head.len(),
    };
    let text = String::from_utf8_lossy(&head[..whole]);
    if complete {
        format!("{text}… (truncated, {total} bytes)")
    } else {
        format!("{text}… (truncated, more than {total} bytes)")
    }
}

/// Reads the start of an answer: the excerpt, and how long it was.
async fn read_excerpt(response: &mut reqwest::Response) -> String {
    let mut head: Vec<u8> = Vec::new();
    let mut total = 0usize;
    let complete = loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                total = total.saturating_add(chunk.len());
                let room = EXCERPT_BYTES.saturating_add(4).saturating_sub(head.len());
                head.extend_from_slice(&chunk[..chunk.len().min(room)]);
                if total > READ_BYTES {
                    break false;
                }
            }
            Ok(None) => break true,
            Err(_) => break false,
        }
    };
    excerpt(&head, total, complete)
}

async fn send(
    client: &reqwest::Client,
    settings: &WebhookSettings,
    d: &DueDelivery,
    headers: &[(&'static str, String)],
) -> Answer {
    let Ok(url) = url::Url::parse(&d.url) else {
        return Answer::failed("The webhook URL is not a valid URL");
    };
    // An IP literal is connected to without a lookup: checked here, before any connection.
    if let Err(refused) = Policy::new(settings).before_connecting(&url) {
        return Answer::failed(refused);
    }
    let mut request = client.post(url.as_str()).body(d.body.clone());
    for (name, value) in headers {
        request = request.header(*name, value);
    }
    match request.send().await {
        Ok(mut response) => {
            let status = response.status();
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
                body: Some(read_excerpt(&mut response).await),
                error,
            }
        }
        Err(e) => Answer::failed(match unreachable(&e) {
            // Refused by the guard, or not found: nothing was connected to.
            Some(why) => why.0.clone(),
            None if e.is_timeout() => format!("No answer within {} ms", settings.timeout_ms),
            None if e.is_connect() => "Could not connect to the webhook URL".to_string(),
            None => "The request failed before an answer".to_string(),
        }),
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
    let sent: serde_json::Map<String, serde_json::Value> = headers
        .iter()
        .map(|(k, v)| (k.to_string(), serde_json::Value::String(v.clone())))
        .collect();
    let mut log = DeliveryLogRow {
        id: ids::uuid(),
        merchant_id: d.merchant_id.clone(),
        delivery_id: d.id.clone(),
        webhook_id: d.webhook_id.clone(),
        event_id: d.event_id.clone(),
        event: d.event.clone(),
        url: d.url.clone(),
        attempt_number: number,
        request_headers: serde_json::Value::Object(sent).to_string(),
        response_status: None,
        response_body: None,
        error: None,
        duration_ms: 0,
        success: false,
        created_at: timestamp,
    };
    // Recorded before it is sent: a crash from here on leaves it "interrupted", not lost.
    if let Err(error) = ctx.db().immediate(|db| db.start_attempt(&log)) {
        tracing::error!(%error, "recording a webhook attempt before sending it");
        return;
    }
    let started = Instant::now();
    let answer = send(&client, &settings, &d, &headers).await;
    log.duration_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
    log.success = answer.error.is_none() && answer.status.is_some_and(|s| (200..300).contains(&s));
    log.response_status = answer.status;
    log.response_body = answer.body;
    log.error = answer.error;
    let (status, next) = next_step(&ctx, &settings, number, log.success);
    tracing::info!(
        webhook = %d.webhook_id,
        event = %d.event,
        event_id = %d.event_id,
        attempt = number,
        status = ?log.response_status,
        success = log.success,
        "webhook delivery"
    );
    let recorded = ctx
        .db()
        .immediate(|db| db.finish_attempt(&log, status, next, &d.body));
    if let Err(error) = recorded {
        tracing::error!(%error, "recording a webhook attempt");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_fourfold() {
        let s = WebhookSettings::default();
        let waits: Vec<i64> = (1..MAX_ATTEMPTS).map(|n| s.backoff_ms(n)).collect();
        assert_eq!(waits, [30_000, 120_000, 480_000, 1_920_000, 7_680_000]);
    }

    #[test]
    fn the_log_keeps_a_short_answer_whole_and_marks_a_long_one_cut() {
        assert_eq!(excerpt(b"ok", 2, true), "ok");
        let long = "a".repeat(300);
        assert_eq!(
            excerpt(long.as_bytes(), 300, true),
            format!("{}… (truncated, 300 bytes)", &long[..256])
        );
        assert_eq!(
            excerpt(long.as_bytes(), 70_000, false),
            format!("{}… (truncated, more than 70000 bytes)", &long[..256])
        );
        // A character across the cut is left out, not mangled.
        let accents = format!("{}é{}", "a".repeat(255), "b".repeat(50));
        assert_eq!(
            excerpt(accents.as_bytes(), accents.len(), true),
            format!("{}… (truncated, 307 bytes)", "a".repeat(255))
        );
    }
}
