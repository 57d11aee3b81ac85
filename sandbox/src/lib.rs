//! The lomi. checkout sandbox: the merchant API of lomi.'s docs, the public API the hosted
//! page calls, and the page itself, on one local server backed by SQLite. Merchants run it to
//! try lomi. checkout; the project's tests run against it.

//!
//! Three layers, each importing only from those below it:
//!
//! ```text
//! http      routers and thin handlers: merchant API, public checkout API, provider pages,
//!    |      sandbox controls, page serving, OpenAPI
//!    v
//! domain    resolving links and sessions, pricing through checkout-core, payments and their
//!    |      settlement, provider simulations, catalog rules, demo data
//!    v
//! storage   SQLite: schema migrations and one module per resource
//! ```
//!
//! `clock`, `ids`, `config`, `error`, `logging`, `names` (each enum's one spelling, its
//! serde name) and `resolver` (how webhook hosts are looked up) are leaves every layer may
//! use.

pub mod clock;
pub mod config;
pub mod domain;
pub mod error;
pub mod http;
pub mod ids;
pub mod logging;
pub mod names;
pub mod resolver;
pub mod storage;
pub mod urls;

pub use clock::Clock;
pub use config::Config;
pub use domain::demo::DemoLinks;
pub use http::{router, AppState};

use anyhow::Context;
use std::net::{IpAddr, SocketAddr};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// A running sandbox. Dropping it stops the server too; `shutdown` also waits for it.
pub struct Sandbox {
    /// `http://127.0.0.1:<port>`, or the configured public URL.
    pub base_url: String,
    /// The merchant's test key, for the `X-API-Key` header.
    pub api_key: String,
    /// The demo's customer URLs when started with `seed_demo`.
    pub demo: Option<DemoLinks>,
    state: AppState,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
    /// The webhook sender (`domain::webhooks::sender`), stopped with the server.
    sender: JoinHandle<()>,
}

impl Sandbox {
    /// The server's shared state: its clock, merchant and database.
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Stops accepting connections, lets requests in flight finish, and waits.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
        self.sender.abort();
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        self.sender.abort();
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// A URL for the bound address that a browser can open: an unspecified address (0.0.0.0,
/// `::`) is reached through loopback.
fn local_url(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        IpAddr::V4(v4) if v4.is_unspecified() => IpAddr::from([127, 0, 0, 1]),
        IpAddr::V6(v6) if v6.is_unspecified() => IpAddr::from(std::net::Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}", SocketAddr::new(ip, addr.port()))
}

/// Opens the state and, when the config asks for it, seeds the demo data.
fn prepare(config: &Config, default_url: &str) -> anyhow::Result<(AppState, Option<DemoLinks>)> {
    let state = AppState::new(config, default_url)?;
    let demo = if config.seed_demo {
        Some(
            domain::demo::seed(&state)
                .map_err(|e| anyhow::anyhow!("seeding the demo data: {}", e.api().message))?,
        )
    } else {
        None
    };
    Ok((state, demo))
}

/// Binds `bind` (port 0 picks a free port), prepares the state and serves on a tokio task,
/// with the webhook sender on another.
pub async fn spawn(mut config: Config, bind: SocketAddr) -> anyhow::Result<Sandbox> {
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .with_context(|| format!("binding {bind}"))?;
    let addr = listener.local_addr()?;
    // Where webhooks may go depends on who can reach the sandbox (`WebhookHosts::Auto`).
    config.webhooks.listening = Some(addr);
    let default_url = local_url(addr);
    // Opening SQLite and seeding are blocking file work.
    let (state, demo) = tokio::task::spawn_blocking(move || prepare(&config, &default_url))
        .await
        .context("preparing the sandbox")??;
    let sender = domain::webhooks::sender::spawn(state.ctx().clone());
    let app = router(state.clone());
    let (tx, rx) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        // The client's address is the connection's, for the public API's limit per client.
        let app = app.into_make_service_with_connect_info::<SocketAddr>();
        let server = axum::serve(listener, app).with_graceful_shutdown(async {
            let _ = rx.await;
        });
        if let Err(error) = server.await {
            tracing::error!(%error, "the server stopped");
        }
    });
    Ok(Sandbox {
        base_url: state.public_url().to_string(),
        api_key: state.api_key().to_string(),
        demo,
        state,
        shutdown: Some(tx),
        task: Some(task),
        sender,
    })
}
