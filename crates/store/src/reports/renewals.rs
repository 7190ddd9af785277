//! Active pledges whose PCRS renewal is overdue or due soon: found in SQL by the domain's date
//! thresholds, dated and ordered by the domain.

use chrono::{DateTime, NaiveDate, Utc};
use pledgeboard_domain::country_report::RenewalLine;
use pledgeboard_domain::renewal::{due_soon_until, due_thresholds, renewal_lines};
use pledgeboard_domain::{ConferenceCode, MemberStateCode, MissionAcronym};

use crate::pledges::row::{RENEWAL_COLUMNS, pledge_renewal, renewal_due_by};
use crate::reports::query::{CountryFilter, Query};
use crate::{Store, StoreError};

/// Which renewals a list holds: of one state, one mission, one conference, as of a moment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RenewalFilter {
    pub member_state: Option<MemberStateCode>,
    pub mission: Option<MissionAcronym>,
    pub conference: Option<ConferenceCode>,
    /// The pledges as they stood then; `None` for now.
    pub as_of: Option<DateTime<Utc>>,
}

impl RenewalFilter {
    /// The renewals of `state` under a country report's filter: the ones its count counts.
    pub fn of_country(state: &MemberStateCode, filter: &CountryFilter) -> Self {
        Self {
            member_state: Some(state.clone()),
            mission: None,
            conference: filter.conference.clone(),
            as_of: filter.as_of,
        }
    }
}

impl Store {
    /// Active pledges matching `filter` whose PCRS renewal is overdue or due within 30 days of
    /// `today`, soonest first.
    pub async fn renewals(
        &self,
        today: NaiveDate,
        filter: &RenewalFilter,
    ) -> Result<Vec<RenewalLine>, StoreError> {
        let mut q = Query::new(filter.as_of);
        let t = due_thresholds(due_soon_until(today));
        let due = renewal_due_by(&q.bind(t.registered_by), &q.bind(t.renewed_by));
        let mut conditions = vec!["status <> 'withdrawn'".to_owned(), q.current("p"), due];
        let equal = [
            (
                "member_state",
                filter.member_state.as_ref().map(|s| s.to_string()),
            ),
            ("mission", filter.mission.as_ref().map(|m| m.to_string())),
            (
                "conference",
                filter.conference.as_ref().map(|c| c.to_string()),
            ),
        ];
        for (column, value) in equal {
            if let Some(v) = value {
                conditions.push(format!("{column} = {}", q.bind(v)));
            }
        }
        let sql = format!(
            "SELECT {RENEWAL_COLUMNS} FROM {} p WHERE {}",
            q.pledges,
            conditions.join(" AND ")
        );
        let pledges = self
            .rows(sql, q.values)
            .await?
            .iter()
            .map(pledge_renewal)
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(renewal_lines(pledges, today))
    }
}
