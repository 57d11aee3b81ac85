use crate::i18n::{tr, use_lang, Msg};
use crate::quote::{QuoteProblem, Quoter};
use checkout_core::pricing::QuoteError;
use leptos::prelude::*;

/// A stepper and a typed field for the quantity, bounded 1..=max. The arrow keys work in the
/// field; the buttons stop at the bounds.
#[component]
pub fn QuantityStepper(value: RwSignal<String>, max: u32, quoter: Quoter) -> impl IntoView {
    let lang = use_lang();
    let current = move || value.get().trim().parse::<u32>().ok();
    let step = move |delta: i64| {
        let next = (i64::from(current().unwrap_or(1)) + delta).clamp(1, i64::from(max));
        value.set(next.to_string());
    };
    let error = move || match quoter.problem.get() {
        Some(QuoteProblem::Invalid(
            e @ (QuoteError::QuantityOutOfRange { .. } | QuoteError::QuantityNotAllowed),
        )) => Some(lang.get().quote_error(&e, |a| a.to_string())),
        _ => None,
    };
    view! {
        <div class="field quantity" class:invalid=move || error().is_some()>
            <label for="quantity">{tr(Msg::Quantity)}</label>
            <div class="stepper">
                <button
                    type="button"
                    aria-label=tr(Msg::Decrease)
                    aria-controls="quantity"
                    disabled=move || current().is_some_and(|q| q <= 1)
                    on:click=move |_| step(-1)
                >
                    "−"
                </button>
                <input
                    id="quantity"
                    name="quantity"
                    type="number"
                    inputmode="numeric"
                    min="1"
                    max=max
                    step="1"
                    aria-invalid=move || error().is_some().to_string()
                    aria-describedby="quantity-error"
                    // The starting value as an attribute too, so the server's first paint shows it.
                    value=value.get_untracked()
                    prop:value=move || value.get()
                    on:input:target=move |ev| value.set(ev.target().value())
                />
                <button
                    type="button"
                    aria-label=tr(Msg::Increase)
                    aria-controls="quantity"
                    disabled=move || current().is_some_and(|q| q >= max)
                    on:click=move |_| step(1)
                >
                    "+"
                </button>
            </div>
            <p class="error" id="quantity-error" role="alert" data-testid="quantity-error">{error}</p>
        </div>
    }
}
