use crate::components::field::TextField;
use crate::form::FormState;
use crate::format;
use crate::i18n::{tr, tr_string, use_lang, Msg};
use checkout_core::customer::{postal_rule, Field, Postal, BILLING_COUNTRIES};
use leptos::prelude::*;

/// Country, city, address line, and a postal code only where the country uses one.
#[component]
pub fn BillingFields(form: FormState) -> impl IntoView {
    let lang = use_lang();
    let country_error = form.problem(Field::Country);
    let uses_postal =
        move || !matches!(postal_rule(&form.country.get()), None | Some(Postal::None));
    view! {
        <section class="section" aria-labelledby="billing-heading">
            <h2 id="billing-heading">{tr(Msg::BillingHeading)}</h2>
            <div class="field" class:invalid=move || country_error.get().is_some()>
                <label for="billing-country">{tr(Msg::Country)}</label>
                <select
                    id="billing-country"
                    autocomplete="country"
                    aria-invalid=move || country_error.get().is_some().to_string()
                    aria-describedby="billing-country-error"
                    prop:value=move || form.country.get()
                    on:change:target=move |ev| form.country.set(ev.target().value())
                >
                    <option value="" selected=move || form.country.get().is_empty()>"—"</option>
                    {BILLING_COUNTRIES
                        .iter()
                        .map(|(code, _)| {
                            view! {
                                <option value=*code selected=move || form.country.get() == *code>
                                    {move || format::country_name(lang.get(), code)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                <p class="error" id="billing-country-error" role="alert">{move || country_error.get()}</p>
            </div>
            <TextField
                id="billing-line1"
                label=tr_string(Msg::AddressLine)
                value=form.line1
                error=form.problem(Field::Line1)
                autocomplete="address-line1"
            />
            <TextField
                id="billing-city"
                label=tr_string(Msg::City)
                value=form.city
                error=form.problem(Field::City)
                autocomplete="address-level2"
            />
            <Show when=uses_postal>
                <TextField
                    id="billing-postal-code"
                    label=tr_string(Msg::PostalCode)
                    value=form.postal_code
                    error=form.problem(Field::PostalCode)
                    autocomplete="postal-code"
                />
            </Show>
        </section>
    }
}
