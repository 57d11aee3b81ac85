//! Every state a customer can meet, reached as a customer reaches it: each link type's form,
//! validation errors, each provider's waiting screen, success, the receipt, a paid session
//! opened again, failure, expired, inactive, not found, and the checkout embedded in the demo
//! shop's page. The accessibility test runs axe-core at each stop; `make screenshots` takes a
//! picture at each.

use crate::{curl, Browser};
use anyhow::{ensure, Result};
use fantoccini::Locator;
use std::time::Duration;

/// An 8 000 F CFA instant link without a billing address, made with the API's curl command:
/// its URL.
pub async fn instant_link(base: &str) -> Result<String> {
    let reply = curl(
        base,
        r#"curl -X POST "$BASE/payment-links" -H "X-API-KEY: $LOMI_API_KEY" \
          -H "Content-Type: application/json" \
          -d '{"title": "Atelier couture", "amount": 8000, "currency_code": "XOF",
               "require_billing_address": false}'"#,
    )
    .await?;
    ensure!(reply.status == 201, "{:?}", reply.body);
    Ok(reply.body["url"].as_str().unwrap_or_default().to_string())
}

/// A sandbox with the demo data: its URL and the demo's links.
pub struct Tour<'a> {
    pub browser: &'a Browser,
    pub base: &'a str,
    pub demo: &'a lomi_sandbox::DemoLinks,
    /// `fr` or `en`.
    pub lang: &'a str,
}

impl Tour<'_> {
    fn with_lang(&self, url: &str) -> String {
        format!("{url}?lang={}", self.lang)
    }

    async fn wait_for(&self, testid: &str) -> Result<()> {
        self.browser
            .client
            .wait()
            .at_most(Duration::from_secs(15))
            .for_element(Locator::Css(&format!("[data-testid={testid}]")))
            .await?;
        Ok(())
    }

    /// Waits (15 s at most) until `script` answers true.
    async fn until(&self, script: &str) -> Result<()> {
        for _ in 0..150 {
            if let Ok(v) = self.browser.eval(script).await {
                if v.as_bool() == Some(true) {
                    return Ok(());
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        anyhow::bail!("never true: {script}")
    }

    /// Starts paying a fresh link with `provider` from `phone`.
    async fn pay(&self, provider: &str, phone: &str) -> Result<()> {
        let url = instant_link(self.base).await?;
        self.browser
            .pay_with(&self.with_lang(&url), provider, phone)
            .await
    }

    /// Walks every state, calling `stop` with its name once the page shows it.
    pub async fn run(&self, mut stop: impl AsyncFnMut(&str) -> Result<()>) -> Result<()> {
        let b = self.browser;
        for (name, url) in [
            ("instant-form", &self.demo.instant),
            ("product-form", &self.demo.product),
            ("pwyw-form", &self.demo.pwyw),
            ("plan-form", &self.demo.plan),
            ("session-form", &self.demo.session),
        ] {
            b.open(&self.with_lang(url)).await?;
            self.wait_for("pay-button").await?;
            stop(name).await?;
        }

        b.open(&self.with_lang(&self.demo.product)).await?;
        b.click_testid("pay-button").await?;
        b.wait_for_text_prefix("form-error", "").await?;
        self.wait_for("customer-name-error").await?;
        stop("validation-errors").await?;

        self.pay("MTN MoMo", "07 08 09 10 03").await?;
        self.wait_for("mtn-prompt").await?;
        stop("mtn-waiting").await?;

        self.pay("Orange Money", "07 08 09 10 11").await?;
        self.wait_for("orange-ussd").await?;
        stop("orange-code").await?;

        // Wave: a QR code and a link on a computer; a phone goes straight to Wave's page.
        self.pay("Wave", "07 08 09 10 11").await?;
        self.until(
            "return !!document.querySelector('[data-testid=provider-link]') \
             || location.pathname.startsWith('/sandbox/wave/');",
        )
        .await?;
        stop("wave-waiting").await?;

        self.pay("Crypto", "").await?;
        self.wait_for("crypto-address").await?;
        stop("crypto-waiting").await?;

        self.pay("MTN MoMo", "07 08 09 10 11").await?;
        self.wait_for("payment-succeeded").await?;
        stop("success").await?;
        let paid_at = b.client.current_url().await?;
        b.click_testid("receipt-link").await?;
        self.wait_for("receipt").await?;
        stop("receipt").await?;
        // The session's own address, later: its paid status, the receipt a tap away.
        let session = paid_at
            .as_str()
            .split('?')
            .next()
            .unwrap_or_default()
            .to_string();
        b.open(&self.with_lang(&session)).await?;
        self.wait_for("receipt-link").await?;
        stop("paid-session-reopened").await?;

        self.pay("MTN MoMo", "07 08 09 10 01").await?;
        self.wait_for("failure-reason").await?;
        stop("failure").await?;

        let url = instant_link(self.base).await?;
        let id = url.rsplit('/').next().unwrap_or_default();
        let ended = curl(
            self.base,
            &format!(
                r#"curl -X PATCH "$BASE/payment-links/{id}" -H "X-API-KEY: $LOMI_API_KEY" \
                  -H "Content-Type: application/json" -d '{{"expires_at": "2020-01-01T00:00:00Z"}}'"#
            ),
        )
        .await?;
        ensure!(ended.status == 200, "{:?}", ended.body);
        b.open(&self.with_lang(&url)).await?;
        self.wait_for("state-expired").await?;
        stop("expired").await?;

        let url = instant_link(self.base).await?;
        let id = url.rsplit('/').next().unwrap_or_default();
        let off = curl(
            self.base,
            &format!(
                r#"curl -X PATCH "$BASE/payment-links/{id}" -H "X-API-KEY: $LOMI_API_KEY" \
                  -H "Content-Type: application/json" -d '{{"is_active": false}}'"#
            ),
        )
        .await?;
        ensure!(off.status == 200, "{:?}", off.body);
        b.open(&self.with_lang(&url)).await?;
        self.wait_for("state-inactive").await?;
        stop("inactive").await?;

        b.open(&format!(
            "{}/instant/no-such-link?lang={}",
            self.base, self.lang
        ))
        .await?;
        self.wait_for("state-not-found").await?;
        stop("not-found").await?;

        // Embedded: the demo shop's page with the checkout in a frame, once it has loaded.
        b.open(&format!("{}/sandbox/shop", self.base)).await?;
        b.client
            .find(Locator::XPath(
                "//button[@value='embedded' and contains(@aria-label, 'Pagne wax')]",
            ))
            .await?
            .click()
            .await?;
        self.until(
            "const l = document.querySelector('[data-testid=embedded-events]'); \
             return !!l && l.textContent.includes('loaded');",
        )
        .await?;
        stop("embedded").await?;
        Ok(())
    }
}
