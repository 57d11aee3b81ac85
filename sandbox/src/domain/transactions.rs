//! The merchant's ledger: when a payment settles, its transaction (what was charged, the
//! discount, the fee, the net) and the customer who paid, found again by email or phone.

use crate::domain::webhooks;
use crate::error::Result;
use crate::ids;
use crate::storage::{
    Contact, CustomerRow, Db, LineItem, SessionRow, TransactionRow, TransactionStatus,
};
use checkout_core::fees::processing_fee;
use checkout_core::payment::PaymentStatus;

/// The contact details a session holds once its customer started paying.
fn contact(s: &SessionRow) -> Contact {
    let billing = s.billing.as_ref();
    Contact {
        name: s.customer_name.clone(),
        email: s.customer_email.as_ref().map(|e| e.trim().to_lowercase()),
        phone: s.customer_phone.clone(),
        country: billing.map(|b| b.country.clone()),
        city: billing.map(|b| b.city.clone()),
        address: billing.map(|b| b.line1.clone()),
        postal_code: billing.and_then(|b| b.postal_code.clone()),
    }
}

/// The customer the session's details name: the one the merchant gave when it is theirs,
/// else the one who used the same email or phone before, else a new one. `None` when the
/// payment carried neither an email nor a phone.
pub fn customer_for(db: &Db, s: &SessionRow, now: i64) -> Result<Option<String>> {
    let details = contact(s);
    if let Some(id) = &s.customer_id {
        if db.customer(&s.merchant_id, id)?.is_some() {
            db.complete_customer(id, &details, now)?;
            return Ok(Some(id.clone()));
        }
    }
    if details.is_empty() {
        return Ok(None);
    }
    if let Some(found) = db.find_customer(&s.merchant_id, &details)? {
        db.complete_customer(&found.id, &details, now)?;
        return Ok(Some(found.id));
    }
    let customer = CustomerRow {
        id: ids::uuid(),
        merchant_id: s.merchant_id.clone(),
        name: details.name,
        email: details.email,
        phone: details.phone,
        country: details.country,
        city: details.city,
        address: details.address,
        postal_code: details.postal_code,
        created_at: now,
        updated_at: now,
    };
    db.insert_customer(&customer)?;
    Ok(Some(customer.id))
}

/// The lines a transaction lists: the session's cart, or its one product or amount.
fn lines_of(s: &SessionRow) -> Vec<LineItem> {
    if !s.line_items.is_empty() {
        return s.line_items.clone();
    }
    vec![LineItem {
        price_id: s.price_id.clone(),
        product_id: s.product_id.clone(),
        name: s.title.clone(),
        unit_amount: s.unit_amount,
        quantity: s.quantity,
        metadata: None,
    }]
}

/// Records the transaction of a payment that just settled (succeeded or failed), with its
/// customer, and queues its webhook event. Run in the settling write's transaction; settling
/// twice records once.
pub fn record(db: &Db, payment_id: &str, transaction_id: &str, now: i64) -> Result<()> {
    let Some(p) = db.payment_by_id(payment_id)? else {
        return Ok(());
    };
    let Some(session) = db.session(&p.merchant_id, &p.session_id)? else {
        return Ok(());
    };
    let customer_id = customer_for(db, &session, now)?;
    if let Some(id) = &customer_id {
        db.set_session_customer(&session.id, id)?;
    }
    let status = if p.status == PaymentStatus::Succeeded {
        TransactionStatus::Completed
    } else {
        TransactionStatus::Failed
    };
    let subtotal = p.subtotal.unwrap_or_else(|| session.subtotal());
    let discount = p.discount.unwrap_or_else(|| (subtotal - p.amount).max(0));
    let fee = match status {
        TransactionStatus::Completed => processing_fee(p.provider, p.amount, p.currency),
        TransactionStatus::Failed => 0,
    };
    let transaction = TransactionRow {
        id: transaction_id.to_string(),
        merchant_id: p.merchant_id.clone(),
        payment_id: p.id.clone(),
        session_id: session.id.clone(),
        payment_link_id: session.payment_link_id.clone(),
        product_id: session.product_id.clone(),
        price_id: session.price_id.clone(),
        quantity: session.total_quantity(),
        customer_id,
        status,
        failure: p.failure,
        provider: p.provider,
        currency: p.currency,
        gross_amount: p.amount,
        discount_amount: discount,
        fee_amount: fee,
        net_amount: p.amount - fee,
        coupon_code: p.coupon_code.clone(),
        description: session.title.clone(),
        line_items: lines_of(&session),
        metadata: session.metadata.clone(),
        created_at: now,
        updated_at: now,
    };
    if db.insert_transaction(&transaction)? {
        webhooks::payment_settled(db, &transaction, now)?;
    }
    Ok(())
}
