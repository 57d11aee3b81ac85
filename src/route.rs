//! The page's routes without a router crate: `/{instant,product,plan,checkout}/{id}` and
//! "not found", over `location.pathname`/`search` and the History API. leptos_router did the
//! same for 29.5 KB of the customer’s download (brotli); only what the page uses is here,
//! under the names it had there (`Router`, `use_params_map`, `use_query_map`,
//! `use_navigate`, `NavigateOptions`, `RequestUrl`), so the pages read as before.
//!
//! As with leptos_router: the address is a signal, so a page follows a change of its
//! `payment` query or id without being rebuilt; navigating pushes a history entry (or
//! replaces the current one) and scrolls to the top; Back and Forward (`popstate`) update
//! the signal. The page has no links of its own to intercept: every link leaves the page.

use checkout_core::wire::CheckoutKind;
use leptos::prelude::*;

/// The address the page shows: path and query (`?…`, or empty).
#[derive(Clone, Copy)]
struct Address(RwSignal<(String, String)>);

/// The address to render on the server, which has no `window.location` (path and query).
#[derive(Clone, Debug)]
pub struct RequestUrl(pub String);

impl RequestUrl {
    pub fn new(url: &str) -> Self {
        RequestUrl(url.to_string())
    }
}

fn browser_address() -> (String, String) {
    let location = window().location();
    (
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default(),
    )
}

/// Provides the address to everything under it: the browser's, followed through Back and
/// Forward, or on the server the [`RequestUrl`] in context.
#[component]
pub fn Router(children: Children) -> impl IntoView {
    let start = match use_context::<RequestUrl>() {
        Some(RequestUrl(url)) => match url.find('?') {
            Some(at) => (url[..at].to_string(), url[at..].to_string()),
            None => (url, String::new()),
        },
        None => browser_address(),
    };
    crate::embed::provide(&start.1);
    let address = RwSignal::new(start);
    if use_context::<RequestUrl>().is_none() {
        let listener = window_event_listener(leptos::ev::popstate, move |_| {
            address.set(browser_address());
        });
        on_cleanup(move || listener.remove());
    }
    provide_context(Address(address));
    children()
}

fn address() -> RwSignal<(String, String)> {
    let Address(address) = expect_context::<Address>();
    address
}

/// The route a path shows: the kind of checkout and its (decoded) id; `None` is not found.
pub fn route(path: &str) -> Option<(CheckoutKind, String)> {
    let (segment, id) = path.strip_prefix('/')?.split_once('/')?;
    let id = id.strip_suffix('/').unwrap_or(id);
    if id.is_empty() || id.contains('/') {
        return None;
    }
    let kind = [
        CheckoutKind::Instant,
        CheckoutKind::Product,
        CheckoutKind::Plan,
        CheckoutKind::Session,
    ]
    .into_iter()
    .find(|kind| kind.route() == segment)?;
    // As leptos_router: the id as `decodeURIComponent` reads it, or as written if malformed.
    #[cfg(target_arch = "wasm32")]
    let decoded = js_sys::decode_uri_component(id).ok().map(String::from);
    #[cfg(not(target_arch = "wasm32"))]
    let decoded = percent_decode(id, false);
    Some((kind, decoded.unwrap_or_else(|| id.to_string())))
}

/// `%XX` escapes decoded as UTF-8, for the server, which renders routes too but has no
/// browser (in the browser, the browser's own decoders cost the wasm less). In a query
/// (`form`), as `URLSearchParams` reads it: `+` is a space, a malformed escape stays as
/// written, invalid UTF-8 becomes U+FFFD. Otherwise as `decodeURIComponent`: `None` when
/// malformed. The browser tests hold it to both.
pub fn percent_decode(text: &str, form: bool) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' if form => out.push(b' '),
            b'%' => {
                let hex = text
                    .get(i + 1..i + 3)
                    .filter(|hex| hex.bytes().all(|b| b.is_ascii_hexdigit()));
                match hex.and_then(|hex| u8::from_str_radix(hex, 16).ok()) {
                    Some(byte) => {
                        out.push(byte);
                        i += 2;
                    }
                    None if form => out.push(b'%'),
                    None => return None,
                }
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    if form {
        Some(String::from_utf8_lossy(&out).into_owned())
    } else {
        String::from_utf8(out).ok()
    }
}

/// The kind of checkout the current address shows; `None` is not found. Changes only when
/// the route does, so a new id or query keeps the page and updates its signals.
pub fn use_route() -> Memo<Option<CheckoutKind>> {
    let address = address();
    Memo::new(move |_| address.with(|(path, _)| route(path).map(|(kind, _)| kind)))
}

/// A route's parameters, by name.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ParamsMap(Vec<(String, String)>);

impl ParamsMap {
    /// The first value of `key`.
    pub fn get(&self, key: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    }
}

/// The route's parameters: `id`.
pub fn use_params_map() -> Memo<ParamsMap> {
    let address = address();
    Memo::new(move |_| {
        address.with(|(path, _)| {
            ParamsMap(
                route(path)
                    .map(|(_, id)| ("id".to_string(), id))
                    .into_iter()
                    .collect(),
            )
        })
    })
}

/// The query (`?…`), read by name.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct QueryMap(pub String);

impl QueryMap {
    /// The first value of `key`, decoded as `URLSearchParams` reads it.
    pub fn get(&self, key: &str) -> Option<String> {
        #[cfg(target_arch = "wasm32")]
        return web_sys::UrlSearchParams::new_with_str(&self.0)
            .ok()?
            .get(key);
        #[cfg(not(target_arch = "wasm32"))]
        return query_value(&self.0, key);
    }
}

/// The first value of `key` in a query (`?…`), decoded as `URLSearchParams` reads it, for the
/// server (see [`percent_decode`]).
pub fn query_value(search: &str, key: &str) -> Option<String> {
    let query = search.strip_prefix('?').unwrap_or(search);
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .find_map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(name, true)? == key).then(|| percent_decode(value, true))?
        })
}

pub fn use_query_map() -> Memo<QueryMap> {
    let address = address();
    Memo::new(move |_| address.with(|(_, search)| QueryMap(search.clone())))
}

#[derive(Clone, Debug)]
pub struct NavigateOptions {
    /// Replace the current history entry instead of adding one (Back skips it).
    pub replace: bool,
    /// Scroll to the top of the page once there.
    pub scroll: bool,
}

impl Default for NavigateOptions {
    fn default() -> Self {
        NavigateOptions {
            replace: false,
            scroll: true,
        }
    }
}

/// Goes to a path of the page (with its query) without reloading it; an embedded page keeps
/// its embed parameters.
pub fn use_navigate() -> impl Fn(&str, NavigateOptions) + Clone {
    let address = address();
    move |to: &str, options: NavigateOptions| {
        let to = crate::embed::keep(to);
        let to = to.as_str();
        let window = window();
        let here = address.with_untracked(|(path, search)| format!("{path}{search}"));
        if let Ok(history) = window.history() {
            let state = wasm_bindgen::JsValue::NULL;
            let _ = if options.replace {
                history.replace_state_with_url(&state, "", Some(to))
            } else if to != here {
                history.push_state_with_url(&state, "", Some(to))
            } else {
                Ok(())
            };
        }
        address.set(browser_address());
        if options.scroll {
            window.scroll_to_with_x_and_y(0.0, 0.0);
        }
    }
}
