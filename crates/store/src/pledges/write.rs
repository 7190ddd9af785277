//! Recording and changing pledges: the store's entry points and the statements of one write
//! (`change.rs` puts them together with the audit entry and the data version). A change that
//! changes nothing writes nothing.

use chrono::{DateTime, Utc};
use pledgeboard_domain::{Actor, Catalog, Category, NewPledge, Pledge, message};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect,
};

use crate::clock::now;
use crate::entities::{pledge, pledge_equipment, pledge_partner, pledge_version};
use crate::pledges::change::{CommittedPledge, PledgeChange, PledgeWrite};
use crate::pledges::row::{pledge_row, version_row};
use crate::{Store, StoreError};

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
    category: Category,
    p: &NewPledge,
    by: &str,
    at: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let mut row = pledge_row(p, category, at.date_naive(), 1, by, at)?;
    row.created_at = Set(at);
    let id = pledge::Entity::insert(row)
        .exec(conn)
        .await
        .map_err(|e| match StoreError::from(e) {
            StoreError::Conflict(_) => StoreError::Conflict(message!(
                "err-conflict-pledge-ref",
                "{state} already has a pledge with reference '{reference}'",
                state = &p.member_state,
                reference = &p.pledge_ref
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
    category: Category,
    current: &Pledge,
    next: &NewPledge,
    by: &str,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
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
    ) -> Result<CommittedPledge, StoreError> {
        let category = catalog.capability(p.capability.as_str())?.category;
        self.write_pledge(PledgeWrite::Create {
            category,
            pledge: p.clone(),
            actor: actor.clone(),
        })
        .await
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
        let category = catalog.capability(next.capability.as_str())?.category;
        let committed = self
            .write_pledge(PledgeWrite::Change {
                category,
                current: Box::new(current.clone()),
                next: next.clone(),
                actor: actor.clone(),
                action: action.to_owned(),
            })
            .await?;
        Ok(PledgeChange::Changed(committed))
    }

    /// Commits one pledge write: on SQLite through the writer task, which commits the queued
    /// writes in groups (`write_queue/`); on PostgreSQL, where several writers work at once,
    /// in a transaction of its own.
    pub(crate) async fn write_pledge(
        &self,
        write: PledgeWrite,
    ) -> Result<CommittedPledge, StoreError> {
        self.writer.check()?;
        let write = match &self.write_queue {
            Some(queue) => match queue.submit(write).await {
                Ok(answer) => return answer,
                // The writer task is gone (its runtime ended): write on this task instead.
                Err(write) => write,
            },
            None => write,
        };
        let txn = self.begin_write().await?;
        let committed = write.apply(&txn).await?;
        txn.commit().await?;
        Ok(committed)
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
                let category = catalog.capability(p.capability.as_str())?.category;
                insert_pledge(&txn, category, p, by, at).await?;
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
