//! One pledge write as a unit: what it needs, owned, so that it can wait in SQLite's writer
//! queue (`write_queue/`) — [`PledgeWrite`]; how it is written on a transaction or a
//! savepoint — the pledge, the version it replaces, an audit entry, and one more data
//! version; and what it leaves — [`CommittedPledge`], [`PledgeChange`].

use pledgeboard_domain::{Actor, Category, NewPledge, Pledge};
use sea_orm::ConnectionTrait;

use crate::StoreError;
use crate::audit::{Change, record};
use crate::clock::now;
use crate::pledges::row::{changed_values, pledge_values};
use crate::pledges::write::{insert_pledge, replace_pledge};

/// A pledge as a committed change left it, and the data version that change committed as
/// (each change has its own: `data_version.rs`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommittedPledge {
    pub pledge: Pledge,
    pub data_version: i64,
}

/// What a change did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PledgeChange {
    /// The pledge was changed; this is its new version.
    Changed(CommittedPledge),
    /// The change matched what was stored; nothing was written.
    Unchanged(Pledge),
}

impl PledgeChange {
    /// The pledge as it now stands.
    pub fn pledge(&self) -> &Pledge {
        match self {
            Self::Changed(c) => &c.pledge,
            Self::Unchanged(p) => p,
        }
    }

    /// The pledge as it now stands, taken out.
    pub fn into_pledge(self) -> Pledge {
        match self {
            Self::Changed(c) => c.pledge,
            Self::Unchanged(p) => p,
        }
    }
}

/// One pledge write, everything it needs owned, so that it can wait in the writer's queue.
#[derive(Debug)]
pub(crate) enum PledgeWrite {
    /// A new pledge.
    Create {
        category: Category,
        pledge: NewPledge,
        actor: Actor,
    },
    /// `current` changed into `next`, named `action` in the audit trail.
    Change {
        category: Category,
        current: Box<Pledge>,
        next: NewPledge,
        actor: Actor,
        action: String,
    },
}

impl PledgeWrite {
    /// Writes it on `conn` — a transaction or a savepoint, which the caller commits or rolls
    /// back: the pledge, the version it replaces, its audit entry, and one more data version.
    pub(crate) async fn apply<C: ConnectionTrait>(
        &self,
        conn: &C,
    ) -> Result<CommittedPledge, StoreError> {
        let at = now();
        let (actor, action, id, before, pledge) = match self {
            Self::Create {
                category,
                pledge,
                actor,
            } => {
                let id = insert_pledge(conn, *category, pledge, &actor.name, at).await?;
                let created = crate::pledges::read::find_on(conn, id).await?;
                (actor, "create", id, None, created)
            }
            Self::Change {
                category,
                current,
                next,
                actor,
                action,
            } => {
                replace_pledge(conn, *category, current, next, &actor.name, at).await?;
                let changed = crate::pledges::read::find_on(conn, current.id).await?;
                (
                    actor,
                    action.as_str(),
                    current.id,
                    Some(&**current),
                    changed,
                )
            }
        };
        let (before, after) = match before {
            None => (None, pledge_values(&pledge)),
            Some(current) => {
                let (before, after) = changed_values(current, &pledge)?;
                (Some(before), after)
            }
        };
        record(
            conn,
            Change {
                actor,
                action,
                entity: "pledge",
                entity_id: id.to_string(),
                before,
                after: Some(after),
                at,
            },
        )
        .await?;
        let data_version = crate::data_version::raise(conn).await?;
        Ok(CommittedPledge {
            pledge,
            data_version,
        })
    }
}
