//! What the customer types or picks on the form, and the requests built from it: the quote
//! request while they choose, the pay request when they confirm. Components read and write
//! this state; none of them owns it.

use crate::draft::{self, Draft};
use crate::i18n::use_lang;
use crate::quote::QuoteProblem;
use checkout_core::customer::{BillingAddress, CustomerDetails, Field, FieldProblem};
use checkout_core::money::parse_decimal;
use checkout_core::payment::PayRequest;
use checkout_core::pricing::{check_chosen_amount, check_quantity, PricingModel, QuoteRequest};
use checkout_core::wire::{Provider, PublicCheckout};
use checkout_core::Money;
use leptos::prelude::*;

/// Everything the customer can type or pick. Text stays as typed (a half-typed amount is
/// not a number yet); it is read when a price is asked for or the form is submitted.
#[derive(Clone, Copy)]
pub struct FormState {
    pub quantity: RwSignal<String>,
    pub amount: RwSignal<String>,
    pub coupon_input: RwSignal<String>,
    /// The code sent with every quote once the customer applied it.
    pub coupon: RwSignal<Option<String>>,
    pub name: RwSignal<String>,
    pub email: RwSignal<String>,
    pub phone: RwSignal<String>,
    pub phone_country: RwSignal<String>,
    pub country: RwSignal<String>,
    pub city: RwSignal<String>,
    pub line1: RwSignal<String>,
    pub postal_code: RwSignal<String>,
    pub provider: RwSignal<Option<Provider>>,
    /// Shown after a submit, and cleared field by field as the customer fixes them.
    pub problems: RwSignal<Vec<(Field, FieldProblem)>>,
    pub provider_missing: RwSignal<bool>,
}

impl FormState {
    pub fn new(draft: Draft) -> Self {
        FormState {
            quantity: RwSignal::new(draft.quantity),
            amount: RwSignal::new(draft.amount),
            coupon_input: RwSignal::new(draft.coupon.clone().unwrap_or_default()),
            coupon: RwSignal::new(draft.coupon),
            name: RwSignal::new(draft.customer.name),
            email: RwSignal::new(draft.customer.email),
            phone: RwSignal::new(draft.customer.phone),
            phone_country: RwSignal::new(draft.customer.phone_country),
            country: RwSignal::new(draft.billing.country),
            city: RwSignal::new(draft.billing.city),
            line1: RwSignal::new(draft.billing.line1),
            postal_code: RwSignal::new(draft.billing.postal_code.unwrap_or_default()),
            provider: RwSignal::new(draft.provider),
            problems: RwSignal::new(Vec::new()),
            provider_missing: RwSignal::new(false),
        }
    }

    pub fn customer(&self) -> CustomerDetails {
        CustomerDetails {
            name: self.name.get(),
            email: self.email.get(),
            phone: self.phone.get(),
            phone_country: self.phone_country.get(),
        }
    }

    pub fn billing(&self) -> BillingAddress {
        let postal = self.postal_code.get();
        BillingAddress {
            country: self.country.get(),
            city: self.city.get(),
            line1: self.line1.get(),
            postal_code: (!postal.trim().is_empty()).then_some(postal),
        }
    }

    /// What a reload restores.
    pub fn draft(&self) -> Draft {
        Draft {
            quantity: self.quantity.get(),
            amount: self.amount.get(),
            coupon: self.coupon.get(),
            customer: self.customer(),
            billing: self.billing(),
            provider: self.provider.get(),
        }
    }

    /// The first problem with `field`, in the customer's language.
    pub fn problem(&self, field: Field) -> Signal<Option<String>> {
        let problems = self.problems;
        let lang = use_lang();
        Signal::derive(move || {
            problems.with(|all| {
                all.iter()
                    .find(|(f, _)| *f == field)
                    .map(|(f, p)| lang.get().field_problem(*f, p))
            })
        })
    }
}

/// The starting draft: what this tab already typed, else what the merchant knows.
pub fn initial_draft(checkout: &PublicCheckout) -> Draft {
    if let Some(saved) = draft::load(checkout.kind, &checkout.id) {
        return saved;
    }
    let country = checkout
        .merchant
        .country
        .clone()
        .filter(|c| checkout_core::phone::plan(c).is_some())
        .unwrap_or_else(|| checkout.currency.default_country().to_string());
    // `?coupon=`; the server renders without it (the app applies it when it takes over).
    let from_url = (!cfg!(feature = "ssr"))
        .then(|| window().location().search().unwrap_or_default())
        .and_then(|search| crate::i18n::query_param(&search, "coupon"));
    // A merchant's E.164 `customer_phone` shows as its country and national digits.
    let prefilled = checkout.customer.phone.clone().unwrap_or_default();
    let (phone_country, phone) = match checkout_core::phone::split_international(&prefilled) {
        Some((c, national)) => (c.to_string(), national),
        None => (country.clone(), prefilled),
    };
    Draft {
        quantity: checkout.quote.quantity.to_string(),
        amount: Money::new(checkout.quote.unit_amount, checkout.currency).major_string(),
        coupon: from_url
            .or_else(|| checkout.coupon_code.clone())
            .filter(|_| checkout.allow_coupon_code)
            .map(|c| normalize_code(&c)),
        customer: CustomerDetails {
            name: checkout.customer.name.clone().unwrap_or_default(),
            email: checkout.customer.email.clone().unwrap_or_default(),
            phone,
            phone_country,
        },
        billing: BillingAddress {
            country,
            ..Default::default()
        },
        provider: (checkout.allowed_providers.len() == 1).then(|| checkout.allowed_providers[0]),
    }
}

/// Reads the order choices as a quote request, or says what is wrong with them locally.
pub fn order_request(
    checkout: &PublicCheckout,
    form: &FormState,
) -> Result<QuoteRequest, QuoteProblem> {
    let quantity = if checkout.allow_quantity {
        // What is not a number is out of range as far as the customer is concerned.
        let typed = form.quantity.get().trim().parse().unwrap_or(0);
        Some(check_quantity(typed, checkout.max_quantity).map_err(QuoteProblem::Invalid)?)
    } else {
        None
    };
    let unit_amount = match checkout.pricing {
        PricingModel::PayWhatYouWant { minimum, maximum } => {
            let text = form.amount.get().replace([' ', '\u{a0}', '\u{202f}'], "");
            let amount = parse_decimal(&text.replace(',', "."), checkout.currency.digits())
                .map_err(QuoteProblem::Unreadable)?;
            Some(check_chosen_amount(amount, minimum, maximum).map_err(QuoteProblem::Invalid)?)
        }
        PricingModel::Standard => None,
    };
    Ok(QuoteRequest {
        quantity,
        unit_amount,
        coupon_code: form.coupon.get(),
    })
}

/// The order as confirmed, or `None` while its choices cannot be priced.
pub fn request_from(checkout: &PublicCheckout, form: &FormState) -> Option<PayRequest> {
    let order = order_request(checkout, form).ok()?;
    Some(PayRequest {
        quantity: order.quantity,
        unit_amount: order.unit_amount,
        coupon_code: order.coupon_code,
        customer: form.customer(),
        billing: checkout.require_billing_address.then(|| form.billing()),
        provider: form.provider.get_untracked(),
    })
}

/// A coupon code as the server compares it (`checkout_core::coupon::normalize_code`: trimmed,
/// upper-cased), upper-cased by the browser's `toUpperCase` (the same Unicode mapping): Rust's
/// case tables would add 4.5 KB of brotli wasm for it. Outside the browser, core's own.
pub fn normalize_code(code: &str) -> String {
    #[cfg(target_arch = "wasm32")]
    return js_sys::JsString::from(code.trim()).to_upper_case().into();
    #[cfg(not(target_arch = "wasm32"))]
    return checkout_core::coupon::normalize_code(code);
}
