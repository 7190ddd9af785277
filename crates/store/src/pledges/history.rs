//! A pledge's versions over time, and the board as it stood at a past moment.
//!
//! The current version is the `pledges` row (valid from its `updated_at`); superseded versions
//! are `pledge_versions` rows valid over `[valid_from, valid_to)`. "As of T" is one query: the
//! union of current rows updated at or before T and version rows valid at T.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Statement, Value,
};

use crate::entities::pledge_version;
use crate::pledges::row::{pledge_values, version_to_domain};
use crate::{Store, StoreError};

/// One version of a pledge.
#[derive(Debug, Clone, PartialEq)]
pub struct PledgeVersion {
    pub version: i32,
    pub valid_from: DateTime<Utc>,
    /// `None` for the current version.
    pub valid_to: Option<DateTime<Utc>>,
    /// The token name that made this version.
    pub changed_by: String,
    /// The pledge's values in this version, in the API's field names.
    pub values: serde_json::Value,
}

/// The figures of a pledge as they stood at some moment: what reports need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PledgeAsOf {
    pub id: i64,
    pub version: i32,
    pub member_state: String,
    pub pledge_ref: String,
    pub capability: String,
    pub category: String,
    pub quantity: i32,
    pub personnel: i32,
    pub female_personnel: i32,
    pub readiness: String,
    pub available_from: Option<NaiveDate>,
    pub mission: Option<String>,
    pub conference: Option<String>,
    pub status: String,
    pub monthly_cost_cents: Option<i64>,
}

pub(crate) const AS_OF_COLUMNS: &str = "member_state, pledge_ref, capability, category, quantity, personnel, \
     female_personnel, readiness, available_from, mission, conference, status, monthly_cost_cents, \
     registered_on, renewed_on";

/// The pledges as they stood at bind parameter `$n`, as a subquery usable in place of the
/// `pledges` table (same column names, `id` included).
pub(crate) fn pledges_as_of_source(n: usize) -> String {
    format!(
        "(SELECT id, {AS_OF_COLUMNS} FROM pledges WHERE updated_at <= ${n} \
         UNION ALL \
         SELECT pledge_id AS id, {AS_OF_COLUMNS} FROM pledge_versions \
         WHERE valid_from <= ${n} AND valid_to > ${n})"
    )
}

/// The requirements as they stood at bind parameter `$n`, in place of `requirements`.
pub(crate) fn requirements_as_of_source(n: usize) -> String {
    let columns = "mission, capability, quantity, personnel, needed_by, priority, version";
    format!(
        "(SELECT id, {columns} FROM requirements WHERE updated_at <= ${n} \
         UNION ALL \
         SELECT requirement_id AS id, {columns} FROM requirement_versions \
         WHERE valid_from <= ${n} AND valid_to > ${n})"
    )
}

impl Store {
    /// Every version of a pledge, oldest first; the last is the current one.
    pub async fn pledge_history(&self, id: i64) -> Result<Vec<PledgeVersion>, StoreError> {
        let current = self.find_pledge(id).await?;
        let mut versions: Vec<PledgeVersion> = pledge_version::Entity::find()
            .filter(pledge_version::Column::PledgeId.eq(id))
            .order_by_asc(pledge_version::Column::Version)
            .all(&self.db)
            .await?
            .iter()
            .map(|v| {
                Ok(PledgeVersion {
                    version: v.version,
                    valid_from: v.valid_from,
                    valid_to: Some(v.valid_to),
                    changed_by: v.changed_by.clone(),
                    values: pledge_values(&version_to_domain(v)?),
                })
            })
            .collect::<Result<_, StoreError>>()?;
        versions.push(PledgeVersion {
            version: current.version,
            valid_from: current.updated_at,
            valid_to: None,
            changed_by: current.updated_by.clone(),
            values: pledge_values(&current),
        });
        Ok(versions)
    }

    /// Every pledge as it stood at `at` (pledges recorded later are absent), in one query.
    pub async fn pledges_as_of(&self, at: DateTime<Utc>) -> Result<Vec<PledgeAsOf>, StoreError> {
        self.as_of_query(at, None).await
    }

    /// One pledge as it stood at `at`, if it existed then.
    pub async fn pledge_as_of(
        &self,
        id: i64,
        at: DateTime<Utc>,
    ) -> Result<Option<PledgeAsOf>, StoreError> {
        Ok(self.as_of_query(at, Some(id)).await?.pop())
    }

    async fn as_of_query(
        &self,
        at: DateTime<Utc>,
        id: Option<i64>,
    ) -> Result<Vec<PledgeAsOf>, StoreError> {
        let (current_id, version_id) = match id {
            Some(_) => (" AND id = $2", " AND pledge_id = $2"),
            None => ("", ""),
        };
        let sql = format!(
            "SELECT id, version, {AS_OF_COLUMNS} FROM pledges WHERE updated_at <= $1{current_id} \
             UNION ALL \
             SELECT pledge_id AS id, version, {AS_OF_COLUMNS} FROM pledge_versions \
             WHERE valid_from <= $1 AND valid_to > $1{version_id} \
             ORDER BY id"
        );
        let mut values: Vec<Value> = vec![at.into()];
        values.extend(id.map(Value::from));
        let backend = self.db.get_database_backend();
        let rows = self
            .db
            .query_all_raw(Statement::from_sql_and_values(backend, sql, values))
            .await?;
        rows.iter()
            .map(|r| {
                Ok(PledgeAsOf {
                    id: r.try_get("", "id")?,
                    version: r.try_get("", "version")?,
                    member_state: r.try_get("", "member_state")?,
                    pledge_ref: r.try_get("", "pledge_ref")?,
                    capability: r.try_get("", "capability")?,
                    category: r.try_get("", "category")?,
                    quantity: r.try_get("", "quantity")?,
                    personnel: r.try_get("", "personnel")?,
                    female_personnel: r.try_get("", "female_personnel")?,
                    readiness: r.try_get("", "readiness")?,
                    available_from: r.try_get("", "available_from")?,
                    mission: r.try_get("", "mission")?,
                    conference: r.try_get("", "conference")?,
                    status: r.try_get("", "status")?,
                    monthly_cost_cents: r.try_get("", "monthly_cost_cents")?,
                })
            })
            .collect()
    }
}
