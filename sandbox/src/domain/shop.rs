//! The demo shop's rules (`/sandbox/shop`): what it sells, its orders, and what it does with
//! a webhook delivery: check the signature against its secret, ignore an event it already
//! handled (a retry carries the same id), and mark the order paid on `PAYMENT_SUCCEEDED`.
//! This is the merchant's side of the integration, written as a merchant would write it; the
//! HTTP layer (`http::shop`) talks to the merchant API like any merchant server.

use crate::domain::webhooks::{signing, PAYMENT_SUCCEEDED};
use crate::error::Result;
use crate::ids;
use crate::storage::{Db, ShopEventRow, ShopOrderRow};
use serde_json::Value;

/// One thing the shop sells, priced in XOF.
#[derive(Clone, Copy, Debug)]
pub struct Item {
    pub id: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    pub amount: i64,
}

pub const CATALOG: [Item; 3] = [
    Item {
        id: "pagne-wax",
        name: "Pagne wax",
        description: "6 yards, coton · cotton",
        amount: 12_000,
    },
    Item {
        id: "sac-raphia",
        name: "Sac en raphia",
        description: "Tressé main · Hand-woven",
        amount: 8_500,
    },
    Item {
        id: "the-kinkeliba",
        name: "Thé kinkéliba",
        description: "250 g",
        amount: 2_500,
    },
];

pub const AWAITING_PAYMENT: &str = "awaiting_payment";
pub const PAID: &str = "paid";

pub fn item(id: &str) -> Option<Item> {
    CATALOG.iter().copied().find(|i| i.id == id)
}

/// A new order for `item`, awaiting payment.
pub fn new_order(db: &Db, item: Item, now: i64) -> Result<ShopOrderRow> {
    let order = ShopOrderRow {
        id: ids::uuid(),
        item: item.id.to_string(),
        title: item.name.to_string(),
        amount: item.amount,
        currency: "XOF".to_string(),
        status: AWAITING_PAYMENT.to_string(),
        checkout_session_id: None,
        checkout_url: None,
        transaction_id: None,
        paid_at: None,
        created_at: now,
    };
    db.insert_shop_order(&order)?;
    Ok(order)
}

/// What the shop made of a delivery.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Received {
    /// Signed right, and handled (the order it names is paid, or the failure noted).
    Handled,
    /// Signed right, but an event id already handled: acknowledged, nothing done twice.
    Duplicate,
    /// Not signed with the shop's secret: refused, nothing done (logged among the newest
    /// [`REFUSED_KEPT`] refusals).
    BadSignature,
    /// The shop has no secret yet (no endpoint registered): nothing can be verified, so
    /// nothing is taken, and nothing is stored.
    NoSecret,
}

/// How many refused deliveries the shop keeps in its log: a flood of forged posts replaces
/// the oldest refusals instead of filling the disk.
pub const REFUSED_KEPT: u32 = 50;

/// Handles one delivery: `body` as received, byte for byte, and its `X-Lomi-Signature`,
/// checked against the shop's secret (`None` before its endpoint is registered).
pub fn receive(
    db: &Db,
    secret: Option<&str>,
    body: &[u8],
    signature: &str,
    now: i64,
) -> Result<Received> {
    // An empty key would make every signature computable by anyone.
    let Some(secret) = secret.filter(|s| !s.is_empty()) else {
        return Ok(Received::NoSecret);
    };
    let event: Option<Value> = serde_json::from_slice(body).ok();
    let field = |name: &str| {
        event
            .as_ref()
            .and_then(|e| e.get(name))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let data = |name: &str| {
        event
            .as_ref()
            .and_then(|e| e.get("data"))
            .and_then(|d| d.get(name))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let valid = signing::verify(secret, body, signature);
    // The order the event names, for the shop's log even when the signature is wrong (the
    // log shows the refusal on that order); only a valid event changes it.
    let order = match &data("checkout_session_id") {
        Some(id) => db.shop_order_by_session(id)?,
        None => None,
    };
    let event_id = field("id");
    let duplicate = match (&event_id, valid) {
        (Some(id), true) => db.shop_event_seen(id)?,
        _ => false,
    };
    db.insert_shop_event(&ShopEventRow {
        order_id: order.as_ref().map(|o| o.id.clone()),
        event_id,
        event: field("event"),
        signature_valid: valid,
        duplicate,
        received_at: now,
    })?;
    if !valid {
        db.keep_newest_refused_shop_events(REFUSED_KEPT)?;
        return Ok(Received::BadSignature);
    }
    if duplicate {
        return Ok(Received::Duplicate);
    }
    if let Some(order) = order {
        if field("event").as_deref() == Some(PAYMENT_SUCCEEDED) {
            let transaction = data("transaction_id").unwrap_or_default();
            db.mark_shop_order_paid(&order.id, &transaction, now)?;
        }
    }
    Ok(Received::Handled)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::webhooks::signing;

    fn event(session: &str) -> Vec<u8> {
        serde_json::json!({"id": ids::uuid(), "event": PAYMENT_SUCCEEDED,
            "data": {"checkout_session_id": session, "transaction_id": "t"}})
        .to_string()
        .into_bytes()
    }

    fn sign(secret: &str, body: &[u8]) -> String {
        signing::signature(secret, body)
    }

    #[test]
    fn without_a_secret_nothing_is_taken_or_stored() {
        let db = Db::open(":memory:").unwrap();
        let body = event("cs");
        // Signed with the empty key, as anyone could before the shop's first order.
        let forged = sign("", &body);
        assert_eq!(
            receive(&db, None, &body, &forged, 1).unwrap(),
            Received::NoSecret
        );
        assert_eq!(
            receive(&db, Some(""), &body, &forged, 1).unwrap(),
            Received::NoSecret
        );
        assert_eq!(db.shop_event_count().unwrap(), 0);
    }

    #[test]
    fn refusals_are_capped_and_valid_events_kept() {
        let db = Db::open(":memory:").unwrap();
        let order = new_order(&db, CATALOG[0], 1).unwrap();
        db.set_shop_order_session(&order.id, "cs", "http://127.0.0.1/checkout/cs")
            .unwrap();
        let body = event("cs");
        let good = sign("whsec_right", &body);
        assert_eq!(
            receive(&db, Some("whsec_right"), &body, &good, 1).unwrap(),
            Received::Handled
        );
        for i in 0..200 {
            let body = event("cs");
            let bad = sign("whsec_wrong", &body);
            assert_eq!(
                receive(&db, Some("whsec_right"), &body, &bad, 2 + i).unwrap(),
                Received::BadSignature
            );
        }
        let events = db.shop_events(&order.id).unwrap();
        let refused: Vec<_> = events.iter().filter(|e| !e.signature_valid).collect();
        assert_eq!(refused.len(), REFUSED_KEPT as usize);
        // The newest refusals are the ones kept, and the valid event stays.
        assert_eq!(refused.last().unwrap().received_at, 201);
        assert_eq!(refused[0].received_at, 201 - i64::from(REFUSED_KEPT) + 1);
        assert_eq!(events.iter().filter(|e| e.signature_valid).count(), 1);
        assert_eq!(db.shop_event_count().unwrap(), 1 + u64::from(REFUSED_KEPT));
    }
}
