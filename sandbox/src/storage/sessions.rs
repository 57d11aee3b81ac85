//! Checkout sessions: one customer's checkout, created by the merchant's site or opened from
//! a link, and the order a payment records on it.

use super::columns::{count, json_opt, named, Json, Stored};
use super::{Db, DbResult, Filter, PageRequest};
use crate::names::Named;
use checkout_core::customer::BillingAddress;
use checkout_core::Currency;
use rusqlite::types::Value as Sql;
use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

/// A session's stored status; an open session past `expires_at` reads as expired without a
/// write, so the stored value never goes stale in a way readers can see.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SessionStatus {
    Open,
    Completed,
    Expired,
}

impl Named for SessionStatus {}

#[derive(Clone, Debug)]
pub struct SessionRow {
    pub id: String,
    pub merchant_id: String,
    pub status: SessionStatus,
    pub unit_amount: i64,
    pub quantity: u32,
    pub currency: Currency,
    pub title: String,
    pub description: Option<String>,
    pub customer_id: Option<String>,
    pub customer_email: Option<String>,
    pub customer_name: Option<String>,
    pub customer_phone: Option<String>,
    pub product_id: Option<String>,
    pub price_id: Option<String>,
    pub subscription_id: Option<String>,
    pub payment_link_id: Option<String>,
    pub allow_quantity: bool,
    pub allow_coupon_code: bool,
    pub require_billing_address: bool,
    pub success_url: Option<String>,
    pub cancel_url: Option<String>,
    pub metadata: Option<String>,
    pub coupon_code: Option<String>,
    pub transaction_id: Option<String>,
    pub demo_key: Option<String>,
    pub expires_at: i64,
    pub created_at: i64,
    /// The address the customer paid with, when the checkout asked for one.
    pub billing: Option<BillingAddress>,
    /// A multi-product cart's lines; empty for an amount or single-product session, whose
    /// `unit_amount` and `quantity` say it all. A cart's `unit_amount` is the lines' sum and
    /// its `quantity` 1.
    pub line_items: Vec<LineItem>,
}

/// One line of a cart (or of a transaction): a catalog price, how many, and its unit price
/// in minor units as the server priced it when the session was created.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineItem {
    pub price_id: Option<String>,
    pub product_id: Option<String>,
    pub name: String,
    pub unit_amount: i64,
    pub quantity: u32,
    /// The merchant's metadata for the line, as JSON text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<String>,
}

impl LineItem {
    /// Unit price times quantity, before any discount.
    pub fn amount(&self) -> i64 {
        self.unit_amount.saturating_mul(i64::from(self.quantity))
    }
}

impl SessionRow {
    /// Unit price times quantity: what is owed before discounts.
    pub fn subtotal(&self) -> i64 {
        self.unit_amount.saturating_mul(i64::from(self.quantity))
    }

    /// Units bought: a cart's lines together, otherwise the session's quantity.
    pub fn total_quantity(&self) -> u32 {
        if self.line_items.is_empty() {
            self.quantity
        } else {
            self.line_items.iter().map(|l| l.quantity).sum()
        }
    }

    pub fn status_at(&self, now: i64) -> SessionStatus {
        match self.status {
            SessionStatus::Open if now >= self.expires_at => SessionStatus::Expired,
            other => other,
        }
    }
}

/// What a payment on a session records of the customer's order, as the server priced it.
#[derive(Clone, Debug)]
pub struct SessionOrder {
    pub unit_amount: i64,
    pub quantity: u32,
    pub coupon_code: Option<String>,
    pub customer_name: Option<String>,
    pub customer_email: Option<String>,
    /// E.164.
    pub customer_phone: Option<String>,
    pub billing: Option<BillingAddress>,
}

fn session_from(row: &Row<'_>) -> DbResult<SessionRow> {
    Ok(SessionRow {
        id: row.get("id")?,
        merchant_id: row.get("merchant_id")?,
        status: named(row, "status")?,
        unit_amount: row.get("unit_amount")?,
        quantity: count(row, "quantity")?,
        currency: named(row, "currency")?,
        title: row.get("title")?,
        description: row.get("description")?,
        customer_id: row.get("customer_id")?,
        customer_email: row.get("customer_email")?,
        customer_name: row.get("customer_name")?,
        customer_phone: row.get("customer_phone")?,
        product_id: row.get("product_id")?,
        price_id: row.get("price_id")?,
        subscription_id: row.get("subscription_id")?,
        payment_link_id: row.get("payment_link_id")?,
        allow_quantity: row.get("allow_quantity")?,
        allow_coupon_code: row.get("allow_coupon_code")?,
        require_billing_address: row.get("require_billing_address")?,
        success_url: row.get("success_url")?,
        cancel_url: row.get("cancel_url")?,
        metadata: row.get("metadata")?,
        coupon_code: row.get("coupon_code")?,
        transaction_id: row.get("transaction_id")?,
        demo_key: row.get("demo_key")?,
        expires_at: row.get("expires_at")?,
        created_at: row.get("created_at")?,
        billing: billing_from(row)?,
        line_items: json_opt::<Vec<LineItem>>(row, "line_items")?.unwrap_or_default(),
    })
}

/// A session's billing address; a country is always recorded with the rest, so a row
/// without one has no address.
fn billing_from(row: &Row<'_>) -> DbResult<Option<BillingAddress>> {
    let Some(country) = row.get::<_, Option<String>>("billing_country")? else {
        return Ok(None);
    };
    Ok(Some(BillingAddress {
        country,
        city: row
            .get::<_, Option<String>>("billing_city")?
            .unwrap_or_default(),
        line1: row
            .get::<_, Option<String>>("billing_line1")?
            .unwrap_or_default(),
        postal_code: row.get("billing_postal_code")?,
    }))
}

/// Filters of the checkout session list.
#[derive(Clone, Debug, Default)]
pub struct SessionFilter {
    /// Open, completed or expired, as the merchant reads the status now.
    pub status: Option<SessionStatus>,
    /// Sessions started from this payment link ("who paid this link?").
    pub payment_link_id: Option<String>,
}

impl Db {
    pub fn insert_session(&self, s: &SessionRow) -> DbResult<()> {
        self.creating(&s.id, |conn| conn.execute(
            "INSERT INTO checkout_sessions (id, merchant_id, status, unit_amount, quantity, currency, title,
                description, customer_id, customer_email, customer_name, customer_phone, product_id, price_id,
                subscription_id, payment_link_id, allow_quantity, allow_coupon_code, require_billing_address,
                success_url, cancel_url, metadata, coupon_code, transaction_id, demo_key, expires_at, created_at,
                billing_country, billing_city, billing_line1, billing_postal_code, line_items)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20,
                ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32)",
            params![
                s.id,
                s.merchant_id,
                Stored(s.status),
                s.unit_amount,
                s.quantity,
                Stored(s.currency),
                s.title,
                s.description,
                s.customer_id,
                s.customer_email,
                s.customer_name,
                s.customer_phone,
                s.product_id,
                s.price_id,
                s.subscription_id,
                s.payment_link_id,
                s.allow_quantity,
                s.allow_coupon_code,
                s.require_billing_address,
                s.success_url,
                s.cancel_url,
                s.metadata,
                s.coupon_code,
                s.transaction_id,
                s.demo_key,
                s.expires_at,
                s.created_at,
                s.billing.as_ref().map(|b| &b.country),
                s.billing.as_ref().map(|b| &b.city),
                s.billing.as_ref().map(|b| &b.line1),
                s.billing.as_ref().and_then(|b| b.postal_code.as_ref()),
                (!s.line_items.is_empty()).then_some(Json(&s.line_items))
            ],
        ))?;
        Ok(())
    }

    /// The customer a payment on the session was made by.
    pub fn set_session_customer(&self, id: &str, customer_id: &str) -> DbResult<()> {
        self.conn.execute(
            "UPDATE checkout_sessions SET customer_id = ?1 WHERE id = ?2",
            params![customer_id, id],
        )?;
        Ok(())
    }

    pub fn session(&self, merchant_id: &str, id: &str) -> DbResult<Option<SessionRow>> {
        self.conn
            .query_row(
                "SELECT * FROM checkout_sessions WHERE merchant_id = ?1 AND id = ?2",
                params![merchant_id, id],
                session_from,
            )
            .optional()
    }

    /// `status` filters by the status readers see: an open session past its expiry is
    /// listed as expired.
    pub fn list_sessions(
        &self,
        merchant_id: &str,
        wanted: &SessionFilter,
        now: i64,
        page: PageRequest,
    ) -> DbResult<(Vec<SessionRow>, u64)> {
        let mut filter = Filter::new(merchant_id);
        if let Some(link_id) = &wanted.payment_link_id {
            filter.clause("payment_link_id = ?", Sql::Text(link_id.clone()));
        }
        match wanted.status {
            None => {}
            Some(SessionStatus::Open) => {
                filter.clause("status = ?", Sql::Text(SessionStatus::Open.name()));
                filter.clause("expires_at > ?", Sql::Integer(now));
            }
            Some(SessionStatus::Expired) => filter.clause(
                "(status = 'expired' OR (status = 'open' AND expires_at <= ?))",
                Sql::Integer(now),
            ),
            Some(SessionStatus::Completed) => {
                filter.clause("status = ?", Sql::Text(SessionStatus::Completed.name()))
            }
        }
        self.list("checkout_sessions", &filter, page, session_from)
    }

    /// Writes the order a payment was started for onto its session, so the merchant reads
    /// what the customer bought and who they are. Run it in the payment's transaction.
    pub fn record_order(&self, session_id: &str, o: &SessionOrder) -> DbResult<()> {
        let billing = o.billing.as_ref();
        self.conn.execute(
            "UPDATE checkout_sessions SET unit_amount = ?1, quantity = ?2, coupon_code = ?3,
                customer_name = ?4, customer_email = ?5, customer_phone = ?6, billing_country = ?7,
                billing_city = ?8, billing_line1 = ?9, billing_postal_code = ?10
             WHERE id = ?11",
            params![
                o.unit_amount,
                o.quantity,
                o.coupon_code,
                o.customer_name,
                o.customer_email,
                o.customer_phone,
                billing.map(|b| &b.country),
                billing.map(|b| &b.city),
                billing.map(|b| &b.line1),
                billing.and_then(|b| b.postal_code.as_ref()),
                session_id
            ],
        )?;
        Ok(())
    }
}
