//! Unguessable identifiers. Anyone holding a link or session id can open its checkout, so
//! ids carry 128 random bits from the operating system.

use std::fmt::Write;

fn random_bytes() -> [u8; 16] {
    let mut bytes = [0u8; 16];
    // Without OS randomness every id would be guessable; refusing to run is the safe answer.
    getrandom::fill(&mut bytes).expect("the operating system's random number generator failed");
    bytes
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::with_capacity(32), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// A random UUID v4: the id of every object the merchant API returns, as lomi.'s API and
/// its SDKs have them.
pub fn uuid() -> String {
    let mut b = random_bytes();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex(&b);
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// `prefix` followed by 32 random hex digits: `pay_…` for the page's payment attempts.
pub fn prefixed(prefix: &str) -> String {
    format!("{prefix}{}", hex(&random_bytes()))
}

pub fn session() -> String {
    uuid()
}

pub fn product() -> String {
    uuid()
}

pub fn price() -> String {
    uuid()
}

pub fn coupon() -> String {
    uuid()
}

pub fn transaction() -> String {
    uuid()
}

pub fn test_api_key() -> String {
    prefixed("lomi_sk_test_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        let u = uuid();
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        assert!(matches!(&u[19..20], "8" | "9" | "a" | "b"));
        for id in [session(), product(), price(), coupon(), transaction()] {
            assert_eq!((id.len(), &id[14..15]), (36, "4"));
        }
        assert_ne!(session(), session());
        let p = prefixed("pay_");
        assert!(p.starts_with("pay_") && p.len() == 36);
        assert!(p[4..].bytes().all(|b| b.is_ascii_hexdigit()));
        assert!(test_api_key().starts_with("lomi_sk_test_"));
    }
}
