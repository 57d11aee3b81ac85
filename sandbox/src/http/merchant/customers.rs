//! Customers: made from the contact details a payment carries, one per email or phone, each
//! with the transactions they made. Read-only.

use super::shape::{listing, one, time};
use super::transactions::{self, Transaction};
use crate::error::{Error, Result};
use crate::http::input::Id;
use crate::http::query::QueryParams;
use crate::http::state::AppState;
use crate::storage::{CustomerRow, PageRequest, TransactionFilter};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct Customer {
    pub id: String,
    /// Same as `id` (the SDKs' name).
    pub customer_id: String,
    pub organization_id: String,
    pub name: Option<String>,
    pub email: Option<String>,
    /// E.164.
    pub phone_number: Option<String>,
    /// The billing address of their latest payment that asked for one.
    pub country: Option<String>,
    pub city: Option<String>,
    pub address: Option<String>,
    pub postal_code: Option<String>,
    pub is_business: bool,
    pub is_deleted: bool,
    #[schema(example = "test")]
    pub environment: String,
    pub created_at: String,
    pub updated_at: String,
    /// Their transactions, newest first (at most 100); only on `GET /customers/{id}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transactions: Option<Vec<Transaction>>,
}

/// A page of the list route's answer.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct CustomerList {
    data: Vec<Customer>,
    pagination: crate::http::query::Pagination,
}

fn object(state: &AppState, c: &CustomerRow, transactions: Option<Vec<Transaction>>) -> Customer {
    Customer {
        id: c.id.clone(),
        customer_id: c.id.clone(),
        organization_id: state.merchant().organization_id.clone(),
        name: c.name.clone(),
        email: c.email.clone(),
        phone_number: c.phone.clone(),
        country: c.country.clone(),
        city: c.city.clone(),
        address: c.address.clone(),
        postal_code: c.postal_code.clone(),
        is_business: false,
        is_deleted: false,
        environment: "test".to_string(),
        created_at: time(c.created_at),
        updated_at: time(c.updated_at),
        transactions,
    }
}

#[utoipa::path(
    get,
    operation_id = "get_customer",
    path = "/customers/{id}",
    tag = "Customers",
    params(
        ("id" = String, Path, description = "Customer id")
    ),
    responses(
        (status = 200, description = "The customer with their transactions", body = Customer),
        (status = 404, description = "No customer with this id", body = checkout_core::wire::ErrorBody),
        (status = 401, description = "Missing, wrong or live API key", body = checkout_core::wire::ErrorBody)
    ),
    security(("api_key" = []))
)]
pub async fn get(State(state): State<AppState>, Id(id): Id) -> Result<Response> {
    let db = state.db();
    crate::domain::payments::outcome::settle(&db, &state)?;
    let merchant = &state.merchant().id;
    let c = db
        .customer(merchant, &id)?
        .ok_or_else(|| Error::not_found("Customer not found"))?;
    let filter = TransactionFilter {
        customer_id: Some(c.id.clone()),
        ..TransactionFilter::default()
    };
    let page = PageRequest {
        limit: 100,
        offset: 0,
        oldest_first: false,
    };
    let (rows, _) = db.list_transactions(merchant, &filter, page)?;
    drop(db);
    let made = rows
        .iter()
        .map(|t| transactions::object(&state, t))
        .collect();
    Ok(one(StatusCode::OK, &object(&state, &c, Some(made))))
}

#[utoipa::path(
    get,
    operation_id = "list_customers",
    path = "/customers",
    tag = "Customers",
    params(
        ("email" = Option<String>, Query, description = "Only the customer with this email (case-insensitive); not blank", pattern = r"^[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[^\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"),
        ("phone_number" = Option<String>, Query, description = "Only the customer with this E.164 number (also phone); not blank", pattern = r"^[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[^\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"),
        crate::http::query::PageQuery
    ),
    responses(
        (status = 200, description = "Customers, newest first", body = CustomerList),
        (status = 400, description = "A filter value is invalid", body = checkout_core::wire::ErrorBody),
        (status = 401, description = "Missing, wrong or live API key", body = checkout_core::wire::ErrorBody)
    ),
    security(("api_key" = []))
)]
pub async fn list(State(state): State<AppState>, mut q: QueryParams) -> Result<Response> {
    let email = q.value(&["email"]).map(|e| e.to_lowercase());
    let phone = q.value(&["phone_number", "phone"]);
    let page = q.page();
    q.finish()?;
    let db = state.db();
    crate::domain::payments::outcome::settle(&db, &state)?;
    let (rows, total) = db.list_customers(
        &state.merchant().id,
        email.as_deref(),
        phone.as_deref(),
        page,
    )?;
    drop(db);
    let items: Vec<Customer> = rows.iter().map(|c| object(&state, c, None)).collect();
    Ok(listing(&items, page.with_total(total)))
}

#[utoipa::path(
    get,
    operation_id = "list_customer_transactions",
    path = "/customers/{id}/transactions",
    tag = "Customers",
    params(
        ("id" = String, Path, description = "Customer id"),
        transactions::TransactionFilters,
        crate::http::query::PageQuery
    ),
    responses(
        (status = 200, description = "The customer's transactions, newest first, as GET /transactions pages them", body = transactions::TransactionList),
        (status = 400, description = "A filter value is invalid", body = checkout_core::wire::ErrorBody),
        (status = 404, description = "No customer with this id", body = checkout_core::wire::ErrorBody),
        (status = 401, description = "Missing, wrong or live API key", body = checkout_core::wire::ErrorBody)
    ),
    security(("api_key" = []))
)]
pub async fn transactions(
    State(state): State<AppState>,
    Id(id): Id,
    q: QueryParams,
) -> Result<Response> {
    let known = state.db().customer(&state.merchant().id, &id)?;
    let Some(c) = known else {
        return Err(Error::not_found("Customer not found"));
    };
    transactions::page_of(&state, q, Some(c.id))
}
