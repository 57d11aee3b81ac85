//! What the end-to-end tests share: a sandbox on a free port serving the built page, the
//! seeds' curl commands run as written, and headless Chromium driven through ChromeDriver.
//! Tests find things by role and accessible name first, `data-testid` second, as merchants'
//! own browser tests will.
//!
//! Every flow fails on a Content-Security-Policy violation, seen twice over: in the browser
//! (a `securitypolicyviolation` listener installed before any page script runs, and Chromium's
//! own console messages), checked by [`Browser::close`], and on the sandbox (the reports the
//! browser sent it), checked by [`Sandbox::shutdown`].

pub mod embedding;
pub mod states;
pub mod webhooks;

use anyhow::{anyhow, bail, Context, Result};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::Value;
use std::net::{SocketAddr, TcpListener};
use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;
use tokio::process::{Child, Command};

/// The key the tests' sandbox is started with, as a merchant would set it.
pub const TEST_KEY: &str = "lomi_sk_test_e2e0000000000000000000000000000";

const WAIT: Duration = Duration::from_secs(15);

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("e2e lives inside the workspace")
        .to_path_buf()
}

/// The tests' sandbox: an in-memory database, the release build in `dist/`, the test key.
fn test_config() -> lomi_sandbox::Config {
    lomi_sandbox::Config {
        db_path: ":memory:".into(),
        dist_dir: workspace_root().join("dist"),
        api_key: Some(TEST_KEY.into()),
        ..Default::default()
    }
}

/// A test's sandbox: [`lomi_sandbox::Sandbox`] (its URL, key, demo links and state), whose
/// [`Sandbox::shutdown`] also fails the test when a page reported a CSP violation.
pub struct Sandbox(lomi_sandbox::Sandbox);

impl Deref for Sandbox {
    type Target = lomi_sandbox::Sandbox;

    fn deref(&self) -> &lomi_sandbox::Sandbox {
        &self.0
    }
}

impl Sandbox {
    /// The Content-Security-Policy violations browsers reported to this sandbox.
    pub fn csp_reports(&self) -> lomi_sandbox::http::security::CspSummary {
        self.state().csp_reports().summary()
    }

    /// Stops the sandbox; an error if any page it served reported a CSP violation.
    pub async fn shutdown(self) -> Result<()> {
        let reports = self.csp_reports();
        self.0.shutdown().await;
        if reports.total > 0 {
            bail!(
                "the browser reported {} Content-Security-Policy violation(s): {:?}",
                reports.total,
                reports.violations
            );
        }
        Ok(())
    }
}

async fn start(config: lomi_sandbox::Config) -> Result<Sandbox> {
    if !config.dist_dir.join("index.html").exists() {
        bail!(
            "no built page in {}: run `make test` (it builds the page first)",
            config.dist_dir.display()
        );
    }
    let bind: SocketAddr = "127.0.0.1:0".parse()?;
    lomi_sandbox::spawn(config, bind).await.map(Sandbox)
}

/// Starts the sandbox with the demo merchant's links, products and coupons.
async fn start_with_demo(
    config: lomi_sandbox::Config,
) -> Result<(Sandbox, lomi_sandbox::DemoLinks)> {
    let server = start(lomi_sandbox::Config {
        seed_demo: true,
        ..config
    })
    .await?;
    let demo = server
        .demo
        .clone()
        .ok_or_else(|| anyhow!("demo data was not seeded"))?;
    Ok((server, demo))
}

/// Starts a sandbox; `api_base` overrides where the page looks for the public API.
pub async fn sandbox(api_base: Option<String>) -> Result<Sandbox> {
    start(lomi_sandbox::Config {
        api_base,
        ..test_config()
    })
    .await
}

/// A sandbox with the demo merchant's links, products and coupons.
pub async fn demo_sandbox() -> Result<(Sandbox, lomi_sandbox::DemoLinks)> {
    start_with_demo(test_config()).await
}

/// A sandbox with the demo data whose merchant set an accent colour (`#rrggbb`).
pub async fn branded_sandbox(colour: &str) -> Result<(Sandbox, lomi_sandbox::DemoLinks)> {
    start_with_demo(lomi_sandbox::Config {
        brand_color: checkout_core::brand::normalize(colour),
        ..test_config()
    })
    .await
}

/// A sandbox tuned for payment tests: short operator delays so outcomes land in seconds,
/// "still waiting" after one second, and the merchant's default redirects pointing at
/// `merchant` (a [`MerchantSite`]) when given.
pub async fn payment_sandbox(merchant: Option<&str>) -> Result<(Sandbox, lomi_sandbox::DemoLinks)> {
    start_with_demo(lomi_sandbox::Config {
        mobile_money_delay_ms: 800,
        operator_timeout_secs: 8,
        usual_wait_secs: Some(1),
        // Webhook retries within a second (the first after 200 ms), loopback only.
        webhooks: lomi_sandbox::config::WebhookSettings {
            retry_unit_ms: 200,
            ..lomi_sandbox::Config::default().webhooks
        },
        merchant_success_url: merchant
            .map(|m| format!("{m}/default-success?session={{CHECKOUT_SESSION_ID}}")),
        merchant_cancel_url: merchant.map(|m| format!("{m}/default-cancel")),
        ..test_config()
    })
    .await
}

/// A sandbox whose public API answers at most `per_minute` requests a minute about one
/// payment (429 and `Retry-After` beyond), and whose mobile-money payments take
/// `delay_ms` to succeed: a page polling a payment meets the limit before the outcome.
pub async fn rate_limited_sandbox(
    merchant: &str,
    per_minute: u32,
    delay_ms: u64,
) -> Result<(Sandbox, lomi_sandbox::DemoLinks)> {
    start_with_demo(lomi_sandbox::Config {
        public_rate_limit_per_payment: per_minute,
        mobile_money_delay_ms: delay_ms,
        merchant_success_url: Some(format!(
            "{merchant}/default-success?session={{CHECKOUT_SESSION_ID}}"
        )),
        merchant_cancel_url: Some(format!("{merchant}/default-cancel")),
        ..test_config()
    })
    .await
}

/// axe-core's browser build, from the tools directory the install step fills
/// (`$LOMI_TOOLS_DIR`, as `make` exports it, else `~/.cache/lomi-checkout/tools`).
fn axe_source() -> Result<&'static str> {
    static SOURCE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    if let Some(s) = SOURCE.get() {
        return Ok(s);
    }
    let tools = std::env::var_os("LOMI_TOOLS_DIR")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("XDG_CACHE_HOME")
                .map(PathBuf::from)
                .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
                .map(|c| c.join("lomi-checkout/tools"))
        })
        .context("no tools directory: set LOMI_TOOLS_DIR")?;
    let path = tools.join("node_modules/axe-core/axe.min.js");
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("no axe-core at {}: run `make install`", path.display()))?;
    Ok(SOURCE.get_or_init(|| text))
}

/// A stand-in for the merchant's own site: answers every GET with a page naming the path,
/// so tests can see where the customer was sent.
pub struct MerchantSite {
    pub base_url: String,
    task: tokio::task::JoinHandle<()>,
}

impl MerchantSite {
    pub async fn start() -> Result<MerchantSite> {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let base_url = format!("http://{}", listener.local_addr()?);
        let task = tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                tokio::spawn(async move {
                    let mut buffer = vec![0u8; 8192];
                    let read = socket.read(&mut buffer).await.unwrap_or(0);
                    let request = String::from_utf8_lossy(&buffer[..read]);
                    let path = request.split_whitespace().nth(1).unwrap_or("/").to_string();
                    let path = path.replace('<', "&lt;").replace('>', "&gt;");
                    let body = format!(
                        "<!doctype html><title>Merchant</title><h1 id=\"merchant-page\">Merchant page {path}</h1>"
                    );
                    let response = format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = socket.write_all(response.as_bytes()).await;
                });
            }
        });
        Ok(MerchantSite { base_url, task })
    }
}

impl Drop for MerchantSite {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// What a curl command printed: its HTTP status and JSON body (`Value::Null` when empty).
#[derive(Debug)]
pub struct CurlReply {
    pub status: u16,
    pub body: Value,
}

/// Runs a seed's curl command as a merchant would type it, with `$BASE` standing for the
/// sandbox's address and `$LOMI_API_KEY` in the environment.
pub async fn curl(base_url: &str, command: &str) -> Result<CurlReply> {
    let script = format!("{command} -sS -w '\\n%{{http_code}}'");
    let output = Command::new("sh")
        .arg("-c")
        .arg(&script)
        .env("BASE", base_url)
        .env("LOMI_API_KEY", TEST_KEY)
        .output()
        .await
        .context("running curl (is curl installed?)")?;
    if !output.status.success() {
        bail!(
            "curl failed: {}\n{}",
            String::from_utf8_lossy(&output.stderr),
            script
        );
    }
    let stdout = String::from_utf8(output.stdout)?;
    let (body, status) = stdout
        .rsplit_once('\n')
        .ok_or_else(|| anyhow!("no status line in curl output: {stdout}"))?;
    let body = if body.trim().is_empty() {
        Value::Null
    } else {
        serde_json::from_str(body).with_context(|| format!("curl body is not JSON: {body}"))?
    };
    Ok(CurlReply {
        status: status.trim().parse()?,
        body,
    })
}

/// A GET's status, headers (names in lower case) and body, as curl receives them.
pub struct Fetched {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Fetched {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// GETs `url` with curl, as a browser asking for a page would (`Accept: text/html`).
pub async fn fetch(url: &str) -> Result<Fetched> {
    let output = Command::new("curl")
        .args(["-sS", "-D", "-", "-H", "Accept: text/html", url])
        .output()
        .await
        .context("running curl (is curl installed?)")?;
    if !output.status.success() {
        bail!(
            "curl {url} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let text = String::from_utf8(output.stdout)?;
    let (head, body) = text
        .split_once("\r\n\r\n")
        .ok_or_else(|| anyhow!("no header block from {url}"))?;
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .ok_or_else(|| anyhow!("no status line from {url}"))?
        .parse()?;
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Ok(Fetched {
        status,
        headers,
        body: body.to_string(),
    })
}

/// A headless Chromium session. ChromeDriver runs in a process group of its own, and the
/// whole group (driver and browser) is stopped when this is dropped, so a test that fails
/// before `close` leaves no browser behind.
pub struct Browser {
    pub client: Client,
    driver: Child,
    /// Whether the browser runs the page's scripts.
    scripts: bool,
}

impl Drop for Browser {
    fn drop(&mut self) {
        if let Some(pid) = self.driver.id() {
            let _ = std::process::Command::new("kill")
                .args(["-KILL", "--"])
                .arg(format!("-{pid}"))
                .stderr(Stdio::null())
                .status();
        }
    }
}

fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// The browser options the component tests use too (`webdriver.json` at the root), and the
/// browser's console kept for [`Browser::csp_violations`].
fn capabilities() -> Result<serde_json::Map<String, Value>> {
    let text = std::fs::read_to_string(workspace_root().join("webdriver.json"))?;
    match serde_json::from_str(&text)? {
        Value::Object(mut map) => {
            map.insert(
                "goog:loggingPrefs".into(),
                serde_json::json!({"browser": "ALL"}),
            );
            Ok(map)
        }
        _ => bail!("webdriver.json must hold an object"),
    }
}

/// What every document runs before its own scripts: a `securitypolicyviolation` listener
/// that writes each violation to the console, where [`Browser::csp_violations`] reads it.
/// Installed through the DevTools protocol, so no page's policy applies to it.
const VIOLATION_LISTENER: &str = "document.addEventListener('securitypolicyviolation', (e) => \
console.error('securitypolicyviolation: ' + e.effectiveDirective + ' blocked ' + \
(e.blockedURI || 'inline') + ' on ' + e.documentURI), true);";

/// ChromeDriver's own endpoints, outside the WebDriver standard: the DevTools protocol
/// (`goog/cdp/execute`) and the browser's console log (`se/log`).
#[derive(Debug)]
struct ChromeCommand {
    path: &'static str,
    body: Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for ChromeCommand {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> std::result::Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/{}",
            session_id.unwrap_or_default(),
            self.path
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.body.to_string()))
    }
}

/// Whether a console message tells of a blocked load or script, or of a Permissions-Policy
/// header the browser could not read.
fn is_policy_problem(message: &str) -> bool {
    message.contains("securitypolicyviolation:")
        || message.contains("Content Security Policy")
        || message.contains("Permissions-Policy")
}

impl Browser {
    pub async fn start() -> Result<Browser> {
        Browser::launch(true).await
    }

    /// A browser with JavaScript switched off: what the server's first paint alone shows.
    pub async fn without_scripts() -> Result<Browser> {
        Browser::launch(false).await
    }

    async fn launch(scripts: bool) -> Result<Browser> {
        let chromedriver = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
        let port = free_port()?;
        let driver = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .process_group(0)
            .spawn()
            .with_context(|| format!("starting {chromedriver}"))?;
        let url = format!("http://127.0.0.1:{port}");
        let mut builder =
            ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new());
        let mut capabilities = capabilities()?;
        if !scripts {
            let prefs = capabilities
                .get_mut("goog:chromeOptions")
                .and_then(|o| o.as_object_mut())
                .map(|o| {
                    o.entry("prefs")
                        .or_insert_with(|| Value::Object(Default::default()))
                })
                .and_then(|p| p.as_object_mut())
                .ok_or_else(|| anyhow!("webdriver.json has no goog:chromeOptions"))?;
            prefs.insert(
                "profile.managed_default_content_settings.javascript".into(),
                Value::from(2),
            );
        }
        builder.capabilities(capabilities);
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            match builder.connect(&url).await {
                Ok(client) => {
                    let browser = Browser {
                        client,
                        driver,
                        scripts,
                    };
                    browser
                        .chrome(
                            "goog/cdp/execute",
                            serde_json::json!({
                                "cmd": "Page.addScriptToEvaluateOnNewDocument",
                                "params": {"source": VIOLATION_LISTENER},
                            }),
                        )
                        .await
                        .context("installing the CSP violation listener")?;
                    return Ok(browser);
                }
                Err(e) if tokio::time::Instant::now() > deadline => {
                    bail!("ChromeDriver did not start: {e}")
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
    }

    /// Opens `url` and, on the checkout page, waits for the app to take over the server's
    /// first paint (whose controls wait for it).
    pub async fn open(&self, url: &str) -> Result<()> {
        self.client.goto(url).await?;
        self.ready().await
    }

    /// Waits until the app is live (`<html data-app="live">`) on a page that loads it; other
    /// pages (the provider pages, a merchant's site), or a browser without scripts, are ready
    /// as they are. Every action on the page waits for this first.
    pub async fn ready(&self) -> Result<()> {
        if !self.scripts {
            return Ok(());
        }
        const STATE: &str = "return document.querySelector('link[rel=modulepreload]') \
            ? (document.documentElement.dataset.app || 'loading') : 'static'";
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            // A page being replaced can fail the script: ask again.
            if let Ok(state) = self.client.execute(STATE, vec![]).await {
                if matches!(state.as_str(), Some("live" | "static")) {
                    return Ok(());
                }
            }
            if tokio::time::Instant::now() > deadline {
                bail!("the app never took over the page");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits for the element with this `data-testid` and returns its visible text, with the
    /// no-break spaces `Intl` writes folded to plain spaces.
    pub async fn text(&self, testid: &str) -> Result<String> {
        let selector = format!("[data-testid='{testid}']");
        let element = self
            .client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(&selector))
            .await
            .with_context(|| format!("waiting for [data-testid={testid}]"))?;
        Ok(spaces(&element.text().await?))
    }

    /// Waits until the element's text equals `expected` (the page may still be updating).
    pub async fn text_becomes(&self, testid: &str, expected: &str) -> Result<()> {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let seen = self.text(testid).await?;
            if seen == expected {
                return Ok(());
            }
            if tokio::time::Instant::now() > deadline {
                bail!("[data-testid={testid}] reads {seen:?}, expected {expected:?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The page's main heading: what a screen reader announces first.
    pub async fn heading(&self) -> Result<String> {
        let h1 = self
            .client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css("main h1"))
            .await?;
        Ok(spaces(&h1.text().await?))
    }

    /// Clicks the button whose accessible name (its text) is `name`.
    pub async fn click_button(&self, name: &str) -> Result<()> {
        self.ready().await?;
        let xpath = format!("//button[normalize-space(.)='{name}']");
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::XPath(&xpath))
            .await
            .with_context(|| format!("no button named {name:?}"))?
            .click()
            .await?;
        Ok(())
    }

    /// Clicks the link whose text is `name`.
    pub async fn click_link(&self, name: &str) -> Result<()> {
        self.ready().await?;
        let xpath = format!("//a[normalize-space(.)='{name}']");
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::XPath(&xpath))
            .await
            .with_context(|| format!("no link named {name:?}"))?
            .click()
            .await?;
        Ok(())
    }

    /// Clicks the first button whose text contains `part` (the sandbox's provider pages).
    pub async fn click_button_containing(&self, part: &str) -> Result<()> {
        self.ready().await?;
        let xpath = format!("//button[contains(normalize-space(.), '{part}')]");
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::XPath(&xpath))
            .await
            .with_context(|| format!("no button containing {part:?}"))?
            .click()
            .await?;
        Ok(())
    }

    /// Clicks the button whose `aria-label` is `label` (icon buttons such as − and +).
    pub async fn click_button_labelled(&self, label: &str) -> Result<()> {
        self.ready().await?;
        let xpath = format!("//button[@aria-label='{label}']");
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::XPath(&xpath))
            .await
            .with_context(|| format!("no button labelled {label:?}"))?
            .click()
            .await?;
        Ok(())
    }

    /// Waits until the element's text starts with `prefix`.
    pub async fn wait_for_text_prefix(&self, testid: &str, prefix: &str) -> Result<String> {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let seen = self.text(testid).await?;
            if seen.starts_with(prefix) {
                return Ok(seen);
            }
            if tokio::time::Instant::now() > deadline {
                bail!(
                    "[data-testid={testid}] reads {seen:?}, expected it to start with {prefix:?}"
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Replaces the text of the input with this id, as typing would.
    pub async fn type_into(&self, id: &str, text: &str) -> Result<()> {
        self.ready().await?;
        let selector = format!("#{id}");
        let input = self
            .client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(&selector))
            .await
            .with_context(|| format!("no input #{id}"))?;
        input.clear().await?;
        if !text.is_empty() {
            input.send_keys(text).await?;
        }
        Ok(())
    }

    /// Waits for the form control with this id and returns its current value.
    pub async fn value_of(&self, id: &str) -> Result<String> {
        let selector = format!("#{id}");
        let control = self
            .client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(&selector))
            .await
            .with_context(|| format!("no control #{id}"))?;
        Ok(control.prop("value").await?.unwrap_or_default())
    }

    /// Presses Enter in the input with this id.
    pub async fn press_enter(&self, id: &str) -> Result<()> {
        self.ready().await?;
        let input = self.client.find(Locator::Id(id)).await?;
        input.send_keys("\u{E007}").await?;
        Ok(())
    }

    pub async fn click_testid(&self, testid: &str) -> Result<()> {
        self.ready().await?;
        let selector = format!("[data-testid='{testid}']");
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(&selector))
            .await?
            .click()
            .await?;
        Ok(())
    }

    /// Picks a payment method by its accessible name, as a customer taps its label.
    pub async fn choose_provider(&self, name: &str) -> Result<()> {
        self.ready().await?;
        let xpath =
            format!("//label[.//span[@class='provider-name' and normalize-space(.)='{name}']]");
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::XPath(&xpath))
            .await
            .with_context(|| format!("no payment method named {name:?}"))?
            .click()
            .await?;
        Ok(())
    }

    /// The names of the payment methods offered, in order.
    pub async fn provider_names(&self) -> Result<Vec<String>> {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(".provider-name"))
            .await?;
        let mut names = Vec::new();
        for element in self.client.find_all(Locator::Css(".provider-name")).await? {
            names.push(element.text().await?);
        }
        Ok(names)
    }

    /// The id of the element that has the keyboard focus.
    pub async fn focused_id(&self) -> Result<String> {
        let id = self
            .client
            .execute(
                "return document.activeElement && document.activeElement.id",
                vec![],
            )
            .await?;
        Ok(id.as_str().unwrap_or_default().to_string())
    }

    /// Whether a heading with this exact text is on the page.
    pub async fn has_heading(&self, text: &str) -> Result<bool> {
        let xpath = format!("//*[self::h1 or self::h2][normalize-space(.)='{text}']");
        Ok(!self
            .client
            .find_all(Locator::XPath(&xpath))
            .await?
            .is_empty())
    }

    /// Waits until the browser is on a URL starting with `prefix`, and returns it.
    pub async fn url_becomes(&self, prefix: &str) -> Result<String> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        loop {
            let url = self.client.current_url().await?.to_string();
            if url.starts_with(prefix) {
                return Ok(url);
            }
            if tokio::time::Instant::now() > deadline {
                bail!("the browser is on {url}, expected {prefix}…");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Fills the contact details every payment needs.
    /// Opens `url` (a link or session, its `?lang=` included), fills the contact details
    /// with `phone`, chooses `provider` and presses pay.
    pub async fn pay_with(&self, url: &str, provider: &str, phone: &str) -> Result<()> {
        self.open(url).await?;
        self.fill_contact(phone).await?;
        self.choose_provider(provider).await?;
        self.click_testid("pay-button").await
    }

    pub async fn fill_contact(&self, phone: &str) -> Result<()> {
        self.type_into("customer-name", "Awa Diallo").await?;
        self.type_into("customer-email", "awa@example.ci").await?;
        self.type_into("customer-phone", phone).await?;
        Ok(())
    }

    pub async fn has_testid(&self, testid: &str) -> Result<bool> {
        let selector = format!("[data-testid='{testid}']");
        Ok(!self
            .client
            .find_all(Locator::Css(&selector))
            .await?
            .is_empty())
    }

    /// Shows the page as a device of this size would (CSS pixels, the viewport itself).
    pub async fn viewport(&self, width: u32, height: u32) -> Result<()> {
        self.chrome(
            "goog/cdp/execute",
            serde_json::json!({
                "cmd": "Emulation.setDeviceMetricsOverride",
                "params": {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
            }),
        )
        .await?;
        Ok(())
    }

    /// Emulates the system's colour scheme: `dark` or `light`.
    pub async fn color_scheme(&self, scheme: &str) -> Result<()> {
        self.chrome(
            "goog/cdp/execute",
            serde_json::json!({
                "cmd": "Emulation.setEmulatedMedia",
                "params": {"features": [{"name": "prefers-color-scheme", "value": scheme}]},
            }),
        )
        .await?;
        Ok(())
    }

    /// The bounding box of the first element matching `css`, in CSS pixels from the
    /// viewport's top left: `[x, y, width, height]`.
    pub async fn rect(&self, css: &str) -> Result<[f64; 4]> {
        let value = self
            .client
            .execute(
                "const e = document.querySelector(arguments[0]); if (!e) return null; \
                 const r = e.getBoundingClientRect(); return [r.x, r.y, r.width, r.height];",
                vec![Value::String(css.to_string())],
            )
            .await?;
        let numbers: Vec<f64> = value
            .as_array()
            .with_context(|| format!("no element {css}"))?
            .iter()
            .filter_map(Value::as_f64)
            .collect();
        numbers
            .try_into()
            .map_err(|_| anyhow!("no bounding box for {css}"))
    }

    /// Runs axe-core's WCAG 2.1 A and AA rules over the page as it is now; one line per
    /// violation (rule, impact, the elements), none when the page passes.
    pub async fn axe(&self) -> Result<Vec<String>> {
        let script = format!(
            "{}\n;const done = arguments[arguments.length - 1];\n\
             axe.run(document, {{runOnly: {{type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}}, resultTypes: ['violations']}})\n\
             .then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' at ' + v.nodes.map(n => n.target.join(' ')).join(', '))))\n\
             .catch(e => done(['axe could not run: ' + e]));",
            axe_source()?
        );
        let value = self.client.execute_async(&script, vec![]).await?;
        Ok(value
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_else(|| vec![format!("axe answered {value}")]))
    }

    /// Saves a PNG of the viewport.
    pub async fn screenshot(&self, path: &Path) -> Result<()> {
        let png = self.client.screenshot().await?;
        std::fs::write(path, png).with_context(|| format!("writing {}", path.display()))
    }

    /// Runs `script` (a function body, `return …`) in the page and answers its value.
    pub async fn eval(&self, script: &str) -> Result<Value> {
        Ok(self.client.execute(script, vec![]).await?)
    }

    async fn chrome(&self, path: &'static str, body: Value) -> Result<Value> {
        Ok(self.client.issue_cmd(ChromeCommand { path, body }).await?)
    }

    /// The Content-Security-Policy violations (and Permissions-Policy errors) every page of
    /// this session logged since the last call, one console message each. Reading them
    /// clears them.
    pub async fn csp_violations(&self) -> Result<Vec<String>> {
        let log = self
            .chrome("se/log", serde_json::json!({"type": "browser"}))
            .await
            .context("reading the browser's console")?;
        let entries = log.get("value").unwrap_or(&log);
        Ok(entries
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|entry| entry["message"].as_str())
            .filter(|message| is_policy_problem(message))
            .map(str::to_string)
            .collect())
    }

    /// Ends the WebDriver session cleanly, after checking that no page broke its
    /// Content-Security-Policy; dropping then stops the driver's process group.
    pub async fn close(self) -> Result<()> {
        // A violation's report leaves the browser as it happens; give the last one time to
        // reach the sandbox before the browser goes away.
        tokio::time::sleep(Duration::from_millis(250)).await;
        let violations = self.csp_violations().await?;
        self.client.clone().close().await?;
        if !violations.is_empty() {
            bail!(
                "a page broke its Content-Security-Policy, or its Permissions-Policy did not \
                 parse:\n{}",
                violations.join("\n")
            );
        }
        Ok(())
    }
}

pub fn spaces(text: &str) -> String {
    text.replace(['\u{202f}', '\u{a0}'], " ")
}
