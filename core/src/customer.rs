//! The customer's contact details and billing address, checked the same way on the page
//! (to point at the field) and on the server (to refuse what the page let through).

use crate::phone::{self, PhoneError};
use crate::validate;
use serde::{Deserialize, Serialize};

/// How a country writes postal codes, for the billing countries checkout offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Postal {
    /// The country has no postal codes in everyday use: the field is not shown.
    None,
    /// Exactly this many digits.
    Digits(usize),
    /// Letters, digits, spaces and dashes (United Kingdom, Canada).
    Alphanumeric,
}

/// Billing countries: West and Central Africa first, then where the diaspora pays from.
pub const BILLING_COUNTRIES: &[(&str, Postal)] = &[
    ("CI", Postal::None),
    ("SN", Postal::Digits(5)),
    ("ML", Postal::None),
    ("BF", Postal::None),
    ("BJ", Postal::None),
    ("TG", Postal::None),
    ("NE", Postal::Digits(4)),
    ("GN", Postal::None),
    ("CM", Postal::None),
    ("GH", Postal::None),
    ("NG", Postal::Digits(6)),
    ("KE", Postal::Digits(5)),
    ("MR", Postal::None),
    ("FR", Postal::Digits(5)),
    ("BE", Postal::Digits(4)),
    ("CA", Postal::Alphanumeric),
    ("US", Postal::Digits(5)),
    ("GB", Postal::Alphanumeric),
];

pub fn postal_rule(country: &str) -> Option<Postal> {
    BILLING_COUNTRIES
        .iter()
        .find(|(c, _)| c.eq_ignore_ascii_case(country))
        .map(|(_, p)| *p)
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BillingAddress {
    /// ISO 3166 alpha-2.
    pub country: String,
    pub city: String,
    pub line1: String,
    #[serde(default)]
    pub postal_code: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomerDetails {
    /// Not blank; at most 200 characters.
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 200,
            pattern = r"[^\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
        )
    )]
    pub name: String,
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 200,
            pattern = r"^[^\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000@]+@[^\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000@.]+(?:\.[^\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000@.]+)+$"
        )
    )]
    pub email: String,
    /// As typed; normalised with `phone_country`.
    #[serde(default)]
    pub phone: String,
    /// The country whose dial code a local number is read with.
    #[serde(default)]
    pub phone_country: String,
}

/// A form field the customer can correct.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Name,
    Email,
    Phone,
    Country,
    Line1,
    City,
    PostalCode,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum FieldProblem {
    Required,
    TooLong { max: usize },
    InvalidEmail,
    Phone { error: PhoneError },
    UnknownCountry,
    PostalCode { digits: Option<usize> },
}

pub const MAX_TEXT: usize = 200;

fn required(value: &str, field: Field, problems: &mut Vec<(Field, FieldProblem)>) -> bool {
    let value = value.trim();
    if value.is_empty() {
        problems.push((field, FieldProblem::Required));
        false
    } else if value.chars().count() > MAX_TEXT {
        problems.push((field, FieldProblem::TooLong { max: MAX_TEXT }));
        false
    } else {
        true
    }
}

/// Checks contact details; `phone_required` when the chosen provider pays by phone.
/// Problems come in form order, so the first is the field to focus.
pub fn check_contact(
    details: &CustomerDetails,
    phone_required: bool,
) -> Vec<(Field, FieldProblem)> {
    let mut problems = Vec::new();
    required(&details.name, Field::Name, &mut problems);
    if required(&details.email, Field::Email, &mut problems) && !validate::email(&details.email) {
        problems.push((Field::Email, FieldProblem::InvalidEmail));
    }
    if phone_required || !details.phone.trim().is_empty() {
        if let Err(error) = phone::normalize(&details.phone, &details.phone_country) {
            problems.push((Field::Phone, FieldProblem::Phone { error }));
        }
    }
    problems
}

pub fn check_billing(address: &BillingAddress) -> Vec<(Field, FieldProblem)> {
    let mut problems = Vec::new();
    let rule = if address.country.trim().is_empty() {
        problems.push((Field::Country, FieldProblem::Required));
        None
    } else {
        let rule = postal_rule(address.country.trim());
        if rule.is_none() {
            problems.push((Field::Country, FieldProblem::UnknownCountry));
        }
        rule
    };
    required(&address.line1, Field::Line1, &mut problems);
    required(&address.city, Field::City, &mut problems);
    let postal = address.postal_code.as_deref().unwrap_or("").trim();
    match rule {
        Some(Postal::Digits(n)) => {
            if postal.is_empty() {
                problems.push((Field::PostalCode, FieldProblem::Required));
            } else if postal.len() != n || !postal.bytes().all(|b| b.is_ascii_digit()) {
                problems.push((
                    Field::PostalCode,
                    FieldProblem::PostalCode { digits: Some(n) },
                ));
            }
        }
        Some(Postal::Alphanumeric) => {
            if postal.is_empty() {
                problems.push((Field::PostalCode, FieldProblem::Required));
            } else if postal.len() > 10
                || !postal
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-')
            {
                problems.push((Field::PostalCode, FieldProblem::PostalCode { digits: None }));
            }
        }
        Some(Postal::None) | None => {}
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn awa() -> CustomerDetails {
        CustomerDetails {
            name: "Awa Diallo".into(),
            email: "awa@example.ci".into(),
            phone: "07 08 09 10 11".into(),
            phone_country: "CI".into(),
        }
    }

    #[test]
    fn contact_details() {
        assert!(check_contact(&awa(), true).is_empty());
        let blank = CustomerDetails {
            phone_country: "CI".into(),
            ..Default::default()
        };
        assert_eq!(
            check_contact(&blank, false),
            vec![
                (Field::Name, FieldProblem::Required),
                (Field::Email, FieldProblem::Required)
            ]
        );
        let problems = check_contact(&blank, true);
        assert_eq!(problems.last().map(|p| p.0), Some(Field::Phone));
        let bad = CustomerDetails {
            email: "awa@".into(),
            phone: "0708".into(),
            ..awa()
        };
        let problems = check_contact(&bad, false);
        assert_eq!(problems[0], (Field::Email, FieldProblem::InvalidEmail));
        assert!(matches!(
            problems[1],
            (Field::Phone, FieldProblem::Phone { .. })
        ));
    }

    #[test]
    fn billing_addresses_follow_the_countrys_postal_rules() {
        let abidjan = BillingAddress {
            country: "CI".into(),
            city: "Abidjan".into(),
            line1: "Rue des Jardins, Cocody".into(),
            postal_code: None,
        };
        assert!(check_billing(&abidjan).is_empty());
        let dakar = BillingAddress {
            country: "SN".into(),
            city: "Dakar".into(),
            line1: "Avenue Cheikh Anta Diop".into(),
            postal_code: Some("1200".into()),
        };
        assert_eq!(
            check_billing(&dakar),
            vec![(
                Field::PostalCode,
                FieldProblem::PostalCode { digits: Some(5) }
            )]
        );
        let dakar = BillingAddress {
            postal_code: Some("12000".into()),
            ..dakar
        };
        assert!(check_billing(&dakar).is_empty());
        assert_eq!(
            check_billing(&BillingAddress::default()),
            vec![
                (Field::Country, FieldProblem::Required),
                (Field::Line1, FieldProblem::Required),
                (Field::City, FieldProblem::Required),
            ]
        );
        let nowhere = BillingAddress {
            country: "ZZ".into(),
            ..abidjan
        };
        assert_eq!(
            check_billing(&nowhere),
            vec![(Field::Country, FieldProblem::UnknownCountry)]
        );
    }
}
