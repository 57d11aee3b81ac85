//! Amounts and dates the way the customer's locale writes them, by the browser's `Intl`:
//! it knows every currency's digits and every locale's separators, and costs no bytes.
//! Rendered on the server (`ssr`), the same functions write what `Intl` writes, from
//! `checkout_core::display`; the end-to-end tests compare the two text for text.

#[cfg(feature = "ssr")]
pub use server::{country_name, money, short_date};

#[cfg(not(feature = "ssr"))]
pub use browser::{country_name, money, short_date};

#[cfg(feature = "ssr")]
mod server {
    use crate::i18n::Lang;
    use checkout_core::display::{self, Locale};
    use checkout_core::Money;

    fn locale(lang: Lang) -> Locale {
        match lang {
            Lang::Fr => Locale::Fr,
            Lang::En => Locale::En,
        }
    }

    pub fn money(lang: Lang, amount: Money) -> String {
        display::money(locale(lang), amount)
    }

    pub fn short_date(lang: Lang, unix_seconds: i64) -> String {
        display::short_date(locale(lang), unix_seconds, crate::timing::now_seconds())
    }

    pub fn country_name(lang: Lang, code: &str) -> String {
        display::country_name(locale(lang), code).map_or_else(|| code.to_string(), str::to_string)
    }
}

#[cfg(not(feature = "ssr"))]
mod browser {

    use crate::i18n::Lang;
    use checkout_core::{Currency, Money};
    use js_sys::{Array, Function, Intl, Object, Reflect};
    use wasm_bindgen::JsValue;

    fn options(pairs: &[(&str, &str)]) -> Object {
        let object = Object::new();
        for (key, value) in pairs {
            let _ = Reflect::set(&object, &(*key).into(), &(*value).into());
        }
        object
    }

    /// How an amount's currency is written. French readers know "F CFA"; in English the ISO
    /// code is the unambiguous form for the CFA and Guinean francs ("XOF 5,000").
    fn currency_display(lang: Lang, currency: Currency) -> &'static str {
        match (lang, currency) {
            (Lang::En, Currency::Xof | Currency::Xaf | Currency::Gnf) => "code",
            _ => "symbol",
        }
    }

    /// `5 000 F CFA`, `XOF 5,000`, `$15.99`. The amount reaches `Intl` as an exact decimal
    /// string, never as a float.
    pub fn money(lang: Lang, amount: Money) -> String {
        let options = options(&[
            ("style", "currency"),
            ("currency", amount.currency.code()),
            ("currencyDisplay", currency_display(lang, amount.currency)),
        ]);
        let locales = Array::of1(&JsValue::from_str(lang.locale()));
        let formatter = Intl::NumberFormat::new(&locales, &options);
        let format: Function = formatter.format();
        format
            .call1(&JsValue::NULL, &JsValue::from_str(&amount.major_string()))
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_else(|| format!("{} {}", amount.major_string(), amount.currency.code()))
    }

    /// `21 déc.` / `Dec 21`, with the year only when it is not this year's.
    pub fn short_date(lang: Lang, unix_seconds: i64) -> String {
        let millis = JsValue::from_f64(unix_seconds as f64 * 1000.0);
        let date = js_sys::Date::new(&millis);
        let this_year = js_sys::Date::new_0().get_full_year();
        let mut pairs = vec![("day", "numeric"), ("month", "short")];
        if date.get_full_year() != this_year {
            pairs.push(("year", "numeric"));
        }
        date.to_locale_date_string(lang.locale(), &options(&pairs).into())
            .as_string()
            .unwrap_or_default()
    }

    /// A country's name in the customer's language, from the browser's `Intl.DisplayNames`
    /// (no country list shipped); the ISO code where the browser has none.
    pub fn country_name(lang: Lang, code: &str) -> String {
        let name = (|| {
            let intl = Reflect::get(&js_sys::global(), &"Intl".into()).ok()?;
            let constructor: Function = Reflect::get(&intl, &"DisplayNames".into()).ok()?.into();
            let args = Array::of2(
                &Array::of1(&JsValue::from_str(lang.locale())),
                &options(&[("type", "region")]),
            );
            let names = Reflect::construct(&constructor, &args).ok()?;
            let of: Function = Reflect::get(&names, &"of".into()).ok()?.into();
            of.call1(&names, &JsValue::from_str(code)).ok()?.as_string()
        })();
        name.unwrap_or_else(|| code.to_string())
    }
}
