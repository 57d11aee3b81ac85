use crate::format;
use crate::i18n::{tr, use_lang, Msg};
use crate::quote::{QuoteProblem, Quoter};
use checkout_core::money::DecimalError;
use checkout_core::pricing::QuoteError;
use checkout_core::{Currency, Money};
use leptos::prelude::*;

/// Pay what you want: the customer's own unit price, pre-filled with the suggestion and
/// bounded by the merchant's minimum and maximum.
#[component]
pub fn PwywAmount(
    value: RwSignal<String>,
    currency: Currency,
    minimum: i64,
    maximum: Option<i64>,
    quoter: Quoter,
) -> impl IntoView {
    let lang = use_lang();
    let money = move |a: i64| format::money(lang.get(), Money::new(a, currency));
    let hint = move || {
        lang.get()
            .pwyw_bounds(&money(minimum), maximum.map(money).as_deref())
    };
    let error = move || match quoter.problem.get() {
        Some(QuoteProblem::Invalid(
            e @ (QuoteError::AmountBelowMinimum { .. }
            | QuoteError::AmountAboveMaximum { .. }
            | QuoteError::AmountNotAllowed),
        )) => Some(lang.get().quote_error(&e, money)),
        Some(QuoteProblem::Unreadable(DecimalError::TooPrecise { digits })) => {
            Some(lang.get().amount_not_whole(digits))
        }
        Some(QuoteProblem::Unreadable(DecimalError::TooLarge)) => maximum
            .map(|maximum| {
                lang.get()
                    .quote_error(&QuoteError::AmountAboveMaximum { maximum }, money)
            })
            .or_else(|| Some(lang.get().amount_not_a_number())),
        Some(QuoteProblem::Unreadable(_)) => Some(lang.get().amount_not_a_number()),
        _ => None,
    };
    let inputmode = if currency.digits() == 0 {
        "numeric"
    } else {
        "decimal"
    };
    view! {
        <div class="field amount" class:invalid=move || error().is_some()>
            <label for="pwyw-amount">{tr(Msg::YourAmount)}</label>
            <p class="hint" id="pwyw-amount-hint">{hint}</p>
            <div class="with-unit">
                <input
                    id="pwyw-amount"
                    name="amount"
                    type="text"
                    inputmode=inputmode
                    autocomplete="off"
                    aria-invalid=move || error().is_some().to_string()
                    aria-describedby="pwyw-amount-hint pwyw-amount-error"
                    // The starting value as an attribute too, so the server's first paint shows it.
                    value=value.get_untracked()
                    prop:value=move || value.get()
                    on:input:target=move |ev| value.set(ev.target().value())
                />
                <span class="unit" aria-hidden="true">{currency.code()}</span>
            </div>
            <p class="error" id="pwyw-amount-error" role="alert" data-testid="pwyw-amount-error">{error}</p>
        </div>
    }
}
