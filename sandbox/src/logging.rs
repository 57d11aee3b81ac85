//! The sandbox's log: one line per request (method, path, status, latency), written by the
//! router's `TraceLayer` ([`crate::http::router`]), and the failures the server could not
//! answer well. What a request carries never goes in: no query string (it can hold a
//! customer's email), no headers (the merchant's key), no body (customers' names, emails and
//! phone numbers).
//!
//! `RUST_LOG` chooses what is written, in tracing-subscriber's `EnvFilter` syntax
//! (`RUST_LOG=debug`, `RUST_LOG=lomi_sandbox=debug,tower_http=warn`); without it,
//! [`DEFAULT_FILTER`].

use tracing::Subscriber;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::EnvFilter;

/// The sandbox's own events and the request lines, from `info` up.
pub const DEFAULT_FILTER: &str = "lomi_sandbox=info,tower_http=info";

/// A subscriber writing the log's lines to `writer`. `filter` is `RUST_LOG`'s value: unset
/// or blank means [`DEFAULT_FILTER`], and one that does not parse is refused with the
/// reason, so a typo never silences the log unnoticed.
pub fn subscriber<W>(
    filter: Option<&str>,
    writer: W,
    ansi: bool,
) -> Result<impl Subscriber + Send + Sync + 'static, String>
where
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    let filter = filter.map(str::trim).filter(|f| !f.is_empty());
    let filter = EnvFilter::try_new(filter.unwrap_or(DEFAULT_FILTER))
        .map_err(|error| format!("RUST_LOG is not a log filter: {error}"))?;
    Ok(tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(ansi)
        .finish())
}

/// Sends the process's log to stderr (stdout keeps the start-up banner), filtered by
/// `RUST_LOG`.
pub fn init(rust_log: Option<&str>) -> Result<(), String> {
    use std::io::IsTerminal;
    let subscriber = subscriber(rust_log, std::io::stderr, std::io::stderr().is_terminal())?;
    tracing::subscriber::set_global_default(subscriber).map_err(|error| error.to_string())
}
