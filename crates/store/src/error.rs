//! Store errors: what went wrong in words the HTTP layer can map to a status, once.

use sea_orm::{DbErr, SqlErr};
use thiserror::Error;

/// Why a store operation failed.
#[derive(Debug, Error)]
pub enum StoreError {
    /// The thing asked for does not exist.
    #[error("{0} not found")]
    NotFound(String),
    /// A unique key is already taken.
    #[error("{0}")]
    Conflict(String),
    /// The version the client based its change on is no longer current.
    #[error("pledge was changed by someone else: it is now at version {current}")]
    Stale { current: i32 },
    /// The request asks for something the rules refuse (e.g. a delegate token without a state).
    #[error("{0}")]
    Invalid(String),
    /// The database could not be reached.
    #[error("the database is unavailable: {0}")]
    Unavailable(String),
    /// Stored data did not make a valid domain value (a bug or a hand-edited database).
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
    /// Anything else the database said.
    #[error("database error: {0}")]
    Other(String),
}

impl From<DbErr> for StoreError {
    fn from(e: DbErr) -> Self {
        if let Some(SqlErr::UniqueConstraintViolation(detail)) = e.sql_err() {
            return Self::Conflict(detail);
        }
        match e {
            DbErr::Conn(_) | DbErr::ConnectionAcquire(_) => Self::Unavailable(e.to_string()),
            DbErr::RecordNotFound(what) => Self::NotFound(what),
            other => Self::Other(other.to_string()),
        }
    }
}

impl From<pledgeboard_domain::DomainError> for StoreError {
    fn from(e: pledgeboard_domain::DomainError) -> Self {
        Self::Corrupt(e.to_string())
    }
}
