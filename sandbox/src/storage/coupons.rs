//! Coupons: the discount, its limits and its use count. A payment counts a use when it
//! succeeds (see the `payments` module).

use super::columns::{count, count_opt, json, named, named_opt, Json, Stored};
use super::{Db, DbResult, Filter, PageRequest};
use crate::names::Named;
use checkout_core::coupon::{Coupon, CustomerType, DiscountRule};
use checkout_core::Currency;
use rusqlite::types::Value as Sql;
use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug)]
pub struct CouponRow {
    pub id: String,
    pub merchant_id: String,
    pub code: String,
    pub description: Option<String>,
    pub discount: DiscountRule,
    pub currency: Option<Currency>,
    pub valid_from: Option<i64>,
    pub expires_at: Option<i64>,
    pub is_active: bool,
    pub max_uses: Option<u32>,
    pub current_uses: u32,
    pub max_quantity_per_use: Option<u32>,
    pub is_organization_wide: bool,
    pub product_ids: Vec<String>,
    pub customer_type: CustomerType,
    pub demo_key: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl CouponRow {
    pub fn to_core(&self) -> Coupon {
        Coupon {
            code: self.code.clone(),
            is_active: self.is_active,
            discount: self.discount.clone(),
            currency: self.currency,
            valid_from: self.valid_from,
            expires_at: self.expires_at,
            max_uses: self.max_uses,
            current_uses: self.current_uses,
            max_quantity_per_use: self.max_quantity_per_use,
            is_organization_wide: self.is_organization_wide,
            product_ids: self.product_ids.clone(),
            customer_type: self.customer_type,
        }
    }
}

/// The `discount_type` column: which of `basis_points` and `fixed_amount` holds the
/// [`DiscountRule`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum DiscountType {
    Percentage,
    Fixed,
}

impl Named for DiscountType {}

fn coupon_from(row: &Row<'_>) -> DbResult<CouponRow> {
    let discount = match named(row, "discount_type")? {
        DiscountType::Percentage => DiscountRule::Percentage {
            basis_points: count_opt(row, "basis_points")?.unwrap_or(0),
        },
        DiscountType::Fixed => DiscountRule::Fixed {
            amount: row.get::<_, Option<i64>>("fixed_amount")?.unwrap_or(0),
        },
    };
    Ok(CouponRow {
        id: row.get("id")?,
        merchant_id: row.get("merchant_id")?,
        code: row.get("code")?,
        description: row.get("description")?,
        discount,
        currency: named_opt(row, "currency")?,
        valid_from: row.get("valid_from")?,
        expires_at: row.get("expires_at")?,
        is_active: row.get("is_active")?,
        max_uses: count_opt(row, "max_uses")?,
        current_uses: count(row, "current_uses")?,
        max_quantity_per_use: count_opt(row, "max_quantity_per_use")?,
        is_organization_wide: row.get("is_organization_wide")?,
        product_ids: json(row, "product_ids")?,
        customer_type: named(row, "customer_type")?,
        demo_key: row.get("demo_key")?,
        created_at: row.get("created_at")?,
        updated_at: row.get("updated_at")?,
    })
}

impl Db {
    pub fn insert_coupon(&self, c: &CouponRow) -> DbResult<()> {
        let (kind, basis_points, fixed) = match c.discount {
            DiscountRule::Percentage { basis_points } => {
                (DiscountType::Percentage, Some(basis_points), None)
            }
            DiscountRule::Fixed { amount } => (DiscountType::Fixed, None, Some(amount)),
        };
        self.creating(&c.id, |conn| conn.execute(
            "INSERT INTO coupons (id, merchant_id, code, description, discount_type, basis_points, fixed_amount,
                currency, valid_from, expires_at, is_active, max_uses, current_uses, max_quantity_per_use,
                is_organization_wide, product_ids, customer_type, demo_key, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)",
            params![
                c.id,
                c.merchant_id,
                c.code,
                c.description,
                Stored(kind),
                basis_points,
                fixed,
                c.currency.map(Stored),
                c.valid_from,
                c.expires_at,
                c.is_active,
                c.max_uses,
                c.current_uses,
                c.max_quantity_per_use,
                c.is_organization_wide,
                Json(&c.product_ids),
                Stored(c.customer_type),
                c.demo_key,
                c.created_at,
                c.updated_at
            ],
        ))?;
        Ok(())
    }

    pub fn coupon(&self, merchant_id: &str, id: &str) -> DbResult<Option<CouponRow>> {
        self.conn
            .query_row(
                "SELECT * FROM coupons WHERE merchant_id = ?1 AND id = ?2",
                params![merchant_id, id],
                coupon_from,
            )
            .optional()
    }

    /// `code` must already be normalised.
    pub fn coupon_by_code(&self, merchant_id: &str, code: &str) -> DbResult<Option<CouponRow>> {
        self.conn
            .query_row(
                "SELECT * FROM coupons WHERE merchant_id = ?1 AND code = ?2",
                params![merchant_id, code],
                coupon_from,
            )
            .optional()
    }

    pub fn list_coupons(
        &self,
        merchant_id: &str,
        is_active: Option<bool>,
        page: PageRequest,
    ) -> DbResult<(Vec<CouponRow>, u64)> {
        let mut filter = Filter::new(merchant_id);
        if let Some(a) = is_active {
            filter.clause("is_active = ?", Sql::Integer(a.into()));
        }
        self.list("coupons", &filter, page, coupon_from)
    }

    pub fn set_coupon_valid_from(&self, id: &str, valid_from: i64) -> DbResult<()> {
        self.conn.execute(
            "UPDATE coupons SET valid_from = ?1 WHERE id = ?2",
            params![valid_from, id],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discount_types_are_stored_by_their_old_names() {
        assert_eq!(DiscountType::Percentage.name(), "percentage");
        assert_eq!(DiscountType::Fixed.name(), "fixed");
    }
}
