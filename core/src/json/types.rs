//! The JSON of each type the page reads or sends, matching its serde attributes (the names
//! are serde's `rename_all` spellings; internally tagged enums carry their tag member).
//! Readers build each struct with a literal and writers destructure it, so a field added to
//! a type fails to compile here until its JSON is written too.

use super::{FromJson, Json, Object, ToJson};
use crate::calendar::BillingInterval;
use crate::coupon::{CouponRefusal, DiscountRule};
use crate::customer::{BillingAddress, CustomerDetails};
use crate::money::Currency;
use crate::payment::{
    CheckoutRef, FailureReason, NextAction, OtpRequest, PayRequest, Payment, PaymentStatus,
};
use crate::pricing::{
    AppliedCoupon, FirstPaymentType, PricingModel, Quote, QuoteError, QuoteRequest, RecurringQuote,
    RecurringTerms,
};
use crate::wire::{
    ApiError, CheckoutKind, CheckoutStatus, CustomerPrefill, ErrorBody, ErrorCode, OrderLine,
    Provider, PublicCheckout, PublicMerchant,
};

/// Enums of unit variants, written as their names.
macro_rules! names {
    ($($ty:ident { $($variant:ident = $name:literal),* $(,)? })*) => {$(
        impl FromJson for $ty {
            fn from_json(value: &Json) -> Option<Self> {
                match value.as_str()? {
                    $($name => Some($ty::$variant),)*
                    _ => None,
                }
            }
        }

        impl ToJson for $ty {
            fn to_json(&self) -> Json {
                Json::Str(match self { $($ty::$variant => $name,)* }.to_string())
            }
        }
    )*};
}

names! {
    CheckoutKind { Instant = "instant", Product = "product", Plan = "plan", Session = "session" }
    CheckoutStatus {
        Open = "open", Inactive = "inactive", Expired = "expired", Completed = "completed",
    }
    Provider {
        Wave = "WAVE", Orange = "ORANGE", Mtn = "MTN", Stripe = "STRIPE",
        Nowpayments = "NOWPAYMENTS",
    }
    Currency {
        Xof = "XOF", Xaf = "XAF", Gnf = "GNF", Usd = "USD", Eur = "EUR", Ghs = "GHS",
        Ngn = "NGN", Kes = "KES", Mro = "MRO",
    }
    ErrorCode {
        InvalidRequest = "INVALID_REQUEST", InvalidReference = "INVALID_REFERENCE",
        Unauthorized = "UNAUTHORIZED", NotFound = "NOT_FOUND",
        ResourceConflict = "RESOURCE_CONFLICT", RateLimited = "RATE_LIMITED",
        DatabaseError = "DATABASE_ERROR", InternalError = "INTERNAL_ERROR",
        NotImplemented = "NOT_IMPLEMENTED",
    }
    BillingInterval {
        Day = "day", Week = "week", Month = "month", Quarter = "quarter", Year = "year",
    }
    FirstPaymentType { Initial = "initial", NonInitial = "non_initial" }
    PaymentStatus { Pending = "pending", Succeeded = "succeeded", Failed = "failed" }
    FailureReason {
        InsufficientFunds = "insufficient_funds", RejectedByCustomer = "rejected_by_customer",
        OperatorTimeout = "operator_timeout", WrongCode = "wrong_code",
        TooManyAttempts = "too_many_attempts", CardDeclined = "card_declined",
        Declined = "declined",
    }
}

/// Reads an object into `T` with `read`.
fn object<T>(value: &Json, read: impl FnOnce(Object<'_>) -> Option<T>) -> Option<T> {
    read(value.object()?)
}

impl FromJson for PublicMerchant {
    fn from_json(value: &Json) -> Option<Self> {
        object(value, |o| {
            Some(PublicMerchant {
                name: o.field("name")?,
                logo_url: o.field("logo_url")?,
                country: o.field("country")?,
            })
        })
    }
}

impl FromJson for CustomerPrefill {
    fn from_json(value: &Json) -> Option<Self> {
        object(value, |o| {
            Some(CustomerPrefill {
                name: o.field("name")?,
                email: o.field("email")?,
                phone: o.field("phone")?,
            })
        })
    }
}

impl FromJson for PublicCheckout {
    fn from_json(value: &Json) -> Option<Self> {
        object(value, |o| {
            Some(PublicCheckout {
                kind: o.field("kind")?,
                id: o.field("id")?,
                status: o.field("status")?,
                test_mode: o.field("test_mode")?,
                merchant: o.field("merchant")?,
                title: o.field("title")?,
                description: o.field("description")?,
                image_url: o.field("image_url")?,
                currency: o.field("currency")?,
                pricing: o.field("pricing")?,
                allow_quantity: o.field("allow_quantity")?,
                max_quantity: o.field("max_quantity")?,
                allow_coupon_code: o.field("allow_coupon_code")?,
                require_billing_address: o.field("require_billing_address")?,
                allowed_providers: o.field("allowed_providers")?,
                recurring: o.field("recurring")?,
                expires_at: o.field("expires_at")?,
                expires_in_seconds: o.field("expires_in_seconds")?,
                customer: o.field("customer")?,
                coupon_code: o.field("coupon_code")?,
                quote: o.field("quote")?,
                cancel_url: o.field("cancel_url")?,
                payment: o.field("payment")?,
                lines: o.or_default("lines")?,
            })
        })
    }
}

impl FromJson for OrderLine {
    fn from_json(value: &Json) -> Option<Self> {
        object(value, |o| {
            Some(OrderLine {
                name: o.field("name")?,
                quantity: o.field("quantity")?,
                unit_amount: o.field("unit_amount")?,
                amount: o.field("amount")?,
            })
        })
    }
}

impl FromJson for ApiError {
    fn from_json(value: &Json) -> Option<Self> {
        object(value, |o| {
            Some(ApiError {
                status: o.field("status")?,
                code: o.field("code")?,
                message: o.field("message")?,
                details: o.field("details")?,
                reason: o.field("reason")?,
                timestamp: o.field("timestamp")?,
            })
        })
    }
}

impl FromJson for ErrorBody {
    fn from_json(value: &Json) -> Option<Self> {
        object(value, |o| {
            Some(ErrorBody {
                error: o.field("error")?,
            })
        })
    }
}

impl FromJson for PricingModel {
    fn from_json(value: &Json) -> Option<Self> {
        object(value, |o| match o.tag("model")? {
            "standard" => Some(PricingModel::Standard),
            "pay_what_you_want" => Some(PricingModel::PayWhatYouWant {
                minimum: o.field("minimum")?,
                maximum: o.field("maximum")?,
            }),
            _ => None,
        })
    }
}

impl FromJson for RecurringTerms {
    fn from_json(value: &Json) -> Option<Self> {
        object(value, |o| {
            Some(RecurringTerms {
                interval: o.field("interval")?,
                first_payment_type: o.field("first_payment_type")?,
                trial_days: o.field("trial_days")?,
            })
        })
    }
}

impl ToJson for QuoteRequest {
    fn to_json(&self) -> Json {
        let QuoteRequest {
            quantity,
            unit_amount,
            coupon_code,
        } = self;
        Json::object_of([
            ("quantity", quantity.to_json()),
            ("unit_amount", unit_amount.to_json()),
            ("coupon_code", coupon_code.to_json()),
        ])
    }
}

impl FromJson for QuoteError {
    fn from_json(value: &Json) -> Option<Self> {
        object(value, |o| {
            Some(match o.tag("reason")? {
                "quantity_not_allowed" => QuoteError::QuantityNotAllowed,
                "quantity_out_of_range" => QuoteError::QuantityOutOfRange {
                    min: o.field("min")?,
                    max: o.field("max")?,
                },
                "amount_not_allowed" => QuoteError::AmountNotAllowed,
                "amount_below_minimum" => QuoteError::AmountBelowMinimum {
                    minimum: o.field("minimum")?,
                },
                "amount_above_maximum" => QuoteError::AmountAboveMaximum {
                    maximum: o.field("maximum")?,
                },
                _ => return None,
            })
        })
    }
}

impl FromJson for DiscountRule {
    fn from_json(value: &Json) -> Option<Self> {
        object(value, |o| match o.tag("type")? {
            "percentage" => Some(DiscountRule::Percentage {
                basis_points: o.field("basis_points")?,
            }),
            "fixed" => Some(DiscountRule::Fixed {
                amount: o.field("amount")?,
            }),
            _ => None,
        })
    }
}

impl FromJson for CouponRefusal {
    fn from_json(value: &Json) -> Option<Self> {
        object(value, |o| {
            Some(match o.tag("reason")? {
                "not_allowed" => CouponRefusal::NotAllowed,
                "unknown" => CouponRefusal::Unknown,
                "inactive" => CouponRefusal::Inactive,
                "not_started" => CouponRefusal::NotStarted {
                    starts_at: o.field("starts_at")?,
                },
                "expired" => CouponRefusal::Expired,
                "used_up" => CouponRefusal::UsedUp,
                "not_for_product" => CouponRefusal::NotForProduct,
                "quantity_above_cap" => CouponRefusal::QuantityAboveCap {
                    max_quantity: o.field("max_quantity")?,
                },
                "currency_mismatch" => CouponRefusal::CurrencyMismatch,
                "new_customers_only" => CouponRefusal::NewCustomersOnly,
                "returning_customers_only" => CouponRefusal::ReturningCustomersOnly,
                _ => return None,
            })
        })
    }
}

impl FromJson for AppliedCoupon {
    fn from_json(value: &Json) -> Option<Self> {
        object(value, |o| {
            Some(AppliedCoupon {
                code: o.field("code")?,
                discount: o.field("discount")?,
            })
        })
    }
}

impl FromJson for RecurringQuote {
    fn from_json(value: &Json) -> Option<Self> {
        object(value, |o| {
            Some(RecurringQuote {
                interval: o.field("interval")?,
                trial_days: o.field("trial_days")?,
                next_charge_amount: o.field("next_charge_amount")?,
                next_charge_at: o.field("next_charge_at")?,
            })
        })
    }
}

impl FromJson for Quote {
    fn from_json(value: &Json) -> Option<Self> {
        object(value, |o| {
            Some(Quote {
                currency: o.field("currency")?,
                unit_amount: o.field("unit_amount")?,
                quantity: o.field("quantity")?,
                subtotal: o.field("subtotal")?,
                discount: o.field("discount")?,
                fees: o.field("fees")?,
                total: o.field("total")?,
                due_today: o.field("due_today")?,
                coupon: o.field("coupon")?,
                coupon_error: o.field("coupon_error")?,
                recurring: o.field("recurring")?,
            })
        })
    }
}

impl FromJson for BillingAddress {
    fn from_json(value: &Json) -> Option<Self> {
        object(value, |o| {
            Some(BillingAddress {
                country: o.field("country")?,
                city: o.field("city")?,
                line1: o.field("line1")?,
                postal_code: o.field("postal_code")?,
            })
        })
    }
}

impl ToJson for BillingAddress {
    fn to_json(&self) -> Json {
        let BillingAddress {
            country,
            city,
            line1,
            postal_code,
        } = self;
        Json::object_of([
            ("country", country.to_json()),
            ("city", city.to_json()),
            ("line1", line1.to_json()),
            ("postal_code", postal_code.to_json()),
        ])
    }
}

impl FromJson for CustomerDetails {
    fn from_json(value: &Json) -> Option<Self> {
        object(value, |o| {
            Some(CustomerDetails {
                name: o.field("name")?,
                email: o.field("email")?,
                phone: o.or_default("phone")?,
                phone_country: o.or_default("phone_country")?,
            })
        })
    }
}

impl ToJson for CustomerDetails {
    fn to_json(&self) -> Json {
        let CustomerDetails {
            name,
            email,
            phone,
            phone_country,
        } = self;
        Json::object_of([
            ("name", name.to_json()),
            ("email", email.to_json()),
            ("phone", phone.to_json()),
            ("phone_country", phone_country.to_json()),
        ])
    }
}

impl FromJson for PayRequest {
    fn from_json(value: &Json) -> Option<Self> {
        object(value, |o| {
            Some(PayRequest {
                quantity: o.field("quantity")?,
                unit_amount: o.field("unit_amount")?,
                coupon_code: o.field("coupon_code")?,
                customer: o.field("customer")?,
                billing: o.field("billing")?,
                provider: o.field("provider")?,
            })
        })
    }
}

impl ToJson for PayRequest {
    fn to_json(&self) -> Json {
        let PayRequest {
            quantity,
            unit_amount,
            coupon_code,
            customer,
            billing,
            provider,
        } = self;
        Json::object_of([
            ("quantity", quantity.to_json()),
            ("unit_amount", unit_amount.to_json()),
            ("coupon_code", coupon_code.to_json()),
            ("customer", customer.to_json()),
            ("billing", billing.to_json()),
            ("provider", provider.to_json()),
        ])
    }
}

impl FromJson for NextAction {
    fn from_json(value: &Json) -> Option<Self> {
        object(value, |o| {
            Some(match o.tag("type")? {
                "none" => NextAction::None,
                "redirect" => NextAction::Redirect {
                    url: o.field("url")?,
                    qr: o.field("qr")?,
                },
                "enter_otp" => NextAction::EnterOtp {
                    ussd_code: o.field("ussd_code")?,
                },
                "approve_on_phone" => NextAction::ApproveOnPhone {
                    phone: o.field("phone")?,
                },
                "send_crypto" => NextAction::SendCrypto {
                    address: o.field("address")?,
                    amount: o.field("amount")?,
                    asset: o.field("asset")?,
                    network: o.field("network")?,
                    uri: o.field("uri")?,
                },
                _ => return None,
            })
        })
    }
}

impl FromJson for CheckoutRef {
    fn from_json(value: &Json) -> Option<Self> {
        object(value, |o| {
            Some(CheckoutRef {
                kind: o.field("kind")?,
                id: o.field("id")?,
            })
        })
    }
}

impl FromJson for Payment {
    fn from_json(value: &Json) -> Option<Self> {
        object(value, |o| {
            Some(Payment {
                id: o.field("id")?,
                session_id: o.field("session_id")?,
                started_from: o.field("started_from")?,
                status: o.field("status")?,
                provider: o.field("provider")?,
                amount: o.field("amount")?,
                currency: o.field("currency")?,
                next_action: o.field("next_action")?,
                failure: o.field("failure")?,
                success_url: o.field("success_url")?,
                cancel_url: o.field("cancel_url")?,
                transaction_id: o.field("transaction_id")?,
                created_at: o.field("created_at")?,
                usual_wait_seconds: o.field("usual_wait_seconds")?,
                waited_seconds: o.or_default("waited_seconds")?,
            })
        })
    }
}

impl ToJson for OtpRequest {
    fn to_json(&self) -> Json {
        let OtpRequest { code } = self;
        Json::object_of([("code", code.to_json())])
    }
}
