//! The country reports' aggregates: cells of active pledges per state, category, capability,
//! readiness and mission, and the partnership counts. The domain assembles the reports
//! ([`pledgeboard_domain::country_summary`]).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use pledgeboard_domain::country_report::{
    CountriesReport, CountryCell, CountrySummary, CountryTally, Partnership,
};
use pledgeboard_domain::country_summary::{
    CountrySums, ReportScope, countries_report, country_summary,
};
use pledgeboard_domain::renewal::{due_soon_until, due_thresholds};
use pledgeboard_domain::{Catalog, MemberStateCode};

use crate::pledges::row::renewal_due_by;
use crate::reports::cost_sum::{cost_sum, cost_sum_columns};
use crate::reports::query::{CountryFilter, Query, u64_of};
use crate::reports::renewals::RenewalFilter;
use crate::reports::tally_scan;
use crate::{Store, StoreError};

impl CountryFilter {
    fn scope(&self) -> ReportScope {
        ReportScope {
            as_of: self.as_of,
            conference: self.conference.as_ref().map(ToString::to_string),
        }
    }
}

impl Store {
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
        let due = renewal_due_by(&q.bind(t.registered_by), &q.bind(t.renewed_by));
        let mut conditions = vec!["status <> 'withdrawn'".to_owned(), q.current("p")];
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
               CAST(SUM(CASE WHEN personnel_estimated THEN personnel ELSE 0 END) AS BIGINT) \
                 AS personnel_estimated, \
               CAST(SUM(female_personnel) AS BIGINT) AS female_personnel, \
               {costs}, \
               CAST(SUM(CASE WHEN {due} THEN 1 ELSE 0 END) AS BIGINT) AS renewals_due \
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
                    personnel_estimated: u64_of(r, "personnel_estimated")?,
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
             WHERE p.status <> 'withdrawn' AND {}{conference} GROUP BY pp.member_state",
            q.pledges,
            q.current("p")
        );
        self.rows(sql, q.values)
            .await?
            .iter()
            .map(|r| Ok((r.try_get("", "member_state")?, u64_of(r, "n")?)))
            .collect()
    }

    /// The all-states table: one row per state with at least one active pledge.
    ///
    /// The active pledges are read in one scan and added into the domain's [`CountryTally`],
    /// one row per state (on SQLite by an aggregate function on the database's own thread,
    /// `sqlite_tally.rs`; on PostgreSQL streamed): grouping them by state, category,
    /// capability, readiness and mission in SQL first made the database sort every pledge
    /// (about 60,000 cells for 100,000 pledges), and each of those cells was held in memory
    /// per request.
    pub async fn countries_report(
        &self,
        catalog: &Catalog,
        filter: &CountryFilter,
        today: NaiveDate,
    ) -> Result<CountriesReport, StoreError> {
        let tally = self.country_tally(filter, today).await?;
        let partnerships = self.partnership_counts(filter).await?;
        Ok(countries_report(
            tally,
            catalog,
            &partnerships,
            filter.scope(),
        ))
    }

    /// Every active pledge under `filter`, added into one tally (renewals due by 30 days after
    /// `today`).
    async fn country_tally(
        &self,
        filter: &CountryFilter,
        today: NaiveDate,
    ) -> Result<CountryTally, StoreError> {
        let mut q = Query::new(filter.as_of);
        let t = due_thresholds(due_soon_until(today));
        let due = renewal_due_by(&q.bind(t.registered_by), &q.bind(t.renewed_by));
        let conference = match &filter.conference {
            Some(c) => format!(" AND conference = {}", q.bind(c.as_str())),
            None => String::new(),
        };
        let conditions = format!("status <> 'withdrawn' AND {}{conference}", q.current("p"));
        // One scan at a time (see `ALL_STATES_SCANS`); the semaphore is never closed.
        let _turn = self
            .all_states_scans
            .acquire()
            .await
            .map_err(|e| StoreError::Unavailable(e.to_string()))?;
        tally_scan::tally(&self.db, q, &due, &conditions).await
    }

    /// One state's page; a state without active pledges gets an empty page, not an error.
    pub async fn country_summary(
        &self,
        catalog: &Catalog,
        state: &MemberStateCode,
        filter: &CountryFilter,
        today: NaiveDate,
    ) -> Result<CountrySummary, StoreError> {
        let sums = CountrySums {
            cells: self.country_cells(Some(state), filter, today).await?,
            partnerships: self.partnership_counts(filter).await?,
            requirements: self.requirement_sums(None, filter.as_of).await?,
            partnership_pledges: self.partnerships_of(state, filter).await?,
            renewals: self
                .renewals(today, &RenewalFilter::of_country(state, filter))
                .await?,
        };
        Ok(country_summary(state, sums, catalog, filter.scope(), today))
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
             JOIN {} p ON p.id = pp.pledge_id WHERE pp.member_state = {s} AND p.status <> 'withdrawn' AND {}{conference} ORDER BY p.id",
            q.pledges,
            q.current("p")
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
}
