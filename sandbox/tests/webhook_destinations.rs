//! Where webhooks may go, as a merchant (or anyone holding the key) would try it: private,
//! link-local and loopback destinations in every spelling are refused when registered, names
//! are looked up and checked when each attempt is sent (names here answer from a table this
//! test controls, never from DNS), and nothing is connected to unless it was checked. Every
//! connection these tests let through goes to an endpoint on 127.0.0.1.

mod common;
mod hooks;

use hooks::{endpoint, Api};
use lomi_sandbox::config::{WebhookHosts, WebhookSettings};
use lomi_sandbox::resolver::Resolver;
use lomi_sandbox::{spawn, AppState, Config};
use serde_json::{json, Value};
use std::net::IpAddr;
use std::time::Duration;

fn ip(text: &str) -> IpAddr {
    text.parse().unwrap()
}

/// A sandbox with `--webhook-hosts hosts`, as if it listened on `listening`.
fn settings(hosts: WebhookHosts, listening: Option<&str>) -> WebhookSettings {
    WebhookSettings {
        retry_unit_ms: 60_000,
        timeout_ms: 2_000,
        hosts,
        listening: listening.map(|l| l.parse().unwrap()),
    }
}

#[tokio::test]
async fn registering_refuses_every_spelling_of_an_address_the_sandbox_would_not_deliver_to() {
    // Listening on every address (a container): loopback is the host's, not the merchant's.
    let resolver = Resolver::fixed(&[]);
    let app = common::app_with(Config {
        webhooks: settings(WebhookHosts::Auto, Some("0.0.0.0:8080")),
        webhook_resolver: resolver.clone(),
        ..common::config()
    });
    for url in [
        "http://127.0.0.1:9000/secret",
        "http://2130706433:9000/secret",
        "http://0x7f.1/",
        "http://0177.0.0.1/",
        "http://127.1/",
        "http://localhost:3000/hooks",
        "http://api.localhost/",
        "http://[::1]/",
        "http://[::ffff:7f00:1]/",
        "http://0/",
        "http://0.0.0.0:8080/",
        "http://[::]/",
        "http://10.0.0.1/",
        "http://167772161/",
        "http://172.16.0.1/",
        "http://192.168.1.1/",
        "http://100.64.0.1/",
        "http://[::ffff:10.0.0.1]/",
        "http://[fd00::1]/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[fe80::1]/",
        "http://224.0.0.1/",
        "http://[ff02::1]/",
        "http://255.255.255.255/",
        "https://192.0.2.1/",
    ] {
        let r = app
            .post(
                "/webhooks",
                json!({"url": url, "authorized_events": ["PAYMENT_SUCCEEDED"]}),
            )
            .await;
        assert_eq!(r.status, 400, "{url}: {}", r.text());
        let (_, details) = r.error();
        let why = details["url"][0].as_str().unwrap_or_default();
        // Numeric spellings no browser would print are refused as URLs already (the
        // merchant URL rule); the rest by the address they name.
        assert!(
            why.starts_with("URL host ") || why.starts_with("URL must name its host"),
            "{url}: {why}"
        );
    }
    let r = app
        .post(
            "/webhooks",
            json!({"url": "http://127.0.0.1:9000/", "authorized_events": ["PAYMENT_SUCCEEDED"]}),
        )
        .await;
    assert_eq!(
        r.error().1["url"][0],
        "URL host 127.0.0.1 is loopback, and this sandbox listens on 0.0.0.0:8080, not on loopback (--webhook-hosts loopback or private delivers there)"
    );
    let r = app
        .post(
            "/webhooks",
            json!({"url": "http://169.254.169.254/", "authorized_events": ["PAYMENT_SUCCEEDED"]}),
        )
        .await;
    assert_eq!(
        r.error().1["url"][0],
        "URL host 169.254.169.254 is link-local"
    );

    // A public name is taken without being looked up; so is the sandbox's own address.
    let r = app
        .post(
            "/webhooks",
            json!({"url": "https://shop.example/hooks", "authorized_events": ["PAYMENT_SUCCEEDED"]}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(resolver.lookups(), 0);
    let id = r.json["id"].as_str().unwrap().to_string();
    let r = app
        .post(
            "/webhooks",
            json!({"url": "http://127.0.0.1:8080/sandbox/shop/webhooks", "authorized_events": ["PAYMENT_SUCCEEDED"]}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());

    // Changing the URL is checked the same way, and a refusal changes nothing.
    let r = app
        .api(
            "PATCH",
            &format!("/webhooks/{id}"),
            Some(json!({"url": "http://[::ffff:a9fe:a9fe]/"})),
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.text());
    assert_eq!(
        r.error().1["url"][0],
        "URL host ::ffff:169.254.169.254 is link-local"
    );
    let r = app.get(&format!("/webhooks/{id}")).await;
    assert_eq!(r.json["url"], "https://shop.example/hooks");

    // Listening on loopback, loopback is the merchant's own machine: allowed.
    let app = common::app_with(Config {
        webhooks: settings(WebhookHosts::Auto, Some("127.0.0.1:8080")),
        ..common::config()
    });
    for (url, status) in [
        ("http://localhost:3000/hooks", 201),
        ("http://127.0.0.1:3000/hooks", 201),
        // A spelling no browser prints is refused as a URL whatever it names.
        ("http://2130706433:3000/hooks", 400),
        ("http://[::1]:3000/hooks", 201),
        ("http://10.0.0.1/", 400),
        ("http://169.254.169.254/", 400),
    ] {
        let r = app
            .post(
                "/webhooks",
                json!({"url": url, "authorized_events": ["PAYMENT_SUCCEEDED"]}),
            )
            .await;
        assert_eq!(r.status.as_u16(), status, "{url}: {}", r.text());
    }
}

#[tokio::test]
async fn names_are_checked_when_each_attempt_is_sent_and_only_checked_addresses_are_connected_to() {
    let hook = endpoint(&[]).await;
    // What the names answer when the attempts are sent: none is looked up before.
    let resolver = Resolver::fixed(&[
        ("rebind.test", &[ip("10.0.0.1")]),
        ("metadata.test", &[ip("169.254.169.254")]),
        ("sneaky.test", &[ip("127.0.0.1"), ip("::ffff:10.0.0.1")]),
        ("local.test", &[ip("127.0.0.1")]),
    ]);
    let sandbox = spawn(
        Config {
            webhooks: settings(WebhookHosts::Auto, None),
            webhook_resolver: resolver.clone(),
            ..common::config()
        },
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap();
    let api = Api::of(&sandbox);
    let port = hook.port;
    let mut sent: Vec<(Value, &str)> = Vec::new();
    for (host, error) in [
        ("rebind.test", "refused: rebind.test resolves to 10.0.0.1, which is private (--webhook-hosts private delivers to private networks)"),
        ("metadata.test", "refused: metadata.test resolves to 169.254.169.254, which is link-local"),
        ("sneaky.test", "refused: sneaky.test resolves to ::ffff:10.0.0.1, which is private (--webhook-hosts private delivers to private networks)"),
        ("nowhere.test", "Could not resolve nowhere.test: nowhere.test is not known"),
        ("local.test", ""),
    ] {
        let url = format!("http://{host}:{port}/hooks/lomi");
        let w = api.webhook(&url, json!(["PAYMENT_SUCCEEDED"])).await;
        sent.push((w, error));
    }
    assert_eq!(
        resolver.lookups(),
        0,
        "nothing is looked up at registration"
    );
    // The sandbox listens on loopback: the merchant's own server there is reachable.
    let literal = api.webhook(&hook.url, json!(["PAYMENT_SUCCEEDED"])).await;
    for (w, _) in &sent {
        api.test_event(w).await;
    }
    api.test_event(&literal).await;

    for (w, error) in &sent {
        let id = w["id"].as_str().unwrap();
        let logs = api.wait_for_logs(&format!("webhook_id={id}"), 1).await;
        let l = &logs[0];
        if error.is_empty() {
            assert_eq!(l["success"], true, "{l}");
            assert_eq!(l["response_status"], 200);
        } else {
            assert_eq!(l["error"], *error, "{l}");
            assert_eq!(l["success"], false);
            assert!(l["response_status"].is_null());
            assert!(l["response_body"].is_null());
        }
    }
    let logs = api
        .wait_for_logs(
            &format!("webhook_id={}", literal["id"].as_str().unwrap()),
            1,
        )
        .await;
    assert_eq!(logs[0]["success"], true, "{}", logs[0]);
    // Exactly two requests arrived: local.test's, connected to the address its lookup
    // answered (no DNS knows it), and the literal's.
    let got = hook.wait_for(2).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(hook.received().len(), 2);
    let hosts: Vec<&str> = got.iter().map(|r| r.header("host")).collect();
    assert!(
        hosts.contains(&format!("local.test:{port}").as_str()),
        "{hosts:?}"
    );
    assert_eq!(resolver.lookups(), 5);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn loopback_is_refused_at_send_time_when_the_sandbox_listens_on_every_address() {
    let dir = common::temp_dir("webhook-destinations");
    let db = dir.join("sandbox.db").to_string_lossy().into_owned();
    let hook = endpoint(&[]).await;
    // Registered by a sandbox that listened on loopback…
    let first = Config {
        db_path: db.clone(),
        webhooks: settings(WebhookHosts::Auto, None),
        ..common::config()
    };
    let sandbox = spawn(first, "127.0.0.1:0".parse().unwrap()).await.unwrap();
    let w = Api::of(&sandbox)
        .webhook(&hook.url, json!(["PAYMENT_SUCCEEDED"]))
        .await;
    let id = w["id"].as_str().unwrap().to_string();
    sandbox.shutdown().await;

    // …then started again listening on every address (its state and sender as `spawn`
    // makes them, without binding 0.0.0.0 here).
    let config = Config {
        db_path: db,
        webhooks: settings(WebhookHosts::Auto, Some("0.0.0.0:8080")),
        ..common::config()
    };
    let state = AppState::new(&config, "http://127.0.0.1:8080").unwrap();
    let sender = lomi_sandbox::domain::webhooks::sender::spawn(state.ctx().clone());
    let app = common::wrap(state);
    let r = app.post(&format!("/webhooks/{id}/test"), json!({})).await;
    assert_eq!(r.status, 202, "{}", r.text());
    let mut line = Value::Null;
    for _ in 0..100 {
        let r = app.get("/webhook-delivery-logs").await;
        if let Some(l) = r.json["data"].get(0) {
            line = l.clone();
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        line["error"],
        "refused: destination address 127.0.0.1 is loopback, and this sandbox listens on 0.0.0.0:8080, not on loopback (--webhook-hosts loopback or private delivers there)",
        "{line}"
    );
    assert_eq!(line["success"], false);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(hook.received().is_empty(), "no connection was made");
    // The endpoint says why it heard nothing.
    let r = app.get(&format!("/webhooks/{id}")).await;
    assert!(r.json["last_response_body"]
        .as_str()
        .unwrap()
        .starts_with("refused: destination address 127.0.0.1 is loopback"));
    sender.abort();
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn the_log_keeps_the_start_of_a_long_answer_and_says_it_was_cut() {
    let hook = endpoint(&[]).await;
    hook.reply_with(&format!("{}{}", "x".repeat(256), "secret".repeat(124)));
    let sandbox = spawn(hooks::config(60_000), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let api = Api::of(&sandbox);
    let w = api.webhook(&hook.url, json!(["PAYMENT_SUCCEEDED"])).await;
    api.test_event(&w).await;
    let logs = api.wait_for_logs("", 1).await;
    let kept = format!("{}… (truncated, 1000 bytes)", "x".repeat(256));
    assert_eq!(logs[0]["response_body"], kept.as_str());
    assert_eq!(logs[0]["success"], true);
    let (_, w) = api
        .call(
            "GET",
            &format!("/webhooks/{}", w["id"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(w["last_response_body"], kept.as_str());
    sandbox.shutdown().await;
}
