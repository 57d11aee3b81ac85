//! Merchants' URLs (product images, redirect URLs, webhook endpoints): a host that a
//! Content-Security-Policy would read as syntax is refused with 400 naming the field, what is
//! taken is stored as the URL parser writes it, a bad URL already in the database never
//! reaches a page's policy, and the OpenAPI document's pattern states the server's rule.

mod common;

use axum::http::StatusCode;
use checkout_core::validate::web_url;
use common::{app, app_with, config, temp_dir, Reply, TestApp};
use lomi_sandbox::Config;
use serde_json::{json, Value};

/// Hosts the WHATWG parser takes and a policy would read as syntax: a new directive
/// (`;sandbox`, `;report-uri`), a second policy (`,script-src`), every host (`*`).
const ATTACKS: [&str; 4] = [
    "https://img.example;sandbox/x.png",
    "https://img.example,script-src/x.png",
    "https://*/x.png",
    "https://a.example;report-uri%20x/",
];

fn assert_refused(r: &Reply, field: &str, url: &str) {
    assert_eq!(
        r.status,
        StatusCode::BAD_REQUEST,
        "{field}={url}: {}",
        r.text()
    );
    let (code, details) = r.error();
    assert_eq!(code, "INVALID_REQUEST", "{field}={url}");
    let messages = details[field]
        .as_array()
        .unwrap_or_else(|| panic!("{field}={url}: the refusal names another field: {details}"));
    assert!(
        messages
            .iter()
            .any(|m| m.as_str().is_some_and(|m| m.starts_with("URL "))),
        "{field}={url}: {details}"
    );
}

#[tokio::test]
async fn hosts_a_policy_would_read_as_syntax_are_refused_where_they_are_given() {
    let app = app();
    let (product, _) = app.product("Pagne", 5_000).await;
    let link = app.instant_link(5_000).await;
    let webhook = app
        .post(
            "/webhooks",
            json!({"url": "http://127.0.0.1:9/hook", "authorized_events": ["PAYMENT_SUCCEEDED"]}),
        )
        .await;
    assert_eq!(webhook.status, StatusCode::CREATED, "{}", webhook.text());
    let webhook = webhook.json["id"].as_str().expect("id").to_string();
    for url in ATTACKS {
        let r = app
            .post(
                "/products",
                json!({"name": "Pagne", "image_url": url,
                       "prices": [{"amount": 5000, "currency_code": "XOF"}]}),
            )
            .await;
        assert_refused(&r, "image_url", url);
        for field in ["success_url", "cancel_url"] {
            let r = app
                .post(
                    "/payment-links",
                    json!({"link_type": "instant", "title": "T", "currency_code": "XOF",
                           "amount": 1000, field: url}),
                )
                .await;
            assert_refused(&r, field, url);
            let r = app
                .api(
                    "PATCH",
                    &format!("/payment-links/{link}"),
                    Some(json!({field: url})),
                )
                .await;
            assert_refused(&r, field, url);
            let r = app
                .post(
                    "/checkout-sessions",
                    json!({"product_id": product, "currency_code": "XOF", field: url}),
                )
                .await;
            assert_refused(&r, field, url);
        }
        let r = app
            .post(
                "/webhooks",
                json!({"url": url, "authorized_events": ["PAYMENT_SUCCEEDED"]}),
            )
            .await;
        assert_refused(&r, "url", url);
        let r = app
            .api(
                "PATCH",
                &format!("/webhooks/{webhook}"),
                Some(json!({"url": url})),
            )
            .await;
        assert_refused(&r, "url", url);
    }
    // Nothing was stored: the link kept no redirect.
    let r = app.get(&format!("/payment-links/{link}")).await;
    assert_eq!(r.json["success_url"], Value::Null, "{}", r.text());
}

#[tokio::test]
async fn a_url_is_stored_as_the_parser_writes_it() {
    let app = app();
    let r = app
        .post(
            "/products",
            json!({"name": "Pagne", "image_url": "HTTPS://CDN.Example.CI:443/p/pagne.png",
                   "prices": [{"amount": 5000, "currency_code": "XOF"}]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json["image_url"], "https://cdn.example.ci/p/pagne.png");
    let r = app
        .post(
            "/payment-links",
            json!({"link_type": "instant", "title": "T", "currency_code": "XOF", "amount": 1000,
                   "success_url": "https://Boutique-Abidjan.example/merci?cs={CHECKOUT_SESSION_ID}",
                   "cancel_url": "https://café.example"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(
        r.json["success_url"],
        "https://boutique-abidjan.example/merci?cs={CHECKOUT_SESSION_ID}"
    );
    assert_eq!(r.json["cancel_url"], "https://xn--caf-dma.example/");
}

/// trunk's index.html in miniature, so the page routes answer.
fn with_dist(db_path: &str) -> TestApp {
    let dir = temp_dir("merchant-urls-dist");
    std::fs::write(
        dir.join("index.html"),
        "<!DOCTYPE html><html><head><title>t</title></head><body></body></html>",
    )
    .unwrap();
    app_with(Config {
        dist_dir: dir,
        db_path: db_path.to_string(),
        ..config()
    })
}

fn img_src(r: &Reply) -> String {
    let policy = r
        .header("content-security-policy")
        .unwrap_or_else(|| panic!("no policy: {:?}", r.headers));
    policy
        .split("; ")
        .find(|d| d.starts_with("img-src "))
        .unwrap_or_else(|| panic!("no img-src: {policy}"))
        .to_string()
}

#[tokio::test]
async fn a_bad_url_already_in_the_database_never_reaches_the_policy() {
    let dir = temp_dir("merchant-urls-db");
    let db_path = dir.join("sandbox.db").to_string_lossy().into_owned();
    let before = with_dist(&db_path);
    let (product, _) = before.product("Pagne", 5_000).await;
    let r = before
        .post(
            "/payment-links",
            json!({"link_type": "product", "title": "Pagne", "currency_code": "XOF",
                   "product_id": product}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let link = r.json["id"].as_str().expect("id").to_string();
    let session = before.session(5_000, json!({})).await;
    drop(before);
    // A database written before hosts were checked: the logo and the image hold attacks.
    let sql = rusqlite::Connection::open(&db_path).expect("the sandbox's database");
    sql.execute("UPDATE merchants SET logo_url = ?1", ["https://*/logo.png"])
        .expect("logo");
    let app = with_dist(&db_path);
    for url in ATTACKS {
        sql.execute("UPDATE products SET image_url = ?1", [url])
            .expect("image");
        for path in [format!("/product/{link}"), format!("/checkout/{session}")] {
            let r = app.public("GET", &path, None).await;
            assert_eq!(r.status, StatusCode::OK, "{path}");
            assert_eq!(img_src(&r), "img-src 'self'", "{path} with {url}");
            let policy = r.header("content-security-policy").unwrap();
            for word in [
                "sandbox;",
                "script-src,",
                "*",
                "report-uri x",
                "img.example",
            ] {
                assert!(!policy.contains(word), "{word} in {policy}");
            }
            // The page shows no image its policy would block.
            assert!(!r.text().contains("img.example"), "{path} with {url}");
        }
    }
    // A good image, written the same way, is allowed by its origin only.
    sql.execute(
        "UPDATE products SET image_url = ?1",
        ["https://cdn.example.ci/p/pagne.png"],
    )
    .expect("image");
    let r = app.public("GET", &format!("/product/{link}"), None).await;
    assert_eq!(img_src(&r), "img-src 'self' https://cdn.example.ci");
    let _ = std::fs::remove_dir_all(dir);
}

/// Every merchant URL field's pattern in the OpenAPI document.
fn url_patterns(value: &Value, field: Option<&str>, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let (Some(Value::String(p)), Some(_)) = (map.get("pattern"), field) {
                out.push(p.clone());
            }
            for (key, child) in map {
                let inside = match key.as_str() {
                    "image_url" | "success_url" | "cancel_url" | "url" => Some(key.as_str()),
                    _ => field,
                };
                url_patterns(child, inside, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| url_patterns(i, field, out)),
        _ => {}
    }
}

#[tokio::test]
async fn the_documents_pattern_is_the_servers_rule() {
    let app = app();
    let doc = app.public("GET", "/openapi.json", None).await.json;
    let mut patterns = Vec::new();
    url_patterns(&doc["components"]["schemas"], None, &mut patterns);
    assert!(patterns.len() >= 9, "{patterns:?}");
    patterns.dedup();
    assert_eq!(patterns.len(), 1, "the URL fields disagree: {patterns:?}");
    let pattern = regex::Regex::new(&patterns[0]).expect("a pattern the regex crate reads");
    // Every combination of these pieces: matched by the pattern exactly when the server
    // takes it.
    let hosts = [
        "a.example",
        "A-1.Example",
        "localhost",
        "1a.example",
        "a_b.example",
        "-a.example",
        "a-.example",
        "a..example",
        "a.example.",
        ".a.example",
        "a.1",
        "a.1b",
        "a.0x1",
        "1.2.3.4",
        "255.255.255.255",
        "256.1.1.1",
        "01.2.3.4",
        "1.2.3",
        "café.example",
        "a.café",
        "é",
        "xn--caf-dma.example",
        "*",
        "*.example",
        "img.example;sandbox",
        "a,script-src",
        "a%41.example",
        "a'b.example",
        "[::1]",
        "[2001:db8::1]",
        "[::1]x",
        "[]",
        "[g::]",
        "",
        &"a".repeat(63),
        &"a".repeat(64),
    ];
    let mut checked = 0;
    for scheme in ["http://", "HTTPS://", "ftp://", "https:/"] {
        for userinfo in ["", "u:p@", "a@b@"] {
            for host in hosts {
                for port in ["", ":", ":80", ":065535", ":65536", ":8o", ":1:2"] {
                    for tail in ["", "/", "/p/{x}?q=1#f", "?x", "#y", "/a b"] {
                        let url = format!("{scheme}{userinfo}{host}{port}{tail}");
                        assert_eq!(
                            pattern.is_match(&url),
                            web_url(&url).is_ok(),
                            "{url}: {:?}",
                            web_url(&url)
                        );
                        checked += 1;
                    }
                }
            }
        }
    }
    assert!(checked > 10_000);
}
