//! The transaction a pledge import runs in: sea-orm's own on SQLite, sqlx's on PostgreSQL so
//! that new pledges can be loaded with `COPY` (see `postgres_txn.rs`).

use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseConnectionType, DatabaseTransaction, DbBackend,
    DbErr, ExecResult, QueryResult, SqliteTransactionMode, Statement, TransactionOptions,
    TransactionTrait,
};

use crate::postgres_txn::PostgresTxn;

/// An import's transaction, on either backend; sea-orm's queries run on it like on any
/// connection.
pub(crate) enum ImportTxn {
    Orm(DatabaseTransaction),
    Postgres(PostgresTxn),
}

impl ImportTxn {
    /// Begins the import's transaction; on SQLite, with `take_writer`, it holds the writer from
    /// the start (`BEGIN IMMEDIATE`, waiting the busy timeout for another writer to finish).
    pub(crate) async fn begin(db: &DatabaseConnection, take_writer: bool) -> Result<Self, DbErr> {
        if matches!(
            db.inner,
            DatabaseConnectionType::SqlxPostgresPoolConnection(_)
        ) {
            let pool = db.get_postgres_connection_pool();
            return Ok(Self::Postgres(PostgresTxn::begin(pool).await?));
        }
        let mode = take_writer.then_some(SqliteTransactionMode::Immediate);
        let options = TransactionOptions {
            sqlite_transaction_mode: mode,
            ..TransactionOptions::default()
        };
        Ok(Self::Orm(db.begin_with_options(options).await?))
    }

    pub(crate) async fn commit(self) -> Result<(), DbErr> {
        match self {
            Self::Orm(t) => t.commit().await,
            Self::Postgres(t) => t.commit().await,
        }
    }

    pub(crate) async fn rollback(self) -> Result<(), DbErr> {
        match self {
            Self::Orm(t) => t.rollback().await,
            Self::Postgres(t) => t.rollback().await,
        }
    }

    /// The PostgreSQL transaction, which can `COPY`; `None` on other backends.
    pub(crate) fn postgres(&self) -> Option<&PostgresTxn> {
        match self {
            Self::Orm(_) => None,
            Self::Postgres(t) => Some(t),
        }
    }
}

#[async_trait::async_trait]
impl ConnectionTrait for ImportTxn {
    fn get_database_backend(&self) -> DbBackend {
        match self {
            Self::Orm(t) => t.get_database_backend(),
            Self::Postgres(t) => t.get_database_backend(),
        }
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        match self {
            Self::Orm(t) => t.execute_raw(stmt).await,
            Self::Postgres(t) => t.execute_raw(stmt).await,
        }
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        match self {
            Self::Orm(t) => t.execute_unprepared(sql).await,
            Self::Postgres(t) => t.execute_unprepared(sql).await,
        }
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        match self {
            Self::Orm(t) => t.query_one_raw(stmt).await,
            Self::Postgres(t) => t.query_one_raw(stmt).await,
        }
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        match self {
            Self::Orm(t) => t.query_all_raw(stmt).await,
            Self::Postgres(t) => t.query_all_raw(stmt).await,
        }
    }
}
