use crate::form::FormState;
use crate::format;
use crate::i18n::{tr, use_lang, Msg};
use checkout_core::pricing::Quote;
use checkout_core::providers::{self, check_amount};
use checkout_core::wire::Provider;
use checkout_core::{Currency, Money};
use leptos::prelude::*;

/// The link's or session's providers (already resolved by the server), each with its name
/// and logo; one whose limits the total falls outside is shown but cannot be picked.
#[component]
pub fn ProviderChoice(
    providers: Vec<Provider>,
    form: FormState,
    quote: RwSignal<Quote>,
    currency: Currency,
) -> impl IntoView {
    let lang = use_lang();
    let money = move |a: i64| format::money(lang.get(), Money::new(a, currency));
    let free = move || quote.with(|q| q.total == 0);
    // What the provider will be asked to take: today's amount, or for a trial the first
    // charge it will carry later. Nothing for a free order.
    let charged = move || {
        quote.with(|q| match (q.due_today, &q.recurring) {
            (0, _) if q.total == 0 => None,
            (0, Some(r)) => Some(r.next_charge_amount),
            (due, _) => Some(due),
        })
    };
    // A choice the new total no longer allows is dropped, so the customer picks again
    // instead of meeting a refusal after confirming.
    Effect::new(move || {
        if let (Some(chosen), Some(amount)) = (form.provider.get(), charged()) {
            if check_amount(chosen, currency, amount).is_err() {
                form.provider.set(None);
            }
        }
    });
    // A plan says how each provider collects its renewals (the server offers only those
    // that can).
    let plan = quote.with_untracked(|q| q.recurring.is_some());
    let options = providers
        .into_iter()
        .map(|provider| {
            let renewal = plan.then(|| providers::renewal(provider));
            let renewal_testid = format!("provider-{}-renewal", provider.code().to_ascii_lowercase());
            let code = provider.code().to_ascii_lowercase();
            let id = format!("provider-{code}");
            let unavailable = move || {
                charged().and_then(|amount| check_amount(provider, currency, amount).err())
            };
            let hint_id = format!("{id}-limit");
            view! {
                <div class="provider" class:unavailable=move || unavailable().is_some()>
                    <input
                        type="radio"
                        name="provider"
                        id=id.clone()
                        value=provider.code()
                        data-testid=id.clone()
                        disabled=move || unavailable().is_some()
                        aria-describedby=hint_id.clone()
                        prop:checked=move || form.provider.get() == Some(provider)
                        on:change=move |_| {
                            form.provider.set(Some(provider));
                            form.provider_missing.set(false);
                        }
                    />
                    <label for=id>
                        <img src=format!("/providers/{code}.svg") alt="" width="32" height="32" />
                        <span class="provider-name">{move || lang.get().provider_name(provider)}</span>
                        {renewal
                            .map(|r| {
                                view! {
                                    <span class="provider-renewal" data-testid=renewal_testid.clone()>
                                        {move || lang.get().renewal(r)}
                                    </span>
                                }
                            })}
                        <span class="provider-limit" id=hint_id.clone() data-testid=hint_id>
                            {move || unavailable().map(|why| lang.get().provider_unavailable(why, money))}
                        </span>
                    </label>
                    {providers::needs_phone(provider)
                        .then(|| {
                            view! {
                                <Show when=move || form.provider.get() == Some(provider)>
                                    <p class="hint provider-hint">{tr(Msg::PhoneForProvider)}</p>
                                </Show>
                            }
                        })}
                </div>
            }
        })
        .collect_view();
    view! {
        <fieldset
            class="section providers"
            id="provider-choice"
            tabindex="-1"
            data-testid="provider-choice"
            aria-describedby="provider-choice-error"
            hidden=free
        >
            <legend>
                <h2>{tr(Msg::PaymentMethod)}</h2>
            </legend>
            {options}
            <p class="error" id="provider-choice-error" role="alert" data-testid="provider-error">
                {move || form.provider_missing.get().then(|| lang.get().t(Msg::ChooseProvider))}
            </p>
        </fieldset>
    }
}
