//! The public API's rate limit met through the page: a 429 is waited out, the customer is
//! told, and the payment ends on success with no failure shown on the way.

use checkout_e2e::{curl, rate_limited_sandbox, Browser, MerchantSite};
use std::time::Duration;

const WAITING_FR: &str =
    "Beaucoup de demandes en ce moment. Nouvel essai automatique dans quelques secondes…";

#[tokio::test]
async fn a_429_while_polling_a_payment_is_waited_out_and_the_payment_succeeds() -> anyhow::Result<()>
{
    let merchant = MerchantSite::start().await?;
    // Four requests a minute about one payment: the page's polls at 0, 1, 2.5 and 4.75 s
    // pass, the one at about 8 s gets 429 with Retry-After 7 (a request comes back every
    // 15 s). The payment succeeds at 6 s, so only the retry after the wait can see it.
    let (server, _demo) = rate_limited_sandbox(&merchant.base_url, 4, 6_000).await?;
    let link = curl(
        &server.base_url,
        &format!(
            r#"curl -X POST "$BASE/payment-links" -H "X-API-KEY: $LOMI_API_KEY" \
              -H "Content-Type: application/json" \
              -d '{{"link_type": "instant", "title": "Atelier couture", "amount": 8000,
                   "currency_code": "XOF", "require_billing_address": false,
                   "success_url": "{m}/success?session={{CHECKOUT_SESSION_ID}}"}}'"#,
            m = merchant.base_url
        ),
    )
    .await?;
    anyhow::ensure!(link.status == 201, "{:?}", link.body);
    let url = link.body["url"].as_str().unwrap_or_default().to_string();

    let b = Browser::start().await?;
    b.client.set_window_size(1280, 900).await?;
    b.open(&format!("{url}?lang=fr")).await?;
    assert_eq!(
        b.text("rate-limited").await?,
        "",
        "no notice before any 429"
    );
    b.fill_contact("05 06 07 08 09").await?;
    b.choose_provider("MTN MoMo").await?;
    b.click_testid("pay-button").await?;
    let paying = b
        .url_becomes(&format!("{}/checkout/", server.base_url))
        .await?;
    let session = paying
        .split("/checkout/")
        .nth(1)
        .and_then(|rest| rest.split('?').next())
        .unwrap_or_default()
        .to_string();
    b.text("mtn-prompt").await?;

    // The limit is met: the customer is told the page will try again, on the payment's
    // own screen, which stays as it was: no failure, no lost connection.
    b.text_becomes("rate-limited", WAITING_FR).await?;
    assert_eq!(
        b.client
            .find(fantoccini::Locator::Css("[data-testid='rate-limited']"))
            .await?
            .attr("role")
            .await?
            .as_deref(),
        Some("status")
    );
    assert!(b.has_testid("payment-pending").await?);
    for absent in ["payment-failed", "connection-lost", "state-server-error"] {
        assert!(
            !b.has_testid(absent).await?,
            "{absent} shown during the wait"
        );
    }
    // Until the wait is over the screen keeps waiting (the payment has succeeded on the
    // server by now, but the page may not ask).
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(b.has_testid("payment-pending").await?);
    assert_eq!(b.text("rate-limited").await?, WAITING_FR);

    // Then the same request is sent again and the payment's success shows.
    b.wait_for_text_prefix("payment-succeeded", "Paiement réussi")
        .await?;
    assert_eq!(
        b.text("rate-limited").await?,
        "",
        "the notice goes with the wait"
    );
    assert!(!b.has_testid("payment-failed").await?);
    b.url_becomes(&format!("{}/success?session={session}", merchant.base_url))
        .await?;

    b.close().await?;
    server.shutdown().await?;
    Ok(())
}
