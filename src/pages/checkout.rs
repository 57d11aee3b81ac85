use crate::api::{self, ApiFailure};
use crate::components::checkout_form::CheckoutForm;
use crate::components::checkout_form::FormState;
use crate::components::skeleton::Skeleton;
use crate::components::status_card::{StatusCard, Tone};
use crate::components::test_banner::TestBanner;
use crate::i18n::PayMsg;
use crate::i18n::{tr, use_lang, Msg};
use crate::pages::not_found::NotFound;
use crate::pages::payment::PaymentScreen;
use crate::pay;
use checkout_core::wire::ErrorCode;
use checkout_core::wire::{CheckoutKind, CheckoutStatus, PublicCheckout};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use leptos_router::NavigateOptions;

/// A payment link or a checkout session, loaded from the public API.
#[component]
pub fn CheckoutPage(kind: CheckoutKind) -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let query = use_query_map();
    let payment_id = Memo::new(move |_| query.read().get("payment").filter(|p| !p.is_empty()));
    let checkout = LocalResource::new(move || {
        let id = id.get();
        async move { api::fetch_checkout(kind, &id).await }
    });
    view! {
        <Suspense fallback=|| view! { <Skeleton /> }>
            {move || Suspend::new(async move {
                match checkout.await {
                    // A session with a payment under way or done reopens on its status.
                    Ok(loaded) => match payment_id
                        .get()
                        .or_else(|| loaded.payment.as_ref().map(|p| p.id.clone()))
                    {
                        Some(payment_id) => {
                            let merchant = loaded.merchant.name.clone();
                            view! {
                                {loaded.test_mode.then(|| view! { <TestBanner /> })}
                                <PaymentScreen payment_id merchant />
                            }
                            .into_any()
                        }
                        None => view! { <Checkout checkout=loaded /> }.into_any(),
                    },
                    Err(failure) => {
                        view! { <LoadFailure failure retry=move || checkout.refetch() /> }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// The loaded link or session: the summary when it can be paid, otherwise why not.
#[component]
pub fn Checkout(checkout: PublicCheckout) -> impl IntoView {
    let lang = use_lang();
    let title = checkout.title.clone();
    let merchant = checkout.merchant.name.clone();
    Effect::new(move || document().set_title(&format!("{title} · {merchant} · lomi.")));

    let kind = checkout.kind;
    let context = format!("{} · {}", checkout.title, checkout.merchant.name);
    let unavailable = move |tone: Tone, title: Msg, body: Msg, testid: &'static str| {
        let context = context.clone();
        view! {
            <StatusCard
                tone
                title=Signal::derive(move || lang.get().t(title).to_string())
                body=Signal::derive(move || lang.get().t(body).to_string())
                testid
            >
                <p class="context">{context}</p>
            </StatusCard>
        }
        .into_any()
    };
    let expired_body = if kind == CheckoutKind::Session {
        Msg::SessionExpiredBody
    } else {
        Msg::ExpiredBody
    };
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
        let Some(request) = shared.with_value(|c| pay::request_from(c, &form)) else {
            return;
        };
        paying.set(true);
        pay_error.set(None);
        let checkout = shared.get_value();
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            match pay::start(&checkout, request).await {
                Ok(payment) => {
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
                Err(failure) => {
                    let lang = lang.get_untracked();
                    let text = match failure {
                        ApiFailure::Rejected(e) if e.code == ErrorCode::ResourceConflict => {
                            if e.message.contains("completed") {
                                lang.p(PayMsg::AlreadyPaid).to_string()
                            } else {
                                lang.p(PayMsg::AlreadyPending).to_string()
                            }
                        }
                        ApiFailure::Rejected(e) => e.message,
                        ApiFailure::Unreachable | ApiFailure::Server | ApiFailure::NotFound => {
                            format!(
                                "{} {}",
                                lang.t(Msg::UnreachableBody),
                                lang.t(Msg::NoMoneyTaken)
                            )
                        }
                    };
                    pay_error.set(Some(text));
                    paying.set(false);
                }
            }
        });
    };
    view! { <CheckoutForm checkout on_submit busy=paying pay_error /> }
}
