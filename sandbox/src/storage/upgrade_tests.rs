//! Opening a database an older sandbox wrote: the tables exist already, `user_version` is 0,
//! and the first release's `checkout_sessions` lacks the billing columns.

use super::{Db, LinkType, SessionOrder, SessionStatus, Settlement, Stage};
use checkout_core::calendar::BillingInterval;
use checkout_core::coupon::{CustomerType, DiscountRule};
use checkout_core::customer::BillingAddress;
use checkout_core::payment::{FailureReason, PaymentStatus};
use checkout_core::pricing::FirstPaymentType;
use checkout_core::wire::{CheckoutKind, Provider};
use checkout_core::Currency;
use rusqlite::Connection;
use std::path::PathBuf;

/// The schema as the first sandbox created it, before migrations and billing addresses.
const FIRST_RELEASE_SCHEMA: &str = "
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
        created_at INTEGER NOT NULL
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
    CREATE UNIQUE INDEX IF NOT EXISTS payments_idempotency
        ON payments(idempotency_scope, idempotency_key);
    CREATE UNIQUE INDEX IF NOT EXISTS payments_one_pending_per_session
        ON payments(session_id) WHERE status = 'pending';
";

/// One row in each table, every enum in the spelling the old sandbox wrote.
const OLD_ROWS: &str = "
    INSERT INTO merchants VALUES ('m_old', 'org_old', 'Boutique Awa', 'CI', NULL,
        '[\"WAVE\",\"MTN\"]', 'lomi_sk_test_old', 100);
    INSERT INTO products VALUES ('prod_old', 'm_old', 'Abonnement', NULL, NULL, 'recurring', 1,
        'non_initial', 1, 7, NULL, 'demo:product', 100, 110);
    INSERT INTO prices VALUES ('price_old', 'prod_old', 0, 5000, 'XOF', 'pay_what_you_want',
        1000, NULL, 'month', 1, 100);
    INSERT INTO coupons VALUES ('cpn_old', 'm_old', 'BIENVENUE', NULL, 'percentage', 1000, NULL,
        NULL, NULL, NULL, 1, 10, 2, NULL, 0, '[\"prod_old\"]', 'returning', NULL, 100, 100);
    INSERT INTO payment_links VALUES ('link_old', 'm_old', 'plan', 'Abonnement', NULL, NULL,
        NULL, 'XOF', NULL, 'price_old', 'prod_old', '[\"WAVE\"]', 0, 1, 0, 1, NULL, NULL, NULL,
        NULL, NULL, 100, 100);
    INSERT INTO checkout_sessions (id, merchant_id, status, unit_amount, quantity, currency,
        title, customer_email, customer_name, customer_phone, product_id, price_id,
        payment_link_id, allow_quantity, allow_coupon_code, require_billing_address,
        coupon_code, expires_at, created_at)
    VALUES ('cs_old', 'm_old', 'expired', 5000, 2, 'XOF', 'Ancienne', 'awa@example.com', 'Awa',
        '+2250700000011', 'prod_old', 'price_old', 'link_old', 1, 1, 0, 'BIENVENUE', 1000, 100);
    INSERT INTO payments VALUES ('pay_old', 'm_old', 'cs_old', 'plan', 'link_old',
        'link:link_old', 'k1', '{}', 'pending', 'MTN', 10000, 'XOF', '+2250700000011',
        'BIENVENUE', 'awaiting_operator', NULL, NULL, NULL, NULL, NULL, 2000, 'operator_timeout',
        100, 100);
";

/// A directory of its own under the system's temp dir, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "lomi-sandbox-{name}-{}-{}",
            std::process::id(),
            crate::ids::prefixed("")
        ));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn file(&self, name: &str) -> String {
        self.0.join(name).to_string_lossy().into_owned()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn user_version(db: &Db) -> i64 {
    db.conn
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .unwrap()
}

/// Every table's columns (name, type, not null, default, key) and every index.
fn schema(db: &Db) -> Vec<String> {
    let mut stmt = db
        .conn
        .prepare(
            "SELECT m.name || '.' || c.name || ' ' || c.type || ' ' || c.\"notnull\" || ' '
                || ifnull(c.dflt_value, '-') || ' ' || c.pk
             FROM sqlite_master m JOIN pragma_table_info(m.name) c
             WHERE m.type = 'table' ORDER BY m.name, c.cid",
        )
        .unwrap();
    let mut out: Vec<String> = stmt
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut stmt = db
        .conn
        .prepare("SELECT name || ': ' || ifnull(sql, '-') FROM sqlite_master WHERE type = 'index' ORDER BY name")
        .unwrap();
    // Index SQL as SQLite keeps it, whitespace aside.
    out.extend(
        stmt.query_map([], |row| row.get::<_, String>(0))
            .unwrap()
            .map(|sql| {
                sql.unwrap()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            }),
    );
    out
}

/// Writes a database the way an older sandbox left it: `ddl`, the rows, `user_version` 0.
fn old_file(dir: &TempDir, ddl: &str) -> String {
    let path = dir.file("sandbox.db");
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch(ddl).unwrap();
    conn.execute_batch(OLD_ROWS).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .unwrap();
    assert_eq!(version, 0);
    path
}

fn reads_the_old_rows(db: &Db) {
    let merchant = db.merchant().unwrap().unwrap();
    assert_eq!(merchant.id, "m_old");
    assert_eq!(merchant.providers, [Provider::Wave, Provider::Mtn]);

    let product = db.product("m_old", "prod_old").unwrap().unwrap();
    assert!(product.recurring);
    assert_eq!(product.first_payment_type, FirstPaymentType::NonInitial);
    assert_eq!(product.demo_key.as_deref(), Some("demo:product"));
    let [price] = product.prices.as_slice() else {
        panic!("one price: {:?}", product.prices);
    };
    assert_eq!(price.currency, Currency::Xof);
    assert!(price.pay_what_you_want);
    assert_eq!(price.minimum_amount, Some(1000));
    assert_eq!(price.billing_interval, Some(BillingInterval::Month));

    let coupon = db.coupon("m_old", "cpn_old").unwrap().unwrap();
    assert_eq!(
        coupon.discount,
        DiscountRule::Percentage { basis_points: 1000 }
    );
    assert_eq!(coupon.customer_type, CustomerType::Existing);
    assert_eq!(coupon.product_ids, ["prod_old"]);
    assert_eq!((coupon.max_uses, coupon.current_uses), (Some(10), 2));

    let link = db.link("m_old", "link_old").unwrap().unwrap();
    assert_eq!(link.link_type, LinkType::Plan);
    assert_eq!(link.currency, Currency::Xof);
    assert_eq!(link.allowed_providers, Some(vec![Provider::Wave]));
    assert_eq!(link.catalog_product_id(), Some("prod_old"));

    let session = db.session("m_old", "cs_old").unwrap().unwrap();
    assert_eq!(session.status, SessionStatus::Expired);
    assert_eq!((session.unit_amount, session.quantity), (5000, 2));
    assert_eq!(session.customer_email.as_deref(), Some("awa@example.com"));
    assert!(session.billing.is_none());

    let payment = db.payment("m_old", "pay_old").unwrap().unwrap();
    assert_eq!(payment.started_kind, CheckoutKind::Plan);
    assert_eq!(payment.status, PaymentStatus::Pending);
    assert_eq!(payment.provider, Some(Provider::Mtn));
    assert_eq!(payment.stage, Stage::AwaitingOperator);
    assert_eq!(
        payment.settle_to,
        Some(Settlement::Fail(FailureReason::OperatorTimeout))
    );
    assert_eq!(db.due_payments(2000).unwrap().len(), 1);
}

#[test]
fn a_first_release_database_is_migrated_and_keeps_its_rows() {
    let dir = TempDir::new("upgrade");
    let path = old_file(&dir, FIRST_RELEASE_SCHEMA);

    let db = Db::open(&path).unwrap();
    // Every migration ran: the schema, lomi.'s API (customers, transactions, carts),
    // webhooks, the demo shop, the embed origins.
    assert_eq!(user_version(&db), 6);
    reads_the_old_rows(&db);
    assert_eq!(schema(&db), schema(&Db::open(":memory:").unwrap()));
    // The old merchant lets no origin embed its checkout until it names one.
    assert!(db.merchant().unwrap().unwrap().embed_origins.is_empty());

    // The added columns take an order's billing address.
    let address = BillingAddress {
        country: "FR".to_string(),
        city: "Paris".to_string(),
        line1: "1 rue de Rivoli".to_string(),
        postal_code: Some("75001".to_string()),
    };
    let order = SessionOrder {
        unit_amount: 5000,
        quantity: 1,
        coupon_code: None,
        customer_name: None,
        customer_email: None,
        customer_phone: None,
        billing: Some(address.clone()),
    };
    db.record_order("cs_old", &order).unwrap();
    drop(db);

    // Opened again, it is left as it is.
    let db = Db::open(&path).unwrap();
    // Every migration ran: the schema, lomi.'s API (customers, transactions, carts),
    // webhooks, the demo shop, the embed origins.
    assert_eq!(user_version(&db), 6);
    let session = db.session("m_old", "cs_old").unwrap().unwrap();
    assert_eq!(session.billing, Some(address));
    assert!(db.payment("m_old", "pay_old").unwrap().is_some());
}

#[test]
fn an_unversioned_database_with_the_billing_columns_is_migrated_too() {
    // The sandbox just before migrations: today's tables, `user_version` still 0.
    let dir = TempDir::new("upgrade-billing");
    let path = old_file(&dir, include_str!("migrations/0001_schema.sql"));

    let db = Db::open(&path).unwrap();
    // Every migration ran: the schema, lomi.'s API (customers, transactions, carts),
    // webhooks, the demo shop, the embed origins.
    assert_eq!(user_version(&db), 6);
    reads_the_old_rows(&db);
    assert_eq!(schema(&db), schema(&Db::open(":memory:").unwrap()));
}
