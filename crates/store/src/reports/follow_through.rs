//! What the follow-through report reads: every pledge recorded with one conference (withdrawn
//! ones too; read from the pledges table itself, not through any filter of current figures,
//! since the report counts every pledge announced there), and their milestones — in two
//! queries, however many pledges the conference has.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use pledgeboard_domain::follow_through::{
    FollowThroughPledge, FollowThroughReport, FollowThroughRequest, follow_through,
};
use pledgeboard_domain::{
    Category, Conference, ConferenceCode, MilestoneKind, PledgeStatus, Readiness,
};

use crate::reports::query::Query;
use crate::{Store, StoreError};

impl Store {
    /// The follow-through report of `conference`: its pledges as they stand now (measured on
    /// `today`) or stood at `as_of` (measured on that day), stalled after `stalled_days`.
    pub async fn follow_through_report(
        &self,
        conference: &Conference,
        as_of: Option<DateTime<Utc>>,
        stalled_days: u32,
        today: NaiveDate,
    ) -> Result<FollowThroughReport, StoreError> {
        let pledges = self.follow_through_pledges(&conference.code, as_of).await?;
        let request = FollowThroughRequest {
            conference: conference.code.to_string(),
            conference_name: conference.name.clone(),
            announced_on: conference.starts_on,
            as_of,
            measured_on: as_of.map_or(today, |t| t.date_naive()),
            stalled_days,
        };
        Ok(follow_through(request, &pledges))
    }

    /// The pledges of `conference` as they stand now or stood at `as_of`, each with its
    /// milestones recorded by then and not deleted by then, in the order they were recorded.
    pub async fn follow_through_pledges(
        &self,
        conference: &ConferenceCode,
        as_of: Option<DateTime<Utc>>,
    ) -> Result<Vec<FollowThroughPledge>, StoreError> {
        let mut q = Query::new(as_of);
        let code = q.bind(conference.as_str());
        let sql = format!(
            "SELECT id, member_state, pledge_ref, capability, category, readiness, status \
             FROM {} p WHERE conference = {code} ORDER BY id",
            q.pledges
        );
        let mut pledges = Vec::new();
        let mut index = HashMap::new();
        for r in self.rows(sql, q.values.clone()).await? {
            let id: i64 = r.try_get("", "id")?;
            index.insert(id, pledges.len());
            pledges.push(FollowThroughPledge {
                pledge_id: id,
                member_state: r.try_get("", "member_state")?,
                pledge_ref: r.try_get("", "pledge_ref")?,
                capability: r.try_get("", "capability")?,
                category: r.try_get::<String>("", "category")?.parse::<Category>()?,
                readiness: r.try_get::<String>("", "readiness")?.parse::<Readiness>()?,
                status: r.try_get::<String>("", "status")?.parse::<PledgeStatus>()?,
                milestones: Vec::new(),
            });
        }
        if pledges.is_empty() {
            return Ok(pledges);
        }
        let live = match as_of {
            Some(_) => "m.recorded_at <= $1 AND (m.deleted_at IS NULL OR m.deleted_at > $1)",
            None => "m.deleted_at IS NULL",
        };
        let sql = format!(
            "SELECT m.pledge_id, m.kind, m.reached_on FROM pledge_milestones m \
             WHERE {live} AND m.pledge_id IN (SELECT id FROM {} p WHERE conference = {code}) \
             ORDER BY m.pledge_id, m.reached_on, m.id",
            q.pledges
        );
        for r in self.rows(sql, q.values).await? {
            let id: i64 = r.try_get("", "pledge_id")?;
            let kind = r.try_get::<String>("", "kind")?.parse::<MilestoneKind>()?;
            let date: NaiveDate = r.try_get("", "reached_on")?;
            if let Some(&i) = index.get(&id) {
                pledges[i].milestones.push((kind, date));
            }
        }
        Ok(pledges)
    }
}
