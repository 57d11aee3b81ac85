//! axe-core (WCAG 2.1 A and AA) over every state a customer meets, in French and English, in
//! light and dark, at a phone's width and a laptop's: any violation fails, naming the state,
//! the rule and the elements. And a payment made with the keyboard alone.

use checkout_e2e::states::Tour;
use checkout_e2e::{payment_sandbox, Browser};
use fantoccini::key::Key;

async fn audit(lang: &str, scheme: &str, width: u32, height: u32) -> anyhow::Result<()> {
    let (server, demo) = payment_sandbox(None).await?;
    let browser = Browser::start().await?;
    browser.viewport(width, height).await?;
    browser.color_scheme(scheme).await?;
    let mut found = Vec::new();
    let tour = Tour {
        browser: &browser,
        base: &server.base_url,
        demo: &demo,
        lang,
    };
    tour.run(async |state: &str| {
        for violation in browser.axe().await? {
            found.push(format!(
                "{state} ({lang}, {scheme}, {width}px): {violation}"
            ));
        }
        Ok(())
    })
    .await?;
    assert!(found.is_empty(), "axe-core found:\n{}", found.join("\n"));
    browser.close().await?;
    server.shutdown().await
}

#[tokio::test]
async fn every_state_in_french_on_a_phone_in_light_has_no_violation() -> anyhow::Result<()> {
    audit("fr", "light", 360, 740).await
}

#[tokio::test]
async fn every_state_in_english_on_a_laptop_in_dark_has_no_violation() -> anyhow::Result<()> {
    audit("en", "dark", 1280, 800).await
}

#[tokio::test]
async fn a_keyboard_alone_pays_with_mtn() -> anyhow::Result<()> {
    let (server, demo) = payment_sandbox(None).await?;
    let browser = Browser::start().await?;
    browser.open(&format!("{}?lang=fr", demo.instant)).await?;
    // Tab from the top of the page through the form, typing as it asks, arrows in the radio
    // group to reach MTN MoMo, Enter on the pay button.
    let b = &browser;
    let focused = async || -> anyhow::Result<String> {
        let v = b
            .eval("const e = document.activeElement; return e ? (e.id || e.getAttribute('data-testid') || '') : '';")
            .await?;
        Ok(v.as_str().unwrap_or_default().to_string())
    };
    let mut seen = Vec::new();
    for _ in 0..40 {
        let active = b.client.active_element().await?;
        active.send_keys(&Key::Tab.to_string()).await?;
        let id = focused().await?;
        seen.push(id.clone());
        let active = b.client.active_element().await?;
        match id.as_str() {
            "customer-name" => active.send_keys("Awa Diallo").await?,
            "customer-email" => active.send_keys("awa@example.ci").await?,
            "customer-phone" => active.send_keys("0708091011").await?,
            "billing-city" => active.send_keys("Abidjan").await?,
            "billing-line1" => active.send_keys("Rue des Jardins").await?,
            id if id.starts_with("provider-") => {
                for _ in 0..4 {
                    if focused().await? == "provider-mtn" {
                        break;
                    }
                    let radio = b.client.active_element().await?;
                    radio.send_keys(&Key::Down.to_string()).await?;
                }
            }
            "pay-button" => {
                active.send_keys(&Key::Enter.to_string()).await?;
                break;
            }
            _ => {}
        }
    }
    b.wait_for_text_prefix("payment-succeeded", "Paiement réussi")
        .await
        .map_err(|e| anyhow::anyhow!("{e}; focus went through {seen:?}"))?;
    browser.close().await?;
    server.shutdown().await
}

#[tokio::test]
async fn axe_finds_a_violation_where_there_is_one() -> anyhow::Result<()> {
    // The check itself: an input without a label and an image without alt text fail.
    let browser = Browser::start().await?;
    browser
        .client
        .goto("data:text/html,<!doctype html><html lang=en><title>t</title><main><input><img src=x.png></main></html>")
        .await?;
    let found = browser.axe().await?;
    assert!(found.iter().any(|v| v.starts_with("label ")), "{found:?}");
    assert!(
        found.iter().any(|v| v.starts_with("image-alt ")),
        "{found:?}"
    );
    browser.close().await
}
