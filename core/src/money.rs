//! Currencies and amounts in integer minor units.
//!
//! The merchant API speaks major units (`"price": 15000.00` XOF, `"amount": 15.99` USD), so
//! the one place a decimal enters the system is [`parse_decimal`], which reads the JSON
//! number's own text and refuses anything it cannot represent exactly.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The currencies lomi. settles. Digits are ISO 4217's minor-unit exponents.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "UPPERCASE")]
pub enum Currency {
    Xof,
    Xaf,
    Gnf,
    Usd,
    Eur,
    Ghs,
    Ngn,
    Kes,
    Mro,
}

impl Currency {
    pub const ALL: [Currency; 9] = [
        Currency::Xof,
        Currency::Xaf,
        Currency::Gnf,
        Currency::Usd,
        Currency::Eur,
        Currency::Ghs,
        Currency::Ngn,
        Currency::Kes,
        Currency::Mro,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Currency::Xof => "XOF",
            Currency::Xaf => "XAF",
            Currency::Gnf => "GNF",
            Currency::Usd => "USD",
            Currency::Eur => "EUR",
            Currency::Ghs => "GHS",
            Currency::Ngn => "NGN",
            Currency::Kes => "KES",
            Currency::Mro => "MRO",
        }
    }

    /// How many decimal places the currency's minor unit has (0 for the CFA francs).
    pub fn digits(self) -> u32 {
        match self {
            Currency::Xof | Currency::Xaf | Currency::Gnf => 0,
            _ => 2,
        }
    }

    /// The country whose phone prefix a customer paying in this currency most likely has.
    pub fn default_country(self) -> &'static str {
        match self {
            Currency::Xof => "CI",
            Currency::Xaf => "CM",
            Currency::Gnf => "GN",
            Currency::Ghs => "GH",
            Currency::Ngn => "NG",
            Currency::Kes => "KE",
            Currency::Mro => "MR",
            Currency::Usd | Currency::Eur => "CI",
        }
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownCurrency;

impl FromStr for Currency {
    type Err = UnknownCurrency;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Currency::ALL
            .into_iter()
            .find(|c| c.code().eq_ignore_ascii_case(s.trim()))
            .ok_or(UnknownCurrency)
    }
}

/// An amount in a currency's minor unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Money {
    /// Integer count of the minor unit (XOF has none, so this is francs).
    pub amount: i64,
    pub currency: Currency,
}

impl Money {
    pub fn new(amount: i64, currency: Currency) -> Self {
        Money { amount, currency }
    }

    /// The amount in major units as an exact decimal string: `"5000"`, `"15.99"`.
    pub fn major_string(self) -> String {
        format_decimal(self.amount, self.currency.digits())
    }
}

/// The largest amount accepted anywhere, in minor units: far above any real payment, far
/// below where `i64` arithmetic on quantity times price could overflow.
pub const MAX_AMOUNT: i64 = 1_000_000_000_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecimalError {
    NotANumber,
    Negative,
    /// More decimal places than allowed (for an amount: than the currency has).
    TooPrecise {
        digits: u32,
    },
    TooLarge,
}

impl fmt::Display for DecimalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecimalError::NotANumber => f.write_str("must be a number"),
            DecimalError::Negative => f.write_str("must not be negative"),
            DecimalError::TooPrecise { digits: 0 } => {
                f.write_str("must be a whole number in this currency")
            }
            DecimalError::TooPrecise { digits } => {
                write!(f, "must have at most {digits} decimal places")
            }
            DecimalError::TooLarge => f.write_str("is too large"),
        }
    }
}

/// Reads a JSON number's text (`15000`, `15000.00`, `15.99`, `1.5e3`) as an integer count
/// of `10^-digits` units, exactly. Trailing zeros are fine; a non-zero digit beyond `digits`
/// places is refused rather than rounded.
pub fn parse_decimal(text: &str, digits: u32) -> Result<i64, DecimalError> {
    let text = text.trim();
    if let Some(rest) = text.strip_prefix('-') {
        return match parse_decimal(rest, digits) {
            Ok(0) => Ok(0),
            Ok(_) => Err(DecimalError::Negative),
            Err(e) => Err(e),
        };
    }
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(i) => {
            let exp: i32 = text[i + 1..]
                .trim_start_matches('+')
                .parse()
                .map_err(|_| DecimalError::NotANumber)?;
            (&text[..i], exp)
        }
        None => (text, 0),
    };
    let (int_part, frac_part) = match mantissa.split_once('.') {
        Some((i, f)) => (i, f),
        None => (mantissa, ""),
    };
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if int_part.is_empty() || !all_digits(int_part) || !all_digits(frac_part) {
        return Err(DecimalError::NotANumber);
    }
    if mantissa.contains('.') && frac_part.is_empty() {
        return Err(DecimalError::NotANumber);
    }
    // value = significand * 10^(exponent - frac_len); we want value * 10^digits.
    let significand = format!("{int_part}{frac_part}");
    let significand = significand.trim_start_matches('0');
    let shift = i64::from(exponent) - frac_part.len() as i64 + i64::from(digits);
    let (kept, dropped) = if shift >= 0 {
        (significand, "")
    } else {
        let cut = significand.len().saturating_sub((-shift) as usize);
        significand.split_at(cut)
    };
    if dropped.bytes().any(|b| b != b'0') {
        return Err(DecimalError::TooPrecise { digits });
    }
    if kept.is_empty() {
        return Ok(0);
    }
    let zeros = shift.max(0) as usize;
    if kept.len() + zeros > 18 {
        return Err(DecimalError::TooLarge);
    }
    let mut value: i64 = kept.parse().map_err(|_| DecimalError::NotANumber)?;
    for _ in 0..zeros {
        value *= 10;
    }
    if value > MAX_AMOUNT {
        return Err(DecimalError::TooLarge);
    }
    Ok(value)
}

/// An integer count of `10^-digits` units as an exact decimal string.
pub fn format_decimal(value: i64, digits: u32) -> String {
    if digits == 0 {
        return value.to_string();
    }
    let scale = 10_i64.pow(digits);
    let sign = if value < 0 { "-" } else { "" };
    let abs = value.unsigned_abs();
    format!(
        "{sign}{}.{:0width$}",
        abs / scale as u64,
        abs % scale as u64,
        width = digits as usize
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_whole_and_decimal_amounts_exactly() {
        assert_eq!(parse_decimal("15000", 0), Ok(15000));
        assert_eq!(parse_decimal("15000.00", 0), Ok(15000));
        assert_eq!(parse_decimal("15.99", 2), Ok(1599));
        assert_eq!(parse_decimal("0.1", 2), Ok(10));
        assert_eq!(parse_decimal("1.5e3", 0), Ok(1500));
        assert_eq!(parse_decimal("15E+2", 2), Ok(150000));
        assert_eq!(parse_decimal("1599e-2", 2), Ok(1599));
        assert_eq!(parse_decimal("0", 2), Ok(0));
        assert_eq!(parse_decimal("-0", 0), Ok(0));
    }

    #[test]
    fn refuses_what_it_cannot_represent() {
        assert_eq!(
            parse_decimal("5000.5", 0),
            Err(DecimalError::TooPrecise { digits: 0 })
        );
        assert_eq!(
            parse_decimal("15.999", 2),
            Err(DecimalError::TooPrecise { digits: 2 })
        );
        assert_eq!(
            parse_decimal("1e-1", 0),
            Err(DecimalError::TooPrecise { digits: 0 })
        );
        assert_eq!(parse_decimal("-5", 0), Err(DecimalError::Negative));
        assert_eq!(parse_decimal("abc", 0), Err(DecimalError::NotANumber));
        assert_eq!(parse_decimal("1.", 0), Err(DecimalError::NotANumber));
        assert_eq!(parse_decimal(".5", 2), Err(DecimalError::NotANumber));
        assert_eq!(parse_decimal("1e999999", 0), Err(DecimalError::TooLarge));
        assert_eq!(
            parse_decimal("99999999999999999999", 0),
            Err(DecimalError::TooLarge)
        );
    }

    #[test]
    fn formats_major_units_without_inventing_decimals() {
        assert_eq!(Money::new(5000, Currency::Xof).major_string(), "5000");
        assert_eq!(Money::new(1599, Currency::Usd).major_string(), "15.99");
        assert_eq!(Money::new(5, Currency::Eur).major_string(), "0.05");
        assert_eq!(format_decimal(-1599, 2), "-15.99");
    }

    #[test]
    fn currency_codes_round_trip() {
        for c in Currency::ALL {
            assert_eq!(c.code().parse::<Currency>(), Ok(c));
        }
        assert_eq!("xof".parse::<Currency>(), Ok(Currency::Xof));
        assert_eq!("ABC".parse::<Currency>(), Err(UnknownCurrency));
        assert_eq!(Currency::Xof.digits(), 0);
        assert_eq!(Currency::Usd.digits(), 2);
    }
}
