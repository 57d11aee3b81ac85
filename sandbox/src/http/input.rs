//! Reading requests: JSON bodies field by field and query strings parameter by parameter,
//! collecting every problem into the seeds' `details` so one answer names all of them.

use crate::error::{Details, Error, Result};
use crate::http::rules::{exact_currency, is_date_time, is_uuid, UUID_MESSAGE};
use crate::names::Named;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{header, request::Parts};
use checkout_core::calendar::parse_rfc3339;
use checkout_core::money::parse_decimal;
use checkout_core::pricing::QuoteRequest;
use checkout_core::validate;
use checkout_core::Currency;
use serde_json::{Map, Number, Value};

/// Far above any real request here; a sandbox has no business buffering more.
const MAX_BODY_BYTES: usize = 1024 * 1024;
const MAX_TEXT: usize = 5_000;
const MAX_METADATA_KEYS: usize = 50;

/// A request body that must be a JSON object sent as `application/json`.
pub struct JsonObject(pub Fields);

/// Like [`JsonObject`], but an empty body reads as `{}` (the quote endpoints).
pub struct OptionalJsonObject(pub Fields);

fn is_json(parts_content_type: Option<&header::HeaderValue>) -> bool {
    let Some(value) = parts_content_type.and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let mime = value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
}

async fn read_object(req: Request, allow_empty: bool) -> Result<Fields> {
    let json_type = is_json(req.headers().get(header::CONTENT_TYPE));
    let bytes = axum::body::to_bytes(req.into_body(), MAX_BODY_BYTES)
        .await
        .map_err(|_| Error::payload_too_large())?;
    if allow_empty && bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Fields::new(Map::new()));
    }
    if !json_type {
        return Err(Error::invalid(
            "The request body must be JSON: send the header Content-Type: application/json",
        ));
    }
    let value: Value = serde_json::from_slice(&bytes)
        .map_err(|e| Error::invalid(format!("Malformed JSON in the request body: {e}")))?;
    match value {
        Value::Object(map) => Ok(Fields::new(map)),
        // The optional-body routes read `null` as no body, as the document's `null` allows.
        Value::Null if allow_empty => Ok(Fields::new(Map::new())),
        other => Err(Error::invalid(format!(
            "The request body must be a JSON object, not {}",
            kind(&other)
        ))),
    }
}

impl<S: Send + Sync> FromRequest<S> for JsonObject {
    type Rejection = Error;

    async fn from_request(req: Request, _state: &S) -> Result<Self> {
        read_object(req, false).await.map(JsonObject)
    }
}

impl<S: Send + Sync> FromRequest<S> for OptionalJsonObject {
    type Rejection = Error;

    async fn from_request(req: Request, _state: &S) -> Result<Self> {
        read_object(req, true).await.map(OptionalJsonObject)
    }
}

/// A path's `{id}`. Ids the router cannot decode name nothing, so they answer 404 like any
/// unknown id, in the seeds' error shape.
pub struct Id(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self> {
        axum::extract::Path::<String>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(id)| Id(id))
            .map_err(|_| Error::not_found("Not found"))
    }
}

/// A path's two ids (`/products/{id}/prices/{price_id}/…`), 404 when the router cannot
/// decode them, as [`Id`].
pub struct Ids(pub String, pub String);

impl<S: Send + Sync> FromRequestParts<S> for Ids {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self> {
        axum::extract::Path::<(String, String)>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path((a, b))| Ids(a, b))
            .map_err(|_| Error::not_found("Not found"))
    }
}

/// The JSON type name in the words of the seeds' validation messages.
pub fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// `Invalid enum value. Expected 'product' | 'plan' | 'instant' but received 'other'`, the
/// seeds' own wording.
pub fn enum_message(options: &[&str], received: &str) -> String {
    let expected: Vec<String> = options.iter().map(|o| format!("'{o}'")).collect();
    format!(
        "Invalid enum value. Expected {} but received '{received}'",
        expected.join(" | ")
    )
}

/// A JSON object's fields, read one at a time. Each reader records a problem under the field's
/// name and returns `None`; `finish` turns the problems into one 400.
pub struct Fields {
    map: Map<String, Value>,
    errors: Details,
}

impl Fields {
    pub fn new(map: Map<String, Value>) -> Self {
        Fields {
            map,
            errors: Details::new(),
        }
    }

    pub fn keys(&self) -> Vec<String> {
        self.map.keys().cloned().collect()
    }

    /// Present with a value other than `null`.
    pub fn has(&self, key: &str) -> bool {
        self.map.get(key).is_some_and(|v| !v.is_null())
    }

    /// Present at all, `null` included: PATCH's "set to null to remove".
    pub fn contains(&self, key: &str) -> bool {
        self.map.contains_key(key)
    }

    pub fn raw(&self, key: &str) -> Option<&Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    pub fn fail(&mut self, key: &str, message: impl Into<String>) {
        self.errors
            .entry(key.to_string())
            .or_default()
            .push(message.into());
    }

    pub fn failed(&self, key: &str) -> bool {
        self.errors.contains_key(key)
    }

    pub fn ok(&self) -> bool {
        self.errors.is_empty()
    }

    /// Records "Required" unless the field holds something; a blank string holds nothing.
    pub fn require(&mut self, key: &str) {
        let blank = matches!(self.raw(key), Some(Value::String(s)) if s.trim().is_empty());
        if (blank || !self.has(key)) && !self.failed(key) {
            self.fail(key, "Required");
        }
    }

    fn wrong_type(&mut self, key: &str, expected: &str, got: &Value) {
        self.fail(key, format!("Expected {expected}, received {}", kind(got)));
    }

    pub fn string(&mut self, key: &str) -> Option<String> {
        match self.raw(key)?.clone() {
            Value::String(s) => Some(s),
            other => {
                self.wrong_type(key, "string", &other);
                None
            }
        }
    }

    /// Trimmed free text; blank reads as absent.
    pub fn text(&mut self, key: &str) -> Option<String> {
        self.text_at_most(key, MAX_TEXT)
    }

    /// Trimmed text of at most `max` characters, counted as sent (surrounding spaces
    /// included, as JSON Schema's `maxLength` counts them); blank reads as absent.
    fn text_at_most(&mut self, key: &str, max: usize) -> Option<String> {
        let raw = self.string(key)?;
        if raw.chars().count() > max {
            self.fail(key, format!("Must be at most {max} characters"));
            return None;
        }
        validate::non_blank(Some(&raw))
    }

    /// A short identifier or name: trimmed, at most `max` characters (as sent), no control
    /// characters.
    pub fn short_text(&mut self, key: &str, max: usize) -> Option<String> {
        let text = self.text_at_most(key, max)?;
        if text.chars().any(char::is_control) {
            self.fail(key, "Must not contain control characters");
            return None;
        }
        Some(text)
    }

    /// An id that lomi.'s API takes as a UUID, exactly as sent (no spaces around it, not
    /// blank), read in lower case as the sandbox stores ids; `null` reads as absent.
    pub fn uuid(&mut self, key: &str) -> Option<String> {
        let text = self.string(key)?;
        if !is_uuid(&text) {
            self.fail(key, UUID_MESSAGE);
            return None;
        }
        Some(text.to_ascii_lowercase())
    }

    /// A list of UUIDs (`product_ids`); a wrong item is named `key[i]`.
    pub fn uuids(&mut self, key: &str) -> Option<Vec<String>> {
        let items = self.strings(key)?;
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.into_iter().enumerate() {
            if !is_uuid(&item) {
                self.fail(&format!("{key}[{i}]"), UUID_MESSAGE);
                return None;
            }
            out.push(item.to_ascii_lowercase());
        }
        Some(out)
    }

    /// Refuses each unknown top-level field that looks like one of the body's `T` (its
    /// schema's properties): `currency` for `currency_code`, `productId`, `prodcut_id`. A
    /// field nothing resembles is ignored, as lomi.'s API ignores it.
    pub fn refuse_misspellings<T: utoipa::ToSchema>(&mut self) {
        let known = crate::http::spelling::properties::<T>();
        for key in self.keys() {
            if known.contains(&key) {
                continue;
            }
            if let Some(meant) = crate::http::spelling::meant(&key, &known) {
                self.fail(&key, format!("Unknown field: did you mean {meant}?"));
            }
        }
    }

    pub fn bool(&mut self, key: &str) -> Option<bool> {
        match self.raw(key)?.clone() {
            Value::Bool(b) => Some(b),
            other => {
                self.wrong_type(key, "boolean", &other);
                None
            }
        }
    }

    pub fn number(&mut self, key: &str) -> Option<Number> {
        match self.raw(key)?.clone() {
            Value::Number(n) => Some(n),
            other => {
                self.wrong_type(key, "number", &other);
                None
            }
        }
    }

    /// A whole number within `min..=max`.
    pub fn count(&mut self, key: &str, min: u32, max: u32) -> Option<u32> {
        let n = self.number(key)?;
        match parse_decimal(&n.to_string(), 0) {
            Ok(v) if v >= i64::from(min) && v <= i64::from(max) => Some(v as u32),
            Ok(_) | Err(checkout_core::money::DecimalError::Negative) => {
                self.fail(key, format!("Must be a whole number from {min} to {max}"));
                None
            }
            Err(_) => {
                self.fail(key, "Must be a whole number");
                None
            }
        }
    }

    /// An amount in major units, exactly representable in `currency`, as minor units.
    pub fn amount(&mut self, key: &str, currency: Currency) -> Option<i64> {
        let n = self.number(key)?;
        match parse_decimal(&n.to_string(), currency.digits()) {
            Ok(v) => Some(v),
            Err(e) => {
                self.fail(key, format!("Amount {e} ({currency})"));
                None
            }
        }
    }

    /// An amount that must be greater than zero.
    pub fn positive_amount(&mut self, key: &str, currency: Currency) -> Option<i64> {
        let v = self.amount(key, currency)?;
        if v <= 0 {
            self.fail(key, "Amount must be greater than 0");
            return None;
        }
        Some(v)
    }

    /// An amount when the currency is known, otherwise just a type check so the response still
    /// names every broken field.
    pub fn maybe_amount(&mut self, key: &str, currency: Option<Currency>) -> Option<i64> {
        match currency {
            Some(c) => self.positive_amount(key, c),
            None => {
                self.number(key);
                None
            }
        }
    }

    /// An RFC 3339 date-time, as the document's `format: date-time` says: a date alone, or
    /// one with surrounding spaces, is refused.
    pub fn timestamp(&mut self, key: &str) -> Option<i64> {
        let text = self.string(key)?;
        let parsed = is_date_time(&text).then(|| parse_rfc3339(&text)).flatten();
        if parsed.is_none() {
            self.fail(
                key,
                "Must be an ISO 8601 timestamp such as 2025-12-31T23:59:59Z",
            );
        }
        parsed
    }

    /// A merchant's URL (a redirect target, an image, a webhook endpoint): http(s) only, so a
    /// link can never send a customer to `javascript:`, with a host that is a DNS name or an
    /// IP address, returned as the URL parser writes it ([`crate::urls::merchant_url`]).
    pub fn url(&mut self, key: &str) -> Option<String> {
        let text = self.string(key)?;
        match crate::urls::merchant_url(&text) {
            Ok(url) => Some(url),
            Err(problem) => {
                self.fail(key, format!("URL {}", problem.message()));
                None
            }
        }
    }

    pub fn email(&mut self, key: &str) -> Option<String> {
        let text = self.text(key)?;
        if !validate::email(&text) {
            self.fail(key, "Invalid email");
            return None;
        }
        Some(text)
    }

    /// Merchant metadata: an object, stored as its JSON text.
    pub fn metadata(&mut self, key: &str) -> Option<String> {
        match self.raw(key)?.clone() {
            Value::Object(map) if map.len() > MAX_METADATA_KEYS => {
                self.fail(key, format!("Must have at most {MAX_METADATA_KEYS} keys"));
                None
            }
            Value::Object(map) => serde_json::to_string(&map).ok(),
            other => {
                self.wrong_type(key, "object", &other);
                None
            }
        }
    }

    /// One of `options`, matched exactly as the seeds' enums are.
    pub fn choice<T: Copy>(&mut self, key: &str, options: &[(&str, T)]) -> Option<T> {
        let text = self.string(key)?;
        match options.iter().find(|(name, _)| *name == text) {
            Some((_, value)) => Some(*value),
            None => {
                let names: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
                self.fail(key, enum_message(&names, &text));
                None
            }
        }
    }

    /// One of the enum `T`'s names, matched exactly; a wrong one is answered with all of
    /// them, in the enum's order.
    pub fn choice_of<T: Named>(&mut self, key: &str) -> Option<T> {
        let text = self.string(key)?;
        let value = T::from_name(&text);
        if value.is_none() {
            self.fail(key, enum_message(T::names(), &text));
        }
        value
    }

    pub fn currency(&mut self, key: &str) -> Option<Currency> {
        let text = self.string(key)?;
        match exact_currency(&text) {
            Some(c) => Some(c),
            None => {
                let codes: Vec<&str> = Currency::ALL.iter().map(|c| c.code()).collect();
                self.fail(key, enum_message(&codes, &text));
                None
            }
        }
    }

    pub fn array(&mut self, key: &str) -> Option<Vec<Value>> {
        match self.raw(key)?.clone() {
            Value::Array(items) => Some(items),
            other => {
                self.wrong_type(key, "array", &other);
                None
            }
        }
    }

    pub fn strings(&mut self, key: &str) -> Option<Vec<String>> {
        let items = self.array(key)?;
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.into_iter().enumerate() {
            match item {
                Value::String(s) => out.push(s),
                other => {
                    self.fail(
                        &format!("{key}[{i}]"),
                        format!("Expected string, received {}", kind(&other)),
                    );
                    return None;
                }
            }
        }
        Some(out)
    }

    /// Moves problems found in a nested object (`prices[0]`) under their full path.
    pub fn absorb(&mut self, prefix: &str, nested: Fields) {
        for (key, messages) in nested.errors {
            self.errors
                .entry(format!("{prefix}.{key}"))
                .or_default()
                .extend(messages);
        }
    }

    pub fn finish(self) -> Result<()> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(Error::validation(self.errors))
        }
    }
}

/// The order fields shared by quote and pay requests.
pub fn read_order(f: &mut Fields) -> QuoteRequest {
    QuoteRequest {
        quantity: f.count("quantity", 0, u32::MAX),
        unit_amount: f.number("unit_amount").and_then(
            |n| match checkout_core::money::parse_decimal(&n.to_string(), 0) {
                Ok(v) => Some(v),
                Err(e) => {
                    f.fail("unit_amount", format!("Minor units: {e}"));
                    None
                }
            },
        ),
        coupon_code: f.string("coupon_code"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::query::QueryParams;

    fn fields(json: &str) -> Fields {
        match serde_json::from_str(json) {
            Ok(Value::Object(map)) => Fields::new(map),
            _ => panic!("test JSON must be an object"),
        }
    }

    #[test]
    fn amounts_keep_their_exact_text() {
        let mut f = fields(r#"{"a": 15000.00, "b": 15000.5, "c": 15.99, "d": "5"}"#);
        assert_eq!(f.amount("a", Currency::Xof), Some(15000));
        assert_eq!(f.amount("b", Currency::Xof), None);
        assert_eq!(f.amount("c", Currency::Usd), Some(1599));
        assert_eq!(f.amount("d", Currency::Xof), None);
        let err = f.finish().unwrap_err();
        let details = err.api().details.clone().unwrap_or_default();
        assert!(details.contains_key("b") && details.contains_key("d"));
        assert!(!details.contains_key("a"));
    }

    #[test]
    fn enums_and_types_are_named_like_the_seeds() {
        let mut f = fields(r#"{"link_type": "other", "flag": "yes"}"#);
        f.choice("link_type", &[("product", 1), ("plan", 2), ("instant", 3)]);
        f.bool("flag");
        f.require("title");
        let details = f.finish().unwrap_err().api().details.clone().unwrap();
        assert_eq!(
            details["link_type"],
            vec![
                "Invalid enum value. Expected 'product' | 'plan' | 'instant' but received 'other'"
            ]
        );
        assert_eq!(details["flag"], vec!["Expected boolean, received string"]);
        assert_eq!(details["title"], vec!["Required"]);
    }

    #[test]
    fn enums_are_read_by_their_names_in_their_order() {
        use crate::storage::{LinkType, SessionStatus};
        let mut f = fields(r#"{"link_type": "plan", "other": "other"}"#);
        assert_eq!(f.choice_of::<LinkType>("link_type"), Some(LinkType::Plan));
        assert_eq!(f.choice_of::<LinkType>("other"), None);
        assert_eq!(f.choice_of::<LinkType>("absent"), None);
        let details = f.finish().unwrap_err().api().details.clone().unwrap();
        assert_eq!(
            details["other"],
            vec![
                "Invalid enum value. Expected 'product' | 'plan' | 'instant' but received 'other'"
            ]
        );
        assert_eq!(details.len(), 1);
        let mut q = QueryParams::parse(Some("status=closed"));
        assert_eq!(q.choice_of::<SessionStatus>(&["status"]), None);
        let err = q.finish().unwrap_err();
        assert_eq!(
            err.api().details.clone().unwrap()["status"],
            vec!["Invalid enum value. Expected 'open' | 'completed' | 'expired' but received 'closed'"]
        );
    }
}
