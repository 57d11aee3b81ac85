//! The page's JSON (`checkout_core::json`) and the sandbox's (serde) are the same JSON: for
//! every type the page reads, every variant reads back from what serde writes; what the page
//! sends is the exact text serde writes; and on hand-written edge cases (absent, null and
//! unknown members, wrong types, unknown names) both accept or refuse alike.

use checkout_core::calendar::BillingInterval;
use checkout_core::coupon::{CouponRefusal, DiscountRule};
use checkout_core::customer::{BillingAddress, CustomerDetails};
use checkout_core::json::{self, FromJson, ToJson};
use checkout_core::payment::{
    CheckoutRef, FailureReason, NextAction, OtpRequest, PayRequest, Payment, PaymentStatus,
};
use checkout_core::pricing::{
    AppliedCoupon, FirstPaymentType, PricingModel, Quote, QuoteError, QuoteRequest, RecurringQuote,
    RecurringTerms,
};
use checkout_core::wire::{
    ApiError, CheckoutKind, CheckoutStatus, CustomerPrefill, ErrorBody, ErrorCode, OrderLine,
    Provider, PublicCheckout, PublicMerchant,
};
use checkout_core::Currency;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Debug;

/// What serde writes, the page reads back unchanged.
fn reads<T>(values: impl IntoIterator<Item = T>)
where
    T: Serialize + FromJson + PartialEq + Debug,
{
    for value in values {
        let text = serde_json::to_string(&value).unwrap();
        assert_eq!(json::from_str::<T>(&text).as_ref(), Some(&value), "{text}");
    }
}

/// What the page writes is the text serde writes.
fn writes<T: Serialize + ToJson>(values: impl IntoIterator<Item = T>) {
    for value in values {
        assert_eq!(
            json::to_string(&value),
            serde_json::to_string(&value).unwrap()
        );
    }
}

/// Both readers accept `text` as the same value, or both refuse it.
fn agree<T>(texts: &[&str])
where
    T: DeserializeOwned + FromJson + PartialEq + Debug,
{
    for text in texts {
        assert_eq!(
            json::from_str::<T>(text),
            serde_json::from_str::<T>(text).ok(),
            "{text}"
        );
    }
}

fn quote(coupon: Option<AppliedCoupon>, error: Option<CouponRefusal>) -> Quote {
    Quote {
        currency: Currency::Xof,
        unit_amount: 15_000,
        quantity: 2,
        subtotal: 30_000,
        discount: 3_000,
        fees: 0,
        total: 27_000,
        due_today: 27_000,
        coupon,
        coupon_error: error,
        recurring: Some(RecurringQuote {
            interval: BillingInterval::Month,
            trial_days: 7,
            next_charge_amount: 27_000,
            next_charge_at: 1_767_225_600,
        }),
    }
}

fn customer() -> CustomerDetails {
    CustomerDetails {
        name: "Awa Koné \"la grande\"".into(),
        email: "awa@example.ci".into(),
        phone: "07 08 09 10 11".into(),
        phone_country: "CI".into(),
    }
}

fn payment(next_action: NextAction) -> Payment {
    Payment {
        id: "pay_1".into(),
        session_id: "cs_1".into(),
        started_from: CheckoutRef {
            kind: CheckoutKind::Product,
            id: "prod\u{1}/é".into(),
        },
        status: PaymentStatus::Pending,
        provider: Some(Provider::Orange),
        amount: 27_000,
        currency: Currency::Xof,
        next_action,
        failure: Some(FailureReason::WrongCode),
        success_url: Some("https://shop.example/ok?s=cs_1".into()),
        cancel_url: None,
        transaction_id: Some("tx_9".into()),
        created_at: 1_767_225_600,
        usual_wait_seconds: 90,
        waited_seconds: -3,
    }
}

fn checkout(payment: Option<Payment>) -> PublicCheckout {
    PublicCheckout {
        kind: CheckoutKind::Session,
        id: "cs_1".into(),
        status: CheckoutStatus::Open,
        test_mode: true,
        merchant: PublicMerchant {
            name: "Boutique Awa & Fils <script>".into(),
            logo_url: Some("https://cdn.example/logo.png".into()),
            country: Some("CI".into()),
        },
        title: "Pagne wax 6 yards\n\t😀".into(),
        description: None,
        image_url: Some("https://cdn.example/p.png".into()),
        currency: Currency::Xof,
        pricing: PricingModel::PayWhatYouWant {
            minimum: 1_000,
            maximum: None,
        },
        allow_quantity: true,
        max_quantity: 99,
        allow_coupon_code: true,
        require_billing_address: false,
        allowed_providers: Provider::ALL.to_vec(),
        recurring: Some(RecurringTerms {
            interval: BillingInterval::Year,
            first_payment_type: FirstPaymentType::NonInitial,
            trial_days: 14,
        }),
        expires_at: Some("2026-12-31T23:59:59Z".into()),
        expires_in_seconds: Some(3_600),
        customer: CustomerPrefill {
            name: Some("Awa".into()),
            email: None,
            phone: Some("+2250708091011".into()),
        },
        coupon_code: Some("BIENVENUE".into()),
        quote: quote(None, None),
        cancel_url: Some("https://shop.example/cancel".into()),
        payment,
        lines: vec![
            OrderLine {
                name: "Pagne \"wax\" 😀".into(),
                quantity: 2,
                unit_amount: 5_000,
                amount: 10_000,
            },
            OrderLine {
                name: "Sac".into(),
                quantity: 1,
                unit_amount: 12_500,
                amount: 12_500,
            },
        ],
    }
}

#[test]
fn every_type_the_page_reads_reads_what_serde_writes() {
    reads([
        CheckoutKind::Instant,
        CheckoutKind::Product,
        CheckoutKind::Plan,
        CheckoutKind::Session,
    ]);
    reads([
        CheckoutStatus::Open,
        CheckoutStatus::Inactive,
        CheckoutStatus::Expired,
        CheckoutStatus::Completed,
    ]);
    reads(Provider::ALL);
    reads(Currency::ALL);
    reads([
        BillingInterval::Day,
        BillingInterval::Week,
        BillingInterval::Month,
        BillingInterval::Quarter,
        BillingInterval::Year,
    ]);
    reads([FirstPaymentType::Initial, FirstPaymentType::NonInitial]);
    reads([
        PaymentStatus::Pending,
        PaymentStatus::Succeeded,
        PaymentStatus::Failed,
    ]);
    reads([
        FailureReason::InsufficientFunds,
        FailureReason::RejectedByCustomer,
        FailureReason::OperatorTimeout,
        FailureReason::WrongCode,
        FailureReason::TooManyAttempts,
        FailureReason::CardDeclined,
        FailureReason::Declined,
    ]);
    reads([
        PricingModel::Standard,
        PricingModel::PayWhatYouWant {
            minimum: 0,
            maximum: Some(i64::MAX),
        },
    ]);
    reads([
        DiscountRule::Percentage { basis_points: 1250 },
        DiscountRule::Fixed { amount: 500 },
    ]);
    reads([
        CouponRefusal::NotAllowed,
        CouponRefusal::Unknown,
        CouponRefusal::Inactive,
        CouponRefusal::NotStarted { starts_at: -1 },
        CouponRefusal::Expired,
        CouponRefusal::UsedUp,
        CouponRefusal::NotForProduct,
        CouponRefusal::QuantityAboveCap { max_quantity: 3 },
        CouponRefusal::CurrencyMismatch,
        CouponRefusal::NewCustomersOnly,
        CouponRefusal::ReturningCustomersOnly,
    ]);
    reads([
        QuoteError::QuantityNotAllowed,
        QuoteError::QuantityOutOfRange { min: 1, max: 99 },
        QuoteError::AmountNotAllowed,
        QuoteError::AmountBelowMinimum { minimum: 1_000 },
        QuoteError::AmountAboveMaximum { maximum: 5_000 },
    ]);
    reads([
        quote(None, None),
        quote(
            Some(AppliedCoupon {
                code: "BIENVENUE".into(),
                discount: DiscountRule::Fixed { amount: 1_500 },
            }),
            Some(CouponRefusal::Expired),
        ),
        Quote {
            recurring: None,
            ..quote(None, None)
        },
    ]);
    let actions = [
        NextAction::None,
        NextAction::Redirect {
            url: "https://pay.wave.com/c/1".into(),
            qr: true,
        },
        NextAction::EnterOtp {
            ussd_code: "#144*82#".into(),
        },
        NextAction::ApproveOnPhone {
            phone: "+2250708091011".into(),
        },
        NextAction::SendCrypto {
            address: "0xabc".into(),
            amount: "12.345".into(),
            asset: "USDC".into(),
            network: "Polygon".into(),
            uri: "ethereum:0xabc".into(),
        },
    ];
    reads(actions.clone());
    reads(actions.map(payment));
    reads([
        checkout(None),
        checkout(Some(payment(NextAction::None))),
        PublicCheckout {
            kind: CheckoutKind::Plan,
            status: CheckoutStatus::Expired,
            pricing: PricingModel::Standard,
            recurring: None,
            expires_at: None,
            expires_in_seconds: None,
            coupon_code: None,
            cancel_url: None,
            allowed_providers: vec![],
            lines: vec![],
            ..checkout(None)
        },
    ]);
    reads([Some(checkout(None)), None]);
    let error = ApiError {
        status: 409,
        code: ErrorCode::ResourceConflict,
        message: "A payment is already pending".into(),
        details: Some(BTreeMap::from([
            ("conflict".into(), vec!["payment_pending".into()]),
            ("payment_id".into(), vec!["pay_1".into(), "pay_2".into()]),
        ])),
        reason: Some(QuoteError::AmountBelowMinimum { minimum: 1_000 }),
        timestamp: "2026-01-01T00:00:00Z".into(),
    };
    reads([
        ErrorBody {
            error: error.clone(),
        },
        ErrorBody {
            error: ApiError {
                details: None,
                reason: None,
                ..error.clone()
            },
        },
    ]);
    let codes = [
        ErrorCode::InvalidRequest,
        ErrorCode::InvalidReference,
        ErrorCode::Unauthorized,
        ErrorCode::NotFound,
        ErrorCode::ResourceConflict,
        ErrorCode::RateLimited,
        ErrorCode::DatabaseError,
        ErrorCode::InternalError,
        ErrorCode::NotImplemented,
    ];
    reads(codes.map(|code| ApiError {
        code,
        ..error.clone()
    }));
}

#[test]
fn what_the_page_sends_is_serde_text() {
    writes([
        QuoteRequest::default(),
        QuoteRequest {
            quantity: Some(3),
            unit_amount: Some(12_500),
            coupon_code: Some(" bienvenue ".into()),
        },
    ]);
    let billing = BillingAddress {
        country: "SN".into(),
        city: "Dakar".into(),
        line1: "12 rue \\ Carnot".into(),
        postal_code: Some("10200".into()),
    };
    let billings = [
        billing.clone(),
        BillingAddress {
            postal_code: None,
            ..billing.clone()
        },
    ];
    writes(billings.clone());
    // The page keeps these in session storage (the draft, the attempt), so reads them too.
    reads(billings);
    writes([customer(), CustomerDetails::default()]);
    reads([customer(), CustomerDetails::default()]);
    let requests = [
        PayRequest::default(),
        PayRequest {
            quantity: Some(2),
            unit_amount: Some(5_000),
            coupon_code: Some("BIENVENUE".into()),
            customer: customer(),
            billing: Some(billing),
            provider: Some(Provider::Nowpayments),
        },
    ];
    writes(requests.clone());
    reads(requests);
    writes(Provider::ALL);
    writes(Currency::ALL);
    let otp = OtpRequest {
        code: "123456".into(),
    };
    assert_eq!(json::to_string(&otp), serde_json::to_string(&otp).unwrap());
}

#[test]
fn both_readers_accept_and_refuse_alike() {
    agree::<CustomerDetails>(&[
        r#"{"name":"A","email":"a@b.c"}"#,
        r#"{"name":"A","email":"a@b.c","phone":null}"#,
        r#"{"name":"A","email":"a@b.c","phone":"1","phone_country":"CI","extra":[1.5,{}]}"#,
        r#"{"name":"A"}"#,
        r#"{"name":1,"email":"a@b.c"}"#,
        r#""A""#,
        "null",
        "{}",
    ]);
    // The one difference: serde also reads a struct from an array of its fields in order.
    // Neither side writes that, so the page reads objects only.
    let array = r#"["A","a@b.c"]"#;
    assert!(serde_json::from_str::<CustomerDetails>(array).is_ok());
    assert_eq!(json::from_str::<CustomerDetails>(array), None);
    agree::<Payment>(&[
        &serde_json::to_string(&payment(NextAction::None))
            .unwrap()
            .replace(r#","waited_seconds":-3"#, ""),
        &serde_json::to_string(&payment(NextAction::None))
            .unwrap()
            .replace(r#""waited_seconds":-3"#, r#""waited_seconds":null"#),
        &serde_json::to_string(&payment(NextAction::None))
            .unwrap()
            .replace(r#""amount":27000"#, r#""amount":27000.5"#),
        &serde_json::to_string(&payment(NextAction::None))
            .unwrap()
            .replace(r#""usual_wait_seconds":90"#, r#""usual_wait_seconds":-90"#),
    ]);
    agree::<NextAction>(&[
        r#"{"type":"redirect","url":"u","qr":false,"extra":1}"#,
        r#"{"qr":false,"url":"u","type":"redirect"}"#,
        r#"{"type":"redirect","url":"u"}"#,
        r#"{"type":"teleport"}"#,
        r#"{"type":"none"}"#,
        r#"{"kind":"none"}"#,
        r#""none""#,
    ]);
    agree::<PublicCheckout>(&[&serde_json::to_string(&checkout(None))
        .unwrap()
        .replace(r#","cancel_url":"https://shop.example/cancel""#, "")
        .replace(r#","payment":null"#, "")
        .replace(r#","expires_in_seconds":3600"#, "")]);
    agree::<Currency>(&[r#""XOF""#, r#""xof""#, r#"" XOF""#, "1"]);
    agree::<Provider>(&[r#""WAVE""#, r#""Wave""#]);
    agree::<Option<PublicCheckout>>(&["null", "1", " null "]);
    agree::<ErrorBody>(&[
        r#"{"error":{"status":404,"code":"NOT_FOUND","message":"m","timestamp":"t"}}"#,
        r#"{"error":{"status":70000,"code":"NOT_FOUND","message":"m","timestamp":"t"}}"#,
        r#"{"error":{"status":404,"code":"GONE","message":"m","timestamp":"t"}}"#,
        r#"{"error":{"status":404,"code":"NOT_FOUND","message":"m","timestamp":"t","details":{"a":"b"}}}"#,
        r#"{"error":{"status":409,"code":"RESOURCE_CONFLICT","message":"m","timestamp":"t","details":{"b":["1"],"a":["2"],"b":["3"]}}}"#,
    ]);
}
