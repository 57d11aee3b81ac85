//! Serving the built page: the SPA's routes, its hashed assets, and the meta tag that tells
//! it where the API is.

mod common;

use axum::http::StatusCode;
use common::{app_with, config, temp_dir, TestApp};
use lomi_sandbox::Config;
use std::path::PathBuf;

const INDEX: &str =
    "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>lomi. checkout</title>\
<link rel=\"stylesheet\" href=\"/main-175fade59359eda9.css\"></head><body></body></html>";
const WASM: &str = "lomi-checkout-0123456789abcdef_bg.wasm";
const JS: &str = "lomi-checkout-0123456789abcdef.js";

fn dist() -> PathBuf {
    let dir = temp_dir("dist");
    std::fs::write(dir.join("index.html"), INDEX).unwrap();
    // Compressible, and large enough to be worth compressing.
    let wasm: Vec<u8> = b"\0asm\x01\0\0\0"
        .iter()
        .copied()
        .chain((0..20_000u32).map(|i| (i % 7) as u8))
        .collect();
    std::fs::write(dir.join(WASM), wasm).unwrap();
    std::fs::write(
        dir.join(JS),
        "export default function init() {}\n".repeat(200),
    )
    .unwrap();
    std::fs::write(dir.join("main-175fade59359eda9.css"), "body{margin:0}").unwrap();
    std::fs::write(
        dir.join("favicon.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("snippets")).unwrap();
    std::fs::write(dir.join("snippets").join("x-0123456789abcdef.js"), "1").unwrap();
    dir
}

fn with_dist(api_base: Option<&str>) -> (TestApp, PathBuf) {
    let dir = dist();
    let app = app_with(Config {
        dist_dir: dir.clone(),
        api_base: api_base.map(str::to_string),
        ..config()
    });
    (app, dir)
}

#[tokio::test]
async fn page_routes_answer_200_with_the_api_base() {
    let (app, dir) = with_dist(Some("https://api.example.ci"));
    let link = app.instant_link(5000).await;
    let session = app.session(5000, serde_json::json!({})).await;
    for path in [
        format!("/instant/{link}"),
        format!("/product/{link}"),
        format!("/plan/{link}"),
        format!("/checkout/{session}"),
    ] {
        let path = path.as_str();
        let r = app.public("GET", path, None).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
        assert_eq!(r.header("cache-control"), Some("no-cache"));
        let html = r.text();
        assert!(
            html.contains(
                "<meta name=\"lomi-api-base\" content=\"https://api.example.ci\"></head>"
            ),
            "{html}"
        );
        assert!(html.starts_with("<!DOCTYPE html>") && html.ends_with("</html>"));
    }
    let r = app
        .send("HEAD", &format!("/instant/{link}"), &[], None)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.is_empty());
    let r = app
        .public("POST", "/instant/abc", Some(serde_json::json!({})))
        .await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    r.error();
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn the_meta_tag_is_escaped_and_empty_by_default() {
    let (app, dir) = with_dist(Some("https://x.example/\"><script>alert(1)</script>"));
    let html = app.public("GET", "/instant/abc", None).await.text();
    assert!(!html.contains("<script>alert(1)"), "{html}");
    assert!(html
        .contains("content=\"https://x.example/&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\""));
    let _ = std::fs::remove_dir_all(dir);

    let (app, dir) = with_dist(None);
    let html = app.public("GET", "/checkout/cs_1", None).await.text();
    assert!(
        html.contains("<meta name=\"lomi-api-base\" content=\"\"></head>"),
        "{html}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn unknown_paths_get_the_page_with_404() {
    let (app, dir) = with_dist(None);
    for path in [
        "/nope",
        "/instant",
        "/instant/a/b",
        "/index.html",
        "/../Cargo.toml",
        "/.hidden",
        "/snippets",
    ] {
        let r = app.public("GET", path, None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        assert!(
            r.header("content-type").unwrap().starts_with("text/html"),
            "{path}"
        );
        assert!(r.text().contains("lomi-api-base"), "{path}");
    }
    // API paths keep the JSON error shape.
    for path in [
        "/api/checkout/nope",
        "/api",
        "/v1/nope",
        "/payment-links/x/y",
        "/sandbox/nope",
    ] {
        let r = app.public("GET", path, None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(r.error().0, "NOT_FOUND", "{path}");
    }
    let r = app.public("DELETE", "/nope", None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    r.error();
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn assets_have_types_and_cache_headers() {
    let (app, dir) = with_dist(None);
    let immutable = Some("public, max-age=31536000, immutable");
    for (path, content_type, cache) in [
        (format!("/{WASM}"), "application/wasm", immutable),
        (
            format!("/{JS}"),
            "text/javascript; charset=utf-8",
            immutable,
        ),
        (
            "/main-175fade59359eda9.css".to_string(),
            "text/css; charset=utf-8",
            immutable,
        ),
        (
            "/snippets/x-0123456789abcdef.js".to_string(),
            "text/javascript; charset=utf-8",
            immutable,
        ),
        (
            "/favicon.svg".to_string(),
            "image/svg+xml",
            Some("no-cache"),
        ),
    ] {
        let r = app.public("GET", &path, None).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert_eq!(r.header("content-type"), Some(content_type), "{path}");
        assert_eq!(r.header("cache-control"), cache, "{path}");
    }
    let r = app.public("GET", &format!("/{WASM}"), None).await;
    assert!(r.body.starts_with(b"\0asm"));
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn responses_are_compressed() {
    let (app, dir) = with_dist(None);
    let original = std::fs::read(dir.join(WASM)).unwrap();
    let r = app
        .send(
            "GET",
            &format!("/{WASM}"),
            &[("Accept-Encoding", "gzip")],
            None,
        )
        .await;
    assert_eq!(r.header("content-encoding"), Some("gzip"));
    assert_eq!(r.header("content-type"), Some("application/wasm"));
    assert!(r.body.len() < original.len());
    let r = app
        .send(
            "GET",
            &format!("/{WASM}"),
            &[("Accept-Encoding", "br")],
            None,
        )
        .await;
    assert_eq!(r.header("content-encoding"), Some("br"));
    let r = app
        .send(
            "GET",
            &format!("/{JS}"),
            &[("Accept-Encoding", "br, gzip")],
            None,
        )
        .await;
    assert_eq!(r.header("content-encoding"), Some("br"));
    assert_eq!(
        r.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    let r = app.send("GET", &format!("/{WASM}"), &[], None).await;
    assert_eq!(r.header("content-encoding"), None);
    assert_eq!(r.body, original);
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn an_unbuilt_page_says_how_to_build_it() {
    let app = app_with(config());
    for path in ["/instant/abc", "/checkout/cs_1", "/nope"] {
        let r = app.public("GET", path, None).await;
        assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{path}");
        assert_eq!(r.text(), "The checkout page is not built: run `make run`");
    }
    // Everything else still works.
    assert_eq!(app.public("GET", "/", None).await.status, StatusCode::OK);
    assert_eq!(
        app.public("GET", "/healthz", None).await.status,
        StatusCode::OK
    );
    assert_eq!(app.get("/payment-links").await.status, StatusCode::OK);
}

/// A dist with `name` and its brotli and gzip variants (stand-ins: the test checks the
/// server sends them byte for byte, not that they decompress).
fn precompressed_dist(name: &str) -> (PathBuf, Vec<u8>) {
    let dir = temp_dir("precompressed");
    std::fs::write(dir.join("index.html"), INDEX).unwrap();
    let original: Vec<u8> = b"\0asm\x01\0\0\0"
        .iter()
        .copied()
        .chain((0..20_000u32).map(|i| (i % 7) as u8))
        .collect();
    std::fs::write(dir.join(name), &original).unwrap();
    std::fs::write(dir.join(format!("{name}.br")), b"brotli variant").unwrap();
    std::fs::write(dir.join(format!("{name}.gz")), b"gzip variant").unwrap();
    (dir, original)
}

#[tokio::test]
async fn precompressed_variants_are_sent_as_they_are() {
    for (name, cache) in [
        (WASM, "public, max-age=31536000, immutable"),
        ("app.wasm", "no-cache"),
    ] {
        let (dir, original) = precompressed_dist(name);
        let app = app_with(Config {
            dist_dir: dir.clone(),
            ..config()
        });
        let path = format!("/{name}");
        for (accept, encoding, body) in [
            (Some("br"), Some("br"), &b"brotli variant"[..]),
            (
                Some("gzip, deflate, br"),
                Some("br"),
                &b"brotli variant"[..],
            ),
            (Some("gzip"), Some("gzip"), &b"gzip variant"[..]),
            (None, None, &original[..]),
            (Some("identity"), None, &original[..]),
        ] {
            let headers: Vec<(&str, &str)> =
                accept.map(|a| ("Accept-Encoding", a)).into_iter().collect();
            let r = app.send("GET", &path, &headers, None).await;
            assert_eq!(r.status, StatusCode::OK, "{path} {accept:?}");
            assert_eq!(r.header("content-encoding"), encoding, "{path} {accept:?}");
            // Not compressed a second time on the way out, and one Vary for both layers.
            assert_eq!(r.body, body, "{path} {accept:?}");
            assert_eq!(r.header("content-type"), Some("application/wasm"));
            assert_eq!(r.header("cache-control"), Some(cache), "{path}");
            let vary: Vec<_> = r.headers.get_all("vary").iter().collect();
            assert_eq!(vary.len(), 1, "{path} {accept:?}: {vary:?}");
            assert!(vary[0]
                .to_str()
                .unwrap()
                .eq_ignore_ascii_case("accept-encoding"));
        }
        let r = app
            .send("HEAD", &path, &[("Accept-Encoding", "br")], None)
            .await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.header("content-encoding"), Some("br"));
        assert!(r.body.is_empty());
        let _ = std::fs::remove_dir_all(dir);
    }
}

#[tokio::test]
async fn nothing_outside_dist_nor_hidden_is_served() {
    let root = temp_dir("outside");
    let dir = root.join("dist");
    std::fs::create_dir_all(dir.join(".git")).unwrap();
    std::fs::create_dir_all(dir.join("snippets")).unwrap();
    std::fs::write(dir.join("index.html"), INDEX).unwrap();
    std::fs::write(dir.join(".env"), "SECRET=1").unwrap();
    std::fs::write(dir.join(".git").join("config"), "SECRET=2").unwrap();
    std::fs::write(dir.join("snippets").join("x.js"), "1").unwrap();
    std::fs::write(root.join("secret.txt"), "SECRET=3").unwrap();
    let app = app_with(Config {
        dist_dir: dir.clone(),
        ..config()
    });
    assert_eq!(
        app.public("GET", "/snippets/x.js", None).await.status,
        StatusCode::OK
    );
    for path in [
        "/.env",
        "/.git/config",
        "/../secret.txt",
        "/snippets/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2e%2e%2fsecret.txt",
        "/snippets/..%2f..%2fsecret.txt",
        "/snippets/",
        "/index.html",
    ] {
        let r = app.public("GET", path, None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        assert!(
            r.header("content-type").unwrap().starts_with("text/html"),
            "{path}"
        );
        let html = r.text();
        assert!(
            html.contains("lomi-api-base"),
            "{path}: the page's not-found screen"
        );
        assert!(!html.contains("SECRET"), "{path}");
        // Asking for a precompressed variant changes nothing.
        let r = app
            .send("GET", path, &[("Accept-Encoding", "br, gzip")], None)
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        assert!(
            r.header("content-type").unwrap().starts_with("text/html"),
            "{path}"
        );
    }
    let _ = std::fs::remove_dir_all(root);
}
