//! Webhooks: the merchant's endpoints, the events owed to them, the outbox of deliveries and
//! the log of every attempt. The outbox is written in the same transaction as what caused
//! the event, and read by the sender (`domain::webhooks::sender`) when a delivery is due.

use super::{Db, DbResult, Filter, PageRequest};
use rusqlite::types::Value as Sql;
use rusqlite::{params, OptionalExtension, Row};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebhookRow {
    pub id: String,
    pub merchant_id: String,
    pub url: String,
    /// Subscribed event names, in the order given.
    pub events: Vec<String>,
    /// The signing secret, `whsec_…`.
    pub secret: String,
    pub is_active: bool,
    pub metadata: Option<String>,
    pub last_triggered_at: Option<i64>,
    pub last_response_status: Option<u16>,
    pub last_response_body: Option<String>,
    pub last_payload: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// Where a delivery stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeliveryStatus {
    /// Waiting for its next attempt.
    Pending,
    /// The endpoint answered 2xx.
    Delivered,
    /// Every scheduled attempt failed.
    Failed,
    /// Its endpoint was deleted before it was delivered.
    Canceled,
}

impl DeliveryStatus {
    pub fn name(self) -> &'static str {
        match self {
            DeliveryStatus::Pending => "pending",
            DeliveryStatus::Delivered => "delivered",
            DeliveryStatus::Failed => "failed",
            DeliveryStatus::Canceled => "canceled",
        }
    }

    fn parse(text: &str) -> DeliveryStatus {
        match text {
            "delivered" => DeliveryStatus::Delivered,
            "failed" => DeliveryStatus::Failed,
            "canceled" => DeliveryStatus::Canceled,
            _ => DeliveryStatus::Pending,
        }
    }
}

/// A delivery that is due, with what sending it needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DueDelivery {
    pub id: String,
    pub merchant_id: String,
    pub event_id: String,
    pub event: String,
    pub body: String,
    pub webhook_id: String,
    pub url: String,
    pub secret: String,
    /// Attempts already made.
    pub attempts: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeliveryRow {
    pub id: String,
    pub event_id: String,
    pub webhook_id: String,
    pub status: DeliveryStatus,
    pub attempts: u32,
    pub next_attempt_at_ms: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeliveryLogRow {
    pub id: String,
    pub merchant_id: String,
    pub delivery_id: String,
    pub webhook_id: String,
    pub event_id: String,
    pub event: String,
    pub url: String,
    pub attempt_number: u32,
    /// The headers sent, as a JSON object.
    pub request_headers: String,
    pub response_status: Option<u16>,
    /// The start of the endpoint's answer, marked when cut.
    pub response_body: Option<String>,
    /// Why no answer counted: a timeout, a refused connection or destination, a redirect not
    /// followed, an attempt interrupted by a stop.
    pub error: Option<String>,
    pub duration_ms: i64,
    pub success: bool,
    pub created_at: i64,
}

/// Which log lines a list shows.
#[derive(Clone, Debug, Default)]
pub struct DeliveryLogFilter {
    pub webhook_id: Option<String>,
    pub event_id: Option<String>,
    pub success: Option<bool>,
}

fn webhook_from(row: &Row<'_>) -> DbResult<WebhookRow> {
    let events: String = row.get("events")?;
    Ok(WebhookRow {
        id: row.get("id")?,
        merchant_id: row.get("merchant_id")?,
        url: row.get("url")?,
        events: events
            .split(',')
            .filter(|e| !e.is_empty())
            .map(str::to_string)
            .collect(),
        secret: row.get("secret")?,
        is_active: row.get("is_active")?,
        metadata: row.get("metadata")?,
        last_triggered_at: row.get("last_triggered_at")?,
        last_response_status: row.get("last_response_status")?,
        last_response_body: row.get("last_response_body")?,
        last_payload: row.get("last_payload")?,
        created_at: row.get("created_at")?,
        updated_at: row.get("updated_at")?,
    })
}

fn log_from(row: &Row<'_>) -> DbResult<DeliveryLogRow> {
    Ok(DeliveryLogRow {
        id: row.get("id")?,
        merchant_id: row.get("merchant_id")?,
        delivery_id: row.get("delivery_id")?,
        webhook_id: row.get("webhook_id")?,
        event_id: row.get("event_id")?,
        event: row.get("event")?,
        url: row.get("url")?,
        attempt_number: row.get("attempt_number")?,
        request_headers: row.get("request_headers")?,
        response_status: row.get("response_status")?,
        response_body: row.get("response_body")?,
        error: row.get("error")?,
        duration_ms: row.get("duration_ms")?,
        success: row.get("success")?,
        created_at: row.get("created_at")?,
    })
}

fn delivery_from(row: &Row<'_>) -> DbResult<DeliveryRow> {
    let status: String = row.get("status")?;
    Ok(DeliveryRow {
        id: row.get("id")?,
        event_id: row.get("event_id")?,
        webhook_id: row.get("webhook_id")?,
        status: DeliveryStatus::parse(&status),
        attempts: row.get("attempts")?,
        next_attempt_at_ms: row.get("next_attempt_at")?,
    })
}

impl Db {
    pub fn insert_webhook(&self, w: &WebhookRow) -> DbResult<()> {
        self.creating(&w.id, |conn| {
            conn.execute(
                "INSERT INTO webhooks (id, merchant_id, url, events, secret, is_active, metadata,
                created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    w.id,
                    w.merchant_id,
                    w.url,
                    w.events.join(","),
                    w.secret,
                    w.is_active,
                    w.metadata,
                    w.created_at,
                    w.updated_at
                ],
            )
        })?;
        Ok(())
    }

    /// Writes back what an update may change: URL, events, active flag, metadata.
    pub fn update_webhook(&self, w: &WebhookRow) -> DbResult<()> {
        self.conn.execute(
            "UPDATE webhooks SET url = ?3, events = ?4, is_active = ?5, metadata = ?6,
                updated_at = ?7
             WHERE merchant_id = ?1 AND id = ?2",
            params![
                w.merchant_id,
                w.id,
                w.url,
                w.events.join(","),
                w.is_active,
                w.metadata,
                w.updated_at
            ],
        )?;
        Ok(())
    }

    pub fn webhook(&self, merchant_id: &str, id: &str) -> DbResult<Option<WebhookRow>> {
        self.conn
            .query_row(
                "SELECT * FROM webhooks WHERE merchant_id = ?1 AND id = ?2",
                params![merchant_id, id],
                webhook_from,
            )
            .optional()
    }

    pub fn list_webhooks(
        &self,
        merchant_id: &str,
        page: PageRequest,
    ) -> DbResult<(Vec<WebhookRow>, u64)> {
        self.list("webhooks", &Filter::new(merchant_id), page, webhook_from)
    }

    /// How many endpoints the merchant has.
    pub fn webhook_count(&self, merchant_id: &str) -> DbResult<u64> {
        self.conn.query_row(
            "SELECT COUNT(*) FROM webhooks WHERE merchant_id = ?1",
            params![merchant_id],
            |row| row.get(0),
        )
    }

    /// Removes an endpoint and cancels what it was still owed; its log stays.
    pub fn delete_webhook(&self, merchant_id: &str, id: &str, now: i64) -> DbResult<bool> {
        self.conn.execute(
            "UPDATE webhook_deliveries SET status = 'canceled', next_attempt_at = NULL,
                updated_at = ?3
             WHERE merchant_id = ?1 AND webhook_id = ?2 AND status = 'pending'",
            params![merchant_id, id, now],
        )?;
        let removed = self.conn.execute(
            "DELETE FROM webhooks WHERE merchant_id = ?1 AND id = ?2",
            params![merchant_id, id],
        )?;
        Ok(removed > 0)
    }

    /// Failed attempts at this endpoint so far (the API's `retry_count`).
    pub fn failed_attempts(&self, merchant_id: &str, webhook_id: &str) -> DbResult<u32> {
        self.conn.query_row(
            "SELECT COUNT(*) FROM webhook_delivery_logs
             WHERE merchant_id = ?1 AND webhook_id = ?2 AND success = 0 AND in_flight = 0",
            params![merchant_id, webhook_id],
            |row| row.get(0),
        )
    }

    /// Records an event with its exact body and queues a delivery to each of `webhook_ids`,
    /// due at once. Call inside the transaction that made the event happen.
    pub fn queue_event(
        &self,
        merchant_id: &str,
        event: (&str, &str),
        body: &str,
        deliveries: &[(String, String)],
        now: i64,
        now_ms: i64,
    ) -> DbResult<()> {
        let (event_id, event_name) = event;
        self.conn.execute(
            "INSERT INTO webhook_events (id, merchant_id, event, body, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![event_id, merchant_id, event_name, body, now],
        )?;
        for (delivery_id, webhook_id) in deliveries {
            self.conn.execute(
                "INSERT INTO webhook_deliveries (id, merchant_id, event_id, webhook_id, status,
                    attempts, next_attempt_at, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, 'pending', 0, ?5, ?6, ?6)",
                params![delivery_id, merchant_id, event_id, webhook_id, now_ms, now],
            )?;
        }
        Ok(())
    }

    /// Deliveries due at `now_ms`, oldest first, at most `limit`; each is leased until
    /// `lease_until_ms` so it is not taken twice while its attempt runs (a crash in between
    /// only delays it to then).
    pub fn take_due_deliveries(
        &self,
        now_ms: i64,
        lease_until_ms: i64,
        limit: u32,
    ) -> DbResult<Vec<DueDelivery>> {
        let mut stmt = self.conn.prepare(
            "SELECT d.id, d.merchant_id, d.event_id, e.event, e.body, d.webhook_id, w.url,
                    w.secret, d.attempts
             FROM webhook_deliveries d
             JOIN webhook_events e ON e.id = d.event_id
             JOIN webhooks w ON w.id = d.webhook_id
             WHERE d.status = 'pending' AND d.next_attempt_at <= ?1
             ORDER BY d.next_attempt_at, d.rowid
             LIMIT ?2",
        )?;
        let due = stmt
            .query_map(params![now_ms, limit], |row| {
                Ok(DueDelivery {
                    id: row.get(0)?,
                    merchant_id: row.get(1)?,
                    event_id: row.get(2)?,
                    event: row.get(3)?,
                    body: row.get(4)?,
                    webhook_id: row.get(5)?,
                    url: row.get(6)?,
                    secret: row.get(7)?,
                    attempts: row.get(8)?,
                })
            })?
            .collect::<DbResult<Vec<_>>>()?;
        for d in &due {
            self.conn.execute(
                "UPDATE webhook_deliveries SET next_attempt_at = ?2 WHERE id = ?1",
                params![d.id, lease_until_ms],
            )?;
        }
        Ok(due)
    }

    /// Logs an attempt about to be sent, in flight, and counts it on its delivery: if the
    /// sandbox stops before [`Db::finish_attempt`], the next start finds it
    /// ([`Db::attempts_in_flight`]) and the next attempt takes the next number.
    pub fn start_attempt(&self, log: &DeliveryLogRow) -> DbResult<()> {
        self.conn.execute(
            "INSERT INTO webhook_delivery_logs (id, merchant_id, delivery_id, webhook_id,
                event_id, event, url, attempt_number, request_headers, response_status,
                response_body, error, duration_ms, success, created_at, in_flight)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, NULL, NULL, NULL, 0, 0, ?10, 1)",
            params![
                log.id,
                log.merchant_id,
                log.delivery_id,
                log.webhook_id,
                log.event_id,
                log.event,
                log.url,
                log.attempt_number,
                log.request_headers,
                log.created_at
            ],
        )?;
        self.conn.execute(
            "UPDATE webhook_deliveries SET attempts = MAX(attempts, ?2), updated_at = ?3
             WHERE id = ?1",
            params![log.delivery_id, log.attempt_number, log.created_at],
        )?;
        Ok(())
    }

    /// Writes how an attempt went over its line in flight, and where its delivery goes next:
    /// `next_attempt_at_ms` for another try, or the final status.
    pub fn finish_attempt(
        &self,
        log: &DeliveryLogRow,
        status: DeliveryStatus,
        next_attempt_at_ms: Option<i64>,
        payload: &str,
    ) -> DbResult<()> {
        self.conn.execute(
            "UPDATE webhook_delivery_logs SET response_status = ?2, response_body = ?3,
                error = ?4, duration_ms = ?5, success = ?6, in_flight = 0
             WHERE id = ?1",
            params![
                log.id,
                log.response_status,
                log.response_body,
                log.error,
                log.duration_ms,
                log.success
            ],
        )?;
        // A delivery canceled while its attempt ran stays canceled.
        self.conn.execute(
            "UPDATE webhook_deliveries SET status = ?2, attempts = ?3, next_attempt_at = ?4,
                updated_at = ?5
             WHERE id = ?1 AND status = 'pending'",
            params![
                log.delivery_id,
                status.name(),
                log.attempt_number,
                next_attempt_at_ms,
                log.created_at
            ],
        )?;
        self.conn.execute(
            "UPDATE webhooks SET last_triggered_at = ?2, last_response_status = ?3,
                last_response_body = ?4, last_payload = ?5
             WHERE id = ?1",
            params![
                log.webhook_id,
                log.created_at,
                log.response_status,
                log.response_body.as_deref().or(log.error.as_deref()),
                payload
            ],
        )?;
        Ok(())
    }

    /// Attempts logged as sent whose outcome was never written, oldest first: after a
    /// restart, the ones a stop or a crash cut.
    pub fn attempts_in_flight(&self) -> DbResult<Vec<DeliveryLogRow>> {
        let mut stmt = self.conn.prepare(
            "SELECT * FROM webhook_delivery_logs WHERE in_flight = 1 ORDER BY created_at, rowid",
        )?;
        let rows = stmt.query_map([], log_from)?;
        rows.collect()
    }

    pub fn delivery(&self, merchant_id: &str, id: &str) -> DbResult<Option<DeliveryRow>> {
        self.conn
            .query_row(
                "SELECT * FROM webhook_deliveries WHERE merchant_id = ?1 AND id = ?2",
                params![merchant_id, id],
                delivery_from,
            )
            .optional()
    }

    /// Puts a delivery back in the outbox, due at `now_ms`, whatever it became.
    pub fn requeue_delivery(&self, id: &str, now: i64, now_ms: i64) -> DbResult<()> {
        self.conn.execute(
            "UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = ?2,
                updated_at = ?3
             WHERE id = ?1",
            params![id, now_ms, now],
        )?;
        Ok(())
    }

    /// The earliest time a pending delivery is due, if any: how long the sender may sleep.
    pub fn next_delivery_due(&self) -> DbResult<Option<i64>> {
        self.conn.query_row(
            "SELECT MIN(next_attempt_at) FROM webhook_deliveries WHERE status = 'pending'",
            [],
            |row| row.get(0),
        )
    }

    pub fn delivery_log(&self, merchant_id: &str, id: &str) -> DbResult<Option<DeliveryLogRow>> {
        self.conn
            .query_row(
                "SELECT * FROM webhook_delivery_logs
                 WHERE merchant_id = ?1 AND id = ?2 AND in_flight = 0",
                params![merchant_id, id],
                log_from,
            )
            .optional()
    }

    pub fn list_delivery_logs(
        &self,
        merchant_id: &str,
        f: &DeliveryLogFilter,
        page: PageRequest,
    ) -> DbResult<(Vec<DeliveryLogRow>, u64)> {
        let mut filter = Filter::new(merchant_id);
        filter.clause("in_flight = ?", Sql::Integer(0));
        if let Some(id) = &f.webhook_id {
            filter.clause("webhook_id = ?", Sql::Text(id.clone()));
        }
        if let Some(id) = &f.event_id {
            filter.clause("event_id = ?", Sql::Text(id.clone()));
        }
        if let Some(success) = f.success {
            filter.clause("success = ?", Sql::Integer(i64::from(success)));
        }
        self.list("webhook_delivery_logs", &filter, page, log_from)
    }

    /// The body of an event, as every delivery of it sends it.
    pub fn event_body(&self, merchant_id: &str, event_id: &str) -> DbResult<Option<String>> {
        self.conn
            .query_row(
                "SELECT body FROM webhook_events WHERE merchant_id = ?1 AND id = ?2",
                params![merchant_id, event_id],
                |row| row.get(0),
            )
            .optional()
    }
}

impl Db {
    /// The merchant's active endpoints subscribed to `event`, oldest first.
    pub fn webhooks_for(&self, merchant_id: &str, event: &str) -> DbResult<Vec<WebhookRow>> {
        let mut stmt = self.conn.prepare(
            "SELECT * FROM webhooks WHERE merchant_id = ?1 AND is_active = 1
             ORDER BY created_at, rowid",
        )?;
        let rows = stmt
            .query_map(params![merchant_id], webhook_from)?
            .collect::<DbResult<Vec<_>>>()?;
        Ok(rows
            .into_iter()
            .filter(|w| w.events.iter().any(|e| e == event))
            .collect())
    }
}
