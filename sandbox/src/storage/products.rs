//! Products and their prices. A product is written with its prices in one transaction and
//! always read with them, in the order the merchant gave them.

use super::columns::{count, named, named_opt, Stored};
use super::idempotency::record_claim;
use super::{Db, DbResult, Filter, PageRequest};
use crate::names::Named;
use checkout_core::calendar::BillingInterval;
use checkout_core::pricing::FirstPaymentType;
use checkout_core::Currency;
use rusqlite::types::Value as Sql;
use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug)]
pub struct ProductRow {
    pub id: String,
    pub merchant_id: String,
    pub name: String,
    pub description: Option<String>,
    pub image_url: Option<String>,
    pub recurring: bool,
    pub is_active: bool,
    pub first_payment_type: FirstPaymentType,
    pub trial_enabled: bool,
    pub trial_period_days: u32,
    pub metadata: Option<String>,
    pub demo_key: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub prices: Vec<PriceRow>,
}

#[derive(Clone, Debug)]
pub struct PriceRow {
    pub id: String,
    pub product_id: String,
    pub amount: i64,
    pub currency: Currency,
    pub pay_what_you_want: bool,
    pub minimum_amount: Option<i64>,
    pub maximum_amount: Option<i64>,
    pub billing_interval: Option<BillingInterval>,
    pub is_default: bool,
    /// Prices made with `POST /prices` can be switched off; a product's own are on.
    pub is_active: bool,
    /// The merchant's metadata, as JSON text.
    pub metadata: Option<String>,
    pub created_at: i64,
}

/// The `product_type` column: [`ProductRow::recurring`] by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum ProductType {
    OneTime,
    Recurring,
}

impl Named for ProductType {}

impl ProductType {
    fn of(recurring: bool) -> Self {
        if recurring {
            ProductType::Recurring
        } else {
            ProductType::OneTime
        }
    }
}

/// The `pricing_model` column: [`PriceRow::pay_what_you_want`] by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum PricingModel {
    Standard,
    PayWhatYouWant,
}

impl Named for PricingModel {}

impl PricingModel {
    fn of(pay_what_you_want: bool) -> Self {
        if pay_what_you_want {
            PricingModel::PayWhatYouWant
        } else {
            PricingModel::Standard
        }
    }
}

fn product_from(row: &Row<'_>) -> DbResult<ProductRow> {
    Ok(ProductRow {
        id: row.get("id")?,
        merchant_id: row.get("merchant_id")?,
        name: row.get("name")?,
        description: row.get("description")?,
        image_url: row.get("image_url")?,
        recurring: named::<ProductType>(row, "product_type")? == ProductType::Recurring,
        is_active: row.get("is_active")?,
        first_payment_type: named(row, "first_payment_type")?,
        trial_enabled: row.get("trial_enabled")?,
        trial_period_days: count(row, "trial_period_days")?,
        metadata: row.get("metadata")?,
        demo_key: row.get("demo_key")?,
        created_at: row.get("created_at")?,
        updated_at: row.get("updated_at")?,
        prices: Vec::new(),
    })
}

fn price_from(row: &Row<'_>) -> DbResult<PriceRow> {
    Ok(PriceRow {
        id: row.get("id")?,
        product_id: row.get("product_id")?,
        amount: row.get("amount")?,
        currency: named(row, "currency")?,
        pay_what_you_want: named::<PricingModel>(row, "pricing_model")?
            == PricingModel::PayWhatYouWant,
        minimum_amount: row.get("minimum_amount")?,
        maximum_amount: row.get("maximum_amount")?,
        billing_interval: named_opt(row, "billing_interval")?,
        is_default: row.get("is_default")?,
        is_active: row.get("is_active")?,
        metadata: row.get("metadata")?,
        created_at: row.get("created_at")?,
    })
}

/// One price of `product_id` at `position` in its product's list.
fn insert_price_row(
    conn: &rusqlite::Connection,
    product_id: &str,
    position: i64,
    price: &PriceRow,
) -> DbResult<()> {
    conn.execute(
        "INSERT INTO prices (id, product_id, position, amount, currency, pricing_model, minimum_amount,
            maximum_amount, billing_interval, is_default, created_at, is_active, metadata)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
            price.id,
            product_id,
            position,
            price.amount,
            Stored(price.currency),
            Stored(PricingModel::of(price.pay_what_you_want)),
            price.minimum_amount,
            price.maximum_amount,
            price.billing_interval.map(Stored),
            price.is_default,
            price.created_at,
            price.is_active,
            price.metadata
        ],
    )?;
    Ok(())
}

impl Db {
    /// Inserts the product and its prices together.
    pub fn insert_product(&mut self, p: &ProductRow) -> DbResult<()> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO products (id, merchant_id, name, description, image_url, product_type, is_active,
                first_payment_type, trial_enabled, trial_period_days, metadata, demo_key, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            params![
                p.id,
                p.merchant_id,
                p.name,
                p.description,
                p.image_url,
                Stored(ProductType::of(p.recurring)),
                p.is_active,
                Stored(p.first_payment_type),
                p.trial_enabled,
                p.trial_period_days,
                p.metadata,
                p.demo_key,
                p.created_at,
                p.updated_at
            ],
        )?;
        for (position, price) in p.prices.iter().enumerate() {
            insert_price_row(&tx, &p.id, position as i64, price)?;
        }
        record_claim(&tx, &p.id)?;
        tx.commit()
    }

    /// Adds a price to its product, after the product's others; a default price takes over
    /// from the product's current default.
    pub fn insert_price(&mut self, price: &PriceRow) -> DbResult<()> {
        let tx = self.conn.transaction()?;
        if price.is_default {
            tx.execute(
                "UPDATE prices SET is_default = 0 WHERE product_id = ?1",
                [&price.product_id],
            )?;
        }
        let position: i64 = tx.query_row(
            "SELECT COALESCE(MAX(position) + 1, 0) FROM prices WHERE product_id = ?1",
            [&price.product_id],
            |row| row.get(0),
        )?;
        insert_price_row(&tx, &price.product_id, position, price)?;
        record_claim(&tx, &price.id)?;
        tx.commit()
    }

    /// Makes `price_id` its product's only default price.
    pub fn set_default_price(&self, product_id: &str, price_id: &str, now: i64) -> DbResult<()> {
        self.conn.execute(
            "UPDATE prices SET is_default = (id = ?2) WHERE product_id = ?1",
            params![product_id, price_id],
        )?;
        self.conn.execute(
            "UPDATE products SET updated_at = ?2 WHERE id = ?1",
            params![product_id, now],
        )?;
        Ok(())
    }

    /// One of the merchant's prices, whichever product it belongs to.
    pub fn price(&self, merchant_id: &str, id: &str) -> DbResult<Option<PriceRow>> {
        self.conn
            .query_row(
                "SELECT prices.* FROM prices JOIN products ON products.id = prices.product_id
                 WHERE products.merchant_id = ?1 AND prices.id = ?2",
                params![merchant_id, id],
                price_from,
            )
            .optional()
    }

    /// The merchant's prices, of one product or all, in the page's order.
    pub fn list_prices(
        &self,
        merchant_id: &str,
        product_id: Option<&str>,
        page: PageRequest,
    ) -> DbResult<(Vec<PriceRow>, u64)> {
        let scope = "FROM prices JOIN products ON products.id = prices.product_id
             WHERE products.merchant_id = ?1 AND (?2 IS NULL OR prices.product_id = ?2)";
        let total: i64 = self.conn.query_row(
            &format!("SELECT COUNT(*) {scope}"),
            params![merchant_id, product_id],
            |row| row.get(0),
        )?;
        let order = if page.oldest_first {
            "ORDER BY prices.created_at ASC, prices.rowid ASC"
        } else {
            "ORDER BY prices.created_at DESC, prices.rowid DESC"
        };
        let mut stmt = self.conn.prepare(&format!(
            "SELECT prices.* {scope} {order} LIMIT ?3 OFFSET ?4"
        ))?;
        let rows = stmt.query_map(
            params![merchant_id, product_id, page.limit, page.offset],
            price_from,
        )?;
        Ok((rows.collect::<DbResult<Vec<_>>>()?, total.max(0) as u64))
    }

    fn prices_of(&self, product_id: &str) -> DbResult<Vec<PriceRow>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT * FROM prices WHERE product_id = ?1 ORDER BY position")?;
        let rows = stmt.query_map([product_id], price_from)?;
        rows.collect()
    }

    fn with_prices(&self, mut p: ProductRow) -> DbResult<ProductRow> {
        p.prices = self.prices_of(&p.id)?;
        Ok(p)
    }

    pub fn product(&self, merchant_id: &str, id: &str) -> DbResult<Option<ProductRow>> {
        let found = self
            .conn
            .query_row(
                "SELECT * FROM products WHERE merchant_id = ?1 AND id = ?2",
                params![merchant_id, id],
                product_from,
            )
            .optional()?;
        found.map(|p| self.with_prices(p)).transpose()
    }

    pub fn list_products(
        &self,
        merchant_id: &str,
        recurring: Option<bool>,
        is_active: Option<bool>,
        page: PageRequest,
    ) -> DbResult<(Vec<ProductRow>, u64)> {
        let mut filter = Filter::new(merchant_id);
        if let Some(r) = recurring {
            filter.clause("product_type = ?", Sql::Text(ProductType::of(r).name()));
        }
        if let Some(a) = is_active {
            filter.clause("is_active = ?", Sql::Integer(a.into()));
        }
        let (rows, total) = self.list("products", &filter, page, product_from)?;
        let rows = rows
            .into_iter()
            .map(|p| self.with_prices(p))
            .collect::<DbResult<Vec<_>>>()?;
        Ok((rows, total))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flags_are_stored_by_their_old_names() {
        assert_eq!(ProductType::of(false).name(), "one_time");
        assert_eq!(ProductType::of(true).name(), "recurring");
        assert_eq!(PricingModel::of(false).name(), "standard");
        assert_eq!(PricingModel::of(true).name(), "pay_what_you_want");
    }
}
