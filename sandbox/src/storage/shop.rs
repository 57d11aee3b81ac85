//! The demo shop's own tables: its registration (webhook id and secret), its orders and the
//! webhook events it received. A merchant's database, not the checkout's.

use super::{Db, DbResult};
use rusqlite::{params, OptionalExtension, Row};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShopOrderRow {
    pub id: String,
    /// The catalog item bought.
    pub item: String,
    pub title: String,
    pub amount: i64,
    pub currency: String,
    /// `awaiting_payment` or `paid`.
    pub status: String,
    pub checkout_session_id: Option<String>,
    pub checkout_url: Option<String>,
    pub transaction_id: Option<String>,
    pub paid_at: Option<i64>,
    pub created_at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShopEventRow {
    pub order_id: Option<String>,
    pub event_id: Option<String>,
    pub event: Option<String>,
    pub signature_valid: bool,
    /// An event id the shop had already handled (a retry): acknowledged, not applied twice.
    pub duplicate: bool,
    pub received_at: i64,
}

fn order_from(row: &Row<'_>) -> DbResult<ShopOrderRow> {
    Ok(ShopOrderRow {
        id: row.get("id")?,
        item: row.get("item")?,
        title: row.get("title")?,
        amount: row.get("amount")?,
        currency: row.get("currency")?,
        status: row.get("status")?,
        checkout_session_id: row.get("checkout_session_id")?,
        checkout_url: row.get("checkout_url")?,
        transaction_id: row.get("transaction_id")?,
        paid_at: row.get("paid_at")?,
        created_at: row.get("created_at")?,
    })
}

fn event_from(row: &Row<'_>) -> DbResult<ShopEventRow> {
    Ok(ShopEventRow {
        order_id: row.get("order_id")?,
        event_id: row.get("event_id")?,
        event: row.get("event")?,
        signature_valid: row.get("signature_valid")?,
        duplicate: row.get("duplicate")?,
        received_at: row.get("received_at")?,
    })
}

impl Db {
    /// The shop's webhook registration: `(webhook_id, secret)`.
    pub fn shop_registration(&self) -> DbResult<Option<(String, String)>> {
        self.conn
            .query_row(
                "SELECT webhook_id, secret FROM shop_settings WHERE id = 1",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()
    }

    pub fn set_shop_registration(&self, webhook_id: &str, secret: &str) -> DbResult<()> {
        self.conn.execute(
            "INSERT INTO shop_settings (id, webhook_id, secret) VALUES (1, ?1, ?2)
             ON CONFLICT(id) DO UPDATE SET webhook_id = ?1, secret = ?2",
            params![webhook_id, secret],
        )?;
        Ok(())
    }

    pub fn insert_shop_order(&self, o: &ShopOrderRow) -> DbResult<()> {
        self.conn.execute(
            "INSERT INTO shop_orders (id, item, title, amount, currency, status,
                checkout_session_id, checkout_url, transaction_id, paid_at, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                o.id,
                o.item,
                o.title,
                o.amount,
                o.currency,
                o.status,
                o.checkout_session_id,
                o.checkout_url,
                o.transaction_id,
                o.paid_at,
                o.created_at
            ],
        )?;
        Ok(())
    }

    pub fn set_shop_order_session(&self, id: &str, session_id: &str, url: &str) -> DbResult<()> {
        self.conn.execute(
            "UPDATE shop_orders SET checkout_session_id = ?2, checkout_url = ?3 WHERE id = ?1",
            params![id, session_id, url],
        )?;
        Ok(())
    }

    /// Marks an order paid once; answers whether this call did it.
    pub fn mark_shop_order_paid(&self, id: &str, transaction_id: &str, now: i64) -> DbResult<bool> {
        let n = self.conn.execute(
            "UPDATE shop_orders SET status = 'paid', transaction_id = ?2, paid_at = ?3
             WHERE id = ?1 AND status != 'paid'",
            params![id, transaction_id, now],
        )?;
        Ok(n > 0)
    }

    pub fn shop_order(&self, id: &str) -> DbResult<Option<ShopOrderRow>> {
        self.conn
            .query_row(
                "SELECT * FROM shop_orders WHERE id = ?1",
                params![id],
                order_from,
            )
            .optional()
    }

    pub fn shop_order_by_session(&self, session_id: &str) -> DbResult<Option<ShopOrderRow>> {
        self.conn
            .query_row(
                "SELECT * FROM shop_orders WHERE checkout_session_id = ?1",
                params![session_id],
                order_from,
            )
            .optional()
    }

    /// The latest orders, newest first.
    pub fn shop_orders(&self, limit: u32) -> DbResult<Vec<ShopOrderRow>> {
        let mut stmt = self
            .conn
            .prepare("SELECT * FROM shop_orders ORDER BY created_at DESC, rowid DESC LIMIT ?1")?;
        let rows = stmt.query_map(params![limit], order_from)?;
        rows.collect()
    }

    pub fn insert_shop_event(&self, e: &ShopEventRow) -> DbResult<()> {
        self.conn.execute(
            "INSERT INTO shop_events (order_id, event_id, event, signature_valid, duplicate,
                received_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                e.order_id,
                e.event_id,
                e.event,
                e.signature_valid,
                e.duplicate,
                e.received_at
            ],
        )?;
        Ok(())
    }

    /// Whether a correctly signed event with this id was already received.
    pub fn shop_event_seen(&self, event_id: &str) -> DbResult<bool> {
        self.conn.query_row(
            "SELECT EXISTS(SELECT 1 FROM shop_events WHERE event_id = ?1 AND signature_valid = 1)",
            params![event_id],
            |row| row.get(0),
        )
    }

    /// The events received for an order, oldest first.
    pub fn shop_events(&self, order_id: &str) -> DbResult<Vec<ShopEventRow>> {
        let mut stmt = self
            .conn
            .prepare("SELECT * FROM shop_events WHERE order_id = ?1 ORDER BY id")?;
        let rows = stmt.query_map(params![order_id], event_from)?;
        rows.collect()
    }

    /// Deletes the refused (wrongly signed) events beyond the newest `kept`.
    pub fn keep_newest_refused_shop_events(&self, kept: u32) -> DbResult<()> {
        self.conn.execute(
            "DELETE FROM shop_events WHERE signature_valid = 0 AND id NOT IN
                (SELECT id FROM shop_events WHERE signature_valid = 0 ORDER BY id DESC LIMIT ?1)",
            params![kept],
        )?;
        Ok(())
    }

    /// Every event the shop has stored, refused ones included.
    pub fn shop_event_count(&self) -> DbResult<u64> {
        self.conn
            .query_row("SELECT COUNT(*) FROM shop_events", [], |row| row.get(0))
    }
}
