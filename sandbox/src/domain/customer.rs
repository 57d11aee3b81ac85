//! The customer's details as the API words their problems: which request field a core
//! check names, and a readable message for each refusal.

use checkout_core::customer::{Field, FieldProblem};
use checkout_core::phone::PhoneError;

/// The request field a core check names.
pub fn field_name(field: Field) -> &'static str {
    match field {
        Field::Name => "customer.name",
        Field::Email => "customer.email",
        Field::Phone => "customer.phone",
        Field::Country => "billing.country",
        Field::Line1 => "billing.line1",
        Field::City => "billing.city",
        Field::PostalCode => "billing.postal_code",
    }
}

/// Why a field was refused, in the words of the API's validation messages.
pub fn problem_message(problem: &FieldProblem) -> String {
    match problem {
        FieldProblem::Required => "Required".to_string(),
        FieldProblem::TooLong { max } => format!("Must be at most {max} characters"),
        FieldProblem::InvalidEmail => "Invalid email".to_string(),
        FieldProblem::Phone { error } => phone_message(error),
        FieldProblem::UnknownCountry => "Not a billing country checkout serves".to_string(),
        FieldProblem::PostalCode { digits: Some(n) } => format!("Must be {n} digits"),
        FieldProblem::PostalCode { digits: None } => {
            "Letters, digits, spaces and dashes, at most 10".to_string()
        }
    }
}

/// Why a phone number was refused, in the words of the API's validation messages.
pub fn phone_message(error: &PhoneError) -> String {
    match error {
        PhoneError::WrongLength { country, lengths } => {
            let lengths: Vec<String> = lengths.iter().map(usize::to_string).collect();
            format!(
                "Must have {} digits for {country} (after the country code)",
                lengths.join(" or ")
            )
        }
        PhoneError::UnknownCountryCode => {
            "Unknown country code: write the number as +225 07 08 09 10 11".to_string()
        }
        PhoneError::Empty => "Required".to_string(),
        PhoneError::NotANumber => "Must be a phone number such as +2250708091011".to_string(),
    }
}
