//! What every handler shares: the checkout domain's context and the built page. Handles
//! only; the behaviour lives in the domain and in the handlers.

use crate::clock::Clock;
use crate::config::Config;
use crate::domain::Ctx;
use crate::http::dist::Pages;
use crate::http::rate_limit::RateLimits;
use crate::http::security::CspReports;
use std::ops::Deref;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    ctx: Ctx,
    pages: Arc<Pages>,
    demo: bool,
    csp_reports: Arc<CspReports>,
    rate_limits: Arc<RateLimits>,
    /// Where this process itself answers (`http://<bound address>`), for the demo shop's
    /// calls to the merchant API, whatever public URL customers see.
    local_url: Arc<str>,
}

impl AppState {
    /// Opens the domain's context and reads the page template. `default_public_url` is used
    /// when the config names none (normally `http://<bound address>`).
    pub fn new(config: &Config, default_public_url: &str) -> anyhow::Result<AppState> {
        AppState::with_clock(config, default_public_url, Clock::system())
    }

    pub fn with_clock(
        config: &Config,
        default_public_url: &str,
        clock: Clock,
    ) -> anyhow::Result<AppState> {
        Ok(AppState {
            ctx: Ctx::open(config, default_public_url, clock)?,
            pages: Arc::new(Pages::load(&config.dist_dir, config.api_base.as_deref())?),
            demo: config.seed_demo,
            csp_reports: Arc::default(),
            rate_limits: Arc::new(RateLimits::new(config)),
            local_url: default_public_url.trim_end_matches('/').into(),
        })
    }

    pub fn ctx(&self) -> &Ctx {
        &self.ctx
    }

    pub fn pages(&self) -> &Pages {
        &self.pages
    }

    /// The Content-Security-Policy violations browsers reported.
    pub fn csp_reports(&self) -> &CspReports {
        &self.csp_reports
    }

    /// `http://<bound address>`: this process, reached from itself.
    pub fn local_url(&self) -> &str {
        &self.local_url
    }

    /// The public API's limits, and the merchant API's when switched on.
    pub fn rate_limits(&self) -> &Arc<RateLimits> {
        &self.rate_limits
    }

    /// Whether the sandbox was started with the demo data (the home page lists its links).
    pub fn has_demo(&self) -> bool {
        self.demo
    }
}

impl Deref for AppState {
    type Target = Ctx;

    fn deref(&self) -> &Ctx {
        &self.ctx
    }
}
