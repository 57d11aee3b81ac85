//! Demo data for Boutique Awa: one checkout of every kind, and a coupon for every reason a
//! code can be refused. Each row carries a demo key, so seeding again finds it instead of
//! making another.

use crate::domain::checkout::SESSION_LIFETIME;
use crate::domain::Ctx;
use crate::error::Result;
use crate::ids;
use crate::names::Named;
use crate::storage::{
    CouponRow, Db, DemoTable, LinkRow, LinkType, PriceRow, ProductRow, SessionRow, SessionStatus,
};
use checkout_core::calendar::{days_from_civil, BillingInterval, DAY};
use checkout_core::coupon::{CustomerType, DiscountRule};
use checkout_core::pricing::FirstPaymentType;
use checkout_core::wire::Provider;
use checkout_core::Currency;

/// The demo's customer URLs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoLinks {
    pub instant: String,
    pub product: String,
    pub pwyw: String,
    pub plan: String,
    pub session: String,
    pub usd_instant: String,
}

impl DemoLinks {
    pub fn labelled(&self) -> [(&'static str, &str); 6] {
        [
            ("Instant link: Consultation, 15 000 XOF", &self.instant),
            (
                "Product link: Pagne wax 6 yards (quantity and coupons, try WELCOME10)",
                &self.product,
            ),
            ("Pay what you want: Soutenir le podcast", &self.pwyw),
            ("Plan link: Abonnement Premium (14-day trial)", &self.plan),
            (
                "Checkout session: Commande #12345 (pre-filled)",
                &self.session,
            ),
            (
                "Instant link in USD: Design review, 15.99 USD",
                &self.usd_instant,
            ),
        ]
    }
}

const PAGNE: &str = "demo:product:pagne-wax";
const PODCAST: &str = "demo:product:podcast";
const PREMIUM: &str = "demo:product:premium";
const SESSION: &str = "demo:session:commande-12345";
/// How far ahead BIENTOT starts, renewed whenever its start has passed.
const SOON: i64 = 30 * DAY;

fn ensure_product(
    db: &mut Db,
    ctx: &Ctx,
    key: &str,
    make: impl FnOnce() -> ProductRow,
) -> Result<ProductRow> {
    let merchant_id = &ctx.merchant().id;
    if let Some(id) = db.id_by_demo_key(DemoTable::Products, key)? {
        if let Some(p) = db.product(merchant_id, &id)? {
            return Ok(p);
        }
    }
    let product = make();
    db.insert_product(&product)?;
    Ok(product)
}

fn ensure_link(
    db: &Db,
    merchant_id: &str,
    key: &str,
    make: impl FnOnce() -> LinkRow,
) -> Result<(LinkType, String)> {
    if let Some(id) = db.id_by_demo_key(DemoTable::PaymentLinks, key)? {
        if let Some(link) = db.link(merchant_id, &id)? {
            return Ok((link.link_type, link.id));
        }
    }
    let link = make();
    db.insert_link(&link)?;
    Ok((link.link_type, link.id))
}

struct CouponSpec {
    code: &'static str,
    description: &'static str,
    discount: DiscountRule,
    currency: Option<Currency>,
    valid_from: Option<i64>,
    expires_at: Option<i64>,
    max_uses: Option<u32>,
    current_uses: u32,
    max_quantity_per_use: Option<u32>,
    product_ids: Vec<String>,
}

impl CouponSpec {
    fn percent(code: &'static str, description: &'static str, percent: u32) -> Self {
        CouponSpec {
            code,
            description,
            discount: DiscountRule::Percentage {
                basis_points: percent * 100,
            },
            currency: None,
            valid_from: None,
            expires_at: None,
            max_uses: None,
            current_uses: 0,
            max_quantity_per_use: None,
            product_ids: Vec::new(),
        }
    }
}

fn date(year: i64, month: u32, day: u32) -> i64 {
    days_from_civil(year, month, day) * DAY
}

struct ProductSpec<'a> {
    key: &'a str,
    name: &'a str,
    description: &'a str,
    image: &'a str,
    recurring: bool,
    prices: Vec<PriceRow>,
}

fn product(ctx: &Ctx, now: i64, spec: ProductSpec<'_>) -> ProductRow {
    let ProductSpec {
        key,
        name,
        description,
        image,
        recurring,
        prices,
    } = spec;
    let id = ids::product();
    ProductRow {
        id: id.clone(),
        merchant_id: ctx.merchant().id.clone(),
        name: name.to_string(),
        description: Some(description.to_string()),
        image_url: Some(image.to_string()),
        recurring,
        is_active: true,
        first_payment_type: FirstPaymentType::Initial,
        trial_enabled: false,
        trial_period_days: 0,
        metadata: None,
        demo_key: Some(key.to_string()),
        created_at: now,
        updated_at: now,
        prices: prices
            .into_iter()
            .map(|p| PriceRow {
                product_id: id.clone(),
                ..p
            })
            .collect(),
    }
}

fn price(amount: i64, now: i64) -> PriceRow {
    PriceRow {
        id: ids::price(),
        product_id: String::new(),
        amount,
        currency: Currency::Xof,
        pay_what_you_want: false,
        minimum_amount: None,
        maximum_amount: None,
        billing_interval: None,
        is_default: true,
        is_active: true,
        metadata: None,
        created_at: now,
    }
}

struct LinkSpec<'a> {
    key: &'a str,
    link_type: LinkType,
    title: &'a str,
    description: &'a str,
    amount: Option<i64>,
    currency: Currency,
    product: Option<&'a ProductRow>,
    providers: Option<Vec<Provider>>,
    allow_quantity: bool,
    allow_coupon_code: bool,
}

fn link_row(ctx: &Ctx, spec: LinkSpec<'_>, now: i64) -> LinkRow {
    let product_id = spec.product.map(|p| p.id.clone());
    LinkRow {
        id: ids::uuid(),
        merchant_id: ctx.merchant().id.clone(),
        link_type: spec.link_type,
        title: spec.title.to_string(),
        description: Some(spec.description.to_string()),
        private_description: Some(
            "Lien de démonstration du sandbox (note interne, jamais affichée)".to_string(),
        ),
        amount: spec.amount,
        currency: spec.currency,
        product_id: if spec.link_type == LinkType::Product {
            product_id.clone()
        } else {
            None
        },
        price_id: spec
            .product
            .and_then(|p| p.prices.iter().find(|x| x.is_default))
            .map(|p| p.id.clone()),
        plan_id: if spec.link_type == LinkType::Plan {
            product_id
        } else {
            None
        },
        allowed_providers: spec.providers,
        allow_quantity: spec.allow_quantity,
        allow_coupon_code: spec.allow_coupon_code,
        require_billing_address: false,
        is_active: true,
        expires_at: None,
        success_url: None,
        cancel_url: None,
        metadata: Some(r#"{"source":"sandbox-demo"}"#.to_string()),
        demo_key: Some(spec.key.to_string()),
        created_at: now,
        updated_at: now,
    }
}

/// Creates whatever part of the demo is missing and returns its customer URLs.
pub fn seed(ctx: &Ctx) -> Result<DemoLinks> {
    let now = ctx.now();
    let mut guard = ctx.db();
    let db: &mut Db = &mut guard;
    let merchant_id = ctx.merchant().id.clone();

    let pagne = ensure_product(db, ctx, PAGNE, || {
        product(
            ctx,
            now,
            ProductSpec {
                key: PAGNE,
                name: "Pagne wax 6 yards",
                description: "Tissu wax 100 % coton, 6 yards, motifs assortis.",
                image: "/sandbox/assets/pagne-wax.svg",
                recurring: false,
                prices: vec![price(5_000, now)],
            },
        )
    })?;
    let podcast = ensure_product(db, ctx, PODCAST, || {
        product(
            ctx,
            now,
            ProductSpec {
                key: PODCAST,
                name: "Soutenir le podcast",
                description: "Donnez ce que vous voulez pour soutenir « Les voix d'Abidjan ».",
                image: "/sandbox/assets/podcast.svg",
                recurring: false,
                prices: vec![PriceRow {
                    pay_what_you_want: true,
                    minimum_amount: Some(1_000),
                    maximum_amount: Some(50_000),
                    ..price(5_000, now)
                }],
            },
        )
    })?;
    let premium = ensure_product(db, ctx, PREMIUM, || ProductRow {
        trial_enabled: true,
        trial_period_days: 14,
        ..product(
            ctx,
            now,
            ProductSpec {
                key: PREMIUM,
                name: "Abonnement Premium",
                description: "Livraison offerte et ventes privées, chaque mois.",
                image: "/sandbox/assets/premium.svg",
                recurring: true,
                prices: vec![PriceRow {
                    billing_interval: Some(BillingInterval::Month),
                    ..price(5_000, now)
                }],
            },
        )
    })?;

    let coupons = [
        CouponSpec::percent("WELCOME10", "10 % sur toute la boutique", 10),
        CouponSpec {
            discount: DiscountRule::Fixed { amount: 500 },
            currency: Some(Currency::Xof),
            ..CouponSpec::percent("FIXE500", "500 F CFA de moins par article", 0)
        },
        CouponSpec {
            valid_from: Some(date(2024, 12, 1)),
            expires_at: Some(date(2024, 12, 26)),
            ..CouponSpec::percent("NOEL2024", "Soldes de Noël 2024 (expiré)", 20)
        },
        CouponSpec {
            valid_from: Some(now + SOON),
            ..CouponSpec::percent("BIENTOT", "Pas encore valable", 15)
        },
        CouponSpec {
            max_uses: Some(1),
            current_uses: 1,
            ..CouponSpec::percent("EPUISE", "Déjà utilisé", 50)
        },
        CouponSpec {
            max_quantity_per_use: Some(2),
            ..CouponSpec::percent("CAP2", "15 % pour 2 articles au plus", 15)
        },
        CouponSpec {
            product_ids: vec![podcast.id.clone()],
            ..CouponSpec::percent("AUTREPRODUIT", "Seulement pour le podcast", 25)
        },
        CouponSpec::percent("GRATUIT", "100 % de réduction", 100),
    ];
    for spec in coupons {
        let key = format!("demo:coupon:{}", spec.code);
        match db.id_by_demo_key(DemoTable::Coupons, &key)? {
            Some(id) => {
                // "Not started yet" must stay true however long the database lives.
                if spec.code == "BIENTOT"
                    && db
                        .coupon(&merchant_id, &id)?
                        .is_some_and(|c| c.valid_from.is_some_and(|t| t <= now))
                {
                    db.set_coupon_valid_from(&id, now + SOON)?;
                }
            }
            // A merchant may have created the same code by hand: theirs wins.
            None if db.coupon_by_code(&merchant_id, spec.code)?.is_some() => {}
            None => db.insert_coupon(&CouponRow {
                id: ids::coupon(),
                merchant_id: merchant_id.clone(),
                code: spec.code.to_string(),
                description: Some(spec.description.to_string()),
                discount: spec.discount,
                currency: spec.currency,
                valid_from: spec.valid_from,
                expires_at: spec.expires_at,
                is_active: true,
                max_uses: spec.max_uses,
                current_uses: spec.current_uses,
                max_quantity_per_use: spec.max_quantity_per_use,
                is_organization_wide: spec.product_ids.is_empty(),
                product_ids: spec.product_ids,
                customer_type: CustomerType::All,
                demo_key: Some(key),
                created_at: now,
                updated_at: now,
            })?,
        }
    }

    let base = ctx.public_url().to_string();
    let url = |(t, id): (LinkType, String)| format!("{base}/{}/{id}", t.name());
    let instant = ensure_link(db, &merchant_id, "demo:link:consultation", || {
        link_row(
            ctx,
            LinkSpec {
                key: "demo:link:consultation",
                link_type: LinkType::Instant,
                title: "Consultation",
                description: "Une heure de conseil avec notre styliste",
                amount: Some(15_000),
                currency: Currency::Xof,
                product: None,
                providers: Some(vec![Provider::Wave, Provider::Orange, Provider::Mtn]),
                allow_quantity: false,
                allow_coupon_code: false,
            },
            now,
        )
    })?;
    let product_link = ensure_link(db, &merchant_id, "demo:link:pagne-wax", || {
        link_row(
            ctx,
            LinkSpec {
                key: "demo:link:pagne-wax",
                link_type: LinkType::Product,
                title: "Pagne wax 6 yards",
                description: "Tissu wax 100 % coton, 6 yards, motifs assortis.",
                amount: None,
                currency: Currency::Xof,
                product: Some(&pagne),
                providers: None,
                allow_quantity: true,
                allow_coupon_code: true,
            },
            now,
        )
    })?;
    let pwyw = ensure_link(db, &merchant_id, "demo:link:podcast", || {
        link_row(
            ctx,
            LinkSpec {
                key: "demo:link:podcast",
                link_type: LinkType::Product,
                title: "Soutenir le podcast",
                description: "Donnez ce que vous voulez, à partir de 1 000 F CFA.",
                amount: None,
                currency: Currency::Xof,
                product: Some(&podcast),
                providers: None,
                allow_quantity: false,
                allow_coupon_code: false,
            },
            now,
        )
    })?;
    let plan = ensure_link(db, &merchant_id, "demo:link:premium", || {
        link_row(
            ctx,
            LinkSpec {
                key: "demo:link:premium",
                link_type: LinkType::Plan,
                title: "Abonnement Premium",
                description: "14 jours offerts, puis 5 000 F CFA par mois.",
                amount: None,
                currency: Currency::Xof,
                product: Some(&premium),
                providers: None,
                allow_quantity: false,
                allow_coupon_code: true,
            },
            now,
        )
    })?;
    let usd = ensure_link(db, &merchant_id, "demo:link:design-review", || {
        link_row(
            ctx,
            LinkSpec {
                key: "demo:link:design-review",
                link_type: LinkType::Instant,
                title: "Design review",
                description: "A 45-minute review of your storefront's design.",
                amount: Some(1_599),
                currency: Currency::Usd,
                product: None,
                providers: None,
                allow_quantity: false,
                allow_coupon_code: false,
            },
            now,
        )
    })?;

    // A session lives an hour; the demo always offers one that can still be paid.
    let existing = match db.id_by_demo_key(DemoTable::CheckoutSessions, SESSION)? {
        Some(id) => db.session(&merchant_id, &id)?,
        None => None,
    };
    let session_id = match existing {
        Some(s) if s.status_at(now) == SessionStatus::Open => s.id,
        stale => {
            if stale.is_some() {
                db.release_demo_key(DemoTable::CheckoutSessions, SESSION)?;
            }
            let session = SessionRow {
                id: ids::session(),
                merchant_id: merchant_id.clone(),
                status: SessionStatus::Open,
                unit_amount: 10_000,
                quantity: 1,
                currency: Currency::Xof,
                title: "Commande #12345".to_string(),
                description: Some("Paiement des articles du panier".to_string()),
                customer_id: None,
                customer_email: Some("awa@example.ci".to_string()),
                customer_name: Some("Awa Diallo".to_string()),
                customer_phone: Some("+2250708091011".to_string()),
                product_id: None,
                price_id: None,
                subscription_id: None,
                payment_link_id: None,
                allow_quantity: false,
                allow_coupon_code: true,
                require_billing_address: false,
                success_url: None,
                cancel_url: None,
                metadata: Some(r#"{"order_id":"12345"}"#.to_string()),
                coupon_code: None,
                transaction_id: None,
                demo_key: Some(SESSION.to_string()),
                expires_at: now + SESSION_LIFETIME,
                created_at: now,
                billing: None,
                line_items: Vec::new(),
            };
            db.insert_session(&session)?;
            session.id
        }
    };

    Ok(DemoLinks {
        instant: url(instant),
        product: url(product_link),
        pwyw: url(pwyw),
        plan: url(plan),
        session: format!("{base}/checkout/{session_id}"),
        usd_instant: url(usd),
    })
}
