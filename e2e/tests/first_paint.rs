//! The first paint: the server's HTML already shows the order, with or without scripts;
//! the app takes it over without asking the API anything, and writes the same text.

use anyhow::Result;
use checkout_e2e::{demo_sandbox, Browser};
use fantoccini::Locator;
use std::time::Duration;

/// Everything the summary and the pay button say, by `data-testid`, as the page shows it
/// (no spaces folded: `Intl`'s narrow no-break spaces must match too).
const SUMMARY: &[&str] = &[
    "merchant-name",
    "checkout-title",
    "checkout-description",
    "summary-pwyw",
    "summary-trial",
    "summary-unit-price",
    "summary-quantity",
    "summary-subtotal",
    "summary-discount",
    "summary-fees",
    "summary-total",
    "summary-due-today",
    "summary-next-charge",
    "pay-button",
    "test-mode-banner",
];

async fn summary_texts(browser: &Browser) -> Result<Vec<(&'static str, String)>> {
    // Wait for the summary itself, then read every part present.
    browser.text("summary-total").await?;
    let mut texts = Vec::new();
    for testid in SUMMARY {
        let selector = format!("[data-testid='{testid}']");
        if let Some(element) = browser
            .client
            .find_all(Locator::Css(&selector))
            .await?
            .into_iter()
            .next()
        {
            texts.push((*testid, element.text().await?));
        }
    }
    Ok(texts)
}

#[tokio::test]
async fn without_javascript_the_summary_is_there() -> Result<()> {
    let (server, demo) = demo_sandbox().await?;
    let browser = Browser::without_scripts().await?;
    browser.open(&demo.product).await?;
    assert_eq!(browser.heading().await?, "Pagne wax 6 yards");
    assert_eq!(browser.text("summary-total").await?, "5 000 F CFA");
    assert_eq!(
        browser.text("merchant-name").await?,
        "Paiement à Boutique Awa"
    );
    assert!(browser.has_testid("pay-button").await?);
    // The app never ran.
    let live = browser
        .client
        .execute("return document.documentElement.dataset.app || ''", vec![])
        .await?;
    assert_eq!(live.as_str(), Some(""));

    browser
        .open(&format!("{}?lang=en", demo.usd_instant))
        .await?;
    assert_eq!(browser.text("summary-total").await?, "$15.99");

    browser
        .open(&format!("{}/product/no-such-link", server.base_url))
        .await?;
    assert!(browser.has_testid("state-not-found").await?);
    browser.close().await
}

/// Every `/api/` request the page made so far.
async fn api_requests(browser: &Browser) -> Result<Vec<String>> {
    let names = browser
        .client
        .execute(
            "return performance.getEntriesByType('resource').map(e => e.name)\
             .filter(n => new URL(n).pathname.startsWith('/api/'))",
            vec![],
        )
        .await?;
    Ok(serde_json::from_value(names)?)
}

#[tokio::test]
async fn the_app_takes_over_without_asking_the_api() -> Result<()> {
    let (_server, demo) = demo_sandbox().await?;
    let browser = Browser::start().await?;
    for url in [&demo.product, &demo.session, &demo.plan] {
        browser.open(url).await?;
        // Give a request the app would make on its own the time to show.
        tokio::time::sleep(Duration::from_millis(800)).await;
        assert_eq!(api_requests(&browser).await?, Vec::<String>::new(), "{url}");
    }
    // The first interaction is what asks for a price.
    browser.open(&demo.product).await?;
    browser
        .click_button_labelled("Augmenter la quantité")
        .await?;
    browser.text_becomes("summary-quantity", "2").await?;
    let asked = api_requests(&browser).await?;
    assert!(asked.iter().any(|url| url.ends_with("/quote")), "{asked:?}");
    browser.close().await
}

#[tokio::test]
async fn server_and_app_write_the_same_summary_in_both_languages() -> Result<()> {
    let (_server, demo) = demo_sandbox().await?;
    let plain = Browser::without_scripts().await?;
    let app = Browser::start().await?;
    // XOF with quantity, USD, pay what you want, a plan with a trial (a date), a session.
    for link in [
        &demo.product,
        &demo.usd_instant,
        &demo.pwyw,
        &demo.plan,
        &demo.session,
    ] {
        for lang in ["fr", "en"] {
            let url = format!("{link}?lang={lang}");
            plain.open(&url).await?;
            let painted = summary_texts(&plain).await?;
            app.open(&url).await?;
            let taken_over = summary_texts(&app).await?;
            assert!(painted.len() >= 6, "{url}: {painted:?}");
            assert_eq!(painted, taken_over, "{url}");
        }
    }
    plain.close().await?;
    app.close().await
}
