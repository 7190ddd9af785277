//! Milestones on pledges: reading a pledge's timeline, recording one (a pledge write like any
//! other — `pledges/change.rs`'s `PledgeWrite::Milestone`: a pledge version, its audit entry,
//! one more data version, through SQLite's writer queue), and an admin's deletion (the row is
//! marked, kept for the history's reasons; audited; one more data version).

use chrono::{DateTime, Utc};
use pledgeboard_domain::milestone_rules::{MilestonePlan, in_timeline_order};
use pledgeboard_domain::{
    Actor, Catalog, Milestone, MissionAcronym, NewMilestone, Pledge, message,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};
use serde_json::json;

use crate::audit::{Change, record};
use crate::clock::now;
use crate::entities::pledge_milestone;
use crate::pledges::change::{CommittedPledge, PledgeWrite};
use crate::{Store, StoreError};

/// A stored row as a domain milestone.
pub(crate) fn to_domain(row: pledge_milestone::Model) -> Result<Milestone, StoreError> {
    Ok(Milestone {
        id: row.id,
        pledge_id: row.pledge_id,
        kind: row.kind.parse()?,
        date: row.reached_on,
        mission: row
            .mission
            .as_deref()
            .map(MissionAcronym::parse)
            .transpose()?,
        note: row.note,
        source_ref: row.source_ref,
        recorded_by: row.recorded_by,
        recorded_at: row.recorded_at,
        pledge_version: row.pledge_version,
        reason: row.reason,
    })
}

/// A milestone's values as the audit trail keeps them.
pub(crate) fn milestone_values(m: &Milestone) -> serde_json::Value {
    json!({
        "id": m.id,
        "pledge_id": m.pledge_id,
        "kind": m.kind.as_str(),
        "date": m.date.to_string(),
        "mission": m.mission.as_ref().map(|a| a.as_str()),
        "note": m.note,
        "source_ref": m.source_ref,
        "recorded_by": m.recorded_by,
        "pledge_version": m.pledge_version,
        "reason": m.reason,
    })
}

/// A pledge's live milestones on `conn`, in timeline order.
pub(crate) async fn milestones_on<C: ConnectionTrait>(
    conn: &C,
    pledge_id: i64,
) -> Result<Vec<Milestone>, StoreError> {
    let mut milestones = pledge_milestone::Entity::find()
        .filter(pledge_milestone::Column::PledgeId.eq(pledge_id))
        .filter(pledge_milestone::Column::DeletedAt.is_null())
        .all(conn)
        .await?
        .into_iter()
        .map(to_domain)
        .collect::<Result<Vec<_>, _>>()?;
    in_timeline_order(&mut milestones);
    Ok(milestones)
}

/// Inserts a milestone recorded with pledge version `version`, inside the pledge write.
pub(crate) async fn insert_milestone<C: ConnectionTrait>(
    conn: &C,
    pledge_id: i64,
    version: i32,
    new: &NewMilestone,
    reason: &str,
    by: &str,
    at: DateTime<Utc>,
) -> Result<Milestone, StoreError> {
    let row = pledge_milestone::ActiveModel {
        id: NotSet,
        pledge_id: Set(pledge_id),
        kind: Set(new.kind.as_str().to_owned()),
        reached_on: Set(new.date),
        mission: Set(new.mission.as_ref().map(|m| m.as_str().to_owned())),
        note: Set(new.note.clone()),
        source_ref: Set(new.source_ref.clone()),
        recorded_by: Set(by.to_owned()),
        recorded_at: Set(at),
        pledge_version: Set(version),
        reason: Set(reason.to_owned()),
        deleted_at: Set(None),
        deleted_by: Set(None),
    };
    let id = pledge_milestone::Entity::insert(row)
        .exec(conn)
        .await
        .map_err(|e| match StoreError::from(e) {
            StoreError::Conflict(_) => StoreError::Conflict(
                message!(
                    "err-conflict-milestone",
                    "this pledge already has a '{label}' milestone",
                    label = new.kind.label()
                )
                .quoting("label", new.kind.label_message()),
            ),
            other => other,
        })?
        .last_insert_id;
    Ok(Milestone {
        id,
        pledge_id,
        kind: new.kind,
        date: new.date,
        mission: new.mission.clone(),
        note: new.note.clone(),
        source_ref: new.source_ref.clone(),
        recorded_by: by.to_owned(),
        recorded_at: at,
        pledge_version: version,
        reason: reason.to_owned(),
    })
}

/// The reasons recorded with a pledge's versions (deleted milestones' too), by version.
pub(crate) async fn reasons_by_version<C: ConnectionTrait>(
    conn: &C,
    pledge_id: i64,
) -> Result<Vec<(i32, String)>, StoreError> {
    Ok(pledge_milestone::Entity::find()
        .filter(pledge_milestone::Column::PledgeId.eq(pledge_id))
        .order_by_asc(pledge_milestone::Column::PledgeVersion)
        .all(conn)
        .await?
        .into_iter()
        .map(|m| (m.pledge_version, m.reason))
        .collect())
}

/// A milestone an admin deleted, and the data version the deletion committed as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeletedMilestone {
    pub milestone: Milestone,
    pub data_version: i64,
}

impl Store {
    /// A pledge's milestones (deleted ones aside), by date and then by their place in the
    /// sequence; an unknown pledge is not found.
    pub async fn pledge_milestones(&self, pledge_id: i64) -> Result<Vec<Milestone>, StoreError> {
        self.find_pledge(pledge_id).await?;
        milestones_on(&self.db, pledge_id).await
    }

    /// Records `milestone` on `current` as planned (`milestone_rules::plan_milestone`): the
    /// pledge's next version (raised where the milestone implies it), the milestone, an audit
    /// entry and one more data version, in one write; stale if `current` is no longer the
    /// stored version.
    pub async fn record_milestone(
        &self,
        catalog: &Catalog,
        current: &Pledge,
        milestone: &NewMilestone,
        plan: &MilestonePlan,
        actor: &Actor,
    ) -> Result<CommittedPledge, StoreError> {
        let category = catalog.capability(plan.next.capability.as_str())?.category;
        self.write_pledge(PledgeWrite::Milestone {
            category,
            current: Box::new(current.clone()),
            next: plan.next.clone(),
            milestone: milestone.clone(),
            reason: plan.reason.clone(),
            actor: actor.clone(),
        })
        .await
    }

    /// Deletes milestone `id` of pledge `pledge_id` (an admin's correction): it leaves the
    /// timeline, the pledge is not lowered, the history keeps its reason; audited, and one
    /// more data version.
    pub async fn delete_milestone(
        &self,
        pledge_id: i64,
        id: i64,
        actor: &Actor,
    ) -> Result<DeletedMilestone, StoreError> {
        let txn = self.begin_write().await?;
        let at = now();
        // The UPDATE first, so that SQLite takes the writer before anything is read.
        let marked = pledge_milestone::Entity::update_many()
            .col_expr(pledge_milestone::Column::DeletedAt, Expr::value(at))
            .col_expr(
                pledge_milestone::Column::DeletedBy,
                Expr::value(actor.name.clone()),
            )
            .filter(pledge_milestone::Column::Id.eq(id))
            .filter(pledge_milestone::Column::PledgeId.eq(pledge_id))
            .filter(pledge_milestone::Column::DeletedAt.is_null())
            .exec(&txn)
            .await?;
        if marked.rows_affected == 0 {
            return Err(StoreError::NotFound(message!(
                "err-missing-milestone-of-pledge",
                "milestone {id} of pledge {pledge}",
                id = id,
                pledge = pledge_id
            )));
        }
        let row = pledge_milestone::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or_else(|| {
                StoreError::NotFound(message!("err-missing-milestone", "milestone {id}", id = id))
            })?;
        let milestone = to_domain(row)?;
        record(
            &txn,
            Change {
                actor,
                action: "delete",
                entity: "milestone",
                entity_id: id.to_string(),
                before: Some(milestone_values(&milestone)),
                after: None,
                at,
            },
        )
        .await?;
        let data_version = crate::data_version::raise(&txn).await?;
        txn.commit().await?;
        Ok(DeletedMilestone {
            milestone,
            data_version,
        })
    }
}
