use crate::api::{self, ApiFailure};
use crate::components::skeleton::Skeleton;
use crate::components::status_card::{StatusCard, Tone};
use crate::format;
use crate::i18n::{tr_string, trp, use_lang, Msg, PayMsg};
use crate::nav;
use crate::pay;
use crate::route::{use_navigate, NavigateOptions};
use crate::timing::{now_seconds, sleep};
use checkout_core::payment::{NextAction, Payment, PaymentStatus};
use checkout_core::wire::ErrorCode;
use checkout_core::Money;
use leptos::prelude::*;

/// Polling starts fast (the operator often answers within seconds) and backs off to spare
/// the customer's data.
const FIRST_POLL_MS: u32 = 1_000;
const MAX_POLL_MS: u32 = 5_000;
/// How long the success screen shows before the customer is sent back to the merchant.
const REDIRECT_AFTER_SECONDS: u32 = 3;

fn is_narrow_screen() -> bool {
    window()
        .match_media("(max-width: 48rem)")
        .ok()
        .flatten()
        .is_some_and(|m| m.matches())
}

/// The live state of one payment: what to do now, then how it ended. Its URL
/// (`/checkout/{session}?payment={id}`) survives a reload, a back button and a return from
/// the provider.
#[component]
pub fn PaymentScreen(payment_id: String, merchant: String) -> impl IntoView {
    let lang = use_lang();
    let payment = RwSignal::new(None::<Payment>);
    let missing = RwSignal::new(false);
    let connection_lost = RwSignal::new(false);
    let alive = StoredValue::new(true);
    on_cleanup(move || alive.set_value(false));

    // Seconds waited by the server's clock, kept current between polls: a phone's clock
    // is often wrong, and "still waiting" must not depend on it.
    let waited = RwSignal::new(0_i64);
    let received_at = StoredValue::new(now_seconds());
    let record = move |latest: Payment| {
        waited.set(latest.waited_seconds);
        received_at.set_value(now_seconds());
        payment.set(Some(latest));
    };

    {
        let payment_id = payment_id.clone();
        leptos::task::spawn_local(async move {
            let mut delay = FIRST_POLL_MS;
            while alive.try_get_value() == Some(true) {
                match api::fetch_payment(&payment_id).await {
                    Ok(latest) => {
                        connection_lost.set(false);
                        let settled = latest.status != PaymentStatus::Pending;
                        record(latest);
                        if settled {
                            break;
                        }
                    }
                    Err(ApiFailure::NotFound) => {
                        missing.set(true);
                        break;
                    }
                    // Keep trying: the payment goes on whether or not we can see it.
                    Err(_) => connection_lost.set(true),
                }
                sleep(delay).await;
                if let Some(at) = received_at.try_get_value() {
                    waited.try_update(|w| *w += now_seconds() - at);
                    received_at.set_value(now_seconds());
                }
                delay = (delay * 3 / 2).min(MAX_POLL_MS);
            }
        });
    }

    let check_now = {
        let payment_id = payment_id.clone();
        move |_| {
            let payment_id = payment_id.clone();
            leptos::task::spawn_local(async move {
                if let Ok(latest) = api::fetch_payment(&payment_id).await {
                    record(latest);
                }
            });
        }
    };

    // The screen changes only when what the customer must do changes. Polls that bring the
    // same state must not rebuild it: the Orange code being typed would be wiped.
    let stage =
        Memo::new(move |_| payment.with(|p| p.as_ref().map(|p| (p.status, p.next_action.clone()))));
    let overdue = Memo::new(move |_| {
        payment.with(|p| {
            p.as_ref()
                .is_some_and(|p| waited.get() > i64::from(p.usual_wait_seconds))
        })
    });

    let view_for = move |p: Payment| -> AnyView {
        match p.status {
            PaymentStatus::Succeeded => {
                view! { <Succeeded payment=p merchant=merchant.clone() /> }.into_any()
            }
            PaymentStatus::Failed => view! { <Failed payment=p /> }.into_any(),
            PaymentStatus::Pending => {
                let check_now = check_now.clone();
                view! {
                    <section class="card payment pending" data-testid="payment-pending">
                        <Instructions payment=p />
                        <p class="waiting" role="status" aria-live="polite" data-testid="payment-waiting">
                            <span class="spinner" aria-hidden="true"></span>
                            {move || {
                                if overdue.get() {
                                    lang.get().p(PayMsg::StillWaiting)
                                } else {
                                    lang.get().p(PayMsg::Waiting)
                                }
                            }}
                        </p>
                        <Show when=move || overdue.get()>
                            <button type="button" class="button secondary" on:click=check_now.clone()>
                                {trp(PayMsg::CheckNow)}
                            </button>
                        </Show>
                    </section>
                }
                .into_any()
            }
        }
    };

    view! {
        <Show when=move || connection_lost.get()>
            <p class="notice offline" role="status" data-testid="connection-lost">
                {trp(PayMsg::ConnectionLost)}
            </p>
        </Show>
        {move || {
            if missing.get() {
                return view! {
                    <StatusCard
                        tone=Tone::Neutral
                        title=tr_string(Msg::NotFoundTitle)
                        body=tr_string(Msg::NotFoundBody)
                        testid="state-not-found"
                    />
                }
                .into_any();
            }
            match stage.get() {
                None => view! { <Skeleton /> }.into_any(),
                Some(_) => match payment.get_untracked() {
                    Some(p) => view_for(p),
                    None => view! { <Skeleton /> }.into_any(),
                },
            }
        }}
    }
}

/// What the customer must do now, per provider.
#[component]
fn Instructions(payment: Payment) -> impl IntoView {
    let lang = use_lang();
    let amount = Money::new(payment.amount, payment.currency);
    let id = payment.id.clone();
    match payment.next_action.clone() {
        NextAction::Redirect { url, qr } => {
            // Card: straight to the hosted page. Wave: the app on a phone, a QR on a computer.
            // Embedded, a provider's page cannot show inside the merchant's frame: the link
            // opens it in a new tab, and the frame keeps following the payment.
            let embedded = crate::embed::embedded();
            if !embedded && (!qr || is_narrow_screen()) {
                nav::leave_once(&id, &url);
            }
            let (title, body, button) = if qr {
                (PayMsg::WaveTitle, PayMsg::WaveBody, PayMsg::OpenWave)
            } else {
                (PayMsg::CardTitle, PayMsg::CardBody, PayMsg::ContinueToCard)
            };
            let qr_src = api::payment_qr_url(&id);
            let href = nav::followable(Some(url));
            view! {
                <h1>{move || lang.get().p(title)}</h1>
                <p>{move || lang.get().p(body)}</p>
                <a
                    class="button"
                    href=href
                    rel="external"
                    target=embedded.then_some("_blank")
                    data-testid="provider-link"
                >
                    {move || lang.get().p(button)}
                </a>
                {qr
                    .then(|| {
                        view! {
                            <figure class="qr wide-only">
                                <img src=qr_src alt="" width="200" height="200" loading="lazy" />
                                <figcaption>{trp(PayMsg::WaveQr)}</figcaption>
                            </figure>
                        }
                    })}
            }
            .into_any()
        }
        NextAction::EnterOtp { ussd_code } => {
            view! { <OrangeCode payment_id=id ussd_code /> }.into_any()
        }
        NextAction::ApproveOnPhone { phone } => {
            let resent = RwSignal::new(false);
            let resend = move |_| {
                let id = id.clone();
                leptos::task::spawn_local(async move {
                    if api::resend_prompt(&id).await.is_ok() {
                        resent.set(true);
                    }
                });
            };
            view! {
                <h1>{trp(PayMsg::MtnTitle)}</h1>
                <p data-testid="mtn-prompt">{move || lang.get().prompt_sent(&format::money(lang.get(), amount), &phone)}</p>
                <p class="hint">{trp(PayMsg::MtnHelp)}</p>
                <button type="button" class="button secondary" on:click=resend>
                    {trp(PayMsg::ResendPrompt)}
                </button>
                <p class="hint" role="status">{move || resent.get().then(|| lang.get().p(PayMsg::PromptResent))}</p>
            }
            .into_any()
        }
        NextAction::SendCrypto {
            address,
            amount: crypto_amount,
            asset,
            network,
            ..
        } => {
            let qr_src = api::payment_qr_url(&id);
            let shown_amount = format!("{crypto_amount} {asset}");
            view! {
                <h1>{trp(PayMsg::CryptoTitle)}</h1>
                <figure class="qr">
                    <img src=qr_src alt="" width="200" height="200" />
                </figure>
                <dl class="crypto">
                    <div>
                        <dt>{trp(PayMsg::CryptoAmount)}</dt>
                        <dd data-testid="crypto-amount">{shown_amount}</dd>
                        <dd><CopyButton text=crypto_amount.clone() label=PayMsg::CopyAmount /></dd>
                    </div>
                    <div>
                        <dt>{trp(PayMsg::CryptoNetwork)}</dt>
                        <dd data-testid="crypto-network">{network}</dd>
                    </div>
                    <div>
                        <dt>{trp(PayMsg::CryptoAddress)}</dt>
                        <dd class="address" data-testid="crypto-address">{address.clone()}</dd>
                        <dd><CopyButton text=address label=PayMsg::CopyAddress /></dd>
                    </div>
                </dl>
                <p class="hint">{trp(PayMsg::CryptoExact)}</p>
            }
            .into_any()
        }
        NextAction::None => ().into_any(),
    }
}

/// Orange Money's one-time code: dial the USSD code, type what comes back.
#[component]
fn OrangeCode(payment_id: String, ussd_code: String) -> impl IntoView {
    let lang = use_lang();
    let code = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let sending = RwSignal::new(false);
    let ussd = ussd_code.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if sending.get_untracked() {
            return;
        }
        let typed: String = code
            .get_untracked()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        if typed.is_empty() || !typed.chars().all(|c| c.is_ascii_digit()) {
            error.set(Some(
                lang.get_untracked()
                    .failure(Some(checkout_core::payment::FailureReason::WrongCode))
                    .to_string(),
            ));
            return;
        }
        sending.set(true);
        let id = payment_id.clone();
        leptos::task::spawn_local(async move {
            match api::submit_otp(&id, &typed).await {
                Ok(_) => error.set(None),
                // Only a refused code is the customer's to fix; a conflict means the payment
                // already moved on, which the next poll shows.
                Err(ApiFailure::Rejected(e)) if e.code == ErrorCode::InvalidRequest => {
                    error.set(Some(
                        lang.get_untracked()
                            .failure(Some(checkout_core::payment::FailureReason::WrongCode))
                            .to_string(),
                    ));
                }
                Err(ApiFailure::Rejected(_)) => error.set(None),
                Err(_) => error.set(Some(
                    lang.get_untracked().t(Msg::UnreachableBody).to_string(),
                )),
            }
            sending.set(false);
        });
    };
    view! {
        <h1>{trp(PayMsg::OrangeTitle)}</h1>
        <p data-testid="orange-ussd">{move || lang.get().dial_for_code(&ussd)}</p>
        <form class="otp" on:submit=submit novalidate>
            <div class="field" class:invalid=move || error.get().is_some()>
                <label for="otp-code">{trp(PayMsg::OtpLabel)}</label>
                <input
                    id="otp-code"
                    name="otp"
                    type="text"
                    inputmode="numeric"
                    autocomplete="one-time-code"
                    maxlength="8"
                    aria-invalid=move || error.get().is_some().to_string()
                    aria-describedby="otp-code-error"
                    prop:value=move || code.get()
                    on:input:target=move |ev| code.set(ev.target().value())
                />
                <p class="error" id="otp-code-error" role="alert" data-testid="otp-error">{move || error.get()}</p>
            </div>
            <button type="submit" class="button" disabled=move || sending.get()>
                {trp(PayMsg::ConfirmCode)}
            </button>
        </form>
    }
}

#[component]
fn CopyButton(text: String, label: PayMsg) -> impl IntoView {
    let lang = use_lang();
    let copied = RwSignal::new(false);
    let copy = move |_| {
        // Only a secure page (https, localhost) has a clipboard.
        let clipboard = window().navigator().clipboard();
        let written = !clipboard.is_undefined();
        if written {
            let _ = clipboard.write_text(&text);
        }
        copied.set(written);
    };
    view! {
        <button type="button" class="link" aria-label=trp(label) on:click=copy>
            {move || if copied.get() { lang.get().p(PayMsg::Copied) } else { lang.get().p(PayMsg::Copy) }}
        </button>
    }
}

/// Paid: a short confirmation, then the merchant's success page when there is one.
#[component]
fn Succeeded(payment: Payment, merchant: String) -> impl IntoView {
    let lang = use_lang();
    crate::draft::clear(payment.started_from.kind, &payment.started_from.id);
    pay::forget_attempt(payment.started_from.kind, &payment.started_from.id);
    let money = format::money(
        lang.get_untracked(),
        Money::new(payment.amount, payment.currency),
    );
    let free = payment.provider.is_none();
    // Embedded, the merchant's page hears of the success (with the success URL) and chooses
    // where to go: the frame never leaves for the merchant's site.
    crate::embed::success(&payment);
    let target = nav::followable(payment.success_url.clone()).filter(|_| !crate::embed::embedded());
    let left = RwSignal::new(REDIRECT_AFTER_SECONDS);
    if let Some(url) = target.clone() {
        leptos::task::spawn_local(async move {
            while left.try_get_untracked().is_some_and(|l| l > 0) {
                sleep(1_000).await;
                left.try_update(|l| *l = l.saturating_sub(1));
            }
            if left.try_get_untracked() == Some(0) {
                nav::leave_for(&url);
            }
        });
    }
    // Nothing charged but a method kept: a trial (or deferred first charge) has started.
    let started = !free && payment.amount == 0;
    let (title, body) = if free {
        (PayMsg::FreeTitle, None)
    } else if started {
        (PayMsg::TrialStartedTitle, Some(PayMsg::TrialStartedBody))
    } else {
        (PayMsg::SuccessTitle, None)
    };
    view! {
        <section class="card status success" data-testid="payment-succeeded" aria-labelledby="status-title">
            <h1 id="status-title">{move || lang.get().p(title)}</h1>
            <p>
                {move || match body {
                    Some(body) => lang.get().p(body).to_string(),
                    None => lang.get().paid(&merchant, &money),
                }}
            </p>
            {payment
                .transaction_id
                .clone()
                .map(|id| view! { <p class="hint" data-testid="transaction-id">{move || lang.get().reference(&id)}</p> })}
            // The receipt has its own address, under the session's: it can be opened again.
            {(payment.transaction_id.is_some() && !free)
                .then(|| {
                    let session = payment.session_id.clone();
                    view! {
                        <a
                            class="button secondary"
                            href=move || format!("/checkout/{session}/receipt?lang={}", lang.get().code())
                            rel="external"
                            data-testid="receipt-link"
                        >
                            {trp(PayMsg::Receipt)}
                        </a>
                    }
                })}
            {target
                .map(|url| {
                    view! {
                        <p role="status">{move || lang.get().redirecting(left.get())}</p>
                        <a class="button" href=url rel="external">{trp(PayMsg::Continue)}</a>
                    }
                })}
        </section>
    }
}

/// Not paid: why, and the ways forward. The customer's entries wait on the form.
#[component]
fn Failed(payment: Payment) -> impl IntoView {
    let lang = use_lang();
    pay::forget_attempt(payment.started_from.kind, &payment.started_from.id);
    let navigate = use_navigate();
    let retry_path = payment.started_from.path();
    let other_path = retry_path.clone();
    let started_from = payment.started_from.clone();
    let retry = {
        let navigate = navigate.clone();
        move |_| navigate(&retry_path, NavigateOptions::default())
    };
    let other = move |_| {
        if let Some(mut draft) = crate::draft::load(started_from.kind, &started_from.id) {
            draft.provider = None;
            crate::draft::save(started_from.kind, &started_from.id, &draft);
        }
        navigate(&other_path, NavigateOptions::default());
    };
    let reason = payment.failure;
    let cancel = nav::followable(payment.cancel_url.clone());
    crate::embed::error("payment_failed", lang.get_untracked().failure(reason));
    view! {
        <section class="card status error" data-testid="payment-failed" aria-labelledby="status-title">
            <h1 id="status-title">{trp(PayMsg::FailedTitle)}</h1>
            <p data-testid="failure-reason">{move || lang.get().failure(reason)}</p>
            <div class="actions">
                <button type="button" class="button" on:click=retry>{trp(PayMsg::TryAgain)}</button>
                <button type="button" class="button secondary" on:click=other>
                    {trp(PayMsg::OtherProvider)}
                </button>
                {cancel
                    .map(|url| {
                        view! {
                            <a class="button secondary" href=url rel="external" on:click=crate::components::back_to_merchant::close>
                                {trp(PayMsg::BackToMerchant)}
                            </a>
                        }
                    })}
            </div>
        </section>
    }
}
