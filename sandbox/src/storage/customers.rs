//! Customers: the people who paid a merchant, one per email or phone number. A payment's
//! contact details find the customer who already used that email or phone, or make a new one.

use super::{Db, DbResult, Filter, PageRequest};
use rusqlite::{params, OptionalExtension, Row};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomerRow {
    pub id: String,
    pub merchant_id: String,
    pub name: Option<String>,
    /// Lower-cased.
    pub email: Option<String>,
    /// E.164.
    pub phone: Option<String>,
    pub country: Option<String>,
    pub city: Option<String>,
    pub address: Option<String>,
    pub postal_code: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// The contact details one payment carries.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Contact {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub country: Option<String>,
    pub city: Option<String>,
    pub address: Option<String>,
    pub postal_code: Option<String>,
}

impl Contact {
    pub fn is_empty(&self) -> bool {
        self.email.is_none() && self.phone.is_none()
    }
}

fn customer_from(row: &Row<'_>) -> DbResult<CustomerRow> {
    Ok(CustomerRow {
        id: row.get("id")?,
        merchant_id: row.get("merchant_id")?,
        name: row.get("name")?,
        email: row.get("email")?,
        phone: row.get("phone")?,
        country: row.get("country")?,
        city: row.get("city")?,
        address: row.get("address")?,
        postal_code: row.get("postal_code")?,
        created_at: row.get("created_at")?,
        updated_at: row.get("updated_at")?,
    })
}

impl Db {
    pub fn customer(&self, merchant_id: &str, id: &str) -> DbResult<Option<CustomerRow>> {
        self.conn
            .query_row(
                "SELECT * FROM customers WHERE merchant_id = ?1 AND id = ?2",
                params![merchant_id, id],
                customer_from,
            )
            .optional()
    }

    /// The customer who already paid with this email or this phone (the email first), if any.
    pub fn find_customer(
        &self,
        merchant_id: &str,
        contact: &Contact,
    ) -> DbResult<Option<CustomerRow>> {
        if let Some(email) = &contact.email {
            let found = self
                .conn
                .query_row(
                    "SELECT * FROM customers WHERE merchant_id = ?1 AND email = ?2
                     ORDER BY created_at, rowid LIMIT 1",
                    params![merchant_id, email],
                    customer_from,
                )
                .optional()?;
            if found.is_some() {
                return Ok(found);
            }
        }
        if let Some(phone) = &contact.phone {
            return self
                .conn
                .query_row(
                    "SELECT * FROM customers WHERE merchant_id = ?1 AND phone = ?2
                     ORDER BY created_at, rowid LIMIT 1",
                    params![merchant_id, phone],
                    customer_from,
                )
                .optional();
        }
        Ok(None)
    }

    pub fn insert_customer(&self, c: &CustomerRow) -> DbResult<()> {
        self.conn.execute(
            "INSERT INTO customers (id, merchant_id, name, email, phone, country, city, address,
                postal_code, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                c.id,
                c.merchant_id,
                c.name,
                c.email,
                c.phone,
                c.country,
                c.city,
                c.address,
                c.postal_code,
                c.created_at,
                c.updated_at
            ],
        )?;
        Ok(())
    }

    /// Fills what the customer's record lacks from a later payment's details: an email
    /// learnt after a phone-only payment, a new address. Known values are kept.
    pub fn complete_customer(&self, id: &str, contact: &Contact, now: i64) -> DbResult<()> {
        self.conn.execute(
            "UPDATE customers SET name = COALESCE(?1, name), email = COALESCE(email, ?2),
                phone = COALESCE(phone, ?3), country = COALESCE(?4, country),
                city = COALESCE(?5, city), address = COALESCE(?6, address),
                postal_code = COALESCE(?7, postal_code), updated_at = ?8
             WHERE id = ?9",
            params![
                contact.name,
                contact.email,
                contact.phone,
                contact.country,
                contact.city,
                contact.address,
                contact.postal_code,
                now,
                id
            ],
        )?;
        Ok(())
    }

    pub fn list_customers(
        &self,
        merchant_id: &str,
        email: Option<&str>,
        phone: Option<&str>,
        page: PageRequest,
    ) -> DbResult<(Vec<CustomerRow>, u64)> {
        let mut filter = Filter::new(merchant_id);
        if let Some(email) = email {
            filter.clause("email = ?", rusqlite::types::Value::Text(email.to_string()));
        }
        if let Some(phone) = phone {
            filter.clause("phone = ?", rusqlite::types::Value::Text(phone.to_string()));
        }
        self.list("customers", &filter, page, customer_from)
    }
}
