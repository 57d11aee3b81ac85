//! `GET /checkout/{id}/receipt`: the customer's receipt for a paid session, in French or
//! English (`?lang=`, then the browser's languages), with its own URL so it can be opened
//! again later, printed or saved as PDF through the browser (a print stylesheet), and shared
//! where the phone offers it (Web Share, from a small script file: no inline script).

use crate::domain::receipts::{self, Receipt};
use crate::http::html;
use crate::http::input::Id;
use crate::http::pages::visitor_lang;
use crate::http::security::{origin, Policy};
use crate::http::state::AppState;
use askama::Template;
use axum::extract::{OriginalUri, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use checkout_core::calendar::civil_from_days;
use checkout_core::Money;
use lomi_checkout::format;
use lomi_checkout::i18n::Lang;

/// The receipt's words in one language.
struct Words {
    lang: &'static str,
    other: &'static str,
    other_name: &'static str,
    title: &'static str,
    paid_to: &'static str,
    date: &'static str,
    method: &'static str,
    reference: &'static str,
    payment: &'static str,
    customer: &'static str,
    billing: &'static str,
    subtotal: &'static str,
    discount: &'static str,
    total: &'static str,
    print: &'static str,
    share: &'static str,
    none_title: &'static str,
    none_body: &'static str,
    test_mode: &'static str,
    months: [&'static str; 12],
}

const FR: Words = Words {
    lang: "fr",
    other: "en",
    other_name: "English",
    title: "Reçu",
    paid_to: "Payé à",
    date: "Date",
    method: "Moyen de paiement",
    reference: "Référence de la transaction",
    payment: "Référence du paiement",
    customer: "Client",
    billing: "Adresse de facturation",
    subtotal: "Sous-total",
    discount: "Réduction",
    total: "Total payé",
    print: "Imprimer ou enregistrer en PDF",
    share: "Partager",
    none_title: "Pas de reçu",
    none_body: "Aucun paiement réussi n'est enregistré pour cette commande.",
    test_mode: "Mode test : aucun argent réel n'a été débité.",
    months: [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
};

const EN: Words = Words {
    lang: "en",
    other: "fr",
    other_name: "Français",
    title: "Receipt",
    paid_to: "Paid to",
    date: "Date",
    method: "Payment method",
    reference: "Transaction reference",
    payment: "Payment reference",
    customer: "Customer",
    billing: "Billing address",
    subtotal: "Subtotal",
    discount: "Discount",
    total: "Total paid",
    print: "Print or save as PDF",
    share: "Share",
    none_title: "No receipt",
    none_body: "No successful payment is recorded for this order.",
    test_mode: "Test mode: no real money was taken.",
    months: [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
};

struct Line {
    name: String,
    quantity: u32,
    amount: String,
}

#[derive(Template)]
#[template(path = "receipt.html")]
struct ReceiptPage<'a> {
    w: &'a Words,
    merchant: &'a str,
    logo: Option<String>,
    title: &'a str,
    lines: Vec<Line>,
    subtotal: String,
    discount: Option<String>,
    coupon: Option<String>,
    total: String,
    date: String,
    method: &'static str,
    transaction_id: &'a str,
    payment_id: &'a str,
    customer: Vec<String>,
    billing: Vec<String>,
}

#[derive(Template)]
#[template(path = "no_receipt.html")]
struct NoReceipt<'a> {
    w: &'a Words,
}

/// "2 décembre 2026, 10:05 UTC".
fn date(w: &Words, unix: i64) -> String {
    let (year, month, day) = civil_from_days(unix.div_euclid(86_400));
    let secs = unix.rem_euclid(86_400);
    let month = w.months[(month as usize).saturating_sub(1).min(11)];
    format!(
        "{day} {month} {year}, {:02}:{:02} UTC",
        secs / 3_600,
        (secs % 3_600) / 60
    )
}

/// The receipt's page as it will be shown; `lang` picks the words and the formats.
fn receipt_page<'a>(
    state: &'a AppState,
    w: &'a Words,
    lang: Lang,
    r: &'a Receipt,
) -> ReceiptPage<'a> {
    let t = &r.transaction;
    let s = &r.session;
    let money = |amount: i64| format::money(lang, Money::new(amount, t.currency));
    let merchant = state.merchant();
    let lines = t
        .line_items
        .iter()
        .map(|l| Line {
            name: l.name.clone(),
            quantity: l.quantity,
            amount: money(l.amount()),
        })
        .collect();
    let subtotal = t.gross_amount.saturating_add(t.discount_amount);
    let customer = [&s.customer_name, &s.customer_email, &s.customer_phone]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
    let billing = s
        .billing
        .as_ref()
        .map(|b| {
            let mut lines = vec![b.line1.clone()];
            lines.push(match &b.postal_code {
                Some(code) => format!("{code} {}", b.city),
                None => b.city.clone(),
            });
            lines.push(format::country_name(lang, &b.country));
            lines
        })
        .unwrap_or_default();
    ReceiptPage {
        w,
        merchant: &merchant.name,
        logo: merchant.logo_url.as_deref().and_then(|u| state.image(u)),
        title: &s.title,
        lines,
        subtotal: money(subtotal),
        discount: (t.discount_amount > 0).then(|| format!("−{}", money(t.discount_amount))),
        coupon: t.coupon_code.clone(),
        total: money(t.gross_amount),
        date: date(w, t.created_at),
        method: match t.provider {
            Some(p) => lang.provider_name(p),
            None => match lang {
                Lang::Fr => "Gratuit",
                Lang::En => "Free",
            },
        },
        transaction_id: &t.id,
        payment_id: &t.payment_id,
        customer,
        billing,
    }
}

/// Never cached (it names the customer), never framed, no referrer; its style by hash, its
/// one script (print and share) from the sandbox itself, the merchant's logo from its origin.
fn respond(status: StatusCode, page: &impl Template, logo: Option<&str>) -> Response {
    html::own_page(status, page, true, |body| {
        let mut policy = Policy::for_sandbox_page(body, &[]);
        policy.scripts = vec!["'self'".to_string()];
        policy.images = vec!["'self'".to_string()];
        if let Some(o) = logo.and_then(origin) {
            if !policy.images.contains(&o) {
                policy.images.push(o);
            }
        }
        policy
    })
}

/// `GET /checkout/{id}/receipt`.
pub async fn receipt(
    State(state): State<AppState>,
    Id(id): Id,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
) -> Response {
    let lang = visitor_lang(&uri, &headers);
    let w = match lang {
        Lang::Fr => &FR,
        Lang::En => &EN,
    };
    let found = {
        let db = state.db();
        receipts::for_session(&db, &state, &id)
    };
    match found {
        Ok(Some(r)) => {
            let view = receipt_page(&state, w, lang, &r);
            respond(StatusCode::OK, &view, view.logo.as_deref())
        }
        Ok(None) => respond(StatusCode::NOT_FOUND, &NoReceipt { w }, None),
        Err(error) => error.into_response(),
    }
}

/// `GET /sandbox/assets/receipt.js`.
pub async fn script() -> Response {
    html::script(RECEIPT_JS)
}

/// The receipt's buttons. "Share" appears only where the
/// browser can share (Web Share); "Print" opens the browser's print dialog, where "Save as
/// PDF" is.
pub const RECEIPT_JS: &str = r#"(function () {
  var print = document.getElementById("print");
  if (print) print.addEventListener("click", function () { window.print(); });
  var share = document.getElementById("share");
  if (share && navigator.share) {
    share.hidden = false;
    share.addEventListener("click", function () {
      navigator.share({ title: document.title, url: location.href }).catch(function () {});
    });
  }
})();
"#;
