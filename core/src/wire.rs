//! The public checkout API's JSON, as the page reads it and the sandbox writes it, and the
//! error object both APIs share (the seeds' `{"error": {...}}`).

use crate::money::Currency;
use crate::payment::Payment;
use crate::pricing::{PricingModel, Quote, QuoteError, RecurringTerms};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What the customer opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CheckoutKind {
    Instant,
    Product,
    Plan,
    /// A checkout session a merchant's site created for one customer.
    Session,
}

impl CheckoutKind {
    /// The page route segment for this kind: `/instant/{id}`, `/checkout/{id}`.
    pub fn route(self) -> &'static str {
        match self {
            CheckoutKind::Instant => "instant",
            CheckoutKind::Product => "product",
            CheckoutKind::Plan => "plan",
            CheckoutKind::Session => "checkout",
        }
    }
}

/// Whether the customer can pay, and if not, why.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CheckoutStatus {
    Open,
    /// The merchant switched the link off.
    Inactive,
    Expired,
    /// The session was paid.
    Completed,
}

/// Payment providers by lomi.'s codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "UPPERCASE")]
pub enum Provider {
    Wave,
    Orange,
    Mtn,
    /// Card payments, through a hosted card page.
    Stripe,
    /// Crypto.
    Nowpayments,
}

impl Provider {
    pub const ALL: [Provider; 5] = [
        Provider::Wave,
        Provider::Orange,
        Provider::Mtn,
        Provider::Stripe,
        Provider::Nowpayments,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Provider::Wave => "WAVE",
            Provider::Orange => "ORANGE",
            Provider::Mtn => "MTN",
            Provider::Stripe => "STRIPE",
            Provider::Nowpayments => "NOWPAYMENTS",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Provider::ALL
            .into_iter()
            .find(|p| p.code().eq_ignore_ascii_case(code.trim()))
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicMerchant {
    pub name: String,
    pub logo_url: Option<String>,
    /// ISO 3166 alpha-2 country of the merchant.
    pub country: Option<String>,
}

/// Details the merchant already knows about the customer, to pre-fill the form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomerPrefill {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// A payment link or checkout session as the customer may see it: no private description,
/// no merchant metadata, no keys.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicCheckout {
    pub kind: CheckoutKind,
    pub id: String,
    pub status: CheckoutStatus,
    /// A test-mode link or session: no real money moves.
    pub test_mode: bool,
    pub merchant: PublicMerchant,
    pub title: String,
    pub description: Option<String>,
    pub image_url: Option<String>,
    pub currency: Currency,
    pub pricing: PricingModel,
    pub allow_quantity: bool,
    pub max_quantity: u32,
    pub allow_coupon_code: bool,
    pub require_billing_address: bool,
    /// The providers the customer may choose from, already resolved against the merchant's.
    pub allowed_providers: Vec<Provider>,
    pub recurring: Option<RecurringTerms>,
    /// RFC 3339.
    pub expires_at: Option<String>,
    /// Seconds left before `expires_at` by the server's clock when it answered: the page
    /// counts down from this, because a phone's own clock is often wrong.
    #[serde(default)]
    pub expires_in_seconds: Option<i64>,
    pub customer: CustomerPrefill,
    pub coupon_code: Option<String>,
    /// The server's price of the order as it stands when opened.
    pub quote: Quote,
    /// Where "back to the merchant" goes: the session's or link's `cancel_url`, else the
    /// merchant's default; `None` when there is neither.
    #[serde(default)]
    pub cancel_url: Option<String>,
    /// A session's latest payment when it is pending or succeeded: reopening the session
    /// shows its live status instead of a form that could pay it twice.
    #[serde(default)]
    pub payment: Option<Payment>,
    /// A multi-product cart's lines, each priced by the server; empty for a single price.
    #[serde(default)]
    pub lines: Vec<OrderLine>,
}

/// One line of a cart as the customer sees it: all amounts in minor units.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderLine {
    pub name: String,
    pub quantity: u32,
    pub unit_amount: i64,
    /// `unit_amount * quantity`, before any discount.
    pub amount: i64,
}

/// Why a pay request conflicts with the checkout's state: the value of `details["conflict"]`
/// in a 409, so the page can word it in the customer's language. With `PAYMENT_PENDING` and
/// `KEY_REUSED`, `details` also carries `payment_id` and `session_id` of the payment that
/// exists, so the page can show its status instead of starting another.
pub mod conflict {
    pub const DETAIL: &str = "conflict";
    pub const COMPLETED: &str = "completed";
    pub const EXPIRED: &str = "expired";
    pub const INACTIVE: &str = "inactive";
    pub const PAYMENT_PENDING: &str = "payment_pending";
    pub const KEY_REUSED: &str = "idempotency_key_reused";
}

impl ApiError {
    /// The first message under `key` in `details`.
    pub fn detail(&self, key: &str) -> Option<&str> {
        self.details.as_ref()?.get(key)?.first().map(String::as_str)
    }
}

/// The seeds' error codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ErrorCode {
    InvalidRequest,
    InvalidReference,
    Unauthorized,
    NotFound,
    ResourceConflict,
    RateLimited,
    DatabaseError,
    InternalError,
    /// A route of lomi.'s API that the sandbox does not serve (501).
    NotImplemented,
}

impl ErrorCode {
    pub fn status(self) -> u16 {
        match self {
            ErrorCode::InvalidRequest | ErrorCode::InvalidReference => 400,
            ErrorCode::Unauthorized => 401,
            ErrorCode::NotFound => 404,
            ErrorCode::ResourceConflict => 409,
            ErrorCode::RateLimited => 429,
            ErrorCode::DatabaseError | ErrorCode::InternalError => 500,
            ErrorCode::NotImplemented => 501,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiError {
    pub status: u16,
    pub code: ErrorCode,
    pub message: String,
    /// Messages per request field, as in the seeds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<BTreeMap<String, Vec<String>>>,
    /// A machine-readable reason for an order the server would not price, for the page to
    /// word in the customer's language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<QuoteError>,
    pub timestamp: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub error: ApiError,
}
