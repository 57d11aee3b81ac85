use crate::components::field::TextField;
use crate::form::FormState;
use crate::format;
use crate::i18n::{tr, tr_string, use_lang, Msg};
use checkout_core::customer::Field;
use checkout_core::phone::PLANS;
use checkout_core::providers;
use leptos::prelude::*;

/// Name, email and phone. The phone is required when the chosen provider pays by phone;
/// the country code picker reads local numbers (`07 08 09 10 11`) as that country's.
#[component]
pub fn ContactFields(form: FormState) -> impl IntoView {
    let lang = use_lang();
    let phone_required =
        Signal::derive(move || form.provider.get().is_some_and(providers::needs_phone));
    let phone_label = Signal::derive(move || {
        let base = lang.get().t(Msg::Phone);
        if phone_required.get() {
            base.to_string()
        } else {
            format!("{base} ({})", lang.get().t(Msg::OptionalHint))
        }
    });
    let phone_error = form.problem(Field::Phone);
    view! {
        <section class="section" aria-labelledby="contact-heading">
            <h2 id="contact-heading">{tr(Msg::ContactHeading)}</h2>
            <TextField
                id="customer-name"
                label=tr_string(Msg::FullName)
                value=form.name
                error=form.problem(Field::Name)
                autocomplete="name"
            />
            <TextField
                id="customer-email"
                label=tr_string(Msg::Email)
                value=form.email
                error=form.problem(Field::Email)
                input_type="email"
                inputmode="email"
                autocomplete="email"
            />
            <div class="field phone" class:invalid=move || phone_error.get().is_some()>
                <label for="customer-phone">{phone_label}</label>
                <div class="with-prefix">
                    <select
                        id="customer-phone-country"
                        aria-label=tr(Msg::PhoneCountry)
                        autocomplete="tel-country-code"
                        prop:value=move || form.phone_country.get()
                        on:change:target=move |ev| form.phone_country.set(ev.target().value())
                    >
                        {PLANS
                            .iter()
                            .map(|plan| {
                                view! {
                                    <option value=plan.country selected=move || form.phone_country.get() == plan.country>
                                        {move || format!("+{} · {}", plan.dial_code, format::country_name(lang.get(), plan.country))}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                    <input
                        id="customer-phone"
                        name="phone"
                        type="tel"
                        inputmode="tel"
                        autocomplete="tel-national"
                        aria-required=move || phone_required.get().to_string()
                        aria-invalid=move || phone_error.get().is_some().to_string()
                        aria-describedby=move || if phone_required.get() {
                            "customer-phone-hint customer-phone-error"
                        } else {
                            "customer-phone-error"
                        }
                        // The starting value as an attribute too, so the server's first paint shows it.
                        value=form.phone.get_untracked()
                        prop:value=move || form.phone.get()
                        on:input:target=move |ev| {
                            // A number typed or pasted with its code ("+225 07…") moves the
                            // code to the country picker once it is complete.
                            let typed = ev.target().value();
                            match checkout_core::phone::split_international(&typed) {
                                Some((country, national)) => {
                                    form.phone_country.set(country.to_string());
                                    form.phone.set(national);
                                }
                                None => form.phone.set(typed),
                            }
                        }
                    />
                </div>
                <p class="hint" id="customer-phone-hint" data-testid="customer-phone-hint" hidden=move || !phone_required.get()>
                    {tr(Msg::PhoneWhy)}
                </p>
                <p class="error" id="customer-phone-error" role="alert" data-testid="customer-phone-error">
                    {move || phone_error.get()}
                </p>
            </div>
        </section>
    }
}
