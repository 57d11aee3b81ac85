use leptos::prelude::*;
use lomi_checkout::i18n::Lang;
use lomi_checkout::{preload, App};

fn main() {
    console_error_panic_hook::set_once();
    let document = document();
    let initial = preload::from_document();
    // The server's first paint: the app renders the same data in its place, and removes it
    // in the same task, so the browser never paints the gap (no flash, no layout shift).
    let server_render = document.query_selector("body > .shell").ok().flatten();
    // Embedded in a merchant's page: `loaded`, before any screen can post its own event.
    lomi_checkout::embed::start();
    leptos::mount::mount_to_body(move || view! { <App lang=Lang::detect() initial /> });
    if let Some(painted) = server_render {
        painted.remove();
    }
    // Embedded in a merchant's page: the content's height as it changes.
    lomi_checkout::embed::observe();
    // For tests and `make bench`: the page's controls now work.
    if let Some(html) = document.document_element() {
        let _ = html.set_attribute("data-app", "live");
    }
}
