//! French and English for every customer-facing string.
//!
//! Messages are enum variants with an exhaustive match, so a missing translation or an unknown
//! key is a compile error, at no runtime or download cost.

mod form;
mod messages;
mod payment;

pub use messages::Msg;
pub use payment::PayMsg;

use checkout_core::calendar::BillingInterval;
use leptos::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Fr,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    /// The BCP 47 locale handed to `Intl`: French as written in Côte d'Ivoire and Senegal
    /// uses the same separators as fr-FR, so the plain language tags are right.
    pub fn locale(self) -> &'static str {
        self.code()
    }

    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "fr" => Some(Lang::Fr),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// `?lang=` wins; then the first of the browser's languages we speak; then French, the
    /// language most of our customers read.
    pub fn choose(query: Option<&str>, browser: &[String]) -> Lang {
        query
            .and_then(Lang::parse)
            .or_else(|| browser.iter().find_map(|tag| Lang::parse(tag)))
            .unwrap_or(Lang::Fr)
    }

    pub fn detect() -> Lang {
        let window = leptos::prelude::window();
        let query = window
            .location()
            .search()
            .ok()
            .and_then(|search| query_param(&search, "lang"));
        let navigator = window.navigator();
        let browser: Vec<String> = navigator
            .languages()
            .iter()
            .filter_map(|v| v.as_string())
            .chain(navigator.language())
            .collect();
        Lang::choose(query.as_deref(), &browser)
    }

    pub fn t(self, msg: Msg) -> &'static str {
        msg.text(self)
    }

    pub fn per_interval(self, interval: BillingInterval) -> &'static str {
        use BillingInterval::*;
        match (self, interval) {
            (Lang::Fr, Day) => "jour",
            (Lang::Fr, Week) => "semaine",
            (Lang::Fr, Month) => "mois",
            (Lang::Fr, Quarter) => "trimestre",
            (Lang::Fr, Year) => "an",
            (Lang::En, Day) => "day",
            (Lang::En, Week) => "week",
            (Lang::En, Month) => "month",
            (Lang::En, Quarter) => "quarter",
            (Lang::En, Year) => "year",
        }
    }

    pub fn trial(self, days: u32) -> String {
        match self {
            Lang::Fr => format!("Essai gratuit de {days} jours"),
            Lang::En => format!("{days}-day free trial"),
        }
    }

    /// "then 5 000 F CFA / mois from 21 Dec."
    pub fn then_from(self, amount_per_interval: &str, date: &str) -> String {
        match self {
            Lang::Fr => format!("Puis {amount_per_interval} à partir du {date}"),
            Lang::En => format!("Then {amount_per_interval} from {date}"),
        }
    }

    pub fn pwyw_bounds(self, min: &str, max: Option<&str>) -> String {
        match (self, max) {
            (Lang::Fr, Some(max)) => format!("Montant libre, entre {min} et {max}"),
            (Lang::Fr, None) => format!("Montant libre, à partir de {min}"),
            (Lang::En, Some(max)) => format!("Pay what you want, from {min} to {max}"),
            (Lang::En, None) => format!("Pay what you want, from {min}"),
        }
    }

    pub fn sold_by(self, merchant: &str) -> String {
        match self {
            Lang::Fr => format!("Paiement à {merchant}"),
            Lang::En => format!("Pay {merchant}"),
        }
    }
}

/// Reads one parameter from a `?a=b&c=d` query string, decoded by the browser's
/// `URLSearchParams`.
pub fn query_param(search: &str, name: &str) -> Option<String> {
    web_sys::UrlSearchParams::new_with_str(search)
        .ok()?
        .get(name)
}

/// The customer's language, shared by every component.
pub fn use_lang() -> RwSignal<Lang> {
    expect_context::<RwSignal<Lang>>()
}

/// Creates the language signal, keeps `<html lang>` and `?lang=` in step with it, so a
/// reload or a shared URL keeps the customer's choice and screen readers pronounce it right.
pub fn provide_lang(initial: Lang) -> RwSignal<Lang> {
    let lang = RwSignal::new(initial);
    provide_context(lang);
    Effect::new(move |previous: Option<Lang>| {
        let current = lang.get();
        let document = document();
        if let Some(html) = document.document_element() {
            let _ = html.set_attribute("lang", current.code());
        }
        if previous.is_some_and(|p| p != current) {
            remember_in_url(current);
        }
        current
    });
    lang
}

fn remember_in_url(lang: Lang) {
    let window = leptos::prelude::window();
    let location = window.location();
    let (Ok(path), Ok(search), Ok(hash)) =
        (location.pathname(), location.search(), location.hash())
    else {
        return;
    };
    let Ok(params) = web_sys::UrlSearchParams::new_with_str(&search) else {
        return;
    };
    params.delete("lang");
    params.append("lang", lang.code());
    let url = format!("{path}?{}{hash}", params.to_string());
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// A fixed message in the current language. Every call returns the same type, so the page
/// carries one copy of the rendering code for all its texts instead of one per text.
pub fn tr(msg: Msg) -> Signal<&'static str> {
    let lang = use_lang();
    Signal::derive(move || lang.get().t(msg))
}

pub fn trp(msg: PayMsg) -> Signal<&'static str> {
    let lang = use_lang();
    Signal::derive(move || lang.get().p(msg))
}

/// [`tr`] for props that take owned text.
pub fn tr_string(msg: Msg) -> Signal<String> {
    let lang = use_lang();
    Signal::derive(move || lang.get().t(msg).to_string())
}
