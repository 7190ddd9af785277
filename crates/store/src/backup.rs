//! Online backups of a SQLite store: `VACUUM INTO` copies the database as one read
//! transaction sees it, so the copy is consistent while the server goes on writing (WAL lets
//! writers continue meanwhile). PostgreSQL has its own tool for this, `pg_dump`.

use std::path::{Path, PathBuf};

use sea_orm::{ConnectionTrait, DbBackend, Statement};

use crate::{Store, StoreError};

impl Store {
    /// Copies a SQLite database into a new file at `to`, consistent as of the moment the copy
    /// began; returns the copy's size in bytes. The copy is written beside `to` under another
    /// name and renamed into place once complete, so `to` never holds half a backup. Refuses an
    /// existing `to`, and PostgreSQL (use `pg_dump`).
    pub async fn backup_sqlite_to(&self, to: &Path) -> Result<u64, StoreError> {
        if self.db.get_database_backend() != DbBackend::Sqlite {
            return Err(StoreError::Invalid(
                "only a SQLite database is backed up by Pledgeboard; use pg_dump for PostgreSQL"
                    .into(),
            ));
        }
        if to.exists() {
            return Err(StoreError::Invalid(format!(
                "{} already exists: choose a new file name for the backup",
                to.display()
            )));
        }
        let partial = partial_path(to);
        let _ = std::fs::remove_file(&partial);
        let copied = self
            .db
            .execute_raw(Statement::from_sql_and_values(
                DbBackend::Sqlite,
                "VACUUM INTO $1",
                [partial.to_string_lossy().into_owned().into()],
            ))
            .await;
        if let Err(e) = copied {
            let _ = std::fs::remove_file(&partial);
            return Err(StoreError::Other(format!(
                "cannot write the backup to {}: {e}",
                to.display()
            )));
        }
        let moved = std::fs::rename(&partial, to).and_then(|()| std::fs::metadata(to));
        match moved {
            Ok(meta) => Ok(meta.len()),
            Err(e) => {
                let _ = std::fs::remove_file(&partial);
                Err(StoreError::Other(format!(
                    "cannot put the backup in place at {}: {e}",
                    to.display()
                )))
            }
        }
    }
}

/// Where a backup is written until it is complete: beside its final name, in the same directory
/// (so the rename is atomic).
fn partial_path(to: &Path) -> PathBuf {
    let mut name = to.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".partial-{}", std::process::id()));
    to.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use crate::Store;
    use crate::testing::fresh_store;

    #[tokio::test]
    async fn a_backup_is_a_database_with_the_same_data_and_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let source = Store::connect(&format!("sqlite://{}", dir.path().join("a.db").display()))
            .await
            .unwrap();
        source.migrate().await.unwrap();
        source.load_reference_fixtures().await.unwrap();
        source.load_demo_fixtures().await.unwrap();
        let to = dir.path().join("copy.db");
        let bytes = source.backup_sqlite_to(&to).await.unwrap();
        assert!(bytes > 0);
        assert!(
            source.backup_sqlite_to(&to).await.is_err(),
            "refuses to overwrite"
        );
        let copy = Store::connect(&format!("sqlite://{}", to.display()))
            .await
            .unwrap();
        let count = |s: Store| async move {
            let mut pages = s.pledge_pages(&crate::PledgeFilter::default());
            let mut n = 0;
            while let Some(page) = pages.next_page().await.unwrap() {
                n += page.len();
            }
            n
        };
        let (a, b) = (count(source).await, count(copy).await);
        assert!(a > 0);
        assert_eq!(a, b);
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().contains(".partial-"))
            .collect();
        assert!(leftovers.is_empty());
    }

    #[tokio::test]
    async fn postgres_is_pointed_to_pg_dump() {
        if crate::testing::postgres_or_not_run("postgres backup refusal").is_none() {
            return;
        }
        let store = fresh_store("postgres").await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        let err = store
            .backup_sqlite_to(&dir.path().join("x.db"))
            .await
            .unwrap_err();
        assert!(err.to_string().contains("pg_dump"), "{err}");
    }
}
