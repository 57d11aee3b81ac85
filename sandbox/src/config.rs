//! What the sandbox needs to start, and the command line that fills it in.

use crate::resolver::Resolver;
use clap::error::ErrorKind;
use clap::{CommandFactory, Parser};
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

#[derive(Clone, Debug)]
pub struct Config {
    /// SQLite file, created with its directory if missing; `:memory:` keeps nothing.
    pub db_path: String,
    /// The page as trunk builds it (index.html and hashed assets); may not exist yet.
    pub dist_dir: PathBuf,
    /// The merchant's test key (from LOMI_SANDBOX_API_KEY). `None` reuses the stored key, or
    /// makes a random `lomi_sk_test_…` one on first start.
    pub api_key: Option<String>,
    /// Base of the customer URLs in responses (`url`, `checkout_url`); `None` = the bound
    /// address, `http://127.0.0.1:8080`.
    pub public_url: Option<String>,
    /// The public API's base, written into the page's `<meta name="lomi-api-base">`; `None`
    /// = the page's own origin.
    pub api_base: Option<String>,
    pub seed_demo: bool,
    /// How long a simulated mobile-money or crypto payment takes to succeed once the customer
    /// has done their part, in milliseconds.
    pub mobile_money_delay_ms: u64,
    /// How long an operator waits for a customer who never confirms before failing the
    /// payment with `operator_timeout`, in seconds.
    pub operator_timeout_secs: u64,
    /// Overrides every provider's usual answer time, after which the page tells the customer
    /// it is still waiting (never that it failed); for tests of that screen.
    pub usual_wait_secs: Option<u32>,
    /// The merchant's default redirects, used when a link or session names none. Without
    /// them the customer stays on lomi.'s own confirmation screen.
    pub merchant_success_url: Option<String>,
    pub merchant_cancel_url: Option<String>,
    /// How webhooks are retried, how long an attempt may take and where they may go. The
    /// library's default delivers to loopback only (tests must not reach outside the
    /// machine); the command line's default is [`WebhookHosts::Auto`].
    pub webhooks: WebhookSettings,
    /// How webhook hosts' names are looked up when a delivery is sent: the system's
    /// resolver; tests give a fixed table.
    pub webhook_resolver: Resolver,
    /// Requests a minute the public checkout API answers from one client address (0: no
    /// limit); beyond it, 429 with `Retry-After`.
    pub public_rate_limit_per_client: u32,
    /// Requests a minute the public checkout API answers about one payment (0: no limit).
    pub public_rate_limit_per_payment: u32,
    /// The seeds' limits of a test key on the merchant API (120 requests a minute, 20,000 a
    /// day), with `X-RateLimit-*` headers. Off by default, so merchants' test suites are not
    /// throttled.
    pub merchant_rate_limit: bool,
    /// The merchant's accent colour (`#rrggbb`) on the pay button and highlights; `None`
    /// keeps lomi.'s own.
    pub brand_color: Option<String>,
    /// The origins allowed to embed the merchant's checkout (`--embed-origin`), each an
    /// origin as [`embed_origin`] writes it. `None` keeps the list the database holds;
    /// `Some` replaces it (an empty list allows none but loopback, see `domain::embed`).
    pub embed_origins: Option<Vec<String>>,
}

/// (The webhook sender's settings: `domain::webhooks` sends with them.)
/// Which destinations webhook deliveries may go to (`--webhook-hosts`). Whatever the
/// policy, unspecified (`0.0.0.0`, `::`), link-local (`169.254.0.0/16`, `fe80::/10`),
/// multicast, broadcast, documentation and reserved addresses are refused, in every spelling
/// (`::ffff:a.b.c.d`, `http://2130706433/`…), and the sandbox's own address
/// (`http://127.0.0.1:PORT`, where the demo shop listens) is always allowed. See
/// `domain::webhooks::destination`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WebhookHosts {
    /// Public addresses; loopback too while the sandbox itself listens on loopback (a
    /// merchant's local server), not when it listens on another address (`0.0.0.0` in a
    /// container), where anyone reaching it could probe the host's own services. The command
    /// line's default.
    Auto,
    /// Public addresses only: a tunnel or a deployed server.
    Public,
    /// Loopback only (`localhost`, `127.0.0.0/8`, `[::1]`): the tests' setting, where nothing
    /// may leave the machine. The library's default.
    Loopback,
    /// Public, loopback and private networks (`10/8`, `172.16/12`, `192.168/16`,
    /// `100.64/10`, `fc00::/7`): a merchant's server on the same LAN or container network.
    /// `any`, this flag's old value, means this.
    Private,
}

impl WebhookHosts {
    /// The flag's spelling.
    pub fn name(self) -> &'static str {
        match self {
            WebhookHosts::Auto => "auto",
            WebhookHosts::Public => "public",
            WebhookHosts::Loopback => "loopback",
            WebhookHosts::Private => "private",
        }
    }
}

/// How deliveries are sent and retried.
#[derive(Clone, Copy, Debug)]
pub struct WebhookSettings {
    /// The first retry waits this long; each next one four times longer (30 s, 2 min, 8 min,
    /// 32 min, 2 h 8 min by default).
    pub retry_unit_ms: u64,
    /// How long an attempt may take before it counts as failed.
    pub timeout_ms: u64,
    pub hosts: WebhookHosts,
    /// The address the sandbox listens on, set by `spawn` once bound: whether loopback is
    /// allowed under [`WebhookHosts::Auto`], and the sandbox's own address. `None` (a router
    /// without a listener, as in tests) counts as listening on loopback.
    pub listening: Option<SocketAddr>,
}

pub const DEFAULT_RETRY_UNIT_MS: u64 = 30_000;
pub const DEFAULT_TIMEOUT_MS: u64 = 10_000;

impl Default for WebhookSettings {
    fn default() -> Self {
        WebhookSettings {
            retry_unit_ms: DEFAULT_RETRY_UNIT_MS,
            timeout_ms: DEFAULT_TIMEOUT_MS,
            hosts: WebhookHosts::Auto,
            listening: None,
        }
    }
}

impl WebhookSettings {
    /// How long after failed attempt `attempt` (1-based) the next one is due.
    pub fn backoff_ms(&self, attempt: u32) -> i64 {
        let factor = 4u64.saturating_pow(attempt.saturating_sub(1));
        i64::try_from(self.retry_unit_ms.saturating_mul(factor)).unwrap_or(i64::MAX / 4)
    }
}

pub const DEFAULT_MOBILE_MONEY_DELAY_MS: u64 = 2_000;
/// Operators give up after 2 to 5 minutes; three is the middle of that.
pub const DEFAULT_OPERATOR_TIMEOUT_SECS: u64 = 180;
/// Ten requests a second from one address, sustained, and bursts of 600: far above what a
/// customer's page sends (and room for customers sharing an operator's address), far below
/// a script guessing ids.
pub const DEFAULT_PUBLIC_RATE_LIMIT_PER_CLIENT: u32 = 600;
/// Two a second about one payment: the page polls at most once a second.
pub const DEFAULT_PUBLIC_RATE_LIMIT_PER_PAYMENT: u32 = 120;

impl Default for Config {
    fn default() -> Self {
        Config {
            db_path: "data/sandbox.db".to_string(),
            dist_dir: PathBuf::from("dist"),
            api_key: None,
            public_url: None,
            api_base: None,
            seed_demo: false,
            mobile_money_delay_ms: DEFAULT_MOBILE_MONEY_DELAY_MS,
            operator_timeout_secs: DEFAULT_OPERATOR_TIMEOUT_SECS,
            usual_wait_secs: None,
            merchant_success_url: None,
            merchant_cancel_url: None,
            webhooks: WebhookSettings {
                hosts: WebhookHosts::Loopback,
                ..WebhookSettings::default()
            },
            public_rate_limit_per_client: DEFAULT_PUBLIC_RATE_LIMIT_PER_CLIENT,
            public_rate_limit_per_payment: DEFAULT_PUBLIC_RATE_LIMIT_PER_PAYMENT,
            merchant_rate_limit: false,
            brand_color: None,
            embed_origins: None,
            webhook_resolver: Resolver::system(),
        }
    }
}

/// The command line, as clap reads it. `$PORT` and `$LOMI_SANDBOX_API_KEY` are applied by
/// [`parse_args`] from values passed in, not read by clap, so the tests never depend on the
/// environment they run in; `--help` lists them under "Environment".
#[derive(Parser, Debug)]
#[command(
    name = "lomi-sandbox",
    about = "lomi-sandbox: the lomi. checkout sandbox (merchant API, public checkout API and the page)",
    after_help = ENVIRONMENT,
    // A flag given twice takes its last value, as scripts that append to a command expect.
    args_override_self = true
)]
struct Cli {
    /// SQLite database file, or :memory:
    #[arg(long = "db", value_name = "PATH", default_value = "data/sandbox.db")]
    db_path: String,
    /// Port to listen on [default: $PORT or 8080]
    #[arg(long, value_name = "N")]
    port: Option<u16>,
    /// Address to listen on (an IP address, or localhost)
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1", value_parser = host)]
    host: IpAddr,
    /// The built page (trunk's output)
    #[arg(long = "dist", value_name = "DIR", default_value = "dist")]
    dist_dir: PathBuf,
    /// Base of customer URLs in API responses [default: http://HOST:PORT]
    #[arg(long, value_name = "URL", value_parser = base_url)]
    public_url: Option<String>,
    /// Public API base the page calls; empty means the page's own origin [default: the page's own origin]
    #[arg(long, value_name = "URL", value_parser = api_base)]
    api_base: Option<ApiBase>,
    /// Create the demo merchant's products, coupons, links and session
    #[arg(long)]
    seed_demo: bool,
    /// How long a test payment takes to succeed once confirmed, in milliseconds
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MOBILE_MONEY_DELAY_MS, value_parser = duration)]
    mobile_money_delay_ms: u64,
    /// How long an operator waits for the customer before failing, in seconds
    #[arg(long, value_name = "N", default_value_t = DEFAULT_OPERATOR_TIMEOUT_SECS, value_parser = duration)]
    operator_timeout_secs: u64,
    /// How long before the page says it is still waiting, in seconds [default: per provider]
    #[arg(long, value_name = "N", value_parser = duration)]
    usual_wait_secs: Option<u64>,
    /// The merchant's default success redirect when a link or session has none
    #[arg(long, value_name = "URL", value_parser = redirect)]
    merchant_success_url: Option<String>,
    /// The merchant's default cancel redirect when a link or session has none
    #[arg(long, value_name = "URL", value_parser = redirect)]
    merchant_cancel_url: Option<String>,
    /// Wait before a webhook's first retry, in milliseconds; each next retry waits four times longer (6 attempts in all)
    #[arg(long, value_name = "N", default_value_t = DEFAULT_RETRY_UNIT_MS, value_parser = duration)]
    webhook_retry_ms: u64,
    /// How long a webhook attempt may take before it counts as failed, in milliseconds
    #[arg(long, value_name = "N", default_value_t = DEFAULT_TIMEOUT_MS, value_parser = duration)]
    webhook_timeout_ms: u64,
    /// Where webhooks may be delivered: auto (public addresses, and loopback while listening on loopback), public, loopback (this machine only) or private (public, loopback and private networks; 'any' is its old name). Link-local, unspecified, multicast and reserved addresses are always refused
    #[arg(long, value_name = "HOSTS", default_value = "auto", value_parser = webhook_hosts)]
    webhook_hosts: WebhookHosts,
    /// Public checkout API: requests a minute from one client address, 0 for no limit (429 and Retry-After beyond it)
    #[arg(long, value_name = "N", default_value_t = DEFAULT_PUBLIC_RATE_LIMIT_PER_CLIENT)]
    public_rate_limit_per_client: u32,
    /// Public checkout API: requests a minute about one payment, 0 for no limit
    #[arg(long, value_name = "N", default_value_t = DEFAULT_PUBLIC_RATE_LIMIT_PER_PAYMENT)]
    public_rate_limit_per_payment: u32,
    /// Merchant API: a test key's limits, 120 requests a minute and 20,000 a day, with X-RateLimit-* headers [default: off]
    #[arg(long)]
    merchant_rate_limit: bool,
    /// The merchant's accent colour on the checkout (#RGB or #RRGGBB); the text on it is white or black, whichever contrasts more
    #[arg(long, value_name = "HEX", value_parser = brand_color)]
    brand_color: Option<String>,
    /// An origin allowed to embed the checkout (?embedded=true&embed_origin=ORIGIN), such as https://shop.example; repeat for several, '' for none. Kept in the database until given again. In test mode, http://localhost and http://127.0.0.1 on any port are always allowed
    #[arg(long = "embed-origin", value_name = "ORIGIN", value_parser = embed_origin_flag, action = clap::ArgAction::Append)]
    embed_origins: Vec<Option<String>>,
}

const ENVIRONMENT: &str = "\
Environment:
  LOMI_SANDBOX_API_KEY  The merchant's test API key (lomi_sk_test_...) [default: the stored one, or a new random one]
  PORT                  Port to listen on when --port is not given
  RUST_LOG              What the log (on stderr) shows [default: lomi_sandbox=info,tower_http=info]";

/// `--api-base`'s value: an empty one says "the page's own origin", like leaving it out.
#[derive(Clone, Debug)]
struct ApiBase(Option<String>);

#[derive(Debug)]
pub enum Command {
    /// Boxed: a config is hundreds of bytes, and `Help` none.
    Run {
        config: Box<Config>,
        bind: SocketAddr,
    },
    Help,
}

/// The command line's help, for `--help`.
pub fn help() -> String {
    Cli::command().render_help().to_string()
}

/// Reads the command line (without the program name). `env_port` is `$PORT` and `env_key`
/// is `$LOMI_SANDBOX_API_KEY`, passed in so tests need not touch the environment. A refusal
/// is clap's message: what is wrong, the usage line and where to find help.
pub fn parse_args(
    args: impl IntoIterator<Item = String>,
    env_port: Option<String>,
    env_key: Option<String>,
) -> Result<Command, String> {
    let program = std::iter::once("lomi-sandbox".to_string());
    let cli = match Cli::try_parse_from(program.chain(args)) {
        Ok(cli) => cli,
        Err(error) if error.kind() == ErrorKind::DisplayHelp => return Ok(Command::Help),
        Err(error) => return Err(error.to_string()),
    };
    let port = match cli.port {
        Some(port) => port,
        None => match env_port.filter(|p| !p.trim().is_empty()) {
            Some(p) => p.trim().parse().map_err(|_| {
                Cli::command()
                    .error(
                        ErrorKind::ValueValidation,
                        format!("PORT is not a port: {p}"),
                    )
                    .to_string()
            })?,
            None => 8080,
        },
    };
    let config = Config {
        db_path: cli.db_path,
        dist_dir: cli.dist_dir,
        api_key: env_key.filter(|k| !k.trim().is_empty()),
        public_url: cli.public_url,
        api_base: cli.api_base.and_then(|base| base.0),
        seed_demo: cli.seed_demo,
        mobile_money_delay_ms: cli.mobile_money_delay_ms,
        operator_timeout_secs: cli.operator_timeout_secs,
        usual_wait_secs: cli
            .usual_wait_secs
            .map(|secs| u32::try_from(secs).unwrap_or(u32::MAX)),
        merchant_success_url: cli.merchant_success_url,
        merchant_cancel_url: cli.merchant_cancel_url,
        webhooks: WebhookSettings {
            retry_unit_ms: cli.webhook_retry_ms,
            timeout_ms: cli.webhook_timeout_ms.max(1),
            hosts: cli.webhook_hosts,
            listening: None,
        },
        public_rate_limit_per_client: cli.public_rate_limit_per_client,
        public_rate_limit_per_payment: cli.public_rate_limit_per_payment,
        merchant_rate_limit: cli.merchant_rate_limit,
        brand_color: cli.brand_color,
        // Given at all, the flags replace the stored list; `''` alone empties it.
        embed_origins: (!cli.embed_origins.is_empty())
            .then(|| cli.embed_origins.into_iter().flatten().collect()),
        webhook_resolver: Resolver::system(),
    };
    Ok(Command::Run {
        config: Box::new(config),
        bind: SocketAddr::new(cli.host, port),
    })
}

/// An IP address to listen on; `localhost` is loopback.
fn host(value: &str) -> Result<IpAddr, String> {
    match value {
        "localhost" => Ok(IpAddr::from([127, 0, 0, 1])),
        _ => value
            .parse()
            .map_err(|_| "not an IP address (127.0.0.1, 0.0.0.0, ::1) or localhost".to_string()),
    }
}

/// A whole number of milliseconds or seconds. The cap (a day in milliseconds) is far above
/// any wait worth simulating and keeps the arithmetic on timestamps far from overflowing.
fn duration(value: &str) -> Result<u64, String> {
    match value.trim().parse::<u64>() {
        Ok(n) if n <= 86_400_000 => Ok(n),
        _ => Err("not a whole number from 0 to 86400000".to_string()),
    }
}

/// `--brand-color`: a colour as `#rrggbb`.
fn brand_color(value: &str) -> Result<String, String> {
    checkout_core::brand::normalize(value).ok_or_else(|| "a colour as #RGB or #RRGGBB".to_string())
}

/// `--webhook-hosts`: `auto`, `public`, `loopback` or `private` (`any`, the old name).
fn webhook_hosts(value: &str) -> Result<WebhookHosts, String> {
    match value.trim() {
        "auto" => Ok(WebhookHosts::Auto),
        "public" => Ok(WebhookHosts::Public),
        "loopback" => Ok(WebhookHosts::Loopback),
        "private" | "any" => Ok(WebhookHosts::Private),
        _ => Err("one of auto, public, loopback or private".to_string()),
    }
}

/// A redirect target, read like the API's `success_url` ([`crate::urls::merchant_url`]).
fn redirect(url: &str) -> Result<String, String> {
    crate::urls::merchant_url(url.trim()).map_err(|problem| problem.message().to_string())
}

/// `url` as the origin a browser names its page with (`https://shop.example`,
/// `http://localhost:3000`): an http(s) URL with nothing after its host and port but an
/// optional `/`, lower-cased and without its scheme's default port. `None` for anything else
/// (a path, a query, credentials, another scheme): an origin is all that is compared.
pub fn embed_origin(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url.trim()).ok()?;
    let bare = matches!(parsed.scheme(), "http" | "https")
        && parsed.host().is_some()
        && parsed.username().is_empty()
        && parsed.password().is_none()
        && parsed.path() == "/"
        && parsed.query().is_none()
        && parsed.fragment().is_none();
    bare.then(|| parsed.origin().ascii_serialization())
}

/// `--embed-origin`: an origin, or empty for none.
fn embed_origin_flag(value: &str) -> Result<Option<String>, String> {
    if value.trim().is_empty() {
        return Ok(None);
    }
    embed_origin(value).map(Some).ok_or_else(|| {
        "not an origin: http:// or https://, a host and an optional port, no path \
         (https://shop.example, http://localhost:3000)"
            .to_string()
    })
}

/// An absolute http(s) URL without its trailing slash, so paths append cleanly.
pub fn base_url(url: &str) -> Result<String, String> {
    let url = url.trim().trim_end_matches('/');
    checkout_core::validate::web_url(url)
        .map_err(|problem| format!("the URL {}", problem.message()))?;
    Ok(url.to_string())
}

/// `--api-base`: a base URL, or empty for the page's own origin.
fn api_base(url: &str) -> Result<ApiBase, String> {
    if url.trim().is_empty() {
        Ok(ApiBase(None))
    } else {
        base_url(url).map(|url| ApiBase(Some(url)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str], port: Option<&str>) -> Result<(Config, SocketAddr), String> {
        match parse_args(
            args.iter().map(|s| s.to_string()),
            port.map(str::to_string),
            None,
        )? {
            Command::Run { config, bind } => Ok((*config, bind)),
            Command::Help => Err("help".into()),
        }
    }

    #[test]
    fn defaults() {
        let (config, bind) = run(&[], None).unwrap();
        assert_eq!(config.db_path, "data/sandbox.db");
        assert_eq!(config.dist_dir, PathBuf::from("dist"));
        assert_eq!(bind.to_string(), "127.0.0.1:8080");
        assert!(!config.seed_demo);
        assert_eq!(config.mobile_money_delay_ms, 2_000);
        assert_eq!(config.operator_timeout_secs, 180);
        // Merchants point webhooks at tunnels too: public hosts from the command line, and
        // their own machine while the sandbox listens on loopback.
        assert_eq!(config.webhooks.hosts, WebhookHosts::Auto);
        assert_eq!(config.webhooks.retry_unit_ms, 30_000);
        assert_eq!(config.webhooks.timeout_ms, 10_000);
        // The library's default, what tests start, stays on this machine.
        assert_eq!(Config::default().webhooks.hosts, WebhookHosts::Loopback);
        assert_eq!(config.public_rate_limit_per_client, 600);
        assert_eq!(config.public_rate_limit_per_payment, 120);
        assert!(!config.merchant_rate_limit);
        let (_, bind) = run(&[], Some("9000")).unwrap();
        assert_eq!(bind.port(), 9000);
    }

    #[test]
    fn flags() {
        let (config, bind) = run(
            &[
                "--db",
                ":memory:",
                "--port=3000",
                "--host",
                "0.0.0.0",
                "--dist",
                "web",
                "--public-url",
                "https://pay.example.ci/",
                "--api-base",
                "https://api.example.ci",
                "--seed-demo",
                "--mobile-money-delay-ms",
                "0",
                "--operator-timeout-secs=5",
                "--webhook-retry-ms",
                "200",
                "--webhook-timeout-ms=1500",
                "--webhook-hosts",
                "loopback",
            ],
            Some("9000"),
        )
        .unwrap();
        assert_eq!(config.db_path, ":memory:");
        assert_eq!(bind.to_string(), "0.0.0.0:3000");
        assert_eq!(config.dist_dir, PathBuf::from("web"));
        assert_eq!(config.public_url.as_deref(), Some("https://pay.example.ci"));
        assert_eq!(config.api_base.as_deref(), Some("https://api.example.ci"));
        assert!(config.seed_demo);
        assert_eq!(config.mobile_money_delay_ms, 0);
        assert_eq!(config.operator_timeout_secs, 5);
        assert_eq!(config.webhooks.retry_unit_ms, 200);
        assert_eq!(config.webhooks.timeout_ms, 1_500);
        assert_eq!(config.webhooks.hosts, WebhookHosts::Loopback);
    }

    #[test]
    fn refusals() {
        assert!(run(&["--port", "http"], None).is_err());
        assert!(run(&["--port"], None).is_err());
        assert!(run(&["--public-url", "javascript:alert(1)"], None).is_err());
        assert!(run(&["--frobnicate"], None).is_err());
        assert!(run(&["--mobile-money-delay-ms", "-1"], None).is_err());
        assert!(run(&["--operator-timeout-secs", "soon"], None).is_err());
        assert!(run(&["--webhook-hosts", "everywhere"], None).is_err());
        for (flag, hosts) in [
            ("auto", WebhookHosts::Auto),
            ("public", WebhookHosts::Public),
            ("private", WebhookHosts::Private),
            ("any", WebhookHosts::Private),
        ] {
            let (config, _) = run(&["--webhook-hosts", flag], None).unwrap();
            assert_eq!(config.webhooks.hosts, hosts, "{flag}");
            assert_eq!(hosts.name(), if flag == "any" { "private" } else { flag });
        }
        assert!(run(&["--brand-color", "orange"], None).is_err());
        let (config, _) = run(&["--brand-color", "#C2410C"], None).unwrap();
        assert_eq!(config.brand_color.as_deref(), Some("#c2410c"));
        assert_eq!(run(&["--help"], None).unwrap_err(), "help");
    }

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn hosts_empty_api_bases_and_repeated_flags() {
        let (config, bind) = run(
            &[
                "--host",
                "localhost",
                "--api-base",
                "",
                "--port=1",
                "--port",
                "2",
            ],
            None,
        )
        .unwrap();
        assert_eq!(bind.to_string(), "127.0.0.1:2");
        assert_eq!(config.api_base, None);
        let (_, bind) = run(&["--host", "::1"], Some(" 9000 ")).unwrap();
        assert_eq!(bind.to_string(), "[::1]:9000");
        assert!(run(&["--host", "example.com"], None).is_err());
        assert!(run(&[], Some("http")).is_err());
        let (config, _) = run(&["--seed-demo", "--seed-demo"], None).unwrap();
        assert!(config.seed_demo);
        let key = parse_args([], None, Some("lomi_sk_test_k".into())).unwrap();
        let Command::Run { config, .. } = key else {
            panic!("runs");
        };
        assert_eq!(config.api_key.as_deref(), Some("lomi_sk_test_k"));
        assert!(help().contains("--seed-demo") && help().contains("LOMI_SANDBOX_API_KEY"));
    }

    #[test]
    fn merchant_defaults_and_the_usual_wait_are_read_and_checked() {
        let args = [
            "--merchant-success-url",
            "https://shop.example/ok?s={CHECKOUT_SESSION_ID}",
            "--merchant-cancel-url=https://shop.example/cancel",
            "--usual-wait-secs",
            "2",
        ]
        .map(String::from);
        let Ok(Command::Run { config, .. }) = parse_args(args, None, None) else {
            panic!("the flags parse");
        };
        assert_eq!(
            config.merchant_success_url.as_deref(),
            Some("https://shop.example/ok?s={CHECKOUT_SESSION_ID}")
        );
        assert_eq!(
            config.merchant_cancel_url.as_deref(),
            Some("https://shop.example/cancel")
        );
        assert_eq!(config.usual_wait_secs, Some(2));
        for bad in ["javascript:alert(1)", "//evil.example", "data:text/html,x"] {
            let args = ["--merchant-success-url", bad].map(String::from);
            assert!(parse_args(args, None, None).is_err(), "{bad}");
        }
    }

    #[test]
    fn embed_origins_are_origins_and_replace_the_stored_list_only_when_given() {
        let (config, _) = run(&[], None).unwrap();
        assert_eq!(config.embed_origins, None);
        let (config, _) = run(
            &[
                "--embed-origin",
                "https://Shop.Example:443/",
                "--embed-origin=http://localhost:3000",
            ],
            None,
        )
        .unwrap();
        assert_eq!(
            config.embed_origins,
            Some(vec![
                "https://shop.example".to_string(),
                "http://localhost:3000".to_string()
            ])
        );
        let (config, _) = run(&["--embed-origin", ""], None).unwrap();
        assert_eq!(config.embed_origins, Some(vec![]));
        for bad in [
            "shop.example",
            "https://shop.example/checkout",
            "https://shop.example?x=1",
            "https://user@shop.example",
            "ftp://shop.example",
            "javascript:alert(1)",
            "*",
        ] {
            assert!(run(&["--embed-origin", bad], None).is_err(), "{bad}");
        }
        assert_eq!(
            embed_origin("http://[::1]:8080").as_deref(),
            Some("http://[::1]:8080")
        );
    }

    #[test]
    fn rate_limit_flags_are_read_and_checked() {
        let (config, _) = run(
            &[
                "--public-rate-limit-per-client",
                "0",
                "--public-rate-limit-per-payment=4",
                "--merchant-rate-limit",
            ],
            None,
        )
        .unwrap();
        assert_eq!(config.public_rate_limit_per_client, 0);
        assert_eq!(config.public_rate_limit_per_payment, 4);
        assert!(config.merchant_rate_limit);
        assert!(run(&["--public-rate-limit-per-client", "-1"], None).is_err());
        assert!(run(&["--public-rate-limit-per-payment", "many"], None).is_err());
        assert!(run(&["--merchant-rate-limit=yes"], None).is_err());
        assert!(help().contains("--merchant-rate-limit") && help().contains("Retry-After"));
    }
}
