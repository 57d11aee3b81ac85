//! Idempotency keys of the merchant API's creates: the first answer to a key, kept 24 hours,
//! so a retried `POST` gets it again instead of making a second object.

use super::{Db, DbResult};
use rusqlite::{params, OptionalExtension};

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

    /// Keeps the first answer to `key`, replacing an expired one.
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
            "INSERT OR IGNORE INTO idempotency_keys (merchant_id, idempotency_key, route,
                fingerprint, status, body, object_id, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                merchant_id,
                key,
                answer.route,
                answer.fingerprint,
                answer.status,
                answer.body,
                answer.object_id,
                now
            ],
        )?;
        Ok(())
    }
}
