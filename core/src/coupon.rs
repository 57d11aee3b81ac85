//! Coupon rules: whether a code applies to an order, and how much it takes off.

use crate::money::Currency;
use serde::{Deserialize, Serialize};

/// How a coupon discounts. Percentages are basis points (1250 = 12.5 %) so they stay integers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum DiscountRule {
    Percentage {
        basis_points: u32,
    },
    /// Minor units off each unit, never more than the unit's price.
    Fixed {
        amount: i64,
    },
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CustomerType {
    #[default]
    All,
    New,
    /// Customers who paid the merchant before: lomi.'s `existing`; `returning` (the seeds'
    /// word) is read as the same.
    #[serde(alias = "returning")]
    Existing,
}

/// Everything needed to decide on a coupon. Timestamps are unix seconds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Coupon {
    pub code: String,
    pub is_active: bool,
    pub discount: DiscountRule,
    /// The currency of a fixed discount; a fixed coupon never applies across currencies.
    pub currency: Option<Currency>,
    pub valid_from: Option<i64>,
    pub expires_at: Option<i64>,
    pub max_uses: Option<u32>,
    pub current_uses: u32,
    pub max_quantity_per_use: Option<u32>,
    pub is_organization_wide: bool,
    pub product_ids: Vec<String>,
    pub customer_type: CustomerType,
}

/// Why a code was not applied; the page words each one in the customer's language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum CouponRefusal {
    /// This link or session does not take coupons.
    NotAllowed,
    Unknown,
    Inactive,
    NotStarted {
        starts_at: i64,
    },
    Expired,
    UsedUp,
    NotForProduct,
    QuantityAboveCap {
        max_quantity: u32,
    },
    CurrencyMismatch,
    NewCustomersOnly,
    ReturningCustomersOnly,
}

/// Codes are case-insensitive: stored and compared upper-cased, surrounding spaces ignored.
pub fn normalize_code(code: &str) -> String {
    code.trim().to_uppercase()
}

/// What the order looks like to the coupon.
pub struct Order<'a> {
    pub product_id: Option<&'a str>,
    pub currency: Currency,
    pub quantity: u32,
    pub now: i64,
    /// Whether the customer has paid this merchant before, once the customer is known.
    pub returning_customer: Option<bool>,
}

impl Coupon {
    pub fn check(&self, order: &Order<'_>) -> Result<(), CouponRefusal> {
        if !self.is_active {
            return Err(CouponRefusal::Inactive);
        }
        if let Some(starts_at) = self.valid_from.filter(|&t| order.now < t) {
            return Err(CouponRefusal::NotStarted { starts_at });
        }
        if self.expires_at.is_some_and(|t| order.now >= t) {
            return Err(CouponRefusal::Expired);
        }
        if self.max_uses.is_some_and(|max| self.current_uses >= max) {
            return Err(CouponRefusal::UsedUp);
        }
        if matches!(self.discount, DiscountRule::Fixed { .. })
            && self.currency.is_some_and(|c| c != order.currency)
        {
            return Err(CouponRefusal::CurrencyMismatch);
        }
        if !self.is_organization_wide
            && !order
                .product_id
                .is_some_and(|p| self.product_ids.iter().any(|id| id == p))
        {
            return Err(CouponRefusal::NotForProduct);
        }
        if let Some(max_quantity) = self
            .max_quantity_per_use
            .filter(|&max| order.quantity > max)
        {
            return Err(CouponRefusal::QuantityAboveCap { max_quantity });
        }
        match (self.customer_type, order.returning_customer) {
            (CustomerType::New, Some(true)) => Err(CouponRefusal::NewCustomersOnly),
            (CustomerType::Existing, Some(false)) => Err(CouponRefusal::ReturningCustomersOnly),
            _ => Ok(()),
        }
    }

    /// The discount on `quantity` units of `unit` each: never more than the order itself.
    pub fn discount_for(&self, unit: i64, quantity: u32) -> i64 {
        let base = unit * i64::from(quantity);
        let off = match self.discount {
            // Half-up rounding to the minor unit, in i128 so large orders cannot overflow.
            DiscountRule::Percentage { basis_points } => {
                ((i128::from(base) * i128::from(basis_points) + 5_000) / 10_000) as i64
            }
            DiscountRule::Fixed { amount } => amount.min(unit) * i64::from(quantity),
        };
        off.clamp(0, base)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_700_000_000;

    fn coupon(discount: DiscountRule) -> Coupon {
        Coupon {
            code: "WELCOME10".into(),
            is_active: true,
            discount,
            currency: Some(Currency::Xof),
            valid_from: None,
            expires_at: None,
            max_uses: None,
            current_uses: 0,
            max_quantity_per_use: None,
            is_organization_wide: true,
            product_ids: vec![],
            customer_type: CustomerType::All,
        }
    }

    fn order(quantity: u32) -> Order<'static> {
        Order {
            product_id: Some("prod_1"),
            currency: Currency::Xof,
            quantity,
            now: NOW,
            returning_customer: None,
        }
    }

    #[test]
    fn codes_are_case_insensitive() {
        assert_eq!(normalize_code("  welcome10 "), "WELCOME10");
    }

    #[test]
    fn percentage_rounds_half_up_to_the_minor_unit() {
        let c = coupon(DiscountRule::Percentage { basis_points: 1000 });
        assert_eq!(c.discount_for(5000, 3), 1500);
        let c = coupon(DiscountRule::Percentage { basis_points: 1250 });
        assert_eq!(c.discount_for(1004, 1), 126); // 125.5 -> 126
        assert_eq!(c.discount_for(1003, 1), 125); // 125.375 -> 125
        let c = coupon(DiscountRule::Percentage {
            basis_points: 10_000,
        });
        assert_eq!(c.discount_for(7000, 2), 14_000);
    }

    #[test]
    fn fixed_discount_is_per_unit_and_never_exceeds_the_price() {
        let c = coupon(DiscountRule::Fixed { amount: 1000 });
        assert_eq!(c.discount_for(5000, 3), 3000);
        assert_eq!(c.discount_for(600, 2), 1200);
    }

    #[test]
    fn each_refusal_reason() {
        let base = coupon(DiscountRule::Percentage { basis_points: 1000 });
        assert_eq!(base.check(&order(1)), Ok(()));

        let c = Coupon {
            is_active: false,
            ..base.clone()
        };
        assert_eq!(c.check(&order(1)), Err(CouponRefusal::Inactive));

        let c = Coupon {
            valid_from: Some(NOW + 60),
            ..base.clone()
        };
        assert_eq!(
            c.check(&order(1)),
            Err(CouponRefusal::NotStarted {
                starts_at: NOW + 60
            })
        );

        let c = Coupon {
            expires_at: Some(NOW),
            ..base.clone()
        };
        assert_eq!(c.check(&order(1)), Err(CouponRefusal::Expired));

        let c = Coupon {
            max_uses: Some(5),
            current_uses: 5,
            ..base.clone()
        };
        assert_eq!(c.check(&order(1)), Err(CouponRefusal::UsedUp));

        let c = Coupon {
            is_organization_wide: false,
            product_ids: vec!["prod_other".into()],
            ..base.clone()
        };
        assert_eq!(c.check(&order(1)), Err(CouponRefusal::NotForProduct));
        let c = Coupon {
            product_ids: vec!["prod_1".into()],
            ..c
        };
        assert_eq!(c.check(&order(1)), Ok(()));

        let c = Coupon {
            max_quantity_per_use: Some(2),
            ..base.clone()
        };
        assert_eq!(c.check(&order(2)), Ok(()));
        assert_eq!(
            c.check(&order(3)),
            Err(CouponRefusal::QuantityAboveCap { max_quantity: 2 })
        );

        let c = Coupon {
            discount: DiscountRule::Fixed { amount: 100 },
            currency: Some(Currency::Usd),
            ..base.clone()
        };
        assert_eq!(c.check(&order(1)), Err(CouponRefusal::CurrencyMismatch));

        let c = Coupon {
            customer_type: CustomerType::New,
            ..base.clone()
        };
        let returning = Order {
            returning_customer: Some(true),
            ..order(1)
        };
        assert_eq!(
            c.check(&order(1)),
            Ok(()),
            "unknown customer: decided at payment"
        );
        assert_eq!(c.check(&returning), Err(CouponRefusal::NewCustomersOnly));
    }
}
