//! Pieces of JSON Schema for the rules utoipa's attributes cannot state (conditions between
//! fields, per-currency amounts). Request structs declare their `conditions()` with these;
//! `openapi::finish` adds them to the served document.

use checkout_core::money::MAX_AMOUNT;
use checkout_core::Currency;
use serde_json::{json, Map, Value};

/// Merchant metadata: at most 50 keys (utoipa has no `max_properties` for a field).
pub fn metadata_keys() -> Value {
    json!({"properties": {"metadata": {"maxProperties": 50}}})
}

/// `field` holds `value` (and is present).
pub fn is(field: &str, value: impl Into<Value>) -> Value {
    json!({"properties": {field: {"const": value.into()}}, "required": [field]})
}

/// Each of `fields` is present and not `null`.
pub fn present(fields: &[&str]) -> Value {
    let properties: Map<String, Value> = fields
        .iter()
        .map(|f| (f.to_string(), json!({"not": {"type": "null"}})))
        .collect();
    json!({"required": fields, "properties": properties})
}

/// Each of `fields` is absent or `null`.
pub fn absent(fields: &[&str]) -> Value {
    let properties: Map<String, Value> = fields
        .iter()
        .map(|f| (f.to_string(), json!({"type": "null"})))
        .collect();
    json!({ "properties": properties })
}

/// An amount `field` in major units is exact in the currency named by `currency_field`
/// (whole XOF, XAF and GNF; at most 2 decimals otherwise) and at most
/// `checkout_core::money::MAX_AMOUNT` minor units.
pub fn currency_digits(field: &str, currency_field: &str) -> Value {
    let mut by_digits: Vec<(u32, Vec<&str>)> = Vec::new();
    for c in Currency::ALL {
        let digits = c.digits();
        match by_digits.iter_mut().find(|(d, _)| *d == digits) {
            Some((_, codes)) => codes.push(c.code()),
            None => by_digits.push((digits, vec![c.code()])),
        }
    }
    let rules: Vec<Value> = by_digits
        .into_iter()
        .map(|(digits, codes)| {
            let scale = 10_i64.pow(digits);
            let step = if digits == 0 {
                json!(1)
            } else {
                json!(1.0 / scale as f64)
            };
            json!({
                "if": {"properties": {currency_field: {"enum": codes}}, "required": [currency_field]},
                "then": {"properties": {field: {"anyOf": [
                    {"type": "null"},
                    {"multipleOf": step, "maximum": MAX_AMOUNT / scale},
                ]}}},
            })
        })
        .collect();
    json!({ "allOf": rules })
}

/// Without `currency_field`, amounts are XOF's (the sandbox merchant's currency): whole, and at
/// most `MAX_AMOUNT`.
pub fn default_currency_amounts(fields: &[&str], currency_field: &str) -> Value {
    let properties: Map<String, Value> = fields
        .iter()
        .map(|f| {
            (
                f.to_string(),
                json!({"anyOf": [{"type": "null"}, {"multipleOf": 1, "maximum": MAX_AMOUNT}]}),
            )
        })
        .collect();
    json!({
        "if": {"not": present(&[currency_field])},
        "then": {"properties": properties},
    })
}

/// A currency code exactly as the document lists it: `XOF`, not `xof` or ` XOF`.
pub fn exact_currency(text: &str) -> Option<Currency> {
    Currency::ALL.iter().copied().find(|c| c.code() == text)
}

/// The shape of an RFC 3339 date-time (`2025-12-31T23:59:59Z`, `...+01:00`): a `T` after the
/// date, an offset at the end, nothing around it. The values are checked by `parse_rfc3339`.
pub fn is_date_time(text: &str) -> bool {
    let b = text.as_bytes();
    let two = |d: &[u8]| -> Option<u8> {
        d.iter()
            .all(u8::is_ascii_digit)
            .then(|| (d[0] - b'0') * 10 + (d[1] - b'0'))
    };
    let offset_ok = match b.last() {
        Some(b'Z' | b'z') => true,
        _ if b.len() >= 6 => {
            let o = &b[b.len() - 6..];
            matches!(o[0], b'+' | b'-')
                && o[3] == b':'
                && two(&o[1..3]).is_some_and(|h| h < 24)
                && two(&o[4..6]).is_some_and(|m| m < 60)
        }
        _ => false,
    };
    b.len() > 19 && matches!(b[10], b'T' | b't') && offset_ok && text.trim() == text
}

/// An id as lomi.'s API takes it: a UUID, 8-4-4-4-12 hex digits of either case, nothing
/// around it. The document states it as `format: uuid` with this pattern.
pub const UUID_PATTERN: &str =
    "^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$";

/// What a refused id is told.
pub const UUID_MESSAGE: &str = "Must be a UUID, such as 3f6c2a1e-8b4d-4c7a-9e2f-1a2b3c4d5e6f";

/// Whether `text` matches [`UUID_PATTERN`].
pub fn is_uuid(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}
