use crate::format;
use crate::i18n::{tr, use_lang, Msg};
use checkout_core::pricing::{PricingModel, Quote};
use checkout_core::wire::PublicCheckout;
use checkout_core::Money;
use leptos::prelude::*;

/// What the customer is paying for and what it costs. Every amount comes from the server's
/// `quote`; merchant text is only ever rendered as text.
#[component]
pub fn OrderSummary(checkout: PublicCheckout, #[prop(into)] quote: Signal<Quote>) -> impl IntoView {
    let lang = use_lang();
    let currency = checkout.currency;
    let money = move |amount: i64| format::money(lang.get(), Money::new(amount, currency));
    let interval = checkout.recurring.as_ref().map(|r| r.interval);
    let per = move |amount: i64| match interval {
        Some(i) => format!("{} / {}", money(amount), lang.get().per_interval(i)),
        None => money(amount),
    };

    let merchant_name = checkout.merchant.name.clone();
    let pwyw = match checkout.pricing {
        PricingModel::PayWhatYouWant { minimum, maximum } => Some(move || {
            let max = maximum.map(money);
            lang.get().pwyw_bounds(&money(minimum), max.as_deref())
        }),
        PricingModel::Standard => None,
    };
    let trial_days = checkout
        .recurring
        .as_ref()
        .map(|r| r.trial_days)
        .filter(|d| *d > 0);
    let next_charge = move || {
        quote.get().recurring.map(|r| {
            lang.get().then_from(
                &per(r.next_charge_amount),
                &format::short_date(lang.get(), r.next_charge_at),
            )
        })
    };
    let is_recurring = checkout.recurring.is_some();
    let discount_label = move || {
        let base = lang.get().t(Msg::Discount);
        match quote.get().coupon {
            Some(c) => format!("{base} ({})", c.code),
            None => base.to_string(),
        }
    };
    let title = checkout.title.clone();
    let image_alt = title.clone();
    // A cart lists its lines; a single price shows its unit price and quantity instead.
    let is_cart = !checkout.lines.is_empty();
    let lines = (is_cart).then(|| {
        let items = checkout
            .lines
            .iter()
            .map(|line| {
                let (unit, amount, quantity) = (line.unit_amount, line.amount, line.quantity);
                view! {
                    <li data-testid="summary-line">
                        // Spaces between the parts: the grid ignores them, text readers
                        // (and copy and paste) do not.
                        <span class="line-name">{line.name.clone()}</span>
                        " "
                        <span class="line-quantity">
                            {move || format!("{quantity} × {}", money(unit))}
                        </span>
                        " "
                        <span class="line-amount">{move || money(amount)}</span>
                    </li>
                }
            })
            .collect_view();
        view! {
            <ul class="lines" aria-label=move || lang.get().t(Msg::Items) data-testid="summary-lines">
                {items}
            </ul>
        }
    });

    view! {
        <section class="card summary" aria-labelledby="checkout-title">
            <header class="merchant">
                {checkout
                    .merchant
                    .logo_url
                    .map(|url| {
                        view! { <img class="merchant-logo" src=url alt="" width="40" height="40" /> }
                    })}
                <p class="merchant-name" data-testid="merchant-name">
                    {move || lang.get().sold_by(&merchant_name)}
                </p>
                // Phones: the amount to pay beside the merchant, in the first screen whatever
                // the description's length (the breakdown below says it to screen readers).
                <p class="compact-total" aria-hidden="true" data-testid="summary-compact-total">
                    {move || per(quote.get().total)}
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
            <h2 class="visually-hidden">{tr(Msg::OrderSummary)}</h2>
            {lines}
            <dl class="breakdown" aria-live="polite">
                {(!is_cart)
                    .then(|| {
                        view! {
                            <div>
                                <dt>{tr(Msg::UnitPrice)}</dt>
                                <dd data-testid="summary-unit-price">
                                    {move || per(quote.get().unit_amount)}
                                </dd>
                            </div>
                            <div>
                                <dt>{tr(Msg::Quantity)}</dt>
                                <dd data-testid="summary-quantity">{move || quote.get().quantity}</dd>
                            </div>
                        }
                    })}
                <div>
                    <dt>{tr(Msg::Subtotal)}</dt>
                    <dd data-testid="summary-subtotal">{move || money(quote.get().subtotal)}</dd>
                </div>
                <Show when=move || { quote.get().discount > 0 }>
                    <div class="discount">
                        <dt>{discount_label}</dt>
                        <dd data-testid="summary-discount">
                            {move || format!("−{}", money(quote.get().discount))}
                        </dd>
                    </div>
                </Show>
                <Show when=move || { quote.get().fees > 0 }>
                    <div>
                        <dt>{tr(Msg::Fees)}</dt>
                        <dd data-testid="summary-fees">{move || money(quote.get().fees)}</dd>
                    </div>
                </Show>
                <div class="total">
                    <dt>{tr(Msg::Total)}</dt>
                    <dd data-testid="summary-total">{move || per(quote.get().total)}</dd>
                </div>
                <Show when=move || { is_recurring || quote.get().due_today != quote.get().total }>
                    <div class="due-today">
                        <dt>{tr(Msg::DueToday)}</dt>
                        <dd data-testid="summary-due-today">{move || money(quote.get().due_today)}</dd>
                    </div>
                </Show>
            </dl>
            <Show when=move || next_charge().is_some()>
                <p class="next-charge" data-testid="summary-next-charge">{next_charge}</p>
            </Show>
        </section>
    }
}
