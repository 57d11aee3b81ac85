use crate::i18n::{use_lang, Msg};
use crate::timing::now_seconds;
use checkout_core::calendar::parse_rfc3339;
use leptos::prelude::*;
use std::time::Duration;

/// Shown only when less than this remains: earlier, a clock is pressure with no purpose.
const SHOW_BELOW_SECONDS: i64 = 10 * 60;

/// Counts down the last ten minutes of a session; at zero sets `expired`, which locks the
/// form and shows the expired screen.
#[component]
pub fn ExpiryCountdown(
    expires_at: String,
    /// Seconds left by the server's clock when the page loaded; preferred to `expires_at`,
    /// which needs the phone's clock to be right.
    expires_in: Option<i64>,
    expired: RwSignal<bool>,
) -> impl IntoView {
    let lang = use_lang();
    let deadline = match expires_in {
        Some(left) => now_seconds() + left,
        None => match parse_rfc3339(&expires_at) {
            Some(at) => at,
            None => return ().into_any(),
        },
    };
    let remaining = RwSignal::new(deadline - now_seconds());
    let tick = move || {
        let left = deadline - now_seconds();
        remaining.set(left);
        if left <= 0 {
            expired.set(true);
        }
    };
    tick();
    // Rendered on the server, the count starts when the app takes over.
    if !cfg!(feature = "ssr") {
        if let Ok(handle) = set_interval_with_handle(tick, Duration::from_secs(1)) {
            on_cleanup(move || handle.clear());
        }
    }
    let text = move || {
        let left = remaining.get().max(0);
        format!(
            "{} {}:{:02}",
            lang.get().t(Msg::SessionExpiring),
            left / 60,
            left % 60
        )
    };
    view! {
        <Show when=move || (0..SHOW_BELOW_SECONDS).contains(&remaining.get())>
            <p class="countdown" role="timer" aria-live="off" data-testid="expiry-countdown">
                {text}
            </p>
        </Show>
    }
    .into_any()
}
