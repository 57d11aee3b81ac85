-- The sandbox's schema as its first migration. Every statement says IF NOT EXISTS: a
-- data/sandbox.db written before migrations existed (user_version 0) already holds these
-- tables, and running this file over it changes nothing. Such a file may lack the billing_*
-- columns of checkout_sessions; the migration's hook (storage::ADDED_COLUMNS) adds them, so
-- an old file and a fresh one end up with the same schema.
--
-- Money is integer minor units, time is unix seconds, an enum is its serde name and a list
-- is JSON text.

CREATE TABLE IF NOT EXISTS merchants (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL,
    name TEXT NOT NULL,
    country TEXT,
    logo_url TEXT,
    providers TEXT NOT NULL,
    api_key TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS products (
    id TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES merchants(id),
    name TEXT NOT NULL,
    description TEXT,
    image_url TEXT,
    product_type TEXT NOT NULL,
    is_active INTEGER NOT NULL,
    first_payment_type TEXT NOT NULL,
    trial_enabled INTEGER NOT NULL,
    trial_period_days INTEGER NOT NULL,
    metadata TEXT,
    demo_key TEXT UNIQUE,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS prices (
    id TEXT PRIMARY KEY,
    product_id TEXT NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    amount INTEGER NOT NULL,
    currency TEXT NOT NULL,
    pricing_model TEXT NOT NULL,
    minimum_amount INTEGER,
    maximum_amount INTEGER,
    billing_interval TEXT,
    is_default INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS prices_by_product ON prices(product_id, position);
CREATE TABLE IF NOT EXISTS coupons (
    id TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES merchants(id),
    code TEXT NOT NULL,
    description TEXT,
    discount_type TEXT NOT NULL,
    basis_points INTEGER,
    fixed_amount INTEGER,
    currency TEXT,
    valid_from INTEGER,
    expires_at INTEGER,
    is_active INTEGER NOT NULL,
    max_uses INTEGER,
    current_uses INTEGER NOT NULL DEFAULT 0,
    max_quantity_per_use INTEGER,
    is_organization_wide INTEGER NOT NULL,
    product_ids TEXT NOT NULL,
    customer_type TEXT NOT NULL,
    demo_key TEXT UNIQUE,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (merchant_id, code)
);
CREATE TABLE IF NOT EXISTS payment_links (
    id TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES merchants(id),
    link_type TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT,
    private_description TEXT,
    amount INTEGER,
    currency TEXT NOT NULL,
    product_id TEXT,
    price_id TEXT,
    plan_id TEXT,
    allowed_providers TEXT,
    allow_quantity INTEGER NOT NULL,
    allow_coupon_code INTEGER NOT NULL,
    require_billing_address INTEGER NOT NULL,
    is_active INTEGER NOT NULL,
    expires_at INTEGER,
    success_url TEXT,
    cancel_url TEXT,
    metadata TEXT,
    demo_key TEXT UNIQUE,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS checkout_sessions (
    id TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES merchants(id),
    status TEXT NOT NULL,
    unit_amount INTEGER NOT NULL,
    quantity INTEGER NOT NULL,
    currency TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT,
    customer_id TEXT,
    customer_email TEXT,
    customer_name TEXT,
    customer_phone TEXT,
    product_id TEXT,
    price_id TEXT,
    subscription_id TEXT,
    payment_link_id TEXT,
    allow_quantity INTEGER NOT NULL,
    allow_coupon_code INTEGER NOT NULL,
    require_billing_address INTEGER NOT NULL,
    success_url TEXT,
    cancel_url TEXT,
    metadata TEXT,
    coupon_code TEXT,
    transaction_id TEXT,
    demo_key TEXT UNIQUE,
    expires_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    billing_country TEXT,
    billing_city TEXT,
    billing_line1 TEXT,
    billing_postal_code TEXT
);
CREATE TABLE IF NOT EXISTS payments (
    id TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES merchants(id),
    session_id TEXT NOT NULL REFERENCES checkout_sessions(id),
    started_kind TEXT NOT NULL,
    started_id TEXT NOT NULL,
    idempotency_scope TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status TEXT NOT NULL,
    provider TEXT,
    amount INTEGER NOT NULL,
    currency TEXT NOT NULL,
    phone TEXT,
    coupon_code TEXT,
    stage TEXT NOT NULL,
    card_last4 TEXT,
    failure TEXT,
    transaction_id TEXT,
    success_url TEXT,
    cancel_url TEXT,
    settle_at_ms INTEGER,
    settle_to TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
-- One payment per page attempt: a repeated key finds the payment it started, even when two
-- requests race (the second insert fails instead of charging twice).
CREATE UNIQUE INDEX IF NOT EXISTS payments_idempotency
    ON payments(idempotency_scope, idempotency_key);
-- At most one payment in flight per session, whatever the keys: a second tab or a second
-- provider cannot start a parallel charge.
CREATE UNIQUE INDEX IF NOT EXISTS payments_one_pending_per_session
    ON payments(session_id) WHERE status = 'pending';
CREATE INDEX IF NOT EXISTS payments_by_session ON payments(session_id, created_at);
CREATE INDEX IF NOT EXISTS payments_due ON payments(status, settle_at_ms);
