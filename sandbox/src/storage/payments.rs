//! Payments: one attempt each to pay a session, with the stage a pending one is at, the
//! outcome it is due to reach, and how it settled. Succeeding completes the session and counts
//! its coupon in the same write.

use super::columns::{named, named_opt, Stored};
use super::{Db, DbResult};
use crate::names::Named;
use checkout_core::payment::{FailureReason, PaymentStatus};
use checkout_core::wire::{CheckoutKind, Provider};
use checkout_core::Currency;
use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

/// Where a pending payment stands, which decides what the customer is asked next.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// The customer has yet to act: approve on Wave's page, type Orange's code, enter a card,
    /// approve MTN's prompt, send the crypto.
    AwaitingCustomer,
    /// The customer has done their part; the operator is working.
    AwaitingOperator,
    /// The card's bank asked for 3-D Secure.
    Authenticating,
}

impl Named for Stage {}

/// What a pending payment becomes at `settle_at_ms` unless something settles it first.
/// Stored as `succeeded` or the failure reason's name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Settlement {
    #[serde(rename = "succeeded")]
    Succeed,
    #[serde(untagged)]
    Fail(FailureReason),
}

impl Named for Settlement {}

/// One payment attempt on a session. Card numbers are never stored: the last four digits
/// at most.
#[derive(Clone, Debug)]
pub struct PaymentRow {
    pub id: String,
    pub merchant_id: String,
    pub session_id: String,
    /// The link or session page the customer paid from.
    pub started_kind: CheckoutKind,
    pub started_id: String,
    /// The link or session id of the pay request's path, with its `Idempotency-Key`.
    pub idempotency_scope: String,
    pub idempotency_key: String,
    /// The pay request as the server read it, to tell a replay from a reused key.
    pub fingerprint: String,
    pub status: PaymentStatus,
    /// `None` for a free order.
    pub provider: Option<Provider>,
    pub amount: i64,
    pub currency: Currency,
    /// The order's subtotal and the coupon's discount as quoted when the payment started;
    /// `None` on payments recorded before they were kept.
    pub subtotal: Option<i64>,
    pub discount: Option<i64>,
    /// E.164.
    pub phone: Option<String>,
    /// The coupon applied to the order, counted once when the payment succeeds.
    pub coupon_code: Option<String>,
    pub stage: Stage,
    pub card_last4: Option<String>,
    pub failure: Option<FailureReason>,
    pub transaction_id: Option<String>,
    /// `{CHECKOUT_SESSION_ID}` already replaced.
    pub success_url: Option<String>,
    pub cancel_url: Option<String>,
    /// Unix milliseconds at which `settle_to` applies, if still pending.
    pub settle_at_ms: Option<i64>,
    pub settle_to: Option<Settlement>,
    pub created_at: i64,
    pub updated_at: i64,
}

fn payment_from(row: &Row<'_>) -> DbResult<PaymentRow> {
    Ok(PaymentRow {
        id: row.get("id")?,
        merchant_id: row.get("merchant_id")?,
        session_id: row.get("session_id")?,
        started_kind: named(row, "started_kind")?,
        started_id: row.get("started_id")?,
        idempotency_scope: row.get("idempotency_scope")?,
        idempotency_key: row.get("idempotency_key")?,
        fingerprint: row.get("fingerprint")?,
        status: named(row, "status")?,
        provider: named_opt(row, "provider")?,
        amount: row.get("amount")?,
        currency: named(row, "currency")?,
        subtotal: row.get("subtotal")?,
        discount: row.get("discount")?,
        phone: row.get("phone")?,
        coupon_code: row.get("coupon_code")?,
        stage: named(row, "stage")?,
        card_last4: row.get("card_last4")?,
        failure: named_opt(row, "failure")?,
        transaction_id: row.get("transaction_id")?,
        success_url: row.get("success_url")?,
        cancel_url: row.get("cancel_url")?,
        settle_at_ms: row.get("settle_at_ms")?,
        settle_to: named_opt(row, "settle_to")?,
        created_at: row.get("created_at")?,
        updated_at: row.get("updated_at")?,
    })
}

impl Db {
    pub fn insert_payment(&self, p: &PaymentRow) -> DbResult<()> {
        self.conn.execute(
            "INSERT INTO payments (id, merchant_id, session_id, started_kind, started_id, idempotency_scope,
                idempotency_key, fingerprint, status, provider, amount, currency, phone, coupon_code, stage,
                card_last4, failure, transaction_id, success_url, cancel_url, settle_at_ms, settle_to,
                created_at, updated_at, subtotal, discount)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20,
                ?21, ?22, ?23, ?24, ?25, ?26)",
            params![
                p.id,
                p.merchant_id,
                p.session_id,
                Stored(p.started_kind),
                p.started_id,
                p.idempotency_scope,
                p.idempotency_key,
                p.fingerprint,
                Stored(p.status),
                p.provider.map(Stored),
                p.amount,
                Stored(p.currency),
                p.phone,
                p.coupon_code,
                Stored(p.stage),
                p.card_last4,
                p.failure.map(Stored),
                p.transaction_id,
                p.success_url,
                p.cancel_url,
                p.settle_at_ms,
                p.settle_to.map(Stored),
                p.created_at,
                p.updated_at,
                p.subtotal,
                p.discount
            ],
        )?;
        Ok(())
    }

    /// Counts one more wrong one-time code on a pending payment; returns how many it has had.
    pub fn count_wrong_code(&self, id: &str) -> DbResult<u32> {
        self.conn.execute(
            "UPDATE payments SET otp_attempts = otp_attempts + 1 WHERE id = ?1 AND status = 'pending'",
            [id],
        )?;
        self.conn.query_row(
            "SELECT otp_attempts FROM payments WHERE id = ?1",
            [id],
            |row| row.get(0),
        )
    }

    /// A payment by its id alone, for the outcome's bookkeeping.
    pub fn payment_by_id(&self, id: &str) -> DbResult<Option<PaymentRow>> {
        self.conn
            .query_row("SELECT * FROM payments WHERE id = ?1", [id], payment_from)
            .optional()
    }

    pub fn payment(&self, merchant_id: &str, id: &str) -> DbResult<Option<PaymentRow>> {
        self.conn
            .query_row(
                "SELECT * FROM payments WHERE merchant_id = ?1 AND id = ?2",
                params![merchant_id, id],
                payment_from,
            )
            .optional()
    }

    pub fn payment_by_key(&self, scope: &str, key: &str) -> DbResult<Option<PaymentRow>> {
        self.conn
            .query_row(
                "SELECT * FROM payments WHERE idempotency_scope = ?1 AND idempotency_key = ?2",
                params![scope, key],
                payment_from,
            )
            .optional()
    }

    pub fn pending_payment_of(&self, session_id: &str) -> DbResult<Option<PaymentRow>> {
        self.conn
            .query_row(
                "SELECT * FROM payments WHERE session_id = ?1 AND status = 'pending'",
                [session_id],
                payment_from,
            )
            .optional()
    }

    /// Payments still pending with the coupon `code`: each holds one of its uses until it
    /// settles, so a `max_uses` coupon cannot be spent by several payments at once.
    pub fn pending_coupon_uses(&self, merchant_id: &str, code: &str) -> DbResult<u32> {
        let n: i64 = self.conn.query_row(
            "SELECT COUNT(*) FROM payments
             WHERE merchant_id = ?1 AND coupon_code = ?2 AND status = 'pending'",
            params![merchant_id, code],
            |row| row.get(0),
        )?;
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    }

    /// Whether someone with this email has already paid this merchant: a succeeded payment
    /// whose session recorded the email, compared without case (`lower` folds ASCII, which
    /// is what email addresses are written in).
    pub fn has_paid(&self, merchant_id: &str, email: &str) -> DbResult<bool> {
        self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM payments p JOIN checkout_sessions s ON s.id = p.session_id
             WHERE p.merchant_id = ?1 AND p.status = 'succeeded'
                AND lower(trim(s.customer_email)) = lower(trim(?2)))",
            params![merchant_id, email],
            |row| row.get(0),
        )
    }

    pub fn latest_payment_of(&self, session_id: &str) -> DbResult<Option<PaymentRow>> {
        self.conn
            .query_row(
                "SELECT * FROM payments WHERE session_id = ?1
                 ORDER BY created_at DESC, rowid DESC LIMIT 1",
                [session_id],
                payment_from,
            )
            .optional()
    }

    /// Pending payments whose timed outcome is due at `now_ms`.
    pub fn due_payments(&self, now_ms: i64) -> DbResult<Vec<PaymentRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT * FROM payments WHERE status = 'pending' AND settle_at_ms <= ?1
             ORDER BY settle_at_ms, rowid",
        )?;
        let rows = stmt.query_map([now_ms], payment_from)?;
        rows.collect()
    }

    /// Moves a pending payment to its next stage and timed outcome; false when it is no
    /// longer pending.
    pub fn advance_payment(
        &self,
        id: &str,
        stage: Stage,
        settle: Option<(i64, Settlement)>,
        card_last4: Option<&str>,
        now: i64,
    ) -> DbResult<bool> {
        let n = self.conn.execute(
            "UPDATE payments SET stage = ?1, settle_at_ms = ?2, settle_to = ?3,
                card_last4 = COALESCE(?4, card_last4), updated_at = ?5
             WHERE id = ?6 AND status = 'pending'",
            params![
                Stored(stage),
                settle.map(|(at, _)| at),
                settle.map(|(_, to)| Stored(to)),
                card_last4,
                now,
                id
            ],
        )?;
        Ok(n > 0)
    }

    /// The money moved: the payment succeeds, its session completes with the same
    /// transaction, and its coupon is counted. The `pending` guard makes this happen once
    /// per payment however often it is asked; run it inside [`Db::immediate`] so the three
    /// writes land together. A session that expired while its payment was under way still
    /// completes: the customer was charged.
    pub fn succeed_payment(&self, id: &str, transaction_id: &str, now: i64) -> DbResult<bool> {
        let n = self.conn.execute(
            "UPDATE payments SET status = 'succeeded', transaction_id = ?1, failure = NULL,
                settle_at_ms = NULL, settle_to = NULL, updated_at = ?2
             WHERE id = ?3 AND status = 'pending'",
            params![transaction_id, now, id],
        )?;
        if n == 0 {
            return Ok(false);
        }
        let (session_id, merchant_id, coupon_code): (String, String, Option<String>) =
            self.conn.query_row(
                "SELECT session_id, merchant_id, coupon_code FROM payments WHERE id = ?1",
                [id],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            )?;
        self.conn.execute(
            "UPDATE checkout_sessions SET status = 'completed', transaction_id = ?1
             WHERE id = ?2 AND status IN ('open', 'expired')",
            params![transaction_id, session_id],
        )?;
        if let Some(code) = coupon_code {
            self.conn.execute(
                "UPDATE coupons SET current_uses = current_uses + 1, updated_at = ?1
                 WHERE merchant_id = ?2 AND code = ?3",
                params![now, merchant_id, code],
            )?;
        }
        Ok(true)
    }

    /// The payment failed; its session stays open for another attempt. False when it was no
    /// longer pending.
    pub fn fail_payment(&self, id: &str, reason: FailureReason, now: i64) -> DbResult<bool> {
        let n = self.conn.execute(
            "UPDATE payments SET status = 'failed', failure = ?1, settle_at_ms = NULL,
                settle_to = NULL, updated_at = ?2
             WHERE id = ?3 AND status = 'pending'",
            params![Stored(reason), now, id],
        )?;
        Ok(n > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payment(id: &str, session: &str, key: &str) -> PaymentRow {
        PaymentRow {
            id: id.to_string(),
            merchant_id: "m".to_string(),
            session_id: session.to_string(),
            started_kind: CheckoutKind::Session,
            started_id: session.to_string(),
            idempotency_scope: format!("session:{session}"),
            idempotency_key: key.to_string(),
            fingerprint: "{}".to_string(),
            status: PaymentStatus::Pending,
            provider: Some(Provider::Mtn),
            amount: 5_000,
            currency: Currency::Xof,
            subtotal: None,
            discount: None,
            phone: Some("+2250500000011".to_string()),
            coupon_code: None,
            stage: Stage::AwaitingCustomer,
            card_last4: None,
            failure: None,
            transaction_id: None,
            success_url: None,
            cancel_url: None,
            settle_at_ms: Some(2_000),
            settle_to: Some(Settlement::Succeed),
            created_at: 0,
            updated_at: 0,
        }
    }

    fn constraint(result: DbResult<()>) -> bool {
        matches!(result, Err(rusqlite::Error::SqliteFailure(e, _))
            if e.code == rusqlite::ErrorCode::ConstraintViolation)
    }

    /// The rules hold in SQLite itself, whatever the Rust code above it checks.
    #[test]
    fn one_payment_per_key_and_one_pending_per_session() {
        let db = Db::open(":memory:").unwrap();
        db.conn.execute_batch("PRAGMA foreign_keys = OFF").unwrap();
        db.insert_payment(&payment("pay_1", "cs_1", "k1")).unwrap();
        // The same key on the same session: refused even with another id.
        assert!(constraint(db.insert_payment(
            &payment("pay_2", "cs_2", "k1").with_scope("session:cs_1")
        )));
        // Another key, same session, while the first is pending: refused.
        assert!(constraint(
            db.insert_payment(&payment("pay_3", "cs_1", "k2"))
        ));
        // Once the first has failed, a new attempt is allowed; settled rows never block.
        assert!(db
            .fail_payment("pay_1", FailureReason::Declined, 1)
            .unwrap());
        db.insert_payment(&payment("pay_3", "cs_1", "k2")).unwrap();
        assert!(!db
            .fail_payment("pay_1", FailureReason::Declined, 1)
            .unwrap());
        let back = db.payment("m", "pay_3").unwrap().unwrap();
        assert_eq!(back.settle_to, Some(Settlement::Succeed));
        assert_eq!(back.stage, Stage::AwaitingCustomer);
        assert_eq!(db.due_payments(1_999).unwrap().len(), 0);
        assert_eq!(db.due_payments(2_000).unwrap().len(), 1);
    }

    #[test]
    fn a_failed_transaction_leaves_nothing_behind() {
        let db = Db::open(":memory:").unwrap();
        db.conn.execute_batch("PRAGMA foreign_keys = OFF").unwrap();
        let result: DbResult<()> = db.immediate(|db| {
            db.insert_payment(&payment("pay_1", "cs_1", "k1"))?;
            db.insert_payment(&payment("pay_2", "cs_1", "k2"))
        });
        assert!(constraint(result));
        assert!(db.payment("m", "pay_1").unwrap().is_none());
        // The connection is usable again afterwards.
        db.immediate(|db| db.insert_payment(&payment("pay_1", "cs_1", "k1")))
            .unwrap();
        assert!(db.payment("m", "pay_1").unwrap().is_some());
    }

    impl PaymentRow {
        fn with_scope(mut self, scope: &str) -> Self {
            self.idempotency_scope = scope.to_string();
            self
        }
    }
}
