//! A customer shapes the order and fills the form; the server's total follows, and mistakes
//! are caught at the field, in the customer's language.

use checkout_e2e::{curl, demo_sandbox, sandbox, Browser};

#[tokio::test]
async fn quantity_changes_the_server_total() -> anyhow::Result<()> {
    let (server, demo) = demo_sandbox().await?;
    let browser = Browser::start().await?;
    browser.open(&format!("{}?lang=fr", demo.product)).await?;
    assert_eq!(browser.text("summary-total").await?, "5 000 F CFA");

    browser
        .click_button_labelled("Augmenter la quantité")
        .await?;
    browser
        .click_button_labelled("Augmenter la quantité")
        .await?;
    browser.text_becomes("summary-quantity", "3").await?;
    browser
        .text_becomes("summary-total", "15 000 F CFA")
        .await?;

    // Typed quantities are priced too; out of range is refused at the field.
    browser.type_into("quantity", "12").await?;
    browser
        .text_becomes("summary-total", "60 000 F CFA")
        .await?;
    browser.type_into("quantity", "150").await?;
    browser
        .text_becomes("quantity-error", "Choisissez une quantité entre 1 et 99.")
        .await?;
    assert_eq!(
        browser.text("summary-total").await?,
        "60 000 F CFA",
        "the last good price stays"
    );
    browser.close().await?;
    server.shutdown().await?;
    Ok(())
}

#[tokio::test]
async fn pay_what_you_want_is_refused_below_the_minimum_and_priced_within_bounds(
) -> anyhow::Result<()> {
    let (server, demo) = demo_sandbox().await?;
    let browser = Browser::start().await?;
    browser.open(&format!("{}?lang=fr", demo.pwyw)).await?;
    assert_eq!(
        browser.text("summary-pwyw").await?,
        "Montant libre, entre 1 000 F CFA et 50 000 F CFA"
    );
    browser.type_into("pwyw-amount", "500").await?;
    browser
        .text_becomes(
            "pwyw-amount-error",
            "Le montant minimum est de 1 000 F CFA.",
        )
        .await?;
    browser.type_into("pwyw-amount", "2500,50").await?;
    browser
        .text_becomes(
            "pwyw-amount-error",
            "Saisissez un montant entier, sans centimes.",
        )
        .await?;
    browser.type_into("pwyw-amount", "2500").await?;
    browser.text_becomes("pwyw-amount-error", "").await?;
    browser.text_becomes("summary-total", "2 500 F CFA").await?;
    browser.type_into("pwyw-amount", "60000").await?;
    browser
        .text_becomes(
            "pwyw-amount-error",
            "Le montant maximum est de 50 000 F CFA.",
        )
        .await?;
    browser.close().await?;
    server.shutdown().await?;
    Ok(())
}

#[tokio::test]
async fn each_coupon_refusal_says_why_and_a_good_code_shows_its_discount() -> anyhow::Result<()> {
    let (server, demo) = demo_sandbox().await?;
    let browser = Browser::start().await?;
    browser.open(&format!("{}?lang=fr", demo.product)).await?;

    for (code, why) in [
        (
            "NOPE",
            "Ce code promo n’existe pas. Vérifiez l’orthographe.",
        ),
        ("noel2024", "Ce code promo a expiré."),
        (
            "EPUISE",
            "Ce code promo a déjà été utilisé le nombre de fois prévu.",
        ),
        (
            "AUTREPRODUIT",
            "Ce code promo ne s’applique pas à ce produit.",
        ),
    ] {
        browser.type_into("coupon-code", code).await?;
        browser.press_enter("coupon-code").await?;
        browser.text_becomes("coupon-error", why).await?;
        assert_eq!(
            browser.text("summary-total").await?,
            "5 000 F CFA",
            "{code}"
        );
    }
    browser.type_into("coupon-code", "BIENTOT").await?;
    browser.click_button("Appliquer").await?;
    browser
        .wait_for_text_prefix("coupon-error", "Ce code promo sera valable à partir du")
        .await?;

    // A cap on quantity is re-checked when the quantity changes.
    browser.type_into("quantity", "3").await?;
    browser.type_into("coupon-code", "CAP2").await?;
    browser.press_enter("coupon-code").await?;
    browser
        .text_becomes(
            "coupon-error",
            "Ce code promo vaut pour 2 article(s) au plus : réduisez la quantité.",
        )
        .await?;
    browser.type_into("quantity", "2").await?;
    browser.text_becomes("coupon-error", "").await?;
    browser
        .text_becomes("summary-discount", "−1 500 F CFA")
        .await?; // CAP2 is 15 % off

    browser.type_into("coupon-code", "welcome10").await?;
    browser.press_enter("coupon-code").await?;
    browser
        .text_becomes("summary-discount", "−1 000 F CFA")
        .await?;
    browser.text_becomes("summary-total", "9 000 F CFA").await?;
    assert!(browser
        .text("coupon-applied")
        .await?
        .starts_with("WELCOME10"));
    browser.click_button("English").await?;
    browser.text_becomes("summary-total", "XOF 9,000").await?;
    browser.click_button("Remove coupon").await?;
    browser.text_becomes("summary-total", "XOF 10,000").await?;
    assert!(!browser.has_testid("summary-discount").await?);
    browser.close().await?;
    server.shutdown().await?;
    Ok(())
}

#[tokio::test]
async fn bad_email_and_phone_are_refused_at_the_field_in_french_and_english() -> anyhow::Result<()>
{
    let (server, demo) = demo_sandbox().await?;
    let browser = Browser::start().await?;
    browser.open(&format!("{}?lang=fr", demo.instant)).await?;
    browser.type_into("customer-name", "Awa Diallo").await?;
    browser.type_into("customer-email", "awa@").await?;
    browser.choose_provider("MTN MoMo").await?;
    browser.type_into("customer-phone", "0708").await?;
    browser.click_testid("pay-button").await?;

    browser
        .text_becomes(
            "customer-email-error",
            "Cette adresse e-mail n’est pas valide (exemple : awa@exemple.ci).",
        )
        .await?;
    browser
        .text_becomes(
            "customer-phone-error",
            "Ce numéro doit compter 10 chiffres, sans l’indicatif.",
        )
        .await?;
    assert_eq!(
        browser.focused_id().await?,
        "customer-email",
        "focus on the first bad field"
    );
    assert_eq!(
        browser.text("form-error").await?,
        "Vérifiez les champs signalés."
    );
    let email = browser
        .client
        .find(fantoccini::Locator::Id("customer-email"))
        .await?;
    assert_eq!(email.attr("aria-invalid").await?.as_deref(), Some("true"));
    assert_eq!(
        email.attr("aria-describedby").await?.as_deref(),
        Some("customer-email-error")
    );

    browser.click_button("English").await?;
    browser
        .text_becomes(
            "customer-email-error",
            "This email address is not valid (for example: awa@example.com).",
        )
        .await?;
    browser
        .text_becomes(
            "customer-phone-error",
            "This number must have 10 digits, without the country code.",
        )
        .await?;
    browser.close().await?;
    server.shutdown().await?;
    Ok(())
}

#[tokio::test]
async fn billing_address_only_when_required_and_only_allowed_providers() -> anyhow::Result<()> {
    let server = sandbox(None).await?;
    let create = |billing: bool, providers: &str| {
        format!(
            r#"curl -X POST "$BASE/payment-links" -H "X-API-KEY: $LOMI_API_KEY" \
              -H "Content-Type: application/json" \
              -d '{{"link_type": "instant", "title": "Atelier", "amount": 8000, "currency_code": "XOF",
                   "require_billing_address": {billing}, "allowed_providers": {providers}}}'"#
        )
    };
    let with_billing = curl(&server.base_url, &create(true, r#"["WAVE", "ORANGE"]"#)).await?;
    let without = curl(&server.base_url, &create(false, "[]")).await?;
    assert_eq!(with_billing.status, 201, "{:?}", with_billing.body);

    let browser = Browser::start().await?;
    browser
        .open(&format!(
            "{}?lang=fr",
            with_billing.body["url"].as_str().unwrap()
        ))
        .await?;
    assert_eq!(
        browser.provider_names().await?,
        vec!["Wave", "Orange Money"]
    );
    assert!(browser.has_heading("Adresse de facturation").await?);
    browser.type_into("customer-name", "Awa Diallo").await?;
    browser
        .type_into("customer-email", "awa@example.ci")
        .await?;
    browser.choose_provider("Wave").await?;
    browser
        .type_into("customer-phone", "07 08 09 10 11")
        .await?;
    browser.click_testid("pay-button").await?;
    browser
        .text_becomes("billing-line1-error", "Saisissez votre adresse.")
        .await?;
    browser
        .text_becomes("billing-city-error", "Saisissez votre ville.")
        .await?;
    assert_eq!(browser.focused_id().await?, "billing-line1");

    browser
        .open(&format!(
            "{}?lang=fr",
            without.body["url"].as_str().unwrap()
        ))
        .await?;
    assert_eq!(
        browser.provider_names().await?,
        vec![
            "Wave",
            "Orange Money",
            "MTN MoMo",
            "Carte bancaire",
            "Crypto"
        ],
        "an empty list means the merchant's enabled providers"
    );
    assert!(!browser.has_heading("Adresse de facturation").await?);
    browser.close().await?;
    server.shutdown().await?;
    Ok(())
}

#[tokio::test]
async fn plan_with_a_trial_is_free_today() -> anyhow::Result<()> {
    let (server, demo) = demo_sandbox().await?;
    let browser = Browser::start().await?;
    browser.open(&format!("{}?lang=fr", demo.plan)).await?;
    assert_eq!(
        browser.text("summary-unit-price").await?,
        "5 000 F CFA / mois"
    );
    assert_eq!(browser.text("summary-due-today").await?, "0 F CFA");
    assert_eq!(
        browser.text("summary-trial").await?,
        "Essai gratuit de 14 jours"
    );
    assert!(browser
        .text("summary-next-charge")
        .await?
        .starts_with("Puis 5 000 F CFA / mois à partir du "));
    assert!(browser
        .text("recurring-authorisation")
        .await?
        .contains("vous autorisez Boutique Awa à prélever 5 000 F CFA / mois"));
    assert_eq!(
        browser.text("pay-button").await?,
        "Commencer l’essai gratuit"
    );
    browser.close().await?;
    server.shutdown().await?;
    Ok(())
}

#[tokio::test]
async fn what_the_customer_typed_survives_a_reload() -> anyhow::Result<()> {
    let (server, demo) = demo_sandbox().await?;
    let browser = Browser::start().await?;
    browser.open(&format!("{}?lang=fr", demo.product)).await?;
    browser.type_into("quantity", "2").await?;
    browser.type_into("customer-name", "Kouassi Yao").await?;
    browser
        .type_into("customer-email", "kouassi@example.ci")
        .await?;
    browser.choose_provider("Orange Money").await?;
    browser
        .text_becomes("summary-total", "10 000 F CFA")
        .await?;
    browser.client.refresh().await?;
    browser
        .text_becomes("summary-total", "10 000 F CFA")
        .await?;
    assert_eq!(browser.value_of("customer-name").await?, "Kouassi Yao");
    let orange = browser
        .client
        .wait()
        .for_element(fantoccini::Locator::Id("provider-orange"))
        .await?;
    assert_eq!(orange.prop("checked").await?.as_deref(), Some("true"));

    // A session's customer details come pre-filled.
    browser.open(&format!("{}?lang=fr", demo.session)).await?;
    assert_eq!(browser.value_of("customer-name").await?, "Awa Diallo");
    assert_eq!(browser.value_of("customer-email").await?, "awa@example.ci");
    browser.close().await?;
    server.shutdown().await?;
    Ok(())
}

fn session_expiring_in(seconds: i64) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs() as i64;
    let at = checkout_core::calendar::to_rfc3339(now + seconds);
    format!(
        r#"curl -X POST "$BASE/checkout-sessions" -H "X-API-KEY: $LOMI_API_KEY" \
          -H "Content-Type: application/json" \
          -d '{{"amount": 3000, "currency_code": "XOF", "title": "Commande #77", "expires_at": "{at}"}}'"#
    )
}

#[tokio::test]
async fn a_session_counts_down_its_last_minutes_then_locks() -> anyhow::Result<()> {
    let server = sandbox(None).await?;
    let browser = Browser::start().await?;

    let later = curl(&server.base_url, &session_expiring_in(30 * 60)).await?;
    assert_eq!(later.status, 201, "{:?}", later.body);
    browser
        .open(&format!(
            "{}?lang=fr",
            later.body["checkout_url"].as_str().unwrap()
        ))
        .await?;
    assert_eq!(browser.heading().await?, "Commande #77");
    assert!(
        !browser.has_testid("expiry-countdown").await?,
        "no clock with half an hour left"
    );

    let soon = curl(&server.base_url, &session_expiring_in(6)).await?;
    assert_eq!(soon.status, 201, "{:?}", soon.body);
    browser
        .open(&format!(
            "{}?lang=fr",
            soon.body["checkout_url"].as_str().unwrap()
        ))
        .await?;
    browser
        .wait_for_text_prefix(
            "expiry-countdown",
            "Cette session de paiement expire dans 0:0",
        )
        .await?;
    browser
        .wait_for_text_prefix("state-expired", "Ce lien a expiré")
        .await?;
    let fieldset = browser
        .client
        .find(fantoccini::Locator::Css(".checkout-form fieldset"))
        .await?;
    assert_eq!(fieldset.attr("disabled").await?.as_deref(), Some("true"));
    browser.close().await?;
    server.shutdown().await?;
    Ok(())
}

#[tokio::test]
async fn a_provider_whose_limit_the_total_exceeds_says_so_and_cannot_be_chosen(
) -> anyhow::Result<()> {
    let server = sandbox(None).await?;
    let link = curl(
        &server.base_url,
        r#"curl -X POST "$BASE/payment-links" -H "X-API-KEY: $LOMI_API_KEY" \
          -H "Content-Type: application/json" \
          -d '{"link_type": "instant", "title": "Moto", "amount": 1200000, "currency_code": "XOF",
               "allowed_providers": ["WAVE", "MTN"]}'"#,
    )
    .await?;
    let browser = Browser::start().await?;
    browser
        .open(&format!("{}?lang=fr", link.body["url"].as_str().unwrap()))
        .await?;
    assert_eq!(browser.provider_names().await?, vec!["Wave", "MTN MoMo"]);
    assert_eq!(
        browser.text("provider-mtn-limit").await.unwrap_or_default(),
        "Jusqu’à 1 000 000 F CFA par paiement"
    );
    let mtn = browser
        .client
        .find(fantoccini::Locator::Id("provider-mtn"))
        .await?;
    assert_eq!(mtn.attr("disabled").await?.as_deref(), Some("true"));
    browser.close().await?;
    server.shutdown().await?;
    Ok(())
}

#[tokio::test]
async fn a_prefilled_or_pasted_international_number_shows_once_under_its_country(
) -> anyhow::Result<()> {
    let server = sandbox(None).await?;
    let created = curl(
        &server.base_url,
        r#"curl -X POST "$BASE/checkout-sessions" -H "X-API-KEY: $LOMI_API_KEY" \
          -H "Content-Type: application/json" \
          -d '{"amount": 5000, "currency_code": "XOF", "title": "Commande #77",
               "customer_name": "Awa Diallo", "customer_phone": "+2250708091011"}'"#,
    )
    .await?;
    assert_eq!(created.status, 201, "{:?}", created.body);
    let browser = Browser::start().await?;
    browser
        .open(&format!(
            "{}?lang=fr",
            created.body["checkout_url"].as_str().unwrap_or_default()
        ))
        .await?;
    // The merchant's E.164 number: the country in the picker, the national digits in the field.
    assert_eq!(browser.value_of("customer-phone-country").await?, "CI");
    assert_eq!(browser.value_of("customer-phone").await?, "0708091011");

    // A customer pasting a Senegalese number with its code: it moves to the picker.
    browser
        .type_into("customer-phone", "+221 77 123 45 67")
        .await?;
    browser
        .type_into("customer-email", "awa@example.sn")
        .await?;
    assert_eq!(browser.value_of("customer-phone-country").await?, "SN");
    assert_eq!(browser.value_of("customer-phone").await?, "771234567");

    // Optional until the chosen provider pays by phone; then the page says why it asks.
    assert_eq!(browser.text("customer-phone-hint").await?, "");
    browser.choose_provider("MTN MoMo").await?;
    browser
        .text_becomes(
            "customer-phone-hint",
            "Obligatoire pour payer par mobile money : l'opérateur envoie la demande de paiement à ce numéro.",
        )
        .await?;
    browser.close().await?;
    server.shutdown().await?;
    Ok(())
}
