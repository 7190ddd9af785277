//! Store errors: what went wrong in words the HTTP layer can map to a status, once.

use pledgeboard_domain::{Message, message};
use sea_orm::sqlx::{self, sqlite::SqliteError};
use sea_orm::{DbErr, RuntimeErr, SqlErr};
use thiserror::Error;

/// Why a store operation failed.
#[derive(Debug, Clone, Error)]
pub enum StoreError {
    /// The thing asked for does not exist: what it is ("pledge 42"), in words a planner's
    /// language can say.
    #[error("{0} not found")]
    NotFound(Message),
    /// A unique key is already taken, said in words a planner's language can say.
    #[error("{0}")]
    Conflict(Message),
    /// The version the client based its change on is no longer current.
    #[error("pledge was changed by someone else: it is now at version {current}")]
    Stale { current: i32 },
    /// The request asks for something the rules refuse (e.g. a delegate token without a state).
    #[error("{0}")]
    Invalid(String),
    /// The database could not be reached.
    #[error("the database is unavailable: {0}")]
    Unavailable(String),
    /// SQLite's one writer is taken (by an import) for longer than a write should wait; the
    /// same write can succeed a little later.
    #[error("{0}")]
    Busy(String),
    /// Stored data did not make a valid domain value (a bug or a hand-edited database).
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
    /// The database has run a migration this binary does not know: a newer Pledgeboard
    /// set it up.
    #[error(
        "the database's schema is at version {database}, newer than this binary's {binary}: \
         run the newer Pledgeboard that set it up (or restore a backup made with this one)"
    )]
    SchemaAhead { database: String, binary: String },
    /// Anything else the database said.
    #[error("database error: {0}")]
    Other(String),
}

/// A second pledge superseding one pledge, refused by `pledges_successor_idx` (the check
/// before the write passed for both, at the same moment).
fn second_successor() -> Message {
    message!(
        "err-conflict-second-successor",
        "another pledge was just recorded as re-announcing the same earlier pledge, and a pledge \
         is re-announced only once; nothing was saved: reload to see which, and supersede that \
         one instead"
    )
}

impl From<DbErr> for StoreError {
    fn from(e: DbErr) -> Self {
        if let Some(SqlErr::UniqueConstraintViolation(detail)) = e.sql_err() {
            // PostgreSQL names the index; SQLite names its columns.
            if detail.contains("pledges_successor_idx") || detail.contains("pledges.supersedes_ref")
            {
                return Self::Conflict(second_successor());
            }
            // The database's own words: callers that know the key replace them.
            return Self::Conflict(Message::text(detail));
        }
        if is_sqlite_busy(&e) {
            return Self::Busy(
                "the database is busy with another import; try again in a few seconds".into(),
            );
        }
        if is_connection_lost(&e) {
            return Self::Unavailable(e.to_string());
        }
        match e {
            DbErr::Conn(_) | DbErr::ConnectionAcquire(_) => Self::Unavailable(e.to_string()),
            DbErr::RecordNotFound(what) => Self::NotFound(Message::text(what)),
            other => Self::Other(other.to_string()),
        }
    }
}

/// The sqlx error under a statement's or a connection's error, if any.
fn sqlx_error(e: &DbErr) -> Option<&sqlx::Error> {
    match e {
        DbErr::Conn(RuntimeErr::SqlxError(s))
        | DbErr::Exec(RuntimeErr::SqlxError(s))
        | DbErr::Query(RuntimeErr::SqlxError(s)) => Some(s.as_ref()),
        _ => None,
    }
}

/// Whether a statement failed because the database went away under it (its connection was
/// cut, the server is shutting down or not yet accepting connections), rather than because
/// of what it asked: the same request can succeed once the database is back.
fn is_connection_lost(e: &DbErr) -> bool {
    match sqlx_error(e) {
        Some(
            sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::Protocol(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed,
        ) => true,
        // PostgreSQL's classes 08 (connection exception) and 57P (operator intervention:
        // admin shutdown, crash shutdown, cannot connect now).
        Some(sqlx::Error::Database(database)) => database
            .code()
            .is_some_and(|c| c.starts_with("08") || c.starts_with("57P")),
        _ => false,
    }
}

/// Whether SQLite answered `SQLITE_BUSY` (or one of its extended codes, such as
/// `SQLITE_BUSY_SNAPSHOT`): another connection holds the writer.
fn is_sqlite_busy(e: &DbErr) -> bool {
    /// SQLite's primary result code for a database locked by another connection.
    const SQLITE_BUSY: i64 = 5;
    let Some(sqlx::Error::Database(database)) = sqlx_error(e) else {
        return false;
    };
    database.try_downcast_ref::<SqliteError>().is_some()
        && database
            .code()
            .and_then(|c| c.parse::<i64>().ok())
            .is_some_and(|c| c & 0xff == SQLITE_BUSY)
}

impl From<pledgeboard_domain::DomainError> for StoreError {
    fn from(e: pledgeboard_domain::DomainError) -> Self {
        Self::Corrupt(e.to_string())
    }
}
