//! One pledge write as a unit: what it needs, owned, so that it can wait in SQLite's writer
//! queue (`write_queue/`) — [`PledgeWrite`]; how it is written on a transaction or a
//! savepoint — the pledge, the version it replaces, an audit entry, and one more data
//! version; and what it leaves — [`CommittedPledge`], [`PledgeChange`]. Recording a milestone
//! is such a write too: the pledge's next version (raised where the milestone implies it)
//! with the milestone beside it.

use pledgeboard_domain::{Actor, Category, Milestone, NewMilestone, NewPledge, Pledge};
use sea_orm::ConnectionTrait;

use crate::StoreError;
use crate::audit::{Change, record};
use crate::clock::now;
use crate::milestones::{insert_milestone, milestone_values};
use crate::pledges::row::{changed_values, pledge_values};
use crate::pledges::write::{insert_pledge, replace_pledge};

/// A pledge as a committed change left it, and the data version that change committed as
/// (each change has its own: `data_version.rs`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommittedPledge {
    pub pledge: Pledge,
    pub data_version: i64,
    /// The milestone this change recorded, for a milestone's write.
    pub milestone: Option<Milestone>,
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
    /// `milestone` recorded on `current`, which becomes `next` (raised, or as it was), with
    /// `reason` saying what the recording did; audited as "milestone".
    Milestone {
        category: Category,
        current: Box<Pledge>,
        next: NewPledge,
        milestone: NewMilestone,
        reason: String,
        actor: Actor,
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
        let mut recorded = None;
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
            Self::Milestone {
                category,
                current,
                next,
                milestone,
                reason,
                actor,
            } => {
                replace_pledge(conn, *category, current, next, &actor.name, at).await?;
                let changed = crate::pledges::read::find_on(conn, current.id).await?;
                recorded = Some(
                    insert_milestone(
                        conn,
                        current.id,
                        changed.version,
                        milestone,
                        reason,
                        &actor.name,
                        at,
                    )
                    .await?,
                );
                (actor, "milestone", current.id, Some(&**current), changed)
            }
        };
        let (before, mut after) = match before {
            None => (None, pledge_values(&pledge)),
            Some(current) => {
                let (before, after) = changed_values(current, &pledge)?;
                (Some(before), after)
            }
        };
        if let (Some(m), Some(fields)) = (&recorded, after.as_object_mut()) {
            fields.insert("milestone".to_owned(), milestone_values(m));
        }
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
            milestone: recorded,
        })
    }
}
