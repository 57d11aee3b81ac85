//! The sandbox's SQLite storage: the [`Db`] handle, the schema as `.sql` migrations, and one
//! module per resource with its rows and its queries on [`Db`]. Money is integer minor units
//! and time is unix seconds, exactly as checkout-core counts them; an enum is stored as its
//! serde name ([`crate::names`]). The layers above convert: nothing here knows of HTTP
//! requests or of the checkout rules.
//!
//! - `merchants`: the merchant, its providers, its API key and the origins that may embed
//!   its checkout
//! - `products`: products and their prices
//! - `coupons`: coupons and their use counts
//! - `links`: payment links and the list's filters
//! - `sessions`: checkout sessions and the order a payment records on one
//! - `payments`: payment attempts, their stages and their settlement
//! - `transactions`: each settled payment as the merchant reads it
//! - `customers`: who paid, one per email or phone
//! - `idempotency`: the first answer to a merchant create's Idempotency-Key
//! - `webhooks`: endpoints, events, the outbox of deliveries and their log
//! - `shop`: the demo shop's own orders and the webhook events it received
//! - `demo_keys`: finding the demo's rows again
//! - `columns`: how enums, lists and counts sit in columns

mod columns;
mod coupons;
mod customers;
mod demo_keys;
mod idempotency;
mod links;
mod merchants;
mod payments;
mod products;
mod sessions;
mod shop;
mod transactions;
#[cfg(test)]
mod upgrade_tests;
mod webhooks;

pub use coupons::CouponRow;
pub use customers::{Contact, CustomerRow};
pub use demo_keys::DemoTable;
pub use idempotency::{under_key, KeyClaim, StoredAnswer, KEY_LIFETIME};
pub use links::{LinkFilter, LinkRow, LinkType};
pub use merchants::Merchant;
pub use payments::{PaymentRow, Settlement, Stage};
pub use products::{PriceRow, ProductRow};
pub use sessions::{LineItem, SessionFilter, SessionOrder, SessionRow, SessionStatus};
pub use shop::{ShopEventRow, ShopOrderRow};
pub use transactions::{CouponTotals, TransactionFilter, TransactionRow, TransactionStatus};
pub use webhooks::{
    DeliveryLogFilter, DeliveryLogRow, DeliveryRow, DeliveryStatus, DueDelivery, WebhookRow,
};

use anyhow::Context as _;
use rusqlite::types::Value as Sql;
use rusqlite::{Connection, Row, Transaction, TransactionBehavior};
use rusqlite_migration::{HookResult, Migrations, M};
use std::path::Path;

pub type DbResult<T> = rusqlite::Result<T>;

/// The schema's history, oldest first; `PRAGMA user_version` counts the migrations a
/// database has had. A change to the schema is a new file here, never an edit of one already
/// released.
fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up_with_hook(
            include_str!("migrations/0001_schema.sql"),
            add_missing_columns,
        ),
        M::up(include_str!("migrations/0002_lomi_api.sql")),
        M::up(include_str!("migrations/0003_webhooks.sql")),
        M::up(include_str!("migrations/0004_demo_shop.sql")),
        M::up(include_str!("migrations/0005_embed_origins.sql")),
        M::up(include_str!("migrations/0006_webhook_attempts.sql")),
    ])
}

/// Columns that tables gained before the schema had migrations. A `data/sandbox.db` written
/// back then has `user_version` 0 and may lack them: the first migration's
/// `CREATE TABLE IF NOT EXISTS` leaves its tables as they are, so that migration's hook adds
/// the missing ones. Each is nullable, so old rows read as "not recorded". Columns added
/// later come with migrations of their own.
const ADDED_COLUMNS: &[(&str, &str, &str)] = &[
    ("checkout_sessions", "billing_country", "TEXT"),
    ("checkout_sessions", "billing_city", "TEXT"),
    ("checkout_sessions", "billing_line1", "TEXT"),
    ("checkout_sessions", "billing_postal_code", "TEXT"),
];

/// Adds the [`ADDED_COLUMNS`] a table lacks. A fresh database has them all from the first
/// migration's `CREATE TABLE`, where they are the tables' last columns in this order, so an
/// old file ends up with the same columns in the same places.
fn add_missing_columns(tx: &Transaction) -> HookResult {
    for (table, column, kind) in ADDED_COLUMNS {
        let present: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2)",
            [table, column],
            |row| row.get(0),
        )?;
        if !present {
            tx.execute_batch(&format!("ALTER TABLE {table} ADD COLUMN {column} {kind}"))?;
        }
    }
    Ok(())
}

/// Which rows of a list to read: `limit` rows after skipping `offset`, newest first unless
/// `oldest_first`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageRequest {
    pub limit: u32,
    pub offset: u32,
    pub oldest_first: bool,
}

impl PageRequest {
    fn order_sql(self) -> &'static str {
        if self.oldest_first {
            "ORDER BY created_at ASC, rowid ASC"
        } else {
            "ORDER BY created_at DESC, rowid DESC"
        }
    }
}

/// One connection to the sandbox's database. The resource modules add its queries.
pub struct Db {
    conn: Connection,
}

impl Db {
    /// Opens (creating if needed) the database at `path`, and brings its schema up to date;
    /// `:memory:` keeps it in memory.
    pub fn open(path: &str) -> anyhow::Result<Db> {
        let mut conn = if path == ":memory:" {
            Connection::open_in_memory()?
        } else {
            if let Some(dir) = Path::new(path)
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
            {
                std::fs::create_dir_all(dir)?;
            }
            Connection::open(path)?
        };
        conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;")?;
        if path != ":memory:" {
            // WAL lets `sqlite3 data/sandbox.db` read while the server writes.
            conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))?;
        }
        // Migrations take the write lock before they read, so two servers opening one new
        // file wait for each other instead of failing on a stale read. The queries' own
        // transactions stay deferred.
        conn.set_transaction_behavior(TransactionBehavior::Immediate);
        let migrated = migrations().to_latest(&mut conn);
        conn.set_transaction_behavior(TransactionBehavior::Deferred);
        migrated.context("migrating the database schema")?;
        Ok(Db { conn })
    }

    /// Runs `work` in one `BEGIN IMMEDIATE` transaction: the write lock is taken before the
    /// first read, so a check and the insert it allows cannot interleave with another
    /// connection's. Committed when `work` succeeds, rolled back otherwise.
    pub fn immediate<T, E: From<rusqlite::Error>>(
        &self,
        work: impl FnOnce(&Db) -> Result<T, E>,
    ) -> Result<T, E> {
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        // Dropped on every way out; after a successful COMMIT it has nothing left to undo.
        let _open = OpenTransaction(&self.conn);
        let value = work(self)?;
        self.conn.execute_batch("COMMIT")?;
        Ok(value)
    }

    /// One page of a merchant's rows of `table` matching `filter`, in the page's order; `total`
    /// counts every match, not just the page.
    fn list<T>(
        &self,
        table: &str,
        filter: &Filter,
        page: PageRequest,
        map: impl Fn(&Row<'_>) -> DbResult<T>,
    ) -> DbResult<(Vec<T>, u64)> {
        let where_sql = filter.clauses.join(" AND ");
        let total: i64 = self.conn.query_row(
            &format!("SELECT COUNT(*) FROM {table} WHERE {where_sql}"),
            rusqlite::params_from_iter(filter.values.iter()),
            |row| row.get(0),
        )?;
        let mut values = filter.values.clone();
        values.push(Sql::Integer(i64::from(page.limit)));
        values.push(Sql::Integer(i64::from(page.offset)));
        let mut stmt = self.conn.prepare(&format!(
            "SELECT * FROM {table} WHERE {where_sql} {} LIMIT ? OFFSET ?",
            page.order_sql()
        ))?;
        let rows = stmt.query_map(rusqlite::params_from_iter(values.iter()), map)?;
        Ok((rows.collect::<DbResult<Vec<T>>>()?, total.max(0) as u64))
    }
}

/// Rolls back a transaction that did not reach its commit (an error, or a panic unwinding).
struct OpenTransaction<'a>(&'a Connection);

impl Drop for OpenTransaction<'_> {
    fn drop(&mut self) {
        if !self.0.is_autocommit() {
            let _ = self.0.execute_batch("ROLLBACK");
        }
    }
}

/// A WHERE clause built from fixed SQL fragments and bound values, never from input text.
struct Filter {
    clauses: Vec<&'static str>,
    values: Vec<Sql>,
}

impl Filter {
    fn new(merchant_id: &str) -> Self {
        Filter {
            clauses: vec!["merchant_id = ?"],
            values: vec![Sql::Text(merchant_id.to_string())],
        }
    }

    fn clause(&mut self, sql: &'static str, value: Sql) {
        self.clauses.push(sql);
        if sql.contains('?') {
            self.values.push(value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_migrations_apply_to_an_empty_database() {
        migrations().validate().unwrap();
    }
}
