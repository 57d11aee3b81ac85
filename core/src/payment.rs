//! Paying: the one request that starts a payment, and the payment's state as the page polls
//! it. Each provider has its own next step for the customer.

use crate::customer::{BillingAddress, CustomerDetails};
use crate::money::Currency;
use crate::wire::{CheckoutKind, Provider};
use serde::{Deserialize, Serialize};

/// The header carrying the page's key for one payment attempt: a repeat with the same key
/// returns the same payment instead of charging again.
pub const IDEMPOTENCY_HEADER: &str = "Idempotency-Key";

/// What the customer confirmed. The server re-prices it; the page's displayed total is
/// never trusted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PayRequest {
    #[serde(default)]
    pub quantity: Option<u32>,
    /// The pay-what-you-want unit price, in minor units.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1000000000000_i64))]
    pub unit_amount: Option<i64>,
    #[serde(default)]
    pub coupon_code: Option<String>,
    pub customer: CustomerDetails,
    #[serde(default)]
    pub billing: Option<BillingAddress>,
    /// `None` only for an order whose total is 0 (it completes with no provider).
    #[serde(default)]
    pub provider: Option<Provider>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PaymentStatus {
    /// Waiting for the customer or the operator.
    Pending,
    Succeeded,
    Failed,
}

/// Why a payment failed, for the page to explain in the customer's language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FailureReason {
    InsufficientFunds,
    /// The customer refused the prompt or pressed "Decline".
    RejectedByCustomer,
    /// The operator gave up waiting for the customer.
    OperatorTimeout,
    WrongCode,
    /// Three wrong one-time codes in a row (Orange Money): the payment is stopped so a code
    /// cannot be guessed.
    TooManyAttempts,
    CardDeclined,
    /// Any other refusal by the provider.
    Declined,
}

/// What the customer must do next.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum NextAction {
    /// Nothing: the payment is settled, or the operator is working.
    None,
    /// Go to the provider's page (Wave's launch URL, the hosted card page). Wave's URL is
    /// also shown as a QR code on wide screens, for paying from the phone's app.
    Redirect { url: String, qr: bool },
    /// Orange Money: dial `ussd_code` to get a one-time code, then type it in the page.
    EnterOtp { ussd_code: String },
    /// MTN MoMo: approve the prompt pushed to `phone`.
    ApproveOnPhone { phone: String },
    /// Crypto: send `amount` of `asset` on `network` to `address`; `uri` is for wallets' QR.
    SendCrypto {
        address: String,
        amount: String,
        asset: String,
        network: String,
        uri: String,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Payment {
    pub id: String,
    pub session_id: String,
    /// The link or session page the customer paid from: where "try again" goes, so a link
    /// starts a fresh session with the customer's entries.
    pub started_from: CheckoutRef,
    pub status: PaymentStatus,
    /// `None` for a free order.
    pub provider: Option<Provider>,
    pub amount: i64,
    pub currency: Currency,
    pub next_action: NextAction,
    pub failure: Option<FailureReason>,
    /// After success: where the customer goes, `{CHECKOUT_SESSION_ID}` already replaced.
    /// Always an http(s) URL, or `None` for lomi.'s own confirmation screen.
    pub success_url: Option<String>,
    /// Where "back to the merchant" goes, or `None` when the merchant set none.
    pub cancel_url: Option<String>,
    pub transaction_id: Option<String>,
    /// Unix seconds; how long the customer has been waiting is the page's to tell.
    pub created_at: i64,
    /// Seconds after which the operator usually answers: past it, the page says
    /// "still waiting" (never "failed", the money may already be taken).
    pub usual_wait_seconds: u32,
    /// Seconds since the payment started, by the server's clock when it answered.
    #[serde(default)]
    pub waited_seconds: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckoutRef {
    pub kind: CheckoutKind,
    pub id: String,
}

impl CheckoutRef {
    /// The page path: `/instant/{id}`, `/checkout/{id}`.
    pub fn path(&self) -> String {
        format!("/{}/{}", self.kind.route(), self.id)
    }
}

/// The one-time code an Orange Money customer types.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OtpRequest {
    /// Not blank.
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            pattern = r"[^\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
        )
    )]
    pub code: String,
}

/// Replaces the `{CHECKOUT_SESSION_ID}` placeholder, as Stripe and Polar do with their own.
/// The sandbox stores a merchant's URL as the URL parser writes it, which percent-encodes
/// braces in a path (`/ok/%7BCHECKOUT_SESSION_ID%7D`): that spelling is the same placeholder.
pub fn fill_session_placeholder(url: &str, session_id: &str) -> String {
    url.replace("{CHECKOUT_SESSION_ID}", session_id)
        .replace("%7BCHECKOUT_SESSION_ID%7D", session_id)
}

/// The USSD code an Orange Money customer dials for a one-time code, by country.
pub fn orange_ussd(country: &str, amount: i64) -> String {
    match country {
        "SN" => "#144#391#".to_string(),
        "ML" => "#144#77#".to_string(),
        "BF" => format!("*144*4*6*{amount}#"),
        _ => "#144*82#".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholder_is_replaced_everywhere() {
        assert_eq!(
            fill_session_placeholder(
                "https://shop.example/ok?s={CHECKOUT_SESSION_ID}&again={CHECKOUT_SESSION_ID}",
                "cs_1"
            ),
            "https://shop.example/ok?s=cs_1&again=cs_1"
        );
        assert_eq!(
            fill_session_placeholder("https://shop.example/ok/%7BCHECKOUT_SESSION_ID%7D", "cs_1"),
            "https://shop.example/ok/cs_1"
        );
    }

    #[test]
    fn ussd_codes_per_country() {
        assert_eq!(orange_ussd("CI", 5000), "#144*82#");
        assert_eq!(orange_ussd("SN", 5000), "#144#391#");
        assert_eq!(orange_ussd("ML", 5000), "#144#77#");
        assert_eq!(orange_ussd("BF", 5000), "*144*4*6*5000#");
    }

    #[test]
    fn next_actions_are_tagged_for_the_page() {
        let action = NextAction::EnterOtp {
            ussd_code: "#144*82#".into(),
        };
        let json = serde_json::to_string(&action).unwrap();
        assert_eq!(json, r##"{"type":"enter_otp","ussd_code":"#144*82#"}"##);
    }
}
