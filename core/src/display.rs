//! Amounts and dates written as the browser's `Intl` writes them, for HTML rendered where
//! there is no `Intl`: the server's first paint. The page itself formats with `Intl` (it
//! costs it no bytes); the end-to-end tests compare both, text for text, in French and
//! English and several currencies, so this table stays equal to what browsers print.

use crate::calendar::civil_from_days;
use crate::money::{format_decimal, Currency, Money};

/// The two languages the checkout speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Locale {
    Fr,
    En,
}

/// French groups thousands with a narrow no-break space and puts the currency after a
/// no-break space; English puts it first.
const NARROW_NBSP: char = '\u{202f}';
const NBSP: char = '\u{a0}';

/// How `Intl` writes the currency: French readers know "F CFA"; in English the ISO code is
/// the unambiguous form for the CFA and Guinean francs ("XOF 5,000"), and `Intl` prints the
/// code for currencies it has no local symbol for.
fn symbol(locale: Locale, currency: Currency) -> &'static str {
    match (locale, currency) {
        // Chromium's ICU (CLDR 44 and later) joins "F CFA" with a narrow no-break space.
        (Locale::Fr, Currency::Xof) => "F\u{202f}CFA",
        (Locale::Fr, Currency::Xaf) => "FCFA",
        (Locale::Fr, Currency::Usd) => "$US",
        (_, Currency::Eur) => "€",
        (Locale::En, Currency::Usd) => "$",
        (_, other) => other.code(),
    }
}

/// The decimals `Intl` shows: CLDR gives the ouguiya none, though its minor unit has two.
fn shown_digits(currency: Currency) -> u32 {
    match currency {
        Currency::Mro => 0,
        other => other.digits(),
    }
}

/// `5 000 F CFA`, `XOF 5,000`, `15,99 $US`, `$15.99`, as `Intl.NumberFormat` with
/// `style: "currency"` writes them (rounding half away from zero where it shows fewer
/// decimals than the currency has).
pub fn money(locale: Locale, amount: Money) -> String {
    let (digits, shown) = (amount.currency.digits(), shown_digits(amount.currency));
    let scale = 10_i64.pow(digits.saturating_sub(shown));
    let mut value = amount.amount / scale;
    if (amount.amount % scale).abs() * 2 >= scale {
        value += amount.amount.signum();
    }
    let text = format_decimal(value.abs(), shown);
    let (whole, fraction) = match text.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (text.as_str(), None),
    };
    let (group, decimal) = match locale {
        Locale::Fr => (NARROW_NBSP, ','),
        Locale::En => (',', '.'),
    };
    let mut number = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            number.push(group);
        }
        number.push(digit);
    }
    if let Some(fraction) = fraction {
        number.push(decimal);
        number.push_str(fraction);
    }
    let sign = if amount.amount < 0 { "-" } else { "" };
    let symbol = symbol(locale, amount.currency);
    match locale {
        Locale::Fr => format!("{sign}{number}{NBSP}{symbol}"),
        // A symbol touches the number; a code is set apart.
        Locale::En if symbol.chars().all(|c| c.is_ascii_uppercase()) => {
            format!("{sign}{symbol}{NBSP}{number}")
        }
        Locale::En => format!("{sign}{symbol}{number}"),
    }
}

const MONTHS_FR: [&str; 12] = [
    "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
    "déc.",
];
const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `21 déc.` / `Dec 21`, with the year only when it is not `now`'s year: what
/// `toLocaleDateString(locale, {day: "numeric", month: "short"})` writes, in UTC (the
/// time of most of the customers' countries).
pub fn short_date(locale: Locale, unix_seconds: i64, now: i64) -> String {
    let (year, month, day) = civil_from_days(unix_seconds.div_euclid(86_400));
    let (this_year, _, _) = civil_from_days(now.div_euclid(86_400));
    let index = (month as usize).saturating_sub(1).min(11);
    let year = (year != this_year).then_some(year);
    match (locale, year) {
        (Locale::Fr, None) => format!("{day} {}", MONTHS_FR[index]),
        (Locale::Fr, Some(y)) => format!("{day} {} {y}", MONTHS_FR[index]),
        (Locale::En, None) => format!("{} {day}", MONTHS_EN[index]),
        (Locale::En, Some(y)) => format!("{} {day}, {y}", MONTHS_EN[index]),
    }
}

/// The names `Intl.DisplayNames` gives the countries the form offers (phone prefixes and
/// billing countries), for the server's first paint.
const COUNTRIES: [(&str, &str, &str); 18] = [
    ("BE", "Belgique", "Belgium"),
    ("BF", "Burkina Faso", "Burkina Faso"),
    ("BJ", "Bénin", "Benin"),
    ("CA", "Canada", "Canada"),
    ("CI", "Côte d’Ivoire", "Côte d’Ivoire"),
    ("CM", "Cameroun", "Cameroon"),
    ("FR", "France", "France"),
    ("GB", "Royaume-Uni", "United Kingdom"),
    ("GH", "Ghana", "Ghana"),
    ("GN", "Guinée", "Guinea"),
    ("KE", "Kenya", "Kenya"),
    ("ML", "Mali", "Mali"),
    ("MR", "Mauritanie", "Mauritania"),
    ("NE", "Niger", "Niger"),
    ("NG", "Nigeria", "Nigeria"),
    ("SN", "Sénégal", "Senegal"),
    ("TG", "Togo", "Togo"),
    ("US", "États-Unis", "United States"),
];

/// A country's name as `Intl.DisplayNames(locale, {type: "region"})` writes it, for the
/// countries the form offers; `None` for any other.
pub fn country_name(locale: Locale, code: &str) -> Option<&'static str> {
    COUNTRIES
        .iter()
        .find(|(c, _, _)| c.eq_ignore_ascii_case(code))
        .map(|(_, fr, en)| match locale {
            Locale::Fr => *fr,
            Locale::En => *en,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What Chromium's Intl prints for 1 234 567.50 and -5, per currency.
    #[test]
    fn as_intl_writes_them() {
        let cases = [
            (
                Locale::Fr,
                Currency::Xof,
                1_234_567,
                "1\u{202f}234\u{202f}567\u{a0}F\u{202f}CFA",
            ),
            (Locale::Fr, Currency::Xaf, 5000, "5\u{202f}000\u{a0}FCFA"),
            (Locale::Fr, Currency::Gnf, 5, "5\u{a0}GNF"),
            (
                Locale::Fr,
                Currency::Usd,
                123_456_750,
                "1\u{202f}234\u{202f}567,50\u{a0}$US",
            ),
            (Locale::Fr, Currency::Eur, 1599, "15,99\u{a0}€"),
            (Locale::Fr, Currency::Kes, 1599, "15,99\u{a0}KES"),
            (
                Locale::Fr,
                Currency::Mro,
                123_456_750,
                "1\u{202f}234\u{202f}568\u{a0}MRO",
            ),
            (Locale::En, Currency::Xof, 1_234_567, "XOF\u{a0}1,234,567"),
            (Locale::En, Currency::Usd, 123_456_750, "$1,234,567.50"),
            (Locale::En, Currency::Eur, 1599, "€15.99"),
            (Locale::En, Currency::Ghs, 1599, "GHS\u{a0}15.99"),
            (Locale::En, Currency::Mro, 1249, "MRO\u{a0}12"),
            (Locale::En, Currency::Xof, -5, "-XOF\u{a0}5"),
            (Locale::Fr, Currency::Eur, -500, "-5,00\u{a0}€"),
            (Locale::En, Currency::Usd, 0, "$0.00"),
            (Locale::Fr, Currency::Xof, 999, "999\u{a0}F\u{202f}CFA"),
        ];
        for (locale, currency, amount, expected) in cases {
            assert_eq!(
                money(locale, Money::new(amount, currency)),
                expected,
                "{locale:?} {currency:?} {amount}"
            );
        }
    }

    #[test]
    fn dates_as_intl_writes_them() {
        let dec_21_2026 = 1_797_854_400; // 2026-12-21T12:00:00Z
        let now = 1_796_126_400; // 2026-12-01
        assert_eq!(short_date(Locale::Fr, dec_21_2026, now), "21 déc.");
        assert_eq!(short_date(Locale::En, dec_21_2026, now), "Dec 21");
        let jan_1_2027 = 1_798_804_800;
        assert_eq!(short_date(Locale::Fr, jan_1_2027, now), "1 janv. 2027");
        assert_eq!(short_date(Locale::En, jan_1_2027, now), "Jan 1, 2027");
    }

    #[test]
    fn every_offered_country_has_a_name() {
        let offered = crate::phone::PLANS
            .iter()
            .map(|p| p.country)
            .chain(crate::customer::BILLING_COUNTRIES.iter().map(|(c, _)| *c));
        for code in offered {
            assert!(country_name(Locale::Fr, code).is_some(), "{code}");
            assert!(country_name(Locale::En, code).is_some(), "{code}");
        }
        assert_eq!(country_name(Locale::Fr, "SN"), Some("Sénégal"));
    }
}
