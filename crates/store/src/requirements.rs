//! Requirements: what each mission needs, one row per (mission, capability). Changes and
//! deletions keep the replaced version, and are audited, like pledges.

use pledgeboard_domain::{
    Actor, CapabilityCode, MissionAcronym, NewRequirement, Quantity, Requirement,
};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Statement,
};
use serde_json::json;

use crate::audit::{Change, record};
use crate::clock::now;
use crate::entities::{requirement, requirement_version};
use crate::{Store, StoreError};

fn to_domain(m: requirement::Model) -> Result<Requirement, StoreError> {
    Ok(Requirement {
        id: m.id,
        mission: MissionAcronym::parse(&m.mission)?,
        capability: CapabilityCode::parse(&m.capability)?,
        quantity: Quantity::new(i64::from(m.quantity))?,
        personnel: u32::try_from(m.personnel).unwrap_or(0),
        needed_by: m.needed_by,
        priority: m.priority.parse()?,
        version: m.version,
    })
}

fn values(r: &NewRequirement) -> requirement::ActiveModel {
    requirement::ActiveModel {
        id: NotSet,
        mission: Set(r.mission.to_string()),
        capability: Set(r.capability.to_string()),
        quantity: Set(i32::try_from(r.quantity.get()).unwrap_or(i32::MAX)),
        personnel: Set(i32::try_from(r.personnel).unwrap_or(i32::MAX)),
        needed_by: Set(r.needed_by),
        priority: Set(r.priority.to_string()),
        version: NotSet,
        created_at: NotSet,
        updated_at: NotSet,
        updated_by: NotSet,
    }
}

/// A requirement's values as JSON, for audit entries.
fn requirement_values(r: &Requirement) -> serde_json::Value {
    json!({
        "id": r.id,
        "mission": r.mission.as_str(),
        "capability": r.capability.as_str(),
        "quantity": r.quantity.get(),
        "personnel": r.personnel,
        "needed_by": r.needed_by,
        "priority": r.priority.as_str(),
        "version": r.version,
    })
}

fn conflict(r: &NewRequirement) -> impl Fn(sea_orm::DbErr) -> StoreError + '_ {
    move |e| match StoreError::from(e) {
        StoreError::Conflict(_) => StoreError::Conflict(format!(
            "{} already has a requirement for {}; change that one instead",
            r.mission, r.capability
        )),
        other => other,
    }
}

async fn find_row<C: ConnectionTrait>(conn: &C, id: i64) -> Result<requirement::Model, StoreError> {
    requirement::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("requirement {id}")))
}

/// Copies the version `old` into the history, valid until `until`.
async fn keep_version<C: ConnectionTrait>(
    conn: &C,
    old: &requirement::Model,
    until: chrono::DateTime<chrono::Utc>,
) -> Result<(), StoreError> {
    requirement_version::Entity::insert(requirement_version::ActiveModel {
        id: NotSet,
        requirement_id: Set(old.id),
        version: Set(old.version),
        valid_from: Set(old.updated_at),
        valid_to: Set(until),
        changed_by: Set(old.updated_by.clone()),
        mission: Set(old.mission.clone()),
        capability: Set(old.capability.clone()),
        quantity: Set(old.quantity),
        personnel: Set(old.personnel),
        needed_by: Set(old.needed_by),
        priority: Set(old.priority.clone()),
        created_at: Set(old.created_at),
    })
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

/// Inserts a requirement and its audit entry on `conn`.
pub(crate) async fn create_on<C: ConnectionTrait>(
    conn: &C,
    r: &NewRequirement,
    actor: &Actor,
) -> Result<Requirement, StoreError> {
    let at = now();
    let mut row = values(r);
    row.version = Set(1);
    row.created_at = Set(at);
    row.updated_at = Set(at);
    row.updated_by = Set(actor.name.clone());
    let id = requirement::Entity::insert(row)
        .exec(conn)
        .await
        .map_err(conflict(r))?
        .last_insert_id;
    let created = to_domain(find_row(conn, id).await?)?;
    let after = Some(requirement_values(&created));
    record(
        conn,
        Change {
            actor,
            action: "create",
            entity: "requirement",
            entity_id: id.to_string(),
            before: None,
            after,
            at,
        },
    )
    .await?;
    Ok(created)
}

/// Replaces version `version` of a requirement on `conn`, keeping the old version and
/// auditing the change; stale when `version` is no longer current. Copying the old version
/// is the first statement, so a SQLite transaction takes the write lock before it reads.
pub(crate) async fn update_on<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    version: i32,
    r: &NewRequirement,
    actor: &Actor,
) -> Result<Requirement, StoreError> {
    let at = now();
    let kept = conn
        .execute_raw(Statement::from_sql_and_values(
            conn.get_database_backend(),
            "INSERT INTO requirement_versions (requirement_id, version, valid_from, valid_to, changed_by, \
             mission, capability, quantity, personnel, needed_by, priority, created_at) \
             SELECT id, version, updated_at, $1, updated_by, mission, capability, quantity, personnel, \
             needed_by, priority, created_at FROM requirements WHERE id = $2 AND version = $3",
            [at.into(), id.into(), version.into()],
        ))
        .await?;
    if kept.rows_affected() == 0 {
        let current = find_row(conn, id).await?;
        return Err(StoreError::Stale {
            current: current.version,
        });
    }
    let previous = to_domain(find_row(conn, id).await?)?;
    let mut row = values(r);
    row.version = Set(version + 1);
    row.updated_at = Set(at);
    row.updated_by = Set(actor.name.clone());
    requirement::Entity::update_many()
        .set(row)
        .filter(requirement::Column::Id.eq(id))
        .exec(conn)
        .await
        .map_err(conflict(r))?;
    let changed = to_domain(find_row(conn, id).await?)?;
    let (before, after) = (
        Some(requirement_values(&previous)),
        Some(requirement_values(&changed)),
    );
    record(
        conn,
        Change {
            actor,
            action: "update",
            entity: "requirement",
            entity_id: id.to_string(),
            before,
            after,
            at,
        },
    )
    .await?;
    Ok(changed)
}

impl Store {
    /// Requirements, by mission then capability; only one mission's when given.
    pub async fn list_requirements(
        &self,
        mission: Option<&MissionAcronym>,
    ) -> Result<Vec<Requirement>, StoreError> {
        let mut query = requirement::Entity::find();
        if let Some(m) = mission {
            query = query.filter(requirement::Column::Mission.eq(m.as_str()));
        }
        query
            .order_by_asc(requirement::Column::Mission)
            .order_by_asc(requirement::Column::Capability)
            .all(&self.db)
            .await?
            .into_iter()
            .map(to_domain)
            .collect()
    }

    /// The requirement with this id.
    pub async fn find_requirement(&self, id: i64) -> Result<Requirement, StoreError> {
        to_domain(find_row(&self.db, id).await?)
    }

    /// Adds a requirement; a second one for the same (mission, capability) is a conflict.
    pub async fn create_requirement(
        &self,
        r: &NewRequirement,
        actor: &Actor,
    ) -> Result<Requirement, StoreError> {
        let txn = self.begin_write().await?;
        let created = create_on(&txn, r, actor).await?;
        txn.commit().await?;
        Ok(created)
    }

    /// Replaces a requirement's values if `expected_version` (when given) is still current.
    /// Returns the requirement and whether anything changed.
    pub async fn update_requirement(
        &self,
        id: i64,
        expected_version: Option<i32>,
        r: &NewRequirement,
        actor: &Actor,
    ) -> Result<(Requirement, bool), StoreError> {
        let current = to_domain(find_row(&self.db, id).await?)?;
        if let Some(v) = expected_version
            && v != current.version
        {
            return Err(StoreError::Stale {
                current: current.version,
            });
        }
        if current.has_values_of(r) {
            return Ok((current, false));
        }
        let txn = self.begin_write().await?;
        let changed = update_on(&txn, id, current.version, r, actor).await?;
        txn.commit().await?;
        Ok((changed, true))
    }

    /// Deletes a requirement; its last version stays in the history, so past reports still
    /// show it.
    pub async fn delete_requirement(
        &self,
        id: i64,
        actor: &Actor,
    ) -> Result<Requirement, StoreError> {
        let at = now();
        let txn = self.begin_write().await?;
        let row = find_row(&txn, id).await?;
        let deleted = to_domain(row.clone())?;
        requirement::Entity::delete_by_id(id).exec(&txn).await?;
        keep_version(&txn, &row, at).await?;
        let before = Some(requirement_values(&deleted));
        record(
            &txn,
            Change {
                actor,
                action: "delete",
                entity: "requirement",
                entity_id: id.to_string(),
                before,
                after: None,
                at,
            },
        )
        .await?;
        txn.commit().await?;
        Ok(deleted)
    }

    /// Adds the requirements whose (mission, capability) has none yet; returns how many.
    pub(crate) async fn insert_missing_requirements(
        &self,
        requirements: &[NewRequirement],
        by: &str,
    ) -> Result<u64, StoreError> {
        use sea_orm::TryInsertResult;
        if requirements.is_empty() {
            return Ok(0);
        }
        let at = now();
        let rows = requirements.iter().map(|r| {
            let mut row = values(r);
            row.version = Set(1);
            row.created_at = Set(at);
            row.updated_at = Set(at);
            row.updated_by = Set(by.to_owned());
            row
        });
        let result = requirement::Entity::insert_many(rows)
            .on_conflict_do_nothing_on([
                requirement::Column::Mission,
                requirement::Column::Capability,
            ])
            .exec_without_returning(&self.db)
            .await?;
        Ok(match result {
            TryInsertResult::Inserted(n) => n,
            _ => 0,
        })
    }
}
