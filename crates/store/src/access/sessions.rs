//! Web sessions: random ids kept in a cookie, stored only as hashes, tied to a live token.

use chrono::Duration;
use pledgeboard_domain::Actor;
use sea_orm::{ConnectionTrait, Statement, Value};

use crate::access::tokens::{hash, new_secret};
use crate::clock::now;
use crate::{Store, StoreError};

/// How long a web session lasts: a conference day and its evening.
pub const SESSION_HOURS: i64 = 16;

impl Store {
    /// Opens a session for a live token and returns the session id for the cookie.
    pub async fn create_session(&self, actor: &Actor) -> Result<String, StoreError> {
        let secret = new_secret()?;
        let at = now();
        let sql = "INSERT INTO sessions (id_hash, token_id, created_at, expires_at) VALUES ($1, $2, $3, $4)";
        let values: Vec<Value> = vec![
            hash(&secret).into(),
            actor.token_id.into(),
            at.into(),
            (at + Duration::hours(SESSION_HOURS)).into(),
        ];
        self.db
            .execute_raw(Statement::from_sql_and_values(
                self.db.get_database_backend(),
                sql,
                values,
            ))
            .await?;
        Ok(secret)
    }

    /// Ends a session (logging out); ending an unknown one is harmless.
    pub async fn end_session(&self, session: &str) -> Result<(), StoreError> {
        let sql = "DELETE FROM sessions WHERE id_hash = $1";
        self.db
            .execute_raw(Statement::from_sql_and_values(
                self.db.get_database_backend(),
                sql,
                [hash(session.trim()).into()],
            ))
            .await?;
        Ok(())
    }
}
