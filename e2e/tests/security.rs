//! The security headers as a browser receives them on each kind of page (checkout, not found,
//! a provider's, the sandbox's home), and proof that the suite's CSP checks catch a
//! violation: every other flow passes only because none happens.

use checkout_e2e::{curl, demo_sandbox, fetch, Browser, Fetched, Sandbox};
use lomi_sandbox::http::security::inline_hashes;
use std::time::Duration;

/// What every page shares: nothing inline but by hash, never framed, no `<base>`, reports
/// to the sandbox, the fixed headers, no HSTS over plain http.
fn assert_page_headers(page: &Fetched, referrer: &str) -> String {
    let policy = page
        .header("content-security-policy")
        .expect("a Content-Security-Policy")
        .to_string();
    for part in [
        "default-src 'none'; ",
        "; frame-ancestors 'none'; base-uri 'none'; report-uri /sandbox/csp-reports",
    ] {
        assert!(policy.contains(part), "{part} in {policy}");
    }
    for unsafe_source in ["'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'"] {
        assert!(!policy.contains(unsafe_source), "{policy}");
    }
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(page.header("referrer-policy"), Some(referrer));
    let permissions = page
        .header("permissions-policy")
        .expect("Permissions-Policy");
    assert!(
        permissions.contains("camera=()") && permissions.contains("geolocation=()"),
        "{permissions}"
    );
    assert_eq!(page.header("strict-transport-security"), None);
    policy
}

/// A Wave payment of an instant link, started through the public API as the page does;
/// returns the Wave page's URL.
async fn wave_page(server: &Sandbox) -> anyhow::Result<String> {
    let link = curl(
        &server.base_url,
        r#"curl -X POST "$BASE/payment-links" -H "X-API-KEY: $LOMI_API_KEY" \
          -H "Content-Type: application/json" \
          -d '{"link_type": "instant", "title": "Atelier", "amount": 5000,
               "currency_code": "XOF", "require_billing_address": false}'"#,
    )
    .await?;
    anyhow::ensure!(link.status == 201, "{:?}", link.body);
    let id = link.body["id"].as_str().unwrap_or_default();
    let payment = curl(
        &server.base_url,
        &format!(
            r#"curl -X POST "$BASE/api/checkout/links/{id}/pay" -H "Idempotency-Key: wave-1" \
              -H "Content-Type: application/json" \
              -d '{{"provider": "WAVE", "customer": {{"name": "Awa Diallo",
                   "email": "awa@example.ci", "phone": "0700000011", "phone_country": "CI"}}}}'"#
        ),
    )
    .await?;
    anyhow::ensure!(payment.status == 201, "{:?}", payment.body);
    Ok(payment.body["next_action"]["url"]
        .as_str()
        .unwrap_or_default()
        .to_string())
}

#[tokio::test]
async fn checkout_not_found_and_provider_pages_carry_their_policies() -> anyhow::Result<()> {
    let (server, demo) = demo_sandbox().await?;
    let checkout_url = demo.instant.clone();

    let checkout = fetch(&checkout_url).await?;
    assert_eq!(checkout.status, 200);
    let policy = assert_page_headers(&checkout, "strict-origin-when-cross-origin");
    let loader = inline_hashes(&checkout.body, "script");
    assert_eq!(loader.len(), 1, "trunk's one inline loader");
    assert!(
        policy.starts_with(&format!(
            "default-src 'none'; script-src 'self' 'wasm-unsafe-eval' {}; style-src 'self'; ",
            loader[0]
        )),
        "{policy}"
    );
    // The demo merchant's logo comes from the sandbox, by its absolute URL.
    assert!(
        policy.contains(&format!(
            "; img-src 'self' {}; connect-src 'self'; form-action 'none'; ",
            server.base_url
        )),
        "{policy}"
    );

    let missing = fetch(&format!("{}/no/such/page", server.base_url)).await?;
    assert_eq!(missing.status, 404);
    let policy = assert_page_headers(&missing, "strict-origin-when-cross-origin");
    assert!(
        policy.contains("; img-src 'self'; connect-src 'self'; form-action 'none'; "),
        "{policy}"
    );

    let wave_url = wave_page(&server).await?;
    let wave = fetch(&wave_url).await?;
    assert_eq!(wave.status, 200, "{wave_url}");
    let policy = assert_page_headers(&wave, "no-referrer");
    let style = inline_hashes(&wave.body, "style");
    assert_eq!(
        policy,
        format!(
            "default-src 'none'; style-src {}; form-action 'self'; frame-ancestors 'none'; \
             base-uri 'none'; report-uri /sandbox/csp-reports",
            style[0]
        )
        .replace("             ", "")
    );
    assert_eq!(wave.header("x-frame-options"), Some("DENY"));

    // The same pages in the browser: each shows what it should, and nothing is blocked
    // (close and shutdown check).
    let browser = Browser::start().await?;
    browser.open(&format!("{checkout_url}?lang=fr")).await?;
    browser.text("summary-total").await?;
    browser
        .open(&format!("{}/no/such/page?lang=en", server.base_url))
        .await?;
    browser.text("state-not-found").await?;
    browser.open(&wave_url).await?;
    browser.text("wave-amount").await?;
    browser.open(&format!("{}/", server.base_url)).await?;
    assert!(browser.has_heading("lomi. checkout sandbox").await?);
    browser.close().await?;
    server.shutdown().await?;
    Ok(())
}

/// What a test sees when a page breaks its policy: an inline script and an image from an
/// origin the policy does not name are blocked, the browser's check and the sandbox's
/// reports both catch them, and both end the test with an error.
#[tokio::test]
async fn a_violation_fails_the_flow_in_the_browser_and_on_the_sandbox() -> anyhow::Result<()> {
    let (server, demo) = demo_sandbox().await?;
    let browser = Browser::start().await?;
    browser.open(&format!("{}?lang=fr", demo.instant)).await?;
    browser.text("summary-total").await?;
    let ran = browser
        .client
        .execute(
            "const script = document.createElement('script');
             script.textContent = 'window.injected = true;';
             document.body.appendChild(script);
             const image = new Image();
             image.src = 'http://elsewhere.invalid/pixel.png';
             document.body.appendChild(image);
             return window.injected === true;",
            vec![],
        )
        .await?;
    assert_eq!(
        ran,
        serde_json::Value::Bool(false),
        "the inline script was blocked"
    );

    // The reports reach the sandbox on their own time.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while server.csp_reports().total < 2 && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let recorded = curl(
        &server.base_url,
        r#"curl "$BASE/sandbox/csp-reports" -H "X-API-KEY: $LOMI_API_KEY""#,
    )
    .await?;
    assert_eq!(recorded.status, 200);
    assert_eq!(
        recorded.body,
        serde_json::json!({"total": 2, "violations": [
            {"directive": "img-src", "blocked": "http://elsewhere.invalid", "count": 1},
            {"directive": "script-src-elem", "blocked": "inline", "count": 1}
        ]})
    );

    let closed = browser.close().await;
    let message = format!("{:#}", closed.expect_err("close fails on a violation"));
    for seen in [
        "securitypolicyviolation: script-src-elem blocked inline",
        "securitypolicyviolation: img-src blocked http://elsewhere.invalid/pixel.png",
        "Content Security Policy",
    ] {
        assert!(message.contains(seen), "{seen} in {message}");
    }
    let stopped = server.shutdown().await;
    let message = format!("{:#}", stopped.expect_err("shutdown fails on a report"));
    assert!(
        message.contains("2 Content-Security-Policy violation(s)"),
        "{message}"
    );
    Ok(())
}
