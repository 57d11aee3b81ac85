//! The sandbox's SQLite storage: schema, rows and queries. Money is integer minor units and
//! time is unix seconds, exactly as checkout-core counts them; the API layer converts.

use checkout_core::calendar::BillingInterval;
use checkout_core::coupon::{Coupon, CustomerType, DiscountRule};
use checkout_core::customer::BillingAddress;
use checkout_core::payment::{FailureReason, PaymentStatus};
use checkout_core::pricing::FirstPaymentType;
use checkout_core::wire::{CheckoutKind, Provider};
use checkout_core::Currency;
use rusqlite::types::Value as Sql;
use rusqlite::{params, Connection, OptionalExtension, Row};
use std::path::Path;

pub type DbResult<T> = rusqlite::Result<T>;

const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS merchants (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL,
    name TEXT NOT NULL,
    country TEXT,
    logo_url TEXT,
    providers TEXT NOT NULL,
    api_key TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS products (
    id TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES merchants(id),
    name TEXT NOT NULL,
    description TEXT,
    image_url TEXT,
    product_type TEXT NOT NULL,
    is_active INTEGER NOT NULL,
    first_payment_type TEXT NOT NULL,
    trial_enabled INTEGER NOT NULL,
    trial_period_days INTEGER NOT NULL,
    metadata TEXT,
    demo_key TEXT UNIQUE,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS prices (
    id TEXT PRIMARY KEY,
    product_id TEXT NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    amount INTEGER NOT NULL,
    currency TEXT NOT NULL,
    pricing_model TEXT NOT NULL,
    minimum_amount INTEGER,
    maximum_amount INTEGER,
    billing_interval TEXT,
    is_default INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS prices_by_product ON prices(product_id, position);
CREATE TABLE IF NOT EXISTS coupons (
    id TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES merchants(id),
    code TEXT NOT NULL,
    description TEXT,
    discount_type TEXT NOT NULL,
    basis_points INTEGER,
    fixed_amount INTEGER,
    currency TEXT,
    valid_from INTEGER,
    expires_at INTEGER,
    is_active INTEGER NOT NULL,
    max_uses INTEGER,
    current_uses INTEGER NOT NULL DEFAULT 0,
    max_quantity_per_use INTEGER,
    is_organization_wide INTEGER NOT NULL,
    product_ids TEXT NOT NULL,
    customer_type TEXT NOT NULL,
    demo_key TEXT UNIQUE,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (merchant_id, code)
);
CREATE TABLE IF NOT EXISTS payment_links (
    id TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES merchants(id),
    link_type TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT,
    private_description TEXT,
    amount INTEGER,
    currency TEXT NOT NULL,
    product_id TEXT,
    price_id TEXT,
    plan_id TEXT,
    allowed_providers TEXT,
    allow_quantity INTEGER NOT NULL,
    allow_coupon_code INTEGER NOT NULL,
    require_billing_address INTEGER NOT NULL,
    is_active INTEGER NOT NULL,
    expires_at INTEGER,
    success_url TEXT,
    cancel_url TEXT,
    metadata TEXT,
    demo_key TEXT UNIQUE,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS checkout_sessions (
    id TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES merchants(id),
    status TEXT NOT NULL,
    unit_amount INTEGER NOT NULL,
    quantity INTEGER NOT NULL,
    currency TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT,
    customer_id TEXT,
    customer_email TEXT,
    customer_name TEXT,
    customer_phone TEXT,
    product_id TEXT,
    price_id TEXT,
    subscription_id TEXT,
    payment_link_id TEXT,
    allow_quantity INTEGER NOT NULL,
    allow_coupon_code INTEGER NOT NULL,
    require_billing_address INTEGER NOT NULL,
    success_url TEXT,
    cancel_url TEXT,
    metadata TEXT,
    coupon_code TEXT,
    transaction_id TEXT,
    demo_key TEXT UNIQUE,
    expires_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    billing_country TEXT,
    billing_city TEXT,
    billing_line1 TEXT,
    billing_postal_code TEXT
);
CREATE TABLE IF NOT EXISTS payments (
    id TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES merchants(id),
    session_id TEXT NOT NULL REFERENCES checkout_sessions(id),
    started_kind TEXT NOT NULL,
    started_id TEXT NOT NULL,
    idempotency_scope TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status TEXT NOT NULL,
    provider TEXT,
    amount INTEGER NOT NULL,
    currency TEXT NOT NULL,
    phone TEXT,
    coupon_code TEXT,
    stage TEXT NOT NULL,
    card_last4 TEXT,
    failure TEXT,
    transaction_id TEXT,
    success_url TEXT,
    cancel_url TEXT,
    settle_at_ms INTEGER,
    settle_to TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
-- One payment per page attempt: a repeated key finds the payment it started, even when two
-- requests race (the second insert fails instead of charging twice).
CREATE UNIQUE INDEX IF NOT EXISTS payments_idempotency
    ON payments(idempotency_scope, idempotency_key);
-- At most one payment in flight per session, whatever the keys: a second tab or a second
-- provider cannot start a parallel charge.
CREATE UNIQUE INDEX IF NOT EXISTS payments_one_pending_per_session
    ON payments(session_id) WHERE status = 'pending';
CREATE INDEX IF NOT EXISTS payments_by_session ON payments(session_id, created_at);
CREATE INDEX IF NOT EXISTS payments_due ON payments(status, settle_at_ms);
"#;

/// Columns added to tables after their first release: a database written by an older sandbox
/// (`data/sandbox.db` survives upgrades) gets them on open, since `CREATE TABLE IF NOT EXISTS`
/// leaves an existing table as it was. Each is nullable, so old rows read as "not recorded".
const ADDED_COLUMNS: &[(&str, &str, &str)] = &[
    ("checkout_sessions", "billing_country", "TEXT"),
    ("checkout_sessions", "billing_city", "TEXT"),
    ("checkout_sessions", "billing_line1", "TEXT"),
    ("checkout_sessions", "billing_postal_code", "TEXT"),
];

/// Which rows of a list to read: `limit` rows after skipping `offset`, newest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageRequest {
    pub limit: u32,
    pub offset: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkType {
    Instant,
    Product,
    Plan,
}

impl LinkType {
    pub const CHOICES: [(&'static str, LinkType); 3] = [
        ("product", LinkType::Product),
        ("plan", LinkType::Plan),
        ("instant", LinkType::Instant),
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LinkType::Instant => "instant",
            LinkType::Product => "product",
            LinkType::Plan => "plan",
        }
    }

    pub fn kind(self) -> CheckoutKind {
        match self {
            LinkType::Instant => CheckoutKind::Instant,
            LinkType::Product => CheckoutKind::Product,
            LinkType::Plan => CheckoutKind::Plan,
        }
    }

    fn parse(s: &str) -> Option<Self> {
        Self::CHOICES
            .iter()
            .find(|(name, _)| *name == s)
            .map(|(_, t)| *t)
    }
}

/// A session's stored status; an open session past `expires_at` reads as expired without a
/// write, so the stored value never goes stale in a way readers can see.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionStatus {
    Open,
    Completed,
    Expired,
}

impl SessionStatus {
    pub const CHOICES: [(&'static str, SessionStatus); 3] = [
        ("open", SessionStatus::Open),
        ("completed", SessionStatus::Completed),
        ("expired", SessionStatus::Expired),
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SessionStatus::Open => "open",
            SessionStatus::Completed => "completed",
            SessionStatus::Expired => "expired",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        Self::CHOICES
            .iter()
            .find(|(name, _)| *name == s)
            .map(|(_, t)| *t)
    }
}

pub fn first_payment_str(f: FirstPaymentType) -> &'static str {
    match f {
        FirstPaymentType::Initial => "initial",
        FirstPaymentType::NonInitial => "non_initial",
    }
}

pub fn interval_str(i: BillingInterval) -> &'static str {
    match i {
        BillingInterval::Day => "day",
        BillingInterval::Week => "week",
        BillingInterval::Month => "month",
        BillingInterval::Quarter => "quarter",
        BillingInterval::Year => "year",
    }
}

pub fn customer_type_str(c: CustomerType) -> &'static str {
    match c {
        CustomerType::All => "all",
        CustomerType::New => "new",
        CustomerType::Returning => "returning",
    }
}

#[derive(Clone, Debug)]
pub struct Merchant {
    pub id: String,
    pub organization_id: String,
    pub name: String,
    pub country: Option<String>,
    /// A path on the sandbox (`/sandbox/assets/…`) or an absolute URL.
    pub logo_url: Option<String>,
    pub providers: Vec<Provider>,
    pub api_key: String,
}

#[derive(Clone, Debug)]
pub struct ProductRow {
    pub id: String,
    pub merchant_id: String,
    pub name: String,
    pub description: Option<String>,
    pub image_url: Option<String>,
    pub recurring: bool,
    pub is_active: bool,
    pub first_payment_type: FirstPaymentType,
    pub trial_enabled: bool,
    pub trial_period_days: u32,
    pub metadata: Option<String>,
    pub demo_key: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub prices: Vec<PriceRow>,
}

#[derive(Clone, Debug)]
pub struct PriceRow {
    pub id: String,
    pub product_id: String,
    pub amount: i64,
    pub currency: Currency,
    pub pay_what_you_want: bool,
    pub minimum_amount: Option<i64>,
    pub maximum_amount: Option<i64>,
    pub billing_interval: Option<BillingInterval>,
    pub is_default: bool,
    pub created_at: i64,
}

#[derive(Clone, Debug)]
pub struct CouponRow {
    pub id: String,
    pub merchant_id: String,
    pub code: String,
    pub description: Option<String>,
    pub discount: DiscountRule,
    pub currency: Option<Currency>,
    pub valid_from: Option<i64>,
    pub expires_at: Option<i64>,
    pub is_active: bool,
    pub max_uses: Option<u32>,
    pub current_uses: u32,
    pub max_quantity_per_use: Option<u32>,
    pub is_organization_wide: bool,
    pub product_ids: Vec<String>,
    pub customer_type: CustomerType,
    pub demo_key: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl CouponRow {
    pub fn to_core(&self) -> Coupon {
        Coupon {
            code: self.code.clone(),
            is_active: self.is_active,
            discount: self.discount.clone(),
            currency: self.currency,
            valid_from: self.valid_from,
            expires_at: self.expires_at,
            max_uses: self.max_uses,
            current_uses: self.current_uses,
            max_quantity_per_use: self.max_quantity_per_use,
            is_organization_wide: self.is_organization_wide,
            product_ids: self.product_ids.clone(),
            customer_type: self.customer_type,
        }
    }
}

#[derive(Clone, Debug)]
pub struct LinkRow {
    pub id: String,
    pub merchant_id: String,
    pub link_type: LinkType,
    pub title: String,
    pub description: Option<String>,
    pub private_description: Option<String>,
    /// Instant links only; product and plan links price from the product.
    pub amount: Option<i64>,
    pub currency: Currency,
    pub product_id: Option<String>,
    pub price_id: Option<String>,
    pub plan_id: Option<String>,
    /// `None` (or empty) means the merchant's enabled providers.
    pub allowed_providers: Option<Vec<Provider>>,
    pub allow_quantity: bool,
    pub allow_coupon_code: bool,
    pub require_billing_address: bool,
    pub is_active: bool,
    pub expires_at: Option<i64>,
    pub success_url: Option<String>,
    pub cancel_url: Option<String>,
    pub metadata: Option<String>,
    pub demo_key: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl LinkRow {
    /// The product a product or plan link sells.
    pub fn catalog_product_id(&self) -> Option<&str> {
        match self.link_type {
            LinkType::Instant => None,
            LinkType::Product => self.product_id.as_deref(),
            LinkType::Plan => self.plan_id.as_deref(),
        }
    }
}

#[derive(Clone, Debug)]
pub struct SessionRow {
    pub id: String,
    pub merchant_id: String,
    pub status: SessionStatus,
    pub unit_amount: i64,
    pub quantity: u32,
    pub currency: Currency,
    pub title: String,
    pub description: Option<String>,
    pub customer_id: Option<String>,
    pub customer_email: Option<String>,
    pub customer_name: Option<String>,
    pub customer_phone: Option<String>,
    pub product_id: Option<String>,
    pub price_id: Option<String>,
    pub subscription_id: Option<String>,
    pub payment_link_id: Option<String>,
    pub allow_quantity: bool,
    pub allow_coupon_code: bool,
    pub require_billing_address: bool,
    pub success_url: Option<String>,
    pub cancel_url: Option<String>,
    pub metadata: Option<String>,
    pub coupon_code: Option<String>,
    pub transaction_id: Option<String>,
    pub demo_key: Option<String>,
    pub expires_at: i64,
    pub created_at: i64,
    /// The address the customer paid with, when the checkout asked for one.
    pub billing: Option<BillingAddress>,
}

/// What a payment on a session records of the customer's order, as the server priced it.
#[derive(Clone, Debug)]
pub struct SessionOrder {
    pub unit_amount: i64,
    pub quantity: u32,
    pub coupon_code: Option<String>,
    pub customer_name: Option<String>,
    pub customer_email: Option<String>,
    /// E.164.
    pub customer_phone: Option<String>,
    pub billing: Option<BillingAddress>,
}

impl SessionRow {
    pub fn status_at(&self, now: i64) -> SessionStatus {
        match self.status {
            SessionStatus::Open if now >= self.expires_at => SessionStatus::Expired,
            other => other,
        }
    }
}

/// Where a pending payment stands, which decides what the customer is asked next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// The customer has yet to act: approve on Wave's page, type Orange's code, enter a card,
    /// approve MTN's prompt, send the crypto.
    AwaitingCustomer,
    /// The customer has done their part; the operator is working.
    AwaitingOperator,
    /// The card's bank asked for 3-D Secure.
    Authenticating,
}

impl Stage {
    const CHOICES: [(&'static str, Stage); 3] = [
        ("awaiting_customer", Stage::AwaitingCustomer),
        ("awaiting_operator", Stage::AwaitingOperator),
        ("authenticating", Stage::Authenticating),
    ];

    fn as_str(self) -> &'static str {
        match self {
            Stage::AwaitingCustomer => "awaiting_customer",
            Stage::AwaitingOperator => "awaiting_operator",
            Stage::Authenticating => "authenticating",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        Self::CHOICES
            .iter()
            .find(|(name, _)| *name == s)
            .map(|(_, t)| *t)
    }
}

/// Failure reasons by their wire names (the page's and the control endpoint's).
pub const FAILURES: [(&str, FailureReason); 6] = [
    ("insufficient_funds", FailureReason::InsufficientFunds),
    ("rejected_by_customer", FailureReason::RejectedByCustomer),
    ("operator_timeout", FailureReason::OperatorTimeout),
    ("wrong_code", FailureReason::WrongCode),
    ("card_declined", FailureReason::CardDeclined),
    ("declined", FailureReason::Declined),
];

pub fn failure_str(reason: FailureReason) -> &'static str {
    FAILURES
        .iter()
        .find(|(_, r)| *r == reason)
        .map_or("declined", |(name, _)| name)
}

fn failure_parse(s: &str) -> Option<FailureReason> {
    FAILURES
        .iter()
        .find(|(name, _)| *name == s)
        .map(|(_, r)| *r)
}

/// What a pending payment becomes at `settle_at_ms` unless something settles it first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Settlement {
    Succeed,
    Fail(FailureReason),
}

impl Settlement {
    fn as_str(self) -> &'static str {
        match self {
            Settlement::Succeed => "succeeded",
            Settlement::Fail(reason) => failure_str(reason),
        }
    }

    fn parse(s: &str) -> Option<Self> {
        match s {
            "succeeded" => Some(Settlement::Succeed),
            other => failure_parse(other).map(Settlement::Fail),
        }
    }
}

fn payment_status_str(status: PaymentStatus) -> &'static str {
    match status {
        PaymentStatus::Pending => "pending",
        PaymentStatus::Succeeded => "succeeded",
        PaymentStatus::Failed => "failed",
    }
}

fn payment_status_parse(s: &str) -> Option<PaymentStatus> {
    match s {
        "pending" => Some(PaymentStatus::Pending),
        "succeeded" => Some(PaymentStatus::Succeeded),
        "failed" => Some(PaymentStatus::Failed),
        _ => None,
    }
}

fn kind_str(kind: CheckoutKind) -> &'static str {
    match kind {
        CheckoutKind::Instant => "instant",
        CheckoutKind::Product => "product",
        CheckoutKind::Plan => "plan",
        CheckoutKind::Session => "session",
    }
}

fn kind_parse(s: &str) -> Option<CheckoutKind> {
    [
        CheckoutKind::Instant,
        CheckoutKind::Product,
        CheckoutKind::Plan,
        CheckoutKind::Session,
    ]
    .into_iter()
    .find(|k| kind_str(*k) == s)
}

/// One payment attempt on a session. Card numbers are never stored: the last four digits
/// at most.
#[derive(Clone, Debug)]
pub struct PaymentRow {
    pub id: String,
    pub merchant_id: String,
    pub session_id: String,
    /// The link or session page the customer paid from.
    pub started_kind: CheckoutKind,
    pub started_id: String,
    /// The link or session id of the pay request's path, with its `Idempotency-Key`.
    pub idempotency_scope: String,
    pub idempotency_key: String,
    /// The pay request as the server read it, to tell a replay from a reused key.
    pub fingerprint: String,
    pub status: PaymentStatus,
    /// `None` for a free order.
    pub provider: Option<Provider>,
    pub amount: i64,
    pub currency: Currency,
    /// E.164.
    pub phone: Option<String>,
    /// The coupon applied to the order, counted once when the payment succeeds.
    pub coupon_code: Option<String>,
    pub stage: Stage,
    pub card_last4: Option<String>,
    pub failure: Option<FailureReason>,
    pub transaction_id: Option<String>,
    /// `{CHECKOUT_SESSION_ID}` already replaced.
    pub success_url: Option<String>,
    pub cancel_url: Option<String>,
    /// Unix milliseconds at which `settle_to` applies, if still pending.
    pub settle_at_ms: Option<i64>,
    pub settle_to: Option<Settlement>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// Filters of the payment link list.
#[derive(Clone, Debug, Default)]
pub struct LinkFilter {
    pub link_type: Option<LinkType>,
    pub currency: Option<Currency>,
    pub is_active: Option<bool>,
    pub include_expired: bool,
}

pub struct Db {
    conn: Connection,
}

fn bad_column(column: &str, value: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        0,
        rusqlite::types::Type::Text,
        format!("unexpected value {value:?} in column {column}").into(),
    )
}

fn parsed<T>(row: &Row<'_>, column: &str, parse: impl Fn(&str) -> Option<T>) -> DbResult<T> {
    let text: String = row.get(column)?;
    parse(&text).ok_or_else(|| bad_column(column, &text))
}

fn parsed_opt<T>(
    row: &Row<'_>,
    column: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> DbResult<Option<T>> {
    let text: Option<String> = row.get(column)?;
    text.map(|t| parse(&t).ok_or_else(|| bad_column(column, &t)))
        .transpose()
}

fn currency(s: &str) -> Option<Currency> {
    s.parse().ok()
}

fn providers_from(s: &str) -> Option<Vec<Provider>> {
    let codes: Vec<String> = serde_json::from_str(s).ok()?;
    codes.iter().map(|c| Provider::parse(c)).collect()
}

pub fn providers_json(providers: &[Provider]) -> String {
    let codes: Vec<&str> = providers.iter().map(|p| p.code()).collect();
    serde_json::to_string(&codes).unwrap_or_else(|_| "[]".to_string())
}

fn count_opt(row: &Row<'_>, column: &str) -> DbResult<Option<u32>> {
    let v: Option<i64> = row.get(column)?;
    Ok(v.map(|v| u32::try_from(v).unwrap_or(u32::MAX)))
}

fn count(row: &Row<'_>, column: &str) -> DbResult<u32> {
    let v: i64 = row.get(column)?;
    Ok(u32::try_from(v).unwrap_or(u32::MAX))
}

fn merchant_from(row: &Row<'_>) -> DbResult<Merchant> {
    Ok(Merchant {
        id: row.get("id")?,
        organization_id: row.get("organization_id")?,
        name: row.get("name")?,
        country: row.get("country")?,
        logo_url: row.get("logo_url")?,
        providers: parsed(row, "providers", providers_from)?,
        api_key: row.get("api_key")?,
    })
}

fn product_from(row: &Row<'_>) -> DbResult<ProductRow> {
    Ok(ProductRow {
        id: row.get("id")?,
        merchant_id: row.get("merchant_id")?,
        name: row.get("name")?,
        description: row.get("description")?,
        image_url: row.get("image_url")?,
        recurring: parsed(row, "product_type", |s| match s {
            "one_time" => Some(false),
            "recurring" => Some(true),
            _ => None,
        })?,
        is_active: row.get("is_active")?,
        first_payment_type: parsed(row, "first_payment_type", |s| match s {
            "initial" => Some(FirstPaymentType::Initial),
            "non_initial" => Some(FirstPaymentType::NonInitial),
            _ => None,
        })?,
        trial_enabled: row.get("trial_enabled")?,
        trial_period_days: count(row, "trial_period_days")?,
        metadata: row.get("metadata")?,
        demo_key: row.get("demo_key")?,
        created_at: row.get("created_at")?,
        updated_at: row.get("updated_at")?,
        prices: Vec::new(),
    })
}

fn price_from(row: &Row<'_>) -> DbResult<PriceRow> {
    Ok(PriceRow {
        id: row.get("id")?,
        product_id: row.get("product_id")?,
        amount: row.get("amount")?,
        currency: parsed(row, "currency", currency)?,
        pay_what_you_want: parsed(row, "pricing_model", |s| match s {
            "standard" => Some(false),
            "pay_what_you_want" => Some(true),
            _ => None,
        })?,
        minimum_amount: row.get("minimum_amount")?,
        maximum_amount: row.get("maximum_amount")?,
        billing_interval: parsed_opt(row, "billing_interval", BillingInterval::parse)?,
        is_default: row.get("is_default")?,
        created_at: row.get("created_at")?,
    })
}

fn coupon_from(row: &Row<'_>) -> DbResult<CouponRow> {
    let kind: String = row.get("discount_type")?;
    let discount = match kind.as_str() {
        "percentage" => DiscountRule::Percentage {
            basis_points: count_opt(row, "basis_points")?.unwrap_or(0),
        },
        "fixed" => DiscountRule::Fixed {
            amount: row.get::<_, Option<i64>>("fixed_amount")?.unwrap_or(0),
        },
        other => return Err(bad_column("discount_type", other)),
    };
    Ok(CouponRow {
        id: row.get("id")?,
        merchant_id: row.get("merchant_id")?,
        code: row.get("code")?,
        description: row.get("description")?,
        discount,
        currency: parsed_opt(row, "currency", currency)?,
        valid_from: row.get("valid_from")?,
        expires_at: row.get("expires_at")?,
        is_active: row.get("is_active")?,
        max_uses: count_opt(row, "max_uses")?,
        current_uses: count(row, "current_uses")?,
        max_quantity_per_use: count_opt(row, "max_quantity_per_use")?,
        is_organization_wide: row.get("is_organization_wide")?,
        product_ids: parsed(row, "product_ids", |s| serde_json::from_str(s).ok())?,
        customer_type: parsed(row, "customer_type", |s| match s {
            "all" => Some(CustomerType::All),
            "new" => Some(CustomerType::New),
            "returning" => Some(CustomerType::Returning),
            _ => None,
        })?,
        demo_key: row.get("demo_key")?,
        created_at: row.get("created_at")?,
        updated_at: row.get("updated_at")?,
    })
}

fn link_from(row: &Row<'_>) -> DbResult<LinkRow> {
    Ok(LinkRow {
        id: row.get("id")?,
        merchant_id: row.get("merchant_id")?,
        link_type: parsed(row, "link_type", LinkType::parse)?,
        title: row.get("title")?,
        description: row.get("description")?,
        private_description: row.get("private_description")?,
        amount: row.get("amount")?,
        currency: parsed(row, "currency", currency)?,
        product_id: row.get("product_id")?,
        price_id: row.get("price_id")?,
        plan_id: row.get("plan_id")?,
        allowed_providers: parsed_opt(row, "allowed_providers", providers_from)?,
        allow_quantity: row.get("allow_quantity")?,
        allow_coupon_code: row.get("allow_coupon_code")?,
        require_billing_address: row.get("require_billing_address")?,
        is_active: row.get("is_active")?,
        expires_at: row.get("expires_at")?,
        success_url: row.get("success_url")?,
        cancel_url: row.get("cancel_url")?,
        metadata: row.get("metadata")?,
        demo_key: row.get("demo_key")?,
        created_at: row.get("created_at")?,
        updated_at: row.get("updated_at")?,
    })
}

fn payment_from(row: &Row<'_>) -> DbResult<PaymentRow> {
    Ok(PaymentRow {
        id: row.get("id")?,
        merchant_id: row.get("merchant_id")?,
        session_id: row.get("session_id")?,
        started_kind: parsed(row, "started_kind", kind_parse)?,
        started_id: row.get("started_id")?,
        idempotency_scope: row.get("idempotency_scope")?,
        idempotency_key: row.get("idempotency_key")?,
        fingerprint: row.get("fingerprint")?,
        status: parsed(row, "status", payment_status_parse)?,
        provider: parsed_opt(row, "provider", Provider::parse)?,
        amount: row.get("amount")?,
        currency: parsed(row, "currency", currency)?,
        phone: row.get("phone")?,
        coupon_code: row.get("coupon_code")?,
        stage: parsed(row, "stage", Stage::parse)?,
        card_last4: row.get("card_last4")?,
        failure: parsed_opt(row, "failure", failure_parse)?,
        transaction_id: row.get("transaction_id")?,
        success_url: row.get("success_url")?,
        cancel_url: row.get("cancel_url")?,
        settle_at_ms: row.get("settle_at_ms")?,
        settle_to: parsed_opt(row, "settle_to", Settlement::parse)?,
        created_at: row.get("created_at")?,
        updated_at: row.get("updated_at")?,
    })
}

fn session_from(row: &Row<'_>) -> DbResult<SessionRow> {
    Ok(SessionRow {
        id: row.get("id")?,
        merchant_id: row.get("merchant_id")?,
        status: parsed(row, "status", SessionStatus::parse)?,
        unit_amount: row.get("unit_amount")?,
        quantity: count(row, "quantity")?,
        currency: parsed(row, "currency", currency)?,
        title: row.get("title")?,
        description: row.get("description")?,
        customer_id: row.get("customer_id")?,
        customer_email: row.get("customer_email")?,
        customer_name: row.get("customer_name")?,
        customer_phone: row.get("customer_phone")?,
        product_id: row.get("product_id")?,
        price_id: row.get("price_id")?,
        subscription_id: row.get("subscription_id")?,
        payment_link_id: row.get("payment_link_id")?,
        allow_quantity: row.get("allow_quantity")?,
        allow_coupon_code: row.get("allow_coupon_code")?,
        require_billing_address: row.get("require_billing_address")?,
        success_url: row.get("success_url")?,
        cancel_url: row.get("cancel_url")?,
        metadata: row.get("metadata")?,
        coupon_code: row.get("coupon_code")?,
        transaction_id: row.get("transaction_id")?,
        demo_key: row.get("demo_key")?,
        expires_at: row.get("expires_at")?,
        created_at: row.get("created_at")?,
        billing: billing_from(row)?,
    })
}

/// A session's billing address; a country is always recorded with the rest, so a row
/// without one has no address.
fn billing_from(row: &Row<'_>) -> DbResult<Option<BillingAddress>> {
    let Some(country) = row.get::<_, Option<String>>("billing_country")? else {
        return Ok(None);
    };
    Ok(Some(BillingAddress {
        country,
        city: row
            .get::<_, Option<String>>("billing_city")?
            .unwrap_or_default(),
        line1: row
            .get::<_, Option<String>>("billing_line1")?
            .unwrap_or_default(),
        postal_code: row.get("billing_postal_code")?,
    }))
}

/// Adds the [`ADDED_COLUMNS`] a table lacks.
fn migrate(conn: &Connection) -> DbResult<()> {
    for (table, column, kind) in ADDED_COLUMNS {
        let mut stmt = conn.prepare(&format!("PRAGMA table_info({table})"))?;
        let names = stmt.query_map([], |row| row.get::<_, String>("name"))?;
        let mut present = false;
        for name in names {
            present |= name? == *column;
        }
        if !present {
            conn.execute_batch(&format!("ALTER TABLE {table} ADD COLUMN {column} {kind}"))?;
        }
    }
    Ok(())
}

/// Tables a demo row can be looked up in by its demo key.
#[derive(Clone, Copy, Debug)]
pub enum DemoTable {
    Products,
    Coupons,
    PaymentLinks,
    CheckoutSessions,
}

impl DemoTable {
    fn name(self) -> &'static str {
        match self {
            DemoTable::Products => "products",
            DemoTable::Coupons => "coupons",
            DemoTable::PaymentLinks => "payment_links",
            DemoTable::CheckoutSessions => "checkout_sessions",
        }
    }
}

impl Db {
    /// Opens (creating if needed) the database at `path`; `:memory:` keeps it in memory.
    pub fn open(path: &str) -> anyhow::Result<Db> {
        let conn = if path == ":memory:" {
            Connection::open_in_memory()?
        } else {
            if let Some(dir) = Path::new(path)
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
            {
                std::fs::create_dir_all(dir)?;
            }
            Connection::open(path)?
        };
        conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;")?;
        if path != ":memory:" {
            // WAL lets `sqlite3 data/sandbox.db` read while the server writes.
            conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))?;
        }
        conn.execute_batch(SCHEMA)?;
        migrate(&conn)?;
        Ok(Db { conn })
    }

    pub fn merchant(&self) -> DbResult<Option<Merchant>> {
        self.conn
            .query_row(
                "SELECT * FROM merchants ORDER BY created_at, rowid LIMIT 1",
                [],
                merchant_from,
            )
            .optional()
    }

    pub fn insert_merchant(&self, m: &Merchant, now: i64) -> DbResult<()> {
        self.conn.execute(
            "INSERT INTO merchants (id, organization_id, name, country, logo_url, providers, api_key, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                m.id,
                m.organization_id,
                m.name,
                m.country,
                m.logo_url,
                providers_json(&m.providers),
                m.api_key,
                now
            ],
        )?;
        Ok(())
    }

    pub fn set_api_key(&self, merchant_id: &str, key: &str) -> DbResult<()> {
        self.conn.execute(
            "UPDATE merchants SET api_key = ?1 WHERE id = ?2",
            params![key, merchant_id],
        )?;
        Ok(())
    }

    // ---- products -------------------------------------------------------------------------

    pub fn insert_product(&mut self, p: &ProductRow) -> DbResult<()> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO products (id, merchant_id, name, description, image_url, product_type, is_active,
                first_payment_type, trial_enabled, trial_period_days, metadata, demo_key, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            params![
                p.id,
                p.merchant_id,
                p.name,
                p.description,
                p.image_url,
                if p.recurring { "recurring" } else { "one_time" },
                p.is_active,
                first_payment_str(p.first_payment_type),
                p.trial_enabled,
                p.trial_period_days,
                p.metadata,
                p.demo_key,
                p.created_at,
                p.updated_at
            ],
        )?;
        for (position, price) in p.prices.iter().enumerate() {
            tx.execute(
                "INSERT INTO prices (id, product_id, position, amount, currency, pricing_model, minimum_amount,
                    maximum_amount, billing_interval, is_default, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                params![
                    price.id,
                    p.id,
                    position as i64,
                    price.amount,
                    price.currency.code(),
                    if price.pay_what_you_want { "pay_what_you_want" } else { "standard" },
                    price.minimum_amount,
                    price.maximum_amount,
                    price.billing_interval.map(interval_str),
                    price.is_default,
                    price.created_at
                ],
            )?;
        }
        tx.commit()
    }

    fn prices_of(&self, product_id: &str) -> DbResult<Vec<PriceRow>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT * FROM prices WHERE product_id = ?1 ORDER BY position")?;
        let rows = stmt.query_map([product_id], price_from)?;
        rows.collect()
    }

    fn with_prices(&self, mut p: ProductRow) -> DbResult<ProductRow> {
        p.prices = self.prices_of(&p.id)?;
        Ok(p)
    }

    pub fn product(&self, merchant_id: &str, id: &str) -> DbResult<Option<ProductRow>> {
        let found = self
            .conn
            .query_row(
                "SELECT * FROM products WHERE merchant_id = ?1 AND id = ?2",
                params![merchant_id, id],
                product_from,
            )
            .optional()?;
        found.map(|p| self.with_prices(p)).transpose()
    }

    pub fn list_products(
        &self,
        merchant_id: &str,
        recurring: Option<bool>,
        is_active: Option<bool>,
        page: PageRequest,
    ) -> DbResult<(Vec<ProductRow>, u64)> {
        let mut filter = Filter::new(merchant_id);
        if let Some(r) = recurring {
            filter.clause(
                "product_type = ?",
                Sql::Text(if r { "recurring" } else { "one_time" }.into()),
            );
        }
        if let Some(a) = is_active {
            filter.clause("is_active = ?", Sql::Integer(a.into()));
        }
        let (rows, total) = self.list("products", &filter, page, product_from)?;
        let rows = rows
            .into_iter()
            .map(|p| self.with_prices(p))
            .collect::<DbResult<Vec<_>>>()?;
        Ok((rows, total))
    }

    // ---- coupons --------------------------------------------------------------------------

    pub fn insert_coupon(&self, c: &CouponRow) -> DbResult<()> {
        let (kind, basis_points, fixed) = match c.discount {
            DiscountRule::Percentage { basis_points } => ("percentage", Some(basis_points), None),
            DiscountRule::Fixed { amount } => ("fixed", None, Some(amount)),
        };
        self.conn.execute(
            "INSERT INTO coupons (id, merchant_id, code, description, discount_type, basis_points, fixed_amount,
                currency, valid_from, expires_at, is_active, max_uses, current_uses, max_quantity_per_use,
                is_organization_wide, product_ids, customer_type, demo_key, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)",
            params![
                c.id,
                c.merchant_id,
                c.code,
                c.description,
                kind,
                basis_points,
                fixed,
                c.currency.map(Currency::code),
                c.valid_from,
                c.expires_at,
                c.is_active,
                c.max_uses,
                c.current_uses,
                c.max_quantity_per_use,
                c.is_organization_wide,
                serde_json::to_string(&c.product_ids).unwrap_or_else(|_| "[]".into()),
                customer_type_str(c.customer_type),
                c.demo_key,
                c.created_at,
                c.updated_at
            ],
        )?;
        Ok(())
    }

    pub fn coupon(&self, merchant_id: &str, id: &str) -> DbResult<Option<CouponRow>> {
        self.conn
            .query_row(
                "SELECT * FROM coupons WHERE merchant_id = ?1 AND id = ?2",
                params![merchant_id, id],
                coupon_from,
            )
            .optional()
    }

    /// `code` must already be normalised.
    pub fn coupon_by_code(&self, merchant_id: &str, code: &str) -> DbResult<Option<CouponRow>> {
        self.conn
            .query_row(
                "SELECT * FROM coupons WHERE merchant_id = ?1 AND code = ?2",
                params![merchant_id, code],
                coupon_from,
            )
            .optional()
    }

    pub fn list_coupons(
        &self,
        merchant_id: &str,
        is_active: Option<bool>,
        page: PageRequest,
    ) -> DbResult<(Vec<CouponRow>, u64)> {
        let mut filter = Filter::new(merchant_id);
        if let Some(a) = is_active {
            filter.clause("is_active = ?", Sql::Integer(a.into()));
        }
        self.list("coupons", &filter, page, coupon_from)
    }

    pub fn set_coupon_valid_from(&self, id: &str, valid_from: i64) -> DbResult<()> {
        self.conn.execute(
            "UPDATE coupons SET valid_from = ?1 WHERE id = ?2",
            params![valid_from, id],
        )?;
        Ok(())
    }

    // ---- payment links --------------------------------------------------------------------

    pub fn insert_link(&self, l: &LinkRow) -> DbResult<()> {
        self.conn.execute(
            "INSERT INTO payment_links (id, merchant_id, link_type, title, description, private_description, amount,
                currency, product_id, price_id, plan_id, allowed_providers, allow_quantity, allow_coupon_code,
                require_billing_address, is_active, expires_at, success_url, cancel_url, metadata, demo_key,
                created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20,
                ?21, ?22, ?23)",
            params![
                l.id,
                l.merchant_id,
                l.link_type.as_str(),
                l.title,
                l.description,
                l.private_description,
                l.amount,
                l.currency.code(),
                l.product_id,
                l.price_id,
                l.plan_id,
                l.allowed_providers.as_deref().map(providers_json),
                l.allow_quantity,
                l.allow_coupon_code,
                l.require_billing_address,
                l.is_active,
                l.expires_at,
                l.success_url,
                l.cancel_url,
                l.metadata,
                l.demo_key,
                l.created_at,
                l.updated_at
            ],
        )?;
        Ok(())
    }

    /// Writes the fields PATCH may change.
    pub fn update_link(&self, l: &LinkRow) -> DbResult<()> {
        self.conn.execute(
            "UPDATE payment_links SET expires_at = ?1, success_url = ?2, cancel_url = ?3,
                allowed_providers = ?4, allow_coupon_code = ?5, metadata = ?6, updated_at = ?7
             WHERE id = ?8 AND merchant_id = ?9",
            params![
                l.expires_at,
                l.success_url,
                l.cancel_url,
                l.allowed_providers.as_deref().map(providers_json),
                l.allow_coupon_code,
                l.metadata,
                l.updated_at,
                l.id,
                l.merchant_id
            ],
        )?;
        Ok(())
    }

    pub fn link(&self, merchant_id: &str, id: &str) -> DbResult<Option<LinkRow>> {
        self.conn
            .query_row(
                "SELECT * FROM payment_links WHERE merchant_id = ?1 AND id = ?2",
                params![merchant_id, id],
                link_from,
            )
            .optional()
    }

    /// True when a link was deleted.
    pub fn delete_link(&self, merchant_id: &str, id: &str) -> DbResult<bool> {
        let n = self.conn.execute(
            "DELETE FROM payment_links WHERE merchant_id = ?1 AND id = ?2",
            params![merchant_id, id],
        )?;
        Ok(n > 0)
    }

    pub fn list_links(
        &self,
        merchant_id: &str,
        f: &LinkFilter,
        now: i64,
        page: PageRequest,
    ) -> DbResult<(Vec<LinkRow>, u64)> {
        let mut filter = Filter::new(merchant_id);
        if let Some(t) = f.link_type {
            filter.clause("link_type = ?", Sql::Text(t.as_str().into()));
        }
        if let Some(c) = f.currency {
            filter.clause("currency = ?", Sql::Text(c.code().into()));
        }
        if let Some(a) = f.is_active {
            filter.clause("is_active = ?", Sql::Integer(a.into()));
        }
        if !f.include_expired {
            filter.clause("(expires_at IS NULL OR expires_at > ?)", Sql::Integer(now));
        }
        self.list("payment_links", &filter, page, link_from)
    }

    // ---- checkout sessions ----------------------------------------------------------------

    pub fn insert_session(&self, s: &SessionRow) -> DbResult<()> {
        self.conn.execute(
            "INSERT INTO checkout_sessions (id, merchant_id, status, unit_amount, quantity, currency, title,
                description, customer_id, customer_email, customer_name, customer_phone, product_id, price_id,
                subscription_id, payment_link_id, allow_quantity, allow_coupon_code, require_billing_address,
                success_url, cancel_url, metadata, coupon_code, transaction_id, demo_key, expires_at, created_at,
                billing_country, billing_city, billing_line1, billing_postal_code)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20,
                ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31)",
            params![
                s.id,
                s.merchant_id,
                s.status.as_str(),
                s.unit_amount,
                s.quantity,
                s.currency.code(),
                s.title,
                s.description,
                s.customer_id,
                s.customer_email,
                s.customer_name,
                s.customer_phone,
                s.product_id,
                s.price_id,
                s.subscription_id,
                s.payment_link_id,
                s.allow_quantity,
                s.allow_coupon_code,
                s.require_billing_address,
                s.success_url,
                s.cancel_url,
                s.metadata,
                s.coupon_code,
                s.transaction_id,
                s.demo_key,
                s.expires_at,
                s.created_at,
                s.billing.as_ref().map(|b| &b.country),
                s.billing.as_ref().map(|b| &b.city),
                s.billing.as_ref().map(|b| &b.line1),
                s.billing.as_ref().and_then(|b| b.postal_code.as_ref())
            ],
        )?;
        Ok(())
    }

    pub fn session(&self, merchant_id: &str, id: &str) -> DbResult<Option<SessionRow>> {
        self.conn
            .query_row(
                "SELECT * FROM checkout_sessions WHERE merchant_id = ?1 AND id = ?2",
                params![merchant_id, id],
                session_from,
            )
            .optional()
    }

    pub fn list_sessions(
        &self,
        merchant_id: &str,
        status: Option<SessionStatus>,
        now: i64,
        page: PageRequest,
    ) -> DbResult<(Vec<SessionRow>, u64)> {
        let mut filter = Filter::new(merchant_id);
        match status {
            None => {}
            Some(SessionStatus::Open) => {
                filter.clause("status = ?", Sql::Text("open".into()));
                filter.clause("expires_at > ?", Sql::Integer(now));
            }
            Some(SessionStatus::Expired) => filter.clause(
                "(status = 'expired' OR (status = 'open' AND expires_at <= ?))",
                Sql::Integer(now),
            ),
            Some(SessionStatus::Completed) => {
                filter.clause("status = ?", Sql::Text("completed".into()))
            }
        }
        self.list("checkout_sessions", &filter, page, session_from)
    }

    /// Writes the order a payment was started for onto its session, so the merchant reads
    /// what the customer bought and who they are. Run it in the payment's transaction.
    pub fn record_order(&self, session_id: &str, o: &SessionOrder) -> DbResult<()> {
        let billing = o.billing.as_ref();
        self.conn.execute(
            "UPDATE checkout_sessions SET unit_amount = ?1, quantity = ?2, coupon_code = ?3,
                customer_name = ?4, customer_email = ?5, customer_phone = ?6, billing_country = ?7,
                billing_city = ?8, billing_line1 = ?9, billing_postal_code = ?10
             WHERE id = ?11",
            params![
                o.unit_amount,
                o.quantity,
                o.coupon_code,
                o.customer_name,
                o.customer_email,
                o.customer_phone,
                billing.map(|b| &b.country),
                billing.map(|b| &b.city),
                billing.map(|b| &b.line1),
                billing.and_then(|b| b.postal_code.as_ref()),
                session_id
            ],
        )?;
        Ok(())
    }

    // ---- payments -------------------------------------------------------------------------

    /// Runs `work` in one `BEGIN IMMEDIATE` transaction: the write lock is taken before the
    /// first read, so a check and the insert it allows cannot interleave with another
    /// connection's. Committed when `work` succeeds, rolled back otherwise.
    pub fn immediate<T, E: From<rusqlite::Error>>(
        &self,
        work: impl FnOnce(&Db) -> Result<T, E>,
    ) -> Result<T, E> {
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        // Dropped on every way out; after a successful COMMIT it has nothing left to undo.
        let _open = OpenTransaction(&self.conn);
        let value = work(self)?;
        self.conn.execute_batch("COMMIT")?;
        Ok(value)
    }

    pub fn insert_payment(&self, p: &PaymentRow) -> DbResult<()> {
        self.conn.execute(
            "INSERT INTO payments (id, merchant_id, session_id, started_kind, started_id, idempotency_scope,
                idempotency_key, fingerprint, status, provider, amount, currency, phone, coupon_code, stage,
                card_last4, failure, transaction_id, success_url, cancel_url, settle_at_ms, settle_to,
                created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20,
                ?21, ?22, ?23, ?24)",
            params![
                p.id,
                p.merchant_id,
                p.session_id,
                kind_str(p.started_kind),
                p.started_id,
                p.idempotency_scope,
                p.idempotency_key,
                p.fingerprint,
                payment_status_str(p.status),
                p.provider.map(Provider::code),
                p.amount,
                p.currency.code(),
                p.phone,
                p.coupon_code,
                p.stage.as_str(),
                p.card_last4,
                p.failure.map(failure_str),
                p.transaction_id,
                p.success_url,
                p.cancel_url,
                p.settle_at_ms,
                p.settle_to.map(Settlement::as_str),
                p.created_at,
                p.updated_at
            ],
        )?;
        Ok(())
    }

    pub fn payment(&self, merchant_id: &str, id: &str) -> DbResult<Option<PaymentRow>> {
        self.conn
            .query_row(
                "SELECT * FROM payments WHERE merchant_id = ?1 AND id = ?2",
                params![merchant_id, id],
                payment_from,
            )
            .optional()
    }

    pub fn payment_by_key(&self, scope: &str, key: &str) -> DbResult<Option<PaymentRow>> {
        self.conn
            .query_row(
                "SELECT * FROM payments WHERE idempotency_scope = ?1 AND idempotency_key = ?2",
                params![scope, key],
                payment_from,
            )
            .optional()
    }

    pub fn pending_payment_of(&self, session_id: &str) -> DbResult<Option<PaymentRow>> {
        self.conn
            .query_row(
                "SELECT * FROM payments WHERE session_id = ?1 AND status = 'pending'",
                [session_id],
                payment_from,
            )
            .optional()
    }

    /// Payments still pending with the coupon `code`: each holds one of its uses until it
    /// settles, so a `max_uses` coupon cannot be spent by several payments at once.
    pub fn pending_coupon_uses(&self, merchant_id: &str, code: &str) -> DbResult<u32> {
        let n: i64 = self.conn.query_row(
            "SELECT COUNT(*) FROM payments
             WHERE merchant_id = ?1 AND coupon_code = ?2 AND status = 'pending'",
            params![merchant_id, code],
            |row| row.get(0),
        )?;
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    }

    /// Whether someone with this email has already paid this merchant: a succeeded payment
    /// whose session recorded the email, compared without case (`lower` folds ASCII, which
    /// is what email addresses are written in).
    pub fn has_paid(&self, merchant_id: &str, email: &str) -> DbResult<bool> {
        self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM payments p JOIN checkout_sessions s ON s.id = p.session_id
             WHERE p.merchant_id = ?1 AND p.status = 'succeeded'
                AND lower(trim(s.customer_email)) = lower(trim(?2)))",
            params![merchant_id, email],
            |row| row.get(0),
        )
    }

    pub fn latest_payment_of(&self, session_id: &str) -> DbResult<Option<PaymentRow>> {
        self.conn
            .query_row(
                "SELECT * FROM payments WHERE session_id = ?1
                 ORDER BY created_at DESC, rowid DESC LIMIT 1",
                [session_id],
                payment_from,
            )
            .optional()
    }

    /// Pending payments whose timed outcome is due at `now_ms`.
    pub fn due_payments(&self, now_ms: i64) -> DbResult<Vec<PaymentRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT * FROM payments WHERE status = 'pending' AND settle_at_ms <= ?1
             ORDER BY settle_at_ms, rowid",
        )?;
        let rows = stmt.query_map([now_ms], payment_from)?;
        rows.collect()
    }

    /// Moves a pending payment to its next stage and timed outcome; false when it is no
    /// longer pending.
    pub fn advance_payment(
        &self,
        id: &str,
        stage: Stage,
        settle: Option<(i64, Settlement)>,
        card_last4: Option<&str>,
        now: i64,
    ) -> DbResult<bool> {
        let n = self.conn.execute(
            "UPDATE payments SET stage = ?1, settle_at_ms = ?2, settle_to = ?3,
                card_last4 = COALESCE(?4, card_last4), updated_at = ?5
             WHERE id = ?6 AND status = 'pending'",
            params![
                stage.as_str(),
                settle.map(|(at, _)| at),
                settle.map(|(_, to)| to.as_str()),
                card_last4,
                now,
                id
            ],
        )?;
        Ok(n > 0)
    }

    /// The money moved: the payment succeeds, its session completes with the same
    /// transaction, and its coupon is counted. The `pending` guard makes this happen once
    /// per payment however often it is asked; run it inside [`Db::immediate`] so the three
    /// writes land together. A session that expired while its payment was under way still
    /// completes: the customer was charged.
    pub fn succeed_payment(&self, id: &str, transaction_id: &str, now: i64) -> DbResult<bool> {
        let n = self.conn.execute(
            "UPDATE payments SET status = 'succeeded', transaction_id = ?1, failure = NULL,
                settle_at_ms = NULL, settle_to = NULL, updated_at = ?2
             WHERE id = ?3 AND status = 'pending'",
            params![transaction_id, now, id],
        )?;
        if n == 0 {
            return Ok(false);
        }
        let (session_id, merchant_id, coupon_code): (String, String, Option<String>) =
            self.conn.query_row(
                "SELECT session_id, merchant_id, coupon_code FROM payments WHERE id = ?1",
                [id],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            )?;
        self.conn.execute(
            "UPDATE checkout_sessions SET status = 'completed', transaction_id = ?1
             WHERE id = ?2 AND status IN ('open', 'expired')",
            params![transaction_id, session_id],
        )?;
        if let Some(code) = coupon_code {
            self.conn.execute(
                "UPDATE coupons SET current_uses = current_uses + 1, updated_at = ?1
                 WHERE merchant_id = ?2 AND code = ?3",
                params![now, merchant_id, code],
            )?;
        }
        Ok(true)
    }

    /// The payment failed; its session stays open for another attempt. False when it was no
    /// longer pending.
    pub fn fail_payment(&self, id: &str, reason: FailureReason, now: i64) -> DbResult<bool> {
        let n = self.conn.execute(
            "UPDATE payments SET status = 'failed', failure = ?1, settle_at_ms = NULL,
                settle_to = NULL, updated_at = ?2
             WHERE id = ?3 AND status = 'pending'",
            params![failure_str(reason), now, id],
        )?;
        Ok(n > 0)
    }

    // ---- demo data ------------------------------------------------------------------------

    pub fn id_by_demo_key(&self, table: DemoTable, key: &str) -> DbResult<Option<String>> {
        self.conn
            .query_row(
                &format!("SELECT id FROM {} WHERE demo_key = ?1", table.name()),
                [key],
                |row| row.get(0),
            )
            .optional()
    }

    /// Frees a demo key so a fresh row can take it (an expired demo session is replaced).
    pub fn release_demo_key(&self, table: DemoTable, key: &str) -> DbResult<()> {
        self.conn.execute(
            &format!(
                "UPDATE {} SET demo_key = NULL WHERE demo_key = ?1",
                table.name()
            ),
            [key],
        )?;
        Ok(())
    }

    /// Newest first; `total` counts every match, not just the page.
    fn list<T>(
        &self,
        table: &str,
        filter: &Filter,
        page: PageRequest,
        map: impl Fn(&Row<'_>) -> DbResult<T>,
    ) -> DbResult<(Vec<T>, u64)> {
        let where_sql = filter.clauses.join(" AND ");
        let total: i64 = self.conn.query_row(
            &format!("SELECT COUNT(*) FROM {table} WHERE {where_sql}"),
            rusqlite::params_from_iter(filter.values.iter()),
            |row| row.get(0),
        )?;
        let mut values = filter.values.clone();
        values.push(Sql::Integer(i64::from(page.limit)));
        values.push(Sql::Integer(i64::from(page.offset)));
        let mut stmt = self.conn.prepare(&format!(
            "SELECT * FROM {table} WHERE {where_sql} ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?"
        ))?;
        let rows = stmt.query_map(rusqlite::params_from_iter(values.iter()), map)?;
        Ok((rows.collect::<DbResult<Vec<T>>>()?, total.max(0) as u64))
    }
}

/// Rolls back a transaction that did not reach its commit (an error, or a panic unwinding).
struct OpenTransaction<'a>(&'a Connection);

impl Drop for OpenTransaction<'_> {
    fn drop(&mut self) {
        if !self.0.is_autocommit() {
            let _ = self.0.execute_batch("ROLLBACK");
        }
    }
}

/// A WHERE clause built from fixed SQL fragments and bound values, never from input text.
struct Filter {
    clauses: Vec<&'static str>,
    values: Vec<Sql>,
}

impl Filter {
    fn new(merchant_id: &str) -> Self {
        Filter {
            clauses: vec!["merchant_id = ?"],
            values: vec![Sql::Text(merchant_id.to_string())],
        }
    }

    fn clause(&mut self, sql: &'static str, value: Sql) {
        self.clauses.push(sql);
        if sql.contains('?') {
            self.values.push(value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payment(id: &str, session: &str, key: &str) -> PaymentRow {
        PaymentRow {
            id: id.to_string(),
            merchant_id: "m".to_string(),
            session_id: session.to_string(),
            started_kind: CheckoutKind::Session,
            started_id: session.to_string(),
            idempotency_scope: format!("session:{session}"),
            idempotency_key: key.to_string(),
            fingerprint: "{}".to_string(),
            status: PaymentStatus::Pending,
            provider: Some(Provider::Mtn),
            amount: 5_000,
            currency: Currency::Xof,
            phone: Some("+2250500000011".to_string()),
            coupon_code: None,
            stage: Stage::AwaitingCustomer,
            card_last4: None,
            failure: None,
            transaction_id: None,
            success_url: None,
            cancel_url: None,
            settle_at_ms: Some(2_000),
            settle_to: Some(Settlement::Succeed),
            created_at: 0,
            updated_at: 0,
        }
    }

    fn constraint(result: DbResult<()>) -> bool {
        matches!(result, Err(rusqlite::Error::SqliteFailure(e, _))
            if e.code == rusqlite::ErrorCode::ConstraintViolation)
    }

    /// The rules hold in SQLite itself, whatever the Rust code above it checks.
    #[test]
    fn one_payment_per_key_and_one_pending_per_session() {
        let db = Db::open(":memory:").unwrap();
        db.conn.execute_batch("PRAGMA foreign_keys = OFF").unwrap();
        db.insert_payment(&payment("pay_1", "cs_1", "k1")).unwrap();
        // The same key on the same session: refused even with another id.
        assert!(constraint(db.insert_payment(
            &payment("pay_2", "cs_2", "k1").with_scope("session:cs_1")
        )));
        // Another key, same session, while the first is pending: refused.
        assert!(constraint(
            db.insert_payment(&payment("pay_3", "cs_1", "k2"))
        ));
        // Once the first has failed, a new attempt is allowed; settled rows never block.
        assert!(db
            .fail_payment("pay_1", FailureReason::Declined, 1)
            .unwrap());
        db.insert_payment(&payment("pay_3", "cs_1", "k2")).unwrap();
        assert!(!db
            .fail_payment("pay_1", FailureReason::Declined, 1)
            .unwrap());
        let back = db.payment("m", "pay_3").unwrap().unwrap();
        assert_eq!(back.settle_to, Some(Settlement::Succeed));
        assert_eq!(back.stage, Stage::AwaitingCustomer);
        assert_eq!(db.due_payments(1_999).unwrap().len(), 0);
        assert_eq!(db.due_payments(2_000).unwrap().len(), 1);
    }

    #[test]
    fn a_failed_transaction_leaves_nothing_behind() {
        let db = Db::open(":memory:").unwrap();
        db.conn.execute_batch("PRAGMA foreign_keys = OFF").unwrap();
        let result: DbResult<()> = db.immediate(|db| {
            db.insert_payment(&payment("pay_1", "cs_1", "k1"))?;
            db.insert_payment(&payment("pay_2", "cs_1", "k2"))
        });
        assert!(constraint(result));
        assert!(db.payment("m", "pay_1").unwrap().is_none());
        // The connection is usable again afterwards.
        db.immediate(|db| db.insert_payment(&payment("pay_1", "cs_1", "k1")))
            .unwrap();
        assert!(db.payment("m", "pay_1").unwrap().is_some());
    }

    impl PaymentRow {
        fn with_scope(mut self, scope: &str) -> Self {
            self.idempotency_scope = scope.to_string();
            self
        }
    }
}
