//! Webhooks, as lomi. sends them: the merchant registers endpoints with the events they want;
//! each payment outcome becomes an event (`PAYMENT_SUCCEEDED`, `PAYMENT_FAILED`) whose body
//! `{id, event, timestamp, data, lomi_environment}` carries the transaction; a delivery per
//! endpoint waits in a durable outbox, written in the same transaction as the outcome, until
//! [`sender`] posts it, signed ([`signing`]), retrying with backoff and logging every attempt.

pub mod destination;
pub mod sender;
pub mod signing;

pub use crate::config::{WebhookHosts, WebhookSettings, DEFAULT_RETRY_UNIT_MS, DEFAULT_TIMEOUT_MS};
use crate::domain::views;
use crate::error::{Error, Result};
use crate::ids;
use crate::storage::{
    Db, DeliveryRow, DeliveryStatus, LineItem, TransactionRow, TransactionStatus, WebhookRow,
};
use checkout_core::calendar::to_rfc3339;
use checkout_core::payment::FailureReason;
use checkout_core::wire::Provider;
use checkout_core::Currency;
use serde::Serialize;

/// Every event name lomi.'s `webhook_event` enum has, which endpoints may subscribe to.
pub const EVENTS: [&str; 12] = [
    "PAYMENT_CREATED",
    PAYMENT_SUCCEEDED,
    PAYMENT_FAILED,
    "PAYMENT_CANCELED",
    "REFUND_CREATED",
    "REFUND_COMPLETED",
    "REFUND_FAILED",
    "SUBSCRIPTION_CREATED",
    "SUBSCRIPTION_RENEWED",
    "SUBSCRIPTION_CANCELED",
    "CHECKOUT_COMPLETED",
    "PROVIDER_STATUS_CHANGED",
];

/// A payment completed; `data` is its transaction.
pub const PAYMENT_SUCCEEDED: &str = "PAYMENT_SUCCEEDED";
/// A payment failed; `data` is its transaction, with `failure_reason`.
pub const PAYMENT_FAILED: &str = "PAYMENT_FAILED";
/// The events the sandbox sends.
pub const SENT: [&str; 2] = [PAYMENT_SUCCEEDED, PAYMENT_FAILED];

/// Attempts per delivery, the first included.
pub const MAX_ATTEMPTS: u32 = 6;
/// The `User-Agent` of every delivery, as lomi.'s.
pub const USER_AGENT: &str = "Lomi-Webhook/1.0";

/// A new signing secret.
pub fn new_secret() -> String {
    ids::prefixed("whsec_")
}

/// The body every delivery of an event sends, keys in lomi.'s order.
#[derive(Serialize)]
struct Payload<'a, T: Serialize> {
    id: &'a str,
    event: &'a str,
    timestamp: String,
    data: T,
    lomi_environment: &'static str,
}

fn body<T: Serialize>(event_id: &str, event: &str, now: i64, data: T) -> Result<String> {
    let payload = Payload {
        id: event_id,
        event,
        timestamp: to_rfc3339(now),
        data,
        lomi_environment: "test",
    };
    serde_json::to_string(&payload).map_err(|e| Error::internal(format!("webhook body: {e}")))
}

/// The organization the transactions in events belong to (the sandbox's one merchant's).
fn organization_id(db: &Db) -> Result<String> {
    Ok(db
        .merchant()?
        .map(|m| m.organization_id)
        .unwrap_or_default())
}

/// Queues `event` with `data` for each of `endpoints`; nothing when there are none.
fn queue<T: Serialize>(
    db: &Db,
    merchant_id: &str,
    event: &str,
    data: T,
    endpoints: &[WebhookRow],
    now: i64,
) -> Result<Option<String>> {
    if endpoints.is_empty() {
        return Ok(None);
    }
    let event_id = ids::uuid();
    let text = body(&event_id, event, now, data)?;
    let deliveries: Vec<(String, String)> = endpoints
        .iter()
        .map(|w| (ids::uuid(), w.id.clone()))
        .collect();
    db.queue_event(
        merchant_id,
        (&event_id, event),
        &text,
        &deliveries,
        now,
        now.saturating_mul(1_000),
    )?;
    Ok(Some(event_id))
}

/// A payment settled: `PAYMENT_SUCCEEDED` or `PAYMENT_FAILED` with its transaction, to every
/// active endpoint subscribed. Run in the settling write's transaction, so the event exists
/// exactly when the outcome does.
pub fn payment_settled(db: &Db, t: &TransactionRow, now: i64) -> Result<()> {
    let event = match t.status {
        TransactionStatus::Completed => PAYMENT_SUCCEEDED,
        TransactionStatus::Failed => PAYMENT_FAILED,
    };
    let endpoints = db.webhooks_for(&t.merchant_id, event)?;
    if endpoints.is_empty() {
        return Ok(());
    }
    let data = views::transaction(&organization_id(db)?, t);
    queue(db, &t.merchant_id, event, data, &endpoints, now)?;
    Ok(())
}

/// A test event for one endpoint (`PAYMENT_SUCCEEDED` unless `event` says otherwise): a
/// made-up transaction whose metadata says `"lomi_test_event": true`, delivered, signed and
/// logged like any other, even to an inactive endpoint or one not subscribed to it.
pub fn send_test_event(db: &Db, w: &WebhookRow, event: &str, now: i64) -> Result<String> {
    let failed = event == PAYMENT_FAILED;
    let sample = TransactionRow {
        id: ids::transaction(),
        merchant_id: w.merchant_id.clone(),
        payment_id: String::new(),
        session_id: ids::session(),
        payment_link_id: None,
        product_id: None,
        price_id: None,
        quantity: 1,
        customer_id: None,
        status: if failed {
            TransactionStatus::Failed
        } else {
            TransactionStatus::Completed
        },
        failure: failed.then_some(FailureReason::InsufficientFunds),
        provider: Some(Provider::Wave),
        currency: Currency::Xof,
        gross_amount: 15_000,
        discount_amount: 0,
        fee_amount: if failed { 0 } else { 150 },
        net_amount: if failed { 15_000 } else { 14_850 },
        coupon_code: None,
        description: "Test event".to_string(),
        line_items: vec![LineItem {
            price_id: None,
            product_id: None,
            name: "Test event".to_string(),
            unit_amount: 15_000,
            quantity: 1,
            metadata: None,
        }],
        metadata: Some(r#"{"lomi_test_event":true}"#.to_string()),
        created_at: now,
        updated_at: now,
    };
    let data = views::transaction(&organization_id(db)?, &sample);
    queue(
        db,
        &w.merchant_id,
        event,
        data,
        std::slice::from_ref(w),
        now,
    )?
    .ok_or_else(|| Error::internal("test event not queued"))
}

/// Sends a logged delivery again now (same event, same id, same body): for an endpoint that
/// was down, or a merchant replaying one. Refused when its endpoint was deleted.
pub fn retry(
    db: &Db,
    merchant_id: &str,
    log_id: &str,
    now: i64,
    now_ms: i64,
) -> Result<DeliveryRow> {
    let log = db
        .delivery_log(merchant_id, log_id)?
        .ok_or_else(|| Error::not_found("Webhook delivery log not found"))?;
    let delivery = db
        .delivery(merchant_id, &log.delivery_id)?
        .ok_or_else(|| Error::not_found("Webhook delivery log not found"))?;
    if delivery.status == DeliveryStatus::Canceled
        || db.webhook(merchant_id, &log.webhook_id)?.is_none()
    {
        return Err(Error::conflict(
            "This delivery's webhook endpoint was deleted: there is nowhere to send it",
        ));
    }
    db.requeue_delivery(&delivery.id, now, now_ms)?;
    Ok(db.delivery(merchant_id, &delivery.id)?.unwrap_or(delivery))
}
