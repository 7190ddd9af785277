//! Requirements: what each mission needs, one row per (mission, capability). Changes and
//! deletions keep the replaced version, and are audited, like pledges.

use pledgeboard_domain::requirement_csv::REQUIREMENT_COLUMNS;
use pledgeboard_domain::{
    Actor, CapabilityCode, MissionAcronym, NewRequirement, Quantity, Requirement, message,
};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Statement,
};
use serde_json::json;

use crate::audit::{Change, record};
use crate::clock::now;
use crate::columns::column_list;
use crate::entities::requirement;
use crate::{Store, StoreError};

/// A requirement's columns as a query reads them: `id`, [`VALUE_COLUMNS`] and `version`.
#[derive(sea_orm::FromQueryResult)]
pub(crate) struct RequirementRow {
    id: i64,
    mission: String,
    capability: String,
    quantity: i32,
    personnel: i32,
    needed_by: chrono::NaiveDate,
    priority: String,
    version: i32,
}

impl RequirementRow {
    /// The domain requirement this row holds.
    pub(crate) fn into_domain(self) -> Result<Requirement, StoreError> {
        Ok(Requirement {
            id: self.id,
            mission: MissionAcronym::parse(&self.mission)?,
            capability: CapabilityCode::parse(&self.capability)?,
            quantity: Quantity::new(i64::from(self.quantity))?,
            personnel: u32::try_from(self.personnel).unwrap_or(0),
            needed_by: self.needed_by,
            priority: self.priority.parse()?,
            version: self.version,
        })
    }
}

/// The requirement columns a query selects for a [`RequirementRow`], each prefixed by
/// `prefix` (`""` or a table alias and its dot).
pub(crate) fn requirement_columns(prefix: &str) -> String {
    column_list(
        prefix,
        ["id"].into_iter().chain(VALUE_COLUMNS).chain(["version"]),
    )
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
        StoreError::Conflict(_) => StoreError::Conflict(message!(
            "err-conflict-requirement",
            "{mission} already has a requirement for {capability}; change that one instead",
            mission = &r.mission,
            capability = &r.capability
        )),
        other => other,
    }
}

async fn find_on<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Requirement, StoreError> {
    requirement::Entity::find_by_id(id)
        .into_model::<RequirementRow>()
        .one(conn)
        .await?
        .ok_or_else(|| {
            StoreError::NotFound(message!(
                "err-missing-requirement",
                "requirement {id}",
                id = id
            ))
        })?
        .into_domain()
}

/// The `requirements` columns that hold a requirement's values, which each version row keeps:
/// named as the requirements file names them.
const VALUE_COLUMNS: [&str; 6] = REQUIREMENT_COLUMNS;

/// The requirements as they stood at bind parameter `$n`, in place of `requirements`.
pub(crate) fn requirements_as_of_source(n: usize) -> String {
    let values = column_list("", VALUE_COLUMNS);
    format!(
        "(SELECT id, {values}, version FROM requirements WHERE updated_at <= ${n} \
         UNION ALL \
         SELECT requirement_id AS id, {values}, version FROM requirement_versions \
         WHERE valid_from <= ${n} AND valid_to > ${n})"
    )
}

/// Copies version `version` of requirement `id` into the history, valid until `until`;
/// returns whether that version was the stored one.
async fn keep_version<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    version: i32,
    until: chrono::DateTime<chrono::Utc>,
) -> Result<bool, StoreError> {
    let values = column_list("", VALUE_COLUMNS);
    let kept = conn
        .execute_raw(Statement::from_sql_and_values(
            conn.get_database_backend(),
            format!(
                "INSERT INTO requirement_versions (requirement_id, version, valid_from, valid_to, \
                 changed_by, {values}, created_at) \
                 SELECT id, version, updated_at, $1, updated_by, {values}, created_at \
                 FROM requirements WHERE id = $2 AND version = $3"
            ),
            [until.into(), id.into(), version.into()],
        ))
        .await?;
    Ok(kept.rows_affected() > 0)
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
    let created = find_on(conn, id).await?;
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
    if !keep_version(conn, id, version, at).await? {
        let current = find_on(conn, id).await?;
        return Err(StoreError::Stale {
            current: current.version,
        });
    }
    let previous = find_on(conn, id).await?;
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
    let changed = find_on(conn, id).await?;
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
            .into_model::<RequirementRow>()
            .all(&self.db)
            .await?
            .into_iter()
            .map(RequirementRow::into_domain)
            .collect()
    }

    /// The requirement with this id.
    pub async fn find_requirement(&self, id: i64) -> Result<Requirement, StoreError> {
        find_on(&self.db, id).await
    }

    /// Adds a requirement; a second one for the same (mission, capability) is a conflict.
    pub async fn create_requirement(
        &self,
        r: &NewRequirement,
        actor: &Actor,
    ) -> Result<Requirement, StoreError> {
        let txn = self.begin_write().await?;
        let created = create_on(&txn, r, actor).await?;
        crate::data_version::commit_change(txn).await?;
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
        let current = find_on(&self.db, id).await?;
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
        crate::data_version::commit_change(txn).await?;
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
        let deleted = find_on(&txn, id).await?;
        keep_version(&txn, id, deleted.version, at).await?;
        requirement::Entity::delete_by_id(id).exec(&txn).await?;
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
        crate::data_version::commit_change(txn).await?;
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
        let txn = self.begin_write().await?;
        let result = requirement::Entity::insert_many(rows)
            .on_conflict_do_nothing_on([
                requirement::Column::Mission,
                requirement::Column::Capability,
            ])
            .exec_without_returning(&txn)
            .await?;
        let added = match result {
            TryInsertResult::Inserted(n) => n,
            _ => 0,
        };
        if added > 0 {
            crate::data_version::raise(&txn).await?;
        }
        txn.commit().await?;
        Ok(added)
    }
}
