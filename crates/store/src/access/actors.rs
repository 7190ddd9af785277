//! Who a presented token or session id belongs to: looked up in batches
//! (`lookup_batch.rs`), so that the requests of hundreds of live boards arriving together
//! cost one statement, not one each. Each caller still gets exactly its own answer: a token
//! revoked, or a session expired or logged out, before the batch's statement began is not found.

use std::collections::HashMap;

use pledgeboard_domain::{Actor, MemberStateCode};
use sea_orm::{QueryResult, Value};

use crate::access::live_credentials::{IDS_PER_STATEMENT, placeholders};
use crate::access::tokens::hash;
use crate::clock::now;
use crate::lookup_batch::LookupBatches;
use crate::{Store, StoreError};

/// The batched look-ups of one store, shared by its clones.
#[derive(Default)]
pub(crate) struct ActorLookups {
    /// By the hash of a bearer token.
    tokens: LookupBatches<String, Actor>,
    /// By the hash of a session id.
    sessions: LookupBatches<String, Actor>,
}

impl std::fmt::Debug for ActorLookups {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ActorLookups").finish_non_exhaustive()
    }
}

/// Live tokens by hash; `{keys}` stands for the placeholders of the hashes.
const TOKENS: &str = "SELECT token_hash AS lookup_key, id, name, role, member_state \
    FROM api_tokens WHERE revoked_at IS NULL AND token_hash IN ({keys})";
/// Live sessions by hash (not expired at `$1`, their token not revoked).
const SESSIONS: &str = "SELECT s.id_hash AS lookup_key, t.id, t.name, t.role, t.member_state \
    FROM sessions s JOIN api_tokens t ON t.id = s.token_id \
    WHERE s.expires_at > $1 AND t.revoked_at IS NULL AND s.id_hash IN ({keys})";

fn actor_of(row: &QueryResult) -> Result<Actor, StoreError> {
    let state: Option<String> = row.try_get("", "member_state")?;
    Ok(Actor {
        token_id: row.try_get("", "id")?,
        name: row.try_get("", "name")?,
        role: row.try_get::<String>("", "role")?.parse()?,
        member_state: state.as_deref().map(MemberStateCode::parse).transpose()?,
    })
}

impl Store {
    /// The actor a presented secret belongs to, if it is a live token.
    pub async fn authenticate(&self, secret: &str) -> Result<Option<Actor>, StoreError> {
        let key = hash(secret.trim());
        self.actor_lookups
            .tokens
            .get(key, |keys| self.actors_by_key(TOKENS, Vec::new(), keys))
            .await
    }

    /// The actor of a live session (its token not revoked, the session not expired).
    pub async fn session_actor(&self, session: &str) -> Result<Option<Actor>, StoreError> {
        let key = hash(session.trim());
        self.actor_lookups
            .sessions
            .get(key, |keys| {
                // The time is taken when the batch begins, after each of its callers arrived.
                self.actors_by_key(SESSIONS, vec![now().into()], keys)
            })
            .await
    }

    /// Runs `sql` for `keys` (in statements of at most [`IDS_PER_STATEMENT`]), after the
    /// `leading` values; the actors found, by `lookup_key`.
    async fn actors_by_key(
        &self,
        sql: &str,
        leading: Vec<Value>,
        keys: Vec<String>,
    ) -> Result<HashMap<String, Actor>, StoreError> {
        let mut found = HashMap::with_capacity(keys.len());
        for chunk in keys.chunks(IDS_PER_STATEMENT) {
            let sql = sql.replace("{keys}", &placeholders(leading.len() + 1, chunk.len()));
            let mut values = leading.clone();
            values.extend(chunk.iter().map(|k| Value::from(k.clone())));
            for row in self.query_credentials(&sql, values).await? {
                found.insert(row.try_get::<String>("", "lookup_key")?, actor_of(&row)?);
            }
        }
        Ok(found)
    }
}
