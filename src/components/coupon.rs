use crate::format;
use crate::i18n::{tr, use_lang, Msg};
use crate::quote::Quoter;
use checkout_core::{Currency, Money};
use leptos::prelude::*;

/// A coupon code field. Enter or the button applies it; the server's quote says whether it
/// took (the discount line) or why not; the code is re-checked with every later quote.
#[component]
pub fn CouponField(
    input: RwSignal<String>,
    applied: RwSignal<Option<String>>,
    quoter: Quoter,
    currency: Currency,
) -> impl IntoView {
    let lang = use_lang();
    let apply = move || {
        let code = crate::form::normalize_code(&input.get_untracked());
        input.set(code.clone());
        applied.set((!code.is_empty()).then_some(code));
    };
    let remove = move |_| {
        input.set(String::new());
        applied.set(None);
    };
    let accepted = move || {
        let quote = quoter.quote.get();
        quote
            .coupon
            .filter(|c| Some(&c.code) == applied.get().as_ref())
            .map(|c| (c.code, quote.discount))
    };
    let refusal = move || {
        applied.get()?;
        if quoter.pending.get() {
            return None;
        }
        let refusal = quoter.quote.get().coupon_error?;
        Some(
            lang.get()
                .coupon_refusal(&refusal, |t| format::short_date(lang.get(), t)),
        )
    };
    view! {
        <div class="field coupon" class:invalid=move || refusal().is_some()>
            <label for="coupon-code">{tr(Msg::CouponLabel)}</label>
            <div class="with-button">
                <input
                    id="coupon-code"
                    name="coupon"
                    type="text"
                    autocomplete="off"
                    autocapitalize="characters"
                    spellcheck="false"
                    aria-invalid=move || refusal().is_some().to_string()
                    aria-describedby="coupon-code-error"
                    // The starting value as an attribute too, so the server's first paint shows it.
                    value=input.get_untracked()
                    prop:value=move || input.get()
                    on:input:target=move |ev| input.set(ev.target().value())
                    on:keydown=move |ev| {
                        if ev.key() == "Enter" {
                            ev.prevent_default();
                            apply();
                        }
                    }
                />
                <button type="button" class="button secondary" on:click=move |_| apply()>
                    {tr(Msg::ApplyCoupon)}
                </button>
            </div>
            {move || {
                accepted()
                    .map(|(code, discount)| {
                        view! {
                            <p class="coupon-applied" data-testid="coupon-applied">
                                <span>
                                    {code} " −"
                                    {move || format::money(lang.get(), Money::new(discount, currency))}
                                </span>
                                <button type="button" class="link" on:click=remove>
                                    {tr(Msg::RemoveCoupon)}
                                </button>
                            </p>
                        }
                    })
            }}
            <p class="error" id="coupon-code-error" role="alert" data-testid="coupon-error">{refusal}</p>
        </div>
    }
}
