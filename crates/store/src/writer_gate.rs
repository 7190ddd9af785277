//! SQLite's one writer as this process sees it. An import takes SQLite's writer for its whole
//! run (seconds to minutes); meanwhile every other write would wait out the busy timeout and
//! fail. So an import first takes this gate, and ordinary writes ask it before they begin:
//! while an import of this process holds the writer they are refused at once with
//! [`StoreError::Busy`], which the HTTP layer answers 503 with `Retry-After`.
//!
//! An import in another process (the CLI) is not seen here: there a write waits the short
//! busy timeout (`connect.rs`) and SQLite's `SQLITE_BUSY` becomes the same error
//! (`error.rs`).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use sea_orm::{DatabaseTransaction, TransactionTrait};

use crate::{Store, StoreError};

/// What a write refused while an import holds the writer is told.
pub(crate) const BUSY_WITH_IMPORT: &str =
    "an import is being written to the database right now; try again in a few seconds";

/// Whether an import of this process holds SQLite's writer; shared by a store's clones.
#[derive(Debug, Default)]
pub(crate) struct WriterGate {
    taken: AtomicBool,
}

/// The gate taken by an import; opened again when dropped.
#[derive(Debug)]
pub(crate) struct WriterHeld {
    gate: Arc<WriterGate>,
}

impl Drop for WriterHeld {
    fn drop(&mut self) {
        self.gate.taken.store(false, Ordering::Release);
    }
}

impl WriterGate {
    /// Takes the gate for an import; [`StoreError::Busy`] if another import holds it.
    pub(crate) fn take(self: &Arc<Self>) -> Result<WriterHeld, StoreError> {
        self.taken
            .compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
            .map_err(|_| StoreError::Busy(BUSY_WITH_IMPORT.to_owned()))?;
        Ok(WriterHeld {
            gate: Arc::clone(self),
        })
    }

    /// [`StoreError::Busy`] while an import holds the gate.
    pub(crate) fn check(&self) -> Result<(), StoreError> {
        if self.taken.load(Ordering::Acquire) {
            return Err(StoreError::Busy(BUSY_WITH_IMPORT.to_owned()));
        }
        Ok(())
    }
}

impl Store {
    /// Begins an ordinary write's transaction, refused at once while an import of this process
    /// holds SQLite's writer.
    pub(crate) async fn begin_write(&self) -> Result<DatabaseTransaction, StoreError> {
        self.writer.check()?;
        Ok(self.db.begin().await?)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::WriterGate;
    use crate::StoreError;

    #[test]
    fn the_gate_refuses_writes_and_a_second_import_until_the_first_lets_go() {
        let gate = Arc::new(WriterGate::default());
        assert!(gate.check().is_ok());
        let held = gate.take().unwrap();
        assert!(matches!(gate.check(), Err(StoreError::Busy(_))));
        assert!(matches!(gate.take(), Err(StoreError::Busy(_))));
        drop(held);
        assert!(gate.check().is_ok(), "open again once the import ends");
        assert!(gate.take().is_ok());
    }
}
