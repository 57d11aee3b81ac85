//! Idempotent creates survive a crash: the sandbox, a real process on a database file, is
//! killed (`kill -9`) at random points of a stream of keyed creates, restarted on the same
//! file, and every (key, body) is sent again. Each key must have made exactly one object,
//! and every answer a client saw before the crash must be the one it gets again.

mod common;

use common::temp_dir;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const KEY: &str = "lomi_sk_test_0123456789abcdef0123456789abcdef";
const TRIALS: u64 = 12;
const CREATES: usize = 60;

/// The sandbox binary on `db`, on a free loopback port; returns the child and its URL.
fn start(db: &Path) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lomi-sandbox"))
        .args([
            "--db",
            db.to_str().unwrap(),
            "--port",
            "0",
            "--dist",
            "/nonexistent-dist",
        ])
        .env("LOMI_SANDBOX_API_KEY", KEY)
        .env("RUST_LOG", "error")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the sandbox starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let url = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|line| {
            line.trim()
                .strip_prefix("URL:")
                .map(|u| u.trim().to_string())
        })
        .expect("the sandbox prints its URL");
    // Keep reading so the child never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    (child, url)
}

fn body(i: usize) -> Value {
    json!({"link_type": "instant", "title": format!("Crash {i}"), "currency_code": "XOF",
           "amount": 1000 + i})
}

/// POSTs create `i` under its key; the created id, or None when the server was gone.
async fn create(client: &reqwest::Client, url: &str, trial: u64, i: usize) -> Option<String> {
    let reply = client
        .post(format!("{url}/payment-links"))
        .header("X-API-KEY", KEY)
        .header("Idempotency-Key", format!("crash-{trial}-{i}"))
        .json(&body(i))
        .send()
        .await
        .ok()?;
    if reply.status() != 201 {
        return None;
    }
    let json: Value = reply.json().await.ok()?;
    json["id"].as_str().map(str::to_string)
}

/// A small deterministic generator, seeded per run and printed, so a failure replays.
fn next(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crash_between_create_and_answer_never_makes_two_objects_for_one_key() {
    let mut seed = std::env::var("CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            let mut bytes = [0u8; 8];
            getrandom::fill(&mut bytes).unwrap();
            u64::from_le_bytes(bytes) | 1
        });
    println!("CRASH_SEED={seed}");
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let mut answered_before_crash = 0;
    for trial in 0..TRIALS {
        let dir = temp_dir(&format!("crash-{trial}"));
        let db = dir.join("sandbox.db");
        let (mut child, url) = start(&db);

        // Four clients stream the creates; the server dies somewhere in the stream.
        let kill_after = Duration::from_micros(next(&mut seed) % 150_000);
        let mut streams = Vec::new();
        for lane in 0..4 {
            let (client, url) = (client.clone(), url.clone());
            streams.push(tokio::spawn(async move {
                let mut seen = HashMap::new();
                for i in (lane..CREATES).step_by(4) {
                    match create(&client, &url, trial, i).await {
                        Some(id) => seen.insert(i, id),
                        None => break,
                    };
                }
                seen
            }));
        }
        tokio::time::sleep(kill_after).await;
        child.kill().expect("kill -9");
        child.wait().unwrap();
        let mut first = HashMap::new();
        for stream in streams {
            first.extend(stream.await.unwrap());
        }
        answered_before_crash += first.len();

        let (mut child, url) = start(&db);
        for i in 0..CREATES {
            let id = create(&client, &url, trial, i)
                .await
                .unwrap_or_else(|| panic!("trial {trial}: create {i} answers after the restart"));
            if let Some(seen) = first.get(&i) {
                assert_eq!(&id, seen, "trial {trial}: key {i} answered another object");
            }
        }
        let list: Value = client
            .get(format!("{url}/payment-links?limit=100"))
            .header("X-API-KEY", KEY)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let mut per_title: HashMap<String, usize> = HashMap::new();
        for link in list["data"].as_array().unwrap() {
            *per_title
                .entry(link["title"].as_str().unwrap().to_string())
                .or_default() += 1;
        }
        for i in 0..CREATES {
            assert_eq!(
                per_title.get(&format!("Crash {i}")).copied(),
                Some(1),
                "trial {trial} (CRASH_SEED above): key {i} made {:?} links",
                per_title.get(&format!("Crash {i}"))
            );
        }
        assert_eq!(list["pagination"]["total"], json!(CREATES));
        child.kill().unwrap();
        child.wait().unwrap();
        let _ = std::fs::remove_dir_all(&dir);
    }
    println!("{answered_before_crash} creates answered before the crashes");
}

/// A keyed create as a merchant's server retries it.
async fn keyed(app: &common::TestApp, path: &str, key: &str, body: &Value) -> common::Reply {
    let text = body.to_string();
    app.send(
        "POST",
        path,
        &[
            ("x-api-key", app.key.as_str()),
            ("content-type", "application/json"),
            ("idempotency-key", key),
        ],
        Some(&text),
    )
    .await
}

/// The state a crash leaves between the create's commit and the answer's: the key names
/// its object, the answer is not kept.
fn forget_answers(db: &Path) {
    let conn = rusqlite::Connection::open(db).unwrap();
    let cut = conn
        .execute("UPDATE idempotency_keys SET status = 0, body = ''", [])
        .unwrap();
    assert!(cut > 0, "the create recorded its key");
}

#[tokio::test]
async fn a_key_whose_answer_was_lost_answers_its_object_again() {
    let dir = temp_dir("crash-recover");
    let db = dir.join("sandbox.db");
    let app = common::app_with(lomi_sandbox::Config {
        db_path: db.to_str().unwrap().to_string(),
        ..common::config()
    });
    let (product, _) = app.product("Pagne wax", 12_000).await;
    let creates = [
        ("/payment-links", body(1)),
        (
            "/v1/checkout_sessions",
            json!({"amount": 2500, "currency_code": "XOF"}),
        ),
        (
            "/products",
            json!({"name": "Bissap", "prices": [{"amount": 500, "currency_code": "XOF"}]}),
        ),
        (
            "/prices",
            json!({"product_id": product, "amount": 900, "currency_code": "XOF"}),
        ),
        (
            "/discount-coupons",
            json!({"code": "CRASH10", "discount_type": "percentage", "discount_percentage": 10}),
        ),
        (
            "/webhooks",
            json!({"url": "http://127.0.0.1:9/hook", "authorized_events": ["PAYMENT_SUCCEEDED"]}),
        ),
    ];
    let mut made = Vec::new();
    for (i, (path, body)) in creates.iter().enumerate() {
        let first = keyed(&app, path, &format!("lost-{i}"), body).await;
        assert_eq!(first.status, 201, "{path}: {}", first.text());
        made.push(first);
    }
    forget_answers(&db);
    for (i, (path, body)) in creates.iter().enumerate() {
        let again = keyed(&app, path, &format!("lost-{i}"), body).await;
        assert_eq!(again.status, 201, "{path}: {}", again.text());
        assert_eq!(again.header("idempotent-replayed"), Some("true"), "{path}");
        assert_eq!(again.json["id"], made[i].json["id"], "{path}");
        if *path == "/webhooks" {
            assert_eq!(
                again.json["verification_token"], made[i].json["verification_token"],
                "the endpoint's secret comes back with it"
            );
        }
        // Another body under the key is still refused, naming the object.
        let other = keyed(&app, path, &format!("lost-{i}"), &json!({"title": "other"})).await;
        assert_eq!(other.status, 409, "{path}: {}", other.text());
        assert_eq!(other.error().1["object_id"][0], made[i].json["id"]);
    }
    let links = app.get("/payment-links").await;
    assert_eq!(links.json["pagination"]["total"], json!(1));
    let products = app.get("/products").await;
    assert_eq!(products.json["pagination"]["total"], json!(2));
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_lost_answer_whose_object_was_deleted_is_a_conflict_naming_it() {
    let dir = temp_dir("crash-deleted");
    let db = dir.join("sandbox.db");
    let app = common::app_with(lomi_sandbox::Config {
        db_path: db.to_str().unwrap().to_string(),
        ..common::config()
    });
    let first = keyed(&app, "/payment-links", "gone", &body(7)).await;
    assert_eq!(first.status, 201);
    let id = first.json["id"].as_str().unwrap().to_string();
    forget_answers(&db);
    let deleted = app
        .api("DELETE", &format!("/payment-links/{id}"), None)
        .await;
    assert_eq!(deleted.status, 204, "{}", deleted.text());
    let again = keyed(&app, "/payment-links", "gone", &body(7)).await;
    assert_eq!(again.status, 409, "{}", again.text());
    assert_eq!(again.error().1["object_id"][0], json!(id));
    let links = app.get("/payment-links").await;
    assert_eq!(
        links.json["pagination"]["total"],
        json!(0),
        "no second link"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
