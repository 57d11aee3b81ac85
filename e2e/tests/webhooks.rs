//! What the merchant's server hears: a customer pays through the page and the merchant's
//! endpoint receives the signed event, retried with the same id after a 500, and both attempts
//! are in the delivery log; a declined payment sends PAYMENT_FAILED; the demo shop goes from
//! "Buy" to "Order paid".

use checkout_e2e::states::instant_link;
use checkout_e2e::webhooks::WebhookEndpoint;
use checkout_e2e::{curl, payment_sandbox, Browser};
use fantoccini::Locator;
use serde_json::Value;
use std::time::Duration;

/// Registers `endpoint` as the merchant does (the command `make run` prints); answers the
/// webhook object, its secret in `verification_token`.
async fn register(base: &str, endpoint: &WebhookEndpoint) -> anyhow::Result<Value> {
    let reply = curl(
        base,
        &format!(
            r#"curl -X POST "$BASE/webhooks" -H "X-API-Key: $LOMI_API_KEY" \
              -H "Content-Type: application/json" \
              -d '{{"url": "{}", "authorized_events": ["PAYMENT_SUCCEEDED", "PAYMENT_FAILED"]}}'"#,
            endpoint.url
        ),
    )
    .await?;
    anyhow::ensure!(reply.status == 201, "{:?}", reply.body);
    Ok(reply.body)
}

#[tokio::test]
async fn a_payment_through_the_page_reaches_the_endpoint_signed_and_a_500_is_retried(
) -> anyhow::Result<()> {
    let (server, _) = payment_sandbox(None).await?;
    let base = server.base_url.clone();
    let endpoint = WebhookEndpoint::start(&[500]).await?;
    let webhook = register(&base, &endpoint).await?;
    let secret = webhook["verification_token"].as_str().unwrap_or_default();
    let browser = Browser::start().await?;

    browser
        .pay_with(
            &format!("{}?lang=fr", instant_link(&base).await?),
            "MTN MoMo",
            "07 08 09 10 11",
        )
        .await?;
    browser
        .wait_for_text_prefix("payment-succeeded", "Paiement réussi")
        .await?;

    let got = endpoint.wait_for(2).await?;
    let event = got[0].json();
    assert_eq!(event["event"], "PAYMENT_SUCCEEDED", "{event}");
    assert_eq!(event["data"]["status"], "completed");
    assert_eq!(event["data"]["gross_amount"], 8000);
    assert_eq!(event["data"]["provider_code"], "MTN");
    assert_eq!(event["data"]["description"], "Atelier couture");
    for d in &got {
        assert!(d.signed_with(secret), "X-Lomi-Signature does not verify");
        assert!(!d.signed_with("whsec_someone_else"));
        assert_eq!(d.header("x-lomi-event"), "PAYMENT_SUCCEEDED");
        assert_eq!(d.header("user-agent"), "Lomi-Webhook/1.0");
        assert_eq!(
            d.json()["id"],
            event["id"],
            "the retry carries the same event id"
        );
    }
    assert_eq!(got[0].body, got[1].body);

    // The merchant reads both attempts in the delivery log.
    let logs = curl(
        &base,
        &format!(
            r#"curl "$BASE/webhook-delivery-logs?event_id={}" -H "X-API-Key: $LOMI_API_KEY""#,
            event["id"].as_str().unwrap_or_default()
        ),
    )
    .await?;
    let lines = logs.body["data"].as_array().cloned().unwrap_or_default();
    let summary: Vec<(i64, i64, bool)> = lines
        .iter()
        .map(|l| {
            (
                l["attempt_number"].as_i64().unwrap_or(0),
                l["response_status"].as_i64().unwrap_or(0),
                l["success"].as_bool().unwrap_or(false),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [(2, 200, true), (1, 500, false)],
        "{:?}",
        logs.body
    );

    browser.close().await?;
    server.shutdown().await
}

#[tokio::test]
async fn a_declined_payment_sends_payment_failed() -> anyhow::Result<()> {
    let (server, _) = payment_sandbox(None).await?;
    let base = server.base_url.clone();
    let endpoint = WebhookEndpoint::start(&[]).await?;
    let webhook = register(&base, &endpoint).await?;
    let browser = Browser::start().await?;

    browser
        .pay_with(
            &format!("{}?lang=fr", instant_link(&base).await?),
            "Wave",
            "07 08 09 10 11",
        )
        .await?;
    browser.click_testid("provider-link").await?;
    browser.click_button_containing("Decline").await?;
    browser
        .wait_for_text_prefix("failure-reason", "Le paiement a été refusé")
        .await?;
    let got = endpoint.wait_for(1).await?;
    let event = got[0].json();
    assert_eq!(event["event"], "PAYMENT_FAILED", "{event}");
    assert_eq!(got[0].header("x-lomi-event"), "PAYMENT_FAILED");
    assert_eq!(event["data"]["status"], "failed");
    assert_eq!(event["data"]["failure_reason"], "rejected_by_customer");
    assert!(got[0].signed_with(webhook["verification_token"].as_str().unwrap_or_default()));
    browser.close().await?;
    server.shutdown().await
}

/// The status line of the shop's order page, read again across its self-reloads.
async fn shop_status_becomes(browser: &Browser, expected: &str) -> anyhow::Result<()> {
    let mut last = String::new();
    for _ in 0..150 {
        if let Ok(el) = browser
            .client
            .find(Locator::Css("[data-testid=shop-order-status]"))
            .await
        {
            if let Ok(text) = el.text().await {
                if text.trim() == expected {
                    return Ok(());
                }
                last = text;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    anyhow::bail!("the order's status stayed {last:?}, expected {expected:?}")
}

#[tokio::test]
async fn the_demo_shop_goes_from_buy_to_order_paid() -> anyhow::Result<()> {
    let (server, _) = payment_sandbox(None).await?;
    let base = server.base_url.clone();
    let browser = Browser::start().await?;

    browser.open(&format!("{base}/sandbox/shop")).await?;
    browser
        .client
        .find(Locator::XPath(
            "//button[@aria-label='Acheter Pagne wax · Buy Pagne wax']",
        ))
        .await?
        .click()
        .await?;
    // The shop's server made a session and sent the customer to it.
    browser.url_becomes(&format!("{base}/checkout/")).await?;
    browser.ready().await?;
    browser
        .text_becomes("summary-total", "12 000 F CFA")
        .await?;
    browser.fill_contact("07 08 09 10 11").await?;
    browser.choose_provider("MTN MoMo").await?;
    browser.click_testid("pay-button").await?;

    // Paid, the customer is back on the shop, which heard the webhook.
    browser
        .url_becomes(&format!("{base}/sandbox/shop/orders/"))
        .await?;
    shop_status_becomes(&browser, "Commande payée · Order paid").await?;
    let event = browser
        .client
        .find(Locator::Css("[data-testid=shop-event]"))
        .await?
        .text()
        .await?;
    assert!(
        event.contains("signature valide · valid signature") && event.contains("PAYMENT_SUCCEEDED"),
        "{event}"
    );
    let paid = browser
        .client
        .find(Locator::Css("[data-testid=shop-step-paid]"))
        .await?
        .text()
        .await?;
    assert!(paid.contains("transaction"), "{paid}");

    // The shop's list shows it paid too.
    browser.open(&format!("{base}/sandbox/shop")).await?;
    let list = browser
        .client
        .find(Locator::Css("table"))
        .await?
        .text()
        .await?;
    assert!(
        list.contains("Pagne wax") && list.contains("Payée · Paid"),
        "{list}"
    );
    browser.close().await?;
    server.shutdown().await
}
