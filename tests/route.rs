//! The page's own routing (`lomi_checkout::route`) in a real browser: which path is which
//! page, and navigation through the History API with Back.

use checkout_core::wire::CheckoutKind;
use leptos::prelude::*;
use leptos::task::tick;
use lomi_checkout::route::{
    percent_decode, query_value, route, use_navigate, use_params_map, use_query_map, use_route,
    NavigateOptions, Router,
};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn each_path_is_its_page() {
    use CheckoutKind::{Instant, Plan, Product, Session};
    for (path, page) in [
        ("/instant/i_1", Some((Instant, "i_1"))),
        ("/product/p_1", Some((Product, "p_1"))),
        ("/plan/pl_1", Some((Plan, "pl_1"))),
        ("/checkout/cs_1", Some((Session, "cs_1"))),
        ("/checkout/cs_1/", Some((Session, "cs_1"))),
        ("/product/a%20b", Some((Product, "a b"))),
        ("/product/%C3%A9+", Some((Product, "é+"))),
        // Malformed escapes: the id as written, where `decodeURIComponent` refuses it.
        ("/product/a%2", Some((Product, "a%2"))),
        ("/product/%FF", Some((Product, "%FF"))),
        ("", None),
        ("/", None),
        ("/product", None),
        ("/product/", None),
        ("/product/a/b", None),
        ("/session/cs_1", None),
        ("/checkout//", None),
        ("product/p_1", None),
    ] {
        let expected = page.map(|(kind, id)| (kind, id.to_string()));
        assert_eq!(route(path), expected, "{path}");
    }
}

/// The server has no browser: its decoders are Rust's, held here to the browser's.
#[wasm_bindgen_test]
fn the_servers_decoding_is_the_browsers() {
    for search in [
        "?payment=pay_1",
        "?lang=en&payment=pay%201&payment=second",
        "?payment=a%2Bb+c%",
        "?payment=%E9t%C3%A9&x",
        "?payment",
        "?payment=",
        "?=x&&payment=%zz",
        "payment=no-question-mark",
        "",
        "?pay%6Dent=escaped-name",
    ] {
        let browser = web_sys::UrlSearchParams::new_with_str(search)
            .unwrap()
            .get("payment");
        assert_eq!(query_value(search, "payment"), browser, "{search}");
    }
    for id in [
        "p_1",
        "a%20b",
        "%C3%A9+",
        "a%2",
        "%FF",
        "%e2%82%ac",
        "%%41",
        "%41%",
    ] {
        let browser = js_sys::decode_uri_component(id).ok().map(String::from);
        assert_eq!(percent_decode(id, false), browser, "{id}");
    }
}

/// What a page sees of the address, recorded each time it changes.
#[derive(Clone, Copy)]
struct Seen {
    route: Memo<Option<CheckoutKind>>,
    id: Memo<Option<String>>,
    payment: Memo<Option<String>>,
}

async fn until(condition: impl Fn() -> bool) {
    for _ in 0..100 {
        if condition() {
            return;
        }
        let wait = js_sys::Promise::new(&mut |resolve, _| {
            let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 10);
        });
        let _ = wasm_bindgen_futures::JsFuture::from(wait).await;
    }
    panic!("the address never changed");
}

#[wasm_bindgen_test]
async fn navigation_pushes_replaces_and_follows_back() {
    let history = window().history().unwrap();
    let location = window().location();
    let start = format!(
        "{}{}",
        location.pathname().unwrap(),
        location.search().unwrap()
    );
    history
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/product/p_1"))
        .unwrap();

    let seen = StoredValue::new(None::<Seen>);
    let navigate = StoredValue::new(None);
    let container = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&container).unwrap();
    let handle = leptos::mount::mount_to(container.unchecked_into(), move || {
        view! {
            <Router>
                {
                    let params = use_params_map();
                    let query = use_query_map();
                    seen.set_value(
                        Some(Seen {
                            route: use_route(),
                            id: Memo::new(move |_| params.read().get("id")),
                            payment: Memo::new(move |_| query.read().get("payment")),
                        }),
                    );
                    navigate.set_value(Some(use_navigate()));
                }
            </Router>
        }
    });
    let seen = seen.get_value().unwrap();
    let go = |to: &str, replace: bool| {
        navigate.with_value(|n| {
            n.as_ref().unwrap()(
                to,
                NavigateOptions {
                    replace,
                    ..Default::default()
                },
            )
        })
    };
    assert_eq!(seen.route.get_untracked(), Some(CheckoutKind::Product));
    assert_eq!(seen.id.get_untracked().as_deref(), Some("p_1"));
    assert_eq!(seen.payment.get_untracked(), None);

    // Paying replaces the link's page: Back never returns to a form that could pay again.
    let entries = history.length().unwrap();
    go("/checkout/cs_1?payment=pay_1", true);
    tick().await;
    assert_eq!(history.length().unwrap(), entries);
    assert_eq!(location.pathname().unwrap(), "/checkout/cs_1");
    assert_eq!(seen.route.get_untracked(), Some(CheckoutKind::Session));
    assert_eq!(seen.id.get_untracked().as_deref(), Some("cs_1"));
    assert_eq!(seen.payment.get_untracked().as_deref(), Some("pay_1"));

    // "Try again" adds an entry; Back returns to the payment, its query included.
    go("/checkout/cs_1", false);
    tick().await;
    assert_eq!(history.length().unwrap(), entries + 1);
    assert_eq!(seen.payment.get_untracked(), None);
    history.back().unwrap();
    until(|| seen.payment.get_untracked().is_some()).await;
    assert_eq!(seen.payment.get_untracked().as_deref(), Some("pay_1"));
    assert_eq!(seen.id.get_untracked().as_deref(), Some("cs_1"));

    // Going where the page already is keeps it there.
    go("/checkout/cs_1?payment=pay_1", false);
    tick().await;
    assert_eq!(location.search().unwrap(), "?payment=pay_1");
    assert_eq!(seen.payment.get_untracked().as_deref(), Some("pay_1"));

    go("/nowhere", true);
    tick().await;
    assert_eq!(seen.route.get_untracked(), None);
    assert_eq!(seen.id.get_untracked(), None);

    drop(handle);
    history
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&start))
        .unwrap();
}
