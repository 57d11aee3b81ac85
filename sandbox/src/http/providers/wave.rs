//! The sandbox's Wave page, where the customer approves or declines the payment; what an
//! answer does is the domain's ([`crate::domain::payments::wave`]).

use super::{display_amount, respond, see_other, AlreadyAnswered};
use crate::domain::payments::{status_url, wave};
use crate::error::Result;
use crate::http::input::Id;
use crate::http::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

#[derive(Template)]
#[template(path = "providers/wave.html")]
struct WavePage<'a> {
    id: &'a str,
    amount: String,
    merchant: &'a str,
    phone: &'a str,
}

/// `GET /sandbox/wave/{id}`.
pub async fn page(State(state): State<AppState>, Id(id): Id) -> Result<Response> {
    let p = wave::find(&state, &id)?;
    let merchant = &state.merchant().name;
    if !wave::waiting(&p) {
        let url = status_url(&state, &p);
        return Ok(respond(
            StatusCode::OK,
            &AlreadyAnswered::new(merchant, &url, p.status),
        ));
    }
    let page = WavePage {
        id: &p.id,
        amount: display_amount(&p),
        merchant,
        phone: p.phone.as_deref().unwrap_or_default(),
    };
    Ok(respond(StatusCode::OK, &page))
}

/// The customer's answer, then back to the page's live status.
fn answer(state: &AppState, id: &str, approve: bool) -> Result<Response> {
    let p = wave::answer(state, id, approve)?;
    Ok(see_other(&status_url(state, &p)))
}

/// `POST /sandbox/wave/{id}/approve`.
pub async fn approve(State(state): State<AppState>, Id(id): Id) -> Result<Response> {
    answer(&state, &id, true)
}

/// `POST /sandbox/wave/{id}/decline`.
pub async fn decline(State(state): State<AppState>, Id(id): Id) -> Result<Response> {
    answer(&state, &id, false)
}
