//! Changes told across the instances that share one PostgreSQL database, through
//! `LISTEN`/`NOTIFY` on one channel ([`CHANNEL`]). Each instance announces the changes it
//! committed and listens for the others'; what a message says is the HTTP layer's business
//! (`events.rs`), the store only carries text. On SQLite there is one instance per file, so
//! there is nothing to announce and no one to listen to.
//!
//! Notifications are not stored: a listener that loses its connection misses what was sent
//! meanwhile, and says so ([`Heard::Lost`]) so that its clients can catch up.

use sea_orm::sqlx::postgres::PgListener;
use sea_orm::{ConnectionTrait, Statement};

use crate::connect::Backend;
use crate::{Store, StoreError};

/// The notification channel of Pledgeboard's changes.
pub const CHANNEL: &str = "pledgeboard_changes";
/// PostgreSQL refuses a notification payload of 8,000 bytes or more.
pub const MAX_PAYLOAD_BYTES: usize = 7_999;

/// What a listener heard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Heard {
    /// A message another instance (or this one) announced.
    Message(String),
    /// The connection was lost; messages sent until a new listener connects are missed.
    Lost,
}

/// A connection listening on [`CHANNEL`].
pub struct ChangeListener {
    listener: PgListener,
}

impl ChangeListener {
    /// The next message, or [`Heard::Lost`] once the connection is gone (then open a new
    /// listener, and tell whoever depends on it that messages may have been missed).
    pub async fn next(&mut self) -> Heard {
        match self.listener.try_recv().await {
            Ok(Some(notification)) => Heard::Message(notification.payload().to_owned()),
            Ok(None) => Heard::Lost,
            Err(e) => {
                tracing::warn!(error = %e, "the change listener's connection failed");
                Heard::Lost
            }
        }
    }
}

impl Store {
    /// Tells every instance listening on this database about `messages`, in order, in one
    /// statement (at most a few hundred at a time); each must stay under [`MAX_PAYLOAD_BYTES`]. Does nothing on SQLite.
    pub async fn announce(&self, messages: &[String]) -> Result<(), StoreError> {
        if self.backend() == Backend::Sqlite || messages.is_empty() {
            return Ok(());
        }
        if let Some(long) = messages.iter().find(|m| m.len() > MAX_PAYLOAD_BYTES) {
            return Err(StoreError::Invalid(format!(
                "a change message of {} bytes is over PostgreSQL's limit",
                long.len()
            )));
        }
        // One row of `pg_notify` calls, evaluated in order: `SELECT pg_notify($1, $2),
        // pg_notify($1, $3), …`.
        let calls: Vec<String> = (0..messages.len())
            .map(|i| format!("pg_notify($1, ${})", i + 2))
            .collect();
        let values = std::iter::once(CHANNEL.to_owned())
            .chain(messages.iter().cloned())
            .map(sea_orm::Value::from);
        self.db
            .execute_raw(Statement::from_sql_and_values(
                self.db.get_database_backend(),
                format!("SELECT {}", calls.join(", ")),
                values,
            ))
            .await?;
        Ok(())
    }

    /// A new connection listening for announced changes; `None` on SQLite.
    pub async fn listen_for_changes(&self) -> Result<Option<ChangeListener>, StoreError> {
        if self.backend() == Backend::Sqlite {
            return Ok(None);
        }
        let unavailable = |e: sea_orm::sqlx::Error| StoreError::Unavailable(e.to_string());
        let mut listener = PgListener::connect_with(self.db.get_postgres_connection_pool())
            .await
            .map_err(unavailable)?;
        // A lost connection is reported at once, not reopened first: the caller opens a new
        // listener and tells its clients that they may have missed changes.
        listener.eager_reconnect(false);
        listener.listen(CHANNEL).await.map_err(unavailable)?;
        Ok(Some(ChangeListener { listener }))
    }
}
