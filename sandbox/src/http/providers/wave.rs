//! The sandbox's Wave page, where the customer approves or declines the payment; what an
//! answer does is the domain's ([`crate::domain::payments::wave`]).

use super::{already_answered, display_amount, document, escape_html};
use crate::domain::payments::{status_url, wave};
use crate::error::Result;
use crate::http::input::Id;
use crate::http::providers as html;
use crate::http::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

/// `GET /sandbox/wave/{id}`.
pub async fn page(State(state): State<AppState>, Id(id): Id) -> Result<Response> {
    let p = wave::find(&state, &id)?;
    let merchant = &state.merchant().name;
    if !wave::waiting(&p) {
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

/// The customer's answer, then back to the page's live status.
fn answer(state: &AppState, id: &str, approve: bool) -> Result<Response> {
    let p = wave::answer(state, id, approve)?;
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
