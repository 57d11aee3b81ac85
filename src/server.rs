//! The page rendered to HTML on the server (feature `ssr`), by the same components the
//! browser runs: the first paint shows the order before any script has arrived, and the
//! app, once loaded, replaces it with its own render of the same data (see `main.rs`).

use crate::app::App;
use crate::i18n::Lang;
use crate::preload::Initial;
use crate::route::RequestUrl;
use leptos::prelude::*;

/// The markup of `<body>` for the page at `url` (path and query), in `lang`, showing
/// `initial` (what the server found there; `None` renders the loading state).
pub fn render(url: &str, lang: Lang, initial: Option<Initial>) -> String {
    let owner = Owner::new();
    let html = owner.with(|| {
        provide_context(RequestUrl::new(url));
        view! { <App lang initial /> }.to_html()
    });
    drop(owner);
    html
}
