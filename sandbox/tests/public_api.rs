//! The public checkout API the page calls, the demo data it is tried with, and the OpenAPI
//! document.

mod common;

use axum::http::StatusCode;
use checkout_core::calendar::{parse_rfc3339, DAY};
use common::{app, demo_app, last_segment, start_time, TestApp, BASE};
use lomi_sandbox::{AppState, Clock, Config};
use serde_json::{json, Value};

struct Demo {
    app: TestApp,
    instant: String,
    product: String,
    pwyw: String,
    plan: String,
    session: String,
    usd: String,
}

fn demo() -> Demo {
    let app = demo_app();
    let links = lomi_sandbox::domain::demo::seed(&app.state).unwrap();
    Demo {
        instant: last_segment(&links.instant),
        product: last_segment(&links.product),
        pwyw: last_segment(&links.pwyw),
        plan: last_segment(&links.plan),
        session: last_segment(&links.session),
        usd: last_segment(&links.usd_instant),
        app,
    }
}

impl Demo {
    async fn quote(&self, link: &str, body: Value) -> common::Reply {
        self.app
            .public(
                "POST",
                &format!("/api/checkout/links/{link}/quote"),
                Some(body),
            )
            .await
    }
}

#[tokio::test]
async fn demo_links_point_at_the_page_routes() {
    let app = demo_app();
    let d = lomi_sandbox::domain::demo::seed(&app.state).unwrap();
    assert!(d.instant.starts_with(&format!("{BASE}/instant/")));
    assert!(d.product.starts_with(&format!("{BASE}/product/")));
    assert!(d.pwyw.starts_with(&format!("{BASE}/product/")));
    assert!(d.plan.starts_with(&format!("{BASE}/plan/")));
    assert!(d.session.starts_with(&format!("{BASE}/checkout/")));
    assert!(d.usd_instant.starts_with(&format!("{BASE}/instant/")));
}

#[tokio::test]
async fn public_link_shows_what_the_customer_may_see() {
    let d = demo();
    let r = d
        .app
        .public("GET", &format!("/api/checkout/links/{}", d.instant), None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.header("cache-control"), Some("no-store"));
    let c = &r.json;
    assert_eq!(c["kind"], "instant");
    assert_eq!(c["id"], json!(d.instant));
    assert_eq!(c["status"], "open");
    assert_eq!(c["test_mode"], json!(true));
    assert_eq!(c["merchant"]["name"], "Boutique Awa");
    assert_eq!(c["merchant"]["country"], "CI");
    assert_eq!(
        c["merchant"]["logo_url"],
        json!(format!("{BASE}/sandbox/assets/boutique-awa.svg"))
    );
    assert_eq!(c["title"], "Consultation");
    assert_eq!(c["description"], "Une heure de conseil avec notre styliste");
    assert_eq!(c["currency"], "XOF");
    assert_eq!(c["pricing"], json!({"model": "standard"}));
    assert_eq!(c["allowed_providers"], json!(["WAVE", "ORANGE", "MTN"]));
    assert_eq!(c["max_quantity"], json!(99));
    assert_eq!(c["allow_quantity"], json!(false));
    assert_eq!(c["allow_coupon_code"], json!(false));
    assert_eq!(c["quote"]["total"], json!(15000));
    assert_eq!(c["quote"]["due_today"], json!(15000));
    assert_eq!(c["recurring"], Value::Null);

    // Nothing private: no private description, no metadata, no key, no redirect URLs.
    let text = r.text();
    for secret in [
        "private_description",
        "note interne",
        "metadata",
        "sandbox-demo",
        "lomi_sk_",
        "success_url",
    ] {
        assert!(!text.contains(secret), "public JSON leaks {secret}: {text}");
    }
    let r = d
        .app
        .public(
            "GET",
            &format!("/api/checkout/sessions/{}", d.session),
            None,
        )
        .await;
    for secret in ["metadata", "order_id", "lomi_sk_", "success_url"] {
        assert!(!r.text().contains(secret), "public session leaks {secret}");
    }

    // A link made through the API with a private description and metadata.
    let r = d
        .app
        .post(
            "/payment-links",
            json!({"link_type": "instant", "title": "T", "currency_code": "XOF", "amount": 100,
                   "private_description": "SECRET-NOTE", "metadata": {"internal": "SECRET-META"},
                   "success_url": "https://shop.example/SECRET-URL"}),
        )
        .await;
    let id = r.json["id"].as_str().unwrap();
    let r = d
        .app
        .public("GET", &format!("/api/checkout/links/{id}"), None)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(!r.text().contains("SECRET"), "{}", r.text());
    assert_eq!(
        r.json["allowed_providers"],
        json!(["WAVE", "ORANGE", "MTN", "STRIPE", "NOWPAYMENTS"])
    );
}

#[tokio::test]
async fn unknown_deleted_inactive_and_expired() {
    let app = app();
    for path in [
        "/api/checkout/links/nope",
        "/api/checkout/sessions/cs_nope",
        "/api/checkout/links/%FF",
    ] {
        let r = app.public("GET", path, None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(r.error().0, "NOT_FOUND");
        assert_eq!(r.header("cache-control"), Some("no-store"));
    }
    let r = app
        .public("POST", "/api/checkout/links/nope/quote", Some(json!({})))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    let id = app.instant_link(1000).await;
    assert_eq!(
        app.api("DELETE", &format!("/payment-links/{id}"), None)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    let r = app
        .public("GET", &format!("/api/checkout/links/{id}"), None)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    let r = app
        .post("/payment-links", json!({"link_type": "instant", "title": "Off", "currency_code": "XOF", "amount": 1, "is_active": false}))
        .await;
    let off = r.json["id"].as_str().unwrap().to_string();
    let r = app
        .public("GET", &format!("/api/checkout/links/{off}"), None)
        .await;
    assert_eq!(r.json["status"], "inactive");
    let r = app
        .public(
            "POST",
            &format!("/api/checkout/links/{off}/quote"),
            Some(json!({})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.error().0, "RESOURCE_CONFLICT");

    let r = app
        .post(
            "/payment-links",
            json!({"link_type": "instant", "title": "Soon over", "currency_code": "XOF", "amount": 1,
                   "expires_at": "2026-01-15T11:00:00Z"}),
        )
        .await;
    let expiring = r.json["id"].as_str().unwrap().to_string();
    let r = app
        .public("GET", &format!("/api/checkout/links/{expiring}"), None)
        .await;
    assert_eq!(r.json["status"], "open");
    assert_eq!(r.json["expires_at"], "2026-01-15T11:00:00Z");
    app.advance(30 * 60);
    let r = app
        .public("GET", &format!("/api/checkout/links/{expiring}"), None)
        .await;
    assert_eq!(r.json["status"], "expired");
    let r = app
        .public(
            "POST",
            &format!("/api/checkout/links/{expiring}/quote"),
            Some(json!({})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn sessions_on_the_public_api() {
    let d = demo();
    let path = format!("/api/checkout/sessions/{}", d.session);
    let r = d.app.public("GET", &path, None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let c = &r.json;
    assert_eq!(c["kind"], "session");
    assert_eq!(c["status"], "open");
    assert_eq!(c["title"], "Commande #12345");
    assert_eq!(
        c["customer"],
        json!({"name": "Awa Diallo", "email": "awa@example.ci", "phone": "+2250708091011"})
    );
    assert_eq!(c["allow_coupon_code"], json!(true));
    assert_eq!(c["quote"]["total"], json!(10000));
    let expires = parse_rfc3339(c["expires_at"].as_str().unwrap()).unwrap();
    assert_eq!(expires, start_time() + 3600);

    let r = d
        .app
        .public(
            "POST",
            &format!("{path}/quote"),
            Some(json!({"coupon_code": "welcome10"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json["discount"], json!(1000));
    assert_eq!(r.json["total"], json!(9000));
    assert_eq!(r.json["coupon"]["code"], "WELCOME10");
    let r = d
        .app
        .public(
            "POST",
            &format!("{path}/quote"),
            Some(json!({"quantity": 2})),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        r.json["error"]["reason"],
        json!({"reason": "quantity_not_allowed"})
    );

    // A session created with quantity 3 prices 3 units by default.
    let r = d
        .app
        .post(
            "/checkout-sessions",
            json!({"amount": 2000, "currency_code": "XOF", "quantity": 3,
                                           "allow_coupon_code": true, "coupon_code": "fixe500",
                                           "customer_name": "Kofi"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json["coupon_code"], "FIXE500");
    let id = r.json["id"].as_str().unwrap().to_string();
    let r = d
        .app
        .public("GET", &format!("/api/checkout/sessions/{id}"), None)
        .await;
    assert_eq!(r.json["coupon_code"], "FIXE500");
    assert_eq!(r.json["quote"]["subtotal"], json!(6000));
    assert_eq!(r.json["quote"]["discount"], json!(1500));
    assert_eq!(r.json["quote"]["total"], json!(4500));

    // Paid (the session asks for a billing address by default), then settled by CI's control.
    let r = d
        .app
        .pay(
            "sessions",
            &id,
            "paid",
            json!({"coupon_code": "FIXE500", "customer": common::customer(""), "provider": "STRIPE",
                   "billing": {"country": "CI", "city": "Abidjan", "line1": "Rue des Jardins"}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json["amount"], json!(4500));
    let payment = r.json["id"].as_str().unwrap().to_string();
    let r = d
        .app
        .post(&format!("/sandbox/payments/{payment}/succeed"), json!({}))
        .await;
    assert_eq!(r.json["status"], "succeeded", "{}", r.text());
    let r = d
        .app
        .public("GET", &format!("/api/checkout/sessions/{id}"), None)
        .await;
    assert_eq!(r.json["status"], "completed");
    let r = d
        .app
        .public(
            "POST",
            &format!("/api/checkout/sessions/{id}/quote"),
            Some(json!({})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);

    d.app.advance(3601);
    let r = d.app.public("GET", &path, None).await;
    assert_eq!(r.json["status"], "expired");
    let r = d
        .app
        .public("POST", &format!("{path}/quote"), Some(json!({})))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    r.error();
}

#[tokio::test]
async fn quotes_follow_quantity() {
    let d = demo();
    let r = d.quote(&d.product, json!({"quantity": 3})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.header("cache-control"), Some("no-store"));
    let q = &r.json;
    assert_eq!(
        (q["unit_amount"].clone(), q["quantity"].clone()),
        (json!(5000), json!(3))
    );
    assert_eq!(q["subtotal"], json!(15000));
    assert_eq!(q["total"], json!(15000));
    assert_eq!(q["fees"], json!(0));

    for (quantity, reason) in [
        (
            json!(0),
            json!({"reason": "quantity_out_of_range", "min": 1, "max": 99}),
        ),
        (
            json!(100),
            json!({"reason": "quantity_out_of_range", "min": 1, "max": 99}),
        ),
    ] {
        let r = d.quote(&d.product, json!({"quantity": quantity})).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        let (code, details) = r.error();
        assert_eq!(code, "INVALID_REQUEST");
        assert!(details["quantity"].is_array());
        assert_eq!(r.json["error"]["reason"], reason);
    }
    let r = d.quote(&d.instant, json!({"quantity": 2})).await;
    assert_eq!(
        r.json["error"]["reason"],
        json!({"reason": "quantity_not_allowed"})
    );
    let r = d.quote(&d.instant, json!({"unit_amount": 1})).await;
    assert_eq!(
        r.json["error"]["reason"],
        json!({"reason": "amount_not_allowed"})
    );
    assert!(r.error().1["unit_amount"].is_array());

    // Bodies: empty means the default order; malformed and mistyped are 400.
    let r = d
        .app
        .send(
            "POST",
            &format!("/api/checkout/links/{}/quote", d.product),
            &[],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json["total"], json!(5000));
    let r = d
        .app
        .send(
            "POST",
            &format!("/api/checkout/links/{}/quote", d.product),
            &[("Content-Type", "application/json")],
            Some("{\"quantity\": "),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    r.error();
    for body in [
        json!({"quantity": "two"}),
        json!({"quantity": 1.5}),
        json!({"unit_amount": "5000"}),
        json!({"coupon_code": 10}),
    ] {
        let r = d.quote(&d.product, body.clone()).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{body}");
        r.error();
    }
}

#[tokio::test]
async fn pay_what_you_want_is_bounded() {
    let d = demo();
    let r = d
        .app
        .public("GET", &format!("/api/checkout/links/{}", d.pwyw), None)
        .await;
    assert_eq!(
        r.json["pricing"],
        json!({"model": "pay_what_you_want", "minimum": 1000, "maximum": 50000})
    );
    assert_eq!(r.json["quote"]["unit_amount"], json!(5000));
    assert_eq!(
        r.json["image_url"],
        json!(format!("{BASE}/sandbox/assets/podcast.svg"))
    );

    let r = d.quote(&d.pwyw, json!({"unit_amount": 2500})).await;
    assert_eq!(r.json["total"], json!(2500));
    let r = d.quote(&d.pwyw, json!({"unit_amount": 999})).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        r.json["error"]["reason"],
        json!({"reason": "amount_below_minimum", "minimum": 1000})
    );
    assert!(r.error().1["unit_amount"].is_array());
    let r = d.quote(&d.pwyw, json!({"unit_amount": 50001})).await;
    assert_eq!(
        r.json["error"]["reason"],
        json!({"reason": "amount_above_maximum", "maximum": 50000})
    );
    let r = d.quote(&d.pwyw, json!({"unit_amount": -1})).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn every_coupon_refusal_through_the_demo_coupons() {
    let d = demo();
    let applied = d
        .quote(
            &d.product,
            json!({"quantity": 2, "coupon_code": "welcome10"}),
        )
        .await;
    assert_eq!(applied.status, StatusCode::OK, "{}", applied.text());
    assert_eq!(applied.json["discount"], json!(1000));
    assert_eq!(applied.json["total"], json!(9000));
    assert_eq!(applied.json["coupon"]["code"], "WELCOME10");
    assert_eq!(applied.json["coupon_error"], Value::Null);

    let r = d
        .quote(&d.product, json!({"quantity": 3, "coupon_code": "FIXE500"}))
        .await;
    assert_eq!(
        (r.json["discount"].clone(), r.json["total"].clone()),
        (json!(1500), json!(13500))
    );
    let r = d
        .quote(&d.product, json!({"quantity": 2, "coupon_code": "GRATUIT"}))
        .await;
    assert_eq!(
        (r.json["total"].clone(), r.json["due_today"].clone()),
        (json!(0), json!(0))
    );
    let r = d
        .quote(&d.product, json!({"quantity": 2, "coupon_code": "CAP2"}))
        .await;
    assert_eq!(r.json["coupon"]["code"], "CAP2");

    let starts = start_time() + 30 * DAY;
    for (link, quantity, code, reason) in [
        (&d.product, 1, "NOEL2024", json!({"reason": "expired"})),
        (
            &d.product,
            1,
            "BIENTOT",
            json!({"reason": "not_started", "starts_at": starts}),
        ),
        (&d.product, 1, "EPUISE", json!({"reason": "used_up"})),
        (
            &d.product,
            3,
            "CAP2",
            json!({"reason": "quantity_above_cap", "max_quantity": 2}),
        ),
        (
            &d.product,
            1,
            "AUTREPRODUIT",
            json!({"reason": "not_for_product"}),
        ),
        (&d.product, 1, "NOPE", json!({"reason": "unknown"})),
        (&d.instant, 1, "WELCOME10", json!({"reason": "not_allowed"})),
        (&d.usd, 1, "WELCOME10", json!({"reason": "not_allowed"})),
    ] {
        let r = d
            .quote(link, json!({"quantity": quantity, "coupon_code": code}))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{code}: {}", r.text());
        assert_eq!(r.json["coupon_error"], reason, "{code}");
        assert_eq!(r.json["discount"], json!(0), "{code}");
        assert_eq!(r.json["coupon"], Value::Null, "{code}");
    }
    // AUTREPRODUIT is for the podcast; the podcast link does not take coupons at all.
    let r = d
        .quote(&d.pwyw, json!({"coupon_code": "AUTREPRODUIT"}))
        .await;
    assert_eq!(r.json["coupon_error"], json!({"reason": "not_allowed"}));
}

#[tokio::test]
async fn plans_show_recurring_terms() {
    let d = demo();
    let r = d
        .app
        .public("GET", &format!("/api/checkout/links/{}", d.plan), None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let c = &r.json;
    assert_eq!(c["kind"], "plan");
    assert_eq!(
        c["recurring"],
        json!({"interval": "month", "first_payment_type": "initial", "trial_days": 14})
    );
    assert_eq!(c["allow_quantity"], json!(false));
    assert_eq!(c["quote"]["total"], json!(5000));
    assert_eq!(c["quote"]["due_today"], json!(0));
    assert_eq!(
        c["quote"]["recurring"]["next_charge_at"],
        json!(start_time() + 14 * DAY)
    );
    assert_eq!(c["quote"]["recurring"]["next_charge_amount"], json!(5000));
    let r = d.quote(&d.plan, json!({"quantity": 2})).await;
    assert_eq!(
        r.json["error"]["reason"],
        json!({"reason": "quantity_not_allowed"})
    );
    let r = d.quote(&d.plan, json!({"coupon_code": "WELCOME10"})).await;
    assert_eq!(r.json["discount"], json!(500));

    let r = d
        .app
        .public("GET", &format!("/api/checkout/links/{}", d.usd), None)
        .await;
    assert_eq!(r.json["currency"], "USD");
    assert_eq!(r.json["quote"]["total"], json!(1599));
    assert_eq!(r.json["title"], "Design review");
}

#[tokio::test]
async fn cors_is_open_on_the_public_api_only() {
    let d = demo();
    let path = format!("/api/checkout/links/{}", d.product);
    let r = d
        .app
        .send(
            "OPTIONS",
            &format!("{path}/quote"),
            &[
                ("Origin", "https://pay.example.ci"),
                ("Access-Control-Request-Method", "POST"),
                ("Access-Control-Request-Headers", "content-type"),
            ],
            None,
        )
        .await;
    assert!(r.status.is_success(), "{}", r.status);
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    let methods = r
        .header("access-control-allow-methods")
        .unwrap_or_default()
        .to_string();
    assert!(
        methods.contains("POST") && methods.contains("GET"),
        "{methods}"
    );
    assert!(r
        .header("access-control-allow-headers")
        .is_some_and(|h| h.to_ascii_lowercase().contains("content-type")));

    let r = d
        .app
        .send("GET", &path, &[("Origin", "https://pay.example.ci")], None)
        .await;
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));

    let key = d.app.key.clone();
    let r = d
        .app
        .send(
            "GET",
            "/payment-links",
            &[("Origin", "https://evil.example"), ("X-API-Key", &key)],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.header("access-control-allow-origin"),
        None,
        "the merchant API is server-to-server"
    );
}

// ---- demo seeding ------------------------------------------------------------------------------

/// Rows per table as the merchant API counts them: products, coupons, links, sessions.
async fn counts(state: &AppState) -> Vec<u64> {
    let app = common::wrap(state.clone());
    let mut out = Vec::new();
    for path in [
        "/products",
        "/coupons",
        "/payment-links?include_expired=true",
        "/checkout-sessions",
    ] {
        let r = app.get(path).await;
        out.push(r.json["pagination"]["total"].as_u64().unwrap());
    }
    out
}

#[tokio::test]
async fn seeding_twice_creates_nothing_new() {
    let dir = common::temp_dir("seed");
    let db_path = dir.join("nested").join("sandbox.db");
    let config = Config {
        db_path: db_path.to_string_lossy().into_owned(),
        seed_demo: true,
        api_key: None,
        ..common::config()
    };
    let clock = Clock::system();
    clock.set(start_time());
    let first = AppState::with_clock(&config, BASE, clock.clone()).unwrap();
    let links = lomi_sandbox::domain::demo::seed(&first).unwrap();
    let key = first.api_key().to_string();
    assert!(
        key.starts_with("lomi_sk_test_") && key.len() == 13 + 32,
        "{key}"
    );
    assert_eq!(counts(&first).await, vec![3, 8, 5, 1]);
    drop(first);

    // Restarting on the same file reuses everything, the random key included.
    let second = AppState::with_clock(&config, BASE, clock.clone()).unwrap();
    assert_eq!(second.api_key(), key);
    assert_eq!(lomi_sandbox::domain::demo::seed(&second).unwrap(), links);
    assert_eq!(counts(&second).await, vec![3, 8, 5, 1]);

    // Once the demo session has expired, seeding makes a fresh one and nothing else.
    clock.advance(2 * 3600);
    let fresh = lomi_sandbox::domain::demo::seed(&second).unwrap();
    assert_ne!(fresh.session, links.session);
    assert_eq!(fresh.instant, links.instant);
    assert_eq!(counts(&second).await, vec![3, 8, 5, 2]);
    assert_eq!(lomi_sandbox::domain::demo::seed(&second).unwrap(), fresh);

    // An explicit key replaces the stored one.
    let third = AppState::with_clock(
        &Config {
            api_key: Some("lomi_sk_test_chosen".to_string()),
            ..config.clone()
        },
        BASE,
        clock.clone(),
    )
    .unwrap();
    assert_eq!(third.api_key(), "lomi_sk_test_chosen");
    assert!(AppState::with_clock(
        &Config {
            api_key: Some("lomi_sk_live_nope".to_string()),
            ..config.clone()
        },
        BASE,
        clock,
    )
    .is_err());
    drop((second, third));
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn demo_merchant_api_view() {
    let d = demo();
    let r = d.app.get(&format!("/payment-links/{}", d.product)).await;
    assert_eq!(r.json["allow_quantity"], json!(true));
    assert_eq!(r.json["allow_coupon_code"], json!(true));
    assert_eq!(r.json["product_name"], "Pagne wax 6 yards");
    assert_eq!(r.json["product_price"], json!(5000));
    let r = d.app.get("/coupons?limit=100").await;
    let codes: Vec<&str> = r.json["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    for code in [
        "WELCOME10",
        "FIXE500",
        "NOEL2024",
        "BIENTOT",
        "EPUISE",
        "CAP2",
        "AUTREPRODUIT",
        "GRATUIT",
    ] {
        assert!(codes.contains(&code), "{code}");
    }
    let r = d
        .app
        .get(&format!("/checkout-sessions/{}", d.session))
        .await;
    assert_eq!(r.json["customer_name"], "Awa Diallo");
    assert_eq!(r.json["amount"], json!(10000));
}

// ---- the sandbox's own pages -------------------------------------------------------------------

#[tokio::test]
async fn home_lists_the_demo_and_serves_its_images() {
    let d = demo();
    let r = d.app.public("GET", "/", None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    let html = r.text();
    for id in [&d.instant, &d.product, &d.pwyw, &d.plan, &d.session, &d.usd] {
        assert!(html.contains(id.as_str()), "home lists {id}");
    }
    assert!(!html.contains(&d.app.key), "the key stays in the terminal");

    let r = d
        .app
        .public("GET", "/sandbox/assets/boutique-awa.svg", None)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header("content-type"), Some("image/svg+xml"));
    assert!(r.text().contains("<svg"));
    assert_eq!(
        d.app
            .public("GET", "/sandbox/assets/nope.svg", None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        d.app.public("GET", "/healthz", None).await.status,
        StatusCode::OK
    );

    let plain = app();
    let r = plain.public("GET", "/", None).await;
    assert!(r.text().contains("--seed-demo"));
}

#[tokio::test]
async fn openapi_lists_both_apis() {
    let app = app();
    let r = app.public("GET", "/openapi.json", None).await;
    assert_eq!(r.status, StatusCode::OK);
    let doc = &r.json;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    for path in [
        "/payment-links",
        "/payment-links/{id}",
        "/v1/payment-links",
        "/v1/payment-links/{id}",
        "/checkout-sessions",
        "/checkout-sessions/{id}",
        "/v1/checkout-sessions",
        "/products",
        "/products/{id}",
        "/coupons",
        "/coupons/{id}",
        "/api/checkout/links/{id}",
        "/api/checkout/links/{id}/quote",
        "/api/checkout/sessions/{id}",
        "/api/checkout/sessions/{id}/quote",
    ] {
        assert!(paths.contains_key(path), "missing {path}");
    }
    assert!(!paths.contains_key("/v1/api/checkout/links/{id}"));
    let link_ops = &paths["/payment-links/{id}"];
    for method in ["get", "patch", "delete"] {
        assert!(link_ops[method].is_object(), "{method}");
    }
    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(
        (
            &schemes["api_key"]["type"],
            &schemes["api_key"]["name"],
            &schemes["api_key"]["in"]
        ),
        (&json!("apiKey"), &json!("X-API-Key"), &json!("header"))
    );
    assert_eq!(schemes["lomi_api_key"]["name"], "X-Lomi-Api-Key");
    assert_eq!(
        (&schemes["bearer"]["type"], &schemes["bearer"]["scheme"]),
        (&json!("http"), &json!("bearer"))
    );
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for name in [
        "PaymentLink",
        "CheckoutSession",
        "Product",
        "CouponObject",
        "Price",
        "Transaction",
        "Customer",
        "PublicCheckout",
        "Quote",
        "QuoteRequest",
        "ErrorBody",
    ] {
        assert!(schemas.contains_key(name), "schema {name}");
    }
    // The v1 copy answers the same bare object, under its own operation id.
    let v1 = &paths["/v1/payment-links"]["post"];
    assert_eq!(
        v1["responses"]["201"]["content"]["application/json"]["schema"],
        json!({"$ref": "#/components/schemas/PaymentLink"})
    );
    assert_eq!(v1["operationId"], "v1_create_payment_link");
    for path in [
        "/prices",
        "/transactions/{id}",
        "/customers",
        "/v1/customers/{id}",
    ] {
        assert!(paths[path]["get"].is_object(), "{path}");
    }
    // Every $ref resolves.
    fn refs(value: &Value, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    match (k.as_str(), v) {
                        ("$ref", Value::String(r)) => out.push(r.clone()),
                        _ => refs(v, out),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }
    let mut all = Vec::new();
    refs(doc, &mut all);
    assert!(!all.is_empty());
    for r in all {
        let name = r.strip_prefix("#/components/schemas/").expect("schema ref");
        assert!(schemas.contains_key(name), "dangling {r}");
    }
    let ids: Vec<&str> = paths
        .values()
        .flat_map(|item| item.as_object().unwrap().values())
        .filter_map(|op| op["operationId"].as_str())
        .collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "operation ids are unique");
}
