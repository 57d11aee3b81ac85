//! The merchant's view of what the checkout recorded, as lomi.'s API answers it and its
//! webhooks carry it in `data`: transactions and the lines of a cart, with amounts in major
//! units as exact JSON numbers and RFC 3339 times. The HTTP layer answers with these; the
//! webhook events are built from them.

use crate::domain::Ctx;
use crate::names::Named;
use crate::storage::{LineItem, TransactionRow};
use checkout_core::calendar::to_rfc3339;
use checkout_core::wire::Provider;
use checkout_core::{Currency, Money};
use serde::Serialize;
use serde_json::{Number, Value};
use std::str::FromStr;
use utoipa::ToSchema;

/// One line of a cart, as a session or a transaction lists it.
#[derive(Serialize, ToSchema)]
pub struct LineItemObject {
    pub price_id: Option<String>,
    pub product_id: Option<String>,
    /// The product's name when the session was made.
    pub name: String,
    pub quantity: u32,
    /// Major units.
    #[schema(value_type = f64, example = 5000)]
    pub unit_amount: Number,
    /// `unit_amount * quantity`, before any discount.
    #[schema(value_type = f64, example = 10000)]
    pub amount: Number,
    #[schema(value_type = Option<Object>)]
    pub metadata: Option<Value>,
}

pub fn line_objects(lines: &[LineItem], currency: Currency) -> Vec<LineItemObject> {
    lines
        .iter()
        .map(|l| LineItemObject {
            price_id: l.price_id.clone(),
            product_id: l.product_id.clone(),
            name: l.name.clone(),
            quantity: l.quantity,
            unit_amount: money(l.unit_amount, currency),
            amount: money(l.amount(), currency),
            metadata: metadata(l.metadata.as_deref()),
        })
        .collect()
}

#[derive(Serialize, ToSchema)]
pub struct Transaction {
    pub id: String,
    /// Same as `id` (the SDKs' name).
    pub transaction_id: String,
    pub organization_id: String,
    /// `completed` (the money moved) or `failed`.
    #[schema(example = "completed")]
    pub status: String,
    /// Why a failed payment failed (`insufficient_funds`, `card_declined`, `operator_timeout`…).
    pub failure_reason: Option<String>,
    #[schema(example = "payment")]
    pub transaction_type: String,
    pub description: String,
    /// What the customer was charged, in major units.
    #[schema(value_type = f64, example = 9000)]
    pub gross_amount: Number,
    /// The coupon's discount the customer saw.
    #[schema(value_type = f64, example = 1000)]
    pub discount_amount: Number,
    /// The processing fee, paid by the merchant (the sandbox's illustrative rates).
    #[schema(value_type = f64, example = 90)]
    pub fee_amount: Number,
    /// `gross_amount - fee_amount`: what the merchant keeps.
    #[schema(value_type = f64, example = 8910)]
    pub net_amount: Number,
    pub currency_code: Currency,
    /// `WAVE`, `ORANGE`, `MTN`, `STRIPE`, `NOWPAYMENTS`, or `FREE` for a 100%-off order.
    #[schema(example = "WAVE")]
    pub provider_code: String,
    /// `MOBILE_MONEY`, `CARDS`, `CRYPTO` or `FREE`.
    #[schema(example = "MOBILE_MONEY")]
    pub payment_method_code: String,
    pub coupon_code: Option<String>,
    pub checkout_session_id: String,
    pub payment_link_id: Option<String>,
    pub product_id: Option<String>,
    pub price_id: Option<String>,
    /// Units bought, over every line.
    pub quantity: u32,
    pub customer_id: Option<String>,
    /// What the customer paid for, one line per product (one line for an amount session).
    pub line_items: Vec<LineItemObject>,
    #[schema(value_type = Option<Object>)]
    pub metadata: Option<Value>,
    pub is_pos: bool,
    pub is_bnpl: bool,
    #[schema(example = "test")]
    pub environment: String,
    pub created_at: String,
    pub updated_at: String,
}

/// A transaction as the merchant reads it in the API.
pub fn object(ctx: &Ctx, t: &TransactionRow) -> Transaction {
    transaction(&ctx.merchant().organization_id, t)
}

/// A transaction as the merchant reads it, in the API and in webhooks' `data`.
pub fn transaction(organization_id: &str, t: &TransactionRow) -> Transaction {
    let (provider_code, method) = match t.provider {
        None => ("FREE", "FREE"),
        Some(p @ (Provider::Wave | Provider::Orange | Provider::Mtn)) => (p.code(), "MOBILE_MONEY"),
        Some(Provider::Stripe) => (Provider::Stripe.code(), "CARDS"),
        Some(Provider::Nowpayments) => (Provider::Nowpayments.code(), "CRYPTO"),
    };
    Transaction {
        id: t.id.clone(),
        transaction_id: t.id.clone(),
        organization_id: organization_id.to_string(),
        status: t.status.name(),
        failure_reason: t.failure.map(Named::name),
        transaction_type: "payment".to_string(),
        description: t.description.clone(),
        gross_amount: money(t.gross_amount, t.currency),
        discount_amount: money(t.discount_amount, t.currency),
        fee_amount: money(t.fee_amount, t.currency),
        net_amount: money(t.net_amount, t.currency),
        currency_code: t.currency,
        provider_code: provider_code.to_string(),
        payment_method_code: method.to_string(),
        coupon_code: t.coupon_code.clone(),
        checkout_session_id: t.session_id.clone(),
        payment_link_id: t.payment_link_id.clone(),
        product_id: t.product_id.clone(),
        price_id: t.price_id.clone(),
        quantity: t.quantity,
        customer_id: t.customer_id.clone(),
        line_items: line_objects(&t.line_items, t.currency),
        metadata: metadata(t.metadata.as_deref()),
        is_pos: false,
        is_bnpl: false,
        environment: "test".to_string(),
        created_at: time(t.created_at),
        updated_at: time(t.updated_at),
    }
}

/// An amount in major units as an exact JSON number: 15000 XOF, 15.99 USD.
pub fn money(amount: i64, currency: Currency) -> Number {
    let text = Money::new(amount, currency).major_string();
    Number::from_str(&text).unwrap_or_else(|_| Number::from(amount))
}

pub fn time(unix: i64) -> String {
    to_rfc3339(unix)
}

/// Stored metadata back as JSON; it was validated as an object when written.
pub fn metadata(stored: Option<&str>) -> Option<Value> {
    stored.and_then(|s| serde_json::from_str(s).ok())
}
