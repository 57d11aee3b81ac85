//! The first paint: each page route answers HTML that already shows the order, rendered by
//! the page's own components, in the visitor's language, with the right status, and with the
//! public checkout inlined (safely) for the app to start from.

mod common;

use axum::http::StatusCode;
use common::{app_with, config, temp_dir, TestApp};
use lomi_sandbox::Config;
use serde_json::{json, Value};
use std::path::PathBuf;

const INDEX: &str = "<!DOCTYPE html>\n<html lang=\"fr\">\n<head><meta charset=\"utf-8\">\
<title>lomi. checkout</title><link rel=\"stylesheet\" href=\"/main-175fade59359eda9.css\">\
</head>\n<body><noscript><p>Activez JavaScript pour payer.</p></noscript></body>\n</html>\n";

fn app() -> (TestApp, PathBuf) {
    let dir = temp_dir("first-paint");
    std::fs::write(dir.join("index.html"), INDEX).unwrap();
    let app = app_with(Config {
        dist_dir: dir.clone(),
        ..config()
    });
    (app, dir)
}

async fn page(app: &TestApp, path: &str, accept_language: Option<&str>) -> (StatusCode, String) {
    let headers: Vec<(&str, &str)> = accept_language
        .map(|l| vec![("Accept-Language", l)])
        .unwrap_or_default();
    let r = app.send("GET", path, &headers, None).await;
    assert_eq!(
        r.header("content-type"),
        Some("text/html; charset=utf-8"),
        "{path}"
    );
    (r.status, r.text())
}

/// The text of the element carrying `data-testid="{testid}"`, tags stripped.
fn testid_text(html: &str, testid: &str) -> Option<String> {
    let marker = format!("data-testid=\"{testid}\"");
    let at = html.find(&marker)?;
    let open_end = at + html[at..].find('>')? + 1;
    let tag_start = html[..at].rfind('<')?;
    let tag: String = html[tag_start + 1..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    let close = open_end + html[open_end..].find(&format!("</{tag}>"))?;
    let mut text = String::new();
    let mut in_tag = false;
    for c in html[open_end..close].chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    Some(text)
}

/// The JSON the page inlines for the app.
fn inlined(html: &str) -> Value {
    let open = "<script type=\"application/json\" id=\"lomi-checkout-data\">";
    let start = html.find(open).expect("inlined data") + open.len();
    let end = start + html[start..].find("</script>").expect("closed");
    serde_json::from_str(&html[start..end]).expect("valid JSON")
}

#[tokio::test]
async fn a_link_page_shows_its_order_in_the_visitors_language() {
    let (app, dir) = app();
    let r = app
        .post(
            "/payment-links",
            json!({"link_type": "instant", "title": "Consultation", "amount": 15000,
                   "currency_code": "XOF", "description": "Une heure"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let id = r.json["id"].as_str().unwrap().to_string();

    let (status, html) = page(&app, &format!("/instant/{id}"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<html lang=\"fr\">"), "{html}");
    assert!(html.contains("<title>Consultation · "), "{html}");
    assert_eq!(
        testid_text(&html, "checkout-title").as_deref(),
        Some("Consultation")
    );
    assert_eq!(
        testid_text(&html, "checkout-description").as_deref(),
        Some("Une heure")
    );
    // Intl's French: narrow no-break spaces between thousands, a no-break space before F CFA.
    assert_eq!(
        testid_text(&html, "summary-total").as_deref(),
        Some("15\u{202f}000\u{a0}F\u{202f}CFA")
    );
    assert!(html.contains(">Total<"), "{html}");
    // The form's layout is there, its controls waiting for the app.
    assert!(html.contains("<fieldset disabled"), "{html}");
    assert!(html.contains("data-testid=\"pay-button\""), "{html}");
    // trunk's own body (the no-script note) follows.
    assert!(html.contains("<noscript>"), "{html}");
    assert_eq!(inlined(&html)["id"], json!(id));
    assert_eq!(inlined(&html)["quote"]["total"], json!(15000));

    for (path, header) in [
        (format!("/instant/{id}"), Some("en-GB,en;q=0.9,fr;q=0.8")),
        (format!("/instant/{id}?lang=en"), Some("fr-CI")),
        (format!("/instant/{id}?lang=en"), None),
    ] {
        let (status, html) = page(&app, &path, header).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("<html lang=\"en\">"), "{path}");
        assert_eq!(
            testid_text(&html, "summary-total").as_deref(),
            Some("XOF\u{a0}15,000"),
            "{path}"
        );
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn a_prefilled_session_shows_what_the_merchant_knows() {
    let (app, dir) = app();
    let session = app
        .session(
            12_500,
            json!({"customer_email": "awa@example.ci", "customer_name": "Awa \"Diallo\""}),
        )
        .await;
    let (status, html) = page(&app, &format!("/checkout/{session}"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("value=\"awa@example.ci\""), "{html}");
    assert!(html.contains("value=\"Awa &quot;Diallo&quot;\""), "{html}");
    assert_eq!(
        testid_text(&html, "summary-total").as_deref(),
        Some("12\u{202f}500\u{a0}F\u{202f}CFA")
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn merchant_text_never_closes_the_inlined_json() {
    let (app, dir) = app();
    let title = "</script><script>alert(1)</script><!--";
    let r = app
        .post(
            "/payment-links",
            json!({"link_type": "instant", "title": title, "amount": 15.99,
                   "currency_code": "USD"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let id = r.json["id"].as_str().unwrap();
    let (status, html) = page(&app, &format!("/instant/{id}?lang=en"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!html.contains("<script>alert(1)"), "{html}");
    assert!(!html.contains("<!--\""), "{html}");
    assert_eq!(inlined(&html)["title"], json!(title));
    assert_eq!(
        testid_text(&html, "checkout-title").as_deref(),
        Some("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;!--")
    );
    assert_eq!(
        testid_text(&html, "summary-total").as_deref(),
        Some("$15.99")
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn what_cannot_be_paid_renders_its_final_screen_with_its_status() {
    let (app, dir) = app();
    let (status, html) = page(&app, "/instant/no-such-link", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("data-testid=\"state-not-found\""), "{html}");
    assert_eq!(inlined(&html), Value::Null);
    let (status, html) = page(&app, "/nowhere/at-all", Some("en")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("data-testid=\"state-not-found\""), "{html}");
    assert!(!html.contains("lomi-checkout-data"), "{html}");

    // A link past its expiry.
    let r = app
        .post(
            "/payment-links",
            json!({"link_type": "instant", "title": "Soon over", "amount": 1000,
                   "currency_code": "XOF", "expires_at": "2030-01-01T00:00:00Z"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let link = r.json["id"].as_str().unwrap().to_string();
    // A session, which lives an hour.
    let session = app.session(2000, json!({})).await;
    app.advance(10 * 365 * 24 * 3600);
    for path in [format!("/instant/{link}"), format!("/checkout/{session}")] {
        let (status, html) = page(&app, &path, None).await;
        assert_eq!(status, StatusCode::GONE, "{path}");
        assert!(
            html.contains("data-testid=\"state-expired\""),
            "{path}: {html}"
        );
        assert_eq!(inlined(&html)["status"], json!("expired"), "{path}");
        assert!(!html.contains("data-testid=\"pay-button\""), "{path}");
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn a_merchants_colour_is_the_pages_accent_with_readable_text() {
    for (colour, ink) in [("#C2410C", "#ffffff"), ("#fde047", "#000000")] {
        let dir = temp_dir("brand");
        std::fs::write(dir.join("index.html"), INDEX).unwrap();
        let app = app_with(Config {
            dist_dir: dir.clone(),
            brand_color: checkout_core::brand::normalize(colour),
            ..config()
        });
        let link = app.instant_link(5000).await;
        let r = app
            .send("GET", &format!("/instant/{link}"), &[], None)
            .await;
        assert_eq!(r.status, StatusCode::OK);
        let css = format!(
            ":root{{--accent:{};--accent-ink:{ink}}}",
            colour.to_ascii_lowercase()
        );
        let html = r.text();
        // After the stylesheet, so it wins; allowed by its hash, never by 'unsafe-inline'.
        assert!(
            html.find(&format!("<style>{css}</style>")) > html.find("main-175fade59359eda9.css"),
            "{html}"
        );
        let csp = r.header("content-security-policy").unwrap().to_string();
        let hash = lomi_sandbox::http::security::hash_source(&css);
        assert!(
            csp.contains(&hash) && !csp.contains("unsafe-inline"),
            "{csp}"
        );
        let _ = std::fs::remove_dir_all(dir);
    }
    // Without a colour, lomi.'s own, and no style element.
    let (app, dir) = app();
    let link = app.instant_link(5000).await;
    let r = app
        .send("GET", &format!("/instant/{link}"), &[], None)
        .await;
    assert!(!r.text().contains("--accent"));
    let _ = std::fs::remove_dir_all(dir);
}
