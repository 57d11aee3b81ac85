//! The catalog's rules: which of a product's prices a link or session sells.

use crate::error::{Error, Result};
use crate::storage::{PriceRow, ProductRow};
use checkout_core::Currency;

/// Which of `product`'s prices a link or session sells in `currency`: `price_id` when given,
/// otherwise the default price in that currency, otherwise the first. Plans take recurring
/// prices only.
pub fn resolve_price<'a>(
    product: &'a ProductRow,
    price_id: Option<&str>,
    currency: Currency,
    recurring_only: bool,
) -> Result<&'a PriceRow> {
    let eligible = |p: &PriceRow| !recurring_only || p.billing_interval.is_some();
    let price =
        match price_id {
            Some(id) => product.prices.iter().find(|p| p.id == id).ok_or_else(|| {
                Error::reference("price_id", "No price with this id on the product")
            })?,
            None => product
                .prices
                .iter()
                .filter(|p| p.currency == currency && eligible(p))
                .max_by_key(|p| p.is_default)
                .ok_or_else(|| {
                    let kind = if recurring_only {
                        "recurring price"
                    } else {
                        "price"
                    };
                    Error::invalid_field(
                        "currency_code",
                        format!("The product has no {kind} in {currency}"),
                    )
                })?,
        };
    if !eligible(price) {
        return Err(Error::invalid_field(
            "price_id",
            "A plan link needs a recurring price",
        ));
    }
    if price.currency != currency {
        return Err(Error::invalid_field(
            "currency_code",
            format!(
                "Must match the price's currency ({}), not {currency}",
                price.currency
            ),
        ));
    }
    Ok(price)
}
