//! The demo shop as a merchant's server: "Buy" makes a session over the API and redirects to
//! it, the signed webhook marks the order paid once, a forged one is refused. Its form takes
//! only posts carrying the token of its page (and cookie); its webhook endpoint only signed
//! JSON, never before it has a secret, and it keeps at most 50 refusals.

mod common;

use lomi_sandbox::config::WebhookSettings;
use lomi_sandbox::domain::shop::REFUSED_KEPT;
use lomi_sandbox::domain::webhooks::signing;
use lomi_sandbox::{spawn, Config};
use serde_json::{json, Value};
use std::time::Duration;

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Opens the shop as a browser does: its cookie (`name=value`) and the token in its form.
async fn open_shop(base: &str, cookie: Option<&str>) -> (Option<String>, String) {
    let mut request = client().get(format!("{base}/sandbox/shop"));
    if let Some(cookie) = cookie {
        request = request.header("Cookie", cookie);
    }
    let r = request.send().await.unwrap();
    assert_eq!(r.status(), 200);
    let set = r.headers().get("set-cookie").map(|v| {
        let v = v.to_str().unwrap().to_string();
        assert!(
            v.contains("SameSite=Strict") && v.contains("HttpOnly"),
            "{v}"
        );
        v.split(';').next().unwrap().to_string()
    });
    let page = r.text().await.unwrap();
    let marker = "name=\"csrf_token\" value=\"";
    let start = page.find(marker).expect("the form carries a token") + marker.len();
    let token = page[start..].split('"').next().unwrap().to_string();
    (set, token)
}

/// Clicks "Buy" with this form body and these extra headers.
async fn post_buy(base: &str, body: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut request = client()
        .post(format!("{base}/sandbox/shop/orders"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(body.to_string());
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap()
}

/// Buys `item` as the shop's page does; answers the checkout's URL.
async fn buy(base: &str, item: &str) -> String {
    let (cookie, token) = open_shop(base, None).await;
    let cookie = cookie.expect("a first visit gets its cookie");
    let r = post_buy(
        base,
        &format!("item={item}&csrf_token={token}"),
        &[("Cookie", &cookie), ("Sec-Fetch-Site", "same-origin")],
    )
    .await;
    assert_eq!(r.status(), 303);
    r.headers()["location"].to_str().unwrap().to_string()
}

/// Posts a delivery to the shop's webhook endpoint.
async fn deliver(base: &str, body: &str, signature: &str, headers: &[(&str, &str)]) -> u16 {
    let mut request = client()
        .post(format!("{base}/sandbox/shop/webhooks"))
        .header("X-Lomi-Signature", signature)
        .body(body.to_string());
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap().status().as_u16()
}

const JSON: (&str, &str) = ("Content-Type", "application/json");

fn event(session: &str) -> String {
    json!({"id": lomi_sandbox::ids::uuid(), "event": "PAYMENT_SUCCEEDED",
           "timestamp": "2026-01-01T00:00:00Z", "lomi_environment": "test",
           "data": {"checkout_session_id": session, "transaction_id": "t"}})
    .to_string()
}

async fn order_page(base: &str, order: &str) -> String {
    let r = client()
        .get(format!("{base}/sandbox/shop/orders/{order}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    r.text().await.unwrap()
}

#[tokio::test]
async fn an_order_is_paid_by_its_signed_webhook_and_a_forged_one_is_refused() {
    let config = Config {
        webhooks: WebhookSettings {
            retry_unit_ms: 100,
            ..Config::default().webhooks
        },
        ..common::config()
    };
    let sandbox = spawn(config, "127.0.0.1:0".parse().unwrap()).await.unwrap();
    let base = sandbox.base_url.clone();
    let shop = client()
        .get(format!("{base}/sandbox/shop"))
        .send()
        .await
        .unwrap();
    assert_eq!(shop.status(), 200);
    let csp = shop.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.contains("form-action 'self'"), "{csp}");
    assert!(shop.text().await.unwrap().contains("Pagne wax"));

    // "Buy": the shop's server makes a session and sends the customer to it.
    let checkout = buy(&base, "pagne-wax").await;
    assert!(
        checkout.starts_with(&format!("{base}/checkout/")),
        "{checkout}"
    );
    let session_id = checkout.rsplit('/').next().unwrap();

    // The session is the merchant's, with the order in its metadata and the way back.
    let api = client();
    let s: Value = api
        .get(format!("{base}/checkout-sessions/{session_id}"))
        .header("X-API-Key", &sandbox.api_key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let order = s["metadata"]["shop_order_id"].as_str().unwrap().to_string();
    assert_eq!(s["amount"], json!(12000));
    assert_eq!(
        s["success_url"],
        format!("{base}/sandbox/shop/orders/{order}")
    );
    assert!(order_page(&base, &order)
        .await
        .contains("En attente du paiement · Awaiting payment"));

    // A forged delivery is refused and changes nothing.
    let forged = json!({"id": "evt", "event": "PAYMENT_SUCCEEDED", "timestamp": "2026-01-01T00:00:00Z",
                        "data": {"checkout_session_id": session_id, "transaction_id": "t"}, "lomi_environment": "test"});
    let r = client()
        .post(format!("{base}/sandbox/shop/webhooks"))
        .header("X-Lomi-Signature", "00".repeat(32))
        .header("Content-Type", "application/json")
        .body(forged.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(order_page(&base, &order)
        .await
        .contains("En attente du paiement"));

    // The customer pays; the webhook marks the order paid.
    let paid = client()
        .post(format!("{base}/api/checkout/sessions/{session_id}/pay"))
        .header("Idempotency-Key", "shop-test")
        .json(
            &json!({"customer": common::customer("0700000011"), "provider": "WAVE",
                      "billing": {"country": "CI", "city": "Abidjan", "line1": "Rue des Jardins"}}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(paid.status(), 201);
    let payment: Value = paid.json().await.unwrap();
    let r = api
        .post(format!(
            "{base}/sandbox/payments/{}/succeed",
            payment["id"].as_str().unwrap()
        ))
        .header("X-API-Key", &sandbox.api_key)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let mut page = String::new();
    for _ in 0..100 {
        page = order_page(&base, &order).await;
        if page.contains("Commande payée · Order paid") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(page.contains("Commande payée · Order paid"), "{page}");
    assert!(page.contains("signature valide"));
    assert!(page.contains("signature invalide, refusé"));
    assert!(
        !page.contains("http-equiv=\"refresh\""),
        "a paid order stops reloading"
    );

    // The same event delivered again (a manual retry) is acknowledged, not applied twice.
    let logs: Value = api
        .get(format!("{base}/webhook-delivery-logs?success=true"))
        .header("X-API-Key", &sandbox.api_key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let log = logs["data"][0]["id"].as_str().unwrap();
    let r = api
        .post(format!("{base}/webhook-delivery-logs/{log}/retry"))
        .header("X-API-Key", &sandbox.api_key)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 202);
    for _ in 0..100 {
        page = order_page(&base, &order).await;
        if page.contains("déjà traité") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(page.contains("déjà traité · already handled"), "{page}");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_delivery_before_the_shop_has_a_secret_is_refused_and_not_stored() {
    let sandbox = spawn(common::config(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let base = sandbox.base_url.clone();
    // No order yet, so no endpoint and no secret: a body signed with the empty key (which
    // anyone can compute) is refused, and the shop keeps nothing of it.
    let body = event("anything");
    let forged = signing::signature("", body.as_bytes());
    assert_eq!(deliver(&base, &body, &forged, &[JSON]).await, 400);
    assert_eq!(deliver(&base, &body, "", &[JSON]).await, 400);
    assert_eq!(sandbox.state().db().shop_event_count().unwrap(), 0);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn buy_needs_the_token_of_the_shops_own_form() {
    let sandbox = spawn(common::config(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let base = sandbox.base_url.clone();
    let (cookie, token) = open_shop(&base, None).await;
    let cookie = cookie.unwrap();
    assert_eq!(token.len(), 32);
    // The same visitor keeps the token of its cookie (two tabs both work).
    let (again, same) = open_shop(&base, Some(&cookie)).await;
    assert_eq!((again, same.as_str()), (None, token.as_str()));
    let wrong = "0".repeat(32);
    let wrong_cookie = format!("lomi_shop_csrf={wrong}");
    let with_token = format!("item=pagne-wax&csrf_token={token}");
    for (body, headers) in [
        // Another site's form: the browser sends no SameSite=Strict cookie and has no token.
        ("item=pagne-wax".to_string(), vec![]),
        (with_token.clone(), vec![]),
        (
            "item=pagne-wax".to_string(),
            vec![("Cookie", cookie.as_str())],
        ),
        (
            format!("item=pagne-wax&csrf_token={wrong}"),
            vec![("Cookie", cookie.as_str())],
        ),
        (with_token.clone(), vec![("Cookie", wrong_cookie.as_str())]),
        // Even with both, a browser saying the post came from another site.
        (
            with_token.clone(),
            vec![
                ("Cookie", cookie.as_str()),
                ("Sec-Fetch-Site", "cross-site"),
            ],
        ),
    ] {
        let r = post_buy(&base, &body, &headers).await;
        assert_eq!(r.status(), 403, "{body} {headers:?}");
        assert!(r.text().await.unwrap().contains("reload the shop"));
    }
    assert!(sandbox.state().db().shop_orders(10).unwrap().is_empty());
    let (_, page_token) = open_shop(&base, Some(&cookie)).await;
    assert_eq!(page_token, token);

    // The token from the form, with its cookie: the order is made.
    let r = post_buy(
        &base,
        &format!("item=pagne-wax&mode=embedded&csrf_token={token}"),
        &[("Cookie", &cookie), ("Sec-Fetch-Site", "same-origin")],
    )
    .await;
    assert_eq!(r.status(), 303);
    let orders = sandbox.state().db().shop_orders(10).unwrap();
    assert_eq!(orders.len(), 1);
    assert_eq!(
        r.headers()["location"],
        format!("/sandbox/shop/orders/{}/pay", orders[0].id).as_str()
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn the_webhook_endpoint_takes_only_json_from_a_server_and_caps_refusals() {
    let sandbox = spawn(common::config(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let base = sandbox.base_url.clone();
    let checkout = buy(&base, "sac-raphia").await;
    let session = checkout.rsplit('/').next().unwrap().to_string();
    let (_, secret) = sandbox.state().db().shop_registration().unwrap().unwrap();
    let order = sandbox.state().db().shop_orders(1).unwrap()[0].id.clone();

    // Rightly signed, but as a browser's form would post it, or from another site's page.
    let body = event(&session);
    let signed = signing::signature(&secret, body.as_bytes());
    assert_eq!(deliver(&base, &body, &signed, &[]).await, 415);
    assert_eq!(
        deliver(&base, &body, &signed, &[("Content-Type", "text/plain")]).await,
        415
    );
    assert_eq!(
        deliver(
            &base,
            &body,
            &signed,
            &[JSON, ("Sec-Fetch-Site", "cross-site")]
        )
        .await,
        403
    );
    assert_eq!(sandbox.state().db().shop_event_count().unwrap(), 0);

    // 200 forged deliveries: each refused, the newest 50 kept.
    for _ in 0..200 {
        let body = event(&session);
        let forged = signing::signature("whsec_guess", body.as_bytes());
        assert_eq!(deliver(&base, &body, &forged, &[JSON]).await, 400);
    }
    assert_eq!(
        sandbox.state().db().shop_event_count().unwrap(),
        u64::from(REFUSED_KEPT)
    );
    let page = order_page(&base, &order).await;
    assert_eq!(
        page.matches("signature invalide, refusé").count(),
        REFUSED_KEPT as usize
    );

    // The real one still goes through, and is kept with them.
    assert_eq!(
        deliver(
            &base,
            &body,
            &signed,
            &[("Content-Type", "application/json; charset=utf-8")]
        )
        .await,
        200
    );
    assert!(order_page(&base, &order)
        .await
        .contains("Commande payée · Order paid"));
    assert_eq!(
        sandbox.state().db().shop_event_count().unwrap(),
        u64::from(REFUSED_KEPT) + 1
    );
    sandbox.shutdown().await;
}
