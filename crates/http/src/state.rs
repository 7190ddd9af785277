//! What every handler can reach: the store and the reference catalog.

use std::sync::{Arc, RwLock};

use pledgeboard_domain::Catalog;
use pledgeboard_store::{Store, StoreError};

/// Shared application state; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    catalog: Arc<RwLock<Arc<Catalog>>>,
}

impl AppState {
    /// Builds the state, reading the catalog once from the store.
    pub async fn new(store: Store) -> Result<Self, StoreError> {
        let catalog = store.catalog().await?;
        Ok(Self {
            store,
            catalog: Arc::new(RwLock::new(Arc::new(catalog))),
        })
    }

    /// The reference catalog as it stands now.
    pub fn catalog(&self) -> Arc<Catalog> {
        match self.catalog.read() {
            Ok(guard) => Arc::clone(&guard),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Re-reads the catalog after reference data changed.
    pub async fn reload_catalog(&self) -> Result<(), StoreError> {
        let fresh = Arc::new(self.store.catalog().await?);
        match self.catalog.write() {
            Ok(mut guard) => *guard = fresh,
            Err(poisoned) => *poisoned.into_inner() = fresh,
        }
        Ok(())
    }
}
