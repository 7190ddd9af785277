//! Reports computed where the data is: SQL aggregates over the current tables, or over the
//! version rows for a past moment (`as_of`). Only sums leave the database.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use pledgeboard_domain::allocation::{AllocationPlan, Gap, OpenPledge, allocate};
use pledgeboard_domain::country_report::{
    COUNTRY_NOTE, CountriesReport, CountryCell, CountryRow, CountrySummary, CountryTotals,
    GapContribution, Partnership, RenewalLine, country_rows, gender_comparison,
};
use pledgeboard_domain::coverage::CoverageSums;
use pledgeboard_domain::coverage_report::{CoverageReport, Unearmarked, build_coverage};
use pledgeboard_domain::renewal::{due_soon_until, due_thresholds, renewal_due};
use pledgeboard_domain::{
    CapabilityCode, Catalog, ConferenceCode, MemberStateCode, MissionAcronym, Quantity, Requirement,
};
use sea_orm::{ConnectionTrait, QueryResult, Statement, Value};

use crate::pledges::history::{pledges_as_of_source, requirements_as_of_source};
use crate::reports::cost_sum::{cost_sum, cost_sum_columns};
use crate::{Store, StoreError};

/// Capacity categories: the only pledges that count toward requirements.
const CAPACITY: &str = "('unit', 'police', 'individuals', 'equipment')";

/// A query under construction: SQL text and its bind values, numbered `$1…`.
struct Query {
    values: Vec<Value>,
    pledges: String,
    requirements: String,
}

impl Query {
    /// Sources for "now", or for the moment `as_of` (bound once as `$1`).
    fn new(as_of: Option<DateTime<Utc>>) -> Self {
        match as_of {
            Some(at) => Self {
                values: vec![at.into()],
                pledges: pledges_as_of_source(1),
                requirements: requirements_as_of_source(1),
            },
            None => Self {
                values: Vec::new(),
                pledges: "pledges".into(),
                requirements: "requirements".into(),
            },
        }
    }

    /// Binds a value and returns its placeholder.
    fn bind(&mut self, value: impl Into<Value>) -> String {
        self.values.push(value.into());
        format!("${}", self.values.len())
    }
}

fn u64_of(r: &QueryResult, column: &str) -> Result<u64, StoreError> {
    let n: i64 = r.try_get("", column)?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// Filters shared by the country reports.
#[derive(Debug, Clone, Default)]
pub struct CountryFilter {
    pub conference: Option<ConferenceCode>,
    pub as_of: Option<DateTime<Utc>>,
}

impl Store {
    async fn rows(&self, sql: String, values: Vec<Value>) -> Result<Vec<QueryResult>, StoreError> {
        let backend = self.db.get_database_backend();
        Ok(self
            .db
            .query_all_raw(Statement::from_sql_and_values(backend, sql, values))
            .await?)
    }

    /// Each requirement (of one mission, when given) with the sums of the pledges that count.
    async fn requirement_sums(
        &self,
        mission: Option<&MissionAcronym>,
        as_of: Option<DateTime<Utc>>,
    ) -> Result<Vec<(Requirement, CoverageSums)>, StoreError> {
        let mut q = Query::new(as_of);
        let filter = match mission {
            Some(m) => format!("WHERE r.mission = {}", q.bind(m.as_str())),
            None => String::new(),
        };
        let sql = format!(
            "SELECT r.id, r.mission, r.capability, r.quantity, r.personnel, r.needed_by, r.priority, r.version, \
               CAST(COALESCE(SUM(p.quantity), 0) AS BIGINT) AS pledged, \
               CAST(COALESCE(SUM(CASE WHEN p.readiness IN ('L2', 'L3', 'RDL') THEN p.quantity ELSE 0 END), 0) AS BIGINT) AS firm, \
               CAST(COALESCE(SUM(CASE WHEN p.available_from <= r.needed_by THEN p.quantity ELSE 0 END), 0) AS BIGINT) AS in_time, \
               CAST(COALESCE(SUM(p.personnel), 0) AS BIGINT) AS pledged_personnel \
             FROM {} r LEFT JOIN {} p \
               ON p.mission = r.mission AND p.capability = r.capability AND p.status <> 'withdrawn' \
             {filter} \
             GROUP BY r.id, r.mission, r.capability, r.quantity, r.personnel, r.needed_by, r.priority, r.version",
            q.requirements, q.pledges
        );
        self.rows(sql, q.values)
            .await?
            .iter()
            .map(|r| {
                let requirement = Requirement {
                    id: r.try_get("", "id")?,
                    mission: MissionAcronym::parse(&r.try_get::<String>("", "mission")?)?,
                    capability: CapabilityCode::parse(&r.try_get::<String>("", "capability")?)?,
                    quantity: Quantity::new(i64::from(r.try_get::<i32>("", "quantity")?))?,
                    personnel: u32::try_from(r.try_get::<i32>("", "personnel")?).unwrap_or(0),
                    needed_by: r.try_get("", "needed_by")?,
                    priority: r.try_get::<String>("", "priority")?.parse()?,
                    version: r.try_get("", "version")?,
                };
                let sums = CoverageSums {
                    pledged: u64_of(r, "pledged")?,
                    firm: u64_of(r, "firm")?,
                    in_time: u64_of(r, "in_time")?,
                    pledged_personnel: u64_of(r, "pledged_personnel")?,
                };
                Ok((requirement, sums))
            })
            .collect()
    }

    /// Active capacity earmarked for no mission, per capability (filtered by capability, not
    /// category, so the coverage index answers it alone).
    async fn unearmarked(
        &self,
        as_of: Option<DateTime<Utc>>,
    ) -> Result<Vec<Unearmarked>, StoreError> {
        let q = Query::new(as_of);
        let sql = format!(
            "SELECT capability, CAST(SUM(quantity) AS BIGINT) AS quantity, CAST(SUM(personnel) AS BIGINT) AS personnel \
             FROM {} p WHERE mission IS NULL AND status <> 'withdrawn' \
               AND capability IN (SELECT code FROM capabilities WHERE category IN {CAPACITY}) \
             GROUP BY capability ORDER BY capability",
            q.pledges
        );
        self.rows(sql, q.values)
            .await?
            .iter()
            .map(|r| {
                Ok(Unearmarked {
                    capability: r.try_get("", "capability")?,
                    quantity: u64_of(r, "quantity")?,
                    personnel: u64_of(r, "personnel")?,
                })
            })
            .collect()
    }

    /// The coverage report, for one mission or all, now or as of a moment.
    pub async fn coverage_report(
        &self,
        mission: Option<&MissionAcronym>,
        as_of: Option<DateTime<Utc>>,
    ) -> Result<CoverageReport, StoreError> {
        let rows = self.requirement_sums(mission, as_of).await?;
        let unearmarked = self.unearmarked(as_of).await?;
        Ok(build_coverage(rows, unearmarked, as_of))
    }

    /// The proposed allocation of unearmarked pledges to the open gaps, and the gaps it uses.
    pub async fn allocation_plan(
        &self,
    ) -> Result<(AllocationPlan, Vec<Gap>, Vec<OpenPledge>), StoreError> {
        let gaps: Vec<Gap> = self
            .requirement_sums(None, None)
            .await?
            .into_iter()
            .map(|(r, sums)| Gap {
                requirement_id: r.id,
                mission: r.mission,
                capability: r.capability,
                priority: r.priority,
                needed_by: r.needed_by,
                gap: u64::from(r.quantity.get()).saturating_sub(sums.pledged),
            })
            .filter(|g| g.gap > 0)
            .collect();
        let sql = format!(
            "SELECT id, capability, quantity, available_from FROM pledges \
             WHERE mission IS NULL AND status <> 'withdrawn' AND category IN {CAPACITY} ORDER BY id"
        );
        let pledges: Vec<OpenPledge> = self
            .rows(sql, Vec::new())
            .await?
            .iter()
            .map(|r| {
                Ok(OpenPledge {
                    pledge_id: r.try_get("", "id")?,
                    capability: CapabilityCode::parse(&r.try_get::<String>("", "capability")?)?,
                    quantity: u64::try_from(r.try_get::<i32>("", "quantity")?).unwrap_or(0),
                    available_from: r.try_get("", "available_from")?,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        Ok((allocate(&gaps, &pledges), gaps, pledges))
    }

    /// Aggregate cells of active pledges, per state, category, capability, readiness, mission,
    /// counting renewals due by 30 days after `today` in the same scan.
    async fn country_cells(
        &self,
        state: Option<&MemberStateCode>,
        filter: &CountryFilter,
        today: NaiveDate,
    ) -> Result<Vec<CountryCell>, StoreError> {
        let mut q = Query::new(filter.as_of);
        let t = due_thresholds(due_soon_until(today));
        let (reg, ren) = (q.bind(t.registered_by), q.bind(t.renewed_by));
        let mut conditions = vec!["status <> 'withdrawn'".to_owned()];
        if let Some(c) = &filter.conference {
            conditions.push(format!("conference = {}", q.bind(c.as_str())));
        }
        if let Some(s) = state {
            conditions.push(format!("member_state = {}", q.bind(s.as_str())));
        }
        let backend = self.db.get_database_backend();
        let costs = cost_sum_columns(backend);
        let sql = format!(
            "SELECT member_state, category, capability, readiness, mission, CAST(COUNT(*) AS BIGINT) AS pledges, \
               CAST(SUM(quantity) AS BIGINT) AS quantity, CAST(SUM(personnel) AS BIGINT) AS personnel, \
               CAST(SUM(female_personnel) AS BIGINT) AS female_personnel, \
               {costs}, \
               CAST(SUM(CASE WHEN (renewed_on IS NULL AND registered_on <= {reg}) OR renewed_on <= {ren} THEN 1 ELSE 0 END) AS BIGINT) AS renewals_due \
             FROM {} p WHERE {} GROUP BY member_state, category, capability, readiness, mission",
            q.pledges,
            conditions.join(" AND ")
        );
        self.rows(sql, q.values)
            .await?
            .iter()
            .map(|r| {
                Ok(CountryCell {
                    member_state: r.try_get("", "member_state")?,
                    category: r.try_get("", "category")?,
                    capability: r.try_get("", "capability")?,
                    readiness: r.try_get("", "readiness")?,
                    mission: r.try_get("", "mission")?,
                    pledges: u64_of(r, "pledges")?,
                    quantity: u64_of(r, "quantity")?,
                    personnel: u64_of(r, "personnel")?,
                    female_personnel: u64_of(r, "female_personnel")?,
                    monthly_cost: cost_sum(r, backend)?,
                    renewals_due: u64_of(r, "renewals_due")?,
                })
            })
            .collect()
    }

    /// Per state: joint pledges of others (active) that name it as a partner.
    async fn partnership_counts(
        &self,
        filter: &CountryFilter,
    ) -> Result<BTreeMap<String, u64>, StoreError> {
        let mut q = Query::new(filter.as_of);
        let conference = match &filter.conference {
            Some(c) => format!(" AND p.conference = {}", q.bind(c.as_str())),
            None => String::new(),
        };
        let sql = format!(
            "SELECT pp.member_state, CAST(COUNT(*) AS BIGINT) AS n FROM pledge_partners pp JOIN {} p ON p.id = pp.pledge_id \
             WHERE p.status <> 'withdrawn'{conference} GROUP BY pp.member_state",
            q.pledges
        );
        self.rows(sql, q.values)
            .await?
            .iter()
            .map(|r| Ok((r.try_get("", "member_state")?, u64_of(r, "n")?)))
            .collect()
    }

    /// The all-states table: one row per state with at least one active pledge.
    pub async fn countries_report(
        &self,
        catalog: &Catalog,
        filter: &CountryFilter,
        today: NaiveDate,
    ) -> Result<CountriesReport, StoreError> {
        let cells = self.country_cells(None, filter, today).await?;
        let partnerships = self.partnership_counts(filter).await?;
        let rows = country_rows(&cells, &partnerships, catalog);
        let totals = CountryTotals::of(&rows);
        Ok(CountriesReport {
            as_of: filter.as_of,
            conference: filter.conference.as_ref().map(ToString::to_string),
            rows,
            totals,
            note: COUNTRY_NOTE,
        })
    }

    /// One state's page; a state without active pledges gets an empty page, not an error.
    pub async fn country_summary(
        &self,
        catalog: &Catalog,
        state: &MemberStateCode,
        filter: &CountryFilter,
        today: NaiveDate,
    ) -> Result<CountrySummary, StoreError> {
        let cells = self.country_cells(Some(state), filter, today).await?;
        let partnerships = self.partnership_counts(filter).await?;
        let name = catalog
            .member_states()
            .get(state)
            .map(|s| s.name.clone())
            .unwrap_or_else(|| state.to_string());
        let row = country_rows(&cells, &partnerships, catalog)
            .pop()
            .unwrap_or_else(|| {
                let mut empty = CountryRow::empty(state.as_str(), &name);
                empty.partnerships = partnerships.get(state.as_str()).copied().unwrap_or(0);
                empty
            });
        let year = filter
            .as_of
            .map_or(today, |t| t.date_naive())
            .format("%Y")
            .to_string()
            .parse()
            .unwrap_or(2028);
        let gender = gender_comparison(&row, catalog, year);
        let contributions: BTreeMap<(String, String), u64> = cells
            .iter()
            .filter_map(|c| {
                c.mission
                    .clone()
                    .map(|m| ((m, c.capability.clone()), c.quantity))
            })
            .fold(BTreeMap::new(), |mut acc, (k, v)| {
                *acc.entry(k).or_default() += v;
                acc
            });
        let gaps_filled = self
            .requirement_sums(None, filter.as_of)
            .await?
            .into_iter()
            .filter_map(|(r, sums)| {
                let contributed =
                    *contributions.get(&(r.mission.to_string(), r.capability.to_string()))?;
                let required = u64::from(r.quantity.get());
                Some(GapContribution {
                    mission: r.mission.to_string(),
                    capability: r.capability.to_string(),
                    required,
                    pledged: sums.pledged,
                    gap: required.saturating_sub(sums.pledged),
                    contributed,
                })
            })
            .collect();
        Ok(CountrySummary {
            as_of: filter.as_of,
            conference: filter.conference.as_ref().map(ToString::to_string),
            partnership_pledges: self.partnerships_of(state, filter).await?,
            renewals: self.renewals(today, Some(state)).await?,
            row,
            gender,
            gaps_filled,
            note: COUNTRY_NOTE,
        })
    }

    /// Joint pledges of other states in which `state` is a partner (current, active).
    async fn partnerships_of(
        &self,
        state: &MemberStateCode,
        filter: &CountryFilter,
    ) -> Result<Vec<Partnership>, StoreError> {
        let mut q = Query::new(filter.as_of);
        let s = q.bind(state.as_str());
        let conference = match &filter.conference {
            Some(c) => format!(" AND p.conference = {}", q.bind(c.as_str())),
            None => String::new(),
        };
        let sql = format!(
            "SELECT p.id, p.member_state, p.pledge_ref, p.capability, p.quantity, pp.role FROM pledge_partners pp \
             JOIN {} p ON p.id = pp.pledge_id WHERE pp.member_state = {s} AND p.status <> 'withdrawn'{conference} ORDER BY p.id",
            q.pledges
        );
        self.rows(sql, q.values)
            .await?
            .iter()
            .map(|r| {
                Ok(Partnership {
                    pledge_id: r.try_get("", "id")?,
                    lead: r.try_get("", "member_state")?,
                    pledge_ref: r.try_get("", "pledge_ref")?,
                    capability: r.try_get("", "capability")?,
                    quantity: u64::try_from(r.try_get::<i32>("", "quantity")?).unwrap_or(0),
                    role: r.try_get("", "role")?,
                })
            })
            .collect()
    }

    /// Active pledges (of one state, when given) whose PCRS renewal is overdue or due within
    /// 30 days of `today`, soonest first.
    pub async fn renewals(
        &self,
        today: NaiveDate,
        state: Option<&MemberStateCode>,
    ) -> Result<Vec<RenewalLine>, StoreError> {
        let mut q = Query::new(None);
        let t = due_thresholds(due_soon_until(today));
        let (reg, ren) = (q.bind(t.registered_by), q.bind(t.renewed_by));
        let only = match state {
            Some(s) => format!(" AND member_state = {}", q.bind(s.as_str())),
            None => String::new(),
        };
        let sql = format!(
            "SELECT id, member_state, pledge_ref, capability, registered_on, renewed_on FROM pledges \
             WHERE status <> 'withdrawn'{only} AND ((renewed_on IS NULL AND registered_on <= {reg}) OR renewed_on <= {ren})"
        );
        let mut lines = self
            .rows(sql, q.values)
            .await?
            .iter()
            .map(|r| {
                let registered_on: NaiveDate = r.try_get("", "registered_on")?;
                let renewed_on: Option<NaiveDate> = r.try_get("", "renewed_on")?;
                let due = renewal_due(registered_on, renewed_on);
                Ok(RenewalLine {
                    pledge_id: r.try_get("", "id")?,
                    member_state: r.try_get("", "member_state")?,
                    pledge_ref: r.try_get("", "pledge_ref")?,
                    capability: r.try_get("", "capability")?,
                    registered_on,
                    renewed_on,
                    renewal_due: due,
                    overdue: due < today,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        lines.sort_by(|a, b| {
            (a.renewal_due, &a.member_state, a.pledge_id).cmp(&(
                b.renewal_due,
                &b.member_state,
                b.pledge_id,
            ))
        });
        Ok(lines)
    }
}
