//! A link or session as the customer meets it: resolved to its price basis, its providers
//! and its status, priced through checkout-core, and shown as the page's [`PublicCheckout`].

use crate::domain::payments;
use crate::domain::Ctx;
use crate::error::{Error, Result};
use crate::storage::{Db, LinkRow, LinkType, PriceRow, ProductRow, SessionRow, SessionStatus};
use checkout_core::calendar::to_rfc3339;
use checkout_core::coupon::{normalize_code, Coupon};
use checkout_core::payment::PaymentStatus;
use checkout_core::pricing::{
    quote, CartLine, PriceBasis, PricingModel, Quote, QuoteRequest, RecurringTerms,
    DEFAULT_MAX_QUANTITY,
};
use checkout_core::wire::{
    conflict, CheckoutKind, CheckoutStatus, CustomerPrefill, OrderLine, Provider, PublicCheckout,
    PublicMerchant,
};

/// The sandbox runs in test mode only: it takes test keys, and no money moves. The page
/// says so on every checkout, and embedded mode allows loopback origins for it
/// ([`crate::domain::embed`]).
pub const TEST_MODE: bool = true;

/// How long a checkout session stays open unless the merchant says otherwise.
pub const SESSION_LIFETIME: i64 = 60 * 60;

/// A link or session reduced to what pricing, paying and the page need.
pub struct Resolved {
    pub kind: CheckoutKind,
    pub id: String,
    pub status: CheckoutStatus,
    pub title: String,
    pub description: Option<String>,
    pub image_url: Option<String>,
    pub basis: PriceBasis,
    /// The catalog price the order is priced from, if any.
    pub price_id: Option<String>,
    pub require_billing_address: bool,
    pub allowed_providers: Vec<Provider>,
    pub expires_at: Option<i64>,
    pub customer: CustomerPrefill,
    pub coupon_code: Option<String>,
    /// As the merchant set them; `{CHECKOUT_SESSION_ID}` not yet replaced.
    pub success_url: Option<String>,
    pub cancel_url: Option<String>,
    /// The merchant's metadata, as stored (JSON text).
    pub metadata: Option<String>,
    /// A cart's lines as the customer sees them; empty for a single price.
    pub lines: Vec<OrderLine>,
}

fn pricing_of(price: &PriceRow) -> PricingModel {
    if price.pay_what_you_want {
        PricingModel::PayWhatYouWant {
            minimum: price.minimum_amount.unwrap_or(0),
            maximum: price.maximum_amount,
        }
    } else {
        PricingModel::Standard
    }
}

fn recurring_of(product: &ProductRow, price: &PriceRow) -> Option<RecurringTerms> {
    price.billing_interval.map(|interval| RecurringTerms {
        interval,
        first_payment_type: product.first_payment_type,
        trial_days: if product.trial_enabled {
            product.trial_period_days
        } else {
            0
        },
    })
}

/// The link's providers, kept to those the merchant has enabled; none listed means all of
/// the merchant's.
/// The providers a checkout offers: the link's choice among the merchant's, and for a plan
/// only those that can collect its renewals ([`checkout_core::providers::can_renew`]: not
/// crypto).
fn providers(ctx: &Ctx, chosen: Option<&[Provider]>, recurring: bool) -> Vec<Provider> {
    let enabled = &ctx.merchant().providers;
    let offered: Vec<Provider> = match chosen.filter(|c| !c.is_empty()) {
        Some(chosen) => chosen
            .iter()
            .copied()
            .filter(|p| enabled.contains(p))
            .collect(),
        None => enabled.clone(),
    };
    offered
        .into_iter()
        .filter(|p| !recurring || checkout_core::providers::can_renew(*p))
        .collect()
}

fn product_and_price(
    db: &Db,
    ctx: &Ctx,
    product_id: &str,
    price_id: Option<&str>,
) -> Result<(ProductRow, PriceRow)> {
    // Links and sessions were checked against the catalog when created and products are never
    // deleted, so a miss here is the sandbox's fault, not the customer's.
    let product = db
        .product(&ctx.merchant().id, product_id)?
        .ok_or_else(|| Error::internal(format!("product {product_id} is missing")))?;
    let price = price_id
        .and_then(|id| product.prices.iter().find(|p| p.id == id))
        .or_else(|| product.prices.iter().find(|p| p.is_default))
        .or_else(|| product.prices.first())
        .cloned()
        .ok_or_else(|| Error::internal(format!("product {product_id} has no price")))?;
    Ok((product, price))
}

pub fn resolve_link(db: &Db, ctx: &Ctx, id: &str, now: i64) -> Result<Resolved> {
    let link: LinkRow = db
        .link(&ctx.merchant().id, id)?
        .ok_or_else(|| Error::not_found("Payment link not found"))?;
    let mut image_url = None;
    let mut price_id = None;
    let mut product_active = true;
    let basis = match (link.link_type, link.catalog_product_id(), link.amount) {
        (LinkType::Instant, _, Some(amount)) => PriceBasis {
            currency: link.currency,
            unit_amount: amount,
            pricing: PricingModel::Standard,
            allow_quantity: link.allow_quantity,
            quantity: 1,
            max_quantity: DEFAULT_MAX_QUANTITY,
            recurring: None,
            product_id: None,
            allow_coupon_code: link.allow_coupon_code,
            lines: Vec::new(),
        },
        (_, Some(product_id), _) => {
            let (product, price) =
                product_and_price(db, ctx, product_id, link.price_id.as_deref())?;
            image_url = product.image_url.as_deref().and_then(|u| ctx.image(u));
            price_id = Some(price.id.clone());
            product_active = product.is_active;
            let recurring = recurring_of(&product, &price);
            PriceBasis {
                currency: price.currency,
                unit_amount: price.amount,
                pricing: pricing_of(&price),
                allow_quantity: link.allow_quantity && recurring.is_none(),
                quantity: 1,
                max_quantity: DEFAULT_MAX_QUANTITY,
                recurring,
                product_id: Some(product.id.clone()),
                allow_coupon_code: link.allow_coupon_code,
                lines: Vec::new(),
            }
        }
        _ => return Err(Error::internal(format!("payment link {id} has no price"))),
    };
    let status = if !link.is_active || !product_active {
        CheckoutStatus::Inactive
    } else if link.expires_at.is_some_and(|t| now >= t) {
        CheckoutStatus::Expired
    } else {
        CheckoutStatus::Open
    };
    let renews = basis.recurring.is_some();
    Ok(Resolved {
        kind: link.link_type.kind(),
        id: link.id.clone(),
        status,
        title: link.title.clone(),
        description: link.description.clone(),
        image_url,
        basis,
        price_id,
        require_billing_address: link.require_billing_address,
        allowed_providers: providers(ctx, link.allowed_providers.as_deref(), renews),
        expires_at: link.expires_at,
        customer: CustomerPrefill::default(),
        coupon_code: None,
        success_url: link.success_url.clone(),
        cancel_url: link.cancel_url.clone(),
        metadata: link.metadata.clone(),
        lines: Vec::new(),
    })
}

pub fn resolve_session(db: &Db, ctx: &Ctx, id: &str, now: i64) -> Result<Resolved> {
    let session: SessionRow = db
        .session(&ctx.merchant().id, id)?
        .ok_or_else(|| Error::not_found("Checkout session not found"))?;
    let mut image_url = None;
    let mut price_id = None;
    let (pricing, recurring, product_id) = match session.product_id.as_deref() {
        Some(product_id) => {
            let (product, price) =
                product_and_price(db, ctx, product_id, session.price_id.as_deref())?;
            image_url = product.image_url.as_deref().and_then(|u| ctx.image(u));
            price_id = Some(price.id.clone());
            (
                pricing_of(&price),
                recurring_of(&product, &price),
                Some(product.id),
            )
        }
        None => (PricingModel::Standard, None, None),
    };
    // A session made from a payment link offers that link's providers.
    let link_providers = match session.payment_link_id.as_deref() {
        Some(link_id) => db
            .link(&ctx.merchant().id, link_id)?
            .and_then(|l| l.allowed_providers),
        None => None,
    };
    let status = match session.status_at(now) {
        SessionStatus::Open => CheckoutStatus::Open,
        SessionStatus::Expired => CheckoutStatus::Expired,
        SessionStatus::Completed => CheckoutStatus::Completed,
    };
    let renews = recurring.is_some();
    Ok(Resolved {
        kind: CheckoutKind::Session,
        id: session.id.clone(),
        status,
        title: session.title.clone(),
        description: session.description.clone(),
        image_url,
        basis: PriceBasis {
            currency: session.currency,
            unit_amount: session.unit_amount,
            pricing,
            // A cart's quantities were set by the merchant, line by line.
            allow_quantity: session.allow_quantity
                && recurring.is_none()
                && session.line_items.is_empty(),
            quantity: session.quantity,
            max_quantity: DEFAULT_MAX_QUANTITY.max(session.quantity),
            recurring,
            product_id,
            allow_coupon_code: session.allow_coupon_code,
            lines: session
                .line_items
                .iter()
                .map(|l| CartLine {
                    product_id: l.product_id.clone(),
                    unit_amount: l.unit_amount,
                    quantity: l.quantity,
                })
                .collect(),
        },
        price_id,
        require_billing_address: session.require_billing_address,
        allowed_providers: providers(ctx, link_providers.as_deref(), renews),
        expires_at: Some(session.expires_at),
        customer: CustomerPrefill {
            name: session.customer_name.clone(),
            email: session.customer_email.clone(),
            phone: session.customer_phone.clone(),
        },
        coupon_code: session.coupon_code.clone(),
        success_url: session.success_url.clone(),
        cancel_url: session.cancel_url.clone(),
        metadata: session.metadata.clone(),
        lines: session
            .line_items
            .iter()
            .map(|l| OrderLine {
                name: l.name.clone(),
                quantity: l.quantity,
                unit_amount: l.unit_amount,
                amount: l.amount(),
            })
            .collect(),
    })
}

/// The merchant's coupon for the requested code, if there is one.
pub fn requested_coupon(db: &Db, ctx: &Ctx, request: &QuoteRequest) -> Result<Option<Coupon>> {
    Ok(match request.coupon_code.as_deref().map(normalize_code) {
        Some(code) if !code.is_empty() => db
            .coupon_by_code(&ctx.merchant().id, &code)?
            .map(|c| c.to_core()),
        _ => None,
    })
}

/// Prices `request` with `coupon`, the merchant's coupon for the requested code.
pub fn price_with(
    r: &Resolved,
    request: &QuoteRequest,
    coupon: Option<&Coupon>,
    now: i64,
) -> Result<Quote> {
    quote(&r.basis, request, coupon, now).map_err(|e| Error::quote(e, r.basis.currency))
}

/// Prices `request` with the merchant's coupon for the requested code, if there is one.
pub fn price(db: &Db, ctx: &Ctx, r: &Resolved, request: &QuoteRequest, now: i64) -> Result<Quote> {
    let coupon = requested_coupon(db, ctx, request)?;
    price_with(r, request, coupon.as_ref(), now)
}

/// The machine reason a checkout in `status` cannot be priced or paid; `None` when open.
pub fn status_conflict(status: CheckoutStatus) -> Option<&'static str> {
    match status {
        CheckoutStatus::Open => None,
        CheckoutStatus::Inactive => Some(conflict::INACTIVE),
        CheckoutStatus::Expired => Some(conflict::EXPIRED),
        CheckoutStatus::Completed => Some(conflict::COMPLETED),
    }
}

fn public_checkout(
    ctx: &Ctx,
    r: Resolved,
    quote: Quote,
    payment: Option<checkout_core::payment::Payment>,
) -> PublicCheckout {
    let merchant = ctx.merchant();
    PublicCheckout {
        kind: r.kind,
        id: r.id,
        status: r.status,
        test_mode: TEST_MODE,
        merchant: PublicMerchant {
            name: merchant.name.clone(),
            logo_url: merchant.logo_url.as_deref().and_then(|u| ctx.image(u)),
            country: merchant.country.clone(),
        },
        title: r.title,
        description: r.description,
        image_url: r.image_url,
        currency: r.basis.currency,
        pricing: r.basis.pricing.clone(),
        allow_quantity: r.basis.allow_quantity,
        max_quantity: r.basis.max_quantity,
        allow_coupon_code: r.basis.allow_coupon_code,
        require_billing_address: r.require_billing_address,
        allowed_providers: r.allowed_providers,
        recurring: r.basis.recurring.clone(),
        expires_at: r.expires_at.map(to_rfc3339),
        expires_in_seconds: r.expires_at.map(|at| at - ctx.now()),
        customer: r.customer,
        coupon_code: r.coupon_code,
        quote,
        cancel_url: r
            .cancel_url
            .or_else(|| ctx.merchant_cancel_url().map(str::to_string)),
        payment,
        lines: r.lines,
    }
}

/// What the page shows of `r`: its terms, its default order priced, and for a session the
/// latest payment unless it failed.
pub fn view(ctx: &Ctx, db: &Db, r: Resolved, now: i64) -> Result<PublicCheckout> {
    let request = QuoteRequest {
        coupon_code: r.coupon_code.clone(),
        ..QuoteRequest::default()
    };
    // The default order is the checkout's own terms, which always price; a refusal here
    // would be a broken row, not a customer's mistake.
    let quote = price(db, ctx, &r, &request, now)
        .map_err(|e| Error::internal(format!("default order refused: {}", e.api().message)))?;
    // A session's latest payment, unless it failed: reopening the session then shows the
    // payment's live status, never a form that could pay it twice.
    let payment = match r.kind {
        CheckoutKind::Session => db
            .latest_payment_of(&r.id)?
            .filter(|p| p.status != PaymentStatus::Failed)
            .map(|p| payments::to_wire(ctx, &p)),
        _ => None,
    };
    Ok(public_checkout(ctx, r, quote, payment))
}
