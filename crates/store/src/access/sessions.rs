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

    /// The actor of a live session (its token not revoked, the session not expired).
    pub async fn session_actor(&self, session: &str) -> Result<Option<Actor>, StoreError> {
        let sql = "SELECT t.id, t.name, t.role, t.member_state FROM sessions s JOIN api_tokens t ON t.id = s.token_id \
                   WHERE s.id_hash = $1 AND s.expires_at > $2 AND t.revoked_at IS NULL";
        let values: Vec<Value> = vec![hash(session.trim()).into(), now().into()];
        let row = self
            .db
            .query_one_raw(Statement::from_sql_and_values(
                self.db.get_database_backend(),
                sql,
                values,
            ))
            .await?;
        let Some(r) = row else { return Ok(None) };
        let state: Option<String> = r.try_get("", "member_state")?;
        Ok(Some(Actor {
            token_id: r.try_get("", "id")?,
            name: r.try_get("", "name")?,
            role: r.try_get::<String>("", "role")?.parse()?,
            member_state: state
                .as_deref()
                .map(pledgeboard_domain::MemberStateCode::parse)
                .transpose()?,
        }))
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
