//! The customer's receipt at `/checkout/{session}/receipt`: nothing before the payment
//! succeeds, then the merchant, what was bought, the amount, the date, the method, the
//! references and the customer, in French or English, printable and shareable.

mod common;

use axum::http::StatusCode;
use common::{app, customer};
use serde_json::json;

#[tokio::test]
async fn a_paid_session_has_a_receipt_in_both_languages() {
    let app = app();
    let r = app
        .post(
            "/checkout-sessions",
            json!({"amount": 12000, "currency_code": "XOF", "title": "Commande #88",
                   "customer_name": "Awa Diallo", "customer_email": "awa@example.ci"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let session = r.json["id"].as_str().unwrap().to_string();

    // Nothing paid yet: no receipt.
    let r = app
        .send(
            "GET",
            &format!("/checkout/{session}/receipt?lang=fr"),
            &[],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.text().contains("Pas de reçu"), "{}", r.text());

    let paid = app
        .pay(
            "sessions",
            &session,
            "receipt",
            json!({"customer": customer("0700000011"), "provider": "WAVE",
                   "billing": {"country": "CI", "city": "Abidjan", "line1": "12 Rue des Jardins"}}),
        )
        .await;
    assert_eq!(paid.status, StatusCode::CREATED, "{}", paid.text());
    let payment = paid.json["id"].as_str().unwrap();
    let r = app
        .post(&format!("/sandbox/payments/{payment}/succeed"), json!({}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let transaction = app.payment(payment).await.json["transaction_id"]
        .as_str()
        .unwrap()
        .to_string();

    let r = app
        .send(
            "GET",
            &format!("/checkout/{session}/receipt?lang=fr"),
            &[],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let page = r.text();
    for expected in [
        "<html lang=\"fr\">",
        "Reçu · Commande #88",
        "Boutique Awa",
        "Commande #88 × 1",
        "Wave",
        &transaction,
        "Awa Diallo",
        "awa@example.ci",
        "12 Rue des Jardins",
        "Côte d’Ivoire",
        "Imprimer ou enregistrer en PDF",
    ] {
        assert!(page.contains(expected), "no {expected:?} in {page}");
    }
    // The amount as the page writes it: French XOF, no decimals, narrow no-break spaces.
    let amount = lomi_checkout::format::money(
        lomi_checkout::i18n::Lang::Fr,
        checkout_core::Money::new(12_000, checkout_core::Currency::Xof),
    );
    assert!(
        page.contains(&format!("data-testid=\"receipt-total\">{amount}<")),
        "{page}"
    );
    assert!(page.contains("@media print"));
    let csp = r.header("content-security-policy").unwrap();
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert_eq!(r.header("cache-control"), Some("no-store"));

    let r = app
        .send(
            "GET",
            &format!("/checkout/{session}/receipt?lang=en"),
            &[],
            None,
        )
        .await;
    let page = r.text();
    assert!(page.contains("<html lang=\"en\">") && page.contains("Receipt · Commande #88"));
    assert!(page.contains("Total paid") && page.contains("Print or save as PDF"));

    // The buttons' script, served by the sandbox (no inline script).
    let r = app
        .send("GET", "/sandbox/assets/receipt.js", &[], None)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text().contains("navigator.share") && r.text().contains("window.print"));
}
