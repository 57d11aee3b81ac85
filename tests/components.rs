//! Page components in a real headless Chromium (wasm-bindgen-test), fed the JSON shapes the
//! public API returns. The end-to-end suite drives the same screens through the sandbox.

use checkout_core::calendar::BillingInterval;
use checkout_core::pricing::{
    FirstPaymentType, PricingModel, Quote, RecurringQuote, RecurringTerms,
};
use checkout_core::wire::{
    CheckoutKind, CheckoutStatus, CustomerPrefill, OrderLine, Provider, PublicCheckout,
    PublicMerchant,
};
use checkout_core::{Currency, Money};
use leptos::prelude::*;
use leptos::task::tick;
use lomi_checkout::api::ApiFailure;
use lomi_checkout::components::layout::Layout;
use lomi_checkout::format;
use lomi_checkout::i18n::{provide_lang, query_param, Lang};
use lomi_checkout::pages::checkout::{Checkout, LoadFailure};
use lomi_checkout::route::Router;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

/// Intl writes narrow and plain no-break spaces; customers see spaces.
fn spaces(text: &str) -> String {
    text.replace(['\u{202f}', '\u{a0}'], " ")
}

fn product(currency: Currency, unit: i64, quantity: u32) -> PublicCheckout {
    let subtotal = unit * i64::from(quantity);
    PublicCheckout {
        kind: CheckoutKind::Product,
        id: "f0e1d2c3-0000-4000-8000-000000000001".into(),
        status: CheckoutStatus::Open,
        test_mode: true,
        merchant: PublicMerchant {
            name: "Boutique Awa".into(),
            logo_url: None,
            country: Some("CI".into()),
        },
        title: "Pagne wax 6 yards".into(),
        description: Some("Coton imprimé, fait à Abidjan".into()),
        image_url: None,
        currency,
        pricing: PricingModel::Standard,
        allow_quantity: true,
        max_quantity: 99,
        allow_coupon_code: true,
        require_billing_address: true,
        allowed_providers: vec![Provider::Wave, Provider::Orange],
        recurring: None,
        expires_at: None,
        customer: CustomerPrefill::default(),
        coupon_code: None,
        quote: Quote {
            currency,
            unit_amount: unit,
            quantity,
            subtotal,
            discount: 0,
            fees: 0,
            total: subtotal,
            due_today: subtotal,
            coupon: None,
            coupon_error: None,
            recurring: None,
        },
        cancel_url: None,
        payment: None,
        expires_in_seconds: None,
        lines: vec![],
    }
}

/// A two-line cart: 2 pagnes at 5 000 and a bag at 12 500, quantities fixed by the merchant.
fn cart() -> PublicCheckout {
    let lines = vec![
        OrderLine {
            name: "Pagne wax".into(),
            quantity: 2,
            unit_amount: 5_000,
            amount: 10_000,
        },
        OrderLine {
            name: "Sac en raphia".into(),
            quantity: 1,
            unit_amount: 12_500,
            amount: 12_500,
        },
    ];
    PublicCheckout {
        kind: CheckoutKind::Session,
        title: "Commande 42".into(),
        allow_quantity: false,
        lines,
        ..product(Currency::Xof, 22_500, 1)
    }
}

/// Mounts `view` in its own container with the language set, and returns the container.
fn mount<V: IntoView + 'static>(
    lang: Lang,
    view: impl FnOnce() -> V + Send + 'static,
) -> HtmlElement {
    let container: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&container).unwrap();
    let handle = leptos::mount::mount_to(container.clone(), move || {
        provide_lang(lang);
        view! { <Router>{view()}</Router> }
    });
    // The container is dropped with the page; keeping the view alive is what we need.
    std::mem::forget(handle);
    container
}

fn text_of(container: &HtmlElement, testid: &str) -> String {
    let element = container
        .query_selector(&format!("[data-testid='{testid}']"))
        .unwrap()
        .unwrap_or_else(|| panic!("no element with data-testid={testid}"));
    spaces(&element.text_content().unwrap_or_default())
}

fn has(container: &HtmlElement, testid: &str) -> bool {
    container
        .query_selector(&format!("[data-testid='{testid}']"))
        .unwrap()
        .is_some()
}

fn button_named(container: &HtmlElement, name: &str) -> HtmlElement {
    let buttons = container.query_selector_all("button").unwrap();
    (0..buttons.length())
        .filter_map(|i| buttons.item(i))
        .map(|b| b.unchecked_into::<HtmlElement>())
        .find(|b| b.text_content().unwrap_or_default().trim() == name)
        .unwrap_or_else(|| panic!("no button named {name}"))
}

#[wasm_bindgen_test]
fn language_comes_from_the_query_then_the_browser_then_french() {
    let browser = |tags: &[&str]| tags.iter().map(|t| t.to_string()).collect::<Vec<_>>();
    assert_eq!(Lang::choose(Some("en"), &browser(&["fr-CI"])), Lang::En);
    assert_eq!(
        Lang::choose(Some("xx"), &browser(&["wo", "en-GB"])),
        Lang::En
    );
    assert_eq!(Lang::choose(None, &browser(&["fr-SN", "en"])), Lang::Fr);
    assert_eq!(Lang::choose(None, &browser(&["wo"])), Lang::Fr);
    assert_eq!(Lang::choose(None, &[]), Lang::Fr);
    assert_eq!(Lang::parse("en_GB"), Some(Lang::En));
    assert_eq!(query_param("?a=1&lang=en", "lang").as_deref(), Some("en"));
    assert_eq!(query_param("", "lang"), None);
}

#[wasm_bindgen_test]
fn money_is_written_per_currency_and_locale() {
    assert_eq!(
        spaces(&format::money(Lang::Fr, Money::new(5000, Currency::Xof))),
        "5 000 F CFA"
    );
    assert_eq!(
        spaces(&format::money(Lang::En, Money::new(5000, Currency::Xof))),
        "XOF 5,000"
    );
    assert_eq!(
        format::money(Lang::En, Money::new(1599, Currency::Usd)),
        "$15.99"
    );
    assert_eq!(
        spaces(&format::money(Lang::Fr, Money::new(1599, Currency::Usd))),
        "15,99 $US"
    );
    assert_eq!(
        spaces(&format::money(
            Lang::Fr,
            Money::new(1_234_567, Currency::Xof)
        )),
        "1 234 567 F CFA"
    );
}

#[wasm_bindgen_test]
async fn summary_in_french_shows_server_amounts_in_cfa_francs() {
    let c = mount(
        Lang::Fr,
        || view! { <Checkout checkout=product(Currency::Xof, 5000, 3) /> },
    );
    tick().await;
    assert_eq!(text_of(&c, "checkout-title"), "Pagne wax 6 yards");
    assert_eq!(text_of(&c, "merchant-name"), "Paiement à Boutique Awa");
    assert_eq!(text_of(&c, "summary-unit-price"), "5 000 F CFA");
    assert_eq!(text_of(&c, "summary-quantity"), "3");
    assert_eq!(text_of(&c, "summary-subtotal"), "15 000 F CFA");
    assert_eq!(text_of(&c, "summary-total"), "15 000 F CFA");
    assert!(
        !has(&c, "summary-due-today"),
        "one-off order: total is what is due"
    );
    assert!(text_of(&c, "test-mode-banner").contains("Mode test"));
}

#[wasm_bindgen_test]
async fn summary_in_english_and_in_dollars() {
    let c = mount(
        Lang::En,
        || view! { <Checkout checkout=product(Currency::Xof, 5000, 1) /> },
    );
    tick().await;
    assert_eq!(text_of(&c, "summary-total"), "XOF 5,000");
    assert!(text_of(&c, "test-mode-banner").contains("Test mode"));

    let c = mount(
        Lang::En,
        || view! { <Checkout checkout=product(Currency::Usd, 1599, 1) /> },
    );
    tick().await;
    assert_eq!(text_of(&c, "summary-total"), "$15.99");
}

/// The cart's lines as the customer reads them, one string per line.
fn lines_of(container: &HtmlElement) -> Vec<String> {
    let found = container
        .query_selector_all("[data-testid='summary-line']")
        .expect("selector");
    (0..found.length())
        .filter_map(|i| found.item(i))
        .map(|node| {
            let text = spaces(&node.text_content().unwrap_or_default());
            text.split_whitespace().collect::<Vec<_>>().join(" ")
        })
        .collect()
}

#[wasm_bindgen_test]
async fn a_cart_lists_each_line_in_both_languages() {
    let c = mount(Lang::Fr, || view! { <Checkout checkout=cart() /> });
    tick().await;
    assert_eq!(
        lines_of(&c),
        [
            "Pagne wax 2 × 5 000 F CFA 10 000 F CFA",
            "Sac en raphia 1 × 12 500 F CFA 12 500 F CFA"
        ]
    );
    assert_eq!(text_of(&c, "summary-subtotal"), "22 500 F CFA");
    assert!(
        !has(&c, "summary-unit-price"),
        "a cart has no one unit price"
    );
    assert!(
        !has(&c, "quantity"),
        "a cart's quantities are the merchant's"
    );
    let list = c
        .query_selector("[data-testid='summary-lines']")
        .unwrap()
        .unwrap();
    assert_eq!(
        list.get_attribute("aria-label").as_deref(),
        Some("Articles")
    );

    let c = mount(Lang::En, || view! { <Checkout checkout=cart() /> });
    tick().await;
    assert_eq!(
        lines_of(&c),
        [
            "Pagne wax 2 × XOF 5,000 XOF 10,000",
            "Sac en raphia 1 × XOF 12,500 XOF 12,500"
        ]
    );
}

#[wasm_bindgen_test]
async fn merchant_text_is_text_never_markup() {
    let mut hostile = product(Currency::Xof, 5000, 1);
    hostile.title = "<img src=x onerror=alert(1)>".into();
    hostile.description = Some("<script>window.pwned = true</script>".into());
    let c = mount(Lang::Fr, move || view! { <Checkout checkout=hostile /> });
    tick().await;
    assert_eq!(
        text_of(&c, "checkout-title"),
        "<img src=x onerror=alert(1)>"
    );
    assert!(c.query_selector("h1 img").unwrap().is_none());
    assert!(c.query_selector("script").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn plan_with_trial_shows_nothing_due_today_and_the_next_charge() {
    let mut plan = product(Currency::Xof, 5000, 1);
    plan.kind = CheckoutKind::Plan;
    plan.recurring = Some(RecurringTerms {
        interval: BillingInterval::Month,
        first_payment_type: FirstPaymentType::Initial,
        trial_days: 14,
    });
    plan.quote.due_today = 0;
    // 2026-12-05T09:00:00Z
    plan.quote.recurring = Some(RecurringQuote {
        interval: BillingInterval::Month,
        trial_days: 14,
        next_charge_amount: 5000,
        next_charge_at: 1_796_461_200,
    });
    let c = mount(Lang::Fr, move || view! { <Checkout checkout=plan /> });
    tick().await;
    assert_eq!(text_of(&c, "summary-unit-price"), "5 000 F CFA / mois");
    assert_eq!(text_of(&c, "summary-due-today"), "0 F CFA");
    assert_eq!(text_of(&c, "summary-trial"), "Essai gratuit de 14 jours");
    let next = text_of(&c, "summary-next-charge");
    assert!(
        next.starts_with("Puis 5 000 F CFA / mois à partir du 5 déc"),
        "{next}"
    );
}

#[wasm_bindgen_test]
async fn pay_what_you_want_shows_its_bounds() {
    let mut pwyw = product(Currency::Xof, 5000, 1);
    pwyw.pricing = PricingModel::PayWhatYouWant {
        minimum: 1000,
        maximum: Some(50_000),
    };
    let c = mount(Lang::Fr, move || view! { <Checkout checkout=pwyw /> });
    tick().await;
    assert_eq!(
        text_of(&c, "summary-pwyw"),
        "Montant libre, entre 1 000 F CFA et 50 000 F CFA"
    );
}

#[wasm_bindgen_test]
async fn each_unavailable_state_says_why_in_the_customers_language() {
    for (status, kind, testid, fr) in [
        (
            CheckoutStatus::Inactive,
            CheckoutKind::Instant,
            "state-inactive",
            "Ce lien n’est plus actif",
        ),
        (
            CheckoutStatus::Expired,
            CheckoutKind::Instant,
            "state-expired",
            "Ce lien a expiré",
        ),
        (
            CheckoutStatus::Completed,
            CheckoutKind::Session,
            "state-completed",
            "Paiement déjà effectué",
        ),
    ] {
        let mut checkout = product(Currency::Xof, 5000, 1);
        checkout.status = status;
        checkout.kind = kind;
        let c = mount(Lang::Fr, move || view! { <Checkout checkout /> });
        tick().await;
        assert!(text_of(&c, testid).contains(fr), "{testid}");
        assert!(text_of(&c, testid).contains("Pagne wax 6 yards · Boutique Awa"));
        assert!(!has(&c, "summary-total"), "{testid}: nothing to pay");
    }
    let mut session = product(Currency::Xof, 5000, 1);
    session.status = CheckoutStatus::Expired;
    session.kind = CheckoutKind::Session;
    let c = mount(Lang::En, move || view! { <Checkout checkout=session /> });
    tick().await;
    assert!(text_of(&c, "state-expired").contains("checkout session has expired"));
}

#[wasm_bindgen_test]
async fn unreachable_api_offers_a_retry_that_retries() {
    let retries = Arc::new(AtomicU32::new(0));
    let counter = retries.clone();
    let c = mount(Lang::Fr, move || {
        let retry = move || {
            counter.fetch_add(1, Ordering::SeqCst);
        };
        view! { <LoadFailure failure=ApiFailure::Unreachable retry /> }
    });
    tick().await;
    assert!(text_of(&c, "state-unreachable").contains("Connexion impossible"));
    assert!(text_of(&c, "state-unreachable").contains("Aucun paiement n’a été effectué."));
    button_named(&c, "Réessayer").click();
    button_named(&c, "Réessayer").click();
    assert_eq!(retries.load(Ordering::SeqCst), 2);
}

#[wasm_bindgen_test]
async fn not_found_is_its_own_screen() {
    let c = mount(
        Lang::En,
        || view! { <LoadFailure failure=ApiFailure::NotFound retry=|| {} /> },
    );
    tick().await;
    assert!(text_of(&c, "state-not-found").contains("Payment link not found"));
}

#[wasm_bindgen_test]
async fn language_switch_changes_every_string_and_the_document_language() {
    let c = mount(Lang::Fr, || {
        view! {
            <Layout>
                <Checkout checkout=product(Currency::Xof, 5000, 2) />
            </Layout>
        }
    });
    tick().await;
    assert_eq!(text_of(&c, "summary-total"), "10 000 F CFA");
    let english = button_named(&c, "English");
    assert_eq!(
        english.get_attribute("aria-pressed").as_deref(),
        Some("false")
    );
    english.click();
    tick().await;
    assert_eq!(text_of(&c, "summary-total"), "XOF 10,000");
    assert_eq!(
        english.get_attribute("aria-pressed").as_deref(),
        Some("true")
    );
    assert_eq!(
        document()
            .document_element()
            .unwrap()
            .get_attribute("lang")
            .as_deref(),
        Some("en")
    );
    assert!(window().location().search().unwrap().contains("lang=en"));
    button_named(&c, "Français").click();
    tick().await;
    assert_eq!(text_of(&c, "summary-total"), "10 000 F CFA");
}

/// A promise-backed sleep, so fake quote answers can arrive out of order.
async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

fn priced(quantity: u32) -> Quote {
    let mut quote = product(Currency::Xof, 5000, quantity).quote;
    quote.quantity = quantity;
    quote
}

#[wasm_bindgen_test]
async fn quotes_are_debounced_and_the_last_input_wins() {
    use checkout_core::pricing::QuoteRequest;
    use lomi_checkout::quote::{QuoteFetch, Quoter, DEBOUNCE};
    use std::cell::RefCell;
    use std::rc::Rc;

    let sent: Rc<RefCell<Vec<u32>>> = Rc::default();
    let aborted: Rc<RefCell<Vec<u32>>> = Rc::default();
    let (log, cancelled) = (sent.clone(), aborted.clone());
    // The first request answers slowly, the second fast: the answers cross.
    let fetch: QuoteFetch = Rc::new(
        move |request: QuoteRequest, controller: web_sys::AbortController| {
            let quantity = request.quantity.unwrap();
            log.borrow_mut().push(quantity);
            let cancelled = cancelled.clone();
            Box::pin(async move {
                sleep(if quantity == 2 { 800 } else { 50 }).await;
                if controller.signal().aborted() {
                    cancelled.borrow_mut().push(quantity);
                }
                Ok(priced(quantity))
            })
        },
    );
    let owner = Owner::new();
    owner.set();
    let quoter = Quoter::new(priced(1), fetch);

    // Typing 1 → 12 → 2 quickly is one request, for 2.
    for q in [1, 12, 2] {
        quoter.request(QuoteRequest {
            quantity: Some(q),
            ..Default::default()
        });
        sleep(50).await;
    }
    sleep(DEBOUNCE.as_millis() as i32 + 50).await;
    assert_eq!(*sent.borrow(), vec![2], "debounced to the last value");
    assert!(quoter.pending.get_untracked());

    // While 2's slow answer is in flight the customer picks 3: 2 is aborted, and its late
    // answer must not overwrite 3's.
    quoter.request(QuoteRequest {
        quantity: Some(3),
        ..Default::default()
    });
    sleep(DEBOUNCE.as_millis() as i32 + 1000).await;
    assert_eq!(*sent.borrow(), vec![2, 3]);
    assert_eq!(
        *aborted.borrow(),
        vec![2],
        "the superseded request was cancelled"
    );
    assert_eq!(
        quoter.quote.get_untracked().quantity,
        3,
        "the last input wins"
    );
    assert!(!quoter.pending.get_untracked());
}

#[wasm_bindgen_test]
fn coupon_codes_are_upper_cased_as_the_server_does() {
    for typed in [
        "  welcome10 ",
        "Noël2024",
        "straße",
        "ǆ ﬁ ŉ",
        "\u{3000}été\t",
        "",
    ] {
        assert_eq!(
            lomi_checkout::form::normalize_code(typed),
            checkout_core::coupon::normalize_code(typed),
            "{typed:?}"
        );
    }
}

#[wasm_bindgen_test]
fn retry_after_is_whole_seconds_within_reason() {
    use lomi_checkout::api::retry_after_seconds;
    assert_eq!(retry_after_seconds(Some("3")), 3);
    assert_eq!(retry_after_seconds(Some(" 12 ")), 12);
    assert_eq!(retry_after_seconds(Some("0")), 1);
    assert_eq!(retry_after_seconds(Some("3600")), 30);
    assert_eq!(
        retry_after_seconds(Some("Wed, 21 Oct 2026 07:28:00 GMT")),
        5
    );
    assert_eq!(retry_after_seconds(None), 5);
}

#[wasm_bindgen_test]
async fn a_429_is_waited_out_with_a_notice_then_the_same_call_is_sent_again() {
    use js_sys::{Function, Reflect};
    use lomi_checkout::api;
    use std::cell::RefCell;
    use std::rc::Rc;
    use wasm_bindgen::JsValue;

    let c = mount(Lang::En, || view! { <Layout><p>"Checkout"</p></Layout> });
    tick().await;
    let notice = c
        .query_selector("[data-testid='rate-limited']")
        .unwrap()
        .unwrap();
    assert_eq!(notice.get_attribute("role").as_deref(), Some("status"));
    assert_eq!(text_of(&c, "rate-limited"), "");

    // The browser's fetch, replaced: the API's rate limit answers first (Retry-After: 1),
    // then the payment the page polls. Every request it is sent is recorded.
    let payment = r#"{"id":"pay_1","session_id":"cs_1","started_from":{"kind":"instant","id":"l1"},
        "status":"pending","provider":"MTN","amount":5000,"currency":"XOF",
        "next_action":{"type":"none"},"failure":null,"success_url":null,"cancel_url":null,
        "transaction_id":null,"created_at":1768473000,"usual_wait_seconds":30,"waited_seconds":4}"#;
    // Other tests run meanwhile: their requests go to the browser's own fetch.
    let original = Reflect::get(&window(), &"fetch".into()).unwrap();
    let fake = Function::new_with_args(
        "body, original",
        "const sent = [];
         const fetch = (url, init) => {
           if (!String(url).endsWith('/api/checkout/payments/pay_1')) return original.call(window, url, init);
           sent.push(init.method + ' ' + url);
           return Promise.resolve(sent.length === 1
             ? new Response('{\"error\":{\"status\":429,\"code\":\"RATE_LIMITED\",\"message\":\"Too many\",\"timestamp\":\"2026-01-15T10:30:00Z\"}}',
                 {status: 429, headers: {'Retry-After': '1', 'Content-Type': 'application/json'}})
             : new Response(body, {status: 200, headers: {'Content-Type': 'application/json'}}));
         };
         fetch.sent = sent;
         return fetch;",
    )
    .call2(&JsValue::NULL, &payment.into(), &original)
    .unwrap();
    Reflect::set(&window(), &"fetch".into(), &fake).unwrap();

    let answer = Rc::new(RefCell::new(None));
    let slot = answer.clone();
    leptos::task::spawn_local(async move {
        let result = api::fetch_payment("pay_1").await;
        *slot.borrow_mut() = Some(result);
    });
    sleep(400).await;
    let waiting = text_of(&c, "rate-limited");
    let done_early = answer.borrow().is_some();
    sleep(1_200).await;
    Reflect::set(&window(), &"fetch".into(), &original).unwrap();

    assert!(!done_early, "the call waits out the Retry-After");
    assert_eq!(
        waiting,
        "Many requests right now. Trying again automatically in a few seconds…"
    );
    let answer = answer.borrow_mut().take().expect("answered");
    let payment = answer.expect("the retry's answer, never a failure");
    assert_eq!((payment.id.as_str(), payment.waited_seconds), ("pay_1", 4));
    assert_eq!(
        text_of(&c, "rate-limited"),
        "",
        "the notice goes once answered"
    );
    let sent = Reflect::get(&fake, &"sent".into()).unwrap();
    let sent: Vec<String> = js_sys::Array::from(&sent)
        .iter()
        .filter_map(|s| s.as_string())
        .collect();
    assert_eq!(sent.len(), 2, "{sent:?}");
    assert_eq!(sent[0], sent[1], "the same request, sent again");
    assert!(sent[0].starts_with("GET ") && sent[0].ends_with("/api/checkout/payments/pay_1"));
}
