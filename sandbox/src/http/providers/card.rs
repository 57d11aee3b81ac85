//! The sandbox's hosted card page, standing in for Stripe's: card data is typed here, never
//! on the checkout page. The rules (test cards, expiry, 3-D Secure) are the domain's.

use super::{already_answered, display_amount, document, escape_html};
use crate::domain::payments::card::{self, CardEntry, CardStep, TEST_CARDS};
use crate::domain::payments::{card_url, status_url};
use crate::error::Result;
use crate::http::input::Id;
use crate::http::providers as html;
use crate::http::state::AppState;
use crate::storage::{PaymentRow, Stage};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use checkout_core::payment::PaymentStatus;

fn card_form(state: &AppState, p: &PaymentRow, error: Option<&str>) -> String {
    let id = escape_html(&p.id);
    let error = error.map_or_else(String::new, |e| {
        format!(
            r#"<p class="error" role="alert" data-testid="card-error">{}</p>"#,
            escape_html(e)
        )
    });
    let cards: String = TEST_CARDS
        .iter()
        .map(|(number, _, what)| {
            format!(
                "<tr><td><code>{}</code></td><td>{}</td></tr>",
                escape_html(number),
                escape_html(what)
            )
        })
        .collect();
    let body = format!(
        r#"<p class="brand">Carte bancaire · Card <span class="test">Mode test · Test mode</span></p>
<h1>{merchant}</h1>
<p class="amount" data-testid="card-amount">{amount}</p>
{error}
<form method="post" action="/sandbox/card/{id}" autocomplete="off">
<label for="number">Numéro de carte · Card number</label>
<input id="number" name="number" inputmode="numeric" autocomplete="cc-number" placeholder="4242 4242 4242 4242" required>
<div class="row">
<div><label for="expiry">Expiration (MM/AA · MM/YY)</label>
<input id="expiry" name="expiry" autocomplete="cc-exp" placeholder="12/34" required></div>
<div><label for="cvc">CVC</label>
<input id="cvc" name="cvc" inputmode="numeric" autocomplete="cc-csc" placeholder="123" required></div>
</div>
<button type="submit">Payer · Pay {amount}</button>
</form>
<table>
<tr><th>Cartes de test · Test cards</th><th></th></tr>
{cards}
<tr><td colspan="2">Toute date future, tout CVC à 3 chiffres · Any future date, any 3-digit CVC</td></tr>
</table>"#,
        merchant = escape_html(&state.merchant().name),
        amount = escape_html(&display_amount(p)),
    );
    document("Carte · Card · lomi. sandbox", &body)
}

/// `GET /sandbox/card/{id}`.
pub async fn page(State(state): State<AppState>, Id(id): Id) -> Result<Response> {
    let p = card::find(&state, &id)?;
    Ok(match (p.status, p.stage) {
        (PaymentStatus::Pending, Stage::AwaitingCustomer) => {
            html::respond(StatusCode::OK, card_form(&state, &p, None))
        }
        (PaymentStatus::Pending, Stage::Authenticating) => {
            html::see_other(&format!("{}/3ds", card_url(&state, &p.id)))
        }
        _ => html::respond(
            StatusCode::OK,
            already_answered(&state.merchant().name, &status_url(&state, &p), p.status),
        ),
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
        CardStep::Status(p) => html::see_other(&status_url(&state, &p)),
        CardStep::Authenticate(p) => html::see_other(&format!("{}/3ds", card_url(&state, &p.id))),
        CardStep::Form(p, problem) => html::respond(
            StatusCode::BAD_REQUEST,
            card_form(&state, &p, Some(problem)),
        ),
    })
}

/// `GET /sandbox/card/{id}/3ds`: the bank's authentication step.
pub async fn three_ds(State(state): State<AppState>, Id(id): Id) -> Result<Response> {
    let p = card::find(&state, &id)?;
    Ok(match (p.status, p.stage) {
        (PaymentStatus::Pending, Stage::Authenticating) => {
            let id = escape_html(&p.id);
            let body = format!(
                r#"<p class="brand">3-D Secure <span class="test">Mode test · Test mode</span></p>
<h1>Authentification · Authentication</h1>
<p>{merchant} · <strong>{amount}</strong></p>
<p>Carte se terminant par · Card ending in {last4}</p>
<form method="post" action="/sandbox/card/{id}/3ds/complete">
<button type="submit">Valider l'authentification · Complete authentication</button>
</form>
<form method="post" action="/sandbox/card/{id}/3ds/fail">
<button type="submit" class="secondary">Échouer l'authentification · Fail authentication</button>
</form>"#,
                merchant = escape_html(&state.merchant().name),
                amount = escape_html(&display_amount(&p)),
                last4 = escape_html(p.card_last4.as_deref().unwrap_or_default()),
            );
            html::respond(
                StatusCode::OK,
                document("3-D Secure · lomi. sandbox", &body),
            )
        }
        (PaymentStatus::Pending, _) => html::see_other(&card_url(&state, &p.id)),
        _ => html::respond(
            StatusCode::OK,
            already_answered(&state.merchant().name, &status_url(&state, &p), p.status),
        ),
    })
}

fn authenticated(state: &AppState, id: &str, passed: bool) -> Result<Response> {
    let p = card::authenticate(state, id, passed)?;
    Ok(html::see_other(&status_url(state, &p)))
}

/// `POST /sandbox/card/{id}/3ds/complete`.
pub async fn three_ds_complete(State(state): State<AppState>, Id(id): Id) -> Result<Response> {
    authenticated(&state, &id, true)
}

/// `POST /sandbox/card/{id}/3ds/fail`.
pub async fn three_ds_fail(State(state): State<AppState>, Id(id): Id) -> Result<Response> {
    authenticated(&state, &id, false)
}
