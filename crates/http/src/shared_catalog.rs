//! The reference catalog a process serves with, read once at start and read again after each
//! change of reference data (this instance's, or another's told through `event_relay.rs`).

use std::sync::{Arc, RwLock};

use pledgeboard_domain::Catalog;
use pledgeboard_store::{Store, StoreError};

/// The catalog as it stands now; cheap to clone, every clone sees the same catalog.
#[derive(Clone)]
pub(crate) struct SharedCatalog(Arc<RwLock<Arc<Catalog>>>);

impl SharedCatalog {
    pub(crate) fn new(catalog: Catalog) -> Self {
        Self(Arc::new(RwLock::new(Arc::new(catalog))))
    }

    /// The catalog now.
    pub(crate) fn get(&self) -> Arc<Catalog> {
        match self.0.read() {
            Ok(guard) => Arc::clone(&guard),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Reads the catalog again from `store`.
    pub(crate) async fn reload(&self, store: &Store) -> Result<(), StoreError> {
        let fresh = Arc::new(store.catalog().await?);
        match self.0.write() {
            Ok(mut guard) => *guard = fresh,
            Err(poisoned) => *poisoned.into_inner() = fresh,
        }
        Ok(())
    }
}
