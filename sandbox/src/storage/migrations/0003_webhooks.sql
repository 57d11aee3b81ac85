-- Webhooks: the merchant's endpoints, the events the sandbox owes them, a durable outbox of
-- deliveries and a log line per attempt. Time is unix seconds, except the outbox's schedule
-- (unix milliseconds, so tests can retry within a second).

-- Where the merchant wants to hear about events, and the secret their deliveries are signed
-- with. `events` is the comma-separated list of subscribed event names.
CREATE TABLE webhooks (
    id TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES merchants(id),
    url TEXT NOT NULL,
    events TEXT NOT NULL,
    secret TEXT NOT NULL,
    is_active INTEGER NOT NULL,
    metadata TEXT,
    last_triggered_at INTEGER,
    last_response_status INTEGER,
    last_response_body TEXT,
    last_payload TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX webhooks_by_created ON webhooks(merchant_id, created_at);

-- Something that happened, with the exact body every delivery of it sends (so each attempt
-- carries the same `id` and the same bytes).
CREATE TABLE webhook_events (
    id TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES merchants(id),
    event TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

-- The outbox: one row per event and endpoint, written in the same transaction as the
-- payment's outcome, so a crash or restart loses no event. `pending` rows are sent when
-- `next_attempt_at` comes; `delivered`, `failed` (attempts exhausted) and `canceled`
-- (endpoint deleted) are final until a manual retry.
CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES merchants(id),
    event_id TEXT NOT NULL REFERENCES webhook_events(id),
    webhook_id TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(status, next_attempt_at);

-- One line per attempt, as the merchant reads it in the delivery log.
CREATE TABLE webhook_delivery_logs (
    id TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES merchants(id),
    delivery_id TEXT NOT NULL REFERENCES webhook_deliveries(id),
    webhook_id TEXT NOT NULL,
    event_id TEXT NOT NULL,
    event TEXT NOT NULL,
    url TEXT NOT NULL,
    attempt_number INTEGER NOT NULL,
    request_headers TEXT NOT NULL,
    response_status INTEGER,
    response_body TEXT,
    error TEXT,
    duration_ms INTEGER NOT NULL,
    success INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX webhook_delivery_logs_by_created ON webhook_delivery_logs(merchant_id, created_at);
