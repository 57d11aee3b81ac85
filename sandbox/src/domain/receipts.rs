//! A customer's receipt: the session they paid and its succeeded transaction, found again
//! from the session's id at any time after the payment.

use crate::domain::payments::outcome;
use crate::domain::Ctx;
use crate::error::Result;
use crate::storage::{Db, SessionRow, TransactionRow, TransactionStatus};

/// What a receipt shows: the order as the customer placed it and what they were charged.
pub struct Receipt {
    pub session: SessionRow,
    pub transaction: TransactionRow,
}

/// The receipt of a paid session, or `None` while nothing has been paid on it (a failed
/// attempt has no receipt).
pub fn for_session(db: &Db, ctx: &Ctx, session_id: &str) -> Result<Option<Receipt>> {
    outcome::settle(db, ctx)?;
    let merchant = &ctx.merchant().id;
    let Some(session) = db.session(merchant, session_id)? else {
        return Ok(None);
    };
    let Some(id) = session.transaction_id.clone() else {
        return Ok(None);
    };
    Ok(db
        .transaction(merchant, &id)?
        .filter(|t| t.status == TransactionStatus::Completed)
        .map(|transaction| Receipt {
            session,
            transaction,
        }))
}
