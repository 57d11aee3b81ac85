//! What every handler shares: the database, the clock, the merchant and the page.

use crate::clock::Clock;
use crate::config::Config;
use crate::db::{Db, Merchant};
use crate::demo::{self, DemoLinks};
use crate::error::Result;
use crate::pages::Pages;
use crate::{auth, ids};
use anyhow::{bail, Context};
use checkout_core::wire::Provider;
use std::sync::{Arc, Mutex, MutexGuard};

#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    db: Mutex<Db>,
    clock: Clock,
    merchant: Merchant,
    public_url: String,
    pages: Pages,
    seed_demo: bool,
    timing: Timing,
    usual_wait_secs: Option<u32>,
    merchant_success_url: Option<String>,
    merchant_cancel_url: Option<String>,
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

impl AppState {
    /// Opens the database, makes sure the merchant and its key exist, seeds the demo when
    /// asked, and reads the page template. `default_public_url` is used when the config
    /// names none (normally `http://<bound address>`).
    pub fn new(config: &Config, default_public_url: &str) -> anyhow::Result<AppState> {
        AppState::with_clock(config, default_public_url, Clock::system())
    }

    pub fn with_clock(
        config: &Config,
        default_public_url: &str,
        clock: Clock,
    ) -> anyhow::Result<AppState> {
        let public_url = config
            .public_url
            .as_deref()
            .unwrap_or(default_public_url)
            .trim_end_matches('/')
            .to_string();
        let db = Db::open(&config.db_path)
            .with_context(|| format!("opening the database {}", config.db_path))?;
        let merchant = ensure_merchant(&db, config.api_key.as_deref(), clock.now())?;
        let state = AppState {
            inner: Arc::new(Inner {
                db: Mutex::new(db),
                clock,
                merchant,
                public_url,
                pages: Pages::load(&config.dist_dir, config.api_base.as_deref()),
                seed_demo: config.seed_demo,
                timing: Timing {
                    delay_ms: i64::try_from(config.mobile_money_delay_ms).unwrap_or(i64::MAX / 4),
                    timeout_ms: i64::try_from(config.operator_timeout_secs)
                        .unwrap_or(i64::MAX / 4_000)
                        .saturating_mul(1_000),
                },
                usual_wait_secs: config.usual_wait_secs,
                merchant_success_url: config.merchant_success_url.clone(),
                merchant_cancel_url: config.merchant_cancel_url.clone(),
            }),
        };
        if config.seed_demo {
            demo::seed(&state)
                .map_err(|e| anyhow::anyhow!("seeding the demo data: {}", e.api().message))?;
        }
        Ok(state)
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

    pub fn pages(&self) -> &Pages {
        &self.inner.pages
    }

    /// The demo's customer URLs, creating whatever is missing first (a fresh session when the
    /// last one expired). `None` when the sandbox was not started with the demo.
    pub fn demo_links(&self) -> Result<Option<DemoLinks>> {
        if !self.inner.seed_demo {
            return Ok(None);
        }
        demo::seed(self).map(Some)
    }

    /// The database, for one short synchronous use; never held across an await.
    pub(crate) fn db(&self) -> MutexGuard<'_, Db> {
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
}

fn ensure_merchant(db: &Db, requested_key: Option<&str>, now: i64) -> anyhow::Result<Merchant> {
    if let Some(key) = requested_key {
        if auth::is_live_key(key) {
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
            };
            db.insert_merchant(&merchant, now)?;
            Ok(merchant)
        }
    }
}
