//! The pledges one state's page lists: every pledge of the state (withdrawn ones too, as the
//! pledge list shows them), of one conference when asked, as they stand now or stood then.

use pledgeboard_domain::MemberStateCode;
use pledgeboard_domain::country_pledges::CountryPledgeLine;

use crate::reports::query::{CountryFilter, Query};
use crate::{Store, StoreError};

impl Store {
    /// The pledges of `state` under a country report's filter, in the order they were
    /// recorded (that of `GET /api/v1/pledges`).
    pub async fn country_pledges(
        &self,
        state: &MemberStateCode,
        filter: &CountryFilter,
    ) -> Result<Vec<CountryPledgeLine>, StoreError> {
        let mut q = Query::new(filter.as_of);
        let mut conditions = vec![format!("member_state = {}", q.bind(state.as_str()))];
        if let Some(c) = &filter.conference {
            conditions.push(format!("conference = {}", q.bind(c.as_str())));
        }
        let sql = format!(
            "SELECT id, pledge_ref, capability, quantity, personnel, \
               CASE WHEN personnel_estimated THEN 1 ELSE 0 END AS estimated, female_personnel, \
               readiness, status, mission, conference, caveats FROM {} p WHERE {} ORDER BY id",
            q.pledges,
            conditions.join(" AND ")
        );
        let count = |n: i32| u64::try_from(n).unwrap_or(0);
        self.rows(sql, q.values)
            .await?
            .iter()
            .map(|r| {
                Ok(CountryPledgeLine {
                    pledge_id: r.try_get("", "id")?,
                    pledge_ref: r.try_get("", "pledge_ref")?,
                    capability: r.try_get("", "capability")?,
                    quantity: count(r.try_get("", "quantity")?),
                    personnel: count(r.try_get("", "personnel")?),
                    personnel_estimated: r.try_get::<i32>("", "estimated")? != 0,
                    female_personnel: count(r.try_get("", "female_personnel")?),
                    readiness: r.try_get("", "readiness")?,
                    status: r.try_get("", "status")?,
                    mission: r.try_get("", "mission")?,
                    conference: r.try_get("", "conference")?,
                    caveats: r.try_get("", "caveats")?,
                })
            })
            .collect()
    }
}
