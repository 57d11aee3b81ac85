//! Webhooks as a merchant meets them: a real sandbox on a free port posting to a real local
//! endpoint, signatures checked as a receiver would, retries with the same event id, the
//! delivery log, a restart between two attempts or during one, test events and manual
//! retries.

mod common;

mod hooks;

use hooks::{assert_signed, config, endpoint, Api, HANG};
use lomi_sandbox::config::WebhookSettings;
use lomi_sandbox::resolver::Resolver;
use lomi_sandbox::{spawn, Config};
use serde_json::json;
use std::time::Duration;

#[tokio::test]
async fn a_paid_order_reaches_the_endpoint_signed_and_a_500_is_retried_with_the_same_event_id() {
    let hook = endpoint(&[500]).await;
    let sandbox = spawn(config(100), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let api = Api::of(&sandbox);
    let w = api
        .webhook(&hook.url, json!(["PAYMENT_SUCCEEDED", "PAYMENT_FAILED"]))
        .await;
    let secret = w["verification_token"].as_str().unwrap().to_string();
    assert!(secret.starts_with("whsec_"), "{w}");
    assert_eq!(w["authorized_events"], "PAYMENT_SUCCEEDED,PAYMENT_FAILED");

    let payment = api.start_payment(15_000).await;
    assert!(
        hook.received().is_empty(),
        "nothing is sent before the outcome"
    );
    api.settle(&payment, "succeed").await;

    let got = hook.wait_for(2).await;
    let (first, second) = (&got[0], &got[1]);
    assert_eq!(
        first.body, second.body,
        "every attempt sends the same bytes"
    );
    let event = second.json();
    assert_eq!(event["event"], "PAYMENT_SUCCEEDED");
    assert_eq!(event["lomi_environment"], "test");
    assert!(event["timestamp"].as_str().unwrap().ends_with('Z'));
    assert_eq!(event["data"]["status"], "completed");
    assert_eq!(event["data"]["gross_amount"], json!(15000));
    assert_eq!(event["data"]["currency_code"], "XOF");
    assert_eq!(event["data"]["provider_code"], "WAVE");
    for r in [first, second] {
        assert_signed(r, &secret);
        assert_eq!(r.header("x-lomi-event"), "PAYMENT_SUCCEEDED");
        assert_eq!(r.header("user-agent"), "Lomi-Webhook/1.0");
        assert_eq!(r.header("content-type"), "application/json");
        assert_eq!(r.header("x-lomi-event-id"), event["id"].as_str().unwrap());
    }
    assert_eq!(first.header("x-lomi-attempt"), "1");
    assert_eq!(second.header("x-lomi-attempt"), "2");

    // The transaction the merchant reads is the one the event carried.
    let (_, t) = api
        .call(
            "GET",
            &format!("/transactions/{}", event["data"]["id"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(t["transaction_id"], event["data"]["transaction_id"]);

    // Both attempts are in the log, newest first, with the same event id.
    let event_id = event["id"].as_str().unwrap();
    let logs = api.wait_for_logs(&format!("event_id={event_id}"), 2).await;
    assert_eq!(logs[0]["attempt_number"], 2);
    assert_eq!(logs[0]["success"], true);
    assert_eq!(logs[0]["response_status"], 200);
    assert_eq!(logs[0]["response_body"], "answered 200");
    assert_eq!(logs[1]["attempt_number"], 1);
    assert_eq!(logs[1]["success"], false);
    assert_eq!(logs[1]["response_status"], 500);
    assert_eq!(logs[1]["response_body"], "answered 500");
    for l in &logs {
        assert_eq!(l["event_id"], event_id);
        assert_eq!(l["event_type"], "PAYMENT_SUCCEEDED");
        assert_eq!(l["webhook_id"], w["id"]);
        assert_eq!(l["payload"], event);
        assert_eq!(l["user_agent"], "Lomi-Webhook/1.0");
        assert!(l["request_duration_ms"].as_i64().unwrap() >= 0);
    }
    // The same lines at the generated SDK's spelling, and one by its id.
    let (_, under) = api
        .call("GET", "/v1/webhook_delivery_logs?limit=10", None)
        .await;
    assert_eq!(under["data"].as_array().unwrap().len(), 2);
    let log_id = logs[1]["log_id"].as_str().unwrap();
    let (status, one) = api
        .call("GET", &format!("/webhook-delivery-logs/{log_id}"), None)
        .await;
    assert_eq!(status, 200);
    assert_eq!(one["attempt_number"], 1);

    // The endpoint remembers how it went.
    let (_, w) = api
        .call(
            "GET",
            &format!("/webhooks/{}", w["id"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(w["last_response_status"], 200);
    assert_eq!(w["retry_count"], 1);
    assert_eq!(w["last_payload"]["id"], event_id);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_failed_payment_sends_payment_failed_only_to_endpoints_that_asked() {
    let failures = endpoint(&[]).await;
    let successes = endpoint(&[]).await;
    let sandbox = spawn(config(100), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let api = Api::of(&sandbox);
    // The generated SDK sends the events as one comma-separated string.
    let w = api.webhook(&failures.url, json!("PAYMENT_FAILED")).await;
    api.webhook(&successes.url, json!("PAYMENT_SUCCEEDED"))
        .await;

    let payment = api.start_payment(5_000).await;
    api.settle(&payment, "fail").await;
    let got = failures.wait_for(1).await;
    let event = got[0].json();
    assert_eq!(event["event"], "PAYMENT_FAILED");
    assert_eq!(got[0].header("x-lomi-event"), "PAYMENT_FAILED");
    assert_eq!(event["data"]["status"], "failed");
    assert!(event["data"]["failure_reason"].is_string(), "{event}");
    assert_signed(&got[0], w["verification_token"].as_str().unwrap());
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert!(
        successes.received().is_empty(),
        "not subscribed to PAYMENT_FAILED"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_restart_between_two_attempts_loses_nothing() {
    let dir = common::temp_dir("webhook-restart");
    let db = dir.join("sandbox.db").to_string_lossy().into_owned();
    let hook = endpoint(&[503]).await;
    // The first retry waits 1.5 s: long enough to stop the sandbox in between.
    let first_run = Config {
        db_path: db.clone(),
        ..config(1_500)
    };
    let sandbox = spawn(first_run.clone(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let api = Api::of(&sandbox);
    api.webhook(&hook.url, json!(["PAYMENT_SUCCEEDED"])).await;
    let payment = api.start_payment(2_500).await;
    api.settle(&payment, "succeed").await;
    let first = hook.wait_for(1).await[0].clone();
    sandbox.shutdown().await;

    // Down while the retry comes due; back up on the same file.
    tokio::time::sleep(Duration::from_millis(1_600)).await;
    assert_eq!(
        hook.received().len(),
        1,
        "nothing is sent while the sandbox is down"
    );
    let sandbox = spawn(first_run, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let second = hook.wait_for(2).await[1].clone();
    assert_eq!(
        second.header("x-lomi-event-id"),
        first.header("x-lomi-event-id")
    );
    assert_eq!(second.header("x-lomi-attempt"), "2");
    assert_eq!(second.body, first.body);
    let api = Api::of(&sandbox);
    let logs = api.wait_for_logs("", 2).await;
    assert_eq!(
        logs.iter()
            .map(|l| l["success"].as_bool().unwrap())
            .collect::<Vec<_>>(),
        [true, false]
    );
    sandbox.shutdown().await;
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn six_failed_attempts_end_the_delivery_and_a_manual_retry_sends_it_again() {
    let hook = endpoint(&[500, 500, 500, 500, 500, 500]).await;
    // 20, 80, 320, 1280, 5120 ms between the six attempts.
    let sandbox = spawn(config(20), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let api = Api::of(&sandbox);
    let w = api.webhook(&hook.url, json!(["PAYMENT_SUCCEEDED"])).await;
    let id = w["id"].as_str().unwrap();

    // A test event, asked for by the merchant.
    let (status, test) = api
        .call("POST", &format!("/webhooks/{id}/test"), None)
        .await;
    assert_eq!(status, 202, "{test}");
    let got = hook.wait_for(6).await;
    let event = got[0].json();
    assert_eq!(event["id"], test["event_id"]);
    assert_eq!(event["data"]["metadata"]["lomi_test_event"], true);
    assert!(got.iter().all(|r| r.body == got[0].body));
    let logs = api.wait_for_logs(&format!("webhook_id={id}"), 6).await;
    assert!(logs.iter().all(|l| l["success"] == false));
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(hook.received().len(), 6, "six attempts, no more");

    // The merchant fixed their endpoint and retries by hand: same event, seventh attempt.
    let (status, retried) = api
        .call(
            "POST",
            &format!(
                "/webhook-delivery-logs/{}/retry",
                logs[0]["id"].as_str().unwrap()
            ),
            None,
        )
        .await;
    assert_eq!(status, 202, "{retried}");
    assert_eq!(retried["status"], "pending");
    let got = hook.wait_for(7).await;
    assert_eq!(
        got[6].header("x-lomi-event-id"),
        event["id"].as_str().unwrap()
    );
    assert_eq!(got[6].header("x-lomi-attempt"), "7");
    let logs = api.wait_for_logs("success=true", 1).await;
    assert_eq!(logs[0]["attempt_number"], 7);

    // A deleted endpoint is owed nothing more.
    let (status, _) = api.call("DELETE", &format!("/webhooks/{id}"), None).await;
    assert_eq!(status, 204);
    let (status, body) = api
        .call(
            "POST",
            &format!(
                "/webhook_delivery_logs/{}/retry",
                logs[0]["id"].as_str().unwrap()
            ),
            None,
        )
        .await;
    assert_eq!(status, 409, "{body}");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn redirects_are_not_followed_and_only_http_urls_are_taken() {
    let hook = endpoint(&[302]).await;
    let sandbox = spawn(config(60_000), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let api = Api::of(&sandbox);
    for url in [
        "ftp://127.0.0.1/hook",
        "javascript:alert(1)",
        "127.0.0.1:9/hook",
        "",
    ] {
        let (status, body) = api
            .call(
                "POST",
                "/webhooks",
                Some(json!({"url": url, "authorized_events": ["PAYMENT_SUCCEEDED"]})),
            )
            .await;
        assert_eq!(status, 400, "{url}: {body}");
        assert!(body["error"]["details"]["url"].is_array(), "{body}");
    }
    let (status, body) = api
        .call(
            "POST",
            "/webhooks",
            Some(json!({"url": hook.url, "authorized_events": ["PAYMENT_SUCEEDED"]})),
        )
        .await;
    assert_eq!(status, 400);
    assert!(body["error"]["details"]["authorized_events"][0]
        .as_str()
        .unwrap()
        .contains("PAYMENT_SUCCEEDED"));

    let w = api.webhook(&hook.url, json!(["PAYMENT_SUCCEEDED"])).await;
    let id = w["id"].as_str().unwrap();
    api.call("POST", &format!("/webhooks/{id}/test"), None)
        .await;
    let logs = api.wait_for_logs("", 1).await;
    assert_eq!(logs[0]["success"], false);
    assert_eq!(logs[0]["response_status"], 302);
    assert!(
        logs[0]["error"].as_str().unwrap().contains("not followed"),
        "{}",
        logs[0]
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_loopback_only_sandbox_sends_nothing_off_the_machine() {
    // `Config::default()` (what tests start) keeps deliveries on loopback, as the command
    // line's `--webhook-hosts loopback` does. Names would be looked up in this table, not in
    // DNS; but none but localhost is looked up at all.
    let resolver = Resolver::fixed(&[("tunnel.test", &["127.0.0.1".parse().unwrap()])]);
    let sandbox = spawn(
        Config {
            webhook_resolver: resolver.clone(),
            ..config(60_000)
        },
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap();
    let api = Api::of(&sandbox);
    // A public address is refused when registered: nothing is sent to check it.
    let (status, body) = api
        .call(
            "POST",
            "/webhooks",
            Some(
                json!({"url": "https://8.8.8.8/hooks", "authorized_events": ["PAYMENT_SUCCEEDED"]}),
            ),
        )
        .await;
    assert_eq!(status, 400, "{body}");
    let why = body["error"]["details"]["url"][0].as_str().unwrap();
    assert!(why.contains("loopback only"), "{why}");
    // A name is taken (a tunnel's, say), and refused at each attempt without a lookup.
    let w = api
        .webhook("https://tunnel.test/hooks", json!(["PAYMENT_SUCCEEDED"]))
        .await;
    api.test_event(&w).await;
    let logs = api.wait_for_logs("", 1).await;
    assert_eq!(logs[0]["success"], false);
    assert!(logs[0]["response_status"].is_null());
    assert_eq!(
        logs[0]["error"],
        "refused: tunnel.test is not looked up, and this sandbox delivers to loopback only (--webhook-hosts loopback)"
    );
    assert_eq!(resolver.lookups(), 0);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn an_attempt_cut_by_a_stop_is_logged_interrupted_and_the_resend_is_the_next_attempt() {
    let dir = common::temp_dir("webhook-interrupted");
    let db = dir.join("sandbox.db").to_string_lossy().into_owned();
    // The first request is taken and never answered: the sandbox stops during the attempt.
    let hook = endpoint(&[HANG]).await;
    let run = Config {
        db_path: db.clone(),
        webhooks: WebhookSettings {
            timeout_ms: 60_000,
            ..config(100).webhooks
        },
        ..config(100)
    };
    let sandbox = spawn(run.clone(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let api = Api::of(&sandbox);
    let w = api.webhook(&hook.url, json!(["PAYMENT_SUCCEEDED"])).await;
    let event_id = api.test_event(&w).await;
    let first = hook.wait_for(1).await[0].clone();
    assert_eq!(first.header("x-lomi-attempt"), "1");
    // An attempt in flight is not in the log yet: it shows once it is over.
    assert!(api.logs("").await.is_empty());
    sandbox.shutdown().await;

    let sandbox = spawn(run, "127.0.0.1:0".parse().unwrap()).await.unwrap();
    let api = Api::of(&sandbox);
    let second = hook.wait_for(2).await[1].clone();
    assert_eq!(second.header("x-lomi-event-id"), event_id);
    assert_eq!(second.header("x-lomi-attempt"), "2");
    assert_eq!(second.body, first.body);
    let logs = api.wait_for_logs("", 2).await;
    assert_eq!(logs[1]["attempt_number"], 1);
    assert_eq!(logs[1]["success"], false);
    assert_eq!(logs[1]["error"], "interrupted");
    assert!(logs[1]["response_status"].is_null());
    assert_eq!(logs[1]["headers"]["X-Lomi-Attempt"], "1");
    assert_eq!(logs[0]["attempt_number"], 2);
    assert_eq!(logs[0]["success"], true);
    let (_, w) = api
        .call(
            "GET",
            &format!("/webhooks/{}", w["id"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(w["retry_count"], 1);
    sandbox.shutdown().await;
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn endpoints_are_managed_at_every_spelling_and_lists_keep_secrets_out() {
    let sandbox = spawn(config(60_000), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let api = Api::of(&sandbox);
    let (status, w) = api
        .call(
            "POST",
            "/v1/webhooks",
            Some(json!({"url": "http://localhost:4242/hooks", "authorized_events": "PAYMENT_SUCCEEDED, PAYMENT_FAILED",
                        "metadata": {"shop": "awa"}, "is_active": true})),
        )
        .await;
    assert_eq!(status, 201, "{w}");
    let id = w["webhook_id"].as_str().unwrap().to_string();
    assert_eq!(w["events"], json!(["PAYMENT_SUCCEEDED", "PAYMENT_FAILED"]));
    assert_eq!(w["metadata"]["shop"], "awa");
    assert_eq!(w["environment"], "test");

    let (_, list) = api.call("GET", "/webhooks", None).await;
    assert_eq!(list["pagination"]["total"], 1);
    assert!(list["data"][0]["verification_token"].is_null());
    let (_, got) = api.call("GET", &format!("/v1/webhooks/{id}"), None).await;
    assert_eq!(got["verification_token"], w["verification_token"]);

    let (status, updated) = api
        .call(
            "PATCH",
            &format!("/webhooks/{id}"),
            Some(json!({"is_active": false, "authorized_events": ["PAYMENT_FAILED"], "metadata": null})),
        )
        .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(updated["is_active"], false);
    assert_eq!(updated["authorized_events"], "PAYMENT_FAILED");
    assert!(updated["metadata"].is_null());
    assert_eq!(updated["verification_token"], w["verification_token"]);

    let (status, _) = api
        .call("DELETE", &format!("/v1/webhooks/{id}"), None)
        .await;
    assert_eq!(status, 204);
    let (status, body) = api.call("GET", &format!("/webhooks/{id}"), None).await;
    assert_eq!(status, 404, "{body}");
    let (status, _) = api.call("GET", "/webhook_delivery_logs", None).await;
    assert_eq!(status, 200);
    sandbox.shutdown().await;
}
