//! The sandbox as merchants and the end-to-end tests run it: a real server on a free port.

use lomi_sandbox::{spawn, Config};
use serde_json::{json, Value};
use std::path::PathBuf;

#[tokio::test]
async fn spawned_sandbox_answers_over_http() {
    let config = Config {
        db_path: ":memory:".to_string(),
        dist_dir: PathBuf::from("/nonexistent-dist"),
        api_key: None,
        public_url: None,
        api_base: None,
        seed_demo: true,
        ..Config::default()
    };
    let sandbox = spawn(config, "127.0.0.1:0".parse().unwrap()).await.unwrap();
    let base = sandbox.base_url.clone();
    assert!(
        base.starts_with("http://127.0.0.1:") && !base.ends_with(":0"),
        "{base}"
    );
    assert!(sandbox.api_key.starts_with("lomi_sk_test_"));
    let demo = sandbox.demo.clone().expect("demo links");
    assert!(demo.session.starts_with(&format!("{base}/checkout/")));

    let client = reqwest::Client::new();
    let health = client.get(format!("{base}/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);

    // The guide's curl, against localhost.
    let r = client
        .post(format!("{base}/payment-links"))
        .header("X-API-KEY", &sandbox.api_key)
        .json(
            &json!({"link_type": "instant", "title": "Donation", "currency_code": "XOF",
                      "amount": 5000, "description": "Support our cause"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let link: Value = r.json().await.unwrap();
    let url = link["url"].as_str().unwrap().to_string();
    assert!(url.starts_with(&format!("{base}/instant/")));

    // What the page does with that URL: ask the public API, keyless.
    let id = url.rsplit('/').next().unwrap();
    let r = client
        .get(format!("{base}/api/checkout/links/{id}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["cache-control"], "no-store");
    let checkout: Value = r.json().await.unwrap();
    assert_eq!(checkout["quote"]["total"], json!(5000));

    let session_id = demo.session.rsplit('/').next().unwrap();
    let r = client
        .post(format!("{base}/api/checkout/sessions/{session_id}/quote"))
        .json(&json!({"coupon_code": "GRATUIT"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let quote: Value = r.json().await.unwrap();
    assert_eq!(quote["total"], json!(0));

    // No page built here: the page routes say so.
    let r = client.get(&demo.instant).send().await.unwrap();
    assert_eq!(r.status(), 503);

    let r = client
        .get(format!("{base}/payment-links"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let error: Value = r.json().await.unwrap();
    assert_eq!(error["error"]["code"], "UNAUTHORIZED");

    sandbox.shutdown().await;
    assert!(
        client.get(format!("{base}/healthz")).send().await.is_err(),
        "stopped"
    );
}

#[tokio::test]
async fn public_url_overrides_the_bound_address() {
    let config = Config {
        db_path: ":memory:".to_string(),
        dist_dir: PathBuf::from("/nonexistent-dist"),
        api_key: Some("lomi_sk_test_fixed".to_string()),
        public_url: Some("https://pay.example.ci".to_string()),
        api_base: None,
        seed_demo: false,
        ..Config::default()
    };
    let sandbox = spawn(config, "127.0.0.1:0".parse().unwrap()).await.unwrap();
    assert_eq!(sandbox.base_url, "https://pay.example.ci");
    assert_eq!(sandbox.api_key, "lomi_sk_test_fixed");
    assert!(sandbox.demo.is_none());
    sandbox.shutdown().await;
}
