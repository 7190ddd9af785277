//! Setting a database up on start: the migrations and the reference data, one instance at a
//! time. Several instances started at the same moment on one PostgreSQL database queue on a
//! session-level advisory lock ([`SETUP_LOCK`]), held on a connection of its own that is
//! closed afterwards (closing it releases the lock, even if the setup failed half-way); the
//! first migrates, the others find nothing left to do. SQLite has one process per file.
//!
//! A binary that meets a schema newer than it knows (a migration it has never heard of)
//! refuses to start rather than write to tables it does not understand.

use pledgeboard_migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::Connection as _;
use sea_orm::{ConnectionTrait, Statement};

use crate::connect::Backend;
use crate::{Store, StoreError};

/// The advisory lock key of the setup (any constant shared by every instance: "pledgebd").
const SETUP_LOCK: i64 = 0x706c_6564_6765_6264;

/// The migrations' own bookkeeping table (sea-orm-migration's).
const MIGRATIONS_TABLE: &str = "seaql_migrations";

impl Store {
    /// Brings the schema up to date, one instance at a time; refuses a schema newer than
    /// this binary knows.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        self.one_instance_at_a_time(|| self.migrate_schema()).await
    }

    /// Brings the schema up to date and puts missing reference data in place, one instance
    /// at a time: what every command and server start does.
    pub async fn prepare(&self) -> Result<(), StoreError> {
        self.one_instance_at_a_time(|| async {
            self.migrate_schema().await?;
            self.load_reference_fixtures().await?;
            Ok(())
        })
        .await
    }

    /// The migrations this database has run, oldest first (none on an empty database).
    pub async fn applied_migrations(&self) -> Result<Vec<String>, StoreError> {
        let exists = match self.backend() {
            Backend::Sqlite => format!(
                "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = '{MIGRATIONS_TABLE}'"
            ),
            Backend::Postgres => format!(
                "SELECT count(*) AS n FROM pg_tables WHERE schemaname = current_schema() AND tablename = '{MIGRATIONS_TABLE}'"
            ),
        };
        let backend = self.db.get_database_backend();
        let found: i64 = match self
            .db
            .query_one_raw(Statement::from_string(backend, exists))
            .await?
        {
            Some(row) => row.try_get("", "n")?,
            None => 0,
        };
        if found == 0 {
            return Ok(Vec::new());
        }
        let rows = self
            .db
            .query_all_raw(Statement::from_string(
                backend,
                format!("SELECT version FROM {MIGRATIONS_TABLE} ORDER BY version"),
            ))
            .await?;
        rows.iter()
            .map(|r| r.try_get::<String>("", "version").map_err(StoreError::from))
            .collect()
    }

    async fn migrate_schema(&self) -> Result<(), StoreError> {
        let known: Vec<String> = Migrator::migrations()
            .iter()
            .map(|m| m.name().to_owned())
            .collect();
        let applied = self.applied_migrations().await?;
        schema_not_ahead(&known, &applied)?;
        Migrator::up(&self.db, None).await?;
        Ok(())
    }

    /// Runs `setup` while holding the setup lock (PostgreSQL), or simply runs it (SQLite).
    async fn one_instance_at_a_time<F, Fut>(&self, setup: F) -> Result<(), StoreError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<(), StoreError>>,
    {
        if self.backend() == Backend::Sqlite {
            return setup().await;
        }
        let pool = self.db.get_postgres_connection_pool();
        let mut lock = pool
            .acquire()
            .await
            .map_err(|e| StoreError::Unavailable(e.to_string()))?
            .detach();
        sea_orm::sqlx::query("SELECT pg_advisory_lock($1)")
            .bind(SETUP_LOCK)
            .execute(&mut lock)
            .await
            .map_err(|e| StoreError::Unavailable(e.to_string()))?;
        let outcome = setup().await;
        // Closing the lock's own connection ends its session, which releases the lock.
        if let Err(e) = lock.close().await {
            tracing::warn!(error = %e, "closing the setup lock's connection failed");
        }
        outcome
    }
}

/// Refuses a database that has run a migration this binary does not know, naming the
/// database's newest migration and the binary's.
fn schema_not_ahead(known: &[String], applied: &[String]) -> Result<(), StoreError> {
    let Some(unknown) = applied.iter().filter(|v| !known.contains(v)).max() else {
        return Ok(());
    };
    let newest_known = known.last().map_or("none", String::as_str);
    Err(StoreError::SchemaAhead {
        database: unknown.clone(),
        binary: newest_known.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn a_schema_at_or_behind_the_binary_passes() {
        let known = names(&["m1", "m2", "m3"]);
        assert!(schema_not_ahead(&known, &[]).is_ok());
        assert!(schema_not_ahead(&known, &names(&["m1"])).is_ok());
        assert!(schema_not_ahead(&known, &known).is_ok());
    }

    #[test]
    fn a_schema_ahead_of_the_binary_is_refused_naming_both_versions() {
        let known = names(&["m1", "m2"]);
        let err = schema_not_ahead(&known, &names(&["m1", "m2", "m4", "m3"]))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("m4") && err.contains("m2"), "{err}");
    }
}
