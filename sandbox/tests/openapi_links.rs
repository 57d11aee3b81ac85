//! The OpenAPI document's links: every operation that takes an id can be reached from a
//! response that names one, and a client that only follows the links walks a checkout from
//! its creation to the customer who paid it.

mod common;

use axum::http::StatusCode;
use common::{app, pay_body, TestApp};
use serde_json::{json, Value};

async fn document(app: &TestApp) -> Value {
    let r = app.public("GET", "/openapi.json", None).await;
    assert_eq!(r.status, StatusCode::OK);
    r.json
}

/// Every operation of the document: (operation id, path, method, operation).
fn operations(doc: &Value) -> Vec<(String, String, String, Value)> {
    let mut all = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            if let Some(id) = op["operationId"].as_str() {
                all.push((id.to_string(), path.clone(), method.clone(), op.clone()));
            }
        }
    }
    all
}

/// An operation whose only answer, but for the key's and the rate limit's, is 501: lomi.'s
/// route, not served by the sandbox, with nothing to reach.
fn not_served(op: &Value) -> bool {
    op["responses"].as_object().is_some_and(|r| {
        r.keys()
            .all(|status| ["501", "401", "429"].contains(&status.as_str()))
    })
}

/// Every link: (source operation id, status, link name, link).
fn links(doc: &Value) -> Vec<(String, String, String, Value)> {
    let mut all = Vec::new();
    for (id, _, _, op) in operations(doc) {
        for (status, response) in op["responses"].as_object().expect("responses") {
            if let Some(links) = response["links"].as_object() {
                for (name, link) in links {
                    all.push((id.clone(), status.clone(), name.clone(), link.clone()));
                }
            }
        }
    }
    all
}

/// The properties of a response schema, its `$ref` resolved.
fn response_properties<'a>(doc: &'a Value, op: &'a Value, status: &str) -> &'a Value {
    let schema = &op["responses"][status]["content"]["application/json"]["schema"];
    let name = schema["$ref"]
        .as_str()
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
        .expect("a named response schema");
    &doc["components"]["schemas"][name]["properties"]
}

#[tokio::test]
async fn every_operation_taking_an_id_is_the_target_of_a_link() {
    let app = app();
    let doc = document(&app).await;
    let ops = operations(&doc);
    let targets: Vec<String> = links(&doc)
        .iter()
        .map(|(_, _, _, l)| l["operationId"].as_str().expect("operationId").to_string())
        .collect();
    let unlinked: Vec<&String> = ops
        .iter()
        .filter(|(id, path, _, op)| {
            path.contains("{id}") && !targets.contains(id) && !not_served(op)
        })
        .map(|(id, _, _, _)| id)
        .collect();
    assert!(unlinked.is_empty(), "no link leads to {unlinked:?}");
    // The /v1 copies stay among themselves, and meet the public API.
    let v1_links: Vec<String> = links(&doc)
        .iter()
        .filter(|(from, _, _, _)| from == "v1_create_payment_link")
        .map(|(_, _, _, l)| l["operationId"].as_str().unwrap_or_default().to_string())
        .collect();
    for expected in [
        "v1_get_payment_link",
        "v1_update_payment_link",
        "pay_link",
        "get_link",
    ] {
        assert!(
            v1_links.iter().any(|t| t == expected),
            "{expected}: {v1_links:?}"
        );
    }
}

#[tokio::test]
async fn every_link_names_a_parameter_of_its_target_and_a_field_of_its_response() {
    let app = app();
    let doc = document(&app).await;
    let ops = operations(&doc);
    let all = links(&doc);
    assert!(all.len() > 50, "{} links", all.len());
    for (from, status, name, link) in all {
        let source = &ops.iter().find(|(id, ..)| *id == from).expect("source").3;
        let target_id = link["operationId"].as_str().expect("operationId");
        let (_, _, _, target) = ops
            .iter()
            .find(|(id, ..)| id == target_id)
            .unwrap_or_else(|| panic!("{from} {status} {name}: no operation {target_id}"));
        let parameters = link["parameters"].as_object().expect("parameters");
        // Every path parameter of the target is given, and nothing else but a query filter.
        for p in target["parameters"].as_array().into_iter().flatten() {
            if p["in"] == "path" {
                let key = format!("path.{}", p["name"].as_str().unwrap_or_default());
                assert!(
                    parameters.contains_key(&key),
                    "{from} {status} {name}: {target_id} needs {key}"
                );
            }
        }
        for (key, expression) in parameters {
            let (location, param) = key.split_once('.').expect("location.name");
            assert!(
                target["parameters"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|p| p["in"] == location && p["name"] == param),
                "{from} {status} {name}: {target_id} takes no {key}"
            );
            let pointer = expression
                .as_str()
                .and_then(|e| e.strip_prefix("$response.body#/"))
                .unwrap_or_else(|| panic!("{from} {status} {name}: {expression}"));
            let field = pointer.split('/').next().unwrap_or_default();
            assert!(
                response_properties(&doc, source, &status)
                    .get(field)
                    .is_some(),
                "{from} {status} {name}: the response has no {field}"
            );
        }
    }
}

/// Follows link `name` of operation `from`'s `status` response `body`: the target's method
/// and URI.
fn follow(doc: &Value, from: &str, status: u16, name: &str, body: &Value) -> (String, String) {
    let ops = operations(doc);
    let (_, _, _, source) = ops.iter().find(|(id, ..)| id == from).expect("source");
    let link = &source["responses"][status.to_string()]["links"][name];
    let target = link["operationId"].as_str().expect("link");
    let (_, path, method, _) = ops.iter().find(|(id, ..)| id == target).expect("target");
    let mut uri = path.clone();
    let mut query = Vec::new();
    for (key, expression) in link["parameters"].as_object().expect("parameters") {
        let pointer = expression.as_str().unwrap_or_default();
        let pointer = pointer.strip_prefix("$response.body#").expect("body");
        let value = body
            .pointer(pointer)
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("{from} {name}: nothing at {pointer} in {body}"));
        match key.split_once('.') {
            Some(("path", param)) => uri = uri.replace(&format!("{{{param}}}"), value),
            Some(("query", param)) => query.push(format!("{param}={value}")),
            _ => panic!("{key}"),
        }
    }
    if !query.is_empty() {
        uri = format!("{uri}?{}", query.join("&"));
    }
    (method.to_uppercase(), uri)
}

#[tokio::test]
async fn a_client_following_the_links_goes_from_a_new_link_to_the_customer_who_paid_it() {
    let app = app();
    let doc = document(&app).await;
    let created = app
        .post(
            "/v1/payment-links",
            json!({"link_type": "instant", "title": "Consultation", "amount": 15000,
                   "currency_code": "XOF", "require_billing_address": false}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());

    let (method, uri) = follow(
        &doc,
        "v1_create_payment_link",
        201,
        "OpenCheckout",
        &created.json,
    );
    let page = app.public(&method, &uri, None).await;
    assert_eq!(page.status, StatusCode::OK, "{uri}");
    assert_eq!(page.json["title"], "Consultation");

    let (method, uri) = follow(
        &doc,
        "v1_create_payment_link",
        201,
        "PayCheckout",
        &created.json,
    );
    assert_eq!(method, "POST");
    let id = uri
        .trim_start_matches("/api/checkout/links/")
        .trim_end_matches("/pay");
    let paid = app
        .pay(
            "links",
            id,
            "fuzz-links-1",
            pay_body(Some("WAVE"), "+2250701020304"),
        )
        .await;
    assert_eq!(paid.status, StatusCode::CREATED, "{}", paid.text());
    assert_eq!(paid.json["status"], "pending");

    let (method, uri) = follow(&doc, "pay_link", 201, "QrCode", &paid.json);
    let qr = app.public(&method, &uri, None).await;
    assert_eq!(qr.status, StatusCode::OK, "{uri}");
    assert!(qr.text().starts_with("<svg") || qr.text().contains("<svg"));

    let (method, uri) = follow(&doc, "pay_link", 201, "SucceedPayment", &paid.json);
    let settled = app.api(&method, &uri, None).await;
    assert_eq!(settled.status, StatusCode::OK, "{}", settled.text());
    assert_eq!(settled.json["status"], "succeeded");

    let (method, uri) = follow(&doc, "succeed", 200, "GetTransaction", &settled.json);
    let transaction = app.api(&method, &uri, None).await;
    assert_eq!(transaction.status, StatusCode::OK, "{}", transaction.text());
    assert_eq!(transaction.json["gross_amount"], 15000);
    assert_eq!(transaction.json["payment_link_id"], created.json["id"]);

    let (method, uri) = follow(
        &doc,
        "get_transaction",
        200,
        "GetCustomer",
        &transaction.json,
    );
    let customer = app.api(&method, &uri, None).await;
    assert_eq!(customer.status, StatusCode::OK, "{}", customer.text());
    assert_eq!(customer.json["email"], "awa@example.ci");
}

#[tokio::test]
async fn a_client_following_the_links_types_orange_s_code_and_asks_mtn_again() {
    let app = app();
    let doc = document(&app).await;
    let created = app
        .post(
            "/checkout-sessions",
            json!({"title": "Commande #7", "amount": 5000, "currency_code": "XOF",
                   "require_billing_address": false}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    let (_, uri) = follow(
        &doc,
        "create_checkout_session",
        201,
        "PayCheckout",
        &created.json,
    );
    let id = uri
        .trim_start_matches("/api/checkout/sessions/")
        .trim_end_matches("/pay");
    let orange = app
        .pay(
            "sessions",
            id,
            "fuzz-links-2",
            pay_body(Some("ORANGE"), "+2250701020304"),
        )
        .await;
    assert_eq!(orange.status, StatusCode::CREATED, "{}", orange.text());

    let (method, uri) = follow(&doc, "pay_session", 201, "SubmitOtp", &orange.json);
    let typed = app
        .public(&method, &uri, Some(json!({"code": "123456"})))
        .await;
    assert_eq!(typed.status, StatusCode::OK, "{}", typed.text());
    let (method, uri) = follow(&doc, "submit_otp", 200, "GetPayment", &typed.json);
    let read = app.public(&method, &uri, None).await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(read.json["id"], orange.json["id"]);

    let mtn_link = app.link(2000, &["MTN"]).await;
    let mtn = app
        .pay(
            "links",
            &mtn_link,
            "fuzz-links-3",
            pay_body(Some("MTN"), "+2250701020303"),
        )
        .await;
    assert_eq!(mtn.status, StatusCode::CREATED, "{}", mtn.text());
    let (method, uri) = follow(&doc, "pay_link", 201, "ResendPrompt", &mtn.json);
    let again = app.public(&method, &uri, None).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text());
    assert_eq!(again.json["status"], "pending");
    let (method, uri) = follow(&doc, "resend_prompt", 200, "FailPayment", &again.json);
    let failed = app.api(&method, &uri, None).await;
    assert_eq!(failed.status, StatusCode::OK, "{}", failed.text());
    assert_eq!(failed.json["status"], "failed");
}

#[tokio::test]
async fn a_quote_without_a_body_is_documented_and_prices_the_checkout_as_it_is() {
    let app = app();
    let doc = document(&app).await;
    for path in [
        "/api/checkout/links/{id}/quote",
        "/api/checkout/sessions/{id}/quote",
    ] {
        let body = &doc["paths"][path]["post"]["requestBody"];
        assert_ne!(body["required"], json!(true), "{path}: {body}");
    }
    let link = app.link(15000, &[]).await;
    let session = app.session(5000, json!({})).await;
    for (uri, total) in [
        (format!("/api/checkout/links/{link}/quote"), 15000),
        (format!("/api/checkout/sessions/{session}/quote"), 5000),
    ] {
        let r = app.send("POST", &uri, &[], None).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}: {}", r.text());
        assert_eq!(r.json["total"], total);
        assert_eq!(r.json["quantity"], 1);
    }
}
