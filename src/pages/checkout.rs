use crate::api::{self, ApiFailure};
use crate::components::back_to_merchant::BackToMerchant;
use crate::components::checkout_form::CheckoutForm;
use crate::components::skeleton::Skeleton;
use crate::components::status_card::{StatusCard, Tone};
use crate::components::test_banner::TestBanner;
use crate::form::{request_from, FormState};
use crate::i18n::PayMsg;
use crate::i18n::{tr, use_lang, Msg};
use crate::pages::not_found::NotFound;
use crate::pages::payment::PaymentScreen;
use crate::pay;
use crate::preload::{self, Initial};
use crate::route::{use_navigate, use_params_map, use_query_map, NavigateOptions};
use checkout_core::wire::conflict;
use checkout_core::wire::{CheckoutKind, CheckoutStatus, PublicCheckout};
use leptos::prelude::*;

/// A payment link or a checkout session. Its first render shows what the server inlined
/// (see `preload`); otherwise, and whenever the route changes, it is loaded from the API.
#[component]
pub fn CheckoutPage(kind: CheckoutKind) -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let query = use_query_map();
    let payment_id = Memo::new(move |_| query.read().get("payment").filter(|p| !p.is_empty()));
    let Some(initial) = preload::take(kind, &id.get_untracked()) else {
        return view! { <Fetched kind id payment_id /> }.into_any();
    };
    // Rendered at once, with no request: the page the server painted, taken over as it is.
    let start = (id.get_untracked(), payment_id.get_untracked());
    let initial = StoredValue::new(Some(initial));
    (move || {
        let unchanged = (id.get(), payment_id.get()) == start;
        match initial.try_update_value(Option::take).flatten() {
            Some(Initial::Found(loaded)) if unchanged => loaded_view(*loaded, start.1.clone()),
            Some(Initial::Missing) if unchanged => view! { <NotFound /> }.into_any(),
            _ => view! { <Fetched kind id payment_id /> }.into_any(),
        }
    })
    .into_any()
}

/// The route's link or session, asked from the API. Re-read whenever the payment in the URL
/// changes: "try again" on a session goes from its failed payment back to the same path, and
/// must find the form, not the old state.
#[component]
fn Fetched(
    kind: CheckoutKind,
    id: Memo<String>,
    payment_id: Memo<Option<String>>,
) -> impl IntoView {
    // Loaded by hand rather than with LocalResource + <Suspense>, whose async machinery
    // (futures, transitions, channels) cost the page 11.9 KB of brotli wasm: the skeleton
    // while a load is under way (each reload too), and only the latest load's answer shown.
    let state = RwSignal::new(None::<Result<PublicCheckout, ApiFailure>>);
    let attempt = RwSignal::new(0u32);
    let generation = StoredValue::new(0u32);
    Effect::new(move |_| {
        let id = id.get();
        payment_id.track();
        attempt.track();
        if state.with_untracked(Option::is_some) {
            state.set(None);
        }
        let n = generation.get_value() + 1;
        generation.set_value(n);
        leptos::task::spawn_local(async move {
            let result = api::fetch_checkout(kind, &id).await;
            // Gone (the page left this route) or superseded by a newer load: dropped.
            if generation.try_get_value() == Some(n) {
                state.set(Some(result));
            }
        });
    });
    move || match state.get() {
        None => view! { <Skeleton /> }.into_any(),
        Some(Ok(loaded)) => loaded_view(loaded, payment_id.get_untracked()),
        Some(Err(failure)) => {
            view! { <LoadFailure failure retry=move || attempt.update(|n| *n += 1) /> }.into_any()
        }
    }
}

/// A session with a payment under way or done reopens on its status; anything else shows
/// the checkout. The payment's status is live: the server paints its loading state.
fn loaded_view(loaded: PublicCheckout, payment_id: Option<String>) -> AnyView {
    match payment_id.or_else(|| loaded.payment.as_ref().map(|p| p.id.clone())) {
        Some(_) if cfg!(feature = "ssr") => view! {
            {loaded.test_mode.then(|| view! { <TestBanner /> })}
            <Skeleton />
        }
        .into_any(),
        Some(payment_id) => {
            let merchant = loaded.merchant.name.clone();
            view! {
                {loaded.test_mode.then(|| view! { <TestBanner /> })}
                <PaymentScreen payment_id merchant />
            }
            .into_any()
        }
        None => view! { <Checkout checkout=loaded /> }.into_any(),
    }
}

/// The loaded link or session: the summary when it can be paid, otherwise why not.
#[component]
pub fn Checkout(checkout: PublicCheckout) -> impl IntoView {
    let lang = use_lang();
    let title = document_title(&checkout);
    Effect::new(move || document().set_title(&title));

    let kind = checkout.kind;
    let context = format!("{} · {}", checkout.title, checkout.merchant.name);
    let (cancel_url, merchant) = (checkout.cancel_url.clone(), checkout.merchant.name.clone());
    let unavailable = move |tone: Tone, title: Msg, body: Msg, testid: &'static str| {
        let context = context.clone();
        // Embedded: the merchant's page hears why there is nothing to pay; a completed
        // checkout is no error.
        let code = match tone {
            Tone::Warning if testid == "state-inactive" => "inactive",
            Tone::Warning => "expired",
            _ => "",
        };
        if !code.is_empty() {
            crate::embed::error(code, lang.get_untracked().t(body));
        }
        let back = view! { <BackToMerchant url=cancel_url.clone() merchant=merchant.clone() /> };
        view! {
            <StatusCard
                tone
                title=Signal::derive(move || lang.get().t(title).to_string())
                body=Signal::derive(move || lang.get().t(body).to_string())
                testid
            >
                <p class="context">{context}</p>
                {back}
            </StatusCard>
        }
        .into_any()
    };
    let expired_body = Msg::expired_body(kind);
    view! {
        {checkout.test_mode.then(|| view! { <TestBanner /> })}
        {match checkout.status {
            CheckoutStatus::Open => view! { <Payable checkout /> }.into_any(),
            CheckoutStatus::Inactive => {
                unavailable(Tone::Warning, Msg::InactiveTitle, Msg::InactiveBody, "state-inactive")
            }
            CheckoutStatus::Expired => {
                unavailable(Tone::Warning, Msg::ExpiredTitle, expired_body, "state-expired")
            }
            CheckoutStatus::Completed => {
                unavailable(Tone::Success, Msg::CompletedTitle, Msg::CompletedBody, "state-completed")
            }
        }}
    }
}

/// The tab's title for a checkout: what, from whom, where.
pub fn document_title(checkout: &PublicCheckout) -> String {
    format!("{} · {} · lomi.", checkout.title, checkout.merchant.name)
}

/// Why the link could not be loaded, with a retry where retrying can help.
#[component]
pub fn LoadFailure(
    failure: ApiFailure,
    retry: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let lang = use_lang();
    let (title, body, testid) = match failure {
        ApiFailure::NotFound => return view! { <NotFound /> }.into_any(),
        ApiFailure::Unreachable => (
            Msg::UnreachableTitle,
            Msg::UnreachableBody,
            "state-unreachable",
        ),
        ApiFailure::Server | ApiFailure::Rejected(_) => (
            Msg::ServerErrorTitle,
            Msg::ServerErrorBody,
            "state-server-error",
        ),
    };
    view! {
        <StatusCard
            tone=Tone::Error
            title=Signal::derive(move || lang.get().t(title).to_string())
            body=Signal::derive(move || lang.get().t(body).to_string())
            testid
        >
            <button type="button" class="button" data-testid="retry" on:click=move |_| retry()>
                {tr(Msg::Retry)}
            </button>
            <p class="reassure">{tr(Msg::NoMoneyTaken)}</p>
        </StatusCard>
    }
    .into_any()
}

/// The form, and what happens on confirm: one payment, started once, then its live status.
#[component]
fn Payable(checkout: PublicCheckout) -> impl IntoView {
    let lang = use_lang();
    let navigate = use_navigate();
    let paying = RwSignal::new(false);
    let pay_error = RwSignal::new(None::<String>);
    let shared = StoredValue::new(checkout.clone());
    let on_submit = move |form: FormState| {
        if paying.get_untracked() {
            return;
        }
        let Some(request) = shared.with_value(|c| request_from(c, &form)) else {
            return;
        };
        paying.set(true);
        pay_error.set(None);
        let checkout = shared.get_value();
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            match pay::start(&checkout, request).await {
                Ok(payment) => {
                    // Embedded: from now on the merchant's page should not close the checkout.
                    crate::embed::confirmed(&payment.session_id);
                    // Keep the customer's entries where a retry from the session will look.
                    if let Some(draft) = crate::draft::load(checkout.kind, &checkout.id) {
                        crate::draft::save(CheckoutKind::Session, &payment.session_id, &draft);
                    }
                    // Replace, so Back never returns to a form that could pay this order again.
                    navigate(
                        &format!("/checkout/{}?payment={}", payment.session_id, payment.id),
                        NavigateOptions {
                            replace: true,
                            ..Default::default()
                        },
                    );
                }
                Err(ApiFailure::Rejected(error)) => {
                    // A payment already exists for this order: show it rather than an error.
                    if let (Some(payment), Some(session)) =
                        (error.detail("payment_id"), error.detail("session_id"))
                    {
                        navigate(
                            &format!("/checkout/{session}?payment={payment}"),
                            NavigateOptions {
                                replace: true,
                                ..Default::default()
                            },
                        );
                        return;
                    }
                    let lang = lang.get_untracked();
                    let text = match error.detail(conflict::DETAIL) {
                        Some(conflict::COMPLETED) => lang.p(PayMsg::AlreadyPaid),
                        Some(conflict::EXPIRED) => lang.t(Msg::ExpiredBody),
                        Some(conflict::INACTIVE) => lang.t(Msg::InactiveBody),
                        Some(_) => lang.p(PayMsg::AlreadyPending),
                        None if error.detail("coupon_code").is_some() => {
                            lang.p(PayMsg::CouponNoLonger)
                        }
                        None if error.detail("provider").is_some() => {
                            lang.p(PayMsg::ProviderNoLonger)
                        }
                        None => lang.t(Msg::FixErrors),
                    };
                    pay_error.set(Some(text.to_string()));
                    paying.set(false);
                }
                Err(_) => {
                    // The request may have reached the server: never claim nothing was
                    // taken. The same key goes with the retry, so it cannot pay twice.
                    let text = lang.get_untracked().p(PayMsg::PayUncertain).to_string();
                    pay_error.set(Some(text));
                    paying.set(false);
                }
            }
        });
    };
    view! { <CheckoutForm checkout on_submit busy=paying pay_error /> }
}
