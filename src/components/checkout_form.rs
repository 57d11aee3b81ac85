use crate::api;
use crate::components::back_to_merchant::BackToMerchant;
use crate::components::billing::BillingFields;
use crate::components::contact::ContactFields;
use crate::components::coupon::CouponField;
use crate::components::expiry::ExpiryCountdown;
use crate::components::provider_choice::ProviderChoice;
use crate::components::pwyw_amount::PwywAmount;
use crate::components::quantity::QuantityStepper;
use crate::components::status_card::{StatusCard, Tone};
use crate::components::summary::OrderSummary;
use crate::draft;
use crate::form::{initial_draft, order_request, FormState};
use crate::format;
use crate::i18n::{tr, tr_string, use_lang, Msg, PayMsg};
use crate::quote::{QuoteFetch, QuoteProblem, Quoter};
use checkout_core::customer::{self, Field};
use checkout_core::pricing::{PricingModel, QuoteRequest};
use checkout_core::providers;
use checkout_core::wire::PublicCheckout;
use checkout_core::Money;
use leptos::prelude::*;
use std::rc::Rc;

/// The order controls, the customer's details and the provider choice, with the server's
/// price kept current as they change.
#[component]
pub fn CheckoutForm(
    checkout: PublicCheckout,
    /// Called with the validated form when the customer confirms.
    #[prop(into)]
    on_submit: Callback<FormState>,
    /// A payment is being started: the pay button stays disabled until the answer.
    #[prop(into)]
    busy: Signal<bool>,
    /// Why the last attempt to pay did not start, in the customer's language.
    #[prop(into)]
    pay_error: Signal<Option<String>>,
) -> impl IntoView {
    let lang = use_lang();
    let form = FormState::new(initial_draft(&checkout));
    let (kind, id) = (checkout.kind, checkout.id.clone());
    let fetch: QuoteFetch = {
        let id = id.clone();
        Rc::new(move |request, controller| {
            let id = id.clone();
            Box::pin(async move { api::fetch_quote(kind, &id, &request, Some(controller)).await })
        })
    };
    let quoter = Quoter::new(checkout.quote.clone(), fetch);
    let expired = RwSignal::new(false);

    // Every change is saved for a reload; nothing secret is in the form state.
    Effect::new({
        let id = id.clone();
        move || draft::save(kind, &id, &form.draft())
    });

    // Re-price whenever an order choice changes. The first run only asks when the restored
    // draft differs from what the server priced on load.
    let shared = StoredValue::new(checkout.clone());
    let loaded = QuoteRequest {
        quantity: checkout.allow_quantity.then_some(checkout.quote.quantity),
        unit_amount: matches!(checkout.pricing, PricingModel::PayWhatYouWant { .. })
            .then_some(checkout.quote.unit_amount),
        coupon_code: None,
    };
    Effect::new(move |previous: Option<Option<QuoteRequest>>| {
        let request = shared.with_value(|c| order_request(c, &form));
        match &request {
            Err(problem) => quoter.refuse(problem.clone()),
            Ok(req) => {
                let unchanged = match &previous {
                    Some(prev) => prev.as_ref() == Some(req),
                    None => *req == loaded,
                };
                if !unchanged {
                    quoter.request(req.clone());
                }
            }
        }
        request.ok()
    });

    let currency = checkout.currency;
    let money = move |amount: i64| format::money(lang.get(), Money::new(amount, currency));
    let quote = quoter.quote;
    let pay_label = {
        let has_trial = checkout
            .recurring
            .as_ref()
            .is_some_and(|r| r.trial_days > 0);
        move || {
            let q = quote.get();
            if has_trial && q.due_today == 0 {
                lang.get().t(Msg::StartTrial).to_string()
            } else if q.due_today == 0 {
                lang.get().t(Msg::ConfirmFree).to_string()
            } else {
                lang.get().pay(&money(q.due_today))
            }
        }
    };
    let authorisation = checkout.recurring.clone().map(|terms| {
        let merchant = checkout.merchant.name.clone();
        move || {
            let amount = format!(
                "{} / {}",
                money(
                    quote
                        .get()
                        .recurring
                        .map(|r| r.next_charge_amount)
                        .unwrap_or(0)
                ),
                lang.get().per_interval(terms.interval)
            );
            lang.get().recurring_authorisation(&merchant, &amount)
        }
    });

    let allowed = checkout.allowed_providers.clone();
    let require_billing = checkout.require_billing_address;
    // Only an order with nothing to pay at all goes without a provider: a trial still needs
    // the method its later charges will use.
    let free = move || quote.with(|q| q.total == 0);
    let coupon_refused =
        move || form.coupon.get().is_some() && quote.with(|q| q.coupon_error.is_some());
    let check = move || {
        let provider = form.provider.get();
        let phone_required = provider.is_some_and(providers::needs_phone) && !free();
        let mut problems = customer::check_contact(&form.customer(), phone_required);
        if require_billing {
            problems.extend(customer::check_billing(&form.billing()));
        }
        (problems, provider.is_none() && !free())
    };
    // After the first submit, every edit re-checks, so a fixed field stops being red at once.
    let submitted = RwSignal::new(false);
    Effect::new(move || {
        if submitted.get() {
            let (problems, provider_missing) = check();
            form.problems.set(problems);
            form.provider_missing.set(provider_missing);
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if expired.get_untracked() || busy.get_untracked() {
            return;
        }
        submitted.set(true);
        let (problems, provider_missing) = untrack(check);
        if let Some((field, _)) = problems.first() {
            focus(field_id(*field));
            return;
        }
        if untrack(coupon_refused) {
            focus("coupon-code");
            return;
        }
        if provider_missing {
            focus("provider-choice");
            return;
        }
        if quoter.pending.get_untracked() || quoter.problem.get_untracked().is_some() {
            return;
        }
        on_submit.run(form);
    };

    // Rendered on the server, the controls wait for the app: nothing typed before it takes
    // over could be kept.
    let locked = move || cfg!(feature = "ssr") || expired.get() || busy.get();
    let blocked = move || {
        quoter.pending.get() || quoter.problem.get().is_some() || expired.get() || coupon_refused()
    };
    let summary = checkout.clone();
    let expired_body = Msg::expired_body(checkout.kind);
    let cancel = view! {
        <BackToMerchant url=checkout.cancel_url.clone() merchant=checkout.merchant.name.clone() wide=true />
    };
    view! {
        // At zero the session is over: say so first, and lock what is below.
        <Show when=move || expired.get()>
            <StatusCard
                tone=Tone::Warning
                title=tr_string(Msg::ExpiredTitle)
                body=Signal::derive(move || lang.get().t(expired_body).to_string())
                testid="state-expired"
            />
        </Show>
        // Phones: one column, the summary first. Wide screens: the summary beside the form.
        <div class="checkout-layout">
        <div class="summary-column">
        <OrderSummary checkout=summary quote=quote />
        {checkout
            .expires_at
            .clone()
            .map(|at| view! { <ExpiryCountdown expires_at=at expires_in=checkout.expires_in_seconds expired /> })}
        </div>
        <form class="card checkout-form" novalidate on:submit=submit aria-label=tr(Msg::OrderSummary)>
            <fieldset disabled=locked>
                {checkout
                    .allow_quantity
                    .then(|| view! { <QuantityStepper value=form.quantity max=checkout.max_quantity quoter /> })}
                {match checkout.pricing {
                    PricingModel::PayWhatYouWant { minimum, maximum } => {
                        Some(view! { <PwywAmount value=form.amount currency minimum maximum quoter /> })
                    }
                    PricingModel::Standard => None,
                }}
                {checkout
                    .allow_coupon_code
                    .then(|| {
                        view! {
                            <CouponField input=form.coupon_input applied=form.coupon quoter currency />
                        }
                    })}
                <p class="price-status" role="status" data-testid="price-status">
                    {move || {
                        if quoter.pending.get() {
                            Some(lang.get().t(Msg::PriceUpdating))
                        } else if matches!(quoter.problem.get(), Some(QuoteProblem::Failed(_))) {
                            Some(lang.get().t(Msg::PriceUnavailable))
                        } else {
                            None
                        }
                    }}
                </p>
                <ContactFields form />
                {require_billing.then(|| view! { <BillingFields form /> })}
                <ProviderChoice providers=allowed form quote currency />
                {authorisation.map(|text| view! { <p class="notice" data-testid="recurring-authorisation">{text}</p> })}
                <p class="form-error" role="alert" data-testid="form-error">
                    {move || {
                        (!form.problems.get().is_empty() || form.provider_missing.get()
                            || (submitted.get() && coupon_refused()))
                            .then(|| lang.get().t(Msg::FixErrors))
                    }}
                </p>
                <p class="form-error" role="alert" data-testid="pay-error">{move || pay_error.get()}</p>
                <button
                    type="submit"
                    class="button pay"
                    data-testid="pay-button"
                    disabled=move || busy.get()
                    aria-disabled=move || blocked().to_string()
                >
                    {move || if busy.get() { lang.get().p(PayMsg::Paying).to_string() } else { pay_label() }}
                </button>
            </fieldset>
            {cancel}
        </form>
        </div>
    }
}

pub fn field_id(field: Field) -> &'static str {
    match field {
        Field::Name => "customer-name",
        Field::Email => "customer-email",
        Field::Phone => "customer-phone",
        Field::Country => "billing-country",
        Field::City => "billing-city",
        Field::Line1 => "billing-line1",
        Field::PostalCode => "billing-postal-code",
    }
}

fn focus(id: &str) {
    use wasm_bindgen::JsCast;
    if let Some(element) = document()
        .get_element_by_id(id)
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = element.focus();
    }
}
