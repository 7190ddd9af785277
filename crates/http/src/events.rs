//! What changed: the event the services publish after each committed write, which
//! `GET /api/v1/events` (`api/event_stream.rs`) streams to live boards.

use serde::Serialize;
use utoipa::ToSchema;

/// One change, as sent to live boards.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChangeEvent {
    /// `pledge`, `requirement`, `milestone` (an admin's deletion of one; recording one is
    /// a change of its `pledge`, action `milestone`) or `reference` (reference data: member
    /// states, capabilities, missions, conferences; id and version 0).
    pub entity: &'static str,
    pub id: i64,
    /// The version after the change (for a deletion, the last version).
    pub version: i32,
    /// `create`, `update`, `withdraw`, `reinstate`, `milestone`, `delete` or `import`.
    pub action: &'static str,
    /// The database's data version once the change had committed (`store/data_version.rs`):
    /// read right after the commit, so at least the version the change committed as. A board
    /// whose page carries an older version fetches the board again.
    pub data_version: i64,
}

/// What a live board is sent: a change, or word that it may have missed some.
#[derive(Debug, Clone)]
pub enum LiveEvent {
    Change(ChangeEvent),
    /// Changes may have been missed (the link to the other instances was lost and is back):
    /// the board fetches itself again. Says why.
    Resync(&'static str),
}

/// The entities a change event may name.
const ENTITIES: [&str; 4] = ["pledge", "requirement", "milestone", "reference"];
/// The actions a change event may name.
const ACTIONS: [&str; 7] = [
    "create",
    "update",
    "withdraw",
    "reinstate",
    "milestone",
    "delete",
    "import",
];

/// A change event as told to the other instances on the database (`event_relay.rs`):
/// which instance told it, and the event.
#[derive(Debug, Serialize, serde::Deserialize)]
struct Wire {
    from: u64,
    entity: String,
    id: i64,
    version: i32,
    action: String,
    data_version: i64,
}

impl ChangeEvent {
    /// The message telling the other instances about this change, sent by instance `from`.
    pub fn to_wire(&self, from: u64) -> String {
        let wire = Wire {
            from,
            entity: self.entity.to_owned(),
            id: self.id,
            version: self.version,
            action: self.action.to_owned(),
            data_version: self.data_version,
        };
        serde_json::to_string(&wire).unwrap_or_default()
    }

    /// The change another instance told, with the instance that told it; `None` for a
    /// message this binary does not understand (from a newer or older version).
    pub fn from_wire(message: &str) -> Option<(u64, ChangeEvent)> {
        let wire: Wire = serde_json::from_str(message).ok()?;
        let known = |list: &[&'static str], name: &str| list.iter().copied().find(|k| *k == name);
        Some((
            wire.from,
            ChangeEvent {
                entity: known(&ENTITIES, &wire.entity)?,
                id: wire.id,
                version: wire.version,
                action: known(&ACTIONS, &wire.action)?,
                data_version: wire.data_version,
            },
        ))
    }
}

/// The changes published in this process, as a subscriber of [`crate::AppState::subscribe`]
/// receives them (resyncs skipped): what tests and in-process consumers read.
pub struct Changes {
    events: tokio::sync::broadcast::Receiver<LiveEvent>,
}

impl Changes {
    pub(crate) fn new(events: tokio::sync::broadcast::Receiver<LiveEvent>) -> Self {
        Self { events }
    }

    /// The next change, waiting for it.
    pub async fn recv(&mut self) -> Result<ChangeEvent, tokio::sync::broadcast::error::RecvError> {
        loop {
            if let LiveEvent::Change(change) = self.events.recv().await? {
                return Ok(change);
            }
        }
    }

    /// The next change if one is waiting.
    pub fn try_recv(&mut self) -> Result<ChangeEvent, tokio::sync::broadcast::error::TryRecvError> {
        loop {
            if let LiveEvent::Change(change) = self.events.try_recv()? {
                return Ok(change);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_crosses_to_another_instance_unchanged() {
        let event = ChangeEvent {
            entity: "pledge",
            id: 7,
            version: 3,
            action: "withdraw",
            data_version: 42,
        };
        let (from, back) =
            ChangeEvent::from_wire(&event.to_wire(99)).unwrap_or_else(|| panic!("not understood"));
        assert_eq!(from, 99);
        assert_eq!(
            (
                back.entity,
                back.id,
                back.version,
                back.action,
                back.data_version
            ),
            ("pledge", 7, 3, "withdraw", 42)
        );
    }

    #[test]
    fn a_message_this_binary_does_not_know_is_ignored() {
        assert!(ChangeEvent::from_wire("not json").is_none());
        let unknown =
            r#"{"from":1,"entity":"treaty","id":1,"version":1,"action":"create","data_version":1}"#;
        assert!(ChangeEvent::from_wire(unknown).is_none());
    }
}
