//! What the embedded-mode tests need besides the rest: a sandbox whose merchant allows one
//! origin to embed its checkout, named before it starts (its port is chosen first), a
//! recorder of every message the top page receives whatever its origin, and a shutdown that
//! expects the browser's reports of frames the checkout refused.

use crate::{free_port, test_config, Browser, Sandbox};
use anyhow::{bail, Result};
use lomi_sandbox::http::security::CspViolation;
use serde_json::Value;
use std::net::SocketAddr;
use std::time::Duration;

/// Installed in every new top document before its scripts: keeps each message the window
/// receives, with the origin it came from, in `window.__lomiMessages`.
const MESSAGE_RECORDER: &str = "window.__lomiMessages = []; \
window.addEventListener('message', (e) => window.__lomiMessages.push({origin: e.origin, data: e.data}), true);";

/// A sandbox for payments through the page (as [`crate::payment_sandbox`], quick operator)
/// with the demo data, on 127.0.0.1 at a port chosen first, whose merchant allows
/// `http://shop.localhost:<port>` to embed its checkout: the demo shop reached by that name
/// is the allowed merchant page, the same shop reached as `evil.localhost` is another
/// origin. Answers the sandbox, its demo links and the allowed origin.
pub async fn embedding_sandbox() -> Result<(Sandbox, lomi_sandbox::DemoLinks, String)> {
    let dist = crate::workspace_root().join("dist");
    if !dist.join("index.html").exists() {
        bail!("no built page in {}: run `make page`", dist.display());
    }
    let port = free_port()?;
    let allowed = format!("http://shop.localhost:{port}");
    let config = lomi_sandbox::Config {
        seed_demo: true,
        mobile_money_delay_ms: 800,
        usual_wait_secs: Some(1),
        embed_origins: Some(vec![allowed.clone()]),
        ..test_config()
    };
    let bind = SocketAddr::from(([127, 0, 0, 1], port));
    let server = Sandbox(lomi_sandbox::spawn(config, bind).await?);
    let Some(demo) = server.demo.clone() else {
        bail!("demo data was not seeded");
    };
    Ok((server, demo, allowed))
}

impl Browser {
    /// From now on, every top document keeps the messages it receives (see
    /// [`Browser::messages`]).
    pub async fn record_messages(&self) -> Result<()> {
        self.chrome(
            "goog/cdp/execute",
            serde_json::json!({
                "cmd": "Page.addScriptToEvaluateOnNewDocument",
                "params": {"source": MESSAGE_RECORDER},
            }),
        )
        .await?;
        Ok(())
    }

    /// Every message the current top document received so far: `{origin, data}` each.
    pub async fn messages(&self) -> Result<Vec<Value>> {
        let value = self.eval("return window.__lomiMessages || null;").await?;
        match value {
            Value::Array(messages) => Ok(messages),
            other => bail!("no message recorder in this page: {other}"),
        }
    }
}

impl Sandbox {
    /// Waits until browsers reported at least `count` refused frames, then stops the
    /// sandbox; an error if they reported anything else, or too few.
    pub async fn shutdown_after_refused_frames(self, count: u64) -> Result<Vec<CspViolation>> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        let framed = |v: &CspViolation| v.directive == "frame-ancestors";
        loop {
            let reports = self.csp_reports();
            let refused: u64 = reports
                .violations
                .iter()
                .filter(|v| framed(v))
                .map(|v| v.count)
                .sum();
            if refused >= count || tokio::time::Instant::now() > deadline {
                self.0.shutdown().await;
                if refused < count || refused != reports.total {
                    bail!("expected {count} refused frame(s) and nothing else, the browser reported {reports:?}");
                }
                return Ok(reports.violations);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}
