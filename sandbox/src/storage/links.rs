//! Payment links: instant links that carry their own amount, and product and plan links that
//! price from the catalog.

use super::columns::{json_opt, named, Json, Stored};
use super::{Db, DbResult, Filter, PageRequest};
use crate::names::Named;
use checkout_core::wire::{CheckoutKind, Provider};
use checkout_core::Currency;
use rusqlite::types::Value as Sql;
use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

/// What a link sells. The variants are in the order the API's messages list them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LinkType {
    Product,
    Plan,
    Instant,
}

impl Named for LinkType {}

impl LinkType {
    pub fn kind(self) -> CheckoutKind {
        match self {
            LinkType::Instant => CheckoutKind::Instant,
            LinkType::Product => CheckoutKind::Product,
            LinkType::Plan => CheckoutKind::Plan,
        }
    }
}

#[derive(Clone, Debug)]
pub struct LinkRow {
    pub id: String,
    pub merchant_id: String,
    pub link_type: LinkType,
    pub title: String,
    pub description: Option<String>,
    pub private_description: Option<String>,
    /// Instant links only; product and plan links price from the product.
    pub amount: Option<i64>,
    pub currency: Currency,
    pub product_id: Option<String>,
    pub price_id: Option<String>,
    pub plan_id: Option<String>,
    /// `None` (or empty) means the merchant's enabled providers.
    pub allowed_providers: Option<Vec<Provider>>,
    pub allow_quantity: bool,
    pub allow_coupon_code: bool,
    pub require_billing_address: bool,
    pub is_active: bool,
    pub expires_at: Option<i64>,
    pub success_url: Option<String>,
    pub cancel_url: Option<String>,
    pub metadata: Option<String>,
    pub demo_key: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl LinkRow {
    /// The product a product or plan link sells.
    pub fn catalog_product_id(&self) -> Option<&str> {
        match self.link_type {
            LinkType::Instant => None,
            LinkType::Product => self.product_id.as_deref(),
            LinkType::Plan => self.plan_id.as_deref(),
        }
    }
}

/// Filters of the payment link list.
#[derive(Clone, Debug, Default)]
pub struct LinkFilter {
    pub link_type: Option<LinkType>,
    pub currency: Option<Currency>,
    pub is_active: Option<bool>,
    pub include_expired: bool,
}

fn link_from(row: &Row<'_>) -> DbResult<LinkRow> {
    Ok(LinkRow {
        id: row.get("id")?,
        merchant_id: row.get("merchant_id")?,
        link_type: named(row, "link_type")?,
        title: row.get("title")?,
        description: row.get("description")?,
        private_description: row.get("private_description")?,
        amount: row.get("amount")?,
        currency: named(row, "currency")?,
        product_id: row.get("product_id")?,
        price_id: row.get("price_id")?,
        plan_id: row.get("plan_id")?,
        allowed_providers: json_opt(row, "allowed_providers")?,
        allow_quantity: row.get("allow_quantity")?,
        allow_coupon_code: row.get("allow_coupon_code")?,
        require_billing_address: row.get("require_billing_address")?,
        is_active: row.get("is_active")?,
        expires_at: row.get("expires_at")?,
        success_url: row.get("success_url")?,
        cancel_url: row.get("cancel_url")?,
        metadata: row.get("metadata")?,
        demo_key: row.get("demo_key")?,
        created_at: row.get("created_at")?,
        updated_at: row.get("updated_at")?,
    })
}

impl Db {
    pub fn insert_link(&self, l: &LinkRow) -> DbResult<()> {
        self.creating(&l.id, |conn| conn.execute(
            "INSERT INTO payment_links (id, merchant_id, link_type, title, description, private_description, amount,
                currency, product_id, price_id, plan_id, allowed_providers, allow_quantity, allow_coupon_code,
                require_billing_address, is_active, expires_at, success_url, cancel_url, metadata, demo_key,
                created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20,
                ?21, ?22, ?23)",
            params![
                l.id,
                l.merchant_id,
                Stored(l.link_type),
                l.title,
                l.description,
                l.private_description,
                l.amount,
                Stored(l.currency),
                l.product_id,
                l.price_id,
                l.plan_id,
                l.allowed_providers.as_ref().map(Json),
                l.allow_quantity,
                l.allow_coupon_code,
                l.require_billing_address,
                l.is_active,
                l.expires_at,
                l.success_url,
                l.cancel_url,
                l.metadata,
                l.demo_key,
                l.created_at,
                l.updated_at
            ],
        ))?;
        Ok(())
    }

    /// Writes the fields PATCH may change.
    pub fn update_link(&self, l: &LinkRow) -> DbResult<()> {
        self.conn.execute(
            "UPDATE payment_links SET expires_at = ?1, success_url = ?2, cancel_url = ?3,
                allowed_providers = ?4, allow_coupon_code = ?5, metadata = ?6, updated_at = ?7,
                title = ?10, description = ?11, private_description = ?12, is_active = ?13
             WHERE id = ?8 AND merchant_id = ?9",
            params![
                l.expires_at,
                l.success_url,
                l.cancel_url,
                l.allowed_providers.as_ref().map(Json),
                l.allow_coupon_code,
                l.metadata,
                l.updated_at,
                l.id,
                l.merchant_id,
                l.title,
                l.description,
                l.private_description,
                l.is_active
            ],
        )?;
        Ok(())
    }

    pub fn link(&self, merchant_id: &str, id: &str) -> DbResult<Option<LinkRow>> {
        self.conn
            .query_row(
                "SELECT * FROM payment_links WHERE merchant_id = ?1 AND id = ?2",
                params![merchant_id, id],
                link_from,
            )
            .optional()
    }

    /// True when a link was deleted.
    pub fn delete_link(&self, merchant_id: &str, id: &str) -> DbResult<bool> {
        let n = self.conn.execute(
            "DELETE FROM payment_links WHERE merchant_id = ?1 AND id = ?2",
            params![merchant_id, id],
        )?;
        Ok(n > 0)
    }

    pub fn list_links(
        &self,
        merchant_id: &str,
        f: &LinkFilter,
        now: i64,
        page: PageRequest,
    ) -> DbResult<(Vec<LinkRow>, u64)> {
        let mut filter = Filter::new(merchant_id);
        if let Some(t) = f.link_type {
            filter.clause("link_type = ?", Sql::Text(t.name()));
        }
        if let Some(c) = f.currency {
            filter.clause("currency = ?", Sql::Text(c.name()));
        }
        if let Some(a) = f.is_active {
            filter.clause("is_active = ?", Sql::Integer(a.into()));
        }
        if !f.include_expired {
            filter.clause("(expires_at IS NULL OR expires_at > ?)", Sql::Integer(now));
        }
        self.list("payment_links", &filter, page, link_from)
    }
}
