//! The sandbox's Wave: the page Wave's launch URL opens (in the app on a phone, from the QR
//! code on a computer), where the customer approves or declines the payment.

use super::html::{self, already_answered, document};
use super::outcome::{self, Pace};
use super::{display_amount, status_url};
use crate::db::{PaymentRow, Stage};
use crate::error::{Error, Result};
use crate::input::Id;
use crate::pages::escape_html;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use checkout_core::payment::{FailureReason, PaymentStatus};
use checkout_core::wire::Provider;

fn wave_payment(state: &AppState, id: &str) -> Result<PaymentRow> {
    let p = super::find(state, id)?;
    if p.provider != Some(Provider::Wave) {
        return Err(Error::not_found("No Wave payment with this id"));
    }
    Ok(p)
}

fn waiting(p: &PaymentRow) -> bool {
    p.status == PaymentStatus::Pending && p.stage == Stage::AwaitingCustomer
}

/// `GET /sandbox/wave/{id}`.
pub async fn page(State(state): State<AppState>, Id(id): Id) -> Result<Response> {
    let p = wave_payment(&state, &id)?;
    let merchant = &state.merchant().name;
    if !waiting(&p) {
        return Ok(html::respond(
            StatusCode::OK,
            already_answered(merchant, &status_url(&state, &p), p.status),
        ));
    }
    let id = escape_html(&p.id);
    let body = format!(
        r#"<p class="brand">Wave <span class="test">Mode test · Test mode</span></p>
<h1>Confirmer le paiement · Confirm the payment</h1>
<p class="amount" data-testid="wave-amount">{amount}</p>
<dl>
<dt>Marchand · Merchant</dt><dd data-testid="wave-merchant">{merchant}</dd>
<dt>Téléphone · Phone</dt><dd data-testid="wave-phone">{phone}</dd>
</dl>
<form method="post" action="/sandbox/wave/{id}/approve">
<button type="submit">Approuver · Approve</button>
</form>
<form method="post" action="/sandbox/wave/{id}/decline">
<button type="submit" class="secondary">Refuser · Decline</button>
</form>"#,
        amount = escape_html(&display_amount(&p)),
        merchant = escape_html(merchant),
        phone = escape_html(p.phone.as_deref().unwrap_or_default()),
    );
    Ok(html::respond(
        StatusCode::OK,
        document("Wave · lomi. sandbox", &body),
    ))
}

/// The customer's answer, then back to the page's live status. A second answer (a double
/// tap, the back button) changes nothing.
fn answer(state: &AppState, id: &str, approve: bool) -> Result<Response> {
    let p = outcome::settled(state, |db| {
        let p = db
            .payment(&state.merchant().id, id)?
            .filter(|p| p.provider == Some(Provider::Wave))
            .ok_or_else(|| Error::not_found("No Wave payment with this id"))?;
        if waiting(&p) {
            if approve {
                outcome::confirmed(db, state, &p, Pace::AtOnce)?;
            } else {
                db.fail_payment(&p.id, FailureReason::RejectedByCustomer, state.now())?;
            }
        }
        Ok(p)
    })?;
    Ok(html::see_other(&status_url(state, &p)))
}

/// `POST /sandbox/wave/{id}/approve`.
pub async fn approve(State(state): State<AppState>, Id(id): Id) -> Result<Response> {
    answer(&state, &id, true)
}

/// `POST /sandbox/wave/{id}/decline`.
pub async fn decline(State(state): State<AppState>, Id(id): Id) -> Result<Response> {
    answer(&state, &id, false)
}
