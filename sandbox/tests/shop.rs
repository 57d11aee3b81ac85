//! The demo shop as a merchant's server: "Buy" makes a session over the API and redirects to
//! it, the signed webhook marks the order paid once, a forged one is refused.

mod common;

use lomi_sandbox::config::WebhookSettings;
use lomi_sandbox::{spawn, Config};
use serde_json::{json, Value};
use std::time::Duration;

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn order_page(base: &str, order: &str) -> String {
    let r = client()
        .get(format!("{base}/sandbox/shop/orders/{order}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    r.text().await.unwrap()
}

#[tokio::test]
async fn an_order_is_paid_by_its_signed_webhook_and_a_forged_one_is_refused() {
    let config = Config {
        webhooks: WebhookSettings {
            retry_unit_ms: 100,
            ..Config::default().webhooks
        },
        ..common::config()
    };
    let sandbox = spawn(config, "127.0.0.1:0".parse().unwrap()).await.unwrap();
    let base = sandbox.base_url.clone();
    let shop = client()
        .get(format!("{base}/sandbox/shop"))
        .send()
        .await
        .unwrap();
    assert_eq!(shop.status(), 200);
    let csp = shop.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.contains("form-action 'self'"), "{csp}");
    assert!(shop.text().await.unwrap().contains("Pagne wax"));

    // "Buy": the shop's server makes a session and sends the customer to it.
    let r = client()
        .post(format!("{base}/sandbox/shop/orders"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("item=pagne-wax")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let checkout = r.headers()["location"].to_str().unwrap().to_string();
    assert!(
        checkout.starts_with(&format!("{base}/checkout/")),
        "{checkout}"
    );
    let session_id = checkout.rsplit('/').next().unwrap();

    // The session is the merchant's, with the order in its metadata and the way back.
    let api = client();
    let s: Value = api
        .get(format!("{base}/checkout-sessions/{session_id}"))
        .header("X-API-Key", &sandbox.api_key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let order = s["metadata"]["shop_order_id"].as_str().unwrap().to_string();
    assert_eq!(s["amount"], json!(12000));
    assert_eq!(
        s["success_url"],
        format!("{base}/sandbox/shop/orders/{order}")
    );
    assert!(order_page(&base, &order)
        .await
        .contains("En attente du paiement · Awaiting payment"));

    // A forged delivery is refused and changes nothing.
    let forged = json!({"id": "evt", "event": "PAYMENT_SUCCEEDED", "timestamp": "2026-01-01T00:00:00Z",
                        "data": {"checkout_session_id": session_id, "transaction_id": "t"}, "lomi_environment": "test"});
    let r = client()
        .post(format!("{base}/sandbox/shop/webhooks"))
        .header("X-Lomi-Signature", "00".repeat(32))
        .body(forged.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(order_page(&base, &order)
        .await
        .contains("En attente du paiement"));

    // The customer pays; the webhook marks the order paid.
    let paid = client()
        .post(format!("{base}/api/checkout/sessions/{session_id}/pay"))
        .header("Idempotency-Key", "shop-test")
        .json(
            &json!({"customer": common::customer("0700000011"), "provider": "WAVE",
                      "billing": {"country": "CI", "city": "Abidjan", "line1": "Rue des Jardins"}}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(paid.status(), 201);
    let payment: Value = paid.json().await.unwrap();
    let r = api
        .post(format!(
            "{base}/sandbox/payments/{}/succeed",
            payment["id"].as_str().unwrap()
        ))
        .header("X-API-Key", &sandbox.api_key)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let mut page = String::new();
    for _ in 0..100 {
        page = order_page(&base, &order).await;
        if page.contains("Commande payée · Order paid") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(page.contains("Commande payée · Order paid"), "{page}");
    assert!(page.contains("signature valide"));
    assert!(page.contains("signature invalide, refusé"));
    assert!(
        !page.contains("http-equiv=\"refresh\""),
        "a paid order stops reloading"
    );

    // The same event delivered again (a manual retry) is acknowledged, not applied twice.
    let logs: Value = api
        .get(format!("{base}/webhook-delivery-logs?success=true"))
        .header("X-API-Key", &sandbox.api_key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let log = logs["data"][0]["id"].as_str().unwrap();
    let r = api
        .post(format!("{base}/webhook-delivery-logs/{log}/retry"))
        .header("X-API-Key", &sandbox.api_key)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 202);
    for _ in 0..100 {
        page = order_page(&base, &order).await;
        if page.contains("déjà traité") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(page.contains("déjà traité · already handled"), "{page}");
    sandbox.shutdown().await;
}
