//! The data version: one row per database (`data_version`), raised by exactly one in the same
//! transaction as every committed change of pledges, requirements or reference data. A change
//! that changes nothing, a dry run and a failed import never raise it (they commit nothing or
//! roll back). Reports and the board are cached and tagged by it; events carry it.
//!
//! Several server instances on one PostgreSQL database share it: the row lock taken by the
//! raise, the last statement before each commit, orders the versions as the commits are.

use sea_orm::{ConnectionTrait, DatabaseTransaction, Statement};

use crate::{Store, StoreError};

const RAISE: &str = "UPDATE data_version SET version = version + 1 WHERE id = 1 RETURNING version";
const READ: &str = "SELECT version FROM data_version WHERE id = 1";

async fn version_of<C: ConnectionTrait>(conn: &C, sql: &str) -> Result<i64, StoreError> {
    let row = conn
        .query_one_raw(Statement::from_string(conn.get_database_backend(), sql))
        .await?
        .ok_or_else(|| StoreError::Corrupt("the data_version row is missing".to_owned()))?;
    Ok(row.try_get("", "version")?)
}

/// Raises the data version by one on `conn`, inside the change's transaction; returns the
/// version the change commits as. Called last before the commit, so that on PostgreSQL the
/// row stays locked only for the commit itself.
pub(crate) async fn raise<C: ConnectionTrait>(conn: &C) -> Result<i64, StoreError> {
    version_of(conn, RAISE).await
}

/// Commits a change's transaction as one more data version: the raise, then the commit. Every
/// write that always changes something ends this way; one that may have changed nothing
/// raises only when it did.
pub(crate) async fn commit_change(txn: DatabaseTransaction) -> Result<(), StoreError> {
    raise(&txn).await?;
    txn.commit().await?;
    Ok(())
}

impl Store {
    /// The data version: the number of changes committed to pledges, requirements and
    /// reference data since the database was created: at least the version of every change
    /// committed before this call. Callers arriving together share one read
    /// (`shared_read.rs`), which begins after each of them arrived.
    pub async fn data_version(&self) -> Result<i64, StoreError> {
        self.version_reads.read(|| version_of(&self.db, READ)).await
    }
}
