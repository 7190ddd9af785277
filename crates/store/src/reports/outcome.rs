//! A conference's outcome: its pledges (with their predecessors) read by `lineage.rs`, the
//! figures added up by the domain's `outcome_report`.

use chrono::{DateTime, Utc};
use pledgeboard_domain::outcome::{OutcomePledge, OutcomeReport, outcome_report};
use pledgeboard_domain::{Catalog, ConferenceCode};

use crate::{Store, StoreError};

impl Store {
    /// The outcome of `conference` from its pledges as they stand now, or stood at `as_of`
    /// (read from their versions then, as the other reports read the past).
    pub async fn outcome_report(
        &self,
        catalog: &Catalog,
        conference: &ConferenceCode,
        as_of: Option<DateTime<Utc>>,
    ) -> Result<OutcomeReport, StoreError> {
        let pledges = self.conference_pledges(conference, as_of).await?;
        let listed: Vec<OutcomePledge<'_>> = pledges
            .iter()
            .map(|p| OutcomePledge {
                pledge: &p.pledge,
                predecessor: p.predecessor.as_ref(),
                superseded: p.superseded,
            })
            .collect();
        Ok(outcome_report(conference, as_of, &listed, catalog))
    }
}
