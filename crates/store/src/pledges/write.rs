//! Recording and changing pledges. Every change writes, in its own transaction, the pledge,
//! the version it replaces, and an audit entry; a change that changes nothing writes nothing.

use chrono::{DateTime, Utc};
use pledgeboard_domain::{Actor, Catalog, NewPledge, Pledge};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect,
};

use crate::audit::{Change, record};
use crate::clock::now;
use crate::entities::{pledge, pledge_equipment, pledge_partner, pledge_version};
use crate::pledges::row::{changed_values, pledge_row, pledge_values, version_row};
use crate::{Store, StoreError};

/// What a change did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PledgeChange {
    /// The pledge was changed; this is its new version.
    Changed(Pledge),
    /// The change matched what was stored; nothing was written.
    Unchanged(Pledge),
}

impl PledgeChange {
    /// The pledge as it now stands.
    pub fn pledge(&self) -> &Pledge {
        match self {
            Self::Changed(p) | Self::Unchanged(p) => p,
        }
    }
}

/// Writes the partner and equipment rows of a pledge.
async fn insert_details<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    p: &NewPledge,
) -> Result<(), StoreError> {
    pledge_partner::Entity::insert_many(p.partners.iter().map(|partner| {
        pledge_partner::ActiveModel {
            pledge_id: Set(id),
            member_state: Set(partner.member_state.to_string()),
            role: Set(partner.role.to_string()),
        }
    }))
    .exec_without_returning(conn)
    .await?;
    pledge_equipment::Entity::insert_many(p.equipment.iter().map(|e| {
        pledge_equipment::ActiveModel {
            id: NotSet,
            pledge_id: Set(id),
            category: Set(e.category.clone()),
            description: Set(e.description.clone()),
            quantity: Set(i32::try_from(e.quantity.get()).unwrap_or(i32::MAX)),
            lease: Set(e.lease.to_string()),
        }
    }))
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

/// Inserts one pledge with its partners and equipment on `conn`; returns its id.
pub(crate) async fn insert_pledge<C: ConnectionTrait>(
    conn: &C,
    catalog: &Catalog,
    p: &NewPledge,
    by: &str,
    at: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let category = catalog.capability(p.capability.as_str())?.category;
    let mut row = pledge_row(p, category, at.date_naive(), 1, by, at)?;
    row.created_at = Set(at);
    let id = pledge::Entity::insert(row)
        .exec(conn)
        .await
        .map_err(|e| match StoreError::from(e) {
            StoreError::Conflict(_) => StoreError::Conflict(format!(
                "{} already has a pledge with reference '{}'",
                p.member_state, p.pledge_ref
            )),
            other => other,
        })?
        .last_insert_id;
    insert_details(conn, id, p).await?;
    Ok(id)
}

/// Replaces `current` by `next` on `conn` if `current` is still the stored version.
/// The UPDATE comes first so that a SQLite transaction takes the write lock before reading.
pub(crate) async fn replace_pledge<C: ConnectionTrait>(
    conn: &C,
    catalog: &Catalog,
    current: &Pledge,
    next: &NewPledge,
    by: &str,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let category = catalog.capability(next.capability.as_str())?.category;
    let row = pledge_row(
        next,
        category,
        current.registered_on,
        current.version + 1,
        by,
        at,
    )?;
    let updated = pledge::Entity::update_many()
        .set(row)
        .filter(pledge::Column::Id.eq(current.id))
        .filter(pledge::Column::Version.eq(current.version))
        .exec(conn)
        .await?;
    if updated.rows_affected == 0 {
        return Err(StoreError::Stale {
            current: current.version + 1,
        });
    }
    pledge_version::Entity::insert(version_row(current, at)?)
        .exec_without_returning(conn)
        .await?;
    if next.partners != current.partners || next.equipment != current.equipment {
        pledge_partner::Entity::delete_many()
            .filter(pledge_partner::Column::PledgeId.eq(current.id))
            .exec(conn)
            .await?;
        pledge_equipment::Entity::delete_many()
            .filter(pledge_equipment::Column::PledgeId.eq(current.id))
            .exec(conn)
            .await?;
        insert_details(conn, current.id, next).await?;
    }
    Ok(())
}

impl Store {
    /// Records a new pledge for `actor`; a taken (member state, reference) is a conflict.
    pub async fn create_pledge(
        &self,
        catalog: &Catalog,
        p: &NewPledge,
        actor: &Actor,
    ) -> Result<Pledge, StoreError> {
        let at = now();
        let txn = self.begin_write().await?;
        let id = insert_pledge(&txn, catalog, p, &actor.name, at).await?;
        let created = crate::pledges::read::find_on(&txn, id).await?;
        record(
            &txn,
            Change {
                actor,
                action: "create",
                entity: "pledge",
                entity_id: id.to_string(),
                before: None,
                after: Some(pledge_values(&created)),
                at,
            },
        )
        .await?;
        crate::data_version::commit_change(txn).await?;
        Ok(created)
    }

    /// Changes `current` into `next` if `current` is still the stored version; otherwise the
    /// change is refused as stale and nothing is written. `action` names it in the audit trail
    /// ("update", "withdraw", "reinstate").
    pub async fn update_pledge(
        &self,
        catalog: &Catalog,
        current: &Pledge,
        next: &NewPledge,
        actor: &Actor,
        action: &str,
    ) -> Result<PledgeChange, StoreError> {
        if current.to_new() == *next {
            return Ok(PledgeChange::Unchanged(current.clone()));
        }
        let at = now();
        let txn = self.begin_write().await?;
        replace_pledge(&txn, catalog, current, next, &actor.name, at).await?;
        let changed = crate::pledges::read::find_on(&txn, current.id).await?;
        let (before, after) = changed_values(current, &changed)?;
        record(
            &txn,
            Change {
                actor,
                action,
                entity: "pledge",
                entity_id: current.id.to_string(),
                before: Some(before),
                after: Some(after),
                at,
            },
        )
        .await?;
        crate::data_version::commit_change(txn).await?;
        Ok(PledgeChange::Changed(changed))
    }

    /// Adds the pledges whose (member state, reference) is not yet stored, in one
    /// transaction; returns how many were added.
    pub(crate) async fn insert_missing_pledges(
        &self,
        catalog: &Catalog,
        pledges: &[NewPledge],
        by: &str,
    ) -> Result<u64, StoreError> {
        let txn = self.begin_write().await?;
        let existing: std::collections::HashSet<(String, String)> = pledge::Entity::find()
            .select_only()
            .column(pledge::Column::MemberState)
            .column(pledge::Column::PledgeRef)
            .into_tuple::<(String, String)>()
            .all(&txn)
            .await?
            .into_iter()
            .collect();
        let at = now();
        let mut added = 0;
        for p in pledges {
            if !existing.contains(&(p.member_state.to_string(), p.pledge_ref.to_string())) {
                insert_pledge(&txn, catalog, p, by, at).await?;
                added += 1;
            }
        }
        if added > 0 {
            crate::data_version::raise(&txn).await?;
        }
        txn.commit().await?;
        Ok(added)
    }
}
