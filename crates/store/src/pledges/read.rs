//! Reading pledges: find one, list with filters and cursor paging, and the sums of every
//! pledge a filter matches.

use std::collections::HashMap;

use pledgeboard_domain::lineage::{LineageClass, LineageState};
use pledgeboard_domain::{
    CapabilityCode, Category, ConferenceCode, MemberStateCode, MissionAcronym, Pledge,
    PledgeStatus, Readiness, message,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::entities::{pledge, pledge_equipment, pledge_partner};
use crate::pledges::row::assemble;
use crate::{Store, StoreError};

/// Which pledges a list returns, and which page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PledgeFilter {
    pub member_state: Option<MemberStateCode>,
    pub mission: Option<MissionAcronym>,
    pub capability: Option<CapabilityCode>,
    pub category: Option<Category>,
    pub readiness: Option<Readiness>,
    /// Only pledges at this readiness level or above (`L2`: the firm ones).
    pub readiness_min: Option<Readiness>,
    pub status: Option<PledgeStatus>,
    pub conference: Option<ConferenceCode>,
    /// Only the newest pledges of their lineages, or only the superseded ones.
    pub lineage: Option<LineageState>,
    /// Only the pledges of this lineage class (against the pledge each supersedes).
    pub class: Option<LineageClass>,
    /// Only joint pledges (with a partner), or only pledges without one.
    pub joint: Option<bool>,
    /// Only pledges earmarked for a mission, or only unearmarked ones.
    pub earmarked: Option<bool>,
    /// Only withdrawn pledges, or only those not withdrawn.
    pub withdrawn: Option<bool>,
    /// Only formed units (military-unit and formed-police capabilities measured in units),
    /// or only the others: what the outcome report counts as formed units.
    pub formed_units: Option<bool>,
    /// Page size; the HTTP layer keeps it within 1–1000.
    pub limit: u64,
    /// Only pledges with an id above this (the previous page's last id).
    pub after_id: Option<i64>,
}

/// The sums of every pledge a filter matches, whatever page is shown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PledgeTotals {
    pub pledges: u64,
    pub quantity: u64,
    pub personnel: u64,
    pub female_personnel: u64,
}

/// One page of pledges, and the id to continue after when there are more.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PledgePage {
    pub items: Vec<Pledge>,
    pub next_after_id: Option<i64>,
}

pub(crate) fn condition(filter: &PledgeFilter) -> Condition {
    let mut c = Condition::all();
    let eq = |c: Condition, col: pledge::Column, v: Option<String>| match v {
        Some(v) => c.add(col.eq(v)),
        None => c,
    };
    c = eq(
        c,
        pledge::Column::MemberState,
        filter.member_state.as_ref().map(ToString::to_string),
    );
    c = eq(
        c,
        pledge::Column::Mission,
        filter.mission.as_ref().map(ToString::to_string),
    );
    c = eq(
        c,
        pledge::Column::Capability,
        filter.capability.as_ref().map(ToString::to_string),
    );
    c = eq(
        c,
        pledge::Column::Category,
        filter.category.map(|v| v.to_string()),
    );
    c = eq(
        c,
        pledge::Column::Readiness,
        filter.readiness.map(|v| v.to_string()),
    );
    if let Some(min) = filter.readiness_min {
        let levels = Readiness::ALL
            .into_iter()
            .filter(|r| *r >= min)
            .map(Readiness::as_str);
        c = c.add(pledge::Column::Readiness.is_in(levels));
    }
    c = eq(
        c,
        pledge::Column::Status,
        filter.status.map(|v| v.to_string()),
    );
    c = eq(
        c,
        pledge::Column::Conference,
        filter.conference.as_ref().map(ToString::to_string),
    );
    c = lineage_condition(c, filter);
    if let Some(after) = filter.after_id {
        c = c.add(pledge::Column::Id.gt(after));
    }
    c
}

/// SQL: a later pledge supersedes the pledge of the `pledges` row named `outer` (a table
/// or its alias), answered from `pledges_successor_idx`; `source` is `pledges` or its as-of
/// replacement.
pub(crate) fn superseded_sql(source: &str, outer: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM {source} later WHERE later.member_state = {outer}.member_state \
         AND later.supersedes_ref = {outer}.pledge_ref)"
    )
}

/// SQL: the pledge of row `outer` supersedes one of the same capability with no less quantity
/// and no lower readiness (the levels' codes sort in their order: L1 < L2 < L3 < RDL).
fn reaffirms_sql(outer: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM pledges earlier WHERE earlier.member_state = {outer}.member_state \
         AND earlier.pledge_ref = {outer}.supersedes_ref AND earlier.capability = {outer}.capability \
         AND {outer}.quantity <= earlier.quantity AND {outer}.readiness <= earlier.readiness)"
    )
}

fn lineage_condition(mut c: Condition, filter: &PledgeFilter) -> Condition {
    let custom = |sql: String| Expr::cust(sql);
    match filter.lineage {
        Some(LineageState::Current) => {
            c = c.add(custom(format!(
                "NOT {}",
                superseded_sql("pledges", "pledges")
            )))
        }
        Some(LineageState::Superseded) => c = c.add(custom(superseded_sql("pledges", "pledges"))),
        None => {}
    }
    match filter.class {
        Some(LineageClass::New) => c = c.add(pledge::Column::SupersedesRef.is_null()),
        Some(LineageClass::Reaffirmed) => c = c.add(custom(reaffirms_sql("pledges"))),
        Some(LineageClass::Upgraded) => {
            c = c
                .add(pledge::Column::SupersedesRef.is_not_null())
                .add(custom(format!("NOT {}", reaffirms_sql("pledges"))))
        }
        None => {}
    }
    let partnered = "EXISTS (SELECT 1 FROM pledge_partners pp WHERE pp.pledge_id = pledges.id)";
    match filter.joint {
        Some(true) => c = c.add(custom(partnered.to_owned())),
        Some(false) => c = c.add(custom(format!("NOT {partnered}"))),
        None => {}
    }
    match filter.earmarked {
        Some(true) => c = c.add(pledge::Column::Mission.is_not_null()),
        Some(false) => c = c.add(pledge::Column::Mission.is_null()),
        None => {}
    }
    let formed = "pledges.capability IN (SELECT code FROM capabilities \
         WHERE category IN ('unit', 'police') AND unit_of_measure = 'units')";
    match filter.formed_units {
        Some(true) => c = c.add(custom(formed.to_owned())),
        Some(false) => c = c.add(custom(format!("NOT {formed}"))),
        None => {}
    }
    match filter.withdrawn {
        Some(true) => c = c.add(pledge::Column::Status.eq("withdrawn")),
        Some(false) => c = c.add(pledge::Column::Status.ne("withdrawn")),
        None => {}
    }
    c
}

/// No pledge has this id.
pub(crate) fn no_pledge(id: i64) -> StoreError {
    StoreError::NotFound(message!("err-missing-pledge", "pledge {id}", id = id))
}

/// The pledge with this id, read on `conn` (a pool or a transaction).
pub(crate) async fn find_on<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Pledge, StoreError> {
    let row = pledge::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(|| no_pledge(id))?;
    with_details(conn, vec![row])
        .await?
        .pop()
        .ok_or_else(|| no_pledge(id))
}

/// Loads the pledges with these rows, with partners and equipment, in the rows' order.
pub(crate) async fn with_details<C: ConnectionTrait>(
    conn: &C,
    rows: Vec<pledge::Model>,
) -> Result<Vec<Pledge>, StoreError> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let partners = pledge_partner::Entity::find()
        .filter(pledge_partner::Column::PledgeId.is_in(ids.clone()))
        .all(conn)
        .await?;
    let equipment = pledge_equipment::Entity::find()
        .filter(pledge_equipment::Column::PledgeId.is_in(ids))
        .order_by_asc(pledge_equipment::Column::Id)
        .all(conn)
        .await?;
    assemble(rows, partners, equipment)
}

/// Ids a batched look-up reads per statement.
const IDS_PER_STATEMENT: usize = 500;

impl Store {
    /// The pledge with this id. Concurrent look-ups are answered together, a few statements
    /// for the batch instead of three per pledge (`lookup_batch.rs`); a batch begins after
    /// each of its callers asked, so a change committed before is seen.
    pub async fn find_pledge(&self, id: i64) -> Result<Pledge, StoreError> {
        self.pledge_lookups
            .get(id, |ids| async move {
                let mut found = HashMap::with_capacity(ids.len());
                for chunk in ids.chunks(IDS_PER_STATEMENT) {
                    let rows = pledge::Entity::find()
                        .filter(pledge::Column::Id.is_in(chunk.iter().copied()))
                        .all(&self.db)
                        .await?;
                    found.extend(
                        with_details(&self.db, rows)
                            .await?
                            .into_iter()
                            .map(|p| (p.id, p)),
                    );
                }
                Ok(found)
            })
            .await?
            .ok_or_else(|| no_pledge(id))
    }

    /// One page of pledges matching the filter, in id order.
    pub async fn list_pledges(&self, filter: &PledgeFilter) -> Result<PledgePage, StoreError> {
        let mut rows = pledge::Entity::find()
            .filter(condition(filter))
            .order_by_asc(pledge::Column::Id)
            .limit(filter.limit.saturating_add(1))
            .all(&self.db)
            .await?;
        let more = rows.len() as u64 > filter.limit;
        rows.truncate(usize::try_from(filter.limit).unwrap_or(usize::MAX));
        let next_after_id = if more {
            rows.last().map(|r| r.id)
        } else {
            None
        };
        Ok(PledgePage {
            items: with_details(&self.db, rows).await?,
            next_after_id,
        })
    }
}

impl Store {
    /// Counts and sums every pledge matching `filter` (its page size and cursor aside) in SQL.
    pub async fn pledge_totals(&self, filter: &PledgeFilter) -> Result<PledgeTotals, StoreError> {
        let filter = PledgeFilter {
            after_id: None,
            ..filter.clone()
        };
        // SUM over no rows is NULL, and SUM(integer) is a BIGINT only after the cast on
        // PostgreSQL.
        let sum = |column: &str| Expr::cust(format!("CAST(COALESCE(SUM({column}), 0) AS BIGINT)"));
        let sums: Option<(i64, i64, i64, i64)> = pledge::Entity::find()
            .select_only()
            .column_as(Expr::cust("CAST(COUNT(*) AS BIGINT)"), "pledges")
            .column_as(sum("quantity"), "quantity")
            .column_as(sum("personnel"), "personnel")
            .column_as(sum("female_personnel"), "female_personnel")
            .filter(condition(&filter))
            .into_tuple()
            .one(&self.db)
            .await?;
        let (pledges, quantity, personnel, women) = sums.unwrap_or_default();
        let count = |n: i64| u64::try_from(n).unwrap_or(0);
        Ok(PledgeTotals {
            pledges: count(pledges),
            quantity: count(quantity),
            personnel: count(personnel),
            female_personnel: count(women),
        })
    }
}

impl Store {
    /// The most recently recorded pledges, newest first.
    pub async fn latest_pledges(&self, count: u64) -> Result<Vec<Pledge>, StoreError> {
        let rows = pledge::Entity::find()
            .order_by_desc(pledge::Column::Id)
            .limit(count)
            .all(&self.db)
            .await?;
        with_details(&self.db, rows).await
    }
}
