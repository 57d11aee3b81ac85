//! The query string of the merchant API's list routes: typed parameters under their spellings
//! (`link_type`, `linkType`), both pagination styles of the seeds and the generated SDK's
//! `sort`, unknown parameters refused.

use crate::error::{Details, Error, Result};
use crate::http::input::enum_message;
use crate::http::rules::{exact_currency, is_date_time, is_uuid, UUID_MESSAGE};
use crate::names::Named;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use checkout_core::calendar::parse_rfc3339;
use checkout_core::wire::Provider;
use checkout_core::Currency;
use serde::Serialize;

/// A query string's parameters, read like [`Fields`]. An empty value (`?limit=`) is refused
/// under the parameter's name: every parameter here is typed, and `""` is none of its values.
pub struct QueryParams {
    pairs: Vec<(String, String)>,
    /// The same pairs as sent, before trimming (ids are taken exactly).
    untrimmed: Vec<(String, String)>,
    /// Every parameter name sent, empty values included.
    sent: Vec<String>,
    /// The names the route asked about; anything else sent is refused by `finish`.
    known: Vec<&'static str>,
    errors: Details,
}

impl<S: Send + Sync> FromRequestParts<S> for QueryParams {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self> {
        Ok(QueryParams::parse(parts.uri.query()))
    }
}

impl QueryParams {
    pub fn parse(query: Option<&str>) -> Self {
        let untrimmed: Vec<(String, String)> =
            form_urlencoded::parse(query.unwrap_or("").as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
        let all: Vec<(String, String)> = untrimmed
            .iter()
            .map(|(k, v)| (k.clone(), v.trim().to_string()))
            .collect();
        let mut sent: Vec<String> = Vec::new();
        for (k, _) in &all {
            if !sent.contains(k) {
                sent.push(k.clone());
            }
        }
        QueryParams {
            pairs: all,
            untrimmed,
            sent,
            known: Vec::new(),
            errors: Details::new(),
        }
    }

    fn know(&mut self, names: &[&'static str]) {
        for name in names {
            if !self.known.contains(name) {
                self.known.push(name);
            }
        }
    }

    fn fail(&mut self, key: &str, message: impl Into<String>) {
        self.errors
            .entry(key.to_string())
            .or_default()
            .push(message.into());
    }

    /// The value under any of `names` (spellings of one parameter: `link_type`, `linkType`);
    /// two different values are a contradiction, not a choice.
    pub fn value(&mut self, names: &[&'static str]) -> Option<String> {
        self.know(names);
        let values: Vec<String> = self
            .pairs
            .iter()
            .filter(|(k, _)| names.contains(&k.as_str()))
            .map(|(_, v)| v.clone())
            .collect();
        let first = values.first()?.clone();
        if values.iter().any(String::is_empty) {
            self.fail(
                names[0],
                "Must not be empty: send a value or leave the parameter out",
            );
            return None;
        }
        if values.iter().any(|v| *v != first) {
            self.fail(
                names[0],
                format!("Given twice with different values ({})", names.join(", ")),
            );
            return None;
        }
        Some(first)
    }

    pub fn present(&mut self, names: &[&'static str]) -> bool {
        self.know(names);
        self.pairs.iter().any(|(k, _)| names.contains(&k.as_str()))
    }

    pub fn choice<T: Copy>(&mut self, names: &[&'static str], options: &[(&str, T)]) -> Option<T> {
        let text = self.value(names)?;
        match options.iter().find(|(name, _)| *name == text) {
            Some((_, value)) => Some(*value),
            None => {
                let list: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
                self.fail(names[0], enum_message(&list, &text));
                None
            }
        }
    }

    /// Like [`Fields::choice_of`], under any of `names`.
    pub fn choice_of<T: Named>(&mut self, names: &[&'static str]) -> Option<T> {
        let text = self.value(names)?;
        let value = T::from_name(&text);
        if value.is_none() {
            self.fail(names[0], enum_message(T::names(), &text));
        }
        value
    }

    /// An id lomi.'s API takes as a UUID, exactly as sent (no spaces around it), read in
    /// lower case as the sandbox stores ids.
    pub fn uuid(&mut self, names: &[&'static str]) -> Option<String> {
        let value = self.value(names)?;
        let exact = self
            .untrimmed
            .iter()
            .filter(|(k, _)| names.contains(&k.as_str()))
            .all(|(_, v)| is_uuid(v));
        if !exact {
            self.fail(names[0], UUID_MESSAGE);
            return None;
        }
        Some(value.to_ascii_lowercase())
    }

    pub fn bool(&mut self, names: &[&'static str]) -> Option<bool> {
        let text = self.value(names)?;
        match text.to_ascii_lowercase().as_str() {
            "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            _ => {
                self.fail(
                    names[0],
                    format!("Expected 'true' or 'false' but received '{text}'"),
                );
                None
            }
        }
    }

    pub fn count(&mut self, names: &[&'static str], min: u32, max: u32) -> Option<u32> {
        let text = self.value(names)?;
        match text.parse::<u32>() {
            Ok(v) if (min..=max).contains(&v) => Some(v),
            _ => {
                self.fail(
                    names[0],
                    format!("Expected a whole number from {min} to {max} but received '{text}'"),
                );
                None
            }
        }
    }

    pub fn currency(&mut self, names: &[&'static str]) -> Option<Currency> {
        let text = self.value(names)?;
        match exact_currency(&text) {
            Some(c) => Some(c),
            None => {
                let codes: Vec<&str> = Currency::ALL.iter().map(|c| c.code()).collect();
                self.fail(names[0], enum_message(&codes, &text));
                None
            }
        }
    }

    /// A provider by its code, exactly as lomi. spells it: `WAVE`, `MTN`.
    pub fn provider(&mut self, names: &[&'static str]) -> Option<Provider> {
        let text = self.value(names)?;
        let found = Provider::ALL.into_iter().find(|p| p.code() == text);
        if found.is_none() {
            let codes: Vec<&str> = Provider::ALL.iter().map(|p| p.code()).collect();
            self.fail(names[0], enum_message(&codes, &text));
        }
        found
    }

    /// A time as RFC 3339 (`2026-12-01T09:00:00Z`, `...+01:00`).
    pub fn timestamp(&mut self, names: &[&'static str]) -> Option<i64> {
        let text = self.value(names)?;
        let parsed = is_date_time(&text).then(|| parse_rfc3339(&text)).flatten();
        if parsed.is_none() {
            self.fail(
                names[0],
                format!(
                    "Expected an RFC 3339 date-time (2026-12-01T09:00:00Z) but received '{text}'"
                ),
            );
        }
        parsed
    }

    /// Both pagination styles of the seeds: the guide's `limit`/`offset` (default 20/0) and
    /// the v1 reference's `page`/`page_size` (default 1/50); never both at once. `sort` is
    /// the generated SDK's `created_at:desc` (the default) or `created_at:asc`.
    pub fn page(&mut self) -> PageRequest {
        let oldest_first = self
            .choice(
                &["sort"],
                &[
                    ("created_at:desc", false),
                    ("created_at:asc", true),
                    ("-created_at", false),
                    ("created_at", true),
                ],
            )
            .unwrap_or(false);
        let page_style = self.present(&["page", "page_size", "pageSize"]);
        let offset_style = self.present(&["limit", "offset"]);
        if page_style && offset_style {
            self.fail(
                "page",
                "Use either page/page_size or limit/offset, not both",
            );
        }
        if page_style {
            let size = self
                .count(&["page_size", "pageSize"], 1, MAX_PAGE_SIZE)
                .unwrap_or(50);
            let page = self.count(&["page"], 1, 1_000_000).unwrap_or(1);
            PageRequest {
                limit: size,
                offset: (page - 1).saturating_mul(size),
                oldest_first,
            }
        } else {
            PageRequest {
                limit: self.count(&["limit"], 1, MAX_PAGE_SIZE).unwrap_or(20),
                offset: self.count(&["offset"], 0, u32::MAX).unwrap_or(0),
                oldest_first,
            }
        }
    }

    /// One 400 naming every problem, unknown parameters included: a filter with a typo must
    /// not silently return everything.
    pub fn finish(mut self) -> Result<()> {
        let unknown: Vec<String> = self
            .sent
            .iter()
            .filter(|k| !self.known.contains(&k.as_str()))
            .cloned()
            .collect();
        if !unknown.is_empty() {
            let takes = self.known.join(", ");
            for name in unknown {
                self.fail(
                    &name,
                    format!("Unknown query parameter: this route takes {takes}"),
                );
            }
        }
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(Error::invalid("Invalid query parameters").with_details(self.errors))
        }
    }
}

pub const MAX_PAGE_SIZE: u32 = 100;

pub use crate::storage::PageRequest;

/// The pagination query every list route takes, in both seed styles: `limit`/`offset`, or
/// `page`/`page_size` (not both). The document lists `limit`/`offset` at the bare paths and
/// `page`/`page_size` under `/v1` (`openapi::finish`); the server takes either on both.
#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct PageQuery {
    /// Results per page, default 20, max 100
    #[param(minimum = 1, maximum = 100)]
    limit: Option<u32>,
    /// Pagination offset, default 0
    #[param(value_type = Option<u64>, minimum = 0, maximum = 4_294_967_295_i64)]
    offset: Option<u32>,
    /// Page number (instead of offset), default 1
    #[param(minimum = 1, maximum = 1000000)]
    page: Option<u32>,
    /// Page size (with page), default 50, max 100
    #[param(minimum = 1, maximum = 100)]
    page_size: Option<u32>,
    /// `created_at:desc` (newest first, the default) or `created_at:asc`
    #[param(value_type = Option<String>, pattern = "^(created_at:desc|created_at:asc|-created_at|created_at)$")]
    sort: Option<String>,
}

/// Both styles' numbers, so a client of either finds its own.
#[derive(Clone, Copy, Debug, Serialize, utoipa::ToSchema)]
pub struct Pagination {
    pub total: u64,
    pub limit: u32,
    pub offset: u32,
    pub page: u32,
    pub page_size: u32,
}

impl PageRequest {
    pub fn with_total(self, total: u64) -> Pagination {
        Pagination {
            total,
            limit: self.limit,
            offset: self.offset,
            // In u64: offset 4294967295 with limit 1 is page 4294967296, past u32.
            page: u32::try_from(u64::from(self.offset / self.limit.max(1)) + 1).unwrap_or(u32::MAX),
            page_size: self.limit,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pagination_styles() {
        let mut q = QueryParams::parse(Some("page=3&page_size=10"));
        assert_eq!(
            q.page(),
            PageRequest {
                limit: 10,
                offset: 20,
                oldest_first: false
            }
        );
        assert!(q.finish().is_ok());
        let mut q = QueryParams::parse(Some("limit=5&offset=15"));
        let p = q.page();
        assert_eq!(p.with_total(40).page, 4);
        let mut q = QueryParams::parse(None);
        assert_eq!(
            q.page(),
            PageRequest {
                limit: 20,
                offset: 0,
                oldest_first: false
            }
        );
        let mut q = QueryParams::parse(Some("sort=created_at%3Aasc"));
        assert!(q.page().oldest_first);
        assert!(q.finish().is_ok());
        let mut q = QueryParams::parse(Some("sort=amount"));
        q.page();
        assert!(q.finish().is_err());
        let mut q = QueryParams::parse(Some("page=1&limit=5"));
        q.page();
        assert!(q.finish().is_err());
        let mut q = QueryParams::parse(Some("page_size=101"));
        q.page();
        assert!(q.finish().is_err());
    }

    #[test]
    fn aliases_must_agree() {
        let mut q = QueryParams::parse(Some("link_type=product&linkType=product"));
        assert_eq!(
            q.value(&["link_type", "linkType"]).as_deref(),
            Some("product")
        );
        let mut q = QueryParams::parse(Some("link_type=product&linkType=plan"));
        assert_eq!(q.value(&["link_type", "linkType"]), None);
        assert!(q.finish().is_err());
    }
}
