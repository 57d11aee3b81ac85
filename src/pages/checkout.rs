use crate::api::{self, ApiFailure};
use crate::components::skeleton::Skeleton;
use crate::components::status_card::{StatusCard, Tone};
use crate::components::summary::OrderSummary;
use crate::components::test_banner::TestBanner;
use crate::i18n::{use_lang, Msg};
use crate::pages::not_found::NotFound;
use checkout_core::wire::{CheckoutKind, CheckoutStatus, PublicCheckout};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// A payment link or a checkout session, loaded from the public API.
#[component]
pub fn CheckoutPage(kind: CheckoutKind) -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let checkout = LocalResource::new(move || {
        let id = id.get();
        async move { api::fetch_checkout(kind, &id).await }
    });
    view! {
        <Suspense fallback=|| view! { <Skeleton /> }>
            {move || Suspend::new(async move {
                match checkout.await {
                    Ok(loaded) => view! { <Checkout checkout=loaded /> }.into_any(),
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
            CheckoutStatus::Open => view! { <OrderSummary checkout /> }.into_any(),
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
                {move || lang.get().t(Msg::Retry)}
            </button>
            <p class="reassure">{move || lang.get().t(Msg::NoMoneyTaken)}</p>
        </StatusCard>
    }
    .into_any()
}
