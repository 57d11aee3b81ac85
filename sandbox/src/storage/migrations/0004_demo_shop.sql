-- The demo shop (/sandbox/shop): a small merchant site inside the sandbox, with its own
-- orders and the webhook events it received, kept apart from the checkout's tables as a
-- merchant's own database would be.

-- The shop's registration with the merchant API: its webhook endpoint and signing secret.
CREATE TABLE shop_settings (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    webhook_id TEXT NOT NULL,
    secret TEXT NOT NULL
);

CREATE TABLE shop_orders (
    id TEXT PRIMARY KEY,
    item TEXT NOT NULL,
    title TEXT NOT NULL,
    amount INTEGER NOT NULL,
    currency TEXT NOT NULL,
    status TEXT NOT NULL,
    checkout_session_id TEXT,
    checkout_url TEXT,
    transaction_id TEXT,
    paid_at INTEGER,
    created_at INTEGER NOT NULL
);
CREATE INDEX shop_orders_by_session ON shop_orders(checkout_session_id);

-- Every webhook delivery the shop received, signed right or not.
CREATE TABLE shop_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id TEXT,
    event_id TEXT,
    event TEXT,
    signature_valid INTEGER NOT NULL,
    duplicate INTEGER NOT NULL,
    received_at INTEGER NOT NULL
);
CREATE INDEX shop_events_by_order ON shop_events(order_id);
