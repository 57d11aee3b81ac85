//! `make screenshots`: a PNG of every state (each link type's form, validation errors, each
//! provider's waiting screen, success, failure, expired, inactive, not found) at 360 and
//! 1280 px, in French and English, light and dark, into `target/screenshots/` for review.
//! Ignored by `make test`: it asserts nothing a person would not check by looking.

use checkout_e2e::states::Tour;
use checkout_e2e::{payment_sandbox, workspace_root, Browser};

#[tokio::test]
#[ignore = "run by `make screenshots`"]
async fn every_state_at_both_widths_in_both_languages_and_schemes() -> anyhow::Result<()> {
    let dir = std::env::var_os("SCREENSHOTS_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target/screenshots"));
    std::fs::create_dir_all(&dir)?;
    let (server, demo) = payment_sandbox(None).await?;
    for (width, height) in [(360, 740), (1280, 800)] {
        for lang in ["fr", "en"] {
            for scheme in ["light", "dark"] {
                let browser = Browser::start().await?;
                browser.viewport(width, height).await?;
                browser.color_scheme(scheme).await?;
                let tour = Tour {
                    browser: &browser,
                    base: &server.base_url,
                    demo: &demo,
                    lang,
                };
                let dir = &dir;
                tour.run(async |state: &str| {
                    let name = format!("{state}-{width}-{lang}-{scheme}.png");
                    browser.screenshot(&dir.join(name)).await
                })
                .await?;
                browser.close().await?;
            }
        }
    }
    println!("screenshots in {}", dir.display());
    server.shutdown().await
}
