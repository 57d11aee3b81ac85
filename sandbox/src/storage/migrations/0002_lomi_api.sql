-- lomi.'s real API: customers, transactions, carts, idempotent creates, prices as their own
-- resource. Money is integer minor units, time is unix seconds, a list is JSON text.

-- The people who paid, one per merchant and email or phone: a second payment with the same
-- email or the same phone finds the same customer.
CREATE TABLE customers (
    id TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES merchants(id),
    name TEXT,
    email TEXT,
    phone TEXT,
    country TEXT,
    city TEXT,
    address TEXT,
    postal_code TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX customers_by_email ON customers(merchant_id, email);
CREATE INDEX customers_by_phone ON customers(merchant_id, phone);
CREATE INDEX customers_by_created ON customers(merchant_id, created_at);

-- Every payment's outcome, succeeded (`completed`) or failed, as the merchant reads it.
-- Written once, when the payment settles.
CREATE TABLE transactions (
    id TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES merchants(id),
    payment_id TEXT NOT NULL UNIQUE REFERENCES payments(id),
    session_id TEXT NOT NULL REFERENCES checkout_sessions(id),
    payment_link_id TEXT,
    product_id TEXT,
    price_id TEXT,
    quantity INTEGER NOT NULL,
    customer_id TEXT REFERENCES customers(id),
    status TEXT NOT NULL,
    failure TEXT,
    provider TEXT,
    currency TEXT NOT NULL,
    gross_amount INTEGER NOT NULL,
    discount_amount INTEGER NOT NULL,
    fee_amount INTEGER NOT NULL,
    net_amount INTEGER NOT NULL,
    coupon_code TEXT,
    description TEXT NOT NULL,
    line_items TEXT NOT NULL,
    metadata TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX transactions_by_created ON transactions(merchant_id, created_at);
CREATE INDEX transactions_by_customer ON transactions(customer_id, created_at);

-- Wrong one-time codes typed for an Orange Money payment: the third stops it.
ALTER TABLE payments ADD COLUMN otp_attempts INTEGER NOT NULL DEFAULT 0;

-- What a payment was charged for, from its quote: the discount the customer saw.
ALTER TABLE payments ADD COLUMN subtotal INTEGER;
ALTER TABLE payments ADD COLUMN discount INTEGER;

-- A multi-product cart: the session's lines as JSON, each {price_id, product_id, name,
-- unit_amount, quantity, metadata}; NULL for a single-product or amount session.
ALTER TABLE checkout_sessions ADD COLUMN line_items TEXT;

-- Prices created on their own (`POST /prices`) can be switched off and carry metadata.
ALTER TABLE prices ADD COLUMN is_active INTEGER NOT NULL DEFAULT 1;
ALTER TABLE prices ADD COLUMN metadata TEXT;
ALTER TABLE prices ADD COLUMN updated_at INTEGER;

-- A merchant's create replayed with its Idempotency-Key answers the first response again.
-- Keys live 24 hours.
CREATE TABLE idempotency_keys (
    merchant_id TEXT NOT NULL REFERENCES merchants(id),
    idempotency_key TEXT NOT NULL,
    route TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status INTEGER NOT NULL,
    body TEXT NOT NULL,
    object_id TEXT,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (merchant_id, idempotency_key)
);
