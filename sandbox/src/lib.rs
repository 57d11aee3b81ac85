//! The lomi. checkout sandbox: the merchant API of lomi.'s docs, the public API the hosted
//! page calls, and the page itself, on one local server backed by SQLite. Merchants run it to
//! try lomi. checkout; the project's tests run against it.

pub mod auth;
pub mod clock;
pub mod config;
pub mod db;
pub mod demo;
pub mod error;
pub mod ids;
pub mod input;
pub mod merchant;
pub mod openapi;
pub mod pages;
pub mod payments;
pub mod public;
pub mod state;

pub use clock::Clock;
pub use config::Config;
pub use demo::DemoLinks;
pub use state::AppState;

use anyhow::Context;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{middleware, Router};
use std::net::{IpAddr, SocketAddr};
use std::sync::OnceLock;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tower_http::compression::CompressionLayer;

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
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
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

/// Binds `bind` (port 0 picks a free port), prepares the state and serves on a tokio task.
pub async fn spawn(config: Config, bind: SocketAddr) -> anyhow::Result<Sandbox> {
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .with_context(|| format!("binding {bind}"))?;
    let addr = listener.local_addr()?;
    let default_url = local_url(addr);
    // Opening SQLite and seeding are blocking file work.
    let state = tokio::task::spawn_blocking(move || AppState::new(&config, &default_url))
        .await
        .context("preparing the sandbox")??;
    let app = router(state.clone());
    let (tx, rx) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let server = axum::serve(listener, app).with_graceful_shutdown(async {
            let _ = rx.await;
        });
        if let Err(error) = server.await {
            eprintln!("lomi-sandbox: server error: {error}");
        }
    });
    let demo = state
        .demo_links()
        .map_err(|e| anyhow::anyhow!(e.api().message.clone()))?;
    Ok(Sandbox {
        base_url: state.public_url().to_string(),
        api_key: state.api_key().to_string(),
        demo,
        state,
        shutdown: Some(tx),
        task: Some(task),
    })
}

async fn openapi_json() -> Response {
    static DOC: OnceLock<String> = OnceLock::new();
    let body = DOC.get_or_init(|| {
        serde_json::to_string_pretty(&openapi::document()).unwrap_or_else(|_| "{}".to_string())
    });
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body.clone(),
    )
        .into_response()
}

async fn healthz() -> Response {
    (StatusCode::OK, "ok").into_response()
}

/// The simulated providers' own pages, where the checkout sends the customer.
fn provider_pages() -> Router<AppState> {
    use payments::{card, wave};
    Router::new()
        .route("/sandbox/wave/{id}", get(wave::page))
        .route("/sandbox/wave/{id}/approve", post(wave::approve))
        .route("/sandbox/wave/{id}/decline", post(wave::decline))
        .route("/sandbox/card/{id}", get(card::page).post(card::submit))
        .route("/sandbox/card/{id}/3ds", get(card::three_ds))
        .route(
            "/sandbox/card/{id}/3ds/complete",
            post(card::three_ds_complete),
        )
        .route("/sandbox/card/{id}/3ds/fail", post(card::three_ds_fail))
}

/// Test controls for merchants' CI, behind the merchant's key.
fn sandbox_controls(state: &AppState) -> Router<AppState> {
    use payments::control;
    Router::new()
        .route("/sandbox/payments/{id}/succeed", post(control::succeed))
        .route("/sandbox/payments/{id}/fail", post(control::fail))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            auth::require_key,
        ))
        .layer(tower_http::set_header::SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
}

/// Every route of the sandbox. Tests drive it with `tower::ServiceExt::oneshot`.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(merchant::router(&state))
        .merge(public::router())
        .merge(provider_pages())
        .merge(sandbox_controls(&state))
        .route("/", get(pages::home))
        .route("/instant/{id}", get(pages::instant))
        .route("/product/{id}", get(pages::product))
        .route("/plan/{id}", get(pages::plan))
        .route("/checkout/{id}", get(pages::session))
        .route("/sandbox/assets/{id}", get(pages::sandbox_asset))
        .route("/openapi.json", get(openapi_json))
        .route("/healthz", get(healthz))
        .method_not_allowed_fallback(pages::method_not_allowed)
        .fallback(pages::fallback)
        .layer(CompressionLayer::new())
        .with_state(state)
}
