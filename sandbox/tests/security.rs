//! The security headers: each kind of page's Content-Security-Policy, word for word, the
//! headers every response carries, HSTS only for a public https sandbox, and the endpoint
//! browsers report violations to.

mod common;

use axum::http::StatusCode;
use common::{app, app_with, config, demo_app, pay_body, temp_dir, Reply, TestApp, BASE};
use lomi_sandbox::http::security::hash_source;
use lomi_sandbox::Config;
use serde_json::json;

/// trunk's index.html in miniature: its inline module loader (whose hash is known:
/// `echo -n 'alert(1)' | openssl dgst -sha256 -binary | base64`), its files, and a data block
/// that needs no hash.
const INDEX: &str = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>t</title>\
<link rel=\"stylesheet\" href=\"/main-175fade59359eda9.css\">\
<script type=\"module\">alert(1)</script>\
<link rel=\"modulepreload\" href=\"/lomi-checkout-0123456789abcdef.js\">\
<script type=\"application/json\" id=\"lomi-checkout-data\">{}</script>\
</head><body></body></html>";
const LOADER_HASH: &str = "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='";

const REPORTS: &str = "/sandbox/csp-reports";

fn built(api_base: Option<&str>) -> TestApp {
    let dir = temp_dir("security-dist");
    std::fs::write(dir.join("index.html"), INDEX).unwrap();
    std::fs::write(dir.join("favicon.svg"), "<svg/>").unwrap();
    app_with(Config {
        dist_dir: dir,
        api_base: api_base.map(str::to_string),
        ..config()
    })
}

fn csp(r: &Reply) -> String {
    r.header("content-security-policy")
        .unwrap_or_else(|| panic!("no Content-Security-Policy: {:?}", r.headers))
        .to_string()
}

/// What every response carries, whatever it is.
fn assert_fixed_headers(r: &Reply, referrer: &str) {
    assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(r.header("referrer-policy"), Some(referrer));
    let permissions = r.header("permissions-policy").expect("Permissions-Policy");
    for denied in [
        "camera=()",
        "microphone=()",
        "geolocation=()",
        "payment=()",
        "usb=()",
    ] {
        assert!(permissions.contains(denied), "{permissions}");
    }
    assert!(permissions.contains("clipboard-write=(self)"));
    assert_eq!(r.header("strict-transport-security"), None, "plain http");
    let policy = csp(r);
    assert!(policy.starts_with("default-src 'none'; "), "{policy}");
    for directive in policy.split(';') {
        let mut words = directive.split_whitespace();
        let name = words.next().unwrap_or_default();
        for source in words {
            assert!(
                !matches!(
                    source,
                    "'unsafe-inline'" | "'unsafe-eval'" | "'unsafe-hashes'"
                ),
                "{name} allows {source}: {policy}"
            );
            if name.starts_with("script-src") || name == "default-src" {
                assert!(
                    !matches!(source, "*" | "data:" | "blob:" | "https:" | "http:"),
                    "{name} allows {source}: {policy}"
                );
            }
        }
    }
}

/// The one `<style>` element's hash, as the browser computes it.
fn style_hash(html: &str) -> String {
    let start = html.find("<style>").expect("a style element") + "<style>".len();
    let end = html.find("</style>").expect("its end");
    hash_source(&html[start..end])
}

#[tokio::test]
async fn checkout_pages_run_only_their_loader_and_files_and_call_only_the_api() {
    let app = built(Some("https://api.example.ci/v1"));
    // A product with its image on a CDN: the page may load exactly that origin's images.
    let r = app
        .post(
            "/products",
            serde_json::json!({"name": "Pagne", "image_url": "https://cdn.example.ci/p/pagne.png",
                               "prices": [{"amount": 5000, "currency_code": "XOF"}]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let product = r.json["product_id"].as_str().unwrap().to_string();
    let r = app
        .post(
            "/payment-links",
            serde_json::json!({"link_type": "product", "title": "Pagne", "currency_code": "XOF",
                               "product_id": product}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let with_image = r.json["id"].as_str().unwrap().to_string();
    let link = app.instant_link(5_000).await;
    let session = app.session(5_000, serde_json::json!({})).await;
    for (path, images) in [
        // The merchant's logo is the sandbox's own, at its public URL.
        (
            format!("/product/{with_image}"),
            " http://localhost:8080 https://cdn.example.ci",
        ),
        (format!("/instant/{link}"), " http://localhost:8080"),
        (format!("/plan/{link}"), " http://localhost:8080"),
        (format!("/checkout/{session}"), " http://localhost:8080"),
    ] {
        let path = path.as_str();
        let r = app.public("GET", path, None).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert_fixed_headers(&r, "strict-origin-when-cross-origin");
        assert_eq!(
            csp(&r),
            format!(
                "default-src 'none'; script-src 'self' 'wasm-unsafe-eval' {LOADER_HASH}; \
                 style-src 'self'; img-src 'self' https://api.example.ci{images}; \
                 connect-src 'self' https://api.example.ci; form-action 'none'; \
                 frame-ancestors 'none'; base-uri 'none'; report-uri /sandbox/csp-reports"
            )
            .replace("                 ", ""),
            "{path}"
        );
    }
    // The not-found page is the same app, and loads no merchant image.
    let r = app.public("GET", "/no/such/page", None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_fixed_headers(&r, "strict-origin-when-cross-origin");
    assert_eq!(
        csp(&r),
        format!(
            "default-src 'none'; script-src 'self' 'wasm-unsafe-eval' {LOADER_HASH}; \
             style-src 'self'; img-src 'self' https://api.example.ci; \
             connect-src 'self' https://api.example.ci; form-action 'none'; \
             frame-ancestors 'none'; base-uri 'none'; report-uri /sandbox/csp-reports"
        )
        .replace("             ", "")
    );
}

#[tokio::test]
async fn a_page_on_its_own_origin_names_no_other() {
    let app = built(None);
    let link = app.instant_link(5_000).await;
    let r = app.public("GET", &format!("/instant/{link}"), None).await;
    let policy = csp(&r);
    assert!(
        policy.contains("; connect-src 'self'; ")
            && policy.contains("; img-src 'self' http://localhost:8080; "),
        "{policy}"
    );
    let r = app.public("GET", "/nowhere", None).await;
    assert!(csp(&r).contains("; img-src 'self'; "), "{}", csp(&r));
}

#[tokio::test]
async fn provider_pages_allow_their_style_and_their_forms_only() {
    let app = app();
    let link = app.link(5_000, &[]).await;
    let wave = app
        .pay(
            "links",
            &link,
            "k-wave",
            pay_body(Some("WAVE"), "0700000011"),
        )
        .await;
    assert_eq!(wave.status, StatusCode::CREATED, "{}", wave.text());
    let card = app
        .pay(
            "links",
            &link,
            "k-card",
            pay_body(Some("STRIPE"), "0700000011"),
        )
        .await;
    assert_eq!(card.status, StatusCode::CREATED, "{}", card.text());
    let mut hashes = Vec::new();
    for payment in [&wave, &card] {
        let url = payment.json["next_action"]["url"].as_str().expect("url");
        let path = url.strip_prefix(BASE).expect("a sandbox URL");
        let r = app.public("GET", path, None).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert_fixed_headers(&r, "no-referrer");
        assert_eq!(r.header("x-frame-options"), Some("DENY"));
        let hash = style_hash(&r.text());
        assert_eq!(
            csp(&r),
            format!(
                "default-src 'none'; style-src {hash}; form-action 'self'; \
                 frame-ancestors 'none'; base-uri 'none'; report-uri /sandbox/csp-reports"
            )
            .replace("                 ", ""),
            "{path}"
        );
        hashes.push(hash);
    }
    assert_eq!(hashes[0], hashes[1], "one layout, one style");
}

#[tokio::test]
async fn the_home_page_allows_its_style_and_nothing_else() {
    let app = demo_app();
    let r = app.public("GET", "/", None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_fixed_headers(&r, "strict-origin-when-cross-origin");
    assert_eq!(
        csp(&r),
        format!(
            "default-src 'none'; style-src {}; form-action 'none'; frame-ancestors 'none'; \
             base-uri 'none'; report-uri /sandbox/csp-reports",
            style_hash(&r.text())
        )
        .replace("             ", "")
    );
}

#[tokio::test]
async fn everything_else_is_locked_down() {
    let app = built(None);
    let locked = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    let id = app.instant_link(5_000).await;
    for r in [
        app.get("/payment-links").await,
        app.public("GET", &format!("/api/checkout/links/{id}"), None)
            .await,
        app.public("GET", "/favicon.svg", None).await,
        app.public("GET", "/sandbox/assets/pagne-wax.svg", None)
            .await,
        app.public("GET", "/api/nothing", None).await,
        app.public("GET", "/openapi.json", None).await,
    ] {
        assert_fixed_headers(&r, "strict-origin-when-cross-origin");
        assert_eq!(csp(&r), locked);
    }
    // Before the page is built, its routes say so under the same lock.
    let unbuilt = app_with(config());
    let r = unbuilt.public("GET", "/instant/abc", None).await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(csp(&r), locked);
}

#[tokio::test]
async fn hsts_only_when_the_sandbox_is_public_over_https() {
    let https = app_with(Config {
        public_url: Some("https://pay.example.ci".into()),
        ..config()
    });
    for path in ["/", "/healthz", "/nowhere"] {
        let r = https.public("GET", path, None).await;
        assert_eq!(
            r.header("strict-transport-security"),
            Some("max-age=63072000; includeSubDomains"),
            "{path}"
        );
    }
    for url in ["http://pay.example.ci", "https://localhost:8443"] {
        let app = app_with(Config {
            public_url: Some(url.into()),
            ..config()
        });
        let r = app.public("GET", "/healthz", None).await;
        assert_eq!(r.header("strict-transport-security"), None, "{url}");
    }
}

async fn report(app: &TestApp, content_type: &str, body: &str) -> Reply {
    app.send(
        "POST",
        REPORTS,
        &[("Content-Type", content_type)],
        Some(body),
    )
    .await
}

#[tokio::test]
async fn browsers_report_violations_and_tests_read_them_back() {
    let app = app();
    let recorded = app.get(REPORTS).await;
    assert_eq!(recorded.status, StatusCode::OK);
    assert_eq!(recorded.json, json!({"total": 0, "violations": []}));
    assert_eq!(recorded.header("cache-control"), Some("no-store"));

    let legacy = json!({"csp-report": {
        "document-uri": "http://localhost:8080/checkout/cs_1?payment=pay_1&email=awa@example.ci",
        "violated-directive": "script-src-elem",
        "effective-directive": "script-src-elem",
        "original-policy": "default-src 'none'",
        "blocked-uri": "inline",
        "script-sample": "awa@example.ci"
    }});
    let r = report(&app, "application/csp-report", &legacy.to_string()).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
    let batch = json!([
        {"type": "csp-violation", "url": "http://localhost:8080/instant/x", "body": {
            "documentURL": "http://localhost:8080/instant/x",
            "effectiveDirective": "img-src",
            "blockedURL": "https://cdn.example/logo.png?customer=awa@example.ci",
            "disposition": "enforce"
        }},
        {"type": "csp-violation", "body": {
            "effectiveDirective": "img-src",
            "blockedURL": "https://cdn.example/other.png"
        }}
    ]);
    let r = report(&app, "application/reports+json", &batch.to_string()).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());

    let recorded = app.get(REPORTS).await;
    assert_eq!(
        recorded.json,
        json!({"total": 3, "violations": [
            {"directive": "img-src", "blocked": "https://cdn.example", "count": 2},
            {"directive": "script-src-elem", "blocked": "inline", "count": 1}
        ]})
    );
    assert!(!recorded.text().contains("awa"), "{}", recorded.text());
    assert_eq!(app.state.csp_reports().summary().total, 3);
}

#[tokio::test]
async fn the_report_endpoint_refuses_what_is_not_a_report() {
    let app = app();
    let r = report(&app, "text/plain", "{}").await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(r.error().0, "INVALID_REQUEST");
    let r = report(&app, "application/csp-report", "not json").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.error().0, "INVALID_REQUEST");
    let r = report(
        &app,
        "application/reports+json",
        "[{\"type\": \"deprecation\"}]",
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let big = format!(
        "{{\"csp-report\": {{\"blocked-uri\": \"inline\", \"x\": \"{}\"}}}}",
        "a".repeat(100_000)
    );
    let r = report(&app, "application/csp-report", &big).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(r.error().0, "INVALID_REQUEST");
    // Reading them back is the merchant's, with the key.
    let r = app.public("GET", REPORTS, None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.get(REPORTS).await.json["total"], 0);
    let r = app.public("DELETE", REPORTS, None).await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
}
