//! `lomi-sandbox`: runs the sandbox until Ctrl-C.

use lomi_sandbox::config::{self, Command};
use lomi_sandbox::logging;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let parsed = config::parse_args(
        std::env::args().skip(1),
        std::env::var("PORT").ok(),
        std::env::var("LOMI_SANDBOX_API_KEY").ok(),
    );
    match parsed {
        Ok(Command::Help) => {
            print!("{}", config::help());
            ExitCode::SUCCESS
        }
        Ok(Command::Run { config, bind }) => {
            if let Err(message) = logging::init(std::env::var("RUST_LOG").ok().as_deref()) {
                eprintln!("lomi-sandbox: {message}");
                return ExitCode::from(2);
            }
            run(*config, bind).await
        }
        Err(message) => {
            eprint!("{message}");
            ExitCode::from(2)
        }
    }
}

async fn run(config: lomi_sandbox::Config, bind: std::net::SocketAddr) -> ExitCode {
    let loopback_refused = match config.webhooks.hosts {
        config::WebhookHosts::Auto => !bind.ip().is_loopback(),
        config::WebhookHosts::Public => true,
        _ => false,
    };
    let sandbox = match lomi_sandbox::spawn(config, bind).await {
        Ok(sandbox) => sandbox,
        Err(error) => {
            eprintln!("lomi-sandbox: {error:#}");
            return ExitCode::FAILURE;
        }
    };
    let base = &sandbox.base_url;
    let key = &sandbox.api_key;
    println!(
        "lomi. checkout sandbox: {} (test mode)",
        sandbox.state().merchant().name
    );
    println!();
    println!("  URL:           {base}");
    println!("  Test API key:  {key}");
    println!("  OpenAPI:       {base}/openapi.json");
    if !sandbox.state().pages().built() {
        println!();
        println!("  The checkout page is not built yet: run `make run` (page routes answer 503 until then).");
    }
    if let Some(demo) = &sandbox.demo {
        println!();
        println!("Demo checkouts to try:");
        for (label, url) in demo.labelled() {
            println!("  {label}");
            println!("    {url}");
        }
        println!("  Coupons: WELCOME10, FIXE500, GRATUIT (and NOEL2024, BIENTOT, EPUISE, CAP2, AUTREPRODUIT to see refusals)");
    }
    println!();
    println!("Test payments (no real money moves):");
    println!("  Mobile money: a phone number ending in 01 fails (insufficient funds), 02 is refused, 03 never answers; any other succeeds");
    println!("  Orange Money one-time code: 123456");
    println!("  Cards: 4242 4242 4242 4242 succeeds, 4000 0000 0000 0002 is declined, 4000 0000 0000 3220 asks for 3-D Secure");
    println!("  From your CI: POST {base}/sandbox/payments/{{id}}/succeed (or /fail) with your X-API-Key");
    println!();
    println!("Create a payment link:");
    println!("  curl -X POST \"{base}/payment-links\" \\");
    println!("    -H \"X-API-Key: {key}\" \\");
    println!("    -H \"Content-Type: application/json\" \\");
    println!("    -d '{{\"link_type\": \"instant\", \"title\": \"Consultation Fee\", \"amount\": 15000, \"currency_code\": \"XOF\"}}'");
    println!();
    println!("Receive webhooks (PAYMENT_SUCCEEDED, PAYMENT_FAILED) at a server on your machine:");
    println!("  curl -X POST \"{base}/webhooks\" \\");
    println!("    -H \"X-API-Key: {key}\" \\");
    println!("    -H \"Content-Type: application/json\" \\");
    println!("    -d '{{\"url\": \"http://127.0.0.1:4242/webhooks/lomi\", \"authorized_events\": [\"PAYMENT_SUCCEEDED\", \"PAYMENT_FAILED\"]}}'");
    if loopback_refused {
        println!("  (Not while this sandbox listens on {bind} with --webhook-hosts {}: loopback URLs are refused; --webhook-hosts private allows them.)", sandbox.state().webhook_settings().hosts.name());
    }
    println!("  Its verification_token (whsec_...) signs every delivery: X-Lomi-Signature is the hex HMAC-SHA256 of the raw body.");
    println!("  Send a test event: POST {base}/webhooks/{{id}}/test    Delivery log: GET {base}/webhook-delivery-logs");
    println!("  See the whole loop in the demo shop: {base}/sandbox/shop");
    println!();
    println!("Press Ctrl-C to stop.");

    wait_for_stop().await;
    println!("Stopping…");
    sandbox.shutdown().await;
    ExitCode::SUCCESS
}

/// Ctrl-C, or on Unix also SIGTERM (what `docker stop` and process managers send).
async fn wait_for_stop() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
