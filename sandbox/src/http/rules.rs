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
