//! Embedded mode: a merchant's page frames the checkout (`?embedded=true&embed_origin=…`)
//! and hears its `LOMI_CHECKOUT` events, in order and from the checkout's origin; a page of
//! any other origin can neither frame it nor hear anything from it. The merchant's page is
//! the demo shop's "pay here" page, reached as `shop.localhost` (the origin the merchant
//! allowed) or as `evil.localhost` (another origin), both names of this machine.

use checkout_e2e::embedding::embedding_sandbox;
use checkout_e2e::{fetch, Browser, TEST_KEY};
use fantoccini::Locator;
use serde_json::Value;
use std::time::Duration;

fn encoded(origin: &str) -> String {
    url::form_urlencoded::byte_serialize(origin.as_bytes()).collect()
}

/// The page's answer to an embedded request for `origin`: its frame-ancestors, whether it
/// sends X-Frame-Options, and the origin its meta tag names for the events.
async fn embedding_answer(
    url: &str,
    query: &str,
) -> anyhow::Result<(String, Option<String>, bool)> {
    let page = fetch(&format!("{url}?{query}")).await?;
    anyhow::ensure!(page.status == 200, "{url}?{query}: {}", page.status);
    let policy = page.header("content-security-policy").unwrap_or_default();
    let ancestors = policy
        .split("; ")
        .find_map(|d| d.strip_prefix("frame-ancestors "))
        .unwrap_or_default()
        .to_string();
    let named = page.body.contains("<meta name=\"lomi-embed-origin\"");
    Ok((
        ancestors,
        page.header("x-frame-options").map(str::to_string),
        named,
    ))
}

/// Clicks the shop's "pay here" for the pagne and waits for its page with the checkout.
async fn pay_here(browser: &Browser, shop: &str) -> anyhow::Result<String> {
    browser.open(&format!("{shop}/sandbox/shop")).await?;
    browser
        .client
        .find(Locator::XPath(
            "//button[@aria-label='Acheter Pagne wax sans quitter la boutique · Buy Pagne wax without leaving the shop']",
        ))
        .await?
        .click()
        .await?;
    let url = browser
        .url_becomes(&format!("{shop}/sandbox/shop/orders/"))
        .await?;
    anyhow::ensure!(url.ends_with("/pay"), "{url}");
    browser
        .client
        .wait()
        .at_most(Duration::from_secs(15))
        .for_element(Locator::Css("[data-testid=embedded-checkout]"))
        .await?;
    Ok(url)
}

/// The `LOMI_CHECKOUT` messages among `messages`, after checking that every message came
/// from `origin`.
fn checkout_events(messages: &[Value], origin: &str) -> Vec<Value> {
    for message in messages {
        assert_eq!(message["origin"], origin, "{message}");
    }
    messages
        .iter()
        .map(|m| m["data"].clone())
        .filter(|d| d["type"] == "LOMI_CHECKOUT")
        .collect()
}

#[tokio::test]
async fn the_allowed_page_hears_loaded_resize_confirmed_and_success_in_order() -> anyhow::Result<()>
{
    let (server, demo, allowed) = embedding_sandbox().await?;
    let base = server.base_url.clone();

    // The page opens its frame to exactly the allowed origin, and names it for the events;
    // any other origin, or no `embedded=true`, and nobody may frame it.
    let link = demo.instant.clone();
    let answer = embedding_answer(
        &link,
        &format!("embedded=true&embed_origin={}", encoded(&allowed)),
    )
    .await?;
    assert_eq!(answer, (allowed.clone(), None, true));
    let port = base.rsplit(':').next().unwrap_or_default();
    let other = format!("http://evil.localhost:{port}");
    for refused in [
        format!("embedded=true&embed_origin={}", encoded(&other)),
        format!(
            "embedded=true&embed_origin={}",
            encoded("https://shop.localhost")
        ),
        format!(
            "embedded=true&embed_origin={}",
            encoded(&format!("{allowed}/path"))
        ),
        "embedded=true&embed_origin=*".to_string(),
        format!("embed_origin={}", encoded(&allowed)),
        String::new(),
    ] {
        let answer = embedding_answer(&link, &refused).await?;
        assert_eq!(
            answer,
            ("'none'".to_string(), Some("DENY".to_string()), false),
            "{refused}"
        );
    }
    // Test mode: any http://localhost or http://127.0.0.1 page, on any port.
    for local in ["http://localhost:3000", "http://127.0.0.1:5173"] {
        let answer = embedding_answer(
            &link,
            &format!("embedded=true&embed_origin={}", encoded(local)),
        )
        .await?;
        assert_eq!(answer, (local.to_string(), None, true));
    }

    let browser = Browser::start().await?;
    browser.record_messages().await?;
    let pay_page = pay_here(&browser, &allowed).await?;
    let order_id = pay_page
        .trim_end_matches("/pay")
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_string();

    // The customer pays inside the frame: no language switch nor footer there.
    browser.client.enter_frame(0).await?;
    browser.ready().await?;
    browser
        .text_becomes("summary-total", "12 000 F CFA")
        .await?;
    let chrome = browser
        .eval("return [...document.querySelectorAll('.topbar, .footer')].map(e => getComputedStyle(e).display);")
        .await?;
    assert_eq!(chrome, serde_json::json!(["none", "none"]));
    browser.fill_contact("07 08 09 10 11").await?;
    browser.choose_provider("MTN MoMo").await?;
    browser.click_testid("pay-button").await?;
    browser.text("payment-succeeded").await?;
    // The frame stayed on the checkout, embedded: it never follows the success URL itself.
    let inside = browser.eval("return location.href;").await?;
    let inside = inside.as_str().unwrap_or_default();
    assert!(
        inside.starts_with(&format!("{base}/checkout/")) && inside.contains("embedded=true"),
        "{inside}"
    );
    browser.client.enter_parent_frame().await?;

    // The shop's page heard, from the checkout's origin only: loaded, its height, confirmed
    // once the payment started, success once paid; nothing else.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let events = loop {
        let events = checkout_events(&browser.messages().await?, &base);
        if events.iter().any(|e| e["event"] == "success") || tokio::time::Instant::now() > deadline
        {
            break events;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let names: Vec<&str> = events.iter().filter_map(|e| e["event"].as_str()).collect();
    let mut milestones: Vec<&str> = names.iter().copied().filter(|n| *n != "resize").collect();
    milestones.dedup();
    assert_eq!(milestones, ["loaded", "confirmed", "success"], "{names:?}");
    assert_eq!(names[0], "loaded", "{names:?}");
    let confirmed_at = names.iter().position(|n| *n == "confirmed").unwrap_or(0);
    assert!(
        names[1..confirmed_at].contains(&"resize"),
        "a height before paying: {names:?}"
    );
    for resize in events.iter().filter(|e| e["event"] == "resize") {
        assert!(
            resize["height"].as_i64().is_some_and(|h| h > 200),
            "{resize}"
        );
    }
    let confirmed = &events[confirmed_at];
    let success = events
        .iter()
        .find(|e| e["event"] == "success")
        .cloned()
        .unwrap_or_default();
    let session_id = success["sessionId"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert_eq!(confirmed["sessionId"], session_id.as_str());
    assert_eq!(success["amount"], 12000);
    assert_eq!(success["currency"], "XOF");
    assert_eq!(success["redirect"], true);
    assert_eq!(
        success["successURL"],
        format!("{base}/sandbox/shop/orders/{order_id}").as_str()
    );
    // The transaction is the one the merchant API knows, for this session.
    let transaction_id = success["transactionId"].as_str().unwrap_or_default();
    let transaction = checkout_e2e::curl(
        &base,
        &format!(r#"curl "$BASE/v1/transactions/{transaction_id}" -H "X-API-Key: {TEST_KEY}""#),
    )
    .await?;
    assert_eq!(transaction.status, 200, "{:?}", transaction.body);
    assert_eq!(transaction.body["checkout_session_id"], session_id.as_str());
    assert_eq!(transaction.body["status"], "completed");

    // The shop's own page logged the same events and followed the height.
    let logged = browser
        .eval("return Array.from(document.querySelectorAll('#lomi-events li')).map(li => li.dataset.event);")
        .await?;
    assert_eq!(logged, serde_json::json!(names));
    let last_height = events
        .iter()
        .rev()
        .find(|e| e["event"] == "resize")
        .map(|e| e["height"].as_i64().unwrap_or(0))
        .unwrap_or(0);
    let frame_height = browser
        .eval("return document.querySelector('[data-testid=embedded-checkout]').clientHeight;")
        .await?;
    assert_eq!(
        frame_height.as_f64().map(|h| h.round() as i64),
        Some(last_height.max(240))
    );
    assert!(browser.has_testid("embedded-done").await?);

    browser.close().await?;
    server.shutdown().await
}

#[tokio::test]
async fn a_page_of_another_origin_can_neither_frame_the_checkout_nor_hear_it() -> anyhow::Result<()>
{
    let (server, _, allowed) = embedding_sandbox().await?;
    let base = server.base_url.clone();
    let port = base.rsplit(':').next().unwrap_or_default().to_string();
    let other = format!("http://evil.localhost:{port}");

    let browser = Browser::start().await?;
    browser.record_messages().await?;
    // The same shop page, from an origin the merchant did not allow: it asks for itself.
    pay_here(&browser, &other).await?;
    // And, lying, a frame asking for the allowed origin from this page.
    let checkout_url = browser
        .eval("return document.getElementById('lomi-checkout').dataset.lomiCheckoutUrl;")
        .await?;
    let lying = format!(
        "{}?embedded=true&embed_origin={}",
        checkout_url.as_str().unwrap_or_default(),
        encoded(&allowed)
    );
    browser
        .client
        .execute(
            "const f = document.createElement('iframe'); f.src = arguments[0]; document.body.appendChild(f);",
            vec![Value::String(lying)],
        )
        .await?;

    // Time enough for either frame's app to load and post (it takes about a second when
    // allowed): nothing arrives.
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert_eq!(browser.messages().await?, Vec::<Value>::new());

    // The browser refused both frames for their frame-ancestors, and said so.
    let refusals = browser.csp_violations().await?;
    let framed = refusals
        .iter()
        .filter(|m| m.contains("frame-ancestors"))
        .count();
    assert!(framed >= 2 && framed == refusals.len(), "{refusals:#?}");
    assert!(
        refusals
            .iter()
            .any(|m| m.contains("frame-ancestors 'none'"))
            && refusals
                .iter()
                .any(|m| m.contains(&format!("frame-ancestors {allowed}"))),
        "{refusals:#?}"
    );
    browser.close().await?;
    server.shutdown_after_refused_frames(2).await?;
    Ok(())
}

#[tokio::test]
async fn a_card_payment_opens_its_page_in_a_new_tab_and_the_frame_hears_the_success(
) -> anyhow::Result<()> {
    let (server, _demo, allowed) = embedding_sandbox().await?;
    let base = server.base_url.clone();
    let browser = Browser::start().await?;
    browser.record_messages().await?;
    pay_here(&browser, &allowed).await?;
    let shop_window = browser.client.window().await?;
    browser.client.enter_frame(0).await?;
    browser.ready().await?;
    browser.fill_contact("").await?;
    browser.choose_provider("Carte bancaire").await?;
    browser.click_testid("pay-button").await?;
    // The frame stays on the checkout: the card page would refuse to show inside it.
    browser.text("provider-link").await?;
    let inside = browser.eval("return location.href;").await?;
    assert!(
        inside
            .as_str()
            .unwrap_or_default()
            .starts_with(&format!("{base}/checkout/")),
        "{inside}"
    );
    browser.click_testid("provider-link").await?;
    // The hosted card page, in a tab of its own.
    let mut card_window = None;
    for _ in 0..50 {
        let windows = browser.client.windows().await?;
        card_window = windows.into_iter().find(|w| *w != shop_window);
        if card_window.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let card_window = card_window.ok_or_else(|| anyhow::anyhow!("no new tab"))?;
    browser.client.switch_to_window(card_window).await?;
    browser
        .url_becomes(&format!("{base}/sandbox/card/"))
        .await?;
    browser.type_into("number", "4242 4242 4242 4242").await?;
    browser.type_into("expiry", "12/34").await?;
    browser.type_into("cvc", "123").await?;
    browser.click_button_containing("Pay").await?;
    browser
        .wait_for_text_prefix("payment-succeeded", "Paiement réussi")
        .await?;
    browser.client.close_window().await?;
    browser.client.switch_to_window(shop_window).await?;

    // The shop's page heard the success from its frame.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    loop {
        let events = checkout_events(&browser.messages().await?, &base);
        if let Some(success) = events.iter().find(|e| e["event"] == "success") {
            assert_eq!(success["amount"], 12000);
            break;
        }
        anyhow::ensure!(
            tokio::time::Instant::now() < deadline,
            "no success event: {events:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    browser.close().await?;
    server.shutdown().await
}
