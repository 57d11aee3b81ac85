//! How the webhook sender looks up a host name: the system's resolver, or a fixed table (what
//! tests use, so a name can be made to answer a private address without asking any DNS
//! server). The sender checks every address a lookup answers before connecting, and connects
//! only to those (`domain::webhooks::destination`).

use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// What a lookup answers: the name's addresses.
pub type Lookup = Pin<Box<dyn Future<Output = io::Result<Vec<IpAddr>>> + Send>>;

/// Looks up host names, for webhook deliveries only.
#[derive(Clone)]
pub struct Resolver {
    table: Option<Arc<HashMap<String, Vec<IpAddr>>>>,
    lookups: Arc<AtomicUsize>,
}

impl Default for Resolver {
    fn default() -> Self {
        Resolver::system()
    }
}

impl std::fmt::Debug for Resolver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.table {
            None => f.write_str("Resolver::system"),
            Some(table) => f.debug_tuple("Resolver::fixed").field(table).finish(),
        }
    }
}

impl Resolver {
    /// The system's resolver (`getaddrinfo`: `/etc/hosts`, then DNS).
    pub fn system() -> Resolver {
        Resolver {
            table: None,
            lookups: Arc::default(),
        }
    }

    /// Answers from `entries` only (names compared case-insensitively); any other name is
    /// unknown. Nothing is asked of the network.
    pub fn fixed(entries: &[(&str, &[IpAddr])]) -> Resolver {
        let table = entries
            .iter()
            .map(|(name, addrs)| (name.to_ascii_lowercase(), addrs.to_vec()))
            .collect();
        Resolver {
            table: Some(Arc::new(table)),
            lookups: Arc::default(),
        }
    }

    /// How many names were looked up so far (with every clone of this resolver).
    pub fn lookups(&self) -> usize {
        self.lookups.load(Ordering::Relaxed)
    }

    /// The addresses of `host`, a name (not an IP literal).
    pub fn lookup(&self, host: &str) -> Lookup {
        self.lookups.fetch_add(1, Ordering::Relaxed);
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        match &self.table {
            Some(table) => {
                let found = table.get(&host).cloned().ok_or_else(|| {
                    io::Error::new(io::ErrorKind::NotFound, format!("{host} is not known"))
                });
                Box::pin(std::future::ready(found))
            }
            None => Box::pin(async move {
                let addrs = tokio::net::lookup_host((host.as_str(), 0)).await?;
                Ok(addrs.map(|a| a.ip()).collect())
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_fixed_table_answers_its_names_only() {
        let ten: IpAddr = "10.0.0.1".parse().unwrap();
        let r = Resolver::fixed(&[("Rebind.test", &[ten])]);
        assert_eq!(r.lookup("rebind.TEST.").await.unwrap(), vec![ten]);
        assert!(r.lookup("other.test").await.is_err());
        assert_eq!(r.clone().lookups(), 2);
    }
}
