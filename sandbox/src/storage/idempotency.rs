//! Idempotency keys of the merchant API's creates: the first answer to a key, kept 24 hours,
//! so a retried `POST` gets it again instead of making a second object.
//!
//! A keyed create is made in one transaction with its key: the merchant API runs the create
//! inside [`under_key`], and every insert of a new object ([`Db::creating`]) records the key
//! as having made that object before its transaction commits. A crash can then never leave
//! an object without its key (a retry would make a second one) nor a key without its object;
//! at worst the key names its object but not yet the answer, which the merchant API rebuilds
//! from the object ([`StoredAnswer::is_pending`]).

use super::{Db, DbResult};
use rusqlite::{params, Connection, OptionalExtension};
use std::future::Future;

/// The key a create is being made under, for the object it inserts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyClaim {
    pub merchant_id: String,
    pub key: String,
    /// Method and path of the create, spelled one way.
    pub route: String,
    /// The request body's digest.
    pub fingerprint: String,
    pub now: i64,
}

tokio::task_local! {
    static CLAIM: KeyClaim;
}

/// Runs `create` (a merchant API create, within this task) with `claim` as its key: the
/// object it inserts is recorded under the key in the insert's own transaction.
pub async fn under_key<F: Future>(claim: KeyClaim, create: F) -> F::Output {
    CLAIM.scope(claim, create).await
}

/// Records that the current task's key (if any) made `object_id`, on `conn`, which must be
/// inside the transaction that inserts the object. The first object a create inserts is
/// the one its key names.
pub(super) fn record_claim(conn: &Connection, object_id: &str) -> DbResult<()> {
    let Ok(claim) = CLAIM.try_with(Clone::clone) else {
        return Ok(());
    };
    conn.execute(
        "DELETE FROM idempotency_keys WHERE merchant_id = ?1 AND idempotency_key = ?2
             AND created_at <= ?3",
        params![claim.merchant_id, claim.key, claim.now - KEY_LIFETIME],
    )?;
    conn.execute(
        "INSERT INTO idempotency_keys (merchant_id, idempotency_key, route, fingerprint,
            status, body, object_id, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, '', ?6, ?7)
         ON CONFLICT (merchant_id, idempotency_key) DO NOTHING",
        params![
            claim.merchant_id,
            claim.key,
            claim.route,
            claim.fingerprint,
            PENDING,
            object_id,
            claim.now
        ],
    )?;
    Ok(())
}

/// The status of a key that names its object but not yet the answer.
const PENDING: u16 = 0;

/// How long a key is remembered, in seconds.
pub const KEY_LIFETIME: i64 = 24 * 60 * 60;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredAnswer {
    /// Method and path of the request that used the key first.
    pub route: String,
    /// The request body's digest, to tell a replay from another request under the same key.
    pub fingerprint: String,
    pub status: u16,
    pub body: String,
    pub object_id: Option<String>,
}

impl StoredAnswer {
    /// The key made its object, but the process stopped before the answer was kept.
    pub fn is_pending(&self) -> bool {
        self.status == PENDING
    }
}

impl Db {
    /// The answer stored under `key` within its lifetime.
    pub fn idempotent_answer(
        &self,
        merchant_id: &str,
        key: &str,
        now: i64,
    ) -> DbResult<Option<StoredAnswer>> {
        self.conn
            .query_row(
                "SELECT route, fingerprint, status, body, object_id FROM idempotency_keys
                 WHERE merchant_id = ?1 AND idempotency_key = ?2 AND created_at > ?3",
                params![merchant_id, key, now - KEY_LIFETIME],
                |row| {
                    Ok(StoredAnswer {
                        route: row.get(0)?,
                        fingerprint: row.get(1)?,
                        status: row.get(2)?,
                        body: row.get(3)?,
                        object_id: row.get(4)?,
                    })
                },
            )
            .optional()
    }

    /// Runs `insert`, the statements that make the new object `object_id`, and records the
    /// current create's key (if any) as having made it, in one transaction: the one already
    /// open on this connection, or one begun here.
    pub(super) fn creating<T>(
        &self,
        object_id: &str,
        insert: impl FnOnce(&Connection) -> DbResult<T>,
    ) -> DbResult<T> {
        if !self.conn.is_autocommit() {
            let value = insert(&self.conn)?;
            record_claim(&self.conn, object_id)?;
            return Ok(value);
        }
        self.immediate(|db| {
            let value = insert(&db.conn)?;
            record_claim(&db.conn, object_id)?;
            Ok(value)
        })
    }

    /// Keeps the answer to `key`: fills in the key its create recorded, or keeps the first
    /// answer of a keyed request that made no object, replacing an expired one.
    pub fn store_idempotent_answer(
        &self,
        merchant_id: &str,
        key: &str,
        answer: &StoredAnswer,
        now: i64,
    ) -> DbResult<()> {
        self.conn.execute(
            "DELETE FROM idempotency_keys WHERE created_at <= ?1",
            params![now - KEY_LIFETIME],
        )?;
        self.conn.execute(
            "INSERT INTO idempotency_keys (merchant_id, idempotency_key, route,
                fingerprint, status, body, object_id, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (merchant_id, idempotency_key) DO UPDATE
                SET status = excluded.status, body = excluded.body,
                    object_id = COALESCE(idempotency_keys.object_id, excluded.object_id)
                WHERE idempotency_keys.status = ?9",
            params![
                merchant_id,
                key,
                answer.route,
                answer.fingerprint,
                answer.status,
                answer.body,
                answer.object_id,
                now,
                PENDING
            ],
        )?;
        Ok(())
    }
}
