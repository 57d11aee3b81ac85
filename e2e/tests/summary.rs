//! A merchant creates a link or session with the seeds' own curl commands; a customer opens
//! the returned URL in a real browser and reads the summary.

use checkout_e2e::{curl, sandbox, Browser};

/// The v1 reference's "Create a Payment Link" example, sent as its curl equivalent.
const V1_INSTANT: &str = r#"curl -X POST "$BASE/v1/payment-links" \
  -H "X-API-Key: $LOMI_API_KEY" \
  -H "Content-Type: application/json" \
  -d '{
    "link_type": "instant",
    "title": "Consultation Fee",
    "price": 15000,
    "currency_code": "XOF",
    "public_description": "One-hour consultation session",
    "private_description": "Upsell the premium package",
    "allowed_providers": ["WAVE", "ORANGE"],
    "success_url": "https://example.com/consultation-success",
    "allow_coupon_code": false
  }'"#;

#[tokio::test]
async fn instant_link_from_the_v1_reference_shows_its_summary_in_french_then_english(
) -> anyhow::Result<()> {
    let server = sandbox(None).await?;
    let created = curl(&server.base_url, V1_INSTANT).await?;
    assert_eq!(created.status, 201, "{:?}", created.body);
    assert_eq!(
        created.body.get("success"),
        None,
        "a bare object, as lomi.'s API answers"
    );
    let url = created.body["url"].as_str().expect("url").to_string();
    assert!(
        url.starts_with(&format!("{}/instant/", server.base_url)),
        "{url}"
    );

    let browser = Browser::start().await?;
    browser.open(&format!("{url}?lang=fr")).await?;
    assert_eq!(browser.heading().await?, "Consultation Fee");
    assert_eq!(
        browser.text("checkout-description").await?,
        "One-hour consultation session"
    );
    assert_eq!(
        browser.text("merchant-name").await?,
        "Paiement à Boutique Awa"
    );
    assert_eq!(browser.text("summary-total").await?, "15 000 F CFA");
    assert!(browser
        .text("test-mode-banner")
        .await?
        .contains("Mode test"));
    let page = browser.client.source().await?;
    assert!(
        !page.contains("Upsell the premium package"),
        "private description leaked"
    );

    browser.click_button("English").await?;
    browser.text_becomes("summary-total", "XOF 15,000").await?;
    assert!(browser
        .text("test-mode-banner")
        .await?
        .contains("Test mode"));
    assert!(browser
        .client
        .current_url()
        .await?
        .as_str()
        .contains("lang=en"));

    // The choice survives a reload.
    browser.client.refresh().await?;
    browser.text_becomes("summary-total", "XOF 15,000").await?;
    browser.close().await?;
    server.shutdown().await?;
    Ok(())
}

#[tokio::test]
async fn product_link_from_the_guide_shows_the_products_price() -> anyhow::Result<()> {
    let server = sandbox(None).await?;
    let product = curl(
        &server.base_url,
        r#"curl -X POST "$BASE/products" \
          -H "X-API-KEY: $LOMI_API_KEY" \
          -H "Content-Type: application/json" \
          -d '{"name": "Premium Subscription", "description": "Tissu premium",
               "prices": [{"amount": 5000, "currency_code": "XOF"}]}'"#,
    )
    .await?;
    assert_eq!(product.status, 201, "{:?}", product.body);
    let product_id = product.body["product_id"].as_str().expect("product_id");

    // The guide's curl, with the product just created.
    let command = format!(
        r#"curl -X POST "$BASE/payment-links" \
-H "X-API-KEY: $LOMI_API_KEY" \
-H "Content-Type: application/json" \
-d '{{
"link_type": "product",
"title": "Premium Subscription",
"currency_code": "XOF",
"product_id": "{product_id}",
"allow_coupon_code": true,
"success_url": "https://your-site.com/success"
}}'"#
    );
    let link = curl(&server.base_url, &command).await?;
    assert_eq!(link.status, 201, "{:?}", link.body);
    let url = link.body["url"].as_str().expect("url");
    assert!(url.contains("/product/"), "{url}");

    let browser = Browser::start().await?;
    browser.open(url).await?;
    assert_eq!(browser.heading().await?, "Premium Subscription");
    assert_eq!(browser.text("summary-unit-price").await?, "5 000 F CFA");
    assert_eq!(browser.text("summary-quantity").await?, "1");
    assert_eq!(browser.text("summary-total").await?, "5 000 F CFA");
    browser.close().await?;
    server.shutdown().await?;
    Ok(())
}

#[tokio::test]
async fn checkout_session_from_the_seed_opens_on_its_checkout_url() -> anyhow::Result<()> {
    let server = sandbox(None).await?;
    let session = curl(
        &server.base_url,
        r#"curl -X POST "$BASE/checkout-sessions" \
  -H "X-API-KEY: $LOMI_API_KEY" \
  -H "Content-Type: application/json" \
  -d '{
    "amount": 10000,
    "currency_code": "XOF",
    "title": "Order #12345",
    "description": "Payment for items in cart",
    "customer_email": "customer@example.com",
    "success_url": "https://your-site.com/success",
    "cancel_url": "https://your-site.com/cancel",
    "metadata": {
      "order_id": "ORD-12345"
    }
  }'"#,
    )
    .await?;
    assert_eq!(session.status, 201, "{:?}", session.body);
    assert_eq!(session.body["status"], "open");
    let url = session.body["checkout_url"].as_str().expect("checkout_url");
    assert!(url.contains("/checkout/"), "{url}");

    let browser = Browser::start().await?;
    browser.open(&format!("{url}?lang=en")).await?;
    assert_eq!(browser.heading().await?, "Order #12345");
    assert_eq!(
        browser.text("checkout-description").await?,
        "Payment for items in cart"
    );
    assert_eq!(browser.text("summary-total").await?, "XOF 10,000");
    assert!(
        !browser.client.source().await?.contains("ORD-12345"),
        "metadata leaked"
    );
    browser.close().await?;
    server.shutdown().await?;
    Ok(())
}

#[tokio::test]
async fn unknown_expired_and_inactive_links_each_say_why() -> anyhow::Result<()> {
    let server = sandbox(None).await?;
    let browser = Browser::start().await?;

    browser
        .open(&format!(
            "{}/instant/00000000-0000-4000-8000-000000000000?lang=fr",
            server.base_url
        ))
        .await?;
    assert_eq!(browser.heading().await?, "Lien de paiement introuvable");
    assert!(browser.has_testid("state-not-found").await?);

    let created = curl(&server.base_url, V1_INSTANT).await?;
    let id = created.body["link_id"]
        .as_str()
        .expect("link_id")
        .to_string();
    let url = created.body["url"].as_str().expect("url").to_string();
    let expire = format!(
        r#"curl -X PATCH "$BASE/v1/payment-links/{id}" \
          -H "X-API-Key: $LOMI_API_KEY" -H "Content-Type: application/json" \
          -d '{{"expires_at": "2020-01-01T00:00:00Z"}}'"#
    );
    let patched = curl(&server.base_url, &expire).await?;
    assert_eq!(patched.status, 200, "{:?}", patched.body);
    browser.open(&format!("{url}?lang=fr")).await?;
    assert_eq!(browser.heading().await?, "Ce lien a expiré");
    assert!(browser
        .text("state-expired")
        .await?
        .contains("Consultation Fee · Boutique Awa"));
    assert!(
        !browser.has_testid("summary-total").await?,
        "an expired link offers nothing to pay"
    );

    let inactive = curl(
        &server.base_url,
        r#"curl -X POST "$BASE/payment-links" -H "X-API-KEY: $LOMI_API_KEY" \
          -H "Content-Type: application/json" \
          -d '{"link_type": "instant", "title": "Old offer", "amount": 2000,
               "currency_code": "XOF", "is_active": false}'"#,
    )
    .await?;
    assert_eq!(inactive.status, 201, "{:?}", inactive.body);
    browser
        .open(&format!(
            "{}?lang=en",
            inactive.body["url"].as_str().expect("url")
        ))
        .await?;
    assert_eq!(browser.heading().await?, "This link is no longer active");
    browser.close().await?;
    server.shutdown().await?;
    Ok(())
}

#[tokio::test]
async fn an_unreachable_api_still_shows_the_order_and_says_so_when_paying() -> anyhow::Result<()> {
    // The page is served normally, but told to call an API on a port where nothing listens.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?;
    let server = sandbox(Some(format!("http://{closed}"))).await?;
    let link = curl(&server.base_url, V1_INSTANT).await?;
    let url = link.body["url"].as_str().expect("url").to_string();

    let browser = Browser::start().await?;
    browser.open(&format!("{url}?lang=fr")).await?;
    // The server painted the order: reading it needs no API.
    assert_eq!(browser.heading().await?, "Consultation Fee");
    assert_eq!(browser.text("summary-total").await?, "15 000 F CFA");
    // Paying does, and the customer is told the truth: maybe started, never twice.
    browser.fill_contact("0708091011").await?;
    browser
        .type_into("billing-line1", "Rue des Jardins 12")
        .await?;
    browser.type_into("billing-city", "Abidjan").await?;
    browser.choose_provider("Wave").await?;
    browser.click_testid("pay-button").await?;
    browser
        .wait_for_text_prefix("pay-error", "La connexion a été coupée avant la réponse.")
        .await?;
    assert!(browser
        .text("pay-error")
        .await?
        .contains("sans être débité deux fois"));
    browser.close().await?;
    server.shutdown().await?;
    Ok(())
}
