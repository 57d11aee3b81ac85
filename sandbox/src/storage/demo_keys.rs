//! Demo keys: the demo's rows each carry a unique key, so seeding again finds them instead of
//! making more.

use super::{Db, DbResult};
use rusqlite::OptionalExtension;

/// Tables a demo row can be looked up in by its demo key.
#[derive(Clone, Copy, Debug)]
pub enum DemoTable {
    Products,
    Coupons,
    PaymentLinks,
    CheckoutSessions,
}

impl DemoTable {
    fn name(self) -> &'static str {
        match self {
            DemoTable::Products => "products",
            DemoTable::Coupons => "coupons",
            DemoTable::PaymentLinks => "payment_links",
            DemoTable::CheckoutSessions => "checkout_sessions",
        }
    }
}

impl Db {
    pub fn id_by_demo_key(&self, table: DemoTable, key: &str) -> DbResult<Option<String>> {
        self.conn
            .query_row(
                &format!("SELECT id FROM {} WHERE demo_key = ?1", table.name()),
                [key],
                |row| row.get(0),
            )
            .optional()
    }

    /// Frees a demo key so a fresh row can take it (an expired demo session is replaced).
    pub fn release_demo_key(&self, table: DemoTable, key: &str) -> DbResult<()> {
        self.conn.execute(
            &format!(
                "UPDATE {} SET demo_key = NULL WHERE demo_key = ?1",
                table.name()
            ),
            [key],
        )?;
        Ok(())
    }
}
