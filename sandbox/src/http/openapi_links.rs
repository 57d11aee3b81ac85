//! The document's OpenAPI links: which response names a resource that another operation
//! takes, so a client (and the fuzzer's stateful phase) can walk a checkout from its creation
//! to its settlement: create a link or a session -> read it on the public API -> pay it ->
//! read, confirm or settle the payment -> read its transaction -> its customer; and a
//! webhook -> its test event -> its delivery logs -> a retry.

use serde_json::{json, Map, Value};

/// One link: the response of `from` at `status` carries, at `value` (a runtime expression),
/// the `param` (`path.id`, `query.event_id`) of operation `to`, and its second parameter in
/// `also` when it takes two.
#[derive(Clone, Copy)]
struct Link {
    from: &'static str,
    status: &'static str,
    name: &'static str,
    to: &'static str,
    param: &'static str,
    value: &'static str,
    also: Option<(&'static str, &'static str)>,
}

const fn link(
    from: &'static str,
    status: &'static str,
    name: &'static str,
    to: &'static str,
    param: &'static str,
    value: &'static str,
) -> Link {
    Link {
        from,
        status,
        name,
        to,
        param,
        value,
        also: None,
    }
}

impl Link {
    /// This link, also giving `param` the value at `value`.
    const fn with(self, param: &'static str, value: &'static str) -> Link {
        Link {
            also: Some((param, value)),
            ..self
        }
    }
}

const ID: &str = "$response.body#/id";
const PATH_ID: &str = "path.id";

/// The operations a paid payment leads to, from any response that is a `Payment`.
const PAYMENT_TARGETS: [(&str, &str); 6] = [
    ("GetPayment", "get_payment"),
    ("SubmitOtp", "submit_otp"),
    ("ResendPrompt", "resend_prompt"),
    ("QrCode", "qr_code"),
    ("SucceedPayment", "succeed"),
    ("FailPayment", "fail"),
];

/// The links whose source and target are fixed; the payment's are added by [`all`].
#[rustfmt::skip]
const FIXED: &[Link] = &[
    // A new link: the merchant's reads and changes, and the customer's page and pay.
    link("create_payment_link", "201", "GetPaymentLink", "get_payment_link", PATH_ID, ID),
    link("create_payment_link", "201", "UpdatePaymentLink", "update_payment_link", PATH_ID, ID),
    link("create_payment_link", "201", "DeletePaymentLink", "delete_payment_link", PATH_ID, ID),
    link("create_payment_link", "201", "OpenCheckout", "get_link", PATH_ID, ID),
    link("create_payment_link", "201", "QuoteCheckout", "quote_link", PATH_ID, ID),
    link("create_payment_link", "201", "PayCheckout", "pay_link", PATH_ID, ID),
    // A changed link (deactivated, expired, re-priced) is paid as it now is.
    link("update_payment_link", "200", "OpenCheckout", "get_link", PATH_ID, ID),
    link("update_payment_link", "200", "PayCheckout", "pay_link", PATH_ID, ID),
    // A new session: the merchant's read, and the customer's page and pay.
    link("create_checkout_session", "201", "GetCheckoutSession", "get_checkout_session", PATH_ID, ID),
    link("create_checkout_session", "201", "OpenCheckout", "get_session", PATH_ID, ID),
    link("create_checkout_session", "201", "QuoteCheckout", "quote_session", PATH_ID, ID),
    link("create_checkout_session", "201", "PayCheckout", "pay_session", PATH_ID, ID),
    // A settled payment's transaction, and its session as the merchant and the page see it.
    link("succeed", "200", "GetTransaction", "get_transaction", PATH_ID, "$response.body#/transaction_id"),
    link("fail", "200", "GetTransaction", "get_transaction", PATH_ID, "$response.body#/transaction_id"),
    link("succeed", "200", "GetCheckoutSession", "get_checkout_session", PATH_ID, "$response.body#/session_id"),
    link("fail", "200", "OpenCheckout", "get_session", PATH_ID, "$response.body#/session_id"),
    // A transaction's customer and session; the first of a list.
    link("get_transaction", "200", "GetCustomer", "get_customer", PATH_ID, "$response.body#/customer_id"),
    link("get_transaction", "200", "GetCheckoutSession", "get_checkout_session", PATH_ID, "$response.body#/checkout_session_id"),
    link("list_transactions", "200", "GetTransaction", "get_transaction", PATH_ID, "$response.body#/data/0/id"),
    link("list_customers", "200", "GetCustomer", "get_customer", PATH_ID, "$response.body#/data/0/id"),
    link("get_transaction", "200", "CustomerTransactions", "list_customer_transactions", PATH_ID, "$response.body#/customer_id"),
    link("list_customers", "200", "CustomerTransactions", "list_customer_transactions", PATH_ID, "$response.body#/data/0/id"),
    // The catalog: a product, a price and its product, a coupon.
    link("create_product", "201", "GetProduct", "get_product", PATH_ID, ID),
    link("create_price", "201", "GetPrice", "get_price", PATH_ID, ID),
    link("create_price", "201", "GetProduct", "get_product", PATH_ID, "$response.body#/product_id"),
    link("create_product", "201", "AddPrice", "add_product_price", PATH_ID, ID),
    link("create_price", "201", "AddPrice", "add_product_price", PATH_ID, "$response.body#/product_id"),
    link("create_price", "201", "SetDefaultPrice", "set_default_price", PATH_ID, "$response.body#/product_id")
        .with("path.price_id", ID),
    link("add_product_price", "201", "GetPrice", "get_price", PATH_ID, ID),
    link("add_product_price", "201", "SetDefaultPrice", "set_default_price", PATH_ID, "$response.body#/product_id")
        .with("path.price_id", ID),
    link("create_coupon", "201", "GetCoupon", "get_coupon", PATH_ID, ID),
    link("create_coupon", "201", "CouponPerformance", "get_coupon_performance", PATH_ID, ID),
    // A webhook endpoint: its reads and changes, a test event, that event's delivery logs,
    // one log and its retry.
    link("create_webhook", "201", "GetWebhook", "get_webhook", PATH_ID, ID),
    link("create_webhook", "201", "UpdateWebhook", "update_webhook", PATH_ID, ID),
    link("create_webhook", "201", "DeleteWebhook", "delete_webhook", PATH_ID, ID),
    link("create_webhook", "201", "SendTestEvent", "send_webhook_test_event", PATH_ID, ID),
    link("send_webhook_test_event", "202", "ListDeliveryLogs", "list_webhook_delivery_logs", "query.event_id", "$response.body#/event_id"),
    link("list_webhook_delivery_logs", "200", "GetDeliveryLog", "get_webhook_delivery_log", PATH_ID, "$response.body#/data/0/id"),
    link("list_webhook_delivery_logs", "200", "RetryDelivery", "retry_webhook_delivery", PATH_ID, "$response.body#/data/0/id"),
    link("get_webhook_delivery_log", "200", "RetryWebhookLog", "retry_webhook_log", PATH_ID, "$response.body#/webhook_id")
        .with("path.log_id", ID),
    link("retry_webhook_delivery", "202", "ListDeliveryLogs", "list_webhook_delivery_logs", "query.event_id", "$response.body#/event_id"),
];

/// Every response that is a `Payment`: a payment started (201) or replayed (200), its code
/// taken, its prompt sent again, its state read.
const PAYMENT_SOURCES: [(&str, &str); 6] = [
    ("pay_link", "201"),
    ("pay_link", "200"),
    ("pay_session", "201"),
    ("pay_session", "200"),
    ("submit_otp", "200"),
    ("resend_prompt", "200"),
];

fn all() -> Vec<Link> {
    let mut links = FIXED.to_vec();
    for (from, status) in PAYMENT_SOURCES {
        for (name, to) in PAYMENT_TARGETS {
            links.push(link(from, status, name, to, PATH_ID, ID));
        }
    }
    links.push(link(
        "get_payment",
        "200",
        "SucceedPayment",
        "succeed",
        PATH_ID,
        ID,
    ));
    links.push(link(
        "get_payment",
        "200",
        "FailPayment",
        "fail",
        PATH_ID,
        ID,
    ));
    links
}

/// Adds the links to the responses of `doc` (the document as served). A merchant operation's
/// `/v1` copy (`v1_…`) links to the `/v1` copies of the merchant operations it leads to, and to
/// the same public ones.
pub fn add(doc: &mut Value) {
    let ids: Vec<String> = operations_mut(doc)
        .filter_map(|(_, operation)| operation["operationId"].as_str().map(str::to_string))
        .collect();
    let all = all();
    for (_, operation) in operations_mut(doc) {
        let Some(id) = operation["operationId"].as_str().map(str::to_string) else {
            continue;
        };
        let (v1, bare) = match id.strip_prefix("v1_") {
            Some(bare) => (true, bare.to_string()),
            None => (false, id.clone()),
        };
        for l in all.iter().filter(|l| l.from == bare) {
            let to = match format!("v1_{}", l.to) {
                copy if v1 && ids.contains(&copy) => copy,
                _ => l.to.to_string(),
            };
            if !ids.contains(&to) {
                continue;
            }
            let Some(Value::Object(response)) =
                operation.pointer_mut(&format!("/responses/{}", l.status))
            else {
                continue;
            };
            let links = response
                .entry("links")
                .or_insert_with(|| Value::Object(Map::new()));
            let mut parameters = json!({l.param: l.value});
            if let Some((param, value)) = l.also {
                parameters[param] = json!(value);
            }
            links[l.name] = json!({"operationId": to, "parameters": parameters});
        }
    }
}

/// Every operation of the OpenAPI document `doc` (each value of each path item), with its
/// path: the walk this module's links and `openapi::finish`'s other passes share.
pub fn operations_mut(doc: &mut Value) -> impl Iterator<Item = (&str, &mut Value)> {
    doc.get_mut("paths")
        .and_then(Value::as_object_mut)
        .into_iter()
        .flat_map(|paths| paths.iter_mut())
        .flat_map(|(path, item)| {
            item.as_object_mut()
                .into_iter()
                .flat_map(|operations| operations.values_mut())
                .map(move |operation| (path.as_str(), operation))
        })
}
