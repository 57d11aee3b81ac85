//! What the payment link routes accept, as the OpenAPI document states it: the create and
//! update bodies and the rules between their fields that JSON Schema can say. The handlers in
//! `payment_links` read the bodies field by field; these types only describe them.

use crate::storage::LinkType;
use checkout_core::wire::Provider;
use checkout_core::Currency;
use serde::Deserialize;
use serde_json::{json, Value};
use utoipa::ToSchema;

/// `allowed_providers` as sent: an array of codes, as lomi.'s docs and API have it, or one
/// comma-separated string (`"WAVE,MTN"`), as the generated SDK types it. Read by
/// [`read_providers`]; this type only describes it.
#[derive(Deserialize)]
pub struct ProvidersInput(#[allow(dead_code)] Value);

const PROVIDERS_CSV: &str = r"^ *(?:(?:WAVE|ORANGE|MTN|STRIPE|NOWPAYMENTS) *(?:, *(?:WAVE|ORANGE|MTN|STRIPE|NOWPAYMENTS) *)*)?$";

impl utoipa::PartialSchema for ProvidersInput {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, OneOfBuilder, Type};
        OneOfBuilder::new()
            .item(ArrayBuilder::new().items(<Provider as utoipa::PartialSchema>::schema()))
            .item(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .pattern(Some(PROVIDERS_CSV)),
            )
            .into()
    }
}

impl ToSchema for ProvidersInput {}

/// The body of `POST /payment-links`. `amount`/`price` are required for instant links and
/// refused on product links; `product_id` is required for product links and `plan_id` for
/// plan links.
#[derive(Deserialize, ToSchema)]
#[allow(dead_code)]
pub struct CreatePaymentLinkRequest {
    /// Default: `plan` with `plan_id`, `product` with `product_id`, otherwise `instant`.
    link_type: Option<LinkType>,
    /// Surrounding spaces are trimmed; control characters are refused.
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[^\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000](?:[^\u0000-\u001f\u007f-\u009f]*[^\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000])?[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    title: String,
    /// Default: the product's default price's currency, else XOF.
    currency_code: Option<Currency>,
    /// Major units, greater than 0, exact in the currency.
    #[schema(value_type = Option<f64>, example = 15000, exclusive_minimum = 0)]
    amount: Option<f64>,
    /// Another name for `amount` (the seeds use both): must equal `amount` when both are sent.
    #[schema(value_type = Option<f64>, exclusive_minimum = 0)]
    price: Option<f64>,
    #[schema(max_length = 5000)]
    description: Option<String>,
    /// Another name for `description`: must equal it when both are sent.
    #[schema(max_length = 5000)]
    public_description: Option<String>,
    #[schema(max_length = 5000)]
    private_description: Option<String>,
    /// Must name one of your products (unknown ids answer 400 `INVALID_REFERENCE`, as the
    /// seeds document) with a price in `currency_code`.
    #[schema(
        format = "uuid",
        pattern = r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$"
    )]
    product_id: Option<String>,
    /// A price of `product_id`.
    #[schema(
        format = "uuid",
        pattern = r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$"
    )]
    price_id: Option<String>,
    /// Must name one of your recurring products.
    #[schema(
        format = "uuid",
        pattern = r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$"
    )]
    plan_id: Option<String>,
    /// Codes of the merchant's enabled providers; absent, `null` or empty means all of them.
    allowed_providers: Option<ProvidersInput>,
    allow_quantity: Option<bool>,
    allow_coupon_code: Option<bool>,
    require_billing_address: Option<bool>,
    is_active: Option<bool>,
    /// Must be in the future.
    #[schema(value_type = Option<String>, format = DateTime)]
    expires_at: Option<String>,
    /// An absolute http(s) URL whose host is a domain name (letters, digits and inner hyphens
    /// between dots, the last label starting with a letter; international names are encoded
    /// as `xn--`) or an IP address. Stored and returned as the URL parser writes it.
    #[schema(
        max_length = 2048,
        pattern = r"^[Hh][Tt][Tt][Pp][Ss]?://(?:[^\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\\/?#]*@)?(?:\[[0-9A-Fa-f:.]+\]|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}|(?:(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?|[^\u0000-\u002c\u002e\u002f\u003a-\u0040\u005b-\u0060\u007b-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[^\u0000-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000][^\u0000-\u002c\u002e\u002f\u003a-\u0040\u005b-\u0060\u007b-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*)\.)*(?:[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?|[^\u0000-\u002c\u002e\u002f\u003a-\u0040\u005b-\u0060\u007b-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[^\u0000-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000][^\u0000-\u002c\u002e\u002f\u003a-\u0040\u005b-\u0060\u007b-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*))(?::0*(?:[1-5]?[0-9]{0,4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?(?:[/?#][^\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\\]*)?$"
    )]
    success_url: Option<String>,
    /// An absolute http(s) URL whose host is a domain name (letters, digits and inner hyphens
    /// between dots, the last label starting with a letter; international names are encoded
    /// as `xn--`) or an IP address. Stored and returned as the URL parser writes it.
    #[schema(
        max_length = 2048,
        pattern = r"^[Hh][Tt][Tt][Pp][Ss]?://(?:[^\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\\/?#]*@)?(?:\[[0-9A-Fa-f:.]+\]|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}|(?:(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?|[^\u0000-\u002c\u002e\u002f\u003a-\u0040\u005b-\u0060\u007b-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[^\u0000-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000][^\u0000-\u002c\u002e\u002f\u003a-\u0040\u005b-\u0060\u007b-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*)\.)*(?:[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?|[^\u0000-\u002c\u002e\u002f\u003a-\u0040\u005b-\u0060\u007b-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[^\u0000-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000][^\u0000-\u002c\u002e\u002f\u003a-\u0040\u005b-\u0060\u007b-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*))(?::0*(?:[1-5]?[0-9]{0,4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?(?:[/?#][^\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\\]*)?$"
    )]
    cancel_url: Option<String>,
    /// At most 50 keys.
    #[schema(value_type = Option<Object>)]
    metadata: Option<Value>,
}

impl CreatePaymentLinkRequest {
    /// What utoipa cannot say: each link type's required and refused fields, and the
    /// amounts' per-currency decimals. `price == amount` and `public_description ==
    /// description` (when both are sent), "in the future" and the existence of the ids are
    /// checked by the server only.
    pub fn conditions() -> Value {
        use crate::http::rules::{absent, currency_digits, is, present};
        let non_blank = json!({"pattern": "[^\\t-\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]"});
        json!({"allOf": [
            currency_digits("amount", "currency_code"),
            currency_digits("price", "currency_code"),
            crate::http::rules::default_currency_amounts(&["amount", "price"], "currency_code"),
            {"if": {"anyOf": [
                is("link_type", "instant"),
                {"not": {"anyOf": [present(&["link_type"]), present(&["product_id"]), present(&["plan_id"])]}},
             ]},
             "then": {"allOf": [
                 {"anyOf": [present(&["amount"]), present(&["price"])]},
                 absent(&["product_id", "plan_id", "price_id"]),
             ]}},
            {"if": {"anyOf": [
                is("link_type", "product"),
                {"allOf": [{"not": present(&["link_type"])}, present(&["product_id"]), {"not": present(&["plan_id"])}]},
             ]},
             "then": {"allOf": [
                 present(&["product_id"]),
                 absent(&["amount", "price", "plan_id"]),
                 {"properties": {"product_id": non_blank}},
             ]}},
            {"if": {"anyOf": [
                is("link_type", "plan"),
                {"allOf": [{"not": present(&["link_type"])}, present(&["plan_id"])]},
             ]},
             "then": {"allOf": [
                 {"oneOf": [
                     {"allOf": [present(&["plan_id"]), absent(&["product_id"]), {"properties": {"plan_id": non_blank}}]},
                     {"allOf": [present(&["product_id"]), absent(&["plan_id"]), {"properties": {"product_id": non_blank}}]},
                 ]},
                 absent(&["amount", "price"]),
                 {"not": is("allow_quantity", true)},
             ]}},
        ]})
    }
}

/// The body of `PATCH /payment-links/{id}`: only these fields may change after creation;
/// any other field is refused.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct UpdatePaymentLinkRequest {
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[^\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000](?:[^\u0000-\u001f\u007f-\u009f]*[^\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000])?[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$",
        nullable = false
    )]
    title: Option<String>,
    /// `null` removes it.
    #[schema(max_length = 5000)]
    description: Option<String>,
    /// Another name for `description`: must equal it when both are sent.
    #[schema(max_length = 5000)]
    public_description: Option<String>,
    /// `null` removes it.
    #[schema(max_length = 5000)]
    private_description: Option<String>,
    /// `false` switches the link off: its page says it is no longer available.
    #[schema(nullable = false)]
    is_active: Option<bool>,
    /// `null` removes the expiry; a past time is allowed (the link is then expired).
    #[schema(value_type = Option<String>, format = DateTime)]
    expires_at: Option<String>,
    /// `null` removes it.
    /// An absolute http(s) URL whose host is a domain name (letters, digits and inner hyphens
    /// between dots, the last label starting with a letter; international names are encoded
    /// as `xn--`) or an IP address. Stored and returned as the URL parser writes it.
    #[schema(
        max_length = 2048,
        pattern = r"^[Hh][Tt][Tt][Pp][Ss]?://(?:[^\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\\/?#]*@)?(?:\[[0-9A-Fa-f:.]+\]|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}|(?:(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?|[^\u0000-\u002c\u002e\u002f\u003a-\u0040\u005b-\u0060\u007b-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[^\u0000-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000][^\u0000-\u002c\u002e\u002f\u003a-\u0040\u005b-\u0060\u007b-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*)\.)*(?:[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?|[^\u0000-\u002c\u002e\u002f\u003a-\u0040\u005b-\u0060\u007b-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[^\u0000-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000][^\u0000-\u002c\u002e\u002f\u003a-\u0040\u005b-\u0060\u007b-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*))(?::0*(?:[1-5]?[0-9]{0,4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?(?:[/?#][^\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\\]*)?$"
    )]
    success_url: Option<String>,
    /// `null` removes it.
    /// An absolute http(s) URL whose host is a domain name (letters, digits and inner hyphens
    /// between dots, the last label starting with a letter; international names are encoded
    /// as `xn--`) or an IP address. Stored and returned as the URL parser writes it.
    #[schema(
        max_length = 2048,
        pattern = r"^[Hh][Tt][Tt][Pp][Ss]?://(?:[^\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\\/?#]*@)?(?:\[[0-9A-Fa-f:.]+\]|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}|(?:(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?|[^\u0000-\u002c\u002e\u002f\u003a-\u0040\u005b-\u0060\u007b-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[^\u0000-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000][^\u0000-\u002c\u002e\u002f\u003a-\u0040\u005b-\u0060\u007b-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*)\.)*(?:[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?|[^\u0000-\u002c\u002e\u002f\u003a-\u0040\u005b-\u0060\u007b-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[^\u0000-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000][^\u0000-\u002c\u002e\u002f\u003a-\u0040\u005b-\u0060\u007b-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*))(?::0*(?:[1-5]?[0-9]{0,4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?(?:[/?#][^\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\\]*)?$"
    )]
    cancel_url: Option<String>,
    allowed_providers: Option<ProvidersInput>,
    /// `true` or `false`; `null` is refused.
    #[schema(nullable = false)]
    allow_coupon_code: Option<bool>,
    /// At most 50 keys.
    #[schema(value_type = Option<Object>)]
    metadata: Option<Value>,
}
