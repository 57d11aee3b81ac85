//! What the sandbox needs to start, and the command line that fills it in.

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
}

pub const DEFAULT_MOBILE_MONEY_DELAY_MS: u64 = 2_000;
/// Operators give up after 2 to 5 minutes; three is the middle of that.
pub const DEFAULT_OPERATOR_TIMEOUT_SECS: u64 = 180;

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
        }
    }
}

pub const USAGE: &str = "\
lomi-sandbox: the lomi. checkout sandbox (merchant API, public checkout API and the page)

USAGE:
    lomi-sandbox [OPTIONS]

OPTIONS:
    --db PATH           SQLite database file, or :memory: [default: data/sandbox.db]
    --port N            Port to listen on [default: $PORT or 8080]
    --host ADDR         Address to listen on [default: 127.0.0.1]
    --dist DIR          The built page (trunk's output) [default: dist]
    --public-url URL    Base of customer URLs in API responses [default: http://HOST:PORT]
    --api-base URL      Public API base the page calls [default: the page's own origin]
    --seed-demo         Create the demo merchant's products, coupons, links and session
    --mobile-money-delay-ms N
                        How long a test payment takes to succeed once confirmed [default: 2000]
    --operator-timeout-secs N
                        How long an operator waits for the customer before failing [default: 180]
    --usual-wait-secs N How long before the page says it is still waiting [default: per provider]
    --merchant-success-url URL, --merchant-cancel-url URL
                        The merchant's default redirects when a link or session has none
    -h, --help          Print this help

ENVIRONMENT:
    LOMI_SANDBOX_API_KEY    The merchant's test API key (lomi_sk_test_...)
    PORT                    Default port
";

#[derive(Debug)]
pub enum Command {
    /// Boxed: a config is hundreds of bytes, and `Help` none.
    Run {
        config: Box<Config>,
        bind: SocketAddr,
    },
    Help,
}

/// Reads the command line (without the program name). `env_port` is `$PORT` and `env_key`
/// is `$LOMI_SANDBOX_API_KEY`, passed in so tests need not touch the environment.
pub fn parse_args(
    args: impl IntoIterator<Item = String>,
    env_port: Option<String>,
    env_key: Option<String>,
) -> Result<Command, String> {
    let mut config = Config {
        api_key: env_key.filter(|k| !k.trim().is_empty()),
        ..Config::default()
    };
    let mut host: IpAddr = IpAddr::from([127, 0, 0, 1]);
    let mut port: Option<u16> = None;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "--seed-demo" => config.seed_demo = true,
            "--db" => config.db_path = value("--db")?,
            "--dist" => config.dist_dir = PathBuf::from(value("--dist")?),
            "--port" => {
                let v = value("--port")?;
                port = Some(v.parse().map_err(|_| format!("--port: not a port: {v}"))?);
            }
            "--host" => {
                let v = value("--host")?;
                host = match v.as_str() {
                    "localhost" => IpAddr::from([127, 0, 0, 1]),
                    _ => v
                        .parse()
                        .map_err(|_| format!("--host: not an IP address: {v}"))?,
                };
            }
            "--mobile-money-delay-ms" => {
                let v = value("--mobile-money-delay-ms")?;
                config.mobile_money_delay_ms = duration("--mobile-money-delay-ms", &v)?;
            }
            "--operator-timeout-secs" => {
                let v = value("--operator-timeout-secs")?;
                config.operator_timeout_secs = duration("--operator-timeout-secs", &v)?;
            }
            "--usual-wait-secs" => {
                let v = value("--usual-wait-secs")?;
                let secs = duration("--usual-wait-secs", &v)?;
                config.usual_wait_secs = Some(u32::try_from(secs).unwrap_or(u32::MAX));
            }
            "--merchant-success-url" => {
                config.merchant_success_url = Some(redirect(
                    "--merchant-success-url",
                    value("--merchant-success-url")?,
                )?)
            }
            "--merchant-cancel-url" => {
                config.merchant_cancel_url = Some(redirect(
                    "--merchant-cancel-url",
                    value("--merchant-cancel-url")?,
                )?)
            }
            "--public-url" => {
                config.public_url = Some(base_url("--public-url", value("--public-url")?)?)
            }
            "--api-base" => {
                let v = value("--api-base")?;
                config.api_base = if v.trim().is_empty() {
                    None
                } else {
                    Some(base_url("--api-base", v)?)
                };
            }
            other => return Err(format!("unknown option {other} (see --help)")),
        }
    }
    let port = match port {
        Some(p) => p,
        None => match env_port.filter(|p| !p.trim().is_empty()) {
            Some(p) => p
                .trim()
                .parse()
                .map_err(|_| format!("PORT is not a port: {p}"))?,
            None => 8080,
        },
    };
    Ok(Command::Run {
        config: Box::new(config),
        bind: SocketAddr::new(host, port),
    })
}

/// A whole number of milliseconds or seconds. The cap (a day in milliseconds) is far above
/// any wait worth simulating and keeps the arithmetic on timestamps far from overflowing.
fn duration(flag: &str, value: &str) -> Result<u64, String> {
    match value.trim().parse::<u64>() {
        Ok(n) if n <= 86_400_000 => Ok(n),
        _ => Err(format!(
            "{flag}: not a whole number from 0 to 86400000: {value}"
        )),
    }
}

/// A redirect target: only absolute http(s) URLs, like the API's `success_url`.
fn redirect(flag: &str, url: String) -> Result<String, String> {
    let url = url.trim().to_string();
    checkout_core::validate::redirect_url(&url)
        .map(|()| url.clone())
        .map_err(|problem| format!("{flag} {}: {url}", problem.message()))
}

/// An absolute http(s) URL without its trailing slash, so paths append cleanly.
pub fn base_url(flag: &str, url: String) -> Result<String, String> {
    let url = url.trim().trim_end_matches('/').to_string();
    checkout_core::validate::redirect_url(&url)
        .map_err(|p| format!("{flag}: the URL {}", p.message()))?;
    Ok(url)
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
    }

    #[test]
    fn refusals() {
        assert!(run(&["--port", "http"], None).is_err());
        assert!(run(&["--port"], None).is_err());
        assert!(run(&["--public-url", "javascript:alert(1)"], None).is_err());
        assert!(run(&["--frobnicate"], None).is_err());
        assert!(run(&["--mobile-money-delay-ms", "-1"], None).is_err());
        assert!(run(&["--operator-timeout-secs", "soon"], None).is_err());
        assert_eq!(run(&["--help"], None).unwrap_err(), "help");
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
}
