//! The public checkout API the page calls, with no key: anyone holding an (unguessable) link
//! or session id may read what the customer sees, ask for a price and pay. Nothing private
//! leaves here: no private description, no metadata, no key; of the redirect URLs only the
//! cancel URL ("back to the merchant"), and the success URL once a payment has succeeded.

use crate::db::{Db, LinkRow, LinkType, PriceRow, ProductRow, SessionRow, SessionStatus};
use crate::error::{json_response, Error, Result};
use crate::input::{Fields, Id, OptionalJsonObject};
use crate::pages::method_not_allowed;
use crate::payments::{self, actions, outcome, pay};
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, HeaderName, HeaderValue, Method, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use checkout_core::calendar::to_rfc3339;
use checkout_core::coupon::{normalize_code, Coupon};
use checkout_core::payment::PaymentStatus;
use checkout_core::pricing::{
    quote, PriceBasis, PricingModel, Quote, QuoteRequest, RecurringTerms, DEFAULT_MAX_QUANTITY,
};
use checkout_core::wire::{
    conflict, CheckoutKind, CheckoutStatus, CustomerPrefill, Provider, PublicCheckout,
    PublicMerchant,
};
use tower_http::cors::{Any, CorsLayer};
use tower_http::set_header::SetResponseHeaderLayer;

pub const PREFIX: &str = "/api";

pub fn router() -> Router<AppState> {
    Router::new()
        // Each route's own 405 fallback sits inside the CORS layer, so preflight OPTIONS
        // requests reach CORS instead of the router-wide 405.
        .route(
            "/api/checkout/links/{id}",
            get(get_link).fallback(method_not_allowed),
        )
        .route(
            "/api/checkout/links/{id}/quote",
            post(quote_link).fallback(method_not_allowed),
        )
        .route(
            "/api/checkout/sessions/{id}",
            get(get_session).fallback(method_not_allowed),
        )
        .route(
            "/api/checkout/sessions/{id}/quote",
            post(quote_session).fallback(method_not_allowed),
        )
        .route(
            "/api/checkout/links/{id}/pay",
            post(pay::pay_link).fallback(method_not_allowed),
        )
        .route(
            "/api/checkout/sessions/{id}/pay",
            post(pay::pay_session).fallback(method_not_allowed),
        )
        .route(
            "/api/checkout/payments/{id}",
            get(actions::get_payment).fallback(method_not_allowed),
        )
        .route(
            "/api/checkout/payments/{id}/otp",
            post(actions::submit_otp).fallback(method_not_allowed),
        )
        .route(
            "/api/checkout/payments/{id}/resend",
            post(actions::resend_prompt).fallback(method_not_allowed),
        )
        .route(
            "/api/checkout/payments/{id}/qr.svg",
            get(actions::qr_code).fallback(method_not_allowed),
        )
        // Prices and statuses change; a cached answer could show a customer the wrong total.
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        // The page's API base is configurable, so the page may live on another origin. No
        // credentials are involved, so any origin may read.
        .layer(
            CorsLayer::new()
                .allow_origin(Any)
                .allow_methods([Method::GET, Method::POST])
                .allow_headers([
                    header::CONTENT_TYPE,
                    HeaderName::from_static("idempotency-key"),
                ]),
        )
}

/// A link or session reduced to what pricing, paying and the page need.
pub(crate) struct Resolved {
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
fn providers(state: &AppState, chosen: Option<&[Provider]>) -> Vec<Provider> {
    let enabled = &state.merchant().providers;
    match chosen.filter(|c| !c.is_empty()) {
        Some(chosen) => chosen
            .iter()
            .copied()
            .filter(|p| enabled.contains(p))
            .collect(),
        None => enabled.clone(),
    }
}

fn product_and_price(
    db: &Db,
    state: &AppState,
    product_id: &str,
    price_id: Option<&str>,
) -> Result<(ProductRow, PriceRow)> {
    // Links and sessions were checked against the catalog when created and products are never
    // deleted, so a miss here is the sandbox's fault, not the customer's.
    let product = db
        .product(&state.merchant().id, product_id)?
        .ok_or_else(|| Error::internal(format!("product {product_id} is missing")))?;
    let price = price_id
        .and_then(|id| product.prices.iter().find(|p| p.id == id))
        .or_else(|| product.prices.iter().find(|p| p.is_default))
        .or_else(|| product.prices.first())
        .cloned()
        .ok_or_else(|| Error::internal(format!("product {product_id} has no price")))?;
    Ok((product, price))
}

pub(crate) fn resolve_link(db: &Db, state: &AppState, id: &str, now: i64) -> Result<Resolved> {
    let link: LinkRow = db
        .link(&state.merchant().id, id)?
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
        },
        (_, Some(product_id), _) => {
            let (product, price) =
                product_and_price(db, state, product_id, link.price_id.as_deref())?;
            image_url = product.image_url.as_deref().map(|u| state.absolute(u));
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
        allowed_providers: providers(state, link.allowed_providers.as_deref()),
        expires_at: link.expires_at,
        customer: CustomerPrefill::default(),
        coupon_code: None,
        success_url: link.success_url.clone(),
        cancel_url: link.cancel_url.clone(),
        metadata: link.metadata.clone(),
    })
}

pub(crate) fn resolve_session(db: &Db, state: &AppState, id: &str, now: i64) -> Result<Resolved> {
    let session: SessionRow = db
        .session(&state.merchant().id, id)?
        .ok_or_else(|| Error::not_found("Checkout session not found"))?;
    let mut image_url = None;
    let mut price_id = None;
    let (pricing, recurring, product_id) = match session.product_id.as_deref() {
        Some(product_id) => {
            let (product, price) =
                product_and_price(db, state, product_id, session.price_id.as_deref())?;
            image_url = product.image_url.as_deref().map(|u| state.absolute(u));
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
            .link(&state.merchant().id, link_id)?
            .and_then(|l| l.allowed_providers),
        None => None,
    };
    let status = match session.status_at(now) {
        SessionStatus::Open => CheckoutStatus::Open,
        SessionStatus::Expired => CheckoutStatus::Expired,
        SessionStatus::Completed => CheckoutStatus::Completed,
    };
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
            allow_quantity: session.allow_quantity && recurring.is_none(),
            quantity: session.quantity,
            max_quantity: DEFAULT_MAX_QUANTITY.max(session.quantity),
            recurring,
            product_id,
            allow_coupon_code: session.allow_coupon_code,
        },
        price_id,
        require_billing_address: session.require_billing_address,
        allowed_providers: providers(state, link_providers.as_deref()),
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
    })
}

/// The merchant's coupon for the requested code, if there is one.
pub(crate) fn requested_coupon(
    db: &Db,
    state: &AppState,
    request: &QuoteRequest,
) -> Result<Option<Coupon>> {
    Ok(match request.coupon_code.as_deref().map(normalize_code) {
        Some(code) if !code.is_empty() => db
            .coupon_by_code(&state.merchant().id, &code)?
            .map(|c| c.to_core()),
        _ => None,
    })
}

/// Prices `request` with `coupon`, the merchant's coupon for the requested code.
pub(crate) fn price_with(
    r: &Resolved,
    request: &QuoteRequest,
    coupon: Option<&Coupon>,
    now: i64,
) -> Result<Quote> {
    quote(&r.basis, request, coupon, now).map_err(|e| Error::quote(e, r.basis.currency))
}

/// Prices `request` with the merchant's coupon for the requested code, if there is one.
pub(crate) fn price(
    db: &Db,
    state: &AppState,
    r: &Resolved,
    request: &QuoteRequest,
    now: i64,
) -> Result<Quote> {
    let coupon = requested_coupon(db, state, request)?;
    price_with(r, request, coupon.as_ref(), now)
}

/// The machine reason a checkout in `status` cannot be priced or paid; `None` when open.
pub(crate) fn status_conflict(status: CheckoutStatus) -> Option<&'static str> {
    match status {
        CheckoutStatus::Open => None,
        CheckoutStatus::Inactive => Some(conflict::INACTIVE),
        CheckoutStatus::Expired => Some(conflict::EXPIRED),
        CheckoutStatus::Completed => Some(conflict::COMPLETED),
    }
}

fn public_checkout(
    state: &AppState,
    r: Resolved,
    quote: Quote,
    payment: Option<checkout_core::payment::Payment>,
) -> PublicCheckout {
    let merchant = state.merchant();
    PublicCheckout {
        kind: r.kind,
        id: r.id,
        status: r.status,
        test_mode: true,
        merchant: PublicMerchant {
            name: merchant.name.clone(),
            logo_url: merchant.logo_url.as_deref().map(|u| state.absolute(u)),
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
        expires_in_seconds: r.expires_at.map(|at| at - state.now()),
        customer: r.customer,
        coupon_code: r.coupon_code,
        quote,
        cancel_url: r
            .cancel_url
            .or_else(|| state.merchant_cancel_url().map(str::to_string)),
        payment,
    }
}

fn show(state: &AppState, db: &Db, r: Resolved, now: i64) -> Result<Response> {
    let request = QuoteRequest {
        coupon_code: r.coupon_code.clone(),
        ..QuoteRequest::default()
    };
    // The default order is the checkout's own terms, which always price; a refusal here
    // would be a broken row, not a customer's mistake.
    let quote = price(db, state, &r, &request, now)
        .map_err(|e| Error::internal(format!("default order refused: {}", e.api().message)))?;
    // A session's latest payment, unless it failed: reopening the session then shows the
    // payment's live status, never a form that could pay it twice.
    let payment = match r.kind {
        CheckoutKind::Session => db
            .latest_payment_of(&r.id)?
            .filter(|p| p.status != PaymentStatus::Failed)
            .map(|p| payments::to_wire(state, &p)),
        _ => None,
    };
    Ok(json_response(
        StatusCode::OK,
        &public_checkout(state, r, quote, payment),
    ))
}

/// The order fields shared by quote and pay requests.
pub(crate) fn read_order(f: &mut Fields) -> QuoteRequest {
    QuoteRequest {
        quantity: f.count("quantity", 0, u32::MAX),
        unit_amount: f.number("unit_amount").and_then(
            |n| match checkout_core::money::parse_decimal(&n.to_string(), 0) {
                Ok(v) => Some(v),
                Err(e) => {
                    f.fail("unit_amount", format!("Minor units: {e}"));
                    None
                }
            },
        ),
        coupon_code: f.string("coupon_code"),
    }
}

fn read_quote_request(mut f: Fields) -> Result<QuoteRequest> {
    let request = read_order(&mut f);
    f.finish()?;
    Ok(request)
}

fn answer_quote(
    state: &AppState,
    r: Resolved,
    request: QuoteRequest,
    now: i64,
) -> Result<Response> {
    if let Some(why) = status_conflict(r.status) {
        // The conflict's value is also the status's wire name.
        return Err(Error::checkout_conflict(
            format!("This checkout is {why}: it cannot be paid"),
            why,
        ));
    }
    let quote = price(&state.db(), state, &r, &request, now)?;
    Ok(json_response(StatusCode::OK, &quote))
}

#[utoipa::path(
    get,
    path = "/api/checkout/links/{id}",
    tag = "Public checkout",
    params(("id" = String, Path, description = "Payment link id")),
    responses(
        (status = 200, description = "What the customer sees", body = PublicCheckout),
        (status = 404, description = "Unknown or deleted link", body = checkout_core::wire::ErrorBody),
    )
)]
pub async fn get_link(State(state): State<AppState>, Id(id): Id) -> Result<Response> {
    let now = state.now();
    let db = state.db();
    let resolved = resolve_link(&db, &state, &id, now)?;
    show(&state, &db, resolved, now)
}

#[utoipa::path(
    get,
    path = "/api/checkout/sessions/{id}",
    tag = "Public checkout",
    params(("id" = String, Path, description = "Checkout session id")),
    responses(
        (status = 200, description = "What the customer sees", body = PublicCheckout),
        (status = 404, description = "Unknown session", body = checkout_core::wire::ErrorBody),
    )
)]
pub async fn get_session(State(state): State<AppState>, Id(id): Id) -> Result<Response> {
    let db = state.db();
    // A payment that settled since the last read completes the session first.
    outcome::settle(&db, &state)?;
    let now = state.now();
    let resolved = resolve_session(&db, &state, &id, now)?;
    show(&state, &db, resolved, now)
}

#[utoipa::path(
    post,
    path = "/api/checkout/links/{id}/quote",
    tag = "Public checkout",
    params(("id" = String, Path, description = "Payment link id")),
    request_body = QuoteRequest,
    responses(
        (status = 200, description = "The server's price of the order", body = Quote),
        (status = 400, description = "An order the server will not price; `reason` says why", body = checkout_core::wire::ErrorBody),
        (status = 404, description = "Unknown or deleted link", body = checkout_core::wire::ErrorBody),
        (status = 409, description = "The link is inactive or expired (`details.conflict`: `inactive`, `expired`)", body = checkout_core::wire::ErrorBody),
    )
)]
pub async fn quote_link(
    State(state): State<AppState>,
    Id(id): Id,
    OptionalJsonObject(f): OptionalJsonObject,
) -> Result<Response> {
    let request = read_quote_request(f)?;
    let now = state.now();
    let resolved = resolve_link(&state.db(), &state, &id, now)?;
    answer_quote(&state, resolved, request, now)
}

#[utoipa::path(
    post,
    path = "/api/checkout/sessions/{id}/quote",
    tag = "Public checkout",
    params(("id" = String, Path, description = "Checkout session id")),
    request_body = QuoteRequest,
    responses(
        (status = 200, description = "The server's price of the order", body = Quote),
        (status = 400, description = "An order the server will not price; `reason` says why", body = checkout_core::wire::ErrorBody),
        (status = 404, description = "Unknown session", body = checkout_core::wire::ErrorBody),
        (status = 409, description = "The session is expired or completed (`details.conflict`: `expired`, `completed`)", body = checkout_core::wire::ErrorBody),
    )
)]
pub async fn quote_session(
    State(state): State<AppState>,
    Id(id): Id,
    OptionalJsonObject(f): OptionalJsonObject,
) -> Result<Response> {
    let request = read_quote_request(f)?;
    let resolved = {
        let db = state.db();
        // A session whose payment has settled is completed: no more prices for it.
        outcome::settle(&db, &state)?;
        resolve_session(&db, &state, &id, state.now())?
    };
    answer_quote(&state, resolved, request, state.now())
}
