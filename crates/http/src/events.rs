//! What changed: the event the services publish after each committed write, which
//! `GET /api/v1/events` (`api/event_stream.rs`) streams to live boards.

use serde::Serialize;
use utoipa::ToSchema;

/// One change, as sent to live boards.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChangeEvent {
    /// `pledge`, `requirement` or `milestone` (an admin's deletion of one; recording one is
    /// a change of its `pledge`, action `milestone`).
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
