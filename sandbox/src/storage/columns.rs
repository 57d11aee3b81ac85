//! How values other than numbers and plain text sit in columns: an enum as its serde name
//! ([`Stored`], the one `ToSql`/`FromSql` pair for every [`Named`] enum), a list as JSON text
//! ([`Json`]), and counts as SQLite integers read back into `u32`.

use super::DbResult;
use crate::names::Named;
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use rusqlite::Row;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// A [`Named`] enum in a TEXT column, written and read by its serde name.
pub(super) struct Stored<T>(pub T);

impl<T: Named> ToSql for Stored<T> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.0.name()))
    }
}

impl<T: Named> FromSql for Stored<T> {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let text = value.as_str()?;
        T::from_name(text).map(Stored).ok_or_else(|| {
            FromSqlError::Other(
                format!(
                    "unexpected value {text:?} for {}",
                    std::any::type_name::<T>()
                )
                .into(),
            )
        })
    }
}

/// A value in a TEXT column as its JSON: the merchant's providers, a coupon's product ids.
pub(super) struct Json<T>(pub T);

impl<T: Serialize> ToSql for Json<T> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        let text = serde_json::to_string(&self.0)
            .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
        Ok(ToSqlOutput::from(text))
    }
}

impl<T: DeserializeOwned> FromSql for Json<T> {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        serde_json::from_str(value.as_str()?)
            .map(Json)
            .map_err(|e| FromSqlError::Other(Box::new(e)))
    }
}

/// The enum stored in `column`.
pub(super) fn named<T: Named>(row: &Row<'_>, column: &str) -> DbResult<T> {
    Ok(row.get::<_, Stored<T>>(column)?.0)
}

/// The enum stored in `column`, if any.
pub(super) fn named_opt<T: Named>(row: &Row<'_>, column: &str) -> DbResult<Option<T>> {
    Ok(row.get::<_, Option<Stored<T>>>(column)?.map(|s| s.0))
}

/// The JSON value stored in `column`.
pub(super) fn json<T: DeserializeOwned>(row: &Row<'_>, column: &str) -> DbResult<T> {
    Ok(row.get::<_, Json<T>>(column)?.0)
}

/// The JSON value stored in `column`, if any.
pub(super) fn json_opt<T: DeserializeOwned>(row: &Row<'_>, column: &str) -> DbResult<Option<T>> {
    Ok(row.get::<_, Option<Json<T>>>(column)?.map(|j| j.0))
}

pub(super) fn count(row: &Row<'_>, column: &str) -> DbResult<u32> {
    let v: i64 = row.get(column)?;
    Ok(u32::try_from(v).unwrap_or(u32::MAX))
}

pub(super) fn count_opt(row: &Row<'_>, column: &str) -> DbResult<Option<u32>> {
    let v: Option<i64> = row.get(column)?;
    Ok(v.map(|v| u32::try_from(v).unwrap_or(u32::MAX)))
}

#[cfg(test)]
mod tests {
    use super::super::{LinkType, SessionStatus, Settlement, Stage};
    use super::*;
    use checkout_core::calendar::BillingInterval;
    use checkout_core::coupon::CustomerType;
    use checkout_core::payment::{FailureReason, PaymentStatus};
    use checkout_core::pricing::FirstPaymentType;
    use checkout_core::wire::{CheckoutKind, Provider};
    use checkout_core::Currency;
    use rusqlite::Connection;

    /// Writes `value` through [`Stored`] and reads it back, returning the text SQLite holds.
    fn stored<T: Named + PartialEq + std::fmt::Debug>(value: T) -> String {
        let conn = Connection::open_in_memory().unwrap();
        let (text, back): (String, Stored<T>) = conn
            .query_row("SELECT ?1, ?1", [Stored(value)], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })
            .unwrap();
        assert_eq!(back.0, value);
        text
    }

    fn spelled<T: Named + PartialEq + std::fmt::Debug>(cases: &[(T, &str)]) {
        for (value, text) in cases {
            assert_eq!(stored(*value), *text, "{value:?}");
        }
    }

    /// The text every variant is stored as: what databases written before the names came
    /// from serde hold, and what the schema's SQL compares against.
    #[test]
    fn every_stored_spelling_is_unchanged() {
        spelled(&[
            (LinkType::Product, "product"),
            (LinkType::Plan, "plan"),
            (LinkType::Instant, "instant"),
        ]);
        spelled(&[
            (SessionStatus::Open, "open"),
            (SessionStatus::Completed, "completed"),
            (SessionStatus::Expired, "expired"),
        ]);
        spelled(&[
            (Stage::AwaitingCustomer, "awaiting_customer"),
            (Stage::AwaitingOperator, "awaiting_operator"),
            (Stage::Authenticating, "authenticating"),
        ]);
        let failures = failures_in_order();
        spelled(&failures);
        spelled(&[(Settlement::Succeed, "succeeded")]);
        spelled(&failures.map(|(reason, text)| (Settlement::Fail(reason), text)));
        spelled(&[
            (PaymentStatus::Pending, "pending"),
            (PaymentStatus::Succeeded, "succeeded"),
            (PaymentStatus::Failed, "failed"),
        ]);
        spelled(&[
            (Provider::Wave, "WAVE"),
            (Provider::Orange, "ORANGE"),
            (Provider::Mtn, "MTN"),
            (Provider::Stripe, "STRIPE"),
            (Provider::Nowpayments, "NOWPAYMENTS"),
        ]);
        spelled(&Currency::ALL.map(|c| (c, c.code())));
        spelled(&[
            (CheckoutKind::Instant, "instant"),
            (CheckoutKind::Product, "product"),
            (CheckoutKind::Plan, "plan"),
            (CheckoutKind::Session, "session"),
        ]);
        spelled(&[
            (BillingInterval::Day, "day"),
            (BillingInterval::Week, "week"),
            (BillingInterval::Month, "month"),
            (BillingInterval::Quarter, "quarter"),
            (BillingInterval::Year, "year"),
        ]);
        spelled(&[
            (CustomerType::All, "all"),
            (CustomerType::New, "new"),
            (CustomerType::Existing, "existing"),
        ]);
        // Coupons stored before lomi.'s word was adopted still read.
        assert_eq!(
            CustomerType::from_name("returning"),
            Some(CustomerType::Existing)
        );
        spelled(&[
            (FirstPaymentType::Initial, "initial"),
            (FirstPaymentType::NonInitial, "non_initial"),
        ]);
    }

    /// The request readers offer the names in the order the seeds' messages list them.
    #[test]
    fn names_are_listed_in_the_messages_order() {
        assert_eq!(LinkType::names(), ["product", "plan", "instant"]);
        assert_eq!(SessionStatus::names(), ["open", "completed", "expired"]);
        assert_eq!(
            FailureReason::names(),
            failures_in_order().map(|(_, name)| name)
        );
    }

    fn failures_in_order() -> [(FailureReason, &'static str); 7] {
        [
            (FailureReason::InsufficientFunds, "insufficient_funds"),
            (FailureReason::RejectedByCustomer, "rejected_by_customer"),
            (FailureReason::OperatorTimeout, "operator_timeout"),
            (FailureReason::WrongCode, "wrong_code"),
            (FailureReason::TooManyAttempts, "too_many_attempts"),
            (FailureReason::CardDeclined, "card_declined"),
            (FailureReason::Declined, "declined"),
        ]
    }

    #[test]
    fn an_unknown_name_is_a_conversion_error() {
        let conn = Connection::open_in_memory().unwrap();
        let read = conn.query_row("SELECT 'sideways'", [], |row| {
            row.get::<_, Stored<Stage>>(0)
        });
        assert!(matches!(
            read,
            Err(rusqlite::Error::FromSqlConversionFailure(0, _, _))
        ));
    }

    #[test]
    fn lists_are_json_text() {
        let conn = Connection::open_in_memory().unwrap();
        let providers = vec![Provider::Wave, Provider::Mtn];
        let text: String = conn
            .query_row("SELECT ?1", [Json(&providers)], |row| row.get(0))
            .unwrap();
        assert_eq!(text, r#"["WAVE","MTN"]"#);
        let back: Json<Vec<Provider>> = conn
            .query_row("SELECT ?1", [&text], |row| row.get(0))
            .unwrap();
        assert_eq!(back.0, providers);
    }
}
