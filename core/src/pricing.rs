//! The order's price: what the customer owes today and later. The sandbox computes every
//! total with [`quote`]; the page only displays what the server returns.

use crate::calendar::{add_interval, BillingInterval, DAY};
use crate::coupon::{normalize_code, Coupon, CouponRefusal, DiscountRule, Order};
use crate::money::{Currency, MAX_AMOUNT};
use serde::{Deserialize, Serialize};

/// The quantity cap when neither the product nor a coupon sets one.
pub const DEFAULT_MAX_QUANTITY: u32 = 99;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "model", rename_all = "snake_case")]
pub enum PricingModel {
    Standard,
    /// The customer picks the unit price within the bounds (minor units).
    PayWhatYouWant {
        minimum: i64,
        maximum: Option<i64>,
    },
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FirstPaymentType {
    /// The full price is charged today.
    #[default]
    Initial,
    /// Nothing today; the first charge is one interval later.
    NonInitial,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecurringTerms {
    pub interval: BillingInterval,
    pub first_payment_type: FirstPaymentType,
    /// Days before the first charge; 0 when the plan has no trial.
    pub trial_days: u32,
}

/// One line of a multi-product cart, as pricing sees it: a standard price, how many.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CartLine {
    pub product_id: Option<String>,
    pub unit_amount: i64,
    pub quantity: u32,
}

impl CartLine {
    pub fn amount(&self) -> i64 {
        self.unit_amount.saturating_mul(i64::from(self.quantity))
    }
}

/// What an order is priced from: the link's, product's or session's terms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PriceBasis {
    pub currency: Currency,
    /// The fixed unit price, or the suggested one for pay-what-you-want.
    pub unit_amount: i64,
    pub pricing: PricingModel,
    pub allow_quantity: bool,
    /// The quantity used when the customer has not chosen one.
    pub quantity: u32,
    pub max_quantity: u32,
    pub recurring: Option<RecurringTerms>,
    pub product_id: Option<String>,
    pub allow_coupon_code: bool,
    /// A cart's lines; empty for a single price. A cart is priced line by line: its
    /// `unit_amount` is the lines' sum, its quantity 1 and fixed, and a coupon takes off what
    /// it gives each line it applies to.
    pub lines: Vec<CartLine>,
}

/// The customer's choices. Absent fields take the basis's defaults.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuoteRequest {
    #[serde(default)]
    pub quantity: Option<u32>,
    /// The pay-what-you-want unit price, in minor units.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1000000000000_i64))]
    pub unit_amount: Option<i64>,
    #[serde(default)]
    pub coupon_code: Option<String>,
}

/// An order the server will not price. Coupon problems are not errors: the quote carries them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum QuoteError {
    QuantityNotAllowed,
    QuantityOutOfRange { min: u32, max: u32 },
    AmountNotAllowed,
    AmountBelowMinimum { minimum: i64 },
    AmountAboveMaximum { maximum: i64 },
}

impl QuoteError {
    /// The request field the error is about.
    pub fn field(&self) -> &'static str {
        match self {
            QuoteError::QuantityNotAllowed | QuoteError::QuantityOutOfRange { .. } => "quantity",
            _ => "unit_amount",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AppliedCoupon {
    pub code: String,
    pub discount: DiscountRule,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecurringQuote {
    pub interval: BillingInterval,
    pub trial_days: u32,
    /// What the next charge will be, in minor units.
    pub next_charge_amount: i64,
    /// When it will be taken, unix seconds.
    pub next_charge_at: i64,
}

/// The server's breakdown of an order, all amounts in minor units of `currency`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Quote {
    pub currency: Currency,
    pub unit_amount: i64,
    pub quantity: u32,
    /// Unit price times quantity.
    pub subtotal: i64,
    pub discount: i64,
    /// Fees charged to the customer; the sandbox's merchant absorbs fees, so 0 there.
    pub fees: i64,
    /// (subtotal - discount) + fees.
    pub total: i64,
    /// What is charged now: the total, or 0 during a trial or a deferred first payment.
    pub due_today: i64,
    pub coupon: Option<AppliedCoupon>,
    pub coupon_error: Option<CouponRefusal>,
    pub recurring: Option<RecurringQuote>,
}

/// A quantity the order may have: 1 to `max`. The page checks with this before asking for
/// a price, the server again when pricing.
pub fn check_quantity(quantity: u32, max: u32) -> Result<u32, QuoteError> {
    if quantity == 0 || quantity > max {
        return Err(QuoteError::QuantityOutOfRange { min: 1, max });
    }
    Ok(quantity)
}

/// A pay-what-you-want unit price within the merchant's bounds (no maximum means the
/// largest amount accepted anywhere).
pub fn check_chosen_amount(
    amount: i64,
    minimum: i64,
    maximum: Option<i64>,
) -> Result<i64, QuoteError> {
    if amount < minimum {
        return Err(QuoteError::AmountBelowMinimum { minimum });
    }
    let cap = maximum.unwrap_or(MAX_AMOUNT);
    if amount > cap {
        return Err(QuoteError::AmountAboveMaximum { maximum: cap });
    }
    Ok(amount)
}

/// A coupon on a cart: the lines it applies to (all of them for a merchant-wide coupon, the
/// listed products' otherwise) are checked as one order of their units, and each gets the
/// discount it would get alone. Refused as `NotForProduct` when no line is eligible.
pub fn cart_discount(
    coupon: &Coupon,
    lines: &[CartLine],
    currency: Currency,
    now: i64,
) -> Result<i64, CouponRefusal> {
    let applies = |l: &&CartLine| {
        coupon.is_organization_wide
            || l.product_id
                .as_ref()
                .is_some_and(|p| coupon.product_ids.contains(p))
    };
    let eligible: Vec<&CartLine> = lines.iter().filter(applies).collect();
    let order = Order {
        product_id: eligible.first().and_then(|l| l.product_id.as_deref()),
        currency,
        quantity: eligible.iter().map(|l| l.quantity).sum(),
        now,
        returning_customer: None,
    };
    coupon.check(&order)?;
    Ok(eligible
        .iter()
        .map(|l| coupon.discount_for(l.unit_amount, l.quantity))
        .sum())
}

/// Prices an order. `coupon` is the merchant's coupon found for the requested code, if any.
pub fn quote(
    basis: &PriceBasis,
    request: &QuoteRequest,
    coupon: Option<&Coupon>,
    now: i64,
) -> Result<Quote, QuoteError> {
    let quantity = match request.quantity {
        None => basis.quantity,
        Some(q) if q == basis.quantity => q,
        // Subscriptions bill one seat: quantity is never multiplied.
        Some(_) if !basis.allow_quantity || basis.recurring.is_some() => {
            return Err(QuoteError::QuantityNotAllowed)
        }
        Some(q) => q,
    };
    check_quantity(quantity, basis.max_quantity)?;

    let unit_amount = match (&basis.pricing, request.unit_amount) {
        (PricingModel::Standard, None) => basis.unit_amount,
        (PricingModel::Standard, Some(a)) if a == basis.unit_amount => a,
        (PricingModel::Standard, Some(_)) => return Err(QuoteError::AmountNotAllowed),
        (PricingModel::PayWhatYouWant { .. }, None) => basis.unit_amount,
        (PricingModel::PayWhatYouWant { minimum, maximum }, Some(a)) => {
            check_chosen_amount(a, *minimum, *maximum)?
        }
    };
    let subtotal = unit_amount * i64::from(quantity);

    let code = request
        .coupon_code
        .as_deref()
        .map(normalize_code)
        .filter(|c| !c.is_empty());
    let (applied, coupon_error, discount) = match code {
        None => (None, None, 0),
        Some(_) if !basis.allow_coupon_code => (None, Some(CouponRefusal::NotAllowed), 0),
        Some(code) => match coupon.filter(|c| c.code == code) {
            None => (None, Some(CouponRefusal::Unknown), 0),
            Some(c) => {
                let order = Order {
                    product_id: basis.product_id.as_deref(),
                    currency: basis.currency,
                    quantity,
                    now,
                    returning_customer: None,
                };
                let discount = if basis.lines.is_empty() {
                    c.check(&order)
                        .map(|()| c.discount_for(unit_amount, quantity))
                } else {
                    cart_discount(c, &basis.lines, basis.currency, now)
                };
                match discount {
                    Ok(discount) => (
                        Some(AppliedCoupon {
                            code,
                            discount: c.discount.clone(),
                        }),
                        None,
                        discount,
                    ),
                    Err(refusal) => (None, Some(refusal), 0),
                }
            }
        },
    };

    let fees = 0;
    let total = subtotal - discount + fees;
    let (due_today, recurring) = match &basis.recurring {
        None => (total, None),
        Some(terms) => {
            let (due_today, next_charge_at, next_charge_amount) = if terms.trial_days > 0 {
                (0, now + i64::from(terms.trial_days) * DAY, total)
            } else {
                match terms.first_payment_type {
                    FirstPaymentType::Initial => {
                        (total, add_interval(now, terms.interval), subtotal + fees)
                    }
                    FirstPaymentType::NonInitial => (0, add_interval(now, terms.interval), total),
                }
            };
            (
                due_today,
                Some(RecurringQuote {
                    interval: terms.interval,
                    trial_days: terms.trial_days,
                    next_charge_amount,
                    next_charge_at,
                }),
            )
        }
    };

    Ok(Quote {
        currency: basis.currency,
        unit_amount,
        quantity,
        subtotal,
        discount,
        fees,
        total,
        due_today,
        coupon: applied,
        coupon_error,
        recurring,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::{parse_rfc3339, to_rfc3339};
    use crate::coupon::CustomerType;

    fn now() -> i64 {
        parse_rfc3339("2026-11-21T09:00:00Z").unwrap()
    }

    fn product(unit: i64) -> PriceBasis {
        PriceBasis {
            currency: Currency::Xof,
            unit_amount: unit,
            pricing: PricingModel::Standard,
            allow_quantity: true,
            quantity: 1,
            max_quantity: DEFAULT_MAX_QUANTITY,
            recurring: None,
            product_id: Some("prod_1".into()),
            allow_coupon_code: true,
            lines: Vec::new(),
        }
    }

    fn ten_percent() -> Coupon {
        Coupon {
            code: "WELCOME10".into(),
            is_active: true,
            discount: DiscountRule::Percentage { basis_points: 1000 },
            currency: None,
            valid_from: None,
            expires_at: None,
            max_uses: None,
            current_uses: 0,
            max_quantity_per_use: Some(5),
            is_organization_wide: true,
            product_ids: vec![],
            customer_type: CustomerType::All,
        }
    }

    fn ask(quantity: Option<u32>, unit: Option<i64>, code: Option<&str>) -> QuoteRequest {
        QuoteRequest {
            quantity,
            unit_amount: unit,
            coupon_code: code.map(str::to_string),
        }
    }

    #[test]
    fn subtotal_is_unit_times_quantity() {
        let q = quote(&product(5000), &ask(Some(3), None, None), None, now()).unwrap();
        assert_eq!(
            (q.subtotal, q.discount, q.total, q.due_today),
            (15_000, 0, 15_000, 15_000)
        );
    }

    #[test]
    fn quantity_is_bounded_and_only_when_allowed() {
        let b = product(5000);
        assert_eq!(
            quote(&b, &ask(Some(0), None, None), None, now()),
            Err(QuoteError::QuantityOutOfRange { min: 1, max: 99 })
        );
        assert_eq!(
            quote(&b, &ask(Some(100), None, None), None, now()),
            Err(QuoteError::QuantityOutOfRange { min: 1, max: 99 })
        );
        let fixed = PriceBasis {
            allow_quantity: false,
            ..b
        };
        assert_eq!(
            quote(&fixed, &ask(Some(2), None, None), None, now()),
            Err(QuoteError::QuantityNotAllowed)
        );
        assert!(quote(&fixed, &ask(Some(1), None, None), None, now()).is_ok());
    }

    #[test]
    fn pay_what_you_want_is_bounded() {
        let b = PriceBasis {
            pricing: PricingModel::PayWhatYouWant {
                minimum: 1000,
                maximum: Some(50_000),
            },
            ..product(5000)
        };
        assert_eq!(
            quote(&b, &ask(None, None, None), None, now())
                .unwrap()
                .total,
            5000
        );
        assert_eq!(
            quote(&b, &ask(None, Some(999), None), None, now()),
            Err(QuoteError::AmountBelowMinimum { minimum: 1000 })
        );
        assert_eq!(
            quote(&b, &ask(None, Some(50_001), None), None, now()),
            Err(QuoteError::AmountAboveMaximum { maximum: 50_000 })
        );
        assert_eq!(
            quote(&b, &ask(None, Some(2500), None), None, now())
                .unwrap()
                .total,
            2500
        );
        assert_eq!(
            quote(&product(5000), &ask(None, Some(1), None), None, now()),
            Err(QuoteError::AmountNotAllowed)
        );
    }

    #[test]
    fn coupon_discounts_and_refusals_travel_in_the_quote() {
        let b = product(5000);
        let c = ten_percent();
        let q = quote(&b, &ask(Some(2), None, Some("welcome10")), Some(&c), now()).unwrap();
        assert_eq!((q.discount, q.total), (1000, 9000));
        assert_eq!(q.coupon.unwrap().code, "WELCOME10");

        let q = quote(&b, &ask(Some(6), None, Some("WELCOME10")), Some(&c), now()).unwrap();
        assert_eq!(
            q.coupon_error,
            Some(CouponRefusal::QuantityAboveCap { max_quantity: 5 })
        );
        assert_eq!((q.discount, q.total), (0, 30_000));

        let q = quote(&b, &ask(None, None, Some("NOPE")), None, now()).unwrap();
        assert_eq!(q.coupon_error, Some(CouponRefusal::Unknown));

        let no_coupons = PriceBasis {
            allow_coupon_code: false,
            ..product(5000)
        };
        let q = quote(
            &no_coupons,
            &ask(None, None, Some("WELCOME10")),
            Some(&c),
            now(),
        )
        .unwrap();
        assert_eq!(q.coupon_error, Some(CouponRefusal::NotAllowed));
        assert_eq!(q.total, 5000);

        let q = quote(&b, &ask(None, None, Some("  ")), None, now()).unwrap();
        assert_eq!(q.coupon_error, None);
    }

    #[test]
    fn hundred_percent_off_is_free() {
        let c = Coupon {
            discount: DiscountRule::Percentage {
                basis_points: 10_000,
            },
            ..ten_percent()
        };
        let q = quote(
            &product(5000),
            &ask(None, None, Some("WELCOME10")),
            Some(&c),
            now(),
        )
        .unwrap();
        assert_eq!((q.total, q.due_today), (0, 0));
    }

    #[test]
    fn plan_with_trial_is_free_today_and_charges_after_the_trial() {
        let b = PriceBasis {
            recurring: Some(RecurringTerms {
                interval: BillingInterval::Month,
                first_payment_type: FirstPaymentType::Initial,
                trial_days: 30,
            }),
            allow_quantity: false,
            ..product(5000)
        };
        let q = quote(&b, &QuoteRequest::default(), None, now()).unwrap();
        assert_eq!((q.total, q.due_today), (5000, 0));
        let r = q.recurring.unwrap();
        assert_eq!(r.next_charge_amount, 5000);
        assert_eq!(to_rfc3339(r.next_charge_at), "2026-12-21T09:00:00Z");
    }

    #[test]
    fn plan_without_trial_charges_today_then_every_interval() {
        let terms = RecurringTerms {
            interval: BillingInterval::Month,
            first_payment_type: FirstPaymentType::Initial,
            trial_days: 0,
        };
        let b = PriceBasis {
            recurring: Some(terms.clone()),
            ..product(5000)
        };
        let q = quote(&b, &QuoteRequest::default(), None, now()).unwrap();
        assert_eq!(q.due_today, 5000);
        assert_eq!(
            to_rfc3339(q.recurring.unwrap().next_charge_at),
            "2026-12-21T09:00:00Z"
        );
        assert_eq!(
            quote(&b, &ask(Some(2), None, None), None, now()),
            Err(QuoteError::QuantityNotAllowed)
        );

        let deferred = PriceBasis {
            recurring: Some(RecurringTerms {
                first_payment_type: FirstPaymentType::NonInitial,
                ..terms
            }),
            ..product(5000)
        };
        let q = quote(&deferred, &QuoteRequest::default(), None, now()).unwrap();
        assert_eq!((q.total, q.due_today), (5000, 0));
    }

    fn cart() -> PriceBasis {
        let lines = vec![
            CartLine {
                product_id: Some("prod_pagne".into()),
                unit_amount: 5_000,
                quantity: 2,
            },
            CartLine {
                product_id: Some("prod_sac".into()),
                unit_amount: 12_500,
                quantity: 1,
            },
            CartLine {
                product_id: Some("prod_foulard".into()),
                unit_amount: 1_500,
                quantity: 3,
            },
        ];
        PriceBasis {
            unit_amount: lines.iter().map(CartLine::amount).sum(),
            allow_quantity: false,
            product_id: None,
            lines,
            ..product(0)
        }
    }

    #[test]
    fn a_cart_is_priced_line_by_line() {
        let q = quote(&cart(), &QuoteRequest::default(), None, now()).unwrap();
        assert_eq!((q.subtotal, q.quantity, q.total), (27_000, 1, 27_000));
        // Its quantities are the merchant's.
        assert_eq!(
            quote(&cart(), &ask(Some(2), None, None), None, now()),
            Err(QuoteError::QuantityNotAllowed)
        );
        // A merchant-wide 10 % takes 10 % of each line.
        let uncapped = Coupon {
            max_quantity_per_use: None,
            ..ten_percent()
        };
        let q = quote(
            &cart(),
            &ask(None, None, Some("welcome10")),
            Some(&uncapped),
            now(),
        )
        .unwrap();
        assert_eq!((q.discount, q.total), (2_700, 24_300));
    }

    #[test]
    fn a_product_coupon_only_touches_its_lines_in_a_cart() {
        // 500 off each unit of pagne only: 2 units.
        let pagne_only = Coupon {
            discount: DiscountRule::Fixed { amount: 500 },
            is_organization_wide: false,
            product_ids: vec!["prod_pagne".into()],
            ..ten_percent()
        };
        assert_eq!(
            cart_discount(&pagne_only, &cart().lines, Currency::Xof, now()),
            Ok(1_000)
        );
        let none = Coupon {
            product_ids: vec!["prod_other".into()],
            ..pagne_only.clone()
        };
        assert_eq!(
            cart_discount(&none, &cart().lines, Currency::Xof, now()),
            Err(CouponRefusal::NotForProduct)
        );
        // The quantity cap counts the units the coupon applies to: 2 pagnes, not 6 items.
        let capped = Coupon {
            max_quantity_per_use: Some(2),
            ..pagne_only.clone()
        };
        assert_eq!(
            cart_discount(&capped, &cart().lines, Currency::Xof, now()),
            Ok(1_000)
        );
        let wide_capped = Coupon {
            max_quantity_per_use: Some(5),
            ..ten_percent()
        };
        assert_eq!(
            cart_discount(&wide_capped, &cart().lines, Currency::Xof, now()),
            Err(CouponRefusal::QuantityAboveCap { max_quantity: 5 })
        );
    }
}
