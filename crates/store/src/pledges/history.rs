//! A pledge's versions over time, and the board as it stood at a past moment.
//!
//! The current version is the `pledges` row (valid from its `updated_at`); superseded versions
//! are `pledge_versions` rows valid over `[valid_from, valid_to)`. "As of T" is one query: the
//! union of current rows updated at or before T and version rows valid at T.

use chrono::{DateTime, NaiveDate, Utc};
use pledgeboard_domain::PledgeStatus;
use sea_orm::{ConnectionTrait, FromQueryResult, Statement, Value};

use crate::pledges::row::{column_list, pledge_values, version_to_domain, versions_select};
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
    /// The pledge's status in this version (what a reinstatement returns to).
    pub status: PledgeStatus,
    /// The pledge's values in this version, in the API's field names.
    pub values: serde_json::Value,
    /// Why this version was made, when a milestone's recording made it ("Assessment and
    /// Advisory Visit completed on 2025-06-01: readiness raised from L1 to L2").
    pub reason: Option<String>,
}

/// The figures of a pledge as they stood at some moment: what reports need.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
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

/// The pledges as they stood at bind parameter `$n`, as a subquery usable in place of the
/// `pledges` table (same column names, `id` included).
pub(crate) fn pledges_as_of_source(n: usize) -> String {
    let columns = column_list("");
    format!(
        "(SELECT id, {columns} FROM pledges WHERE updated_at <= ${n} \
         UNION ALL \
         SELECT pledge_id AS id, {columns} FROM pledge_versions \
         WHERE valid_from <= ${n} AND valid_to > ${n})"
    )
}

impl Store {
    /// Every version of a pledge, oldest first; the last is the current one.
    pub async fn pledge_history(&self, id: i64) -> Result<Vec<PledgeVersion>, StoreError> {
        let current = self.find_pledge(id).await?;
        let backend = self.db.get_database_backend();
        let sql = format!(
            "{} WHERE pledge_id = $1 ORDER BY version",
            versions_select()
        );
        let mut versions: Vec<PledgeVersion> = self
            .db
            .query_all_raw(Statement::from_sql_and_values(backend, sql, [id.into()]))
            .await?
            .iter()
            .map(|r| {
                let old = version_to_domain(r)?;
                Ok(PledgeVersion {
                    version: old.version,
                    valid_from: old.updated_at,
                    valid_to: Some(r.try_get("", "valid_to")?),
                    changed_by: old.updated_by.clone(),
                    status: old.status,
                    values: pledge_values(&old),
                    reason: None,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        versions.push(PledgeVersion {
            version: current.version,
            valid_from: current.updated_at,
            valid_to: None,
            changed_by: current.updated_by.clone(),
            status: current.status,
            values: pledge_values(&current),
            reason: None,
        });
        for (version, reason) in crate::milestones::reasons_by_version(&self.db, id).await? {
            if let Some(v) = versions.iter_mut().find(|v| v.version == version) {
                v.reason = Some(reason);
            }
        }
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
        let columns = column_list("");
        let sql = format!(
            "SELECT id, version, {columns} FROM pledges WHERE updated_at <= $1{current_id} \
             UNION ALL \
             SELECT pledge_id AS id, version, {columns} FROM pledge_versions \
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
            .map(|r| Ok(PledgeAsOf::from_query_result(r, "")?))
            .collect()
    }
}
