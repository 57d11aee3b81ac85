//! What the merchant pays per payment. lomi.'s merchant absorbs the processing fee (the
//! customer pays the quoted total), so a transaction's net amount is its gross less this fee.
//! The sandbox's rates are illustrative, one per provider, in basis points of the amount
//! charged; a free order costs nothing.

use crate::money::Currency;
use crate::wire::Provider;

/// The sandbox's rate for `provider`, in basis points (1/100 of a percent).
pub fn rate_basis_points(provider: Provider) -> i64 {
    match provider {
        Provider::Wave => 100,
        Provider::Orange | Provider::Mtn => 150,
        Provider::Stripe => 290,
        Provider::Nowpayments => 100,
    }
}

/// The fee on `amount` (minor units of `currency`), rounded half up to the currency's minor
/// unit; `None` (a free order) costs nothing. Never more than the amount.
pub fn processing_fee(provider: Option<Provider>, amount: i64, _currency: Currency) -> i64 {
    let Some(provider) = provider else { return 0 };
    if amount <= 0 {
        return 0;
    }
    let bps = i128::from(rate_basis_points(provider));
    let fee = (i128::from(amount) * bps + 5_000) / 10_000;
    (fee as i64).min(amount)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fees_are_whole_minor_units_rounded_half_up() {
        assert_eq!(
            processing_fee(Some(Provider::Wave), 10_000, Currency::Xof),
            100
        );
        assert_eq!(
            processing_fee(Some(Provider::Mtn), 5_000, Currency::Xof),
            75
        );
        // 1.5% of 1 050 is 15.75: 16.
        assert_eq!(
            processing_fee(Some(Provider::Orange), 1_050, Currency::Xof),
            16
        );
        // 2.9% of 15.99 USD (1599 cents) is 46.371 cents: 46.
        assert_eq!(
            processing_fee(Some(Provider::Stripe), 1_599, Currency::Usd),
            46
        );
    }

    #[test]
    fn a_free_order_costs_nothing() {
        assert_eq!(processing_fee(None, 10_000, Currency::Xof), 0);
        assert_eq!(processing_fee(Some(Provider::Wave), 0, Currency::Xof), 0);
    }
}
