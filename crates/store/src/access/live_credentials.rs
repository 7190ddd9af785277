//! Whether credentials that were live when an event stream opened are live still: one query
//! for any number of streams, so a process with hundreds of open boards checks them all at
//! once.

use std::collections::HashSet;

use sea_orm::{ConnectionTrait, Statement, Value};

use crate::access::tokens::hash;
use crate::clock::now;
use crate::{Store, StoreError};

/// Values bound in one `IN (…)` list: far below either backend's bind limit, and a few
/// hundred open boards fit in one statement.
pub(crate) const IDS_PER_STATEMENT: usize = 500;

/// A web session as a stream remembers it: the hash of its id, never the id itself.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SessionKey(String);

impl SessionKey {
    /// The key of the session whose id a cookie carries.
    pub fn of(session: &str) -> Self {
        Self(hash(session.trim()))
    }
}

impl Store {
    /// Which of these tokens are still live (not revoked).
    pub async fn live_tokens(&self, ids: &[i64]) -> Result<HashSet<i64>, StoreError> {
        let mut live = HashSet::new();
        for chunk in ids.chunks(IDS_PER_STATEMENT) {
            let sql = format!(
                "SELECT id FROM api_tokens WHERE revoked_at IS NULL AND id IN ({})",
                placeholders(1, chunk.len())
            );
            let values: Vec<Value> = chunk.iter().map(|&id| id.into()).collect();
            for row in self.query_credentials(&sql, values).await? {
                live.insert(row.try_get::<i64>("", "id")?);
            }
        }
        Ok(live)
    }

    /// Which of these sessions are still live: not logged out, not expired, and their token
    /// not revoked.
    pub async fn live_sessions(
        &self,
        keys: &[SessionKey],
    ) -> Result<HashSet<SessionKey>, StoreError> {
        let mut live = HashSet::new();
        for chunk in keys.chunks(IDS_PER_STATEMENT) {
            let sql = format!(
                "SELECT s.id_hash FROM sessions s JOIN api_tokens t ON t.id = s.token_id \
                 WHERE s.expires_at > $1 AND t.revoked_at IS NULL AND s.id_hash IN ({})",
                placeholders(2, chunk.len())
            );
            let mut values: Vec<Value> = vec![now().into()];
            values.extend(chunk.iter().map(|k| Value::from(k.0.clone())));
            for row in self.query_credentials(&sql, values).await? {
                live.insert(SessionKey(row.try_get::<String>("", "id_hash")?));
            }
        }
        Ok(live)
    }

    pub(crate) async fn query_credentials(
        &self,
        sql: &str,
        values: Vec<Value>,
    ) -> Result<Vec<sea_orm::QueryResult>, StoreError> {
        Ok(self
            .db
            .query_all_raw(Statement::from_sql_and_values(
                self.db.get_database_backend(),
                sql,
                values,
            ))
            .await?)
    }
}

/// `$first, $first+1, …` for `count` values.
pub(crate) fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_from_the_first() {
        assert_eq!(placeholders(2, 3), "$2, $3, $4");
    }

    #[test]
    fn a_session_key_is_the_hash_of_the_trimmed_id() {
        assert_eq!(SessionKey::of(" abc "), SessionKey::of("abc"));
        assert_ne!(SessionKey::of("abc").0, "abc");
    }
}
