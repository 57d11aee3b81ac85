//! Unknown body fields that look like known ones. lomi.'s API ignores a field it does not know,
//! so `currency` instead of `currency_code` or `productId` instead of `product_id` would be
//! dropped without a word and the request would do something else than meant. The sandbox
//! refuses such a near-miss with 400 naming it and the field it resembles, and ignores any
//! other unknown field (the official SDKs send fields of lomi.'s own models the sandbox has
//! no use for).

use serde_json::Value;

/// Names that mean a known field but are spelled nothing like it. lomi.'s source takes none
/// of them as an alias (its services read `currency_code` only).
const ALIASES: [(&str, &str); 4] = [
    ("currency", "currency_code"),
    ("amount_cents", "amount"),
    ("amount_in_cents", "amount"),
    ("price_amount", "amount"),
];

/// The shortest unknown name compared by edit distance: shorter ones are too close to
/// everything to mean anything in particular.
const MIN_TYPO_LEN: usize = 5;

/// The top-level property names of the request body `T`, as its schema declares them.
pub fn properties<T: utoipa::ToSchema>() -> Vec<String> {
    let schema = serde_json::to_value(T::schema()).unwrap_or(Value::Null);
    schema
        .get("properties")
        .and_then(Value::as_object)
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default()
}

/// `productId`, `Product-ID`, `product_id` all read `productid`.
fn folded(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, '_' | '-' | ' '))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Levenshtein distance, in characters.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

/// The known field an unknown `name` most likely means, if it is a near-miss: a known alias
/// of it, the same name in another case or separator style, or (at five characters or more)
/// at most two edits away.
pub fn meant<'a>(name: &str, known: &'a [String]) -> Option<&'a str> {
    let lower = name.to_lowercase();
    if let Some((_, target)) = ALIASES.iter().find(|(alias, _)| *alias == lower) {
        if let Some(k) = known.iter().find(|k| k == target) {
            return Some(k);
        }
    }
    let name_folded = folded(name);
    if let Some(k) = known.iter().find(|k| folded(k) == name_folded) {
        return Some(k);
    }
    if name.chars().count() < MIN_TYPO_LEN {
        return None;
    }
    known
        .iter()
        .map(|k| (distance(&lower, k), k))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::merchant::{
        checkout_sessions::CreateCheckoutSessionRequest, coupons::CreateCouponRequest,
        link_requests::CreatePaymentLinkRequest, prices::CreateStandalonePriceRequest,
        products::CreateProductRequest, webhooks::CreateWebhookRequest,
        webhooks::UpdateWebhookRequest,
    };

    fn strings(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| n.to_string()).collect()
    }

    #[test]
    fn near_misses_are_named_and_others_are_not() {
        let known = strings(&["currency_code", "amount", "product_id", "price_id", "title"]);
        assert_eq!(meant("currency", &known), Some("currency_code"));
        assert_eq!(meant("amount_cents", &known), Some("amount"));
        assert_eq!(meant("productId", &known), Some("product_id"));
        assert_eq!(meant("PRODUCT-ID", &known), Some("product_id"));
        assert_eq!(meant("prodcut_id", &known), Some("product_id"));
        assert_eq!(meant("pricee_id", &known), Some("price_id"));
        assert_eq!(meant("Title", &known), Some("title"));
        // Short names are close to everything; unrelated names mean nothing known.
        assert_eq!(meant("tile", &known), None);
        assert_eq!(meant("customer_reference", &known), None);
        assert_eq!(meant("is_pos", &known), None);
        // An alias of a field the body does not have is no near-miss.
        assert_eq!(meant("currency", &strings(&["name"])), None);
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("", "abc"), 3);
    }

    /// Every field of the generated SDK's (`lomi` 1.1.0) create and update models, which it
    /// sends whenever the caller sets them: none may be refused as a near-miss of another.
    #[test]
    fn no_field_of_the_official_sdk_is_refused() {
        let session = [
            "allow_coupon_code",
            "allow_quantity",
            "allowed_providers",
            "amount",
            "cancel_url",
            "checkout_session_id",
            "currency_code",
            "customer_email",
            "customer_id",
            "customer_name",
            "customer_phone",
            "expires_at",
            "installment_plan_id",
            "is_pos",
            "is_spi",
            "metadata",
            "payment_link_id",
            "payment_request_id",
            "price_id",
            "product_id",
            "public_description",
            "qr_code_data",
            "qr_code_type",
            "quantity",
            "spi_account_number",
            "spi_qr_code_id",
            "status",
            "subscription_id",
            "success_url",
            "title",
        ];
        let link = [
            "allow_coupon_code",
            "allow_quantity",
            "allowed_providers",
            "amount",
            "cancel_url",
            "currency_code",
            "expires_at",
            "is_active",
            "link_id",
            "link_type",
            "metadata",
            "price_id",
            "private_description",
            "product_id",
            "public_description",
            "quantity",
            "success_url",
            "title",
            "url",
        ];
        let product = [
            "billing_frequency",
            "charge_day",
            "description",
            "display_on_storefront",
            "failed_payment_action",
            "first_payment_type",
            "image_url",
            "is_active",
            "metadata",
            "name",
            "product_type",
            "usage_aggregation",
            "usage_unit",
        ];
        let price = [
            "amount",
            "billing_interval",
            "currency_code",
            "is_active",
            "is_default",
            "maximum_amount",
            "metadata",
            "minimum_amount",
            "price_id",
            "pricing_model",
            "product_id",
            "provider_price_id",
            "provider_product_id",
        ];
        let coupon = [
            "applies_to_product_types",
            "code",
            "coupon_id",
            "current_uses",
            "customer_type",
            "description",
            "discount_fixed_amount",
            "discount_percentage",
            "discount_type",
            "expires_at",
            "is_active",
            "is_organization_wide",
            "max_quantity_per_use",
            "max_uses",
            "scope_type",
            "usage_frequency_limit",
            "usage_limit_value",
            "valid_from",
        ];
        let webhook = [
            "authorized_events",
            "is_active",
            "last_payload",
            "last_response_body",
            "last_response_status",
            "last_triggered_at",
            "metadata",
            "retry_count",
            "spi_event_types",
            "supports_spi",
            "url",
            "verification_token",
            "webhook_id",
        ];
        let cases: [(&[&str], Vec<String>); 7] = [
            (&session, properties::<CreateCheckoutSessionRequest>()),
            (&link, properties::<CreatePaymentLinkRequest>()),
            (&product, properties::<CreateProductRequest>()),
            (&price, properties::<CreateStandalonePriceRequest>()),
            (&coupon, properties::<CreateCouponRequest>()),
            (&webhook, properties::<CreateWebhookRequest>()),
            (&webhook, properties::<UpdateWebhookRequest>()),
        ];
        for (sent, known) in cases {
            assert!(known.len() > 3, "{known:?}");
            for name in sent {
                if !known.iter().any(|k| k == name) {
                    assert_eq!(meant(name, &known), None, "{name} among {known:?}");
                }
            }
        }
    }
}
