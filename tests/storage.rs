//! What the page keeps in the tab's session storage, read back in a real browser: the
//! customer's draft, including one saved by an earlier build (serde wrote it then).

use checkout_core::customer::{BillingAddress, CustomerDetails};
use checkout_core::wire::{CheckoutKind, Provider};
use lomi_checkout::draft::{self, Draft};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn storage() -> web_sys::Storage {
    web_sys::window()
        .unwrap()
        .session_storage()
        .unwrap()
        .unwrap()
}

#[wasm_bindgen_test]
fn a_draft_reads_back_as_saved() {
    let saved = Draft {
        quantity: "2".into(),
        amount: "15 000".into(),
        coupon: Some("BIENVENUE".into()),
        customer: CustomerDetails {
            name: "Awa \"Koné\"\n".into(),
            email: "awa@example.ci".into(),
            phone: "07 08 09 10 11".into(),
            phone_country: "CI".into(),
        },
        billing: BillingAddress {
            country: "SN".into(),
            city: "Dakar".into(),
            line1: "12 rue Carnot".into(),
            postal_code: None,
        },
        provider: Some(Provider::Wave),
    };
    draft::save(CheckoutKind::Product, "p_1", &saved);
    assert_eq!(draft::load(CheckoutKind::Product, "p_1"), Some(saved));
    draft::clear(CheckoutKind::Product, "p_1");
    assert_eq!(draft::load(CheckoutKind::Product, "p_1"), None);
}

#[wasm_bindgen_test]
fn a_draft_from_an_earlier_build_still_restores() {
    let earlier = r#"{"quantity":"1","amount":"","coupon":null,"customer":{"name":"Awa","email":"","phone":"","phone_country":"CI"},"billing":{"country":"","city":"","line1":"","postal_code":null},"provider":"ORANGE"}"#;
    storage()
        .set_item("lomi-checkout:draft:checkout:cs_1", earlier)
        .unwrap();
    let draft = draft::load(CheckoutKind::Session, "cs_1").expect("restored");
    assert_eq!(draft.customer.name, "Awa");
    assert_eq!(draft.customer.phone_country, "CI");
    assert_eq!(draft.provider, Some(Provider::Orange));
    storage()
        .set_item("lomi-checkout:draft:checkout:cs_1", "{not json")
        .unwrap();
    assert_eq!(draft::load(CheckoutKind::Session, "cs_1"), None);
}
