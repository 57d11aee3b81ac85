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

/// A random UUID v4, the id format of the v1 reference's payment links.
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

/// `prefix` followed by 32 random hex digits: `cs_…`, `prod_…`, `price_…`, `coupon_…`.
pub fn prefixed(prefix: &str) -> String {
    format!("{prefix}{}", hex(&random_bytes()))
}

pub fn session() -> String {
    prefixed("cs_")
}

pub fn product() -> String {
    prefixed("prod_")
}

pub fn price() -> String {
    prefixed("price_")
}

pub fn coupon() -> String {
    prefixed("coupon_")
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
        let s = session();
        assert!(s.starts_with("cs_") && s.len() == 35);
        assert!(s[3..].bytes().all(|b| b.is_ascii_hexdigit()));
        assert_ne!(session(), session());
        assert!(test_api_key().starts_with("lomi_sk_test_"));
    }
}
