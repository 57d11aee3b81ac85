//! The merchant the sandbox serves: its name and logo, the providers it enabled, its test
//! API key and the origins allowed to embed its checkout.

use super::columns::{json, Json};
use super::{Db, DbResult};
use checkout_core::wire::Provider;
use rusqlite::{params, OptionalExtension, Row};

#[derive(Clone, Debug)]
pub struct Merchant {
    pub id: String,
    pub organization_id: String,
    pub name: String,
    pub country: Option<String>,
    /// A path on the sandbox (`/sandbox/assets/…`) or an absolute URL.
    pub logo_url: Option<String>,
    pub providers: Vec<Provider>,
    pub api_key: String,
    /// The origins (`https://shop.example`) whose pages may show the checkout in a frame and
    /// hear its events (embedded mode; see `domain::embed`).
    pub embed_origins: Vec<String>,
}

fn merchant_from(row: &Row<'_>) -> DbResult<Merchant> {
    Ok(Merchant {
        id: row.get("id")?,
        organization_id: row.get("organization_id")?,
        name: row.get("name")?,
        country: row.get("country")?,
        logo_url: row.get("logo_url")?,
        providers: json(row, "providers")?,
        api_key: row.get("api_key")?,
        embed_origins: json(row, "embed_origins")?,
    })
}

impl Db {
    /// The first merchant created: the sandbox serves one.
    pub fn merchant(&self) -> DbResult<Option<Merchant>> {
        self.conn
            .query_row(
                "SELECT * FROM merchants ORDER BY created_at, rowid LIMIT 1",
                [],
                merchant_from,
            )
            .optional()
    }

    pub fn insert_merchant(&self, m: &Merchant, now: i64) -> DbResult<()> {
        self.conn.execute(
            "INSERT INTO merchants (id, organization_id, name, country, logo_url, providers, api_key,
                                    embed_origins, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                m.id,
                m.organization_id,
                m.name,
                m.country,
                m.logo_url,
                Json(&m.providers),
                m.api_key,
                Json(&m.embed_origins),
                now
            ],
        )?;
        Ok(())
    }

    pub fn set_api_key(&self, merchant_id: &str, key: &str) -> DbResult<()> {
        self.conn.execute(
            "UPDATE merchants SET api_key = ?1 WHERE id = ?2",
            params![key, merchant_id],
        )?;
        Ok(())
    }

    pub fn set_embed_origins(&self, merchant_id: &str, origins: &[String]) -> DbResult<()> {
        self.conn.execute(
            "UPDATE merchants SET embed_origins = ?1 WHERE id = ?2",
            params![Json(origins), merchant_id],
        )?;
        Ok(())
    }
}
