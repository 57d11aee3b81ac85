//! Enums by name. Every enum the sandbox stores, or reads from a request by name, is spelled
//! one way: its serde name (`awaiting_customer`, `non_initial`, `XOF`). The derive's
//! `rename_all` is the only table of spellings, for the sandbox's own enums and
//! checkout-core's alike: storage writes and reads columns through [`Named`], and the request
//! readers list the accepted names from it.

use checkout_core::calendar::BillingInterval;
use checkout_core::coupon::CustomerType;
use checkout_core::payment::{FailureReason, PaymentStatus};
use checkout_core::pricing::FirstPaymentType;
use checkout_core::wire::{CheckoutKind, Provider};
use checkout_core::Currency;
use serde::de::value::{Error as ValueError, StrDeserializer};
use serde::de::{DeserializeOwned, Deserializer, Error as _, IntoDeserializer, Visitor};
use serde::Serialize;

/// An enum that serde writes as a bare name: unit variants, or (like the storage's
/// `Settlement`) an untagged variant holding such an enum.
pub trait Named: Serialize + DeserializeOwned + Copy + 'static {
    /// The value's serde name: `Stage::AwaitingCustomer.name()` is `"awaiting_customer"`.
    fn name(self) -> String {
        match serde_json::to_value(self) {
            Ok(serde_json::Value::String(name)) => name,
            // Every implementor is written as a string; the storage's spelling tests read
            // every variant of each.
            other => unreachable!("{} written as {other:?}", std::any::type_name::<Self>()),
        }
    }

    /// The value named exactly `text`.
    fn from_name(text: &str) -> Option<Self> {
        let text: StrDeserializer<'_, ValueError> = text.into_deserializer();
        Self::deserialize(text).ok()
    }

    /// Every variant's name in declaration order, as serde's derive hands them to
    /// `deserialize_enum`: the names a request may use. Empty for an enum with an untagged
    /// variant, which serde reads without naming its variants.
    fn names() -> &'static [&'static str] {
        let mut names = VariantNames(&[]);
        let _ = Self::deserialize(&mut names);
        names.0
    }
}

impl Named for BillingInterval {}
impl Named for CheckoutKind {}
impl Named for Currency {}
impl Named for CustomerType {}
impl Named for FailureReason {}
impl Named for FirstPaymentType {}
impl Named for PaymentStatus {}
impl Named for Provider {}

/// A deserializer that reads nothing: it notes the variant names an enum's `Deserialize`
/// offers it, then gives up.
struct VariantNames(&'static [&'static str]);

impl<'de> Deserializer<'de> for &mut VariantNames {
    type Error = ValueError;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, ValueError> {
        Err(ValueError::custom("only an enum's names are read"))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, ValueError> {
        self.0 = variants;
        Err(ValueError::custom("only an enum's names are read"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct identifier
        ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_serde_in_declaration_order() {
        assert_eq!(
            BillingInterval::names(),
            ["day", "week", "month", "quarter", "year"]
        );
        assert_eq!(
            Currency::names(),
            ["XOF", "XAF", "GNF", "USD", "EUR", "GHS", "NGN", "KES", "MRO"]
        );
        assert_eq!(FirstPaymentType::NonInitial.name(), "non_initial");
        assert_eq!(
            FailureReason::from_name("wrong_code"),
            Some(FailureReason::WrongCode)
        );
    }

    #[test]
    fn names_match_exactly() {
        assert_eq!(Currency::from_name("XOF"), Some(Currency::Xof));
        assert_eq!(Currency::from_name("xof"), None);
        assert_eq!(BillingInterval::from_name("monthly"), None);
        assert_eq!(Provider::from_name(" WAVE"), None);
    }
}
