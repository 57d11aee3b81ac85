//! Transactions: each payment's outcome as the merchant reads it, written once when the
//! payment settles. Amounts are what moved: gross (charged), the discount the customer saw,
//! the processing fee and the net the merchant keeps.

use super::columns::{count, json, named, named_opt, Json, Stored};
use super::sessions::LineItem;
use super::{Db, DbResult, Filter, PageRequest};
use crate::names::Named;
use checkout_core::payment::FailureReason;
use checkout_core::wire::Provider;
use checkout_core::Currency;
use rusqlite::types::Value as Sql;
use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

/// lomi.'s names: a payment that succeeded is `completed`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TransactionStatus {
    Completed,
    Failed,
}

impl Named for TransactionStatus {}

#[derive(Clone, Debug, PartialEq)]
pub struct TransactionRow {
    pub id: String,
    pub merchant_id: String,
    pub payment_id: String,
    pub session_id: String,
    pub payment_link_id: Option<String>,
    pub product_id: Option<String>,
    pub price_id: Option<String>,
    pub quantity: u32,
    pub customer_id: Option<String>,
    pub status: TransactionStatus,
    pub failure: Option<FailureReason>,
    /// `None` for a free order.
    pub provider: Option<Provider>,
    pub currency: Currency,
    pub gross_amount: i64,
    pub discount_amount: i64,
    pub fee_amount: i64,
    pub net_amount: i64,
    pub coupon_code: Option<String>,
    pub description: String,
    pub line_items: Vec<LineItem>,
    /// The session's metadata, as JSON text.
    pub metadata: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// What the completed transactions that used one coupon add up to, in one currency.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CouponTotals {
    pub currency: Currency,
    pub uses: u64,
    /// Minor units, as the transactions' `discount_amount`.
    pub discount: i64,
    /// Minor units: what those customers paid (`gross_amount`).
    pub revenue: i64,
}

/// Filters of the transaction list; `from` and `to` bound `created_at` (inclusive).
#[derive(Clone, Debug, Default)]
pub struct TransactionFilter {
    pub status: Option<TransactionStatus>,
    pub provider: Option<Provider>,
    pub session_id: Option<String>,
    pub payment_link_id: Option<String>,
    pub customer_id: Option<String>,
    pub from: Option<i64>,
    pub to: Option<i64>,
}

fn transaction_from(row: &Row<'_>) -> DbResult<TransactionRow> {
    Ok(TransactionRow {
        id: row.get("id")?,
        merchant_id: row.get("merchant_id")?,
        payment_id: row.get("payment_id")?,
        session_id: row.get("session_id")?,
        payment_link_id: row.get("payment_link_id")?,
        product_id: row.get("product_id")?,
        price_id: row.get("price_id")?,
        quantity: count(row, "quantity")?,
        customer_id: row.get("customer_id")?,
        status: named(row, "status")?,
        failure: named_opt(row, "failure")?,
        provider: named_opt(row, "provider")?,
        currency: named(row, "currency")?,
        gross_amount: row.get("gross_amount")?,
        discount_amount: row.get("discount_amount")?,
        fee_amount: row.get("fee_amount")?,
        net_amount: row.get("net_amount")?,
        coupon_code: row.get("coupon_code")?,
        description: row.get("description")?,
        line_items: json(row, "line_items")?,
        metadata: row.get("metadata")?,
        created_at: row.get("created_at")?,
        updated_at: row.get("updated_at")?,
    })
}

impl Db {
    /// Records a settled payment's transaction; a second call for the same payment changes
    /// nothing (the payment id is unique), so settling twice records once.
    pub fn insert_transaction(&self, t: &TransactionRow) -> DbResult<bool> {
        let n = self.conn.execute(
            "INSERT OR IGNORE INTO transactions (id, merchant_id, payment_id, session_id,
                payment_link_id, product_id, price_id, quantity, customer_id, status, failure,
                provider, currency, gross_amount, discount_amount, fee_amount, net_amount,
                coupon_code, description, line_items, metadata, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                ?17, ?18, ?19, ?20, ?21, ?22, ?23)",
            params![
                t.id,
                t.merchant_id,
                t.payment_id,
                t.session_id,
                t.payment_link_id,
                t.product_id,
                t.price_id,
                t.quantity,
                t.customer_id,
                Stored(t.status),
                t.failure.map(Stored),
                t.provider.map(Stored),
                Stored(t.currency),
                t.gross_amount,
                t.discount_amount,
                t.fee_amount,
                t.net_amount,
                t.coupon_code,
                t.description,
                Json(&t.line_items),
                t.metadata,
                t.created_at,
                t.updated_at
            ],
        )?;
        Ok(n > 0)
    }

    pub fn transaction(&self, merchant_id: &str, id: &str) -> DbResult<Option<TransactionRow>> {
        self.conn
            .query_row(
                "SELECT * FROM transactions WHERE merchant_id = ?1 AND id = ?2",
                params![merchant_id, id],
                transaction_from,
            )
            .optional()
    }

    pub fn list_transactions(
        &self,
        merchant_id: &str,
        f: &TransactionFilter,
        page: PageRequest,
    ) -> DbResult<(Vec<TransactionRow>, u64)> {
        let mut filter = Filter::new(merchant_id);
        if let Some(s) = f.status {
            filter.clause("status = ?", Sql::Text(s.name()));
        }
        if let Some(p) = f.provider {
            filter.clause("provider = ?", Sql::Text(p.name()));
        }
        if let Some(id) = &f.session_id {
            filter.clause("session_id = ?", Sql::Text(id.clone()));
        }
        if let Some(id) = &f.payment_link_id {
            filter.clause("payment_link_id = ?", Sql::Text(id.clone()));
        }
        if let Some(id) = &f.customer_id {
            filter.clause("customer_id = ?", Sql::Text(id.clone()));
        }
        if let Some(from) = f.from {
            filter.clause("created_at >= ?", Sql::Integer(from));
        }
        if let Some(to) = f.to {
            filter.clause("created_at <= ?", Sql::Integer(to));
        }
        self.list("transactions", &filter, page, transaction_from)
    }

    /// The completed transactions that used the coupon `code`, summed per currency (the
    /// most used first).
    pub fn coupon_totals(&self, merchant_id: &str, code: &str) -> DbResult<Vec<CouponTotals>> {
        let mut stmt = self.conn.prepare(
            "SELECT currency, COUNT(*), SUM(discount_amount), SUM(gross_amount) FROM transactions
             WHERE merchant_id = ?1 AND coupon_code = ?2 AND status = 'completed'
             GROUP BY currency ORDER BY COUNT(*) DESC, currency",
        )?;
        let rows = stmt.query_map(params![merchant_id, code], |row| {
            Ok(CouponTotals {
                currency: row.get::<_, Stored<Currency>>(0)?.0,
                uses: u64::try_from(row.get::<_, i64>(1)?).unwrap_or(0),
                discount: row.get(2)?,
                revenue: row.get(3)?,
            })
        })?;
        rows.collect()
    }
}
