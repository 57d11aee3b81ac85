use crate::format;
use crate::i18n::{use_lang, Msg};
use checkout_core::pricing::PricingModel;
use checkout_core::wire::PublicCheckout;
use checkout_core::Money;
use leptos::prelude::*;

/// What the customer is paying for and what it costs, from the server's quote. Merchant
/// text is only ever rendered as text.
#[component]
pub fn OrderSummary(checkout: PublicCheckout) -> impl IntoView {
    let lang = use_lang();
    let quote = checkout.quote.clone();
    let currency = quote.currency;
    let money = move |amount: i64| format::money(lang.get(), Money::new(amount, currency));
    let recurring = quote.recurring.clone();
    let interval = checkout.recurring.as_ref().map(|r| r.interval);
    let per = move |amount: i64| match interval {
        Some(i) => format!("{} / {}", money(amount), lang.get().per_interval(i)),
        None => money(amount),
    };

    let merchant = checkout.merchant.clone();
    let merchant_name = merchant.name.clone();
    let pwyw = match checkout.pricing {
        PricingModel::PayWhatYouWant { minimum, maximum } => Some(move || {
            let max = maximum.map(money);
            lang.get().pwyw_bounds(&money(minimum), max.as_deref())
        }),
        PricingModel::Standard => None,
    };
    let trial_days = recurring.as_ref().map(|r| r.trial_days).filter(|d| *d > 0);
    let next_charge = recurring.clone().map(|r| {
        move || {
            lang.get().then_from(
                &per(r.next_charge_amount),
                &format::short_date(lang.get(), r.next_charge_at),
            )
        }
    });
    let title = checkout.title.clone();
    let image_alt = title.clone();
    let show_due_today = quote.due_today != quote.total || recurring.is_some();

    view! {
        <section class="card summary" aria-labelledby="checkout-title">
            <header class="merchant">
                {merchant
                    .logo_url
                    .map(|url| {
                        view! { <img class="merchant-logo" src=url alt="" width="40" height="40" /> }
                    })}
                <p class="merchant-name" data-testid="merchant-name">
                    {move || lang.get().sold_by(&merchant_name)}
                </p>
            </header>
            {checkout
                .image_url
                .map(|url| {
                    view! { <img class="product-image" src=url alt=image_alt width="480" height="270" /> }
                })}
            <h1 id="checkout-title" data-testid="checkout-title">{title}</h1>
            {checkout
                .description
                .map(|d| view! { <p class="description" data-testid="checkout-description">{d}</p> })}
            {pwyw.map(|text| view! { <p class="pill" data-testid="summary-pwyw">{text}</p> })}
            {trial_days
                .map(|days| {
                    view! {
                        <p class="pill success" data-testid="summary-trial">
                            {move || lang.get().trial(days)}
                        </p>
                    }
                })}
            <h2 class="visually-hidden">{move || lang.get().t(Msg::OrderSummary)}</h2>
            <dl class="breakdown">
                <div>
                    <dt>{move || lang.get().t(Msg::UnitPrice)}</dt>
                    <dd data-testid="summary-unit-price">{move || per(quote.unit_amount)}</dd>
                </div>
                <div>
                    <dt>{move || lang.get().t(Msg::Quantity)}</dt>
                    <dd data-testid="summary-quantity">{quote.quantity}</dd>
                </div>
                <div>
                    <dt>{move || lang.get().t(Msg::Subtotal)}</dt>
                    <dd data-testid="summary-subtotal">{move || money(quote.subtotal)}</dd>
                </div>
                {(quote.discount > 0)
                    .then(|| {
                        view! {
                            <div class="discount">
                                <dt>{move || lang.get().t(Msg::Discount)}</dt>
                                <dd data-testid="summary-discount">
                                    {move || format!("−{}", money(quote.discount))}
                                </dd>
                            </div>
                        }
                    })}
                {(quote.fees > 0)
                    .then(|| {
                        view! {
                            <div>
                                <dt>{move || lang.get().t(Msg::Fees)}</dt>
                                <dd data-testid="summary-fees">{move || money(quote.fees)}</dd>
                            </div>
                        }
                    })}
                <div class="total">
                    <dt>{move || lang.get().t(Msg::Total)}</dt>
                    <dd data-testid="summary-total">{move || per(quote.total)}</dd>
                </div>
                {show_due_today
                    .then(|| {
                        view! {
                            <div class="due-today">
                                <dt>{move || lang.get().t(Msg::DueToday)}</dt>
                                <dd data-testid="summary-due-today">{move || money(quote.due_today)}</dd>
                            </div>
                        }
                    })}
            </dl>
            {next_charge.map(|text| view! { <p class="next-charge" data-testid="summary-next-charge">{text}</p> })}
        </section>
    }
}
