//! The checkout domain: resolving links and sessions, pricing them through core, payments
//! and their settlement, the simulated providers, the catalog rules and the demo data. It
//! reads and writes through [`crate::storage`] and knows nothing of HTTP: the layer above
//! turns requests into calls here and results into responses.
//!
//! [`Ctx`] is what every operation shares: the database handle, the clock, the merchant and
//! the settings the sandbox was started with. It holds handles, not behaviour.

pub mod catalog;
pub mod checkout;
pub mod customer;
pub mod demo;
pub mod embed;
pub mod payments;
pub mod receipts;
pub mod shop;
pub mod transactions;
pub mod views;
pub mod webhooks;

use crate::clock::Clock;
use crate::config::Config;
use crate::ids;
use crate::resolver::Resolver;
use crate::storage::{Db, Merchant};
use anyhow::{bail, Context as _};
use checkout_core::wire::Provider;
use std::sync::{Arc, Mutex, MutexGuard};

#[derive(Clone)]
pub struct Ctx {
    inner: Arc<Inner>,
}

struct Inner {
    db: Mutex<Db>,
    clock: Clock,
    merchant: Merchant,
    public_url: String,
    timing: Timing,
    usual_wait_secs: Option<u32>,
    merchant_success_url: Option<String>,
    merchant_cancel_url: Option<String>,
    webhooks: webhooks::WebhookSettings,
    webhook_resolver: Resolver,
    brand_color: Option<String>,
}

/// How simulated providers take their time, in milliseconds.
#[derive(Clone, Copy, Debug)]
pub struct Timing {
    /// From the customer's confirmation to a successful outcome.
    pub delay_ms: i64,
    /// How long an operator waits for a customer who never confirms.
    pub timeout_ms: i64,
}

pub const DEMO_MERCHANT_NAME: &str = "Boutique Awa";
pub const DEMO_LOGO_PATH: &str = "/sandbox/assets/boutique-awa.svg";

/// Whether `key` is a live key, which the sandbox refuses everywhere.
pub fn is_live_key(key: &str) -> bool {
    key.contains("_live_")
}

impl Ctx {
    /// Opens the database and makes sure the merchant and its key exist.
    /// `default_public_url` is used when the config names none (normally
    /// `http://<bound address>`).
    pub fn open(config: &Config, default_public_url: &str, clock: Clock) -> anyhow::Result<Ctx> {
        let public_url = config
            .public_url
            .as_deref()
            .unwrap_or(default_public_url)
            .trim_end_matches('/')
            .to_string();
        let db = Db::open(&config.db_path)
            .with_context(|| format!("opening the database {}", config.db_path))?;
        let mut merchant = ensure_merchant(&db, config.api_key.as_deref(), clock.now())?;
        if let Some(origins) = &config.embed_origins {
            db.set_embed_origins(&merchant.id, origins)?;
            merchant.embed_origins = origins.clone();
        }
        Ok(Ctx {
            inner: Arc::new(Inner {
                db: Mutex::new(db),
                clock,
                merchant,
                public_url,
                timing: Timing {
                    delay_ms: i64::try_from(config.mobile_money_delay_ms).unwrap_or(i64::MAX / 4),
                    timeout_ms: i64::try_from(config.operator_timeout_secs)
                        .unwrap_or(i64::MAX / 4_000)
                        .saturating_mul(1_000),
                },
                usual_wait_secs: config.usual_wait_secs,
                merchant_success_url: config.merchant_success_url.clone(),
                merchant_cancel_url: config.merchant_cancel_url.clone(),
                webhooks: config.webhooks,
                webhook_resolver: config.webhook_resolver.clone(),
                brand_color: config.brand_color.clone(),
            }),
        })
    }

    pub fn clock(&self) -> &Clock {
        &self.inner.clock
    }

    pub fn now(&self) -> i64 {
        self.inner.clock.now()
    }

    /// Unix milliseconds, for the simulated providers' delays.
    pub fn now_millis(&self) -> i64 {
        self.inner.clock.now_millis()
    }

    /// The test override of the providers' usual answer time, if any.
    pub fn usual_wait_secs(&self) -> Option<u32> {
        self.inner.usual_wait_secs
    }

    /// Where success leads when the link or session names nowhere.
    pub fn merchant_success_url(&self) -> Option<&str> {
        self.inner.merchant_success_url.as_deref()
    }

    pub fn merchant_cancel_url(&self) -> Option<&str> {
        self.inner.merchant_cancel_url.as_deref()
    }

    /// The merchant's accent colour on the checkout, `#rrggbb`, if they set one.
    pub fn brand_color(&self) -> Option<&str> {
        self.inner.brand_color.as_deref()
    }

    /// How webhook deliveries are sent and retried.
    pub fn webhook_settings(&self) -> webhooks::WebhookSettings {
        self.inner.webhooks
    }

    /// How webhook hosts' names are looked up when a delivery is sent.
    pub fn webhook_resolver(&self) -> &Resolver {
        &self.inner.webhook_resolver
    }

    pub fn timing(&self) -> Timing {
        self.inner.timing
    }

    pub fn api_key(&self) -> &str {
        &self.inner.merchant.api_key
    }

    pub fn merchant(&self) -> &Merchant {
        &self.inner.merchant
    }

    /// Base of customer URLs, without a trailing slash.
    pub fn public_url(&self) -> &str {
        &self.inner.public_url
    }

    /// The database, for one short synchronous use; never held across an await.
    pub fn db(&self) -> MutexGuard<'_, Db> {
        // A panic while holding the lock leaves SQLite consistent (each write is atomic), so a
        // poisoned lock is still safe to use.
        self.inner.db.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A sandbox path (`/sandbox/assets/…`) made absolute; absolute URLs pass through.
    pub fn absolute(&self, url: &str) -> String {
        if url.starts_with('/') {
            format!("{}{url}", self.inner.public_url)
        } else {
            url.to_string()
        }
    }

    /// A stored image URL (the merchant's logo, a product's image) as a page shows it:
    /// [`Ctx::absolute`], and only when its host is a DNS name or an IP address (a row stored
    /// before hosts were checked shows no image rather than one its policy blocks).
    pub fn image(&self, url: &str) -> Option<String> {
        let url = self.absolute(url);
        crate::urls::origin(&url).is_some().then_some(url)
    }
}

fn ensure_merchant(db: &Db, requested_key: Option<&str>, now: i64) -> anyhow::Result<Merchant> {
    if let Some(key) = requested_key {
        if is_live_key(key) {
            bail!("LOMI_SANDBOX_API_KEY is a live key: the sandbox takes test keys only (lomi_sk_test_...)");
        }
        if key.trim() != key || key.is_empty() || key.chars().any(|c| !c.is_ascii_graphic()) {
            bail!("LOMI_SANDBOX_API_KEY must be printable ASCII without spaces");
        }
    }
    match db.merchant()? {
        Some(mut merchant) => {
            if let Some(key) = requested_key.filter(|k| *k != merchant.api_key) {
                db.set_api_key(&merchant.id, key)?;
                merchant.api_key = key.to_string();
            }
            Ok(merchant)
        }
        None => {
            let merchant = Merchant {
                id: ids::uuid(),
                organization_id: ids::uuid(),
                name: DEMO_MERCHANT_NAME.to_string(),
                country: Some("CI".to_string()),
                logo_url: Some(DEMO_LOGO_PATH.to_string()),
                providers: Provider::ALL.to_vec(),
                api_key: requested_key.map_or_else(ids::test_api_key, str::to_string),
                embed_origins: Vec::new(),
            };
            db.insert_merchant(&merchant, now)?;
            Ok(merchant)
        }
    }
}
