//! The seeds' error object, `{"error": {"status", "code", "message", "details", "timestamp"}}`,
//! as the one shape every failure of every route takes, the page's API included.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use checkout_core::calendar::to_rfc3339;
use checkout_core::pricing::QuoteError;
use checkout_core::wire::{conflict, ApiError, ErrorBody, ErrorCode};
use checkout_core::Currency;
use std::collections::BTreeMap;
use std::time::{SystemTime, UNIX_EPOCH};

/// Messages per request field, as the seeds' `details`.
pub type Details = BTreeMap<String, Vec<String>>;

#[derive(Debug)]
pub struct Error(Box<ApiError>);

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    fn new(status: u16, code: ErrorCode, message: impl Into<String>) -> Self {
        // Error timestamps say when the server answered, so they read the wall clock even when
        // a test has moved the sandbox's own clock.
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        Error(Box::new(ApiError {
            status,
            code,
            message: message.into(),
            details: None,
            reason: None,
            timestamp: to_rfc3339(now),
        }))
    }

    /// The HTTP status the error answers with.
    pub fn status(&self) -> u16 {
        self.0.status
    }

    fn with_code(code: ErrorCode, message: impl Into<String>) -> Self {
        Error::new(code.status(), code, message)
    }

    pub fn with_details(mut self, details: Details) -> Self {
        if !details.is_empty() {
            self.0.details = Some(details);
        }
        self
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        Error::with_code(ErrorCode::InvalidRequest, message)
    }

    /// A request whose fields failed validation; `details` names each field.
    pub fn validation(details: Details) -> Self {
        Error::invalid("Invalid request data").with_details(details)
    }

    pub fn invalid_field(field: &str, message: impl Into<String>) -> Self {
        Error::validation(one(field, message))
    }

    /// An id in the request that names nothing of this merchant's.
    pub fn reference(field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        Error::with_code(ErrorCode::InvalidReference, message.clone())
            .with_details(one(field, message))
    }

    pub fn unauthorized(message: impl Into<String>) -> Self {
        Error::with_code(ErrorCode::Unauthorized, message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Error::with_code(ErrorCode::NotFound, message)
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        Error::with_code(ErrorCode::ResourceConflict, message)
    }

    /// A conflict with the checkout's state, with its machine reason in `details.conflict`
    /// (one of [`conflict`]'s values) for the page to word in the customer's language.
    pub fn checkout_conflict(message: impl Into<String>, why: &str) -> Self {
        Error::conflict(message).with_details(one(conflict::DETAIL, why))
    }

    /// Adds one message under `key` in `details`.
    pub fn with_detail(mut self, key: &str, message: impl Into<String>) -> Self {
        self.0
            .details
            .get_or_insert_with(Details::new)
            .entry(key.to_string())
            .or_default()
            .push(message.into());
        self
    }

    /// Too many requests: the caller should wait (the response's `Retry-After` says how long).
    pub fn rate_limited(message: impl Into<String>) -> Self {
        Error::with_code(ErrorCode::RateLimited, message)
    }

    /// The seeds have no code of their own for these; INVALID_REQUEST with the true HTTP status
    /// keeps clients that switch on `code` working.
    pub fn method_not_allowed() -> Self {
        Error::new(
            405,
            ErrorCode::InvalidRequest,
            "Method not allowed on this path",
        )
    }

    /// A route of lomi.'s API the sandbox does not serve: 501, naming the route and why.
    pub fn not_implemented(route: &str, why: &str) -> Self {
        Error::with_code(
            ErrorCode::NotImplemented,
            format!("{route} is {why}, not served by the sandbox"),
        )
        .with_detail("route", route)
    }

    pub fn payload_too_large() -> Self {
        Error::new(413, ErrorCode::InvalidRequest, "Request body is too large")
    }

    pub fn unsupported_media_type(message: impl Into<String>) -> Self {
        Error::new(415, ErrorCode::InvalidRequest, message)
    }

    /// An order the server will not price: the field, a readable message, and the machine
    /// reason the page words in the customer's language.
    pub fn quote(reason: QuoteError, currency: Currency) -> Self {
        let amount = |minor: i64| {
            format!(
                "{} {currency}",
                checkout_core::Money::new(minor, currency).major_string()
            )
        };
        let message = match &reason {
            QuoteError::QuantityNotAllowed => "Cannot be changed for this checkout".to_string(),
            QuoteError::QuantityOutOfRange { min, max } => {
                format!("Must be between {min} and {max}")
            }
            QuoteError::AmountNotAllowed => "Cannot be chosen for this checkout".to_string(),
            QuoteError::AmountBelowMinimum { minimum } => {
                format!("Must be at least {}", amount(*minimum))
            }
            QuoteError::AmountAboveMaximum { maximum } => {
                format!("Must be at most {}", amount(*maximum))
            }
        };
        let field = reason.field();
        let mut error = Error::invalid(format!("This order cannot be priced ({field})"))
            .with_details(one(field, message));
        error.0.reason = Some(reason);
        error
    }

    /// Logs SQLite's message (which names tables and columns, never the values written).
    pub fn database(error: rusqlite::Error) -> Self {
        tracing::error!(%error, "database error");
        Error::with_code(ErrorCode::DatabaseError, "The sandbox database failed")
    }

    /// A bug or an impossible state, logged with `what`: ids and the sandbox's own messages
    /// only, never a request's data (a customer's details, the merchant's key).
    pub fn internal(what: impl std::fmt::Display) -> Self {
        tracing::error!(what = %what, "internal error");
        Error::with_code(ErrorCode::InternalError, "Unexpected server error")
    }

    pub fn api(&self) -> &ApiError {
        &self.0
    }
}

fn one(field: &str, message: impl Into<String>) -> Details {
    Details::from([(field.to_string(), vec![message.into()])])
}

impl From<rusqlite::Error> for Error {
    fn from(error: rusqlite::Error) -> Self {
        Error::database(error)
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.0.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = ErrorBody { error: *self.0 };
        json_response(status, &body)
    }
}

/// The handler for a route that matched but not its method.
pub async fn method_not_allowed() -> Response {
    Error::method_not_allowed().into_response()
}

/// Serialises `value` as the response body. Serialising our own types cannot fail short of a
/// bug, and then the client still gets the error shape rather than a dropped connection.
pub fn json_response<T: serde::Serialize>(status: StatusCode, value: &T) -> Response {
    match serde_json::to_vec(value) {
        Ok(bytes) => (
            status,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            bytes,
        )
            .into_response(),
        Err(error) => {
            tracing::error!(%error, "could not serialise a response");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                [(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                )],
                r#"{"error":{"status":500,"code":"INTERNAL_ERROR","message":"Unexpected server error","timestamp":"1970-01-01T00:00:00Z"}}"#,
            )
                .into_response()
        }
    }
}
