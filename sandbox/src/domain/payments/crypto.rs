//! The sandbox's crypto payments: USDT on TRON (TRC20), the stablecoin and network West
//! African customers use most. Rates are fixed so amounts are reproducible in tests.

use checkout_core::payment::NextAction;
use checkout_core::Currency;

pub const ASSET: &str = "USDT";
pub const NETWORK: &str = "TRC20";

/// Minor units of `currency` one USDT buys in the sandbox: 600 F CFA, 1 USD, 0.92 EUR…
fn minor_per_usdt(currency: Currency) -> i128 {
    match currency {
        Currency::Xof | Currency::Xaf => 600,
        Currency::Gnf => 8_600,
        Currency::Usd => 100,
        Currency::Eur => 92,
        Currency::Ghs => 1_500,
        Currency::Ngn => 160_000,
        Currency::Kes => 13_000,
        Currency::Mro => 36_000,
    }
}

/// `amount` minor units in USDT with 2 decimals, rounded up so the merchant is never paid
/// short: 5 000 F CFA is "8.34".
pub fn usdt_amount(amount: i64, currency: Currency) -> String {
    let per = minor_per_usdt(currency);
    let cents = (i128::from(amount.max(0)) * 100 + per - 1) / per;
    format!("{}.{:02}", cents / 100, cents % 100)
}

const BASE58: &[u8; 58] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/// FNV-1a: a fixed, dependency-free hash, enough to spread an id over an address.
fn fnv1a(bytes: impl IntoIterator<Item = u8>) -> u64 {
    bytes.into_iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A TRON-style deposit address for the payment (34 base58 characters starting with "T"),
/// derived from its id so every read shows the same one. Not a real address: nothing sent
/// to it arrives anywhere.
pub fn address(payment_id: &str) -> String {
    let mut out = String::with_capacity(34);
    out.push('T');
    for i in 0u8..33 {
        let h = fnv1a(payment_id.bytes().chain([0xff, i]));
        out.push(char::from(BASE58[(h % 58) as usize]));
    }
    out
}

/// The wallet URI the QR code carries.
pub fn uri(address: &str, amount: &str) -> String {
    format!("tron:{address}?amount={amount}&token={ASSET}")
}

pub fn send_crypto(payment_id: &str, amount: i64, currency: Currency) -> NextAction {
    let address = address(payment_id);
    let amount = usdt_amount(amount, currency);
    NextAction::SendCrypto {
        uri: uri(&address, &amount),
        address,
        amount,
        asset: ASSET.to_string(),
        network: NETWORK.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_round_up_to_the_cent() {
        assert_eq!(usdt_amount(5_000, Currency::Xof), "8.34");
        assert_eq!(usdt_amount(6_000, Currency::Xof), "10.00");
        assert_eq!(usdt_amount(1_599, Currency::Usd), "15.99");
        assert_eq!(usdt_amount(1_000, Currency::Eur), "10.87");
        assert_eq!(usdt_amount(0, Currency::Xof), "0.00");
    }

    #[test]
    fn addresses_are_stable_and_tron_shaped() {
        let a = address("pay_0123");
        assert_eq!(a, address("pay_0123"));
        assert_ne!(a, address("pay_0124"));
        assert_eq!(a.len(), 34);
        assert!(a.starts_with('T'));
        assert!(a.bytes().all(|b| BASE58.contains(&b)));
        assert_eq!(uri("Tabc", "8.34"), "tron:Tabc?amount=8.34&token=USDT");
    }
}
