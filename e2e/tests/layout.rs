//! The page at a phone's width and a laptop's, light and dark, measured as the customer sees
//! it: by the boxes the browser lays out.

use checkout_e2e::{branded_sandbox, demo_sandbox, Browser};

/// Bottom edge of a box.
fn bottom(r: [f64; 4]) -> f64 {
    r[1] + r[3]
}

#[tokio::test]
async fn a_laptop_shows_the_summary_beside_the_form_and_the_pay_button_without_scrolling(
) -> anyhow::Result<()> {
    let (server, demo) = demo_sandbox().await?;
    let browser = Browser::start().await?;
    browser.viewport(1280, 800).await?;
    // The product link: quantity, coupon, contact, billing and five providers.
    browser.open(&format!("{}?lang=fr", demo.product)).await?;
    let summary = browser.rect(".summary").await?;
    let form = browser.rect(".checkout-form").await?;
    assert!(
        summary[0] + summary[2] <= form[0],
        "summary {summary:?} is not left of the form {form:?}"
    );
    assert!(
        (summary[1] - form[1]).abs() < 2.0,
        "tops differ: {summary:?} {form:?}"
    );
    let pay = browser.rect("[data-testid=pay-button]").await?;
    assert!(
        bottom(pay) <= 800.0,
        "the pay button ends at {} px",
        bottom(pay)
    );
    // The amount is in the summary; the phone's compact copy is not shown.
    assert_eq!(
        browser.rect("[data-testid=summary-compact-total]").await?[2],
        0.0
    );
    browser.close().await?;
    server.shutdown().await
}

#[tokio::test]
async fn a_phone_shows_the_merchant_and_the_amount_in_its_first_screen() -> anyhow::Result<()> {
    let (server, demo) = demo_sandbox().await?;
    let browser = Browser::start().await?;
    browser.viewport(360, 640).await?;
    browser.open(&format!("{}?lang=fr", demo.product)).await?;
    let merchant = browser.rect("[data-testid=merchant-name]").await?;
    let amount = browser.rect("[data-testid=summary-compact-total]").await?;
    assert!(
        bottom(merchant) <= 640.0 && bottom(amount) <= 640.0,
        "{merchant:?} {amount:?}"
    );
    assert!(
        amount[2] > 0.0,
        "the amount to pay is shown beside the merchant"
    );
    assert_eq!(
        browser.text("summary-compact-total").await?,
        browser.text("summary-total").await?
    );
    // The picture is a thumbnail: it cannot push the form down.
    let image = browser.rect(".product-image").await?;
    assert!(image[2] <= 80.0 && image[3] <= 80.0, "{image:?}");
    // One column: the form under the summary, nothing wider than the screen.
    let summary = browser.rect(".summary").await?;
    let form = browser.rect(".checkout-form").await?;
    assert!(bottom(summary) <= form[1], "{summary:?} {form:?}");
    let overflow = browser
        .eval("return document.documentElement.scrollWidth - window.innerWidth;")
        .await?;
    assert!(
        overflow.as_f64().unwrap_or(1.0) <= 0.0,
        "scrolls sideways by {overflow}"
    );
    // Tap targets at least 44 px tall.
    for css in [
        "[data-testid=pay-button]",
        ".provider label",
        "#customer-name",
    ] {
        let r = browser.rect(css).await?;
        assert!(r[3] >= 44.0, "{css} is {} px tall", r[3]);
    }
    browser.close().await?;
    server.shutdown().await
}

#[tokio::test]
async fn dark_mode_follows_the_phone_and_keeps_the_text_readable() -> anyhow::Result<()> {
    let (server, demo) = demo_sandbox().await?;
    let browser = Browser::start().await?;
    browser.color_scheme("dark").await?;
    browser.open(&format!("{}?lang=fr", demo.product)).await?;
    let colours = browser
        .eval(
            "const s = (q, p) => getComputedStyle(document.querySelector(q))[p]; \
             return [s('body', 'backgroundColor'), s('.summary', 'backgroundColor'), \
                     s('h1', 'color'), s('[data-testid=pay-button]', 'backgroundColor'), \
                     s('[data-testid=pay-button]', 'color')];",
        )
        .await?;
    let c: Vec<&str> = colours
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        c,
        [
            "rgb(11, 17, 32)",
            "rgb(17, 26, 46)",
            "rgb(226, 232, 240)",
            "rgb(226, 232, 240)",
            "rgb(11, 17, 32)"
        ]
    );
    browser.color_scheme("light").await?;
    let body = browser
        .eval("return getComputedStyle(document.body).backgroundColor;")
        .await?;
    assert_eq!(body, "rgb(248, 250, 252)");
    browser.close().await?;
    server.shutdown().await
}

#[tokio::test]
async fn a_plan_offers_what_can_renew_and_says_how_each_renewal_is_collected() -> anyhow::Result<()>
{
    let (server, demo) = demo_sandbox().await?;
    let browser = Browser::start().await?;
    browser.open(&format!("{}?lang=fr", demo.plan)).await?;
    assert_eq!(
        browser.provider_names().await?,
        ["Wave", "Orange Money", "MTN MoMo", "Carte bancaire"]
    );
    assert_eq!(
        browser.text("provider-stripe-renewal").await?,
        "Renouvelé automatiquement sur cette carte."
    );
    assert_eq!(
        browser.text("provider-mtn-renewal").await?,
        "À chaque échéance, une demande de paiement à approuver sur votre téléphone."
    );
    browser.close().await?;
    server.shutdown().await
}

#[tokio::test]
async fn a_merchants_colour_is_on_the_pay_button_with_text_that_reads_on_it() -> anyhow::Result<()>
{
    // A dark orange takes white text, a light yellow black: AA either way, light or dark.
    for (colour, background, text) in [
        ("#c2410c", "rgb(194, 65, 12)", "rgb(255, 255, 255)"),
        ("#fde047", "rgb(253, 224, 71)", "rgb(0, 0, 0)"),
    ] {
        let (server, demo) = branded_sandbox(colour).await?;
        let browser = Browser::start().await?;
        for scheme in ["light", "dark"] {
            browser.color_scheme(scheme).await?;
            browser.open(&format!("{}?lang=fr", demo.product)).await?;
            let seen = browser
                .eval(
                    "const s = getComputedStyle(document.querySelector('[data-testid=pay-button]')); \
                     return [s.backgroundColor, s.color];",
                )
                .await?;
            assert_eq!(
                seen,
                serde_json::json!([background, text]),
                "{colour} {scheme}"
            );
            let found = browser.axe().await?;
            assert!(found.is_empty(), "{colour} {scheme}: {found:?}");
        }
        browser.close().await?;
        server.shutdown().await?;
    }
    Ok(())
}
