//! A PostgreSQL transaction of sqlx's own, on which sea-orm's queries run like on any
//! connection and which can also load rows with `COPY … FROM STDIN`.
//!
//! sea-orm 2.0 keeps the connection of its own transactions private, and `COPY` needs the
//! connection itself; so a pledge import on PostgreSQL begins one of these instead (see
//! `import/txn.rs`). Statements are bound exactly as sea-orm binds them (sea-query-sqlx), and
//! errors come back as the same `DbErr`s.

use std::sync::Arc;

use sea_orm::sea_query::Values;
use sea_orm::sqlx::postgres::PgRow;
use sea_orm::sqlx::{self, Executor as _, PgPool, Postgres};
use sea_orm::{ConnectionTrait, DbBackend, DbErr, ExecResult, QueryResult, RuntimeErr, Statement};
use sea_query_sqlx::SqlxValues;
use tokio::sync::Mutex;

use super::updates::Staged;

/// An open transaction; rolled back if dropped without [`PostgresTxn::commit`].
pub(crate) struct PostgresTxn {
    tx: Mutex<sqlx::Transaction<'static, Postgres>>,
    /// The import's changes staged and not yet written (`updates.rs`).
    staged: std::sync::Mutex<Option<Staged>>,
}

fn conn_err(e: sqlx::Error) -> DbErr {
    DbErr::Conn(RuntimeErr::SqlxError(Arc::new(e)))
}

fn exec_err(e: sqlx::Error) -> DbErr {
    DbErr::Exec(RuntimeErr::SqlxError(Arc::new(e)))
}

fn query_err(e: sqlx::Error) -> DbErr {
    DbErr::Query(RuntimeErr::SqlxError(Arc::new(e)))
}

/// The statement as sqlx binds it; its values are moved, not copied (an import's arrays are
/// megabytes).
fn bound(stmt: &mut Statement) -> sqlx::query::Query<'_, Postgres, SqlxValues> {
    let values = stmt.values.take().unwrap_or(Values(Vec::new()));
    sqlx::query_with(sqlx::AssertSqlSafe(stmt.sql.as_str()), SqlxValues(values))
}

impl PostgresTxn {
    /// Begins a transaction on one of the pool's connections.
    pub(crate) async fn begin(pool: &PgPool) -> Result<Self, DbErr> {
        let tx = pool.begin().await.map_err(conn_err)?;
        Ok(Self {
            tx: Mutex::new(tx),
            staged: std::sync::Mutex::new(None),
        })
    }

    /// The changes staged by the batches so far, handed over (none are left staged).
    pub(crate) fn take_staged(&self) -> Option<Staged> {
        self.staged_slot().take()
    }

    /// Keeps `staged` as the changes staged so far.
    pub(crate) fn keep_staged(&self, staged: Staged) {
        *self.staged_slot() = Some(staged);
    }

    /// The slot of the staged changes. Nothing in its short-lived guards can panic, but were one
    /// poisoned, what it holds is still the truth.
    fn staged_slot(&self) -> std::sync::MutexGuard<'_, Option<Staged>> {
        self.staged.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) async fn commit(self) -> Result<(), DbErr> {
        self.tx.into_inner().commit().await.map_err(exec_err)
    }

    pub(crate) async fn rollback(self) -> Result<(), DbErr> {
        self.tx.into_inner().rollback().await.map_err(exec_err)
    }

    /// The rows `stmt` answers, as sqlx decodes them (see `stored.rs`).
    pub(crate) async fn fetch_rows(&self, mut stmt: Statement) -> Result<Vec<PgRow>, DbErr> {
        let mut tx = self.tx.lock().await;
        bound(&mut stmt)
            .fetch_all(&mut **tx)
            .await
            .map_err(query_err)
    }

    /// Runs `statement` (a `COPY … FROM STDIN`) with `data` as its whole input; returns the
    /// rows copied.
    pub(crate) async fn copy_in(&self, statement: &str, data: &[u8]) -> Result<u64, DbErr> {
        let mut tx = self.tx.lock().await;
        let mut copy = tx.copy_in_raw(statement).await.map_err(exec_err)?;
        if let Err(e) = copy.send(data).await {
            // The connection is most likely gone; tell the server if it is not.
            let _ = copy.abort(e.to_string()).await;
            return Err(exec_err(e));
        }
        copy.finish().await.map_err(exec_err)
    }
}

#[async_trait::async_trait]
impl ConnectionTrait for PostgresTxn {
    fn get_database_backend(&self) -> DbBackend {
        DbBackend::Postgres
    }

    async fn execute_raw(&self, mut stmt: Statement) -> Result<ExecResult, DbErr> {
        let mut tx = self.tx.lock().await;
        let done = bound(&mut stmt).execute(&mut **tx).await;
        done.map(ExecResult::from).map_err(exec_err)
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        let mut tx = self.tx.lock().await;
        let done = tx.execute(sqlx::AssertSqlSafe(sql.to_owned())).await;
        done.map(ExecResult::from).map_err(exec_err)
    }

    async fn query_one_raw(&self, mut stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        let mut tx = self.tx.lock().await;
        let row = bound(&mut stmt).fetch_optional(&mut **tx).await;
        row.map(|r| r.map(QueryResult::from)).map_err(query_err)
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        let rows = self.fetch_rows(stmt).await?;
        Ok(rows.into_iter().map(QueryResult::from).collect())
    }
}
