//! Transactions: every payment's outcome, succeeded (`completed`) or failed, with what was
//! charged, the discount, the fee and the net, and who paid for what. Read-only.

use super::shape::{listing, one};
use crate::error::{Error, Result};
use crate::http::input::Id;
use crate::http::query::QueryParams;
use crate::http::state::AppState;
use crate::storage::{TransactionFilter, TransactionStatus};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use checkout_core::wire::Provider;
use utoipa::ToSchema;

pub use crate::domain::views::{object, Transaction};

/// A page of the list route's answer.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct TransactionList {
    data: Vec<Transaction>,
    pagination: crate::http::query::Pagination,
}

/// The filters every list of transactions takes (`GET /transactions`, and a customer's).
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct TransactionFilters {
    /// completed or failed
    status: Option<TransactionStatus>,
    /// A provider code: WAVE, ORANGE, MTN, STRIPE, NOWPAYMENTS (also provider_code)
    provider: Option<Provider>,
    /// Only this session's (also session_id)
    #[param(
        format = "uuid",
        pattern = r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$"
    )]
    checkout_session_id: Option<String>,
    /// Only those of sessions opened from this link
    #[param(
        format = "uuid",
        pattern = r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$"
    )]
    payment_link_id: Option<String>,
    /// Created at or after this RFC 3339 time (also startDate)
    #[param(format = DateTime)]
    from: Option<String>,
    /// Created at or before this RFC 3339 time (also endDate)
    #[param(format = DateTime)]
    to: Option<String>,
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
        TransactionFilters,
        ("customer_id" = Option<String>, Query, description = "Only this customer's", format = "uuid", pattern = r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$"),
        crate::http::query::PageQuery
    ),
    responses(
        (status = 200, description = "Transactions, newest first", body = TransactionList),
        (status = 400, description = "A filter value is invalid", body = checkout_core::wire::ErrorBody),
        (status = 401, description = "Missing, wrong or live API key", body = checkout_core::wire::ErrorBody)
    ),
    security(("api_key" = []))
)]
pub async fn list(State(state): State<AppState>, q: QueryParams) -> Result<Response> {
    page_of(&state, q, None)
}

/// A page of the merchant's transactions, filtered by the query and, when given, by one
/// customer (then a `customer_id` in the query is refused).
pub fn page_of(state: &AppState, mut q: QueryParams, customer: Option<String>) -> Result<Response> {
    let from_query = if customer.is_none() {
        q.uuid(&["customer_id", "customerId"])
    } else {
        None
    };
    let filter = TransactionFilter {
        status: q.choice_of::<TransactionStatus>(&["status"]),
        provider: q.provider(&["provider", "provider_code"]),
        session_id: q.uuid(&["checkout_session_id", "session_id"]),
        payment_link_id: q.uuid(&["payment_link_id", "paymentLinkId"]),
        customer_id: customer.or(from_query),
        from: q.timestamp(&["from", "startDate", "start_date"]),
        to: q.timestamp(&["to", "endDate", "end_date"]),
    };
    let page = q.page();
    q.finish()?;
    let db = state.db();
    crate::domain::payments::outcome::settle(&db, state)?;
    let (rows, total) = db.list_transactions(&state.merchant().id, &filter, page)?;
    drop(db);
    let items: Vec<Transaction> = rows.iter().map(|t| object(state, t)).collect();
    Ok(listing(&items, page.with_total(total)))
}
