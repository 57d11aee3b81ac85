//! The receipt a customer keeps: linked from the success screen, at its own address under the
//! session's, with what they paid, when, how and the references; the session's address opened
//! later leads to it again.

use checkout_e2e::{curl, payment_sandbox, Browser};

#[tokio::test]
async fn success_links_to_a_receipt_that_the_sessions_address_finds_again() -> anyhow::Result<()> {
    let (server, _) = payment_sandbox(None).await?;
    let created = curl(
        &server.base_url,
        r#"curl -X POST "$BASE/checkout-sessions" -H "X-API-KEY: $LOMI_API_KEY" \
          -H "Content-Type: application/json" \
          -d '{"amount": 7500, "currency_code": "XOF", "title": "Commande #501",
               "require_billing_address": false}'"#,
    )
    .await?;
    anyhow::ensure!(created.status == 201, "{:?}", created.body);
    let session = created.body["id"].as_str().unwrap_or_default().to_string();
    let b = Browser::start().await?;
    b.open(&format!(
        "{}?lang=fr",
        created.body["checkout_url"].as_str().unwrap_or_default()
    ))
    .await?;
    b.fill_contact("07 08 09 10 11").await?;
    b.choose_provider("MTN MoMo").await?;
    b.click_testid("pay-button").await?;
    b.wait_for_text_prefix("payment-succeeded", "Paiement réussi")
        .await?;
    let reference = b.text("transaction-id").await?;

    b.click_testid("receipt-link").await?;
    let url = b
        .url_becomes(&format!("{}/checkout/{session}/receipt", server.base_url))
        .await?;
    assert!(url.ends_with("?lang=fr"), "{url}");
    assert_eq!(b.text("receipt-merchant").await?, "Boutique Awa");
    assert_eq!(b.text("receipt-total").await?, "7 500 F CFA");
    assert_eq!(b.text("receipt-method").await?, "MTN MoMo");
    let transaction = b.text("receipt-transaction").await?;
    assert!(
        reference.contains(&transaction),
        "{reference} / {transaction}"
    );
    let customer = b.text("receipt-customer").await?;
    assert!(
        customer.contains("Awa Diallo") && customer.contains("+2250708091011"),
        "{customer}"
    );
    assert!(b.text("receipt-date").await?.ends_with("UTC"));
    // Print is offered; headless Chromium has no Web Share, so no Share button shows.
    assert!(b.has_heading("Reçu · Commande #501").await?);
    let share_hidden = b
        .eval("return document.getElementById('share').hidden;")
        .await?;
    assert_eq!(share_hidden, true);

    // Later, from the session's address: paid, and the receipt again.
    b.open(&format!("{}/checkout/{session}?lang=en", server.base_url))
        .await?;
    b.wait_for_text_prefix("payment-succeeded", "Payment successful")
        .await?;
    b.click_testid("receipt-link").await?;
    b.url_becomes(&format!(
        "{}/checkout/{session}/receipt?lang=en",
        server.base_url
    ))
    .await?;
    assert_eq!(b.text("receipt-total").await?, "XOF 7,500");
    b.close().await?;
    server.shutdown().await
}
