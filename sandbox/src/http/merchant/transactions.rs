//! Transactions: every payment's outcome, succeeded (`completed`) or failed, with what was
//! charged, the discount, the fee and the net, and who paid for what. Read-only.

use super::checkout_sessions::{line_objects, LineItemObject};
use super::shape::{listing, metadata, money, one, time};
use crate::error::{Error, Result};
use crate::http::input::Id;
use crate::http::query::QueryParams;
use crate::http::state::AppState;
use crate::names::Named;
use crate::storage::{TransactionFilter, TransactionRow, TransactionStatus};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use checkout_core::wire::Provider;
use checkout_core::Currency;
use serde::Serialize;
use serde_json::{Number, Value};
use utoipa::ToSchema;

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

/// A page of the list route's answer.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct TransactionList {
    data: Vec<Transaction>,
    pagination: crate::http::query::Pagination,
}

pub fn object(state: &AppState, t: &TransactionRow) -> Transaction {
    let (provider_code, method) = match t.provider {
        None => ("FREE", "FREE"),
        Some(p @ (Provider::Wave | Provider::Orange | Provider::Mtn)) => (p.code(), "MOBILE_MONEY"),
        Some(Provider::Stripe) => (Provider::Stripe.code(), "CARDS"),
        Some(Provider::Nowpayments) => (Provider::Nowpayments.code(), "CRYPTO"),
    };
    Transaction {
        id: t.id.clone(),
        transaction_id: t.id.clone(),
        organization_id: state.merchant().organization_id.clone(),
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

#[utoipa::path(
    get,
    operation_id = "get_transaction",
    path = "/transactions/{id}",
    tag = "Transactions",
    params(
        ("id" = String, Path, description = "Transaction id")
    ),
    responses(
        (status = 200, description = "The transaction", body = Transaction),
        (status = 404, description = "No transaction with this id", body = checkout_core::wire::ErrorBody),
        (status = 401, description = "Missing, wrong or live API key", body = checkout_core::wire::ErrorBody)
    ),
    security(("api_key" = []))
)]
pub async fn get(State(state): State<AppState>, Id(id): Id) -> Result<Response> {
    let db = state.db();
    // A payment that settled since the last read has its transaction first.
    crate::domain::payments::outcome::settle(&db, &state)?;
    let t = db
        .transaction(&state.merchant().id, &id)?
        .ok_or_else(|| Error::not_found("Transaction not found"))?;
    drop(db);
    Ok(one(StatusCode::OK, &object(&state, &t)))
}

#[utoipa::path(
    get,
    operation_id = "list_transactions",
    path = "/transactions",
    tag = "Transactions",
    params(
        ("status" = Option<TransactionStatus>, Query, description = "completed or failed"),
        ("provider" = Option<Provider>, Query, description = "A provider code: WAVE, ORANGE, MTN, STRIPE, NOWPAYMENTS (also provider_code)"),
        ("checkout_session_id" = Option<String>, Query, description = "Only this session's (also session_id); not blank", pattern = r"^[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[^\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"),
        ("payment_link_id" = Option<String>, Query, description = "Only those of sessions opened from this link; not blank", pattern = r"^[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[^\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"),
        ("customer_id" = Option<String>, Query, description = "Only this customer's; not blank", pattern = r"^[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[^\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"),
        ("from" = Option<String>, Query, description = "Created at or after this RFC 3339 time (also startDate)", format = DateTime),
        ("to" = Option<String>, Query, description = "Created at or before this RFC 3339 time (also endDate)", format = DateTime),
        crate::http::query::PageQuery
    ),
    responses(
        (status = 200, description = "Transactions, newest first", body = TransactionList),
        (status = 400, description = "A filter value is invalid", body = checkout_core::wire::ErrorBody),
        (status = 401, description = "Missing, wrong or live API key", body = checkout_core::wire::ErrorBody)
    ),
    security(("api_key" = []))
)]
pub async fn list(State(state): State<AppState>, mut q: QueryParams) -> Result<Response> {
    let filter = TransactionFilter {
        status: q.choice_of::<TransactionStatus>(&["status"]),
        provider: q.provider(&["provider", "provider_code"]),
        session_id: q.value(&["checkout_session_id", "session_id"]),
        payment_link_id: q.value(&["payment_link_id", "paymentLinkId"]),
        customer_id: q.value(&["customer_id", "customerId"]),
        from: q.timestamp(&["from", "startDate", "start_date"]),
        to: q.timestamp(&["to", "endDate", "end_date"]),
    };
    let page = q.page();
    q.finish()?;
    let db = state.db();
    crate::domain::payments::outcome::settle(&db, &state)?;
    let (rows, total) = db.list_transactions(&state.merchant().id, &filter, page)?;
    drop(db);
    let items: Vec<Transaction> = rows.iter().map(|t| object(&state, t)).collect();
    Ok(listing(&items, page.with_total(total)))
}
