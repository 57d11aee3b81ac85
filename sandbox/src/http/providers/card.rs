//! The sandbox's hosted card page, standing in for Stripe's: card data is typed here, never
//! on the checkout page. The rules (test cards, expiry, 3-D Secure) are the domain's.

use super::{display_amount, respond, see_other, AlreadyAnswered};
use crate::domain::payments::card::{self, CardEntry, CardStep, TEST_CARDS};
use crate::domain::payments::{card_url, status_url};
use crate::error::Result;
use crate::http::input::Id;
use crate::http::state::AppState;
use crate::storage::{PaymentRow, Stage};
use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use checkout_core::payment::PaymentStatus;

#[derive(Template)]
#[template(path = "providers/card.html")]
struct CardForm<'a> {
    id: &'a str,
    merchant: &'a str,
    amount: String,
    /// Why the last attempt was refused, shown above the form.
    error: Option<&'a str>,
    /// The test cards' numbers and what each does.
    cards: Vec<(&'static str, &'static str)>,
}

impl<'a> CardForm<'a> {
    fn new(state: &'a AppState, p: &'a PaymentRow, error: Option<&'a str>) -> Self {
        CardForm {
            id: &p.id,
            merchant: &state.merchant().name,
            amount: display_amount(p),
            error,
            cards: TEST_CARDS
                .iter()
                .map(|(number, _, what)| (*number, *what))
                .collect(),
        }
    }
}

#[derive(Template)]
#[template(path = "providers/three_ds.html")]
struct ThreeDsPage<'a> {
    id: &'a str,
    merchant: &'a str,
    amount: String,
    last4: &'a str,
}

/// The page once the card payment no longer waits for the customer.
fn answered(state: &AppState, p: &PaymentRow) -> Response {
    let url = status_url(state, p);
    respond(
        StatusCode::OK,
        &AlreadyAnswered::new(&state.merchant().name, &url, p.status),
    )
}

/// `GET /sandbox/card/{id}`.
pub async fn page(State(state): State<AppState>, Id(id): Id) -> Result<Response> {
    let p = card::find(&state, &id)?;
    Ok(match (p.status, p.stage) {
        (PaymentStatus::Pending, Stage::AwaitingCustomer) => {
            respond(StatusCode::OK, &CardForm::new(&state, &p, None))
        }
        (PaymentStatus::Pending, Stage::Authenticating) => {
            see_other(&format!("{}/3ds", card_url(&state, &p.id)))
        }
        _ => answered(&state, &p),
    })
}

/// `POST /sandbox/card/{id}`: the card form. A test card settles the payment (or starts
/// 3-D Secure); anything else shows the form again with the problem.
pub async fn submit(State(state): State<AppState>, Id(id): Id, body: Bytes) -> Result<Response> {
    let mut entry = CardEntry::default();
    for (key, value) in form_urlencoded::parse(&body) {
        match key.as_ref() {
            "number" => entry.number = value.into_owned(),
            "expiry" => entry.expiry = value.into_owned(),
            "cvc" => entry.cvc = value.into_owned(),
            _ => {}
        }
    }
    Ok(match card::submit(&state, &id, &entry)? {
        CardStep::Status(p) => see_other(&status_url(&state, &p)),
        CardStep::Authenticate(p) => see_other(&format!("{}/3ds", card_url(&state, &p.id))),
        CardStep::Form(p, problem) => respond(
            StatusCode::BAD_REQUEST,
            &CardForm::new(&state, &p, Some(problem)),
        ),
    })
}

/// `GET /sandbox/card/{id}/3ds`: the bank's authentication step.
pub async fn three_ds(State(state): State<AppState>, Id(id): Id) -> Result<Response> {
    let p = card::find(&state, &id)?;
    Ok(match (p.status, p.stage) {
        (PaymentStatus::Pending, Stage::Authenticating) => {
            let page = ThreeDsPage {
                id: &p.id,
                merchant: &state.merchant().name,
                amount: display_amount(&p),
                last4: p.card_last4.as_deref().unwrap_or_default(),
            };
            respond(StatusCode::OK, &page)
        }
        (PaymentStatus::Pending, _) => see_other(&card_url(&state, &p.id)),
        _ => answered(&state, &p),
    })
}

fn authenticated(state: &AppState, id: &str, passed: bool) -> Result<Response> {
    let p = card::authenticate(state, id, passed)?;
    Ok(see_other(&status_url(state, &p)))
}

/// `POST /sandbox/card/{id}/3ds/complete`.
pub async fn three_ds_complete(State(state): State<AppState>, Id(id): Id) -> Result<Response> {
    authenticated(&state, &id, true)
}

/// `POST /sandbox/card/{id}/3ds/fail`.
pub async fn three_ds_fail(State(state): State<AppState>, Id(id): Id) -> Result<Response> {
    authenticated(&state, &id, false)
}
