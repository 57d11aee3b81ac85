//! How a webhook delivery is signed, and how a receiver checks it.
//!
//! lomi.'s scheme: `X-Lomi-Signature` is the hex HMAC-SHA256 of the raw body, keyed with the
//! endpoint's secret (`whsec_…`, the whole string). A merchant's verification code written
//! for lomi. works unchanged here. The sandbox adds `X-Lomi-Timestamp` (unix seconds of the
//! attempt) and `X-Lomi-Timestamp-Signature`, the HMAC of `"{timestamp}.{raw body}"`, so a
//! receiver can also refuse an old delivery replayed at it.

use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

fn mac(secret: &str, parts: &[&[u8]]) -> HmacSha256 {
    // HMAC takes a key of any length.
    let mut mac = HmacSha256::new_from_slice(secret.as_bytes()).expect("HMAC accepts any key");
    for part in parts {
        mac.update(part);
    }
    mac
}

/// `X-Lomi-Signature`: hex HMAC-SHA256 of the raw body.
pub fn signature(secret: &str, body: &[u8]) -> String {
    hex::encode(mac(secret, &[body]).finalize().into_bytes())
}

/// `X-Lomi-Timestamp-Signature`: hex HMAC-SHA256 of `"{timestamp}.{raw body}"`.
pub fn timestamp_signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let ts = timestamp.to_string();
    hex::encode(
        mac(secret, &[ts.as_bytes(), b".", body])
            .finalize()
            .into_bytes(),
    )
}

/// Whether `signature_hex` is `body`'s signature with `secret`, compared in constant time.
pub fn verify(secret: &str, body: &[u8], signature_hex: &str) -> bool {
    match hex::decode(signature_hex.trim()) {
        Ok(expected) => mac(secret, &[body]).verify_slice(&expected).is_ok(),
        Err(_) => false,
    }
}

/// Whether the timestamped signature holds and the timestamp is within `tolerance_secs` of
/// `now`: what a receiver that refuses replays checks.
pub fn verify_timestamped(
    secret: &str,
    body: &[u8],
    timestamp: &str,
    signature_hex: &str,
    now: i64,
    tolerance_secs: i64,
) -> bool {
    let Ok(ts) = timestamp.trim().parse::<i64>() else {
        return false;
    };
    if (now - ts).abs() > tolerance_secs {
        return false;
    }
    match hex::decode(signature_hex.trim()) {
        Ok(expected) => mac(secret, &[ts.to_string().as_bytes(), b".", body])
            .verify_slice(&expected)
            .is_ok(),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_the_hex_hmac_sha256_of_the_raw_body() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        assert_eq!(
            signature("Jefe", b"what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        let body = br#"{"id":"e","event":"PAYMENT_SUCCEEDED"}"#;
        let sig = signature("whsec_abc", body);
        assert!(verify("whsec_abc", body, &sig));
        assert!(!verify("whsec_abd", body, &sig));
        assert!(!verify("whsec_abc", b"{}", &sig));
        assert!(!verify("whsec_abc", body, "not hex"));
    }

    #[test]
    fn the_timestamped_signature_refuses_old_or_moved_timestamps() {
        let body = b"{}";
        let sig = timestamp_signature("whsec_abc", 1_700_000_000, body);
        assert!(verify_timestamped(
            "whsec_abc",
            body,
            "1700000000",
            &sig,
            1_700_000_100,
            300
        ));
        assert!(!verify_timestamped(
            "whsec_abc",
            body,
            "1700000000",
            &sig,
            1_700_000_400,
            300
        ));
        assert!(!verify_timestamped(
            "whsec_abc",
            body,
            "1700000001",
            &sig,
            1_700_000_000,
            300
        ));
        assert!(!verify_timestamped(
            "whsec_abc",
            body,
            "soon",
            &sig,
            1_700_000_000,
            300
        ));
    }
}
