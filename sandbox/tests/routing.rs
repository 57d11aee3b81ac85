//! What an API client gets for what no route answers, and for parameters no route takes.

mod common;

use axum::http::StatusCode;
use common::app;

#[tokio::test]
async fn an_unknown_path_answers_api_clients_in_json_and_browsers_with_the_page() {
    let app = app();
    // A merchant's client (it sends the key) mistyping a path gets the error object, not HTML.
    for path in ["/payment_link", "/customer", "/webhook", "/api-v2/things"] {
        let r = app.get(path).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(r.error().0, "NOT_FOUND", "{path}");
        assert!(r
            .header("content-type")
            .is_some_and(|t| t.starts_with("application/json")));
    }
    // So does any client that asks for JSON, key or not.
    let r = app
        .send(
            "GET",
            "/payment_link",
            &[("Accept", "application/json")],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.error().0, "NOT_FOUND");
    // A browser asking for a page gets the page's own not-found answer (here: the page is not
    // built, so the plain "not built" reply), never the JSON error.
    let r = app
        .send(
            "GET",
            "/payment_link",
            &[("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")],
            None,
        )
        .await;
    assert_ne!(r.json["error"]["code"], "NOT_FOUND", "{}", r.text());
}

#[tokio::test]
async fn unknown_query_parameters_on_lists_are_named_not_ignored() {
    let app = app();
    for (path, typo) in [
        ("/payment-links?link_typ=instant", "link_typ"),
        ("/v1/payment-links?status=active", "status"),
        ("/checkout-sessions?statut=open", "statut"),
        ("/products?type=recurring", "type"),
        ("/coupons?code=WELCOME10", "code"),
        ("/coupons?limit=5&sorting=", "sorting"),
    ] {
        let r = app.get(path).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{path}");
        let (code, details) = r.error();
        assert_eq!(code, "INVALID_REQUEST");
        let message = details[typo][0].as_str().unwrap_or_default();
        assert!(
            message.starts_with("Unknown query parameter"),
            "{path}: {details}"
        );
    }
    // Both spellings and both pagination styles stay known.
    for path in [
        "/payment-links?linkType=instant&isActive=true&includeExpired=false&currencyCode=XOF",
        "/payment-links?page=1&page_size=5",
        "/payment-links?limit=5&offset=0",
        "/checkout-sessions?status=open&limit=1",
    ] {
        let r = app.get(path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.text());
    }
}

#[tokio::test]
async fn the_sessions_list_answers_who_paid_a_link() {
    let app = app();
    let link = app.link(5_000, &["MTN"]).await;
    let other = app.link(7_000, &["MTN"]).await;
    // Two attempts on the first link (a failed one, then a paid one), one on the other.
    for (id, key, phone) in [
        (&link, "k-1", "0500000001"),
        (&link, "k-2", "0500000011"),
        (&other, "k-3", "0500000011"),
    ] {
        let r = app
            .pay("links", id, key, common::pay_body(Some("MTN"), phone))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    }
    let r = app
        .get(&format!("/checkout-sessions?payment_link_id={link}"))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let sessions = r.json["data"].as_array().expect("a list");
    assert_eq!(sessions.len(), 2);
    assert!(sessions
        .iter()
        .all(|s| s["payment_link_id"] == link.as_str()));
    assert_eq!(r.json["pagination"]["total"], 2);
    // Combined with the status, and in the v1 spelling.
    let r = app
        .get(&format!(
            "/v1/checkout-sessions?paymentLinkId={other}&status=open"
        ))
        .await;
    assert_eq!(r.json["data"].as_array().map(Vec::len), Some(1));
    // A link nobody paid: an empty page, not an error.
    let unpaid = app.link(1_000, &[]).await;
    let r = app
        .get(&format!("/checkout-sessions?payment_link_id={unpaid}"))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json["pagination"]["total"], 0);
}

#[tokio::test]
async fn what_the_document_calls_invalid_the_server_refuses() {
    let app = app();
    // An empty value for a typed query parameter is a mistake, not "no filter".
    for path in [
        "/payment-links?limit=",
        "/checkout-sessions?status=",
        "/v1/products?page_size=",
        "/coupons?is_active=",
    ] {
        let r = app.get(path).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{path}: {}", r.text());
        let param = path.rsplit('?').next().unwrap().trim_end_matches('=');
        assert!(r.error().1[param].is_array(), "{path}: {}", r.text());
    }
    // Currency codes are the document's upper-case codes, exactly.
    let r = app.get("/payment-links?currency_code=xof").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = app
        .post(
            "/payment-links",
            serde_json::json!({"link_type": "instant", "title": "T", "amount": 500, "currency_code": "xof"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.error().1["currency_code"].is_array());
    // A date-time, not a bare date.
    let r = app
        .post(
            "/payment-links",
            serde_json::json!({"link_type": "instant", "title": "T", "amount": 500,
                               "currency_code": "XOF", "expires_at": "2999-01-01"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
    assert!(r.error().1["expires_at"].is_array());
    // The last possible offset still answers (the page number does not overflow).
    let r = app.get("/products?limit=1&offset=4294967295").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json["data"].as_array().map(Vec::len), Some(0));
}

#[tokio::test]
async fn a_null_body_on_the_fail_control_reads_as_no_body() {
    let app = app();
    let link = app.link(5_000, &["MTN"]).await;
    let r = app
        .pay(
            "links",
            &link,
            "k-null",
            common::pay_body(Some("MTN"), "0500000011"),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let payment = r.json["id"].as_str().expect("payment id").to_string();
    let key = app.key.clone();
    let r = app
        .send(
            "POST",
            &format!("/sandbox/payments/{payment}/fail"),
            &[
                ("X-API-Key", key.as_str()),
                ("Content-Type", "application/json"),
            ],
            Some("null"),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json["status"], "failed");
    assert_eq!(r.json["failure"], "declined");
}
