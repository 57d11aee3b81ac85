//! Every HTML page the sandbox draws itself escapes what it shows. The merchant's name is
//! the merchant-controlled text these pages show (the home page, Wave's page, the card form,
//! 3-D Secure and "payment already answered"). The API has no way to set it, so the test
//! renames the merchant in the database between two starts of the sandbox.

mod common;

use axum::http::StatusCode;
use common::{app_with, config, pay_body, temp_dir, TestApp};
use lomi_sandbox::Config;
use serde_json::Value;

const NAME: &str = r#"<script>alert(1)</script> "Awa" & Fils"#;
const ESCAPED: &str = "&lt;script&gt;alert(1)&lt;/script&gt; &quot;Awa&quot; &amp; Fils";

/// A sandbox with the demo data whose merchant is called [`NAME`].
fn app() -> (TestApp, std::path::PathBuf) {
    let dir = temp_dir("escaping");
    let config = Config {
        db_path: dir.join("sandbox.db").to_string_lossy().into_owned(),
        seed_demo: true,
        ..config()
    };
    // The first start creates the merchant; its name is then changed underneath.
    drop(app_with(config.clone()));
    rusqlite::Connection::open(&config.db_path)
        .and_then(|db| db.execute("UPDATE merchants SET name = ?1", [NAME]))
        .expect("renaming the merchant");
    let app = app_with(config);
    assert_eq!(app.state.merchant().name, NAME);
    lomi_sandbox::domain::demo::seed(&app.state).expect("demo data");
    (app, dir)
}

fn assert_escaped(what: &str, reply: &common::Reply) {
    let html = reply.text();
    assert!(
        reply
            .header("content-type")
            .is_some_and(|t| t.starts_with("text/html")),
        "{what}: {html}"
    );
    assert!(
        html.contains(ESCAPED),
        "{what} shows the name escaped: {html}"
    );
    // The pages have no script at all, and the name's quotes never close an attribute.
    assert!(!html.contains("<script"), "{what}: {html}");
    assert!(!html.contains(r#""Awa""#), "{what}: {html}");
    assert!(!html.contains("& Fils"), "{what}: {html}");
}

async fn start(app: &TestApp, provider: &str, phone: &str) -> String {
    let link = app.link(5_000, &[]).await;
    let r = app
        .pay("links", &link, "attempt-1", pay_body(Some(provider), phone))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let p: Value = r.json;
    p["id"].as_str().expect("payment id").to_string()
}

#[tokio::test]
async fn every_sandbox_page_escapes_the_merchants_text() {
    let (app, dir) = app();

    let home = app.public("GET", "/", None).await;
    assert_eq!(home.status, StatusCode::OK);
    assert_escaped("the home page", &home);

    // Wave: the approval page, then "already answered" once approved.
    let wave = start(&app, "WAVE", "07 00 00 00 11").await;
    let page = app
        .public("GET", &format!("/sandbox/wave/{wave}"), None)
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert_escaped("Wave's page", &page);
    assert!(page.text().contains(&format!(
        r#"<dd data-testid="wave-merchant">{ESCAPED}</dd>"#
    )));
    let r = app.form(&format!("/sandbox/wave/{wave}/approve"), "").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = app
        .public("GET", &format!("/sandbox/wave/{wave}"), None)
        .await;
    assert!(page.text().contains("Payment already answered"));
    assert_escaped("Wave's page once answered", &page);

    // The card form, again with the last attempt's problem, then 3-D Secure, then answered.
    let card = start(&app, "STRIPE", "").await;
    let page = app
        .public("GET", &format!("/sandbox/card/{card}"), None)
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert_escaped("the card form", &page);
    let form = |number: &str| format!("number={}&expiry=12%2F34&cvc=123", number.replace(' ', "+"));
    let r = app
        .form(
            &format!("/sandbox/card/{card}"),
            &form("4111 1111 1111 1111"),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text().contains(r#"data-testid="card-error""#));
    assert_escaped("the card form with its error", &r);
    let r = app
        .form(
            &format!("/sandbox/card/{card}"),
            &form("4000 0000 0000 3220"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = app
        .public("GET", &format!("/sandbox/card/{card}/3ds"), None)
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("Complete authentication"));
    assert_escaped("3-D Secure", &page);
    let r = app
        .form(&format!("/sandbox/card/{card}/3ds/complete"), "")
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    for path in [
        format!("/sandbox/card/{card}"),
        format!("/sandbox/card/{card}/3ds"),
    ] {
        let page = app.public("GET", &path, None).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(page.text().contains("Payment already answered"), "{path}");
        assert_escaped(&path, &page);
    }

    let _ = std::fs::remove_dir_all(dir);
}
