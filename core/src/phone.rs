//! Phone numbers as customers type them (`07 08 09 10 11`, `+225 0708091011`,
//! `2250708091011`), normalised once to E.164 (`+2250708091011`).

use serde::{Deserialize, Serialize};

/// A country's numbering plan, as far as checkout needs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NumberingPlan {
    /// ISO 3166 alpha-2.
    pub country: &'static str,
    pub dial_code: &'static str,
    /// Allowed lengths of the national number, without the dial code or a trunk prefix.
    pub lengths: &'static [usize],
    /// Whether local numbers are written with a leading trunk `0` that E.164 drops
    /// (Ghana, Nigeria, Kenya). Côte d'Ivoire's leading 0 is part of the number since 2021.
    pub trunk_zero: bool,
}

/// The countries whose customers checkout serves, in the order the country picker shows them.
pub const PLANS: &[NumberingPlan] = &[
    NumberingPlan {
        country: "CI",
        dial_code: "225",
        lengths: &[10],
        trunk_zero: false,
    },
    NumberingPlan {
        country: "SN",
        dial_code: "221",
        lengths: &[9],
        trunk_zero: false,
    },
    NumberingPlan {
        country: "ML",
        dial_code: "223",
        lengths: &[8],
        trunk_zero: false,
    },
    NumberingPlan {
        country: "BF",
        dial_code: "226",
        lengths: &[8],
        trunk_zero: false,
    },
    // Benin moved to 10 digits (01 + the old 8) in November 2024; old numbers still circulate.
    NumberingPlan {
        country: "BJ",
        dial_code: "229",
        lengths: &[10, 8],
        trunk_zero: false,
    },
    NumberingPlan {
        country: "TG",
        dial_code: "228",
        lengths: &[8],
        trunk_zero: false,
    },
    NumberingPlan {
        country: "NE",
        dial_code: "227",
        lengths: &[8],
        trunk_zero: false,
    },
    NumberingPlan {
        country: "GN",
        dial_code: "224",
        lengths: &[9],
        trunk_zero: false,
    },
    NumberingPlan {
        country: "CM",
        dial_code: "237",
        lengths: &[9],
        trunk_zero: false,
    },
    NumberingPlan {
        country: "GH",
        dial_code: "233",
        lengths: &[9],
        trunk_zero: true,
    },
    NumberingPlan {
        country: "NG",
        dial_code: "234",
        lengths: &[10],
        trunk_zero: true,
    },
    NumberingPlan {
        country: "KE",
        dial_code: "254",
        lengths: &[9],
        trunk_zero: true,
    },
    NumberingPlan {
        country: "MR",
        dial_code: "222",
        lengths: &[8],
        trunk_zero: false,
    },
];

pub fn plan(country: &str) -> Option<&'static NumberingPlan> {
    PLANS
        .iter()
        .find(|p| p.country.eq_ignore_ascii_case(country))
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum PhoneError {
    Empty,
    /// Letters or other characters a phone number does not have.
    NotANumber,
    /// A `+` prefix no supported country has.
    UnknownCountryCode,
    /// Too short or too long for the country; `lengths` are the allowed national lengths.
    WrongLength {
        country: String,
        lengths: Vec<usize>,
    },
}

/// Normalises a typed number to E.164, reading it as local to `default_country` unless it
/// carries a country code (`+`, `00`, or the bare dial code with the full length).
pub fn normalize(input: &str, default_country: &str) -> Result<String, PhoneError> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(PhoneError::Empty);
    }
    let international = trimmed.starts_with('+');
    let mut digits = String::with_capacity(trimmed.len());
    for (i, c) in trimmed.chars().enumerate() {
        match c {
            '0'..='9' => digits.push(c),
            '+' if i == 0 => {}
            ' ' | '-' | '.' | '(' | ')' | '\u{a0}' | '\u{202f}' => {}
            _ => return Err(PhoneError::NotANumber),
        }
    }
    if digits.is_empty() {
        return Err(PhoneError::NotANumber);
    }
    if international || digits.starts_with("00") {
        let rest = if international {
            &digits[..]
        } else {
            &digits[2..]
        };
        let plan = PLANS
            .iter()
            .find(|p| rest.starts_with(p.dial_code))
            .ok_or(PhoneError::UnknownCountryCode)?;
        return national(plan, &rest[plan.dial_code.len()..]);
    }
    let plan = plan(default_country).ok_or(PhoneError::UnknownCountryCode)?;
    // "2250708091011": the dial code typed without a plus, recognised by its full length.
    if let Some(rest) = digits.strip_prefix(plan.dial_code) {
        if plan.lengths.contains(&rest.len()) {
            return national(plan, rest);
        }
    }
    national(plan, &digits)
}

/// A number written internationally (`+2250708091011`, `00225 07 08 09 10 11`) as the
/// country picker and the number field show it: the country whose plan it fits and the
/// national digits as written locally, with the trunk `0` where the country writes one
/// (`+233241234567` is Ghana's `0241234567`). `None` for a number typed locally, or one no
/// plan fits: the form then keeps what was typed, so the code is never shown twice.
pub fn split_international(input: &str) -> Option<(&'static str, String)> {
    let trimmed = input.trim();
    let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
    let rest = if trimmed.starts_with('+') {
        digits.as_str()
    } else {
        digits.strip_prefix("00")?
    };
    let plan = PLANS.iter().find(|p| rest.starts_with(p.dial_code))?;
    let e164 = normalize(trimmed, plan.country).ok()?;
    let national = &e164[1 + plan.dial_code.len()..];
    let mut written = String::with_capacity(national.len() + 1);
    if plan.trunk_zero {
        written.push('0');
    }
    written.push_str(national);
    Some((plan.country, written))
}

fn national(plan: &NumberingPlan, number: &str) -> Result<String, PhoneError> {
    let number = match number.strip_prefix('0') {
        Some(rest) if plan.trunk_zero && plan.lengths.contains(&rest.len()) => rest,
        _ => number,
    };
    if plan.lengths.contains(&number.len()) {
        Ok(format!("+{}{}", plan.dial_code, number))
    } else {
        Err(PhoneError::WrongLength {
            country: plan.country.to_string(),
            lengths: plan.lengths.to_vec(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ivorian_numbers_in_every_form_customers_type() {
        for typed in [
            "07 08 09 10 11",
            "0708091011",
            "+225 0708091011",
            "+225 07 08 09 10 11",
            "2250708091011",
            "00225 07-08-09-10-11",
        ] {
            assert_eq!(
                normalize(typed, "CI").as_deref(),
                Ok("+2250708091011"),
                "{typed}"
            );
        }
    }

    #[test]
    fn the_old_eight_digit_ivorian_numbers_are_refused() {
        assert_eq!(
            normalize("08 09 10 11", "CI"),
            Err(PhoneError::WrongLength {
                country: "CI".into(),
                lengths: vec![10]
            })
        );
    }

    #[test]
    fn per_country_lengths() {
        assert_eq!(
            normalize("77 123 45 67", "SN").as_deref(),
            Ok("+221771234567")
        );
        assert_eq!(
            normalize("+221 77 123 45 67", "CI").as_deref(),
            Ok("+221771234567")
        );
        assert_eq!(
            normalize("76 12 34 56", "ML").as_deref(),
            Ok("+22376123456")
        );
        assert_eq!(
            normalize("70 12 34 56", "BF").as_deref(),
            Ok("+22670123456")
        );
        assert_eq!(
            normalize("01 97 12 34 56", "BJ").as_deref(),
            Ok("+2290197123456")
        );
        assert_eq!(
            normalize("97 12 34 56", "BJ").as_deref(),
            Ok("+22997123456")
        );
        assert_eq!(
            normalize("90 12 34 56", "TG").as_deref(),
            Ok("+22890123456")
        );
        assert_eq!(
            normalize("96 12 34 56", "NE").as_deref(),
            Ok("+22796123456")
        );
        assert_eq!(
            normalize("622 12 34 56", "GN").as_deref(),
            Ok("+224622123456")
        );
        assert_eq!(
            normalize("6 71 23 45 67", "CM").as_deref(),
            Ok("+237671234567")
        );
        assert_eq!(
            normalize("024 123 4567", "GH").as_deref(),
            Ok("+233241234567")
        );
        assert_eq!(
            normalize("+233 24 123 4567", "CI").as_deref(),
            Ok("+233241234567")
        );
        assert_eq!(
            normalize("0803 123 4567", "NG").as_deref(),
            Ok("+2348031234567")
        );
        assert_eq!(
            normalize("803 123 4567", "NG").as_deref(),
            Ok("+2348031234567")
        );
        assert!(matches!(
            normalize("77 123 45", "SN"),
            Err(PhoneError::WrongLength { .. })
        ));
    }

    #[test]
    fn international_numbers_split_into_country_and_national_digits() {
        let split = |s: &str| split_international(s).map(|(c, n)| (c.to_string(), n));
        let pair = |c: &str, n: &str| Some((c.to_string(), n.to_string()));
        assert_eq!(split("+2250708091011"), pair("CI", "0708091011"));
        assert_eq!(split(" +225 07 08 09 10 11 "), pair("CI", "0708091011"));
        assert_eq!(split("00221 77 123 45 67"), pair("SN", "771234567"));
        assert_eq!(split("+233241234567"), pair("GH", "0241234567"));
        // Typed locally, too short, or a country without a plan: left as typed.
        assert_eq!(split("0708091011"), None);
        assert_eq!(split("2250708091011"), None);
        assert_eq!(split("+22507080910"), None);
        assert_eq!(split("+33612345678"), None);
        // Each split number reads back to the same E.164 under its country.
        for e164 in ["+2250708091011", "+221771234567", "+233241234567"] {
            let (country, national) = split_international(e164).unwrap();
            assert_eq!(normalize(&national, country).unwrap(), e164);
        }
    }

    #[test]
    fn refuses_what_is_not_a_phone_number() {
        assert_eq!(normalize("", "CI"), Err(PhoneError::Empty));
        assert_eq!(
            normalize("07 08 O9 10 11", "CI"),
            Err(PhoneError::NotANumber)
        );
        assert_eq!(
            normalize("+1 415 555 0100", "CI"),
            Err(PhoneError::UnknownCountryCode)
        );
        assert_eq!(normalize("++225", "CI"), Err(PhoneError::NotANumber));
    }
}
