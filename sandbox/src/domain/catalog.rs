//! The catalog's rules: which of a product's prices a link or session sells, and what a
//! multi-product cart may hold.

use crate::error::{Error, Result};
use crate::storage::{Db, LineItem, PriceRow, ProductRow};
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

/// The currency a link or session is in when the merchant names none: its product's default
/// price's, else the sandbox merchant's XOF.
pub fn default_currency(product: Option<&ProductRow>) -> Currency {
    product
        .and_then(|p| p.prices.iter().max_by_key(|p| p.is_default))
        .map_or(Currency::Xof, |p| p.currency)
}

/// One cart line as the merchant asked for it: a price of theirs, how many, its metadata.
pub struct CartRequestLine {
    pub price_id: String,
    pub quantity: u32,
    /// JSON text.
    pub metadata: Option<String>,
}

/// A multi-product cart priced from the catalog: each line's price must be the merchant's,
/// active, standard and one-time (pay-what-you-want prices and subscriptions are sold alone),
/// and every line in one currency, `currency` when the merchant named one. Problems name the
/// line: `line_items[1].price_id`.
pub fn price_cart(
    db: &Db,
    merchant_id: &str,
    lines: &[CartRequestLine],
    currency: Option<Currency>,
) -> Result<(Vec<LineItem>, Currency)> {
    let mut priced = Vec::with_capacity(lines.len());
    let mut cart_currency = currency;
    for (i, line) in lines.iter().enumerate() {
        let field = format!("line_items[{i}].price_id");
        let refuse = |message: String| Error::invalid_field(&field, message);
        let price = db.price(merchant_id, &line.price_id)?.ok_or_else(|| {
            Error::reference(&field, format!("No price with id {}", line.price_id))
        })?;
        let product = db
            .product(merchant_id, &price.product_id)?
            .ok_or_else(|| Error::reference(&field, "The price's product no longer exists"))?;
        if price.pay_what_you_want {
            return Err(refuse(
                "A pay-what-you-want price cannot be in a cart: sell it alone".into(),
            ));
        }
        if price.billing_interval.is_some() {
            return Err(refuse(
                "A subscription cannot be in a cart: sell it alone".into(),
            ));
        }
        if !price.is_active || !product.is_active {
            return Err(refuse("This price or its product is not active".into()));
        }
        match cart_currency {
            Some(c) if c != price.currency => {
                return Err(refuse(format!(
                    "Every line must be in {c}; this price is in {}",
                    price.currency
                )))
            }
            _ => cart_currency = Some(price.currency),
        }
        priced.push(LineItem {
            price_id: Some(price.id.clone()),
            product_id: Some(product.id.clone()),
            name: product.name.clone(),
            unit_amount: price.amount,
            quantity: line.quantity,
            metadata: line.metadata.clone(),
        });
    }
    let currency = cart_currency.unwrap_or(Currency::Xof);
    Ok((priced, currency))
}
