//! What each payment provider accepts: currencies, amount limits, and what it needs from
//! the customer.

use crate::money::Currency;
use crate::wire::Provider;

/// How the customer completes a payment with the provider, which decides what the form asks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    /// Mobile money: needs the customer's phone number.
    MobileMoney,
    /// A hosted card page: card data never touches the checkout page.
    Card,
    Crypto,
}

pub fn flow(provider: Provider) -> Flow {
    match provider {
        Provider::Wave | Provider::Orange | Provider::Mtn => Flow::MobileMoney,
        Provider::Stripe => Flow::Card,
        Provider::Nowpayments => Flow::Crypto,
    }
}

pub fn needs_phone(provider: Provider) -> bool {
    flow(provider) == Flow::MobileMoney
}

/// How a provider collects a subscription's later charges: the rule checkout applies to
/// plans, from what each provider can really do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Renewal {
    /// The card is saved with the customer's consent and charged again off-session at each
    /// renewal (Stripe).
    Automatic,
    /// No wallet lets a merchant pull money: each renewal is a new payment request the
    /// customer approves on their phone (Wave: a payment link; Orange Money: a code they
    /// generate; MTN MoMo: a prompt).
    ApprovedEachTime,
    /// Each payment is a transfer the customer sends: nothing can be charged again, so
    /// plans do not offer it (crypto).
    Impossible,
}

pub fn renewal(provider: Provider) -> Renewal {
    match flow(provider) {
        Flow::Card => Renewal::Automatic,
        Flow::MobileMoney => Renewal::ApprovedEachTime,
        Flow::Crypto => Renewal::Impossible,
    }
}

/// Whether a subscription may be started with this provider.
pub fn can_renew(provider: Provider) -> bool {
    renewal(provider) != Renewal::Impossible
}

/// The amounts (minor units) a provider takes in a currency, or `None` when it does not take
/// the currency at all. Mobile-money wallets cap a single payment; card and crypto processors
/// have a floor below which fees exceed the payment.
pub fn limits(provider: Provider, currency: Currency) -> Option<(i64, i64)> {
    use Currency::*;
    match (provider, currency) {
        (Provider::Wave, Xof) => Some((100, 2_000_000)),
        (Provider::Orange, Xof | Xaf) => Some((100, 1_500_000)),
        (Provider::Orange, Gnf) => Some((1_000, 50_000_000)),
        (Provider::Mtn, Xof | Xaf) => Some((100, 1_000_000)),
        (Provider::Mtn, Ghs) => Some((100, 1_000_000)),
        (Provider::Mtn, Gnf) => Some((1_000, 50_000_000)),
        (Provider::Stripe, Xof | Xaf | Gnf) => Some((500, 100_000_000)),
        (Provider::Stripe, _) => Some((50, 99_999_999)),
        (Provider::Nowpayments, Xof | Xaf) => Some((2_000, 100_000_000)),
        (Provider::Nowpayments, Gnf) => Some((30_000, 1_000_000_000)),
        (Provider::Nowpayments, _) => Some((500, 99_999_999)),
        _ => None,
    }
}

/// Why a provider cannot take this total.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unavailable {
    Currency,
    BelowMinimum(i64),
    AboveMaximum(i64),
}

/// Whether the provider can take `total` now. A zero total needs no provider at all.
pub fn check_amount(provider: Provider, currency: Currency, total: i64) -> Result<(), Unavailable> {
    let (min, max) = limits(provider, currency).ok_or(Unavailable::Currency)?;
    if total < min {
        Err(Unavailable::BelowMinimum(min))
    } else if total > max {
        Err(Unavailable::AboveMaximum(max))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_what_can_be_charged_again_starts_a_subscription() {
        assert_eq!(renewal(Provider::Stripe), Renewal::Automatic);
        for p in [Provider::Wave, Provider::Orange, Provider::Mtn] {
            assert_eq!(renewal(p), Renewal::ApprovedEachTime, "{p:?}");
            assert!(can_renew(p));
        }
        assert!(!can_renew(Provider::Nowpayments));
    }

    #[test]
    fn limits_by_provider_and_currency() {
        assert_eq!(check_amount(Provider::Wave, Currency::Xof, 5000), Ok(()));
        assert_eq!(
            check_amount(Provider::Wave, Currency::Usd, 1599),
            Err(Unavailable::Currency)
        );
        assert_eq!(
            check_amount(Provider::Mtn, Currency::Xof, 1_500_000),
            Err(Unavailable::AboveMaximum(1_000_000))
        );
        assert_eq!(
            check_amount(Provider::Nowpayments, Currency::Xof, 1000),
            Err(Unavailable::BelowMinimum(2000))
        );
        assert_eq!(check_amount(Provider::Stripe, Currency::Usd, 1599), Ok(()));
        assert!(needs_phone(Provider::Orange));
        assert!(!needs_phone(Provider::Stripe));
    }
}
