//! Plans offer only the providers that can collect their renewals (core's
//! `providers::can_renew`): crypto, which cannot be charged again, is neither listed nor
//! accepted.

mod common;

use axum::http::StatusCode;
use common::{customer, demo_app, last_segment};
use serde_json::json;

#[tokio::test]
async fn a_plan_offers_no_crypto_and_refuses_it() {
    let app = demo_app();
    let links = lomi_sandbox::domain::demo::seed(&app.state).unwrap();
    let plan = last_segment(&links.plan);
    let r = app
        .public("GET", &format!("/api/checkout/links/{plan}"), None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let offered: Vec<&str> = r.json["allowed_providers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert_eq!(offered, ["WAVE", "ORANGE", "MTN", "STRIPE"], "{}", r.text());

    let r = app
        .pay(
            "links",
            &plan,
            "crypto-plan",
            json!({"customer": customer("0708091011"), "provider": "NOWPAYMENTS",
                   "billing": {"country": "CI", "city": "Abidjan", "line1": "Rue des Jardins"}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
    assert!(
        r.text().contains("NOWPAYMENTS is not offered"),
        "{}",
        r.text()
    );

    // A one-time product keeps every provider.
    let product = last_segment(&links.product);
    let r = app
        .public("GET", &format!("/api/checkout/links/{product}"), None)
        .await;
    assert!(r.json["allowed_providers"]
        .as_array()
        .unwrap()
        .contains(&json!("NOWPAYMENTS")));
}
