//! Paying, as a customer does it, through every provider and every test outcome, ending on
//! the merchant's own success or cancel page; the merchant API shows the result.

use checkout_e2e::{curl, payment_sandbox, Browser, CurlReply, MerchantSite};
use fantoccini::Locator;
use serde_json::Value;

struct Shop {
    server: checkout_e2e::Sandbox,
    demo: lomi_sandbox::DemoLinks,
    merchant: MerchantSite,
    browser: Browser,
}

impl Shop {
    async fn open() -> anyhow::Result<Shop> {
        let merchant = MerchantSite::start().await?;
        let (server, demo) = payment_sandbox(Some(&merchant.base_url)).await?;
        let browser = Browser::start().await?;
        browser.client.set_window_size(1280, 900).await?;
        Ok(Shop {
            server,
            demo,
            merchant,
            browser,
        })
    }

    /// An 8 000 F CFA instant link that sends the customer back to the merchant's site.
    async fn link(&self) -> anyhow::Result<String> {
        let command = format!(
            r#"curl -X POST "$BASE/payment-links" -H "X-API-KEY: $LOMI_API_KEY" \
              -H "Content-Type: application/json" \
              -d '{{"link_type": "instant", "title": "Atelier couture", "amount": 8000,
                   "currency_code": "XOF", "require_billing_address": false,
                   "success_url": "{m}/success?session={{CHECKOUT_SESSION_ID}}",
                   "cancel_url": "{m}/cancel"}}'"#,
            m = self.merchant.base_url
        );
        let link = curl(&self.server.base_url, &command).await?;
        anyhow::ensure!(link.status == 201, "{:?}", link.body);
        Ok(link.body["url"].as_str().unwrap_or_default().to_string())
    }

    /// Fills the form and confirms; returns the session the payment belongs to.
    async fn pay(&self, url: &str, provider: &str, phone: &str) -> anyhow::Result<String> {
        self.confirm(url, provider, phone).await?;
        self.session_in_url().await
    }

    async fn confirm(&self, url: &str, provider: &str, phone: &str) -> anyhow::Result<()> {
        self.browser
            .pay_with(&format!("{url}?lang=fr"), provider, phone)
            .await
    }

    async fn session_in_url(&self) -> anyhow::Result<String> {
        let url = self
            .browser
            .url_becomes(&format!("{}/checkout/", self.server.base_url))
            .await?;
        let session = url
            .split("/checkout/")
            .nth(1)
            .and_then(|rest| rest.split('?').next())
            .unwrap_or_default()
            .to_string();
        anyhow::ensure!(url.contains("?payment=pay_"), "{url}");
        Ok(session)
    }

    async fn merchant_view(&self, session: &str) -> anyhow::Result<Value> {
        let reply = curl(
            &self.server.base_url,
            &format!(r#"curl "$BASE/checkout-sessions/{session}" -H "X-API-KEY: $LOMI_API_KEY""#),
        )
        .await?;
        Ok(reply.body)
    }

    async fn session_count(&self) -> anyhow::Result<u64> {
        let reply = curl(
            &self.server.base_url,
            r#"curl "$BASE/checkout-sessions?limit=100" -H "X-API-KEY: $LOMI_API_KEY""#,
        )
        .await?;
        Ok(reply.body["pagination"]["total"].as_u64().unwrap_or(0))
    }

    /// Success ends on the merchant's success URL, with the session id filled in.
    async fn ends_on_success(&self, session: &str) -> anyhow::Result<()> {
        self.browser
            .wait_for_text_prefix("payment-succeeded", "Paiement réussi")
            .await?;
        self.browser
            .url_becomes(&format!(
                "{}/success?session={session}",
                self.merchant.base_url
            ))
            .await?;
        let view = self.merchant_view(session).await?;
        assert_eq!(view["status"], "completed", "{view}");
        assert!(
            view["transaction_id"]
                .as_str()
                .is_some_and(|t| t.len() == 36 && t.as_bytes()[14] == b'4'),
            "{view}"
        );
        Ok(())
    }

    async fn close(self) -> anyhow::Result<()> {
        self.browser.close().await?;
        self.server.shutdown().await?;
        Ok(())
    }
}

#[tokio::test]
async fn mtn_prompt_approved_ends_on_the_merchants_success_page() -> anyhow::Result<()> {
    let shop = Shop::open().await?;
    let session = shop
        .pay(&shop.link().await?, "MTN MoMo", "05 06 07 08 09")
        .await?;
    shop.browser
        .text_becomes(
            "mtn-prompt",
            "Une demande de paiement de 8 000 F CFA a été envoyée au +2250506070809. Saisissez votre code secret MoMo pour la valider.",
        )
        .await?;
    shop.ends_on_success(&session).await?;
    shop.close().await
}

#[tokio::test]
async fn mtn_insufficient_funds_says_why_and_goes_back_to_the_merchant() -> anyhow::Result<()> {
    let shop = Shop::open().await?;
    let session = shop
        .pay(&shop.link().await?, "MTN MoMo", "05 06 07 08 01")
        .await?;
    shop.browser
        .text_becomes(
            "failure-reason",
            "Solde insuffisant. Rechargez votre compte ou choisissez un autre moyen de paiement.",
        )
        .await?;
    assert_eq!(shop.merchant_view(&session).await?["status"], "open");
    shop.browser.click_link("Retour au marchand").await?;
    shop.browser
        .url_becomes(&format!("{}/cancel", shop.merchant.base_url))
        .await?;
    shop.close().await
}

#[tokio::test]
async fn mtn_prompt_refused_offers_a_retry_that_keeps_the_entries() -> anyhow::Result<()> {
    let shop = Shop::open().await?;
    let link = shop.link().await?;
    shop.pay(&link, "MTN MoMo", "05 06 07 08 02").await?;
    shop.browser
        .wait_for_text_prefix(
            "failure-reason",
            "Le paiement a été refusé depuis le téléphone",
        )
        .await?;
    shop.browser
        .click_button("Choisir un autre moyen de paiement")
        .await?;
    shop.browser.url_becomes(&link).await?;
    assert_eq!(shop.browser.value_of("customer-name").await?, "Awa Diallo");
    assert_eq!(
        shop.browser.value_of("customer-phone").await?,
        "05 06 07 08 02"
    );
    // A fresh attempt with another number goes through.
    shop.browser
        .type_into("customer-phone", "05 06 07 08 09")
        .await?;
    shop.browser.choose_provider("MTN MoMo").await?;
    shop.browser.click_testid("pay-button").await?;
    let session = shop.session_in_url().await?;
    shop.ends_on_success(&session).await?;
    shop.close().await
}

#[tokio::test]
async fn mtn_silence_waits_honestly_through_a_reload_then_times_out() -> anyhow::Result<()> {
    let shop = Shop::open().await?;
    let session = shop
        .pay(&shop.link().await?, "MTN MoMo", "05 06 07 08 03")
        .await?;
    let status_url = shop.browser.client.current_url().await?.to_string();
    assert!(shop.browser.has_testid("payment-pending").await?);
    // Past the operator's usual time: an honest "still waiting", never a false failure.
    shop.browser
        .wait_for_text_prefix("payment-waiting", "Toujours en attente de l’opérateur.")
        .await?;
    shop.browser.click_button("Vérifier maintenant").await?;
    // A reload lands on the same live status, never on a form that could pay again.
    shop.browser.client.refresh().await?;
    shop.browser.text("mtn-prompt").await?;
    assert!(!shop.browser.has_testid("pay-button").await?);
    assert_eq!(
        shop.browser.client.current_url().await?.to_string(),
        status_url
    );
    shop.browser
        .text_becomes(
            "failure-reason",
            "L’opérateur n’a pas reçu de validation à temps. Aucun argent n’a été débité.",
        )
        .await?;
    assert_eq!(shop.merchant_view(&session).await?["status"], "open");
    shop.close().await
}

#[tokio::test]
async fn orange_money_code_wrong_then_right() -> anyhow::Result<()> {
    let shop = Shop::open().await?;
    let session = shop
        .pay(&shop.link().await?, "Orange Money", "07 08 09 10 11")
        .await?;
    shop.browser
        .text_becomes(
            "orange-ussd",
            "Sur votre téléphone Orange, composez #144*82# pour obtenir un code de paiement, puis saisissez-le ci-dessous.",
        )
        .await?;
    shop.browser.type_into("otp-code", "654321").await?;
    shop.browser.click_button("Valider le code").await?;
    shop.browser
        .wait_for_text_prefix("otp-error", "Ce code n’est pas valide.")
        .await?;
    shop.browser.type_into("otp-code", "123 456").await?;
    shop.browser.click_button("Valider le code").await?;
    shop.ends_on_success(&session).await?;
    shop.close().await
}

#[tokio::test]
async fn three_wrong_orange_codes_stop_the_payment_and_offer_to_start_again() -> anyhow::Result<()>
{
    let shop = Shop::open().await?;
    let link = shop.link().await?;
    let session = shop.pay(&link, "Orange Money", "07 08 09 10 11").await?;
    for code in ["654321", "000000"] {
        shop.browser.type_into("otp-code", code).await?;
        shop.browser.click_button("Valider le code").await?;
        shop.browser
            .wait_for_text_prefix("otp-error", "Ce code n’est pas valide.")
            .await?;
        // Let the refusal land before the next code.
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    shop.browser.type_into("otp-code", "111111").await?;
    shop.browser.click_button("Valider le code").await?;
    shop.browser
        .text_becomes(
            "failure-reason",
            "Trois codes erronés : ce paiement a été arrêté pour votre sécurité. Aucun argent n’a été débité. Recommencez pour obtenir un nouveau code.",
        )
        .await?;
    assert_eq!(shop.merchant_view(&session).await?["status"], "open");
    // Starting again goes back to the form, the customer's entries kept.
    shop.browser
        .click_button("Choisir un autre moyen de paiement")
        .await?;
    shop.browser.url_becomes(&link).await?;
    assert_eq!(shop.browser.value_of("customer-name").await?, "Awa Diallo");
    shop.close().await
}

#[tokio::test]
async fn wave_approved_on_its_page_comes_back_paid() -> anyhow::Result<()> {
    let shop = Shop::open().await?;
    let session = shop
        .pay(&shop.link().await?, "Wave", "07 08 09 10 11")
        .await?;
    // A computer-sized screen: the QR code for the phone's app, and a link to Wave.
    let qr = shop
        .browser
        .client
        .wait()
        .for_element(Locator::Css("figure.qr img"))
        .await?;
    assert!(qr
        .attr("src")
        .await?
        .unwrap_or_default()
        .ends_with("/qr.svg"));
    shop.browser.click_testid("provider-link").await?;
    shop.browser
        .url_becomes(&format!("{}/sandbox/wave/", shop.server.base_url))
        .await?;
    shop.browser.click_button_containing("Approve").await?;
    shop.ends_on_success(&session).await?;
    shop.close().await
}

#[tokio::test]
async fn wave_declined_comes_back_with_the_reason() -> anyhow::Result<()> {
    let shop = Shop::open().await?;
    let session = shop
        .pay(&shop.link().await?, "Wave", "07 08 09 10 11")
        .await?;
    shop.browser.click_testid("provider-link").await?;
    shop.browser.click_button_containing("Decline").await?;
    shop.browser
        .wait_for_text_prefix("failure-reason", "Le paiement a été refusé")
        .await?;
    assert_eq!(shop.merchant_view(&session).await?["status"], "open");
    shop.close().await
}

#[tokio::test]
async fn crypto_shows_what_to_send_then_settles() -> anyhow::Result<()> {
    let shop = Shop::open().await?;
    let session = shop.pay(&shop.link().await?, "Crypto", "").await?;
    assert_eq!(shop.browser.text("crypto-amount").await?, "13.34 USDT");
    assert_eq!(shop.browser.text("crypto-network").await?, "TRC20");
    assert!(shop.browser.text("crypto-address").await?.starts_with('T'));
    shop.ends_on_success(&session).await?;
    shop.close().await
}

#[tokio::test]
async fn a_free_order_completes_without_a_provider() -> anyhow::Result<()> {
    let shop = Shop::open().await?;
    let b = &shop.browser;
    b.open(&format!("{}?lang=fr&coupon=GRATUIT", shop.demo.product))
        .await?;
    b.text_becomes("summary-total", "0 F CFA").await?;
    b.type_into("customer-name", "Awa Diallo").await?;
    b.type_into("customer-email", "awa@example.ci").await?;
    let providers = b.client.find(Locator::Id("provider-choice")).await?;
    assert_eq!(providers.attr("hidden").await?.as_deref(), Some("true"));
    assert_eq!(b.text("pay-button").await?, "Confirmer la commande");
    b.click_testid("pay-button").await?;
    let session = shop.session_in_url().await?;
    b.wait_for_text_prefix("payment-succeeded", "Commande confirmée")
        .await?;
    assert_eq!(shop.merchant_view(&session).await?["status"], "completed");
    shop.close().await
}

#[tokio::test]
async fn a_double_click_and_a_replayed_request_pay_once() -> anyhow::Result<()> {
    let shop = Shop::open().await?;
    let link = shop.link().await?;
    let before = shop.session_count().await?;
    let b = &shop.browser;
    b.open(&format!("{link}?lang=fr")).await?;
    b.fill_contact("05 06 07 08 03").await?;
    b.choose_provider("MTN MoMo").await?;
    // Two clicks in the same task, faster than any customer.
    b.client
        .execute(
            "const b = document.querySelector('[data-testid=pay-button]'); b.click(); b.click();",
            vec![],
        )
        .await?;
    let session = shop.session_in_url().await?;
    assert_eq!(
        shop.session_count().await?,
        before + 1,
        "one click's worth of sessions"
    );
    let status_url = b.client.current_url().await?.to_string();
    let payment_id = status_url
        .split("payment=")
        .nth(1)
        .unwrap_or_default()
        .to_string();

    // The page's own request, replayed with its idempotency key, is the same payment.
    let link_id = link.rsplit('/').next().unwrap_or_default();
    let attempt = b
        .client
        .execute(
            "return sessionStorage.getItem(arguments[0])",
            vec![Value::String(format!(
                "lomi-checkout:attempt:instant:{link_id}"
            ))],
        )
        .await?;
    let attempt: Value = serde_json::from_str(attempt.as_str().expect("the attempt is kept"))?;
    let replay = curl(
        &shop.server.base_url,
        &format!(
            r#"curl -X POST "$BASE/api/checkout/links/{link_id}/pay"               -H "Idempotency-Key: {}" -H "Content-Type: application/json" -d '{}'"#,
            attempt["key"].as_str().unwrap_or_default(),
            attempt["request"]
        ),
    )
    .await?;
    assert_eq!(replay.status, 200, "{:?}", replay.body);
    assert_eq!(replay.body["id"].as_str(), Some(payment_id.as_str()));
    assert_eq!(
        shop.session_count().await?,
        before + 1,
        "a replay creates nothing"
    );

    // A second attempt with a new key while the first is pending is refused.
    let pay = |key: &str| {
        format!(
            r#"curl -X POST "$BASE/api/checkout/sessions/{session}/pay" \
              -H "Idempotency-Key: {key}" -H "Content-Type: application/json" \
              -d '{{"customer": {{"name": "Awa Diallo", "email": "awa@example.ci",
                    "phone": "0506070803", "phone_country": "CI"}},
                   "provider": "MTN"}}'"#
        )
    };
    let first: CurlReply = curl(&shop.server.base_url, &pay("replay-1")).await?;
    assert_eq!(
        first.status, 409,
        "a payment is already pending: {:?}",
        first.body
    );
    assert!(first.body["error"]["message"]
        .as_str()
        .unwrap_or_default()
        .contains("already pending"));
    shop.close().await
}

#[tokio::test]
async fn only_web_redirect_targets_are_accepted() -> anyhow::Result<()> {
    let (server, _) = payment_sandbox(None).await?;
    for target in [
        "javascript:alert(1)",
        "data:text/html,hi",
        "//evil.example/x",
    ] {
        let reply = curl(
            &server.base_url,
            &format!(
                r#"curl -X POST "$BASE/payment-links" -H "X-API-KEY: $LOMI_API_KEY" \
                  -H "Content-Type: application/json" \
                  -d '{{"link_type": "instant", "title": "X", "amount": 1000, "currency_code": "XOF",
                       "success_url": "{target}"}}'"#
            ),
        )
        .await?;
        assert_eq!(reply.status, 400, "{target}: {:?}", reply.body);
        assert_eq!(reply.body["error"]["code"], "INVALID_REQUEST");
        assert!(
            reply.body["error"]["details"]["success_url"].is_array(),
            "{:?}",
            reply.body
        );
    }
    server.shutdown().await?;
    Ok(())
}

impl Shop {
    /// Pays by card: the page sends the customer straight to the hosted card page, where
    /// the card is typed; returns once back on the page's status URL.
    async fn pay_by_card(&self, number: &str) -> anyhow::Result<String> {
        self.confirm(&self.link().await?, "Carte bancaire", "")
            .await?;
        self.enter_card(number).await?;
        self.session_in_url().await
    }

    /// On the sandbox's hosted card page: types a card and submits it.
    async fn enter_card(&self, number: &str) -> anyhow::Result<()> {
        self.browser
            .url_becomes(&format!("{}/sandbox/card/", self.server.base_url))
            .await?;
        self.browser.type_into("number", number).await?;
        self.browser.type_into("expiry", "12/34").await?;
        self.browser.type_into("cvc", "123").await?;
        self.browser.click_button_containing("Pay").await?;
        Ok(())
    }
}

#[tokio::test]
async fn card_4242_succeeds_on_the_hosted_page() -> anyhow::Result<()> {
    let shop = Shop::open().await?;
    let session = shop.pay_by_card("4242 4242 4242 4242").await?;
    shop.ends_on_success(&session).await?;
    // Card data never touched the checkout page or the merchant's view.
    assert!(!shop
        .merchant_view(&session)
        .await?
        .to_string()
        .contains("4242 4242"));
    shop.close().await
}

#[tokio::test]
async fn card_0002_is_declined() -> anyhow::Result<()> {
    let shop = Shop::open().await?;
    let session = shop.pay_by_card("4000 0000 0000 0002").await?;
    shop.browser
        .wait_for_text_prefix("failure-reason", "La banque a refusé la carte.")
        .await?;
    assert_eq!(shop.merchant_view(&session).await?["status"], "open");
    shop.close().await
}

#[tokio::test]
async fn card_3220_asks_for_3d_secure_first() -> anyhow::Result<()> {
    let shop = Shop::open().await?;
    shop.confirm(&shop.link().await?, "Carte bancaire", "")
        .await?;
    shop.enter_card("4000 0000 0000 3220").await?;
    shop.browser
        .url_becomes(&format!("{}/sandbox/card/", shop.server.base_url))
        .await?;
    shop.browser
        .click_button_containing("Complete authentication")
        .await?;
    let session = shop.session_in_url().await?;
    shop.ends_on_success(&session).await?;
    shop.close().await
}

#[tokio::test]
async fn paying_a_merchants_session_records_what_was_bought() -> anyhow::Result<()> {
    let shop = Shop::open().await?;
    let created = curl(
        &shop.server.base_url,
        &format!(
            r#"curl -X POST "$BASE/checkout-sessions" -H "X-API-KEY: $LOMI_API_KEY" \
              -H "Content-Type: application/json" \
              -d '{{"amount": 10000, "currency_code": "XOF", "title": "Commande #900",
                   "allow_quantity": true, "allow_coupon_code": true,
                   "require_billing_address": false,
                   "success_url": "{m}/success?session={{CHECKOUT_SESSION_ID}}"}}'"#,
            m = shop.merchant.base_url
        ),
    )
    .await?;
    assert_eq!(created.status, 201, "{:?}", created.body);
    let session = created.body["id"].as_str().unwrap_or_default().to_string();
    let b = &shop.browser;
    b.open(&format!(
        "{}?lang=fr",
        created.body["checkout_url"].as_str().unwrap_or_default()
    ))
    .await?;
    b.type_into("quantity", "3").await?;
    b.type_into("coupon-code", "WELCOME10").await?;
    b.press_enter("coupon-code").await?;
    b.text_becomes("summary-total", "27 000 F CFA").await?;
    b.fill_contact("05 06 07 08 09").await?;
    b.choose_provider("MTN MoMo").await?;
    b.click_testid("pay-button").await?;
    assert_eq!(shop.session_in_url().await?, session);
    shop.ends_on_success(&session).await?;
    let view = shop.merchant_view(&session).await?;
    assert_eq!(view["quantity"], 3, "{view}");
    assert_eq!(view["amount"], 30000, "{view}");
    assert_eq!(view["coupon_code"], "WELCOME10", "{view}");
    assert_eq!(view["customer_name"], "Awa Diallo", "{view}");
    assert_eq!(view["customer_phone"], "+2250506070809", "{view}");
    shop.close().await
}

#[tokio::test]
async fn a_trial_starts_with_the_method_its_charges_will_use() -> anyhow::Result<()> {
    let shop = Shop::open().await?;
    let b = &shop.browser;
    b.open(&format!("{}?lang=fr", shop.demo.plan)).await?;
    assert_eq!(b.text("summary-due-today").await?, "0 F CFA");
    b.fill_contact("07 08 09 10 11").await?;
    // Nothing is due today, yet the later charges need a method: it must be chosen.
    b.click_testid("pay-button").await?;
    b.text_becomes("provider-error", "Choisissez un moyen de paiement.")
        .await?;
    b.choose_provider("Wave").await?;
    b.text_becomes("provider-error", "").await?;
    b.click_testid("pay-button").await?;
    let session = shop.session_in_url().await?;
    b.wait_for_text_prefix("payment-succeeded", "Abonnement activé")
        .await?;
    assert_eq!(shop.merchant_view(&session).await?["status"], "completed");
    shop.close().await
}

#[tokio::test]
async fn wave_and_orange_follow_the_test_numbers_too() -> anyhow::Result<()> {
    let shop = Shop::open().await?;
    // Wave approved from an account without the funds.
    shop.pay(&shop.link().await?, "Wave", "07 08 09 10 01")
        .await?;
    shop.browser.click_testid("provider-link").await?;
    shop.browser.click_button_containing("Approve").await?;
    shop.browser
        .wait_for_text_prefix("failure-reason", "Solde insuffisant.")
        .await?;

    // Orange Money: the right code, but the customer refuses on the phone.
    shop.pay(&shop.link().await?, "Orange Money", "07 08 09 10 02")
        .await?;
    shop.browser.type_into("otp-code", "123456").await?;
    shop.browser.click_button("Valider le code").await?;
    shop.browser
        .wait_for_text_prefix(
            "failure-reason",
            "Le paiement a été refusé depuis le téléphone",
        )
        .await?;

    // Wave approved, then the operator never answers: still waiting, then the timeout.
    shop.pay(&shop.link().await?, "Wave", "07 08 09 10 03")
        .await?;
    shop.browser.click_testid("provider-link").await?;
    shop.browser.click_button_containing("Approve").await?;
    shop.browser
        .wait_for_text_prefix("payment-waiting", "Toujours en attente de l’opérateur.")
        .await?;
    shop.browser
        .wait_for_text_prefix(
            "failure-reason",
            "L’opérateur n’a pas reçu de validation à temps.",
        )
        .await?;
    shop.close().await
}

#[tokio::test]
async fn the_remaining_test_outcomes_of_each_provider() -> anyhow::Result<()> {
    let shop = Shop::open().await?;
    let b = &shop.browser;

    // Orange Money, right code: 01 has no funds, 03 never answers.
    shop.pay(&shop.link().await?, "Orange Money", "07 08 09 10 01")
        .await?;
    b.type_into("otp-code", "123456").await?;
    b.click_button("Valider le code").await?;
    b.wait_for_text_prefix("failure-reason", "Solde insuffisant.")
        .await?;
    shop.pay(&shop.link().await?, "Orange Money", "07 08 09 10 03")
        .await?;
    b.type_into("otp-code", "123456").await?;
    b.click_button("Valider le code").await?;
    b.wait_for_text_prefix("payment-waiting", "Toujours en attente de l’opérateur.")
        .await?;
    b.wait_for_text_prefix(
        "failure-reason",
        "L’opérateur n’a pas reçu de validation à temps.",
    )
    .await?;

    // Wave approved in the app, then refused on the phone (02).
    shop.pay(&shop.link().await?, "Wave", "07 08 09 10 02")
        .await?;
    b.click_testid("provider-link").await?;
    b.click_button_containing("Approve").await?;
    b.wait_for_text_prefix(
        "failure-reason",
        "Le paiement a été refusé depuis le téléphone",
    )
    .await?;

    // MTN: the customer asks for the prompt again, then approves it.
    let session = shop
        .pay(&shop.link().await?, "MTN MoMo", "05 06 07 08 09")
        .await?;
    b.click_button("Renvoyer la demande").await?;
    b.wait_for_text_prefix("payment-pending", "Validez sur votre téléphone")
        .await?;
    shop.ends_on_success(&session).await?;

    // Card with 3-D Secure, authentication failed.
    shop.confirm(&shop.link().await?, "Carte bancaire", "")
        .await?;
    shop.enter_card("4000 0000 0000 3220").await?;
    b.click_button_containing("Fail authentication").await?;
    b.wait_for_text_prefix("failure-reason", "La banque a refusé la carte.")
        .await?;
    shop.close().await
}

/// Runs a merchant API call through the shell, as the guides' curl lines do.
async fn api(shop: &Shop, command: &str) -> anyhow::Result<Value> {
    let reply: CurlReply = curl(&shop.server.base_url, command).await?;
    anyhow::ensure!(
        reply.status < 300,
        "{command}: {} {:?}",
        reply.status,
        reply.body
    );
    Ok(reply.body)
}

/// A product with one XOF price; returns the price's id.
async fn price(shop: &Shop, name: &str, amount: i64) -> anyhow::Result<String> {
    let product = api(
        shop,
        &format!(
            r#"curl -X POST "$BASE/v1/products" -H "X-API-KEY: $LOMI_API_KEY" \
              -H "Content-Type: application/json" -d '{{"name": "{name}"}}'"#
        ),
    )
    .await?;
    let product = product["product_id"].as_str().unwrap_or_default();
    let price = api(
        shop,
        &format!(
            r#"curl -X POST "$BASE/v1/prices" -H "X-API-KEY: $LOMI_API_KEY" \
              -H "Content-Type: application/json" \
              -d '{{"product_id": "{product}", "amount": {amount}, "currency_code": "XOF"}}'"#
        ),
    )
    .await?;
    Ok(price["price_id"].as_str().unwrap_or_default().to_string())
}

#[tokio::test]
async fn a_three_line_cart_with_a_coupon_is_paid_and_the_merchant_sees_each_line(
) -> anyhow::Result<()> {
    let shop = Shop::open().await?;
    let pagne = price(&shop, "Pagne wax", 5000).await?;
    let sac = price(&shop, "Sac en raphia", 12500).await?;
    let foulard = price(&shop, "Foulard", 1500).await?;
    let session = api(
        &shop,
        &format!(
            r#"curl -X POST "$BASE/v1/checkout_sessions" -H "X-API-KEY: $LOMI_API_KEY" \
              -H "Content-Type: application/json" -H "Idempotency-Key: panier-42" \
              -d '{{"line_items": [{{"price_id": "{pagne}", "quantity": 2}}, {{"price_id": "{sac}"}},
                                  {{"price_id": "{foulard}", "quantity": 3}}],
                   "title": "Commande 42", "allow_coupon_code": true,
                   "require_billing_address": false,
                   "success_url": "{m}/success?session={{CHECKOUT_SESSION_ID}}"}}'"#,
            m = shop.merchant.base_url
        ),
    )
    .await?;
    let id = session["id"].as_str().unwrap_or_default().to_string();
    let url = session["checkout_url"]
        .as_str()
        .unwrap_or_default()
        .to_string();

    // The customer sees each line, then the coupon's discount on all of them.
    let b = &shop.browser;
    b.open(&format!("{url}?lang=fr")).await?;
    let lines = b
        .client
        .find_all(Locator::Css("[data-testid='summary-line']"))
        .await?;
    let mut texts = Vec::new();
    for line in lines {
        let text = checkout_e2e::spaces(&line.text().await?);
        texts.push(text.split_whitespace().collect::<Vec<_>>().join(" "));
    }
    assert_eq!(
        texts,
        [
            "Pagne wax 2 × 5 000 F CFA 10 000 F CFA",
            "Sac en raphia 1 × 12 500 F CFA 12 500 F CFA",
            "Foulard 3 × 1 500 F CFA 4 500 F CFA",
        ],
        "each line with its quantity and amount"
    );
    assert!(
        !b.has_testid("quantity").await?,
        "a cart's quantities are the merchant's"
    );
    b.text_becomes("summary-subtotal", "27 000 F CFA").await?;
    b.type_into("coupon-code", "welcome10").await?;
    b.press_enter("coupon-code").await?;
    b.text_becomes("summary-discount", "−2 700 F CFA").await?;
    b.text_becomes("summary-total", "24 300 F CFA").await?;
    b.fill_contact("05 06 07 08 09").await?;
    b.choose_provider("MTN MoMo").await?;
    b.click_testid("pay-button").await?;
    shop.ends_on_success(&id).await?;

    // The merchant reads the lines on the session and on its transaction.
    let view = shop.merchant_view(&id).await?;
    assert_eq!(
        view["line_items"].as_array().map(Vec::len),
        Some(3),
        "{view}"
    );
    let transaction = api(
        &shop,
        &format!(
            r#"curl "$BASE/v1/transactions/{}" -H "X-API-KEY: $LOMI_API_KEY""#,
            view["transaction_id"].as_str().unwrap_or_default()
        ),
    )
    .await?;
    assert_eq!(
        (
            &transaction["gross_amount"],
            &transaction["discount_amount"],
            &transaction["quantity"],
            &transaction["coupon_code"],
        ),
        (
            &serde_json::json!(24300),
            &serde_json::json!(2700),
            &serde_json::json!(6),
            &serde_json::json!("WELCOME10"),
        )
    );
    assert_eq!(transaction["line_items"], view["line_items"]);
    assert_eq!(transaction["line_items"][2]["amount"], 4500);

    // Paying again with the same details: still one customer, with both payments.
    shop.pay(&shop.link().await?, "MTN MoMo", "05 06 07 08 09")
        .await?;
    shop.browser
        .wait_for_text_prefix("payment-succeeded", "Paiement réussi")
        .await?;
    let customers = api(
        &shop,
        r#"curl "$BASE/v1/customers" -H "X-API-KEY: $LOMI_API_KEY""#,
    )
    .await?;
    assert_eq!(customers["pagination"]["total"], 1, "{customers}");
    let customer = customers["data"][0]["customer_id"]
        .as_str()
        .unwrap_or_default();
    let theirs = api(
        &shop,
        &format!(r#"curl "$BASE/v1/customers/{customer}" -H "X-API-KEY: $LOMI_API_KEY""#),
    )
    .await?;
    assert_eq!(
        theirs["transactions"].as_array().map(Vec::len),
        Some(2),
        "{theirs}"
    );
    assert_eq!(theirs["email"], "awa@example.ci");
    shop.close().await
}
